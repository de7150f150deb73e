# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# mh_master_crash: the master powers off in the middle of famfs cp -r.
# Host A copies a 400-file tree while client B follows the log; once the
# first batch of the copy is published, A is powered off abruptly. B must see a consistent
# prefix: every visible file complete, with its source checksum, and fsck
# clean. Then host A boots again (guest hostA2, with A's system UUID, on the
# same memory): its mount plays the log, fsck is clean, it is still the
# master and creates a file, which B, still following, sees.
GUESTS=3
NAMES="hostA hostB hostA2"
START=parallel
MODES=devdax
MODULES=famfs
TIMEOUT=1800
# The commands and the log protocol, the same on every kernel: one per run.
SPREAD=one
# shellcheck source=../../tests/vm/mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/mh/mh-lib.sh"
mh_host_build

# 400 files of 1 to 2 MiB: one 2 MiB unit each, so the tree fits on the
# device; more than one publish batch of famfs cp, and enough bytes after
# the first one that the power-off comes while cp is still copying.
CRASH_FILES=400
CRASH_SEED=7
# The file the master creates after its reboot.
AFTER_SIZE=$(((8 << 20) - 4096))

# The master: copy the tree and die in the middle.
guest_0() {
	local pid
	mh_setup
	mh_mkfs >/dev/null
	mh_mount >/dev/null
	smoke_signal crash-master-uuid "$(cat "$FAMFS_SYSTEM_UUID_FILE")"
	mhtool tree /tmp/src "$CRASH_FILES" "$CRASH_SEED" || smoke_fail "cannot make the source tree"
	mh_sums /tmp/src "$SMOKE_SHARED/sums-src"
	smoke_signal crash-fs-ready
	smoke_wait crash-following >/dev/null || smoke_fail "host B is not following"
	famfs cp -r /tmp/src "$MNT/" >/tmp/cp.log 2>&1 &
	pid=$!
	first_files
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid" || smoke_fail "famfs cp -r failed ($?): $(cat /tmp/cp.log)"
		smoke_fail "famfs cp -r ended before the power-off: copy more bytes"
	fi
	smoke_log "powering off in the middle of famfs cp -r"
	smoke_signal crash-powering-off
	smoke_power_off
}

# src_compare ROOT: every file under ROOT has its source checksum; prints
# how many there are.
src_compare() {
	local sums=/tmp/sums-$GUEST_NAME n bad
	mh_sums "$1" "$sums"
	n=$(wc -l <"$sums")
	bad=$(LC_ALL=C comm -23 <(LC_ALL=C sort "$sums") <(LC_ALL=C sort "$SMOKE_SHARED/sums-src"))
	if [[ -n $bad ]]; then
		head -n 10 <<<"$bad" >&2
		smoke_fail "files that are not complete copies of their source (above)"
	fi
	echo "$n"
}

# first_files: wait until a file of the copy is in the mount: the copy's
# first batch is published.
first_files() {
	local limit=$((SECONDS + 900))
	until [[ -n $(find "$MNT/src" -type f -print -quit 2>/dev/null) ]]; do
		((SECONDS < limit)) || smoke_fail "no file of the copy became visible"
		sleep 0.05
	done
}

# The client: follow, check what is visible after the crash, then see the
# rebooted master's new file.
guest_1() {
	local n list=/tmp/after.list
	mh_setup
	smoke_wait crash-fs-ready >/dev/null || smoke_fail "host A did not make the file system"
	mh_mount >/dev/null
	mh_follow_start /tmp/follow.log
	smoke_signal crash-following
	smoke_wait crash-powering-off >/dev/null || smoke_fail "host A did not power off"
	mh_log_settled
	n=$(src_compare "$MNT/src") || exit 1
	((n < CRASH_FILES)) || smoke_fail "all $n files are visible: the power-off came after the copy"
	smoke_log "after the master's power-off: $n of $CRASH_FILES files visible, each complete"
	mh_fsck "$DEV"
	smoke_signal crash-client-checked "$n"
	echo "1 after-reboot $AFTER_SIZE" >"$list"
	mh_watch "$list" seen-after 600 || smoke_fail "the rebooted master's file did not appear"
	famfs verify -S 99 "$MNT/after-reboot" >/dev/null || smoke_fail "after-reboot has wrong bytes"
	mh_follow_stop
	smoke_log "the rebooted master's new file appeared with its bytes"
	mh_umount
	smoke_signal crash-done
}

# Host A's next boot: same system UUID, same memory.
guest_2() {
	local n
	smoke_wait crash-master-uuid >/tmp/system-uuid || smoke_fail "host A did not say its UUID"
	export FAMFS_SYSTEM_UUID_FILE=/tmp/system-uuid
	mh_setup
	n=$(smoke_wait crash-client-checked) || smoke_fail "host B did not check the prefix"
	mh_mount >/dev/null
	[[ $(src_compare "$MNT/src") == "$n" ]] || smoke_fail "the rebooted master does not see the $n files host B sees"
	mh_fsck "$DEV"
	famfs fsck "$DEV" | grep -q '^role: *master' || smoke_fail "host A is no longer the master"
	famfs creat -s "$AFTER_SIZE" --random 99 "$MNT/after-reboot" >/dev/null ||
		smoke_fail "the rebooted master cannot create a file"
	smoke_log "rebooted master: $n files, fsck clean, created after-reboot"
	smoke_wait crash-done >/dev/null || smoke_fail "host B did not finish"
	mh_fsck "$DEV"
	mh_umount
}
