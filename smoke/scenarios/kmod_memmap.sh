# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_memmap: a namespace made with ndctl's default map=dev keeps its
# struct pages on the device, where hosts that share the memory would
# overwrite each other's page metadata. famfs.ko refuses to mount it
# (EOPNOTSUPP, with a kernel message that says to recreate it with
# --map=mem) unless the mount says -o single_host; then it works. mkfs.famfs
# warns of it, and of nothing on the harness's map=mem namespace.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
TIMEOUT=600

# recreate_map_dev: the namespace again, as ndctl makes it by default
# (map=dev), with the alignment famfs needs; sets DEV.
recreate_map_dev() {
	local ns out key=chardev name
	local -a opts=(--mode=devdax --align=4K)
	[[ $DEV_MODE != pmem ]] || opts=(--mode=fsdax) key=blockdev
	ns=$(ndctl list -N | sed -n 's/.*"dev":"\(namespace[^"]*\)".*/\1/p' | head -n1)
	out=$(ndctl create-namespace -f -e "$ns" "${opts[@]}" --map=dev) ||
		smoke_fail "cannot recreate $ns with map=dev"
	name=$(sed -n "s/.*\"$key\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$out" | head -n1)
	[[ -n $name && -e /dev/$name ]] || smoke_fail "no device after ndctl: $out"
	DEV=/dev/$name
	smoke_log "$ns recreated with map=dev: $DEV"
}

# mkfs_warning WANT: mkfs.famfs warns that the struct pages are on the
# device, with the ndctl command that fixes it (WANT=yes), or says nothing
# of it (WANT=no).
mkfs_warning() {
	local out
	out=$("$(kmod_mkfs_bin)" -f "$DEV" 2>&1 >/dev/null) || smoke_fail "mkfs.famfs -f $DEV: $out"
	if [[ $1 == no ]]; then
		[[ $out != *map=dev* ]] || smoke_fail "mkfs.famfs warned of map=dev on a map=mem namespace: $out"
		return 0
	fi
	grep -q "struct pages on the device" <<<"$out" && grep -q "ndctl create-namespace -f -e namespace.* --map=mem" <<<"$out" ||
		smoke_fail "mkfs.famfs did not warn of map=dev with the fix: $out"
	smoke_log "mkfs.famfs warned: $(tr '\n' ' ' <<<"$out")"
}

guest_main() {
	local off
	kmod_tools
	mkfs_warning no
	recreate_map_dev
	mkfs_warning yes
	mkdir -p "$MNT"
	famfs_maptest mount "$DEV" "$MNT" "" EOPNOTSUPP ||
		smoke_fail "a namespace with map=dev must be refused"
	smoke_klog_has "struct pages live on the device.*--map=mem" ||
		smoke_fail "no kernel message naming map=dev and the fix"
	mount -t famfs -o single_host "$DEV" "$MNT" ||
		smoke_fail "mount -o single_host of a map=dev namespace failed"
	off=$(famfs-layout data "$MNT" 0)
	famfs_maptest create "$MNT/file" "$off" 16M || smoke_fail "map create"
	famfs_maptest rw "$MNT/file" 42 || smoke_fail "file I/O on a single-host mount"
	umount "$MNT" || smoke_fail "umount"
}
