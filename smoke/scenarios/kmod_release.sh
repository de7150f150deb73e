# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_release: what famfs.ko tells the follower, and how it fences a
# mount. FAMFS_IOC_EXTENTS_HELD reports a file's extents held while it is
# linked, and after famfs rm while a process keeps it open or mapped, and
# no more once that process is gone; never-used ranges are not held;
# malformed input and too many extents get EINVAL, an ordinary user EPERM
# (as from FAMFS_IOC_SHUTDOWN). Root cannot unlink or move the metadata
# files, nor move .meta; famfs mount maps .meta/.log over both log areas.
# FAMFS_IOC_SHUTDOWN fences the mount: open files fail with EIO, a process
# reading a mapping gets SIGBUS, new opens and namespace changes fail with
# EIO; the mount still unmounts, and a new mount works. No WARN in the
# kernel log. Documented in docs/ioctl.md.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
# The ioctls' logic is the module's own; kmod_hostile and kmod_trust cover
# each kernel's paths.
SPREAD=one
# The host builds the test programs when it reads these declarations.
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
TIMEOUT=900

# wait_ready FILE: a background helper created FILE.
wait_ready() {
	local i
	for ((i = 0; i < 300; i++)); do
		[[ ! -e $1 ]] || return 0
		sleep 0.1
	done
	smoke_fail "$1 never appeared"
}

# held WANT WHAT EXTENTS...: EXTENTS_HELD answers WANT (the index of the
# first extent held, or "none") for these extents, as WHAT says.
held() {
	local want=$1 what=$2
	shift 2
	famfs_releasetest held "$MNT" "$want" "$@" || smoke_fail "not so: $what"
	smoke_log "$what"
}

# check_release: files held open or mapped through famfs rm, then let go.
check_release() {
	local -a ea eb ec
	local pa pb
	famfs creat -s 4M "$MNT/a" "$MNT/b" "$MNT/c" >/dev/null || smoke_fail "famfs creat a b c"
	read -ra ea < <(famfs_releasetest extents "$MNT/a")
	read -ra eb < <(famfs_releasetest extents "$MNT/b")
	read -ra ec < <(famfs_releasetest extents "$MNT/c")
	held 0 "a linked file: held" "${ea[@]}"
	rm -f /tmp/a.ready /tmp/b.ready
	famfs_releasetest keep "$MNT/a" open /tmp/a.ready &
	pa=$!
	famfs_releasetest keep "$MNT/b" mmap /tmp/b.ready &
	pb=$!
	wait_ready /tmp/a.ready
	wait_ready /tmp/b.ready
	famfs rm "$MNT/a" "$MNT/b" "$MNT/c" || smoke_fail "famfs rm a b c"
	[[ ! -e $MNT/a && ! -e $MNT/b && ! -e $MNT/c ]] || smoke_fail "famfs rm left a name"
	held 0 "a deleted file still open: held" "${ea[@]}"
	held 0 "a deleted file still mapped: held" "${eb[@]}"
	held none "a deleted file nobody holds: released" "${ec[@]}"
	kill "$pa"
	wait "$pa" || true
	held none "the open file, its holder gone: released" "${ea[@]}"
	held 0 "the mapped file, its holder alive: held" "${eb[@]}"
	kill "$pb"
	wait "$pb" || true
	held none "the mapped file, its holder gone: released" "${eb[@]}"
	held none "all three deleted files: released" "${ea[@]}" "${eb[@]}" "${ec[@]}"
	smoke_log "deleted files are held until their last holder goes"
}

# check_shutdown: fence the mount under a reader of a mapping.
check_shutdown() {
	local reader dev=${DEV##*/}
	famfs creat -s 4M "$MNT/g" >/dev/null || smoke_fail "famfs creat g"
	rm -f /tmp/g.ready
	famfs_maptest hold "$MNT/g" /tmp/g.ready 120 >/tmp/hold.out 2>&1 &
	reader=$!
	wait_ready /tmp/g.ready
	famfs_releasetest shutdown "$MNT" "$MNT/g" || smoke_fail "famfs_releasetest shutdown"
	wait "$reader" || smoke_fail "the reader of a mapping: $(cat /tmp/hold.out)"
	smoke_log "reader: $(cat /tmp/hold.out)"
	smoke_klog_has "famfs: $dev: shut down: all I/O now fails until unmount" ||
		smoke_fail "no shutdown message in the kernel log"
	(($(dmesg | grep -c "famfs: $dev: shut down") == 1)) ||
		smoke_fail "not exactly one shutdown message for three calls"
	umount "$MNT" || smoke_fail "umount after the shutdown"
	famfs mount --no-follow "$DEV" "$MNT" >/dev/null || smoke_fail "famfs mount after the shutdown"
	dd if="$MNT/g" of=/dev/null bs=1M status=none || smoke_fail "read after a new mount"
	umount "$MNT" || smoke_fail "umount"
	smoke_log "shutdown: I/O fails, unmount and a new mount work"
}

# check_log_map: famfs mount maps .meta/.log over both log areas of
# mkfs.famfs (8 MiB each from 2 MiB), the extent PROBE reports (ABI 4).
check_log_map() {
	local out
	out=$(famfs getmap "$MNT/.meta/.log") || smoke_fail "famfs getmap .meta/.log"
	grep -q "^type: *log$" <<<"$out" && grep -q "^extents: *1$" <<<"$out" &&
		grep -q "device 0 offset 0x200000 length 0x1000000 " <<<"$out" ||
		smoke_fail ".meta/.log does not map both log areas: $(tr '\n' ' ' <<<"$out")"
	out=$(famfs-layout data "$MNT" 0) || smoke_fail "famfs-layout data"
	((out == 18 << 20)) || smoke_fail "PROBE puts the first data unit at $out, not 18 MiB"
	smoke_log ".meta/.log maps both log areas; data starts at 18 MiB"
}

guest_main() {
	kmod_setup || return 0
	[[ -x $FAMFS_BUILD/famfs ]] || smoke_fail "no $FAMFS_BUILD/famfs"
	PATH=$FAMFS_BUILD:$PATH
	mkfs.famfs -f "$DEV" >/dev/null || smoke_fail "mkfs.famfs"
	mkdir -p "$MNT"
	famfs mount --no-follow "$DEV" "$MNT" >/dev/null || smoke_fail "famfs mount"
	check_log_map
	famfs creat -s 4M "$MNT/f" >/dev/null || smoke_fail "famfs creat f"
	# The master's window onto the data area, which must not count as held.
	[[ -f $MNT/.meta/.data ]] || smoke_fail "no .meta/.data after famfs creat"
	famfs_releasetest input "$MNT" "$MNT/f" || smoke_fail "famfs_releasetest input"
	check_release
	famfs_releasetest meta "$MNT" || smoke_fail "famfs_releasetest meta"
	check_shutdown
}
