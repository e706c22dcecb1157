#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run `make check`'s guest jobs from a shared queue, inside one guest.

scripts/check.sh writes the job table (one job a line: NAME, KIND, LIMIT,
ESTIMATE, COMMAND, tab-separated, longest estimate first) to
<queue>/list and boots several guests; in each, this program takes the
next job no guest has taken yet (it creates <queue>/claimed/<job>: mkdir
is atomic on the host's file system behind the shared 9p results share),
runs it, and marks it <queue>/done/<job>, until the list is exhausted.

Kinds:
  igt    COMMAND is the arguments of scripts/run-igt.py (--bin B ...); it
         runs in this process: under TCG on the debug kernel every Python
         start costs seconds, every process start of an IGT binary about 5.
  suite  COMMAND writes records of suite NAME (or NAME/...) to
         build/results/<NAME, '/' as '@'>.jsonl; it fails if it wrote none
         (or exited non-zero with no failing record).
  tool   one record: pass if COMMAND exits 0.

A job still running after LIMIT seconds is killed (its process group) and
fails. Records go to build/results/<NAME, '/' as '@'>.jsonl.

  python3 scripts/run-guest-jobs.py --guest N --queue DIR
"""

import argparse
import importlib.util
import os
import shlex
import signal
import sys
import time
import traceback

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


results = load("results", os.path.join(TOP, "scripts", "results.py"))


def add(path, suite, name, status, message="", secs=0.0):
    results.write_records(
        [results.record(suite, name, status, secs, message)], path)


def run(cmd, limit):
    """Run @cmd (a list) in its own process group; returns its status, 124
    when it was killed after @limit seconds."""
    rc = results.run_killable(cmd, limit, cwd=TOP)
    return 124 if rc is None else rc


def step(text):
    print(f"\n=== {text}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest", required=True)
    ap.add_argument("--queue", required=True)
    ap.add_argument("--results", default=os.path.join(TOP, "build",
                                                      "results"))
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    g = args.guest
    run_igt = None

    with open(os.path.join(args.queue, "list"), encoding="utf-8") as f:
        jobs = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    for name, kind, limit, est, cmd in jobs:
        jid = name.replace("/", "@")
        try:
            os.mkdir(os.path.join(args.queue, "claimed", jid))
        except FileExistsError:
            continue
        with open(os.path.join(args.queue, "claimed", jid, "guest"),
                  "w") as f:
            f.write(g + "\n")
        out = os.path.join(args.results, jid + ".jsonl")
        words = shlex.split(cmd)
        what = os.path.basename(words[1] if words[0] == "python3" and
                                len(words) > 1 else words[0])
        step(f"{name} (guest {g}): {cmd}")
        t0 = time.monotonic()
        if kind == "igt":
            what = "run-igt.py"
            if run_igt is None:
                run_igt = load("run_igt",
                               os.path.join(TOP, "scripts", "run-igt.py"))
            rc = 0

            def expired(signum, frame):
                raise TimeoutError

            old = signal.signal(signal.SIGALRM, expired)
            signal.alarm(int(limit))
            try:
                rc = run_igt.main(words + ["--results", out])
            except TimeoutError:
                rc = 124
            except Exception:  # a bug in the runner: this job fails
                traceback.print_exc()
                rc = 2
            finally:
                signal.alarm(0)
                signal.signal(signal.SIGALRM, old)
            kind = "suite"
        else:
            rc = run(words, int(limit))
        secs = time.monotonic() - t0
        if rc == 124:
            add(out, name, what, "fail", f"timed out after {limit} s", secs)
        if kind == "suite":
            results.main(["runner", "--out", out, "--suite", name,
                          "--rc", str(rc), "--runner", what])
        elif kind == "tool" and rc != 124:
            if rc == 0:
                add(out, name, what, "pass", "", secs)
            else:
                add(out, name, what, "fail", f"exit status {rc}", secs)
        with open(os.path.join(args.queue, "done", jid), "w") as f:
            f.write(f"{secs:.0f}\n")
        print(f"=== {name} (guest {g}): status {rc} after {secs:.0f} s "
              f"(estimate {est} s)", flush=True)
    # Every job has a guest: one still waiting for a VM slot need not boot.
    with open(os.path.join(args.queue, "exhausted"), "w") as f:
        f.write(g + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
