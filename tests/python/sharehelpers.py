# sharehelpers.py - what the worker processes of test_share.py run
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# spawn and forkserver children import their targets by module name: the
# functions they run live here, not in the test module.  Arrays come back
# to the parent as plain copies (np.array) or as reports (tuples of plain
# values), so that what the parent checks never depends on the feature
# under test unless the test means it to.
import os
import signal

import numpy as np

import SharedArray as sa
from SharedArray import _ext

TIMEOUT = 60


def is_shared(array):
    """Whether ARRAY's memory lies in an attached shared array."""
    try:
        _ext._owner_of(array)
    except TypeError:
        return False
    return True


def report(array):
    """What arrived: shared or not, the view's layout, and its values (a copy)."""
    return (type(array).__name__, is_shared(array), array.shape, array.strides,
            array.dtype, array.flags.writeable, np.array(array))


def report_and_write(args):
    """report(ARRAY), then ARRAY[INDEX] = VALUE (None: no write)."""
    array, index, value = args
    seen = report(array)
    if index is not None:
        array[index] = value
    return seen


def report_all(arrays):
    """report() of each array, and how many mappings of their segments this process has."""
    return [report(a) for a in arrays], mappings_of_owner(arrays[0])


def mappings_of_owner(array):
    """Lines of /proc/self/maps that map the segment ARRAY lies in."""
    owner = _ext._owner_of(array)
    dev, ino, _ = _ext._segment(owner)
    count = 0
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 5 and int(fields[4]) == ino and fields[4] != "0":
                count += 1
    return count


def view_of_received(array):
    """A worker's result that is a view of what it received, after writing into it."""
    array[0] = -7
    return array[1:]


def view_of_attached(name):
    """A worker's result that is a view of an array it attached itself."""
    return sa.attach(name)[2:]


def plain_result(n):
    """A worker's result that is an ordinary array."""
    return np.arange(n)


def try_set_writeable(array):
    """(writeable, whether setting writeable=True worked)."""
    before = array.flags.writeable
    try:
        array.flags.writeable = True
    except ValueError:
        return before, False
    return before, True


def receive_later(conn, go, results):
    """Wait for GO, then receive an array from CONN: report it or the error."""
    go.wait(TIMEOUT)
    try:
        array = conn.recv()
    except OSError as exc:
        results.put(("error", type(exc).__name__, exc.errno, exc.filename, str(exc)))
        return
    results.put(("array",) + report(array))


# ---- transports: a child receives an array by each route and reports it ----------

def process_target(array, results):
    """Process argument: report it and write 42 into its first element."""
    results.put(report(array))
    array.flat[0] = 42


def queue_target(queue, results):
    """Queue or SimpleQueue (which has no timeout: the parent puts at once)."""
    array = queue.get()
    results.put(report(array))
    array.flat[0] = 42


def pipe_target(conn, results):
    if not conn.poll(TIMEOUT):
        return
    array = conn.recv()
    results.put(report(array))
    array.flat[0] = 42
    conn.send(array[1:])  # a view comes back by the same route


def pool_task(array):
    seen = report(array)
    array.flat[0] = 42
    return seen, array[1:]


# ---- copy_threshold ---------------------------------------------------------------

_kept = []


def kill_self(array):
    """Die by SIGKILL holding ARRAY."""
    array.flat[0] = 1
    os.kill(os.getpid(), signal.SIGKILL)


def keep(array):
    """Hold ARRAY for as long as this process lives: (pid, its segment's name)."""
    _kept.append(array)
    return os.getpid(), _ext._owner_of(array).name


def copy_names(pid):
    """The transient copies that process PID made, as /dev/shm lists them."""
    prefix = f"sa-copy-{pid}-"
    return sorted(e for e in os.listdir("/dev/shm") if e.startswith(prefix))
