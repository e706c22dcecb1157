// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-scale: the scale rows of `make bench` (README.md, "Scale rows"), in
 * a guest boot of their own with several vsvm devices:
 *
 * - sparse: reserve 4, 16 and 64 GiB (PROT_NONE), carve the same number of
 *   small read-write chunks out of each, spread evenly over the whole
 *   reservation, mirror the whole reservation and let the GPU touch every
 *   page of every chunk (one u64 per 4 KiB page, checked). Setup time,
 *   fault time, teardown time and what the driver allocated (device page
 *   tables and ranges from debugfs vsvm_vms, slab growth from
 *   /proc/meminfo) must follow the touched pages, not the reserved size.
 * - procs: P processes x D devices (process p uses device p % D), each
 *   faulting its own buffer in on the GPU at the same moment: aggregate
 *   GPU faults per second and GB/s made resident.
 *
 *   vsvm-scale [--only sparse|procs] [--runs 3] [--reserve-gib 4,16,64]
 *              [--touch-mib 40] [--chunk-kib 64] [--procs 1,2,4,8]
 *              [--devices 1,2,4] [--proc-mib 64] [--no-warm] [--out FILE]
 *
 * --no-warm skips writing the free guest RAM once before measuring (see
 * warm_guest_ram()): quicker, for a check on the debug kernel.
 *
 * Every GPU sum is checked against the CPU's; a wrong answer exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vsvm.h"
#include "vsvm_asm.h"
#include "vsvm_debugfs.h"
#include "bench.h"

#define GIB		(1024 * MIB)
#define GB		1e9
#define WAIT_NS		(600ull * 1000 * 1000 * 1000)
#define MAX_LIST	8
#define MAX_DEVS	4
#define MAX_PROCS	64

/*
 * The touch program. r0 = first chunk, r1 = bytes from one chunk to the
 * next, r2 = bytes per chunk (a multiple of 4 KiB), r3 = chunks per lane,
 * r4 = where lane i stores its sum (r4 + 8 * i). Lane i reads the first
 * u64 of every page of chunks [i * r3, (i + 1) * r3) and stores the
 * wrapping sum: one GPU fault per chunk at most, the fault path alone.
 */
static const char *const touch_src =
	"	sr r5, lane_id\n"
	"	mul r6, r5, r3\n"
	"	mul r6, r6, r1\n"
	"	add r6, r6, r0\n"	/* r6: the lane's first chunk */
	"	li r7, 0\n"		/* r7: chunks done */
	"	li r8, 0\n"		/* r8: sum */
	"chunk:\n"
	"	mov r9, r6\n"
	"	add r10, r6, r2\n"
	"page:\n"
	"	ld64 r11, [r9]\n"
	"	add r8, r8, r11\n"
	"	addi r9, r9, 4096\n"
	"	bltu r9, r10, page\n"
	"	add r6, r6, r1\n"
	"	addi r7, r7, 1\n"
	"	bltu r7, r3, chunk\n"
	"	shli r12, r5, 3\n"
	"	add r12, r12, r4\n"
	"	st64 [r12], r8\n"
	"	end\n";

struct opts {
	size_t reserve[MAX_LIST];
	int nreserve;
	int procs[MAX_LIST];
	int nprocs;
	int devs[MAX_LIST];
	int ndevs;
	int runs;
	size_t touch;
	size_t chunk;
	size_t proc_size;
	bool warm;
	const char *only;
	const char *out;
};

/* One program, assembled once. */
static struct vsvm_prog prog;

/* ------------------------------------------------------------------------
 * Helpers
 */

static void parse_list(const char *arg, const char *what, long lo, long hi,
		       long *out, int *n)
{
	char *dup = strdup(arg), *tok, *save;

	*n = 0;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long v = strtol(tok, NULL, 10);

		if (v < lo || v > hi || *n == MAX_LIST)
			die("--%s: at most %d values in [%ld, %ld]", what, MAX_LIST, lo, hi);
		out[(*n)++] = v;
	}
	free(dup);
	if (!*n)
		die("--%s: empty list", what);
}

/*
 * Slab, KiB: kmalloc'ed driver objects (SUnreclaim) and the XArray nodes of
 * &vsvm_vm.ranges (radix_tree_node, a reclaimable cache: SReclaimable).
 */
static uint64_t slab_kib(void)
{
	return meminfo_kib("Slab");
}

/* A VM's "ranges" and "pt_tables" from debugfs vsvm_vms. */
static int vm_stats(int fd, uint32_t vm, uint64_t *ranges, uint64_t *tables)
{
	char dir[256], path[300], line[512];
	unsigned long long r, t;
	unsigned int id;
	FILE *f;
	int ret;

	ret = vsvm_debugfs_dir(fd, dir, sizeof(dir));
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/vsvm_vms", dir);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	ret = -ENOENT;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "vm %u window %*s %*s ranges %llu pt_tables %llu",
			   &id, &r, &t) == 3 && id == vm) {
			*ranges = r;
			*tables = t;
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}

static uint64_t dbg_counter(int fd, const char *name)
{
	int64_t v = 0;

	if (vsvm_debugfs_counter(fd, name, &v))
		die("debugfs vsvm_counters %s unreadable", name);
	return (uint64_t)v;
}

/* A page of results, mirrored and made resident before the clock starts. */
static uint64_t *result_page(int fd, uint32_t vm)
{
	uint64_t *out = mmap(NULL, PAGE_SZ, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret;

	if (out == MAP_FAILED)
		die("result page: %s", strerror(errno));
	memset(out, 0, PAGE_SZ);
	ret = vsvm_mirror(fd, vm, vsvm_va(out), PAGE_SZ, 0);
	if (!ret)
		ret = vsvm_prefetch(fd, vm, vsvm_va(out), PAGE_SZ, 0, NULL, NULL, NULL);
	if (ret)
		die("mirror/prefetch of the result page: %s", vsvm_strerror(ret));
	return out;
}

/* Fill the first u64 of every page of a chunk; return their sum. */
static uint64_t fill_chunk(uint8_t *p, size_t bytes, uint64_t seed)
{
	uint64_t s = 0, v;
	size_t off;

	for (off = 0; off < bytes; off += PAGE_SZ) {
		v = pattern(seed, (uint64_t)(uintptr_t)(p + off) / PAGE_SZ);
		*(uint64_t *)(p + off) = v;
		s += v;
	}
	return s;
}

/*
 * Run the touch program on one engine, wait for it; returns the seconds
 * from EXEC to done and the job's GPU faults in *faults.
 */
static double touch_job(int fd, uint32_t vm, uint32_t engine, uint64_t first,
			uint64_t stride, uint64_t chunk, uint64_t per_lane,
			uint64_t *out, uint64_t *faults)
{
	struct vsvm_exec_args a = {
		.vm_id = vm,
		.engine = engine,
		.program = prog.insns,
		.program_size = prog.count,
		.invocations = LANES,
	};
	struct vsvm_job_status st;
	uint32_t job;
	double t0, t;
	int ret;

	a.args[0] = first;
	a.args[1] = stride;
	a.args[2] = chunk;
	a.args[3] = per_lane;
	a.args[4] = vsvm_va(out);
	t0 = now_s();
	ret = vsvm_exec(fd, &a, &job);
	if (ret)
		die("EXEC: %s", vsvm_strerror(ret));
	ret = vsvm_job_status(fd, job, WAIT_NS, &st);
	t = now_s() - t0;
	if (ret && ret != -EIO)
		die("JOB_STATUS: %s", vsvm_strerror(ret));
	if (st.state != DRM_VSVM_JOB_DONE)
		die("touch job: %s (fault %s at 0x%" PRIx64 ", lane %u)",
		    vsvm_job_state_str(st.state), vsvm_fault_reason_str(st.fault_reason),
		    (uint64_t)st.fault_addr, st.fault_lane);
	*faults = st.faults;
	return t;
}

static void json_list(FILE *f, const double *v, int n)
{
	fputc('[', f);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%.6g", i ? ", " : "", v[i]);
	fputc(']', f);
}

/* ------------------------------------------------------------------------
 * Sparse mirror
 */

enum sparse_val {
	SP_SETUP_MS,		/* VM_CREATE + MIRROR of the whole reservation */
	SP_FAULT_MS,		/* the GPU touch job, EXEC to done */
	SP_TEARDOWN_MS,		/* VM_DESTROY + munmap of the reservation */
	SP_DESTROY_MS,		/* VM_DESTROY alone */
	SP_US_PER_CHUNK,	/* fault time per touched chunk */
	SP_FAULTS,		/* GPU faults of the job */
	SP_GRANULES,		/* granules the fault handler serviced */
	SP_RANGES,		/* ranges the VM holds after the job */
	SP_TABLES,		/* device page table pages the job added */
	SP_SLAB_KIB,		/* Slab growth over the job, KiB */
	SP_DRIVER_KIB,		/* page tables + slab growth, KiB */
	SP_COUNT,
};

static const char *const sparse_names[SP_COUNT] = {
	[SP_SETUP_MS] = "setup_ms",
	[SP_FAULT_MS] = "fault_ms",
	[SP_TEARDOWN_MS] = "teardown_ms",
	[SP_DESTROY_MS] = "destroy_ms",
	[SP_US_PER_CHUNK] = "fault_us_per_chunk",
	[SP_FAULTS] = "faults",
	[SP_GRANULES] = "granules",
	[SP_RANGES] = "ranges",
	[SP_TABLES] = "pt_tables_added",
	[SP_SLAB_KIB] = "slab_kib_added",
	[SP_DRIVER_KIB] = "driver_kib",
};

struct sparse_row {
	size_t reserve;
	double v[SP_COUNT][MAX_RUNS];
	int n;
};

static void sparse_once(int fd, const struct opts *o, size_t reserve, uint64_t seed,
			double *v)
{
	size_t nchunks = o->touch / o->chunk, i;
	/* Each chunk at the start of a 2 MiB granule of its own. */
	size_t stride = reserve / nchunks & ~(HUGE_SZ - 1);
	uint64_t want = 0, got = 0, faults, r0, t0, r1, t1, g0, s0, s1;
	uint8_t *base, *p;
	uint64_t *out;
	uint32_t vm;
	double t;
	int ret, l;

	/* The reservation: nothing but address space. */
	base = mmap(NULL, reserve, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		die("reserving %zu GiB: %s", reserve / GIB, strerror(errno));
	/* Chunk k at k * stride: the allocations of a sparse heap. */
	for (i = 0; i < nchunks; i++) {
		p = mmap(base + i * stride, o->chunk, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (p == MAP_FAILED)
			die("chunk %zu of the %zu GiB reservation: %s", i, reserve / GIB,
			    strerror(errno));
		madvise(p, o->chunk, MADV_NOHUGEPAGE);
		want += fill_chunk(p, o->chunk, seed);
	}

	t = now_s();
	ret = vsvm_vm_create(fd, 0, 0, &vm);
	if (ret)
		die("VM_CREATE: %s", vsvm_strerror(ret));
	ret = vsvm_mirror(fd, vm, vsvm_va(base), reserve, 0);
	if (ret)
		die("MIRROR of %zu GiB: %s", reserve / GIB, vsvm_strerror(ret));
	v[SP_SETUP_MS] = (now_s() - t) * 1e3;

	out = result_page(fd, vm);
	if (vm_stats(fd, vm, &r0, &t0))
		die("debugfs vsvm_vms: VM %u not found", vm);
	g0 = dbg_counter(fd, "fault_granules");
	s0 = slab_kib();

	t = touch_job(fd, vm, 0, vsvm_va(base), stride, o->chunk, nchunks / LANES,
		      out, &faults);
	v[SP_FAULT_MS] = t * 1e3;
	v[SP_US_PER_CHUNK] = t * 1e6 / (double)nchunks;
	v[SP_FAULTS] = (double)faults;

	s1 = slab_kib();
	v[SP_GRANULES] = (double)(dbg_counter(fd, "fault_granules") - g0);
	if (vm_stats(fd, vm, &r1, &t1))
		die("debugfs vsvm_vms: VM %u not found", vm);
	v[SP_RANGES] = (double)r1;
	v[SP_TABLES] = (double)(t1 - t0);
	v[SP_SLAB_KIB] = (double)((int64_t)s1 - (int64_t)s0);
	v[SP_DRIVER_KIB] = v[SP_TABLES] * PAGE_SZ / 1024 + v[SP_SLAB_KIB];

	for (l = 0; l < LANES; l++)
		got += out[l];
	if (got != want)
		die("sparse %zu GiB: the GPU summed 0x%" PRIx64 ", the CPU 0x%" PRIx64,
		    reserve / GIB, got, want);
	if (r1 - r0 < nchunks)
		die("sparse %zu GiB: %" PRIu64 " ranges made for %zu touched chunks",
		    reserve / GIB, r1 - r0, nchunks);

	t = now_s();
	ret = vsvm_vm_destroy(fd, vm);
	if (ret)
		die("VM_DESTROY: %s", vsvm_strerror(ret));
	v[SP_DESTROY_MS] = (now_s() - t) * 1e3;
	if (munmap(base, reserve))
		die("munmap: %s", strerror(errno));
	v[SP_TEARDOWN_MS] = (now_s() - t) * 1e3;
	munmap(out, PAGE_SZ);
}

static void run_sparse(const struct opts *o, struct sparse_row *rows)
{
	size_t nchunks = o->touch / o->chunk;
	int fd, ret, run, s, k;

	ret = vsvm_open(0, &fd);
	if (ret)
		die("vsvm device 0: %s", vsvm_strerror(ret));
	msg("sparse: %zu chunks of %zu KiB (%zu MiB touched), reserved",
	    nchunks, o->chunk / 1024, o->touch / MIB);
	for (s = 0; s < o->nreserve; s++)
		msg(" %zu", o->reserve[s] / GIB);
	msg(" GiB\n");
	/*
	 * Sizes interleaved, each run starting at the next size, so that drift
	 * and whatever the previous teardown leaves behind (RCU frees, the
	 * other vCPU) hit every size alike.
	 */
	for (run = 0; run < o->runs; run++)
		for (int j = 0; j < o->nreserve; j++) {
			struct sparse_row *r = &rows[s = (run + j) % o->nreserve];
			double v[SP_COUNT];

			r->reserve = o->reserve[s];
			sparse_once(fd, o, r->reserve, (uint64_t)run * 100 + (uint64_t)s, v);
			for (k = 0; k < SP_COUNT; k++)
				r->v[k][r->n] = v[k];
			r->n++;
			msg("  %3zu GiB run %d: setup %.3f ms, fault %.1f ms (%.0f us/chunk, "
			    "%.0f faults, %.0f granules), %.0f ranges, +%.0f tables, "
			    "slab %+.0f KiB, teardown %.1f ms (VM_DESTROY %.1f)\n", r->reserve / GIB, run + 1,
			    v[SP_SETUP_MS], v[SP_FAULT_MS], v[SP_US_PER_CHUNK], v[SP_FAULTS],
			    v[SP_GRANULES], v[SP_RANGES], v[SP_TABLES], v[SP_SLAB_KIB],
			    v[SP_TEARDOWN_MS], v[SP_DESTROY_MS]);
		}
	close(fd);
}

/* ------------------------------------------------------------------------
 * Processes x devices
 */

/* What a child reports through shared memory. */
struct proc_res {
	double t0, t1;		/* CLOCK_MONOTONIC: EXEC, done */
	uint64_t faults;
	int ok;
};

struct procs_row {
	int procs, devs;
	double wall[MAX_RUNS];	/* first EXEC to last done */
	double faults[MAX_RUNS];
	double granules[MAX_RUNS];
	int n;
};

/* A child: its own VM and buffer on device @dev, one touch job at "go". */
static int proc_child(const struct opts *o, int dev, uint32_t engine, uint64_t seed,
		      int ready_fd, int go_fd, int done_fd, int release_fd,
		      struct proc_res *res)
{
	size_t nchunks = o->proc_size / o->chunk;
	uint64_t want = 0, got = 0, faults;
	struct buf b;
	uint64_t *out;
	uint32_t vm;
	char c = 0;
	int fd, ret, l;

	ret = vsvm_open(dev, &fd);
	if (ret)
		die("vsvm device %d: %s", dev, vsvm_strerror(ret));
	ret = buf_alloc(&b, o->proc_size, BUF_NOHUGE, seed);
	if (ret)
		die("buffer: %s", strerror(-ret));
	for (size_t i = 0; i < nchunks; i++)
		want += page_sum_u64((uint64_t *)((uint8_t *)b.ptr + i * o->chunk), o->chunk);
	ret = vsvm_vm_create(fd, 0, 0, &vm);
	if (!ret)
		ret = vsvm_mirror(fd, vm, vsvm_va(b.ptr), b.size, 0);
	if (ret)
		die("VM_CREATE/MIRROR: %s", vsvm_strerror(ret));
	out = result_page(fd, vm);

	if (write(ready_fd, &c, 1) != 1 || read(go_fd, &c, 1) != 0)
		die("start barrier");
	res->t0 = now_s();
	touch_job(fd, vm, engine, vsvm_va(b.ptr), o->chunk, o->chunk, nchunks / LANES,
		  out, &faults);
	res->t1 = now_s();
	res->faults = faults;
	for (l = 0; l < LANES; l++)
		got += out[l];
	if (got != want)
		die("process on device %d: the GPU summed 0x%" PRIx64 ", the CPU 0x%" PRIx64,
		    dev, got, want);
	/*
	 * Tear down only when every process is done: a finished process's
	 * VM_DESTROY, munmap and exit inside the others' window made the
	 * window measure teardown too (seen in the lock profile).
	 */
	if (write(done_fd, &c, 1) != 1 || read(release_fd, &c, 1) != 0)
		die("end barrier");
	vsvm_vm_destroy(fd, vm);
	buf_free(&b);
	close(fd);
	res->ok = 1;
	return 0;
}

/*
 * Read @n bytes, one per process, from the barrier pipe @fd. The other
 * processes hold the pipe's write end while they wait at the barrier, so a
 * process that died before writing would never give EOF: check for a dead
 * child while waiting, and then kill them all instead of hanging.
 */
static void barrier_wait(int fd, int n, const pid_t *pids, int nproc, const char *what)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int got = 0, status, p;
	char c;

	while (got < n) {
		pid_t dead;
		int ret = poll(&pfd, 1, 100);

		if (ret < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (ret > 0) {
			if (read(fd, &c, 1) != 1)
				break;
			got++;
			continue;
		}
		dead = waitpid(-1, &status, WNOHANG);
		if (dead > 0) {
			for (p = 0; p < nproc; p++)
				kill(pids[p], SIGKILL);
			while (wait(&status) > 0)
				;
			die("a process died %s (%s %d)", what,
			    WIFSIGNALED(status) ? "signal" : "exit status",
			    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		}
	}
	if (got < n)
		die("a process died %s", what);
}

static void procs_once(const struct opts *o, int nproc, int ndev, uint32_t engines,
		       uint64_t seed, struct procs_row *row)
{
	struct proc_res *res;
	uint64_t g0[MAX_DEVS], g = 0;
	int ready[2], go[2], done[2], release[2], fds[MAX_DEVS];
	double t0 = INFINITY, t1 = 0, faults = 0;
	pid_t pids[MAX_PROCS];
	int p, d, status;

	if (nproc > MAX_PROCS)
		die("%d processes: at most %d", nproc, MAX_PROCS);
	for (d = 0; d < ndev; d++) {
		int ret = vsvm_open(d, &fds[d]);

		if (ret)
			die("vsvm device %d: %s (load vsvm with num_devices=%d)", d,
			    vsvm_strerror(ret), ndev);
		g0[d] = dbg_counter(fds[d], "fault_granules");
	}
	res = mmap(NULL, (size_t)nproc * sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED || pipe(ready) || pipe(go) || pipe(done) || pipe(release))
		die("shared memory / pipes: %s", strerror(errno));
	memset(res, 0, (size_t)nproc * sizeof(*res));
	fflush(stdout);
	for (p = 0; p < nproc; p++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		pids[p] = pid;
		if (!pid) {
			close(ready[0]);
			close(go[1]);
			close(done[0]);
			close(release[1]);
			/* Device p % D, and on it the engines in turn. */
			_exit(proc_child(o, p % ndev, (uint32_t)(p / ndev) % engines,
					 seed + (uint64_t)p, ready[1], go[0], done[1],
					 release[0], &res[p]));
		}
	}
	close(ready[1]);
	close(go[0]);
	barrier_wait(ready[0], nproc, pids, nproc, "before the start");
	close(go[1]);		/* go: every child's read() returns 0 */
	close(done[1]);
	close(release[0]);
	barrier_wait(done[0], nproc, pids, nproc, "before the end barrier");
	close(release[1]);	/* every process may tear down now */
	close(done[0]);
	for (p = 0; p < nproc; p++) {
		if (wait(&status) < 0)
			die("wait: %s", strerror(errno));
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			die("a process of %d x %d devices failed", nproc, ndev);
	}
	close(ready[0]);
	for (p = 0; p < nproc; p++) {
		if (!res[p].ok)
			die("process %d did not report", p);
		t0 = fmin(t0, res[p].t0);
		t1 = fmax(t1, res[p].t1);
		faults += (double)res[p].faults;
	}
	for (d = 0; d < ndev; d++) {
		g += dbg_counter(fds[d], "fault_granules") - g0[d];
		close(fds[d]);
	}
	munmap(res, (size_t)nproc * sizeof(*res));
	/* CLOCK_MONOTONIC: what `perf record -k monotonic` stamps (lockprof.py). */
	msg("  window %.6f %.6f\n", t0, t1);
	row->wall[row->n] = t1 - t0;
	row->faults[row->n] = faults;
	row->granules[row->n] = (double)g;
	row->n++;
}

static void run_procs(const struct opts *o, struct procs_row *rows)
{
	size_t bytes;
	uint64_t engines;
	int fd, ret, run, i, j, k;

	ret = vsvm_open(0, &fd);
	if (!ret)
		ret = vsvm_get_param(fd, DRM_VSVM_PARAM_NUM_ENGINES, &engines);
	if (ret)
		die("vsvm device 0: %s", vsvm_strerror(ret));
	close(fd);
	ret = vsvm_device_count();
	msg("procs: %zu MiB per process, touched one u64 per page; %d vsvm devices x "
	    "%" PRIu64 " engines\n", o->proc_size / MIB, ret, engines);
	for (j = 0; j < o->ndevs; j++)
		if (o->devs[j] > ret)
			die("--devices %d: the guest has %d vsvm devices", o->devs[j], ret);
	for (run = 0; run < o->runs; run++)
		for (j = 0; j < o->ndevs; j++)
			for (i = 0; i < o->nprocs; i++) {
				struct procs_row *r = &rows[j * o->nprocs + i];

				r->procs = o->procs[i];
				r->devs = o->devs[j];
				procs_once(o, r->procs, r->devs, (uint32_t)engines,
					   (uint64_t)run * 1000 + (uint64_t)(j * 100 + i * 10),
					   r);
				k = r->n - 1;
				bytes = (size_t)r->procs * o->proc_size;
				msg("  %d proc x %d dev run %d: %.3f s, %.0f faults/s, %.3f GB/s, "
				    "%.0f granules\n", r->procs, r->devs, run + 1, r->wall[k],
				    r->faults[k] / r->wall[k], bytes / r->wall[k] / GB,
				    r->granules[k]);
			}
}

/* ------------------------------------------------------------------------
 * Output
 */

static void write_json(const struct opts *o, const struct sparse_row *sp, int nsp,
		       const struct procs_row *pr, int npr, double secs)
{
	static const char *const params[] = {
		"num_devices", "num_engines", "vram_size_mb", "job_timeout_ms",
	};
	struct utsname u;
	char path[128], val[64];
	FILE *f = fopen(o->out, "w");
	int i, k;

	if (!f)
		die("cannot write %s: %s", o->out, strerror(errno));
	uname(&u);
	fprintf(f, "{\n  \"schema\": 1,\n  \"tool\": \"vsvm-scale\",\n  \"time\": %lld,\n"
		"  \"duration_s\": %.1f,\n", (long long)time(NULL), secs);
	fprintf(f, "  \"guest\": {\"kernel\": \"%s\", \"cpus\": %ld, \"mem_total_kib\": %"
		PRIu64 "},\n  \"vsvm_params\": {", u.release, sysconf(_SC_NPROCESSORS_ONLN),
		meminfo_kib("MemTotal"));
	for (i = 0; i < (int)(sizeof(params) / sizeof(params[0])); i++) {
		snprintf(path, sizeof(path), "/sys/module/vsvm/parameters/%s", params[i]);
		if (read_file_str(path, val, sizeof(val)) < 0)
			strcpy(val, "?");
		val[strcspn(val, "\n")] = '\0';
		fprintf(f, "%s\"%s\": \"%s\"", i ? ", " : "", params[i], val);
	}
	fprintf(f, "},\n  \"runs\": %d,\n", o->runs);
	fprintf(f, "  \"sparse\": {\"touched_bytes\": %zu, \"chunk_bytes\": %zu, "
		"\"chunks\": %zu, \"rows\": [", o->touch, o->chunk, o->touch / o->chunk);
	for (i = 0; i < nsp; i++) {
		fprintf(f, "%s\n    {\"reserved_gib\": %zu, \"touched_fraction\": %.6g",
			i ? "," : "", sp[i].reserve / GIB, (double)o->touch / sp[i].reserve);
		for (k = 0; k < SP_COUNT; k++)
			fprintf(f, ", \"%s\": %.6g", sparse_names[k], median((double *)sp[i].v[k],
									    sp[i].n));
		fputs(", \"runs\": {", f);
		for (k = 0; k < SP_COUNT; k++) {
			fprintf(f, "%s\"%s\": ", k ? ", " : "", sparse_names[k]);
			json_list(f, sp[i].v[k], sp[i].n);
		}
		fputs("}}", f);
	}
	fprintf(f, "\n  ]},\n  \"procs\": {\"bytes_per_process\": %zu, \"chunk_bytes\": %zu, "
		"\"rows\": [", o->proc_size, o->chunk);
	for (i = 0; i < npr; i++) {
		const struct procs_row *r = &pr[i];
		double fps[MAX_RUNS], gbs[MAX_RUNS];

		for (k = 0; k < r->n; k++) {
			fps[k] = r->faults[k] / r->wall[k];
			gbs[k] = (double)r->procs * o->proc_size / r->wall[k] / GB;
		}
		fprintf(f, "%s\n    {\"procs\": %d, \"devices\": %d, \"wall_s\": %.6g, "
			"\"faults\": %.6g, \"granules\": %.6g, \"faults_per_s\": %.6g, "
			"\"gbs\": %.6g, \"faults_per_s_runs\": ", i ? "," : "", r->procs, r->devs,
			median((double *)r->wall, r->n), median((double *)r->faults, r->n),
			median((double *)r->granules, r->n), median(fps, r->n),
			median(gbs, r->n));
		json_list(f, fps, r->n);
		fputs(", \"gbs_runs\": ", f);
		json_list(f, gbs, r->n);
		fputc('}', f);
	}
	fputs("\n  ]}\n}\n", f);
	if (fclose(f))
		die("writing %s: %s", o->out, strerror(errno));
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vsvm-scale [--only sparse|procs] [--runs N] [--reserve-gib 4,16,64]\n"
		"                  [--touch-mib 40] [--chunk-kib 64] [--procs 1,2,4,8]\n"
		"                  [--devices 1,2,4] [--proc-mib 64] [--no-warm] [--out FILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "only", required_argument, NULL, 'O' },
		{ "runs", required_argument, NULL, 'r' },
		{ "reserve-gib", required_argument, NULL, 'R' },
		{ "touch-mib", required_argument, NULL, 't' },
		{ "chunk-kib", required_argument, NULL, 'c' },
		{ "procs", required_argument, NULL, 'p' },
		{ "devices", required_argument, NULL, 'd' },
		{ "proc-mib", required_argument, NULL, 'm' },
		{ "out", required_argument, NULL, 'o' },
		{ "no-warm", no_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = {
		.runs = 3, .touch = 40 * MIB, .chunk = 64 * 1024, .proc_size = 64 * MIB,
		.warm = true,
		.out = "build/bench/scale.json",
	};
	struct sparse_row *sp;
	struct procs_row *pr;
	long list[MAX_LIST];
	double t_start = now_s();
	char err[128];
	int opt, i, n;

	parse_list("4,16,64", "reserve-gib", 1, 1024, list, &n);
	for (o.nreserve = n, i = 0; i < n; i++)
		o.reserve[i] = (size_t)list[i] * GIB;
	o.nprocs = 4;
	o.procs[0] = 1, o.procs[1] = 2, o.procs[2] = 4, o.procs[3] = 8;
	o.ndevs = 3;
	o.devs[0] = 1, o.devs[1] = 2, o.devs[2] = 4;
	while ((opt = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (opt) {
		case 'O':
			o.only = optarg;
			break;
		case 'r':
			o.runs = atoi(optarg);
			break;
		case 'R':
			parse_list(optarg, "reserve-gib", 1, 1024, list, &n);
			for (o.nreserve = n, i = 0; i < n; i++)
				o.reserve[i] = (size_t)list[i] * GIB;
			break;
		case 't':
			o.touch = strtoul(optarg, NULL, 10) * MIB;
			break;
		case 'c':
			o.chunk = strtoul(optarg, NULL, 10) * 1024;
			break;
		case 'p':
			parse_list(optarg, "procs", 1, MAX_PROCS, list, &o.nprocs);
			for (i = 0; i < o.nprocs; i++)
				o.procs[i] = (int)list[i];
			break;
		case 'd':
			parse_list(optarg, "devices", 1, MAX_DEVS, list, &o.ndevs);
			for (i = 0; i < o.ndevs; i++)
				o.devs[i] = (int)list[i];
			break;
		case 'm':
			o.proc_size = strtoul(optarg, NULL, 10) * MIB;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'W':
			o.warm = false;
			break;
		default:
			usage();
		}
	}
	if (o.runs < 1 || o.runs > MAX_RUNS || !o.chunk || o.chunk % PAGE_SZ ||
	    o.touch % (o.chunk * LANES) || o.proc_size % (o.chunk * LANES) ||
	    (o.only && strcmp(o.only, "sparse") && strcmp(o.only, "procs")))
		usage();
	for (i = 0; i < o.nreserve; i++)
		if (o.reserve[i] / (o.touch / o.chunk) < o.chunk)
			die("--touch-mib: %zu MiB do not fit in %zu GiB as %zu KiB chunks",
			    o.touch / MIB, o.reserve[i] / GIB, o.chunk / 1024);
	if (vsvm_asm(touch_src, &prog, err, sizeof(err)))
		die("touch program: %s", err);

	sp = calloc(MAX_LIST, sizeof(*sp));
	pr = calloc(MAX_LIST * MAX_LIST, sizeof(*pr));
	if (!sp || !pr)
		die("out of memory");
	if (o.warm) {
		double t = now_s();
		uint64_t warm = warm_guest_ram(256 * MIB);

		msg("vsvm-scale: wrote %" PRIu64 " MiB of free guest RAM once (%.1f s)\n",
		    warm / MIB, now_s() - t);
	}
	if (!o.only || !strcmp(o.only, "sparse")) {
		run_sparse(&o, sp);
		write_json(&o, sp, o.nreserve, pr, 0, now_s() - t_start);
	}
	if (!o.only || !strcmp(o.only, "procs"))
		run_procs(&o, pr);
	write_json(&o, sp, o.only && !strcmp(o.only, "procs") ? 0 : o.nreserve, pr,
		   o.only && !strcmp(o.only, "sparse") ? 0 : o.nprocs * o.ndevs,
		   now_s() - t_start);
	msg("vsvm-scale: all data verified; %s written in %.0f s\n", o.out, now_s() - t_start);
	vsvm_prog_fini(&prog);
	free(sp);
	free(pr);
	return 0;
}
