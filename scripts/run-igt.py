#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run the vsvm IGT tests the way igt_runner does, inside the guest.

For every test binary in build/igt/ (vsvm_harness excluded), list its
subtests with --list-subtests, run each alone with --run-subtest NAME,
enforce a per-subtest timeout (a killed subtest fails), parse the
"Subtest NAME: RESULT" line, and scan the kernel log lines that appeared
during the subtest (/dev/kmsg) with scripts/splat-patterns.txt: a match
turns the result into a failure ("dmesg-warn") carrying the lines. The
"Call Trace:" of an OOM-killer report is expected (see splat_hits()).

Writes one JSON record per subtest to build/results/igt.jsonl
({"suite": "igt/<binary>", "name", "status", "time", "message"}) and
prints one line per subtest and a summary per binary. Exits 0 when the
suite ran, whatever the results (the aggregator decides); 2 when it could
not run at all (no binaries, no results directory...).

  python3 scripts/run-igt.py [--filter GLOB] [--bin NAME] [--timeout S]
"""

import argparse
import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SELF_CHECK_BINS = {"vsvm_harness"}
RESULT_RE = re.compile(
    r"^Subtest (?P<name>\S+): (?P<res>SUCCESS|SKIP|FAIL|CRASH|TIMEOUT)"
    r"(?: \((?P<t>[0-9.]+)s\))?")
# Userspace markers written to the kernel log are not splats.
MARKER_RE = re.compile(r"\[IGT\] |vsvm-guest: ")
# An OOM-killer report (a test may provoke one) runs from "<comm> invoked
# oom-killer: ..." to its "Out of memory: Killed process ..." line; the same
# expressions as scan_log in scripts/vm-run.sh.
OOM_START_RE = re.compile(r"invoked oom-killer:")
OOM_END_RE = re.compile(
    r"(Out of memory|Memory cgroup out of memory)"
    r"( \(oom_kill_allocating_task\))?: Killed process"
    r"|oom_reaper: reaped process")
# The only pattern an OOM-killer report excuses (its stack dump).
OOM_EXCUSED = "Call Trace:"
# Kernel log lines worth showing beside a failed subtest's own output (a
# flaky failure in CI leaves nothing else to read).
DIGEST_RE = re.compile(r"vsvm|invoked oom-killer|Out of memory|oom_reaper|"
                       r"blocked for more than|hmm|migrat")


def load_patterns(path):
    pats = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    pats.append(re.compile(line))
    except OSError as e:
        print(f"run-igt: cannot read {path}: {e}; using built-in patterns",
              file=sys.stderr)
        pats = [re.compile(p) for p in (
            r"WARNING:", r"BUG:", r"Oops", r"kernel BUG", r"KASAN",
            r"possible circular locking", r"lockdep",
            r"INFO: task .* blocked", r"general protection fault",
            r"Call Trace:")]
    return pats


def splat_hits(lines, patterns):
    """The kernel log lines of @lines that match @patterns, in order.

    Userspace markers never match. Inside an OOM-killer report that ends
    (see OOM_START_RE, OOM_END_RE) a line matched only by "Call Trace:" is
    expected; any other pattern there, a Call Trace outside a report and
    every line of a report that never ends still count."""
    hits, pending, is_open = [], [], False
    for i, line in enumerate(lines):
        if MARKER_RE.search(line):
            continue
        if not is_open and OOM_START_RE.search(line):
            is_open, pending = True, []
        matched = [p for p in patterns if p.search(line)]
        if matched:
            if is_open and all(p.pattern == OOM_EXCUSED for p in matched):
                pending.append((i, line))
            else:
                hits.append((i, line))
        if is_open and OOM_END_RE.search(line):
            is_open, pending = False, []
    return [line for _, line in sorted(hits + pending)]


class Kmsg:
    """Non-blocking reader of /dev/kmsg positioned at the end of the log."""

    def __init__(self):
        self.fd = None
        try:
            self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
            os.lseek(self.fd, 0, os.SEEK_END)
        except OSError as e:
            print(f"run-igt: /dev/kmsg unavailable ({e}); kernel log not "
                  "checked", file=sys.stderr)
            self.fd = None

    def drain(self):
        lines = []
        if self.fd is None:
            return lines
        while True:
            try:
                rec = os.read(self.fd, 8192)
            except BlockingIOError:
                break
            except OSError as e:
                if e.errno == 32:  # EPIPE: records overwritten, go on
                    continue
                break
            if not rec:
                break
            text = rec.decode("utf-8", "replace")
            # "prio,seq,time,flags;message\n continuation lines"
            head, _, msg = text.partition(";")
            lines.append(msg.rstrip("\n"))
        return lines


RUN_ENV = dict(os.environ, IGT_PLAIN_OUTPUT="1")


def root_is_9p():
    try:
        with open("/proc/mounts", encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) > 2 and parts[1] == "/":
                    return parts[2] == "9p"
    except OSError:
        pass
    return False


def stage(igt_dir, bins, dest):
    """Copy the binaries, libvsvm and the shared libraries they load to
    @dest (tmpfs). Starting a test binary loads ~45 libraries; from the
    guest's 9p root that costs tens of seconds per process under TCG, from
    tmpfs a fraction of it. Returns the staged igt directory."""
    libdir = os.path.join(dest, "lib")
    bindir = os.path.join(dest, "igt")
    os.makedirs(libdir, exist_ok=True)
    os.makedirs(bindir, exist_ok=True)
    for b in bins:
        shutil.copy2(os.path.join(igt_dir, b), bindir)
    own = os.path.join(os.path.dirname(igt_dir), "lib")
    for name in os.listdir(own) if os.path.isdir(own) else []:
        if name.startswith("libvsvm.so"):
            shutil.copy2(os.path.join(own, name), libdir)
    r = subprocess.run(["ldd", os.path.join(igt_dir, bins[0])],
                       capture_output=True, text=True, timeout=600)
    n = 0
    for line in r.stdout.splitlines():
        m = re.search(r"=>\s+(/\S+)", line)
        if not m or "ld-linux" in m.group(1):
            continue
        target = os.path.join(libdir, os.path.basename(m.group(1)))
        if not os.path.exists(target):
            shutil.copy2(m.group(1), target)
            n += 1
    RUN_ENV["LD_LIBRARY_PATH"] = libdir
    print(f"run-igt: staged {len(bins)} binaries and {n} libraries in {dest}",
          flush=True)
    return bindir


def list_subtests(path, timeout):
    r = subprocess.run([path, "--list-subtests"], capture_output=True,
                       text=True, timeout=timeout, env=RUN_ENV)
    if r.returncode not in (0, 77):
        raise RuntimeError(f"--list-subtests exited {r.returncode}: "
                           f"{r.stderr.strip()[-500:]}")
    return [n.strip() for n in r.stdout.splitlines() if n.strip()]


def run_subtest(path, name, timeout):
    """Returns (status, igt_result, seconds, stdout, stderr)."""
    start = time.monotonic()
    p = subprocess.Popen([path, "--run-subtest", name], env=RUN_ENV,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, errors="replace", start_new_session=True)
    killed = False
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        killed = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
    elapsed = time.monotonic() - start
    res = None
    for line in out.splitlines():
        m = RESULT_RE.match(line)
        if m and m.group("name") == name:
            res = m.group("res")
    if killed:
        return "fail", "TIMEOUT", elapsed, out, err
    if res == "SUCCESS" and p.returncode == 0:
        return "pass", res, elapsed, out, err
    if res == "SKIP" and p.returncode == 77:
        return "skip", res, elapsed, out, err
    if res is None and p.returncode == 77:
        return "skip", "SKIP", elapsed, out, err
    return "fail", res or f"exit {p.returncode}", elapsed, out, err


def tail(text, n=25):
    lines = [l for l in text.splitlines() if l.strip()]
    return "\n".join(lines[-n:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--filter", default="*",
                    help="glob on subtest names (or BIN:SUBTEST)")
    ap.add_argument("--bin", action="append", default=[],
                    help="run only this binary (repeatable)")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="per-subtest timeout in seconds (default 120)")
    ap.add_argument("--build", default=os.path.join(TOP, "build"),
                    help="build directory (default: <repo>/build)")
    ap.add_argument("--results", default=None,
                    help="output file (default: <build>/results/igt.jsonl)")
    ap.add_argument("--stage", default=None,
                    help="copy binaries and libraries to this directory "
                    "first (default: /tmp/run-igt when / is 9p, else none; "
                    "'none' disables)")
    args = ap.parse_args()

    igt_dir = os.path.join(args.build, "igt")
    results = args.results or os.path.join(args.build, "results",
                                           "igt.jsonl")
    try:
        bins = sorted(b for b in os.listdir(igt_dir)
                      if b.startswith("vsvm_")
                      and os.access(os.path.join(igt_dir, b), os.X_OK)
                      and os.path.isfile(os.path.join(igt_dir, b)))
    except OSError as e:
        print(f"run-igt: cannot list {igt_dir}: {e}", file=sys.stderr)
        return 2
    if args.bin:
        wanted = {b if b.startswith("vsvm_") else "vsvm_" + b
                  for b in args.bin}
        bins = [b for b in bins if b in wanted]
        missing = wanted - set(bins)
        if missing:
            print(f"run-igt: no such binary: {' '.join(sorted(missing))}",
                  file=sys.stderr)
            return 2
    else:
        bins = [b for b in bins if b not in SELF_CHECK_BINS]
    if not bins:
        print(f"run-igt: no test binaries in {igt_dir}", file=sys.stderr)
        return 2

    try:
        os.makedirs(os.path.dirname(results), exist_ok=True)
        out = open(results, "w", encoding="utf-8")
    except OSError as e:
        print(f"run-igt: cannot write {results}: {e}", file=sys.stderr)
        return 2

    run_dir = igt_dir
    where = args.stage or ("/tmp/run-igt" if root_is_9p() else "none")
    if where != "none":
        try:
            run_dir = stage(igt_dir, bins, where)
        except (OSError, subprocess.SubprocessError) as e:
            print(f"run-igt: staging in {where} failed ({e}); running from "
                  f"{igt_dir}", file=sys.stderr)
            RUN_ENV.pop("LD_LIBRARY_PATH", None)
            run_dir = igt_dir

    patterns = load_patterns(os.path.join(TOP, "scripts",
                                          "splat-patterns.txt"))
    kmsg = Kmsg()
    totals = {"pass": 0, "fail": 0, "skip": 0}
    t0 = time.monotonic()
    for b in bins:
        path = os.path.join(run_dir, b)
        suite = "igt/" + b
        counts = {"pass": 0, "fail": 0, "skip": 0}
        try:
            names = list_subtests(path, 60)
        except (OSError, RuntimeError, subprocess.SubprocessError) as e:
            rec = {"suite": suite, "name": "list-subtests", "status": "fail",
                   "time": 0.0, "message": str(e)}
            out.write(json.dumps(rec) + "\n")
            out.flush()
            print(f"FAIL {suite} list-subtests: {e}")
            totals["fail"] += 1
            continue
        bt0 = time.monotonic()
        for name in names:
            if not (fnmatch.fnmatchcase(name, args.filter) or
                    fnmatch.fnmatchcase(f"{b}:{name}", args.filter)):
                continue
            kmsg.drain()
            status, res, secs, so, se = run_subtest(path, name, args.timeout)
            klog = kmsg.drain()
            msg = ""
            if status == "fail":
                crit = [l for l in se.splitlines() if "CRITICAL:" in l]
                crit = list(dict.fromkeys(crit))[:12]
                digest = [l for l in klog
                          if DIGEST_RE.search(l) and not MARKER_RE.search(l)]
                if digest:
                    crit += ["--- kernel log digest ---"] + digest[-10:]
                msg = "\n".join([res] + crit + [tail(se, 15), tail(so, 6)])
            elif status == "skip":
                msg = tail(se, 4)
            hits = splat_hits(klog, patterns)
            if hits:
                status = "fail"
                res = "dmesg-warn"
                ctx = [l for l in klog if not MARKER_RE.search(l)][:60]
                msg = ("dmesg-warn: kernel log matched splat patterns:\n" +
                       "\n".join(hits[:10]) + "\n--- kernel log ---\n" +
                       "\n".join(ctx) + ("\n" + msg if msg else ""))
            counts[status] += 1
            rec = {"suite": suite, "name": name, "status": status,
                   "time": round(secs, 3), "message": msg}
            out.write(json.dumps(rec) + "\n")
            out.flush()
            word = {"pass": "pass", "fail": "FAIL", "skip": "skip"}[status]
            extra = f" ({res})" if status == "fail" else ""
            print(f"{word:4} {suite} {name} {secs:.2f}s{extra}", flush=True)
            if status == "fail":
                for l in msg.splitlines()[:24]:
                    print(f"     | {l}")
        for k in totals:
            totals[k] += counts[k]
        print(f"== {suite}: {counts['pass']} pass, {counts['fail']} fail, "
              f"{counts['skip']} skip ({time.monotonic() - bt0:.1f}s)",
              flush=True)
    out.close()
    print(f"igt: {totals['pass']} passed, {totals['fail']} failed, "
          f"{totals['skip']} skipped in {time.monotonic() - t0:.1f}s "
          f"-> {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
