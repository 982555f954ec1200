#!/bin/sh
# check-symbols.sh - every exported symbol of the built library has a page
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# For each function that nm -D lists as defined in the built
# libsharedarray.so: man3/NAME.3 exists, is installed (in MAN_PAGES), and
# is, or is a .so link to, a page whose NAME section and SYNOPSIS name the
# function.  Also: every page in the tree is installed, every function of
# the header is exported, and every page carries this release's version.
# Prints TAP.

: "${MAN_DIR:?}" "${LIBRARY:?}" "${HEADER_DIR:?}" "${PACKAGE_VERSION:?}"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }

if ! command -v nm >/dev/null 2>&1; then
	echo "1..0 # SKIP nm (binutils) is not installed"
	exit 0
fi
if [ ! -f "$LIBRARY" ]; then
	echo "1..0 # SKIP no shared library to inspect: $LIBRARY"
	exit 0
fi

installed() {
	case " $MAN_PAGES " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# The page a man3 page resolves to: itself, or the target of its .so line.
resolve() {
	target=$(sed -n '1s/^\.so \(man[0-9]\/[A-Za-z0-9_.]*\)$/\1/p' "$MAN_DIR/$1")
	echo "${target:-$1}"
}

# The NAME section's text: the lines between .SH NAME and the next .SH.
name_section() {
	sed -n '/^\.SH NAME$/,/^\.SH /{/^\.SH /!p;}' "$1" | tr '\n' ' '
}

symbols=$(nm -D --defined-only "$LIBRARY" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | sort -u)
if [ -z "$symbols" ]; then
	not_ok "nm -D lists the library's symbols"
fi
for sym in $symbols; do
	page=man3/$sym.3
	if [ ! -f "$MAN_DIR/$page" ]; then
		not_ok "$sym: has a page ($page is missing)"
		continue
	fi
	if ! installed "$page"; then
		not_ok "$sym: $page is not in the installed pages (man/Makefile.am)"
		continue
	fi
	doc=$(resolve "$page")
	if [ ! -f "$MAN_DIR/$doc" ]; then
		not_ok "$sym: $page links to a missing $doc"
		continue
	fi
	case " $(name_section "$MAN_DIR/$doc" | tr ',' ' ') " in
	*" $sym "*) ;;
	*) not_ok "$sym: the NAME section of $doc lists it"; continue ;;
	esac
	if ! grep -q "^\.BI\{0,1\} .*[ *]$sym(" "$MAN_DIR/$doc"; then
		not_ok "$sym: the SYNOPSIS of $doc declares it"
		continue
	fi
	ok "$sym: $page${doc#"$page"}"
done

# The header's functions are exactly the exported ones.
declared=$(grep -oE '\bsa_[a-z_]+ *\(' "$HEADER_DIR/sharedarray.h" | sed 's/ *(//' | sort -u)
if [ "$declared" = "$symbols" ]; then
	ok "the header declares exactly the exported functions ($(echo "$symbols" | wc -l))"
else
	not_ok "the header declares exactly the exported functions"
	echo "$declared" >"${TMPDIR:-/tmp}/sa-declared.$$"
	echo "$symbols" | diff "${TMPDIR:-/tmp}/sa-declared.$$" - | sed 's/^/# /'
	rm -f "${TMPDIR:-/tmp}/sa-declared.$$"
fi

# Every page in the tree is installed (and so shipped by make dist).
for file in "$MAN_DIR"/man[0-9]/*.[0-9]; do
	page=${file#"$MAN_DIR"/}
	if installed "$page"; then
		ok "$page is installed"
	else
		not_ok "$page is installed (add it to man/Makefile.am)"
	fi
done

# Every real page names this release in its .TH line.
for page in $MAN_PAGES; do
	[ "$(resolve "$page")" = "$page" ] || continue
	if head -n 5 "$MAN_DIR/$page" | grep -q "^\.TH .* \"libsharedarray $PACKAGE_VERSION\"\$"; then
		ok "$page: .TH names libsharedarray $PACKAGE_VERSION"
	else
		not_ok "$page: .TH names libsharedarray $PACKAGE_VERSION"
	fi
done

echo "1..$n"
exit $failed
