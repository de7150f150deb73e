# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_members: a file system over two devices (format 1.4, made by
# famfs_devtool): MEMBER_ADD refuses every label or caller that is not
# right, then adds member 1; maps on member 1 in and out of its data area;
# files striped over both members and over two regions of one, written,
# read back and found chunk by chunk where famfs_stripe_locate() says,
# through windows and, after unmount, on the raw devices; PMD faults of a
# file striped in 2 MiB chunks.
GUESTS=1
NVDIMMS=2
MODES="pmem devdax"
MODULES=famfs
# The host builds the test programs when it reads these declarations.
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
TIMEOUT=400

# add INDEX WANT [PATH [HOW]]: MEMBER_ADD must end with errno WANT.
add() {
	famfs_membertest add "$MNT" "${3:-$DEV2}" "$1" "$2" ${4:+"$4"} ||
		smoke_fail "MEMBER_ADD"
}

# label_refused KIND WANT LOG: a label of KIND on $DEV2 is refused with
# WANT, and the kernel log says why.
label_refused() {
	famfs_devtool label "$DEV2" "$1" >/dev/null || smoke_fail "label $1"
	add 1 "$2"
	smoke_klog_has "member 1 (.*) refused: $3" ||
		smoke_fail "no kernel log line for a label $1"
}

members_add() {
	label_refused other-fs EXDEV "label of another file system"
	label_refused index2 EILSEQ "label names member 2"
	label_refused none EMEDIUMTYPE "no famfs member label"
	label_refused big ENOSPC "label size .* beyond the device"
	famfs_devtool label "$DEV2" good >/dev/null || smoke_fail "label good"
	add 1 ENOKEY "$DEV2" other-uuid
	add 1 EPERM "$DEV2" nobody
	: >/tmp/regular
	add 1 ENOTBLK /tmp/regular
	add 0 EINVAL
	add 32 EINVAL
	add 1 EBUSY "$DEV"
	famfs_membertest get "$MNT" 1 ENOENT || smoke_fail "MEMBER_GET"
	add 1 0
	add 1 EEXIST
	add 2 EBUSY
	famfs_membertest get "$MNT" 0 0 || smoke_fail "MEMBER_GET 0"
	famfs_membertest get "$MNT" 1 0 || smoke_fail "MEMBER_GET 1"
	famfs_membertest get "$MNT" 2 ENOENT || smoke_fail "MEMBER_GET 2"
}

# striped NAME SEED CHUNK SIZE STRIPS...: a striped file, written and read
# back, each chunk where it belongs.
striped() {
	local name=$1 seed=$2
	famfs_membertest stripe "$MNT/$name" "${@:3}" || smoke_fail "stripe $name"
	famfs_maptest rw "$MNT/$name" "$seed" || smoke_fail "file I/O on $name"
	famfs_membertest where "$MNT/$name" "$seed" || smoke_fail "chunks of $name"
}

# raw_chunk DEV OFF LEN SEED FILE_OFF: the device holds those file bytes there.
raw_chunk() {
	famfs_devtool verify "$@" || smoke_fail "$1 at $2: not the striped file's bytes from $5"
}

guest_main() {
	local d0 seed1=$RANDOM seed2=$RANDOM out
	kmod_setup || return 0
	famfs_devtool mkfs2 "$DEV" "$DEV2" >&2 || smoke_fail "mkfs2"
	kmod_mount
	members_add
	famfs_membertest maps "$MNT" || smoke_fail "maps on members"
	d0=$(famfs-layout data "$MNT" 0)
	striped two "$seed1" 2M 128M "0:$((d0 + (128 << 20))):64M" 1:128M:64M
	striped one "$seed2" 4M 60M 1:256M:32M 1:384M:32M
	famfs_membertest stripe "$MNT/pmd" 2M 128M "0:$((d0 + (256 << 20))):64M" \
		1:512M:64M >&2 || smoke_fail "stripe pmd"
	out=$(famfs_maptest pmd "$MNT/pmd") || smoke_fail "too many faults: $out"
	smoke_log "$out"
	umount "$MNT" || smoke_fail "umount"
	# Chunk 1 of "two" leads member 1's strip, chunk 2 is member 0's second;
	# chunk 1 of "one" leads its second strip, chunk 2 is its first's second.
	raw_chunk "$DEV2" 128M 2M "$seed1" 2M
	raw_chunk "$DEV" $((d0 + (130 << 20))) 2M "$seed1" 4M
	raw_chunk "$DEV2" 384M 4M "$seed2" 4M
	raw_chunk "$DEV2" 260M 4M "$seed2" 8M
	# Unmount gave up both devices: they mount and add again.
	kmod_mount
	add 1 0
	umount "$MNT" || smoke_fail "umount"
}
