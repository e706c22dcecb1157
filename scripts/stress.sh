#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest: the long reliability run behind `make stress`.
#
#   scripts/stress.sh DURATION CALLS
#
# kmemleak armed, then the ioctl fuzzer (CALLS calls, 4 threads), the
# fault-injection sweep, the data-verifying stress (3 processes x 3
# threads, DURATION seconds, VRAM oversubscribed), and last the unload and
# leak check. Prints one line per step and "stress: N of 4 steps failed".
# The kernel log is checked for splats by scripts/vm-run.sh.
set -uo pipefail

duration=${1:?duration in seconds}
calls=${2:?number of fuzzed calls}
failed=0

run() { # name command...
	local name=$1 t0=$SECONDS rc=0
	shift
	echo "=== stress: $name: $*"
	"$@" || rc=$?
	echo "=== stress: $name: exit status $rc after $((SECONDS - t0)) s"
	[ $rc -eq 0 ] || failed=$((failed + 1))
}

scripts/leak-check.sh begin
run fuzz build/tools/vsvm-fuzz -n "$calls" -t 4 -T $((calls / 20 + 600))
run inject build/tools/vsvm-inject -n 400
run stress build/tools/vsvm-stress -p 3 -t 3 -d "$duration" -m 512
run leaks scripts/leak-check.sh end
echo "stress: $failed of 4 steps failed"
[ $failed -eq 0 ]
