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
[    0.120000] Lock dependency validator enabled (lockdep banner, no splat)
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

# OOM-killer reports are expected; what surrounds them is still scanned, by
# both scanners: scan_log (vm-run.sh --scan) and splat_hits (run-igt.py).
cat > "$tmp/oom" <<'EOF'
[   20.100000] vsvm_lifetime invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=1000
[   20.100001] CPU: 1 UID: 0 PID: 321 Comm: vsvm_lifetime Not tainted 6.12.57-vsvm-debug #1
[   20.100002] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
[   20.100003] Call Trace:
[   20.100004]  <TASK>
[   20.100005]  dump_stack_lvl+0x5d/0x80
[   20.100006]  dump_header+0x44/0x1a0
[   20.100007]  oom_kill_process+0x101/0x270
[   20.100008]  out_of_memory+0x245/0x5a0
[   20.100009]  __alloc_pages_slowpath.constprop.0+0xb05/0xd90
[   20.100010]  </TASK>
[   20.100011] Mem-Info:
[   20.100012] active_anon:950000 inactive_anon:12 isolated_anon:0
[   20.100013] Tasks state (memory values in pages):
[   20.100014] [  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name
[   20.100015] [    321]     0   321  1050000   950000   950000        0         0  7700000        0          1000 vsvm_lifetime
[   20.100016] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=vsvm_lifetime,pid=321,uid=0
[   20.100017] Out of memory: Killed process 321 (vsvm_lifetime) total-vm:4200000kB, anon-rss:3800000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:7520kB oom_score_adj:1000
[   20.200000] oom_reaper: reaped process 321 (vsvm_lifetime), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB
EOF
cat > "$tmp/count-hits.py" <<'EOF'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("run_igt", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
with open(sys.argv[3], encoding="utf-8") as f:
    lines = f.read().splitlines()
print(len(m.splat_hits(lines, m.load_patterns(sys.argv[2]))))
EOF
warn="[   21.000000] WARNING: CPU: 0 PID: 5 at drivers/gpu/drm/vsvm/vsvm_vram.c:145 vsvm_vram_free+0x1/0x2 [vsvm]"
trace="[   21.000001] Call Trace:"
# oom_case NAME WANT [TEXT]: log $tmp/NAME must have WANT splat lines (0:
# clean) for both scanners, and vm-run's report must show TEXT.
oom_case() {
	local name=$1 want=$2 text=${3:-Call Trace:} rc=0 got
	"$top/scripts/vm-run.sh" --scan "$tmp/$name" > "$tmp/$name.out" || rc=$?
	got=$(python3 "$tmp/count-hits.py" "$top/scripts/run-igt.py" \
		"$top/scripts/splat-patterns.txt" "$tmp/$name" 2>&1 || true)
	if [ "$want" -eq 0 ]; then
		if [ $rc -eq 0 ] && [ "$got" = 0 ]; then
			result "$name" pass
			return
		fi
	elif [ $rc -eq 3 ] && [ "$got" = "$want" ] &&
	     grep -qF "$text" "$tmp/$name.out"; then
		result "$name" pass
		return
	fi
	result "$name" fail "vm-run --scan status $rc, run-igt.py hits '$got', want $want: $(head -c 300 "$tmp/$name.out")"
}
# An OOM report alone (twice) is clean.
cat "$tmp/clean" "$tmp/oom" > "$tmp/scanner-oom-report-clean"
oom_case scanner-oom-report-clean 0
cat "$tmp/clean" "$tmp/oom" "$tmp/oom" > "$tmp/scanner-two-oom-reports"
oom_case scanner-two-oom-reports 0
# A WARNING with its Call Trace after the report: both lines.
{ cat "$tmp/clean" "$tmp/oom"; echo "$warn"; echo "$trace"; } > "$tmp/scanner-oom-then-warning"
oom_case scanner-oom-then-warning 2 "WARNING: CPU: 0 PID: 5"
# A bare Call Trace after the report.
{ cat "$tmp/clean" "$tmp/oom"; echo "$trace"; } > "$tmp/scanner-oom-then-call-trace"
oom_case scanner-oom-then-call-trace 1 "$trace"
# A WARNING inside the report.
{ cat "$tmp/clean"; sed -n 1,9p "$tmp/oom"; echo "$warn"; sed -n '10,$p' "$tmp/oom"; } > "$tmp/scanner-warning-inside-oom"
oom_case scanner-warning-inside-oom 1 "WARNING: CPU: 0 PID: 5"
# A report that never ends excuses nothing.
{ cat "$tmp/clean"; sed -n 1,16p "$tmp/oom"; } > "$tmp/scanner-oom-unterminated"
oom_case scanner-oom-unterminated 1 "Call Trace:"

# run-igt.py's batch mode (all subtests of a binary in one process) with a
# stand-in for an IGT binary: a hang and a crash each fail their subtest
# alone, the subtests after them still run (in a new process), a result
# per subtest; a failure after the last result is a failure of its own.
mkdir -p "$tmp/igtb/igt"
cat > "$tmp/igtb/igt/vsvm_fake" <<'EOF2'
#!/bin/bash
names="a hang b crash c"
[ "$1" != --list-subtests ] || { printf '%s\n' $names; exit 0; }
sel=",$2,"
for n in $names; do
	case $sel in *",$n,"*) ;; *) continue ;; esac
	echo "Starting subtest: $n"
	case $n in
	hang) sleep 100 ;;
	crash) echo "about to crash" >&2; kill -SEGV $$ ;;
	esac
	echo "Subtest $n: SUCCESS (0.001s)"
done
exit "${FAKE_EXIT:-0}"
EOF2
chmod +x "$tmp/igtb/igt/vsvm_fake"
batch_case() { # name want(name=status ...) [env]
	local name=$1 want=$2 got envs=()
	[ -z "${3:-}" ] || envs=("$3")
	env "${envs[@]}" python3 "$top/scripts/run-igt.py" --build "$tmp/igtb" --bin fake \
		--timeout 2 --results "$tmp/$name.jsonl" > "$tmp/$name.out" 2>&1 || true
	got=$(python3 -c 'import json,sys; print(" ".join(r["name"]+"="+r["status"] for r in map(json.loads, open(sys.argv[1]))))' \
		"$tmp/$name.jsonl" 2>&1)
	if [ "$got" = "$want" ]; then
		result "$name" pass
	else
		result "$name" fail "got '$got', want '$want': $(tail -n 5 "$tmp/$name.out")"
	fi
}
batch_case igt-batch-hang-crash "a=pass hang=fail b=pass crash=fail c=pass"
batch_case igt-batch-exit-status "a=pass hang=fail b=pass crash=fail c=pass process-exit=fail" FAKE_EXIT=3

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
