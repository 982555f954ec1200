# test_share.py - share_by_name(): arrays through multiprocessing by name
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every transport and start method, across real processes: what arrives is
# checked to be a view of the shared array (its memory in a mapping, writes
# seen both ways), with the sender's layout, and to be sent by value when
# it cannot go by name.  Start methods are named explicitly (Python 3.14
# made forkserver the default).  Worker code lives in sharehelpers.py.
import concurrent.futures
import gc
import multiprocessing
import os
import pickle
import re
import subprocess
import sys
from multiprocessing.reduction import ForkingPickler

import numpy as np
import pytest

import SharedArray as sa
import sharehelpers as helpers
from sahelpers import LIST_SUPPORTED, run_python
from sharehelpers import TIMEOUT, is_shared

METHODS = ["fork", "spawn", "forkserver"]


@pytest.fixture(autouse=True)
def sharing():
    """Sharing on for each test, and off again after it."""
    sa.share_by_name()
    yield
    sa.share_by_name(False)


def filled(shm_name, shape=(6, 5), dtype=np.int64, **kwargs):
    a = sa.create(shm_name(), shape, dtype, **kwargs)
    a[...] = np.arange(a.size).reshape(a.shape, order="F" if kwargs.get("order") == "F"
                                       else "C").astype(dtype)
    return a


def assert_view_of(seen, expected, shared=True, values=None):
    """A report (sharehelpers.report) matches the view EXPECTED (whose
    values were VALUES when sent, if it has changed since)."""
    typename, mapped, shape, strides, dtype, writeable, got = seen
    assert typename == "ndarray"
    assert mapped is shared
    assert shape == expected.shape and dtype == expected.dtype
    if shared:
        assert strides == expected.strides
        assert writeable == expected.flags.writeable
    assert np.array_equal(got, expected if values is None else values)


# ---- what changes and what does not --------------------------------------------

def test_multiprocessing_pickles_a_reference(shm_name):
    a = filled(shm_name, (1000, 100))
    data = ForkingPickler.dumps(a[::2])
    assert len(data) < 1000
    b = pickle.loads(data)
    assert is_shared(b) and np.array_equal(b, a[::2])
    b[0, 0] = -1
    assert a[0, 0] == -1


def test_plain_pickle_is_unchanged(shm_name):
    a = filled(shm_name)
    data = pickle.dumps(a[1:])
    assert data == pickle.dumps(np.array(a[1:]))
    sa.delete(a.base.name)
    b = pickle.loads(data)  # self-contained: the name is not needed
    assert not is_shared(b) and np.array_equal(b, a[1:])


def test_off_again(shm_name):
    a = filled(shm_name)
    sa.share_by_name(False)
    b = pickle.loads(ForkingPickler.dumps(a))
    assert not is_shared(b) and np.array_equal(b, a)
    sa.share_by_name(False)  # twice is harmless
    sa.share_by_name()
    assert is_shared(pickle.loads(ForkingPickler.dumps(a)))


def test_ordinary_arrays_and_scalars_pickle_by_value(shm_name):
    a = filled(shm_name)
    for obj in (np.arange(10), a[2, 3], np.float32(1.5), np.array(a)):
        back = pickle.loads(ForkingPickler.dumps(obj))
        assert type(back) is type(obj) and np.array_equal(back, obj)
        assert not is_shared(back)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # numpy.matrix
def test_subclasses_keep_their_own_pickling(shm_name):
    a = filled(shm_name, dtype=np.float64)
    masked = np.ma.masked_array(a, mask=a > 10)
    back = pickle.loads(ForkingPickler.dumps(masked))
    assert isinstance(back, np.ma.MaskedArray) and not is_shared(back.data)
    assert np.array_equal(back.mask, a > 10)
    matrix = pickle.loads(ForkingPickler.dumps(np.asmatrix(a)))
    assert isinstance(matrix, np.matrix) and not is_shared(matrix)


@pytest.mark.parametrize("args, error", [
    ((1,), TypeError), (("yes",), TypeError), ((None,), TypeError),
    ((True, -1), ValueError), ((True, 1.5), TypeError), ((True, True), TypeError),
    ((True, "1"), TypeError), ((False, 10), ValueError),
])
def test_bad_arguments_change_nothing(shm_name, args, error):
    a = filled(shm_name)
    with pytest.raises(error):
        sa.share_by_name(*args)
    assert is_shared(pickle.loads(ForkingPickler.dumps(a)))  # still on


# ---- views of every layout --------------------------------------------------------

def layouts(shm_name):
    """(description, view) pairs: every kind of layout a view can have."""
    c = filled(shm_name, (6, 5))
    f = filled(shm_name, (6, 5), order="F")
    # create() gives a structured array its fields only as attach() does
    # (SharedArray 3.x gave none): attach it.
    rec = sa.attach(sa.create(shm_name(), 4, [("x", "<i4"), ("y", ">f8"),
                                              ("s", "S3")]).base.name)
    rec["x"] = [1, 2, 3, 4]
    rec["y"] = [0.5, 1.5, 2.5, 3.5]
    rec["s"] = [b"a", b"bc", b"def", b""]
    swapped = sa.create(shm_name(), 5, ">i4")
    swapped[:] = [1, -2, 3, -4, 5]
    ro = sa.attach(c.base.name, ro=True)
    flagged = c[1:4]
    flagged.flags.writeable = False
    return [
        ("whole", c), ("rows", c[2:4]), ("negative strides", c[::-1, ::-2]),
        ("fortran", f), ("fortran slice", f[1:, :3]), ("transposed", c.T),
        ("column", c[:, 3]), ("structured", rec), ("structured field", rec["y"]),
        ("structured slice", rec[::-2]), ("byte-swapped", swapped),
        ("reinterpreted", c.view(np.uint8)[:, 5:17]), ("zero-size", c[3:3]),
        ("zero-d", c[2, 3, ...]), ("read-only mapping", ro[::2]),
        ("read-only view", flagged),
    ]


@pytest.mark.parametrize("method", METHODS)
def test_every_layout_arrives_as_the_same_view(shm_name, method):
    cases = layouts(shm_name)
    with multiprocessing.get_context(method).Pool(1) as pool:
        seen = pool.map_async(helpers.report, [v for _, v in cases]).get(TIMEOUT)
    for (what, view), got in zip(cases, seen):
        try:
            assert_view_of(got, view)
        except AssertionError as exc:
            raise AssertionError(f"{what}: {exc}") from None


def test_read_only_stays_read_only(shm_name):
    a = filled(shm_name)
    ro = sa.attach(a.base.name, ro=True)
    flagged = a[2:]
    flagged.flags.writeable = False
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        got = pool.map_async(helpers.try_set_writeable, [ro, flagged, a[2:]]).get(TIMEOUT)
    assert got == [(False, False), (False, False), (True, True)]


def test_writes_are_seen_both_ways(shm_name):
    a = filled(shm_name, (100,))
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pool.apply_async(helpers.report_and_write, ((a[10:20], 3, -1),)).get(TIMEOUT)
        assert a[13] == -1
        a[15] = -2
        seen = pool.apply_async(helpers.report, (a[10:20],)).get(TIMEOUT)
    assert seen[-1][5] == -2 and seen[-1][3] == -1


def test_many_slices_map_once(shm_name):
    a = filled(shm_name, (1000, 64), dtype=np.uint8)
    slices = [a[i] for i in range(1000)]
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        got, mappings = pool.apply_async(helpers.report_all, (slices,)).get(TIMEOUT)
    assert mappings == 1
    for slice_, seen in zip(slices, got):
        assert seen[1] and np.array_equal(seen[-1], slice_)


# ---- every transport, every start method -----------------------------------------

def check_arrival(results, view, values):
    """The child reported VIEW, as it was when sent (it writes into it next)."""
    assert_view_of(results.get(timeout=TIMEOUT), view, values=values)


def start(ctx, target, *args):
    child = ctx.Process(target=target, args=args)
    child.start()
    return child


def finish(child):
    child.join(TIMEOUT)
    assert child.exitcode == 0, f"child exited with {child.exitcode}"


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_process_arguments(shm_name, method):
    ctx = multiprocessing.get_context(method)
    a = filled(shm_name)
    results, sent = ctx.Queue(), a[::-1, 1:].copy()
    child = start(ctx, helpers.process_target, a[::-1, 1:], results)
    check_arrival(results, a[::-1, 1:], sent)
    finish(child)
    assert a[5, 1] == 42


@pytest.mark.parametrize("kind", ["Queue", "SimpleQueue"])
@pytest.mark.parametrize("method", METHODS)
def test_queues(shm_name, method, kind):
    ctx = multiprocessing.get_context(method)
    a = filled(shm_name)
    queue, results, sent = getattr(ctx, kind)(), ctx.Queue(), a.T[1:].copy()
    child = start(ctx, helpers.queue_target, queue, results)
    queue.put(a.T[1:])
    check_arrival(results, a.T[1:], sent)
    finish(child)
    assert a[0, 1] == 42


@pytest.mark.parametrize("method", METHODS)
def test_pipe_both_ways(shm_name, method):
    ctx = multiprocessing.get_context(method)
    a = filled(shm_name)
    mine, theirs = ctx.Pipe()
    results, sent = ctx.Queue(), a[1:].copy()
    child = start(ctx, helpers.pipe_target, theirs, results)
    mine.send(a[1:])
    check_arrival(results, a[1:], sent)
    assert mine.poll(TIMEOUT)
    back = mine.recv()
    finish(child)
    assert is_shared(back) and np.shares_memory(back, a)
    assert a[1, 0] == 42 and np.array_equal(back, a[2:])


@pytest.mark.parametrize("method", METHODS)
def test_pool_tasks_and_results(shm_name, method):
    a = filled(shm_name)
    with multiprocessing.get_context(method).Pool(2) as pool:
        out = pool.map_async(helpers.pool_task, [a[i] for i in range(6)], chunksize=1)
        out = out.get(TIMEOUT)
    for i, (seen, back) in enumerate(out):
        assert_view_of(seen, np.arange(5 * i, 5 * i + 5))
        assert is_shared(back) and np.shares_memory(back, a)
        assert np.array_equal(back, a[i, 1:])
    assert a[:, 0].tolist() == [42] * 6


@pytest.mark.parametrize("method", METHODS)
def test_process_pool_executor(shm_name, method):
    a = filled(shm_name, (4, 3))
    ctx = multiprocessing.get_context(method)
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as ex:
        futures = [ex.submit(helpers.pool_task, a[:, i]) for i in range(3)]
        out = [f.result(TIMEOUT) for f in futures]
        mapped = list(ex.map(helpers.report, [a[1:], a[::-1]], timeout=TIMEOUT))
    for i, (seen, back) in enumerate(out):
        assert seen[1] and is_shared(back) and np.shares_memory(back, a)
    assert a[0].tolist() == [42, 42, 42]
    assert_view_of(mapped[0], a[1:])
    assert_view_of(mapped[1], a[::-1])


def test_manager_keeps_and_returns_references(shm_name):
    a = filled(shm_name, (6, 5))
    with multiprocessing.get_context("spawn").Manager() as manager:
        queue = manager.Queue()
        queue.put(a[::-2])
        back = queue.get(timeout=TIMEOUT)
    assert is_shared(back) and back.base is a.base
    assert back.strides == a[::-2].strides and np.array_equal(back, a[::-2])


# ---- results ------------------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_results_that_are_views_come_back_by_name(shm_name, method):
    a = filled(shm_name, (10,))
    with multiprocessing.get_context(method).Pool(1) as pool:
        back = pool.apply_async(helpers.view_of_received, (a[3:],)).get(TIMEOUT)
        plain = pool.apply_async(helpers.plain_result, (4,)).get(TIMEOUT)
    assert a[3] == -7
    assert is_shared(back) and np.shares_memory(back, a) and back.base is a.base
    back[0] = 99
    assert a[4] == 99
    assert not is_shared(plain) and plain.tolist() == [0, 1, 2, 3]


def test_forked_workers_send_what_they_attach_by_name(shm_name):
    a = filled(shm_name, (10,))
    with multiprocessing.get_context("fork").Pool(1) as pool:
        back = pool.apply_async(helpers.view_of_attached, (a.base.name,)).get(TIMEOUT)
    assert is_shared(back) and np.array_equal(back, a[2:])


def test_fresh_workers_share_what_they_attach_after_share_by_name(shm_name):
    # What is documented: a spawn worker that has received no reference
    # sends its results by value unless it calls share_by_name() itself.
    a = filled(shm_name, (10,))
    name = a.base.name
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        by_value = pool.apply_async(helpers.view_of_attached, (name,)).get(TIMEOUT)
    with ctx.Pool(1, initializer=sa.share_by_name) as pool:
        by_name = pool.apply_async(helpers.view_of_attached, (name,)).get(TIMEOUT)
    assert not is_shared(by_value) and np.array_equal(by_value, a[2:])
    assert is_shared(by_name) and np.array_equal(by_name, a[2:])


# ---- names that are gone ----------------------------------------------------------

def receive_after(shm_name, prepare):
    """Send a view through a pipe, run PREPARE, then let a spawn child receive it."""
    ctx = multiprocessing.get_context("spawn")
    a = filled(shm_name, (8,))
    mine, theirs = ctx.Pipe()
    go, results = ctx.Event(), ctx.Queue()
    child = start(ctx, helpers.receive_later, theirs, go, results)
    mine.send(a[2:6])
    prepare(a)
    go.set()
    got = results.get(timeout=TIMEOUT)
    finish(child)
    return a, got


def test_deleted_in_transit(shm_name):
    a, got = receive_after(shm_name, lambda a: sa.delete(a.base.name))
    kind, exc_type, code, filename, message = got
    assert (kind, exc_type, code, filename) == ("error", "FileNotFoundError", 2, a.base.name)
    assert "deleted" in message


def test_deleted_and_given_to_another_array_in_transit(shm_name):
    def replace(a):
        sa.delete(a.base.name)
        sa.create(a.base.name, 8, np.int64)[:] = 1000

    a, got = receive_after(shm_name, replace)
    assert got[:4] == ("error", "FileNotFoundError", 2, a.base.name)
    assert "another array" in got[4]


def test_cached_attachment_of_a_deleted_name_is_not_used(shm_name):
    a = filled(shm_name, (8,))
    name = a.base.name
    first = pickle.loads(ForkingPickler.dumps(a[1:]))  # as a receiver would
    second = ForkingPickler.dumps(a[2:])
    sa.delete(name)
    with pytest.raises(FileNotFoundError) as info:
        pickle.loads(second)
    assert info.value.filename == name
    assert is_shared(first)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_deleted_name_still_attached_goes_by_value(shm_name, method):
    a = filled(shm_name, (8,))
    sa.delete(a.base.name)
    with multiprocessing.get_context(method).Pool(1) as pool:
        seen = pool.apply_async(helpers.report_and_write, ((a[2:], 0, -5),)).get(TIMEOUT)
    assert_view_of(seen, a[2:], shared=False)
    assert a[2] == 2  # a copy was written, not the array


def test_name_given_to_another_array_goes_by_value(shm_name):
    a = filled(shm_name, (8,))
    sa.delete(a.base.name)
    other = sa.create(a.base.name, 8, np.int64)
    other[:] = 1000
    b = pickle.loads(ForkingPickler.dumps(a[2:]))
    assert not is_shared(b) and b.tolist() == [2, 3, 4, 5, 6, 7]


# ---- joblib -----------------------------------------------------------------------

@pytest.fixture
def joblib():
    try:
        import joblib
    except ImportError:
        pytest.skip("joblib is not installed (Debian: python3-joblib)")
    return joblib


@pytest.mark.parametrize("backend", ["loky", "multiprocessing"])
def test_joblib_sends_shared_arrays_by_name(shm_name, joblib, backend):
    a = filled(shm_name, (6, 5))
    ordinary = np.arange(10)
    run = joblib.Parallel(n_jobs=2, backend=backend, timeout=TIMEOUT)
    out = run(joblib.delayed(helpers.pool_task)(v) for v in (a[0], a[1, ::-2], a.T[2]))
    seen = run(joblib.delayed(helpers.report)(v) for v in (a[::-1], ordinary))
    assert_view_of(seen[0], a[::-1])
    assert_view_of(seen[1], ordinary, shared=False)
    assert a[0, 0] == 42 and a[1, 4] == 42 and a[0, 2] == 42
    for (got, back), view in zip(out, (a[0], a[1, ::-2], a.T[2])):
        assert got[1] and got[3] == view.strides
        assert is_shared(back) and np.shares_memory(back, a)
        assert np.array_equal(back, view[1:])


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_joblib_multiprocessing_backend_in_other_start_methods(shm_name, joblib, method):
    # The pool's reducer tables travel to spawn and forkserver workers.
    a = filled(shm_name, (2, 5))
    code = (
        "import multiprocessing, sys\n"
        f"sys.path.insert(0, {os.path.dirname(helpers.__file__)!r})\n"
        "import joblib, SharedArray as sa, sharehelpers as helpers\n"
        "if __name__ == '__main__':\n"
        f"    multiprocessing.set_start_method({method!r})\n"
        "    sa.share_by_name()\n"
        f"    a = sa.attach({a.base.name!r})\n"
        "    out = joblib.Parallel(n_jobs=2, backend='multiprocessing', timeout=60)(\n"
        "        joblib.delayed(helpers.pool_task)(v) for v in a)\n"
        "    print([(seen[1], helpers.is_shared(back)) for seen, back in out])\n")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr([(True, True)] * 2)
    assert a[:, 0].tolist() == [42, 42]


def test_joblib_is_given_back(shm_name, joblib):
    from joblib.externals.loky.backend import reduction
    from joblib.parallel import BACKENDS

    assert reduction.get_loky_pickler_name() == "SharedArray._joblib"
    sa.share_by_name(False)
    assert reduction.get_loky_pickler_name() == "cloudpickle"
    assert BACKENDS["multiprocessing"].__module__ == "joblib._parallel_backends"
    a = filled(shm_name, (6,))
    seen = joblib.Parallel(n_jobs=2, backend="loky", timeout=TIMEOUT)(
        joblib.delayed(helpers.report)(v) for v in (a, a[1:]))
    assert not seen[0][1] and not seen[1][1]


def test_joblib_imported_later_is_hooked(joblib):
    code = (
        "import sys, numpy as np, SharedArray as sa\n"
        "sa.share_by_name()\n"
        "assert 'joblib' not in sys.modules\n"
        "from joblib.externals.loky.backend import reduction\n"
        "print(reduction.get_loky_pickler_name())\n")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["SharedArray._joblib"]


# ---- the documentation's examples run -------------------------------------------

def source_file(*path):
    srcdir = os.environ.get("SA_TEST_SRCDIR")
    if not srcdir:
        pytest.skip("SA_TEST_SRCDIR not set (run through make check)")
    with open(os.path.join(srcdir, *path)) as f:
        return f.read()


def with_name(code, name):
    return code.replace('"shm://frames"', f'"shm://{name}"').replace('"frames"', f'"{name}"')


def test_man_page_example_runs(shm_name, tmp_path):
    page = source_file("man", "man3", "SharedArray.3")
    example = page.split(".SH EXAMPLES", 1)[1].split(".EX\n", 1)[1].split(".EE\n", 1)[0]
    for roff, text in (("\\(aq", "'"), ("\\-", "-"), ("\\e", "\\")):
        example = example.replace(roff, text)
    program = tmp_path / "example.py"
    program.write_text(with_name(example, shm_name("man")))
    result = subprocess.run([sys.executable, str(program)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr([0.0] * 100)


def test_readme_example_runs(shm_name):
    readme = source_file("README.md")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    block = next(b for b in blocks if "share_by_name" in b)
    name = shm_name("readme")
    program = ("import numpy as np\nimport SharedArray as sa\n" + with_name(block, name) +
               "assert means == [0.0] * 100\n"
               "import SharedArray._share as s\n"
               "print(s._State.enabled, len(frames))\n")
    result = run_python(program)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "100"]


# ---- copy_threshold ---------------------------------------------------------------

@pytest.fixture
def copies():
    """share_by_name(copy_threshold=1000); a function that lists the
    copies made since, that still exist."""
    gc.collect()
    before = set(helpers.copy_names(os.getpid()))
    sa.share_by_name(copy_threshold=1000)

    def live_copies():
        if LIST_SUPPORTED:
            sa.list()  # removes what nobody holds any more
        return sorted(set(helpers.copy_names(os.getpid())) - before)

    yield live_copies
    gc.collect()


def test_copy_threshold_sends_large_ordinary_arrays_through_a_copy(copies):
    big = np.arange(125.0)  # 1,000 bytes: at the threshold
    small = np.arange(124.0)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        seen = pool.map_async(helpers.report_and_write,
                              [(big, 0, -1.0), (small, 0, -1.0)]).get(TIMEOUT)
    assert_view_of(seen[0], big)
    assert_view_of(seen[1], small, shared=False)
    assert big[0] == 0.0 and small[0] == 0.0  # the sender's arrays are not written
    (name,) = copies()
    assert sa.attach(name)[0] == -1.0  # the copy is: it is shared both ways


def test_copies_keep_layout_dtype_and_read_only(copies):
    fortran = np.asfortranarray(np.arange(2400, dtype=">i4").reshape(40, 60))
    structured = np.zeros(100, [("x", "<i4"), ("y", "S8")])
    structured["x"] = np.arange(100)
    readonly = np.arange(200.0)
    readonly.flags.writeable = False
    arrays = [fortran, fortran[::-2, 1::3], structured, readonly]
    with multiprocessing.get_context("forkserver").Pool(1) as pool:
        seen = pool.map_async(helpers.report, arrays).get(TIMEOUT)
        writable = pool.apply_async(helpers.try_set_writeable, (readonly,)).get(TIMEOUT)
    for array, got in zip(arrays, seen):
        typename, mapped, shape, strides, dtype, writeable, values = got
        assert mapped and shape == array.shape and dtype == array.dtype
        assert writeable == array.flags.writeable and np.array_equal(values, array)
    assert seen[0][3] == fortran.strides
    assert writable == (False, False)


def test_an_array_is_copied_once_while_unchanged(copies):
    array = np.arange(1000.0)
    first = pickle.loads(ForkingPickler.dumps(array))
    second = pickle.loads(ForkingPickler.dumps(array))
    assert len(copies()) == 1 and np.shares_memory(first, second)
    array[5] = -5.0
    third = pickle.loads(ForkingPickler.dumps(array))
    assert third[5] == -5.0 and first[5] == 5.0  # never stale, never changed under a receiver
    assert len(copies()) == 2


def test_deleted_name_still_attached_goes_through_a_copy(copies, shm_name):
    a = filled(shm_name, (200,), dtype=np.float64)
    sa.delete(a.base.name)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        seen = pool.apply_async(helpers.report_and_write, ((a, 0, -5.0),)).get(TIMEOUT)
    assert_view_of(seen, a, values=np.arange(200.0))
    assert a[0] == 0.0  # the copy was written, never the deleted array
    (name,) = copies()
    assert sa.attach(name)[0] == -5.0


def test_copies_go_with_the_array(copies):
    array = np.arange(1000.0)
    received = pickle.loads(ForkingPickler.dumps(array))
    (name,) = copies()
    del array
    gc.collect()
    assert copies() == [name]  # a receiver still holds it
    del received
    gc.collect()
    assert copies() == []
    with pytest.raises(FileNotFoundError):
        sa.attach(name)


def test_copies_vanish_after_the_pool_even_when_workers_are_killed(copies):
    ctx = multiprocessing.get_context("spawn")
    for _ in range(5):
        arrays = [np.full(500, float(i)) for i in range(3)]
        with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as ex:
            seen = ex.submit(helpers.report, arrays[0]).result(TIMEOUT)
            killed = ex.submit(helpers.kill_self, arrays[1])
            with pytest.raises(concurrent.futures.process.BrokenProcessPool):
                killed.result(TIMEOUT)
        assert seen[1] and len(copies()) == 2  # held while the arrays live
        del arrays, seen, killed
        gc.collect()
        assert copies() == []


def test_copies_vanish_when_every_holder_is_killed():
    # The sender and its worker both die by SIGKILL holding a copy.
    code = (
        "import multiprocessing, os, signal, sys\n"
        f"sys.path.insert(0, {os.path.dirname(helpers.__file__)!r})\n"
        "import numpy as np, SharedArray as sa, sharehelpers as helpers\n"
        "if __name__ == '__main__':\n"
        "    sa.share_by_name(copy_threshold=1)\n"
        "    array = np.arange(1000.0)\n"
        "    pool = multiprocessing.get_context('spawn').Pool(1)\n"
        "    pid, name = pool.apply(helpers.keep, (array,))\n"
        "    print(os.getpid(), name, flush=True)\n"
        "    os.kill(pid, signal.SIGKILL)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n")
    result = run_python(code)
    sender, name = result.stdout.split()
    assert name.startswith(f"sa-copy-{sender}-")
    with pytest.raises(FileNotFoundError):
        sa.attach(name)
    if LIST_SUPPORTED:
        sa.list()
    assert helpers.copy_names(sender) == []
