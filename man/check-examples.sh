#!/bin/sh
# check-examples.sh - the example programs of the pages compile and run
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Each program sits in a page between the comments
#   .\" SRC BEGIN (file.c)   and   .\" SRC END
# as man-pages writes them.  Its roff escapes are undone, it is compiled
# against the built library with the project's warnings and -Werror, and
# then the programs are run together on arrays of their own, and their
# output is compared with what the pages show.  Prints TAP.

: "${MAN_DIR:?}" "${MAN_PAGES:?}" "${HEADER_DIR:?}" "${LIBRARY_DIR:?}" "${CC:?}"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
diag() { sed 's/^/# /'; }

T=$(mktemp -d "${TMPDIR:-/tmp}/sa-examples.XXXXXX") || exit 99
NAME="shm://sa-mantest-$$"
trap 'rm -rf "$T"; rm -f "/dev/shm/sa-mantest-$$" "/dev/shm/sa-mantest-$$-pair"' EXIT
LD_LIBRARY_PATH=$LIBRARY_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH

# Write each program of PAGE into $T, one file per SRC BEGIN, and list them.
extract() {
	awk -v dir="$T" '
	/^\.\\" SRC BEGIN \(/ { file = $0; sub(/.*\(/, "", file); sub(/\).*/, "", file); next }
	/^\.\\" SRC END/ { if (file != "") { close(dir "/" file); print file }; file = ""; next }
	file != "" && /^\.(EX|EE)$/ { next }
	file != "" {
		line = $0
		gsub(/\\&/, "", line)
		gsub(/\\-/, "-", line)
		gsub(/\\\[aq\]/, "\047", line)
		gsub(/\\\(aq/, "\047", line)
		gsub(/\\e/, "\\", line)
		print line > (dir "/" file)
	}' "$MAN_DIR/$1"
}

programs=
for page in $MAN_PAGES; do
	for file in $(extract "$page"); do
		prog=${file%.c}
		# shellcheck disable=SC2086
		if $CC -std=gnu11 $WARN_CFLAGS -Werror -I"$HEADER_DIR" -o "$T/$prog" "$T/$file" \
			-L"$LIBRARY_DIR" -lsharedarray >"$T/cc.log" 2>&1; then
			ok "$page: $file compiles cleanly"
			programs="$programs $prog"
		else
			not_ok "$page: $file compiles cleanly"
			diag <"$T/cc.log"
		fi
	done
done

for want in create attach delete describe sync stat list owners strerror \
	writer reader publish follow fill; do
	case " $programs " in
	*" $want "*) ;;
	*) not_ok "an example program $want.c exists"; ;;
	esac
done

# run DESCRIPTION EXPECTED COMMAND...: exit status 0 and exactly EXPECTED
# on stdout ("*" accepts any output).
run() {
	desc=$1 expected=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	status=$?
	if [ "$status" -eq 0 ] && { [ "$expected" = "*" ] || [ "$(cat "$T/out")" = "$expected" ]; }; then
		ok "$desc"
	else
		not_ok "$desc (status $status)"
		{ cat "$T/out"; cat "$T/err"; } | diag
	fi
}

# The examples on shared memory: create, attach, describe, stat, list, delete.
shm_examples() {
	run "create.c creates an array" \
		"created $NAME: <f8, 3x4, 96 bytes" "$T/create" "$NAME"
	run "attach.c prints it, as its page shows" "$NAME: <f8 (3, 4) order C
  0.0  1.0  2.0  3.0
  4.0  5.0  6.0  7.0
  8.0  9.0 10.0 11.0" "$T/attach" "$NAME"
	run "describe.c describes it" \
		"$NAME: <f8, 2 dims (3, 4), order C, 8 bytes per item, 96 bytes
mapping: 444 bytes, data at its start: yes, read-only: yes" "$T/describe" "$NAME"
	run "stat.c reads its metadata" "*" "$T/stat" "$NAME"
	case $(cat "$T/out") in
	"$NAME: <f8 (3, 4) C, 96 bytes in a 444-byte segment,
mode 0600, uid $(id -u), format 1") ok "stat.c prints what its page shows" ;;
	*) not_ok "stat.c prints what its page shows"; diag <"$T/out" ;;
	esac
	if [ "${SHM_DIR:-/dev/shm}" = no ]; then
		# configure --without-shm-dir: listing shared memory is not supported.
		for prog in list owners; do
			"$T/$prog" >"$T/out" 2>&1
			if [ $? -eq 1 ] && grep -q "not supported" "$T/out"; then
				ok "$prog.c reports that shared memory cannot be listed here"
			else
				not_ok "$prog.c reports that shared memory cannot be listed here"
				diag <"$T/out"
			fi
		done
	else
		run "list.c lists shared memory" "*" "$T/list"
		if grep -q "^sa-mantest-$$ *<f8 *3x4\$" "$T/out"; then
			ok "list.c shows the array"
		else
			not_ok "list.c shows the array"
			diag <"$T/out"
		fi
		run "owners.c lists shared memory" "*" "$T/owners"
	fi
	run "fill.c fills it through its file" \
		"$NAME: wrote 96 bytes; read back 0.0 0.5 1.0 1.5" "$T/fill" "$NAME"
	run "delete.c deletes it" "" "$T/delete" "$NAME"
	if [ -e "/dev/shm/sa-mantest-$$" ]; then
		not_ok "the array is gone"
	else
		ok "the array is gone"
	fi
}

# glibc's shm_open(3) creates files in /dev/shm, which a build chroot may
# lack or not let its user write: then only the file:// runs can be tested.
if { : >"/dev/shm/sa-mantest-$$"; } 2>/dev/null; then
	rm -f "/dev/shm/sa-mantest-$$"
	PAIR="shm://sa-mantest-$$-pair"
	shm_examples
else
	PAIR="file://$T/pair.sa"
	n=$((n + 1))
	echo "ok $n # SKIP the examples on $NAME need POSIX shared memory: cannot create objects in /dev/shm here"
fi

mkdir "$T/dir"
run "create.c creates a file array" "created file://$T/dir/a.sa: <f8, 3x4, 96 bytes" \
	"$T/create" "file://$T/dir/a.sa"
run "sync.c syncs, locks and unlocks it" \
	"file://$T/dir/a.sa: synced, locked and unlocked 444 bytes" "$T/sync" "file://$T/dir/a.sa"
run "list.c lists a directory" "a.sa                             <f8        3x4
1 array" "$T/list" "$T/dir"
# Two processes at once, each a program of a page: both must succeed and
# print what the page shows.  "timeout" keeps a hang from blocking the suite.
run_pair() {
	desc=$1 first=$2 second=$3 name=$4 expected=$5
	timeout 120 "$T/$first" "$name" >"$T/first.out" 2>&1 &
	pid=$!
	timeout 120 "$T/$second" "$name" >"$T/second.out" 2>&1
	status2=$?
	wait "$pid"
	status1=$?
	if [ "$status1" -eq 0 ] && [ "$status2" -eq 0 ] &&
	   [ "$(cat "$T/first.out" "$T/second.out")" = "$expected" ]; then
		ok "$desc"
	else
		not_ok "$desc (status $status1, $status2)"
		cat "$T/first.out" "$T/second.out" | diag
	fi
}
# On $PAIR: in shared memory where it can be used, else in a file.
run_pair "reader.c and writer.c at once: every frame whole" reader writer "$PAIR" \
	"reader: 100 reads, every frame whole
writer: 200 frames"
"$SHAREDARRAY" delete "$PAIR" >/dev/null 2>&1
run_pair "follow.c and publish.c at once: the last frame reached" follow publish "$PAIR" \
	"follow: frame 50 reached, every frame whole
publish: 50 frames"
"$SHAREDARRAY" delete "$PAIR" >/dev/null 2>&1
run_pair "publish.c first, follow.c after it: the last frame reached" publish follow \
	"$PAIR" "publish: 50 frames
follow: frame 50 reached, every frame whole"
"$SHAREDARRAY" delete "$PAIR" >/dev/null 2>&1

run "strerror.c prints what its page shows" "libsharedarray $PACKAGE_VERSION
-2: no such array
17: an array of that name exists
74: not a shared array, or its metadata is corrupt" "$T/strerror" -2 17 74

echo "1..$n"
exit $failed
