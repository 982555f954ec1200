# tap.sh - TAP helpers for the tests of the sharedarray command (sourced)
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Each check prints one "ok N - what" or "not ok N - what" line; done_testing
# prints the plan.  run CMD... stores the exit status in $rc and the output
# in $out and $err (files $T/out and $T/err).  Every test gets a private
# temporary directory $T and a name prefix $P unique to the process, and
# removes both on exit.

: "${SHAREDARRAY:?SHAREDARRAY must name the built command}"
: "${SA_PROBE:?SA_PROBE must name the built sa-probe}"

SA=$SHAREDARRAY
PY=/usr/bin/python3
T=$(mktemp -d /tmp/sa-tooltest.XXXXXX) || exit 99
P="sa-tooltest-$$"
tap_count=0
tap_failed=0

cleanup() {
	for f in /dev/shm/"$P"-*; do
		[ -e "$f" ] && "$SA" delete "$f" >/dev/null 2>&1
		[ -e "$f" ] && rm -f "$f"
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# glibc's shm_open(3) creates files in /dev/shm, which a build chroot may
# lack or not let its user write: the command cannot be tested there.
if ! { : >"/dev/shm/$P-probe"; } 2>/dev/null; then
	echo "1..0 # SKIP needs POSIX shared memory: cannot create objects in /dev/shm here"
	exit 0
fi
rm -f "/dev/shm/$P-probe"

ok() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count - $*"
}

not_ok() {
	tap_count=$((tap_count + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_count - $*"
}

skip() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count # SKIP $*"
}

# check DESCRIPTION COMMAND...: ok when COMMAND succeeds.
check() {
	desc=$1
	shift
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "command: $*"
	fi
}

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

# expect DESCRIPTION STATUS STDOUT STDERR: the last run's results, exactly.
expect() {
	if [ "$rc" = "$2" ] && [ "$out" = "$3" ] && [ "$err" = "$4" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "status $rc, wanted $2" "stdout:" "$out" "wanted:" "$3" \
		     "stderr:" "$err" "wanted:" "$4"
	fi
}

# expect_fail DESCRIPTION STATUS STDERR: failed with no output and that one line.
expect_fail() {
	expect "$1" "$2" "" "$3"
}

lines() {
	printf '%s\n' "$1" | wc -l
}

has_python() {
	[ -x "$PY" ]
}

done_testing() {
	echo "1..$tap_count"
	[ "$tap_failed" -eq 0 ]
}
