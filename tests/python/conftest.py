# conftest.py - fixtures for the SharedArray tests
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The tests run against the build tree: "make check" sets PYTHONPATH to
# python/pkg and LD_LIBRARY_PATH to lib/.libs (tests/python/Makefile.am).
import os

import pytest

import SharedArray as sa
import sahelpers


def pytest_collection_modifyitems(config, items):
    """Without usable POSIX shared memory nothing here can be tested: skip,
    saying what is missing, rather than fail for the environment's lack."""
    if sahelpers.SHM_USABLE:
        return
    skip = pytest.mark.skip(reason=sahelpers.NO_SHM_REASON)
    for item in items:
        item.add_marker(skip)


@pytest.fixture
def shm_name():
    """A factory of unique bare shm names; whatever they name is deleted afterwards."""
    names = []

    def make(tag="t"):
        name = sahelpers.unique_name(tag)
        names.append(name)
        return name

    yield make
    for name in names:
        try:
            sa.delete(name)
        except OSError:
            pass


@pytest.fixture
def peer():
    """The path of the sa-peer C program (tests/python/sa-peer.c)."""
    path = os.environ.get("SA_TEST_PEER")
    if not path or not os.access(path, os.X_OK):
        pytest.skip("sa-peer not built (run through make check)")
    return path
