# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Shared by the bench scenarios (bench/guest/*.sh), in the guests, after the
# smoke guest API and tests/vm/mh/mh-lib.sh. bench/run reads the results
# each guest leaves in $SMOKE_SHARED/results-$GUEST_NAME: "KEY VALUE" lines.

# Sizes: BENCH_QUICK=1 (set by bench/run --quick) shrinks them all.
if [[ -n ${BENCH_QUICK:-} ]]; then
	BENCH_DATA_MIB=32 BENCH_RANDOPS=4096 BENCH_PASSES=1 BENCH_FAULT_MIB=64
	BENCH_CREAT=20 BENCH_TREE=500 BENCH_SMALL=20 BENCH_MKFS=2 BENCH_FOLLOW=10
	BENCH_REUSE=3
	BENCH_COMPACT_FILES=2000 BENCH_COMPACT_ROUNDS=2 BENCH_COMPACT_CHURN=100
	BENCH_SCALE="5000 fit 1000000" BENCH_SCALE_STEP=5000 BENCH_SCALE_MAX=20000
	BENCH_SCALE_PASSES=1
else
	BENCH_DATA_MIB=256 BENCH_RANDOPS=65536 BENCH_PASSES=3 BENCH_FAULT_MIB=
	BENCH_CREAT=50 BENCH_TREE=10000 BENCH_SMALL=400 BENCH_MKFS=5 BENCH_FOLLOW=100
	BENCH_REUSE=20
	BENCH_COMPACT_FILES=50000 BENCH_COMPACT_ROUNDS=5 BENCH_COMPACT_CHURN=1000
	BENCH_SCALE="100000 fit 1000000" BENCH_SCALE_STEP=50000 BENCH_SCALE_MAX=1000000
	BENCH_SCALE_PASSES=2
fi
# The file whose space is reused (bench/guest/release.sh), MiB.
BENCH_REUSE_MIB=64

# bench_result KEY VALUE...: record one figure for bench/run.
bench_result() {
	local key=$1
	shift
	echo "$key $*" >>"$SMOKE_SHARED/results-$GUEST_NAME"
	smoke_log "$key $*"
}

# stats FILE: "median worst best" of the numbers in FILE, one a line.
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.0f %.0f %.0f\n", m, v[NR], v[1] }'
}

# bench_time CMD...: run CMD quietly (its output goes to the console only on
# failure) and print the seconds it took, by this guest's clock.
bench_time() {
	local t0 t1 out
	t0=$EPOCHREALTIME
	out=$("$@" 2>&1) || {
		printf '%s\n' "$out" >&2
		smoke_fail "$* failed"
	}
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
}

# bench_fresh: a new file system on $DEV, mounted on $MNT; prints the
# seconds famfs mount took.
bench_fresh() {
	mh_mkfs >/dev/null
	bench_time famfs mount "$DEV" "$MNT"
}
