# _copies.py - share_by_name(copy_threshold=N): ordinary arrays through a shared copy
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# An ordinary array of at least N bytes is copied into a new transient
# shared array, which is then sent by name.  A transient array vanishes
# when no process holds it any more, crash included (sa_create(3),
# SA_TRANSIENT): the sender must hold the copy until its receivers have
# attached it, or it vanishes in transit.  The sender holds it for as long
# as the array it copied lives in the sender (a weakref.finalize on that
# array), and lets it go when that array is garbage-collected or the
# process ends.
#
# The copy is written, and compared, through the segment's file
# (sa_pwrite(3), sa_pread(3)): the sender has no use for the copy's pages,
# and faulting 65,536 of them into its own mapping for 256 MiB costs
# several times what the kernel's copy does.
#
# The copy of an array object is made at its first send and sent again
# while the array's bytes are unchanged, so that a Pool.starmap of one
# large array over many tasks copies it once; a changed array is copied
# again (receivers must never get stale data), and its older copies stay
# held with it, as some may be in transit.
import itertools
import os
import secrets
import threading
import weakref

import numpy as np

from SharedArray import _ext, _share

_lock = threading.Lock()
_serial = itertools.count()
# id(array) -> _Copies of that array, while it lives.
_held = {}

# Bytes written or compared at a time, through a scratch buffer when the
# array is not contiguous.
_BLOCK = 1 << 22


class _Copies:
    """The copies of one array this process sent, and the array itself, weakly."""

    __slots__ = ("array", "copies")

    def __init__(self, array):
        self.array = weakref.ref(array)
        self.copies = []  # shared arrays, the latest last: the sender's holds


def reference_to_copy(array, threshold):
    """(rebuild, args) naming a transient shared copy of ARRAY, or None
    (too small, object dtype, or no copy could be made: pickle by value)."""
    if array.nbytes == 0 or array.nbytes < threshold or array.dtype.hasobject:
        return None
    copy = _copy_of(array)
    if copy is None:
        return None
    if not array.flags.writeable:
        copy = copy[...]
        copy.flags.writeable = False
    return _share.reference(copy)


def _copy_of(array):
    key = id(array)
    with _lock:
        held = _held.get(key)
        if held is None or held.array() is not array:
            held = _Copies(array)
            _held[key] = held
            weakref.finalize(array, _release, key, held)
        elif held.copies and _unchanged(held.copies[-1], array):
            return held.copies[-1]
    copy = _new_copy(array)
    if copy is not None:
        with _lock:
            held.copies.append(copy)
    return copy


def _release(key, held):
    """The array is gone: let its copies go (each vanishes with its last holder)."""
    with _lock:
        if _held.get(key) is held:
            del _held[key]
        held.copies.clear()


def _new_copy(array):
    from SharedArray import create

    order = "F" if array.flags.f_contiguous and not array.flags.c_contiguous else "C"
    for _ in range(3):
        name = f"sa-copy-{os.getpid()}-{next(_serial)}-{secrets.token_hex(4)}"
        try:
            copy = create(name, array.shape, array.dtype, order=order, transient=True)
        except FileExistsError:
            continue
        except (OSError, ValueError, TypeError):
            return None  # no room, or a dtype shared memory cannot take
        # create() gives structured dtypes no fields (as SharedArray 3.x).
        copy = copy.view(array.dtype)
        try:
            _write(copy, array)
        except OSError:
            return None  # no room for the pages (ENOSPC): the copy goes with us
        return copy
    return None


def _write(copy, array):
    """Put ARRAY's elements into COPY, through its file."""
    blocks, size = _blocks(copy, array)
    owner, scratch = _ext._owner_of(copy), None
    for offset, part in blocks:
        if not part.flags.c_contiguous:
            if scratch is None:
                scratch = np.empty(size, np.uint8)
            staged = _like(scratch, part)
            np.copyto(staged, part)
            part = staged
        _ext._pwrite(owner, offset, part)


def _unchanged(copy, array):
    """Whether ARRAY's bytes are still those of COPY (its copy): read back
    through the file block by block, and compared as unsigned integers (so
    that NaNs compare, and -0.0 differs from 0.0)."""
    if copy.shape != array.shape or copy.dtype != array.dtype:
        return False
    blocks, size = _blocks(copy, array)
    owner = _ext._owner_of(copy)
    scratch, same = np.empty(size, np.uint8), np.empty(size, bool)
    for offset, part in blocks:
        theirs = _like(scratch, part)
        try:
            _ext._pread(owner, offset, theirs)
        except OSError:
            return False  # its name was deleted: make another
        verdict = same[:part.size].reshape(part.shape)
        np.equal(theirs, part, out=verdict)
        if not verdict.all():
            return False
    return True


def _blocks(copy, array):
    """(blocks, the largest block's bytes): blocks are (byte offset in
    COPY's data, part of ARRAY's elements as unsigned integers) for
    consecutive stretches of COPY, in its order, of about _BLOCK bytes (one
    row of the first axis at least)."""
    source = array.T if copy.flags.f_contiguous and not copy.flags.c_contiguous else array
    bits = _as_bits(source)
    if bits.flags.c_contiguous:
        flat = bits.reshape(-1)
        step = max(1, _BLOCK // flat.itemsize)
        return (((start * flat.itemsize, flat[start:start + step])
                 for start in range(0, len(flat), step)),
                min(step, len(flat)) * flat.itemsize)
    row_bytes = bits.itemsize * int(np.prod(bits.shape[1:]))
    rows = max(1, _BLOCK // max(1, row_bytes))
    return (((start * row_bytes, bits[start:start + rows])
             for start in range(0, len(bits), rows)),
            min(rows, len(bits)) * row_bytes)


def _like(scratch, part):
    """A C-contiguous array shaped as PART over the first bytes of SCRATCH."""
    return scratch[:part.nbytes].view(part.dtype).reshape(part.shape)


def _as_bits(array):
    """ARRAY's elements as unsigned integers of the same size (any strides)."""
    if array.itemsize in (1, 2, 4, 8):
        return array.view(f"u{array.itemsize}")
    return array.view(np.dtype((np.uint8, array.itemsize)))


def held_names():
    """The names of the copies this process holds (for tests)."""
    with _lock:
        return sorted(_ext._owner_of(c).name for held in _held.values() for c in held.copies)
