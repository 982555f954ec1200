# test_descr_safety.py - a crafted field description can't crash or run code
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The description of a structured dtype is text another process wrote.  The
# segments here are made by the C program sa-peer, which stores whatever
# description it is given; the module must refuse every bad one with
# OSError(EBADMSG) naming the array, and never evaluate it as code.
import errno
import subprocess

import numpy as np
import pytest

import SharedArray as sa
from sahelpers import listed


def peer_create(peer, name, dtype, descr, *dims):
    subprocess.run([peer, "create", name, dtype, descr, "C", *map(str, dims)], check=True,
                   timeout=60)


def expect_ebadmsg(name):
    for call in (lambda: sa.attach(name), lambda: sa.attach(name, ro=True),
                 lambda: sa.stat(name)):
        with pytest.raises(OSError) as info:
            call()
        assert info.value.errno == errno.EBADMSG
        assert info.value.filename == name


CRAFTED = [
    "__import__('os').system('touch {marker}')",
    "open('{marker}', 'w')",
    "[('a', '<f8')] if open('{marker}', 'w') else 0",
    "{{'names': ['a'], 'formats': [__import__('os').system('touch {marker}')]}}",
    "lambda: 0",
    "[" * 100000,
    "[" * 150 + "]" * 150,
    "(" * 5000 + ")" * 5000,
    "-" * 100000 + "1",
    "~" * 100000 + "1",
    "not " * 30000 + "1",
    "1+" * 50000 + "1",
    "a." * 50000 + "b",
    "[1," * 20000 + "]" * 20000,
    "9" * 100000,
    "1e400",
    "None",
    "'<f8'",
    "b'\\x00'",
    "[('a', '<f8'), ('b', '<f8')]",            # 16 bytes for an 8-byte item
    "[('a', '<f4')]",                          # 4 bytes for an 8-byte item
    "[('a', '|O')]",                           # pointers
    "[('a', 'O'), ('', '|V0')]",
    "{{'names': ['a'], 'formats': ['O'], 'offsets': [0], 'itemsize': 8}}",
    "{{'names': ['a'], 'formats': ['<f8'], 'offsets': [8], 'itemsize': 8}}",
    "{{'names': ['a'], 'formats': ['<f8'], 'offsets': [-8], 'itemsize': 8}}",
    "{{'names': ['a'], 'formats': ['V4294967305'], 'offsets': [0], 'itemsize': 8}}",
    "[('a', '<f8', (-1,))]",
    "[('a', '<f8', (2**62,))]",
    "[('a', '<u1', (4294967296, 4294967296))]",
    "[('a', 'V8', {{'x': 1}})]",
    "[('a', '<f8'), ('a', '<f8')]",
    "[('a', 'not-a-type')]",
    "{{'names': 'a', 'formats': 8}}",
    "['<f8', [('a', '<f8')]]",
    "[]",
    "{{}}",
    "[('a', '<M8[zz]')]",
    "\udcff",
]


@pytest.mark.parametrize("text", CRAFTED, ids=lambda t: repr(t[:40]))
def test_crafted_description_is_ebadmsg(peer, shm_name, tmp_path, text):
    name = shm_name("evil")
    marker = tmp_path / "pwned"
    descr = text.format(marker=marker)
    peer_create(peer, name, "|V8", descr, 4)
    expect_ebadmsg(name)
    assert not marker.exists(), "a description was executed"
    # The array stays listable (as plain void) and deletable.
    entries = listed(name)
    if entries is not None:
        assert len(entries) == 1
        assert entries[0].full_dtype == np.dtype("V8") and entries[0].dtype is np.void
    sa.delete(name)


def test_description_with_invalid_utf8_is_ebadmsg(peer, shm_name):
    name = shm_name("evil")
    subprocess.run([peer.encode(), b"create", name.encode(), b"|V8", b"[('\xff\xfe', '<f8')]",
                    b"C", b"2"], check=True, timeout=60)
    expect_ebadmsg(name)


def test_plain_description_from_c_is_read(peer, shm_name):
    # The list-of-tuples form a C program would write, as in .npy headers.
    name = shm_name()
    peer_create(peer, name, "|V12", "[('x', '<i4'), ('y', '<f8')]", 3)
    a = sa.attach(name)
    assert a.dtype == np.dtype([("x", "<i4"), ("y", "<f8")])


def test_padded_list_description_from_c_is_read(peer, shm_name):
    name = shm_name()
    peer_create(peer, name, "|V16", "[('x', '<i4'), ('', '|V4'), ('y', '<f8')]", 3)
    a = sa.attach(name)
    assert a.dtype.names == ("x", "y")
    assert a.dtype.fields["y"][1] == 8 and a.dtype.itemsize == 16


def test_dict_description_from_c_is_read(peer, shm_name):
    name = shm_name()
    peer_create(peer, name, "|V8",
                "{'names': ['lo', 'hi'], 'formats': ['<u4', '<u4'], 'offsets': [0, 4], "
                "'itemsize': 8}", 2)
    a = sa.attach(name)
    assert a.dtype.names == ("lo", "hi") and a.dtype.itemsize == 8


def test_attach_after_failed_attach_still_works(peer, shm_name):
    bad, good = shm_name("evil"), shm_name()
    peer_create(peer, bad, "|V8", "[" * 100000, 1)
    expect_ebadmsg(bad)
    sa.create(good, 3)[:] = 1
    assert sa.attach(good).tolist() == [1, 1, 1]
