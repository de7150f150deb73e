# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 source-path=SCRIPTDIR
# bench release: deleting and reusing space, a master and one client, each
# with the follower famfs mount starts.
#
# Deletes: the master copies a tree of empty files (famfs cp -r) and
# removes it (famfs rm -r) while the client follows, once with a tenth of
# the tree and once with all of it, each on a new file system. The time the
# client takes to lose every name runs from the master's rm returning (and,
# for scale, starting) to the tree's top directory vanishing on the client
# (rm -r logs it last, so every name below is gone by then).
#
# Reuse: the device is full but for one file X, which the client maps. The
# master removes X and retries famfs creat of X's size back to back; the
# client unmaps and closes X. The latency runs from the close to the
# master's famfs creat succeeding. Each round then removes the new file and
# creates X again. The moments are marks in the shared 9p directory,
# stamped by the host's clock (mh-lib.sh). Run by bench/run.
GUESTS=2
NAMES="master client"
START=parallel
MODES=devdax
MODULES=famfs
TIMEOUT=2400
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
# shellcheck source=lib.sh
source "${BASH_SOURCE[0]%/*}/lib.sh"
mh_host_build

# extents FILE: "offset length" per extent of FILE.
extents() {
	famfs getmap "$1" | awk '$2 == "device" { print $5, $7 }'
}

# rm_master K FILES KEY: on a new file system, copy a tree of FILES empty
# files, then remove it; its figures are KEY_*.
rm_master() {
	local k=$1 files=$2 key=$3 t0 t1
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	rm -rf /tmp/tree
	mkdir /tmp/tree
	famfs-bench-data mktree /tmp/tree "$files" || smoke_fail "mktree /tmp/tree"
	mkdir -p "$MH_MARKS/rm-start" "$MH_MARKS/rm-ret"
	smoke_signal "rm-fs-ready-$k"
	smoke_wait "rm-following-$k" >/dev/null || smoke_fail "the client is not following"
	bench_result "${key}_files" "$files"
	bench_result "${key}_cp_s" "$(bench_time famfs cp -r /tmp/tree "$MNT/")"
	smoke_signal "rm-created-$k"
	smoke_wait "rm-seen-$k" >/dev/null || smoke_fail "the client did not see the tree"
	# Redirections, not mh_mark: a forked mkdir would delay the mark.
	: >"$MH_MARKS/rm-start/$k"
	t0=${EPOCHREALTIME/./}
	famfs rm -r "$MNT/tree" >/tmp/rm.out 2>&1 || {
		cat /tmp/rm.out >&2
		smoke_fail "famfs rm -r tree"
	}
	t1=${EPOCHREALTIME/./}
	: >"$MH_MARKS/rm-ret/$k"
	[[ ! -e $MNT/tree ]] || smoke_fail "the tree is still here after famfs rm -r"
	bench_result "${key}_s" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", (b - a) / 1e6 }')"
	smoke_wait "rm-gone-$k" >/dev/null || smoke_fail "the client did not lose the tree"
	bench_result "${key}_gone_ms" "$(mh_latency_one rm-ret rm-gone "$k")"
	bench_result "${key}_gone_start_ms" "$(mh_latency_one rm-start rm-gone "$k")"
	rm -rf /tmp/tree
	smoke_barrier "rm-over-$k" 600 || smoke_fail "the client did not finish the deletes"
	mh_umount
}

rm_client() {
	local k=$1 files=$2 n limit=$((SECONDS + 900)) watcher
	smoke_wait "rm-fs-ready-$k" >/dev/null || smoke_fail "the master made no file system"
	mh_mount >/dev/null
	smoke_signal "rm-following-$k"
	smoke_wait "rm-created-$k" >/dev/null || smoke_fail "the master did not copy the tree"
	until n=$(find "$MNT/tree" -type f 2>/dev/null | wc -l) && ((n == files)); do
		((SECONDS < limit)) || smoke_fail "$n of $files files visible"
		smoke_check_abort
		sleep 0.5
	done
	mkdir -p "$MH_MARKS/rm-gone"
	mhtool gone "$MNT/tree" "$MH_MARKS/rm-gone/$k" 900 &
	watcher=$!
	smoke_signal "rm-seen-$k"
	wait "$watcher" || smoke_fail "the tree did not vanish on the client"
	n=$(find "$MNT" -path "$MNT/.meta" -prune -o -print | wc -l)
	((n == 1)) || smoke_fail "$((n - 1)) names left on the client after the tree vanished"
	smoke_signal "rm-gone-$k"
	mh_umount
	smoke_barrier "rm-over-$k" 600 || smoke_fail "the master did not finish the deletes"
}

# creat_until NAME: famfs creat of X's size until it succeeds, back to back
# (no fork between attempts); every failure must be the full device that
# awaits release. Sets TRIES (attempts), TRY_US (microseconds the
# successful one took) and FAIL_US (the failed ones, in all).
creat_until() {
	local t0 t1 err limit=$((SECONDS + 120))
	TRIES=0 FAIL_US=0
	while :; do
		TRIES=$((TRIES + 1))
		t0=${EPOCHREALTIME/./}
		famfs creat -s "${BENCH_REUSE_MIB}M" "$MNT/$1" >/dev/null 2>/tmp/creat.err && break
		t1=${EPOCHREALTIME/./}
		FAIL_US=$((FAIL_US + t1 - t0))
		err=
		read -r -d '' err </tmp/creat.err || :
		[[ $err == *"await release"* ]] || smoke_fail "famfs creat $1: $err"
		((SECONDS < limit)) || smoke_fail "famfs creat $1: still full after 120 s: $err"
	done
	t1=${EPOCHREALTIME/./}
	TRY_US=$((t1 - t0))
}

# Reuse on the master: X and a file filling the rest of the device.
reuse_master() {
	local cap i ms err med worst best
	cap=$(mh_mkfs | sed -n 's/^capacity: *\([0-9]*\) MiB.*/\1/p')
	mh_mount >/dev/null
	famfs creat -s "${BENCH_REUSE_MIB}M" "$MNT/x" >/dev/null || smoke_fail "famfs creat x"
	famfs creat -s "$((cap - BENCH_REUSE_MIB))M" "$MNT/fill" >/dev/null ||
		smoke_fail "famfs creat fill: $((cap - BENCH_REUSE_MIB)) MiB"
	! famfs creat -s 2M "$MNT/probe" >/dev/null 2>&1 || smoke_fail "the device is not full"
	extents "$MNT/x" >/tmp/x.ext
	mkdir -p "$MH_MARKS/reuse-done"
	: >/tmp/reuse.ms
	: >/tmp/reuse-fail.us
	: >/tmp/reuse-creat.us
	smoke_signal reuse-fs-ready
	for ((i = 0; i < BENCH_REUSE; i++)); do
		smoke_wait "reuse-held-$i" >/dev/null || smoke_fail "the client does not map x (round $i)"
		famfs rm "$MNT/x" >/dev/null || smoke_fail "famfs rm x"
		# While the client maps x, nothing can take its units.
		if err=$(famfs creat -s "${BENCH_REUSE_MIB}M" "$MNT/new" 2>&1); then
			smoke_fail "famfs creat new succeeded while the client maps x"
		fi
		[[ $err == *"await release"* ]] || smoke_fail "a full device should await release: $err"
		smoke_signal "reuse-full-$i"
		creat_until new
		: >"$MH_MARKS/reuse-done/$i"
		extents "$MNT/new" | cmp -s - /tmp/x.ext || smoke_fail "new did not get x's units"
		((TRIES == 1)) || echo "$((FAIL_US / (TRIES - 1)))" >>/tmp/reuse-fail.us
		ms=$(mh_latency_one reuse-closed reuse-done "$i")
		echo "$ms" >>/tmp/reuse.ms
		echo "$TRY_US" >>/tmp/reuse-creat.us
		smoke_log "round $i: reused $ms ms after the close, at attempt $TRIES"
		famfs rm "$MNT/new" >/dev/null || smoke_fail "famfs rm new"
		creat_until x
	done
	bench_result reuse_rounds "$BENCH_REUSE"
	bench_result reuse_mib "$BENCH_REUSE_MIB"
	read -r med worst best <<<"$(stats /tmp/reuse.ms)"
	bench_result reuse_median_ms "$med"
	bench_result reuse_worst_ms "$worst"
	bench_result reuse_best_ms "$best"
	bench_result reuse_creat_ms "$(stats /tmp/reuse-creat.us | awk '{ printf "%.0f\n", $1 / 1000 }')"
	# How long a failed attempt takes: how finely the retries sample.
	[[ ! -s /tmp/reuse-fail.us ]] ||
		bench_result reuse_fail_ms "$(stats /tmp/reuse-fail.us | awk '{ printf "%.0f\n", $1 / 1000 }')"
	smoke_signal reuse-over
	mh_fsck "$DEV"
}

reuse_client() {
	local i pid limit x=$MNT/x bytes=$((BENCH_REUSE_MIB << 20))
	smoke_wait reuse-fs-ready >/dev/null || smoke_fail "the master did not fill the device"
	mh_mount >/dev/null
	mkdir -p "$MH_MARKS/reuse-closed"
	for ((i = 0; i < BENCH_REUSE; i++)); do
		limit=$((SECONDS + 60))
		until [[ -e $x ]] && (($(stat -c %s "$x") == bytes)); do
			((SECONDS < limit)) || smoke_fail "x is not back on the client (round $i)"
			smoke_check_abort
			sleep 0.05
		done
		mhtool map "$x" "/tmp/map.ready.$i" "/tmp/map.stop.$i" "$MH_MARKS/reuse-closed/$i" \
			>/tmp/map.out 2>&1 &
		pid=$!
		until [[ -e /tmp/map.ready.$i ]]; do
			kill -0 "$pid" 2>/dev/null || smoke_fail "mhtool map x: $(cat /tmp/map.out)"
			sleep 0.05
		done
		smoke_signal "reuse-held-$i"
		smoke_wait "reuse-full-$i" >/dev/null || smoke_fail "the master did not remove x (round $i)"
		# The follower has applied the delete: only the mapping holds x.
		limit=$((SECONDS + 60))
		while [[ -e $x ]]; do
			((SECONDS < limit)) || smoke_fail "x did not vanish on the client (round $i)"
			sleep 0.05
		done
		: >"/tmp/map.stop.$i"
		wait "$pid" || smoke_fail "mhtool map x: $(cat /tmp/map.out)"
	done
	smoke_wait reuse-over >/dev/null || smoke_fail "the master did not finish"
}

guest_0() {
	mh_setup
	bench_result kernel "$(uname -r)"
	# A tenth of the tree first, for how the rates go with its size.
	rm_master 0 "$((BENCH_TREE / 10))" rm_tenth
	rm_master 1 "$BENCH_TREE" rm
	reuse_master
	smoke_barrier release-over 600 || smoke_fail "the client did not finish"
	mh_umount
}

guest_1() {
	mh_setup
	rm_client 0 "$((BENCH_TREE / 10))"
	rm_client 1 "$BENCH_TREE"
	reuse_client
	smoke_barrier release-over 600 || smoke_fail "the master did not finish"
	mh_umount
}
