# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# cli_crash: famfs cp -r killed with SIGKILL in the middle: fsck is clean,
# famfs logplay creates whatever was logged but not yet created locally,
# famfs check then passes, and every file that made it has its bytes.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
TIMEOUT=2400
# The commands and the log protocol, the same on every kernel: one per run.
SPREAD=one
# shellcheck source=../../tests/vm/cli/cli-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/cli/cli-lib.sh"
mh_host_build

# make_files DIR: 400 files of 256 to 768 KiB in 8 directories.
make_files() {
	python3 - "$1" <<'PY' || smoke_fail "cannot make the files"
import os, random, sys
root, r = sys.argv[1], random.Random(7)
for i in range(400):
    sub = os.path.join(root, "d%d" % (i % 8))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "f%03d" % i), "wb") as f:
        f.write(r.randbytes(r.randrange(1 << 18, 3 << 18)))
PY
}

# kill_cp_midway: start famfs cp -r and kill -9 it once some files exist.
kill_cp_midway() {
	local pid limit=$((SECONDS + 600))
	famfs cp -r /tmp/src "$MNT/copy" & pid=$!
	until (($(find "$MNT/copy" -type f 2>/dev/null | wc -l) >= 20)); do
		kill -0 "$pid" 2>/dev/null || smoke_fail "famfs cp ended before it could be killed"
		((SECONDS < limit)) || smoke_fail "famfs cp made no progress"
		sleep 0.2
	done
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
	smoke_log "killed famfs cp -r after $(find "$MNT/copy" -type f | wc -l) of 400 files"
}

guest_main() {
	local out
	cli_setup
	make_files /tmp/src
	mkfs.famfs -f "$DEV" >/dev/null || smoke_fail "mkfs.famfs failed"
	famfs mount "$DEV" "$MNT" >/dev/null || smoke_fail "famfs mount failed"
	kill_cp_midway
	mh_fsck "$MNT"
	out=$(famfs logplay "$MNT") || smoke_fail "famfs logplay after the kill failed: $out"
	smoke_log "logplay after the kill: $out"
	cli_clean
	cli_remount
	cli_clean
	# Every file that made it into the log has the source's bytes.
	cli_sums "$MNT/copy" /tmp/sums.copy
	(cd /tmp/src && sha256sum -c --quiet /tmp/sums.copy) >&2 ||
		smoke_fail "a copied file differs from its source"
	smoke_log "$(wc -l </tmp/sums.copy) files survived the kill, all with their bytes"
	# The rest can be copied now: the kill leaked nothing that blocks it.
	famfs cp -r /tmp/src/d7 "$MNT/again" || smoke_fail "famfs cp after the kill failed"
	cli_clean
	umount "$MNT" || smoke_fail "umount failed"
}
