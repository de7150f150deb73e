# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_client_refuse: a client cannot change the file system. Its mount is
# nosuid,nodev unless asked otherwise (the master's is not). famfs cp, mkdir
# and creat fail with exit code 1 and the client message, write(2) and a
# writable shared mmap of .meta/.log are refused, mkfs.famfs (even with -f,
# even -f -k) refuses the mounted device; the log and superblock bytes are
# the same before and after, and fsck on the master is clean.
GUESTS=2
NAMES="hostA hostB"
START=parallel
MODES=devdax
SPREAD=one
MODULES=famfs
TIMEOUT=900
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

# The master: a file system with a directory and two files.
guest_0() {
	mh_setup
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	[[ ,$(mh_mount_opts), != *,nosuid,* ]] ||
		smoke_fail "the master's mount is nosuid: $(mh_mount_opts)"
	famfs mkdir "$MNT/dir" >/dev/null || smoke_fail "famfs mkdir failed"
	famfs creat -s 3M --random 5 "$MNT/dir/data" >/dev/null || smoke_fail "famfs creat failed"
	famfs cp /usr/share/common-licenses/GPL-2 "$MNT/" >/dev/null || smoke_fail "famfs cp failed"
	smoke_signal refuse-fs-ready
	smoke_wait refuse-tried >/dev/null || smoke_fail "host B did not finish its attempts"
	[[ $(mh_meta_sum log) == "$(smoke_wait refuse-log-sum)" ]] ||
		smoke_fail "the master reads different log bytes than the client"
	mh_fsck "$DEV"
	mh_umount
}

# refused WANT_RC PATTERN CMD...: CMD must exit WANT_RC with PATTERN in its
# message; a mismatch is counted in BAD, so that every attempt is reported.
refused() {
	local want=$1 pattern=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if ((rc != want)) || ! grep -qF -- "$pattern" <<<"$out"; then
		smoke_log "WRONG: $*: exit status $rc (expected $want), message \"$out\" (expected \"$pattern\")" >&2
		BAD=$((BAD + 1))
		return 0
	fi
	smoke_log "refused as expected ($rc): $*: $out"
}

# meta_sums: checksums of the log and the superblock, as this client sees
# them. The superblock area is summed up to the host table (64 KiB), whose
# slots the hosts' followers rewrite at every heartbeat.
meta_sums() {
	local log sb
	log=$(mh_meta_sum log) && sb=$(mh_meta_sum superblock 65536) || return 1
	echo "log $log superblock $sb"
}

# try_write PATH: write(2) and a writable shared mmap of $MNT/PATH must fail.
try_write() {
	local out
	if out=$(mhtool try-write "$MNT/$1"); then
		smoke_log "writes to $1 refused: $(tr '\n' ';' <<<"$out")"
	else
		smoke_log "WRONG: a client could write $1: $(tr '\n' ';' <<<"$out")" >&2
		BAD=$((BAD + 1))
	fi
}

client_attempts() {
	local client="this host is a client of the file system on $DEV"
	refused 1 "$client" famfs cp /etc/hostname "$MNT/hostname"
	refused 1 "$client" famfs cp -r /usr/share/common-licenses "$MNT/"
	refused 1 "$client" famfs mkdir "$MNT/newdir"
	refused 1 "$client" famfs mkdir -p "$MNT/dir/a/b"
	refused 1 "$client" famfs creat -s 2M --random 1 "$MNT/newfile"
	refused 1 "$DEV: mounted on $MNT" mkfs.famfs "$DEV"
	refused 1 "$DEV: mounted on $MNT" mkfs.famfs -f "$DEV"
	refused 1 "$DEV: mounted on $MNT" mkfs.famfs -f -k "$DEV"
	try_write .meta/.log
	try_write dir/data
}

# client_mount_flags: a client's mount is nosuid,nodev; -o suid,dev opts out.
client_mount_flags() {
	local opts
	opts=,$(mh_mount_opts),
	[[ $opts == *,nosuid,* && $opts == *,nodev,* ]] ||
		smoke_fail "a client's mount is not nosuid,nodev: $opts"
	mh_umount
	famfs mount -o suid,dev "$DEV" "$MNT" >/dev/null || smoke_fail "famfs mount -o suid,dev failed"
	opts=,$(mh_mount_opts),
	[[ $opts != *,nosuid,* && $opts != *,nodev,* ]] ||
		smoke_fail "-o suid,dev did not keep set-ID and devices: $opts"
	mh_umount
	mh_mount >/dev/null
	smoke_log "a client's mount is nosuid,nodev; -o suid,dev keeps them"
}

# The client: try every way to change the file system; nothing may change.
guest_1() {
	local before after p
	mh_setup
	smoke_wait refuse-fs-ready >/dev/null || smoke_fail "host A did not make the file system"
	mh_mount >/dev/null
	client_mount_flags
	before=$(meta_sums) || smoke_fail "cannot read the metadata files"
	BAD=0
	client_attempts
	after=$(meta_sums) || smoke_fail "cannot read the metadata files"
	[[ $before == "$after" ]] || smoke_fail "the metadata changed: before $before, after $after"
	for p in hostname common-licenses newdir dir/a newfile; do
		[[ ! -e $MNT/$p ]] || smoke_fail "$MNT/$p exists after a refused command"
	done
	famfs verify -S 5 "$MNT/dir/data" >/dev/null || smoke_fail "dir/data changed"
	smoke_log "log and superblock unchanged: $after"
	((BAD == 0)) || smoke_fail "$BAD attempts were not refused as documented (WRONG lines above)"
	smoke_signal refuse-log-sum "$(mh_meta_sum log)"
	smoke_signal refuse-tried
	mh_umount
}
