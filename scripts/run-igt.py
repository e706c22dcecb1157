#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run the vsvm IGT tests the way igt_runner does, inside the guest.

For every test binary in build/igt/ (vsvm_harness excluded), list its
subtests with --list-subtests, then run them all in one process (as
igt_runner --multiple-mode does; --mode each, or --each BIN for one
binary, runs one process per subtest instead), enforce a per-subtest
timeout (a killed subtest fails; the rest run in a new process), parse
each "Subtest NAME: RESULT" line, and scan the kernel log lines of each
subtest (/dev/kmsg, split at libigt's "[IGT] BIN: starting subtest NAME"
markers) with scripts/splat-patterns.txt: a match turns the result into a
failure ("dmesg-warn") carrying the lines. The "Call Trace:" of an
OOM-killer report is expected (see splat_hits()).

Writes one JSON record per subtest to build/results/igt.jsonl
({"suite": "igt/<binary>", "name", "status", "time", "message"}) and
prints one line per subtest and a summary per binary. Exits 0 when the
suite ran, whatever the results (the aggregator decides); 2 when it could
not run at all (no binaries, no results directory...).

  python3 scripts/run-igt.py [--filter GLOB] [--bin NAME] [--timeout S]
                             [--mode batch|each] [--each BIN] [--results F]
"""

import argparse
import fnmatch
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SELF_CHECK_BINS = {"vsvm_harness"}
# Binaries whose subtests cannot share a process (none today): each subtest
# gets a process of its own, as with --each.
EACH_BINS = set()
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

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
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
    except BaseException:
        # The caller's time limit: leave nothing behind.
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
        raise
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


# The kernel-log markers libigt writes for every subtest: the log of a
# binary that runs many subtests in one process is split at them.
KMSG_START_RE = re.compile(
    r"^\[IGT\] (?P<bin>\S+): starting subtest (?P<name>\S+)")
START_RE = re.compile(r"^Starting subtest: (?P<name>\S+)")


class Pending:
    """One subtest of a batch run: its output, kernel log and result."""

    def __init__(self, name):
        self.name = name
        self.started = False    # "Starting subtest: NAME" seen
        self.t0 = None
        self.kstarted = False   # its kernel-log marker seen
        self.out = []           # output lines up to its result line
        self.klog = []          # kernel log lines attributed to it
        self.res = None         # SUCCESS, SKIP, FAIL, CRASH, TIMEOUT, exit N
        self.secs = None


def classify(res):
    if res == "SUCCESS":
        return "pass"
    if res == "SKIP":
        return "skip"
    return "fail"


def run_batch(path, binary, names, timeout, kmsg, emit):
    """Run the subtests @names of @binary in as few processes as possible
    (one, unless a subtest hangs or the process dies: then a new process
    runs the subtests that have no result yet, as igt_runner's
    --multiple-mode does). Each subtest's result comes from its own
    "Subtest NAME: RESULT" line; its output is what the process printed
    (stdout and stderr, in order) since the previous result line; its
    kernel log is what /dev/kmsg received from libigt's "[IGT] BINARY:
    starting subtest NAME" marker to the next subtest's marker (the first
    subtest of a process also gets what came before the first marker, the
    last one what came until the process exited). A subtest still running
    after @timeout seconds (or a process silent that long between
    subtests) is killed and fails. @emit(pending, status, message) records
    each result, in order, once its kernel log is complete."""
    todo = list(names)
    while todo:
        done = _batch_process(path, binary, todo, timeout, kmsg, emit)
        if not done:
            break
        todo = [n for n in todo if n not in done]


def _batch_process(path, binary, todo, timeout, kmsg, emit):
    """One process over @todo; returns the names it settled."""
    p = subprocess.Popen([path, "--run-subtest", ",".join(todo)],
                         env=RUN_ENV, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    try:
        return _batch_loop(p, binary, todo, timeout, kmsg, emit)
    finally:
        # An exception (the caller's time limit) must not leave it behind.
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        p.stdout.close()


def _batch_loop(p, binary, todo, timeout, kmsg, emit):
    pend = {n: Pending(n) for n in todo}
    order = list(todo)
    settled = []            # names emitted, in order
    results = []            # names with a result, in order of results
    chunk = []              # output since the previous result line
    cur = None              # subtest started on stdout, no result yet
    kcur = None             # subtest of the latest kernel-log marker
    kpre = []               # kernel log before the first marker
    last_progress = time.monotonic()
    killed = None
    stalled = False         # killed for silence after its last result
    os.set_blocking(p.stdout.fileno(), False)
    buf = b""

    def flush(final=False):
        # Emit, in order, every result whose kernel log is complete: its
        # marker was followed by another subtest's, or the process ended.
        for n in results:
            if n in settled:
                continue
            pt = pend[n]
            if not final and pt.started and kmsg.fd is not None and \
                    (not pt.kstarted or kcur == n):
                return
            if not settled and kpre:
                pt.klog[:0] = kpre
                kpre.clear()
            settled.append(n)
            emit(pt)

    def on_kmsg(lines):
        nonlocal kcur
        for line in lines:
            m = KMSG_START_RE.match(line)
            if m and m.group("bin") == binary and m.group("name") in pend:
                kcur = m.group("name")
                pend[kcur].kstarted = True
            if kcur is None:
                kpre.append(line)
            else:
                pend[kcur].klog.append(line)

    def on_line(line):
        nonlocal cur, last_progress
        m = START_RE.match(line)
        if m and m.group("name") in pend:
            cur = m.group("name")
            pend[cur].started = True
            pend[cur].t0 = time.monotonic()
            last_progress = pend[cur].t0
            chunk.append(line)
            return
        m = RESULT_RE.match(line)
        if m and m.group("name") in pend and pend[m.group("name")].res is None:
            pt = pend[m.group("name")]
            chunk.append(line)
            pt.out, chunk[:] = list(chunk), []
            pt.res = m.group("res")
            now = time.monotonic()
            pt.secs = float(m.group("t")) if m.group("t") else \
                (now - pt.t0 if pt.t0 else 0.0)
            results.append(pt.name)
            if cur == pt.name:
                cur = None
            last_progress = now
            return
        chunk.append(line)

    while True:
        fds = [p.stdout]
        if kmsg.fd is not None:
            fds.append(kmsg.fd)
        try:
            ready, _, _ = select.select(fds, [], [], 0.5)
        except InterruptedError:
            ready = []
        if kmsg.fd is not None:
            on_kmsg(kmsg.drain())
        eof = False
        if p.stdout in ready:
            try:
                data = os.read(p.stdout.fileno(), 65536)
            except BlockingIOError:
                data = b""
            if not data:
                eof = True
            buf += data
            *lines, buf = buf.split(b"\n")
            for raw in lines:
                on_line(raw.decode("utf-8", "replace"))
        flush()
        if eof:
            break
        now = time.monotonic()
        start = pend[cur].t0 if cur else last_progress
        if now - start > timeout:
            killed = cur or next((n for n in order if pend[n].res is None),
                                 None)
            stalled = killed is None
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            break
    if buf:
        on_line(buf.decode("utf-8", "replace"))
    try:
        rc = p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        rc = p.wait()
    # Messages the kernel printed while the process exited.
    if kmsg.fd is not None:
        on_kmsg(kmsg.drain())

    if killed:
        pt = pend[killed]
        pt.out, chunk[:] = list(chunk), []
        pt.res = "TIMEOUT"
        pt.secs = time.monotonic() - (pt.t0 or last_progress)
        if not pt.started:
            pt.out.append(f"run-igt: no output for {timeout:.0f} s before "
                          "this subtest started (a fixture hung?)")
        results.append(killed)
    elif cur:
        # The process died inside a subtest without a result line.
        pt = pend[cur]
        pt.out, chunk[:] = list(chunk), []
        pt.res = f"exit {rc}"
        pt.secs = time.monotonic() - pt.t0
        results.append(cur)
    elif not results:
        # Nothing settled: the process could not even start its first
        # subtest. Every remaining subtest gets the outcome.
        for n in order:
            pt = pend[n]
            pt.res = "SKIP" if rc == 77 else f"exit {rc}"
            pt.out = list(chunk) + [
                f"run-igt: {binary} exited with status {rc} before running "
                "this subtest"]
            pt.secs = 0.0
            results.append(n)
    flush(final=True)
    # Every subtest reported, yet the process failed after the last one (an
    # exit handler, a child left behind): that is a failure of its own.
    if not killed and not cur and rc not in (0, 77, 98) and \
            all(pend[n].res is not None for n in order):
        tailp = Pending("process-exit")
        tailp.res = f"exit {rc}"
        tailp.secs = 0.0
        tailp.out = list(chunk) + [
            f"run-igt: {binary} did not exit {timeout:.0f} s after its last "
            "result; killed" if stalled else
            f"run-igt: {binary} exited with status {rc} after every subtest "
            "reported its result"]
        emit(tailp)
    return set(settled)


class Recorder:
    """Turns a subtest's outcome into a JSON record and a printed line."""

    def __init__(self, out, patterns):
        self.out = out
        self.patterns = patterns
        self.counts = {"pass": 0, "fail": 0, "skip": 0}

    def add(self, suite, name, status, res, secs, out_lines, klog,
            note=""):
        """@out_lines: the subtest's output (stdout and stderr); @klog: the
        kernel log lines attributed to it."""
        text = "\n".join(out_lines)
        msg = ""
        if status == "fail":
            crit = [l for l in out_lines if "CRITICAL:" in l]
            crit = list(dict.fromkeys(crit))[:12]
            digest = [l for l in klog
                      if DIGEST_RE.search(l) and not MARKER_RE.search(l)]
            if digest:
                crit += ["--- kernel log digest ---"] + digest[-10:]
            msg = "\n".join([res] + crit + [tail(text, 20)])
        elif status == "skip":
            msg = tail(text, 4)
        hits = splat_hits(klog, self.patterns)
        if hits:
            status = "fail"
            res = "dmesg-warn"
            ctx = [l for l in klog if not MARKER_RE.search(l)][:60]
            msg = ("dmesg-warn: kernel log matched splat patterns:\n" +
                   "\n".join(hits[:10]) + (f"\n{note}" if note else "") +
                   "\n--- kernel log ---\n" + "\n".join(ctx) +
                   ("\n" + msg if msg else ""))
        self.counts[status] += 1
        rec = {"suite": suite, "name": name, "status": status,
               "time": round(secs or 0.0, 3), "message": msg}
        self.out.write(json.dumps(rec) + "\n")
        self.out.flush()
        word = {"pass": "pass", "fail": "FAIL", "skip": "skip"}[status]
        extra = f" ({res})" if status == "fail" else ""
        print(f"{word:4} {suite} {name} {secs or 0.0:.2f}s{extra}",
              flush=True)
        if status == "fail":
            for l in msg.splitlines()[:24]:
                print(f"     | {l}")


def run_each(path, suite, names, timeout, kmsg, rec):
    """One process per subtest (--run-subtest NAME), the kernel log read
    around each."""
    for name in names:
        kmsg.drain()
        status, res, secs, so, se = run_subtest(path, name, timeout)
        klog = kmsg.drain()
        rec.add(suite, name, status, res, secs,
                se.splitlines() + so.splitlines(), klog)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--filter", default="*",
                    help="glob on subtest names (or BIN:SUBTEST)")
    ap.add_argument("--bin", action="append", default=[],
                    help="run only this binary (repeatable)")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="per-subtest timeout in seconds (default 120)")
    ap.add_argument("--mode", choices=("batch", "each"), default="batch",
                    help="batch: every subtest of a binary in one process "
                    "(default); each: one process per subtest")
    ap.add_argument("--each", action="append", default=[], metavar="BIN",
                    help="run this binary one process per subtest "
                    "(repeatable; for binaries whose subtests need a fresh "
                    "process each)")
    ap.add_argument("--build", default=os.path.join(TOP, "build"),
                    help="build directory (default: <repo>/build)")
    ap.add_argument("--results", default=None,
                    help="output file (default: <build>/results/igt.jsonl)")
    ap.add_argument("--stage", default="none",
                    help="copy binaries and libraries to this directory "
                    "first (default none: with the guest's 9p root mounted "
                    "cache=loose a binary starts as fast from it as from "
                    "tmpfs, and copying the ~45 libraries cost 50 s)")
    args = ap.parse_args(argv)

    def full(b):
        return b if b.startswith("vsvm_") else "vsvm_" + b

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
        wanted = {full(b) for b in args.bin}
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
    each = {full(b) for b in args.each} | EACH_BINS

    try:
        os.makedirs(os.path.dirname(results), exist_ok=True)
        out = open(results, "w", encoding="utf-8")
    except OSError as e:
        print(f"run-igt: cannot write {results}: {e}", file=sys.stderr)
        return 2

    run_dir = igt_dir
    where = args.stage
    if where != "none":
        try:
            run_dir = stage(igt_dir, bins, where)
        except (OSError, subprocess.SubprocessError) as e:
            print(f"run-igt: staging in {where} failed ({e}); running from "
                  f"{igt_dir}", file=sys.stderr)
            RUN_ENV.pop("LD_LIBRARY_PATH", None)
            run_dir = igt_dir

    rec = Recorder(out, load_patterns(os.path.join(TOP, "scripts",
                                                   "splat-patterns.txt")))
    kmsg = Kmsg()
    totals = {"pass": 0, "fail": 0, "skip": 0}
    t0 = time.monotonic()
    for b in bins:
        path = os.path.join(run_dir, b)
        suite = "igt/" + b
        rec.counts = {"pass": 0, "fail": 0, "skip": 0}
        bt0 = time.monotonic()
        try:
            names = list_subtests(path, 120)
        except (OSError, RuntimeError, subprocess.SubprocessError) as e:
            rec.add(suite, "list-subtests", "fail", str(e), 0.0, [], [])
            totals["fail"] += 1
            continue
        names = [n for n in names
                 if fnmatch.fnmatchcase(n, args.filter) or
                 fnmatch.fnmatchcase(f"{b}:{n}", args.filter)]
        mode = "each" if args.mode == "each" or b in each else "batch"
        if mode == "each":
            run_each(path, suite, names, args.timeout, kmsg, rec)
        else:
            note = ("(lines logged asynchronously right after the previous "
                    "subtest can land in this one's log)")

            def emit(pt):
                st = classify(pt.res)
                rec.add(suite, pt.name, st, pt.res, pt.secs, pt.out,
                        pt.klog, note)
            run_batch(path, b, names, args.timeout, kmsg, emit)
        c = rec.counts
        for k in totals:
            totals[k] += c[k]
        print(f"== {suite}: {c['pass']} pass, {c['fail']} fail, "
              f"{c['skip']} skip ({time.monotonic() - bt0:.1f}s, {mode})",
              flush=True)
    out.close()
    kmsg.close()
    print(f"igt: {totals['pass']} passed, {totals['fail']} failed, "
          f"{totals['skip']} skipped in {time.monotonic() - t0:.1f}s "
          f"-> {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
