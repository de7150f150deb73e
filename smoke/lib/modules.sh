# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Out-of-tree modules built against a kernel under test. The sources are
# mirrored (Kbuild, kmod/ without the patch series, include/) into a
# per-kernel directory under $FAMFS_CACHE/modules/, so builds for different
# kernels never share objects and never write into the repo.
# Sourced, not run; needs lib/common.sh and lib/kernels.sh.

# Build products rsync must neither copy nor delete.
MODULE_PRODUCTS=('*.o' '*.ko' '*.mod' '*.mod.c' '.*.cmd' 'modules.order'
	'Module.symvers' '.tmp_versions' '*.build.log')

# module_mirror KERNEL: print the mirror directory for KERNEL (already
# resolved) and this checkout: checkouts that share the cache never build
# from each other's sources.
module_mirror() {
	echo "$FAMFS_CACHE/modules/$1-$(echo "$KERNEL_KDIR $FAMFS_TOP" | sha256sum | cut -c1-8)"
}

module_sync() {
	local mirror=$1 p
	local -a excl=()
	for p in "${MODULE_PRODUCTS[@]}"; do
		excl+=(--exclude="$p")
	done
	mkdir -p "$mirror/kmod" "$mirror/include" "$mirror/smoke-selftest"
	[[ ! -f $FAMFS_TOP/Kbuild ]] || cp -p "$FAMFS_TOP/Kbuild" "$mirror/Kbuild"
	[[ -f $FAMFS_TOP/Kbuild ]] || rm -f "$mirror/Kbuild"
	rsync -a --delete "${excl[@]}" --exclude=/patches "$FAMFS_TOP/kmod/" "$mirror/kmod/"
	rsync -a --delete "${excl[@]}" "$FAMFS_TOP/include/" "$mirror/include/"
	rsync -a --delete "${excl[@]}" "$SMOKE_DIR/selftest/" "$mirror/smoke-selftest/"
}

# module_make MIRROR SUBDIR: build the Kbuild in MIRROR/SUBDIR and print its .ko
# files; the make output goes to a log next to it.
module_make() {
	local dir=$1${2:+/$2} logf
	logf=$dir/module.build.log
	if ! make -C "$KERNEL_KDIR" M="$dir" -j2 modules >"$logf" 2>&1; then
		tail -n 20 "$logf" >&2
		log "module build in $dir failed, see $logf"
		return 1
	fi
	find "$dir" -maxdepth 1 -name '*.ko' | sort
}

# module_build KERNEL [SUBDIR]: build famfs.ko (no SUBDIR), a test
# module (kmod/tests/NAME) or a harness module (smoke-selftest/NAME) for
# KERNEL and print the .ko paths. Returns 2 when there is nothing to build.
module_build() {
	local kernel=$1 sub=${2:-} mirror
	kernel_resolve "$kernel"
	mirror=$(module_mirror "$kernel")
	with_lock "$mirror.lock" module_sync_make "$mirror" "$sub"
}

# module_sync_make MIRROR SUBDIR: both under one lock, so that a concurrent
# run cannot sync between them.
module_sync_make() {
	module_sync "$1"
	if [[ ! -f $1${2:+/$2}/Kbuild ]]; then
		log "no Kbuild in ${2:-the repo top}: nothing to build"
		return 2
	fi
	module_make "$1" "$2"
}

# module_tests: the test module directories (relative to the mirror).
module_tests() {
	local d
	for d in "$FAMFS_TOP"/kmod/tests/*/; do
		[[ -f $d/Kbuild ]] && echo "kmod/tests/$(basename "$d")"
	done
	return 0
}
