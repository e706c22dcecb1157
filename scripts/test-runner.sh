#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side unit tests of the test machinery itself: the kernel-log splat
# scanner of scripts/vm-run.sh and the parsers of scripts/results.py.
#
#   scripts/test-runner.sh [--out build/results/runner.jsonl]
#
# Exit status 1 if a check failed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=
[ "${1:-}" = --out ] && out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

result() { # name status message
	echo "test-runner: $1: $2${3:+ ($3)}"
	[ "$2" = pass ] || failed=1
	[ -z "$out" ] || python3 "$top/scripts/results.py" add --out "$out" \
		--suite runner --name "$1" --status "$2" --message "${3:-}"
}

# A clean debug-kernel log, with userspace markers that look like splats.
cat > "$tmp/clean" <<'EOF'
[    0.000000] Linux version 6.12.57-vsvm-debug (root@host) #1 SMP PREEMPT_DYNAMIC
[    0.120000] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar
[    0.120001] ... MAX_LOCKDEP_SUBCLASSES:  8
[    0.300000] kasan: KernelAddressSanitizer initialized (generic)
[    9.000000] vsvm-guest: command start
[    9.100000] [IGT] vsvm_basic: starting subtest lockdep-BUG:-WARNING:
EOF
if "$top/scripts/vm-run.sh" --scan "$tmp/clean" > "$tmp/clean.out"; then
	result scanner-clean-log pass
else
	result scanner-clean-log fail "false positive: $(head -c 400 "$tmp/clean.out")"
fi

# Each kind of splat must be caught on its own.
splats=(
	"WARNING: CPU: 1 PID: 80 at drivers/gpu/drm/vsvm/vsvm_drv.c:99 vsvm_probe+0x1/0x2 [vsvm]"
	"BUG: KASAN: slab-use-after-free in vsvm_vm_put+0x10/0x20 [vsvm]"
	"BUG: sleeping function called from invalid context at mm/memory.c:6000"
	"Oops: general protection fault, probably for non-canonical address 0xdead: 0000 [#1] PREEMPT SMP KASAN"
	"kernel BUG at mm/hmm.c:123!"
	"WARNING: possible circular locking dependency detected"
	"INFO: task kworker/0:1:42 blocked for more than 120 seconds."
	"Kernel panic - not syncing: Fatal exception"
	" Call Trace:"
)
missed=()
for s in "${splats[@]}"; do
	{ cat "$tmp/clean"; echo "[   10.000000] $s"; } > "$tmp/splat"
	rc=0
	"$top/scripts/vm-run.sh" --scan "$tmp/splat" > "$tmp/splat.out" || rc=$?
	if [ $rc -ne 3 ] || ! grep -qF "$s" "$tmp/splat.out"; then
		missed+=("$s")
	fi
done
if [ ${#missed[@]} -eq 0 ]; then
	result scanner-catches-splats pass
else
	result scanner-catches-splats fail "not caught: ${missed[*]}"
fi

# KTAP as KUnit writes it (debugfs results file of one suite).
cat > "$tmp/ktap" <<'EOF'
KTAP version 1
1..1
    KTAP version 1
    # Subtest: vsvm_pt
    1..3
    ok 1 map
        KTAP version 1
        # Subtest: param
        ok 1 seed 1
        not ok 2 seed 2
    not ok 2 param
    ok 3 huge # SKIP no THP
not ok 1 vsvm_pt
EOF
got=$(python3 "$top/scripts/results.py" ktap "$tmp/ktap" |
	python3 -c 'import json,sys; print(" ".join(r["name"]+"="+r["status"] for r in map(json.loads, sys.stdin)))')
want="vsvm_pt.map=pass vsvm_pt.param=fail vsvm_pt.huge=skip"
if [ "$got" = "$want" ]; then
	result ktap-parser pass
else
	result ktap-parser fail "got '$got', want '$want'"
fi

# kselftest harness TAP with an expected failure.
cat > "$tmp/tap" <<'EOF'
TAP version 13
1..4
ok 1 hmm.hmm_device_private.open_close
not ok 2 hmm.hmm_device_private.exclusive
ok 3 hmm.hmm_device_coherent.open_close # SKIP DEVICE_COHERENT not available
not ok 4 hmm.hmm_device_private.anon_read
EOF
got=$(python3 "$top/scripts/results.py" kselftest --suite hmm --xfail exclusive "$tmp/tap" |
	python3 -c 'import json,sys; print(" ".join(r["status"] for r in map(json.loads, sys.stdin)))')
want="pass xfail skip fail"
if [ "$got" = "$want" ]; then
	result kselftest-parser pass
else
	result kselftest-parser fail "got '$got', want '$want'"
fi

exit $failed
