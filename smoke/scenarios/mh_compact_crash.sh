# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_compact_crash: the master powers off in the middle of a log
# compaction, at each of its steps, and boots again each time; host B
# follows throughout. The steps are picked by FAMFS_TEST_COMPACT_STOP,
# which makes famfs compact stop (and wait for the power-off) at one point
# of docs/compaction.md's crash table:
#   entries  half the new log's entries written, no header yet
#   area     the new log complete and its header flushed, the record not
#            yet switched
#   record   the record switched, before the command returns
# After each power-off B's tree is the active log's (famfs check) and fsck
# is clean; the master's next boot (guests hostA2, hostA3, hostA4, with A's
# system UUID) mounts, plays, passes fsck, and compacts again. The first
# two crashes leave generation 0 active, the third generation 1; the last
# boot compacts to generation 2, changes the tree, and B follows.
GUESTS=5
NAMES="hostA hostB hostA2 hostA3 hostA4"
START=parallel
MODES=devdax
KERNELS="debian-6.1 debian-6.12 famfs-dev"
MODULES=famfs
TIMEOUT=2400
SPREAD=one
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

STEPS=(entries area record)
GEN_AFTER=(0 0 1)	# the generation active after the power-off at each step
HELD=tree/d1/f0105

generation() {
	mhtool generation "$MNT/.meta/.superblock" || smoke_fail "cannot read the log generation"
}

# make_tree: 400 files in four directories (every fourth holds a 2 MiB
# unit), then deletes and renames, so that a compaction has work to do.
make_tree() {
	local i d
	local -a full empty
	for ((d = 0; d < 4; d++)); do
		famfs mkdir -p "$MNT/tree/d$d" >/dev/null || smoke_fail "famfs mkdir failed"
	done
	for ((i = 0; i < 400; i++)); do
		d=$((i / 100))
		if ((i % 4 == 1)); then
			full+=("$MNT/tree/d$d/f$(printf %04d "$i")")
		else
			empty+=("$MNT/tree/d$d/f$(printf %04d "$i")")
		fi
	done
	famfs creat -s 2M -S 5 "${full[@]}" >/dev/null || smoke_fail "famfs creat failed"
	famfs creat -s 0 "${empty[@]}" >/dev/null || smoke_fail "famfs creat failed"
	famfs rm -r "$MNT/tree/d3" >/dev/null || smoke_fail "famfs rm -r failed"
	famfs mv "$MNT/tree/d2" "$MNT/tree/d0/moved" >/dev/null || smoke_fail "famfs mv failed"
}

# crash_compacting STEP: run famfs compact until it stops at STEP, then
# power off.
crash_compacting() {
	smoke_power_off_arm
	FAMFS_TEST_COMPACT_STOP=$1 famfs compact "$MNT" >/tmp/compact.out 2>&1 &
	local pid=$! limit=$((SECONDS + 300))
	until grep -q "stopped for a test at step $1" /tmp/compact.out; do
		kill -0 "$pid" 2>/dev/null || smoke_fail "famfs compact ended before step $1: $(cat /tmp/compact.out)"
		((SECONDS < limit)) || smoke_fail "famfs compact did not reach step $1"
		sleep 0.05
	done
	smoke_signal "crash-$1" "$(cat "$FAMFS_SYSTEM_UUID_FILE")"
	smoke_power_off
}

# reboot I: the master's next boot after the power-off at STEPS[I-1].
reboot() {
	local i=$1 prev=${STEPS[$1 - 1]}
	smoke_wait "crash-$prev" >/tmp/system-uuid || smoke_fail "host A did not power off at $prev"
	export FAMFS_SYSTEM_UUID_FILE=/tmp/system-uuid
	mh_setup
	smoke_wait "checked-$prev" >/dev/null || smoke_fail "host B did not check after $prev"
	mh_mount >/dev/null
	mh_fsck "$DEV"
	famfs check "$MNT" >/tmp/check.out 2>&1 ||
		smoke_fail "the rebooted master's tree is not the log's: $(tail -n 5 /tmp/check.out)"
	[[ $(generation) == "${GEN_AFTER[i - 1]}" ]] ||
		smoke_fail "after the power-off at $prev the log is generation $(generation), not ${GEN_AFTER[i - 1]}"
	smoke_log "booted again after the power-off at $prev: generation $(generation), fsck clean, tree == log"
}

guest_0() {
	mh_setup
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	make_tree
	smoke_signal crash-ready
	smoke_wait crash-holding >/dev/null || smoke_fail "host B does not hold $HELD"
	crash_compacting "${STEPS[0]}"
}

guest_2() {
	reboot 1
	crash_compacting "${STEPS[1]}"
}

guest_3() {
	reboot 2
	crash_compacting "${STEPS[2]}"
}

guest_4() {
	reboot 3
	famfs compact "$MNT" >/tmp/compact.out 2>&1 || smoke_fail "famfs compact failed: $(cat /tmp/compact.out)"
	smoke_log "$(cat /tmp/compact.out)"
	[[ $(generation) == 2 ]] || smoke_fail "the last compaction made generation $(generation), not 2"
	famfs creat -s 2M -S 9 "$MNT/after" >/dev/null || smoke_fail "famfs creat after the compaction failed"
	famfs rm -r "$MNT/tree/d1" >/dev/null || smoke_fail "famfs rm -r tree/d1 failed"
	mh_fsck "$DEV"
	smoke_signal crash-final
	smoke_wait crash-done >/dev/null || smoke_fail "host B did not finish"
	mh_umount
}

# Host B: after each power-off, its tree is the log's, then it follows
# the next boot's changes; it holds one file open throughout.
guest_1() {
	local reader step i
	mh_setup
	smoke_wait crash-ready >/dev/null || smoke_fail "host A did not make the tree"
	mh_mount >/dev/null
	mhtool hold "$MNT/$HELD" /tmp/hold.ready /tmp/hold.stop >/tmp/hold.out 2>&1 &
	reader=$!
	until [[ -e /tmp/hold.ready ]]; do
		kill -0 "$reader" 2>/dev/null || smoke_fail "the reader of $HELD failed: $(cat /tmp/hold.out)"
		sleep 0.1
	done
	smoke_signal crash-holding
	for i in "${!STEPS[@]}"; do
		step=${STEPS[i]}
		smoke_wait "crash-$step" >/dev/null || smoke_fail "host A did not power off at $step"
		mh_wait_for "the follower on generation ${GEN_AFTER[i]}" 60 \
			test "$(generation)" == "${GEN_AFTER[i]}"
		sleep 1		# the follower's next poll
		famfs check "$MNT" >/tmp/check.out 2>&1 ||
			smoke_fail "after the power-off at $step, host B's tree is not the log's: $(tail -n 5 /tmp/check.out)"
		mh_fsck "$DEV"
		smoke_log "after the power-off at $step: generation $(generation), tree == log"
		smoke_signal "checked-$step"
	done
	smoke_wait crash-final >/dev/null || smoke_fail "host A4 did not finish"
	mh_wait_for "tree/d1 gone here" 60 mh_gone "$MNT/tree/d1"
	mh_wait_for "after here" 60 test -e "$MNT/after"
	famfs check "$MNT" >/tmp/check.out 2>&1 ||
		smoke_fail "host B's tree is not the log's: $(tail -n 5 /tmp/check.out)"
	famfs verify -q -S 9 "$MNT/after" || smoke_fail "after: wrong bytes on host B"
	mh_fsck "$DEV"
	: >/tmp/hold.stop
	wait "$reader" || smoke_fail "the reader of $HELD saw other bytes: $(cat /tmp/hold.out)"
	smoke_log "reader of $HELD: $(cat /tmp/hold.out)"
	smoke_signal crash-done
	mh_umount
}
