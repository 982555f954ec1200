# sahelpers.py - helpers for the SharedArray tests, importable by child processes
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# multiprocessing's "spawn" children import their target by module name, so
# the functions they run live here rather than in a test module.
import errno
import itertools
import multiprocessing
import os
import signal
import struct
import subprocess
import sys

import numpy as np

import SharedArray as sa

_counter = itertools.count()

SHM_DIR = "/dev/shm"


def unique_name(tag="t"):
    """A bare shm name unique to this process and call."""
    return f"sa-pytest-{os.getpid()}-{tag}-{next(_counter)}"


def _shm_usable():
    """Whether POSIX shared memory works here.  glibc's shm_open(3) creates
    files in /dev/shm, which a build chroot may lack or not let its user
    write; the probe is the same open(2), not a call of the module."""
    probe = os.path.join(SHM_DIR, f"sa-pytest-probe-{os.getpid()}")
    try:
        os.close(os.open(probe, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        return False, (f"needs POSIX shared memory: cannot create objects in {SHM_DIR}"
                       f" here ({exc.strerror})")
    os.unlink(probe)
    return True, None


# False where shared memory is unusable: conftest.py then skips every test.
SHM_USABLE, NO_SHM_REASON = _shm_usable()


def _shm_listing_supported():
    try:
        sa.list()
    except OSError as exc:
        if exc.errno == errno.ENOTSUP:
            return False
        if not SHM_USABLE:  # nothing will run: whatever list() says
            return True
        raise
    return True


# False in a build configured --without-shm-dir: list() is then ENOTSUP.
LIST_SUPPORTED = _shm_listing_supported()
NO_LIST_REASON = "built --without-shm-dir: list() of shared memory is ENOTSUP"


def listed(name):
    """The entries of list() named NAME (a str), or None when list() is unsupported."""
    if not LIST_SUPPORTED:
        return None
    return [entry for entry in sa.list() if entry.name == name.encode()]


def shm_entries(name):
    """Entries of /dev/shm named NAME, or left behind while building it."""
    return [e for e in os.listdir(SHM_DIR) if e == name or e.startswith(".sa-tmp-")]


def mappings_of(path):
    """Lines of /proc/self/maps that map PATH."""
    with open("/proc/self/maps") as maps:
        return [line for line in maps if line.rstrip("\n").endswith(" " + path)]


def legacy_segment(data, typenum, itemsize, dims, slots=32):
    """What SharedArray 3.x writes: data, then its packed native trailer, of
    SLOTS dims: 32 (292 bytes) built against numpy 1.x, 64 (548) against 2.x."""
    trailer = struct.pack(f"=16sQiii{slots}q", b"[SharedArray]", len(data), typenum,
                          itemsize, len(dims), *dims, *([0] * (slots - len(dims))))
    return data + trailer


def run_python(code, *args, timeout=120):
    """Run CODE in a fresh interpreter with this environment (the build tree's module)."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, timeout=timeout, env=os.environ.copy())


# ---- targets of multiprocessing children --------------------------------------

def child_attach_write(name, index, value):
    """Attach NAME and store VALUE at INDEX."""
    a = sa.attach(name)
    a[index] = value


def child_write_inherited(array, index, value):
    """fork only: write into an array inherited from the parent."""
    array[index] = value


def child_check(name, expected):
    """Exit 0 when array NAME equals EXPECTED, else 1."""
    a = sa.attach(name, ro=True)
    sys.exit(0 if np.array_equal(a, expected) else 1)


def pool_square(args):
    """Pool worker: a[i] = i * i in array NAME; returns i."""
    name, i = args
    a = sa.attach(name)
    a[i] = i * i
    return i


def try_create(name):
    """Create NAME: 'created', 'exists', or the exception's repr."""
    try:
        sa.create(name, 1000)
        return "created"
    except FileExistsError:
        return "exists"
    except Exception as exc:  # reported to the parent, which fails the test
        return repr(exc)


def child_holds_until_told(name, ready, go):
    """Attach NAME, say so on READY, wait for GO, and end still holding it.

    multiprocessing ends its children with os._exit(): no reference is
    dropped, only its finalizers run."""
    held = sa.attach(name)
    ready.set()
    go.wait(60)
    globals().setdefault("_kept", []).append(held)


def child_holds_forever(name, ready):
    """Attach NAME, say so, and sleep until killed."""
    held = sa.attach(name)  # noqa: F841  (held until killed)
    ready.set()
    while True:
        signal.pause()


def hold_in_child(name):
    """A forked child that attaches NAME and holds it until killed."""
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    child = ctx.Process(target=child_holds_forever, args=(name, ready))
    child.start()
    assert ready.wait(60), "the child did not attach"
    return child


def pool_sum_transient(name):
    """Pool worker: attach transient NAME, return its sum (dropping it)."""
    return float(sa.attach(name, ro=True).sum())


def shm_exists(name):
    """Whether /dev/shm/NAME is there, whatever the library would say."""
    return os.path.lexists(os.path.join(SHM_DIR, name))
