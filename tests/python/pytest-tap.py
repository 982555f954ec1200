#!/usr/bin/env python3
# pytest-tap.py - run pytest on test files, one TAP line per test case
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The automake TAP driver (build-aux/tap-driver.sh) reads TAP on stdout:
#   ok 1 - test_api.py::test_create
#   not ok 2 - test_api.py::test_attach
#   ok 3 - test_api.py::test_mlock # SKIP RLIMIT_MEMLOCK too small
#   1..3
# Only this script writes to the real stdout.  pytest's own report and
# whatever the tests print go to stderr, which the driver keeps in the
# test's .log, so a stray "ok" printed by a test cannot count as a result.
import os
import sys


def _describe(nodeid):
    # "#" starts a TAP directive: keep it out of descriptions.
    return nodeid.replace("#", "%23")


class TapPlugin:
    """Turns pytest's reports into TAP lines on OUT."""

    def __init__(self, out):
        self.out = out
        self.count = 0
        self.state = {}

    def _emit(self, ok, nodeid, directive=""):
        self.count += 1
        status = "ok" if ok else "not ok"
        self.out.write(f"{status} {self.count} - {_describe(nodeid)}{directive}\n")
        self.out.flush()

    def pytest_collectreport(self, report):
        if report.failed:
            self._emit(False, report.nodeid or "collection", " (collection error)")

    def pytest_runtest_logreport(self, report):
        st = self.state.setdefault(report.nodeid,
                                   {"failed": [], "skip": None, "xfail": None, "xpass": False})
        if report.failed:
            st["failed"].append(report.when)
        elif report.skipped:
            if hasattr(report, "wasxfail"):
                st["xfail"] = report.wasxfail or "expected failure"
            else:
                longrepr = report.longrepr
                reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
                if reason.startswith("Skipped: "):
                    reason = reason[len("Skipped: "):]
                st["skip"] = reason.replace("\n", " ")
        elif report.passed and hasattr(report, "wasxfail"):
            st["xpass"] = True
        if report.when != "teardown":
            return
        del self.state[report.nodeid]
        if st["failed"]:
            self._emit(False, report.nodeid, f" (failed in {', '.join(st['failed'])})")
        elif st["xfail"] is not None:
            self._emit(False, report.nodeid, f" # TODO {st['xfail']}")
        elif st["xpass"]:
            self._emit(True, report.nodeid, " # TODO unexpectedly passed")
        elif st["skip"] is not None:
            self._emit(True, report.nodeid, f" # SKIP {st['skip']}")
        else:
            self._emit(True, report.nodeid)

    def finish(self, exit_code):
        if exit_code not in (0, 1, 5):
            self.out.write(f"Bail out! pytest exited with status {exit_code}\n")
        elif self.count == 0:
            self.out.write("1..0 # SKIP no tests collected\n")
        else:
            self.out.write(f"1..{self.count}\n")
        self.out.flush()


def main(argv):
    tap = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    try:
        import pytest
    except ImportError:
        tap.write(f"1..0 # SKIP pytest is not installed for {sys.executable}"
                  " (python3-pytest)\n")
        return 0
    plugin = TapPlugin(tap)
    here = os.path.dirname(os.path.abspath(__file__))
    code = pytest.main(["-p", "no:cacheprovider", f"--rootdir={here}", "-rfEsxX", *argv],
                       plugins=[plugin])
    plugin.finish(int(code))
    # Failures are in the TAP; a non-zero status would only add an ERROR.
    return 0 if code in (0, 1, 5) else int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
