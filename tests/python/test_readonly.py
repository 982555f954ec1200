# test_readonly.py - read-only attachments stay read-only; read-write ones toggle
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import signal

import numpy as np
import pytest

import SharedArray as sa
from sahelpers import run_python


def test_read_only_array_is_not_writeable(shm_name):
    name = shm_name()
    sa.create(name, 5)[:] = 3
    b = sa.attach(name, ro=True)
    assert not b.flags.writeable
    assert b.tolist() == [3] * 5
    with pytest.raises(ValueError):
        b[0] = 1
    with pytest.raises(ValueError):
        b += 1
    assert b.tolist() == [3] * 5


def test_read_only_cannot_be_made_writeable(shm_name):
    name = shm_name()
    sa.create(name, (4, 4))
    b = sa.attach(name, ro=True)
    with pytest.raises(ValueError):
        b.flags.writeable = True
    with pytest.raises(ValueError):
        b.setflags(write=True)
    for view in (b[1:], b.T, b.reshape(16), b.view(np.uint8), b[::2, ::2]):
        with pytest.raises(ValueError):
            view.flags.writeable = True
    assert not b.flags.writeable


def test_read_only_buffer(shm_name):
    name = shm_name()
    sa.create(name, 2)
    b = sa.attach(name, ro=True)
    view = memoryview(b.base)
    assert view.readonly
    with pytest.raises(TypeError):
        view[0] = 1
    with pytest.raises(ValueError):
        np.frombuffer(b.base, dtype=np.uint8)[0] = 1


def test_read_write_can_be_toggled(shm_name):
    name = shm_name()
    a = sa.attach(sa.create(name, 3).base.name)
    a.flags.writeable = False
    with pytest.raises(ValueError):
        a[0] = 1
    a.flags.writeable = True
    a[0] = 1
    a.setflags(write=False)
    a.setflags(write=True)
    a[1] = 2
    assert sa.attach(name, ro=True).tolist() == [1, 2, 0]
    view = a[1:]
    view.flags.writeable = False
    view.flags.writeable = True
    view[1] = 5
    assert a[2] == 5


def test_created_array_can_be_toggled(shm_name):
    a = sa.create(shm_name(), 3)
    a.flags.writeable = False
    a.flags.writeable = True
    a[0] = 1
    assert a[0] == 1


def test_write_to_read_only_mapping_faults_in_a_child(shm_name):
    # Under numpy's flags the mapping itself is read-only: a write from C
    # (here ctypes) kills the process with SIGSEGV instead of changing data.
    name = shm_name()
    sa.create(name, 4)[:] = 7
    code = ("import ctypes, sys, SharedArray as sa\n"
            "b = sa.attach(sys.argv[1], ro=True)\n"
            "ctypes.memset(b.base.addr, 0, 8)\n")
    result = run_python(code, name)
    assert result.returncode == -signal.SIGSEGV, result.stderr
    assert sa.attach(name).tolist() == [7] * 4


def test_write_to_read_write_mapping_in_a_child(shm_name):
    name = shm_name()
    sa.create(name, 4)[:] = 7
    code = ("import ctypes, sys, SharedArray as sa\n"
            "b = sa.attach(sys.argv[1])\n"
            "ctypes.memset(b.base.addr, 0, 8)\n")
    result = run_python(code, name)
    assert result.returncode == 0, result.stderr
    assert sa.attach(name).tolist() == [0, 7, 7, 7]


def test_read_only_file_attaches_read_only(tmp_path):
    name = f"file://{tmp_path}/ro.sa"
    sa.create(name, 3, mode=0o444)[:] = 4
    b = sa.attach(name, ro=True)
    assert b.tolist() == [4, 4, 4] and not b.flags.writeable


@pytest.mark.skipif(os.geteuid() == 0, reason="root may open read-only files for writing")
def test_read_write_attach_of_read_only_file_is_permission_error(tmp_path):
    name = f"file://{tmp_path}/ro.sa"
    sa.create(name, 3, mode=0o444)
    with pytest.raises(PermissionError) as info:
        sa.attach(name)
    assert info.value.filename == name
