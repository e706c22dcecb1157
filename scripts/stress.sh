#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest: the long reliability run behind `make stress`.
#
#   scripts/stress.sh DURATION CALLS
#
# kmemleak armed, then the ioctl fuzzer (CALLS calls, 4 threads), the
# fault-injection sweep, the data-verifying stress (3 processes x 3
# threads, DURATION seconds, VRAM oversubscribed, on device 0) with the last
# device unbound and bound again in a loop beside it (vsvm_unplug's
# bind-unbind-cycles: a job and VRAM pages each cycle, data checked), then
# unload/reload cycles with work in flight (vsvm_unplug's rmmod-* subtests,
# three rounds), and last the unload and leak check. Prints one line per
# step and "stress: N of 6 steps failed". The kernel log is checked for
# splats by scripts/vm-run.sh.
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
# Unbind/rebind of the last device for as long as the stress runs.
unbind_loop() {
	local rounds=0
	while [ ! -e /tmp/vsvm-stress-done ]; do
		build/igt/vsvm_unplug --run-subtest bind-unbind-cycles > /tmp/unbind-loop.log 2>&1 ||
			{ cat /tmp/unbind-loop.log; echo "unbind loop: round $rounds failed"; return 1; }
		rounds=$((rounds + 1))
	done
	echo "unbind loop: $rounds rounds of 8 bind/unbind cycles beside the stress"
}
rm -f /tmp/vsvm-stress-done
unbind_loop & loop_pid=$!
run stress build/tools/vsvm-stress -p 3 -t 3 -d "$duration" -m 512
touch /tmp/vsvm-stress-done
run unbind-cycles wait "$loop_pid"
reload_cycles() {
	local round
	for round in 1 2 3; do
		echo "reload round $round"
		build/igt/vsvm_unplug --run-subtest 'rmmod-*' || return 1
	done
}
run reload-cycles reload_cycles
run leaks scripts/leak-check.sh end
echo "stress: $failed of 6 steps failed"
[ $failed -eq 0 ]
