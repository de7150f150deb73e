# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_demo: what scripts/demo shows. Host A makes a famfs and copies files
# in; host B mounts the same memory and reads the same bytes; while B
# follows the log, A creates files and B sees them appear. Every step is
# told in a line starting "[host A, master]" or "[host B, client]".
GUESTS=2
NAMES="hostA hostB"
START=parallel
MODES="devdax pmem"
MODULES=famfs
TIMEOUT=900
# The commands and the log protocol, the same on every kernel: one per run.
SPREAD=one
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

DEMO_NOTES=3

# say ROLE TEXT...: one line of the story, from this host.
say() {
	local role=$1
	shift
	echo "[host ${GUEST_NAME#host}, $role] $*"
}

# note_text N TIME: the content of note N (its size does not depend on TIME).
note_text() {
	printf 'note %d from host A, written at %s UTC\n' "$1" "$2"
}

demo_fill() {
	famfs mkdir "$MNT/docs" "$MNT/bin" "$MNT/data" >/dev/null || smoke_fail "famfs mkdir failed"
	famfs cp /usr/share/common-licenses/GPL-2 "$MNT/docs/" >/dev/null || smoke_fail "famfs cp GPL-2 failed"
	famfs cp /bin/bash "$MNT/bin/" >/dev/null || smoke_fail "famfs cp /bin/bash failed"
	famfs creat -s 45M --random 42 "$MNT/data/random-45M" >/dev/null || smoke_fail "famfs creat failed"
	mh_sums "$MNT" "$SMOKE_SHARED/sums-A"
}

demo_notes_write() {
	local i
	for ((i = 1; i <= DEMO_NOTES; i++)); do
		sleep 1
		note_text "$i" "$(date -u +%T)" >"/tmp/note-$i.txt"
		mh_mark start "$i"
		famfs cp "/tmp/note-$i.txt" "$MNT/" >/dev/null || smoke_fail "famfs cp note-$i.txt failed"
		mh_mark ret "$i"
		say master "famfs cp note-$i.txt $MNT/: returned; the new file is in the log."
	done
}

# The master: make the file system, fill it, then write notes while B follows.
guest_0() {
	local out
	mh_setup
	say master "I am host A. Host B and I share one memory device; I see it as $DEV."
	out=$(mkfs.famfs -f "$DEV" 2>&1) || smoke_fail "mkfs.famfs -f $DEV: $out"
	out=$(mh_field size "$out")
	out=${out##*(}
	say master "mkfs.famfs $DEV: a famfs file system now fills the shared memory (${out%)})."
	say master "The host that runs mkfs is the master, the only one that may create files: that is me."
	mh_mount >/dev/null
	say master "famfs mount: mounted at $MNT."
	demo_fill
	say master "Copied in docs/GPL-2 (text), bin/bash (a program); created data/random-45M (random bytes)."
	say master "Each file is an extent list in the shared memory, appended to the log after the superblock."
	smoke_signal demo-filled
	say master "Now host B can mount the same memory."
	smoke_wait demo-following >/dev/null || smoke_fail "host B never started following the log"
	demo_notes_write
	smoke_wait demo-done >/dev/null || smoke_fail "host B did not finish"
	mh_umount
	say master "Unmounted. Done."
}

# demo_compare: B's checksums next to A's, one line per file.
demo_compare() {
	local sum path theirs
	mh_sums "$MNT" "$SMOKE_SHARED/sums-B"
	while read -r sum path; do
		theirs=$(awk -v p="$path" '$2 == p { print $1 }' "$SMOKE_SHARED/sums-A")
		[[ $theirs == "$sum" ]] || smoke_fail "${path#./}: sha256 $sum here, ${theirs:-no file} on host A"
		say client "$(printf '%-17s sha256 on A %s...  on B %s...  same' "${path#./}" "${theirs:0:16}" "${sum:0:16}")"
	done <"$SMOKE_SHARED/sums-B"
	cmp -s "$SMOKE_SHARED/sums-A" "$SMOKE_SHARED/sums-B" ||
		smoke_fail "host B does not see the same files as host A"
}

demo_refusal() {
	local msg rc=0
	msg=$(famfs creat -s 1M "$MNT/mine" 2>&1) || rc=$?
	((rc == 1)) || smoke_fail "a client's famfs creat: exit $rc, expected 1 ($msg)"
	say client "When I try to create a file, famfs refuses: \"$msg\""
}

# demo_notes_follow: follow the log and report each note as it appears.
# The watcher marks each note the moment it is visible, whatever this
# story is busy printing.
demo_notes_follow() {
	local i ms took watcher total=0 worst=0 list=/tmp/note.list
	for ((i = 1; i <= DEMO_NOTES; i++)); do
		echo "$i note-$i.txt $(note_text "$i" 00:00:00 | wc -c)"
	done >"$list"
	mh_watch "$list" seen-B 120 &
	watcher=$!
	say client "famfs mount left a follower running here: it plays each entry host A logs."
	smoke_signal demo-following
	for ((i = 1; i <= DEMO_NOTES; i++)); do
		until [[ -e $MH_MARKS/seen-B/$i ]]; do
			kill -0 "$watcher" 2>/dev/null || smoke_fail "note-$i.txt did not appear on host B"
			sleep 0.1
		done
		ms=$(mh_latency_one start seen-B "$i") || exit 1
		took=$(mh_latency_one start ret "$i") || exit 1
		say client "note-$i.txt appeared here $ms ms after host A started famfs cp (which took $took ms there)."
		say client "note-$i.txt reads: \"$(cat "$MNT/note-$i.txt")\""
		total=$((total + ms))
		((ms <= worst)) || worst=$ms
	done
	wait "$watcher" || smoke_fail "the note watcher failed"
	say client "From famfs cp starting on host A to the file being here: mean $((total / DEMO_NOTES)) ms, worst $worst ms over $DEMO_NOTES files."
}

# The client: mount, compare, be refused, follow.
guest_1() {
	local out
	mh_setup
	smoke_wait demo-filled >/dev/null || smoke_fail "host A never filled the file system"
	say client "I am host B, another machine on the same memory; I see it as $DEV."
	out=$(famfs mount "$DEV" "$MNT" 2>&1) || smoke_fail "famfs mount $DEV $MNT: $out"
	say client "famfs mount: I played the log host A wrote; ${out##*: } appeared here."
	say client "I am a client: my files are read-only, and reading them reads the shared memory directly."
	demo_compare
	say client "docs/GPL-2, line 2: \"$(sed -n '2s/^ *//p' "$MNT/docs/GPL-2")\""
	demo_refusal
	demo_notes_follow
	out=$(famfs fsck "$DEV" 2>&1) || smoke_fail "famfs fsck $DEV: $out"
	say client "famfs fsck $DEV: $(mh_field result "$out"); $(mh_field files "$out") files, $(mh_field directories "$out") directories."
	mh_umount
	smoke_signal demo-done
	say client "Done: host B read every byte host A wrote, and saw A's new files appear as they were made."
}
