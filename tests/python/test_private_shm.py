# test_private_shm.py - exact listings and ENOSPC on a private, tiny /dev/shm
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Root only: each test runs a fresh interpreter in its own mount namespace
# (unshare(1)) with a 1 MiB tmpfs over /dev/shm, so nothing else is listed
# there and space runs out on purpose.  Skipped otherwise.
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from sahelpers import LIST_SUPPORTED, NO_LIST_REASON


def private_shm_unavailable():
    """Why a private /dev/shm cannot be had here, or None.  Besides root and
    unshare(1), a plain directory chroot (pbuilder) lacks a "/" that is a
    mount point, whose propagation unshare must make private."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return "needs root and unshare(1) for a private /dev/shm"
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=1M tmpfs /dev/shm"],
                           capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        return ("needs a private mount namespace with a tmpfs on /dev/shm: "
                + (probe.stderr.strip().splitlines() or ["unshare failed"])[-1])
    return None


UNAVAILABLE = private_shm_unavailable()
pytestmark = pytest.mark.skipif(UNAVAILABLE is not None, reason=str(UNAVAILABLE))


def run_in_private_shm(code):
    script = 'mount -t tmpfs -o size=1M tmpfs /dev/shm && exec "$0" -c "$1"'
    result = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                             script, sys.executable, textwrap.dedent(code)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not LIST_SUPPORTED, reason=NO_LIST_REASON)
def test_exact_listing():
    run_in_private_shm('''
        import numpy as np, SharedArray as sa
        assert sa.list() == ()
        sa.create("b", 3, dtype=np.int8)
        sa.create("shm://a", (2, 2), order="F")
        open("/dev/shm/junk", "wb").write(b"x" * 1000)
        assert [tuple(e) for e in sa.list()] == [(b"a", np.float64, (2, 2)),
                                                 (b"b", np.int8, (3,))]
        assert [e.order for e in sa.list()] == ["F", "C"]
        sa.delete("a")
        assert [e.name for e in sa.list()] == [b"b"]
    ''')


def test_too_big_for_the_filesystem_is_enospc_at_create():
    run_in_private_shm('''
        import errno, os, SharedArray as sa
        try:
            sa.create("big", 200_000)            # 1.6 MB > 1 MiB
        except OSError as exc:
            assert exc.errno == errno.ENOSPC and exc.filename == "big", exc
        else:
            raise AssertionError("no ENOSPC")
        assert os.listdir("/dev/shm") == [], os.listdir("/dev/shm")
    ''')


def test_reserve_claims_the_space_now():
    run_in_private_shm('''
        import errno, os, SharedArray as sa
        a = sa.create("r1", 75_000, reserve=True)    # 600 kB, allocated now
        assert os.stat("/dev/shm/r1").st_blocks * 512 >= a.nbytes
        try:
            sa.create("r2", 75_000, reserve=True)    # only ~400 kB left
        except OSError as exc:
            assert exc.errno == errno.ENOSPC and exc.filename == "r2", exc
        else:
            raise AssertionError("no ENOSPC")
        assert sorted(os.listdir("/dev/shm")) == ["r1"]
        b = sa.create("small", 10_000, reserve=True, populate=True)
        a[:] = 1
        b[:] = 2
        assert a.sum() == 75_000 and b.sum() == 20_000
    ''')
