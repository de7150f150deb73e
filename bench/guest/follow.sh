# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 source-path=SCRIPTDIR
# bench follow: the master creates files one at a time while a client runs
# famfs logplay --follow. The latency of a file is the time from famfs creat
# returning on the master to the file being visible on the client (and, for
# scale, from famfs creat starting). The moments are marks in the shared 9p
# directory, stamped by the host's clock, so the guests' clocks never enter
# (mh-lib.sh). Run by bench/run.
GUESTS=2
NAMES="master client"
START=parallel
MODES=devdax
MODULES=famfs
TIMEOUT=1800
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
# shellcheck source=lib.sh
source "${BASH_SOURCE[0]%/*}/lib.sh"
mh_host_build

guest_0() {
	local i
	mh_setup
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	famfs mkdir "$MNT/f" >/dev/null || smoke_fail "famfs mkdir"
	smoke_signal follow-fs-ready
	mkdir -p "$MH_MARKS/start" "$MH_MARKS/ret"
	smoke_wait follow-ready >/dev/null || smoke_fail "the client is not following"
	for ((i = 0; i < BENCH_FOLLOW; i++)); do
		# Redirections, not mh_mark: a forked mkdir would delay the mark.
		: >"$MH_MARKS/start/$i"
		famfs creat -s 0 "$MNT/f/$i" >/dev/null || smoke_fail "famfs creat f/$i"
		: >"$MH_MARKS/ret/$i"
		# Apart, so that each file is a poll of its own on the client.
		sleep 0.1
	done
	smoke_signal follow-created
	smoke_wait follow-done >/dev/null || smoke_fail "the client did not finish"
	mh_umount
}

guest_1() {
	local i lat n median worst best
	mh_setup
	smoke_wait follow-fs-ready >/dev/null || smoke_fail "the master made no file system"
	mh_mount >/dev/null
	for ((i = 0; i < BENCH_FOLLOW; i++)); do
		echo "$i f/$i 0"
	done >/tmp/follow.list
	mh_follow_start /tmp/follow.log
	smoke_signal follow-ready
	mh_watch /tmp/follow.list seen 900 || smoke_fail "not every file became visible"
	mh_follow_stop
	smoke_wait follow-created >/dev/null || smoke_fail "the master did not finish"
	lat=$(mh_latency seen)
	smoke_log "follow latency from return: $lat"
	read -r _ n _ median _ _ worst _ _ best _ <<<"$lat"
	bench_result follow_files "$n"
	bench_result follow_median_ms "$median"
	bench_result follow_worst_ms "$worst"
	bench_result follow_best_ms "$best"
	lat=$(mhtool latency "$MH_MARKS/start" "$MH_MARKS/seen")
	smoke_log "follow latency from start: $lat"
	read -r _ _ _ median _ _ worst _ _ _ _ <<<"$lat"
	bench_result follow_start_median_ms "$median"
	bench_result follow_start_worst_ms "$worst"
	bench_result kernel "$(uname -r)"
	mh_umount
	smoke_signal follow-done
}
