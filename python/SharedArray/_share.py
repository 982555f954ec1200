# _share.py - numpy arrays that travel through multiprocessing by name
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# multiprocessing pickles what it sends with its own pickler class,
# multiprocessing.reduction.ForkingPickler, whose dispatch table takes
# reducers by type (ForkingPickler.register).  share_by_name() registers
# one for numpy.ndarray there, and only there: pickle.dumps() and every
# other pickler are unchanged.  The reducer turns a view of a shared array
# into (name, identity, where the view lies in the data), and the receiver
# attaches the name and rebuilds the view over its own mapping.
#
# The identity is the segment's device and inode number (sa_identity(3)):
# a name can be deleted and given to another array between sending and
# receiving, and the receiver must then fail, not read the other array.
import errno
import threading
import weakref

import numpy as np

from SharedArray import _ext

_lock = threading.RLock()


class _State:
    """What share_by_name() set in this process (inherited by fork)."""

    # None: never set here, so receiving a reference switches sharing on;
    # True or False: share_by_name() said so.
    enabled = None
    copy_threshold = None
    # What ForkingPickler had for numpy.ndarray before us (normally nothing).
    previous_reducer = None


# (dev, ino, read-only) -> weak reference to the MapOwner of a mapping of
# that segment in this process: one that rebuilt received views (the 1,000
# slices of one array sent in a batch attach it once), or one whose views
# were sent (views that come back land in it).  Weak: a mapping goes when
# the last view of it does, as any attachment's.
_attachments = {}


def share_by_name(enable=True, copy_threshold=None):
    """Send shared arrays through multiprocessing by name, not by value.

    After share_by_name(), a numpy array whose memory lies in a shared
    array -- an array that create() or attach() returned, or any view or
    slice of one -- travels through multiprocessing as a reference: its
    name, the segment's identity and where the view lies.  That holds for
    Process arguments (spawn and forkserver; fork children inherit memory
    anyway), Pool and ProcessPoolExecutor tasks and results, Queue,
    SimpleQueue, Pipe and managers, with the fork, spawn and forkserver
    start methods.  The receiver attaches the array (zero-copy, mapped
    once however many views arrive) and gets the same view: offset, shape,
    strides, dtype (structured, byte-swapped...), read-only if the sender's
    was (then attached read-only, so it cannot be made writable).  Writes
    on either side are seen by the other.

    Receiving a reference switches sharing on in the receiving process
    (unless it called share_by_name(False)), so a worker's results that are
    views of arrays it received travel back by reference without the
    worker calling anything.  So do results of workers forked after this
    call.  A spawn or forkserver worker that attaches arrays itself and has
    received none sends its results by value unless it calls
    share_by_name() too (in the pool's initializer, say).

    joblib.Parallel, with the loky and the multiprocessing backends, sends
    shared arrays by reference too (loky: through LOKY_PICKLER's hook, a
    pickler whose reducer_override comes before joblib's own reducers;
    multiprocessing: the backend is registered again, passing reducers that
    come before joblib's).  Ordinary arrays are left to joblib's own
    memory-mapping (max_nbytes).  If joblib is imported later, it is hooked
    then.

    Not by reference, pickled as before:
      - arrays whose memory is not in a shared array (unless copy_threshold
        says otherwise), and numpy scalars (a[0, 0] is a scalar);
      - a shared array whose name was deleted, or now names another array,
        while this process still has it attached: the name would reach
        another array or none, so it goes by value;
      - subclasses of numpy.ndarray (numpy.memmap, numpy.matrix, masked
        arrays), which keep their own pickling;
      - anything pickled outside multiprocessing: pickle.dumps() is
        unchanged, and a pickle written to a file stays self-contained.

    A reference names an array that must still exist when the receiver
    unpickles it: if the name was deleted meanwhile (or given to another
    array), the receiver raises FileNotFoundError naming the array, never
    returns other data.  Delete shared arrays after their receivers have
    attached them.

    COPY_THRESHOLD=N (bytes, an int >= 0) also sends ordinary arrays of at
    least N bytes by reference: each is first copied into a new transient
    shared array (create(transient=True)), which vanishes when no process
    holds it any more, crash included.  An array is copied the first time
    it is sent, and that copy is sent again while the array's contents are
    unchanged (a changed array is copied again: receivers never get stale
    data).  The sender holds the copies of an array as long as that array
    lives in the sender, and lets them go when it is garbage-collected or
    the sender exits or dies: keep an array referenced until its receiver
    has it (Pool.map and ProcessPoolExecutor hold their arguments until
    the results are in; a temporary put on a Queue is not held).  Receivers
    work on the copy: their writes are seen by other holders of the copy,
    not in the array that was sent.  Workers that merely received
    references return ordinary arrays by value.

    share_by_name(False) turns all of this off in this process: arrays
    pickle by value again and joblib is given back its own behaviour.
    Raises TypeError or ValueError for a bad ENABLE or COPY_THRESHOLD,
    changing nothing.
    """
    if not isinstance(enable, (bool, np.bool_)):
        raise TypeError(f"share_by_name(): enable must be True or False, not {enable!r}")
    if copy_threshold is not None:
        if isinstance(copy_threshold, (bool, np.bool_)) or not hasattr(copy_threshold,
                                                                       "__index__"):
            raise TypeError("share_by_name(): copy_threshold must be None or an int, "
                            f"not {copy_threshold!r}")
        copy_threshold = copy_threshold.__index__()
        if copy_threshold < 0:
            raise ValueError(f"share_by_name(): copy_threshold must be >= 0, not "
                             f"{copy_threshold}")
        if not enable:
            raise ValueError("share_by_name(False) takes no copy_threshold")
    with _lock:
        if enable:
            _enable(copy_threshold)
        else:
            _disable()


def _enable(copy_threshold):
    from multiprocessing.reduction import ForkingPickler

    if not _State.enabled:
        _State.previous_reducer = _forking_reducers(ForkingPickler).get(np.ndarray)
        ForkingPickler.register(np.ndarray, _reduce)
    _State.enabled = True
    _State.copy_threshold = copy_threshold
    _hook_joblib()


def _disable():
    from multiprocessing.reduction import ForkingPickler

    if _State.enabled:
        reducers = _forking_reducers(ForkingPickler)
        if reducers.get(np.ndarray) is _reduce:
            if _State.previous_reducer is None:
                del reducers[np.ndarray]
            else:
                reducers[np.ndarray] = _State.previous_reducer
    _State.enabled = False
    _State.copy_threshold = None
    _unhook_joblib()


def _forking_reducers(pickler_class):
    # ForkingPickler.register() stores into this class dictionary; the
    # standard library has no unregister, so share_by_name(False) takes the
    # entry out again here.
    return pickler_class._extra_reducers


def _enable_on_receipt():
    """A process that receives a reference sends its views back the same way."""
    if _State.enabled is None:
        with _lock:
            if _State.enabled is None:
                _enable(None)


# ---- sending ------------------------------------------------------------------

def _reduce(array):
    """ForkingPickler's reducer for numpy.ndarray (exactly that type)."""
    reduced = reference(array)
    if reduced is None and _State.copy_threshold is not None:
        from SharedArray import _copies

        reduced = _copies.reference_to_copy(array, _State.copy_threshold)
    if reduced is None:
        # As ForkingPickler would have pickled it without us: it pickles with
        # the default protocol.
        import pickle

        reduced = array.__reduce_ex__(pickle.DEFAULT_PROTOCOL)
    return reduced


def reference(array):
    """(rebuild, args) naming the shared array that holds ARRAY, or None.

    None when ARRAY's memory is not in an attached shared array, or when
    the mapping's name no longer names the segment it maps (deleted, or
    given to another array): a reference would then reach another array or
    none."""
    try:
        owner = _ext._owner_of(array)
    except TypeError:
        return None
    dev, ino, data = _ext._segment(owner)
    name = owner.name
    try:
        if _ext._named_segment(name) != (dev, ino):
            return None
    except OSError:
        return None
    # Views of this array that come back (a worker's results) land in this
    # mapping rather than a second one.
    _remember(owner, (dev, ino))
    # A view without elements may point anywhere: it needs no offset.
    offset = array.__array_interface__["data"][0] - data if array.size else 0
    return _rebuild, (name, dev, ino, not array.flags.writeable, offset, array.shape,
                      array.strides, array.dtype)


# ---- receiving ------------------------------------------------------------------

def _rebuild(name, dev, ino, readonly, offset, shape, strides, dtype):
    """The view a reference describes, over this process's own mapping."""
    _enable_on_receipt()
    owner = _attachment(name, (dev, ino), readonly)
    return np.ndarray(shape, dtype, buffer=owner, offset=offset, strides=strides)


def _gone(name, why):
    return FileNotFoundError(
        errno.ENOENT,
        f"shared array sent by name is gone: {why} before this process attached it "
        "(delete shared arrays only after their receivers have them)", name)


def _attachment(name, identity, readonly):
    """The MapOwner of an attachment of segment IDENTITY, reached by NAME.

    A cached attachment is used only while NAME still names its segment:
    a receiver must not get data through a name that was deleted."""
    key = identity + (bool(readonly),)
    ref = _attachments.get(key)
    owner = ref() if ref is not None else None
    if owner is not None:
        try:
            now = _ext._named_segment(name)
        except FileNotFoundError:
            raise _gone(name, "the name was deleted") from None
        if now != identity:
            raise _gone(name, "the name was deleted and given to another array")
        return owner
    from SharedArray import attach

    try:
        owner = _ext._owner_of(attach(name, ro=bool(readonly)))
    except FileNotFoundError:
        raise _gone(name, "the name was deleted") from None
    if _ext._segment(owner)[:2] != identity:
        raise _gone(name, "the name was deleted and given to another array")
    _remember(owner, identity)
    return owner


def _remember(owner, identity):
    key = identity + (owner.readonly,)
    ref = _attachments.get(key)
    if ref is None or ref() is not owner:
        _attachments[key] = weakref.ref(owner, lambda dead, key=key: _forget(key, dead))


def _forget(key, dead):
    # Only this entry: another thread may have cached a newer attachment.
    if _attachments.get(key) is dead:
        _attachments.pop(key, None)


# ---- joblib ---------------------------------------------------------------------
#
# Importing joblib takes the better part of a second: it is hooked (by
# SharedArray._joblib) when the program has imported it, now or later,
# never imported for that.

class _JoblibWatcher:
    """A sys.meta_path finder that hooks joblib once it has been imported."""

    def __init__(self):
        self.busy = False

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "joblib" or self.busy:
            return None
        import importlib.util

        self.busy = True
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self.busy = False
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        exec_module = spec.loader.exec_module

        def exec_then_hook(module):
            exec_module(module)
            with _lock:
                _stop_watching()
                if _State.enabled:
                    _hook_joblib()

        spec.loader.exec_module = exec_then_hook
        return spec


_watcher = []


def _stop_watching():
    import sys

    while _watcher:
        watcher = _watcher.pop()
        if watcher in sys.meta_path:
            sys.meta_path.remove(watcher)


def _hook_joblib():
    import sys

    if "joblib" in sys.modules:
        _stop_watching()
        try:
            from SharedArray import _joblib
            _joblib.hook()
        except Exception as exc:  # joblib changed: sharing through it is lost, not the import
            import warnings
            warnings.warn(f"SharedArray.share_by_name(): cannot hook joblib ({exc!r}): "
                          "joblib sends shared arrays as it always did", RuntimeWarning)
    elif not _watcher:
        _watcher.append(_JoblibWatcher())
        sys.meta_path.insert(0, _watcher[0])


def _unhook_joblib():
    import sys

    _stop_watching()
    if "SharedArray._joblib" in sys.modules:
        sys.modules["SharedArray._joblib"].unhook()
