# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared paths and helpers for the smoke harness. Sourced, not run.

SMOKE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FAMFS_TOP=$(cd "$SMOKE_DIR/.." && pwd)
FAMFS_CACHE=${FAMFS_CACHE:-/var/cache/famfs}
# Build tree of the user-space tools (CMake), as scripts/test makes it.
FAMFS_HOST_BUILD=${FAMFS_HOST_BUILD:-$FAMFS_TOP/build}
# shellcheck source=phases.sh
source "$SMOKE_DIR/lib/phases.sh"

log() {
	echo "smoke: $*" >&2
}

die() {
	log "$*"
	exit 1
}

# with_lock FILE CMD...: run CMD holding an exclusive flock on FILE, so that
# concurrent runs do not build the same cached artefact twice.
with_lock() {
	local lock=$1
	shift
	mkdir -p "$(dirname "$lock")"
	(
		flock 9
		"$@"
	) 9>"$lock"
}
