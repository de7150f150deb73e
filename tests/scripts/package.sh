#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# scripts/package on this build: both packages carry the version of
# CMakeLists.txt, the control fields and maintainer scripts DKMS packages
# need, and the files each must hold (and not more of the kernel tree).
# Argument: the CMake build directory.
set -euo pipefail

# shellcheck source=../helpers/script.sh
source "$(dirname "$0")/../helpers/script.sh"
build=${1:?usage: package.sh BUILD_DIR}

# has_file DEB PATH: the package holds ./PATH.
has_file() {
	dpkg-deb -c "$1" | awk '{ print $6 }' | grep -qxF "./$2" || fail "${1##*/} lacks /$2"
}

lacks_file() {
	! dpkg-deb -c "$1" | awk '{ print $6 }' | grep -q "^\./$2" || fail "${1##*/} holds /$2"
}

field_is() {
	local got
	got=$(dpkg-deb -f "$1" "$2")
	[[ $got == "$3" ]] || fail "${1##*/}: $2 is '$got', not '$3'"
}

version=$(sed -n 's/^project(famfs VERSION \([0-9.]*\).*/\1/p' "$top/CMakeLists.txt")
[[ -n $version ]] || fail "no project VERSION in CMakeLists.txt"
"$top/scripts/package" --build "$build" --out "$work" >"$work/list" || fail "scripts/package failed"
tools=$work/famfs-tools_${version}_$(dpkg --print-architecture).deb
dkms=$work/famfs-dkms_${version}_all.deb
[[ -f $tools && -f $dkms ]] || { echo "FAIL: no packages: $(cat "$work/list")" >&2; exit 1; }

field_is "$tools" Version "$version"
field_is "$dkms" Version "$version"
field_is "$dkms" Architecture all
field_is "$dkms" Depends dkms
[[ $(dpkg-deb -f "$tools" Depends) == *libuuid1*libyaml* ]] ||
	fail "famfs-tools Depends lacks the shared libraries: $(dpkg-deb -f "$tools" Depends)"
for f in usr/bin/famfs usr/sbin/mkfs.famfs sbin/mount.famfs sbin/umount.famfs \
	usr/share/doc/famfs-tools/copyright usr/share/man/man8/famfs.8 usr/share/man/man8/mkfs.famfs.8 \
	usr/share/man/man8/mount.famfs.8 usr/share/man/man8/umount.famfs.8 \
	usr/share/man/man5/famfs.5 usr/lib/systemd/system/famfs-follow@.service \
	usr/lib/udev/rules.d/60-famfs-dax.rules usr/share/bash-completion/completions/famfs \
	usr/share/bash-completion/completions/mkfs.famfs usr/share/bash-completion/completions/mount.famfs; do
	has_file "$tools" "$f"
done
src=usr/src/famfs-$version
for f in Kbuild dkms.conf kmod/super.c kmod/compat.h include/famfs/format.h include/uapi/famfs_ioctl.h; do
	has_file "$dkms" "$src/$f"
done
lacks_file "$dkms" "$src/kmod/patches"
lacks_file "$dkms" "$src/kmod/tests"

dpkg-deb -x "$tools" "$work/tools"
"$work/tools/usr/bin/famfs" --version | grep -qF "famfs $version " ||
	fail "famfs --version does not print $version"
dpkg-deb -x "$dkms" "$work/dkms"
grep -qx "PACKAGE_VERSION=\"$version\"" "$work/dkms/$src/dkms.conf" ||
	fail "dkms.conf does not name version $version"
dpkg-deb -e "$dkms" "$work/dkms-control"
grep -q "common.postinst famfs $version " "$work/dkms-control/postinst" ||
	fail "postinst does not run DKMS's common.postinst for famfs $version"
grep -q "dkms remove -m famfs -v $version --all" "$work/dkms-control/prerm" ||
	fail "prerm does not remove the DKMS module"
for s in postinst prerm; do
	[[ -x $work/dkms-control/$s ]] || fail "$s is not executable"
	sh -n "$work/dkms-control/$s" || fail "$s is not valid sh"
done

finish "package: famfs-tools and famfs-dkms $version as expected"
