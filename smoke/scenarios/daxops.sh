# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# daxops: the dax_operations the dev_dax_iomap series (kmod/patches) gives
# /dev/dax devices, on a real device: direct_access at the first, middle and
# last page of every range (pfn and kernel address against sysfs, length
# against the range remainder), zero_page_range and recovery_write checked
# through a raw mmap, out-of-range offsets refused, and the dax_dev_get() /
# fs_dax_get() / fs_put_dax() holder contract. See docs/dev-dax-iomap.md.
# A multi-range device is also built and tested on a dynamic dax region
# (dax_hmem over the 256 MiB of guest RAM that APPEND marks "Soft
# Reserved"), and its mapping attribute is refused while it is bound.
GUESTS=1
APPEND="memmap=256M%0x40000000-1+0xefffffff"
START=parallel
KERNELS="famfs-dev"
MODES="devdax devdax2m"
MODULES="daxops_test"
TIMEOUT=600

guest_main() {
	local t=$FAMFS_SRC/kmod/tests/daxops dev multi=()
	cc -O2 -Wall -o /tmp/daxops-check "$t/daxops-check.c" ||
		smoke_fail "cannot build daxops-check"
	dev=${DEV##*/}
	compgen -G "/sys/bus/dax/devices/*/../dax_region/create" >/dev/null ||
		smoke_fail "no dynamic dax region (dax_hmem over soft-reserved memory)"
	multi=(-m)
	"$t/daxops-test.sh" -c /tmp/daxops-check "${multi[@]}" "$dev" ||
		smoke_fail "daxops checks failed"
}
