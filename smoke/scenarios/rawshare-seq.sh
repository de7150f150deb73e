# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# rawshare-seq: one host writes a random pattern through the raw device and
# powers off; the next host, booted afterwards on the same memory, reads it
# back. Proves that the shared memory and its namespace outlive a host.
GUESTS=2
START=sequential
NAMES="writer reader"
MODES="pmem devdax"
MODULES=""
# A fact of the test bed, not of famfs (the mh_* scenarios share memory
# between guests on every kernel and mode): one pair per run.
SPREAD=one
TIMEOUT=600

RAW_OFFSET=$((64 << 20))
RAW_LENGTH=$((16 << 20))

guest_0() {
	local seed sum
	seed=$(((RANDOM << 30) ^ (RANDOM << 15) ^ RANDOM))
	sum=$(famfs-rawmem write "$DEV" $RAW_OFFSET $RAW_LENGTH "$seed")
	smoke_signal rawshare-seq-written "$sum"
	smoke_log "wrote $RAW_LENGTH bytes, seed $seed, checksum $sum"
}

guest_1() {
	local want got
	want=$(smoke_wait rawshare-seq-written 1)
	got=$(famfs-rawmem read "$DEV" $RAW_OFFSET $RAW_LENGTH)
	[[ $got == "$want" ]] || smoke_fail "checksum $got, written $want"
	smoke_log "reads back after the writer powered off: checksum $got"
}
