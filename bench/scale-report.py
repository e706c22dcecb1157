#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the vsvm-scale tables and draw their plots.

    scale-report.py SCALE.json [--plots DIR]

Reads the scale.json written by vsvm-scale (schema in bench/README.md,
"Scale rows") and prints the sparse-mirror table (each figure also as a
ratio to the smallest reservation: it should stay near 1) and the
processes x devices table (aggregate GPU faults/s and GB/s, and the speedup
over one process on one device). With --plots writes, through gnuplot,
DIR/scale-sparse-time.png, DIR/scale-sparse-memory.png,
DIR/scale-procs-faults.png and DIR/scale-procs-gbs.png (numbers in
DIR/plot-data/scale-*.dat).
"""
import os
import sys

import plotting

SPARSE_COLS = [
    ("setup_ms", "setup ms"),
    ("fault_ms", "fault ms"),
    ("fault_us_per_chunk", "us/chunk"),
    ("teardown_ms", "teardown ms"),
    ("destroy_ms", "destroy ms"),
    ("faults", "faults"),
    ("granules", "granules"),
    ("ranges", "ranges"),
    ("pt_tables_added", "PT pages"),
    ("slab_kib_added", "slab KiB"),
    ("driver_kib", "driver KiB"),
]


def fmt(v, width=10):
    if v is None:
        return "-".rjust(width)
    if abs(v) >= 100:
        return f"{v:{width}.0f}"
    return f"{v:{width}.3f}"


def print_sparse(res):
    sp = res.get("sparse") or {}
    rows = sp.get("rows") or []
    if not rows:
        return
    print(f"sparse mirror: {sp['chunks']} chunks of {sp['chunk_bytes'] // 1024} KiB "
          f"({sp['touched_bytes'] / (1 << 20):.0f} MiB) touched by the GPU, spread over "
          f"the whole reservation; median of {res.get('runs')} runs")
    head = f"{'reserved':>9} {'touched':>8} " + " ".join(f"{c[1]:>11}" for c in SPARSE_COLS)
    print(head)
    print("-" * len(head))
    base = rows[0]
    for r in rows:
        print(f"{r['reserved_gib']:>6} GiB {100 * r['touched_fraction']:>7.2f}% " +
              " ".join(f"{fmt(r.get(c[0]), 11)}" for c in SPARSE_COLS))
    for r in rows[1:]:
        ratios = []
        for key, _ in SPARSE_COLS:
            b = base.get(key)
            ratios.append(f"{r[key] / b:>11.2f}" if b and r.get(key) is not None else f"{'-':>11}")
        print(f"{r['reserved_gib']:>3}/{base['reserved_gib']:<2} GiB {'ratio':>8} " +
              " ".join(ratios))
    print()


def print_procs(res):
    pr = res.get("procs") or {}
    rows = pr.get("rows") or []
    if not rows:
        return
    one = next((r for r in rows if r["procs"] == 1 and r["devices"] == 1), None)
    print(f"processes x devices: each process faults its own "
          f"{pr['bytes_per_process'] >> 20} MiB in on the GPU (one u64 per page), "
          f"all at once; guest CPUs {res['guest'].get('cpus')}; median of {res.get('runs')} runs")
    head = (f"{'procs':>5} {'devices':>7} {'wall s':>8} {'faults':>8} {'faults/s':>10} "
            f"{'GB/s':>8} {'speedup':>8}")
    print(head)
    print("-" * len(head))
    for r in sorted(rows, key=lambda r: (r["devices"], r["procs"])):
        sp = r["gbs"] / one["gbs"] if one and one["gbs"] else None
        print(f"{r['procs']:>5} {r['devices']:>7} {r['wall_s']:>8.3f} {r['faults']:>8.0f} "
              f"{r['faults_per_s']:>10.0f} {r['gbs']:>8.3f} "
              f"{'-' if sp is None else f'{sp:.2f}':>8}")
    print()


def plot(res, outdir):
    ready = plotting.setup(outdir, "scale-report")
    if not ready:
        return 1
    term, datadir = ready
    made = []
    sp = (res.get("sparse") or {}).get("rows") or []
    if sp:
        dat = os.path.join(datadir, "scale-sparse.dat")
        plotting.write_dat(dat, ["reserved_gib"] + [c[0] for c in SPARSE_COLS],
                           [[r["reserved_gib"]] + [r.get(c[0]) for c in SPARSE_COLS]
                            for r in sp])
        col = {c[0]: i + 2 for i, c in enumerate(SPARSE_COLS)}
        touched = res["sparse"]["touched_bytes"] >> 20
        xlabel = f"reserved and mirrored (GiB), {touched} MiB touched by the GPU in each"
        extra = "set xtics (4, 8, 16, 32, 64)\nset offsets graph 0.05, graph 0.05, graph 0.1, 0"
        made.append(plotting.draw(
            term, os.path.join(outdir, "scale-sparse-time.png"),
            "sparse mirror: time vs reserved size (flat = grows with touched pages only)",
            xlabel, "ms",
            [f"'{dat}' using 1:{col['fault_ms']} with linespoints lw 2 pt 7 "
             "title 'GPU touch (faults)'",
             f"'{dat}' using 1:{col['teardown_ms']} with linespoints lw 2 pt 5 "
             "title 'VM_DESTROY + munmap'",
             f"'{dat}' using 1:{col['destroy_ms']} with linespoints lw 2 pt 11 "
             "title 'VM_DESTROY'",
             f"'{dat}' using 1:{col['setup_ms']} with linespoints lw 2 pt 9 "
             "title 'VM_CREATE + MIRROR'"], extra=extra))
        made.append(plotting.draw(
            term, os.path.join(outdir, "scale-sparse-memory.png"),
            "sparse mirror: driver memory vs reserved size", xlabel, "KiB",
            [f"'{dat}' using 1:{col['driver_kib']} with linespoints lw 2 pt 7 "
             "title 'page tables + slab'",
             f"'{dat}' using 1:(${col['pt_tables_added']} * 4) with linespoints lw 2 pt 5 "
             "title 'device page tables'",
             f"'{dat}' using 1:{col['slab_kib_added']} with linespoints lw 2 pt 9 "
             "title 'slab (growth of Slab)'"], extra=extra))
    pr = (res.get("procs") or {}).get("rows") or []
    if pr:
        devs = sorted({r["devices"] for r in pr})
        dats = []
        for d in devs:
            dat = os.path.join(datadir, f"scale-procs-{d}dev.dat")
            plotting.write_dat(dat, ["procs", "faults_per_s", "gbs", "wall_s"],
                               [(r["procs"], r["faults_per_s"], r["gbs"], r["wall_s"])
                                for r in sorted((r for r in pr if r["devices"] == d),
                                                key=lambda r: r["procs"])])
            dats.append((d, dat))
        cpus = res["guest"].get("cpus")
        for what, coln, ylabel in (("faults", 2, "GPU faults / s (all processes)"),
                                   ("gbs", 3, "GB/s made resident (all processes)")):
            made.append(plotting.draw(
                term, os.path.join(outdir, f"scale-procs-{what}.png"),
                f"processes x devices, each process faulting its own buffer ({cpus} guest CPUs)",
                "processes", ylabel,
                [f"'{dat}' using 1:{coln} with linespoints lw 2 pt 7 "
                 f"title '{d} device{'s' if d > 1 else ''}'" for d, dat in dats],
                extra="set xtics (1, 2, 4, 8)\nset offsets graph 0.05, graph 0.05, graph 0.1, 0"))
    print("plots: " + " ".join(made))
    return 0


def main():
    return plotting.report_main("scale-report", __doc__, [print_sparse, print_procs], plot)


if __name__ == "__main__":
    sys.exit(main())
