# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# cli_upstream: the command forms of upstream famfs's command line, each run
# on a mounted famfs and its effect checked: --nofuse (--fuse refused),
# creat -r -S -s HEX, creat -M (repeatable) with -t, verify -S -f, -m, -t
# and -q, cp -t -u -g, mkdir -u -g, getmap -q, fsck --human, and famfs
# mkmeta after a mount(2) alone (mount -i, which also hands famfs.ko
# dax=always); then mount.famfs with generic options.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
TIMEOUT=1200
# The commands, the same on every kernel: one per run.
SPREAD=one
# shellcheck source=../../tests/vm/cli/cli-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/cli/cli-lib.sh"
mh_host_build

# owner_is PATH "UID GID"
owner_is() {
	[[ $(stat -c '%u %g' "$1") == "$2" ]] || smoke_fail "$1: owner $(stat -c '%u %g' "$1"), not $2"
}

size_is() {
	[[ $(stat -c %s "$1") == "$2" ]] || smoke_fail "$1: size $(stat -c %s "$1"), not $2"
}

creat_forms() {
	famfs creat -r -S 7 -s 0x800000 "$MNT/r7" >/dev/null || smoke_fail "creat -r -S -s 0x800000"
	size_is "$MNT/r7" 8388608
	famfs verify -S 7 -f "$MNT/r7" >/dev/null || smoke_fail "verify -S 7 -f r7"
	famfs creat -t 2 -M "$MNT/m1,3M,9" -M "$MNT/m2,0x100000" -M "$MNT/m3,5M,0x11" >/dev/null ||
		smoke_fail "creat -t 2 -M -M -M"
	size_is "$MNT/m1" 3145728
	size_is "$MNT/m2" 1048576
	size_is "$MNT/m3" 5242880
	[[ -z $(famfs verify -q -t 2 -m "$MNT/m1,9" -m "$MNT/m3,17") ]] ||
		smoke_fail "verify -q -t 2 -m -m printed something"
	cli_expect 1 "differs from the stream of seed 10" famfs verify -m "$MNT/m1,10"
	cli_expect 2 "-r needs a seed" famfs creat -r -s 1M "$MNT/no-seed"
	smoke_log "creat -r -S, -M with -t, verify -f, -m, -q as expected"
}

cp_mkdir_forms() {
	head -c $((7 << 20)) /dev/urandom >/tmp/big
	famfs mkdir -u 1000 -g 1001 "$MNT/d" || smoke_fail "mkdir -u -g"
	owner_is "$MNT/d" "1000 1001"
	famfs cp -t 4 -u 1234 -g 567 /tmp/big "$MNT/d/" || smoke_fail "cp -t 4 -u -g"
	owner_is "$MNT/d/big" "1234 567"
	cmp /tmp/big "$MNT/d/big" || smoke_fail "cp -t 4: bytes differ"
	cli_expect 2 "not negative" famfs cp -u -1 /tmp/big "$MNT/d/x"
	cli_expect 2 "not negative" famfs mkdir -g -5 "$MNT/e"
	smoke_log "cp -t -u -g and mkdir -u -g as expected"
}

query_forms() {
	[[ -z $(famfs getmap -q "$MNT/r7") ]] || smoke_fail "getmap -q printed something"
	famfs getmap -q "$MNT/r7" || smoke_fail "getmap -q of a famfs file"
	cli_expect 1 "" famfs getmap -q /tmp/big
	famfs fsck --human --nofuse "$MNT" >/dev/null || smoke_fail "fsck --human --nofuse"
	cli_expect 2 "no FUSE mode" famfs fsck --fuse "$MNT"
}

# mkmeta: mount(2) alone (mount -i runs no helper), then the metadata
# files and the log play by hand.
mkmeta_form() {
	umount "$MNT" || smoke_fail "umount"
	mount -i -t famfs -o dax=always "$DEV" "$MNT" || smoke_fail "mount -i -o dax=always"
	[[ ! -e $MNT/.meta ]] || smoke_fail "mount(2) alone made metadata files"
	famfs mkmeta "$DEV" >/dev/null || smoke_fail "famfs mkmeta"
	[[ -f $MNT/.meta/.log && -f $MNT/.meta/.superblock ]] || smoke_fail "no metadata files"
	cli_expect 1 "File exists" famfs mkmeta "$DEV"
	famfs logplay "$MNT" >/dev/null || smoke_fail "logplay after mkmeta"
	famfs verify -q -S 7 -f "$MNT/r7" -m "$MNT/m3,17" || smoke_fail "files after mkmeta"
	cmp /tmp/big "$MNT/d/big" || smoke_fail "d/big after mkmeta"
	cli_clean
	smoke_log "mount -i -o dax=always, famfs mkmeta, logplay: every file back"
}

guest_main() {
	cli_setup
	mkfs.famfs --nofuse -f "$DEV" >/dev/null || smoke_fail "mkfs.famfs --nofuse"
	cli_expect 2 "no FUSE mode" famfs mount --fuse "$DEV" "$MNT"
	famfs mount --nofuse "$DEV" "$MNT" >/dev/null || smoke_fail "famfs mount --nofuse"
	creat_forms
	cp_mkdir_forms
	query_forms
	mkmeta_form
	umount "$MNT" || smoke_fail "umount"
	mount -t famfs -o noatime,nosuid,nodev,dax=always,nofail,x-systemd.requires=a.service \
		"$DEV" "$MNT" || smoke_fail "mount -t famfs with generic options"
	grep -q " $MNT famfs rw,nosuid,nodev,noatime" /proc/mounts ||
		smoke_fail "mount flags: $(grep " $MNT " /proc/mounts)"
	umount "$MNT" || smoke_fail "final umount"
}
