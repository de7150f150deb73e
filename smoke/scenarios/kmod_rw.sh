# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_rw: a file with one 64 MiB extent, written with write(2), read back
# with read(2), mmap and O_DIRECT; after unmount the device holds the same
# bytes at the extent's offset.
GUESTS=1
MODES="pmem devdax devdax2m"
MODULES=famfs
# The host builds the test programs when it reads these declarations.
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
TIMEOUT=600

guest_main() {
	local off seed=$RANDOM
	kmod_setup || return 0
	kmod_mount
	off=$(famfs-layout data "$MNT" 0)
	famfs_maptest create "$MNT/file64" "$off" 64M || smoke_fail "map create"
	famfs_maptest rw "$MNT/file64" "$seed" || smoke_fail "file I/O"
	umount "$MNT" || smoke_fail "umount"
	famfs_devtool verify "$DEV" "$off" 64M "$seed" ||
		smoke_fail "device bytes differ from the file"
}
