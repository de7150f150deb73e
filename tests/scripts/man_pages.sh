#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# The man pages, docs/cli.md and the programs' --help agree: the same famfs
# commands, and for each command (and mkfs.famfs, mount.famfs, umount.famfs) the same
# options in docs/cli.md's option tables and the man page's option lists;
# every option --help shows is in them. -h/--help, which every program
# takes, is left out. Each page also renders without groff warnings.
# Argument: the CMake build directory (for the programs).
set -euo pipefail

# shellcheck source=../helpers/script.sh
source "$(dirname "$0")/../helpers/script.sh"
build=${1:?usage: man_pages.sh BUILD_DIR}
cli_md=$top/docs/cli.md
man=$top/dist/man

# option_tokens: the options named in the text on stdin, one per line,
# sorted ("--size=SIZE" gives --size), without -h and --help.
option_tokens() {
	grep -oE '(^|[^A-Za-z0-9-])--?[A-Za-z][A-Za-z-]*' | sed -E 's/^[^-]+//' |
		grep -vxE -- '-h|--help' | LC_ALL=C sort -u || true
}

# md_section HEADING: the lines of docs/cli.md under "## HEADING" or
# "### HEADING", up to the next heading (code blocks skipped).
md_section() {
	awk -v h="$1" '
		/^```/ { code = !code; next }
		code { next }
		/^##+ / { sub(/^##+ /, ""); on = ($0 == h); next }
		on' "$cli_md"
}

md_commands() {
	awk '/^```/ { code = !code; next }
	     !code && /^##+ famfs [a-z]+$/ { print $NF }' "$cli_md" | LC_ALL=C sort
}

# md_options HEADING: the first cells of its option table rows.
md_options() {
	md_section "$1" | awk -F'|' '/^\| *`-/ { print $2 }' | option_tokens
}

# man_section FILE MACRO NAME: the lines of a page under ".MACRO NAME", up
# to the next .SS or .SH.
man_section() {
	awk -v m=".$2" -v n="$3" '
		/^\.S[HS] / { on = ($1 == m && substr($0, length(m) + 2) == n); next }
		on' "$1"
}

# man_options: the option lines (after .TP) of the section on stdin.
man_options() {
	awk 'tp { print } { tp = ($0 == ".TP") }' | sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' |
		{ grep '^-' || true; } | option_tokens
}

man_commands() {
	sed -n 's/^\.SS \([a-z]*\)$/\1/p' "$man/famfs.8" | LC_ALL=C sort
}

help_commands() {
	"$build/famfs" --help | awk '/^Commands:/ { on = 1; next } on && !NF { exit } on { print $1 }' |
		LC_ALL=C sort
}

# help_options PROGRAM...: the options of the program's --help.
help_options() {
	"$@" -h | sed -nE 's/^ {2,}(-[^ ].*)$/\1/p' | sed -E 's/  .*//' | option_tokens
}

# compare WHAT A B: the two lists (files) must be equal.
compare() {
	local only_a only_b
	only_a=$(LC_ALL=C comm -23 "$2" "$3" | tr '\n' ' ')
	only_b=$(LC_ALL=C comm -13 "$2" "$3" | tr '\n' ' ')
	[[ -z $only_a ]] || fail "$1: in docs/cli.md, not in the man page: $only_a"
	[[ -z $only_b ]] || fail "$1: in the man page, not in docs/cli.md: $only_b"
}

# check_options WHAT HELP MD MAN (files of options).
check_options() {
	local missing
	compare "$1" "$3" "$4"
	missing=$(LC_ALL=C sort -u "$3" "$4" | LC_ALL=C comm -23 "$2" - | tr '\n' ' ')
	[[ -z $missing ]] || fail "$1: in --help, in neither docs/cli.md nor the man page: $missing"
}


md_commands >"$work/md"
man_commands >"$work/man"
help_commands >"$work/help"
compare "famfs commands" "$work/md" "$work/man"
check_options "famfs commands" "$work/help" "$work/md" "$work/man"

for cmd in $(LC_ALL=C sort -u "$work/md" "$work/man" "$work/help"); do
	help_options "$build/famfs" "$cmd" >"$work/h" || fail "famfs $cmd --help failed"
	md_options "famfs $cmd" >"$work/d"
	man_section "$man/famfs.8" SS "$cmd" | man_options >"$work/m"
	check_options "famfs $cmd" "$work/h" "$work/d" "$work/m"
done

for prog in mkfs.famfs mount.famfs umount.famfs; do
	help_options "$build/$prog" >"$work/h"
	md_options "$prog" >"$work/d"
	man_section "$man/$prog.8" SH OPTIONS | man_options >"$work/m"
	[[ -s $work/d ]] || fail "$prog: no option table in docs/cli.md"
	check_options "$prog" "$work/h" "$work/d" "$work/m"
done

for page in "$man"/*.[0-9]; do
	head -n1 "$page" | grep -q 'SPDX-License-Identifier' || fail "${page##*/}: no SPDX line"
	warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || fail "${page##*/}: man failed"
	[[ -z $warnings ]] || fail "${page##*/}: $warnings"
done

finish "man_pages: docs/cli.md, the man pages and --help agree"
