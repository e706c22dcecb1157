#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the vsvm-bench table and draw throughput-vs-size plots.

    report.py RESULTS.json [--plots DIR]

Reads the results.json written by vsvm-bench (schema in bench/README.md),
prints one table (every metric and size: vsvm, dmirror, the ratio
vsvm/dmirror and the advantage, > 1 meaning vsvm is better), the targets
with met / NOT MET, and with --plots writes DIR/<metric>.png (GB/s vs
size, vsvm and dmirror, memcpy as the limit) through gnuplot.
"""
import os
import sys

import plotting

PLOTS = [
    ("a_read", "(a) GPU read of CPU memory, LD64 loop (faults included) vs HMM_DMIRROR_READ"),
    ("a_copy", "(a) GPU read of CPU memory, BCOPY (faults included) vs HMM_DMIRROR_READ"),
    ("a_read_thp", "(g) GPU read, THP buffers"),
    ("a_touch", "(a) GPU fault path only (1 u64 per page) vs HMM_DMIRROR_READ"),
    ("b_to_dev", "(b) migrate to device, 2 MiB granularity vs MIGRATE_TO_DEV"),
    ("b_to_dev_4k", "(g) migrate to device, 4 KiB granularity"),
    ("c_back", "(c) CPU touch after migration, 2 MiB granularity"),
    ("c_back_4k", "(g) CPU touch after migration, 4 KiB granularity"),
]


def fmt(v, width=9, prec=3):
    if v is None:
        return "-".rjust(width)
    if abs(v) >= 1000:
        return f"{v:{width}.0f}"
    return f"{v:{width}.{prec}f}"


def print_table(res):
    cfg = res.get("config", {})
    guest = res.get("guest", {})
    print(f"vsvm-bench: kernel {guest.get('kernel')}, {guest.get('cpus')} CPUs, "
          f"{guest.get('mem_total_kib', 0) // 1024} MiB; vsvm {res.get('vsvm_params')}; "
          f"{cfg.get('runs')} runs (median), {cfg.get('engines')} engine(s) x "
          f"{cfg.get('lanes_per_engine')} lanes; dmirror chunk "
          f"{cfg.get('dmirror_chunk_bytes', 0) // (1 << 20)} MiB; {res.get('duration_s')} s")
    metrics = res["metrics"]
    rows = res["results"]
    head = (f"{'metric':<20} {'unit':<10} {'MiB':>5} {'vsvm':>9} {'dmirror':>9} "
            f"{'v/d':>7} {'adv':>7} {'v/memcpy':>8} {'v/u64':>7} {'v/kcopy':>7}")
    print(head)
    print("-" * len(head))
    for mid in metrics:
        for r in rows:
            if r["metric"] != mid:
                continue
            adv = r.get("advantage")
            print(f"{mid:<20} {r['unit']:<10} {r['size_mib']:>5} {fmt(r['vsvm'])} "
                  f"{fmt(r['dmirror'])} {fmt(r['ratio'], 7, 2)} {fmt(adv, 7, 2)} "
                  f"{fmt(r.get('vsvm_vs_memcpy'), 8, 2)} "
                  f"{fmt(r.get('vsvm_vs_memcpy_u64'), 7, 2)} "
                  f"{fmt(r.get('vsvm_vs_memcpy_kernel'), 7, 2)}")
    print("(v/memcpy: vsvm over glibc memcpy, the targets' yardstick; v/u64: over a plain "
          "u64 copy loop; v/kcopy: over the driver's in-kernel page copy, per CPU)")
    print()
    print("fault statistics (vsvm, a_read runs of each size):")
    for f in res.get("fault_stats", []):
        per_batch = f["faults"] / f["batches"] if f["batches"] else 0
        print(f"  {f['size_mib']:>5} MiB: {f['faults']} faults in {f['batches']} batches "
              f"({per_batch:.1f}/batch), {f['granules']} granules; 2 MiB device PTEs: "
              f"{f['huge_mappings_nohuge']} (no THP) {f['huge_mappings_thp']} (THP, "
              f"{f['thp_bytes_vsvm'] // (1 << 20)} MiB of THP in the buffer)")
    print()
    print("targets:")
    for t in res.get("targets", []):
        size = f" @ {t['size_mib']} MiB" if "size_mib" in t else ""
        val = "n/a" if t["value"] is None else f"{t['value']:.2f}"
        print(f"  {'met    ' if t['met'] else 'NOT MET'}  {t['what']}{size}: {val}")


def plot(res, outdir):
    ready = plotting.setup(outdir, "report")
    if not ready:
        return 1
    term, datadir = ready
    rows = res["results"]
    memcpy = {r["size_mib"]: r["vsvm"] for r in rows if r["metric"] == "e_memcpy"}
    made = []
    for mid, title in PLOTS:
        pts = sorted((r["size_mib"], r["vsvm"], r["dmirror"]) for r in rows
                     if r["metric"] == mid)
        if not pts:
            continue
        dat = os.path.join(datadir, f"{mid}.dat")
        plotting.write_dat(dat, ["size_mib", "vsvm_gbs", "dmirror_gbs", "memcpy_gbs"],
                           [(size, v, d, memcpy.get(size)) for size, v, d in pts])
        made.append(plotting.draw(
            term, os.path.join(outdir, f"{mid}.png"), title, "buffer size (MiB)", "GB/s",
            [f"'{dat}' using 1:2 with linespoints lw 2 pt 7 title 'vsvm'",
             f"'{dat}' using 1:3 with linespoints lw 2 pt 5 title 'dmirror (test_hmm)'",
             f"'{dat}' using 1:4 with lines dt 2 lw 1 title 'guest memcpy'"]))
    # One overview: the three like-for-like throughputs of the targets.
    main = [m for m in ("a_copy", "a_read", "b_to_dev", "c_back")
            if os.path.exists(os.path.join(datadir, f"{m}.dat"))]
    if main:
        lines = []
        for i, m in enumerate(main):
            dat = os.path.join(datadir, f"{m}.dat")
            lines.append(f"'{dat}' using 1:2 with linespoints lw 2 lc {i + 1} pt 7 "
                         f"title 'vsvm {m}'")
            lines.append(f"'{dat}' using 1:3 with linespoints lw 1 lc {i + 1} dt 3 pt 5 "
                         f"title 'dmirror {m}'")
        lines.append(f"'{os.path.join(datadir, main[0] + '.dat')}' using 1:4 with lines "
                     "lc rgb 'black' dt 2 title 'guest memcpy'")
        made.append(plotting.draw(
            term, os.path.join(outdir, "throughput.png"),
            "vsvm vs test_hmm (dmirror): throughput vs size, median of runs",
            "buffer size (MiB)", "GB/s", lines, size="1000,600"))
    # Migration: parallel vs serial, THP, both ways back, the three copies.
    mig = [m for m in ("b_to_dev", "b_to_dev_serial", "b_to_dev_walk", "b_to_dev_thp",
                       "c_back", "c_back_thp", "c_back_prefetch", "c_back_prefetch_serial",
                       "e_memcpy", "e_memcpy_u64", "e_memcpy_kernel")
           if any(r["metric"] == m for r in rows)]
    if mig:
        dat = os.path.join(datadir, "migration.dat")
        sizes = sorted({r["size_mib"] for r in rows if r["metric"] in mig})
        val = {(r["metric"], r["size_mib"]): r["vsvm"] for r in rows}
        plotting.write_dat(dat, ["size_mib"] + mig,
                           [[size] + [val.get((m, size)) for m in mig] for size in sizes])
        lines = []
        for i, m in enumerate(mig):
            style = "lines dt 2 lw 1" if m.startswith("e_") else "linespoints lw 2 pt 7"
            lines.append(f"'{dat}' using 1:{i + 2} with {style} lc {i + 1} title '{m}'")
        made.append(plotting.draw(
            term, os.path.join(outdir, "migration.png"),
            "vsvm migration: parallel (default) vs serial (debugfs migrate_workers), walk, THP, "
            "and the copy yardsticks", "buffer size (MiB)", "GB/s", lines, size="1000,600"))
    print("plots: " + " ".join(made))
    return 0


def main():
    return plotting.report_main("report", __doc__, [print_table], plot)


if __name__ == "__main__":
    sys.exit(main())
