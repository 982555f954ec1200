# test_lock.py - SharedArray.lock(): the array's lock across processes and threads
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
import errno
import multiprocessing
import signal
import threading

import numpy as np
import pytest

import SharedArray as sa
import lockhelpers
from lockhelpers import HANG


def run_children(method, target, args_list):
    ctx = multiprocessing.get_context(method)
    children = [ctx.Process(target=target, args=args) for args in args_list]
    for child in children:
        child.start()
    for child in children:
        child.join(HANG)
        assert child.exitcode == 0, f"{method} child exited with {child.exitcode}"


def pool_map(method, target, args_list):
    with multiprocessing.get_context(method).Pool(len(args_list)) as pool:
        return pool.starmap(target, args_list)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_context_manager_excludes_other_processes(shm_name, method):
    name = shm_name()
    a = sa.create(name, 4, dtype=np.int64)
    rounds = 300
    run_children(method, lockhelpers.increment_under_lock, [(name, rounds)] * 4)
    assert a[0] == 4 * rounds


def test_forked_children_contend_through_an_inherited_mapping(shm_name):
    a = sa.create(shm_name(), 4, dtype=np.int64)
    with sa.lock(a):  # the parent has its descriptor before the fork
        pass
    run_children("fork", lockhelpers.increment_inherited, [(a, 200)] * 3)
    assert a[0] == 600
    # Held here: a child trying through its inherited copy must not get it.
    queue = multiprocessing.get_context("fork").Queue()
    with sa.lock(a):
        run_children("fork", lockhelpers.try_inherited, [(a, queue)])
    assert queue.get(timeout=HANG) is False


def test_shared_holders_together(shm_name):
    name = shm_name()
    a = sa.create(name, 3)
    with sa.lock(a, shared=True):
        results = pool_map("spawn", lockhelpers.try_lock,
                           [(name, True, 0), (name, False, 0.05)])
    assert results == ["taken", "timeout"]


def test_exclusive_excludes_everyone(shm_name):
    name = shm_name()
    a = sa.create(name, 3)
    with sa.lock(a):
        results = pool_map("spawn", lockhelpers.try_lock,
                           [(name, True, 0.05), (name, False, 0)])
    assert results == ["timeout", "timeout"]
    assert pool_map("spawn", lockhelpers.try_lock, [(name, False, HANG)]) == ["taken"]


def test_timeout_raises_timeout_error(shm_name):
    name = shm_name()
    a = sa.create(name, 3)
    b = sa.attach(name)  # another mapping contends as another process does
    with sa.lock(a):
        for timeout in (0, 0.02):
            with pytest.raises(TimeoutError) as info:
                with sa.lock(b, timeout=timeout):
                    pass
            assert info.value.errno == errno.ETIMEDOUT and info.value.filename == name
        with pytest.raises(TimeoutError):
            sa.lock(b).acquire(timeout=0.01)
        assert sa.lock(b).acquire(blocking=False) is False
    lock = sa.lock(b, timeout=0)
    assert lock.acquire(blocking=False) is True
    lock.release()
    assert lock.acquire() is True
    lock.release()


def test_views_and_read_only(shm_name):
    name = shm_name()
    a = sa.create(name, (4, 4))
    ro = sa.attach(name, ro=True)
    with sa.lock(a[1:, ::2].T):
        with pytest.raises(TimeoutError):
            sa.lock(ro, shared=True, timeout=0).acquire()
    with pytest.raises(PermissionError) as info:
        sa.lock(ro).acquire()
    assert info.value.errno == errno.EPERM and info.value.filename == name
    with sa.lock(ro[2], shared=True) as held:
        assert held.shared
    with pytest.raises(TypeError):
        sa.lock(np.zeros(3))
    with pytest.raises(TypeError):
        sa.lock(a, timeout="1")


def test_not_reentrant_and_owned_by_its_thread(shm_name):
    name = shm_name()
    a = sa.create(name, 3)
    lock = sa.lock(a)
    with pytest.raises(OSError) as info:
        lock.release()
    assert info.value.errno == errno.ENOLCK and info.value.filename == name
    with lock:
        with pytest.raises(OSError) as info:
            sa.lock(a, shared=True).acquire()
        assert info.value.errno == errno.EDEADLK
        errors = []
        thread = threading.Thread(target=lambda: errors.append(catch(lock.release)))
        thread.start()
        thread.join(HANG)
        assert errors == [errno.EPERM]


def catch(function):
    try:
        function()
    except OSError as exc:
        return exc.errno
    return None


def test_threads_exclude_each_other_and_the_gil_is_released(shm_name):
    a = sa.create(shm_name(), 1, dtype=np.int64)
    lock = sa.lock(a)
    taken = threading.Event()

    def worker():
        with lock:
            taken.set()
            value = int(a[0])
            a[0] = value + 1

    with lock:
        thread = threading.Thread(target=worker)
        thread.start()
        # The worker waits in the library with the GIL released: this runs.
        assert not taken.wait(0.1)
        a[0] = 10
    thread.join(HANG)
    assert taken.is_set() and a[0] == 11


def test_attributes(shm_name):
    name = shm_name()
    a = sa.create(name, 2)
    lock = sa.lock(a, shared=True, timeout=1.5)
    assert lock.shared is True and lock.timeout == 1.5 and lock.owner is a.base
    assert repr(lock) == f"<SharedArray.Lock of {name!r}, shared>"
    assert sa.lock(a).timeout is None and sa.lock(a, timeout=-1).timeout is None
    assert isinstance(lock, sa.Lock)
    with pytest.raises(ValueError):
        lock.acquire(blocking=False, timeout=1)
    with pytest.raises(OverflowError):
        sa.lock(a, timeout=1e12)


@pytest.mark.parametrize("timeout", ["none", "30"])
def test_ctrl_c_while_waiting_raises_keyboard_interrupt(shm_name, timeout):
    name = shm_name()
    a = sa.create(name, 3)
    with sa.lock(a):
        status, out, err = lockhelpers.signal_while_blocked(
            lockhelpers.BLOCK_IN_LOCK, (name, timeout), signal.SIGINT)
    assert status == 0, err
    assert out == "interrupted\n"


def test_signal_handlers_run_and_the_wait_goes_on(shm_name):
    name = shm_name()
    lock = sa.lock(sa.create(name, 3))
    lock.acquire()
    status, out, err = lockhelpers.signal_while_blocked(
        lockhelpers.SURVIVE_SIGNALS, (name, "lock"), signal.SIGUSR1, times=3, then=lock.release)
    assert status == 0, err
    assert out.splitlines()[0] == "acquired"
    assert int(out.splitlines()[1].split()[1]) >= 1


# ---- create(..., exist_ok=True) -----------------------------------------------

def test_exist_ok_returns_the_existing_array(shm_name):
    name = shm_name()
    a = sa.create(name, (3, 4), dtype=np.int32, order="F", exist_ok=True)
    b = sa.create(name, (3, 4), dtype=np.int32, order="F", exist_ok=True)
    assert np.shares_memory(a, b) is False  # two mappings of one array
    b[1, 2] = 7
    assert a[1, 2] == 7 and b.flags.writeable and b.flags.f_contiguous
    with pytest.raises(FileExistsError):
        sa.create(name, (3, 4), dtype=np.int32, order="F")


@pytest.mark.parametrize("kwargs", [dict(shape=(4, 3)), dict(dtype=np.float64),
                                    dict(order="C"), dict(dtype=">i4")])
def test_exist_ok_names_what_is_there(shm_name, kwargs):
    name = shm_name()
    sa.create(name, (3, 4), dtype=np.int32, order="F")
    args = dict(shape=(3, 4), dtype=np.int32, order="F")
    args.update(kwargs)
    with pytest.raises(FileExistsError) as info:
        sa.create(name, args.pop("shape"), exist_ok=True, **args)
    assert info.value.errno == errno.EEXIST and info.value.filename == name
    assert "dtype int32, shape (3, 4), order 'F'" in str(info.value)
    assert sa.attach(name).dtype == np.int32  # left as it was


def test_exist_ok_refuses_what_is_no_array(tmp_path):
    path = tmp_path / "junk"
    path.write_bytes(b"no trailer here")
    with pytest.raises(OSError) as info:
        sa.create(f"file://{path}", 3, exist_ok=True)
    assert info.value.errno == errno.EBADMSG
    assert path.read_bytes() == b"no trailer here"


def test_exist_ok_racers_end_with_one_array(shm_name):
    name = shm_name()
    shapes = pool_map("spawn", lockhelpers.create_or_attach, [(name, i) for i in range(8)])
    assert shapes == [(8,)] * 8
    assert sa.attach(name).tolist() == list(range(1, 9))
