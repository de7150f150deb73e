# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Wall time of each phase of a test run, for the table smoke/run prints at
# its end. FAMFS_PHASES names a file of "SECONDS<TAB>PHASE" lines; a caller
# (scripts/test) may start it with its own phases before running smoke/run.
# Sourced, not run.

# phases_start RUN_DIR: use the caller's file, or start one in RUN_DIR.
phases_start() {
	export FAMFS_PHASES=${FAMFS_PHASES:-$1/phases}
	PHASES_T0=$SECONDS
	touch "$FAMFS_PHASES"
}

# phase_record NAME SECONDS: one line, appended (cases record from
# background jobs; a short O_APPEND write is not interleaved).
phase_record() {
	[[ -n ${FAMFS_PHASES:-} ]] || return 0
	printf '%s\t%s\n' "$2" "$1" >>"$FAMFS_PHASES"
}

# phase_table: every recorded phase in order, then smoke/run's own wall
# time (cases run SMOKE_JOBS at a time, so their times add up to more).
phase_table() {
	[[ -s ${FAMFS_PHASES:-} ]] || return 0
	echo "wall time of each phase:"
	awk -F'\t' '{ printf "  %6ds  %s\n", $1, $2 }' "$FAMFS_PHASES"
	printf '  %6ds  %s\n' $((SECONDS - PHASES_T0)) "smoke/run in all"
}
