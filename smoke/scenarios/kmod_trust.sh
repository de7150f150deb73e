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

TRACE=/sys/kernel/tracing

# trust_run CHECK: one famfs_trusttest check on the mount.
trust_run() {
	famfs_trusttest "$1" "$MNT" || smoke_fail "famfs_trusttest $1 failed"
}

# writeback_probe on|off: a kprobe event counting writebacks of dax entries.
writeback_probe() {
	if [[ $1 == on ]]; then
		echo 'p:famfs_wb dax_writeback_mapping_range' >>"$TRACE/kprobe_events"
		echo 1 >"$TRACE/events/kprobes/famfs_wb/enable"
		: >"$TRACE/trace"
	else
		echo 0 >"$TRACE/events/kprobes/famfs_wb/enable"
		echo '-:famfs_wb' >>"$TRACE/kprobe_events"
	fi
}

# sync_checked: the sync check, with the writeback counted where possible.
sync_checked() {
	local hits
	mountpoint -q "$TRACE" || mount -t tracefs tracefs "$TRACE" 2>/dev/null || true
	if [[ ! -w $TRACE/kprobe_events ]]; then
		smoke_log "no kprobes in this kernel: msync writeback not counted"
		trust_run sync
		return 0
	fi
	writeback_probe on
	trust_run sync
	hits=$(grep -c 'famfs_wb:' "$TRACE/trace" || true)
	writeback_probe off
	smoke_log "dax_writeback_mapping_range called $hits time(s) by msync/fsync"
	((hits > 0)) || smoke_fail "msync and fsync wrote nothing back"
}

guest_main() {
	kmod_setup || return 0
	kmod_mount
	trust_run overlap
	dmesg | grep -q "overlaps inode" ||
		smoke_fail "no kernel message naming the other file of an overlap"
	trust_run modify
	trust_run names
	sync_checked
	umount "$MNT" || smoke_fail "umount"
}
