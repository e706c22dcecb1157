# SPDX-License-Identifier: GPL-2.0
"""gnuplot helpers shared by report.py and scale-report.py.

Every plot of the benchmarks is a PNG of lines over a log2 x axis from
whitespace-separated .dat files (NaN marks a missing value); these helpers
write those files and run gnuplot with the common settings.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys


def setup(outdir, who):
    """Return (terminal, plot-data directory), or None without gnuplot."""
    if not shutil.which("gnuplot"):
        print(f"{who}: gnuplot is not installed; no plots (apt-get install gnuplot-nox)",
              file=sys.stderr)
        return None
    out = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True,
                         text=True, check=False)
    term = "pngcairo" if "pngcairo" in out.stdout + out.stderr else "png"
    datadir = os.path.join(outdir, "plot-data")
    os.makedirs(datadir, exist_ok=True)
    return term, datadir


def write_dat(path, columns, rows):
    """Write rows of (x, values...) under a '# columns' header; None -> NaN."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("# " + " ".join(columns) + "\n")
        for row in rows:
            f.write(" ".join("NaN" if v is None else f"{v}" for v in row) + "\n")


def draw(term, png, title, xlabel, ylabel, lines, size="900,560", extra=""):
    """Plot the gnuplot plot clauses in lines into png (log2 x, y from 0)."""
    script = f"""
set terminal {term} size {size} noenhanced
set output '{png}'
set title "{title}"
set xlabel "{xlabel}"
set ylabel "{ylabel}"
set logscale x 2
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set grid
set key outside right top
set datafile missing 'NaN'
{extra}
plot {', '.join(lines)}
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    return png


def report_main(who, doc, printers, plot):
    """The command line of a report: RESULTS [--plots DIR]; prints with each of
    printers(res), then plot(res, DIR) when asked. Returns the exit status."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--plots", metavar="DIR")
    args = ap.parse_args()
    try:
        with open(args.results, encoding="utf-8") as f:
            res = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{who}: cannot read {args.results}: {e}", file=sys.stderr)
        return 1
    for show in printers:
        show(res)
    if args.plots:
        return plot(res, args.plots)
    return 0
