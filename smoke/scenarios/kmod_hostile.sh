# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_hostile: every malformed map and every bad mount is refused with its
# errno (docs/ioctl.md, docs/kmod.md), without a WARN in the kernel log; a
# character device that is not device-dax is refused without being opened;
# a device-dax device a process maps cannot be mounted, nor mapped mounted.
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
}
