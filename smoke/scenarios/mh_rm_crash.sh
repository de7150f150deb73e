# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_rm_crash: the master powers off in the middle of famfs rm -r of 1,000
# files. Host B follows, and holds one file of the tree open through it.
# After the power-off B's tree is the log's (famfs check) and fsck is clean.
# Host A boots again (guest hostA2, with A's system UUID): its mount plays
# the log, fsck is clean, and it fills the device with new files: fsck on
# both hosts then proves that no new file took a unit a live file or the
# file B still holds has, and B's reader saw its file's bytes throughout.
GUESTS=3
NAMES="hostA hostB hostA2"
START=parallel
MODES=devdax
KERNELS="debian-6.1 debian-6.12 famfs-dev"
MODULES=famfs
TIMEOUT=1800
SPREAD=one
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

# 1,000 files: 250 of one 2 MiB unit, the rest empty (the device is 1 GiB).
FILES=1000
FULL_FILES=250
HELD=tree/d3/f0303

# make_tree: the tree, in directories of 100 files.
make_tree() {
	local i d
	local -a full empty
	for ((d = 0; d < FILES / 100; d++)); do
		famfs mkdir -p "$MNT/tree/d$d" >/dev/null || smoke_fail "famfs mkdir failed"
	done
	for ((i = 0; i < FILES; i++)); do
		d=$((i / 100))
		if ((i % 4 == 3)); then
			full+=("$MNT/tree/d$d/f$(printf %04d "$i")")
		else
			empty+=("$MNT/tree/d$d/f$(printf %04d "$i")")
		fi
	done
	famfs creat -s 2M -S 5 "${full[@]}" >/dev/null || smoke_fail "famfs creat of the full files failed"
	famfs creat -s 0 "${empty[@]}" >/dev/null || smoke_fail "famfs creat of the empty files failed"
}

# count_files DIR: regular files under DIR (which may be shrinking: find
# then fails on what vanished under it, which is no error here).
count_files() {
	{ find "$1" -type f 2>/dev/null || true; } | wc -l
}

# The master: make the tree, remove it, die in the middle.
guest_0() {
	local pid seq
	mh_setup
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	smoke_signal rmcrash-uuid "$(cat "$FAMFS_SYSTEM_UUID_FILE")"
	make_tree
	smoke_signal rmcrash-ready
	smoke_wait rmcrash-holding >/dev/null || smoke_fail "host B does not hold $HELD"
	seq=$(mhtool seq-past "$MNT/.meta/.log" -1) || smoke_fail "cannot read the log header"
	smoke_signal rmcrash-powering-off
	smoke_power_off_arm
	famfs rm -r "$MNT/tree" >/tmp/rm.log 2>&1 &
	pid=$!
	# Power off the moment the first batch (256 deletes) is published.
	timeout 300 mhtool seq-past "$MNT/.meta/.log" "$seq" ||
		smoke_fail "famfs rm -r published nothing"
	kill -0 "$pid" 2>/dev/null || smoke_fail "famfs rm -r ended before the power-off: $(cat /tmp/rm.log)"
	smoke_power_off
}

# The client: hold a file, check the tree after the crash, then after the
# rebooted master filled the device.
guest_1() {
	local reader n
	mh_setup
	smoke_wait rmcrash-ready >/dev/null || smoke_fail "host A did not make the tree"
	mh_mount >/dev/null
	[[ $(count_files "$MNT/tree") == "$FILES" ]] || smoke_fail "host B does not see the $FILES files"
	mhtool hold "$MNT/$HELD" /tmp/hold.ready /tmp/hold.stop >/tmp/hold.out 2>&1 &
	reader=$!
	until [[ -e /tmp/hold.ready ]]; do
		kill -0 "$reader" 2>/dev/null || smoke_fail "the reader of $HELD failed: $(cat /tmp/hold.out)"
		sleep 0.1
	done
	smoke_signal rmcrash-holding
	smoke_wait rmcrash-powering-off >/dev/null || smoke_fail "host A did not power off"
	mh_log_settled
	sleep 1		# the follower's next poll
	n=$(count_files "$MNT/tree")
	((n < FILES)) || smoke_fail "no file was removed before the power-off"
	((n > 0)) || smoke_fail "every file was removed: the power-off came after famfs rm -r"
	famfs check "$MNT" >/tmp/check.out 2>&1 ||
		smoke_fail "after the crash, host B's tree is not the log's: $(tail -n 5 /tmp/check.out)"
	mh_fsck "$DEV"
	smoke_log "after the master's power-off: $n of $FILES files left, tree and log agree"
	smoke_signal rmcrash-checked

	smoke_wait rmcrash-filled >/dev/null || smoke_fail "host A2 did not fill the device"
	sleep 1
	famfs check "$MNT" >/tmp/check.out 2>&1 ||
		smoke_fail "host B's tree is not the log's: $(tail -n 5 /tmp/check.out)"
	mh_fsck "$DEV"
	kill -0 "$reader" 2>/dev/null || smoke_fail "the reader stopped: $(cat /tmp/hold.out)"
	: >/tmp/hold.stop
	wait "$reader" || smoke_fail "the reader of $HELD saw other bytes: $(cat /tmp/hold.out)"
	smoke_log "reader of $HELD: $(cat /tmp/hold.out)"
	smoke_signal rmcrash-done
	mh_umount
}

# Host A's next boot: same system UUID, same memory.
guest_2() {
	local i=0 out
	smoke_wait rmcrash-uuid >/tmp/system-uuid || smoke_fail "host A did not say its UUID"
	export FAMFS_SYSTEM_UUID_FILE=/tmp/system-uuid
	mh_setup
	smoke_wait rmcrash-checked >/dev/null || smoke_fail "host B did not check the tree"
	mh_mount >/dev/null
	mh_fsck "$DEV"
	famfs check "$MNT" >/dev/null || smoke_fail "the rebooted master's tree is not the log's"
	famfs mkdir "$MNT/new" >/dev/null || smoke_fail "famfs mkdir new failed"
	while out=$(famfs creat -s 16M "$MNT/new/f$i" 2>&1); do
		i=$((i + 1))
	done
	[[ $out == *"device full"* ]] || smoke_fail "filling the device: $out"
	smoke_log "the rebooted master filled the device with $i files: $out"
	mh_fsck "$DEV"
	smoke_signal rmcrash-filled
	smoke_wait rmcrash-done >/dev/null || smoke_fail "host B did not finish"
	mh_umount
}
