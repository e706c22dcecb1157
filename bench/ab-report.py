#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two vsvm.ko builds measured side by side (bench/ab-guest.sh).

    ab-report.py OUTDIR [METRIC...]

Reads OUTDIR/ab-A-<n>.json and ab-B-<n>.json (vsvm-bench results, one run
each) and prints, per metric and size, the median of A's and of B's vsvm
figures over the rounds, every round's values and B/A. Default metrics:
a_read, a_ns_per_u64, a_interp_ns_per_u64 and b_to_dev, when present.
"""
import glob
import json
import os
import statistics
import sys


def load(outdir, which):
    vals = {}
    for path in sorted(glob.glob(os.path.join(outdir, f"ab-{which}-*.json"))):
        with open(path, encoding="utf-8") as f:
            res = json.load(f)
        for r in res["results"]:
            if r.get("vsvm") is not None:
                vals.setdefault((r["metric"], r["size_mib"]), []).append(r["vsvm"])
    return vals


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = sys.argv[1]
    want = sys.argv[2:] or ["a_read", "a_ns_per_u64", "a_interp_ns_per_u64", "b_to_dev"]
    a, b = load(outdir, "A"), load(outdir, "B")
    if not a or not b:
        print(f"ab-report: no ab-A-*/ab-B-* results in {outdir}", file=sys.stderr)
        return 1
    print(f"{'metric':<22}{'MiB':>6}{'A median':>11}{'B median':>11}{'B/A':>7}  rounds A | B")
    for key in sorted(set(a) & set(b)):
        metric, size = key
        if metric not in want:
            continue
        ma, mb = statistics.median(a[key]), statistics.median(b[key])
        ratio = mb / ma if ma else float("nan")
        print(f"{metric:<22}{size:>6}{ma:>11.3f}{mb:>11.3f}{ratio:>7.2f}  "
              + " ".join(f"{v:.3f}" for v in a[key]) + " | "
              + " ".join(f"{v:.3f}" for v in b[key]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
