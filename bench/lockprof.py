#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lock contention profile from `perf script` of lock:contention_begin/end.

    perf record -e lock:contention_begin -e lock:contention_end -a -g -- CMD
    perf script -F comm,tid,cpu,time,event,trace,ip,sym | lockprof.py [--top N] [--window T0,T1]

The guest kernels are built without CONFIG_LOCK_STAT (no /proc/lock_stat),
but the contention tracepoints are always there. Each contention_begin is
paired with the next contention_end of the same task; the wait is the time
between them. Waits are summed per lock kind (the tracepoint's flags) and
call site (the first two callers outside the locking code), and the top
entries by total wait are printed. With --window only contentions that
begin inside [T0, T1] (perf timestamps, e.g. CLOCK_MONOTONIC with `perf
record -k monotonic`) count; perf's own tasks never do.
"""
import argparse
import collections
import re
import sys

LOCK_FUNCS = re.compile(
    r"^(_raw_|__raw_|queued_|native_queued|__pv_queued|pv_queued|do_raw_|"
    r"__mutex_lock|mutex_lock|__mutex_|mutex_spin|osq_lock|"
    r"rwsem_|__rwsem|down_read|down_write|__down|up_read|up_write|"
    r"percpu_down|percpu_rwsem|rt_mutex|__rt_mutex|"
    r"lock_acquire|lock_contended|__lock_|trace_contention|__traceiter|"
    r"__pfx_|_raw_spin|spin_lock|__spin|"
    r"mmap_read_lock|mmap_write_lock|__mmap_lock|mmap_lock)")
HEAD = re.compile(r"^\s*(\S.*?)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+lock:(contention_begin|"
                  r"contention_end):\s*(.*)$")
FLAGS = re.compile(r"flags=([A-Z_|]+|0x[0-9a-f]+|\d+)")


def parse(lines):
    """Yield (comm, tid, time, event, fields, [symbols])."""
    cur = None
    for line in lines:
        m = HEAD.match(line)
        if m:
            if cur:
                yield cur
            cur = (m.group(1), int(m.group(2)), float(m.group(4)), m.group(5),
                   m.group(6), [])
            continue
        if cur and line.strip():
            parts = line.split()
            if len(parts) >= 2:
                cur[5].append(parts[1].split("+")[0])
        elif cur and not line.strip():
            yield cur
            cur = None
    if cur:
        yield cur


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--window", metavar="T0,T1")
    args = ap.parse_args()
    lo, hi = (float(x) for x in args.window.split(",")) if args.window else (None, None)
    begin = {}
    total = collections.Counter()
    count = collections.Counter()
    worst = collections.Counter()
    comms = collections.defaultdict(collections.Counter)
    span = [None, None]
    for comm, tid, t, ev, fields, syms in parse(sys.stdin):
        if comm.startswith("perf"):
            continue
        if lo is not None and ev == "contention_begin" and not lo <= t <= hi:
            continue
        if ev == "contention_begin":
            span[0] = t if span[0] is None else min(span[0], t)
            span[1] = t if span[1] is None else max(span[1], t)
            m = FLAGS.search(fields)
            callers = [s for s in syms if not LOCK_FUNCS.match(s)][:2]
            key = (m.group(1) if m else "?", " <- ".join(callers) or "?")
            begin[tid] = (t, key, comm)
        elif tid in begin:
            t0, key, c = begin.pop(tid)
            wait = t - t0
            total[key] += wait
            count[key] += 1
            worst[key] = max(worst[key], wait)
            comms[key][re.sub(r"[/:]?\d+$", "", c)] += 1
    if not total:
        print("lockprof: no contention recorded")
        return 0
    secs = (span[1] - span[0]) if span[0] is not None else 0
    if lo is not None:
        secs = hi - lo
    print(f"lock contention over {secs:.3f} s: {sum(count.values())} contentions, "
          f"{sum(total.values()) * 1e3:.1f} ms waited in total (all CPUs)")
    print(f"{'total ms':>9} {'count':>7} {'avg us':>8} {'max us':>8}  {'kind':<14} caller  [tasks]")
    for key, tot in total.most_common(args.top):
        kind, caller = key
        tasks = ", ".join(f"{c}:{n}" for c, n in comms[key].most_common(3))
        print(f"{tot * 1e3:>9.2f} {count[key]:>7} {tot / count[key] * 1e6:>8.1f} "
              f"{worst[key] * 1e6:>8.1f}  {kind:<14} {caller}  [{tasks}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
