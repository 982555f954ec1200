#!/usr/bin/python3
"""bench.py - the libsharedarray benchmark suite (make bench).

Every measure is a pair, A against B, timed interleaved in this one run
(A B, B A, A B...) so that a noisy machine's drift hits both sides alike.
The table reports the median of each side and the ratio A/B of the
medians, with the issue's target beside it.  Nothing here asserts: it
measures and reports.

Run by "make bench" with the module and the library of the build tree:
    bench.py --bench-c ./bench_c --bench-holders ./bench_holders
             [--results RESULTS.md] [--quick]
"""

import argparse
import datetime
import gc
import mmap
import multiprocessing as mp
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

try:
    import numpy as np
    import SharedArray as sa
except ImportError as exc:  # the C half still runs
    np = sa = None
    PYTHON_MISSING = str(exc)
else:
    PYTHON_MISSING = None

MIB = 1 << 20
ROWS = []
LOCK_ROWS = []  # the section "Locks and change notification"
REPORTED = float("inf")  # a limit every ratio meets: no target, the figure is reported


def row(measure, a_label, a, b_label, b, target, limit, unit="µs", speedup=False,
        table=ROWS):
    """A pair's medians.  The ratio is A/B (time), or B/A when SPEEDUP (how
    many times faster A is), as the target is stated; it meets the target
    when it is at most LIMIT (time ratio) or at least LIMIT (speed-up)."""
    ratio = (b / a if speedup else a / b) if b else float("nan")
    met = ratio >= limit if speedup else ratio <= limit
    table.append((measure, a_label, a, b_label, b, ratio, speedup, target, met, unit))
    kind = "B/A" if speedup else "A/B"
    print(f"{measure}: {a_label} {a:.1f} {unit}, {b_label} {b:.1f} {unit}: {kind} = {ratio:.3f}"
          f"  (target {target}: {'met' if met else 'MISSED'})", flush=True)


def interleaved(run_a, run_b, rounds, setup=None):
    """Median seconds of A and of B, run alternately ROUNDS times each."""
    ta, tb = [], []
    for i in range(rounds):
        order = ((run_a, ta), (run_b, tb)) if i % 2 == 0 else ((run_b, tb), (run_a, ta))
        for run, times in order:
            if setup:
                setup()
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def resident_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


# --- C: the library against the bare system calls ------------------------

def bench_c(binary, rounds):
    out = subprocess.run([binary, "pairs", str(rounds)], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        label, a, b, ratio = line.split("\t")
        a, b, ratio = float(a), float(b), float(ratio)
        if label.startswith("resident growth"):
            size = "1 GiB" if "1073741824" in label else "1 KiB"
            row(f"C resident memory after attaching untouched {size}",
                "growth", a, "limit", 8 * 1024, "< 8 MiB", 0.999, unit="KiB")
        elif "128 MiB" in label:
            row("C attach+detach, 128 MiB vs 80 bytes", "128 MiB", a / 1e3,
                "80 B", b / 1e3, "≤ 2×", 2)
        else:
            what = label.split(":")[0]
            row(f"{what} vs syscall floor", "libsharedarray", a / 1e3,
                "floor", b / 1e3, "≤ 1.3×", 1.3)


def bench_locks(binary, rounds):
    """sa_lock against bare OFD locks and a robust mutex; wake-up and hand-over
    latencies across processes (bench_c locks)."""
    out = subprocess.run([binary, "locks", str(rounds)], check=True,
                         capture_output=True, text=True).stdout
    got = {}
    for line in out.splitlines():
        label, *values = line.split("\t")
        got[label] = [float(v) / 1e3 for v in values]
    sa_x, fcntl_x, mutex_x = got["lock pair exclusive"]
    sa_s, fcntl_s, mutex_s = got["lock pair shared"]
    wake_sa, wake_pipe = got["wake-up"]
    untimed, timed = got["hand-over"]
    rows = [
        ("C lock+unlock, exclusive, uncontended", "sa_lock+sa_unlock", sa_x,
         "goal", 2.0, "≤ 2 µs", 1.0),
        ("C lock+unlock, exclusive: libsharedarray vs bare fcntl OFD locks (its floor)",
         "libsharedarray", sa_x, "F_OFD_SETLK pair", fcntl_x, "none (reported)", REPORTED),
        ("C lock+unlock, exclusive: libsharedarray vs robust process-shared pthread mutex",
         "libsharedarray", sa_x * 1e3, "robust mutex", mutex_x * 1e3, "none (reported)",
         REPORTED, "ns"),
        ("C lock+unlock, shared: libsharedarray vs bare fcntl OFD locks",
         "libsharedarray", sa_s, "F_OFD_SETLK pair", fcntl_s, "none (reported)", REPORTED),
        ("wake-up across processes: sa_notify to sa_wait returning", "median", wake_sa,
         "goal", 50.0, "≤ 50 µs", 1.0),
        ("wake-up across processes: sa_notify/sa_wait vs a pipe's write/read",
         "sa_notify", wake_sa, "pipe", wake_pipe, "none (reported)", REPORTED),
        ("lock hand-over to a timed waiter (retrying) in another process", "timed", timed,
         "bound", 2000.0, "≤ 2 ms (sa_lock(3))", 1.0),
        ("lock hand-over in another process: untimed waiter (in the kernel) vs timed",
         "untimed", untimed, "timed", timed, "none (reported)", REPORTED),
    ]
    for measure, al, a, bl, b, target, limit, *unit in rows:
        row(measure, al, a, bl, b, target, limit, unit=unit[0] if unit else "µs",
            table=LOCK_ROWS)


def time_steps(binary, rounds):
    """Each system call of both create+delete paths, timed alone."""
    out = subprocess.run([binary, "steps", str(rounds)], check=True,
                         capture_output=True, text=True).stdout
    lines = ["| system call | median |", "|---|---|"]
    for line in out.splitlines():
        call, ns = line.split("\t")
        lines.append(f"| {call} | {float(ns) / 1e3:.1f} µs |")
    return lines


# --- holders and transient arrays (bench_holders) ----------------------------

def bench_transient(binary, rounds):
    """What a transient attachment adds to attach and to detach."""
    out = subprocess.run([binary, "transient", str(rounds)], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        label, a, b, _ = line.split("\t")
        what = label.split(":")[0]
        row(f"{what} of an array, transient vs ordinary", "transient", float(a) / 1e3,
            "ordinary", float(b) / 1e3, "none (reported)", float("inf"))


def bench_listing(binary, rounds, arrays=1000, processes=200):
    """sharedarray list's HOLDERS column: one /proc scan for the whole listing."""
    out = subprocess.run([binary, "listing", str(arrays), str(processes), str(rounds)],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        label, a, b, _ = line.split("\t")
        row(f"list of {arrays:,} arrays, {processes} more processes running: "
            "with holders vs without", "with holders", float(a) / 1e6,
            "without", float(b) / 1e6, "≤ 3×", 3, unit="ms")


def syscall_trace(binary, holders_binary=None):
    """The system calls of each path, from strace, cut at the markers."""
    if not shutil.which("strace"):
        return ["(strace is not installed: apt-get install strace)"]
    lines = []
    paths = [(binary, p) for p in ("floor-create", "sa-create", "floor-attach", "sa-attach")]
    if holders_binary:
        paths += [(holders_binary, p) for p in ("sa-attach-ordinary", "sa-attach-transient")]
    for program, path in paths:
        with tempfile.NamedTemporaryFile("r") as log:
            subprocess.run(["strace", "-o", log.name, program, "trace", path],
                           check=True, capture_output=True)
            calls, inside = {}, False
            for line in log:
                if 'write(2, "BEGIN' in line:
                    inside = True
                elif 'write(2, "END' in line:
                    inside = False
                elif inside and "(" in line:
                    name = line.split("(", 1)[0]
                    calls[name] = calls.get(name, 0) + 1
        total = sum(calls.values())
        listed = ", ".join(f"{n}×{c}" if c > 1 else n for n, c in sorted(calls.items()))
        lines.append(f"| {path} | {total} | {listed} |")
    return lines


# --- Python: against what users pick instead ------------------------------

def bench_python_small(rounds):
    from multiprocessing import shared_memory
    name, nbytes = f"sa-bench-py-{os.getpid()}", 80

    def sa_create_delete():
        a = sa.create(name, 10)
        del a
        sa.delete(name)

    def stdlib_create_delete():
        shm = shared_memory.SharedMemory(name=name + "-std", create=True, size=nbytes)
        a = np.ndarray((10,), dtype=np.float64, buffer=shm.buf)
        del a
        shm.close()
        shm.unlink()

    a, b = interleaved(sa_create_delete, stdlib_create_delete, rounds)
    row("Python create+delete, 10 float64", "SharedArray", a * 1e6,
        "shared_memory+ndarray", b * 1e6, "≤ 1.0×", 1.0)

    sa.create(name, 10)
    std = shared_memory.SharedMemory(name=name + "-std", create=True, size=nbytes)

    def sa_attach():
        a = sa.attach(name)
        del a

    def stdlib_attach():
        shm = shared_memory.SharedMemory(name=name + "-std")
        a = np.ndarray((10,), dtype=np.float64, buffer=shm.buf)
        del a
        shm.close()

    a, b = interleaved(sa_attach, stdlib_attach, rounds)
    row("Python attach, 10 float64", "SharedArray", a * 1e6,
        "shared_memory+ndarray", b * 1e6, "≤ 1.0×", 1.0)
    sa.delete(name)
    std.close()
    std.unlink()


def worker(conn):
    """A running worker: takes arrays by name or pickled, answers a checksum."""
    while True:
        kind, payload = conn.recv()
        if kind == "stop":
            return
        a = sa.attach(payload, ro=True) if kind == "name" else payload
        conn.send(float(a[0]) + float(a[-1]))
        del a


def bench_handoff(reps):
    name = f"sa-bench-handoff-{os.getpid()}"
    n = 256 * MIB // 8
    a = sa.create(name, n, populate=True)
    a[:] = 1.0
    parent, child = mp.Pipe()
    proc = mp.get_context("fork").Process(target=worker, args=(child,))
    proc.start()

    def by_name():
        parent.send(("name", name))
        assert parent.recv() == 2.0

    def by_pickle():
        parent.send(("array", a))
        assert parent.recv() == 2.0

    t_name, t_pickle = interleaved(by_name, by_pickle, reps)
    parent.send(("stop", None))
    proc.join()
    del a
    sa.delete(name)
    row("hand a 256 MiB array to a running worker", "by name", t_name * 1e3,
        "pickled through a pipe", t_pickle * 1e3, "≥ 100× faster", 100, unit="ms",
        speedup=True)


def bench_list(rounds, counts=(100, 1000, 10000)):
    base = tempfile.mkdtemp(prefix="sa-bench-list-", dir="/dev/shm")
    medians = {}
    try:
        for count in counts:
            d = os.path.join(base, str(count))
            os.mkdir(d)
            for i in range(count):
                sa.create(f"file://{d}/a{i:05d}", 10)
        # Interleave the sizes round by round.
        times = {c: [] for c in counts}
        for _ in range(rounds):
            for count in counts:
                d = os.path.join(base, str(count))
                t0 = time.perf_counter()
                entries = sa.list(d)
                times[count].append(time.perf_counter() - t0)
                assert len(entries) == count
        medians = {c: statistics.median(t) for c, t in times.items()}
    finally:
        shutil.rmtree(base)
    for count in counts:
        print(f"list() of {count} arrays: {medians[count] * 1e3:.2f} ms", flush=True)
    row("list() of 1,000 vs 100 arrays", "1,000", medians[1000] * 1e3, "100",
        medians[100] * 1e3, "≤ 15× (linear)", 15, unit="ms")
    row("list() of 10,000 vs 1,000 arrays", "10,000", medians[10000] * 1e3, "1,000",
        medians[1000] * 1e3, "≤ 15× (linear)", 15, unit="ms")


def plain_mapping_fill(path, nbytes):
    """What SharedArray 3.2 does: a shared mapping, faulted in page by page."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.ftruncate(fd, nbytes)
        m = mmap.mmap(fd, nbytes, mmap.MAP_SHARED)
    finally:
        os.close(fd)
    a = np.frombuffer(m, dtype=np.uint8)
    a.fill(1)
    del a
    m.close()
    os.unlink(path)


def bench_bandwidth(reps, directory, label):
    nbytes = 256 * MIB
    name = f"file://{directory}/sa-bench-fill-{os.getpid()}"

    def populated():
        a = sa.create(name, nbytes, np.uint8, populate=True)
        a.fill(1)
        del a
        sa.delete(name)

    def plain():
        plain_mapping_fill(f"{directory}/sa-bench-plain-{os.getpid()}", nbytes)

    def private():
        a = np.empty(nbytes, np.uint8)
        a.fill(1)
        del a

    t_pop, t_plain = interleaved(populated, plain, reps, setup=gc.collect)
    row(f"create + first fill of 256 MiB ({label}): populate vs plain shared mapping",
        "populate=True", t_pop * 1e3, "touched page by page", t_plain * 1e3,
        "≥ 1.7× faster", 1.7, unit="ms", speedup=True)
    t_pop, t_priv = interleaved(populated, private, reps, setup=gc.collect)
    huge = "huge" in label
    row(f"create + fill of 256 MiB ({label}) vs private memory",
        "SharedArray populate=True", t_pop * 1e3, "np.empty + fill", t_priv * 1e3,
        "≥ 0.9× (speed)" if huge else "none (reported)", 0.9 if huge else 0,
        unit="ms", speedup=True)


def mount_huge_tmpfs():
    if os.geteuid() != 0:
        print("not root: no huge-page tmpfs mounted, that pair is skipped", flush=True)
        return None
    d = tempfile.mkdtemp(prefix="sa-bench-huge-")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1G,huge=always",
                          "sa-bench-huge", d], capture_output=True, text=True)
    if res.returncode != 0:
        print(f"mount of a huge-page tmpfs failed: {res.stderr.strip()}", flush=True)
        os.rmdir(d)
        return None
    return d


def bench_attach_sizes(rounds):
    small, big = f"sa-bench-1k-{os.getpid()}", f"sa-bench-1g-{os.getpid()}"
    sa.create(small, 1024, np.uint8)
    sa.create(big, 1 << 30, np.uint8)
    gc.collect()
    before = resident_kib()
    held = sa.attach(big)
    growth = resident_kib() - before
    del held

    def attach_small():
        a = sa.attach(small)
        del a

    def attach_big():
        a = sa.attach(big)
        del a

    t_big, t_small = interleaved(attach_big, attach_small, rounds)
    sa.delete(small)
    sa.delete(big)
    row("Python attach, 1 GiB vs 1 KiB", "1 GiB", t_big * 1e6, "1 KiB", t_small * 1e6,
        "≤ 2× (O(1))", 2)
    row("Python resident memory after attaching untouched 1 GiB", "growth", growth,
        "limit", 8 * 1024, "< 8 MiB", 0.999, unit="KiB")


# --- report -----------------------------------------------------------------

def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // (1024 * 1024)
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            thp = f.read().strip()
    except OSError:
        thp = "unknown"
    return (f"{cpu}, {os.cpu_count()} CPUs, {mem} GiB; Linux {platform.release()}; "
            f"THP {thp}; Python {platform.python_version()}"
            + (f", numpy {np.__version__}" if np else ""))


def table(rows):
    text = "| measure | A | B | ratio | target | met |\n|---|---|---|---|---|---|\n"
    for measure, al, a, bl, b, ratio, speedup, target, met, unit in rows:
        kind = "B/A" if speedup else "A/B"
        text += (f"| {measure} | {al}: {a:.1f} {unit} | {bl}: {b:.1f} {unit} | "
                 f"{kind} {ratio:.2f} | {target} | {'yes' if met else '**no**'} |\n")
    return text


LOCK_HEADING = "## Locks and change notification"


def lock_section():
    return (f"{LOCK_HEADING}\n\n"
            f"Measured {datetime.date.today().isoformat()} on: {machine()}.  Medians of "
            "interleaved runs (C, `bench_c locks`); lock+unlock pairs timed 100 at a "
            "time.\n\n" + table(LOCK_ROWS) + "\n")


def notes():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "NOTES.md")) as n:
        return n.read()


def replace_lock_section(path):
    """Put this run's lock section (and NOTES.md as it is now) into RESULTS.md,
    leaving the other figures as they were."""
    with open(path) as f:
        text = f.read()
    start = text.find(LOCK_HEADING)
    if start < 0:
        start = end = text.index("## System calls per path")
    else:
        end = text.index("\n## ", start + len(LOCK_HEADING)) + 1
    text = text[:start] + lock_section() + text[end:]
    first_note = notes().split("\n", 1)[0]
    text = text[:text.index(first_note)] + notes()
    with open(path, "w") as f:
        f.write(text)
    print(f"updated the lock section of {path}")


def write_results(path, trace_lines, step_lines):
    with open(path, "w") as f:
        f.write("# Benchmark results\n\n")
        f.write(f"Measured {datetime.date.today().isoformat()} by `make bench` on: "
                f"{machine()}.\n\n")
        f.write("Each pair is timed interleaved in one run; the figures are medians, "
                "the ratio is A/B of the medians (this machine is a noisy VM: "
                "absolute times drift, ratios hold).\n\n")
        f.write(table(ROWS))
        f.write("\n" + lock_section())
        f.write("## System calls per path (strace, one call of each path)\n\n")
        f.write("| path | calls | which |\n|---|---|---|\n")
        f.write("\n".join(trace_lines) + "\n")
        f.write("\n## Where the time goes (create+detach+delete, each call alone)\n\n")
        f.write("\n".join(step_lines) + "\n\n")
        f.write(notes())
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-c", required=True, help="the bench_c program")
    parser.add_argument("--bench-holders", help="the bench_holders program")
    parser.add_argument("--results", help="write the table there (markdown)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--only-locks", action="store_true",
                        help="measure locks and notification only, and replace just "
                             "their section of the results")
    args = parser.parse_args()
    many, few = (500, 3) if args.quick else (4000, 9)

    bench_locks(args.bench_c, many)
    if args.only_locks:
        if args.results:
            replace_lock_section(args.results)
        report()
        return

    bench_c(args.bench_c, many)
    if args.bench_holders:
        bench_transient(args.bench_holders, many)
        bench_listing(args.bench_holders, few * 2 + 1)
    trace_lines = syscall_trace(args.bench_c, args.bench_holders)
    print("\n".join(trace_lines))
    step_lines = time_steps(args.bench_c, many // 2)
    print("\n".join(step_lines))
    if PYTHON_MISSING:
        print(f"Python half skipped: {PYTHON_MISSING}")
    else:
        bench_python_small(many)
        bench_attach_sizes(many)
        bench_handoff(few)
        bench_list(few * 2 + 1)
        bench_bandwidth(few, "/dev/shm", "/dev/shm")
        huge = mount_huge_tmpfs()
        if huge:
            try:
                bench_bandwidth(few, huge, "huge-page tmpfs")
            finally:
                subprocess.run(["umount", huge])
                os.rmdir(huge)
    if args.results:
        write_results(args.results, trace_lines, step_lines)
    report()


def report():
    rows = ROWS + LOCK_ROWS
    missed = [r[0] for r in rows if not r[8]]
    print(f"{len(rows) - len(missed)} targets met, {len(missed)} missed"
          + (": " + "; ".join(missed) if missed else ""))


if __name__ == "__main__":
    main()
