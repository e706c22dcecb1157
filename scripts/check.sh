#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: build everything, run every suite, print the summary.
#
#   scripts/check.sh                 # on the host (what `make check` runs)
#   scripts/check.sh --guest N       # in guest N: take jobs from the queue
#
# Host: deps, kernel, module, userspace (the build suite), then the host
# suites (HOST SUITES below: the runner's own unit tests, libvsvm's unit
# tests under ASan + UBSan, lint), then $VSVM_CHECK_GUESTS (default 2) guest
# boots at once that share one queue of guest jobs (GUEST JOBS below: KUnit,
# each IGT binary, the kernel's HMM selftests, fuzz, fault injection, stress):
# each guest takes the next job nobody has taken, longest first, until none
# is left, then unloads vsvm.ko and checks for leaks. One more short boot
# with vsvm.debug_warn=1 must be caught as a splat (the runner's self-test).
# Every job is accounted for: one that no guest took, or that a guest took
# and never finished (a panic, a timeout), is a failure.
#
# Results: build/results/*.jsonl, build/junit.xml, a table per suite and,
# last, "N passed, N failed, N skipped". Exit status 1 if anything failed
# (a test, a build step, a splat, a job or suite without results).
#
# Adding a suite: a host one is a host_suite line (its command writes
# records to build/results/NAME.jsonl, see scripts/results.py add); a guest
# one is a job line in guest_jobs(). Jobs run one at a time in a guest, in
# any guest, beside another guest's jobs, after `leak-check.sh begin` and
# before `leak-check.sh end`; each must leave vsvm.ko loaded and the
# machine as it found it.
set -euo pipefail
# Parsed whole before it runs, so editing this file cannot derail a running copy.
{

top=$(cd "$(dirname "$0")/.." && pwd)
res=$top/build/results
results=$top/scripts/results.py
queue=$top/build/vm/check-jobs

add() { # suite name status message [results file]
	python3 "$results" add --out "${5:-$res/$1.jsonl}" --suite "$1" \
		--name "$2" --status "$3" --message "${4:-}"
}

step() { echo; echo "=== $*"; }

# --- GUEST JOBS ------------------------------------------------------------------
# job NAME KIND LIMIT ESTIMATE COMMAND...   (scripts/run-guest-jobs.py runs them)
#   KIND igt: COMMAND is the arguments of scripts/run-igt.py (--bin B ...),
#     run inside the job runner (no new Python: seconds each under TCG).
#   KIND suite: COMMAND writes the records of suite NAME (or NAME/...) to
#     build/results/<NAME, '/' as '@'>.jsonl; it fails if it wrote none.
#   KIND tool: one record, pass if COMMAND exits 0.
#   LIMIT: seconds before it is killed (and fails). ESTIMATE: seconds it
#   takes on a 2-core machine under TCG; the queue runs the longest first.
# Prints the job table: one line per job, fields separated by tabs.
guest_jobs() {
	job() { local IFS=' '; printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${*:5}"; }

	job kunit suite 300 45 scripts/run-kunit.sh
	job hmm suite 300 80 scripts/run-hmm-tests.sh run
	# The compiler's corpus kernels, compiled and run on the device.
	job compiler-device suite 300 30 build/compiler/tests/vsvm-cc-tests --device \
		--corpus compiler/tests/corpus --results build/results/compiler-device.jsonl
	# OpenCL through Debian's unmodified clover and build/gallium/pipe_vsvm.so.
	job opencl suite 600 170 scripts/run-opencl.sh
	# pyopencl's svm.py, test_wrapper.py and a selection of test_algorithm.py
	# and test_array.py on vsvm (463 s measured; pocl's reference run is too
	# slow under TCG for make check: README.md has its list).
	job pyopencl suite 900 470 env VSVM_PYOPENCL_POCL=0 scripts/run-pyopencl.sh
	# the clFFT client's own check of four transforms (1-D, 2-D, inverse,
	# radix 3/5/7, real) on vsvm through clover
	job clfft suite 600 125 scripts/run-clfft.sh
	# piglit's OpenCL tests, the subset gallium/piglit-cl-check.txt on vsvm
	# (each must pass; make piglit runs the whole list beside pocl): 18
	# tests, 214 s in one guest (2026-12-05).
	job piglit suite 900 230 scripts/run-piglit-cl.sh --check
	# Short versions of `make stress`: one record each, pass or fail.
	job fuzz tool 300 15 build/tools/vsvm-fuzz -n 20000 -t 3 -T 240
	job inject tool 900 140 build/tools/vsvm-inject -n 400 -S 4
	job stress tool 400 125 build/tools/vsvm-stress -p 2 -t 2 -d 120 -m 256
	# Every IGT binary built (but the protocol self-check), one job each,
	# all of its subtests in one process (scripts/run-igt.py). Estimates:
	# measured (2026-12-04), 60 s for a binary not measured yet.
	local b est
	for b in "$top"/build/igt/vsvm_*; do
		b=$(basename "$b")
		case $b in
		vsvm_harness) continue ;;
		vsvm_lifetime) est=136 ;;
		vsvm_unplug) est=120 ;;
		vsvm_migrate) est=38 ;;
		vsvm_concurrency) est=33 ;;
		vsvm_exec) est=30 ;;
		vsvm_hmm | vsvm_invalidate | vsvm_isolation) est=21 ;;
		vsvm_basic) est=17 ;;
		vsvm_fault | vsvm_mirror | vsvm_observe) est=13 ;;
		vsvm_workgroup) est=20 ;;
		*) est=60 ;;
		esac
		job "igt/$b" igt 1500 "$est" --bin "$b"
	done
}

# --- in the guest --------------------------------------------------------------
guest() {
	local g=$1 rc=0
	cd "$top"
	scripts/leak-check.sh begin ||
		add leaks "begin (guest $g)" fail "scripts/leak-check.sh begin failed" "$res/leaks@$g.jsonl"
	python3 scripts/run-guest-jobs.py --guest "$g" --queue "$queue" || rc=$?
	[ $rc -eq 0 ] ||
		add runner "jobs (guest $g)" fail "scripts/run-guest-jobs.py exited with status $rc" "$res/runner@$g.jsonl"
	# Every client is gone: the module must unload and nothing may leak.
	step "leaks (guest $g): scripts/leak-check.sh end"
	rc=0
	scripts/leak-check.sh end || rc=$?
	if [ $rc -eq 0 ]; then
		add leaks "end (guest $g)" pass "" "$res/leaks@$g.jsonl"
	else
		add leaks "end (guest $g)" fail "exit status $rc" "$res/leaks@$g.jsonl"
	fi
}

if [ "${1:-}" = --guest ]; then
	guest "${2:?--guest N}"
	exit 0
fi

# --- on the host ---------------------------------------------------------------
t_start=$(date +%s)
make=(make --no-print-directory -C "$top")
guests=${VSVM_CHECK_GUESTS:-2}
case $guests in [1-9]) ;; *) echo "check: VSVM_CHECK_GUESTS must be 1..9" >&2; exit 2 ;; esac

# Suites that must have results (the job suites are added below).
SUITES=build,runner,lib,lint,compiler

summary() {
	step "results (build/junit.xml, build/results/, guest logs in build/vm/)"
	echo "make check took $(( $(date +%s) - t_start )) s"
	python3 "$results" report --dir "$res" --junit "$top/build/junit.xml" --expect "$SUITES"
}

step deps
"${make[@]}" deps

# Nothing of an earlier run may pass for this one's (a verdict, a status).
rm -rf "$res" "$top/build/junit.xml" "$queue" "$top/build/host-suites.log" \
	"$top"/build/vm/check-[0-9]* "$top"/build/vm/selftest-splat*
mkdir -p "$res" "$top/build/vm"

# A build step that fails is a failed test; the suites that need it then
# fail for lack of results, and the others still run.
build_step() { # name command...
	local name=$1 t0
	shift
	step "build: $name"
	t0=$(date +%s)
	if "$@"; then
		add build "$name" pass
	else
		add build "$name" fail "'$*' failed (output above)"
		return 1
	fi
	echo "($(( $(date +%s) - t0 )) s)"
}

if ! build_step kernel "${make[@]}" kernel; then
	summary || exit 1
	exit 1
fi
vmflags=()
if ! build_step module "${make[@]}" module; then
	vmflags+=(--no-module)
fi
# 64 MiB of VRAM per device keeps the 2x-oversubscription tests short on
# the debug kernel; the other module parameters keep their defaults.
checkflags=("${vmflags[@]}")
[ ${#vmflags[@]} -ne 0 ] || checkflags+=(--modparams "vram_size_mb=64")
# kmemleak tracks every allocation of the run; scripts/leak-check.sh reads it.
checkflags+=(--append kmemleak=on)
build_step user "${make[@]}" user || true
build_step hmm-tests scripts/run-hmm-tests.sh build || true

# --- HOST SUITES -----------------------------------------------------------------
# host_suite NAME COMMAND...: COMMAND writes build/results/NAME.jsonl; it
# fails if it wrote nothing (or exited non-zero without a failing record).
host_suite() {
	local name=$1 rc=0 t0
	shift
	step "$name: $*"
	t0=$(date +%s)
	"$@" || rc=$?
	python3 "$results" runner --out "$res/$name.jsonl" --suite "$name" --rc "$rc" --runner "$*"
	echo "=== $name: status $rc after $(( $(date +%s) - t0 )) s"
}
# shellcheck disable=SC2317 # called through host_suite
lib_test() {
	[ -f "$top/lib/Makefile" ] || { echo "lib/Makefile does not exist"; return 1; }
	"${make[@]}" -C lib test O="$top/build" # ASan+UBSan: lib/Makefile
}
# shellcheck disable=SC2317 # called through host_suite
compiler_test() { # the NIR corpus through the reference interpreter, ASan+UBSan
	"${make[@]}" -C compiler test O="$top/build"
}
host_suites() {
	# The splat scanner and the result parsers.
	host_suite runner scripts/test-runner.sh --out "$res/runner.jsonl"
	host_suite lib lib_test
	host_suite compiler compiler_test
	host_suite lint scripts/lint.sh --out "$res/lint.jsonl"
}

# --- the guests -----------------------------------------------------------------
# The queue: the job table, longest estimate first; guests claim jobs by
# creating claimed/<job> (build/ is the guests' shared, writable results
# share) and mark them done/<job>.
mkdir -p "$queue/claimed" "$queue/done"
# VSVM_CHECK_ONLY='kunit igt/*': only the guest jobs matching one of these
# globs (a quick partial run; the summary then expects only their suites).
only=${VSVM_CHECK_ONLY:-*}
guest_jobs | while IFS= read -r line; do
	set -f # globs for job names, not file names
	for glob in $only; do
		# shellcheck disable=SC2053 # a glob on purpose
		if [[ ${line%%$'\t'*} == $glob ]]; then
			printf '%s\n' "$line"
			break
		fi
	done
done | sort -t $'\t' -k4,4nr -s > "$queue/list"
while IFS=$'\t' read -r name _; do
	case ,$SUITES, in *",${name%%/*},"*) ;; *) SUITES+=",${name%%/*}" ;; esac
done < "$queue/list"
SUITES+=,leaks

# boot NAME TIMEOUT VM-RUN-ARGS... -- CMD: one guest, its output prefixed
# with [NAME]; the status of vm-run in build/vm/NAME.rc.
boot() {
	local name=$1 limit=$2
	shift 2
	(
		rc=0
		VSVM_QUIET=1 "$top/scripts/vm-run.sh" --name "$name" --timeout "$limit" "$@" \
			2>"$top/build/vm/$name.stderr" || rc=$?
		echo "$rc" > "$top/build/vm/$name.rc"
	) | sed -u "s/^/[$name] /"
}

# The runner's self-test: a WARN at probe (vsvm.debug_warn=1) must fail
# the boot with verdict "splat".
selftest_splat() {
	local rc verdict
	boot selftest-splat 600 --modparams debug_warn=1 -- true
	rc=$(cat "$top/build/vm/selftest-splat.rc")
	verdict=$(cat "$top/build/vm/selftest-splat/verdict" 2>/dev/null || echo none)
	if [ "$rc" -eq 3 ] && [ "$verdict" = splat ]; then
		echo "[selftest-splat] caught: vm-run exited $rc with verdict splat"
		add runner splat-detected pass
	else
		add runner splat-detected fail "vm-run with debug_warn=1 exited $rc, verdict $verdict (want a splat): $(tail -n 20 "$top/build/vm/selftest-splat.stderr")"
	fi
}

# The host suites run beside the guests, at a lower priority: they use the
# CPU time the guests leave (waits, sleeps), and their output comes after
# the guests'.
step "host suites: runner, lib, lint (beside the guests; output below, after theirs)"
(
	renice -n 10 -p "$BASHPID" > /dev/null || true
	cd "$top"
	host_suites
) > "$top/build/host-suites.log" 2>&1 &
host_pid=$!

step "guests: $guests at once, $(wc -l < "$queue/list") jobs (output of guest N prefixed [check-N])"
t_guests=$(date +%s)
pids=()
for ((g = 1; g <= guests; g++)); do
	(
		# The last guest boots after the self-test, which takes one slot
		# for a short boot: the queue evens out the difference.
		if [ $g -eq "$guests" ]; then
			if [ ${#vmflags[@]} -eq 0 ]; then
				selftest_splat
			else
				add runner splat-detected fail "vsvm.ko did not build; the self-test needs it"
			fi
		fi
		boot "check-$g" 3600 --only-if "test ! -e '$queue/exhausted'" \
			"${checkflags[@]}" -- scripts/check.sh --guest "$g"
	) &
	pids+=($!)
done
wait "${pids[@]}" || true
echo "guests took $(( $(date +%s) - t_guests )) s"
wait "$host_pid" || true
step "host suites (their output)"
cat "$top/build/host-suites.log"

for ((g = 1; g <= guests; g++)); do
	rc=$(cat "$top/build/vm/check-$g.rc" 2>/dev/null || echo none)
	cat "$top/build/vm/check-$g.stderr" >&2 || true
	verdict=$(cat "$top/build/vm/check-$g/verdict" 2>/dev/null || echo none)
	if [ "$verdict" = skipped ]; then
		add runner "boot (guest $g)" skip "every job was taken when a VM slot came free"
	elif [ "$rc" = 0 ]; then
		add runner "boot (guest $g)" pass
		add runner "kernel-log (guest $g)" pass
	else
		msg=$(grep -v '^vm-run: exit status' "$top/build/vm/check-$g.stderr" | head -n 60 || true)
		case $verdict in
		splat) add runner "boot (guest $g)" pass; add runner "kernel-log (guest $g)" fail "$msg" ;;
		*) add runner "boot (guest $g)" fail "vm-run status $rc, verdict $verdict: $msg" ;;
		esac
	fi
done

# Every job is accounted for.
while IFS=$'\t' read -r name kind _ _ cmd; do
	id=${name//\//@}
	# The record's name: the program the job runs (as run-guest-jobs.py names it).
	what=${cmd#python3 }
	what=${what%% *}
	what=${what##*/}
	[ "$kind" != igt ] || what=run-igt.py
	if [ ! -d "$queue/claimed/$id" ]; then
		add "$name" "$what" fail "no guest ran this job (every guest stopped before it: see build/vm/check-*)" "$res/$id.jsonl"
	elif [ ! -f "$queue/done/$id" ]; then
		g=$(cat "$queue/claimed/$id/guest" 2>/dev/null || echo '?')
		add "$name" "$what" fail "guest $g started this job and never finished it (a panic or a timeout: see build/vm/check-$g)" "$res/$id.jsonl"
	fi
done < "$queue/list"

summary
exit
}
