#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# scripts/install-deps against stand-in dpkg-query, apt-get and id on PATH:
# a fresh machine (packages unknown to dpkg), a half-installed one, a fully
# installed one, and an apt-get that leaves a package out.
set -euo pipefail

# shellcheck source=../helpers/script.sh
source "$(dirname "$0")/../helpers/script.sh"

# make_standins: dpkg-query answers from $STATE/status ("NAME ii" or "NAME un");
# a name not there is unknown, and then it exits 1 as the real one does.
# apt-get logs its arguments to $STATE/apt.log and marks what it installs as
# "ii", except names listed in $STATE/broken.
make_standins() {
	mkdir -p "$work/bin"
	cat >"$work/bin/dpkg-query" <<'SH'
#!/usr/bin/env bash
rc=0
for a in "$@"; do
	case "$a" in -W|-f=*) continue ;; esac
	line=$(grep "^$a " "$STATE/status" || true)
	if [[ -z $line ]]; then
		echo "dpkg-query: no packages found matching $a" >&2
		rc=1
	else
		echo "$line"
	fi
done
exit $rc
SH
	cat >"$work/bin/apt-get" <<'SH'
#!/usr/bin/env bash
echo "$*" >>"$STATE/apt.log"
[[ $* == *install* ]] || exit 0
for a in "$@"; do
	case "$a" in -*|install) continue ;; esac
	grep -qx "$a" "$STATE/broken" 2>/dev/null && continue
	sed -i "/^$a /d" "$STATE/status"
	echo "$a ii" >>"$STATE/status"
done
SH
	printf '#!/bin/sh\necho 0\n' >"$work/bin/id"
	chmod +x "$work/bin/"*
	mkdir -p "$work/scripts"
	cp "$top/scripts/install-deps" "$work/scripts/"
	printf '# a comment\nalpha\nbeta  # trailing comment\n\ngamma\ndelta\n' \
		>"$work/scripts/packages.txt"
}

# run_case NAME STATUS-LINES [BROKEN]: fresh state, run install-deps, keep
# its exit status, output and apt-get log in $rc, $out and $apt.
run_case() {
	export STATE="$work/state-$1"
	mkdir -p "$STATE"
	printf '%s' "$2" >"$STATE/status"
	printf '%s' "${3:-}" >"$STATE/broken"
	: >"$STATE/apt.log"
	rc=0
	out=$(PATH="$work/bin:$PATH" "$work/scripts/install-deps" 2>&1) || rc=$?
	apt=$(cat "$STATE/apt.log")
}

expect() {
	local what=$1 got=$2 want=$3
	[[ $got == "$want" ]] || fail "$case: $what: got '$got', want '$want'"
}

make_standins

case=fresh
run_case fresh ""
expect "exit status" "$rc" 0
expect "apt-get calls" "$apt" $'update -qq\ninstall -y -qq --no-install-recommends alpha beta delta gamma'
expect "output" "$out" "install-deps: installing alpha beta delta gamma"

case=partial
run_case partial $'alpha ii\nbeta un\ndelta ii\n'
expect "exit status" "$rc" 0
expect "apt-get calls" "$apt" $'update -qq\ninstall -y -qq --no-install-recommends beta gamma'
expect "output" "$out" "install-deps: installing beta gamma"

case=installed
run_case installed $'alpha ii\nbeta ii\ngamma ii\ndelta ii\n'
expect "exit status" "$rc" 0
expect "apt-get calls" "$apt" ""
expect "output" "$out" ""

case=broken
run_case broken $'alpha ii\n' gamma
expect "exit status" "$rc" 1
expect "output" "$out" $'install-deps: installing beta delta gamma\ninstall-deps: still missing after apt-get: gamma'

finish "install-deps: all cases passed"
