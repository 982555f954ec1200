# test_owner.py - which mapping holds a view's memory (SharedArray._ext._owner_of)
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Locks, generations and worker pools act on "the shared array" of any view:
# the package finds its MapOwner through numpy's .base chain, and only when
# the view's memory lies inside that mapping.
import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided

import SharedArray as sa

owner_of = sa._ext._owner_of


@pytest.fixture
def array(shm_name):
    return sa.create(shm_name("own"), (4, 5), dtype=np.int32)


@pytest.mark.parametrize("view", [
    lambda a: a,
    lambda a: a[1:3],
    lambda a: a[::-1, ::2],
    lambda a: a.T,
    lambda a: a[2, 3:4],
    lambda a: a.view(np.uint8),
    lambda a: a[:0],
    lambda a: np.asarray(memoryview(a.base)),
    lambda a: as_strided(a, shape=(2,), strides=(4,)),
], ids=["array", "slice", "reversed", "transposed", "element", "dtype view", "empty",
        "memoryview", "as_strided"])
def test_views_find_their_mapping(array, view):
    assert owner_of(view(array)) is array.base


def test_attached_read_only(shm_name):
    name = shm_name("own-ro")
    sa.create(name, 8)
    ro = sa.attach(name, ro=True)
    assert owner_of(ro[2:]) is ro.base


@pytest.mark.parametrize("obj", [np.zeros(3), np.arange(4)[1:], 5, None, b"abc"],
                         ids=["numpy", "numpy view", "int", "None", "bytes"])
def test_other_objects_are_refused(obj):
    with pytest.raises(TypeError, match="not memory of an attached shared array"):
        owner_of(obj)


def test_view_reaching_outside_the_mapping_is_refused(array):
    outside = as_strided(array, shape=(1000,), strides=(4,))
    with pytest.raises(TypeError):
        owner_of(outside)


def test_a_copy_is_not_shared(array):
    with pytest.raises(TypeError):
        owner_of(array[1:].copy())
