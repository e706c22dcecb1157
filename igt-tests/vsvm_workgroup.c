// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm workgroup
 * Category: Core
 * Mega feature: SVM
 * Sub-category: Execution
 * Functionality: ISA version 3: work-groups, local and scratch memory,
 *		  barriers, calls, atomics
 * Description: Jobs made of a grid of work-groups (DRM_IOCTL_VSVM_EXEC
 *		uAPI 1.2): the ids every lane reads, local memory per group,
 *		barriers and the exceptions that replace a deadlock, scratch
 *		memory per lane, recursion through JAL/JR, and the v3 atomics
 *		racing the CPU.
 *
 * SUBTEST: ids-%s
 * Description: Every lane of a grid writes all its ids; each matches the
 *		formulas of the ISA reference.
 *
 * arg[1]:
 *
 * @1d:		8 lanes x 5 groups, global offset in x
 * @2d:		4 x 3 lanes, 3 x 2 groups, offsets in x and y (above 2^32)
 * @3d:		2 x 3 x 4 lanes, 2 x 2 x 3 groups, offsets in x, y and z
 *
 * SUBTEST: flat-job-ids
 * Description: A flat job (no work-group fields) reads as groups of one
 *		lane, passes a BARRIER, and may use scratch memory.
 *
 * SUBTEST: exec-v1-struct
 * Description: An EXEC argument of the uAPI 1.1 size (184 bytes) still runs
 *		a flat job.
 *
 * SUBTEST: local-isolation
 * Description: 64 groups each see zeroed local memory, their own writes
 *		and their own atomics, never another group's.
 *
 * SUBTEST: barrier-reduction
 * Description: A tree reduction in local memory with a barrier per step,
 *		128 groups of 64 lanes on every engine at once; every group
 *		sum is exact.
 *
 * SUBTEST: barrier-max-group
 * Description: The same reduction in 4 groups of DRM_VSVM_PARAM_MAX_GROUP_LANES
 *		lanes each, with the inputs paged in by GPU faults while
 *		the group waits at barriers.
 *
 * SUBTEST: barrier-end-exception
 * Description: A lane that ENDs while its group waits at a barrier ends
 *		the job with EXCEPTION (BARRIER_END) at once: no lane of its
 *		group passes the barrier (groups on other engines stop where
 *		they are), and the engine runs the next job.
 *
 * SUBTEST: barrier-divergent-exception
 * Description: Odd and even lanes waiting at different barriers end the
 *		job with EXCEPTION (BARRIER_DIVERGENT).
 *
 * SUBTEST: scratch-isolation
 * Description: 256 lanes fill their 512-byte scratch with their own
 *		pattern, pass a barrier and find it intact.
 *
 * SUBTEST: scratch-out-of-bounds
 * Description: A store just past the scratch size faults with
 *		OUT_OF_BOUNDS at that address.
 *
 * SUBTEST: recursion
 * Description: A recursive function called with JAL/JR and its stack in
 *		scratch memory gives exact results; a depth the scratch size
 *		cannot hold faults with OUT_OF_BOUNDS instead of overwriting
 *		anything.
 *
 * SUBTEST: spread-%s
 * Description: The units of one job submitted to engine 0 run on two
 *		engines at once: unit 0 spins until unit 1 stores a flag
 *		(a wait that would exhaust its bound if the units ran one
 *		after another); every lane's ENGINE_ID and data are checked,
 *		and the client's fdinfo busy time grows on both engines.
 *
 * arg[1]:
 *
 * @groups:	2 work-groups of 4 lanes
 * @flat-waves:	a flat job of 64 lanes (2 waves of 32)
 *
 * SUBTEST: spread-own-job-first
 * Description: Engine 1 runs a group of engine 0's job (both groups spin
 *		until the CPU stores a flag); a job submitted to engine 1
 *		then completes while they still spin: the helping engine
 *		gives the group back at its next slice, resumes it after its
 *		own job, and every lane still ends with its data.
 *
 * SUBTEST: spread-budget
 * Description: A flat job of 8 waves whose budget is its exact
 *		instruction count completes DONE with that count, and with
 *		1000 fewer ends BUDGET having executed exactly its budget,
 *		whichever engines ran its waves.
 *
 * SUBTEST: atomics-race-cpu
 * Description: AOR64, AAND64, AXOR32, AMINU32, AMAXU32 and AADD64 on global
 *		memory, and AADD32/AOR32 on local memory, while a CPU thread
 *		runs the same atomics on the same words; the final values
 *		account for every operation of both.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: work-groups, local and scratch memory, barriers (ISA v3).");

static int fd = -1;
static uint32_t vm;
static uint64_t *mem;		/* mirrored */
#define MEM_SIZE	(8 * SZ_1M)

/* "li rX, LOCAL" / "li rX, SCRATCH": the bases are sign-extended imms. */
#define LOCAL_IMM	"-2147483648"
#define SCRATCH_IMM	"-1073741824"

struct grid {
	uint32_t size[3];
	uint32_t count[3];
	uint64_t offset[3];
	uint32_t local;
	uint32_t scratch;
};

static uint32_t grid_lanes(const struct grid *g)
{
	return g->size[0] * g->size[1] * g->size[2] *
	       g->count[0] * g->count[1] * g->count[2];
}

static uint32_t submit_grid(uint32_t engine, const char *src, const struct grid *g,
			    const uint64_t *args, int nargs)
{
	struct vsvm_exec_args a = {
		.vm_id = vm,
		.engine = engine,
		.local_mem_size = g->local,
		.scratch_size = g->scratch,
	};

	memcpy(a.group_size, g->size, sizeof(a.group_size));
	memcpy(a.group_count, g->count, sizeof(a.group_count));
	memcpy(a.global_offset, g->offset, sizeof(a.global_offset));
	for (int i = 0; i < nargs; i++)
		a.args[i] = args[i];
	return vsvm_t_exec(fd, &a, src);
}

static uint32_t run_grid(const char *src, const struct grid *g, const uint64_t *args,
			 int nargs, struct drm_vsvm_job_status *st)
{
	return vsvm_t_wait(fd, submit_grid(0, src, g, args, nargs), st);
}

static void run_grid_ok(const char *src, const struct grid *g, const uint64_t *args,
			int nargs)
{
	struct drm_vsvm_job_status st;
	uint32_t state = run_grid(src, g, args, nargs, &st);

	igt_assert_f(state == DRM_VSVM_JOB_DONE,
		     "job ended %s (%s / %s) lane %u pc %u addr %#llx\n",
		     vsvm_job_state_str(state), vsvm_fault_reason_str(st.fault_reason),
		     vsvm_exception_reason_str(st.fault_reason), st.fault_lane,
		     st.fault_pc, (unsigned long long)st.fault_addr);
}

/* ---- ids ------------------------------------------------------------------ */

/* Lane LANE_ID writes 16 u64 at r0 + 128 * LANE_ID. */
static const char *const IDS =
	"	sr r1, lane_id\n"
	"	shli r2, r1, 7\n"
	"	add r2, r0, r2\n"
	"	sr r3, global_id_x\n	st64 [r2], r3\n"
	"	sr r3, global_id_y\n	st64 [r2 + 8], r3\n"
	"	sr r3, global_id_z\n	st64 [r2 + 16], r3\n"
	"	sr r3, local_id_x\n	st64 [r2 + 24], r3\n"
	"	sr r3, local_id_y\n	st64 [r2 + 32], r3\n"
	"	sr r3, local_id_z\n	st64 [r2 + 40], r3\n"
	"	sr r3, group_id_x\n	st64 [r2 + 48], r3\n"
	"	sr r3, group_id_y\n	st64 [r2 + 56], r3\n"
	"	sr r3, group_id_z\n	st64 [r2 + 64], r3\n"
	"	sr r3, local_linear_id\n	st64 [r2 + 72], r3\n"
	"	sr r3, group_linear_id\n	st64 [r2 + 80], r3\n"
	"	sr r3, group_lanes\n	st64 [r2 + 88], r3\n"
	"	sr r3, lane_count\n	st64 [r2 + 96], r3\n"
	"	sr r3, group_count_z\n	st64 [r2 + 104], r3\n"
	"	sr r3, global_offset_y\n	st64 [r2 + 112], r3\n"
	"	li r3, 1\n	st64 [r2 + 120], r3\n"
	"	end\n";

static void check_ids(const struct grid *g)
{
	uint32_t lanes = g->size[0] * g->size[1] * g->size[2];
	uint32_t n = grid_lanes(g), seen = 0;
	uint64_t a[1] = { vsvm_va(mem) };

	igt_assert_lte_u64((uint64_t)n * 128 + 8, MEM_SIZE);
	memset(mem, 0xff, (size_t)n * 128 + 8);
	run_grid_ok(IDS, g, a, 1);

	for (uint32_t gz = 0; gz < g->count[2]; gz++)
	for (uint32_t gy = 0; gy < g->count[1]; gy++)
	for (uint32_t gx = 0; gx < g->count[0]; gx++)
	for (uint32_t lz = 0; lz < g->size[2]; lz++)
	for (uint32_t ly = 0; ly < g->size[1]; ly++)
	for (uint32_t lx = 0; lx < g->size[0]; lx++) {
		uint32_t glin = gx + gy * g->count[0] + gz * g->count[0] * g->count[1];
		uint32_t llin = lx + ly * g->size[0] + lz * g->size[0] * g->size[1];
		uint64_t *r = mem + (size_t)(glin * lanes + llin) * 16;

		igt_assert_eq_u64(r[0], g->offset[0] + gx * g->size[0] + lx);
		igt_assert_eq_u64(r[1], g->offset[1] + gy * g->size[1] + ly);
		igt_assert_eq_u64(r[2], g->offset[2] + gz * g->size[2] + lz);
		igt_assert_eq_u64(r[3], lx);
		igt_assert_eq_u64(r[4], ly);
		igt_assert_eq_u64(r[5], lz);
		igt_assert_eq_u64(r[6], gx);
		igt_assert_eq_u64(r[7], gy);
		igt_assert_eq_u64(r[8], gz);
		igt_assert_eq_u64(r[9], llin);
		igt_assert_eq_u64(r[10], glin);
		igt_assert_eq_u64(r[11], lanes);
		igt_assert_eq_u64(r[12], n);
		igt_assert_eq_u64(r[13], g->count[2]);
		igt_assert_eq_u64(r[14], g->offset[1]);
		igt_assert_eq_u64(r[15], 1);
		seen++;
	}
	igt_assert_eq_u32(seen, n);
	/* Nothing past the last record. */
	igt_assert_eq_u64(mem[(size_t)n * 16], ~0ull);
}

/* ---- local memory ---------------------------------------------------------- */

/*
 * 32 lanes per group: read local[lid] (must be zero), write gid + 1 there,
 * count with AADD64 at local[32], barrier, read the neighbour's slot and
 * the counter. Out (r0): 4 u64 per lane: before, neighbour, counter, 1.
 */
static const char *const LOCAL_ISO =
	"	sr r1, local_linear_id\n"
	"	sr r2, group_linear_id\n"
	"	sr r10, lane_id\n"
	"	li r15, " LOCAL_IMM "\n"
	"	shli r3, r1, 3\n"
	"	add r3, r15, r3\n"
	"	ld64 r4, [r3]\n"
	"	addi r5, r2, 1\n"
	"	st64 [r3], r5\n"
	"	li r6, 1\n"
	"	aadd64 r7, [r15 + 256], r6\n"
	"	barrier\n"
	"	addi r9, r1, 1\n"
	"	andi r9, r9, 31\n"
	"	shli r9, r9, 3\n"
	"	add r9, r15, r9\n"
	"	ld64 r8, [r9]\n"
	"	ld64 r7, [r15 + 256]\n"
	"	shli r11, r10, 5\n"
	"	add r11, r0, r11\n"
	"	st64 [r11], r4\n"
	"	st64 [r11 + 8], r8\n"
	"	st64 [r11 + 16], r7\n"
	"	st64 [r11 + 24], r6\n"
	"	end\n";

/*
 * Sum reduction: lane i of group g loads in[g * 64 + i] (r0), the group
 * halves the stride with a barrier per step, lane 0 stores the sum at
 * out[g] (r13).
 */
static const char *const REDUCE =
	"	sr r1, local_linear_id\n"
	"	sr r2, lane_id\n"
	"	li r15, " LOCAL_IMM "\n"
	"	shli r3, r1, 3\n"
	"	add r3, r15, r3\n"
	"	shli r4, r2, 3\n"
	"	add r4, r0, r4\n"
	"	ld64 r5, [r4]\n"
	"	st64 [r3], r5\n"
	"	sr r6, group_lanes\n"
	"	shri r6, r6, 1\n"
	"loop:	barrier\n"
	"	bgeu r1, r6, skip\n"
	"	shli r7, r6, 3\n"
	"	add r7, r3, r7\n"
	"	ld64 r8, [r7]\n"
	"	ld64 r9, [r3]\n"
	"	add r9, r9, r8\n"
	"	st64 [r3], r9\n"
	"skip:	shri r6, r6, 1\n"
	"	bne r6, r20, loop\n"
	"	bne r1, r20, done\n"
	"	sr r11, group_linear_id\n"
	"	shli r11, r11, 3\n"
	"	add r11, r13, r11\n"
	"	ld64 r12, [r15]\n"
	"	st64 [r11], r12\n"
	"done:	end\n";

/* ---- barrier exceptions ------------------------------------------------------ */

/*
 * out[lane] = 1, then lane r14 of group r13 ENDs while the others pass a
 * barrier and set out[lane] = 2.
 */
static const char *const END_EARLY =
	"	sr r1, local_linear_id\n"	/* 0 */
	"	sr r2, group_linear_id\n"
	"	sr r3, lane_id\n"
	"	shli r4, r3, 3\n"
	"	add r4, r0, r4\n"
	"	li r5, 1\n"
	"	st64 [r4], r5\n"
	"	bne r2, r13, normal\n"
	"	bne r1, r14, normal\n"
	"	end\n"				/* 9 */
	"normal:	barrier\n"		/* 10 */
	"	li r5, 2\n"
	"	st64 [r4], r5\n"
	"	end\n";

static const char *const DIVERGENT =
	"	sr r1, local_linear_id\n"	/* 0 */
	"	andi r1, r1, 1\n"
	"	beq r1, r20, even\n"
	"	barrier\n"			/* 3 */
	"	end\n"
	"even:	barrier\n"			/* 5 */
	"	end\n";

/* ---- scratch memory ------------------------------------------------------------ */

/*
 * Each lane fills its 64 scratch words with lane * 1000 + i, passes a
 * barrier (every lane of the group has written its own), reads them back
 * and stores the number of mismatches at out[lane] (r0), its SCRATCH_SIZE
 * at out[lane + 4096].
 */
static const char *const SCRATCH_FILL =
	"	sr r1, lane_id\n"
	"	li r14, " SCRATCH_IMM "\n"
	"	li r2, 0\n"
	"	li r3, 64\n"
	"fill:	shli r4, r2, 3\n"
	"	add r4, r14, r4\n"
	"	muli r5, r1, 1000\n"
	"	add r5, r5, r2\n"
	"	st64 [r4], r5\n"
	"	addi r2, r2, 1\n"
	"	bltu r2, r3, fill\n"
	"	barrier\n"
	"	li r2, 0\n"
	"	li r6, 0\n"
	"check:	shli r4, r2, 3\n"
	"	add r4, r14, r4\n"
	"	ld64 r7, [r4]\n"
	"	muli r5, r1, 1000\n"
	"	add r5, r5, r2\n"
	"	beq r5, r7, ok\n"
	"	addi r6, r6, 1\n"
	"ok:	addi r2, r2, 1\n"
	"	bltu r2, r3, check\n"
	"	shli r8, r1, 3\n"
	"	add r8, r0, r8\n"
	"	st64 [r8], r6\n"
	"	sr r9, scratch_size\n"
	"	st64 [r8 + 32768], r9\n"
	"	end\n";

/*
 * sum(n) = n + sum(n - 1), sum(0) = 0, recursive, argument and result in
 * r1, stack pointer r31 (from the top of scratch), link register r30.
 * Lane i computes sum(r2 + i % r3) into out[i] (r0).
 */
static const char *const RECURSE =
	"	sr r31, scratch_size\n"
	"	li r14, " SCRATCH_IMM "\n"
	"	add r31, r31, r14\n"
	"	sr r10, lane_id\n"
	"	remu r1, r10, r3\n"
	"	add r1, r1, r2\n"
	"	jal r30, sum\n"
	"	shli r11, r10, 3\n"
	"	add r11, r0, r11\n"
	"	st64 [r11], r1\n"
	"	end\n"
	"sum:	beq r1, r20, ret\n"
	"	addi r31, r31, -16\n"
	"	st64 [r31], r30\n"
	"	st64 [r31 + 8], r1\n"
	"	addi r1, r1, -1\n"
	"	jal r30, sum\n"
	"	ld64 r4, [r31 + 8]\n"
	"	add r1, r1, r4\n"
	"	ld64 r30, [r31]\n"
	"	addi r31, r31, 16\n"
	"ret:	jr r30\n";

/* ---- atomics racing the CPU ------------------------------------------------------ */

/*
 * Global words at r0: [0] AOR64 bit (lane % 32), [1] AAND64 ~bit (lane %
 * 32), [2] AXOR32 lane + 1, [3] AMINU32 lane + 1000, [4] AMAXU32
 * 0x80000000 + lane, [5] AADD64 per group of the local count.
 * Local: [0] AADD32 1, [1] AOR32 bit lid; lane 0 writes both to
 * out[group] (r1) after a barrier.
 */
static const char *const ATOMICS =
	"	sr r2, lane_id\n"
	"	sr r3, local_linear_id\n"
	"	li r15, " LOCAL_IMM "\n"
	"	li r4, 1\n"
	"	andi r5, r2, 31\n"
	"	shl r6, r4, r5\n"
	"	aor64 r7, [r0], r6\n"
	"	xori r6, r6, -1\n"
	"	aand64 r7, [r0 + 8], r6\n"
	"	addi r6, r2, 1\n"
	"	axor32 r7, [r0 + 16], r6\n"
	"	addi r6, r2, 1000\n"
	"	aminu32 r7, [r0 + 24], r6\n"
	"	li r6, 1\n"
	"	shli r6, r6, 31\n"
	"	add r6, r6, r2\n"
	"	amaxu32 r7, [r0 + 32], r6\n"
	"	aadd32 r7, [r15], r4\n"
	"	shl r6, r4, r3\n"
	"	aor32 r7, [r15 + 4], r6\n"
	"	barrier\n"
	"	bne r3, r20, done\n"
	"	ld32 r8, [r15]\n"
	"	aadd64 r7, [r0 + 40], r8\n"
	"	ld32 r9, [r15 + 4]\n"
	"	sr r10, group_linear_id\n"
	"	shli r10, r10, 4\n"
	"	add r10, r1, r10\n"
	"	st64 [r10], r8\n"
	"	st64 [r10 + 8], r9\n"
	"done:	end\n";

#define CPU_ROUNDS	20001	/* odd: the CPU's XOR pattern stays set */
#define CPU_XOR_PATTERN		0x80000001u

static void *cpu_atomics(void *arg)
{
	uint64_t *w = arg;
	uint32_t *w32 = (uint32_t *)w;

	for (uint32_t i = 0; i < CPU_ROUNDS; i++) {
		__atomic_fetch_or(&w[0], 1ull << (32 + i % 32), __ATOMIC_SEQ_CST);
		__atomic_fetch_and(&w[1], ~(1ull << (32 + i % 32)), __ATOMIC_SEQ_CST);
		__atomic_fetch_xor(&w32[4], CPU_XOR_PATTERN, __ATOMIC_SEQ_CST);
		/* AMINU32 and AMAXU32 with CAS loops, as a CPU does them. */
		{
			uint32_t v = 2000 + i, old = __atomic_load_n(&w32[6], __ATOMIC_RELAXED);

			while (v < old && !__atomic_compare_exchange_n(&w32[6], &old, v, false,
							__ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
				;
			v = 0x7fffffff - i;	/* below every GPU value, unsigned */
			old = __atomic_load_n(&w32[8], __ATOMIC_RELAXED);
			while (v > old && !__atomic_compare_exchange_n(&w32[8], &old, v, false,
							__ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
				;
		}
		__atomic_fetch_add(&w[5], 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

/* ---- units of one job on several engines -------------------------------- */

/*
 * r0: 16 bytes per lane (ENGINE_ID, then LANE_ID + 0x100 or 0xdead if the
 * wait gave up); r1: the flag; r2: bound of the wait, in iterations;
 * r3: log2 of the lanes of a unit; r5: the unit that stores the flag (the
 * others wait for it).
 */
static const char *const SPREAD =
	"	sr r16, lane_id\n"
	"	shli r17, r16, 4\n"
	"	add r17, r0, r17\n"
	"	sr r18, engine_id\n"
	"	st64 [r17], r18\n"
	"	shr r19, r16, r3\n"
	"	beq r19, r5, setter\n"
	"	li r21, 0\n"
	"wait:	fence\n"
	"	ld64 r22, [r1]\n"
	"	bne r22, r23, seen\n"
	"	addi r21, r21, 1\n"
	"	bltu r21, r2, wait\n"
	"	li r22, 0xdead\n"
	"	st64 [r17 + 8], r22\n"
	"	end\n"
	"seen:	addi r22, r16, 0x100\n"
	"	st64 [r17 + 8], r22\n"
	"	end\n"
	"setter:	li r22, 1\n"
	"	st64 [r1], r22\n"
	"	fence\n"
	"	addi r22, r16, 0x100\n"
	"	st64 [r17 + 8], r22\n"
	"	end\n";

/* drm-engine-e<engine> of this file's fdinfo, in ns. */
static uint64_t engine_busy_ns(uint32_t engine)
{
	char path[64], key[32], line[256];
	unsigned long long ns = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	snprintf(key, sizeof(key), "drm-engine-e%u:", engine);
	fp = fopen(path, "r");
	igt_assert(fp);
	while (fgets(line, sizeof(line), fp))
		if (!strncmp(line, key, strlen(key)))
			igt_assert_eq(sscanf(line + strlen(key), "%llu", &ns), 1);
	fclose(fp);
	return ns;
}

/*
 * Check the SPREAD output of @lanes lanes in units of @unit_lanes: data of
 * every lane, one engine per unit; returns the engines that ran a unit.
 */
static uint32_t check_spread(const uint64_t *out, uint32_t lanes, uint32_t unit_lanes)
{
	uint32_t ne = vsvm_t_param(fd, DRM_VSVM_PARAM_NUM_ENGINES), seen = 0;

	for (uint32_t l = 0; l < lanes; l++) {
		uint64_t first = out[(l - l % unit_lanes) * 2];

		igt_assert_f(out[l * 2 + 1] == l + 0x100,
			     "lane %u: %#" PRIx64 " (0xdead: its wait for the other unit gave up)\n",
			     l, out[l * 2 + 1]);
		igt_assert_lt_u64(out[l * 2], ne);
		/* Nothing parks here: a unit stays on one engine. */
		igt_assert_eq_u64(out[l * 2], first);
		seen |= 1u << out[l * 2];
	}
	return seen;
}

static void spread_test(bool flat)
{
	struct grid g = { .size = { 4, 1, 1 }, .count = { 2, 1, 1 } };
	uint32_t lanes = flat ? 64 : 8, unit = flat ? 32 : 4, job;
	uint64_t *out = mem, *flag = mem + 256;
	uint64_t a[6] = { vsvm_va(out), vsvm_va(flag), 1u << 22, flat ? 5 : 2, 0, 1 };
	uint64_t busy0[2], busy1[2];
	uint32_t seen;

	igt_require(vsvm_t_param(fd, DRM_VSVM_PARAM_NUM_ENGINES) >= 2);
	memset(mem, 0xff, lanes * 16);
	*flag = 0;
	for (uint32_t e = 0; e < 2; e++)
		busy0[e] = engine_busy_ns(e);
	if (flat)
		job = vsvm_t_submit(fd, vm, 0, SPREAD, lanes, a, 6, 0, NULL, 0);
	else
		job = submit_grid(0, SPREAD, &g, a, 6);
	igt_assert_eq(vsvm_t_wait(fd, job, NULL), DRM_VSVM_JOB_DONE);
	for (uint32_t e = 0; e < 2; e++)
		busy1[e] = engine_busy_ns(e);

	igt_assert_eq_u64(*flag, 1);
	seen = check_spread(out, lanes, unit);
	igt_assert_f(seen == 3, "units ran on engines %#x, not on 0 and 1\n", seen);
	igt_assert_lt_u64(busy0[0], busy1[0]);
	igt_assert_lt_u64(busy0[1], busy1[1]);
}

/* 403 instructions per lane: li, li, 200 x (addi, bltu), end. */
static const char *const COUNT400 =
	"	li r1, 0\n"
	"	li r2, 200\n"
	"loop:	addi r1, r1, 1\n"
	"	bltu r1, r2, loop\n"
	"	end\n";
#define COUNT400_INSNS	403

static uint32_t submit_flat_budget(const char *src, uint32_t lanes, uint64_t budget)
{
	struct vsvm_exec_args a = {
		.vm_id = vm, .invocations = lanes, .budget = budget,
	};

	return vsvm_t_exec(fd, &a, src);
}

/* ---- the uAPI 1.1 argument ----------------------------------------------------- */

struct exec_v1 {
	uint8_t bytes[DRM_VSVM_EXEC_SIZE_V1];
};

#define DRM_IOCTL_VSVM_EXEC_V1 \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_EXEC, struct exec_v1)

igt_main
{
	igt_fixture {
		fd = vsvm_t_open(0);
		igt_require_f(vsvm_t_param(fd, DRM_VSVM_PARAM_ISA_VERSION) >= 3,
			      "ISA version 3 needed\n");
		vm = vsvm_t_vm(fd);
		mem = vsvm_t_mmap_aligned(MEM_SIZE, SZ_2M, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS);
		vsvm_t_mirror(fd, vm, mem, MEM_SIZE);
	}

	igt_describe("Every lane of a 1-D grid writes its ids; all match.");
	igt_subtest("ids-1d") {
		struct grid g = {
			.size = { 8, 1, 1 }, .count = { 5, 1, 1 },
			.offset = { 100, 0, 0 },
		};

		check_ids(&g);
	}

	igt_describe("Every lane of a 2-D grid writes its ids; all match.");
	igt_subtest("ids-2d") {
		struct grid g = {
			.size = { 4, 3, 1 }, .count = { 3, 2, 1 },
			.offset = { 7, 1ull << 33, 0 },
		};

		check_ids(&g);
	}

	igt_describe("Every lane of a 3-D grid writes its ids; all match.");
	igt_subtest("ids-3d") {
		struct grid g = {
			.size = { 2, 3, 4 }, .count = { 2, 2, 3 },
			.offset = { 1, 2, 3 },
		};

		check_ids(&g);
	}

	igt_describe("A flat job reads as groups of one lane and may use scratch.");
	igt_subtest("flat-job-ids") {
		const char *prog =
			"	sr r1, lane_id\n"
			"	li r14, " SCRATCH_IMM "\n"
			"	st64 [r14 + 56], r1\n"	/* last scratch word */
			"	barrier\n"
			"	ld64 r2, [r14 + 56]\n"
			"	sr r3, group_id_x\n"
			"	sr r4, group_count_x\n"
			"	sr r5, local_id_x\n"
			"	sr r6, group_size_x\n"
			"	shli r7, r1, 5\n"
			"	add r7, r0, r7\n"
			"	st64 [r7], r2\n"
			"	st64 [r7 + 8], r3\n"
			"	add r4, r4, r5\n"
			"	st64 [r7 + 16], r4\n"
			"	st64 [r7 + 24], r6\n"
			"	end\n";
		struct vsvm_exec_args a = {
			.vm_id = vm, .invocations = 40, .scratch_size = 64,
			.args = { vsvm_va(mem) },
		};
		struct vsvm_prog p;
		uint32_t job;

		memset(mem, 0xff, 40 * 32);
		vsvm_t_asm(&p, prog);
		a.program = p.insns;
		a.program_size = p.count;
		igt_assert_eq(vsvm_exec(fd, &a, &job), 0);
		vsvm_prog_fini(&p);
		igt_assert_eq(vsvm_t_wait(fd, job, NULL), DRM_VSVM_JOB_DONE);
		for (int i = 0; i < 40; i++) {
			igt_assert_eq_u64(mem[i * 4], i);
			igt_assert_eq_u64(mem[i * 4 + 1], i);
			igt_assert_eq_u64(mem[i * 4 + 2], 40);
			igt_assert_eq_u64(mem[i * 4 + 3], 1);
		}
	}

	igt_describe("An EXEC argument of the uAPI 1.1 size still runs a flat job.");
	igt_subtest("exec-v1-struct") {
		struct drm_vsvm_exec x;
		struct exec_v1 v1;
		struct vsvm_prog p;

		vsvm_t_asm(&p, VSVM_T_PROG_STORE);
		memset(&x, 0, sizeof(x));
		x.vm_id = vm;
		x.program_ptr = vsvm_va(p.insns);
		x.program_size = p.count;
		x.invocations = 10;
		x.args[0] = vsvm_va(mem);
		x.args[1] = 0x5000;
		memcpy(v1.bytes, &x, sizeof(v1.bytes));
		memset(mem, 0, 11 * 8);
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_EXEC_V1, &v1), 0);
		memcpy(&x, v1.bytes, sizeof(v1.bytes));
		igt_assert_neq(x.job_id, 0);
		igt_assert_eq(vsvm_t_wait(fd, x.job_id, NULL), DRM_VSVM_JOB_DONE);
		for (int i = 0; i < 10; i++)
			igt_assert_eq_u64(mem[i], 0x5000 + i);
		igt_assert_eq_u64(mem[10], 0);
		vsvm_prog_fini(&p);
	}

	igt_describe("64 groups each see zeroed local memory, their own writes and atomics.");
	igt_subtest("local-isolation") {
		struct grid g = { .size = { 32, 1, 1 }, .count = { 64, 1, 1 }, .local = 264 };
		uint64_t a[1] = { vsvm_va(mem) };

		memset(mem, 0xff, 64 * 32 * 32);
		run_grid_ok(LOCAL_ISO, &g, a, 1);
		for (uint32_t grp = 0; grp < 64; grp++)
			for (uint32_t l = 0; l < 32; l++) {
				uint64_t *r = mem + (grp * 32 + l) * 4;

				igt_assert_f(r[0] == 0,
					     "group %u lane %u: local not zero (%#" PRIx64 ")\n",
					     grp, l, r[0]);
				igt_assert_eq_u64(r[1], grp + 1);
				igt_assert_eq_u64(r[2], 32);
				igt_assert_eq_u64(r[3], 1);
			}
	}

	igt_describe("Tree reductions with barriers, 128 groups of 64 lanes on every engine.");
	igt_subtest("barrier-reduction") {
		uint32_t ne = vsvm_t_param(fd, DRM_VSVM_PARAM_NUM_ENGINES), jobs[8];
		struct grid g = { .size = { 64, 1, 1 }, .count = { 128, 1, 1 }, .local = 512 };
		const uint64_t per = 64 * 128;	/* inputs per engine */

		igt_assert_lte_u64(ne * (per + 128) * 8, MEM_SIZE);
		for (uint64_t i = 0; i < ne * per; i++)
			mem[i] = vsvm_t_pattern(11, i) >> 8;
		memset(mem + ne * per, 0xff, ne * 128 * 8);
		for (uint32_t e = 0; e < ne; e++) {
			uint64_t a[14] = { vsvm_va(mem + e * per) };

			a[13] = vsvm_va(mem + ne * per + e * 128);
			jobs[e] = submit_grid(e, REDUCE, &g, a, 14);
		}
		for (uint32_t e = 0; e < ne; e++)
			igt_assert_eq(vsvm_t_wait(fd, jobs[e], NULL), DRM_VSVM_JOB_DONE);
		for (uint32_t e = 0; e < ne; e++)
			for (uint32_t grp = 0; grp < 128; grp++) {
				uint64_t want = 0;

				for (uint32_t l = 0; l < 64; l++)
					want += mem[e * per + grp * 64 + l];
				igt_assert_eq_u64(mem[ne * per + e * 128 + grp], want);
			}
	}

	igt_describe("Reductions in groups of the largest size, through GPU faults.");
	igt_subtest("barrier-max-group") {
		uint32_t lanes = vsvm_t_param(fd, DRM_VSVM_PARAM_MAX_GROUP_LANES);
		struct grid g = { .size = { lanes, 1, 1 }, .count = { 4, 1, 1 },
				  .local = lanes * 8 };
		uint64_t *in, *out, a[14] = { 0 };
		uint64_t size = 4 * lanes * 8 + SZ_4K;

		igt_require(lanes >= 2 && (lanes & (lanes - 1)) == 0);
		igt_require(lanes * 8 <= vsvm_t_param(fd, DRM_VSVM_PARAM_MAX_LOCAL_MEM));
		/* A fresh mirror: every page the lanes read faults in. */
		in = vsvm_t_mmap_aligned(size, SZ_4K, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS);
		vsvm_t_mirror(fd, vm, in, size);
		out = in + 4 * lanes;
		for (uint64_t i = 0; i < 4ull * lanes; i++)
			in[i] = vsvm_t_pattern(12, i);
		a[0] = vsvm_va(in);
		a[13] = vsvm_va(out);
		run_grid_ok(REDUCE, &g, a, 14);
		for (uint32_t grp = 0; grp < 4; grp++) {
			uint64_t want = 0;

			for (uint32_t l = 0; l < lanes; l++)
				want += in[grp * lanes + l];
			igt_assert_eq_u64(out[grp], want);
		}
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(in), size), 0);
		vsvm_t_munmap_aligned(in, size);
	}

	igt_describe("END while the group waits at a barrier: EXCEPTION, no hang.");
	igt_subtest("barrier-end-exception") {
		struct grid g = { .size = { 16, 1, 1 }, .count = { 4, 1, 1 } };
		struct drm_vsvm_job_status st;
		uint64_t a[15] = { vsvm_va(mem) };

		/* Lane 5 of group 2 ends; the lane reported is in group 2. */
		a[13] = 2;
		a[14] = 5;
		memset(mem, 0, 64 * 8);
		igt_assert_eq(run_grid(END_EARLY, &g, a, 15, &st), DRM_VSVM_JOB_EXCEPTION);
		igt_assert_eq_u32(st.fault_reason, DRM_VSVM_EXC_BARRIER_END);
		igt_assert_eq_u32(st.fault_lane / 16, 2);
		igt_assert_f(st.fault_pc == 9 || st.fault_pc == 10, "pc %u\n", st.fault_pc);
		/*
		 * Groups run on every idle engine at once: the others may have
		 * completed (2), be stopped anywhere (0, 1 or 2) or not have
		 * started (0); no lane of group 2 passed its barrier.
		 */
		for (int i = 0; i < 64; i++)
			igt_assert_lte_u64(mem[i], 2);
		for (int i = 32; i < 48; i++)
			igt_assert_lte_u64(mem[i], 1);
		igt_assert_eq_u64(mem[32 + 5], 1);

		/* The engine runs the next job. */
		a[13] = 99;
		run_grid_ok(END_EARLY, &g, a, 15);
		for (int i = 0; i < 64; i++)
			igt_assert_eq_u64(mem[i], 2);
	}

	igt_describe("Lanes at different barriers: EXCEPTION (divergent).");
	igt_subtest("barrier-divergent-exception") {
		struct grid g = { .size = { 8, 2, 1 }, .count = { 3, 1, 1 } };
		struct drm_vsvm_job_status st;

		igt_assert_eq(run_grid(DIVERGENT, &g, NULL, 0, &st), DRM_VSVM_JOB_EXCEPTION);
		igt_assert_eq_u32(st.fault_reason, DRM_VSVM_EXC_BARRIER_DIVERGENT);
		/* Every group diverges; whichever engine sees it first reports. */
		igt_assert_lt_u64(st.fault_lane, 48);
		igt_assert_f(st.fault_pc == 3 || st.fault_pc == 5, "pc %u\n", st.fault_pc);
	}

	igt_describe("Every lane keeps its own scratch memory across a barrier.");
	igt_subtest("scratch-isolation") {
		struct grid g = { .size = { 32, 1, 1 }, .count = { 8, 1, 1 }, .scratch = 512 };
		uint64_t a[1] = { vsvm_va(mem) };

		memset(mem, 0xff, 40960);
		run_grid_ok(SCRATCH_FILL, &g, a, 1);
		for (int i = 0; i < 256; i++) {
			igt_assert_eq_u64(mem[i], 0);
			igt_assert_eq_u64(mem[4096 + i], 512);
		}
	}

	igt_describe("A store past the scratch size faults with OUT_OF_BOUNDS.");
	igt_subtest("scratch-out-of-bounds") {
		const char *prog =
			"	li r14, " SCRATCH_IMM "\n"
			"	li r1, 7\n"
			"	st64 [r14 + 248], r1\n"
			"	st64 [r14 + 256], r1\n"
			"	end\n";
		struct grid g = { .size = { 4, 1, 1 }, .count = { 2, 1, 1 }, .scratch = 256 };
		struct drm_vsvm_job_status st;

		igt_assert_eq(run_grid(prog, &g, NULL, 0, &st), DRM_VSVM_JOB_FAULTED);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_OUT_OF_BOUNDS,
				    DRM_VSVM_ISA_SCRATCH_BASE + 256, DRM_VSVM_ACCESS_WRITE);
		igt_assert_eq_u32(st.fault_pc, 3);
	}

	igt_describe("Recursion through JAL/JR with its stack in scratch memory.");
	igt_subtest("recursion") {
		/* 16 bytes per frame: 64 frames in 1 KiB. */
		struct grid g = { .size = { 32, 1, 1 }, .count = { 4, 1, 1 }, .scratch = 1024 };
		struct drm_vsvm_job_status st;
		uint64_t a[4] = { vsvm_va(mem), 0, 10, 55 };	/* n = 10 + lane % 55 */

		memset(mem, 0xff, 128 * 8);
		run_grid_ok(RECURSE, &g, a, 4);
		for (uint64_t i = 0; i < 128; i++) {
			uint64_t n = 10 + i % 55;

			igt_assert_eq_u64(mem[i], n * (n + 1) / 2);
		}

		/* 65 frames do not fit: a fault, not a hang or corruption. */
		a[2] = 65;
		a[3] = 1;
		igt_assert_eq(run_grid(RECURSE, &g, a, 4, &st), DRM_VSVM_JOB_FAULTED);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_OUT_OF_BOUNDS,
				    DRM_VSVM_ISA_SCRATCH_BASE - 16, DRM_VSVM_ACCESS_WRITE);
	}

	igt_describe("Two work-groups of one job run on two engines at once.");
	igt_subtest("spread-groups")
		spread_test(false);

	igt_describe("Two waves of one flat job run on two engines at once.");
	igt_subtest("spread-flat-waves")
		spread_test(true);

	igt_describe("An engine running another engine's group runs its own job first.");
	igt_subtest("spread-own-job-first") {
		struct grid g = { .size = { 4, 1, 1 }, .count = { 2, 1, 1 } };
		uint64_t *out = mem, *flag = mem + 256, *own = mem + 264;
		/* No unit stores the flag: the CPU does. */
		uint64_t a[6] = { vsvm_va(out), vsvm_va(flag), 1ull << 40, 2, 0, ~0ull };
		uint64_t b[2] = { vsvm_va(own), 0x5e1f };
		struct drm_vsvm_job_status st;
		uint32_t job, mine, seen = 0;

		igt_require(vsvm_t_param(fd, DRM_VSVM_PARAM_NUM_ENGINES) >= 2);
		memset(mem, 0xff, 8 * 16);
		*flag = 0;
		*own = 0;
		job = submit_grid(0, SPREAD, &g, a, 6);
		/* Both groups wrote their ENGINE_ID: engine 1 runs one. */
		for (int i = 0; i < 30000; i++) {
			seen = 0;
			for (uint32_t l = 0; l < 8; l += 4)
				if (__atomic_load_n(&out[l * 2], __ATOMIC_ACQUIRE) < 8)
					seen |= 1u << __atomic_load_n(&out[l * 2], __ATOMIC_ACQUIRE);
			if (seen == 3)
				break;
			usleep(1000);
		}
		igt_assert_f(seen == 3, "the groups did not run on engines 0 and 1 (%#x)\n", seen);

		mine = vsvm_t_submit(fd, vm, 1, VSVM_T_PROG_ST64_AT, 1, b, 2, 0, NULL, 0);
		igt_assert_eq(vsvm_t_wait(fd, mine, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(*own, 0x5e1f);
		/* The groups still spin: nothing has stored the flag. */
		igt_assert_eq(vsvm_t_job_status(fd, job, 0, &st), 0);
		igt_assert_eq(st.state, DRM_VSVM_JOB_QUEUED);

		__atomic_store_n(flag, 1, __ATOMIC_RELEASE);
		igt_assert_eq(vsvm_t_wait(fd, job, NULL), DRM_VSVM_JOB_DONE);
		for (uint32_t l = 0; l < 8; l++) {
			igt_assert_eq_u64(out[l * 2 + 1], l + 0x100);
			igt_assert_lt_u64(out[l * 2], 2);
		}
	}

	igt_describe("A spread job's shared budget ends it exactly as on one engine.");
	igt_subtest("spread-budget") {
		const uint64_t need = 256ull * COUNT400_INSNS;
		struct drm_vsvm_job_status st;
		uint32_t job;

		job = submit_flat_budget(COUNT400, 256, need);
		igt_assert_eq(vsvm_t_wait(fd, job, &st), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(st.instructions, need);
		job = submit_flat_budget(COUNT400, 256, need - 1000);
		igt_assert_eq(vsvm_t_wait(fd, job, &st), DRM_VSVM_JOB_BUDGET);
		igt_assert_eq_u64(st.instructions, need - 1000);
	}

	igt_describe("v3 atomics on global and local memory racing CPU atomics.");
	igt_subtest("atomics-race-cpu") {
		struct grid g = { .size = { 32, 1, 1 }, .count = { 32, 1, 1 }, .local = 8 };
		uint64_t *w = mem, *out = mem + 64;
		uint32_t *w32 = (uint32_t *)w, xor = 0;
		uint64_t a[2] = { vsvm_va(w), vsvm_va(out) };
		pthread_t thr;
		uint32_t job;

		memset(mem, 0, 64 * 8 + 32 * 16);
		w[1] = ~0ull;
		w32[6] = 0xffffffff;
		/* Make the words resident so that the job starts at once. */
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_LD64_AT, 1, (uint64_t[]){ vsvm_va(w),
			      vsvm_va(w + 7) }, 2);
		igt_assert_eq(pthread_create(&thr, NULL, cpu_atomics, w), 0);
		job = submit_grid(0, ATOMICS, &g, a, 2);
		igt_assert_eq(vsvm_t_wait(fd, job, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq(pthread_join(thr, NULL), 0);

		for (uint32_t i = 0; i < 1024; i++)
			xor ^= i + 1;
		igt_assert_eq_u64(w[0], ~0ull);
		igt_assert_eq_u64(w[1], 0);
		igt_assert_eq_u32(w32[4], xor ^ CPU_XOR_PATTERN);
		igt_assert_eq_u32(w32[5], 0);
		igt_assert_eq_u32(w32[6], 1000);
		igt_assert_eq_u32(w32[8], 0x80000000u + 1023);
		igt_assert_eq_u64(w[5], 1024 + CPU_ROUNDS);
		for (int grp = 0; grp < 32; grp++) {
			igt_assert_eq_u64(out[grp * 2], 32);
			igt_assert_eq_u64(out[grp * 2 + 1], 0xffffffffull);
		}
	}

	igt_fixture {
		vsvm_t_munmap_aligned(mem, MEM_SIZE);
		close(fd);
	}
}
