# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Failure detection in guest logs. Only kernel messages are looked at (lines
# with a printk timestamp, as on the console and in dmesg) plus the kmemleak
# report guest-main prints with a "kmemleak-report: " prefix, so scenario
# output cannot trip it. Sourced, not run.

# Messages that mean the kernel found a bug: anchored at the start of the
# message text...
SCAN_ANCHORED='^(WARNING:|BUG[: ]|INFO: |Oops|kernel BUG at|Kernel panic|general protection fault|UBSAN:|Call Trace:|unreferenced object 0x)'
# ... or anywhere in it (lockdep, KASAN, DEBUG_LIST, DEBUG_VM, watchdogs).
SCAN_ANYWHERE='possible circular locking|possible recursive locking|inconsistent lock state|BUG: KASAN|KASAN: |list_(add|del) corruption|page dumped because|detected stalls|blocked for more than|soft lockup|hard LOCKUP|refcount_t: '

# scan_logs FILE...: print "file: message" for each offending kernel message
# (each distinct message once); exit 0 if there was none.
scan_logs() {
	local f
	for f in "$@"; do
		[[ -f $f ]] || continue
		sed -n -e 's/^\[ *[0-9]*\.[0-9]*\] //p' -e 's/^kmemleak-report: //p' "$f" |
			tr -d '\r' | grep -E -e "$SCAN_ANCHORED" -e "$SCAN_ANYWHERE" |
			sed "s|^|$(basename "$f"): |" || true
	done | awk '{ msg = $0; sub(/^[^:]*: /, "", msg) } !seen[msg]++' | grep . && return 1
	return 0
}
