# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# cli_stripe: famfs cp --stripe 4 --chunk 2M of a 130 MiB file, first on
# one device (four strips in four regions of it), then on a famfs over two
# (mkfs.famfs DEV DEV2: the strips alternate between the members). Each
# time, read back through read(2) and through mmap it has the source's
# sha256, famfs getmap shows the 4 strips, the chunk size and the members,
# famfs check and fsck pass; the same after a remount, when the log play
# made the file again, and playing the log once more finds the file's map
# (chunk size included) as logged.
GUESTS=1
NVDIMMS=2
# devdax2m: famfs refuses a namespace of compound pages (kmod_rw covers it).
MODES="pmem devdax"
# The commands, the same on every kernel: one per run (mh_stripe stripes
# on every kernel and mode).
SPREAD=one
MODULES=famfs
TIMEOUT=900
# shellcheck source=../../tests/vm/cli/cli-lib.sh
source "${BASH_SOURCE[0]%/*}/../../tests/vm/cli/cli-lib.sh"
mh_host_build

# Not whole 2 MiB units, and more than one row of 4 chunks per strip.
SIZE=$((130 * 1024 * 1024 + 12345))

# file_sha256 PATH read|mmap: the sha256 of PATH's SIZE bytes.
file_sha256() {
	python3 - "$1" "$2" "$SIZE" <<'PY' || smoke_fail "cannot read $1 by $2"
import hashlib, mmap, os, sys
path, how, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
h = hashlib.sha256()
with open(path, "rb", buffering=0) as f:
    if how == "mmap":
        with mmap.mmap(f.fileno(), size, prot=mmap.PROT_READ) as m:
            h.update(m[:size])
    else:
        left = size
        while left:
            b = f.read(min(left, 1 << 20))
            if not b:
                sys.exit("short read")
            h.update(b)
            left -= len(b)
print(h.hexdigest())
PY
}

# check_striped WANT MEMBERS: the file's bytes both ways, its map (strip
# i on member i mod MEMBERS), check and fsck.
check_striped() {
	local want=$1 members=$2 how map on1
	for how in read mmap; do
		[[ $(file_sha256 "$MNT/big" "$how") == "$want" ]] ||
			smoke_fail "big: sha256 by $how differs from the source"
	done
	map=$(famfs getmap "$MNT/big") || smoke_fail "famfs getmap failed"
	[[ $map == *"chunk:    2097152 (2 MiB)"* && $map == *"strips:   4"* ]] ||
		smoke_fail "getmap does not show 4 strips of 2 MiB chunks: $map"
	map=$(famfs getmap --yaml "$MNT/big")
	grep -qx 'nstrips: 4' <<<"$map" || smoke_fail "getmap --yaml does not say nstrips: 4"
	on1=$(grep -c 'device: 1$' <<<"$map") || true
	((on1 == (members - 1) * 2)) ||
		smoke_fail "$on1 strips on member 1 of $members: $map"
	cli_clean
	smoke_log "big: same sha256 by read(2) and mmap; 4 strips of 2 MiB chunks over $members member(s)"
}

# stripe_on WANT DEVICE...: a famfs over the devices, the file striped on it.
stripe_on() {
	local want=$1 out
	shift
	mkfs.famfs -f "$@" >/dev/null || smoke_fail "mkfs.famfs $* failed"
	mount -t famfs "$DEV" "$MNT" || smoke_fail "mount -t famfs failed"
	famfs cp --stripe 4 --chunk 2M /tmp/big "$MNT/big" ||
		smoke_fail "famfs cp --stripe 4 --chunk 2M failed"
	famfs log "$MNT" | grep -q 'chunk=0x200000:' ||
		smoke_fail "famfs log does not show the stripe"
	check_striped "$want" $#
	cli_remount
	check_striped "$want" $#
	out=$(famfs logplay "$MNT") || smoke_fail "replaying the log failed: $out"
	[[ $out == *"0 directories and 0 files created"* ]] ||
		smoke_fail "replay changed something: $out"
	umount "$MNT" || smoke_fail "umount $MNT failed"
}

guest_main() {
	local want
	cli_setup
	head -c "$SIZE" /dev/urandom >/tmp/big
	want=$(sha256sum </tmp/big | cut -d' ' -f1)
	stripe_on "$want" "$DEV"
	stripe_on "$want" "$DEV" "$DEV2"
}
