#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest (after vsvm.ko is loaded): a real OpenCL client, PyOpenCL
# (python3-pyopencl, tests and examples from python-pyopencl-doc), run on
# vsvm through Debian's unmodified clover and build/gallium/pipe_vsvm.so,
# and the same list on pocl (pocl-opencl-icd, the CPU) in the same boot as
# the reference. Results go to build/results/pyopencl.jsonl (suite
# "pyopencl"):
#
#   svm-example-<level>    examples/svm.py on vsvm: <level> is coarse, fine
#                          (buffer) and system (fine-grained system SVM);
#                          each must print "Testing <level> ... done."
#   wrapper/<test>         every test of test_wrapper.py (pytest) on vsvm;
#                          an expected failure (gallium/README.md, table
#                          "Expected failures") is recorded as xfail
#   pocl-svm-example       svm.py on pocl (reference)
#   pocl-wrapper/<test>    test_wrapper.py on pocl (reference); a pocl
#                          failure is recorded as xfail: pocl is not tested
#
# clover reports OpenCL 1.1 (it has no 2.0 core features such as generic
# address space), and PyOpenCL uses SVM only on an OpenCL >= 2.0 platform
# (pyopencl.characterize._may_have_svm). The vsvm runs therefore set
# clover's own overrides CLOVER_PLATFORM_VERSION_OVERRIDE=3.0 and
# CLOVER_DEVICE_VERSION_OVERRIDE=3.0 (OpenCL 3.0 makes every 2.0 feature
# optional; the SVM entry points exist in clover). OpenCL C stays 1.2.
#
#   scripts/run-pyopencl.sh       # via scripts/vm-run.sh or make check
#   VSVM_PYOPENCL_POCL=0 ...      # skip the pocl reference run
#
# Exit status 0 if nothing failed, 1 if a test failed, 2 if it could not run.
set -euo pipefail

top=${VSVM_TOP:?run me in the guest through scripts/vm-run.sh}
out=$top/build/results/pyopencl.jsonl
res=$top/build/results/pyopencl
ex=/usr/share/doc/python-pyopencl-doc/examples
py=/usr/bin/python3	# Debian's python, which has pyopencl and pytest
mkdir -p "$res"
rm -f "$out"

# test_wrapper tests expected to fail on vsvm, one a line: name<TAB>reason
# (issue). Keep in sync with the table in gallium/README.md.
XFAIL=''

add() {	# add NAME STATUS [MESSAGE]
	python3 "$top/scripts/results.py" add --out "$out" --suite pyopencl \
		--name "$1" --status "$2" --message "${3:-}"
	echo "run-pyopencl: $2 $1${3:+: $3}"
}

fail() {
	add setup fail "$1"
	exit 2
}

[ -f "$top/build/gallium/pipe_vsvm.so" ] ||
	fail "build/gallium/pipe_vsvm.so is not built (make user)"
[ -f "$ex/test_wrapper.py" ] || fail "python-pyopencl-doc is not installed (make deps)"
"$py" -c 'import pyopencl, pytest' 2>/dev/null ||
	fail "python3-pyopencl or python3-pytest is not installed (make deps)"
grep -q '^vsvm ' /proc/modules || fail "vsvm.ko is not loaded"

# the guest's root is read-only: caches go to /tmp
export XDG_CACHE_HOME=/tmp/vsvm-pyopencl-cache
export PYOPENCL_NO_CACHE=1
export PYTHONDONTWRITEBYTECODE=1
export PYOPENCL_CTX=0
export PYOPENCL_TEST=0

vsvm_env() {
	env OCL_ICD_VENDORS=/etc/OpenCL/vendors/mesa.icd \
	    GALLIUM_PIPE_SEARCH_DIR="$top/build/gallium" \
	    CLOVER_PLATFORM_VERSION_OVERRIDE=3.0 \
	    CLOVER_DEVICE_VERSION_OVERRIDE=3.0 "$@"
}

pocl_env() {
	env OCL_ICD_VENDORS=/etc/OpenCL/vendors/pocl.icd "$@"
}

# run_wrapper ENV PREFIX: test_wrapper.py under pytest, one record per test
# (written by one Python process: a results.py call per test costs seconds
# under TCG)
run_wrapper() {
	local envf=$1 prefix=$2 xml=$res/$2wrapper.xml

	(cd /tmp && "$envf" timeout 1200 "$py" -m pytest -q -p no:cacheprovider \
		-o junit_family=xunit1 --junitxml="$xml" \
		"$ex/test_wrapper.py") > "$res/${prefix}wrapper.txt" 2>&1 || true
	if [ ! -s "$xml" ]; then
		add "${prefix}wrapper" fail "pytest wrote no results (see $res/${prefix}wrapper.txt)"
		return
	fi
	XFAIL=$XFAIL "$py" - "$xml" "$prefix" "$out" "$top/scripts" <<'EOF'
import os, re, sys
import xml.etree.ElementTree as ET
xml, prefix, out, scripts = sys.argv[1:5]
sys.path.insert(0, scripts)
import results
xfail = dict(l.split("\t", 1) for l in os.environ["XFAIL"].splitlines()
             if "\t" in l)
recs = []
for tc in ET.parse(xml).iter("testcase"):
    name = tc.get("name")
    # the device in the parameter list differs per platform: drop it
    name = re.sub(r"<context factory for <pyopencl\.Device [^>]*>>-?", "", name)
    name = re.sub(r"<pyopencl\.Platform [^>]*>", "platform", name)
    name = name.replace("[]", "")
    status, msg = "pass", ""
    for child in tc:
        if child.tag in ("failure", "error"):
            status, msg = "fail", child.get("message") or ""
        elif child.tag == "skipped":
            status = "xfail" if child.get("type") == "pytest.xfail" else "skip"
            msg = child.get("message") or ""
    msg = " ".join(msg.split())[:300]
    if status == "fail" and prefix == "pocl-":
        status, msg = "xfail", "reference run on pocl failed: " + msg
    elif status == "fail" and name in xfail:
        status, msg = "xfail", xfail[name] + " (" + msg + ")"
    recs.append(results.record("pyopencl", prefix + "wrapper/" + name, status,
                               float(tc.get("time") or 0), msg))
    print("run-pyopencl: %s %s%s" % (status, prefix + "wrapper/" + name,
                                     ": " + msg if msg else ""))
results.write_records(recs, out)
EOF
}

# svm.py on vsvm: every SVM level must be tested and pass
(cd /tmp && vsvm_env timeout 600 "$py" "$ex/svm.py") > "$res/svm.txt" 2>&1 &&
	svm_rc=0 || svm_rc=$?
for t in "coarse:Testing coarse-grained buffer SVM... done." \
	 "fine:Testing fine-grained buffer SVM... done." \
	 "system:Testing fine-grained system SVM... done."; do
	if grep -qF "${t#*:}" "$res/svm.txt"; then
		add "svm-example-${t%%:*}" pass
	else
		add "svm-example-${t%%:*}" fail \
			"exit $svm_rc, no \"${t#*:}\" (see $res/svm.txt)"
	fi
done

run_wrapper vsvm_env ""

if [ "${VSVM_PYOPENCL_POCL:-1}" != 0 ] && [ -f /etc/OpenCL/vendors/pocl.icd ]; then
	if (cd /tmp && pocl_env timeout 600 "$py" "$ex/svm.py") \
		> "$res/pocl-svm.txt" 2>&1; then
		add pocl-svm-example pass "$(grep -c 'done\.' "$res/pocl-svm.txt") SVM levels tested"
	else
		add pocl-svm-example xfail "reference run on pocl failed (see $res/pocl-svm.txt)"
	fi
	run_wrapper pocl_env pocl-
fi

! grep -q '"status": "fail"' "$out"
