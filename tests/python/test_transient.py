# test_transient.py - create(..., transient=True): removed with its last holder
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Holders are real processes: multiprocessing children of every start method
# (which end with os._exit()), pool workers, fresh interpreters, and
# children killed with SIGKILL.  Whether the array is still there is read
# from /dev/shm itself.
import multiprocessing
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

import SharedArray as sa
import sahelpers
from sahelpers import run_python, shm_exists

METHODS = ["fork", "spawn", "forkserver"]


def test_flag_on_array_stat_and_list(shm_name):
    name, plain = shm_name("t"), shm_name("p")
    a = sa.create(name, 4, transient=True)
    b = sa.create(plain, 4)
    assert a.base.transient is True and b.base.transient is False
    assert sa.attach(name, ro=True).base.transient is True
    assert sa.stat(name).transient is True and sa.stat(plain).transient is False
    entries = sahelpers.listed(name)
    if entries is not None:
        assert [e.transient for e in entries] == [True]
        entry_name, dtype, dims = entries[0]          # unpacks as in 3.x
        assert (entry_name, dtype, dims) == (name.encode(), np.float64, (4,))
    del a


def test_last_reference_removes_it(shm_name):
    name = shm_name()
    a = sa.create(name, (3, 3), transient=True)
    view = a[1:]
    b = sa.attach(name)
    a[0, 0] = 5
    del a
    assert shm_exists(name)                            # the view and b hold it
    del b
    assert shm_exists(name)
    assert view.base.base.transient
    del view
    assert not shm_exists(name)
    with pytest.raises(FileNotFoundError):
        sa.attach(name)


def test_flag_false_is_ordinary(shm_name):
    name = shm_name()
    a = sa.create(name, 3, transient=False)
    del a
    assert shm_exists(name) and not sa.stat(name).transient


@pytest.mark.parametrize("method", METHODS)
def test_child_ending_holding_it_lets_go(shm_name, method):
    """A multiprocessing child ends (os._exit) still holding it: removed."""
    ctx = multiprocessing.get_context(method)
    name = shm_name()
    a = sa.create(name, 8, transient=True)
    ready, go = ctx.Event(), ctx.Event()
    child = ctx.Process(target=sahelpers.child_holds_until_told, args=(name, ready, go))
    child.start()
    assert ready.wait(60)
    del a
    assert shm_exists(name)                            # the child holds it
    assert sa.holders(name) == [child.pid]
    go.set()
    child.join(60)
    assert child.exitcode == 0
    assert not shm_exists(name)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pool_workers(shm_name, method):
    """Copies for worker pools: gone once the pool is done and the parent drops it."""
    name = shm_name()
    a = sa.create(name, 100, transient=True)
    a[:] = 1
    with multiprocessing.get_context(method).Pool(2) as pool:
        assert pool.map(sahelpers.pool_sum_transient, [name] * 6) == [100.0] * 6
    assert shm_exists(name)
    del a
    assert not shm_exists(name)


def test_killed_last_holder(shm_name):
    """SIGKILL leaves nobody to remove it: it is dead, and the next call removes it."""
    for _ in range(5):
        name = shm_name()
        a = sa.create(name, 8, transient=True)
        child = sahelpers.hold_in_child(name)
        del a
        assert shm_exists(name)
        os.kill(child.pid, signal.SIGKILL)
        child.join(60)
        assert child.exitcode == -signal.SIGKILL
        assert shm_exists(name)                        # nobody was left to remove it
        with pytest.raises(FileNotFoundError):
            sa.attach(name)
        assert not shm_exists(name)


def test_os_fork_child_that_exits_last(shm_name):
    """A plain os.fork() child leaving by os._exit() leaves a dead leftover."""
    name = shm_name()
    a = sa.create(name, 8, transient=True)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # holds the inherited attachment
        os.close(w)
        os.read(r, 1)
        os._exit(0)
    os.close(r)
    del a
    assert shm_exists(name)
    os.write(w, b"x")
    os.close(w)
    assert os.waitpid(pid, 0)[1] == 0
    with pytest.raises(FileNotFoundError):
        sa.stat(name)
    assert not shm_exists(name)


def test_interpreter_exit_with_a_daemon_thread_using_it(shm_name):
    """At exit the holds go, the mappings stay: a thread still writing never faults."""
    name = shm_name()
    code = """
import sys, threading
import SharedArray as sa
a = sa.create(sys.argv[1], 1000, transient=True)
b = sa.attach(sys.argv[1])
cycle = [a, b]
cycle.append(cycle)            # left for the collector, or never freed
def spin():
    while True:
        a[:] += 1
threading.Thread(target=spin, daemon=True).start()
print("ok", flush=True)
"""
    result = run_python(code, name)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"
    assert not shm_exists(name)


def test_attached_by_another_interpreter(shm_name):
    """A fresh interpreter attaches it; its exit lets go."""
    name = shm_name()
    a = sa.create(name, 4, transient=True)
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, SharedArray as sa; b = sa.attach(sys.argv[1]); b[0] = 7; "
         "print('held', flush=True); sys.stdin.read()", name],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    assert child.stdout.readline() == "held\n"
    assert a[0] == 7
    del a
    assert shm_exists(name)
    child.communicate("", timeout=60)
    assert child.returncode == 0
    assert not shm_exists(name)


def test_create_over_a_dead_one(shm_name):
    """A create of the same name removes a dead transient array and takes the name."""
    name = shm_name()
    a = sa.create(name, 8, transient=True)
    child = sahelpers.hold_in_child(name)
    with pytest.raises(FileExistsError):
        sa.create(name, 8)                             # held: taken
    del a
    child.kill()
    child.join(60)
    assert shm_exists(name)
    b = sa.create(name, 2)
    assert not b.base.transient and sa.stat(name).dims == (2,)
