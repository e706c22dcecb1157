#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest (after vsvm.ko is loaded): the clFFT client (clfft-client,
# Debian's build of clFFT 2.12) on vsvm through Debian's unmodified clover
# and build/gallium/pipe_vsvm.so. clFFT generates its FFT kernels at plan
# time (float2 arithmetic, __local arrays, barriers, twiddle tables) and
# the client checks the transform itself: it transforms an all-ones input
# and requires the exact delta (the DC term equal to the length, every
# other value exactly 0; all ones for a complex-to-real transform), then
# prints "Internal Client Test *****PASS*****" or "*****FAIL*****".
# Results go to build/results/clfft.jsonl (suite "clfft"), one record per
# transform:
#
#   c2c-1d-1024            complex 1-D, 1024 points, forward, in place
#   c2c-2d-64x64-inv       complex 2-D, 64 x 64, backward, in place
#   c2c-1d-105-outplace    complex 1-D, 105 = 3*5*7 points (radix 3, 5
#                          and 7 passes), forward, out of place
#   r2c-1d-1024            real to hermitian 1-D, 1024 points, out of place
#   pocl-<name>            the same on pocl (VSVM_CLFFT_POCL=1), the
#                          reference; a failure there is recorded as xfail
#
# Each transform compiles its own kernels (clang, llvm-spirv, spirv_to_nir
# and our compiler run in the guest): 23-26 s each under TCG, 122 s in all
# (measured 2026-12-05).
#
#   scripts/run-clfft.sh             # via scripts/vm-run.sh or make check
#   VSVM_CLFFT_POCL=1 ...            # also run the list on pocl
#
# Exit status 0 if every transform passed, 1 if one failed, 2 if the tests
# could not run.
set -euo pipefail

top=${VSVM_TOP:?run me in the guest through scripts/vm-run.sh}
out=$top/build/results/clfft.jsonl
res=$top/build/results/clfft
mkdir -p "$res"
rm -f "$out"

# name:arguments of clFFT-client
CASES=(
	"c2c-1d-1024:-x 1024"
	"c2c-2d-64x64-inv:-x 64 -y 64 --inv"
	"c2c-1d-105-outplace:-x 105 -o"
	"r2c-1d-1024:-x 1024 --inLayout 5 --outLayout 3 -o"
)

add() {	# add NAME STATUS [MESSAGE]
	python3 "$top/scripts/results.py" add --out "$out" --suite clfft \
		--name "$1" --status "$2" --message "${3:-}"
	echo "run-clfft: $2 $1${3:+: $3}"
}

fail() {
	add setup fail "$1"
	exit 2
}

[ -f "$top/build/gallium/pipe_vsvm.so" ] ||
	fail "build/gallium/pipe_vsvm.so is not built (make user)"
command -v clFFT-client >/dev/null ||
	fail "clFFT-client is not installed (clfft-client, make deps)"
grep -q '^vsvm ' /proc/modules || fail "vsvm.ko is not loaded"

# clover caches libclc's NIR; the guest's home is read-only
export XDG_CACHE_HOME=/tmp/vsvm-clfft-cache

run() {	# run PREFIX NAME ARGS DEVTYPE ENV...: one transform, one record
	local prefix=$1 name=$2 args=$3 dev=$4 log rc=0 t0
	shift 4
	log=$res/$prefix$name.txt
	t0=$(date +%s)
	# DEVTYPE -g (GPU: vsvm) or -c (CPU: pocl); the first such device
	# shellcheck disable=SC2086
	(cd /tmp && env "$@" timeout 300 clFFT-client "$dev" --platform 0 \
		--device 0 $args) > "$log" 2>&1 || rc=$?
	if [ $rc -eq 0 ] && grep -qF 'Internal Client Test *****PASS*****' "$log"; then
		add "$prefix$name" pass "clFFT-client $args: PASS ($(( $(date +%s) - t0 )) s)"
	elif [ -n "$prefix" ]; then
		add "$prefix$name" xfail "reference run on pocl failed (exit $rc, see $log)"
	else
		add "$prefix$name" fail \
			"clFFT-client $args: exit $rc, $(grep -m1 -o 'Internal Client Test \*\*\*\*\*[A-Z]*' "$log" || echo 'no verdict') (see $log)"
	fi
}

for c in "${CASES[@]}"; do
	run "" "${c%%:*}" "${c#*:}" -g \
		OCL_ICD_VENDORS=/etc/OpenCL/vendors/mesa.icd \
		GALLIUM_PIPE_SEARCH_DIR="$top/build/gallium"
done

if [ "${VSVM_CLFFT_POCL:-0}" = 1 ] && [ -f /etc/OpenCL/vendors/pocl.icd ]; then
	for c in "${CASES[@]}"; do
		run pocl- "${c%%:*}" "${c#*:}" -c \
			OCL_ICD_VENDORS=/etc/OpenCL/vendors/pocl.icd
	done
fi

! grep -q '"status": "fail"' "$out"
