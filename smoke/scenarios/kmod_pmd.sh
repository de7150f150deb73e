# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_pmd: touching every page of a 256 MiB mapped file takes PMD faults:
# at most one fault per 2 MiB (plus a small constant), counted by getrusage.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
# The host builds the test programs when it reads these declarations.
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
TIMEOUT=600

guest_main() {
	local out
	kmod_setup || return 0
	kmod_mount
	famfs_maptest create "$MNT/file256" "$(famfs-layout data "$MNT" 0)" 256M ||
		smoke_fail "map create"
	out=$(famfs_maptest pmd "$MNT/file256") || smoke_fail "too many faults: $out"
	smoke_log "$out"
	umount "$MNT" || smoke_fail "umount"
}
