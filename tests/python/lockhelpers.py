# lockhelpers.py - what the children of the lock and notify tests run
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# multiprocessing's "spawn" children import their target by module name;
# fresh interpreters (subprocess) run the code strings below.
import os
import sys
import time

import numpy as np

import SharedArray as sa

# Every wait of a test is bounded: only a hang reaches this.
HANG = 60


def increment_under_lock(name, rounds):
    """rounds times: a[0] += 1 with a gap between the read and the write."""
    a = sa.attach(name)
    lock = sa.lock(a[:1])
    for i in range(rounds):
        with lock:
            value = int(a[0])
            if i % 8 == 0:
                time.sleep(0)
            a[0] = value + 1


def increment_inherited(array, rounds):
    """fork only: the same through the parent's own mapping, inherited."""
    for _ in range(rounds):
        with sa.lock(array):
            value = int(array[0])
            time.sleep(0)
            array[0] = value + 1


def try_lock(name, shared, timeout):
    """'taken', 'timeout', or the exception's repr."""
    a = sa.attach(name, ro=shared)
    try:
        with sa.lock(a, shared=shared, timeout=timeout):
            return "taken"
    except TimeoutError:
        return "timeout"
    except Exception as exc:  # reported to the parent, which fails the test
        return repr(exc)


def try_inherited(array, queue):
    """fork only: try the parent's lock through the inherited mapping."""
    lock = sa.lock(array)
    queue.put(lock.acquire(blocking=False))


def create_or_attach(name, index):
    """exist_ok=True at once with the others; mark slot INDEX."""
    a = sa.create(name, 8, dtype=np.int64, exist_ok=True)
    a[index] = index + 1
    return a.shape


def wait_for_change(name, seen, queue):
    """The generation wait() returns, read-only."""
    a = sa.attach(name, ro=True)
    queue.put(sa.wait(a, seen, timeout=HANG))


# Fresh interpreters for the signal tests: ARGV is NAME.  They print
# "waiting" before they block, then what ended the wait.  Python raises
# KeyboardInterrupt only where SIGINT was not ignored when it started, and
# test runners may start it so (autopkgtest does): Ctrl-C's handler is set
# here, as an interactive start would have it.
BLOCK_IN_LOCK = """
import signal, sys, SharedArray as sa
signal.signal(signal.SIGINT, signal.default_int_handler)
a = sa.attach(sys.argv[1])
lock = sa.lock(a, timeout=None if sys.argv[2] == "none" else float(sys.argv[2]))
print("waiting", flush=True)
try:
    lock.acquire()
    print("acquired", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""

BLOCK_IN_WAIT = """
import signal, sys, SharedArray as sa
signal.signal(signal.SIGINT, signal.default_int_handler)
a = sa.attach(sys.argv[1], ro=True)
timeout = None if sys.argv[2] == "none" else float(sys.argv[2])
seen = sa.generation(a)
print("waiting", flush=True)
try:
    print("generation", sa.wait(a, seen, timeout=timeout), flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""

# A handler that does not raise: the wait goes on (PEP 475).
SURVIVE_SIGNALS = """
import signal, sys, SharedArray as sa
caught = []
signal.signal(signal.SIGUSR1, lambda *args: caught.append(1))
a = sa.attach(sys.argv[1])
print("waiting", flush=True)
if sys.argv[2] == "lock":
    with sa.lock(a, timeout=60):
        print("acquired", flush=True)
else:
    sa.wait(a, int(sys.argv[3]), timeout=60)
    print("notified", flush=True)
print("signals", len(caught), flush=True)
"""


def asleep(pid):
    """Whether process PID sleeps in a system call now (state S in /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "S"
    except OSError:
        return False


def wait_until_asleep(pid, limit=HANG):
    """Poll until PID sleeps (in the lock or the wait it announced)."""
    deadline = time.monotonic() + limit
    while not asleep(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)


def python_child(code, *args):
    """Start CODE in a fresh interpreter, stdout a pipe of text lines."""
    import subprocess
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=os.environ.copy())


def signal_while_blocked(code, args, sig, times=1, then=None):
    """Run CODE (it prints "waiting" before it blocks); send SIG TIMES times,
    each once it sleeps; call THEN; return its status and its output after
    "waiting"."""
    child = python_child(code, *args)
    try:
        assert child.stdout.readline() == "waiting\n"
        for _ in range(times):
            wait_until_asleep(child.pid)
            child.send_signal(sig)
        if then:
            wait_until_asleep(child.pid)
            then()
        out, err = child.communicate(timeout=HANG)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return child.returncode, out, err
