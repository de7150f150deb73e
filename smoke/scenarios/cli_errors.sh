# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# cli_errors: every refusal of the famfs command, each with its exit code
# and message: a device without famfs, a double mount, bad options, a
# client, a full log (the minimum 8 MiB log filled with 4 KiB entries) and
# a full device; the file system stays clean throughout. Then a damaged log
# entry: the mount commands mount, warn and exit 0.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
TIMEOUT=2400
# The commands and the log protocol, the same on every kernel: one per run.
SPREAD=one
# shellcheck source=../../tests/vm/cli/cli-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/cli/cli-lib.sh"
mh_host_build
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."

not_famfs() {
	mkfs.famfs -f "$DEV" >/dev/null || smoke_fail "mkfs.famfs failed"
	mkfs.famfs -f -k "$DEV" >/dev/null || smoke_fail "mkfs.famfs -f -k failed"
	cli_expect 1 "$DEV: not a famfs file system" famfs mount "$DEV" "$MNT"
	cli_expect 32 "$DEV: not a famfs file system" mount -t famfs "$DEV" "$MNT"
	! mountpoint -q "$MNT" || smoke_fail "a refused mount left $MNT mounted"
}

bad_usage() {
	cli_expect 2 "usage: famfs cp" famfs cp "$MNT"
	cli_expect 2 "invalid size '12Q'" famfs creat -s 12Q "$MNT/x"
	cli_expect 2 "the size (-s) is required" famfs creat "$MNT/x"
	cli_expect 2 "invalid mode '99'" famfs mkdir -m 99 "$MNT/d"
	cli_expect 2 "invalid interval '0'" famfs logplay --follow --interval 0 "$MNT"
	cli_expect 2 "unknown command 'bogus'" famfs bogus
	cli_expect 1 "unknown option 'bogus'" mount.famfs "$DEV" /mnt -o bogus
	cli_expect 1 "/etc/hostname: not a famfs file" famfs getmap /etc/hostname
}

client_refused() {
	local other=/tmp/other-uuid
	echo 0b5c2bde-33b5-4f3e-9c7f-2f6e0e3f9a11 >"$other"
	local want="this host is a client of the file system on $DEV; only the master (system UUID $GUEST_UUID) can create files"
	FAMFS_SYSTEM_UUID_FILE=$other cli_expect 1 "famfs cp: $want" famfs cp /etc/hostname "$MNT/"
	FAMFS_SYSTEM_UUID_FILE=$other cli_expect 1 "famfs mkdir: $want" famfs mkdir "$MNT/d"
	FAMFS_SYSTEM_UUID_FILE=$other cli_expect 1 "famfs creat: $want" famfs creat -s 1 "$MNT/f"
	[[ ! -e $MNT/hostname && ! -e $MNT/d && ! -e $MNT/f ]] || smoke_fail "a refused command created something"
}

# fill_log: 15 directories of 250-byte names, then empty files of 230-byte
# names in the deepest: 4056-byte entries until the log is full, of live
# files, which compacting would not shrink; then empty files of short names
# fill what is left, smaller than any entry of cp.
fill_log() {
	local deep="" i
	for i in $(seq 1 15); do
		deep+=$(printf 'd%03d%0246d/' "$i" 0)
	done
	famfs mkdir -p "$MNT/${deep%/}" || smoke_fail "famfs mkdir -p of a deep path failed"
	seq -f "$MNT/$deep%0230g" 1 2100 | xargs -n 300 famfs creat -s 0 >/tmp/fill.log 2>&1 &&
		smoke_fail "2100 entries of 4 KiB fit in an 8 MiB log"
	grep -q "log full even compacted: the live namespace takes" /tmp/fill.log ||
		smoke_fail "no log full message: $(tail -c 400 /tmp/fill.log)"
	seq -f "$MNT/s%03g" 1 100 | xargs famfs creat -s 0 >/tmp/fill.log 2>&1 &&
		smoke_fail "100 short entries fit in what 4 KiB entries left"
	grep -q "log full" /tmp/fill.log ||
		smoke_fail "no log full message for short entries: $(tail -c 400 /tmp/fill.log)"
	smoke_log "log full after $(famfs log "$MNT" | grep -c "^[0-9]") entries"
	cli_expect 1 "log full" famfs cp /etc/hostname "$MNT/"
	[[ ! -e $MNT/hostname ]] || smoke_fail "a file the log could not hold exists"
}

device_full() {
	cli_expect 1 "big: device full: 2048 MiB needed" famfs creat -s 2G "$MNT/big"
	truncate -s 1100M /tmp/big
	cli_expect 1 "big: device full: 1100 MiB needed" famfs cp /tmp/big "$MNT/"
	rm -f /tmp/big
	[[ ! -e $MNT/big ]] || smoke_fail "a file the device could not hold exists"
	famfs creat -s 100M --random 4 "$MNT/fits" >/dev/null || smoke_fail "nothing fits after a refusal"
	famfs verify -S 4 "$MNT/fits" >/dev/null || smoke_fail "fits: bytes differ"
}

# damaged_log: a byte of the first log entry flipped, so its CRC fails. The
# log cannot play, and both mount commands say so, mount all the same, and
# exit 0: their exit code says whether the file system is mounted.
damaged_log() {
	local warning="warning: mounted, but the log did not play to its end"
	umount "$MNT" || smoke_fail "umount failed"
	famfs_devtool corrupt "$DEV" $(((2 << 20) + 64 + 8))
	cli_expect 0 "$warning" mount -t famfs "$DEV" "$MNT"
	mountpoint -q "$MNT" || smoke_fail "mount.famfs exited 0, but nothing is mounted"
	umount "$MNT" || smoke_fail "umount failed"
	cli_expect 0 "$warning" famfs mount "$DEV" "$MNT"
	mountpoint -q "$MNT" || smoke_fail "famfs mount exited 0, but nothing is mounted"
}

# overlap_named: a FILE entry whose extent is an earlier file's (as a
# damaged or hostile log may hold): famfs.ko refuses the later file, and
# logplay names the earlier one by sequence number and path. On a new file
# system: the log is full by now.
overlap_named() {
	local off seq
	umount "$MNT" || smoke_fail "umount failed"
	mkfs.famfs -f "$DEV" >/dev/null || smoke_fail "mkfs.famfs failed"
	# No follower: the logplay below must be the one that meets the entry.
	famfs mount --no-follow "$DEV" "$MNT" >/dev/null || smoke_fail "famfs mount failed"
	famfs creat -s 2M "$MNT/owner" >/dev/null || smoke_fail "famfs creat owner failed"
	off=$(famfs getmap "$MNT/owner" | sed -n 's/.* offset \(0x[0-9a-f]*\) .*/\1/p')
	[[ -n $off ]] || smoke_fail "no offset in famfs getmap $MNT/owner"
	"$FAMFS_BUILD/famfs-test-logtool" add-file "$MNT" intruder "$off" $((2 << 20)) ||
		smoke_fail "cannot log the overlapping entry"
	seq=$(famfs log "$MNT" | awk '$NF == "owner" { print $1 }')
	[[ -n $seq ]] || smoke_fail "famfs log does not list owner"
	cli_expect 1 "intruder: error (seq $((seq + 1)): its extents overlap, at device offset $off, those of seq $seq owner)" \
		famfs logplay "$MNT"
	! famfs getmap -q "$MNT/intruder" || smoke_fail "the overlapping file got a map"
}

guest_main() {
	kmod_tools
	cli_setup
	not_famfs
	mkfs.famfs -f "$DEV" >/dev/null || smoke_fail "mkfs.famfs failed"
	famfs mount "$DEV" "$MNT" >/dev/null || smoke_fail "famfs mount failed"
	mkdir -p /mnt/other
	cli_expect 1 "$DEV: already mounted on $MNT" famfs mount "$DEV" /mnt/other
	bad_usage
	client_refused
	device_full
	fill_log
	cli_remount
	cli_clean
	overlap_named
	damaged_log
	umount "$MNT" || smoke_fail "umount failed"
}
