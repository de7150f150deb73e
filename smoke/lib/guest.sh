# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Launching QEMU guests that share nvdimm backing files (one, or two for
# NVDIMMS=2 scenarios). Sourced, not run; needs lib/common.sh.

SMOKE_MEM=${SMOKE_MEM:-1536}   # guest RAM, MiB
SMOKE_SMP=${SMOKE_SMP:-2}      # vCPUs per guest
SMOKE_NVDIMM_MB=1024           # each nvdimm's backing file

# nvdimm_size: the size of each backing file. QEMU gives a dimm its file
# less the label area rounded up to 2 MiB, and puts the next dimm right
# after it; ndctl wants a region 16 MiB aligned, so with two nvdimms each
# is 2 MiB larger, which keeps the data areas 1 GiB each and aligned.
nvdimm_size() {
	echo "$((SMOKE_NVDIMM_MB + (${S_NVDIMMS:-1} > 1 ? 2 : 0)))M"
}

# nvdimm_file INDEX: the backing file of nvdimm INDEX in a case directory.
nvdimm_file() {
	if (($1 == 0)); then echo mem.img; else echo "mem$1.img"; fi
}

# nvdimm_args CASEDIR: the -object/-device pairs of the case's nvdimms.
nvdimm_args() {
	local i n=${S_NVDIMMS:-1} size
	size=$(nvdimm_size)
	for ((i = 0; i < n; i++)); do
		printf '%s\n' -object "memory-backend-file,id=mem$((i + 1)),share=on,mem-path=$1/$(nvdimm_file "$i"),size=$size,align=2M" \
			-device "nvdimm,id=nv$((i + 1)),memdev=mem$((i + 1)),label-size=128K"
	done
}

# guest_uuid NAME: a system UUID derived from the guest name, so each guest
# name always gets the same, distinct UUID.
guest_uuid() {
	local h
	h=$(printf '%s' "$1" | sha256sum)
	echo "${h:0:8}-${h:8:4}-4${h:13:3}-a${h:17:3}-${h:20:12}"
}

# accel_args: TCG, unless KVM was proven to boot a guest on this host boot
# (a nested setup can offer /dev/kvm whose guests then hang).
accel_args() {
	if [[ ${SMOKE_ACCEL:-} == kvm ]] || { [[ -z ${SMOKE_ACCEL:-} ]] && kvm_works; }; then
		echo "-accel kvm -cpu host"
	else
		echo "-accel tcg -cpu max"
	fi
}

# kvm_works: whether KVM can boot a guest; decided once per host boot.
kvm_works() {
	[[ -w /dev/kvm ]] || return 1
	with_lock "$FAMFS_CACHE/kvm-probe.lock" kvm_probe
	[[ $(tail -n1 "$FAMFS_CACHE/kvm-probe") == yes ]]
}

# kvm_probe: boot a guest under KVM that powers off at once, and record
# "BOOT-ID\nyes|no" in $FAMFS_CACHE/kvm-probe.
kvm_probe() {
	local cache=$FAMFS_CACHE/kvm-probe boot verdict=no tmp
	boot=$(cat /proc/sys/kernel/random/boot_id)
	[[ -f $cache && $(head -n1 "$cache") == "$boot" ]] && return 0
	tmp=$(mktemp -d)
	timeout 20 qemu-system-x86_64 -accel kvm -cpu host -m 256 -nodefaults -no-reboot \
		-display none -monitor none -serial "file:$tmp/console" \
		-kernel "$KERNEL_IMAGE" -initrd "$SMOKE_INITRD" \
		-append "console=ttyS0 panic=-1 smoke.probe=1" >/dev/null 2>&1 || true
	grep -qs SMOKE-PROBE-OK "$tmp/console" && verdict=yes
	rm -rf "$tmp"
	printf '%s\n%s\n' "$boot" "$verdict" >"$cache"
}

# guest_qemu_args NAME CASEDIR [shell]: the QEMU command line of one guest.
# Needs KERNEL_IMAGE and SMOKE_INITRD; CASEDIR holds mem*.img and share/.
guest_qemu_args() {
	local name=$1 dir=$2 shell=${3:-} serial append
	local -a accel nvdimms
	read -ra accel <<<"$(accel_args)"
	mapfile -t nvdimms < <(nvdimm_args "$dir")
	serial=file:$dir/console-$name.log
	# no_timer_check: a busy host can delay the emulated timer past the
	# kernel's IO-APIC check, which then panics.
	append="console=ttyS0 loglevel=5 panic=-1 no_timer_check smoke.guest=$name smoke.top=$FAMFS_TOP"
	append+=${S_APPEND:+ $S_APPEND}
	if [[ -n $shell ]]; then
		serial=mon:stdio
		append+=" smoke.shell=1"
	fi
	printf '%s\n' qemu-system-x86_64 "${accel[@]}" -smp "$SMOKE_SMP" \
		-machine pc,nvdimm=on -m "$SMOKE_MEM,slots=2,maxmem=$((SMOKE_MEM + 2048 * ${S_NVDIMMS:-1}))M" \
		-nodefaults -no-reboot -display none -monitor none -serial "$serial" \
		-uuid "$(guest_uuid "$name")" -name "$name" \
		-kernel "$KERNEL_IMAGE" -initrd "$SMOKE_INITRD" -append "$append" \
		"${nvdimms[@]}" \
		-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
		-virtfs "local,path=$dir/share,mount_tag=smokerun,security_model=none,multidevs=remap" \
		-virtfs "local,path=$FAMFS_TOP,mount_tag=famfstop,security_model=none,readonly=on,multidevs=remap"
}

# guest_run NAME CASEDIR SECONDS: boot one guest to completion (or until
# SECONDS pass) with its console in CASEDIR/console-NAME.log. Returns
# QEMU's status (124 on timeout).
guest_run() {
	local name=$1 dir=$2 secs=$3
	local -a cmd
	mapfile -t cmd < <(guest_qemu_args "$name" "$dir")
	timeout -k 5 "$secs" "${cmd[@]}" </dev/null >"$dir/qemu-$name.log" 2>&1
}

# guest_shell NAME CASEDIR: an interactive guest on this terminal.
guest_shell() {
	local -a cmd
	mapfile -t cmd < <(guest_qemu_args "$1" "$2" shell)
	"${cmd[@]}"
}
