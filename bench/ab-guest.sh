#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest (started by `make -C bench ab` through
# scripts/vm-run.sh --no-module): compares two builds of vsvm.ko side by
# side in this one boot, so the machine's noise hits both alike.
#
#   bench/ab-guest.sh OUTDIR A.ko B.ko ROUNDS MODPARAMS 'A-OPTS' 'B-OPTS' \
#                     [vsvm-bench options...]
#
# Each round loads A, runs vsvm-bench once (--runs 1, the options given,
# then A-OPTS), unloads it, then the same for B (with B-OPTS). A and B may
# be the same module with different options (--engines 1 / --engines 2).
# The order alternates between rounds
# (A B, B A, ...) so neither always runs first. Writes OUTDIR/ab-A-<n>.json
# and OUTDIR/ab-B-<n>.json; bench/ab-report.py compares them.
set -euo pipefail

out=${1:?usage: ab-guest.sh OUTDIR A.ko B.ko ROUNDS MODPARAMS A-OPTS B-OPTS [vsvm-bench options]}
a=${2:?} b=${3:?} rounds=${4:?} params=${5-} aopts=${6-} bopts=${7-}
shift 7
top=${VSVM_TOP:-$(pwd)}
bin=$top/build/bench/vsvm-bench

# shellcheck source=bench/guest-fs.sh
. "$top/bench/guest-fs.sh"

# vsvm.ko's dependencies (drm, gpu_sched, ...) from the kernel build.
deps=$(modinfo -F depends "$a")
# shellcheck disable=SC2086
[ -z "$deps" ] || modprobe -d "${VSVM_MODROOT:?}" -a ${deps//,/ }
load_test_hmm
mkdir -p "$out"
rm -f "$out"/ab-[AB]-*.json
for n in $(seq "$rounds"); do
	order="A B"
	[ $((n % 2)) = 1 ] || order="B A"
	for which in $order; do
		ko=$a opts=$aopts
		[ "$which" = A ] || ko=$b opts=$bopts
		# shellcheck disable=SC2086
		insmod "$ko" $params
		echo "ab: round $n/$rounds, $which ($ko $opts)"
		# shellcheck disable=SC2086
		"$bin" --out "$out/ab-$which-$n.json" --runs 1 "$@" $opts
		rmmod vsvm
	done
done
