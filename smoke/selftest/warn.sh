# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Harness self-test: one guest loads warn_test.ko, which WARNs at load. The
# run must then FAIL and show the warning (smoke/run --selftest checks that).
GUESTS=1
MODULES="warn_test"

guest_main() {
	smoke_log "warn_test loaded; the harness must report its WARNING"
}
