#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run one command as root in a QEMU guest booted from the cached vsvm kernel.
#
#   scripts/vm-run.sh [options] -- CMD [ARG...]
#
#   --kernel debug|bench  kernel flavour (default debug)
#   --timeout S           hard limit for the whole run in seconds (default 900)
#   --append 'ARGS'       extra kernel command line
#   --no-module           do not load vsvm.ko
#   --modparams 'P=V ...' vsvm.ko module parameters
#   --name NAME           run directory build/vm/NAME (default: a fresh one)
#   --console             also stream the serial console (kernel log) live
#   --only-if 'CMD'       once a VM slot is free, boot only if CMD succeeds
#                         on the host (else exit 0, verdict "skipped")
#   --scan FILE...        only scan kernel logs for splats (no boot)
#
# A single CMD word is run by bash -c, so `-- 'a && b'` works; several words
# are run as they are. The guest sees the host root read-only (9p), tmpfs on
# /tmp /run /var/tmp /mnt, build/ writable at the same path, 64 x 2 MiB
# hugepages, /mnt/huge (hugetlbfs), /mnt/tmpfs, /mnt/ext4 (page-cache ext4 on
# a loop device) and /mnt/pmem (ext4 -o dax on
# an emulated pmem region). The command runs with cwd = the repository and
# VSVM_TOP, VSVM_FLAVOR, VSVM_KERNEL_DIR, VSVM_MODROOT, VSVM_MODDIR in its
# environment. Its output is printed as it comes.
#
# Exit status: the command's; 124 on timeout; 125 if vsvm.ko did not load;
# 126 if the guest ended without reporting (panic, crash); 3 if the kernel
# log has a splat (matches scripts/splat-patterns.txt), which wins over the
# command's status. build/vm/<name>/ keeps console.log (serial console),
# dmesg, output, rc and verdict (ok, cmd-failed, splat, timeout, no-status,
# module-failed, skipped); build/vm/last points at the latest run.
set -euo pipefail
# Parsed whole before it runs, so editing this file cannot derail a running copy.
{

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${VSVM_CACHE:-$HOME/.cache/vsvm}
patterns=$top/scripts/splat-patterns.txt
SPLAT_RC=3

die() { echo "vm-run: $*" >&2; exit 2; }
usage() { sed -n '4,33p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# Userspace markers are not kernel messages.
markers='\[IGT\] |vsvm-guest: '
# An OOM-killer report runs from "<comm> invoked oom-killer: ..." to its
# "Out of memory: Killed process ..." (or "oom_reaper: reaped process ...")
# line; scripts/run-igt.py uses the same two expressions.
oom_start='invoked oom-killer:'
oom_end='(Out of memory|Memory cgroup out of memory)( \(oom_kill_allocating_task\))?: Killed process|oom_reaper: reaped process'

# oom_excuse LOG OTHERS HITS: print the line numbers HITS (matching lines of
# LOG) minus those an OOM-killer report explains: a line inside a report
# that ended, matched by no pattern but "Call Trace:" (line numbers OTHERS
# match the other patterns). A WARNING/BUG/KASAN... inside a report, a Call
# Trace outside one and everything in a report that never ends stay hits.
oom_excuse() {
	awk -v hits="$3" -v others="$2" -v start="$oom_start" -v end="$oom_end" \
		-v markers="$markers" '
	BEGIN {
		n = split(hits, a, " "); for (i = 1; i <= n; i++) hit[a[i]] = 1
		n = split(others, a, " "); for (i = 1; i <= n; i++) other[a[i]] = 1
	}
	{
		mark = $0 ~ markers
		if (!open && !mark && $0 ~ start) { open = 1; np = 0 }
		if (NR in hit) {
			if (open && !(NR in other))
				pend[++np] = NR
			else
				print NR
		}
		if (open && !mark && $0 ~ end) { open = 0; np = 0 }
	}
	END { for (i = 1; i <= np; i++) print pend[i] }' "$1" | sort -n
}

# scan_log FILE: print the splats of a kernel log; status 0 if there are none.
scan_log() {
	local log=$1 pat others hits
	pat=$(mktemp)
	grep -vE '^[[:space:]]*(#|$)' "$patterns" > "$pat"
	hits=$(grep -nE -f "$pat" "$log" | grep -vE "$markers" | cut -d: -f1 || true)
	if [ -n "$hits" ]; then
		# The same patterns without "Call Trace:" (the one an OOM report excuses).
		grep -vxF 'Call Trace:' "$pat" > "$pat.o" || true
		others=$(grep -nE -f "$pat.o" "$log" | cut -d: -f1 | tr '\n' ' ' || true)
		hits=$(oom_excuse "$log" "$others" "$(tr '\n' ' ' <<< "$hits")")
		rm -f "$pat.o"
	fi
	rm -f "$pat"
	[ -n "$hits" ] || return 0
	echo "vm-run: kernel splat in $log ($(echo "$hits" | wc -l) matching lines):"
	local shown=0 end=0 n
	for n in $hits; do
		[ "$n" -gt "$end" ] || continue
		[ $shown -lt 3 ] || { echo "  ... (more in $log)"; break; }
		end=$((n + 40))
		sed -n "$((n > 3 ? n - 3 : 1)),${end}p" "$log" | sed 's/^/  | /'
		echo "  ----"
		shown=$((shown + 1))
	done
	return 1
}

flavor=debug
timeout_s=900
append=
load_module=1
modparams=
name=
console=0
only_if=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) flavor=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--no-module) load_module=0; shift ;;
	--modparams) modparams=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--console) console=1; shift ;;
	--only-if) only_if=$2; shift 2 ;;
	--scan)
		shift
		[ $# -gt 0 ] || usage
		rc=0
		for f in "$@"; do scan_log "$f" || rc=$SPLAT_RC; done
		exit $rc ;;
	--) shift; break ;;
	-h|--help) usage ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
[ $# -gt 0 ] || usage
case $flavor in debug|bench) ;; *) die "--kernel must be debug or bench" ;; esac
case $timeout_s in '' | *[!0-9]*) die "--timeout takes seconds" ;; esac
case $top in *[,\ ]*) die "the repository path must not contain commas or spaces: $top" ;; esac

# The kernel (cached; built by `make kernel`, here only looked up).
kout=${VSVM_KERNEL_DIR:-$("$top/scripts/build-kernel.sh" "$flavor")}
[ -f "$kout/.done" ] || die "no finished kernel in $kout"
bzimage=$kout/arch/x86/boot/bzImage
moddir=$top/build/kmod-$flavor/drivers/gpu/drm/vsvm
module=
if [ $load_module -eq 1 ]; then
	module=$moddir/vsvm.ko
	[ -f "$module" ] || die "$module is not built: run 'make module' or pass --no-module"
fi

# Run directory on the writable results share (build/ at the same path).
mkdir -p "$top/build/vm"
if [ -n "$name" ]; then
	case $name in */* | .* | "") die "bad --name $name" ;; esac
	run=$top/build/vm/$name
	rm -rf "$run"
	mkdir -p "$run"
else
	run=$(mktemp -d "$top/build/vm/run-$(date +%Y%m%d-%H%M%S)-XXXX")
fi
ln -sfn "$(basename "$run")" "$top/build/vm/last"

{
	printf 'export VSVM_TOP=%q VSVM_FLAVOR=%q VSVM_KERNEL_DIR=%q\n' "$top" "$flavor" "$kout"
	printf 'export VSVM_MODROOT=%q VSVM_MODDIR=%q\n' "$kout/modroot" "$moddir"
	printf 'VSVM_MODULE=%q VSVM_MODPARAMS=%q\n' "$module" "$modparams"
	# Read here: modinfo in the guest is one more slow exec.
	[ -z "$module" ] || printf 'VSVM_MODDEPS=%q\n' "$(modinfo -F depends "$module")"
} > "$run/env"
if [ $# -eq 1 ]; then
	printf '%s\n' "$1" > "$run/cmd.sh"
else
	printf '%q ' "$@" > "$run/cmd.sh"
	echo >> "$run/cmd.sh"
fi

# KVM only if it really boots here; the verdict is cached per QEMU and host kernel.
# la57=off: with 5-level paging, 6.12's KASAN misjudges direct-map addresses
# as wild while identify_cpu() refreshes the CPU features (an interrupt in that
# window splats "BUG: KASAN: wild-memory-access in do_raw_spin_lock" at boot,
# 2 boots in 9 here).
# VSVM_TCG_THREADS=single: one host thread for all vCPUs. Slower, but code
# patching (static keys flipped when perf starts) is then not racing
# another vCPU; multi-threaded TCG oopsed on an int3 there.
tcg_threads=${VSVM_TCG_THREADS:-multi}
case $tcg_threads in
single|multi) ;;
*) die "VSVM_TCG_THREADS must be single or multi" ;;
esac
accel=(-accel "tcg,thread=$tcg_threads" -cpu "max,la57=off")
kvm_works() {
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	local key verdict probe
	key=$( { qemu-system-x86_64 --version; uname -r; } | sha256sum | cut -c1-12)
	verdict=$cache/kvm-$key
	if [ ! -f "$verdict" ]; then
		echo "vm-run: probing KVM (once per machine)" >&2
		probe=$(mktemp -d)
		timeout -k 5 60 qemu-system-x86_64 -nodefaults -no-reboot -display none \
			-accel kvm -cpu host -smp 1 -m 1G -kernel "$bzimage" \
			-serial "file:$probe/console" \
			-virtfs local,path=/,mount_tag=vsvmroot,security_model=none,readonly=on,multidevs=remap \
			-append "console=ttyS0 panic=-1 root=vsvmroot rootfstype=9p rootflags=trans=virtio,version=9p2000.L ro init=$top/scripts/guest-init.sh vsvm_probe=1" \
			>/dev/null 2>&1 || true
		mkdir -p "$cache"
		if grep -q 'vsvm-guest: probe ok' "$probe/console" 2>/dev/null; then
			echo yes > "$verdict"
		else
			echo no > "$verdict"
		fi
		rm -rf "$probe"
	fi
	[ "$(cat "$verdict")" = yes ]
}
case ${VSVM_ACCEL:-auto} in
tcg) ;;
kvm) accel=(-accel kvm -cpu host) ;;
auto) if kvm_works; then accel=(-accel kvm -cpu host); fi ;;
*) die "VSVM_ACCEL must be auto, kvm or tcg" ;;
esac

cmdline="console=ttyS0 panic=-1 root=vsvmroot rootfstype=9p"
# cache=loose on the read-only root: every exec and python import otherwise
# costs 9p round trips (python3 -c pass: 6 s with it; modprobe 4.5 s).
cmdline+=" rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro"
cmdline+=" init=$top/scripts/guest-init.sh vsvm_run=$run vsvm_results=$top/build"
# Paths guest-init.sh keeps visible when it mounts tmpfs over /tmp, /run...
cmdline+=" vsvm_kernel=$kout"
# acpi=noirq: evaluating the ACPI PCI interrupt links' AML took ~25 s per
# virtio device under TCG with the debug kernel (75 s of a 85 s boot); the
# PIRQ table routes them at once (boot to init: 11 s).
cmdline+=" acpi=noirq hugepages=64 memmap=512M!4G transparent_hugepage=always"
# Under multi-threaded TCG, a static key flipped while the other vCPU runs
# can leave that vCPU executing the int3 of a finished text patch (QEMU 7.2;
# a test boot panicked 8.6 s in with "Oops: int3" in
# sched_clock_idle_wakeup_event, 4 ms after "sched_clock: Marking stable").
# That is the one flip every boot makes; tsc=unstable keeps sched_clock
# unstable from the start (clocksource hpet). The debug (test) kernel only:
# the bench keeps its clock.
if [ "$flavor" = debug ] && [ "${accel[1]}" != kvm ]; then
	cmdline+=" tsc=unstable"
fi
cmdline+=" $append"

qemu=(qemu-system-x86_64 -nodefaults -no-reboot -display none
	"${accel[@]}" -smp 2 -m 4G
	-kernel "$bzimage" -append "$cmdline"
	-serial "file:$run/console.log"
	-device virtio-rng-pci
	-virtfs "local,path=/,mount_tag=vsvmroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$top/build,mount_tag=vsvmresults,security_model=none,multidevs=remap")

# At most $VSVM_VM_SLOTS guests run at once on this machine (default 2):
# more only slow every guest down (TCG) and can exhaust host memory.
slots=${VSVM_VM_SLOTS:-2}
waited=0
while :; do
	for ((slot = 0; slot < slots; slot++)); do
		exec 8>"$cache/.vm-slot-$slot"
		if flock -n 8; then
			break 2
		fi
		exec 8>&-
	done
	[ $waited -eq 1 ] || echo "vm-run: waiting for a free VM slot ($slots in use)" >&2
	waited=1
	sleep 3
done

if [ -n "$only_if" ] && ! bash -c "$only_if"; then
	echo skipped > "$run/verdict"
	echo "vm-run: not booting: '$only_if' failed" >&2
	exit 0
fi

start=$(date +%s)
: > "$run/output"
timeout -k 10 "$timeout_s" "${qemu[@]}" > "$run/qemu.log" 2>&1 &
qpid=$!
trap 'kill $qpid 2>/dev/null || true' EXIT
if [ $console -eq 1 ]; then
	tail -n +1 -s 0.5 -F --pid="$qpid" "$run/console.log" 2>/dev/null | sed 's/^/[console] /' >&2 &
fi
tail -n +1 -s 0.5 -F --pid="$qpid" "$run/output" 2>/dev/null || true
[ ! -s "$run/output" ] || [ -z "$(tail -c 1 "$run/output")" ] || echo
qrc=0
wait "$qpid" || qrc=$?
trap - EXIT
secs=$(( $(date +%s) - start ))

verdict() { echo "$1" > "$run/verdict"; }
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	verdict timeout
	echo "vm-run: TIMEOUT: the guest did not finish within ${timeout_s} s; qemu was killed." >&2
	echo "vm-run: last console lines ($run/console.log):" >&2
	tail -n 30 "$run/console.log" | sed 's/^/  | /' >&2
	scan_log "$run/console.log" >&2 || true
	exit 124
fi
if [ $qrc -ne 0 ]; then
	echo "vm-run: qemu failed (status $qrc):" >&2
	sed 's/^/  | /' "$run/qemu.log" >&2
fi

# The guest's dmesg is complete; the console also has what came after it.
logs=("$run/console.log")
[ -f "$run/dmesg" ] && logs=("$run/dmesg" "$run/console.log")
splat=0
for f in "${logs[@]}"; do
	if ! scan_log "$f" >&2; then
		splat=1
		break
	fi
done

if [ ! -f "$run/rc" ]; then
	verdict no-status
	echo "vm-run: the guest ended without reporting the command's status (panic or crash?)" >&2
	echo "vm-run: last console lines ($run/console.log):" >&2
	tail -n 40 "$run/console.log" | sed 's/^/  | /' >&2
	exit 126
fi
rc=$(cat "$run/rc")
if [ $splat -eq 1 ]; then
	verdict splat
	echo "vm-run: FAILED: kernel splat (the command exited with status $rc; logs in $run)" >&2
	exit $SPLAT_RC
fi
case $rc in
0) verdict ok ;;
125) verdict module-failed; echo "vm-run: vsvm.ko did not load (see above)" >&2 ;;
*) verdict cmd-failed ;;
esac
[ "${VSVM_QUIET:-0}" = 1 ] || echo "vm-run: exit status $rc after ${secs} s (logs in $run)" >&2
exit "$rc"
}
