# lib.sh - what .ci/run and .ci/debian-release share (sourced, bash)
# shellcheck shell=bash
#
# step NAME COMMAND... runs one CI step and counts it: exit status 0 is a
# pass, 77 a skip (the command printed why), anything else a failure.  The
# test counters take the results of test suites too (count_trs,
# count_summaries), so that the closing "N passed, N failed" covers every
# test run anywhere.

passed=0 failed=0 skipped=0
failed_steps=()
skipped_steps=()
step_times=()
start=$SECONDS

step() {
	local name=$1 rc t0=$SECONDS
	shift
	echo
	echo "=== $name ($((SECONDS - start)) s)"
	"$@"
	rc=$?
	step_times+=("$(printf '%5d s  %s' $((SECONDS - t0)) "$name")")
	case $rc in
	0)
		passed=$((passed + 1))
		echo "=== $name: ok ($((SECONDS - t0)) s)"
		;;
	77)
		skipped=$((skipped + 1))
		skipped_steps+=("$name")
		echo "=== $name: SKIPPED ($((SECONDS - t0)) s)"
		;;
	*)
		failed=$((failed + 1))
		failed_steps+=("$name")
		echo "=== $name: FAILED ($((SECONDS - t0)) s)"
		;;
	esac
	return 0
}

# count_trs DIR [EXCLUDE]: add the results of every automake test (.trs
# file) under DIR, but not under EXCLUDE, to the counters, show the logs of
# failures, and leave this directory's figures in trs_passed, trs_skipped,
# trs_failed.
count_trs() {
	local dir=$1 exclude=${2:-/nonexistent} trs result
	trs_passed=0 trs_skipped=0 trs_failed=0
	while IFS= read -r trs; do
		while IFS= read -r result; do
			case $result in
			PASS | XFAIL) trs_passed=$((trs_passed + 1)) ;;
			SKIP) trs_skipped=$((trs_skipped + 1)) ;;
			*) trs_failed=$((trs_failed + 1)) ;;
			esac
		done < <(sed -n 's/^:test-result: \([A-Z]*\).*/\1/p' "$trs")
		if grep -qE '^:test-result: (FAIL|ERROR|XPASS)' "$trs"; then
			echo "----- ${trs%.trs}.log"
			cat "${trs%.trs}.log"
		fi
	done < <(find "$dir" -name '*.trs' -not -path "$exclude/*" | sort)
	passed=$((passed + trs_passed))
	skipped=$((skipped + trs_skipped))
	failed=$((failed + trs_failed))
}

# count_summaries FILE...: the same from the "# PASS:  N" summaries that
# automake's test harness prints (the output of make check, as autopkgtest
# keeps it), into sum_passed, sum_skipped, sum_failed.
count_summaries() {
	local counts
	counts=$(cat "$@" 2>/dev/null | awk '
		/^# (PASS|XFAIL): +[0-9]+$/ { p += $3 }
		/^# SKIP: +[0-9]+$/ { s += $3 }
		/^# (FAIL|XPASS|ERROR): +[0-9]+$/ { f += $3 }
		END { print p + 0, s + 0, f + 0 }')
	read -r sum_passed sum_skipped sum_failed <<<"$counts"
	passed=$((passed + sum_passed))
	skipped=$((skipped + sum_skipped))
	failed=$((failed + sum_failed))
}

# The closing lines: time, the steps' times, skips and failures, the count.
ci_summary() {
	echo
	echo "=== time per step"
	printf '%s\n' "${step_times[@]}"
	echo
	echo "CI took $((SECONDS - start)) s; $skipped skipped"
	if [ ${#skipped_steps[@]} -gt 0 ]; then
		printf 'skipped step: %s\n' "${skipped_steps[@]}"
	fi
	if [ ${#failed_steps[@]} -gt 0 ]; then
		printf 'failed step: %s\n' "${failed_steps[@]}"
	fi
	echo "$passed passed, $failed failed"
}

# check_numpy_dependency CONTROL DEB: python3-sharedarray depends on the
# numpy ABI its module was built against, as dh_numpy3 writes it
# (python3-numpy-abiN with numpy 1, python3-numpy2-abiN with numpy 2), so
# that apt never installs it beside a numpy it cannot import under; and
# debian/control names no python3-numpy for it by hand, which could let
# a numpy of another ABI satisfy it.
check_numpy_dependency() {
	local control=$1 deb=$2 depends
	depends=$(dpkg-deb -f "$deb" Depends) || return 1
	echo "${deb##*/}: Depends: $depends"
	# numpy 2 builds also run under numpy 1: "python3-numpy2-abi0 | python3-numpy-abi9".
	if ! tr ',' '\n' <<<"$depends" |
		grep -qE '^ *python3-numpy2?-abi[0-9]+( *\| *python3-numpy2?-abi[0-9]+)* *$'; then
		echo "no numpy ABI dependency (dh_numpy3: dh --with numpy3)"
		return 1
	fi
	if awk '/^Package: python3-sharedarray$/ { p = 1 } /^$/ { p = 0 } p' "$control" |
		grep -q 'python3-numpy'; then
		echo "$control names python3-numpy for python3-sharedarray by hand"
		return 1
	fi
}
