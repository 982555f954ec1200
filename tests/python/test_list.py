# test_list.py - list() and list(directory), and their ArrayDesc entries
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
import errno
import os
import time

import numpy as np
import pytest

import SharedArray as sa
from sahelpers import LIST_SUPPORTED, NO_LIST_REASON

needs_shm_list = pytest.mark.skipif(not LIST_SUPPORTED, reason=NO_LIST_REASON)


def names_in(listing):
    return [entry.name for entry in listing]


@needs_shm_list
def test_list_before_and_after_delete(shm_name):
    name = shm_name()
    assert name.encode() not in names_in(sa.list())
    sa.create(name, (2, 3), dtype=np.int16)
    listing = sa.list()
    assert isinstance(listing, tuple)
    assert name.encode() in names_in(listing)
    entry = listing[names_in(listing).index(name.encode())]
    assert tuple(entry) == (name.encode(), np.int16, (2, 3))
    sa.delete(name)
    assert name.encode() not in names_in(sa.list())


@needs_shm_list
def test_list_is_sorted_by_name():
    names = names_in(sa.list())
    assert names == sorted(names)


def test_entry_is_the_original_struct_sequence(shm_name):
    name = shm_name()
    sa.create(name, 4)
    entry = sa.stat(name)
    assert isinstance(entry, tuple) and isinstance(entry, sa.ArrayDesc)
    assert len(entry) == 3
    assert sa.ArrayDesc.n_sequence_fields == 3
    entry_name, dtype, dims = entry
    assert entry_name == entry.name == entry[0] == name.encode()
    assert dtype is entry.dtype is np.float64
    assert dims == entry.dims == (4,)
    assert all(isinstance(d, int) for d in dims)
    assert "name=" in repr(entry)


def test_entry_named_fields(shm_name):
    name = shm_name()
    before = int(time.time())
    a = sa.create(name, (3, 5), dtype="<U2", order="F", mode=0o600)
    entry = sa.stat(name)
    assert entry.full_dtype == np.dtype("<U2")
    assert entry.typestr == "<U2"
    assert entry.itemsize == 8
    assert entry.nbytes == a.nbytes == 120
    assert entry.size == a.nbytes
    assert entry.segment_size == a.base.size
    assert entry.order == "F"
    assert entry.mode == 0o600 & ~_umask()
    assert entry.uid == os.getuid() and entry.gid == os.getgid()
    assert before - 2 <= entry.mtime <= time.time() + 2
    assert entry.format == 1


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_list_directory_exact_contents(tmp_path):
    sa.create(f"file://{tmp_path}/b.sa", 3, dtype=np.uint8)
    sa.create(f"file://{tmp_path}/a.sa", (2, 2), dtype=[("x", "<i4"), ("y", "<f8")])
    (tmp_path / "notes.txt").write_text("not an array\n" * 100)
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "subdir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    os.symlink(tmp_path / "a.sa", tmp_path / "link.sa")
    for directory in (str(tmp_path), f"file://{tmp_path}", tmp_path):
        listing = sa.list(directory)
        assert names_in(listing) == [b"a.sa", b"b.sa"]
        a, b = listing
        assert a.dtype is np.void and a.dims == (2, 2)
        assert a.full_dtype == np.dtype([("x", "<i4"), ("y", "<f8")])
        assert tuple(b) == (b"b.sa", np.uint8, (3,))
    sa.delete(f"file://{tmp_path}/a.sa")
    assert names_in(sa.list(tmp_path)) == [b"b.sa"]
    assert sa.list(directory=tmp_path)[0].name == b"b.sa"


def test_list_empty_directory(tmp_path):
    assert sa.list(tmp_path) == ()


def test_list_missing_directory(tmp_path):
    missing = f"{tmp_path}/missing"
    with pytest.raises(FileNotFoundError) as info:
        sa.list(missing)
    assert info.value.filename == missing


@needs_shm_list
def test_list_names_attach(tmp_path, shm_name):
    name = shm_name()
    sa.create(name, 2)[:] = 6
    for entry in sa.list():
        if entry.name == name.encode():
            assert sa.attach(entry.name).tolist() == [6, 6]
            break
    else:
        pytest.fail("created array not listed")


@pytest.mark.skipif(LIST_SUPPORTED, reason="this build lists /dev/shm")
def test_list_without_shm_dir_is_enotsup(tmp_path):
    with pytest.raises(OSError) as info:
        sa.list()
    assert info.value.errno == errno.ENOTSUP
    sa.create(f"file://{tmp_path}/x.sa", 1)
    assert [e.name for e in sa.list(tmp_path)] == [b"x.sa"]
