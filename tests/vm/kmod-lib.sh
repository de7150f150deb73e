# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared steps of the smoke/scenarios/kmod_*.sh scenarios (run in a guest,
# with $DEV, $DEV_MODE, $FAMFS_SRC and the smoke guest API).

MNT=/mnt/famfs
# shellcheck source=host-bin.sh
source "${BASH_SOURCE[0]%/*}/host-bin.sh"
KMOD_HOST_BIN=$(vm_host_bin tests-vm)

# kmod_host_build DIR: build the test programs on the host (compiling in a
# TCG guest is slow), when the harness reads a scenario's declarations.
kmod_host_build() {
	[[ -z ${GUEST_NAME:-} ]] || return 0
	make -s -C "$1/tests/vm" O="$KMOD_HOST_BIN" >&2
}

# kmod_tools: put the test programs in PATH, building them if the host did not.
kmod_tools() {
	KMOD_BIN=$KMOD_HOST_BIN
	if [[ ! -x $KMOD_BIN/famfs_maptest || ! -x $KMOD_BIN/famfs_devtool ||
		! -x $KMOD_BIN/famfs_trusttest || ! -x $KMOD_BIN/famfs_stress ||
		! -x $KMOD_BIN/famfs_releasetest || ! -x $KMOD_BIN/famfs_membertest ]]; then
		KMOD_BIN=/tmp/famfs-vm-bin
		make -s -C "$FAMFS_SRC/tests/vm" O="$KMOD_BIN" >&2 ||
			smoke_fail "cannot build tests/vm"
	fi
	PATH=$KMOD_BIN:$PATH
}

# kmod_mkfs_bin: mkfs.famfs, installed or as built.
kmod_mkfs_bin() {
	command -v mkfs.famfs || echo "${FAMFS_BUILD:-$FAMFS_SRC/build}/mkfs.famfs"
}

# kmod_mkfs: a fresh file system on $DEV, by mkfs.famfs when it is built.
kmod_mkfs() {
	local mkfs
	mkfs=$(kmod_mkfs_bin)
	if [[ -x $mkfs ]] && "$mkfs" -f "$DEV" >&2; then
		smoke_log "mkfs.famfs -f $DEV"
	else
		famfs_devtool mkfs "$DEV" >&2 || smoke_fail "cannot write a superblock"
		smoke_log "superblock written by famfs_devtool"
	fi
}

kmod_mount() {
	mkdir -p "$MNT"
	mount -t famfs "$DEV" "$MNT" || smoke_fail "mount -t famfs $DEV failed"
}

# kmod_binding: which device $DEV's driver binds, and that driver's sysfs
# directory, in KMOD_BOUND_DEV and KMOD_BOUND_DRV, for kmod_unbind and
# kmod_rebind (the device node is gone while the device is unbound).
kmod_binding() {
	local dev
	if [[ $DEV_MODE == pmem ]]; then
		dev=$(readlink -f "/sys/block/${DEV#/dev/}/device")
	else
		dev=/sys/bus/dax/devices/${DEV#/dev/}
	fi
	KMOD_BOUND_DEV=$(basename "$dev")
	KMOD_BOUND_DRV=$(readlink -f "$dev/driver")
}

# kmod_unbind: detach the device from its driver, as device removal does.
kmod_unbind() {
	smoke_log "unbinding $KMOD_BOUND_DEV from $KMOD_BOUND_DRV"
	echo "$KMOD_BOUND_DEV" >"$KMOD_BOUND_DRV/unbind"
}

# kmod_rebind: bind it again and wait for its node.
kmod_rebind() {
	local i
	echo "$KMOD_BOUND_DEV" >"$KMOD_BOUND_DRV/bind"
	for ((i = 0; i < 100; i++)); do
		[[ -e $DEV ]] && return 0
		sleep 0.1
	done
	smoke_fail "$DEV did not come back after binding $KMOD_BOUND_DEV"
}

# kmod_setup: tools and mkfs. In devdax2m mode (compound pages), prove
# that the mount is refused with EOPNOTSUPP and a reconfiguration hint,
# then return 1: the scenario has nothing more to run in that mode.
kmod_setup() {
	kmod_tools
	kmod_mkfs
	[[ $DEV_MODE == devdax2m ]] || return 0
	mkdir -p "$MNT"
	famfs_maptest mount "$DEV" "$MNT" "" EOPNOTSUPP ||
		smoke_fail "a devdax device with 2 MiB alignment must be refused"
	smoke_klog_has "compound pages; reconfigure it with align 4K" ||
		smoke_fail "no reconfiguration hint in the kernel log"
	smoke_log "devdax align 2M refused as designed (compound pages)"
	return 1
}

# kprobe_hits FUNC CMD...: run CMD (its output to stderr) with a kprobe on
# the kernel function FUNC; print how many times CMD's own task ran FUNC
# meanwhile, or "none" where the kernel has no kprobes. CMD's exit status.
kprobe_hits() {
	local func=$1 t=/sys/kernel/tracing ev=famfs_$1 comm rc=0
	shift
	comm=$(basename "$1" | cut -c1-15)
	mountpoint -q "$t" || mount -t tracefs tracefs "$t" 2>/dev/null || true
	if [[ ! -w $t/kprobe_events ]]; then
		"$@" >&2 || rc=$?
		echo none
		return "$rc"
	fi
	echo "p:$ev $func" >>"$t/kprobe_events"
	echo 1 >"$t/events/kprobes/$ev/enable"
	: >"$t/trace"
	"$@" >&2 || rc=$?
	echo 0 >"$t/events/kprobes/$ev/enable"
	grep -c "^ *$comm-[0-9]* .* $ev:" "$t/trace" || true
	echo "-:$ev" >>"$t/kprobe_events"
	return "$rc"
}
