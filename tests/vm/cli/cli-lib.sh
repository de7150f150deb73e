# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared steps of the smoke/scenarios/cli_*.sh scenarios: the famfs command
# end to end in one guest. Builds on the multi-host helpers (mh_setup puts
# the host's famfs build on PATH; mh_sums, mh_fsck).

# shellcheck source=../mh/mh-lib.sh
source "${BASH_SOURCE[0]%/*}/../mh/mh-lib.sh"

# cli_setup: tools on PATH, and mount.famfs and umount.famfs in /sbin
# (mh_setup).
cli_setup() {
	mh_setup
}

# cli_listing DIR: "path mode uid gid size" of everything under DIR, the
# metadata files aside (directories without size: that is the file
# system's own business).
cli_listing() {
	(cd "$1" && find . -path ./.meta -prune -o \( -type d -printf '%P %m %U %G dir\n' \) \
		-o -printf '%P %m %U %G %s\n' | LC_ALL=C sort)
}

# cli_expect RC PATTERN CMD...: CMD must exit with RC and print PATTERN.
cli_expect() {
	local want=$1 pattern=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	[[ $rc == "$want" ]] || smoke_fail "$*: exit code $rc, not $want: $out"
	[[ $out == *"$pattern"* ]] || smoke_fail "$*: \"$out\" does not say \"$pattern\""
	smoke_log "as expected ($rc): $1 ...: ${out:0:300}"
}

# cli_remount: unmount and mount again with mount -t famfs.
cli_remount() {
	umount "$MNT" || smoke_fail "umount $MNT failed"
	mount -t famfs "$DEV" "$MNT" || smoke_fail "mount -t famfs $DEV $MNT failed"
}

# cli_clean: famfs check and fsck of the mount both pass.
cli_clean() {
	famfs check "$MNT" >&2 || smoke_fail "famfs check $MNT found differences"
	mh_fsck "$MNT"
}

# cli_sums ROOT OUT: "sha256  ./path" of every file under ROOT, sorted by
# path, the metadata files aside. Reads exactly each file's size: famfs.ko
# answers a read at the end of a file of whole 2 MiB units (or of 0 bytes)
# with EIO.
cli_sums() {
	python3 - "$1" >"$2" <<'PY' || smoke_fail "cannot checksum the files under $1"
import hashlib, os, sys
root, sums = sys.argv[1], {}
for d, dirs, files in os.walk(root):
    if d == root and ".meta" in dirs:
        dirs.remove(".meta")
    for f in files:
        p = os.path.join(d, f)
        h, left = hashlib.sha256(), os.path.getsize(p)
        with open(p, "rb", buffering=0) as fh:
            while left:
                b = fh.read(min(left, 1 << 20))
                if not b:
                    sys.exit("%s: shorter than its size" % p)
                h.update(b)
                left -= len(b)
        sums["./" + os.path.relpath(p, root)] = h.hexdigest()
for p in sorted(sums):
    print("%s  %s" % (sums[p], p))
PY
}
