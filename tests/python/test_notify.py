# test_notify.py - SharedArray.notify(), wait(), generation() across processes
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
from test_interop import legacy_segment


def test_generation_counts_notifications(shm_name):
    a = sa.create(shm_name(), (2, 3))
    assert sa.generation(a) == 0
    sa.notify(a)
    sa.notify(a[1])
    assert sa.generation(a[:, 1:]) == 2
    assert sa.wait(a, 0) == 2  # differs already: at once
    assert sa.wait(a, 7, timeout=0) == 2


def test_timeout_raises_timeout_error(shm_name):
    name = shm_name()
    a = sa.create(name, 3)
    for timeout in (0, 0.02):
        with pytest.raises(TimeoutError) as info:
            sa.wait(a, sa.generation(a), timeout=timeout)
        assert info.value.errno == errno.ETIMEDOUT and info.value.filename == name


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_wakes_another_process(shm_name, method):
    name = shm_name()
    a = sa.create(name, 3)
    ctx = multiprocessing.get_context(method)
    queue = ctx.Queue()
    child = ctx.Process(target=lockhelpers.wait_for_change, args=(name, 0, queue))
    child.start()
    a[0] = 5
    sa.notify(a)
    assert queue.get(timeout=HANG) == 1
    child.join(HANG)
    assert child.exitcode == 0


def test_wakes_a_thread_and_the_gil_is_released(shm_name):
    a = sa.create(shm_name(), 3)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(sa.wait(a, 0, timeout=HANG)))
    thread.start()
    thread.join(0.1)  # the waiter sleeps with the GIL released: this runs
    sa.notify(a)
    thread.join(HANG)
    assert seen == [1]


def test_read_only_waits_but_does_not_notify(shm_name):
    name = shm_name()
    a = sa.create(name, 3)
    ro = sa.attach(name, ro=True)
    with pytest.raises(PermissionError) as info:
        sa.notify(ro)
    assert info.value.errno == errno.EPERM and info.value.filename == name
    sa.notify(a)
    assert sa.wait(ro, 0) == 1 and sa.generation(ro) == 1


def test_arguments(shm_name):
    a = sa.create(shm_name(), 3)
    with pytest.raises(TypeError):
        sa.notify(np.zeros(3))
    with pytest.raises(TypeError):
        sa.wait(a, 1.5)
    with pytest.raises(OverflowError):
        sa.wait(a, -1)
    with pytest.raises(ValueError):
        sa.wait(a, 0, timeout=float("nan"))


def test_segment_without_room_for_a_counter(shm_name):
    name = shm_name()
    with open(f"/dev/shm/{name}", "wb") as f:  # SharedArray 3.x, 32 dims used
        f.write(legacy_segment(b"\0" * 4, 2, 1, (4,) + (1,) * 31))  # NPY_UBYTE
    a = sa.attach(name)
    assert a.shape == (4,) + (1,) * 31 and sa.generation(a) == 0
    for call in (lambda: sa.notify(a), lambda: sa.wait(a, 0)):
        with pytest.raises(OSError) as info:
            call()
        assert info.value.errno == errno.ENOTSUP and info.value.filename == name


def test_segment_of_the_original_with_room(shm_name):
    name = shm_name()
    with open(f"/dev/shm/{name}", "wb") as f:
        f.write(legacy_segment(np.arange(4.0).tobytes(), 12, 8, (4,)))  # NPY_DOUBLE
    a = sa.attach(name)
    sa.notify(a)
    assert sa.generation(sa.attach(name, ro=True)) == 1
    assert a.tolist() == [0.0, 1.0, 2.0, 3.0]


@pytest.mark.parametrize("timeout", ["none", "30"])
def test_ctrl_c_while_waiting_raises_keyboard_interrupt(shm_name, timeout):
    name = shm_name()
    sa.create(name, 3)
    status, out, err = lockhelpers.signal_while_blocked(
        lockhelpers.BLOCK_IN_WAIT, (name, timeout), signal.SIGINT)
    assert status == 0, err
    assert out == "interrupted\n"


def test_signal_handlers_run_and_the_wait_goes_on(shm_name):
    name = shm_name()
    a = sa.create(name, 3)
    status, out, err = lockhelpers.signal_while_blocked(
        lockhelpers.SURVIVE_SIGNALS, (name, "wait", "0"), signal.SIGUSR1, times=3,
        then=lambda: sa.notify(a))
    assert status == 0, err
    assert out.splitlines()[0] == "notified"
    assert int(out.splitlines()[1].split()[1]) >= 1
