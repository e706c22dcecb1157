#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest (after vsvm.ko is loaded): load the vsvm KUnit module, whose
# suites run while it loads, and turn their KTAP results into
# build/results/kunit.jsonl (suite "kunit", one record per test case,
# named <kunit suite>.<case>).
#
#   scripts/run-kunit.sh        # via scripts/vm-run.sh or make check
#
# Exit status 0 if every case passed or skipped, 1 if one failed, 2 if the
# tests could not run.
set -euo pipefail

top=${VSVM_TOP:?run me in the guest through scripts/vm-run.sh}
out=$top/build/results/kunit.jsonl
ko=${VSVM_MODDIR:?}/tests/vsvm_kunit.ko
debugfs=/sys/kernel/debug/kunit
res=$top/build/results/kunit
mkdir -p "$res"
rm -f "$out"

fail() {
	python3 "$top/scripts/results.py" add --out "$out" --suite kunit \
		--name vsvm_kunit.ko --status fail --message "$1"
	echo "run-kunit: $1" >&2
	exit 2
}

[ -f "$ko" ] || fail "$ko is not built"
[ -d "$debugfs" ] || fail "$debugfs missing (CONFIG_KUNIT_DEBUGFS, debugfs mounted?)"
grep -q '^vsvm ' /proc/modules || fail "vsvm.ko is not loaded"

before=$(ls "$debugfs")
deps=$(modinfo -F depends "$ko")
for m in ${deps//,/ }; do
	[ "$m" = vsvm ] || modprobe -d "$VSVM_MODROOT" "$m"
done
start=$(date +%s%N)
insmod "$ko" || fail "insmod $ko failed (status $?)"
ms=$(( ($(date +%s%N) - start) / 1000000 ))

suites=
for d in "$debugfs"/*/; do
	d=$(basename "$d")
	grep -qxF "$d" <<< "$before" || suites+=" $d"
done
[ -n "$suites" ] || fail "vsvm_kunit.ko registered no KUnit suite"
files=()
for s in $suites; do
	cp "$debugfs/$s/results" "$res/$s.ktap"
	files+=("$res/$s.ktap")
done
python3 "$top/scripts/results.py" ktap --suite kunit --out "$out" "${files[@]}"
[ -s "$out" ] || fail "no KUnit test case results in ${files[*]}"

n=$(wc -l < "$out")
echo "run-kunit: $n test cases from $(echo "$suites" | wc -w) suites in ${ms} ms (KTAP in $res)"
rmmod vsvm_kunit || true
! grep -q '"status": "fail"' "$out"
