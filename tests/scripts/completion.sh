#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# The bash completion as bash drives it: COMP_WORDS and COMP_CWORD set, the
# function called, COMPREPLY checked. Commands, options (from this build's
# programs), famfs mount points and devices.
# Argument: the CMake build directory.
set -uo pipefail

# shellcheck source=../helpers/script.sh
source "$(dirname "$0")/../helpers/script.sh"
build=${1:?usage: completion.sh BUILD_DIR}
PATH=$build:$PATH

# shellcheck source=../../dist/bash-completion/famfs
source "$top/dist/bash-completion/famfs"
[[ $(complete -p famfs mkfs.famfs mount.famfs 2>&1) == *"-F _famfs famfs"* ]] ||
	fail "famfs is not registered"

# complete_line FUNCTION WORD...: complete the last word; the candidates in $got.
complete_line() {
	local fn=$1
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	"$fn"
	got=" ${COMPREPLY[*]} "
}

expect() {
	[[ $got == *" $1 "* ]] || fail "$2: '$1' not offered:$got"
}

refuse() {
	[[ $got != *" $1 "* ]] || fail "$2: '$1' offered:$got"
}

complete_line _famfs famfs lo
expect log "famfs lo"
expect logplay "famfs lo"
refuse mount "famfs lo"
complete_line _famfs famfs ""
expect mkdir "famfs"
expect --version "famfs"

complete_line _famfs famfs cp --re
expect --recursive "famfs cp --re"
complete_line _famfs famfs logplay --
expect --follow "famfs logplay --"
expect --interval "famfs logplay --"
complete_line _famfs famfs creat -
expect -s "famfs creat -"
complete_line _famfs famfs r
expect rm "famfs r"
expect rmdir "famfs r"
complete_line _famfs famfs rm --r
expect --recursive "famfs rm --r"
complete_line _famfs famfs rm -
expect -f "famfs rm -"
complete_line _famfs famfs mv -
expect --verbose "famfs mv -"

# Mount points from a mounts file, escapes decoded; only famfs ones.
printf '%s\n' '/dev/dax0.0 /mnt/famfs famfs rw 0 0' '/dev/sda1 / ext4 rw 0 0' \
	'/dev/pmem0 /mnt/with\040space famfs rw 0 0' >"$work/mounts"
[[ $(_famfs_mountpoints "$work/mounts") == $'/mnt/famfs\n/mnt/with space' ]] ||
	fail "mount points: $(_famfs_mountpoints "$work/mounts")"

# The rest with stand-ins for this host's mounts and devices.
_famfs_mountpoints() { printf '%s\n' /mnt/famfs /srv/famfs2; }
_famfs_devices() { printf '%s\n' /dev/dax0.0 /dev/pmem0; }
complete_line _famfs famfs logplay /mn
[[ $got == " /mnt/famfs " ]] || fail "famfs logplay /mn:$got"
complete_line _famfs famfs check -v ""
expect /srv/famfs2 "famfs check"
complete_line _famfs famfs mount /dev/d
[[ $got == " /dev/dax0.0 " ]] || fail "famfs mount /dev/d:$got"
complete_line _famfs famfs mount -w /dev/dax0.0 "$work/"
refuse /dev/pmem0 "famfs mount DEVICE"
complete_line _famfs famfs fsck ""
expect /dev/pmem0 "famfs fsck"
expect /mnt/famfs "famfs fsck"
complete_line _famfs famfs creat -s ""
[[ $got == "  " ]] || fail "famfs creat -s offers a value:$got"
touch "$work/srcfile"
complete_line _famfs famfs cp "$work/src"
expect "$work/srcfile" "famfs cp"
complete_line _famfs famfs mv "$work/srcfile" "$work/src"
expect "$work/srcfile" "famfs mv SRC"

complete_line _famfs_mkfs mkfs.famfs ""
expect /dev/dax0.0 "mkfs.famfs"
complete_line _famfs_mkfs mkfs.famfs --lo
expect --loglen "mkfs.famfs --lo"
complete_line _famfs_mkfs mkfs.famfs -l ""
[[ $got == "  " ]] || fail "mkfs.famfs -l offers a value:$got"

complete_line _famfs_mount_helper mount.famfs ""
expect /dev/pmem0 "mount.famfs"
complete_line _famfs_mount_helper mount.famfs /dev/dax0.0 /mnt -o noatime,fol
[[ $got == " noatime,follow " ]] || fail "mount.famfs -o noatime,fol:$got"

finish "completion: commands, options, mount points and devices complete"
