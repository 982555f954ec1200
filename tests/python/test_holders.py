# test_holders.py - SharedArray.holders(): who has an array mapped
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
import errno
import os

import pytest

import SharedArray as sa
import sahelpers


def test_self_once(shm_name):
    name = shm_name()
    sa.create(name, 4)
    assert sa.holders(name) == []
    a = sa.attach(name)
    b = sa.attach(name, ro=True)                       # twice: one process
    assert sa.holders(name) == [os.getpid()]
    assert sa.holders(name.encode()) == [os.getpid()]
    assert sa.holders("file:///dev/shm/" + name) == [os.getpid()]
    del a, b
    assert sa.holders(name) == []


def test_children_sorted(shm_name):
    name = shm_name()
    sa.create(name, 4)
    children = [sahelpers.hold_in_child(name) for _ in range(3)]
    pids = sa.holders(name)
    assert pids == sorted(c.pid for c in children)
    assert all(type(pid) is int for pid in pids)
    children[1].kill()
    children[1].join(60)
    assert sa.holders(name) == sorted([children[0].pid, children[2].pid])
    for child in (children[0], children[2]):
        child.kill()
        child.join(60)
    assert sa.holders(name) == []


def test_errors(shm_name, tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        sa.holders(shm_name())
    assert info.value.filename
    notes = tmp_path / "notes"
    notes.write_bytes(b"x" * 400)
    with pytest.raises(OSError) as info:
        sa.holders(f"file://{notes}")
    assert info.value.errno == errno.EBADMSG
    with pytest.raises(TypeError):
        sa.holders(3)
