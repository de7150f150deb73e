#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# daxops-test.sh: test the dax_operations of device-dax devices (the
# dev_dax_iomap series) from inside a guest, through the daxops_test
# module and the daxops-check mmap checker.
#
# usage: daxops-test.sh [-k daxops_test.ko] [-c daxops-check] [-m] [DEV...]
#   -k KO     module to load unless it is loaded (default: next to this
#             script); unloaded at the end if this script loaded it
#   -c BIN    mmap checker (default: next to this script)
#   -m        first build a multi-range device on the first dynamic dax
#             region (hmem "Soft Reserved" memory) and test it too; every
#             other device of that region is emptied. Last, its mapping
#             attribute: refused while bound, accepted once unbound
#   DEV       daxX.Y devices to test (default: every dax device, after
#             the multi-range device is made)
#
# Destructive: it overwrites the devices it tests. Exit status 0 when every
# check passed; each check prints "ok" or "FAIL" with what differed.

set -u
here=$(cd "$(dirname "$0")" && pwd)
ko=$here/daxops_test.ko
chk=$here/daxops-check
multi=0
while getopts "k:c:m" opt; do
	case $opt in
	k) ko=$OPTARG ;;
	c) chk=$OPTARG ;;
	m) multi=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))

PG=4096
SYS=/sys/bus/dax/devices
DBG=/sys/kernel/debug
CMD=$DBG/daxops_test/cmd
fails=0
checks=0
loaded=0

ok() { checks=$((checks + 1)); echo "ok   $*"; }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL $*"; }
# expect WHAT GOT WANT
expect() {
	if [[ $2 == "$3" ]]; then ok "$1: $2"; else fail "$1: got '$2' want '$3'"; fi
}
# cmd LINE: run a daxops_test command, print its result line
cmd() {
	echo "$*" >"$CMD" || { echo "rc=write-failed"; return; }
	cat "$CMD"
}
# field NAME LINE
field() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p" <<<"$2"; }
hex() { printf '%#x' "$1"; }

setup() {
	grep -qs " $DBG " /proc/mounts || mount -t debugfs none "$DBG" || exit 2
	if [[ ! -e $CMD ]]; then
		insmod "$ko" || { echo "FAIL insmod $ko"; exit 1; }
		loaded=1
	fi
}

# region_create R SIZE: create a 4K-aligned device of SIZE bytes on the
# dynamic region whose dax_region directory is R; print its name. Through
# sysfs rather than daxctl, which wants to modprobe drivers that may be
# built in.
region_create() {
	local r=$1 size=$2 before n new=""
	before=" $(echo $(ls "$SYS")) "
	echo 1 >"$r/create" || return 1
	for n in $(ls "$SYS"); do
		[[ $before == *" $n "* ]] || { new=$n; break; }
	done
	[[ -n $new ]] || { echo "no device appeared on $r" >&2; return 1; }
	echo $PG >"$SYS/$new/align" && echo "$size" >"$SYS/$new/size" || return 1
	echo "$new"
}

# dev_unbind DEV: detach DEV from its driver (device_dax or kmem)
dev_unbind() {
	[[ ! -e $SYS/$1/driver ]] || echo "$1" >"$SYS/$1/driver/unbind"
}

# make_multi_range: on the first dynamic region, make a device with three
# ranges: create A and B, destroy A, grow B past the hole A left (the
# same as daxctl create-device, destroy-device, reconfigure-device -s).
# Prints the device name.
make_multi_range() {
	local r="" d a b
	for d in "$SYS"/dax*; do
		d=$(readlink -f "$d/..")/dax_region
		[[ -e $d/create ]] || continue
		r=$d
		break
	done
	[[ -n $r ]] || { echo "no dynamic dax region" >&2; return 1; }
	# free the region (dax_hmem devices may start under dax_kmem)
	for d in "$(readlink -f "$r/..")"/dax[0-9]*; do
		[[ -e $d/size ]] || continue
		dev_unbind "${d##*/}" && echo 0 >"$d/size" || return 1
	done
	a=$(region_create "$r" $((32 << 20))) || return 1
	b=$(region_create "$r" $((32 << 20))) || return 1
	echo 0 >"$SYS/$a/size" && echo "$a" >"$r/delete" || return 1
	echo $((96 << 20)) >"$SYS/$b/size" || return 1
	echo "$b" >/sys/bus/dax/drivers/device_dax/new_id 2>/dev/null
	[[ -e $SYS/$b/driver ]] || echo "$b" >/sys/bus/dax/drivers/device_dax/bind
	[[ -e /dev/$b ]] || { echo "$b did not bind to device_dax" >&2; return 1; }
	echo "$b"
}

# test_page DEV PGOFF WANT_PHYS WANT_REMAIN: direct_access at one page
test_page() {
	local dev=$1 p=$2 phys=$3 remain=$4 stamp res
	stamp=$("$chk" "/dev/$dev" stamp $((p * PG)))
	res=$(cmd access "$p" 1099511627776)
	expect "$dev pgoff $p length (range remainder)" "$(field rc "$res")" "$remain"
	expect "$dev pgoff $p pfn" "$(field pfn "$res")" "$(hex $((phys / PG)))"
	expect "$dev pgoff $p kaddr phys" "$(field kphys "$res")" "$(hex "$phys")"
	expect "$dev pgoff $p word through kaddr" "$(field word "$res")" "$stamp"
	res=$(cmd access "$p" 1 r)
	expect "$dev pgoff $p recovery mode, 1 page" "$(field rc "$res")" 1
}

# test_zero DEV PGOFF NPAGES: zero_page_range zeroes exactly that page
test_zero() {
	local dev=$1 p=$2 n=$3 lo hi res
	lo=$((p > 0 ? p - 1 : p))
	hi=$((p + 1 < n ? p + 1 : p))
	"$chk" "/dev/$dev" fill $((lo * PG)) $(((hi - lo + 1) * PG)) 0xa5
	res=$(cmd zero "$p")
	expect "$dev zero pgoff $p" "$(field rc "$res")" 0
	if "$chk" "/dev/$dev" check $((p * PG)) $PG 0; then
		ok "$dev pgoff $p reads back zero"
	else
		fail "$dev pgoff $p not zeroed"
	fi
	if ((lo < p)); then
		"$chk" "/dev/$dev" check $((lo * PG)) $PG 0xa5 &&
			ok "$dev page before $p untouched" || fail "$dev page before $p clobbered"
	fi
	if ((hi > p)); then
		"$chk" "/dev/$dev" check $((hi * PG)) $PG 0xa5 &&
			ok "$dev page after $p untouched" || fail "$dev page after $p clobbered"
	fi
}

# test_rwrite DEV PGOFF LAST: recovery_write of a pattern inside a page,
# and a write that runs past the end of the range is cut at its end
test_rwrite() {
	local dev=$1 p=$2 last=$3 res
	"$chk" "/dev/$dev" fill $((p * PG)) $PG 0x11
	res=$(cmd rwrite "$p" 100 300 0x5a)
	expect "$dev recovery_write pgoff $p" "$(field rc "$res")" 300
	"$chk" "/dev/$dev" check $((p * PG + 100)) 300 0x5a &&
		ok "$dev recovery_write pattern at $p" || fail "$dev recovery_write pattern at $p"
	"$chk" "/dev/$dev" check $((p * PG)) 100 0x11 &&
		"$chk" "/dev/$dev" check $((p * PG + 400)) $((PG - 400)) 0x11 &&
		ok "$dev recovery_write left the rest of $p alone" ||
		fail "$dev recovery_write wrote outside its bytes at $p"
	if ((last)); then
		res=$(cmd rwrite "$p" 0 $((2 * PG)) 0x77)
		expect "$dev recovery_write at range end is bounded" \
			"$(field rc "$res") $(field avail "$res")" "$PG 1"
	fi
}

test_dev() {
	local dev=$1 d=$SYS/$1 size npages m start end pg0 len n p res align
	[[ -e /dev/$dev ]] || { fail "$dev: no /dev/$dev"; return; }
	size=$(cat "$d/size")
	align=$(cat "$d/align")
	npages=$((size / PG))
	echo "# $dev: size $size align $align ranges $(ls -d "$d"/mapping[0-9]* | wc -l)"
	res=$(cmd open "$(cat "$d/dev")")
	expect "$dev dax_dev_get" "$(field rc "$res")" 0

	for m in "$d"/mapping[0-9]*; do
		start=$(($(cat "$m/start")))
		end=$(($(cat "$m/end")))
		pg0=$(($(cat "$m/page_offset")))
		len=$((end - start + 1))
		n=$((len / PG))
		echo "# ${m##*/}: $(hex $start)-$(hex $end) page_offset $pg0"
		for p in $pg0 $((pg0 + n / 2)) $((pg0 + n - 1)); do
			test_page "$dev" "$p" $((start + (p - pg0) * PG)) $((pg0 + n - p))
		done
		test_zero "$dev" "$pg0" "$npages"
		test_zero "$dev" $((pg0 + n / 2)) "$npages"
		test_zero "$dev" $((pg0 + n - 1)) "$npages"
		test_rwrite "$dev" $((pg0 + n / 2)) 0
		test_rwrite "$dev" $((pg0 + n - 1)) 1
	done

	res=$(cmd access "$npages" 1)
	expect "$dev access past the end refused" "$(field rc "$res")" -34
	res=$(cmd access $((npages + 12345)) 1)
	expect "$dev access far past the end refused" "$(field rc "$res")" -34
	res=$(cmd zero "$npages")
	expect "$dev zero past the end refused" "$(field rc "$res")" -34
	res=$(cmd rwrite "$npages" 0 8 1)
	expect "$dev recovery_write past the end refused" "$(field rc "$res")" -34

	res=$(cmd claim)
	if ((align == PG)); then
		expect "$dev fs_dax_get exclusive" "$res" "get=0 busy=-16 again=0"
	else
		# compound pages: fs/dax would corrupt them
		expect "$dev fs_dax_get refused (align $align)" "$(field get "$res")" -95
	fi
	cmd close >/dev/null
}

# nr_ranges DEV: how many ranges (mappingN directories) DEV has.
nr_ranges() { ls -d "$SYS/$1"/mapping[0-9]* | wc -l; }

# test_mapping DEV: adding a range through the mapping attribute
# reallocates the range array that a bound device_dax reads without the
# lock: refused with EBUSY while DEV is bound, done once it is unbound.
test_mapping() {
	local dev=$1 m e end=0 nr range out
	for m in "$SYS/$dev"/mapping[0-9]*; do
		e=$(($(cat "$m/end")))
		((e > end)) && end=$e
	done
	range=$(printf '%x-%x' $((end + 1)) $((end + (2 << 20))))
	nr=$(nr_ranges "$dev")
	out=$( { echo "$range" >"$SYS/$dev/mapping"; } 2>&1)
	if [[ $out == *"Device or resource busy"* ]]; then
		ok "$dev: mapping $range refused while bound (EBUSY)"
	else
		fail "$dev: mapping $range while bound: '${out:-accepted}', want EBUSY"
	fi
	expect "$dev ranges after a refused mapping" "$(nr_ranges "$dev")" "$nr"
	dev_unbind "$dev"
	out=$( { echo "$range" >"$SYS/$dev/mapping"; } 2>&1)
	expect "$dev mapping $range when unbound" "${out:-accepted}" accepted
	expect "$dev ranges after the mapping" "$(nr_ranges "$dev")" $((nr + 1))
}

setup
devs=("$@")
if ((multi)); then
	if mdev=$(make_multi_range); then
		nr=$(nr_ranges "$mdev")
		((nr >= 2)) && ok "multi-range device $mdev has $nr ranges" ||
			fail "multi-range device $mdev has $nr ranges"
		(($# == 0)) || devs+=("$mdev")
	else
		fail "could not build a multi-range device"
	fi
fi
if ((${#devs[@]} == 0)); then
	# every device that device_dax drives
	for d in "$SYS"/dax*; do
		[[ $(readlink -f "$d/driver") == */device_dax ]] && devs+=("${d##*/}")
	done
fi
for dev in "${devs[@]}"; do
	test_dev "$dev"
done
[[ -z ${mdev:-} ]] || test_mapping "$mdev"
res=$(cmd open 0:0)
expect "dax_dev_get of a bogus dev_t" "$(field rc "$res")" -19
((!loaded)) || rmmod daxops_test
echo "# daxops: $checks checks, $fails failed"
((fails == 0))
