# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_stripe: a famfs over two shared devices, with striped files, on two
# hosts (docs/devices.md).
#
# 1. Host A makes the file system over both devices and copies in a tree
#    of plain and striped files (two over 100 MiB). Host B, with the
#    second device taken away (its nvdimm region disabled), must refuse to
#    mount and name the missing member; with it back, B mounts and reads
#    every file the same through read(2) and mmap, with PMD faults.
#    fsck is clean on both hosts.
# 2. Host A makes the file system on the first device alone; B mounts and
#    follows; A adds the second device (famfs device add). B's follower
#    picks the new member up, and a striped file A creates next lies on
#    both members and reads the same on B.
GUESTS=2
NAMES="hostA hostB"
NVDIMMS=2
START=parallel
MODES="devdax pmem"
MODULES=famfs
TIMEOUT=900
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

SEED=7

# members FILE: the members FILE's extents or strips lie on, sorted.
members() {
	famfs getmap "$1" | awk '$2 == "device" { print $3 }' | sort -u | tr '\n' ' '
}

# stripe_fill: the tree, and its checksums in the shared directory.
stripe_fill() {
	famfs mkdir "$MNT/docs" "$MNT/big" "$MNT/wide" >/dev/null || smoke_fail "famfs mkdir"
	famfs cp /usr/share/common-licenses/GPL-2 /bin/bash "$MNT/docs/" >/dev/null ||
		smoke_fail "famfs cp of plain files"
	famfs creat -s 110M --random "$SEED" "$MNT/big/plain-110M" >/dev/null ||
		smoke_fail "famfs creat plain-110M"
	famfs creat --stripe 2 --chunk 2M -s 130M --random $((SEED + 1)) \
		"$MNT/big/striped-130M" >/dev/null || smoke_fail "famfs creat --stripe 2"
	head -c 40M /dev/urandom >/tmp/wide-40M
	famfs cp -N 4 -C 4M /tmp/wide-40M "$MNT/wide/" >/dev/null ||
		smoke_fail "famfs cp -N 4 -C 4M"
	[[ $(members "$MNT/big/striped-130M") == "0 1 " ]] ||
		smoke_fail "striped-130M is not on both members: $(famfs getmap "$MNT/big/striped-130M")"
	[[ $(members "$MNT/wide/wide-40M") == "0 1 " ]] ||
		smoke_fail "wide-40M is not on both members"
	mh_sums "$MNT" "$SMOKE_SHARED/sums-A"
}

# check_maps: every file of 4 MiB or more reads the same through mmap as
# through read(2), with PMD faults.
check_maps() {
	local f out
	while IFS= read -r -d '' f; do
		out=$(mhtool mapcheck "$f") || smoke_fail "mhtool mapcheck $f: $out"
		smoke_log "${f#"$MNT"/}: $out"
	done < <(find "$MNT" -path "$MNT/.meta" -prune -o -type f -size +4M -print0)
}

# second_region: the nvdimm region of $DEV2, from its sysfs path.
second_region() {
	local node=${DEV2#/dev/} path
	if [[ -e /sys/bus/dax/devices/$node ]]; then
		path=$(readlink -f "/sys/bus/dax/devices/$node")
	else
		path=$(readlink -f "/sys/block/$node")
	fi
	grep -o 'region[0-9]*' <<<"$path" | tail -n1
}

# refuse_without_member: with $DEV2 gone, famfs mount fails and names
# member 1 and its UUID; nothing is left mounted.
refuse_without_member() {
	local region out rc=0 uuid
	region=$(second_region)
	[[ -n $region ]] || smoke_fail "no nvdimm region holds $DEV2"
	ndctl disable-region "$region" >/dev/null 2>&1 || smoke_fail "ndctl disable-region $region"
	[[ ! -e $DEV2 ]] || smoke_fail "$DEV2 is still there"
	uuid=$(smoke_wait member1-uuid)
	out=$(famfs mount "$DEV" "$MNT" 2>&1) || rc=$?
	((rc != 0)) || smoke_fail "famfs mount without member 1 succeeded: $out"
	[[ $out == *"member 1"* && $out == *"$uuid"* ]] ||
		smoke_fail "the refusal does not name member 1 ($uuid): $out"
	! mountpoint -q "$MNT" || smoke_fail "a refused mount left $MNT mounted"
	smoke_log "without $DEV2: famfs mount refused (exit $rc): $out"
	ndctl enable-region "$region" >/dev/null 2>&1 || smoke_fail "ndctl enable-region $region"
	mh_wait_for "$DEV2 back" 30 test -e "$DEV2"
}

# Host A: the master.
guest_0() {
	local out
	mh_setup
	out=$(mkfs.famfs -f "$DEV" "$DEV2" 2>&1) || smoke_fail "mkfs.famfs $DEV $DEV2: $out"
	mh_mount >/dev/null
	out=$(famfs device list "$MNT") || smoke_fail "famfs device list: $out"
	smoke_log "$out"
	smoke_signal member1-uuid "$(awk '$1 == 1 { print $2 }' <<<"$out")"
	stripe_fill
	check_maps
	mh_fsck "$MNT"
	smoke_signal filled
	smoke_wait checked >/dev/null || smoke_fail "host B did not check the tree"
	mh_umount
	# 2. One device, then a second one added while B follows.
	out=$(mkfs.famfs -f "$DEV" 2>&1) || smoke_fail "mkfs.famfs $DEV: $out"
	mh_mount >/dev/null
	smoke_signal one-device
	smoke_wait following >/dev/null || smoke_fail "host B did not mount"
	out=$(famfs device add --force "$DEV2" "$MNT" 2>&1) || smoke_fail "famfs device add $DEV2: $out"
	smoke_log "famfs device add: $out"
	famfs creat --stripe 2 --chunk 2M -s 20M --random $((SEED + 2)) "$MNT/after-add" >/dev/null ||
		smoke_fail "famfs creat --stripe 2 after device add"
	[[ $(members "$MNT/after-add") == "0 1 " ]] || smoke_fail "after-add is not on both members"
	sha256sum <"$MNT/after-add" | cut -d' ' -f1 >"$SMOKE_SHARED/after-add.sum"
	smoke_signal added
	smoke_wait done >/dev/null || smoke_fail "host B did not finish"
	mh_fsck "$MNT"
	mh_umount
}

# Host B: a client.
guest_1() {
	local out want
	mh_setup
	smoke_wait filled >/dev/null || smoke_fail "host A did not fill the file system"
	refuse_without_member
	out=$(famfs mount "$DEV" "$MNT" 2>&1) || smoke_fail "famfs mount $DEV $MNT: $out"
	mh_sums "$MNT" "$SMOKE_SHARED/sums-B"
	cmp -s "$SMOKE_SHARED/sums-A" "$SMOKE_SHARED/sums-B" ||
		smoke_fail "host B's files differ: $(diff "$SMOKE_SHARED/sums-A" "$SMOKE_SHARED/sums-B")"
	check_maps
	mh_fsck "$MNT"
	mh_umount
	smoke_signal checked
	smoke_wait one-device >/dev/null || smoke_fail "host A did not make the file system again"
	out=$(famfs mount "$DEV" "$MNT" 2>&1) || smoke_fail "famfs mount of one device: $out"
	smoke_signal following
	smoke_wait added >/dev/null || smoke_fail "host A did not add the device"
	mh_wait_for "member 1 on host B" 60 test -e "$MNT/after-add"
	want=$(cat "$SMOKE_SHARED/after-add.sum")
	mh_wait_for "after-add readable" 30 test -s "$MNT/after-add"
	[[ $(sha256sum <"$MNT/after-add" | cut -d' ' -f1) == "$want" ]] ||
		smoke_fail "after-add reads differently on host B"
	out=$(famfs device list "$MNT") || smoke_fail "famfs device list on B: $out"
	smoke_log "$out"
	awk '$1 == 1 && $NF != "missing" { ok = 1 } END { exit !ok }' <<<"$out" ||
		smoke_fail "host B does not hold member 1: $out"
	check_maps
	mh_fsck "$MNT"
	mh_umount
	smoke_signal done
}
