# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_trust: what famfs.ko enforces whatever user space hands it or does.
# No two files share a byte (a map over another file's extent is refused
# with EUCLEAN and leaves nothing behind); a write drops set-ID bits and
# updates the times, as on every file system; only the log player adds
# names, and nobody removes or moves them; MAP_SYNC mappings, msync,
# fsync, sendfile and splice work, and msync writes dirty lines back
# (counted with a kprobe on dax_writeback_mapping_range where the kernel
# has kprobes).
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
# The host builds the test programs when it reads these declarations.
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
TIMEOUT=600

# sync_counted: the sync check, with the writebacks counted where the
# kernel has kprobes.
sync_counted() {
	local hits
	hits=$(kprobe_hits dax_writeback_mapping_range famfs_trusttest sync "$MNT") ||
		return 1
	smoke_log "dax_writeback_mapping_range ran $hits time(s) for msync/fsync"
	[[ $hits == none || $hits -gt 0 ]]
}

# Every check runs, so that one failure does not hide the others.
guest_main() {
	local check
	local -a failed=()
	kmod_setup || return 0
	kmod_mount
	for check in overlap modify names; do
		famfs_trusttest "$check" "$MNT" || failed+=("$check")
	done
	smoke_klog_has "overlaps inode" || failed+=("overlap-message")
	sync_counted || failed+=(sync)
	umount "$MNT" || smoke_fail "umount"
	((${#failed[@]} == 0)) || smoke_fail "failed checks: ${failed[*]}"
}
