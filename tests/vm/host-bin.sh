# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# vm_host_bin NAME: where the host builds the VM test programs NAME for this
# checkout: the harness's cache (guests see it through the host root), one
# directory per checkout, so that two checkouts sharing the cache never run
# each other's programs.
vm_host_bin() {
	local top
	top=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd)
	echo "${FAMFS_CACHE:-/var/cache/famfs}/$1-$(echo "$top" | sha256sum | cut -c1-8)"
}
