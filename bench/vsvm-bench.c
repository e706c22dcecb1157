// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-bench: measures vsvm and test_hmm (dmirror) side by side over a
 * size sweep in one guest boot and writes results.json (README.md has the
 * schema). Every measurement checks its data; a wrong answer exits 1.
 *
 *   vsvm-bench [--sizes 4,16,64,256,1024] [--runs 3] [--engines N]
 *              [--device I] [--dmirror /dev/hmm_dmirror0] [--no-dmirror]
 *              [--chunk-mib 64] [--only read|a_read|a_read_fast|migrate]
 *              [--one-job]
 *              [--out FILE]
 *
 * --only runs just the GPU reads, just a_read (and a_read_stepping), just
 * a_read (for profiling the fast path) or just the migrations. --one-job makes each GPU read one
 * job of engines x 32 lanes on engine 0, whose waves the device spreads
 * over its engines, instead of one job of 32 lanes per engine.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "vsvm.h"
#include "bench.h"

#define GB	1e9

/* Which side a value belongs to. */
enum side { VSVM, DMIRROR, NSIDES };

enum metric {
	M_A_READ,	/* (a) GPU reads every u64, MADV_NOHUGEPAGE */
	M_A_TOUCH,	/* (a) GPU reads one u64 per page */
	M_A_READ_THP,	/* (g) (a) with THP */
	M_B_TO_DEV,	/* (b) migrate to device, 2 MiB granularity */
	M_B_TO_DEV_4K,	/* (g) (b) with 4 KiB granularity */
	M_C_BACK,	/* (c) CPU touch after migration, 2 MiB granularity */
	M_C_BACK_4K,	/* (g) (c) with 4 KiB granularity */
	M_D_MUNMAP,	/* (d) munmap of a mirrored, populated range */
	M_E_MEMCPY,	/* (e) guest memcpy, the limit */
	M_F_P50,	/* (f) fault service latency p50 */
	M_F_P99,	/* (f) fault service latency p99 */
	M_F_PER_BATCH,	/* (f) faults per batch */
	M_F_PER_MIB,	/* (f) device faults per MiB read */
	M_A_SETUP,	/* VM_CREATE + MIRROR time */
	M_A_FAULT_SHARE, /* share of a_read spent servicing faults */
	M_A_COPY,	/* (a) with BCOPY (ISA v2) instead of an LD64 loop */
	M_A_NS_PER_U64,	/* a_read: job time per u64 */
	M_A_INTERP_NS,	/* a_read: interpretation time per u64 (debugfs interp_ns) */
	M_A_READ_STEP,	/* a_read with the fast path off (debugfs stepping=Y) */
	M_B_TO_DEV_SER,	/* b_to_dev with one worker (debugfs) */
	M_B_TO_DEV_WALK, /* b_to_dev the old way: mapping by a second walk (debugfs) */
	M_B_TO_DEV_THP,	/* b_to_dev of a THP buffer */
	M_C_BACK_THP,	/* c_back after b_to_dev_thp */
	M_C_PREFETCH,	/* PREFETCH back to system memory (parallel) */
	M_C_PREFETCH_SER, /* the same with one worker */
	M_E_MEMCPY_U64,	/* guest copy, a plain u64 loop */
	M_E_MEMCPY_KERNEL, /* the driver's in-kernel page copy, per CPU */
	M_COUNT,
};

static const struct metric_info {
	const char *id;
	const char *unit;
	bool higher_better;
	bool like_for_like;
	double target;		/* vsvm/dmirror (or dmirror/vsvm) goal, 0: none */
	const char *what;
} metrics[M_COUNT] = {
	[M_A_READ] = { "a_read", "GB/s", true, true, 3,
		"GPU reads every u64 of CPU-populated memory (faults included) vs HMM_DMIRROR_READ" },
	[M_A_TOUCH] = { "a_touch", "GB/s", true, false, 0,
		"GPU reads one u64 per 4 KiB page (fault path only) vs HMM_DMIRROR_READ (copies every byte)" },
	[M_A_READ_THP] = { "a_read_thp", "GB/s", true, true, 0,
		"a_read with MADV_HUGEPAGE on both sides" },
	[M_B_TO_DEV] = { "b_to_dev", "GB/s", true, true, 3,
		"VM_BIND PREFETCH to VRAM (2 MiB granularity) vs HMM_DMIRROR_MIGRATE_TO_DEV" },
	[M_B_TO_DEV_4K] = { "b_to_dev_4k", "GB/s", true, true, 0,
		"b_to_dev with 4 KiB granularity (SVM_ATTR_SET)" },
	[M_C_BACK] = { "c_back", "GB/s", true, true, 3,
		"CPU reads every u64 after migration (migrate_to_ram), 2 MiB granularity" },
	[M_C_BACK_4K] = { "c_back_4k", "GB/s", true, true, 0,
		"c_back with 4 KiB granularity (SVM_ATTR_SET)" },
	[M_D_MUNMAP] = { "d_munmap", "us/MiB", false, true, 0,
		"munmap of a mirrored range the device has mapped (after a_read)" },
	[M_E_MEMCPY] = { "e_memcpy", "GB/s", true, false, 0,
		"guest memcpy between populated buffers, the limit" },
	[M_F_P50] = { "f_fault_p50", "us", false, false, 0,
		"GPU fault batch service latency, median (upper bucket bound)" },
	[M_F_P99] = { "f_fault_p99", "us", false, false, 0,
		"GPU fault batch service latency, 99th percentile (upper bucket bound)" },
	[M_F_PER_BATCH] = { "f_faults_per_batch", "faults", true, false, 0,
		"GPU faults serviced per fault-handler batch" },
	[M_F_PER_MIB] = { "f_faults_per_mib", "faults/MiB", false, false, 0,
		"device faults per MiB read (vsvm: GPU faults; dmirror: hmm_range_fault rounds)" },
	[M_A_SETUP] = { "a_setup", "ms", false, false, 0,
		"VM_CREATE + MIRROR before the GPU read (not in a_read)" },
	[M_A_COPY] = { "a_copy", "GB/s", true, true, 3,
		"GPU copies every byte of CPU-populated memory with BCOPY into per-lane 1 MiB rings (faults included) vs HMM_DMIRROR_READ (copies every byte into a bounce buffer)" },
	[M_A_FAULT_SHARE] = { "a_fault_share", "fraction", false, false, 0,
		"share of a_read's time in GPU fault service (sum of vsvm:vsvm_fault_batch ns); the rest is the engine executing" },
	[M_A_NS_PER_U64] = { "a_ns_per_u64", "ns", false, false, 0,
		"a_read: wall time of the GPU read per u64 read (faults included)" },
	[M_A_INTERP_NS] = { "a_interp_ns_per_u64", "ns", false, false, 0,
		"a_read: engine time interpreting (debugfs vsvm_counters interp_ns, fault waits excluded) per u64 read; target <= 15" },
	[M_A_READ_STEP] = { "a_read_stepping", "GB/s", true, false, 0,
		"a_read in the same boot with the interpreter's fast path off (debugfs stepping=Y): one instruction at a time" },
	[M_B_TO_DEV_SER] = { "b_to_dev_serial", "GB/s", true, false, 0,
		"b_to_dev with the chunks migrated one after the other (debugfs migrate_workers=1); the default is one worker per CPU" },
	[M_B_TO_DEV_WALK] = { "b_to_dev_walk", "GB/s", true, false, 0,
		"b_to_dev as earlier versions did it: serial, the pages moved mapped by a second hmm_range_fault walk (debugfs migrate_workers=1, migrate_walk=Y)" },
	[M_B_TO_DEV_THP] = { "b_to_dev_thp", "GB/s", true, false, 0,
		"b_to_dev of a MADV_HUGEPAGE buffer (THPs are split by the migration)" },
	[M_C_BACK_THP] = { "c_back_thp", "GB/s", true, false, 0,
		"c_back after b_to_dev_thp" },
	[M_C_PREFETCH] = { "c_back_prefetch", "GB/s", true, false, 0,
		"VM_BIND PREFETCH to system memory of the whole buffer after b_to_dev (2 MiB granularity)" },
	[M_C_PREFETCH_SER] = { "c_back_prefetch_serial", "GB/s", true, false, 0,
		"c_back_prefetch with one worker (debugfs migrate_workers=1)" },
	[M_E_MEMCPY_U64] = { "e_memcpy_u64", "GB/s", true, false, 0,
		"guest copy between populated buffers with a plain loop, one u64 at a time" },
	[M_E_MEMCPY_KERNEL] = { "e_memcpy_kernel", "GB/s", true, false, 0,
		"the driver's in-kernel copy of 4 KiB pages during b_to_dev/c_back (debugfs copy_pages/copy_ns), per CPU" },
};

struct cell {
	double v[NSIDES][MAX_RUNS];
	int n[NSIDES];
};

struct size_res {
	size_t size;
	struct cell m[M_COUNT];
	uint64_t lat[LAT_BUCKETS];	/* fault latency histogram delta, all a_read runs */
	uint64_t faults, batches, granules, huge_mappings, huge_mappings_thp;
	uint64_t thp_bytes_vsvm, thp_bytes_dmirror;
	bool b_skipped;
};

struct opts {
	size_t sizes[MAX_SIZES];
	int nsizes;
	int runs;
	uint32_t engines;
	int device;
	const char *dmirror;
	size_t chunk;
	const char *out;
	const char *only;
	bool one_job;
};

static void add(struct size_res *s, enum metric m, enum side side, double v)
{
	struct cell *c = &s->m[m];

	if (c->n[side] < MAX_RUNS)
		c->v[side][c->n[side]++] = v;
}

static double med(struct size_res *s, enum metric m, enum side side)
{
	struct cell *c = &s->m[m];

	return c->n[side] ? median(c->v[side], c->n[side]) : NAN;
}

/* Upper bound (us) of the bucket holding the @pct-th percentile. */
static double lat_pct(const uint64_t *lat, int pct)
{
	uint64_t total = 0, acc = 0;
	int b;

	for (b = 0; b < LAT_BUCKETS; b++)
		total += lat[b];
	if (!total)
		return NAN;
	for (b = 0; b < LAT_BUCKETS; b++) {
		acc += lat[b];
		if (acc * 100 >= total * (uint64_t)pct)
			return (double)(1ull << b);
	}
	return NAN;
}

static void json_num(FILE *f, double v)
{
	if (isnan(v) || isinf(v))
		fputs("null", f);
	else
		fprintf(f, "%.6g", v);
}

static void json_runs(FILE *f, const struct cell *c, enum side side)
{
	int i;

	if (!c->n[side]) {
		fputs("null", f);
		return;
	}
	fputc('[', f);
	for (i = 0; i < c->n[side]; i++) {
		if (i)
			fputs(", ", f);
		json_num(f, c->v[side][i]);
	}
	fputc(']', f);
}

static void json_str_file(FILE *f, const char *path)
{
	char buf[256], *p;

	if (read_file_str(path, buf, sizeof(buf)) < 0) {
		fputs("null", f);
		return;
	}
	for (p = buf; *p; p++)
		if (*p == '\n' || *p == '"' || *p == '\\')
			*p = ' ';
	while (p > buf && p[-1] == ' ')
		*--p = '\0';
	fprintf(f, "\"%s\"", buf);
}

/* Ratio oriented so that > 1 means vsvm is better. */
static double advantage(const struct metric_info *mi, double v, double d)
{
	if (isnan(v) || isnan(d) || v <= 0 || d <= 0)
		return NAN;
	return mi->higher_better ? v / d : d / v;
}

static double flatness(struct size_res *res, int n, enum metric m, enum side side)
{
	double lo = INFINITY, hi = 0, v;
	int i;

	for (i = 0; i < n; i++) {
		if (res[i].size < 16 * MIB)
			continue;
		v = med(&res[i], m, side);
		if (isnan(v))
			continue;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	return hi > 0 && !isinf(lo) ? lo / hi : NAN;
}

static void write_json(const struct opts *o, const struct vsvm_ctx *vc,
		       struct size_res *res, int nres, double total_secs)
{
	static const char *const params[] = {
		"num_devices", "num_engines", "vram_size_mb", "job_timeout_ms",
	};
	static const enum metric flat_metrics[] = { M_A_READ, M_B_TO_DEV, M_C_BACK };
	static const enum metric target_metrics[] = { M_A_READ, M_B_TO_DEV, M_C_BACK };
	struct utsname u;
	char path[128];
	FILE *f = fopen(o->out, "w");
	bool first = true;
	size_t i, j;
	int s, m;

	if (!f)
		die("cannot write %s: %s", o->out, strerror(errno));
	uname(&u);
	fprintf(f, "{\n  \"schema\": 1,\n  \"tool\": \"vsvm-bench\",\n");
	fprintf(f, "  \"time\": %lld,\n  \"duration_s\": %.1f,\n", (long long)time(NULL),
		total_secs);
	fprintf(f, "  \"guest\": {\"kernel\": \"%s\", \"cpus\": %ld, \"mem_total_kib\": %" PRIu64
		", \"thp\": ", u.release, sysconf(_SC_NPROCESSORS_ONLN), meminfo_kib("MemTotal"));
	json_str_file(f, "/sys/kernel/mm/transparent_hugepage/enabled");
	fputs("},\n  \"vsvm_params\": {", f);
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		snprintf(path, sizeof(path), "/sys/module/vsvm/parameters/%s", params[i]);
		fprintf(f, "%s\"%s\": ", i ? ", " : "", params[i]);
		json_str_file(f, path);
	}
	fprintf(f, "},\n  \"config\": {\"runs\": %d, \"engines\": %u, \"one_job\": %s, "
		"\"lanes_per_engine\": %d, "
		"\"vram_bytes\": %" PRIu64 ", \"dmirror_chunk_bytes\": %zu, "
		"\"gpu_read\": \"every u64, 2 ISA instructions per u64 (LD64 + ADD)\", "
		"\"sizes_mib\": [",
		o->runs, vc->engines, o->one_job ? "true" : "false", LANES, vc->vram_size,
		o->chunk);
	for (s = 0; s < o->nsizes; s++)
		fprintf(f, "%s%zu", s ? ", " : "", o->sizes[s] / MIB);
	fputs("]},\n  \"metrics\": {\n", f);
	for (m = 0; m < M_COUNT; m++) {
		const struct metric_info *mi = &metrics[m];

		fprintf(f, "    \"%s\": {\"unit\": \"%s\", \"better\": \"%s\", "
			"\"like_for_like\": %s, \"target\": ", mi->id, mi->unit,
			mi->higher_better ? "higher" : "lower",
			mi->like_for_like ? "true" : "false");
		json_num(f, mi->target ? mi->target : NAN);
		fprintf(f, ", \"description\": \"%s\"}%s\n", mi->what,
			m + 1 < M_COUNT ? "," : "");
	}
	fputs("  },\n  \"results\": [", f);
	for (s = 0; s < nres; s++) {
		struct size_res *r = &res[s];
		double memcpy_gbs = med(r, M_E_MEMCPY, VSVM);
		double u64_gbs = med(r, M_E_MEMCPY_U64, VSVM);
		double kernel_gbs = med(r, M_E_MEMCPY_KERNEL, VSVM);

		for (m = 0; m < M_COUNT; m++) {
			const struct metric_info *mi = &metrics[m];
			struct cell *c = &r->m[m];
			double v = med(r, (enum metric)m, VSVM);
			double d = med(r, (enum metric)m, DMIRROR);

			if (!c->n[VSVM] && !c->n[DMIRROR])
				continue;
			fprintf(f, "%s\n    {\"metric\": \"%s\", \"size_mib\": %zu, \"unit\": \"%s\", "
				"\"vsvm\": ", first ? "" : ",", mi->id, r->size / MIB, mi->unit);
			first = false;
			json_num(f, v);
			fputs(", \"dmirror\": ", f);
			json_num(f, d);
			fputs(", \"ratio\": ", f);
			json_num(f, !isnan(v) && !isnan(d) && d > 0 ? v / d : NAN);
			fputs(", \"advantage\": ", f);
			json_num(f, advantage(mi, v, d));
			if (!strcmp(mi->unit, "GB/s") && m != M_E_MEMCPY) {
				fputs(", \"vsvm_vs_memcpy\": ", f);
				json_num(f, v / memcpy_gbs);
				fputs(", \"vsvm_vs_memcpy_u64\": ", f);
				json_num(f, v / u64_gbs);
				fputs(", \"vsvm_vs_memcpy_kernel\": ", f);
				json_num(f, v / kernel_gbs);
				fputs(", \"dmirror_vs_memcpy\": ", f);
				json_num(f, d / memcpy_gbs);
			}
			fputs(", \"vsvm_runs\": ", f);
			json_runs(f, c, VSVM);
			fputs(", \"dmirror_runs\": ", f);
			json_runs(f, c, DMIRROR);
			fputc('}', f);
		}
	}
	fputs("\n  ],\n  \"fault_stats\": [\n", f);
	for (s = 0; s < nres; s++) {
		struct size_res *r = &res[s];

		fprintf(f, "    {\"size_mib\": %zu, \"faults\": %" PRIu64 ", \"batches\": %" PRIu64
			", \"granules\": %" PRIu64 ", \"huge_mappings_nohuge\": %" PRIu64
			", \"huge_mappings_thp\": %" PRIu64 ", \"thp_bytes_vsvm\": %" PRIu64
			", \"thp_bytes_dmirror\": %" PRIu64 ", \"latency_us_histogram\": [",
			r->size / MIB, r->faults, r->batches, r->granules, r->huge_mappings,
			r->huge_mappings_thp, r->thp_bytes_vsvm, r->thp_bytes_dmirror);
		for (j = 0; j < LAT_BUCKETS; j++)
			fprintf(f, "%s%" PRIu64, j ? ", " : "", r->lat[j]);
		fprintf(f, "]}%s\n", s + 1 < nres ? "," : "");
	}
	fputs("  ],\n  \"targets\": [\n", f);
	for (s = 0; s < nres; s++)
		for (i = 0; i < sizeof(target_metrics) / sizeof(target_metrics[0]); i++) {
			enum metric m2 = target_metrics[i];
			double adv = advantage(&metrics[m2], med(&res[s], m2, VSVM),
					       med(&res[s], m2, DMIRROR));

			fprintf(f, "    {\"what\": \"%s vsvm/dmirror >= 3\", \"size_mib\": %zu, "
				"\"value\": ", metrics[m2].id, res[s].size / MIB);
			json_num(f, adv);
			fprintf(f, ", \"met\": %s},\n", !isnan(adv) && adv >= 3 ? "true" : "false");
		}
	/*
	 * Round 2 (from 16 MiB up): a_read >= 1 x dmirror (stretch 3, above),
	 * <= 15 ns per u64 interpreting, faults the largest share of a_read;
	 * b_to_dev >= 0.5 x memcpy (stretch 0.7), glibc memcpy the yardstick.
	 */
	for (s = 0; s < nres; s++) {
		double frac = med(&res[s], M_B_TO_DEV, VSVM) / med(&res[s], M_E_MEMCPY, VSVM);
		double adv = advantage(&metrics[M_A_READ], med(&res[s], M_A_READ, VSVM),
				       med(&res[s], M_A_READ, DMIRROR));
		double ns = med(&res[s], M_A_INTERP_NS, VSVM);
		double share = med(&res[s], M_A_FAULT_SHARE, VSVM);

		if (res[s].size < 16 * MIB)
			continue;
		fprintf(f, "    {\"what\": \"a_read vsvm/dmirror >= 1\", \"size_mib\": %zu, "
			"\"value\": ", res[s].size / MIB);
		json_num(f, adv);
		fprintf(f, ", \"met\": %s},\n", !isnan(adv) && adv >= 1 ? "true" : "false");
		fprintf(f, "    {\"what\": \"a_read <= 15 ns per u64 interpreting\", "
			"\"size_mib\": %zu, \"value\": ", res[s].size / MIB);
		json_num(f, ns);
		fprintf(f, ", \"met\": %s},\n", !isnan(ns) && ns <= 15 ? "true" : "false");
		fprintf(f, "    {\"what\": \"a_read fault service the largest share (>= 0.5)\", "
			"\"size_mib\": %zu, \"value\": ", res[s].size / MIB);
		json_num(f, share);
		fprintf(f, ", \"met\": %s},\n", !isnan(share) && share >= 0.5 ? "true" : "false");
		for (i = 0; i < 2; i++) {
			fprintf(f, "    {\"what\": \"b_to_dev vsvm >= %s x memcpy\", "
				"\"size_mib\": %zu, \"value\": ", i ? "0.7" : "0.5",
				res[s].size / MIB);
			json_num(f, frac);
			fprintf(f, ", \"met\": %s},\n",
				!isnan(frac) && frac >= (i ? 0.7 : 0.5) ? "true" : "false");
		}
	}
	for (i = 0; i < sizeof(flat_metrics) / sizeof(flat_metrics[0]); i++) {
		double fl = flatness(res, nres, flat_metrics[i], VSVM);

		fprintf(f, "    {\"what\": \"%s vsvm flat from 16 MiB up (min/max >= 0.8)\", "
			"\"value\": ", metrics[flat_metrics[i]].id);
		json_num(f, fl);
		fprintf(f, ", \"met\": %s}%s\n", !isnan(fl) && fl >= 0.8 ? "true" : "false",
			i + 1 < sizeof(flat_metrics) / sizeof(flat_metrics[0]) ? "," : "");
	}
	fputs("  ]\n}\n", f);
	if (fclose(f))
		die("writing %s: %s", o->out, strerror(errno));
}

static void gpu_read_stats(struct size_res *r, const struct gpu_read_res *g, bool thp)
{
	int b;

	if (thp) {
		r->huge_mappings_thp += g->d1.huge_mappings - g->d0.huge_mappings;
		return;
	}
	for (b = 0; b < LAT_BUCKETS; b++)
		r->lat[b] += g->d1.lat[b] - g->d0.lat[b];
	r->faults += g->d1.faults - g->d0.faults;
	r->batches += g->d1.fault_batches - g->d0.fault_batches;
	r->granules += g->d1.fault_granules - g->d0.fault_granules;
	r->huge_mappings += g->d1.huge_mappings - g->d0.huge_mappings;
}

static bool wanted(const struct opts *o, const char *what)
{
	/* a_read (a_read_fast: without a_read_stepping) is one of the reads. */
	return !o->only || !strcmp(o->only, what) ||
	       (!strncmp(o->only, "a_read", 6) && !strcmp(what, "read"));
}

static void run_vsvm(const struct opts *o, struct vsvm_ctx *vc, struct size_res *r,
		     uint64_t seed)
{
	size_t size = r->size;
	double mib = (double)size / MIB;
	struct gpu_read_res g;
	struct migrate_res mr;

	if (!wanted(o, "read"))
		goto migrate;
	vsvm_gpu_read(vc, size, BUF_NOHUGE, seed + 1, READ_SUM, &g);
	add(r, M_A_READ, VSVM, size / g.secs / GB);
	add(r, M_D_MUNMAP, VSVM, g.unmap_secs * 1e6 / mib);
	add(r, M_A_SETUP, VSVM, g.setup_secs * 1e3);
	add(r, M_F_PER_MIB, VSVM, (double)g.job_faults / mib);
	if (g.fault_secs >= 0)
		add(r, M_A_FAULT_SHARE, VSVM, g.fault_secs / g.secs);
	gpu_read_stats(r, &g, false);
	add(r, M_A_NS_PER_U64, VSVM, g.secs * 1e9 / (size / 8));
	add(r, M_A_INTERP_NS, VSVM, (double)(g.d1.interp_ns - g.d0.interp_ns) / (size / 8));
	msg("  vsvm    a_read %.1f ns/u64, %.1f ns/u64 interpreting (%.2f ns/insn)\n",
	    g.secs * 1e9 / (size / 8), (double)(g.d1.interp_ns - g.d0.interp_ns) / (size / 8),
	    g.d1.insns > g.d0.insns ? (double)(g.d1.interp_ns - g.d0.interp_ns) /
	    (g.d1.insns - g.d0.insns) : -1.0);
	if ((!o->only || strcmp(o->only, "a_read_fast")) && vsvm_fast_path(false) == 0) {
		struct gpu_read_res gs;

		vsvm_gpu_read(vc, size, BUF_NOHUGE, seed + 1, READ_SUM, &gs);
		vsvm_fast_path(true);
		add(r, M_A_READ_STEP, VSVM, size / gs.secs / GB);
		msg("  vsvm    a_read_stepping %7.3f GB/s: fast path %.2fx\n",
		    size / gs.secs / GB, gs.secs / g.secs);
	}
	msg("  vsvm    a_read %7.3f GB/s  munmap %7.1f us/MiB  faults %" PRIu64
	    "  fault service %.0f%%\n", size / g.secs / GB, g.unmap_secs * 1e6 / mib,
	    g.job_faults, g.fault_secs >= 0 ? 100 * g.fault_secs / g.secs : -1.0);
	if (o->only && !strncmp(o->only, "a_read", 6))
		return;

	vsvm_gpu_read(vc, size, BUF_NOHUGE, seed + 2, READ_TOUCH, &g);
	add(r, M_A_TOUCH, VSVM, size / g.secs / GB);
	msg("  vsvm    a_touch %6.3f GB/s  fault service %.0f%%\n", size / g.secs / GB,
	    g.fault_secs >= 0 ? 100 * g.fault_secs / g.secs : -1.0);

	vsvm_gpu_read(vc, size, BUF_HUGE, seed + 3, READ_SUM, &g);
	add(r, M_A_READ_THP, VSVM, size / g.secs / GB);
	r->thp_bytes_vsvm = g.thp_bytes;
	gpu_read_stats(r, &g, true);
	msg("  vsvm    a_read_thp %6.3f GB/s\n", size / g.secs / GB);

	vsvm_gpu_read(vc, size, BUF_NOHUGE, seed + 10, READ_COPY, &g);
	add(r, M_A_COPY, VSVM, size / g.secs / GB);
	msg("  vsvm    a_copy %7.3f GB/s  faults %" PRIu64 "\n", size / g.secs / GB,
	    g.job_faults);

migrate:
	if (r->b_skipped || !wanted(o, "migrate"))
		return;
	vsvm_migrate(vc, size, HUGE_SZ, BUF_NOHUGE, BACK_TOUCH, seed + 4, &mr);
	add(r, M_B_TO_DEV, VSVM, size / mr.to_dev_secs / GB);
	add(r, M_C_BACK, VSVM, size / mr.touch_secs / GB);
	msg("  vsvm    b_to_dev %6.3f GB/s  c_back %6.3f GB/s  (2 MiB, %" PRIu64
	    " parallel migrations)\n", size / mr.to_dev_secs / GB, size / mr.touch_secs / GB,
	    mr.d1.migrate_parallel - mr.d0.migrate_parallel);
	if (mr.d1.copy_ns > mr.d0.copy_ns) {
		double k = (double)(mr.d1.copy_pages - mr.d0.copy_pages) * PAGE_SZ /
			   (double)(mr.d1.copy_ns - mr.d0.copy_ns);

		add(r, M_E_MEMCPY_KERNEL, VSVM, k);
		msg("  vsvm    in-kernel page copy %6.3f GB/s per CPU (%.0f%% of b_to_dev + c_back)\n",
		    k, 100.0 * (double)(mr.d1.copy_ns - mr.d0.copy_ns) * 1e-9 /
		    (mr.to_dev_secs + mr.touch_secs));
	}
	vsvm_migrate(vc, size, HUGE_SZ, BUF_HUGE, BACK_TOUCH, seed + 11, &mr);
	add(r, M_B_TO_DEV_THP, VSVM, size / mr.to_dev_secs / GB);
	add(r, M_C_BACK_THP, VSVM, size / mr.touch_secs / GB);
	msg("  vsvm    b_to_dev %6.3f GB/s  c_back %6.3f GB/s  (THP, %" PRIu64 " MiB huge)\n",
	    size / mr.to_dev_secs / GB, size / mr.touch_secs / GB, mr.thp_bytes / MIB);
	vsvm_migrate(vc, size, HUGE_SZ, BUF_NOHUGE, BACK_PREFETCH, seed + 12, &mr);
	add(r, M_C_PREFETCH, VSVM, size / mr.touch_secs / GB);
	msg("  vsvm    b_to_dev %6.3f GB/s  prefetch back %6.3f GB/s\n",
	    size / mr.to_dev_secs / GB, size / mr.touch_secs / GB);
	if (vsvm_migrate_knobs(1, false) == 0) {
		vsvm_migrate(vc, size, HUGE_SZ, BUF_NOHUGE, BACK_PREFETCH, seed + 13, &mr);
		add(r, M_B_TO_DEV_SER, VSVM, size / mr.to_dev_secs / GB);
		add(r, M_C_PREFETCH_SER, VSVM, size / mr.touch_secs / GB);
		msg("  vsvm    b_to_dev %6.3f GB/s  prefetch back %6.3f GB/s  (serial)\n",
		    size / mr.to_dev_secs / GB, size / mr.touch_secs / GB);
		vsvm_migrate_knobs(1, true);
		vsvm_migrate(vc, size, HUGE_SZ, BUF_NOHUGE, BACK_TOUCH, seed + 14, &mr);
		add(r, M_B_TO_DEV_WALK, VSVM, size / mr.to_dev_secs / GB);
		msg("  vsvm    b_to_dev %6.3f GB/s  (serial, walk: as before)\n",
		    size / mr.to_dev_secs / GB);
		vsvm_migrate_knobs(0, false);	/* the defaults */
	}
	vsvm_migrate(vc, size, PAGE_SZ, BUF_NOHUGE, BACK_TOUCH, seed + 5, &mr);
	add(r, M_B_TO_DEV_4K, VSVM, size / mr.to_dev_secs / GB);
	add(r, M_C_BACK_4K, VSVM, size / mr.touch_secs / GB);
	msg("  vsvm    b_to_dev %6.3f GB/s  c_back %6.3f GB/s  (4 KiB)\n",
	    size / mr.to_dev_secs / GB, size / mr.touch_secs / GB);
}

static void run_dmirror(const struct opts *o, struct dmirror_ctx *dc, struct size_res *r,
			uint64_t seed)
{
	size_t size = r->size;
	double mib = (double)size / MIB, v;
	struct gpu_read_res g;
	struct migrate_res mr;

	if (!wanted(o, "read"))
		goto migrate;
	dmirror_read(dc, size, BUF_NOHUGE, seed + 6, &g);
	v = size / g.secs / GB;
	add(r, M_A_READ, DMIRROR, v);
	add(r, M_A_TOUCH, DMIRROR, v);
	add(r, M_A_COPY, DMIRROR, v);
	add(r, M_D_MUNMAP, DMIRROR, g.unmap_secs * 1e6 / mib);
	add(r, M_F_PER_MIB, DMIRROR, (double)g.job_faults / mib);
	msg("  dmirror a_read %7.3f GB/s  munmap %7.1f us/MiB  faults %" PRIu64 "\n",
	    v, g.unmap_secs * 1e6 / mib, g.job_faults);
	if (o->only && !strncmp(o->only, "a_read", 6))
		return;

	dmirror_read(dc, size, BUF_HUGE, seed + 7, &g);
	add(r, M_A_READ_THP, DMIRROR, size / g.secs / GB);
	r->thp_bytes_dmirror = g.thp_bytes;
	msg("  dmirror a_read_thp %6.3f GB/s\n", size / g.secs / GB);

migrate:
	if (!wanted(o, "migrate"))
		return;
	dmirror_migrate(dc, size, seed + 8, &mr);
	add(r, M_B_TO_DEV, DMIRROR, size / mr.to_dev_secs / GB);
	add(r, M_C_BACK, DMIRROR, size / mr.touch_secs / GB);
	/* dmirror has one granularity: a page. The 4 KiB rows compare with it. */
	add(r, M_B_TO_DEV_4K, DMIRROR, size / mr.to_dev_secs / GB);
	add(r, M_C_BACK_4K, DMIRROR, size / mr.touch_secs / GB);
	msg("  dmirror b_to_dev %6.3f GB/s  c_back %6.3f GB/s\n",
	    size / mr.to_dev_secs / GB, size / mr.touch_secs / GB);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vsvm-bench [--sizes MiB,...] [--runs N] [--engines N] [--device I]\n"
		"                  [--dmirror DEV | --no-dmirror] [--chunk-mib N]\n"
		"                  [--only read|a_read|a_read_fast|migrate] [--one-job]\n"
		"                  [--out FILE]\n");
	exit(2);
}

static void parse_sizes(struct opts *o, const char *arg)
{
	char *dup = strdup(arg), *tok, *save;

	o->nsizes = 0;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long v = strtoul(tok, NULL, 10);

		if (!v || v % 4 || o->nsizes == MAX_SIZES)
			die("--sizes: sizes are multiples of 4 MiB, at most %d of them", MAX_SIZES);
		o->sizes[o->nsizes++] = v * MIB;
	}
	free(dup);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'r' },
		{ "engines", required_argument, NULL, 'e' },
		{ "device", required_argument, NULL, 'd' },
		{ "dmirror", required_argument, NULL, 'm' },
		{ "no-dmirror", no_argument, NULL, 'n' },
		{ "chunk-mib", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "only", required_argument, NULL, 'O' },
		{ "one-job", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = {
		.runs = 3, .engines = 1, .device = 0,
		.dmirror = "/dev/hmm_dmirror0", .chunk = 64 * MIB,
		.out = "build/bench/results.json",
	};
	struct size_res *res;
	struct vsvm_ctx vc;
	struct dmirror_ctx dc;
	double t_start = now_s();
	int opt, s, run, ret;

	parse_sizes(&o, "4,16,64,256,1024");
	while ((opt = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (opt) {
		case 's': parse_sizes(&o, optarg); break;
		case 'r': o.runs = atoi(optarg); break;
		case 'e': o.engines = (uint32_t)atoi(optarg); break;
		case 'd': o.device = atoi(optarg); break;
		case 'm': o.dmirror = optarg; break;
		case 'n': o.dmirror = NULL; break;
		case 'c': o.chunk = strtoul(optarg, NULL, 10) * MIB; break;
		case 'o': o.out = optarg; break;
		case 'O': o.only = optarg; break;
		case '1': o.one_job = true; break;
		default: usage();
		}
	}
	if (o.runs < 1 || o.runs > MAX_RUNS || !o.chunk || o.chunk % PAGE_SZ ||
	    (o.only && strcmp(o.only, "read") && strcmp(o.only, "a_read") &&
	     strcmp(o.only, "a_read_fast") &&
	     strcmp(o.only, "migrate")))
		usage();

	ret = vsvm_ctx_init(&vc, o.device, o.engines);
	vc.one_job = o.one_job;
	if (ret)
		die("vsvm device %d: %s", o.device, vsvm_strerror(ret));
	if (o.dmirror) {
		ret = dmirror_ctx_init(&dc, o.dmirror, o.chunk);
		if (ret)
			die("%s: %s (is test_hmm loaded?)", o.dmirror, strerror(-ret));
	}
	msg("vsvm-bench: device %u (%s), %u engine(s) x %d lanes, VRAM %" PRIu64
	    " MiB, %d runs, dmirror %s (chunk %zu MiB), MemTotal %" PRIu64 " MiB\n",
	    vc.dev_index, vc.dbgdir, vc.engines, LANES, vc.vram_size / MIB, o.runs,
	    o.dmirror ? o.dmirror : "off", o.chunk / MIB, meminfo_kib("MemTotal") / 1024);

	{
		double t = now_s();
		uint64_t warm = warm_guest_ram(256 * MIB);

		msg("vsvm-bench: wrote %" PRIu64 " MiB of free guest RAM once (%.1f s), "
		    "so that no measurement pays QEMU's first touch\n", warm / MIB, now_s() - t);
	}
	res = calloc((size_t)o.nsizes, sizeof(*res));
	if (!res)
		die("out of memory");
	for (s = 0; s < o.nsizes; s++) {
		struct size_res *r = &res[s];
		uint64_t avail = meminfo_kib("MemAvailable") * 1024;

		r->size = o.sizes[s];
		if (avail < r->size + r->size / 4 + 2 * o.chunk)
			die("%zu MiB runs need about %zu MiB free, the guest has %" PRIu64 " MiB",
			    r->size / MIB, (r->size + r->size / 4 + 2 * o.chunk) / MIB, avail / MIB);
		r->b_skipped = vc.vram_size < r->size;
		if (r->b_skipped)
			msg("note: VRAM (%" PRIu64 " MiB) < %zu MiB: no vsvm migration rows "
			    "(load vsvm with a larger vram_size_mb)\n", vc.vram_size / MIB,
			    r->size / MIB);
		for (run = 0; run < o.runs; run++) {
			uint64_t seed = (uint64_t)s * 1000 + (uint64_t)run * 10;
			double secs;

			msg("size %zu MiB, run %d/%d\n", r->size / MIB, run + 1, o.runs);
			ret = memcpy_bench(r->size, o.chunk, seed + 9, MEMCPY_GLIBC, &secs);
			if (ret)
				die("memcpy of %zu MiB: %s", r->size / MIB, strerror(-ret));
			add(r, M_E_MEMCPY, VSVM, r->size / secs / GB);
			add(r, M_E_MEMCPY, DMIRROR, r->size / secs / GB);
			msg("  memcpy  %7.3f GB/s", r->size / secs / GB);
			ret = memcpy_bench(r->size, o.chunk, seed + 9, MEMCPY_U64, &secs);
			if (ret)
				die("u64 copy of %zu MiB: %s", r->size / MIB, strerror(-ret));
			add(r, M_E_MEMCPY_U64, VSVM, r->size / secs / GB);
			msg("  (u64 loop %7.3f GB/s)\n", r->size / secs / GB);
			/* Alternate who goes first, so drift hits both sides alike. */
			if (run % 2 || !o.dmirror) {
				run_vsvm(&o, &vc, r, seed);
				if (o.dmirror)
					run_dmirror(&o, &dc, r, seed);
			} else {
				run_dmirror(&o, &dc, r, seed);
				run_vsvm(&o, &vc, r, seed);
			}
		}
		if (r->batches)
			add(r, M_F_PER_BATCH, VSVM, (double)r->faults / (double)r->batches);
		add(r, M_F_P50, VSVM, lat_pct(r->lat, 50));
		add(r, M_F_P99, VSVM, lat_pct(r->lat, 99));
		/* After every size, so that partial results survive a failure. */
		write_json(&o, &vc, res, s + 1, now_s() - t_start);
	}
	msg("vsvm-bench: all data verified; %s written in %.0f s\n", o.out, now_s() - t_start);
	free(res);
	if (o.dmirror)
		dmirror_ctx_fini(&dc);
	vsvm_ctx_fini(&vc);
	return 0;
}
