# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 source-path=SCRIPTDIR
# bench single: one guest. Page faults of a large mapping, the data path of
# a famfs file against a raw mapping of the same device bytes (and ext4 -o
# dax on pmem), and, on devdax, the master's metadata operations against
# tmpfs. Run by bench/run; see docs/performance.md.
GUESTS=1
MODES="devdax pmem"
MODULES=famfs
TIMEOUT=3000
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
# shellcheck source=lib.sh
source "${BASH_SOURCE[0]%/*}/lib.sh"
mh_host_build

# bench_units: the data capacity of the file system just made, in MiB.
bench_units() {
	mh_mkfs | sed -n 's/^capacity: *\([0-9]*\) MiB.*/\1/p'
}

# Touch every page of the largest file the device holds.
bench_faults() {
	local cap mib bytes minflt out
	cap=$(bench_units)
	mib=${BENCH_FAULT_MIB:-$cap}
	mh_mount >/dev/null
	famfs creat -s "${mib}M" "$MNT/faults" >/dev/null || smoke_fail "famfs creat ${mib}M"
	# No process substitution: the guest's /dev has no /dev/fd.
	out=$(famfs-bench-data faults "$MNT/faults" "${mib}M") ||
		smoke_fail "famfs-bench-data faults: $out"
	read -r _ bytes minflt <<<"$out"
	bench_result fault_bytes "$bytes"
	bench_result fault_minflt "$minflt"
	mh_umount
}

# bench_data NAME=PATH[@OFFSET]...: the data-path figures of each target
# as NAME_TEST, measured in turns.
bench_data() {
	local name test rate out
	out=$(famfs-bench-data -p "$BENCH_PASSES" -r "$BENCH_RANDOPS" data \
		"${BENCH_DATA_MIB}M" "$@") || smoke_fail "famfs-bench-data $*: $out"
	while read -r name test rate; do
		bench_result "${name}_$test" "$rate"
	done <<<"$out"
}

# The file's extents: one, since the file system is new (first fit).
bench_offset() {
	# "  0    device 0 offset 0xa00000 length 0x10000000 (256 MiB)"
	famfs getmap "$1" | awk '$2 == "device" && $4 == "offset" { print $5; n++ }
		END { exit n != 1 }' || smoke_fail "$1 is not one extent"
}

bench_datapath() {
	local off
	bench_fresh >/dev/null
	famfs creat -s "${BENCH_DATA_MIB}M" "$MNT/data" >/dev/null || smoke_fail "famfs creat data"
	off=$(bench_offset "$MNT/data")
	# On devdax the raw target is a mapping of the same device bytes. A
	# block device has no DAX mmap: on pmem it is only read and written with
	# O_DIRECT. A tmpfs file (guest RAM) shows what read(2) and write(2)
	# cost in this guest without famfs.
	head -c "${BENCH_DATA_MIB}M" /dev/zero >/tmp/bench-data
	bench_data famfs="$MNT/data" raw="$DEV@$off" tmpfs=/tmp/bench-data
	rm -f /tmp/bench-data
	mh_umount
	[[ $DEV_MODE == pmem ]] || return 0
	mkdir -p /mnt/ext4
	mkfs.ext4 -q -F "$DEV" || smoke_fail "mkfs.ext4 $DEV"
	modprobe ext4 || smoke_fail "modprobe ext4"
	mount -o dax "$DEV" /mnt/ext4 || smoke_fail "mount -o dax $DEV"
	dd if=/dev/zero of=/mnt/ext4/data bs=1M count="$BENCH_DATA_MIB" conv=fsync status=none
	bench_data ext4=/mnt/ext4/data
	umount /mnt/ext4
}

# bench_small DIR COUNT: COUNT files of 4 KiB, 100 to a directory.
bench_small() {
	local dir=$1 i
	mkdir -p "$dir"
	seq -f "$dir/d%03g" 0 $((($2 - 1) / 100)) | xargs mkdir
	# shellcheck disable=SC2016 # expanded by sh
	for ((i = 0; i < $2; i++)); do
		printf '%s/d%03d/f%05d\n' "$dir" $((i / 100)) "$i"
	done | xargs -n 100 sh -c 'for f; do head -c 4096 /dev/zero >"$f"; done' small
}

bench_meta() {
	local i t empty tree play
	bench_result mkfs_runs "$BENCH_MKFS"
	for ((i = 0; i < BENCH_MKFS; i++)); do
		bench_time mkfs.famfs -f "$DEV"
	done | sort -n | head -n1 | { read -r t && bench_result mkfs_s "$t"; }

	empty=$(bench_fresh)
	bench_result mount_empty_s "$empty"
	famfs mkdir "$MNT/c" >/dev/null
	# shellcheck disable=SC2016 # expanded by the inner bash
	t=$(bench_time bash -c 'for ((i = 0; i < $1; i++)); do famfs creat -s 0 "$2/c/f$i"; done' \
		creat "$BENCH_CREAT" "$MNT")
	bench_result creat_files "$BENCH_CREAT"
	bench_result creat_s "$t"
	# What starting a process costs in this guest, for scale.
	# shellcheck disable=SC2016 # expanded by the inner bash
	t=$(bench_time bash -c 'for ((i = 0; i < $1; i++)); do /bin/true; done' true "$BENCH_CREAT")
	bench_result true_s "$t"
	mh_umount

	mkdir /tmp/tree /tmp/tree-made
	famfs-bench-data mktree /tmp/tree "$BENCH_TREE" || smoke_fail "mktree /tmp/tree"
	bench_result tree_files "$BENCH_TREE"
	bench_fresh >/dev/null
	bench_result cp_tmpfs_s "$(bench_time cp -r /tmp/tree /tmp/tree-copy)"
	bench_result cp_famfs_s "$(bench_time famfs cp -r /tmp/tree "$MNT/")"
	mh_umount
	tree=$(bench_time famfs mount "$DEV" "$MNT")
	play=$(awk -v a="$tree" -v b="$empty" 'BEGIN { printf "%.6f\n", a - b }')
	bench_result mount_tree_s "$tree"
	bench_result logplay_s "$play"
	bench_result mktree_tmpfs_s "$(bench_time famfs-bench-data mktree /tmp/tree-made "$BENCH_TREE")"
	bench_result fsck_dev_s "$(bench_time famfs fsck "$DEV")"

	bench_small /tmp/small "$BENCH_SMALL"
	bench_result small_files "$BENCH_SMALL"
	bench_result small_cp_tmpfs_s "$(bench_time cp -r /tmp/small /tmp/small-copy)"
	bench_result small_cp_famfs_s "$(bench_time famfs cp -r /tmp/small "$MNT/")"
	mh_umount
	rm -rf /tmp/tree /tmp/tree-copy /tmp/tree-made /tmp/small /tmp/small-copy
}

guest_main() {
	mh_setup
	bench_result kernel "$(uname -r)"
	bench_result device "$DEV"
	bench_result data_mib "$BENCH_DATA_MIB"
	bench_result rand_ops "$BENCH_RANDOPS"
	bench_result passes "$BENCH_PASSES"
	bench_faults
	bench_datapath
	[[ $DEV_MODE != devdax ]] || bench_meta
}
