// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm exec
 * Category: Core
 * Mega feature: SVM
 * Sub-category: Execution
 * Functionality: jobs, syncobjs, timeouts, budget, exceptions, the ISA
 * Description: Job execution: syncobj ordering between jobs and engines,
 *		timeout of a runaway job with the engine still usable, the
 *		instruction budget, exceptions, and the ISA's results checked
 *		against the CPU.
 *
 * SUBTEST: syncobj-ordering
 * Description: A job waiting on another's out-syncobj sees its final result.
 *
 * SUBTEST: syncobj-chain
 * Description: Four jobs on alternating engines chained by syncobjs run in order.
 *
 * SUBTEST: syncobj-wait
 * Description: The out-syncobj signals when the job is done and its data visible.
 *
 * SUBTEST: timeout
 * Description: An infinite loop is killed with TIMEOUT; the next job on the engine runs.
 *
 * SUBTEST: timeout-other-engine
 * Description: While one engine spins, another engine completes jobs.
 *
 * SUBTEST: status-wait-etime
 * Description: JOB_STATUS with WAIT on a running job returns -ETIME after its timeout.
 *
 * SUBTEST: budget
 * Description: A job stops with BUDGET after exactly its instruction budget.
 *
 * SUBTEST: budget-exact
 * Description: A job whose budget equals its instruction count completes.
 *
 * SUBTEST: exception-div0
 * Description: Division by zero ends the job with EXCEPTION; earlier stores landed.
 *
 * SUBTEST: exception-run-off-end
 * Description: A program without END raises EXCEPTION at its end.
 *
 * SUBTEST: instructions-count
 * Description: The job record counts exactly the instructions executed by all lanes.
 *
 * SUBTEST: lanes
 * Description: 4096 lanes each write their lane id.
 *
 * SUBTEST: special-registers
 * Description: LANE_COUNT, ENGINE_ID and DEVICE_ID read back as expected on every engine.
 *
 * SUBTEST: args
 * Description: All 16 argument registers reach the program.
 *
 * SUBTEST: alu
 * Description: Every integer ALU operation matches the CPU on edge values.
 *
 * SUBTEST: alu-imm
 * Description: Every immediate ALU operation, LI/LIH and the extensions match the CPU.
 *
 * SUBTEST: float
 * Description: binary32 operations match the CPU.
 *
 * SUBTEST: loads-stores
 * Description: Narrow loads (signed and unsigned) and stores touch exactly their bytes.
 *
 * SUBTEST: atomics
 * Description: Atomic add, exchange, compare-exchange, min and max return the old value and update memory.
 *
 * SUBTEST: branches
 * Description: Every branch condition taken and not taken.
 *
 * SUBTEST: many-jobs
 * Description: 128 jobs in flight on all engines each complete with their data.
 *
 * SUBTEST: bcopy
 * Description: 32 lanes of BCOPY copy 1 MiB between unaligned addresses
 *		of memory the GPU has never touched; every byte arrives, none
 *		outside the destination changes.
 *
 * SUBTEST: bcopy-vram
 * Description: BCOPY from VRAM-resident pages to system memory and back.
 *
 * SUBTEST: bcopy-fault-unmapped
 * Description: BCOPY across a hole in the source faults at the hole's first
 *		byte (read, NO_VMA) after copying the bytes before it.
 *
 * SUBTEST: bcopy-fault-readonly
 * Description: BCOPY into a read-only mapping faults (write, ACCESS) and
 *		writes nothing.
 *
 * SUBTEST: timeline-wait-point
 * Description: A job waiting for point 2 of a timeline syncobj runs after
 *		the job signalling point 2, not after the one signalling
 *		point 1 (it stays queued while point 1 is signalled and reads
 *		what the point-2 job wrote).
 *
 * SUBTEST: timeline-signal-point
 * Description: A job signals point 5 of a timeline and a binary syncobj
 *		from one sync array; the timeline reads 5, a wait for point 6
 *		times out, a job waiting for point 5 sees the data.
 *
 * SUBTEST: bind-out-syncs
 * Description: VM_BIND signals its out-syncs (a timeline point and a
 *		binary syncobj) when the bind is done; a job waiting for the
 *		point uses the new mirror.
 *
 * SUBTEST: bind-in-syncs
 * Description: VM_BIND waits for its in-sync (a running job's fence)
 *		before it runs: an UNMIRROR behind a job still using the range
 *		lets the job finish cleanly, through a signal that interrupts
 *		and restarts the wait.
 *
 * SUBTEST: status-deadline-restart
 * Description: JOB_STATUS's absolute deadline: a wait interrupted by
 *		signals every 10 ms (no SA_RESTART) and reissued with the same
 *		struct ends with -ETIME once the deadline has passed, never
 *		earlier, instead of restarting its whole timeout forever.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: job execution, synchronisation and the ISA.");

static int fd = -1;
static uint32_t vm;
static uint64_t *buf;	/* 64 KiB scratch, mirrored */
#define BUF_SIZE	(16 * SZ_4K)

static uint32_t engines(void)
{
	return vsvm_t_param(fd, DRM_VSVM_PARAM_NUM_ENGINES);
}

/*
 * Lane 0 waits until the u64 at [r7] is non-zero, then u64 [r0] = r1: a job
 * the CPU releases.
 */
static const char *const GATE =
	"	li r9, 0\n"
	"loop:	ld64 r8, [r7]\n"
	"	beq r8, r9, loop\n"
	"	st64 [r0], r1\n"
	"	end\n";

/* EXEC of @src (one lane) on @engine with a raw uAPI 2.0 sync array. */
static uint32_t submit_syncs(uint32_t engine, const char *src,
			     const uint64_t *args, int nargs,
			     const struct drm_vsvm_sync *syncs, uint32_t nsyncs)
{
	struct drm_vsvm_exec x = {
		.vm_id = vm, .engine = engine, .invocations = 1,
		.syncs = {
			.stride = sizeof(*syncs), .count = nsyncs,
			.ptr = nsyncs ? vsvm_va(syncs) : 0,
		},
	};
	struct vsvm_prog p;

	for (int i = 0; i < nargs; i++)
		x.args[i] = args[i];
	vsvm_t_asm(&p, src);
	x.program_ptr = vsvm_va(p.insns);
	x.program_size = p.count;
	igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_EXEC, &x), 0);
	vsvm_prog_fini(&p);
	igt_assert_neq_u32(x.job_id, 0);
	return x.job_id;
}

static uint64_t *anon_mirrored(uint64_t size)
{
	uint64_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	memset(p, 0, size);
	vsvm_t_mirror(fd, vm, p, size);
	return p;
}

static void unmirror_free(uint64_t *p, uint64_t size)
{
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
	munmap(p, size);
}

static volatile uint64_t *release_flag;

/* SIGALRM: release a GATE job (the flag lives in mirrored memory). */
static void release_gate(int sig)
{
	(void)sig;
	__atomic_store_n(release_flag, 1, __ATOMIC_RELEASE);
}

static volatile sig_atomic_t ticks;

static void count_tick(int sig)
{
	(void)sig;
	ticks++;
}

static uint32_t submit_budget(const char *src, uint32_t lanes,
			      const uint64_t *args, int nargs, uint64_t budget)
{
	struct vsvm_exec_args a = {
		.vm_id = vm, .invocations = lanes, .budget = budget,
	};
	struct vsvm_prog p;
	uint32_t job = 0;

	for (int i = 0; i < nargs; i++)
		a.args[i] = args[i];
	vsvm_t_asm(&p, src);
	a.program = p.insns;
	a.program_size = p.count;
	igt_assert_eq(vsvm_exec(fd, &a, &job), 0);
	vsvm_prog_fini(&p);
	return job;
}

static const char *const COUNT_TO =
	"	li r4, 0\n"
	"loop:	addi r4, r4, 1\n"
	"	st64 [r0], r4\n"
	"	bltu r4, r2, loop\n"
	"	end\n";

/* buf[r1] = buf[r1 - 1] + 1 (u64 index r1). */
static const char *const NEXT =
	"	shli r5, r1, 3\n"
	"	add r5, r0, r5\n"
	"	ld64 r6, [r5 - 8]\n"
	"	addi r6, r6, 1\n"
	"	st64 [r5], r6\n"
	"	end\n";

/* ---- ALU tables ----------------------------------------------------------- */

struct alu_op {
	const char *mn;
	uint64_t (*ref)(uint64_t a, uint64_t b);
};

static uint64_t r_add(uint64_t a, uint64_t b) { return a + b; }
static uint64_t r_sub(uint64_t a, uint64_t b) { return a - b; }
static uint64_t r_mul(uint64_t a, uint64_t b) { return a * b; }
static uint64_t r_divu(uint64_t a, uint64_t b) { return a / b; }
static uint64_t r_divs(uint64_t a, uint64_t b)
{
	if ((int64_t)b == -1)
		return -a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}
static uint64_t r_remu(uint64_t a, uint64_t b) { return a % b; }
static uint64_t r_and(uint64_t a, uint64_t b) { return a & b; }
static uint64_t r_or(uint64_t a, uint64_t b) { return a | b; }
static uint64_t r_xor(uint64_t a, uint64_t b) { return a ^ b; }
static uint64_t r_shl(uint64_t a, uint64_t b) { return a << (b & 63); }
static uint64_t r_shr(uint64_t a, uint64_t b) { return a >> (b & 63); }
static uint64_t r_sar(uint64_t a, uint64_t b)
{
	return (uint64_t)((int64_t)a >> (b & 63));
}
static uint64_t r_slt(uint64_t a, uint64_t b) { return (int64_t)a < (int64_t)b; }
static uint64_t r_sltu(uint64_t a, uint64_t b) { return a < b; }
static uint64_t r_seq(uint64_t a, uint64_t b) { return a == b; }
static uint64_t r_add32(uint64_t a, uint64_t b) { return (uint32_t)(a + b); }
static uint64_t r_sub32(uint64_t a, uint64_t b) { return (uint32_t)(a - b); }
static uint64_t r_mul32(uint64_t a, uint64_t b) { return (uint32_t)(a * b); }

static const struct alu_op alu_ops[] = {
	{ "add", r_add }, { "sub", r_sub }, { "mul", r_mul },
	{ "divu", r_divu }, { "divs", r_divs }, { "remu", r_remu },
	{ "and", r_and }, { "or", r_or }, { "xor", r_xor },
	{ "shl", r_shl }, { "shr", r_shr }, { "sar", r_sar },
	{ "slt", r_slt }, { "sltu", r_sltu }, { "seq", r_seq },
	{ "add32", r_add32 }, { "sub32", r_sub32 }, { "mul32", r_mul32 },
};

static const uint64_t alu_vals[][2] = {
	{ 7, 3 },
	{ 0xffffffffffffffffull, 2 },
	{ 0x8000000000000000ull, 0xffffffffffffffffull },
	{ 0x123456789abcdef0ull, 0x0fedcba987654321ull },
	{ 0xfffffff0, 0x11 },
	{ 5, 5 },
	{ 1, 65 },
};

/* Lane i copies r2 bytes from r1 + i * r2 to r0 + i * r2 with BCOPY. */
static const char *const BCOPY_SLICES =
	"	sr r4, lane_id\n"
	"	mul r5, r4, r2\n"
	"	add r6, r0, r5\n"
	"	add r7, r1, r5\n"
	"	mov r8, r2\n"
	"	bcopy r6, r7, r8\n"
	"	end\n";

static void run_text(const char *src, const uint64_t *args, int nargs)
{
	vsvm_t_run_ok(fd, vm, src, 1, args, nargs);
}

/* Append a line to a growing program text. */
static void emit(char *prog, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void emit(char *prog, size_t len, const char *fmt, ...)
{
	size_t n = strlen(prog);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prog + n, len - n, fmt, ap);
	va_end(ap);
	igt_assert(strlen(prog) < len - 1);
}

static uint32_t f2u(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

igt_main
{
	igt_fixture {
		fd = vsvm_t_open(0);
		vm = vsvm_t_vm(fd);
		buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(buf != MAP_FAILED);
		vsvm_t_mirror(fd, vm, buf, BUF_SIZE);
	}

	igt_describe("A job waiting on another's out-syncobj sees its final result.");
	igt_subtest("syncobj-ordering") {
		uint64_t a1[3] = { vsvm_va(buf), 0, 200000 };
		uint64_t a2[2] = { vsvm_va(buf), 1 };
		uint32_t s, j1, j2;

		memset(buf, 0, 16);
		igt_assert_eq(vsvm_syncobj_create(fd, &s), 0);
		j1 = vsvm_t_submit(fd, vm, 0, COUNT_TO, 1, a1, 3, s, NULL, 0);
		j2 = vsvm_t_submit(fd, vm, 1 % engines(), NEXT, 1, a2, 2, 0, &s, 1);
		igt_assert_eq(vsvm_t_wait(fd, j2, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq(vsvm_t_wait(fd, j1, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(buf[0], 200000);
		igt_assert_eq_u64(buf[1], 200001);
		vsvm_syncobj_destroy(fd, s);
	}

	igt_describe("Four jobs chained by syncobjs run in order.");
	igt_subtest("syncobj-chain") {
		uint32_t s[4], j[4];

		memset(buf, 0, 64);
		buf[0] = 1000;
		for (int i = 0; i < 4; i++)
			igt_assert_eq(vsvm_syncobj_create(fd, &s[i]), 0);
		/*
		 * In order (a syncobj must carry a fence when a job names it),
		 * on alternating engines: only the syncobjs keep them ordered.
		 */
		for (int i = 0; i < 4; i++) {
			uint64_t a[2] = { vsvm_va(buf), i + 1 };

			j[i] = vsvm_t_submit(fd, vm, i % engines(), NEXT, 1, a, 2,
					     s[i], i ? &s[i - 1] : NULL, i ? 1 : 0);
		}
		for (int i = 0; i < 4; i++)
			igt_assert_eq(vsvm_t_wait(fd, j[i], NULL), DRM_VSVM_JOB_DONE);
		for (int i = 0; i < 5; i++)
			igt_assert_eq_u64(buf[i], 1000 + i);
		for (int i = 0; i < 4; i++)
			vsvm_syncobj_destroy(fd, s[i]);
	}

	igt_describe("The out-syncobj signals when the job's data is visible.");
	igt_subtest("syncobj-wait") {
		uint64_t a[3] = { vsvm_va(buf), 0, 5000 };
		uint32_t s, j;

		igt_assert_eq(vsvm_syncobj_create(fd, &s), 0);
		j = vsvm_t_submit(fd, vm, 0, COUNT_TO, 1, a, 3, s, NULL, 0);
		igt_assert_eq(vsvm_syncobj_wait(fd, &s, 1, VSVM_T_WAIT_NS, true), 0);
		igt_assert_eq_u64(buf[0], 5000);
		igt_assert_eq(vsvm_t_wait(fd, j, NULL), DRM_VSVM_JOB_DONE);
		vsvm_syncobj_destroy(fd, s);
	}

	igt_describe("An infinite loop is killed with TIMEOUT; the next job runs.");
	igt_subtest("timeout") {
		struct drm_vsvm_job_status st;
		uint64_t a[2] = { vsvm_va(buf + 3), 0x7e57 };
		uint32_t j;

		igt_info("job timeout %" PRIu64 " ms\n",
			 vsvm_t_param(fd, DRM_VSVM_PARAM_JOB_TIMEOUT_MS));
		/* A budget far beyond what runs before the timeout. */
		j = submit_budget(VSVM_T_PROG_SPIN, 1, NULL, 0, 1ull << 50);
		igt_assert_eq(vsvm_t_wait(fd, j, &st), DRM_VSVM_JOB_TIMEOUT);
		igt_assert_lt_u64(0, st.instructions);
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_ST64_AT, 1, a, 2);
		igt_assert_eq_u64(buf[3], 0x7e57);
	}

	igt_describe("While one engine spins, another engine completes jobs.");
	igt_subtest("timeout-other-engine") {
		uint64_t a[2] = { vsvm_va(buf + 4), 0 };
		uint32_t j;

		igt_require(engines() >= 2);
		j = submit_budget(VSVM_T_PROG_SPIN, 1, NULL, 0, 1ull << 50);
		for (int i = 0; i < 8; i++) {
			uint32_t k;

			a[1] = 0x100 + i;
			k = vsvm_t_submit(fd, vm, 1, VSVM_T_PROG_ST64_AT, 1, a, 2,
					  0, NULL, 0);
			igt_assert_eq(vsvm_t_wait(fd, k, NULL), DRM_VSVM_JOB_DONE);
			igt_assert_eq_u64(buf[4], 0x100 + i);
		}
		igt_assert_eq(vsvm_t_wait(fd, j, NULL), DRM_VSVM_JOB_TIMEOUT);
	}

	igt_describe("JOB_STATUS WAIT on a running job returns -ETIME.");
	igt_subtest("status-wait-etime") {
		struct drm_vsvm_job_status st;
		uint64_t *stop = buf + 100;
		uint64_t a[8] = { vsvm_va(buf + 101), 1, 0, 1, 0, 0, 0,
				  vsvm_va(stop) };
		uint32_t j;

		*stop = 0;
		buf[101] = 0;
		j = vsvm_t_submit(fd, vm, 0, VSVM_T_PROG_HAMMER, 1, a, 8, 0,
				  NULL, 0);
		/* Wait (bounded) until the job is visibly running. */
		for (int i = 0; i < 30000 && !__atomic_load_n(&buf[101], __ATOMIC_ACQUIRE); i++)
			usleep(1000);
		igt_assert_lte_u64(1, __atomic_load_n(&buf[101], __ATOMIC_ACQUIRE));
		igt_assert_eq(vsvm_t_job_status(fd, j, 1000000, &st), -ETIME);
		*stop = 1;
		igt_assert_eq(vsvm_t_wait(fd, j, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_lte_u64(1, buf[101]);
	}

	igt_describe("A job waiting for timeline point 2 runs after the point-2 job, not the point-1 one.");
	igt_subtest("timeline-wait-point") {
		uint64_t *m = anon_mirrored(SZ_4K);
		struct drm_vsvm_job_status st;
		uint32_t tl, a, b, c;
		uint64_t point = 0;

		igt_require(engines() >= 2);
		igt_assert_eq(vsvm_syncobj_create(fd, &tl), 0);
		/* A (engine 0): m[0] = 0xa, signals point 1. */
		{
			uint64_t args[2] = { vsvm_va(&m[0]), 0xa };
			struct drm_vsvm_sync s = {
				.handle = tl, .flags = DRM_VSVM_SYNC_SIGNAL, .timeline_point = 1,
			};

			a = submit_syncs(0, VSVM_T_PROG_ST64_AT, args, 2, &s, 1);
		}
		/* B (engine 0, behind A): waits for m[8], then m[1] = 0xb; point 2. */
		{
			uint64_t args[8] = { vsvm_va(&m[1]), 0xb, 0, 0, 0, 0, 0,
					     vsvm_va(&m[8]) };
			struct drm_vsvm_sync s = {
				.handle = tl, .flags = DRM_VSVM_SYNC_SIGNAL, .timeline_point = 2,
			};

			b = submit_syncs(0, GATE, args, 8, &s, 1);
		}
		/* C (engine 1, its own queue): waits for point 2; m[2] = m[1]. */
		{
			uint64_t args[2] = { vsvm_va(&m[1]), vsvm_va(&m[2]) };
			struct drm_vsvm_sync s = { .handle = tl, .timeline_point = 2 };

			c = submit_syncs(1, VSVM_T_PROG_LD64_AT, args, 2, &s, 1);
		}
		/* Point 1 is signalled; C must still be waiting for point 2. */
		igt_assert_eq(vsvm_syncobj_wait_point(fd, tl, 1, VSVM_T_WAIT_NS), 0);
		igt_assert_eq_u32(vsvm_t_wait(fd, a, NULL), DRM_VSVM_JOB_DONE);
		usleep(100 * 1000);	/* room for a wrong early start */
		igt_assert_eq(vsvm_t_job_status(fd, c, 0, &st), 0);
		igt_assert_eq_u32(st.state, DRM_VSVM_JOB_QUEUED);
		igt_assert_eq(vsvm_syncobj_point(fd, tl, &point), 0);
		igt_assert_eq_u64(point, 1);
		/* Release B: C runs after it and copies its value. */
		__atomic_store_n(&m[8], 1, __ATOMIC_RELEASE);
		igt_assert_eq_u32(vsvm_t_wait(fd, b, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u32(vsvm_t_wait(fd, c, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(m[0], 0xa);
		igt_assert_eq_u64(m[1], 0xb);
		igt_assert_eq_u64(m[2], 0xb);
		igt_assert_eq(vsvm_syncobj_point(fd, tl, &point), 0);
		igt_assert_eq_u64(point, 2);
		vsvm_syncobj_destroy(fd, tl);
		unmirror_free(m, SZ_4K);
	}

	igt_describe("A job signals timeline point 5 and a binary syncobj from one array.");
	igt_subtest("timeline-signal-point") {
		uint64_t *m = anon_mirrored(SZ_4K);
		uint32_t tl, bin, d, e;
		uint64_t point = 0;

		igt_assert_eq(vsvm_syncobj_create(fd, &tl), 0);
		igt_assert_eq(vsvm_syncobj_create(fd, &bin), 0);
		{
			uint64_t args[2] = { vsvm_va(&m[0]), 0x5555 };
			struct drm_vsvm_sync s[2] = {
				{ .handle = tl, .flags = DRM_VSVM_SYNC_SIGNAL, .timeline_point = 5 },
				{ .handle = bin, .flags = DRM_VSVM_SYNC_SIGNAL },
			};

			d = submit_syncs(0, VSVM_T_PROG_ST64_AT, args, 2, s, 2);
		}
		igt_assert_eq(vsvm_syncobj_wait_point(fd, tl, 5, VSVM_T_WAIT_NS), 0);
		/* Signalled with the job: its store is visible. */
		igt_assert_eq_u64(__atomic_load_n(&m[0], __ATOMIC_ACQUIRE), 0x5555);
		igt_assert_eq(vsvm_syncobj_wait(fd, &bin, 1, VSVM_T_WAIT_NS, true), 0);
		igt_assert_eq(vsvm_syncobj_point(fd, tl, &point), 0);
		igt_assert_eq_u64(point, 5);
		/* Nothing will ever signal point 6. */
		igt_assert_eq(vsvm_syncobj_wait_point(fd, tl, 6, 50 * 1000 * 1000), -ETIME);
		{
			uint64_t args[2] = { vsvm_va(&m[0]), vsvm_va(&m[1]) };
			struct drm_vsvm_sync s = { .handle = tl, .timeline_point = 5 };

			e = submit_syncs(0, VSVM_T_PROG_LD64_AT, args, 2, &s, 1);
		}
		igt_assert_eq_u32(vsvm_t_wait(fd, d, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u32(vsvm_t_wait(fd, e, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(m[1], 0x5555);
		vsvm_syncobj_destroy(fd, tl);
		vsvm_syncobj_destroy(fd, bin);
		unmirror_free(m, SZ_4K);
	}

	igt_describe("VM_BIND signals its out-syncs when the bind is done.");
	igt_subtest("bind-out-syncs") {
		uint64_t *m = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct drm_vsvm_vm_bind_op op = {
			.op = DRM_VSVM_BIND_OP_MIRROR, .addr = vsvm_va(m), .range = SZ_4K,
		};
		uint32_t tl, bin, j;
		struct drm_vsvm_sync s[2];
		struct drm_vsvm_vm_bind b = {
			.vm_id = vm, .stride = sizeof(op), .count = 1, .ops_ptr = vsvm_va(&op),
			.syncs = { .stride = sizeof(s[0]), .count = 2, .ptr = vsvm_va(s) },
		};
		uint64_t point = 0;

		igt_assert(m != MAP_FAILED);
		m[0] = 0;
		igt_assert_eq(vsvm_syncobj_create(fd, &tl), 0);
		igt_assert_eq(vsvm_syncobj_create(fd, &bin), 0);
		s[0] = (struct drm_vsvm_sync) {
			.handle = tl, .flags = DRM_VSVM_SYNC_SIGNAL, .timeline_point = 3,
		};
		s[1] = (struct drm_vsvm_sync) { .handle = bin, .flags = DRM_VSVM_SYNC_SIGNAL };
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_VM_BIND, &b), 0);
		igt_assert_eq_u32(b.done, 1);
		/* Already signalled when the ioctl returns (binds are synchronous). */
		igt_assert_eq(vsvm_syncobj_point(fd, tl, &point), 0);
		igt_assert_eq_u64(point, 3);
		igt_assert_eq(vsvm_syncobj_wait(fd, &bin, 1, 0, true), 0);
		igt_assert(vsvm_t_query(fd, vm, m) & DRM_VSVM_QUERY_MIRRORED);
		{
			uint64_t args[2] = { vsvm_va(&m[0]), 0x3333 };
			struct drm_vsvm_sync w = { .handle = tl, .timeline_point = 3 };

			j = submit_syncs(0, VSVM_T_PROG_ST64_AT, args, 2, &w, 1);
		}
		igt_assert_eq_u32(vsvm_t_wait(fd, j, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(m[0], 0x3333);
		/* A failing bind (the range is mirrored already) signals nothing. */
		s[0].timeline_point = 4;
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_VM_BIND, &b), -EEXIST);
		igt_assert_eq(vsvm_syncobj_point(fd, tl, &point), 0);
		igt_assert_eq_u64(point, 3);
		vsvm_syncobj_destroy(fd, tl);
		vsvm_syncobj_destroy(fd, bin);
		unmirror_free(m, SZ_4K);
	}

	igt_describe("VM_BIND waits for its in-sync before it runs.");
	igt_subtest("bind-in-syncs") {
		uint64_t *m = anon_mirrored(SZ_4K);
		struct drm_vsvm_vm_bind_op op = {
			.op = DRM_VSVM_BIND_OP_UNMIRROR, .addr = vsvm_va(m), .range = SZ_4K,
		};
		struct drm_vsvm_sync s;
		struct drm_vsvm_vm_bind b = {
			.vm_id = vm, .stride = sizeof(op), .count = 1, .ops_ptr = vsvm_va(&op),
			.syncs = { .stride = sizeof(s), .count = 1, .ptr = vsvm_va(&s) },
		};
		struct sigaction sa = { .sa_handler = release_gate, .sa_flags = SA_RESTART };
		struct sigaction old;
		struct itimerval it = { .it_value = { .tv_usec = 200 * 1000 } };
		struct drm_vsvm_job_status st;
		uint32_t gsync, g;

		igt_assert_eq(vsvm_syncobj_create(fd, &gsync), 0);
		/* G spins in the range until released, then writes m[1]. */
		{
			uint64_t args[8] = { vsvm_va(&m[1]), 0x77, 0, 0, 0, 0, 0,
					     vsvm_va(&m[8]) };
			struct drm_vsvm_sync sig = {
				.handle = gsync, .flags = DRM_VSVM_SYNC_SIGNAL,
			};

			g = submit_syncs(0, GATE, args, 8, &sig, 1);
		}
		/* Visibly running before the bind is issued. */
		igt_assert_eq(vsvm_t_job_status(fd, g, 0, &st), 0);
		release_flag = &m[8];
		sigemptyset(&sa.sa_mask);
		igt_assert_eq(sigaction(SIGALRM, &sa, &old), 0);
		igt_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
		/* UNMIRROR behind G: must not zap the range while G uses it. */
		s = (struct drm_vsvm_sync) { .handle = gsync };
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_VM_BIND, &b), 0);
		igt_assert_eq(sigaction(SIGALRM, &old, NULL), 0);
		igt_assert_eq_u32(b.done, 1);
		igt_assert_eq_u32(vsvm_t_wait(fd, g, &st), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(m[1], 0x77);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, m), 0);
		vsvm_syncobj_destroy(fd, gsync);
		munmap(m, SZ_4K);
	}

	igt_describe("An interrupted JOB_STATUS wait reissued as is ends at its absolute deadline.");
	igt_subtest("status-deadline-restart") {
		uint64_t *m = anon_mirrored(SZ_4K);
		struct sigaction sa = { .sa_handler = count_tick };	/* no SA_RESTART */
		struct sigaction old;
		struct itimerval it = {
			.it_interval = { .tv_usec = 10 * 1000 },
			.it_value = { .tv_usec = 10 * 1000 },
		}, off = { 0 };
		struct drm_vsvm_job_status st = { 0 };
		unsigned int eintr = 0, calls = 0;
		uint32_t j;
		int ret;

		/* A job that runs until m[8] is set. */
		{
			uint64_t args[8] = { vsvm_va(&m[1]), 1, 0, 0, 0, 0, 0,
					     vsvm_va(&m[8]) };

			j = submit_syncs(0, GATE, args, 8, NULL, 0);
		}
		/* A deadline in the past polls. */
		st.job_id = j;
		st.flags = DRM_VSVM_JOB_STATUS_WAIT;
		st.deadline_ns = 1;
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_JOB_STATUS, &st), -ETIME);

		sigemptyset(&sa.sa_mask);
		igt_assert_eq(sigaction(SIGALRM, &sa, &old), 0);
		ticks = 0;
		igt_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
		st.deadline_ns = vsvm_monotonic_ns() + 300ull * 1000 * 1000;
		/*
		 * Reissue the same struct after every EINTR, as a restarting
		 * caller does. With a relative timeout each call would start
		 * 300 ms afresh and be interrupted after 10 ms, forever: the
		 * bound below would end the loop and fail.
		 */
		do {
			ret = ioctl(fd, DRM_IOCTL_VSVM_JOB_STATUS, &st) ? -errno : 0;
			calls++;
			if (ret == -EINTR)
				eintr++;
		} while (ret == -EINTR && calls < 2000);
		igt_assert_eq(setitimer(ITIMER_REAL, &off, NULL), 0);
		igt_assert_eq(sigaction(SIGALRM, &old, NULL), 0);
		igt_info("%u calls, %u interrupted, %d ticks\n", calls, eintr, (int)ticks);
		igt_assert_eq(ret, -ETIME);
		/* Never before the deadline. */
		igt_assert_lte_u64(st.deadline_ns, vsvm_monotonic_ns());
		igt_assert_lt(0, (int)eintr);
		__atomic_store_n(&m[8], 1, __ATOMIC_RELEASE);
		igt_assert_eq_u32(vsvm_t_wait(fd, j, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(m[1], 1);
		unmirror_free(m, SZ_4K);
	}

	igt_describe("A job stops with BUDGET after exactly its budget.");
	igt_subtest("budget") {
		struct drm_vsvm_job_status st;
		uint32_t j = submit_budget(VSVM_T_PROG_SPIN, 1, NULL, 0, 1000);

		igt_assert_eq(vsvm_t_wait(fd, j, &st), DRM_VSVM_JOB_BUDGET);
		igt_assert_eq_u64(st.instructions, 1000);
	}

	igt_describe("A job whose budget equals its instruction count completes.");
	igt_subtest("budget-exact") {
		const char *prog = "nop\nnop\nnop\nnop\nnop\nnop\nnop\nnop\nnop\nnop\nend\n";
		struct drm_vsvm_job_status st;
		uint32_t j;

		j = submit_budget(prog, 1, NULL, 0, 11);
		igt_assert_eq(vsvm_t_wait(fd, j, &st), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(st.instructions, 11);
		j = submit_budget(prog, 1, NULL, 0, 10);
		igt_assert_eq(vsvm_t_wait(fd, j, &st), DRM_VSVM_JOB_BUDGET);
		igt_assert_eq_u64(st.instructions, 10);
	}

	igt_describe("Division by zero ends the job with EXCEPTION.");
	igt_subtest("exception-div0") {
		const char *prog =
			"	li r1, 0x51\n"
			"	st64 [r0], r1\n"
			"	li r2, 0\n"
			"	divu r3, r1, r2\n"
			"	st64 [r0 + 8], r1\n"
			"	end\n";
		uint64_t a[1] = { vsvm_va(buf + 200) };
		struct drm_vsvm_job_status st;

		buf[200] = buf[201] = 0;
		igt_assert_eq(vsvm_t_run(fd, vm, prog, 1, a, 1, &st),
			      DRM_VSVM_JOB_EXCEPTION);
		igt_assert_eq_u32(st.fault_reason, DRM_VSVM_EXC_DIV_ZERO);
		igt_assert_eq_u32(st.fault_pc, 3);
		igt_assert_eq_u64(buf[200], 0x51);
		igt_assert_eq_u64(buf[201], 0);
	}

	igt_describe("A program without END raises EXCEPTION at its end.");
	igt_subtest("exception-run-off-end") {
		const char *prog = "li r1, 9\nst64 [r0], r1\n";
		uint64_t a[1] = { vsvm_va(buf + 202) };
		struct drm_vsvm_job_status st;

		igt_assert_eq(vsvm_t_run(fd, vm, prog, 1, a, 1, &st),
			      DRM_VSVM_JOB_EXCEPTION);
		igt_assert_eq_u32(st.fault_reason, DRM_VSVM_EXC_PC_RANGE);
		igt_assert_eq_u32(st.fault_pc, 2);
		igt_assert_eq_u64(buf[202], 9);
	}

	igt_describe("The record counts exactly the instructions of all lanes.");
	igt_subtest("instructions-count") {
		struct drm_vsvm_job_status st;
		uint64_t a[2] = { vsvm_va(buf), 0 };

		/* Resident first: no fault, so no replayed instruction. */
		igt_assert_eq(vsvm_prefetch(fd, vm, vsvm_va(buf), SZ_4K, 0, NULL,
					    NULL, NULL), 0);
		/* STORE is 6 instructions per lane. */
		igt_assert_eq(vsvm_t_run(fd, vm, VSVM_T_PROG_STORE, 100, a, 2, &st),
			      DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(st.instructions, 600);
		igt_assert_eq_u64(st.faults, 0);
	}

	igt_describe("4096 lanes each write their lane id.");
	igt_subtest("lanes") {
		uint64_t a[2] = { vsvm_va(buf), 0xa0000 };

		memset(buf, 0, BUF_SIZE);
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_STORE, 4096, a, 2);
		for (int i = 0; i < 4096; i++)
			igt_assert_eq_u64(buf[i], 0xa0000 + i);
		igt_assert_eq_u64(buf[4096], 0);
	}

	igt_describe("LANE_COUNT, ENGINE_ID and DEVICE_ID on every engine.");
	igt_subtest("special-registers") {
		const char *prog =
			"	sr r4, lane_id\n"
			"	bne r4, r1, out\n"
			"	sr r5, lane_count\n"
			"	st64 [r0], r5\n"
			"	sr r5, engine_id\n"
			"	st64 [r0 + 8], r5\n"
			"	sr r5, device_id\n"
			"	st64 [r0 + 16], r5\n"
			"out:	end\n";

		for (uint32_t e = 0; e < engines(); e++) {
			uint64_t a[2] = { vsvm_va(buf + 300), 6 };
			uint32_t j;

			memset(buf + 300, 0xff, 24);
			j = vsvm_t_submit(fd, vm, e, prog, 7, a, 2, 0, NULL, 0);
			igt_assert_eq(vsvm_t_wait(fd, j, NULL), DRM_VSVM_JOB_DONE);
			igt_assert_eq_u64(buf[300], 7);
			igt_assert_eq_u64(buf[301], e);
			igt_assert_eq_u64(buf[302], vsvm_t_param(fd,
					  DRM_VSVM_PARAM_DEVICE_INDEX));
		}
	}

	igt_describe("All 16 argument registers reach the program.");
	igt_subtest("args") {
		char prog[1024] = "";
		uint64_t a[16];

		a[0] = vsvm_va(buf + 400);
		for (int i = 1; i < 16; i++) {
			a[i] = 0x1111111111111111ull * (i & 0xf) + i;
			emit(prog, sizeof(prog), "st64 [r0 + %d], r%d\n", 8 * i, i);
		}
		emit(prog, sizeof(prog), "end\n");
		run_text(prog, a, 16);
		for (int i = 1; i < 16; i++)
			igt_assert_eq_u64(buf[400 + i], a[i]);
	}

	igt_describe("Every integer ALU operation matches the CPU.");
	igt_subtest("alu") {
		const int nops = sizeof(alu_ops) / sizeof(alu_ops[0]);
		const int nvals = sizeof(alu_vals) / sizeof(alu_vals[0]);
		char prog[8192];

		for (int v = 0; v < nvals; v++) {
			uint64_t a[3] = { vsvm_va(buf + 500), alu_vals[v][0],
					  alu_vals[v][1] };

			prog[0] = 0;
			for (int o = 0; o < nops; o++)
				emit(prog, sizeof(prog), "%s r3, r1, r2\nst64 [r0 + %d], r3\n",
				     alu_ops[o].mn, 8 * o);
			emit(prog, sizeof(prog), "end\n");
			run_text(prog, a, 3);
			for (int o = 0; o < nops; o++)
				igt_assert_f(buf[500 + o] == alu_ops[o].ref(a[1], a[2]),
					     "%s %#" PRIx64 ", %#" PRIx64 ": gpu %#" PRIx64 " cpu %#" PRIx64 "\n",
					     alu_ops[o].mn, a[1], a[2], buf[500 + o],
					     alu_ops[o].ref(a[1], a[2]));
		}
	}

	igt_describe("Immediate ALU operations, LI/LIH and extensions match the CPU.");
	igt_subtest("alu-imm") {
		const char *prog =
			"	addi r3, r1, -5\n	st64 [r0], r3\n"
			"	muli r3, r1, 3\n	st64 [r0 + 8], r3\n"
			"	andi r3, r1, 0xff0\n	st64 [r0 + 16], r3\n"
			"	ori r3, r1, 0x0f\n	st64 [r0 + 24], r3\n"
			"	xori r3, r1, -1\n	st64 [r0 + 32], r3\n"
			"	shli r3, r1, 4\n	st64 [r0 + 40], r3\n"
			"	shri r3, r1, 60\n	st64 [r0 + 48], r3\n"
			"	sari r3, r1, 60\n	st64 [r0 + 56], r3\n"
			"	sext32 r3, r1\n	st64 [r0 + 64], r3\n"
			"	zext32 r3, r1\n	st64 [r0 + 72], r3\n"
			"	li r3, -2\n	st64 [r0 + 80], r3\n"
			"	lih r3, 0x12345678\n	st64 [r0 + 88], r3\n"
			"	li64 r3, 0x123456789abcdef\n	st64 [r0 + 96], r3\n"
			"	mov r3, r1\n	st64 [r0 + 104], r3\n"
			"	end\n";
		const uint64_t x = 0xf0000000876543a1ull;
		uint64_t a[2] = { vsvm_va(buf + 600), x };
		const uint64_t want[] = {
			x - 5, x * 3, x & 0xff0, x | 0x0f, ~x, x << 4, x >> 60,
			(uint64_t)((int64_t)x >> 60),
			(uint64_t)(int64_t)(int32_t)(uint32_t)x, (uint32_t)x,
			(uint64_t)-2, 0x12345678fffffffeull, 0x123456789abcdefull, x,
		};

		run_text(prog, a, 2);
		for (unsigned int i = 0; i < sizeof(want) / 8; i++)
			igt_assert_f(buf[600 + i] == want[i],
				     "line %u: %#" PRIx64 " want %#" PRIx64 "\n",
				     i, buf[600 + i], want[i]);
	}

	igt_describe("binary32 operations match the CPU.");
	igt_subtest("float") {
		const char *prog =
			"	fadd r3, r1, r2\n	st64 [r0], r3\n"
			"	fsub r3, r1, r2\n	st64 [r0 + 8], r3\n"
			"	fmul r3, r1, r2\n	st64 [r0 + 16], r3\n"
			"	fdiv r3, r1, r2\n	st64 [r0 + 24], r3\n"
			"	fmin r3, r1, r2\n	st64 [r0 + 32], r3\n"
			"	fmax r3, r1, r2\n	st64 [r0 + 40], r3\n"
			"	flt r3, r1, r2\n	st64 [r0 + 48], r3\n"
			"	feq r3, r1, r1\n	st64 [r0 + 56], r3\n"
			"	i2f r3, r4\n	st64 [r0 + 64], r3\n"
			"	f2i r3, r1\n	st64 [r0 + 72], r3\n"
			"	end\n";
		const float x = 3.75f, y = -1.5f;
		uint64_t a[5] = { vsvm_va(buf + 700), f2u(x), f2u(y), 0,
				  (uint32_t)-7 };
		const uint64_t want[] = {
			f2u(x + y), f2u(x - y), f2u(x * y), f2u(x / y),
			f2u(y), f2u(x), 0, 1, f2u(-7.0f), 3,
		};

		run_text(prog, a, 5);
		for (unsigned int i = 0; i < sizeof(want) / 8; i++)
			igt_assert_f(buf[700 + i] == want[i],
				     "op %u: %#" PRIx64 " want %#" PRIx64 "\n",
				     i, buf[700 + i], want[i]);
	}

	igt_describe("Narrow loads and stores touch exactly their bytes.");
	igt_subtest("loads-stores") {
		const char *prog =
			"	ld8 r3, [r1 + 7]\n	st64 [r0], r3\n"
			"	lds8 r3, [r1 + 7]\n	st64 [r0 + 8], r3\n"
			"	ld16 r3, [r1 + 6]\n	st64 [r0 + 16], r3\n"
			"	lds16 r3, [r1 + 6]\n	st64 [r0 + 24], r3\n"
			"	ld32 r3, [r1 + 4]\n	st64 [r0 + 32], r3\n"
			"	lds32 r3, [r1 + 4]\n	st64 [r0 + 40], r3\n"
			"	li64 r3, 0x1122334455667788\n"
			"	st8 [r1 + 9], r3\n"
			"	st16 [r1 + 18], r3\n"
			"	st32 [r1 + 28], r3\n"
			"	end\n";
		uint64_t *src = buf + 800;
		uint64_t a[2] = { vsvm_va(buf + 810), vsvm_va(src) };

		src[0] = 0x8f00c3d2a1b2c3d4ull;
		src[1] = src[2] = src[3] = 0xaaaaaaaaaaaaaaaaull;
		run_text(prog, a, 2);
		igt_assert_eq_u64(buf[810], 0x8f);
		igt_assert_eq_u64(buf[811], 0xffffffffffffff8full);
		igt_assert_eq_u64(buf[812], 0x8f00);
		igt_assert_eq_u64(buf[813], 0xffffffffffff8f00ull);
		igt_assert_eq_u64(buf[814], 0x8f00c3d2);
		igt_assert_eq_u64(buf[815], 0xffffffff8f00c3d2ull);
		igt_assert_eq_u64(src[1], 0xaaaaaaaaaaaa88aaull);
		igt_assert_eq_u64(src[2], 0xaaaaaaaa7788aaaaull);
		igt_assert_eq_u64(src[3], 0x55667788aaaaaaaaull);
	}

	igt_describe("32 lanes of BCOPY copy 1 MiB between unaligned fresh buffers.");
	igt_subtest("bcopy") {
		const uint64_t slice = 32768 + 7, lanes = 32, total = slice * lanes;
		const uint64_t size = (total + 2 * SZ_4K) & ~(SZ_4K - 1);
		struct drm_vsvm_job_status st;
		uint8_t *src = vsvm_t_mmap_aligned(size, SZ_4K, PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS);
		uint8_t *dst = vsvm_t_mmap_aligned(size, SZ_4K, PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS);
		uint64_t a[3] = { vsvm_va(dst + 3), vsvm_va(src + 5), slice };

		for (uint64_t i = 0; i < size; i++)
			src[i] = (uint8_t)(i * 131 + 7);
		vsvm_t_mirror(fd, vm, src, size);
		vsvm_t_mirror(fd, vm, dst, size);
		igt_assert_eq_u32(vsvm_t_run(fd, vm, BCOPY_SLICES, lanes, a, 3, &st),
				  DRM_VSVM_JOB_DONE);
		igt_assert_f(st.faults > 0, "the copy took no GPU fault\n");
		igt_assert(!memcmp(dst + 3, src + 5, total));
		for (uint64_t i = 0; i < 3; i++)
			igt_assert_eq_u32(dst[i], 0);
		for (uint64_t i = total + 3; i < size; i++)
			igt_assert_eq_u32(dst[i], 0);
		vsvm_unmirror(fd, vm, vsvm_va(src), size);
		vsvm_unmirror(fd, vm, vsvm_va(dst), size);
		vsvm_t_munmap_aligned(src, size);
		vsvm_t_munmap_aligned(dst, size);
	}

	igt_describe("BCOPY from VRAM to system memory and back.");
	igt_subtest("bcopy-vram") {
		const uint64_t size = 4 * SZ_64K;
		uint8_t *src = vsvm_t_mmap_aligned(size, SZ_2M, PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS);
		uint8_t *dst = vsvm_t_mmap_aligned(size, SZ_4K, PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS);
		uint64_t a[3] = { vsvm_va(dst), vsvm_va(src), size / 32 };
		uint64_t done = 0, failed = 0;

		igt_require(vsvm_t_param(fd, DRM_VSVM_PARAM_VRAM_SIZE) >= SZ_2M);
		for (uint64_t i = 0; i < size; i++)
			src[i] = (uint8_t)(i * 29 + 1);
		vsvm_t_mirror(fd, vm, src, size);
		vsvm_t_mirror(fd, vm, dst, size);
		igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, src, size, DRM_VSVM_LOCATION_DEVICE(0),
						  NULL, &done, &failed), 0);
		igt_assert_eq_u64(done, size / SZ_4K);
		igt_assert(vsvm_t_query(fd, vm, src) & DRM_VSVM_QUERY_VRAM);
		vsvm_t_run_ok(fd, vm, BCOPY_SLICES, 32, a, 3);
		/* Back into the VRAM pages, then check both from the CPU. */
		memset(dst, 0x5a, SZ_4K);
		a[0] = vsvm_va(src);
		a[1] = vsvm_va(dst);
		a[2] = SZ_4K / 32;
		vsvm_t_run_ok(fd, vm, BCOPY_SLICES, 32, a, 3);
		for (uint64_t i = 0; i < size; i++)
			igt_assert_eq_u32(dst[i], i < SZ_4K ? 0x5a : (uint8_t)(i * 29 + 1));
		for (uint64_t i = 0; i < size; i++)
			igt_assert_eq_u32(src[i], i < SZ_4K ? 0x5a : (uint8_t)(i * 29 + 1));
		vsvm_unmirror(fd, vm, vsvm_va(src), size);
		vsvm_unmirror(fd, vm, vsvm_va(dst), size);
		vsvm_t_munmap_aligned(src, size);
		vsvm_t_munmap_aligned(dst, size);
	}

	igt_describe("BCOPY across a hole in the source faults at the hole.");
	igt_subtest("bcopy-fault-unmapped") {
		const uint64_t size = 4 * SZ_4K;
		struct drm_vsvm_job_status st;
		uint8_t *src = vsvm_t_mmap_aligned(size, SZ_4K, PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS);
		uint8_t *dst = vsvm_t_mmap_aligned(size, SZ_4K, PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS);
		uint64_t a[3] = { vsvm_va(dst), vsvm_va(src + 100), 3 * SZ_4K };

		memset(src, 0x77, size);
		vsvm_t_mirror(fd, vm, src, size);
		vsvm_t_mirror(fd, vm, dst, size);
		igt_assert_eq(munmap(src + 2 * SZ_4K, SZ_4K), 0);
		igt_assert_eq_u32(vsvm_t_run(fd, vm, BCOPY_SLICES, 1, a, 3, &st),
				  DRM_VSVM_JOB_FAULTED);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NO_VMA, vsvm_va(src + 2 * SZ_4K),
				    DRM_VSVM_ACCESS_READ);
		/* Everything before the hole arrived, nothing after it. */
		for (uint64_t i = 0; i < size; i++)
			igt_assert_eq_u32(dst[i], i < 2 * SZ_4K - 100 ? 0x77 : 0);
		vsvm_unmirror(fd, vm, vsvm_va(src), size);
		vsvm_unmirror(fd, vm, vsvm_va(dst), size);
		munmap(src, 2 * SZ_4K);
		munmap(src + 3 * SZ_4K, SZ_4K);
		vsvm_t_munmap_aligned(dst, size);
	}

	igt_describe("BCOPY into a read-only mapping faults and writes nothing.");
	igt_subtest("bcopy-fault-readonly") {
		const uint64_t size = 2 * SZ_4K;
		struct drm_vsvm_job_status st;
		uint8_t *src = vsvm_t_mmap_aligned(size, SZ_4K, PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS);
		uint8_t *dst = vsvm_t_mmap_aligned(size, SZ_4K, PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS);
		uint64_t a[3] = { vsvm_va(dst), vsvm_va(src), size };

		memset(src, 0x33, size);
		memset(dst, 0x44, size);
		igt_assert_eq(mprotect(dst, size, PROT_READ), 0);
		vsvm_t_mirror(fd, vm, src, size);
		vsvm_t_mirror(fd, vm, dst, size);
		igt_assert_eq_u32(vsvm_t_run(fd, vm, BCOPY_SLICES, 1, a, 3, &st),
				  DRM_VSVM_JOB_FAULTED);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_ACCESS, vsvm_va(dst),
				    DRM_VSVM_ACCESS_WRITE);
		for (uint64_t i = 0; i < size; i++)
			igt_assert_eq_u32(dst[i], 0x44);
		vsvm_unmirror(fd, vm, vsvm_va(src), size);
		vsvm_unmirror(fd, vm, vsvm_va(dst), size);
		vsvm_t_munmap_aligned(src, size);
		vsvm_t_munmap_aligned(dst, size);
	}

	igt_describe("Atomics return the old value and update memory.");
	igt_subtest("atomics") {
		const char *prog =
			"	li r2, 5\n"
			"	aadd64 r3, [r1], r2\n	st64 [r0], r3\n"
			"	li r2, 9\n"
			"	axchg64 r3, [r1 + 8], r2\n	st64 [r0 + 8], r3\n"
			"	li r3, 100\n	li r2, 101\n"
			"	acmpxchg64 r3, [r1 + 16], r2\n	st64 [r0 + 16], r3\n"
			"	li r3, 7\n	li r2, 102\n"
			"	acmpxchg64 r3, [r1 + 24], r2\n	st64 [r0 + 24], r3\n"
			"	li r2, -3\n"
			"	amin64 r3, [r1 + 32], r2\n	st64 [r0 + 32], r3\n"
			"	amax64 r3, [r1 + 40], r2\n	st64 [r0 + 40], r3\n"
			"	aminu64 r3, [r1 + 48], r2\n	st64 [r0 + 48], r3\n"
			"	amaxu64 r3, [r1 + 56], r2\n	st64 [r0 + 56], r3\n"
			"	li r2, 3\n"
			"	aadd32 r3, [r1 + 64], r2\n	st64 [r0 + 64], r3\n"
			"	axchg32 r3, [r1 + 68], r2\n	st64 [r0 + 72], r3\n"
			"	li r2, -20\n"
			"	amin32 r3, [r1 + 72], r2\n	st64 [r0 + 80], r3\n"
			"	amax32 r3, [r1 + 76], r2\n	st64 [r0 + 88], r3\n"
			"	end\n";
		uint64_t *m = buf + 900, *o = buf + 920;
		uint32_t *m32 = (uint32_t *)(m + 8);
		uint64_t a[2] = { vsvm_va(o), vsvm_va(m) };

		m[0] = 10;
		m[1] = 20;
		m[2] = 100;
		m[3] = 8;
		m[4] = 4;
		m[5] = 4;
		m[6] = 4;
		m[7] = 4;
		m32[0] = 0xfffffffe;
		m32[1] = 50;
		m32[2] = 10;
		m32[3] = 10;
		run_text(prog, a, 2);
		igt_assert_eq_u64(o[0], 10);
		igt_assert_eq_u64(m[0], 15);
		igt_assert_eq_u64(o[1], 20);
		igt_assert_eq_u64(m[1], 9);
		igt_assert_eq_u64(o[2], 100);
		igt_assert_eq_u64(m[2], 101);
		igt_assert_eq_u64(o[3], 8);
		igt_assert_eq_u64(m[3], 8);
		igt_assert_eq_u64(o[4], 4);
		igt_assert_eq_u64(m[4], (uint64_t)-3);
		igt_assert_eq_u64(o[5], 4);
		igt_assert_eq_u64(m[5], 4);
		igt_assert_eq_u64(o[6], 4);
		igt_assert_eq_u64(m[6], 4);
		igt_assert_eq_u64(o[7], 4);
		igt_assert_eq_u64(m[7], (uint64_t)-3);
		igt_assert_eq_u64(o[8], 0xfffffffe);
		igt_assert_eq_u32(m32[0], 1);
		igt_assert_eq_u64(o[9], 50);
		igt_assert_eq_u32(m32[1], 3);
		igt_assert_eq_u64(o[10], 10);
		igt_assert_eq_u32(m32[2], (uint32_t)-20);
		igt_assert_eq_u64(o[11], 10);
		igt_assert_eq_u32(m32[3], 10);
	}

	igt_describe("Every branch condition taken and not taken.");
	igt_subtest("branches") {
		static const char *const br[] = {
			"beq", "bne", "blt", "bge", "bltu", "bgeu",
		};
		static const int64_t pairs[][2] = {
			{ 1, 1 }, { 1, 2 }, { -1, 1 }, { 2, 1 },
		};
		char prog[4096] = "";
		uint64_t *o = buf + 1000;
		int k = 0;

		for (int b = 0; b < 6; b++) {
			for (int p = 0; p < 4; p++, k++) {
				emit(prog, sizeof(prog),
				     "li64 r1, %lld\nli64 r2, %lld\nli r3, 1\n"
				     "%s r1, r2, t%d\nli r3, 0\nt%d: st64 [r0 + %d], r3\n",
				     (long long)pairs[p][0], (long long)pairs[p][1],
				     br[b], k, k, 8 * k);
			}
		}
		emit(prog, sizeof(prog), "end\n");
		{
			uint64_t a[1] = { vsvm_va(o) };

			run_text(prog, a, 1);
		}
		k = 0;
		for (int b = 0; b < 6; b++) {
			for (int p = 0; p < 4; p++, k++) {
				int64_t x = pairs[p][0], y = pairs[p][1];
				bool t = false;

				switch (b) {
				case 0: t = x == y; break;
				case 1: t = x != y; break;
				case 2: t = x < y; break;
				case 3: t = x >= y; break;
				case 4: t = (uint64_t)x < (uint64_t)y; break;
				case 5: t = (uint64_t)x >= (uint64_t)y; break;
				}
				igt_assert_f(o[k] == (uint64_t)t, "%s %lld, %lld: %" PRIu64 "\n",
					     br[b], (long long)x, (long long)y, o[k]);
			}
		}
	}

	igt_describe("128 jobs in flight on all engines each complete with their data.");
	igt_subtest("many-jobs") {
		uint32_t j[128];

		memset(buf, 0, 128 * 8);
		for (int i = 0; i < 128; i++) {
			uint64_t a[2] = { vsvm_va(buf + i), 0xb00 + i };

			j[i] = vsvm_t_submit(fd, vm, i % engines(),
					     VSVM_T_PROG_ST64_AT, 1, a, 2, 0,
					     NULL, 0);
		}
		for (int i = 0; i < 128; i++)
			igt_assert_eq(vsvm_t_wait(fd, j[i], NULL), DRM_VSVM_JOB_DONE);
		for (int i = 0; i < 128; i++)
			igt_assert_eq_u64(buf[i], 0xb00 + i);
	}

	igt_fixture {
		vsvm_vm_destroy(fd, vm);
		munmap(buf, BUF_SIZE);
		close(fd);
	}
}
