# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Kernels under test, by name. kernel_resolve NAME sets:
#   KERNEL_IMAGE    bzImage/vmlinuz to boot
#   KERNEL_KDIR     tree to build external modules against
#   KERNEL_MODDIR   /lib/modules/VERSION whose modules the guest loads ("" if
#                   everything is built in)
# Sourced, not run; needs lib/common.sh.

# A scenario runs on KERNEL_DEFAULT unless it names its kernels. famfs-kasan
# is famfs-dev with KASAN, whose cost under TCG only a few scenarios pay.
KERNEL_DEFAULT=(debian-6.1 debian-6.12 famfs-dev)
KERNEL_NAMES=("${KERNEL_DEFAULT[@]}" famfs-kasan)
# Bump when the famfs-dev build recipe changes in a way the hash cannot see.
FAMFS_DEV_RECIPE=1

# debian_release SERIES: newest installed Debian amd64 kernel of SERIES (6.1, 6.12).
debian_release() {
	local series=$1 img
	img=$(find /boot -maxdepth 1 -name "vmlinuz-$series.*-amd64" -printf '%f\n' | sort -V | tail -n1)
	[[ -n $img ]] || die "no /boot/vmlinuz-$series.*-amd64: run scripts/install-deps"
	echo "${img#vmlinuz-}"
}

resolve_debian() {
	local rel
	rel=$(debian_release "$1")
	KERNEL_IMAGE=/boot/vmlinuz-$rel
	KERNEL_MODDIR=/lib/modules/$rel
	KERNEL_KDIR=$KERNEL_MODDIR/build
	[[ -r $KERNEL_IMAGE ]] || die "$KERNEL_IMAGE is not readable"
	[[ -d $KERNEL_MODDIR/kernel ]] || die "no modules in $KERNEL_MODDIR"
}

famfs_dev_tarball() {
	local t
	t=$(find /usr/src -maxdepth 1 -name 'linux-source-6.12.tar.*' | sort | tail -n1)
	[[ -n $t ]] || die "no /usr/src/linux-source-6.12.tar.*: run scripts/install-deps"
	echo "$t"
}

famfs_dev_patches() {
	find "$FAMFS_TOP/kmod/patches" -maxdepth 1 -name '*.patch' 2>/dev/null | LC_ALL=C sort
}

# famfs_dev_fragments NAME: the config fragments of a famfs-dev kernel, in
# the order they are merged: famfs-dev's, then the variant's own.
famfs_dev_fragments() {
	echo "$SMOKE_DIR/kernels/famfs-dev.config"
	[[ $1 == famfs-dev ]] || echo "$SMOKE_DIR/kernels/$1.config"
}

# famfs_dev_hash NAME: what the cached build depends on: source, fragments,
# patches.
famfs_dev_hash() {
	local p f
	{
		echo "recipe $FAMFS_DEV_RECIPE"
		sha256sum <"$(famfs_dev_tarball)"
		while read -r f; do
			echo "fragment $(basename "$f")"
			sha256sum <"$f"
		done < <(famfs_dev_fragments "$1")
		while read -r p; do
			echo "patch $(basename "$p")"
			sha256sum <"$p"
		done < <(famfs_dev_patches)
	} | sha256sum | cut -c1-16
}

# famfs_dev_configure SRC NAME: tinyconfig + fragments (+ DEV_DAX_IOMAP if
# the patches add it), then check that every option asked for took effect
# (a later fragment's value wins).
famfs_dev_configure() {
	local src=$1 frag=$1/famfs-dev.fragment opt want got bad=0
	local -a frags
	mapfile -t frags < <(famfs_dev_fragments "$2")
	cat "${frags[@]}" >"$frag"
	if grep -qs '^config DEV_DAX_IOMAP$' "$src/drivers/dax/Kconfig"; then
		echo "CONFIG_DEV_DAX_IOMAP=y" >>"$frag"
	fi
	make -C "$src" -s tinyconfig
	(cd "$src" && scripts/kconfig/merge_config.sh -m -O . .config famfs-dev.fragment >/dev/null)
	make -C "$src" -s olddefconfig
	while IFS='=' read -r opt want; do
		got=$(grep -E "^$opt=|^# $opt is not set" "$src/.config" || true)
		case $want in
		n) [[ -z $got || $got == "# $opt is not set" ]] || { log "$opt: wanted n, got $got"; bad=1; } ;;
		*) [[ $got == "$opt=$want" ]] || { log "$opt: wanted $want, got ${got:-unset}"; bad=1; } ;;
		esac
	done < <(grep -E '^CONFIG_' "$frag" | tac | sort -u -t= -k1,1)
	return "$bad"
}

# famfs_dev_build_in DIR NAME
famfs_dev_build_in() {
	local dir=$1 src=$1/src p
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -xf "$(famfs_dev_tarball)" -C "$dir"
	mv "$dir"/linux-source-6.12 "$src"
	while read -r p; do
		log "applying $(basename "$p")"
		patch -p1 -d "$src" --batch --forward -s <"$p"
	done < <(famfs_dev_patches)
	famfs_dev_configure "$src" "$2"
	make -C "$src" -j2 bzImage modules
	make -C "$src" -j2 modules_prepare
	touch "$dir/done"
}

# famfs_dev_build DIR NAME: build kernel NAME into DIR unless a finished
# build is there.
famfs_dev_build() {
	local dir=$1 name=$2 logf=$1.log start
	[[ -e $dir/done ]] && return 0
	start=$SECONDS
	log "building $name kernel in $dir (log: $logf), 5-10 minutes"
	if ! famfs_dev_build_in "$dir" "$name" >"$logf" 2>&1; then
		tail -n 30 "$logf" >&2
		die "$name kernel build failed, see $logf"
	fi
	log "$name kernel built in $((SECONDS - start))s"
	phase_record "$name kernel build" $((SECONDS - start))
}

# resolve_famfs_dev NAME: famfs-dev or one of its variants.
resolve_famfs_dev() {
	local name=$1 dir
	dir=$FAMFS_CACHE/kernels/$(famfs_dev_hash "$name")
	if [[ ${FAMFS_REBUILD_KERNEL:-0} == 1 && -z ${FAMFS_REBUILT_KERNEL:-} ]]; then
		rm -rf "$dir"
		FAMFS_REBUILT_KERNEL=1
	fi
	with_lock "$FAMFS_CACHE/kernels/.build.lock" famfs_dev_build "$dir" "$name"
	KERNEL_IMAGE=$dir/src/arch/x86/boot/bzImage
	KERNEL_KDIR=$dir/src
	KERNEL_MODDIR=
}

# kernel_resolve NAME: set KERNEL_IMAGE, KERNEL_KDIR and KERNEL_MODDIR.
kernel_resolve() {
	case $1 in
	debian-6.1) resolve_debian 6.1 ;;
	debian-6.12) resolve_debian 6.12 ;;
	famfs-dev | famfs-kasan) resolve_famfs_dev "$1" ;;
	*) die "unknown kernel '$1' (known: ${KERNEL_NAMES[*]})" ;;
	esac
}
