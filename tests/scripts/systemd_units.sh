#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# The systemd side: famfs-follow@.service and the mount unit systemd's fstab
# generator makes from the fstab line of docs/admin.md pass
# systemd-analyze verify; the unit runs the installed famfs; mount.famfs
# takes every option of that line. Skipped (77) without systemd-analyze.
# Argument: the CMake build directory.
set -euo pipefail

# shellcheck source=../helpers/script.sh
source "$(dirname "$0")/../helpers/script.sh"
build=${1:?usage: systemd_units.sh BUILD_DIR}
generator=/lib/systemd/system-generators/systemd-fstab-generator

if ! command -v systemd-analyze >/dev/null || [[ ! -x $generator ]]; then
	echo "SKIP: systemd-analyze or the fstab generator is missing (Debian package systemd)"
	exit 77
fi

# The tools as a package installs them, man pages included (verify reads
# the units' Documentation=).
DESTDIR=$work/root cmake --install "$build" --prefix /usr --component tools >/dev/null
unit=$work/root/usr/lib/systemd/system/famfs-follow@.service
[[ -f $unit ]] || { echo "FAIL: famfs-follow@.service is not installed" >&2; exit 1; }
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[[ $exec_start == "/usr/bin/famfs logplay --follow %f" ]] ||
	fail "ExecStart is '$exec_start'"
[[ -x $work/root/usr/bin/famfs ]] || fail "the unit runs /usr/bin/famfs, which the install lacks"

# verify wants ExecStart's program on this host: point it at the staged one.
mkdir "$work/units"
sed "s|/usr/bin/famfs|$work/root/usr/bin/famfs|" "$unit" >"$work/units/famfs-follow@.service"
ln -s famfs-follow@.service "$work/units/$(systemd-escape --path --template=famfs-follow@.service /mnt/famfs)"

grep -E '^/dev/[^ ]+ [^ ]+ famfs ' "$top/docs/admin.md" >"$work/fstab" ||
	fail "no famfs fstab line in docs/admin.md"
mkdir "$work/gen"
SYSTEMD_FSTAB=$work/fstab SYSTEMD_PROC_CMDLINE="" "$generator" "$work/gen" "$work/gen" "$work/gen" ||
	fail "the fstab generator failed"
cp "$work/gen/mnt-famfs.mount" "$work/units/" || fail "no mnt-famfs.mount from the fstab line"
grep -qx 'Type=famfs' "$work/units/mnt-famfs.mount" || fail "mnt-famfs.mount is not of type famfs"
grep -qx 'Requires=modprobe@famfs.service' "$work/units/mnt-famfs.mount" ||
	fail "mnt-famfs.mount does not require modprobe@famfs.service"

out=$(cd "$work/units" && MANPATH=$work/root/usr/share/man: systemd-analyze verify \
	famfs-follow@.service famfs-follow@mnt-famfs.service mnt-famfs.mount 2>&1) ||
	fail "systemd-analyze verify: $out"

while read -r _ _ _ opts _; do
	out=$("$build/mount.famfs" -o "$opts" 2>&1) || true
	[[ $out == *"usage: mount.famfs"* ]] || fail "mount.famfs -o $opts: $out"
done <"$work/fstab"

finish "systemd_units: famfs-follow@.service and the fstab mount unit verify"
