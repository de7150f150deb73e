# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The guest initramfs: static busybox, guest/init, and for a modular kernel
# the modules needed to reach the host root (virtio, 9p) and the nvdimm, in
# load order. Cached per kernel release under $FAMFS_CACHE/initramfs/.
# Sourced, not run; needs lib/common.sh.

# Modules the guest loads at boot, dependencies resolved by modprobe.
INITRAMFS_MODULES=(virtio_pci 9pnet_virtio 9p libnvdimm nfit nd_pmem nd_btt
	dax_pmem device_dax crc32c libcrc32c)

# module_paths MODDIR: the .ko files of INITRAMFS_MODULES and their
# dependencies, in load order, each once.
module_paths() {
	local rel
	rel=$(basename "$1")
	modprobe --ignore-install --show-depends -S "$rel" -a "${INITRAMFS_MODULES[@]}" |
		awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

# copy_module SRC DEST: copy a module, uncompressed so busybox insmod loads it.
copy_module() {
	case $1 in
	*.ko.xz) xz -dc "$1" >"$2" ;;
	*.ko.zst) zstd -qdc "$1" >"$2" ;;
	*.ko.gz) gzip -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

initramfs_populate() {
	local root=$1 moddir=$2 ko name
	mkdir -p "$root"/{bin,dev,proc,sys,host,etc,lib/modules}
	cp /bin/busybox "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	install -m 755 "$SMOKE_DIR/guest/init" "$root/init"
	[[ -n $moddir ]] || return 0
	: >"$root/etc/smoke-modules"
	while read -r ko; do
		name=$(basename "$ko")
		name=${name%%.ko*}.ko
		copy_module "$ko" "$root/lib/modules/$name"
		echo "$name" >>"$root/etc/smoke-modules"
	done < <(module_paths "$moddir")
}

initramfs_create() {
	local out=$1 moddir=$2 root
	[[ -s $out ]] && return 0
	root=$(mktemp -d)
	initramfs_populate "$root" "$moddir"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$root"
}

# initramfs_build MODDIR: print the path of the initramfs for a kernel whose
# modules are in MODDIR ("" for a kernel with everything built in).
initramfs_build() {
	local moddir=$1 key out
	key=$({
		echo "$moddir"
		[[ -z $moddir ]] || stat -c %Y "$moddir/modules.dep"
		sha256sum <"$SMOKE_DIR/guest/init"
		sha256sum </bin/busybox
		echo "${INITRAMFS_MODULES[*]}"
	} | sha256sum | cut -c1-16)
	out=$FAMFS_CACHE/initramfs/$key.cpio.gz
	mkdir -p "$(dirname "$out")"
	with_lock "$out.lock" initramfs_create "$out" "$moddir"
	echo "$out"
}
