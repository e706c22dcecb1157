#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: build everything, run every suite, print the summary.
#
#   scripts/check.sh            # on the host (what `make check` runs)
#   scripts/check.sh --guest    # in the guest: the in-guest suites, in order
#
# Host: deps, kernel, module, userspace, host unit tests (lib, ASan +
# UBSan), the hmm-tests binary; then ONE guest boot running KUnit, IGT and
# the kernel's HMM selftests; then a second short boot with
# vsvm.debug_warn=1, which must be caught as a splat (the runner's
# self-test). Results: build/results/*.jsonl, build/junit.xml, a table per
# suite and, last, "N passed, N failed, N skipped". Exit status 1 if
# anything failed (a test, a build step, a splat, a suite without results).
set -euo pipefail
# Parsed whole before it runs, so editing this file cannot derail a running copy.
{

top=$(cd "$(dirname "$0")/.." && pwd)
res=$top/build/results
results=$top/scripts/results.py
SUITES=build,lib,compiler,kunit,igt,hmm,compiler-device,fuzz,inject,stress,leaks,runner

add() { # suite name status message
	python3 "$results" add --out "$res/$1.jsonl" --suite "$1" --name "$2" \
		--status "$3" --message "${4:-}"
}

step() { echo; echo "=== $*"; }

# --- in the guest -------------------------------------------------------------
guest() {
	# A runner: suite, time limit, command. Its exit status only matters
	# when it left no results or no failure to explain it.
	suite() {
		local name=$1 limit=$2 rc=0 t0
		shift 2
		step "$name: $*"
		t0=$(date +%s)
		timeout -k 10 "$limit" "$@" || rc=$?
		[ $rc -ne 124 ] || add "$name" "$(basename "$1")" fail "timed out after $limit s"
		python3 "$results" runner --out "$res/$name.jsonl" --suite "$name" \
			--rc $rc --runner "$(basename "$1")"
		echo "=== $name: status $rc after $(( $(date +%s) - t0 )) s"
	}
	tool() { # suite time-limit command...: pass if it exits 0
		local name=$1 limit=$2 rc=0
		shift 2
		step "$name: $*"
		timeout -k 10 "$limit" "$@" || rc=$?
		if [ $rc -eq 0 ]; then
			add "$name" "$(basename "$1")" pass
		else
			add "$name" "$(basename "$1")" fail "exit status $rc"
		fi
	}
	cd "$top"
	scripts/leak-check.sh begin || add leaks begin fail "scripts/leak-check.sh begin failed"
	suite kunit 300 scripts/run-kunit.sh
	if [ -f scripts/run-igt.py ]; then
		suite igt 2700 python3 scripts/run-igt.py
	else
		add igt run-igt.py fail "scripts/run-igt.py does not exist"
	fi
	suite hmm 300 scripts/run-hmm-tests.sh run
	# the compiler's corpus kernels, compiled and run on the device
	if [ -x build/compiler/tests/vsvm-cc-tests ]; then
		suite compiler-device 300 build/compiler/tests/vsvm-cc-tests --device \
			--corpus compiler/tests/corpus --results "$res/compiler-device.jsonl"
	fi
	# Short versions of `make stress`: one record each, pass or fail.
	tool fuzz 300 build/tools/vsvm-fuzz -n 20000 -t 3 -T 240
	tool inject 900 build/tools/vsvm-inject -n 400 -S 4
	tool stress 400 build/tools/vsvm-stress -p 2 -t 2 -d 120 -m 256
	# Every client is gone: the module must unload and nothing may leak.
	tool leaks 300 scripts/leak-check.sh end
}

if [ "${1:-}" = --guest ]; then
	guest
	exit 0
fi

# --- on the host --------------------------------------------------------------
t_start=$(date +%s)
make=(make --no-print-directory -C "$top")

summary() {
	step "results (build/junit.xml, build/results/, guest logs in build/vm/)"
	echo "make check took $(( $(date +%s) - t_start )) s"
	python3 "$results" report --dir "$res" --junit "$top/build/junit.xml" --expect "$SUITES"
}

step deps
"${make[@]}" deps

rm -rf "$res" "$top/build/junit.xml"
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

step "runner: unit tests of the splat scanner and the result parsers"
"$top/scripts/test-runner.sh" --out "$res/runner.jsonl" || true

step "lib: host unit tests under ASan and UBSan"
if [ -f "$top/lib/Makefile" ]; then
	rc=0
	"${make[@]}" -C lib test O="$top/build" || rc=$? # ASan+UBSan: lib/Makefile
	python3 "$results" runner --out "$res/lib.jsonl" --suite lib --rc $rc --runner "make -C lib test"
else
	add lib "make -C lib test" fail "lib/Makefile does not exist"
fi

step "compiler: host tests under ASan and UBSan (NIR corpus, reference interpreter)"
if [ -f "$top/compiler/Makefile" ]; then
	rc=0
	"${make[@]}" -C compiler test O="$top/build" || rc=$? # compiler/Makefile
	python3 "$results" runner --out "$res/compiler.jsonl" --suite compiler --rc $rc --runner "make -C compiler test"
fi

step "guest: KUnit, IGT, hmm-tests (one boot; output follows)"
rc=0
VSVM_QUIET=1 "$top/scripts/vm-run.sh" --name check --timeout 3600 "${checkflags[@]}" \
	-- scripts/check.sh --guest 2>"$top/build/vm/check.stderr" || rc=$?
cat "$top/build/vm/check.stderr" >&2
verdict=$(cat "$top/build/vm/check/verdict" 2>/dev/null || echo none)
if [ $rc -eq 0 ]; then
	add runner boot pass
	add runner kernel-log pass
else
	msg=$(grep -v '^vm-run: exit status' "$top/build/vm/check.stderr" | head -n 60 || true)
	case $verdict in
	splat) add runner boot pass; add runner kernel-log fail "$msg" ;;
	*) add runner boot fail "vm-run status $rc, verdict $verdict: $msg" ;;
	esac
fi

step "runner self-test: a WARN at probe (vsvm.debug_warn=1) must fail the run"
if [ ${#vmflags[@]} -eq 0 ]; then
	rc=0
	VSVM_QUIET=1 "$top/scripts/vm-run.sh" --name selftest-splat --timeout 600 \
		--modparams debug_warn=1 -- true 2>"$top/build/vm/selftest-splat.stderr" || rc=$?
	verdict=$(cat "$top/build/vm/selftest-splat/verdict" 2>/dev/null || echo none)
	if [ $rc -ne 0 ] && [ "$verdict" = splat ]; then
		echo "caught: vm-run exited $rc with verdict splat"
		add runner splat-detected pass
	else
		add runner splat-detected fail "vm-run with debug_warn=1 exited $rc, verdict $verdict (want a splat): $(tail -n 20 "$top/build/vm/selftest-splat.stderr")"
	fi
else
	add runner splat-detected fail "vsvm.ko did not build; the self-test needs it"
fi

summary
exit
}
