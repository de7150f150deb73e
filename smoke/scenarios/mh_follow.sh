# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_follow: one master and two clients at once. Host A creates 300 files
# (three of 110 MiB, the rest up to 4 MiB) while hosts B and C run famfs
# logplay --follow; both clients end with all 300 files, byte for byte what
# A wrote, and fsck from B is clean. Prints the follow latency on each
# client: from famfs creat returning on A to the file being visible there.
GUESTS=3
NAMES="hostA hostB hostC"
START=parallel
MODES=devdax
# Three guests of the debug kernel under TCG take over 12 minutes here, and
# under that load its own scheduler timers warn (dl_task_timer ->
# hrtimer_forward); the protocol code is the same on the stock kernels.
KERNELS="debian-6.1 debian-6.12"
MODULES=famfs
TIMEOUT=2400
# The commands and the log protocol, the same on every kernel: one per run.
SPREAD=one
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

FOLLOW_FILES=300
FOLLOW_DIRS=10

# follow_list: "INDEX PATH SIZE" of every file A creates (seed 1000 + INDEX).
# 166 units of 2 MiB for the three big files (110 MiB minus one byte,
# exactly, plus one byte), 20 for ten of 2-4 MiB and one each for the rest:
# 473 of the 494 units the harness's 1006 MiB device has for data after
# its two 8 MiB log areas.
follow_list() {
	local i size
	for ((i = 0; i < FOLLOW_FILES; i++)); do
		if ((i % 100 == 50)); then
			size=$(((110 << 20) + i / 100 - 1))
		elif ((i % 30 == 7)); then
			size=$(((2 << 20) + 1 + i * 4099))
		else
			size=$((1 + i * 104729 % (2 << 20)))
		fi
		echo "$i d$((i % FOLLOW_DIRS))/f$i $size"
	done
}

# The master: create every file, marking when each famfs creat returns.
guest_0() {
	local i path size
	local -a dirs
	mh_setup
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	mapfile -t dirs < <(seq -f "$MNT/d%g" 0 $((FOLLOW_DIRS - 1)))
	famfs mkdir "${dirs[@]}" >/dev/null || smoke_fail "famfs mkdir failed"
	smoke_signal follow-fs-ready
	smoke_wait follow-ready-hostB >/dev/null || smoke_fail "host B is not following"
	smoke_wait follow-ready-hostC >/dev/null || smoke_fail "host C is not following"
	while read -r i path size; do
		famfs creat -s "$size" --random $((1000 + i)) "$MNT/$path" >/dev/null ||
			smoke_fail "famfs creat $path ($size bytes) failed"
		mh_mark ret "$i"
	done < <(follow_list)
	smoke_log "created $FOLLOW_FILES files"
	mh_sums "$MNT" "$SMOKE_SHARED/sums-hostA"
	smoke_signal follow-created
	smoke_wait follow-done-hostB >/dev/null || smoke_fail "host B did not finish"
	smoke_wait follow-done-hostC >/dev/null || smoke_fail "host C did not finish"
	mh_umount
}

# A client: follow until every file is visible, then compare with A.
follow_client() {
	local list=/tmp/follow.list
	mh_setup
	smoke_wait follow-fs-ready >/dev/null || smoke_fail "host A did not make the file system"
	mh_mount >/dev/null
	follow_list >"$list"
	mh_follow_start /tmp/follow.log
	smoke_signal "follow-ready-$GUEST_NAME"
	mh_watch "$list" "seen-$GUEST_NAME" 2000 || smoke_fail "not every file became visible"
	mh_follow_stop
	smoke_log "logplay --follow: $(tail -n 1 /tmp/follow.log)"
	smoke_log "follow latency (famfs creat returned on hostA -> visible here): $(mh_latency "seen-$GUEST_NAME")"
	smoke_wait follow-created >/dev/null || smoke_fail "host A did not finish"
	mh_sums "$MNT" "$SMOKE_SHARED/sums-$GUEST_NAME"
	if ! cmp -s "$SMOKE_SHARED/sums-hostA" "$SMOKE_SHARED/sums-$GUEST_NAME"; then
		diff "$SMOKE_SHARED/sums-hostA" "$SMOKE_SHARED/sums-$GUEST_NAME" | head -n 20 >&2
		smoke_fail "checksums differ from host A's"
	fi
	smoke_log "all $(wc -l <"$SMOKE_SHARED/sums-$GUEST_NAME") files have host A's sha256"
}

guest_1() {
	follow_client
	mh_fsck "$DEV"
	mh_umount
	smoke_signal follow-done-hostB
}

guest_2() {
	follow_client
	mh_umount
	smoke_signal follow-done-hostC
}
