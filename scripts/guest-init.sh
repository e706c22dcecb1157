#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the vsvm test guest, started by scripts/vm-run.sh as init= on a
# read-only 9p view of the host root. It mounts the pseudo file systems and
# scratch space, loads vsvm.ko, runs one command as root in the repository,
# stores the command's exit status and the kernel log in the run directory
# (on the writable results share) and powers the machine off.
#
# The kernel passes vsvm_run=<run dir> from its command line as an
# environment variable; <run dir>/env holds the rest (written by vm-run.sh).
#
# No "set -e": PID 1 must always reach the power-off, whatever fails.
set -uo pipefail
# Parsed whole before it runs, so editing this file cannot derail a running copy.
{

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C.UTF-8 TERM=dumb

# Busybox (static) for the plumbing: every dynamically linked exec costs
# seconds of 9p reads while the page cache is cold.
bb=/bin/busybox

say() { local up; read -r up _ < /proc/uptime; echo "vsvm-guest: [$up] $*"; }

halt() {
	sync
	$bb poweroff -f 2>/dev/null
	echo o > /proc/sysrq-trigger
	sleep 60
}

# The 9p root shows the host's own /proc, /sys and /dev directories with the
# host's content (multidevs=remap exposes its submounts): nothing under them
# is ours until we mount over them, so proc is mounted unconditionally and
# everything else is checked against the guest's own /proc/mounts.
$bb mount -t proc proc /proc || say "cannot mount proc"

# Shell builtins where they do: under TCG on the debug kernel every fork and
# exec costs a good fraction of a second.
mounted() { # target: is something mounted there?
	local _src m _rest
	while read -r _src m _rest; do
		[ "$m" != "$1" ] || return 0
	done < /proc/mounts
	return 1
}

mount_once() { # type source target [options]
	local type=$1 src=$2 dst=$3 opts=${4:-}
	mounted "$dst" && return 0
	[ -d "$dst" ] || $bb mkdir -p "$dst" 2>/dev/null
	$bb mount -t "$type" ${opts:+-o "$opts"} "$src" "$dst" ||
		say "cannot mount $type on $dst"
}

mount_once sysfs sysfs /sys
mount_once devtmpfs devtmpfs /dev
# What udev would add: bash process substitution needs /dev/fd.
[ -e /dev/fd ] || $bb ln -s /proc/self/fd /dev/fd
for i in 0:stdin 1:stdout 2:stderr; do
	[ -e "/dev/${i#*:}" ] || $bb ln -s "/proc/self/fd/${i%%:*}" "/dev/${i#*:}"
done

# The checkout (and the kernel build) may live under a directory the guest
# covers with a tmpfs below (a CI clone in /tmp): hold a bind mount of each
# on devtmpfs first and put it back at its own path afterwards, so every
# path the host wrote into the run directory works unchanged.
scratch="/dev/shm /tmp /run /var/tmp /mnt"
keep=()
if [ -n "${vsvm_results:-}" ]; then
	keep+=("${vsvm_results%/build}")
	[ -z "${vsvm_kernel:-}" ] || keep+=("$vsvm_kernel")
fi
held=0
for p in "${keep[@]}"; do
	for d in $scratch; do
		case $p/ in
		"$d"/*)
			$bb mkdir -p "/dev/.vsvm-hold/$held"
			$bb mount -o bind "$p" "/dev/.vsvm-hold/$held" ||
				say "cannot hold $p (under $d) across the tmpfs mount"
			;;
		esac
	done
	held=$((held + 1))
done

mount_once tmpfs tmpfs /dev/shm mode=1777
mount_once devpts devpts /dev/pts gid=5,mode=620
for d in /tmp /run /var/tmp /mnt; do
	mount_once tmpfs tmpfs "$d" mode=1777
done

held=0
for p in "${keep[@]}"; do
	if mounted "/dev/.vsvm-hold/$held"; then
		$bb mkdir -p "$p"
		$bb mount -o bind "/dev/.vsvm-hold/$held" "$p" || say "cannot put $p back"
		$bb umount "/dev/.vsvm-hold/$held"
	fi
	held=$((held + 1))
done

if [ "${vsvm_probe:-}" = 1 ]; then # scripts/vm-run.sh asks: does this accelerator boot?
	say "probe ok"
	halt
fi

mount_once debugfs debugfs /sys/kernel/debug
mount_once tracefs tracefs /sys/kernel/tracing
mount_once hugetlbfs hugetlbfs /mnt/huge
mount_once tmpfs tmpfs /mnt/tmpfs mode=1777

run=${vsvm_run:?vm-run.sh passes vsvm_run= on the kernel command line}
results=${vsvm_results:?vm-run.sh passes vsvm_results= on the kernel command line}
$bb mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 vsvmresults "$results" ||
	{ say "cannot mount the results share on $results"; halt; }
# shellcheck source=/dev/null
. "$run/env" || { say "cannot read $run/env"; halt; }

# The file systems below are formatted in the background while the modules
# load (both mostly wait on exec under TCG); the command starts after both.
(
	# Emulated persistent memory (memmap=...!...) as a DAX file system.
	$bb mkdir -p /mnt/pmem
	if [ -b /dev/pmem0 ]; then
		if mkfs.ext4 -q -F -b 4096 -E nodiscard,lazy_itable_init=1,lazy_journal_init=1 /dev/pmem0 >/dev/null 2>&1 &&
			$bb mount -t ext4 -o dax,noinit_itable /dev/pmem0 /mnt/pmem; then
			$bb chmod 1777 /mnt/pmem
		else
			say "cannot format or mount /dev/pmem0 with -o dax"
		fi
	else
		say "no /dev/pmem0: /mnt/pmem is plain tmpfs"
	fi

	# A page-cache (not DAX) ext4: a 64 MiB image on tmpfs, loop-mounted.
	$bb mkdir -p /mnt/ext4
	if $bb truncate -s 64M /tmp/ext4.img &&
		mkfs.ext4 -q -F -b 4096 -E nodiscard,lazy_itable_init=1,lazy_journal_init=1 /tmp/ext4.img >/dev/null 2>&1 &&
		$bb mount -t ext4 -o loop,noinit_itable /tmp/ext4.img /mnt/ext4; then
		$bb chmod 1777 /mnt/ext4
	else
		say "cannot loop-mount an ext4 image on /mnt/ext4"
	fi
) &
fmt_pid=$!
say "formatting /dev/pmem0 and /mnt/ext4 (in the background)"

# Fault injection, when a test enables it, reports without stack dumps: a
# backtrace in the log fails the run.
for f in /sys/kernel/debug/fail*/verbose; do
	[ -w "$f" ] && echo 0 > "$f"
done

say "loading modules"
out=$run/output
: > "$out"
rc=0
if [ -n "${VSVM_MODULE:-}" ]; then
	# vm-run.sh read the dependencies on the host (VSVM_MODDEPS): one
	# modprobe for all of them.
	deps=${VSVM_MODDEPS-$(modinfo -F depends "$VSVM_MODULE" 2>>"$out")}
	if [ -n "$deps" ]; then
		# shellcheck disable=SC2086 # a list of module names
		modprobe -d "$VSVM_MODROOT" -a ${deps//,/ } >>"$out" 2>&1 ||
			{ say "modprobe ${deps//,/ } failed"; rc=125; }
	fi
	if [ $rc -eq 0 ]; then
		# shellcheck disable=SC2086 # VSVM_MODPARAMS is a list of words
		insmod "$VSVM_MODULE" ${VSVM_MODPARAMS:-} >>"$out" 2>&1 ||
			{ say "insmod $VSVM_MODULE ${VSVM_MODPARAMS:-} failed"; rc=125; }
	fi
	[ $rc -eq 0 ] || echo "vsvm-guest: loading vsvm.ko failed; the command was not run" >>"$out"
fi

wait "$fmt_pid"
if [ $rc -eq 0 ]; then
	$bb mkdir -p /tmp/home
	echo "vsvm-guest: command start" > /dev/kmsg
	say "running the command"
	(cd "$VSVM_TOP" && HOME=/tmp/home exec bash "$run/cmd.sh") </dev/null >>"$out" 2>&1
	rc=$?
	echo "vsvm-guest: command exit status $rc" > /dev/kmsg
fi
say "exit status $rc"

$bb dmesg > "$run/dmesg" 2>&1
echo "$rc" > "$run/rc"
sync
halt
exit
}
