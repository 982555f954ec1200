# Type stubs for SharedArray, the CPython module of libsharedarray.
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Share numpy arrays between processes, by name."""

import os
from types import TracebackType
from typing import Any, Final, List, Literal, Optional, Sequence, SupportsIndex, Tuple, Type, Union, final

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
    @property
    def transient(self) -> bool: ...
    def msync(self, flags: int) -> None: ...
    def mlock(self) -> None: ...
    def munlock(self) -> None: ...
    def __buffer__(self, flags: int, /) -> memoryview: ...

@final
class Lock:
    """The lock of one shared array, as lock() returns it: a context manager."""

    @property
    def shared(self) -> bool: ...
    @property
    def timeout(self) -> Optional[float]: ...
    @property
    def owner(self) -> MapOwner: ...
    def acquire(self, blocking: bool = True, timeout: Optional[float] = None) -> bool: ...
    def release(self) -> None: ...
    def __enter__(self) -> "Lock": ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
        /,
    ) -> Literal[False]: ...

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
    @property
    def transient(self) -> bool: ...

def create(
    name: _Name,
    shape: _Shape,
    dtype: DTypeLike = float,
    order: Literal["C", "F"] = "C",
    mode: Optional[int] = None,
    reserve: bool = False,
    populate: bool = False,
    exist_ok: bool = False,
    transient: bool = False,
) -> NDArray[Any]:
    """Create a new zero-filled shared array NAME; FileExistsError if taken.

    With exist_ok=True, an array of the same dtype, shape and order already
    there is attached and returned instead."""

def attach(name: _Name, ro: bool = False, populate: bool = False) -> NDArray[Any]:
    """Attach the existing array NAME, zero-copy; FileNotFoundError if missing."""

def delete(name: _Name) -> None:
    """Remove the name NAME; attached arrays stay valid until dropped."""

def list(directory: Optional[_Name] = None) -> Tuple[ArrayDesc, ...]:
    """The arrays in /dev/shm, or the file:// arrays in DIRECTORY."""

def stat(name: _Name) -> ArrayDesc:
    """The description of array NAME, without attaching it."""

def lock(array: NDArray[Any], shared: bool = False, timeout: Optional[float] = None) -> Lock:
    """The lock of the shared array ARRAY's memory lies in; TimeoutError on timeout."""

def notify(array: NDArray[Any]) -> None:
    """Add 1 to the array's generation counter and wake every waiter."""

def wait(array: NDArray[Any], generation: int, timeout: Optional[float] = None) -> int:
    """Wait until the generation differs from GENERATION; the new one (TimeoutError)."""

def generation(array: NDArray[Any]) -> int:
    """The array's generation counter: how many times it was notified."""

def holders(name: _Name) -> List[int]:
    """The pids of the processes that have array NAME mapped, sorted."""
