#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own HMM selftests (tools/testing/selftests/mm/hmm-tests.c)
# against lib/test_hmm.ko: a health check of the kernel's SVM stack and the
# peer vsvm is measured against.
#
#   scripts/run-hmm-tests.sh build   # host: build build/selftests/hmm-tests
#   scripts/run-hmm-tests.sh run     # guest: load test_hmm, run, write
#                                    # build/results/hmm.jsonl (suite "hmm")
#
# The binary is built against the kernel's `make headers_install` output,
# cached beside the kernel build (<kernel build dir>-headers).
# exclusive, exclusive_mprotect and exclusive_cow fail with -EBUSY on 6.12
# with THP=always: they are reported as "xfail"; any other failure is "fail".
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/build/selftests/hmm-tests
XFAIL=exclusive,exclusive_mprotect,exclusive_cow

build() {
	local kout src hdr sel
	kout=${VSVM_KERNEL_DIR:-$("$top/scripts/build-kernel.sh" debug)}
	src=$(readlink -f "$kout/source")
	hdr=$kout-headers
	sel=$src/tools/testing/selftests
	if [ ! -f "$hdr/.done" ]; then
		(
			flock 9
			if [ ! -f "$hdr/.done" ]; then
				rm -rf "$hdr"
				make -s -C "$src" O="$kout" INSTALL_HDR_PATH="$hdr" headers_install >&2
				touch "$hdr/.done"
			fi
		) 9> "$hdr.lock"
	fi
	mkdir -p "$(dirname "$bin")"
	if [ ! -x "$bin" ] || [ "$sel/mm/hmm-tests.c" -nt "$bin" ] || [ "$hdr/.done" -nt "$bin" ]; then
		gcc -O2 -Wall -I"$hdr/include" -I"$src" -I"$sel" \
			-o "$bin.tmp" "$sel/mm/hmm-tests.c" -lpthread
		mv "$bin.tmp" "$bin"
	fi
}

run() {
	local out=$top/build/results/hmm.jsonl tap=$top/build/results/hmm.tap
	local start rc=0 secs
	: "${VSVM_MODROOT:?run me in the guest through scripts/vm-run.sh}"
	mkdir -p "$(dirname "$out")"
	rm -f "$out"
	add_fail() {
		python3 "$top/scripts/results.py" add --out "$out" --suite hmm \
			--name hmm-tests --status fail --message "$1"
		echo "run-hmm-tests: $1" >&2
		exit 2
	}
	[ -x "$bin" ] || add_fail "$bin is not built (scripts/run-hmm-tests.sh build)"
	modprobe -d "$VSVM_MODROOT" test_hmm || add_fail "modprobe test_hmm failed"
	start=$(date +%s%N)
	(cd "$(dirname "$bin")" && timeout 900 "$bin") > "$tap" 2>&1 || rc=$?
	secs=$(( ($(date +%s%N) - start) / 1000000 ))
	secs=$((secs / 1000)).$(printf '%03d' $((secs % 1000)))
	rmmod test_hmm || true
	python3 "$top/scripts/results.py" kselftest --suite hmm --xfail "$XFAIL" \
		--time "$secs" --out "$out" "$tap"
	[ $rc -ne 124 ] || add_fail "hmm-tests timed out after 900 s"
	[ -s "$out" ] || add_fail "hmm-tests (status $rc) printed no TAP results (see $tap)"
	echo "run-hmm-tests: $(grep -c . "$out") tests in ${secs} s:" \
		"$(grep -c '"status": "pass"' "$out" || true) pass," \
		"$(grep -c '"status": "xfail"' "$out" || true) xfail," \
		"$(grep -c '"status": "fail"' "$out" || true) fail," \
		"$(grep -c '"status": "skip"' "$out" || true) skip (TAP in $tap)"
	! grep -q '"status": "fail"' "$out"
}

case ${1:-} in
build) build ;;
run) run ;;
*) echo "usage: $0 build|run" >&2; exit 2 ;;
esac
