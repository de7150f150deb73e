# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# What the shell tests in tests/scripts/ share: the repo's top ($top), a
# scratch directory removed on exit ($work), and failures counted by fail
# and reported by finish.

# shellcheck disable=SC2034  # used by the tests that source this
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# finish MESSAGE: exit 1 after any failure, else print MESSAGE.
finish() {
	((failures == 0)) || exit 1
	echo "$1"
}
