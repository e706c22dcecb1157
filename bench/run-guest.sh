#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest (started by `make -C bench run` through
# scripts/vm-run.sh, which has loaded vsvm.ko): loads test_hmm beside vsvm
# and runs the whole benchmark sweep in this one boot.
#
#   bench/run-guest.sh OUTDIR [--perf MIB | --perf-only MIB] [vsvm-bench options...]
#
# Writes OUTDIR/results.json; with --perf also OUTDIR/perf-read.txt and
# perf-migrate.txt, system-wide profiles of the vsvm side on a MIB-sized
# buffer (perf from the host's linux-perf, if it runs on this kernel);
# --perf-only skips the sweep (bench/Makefile boots a second, single-
# threaded TCG guest for the profiles: perf's code patching oopsed under
# multi-threaded TCG).
set -euo pipefail

out=${1:?usage: run-guest.sh OUTDIR [--perf MIB] [vsvm-bench options]}
shift
perf=0 sweep=1
case ${1:-} in
--perf) perf=${2:?--perf takes a size in MiB}; shift 2 ;;
--perf-only) perf=${2:?--perf-only takes a size in MiB}; sweep=0; shift 2 ;;
esac
top=${VSVM_TOP:-$(pwd)}
bin=$top/build/bench/vsvm-bench

# The guest's own procfs, sysfs, debugfs and tracefs (not the host's
# directories seen through the 9p root).
# shellcheck source=bench/guest-fs.sh
. "$top/bench/guest-fs.sh"

echo "bench: kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) MiB"
echo "bench: vsvm parameters: $(cd /sys/module/vsvm/parameters && grep -H . -- * 2>/dev/null | tr '\n' ' ')"

load_test_hmm

mkdir -p "$out"
[ $sweep = 0 ] || "$bin" --out "$out/results.json" "$@"

if [ "$perf" != 0 ]; then
	# Where the vsvm side spends its time: one flat system-wide profile of
	# the GPU reads and one of the migrations.
	if perf --version >/dev/null 2>&1; then
		echo 0 > /proc/sys/kernel/kptr_restrict 2>/dev/null || true
		echo -1 > /proc/sys/kernel/perf_event_paranoid 2>/dev/null || true
		for what in read migrate; do
			only=$what
			[ "$what" = migrate ] || only=a_read_fast
			perf record -q -a -g -o /tmp/perf-$what.data -- \
				"$bin" --out /tmp/perf-results.json --sizes "$perf" --runs 1 \
				--no-dmirror --only $only "$@" >/dev/null 2>&1 ||
				echo "bench: perf record ($what) failed"
			f=$out/perf-$what.txt
			{
				echo "# perf: vsvm-bench --only $only --sizes $perf (system-wide)"
				perf report -i /tmp/perf-$what.data --no-children --sort sym -g none \
					--percent-limit 0.3 --stdio 2>/dev/null | grep -v '^$'
				echo
				# The engines and the migration workers are kworkers:
				# their samples alone, whatever else the boot did.
				echo "# kernel workers (kworker*) only, by symbol, % of their samples"
				perf report -i /tmp/perf-$what.data --no-children --sort comm,sym \
					-g none --stdio 2>/dev/null | awk '
					$2 ~ /^kworker/ { sub("%", "", $1); pct[$NF] += $1; all += $1 }
					END { for (s in pct) if (pct[s] * 100 >= all * 0.3)
						printf "%7.2f%%  %s\n", pct[s] * 100 / all, s }' |
					sort -rn | head -40
				echo
				echo "# by command"
				perf report -i /tmp/perf-$what.data --no-children --sort comm -g none \
					--stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15
			} > "$f" || true
			echo "bench: perf profile in $f"
		done
	else
		echo "bench: perf does not run in this guest; no profile"
	fi
fi
