# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 source-path=SCRIPTDIR
# bench compact: compacting the log, a master and one client, each with the
# follower famfs mount starts.
#
# Compaction: the log holds BENCH_COMPACT_FILES empty files (100 to a
# directory), logged on the device by famfs-bench-fill -t before either
# host mounts. In each round the master creates and deletes
# BENCH_COMPACT_CHURN files (so that the log holds dead entries too), runs
# famfs compact once the client has played them, and creates one file at
# once after it. The client marks the moment its slot in the host table
# counts in the new generation (famfs-bench-switch: the follower writes it
# once it has played the new log and pruned) and the moment the new file
# appears (mhtool watch). The moments are marks in the shared 9p
# directory, stamped by the host's clock (mh-lib.sh).
#
# Scale: for each size of BENCH_SCALE, the master logs that many empty
# files on a new file system with a 128 MiB log (famfs-bench-fill -t), and
# the client times famfs mount of it against famfs-bench-data mktree making
# the same tree on a tmpfs, in the same guest, with the memory each takes.
# The client picks the sizes: a size whose memory, estimated from the sizes
# measured before it, would not fit the guest is left out and said so;
# "fit" is the largest multiple of BENCH_SCALE_STEP that does. Run by
# bench/run.
GUESTS=2
NAMES="master client"
START=parallel
MODES=devdax
MODULES=famfs
TIMEOUT=5400
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
# shellcheck source=lib.sh
source "${BASH_SOURCE[0]%/*}/lib.sh"
mh_host_build

# The log of the scale sizes: two areas of it, the rest of the 1008 MiB
# device is data.
SCALE_LOG=128M
TMPTREE=/mnt/tmpfs-tree

# ms_since T0: milliseconds from T0 (an EPOCHREALTIME without its dot) to now.
ms_since() {
	local t1=${EPOCHREALTIME/./}
	echo $(((t1 - $1 + 500) / 1000))
}

# mem_kib FIELD: a /proc/meminfo figure, KiB.
mem_kib() {
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

# settle: free what the kernel can before memory is counted.
settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# fill N LOG KEY: a new file system with a log of LOG and N empty files,
# 100 to a directory, logged through libfamfs on the device; its figures
# are KEY_*.
fill() {
	local n=$1 key=$3 out t0
	local -a log=()
	[[ -z $2 ]] || log=(-l "$2")
	mkfs.famfs -f "${log[@]}" "$DEV" >/dev/null || smoke_fail "mkfs.famfs $DEV"
	((n)) || return 0
	t0=${EPOCHREALTIME/./}
	out=$(famfs-bench-fill -t -n "$n" "$DEV" 2>&1) || smoke_fail "famfs-bench-fill -t -n $n: $out"
	[[ $out == "files $n max "* ]] || smoke_fail "famfs-bench-fill logged less than asked: $out"
	bench_result "${key}_fill_ms" "$(ms_since "$t0")"
}

# The file of index I of the tree, relative to its top.
tree_file() {
	printf 'd%03d/f%05d\n' $(($1 / 100)) "$1"
}

# compact_round I: BENCH_COMPACT_CHURN files created and deleted, then
# famfs compact, then one file created at once; marks cstart/I, cret/I and
# aret/I, and "MS OUTPUT" of famfs compact in /tmp/compact.rounds.
compact_round() {
	local i=$1 t0 j
	local -a files=()
	for ((j = 0; j < BENCH_COMPACT_CHURN; j++)); do
		files+=("$MNT/churn/e$j")
	done
	famfs mkdir "$MNT/churn" >/dev/null || smoke_fail "famfs mkdir churn"
	famfs creat -s 0 "${files[@]}" >/dev/null || smoke_fail "famfs creat churn"
	famfs rm -r "$MNT/churn" >/dev/null || smoke_fail "famfs rm -r churn"
	smoke_signal "compact-go-$i"
	smoke_wait "compact-watching-$i" >/dev/null || smoke_fail "the client is not watching (round $i)"
	# Redirections, not mh_mark: a forked mkdir would delay the mark.
	: >"$MH_MARKS/cstart/$i"
	t0=${EPOCHREALTIME/./}
	famfs compact -w 300 "$MNT" >/tmp/compact.out 2>&1 || {
		cat /tmp/compact.out >&2
		smoke_fail "famfs compact (round $i)"
	}
	: >"$MH_MARKS/cret/$i"
	echo "$(ms_since "$t0") $(cat /tmp/compact.out)" >>/tmp/compact.rounds
	famfs creat -s 0 "$MNT/after/$i" >/dev/null || smoke_fail "famfs creat after/$i"
	: >"$MH_MARKS/aret/$i"
	smoke_log "round $i: $(cat /tmp/compact.out)"
	smoke_wait "compact-seen-$i" >/dev/null || smoke_fail "the client did not follow round $i"
}

# compact_fields: "wall generation before after waited wrote" of each line
# of /tmp/compact.rounds.
compact_fields() {
	sed -n 's/^\([0-9]*\) log compacted: generation \([0-9]*\) in area [0-9]*; \([0-9]*\) entries ([^)]*) -> \([0-9]*\) entries ([^)]*): .*; waited \([0-9]*\) ms for hosts, wrote in \([0-9]*\) ms$/\1 \2 \3 \4 \5 \6/p' \
		/tmp/compact.rounds
}

compact_master() {
	local i rounds=$BENCH_COMPACT_ROUNDS col med worst wall gen before after waited wrote
	fill "$BENCH_COMPACT_FILES" "" compact
	bench_result compact_files "$BENCH_COMPACT_FILES"
	bench_result compact_master_mount_s "$(bench_time famfs mount "$DEV" "$MNT")"
	famfs mkdir "$MNT/after" >/dev/null || smoke_fail "famfs mkdir after"
	mkdir -p "$MH_MARKS/cstart" "$MH_MARKS/cret" "$MH_MARKS/aret"
	: >/tmp/compact.rounds
	smoke_signal compact-fs-ready
	smoke_wait compact-following >/dev/null || smoke_fail "the client is not following"
	for ((i = 0; i < rounds; i++)); do
		compact_round "$i"
	done
	bench_result compact_rounds "$rounds"
	bench_result compact_churn "$BENCH_COMPACT_CHURN"
	compact_fields >/tmp/compact.fields
	(($(wc -l </tmp/compact.fields) == rounds)) ||
		smoke_fail "cannot read famfs compact's output: $(cat /tmp/compact.rounds)"
	for col in wall:1 waited:5 wrote:6; do
		awk -v c="${col#*:}" '{ print $c }' /tmp/compact.fields >/tmp/compact.col
		read -r med worst _ <<<"$(stats /tmp/compact.col)"
		bench_result "compact_${col%:*}_ms" "$med"
		bench_result "compact_${col%:*}_worst_ms" "$worst"
	done
	read -r wall gen before after waited wrote < <(head -n1 /tmp/compact.fields)
	bench_result compact_entries_before "$before"
	bench_result compact_entries_after "$after"
	sed -n 's/.* entries (\([^)]*\)) -> .*/\1/p' /tmp/compact.rounds | head -n1 |
		{ read -r v && bench_result compact_bytes_before "$v"; }
	sed -n 's/.* -> [0-9]* entries (\([^)]*\)).*/\1/p' /tmp/compact.rounds | head -n1 |
		{ read -r v && bench_result compact_bytes_after "$v"; }
	read -r wall gen before after waited wrote < <(tail -n1 /tmp/compact.fields)
	bench_result compact_generation "$gen"
	mh_fsck "$DEV"
	smoke_signal compact-over
	smoke_wait compact-checked >/dev/null || smoke_fail "the client did not check its tree"
	mh_umount
}

# latencies KEY FROM TO: the median and worst of mark FROM/I to mark TO/I
# over the rounds, as KEY_ms and KEY_worst_ms.
latencies() {
	local key=$1 i med worst
	for ((i = 0; i < BENCH_COMPACT_ROUNDS; i++)); do
		mh_latency_one "$2" "$3" "$i"
	done >"/tmp/lat.$key"
	read -r med worst _ <<<"$(stats "/tmp/lat.$key")"
	bench_result "${key}_ms" "$med"
	bench_result "${key}_worst_ms" "$worst"
}

compact_client() {
	local i g rounds=$BENCH_COMPACT_ROUNDS sw seen n want
	smoke_wait compact-fs-ready >/dev/null || smoke_fail "the master made no file system"
	bench_result compact_client_mount_s "$(bench_time famfs mount "$DEV" "$MNT")"
	mkdir -p "$MH_MARKS/switched" "$MH_MARKS/seen"
	smoke_signal compact-following
	for ((i = 0; i < rounds; i++)); do
		smoke_wait "compact-go-$i" >/dev/null || smoke_fail "the master did not start round $i"
		# The churn played here (its directory is deleted last), so that
		# famfs compact hardly waits for this host.
		mh_wait_for "the churn of round $i gone" 300 mh_gone "$MNT/churn"
		g=$(mhtool generation "$MNT/.meta/.superblock") || smoke_fail "no log generation"
		famfs-bench-switch "$MNT" $((g + 1)) "$MH_MARKS/switched/$i" 300 >/tmp/switch.out 2>&1 &
		sw=$!
		echo "$i after/$i 0" >/tmp/after.list
		mhtool watch "$MNT" /tmp/after.list "$MH_MARKS/seen" 300 &
		seen=$!
		smoke_signal "compact-watching-$i"
		wait "$sw" || smoke_fail "round $i: $(cat /tmp/switch.out)"
		wait "$seen" || smoke_fail "round $i: after/$i did not appear"
		smoke_log "round $i: $(cat /tmp/switch.out)"
		smoke_signal "compact-seen-$i"
	done
	latencies reconcile cret switched
	latencies reconcile_start cstart switched
	latencies after_seen aret seen
	latencies after_seen_compact cret seen
	smoke_wait compact-over >/dev/null || smoke_fail "the master did not finish"
	# The client's tree: the files, the new ones, no churn.
	want=$((BENCH_COMPACT_FILES + rounds))
	n=$(find "$MNT" -path "$MNT/.meta" -prune -o -type f -print | wc -l)
	((n == want)) || smoke_fail "the client has $n files, the master $want"
	[[ ! -e $MNT/churn ]] || smoke_fail "the churn directory is still on the client"
	mh_fsck "$DEV"
	smoke_signal compact-checked
	mh_umount
}

# scale_master: a log of each size the client asks for (scale-size-K: the
# size, 0 for none, or "end"), for it to mount.
scale_master() {
	local k n
	for ((k = 0; ; k++)); do
		n=$(smoke_wait "scale-size-$k") || smoke_fail "the client asked for no size"
		[[ $n != end ]] || return 0
		fill "$n" "$SCALE_LOG" "scale_$n"
		smoke_signal "scale-ready-$k"
		smoke_wait "scale-done-$k" >/dev/null || smoke_fail "the client did not finish size $n"
	done
}

# timed CMD...: run CMD; print the milliseconds it took (this guest's
# clock) and its peak resident size in KiB.
timed() {
	local t0 ms
	t0=${EPOCHREALTIME/./}
	famfs-bench-data peak /tmp/timed.rss "$@" >/tmp/timed.out 2>&1 || {
		cat /tmp/timed.out >&2
		return 1
	}
	ms=$(ms_since "$t0")
	echo "$ms $(tail -n1 /tmp/timed.rss)"
}

# used: KiB of memory in use (total less free).
used() {
	echo $(($(mem_kib MemTotal) - $(mem_kib MemFree)))
}

# follower_rss: KiB resident in the follower famfs mount left running.
follower_rss() {
	local p comm rss=0
	for p in /proc/[0-9]*; do
		read -r comm <"$p/comm" 2>/dev/null || continue
		[[ $comm == famfs ]] || continue
		rss=$((rss + $(awk '$1 == "VmRSS:" { print $2 }' "$p/status" 2>/dev/null || echo 0)))
	done
	echo "$rss"
}

# slab_top: the slab caches holding the most memory, for the console.
slab_top() {
	awk 'NR > 2 { printf "%s %d KiB; ", $1, $3 * $4 / 1024 }' /proc/slabinfo |
		tr ';' '\n' | sort -k2 -n -r | head -n 6 | tr '\n' ';'
}

# A tenth of the guest's memory for everything else.
scale_margin() {
	echo $(($(mem_kib MemTotal) / 10))
}

# scale_size ITEM FREE: the size ITEM asks for, 0 when it would not fit in
# FREE KiB by the estimate (SCALE_PER_FILE bytes a file, from the sizes
# measured before; none: every size is tried).
scale_size() {
	local item=$1 room=$(($2 - $(scale_margin))) n
	if [[ $item == fit ]]; then
		[[ -n ${SCALE_PER_FILE:-} ]] || smoke_fail "BENCH_SCALE: fit needs a size measured before it"
		n=$((room * 1024 / SCALE_PER_FILE / BENCH_SCALE_STEP * BENCH_SCALE_STEP))
		((n <= BENCH_SCALE_MAX)) || n=$BENCH_SCALE_MAX
		echo "$n"
		return 0
	fi
	if [[ -n ${SCALE_PER_FILE:-} ]] && ((item * SCALE_PER_FILE / 1024 > room)); then
		echo 0
		return 0
	fi
	echo "$item"
}

# scale_famfs N PASS: famfs mount of the N files, then umount; appends
# "ms rss" to /tmp/scale.mount and /tmp/scale.umount. The first pass also
# counts the memory: SCALE_FAMFS_KIB with the files mounted, the command's
# peak resident size in.
scale_famfs() {
	local n=$1 pass=$2 base t last
	settle
	base=$(used)
	t=$(timed famfs mount "$DEV" "$MNT") || smoke_fail "famfs mount of $n files"
	echo "$t" >>/tmp/scale.mount
	if ((n)); then
		last=$(tree_file $((n - 1)))
		[[ -e $MNT/$last && ! -e $MNT/$(tree_file "$n") ]] ||
			smoke_fail "the mount does not hold the $n files"
	fi
	if ((pass == 0)); then
		SCALE_FAMFS_KIB=$(($(used) - base))
		SCALE_FOLLOWER_KIB=$(follower_rss)
		smoke_log "slab caches with $n files mounted: $(slab_top)"
	fi
	t=$(timed umount "$MNT") || smoke_fail "umount of $n files"
	echo "$t" >>/tmp/scale.umount
}

# scale_tmpfs N PASS: famfs-bench-data mktree of N files on a new tmpfs;
# appends "ms rss" to /tmp/scale.tmpfs; SCALE_TMPFS_KIB the memory the
# first pass took.
scale_tmpfs() {
	local n=$1 pass=$2 base t
	settle
	base=$(used)
	mkdir -p "$TMPTREE"
	mount -t tmpfs -o nr_inodes=0,size=16m tmpfs "$TMPTREE" || smoke_fail "cannot mount a tmpfs"
	t=$(timed famfs-bench-data mktree "$TMPTREE" "$n") || smoke_fail "mktree of $n files"
	echo "$t" >>/tmp/scale.tmpfs
	((pass)) || SCALE_TMPFS_KIB=$(($(used) - base))
	umount "$TMPTREE" || smoke_fail "umount $TMPTREE"
}

# best KEY FILE: KEY_s, the least time of FILE, and KEY_rss_kib, the most
# resident size.
best() {
	bench_result "${1}_s" "$(sort -n "$2" | awk 'NR == 1 { printf "%.3f\n", $1 / 1000 }')"
	bench_result "${1}_rss_kib" "$(sort -n -k2 "$2" | awk 'END { print $2 }')"
}

# scale_client K N: famfs mount of the N-file log against mktree on tmpfs,
# in turns, BENCH_SCALE_PASSES times (N = 0: an empty file system, famfs
# mount alone); the best time of each counts. SCALE_PER_FILE becomes the
# larger memory a file took, in bytes, the mount's peak resident size
# counted in.
scale_client() {
	local k=$1 n=$2 key=scale_$2 pass peak famfs
	smoke_signal "scale-size-$k" "$n"
	smoke_wait "scale-ready-$k" >/dev/null || smoke_fail "the master did not log $n files"
	rm -f /tmp/scale.mount /tmp/scale.umount /tmp/scale.tmpfs
	for ((pass = 0; pass < BENCH_SCALE_PASSES; pass++)); do
		scale_famfs "$n" "$pass"
		((n == 0)) || scale_tmpfs "$n" "$pass"
	done
	best "${key}_mount" /tmp/scale.mount
	best "${key}_umount" /tmp/scale.umount
	smoke_signal "scale-done-$k"
	((n)) || return 0
	best "${key}_tmpfs" /tmp/scale.tmpfs
	bench_result "${key}_mount_used_kib" "$SCALE_FAMFS_KIB"
	bench_result "${key}_follower_rss_kib" "$SCALE_FOLLOWER_KIB"
	bench_result "${key}_tmpfs_used_kib" "$SCALE_TMPFS_KIB"
	bench_result "${key}_files" "$n"
	peak=$(sort -n -k2 /tmp/scale.mount | awk 'END { print $2 }')
	famfs=$((SCALE_FAMFS_KIB + peak))
	((famfs > SCALE_TMPFS_KIB)) || famfs=$SCALE_TMPFS_KIB
	SCALE_PER_FILE=$((famfs * 1024 / n))
}

# scale_sizes: an empty file system, then each item of BENCH_SCALE
# measured, or left out; the sizes measured and left out are results.
scale_sizes() {
	local k=1 item n free measured=() out=()
	scale_client 0 0
	for item in $BENCH_SCALE; do
		settle
		free=$(mem_kib MemFree)
		n=$(scale_size "$item" "$free")
		if ((n == 0)) && [[ $item == fit ]]; then
			smoke_log "no size fits: $free KiB free"
			continue
		elif ((n == 0)); then
			out+=("$item")
			bench_result "scale_${item}_need_kib" $((item * SCALE_PER_FILE / 1024 + $(scale_margin)))
			bench_result "scale_${item}_free_kib" "$free"
			smoke_log "size $item left out: $((item * SCALE_PER_FILE / 1024)) KiB estimated, $free KiB free"
			continue
		fi
		[[ " ${measured[*]} " != *" $n "* ]] || continue
		bench_result "scale_${n}_free_kib" "$free"
		scale_client "$k" "$n"
		measured+=("$n")
		k=$((k + 1))
	done
	smoke_signal "scale-size-$k" end
	bench_result scale_passes "$BENCH_SCALE_PASSES"
	bench_result scale_step "$BENCH_SCALE_STEP"
	bench_result scale_max "$BENCH_SCALE_MAX"
	bench_result scale_last "${BENCH_SCALE##* }"
	bench_result scale_sizes "${measured[*]}"
	bench_result scale_left_out "${out[*]}"
	bench_result scale_per_file_bytes "$SCALE_PER_FILE"
}

guest_0() {
	mh_setup
	bench_result kernel "$(uname -r)"
	compact_master
	scale_master
	smoke_barrier compact-bench-over 600 || smoke_fail "the client did not finish"
}

guest_1() {
	mh_setup
	compact_client
	scale_sizes
	smoke_barrier compact-bench-over 600 || smoke_fail "the master did not finish"
}
