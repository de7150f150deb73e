# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared steps of the multi-host scenarios smoke/scenarios/mh_*.sh. Sourced
# on the host when the harness reads a scenario's declarations (to build
# mhtool), and in the guests, after the smoke guest API, with $DEV,
# $FAMFS_SRC, $FAMFS_BUILD and $SMOKE_SHARED set.

MNT=/mnt/famfs
# shellcheck source=../host-bin.sh
source "${BASH_SOURCE[0]%/*}/../host-bin.sh"
MH_HOST_BIN=$(vm_host_bin tests-vm-mh)

# mh_host_build: build mhtool on the host (compiling in a TCG guest is slow).
mh_host_build() {
	[[ -z ${GUEST_NAME:-} ]] || return 0
	make -s -C "${BASH_SOURCE[0]%/*}" O="$MH_HOST_BIN" >&2
}

# mh_setup: famfs, mkfs.famfs (the host's build) and mhtool on PATH, and
# the mount point.
# mh_fs_helpers: mount(8) and umount(8) find this build's mount.famfs and
# umount.famfs in /sbin, as a package installs them (umount.famfs stops the
# follower that famfs mount leaves running). /usr/sbin is the host's,
# read-only here (and overlayfs may not be loaded): keep its view at
# /tmp/sbin.orig, put a tmpfs over it holding links to every program
# there, plus the helpers. Scenarios of the module alone (kmod_*) go
# without, so that mount -t famfs is the kernel's mount only.
mh_fs_helpers() {
	local f
	mountpoint -q /tmp/sbin.orig && return 0
	mkdir -p /tmp/sbin.orig
	mount --bind /usr/sbin /tmp/sbin.orig || smoke_fail "cannot bind /usr/sbin"
	mount -t tmpfs tmpfs /usr/sbin || smoke_fail "cannot mount a tmpfs on /usr/sbin"
	for f in /tmp/sbin.orig/*; do
		ln -s "$f" "/usr/sbin/${f##*/}"
	done
	for f in mount.famfs umount.famfs; do
		cp "$FAMFS_BUILD/$f" /usr/sbin/ || smoke_fail "cannot copy $f"
	done
}

mh_setup() {
	local bin=$MH_HOST_BIN
	[[ -x $FAMFS_BUILD/famfs ]] ||
		smoke_fail "no $FAMFS_BUILD/famfs: build the tools first (cmake -S . -B build && cmake --build build)"
	if [[ ! -x $bin/mhtool ]]; then
		bin=/tmp/mh-bin
		make -s -C "$FAMFS_SRC/tests/vm/mh" O="$bin" >&2 || smoke_fail "cannot build tests/vm/mh"
	fi
	PATH=$FAMFS_BUILD:$bin:$PATH
	mh_fs_helpers
	# Marks for follow latency live in the shared 9p directory, so the host
	# stamps them with one clock whichever guest makes them.
	MH_MARKS=$SMOKE_SHARED/marks
	mkdir -p "$MNT" "$MH_MARKS"
}

# mh_mkfs: a new file system on $DEV, whose master is this host.
mh_mkfs() {
	mkfs.famfs -f "$DEV" || smoke_fail "mkfs.famfs -f $DEV failed"
}

# mh_mount: mount $DEV on $MNT (which plays the log).
mh_mount() {
	famfs mount "$DEV" "$MNT" || smoke_fail "famfs mount $DEV $MNT failed"
}

# mh_mount_opts: the per-mount options of $MNT (sixth field of mountinfo).
mh_mount_opts() {
	awk -v m="$MNT" '$5 == m { print $6 }' /proc/self/mountinfo
}

mh_umount() {
	umount "$MNT" || smoke_fail "umount $MNT failed"
}

# mh_follow_start LOGFILE: play the log as it grows, in the background.
mh_follow_start() {
	famfs logplay --follow "$MNT" >"$1" 2>&1 &
	MH_FOLLOW_PID=$!
}

# mh_follow_stop: stop the follower; it must not have died on its own.
mh_follow_stop() {
	kill -0 "$MH_FOLLOW_PID" 2>/dev/null || smoke_fail "famfs logplay --follow exited early"
	kill -INT "$MH_FOLLOW_PID"
	wait "$MH_FOLLOW_PID" || smoke_fail "famfs logplay --follow ended with status $?"
}

# mh_mark KIND NAME: a mark the host stamps with its clock.
mh_mark() {
	mkdir -p "$MH_MARKS/$1"
	: >"$MH_MARKS/$1/$2"
}

# mh_watch LIST KIND SECONDS: mark KIND/INDEX as each file of LIST
# ("INDEX PATH SIZE" lines) becomes visible in $MNT with its size.
mh_watch() {
	local pid
	mkdir -p "$MH_MARKS/$2"
	mhtool watch "$MNT" "$1" "$MH_MARKS/$2" "$3" &
	pid=$!
	# Stop waiting as soon as another guest has failed.
	while kill -0 "$pid" 2>/dev/null; do
		smoke_check_abort
		sleep 0.5
	done
	wait "$pid"
}

# mh_latency KIND: "files N median X ms worst Y ms best Z ms", from the
# master's "ret" marks to the KIND marks.
mh_latency() {
	mhtool latency "$MH_MARKS/ret" "$MH_MARKS/$1"
}

# mh_latency_one FROM TO INDEX: milliseconds from mark FROM/INDEX to mark
# TO/INDEX, once both exist.
mh_latency_one() {
	local from=$MH_MARKS/$1/$3 limit=$((SECONDS + 30))
	until [[ -e $from ]]; do
		((SECONDS < limit)) || smoke_fail "no mark $from"
		sleep 0.05
	done
	stat -c %.9Y "$from" "$MH_MARKS/$2/$3" |
		awk 'NR == 1 { t = $1 } NR == 2 { printf "%.0f\n", ($1 - t) * 1000 }'
}

# mh_sums ROOT OUT: "sha256  ./path" of every file under ROOT, sorted, the
# metadata files left out.
mh_sums() {
	(cd "$1" && find . -path ./.meta -prune -o -type f -print0 |
		LC_ALL=C sort -z | xargs -0r sha256sum) >"$2" ||
		smoke_fail "cannot checksum the files under $1"
}

# mh_meta_sum NAME [BYTES]: sha256 of $MNT/.meta/.NAME (log, superblock),
# of its first BYTES or read up to its size and not beyond: famfs.ko
# answers a read at the end of a file that fills its extents with EIO
# rather than 0.
mh_meta_sum() {
	local f=$MNT/.meta/.$1 size
	size=${2:-$(stat -c %s "$f")} || return 1
	head -c "$size" "$f" | sha256sum | cut -d' ' -f1
}

# mh_field NAME TEXT: the value of the first "NAME: value" line in TEXT.
mh_field() {
	sed -n "s/^$1: *//p" <<<"$2" | head -n1
}

# mh_space_agrees: statfs of $MNT (df) counts the free space famfs fsck of
# $DEV counts.
mh_space_agrees() {
	local yaml fsck_free blocks bsize
	yaml=$(famfs fsck --yaml "$DEV") || return 1
	fsck_free=$(awk '/^space:/ { on = 1; next } /^[^ ]/ { on = 0 }
		on && $1 == "free:" { print $2 }' <<<"$yaml")
	read -r blocks bsize < <(stat -f -c '%f %S' "$MNT")
	[[ $fsck_free == "$((blocks * bsize))" ]]
}

# mh_wait_for WHAT SECONDS TEST...: poll TEST until it holds; fail after
# SECONDS, or as soon as another guest has failed.
mh_wait_for() {
	local what=$1 limit=$((SECONDS + $2))
	shift 2
	until "$@"; do
		((SECONDS < limit)) || smoke_fail "$what: not within the time"
		smoke_check_abort
		sleep 0.1
	done
}

# mh_gone PATH: PATH does not exist.
mh_gone() { [[ ! -e $1 ]]; }

# mh_log_settled: wait until the log has not grown for a few seconds (the
# master is gone).
mh_log_settled() {
	local prev='' cur
	cur=$(mh_meta_sum log) || smoke_fail "cannot read the log"
	until [[ $cur == "$prev" ]]; do
		prev=$cur
		sleep 3
		cur=$(mh_meta_sum log) || smoke_fail "cannot read the log"
	done
}

# mh_fsck TARGET: famfs fsck must find TARGET clean.
mh_fsck() {
	local out
	out=$(famfs fsck "$1" 2>&1) || {
		printf '%s\n' "$out" >&2
		smoke_fail "famfs fsck $1 found errors"
	}
	smoke_log "famfs fsck $1: $(grep '^result:' <<<"$out")"
}
