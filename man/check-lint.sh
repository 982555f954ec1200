#!/bin/sh
# check-lint.sh - every page lints clean with mandoc and with groff
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs, for each installed page, from the man directory (where .so links
# resolve):
#   mandoc -T lint -W style PAGE      nothing reported, not even a style note
#   man --warnings -l PAGE              nothing on stderr (groff's "mac")
#   man --warnings=w -l PAGE            nothing on stderr (all groff warnings)
# and checks that the sections follow man-pages(7)'s order, section 3
# pages having exactly NAME, LIBRARY, SYNOPSIS, DESCRIPTION, RETURN VALUE,
# ERRORS, NOTES, EXAMPLES and SEE ALSO.
# A link page must be exactly ".so manN/PAGE.N" naming an existing page; for
# those mandoc's one unavoidable warning, that .so is fragile, is expected.
# Prints TAP.

: "${MAN_DIR:?}" "${MAN_PAGES:?}"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }
diag() { sed 's/^/# /'; }
# ok when the check exited 0 and printed nothing into $out, else its output.
clean() {
	if [ "$2" -eq 0 ] && [ ! -s "$out" ]; then
		ok "$1"
	else
		not_ok "$1 (status $2)"
		diag <"$out"
	fi
}

cd "$MAN_DIR" || exit 99
have_mandoc=false
have_man=false
command -v mandoc >/dev/null 2>&1 && have_mandoc=true
command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1 && have_man=true
MANWIDTH=80
LC_ALL=C.UTF-8
export MANWIDTH LC_ALL
out=${TMPDIR:-/tmp}/sa-lint.$$
trap 'rm -f "$out"' EXIT

# man-pages(7)'s order of sections, one per line.
ORDER='NAME
LIBRARY
SYNOPSIS
CONFIGURATION
DESCRIPTION
OPTIONS
EXIT STATUS
RETURN VALUE
ERRORS
ENVIRONMENT
FILES
ATTRIBUTES
VERSIONS
STANDARDS
HISTORY
NOTES
CAVEATS
BUGS
EXAMPLES
AUTHORS
REPORTING BUGS
COPYRIGHT
SEE ALSO'
SECTION3='NAME LIBRARY SYNOPSIS DESCRIPTION RETURN VALUE ERRORS NOTES EXAMPLES SEE ALSO'

# Whether PAGE's sections are known and in order; section 3 also complete.
check_sections() {
	sections=$(sed -n 's/^\.SH "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$1")
	last=0
	for section in $(printf '%s\n' "$sections" | tr ' ' '_'); do
		rank=$(printf '%s\n' "$ORDER" | tr ' ' '_' | grep -n -x "$section" | cut -d: -f1)
		if [ -z "$rank" ] || [ "$rank" -le "$last" ]; then
			echo "section $section unknown or out of order"
			return 1
		fi
		last=$rank
	done
	case $1 in
	man3/*)
		if [ "$(printf '%s\n' "$sections" | tr '\n' ' ')" != "$SECTION3 " ]; then
			echo "sections: $(printf '%s\n' "$sections" | tr '\n' ' ')"
			return 1
		fi ;;
	esac
}

for page in $MAN_PAGES; do
	link=$(sed -n '1s/^\.so \(man[0-9]\/[A-Za-z0-9_]*\.[0-9]\)$/\1/p' "$page")
	if [ -n "$link" ]; then
		if [ "$(wc -l <"$page")" -eq 1 ] && [ -f "$link" ] && [ "$(sed -n 1p "$link" | cut -c1-3)" != ".so" ]; then
			ok "$page: a link to $link"
		else
			not_ok "$page: a link to an existing page, on one line"
		fi
	elif check_sections "$page" >"$out"; then
		ok "$page: sections in man-pages order"
	else
		not_ok "$page: sections in man-pages order"
		diag <"$out"
	fi
	if $have_mandoc; then
		mandoc -T lint -W style "$page" >"$out" 2>&1
		status=$?
		if [ -n "$link" ]; then
			grep -v "^mandoc: $page:1:2: WARNING: \.so is fragile, better use ln(1): so $link\$" \
				"$out" >"$out.rest"
			mv "$out.rest" "$out"
			[ "$status" -le 2 ] && status=0
		fi
		clean "$page: mandoc -T lint -W style" "$status"
	else
		skip "$page: mandoc is not installed (Debian: mandoc)"
	fi
	if $have_man; then
		for warnings in --warnings --warnings=w; do
			man "$warnings" -E UTF-8 -l "$page" 2>"$out" >/dev/null
			clean "$page: man $warnings" $?
		done
	else
		skip "$page: man or groff is not installed (Debian: man-db, groff-base)"
	fi
done

echo "1..$n"
exit $failed
