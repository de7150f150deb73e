# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_delete: delete and rename across two hosts on one memory. Host A
# (master) makes a tree; host B mounts and follows the log. B maps one file
# and reads it in a loop while A runs famfs rm on it: the name vanishes on
# both hosts and B's reader keeps seeing the file's bytes until it closes
# it. A moves a directory of 100 files (famfs mv), which B applies. An
# ordinary user's unlink, rename and mkdir in the mount fail with EPERM.
# fsck passes on both hosts, counts the deleted file while B holds it as
# awaiting release, and as free once B has closed it.
GUESTS=2
NAMES="hostA hostB"
START=parallel
MODES="devdax"
KERNELS="debian-6.1 debian-6.12 famfs-dev"
MODULES=famfs
TIMEOUT=1500
# The commands and the log protocol, the same on every kernel: one per run.
SPREAD=one
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

MOVED_FILES=100
HELD_SEED=7
HELD_BYTES=$((4 << 20))

# holds_files DIR N: DIR holds N regular files.
holds_files() {
	[[ -d $1 ]] && (($(find "$1" -type f | wc -l) == $2))
}

# as_nobody_fails WHAT COMMAND...: as uid 65534 the command fails with EPERM.
as_nobody_fails() {
	local what=$1 out
	shift
	if out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$@" 2>&1); then
		smoke_fail "an ordinary user's $what succeeded"
	fi
	[[ $out == *"Operation not permitted"* ]] ||
		smoke_fail "an ordinary user's $what: \"$out\", not EPERM"
}

# awaiting BYTES: famfs fsck of $DEV counts one deleted file, and BYTES
# of deleted space awaiting release.
awaiting() {
	local yaml
	yaml=$(famfs fsck --yaml "$DEV") || return 1
	grep -qx "deleted_files: 1" <<<"$yaml" &&
		grep -qx "  awaiting_release: $1" <<<"$yaml"
}

# deleted_space BYTES: fsck passes, and counts BYTES awaiting release.
deleted_space() {
	mh_fsck "$DEV"
	mh_wait_for "famfs fsck: one deleted file, $1 bytes awaiting release" 20 awaiting "$1"
	smoke_log "famfs fsck $DEV: one deleted file, $1 bytes awaiting release"
}

# The names only the log player may change: in a directory everyone may
# write, an ordinary user gets EPERM from famfs.ko, not EACCES.
ordinary_user() {
	famfs mkdir -m 0777 "$MNT/open" >/dev/null || smoke_fail "famfs mkdir open failed"
	famfs creat -s 2M "$MNT/open/x" >/dev/null || smoke_fail "famfs creat open/x failed"
	as_nobody_fails unlink rm -f "$MNT/open/x"
	as_nobody_fails rename mv "$MNT/open/x" "$MNT/open/y"
	as_nobody_fails mkdir mkdir "$MNT/open/d"
	[[ -f $MNT/open/x && ! -e $MNT/open/y && ! -e $MNT/open/d ]] ||
		smoke_fail "an ordinary user changed the names in $MNT/open"
	smoke_log "an ordinary user's unlink, rename and mkdir: EPERM"
}

# The master: a tree, then rm of the file B holds, then mv of a directory.
guest_0() {
	local i
	local -a many
	mh_setup
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	famfs mkdir -p "$MNT/tree/sub" "$MNT/big" >/dev/null || smoke_fail "famfs mkdir failed"
	famfs creat -s "$HELD_BYTES" --random "$HELD_SEED" "$MNT/tree/held" >/dev/null ||
		smoke_fail "famfs creat held failed"
	famfs creat -s 2M "$MNT/tree/a" "$MNT/tree/sub/b" >/dev/null ||
		smoke_fail "famfs creat a, b failed"
	for ((i = 0; i < MOVED_FILES; i++)); do
		many+=("$MNT/big/f$i")
	done
	famfs creat -s 4K "${many[@]}" >/dev/null || smoke_fail "famfs creat big/* failed"
	smoke_signal delete-fs-ready
	smoke_wait delete-holding >/dev/null || smoke_fail "host B does not hold the file"

	famfs rm -v "$MNT/tree/held" || smoke_fail "famfs rm tree/held failed"
	mh_gone "$MNT/tree/held" || smoke_fail "tree/held is still here after famfs rm"
	smoke_signal delete-removed
	smoke_wait delete-gone >/dev/null || smoke_fail "host B still shows tree/held"
	ordinary_user

	famfs mv "$MNT/big" "$MNT/tree" || smoke_fail "famfs mv big tree failed"
	holds_files "$MNT/tree/big" "$MOVED_FILES" || smoke_fail "tree/big lacks files here"
	smoke_signal delete-moved
	smoke_wait delete-done >/dev/null || smoke_fail "host B did not finish"
	famfs check "$MNT" >/dev/null || smoke_fail "famfs check $MNT: the tree differs from the log"
	deleted_space 0
	mh_umount
}

# The client: follow, hold the file through its deletion, see the move.
guest_1() {
	local held=$MNT/tree/held out
	mh_setup
	smoke_wait delete-fs-ready >/dev/null || smoke_fail "host A did not make the file system"
	mh_mount >/dev/null
	mh_follow_start /tmp/follow.log
	famfs verify -q -S "$HELD_SEED" "$held" || smoke_fail "tree/held is not what A wrote"
	mhtool hold "$held" /tmp/hold.ready /tmp/hold.stop >/tmp/hold.out 2>&1 &
	local reader=$!
	mh_wait_for "the reader maps tree/held" 30 test -e /tmp/hold.ready
	smoke_signal delete-holding

	smoke_wait delete-removed >/dev/null || smoke_fail "host A did not remove tree/held"
	mh_wait_for "tree/held vanishes on host B" 30 mh_gone "$held"
	smoke_log "tree/held is gone on host B; its reader goes on"
	deleted_space "$HELD_BYTES"
	smoke_signal delete-gone
	sleep 2
	kill -0 "$reader" 2>/dev/null || smoke_fail "the reader stopped: $(cat /tmp/hold.out)"
	: >/tmp/hold.stop
	wait "$reader" || smoke_fail "the reader saw other bytes: $(cat /tmp/hold.out)"
	smoke_log "reader of the deleted file: $(cat /tmp/hold.out)"

	smoke_wait delete-moved >/dev/null || smoke_fail "host A did not move big"
	mh_wait_for "tree/big with $MOVED_FILES files on host B" 60 \
		holds_files "$MNT/tree/big" "$MOVED_FILES"
	mh_gone "$MNT/big" || smoke_fail "big is still here after the move"
	mh_follow_stop
	out=$(famfs check "$MNT" 2>&1) || smoke_fail "famfs check $MNT: $out"
	smoke_log "logplay --follow: $(tail -n 1 /tmp/follow.log)"
	deleted_space 0
	mh_umount
	smoke_signal delete-done
}
