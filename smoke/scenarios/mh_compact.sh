# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_compact: a log that never runs out. The master creates and deletes
# 300,000 files (smoke/run --full; 40,000 in a plain run, which still
# compacts twice) through the default 8 MiB log, in rounds of famfs
# creat and famfs rm -r, while host B follows; the log compacts by itself
# each time an append does not fit. Names are long (about 200 bytes), so
# that a compaction comes every 16,000 files. B holds three files open and
# mapped the whole time, checking their bytes. At the end B's tree (paths,
# types, modes, owners, sizes, checksums) equals A's, the log went through
# several generations, fsck is clean on both hosts, statfs agrees with
# fsck on both, and the space used is the sum of the live files' units.
GUESTS=2
NAMES="hostA hostB"
START=parallel
MODES=devdax
# Not famfs-dev: its debug options make each of the 120,000 creates and
# deletes several times slower; mh_compact_crash compacts on it.
KERNELS="debian-6.1 debian-6.12"
MODULES=famfs
TIMEOUT=3000
SPREAD=one
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

CHURN_FILES=40000
[[ ${SMOKE_FULL:-0} == 0 ]] || CHURN_FILES=300000
ROUND=3000		# files per round: ROUND - FULL empty, FULL of 2 MiB
# 200 bytes: with the directory, each FILE and DELETE entry about 260 bytes.
NAME_PAD=a-file-name-long-enough-that-each-entry-of-the-churn-takes-a-fair-share-of-the-log-area-a-file-name-long-enough-that-each-entry-of-the-churn-takes-a-fair-share-of-the-log-area-a-file-name-long-enough-
FULL=10
LONG="keep/long0 keep/long1 keep/long2"
LONG_SEED=41
MIN_GENERATIONS=2
MiB=$((1 << 20))

# round N: make ROUND files in churn/rN (one famfs creat each), then
# remove the directory.
round() {
	local dir=$MNT/churn/r$1 i
	local -a empty full
	for ((i = 0; i < ROUND - FULL; i++)); do
		empty+=("$dir/e$i-$NAME_PAD")
	done
	for ((i = 0; i < FULL; i++)); do
		full+=("$dir/f$i-$NAME_PAD")
	done
	local t0=$EPOCHREALTIME t1
	famfs mkdir -p "$dir" >/dev/null || smoke_fail "round $1: famfs mkdir failed"
	famfs creat -s 0 "${empty[@]}" >/dev/null 2>/tmp/creat.err ||
		smoke_fail "round $1: famfs creat failed: $(tail -n 3 /tmp/creat.err)"
	famfs creat -s 2M -S "$1" "${full[@]}" >/dev/null 2>/tmp/creat.err ||
		smoke_fail "round $1: famfs creat of the full files failed: $(tail -n 3 /tmp/creat.err)"
	t1=$EPOCHREALTIME
	famfs rm -r "$dir" >/dev/null 2>/tmp/rm.err ||
		smoke_fail "round $1: famfs rm -r failed: $(tail -n 3 /tmp/rm.err)"
	smoke_log "round $1: creat $(elapsed "$t0" "$t1") s, rm -r $(elapsed "$t1" "$EPOCHREALTIME") s, log generation $(mhtool generation "$MNT/.meta/.superblock")"
}

# elapsed FROM TO: seconds between two $EPOCHREALTIME readings.
elapsed() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'
}

# listing ROOT OUT: every path under ROOT (not the metadata) with its type,
# mode, owner, group and size, sorted; then the files' checksums. A
# client's files have no write bits, so the files' are left out.
listing() {
	local path type mode rest
	(cd "$1" && find . -path ./.meta -prune -o -printf '%p %y %m %U %G %s\n' |
		LC_ALL=C sort) >"$2.raw" || smoke_fail "cannot list $1"
	while read -r path type mode rest; do
		[[ $type != f ]] || mode=$(printf '%o' $((8#$mode & ~8#222)))
		printf '%s %s %s %s\n' "$path" "$type" "$mode" "$rest"
	done <"$2.raw" >"$2"
	mh_sums "$1" "$2.sums"
}

# space_is_files: fsck's used space is the live files' units, each file
# rounded up to 2 MiB (empty files take none).
space_is_files() {
	local yaml used sum
	yaml=$(famfs fsck --yaml "$DEV") || smoke_fail "famfs fsck --yaml failed"
	used=$(awk '/^space:/ { on = 1; next } /^[^ ]/ { on = 0 }
		on && $1 == "used:" { print $2 }' <<<"$yaml")
	sum=$(find "$MNT" -path "$MNT/.meta" -prune -o -type f -printf '%s\n' |
		awk -v u=$((2 * MiB)) '{ t += int(($1 + u - 1) / u) * u } END { print t + 0 }')
	[[ $used == "$sum" ]] || smoke_fail "fsck counts $used bytes used, the live files hold $sum"
	smoke_log "space used $used bytes: the live files' units"
}

guest_0() {
	local rounds=$((CHURN_FILES / ROUND)) r gen start f
	mh_setup
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	famfs mkdir -p "$MNT/keep" "$MNT/final/sub" >/dev/null || smoke_fail "famfs mkdir failed"
	for f in $LONG; do
		famfs creat -s 8M -S "$LONG_SEED" "$MNT/$f" >/dev/null ||
			smoke_fail "famfs creat $f failed"
	done
	smoke_signal compact-ready
	smoke_wait compact-holding >/dev/null || smoke_fail "host B does not hold the long files"
	start=$SECONDS
	for ((r = 0; r < rounds; r++)); do
		round "$r"
		smoke_check_abort
	done
	gen=$(mhtool generation "$MNT/.meta/.superblock") || smoke_fail "cannot read the log generation"
	smoke_log "$((rounds * ROUND)) files created and deleted in $((SECONDS - start)) s; log generation $gen"
	((gen >= MIN_GENERATIONS)) ||
		smoke_fail "the log compacted $gen times, fewer than $MIN_GENERATIONS"
	# What is left: the long files, and a last tree with renames.
	famfs creat -s 3M -S 7 "$MNT/final/sub/a" "$MNT/final/b" >/dev/null ||
		smoke_fail "famfs creat final failed"
	famfs mv "$MNT/final/sub" "$MNT/final/moved" >/dev/null || smoke_fail "famfs mv failed"
	famfs compact "$MNT" >/tmp/compact.out 2>&1 ||
		smoke_fail "famfs compact failed: $(cat /tmp/compact.out)"
	smoke_log "$(cat /tmp/compact.out)"
	listing "$MNT" "$SMOKE_SHARED/list.A"
	mh_fsck "$DEV"
	space_is_files
	mh_space_agrees || smoke_fail "df and famfs fsck disagree on host A"
	smoke_signal compact-done
	smoke_wait compact-checked >/dev/null || smoke_fail "host B did not check its tree"
	mh_umount
}

guest_1() {
	local f i=0 pids=()
	mh_setup
	smoke_wait compact-ready >/dev/null || smoke_fail "host A did not start"
	mh_mount >/dev/null
	for f in $LONG; do
		mhtool hold "$MNT/$f" "/tmp/hold$i.ready" /tmp/hold.stop >"/tmp/hold$i.out" 2>&1 &
		pids+=($!)
		until [[ -e /tmp/hold$i.ready ]]; do
			kill -0 "${pids[i]}" 2>/dev/null || smoke_fail "the reader of $f failed: $(cat "/tmp/hold$i.out")"
			sleep 0.1
		done
		i=$((i + 1))
	done
	smoke_signal compact-holding
	smoke_wait compact-done >/dev/null || smoke_fail "host A did not finish the churn"
	listing_matches() {
		listing "$MNT" /tmp/list.B
		cmp -s /tmp/list.B "$SMOKE_SHARED/list.A" &&
			cmp -s /tmp/list.B.sums "$SMOKE_SHARED/list.A.sums"
	}
	mh_wait_for "host B's tree equal to host A's" 300 listing_matches
	: >/tmp/hold.stop
	for i in "${!pids[@]}"; do
		wait "${pids[i]}" || smoke_fail "reader $i saw other bytes: $(cat "/tmp/hold$i.out")"
		smoke_log "reader $i: $(cat "/tmp/hold$i.out")"
	done
	for f in $LONG; do
		famfs verify -q -S "$LONG_SEED" "$MNT/$f" || smoke_fail "$f: wrong bytes on host B"
	done
	mh_fsck "$DEV"
	mh_space_agrees || smoke_fail "df and famfs fsck disagree on host B"
	smoke_log "host B's tree equals host A's: $(wc -l <"$SMOKE_SHARED/list.A") paths"
	smoke_signal compact-checked
	mh_umount
}
