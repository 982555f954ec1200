# test_dtypes.py - every dtype that can live in shared memory round-trips exactly
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
import os

import numpy as np
import pytest

import SharedArray as sa
from sahelpers import listed, shm_entries

PLAIN = [
    bool, "?",
    "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8",
    np.byte, np.ubyte, np.short, np.ushort, np.intc, np.uintc, np.int_, np.uint,
    np.longlong, np.ulonglong, int,
    "f2", "f4", "f8", np.longdouble, float,
    "c8", "c16", np.clongdouble, complex,
    "S1", "S10", "S255", "U1", "U7", "U100",
    "M8", "M8[Y]", "M8[M]", "M8[W]", "M8[D]", "M8[h]", "M8[m]", "M8[s]", "M8[ms]",
    "M8[us]", "M8[ns]", "M8[ps]", "M8[fs]", "M8[as]", "M8[10s]", "M8[25ms]",
    "m8", "m8[D]", "m8[us]", "m8[ns]", "m8[3h]",
    ">i2", "<i2", ">u4", ">i8", ">f2", ">f4", ">f8", "<f8", ">c8", ">c16", ">U3",
    ">M8[ns]", ">m8[s]", np.dtype(np.longdouble).newbyteorder(),
    "V1", "V8", "V13",
]


def fill_random(a):
    """Random bytes over the whole data, through the owner's buffer."""
    view = memoryview(a.base).cast("B")
    data = os.urandom(len(view))
    view[:] = data
    return data


def descr_of(dtype):
    try:
        return dtype.descr
    except ValueError:  # overlapping or out-of-order fields have none
        return None


def same_dtype(got, want):
    """Identical, not merely equivalent: byte order, unit, length, fields, alignment."""
    return (got == want and got.str == want.str and descr_of(got) == descr_of(want) and
            got.names == want.names and got.fields == want.fields and
            got.itemsize == want.itemsize and got.isalignedstruct == want.isalignedstruct and
            got.byteorder == want.byteorder)


@pytest.mark.parametrize("spec", PLAIN, ids=repr)
def test_plain_dtype_round_trip(shm_name, spec):
    name = shm_name()
    want = np.dtype(spec)
    a = sa.create(name, (3, 4), dtype=spec)
    assert same_dtype(a.dtype, want)
    assert not memoryview(a.base).tobytes().strip(b"\0")
    data = fill_random(a)
    b = sa.attach(name)
    assert same_dtype(b.dtype, want)
    assert b.shape == (3, 4)
    assert memoryview(b.base).tobytes() == data
    entry = sa.stat(name)
    assert same_dtype(entry.full_dtype, want)
    # The scalar type; C aliases (longlong for long) are one dtype to numpy.
    assert entry.dtype is b.dtype.type and np.dtype(entry.dtype).kind == want.kind
    assert entry.typestr == want.str
    entries = listed(name)
    if entries is not None:
        assert len(entries) == 1 and entries[0].dtype is entry.dtype
        assert same_dtype(entries[0].full_dtype, want)


def test_values_survive(shm_name):
    cases = {
        "M8[ns]": np.array(["2026-01-02T03:04:05.123456789", "NaT"], dtype="M8[ns]"),
        "m8[s]": np.array([1, -5], dtype="m8[s]"),
        "U5": np.array(["héllo", "名前"], dtype="U5"),
        "S3": np.array([b"abc", b"\0x"], dtype="S3"),
        ">f8": np.array([1.5, -np.inf], dtype=">f8"),
        "g": np.array([1 / 3, 2.0], dtype=np.longdouble),
        "G": np.array([1 / 3 + 2j, -1j], dtype=np.clongdouble),
        "f2": np.array([0.5, 65504], dtype=np.float16),
    }
    for spec, values in cases.items():
        name = shm_name()
        a = sa.create(name, values.shape, dtype=values.dtype)
        a[...] = values
        b = sa.attach(name)
        assert b.dtype.str == values.dtype.str
        assert np.array_equal(b, values, equal_nan=False) or spec == "M8[ns]"
        if spec == "M8[ns]":
            assert b[0] == values[0] and np.isnat(b[1])


def test_unsized_strings_are_sized_like_numpy_zeros(shm_name):
    for spec in ("S", "U"):
        name = shm_name()
        a = sa.create(name, 2, dtype=spec)
        assert a.dtype == np.zeros(2, dtype=spec).dtype
        assert sa.attach(name).dtype == a.dtype


@pytest.mark.parametrize("spec", ["V0", "V", [], {"names": [], "formats": []}], ids=repr)
def test_zero_size_items_are_refused(shm_name, spec):
    name = shm_name()
    with pytest.raises(ValueError):
        sa.create(name, 3, dtype=spec)
    assert shm_entries(name) == []


@pytest.mark.parametrize("spec", ["not-a-dtype", "f3", "i16", 3.5, "M8[zz]"], ids=repr)
def test_bad_dtypes_are_type_errors(shm_name, spec):
    name = shm_name()
    with pytest.raises(TypeError):
        sa.create(name, 3, dtype=spec)
    assert shm_entries(name) == []


OBJECTS = [
    object, "O", np.dtype("O"),
    [("a", "O")],
    [("x", "<f8"), ("a", "O")],
    [("a", [("b", "<i4"), ("c", "O")])],
    [("a", "O", (2,))],
    ("O", (3,)),
]


@pytest.mark.parametrize("spec", OBJECTS, ids=repr)
def test_object_dtypes_are_refused(shm_name, spec):
    name = shm_name()
    with pytest.raises(TypeError) as info:
        sa.create(name, 3, dtype=spec)
    assert "object" in str(info.value)
    assert shm_entries(name) == []


STRUCTURED = [
    [("x", "<i4"), ("y", "<f8")],
    [("x", ">i4"), ("name", "S5"), ("t", "<M8[ns]"), ("u", "U3")],
    np.dtype([("a", "i1"), ("b", "<f8")], align=True),
    np.dtype([("a", "i1"), ("n", np.dtype([("b", "i1"), ("c", "<i8")], align=True)),
              ("d", "i2")], align=True),
    [("pos", "<f4", (3,)), ("vel", ">f8", (2, 2))],
    [("outer", [("inner", [("z", "<u2"), ("w", "<c8")]), ("k", "U3")]), ("m", "<m8[s]", (2,))],
    [("recs", [("a", "u1"), ("b", "<i4")], (2,)), ("tail", "?")],
    {"names": ["a", "b"], "formats": ["<i4", "<i4"], "offsets": [0, 8], "itemsize": 16},
    {"names": ["a", "b"], "formats": ["u1", "<u4"], "offsets": [4, 0], "itemsize": 8},
    {"names": ["lo", "whole"], "formats": ["<u2", "<u4"], "offsets": [0, 0], "itemsize": 4},
    {"names": ["x", "y"], "formats": ["<f8", "<i2"], "titles": ["The X", None]},
    [("é", "<f4"), ("名前", "U2")],
    [("x", "<f8")],
    [("", "<f8")],
    np.dtype((np.record, [("a", "<i4"), ("b", "S2")])),
]


@pytest.mark.parametrize("spec", STRUCTURED, ids=repr)
def test_structured_round_trip(shm_name, spec):
    name = shm_name()
    want = np.dtype(spec)
    a = sa.create(name, 5, dtype=spec)
    # As the original does, create gives a plain void array of the same itemsize.
    assert a.dtype == np.dtype(f"V{want.itemsize}") and a.dtype.names is None
    data = fill_random(a)
    b = sa.attach(name)
    assert same_dtype(b.dtype, want) or (want.type is np.record and same_dtype(
        b.dtype, np.dtype((np.void, want))))
    assert memoryview(b.base).tobytes() == data
    assert b.tobytes() == a.tobytes()
    assert same_dtype(sa.stat(name).full_dtype, b.dtype)
    assert sa.stat(name).dtype is np.void
    assert sa.stat(name).typestr == f"|V{want.itemsize}"


def test_structured_create_accepts_raw_void_assignment(shm_name):
    # Programs written for the original fill structured arrays this way.
    name = shm_name()
    dtype = np.dtype([("id", "<i4"), ("score", "<f8"), ("tag", "S3")])
    source = np.array([(1, 0.5, b"a"), (2, 1.5, b"bb"), (3, -2.0, b"ccc")], dtype=dtype)
    a = sa.create(name, len(source), dtype=dtype)
    for i, record in enumerate(source):
        a[i] = np.void(record.tobytes())
    b = sa.attach(name)
    assert b.dtype == dtype
    assert np.array_equal(b, source)
    assert b["score"].tolist() == [0.5, 1.5, -2.0]
    # Whole-array void assignment too.
    a[:] = source[::-1].view(f"V{dtype.itemsize}")
    assert b["id"].tolist() == [3, 2, 1]


def test_structured_fields_are_writable_after_attach(shm_name):
    name = shm_name()
    dtype = [("x", "<i4"), ("y", "<f4", (2,))]
    sa.create(name, 3, dtype=dtype)
    b = sa.attach(name)
    b["x"] = [7, 8, 9]
    b["y"][1] = [0.5, 0.25]
    c = sa.attach(name, ro=True)
    assert c["x"].tolist() == [7, 8, 9] and c["y"][1].tolist() == [0.5, 0.25]


def test_dtype_metadata_is_dropped_not_fatal(shm_name):
    name = shm_name()
    dtype = np.dtype("<f8", metadata={"unit": "m"})
    a = sa.create(name, 2, dtype=dtype)
    assert a.dtype == np.float64
    assert sa.attach(name).dtype.metadata is None
