# test_lifetime.py - mappings live exactly as long as something refers to them
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The mapping belongs to the array's .base (a MapOwner); numpy keeps the
# base alive while any array, view or buffer uses the memory.  Dropping the
# last reference unmaps; no order of dropping can leave a dangling view
# (the known crash of multiprocessing.shared_memory with numpy).
import gc
import pickle

import numpy as np
import pytest

import SharedArray as sa
from sahelpers import mappings_of, run_python


def attached(name, **kwargs):
    """Attach NAME: the mapping then shows as /dev/shm/NAME in /proc/self/maps."""
    return sa.attach(name, **kwargs)


def test_delete_while_attached_keeps_the_data(shm_name):
    name = shm_name()
    a = sa.create(name, 100)
    a[:] = np.arange(100)
    b = attached(name)
    sa.delete(name)
    del a
    gc.collect()
    assert b.sum() == sum(range(100))
    b[0] = 1000
    assert b[0] == 1000
    with pytest.raises(FileNotFoundError):
        sa.attach(name)


def test_dropping_the_last_reference_unmaps(shm_name):
    name = shm_name()
    sa.create(name, 1000)
    path = f"/dev/shm/{name}"
    b = attached(name)
    assert mappings_of(path)
    del b
    gc.collect()
    assert mappings_of(path) == []


def test_views_keep_the_mapping(shm_name):
    name = shm_name()
    sa.create(name, (10, 10))[...] = np.arange(100).reshape(10, 10)
    path = f"/dev/shm/{name}"
    b = attached(name)
    views = [b[2:5], b.T, b.reshape(100)[::7], b.view(np.uint8), b[3], b[b > 50]]
    del b
    gc.collect()
    assert mappings_of(path)
    assert views[0].sum() == np.arange(20, 50).sum()
    assert views[1][0, 1] == 10
    assert views[4].tolist() == list(range(30, 40))
    views[2][0] = -1
    # The last one, from boolean indexing, is a copy: it holds nothing.
    del views[:-1]
    gc.collect()
    assert mappings_of(path) == []
    assert views[0].min() == 51


def test_views_of_views_in_any_order(shm_name):
    name = shm_name()
    sa.create(name, 64)[:] = 1
    path = f"/dev/shm/{name}"
    for order in ([0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]):
        a = attached(name)
        chain = [a, a[1:], a[1:][1:], a[1:][1:][::2]]
        del a
        for index in order:
            chain[index] = None
            gc.collect()
            for other in chain:
                if other is not None:
                    assert other.sum() == other.size
        assert mappings_of(path) == []


def test_buffers_keep_the_mapping(shm_name):
    name = shm_name()
    sa.create(name, 8, dtype=np.uint8)[:] = 9
    path = f"/dev/shm/{name}"
    b = attached(name)
    view = memoryview(b.base)
    other = np.frombuffer(b.base, dtype=np.uint8)
    del b
    gc.collect()
    assert view.tobytes() == b"\x09" * 8 and other.sum() == 72
    del view
    gc.collect()
    assert mappings_of(path) and other[0] == 9
    del other
    gc.collect()
    assert mappings_of(path) == []


def test_owner_outlives_arrays_when_held(shm_name):
    name = shm_name()
    sa.create(name, 4)
    path = f"/dev/shm/{name}"
    owner = attached(name).base
    gc.collect()
    assert mappings_of(path)
    owner.msync(sa.MS_SYNC)
    del owner
    gc.collect()
    assert mappings_of(path) == []


def test_pickled_arrays_are_copies(shm_name):
    name = shm_name()
    a = sa.create(name, 3)
    a[:] = [1, 2, 3]
    copy = pickle.loads(pickle.dumps(a))
    a[0] = 9
    assert copy.tolist() == [1, 2, 3]
    with pytest.raises(TypeError):
        pickle.dumps(a.base)


def test_no_mapping_leak(shm_name):
    name = shm_name()
    sa.create(name, 10)
    path = f"/dev/shm/{name}"
    for _ in range(500):
        b = attached(name)
        b[0] += 1
        del b
    gc.collect()
    assert mappings_of(path) == []
    assert sa.attach(name)[0] == 500


def test_use_after_drop_in_a_child_does_not_crash(shm_name):
    # The crash of multiprocessing.shared_memory: a view used after the
    # shared memory object is closed.  Here nothing can be closed under a view.
    name = shm_name()
    sa.create(name, 1000)
    code = ("import gc, sys, SharedArray as sa\n"
            "a = sa.attach(sys.argv[1])\n"
            "v = a[10:20]\n"
            "owner = a.base\n"
            "del a, owner\n"
            "gc.collect()\n"
            "v[:] = 5\n"
            "sa.delete(sys.argv[1])\n"
            "gc.collect()\n"
            "print(int(v.sum()))\n")
    result = run_python(code, name)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "50"
