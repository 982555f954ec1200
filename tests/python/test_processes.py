# test_processes.py - sharing across real processes
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# multiprocessing under "fork", "spawn", "forkserver" and the default, and
# fresh interpreters started with subprocess.  Child targets live in
# sahelpers.py so that spawn children can import them.
import multiprocessing

import numpy as np
import pytest

import SharedArray as sa
import sahelpers
from sahelpers import run_python

# None: the platform's default, which Python 3.14 changed from fork to
# forkserver on Linux; nothing here may rely on what it is.
METHODS = ["fork", "spawn", "forkserver", None]


def run_child(method, target, *args):
    ctx = multiprocessing.get_context(method)
    child = ctx.Process(target=target, args=args)
    child.start()
    child.join(120)
    assert child.exitcode == 0, f"{ctx.get_start_method()} child exited with {child.exitcode}"


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m or "default")
def test_child_attaches_and_writes(shm_name, method):
    name = shm_name()
    a = sa.create(name, 10, dtype=np.int64)
    run_child(method, sahelpers.child_attach_write, name, 3, 333)
    assert a[3] == 333 and a.sum() == 333


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m or "default")
def test_child_sees_parent_writes(shm_name, method):
    name = shm_name()
    a = sa.create(name, (4, 4), order="F")
    a[...] = np.arange(16).reshape(4, 4)
    run_child(method, sahelpers.child_check, name, np.arange(16).reshape(4, 4))


def test_forked_child_writes_into_inherited_array(shm_name):
    a = sa.create(shm_name(), 5)
    run_child("fork", sahelpers.child_write_inherited, a, 1, 2.5)
    assert a.tolist() == [0, 2.5, 0, 0, 0]


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m or "default")
def test_pool_of_workers(shm_name, method):
    name = shm_name()
    a = sa.create(name, 50, dtype=np.int64)
    with multiprocessing.get_context(method).Pool(3) as pool:
        done = pool.map(sahelpers.pool_square, [(name, i) for i in range(50)])
    assert sorted(done) == list(range(50))
    assert a.tolist() == [i * i for i in range(50)]


def test_racing_creators_one_wins(shm_name):
    name = shm_name()
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(sahelpers.try_create, [name] * 8)
    assert sorted(results) == ["created"] + ["exists"] * 7, results
    assert sa.attach(name).shape == (1000,)


def test_fresh_interpreter_attaches(shm_name):
    name = shm_name()
    a = sa.create(f"shm://{name}", (3, 3), dtype=np.float32)
    a[...] = np.eye(3)
    code = ("import sys, SharedArray as sa\n"
            "b = sa.attach(sys.argv[1])\n"
            "print(b.dtype.str, b.shape, float(b.sum()))\n"
            "b *= 2\n")
    result = run_python(code, f"shm://{name}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["<f4", "(3,", "3)", "3.0"]
    assert np.array_equal(a, 2 * np.eye(3))


def test_file_array_survives_its_creator(tmp_path):
    name = f"file://{tmp_path}/kept.sa"
    code = ("import sys, numpy as np, SharedArray as sa\n"
            "a = sa.create(sys.argv[1], (2, 3), dtype='>i4', order='F')\n"
            "a[...] = np.arange(6).reshape(2, 3)\n"
            "a.base.msync(sa.MS_SYNC)\n")
    result = run_python(code, name)
    assert result.returncode == 0, result.stderr
    b = sa.attach(name)
    assert b.dtype.str == ">i4" and b.flags.f_contiguous
    assert np.array_equal(b, np.arange(6).reshape(2, 3))
    assert [e.name for e in sa.list(tmp_path)] == [b"kept.sa"]
    sa.delete(name)
    assert not (tmp_path / "kept.sa").exists()
    assert b.sum() == 15


def test_shm_array_survives_its_creator(shm_name):
    name = shm_name()
    code = ("import sys, SharedArray as sa\n"
            "sa.create(sys.argv[1], 4, dtype='M8[ms]')[:] = 1234\n")
    result = run_python(code, name)
    assert result.returncode == 0, result.stderr
    b = sa.attach(name)
    assert b.dtype.str == "<M8[ms]" and (b.astype(np.int64) == 1234).all()


def test_child_creates_structured_parent_reads_fields(shm_name):
    name = shm_name()
    code = ("import sys, numpy as np, SharedArray as sa\n"
            "dt = np.dtype([('id', '<u4'), ('pos', '<f4', (2,))], align=True)\n"
            "a = sa.create(sys.argv[1], 3, dtype=dt)\n"
            "src = np.array([(1, (1, 2)), (2, (3, 4)), (3, (5, 6))], dtype=dt)\n"
            "a[:] = src.view(a.dtype)\n")
    result = run_python(code, name)
    assert result.returncode == 0, result.stderr
    b = sa.attach(name)
    assert b.dtype.isalignedstruct and b.dtype.names == ("id", "pos")
    assert b["id"].tolist() == [1, 2, 3]
    assert b["pos"].tolist() == [[1, 2], [3, 4], [5, 6]]
