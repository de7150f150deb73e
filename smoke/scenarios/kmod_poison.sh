# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_poison: a page of a famfs file is poisoned (MADV_HWPOISON) while a
# process maps it. That process gets SIGBUS for that page; the file's other
# pages and other files keep reading correctly, the kernel log names the
# file where the driver tells famfs (pmem), and unmount still works.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
TIMEOUT=600

guest_main() {
	kmod_setup || return 0
	kmod_mount
	famfs_trusttest poison "$MNT" || smoke_fail "famfs_trusttest poison failed"
	if [[ $DEV_MODE == pmem ]]; then
		smoke_klog_has "famfs: .*memory failure on member 0 at device offset .*: file /poison-a" ||
			smoke_fail "the kernel log does not name the poisoned file"
	fi
	umount "$MNT" || smoke_fail "umount after a memory failure"
}
