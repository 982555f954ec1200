# test_shapes.py - shapes as numpy.zeros takes them, and bad ones
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
import errno
import warnings

import numpy as np
import pytest

import SharedArray as sa
from sahelpers import shm_entries

SHAPES = [
    (),
    (0,),
    (0, 5),
    (5, 0, 3),
    7,
    np.int64(4),
    [2, 3],
    (2, 3, 4),
    (1,) * 32,
    (1,) * 27 + (2, 1, 3, 1, 2),
]


@pytest.mark.parametrize("shape", SHAPES, ids=repr)
@pytest.mark.parametrize("order", ["C", "F"])
def test_shape_round_trip(shm_name, shape, order):
    name = shm_name()
    expected = np.zeros(shape, dtype=np.int32, order=order)
    a = sa.create(name, shape, dtype=np.int32, order=order)
    assert a.shape == expected.shape
    if a.size:  # numpy gives empty arrays arbitrary strides
        assert a.strides == expected.strides
    a[...] = np.arange(a.size, dtype=np.int32).reshape(a.shape)
    b = sa.attach(name)
    assert b.shape == expected.shape and b.strides == a.strides
    assert np.array_equal(a, b)
    assert sa.stat(name).dims == expected.shape


def test_zero_dimensional(shm_name):
    name = shm_name()
    a = sa.create(name, ())
    a[()] = 2.5
    b = sa.attach(name)
    assert b.ndim == 0 and b[()] == 2.5


def test_empty_arrays(shm_name):
    for shape in ((0,), (0, 5)):
        name = shm_name()
        a = sa.create(name, shape)
        assert a.size == 0 and a.nbytes == 0
        b = sa.attach(name)
        assert b.shape == shape and b.sum() == 0


def test_subarray_dtype_extends_the_shape_like_numpy_zeros(shm_name):
    name = shm_name()
    a = sa.create(name, 4, dtype=("<f8", (2, 3)))
    expected = np.zeros(4, dtype=("<f8", (2, 3)))
    assert a.shape == expected.shape == (4, 2, 3) and a.dtype == expected.dtype
    assert sa.attach(name).shape == (4, 2, 3)


BAD_SHAPES = [
    (-1, ValueError),
    ((3, -1), ValueError),
    ((2**40, 2**40), ValueError),
    ((2**62, 4), ValueError),
    (2**70, ValueError),
    ((1,) * 33, ValueError),
    (1.5, TypeError),
    ("3", TypeError),
    ([2, "a"], TypeError),
    ({"a": 1}, TypeError),
]


@pytest.mark.parametrize("shape,error", BAD_SHAPES, ids=repr)
def test_bad_shape_raises_and_leaves_nothing(shm_name, shape, error):
    name = shm_name()
    with pytest.raises(error):
        sa.create(name, shape)
    assert shm_entries(name) == []
    with pytest.raises(FileNotFoundError):
        sa.attach(name)


def test_too_many_dims_with_subarray(shm_name):
    name = shm_name()
    with pytest.raises(ValueError):
        sa.create(name, (1,) * 31, dtype=("f8", (2, 2)))
    assert shm_entries(name) == []


def test_absurdly_large_array_is_refused_and_leaves_nothing(shm_name):
    # Representable, but larger than any /dev/shm: refused at create, not SIGBUS later.
    name = shm_name()
    with pytest.raises(sa.ArraySizeError) as info:
        sa.create(name, (10**15,))
    assert info.value.errno == errno.ENOSPC
    assert info.value.filename == name
    # A bad shape as much as an OS refusal: both kinds of handler catch it.
    assert isinstance(info.value, OSError) and isinstance(info.value, ValueError)
    assert shm_entries(name) == []


def zeros_or_error(function, *args):
    """FUNCTION(*ARGS): (result, the types of the warnings), or the exception type."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = function(*args)
        except TypeError as exc:
            return type(exc)
    return result, sorted({w.category.__name__ for w in caught})


def test_shape_none_as_numpy_zeros_takes_it(shm_name):
    # numpy < 2.4: a deprecated alias of () (DeprecationWarning); 2.4: TypeError.
    name = shm_name()
    expected = zeros_or_error(np.zeros, None)
    got = zeros_or_error(sa.create, name, None)
    if expected is TypeError:
        assert got is TypeError
        assert shm_entries(name) == []
    else:
        assert got[0].shape == expected[0].shape == ()
        assert got[1] == expected[1] == ["DeprecationWarning"]
