# Type stubs for SharedArray, the CPython module of libsharedarray.
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Share numpy arrays between processes, by name."""

import os
from typing import Any, Final, Literal, Optional, Sequence, SupportsIndex, Tuple, Type, Union, final

import numpy as np
from numpy.typing import DTypeLike, NDArray

_Name = Union[str, bytes, os.PathLike[str], os.PathLike[bytes]]
_Shape = Union[SupportsIndex, Sequence[SupportsIndex]]

__version__: Final[str]
library_version: Final[str]

MS_ASYNC: Final[int]
MS_SYNC: Final[int]
MS_INVALIDATE: Final[int]

@final
class MapOwner:
    """The owner of one mapping: the .base of the arrays create() and attach() return."""

    @property
    def name(self) -> str: ...
    @property
    def addr(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def readonly(self) -> bool: ...
    def msync(self, flags: int) -> None: ...
    def mlock(self) -> None: ...
    def munlock(self) -> None: ...
    def __buffer__(self, flags: int, /) -> memoryview: ...

@final
class ArraySizeError(OSError, ValueError):
    """create(): no room for the array (ENOSPC), or its size overflows (EOVERFLOW)."""

class ArrayDesc(Tuple[bytes, Type[np.generic], Tuple[int, ...]]):
    """An array's description, as list() and stat() return it."""

    n_sequence_fields: Final[int]
    n_fields: Final[int]
    n_unnamed_fields: Final[int]
    @property
    def name(self) -> bytes: ...
    @property
    def dtype(self) -> Type[np.generic]: ...
    @property
    def dims(self) -> Tuple[int, ...]: ...
    @property
    def full_dtype(self) -> np.dtype[Any]: ...
    @property
    def typestr(self) -> str: ...
    @property
    def itemsize(self) -> int: ...
    @property
    def nbytes(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def segment_size(self) -> int: ...
    @property
    def order(self) -> Literal["C", "F"]: ...
    @property
    def mode(self) -> int: ...
    @property
    def uid(self) -> int: ...
    @property
    def gid(self) -> int: ...
    @property
    def mtime(self) -> int: ...
    @property
    def format(self) -> int: ...

def create(
    name: _Name,
    shape: _Shape,
    dtype: DTypeLike = float,
    order: Literal["C", "F"] = "C",
    mode: Optional[int] = None,
    reserve: bool = False,
    populate: bool = False,
) -> NDArray[Any]:
    """Create a new zero-filled shared array NAME; FileExistsError if taken."""

def attach(name: _Name, ro: bool = False, populate: bool = False) -> NDArray[Any]:
    """Attach the existing array NAME, zero-copy; FileNotFoundError if missing."""

def delete(name: _Name) -> None:
    """Remove the name NAME; attached arrays stay valid until dropped."""

def list(directory: Optional[_Name] = None) -> Tuple[ArrayDesc, ...]:
    """The arrays in /dev/shm, or the file:// arrays in DIRECTORY."""

def stat(name: _Name) -> ArrayDesc:
    """The description of array NAME, without attaching it."""

def share_by_name(enable: bool = True, copy_threshold: Optional[int] = None) -> None:
    """Send shared arrays (and views of them) through multiprocessing by name.

    After it, a numpy.ndarray whose memory lies in a shared array travels
    through multiprocessing (Process arguments, Pool and ProcessPoolExecutor
    tasks and results, Queue, SimpleQueue, Pipe; fork, spawn, forkserver) and
    joblib (loky, multiprocessing) as a reference: the receiver attaches it
    and gets the same view, read-only if the sender's was.  With
    COPY_THRESHOLD, ordinary arrays of at least that many bytes are copied
    once into a transient shared array and sent by reference too.  Other
    objects, ndarray subclasses and pickle.dumps() are unchanged.  A name
    deleted before the receiver attaches raises FileNotFoundError there.
    share_by_name(False) turns it off.
    """
