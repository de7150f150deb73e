# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_offline: a host that has not mounted the file system reads it from the
# device itself. Host B runs famfs fsck and famfs log on the device while
# host A (master) has it mounted, then again after A has added files: the
# second reading shows them, nothing stale is kept from the first (a pmem
# device is read through the page cache of host B's kernel).
GUESTS=2
NAMES="hostA hostB"
START=parallel
MODES="pmem devdax"
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
	smoke_signal offline-one
	smoke_wait offline-read-one >/dev/null || smoke_fail "host B did not read the device"
	for ((i = 1; i <= MORE; i++)); do
		famfs creat -s 2M "$MNT/more$i" >/dev/null || smoke_fail "famfs creat more$i failed"
	done
	smoke_signal offline-more
	smoke_wait offline-read-more >/dev/null || smoke_fail "host B did not read the device again"
	mh_fsck "$DEV"
	mh_umount
}

# offline_sees FILES LAST: fsck of the device is clean and counts FILES
# files; famfs log of the device ends with LAST.
offline_sees() {
	local out files last
	out=$(famfs fsck "$DEV" 2>&1) || smoke_fail "famfs fsck $DEV: $out"
	files=$(sed -n 's/^files: *//p' <<<"$out")
	[[ $files == "$1" ]] || smoke_fail "famfs fsck $DEV counts ${files:-no} files, host A made $1"
	out=$(famfs log "$DEV" 2>&1) || smoke_fail "famfs log $DEV: $out"
	last=$(tail -n1 <<<"$out")
	[[ ${last##* } == "$2" ]] || smoke_fail "famfs log $DEV ends with \"$last\", expected $2"
	smoke_log "famfs fsck and famfs log on $DEV: $files files, the last $2"
}

# The reader: the device twice, never mounted.
guest_1() {
	mh_setup
	smoke_wait offline-one >/dev/null || smoke_fail "host A did not make the file system"
	offline_sees 1 first
	smoke_signal offline-read-one
	smoke_wait offline-more >/dev/null || smoke_fail "host A did not add files"
	offline_sees $((1 + MORE)) "more$MORE"
	smoke_signal offline-read-more
}
