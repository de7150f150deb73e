# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_remove: the device goes away under a mounted famfs (driver unbind).
# The mount enters its error state: I/O fails with EIO, and unmount and
# rmmod still work, without a WARN.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
# The host builds the test programs when it reads these declarations.
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
TIMEOUT=600

guest_main() {
	kmod_setup || return 0
	kmod_mount
	famfs_maptest create "$MNT/f" "$(famfs-layout data "$MNT" 0)" 8M || smoke_fail "map create"
	famfs_maptest rw "$MNT/f" 1 || smoke_fail "I/O before removal"
	kmod_binding
	kmod_unbind || smoke_fail "cannot unbind $DEV"
	if dd if="$MNT/f" of=/dev/null bs=1M count=1 2>/dev/null; then
		smoke_fail "read after device removal succeeded"
	fi
	smoke_klog_has "famfs: .*all I/O now fails" ||
		smoke_fail "no error-state message in the kernel log"
	umount "$MNT" || smoke_fail "umount after device removal"
	smoke_log "device removed: I/O fails, unmount works"
}
