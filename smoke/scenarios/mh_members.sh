# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_members: a famfs over two devices, on two hosts. Host A makes it
# over both nvdimms (mkfs.famfs DEV DEV2) and writes files, which land on
# member 1 (the roomier); host B finds member 1 by its label under names
# swapped (FAMFS_DEV_DIR: DEV2 as DEV's name and the other way round) and
# reads them. B's mount refuses DEV2 given as the device, and a directory
# without member 1 (the member is named, nothing stays mounted). Then A
# makes a file system on DEV alone and adds DEV2 to it live (famfs device
# add, refused over the old label without -f): B's follower plays the
# MEMBER entry while B lacks the member (its directory holds no device
# yet), so the file on it stays unmapped; once the device shows up there,
# the follower adds the member and maps the file, which B reads. df counts
# the space of both members as fsck does.
GUESTS=2
NAMES="hostA hostB"
START=parallel
NVDIMMS=2
MODES="pmem devdax"	# devdax2m: compound pages, which famfs refuses to mount
# Finding members by label is user-space code, the same on every kernel:
# one per run (mh_stripe adds members on every kernel and mode).
SPREAD=one
MODULES=famfs
TIMEOUT=600
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

# on_member1 FILE: famfs getmap says FILE's one extent is on member 1.
on_member1() {
	famfs getmap --yaml "$1" | grep -qE '^[ -]*device: 1$' ||
		smoke_fail "$1 is not on member 1: $(famfs getmap "$1" 2>&1)"
}

# verify FILE SEED
verify() {
	famfs verify -S "$2" -f "$1" >/dev/null || smoke_fail "$1 does not hold seed $2"
}

# refused WANT_RC PATTERN CMD...: CMD exits WANT_RC saying PATTERN.
refused() {
	local want=$1 pattern=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if ((rc != want)) || ! grep -qF -- "$pattern" <<<"$out"; then
		smoke_fail "$*: exit status $rc (expected $want), message \"$out\" (expected \"$pattern\")"
	fi
	smoke_log "refused as expected ($rc): $out"
}

# member1_here: famfs device list shows member 1 on this host.
member1_here() {
	local list
	list=$(famfs device list "$MNT") || smoke_fail "famfs device list failed"
	smoke_log "device list: $list"
	grep -qE '^1 .* (/|\(held by this mount\))' <<<"$list" ||
		smoke_fail "member 1 is not on this host: $list"
}

guest_0() {
	mh_setup
	mkfs.famfs -f "$DEV" "$DEV2" >/dev/null || smoke_fail "mkfs.famfs $DEV $DEV2 failed"
	mh_mount >/dev/null
	member1_here
	famfs creat -s 6M --random 11 "$MNT/one" >/dev/null || smoke_fail "famfs creat one failed"
	famfs creat -s 3M --random 12 "$MNT/two" >/dev/null || smoke_fail "famfs creat two failed"
	on_member1 "$MNT/one"
	on_member1 "$MNT/two"
	mh_fsck "$MNT"
	mh_wait_for "df counting both members as fsck does" 30 mh_space_agrees
	smoke_signal members-ready
	smoke_wait members-read >/dev/null || smoke_fail "host B did not read the files"
	mh_umount

	mkfs.famfs -f "$DEV" >/dev/null || smoke_fail "mkfs.famfs $DEV failed"
	mh_mount >/dev/null
	smoke_signal add-fs-ready
	smoke_wait add-b-mounted >/dev/null || smoke_fail "host B did not mount"
	refused 1 "already member 1 of famfs" famfs device add "$DEV2" "$MNT"
	famfs device add -f "$DEV2" "$MNT" >/dev/null || smoke_fail "famfs device add failed"
	member1_here
	famfs creat -s 4M --random 21 "$MNT/three" >/dev/null || smoke_fail "famfs creat three failed"
	on_member1 "$MNT/three"
	smoke_signal member-added
	smoke_wait add-read >/dev/null || smoke_fail "host B did not read the file on the new member"
	mh_fsck "$MNT"
	mh_umount
}

guest_1() {
	mh_setup
	mkdir -p /tmp/nodev /tmp/devs
	# The names swapped: labels, not paths, say which device is which.
	ln -s "$DEV2" "/tmp/devs/${DEV##*/}"
	ln -s "$DEV" "/tmp/devs/${DEV2##*/}"
	export FAMFS_DEV_DIR=/tmp/devs
	smoke_wait members-ready >/dev/null || smoke_fail "host A did not make the file system"
	refused 1 "member 1 of famfs" famfs mount "$DEV2" "$MNT"
	FAMFS_DEV_DIR=/tmp/nodev refused 1 "not found: no device under /tmp/nodev carries its label" \
		famfs mount "$DEV" "$MNT"
	! mountpoint -q "$MNT" || smoke_fail "a mount without member 1 stayed"
	mh_mount >/dev/null
	member1_here
	on_member1 "$MNT/one"
	verify "$MNT/one" 11
	verify "$MNT/two" 12
	mh_umount
	smoke_signal members-read

	smoke_wait add-fs-ready >/dev/null || smoke_fail "host A did not make the second file system"
	mkdir -p /tmp/late
	FAMFS_DEV_DIR=/tmp/late mh_mount >/dev/null
	smoke_signal add-b-mounted
	smoke_wait member-added >/dev/null || smoke_fail "host A did not add the member"
	mh_wait_for "three made on host B" 120 test -e "$MNT/three"
	! famfs getmap -q "$MNT/three" || smoke_fail "three is mapped without its member"
	ln -s "$DEV2" "/tmp/late/${DEV##*/}"
	mh_wait_for "three mapped once its member is found" 60 famfs getmap -q "$MNT/three"
	verify "$MNT/three" 21
	member1_here
	mh_umount
	smoke_signal add-read
}
