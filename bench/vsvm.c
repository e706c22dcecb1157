// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-bench, the vsvm side: GPU reads through faults, prefetch to VRAM,
 * CPU touch back, munmap of a mirrored range; debugfs counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vsvm.h"
#include "vsvm_asm.h"
#include "vsvm_debugfs.h"
#include "bench.h"

#define WAIT_NS		(900ull * 1000 * 1000 * 1000)
#define U64_PER_PAGE	(PAGE_SZ / sizeof(uint64_t))

/*
 * The GPU read program. Arguments: r0 = start of the job's part of the
 * buffer, r1 = bytes per lane (a multiple of 4 KiB), r2 = where lane i
 * stores its 64-bit result (r2 + 8 * i). Lane i reads its contiguous slice
 * [r0 + i * r1, r0 + (i + 1) * r1): with @touch one u64 per 4 KiB page,
 * else every u64 (a page per loop iteration, fully unrolled: two
 * instructions per u64), and stores the wrapping sum.
 */
/* Move a finished program's instructions to a malloc'ed array. */
static int take_insns(struct vsvm_prog *p, uint64_t **insns, uint32_t *len)
{
	*insns = malloc(p->count * sizeof(uint64_t));
	if (*insns) {
		memcpy(*insns, p->insns, p->count * sizeof(uint64_t));
		*len = p->count;
	}
	vsvm_prog_fini(p);
	return *insns ? 0 : -ENOMEM;
}

static int build_prog(bool touch, uint64_t **insns, uint32_t *len)
{
	struct vsvm_prog p;
	int loop, ret;
	uint32_t k;

	vsvm_prog_init(&p);
	vsvm_emit_sr(&p, 3, DRM_VSVM_SREG_LANE_ID);
	vsvm_emit_alu(&p, DRM_VSVM_OP_MUL, 4, 3, 1);
	vsvm_emit_alu(&p, DRM_VSVM_OP_ADD, 4, 4, 0);	/* r4: cursor */
	vsvm_emit_alu(&p, DRM_VSVM_OP_ADD, 5, 4, 1);	/* r5: end */
	vsvm_emit_li(&p, 6, 0);				/* r6: sum */
	loop = vsvm_label_new(&p);
	vsvm_label_bind(&p, loop);
	for (k = 0; k < (touch ? 1 : U64_PER_PAGE); k++) {
		vsvm_emit_ld(&p, DRM_VSVM_OP_LD64, 7, 4, (int32_t)(k * 8));
		vsvm_emit_alu(&p, DRM_VSVM_OP_ADD, 6, 6, 7);
	}
	vsvm_emit_alui(&p, DRM_VSVM_OP_ADDI, 4, 4, (int32_t)PAGE_SZ);
	vsvm_emit_branch(&p, DRM_VSVM_OP_BLTU, 4, 5, loop);
	vsvm_emit_alui(&p, DRM_VSVM_OP_SHLI, 8, 3, 3);
	vsvm_emit_alu(&p, DRM_VSVM_OP_ADD, 8, 8, 2);
	vsvm_emit_st(&p, DRM_VSVM_OP_ST64, 8, 0, 6);
	vsvm_emit_end(&p);
	ret = vsvm_prog_finish(&p);
	if (ret) {
		fprintf(stderr, "program: %s\n", p.errmsg);
		vsvm_prog_fini(&p);
		return ret;
	}
	return take_insns(&p, insns, len);
}

/*
 * The GPU copy program: lane i copies its slice [r0 + i * r1, + r1) with
 * BCOPY into its ring [r2 + i * r3, + r3), a ring-full at a time (r1 need
 * not be a multiple of r3): the data goes through the device like
 * HMM_DMIRROR_READ's goes through its bounce buffer. BCOPY advances the
 * source cursor r6 itself.
 */
static const char *const copy_src =
	"	sr r4, lane_id\n"
	"	mul r5, r4, r1\n"
	"	add r6, r0, r5\n"	/* r6: source cursor */
	"	add r7, r6, r1\n"	/* r7: source end */
	"	mul r8, r4, r3\n"
	"	add r8, r8, r2\n"	/* r8: the lane's ring */
	"loop:\n"
	"	mov r9, r8\n"
	"	mov r10, r3\n"
	"	sub r11, r7, r6\n"
	"	bgeu r11, r10, full\n"
	"	mov r10, r11\n"
	"full:\n"
	"	bcopy r9, r6, r10\n"
	"	bltu r6, r7, loop\n"
	"	end\n";

static int build_copy_prog(uint64_t **insns, uint32_t *len)
{
	struct vsvm_prog p;
	char err[128];
	int ret = vsvm_asm(copy_src, &p, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "copy program: %s\n", err);
		return ret;
	}
	return take_insns(&p, insns, len);
}

int vsvm_ctx_init(struct vsvm_ctx *c, int index, uint32_t engines)
{
	uint64_t v;
	int ret;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	ret = vsvm_open(index, &c->fd);
	if (ret)
		return ret;
	ret = vsvm_get_param(c->fd, DRM_VSVM_PARAM_DEVICE_INDEX, &v);
	if (ret)
		return ret;
	c->dev_index = (uint32_t)v;
	ret = vsvm_get_param(c->fd, DRM_VSVM_PARAM_VRAM_SIZE, &c->vram_size);
	if (ret)
		return ret;
	ret = vsvm_get_param(c->fd, DRM_VSVM_PARAM_NUM_ENGINES, &v);
	if (ret)
		return ret;
	c->engines = engines && engines < v ? engines : (uint32_t)v;
	ret = vsvm_debugfs_dir(c->fd, c->dbgdir, sizeof(c->dbgdir));
	if (ret)
		return ret;
	ret = build_prog(false, &c->prog_sum, &c->prog_sum_len);
	if (ret)
		return ret;
	ret = build_prog(true, &c->prog_touch, &c->prog_touch_len);
	if (ret)
		return ret;
	ret = build_copy_prog(&c->prog_copy, &c->prog_copy_len);
	if (ret)
		return ret;
	c->out = mmap(NULL, c->engines * PAGE_SZ, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->out == MAP_FAILED) {
		c->out = NULL;
		return -errno;
	}
	memset(c->out, 0, c->engines * PAGE_SZ);
	return 0;
}

void vsvm_ctx_fini(struct vsvm_ctx *c)
{
	if (c->out)
		munmap(c->out, c->engines * PAGE_SZ);
	free(c->prog_sum);
	free(c->prog_touch);
	free(c->prog_copy);
	if (c->fd >= 0)
		close(c->fd);
}

static const struct {
	const char *name;
	size_t off;
} dbg_counters[] = {
	{ "faults", offsetof(struct vsvm_dbg, faults) },
	{ "fault_batches", offsetof(struct vsvm_dbg, fault_batches) },
	{ "fault_granules", offsetof(struct vsvm_dbg, fault_granules) },
	{ "pages_faulted", offsetof(struct vsvm_dbg, pages_faulted) },
	{ "huge_mappings", offsetof(struct vsvm_dbg, huge_mappings) },
	{ "pages_to_vram", offsetof(struct vsvm_dbg, pages_to_vram) },
	{ "pages_to_system", offsetof(struct vsvm_dbg, pages_to_system) },
	{ "migrate_to_ram", offsetof(struct vsvm_dbg, migrate_to_ram) },
	{ "evictions", offsetof(struct vsvm_dbg, evictions) },
	{ "insns", offsetof(struct vsvm_dbg, insns) },
	{ "interp_ns", offsetof(struct vsvm_dbg, interp_ns) },
	{ "migrate_parallel", offsetof(struct vsvm_dbg, migrate_parallel) },
	{ "copy_pages", offsetof(struct vsvm_dbg, copy_pages) },
	{ "copy_ns", offsetof(struct vsvm_dbg, copy_ns) },
};

int vsvm_dbg_read(const struct vsvm_ctx *c, struct vsvm_dbg *d)
{
	char path[320], text[4096], *line, *save;
	unsigned long long from, to, count, val;
	char name[64];
	size_t i;
	int ret, b = 0;

	memset(d, 0, sizeof(*d));
	snprintf(path, sizeof(path), "%s/vsvm_counters", c->dbgdir);
	ret = read_file_str(path, text, sizeof(text));
	if (ret < 0)
		return ret;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%63s %llu", name, &val) != 2)
			continue;
		for (i = 0; i < sizeof(dbg_counters) / sizeof(dbg_counters[0]); i++)
			if (!strcmp(name, dbg_counters[i].name))
				*(uint64_t *)((char *)d + dbg_counters[i].off) = val;
	}
	snprintf(path, sizeof(path), "%s/vsvm_fault_latency", c->dbgdir);
	ret = read_file_str(path, text, sizeof(text));
	if (ret < 0)
		return ret;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%llu %llu %llu", &from, &to, &count) == 3 && b < LAT_BUCKETS)
			d->lat[b++] = count;
	return b == LAT_BUCKETS ? 0 : -EPROTO;
}

static int write_str(const char *path, const char *s, bool trunc);

/* The debugfs knob "stepping" of every vsvm device: N = the fast path on. */
int vsvm_fast_path(bool on)
{
	char path[96];
	int ret = -ENOENT;

	for (int minor = 0; minor < 256; minor++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d/stepping", minor);
		if (access(path, F_OK))
			continue;
		ret = write_str(path, on ? "N" : "Y", true);
		if (ret)
			return ret;
	}
	return ret;
}

/* The debugfs knobs "migrate_workers" and "migrate_walk" of every vsvm device. */
int vsvm_migrate_knobs(unsigned int workers, bool walk)
{
	char path[96], val[16];
	int ret = -ENOENT;

	snprintf(val, sizeof(val), "%u", workers);
	for (int minor = 0; minor < 256; minor++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d/migrate_workers", minor);
		if (access(path, F_OK))
			continue;
		ret = write_str(path, val, true);
		if (ret)
			return ret;
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d/migrate_walk", minor);
		ret = write_str(path, walk ? "Y" : "N", true);
		if (ret)
			return ret;
	}
	return ret;
}

#define TRACEFS		"/sys/kernel/tracing"
#define BATCH_EVENT	TRACEFS "/events/vsvm/vsvm_fault_batch/enable"

static int write_str(const char *path, const char *s, bool trunc)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | (trunc ? O_TRUNC : 0));
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

/*
 * vsvm:vsvm_fault_batch is enabled once, on first use, and stays on: every
 * enable or disable patches kernel text (text_poke_bp), and under QEMU TCG a
 * CPU running the patched code can take the patch's int3 after the patch is
 * done ("Oops: int3" in __schedule, seen once in a bench boot). For the same
 * reason the cmdline recorder is turned off first: with options/record-cmd
 * set, enabling any event also hooks sched_switch, patching __schedule,
 * which the other CPU runs all the time.
 */
static bool batch_trace_on;

/* Clear the trace buffer (enabling the event once); false if impossible. */
static bool batch_trace_start(void)
{
	if (!batch_trace_on) {
		write_str(TRACEFS "/options/record-cmd", "0", false);
		batch_trace_on = !write_str(BATCH_EVENT, "1", false);
	}
	return batch_trace_on && !write_str(TRACEFS "/trace", "", true);
}

/* The summed service time of the batches traced since the start, in s. */
static double batch_trace_sum(void)
{
	char line[512], *p;
	double ns = 0;
	FILE *f;

	f = fopen(TRACEFS "/trace", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "vsvm_fault_batch:") && (p = strstr(line, " ns=")))
			ns += strtod(p + 4, NULL);
	fclose(f);
	return ns * 1e-9;
}

static int prefetch(int fd, uint32_t vm, void *addr, size_t size, uint32_t location,
		    struct vsvm_bind_op *out)
{
	struct vsvm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_PREFETCH,
		.addr = vsvm_va(addr),
		.range = size,
		.location = location,
	};
	int ret = vsvm_vm_bind(fd, vm, &op, 1, NULL);

	if (out)
		*out = op;
	return ret;
}

int vsvm_gpu_read(struct vsvm_ctx *c, size_t size, enum buf_thp thp,
		  uint64_t seed, enum gpu_read_mode mode, struct gpu_read_res *r)
{
	const size_t ring_size = (size_t)c->engines * LANES * RING_BYTES;
	size_t part = size / c->engines, slice = part / LANES;
	uint32_t vm, e, l, sync[8], job[8];
	struct vsvm_job_status st;
	bool touch = mode == READ_TOUCH;
	uint8_t *ring = NULL;
	bool traced;
	struct buf b;
	double t0;
	int ret;

	memset(r, 0, sizeof(*r));
	if (slice % PAGE_SZ || c->engines > 8)
		die("size %zu MiB does not split into %u x %d page-aligned slices",
		    size / MIB, c->engines, LANES);
	ret = buf_alloc(&b, size, thp, seed);
	if (ret)
		die("buffer of %zu MiB: %s", size / MIB, strerror(-ret));
	r->thp_bytes = b.thp_bytes;

	t0 = now_s();
	ret = vsvm_vm_create(c->fd, 0, 0, &vm);
	if (ret)
		die("VM_CREATE: %s", vsvm_strerror(ret));
	ret = vsvm_mirror(c->fd, vm, vsvm_va(b.ptr), size, 0);
	if (ret)
		die("MIRROR: %s", vsvm_strerror(ret));
	r->setup_secs = now_s() - t0;
	ret = vsvm_mirror(c->fd, vm, vsvm_va(c->out), c->engines * PAGE_SZ, 0);
	if (!ret)
		ret = prefetch(c->fd, vm, c->out, c->engines * PAGE_SZ,
			       DRM_VSVM_LOCATION_ANY, NULL);
	if (ret)
		die("mirror/prefetch of the result page: %s", vsvm_strerror(ret));
	memset(c->out, 0, c->engines * PAGE_SZ);
	if (mode == READ_COPY) {
		/* The rings are populated and mapped before the clock starts. */
		ring = mmap(NULL, ring_size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (ring == MAP_FAILED)
			die("ring of %zu MiB: %s", ring_size / MIB, strerror(errno));
		memset(ring, 0, ring_size);
		ret = vsvm_mirror(c->fd, vm, vsvm_va(ring), ring_size, 0);
		if (!ret)
			ret = prefetch(c->fd, vm, ring, ring_size, DRM_VSVM_LOCATION_ANY, NULL);
		if (ret)
			die("mirror/prefetch of the rings: %s", vsvm_strerror(ret));
	}
	for (e = 0; e < c->engines; e++) {
		ret = vsvm_syncobj_create(c->fd, &sync[e]);
		if (ret)
			die("syncobj: %s", vsvm_strerror(ret));
	}
	if (vsvm_dbg_read(c, &r->d0))
		die("cannot read %s/vsvm_counters or vsvm_fault_latency", c->dbgdir);
	traced = batch_trace_start();

	t0 = now_s();
	/* One job: its lanes e * LANES + l read what job e's lane l would. */
	for (e = 0; e < (c->one_job ? 1 : c->engines); e++) {
		struct vsvm_exec_args a = {
			.vm_id = vm,
			.engine = e,
			.program = mode == READ_COPY ? c->prog_copy :
				   touch ? c->prog_touch : c->prog_sum,
			.program_size = mode == READ_COPY ? c->prog_copy_len :
					touch ? c->prog_touch_len : c->prog_sum_len,
			.invocations = c->one_job ? LANES * c->engines : LANES,
			.out_sync = sync[e],
		};

		a.args[0] = vsvm_va((uint8_t *)b.ptr + e * part);
		a.args[1] = slice;
		a.args[2] = vsvm_va((uint8_t *)c->out + e * PAGE_SZ);
		if (mode == READ_COPY) {
			a.args[2] = vsvm_va(ring + (size_t)e * LANES * RING_BYTES);
			a.args[3] = RING_BYTES;
		}
		ret = vsvm_exec(c->fd, &a, &job[e]);
		if (ret)
			die("EXEC: %s", vsvm_strerror(ret));
	}
	ret = vsvm_syncobj_wait(c->fd, sync, c->one_job ? 1 : c->engines, WAIT_NS, true);
	r->secs = now_s() - t0;
	r->fault_secs = traced ? batch_trace_sum() : -1;
	if (ret)
		die("waiting for the GPU read: %s", vsvm_strerror(ret));
	if (vsvm_dbg_read(c, &r->d1))
		die("cannot read debugfs");

	for (e = 0; e < (c->one_job ? 1 : c->engines); e++) {
		ret = vsvm_job_status(c->fd, job[e], 0, &st);
		if (ret)
			die("JOB_STATUS: %s", vsvm_strerror(ret));
		if (st.state != DRM_VSVM_JOB_DONE)
			die("GPU read job %u: %s (fault %s at 0x%" PRIx64 ", lane %u)",
			    e, vsvm_job_state_str(st.state),
			    vsvm_fault_reason_str(st.fault_reason), (uint64_t)st.fault_addr,
			    st.fault_lane);
		r->job_faults += st.faults;
	}
	for (e = 0; e < c->engines; e++)
		vsvm_syncobj_destroy(c->fd, sync[e]);
	/*
	 * BCOPY: each ring holds the last ring-full of its lane's slice (the
	 * whole slice when it fits: every byte up to 32 MiB per engine).
	 */
	for (e = 0; mode == READ_COPY && e < c->engines; e++)
		for (l = 0; l < LANES; l++) {
			size_t last = slice % RING_BYTES ? slice % RING_BYTES : RING_BYTES;
			const uint8_t *want = (uint8_t *)b.ptr + e * part + (l + 1) * slice - last;
			const uint8_t *got = ring + ((size_t)e * LANES + l) * RING_BYTES;

			if (memcmp(got, want, last))
				die("GPU copy of %zu MiB: engine %u lane %u: ring differs from the source",
				    size / MIB, e, l);
		}
	if (ring)
		munmap(ring, ring_size);
	/* Every lane's sum against the CPU's. */
	for (e = 0; mode != READ_COPY && e < c->engines; e++)
		for (l = 0; l < LANES; l++) {
			size_t off = e * part + l * slice;
			const uint64_t *p = (uint64_t *)((uint8_t *)b.ptr + off);
			uint64_t want = touch ? page_sum_u64(p, slice) : sum_u64(p, slice);
			uint64_t got = c->out[c->one_job ? e * LANES + l : e * U64_PER_PAGE + l];

			if (got != want)
				die("GPU read of %zu MiB: engine %u lane %u summed 0x%" PRIx64
				    ", the CPU 0x%" PRIx64, size / MIB, e, l, got, want);
		}
	r->unmap_secs = buf_unmap_timed(&b);
	ret = vsvm_vm_destroy(c->fd, vm);
	if (ret)
		die("VM_DESTROY: %s", vsvm_strerror(ret));
	return 0;
}

static int attr_granularity(int fd, uint32_t vm, void *addr, size_t size, uint64_t gran)
{
	struct drm_vsvm_svm_attr a = {
		.vm_id = vm,
		.addr = vsvm_va(addr),
		.range = size,
		.preferred_location = DRM_VSVM_LOCATION_ANY,
		.access_policy = DRM_VSVM_ACCESS_MIGRATE,
		.granularity = gran,
	};

	return drmIoctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_SET, &a) ? -errno : 0;
}

int vsvm_migrate(struct vsvm_ctx *c, size_t size, uint64_t granularity,
		 enum buf_thp thp, enum migrate_back back, uint64_t seed,
		 struct migrate_res *r)
{
	struct vsvm_bind_op op;
	uint64_t npages = size / PAGE_SZ, i, s;
	uint32_t vm, *flags;
	struct buf b;
	double t0;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = buf_alloc(&b, size, thp, seed);
	if (ret)
		die("buffer of %zu MiB: %s", size / MIB, strerror(-ret));
	r->thp_bytes = b.thp_bytes;
	ret = vsvm_vm_create(c->fd, 0, 0, &vm);
	if (!ret)
		ret = vsvm_mirror(c->fd, vm, vsvm_va(b.ptr), size, 0);
	if (ret)
		die("VM_CREATE/MIRROR: %s", vsvm_strerror(ret));
	if (granularity != HUGE_SZ) {
		ret = attr_granularity(c->fd, vm, b.ptr, size, granularity);
		if (ret)
			die("SVM_ATTR_SET granularity %" PRIu64 ": %s", granularity,
			    vsvm_strerror(ret));
	}
	if (vsvm_dbg_read(c, &r->d0))
		die("cannot read debugfs");

	/* (b) migrate to device */
	t0 = now_s();
	ret = prefetch(c->fd, vm, b.ptr, size, DRM_VSVM_LOCATION_DEVICE(c->dev_index), &op);
	r->to_dev_secs = now_s() - t0;
	if (ret)
		die("PREFETCH to VRAM of %zu MiB: %s", size / MIB, vsvm_strerror(ret));
	if (op.pages_done != npages || op.pages_failed)
		die("PREFETCH to VRAM of %zu MiB: %" PRIu64 " pages done, %" PRIu64 " failed",
		    size / MIB, (uint64_t)op.pages_done, (uint64_t)op.pages_failed);
	flags = calloc(npages, sizeof(*flags));
	if (!flags)
		die("out of memory");
	for (i = 0; i < npages; i += 1u << 20) {
		uint64_t n = npages - i < (1u << 20) ? npages - i : (1u << 20);

		ret = vsvm_svm_query(c->fd, vm, vsvm_va(b.ptr) + i * PAGE_SZ, n, flags + i);
		if (ret)
			die("SVM_QUERY: %s", vsvm_strerror(ret));
	}
	for (i = 0; i < npages; i++)
		if (!(flags[i] & DRM_VSVM_QUERY_VRAM) || !(flags[i] & DRM_VSVM_QUERY_GPU_MAPPED))
			die("after PREFETCH to VRAM page %" PRIu64 " of %" PRIu64
			    " is not GPU-mapped in VRAM (flags 0x%x)", i, npages, flags[i]);
	free(flags);

	if (back == BACK_PREFETCH) {
		/* (c) PREFETCH to system memory, then the CPU checks (not timed) */
		t0 = now_s();
		ret = prefetch(c->fd, vm, b.ptr, size, DRM_VSVM_LOCATION_SYSTEM, &op);
		r->touch_secs = now_s() - t0;
		if (ret)
			die("PREFETCH to system of %zu MiB: %s", size / MIB, vsvm_strerror(ret));
		if (op.pages_done != npages || op.pages_failed)
			die("PREFETCH to system of %zu MiB: %" PRIu64 " pages done, %" PRIu64
			    " failed", size / MIB, (uint64_t)op.pages_done,
			    (uint64_t)op.pages_failed);
		s = sum_u64(b.ptr, size);
	} else {
		/* (c) CPU touch: every u64 read, each page faults back to RAM */
		t0 = now_s();
		s = sum_u64(b.ptr, size);
		r->touch_secs = now_s() - t0;
	}
	if (vsvm_dbg_read(c, &r->d1))
		die("cannot read debugfs");
	if (s != b.sum)
		die("CPU read after migration to VRAM: sum 0x%" PRIx64 ", expected 0x%" PRIx64,
		    s, b.sum);
	if (r->d1.pages_to_vram - r->d0.pages_to_vram < npages ||
	    r->d1.pages_to_system - r->d0.pages_to_system < npages)
		die("counters: %" PRIu64 " pages to VRAM and %" PRIu64 " back, expected %" PRIu64,
		    r->d1.pages_to_vram - r->d0.pages_to_vram,
		    r->d1.pages_to_system - r->d0.pages_to_system, npages);
	r->unmap_secs = buf_unmap_timed(&b);
	ret = vsvm_vm_destroy(c->fd, vm);
	if (ret)
		die("VM_DESTROY: %s", vsvm_strerror(ret));
	return 0;
}
