# test_readme.py - the original SharedArray README example, unchanged
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import re
import textwrap

import numpy as np
import pytest

import SharedArray as sa
from sahelpers import LIST_SUPPORTED, NO_LIST_REASON, run_python

# SharedArray 3.2's README example, word for word but for the name "test",
# which a unique name replaces so that concurrent runs cannot collide.
README = textwrap.dedent('''
    import numpy as np
    import SharedArray as sa

    # Create an array in shared memory.
    a = sa.create("shm://test", 10)

    # Attach it as a different array. This can be done from another
    # python interpreter as long as it runs on the same computer.
    b = sa.attach("shm://test")

    # See how they are actually sharing the same memory.
    a[0] = 42
    print(b[0])

    # Destroying a does not affect b.
    del a
    print(b[0])

    # See how "test" is still present in shared memory even though we
    # destroyed the array a. This method only works on Linux.
    sa.list()

    # Now destroy the array "test" from memory.
    sa.delete("test")

    # The array b is still there, but once you destroy it then the
    # data is gone for real.
    print(b[0])
''')


@pytest.mark.skipif(not LIST_SUPPORTED, reason=NO_LIST_REASON)
def test_readme_example_runs_unchanged(shm_name):
    name = shm_name("readme")
    program = README.replace('"shm://test"', f'"shm://{name}"').replace('"test"', f'"{name}"')
    result = run_python(program)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["42.0", "42.0", "42.0"]
    assert name.encode() not in [entry.name for entry in sa.list()]


@pytest.mark.skipif(not LIST_SUPPORTED, reason=NO_LIST_REASON)
def test_readme_example_step_by_step(shm_name):
    name = shm_name("readme")
    a = sa.create(f"shm://{name}", 10)
    b = sa.attach(f"shm://{name}")
    assert a.shape == (10,) and a.dtype == float and not a.any()
    a[0] = 42
    assert b[0] == 42
    del a
    assert b[0] == 42
    listed = sa.list()
    entry = [e for e in listed if e.name == name.encode()]
    assert len(entry) == 1
    entry_name, dtype, dims = entry[0]
    assert (entry_name, dtype, dims) == (name.encode(), np.float64, (10,))
    sa.delete(name)
    assert name.encode() not in [e.name for e in sa.list()]
    assert b[0] == 42
    b[1] = 7  # still mapped, still writable
    assert b[1] == 7


@pytest.mark.skipif(not LIST_SUPPORTED, reason=NO_LIST_REASON)
def test_this_projects_readme_python_example(shm_name):
    srcdir = os.environ.get("SA_TEST_SRCDIR")
    if not srcdir:
        pytest.skip("SA_TEST_SRCDIR not set (run through make check)")
    with open(os.path.join(srcdir, "README.md")) as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), re.S)
    assert blocks, "README.md has no Python example"
    name = shm_name("frames")
    program = blocks[0].replace('"shm://frames"', f'"shm://{name}"').replace(
        '"frames"', f'"{name}"')
    result = run_python(program)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "42.0"
    assert f"b'{name}' <class 'numpy.float64'> (3, 4)" in result.stdout
    assert name.encode() not in [entry.name for entry in sa.list()]
