#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""piglit's OpenCL tests (Debian's `piglit` package) on one OpenCL device.

The list ("all"): every cl-api-*, cl-custom-* and cl-program-* program of
the package, and cl-program-tester on every .cl and .program_test file
under tests/cl/program/execute, less the tests that need images or fp64.
A test's own declaration decides:
  - a corpus file whose [config] or [test] header says
    `need_image_support: true` or `require_device_extensions: ...cl_khr_fp64`;
  - a program whose subject is images or samplers (its name has "image" or
    "sampler": cl-api-create-image, -create-sampler, -enqueue-fill-image,
    -get-image-info); piglit's programs declare their needs in C, not in a
    file, so the name is the declaration we can read.
Everything else runs; a test whose other requirements the device lacks
(an extension, an OpenCL C version, an AMD-only device_regex) reports
"skip" by itself.

Subcommands:
  list                 print the list: NAME<TAB>COMMAND (relative to piglit)
  run                  run a list, one process per test, each with a
                       timeout; write DIR/<icd>.tsv (NAME, STATUS, SECONDS,
                       MESSAGE) and DIR/<icd>/<NAME>.log, print a summary
  table                side-by-side table of DIR/*.tsv (markdown)

Status: pass, fail, skip, warn (piglit's own "warn"), crash (the process
died of a signal or printed no result), timeout.

With --jsonl (make check), records of suite --suite go there: a test of
--expect must pass (a skip, warn, crash or timeout fails it too), unless
it is listed in --xfail (NAME<TAB>reason), which makes a failure "xfail".
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time

import results

PIGLIT = "/usr/lib/x86_64-linux-gnu/piglit"
CORPUS = "tests/cl/program/execute"
RESULT = re.compile(r'^PIGLIT: \{"result": "(\w+)"')
SUBTEST = re.compile(r'^PIGLIT: \{"subtest": \{"(.*)" : "(\w+)"\}\}')
HEADER = re.compile(r"/\*!(.*?)!\*/", re.S)


def excluded(path):
    """Why the corpus file at @path is out of the list, or None."""
    with open(path, errors="replace") as fh:
        text = fh.read()
    if path.endswith(".cl"):
        m = HEADER.search(text)
        text = m.group(1) if m else ""
    else:  # .program_test: all of it is the header
        text = text.split("[program source]")[0]
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        key, _, val = line.partition(":")
        key, val = key.strip(), val.strip()
        if key == "need_image_support" and val == "true":
            return "needs images"
        if key == "require_device_extensions" and "cl_khr_fp64" in val.split():
            return "needs fp64"
    return None


def tests(root=PIGLIT):
    """[(name, argv)] of the list, sorted: programs first."""
    out = []
    for b in sorted(os.listdir(os.path.join(root, "bin"))):
        if not re.match(r"cl-(api|custom|program)-", b) or b == "cl-program-tester":
            continue
        if "image" in b or "sampler" in b:
            continue
        out.append((b, ["bin/" + b]))
    files = []
    for d, _, names in os.walk(os.path.join(root, CORPUS)):
        for n in names:
            if n.endswith((".cl", ".program_test")):
                files.append(os.path.relpath(os.path.join(d, n), root))
    for f in sorted(files):
        if excluded(os.path.join(root, f)):
            continue
        name = "execute/" + os.path.relpath(f, CORPUS)
        out.append((name, ["bin/cl-program-tester", f]))
    return out


def read_names(path):
    names = []
    with open(path) as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line.split("\t")[0].split()[0])
    return names


def read_xfail(path):
    x = {}
    if path:
        with open(path) as fh:
            for line in fh:
                if line.strip() and not line.startswith("#"):
                    name, _, why = line.rstrip("\n").partition("\t")
                    x[name.strip()] = why.strip()
    return x


def run_one(argv, log, limit, env):
    """Run one test; (status, seconds, message)."""
    t0 = time.monotonic()
    with open(log, "w") as fh:
        # line-buffered, so a test that crashes still shows how far it got
        rc = results.run_killable(["stdbuf", "-oL", "-eL"] + argv, limit, cwd=PIGLIT,
                                  stdout=fh, stderr=subprocess.STDOUT, env=env)
    secs = time.monotonic() - t0
    with open(log, errors="replace") as fh:
        lines = fh.read().splitlines()
    result, failed = None, []
    for line in lines:
        m = RESULT.match(line)
        if m:
            result = m.group(1)
        m = SUBTEST.match(line)
        if m and m.group(2) not in ("pass", "skip"):
            failed.append("%s: %s" % (m.group(1), m.group(2)))
    if rc is None:
        return "timeout", secs, "killed after %d s" % limit
    if rc < 0:
        return "crash", secs, "killed by signal %s" % signal.Signals(-rc).name
    if result is None:
        return "crash", secs, "exit status %d, no result line" % rc
    if result not in ("pass", "fail", "skip", "warn"):
        result = "fail"
    msg = ""
    if result != "pass":
        # the driver's or the build log's complaint, the subtests that
        # failed, else the last lines that say why
        said = [l.strip() for l in lines if l.startswith("pipe_vsvm:") or "[Error]" in l]
        why = said[:1] + failed or [l for l in lines if l.strip() and not l.startswith(
            ("PIGLIT", "#", "MESA-LOADER", " --------"))][-2:]
        msg = "; ".join(why)[:300]
    return result, secs, msg


def cmd_run(args):
    sys.stdout.reconfigure(line_buffering=True)
    lst = dict(tests())
    if args.tests == "all":
        names = list(lst)
    else:
        names = read_names(args.tests)
    xfail = read_xfail(args.xfail)
    logdir = os.path.join(args.out, args.icd)
    os.makedirs(logdir, exist_ok=True)
    tsv = os.path.join(args.out, args.icd + ".tsv")
    env = dict(os.environ)
    records, counts, t_all = [], {}, time.monotonic()
    with open(tsv, "w") as out:
        for i, name in enumerate(names, 1):
            if name not in lst:
                status, secs, msg = "fail", 0.0, "not in the list (piglit package changed?)"
            else:
                log = os.path.join(logdir, name.replace("/", "@") + ".log")
                status, secs, msg = run_one(lst[name], log, args.timeout, env)
            counts[status] = counts.get(status, 0) + 1
            out.write("%s\t%s\t%.1f\t%s\n" % (name, status, secs, msg.replace("\t", " ")))
            out.flush()
            print("piglit-cl[%s] %d/%d %s %s (%.1f s)%s" % (
                args.icd, i, len(names), status, name, secs, ": " + msg if msg else ""))
            if args.jsonl:
                if status == "pass":
                    rs, rm = "pass", ""
                elif name in xfail:
                    rs, rm = "xfail", "%s (%s: %s)" % (xfail[name], status, msg)
                else:
                    rs, rm = "fail", "%s: %s" % (status, msg)
                records.append({"suite": args.suite, "name": name, "status": rs,
                                "time": round(secs, 3), "message": rm})
    if args.jsonl:
        with open(args.jsonl, "a") as fh:
            for r in records:
                fh.write(json.dumps(r) + "\n")
    total = time.monotonic() - t_all
    print("piglit-cl[%s]: %d tests in %.0f s: %s" % (
        args.icd, len(names), total,
        ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items()))))
    if args.jsonl:
        return 1 if any(r["status"] == "fail" for r in records) else 0
    return 0


def read_tsv(path):
    res = {}
    with open(path) as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) >= 3:
                res[f[0]] = (f[1], float(f[2]), f[3] if len(f) > 3 else "")
    return res


def cmd_table(args):
    icds = [i for i in args.icds.split(",") if os.path.exists(os.path.join(args.dir, i + ".tsv"))]
    res = {i: read_tsv(os.path.join(args.dir, i + ".tsv")) for i in icds}
    names = [n for n, _ in tests()]
    statuses = ("pass", "fail", "skip", "warn", "crash", "timeout")
    lines = ["# piglit OpenCL tests, side by side", ""]
    lines.append("| | " + " | ".join(icds) + " |")
    lines.append("|---|" + "---|" * len(icds))
    for s in statuses + ("not run",):
        cnt = []
        for i in icds:
            if s == "not run":
                cnt.append(str(sum(1 for n in names if n not in res[i])))
            else:
                cnt.append(str(sum(1 for v in res[i].values() if v[0] == s)))
        lines.append("| %s | %s |" % (s, " | ".join(cnt)))
    lines.append("| time (s) | %s |" % " | ".join(
        "%.0f" % sum(v[1] for v in res[i].values()) for i in icds))
    lines += ["", "| test | " + " | ".join(icds) + " |", "|---|" + "---|" * len(icds)]
    for n in names:
        cells = []
        for i in icds:
            v = res[i].get(n)
            cells.append("%s (%.1f s)" % (v[0], v[1]) if v else "not run")
        lines.append("| %s | %s |" % (n, " | ".join(cells)))
    gap_lines = []
    if len(icds) == 2:
        a, b = icds
        xfail = read_xfail(args.xfail)
        gap = [n for n in names if res[b].get(n, ("",))[0] == "pass"
               and res[a].get(n, ("",))[0] != "pass"]
        new = [n for n in gap if n not in xfail]
        gap_lines = ["", "%d tests pass on %s and not on %s: %d known (%s), %d not explained%s" % (
            len(gap), b, a, len(gap) - len(new), args.xfail or "no list",
            len(new), ": " + " ".join(new) if new else "")]
    lines[len(statuses) + 6:len(statuses) + 6] = gap_lines
    text = "\n".join(lines) + "\n"
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(text)
    print("\n".join(lines[:len(statuses) + 6 + len(gap_lines)]))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    r = sub.add_parser("run")
    r.add_argument("--icd", required=True, help="a label: vsvm, pocl")
    r.add_argument("--out", required=True, help="directory for <icd>.tsv and logs")
    r.add_argument("--tests", default="all", help="'all' or a file of names")
    r.add_argument("--timeout", type=int, default=300, help="seconds per test")
    r.add_argument("--jsonl", help="also write result records here")
    r.add_argument("--suite", default="piglit")
    r.add_argument("--xfail", help="expected failures: NAME<TAB>reason")
    t = sub.add_parser("table")
    t.add_argument("--dir", required=True)
    t.add_argument("--icds", default="vsvm,pocl")
    t.add_argument("--out")
    t.add_argument("--xfail", help="known failures: NAME<TAB>reason")
    args = ap.parse_args()
    if args.cmd == "list":
        for n, argv in tests():
            print("%s\t%s" % (n, " ".join(argv)))
        return 0
    if args.cmd == "run":
        return cmd_run(args)
    return cmd_table(args)


if __name__ == "__main__":
    sys.exit(main())
