# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_reconfig: the device is taken away or reconfigured under a mounted
# famfs, each case in a mount of its own: the namespace destroyed; the dax
# device reconfigured (devdax); the device unbound while a process reads a
# mapping of a file; unmount racing with an unbind. Each is either refused
# while famfs holds the device, or leaves a mount whose I/O fails cleanly
# (EIO, SIGBUS). After every case unmount and rmmod work, and the kernel
# does not complain.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
# The host builds the test programs when it reads these declarations.
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
TIMEOUT=1500

FILE=$MNT/f
RACES=4

# failures: how many times the kernel log said a mount entered its error state.
failures() {
	dmesg | grep -c "famfs: .*all I/O now fails" || true
}

# mount_with_file: mount, and a file of 8 MiB written and read back.
mount_with_file() {
	FAILURES=$(failures)
	kmod_mount
	famfs_maptest create "$FILE" "$(famfs-layout data "$MNT" 0)" 8M >/dev/null || smoke_fail "map create"
	famfs_maptest rw "$FILE" "$RANDOM" >/dev/null || smoke_fail "I/O before the case"
}

# still_works: a refusal left the mount as it was.
still_works() {
	famfs_maptest rw "$FILE" "$RANDOM" >/dev/null || smoke_fail "I/O after a refused $1"
}

# io_fails: the mount is in its error state.
io_fails() {
	famfs_maptest failed "$FILE" || smoke_fail "I/O after $1 did not fail with EIO"
	(($(failures) > FAILURES)) || smoke_fail "no error-state message after $1"
}

# case_done CASE: unmount, and the module unloads and loads again.
case_done() {
	umount "$MNT" || smoke_fail "umount after $1"
	rmmod famfs || smoke_fail "rmmod after $1"
	insmod "$SMOKE_MODULES_DIR/famfs.ko" || smoke_fail "insmod after $1"
	smoke_log "$1: unmount and rmmod work"
}

# refused WHAT CMD...: CMD must fail, saying the device is busy (EBUSY).
refused() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		smoke_fail "$what succeeded while famfs holds the device: $out"
	fi
	grep -q "Device or resource busy" <<<"$out" ||
		smoke_fail "$what failed, but not with EBUSY: $out"
	smoke_log "$what refused: $(tr '\n' ' ' <<<"$out")"
}

# namespace: the name of the namespace on the region (namespace0.0).
namespace() {
	ndctl list -N | sed -n 's/.*"dev":"\([^"]*\)".*/\1/p' | head -n1
}

# new_namespace: the namespace the harness makes, and a file system on it.
new_namespace() {
	smoke_create_namespace || smoke_fail "cannot create the namespace again"
	DEV=$(smoke_find_device) || smoke_fail "no device after creating the namespace again"
	kmod_mkfs
}

# (a) Destroying the namespace. pmem: ndctl's exclusive open of the block
# device, which famfs holds, fails with EBUSY, so the namespace stays until
# the unmount. devdax: nothing holds a character device open against
# removal, the namespace goes, and the mount fails its I/O.
case_destroy() {
	local ns
	ns=$(namespace)
	mount_with_file
	if [[ $DEV_MODE == pmem ]]; then
		refused "ndctl disable-namespace" ndctl disable-namespace "$ns"
		refused "ndctl destroy-namespace -f" ndctl destroy-namespace -f "$ns"
		still_works "destroy-namespace"
		case_done "destroy-namespace (refused)"
		ndctl destroy-namespace -f "$ns" >&2 || smoke_fail "destroy-namespace after the unmount"
	else
		ndctl destroy-namespace -f "$ns" >&2 || smoke_fail "destroy-namespace while mounted"
		io_fails "destroy-namespace"
		case_done "destroy-namespace"
	fi
	new_namespace
}

# (b) devdax only: the dax device reconfigured. Its align is fixed by the
# namespace (the attribute is read-only on a static region): daxctl fails
# and the mount goes on. System-ram mode unbinds device_dax and hands the
# memory to the page allocator: the mount fails its I/O.
case_reconfigure() {
	local dax=${DEV#/dev/}
	mount_with_file
	if daxctl reconfigure-device --align=2M "$dax" >&2; then
		smoke_fail "daxctl changed the align of a namespace's dax device"
	fi
	[[ $(cat "/sys/bus/dax/devices/$dax/align") == 4096 ]] || smoke_fail "align changed"
	still_works "align change"
	smoke_log "align change refused; the mount goes on"
	to_system_ram "$dax"
	io_fails "reconfiguring to system-ram"
	case_done "system-ram"
	back_to_devdax "$dax"
	kmod_mkfs
}

# daxctl loads kmem and device_dax through libkmod. famfs-dev has them
# built in but no /lib/modules to say so: there daxctl unbinds device_dax,
# then fails to load kmem, and the device is bound again through sysfs.
daxctl_loads() {
	[[ -d /lib/modules/$(uname -r) ]]
}

to_system_ram() {
	local online=/sys/devices/system/memory/auto_online_blocks
	if ! daxctl_loads; then
		if daxctl reconfigure-device --mode=system-ram "$1" >&2; then
			smoke_fail "daxctl reconfigured $1 without its modules"
		fi
		[[ ! -e /sys/bus/dax/devices/$1/driver ]] || smoke_fail "$1 still bound"
		return 0
	fi
	# daxctl onlines the memory itself (movable), so that it can be taken back
	ONLINE_POLICY=$(cat "$online")
	echo offline >"$online"
	daxctl reconfigure-device --mode=system-ram "$1" >&2 ||
		smoke_fail "daxctl reconfigure-device --mode=system-ram"
}

back_to_devdax() {
	if ! daxctl_loads; then
		echo "$1" >/sys/bus/dax/drivers/device_dax/bind || smoke_fail "cannot bind $1 again"
		return 0
	fi
	daxctl reconfigure-device --mode=devdax -f "$1" >&2 || smoke_fail "back to devdax mode"
	echo "$ONLINE_POLICY" >/sys/devices/system/memory/auto_online_blocks
}

# (c) The device unbound while a process reads a mapping of a file in a
# loop: the process gets SIGBUS from the mapping and EIO from read(2).
case_unbind_reader() {
	local ready=/tmp/reader-ready pid i
	mount_with_file
	rm -f "$ready"
	famfs_maptest hold "$FILE" "$ready" 120 >&2 &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		[[ ! -e $ready ]] || break
		kill -0 "$pid" 2>/dev/null || smoke_fail "the reader ended before the unbind"
		sleep 0.1
	done
	[[ -e $ready ]] || smoke_fail "the reader never got going"
	kmod_binding
	kmod_unbind || smoke_fail "cannot unbind $DEV"
	wait "$pid" || smoke_fail "the reader did not see both SIGBUS and EIO"
	io_fails "the unbind"
	case_done "unbind under a reader"
	kmod_rebind
}

# (d) Unmount and unbind at the same time, a few times, each with a fresh
# mount and the unbind a little later each time.
case_umount_race() {
	local r upid bpid
	kmod_binding
	for ((r = 0; r < RACES; r++)); do
		mount_with_file
		umount "$MNT" &
		upid=$!
		(sleep "0.0$r" && kmod_unbind) &
		bpid=$!
		wait "$upid" || smoke_fail "umount racing an unbind, round $r"
		wait "$bpid" || smoke_fail "unbind racing an umount, round $r"
		! mountpoint -q "$MNT" || smoke_fail "still mounted after round $r"
		kmod_rebind
	done
	rmmod famfs || smoke_fail "rmmod after the races"
	insmod "$SMOKE_MODULES_DIR/famfs.ko" || smoke_fail "insmod after the races"
	smoke_log "$RACES rounds of umount racing an unbind"
}

guest_main() {
	kmod_setup || return 0
	case_destroy
	case_unbind_reader
	case_umount_race
	[[ $DEV_MODE != devdax ]] || case_reconfigure
}
