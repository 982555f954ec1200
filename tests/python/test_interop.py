# test_interop.py - arrays shared with C programs and with SharedArray 3.x
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# sa-peer (sa-peer.c) uses libsharedarray from C: it creates arrays that
# Python attaches, and dumps arrays that Python created.
import subprocess

import numpy as np
import pytest

import SharedArray as sa
from sahelpers import legacy_segment, listed


def peer_create(peer, name, dtype, descr, order, *dims):
    subprocess.run([peer, "create", name, dtype, descr, order, *map(str, dims)], check=True,
                   timeout=60)


def peer_dump(peer, name):
    result = subprocess.run([peer, "dump", name], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) if " " in line else (line, "")
                for line in result.stdout.splitlines())


# ---- C creates, Python attaches --------------------------------------------------

def test_c_int32_array_attached_from_python(peer, shm_name):
    name = shm_name()
    peer_create(peer, f"shm://{name}", "<i4", "-", "C", 3, 4)
    a = sa.attach(name)
    assert a.dtype.str == "<i4" and a.shape == (3, 4) and a.flags.c_contiguous
    assert np.array_equal(a, np.arange(12).reshape(3, 4))
    a[0, 0] = -1
    assert peer_dump(peer, name)["data"].startswith("ffffffff01000000")


def test_c_fortran_array_attached_from_python(peer, shm_name):
    name = shm_name()
    peer_create(peer, name, "<f8", "-", "F", 2, 3)
    a = sa.attach(name, ro=True)
    assert a.flags.f_contiguous and a.shape == (2, 3)
    assert np.array_equal(a, np.arange(6).reshape((2, 3), order="F") / 2)


def test_c_structured_array_attached_from_python(peer, shm_name):
    name = shm_name()
    peer_create(peer, name, "|V12", "[('x', '<i4'), ('y', '<f8')]", "C", 5)
    a = sa.attach(name)
    assert a.dtype == np.dtype([("x", "<i4"), ("y", "<f8")])
    raw = bytes((7 * k + 3) & 0xFF for k in range(60))
    assert a.tobytes() == raw
    assert a["x"][0] == int.from_bytes(raw[:4], "little", signed=True)


def test_c_datetime_array_attached_from_python(peer, shm_name, tmp_path):
    name = f"file://{tmp_path}/t.sa"
    peer_create(peer, name, "<M8[us]", "-", "C", 4)
    a = sa.attach(name)
    assert a.dtype == np.dtype("M8[us]")
    assert sa.list(tmp_path)[0].full_dtype == np.dtype("<M8[us]")


def test_c_refuses_too_many_dims(peer, shm_name):
    name = shm_name()
    result = subprocess.run([peer, "create", name, "<f8", "-", "C", *["1"] * 33],
                            capture_output=True, timeout=60)
    assert result.returncode == 1
    with pytest.raises(FileNotFoundError):
        sa.attach(name)


# ---- Python creates, C attaches ---------------------------------------------------

def test_python_array_dumped_from_c(peer, shm_name):
    name = shm_name()
    a = sa.create(name, (2, 3))
    a[...] = [[1, 2, 3], [4, 5, 6]]
    dump = peer_dump(peer, f"shm://{name}")
    assert dump["dtype"] == "<f8" and dump["order"] == "C"
    assert dump["ndim"] == "2" and dump["shape"] == "2 3"
    assert dump["descr"] == "-" and dump["nbytes"] == "48"
    assert bytes.fromhex(dump["data"]) == a.tobytes()


def test_python_fortran_array_dumped_from_c(peer, shm_name):
    name = shm_name()
    a = sa.create(name, (2, 3), dtype=">i2", order="F")
    a[...] = [[1, 2, 3], [4, 5, 6]]
    dump = peer_dump(peer, name)
    assert dump["dtype"] == ">i2" and dump["order"] == "F"
    assert bytes.fromhex(dump["data"]) == a.tobytes(order="F")


@pytest.mark.parametrize("spec", ["<M8[ns]", "<m8[D]", "<U3", "|S7", "<c16", "|b1", "<f2"])
def test_python_dtypes_as_c_sees_them(peer, shm_name, spec):
    name = shm_name()
    sa.create(name, 2, dtype=spec)
    assert peer_dump(peer, name)["dtype"] == spec


def test_python_structured_array_dumped_from_c(peer, shm_name):
    name = shm_name()
    dtype = np.dtype([("x", "<i4"), ("y", "<f8")])
    a = sa.create(name, 2, dtype=dtype)
    a[:] = np.array([(1, 0.5), (2, 1.5)], dtype=dtype).view(a.dtype)
    dump = peer_dump(peer, name)
    assert dump["dtype"] == "|V12"
    assert dump["descr"] == "[('x', '<i4'), ('y', '<f8')]"
    assert bytes.fromhex(dump["data"]) == a.tobytes()


def test_python_zero_dim_and_empty_dumped_from_c(peer, shm_name):
    for shape, dims in (((), ""), ((0, 5), "0 5")):
        name = shm_name()
        sa.create(name, shape)
        dump = peer_dump(peer, name)
        assert dump["shape"] == dims and dump["ndim"] == str(len(shape))


# ---- SharedArray 3.x segments -------------------------------------------------------

@pytest.mark.parametrize("slots", [32, 64])
def test_original_sharedarray_segment_attaches(shm_name, slots):
    name = shm_name()
    values = np.arange(6, dtype=np.float64).reshape(2, 3)
    with open(f"/dev/shm/{name}", "wb") as f:
        f.write(legacy_segment(values.tobytes(), 12, 8, (2, 3), slots))  # NPY_DOUBLE
    a = sa.attach(name)
    assert a.dtype == np.float64 and np.array_equal(a, values)
    entry = sa.stat(name)
    assert entry.format == 0 and tuple(entry) == (name.encode(), np.float64, (2, 3))
    assert listed(name) != []
    a[0, 0] = 42
    sa.delete(name)
    assert a[0, 0] == 42


def test_original_segment_of_ints_and_strings(shm_name):
    for typenum, itemsize, dtype in ((5, 4, "<i4"), (18, 4, "|S4"), (19, 8, "<U2")):
        name = shm_name()
        values = np.zeros(3, dtype=dtype)
        with open(f"/dev/shm/{name}", "wb") as f:
            f.write(legacy_segment(values.tobytes(), typenum, itemsize, (3,)))
        assert sa.attach(name).dtype == np.dtype(dtype)
