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
#   wrapper/<test>         every test of test_wrapper.py (pytest -v) on vsvm;
#                          an expected failure (gallium/README.md, table
#                          "Expected failures") is recorded as xfail
#   algorithm/<test>       the tests of test_algorithm.py selected by
#                          ALGORITHM_K (elementwise kernels, reductions:
#                          local memory and barriers)
#   array/<test>           the tests of test_array.py selected by ARRAY_K
#   pocl-svm-example       svm.py on pocl (reference)
#   pocl-wrapper/<test>, pocl-array/<test>, pocl-algorithm/<test>
#                          the same lists on pocl (reference); a pocl
#                          failure is recorded as xfail: pocl is not tested
#
# clover reports OpenCL 1.1 (it has no 2.0 core features such as generic
# address space), and PyOpenCL uses SVM only on an OpenCL >= 2.0 platform
# (pyopencl.characterize._may_have_svm). The vsvm runs therefore set
# clover's own overrides CLOVER_PLATFORM_VERSION_OVERRIDE=3.0 and
# CLOVER_DEVICE_VERSION_OVERRIDE=3.0 (OpenCL 3.0 makes every 2.0 feature
# optional; the SVM entry points exist in clover). OpenCL C stays 1.2.
# They also set CLOVER_EXTRA_BUILD_OPTIONS=-no-opaque-pointers: Debian's
# clover (clang/llvm-spirv 15) aborts the process on some kernels otherwise
# (PyOpenCL's clrandom kernels in test_can_build_and_run_binary).
#
#   scripts/run-pyopencl.sh       # via scripts/vm-run.sh or make check
#   VSVM_PYOPENCL_POCL=0 ...      # skip the pocl reference run
#   VSVM_PYOPENCL_SUITES="array algorithm" ...   # only these (default: svm
#                                 # wrapper algorithm array)
#   VSVM_PYOPENCL_ARRAY_K= VSVM_PYOPENCL_ALGORITHM_K= ...
#                                 # every test of the two files (hours
#                                 # under TCG) instead of the selection
#   VSVM_PYOPENCL_TIMEOUT=S ...   # limit of one pytest run (1200 s)
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
XFAIL=$(printf '%s\t%s\n' \
	test_event_set_callback "use-after-free in clover: a launch deferred on a user event uses the kernel Python already released (issue 13)" \
	test_spirv "clover's spirv_to_nir rejects the file's builtin in the UniformConstant storage class (old translator output, issue 13)")

# The tests of test_array.py and test_algorithm.py a run takes (pytest
# -k): the whole files take hours under TCG (each test compiles its own
# kernels). The algorithm selection passed on vsvm at the default 5000 ms
# job timeout (elementwise, take/put, two ReductionKernels with local
# memory and barriers), as did the array one (custom struct types,
# any/all reductions, mapping, SVM allocators); tests whose input is
# clrandom over 10^5 values are left out: under TCG that generator's
# launch exceeds the job timeout (the driver reports it, PyOpenCL only
# warns at clean-up). The whole run (svm.py, test_wrapper, both
# selections) took 463 s in one guest.
ARRAY_K=${VSVM_PYOPENCL_ARRAY_K-test_arrays_with_svm_allocators or test_addition_array or test_custom_type_take_put or test_any_all or test_map_to_host}
ALGORITHM_K=${VSVM_PYOPENCL_ALGORITHM_K-(test_elwise_kernel and not options) or test_take_put or test_reduction_not_first_argument or test_sum_without_data}
SUITES=" ${VSVM_PYOPENCL_SUITES:-svm wrapper algorithm array} "
want() { [[ $SUITES == *" $1 "* ]]; }

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
# one device: the guest has two vsvm devices, each would run every test
export PYOPENCL_TEST=0:0

vsvm_env() {
	env OCL_ICD_VENDORS=/etc/OpenCL/vendors/mesa.icd \
	    GALLIUM_PIPE_SEARCH_DIR="$top/build/gallium" \
	    CLOVER_PLATFORM_VERSION_OVERRIDE=3.0 \
	    CLOVER_DEVICE_VERSION_OVERRIDE=3.0 "$@"
}

pocl_env() {
	env OCL_ICD_VENDORS=/etc/OpenCL/vendors/pocl.icd "$@"
}

# run_tests ENV PREFIX FILE [KEXPR]: the tests of FILE (test_wrapper.py,
# test_array.py, ...) matching the pytest -k expression KEXPR (all if
# empty) under pytest -v, one record per test named PREFIX<test>, written
# by one Python process (a results.py call per test costs seconds under
# TCG). A test that kills pytest (an abort inside the OpenCL
# implementation) is recorded as failed and pytest runs again on the tests
# after it, at most 8 times.
run_tests() {
	XFAIL=$XFAIL "$py" - "$1" "$2" "$out" "$top/scripts" "$res" "$ex/$3" "${4:-}" <<'EOF'
import os, re, subprocess, sys
envf, prefix, out, scripts, res, test, kexpr = sys.argv[1:8]
base = os.path.basename(test)
stem = base[:-3]
sys.path.insert(0, scripts)
import results
xfail = dict(l.split("\t", 1) for l in os.environ["XFAIL"].splitlines()
             if "\t" in l)
env = dict(os.environ)
if envf == "vsvm_env":
    env.update(OCL_ICD_VENDORS="/etc/OpenCL/vendors/mesa.icd",
               GALLIUM_PIPE_SEARCH_DIR=os.path.join(os.environ["VSVM_TOP"], "build/gallium"),
               CLOVER_PLATFORM_VERSION_OVERRIDE="3.0",
               CLOVER_DEVICE_VERSION_OVERRIDE="3.0",
               CLOVER_EXTRA_BUILD_OPTIONS="-no-opaque-pointers")
else:
    env.update(OCL_ICD_VENDORS="/etc/OpenCL/vendors/pocl.icd")
LINE = re.compile(r"^(%s::.*?) (PASSED|FAILED|SKIPPED|XFAIL|XPASS|ERROR)\b" % re.escape(base))
SUMMARY = re.compile(r"^(FAILED|ERROR|XFAIL|SKIPPED) (%s::.*?)(?: - (.*))?$" % re.escape(base))
CRASH = re.compile(r'%s", line \d+ in (test_\w+)' % re.escape(base))
STATUS = {"PASSED": "pass", "FAILED": "fail", "ERROR": "fail", "SKIPPED": "skip",
          "XFAIL": "xfail", "XPASS": "pass"}

def short(tid):
    name = tid.split("::", 1)[1]
    # the device in the parameter list differs per platform: drop it
    name = re.sub(r"<context factory for <pyopencl\.Device .*?>>-?", "", name)
    name = re.sub(r"<pyopencl\.Platform .*?>", "platform", name)
    return name.replace("[]", "")

done, order, msgs = {}, [], {}
for attempt in range(8):
    cmd = [sys.executable, "-m", "pytest", "-v", "-rA", "-p", "no:cacheprovider",
           "--durations=0", base]
    if kexpr:
        cmd += ["-k", kexpr]
    for tid in done:
        cmd += ["--deselect", tid]
    log = os.path.join(res, "%s%s-%d.txt" % (prefix.replace("/", "-"), stem, attempt))
    with open(log, "w") as fh:
        try:
            rc = subprocess.run(cmd, cwd=os.path.dirname(test), env=env, stdout=fh,
                                stderr=subprocess.STDOUT,
                                timeout=int(os.environ.get("VSVM_PYOPENCL_TIMEOUT", "1200"))).returncode
        except subprocess.TimeoutExpired:
            rc = -1
    text = open(log, errors="replace").read().splitlines()
    for l in text:
        m = LINE.match(l)
        if m and m.group(1) not in done:
            done[m.group(1)] = STATUS[m.group(2)]
            order.append(m.group(1))
        m = SUMMARY.match(l)
        if m and m.group(3):
            msgs[m.group(2)] = m.group(3)
    if rc in (0, 1, 5) and any("passed" in l or "failed" in l for l in text[-3:]):
        break
    crashed = [m.group(1) for m in map(CRASH.search, text) if m]
    if not crashed:
        order.append("pytest")
        done["pytest"] = "fail"
        msgs["pytest"] = "pytest ended with %s without a result (see %s)" % (rc, log)
        break
    # the test running when pytest died: the first test id starting with it
    victim = None
    for l in text:
        if l.startswith(base + "::" + crashed[-1]):
            victim = re.sub(r"\s*Fatal Python error.*$", "", l).strip()
            break
    victim = victim or ("%s::%s" % (test, crashed[-1]))
    done[victim] = "fail"
    order.append(victim)
    msgs[victim] = "pytest died in this test (abort; see %s)" % log
recs = []
for tid in order:
    status, msg = done[tid], " ".join(msgs.get(tid, "").split())[:300]
    name = short(tid) if "::" in tid else tid
    if status == "fail" and prefix.startswith("pocl-"):
        status, msg = "xfail", "reference run on pocl failed: " + msg
    elif status == "fail" and name in xfail:
        status, msg = "xfail", xfail[name] + " (" + msg + ")"
    recs.append(results.record("pyopencl", prefix + name, status, 0, msg))
    print("run-pyopencl: %s %s%s" % (status, prefix + name,
                                     ": " + msg if msg else ""))
results.write_records(recs, out)
EOF
}

# svm.py on vsvm: every SVM level must be tested and pass
if want svm; then
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
fi

want wrapper && run_tests vsvm_env wrapper/ test_wrapper.py
want array && run_tests vsvm_env array/ test_array.py "$ARRAY_K"
want algorithm && run_tests vsvm_env algorithm/ test_algorithm.py "$ALGORITHM_K"

if [ "${VSVM_PYOPENCL_POCL:-1}" != 0 ] && [ -f /etc/OpenCL/vendors/pocl.icd ]; then
	if want svm; then
		if (cd /tmp && pocl_env timeout 600 "$py" "$ex/svm.py") \
			> "$res/pocl-svm.txt" 2>&1; then
			add pocl-svm-example pass "$(grep -c 'done\.' "$res/pocl-svm.txt") SVM levels tested"
		else
			add pocl-svm-example xfail "reference run on pocl failed (see $res/pocl-svm.txt)"
		fi
	fi
	want wrapper && run_tests pocl_env pocl-wrapper/ test_wrapper.py
	want array && run_tests pocl_env pocl-array/ test_array.py "$ARRAY_K"
	want algorithm && run_tests pocl_env pocl-algorithm/ test_algorithm.py "$ALGORITHM_K"
fi

! grep -q '"status": "fail"' "$out"
