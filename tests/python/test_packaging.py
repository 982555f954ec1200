# test_packaging.py - python/pyproject.toml builds what the Autotools build does
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# pip (python/pyproject.toml, python/setup.py) and Autotools
# (python/Makefile.am) build the same package from the same sources; these
# tests keep the two from drifting apart.  .ci/venv-test installs with pip
# and runs the whole suite against that install.
import glob
import os
import re

import pytest

import SharedArray as sa


@pytest.fixture
def python_dir():
    srcdir = os.environ.get("SA_TEST_SRCDIR")
    if not srcdir:
        pytest.skip("SA_TEST_SRCDIR not set (run through make check)")
    return os.path.join(srcdir, "python")


def pyproject(python_dir):
    with open(os.path.join(python_dir, "pyproject.toml"), encoding="utf-8") as f:
        return f.read()


def test_pyproject_version_is_the_release(python_dir):
    # The module's __version__ is configure's (or, installed by pip, the
    # pyproject's): the two files must name the same release.
    version = re.search(r'^version = "([^"]+)"$', pyproject(python_dir), re.M)
    assert version, "no version in pyproject.toml"
    assert version.group(1) == sa.__version__


def test_distribution_name_is_not_the_originals(python_dir):
    name = re.search(r'^name = "([^"]+)"$', pyproject(python_dir), re.M).group(1)
    # PEP 503 normalisation: what pip compares.
    assert re.sub(r"[-_.]+", "-", name).lower() != "sharedarray"


def test_setup_builds_the_sources_makefile_am_builds(python_dir):
    # setup.py takes every python/*.c; Makefile.am lists them by hand.
    with open(os.path.join(python_dir, "Makefile.am"), encoding="utf-8") as f:
        makefile = f.read().replace("\\\n", " ")
    listed = re.search(r"^_ext_la_SOURCES\s*=(.*)$", makefile, re.M).group(1).split()
    on_disk = sorted(os.path.basename(p) for p in glob.glob(os.path.join(python_dir, "*.c")))
    assert sorted(s for s in listed if s.endswith(".c")) == on_disk


def test_package_files_are_the_same(python_dir):
    # pyproject: packages = ["SharedArray"], i.e. python/SharedArray/*.py.
    with open(os.path.join(python_dir, "Makefile.am"), encoding="utf-8") as f:
        makefile = f.read().replace("\\\n", " ")
    listed = re.search(r"^PACKAGE_PY\s*=(.*)$", makefile, re.M).group(1).split()
    on_disk = sorted(os.path.relpath(p, python_dir)
                     for p in glob.glob(os.path.join(python_dir, "SharedArray", "*.py")))
    assert sorted(listed) == on_disk
