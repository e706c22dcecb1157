#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest (after vsvm.ko is loaded): OpenCL on vsvm through Debian's
# unmodified Mesa OpenCL (clover, mesa-opencl-icd 22.3) and
# build/gallium/pipe_vsvm.so. Results go to build/results/opencl.jsonl
# (suite "opencl"):
#
#   clinfo-device            clinfo lists a vsvm device on the Clover platform
#   clinfo-svm-system        it reports "Fine-grained system sharing: Yes"
#   clinfo-svm-buffer        ... and fine-grained buffer sharing
#   clinfo-svm-coarse        ... and coarse-grained buffer sharing
#   cl-<test>                every test of build/tools/vsvm-cl-test
#                            (skipped while pipe_vsvm.so has no compiler)
#
#   scripts/run-opencl.sh        # via scripts/vm-run.sh or make check
#
# Exit status 0 if every test passed or skipped, 1 if one failed, 2 if the
# tests could not run.
set -euo pipefail

top=${VSVM_TOP:?run me in the guest through scripts/vm-run.sh}
out=$top/build/results/opencl.jsonl
res=$top/build/results/opencl
mkdir -p "$res"
rm -f "$out"

export OCL_ICD_VENDORS=/etc/OpenCL/vendors/mesa.icd
export GALLIUM_PIPE_SEARCH_DIR=$top/build/gallium
# clover caches libclc's NIR; the guest's home is read-only
export XDG_CACHE_HOME=/tmp/vsvm-opencl-cache

add() {	# add NAME STATUS [MESSAGE]
	python3 "$top/scripts/results.py" add --out "$out" --suite opencl \
		--name "$1" --status "$2" --message "${3:-}"
	echo "run-opencl: $2 $1${3:+: $3}"
}

fail() {
	add setup fail "$1"
	exit 2
}

[ -f "$GALLIUM_PIPE_SEARCH_DIR/pipe_vsvm.so" ] ||
	fail "$GALLIUM_PIPE_SEARCH_DIR/pipe_vsvm.so is not built (make user)"
[ -f "$OCL_ICD_VENDORS" ] || fail "$OCL_ICD_VENDORS missing (make deps)"
command -v clinfo >/dev/null || fail "clinfo is not installed (make deps)"
grep -q '^vsvm ' /proc/modules || fail "vsvm.ko is not loaded"

# clinfo: the device and its SVM capabilities
clinfo > "$res/clinfo.txt" 2> "$res/clinfo.err" || true
dev=$(grep -m1 -E '^\s+Device Name\s+vsvm' "$res/clinfo.txt" |
	sed 's/^ *Device Name *//' || true)
if [ -n "$dev" ]; then
	add clinfo-device pass "$dev"
else
	add clinfo-device fail "no vsvm device in clinfo (see $res/clinfo.txt, clinfo.err)"
fi
yes_line() {	# yes_line LABEL: is LABEL's value Yes in the vsvm device's section?
	awk -v label="$1" '
		/^ +Device Name +vsvm/ { dev = 1 }
		/^ +Device Name / && !/vsvm/ { dev = 0 }
		dev && index($0, label) { print $NF; exit }' "$res/clinfo.txt"
}
for t in "clinfo-svm-system:Fine-grained system sharing" \
	 "clinfo-svm-buffer:Fine-grained buffer sharing" \
	 "clinfo-svm-coarse:Coarse-grained buffer sharing"; do
	name=${t%%:*}
	label=${t#*:}
	v=$(yes_line "$label")
	if [ "$v" = Yes ]; then
		add "$name" pass "$label: Yes"
	else
		add "$name" fail "$label: ${v:-missing}"
	fi
done

# kernels through clover: need the compiler in pipe_vsvm.so
tests=$("$top/build/tools/vsvm-cl-test" -l)
if grep -q 'built without the compiler' "$GALLIUM_PIPE_SEARCH_DIR/pipe_vsvm.so"; then
	for t in $tests; do
		add "cl-$t" skip "pipe_vsvm.so was built without compiler/"
	done
else
	"$top/build/tools/vsvm-cl-test" > "$res/vsvm-cl-test.txt" 2>&1 || true
	for t in $tests; do
		line=$(grep -m1 -E "^(PASS|FAIL|SKIP) $t(:|$)" "$res/vsvm-cl-test.txt" || true)
		case "$line" in
		PASS*) add "cl-$t" pass ;;
		SKIP*) add "cl-$t" skip "${line#*: }" ;;
		FAIL*) add "cl-$t" fail "${line#*: }" ;;
		*) add "cl-$t" fail "no result (crashed? see $res/vsvm-cl-test.txt)" ;;
		esac
	done
fi

! grep -q '"status": "fail"' "$out"
