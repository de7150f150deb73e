# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# pkg_install: the Debian packages as an administrator uses them. The host
# builds famfs-tools and famfs-dkms (scripts/package) when it reads this
# file; the guest installs both with dpkg into an overlay of the host root
# (a tmpfs upper layer, so dpkg and DKMS can write), where DKMS builds
# famfs.ko for the guest's stock kernel. Then, with the installed files
# only: modprobe famfs, mkfs.famfs, mount -t famfs with generic options,
# famfs cp -r of a tree, remount, the same checksums, famfs fsck and check;
# man famfs renders, the bash completion completes a subcommand and a
# mount point, and systemd-analyze verify passes on the unit.
GUESTS=1
# On debian-6.1 DKMS also builds for the newest installed kernel (6.12),
# which doubles the slowest step (10-15 minutes under TCG): 6.12 only.
KERNELS="debian-6.12"
MODES="devdax pmem"
# famfs.ko comes from the package, through DKMS and modprobe.
MODULES=""
# DKMS compiles the module in the guest, under TCG when there is no KVM.
TIMEOUT=2400
# Packaging and the commands, the same on every kernel: one per run.
SPREAD=one

# cli_sums checks the bytes, from outside the overlay root.
# shellcheck source=../../tests/vm/cli/cli-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/cli/cli-lib.sh"

PKG_DIR=${FAMFS_BUILD:-${FAMFS_HOST_BUILD:-}}/packages
ROOT=/tmp/pkgroot

# On the host, when the harness reads the declarations: build the packages.
if [[ -z ${GUEST_NAME:-} ]]; then
	"${FAMFS_TOP:?}/scripts/package" --build "$FAMFS_HOST_BUILD" --out "$PKG_DIR" >&2
fi

# in_root CMD...: run CMD in the overlay root, with a plain environment:
# only what the packages installed is on PATH.
in_root() {
	chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		TERM=dumb DEBIAN_FRONTEND=noninteractive "$@"
}

# step NAME CMD...: run CMD, fail the scenario naming NAME, log its time.
step() {
	local name=$1 start=$SECONDS
	shift
	"$@" || smoke_fail "$name failed"
	smoke_log "$name: $((SECONDS - start))s"
}

# make_root: the host root, read-only, under a tmpfs upper layer, with the
# guest's proc, sys, dev and fresh tmpfs where programs write.
make_root() {
	local d
	modprobe overlay || return 1
	mkdir -p /tmp/ovl/upper /tmp/ovl/work "$ROOT"
	mount -t overlay overlay -o lowerdir=/,upperdir=/tmp/ovl/upper,workdir=/tmp/ovl/work "$ROOT" ||
		return 1
	mount -t proc proc "$ROOT/proc"
	mount --rbind /sys "$ROOT/sys"
	mount --rbind /dev "$ROOT/dev"
	for d in tmp run mnt var/tmp root; do
		mount -t tmpfs -o mode=1777 tmpfs "$ROOT/$d"
	done
	mkdir -p "$ROOT/root/pkgs" "$ROOT$MNT"
	cp "$PKG_DIR"/famfs-tools_*.deb "$PKG_DIR"/famfs-dkms_*.deb "$ROOT/root/pkgs/"
	# The man-db trigger would re-index every page on the host: not our test.
	rm -f "$ROOT/var/lib/man-db/auto-update"
}

# install_packages: dpkg -i; famfs-dkms's postinst runs DKMS. Its output
# goes to the console as it comes: the DKMS build is the long part.
install_packages() {
	in_root sh -c 'dpkg -i /root/pkgs/*.deb' 2>&1 | sed 's/^/dpkg: /'
}

# check_installed: the programs on PATH are the package's, and DKMS put
# famfs.ko where modprobe finds it.
check_installed() {
	local f ko
	for f in /usr/bin/famfs /usr/sbin/mkfs.famfs /sbin/mount.famfs; do
		in_root dpkg -S "$f" | grep -q '^famfs-tools: ' || { echo "$f: not from famfs-tools"; return 1; }
	done
	[[ $(in_root sh -c 'command -v famfs') == /usr/bin/famfs ]] || return 1
	ko=$(in_root modinfo -n famfs) || return 1
	[[ $ko == */updates/dkms/famfs.ko* ]] || { echo "famfs.ko is $ko"; return 1; }
	smoke_log "DKMS installed $ko"
}

load_module() {
	in_root modprobe famfs || return 1
	grep -q '^libcrc32c ' /proc/modules && grep -q '^famfs ' /proc/modules
}

# make_tree: the module source, the famfs man pages and two programs (one
# of several 2 MiB units), links followed: famfs holds files and directories.
make_tree() {
	in_root sh -c 'mkdir -p /tmp/tree/man && cp -rL /usr/src/famfs-* /usr/bin/famfs /usr/bin/python3 /tmp/tree/ &&
		cp -L /usr/share/man/man*/*famfs* /tmp/tree/man/'
}

# mount_with_flags: a new famfs, mounted by mount(8) through mount.famfs
# with generic options, which must become the mount's flags.
mount_with_flags() {
	in_root mkfs.famfs -f "$DEV" >/dev/null &&
		in_root mount -t famfs -o noatime,nosuid,nodev "$DEV" "$MNT" &&
		in_root grep " $MNT famfs " /proc/self/mounts | grep -q ' rw,nosuid,nodev,noatime '
}

# copy_and_remount: famfs cp -r, then the same bytes after a remount (the
# checksums are the harness's), and fsck and check are clean.
copy_and_remount() {
	in_root famfs cp -r /tmp/tree "$MNT/" &&
		cli_sums "$ROOT/tmp/tree" /tmp/sums.src &&
		in_root umount "$MNT" &&
		in_root mount -t famfs "$DEV" "$MNT" &&
		cli_sums "$ROOT$MNT/tree" /tmp/sums.famfs &&
		cmp /tmp/sums.src /tmp/sums.famfs &&
		in_root famfs fsck "$MNT" >/dev/null &&
		in_root famfs check "$MNT" >/dev/null &&
		smoke_log "$(wc -l </tmp/sums.src) files back after remount, fsck and check clean"
}

check_man() {
	in_root sh -c 'MANWIDTH=80 man famfs' | grep -q 'famfs - manage famfs shared-memory file systems' &&
		in_root sh -c 'MANWIDTH=80 man 5 famfs' | grep -q 'the famfs on-media format' &&
		in_root sh -c 'MANWIDTH=80 man mount.famfs' | grep -q 'x-systemd.requires'
}

check_completion() {
	# shellcheck disable=SC2016
	in_root bash -c '
		source /usr/share/bash-completion/completions/famfs
		COMP_WORDS=(famfs logp) COMP_CWORD=1
		_famfs
		[[ ${COMPREPLY[*]} == logplay ]] || exit 1
		COMP_WORDS=(famfs logplay /mnt/fa) COMP_CWORD=2
		_famfs
		[[ ${COMPREPLY[*]} == /mnt/famfs ]]'
}

check_units() {
	in_root systemd-analyze verify /usr/lib/systemd/system/famfs-follow@.service
}

guest_main() {
	step "overlay root" make_root
	step "dpkg -i famfs-tools famfs-dkms (DKMS build)" install_packages
	step "installed files" check_installed
	step "modprobe famfs" load_module
	step "a tree to copy" make_tree
	step "mkfs.famfs, mount -t famfs -o noatime,nosuid,nodev" mount_with_flags
	step "famfs cp -r, remount, same checksums, fsck, check" copy_and_remount
	step "man pages" check_man
	step "bash completion" check_completion
	step "systemd-analyze verify" check_units
	in_root umount "$MNT" || smoke_fail "final umount failed"
	rmmod famfs || smoke_fail "rmmod famfs failed"
}
