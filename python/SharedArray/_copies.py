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
    owner = _ext._owner_of(copy)
    for offset, block in _blocks(copy, array):
        _ext._pwrite(owner, offset, block)


def _unchanged(copy, array):
    """Whether ARRAY's bytes are still those of COPY (its copy), read back
    through the file (so that NaNs compare, and -0.0 differs from 0.0)."""
    if copy.shape != array.shape or copy.dtype != array.dtype:
        return False
    owner = _ext._owner_of(copy)
    try:
        return all(_ext._pcompare(owner, offset, block)
                   for offset, block in _blocks(copy, array))
    except OSError:
        return False  # its name was deleted: make another


def _blocks(copy, array):
    """(byte offset in COPY's data, C-contiguous block of ARRAY's bytes)
    for consecutive stretches of COPY, in its order, of about _BLOCK bytes
    (one row of the first axis at least).  A block of a non-contiguous
    ARRAY is staged in a scratch buffer, valid until the next one."""
    source = array.T if copy.flags.f_contiguous and not copy.flags.c_contiguous else array
    bits = _as_bits(source)
    if bits.flags.c_contiguous:
        flat = bits.reshape(-1)
        step = max(1, _BLOCK // flat.itemsize)
        for start in range(0, len(flat), step):
            yield start * flat.itemsize, flat[start:start + step]
        return
    row_bytes = bits.itemsize * int(np.prod(bits.shape[1:]))
    rows = max(1, _BLOCK // max(1, row_bytes))
    scratch = np.empty(min(rows, len(bits)) * row_bytes, np.uint8)
    for start in range(0, len(bits), rows):
        part = bits[start:start + rows]
        staged = scratch[:part.nbytes].view(part.dtype).reshape(part.shape)
        np.copyto(staged, part)
        yield start * row_bytes, staged


def _as_bits(array):
    """ARRAY's elements as unsigned integers of the same size (any strides)."""
    if array.itemsize in (1, 2, 4, 8):
        return array.view(f"u{array.itemsize}")
    return array.view(np.dtype((np.uint8, array.itemsize)))


def held_names():
    """The names of the copies this process holds (for tests)."""
    with _lock:
        return sorted(_ext._owner_of(c).name for held in _held.values() for c in held.copies)
