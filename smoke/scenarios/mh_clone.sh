# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_clone: two hosts with one system UUID (a cloned image), and the
# follower's life. Master A mounts (its follower runs; umount stops it and
# marks the slot unmounted, eight times over). Host A' boots with A's
# system UUID and mounts: the table holds two live slots of one UUID, and
# both hosts refuse changes with a message that says how to give a host
# its own identity. A' follows the advice (a new system UUID, mount
# again): A may change the file system again, and famfs hosts lists both.
GUESTS=2
NAMES="hostA hostA1"
START=parallel
MODES=devdax
KERNELS="debian-6.1 debian-6.12 famfs-dev"
MODULES=famfs
TIMEOUT=1200
SPREAD=one
# Mounts and umounts in a row, each with its follower.
MOUNTS=8
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

# follower_pid: the pid of this host's background follower, if it runs.
follower_pid() {
	local f
	for f in /run/famfs/*.follower; do
		[[ -e $f ]] || continue
		cat "$f"
		return 0
	done
	return 1
}

# The follower comes with every mount and goes with every umount.
follower_life() {
	local i pid hosts
	for ((i = 0; i < MOUNTS; i++)); do
		mh_mount >/dev/null
		pid=$(follower_pid) || smoke_fail "famfs mount left no follower (mount $i)"
		kill -0 "$pid" || smoke_fail "the follower $pid is not running"
		umount "$MNT" || smoke_fail "umount failed with the follower running (mount $i)"
		! kill -0 "$pid" 2>/dev/null || smoke_fail "the follower $pid outlived umount"
	done
	hosts=$(famfs hosts -n "$DEV") || smoke_fail "famfs hosts $DEV failed"
	grep -q "unmounted .*hostA" <<<"$hosts" || smoke_fail "umount did not mark the slot unmounted: $hosts"
	smoke_log "$MOUNTS mounts and umounts: a follower each time, gone with the umount, slot unmounted"
}

# refused HOST: a change on this host is refused, naming the cure.
refused() {
	local out
	if out=$(famfs mkdir "$MNT/on-$1" 2>&1); then
		smoke_fail "host $1 changed the file system while its identity is shared"
	fi
	[[ $out == *"share one identity"*"rm $FAMFS_SYSTEM_UUID_FILE"* ]] ||
		smoke_fail "host $1: the refusal does not say why: $out"
	smoke_log "host $1: $out"
}

guest_0() {
	mh_setup
	mh_mkfs >/dev/null
	follower_life
	mh_mount >/dev/null
	famfs mkdir "$MNT/before" >/dev/null || smoke_fail "famfs mkdir before failed"
	smoke_signal clone-uuid "$(cat "$FAMFS_SYSTEM_UUID_FILE")"
	smoke_wait clone-mounted >/dev/null || smoke_fail "the clone did not mount"
	refused A
	smoke_signal clone-refused-a
	smoke_wait clone-fixed >/dev/null || smoke_fail "the clone did not take its own identity"
	famfs mkdir "$MNT/after" >/dev/null || smoke_fail "host A cannot change the file system after the fix"
	[[ $(famfs hosts "$MNT" | grep -Ec "mounted +alive") == 2 ]] ||
		smoke_fail "famfs hosts does not list two live hosts: $(famfs hosts "$MNT")"
	smoke_signal clone-done
	smoke_wait clone-finished >/dev/null || smoke_fail "the clone did not finish"
	mh_fsck "$DEV"
	mh_umount
}

guest_1() {
	smoke_wait clone-uuid >/tmp/system-uuid || smoke_fail "host A did not say its UUID"
	export FAMFS_SYSTEM_UUID_FILE=/tmp/system-uuid
	mh_setup
	mh_mount >/dev/null
	[[ -d $MNT/before ]] || smoke_fail "the clone does not see before"
	smoke_signal clone-mounted
	smoke_wait clone-refused-a >/dev/null || smoke_fail "host A was not refused"
	refused A1
	umount "$MNT" || smoke_fail "umount failed"
	rm "$FAMFS_SYSTEM_UUID_FILE"
	mh_mount >/dev/null
	smoke_signal clone-fixed
	smoke_wait clone-done >/dev/null || smoke_fail "host A did not finish"
	[[ -d $MNT/after ]] || smoke_fail "the former clone does not see after"
	smoke_signal clone-finished
	mh_umount
}
