# test_threads.py - the module lets other Python threads run during its system calls
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A ticker thread records time.monotonic() whenever it holds the GIL.  The
# main thread makes one slow library call (populating, or freeing, 256 MiB)
# between two readings of the clock.  Were the GIL held through the call,
# the ticker could record nothing in its middle: at most one switch interval
# at either end, before the main thread takes the GIL back.  The test looks
# only at the middle half of the call, so it cannot pass by that slack.
import gc
import os
import sys
import threading
import time

import numpy as np
import pytest

import SharedArray as sa

NBYTES = 256 << 20
SWITCH_INTERVAL = 0.001
MIN_CALL_SECONDS = 0.02   # margins of a quarter each: 5 ms, five switch intervals


class Ticker(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.stamps = []
        self.done = threading.Event()

    def run(self):
        last = 0.0
        while not self.done.is_set():
            now = time.monotonic()
            if now - last > 1e-4:   # bounded memory, still dense enough
                self.stamps.append(now)
                last = now


def ticks_during(call):
    """Run CALL with a ticker beside it: (seconds it took, ticks in its middle half)."""
    ticker = Ticker()
    ticker.start()
    while not ticker.stamps:
        time.sleep(0.001)
    t0 = time.monotonic()
    call()
    t1 = time.monotonic()
    ticker.done.set()
    ticker.join()
    quarter = (t1 - t0) / 4
    middle = [s for s in ticker.stamps if t0 + quarter < s < t1 - quarter]
    return t1 - t0, len(middle)


@pytest.fixture(autouse=True)
def short_switch_interval():
    old = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    yield
    sys.setswitchinterval(old)


@pytest.fixture
def room():
    vfs = os.statvfs("/dev/shm")
    if vfs.f_bavail * vfs.f_frsize < 2 * NBYTES:
        pytest.skip("/dev/shm has less than 512 MiB free")


def assert_released(what, call, attempts=5):
    """Some attempt must show ticks mid-call (the scheduler may starve one)."""
    seen = []
    for _ in range(attempts):
        seconds, ticks = call()
        if seconds < MIN_CALL_SECONDS:
            seen.append(f"{seconds * 1e3:.1f} ms (too short to judge)")
            continue
        if ticks > 0:
            return
        seen.append(f"{seconds * 1e3:.1f} ms, 0 ticks")
    if all("too short" in s for s in seen):
        pytest.skip(f"{what} runs too fast here to observe: {seen}")
    pytest.fail(f"no other thread ran during {what}: {seen}")


def test_create_releases_the_gil(shm_name, room):
    def one():
        name = shm_name("gil-create")
        box = []
        result = ticks_during(lambda: box.append(sa.create(name, NBYTES, np.uint8, populate=True)))
        del box
        gc.collect()
        sa.delete(name)
        return result

    assert_released("create(populate=True)", one)


def test_attach_releases_the_gil(shm_name, room):
    name = shm_name("gil-attach")
    sa.create(name, NBYTES, np.uint8, populate=True)  # dropped at once

    def one():
        box = []
        result = ticks_during(lambda: box.append(sa.attach(name, populate=True)))
        del box
        gc.collect()
        return result

    assert_released("attach(populate=True)", one)


def test_delete_releases_the_gil(shm_name, room):
    # The last reference goes with the name: delete frees 256 MiB itself.
    def one():
        name = shm_name("gil-delete")
        sa.create(name, NBYTES, np.uint8, populate=True)  # dropped at once
        gc.collect()
        return ticks_during(lambda: sa.delete(name))

    assert_released("delete() of a populated 256 MiB array", one)
