#!/bin/sh
# check-units.sh - the systemd units verify clean and run what they say
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# systemd-analyze verify checks the units as systemd would load them; the
# service's ExecStart names the installed command, which a build tree does
# not have yet, so a copy that names the built one is verified.  Prints TAP.

: "${UNIT_SRCDIR:?}" "${UNIT_BUILDDIR:?}" "${BINDIR:?}" "${SHAREDARRAY:?}"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }

service=$UNIT_BUILDDIR/sharedarray-prune.service
timer=$UNIT_SRCDIR/sharedarray-prune.timer

if grep -qx "ExecStart=$BINDIR/sharedarray prune" "$service"; then
	ok "the service runs $BINDIR/sharedarray prune, transient leftovers only"
else
	not_ok "the service runs $BINDIR/sharedarray prune"
fi
for want in "OnCalendar=hourly" "Persistent=true" "RandomizedDelaySec=15min" \
	"WantedBy=timers.target"; do
	if grep -qx "$want" "$timer"; then ok "timer: $want"; else not_ok "timer: $want"; fi
done
if grep -q "^PrivateDevices" "$service" || ! grep -qx "ReadWritePaths=/dev/shm" "$service"; then
	not_ok "the service sees the host's /dev/shm, writable"
else
	ok "the service sees the host's /dev/shm, writable"
fi

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "ok $((n + 1)) # SKIP systemd-analyze is not installed"
	echo "1..$((n + 1))"
	exit $failed
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/sa-units.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
sed "s|^ExecStart=$BINDIR/sharedarray |ExecStart=$SHAREDARRAY |" "$service" \
	>"$T/sharedarray-prune.service"
cp "$timer" "$T/"
# --man=no: the manual is not installed yet.  Any message is a failure.
(cd "$T" && systemd-analyze verify --man=no sharedarray-prune.service \
	sharedarray-prune.timer) >"$T/out" 2>&1
status=$?
if [ "$status" = 0 ] && ! grep -q "sharedarray-prune" "$T/out"; then
	ok "systemd-analyze verify: no complaint"
else
	not_ok "systemd-analyze verify: status $status"
	sed 's/^/# /' "$T/out"
fi
echo "1..$n"
exit $failed
