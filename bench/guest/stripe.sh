# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 source-path=SCRIPTDIR
# bench stripe: one guest with two shared nvdimms. The data path of a file
# striped over both devices (2 strips, 2 MiB chunks) against a plain file
# on one device, side by side in one famfs-bench-data run: sequential mmap
# reads and writes, read(2) and write(2), random 4 KiB reads. Run by
# bench/run; see docs/performance.md.
GUESTS=1
NVDIMMS=2
MODES="devdax pmem"
MODULES=famfs
TIMEOUT=3000
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
# shellcheck source=lib.sh
source "${BASH_SOURCE[0]%/*}/lib.sh"
mh_host_build

# bench_members FILE: the members the file's extents or strips lie on,
# sorted, one line.
bench_members() {
	famfs getmap "$1" | awk '$2 == "device" { print $3 }' | sort -u | tr '\n' ' '
}

guest_main() {
	local name test rate out
	mh_setup
	bench_result kernel "$(uname -r)"
	mkfs.famfs -f "$DEV" "$DEV2" >/dev/null || smoke_fail "mkfs.famfs $DEV $DEV2"
	famfs mount "$DEV" "$MNT" >/dev/null || smoke_fail "famfs mount"
	famfs creat -s "${BENCH_DATA_MIB}M" "$MNT/single" >/dev/null || smoke_fail "famfs creat single"
	famfs creat --stripe 2 --chunk 2M -s "${BENCH_DATA_MIB}M" "$MNT/striped" >/dev/null ||
		smoke_fail "famfs creat --stripe 2"
	[[ $(bench_members "$MNT/single") == ?" " ]] || smoke_fail "single is not on one member"
	[[ $(bench_members "$MNT/striped") == "0 1 " ]] || smoke_fail "striped is not on both members"
	out=$(famfs-bench-data -p "$BENCH_PASSES" -r "$BENCH_RANDOPS" data \
		"${BENCH_DATA_MIB}M" single="$MNT/single" striped="$MNT/striped") ||
		smoke_fail "famfs-bench-data: $out"
	while read -r name test rate; do
		bench_result "stripe_${name}_$test" "$rate"
	done <<<"$out"
	mh_umount
}
