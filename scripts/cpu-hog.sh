#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a command with N busy processes beside it on the host:
#
#   scripts/cpu-hog.sh N -- CMD [ARG...]
#
# The guest's vCPUs then get a share of the host's cores, as on a slower or
# busier machine: timing-dependent bugs (a job starved of fault service, a
# timeout that counts waiting) show up here first. N = 0 runs CMD alone.
# Exit status: CMD's. The hogs are ended (by their process ids) when CMD
# returns or this script is interrupted.
set -uo pipefail

n=${1:?number of hog processes}
shift
[ "${1:-}" = -- ] && shift
case $n in '' | *[!0-9]*) echo "cpu-hog: N must be a number" >&2; exit 2 ;; esac

pids=()
stop() { [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null; }
trap stop EXIT
trap 'exit 130' INT TERM
for ((i = 0; i < n; i++)); do
	(trap - INT TERM; while :; do :; done) &
	pids+=($!)
done
[ "$n" -eq 0 ] || echo "cpu-hog: $n busy processes beside the command (pids ${pids[*]})"
"$@"
