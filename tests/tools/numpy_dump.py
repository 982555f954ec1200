# numpy_dump.py - compare `sharedarray dump` with numpy's print(), in TAP.
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: numpy_dump.py SHAREDARRAY TMPDIR
import os
import subprocess
import sys

import numpy as np

sa, tmp = sys.argv[1], sys.argv[2]
count = failed = 0


NUMPY2 = int(np.__version__.split(".")[0]) >= 2


def numpy_print(a):
    """What print(a) writes, in the format dump keeps whatever numpy is
    installed: that of numpy 1.x (to 2.2).  numpy 2 prints a 0-d bytes array
    with its scalar's repr, np.bytes_(b'ab') (NEP 51), where dump prints
    b'ab'; numpy 2.3 switches float16 and float32 arrays to scientific
    notation from 1e3 and 1e6 rather than 1e8.  legacy="1.25" undoes both."""
    with np.printoptions(legacy="1.25" if NUMPY2 else False):
        return str(a) + "\n"


def check(label, a):
    global count, failed
    count += 1
    a = np.asarray(a)
    path = os.path.join(tmp, "np-%d" % count)
    fortran = a.ndim > 1 and a.flags.f_contiguous and not a.flags.c_contiguous
    shape = "x".join(map(str, a.shape)) if a.ndim else "()"
    cmd = [sa, "create", "file://" + path, shape, a.dtype.str] + (["--fortran"] if fortran else [])
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode == 0 and a.nbytes:
        m = np.memmap(path, dtype=a.dtype, mode="r+", shape=a.shape, order="F" if fortran else "C")
        m[...] = a
        m.flush()
        del m
    got = subprocess.run([sa, "dump", "file://" + path], capture_output=True, text=True)
    want = numpy_print(a)
    if r.returncode == 0 and got.returncode == 0 and got.stdout == want:
        print("ok %d - %s %s %s" % (count, label, a.dtype.str, a.shape))
    else:
        failed += 1
        print("not ok %d - %s %s %s" % (count, label, a.dtype.str, a.shape))
        for line in ("create: %r" % r.stderr, "want: %r" % want, "got:  %r %r" % (got.stdout, got.stderr)):
            print("# " + line)
    os.unlink(path)


rng = np.random.default_rng(20260101)
i64 = np.iinfo(np.int64)
check("integers", [1, -2, 30])
check("uint64 extremes", np.array([0, 2**64 - 1], dtype=np.uint64))
check("int64 extremes", np.array([i64.min, i64.max]))
check("int8", np.array([-128, 127], dtype=np.int8))
check("big-endian uint16", np.array([1, 513], dtype=">u2"))
check("big-endian float64", np.array([1.5, -2.25], dtype=">f8"))
check("booleans", [True, False])
check("0-d boolean", np.array(True))
check("random booleans", rng.integers(0, 2, (40, 40)).astype(bool))
check("halves and quarters", [0.5, 0.25])
check("scientific", [1e-5, 1.5])
check("nan and inf", [np.nan, 1.5, -np.inf])
check("only nan", [np.nan, np.nan])
check("nan and inf only", [np.nan, np.inf])
check("signed zeros", [0.0, -0.0])
check("ratio over 1000", [1e10, 1])
check("3-digit exponent", [1e100, 1])
check("8 digits", [123456.789, 0.001])
check("rounded to 8", [0.1 + 0.2, 1 / 3 * 1e3])
check("random normal", rng.standard_normal((5, 7)))
check("random scaled", rng.standard_normal((50, 50)) * 1e5)
check("float32", np.array([0.1, 1 / 3, 2 / 3], dtype=np.float32))
check("random float32", rng.standard_normal((4, 9)).astype(np.float32))
check("float16", np.array([0.1, 1 / 3, 65504, -2.5], dtype=np.float16))
check("random float16, scientific", (rng.standard_normal(30) * 1000).astype(np.float16))
check("random float32, scientific", (rng.standard_normal((6, 6)) * 1e6).astype(np.float32))
check("random exponents", 10.0 ** rng.uniform(-30, 30, 20))
check("random longdouble", rng.standard_normal(10).astype(np.longdouble) / 3)
check("longdouble", np.array([0.1, 1 / 3], dtype=np.longdouble))
check("complex", [1 + 2j, np.nan + 1j * np.inf])
check("complex zeros", np.zeros(3, complex))
check("complex64", np.array([0.1 + 0.2j, -1e-3j], dtype=np.complex64))
check("clongdouble", np.array([0.1 + 1j / 3], dtype=np.clongdouble))
check("random complex", rng.standard_normal((40, 40)) + 1j * rng.standard_normal((40, 40)))
check("0-d float", np.array(1.0))
check("0-d 1e16", np.array(1e16))
check("0-d 1e-5", np.array(1e-5))
check("0-d float32", np.array(np.float32(0.1)))
check("0-d float16", np.array(np.float16(0.1)))
check("0-d complex", np.array(1 + 2j))
check("0-d imaginary", np.array(2j))
check("0-d negative complex", np.array(-1.5 - 0j))
check("str", ["a", "it's", 'q"', "\n\t", "\xe9\u20ac"])
check("0-d str", np.array("ab"))
check("bytes", [b"\x00a", b"\xff", b"it's"])
check("0-d bytes", np.array(b"ab"))
check("long bytes", [b"x" * 100, b"y" * 30])
check("void", np.zeros(2, "V3"))
check("0-d void", np.zeros((), "V3"))
check("datetime ms", np.array([0, 10**6], dtype="M8[ms]"))
check("datetime W", np.array([1, 2], dtype="M8[W]"))
check("datetime Y", np.array([-3000, 5], dtype="M8[Y]"))
check("datetime M", np.array([-13, 5, 1000], dtype="M8[M]"))
check("datetime 10s with NaT", np.array([1, i64.min], dtype="M8[10s]"))
check("datetime ns", np.array([1234567890123456789, -1], dtype="M8[ns]"))
check("datetime h", np.array([-1, 100], dtype="M8[h]"))
check("datetime m", np.array([-1, 100], dtype="M8[m]"))
check("datetime D", np.array(["2020-02-29", "1600-03-01", "1969-12-31"], dtype="M8[D]"))
check("0-d datetime", np.array(np.datetime64("2020-01-01")))
check("0-d NaT", np.array(np.datetime64("NaT", "s")))
check("timedelta", np.array([1, i64.min], dtype="m8[s]"))
check("0-d timedelta", np.array(np.timedelta64(5, "s")))
check("Fortran order", np.asfortranarray(np.arange(12).reshape(3, 4)))
check("Fortran 3-d", np.asfortranarray(rng.standard_normal((2, 3, 4))))
check("wrapped ints", np.arange(100))
check("wrapped floats", rng.standard_normal(40))
check("3-d", np.arange(24).reshape(2, 3, 4))
check("4-d", np.arange(48.0).reshape(2, 3, 2, 4))
check("11-d", np.zeros((2,) * 11))
check("1x1x1", np.zeros((1, 1, 1)))
check("empty", np.zeros((2, 0)))
check("summarised 1-d", np.arange(2000))
check("summarised 2-d", np.arange(2000.0).reshape(2, 1000))
check("summarised 3-d", np.arange(24000).reshape(20, 30, 40))
check("summarised random", rng.standard_normal((30, 40)))
print("1..%d" % count)
sys.exit(1 if failed else 0)
