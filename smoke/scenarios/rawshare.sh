# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# rawshare: two hosts share one memory at the same time, with no file system.
# Each writes a random pattern to its own region of the raw device (mmap of
# /dev/dax with cache flushes; O_DIRECT on /dev/pmem), signals the other,
# then reads the other's region back; the checksums must match.
GUESTS=2
START=parallel
MODES="pmem devdax"
MODULES=""
# A fact of the test bed, not of famfs (the mh_* scenarios share memory
# between guests on every kernel and mode): one pair per run.
SPREAD=one
TIMEOUT=600

RAW_OFFSET=$((16 << 20))   # 2 MiB aligned, clear of any metadata at the start
RAW_LENGTH=$((32 << 20))

guest_main() {
	local peer=$((1 - GUEST_INDEX)) seed sum want got
	seed=$(((RANDOM << 30) ^ (RANDOM << 15) ^ RANDOM))
	sum=$(famfs-rawmem write "$DEV" $((RAW_OFFSET + GUEST_INDEX * RAW_LENGTH)) $RAW_LENGTH "$seed")
	smoke_log "wrote $RAW_LENGTH bytes, seed $seed, checksum $sum"
	smoke_signal "rawshare-written-$GUEST_INDEX" "$sum"

	want=$(smoke_wait "rawshare-written-$peer")
	got=$(famfs-rawmem read "$DEV" $((RAW_OFFSET + peer * RAW_LENGTH)) $RAW_LENGTH)
	[[ $got == "$want" ]] || smoke_fail "region of guest $peer: checksum $got, written $want"
	smoke_log "region of guest $peer reads back: checksum $got"
	# Stay up until the peer has read our region too.
	smoke_barrier rawshare-done
}
