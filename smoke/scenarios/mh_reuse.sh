# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_reuse: a deleted file's space is reused only when no host can reach it.
# Three hosts on one memory, each with the follower famfs mount starts.
# Host B maps file X and reads it in a loop, checking its bytes; host C
# follows. Master A runs famfs rm X, then creates files until the device
# is full: none gets X's units while B holds X (A's ENOSPC says space
# awaits release, famfs hosts on A names B as the host that pins it), B's
# reads stay correct, and X vanishes on B and C. B closes X: within
# seconds A allocates X's units to a new file, whose bytes are right on
# A, B and C. fsck passes on all three, and df agrees with it. Then A moves
# a directory of 100 files (famfs mv) while B reads one of them: both
# clients apply the move, and B's reader goes on unharmed.
GUESTS=3
NAMES="hostA hostB hostC"
START=parallel
MODES="devdax"
KERNELS="debian-6.1 debian-6.12 famfs-dev"
MODULES=famfs
TIMEOUT=1500
SPREAD=one
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

X_SEED=11
X_BYTES=$((64 << 20))
FILL_BYTES=$((32 << 20))
NEW_SEED=12
# How soon after B lets go of X the master must be able to reuse it.
REUSE_LIMIT=15
MOVED_FILES=100

# extents FILE: "offset length" per extent, in decimal.
extents() {
	local off len
	famfs getmap "$1" | awk '$2 == "device" { print $5, $7 }' |
		while read -r off len; do
			echo "$((off)) $((len))"
		done
}

# overlap A B: do the extent lists in files A and B share a byte?
overlap() {
	awk 'NR == FNR { s[NR] = $1; e[NR] = $1 + $2; n = NR; next }
	     { for (i = 1; i <= n; i++) if ($1 < e[i] && s[i] < $1 + $2) found = 1 }
	     END { exit !found }' "$1" "$2"
}

# moved: the directory of MOVED_FILES files is at its new name only.
moved() {
	[[ ! -e $MNT/many && -d $MNT/moved ]] &&
		(($(find "$MNT/moved" -type f | wc -l) == MOVED_FILES))
}

# make_many: a directory of MOVED_FILES small files, to move later.
make_many() {
	local i
	local -a many
	famfs mkdir "$MNT/many" >/dev/null || smoke_fail "famfs mkdir many failed"
	for ((i = 0; i < MOVED_FILES; i++)); do
		many+=("$MNT/many/f$i")
	done
	famfs creat -s 4K -S 13 "${many[@]}" >/dev/null || smoke_fail "famfs creat many/* failed"
}

# fill: create files until the device is full; none may take X's units.
fill() {
	local i=0 out
	while out=$(famfs creat -s "$FILL_BYTES" "$MNT/fill/f$i" 2>&1); do
		extents "$MNT/fill/f$i" >/tmp/fill.ext
		! overlap /tmp/x.ext /tmp/fill.ext ||
			smoke_fail "fill/f$i got units of the deleted file that host B still maps"
		i=$((i + 1))
	done
	[[ $out == *"await release"* ]] ||
		smoke_fail "a full device should say that space awaits release: $out"
	smoke_log "device full after $i files of $FILL_BYTES bytes: $out"
}

# reuse: once B has let go, a file of X's size gets X's units.
reuse() {
	local start=$SECONDS
	until famfs creat -s "$X_BYTES" -S "$NEW_SEED" "$MNT/new" >/tmp/new.out 2>&1; do
		((SECONDS - start < REUSE_LIMIT)) ||
			smoke_fail "X's space was not reusable ${REUSE_LIMIT}s after host B closed it: $(cat /tmp/new.out)"
		sleep 0.2
	done
	extents "$MNT/new" >/tmp/new.ext
	overlap /tmp/x.ext /tmp/new.ext || smoke_fail "the new file did not get X's units"
	smoke_log "X's units reused $((SECONDS - start))s after host B closed it"
}

# client_sees_new: the file that took x's units reads right here; fsck
# and df agree.
client_sees_new() {
	smoke_wait reuse-new >/dev/null || smoke_fail "host A did not reuse x's space"
	mh_wait_for "new on $GUEST_NAME" 30 test -e "$MNT/new"
	famfs verify -q -S "$NEW_SEED" "$MNT/new" || smoke_fail "new: wrong bytes on $GUEST_NAME"
	smoke_barrier reuse-verified 300 || smoke_fail "the hosts did not all check new"
	mh_fsck "$DEV"
	mh_wait_for "df and famfs fsck agree on the free space" 10 mh_space_agrees
}

# The master.
guest_0() {
	local hosts
	mh_setup
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	famfs mkdir "$MNT/fill" >/dev/null || smoke_fail "famfs mkdir fill failed"
	make_many
	famfs creat -s "$X_BYTES" -S "$X_SEED" "$MNT/x" >/dev/null || smoke_fail "famfs creat x failed"
	extents "$MNT/x" >/tmp/x.ext
	smoke_signal reuse-fs-ready
	smoke_wait reuse-holding >/dev/null || smoke_fail "host B does not hold x"
	smoke_wait reuse-following >/dev/null || smoke_fail "host C does not follow"

	famfs rm "$MNT/x" || smoke_fail "famfs rm x failed"
	fill
	hosts=$(famfs hosts "$MNT") || smoke_fail "famfs hosts failed"
	smoke_log "famfs hosts: $hosts"
	grep -q hostB <<<"$hosts" || smoke_fail "famfs hosts does not list host B"
	grep -A1 hostB <<<"$hosts" | grep -q "pins 64 MiB in 1 deleted file" ||
		smoke_fail "famfs hosts does not say that host B pins x"
	smoke_signal reuse-filled

	smoke_wait reuse-closed >/dev/null || smoke_fail "host B did not close x"
	reuse
	famfs verify -q -S "$NEW_SEED" "$MNT/new" || smoke_fail "new: wrong bytes on host A"
	smoke_signal reuse-new
	smoke_barrier reuse-verified 300 || smoke_fail "the hosts did not all check new"
	mh_fsck "$DEV"
	mh_wait_for "df and famfs fsck agree on the free space" 10 mh_space_agrees
	smoke_wait reuse-mv-holding >/dev/null || smoke_fail "host B does not hold many/f0"
	famfs mv "$MNT/many" "$MNT/moved" || smoke_fail "famfs mv many moved failed"
	moved || smoke_fail "the move is not applied on host A"
	smoke_signal reuse-moved
	smoke_barrier reuse-all-moved 300 || smoke_fail "the clients did not all apply the move"
	mh_fsck "$DEV"
	mh_umount
}

# The reader of X.
guest_1() {
	local x=$MNT/x reader
	mh_setup
	smoke_wait reuse-fs-ready >/dev/null || smoke_fail "host A did not make the file system"
	mh_mount >/dev/null
	famfs verify -q -S "$X_SEED" "$x" || smoke_fail "x is not what A wrote"
	mhtool hold "$x" /tmp/hold.ready /tmp/hold.stop >/tmp/hold.out 2>&1 &
	reader=$!
	mh_wait_for "the reader maps x" 30 test -e /tmp/hold.ready
	smoke_signal reuse-holding

	smoke_wait reuse-filled >/dev/null || smoke_fail "host A did not fill the device"
	mh_gone "$x" || smoke_fail "x is still here after famfs rm"
	kill -0 "$reader" 2>/dev/null || smoke_fail "the reader stopped: $(cat /tmp/hold.out)"
	: >/tmp/hold.stop
	wait "$reader" || smoke_fail "the reader of x saw other bytes: $(cat /tmp/hold.out)"
	smoke_log "reader of the deleted x: $(cat /tmp/hold.out)"
	smoke_signal reuse-closed

	client_sees_new
	rm -f /tmp/hold.ready /tmp/hold.stop
	mhtool hold "$MNT/many/f0" /tmp/hold.ready /tmp/hold.stop >/tmp/hold.out 2>&1 &
	reader=$!
	mh_wait_for "the reader maps many/f0" 30 test -e /tmp/hold.ready
	smoke_signal reuse-mv-holding
	smoke_wait reuse-moved >/dev/null || smoke_fail "host A did not move many"
	mh_wait_for "the move on host B" 60 moved
	: >/tmp/hold.stop
	wait "$reader" || smoke_fail "the reader of many/f0 saw other bytes across the move: $(cat /tmp/hold.out)"
	famfs verify -q -S 13 "$MNT/moved/f0" || smoke_fail "moved/f0: wrong bytes on host B"
	smoke_barrier reuse-all-moved 300 || smoke_fail "the hosts did not all apply the move"
	mh_umount
}

# A host that only follows.
guest_2() {
	mh_setup
	smoke_wait reuse-fs-ready >/dev/null || smoke_fail "host A did not make the file system"
	mh_mount >/dev/null
	mh_wait_for "x on host C" 30 test -e "$MNT/x"
	smoke_signal reuse-following
	smoke_wait reuse-filled >/dev/null || smoke_fail "host A did not fill the device"
	mh_wait_for "x vanishes on host C" 30 mh_gone "$MNT/x"
	# x awaits release: df counts it as used here too, as fsck does.
	mh_wait_for "df and famfs fsck agree while x is pinned" 10 mh_space_agrees
	client_sees_new
	smoke_wait reuse-moved >/dev/null || smoke_fail "host A did not move many"
	mh_wait_for "the move on host C" 60 moved
	smoke_barrier reuse-all-moved 300 || smoke_fail "the hosts did not all apply the move"
	mh_fsck "$DEV"
	mh_umount
}
