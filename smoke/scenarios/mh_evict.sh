# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_evict: a host powered off while mounted pins deleted space until it is
# evicted. Host C mounts and is powered off abruptly. Master A deletes a
# file: host B releases it, C cannot. fsck and famfs hosts on A say that C
# pins it and that C's heartbeat has stopped; famfs hosts evict frees the
# space (fsck: nothing awaits release). Then C boots again (guest hostC2,
# with C's system UUID, on the same memory), mounts, and sees the current
# tree; its new slot counts again (famfs hosts: alive). Last, A evicts
# host B while it runs (--force): B's follower shuts B's mount down (reads
# fail with EIO), and B must mount again, after which it reads again.
GUESTS=4
NAMES="hostA hostB hostC hostC2"
START=parallel
MODES=devdax
KERNELS="debian-6.1 debian-6.12 famfs-dev"
MODULES=famfs
TIMEOUT=1500
SPREAD=one
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

X_BYTES=$((16 << 20))

# awaiting TARGET: the bytes fsck counts as awaiting release.
awaiting() {
	famfs fsck --yaml "$1" | awk '$1 == "awaiting_release:" { print $2 }'
}

# only_c_pins: fsck on A says the deleted file awaits release, held by C.
only_c_pins() {
	local out
	famfs fsck "$DEV" >/tmp/pins.out 2>&1 || return 1
	out=$(</tmp/pins.out)
	[[ $out == *"pinned by:     hostC (slot"* && $out != *hostB* ]]
}

# c_pins: only_c_pins within two minutes (guests under load poll late), or
# fail showing fsck and the hosts.
c_pins() {
	local limit=$((SECONDS + 120))
	until only_c_pins; do
		if ((SECONDS >= limit)); then
			cat /tmp/pins.out >&2
			famfs hosts -n "$MNT" >&2 || true
			smoke_fail "fsck does not say that host C alone pins x (above)"
		fi
		smoke_check_abort
		sleep 0.5
	done
}

# The master.
guest_0() {
	local hosts uuid
	mh_setup
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	famfs mkdir "$MNT/tree" >/dev/null || smoke_fail "famfs mkdir failed"
	famfs creat -s 4M -S 1 "$MNT/tree/keep" >/dev/null || smoke_fail "famfs creat keep failed"
	famfs creat -s "$X_BYTES" -S 2 "$MNT/tree/x" >/dev/null || smoke_fail "famfs creat x failed"
	smoke_signal evict-fs-ready
	smoke_wait evict-b-mounted >/dev/null || smoke_fail "host B did not mount"
	uuid=$(smoke_wait evict-c-uuid) || smoke_fail "host C did not mount"
	smoke_wait evict-c-off >/dev/null || smoke_fail "host C did not power off"
	famfs rm "$MNT/tree/x" || smoke_fail "famfs rm x failed"
	c_pins
	[[ $(awaiting "$DEV") == "$X_BYTES" ]] || smoke_fail "fsck: not $X_BYTES bytes awaiting release"

	hosts=$(famfs hosts "$MNT") || smoke_fail "famfs hosts failed"
	smoke_log "famfs hosts: $hosts"
	grep -E "mounted +stopped +$uuid +hostC " <<<"$hosts" >/dev/null ||
		smoke_fail "famfs hosts does not say that host C stopped"
	grep -A1 "$uuid" <<<"$hosts" | grep -q "pins 16 MiB in 1 deleted file" ||
		smoke_fail "famfs hosts does not say that host C pins x"
	famfs hosts evict "$MNT" hostC >/dev/null 2>&1 &&
		smoke_fail "famfs hosts evict took a name that is neither a UUID nor a slot"
	famfs hosts evict "$MNT" "$uuid" || smoke_fail "famfs hosts evict $uuid failed"
	[[ $(awaiting "$DEV") == 0 ]] || smoke_fail "fsck: space still awaits release after the eviction"
	famfs log "$MNT" | grep -q "evict" || smoke_fail "no EVICT entry in the log"
	famfs creat -s 2M -S 3 "$MNT/tree/after" >/dev/null || smoke_fail "famfs creat after failed"
	smoke_signal evict-done
	smoke_wait evict-c2-checked >/dev/null || smoke_fail "host C2 did not check the tree"
	hosts=$(famfs hosts "$MNT") || smoke_fail "famfs hosts failed"
	grep -E "mounted +alive +$uuid +hostC" <<<"$hosts" >/dev/null ||
		smoke_fail "host C's new mount is not alive in famfs hosts: $hosts"
	mh_fsck "$DEV"
	smoke_signal evict-finished
	uuid=$(smoke_wait evict-b-uuid) || smoke_fail "host B did not say its UUID"
	famfs hosts evict "$MNT" "$uuid" >/dev/null 2>&1 &&
		smoke_fail "famfs hosts evict of a running host succeeded without --force"
	famfs hosts evict --force "$MNT" "$uuid" || smoke_fail "famfs hosts evict --force failed"
	smoke_signal evict-b-evicted
	smoke_wait evict-b-back >/dev/null || smoke_fail "host B did not come back"
	mh_umount
}

# A client that stays up and releases x.
guest_1() {
	mh_setup
	smoke_wait evict-fs-ready >/dev/null || smoke_fail "host A did not make the file system"
	mh_mount >/dev/null
	smoke_signal evict-b-mounted
	smoke_wait evict-done >/dev/null || smoke_fail "host A did not evict host C"
	mh_wait_for "tree/after on host B" 30 test -e "$MNT/tree/after"
	[[ ! -e $MNT/tree/x ]] || smoke_fail "x is still here on host B"
	smoke_wait evict-finished >/dev/null || smoke_fail "host A did not finish"
	famfs verify -q -S 1 "$MNT/tree/keep" || smoke_fail "keep: wrong bytes on host B"
	smoke_signal evict-b-uuid "$(cat "$FAMFS_SYSTEM_UUID_FILE")"
	smoke_wait evict-b-evicted >/dev/null || smoke_fail "host A did not evict host B"
	mh_wait_for "host B's mount is shut down" 30 fenced
	smoke_klog_has "shut down: all I/O now fails until unmount" ||
		smoke_fail "no shutdown line in the kernel log"
	mh_umount
	mh_mount >/dev/null
	famfs verify -q -S 1 "$MNT/tree/keep" || smoke_fail "keep: host B cannot read after mounting again"
	smoke_log "evicted while running: the mount was shut down; mounted again, it reads"
	smoke_signal evict-b-back
	mh_umount
}

# fenced: reading a file of the mount fails.
fenced() {
	! head -c 1 "$MNT/tree/keep" >/dev/null 2>&1
}

# The host that loses power while mounted.
guest_2() {
	mh_setup
	smoke_wait evict-fs-ready >/dev/null || smoke_fail "host A did not make the file system"
	mh_mount >/dev/null
	[[ -f $MNT/tree/x ]] || smoke_fail "x is not here on host C"
	smoke_signal evict-c-uuid "$(cat "$FAMFS_SYSTEM_UUID_FILE")"
	sleep 2		# a heartbeat or two
	smoke_log "powering off while mounted"
	smoke_signal evict-c-off
	smoke_power_off
}

# Host C's next boot: same system UUID, same memory.
guest_3() {
	smoke_wait evict-c-uuid >/tmp/system-uuid || smoke_fail "host C did not say its UUID"
	export FAMFS_SYSTEM_UUID_FILE=/tmp/system-uuid
	mh_setup
	smoke_wait evict-done >/dev/null || smoke_fail "host A did not evict host C"
	mh_mount >/dev/null
	[[ -f $MNT/tree/keep && -f $MNT/tree/after && ! -e $MNT/tree/x ]] ||
		smoke_fail "host C2 does not see the current tree: $(ls "$MNT/tree")"
	famfs verify -q -S 3 "$MNT/tree/after" || smoke_fail "tree/after: wrong bytes on host C2"
	mh_fsck "$DEV"
	smoke_signal evict-c2-checked
	smoke_wait evict-finished >/dev/null || smoke_fail "host A did not finish"
	mh_umount
}
