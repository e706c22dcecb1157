// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm invalidate
 * Category: Core
 * Mega feature: SVM
 * Sub-category: Coherency
 * Functionality: MMU notifier invalidation of the GPU view
 * Description: Every CPU page table change (munmap, mprotect, mremap,
 *		madvise, fork/COW) is reflected in the GPU view: no stale
 *		access, no lost write, no GPU store after munmap returns.
 *
 * SUBTEST: munmap-between-jobs
 * Description: After munmap the GPU mapping is gone and an access faults NO_VMA.
 *
 * SUBTEST: munmap-partial
 * Description: Unmapping the middle of a mirrored range leaves the rest working.
 *
 * SUBTEST: munmap-remap
 * Description: New memory mapped at the same address is what the GPU sees next.
 *
 * SUBTEST: munmap-gc
 * Description: munmap of whole mirrored granules frees their ranges (debugfs), SVM_QUERY says mirrored but not mapped; new memory there faults afresh.
 *
 * SUBTEST: mprotect-readonly
 * Description: mprotect(PROT_READ) removes GPU write access; reads see the data.
 *
 * SUBTEST: mprotect-none
 * Description: mprotect(PROT_NONE) removes all GPU access.
 *
 * SUBTEST: mprotect-restore
 * Description: Write access given back by mprotect works again for the GPU.
 *
 * SUBTEST: mremap-move
 * Description: mremap to a new address: the old one faults NO_VMA, the new one has the data.
 *
 * SUBTEST: mremap-dontunmap
 * Description: MREMAP_DONTUNMAP: the old range reads as fresh zero memory, not stale data.
 *
 * SUBTEST: madvise-dontneed
 * Description: MADV_DONTNEED on private memory: the GPU then reads zeros.
 *
 * SUBTEST: madvise-dontneed-shared
 * Description: MADV_DONTNEED on shared memory: the GPU still reads the data.
 *
 * SUBTEST: fork-cow-parent
 * Description: After fork the parent's CPU write is what the GPU sees; the child keeps its copy.
 *
 * SUBTEST: fork-cow-child
 * Description: After fork the child's writes never reach the parent's GPU view.
 *
 * SUBTEST: fork-gpu-write
 * Description: A GPU write after fork breaks COW: the child keeps the old data.
 *
 * SUBTEST: race-munmap
 * Description: munmap while a GPU job hammers the buffer: no store lands after munmap returns.
 *
 * SUBTEST: race-munmap-remap
 * Description: munmap then new memory at the same address while the GPU hammers: old pages untouched, new memory consistent.
 *
 * SUBTEST: race-mprotect
 * Description: mprotect(PROT_READ) while the GPU hammers: no store lands after it returns.
 *
 * SUBTEST: race-munmap-repeat
 * Description: The munmap race, 20 times with different buffer sizes.
 *
 * SUBTEST: queued-job-after-munmap
 * Description: A job queued behind a syncobj runs after its memory was unmapped: it faults NO_VMA.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: CPU page table changes invalidate the GPU view.");

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define HAMMER_BASE	0x1000000000ull

static int fd = -1;
static uint32_t vm;

static void *anon(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	return p;
}

/* A mirrored page the GPU reads into (mapped once in the fixture). */
static uint64_t *sink;

/* GPU load of the u64 at @addr; *out gets it when the job is DONE. */
static uint32_t gpu_read(const void *addr, uint64_t *out)
{
	struct drm_vsvm_job_status st;
	uint64_t args[2] = { vsvm_va(addr), vsvm_va(sink) };
	uint32_t state;

	sink[0] = 0xdeadbeefdeadbeefull;
	state = vsvm_t_run(fd, vm, VSVM_T_PROG_LD64_AT, 1, args, 2, &st);
	if (state == DRM_VSVM_JOB_DONE)
		*out = sink[0];
	return state;
}

/*
 * Ranges of every VM of the device, from debugfs vsvm_vms (which waits for
 * queued garbage collection first); -1 without debugfs.
 */
static int64_t debugfs_ranges(void)
{
	char path[PATH_MAX], line[256];
	int64_t total = 0;
	unsigned long n;
	FILE *f;

	if (vsvm_debugfs_dir(fd, path, sizeof(path) - 16))
		return -1;
	strcat(path, "/vsvm_vms");
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		const char *r = strstr(line, " ranges ");

		if (!strncmp(line, "vm ", 3) && r && sscanf(r, " ranges %lu", &n) == 1)
			total += n;
	}
	fclose(f);
	return total;
}

static void gpu_write_ok(void *addr, uint64_t v)
{
	uint64_t args[2] = { vsvm_va(addr), v };

	vsvm_t_run_ok(fd, vm, VSVM_T_PROG_ST64_AT, 1, args, 2);
}

static void gpu_expect_fault(void *addr, bool write, uint32_t reason)
{
	struct drm_vsvm_job_status st;
	uint64_t args[2] = { vsvm_va(addr), write ? 1 : vsvm_va(sink) };

	vsvm_t_run(fd, vm, write ? VSVM_T_PROG_ST64_AT : VSVM_T_PROG_LD64_AT,
		   1, args, 2, &st);
	vsvm_t_assert_fault(&st, reason, vsvm_va(addr),
			    write ? DRM_VSVM_ACCESS_WRITE : DRM_VSVM_ACCESS_READ);
}

/* Wait (bounded) until job @job has changed the word @w from @old. */
static void wait_change(volatile uint64_t *w, uint64_t old, uint32_t job)
{
	struct drm_vsvm_job_status st;

	for (int i = 0; i < 60000 && *w == old; i++) {
		usleep(500);
		if (i % 64 || *w != old)
			continue;
		memset(&st, 0, sizeof(st));
		igt_assert_eq(vsvm_t_job_status(fd, job, 0, &st), 0);
		igt_assert_f(st.state == DRM_VSVM_JOB_QUEUED,
			     "job ended %s (fault %s at %#llx) before writing\n",
			     vsvm_job_state_str(st.state),
			     vsvm_fault_reason_str(st.fault_reason),
			     (unsigned long long)st.fault_addr);
	}
	igt_assert_f(*w != old, "the GPU job never started writing\n");
}

/*
 * The race: a single-lane job stores increasing values to a memfd page
 * through mirrored view A; view B (not mirrored) aliases the same pages.
 * Once the job is seen writing, A is unmapped (and, with @remap, new
 * memory mapped at the same address). From munmap's return on, the old
 * pages must not change: B is snapshotted right away and compared after
 * the job is over.
 */
static void race(uint64_t npages, bool remap, bool mprot)
{
	const uint64_t size = npages * SZ_4K, words = size / 8;
	const uint64_t sentinel = 0x5e5e5e5e5e5e5e5eull;
	uint64_t *a, *b, *snap, *stop, max_old = 0;
	struct drm_vsvm_job_status st;
	uint64_t args[8] = { 0 };
	uint32_t job;
	int m;

	m = memfd_create("vsvm-race", 0);
	igt_assert(m >= 0);
	igt_assert_eq(ftruncate(m, size), 0);
	a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
	b = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
	igt_assert(a != MAP_FAILED && b != MAP_FAILED);
	memset(b, 0, size);
	stop = anon(SZ_4K);
	stop[0] = 0;
	snap = malloc(size);
	igt_assert(snap);

	vsvm_t_mirror(fd, vm, a, size);
	vsvm_t_mirror(fd, vm, stop, SZ_4K);
	args[0] = vsvm_va(a);
	args[1] = HAMMER_BASE;
	args[3] = words;
	args[7] = vsvm_va(stop);
	job = vsvm_t_submit(fd, vm, 0, VSVM_T_PROG_HAMMER, 1, args, 8, 0,
			    NULL, 0);
	/* Let it go round the buffer at least once. */
	wait_change(&b[words - 1], 0, job);

	if (mprot)
		igt_assert_eq(mprotect(a, size, PROT_READ), 0);
	else
		igt_assert_eq(munmap(a, size), 0);
	memcpy(snap, b, size);
	if (remap) {
		uint64_t *n = mmap(a, size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS |
				   MAP_FIXED_NOREPLACE, -1, 0);

		igt_assert(n == a);
		for (uint64_t i = 0; i < words; i++)
			n[i] = sentinel;
		/* Give the job time on the new memory, then stop it. */
		for (int i = 0; i < 200; i++) {
			if (vsvm_t_job_status(fd, job, 0, &st) == 0 &&
			    st.state != DRM_VSVM_JOB_QUEUED)
				break;
			usleep(1000);
		}
		stop[0] = 1;
	}
	vsvm_t_wait(fd, job, &st);
	stop[0] = 1;

	/* The old pages did not change after munmap/mprotect returned. */
	for (uint64_t i = 0; i < words; i++) {
		igt_assert_f(b[i] == snap[i],
			     "word %" PRIu64 " of the old pages changed after %s returned: %#" PRIx64 " -> %#" PRIx64 "\n",
			     i, mprot ? "mprotect" : "munmap", snap[i], b[i]);
		if (snap[i] > max_old)
			max_old = snap[i];
	}
	igt_assert_lt_u64(HAMMER_BASE, max_old + 1);

	if (mprot) {
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_ACCESS, st.fault_addr,
				    DRM_VSVM_ACCESS_WRITE);
	} else if (!remap) {
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NO_VMA, st.fault_addr,
				    DRM_VSVM_ACCESS_WRITE);
	} else {
		/* DONE (stopped) or it faulted between munmap and mmap. */
		igt_assert_f(st.state == DRM_VSVM_JOB_DONE ||
			     (st.state == DRM_VSVM_JOB_FAULTED &&
			      st.fault_reason == DRM_VSVM_FAULT_NO_VMA),
			     "job %s (%s)\n", vsvm_job_state_str(st.state),
			     vsvm_fault_reason_str(st.fault_reason));
		/* New memory: sentinel or stores issued after the old ones. */
		for (uint64_t i = 0; i < words; i++)
			igt_assert_f(a[i] == sentinel ||
				     (a[i] > max_old &&
				      a[i] < HAMMER_BASE + (1ull << 40)),
				     "new word %" PRIu64 " = %#" PRIx64 ", old max %#" PRIx64 "\n",
				     i, a[i], max_old);
	}
	if (st.state == DRM_VSVM_JOB_FAULTED)
		igt_assert(st.fault_addr >= vsvm_va(a) &&
			   st.fault_addr < vsvm_va(a) + size);

	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(a), size), 0);
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(stop), SZ_4K), 0);
	if (remap || mprot)
		munmap(a, size);
	munmap(b, size);
	munmap(stop, SZ_4K);
	free(snap);
	close(m);
}

igt_main
{
	igt_fixture {
		fd = vsvm_t_open(0);
		vm = vsvm_t_vm(fd);
		sink = anon(SZ_4K);
		vsvm_t_mirror(fd, vm, sink, SZ_4K);
	}

	igt_describe("After munmap the GPU mapping is gone; an access faults NO_VMA.");
	igt_subtest("munmap-between-jobs") {
		uint64_t *p = anon(4 * SZ_4K);

		vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
		vsvm_t_roundtrip(fd, vm, p, 4 * SZ_4K, 1);
		igt_assert(vsvm_t_query(fd, vm, p) & DRM_VSVM_QUERY_GPU_MAPPED);
		igt_assert_eq(munmap(p, 4 * SZ_4K), 0);
		for (int i = 0; i < 4; i++)
			igt_assert_eq_u32(vsvm_t_query(fd, vm, p + i * 512) &
					  DRM_VSVM_QUERY_GPU_MAPPED, 0);
		gpu_expect_fault(p + 512 + 2, false, DRM_VSVM_FAULT_NO_VMA);
		gpu_expect_fault(p + 3 * 512, true, DRM_VSVM_FAULT_NO_VMA);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
	}

	igt_describe("Unmapping the middle of a mirror leaves the rest working.");
	igt_subtest("munmap-partial") {
		uint64_t *p = anon(4 * SZ_4K), v = 0;

		vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
		vsvm_t_roundtrip(fd, vm, p, 4 * SZ_4K, 2);
		igt_assert_eq(munmap(p + 512, 2 * SZ_4K), 0);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, p + 512) &
				  DRM_VSVM_QUERY_GPU_MAPPED, 0);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, p + 1024) &
				  DRM_VSVM_QUERY_GPU_MAPPED, 0);
		gpu_expect_fault(p + 1024 + 7, false, DRM_VSVM_FAULT_NO_VMA);
		igt_assert_eq(gpu_read(p + 3 * 512 + 5, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, vsvm_t_pattern(2, 3 * 512 + 5) + 0x1234567);
		gpu_write_ok(p + 1, 0xabc);
		igt_assert_eq_u64(p[1], 0xabc);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
		munmap(p, SZ_4K);
		munmap(p + 3 * 512, SZ_4K);
	}

	igt_describe("New memory at the same address is what the GPU sees next.");
	igt_subtest("munmap-remap") {
		uint64_t *p = anon(2 * SZ_4K), *n, v = 0;

		vsvm_t_mirror(fd, vm, p, 2 * SZ_4K);
		vsvm_t_fill(p, 2 * SZ_4K, 3);
		igt_assert_eq(gpu_read(p + 10, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, vsvm_t_pattern(3, 10));
		igt_assert_eq(munmap(p, 2 * SZ_4K), 0);
		n = mmap(p, 2 * SZ_4K, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		igt_assert(n == p);
		vsvm_t_fill(n, 2 * SZ_4K, 4);
		igt_assert_eq(gpu_read(p + 10, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, vsvm_t_pattern(4, 10));
		vsvm_t_roundtrip(fd, vm, n, 2 * SZ_4K, 5);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 2 * SZ_4K), 0);
		munmap(n, 2 * SZ_4K);
	}

	igt_describe("munmap of whole mirrored granules frees their ranges.");
	igt_subtest("munmap-gc") {
		const uint64_t size = 2 * SZ_2M;
		int64_t ranges, collected, faulted;
		uint64_t *p, *n, v = 0;

		igt_require(debugfs_ranges() >= 0);
		/* The sink's range exists before counting (fault-ahead may reach it). */
		igt_assert_eq(gpu_read(sink, &v), DRM_VSVM_JOB_DONE);
		p = vsvm_t_mmap_aligned(size, SZ_2M, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS);
		vsvm_t_mirror(fd, vm, p, size);
		ranges = debugfs_ranges();
		vsvm_t_roundtrip(fd, vm, p, size, 6);
		/* One range per 2 MiB granule the GPU touched. */
		igt_assert_eq(debugfs_ranges(), ranges + 2);
		igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, p, size / SZ_4K,
						     DRM_VSVM_QUERY_GPU_MAPPED),
				  size / SZ_4K);

		collected = vsvm_t_counter(fd, "ranges_collected");
		igt_assert(collected >= 0);
		vsvm_t_munmap_aligned(p, size);
		igt_assert_eq(debugfs_ranges(), ranges);
		igt_assert_eq(vsvm_t_counter(fd, "ranges_collected"), collected + 2);
		igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, p, size / SZ_4K,
						     DRM_VSVM_QUERY_MIRRORED),
				  size / SZ_4K);
		igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, p, size / SZ_4K,
						     DRM_VSVM_QUERY_GPU_MAPPED), 0);

		/* New memory at the same address: faulted afresh, new ranges. */
		n = mmap(p, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		igt_assert(n == p);
		faulted = vsvm_t_counter(fd, "pages_faulted");
		vsvm_t_roundtrip(fd, vm, n, size, 7);
		igt_assert(vsvm_t_counter(fd, "pages_faulted") >= faulted + (int64_t)(size / SZ_4K));
		igt_assert_eq(debugfs_ranges(), ranges + 2);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
		igt_assert_eq(debugfs_ranges(), ranges);
		munmap(n, size);
	}

	igt_describe("mprotect(PROT_READ) removes GPU write access.");
	igt_subtest("mprotect-readonly") {
		uint64_t *p = anon(2 * SZ_4K), v = 0;

		vsvm_t_mirror(fd, vm, p, 2 * SZ_4K);
		vsvm_t_roundtrip(fd, vm, p, 2 * SZ_4K, 6);
		igt_assert(vsvm_t_query(fd, vm, p) & DRM_VSVM_QUERY_WRITABLE);
		igt_assert_eq(mprotect(p, 2 * SZ_4K, PROT_READ), 0);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, p) &
				  DRM_VSVM_QUERY_WRITABLE, 0);
		gpu_expect_fault(p + 3, true, DRM_VSVM_FAULT_ACCESS);
		igt_assert_eq(gpu_read(p + 3, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, vsvm_t_pattern(6, 3) + 0x1234567);
		igt_assert_eq_u64(p[3], vsvm_t_pattern(6, 3) + 0x1234567);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 2 * SZ_4K), 0);
		munmap(p, 2 * SZ_4K);
	}

	igt_describe("mprotect(PROT_NONE) removes all GPU access.");
	igt_subtest("mprotect-none") {
		uint64_t *p = anon(2 * SZ_4K);

		vsvm_t_mirror(fd, vm, p, 2 * SZ_4K);
		vsvm_t_roundtrip(fd, vm, p, 2 * SZ_4K, 7);
		igt_assert_eq(mprotect(p, 2 * SZ_4K, PROT_NONE), 0);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, p) &
				  DRM_VSVM_QUERY_GPU_MAPPED, 0);
		gpu_expect_fault(p + 512, false, DRM_VSVM_FAULT_ACCESS);
		igt_assert_eq(mprotect(p, 2 * SZ_4K, PROT_READ), 0);
		igt_assert_eq(vsvm_t_check(p, 2 * SZ_4K, 7, 0x1234567), -1);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 2 * SZ_4K), 0);
		munmap(p, 2 * SZ_4K);
	}

	igt_describe("Write access given back by mprotect works again.");
	igt_subtest("mprotect-restore") {
		uint64_t *p = anon(SZ_4K);

		vsvm_t_mirror(fd, vm, p, SZ_4K);
		gpu_write_ok(p, 1);
		igt_assert_eq(mprotect(p, SZ_4K, PROT_READ), 0);
		gpu_expect_fault(p, true, DRM_VSVM_FAULT_ACCESS);
		igt_assert_eq(mprotect(p, SZ_4K, PROT_READ | PROT_WRITE), 0);
		gpu_write_ok(p, 2);
		igt_assert_eq_u64(p[0], 2);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K), 0);
		munmap(p, SZ_4K);
	}

	igt_describe("mremap to a new address: old faults NO_VMA, new has the data.");
	igt_subtest("mremap-move") {
		uint64_t *p = anon(4 * SZ_4K), *dst = anon(4 * SZ_4K), *n;

		vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
		vsvm_t_roundtrip(fd, vm, p, 4 * SZ_4K, 8);
		n = mremap(p, 4 * SZ_4K, 4 * SZ_4K, MREMAP_MAYMOVE | MREMAP_FIXED,
			   dst);
		igt_assert(n == dst);
		gpu_expect_fault(p + 100, false, DRM_VSVM_FAULT_NO_VMA);
		vsvm_t_mirror(fd, vm, n, 4 * SZ_4K);
		igt_assert_eq(vsvm_t_check(n, 4 * SZ_4K, 8, 0x1234567), -1);
		vsvm_t_gpu_add(fd, vm, n, n, 4 * SZ_4K / 8, 1);
		igt_assert_eq(vsvm_t_check(n, 4 * SZ_4K, 8, 0x1234568), -1);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(n), 4 * SZ_4K), 0);
		munmap(n, 4 * SZ_4K);
	}

	igt_describe("MREMAP_DONTUNMAP: the old range reads fresh zeros, not stale data.");
	igt_subtest("mremap-dontunmap") {
		uint64_t *p = anon(4 * SZ_4K), *n, v = 1;

		vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
		vsvm_t_roundtrip(fd, vm, p, 4 * SZ_4K, 9);
		n = mremap(p, 4 * SZ_4K, 4 * SZ_4K,
			   MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
		igt_require_f(n != MAP_FAILED, "MREMAP_DONTUNMAP: %s\n",
			      strerror(errno));
		igt_assert_eq(gpu_read(p + 2 * 512 + 1, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, 0);
		igt_assert_eq(vsvm_t_check(n, 4 * SZ_4K, 9, 0x1234567), -1);
		/* A GPU write to the old range lands in its new page only. */
		gpu_write_ok(p + 4, 0x44);
		igt_assert_eq_u64(p[4], 0x44);
		igt_assert_eq_u64(n[4], vsvm_t_pattern(9, 4) + 0x1234567);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
		munmap(p, 4 * SZ_4K);
		munmap(n, 4 * SZ_4K);
	}

	igt_describe("MADV_DONTNEED on private memory: the GPU then reads zeros.");
	igt_subtest("madvise-dontneed") {
		uint64_t *p = anon(4 * SZ_4K), v = 1;

		vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
		vsvm_t_roundtrip(fd, vm, p, 4 * SZ_4K, 10);
		igt_assert_eq(madvise(p + 512, 2 * SZ_4K, MADV_DONTNEED), 0);
		igt_assert_eq(gpu_read(p + 512 + 9, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, 0);
		igt_assert_eq(gpu_read(p + 9, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, vsvm_t_pattern(10, 9) + 0x1234567);
		igt_assert_eq_u64(p[512 + 9], 0);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
		munmap(p, 4 * SZ_4K);
	}

	igt_describe("MADV_DONTNEED on shared memory: the GPU still reads the data.");
	igt_subtest("madvise-dontneed-shared") {
		uint64_t *p = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0), v = 0;

		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
		vsvm_t_roundtrip(fd, vm, p, 4 * SZ_4K, 11);
		igt_assert_eq(madvise(p, 4 * SZ_4K, MADV_DONTNEED), 0);
		igt_assert_eq(gpu_read(p + 512 * 3 + 1, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, vsvm_t_pattern(11, 512 * 3 + 1) + 0x1234567);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
		munmap(p, 4 * SZ_4K);
	}

	igt_describe("After fork the parent's CPU write is what the GPU sees.");
	igt_subtest("fork-cow-parent") {
		uint64_t *p = anon(SZ_4K), v = 0;
		int go[2], back[2];
		uint64_t child_saw = 0;
		pid_t pid;

		igt_assert_eq(pipe(go), 0);
		igt_assert_eq(pipe(back), 0);
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		p[0] = 100;
		igt_assert_eq(gpu_read(p, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, 100);
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			char c;

			if (read(go[0], &c, 1) != 1)
				_exit(1);
			child_saw = p[0];
			_exit(write(back[1], &child_saw, 8) == 8 ? 0 : 1);
		}
		p[0] = 200;	/* COW break in the parent */
		igt_assert_eq(gpu_read(p, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, 200);
		gpu_write_ok(p + 1, 300);
		igt_assert_eq_u64(p[1], 300);
		igt_assert_eq(write(go[1], "x", 1), 1);
		igt_assert_eq(read(back[0], &child_saw, 8), 8);
		igt_assert_eq_u64(child_saw, 100);
		igt_assert_eq(waitpid(pid, NULL, 0), pid);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K), 0);
		munmap(p, SZ_4K);
	}

	igt_describe("After fork the child's writes never reach the parent's GPU view.");
	igt_subtest("fork-cow-child") {
		uint64_t *p = anon(SZ_4K), v = 0;
		int st;
		pid_t pid;

		vsvm_t_mirror(fd, vm, p, SZ_4K);
		p[0] = 7;
		igt_assert_eq(gpu_read(p, &v), DRM_VSVM_JOB_DONE);
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			p[0] = 8;
			_exit(p[0] == 8 ? 0 : 1);
		}
		igt_assert_eq(waitpid(pid, &st, 0), pid);
		igt_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		igt_assert_eq(gpu_read(p, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, 7);
		igt_assert_eq_u64(p[0], 7);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K), 0);
		munmap(p, SZ_4K);
	}

	igt_describe("A GPU write after fork breaks COW: the child keeps the old data.");
	igt_subtest("fork-gpu-write") {
		uint64_t *p = anon(SZ_4K), v = 0;
		int go[2], back[2];
		pid_t pid;

		igt_assert_eq(pipe(go), 0);
		igt_assert_eq(pipe(back), 0);
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		p[0] = 11;
		gpu_write_ok(p + 1, 12);	/* GPU holds a writable mapping */
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			char c;
			uint64_t seen[2];

			if (read(go[0], &c, 1) != 1)
				_exit(1);
			seen[0] = p[0];
			seen[1] = p[1];
			_exit(write(back[1], seen, 16) == 16 ? 0 : 1);
		}
		gpu_write_ok(p, 21);
		gpu_write_ok(p + 1, 22);
		igt_assert_eq_u64(p[0], 21);
		igt_assert_eq_u64(p[1], 22);
		igt_assert_eq(write(go[1], "x", 1), 1);
		{
			uint64_t seen[2] = { 0, 0 };

			igt_assert_eq(read(back[0], seen, 16), 16);
			igt_assert_eq_u64(seen[0], 11);
			igt_assert_eq_u64(seen[1], 12);
		}
		igt_assert_eq(waitpid(pid, NULL, 0), pid);
		igt_assert_eq(gpu_read(p, &v), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(v, 21);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K), 0);
		munmap(p, SZ_4K);
	}

	igt_describe("munmap while the GPU hammers: no store lands after munmap returns.");
	igt_subtest("race-munmap")
		race(4, false, false);

	igt_describe("munmap then new memory at the same address while the GPU hammers.");
	igt_subtest("race-munmap-remap")
		race(4, true, false);

	igt_describe("mprotect(PROT_READ) while the GPU hammers: no store after it returns.");
	igt_subtest("race-mprotect")
		race(2, false, true);

	igt_describe("The munmap race, 20 times with different sizes.");
	igt_subtest("race-munmap-repeat") {
		for (int i = 0; i < 20; i++)
			race(1 + (i % 5) * 3, i & 1, false);
	}

	igt_describe("A job queued behind a syncobj runs after its memory was unmapped.");
	igt_subtest("queued-job-after-munmap") {
		uint64_t *p = anon(SZ_4K), *stop = anon(SZ_4K), *scratch = anon(SZ_4K);
		uint64_t args[8] = { 0 }, sargs[2];
		struct drm_vsvm_job_status st;
		uint32_t sync, j1, j2;

		igt_assert_eq(vsvm_syncobj_create(fd, &sync), 0);
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		vsvm_t_mirror(fd, vm, stop, SZ_4K);
		vsvm_t_mirror(fd, vm, scratch, SZ_4K);
		/* Job 1 spins on scratch until stop[0] is set. */
		args[0] = vsvm_va(scratch);
		args[1] = HAMMER_BASE;
		args[3] = 1;
		args[7] = vsvm_va(stop);
		j1 = vsvm_t_submit(fd, vm, 0, VSVM_T_PROG_HAMMER, 1, args, 8,
				   sync, NULL, 0);
		sargs[0] = vsvm_va(p + 5);
		sargs[1] = 0x55;
		j2 = vsvm_t_submit(fd, vm, 1 % vsvm_t_param(fd, DRM_VSVM_PARAM_NUM_ENGINES),
				   VSVM_T_PROG_ST64_AT, 1, sargs, 2, 0, &sync, 1);
		wait_change(&scratch[0], 0, j1);
		igt_assert_eq(vsvm_t_job_status(fd, j2, 0, &st), 0);
		igt_assert_eq_u32(st.state, DRM_VSVM_JOB_QUEUED);
		igt_assert_eq(munmap(p, SZ_4K), 0);
		stop[0] = 1;
		igt_assert_eq(vsvm_t_wait(fd, j1, NULL), DRM_VSVM_JOB_DONE);
		vsvm_t_wait(fd, j2, &st);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NO_VMA, vsvm_va(p + 5),
				    DRM_VSVM_ACCESS_WRITE);
		vsvm_syncobj_destroy(fd, sync);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K), 0);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(stop), SZ_4K), 0);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(scratch), SZ_4K), 0);
		munmap(stop, SZ_4K);
		munmap(scratch, SZ_4K);
	}

	igt_fixture {
		vsvm_vm_destroy(fd, vm);
		close(fd);
	}
}
