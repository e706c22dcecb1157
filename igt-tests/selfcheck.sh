#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# selfcheck.sh BUILD/igt/vsvm_harness
#
# Proves the IGT protocol of igt_vsvm_core.h against the real libigt: exit
# codes 0/77/79/98 and the result lines a runner parses. No device needed.
set -u
bin=$1
export IGT_PLAIN_OUTPUT=1
fails=0

expect() { # expect <want-rc> <want-result|-> <env> <subtest> [args]
	want=$1 res=$2 env=$3 sub=$4
	shift 4
	# shellcheck disable=SC2086 # $env is a list of VAR=value words
	out=$(env $env "$bin" --run-subtest "$sub" "$@" 2>/dev/null)
	rc=$?
	ok=1
	[ "$rc" -eq "$want" ] || ok=0
	# A subtest skipped by its group's fixture never starts: "SKIP-early".
	if [ "$res" = SKIP-early ]; then
		res=SKIP
		printf '%s\n' "$out" | grep -q "^Starting subtest:" && ok=0
	elif [ "$res" != - ]; then
		printf '%s\n' "$out" | grep -q "^Starting subtest: $sub\$" || ok=0
	fi
	if [ "$res" != - ]; then
		printf '%s\n' "$out" | grep -Eq "^Subtest $sub: $res \([0-9.]+s\)\$" || ok=0
	fi
	if [ $ok -eq 1 ]; then
		echo "selfcheck: ok   $sub ($env) -> rc $rc ${res}"
	else
		echo "selfcheck: FAIL $sub ($env) -> rc $rc, wanted $want $res"
		fails=$((fails + 1))
	fi
}

n=$("$bin" --list-subtests | wc -l)
if [ "$n" -eq 12 ]; then
	echo "selfcheck: ok   --list-subtests lists $n"
else
	echo "selfcheck: FAIL --list-subtests lists $n, wanted 12"
	fails=$((fails + 1))
fi
expect 0 SUCCESS "X=" pass
expect 77 SKIP "X=" skip
expect 77 SKIP "X=" fail
expect 98 FAIL "VSVM_HARNESS_FAIL=1" fail
expect 0 SUCCESS "X=" formatted-1
expect 0 SUCCESS "X=" dynamic
expect 0 SUCCESS "X=" dynamic --dynamic-subtest case-1
expect 77 SKIP-early "X=" group-skipped
expect 0 SUCCESS "X=" after-group
expect 0 SUCCESS "X=" in-described-group
expect 0 SUCCESS "X=" fork
expect 98 FAIL "VSVM_HARNESS_FAIL=1" fork-fail
expect 0 SUCCESS "X=" compare
expect 79 - "X=" no-such-subtest
[ $fails -eq 0 ] && echo "selfcheck: protocol OK" && exit 0
echo "selfcheck: $fails check(s) failed"
exit 1
