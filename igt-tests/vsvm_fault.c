// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm fault
 * Category: Core
 * Mega feature: SVM
 * Sub-category: GPU page faults
 * Functionality: recoverable and unrecoverable GPU faults, snapshot mode
 * Description: GPU page faults: fault mode populates CPU memory, snapshot
 *		mode only takes what the CPU has, recoverable faults are
 *		counted and replayed exactly once, unrecoverable faults end the
 *		job with the exact address, access, lane, pc and reason.
 *
 * SUBTEST: fault-mode-populates
 * Description: GPU accesses to never-touched memory fault it in; the CPU sees the GPU's data.
 *
 * SUBTEST: snapshot-populated
 * Description: A snapshot mirror of CPU-populated memory works like a fault-mode one.
 *
 * SUBTEST: snapshot-unpopulated
 * Description: A snapshot mirror faults NOT_PRESENT on an unpopulated page and does not populate it.
 *
 * SUBTEST: snapshot-partial
 * Description: With some pages populated, the job stops at the first missing one.
 *
 * SUBTEST: snapshot-then-populate
 * Description: After the CPU populates the page, the same snapshot mirror works.
 *
 * SUBTEST: snapshot-prefetch
 * Description: PREFETCH with SNAPSHOT takes only CPU-mapped pages, reporting NOT_PRESENT for the rest.
 *
 * SUBTEST: recoverable-faults-counted
 * Description: The first job over new memory takes faults; a second over the same pages none.
 *
 * SUBTEST: replay-exactly-once
 * Description: A faulting atomic is replayed once: every counter ends at exactly 1.
 *
 * SUBTEST: many-pages
 * Description: 2 MiB of fresh pages touched by 16 lanes, faults coalesced (fewer faults than pages).
 *
 * SUBTEST: record-%s
 * Description: An unrecoverable fault in one lane reports address, access, lane, pc and reason.
 *
 * arg[1]:
 *
 * @read:	a load
 * @write:	a store
 * @atomic:	an atomic add
 *
 * SUBTEST: not-mirrored-null
 * Description: A store to address 0 faults NOT_MIRRORED at 0.
 *
 * SUBTEST: no-vma
 * Description: A mirrored page whose VMA is gone faults NO_VMA.
 *
 * SUBTEST: sigbus
 * Description: A file mapping beyond the end of the file faults CPU_FAULT.
 *
 * SUBTEST: alignment-%s
 * Description: A misaligned access faults ALIGNMENT at its exact address.
 *
 * arg[1]:
 *
 * @ld16:	2-byte load at an odd address
 * @ld32:	4-byte load at +2
 * @ld64:	8-byte load at +4
 * @st32:	4-byte store at +1
 * @st64:	8-byte store at +4
 * @aadd32:	4-byte atomic at +2
 * @aadd64:	8-byte atomic at +4
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: GPU page faults, snapshot and fault modes.");

#define TMPFS_MAGIC_	0x01021994

static int fd = -1;
static uint32_t vm;

static void *fresh(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	return p;
}

static bool resident(const void *p)
{
	unsigned char v = 0;

	igt_assert_eq(mincore((void *)p, SZ_4K, &v), 0);
	return v & 1;
}

static const char *const record_names[] = { "read", "write", "atomic" };

static void record_case(int kind)
{
	static const char *const progs[] = {
		"	sr r4, lane_id\n"
		"	bne r4, r2, skip\n"
		"	ld64 r5, [r0 + 16]\n"
		"skip:	end\n",
		"	sr r4, lane_id\n"
		"	bne r4, r2, skip\n"
		"	st64 [r0 + 16], r4\n"
		"skip:	end\n",
		"	sr r4, lane_id\n"
		"	bne r4, r2, skip\n"
		"	aadd64 r5, [r0 + 16], r4\n"
		"skip:	end\n",
	};
	static const uint32_t access[] = {
		DRM_VSVM_ACCESS_READ, DRM_VSVM_ACCESS_WRITE,
		DRM_VSVM_ACCESS_ATOMIC,
	};
	struct drm_vsvm_job_status st;
	/* An address mirrored by nobody. */
	uint64_t args[3] = { 0x5000000000ull, 0, 37 };

	vsvm_t_run(fd, vm, progs[kind], 64, args, 3, &st);
	vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NOT_MIRRORED,
			    0x5000000000ull + 16, access[kind]);
	igt_assert_eq_u32(st.fault_lane, 37);
	igt_assert_eq_u32(st.fault_pc, 2);
}

struct align_case {
	const char *name;
	const char *prog;
	uint32_t off;
	uint32_t access;
};

static const struct align_case aligns[] = {
	{ "ld16", "ld16 r5, [r0]\nend\n", 1, DRM_VSVM_ACCESS_READ },
	{ "ld32", "ld32 r5, [r0]\nend\n", 2, DRM_VSVM_ACCESS_READ },
	{ "ld64", "ld64 r5, [r0]\nend\n", 4, DRM_VSVM_ACCESS_READ },
	{ "st32", "st32 [r0], r1\nend\n", 1, DRM_VSVM_ACCESS_WRITE },
	{ "st64", "st64 [r0], r1\nend\n", 4, DRM_VSVM_ACCESS_WRITE },
	{ "aadd32", "aadd32 r5, [r0], r1\nend\n", 2, DRM_VSVM_ACCESS_ATOMIC },
	{ "aadd64", "aadd64 r5, [r0], r1\nend\n", 4, DRM_VSVM_ACCESS_ATOMIC },
};

static void align_case(const struct align_case *c)
{
	uint8_t *p = fresh(SZ_4K);
	struct drm_vsvm_job_status st;
	uint64_t args[2];

	memset(p, 0x3a, SZ_4K);
	vsvm_t_mirror(fd, vm, p, SZ_4K);
	args[0] = vsvm_va(p + 64 + c->off);
	args[1] = 0x0101010101010101ull;
	vsvm_t_run(fd, vm, c->prog, 1, args, 2, &st);
	vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_ALIGNMENT, args[0], c->access);
	igt_assert_eq_u32(st.fault_pc, 0);
	for (unsigned int i = 0; i < SZ_4K; i++)
		igt_assert_eq(p[i], 0x3a);
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K), 0);
	munmap(p, SZ_4K);
}

igt_main
{
	igt_fixture {
		fd = vsvm_t_open(0);
		vm = vsvm_t_vm(fd);
	}

	igt_describe("GPU accesses to never-touched memory fault it in.");
	igt_subtest("fault-mode-populates") {
		const uint64_t n = 16;
		uint64_t *p = fresh(n * SZ_4K);
		uint64_t args[3] = { vsvm_va(p), 0x600d, n };
		struct drm_vsvm_job_status st;

		for (uint64_t i = 0; i < n; i++)
			igt_assert(!resident((uint8_t *)p + i * SZ_4K));
		vsvm_t_mirror(fd, vm, p, n * SZ_4K);
		igt_assert_eq(vsvm_t_run(fd, vm, VSVM_T_PROG_TOUCH_PAGES, 4,
					 args, 3, &st), DRM_VSVM_JOB_DONE);
		igt_assert_lt_u64(0, st.faults);
		for (uint64_t i = 0; i < n; i++) {
			igt_assert(resident((uint8_t *)p + i * SZ_4K));
			igt_assert_eq_u64(p[i * 512], 0x600d);
			igt_assert_eq_u64(p[i * 512 + 1], 0);
		}
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), n * SZ_4K), 0);
		munmap(p, n * SZ_4K);
	}

	igt_describe("A snapshot mirror of CPU-populated memory works.");
	igt_subtest("snapshot-populated") {
		uint64_t *p = fresh(8 * SZ_4K);

		vsvm_t_fill(p, 8 * SZ_4K, 1);
		vsvm_t_mirror_flags(fd, vm, p, 8 * SZ_4K, DRM_VSVM_BIND_SNAPSHOT);
		vsvm_t_roundtrip(fd, vm, p, 8 * SZ_4K, 1);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 8 * SZ_4K), 0);
		munmap(p, 8 * SZ_4K);
	}

	igt_describe("A snapshot mirror faults NOT_PRESENT on an unpopulated page.");
	igt_subtest("snapshot-unpopulated") {
		uint64_t *p = fresh(4 * SZ_4K);
		uint64_t args[2] = { vsvm_va(p + 512 + 3), 5 };
		struct drm_vsvm_job_status st;

		vsvm_t_mirror_flags(fd, vm, p, 4 * SZ_4K, DRM_VSVM_BIND_SNAPSHOT);
		vsvm_t_run(fd, vm, VSVM_T_PROG_ST64_AT, 1, args, 2, &st);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NOT_PRESENT, args[0],
				    DRM_VSVM_ACCESS_WRITE);
		/* Snapshot mode never faults CPU pages in. */
		for (int i = 0; i < 4; i++)
			igt_assert(!resident((uint8_t *)p + i * SZ_4K));
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
		munmap(p, 4 * SZ_4K);
	}

	igt_describe("With some pages populated, the job stops at the first missing one.");
	igt_subtest("snapshot-partial") {
		uint64_t *p = fresh(4 * SZ_4K);
		uint64_t args[3] = { vsvm_va(p), 1, 4 };
		struct drm_vsvm_job_status st;

		p[0] = 10;
		p[2 * 512] = 30;
		vsvm_t_mirror_flags(fd, vm, p, 4 * SZ_4K, DRM_VSVM_BIND_SNAPSHOT);
		/* One lane, pages in order: page 0 done, page 1 missing. */
		vsvm_t_run(fd, vm, VSVM_T_PROG_TOUCH_PAGES, 1, args, 3, &st);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NOT_PRESENT,
				    vsvm_va(p + 512), DRM_VSVM_ACCESS_READ);
		igt_assert_eq_u64(p[0], 11);
		igt_assert_eq_u64(p[2 * 512], 30);
		igt_assert(!resident(p + 512));
		igt_assert(!resident(p + 3 * 512));
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
		munmap(p, 4 * SZ_4K);
	}

	igt_describe("After the CPU populates the page, the snapshot mirror works.");
	igt_subtest("snapshot-then-populate") {
		uint64_t *p = fresh(SZ_4K);
		uint64_t args[2] = { vsvm_va(p + 9), 0x77 };
		struct drm_vsvm_job_status st;

		vsvm_t_mirror_flags(fd, vm, p, SZ_4K, DRM_VSVM_BIND_SNAPSHOT);
		vsvm_t_run(fd, vm, VSVM_T_PROG_ST64_AT, 1, args, 2, &st);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NOT_PRESENT, args[0],
				    DRM_VSVM_ACCESS_WRITE);
		p[0] = 1;
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_ST64_AT, 1, args, 2);
		igt_assert_eq_u64(p[9], 0x77);
		igt_assert_eq_u64(p[0], 1);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K), 0);
		munmap(p, SZ_4K);
	}

	igt_describe("PREFETCH with SNAPSHOT takes only CPU-mapped pages.");
	igt_subtest("snapshot-prefetch") {
		uint64_t *p = fresh(4 * SZ_4K);
		uint8_t status[4];
		uint64_t done = 0, failed = 0;
		uint32_t *f;

		p[0] = 1;
		p[3 * 512] = 1;
		vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
		memset(status, 0xee, sizeof(status));
		igt_assert_eq(vsvm_prefetch(fd, vm, vsvm_va(p), 4 * SZ_4K,
					    DRM_VSVM_BIND_SNAPSHOT, status,
					    &done, &failed), 0);
		igt_assert_eq(status[0], DRM_VSVM_PAGE_OK);
		igt_assert_eq(status[1], DRM_VSVM_PAGE_NOT_PRESENT);
		igt_assert_eq(status[2], DRM_VSVM_PAGE_NOT_PRESENT);
		igt_assert_eq(status[3], DRM_VSVM_PAGE_OK);
		igt_assert_eq_u64(done, 2);
		igt_assert_eq_u64(failed, 2);
		igt_assert(!resident(p + 512));
		f = vsvm_t_query_range(fd, vm, p, 4);
		igt_assert(f[0] & DRM_VSVM_QUERY_GPU_MAPPED);
		igt_assert(!(f[1] & DRM_VSVM_QUERY_GPU_MAPPED));
		igt_assert(f[3] & DRM_VSVM_QUERY_GPU_MAPPED);
		free(f);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
		munmap(p, 4 * SZ_4K);
	}

	igt_describe("Faults are counted per job; a mapped range takes none.");
	igt_subtest("recoverable-faults-counted") {
		uint64_t *p = fresh(8 * SZ_4K);
		uint64_t args[3] = { vsvm_va(p), 1, 8 };
		struct drm_vsvm_job_status st;

		vsvm_t_mirror(fd, vm, p, 8 * SZ_4K);
		igt_assert_eq(vsvm_t_run(fd, vm, VSVM_T_PROG_TOUCH_PAGES, 8,
					 args, 3, &st), DRM_VSVM_JOB_DONE);
		igt_assert_lt_u64(0, st.faults);
		igt_assert_lte_u64(st.faults, 8 * 2);
		igt_assert_eq(vsvm_t_run(fd, vm, VSVM_T_PROG_TOUCH_PAGES, 8,
					 args, 3, &st), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(st.faults, 0);
		for (int i = 0; i < 8; i++)
			igt_assert_eq_u64(p[i * 512], 2);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 8 * SZ_4K), 0);
		munmap(p, 8 * SZ_4K);
	}

	igt_describe("A faulting atomic is replayed once: every counter ends at 1.");
	igt_subtest("replay-exactly-once") {
		const char *prog =
			"	sr r4, lane_id\n"
			"	shli r5, r4, 12\n"
			"	add r5, r0, r5\n"
			"	li r6, 1\n"
			"	aadd64 r7, [r5], r6\n"
			"	end\n";
		uint64_t *p = fresh(64 * SZ_4K);
		uint64_t args[1] = { vsvm_va(p) };
		struct drm_vsvm_job_status st;

		vsvm_t_mirror(fd, vm, p, 64 * SZ_4K);
		igt_assert_eq(vsvm_t_run(fd, vm, prog, 64, args, 1, &st),
			      DRM_VSVM_JOB_DONE);
		igt_assert_lt_u64(0, st.faults);
		for (int i = 0; i < 64; i++)
			igt_assert_eq_u64(p[i * 512], 1);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 64 * SZ_4K), 0);
		munmap(p, 64 * SZ_4K);
	}

	igt_describe("2 MiB of fresh pages touched by 16 lanes; faults coalesced.");
	igt_subtest("many-pages") {
		const uint64_t n = SZ_2M / SZ_4K;
		uint8_t *p = vsvm_t_mmap_aligned(SZ_2M, SZ_2M,
						 PROT_READ | PROT_WRITE,
						 MAP_PRIVATE | MAP_ANONYMOUS);
		uint64_t args[3] = { vsvm_va(p), 3, n };
		struct drm_vsvm_job_status st;

		madvise(p, SZ_2M, MADV_NOHUGEPAGE);
		vsvm_t_mirror(fd, vm, p, SZ_2M);
		igt_assert_eq(vsvm_t_run(fd, vm, VSVM_T_PROG_TOUCH_PAGES, 16,
					 args, 3, &st), DRM_VSVM_JOB_DONE);
		igt_info("%" PRIu64 " pages, %llu faults\n", n,
			 (unsigned long long)st.faults);
		igt_assert_lt_u64(0, st.faults);
		igt_assert_lt_u64(st.faults, n);
		for (uint64_t i = 0; i < n; i++)
			igt_assert_eq_u64(*(uint64_t *)(p + i * SZ_4K), 3);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_2M), 0);
		vsvm_t_munmap_aligned(p, SZ_2M);
	}

	for (int k = 0; k < 3; k++) {
		igt_describe("An unrecoverable fault reports address, access, lane, pc, reason.");
		igt_subtest_f("record-%s", record_names[k])
			record_case(k);
	}

	igt_describe("A store to address 0 faults NOT_MIRRORED at 0.");
	igt_subtest("not-mirrored-null") {
		uint64_t args[2] = { 0, 1 };
		struct drm_vsvm_job_status st;

		vsvm_t_run(fd, vm, VSVM_T_PROG_ST64_AT, 1, args, 2, &st);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NOT_MIRRORED, 0,
				    DRM_VSVM_ACCESS_WRITE);
	}

	igt_describe("A mirrored page whose VMA is gone faults NO_VMA.");
	igt_subtest("no-vma") {
		uint64_t *p = fresh(4 * SZ_4K);
		uint64_t args[2] = { vsvm_va(p + 2 * 512 + 1), 0 };
		struct drm_vsvm_job_status st;

		vsvm_t_fill(p, 4 * SZ_4K, 3);
		vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
		igt_assert_eq(munmap(p + 2 * 512, SZ_4K), 0);
		args[1] = vsvm_va(p);
		vsvm_t_run(fd, vm, VSVM_T_PROG_LD64_AT, 1, args, 2, &st);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NO_VMA,
				    vsvm_va(p + 2 * 512 + 1),
				    DRM_VSVM_ACCESS_READ);
		igt_assert_eq_u64(p[0], vsvm_t_pattern(3, 0));
		/* The rest of the mirror still works. */
		vsvm_t_roundtrip(fd, vm, p + 3 * 512, SZ_4K, 4);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
		munmap(p, 4 * SZ_4K);
	}

	igt_describe("A file mapping beyond the end of the file faults CPU_FAULT.");
	igt_subtest("sigbus") {
		char path[] = "/mnt/tmpfs/vsvm-sigbus-XXXXXX";
		struct drm_vsvm_job_status st;
		uint64_t *p, args[2];
		int f;

		igt_require(vsvm_t_fs_is("/mnt/tmpfs", TMPFS_MAGIC_));
		f = mkstemp(path);
		igt_assert(f >= 0);
		unlink(path);
		igt_assert_eq(ftruncate(f, SZ_4K), 0);
		p = mmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
		igt_assert(p != MAP_FAILED);
		p[0] = 0x1111;
		vsvm_t_mirror(fd, vm, p, 2 * SZ_4K);
		args[0] = vsvm_va(p + 512);
		args[1] = 2;
		vsvm_t_run(fd, vm, VSVM_T_PROG_ST64_AT, 1, args, 2, &st);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_CPU_FAULT, args[0],
				    DRM_VSVM_ACCESS_WRITE);
		/* The page inside the file still works. */
		args[0] = vsvm_va(p + 1);
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_ST64_AT, 1, args, 2);
		igt_assert_eq_u64(p[1], 2);
		igt_assert_eq_u64(p[0], 0x1111);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 2 * SZ_4K), 0);
		munmap(p, 2 * SZ_4K);
		close(f);
	}

	for (unsigned int i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		igt_describe("A misaligned access faults ALIGNMENT at its address.");
		igt_subtest_f("alignment-%s", aligns[i].name)
			align_case(&aligns[i]);
	}

	igt_fixture {
		vsvm_vm_destroy(fd, vm);
		close(fd);
	}
}
