# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Functions a scenario may call inside a guest. Sourced by guest-main before
# the scenario; files under $SMOKE_SHARED are seen by every guest of the run.

# smoke_log MSG...: a line on the guest console, tagged with the guest name
# and the guest's uptime.
smoke_log() {
	local up
	read -r up _ </proc/uptime
	echo "[$GUEST_NAME ${up}s] $*"
}

# smoke_signal NAME [VALUE]: publish NAME (with an optional one-line VALUE)
# for the other guests. The rename makes it appear whole or not at all.
smoke_signal() {
	local dir=$SMOKE_SHARED/.signals
	mkdir -p "$dir"
	printf '%s\n' "${2:-}" >"$dir/.$1.$GUEST_NAME"
	mv -f "$dir/.$1.$GUEST_NAME" "$dir/$1"
}

# smoke_check_abort: fail if another guest of the run has already failed,
# rather than wait for it until the timeout.
smoke_check_abort() {
	local f=$SMOKE_SHARED/.signals/smoke-abort
	[[ ! -e $f ]] || smoke_fail "guest $(cat "$f") failed, giving up"
}

# smoke_wait NAME [SECONDS]: wait until NAME is signalled, then print its VALUE.
smoke_wait() {
	local f=$SMOKE_SHARED/.signals/$1 limit=$((SECONDS + ${2:-$SMOKE_TIMEOUT}))
	until [[ -e $f ]]; do
		smoke_check_abort
		if ((SECONDS >= limit)); then
			smoke_log "timed out waiting for signal '$1'" >&2
			return 1
		fi
		sleep 0.2
	done
	cat "$f"
}

# smoke_barrier NAME [SECONDS]: wait until every guest of the run reached NAME.
# Only meaningful when the guests run at the same time (START=parallel).
smoke_barrier() {
	local dir=$SMOKE_SHARED/.barriers/$1 limit=$((SECONDS + ${2:-$SMOKE_TIMEOUT})) n
	mkdir -p "$dir"
	touch "$dir/$GUEST_NAME"
	while :; do
		n=$(find "$dir" -mindepth 1 -maxdepth 1 | wc -l)
		((n >= GUEST_COUNT)) && return 0
		smoke_check_abort
		if ((SECONDS >= limit)); then
			smoke_log "timed out at barrier '$1' ($n of $GUEST_COUNT guests)" >&2
			return 1
		fi
		sleep 0.2
	done
}

# smoke_fail MSG...: stop the scenario with a message.
smoke_fail() {
	smoke_log "FAIL: $*" >&2
	exit 1
}

# smoke_power_off_arm: record now what smoke_power_off must leave for the
# host (the kernel log so far, status 0), so that the power-off itself can
# come within a moment of the event it must interrupt. The console, which
# the host also scans, still gets what the kernel prints after.
smoke_power_off_arm() {
	dmesg >"$SMOKE_OUT/dmesg"
	echo 0 >"$SMOKE_OUT/status"
	SMOKE_POWER_ARMED=1
}

# smoke_power_off: power the guest off at once, as a crash would: no unmount,
# no sync, every process stopped wherever it is. The status the host reads
# is recorded first, since the guest will not reach its own exit path.
smoke_power_off() {
	[[ -n ${SMOKE_POWER_ARMED:-} ]] || smoke_power_off_arm
	echo o >/proc/sysrq-trigger
	sleep 60
	smoke_fail "still running 60 s after the power-off"
}

# smoke_quietly CMD...: run CMD, showing its output only if it fails.
smoke_quietly() {
	local out
	out=$("$@" 2>&1) || {
		printf '%s\n' "$out"
		return 1
	}
}

# smoke_create_namespace: new labels, and one namespace of $DEV_MODE over
# each region (one per nvdimm: NVDIMMS), as the harness makes them before a
# scenario. map=mem keeps each guest's struct pages in its own RAM; map=dev
# would put every guest's memmap in the same shared bytes.
smoke_create_namespace() {
	local -a opts
	local r
	case $DEV_MODE in
	pmem) opts=(--mode=fsdax --map=mem) ;;
	devdax) opts=(--mode=devdax --map=mem --align=4K) ;;
	devdax2m) opts=(--mode=devdax --map=mem --align=2M) ;;
	*) smoke_fail "unknown device mode '$DEV_MODE'" ;;
	esac
	smoke_quietly ndctl disable-region all
	smoke_quietly ndctl init-labels -f all
	smoke_quietly ndctl enable-region all
	for ((r = 0; r < ${NVDIMMS:-1}; r++)); do
		smoke_quietly ndctl create-namespace -r "region$r" --size=1008M "${opts[@]}"
	done
}

# smoke_find_device [REGION]: print /dev/NAME of the block or char device
# of the namespace on REGION (default region0).
smoke_find_device() {
	local key=blockdev name
	[[ $DEV_MODE == pmem ]] || key=chardev
	name=$(ndctl list -N -r "${1:-region0}" | sed -n "s/.*\"$key\":\"\\([^\"]*\\)\".*/\\1/p" | head -n1)
	[[ -n $name && -e /dev/$name ]] || return 1
	echo "/dev/$name"
}

# smoke_klog_has PATTERN: the kernel log has a line matching PATTERN (grep
# basic regex). Not "dmesg | grep -q": grep would stop at the first match,
# dmesg die of SIGPIPE, and pipefail turn the match into a failure.
smoke_klog_has() {
	dmesg | grep -e "$1" >/dev/null
}
