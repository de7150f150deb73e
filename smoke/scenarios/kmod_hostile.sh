# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_hostile: every malformed map and every bad mount is refused with its
# errno (docs/ioctl.md, docs/kmod.md), without a WARN in the kernel log; a
# character device that is not device-dax is refused without being opened;
# a device-dax device a process maps cannot be mounted, nor mapped mounted.
# Superblocks of every minor version: 1.0 to 1.2 mount with one log area,
# 1.3 with what it says (1 or 2), each with its reserved-byte rule; a
# count of 0 or 3, a missing or misplaced active-log record and a host
# table outside the superblock area are refused with a message. On each
# that mounts, PROBE reports every log area as the log, a regular file
# maps no unit of any of them, and the log file must map them all exactly.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
# The host builds the test programs when it reads these declarations.
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
TIMEOUT=600

refuse() {
	famfs_maptest mount "$@" || smoke_fail "mount $* not refused as expected"
}

# refuse_unopened CHARDEV: a character device that is not device-dax is
# refused without being opened (its driver's open may arm a watchdog or
# take a controlling terminal): chrdev_open never runs for the mount.
refuse_unopened() {
	local hits
	hits=$(kprobe_hits chrdev_open famfs_maptest mount "$1" "$MNT" "" EOPNOTSUPP) ||
		smoke_fail "mount of $1 not refused with EOPNOTSUPP"
	smoke_log "mount $1: chrdev_open ran $hits time(s)"
	[[ $hits == none || $hits == 0 ]] || smoke_fail "mount opened $1 before identifying it"
}

# raw_map_exclusive: where the kernel lets a file system claim a device-dax
# device (kmod/patches, famfs-dev), that claim and a raw mapping of the
# device exclude each other: each would overwrite the page owner the other
# records. A mounted device cannot be mapped; a mapped one cannot be mounted.
raw_map_exclusive() {
	local ready=/tmp/raw-ready pid out i
	if [[ $DEV_MODE != devdax ]] || ! grep -qw fs_dax_get /proc/kallsyms; then
		smoke_log "raw mapping and mount: no exclusion in this kernel's device-dax"
		return 0
	fi
	kmod_mount
	if out=$(famfs_devtool hold "$DEV" 0 2>&1); then
		smoke_fail "a raw mapping of the mounted $DEV was allowed"
	fi
	grep -q "Device or resource busy" <<<"$out" ||
		smoke_fail "a raw mapping of the mounted $DEV failed, but not with EBUSY: $out"
	umount "$MNT" || smoke_fail "umount"
	rm -f "$ready"
	famfs_devtool hold "$DEV" 120 "$ready" >/dev/null &
	pid=$!
	for ((i = 0; i < 300; i++)); do
		[[ ! -e $ready ]] || break
		sleep 0.1
	done
	[[ -e $ready ]] || smoke_fail "the raw mapping never got made"
	refuse "$DEV" "$MNT" "" EBUSY
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	kmod_mount
	umount "$MNT" || smoke_fail "umount"
	smoke_log "raw mapping and mount exclude each other"
}

# klog_count PATTERN: kernel log lines matching PATTERN.
klog_count() {
	dmesg | grep -c -- "$1" || true
}

# sb_mounts AREAS FIELD=VALUE...: mkfs.famfs's superblock with FIELDs set
# (famfs-layout sb) mounts with AREAS log areas of the default 8 MiB, and
# famfs.ko holds files to them.
sb_mounts() {
	local areas=$1 out
	shift
	kmod_mkfs
	(($# == 0)) || famfs-layout sb "$DEV" "$@"
	kmod_mount
	out=$(famfs-layout maps "$MNT" "$areas" $((8 << 20))) ||
		smoke_fail "superblock ${*:-of mkfs.famfs}: $(grep -v '^ok' <<<"$out" | tr '\n' ' ')"
	echo "$out"
	umount "$MNT" || smoke_fail "umount"
	smoke_log "superblock ${*:-of mkfs.famfs}: mounts, $areas log area(s) kept out of files"
}

# sb_refused MESSAGE FIELD=VALUE...: with FIELDs set, the mount is refused
# with EUCLEAN and one more kernel log line says MESSAGE.
sb_refused() {
	local msg=$1 before
	shift
	kmod_mkfs
	famfs-layout sb "$DEV" "$@"
	before=$(klog_count "$msg")
	refuse "$DEV" "$MNT" "" EUCLEAN
	(($(klog_count "$msg") > before)) ||
		smoke_fail "superblock $*: no kernel log line \"$msg\""
	smoke_log "superblock $*: refused: $msg"
}

# check_versions: the log areas, reserved bytes and member table of each
# minor version.
check_versions() {
	local no_members=(members_offset=0 ndevices=1)
	local no_log=(log_areas=0 logrec_offset=0 "${no_members[@]}")
	local no_hosts=(hosts_offset=0 hosts_count=0 host_slot_size=0)
	local reserved="superblock: reserved bytes are not zero"
	local table="member table of"
	sb_mounts 2
	sb_mounts 1 log_areas=1 logrec_offset=0
	sb_mounts 2 minor=3 "${no_members[@]}"
	sb_mounts 1 minor=2 "${no_log[@]}"
	sb_mounts 1 minor=1 "${no_log[@]}" "${no_hosts[@]}"
	sb_mounts 1 minor=0 "${no_log[@]}" "${no_hosts[@]}"
	sb_mounts 2 ndevices=32 members_offset=$((16 << 10))
	# A newer minor version's bytes are not this module's to judge.
	sb_mounts 2 minor=5 reserved0=1 reserved1=1 byte@251=1
	sb_refused "superblock (format 1.4): 0 log areas, not 1 to 2" log_areas=0
	sb_refused "superblock (format 1.4): 3 log areas, not 1 to 2" log_areas=3
	sb_refused "superblock (format 1.3): 3 log areas, not 1 to 2" minor=3 log_areas=3 "${no_members[@]}"
	sb_refused "$reserved" reserved0=1
	sb_refused "$reserved" reserved1=1
	sb_refused "$reserved" byte@251=1
	sb_refused "$reserved" minor=3 members_offset=$((16 << 10)) ndevices=1
	sb_refused "$reserved" minor=2 logrec_offset=0 "${no_members[@]}"
	sb_refused "$reserved" minor=2 log_areas=1 logrec_offset=0 "${no_members[@]}"
	sb_refused "$reserved" minor=1 "${no_log[@]}"
	sb_refused "$reserved" minor=0 "${no_log[@]}" hosts_count=0 host_slot_size=0
	sb_refused "unsupported layout" minor=3 ndevices=2 members_offset=0
	sb_refused "unsupported layout" ndevices=33 members_offset=$((16 << 10))
	sb_refused "unsupported layout" ndevices=0
	sb_refused "$table 2 slots at 0 outside" ndevices=2 members_offset=0
	sb_refused "$table 1 slots at 64 outside" members_offset=64
	sb_refused "$table 1 slots at 16392 outside" members_offset=$(((16 << 10) + 8))
	sb_refused "$table 32 slots at 2096128 outside" ndevices=32 members_offset=$(((2 << 20) - 1024))
	sb_refused "2 log areas and no active-log record" logrec_offset=0
	sb_refused "active-log record at 2097088 outside the superblock area" logrec_offset=$(((2 << 20) - 64))
	sb_refused "active-log record at 32 outside the superblock area" logrec_offset=32
	sb_refused "host table 2031616+262144 outside the superblock area" hosts_offset=$(((2 << 20) - (64 << 10)))
}

guest_main() {
	kmod_setup || return 0
	mkdir -p "$MNT" /mnt/famfs2
	refuse "$DEV" "$MNT" bogus=1 EINVAL
	refuse_unopened /dev/null
	refuse_unopened /dev/tty1
	refuse /etc/hostname "$MNT" "" ENOTBLK
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$KMOD_BIN/famfs_maptest" mount "$DEV" "$MNT" "" EPERM ||
		smoke_fail "unprivileged mount not refused"
	raw_map_exclusive
	kmod_mount
	refuse "$DEV" /mnt/famfs2 "" EBUSY
	famfs_maptest hostile "$MNT" || smoke_fail "a hostile map was accepted"
	umount "$MNT" || smoke_fail "umount"
	famfs_devtool corrupt "$DEV"
	refuse "$DEV" "$MNT" "" EUCLEAN
	smoke_klog_has "superblock CRC mismatch" ||
		smoke_fail "no kernel log message for the bad superblock"
	famfs_devtool mkfs "$DEV" reserved
	refuse "$DEV" "$MNT" "" EUCLEAN
	smoke_klog_has "superblock: reserved bytes are not zero" ||
		smoke_fail "no kernel log message for the non-zero reserved bytes"
	check_versions
}
