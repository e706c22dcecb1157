#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Test results of vsvm: parse runner output into records, aggregate them.

Every runner writes build/results/<suite>.jsonl, one JSON object a line:
  {"suite": "...", "name": "...", "status": "pass|fail|skip|xfail",
   "time": seconds, "message": "..."}

Subcommands:
  add       append one record (for shell scripts)
  ktap      KTAP (KUnit debugfs results or dmesg) -> records
  kselftest kselftest-harness TAP -> records, with expected failures
  runner    after a runner ran: turn "crashed" or "no results" into a failure
  report    JUnit XML, per-suite table, last line "N passed, N failed, N skipped"
"""
import argparse
import glob
import json
import os
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET

STATUSES = ("pass", "fail", "skip", "xfail")


def record(suite, name, status, time=0.0, message=""):
    assert status in STATUSES, status
    return {"suite": suite, "name": name, "status": status,
            "time": round(float(time), 3), "message": message}


def run_killable(argv, limit, **popen_args):
    """Run argv in its own session (stdin from /dev/null, other Popen
    arguments as given); after limit seconds kill its whole process group.
    Returns the exit status (negative: the signal), None when killed."""
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, start_new_session=True,
                         **popen_args)
    try:
        return p.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
        return None


def write_records(records, out):
    fh = open(out, "a") if out else sys.stdout
    try:
        for r in records:
            fh.write(json.dumps(r) + "\n")
    finally:
        if out:
            fh.close()


def read_records(path):
    """Records of a .jsonl file; a malformed line becomes a failure."""
    recs = []
    suite = os.path.basename(path)[:-len(".jsonl")]
    with open(path, errors="replace") as fh:
        for i, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
                if r.get("status") not in STATUSES or not r.get("name"):
                    raise ValueError("bad status or name")
                r.setdefault("suite", suite)
                r.setdefault("message", "")
                r["time"] = float(r.get("time") or 0)
            except (ValueError, TypeError, AttributeError) as e:
                r = record(suite, "%s:%d" % (os.path.basename(path), i), "fail",
                           message="malformed result line (%s): %s" % (e, line[:200]))
            recs.append(r)
    return recs


# --- KTAP --------------------------------------------------------------------
# KUnit's KTAP, from /sys/kernel/debug/kunit/<suite>/results or dmesg (behind
# a "[   12.345678] " timestamp): suite results at indent 0, the suite's
# "# Subtest: <suite>" line and its case results at indent 4, parameters of
# a parameterised case deeper (folded into the case's own result line).
KTAP_LINE = re.compile(r"^(?:\[[ \d.]+\] )?(?P<indent> *)(?P<text>.*)$")
KTAP_RESULT = re.compile(r"^(?P<ok>ok|not ok) \d+ (?P<name>[^#]*?)\s*(?:#\s*(?P<directive>\S+)\s*(?P<reason>.*))?$")
CASE_INDENT = 4


def parse_ktap(lines, suite="kunit"):
    """Records for the test cases of every KUnit suite in lines."""
    recs = []
    ksuite = None
    diag = []
    for raw in lines:
        m = KTAP_LINE.match(raw.rstrip("\n"))
        indent, text = len(m.group("indent")), m.group("text")
        if indent < CASE_INDENT:
            if KTAP_RESULT.match(text):
                ksuite = None
            continue
        if indent == CASE_INDENT and text.startswith("# Subtest: "):
            ksuite, diag = text.split()[2], []
            continue
        r = KTAP_RESULT.match(text)
        if indent > CASE_INDENT or not r:
            noise = (text.startswith(("KTAP version", "1..", "# Subtest:", "ok "))
                     or ": pass:" in text or not text.strip())
            if not noise:
                diag.append(text[2:] if text.startswith("# ") else text)
            continue
        if ksuite is None:
            continue
        status = "pass" if r.group("ok") == "ok" else "fail"
        msg = ""
        if (r.group("directive") or "").upper() == "SKIP":
            status, msg = "skip", (r.group("reason") or "").strip()
        elif status == "fail":
            msg = "\n".join(diag[-20:])
        recs.append(record(suite, "%s.%s" % (ksuite, r.group("name").strip()), status, message=msg))
        diag = []
    return recs


# --- kselftest harness TAP ---------------------------------------------------
KST_RESULT = re.compile(r"^(?P<ok>ok|not ok) \d+ (?P<name>\S+)(?:\s*#\s*(?P<directive>\S+)\s*(?P<reason>.*))?")


def parse_kselftest(lines, suite, xfail=()):
    recs = []
    diag = []
    for raw in lines:
        line = raw.rstrip("\n")
        m = KST_RESULT.match(line)
        if not m:
            if line.startswith("#") and "RUN " not in line:
                diag.append(line.lstrip("# ").rstrip())
            continue
        name = m.group("name")
        directive = (m.group("directive") or "").upper()
        msg = ""
        if directive == "SKIP":
            status, msg = "skip", (m.group("reason") or "").strip()
        elif m.group("ok") == "ok":
            status = "pass"
            if name.split(".")[-1] in xfail:
                msg = "expected to fail on this kernel, passed"
        else:
            msg = "\n".join(d for d in diag[-20:] if d)
            if name.split(".")[-1] in xfail:
                status = "xfail"
                msg = "expected failure (known on Linux 6.12): " + msg
            else:
                status = "fail"
        recs.append(record(suite, name, status, message=msg))
        diag = []
    return recs


# --- aggregation -------------------------------------------------------------
def load_all(resdir):
    recs = []
    for path in sorted(glob.glob(os.path.join(resdir, "*.jsonl"))):
        recs.extend(read_records(path))
    return recs


XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(text):
    """Text JUnit XML can hold (no control characters, e.g. ANSI colours)."""
    return XML_BAD.sub("?", text or "")


def junit(recs, path):
    root = ET.Element("testsuites")
    suites = {}
    for r in recs:
        suites.setdefault(r["suite"], []).append(r)
    for s, rs in suites.items():
        ts = ET.SubElement(root, "testsuite", name=s, tests=str(len(rs)),
                           failures=str(sum(r["status"] == "fail" for r in rs)),
                           skipped=str(sum(r["status"] == "skip" for r in rs)),
                           errors="0", time="%.3f" % sum(r["time"] for r in rs))
        for r in rs:
            tc = ET.SubElement(ts, "testcase", classname=s, name=r["name"],
                               time="%.3f" % r["time"])
            if r["status"] == "fail":
                msg = xml_text(r["message"]) or "failed"
                ET.SubElement(tc, "failure", message=msg.split("\n")[0][:200]).text = msg
            elif r["status"] == "skip":
                ET.SubElement(tc, "skipped", message=xml_text(r["message"])[:200])
            elif r["status"] == "xfail":
                ET.SubElement(tc, "system-out").text = "xfail: " + xml_text(r["message"])
    root.set("tests", str(len(recs)))
    root.set("failures", str(sum(r["status"] == "fail" for r in recs)))
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def group(suite):
    """A runner may split its suite: "igt/vsvm_basic" belongs to "igt"."""
    return suite.split("/")[0]


def report(recs, expect, junit_path):
    seen = {r["suite"] for r in recs}
    for s in expect:
        if s not in {group(x) for x in seen}:
            recs.append(record(s, "results", "fail",
                               message="suite %s produced no results" % s))
    if junit_path:
        junit(recs, junit_path)
    order = sorted({r["suite"] for r in recs},
                   key=lambda s: (expect.index(group(s)) if group(s) in expect else len(expect), s))
    fails = sorted((r for r in recs if r["status"] == "fail"), key=lambda r: order.index(r["suite"]))
    if fails:
        print("Failures:")
        for r in fails:
            first = (r["message"] or "").strip().split("\n")
            print("  %s/%s: %s" % (r["suite"], r["name"], first[0][:160]))
            for more in first[1:6]:
                print("      %s" % more[:160])
        print()
    xf = [r for r in recs if r["status"] == "xfail"]
    if xf:
        print("Expected failures (xfail, counted as passed):")
        for r in xf:
            print("  %s/%s" % (r["suite"], r["name"]))
        print()
    print("%-22s %6s %6s %6s %6s %6s %9s" % ("suite", "pass", "xfail", "fail", "skip", "total", "time"))
    tot = dict.fromkeys(STATUSES, 0)
    ttime = 0.0
    for s in order:
        rs = [r for r in recs if r["suite"] == s]
        c = {st: sum(r["status"] == st for r in rs) for st in STATUSES}
        t = sum(r["time"] for r in rs)
        for st in STATUSES:
            tot[st] += c[st]
        ttime += t
        print("%-22s %6d %6d %6d %6d %6d %8.1fs" % (s, c["pass"], c["xfail"], c["fail"], c["skip"], len(rs), t))
    print("%-22s %6d %6d %6d %6d %6d %8.1fs" % ("total", tot["pass"], tot["xfail"], tot["fail"], tot["skip"], len(recs), ttime))
    print("%d passed, %d failed, %d skipped" % (tot["pass"] + tot["xfail"], tot["fail"], tot["skip"]))
    return 1 if tot["fail"] else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("add")
    a.add_argument("--out", required=True)
    a.add_argument("--suite", required=True)
    a.add_argument("--name", required=True)
    a.add_argument("--status", required=True, choices=STATUSES)
    a.add_argument("--time", type=float, default=0.0)
    a.add_argument("--message", default="")
    k = sub.add_parser("ktap")
    k.add_argument("--out")
    k.add_argument("--suite", default="kunit")
    k.add_argument("files", nargs="+")
    t = sub.add_parser("kselftest")
    t.add_argument("--out")
    t.add_argument("--suite", required=True)
    t.add_argument("--xfail", default="", help="comma-separated test names expected to fail")
    t.add_argument("--time", type=float, default=0.0, help="total run time, spread over the tests")
    t.add_argument("file")
    # --suite: a suite ("igt") or one part of it ("igt/vsvm_basic").
    r = sub.add_parser("runner")
    r.add_argument("--out", required=True)
    r.add_argument("--suite", required=True)
    r.add_argument("--rc", type=int, required=True)
    r.add_argument("--runner", required=True)
    p = sub.add_parser("report")
    p.add_argument("--dir", required=True)
    p.add_argument("--junit")
    p.add_argument("--expect", default="", help="comma-separated suites that must have results")
    args = ap.parse_args(argv)

    if args.cmd == "add":
        write_records([record(args.suite, args.name, args.status, args.time, args.message)], args.out)
    elif args.cmd == "ktap":
        recs = []
        for f in args.files:
            with open(f, errors="replace") as fh:
                recs.extend(parse_ktap(fh.readlines(), args.suite))
        write_records(recs, args.out)
    elif args.cmd == "kselftest":
        with open(args.file, errors="replace") as fh:
            recs = parse_kselftest(fh.readlines(), args.suite,
                                   [x for x in args.xfail.split(",") if x])
        if recs and args.time:
            for x in recs:
                x["time"] = round(args.time / len(recs), 3)
        write_records(recs, args.out)
    elif args.cmd == "runner":
        recs = read_records(args.out) if os.path.exists(args.out) else []
        mine = [x for x in recs
                if args.suite in (x["suite"], group(x["suite"]))]
        if not mine:
            write_records([record(args.suite, args.runner, "fail",
                                  message="%s exited with status %d and produced no results" % (args.runner, args.rc))], args.out)
        elif args.rc != 0 and not any(x["status"] == "fail" for x in mine):
            write_records([record(args.suite, args.runner, "fail",
                                  message="%s exited with status %d but reported no failing test (crashed?)" % (args.runner, args.rc))], args.out)
    elif args.cmd == "report":
        return report(load_all(args.dir), [x for x in args.expect.split(",") if x], args.junit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
