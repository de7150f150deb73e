# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# kmod_remount: mount, use, unmount, rmmod, insmod, again; then, where the
# kernel has kmemleak, no leaked object may point into famfs.
GUESTS=1
MODES="pmem devdax"
MODULES=famfs
# The host builds the test programs when it reads these declarations.
# shellcheck source=../../tests/vm/kmod-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/kmod-lib.sh"
kmod_host_build "${BASH_SOURCE[0]%/*}/../.."
TIMEOUT=900

KMEMLEAK=/sys/kernel/debug/kmemleak

one_round() {
	kmod_mount
	mkdir "$MNT/dir"
	famfs_maptest create "$MNT/dir/f" "$(famfs-layout data "$MNT" "$1")" 8M ||
		smoke_fail "map create, round $1"
	famfs_maptest rw "$MNT/dir/f" "$1" >/dev/null || smoke_fail "I/O, round $1"
	famfs_maptest pmd "$MNT/dir/f" >/dev/null || smoke_fail "faults, round $1"
	umount "$MNT" || smoke_fail "umount, round $1"
}

# Leaks are reported with backtraces; famfs frames name the module.
check_leaks() {
	[[ -w $KMEMLEAK ]] || { smoke_log "no kmemleak in this kernel"; return 0; }
	echo scan >"$KMEMLEAK"
	sleep 6
	echo scan >"$KMEMLEAK"
	if grep -q famfs "$KMEMLEAK"; then
		cat "$KMEMLEAK" >&2
		smoke_fail "kmemleak reports famfs objects"
	fi
	smoke_log "kmemleak: no famfs leaks"
}

guest_main() {
	local i
	kmod_setup || return 0
	for i in 0 1 2 3 4; do
		one_round "$((i * 4))"
		if ((i < 4)); then
			rmmod famfs || smoke_fail "rmmod, round $i"
			insmod "$SMOKE_MODULES_DIR/famfs.ko" || smoke_fail "insmod, round $i"
		fi
	done
	check_leaks
	smoke_log "5 rounds of mount, I/O, unmount, rmmod, insmod"
}
