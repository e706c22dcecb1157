#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest (started by `make -C bench run` through
# scripts/vm-run.sh, which has loaded vsvm.ko with several devices): the
# scale rows, vsvm alone (no test_hmm), in a boot of their own.
#
#   bench/run-scale-guest.sh OUTDIR [--lockprof PROCS,DEVICES] [vsvm-scale options...]
#
# Writes OUTDIR/scale.json. With --lockprof, afterwards one more run of
# PROCS processes on DEVICES devices under `perf record` of the lock
# contention tracepoints (the kernels have no CONFIG_LOCK_STAT), summed per
# call site by bench/lockprof.py into OUTDIR/lockprof.txt (the options
# given for the scale rows apply, but for --only, --runs, --procs and
# --devices).
set -euo pipefail

out=${1:?usage: run-scale-guest.sh OUTDIR [--lockprof P,D] [vsvm-scale options]}
shift
lockprof=
if [ "${1:-}" = --lockprof ]; then
	lockprof=${2:?--lockprof takes PROCS,DEVICES}
	shift 2
fi
top=${VSVM_TOP:-$(pwd)}

# The guest's own procfs, sysfs, debugfs and tracefs (not the host's
# directories seen through the 9p root).
# shellcheck source=bench/guest-fs.sh
. "$top/bench/guest-fs.sh"

echo "bench-scale: kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) MiB"
echo "bench-scale: vsvm parameters: $(cd /sys/module/vsvm/parameters && grep -H . -- * 2>/dev/null | tr '\n' ' ')"
mkdir -p "$out"
"$top/build/bench/vsvm-scale" --out "$out/scale.json" "$@"

if [ -n "$lockprof" ]; then
	if ! perf --version >/dev/null 2>&1; then
		echo "bench-scale: perf does not run in this guest; no lock profile"
		exit 0
	fi
	echo 0 > /proc/sys/kernel/kptr_restrict 2>/dev/null || true
	echo -1 > /proc/sys/kernel/perf_event_paranoid 2>/dev/null || true
	# Enabling events patches kernel text: keep the cmdline recorder (and
	# with it a sched_switch hook) off, as vsvm-bench does.
	echo 0 > /sys/kernel/tracing/options/record-cmd 2>/dev/null || true
	# Timestamps in CLOCK_MONOTONIC, the clock of the window vsvm-scale
	# prints (first EXEC to last job done): only that window is profiled.
	perf record -q -k monotonic -e lock:contention_begin -e lock:contention_end -a -g \
		-o /tmp/lock.data -- "$top/build/bench/vsvm-scale" "$@" --only procs --runs 1 \
		--no-warm --procs "${lockprof%,*}" --devices "${lockprof#*,}" \
		--out /tmp/lockprof.json | tee /tmp/lockprof.out
	window=$(awk '$1 == "window" {print $2 "," $3}' /tmp/lockprof.out | tail -n 1)
	{
		echo "# lock contention: vsvm-scale --only procs --procs ${lockprof%,*} --devices ${lockprof#*,} ($(uname -r)), window $window"
		perf script -i /tmp/lock.data -F comm,tid,cpu,time,event,trace,ip,sym 2>/dev/null |
			python3 "$top/bench/lockprof.py" --top 20 ${window:+--window $window}
	} > "$out/lockprof.txt"
	echo "bench-scale: lock contention profile in $out/lockprof.txt"
	cat "$out/lockprof.txt"
fi
