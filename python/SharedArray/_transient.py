# _transient.py - letting go of transient arrays when a process ends
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A transient array (create(..., transient=True)) is removed as soon as no
# process holds it.  Dropping the last reference to it lets go, as for any
# array.  A process may also end holding it: at interpreter exit the
# references may outlive the teardown, and multiprocessing's children leave
# with os._exit(), running multiprocessing's finalizers but not atexit.
# Both end here, and let go of the holds while keeping the mappings
# (MapOwner._release, sa_release(3)): code that still runs, a daemon thread
# say, can touch the data without faulting.  A process killed, or one that
# leaves by os._exit() of its own, leaves the array to the next call that
# comes across it, or to "sharedarray prune".
#
# Nothing here is global to the library: only this module's state.
import atexit
import os
import weakref

_live = weakref.WeakSet()   # the MapOwners of transient arrays in this process
_finalizer_pid = None       # the process whose multiprocessing finalizer is set
_forks_hooked = False


class _Anchor:
    """What multiprocessing's after-fork registry keeps (weakly) for us."""


_anchor = _Anchor()


def _release_all():
    """Let go of every transient array this process holds; keep the mappings."""
    for owner in list(_live):
        try:
            owner._release()
        except OSError:
            pass
    _live.clear()


def _set_finalizer():
    global _finalizer_pid
    import multiprocessing.util as util

    _finalizer_pid = os.getpid()
    # Last of all the exit finalizers: whatever runs before may use the data.
    util.Finalize(None, _release_all, exitpriority=-(1 << 30))


def _after_fork(_anchor_object):
    # A multiprocessing child starts with the parent's finalizers dropped,
    # and the parent's holds inherited: they are its own to let go of.
    _set_finalizer()


def track(owner):
    """Called by the extension for each new MapOwner of a transient array."""
    global _forks_hooked
    _live.add(owner)
    if _finalizer_pid != os.getpid():
        _set_finalizer()
    if not _forks_hooked:
        import multiprocessing.util as util

        _forks_hooked = True
        util.register_after_fork(_anchor, _after_fork)


atexit.register(_release_all)
