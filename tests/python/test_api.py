# test_api.py - every function, argument and error of the SharedArray module
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
import errno
import os

import numpy as np
import pytest

import SharedArray as sa
from sahelpers import shm_entries


# ---- create ---------------------------------------------------------------------

def test_create_returns_zeroed_array_over_the_segment(shm_name):
    name = shm_name()
    a = sa.create(name, (3, 4))
    assert isinstance(a, np.ndarray)
    assert a.shape == (3, 4) and a.dtype == np.float64
    assert a.flags.c_contiguous and a.flags.writeable and not a.flags.owndata
    assert not a.any()
    assert isinstance(a.base, sa.MapOwner)
    assert a.ctypes.data == a.base.addr


def test_create_names_bare_and_shm_prefix_are_one(shm_name):
    name = shm_name()
    a = sa.create(name, 4)
    a[:] = [1, 2, 3, 4]
    b = sa.attach(f"shm://{name}")
    assert b.tolist() == [1, 2, 3, 4]
    assert os.path.exists(f"/dev/shm/{name}")


def test_create_file_array(tmp_path):
    path = tmp_path / "x.sa"
    a = sa.create(f"file://{path}", 5, dtype=np.int16)
    a[:] = range(5)
    assert path.is_file()
    assert sa.attach(f"file://{path}").tolist() == [0, 1, 2, 3, 4]
    sa.delete(f"file://{path}")
    assert not path.exists()


def test_create_keywords(shm_name):
    name = shm_name()
    a = sa.create(name=name, shape=(2, 2), dtype="i4", order="F", mode=0o600, reserve=True,
                  populate=True)
    assert a.dtype == np.int32 and a.flags.f_contiguous and not a.any()


def test_create_taken_name_raises_file_exists_and_keeps_the_array(shm_name):
    name = shm_name()
    a = sa.create(name, 3)
    a[:] = 5
    with pytest.raises(FileExistsError) as info:
        sa.create(name, 10, dtype=np.int8)
    assert info.value.errno == errno.EEXIST
    assert info.value.filename == name
    b = sa.attach(name)
    assert b.shape == (3,) and b.tolist() == [5, 5, 5]


def test_create_fortran_order(shm_name):
    name = shm_name()
    a = sa.create(name, (3, 4), order="F")
    assert a.flags.f_contiguous and not a.flags.c_contiguous
    a[...] = np.arange(12).reshape(3, 4)
    b = sa.attach(name)
    assert b.flags.f_contiguous
    assert np.array_equal(b, np.arange(12).reshape(3, 4))
    assert bytes(memoryview(b.base)) == np.arange(12.0).reshape(3, 4).tobytes(order="F")
    assert sa.stat(name).order == "F"


@pytest.mark.parametrize("order", ["A", "K", "X"])
def test_create_bad_order(shm_name, order):
    name = shm_name()
    with pytest.raises(ValueError):
        sa.create(name, 3, order=order)
    assert shm_entries(name) == []


def test_create_mode(shm_name):
    name = shm_name()
    old = os.umask(0o022)
    try:
        sa.create(name, 1, mode=0o640)
    finally:
        os.umask(old)
    assert os.stat(f"/dev/shm/{name}").st_mode & 0o777 == 0o640
    assert sa.stat(name).mode == 0o640


def test_create_default_mode_is_0666_less_umask(shm_name):
    name = shm_name()
    old = os.umask(0o027)
    try:
        sa.create(name, 1)
    finally:
        os.umask(old)
    assert os.stat(f"/dev/shm/{name}").st_mode & 0o777 == 0o640


@pytest.mark.parametrize("mode", [0o10000, -1, 2**40])
def test_create_bad_mode_is_einval(shm_name, mode):
    name = shm_name()
    with pytest.raises(OSError) as info:
        sa.create(name, 1, mode=mode)
    assert info.value.errno == errno.EINVAL and info.value.filename == name
    assert shm_entries(name) == []


def test_create_mode_must_be_int(shm_name):
    with pytest.raises(TypeError):
        sa.create(shm_name(), 1, mode="0600")


def test_create_reserve_and_populate(shm_name):
    for flags in ({"reserve": True}, {"populate": True}, {"reserve": True, "populate": True}):
        name = shm_name()
        a = sa.create(name, 1000, **flags)
        assert not a.any()
        # reserve allocates the blocks now: the file is not sparse.
        if flags.get("reserve"):
            st = os.stat(f"/dev/shm/{name}")
            assert st.st_blocks * 512 >= a.nbytes


@pytest.mark.parametrize("name", ["", "a/b", "shm://", "shm://a/b", "file://", "x" * 300])
def test_create_bad_names(name):
    with pytest.raises(OSError) as info:
        sa.create(name, 1)
    assert info.value.errno in (errno.EINVAL, errno.ENAMETOOLONG)
    assert info.value.filename == name


def test_names_with_nul_are_value_errors():
    with pytest.raises(ValueError):
        sa.create("a\0b", 1)
    with pytest.raises(ValueError):
        sa.attach("a\0b")


def test_names_may_be_bytes_or_paths(shm_name, tmp_path):
    name = shm_name()
    sa.create(name.encode(), 2)
    assert sa.attach(name).shape == (2,)
    sa.delete(name.encode())
    path = tmp_path / "p.sa"
    sa.create(f"file://{path}", 3)
    assert sa.attach(f"file://{path}").shape == (3,)


def test_create_file_in_missing_directory(tmp_path):
    name = f"file://{tmp_path}/missing/x.sa"
    with pytest.raises(FileNotFoundError) as info:
        sa.create(name, 1)
    assert info.value.filename == name


# ---- attach ---------------------------------------------------------------------

def test_attach_missing_raises_file_not_found(shm_name):
    name = shm_name()
    with pytest.raises(FileNotFoundError) as info:
        sa.attach(name)
    assert info.value.errno == errno.ENOENT
    assert info.value.filename == name
    with pytest.raises(FileNotFoundError):
        sa.attach(f"shm://{name}", ro=True)


def test_attach_not_an_array_is_ebadmsg(tmp_path):
    path = tmp_path / "junk"
    path.write_bytes(os.urandom(4096))
    name = f"file://{path}"
    with pytest.raises(OSError) as info:
        sa.attach(name)
    assert info.value.errno == errno.EBADMSG
    assert info.value.filename == name
    assert type(info.value) is OSError
    with pytest.raises(OSError) as info:
        sa.stat(name)
    assert info.value.errno == errno.EBADMSG
    with pytest.raises(OSError) as info:
        sa.delete(name)
    assert info.value.errno == errno.EBADMSG
    assert path.exists(), "delete must not remove what is not an array"


def test_attach_directory_or_empty_file_is_ebadmsg(tmp_path):
    (tmp_path / "empty").write_bytes(b"")
    for name in (f"file://{tmp_path}/empty", f"file://{tmp_path}"):
        with pytest.raises(OSError) as info:
            sa.attach(name)
        assert info.value.errno in (errno.EBADMSG, errno.EINVAL)


def test_attach_populate(shm_name):
    name = shm_name()
    sa.create(name, 100)[:] = 3
    assert (sa.attach(name, populate=True) == 3).all()
    assert (sa.attach(name, ro=True, populate=True) == 3).all()


def test_attach_keywords(shm_name):
    name = shm_name()
    sa.create(name, 1)
    a = sa.attach(name=name, ro=True, populate=False)
    assert not a.flags.writeable


# ---- delete ----------------------------------------------------------------------

def test_delete_missing_raises_file_not_found(shm_name):
    name = shm_name()
    with pytest.raises(FileNotFoundError) as info:
        sa.delete(name)
    assert info.value.errno == errno.ENOENT and info.value.filename == name


def test_delete_removes_the_name_only(shm_name):
    name = shm_name()
    a = sa.create(name, 3)
    a[:] = 9
    sa.delete(f"shm://{name}")
    assert shm_entries(name) == []
    with pytest.raises(FileNotFoundError):
        sa.attach(name)
    assert a.tolist() == [9, 9, 9]
    # The name is free again.
    b = sa.create(name, 2)
    assert b.tolist() == [0, 0]


def test_delete_keyword(shm_name):
    name = shm_name()
    sa.create(name, 1)
    sa.delete(name=name)
    assert shm_entries(name) == []


# ---- stat ------------------------------------------------------------------------

def test_stat(shm_name):
    name = shm_name()
    sa.create(name, (2, 5), dtype=">i2", order="F")
    entry = sa.stat(name)
    assert isinstance(entry, sa.ArrayDesc)
    n, dtype, dims = entry
    assert n == name.encode() and dtype is np.int16 and dims == (2, 5)
    assert entry.full_dtype == np.dtype(">i2") and entry.full_dtype.str == ">i2"
    assert entry.typestr == ">i2"
    assert entry.itemsize == 2 and entry.nbytes == 20
    assert entry.size >= entry.nbytes
    assert entry.order == "F"
    assert entry.uid == os.getuid() and entry.gid == os.getgid()
    assert entry.format == 1
    assert isinstance(entry.mtime, int)


def test_stat_missing(shm_name):
    name = shm_name()
    with pytest.raises(FileNotFoundError) as info:
        sa.stat(name)
    assert info.value.filename == name


# ---- the owner object -----------------------------------------------------------

def test_owner_attributes(shm_name):
    name = shm_name()
    a = sa.create(f"shm://{name}", 100, dtype=np.uint8)
    owner = a.base
    assert owner.name == f"shm://{name}"
    assert isinstance(owner.addr, int) and owner.addr == a.ctypes.data
    assert isinstance(owner.size, int) and owner.size >= a.nbytes
    assert owner.readonly is False
    assert sa.attach(name, ro=True).base.readonly is True
    assert sa.attach(name).base.name == name
    assert name in repr(owner)


def test_owner_is_not_constructible():
    with pytest.raises(TypeError):
        sa.MapOwner()


def test_one_owner_per_mapping(shm_name):
    name = shm_name()
    a = sa.create(name, 10)
    b = sa.attach(name)
    assert a.base is not b.base
    assert a.base.addr != b.base.addr
    view = a[2:5]
    assert view.base is a or view.base is a.base


def test_msync(tmp_path):
    name = f"file://{tmp_path}/m.sa"
    a = sa.create(name, 1000)
    a[:] = 1.5
    a.base.msync(sa.MS_SYNC)
    a.base.msync(sa.MS_ASYNC)
    a.base.msync(sa.MS_SYNC | sa.MS_INVALIDATE)
    a.base.msync(flags=sa.MS_ASYNC)
    with open(tmp_path / "m.sa", "rb") as f:
        assert np.frombuffer(f.read(a.nbytes), dtype=np.float64).tolist() == [1.5] * 1000


def test_msync_bad_flags(shm_name):
    name = shm_name()
    a = sa.create(name, 1)
    with pytest.raises(OSError) as info:
        a.base.msync(sa.MS_SYNC | sa.MS_ASYNC)
    assert info.value.errno == errno.EINVAL and info.value.filename == name
    with pytest.raises(TypeError):
        a.base.msync()


def test_mlock_munlock(shm_name):
    a = sa.create(shm_name(), 1000)
    try:
        a.base.mlock()
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.ENOMEM, errno.EAGAIN):
            pytest.skip(f"mlock not allowed here: {exc}")
        raise
    a.base.munlock()


def test_constants():
    assert (sa.MS_ASYNC, sa.MS_INVALIDATE, sa.MS_SYNC) == (1, 2, 4)  # Linux's values


def test_owner_buffer(shm_name):
    name = shm_name()
    a = sa.create(name, 4, dtype=np.uint16)
    view = memoryview(a.base)
    assert view.nbytes == a.nbytes and not view.readonly
    view[0:2] = b"\x01\x02"
    assert a[0] == 0x0201
    ro = memoryview(sa.attach(name, ro=True).base)
    assert ro.readonly and ro.tobytes()[:2] == b"\x01\x02"


def test_versions():
    assert isinstance(sa.__version__, str) and sa.__version__
    assert isinstance(sa.library_version, str) and sa.library_version
