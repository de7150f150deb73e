# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# cli_concurrent: two famfs cp -r runs at once on the master, 500 files each
# (most empty: a 1 GiB device holds about 500 data units): after a remount
# all 1000 files are there with their bytes, and check and fsck are clean.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
TIMEOUT=2400
# The commands and the log protocol, the same on every kernel: one per run.
SPREAD=one
# shellcheck source=../../tests/vm/cli/cli-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/cli/cli-lib.sh"
mh_host_build

# make_files DIR SEED: 500 files, every 25th holding 64 KiB from SEED.
make_files() {
	python3 - "$1" "$2" <<'PY' || smoke_fail "cannot make the files of $1"
import os, random, sys
root, r = sys.argv[1], random.Random(int(sys.argv[2]))
for i in range(500):
    sub = os.path.join(root, "d%d" % (i % 5))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "f%03d" % i), "wb") as f:
        f.write(r.randbytes(65536) if i % 25 == 0 else b"")
PY
}

guest_main() {
	local a b rc_a=0 rc_b=0
	cli_setup
	make_files /tmp/one 1
	make_files /tmp/two 2
	mkfs.famfs -f "$DEV" >/dev/null || smoke_fail "mkfs.famfs failed"
	famfs mount "$DEV" "$MNT" >/dev/null || smoke_fail "famfs mount failed"
	SECONDS=0
	famfs cp -r /tmp/one "$MNT/one" & a=$!
	famfs cp -r /tmp/two "$MNT/two" & b=$!
	wait "$a" || rc_a=$?
	wait "$b" || rc_b=$?
	((rc_a == 0 && rc_b == 0)) || smoke_fail "famfs cp exit codes $rc_a and $rc_b"
	smoke_log "two famfs cp -r of 500 files each, at once: ${SECONDS}s"
	cli_remount
	(($(find "$MNT/one" "$MNT/two" -type f | wc -l) == 1000)) ||
		smoke_fail "$(find "$MNT/one" "$MNT/two" -type f | wc -l) files after remount, not 1000"
	cli_sums /tmp/one /tmp/sums.one
	cli_sums "$MNT/one" /tmp/sums.famfs.one
	cli_sums /tmp/two /tmp/sums.two
	cli_sums "$MNT/two" /tmp/sums.famfs.two
	cmp -s /tmp/sums.one /tmp/sums.famfs.one || smoke_fail "one: file bytes differ from the source"
	cmp -s /tmp/sums.two /tmp/sums.famfs.two || smoke_fail "two: file bytes differ from the source"
	smoke_log "all 1000 files back after remount, bytes equal"
	cli_clean
	umount "$MNT" || smoke_fail "umount failed"
}
