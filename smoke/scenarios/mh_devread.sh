# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_devread: famfs fsck and famfs log given the device read the memory
# afresh each time. Host B, a client with the file system mounted, names the
# device while host A (master) writes: once, then again after A has added
# files, and the second reading shows them. A mounted device is read through
# its mount (a kernel that holds /dev/dax refuses raw mappings of it); on
# pmem, B's kernel would otherwise serve a page cache of the device.
GUESTS=2
NAMES="hostA hostB"
START=parallel
MODES="pmem devdax"
# One kernel and mode per run, turning with the day: the mounts' reads
# of the memory are the same code on every kernel (kmod_* test it there).
SPREAD=one
MODULES=famfs
TIMEOUT=900
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

MORE=5

# The master: one file, then MORE after host B has read the device once.
guest_0() {
	local i
	mh_setup
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	famfs creat -s 2M "$MNT/first" >/dev/null || smoke_fail "famfs creat first failed"
	smoke_signal devread-one
	smoke_wait devread-read-one >/dev/null || smoke_fail "host B did not read the device"
	for ((i = 1; i <= MORE; i++)); do
		famfs creat -s 2M "$MNT/more$i" >/dev/null || smoke_fail "famfs creat more$i failed"
	done
	smoke_signal devread-more
	smoke_wait devread-read-more >/dev/null || smoke_fail "host B did not read the device again"
	mh_fsck "$DEV"
	mh_umount
}

# device_shows FILES LAST: fsck of the device is clean and counts FILES
# files; famfs log of the device ends with LAST.
device_shows() {
	local out files last
	out=$(famfs fsck "$DEV" 2>&1) || smoke_fail "famfs fsck $DEV: $out"
	files=$(mh_field files "$out")
	[[ $files == "$1" ]] || smoke_fail "famfs fsck $DEV counts ${files:-no} files, host A made $1"
	out=$(famfs log "$DEV" 2>&1) || smoke_fail "famfs log $DEV: $out"
	last=$(tail -n1 <<<"$out")
	[[ ${last##* } == "$2" ]] || smoke_fail "famfs log $DEV ends with \"$last\", expected $2"
	smoke_log "famfs fsck and famfs log on $DEV: $files files, the last $2"
}

# The client: the device twice, while mounted.
guest_1() {
	mh_setup
	smoke_wait devread-one >/dev/null || smoke_fail "host A did not make the file system"
	mh_mount >/dev/null
	device_shows 1 first
	smoke_signal devread-read-one
	smoke_wait devread-more >/dev/null || smoke_fail "host A did not add files"
	device_shows $((1 + MORE)) "more$MORE"
	smoke_signal devread-read-more
	mh_umount
}
