# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# cli_tree: mkfs.famfs, mount -t famfs (through mount.famfs), famfs cp -r of
# a tree of nested directories and 200 files of 0 bytes to 50 MiB, umount,
# mount again: every file is back with the same bytes, mode and owner
# (set-user-ID and set-group-ID bits included); famfs check and fsck pass,
# and playing the log again changes nothing.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
TIMEOUT=2400
# The commands and the log protocol, the same on every kernel: one per run.
SPREAD=one
# shellcheck source=../../tests/vm/cli/cli-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/cli/cli-lib.sh"
mh_host_build

SRC=/tmp/tree

# make_tree DIR: 200 files in 3 levels of directories, sizes from 0 to
# 50 MiB, modes varied (set-ID bits too), all from one seed.
make_tree() {
	python3 - "$1" <<'PY' || smoke_fail "cannot make the source tree"
import os, random, sys
root, r = sys.argv[1], random.Random(20261124)
dirs = [root]
for i in range(12):
    d = os.path.join(r.choice(dirs), "dir%d" % i)
    os.makedirs(d)
    os.chmod(d, r.choice([0o755, 0o750, 0o700, 0o2775]))
    dirs.append(d)
for i in range(200):
    if i < 5:
        size = 0
    elif i < 8:
        size = [50 << 20, 20 << 20, (2 << 20) + 1][i - 5]
    elif i < 30:
        size = r.randrange(1 << 20, 4 << 20)
    else:
        size = r.randrange(1, 64 << 10)
    p = os.path.join(r.choice(dirs), "file%03d" % i)
    with open(p, "wb") as f:
        f.write(r.randbytes(size))
    os.chmod(p, r.choice([0o644, 0o600, 0o755, 0o444, 0o4755, 0o2750]))
PY
}

remount_same() {
	local before=$1 sums=$2
	cli_remount
	[[ $(cli_listing "$MNT/tree") == "$before" ]] ||
		smoke_fail "modes, owners or sizes differ after remount"
	cli_sums "$MNT/tree" /tmp/sums.famfs2
	cmp -s "$sums" /tmp/sums.famfs2 || smoke_fail "file bytes differ after remount"
}

guest_main() {
	local before out big
	cli_setup
	make_tree "$SRC"
	mkfs.famfs -f "$DEV" >/dev/null || smoke_fail "mkfs.famfs failed"
	mount -t famfs "$DEV" "$MNT" || smoke_fail "mount -t famfs failed"
	SECONDS=0
	famfs cp -r "$SRC" "$MNT/" || smoke_fail "famfs cp -r failed"
	smoke_log "famfs cp -r of $(du -sh "$SRC" | cut -f1) in 200 files: ${SECONDS}s"
	before=$(cli_listing "$SRC")
	[[ $(cli_listing "$MNT/tree") == "$before" ]] || smoke_fail "the copy's modes or sizes differ from the source"
	cli_sums "$SRC" /tmp/sums.src
	cli_sums "$MNT/tree" /tmp/sums.famfs
	cmp -s /tmp/sums.src /tmp/sums.famfs || smoke_fail "copied bytes differ from the source"
	famfs creat -s 3M -u 1234 -g 567 -m 6750 --random 3 "$MNT/owned" ||
		smoke_fail "famfs creat -u -g failed"
	remount_same "$before" /tmp/sums.src
	[[ $(stat -c '%u %g %a %s' "$MNT/owned") == "1234 567 6750 3145728" ]] ||
		smoke_fail "owned: $(stat -c '%u %g %a %s' "$MNT/owned") after remount"
	famfs verify -S 3 "$MNT/owned" >/dev/null || smoke_fail "owned: bytes differ after remount"
	smoke_log "200 files back after remount with the same bytes, modes and owners"
	chmod 0600 "$MNT/owned"
	cli_expect 1 "owned: mode 0600, the log says 6750" famfs check "$MNT"
	chmod 6750 "$MNT/owned"
	cli_clean
	out=$(famfs logplay "$MNT") || smoke_fail "replaying the log failed: $out"
	[[ $out == *"0 directories and 0 files created"* ]] || smoke_fail "replay changed something: $out"
	big=$(find "$MNT/tree" -name file005)
	famfs getmap --yaml "$big" | grep -q '^size: 52428800$' ||
		smoke_fail "getmap --yaml does not show the 50 MiB file $big"
	umount "$MNT" || smoke_fail "final umount failed"
}
