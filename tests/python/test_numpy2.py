# test_numpy2.py - what numpy 2 adds, handled alike under numpy 1 and numpy 2
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# numpy 2 allows 64 dimensions where numpy 1 and the segment format allow
# 32; it adds StringDType, whose strings live outside the array; and
# SharedArray 3.x built against it writes a 548-byte trailer of 64 dims.
# Every test runs under both numpys and expects the same of the module,
# except where the numpy itself differs (said in the test).
import errno

import numpy as np
import pytest

import SharedArray as sa
from sahelpers import legacy_segment, listed, shm_entries

NUMPY_MAJOR = int(np.__version__.split(".")[0])
NUMPY_MAXDIMS = 64 if NUMPY_MAJOR >= 2 else 32


def assert_nothing_created(name):
    assert shm_entries(name) == []
    with pytest.raises(FileNotFoundError):
        sa.attach(name)


@pytest.mark.parametrize("ndim", [33, 40, 64, 65])
def test_more_dims_than_a_segment_holds_is_valueerror(shm_name, ndim):
    name = shm_name()
    with pytest.raises(ValueError) as info:
        sa.create(name, (1,) * ndim)
    # Not the library's EINVAL (an OSError), whichever numpy refused it.
    assert not isinstance(info.value, OSError)
    if ndim <= NUMPY_MAXDIMS:  # numpy took the shape: the message is ours
        assert "maximum supported dimension for a shared array is 32" in str(info.value)
    assert_nothing_created(name)


def test_numpy_accepts_what_create_refuses():
    # The refusal above is the segment's limit, not numpy's, under numpy 2.
    if NUMPY_MAJOR < 2:
        pytest.skip(f"numpy {np.__version__} allows 32 dimensions, as a segment holds")
    assert np.zeros((1,) * 40).ndim == 40


def test_thirty_two_dims_is_the_limit_and_works(shm_name):
    name = shm_name()
    a = sa.create(name, (1,) * 30 + (2, 3), dtype=np.int16)
    a[...] = np.arange(6).reshape(a.shape)
    assert sa.attach(name).shape == (1,) * 30 + (2, 3)


@pytest.mark.parametrize("base_ndim", [31, 40])
def test_subarray_dtype_past_32_dims_is_valueerror(shm_name, base_ndim):
    name = shm_name()
    if base_ndim > NUMPY_MAXDIMS:
        pytest.skip(f"numpy {np.__version__} itself refuses {base_ndim} dimensions")
    with pytest.raises(ValueError) as info:
        sa.create(name, (1,) * base_ndim, dtype=("<f8", (2, 2)))
    assert not isinstance(info.value, OSError)
    assert "maximum supported dimension for a shared array is 32" in str(info.value)
    assert_nothing_created(name)


def string_dtype():
    if not hasattr(np, "dtypes") or not hasattr(np.dtypes, "StringDType"):
        pytest.skip(f"numpy {np.__version__} has no StringDType (numpy 2.0 added it)")
    return np.dtypes.StringDType()


@pytest.mark.parametrize("spelling", ["instance", "T", "subarray"])
def test_string_dtype_is_refused_saying_why(shm_name, spelling):
    dtype = string_dtype()
    given = {"instance": dtype, "T": "T", "subarray": (dtype, (2,))}[spelling]
    name = shm_name()
    with pytest.raises(TypeError) as info:
        sa.create(name, 3, dtype=given)
    message = str(info.value)
    assert "StringDType" in message and "outside the array" in message, message
    assert_nothing_created(name)
    # numpy itself makes such arrays: the refusal is ours, on purpose.
    assert np.zeros(3, dtype=given).shape[0] == 3


def test_fixed_width_strings_still_work_where_stringdtype_exists(shm_name):
    name = shm_name()
    a = sa.create(name, 2, dtype="U5")
    a[:] = ["ab", "cdefg"]
    assert sa.attach(name).tolist() == ["ab", "cdefg"]


# ---- SharedArray 3.x segments written by a numpy 2.x build --------------------

def write_original(name, values, typenum, slots, shape=None):
    with open(f"/dev/shm/{name}", "wb") as f:
        f.write(legacy_segment(values.tobytes(), typenum, values.itemsize,
                               shape or values.shape, slots))


@pytest.mark.parametrize("slots", [32, 64])
def test_original_trailer_of_either_numpy_attaches(shm_name, slots):
    name = shm_name()
    values = np.arange(12, dtype=np.int32).reshape(3, 4)
    write_original(name, values, 5, slots)  # NPY_INT
    a = sa.attach(name)
    assert a.dtype == np.int32 and np.array_equal(a, values)
    assert sa.stat(name).segment_size == values.nbytes + (36 + 8 * slots)
    a[2, 3] = -1
    assert sa.attach(name, ro=True)[2, 3] == -1


def test_original_numpy2_segment_with_40_dims(shm_name):
    # Only a numpy 2 build of the original can write it.  Under numpy 2 it
    # attaches whole; numpy 1 cannot hold 40 dimensions: ValueError, and the
    # segment is left as it was.
    name = shm_name()
    shape = (1,) * 38 + (2, 3)
    values = np.arange(6, dtype=np.float64)  # numpy 1 cannot even shape it so
    write_original(name, values, 12, 64, shape)  # NPY_DOUBLE
    entry = sa.stat(name)
    assert entry.dims == shape and entry.format == 0
    if listed(name) is not None:
        assert listed(name)[0].dims == shape
    if NUMPY_MAJOR >= 2:
        a = sa.attach(name)
        assert a.shape == shape and np.array_equal(a.ravel(), values)
    else:
        with pytest.raises(ValueError, match="40 dimensions"):
            sa.attach(name)
        assert sa.stat(name).dims == shape
    sa.delete(name)
    with pytest.raises(OSError) as info:
        sa.stat(name)
    assert info.value.errno == errno.ENOENT
