# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_stress: famfs_stress throws random valid and invalid operations at a
# mounted famfs from four threads, two of which also fork children that run
# as nobody. No guarantee of docs/kmod.md may break, and the kernel may not
# complain. Then unmount, rmmod, insmod and mount again: the files whose
# bytes the stress tracked are mapped again and must hold the same bytes.
GUESTS=1
MODES="pmem devdax"
# The debug kernel with KASAN (and lockdep, DEBUG_VM, kmemleak) is where
# random operations find what a stock kernel never reports; kmod_trust
# checks the same guarantees on the stock kernels and famfs-dev.
KERNELS="famfs-kasan"
# Under KASAN a case costs four minutes of CI: one mode per run, the other
# the next day (smoke/run --full runs both).
SPREAD=one
MODULES=famfs
# The host builds the test programs when it reads these declarations.
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
# The stress runs FAMFS_STRESS_SECONDS (set on the host, 60 by default).
# TIMEOUT carries it into the guest, on top of a margin for the boot, the
# setup, the checks and the remount.
KMOD_STRESS_MARGIN=900
TIMEOUT=$((${FAMFS_STRESS_SECONDS:-60} + KMOD_STRESS_MARGIN))

guest_main() {
	local seconds=$((SMOKE_TIMEOUT - KMOD_STRESS_MARGIN)) files=/tmp/stress-files
	kmod_setup || return 0
	kmod_mount
	famfs_stress --seconds "$seconds" --save "$files" "$MNT" ||
		smoke_fail "famfs_stress: a broken guarantee (above; replay with its seed)"
	umount "$MNT" || smoke_fail "umount after the stress"
	rmmod famfs || smoke_fail "rmmod after the stress"
	insmod "$SMOKE_MODULES_DIR/famfs.ko" || smoke_fail "insmod"
	kmod_mount
	famfs_stress --check "$files" "$MNT" || smoke_fail "bytes changed across the remount"
	umount "$MNT" || smoke_fail "umount after the check"
}
