// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm migrate
 * Category: Core
 * Mega feature: SVM
 * Sub-category: VRAM migration
 * Functionality: device-private VRAM, migration both ways, eviction
 * Description: Pages migrate to VRAM and back with data intact: explicit
 *		prefetch, CPU faults (whole granule), GPU faults with a
 *		preferred location, eviction under 2x oversubscription,
 *		device to device, and per-page failure reasons. Every subtest
 *		requires VRAM (VRAM_SIZE > 0 and a working one-page prefetch).
 *
 * SUBTEST: prefetch-vram-and-back
 * Description: Prefetch to VRAM, GPU computes there, prefetch back to system, CPU checks.
 *
 * SUBTEST: cpu-fault-back
 * Description: A CPU touch migrates back exactly the granule around it (2 MiB).
 *
 * SUBTEST: cpu-fault-back-granularity
 * Description: With a 64 KiB granularity attribute, a CPU touch migrates back 16 pages.
 *
 * SUBTEST: gpu-fault-preferred-vram
 * Description: GPU faults on a range preferring VRAM migrate it there.
 *
 * SUBTEST: gpu-fault-in-place
 * Description: With the IN_PLACE policy GPU faults map system pages without migrating.
 *
 * SUBTEST: eviction-oversubscribe
 * Description: A working set of twice the VRAM computes right through eviction.
 *
 * SUBTEST: device-to-device
 * Description: Pages in device 0's VRAM prefetched to device 1's VRAM, data intact.
 *
 * SUBTEST: page-status
 * Description: A prefetch to VRAM reports OK, NOT_MIGRATABLE, NO_VMA and ACCESS per page.
 *
 * SUBTEST: fork-with-vram
 * Description: fork with pages in VRAM: parent GPU writes do not reach the child.
 *
 * SUBTEST: munmap-vram
 * Description: munmap of pages in VRAM frees them; new memory there reads zeros.
 *
 * SUBTEST: cpu-write-during-migration
 * Description: CPU threads write while the range migrates back and forth: no write lost.
 *
 * SUBTEST: prefetch-many-chunks
 * Description: A prefetch over 12 partly covered 2 MiB chunks, to VRAM and back, with the
 *		chunks migrated in parallel (one worker per CPU) and serially, the pages
 *		mapped from the migrate arrays or by a second walk: every page reported,
 *		placed and holding its own pattern.
 *
 * SUBTEST: prefetch-chunk-fails
 * Description: One chunk of a parallel prefetch fails (fail_function): the prefetch
 *		returns the error, pages moved so far stay, no page loses data, a retry
 *		moves everything.
 *
 * SUBTEST: munmap-during-parallel-prefetch
 * Description: munmap of part of the range while a parallel prefetch migrates it:
 *		the prefetch succeeds and the pages still mapped keep their data.
 *
 * SUBTEST: attr-set-get
 * Description: Placement attributes read back as set, split at range boundaries.
 *
 * SUBTEST: attr-bad-%s
 * Description: SVM_ATTR_SET with one bad field returns -EINVAL (or -ENOENT) and changes nothing.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: VRAM migration.");

#define TMPFS_MAGIC_	0x01021994

static int fd = -1;
static uint32_t vm;

static void *anon_aligned(uint64_t size)
{
	void *p = vsvm_t_mmap_aligned(size, SZ_2M, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS);

	madvise(p, size, MADV_NOHUGEPAGE);
	return p;
}

static void to_vram(void *p, uint64_t size)
{
	uint64_t done = 0, failed = 0;
	int ret = vsvm_t_prefetch_loc(fd, vm, p, size, vsvm_t_here(fd), NULL,
				      &done, &failed);

	igt_assert_f(ret == 0, "prefetch to VRAM: %s\n", vsvm_strerror(ret));
	igt_assert_eq_u64(failed, 0);
	igt_assert_eq_u64(done, size / SZ_4K);
}

static uint64_t in_vram(void *p, uint64_t size)
{
	return vsvm_t_count_flags(fd, vm, p, size / SZ_4K, DRM_VSVM_QUERY_VRAM);
}

/* TOUCH_PAGES: every page's first word += add, on the GPU. */
static void gpu_touch(void *p, uint64_t size, uint64_t add)
{
	uint64_t args[3] = { vsvm_va(p), add, size / SZ_4K };

	vsvm_t_run_ok(fd, vm, VSVM_T_PROG_TOUCH_PAGES, 64, args, 3);
}

enum attr_case {
	A_FLAGS, A_PAD, A_MISALIGNED, A_ZERO_RANGE, A_OUTSIDE_MIRROR,
	A_LOCATION, A_POLICY, A_GRANULARITY_POW2, A_GRANULARITY_BIG,
	A_GRANULARITY_SMALL, A_BAD_VM, ATTR_CASES
};

static const char *const attr_names[ATTR_CASES] = {
	[A_FLAGS] = "flags",
	[A_PAD] = "pad",
	[A_MISALIGNED] = "misaligned",
	[A_ZERO_RANGE] = "zero-range",
	[A_OUTSIDE_MIRROR] = "outside-mirror",
	[A_LOCATION] = "location",
	[A_POLICY] = "policy",
	[A_GRANULARITY_POW2] = "granularity-not-pow2",
	[A_GRANULARITY_BIG] = "granularity-too-big",
	[A_GRANULARITY_SMALL] = "granularity-too-small",
	[A_BAD_VM] = "bad-vm",
};

/* @n query flags, then @n locations (uAPI 2.0); free() the result. */
static uint32_t *query_locations(int qfd, uint32_t qvm, const void *p, uint64_t n)
{
	uint32_t *f = calloc(2 * n, sizeof(*f));

	igt_assert(f);
	igt_assert_eq(vsvm_svm_query_locations(qfd, qvm, vsvm_va(p), n, f, f + n), 0);
	return f;
}

static void attr_case(enum attr_case c)
{
	uint8_t *p = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_vsvm_svm_attr a, g;
	int want = -EINVAL;

	igt_assert(p != MAP_FAILED);
	vsvm_t_mirror(fd, vm, p, 2 * SZ_4K);
	memset(&a, 0, sizeof(a));
	a.vm_id = vm;
	a.addr = vsvm_va(p);
	a.range = 2 * SZ_4K;
	a.preferred_location = DRM_VSVM_LOCATION_SYSTEM;
	a.access_policy = DRM_VSVM_ACCESS_IN_PLACE;
	a.granularity = SZ_64K;
	switch (c) {
	case A_FLAGS: a.flags = DRM_VSVM_ATTR_READ_ONLY << 1; break;
	case A_PAD: a.reserved = 1; break;
	case A_MISALIGNED: a.addr += 16; break;
	case A_ZERO_RANGE: a.range = 0; break;
	case A_OUTSIDE_MIRROR: a.range = 3 * SZ_4K; break;
	case A_LOCATION: a.preferred_location = DRM_VSVM_LOCATION_DEVICE(200); break;
	case A_POLICY: a.access_policy = 7; break;
	case A_GRANULARITY_POW2: a.granularity = 3 * SZ_4K; break;
	case A_GRANULARITY_BIG: a.granularity = 2 * SZ_2M; break;
	case A_GRANULARITY_SMALL: a.granularity = 2048; break;
	case A_BAD_VM: a.vm_id = 0xdead; want = -ENOENT; break;
	case ATTR_CASES: igt_assert(0);
	}
	igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_SET, &a), want);
	/* Still the defaults. */
	memset(&g, 0, sizeof(g));
	g.vm_id = vm;
	g.addr = vsvm_va(p);
	g.range = 2 * SZ_4K;
	igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_GET, &g), 0);
	igt_assert_eq_u32(g.preferred_location, DRM_VSVM_LOCATION_ANY);
	igt_assert_eq_u32(g.access_policy, DRM_VSVM_ACCESS_MIGRATE);
	igt_assert_eq_u64(g.granularity, SZ_2M);
	igt_assert_eq_u64(g.range, 2 * SZ_4K);
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 2 * SZ_4K), 0);
	munmap(p, 4 * SZ_4K);
}

/* Write a debugfs file of the device (a knob) or of the kernel. */
static int write_str(const char *path, const char *val)
{
	int f = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (f < 0)
		return -errno;
	n = write(f, val, strlen(val));
	close(f);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

static int set_knob(const char *name, const char *val)
{
	char dir[256], path[320];

	igt_assert_eq(vsvm_debugfs_dir(fd, dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return write_str(path, val);
}

/*
 * Every word holds its pattern, the first word of each page plus @add (a
 * gpu_touch()): the words carry their index, so a page that landed in
 * another page's place is caught. Returns the first wrong word or -1.
 */
static int64_t check_touched(const void *p, uint64_t size, uint64_t seed, uint64_t add)
{
	const uint64_t *q = p;

	for (uint64_t i = 0; i < size / 8; i++)
		if (q[i] != vsvm_t_pattern(seed, i) + (i % 512 ? 0 : add))
			return (int64_t)i;
	return -1;
}

/* Pages of the many-chunk range: 12 chunks, the first and last partly. */
#define MANY_CHUNKS	12
#define MANY_HEAD	3	/* pages of the first chunk not in the range */
#define MANY_TAIL	5	/* pages of the last chunk not in the range */

static void many_chunks(const char *workers, bool walk, uint64_t seed)
{
	const uint64_t span = MANY_CHUNKS * SZ_2M;
	const uint64_t size = span - (MANY_HEAD + MANY_TAIL) * SZ_4K;
	const uint64_t npages = size / SZ_4K;
	uint8_t *base = anon_aligned(span), *p = base + MANY_HEAD * SZ_4K;
	int64_t par0 = vsvm_t_counter(fd, "migrate_parallel");
	int64_t bound0 = vsvm_t_counter(fd, "pages_bound_by_migration");
	uint64_t done = 0, failed = 0;
	uint8_t *status = malloc(npages);
	int64_t bad;

	igt_assert(status);
	igt_assert_eq(set_knob("migrate_workers", workers), 0);
	igt_assert_eq(set_knob("migrate_walk", walk ? "Y" : "N"), 0);
	vsvm_t_fill(p, size, seed);
	vsvm_t_mirror(fd, vm, p, size);
	memset(status, 0xee, npages);
	igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, p, size, vsvm_t_here(fd), status,
					  &done, &failed), 0);
	igt_assert_eq_u64(done, npages);
	igt_assert_eq_u64(failed, 0);
	for (uint64_t i = 0; i < npages; i++)
		igt_assert_f(status[i] == DRM_VSVM_PAGE_OK, "page %" PRIu64 " status %u\n",
			     i, status[i]);
	igt_assert_eq_u64(in_vram(p, size), npages);
	/* Mapped from the migrate arrays, or by walking the page tables again. */
	if (walk)
		igt_assert_eq(vsvm_t_counter(fd, "pages_bound_by_migration"), bound0);
	else
		igt_assert_lt(bound0, vsvm_t_counter(fd, "pages_bound_by_migration"));
	/* The pages around the range stayed home. */
	igt_assert_eq_u64(in_vram(base, MANY_HEAD * SZ_4K), 0);
	gpu_touch(p, size, 3);
	igt_assert_eq_u64(in_vram(p, size), npages);
	memset(status, 0xee, npages);
	igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, p, size, DRM_VSVM_LOCATION_SYSTEM,
					  status, &done, &failed), 0);
	igt_assert_eq_u64(done, npages);
	igt_assert_eq_u64(in_vram(p, size), 0);
	/* Every page holds its own pattern (the words carry their index). */
	bad = check_touched(p, size, seed, 3);
	igt_assert_f(bad < 0, "word %" PRId64 " (page %" PRId64 ") wrong\n", bad, bad / 512);
	if (!strcmp(workers, "0") && sysconf(_SC_NPROCESSORS_ONLN) > 1)
		igt_assert_lte(par0 + 2, vsvm_t_counter(fd, "migrate_parallel"));
	else if (!strcmp(workers, "1"))
		igt_assert_eq(vsvm_t_counter(fd, "migrate_parallel"), par0);
	igt_assert_eq(set_knob("migrate_workers", "0"), 0);	/* the default */
	igt_assert_eq(set_knob("migrate_walk", "N"), 0);
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
	vsvm_t_munmap_aligned(base, span);
	free(status);
}

#define FAIL_FN		"/sys/kernel/debug/fail_function"
#define FAIL_SITE	"vsvm_migrate_chunk_to_vram"

static void fail_fn_off(int sig)
{
	(void)sig;
	write_str(FAIL_FN "/inject", "");
}

/*
 * The @nth call of the chunk migration fails with -ENOMEM, once: "space"
 * lets nth - 1 calls through (fail_function counts every call, whatever
 * the process; the test is alone in the guest).
 */
static void fail_chunk_arm(int nth)
{
	char v[16];

	igt_require_f(!access(FAIL_FN "/injectable", R_OK),
		      "no fail_function (CONFIG_FUNCTION_ERROR_INJECTION)\n");
	write_str(FAIL_FN "/inject", "");
	igt_assert_eq(write_str(FAIL_FN "/inject", FAIL_SITE), 0);
	igt_assert_eq(write_str(FAIL_FN "/" FAIL_SITE "/retval", "0xfffffffffffffff4"), 0);
	igt_assert_eq(write_str(FAIL_FN "/task-filter", "N"), 0);
	igt_assert_eq(write_str(FAIL_FN "/verbose", "0"), 0);
	igt_assert_eq(write_str(FAIL_FN "/interval", "1"), 0);
	snprintf(v, sizeof(v), "%d", nth);
	igt_assert_eq(write_str(FAIL_FN "/space", v), 0);
	igt_assert_eq(write_str(FAIL_FN "/times", "1"), 0);
	igt_assert_eq(write_str(FAIL_FN "/probability", "100"), 0);
	igt_install_exit_handler(fail_fn_off);
}

struct prefetcher {
	pthread_t t;
	void *p;
	uint64_t size;
	uint32_t loc;
	int ret;
};

static void *prefetch_thread(void *arg)
{
	struct prefetcher *pf = arg;

	pf->ret = vsvm_t_prefetch_loc(fd, vm, pf->p, pf->size, pf->loc, NULL, NULL, NULL);
	return NULL;
}

struct writer {
	pthread_t t;
	volatile uint64_t *p;
	uint64_t npages, rounds;
	int idx;
};

static void *cpu_writer(void *arg)
{
	struct writer *w = arg;

	for (uint64_t r = 0; r < w->rounds; r++)
		for (uint64_t i = 0; i < w->npages; i++)
			w->p[i * 512 + 1 + w->idx] = r + 1;
	return NULL;
}

igt_main
{
	igt_fixture {
		fd = vsvm_t_open(0);
		vm = vsvm_t_vm(fd);
	}

	igt_subtest_group {
		igt_fixture
			vsvm_t_require_vram(fd);

		igt_describe("Prefetch to VRAM, compute there, back to system, check.");
		igt_subtest("prefetch-vram-and-back") {
			const uint64_t size = 16 * SZ_4K;
			uint8_t *p = anon_aligned(size);
			uint32_t *f;

			vsvm_t_fill(p, size, 1);
			vsvm_t_mirror(fd, vm, p, size);
			to_vram(p, size);
			f = query_locations(fd, vm, p, size / SZ_4K);
			for (int i = 0; i < 16; i++) {
				igt_assert(f[i] & DRM_VSVM_QUERY_VRAM);
				igt_assert_eq_u32(f[16 + i], vsvm_t_here(fd));
			}
			free(f);
			vsvm_t_gpu_add(fd, vm, p, p, size / 8, 5);
			igt_assert_eq_u64(in_vram(p, size), 16);
			igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, p, size,
							  DRM_VSVM_LOCATION_SYSTEM,
							  NULL, NULL, NULL), 0);
			igt_assert_eq_u64(in_vram(p, size), 0);
			igt_assert_eq(vsvm_t_check(p, size, 1, 5), -1);
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
			vsvm_t_munmap_aligned(p, size);
		}

		igt_describe("A CPU touch migrates back exactly the granule around it.");
		igt_subtest("cpu-fault-back") {
			const uint64_t size = 2 * SZ_2M;
			uint8_t *p = anon_aligned(size);
			volatile uint64_t v;

			vsvm_t_fill(p, size, 2);
			vsvm_t_mirror(fd, vm, p, size);
			to_vram(p, size);
			vsvm_t_gpu_add(fd, vm, p, p, size / 8, 3);
			igt_assert_eq_u64(in_vram(p, size), size / SZ_4K);
			v = *(volatile uint64_t *)(p + SZ_1M + 8);
			igt_assert_eq_u64(v, vsvm_t_pattern(2, (SZ_1M + 8) / 8) + 3);
			igt_assert_eq_u64(in_vram(p, SZ_2M), 0);
			igt_assert_eq_u64(in_vram(p + SZ_2M, SZ_2M), SZ_2M / SZ_4K);
			igt_assert_eq(vsvm_t_check(p, size, 2, 3), -1);
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
			vsvm_t_munmap_aligned(p, size);
		}

		igt_describe("With a 64 KiB granularity, a CPU touch migrates back 16 pages.");
		igt_subtest("cpu-fault-back-granularity") {
			const uint64_t size = SZ_2M;
			uint8_t *p = anon_aligned(size);
			volatile uint64_t v;
			uint32_t *f;

			vsvm_t_fill(p, size, 3);
			vsvm_t_mirror(fd, vm, p, size);
			igt_assert_eq(vsvm_t_attr_set(fd, vm, p, size,
						      DRM_VSVM_LOCATION_ANY,
						      DRM_VSVM_ACCESS_MIGRATE,
						      SZ_64K, 0), 0);
			to_vram(p, size);
			v = *(volatile uint64_t *)(p + 5 * SZ_64K + 24);
			igt_assert_eq_u64(v, vsvm_t_pattern(3, (5 * SZ_64K + 24) / 8));
			f = vsvm_t_query_range(fd, vm, p, size / SZ_4K);
			for (uint64_t i = 0; i < size / SZ_4K; i++) {
				bool moved = i >= 5 * 16 && i < 6 * 16;

				igt_assert_f(!!(f[i] & DRM_VSVM_QUERY_VRAM) == !moved,
					     "page %" PRIu64 " flags %#x\n", i, f[i]);
			}
			free(f);
			igt_assert_eq(vsvm_t_check(p, size, 3, 0), -1);
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
			vsvm_t_munmap_aligned(p, size);
		}

		igt_describe("GPU faults on a range preferring VRAM migrate it there.");
		igt_subtest("gpu-fault-preferred-vram") {
			const uint64_t size = SZ_2M;
			uint8_t *p = anon_aligned(size);

			vsvm_t_fill(p, size, 4);
			vsvm_t_mirror(fd, vm, p, size);
			igt_assert_eq(vsvm_t_attr_set(fd, vm, p, size, vsvm_t_here(fd),
						      DRM_VSVM_ACCESS_MIGRATE, SZ_2M,
						      0), 0);
			igt_assert_eq_u64(in_vram(p, size), 0);
			gpu_touch(p, size, 7);
			igt_assert_eq_u64(in_vram(p, size), size / SZ_4K);
			for (uint64_t i = 0; i < size / SZ_4K; i++)
				igt_assert_eq_u64(((uint64_t *)p)[i * 512],
						  vsvm_t_pattern(4, i * 512) + 7);
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
			vsvm_t_munmap_aligned(p, size);
		}

		igt_describe("With IN_PLACE, GPU faults never migrate.");
		igt_subtest("gpu-fault-in-place") {
			const uint64_t size = SZ_2M;
			uint8_t *p = anon_aligned(size);

			vsvm_t_fill(p, size, 5);
			vsvm_t_mirror(fd, vm, p, size);
			igt_assert_eq(vsvm_t_attr_set(fd, vm, p, size, vsvm_t_here(fd),
						      DRM_VSVM_ACCESS_IN_PLACE, SZ_2M,
						      0), 0);
			gpu_touch(p, size, 1);
			igt_assert_eq_u64(in_vram(p, size), 0);
			igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, p, size / SZ_4K,
							     DRM_VSVM_QUERY_GPU_MAPPED),
					  size / SZ_4K);
			igt_assert_eq_u64(((uint64_t *)p)[512 * 7],
					  vsvm_t_pattern(5, 512 * 7) + 1);
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
			vsvm_t_munmap_aligned(p, size);
		}

		igt_describe("A working set of twice the VRAM computes right through eviction.");
		igt_subtest("eviction-oversubscribe") {
			const uint64_t vram = vsvm_t_param(fd, DRM_VSVM_PARAM_VRAM_SIZE);
			const uint64_t size = 2 * vram, npages = size / SZ_4K;
			uint64_t *p;

			igt_require_f(vram <= 512 * SZ_1M && vram % (8 * SZ_1M) == 0,
				      "VRAM %" PRIu64 " MiB: too big for this guest or not 8 MiB aligned\n",
				      vram >> 20);
			p = anon_aligned(size);
			for (uint64_t i = 0; i < npages; i++)
				p[i * 512] = i;
			vsvm_t_mirror(fd, vm, p, size);
			igt_assert_eq(vsvm_t_attr_set(fd, vm, p, size, vsvm_t_here(fd),
						      DRM_VSVM_ACCESS_MIGRATE, SZ_2M,
						      0), 0);
			/*
			 * Two passes over 2x VRAM, one job per 8 MiB so no job
			 * runs into the job timeout while it migrates.
			 */
			for (uint64_t off = 0; off < size; off += 8 * SZ_1M)
				gpu_touch((uint8_t *)p + off, 8 * SZ_1M, 1000);
			igt_assert_lte_u64(in_vram(p, size), vram / SZ_4K);
			igt_assert_lt_u64(0, in_vram(p, size));
			for (uint64_t off = 0; off < size; off += 8 * SZ_1M)
				gpu_touch((uint8_t *)p + off, 8 * SZ_1M, 1);
			for (uint64_t i = 0; i < npages; i++)
				igt_assert_f(p[i * 512] == i + 1001,
					     "page %" PRIu64 ": %" PRIu64 "\n", i, p[i * 512]);
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
			vsvm_t_munmap_aligned(p, size);
		}

		igt_describe("Pages in device 0's VRAM prefetched to device 1's VRAM.");
		igt_subtest("device-to-device") {
			const uint64_t size = 64 * SZ_4K;
			uint8_t *p;
			int fd2;
			uint32_t vm2, *f;

			vsvm_t_require_devices(2);
			fd2 = vsvm_t_open(1);
			vsvm_t_require_vram(fd2);
			p = anon_aligned(size);
			vsvm_t_fill(p, size, 6);
			vm2 = vsvm_t_vm(fd2);
			vsvm_t_mirror(fd, vm, p, size);
			vsvm_t_mirror(fd2, vm2, p, size);
			to_vram(p, size);
			igt_assert_eq(vsvm_t_prefetch_loc(fd2, vm2, p, size,
							  vsvm_t_here(fd2), NULL,
							  NULL, NULL), 0);
			f = query_locations(fd2, vm2, p, size / SZ_4K);
			for (uint64_t i = 0; i < size / SZ_4K; i++)
				igt_assert_f((f[i] & DRM_VSVM_QUERY_VRAM) &&
					     f[size / SZ_4K + i] == vsvm_t_here(fd2),
					     "page %" PRIu64 " flags %#x location %#x\n", i,
					     f[i], f[size / SZ_4K + i]);
			free(f);
			vsvm_t_gpu_add(fd2, vm2, p, p, size / 8, 9);
			vsvm_t_gpu_add(fd, vm, p, p, size / 8, 1);
			igt_assert_eq(vsvm_t_check(p, size, 6, 10), -1);
			vsvm_vm_destroy(fd2, vm2);
			close(fd2);
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
			vsvm_t_munmap_aligned(p, size);
		}

		igt_describe("Prefetch to VRAM reports per-page reasons.");
		igt_subtest("page-status") {
			char path[] = "/mnt/tmpfs/vsvm-mig-XXXXXX";
			uint8_t *r, status[4];
			uint64_t done = 0, failed = 0;
			int f;

			igt_require(vsvm_t_fs_is("/mnt/tmpfs", TMPFS_MAGIC_));
			f = mkstemp(path);
			igt_assert(f >= 0);
			unlink(path);
			igt_assert_eq(ftruncate(f, SZ_4K), 0);
			/* [anon][tmpfs file][hole][PROT_NONE] */
			r = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			igt_assert(r != MAP_FAILED);
			igt_assert(mmap(r + SZ_4K, SZ_4K, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_FIXED, f, 0) == r + SZ_4K);
			igt_assert_eq(munmap(r + 2 * SZ_4K, SZ_4K), 0);
			igt_assert_eq(mprotect(r + 3 * SZ_4K, SZ_4K, PROT_NONE), 0);
			r[0] = 1;
			r[SZ_4K] = 2;
			vsvm_t_mirror(fd, vm, r, 4 * SZ_4K);
			memset(status, 0xee, sizeof(status));
			igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, r, 4 * SZ_4K,
							  vsvm_t_here(fd), status,
							  &done, &failed), 0);
			igt_assert_eq(status[0], DRM_VSVM_PAGE_OK);
			igt_assert_eq(status[1], DRM_VSVM_PAGE_NOT_MIGRATABLE);
			igt_assert_eq(status[2], DRM_VSVM_PAGE_NO_VMA);
			igt_assert_eq(status[3], DRM_VSVM_PAGE_ACCESS);
			igt_assert(vsvm_t_query(fd, vm, r) & DRM_VSVM_QUERY_VRAM);
			igt_assert_eq_u32(vsvm_t_query(fd, vm, r + SZ_4K) &
					  DRM_VSVM_QUERY_VRAM, 0);
			igt_assert_eq(r[0], 1);
			igt_assert_eq(r[SZ_4K], 2);
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(r), 4 * SZ_4K), 0);
			munmap(r, 4 * SZ_4K);
			close(f);
		}

		igt_describe("fork with pages in VRAM: parent GPU writes do not reach the child.");
		igt_subtest("fork-with-vram") {
			const uint64_t size = 8 * SZ_4K;
			uint64_t *p = anon_aligned(size);
			int go[2], back[2], st;
			pid_t pid;

			igt_assert_eq(pipe(go), 0);
			igt_assert_eq(pipe(back), 0);
			vsvm_t_fill(p, size, 7);
			vsvm_t_mirror(fd, vm, p, size);
			to_vram(p, size);
			pid = fork();
			igt_assert(pid >= 0);
			if (pid == 0) {
				char c;
				int64_t bad;

				if (read(go[0], &c, 1) != 1)
					_exit(2);
				bad = vsvm_t_check(p, size, 7, 0);
				_exit(write(back[1], &bad, 8) == 8 ? 0 : 3);
			}
			vsvm_t_gpu_add(fd, vm, p, p, size / 8, 11);
			igt_assert_eq(write(go[1], "x", 1), 1);
			{
				int64_t bad = 0;

				igt_assert_eq(read(back[0], &bad, 8), 8);
				igt_assert_f(bad == -1, "child saw a GPU write at word %" PRId64 "\n", bad);
			}
			igt_assert_eq(waitpid(pid, &st, 0), pid);
			igt_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
			igt_assert_eq(vsvm_t_check(p, size, 7, 11), -1);
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
			vsvm_t_munmap_aligned(p, size);
		}

		igt_describe("munmap of pages in VRAM; new memory there reads zeros.");
		igt_subtest("munmap-vram") {
			const uint64_t size = 16 * SZ_4K;
			uint64_t *p = anon_aligned(size), *n, *out;
			uint64_t args[2];

			out = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			igt_assert(out != MAP_FAILED);
			out[0] = 1;

			vsvm_t_fill(p, size, 8);
			vsvm_t_mirror(fd, vm, p, size);
			vsvm_t_mirror(fd, vm, out, SZ_4K);
			to_vram(p, size);
			igt_assert_eq(munmap(p, size), 0);
			igt_assert_eq_u64(in_vram(p, size), 0);
			n = mmap(p, size, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
			igt_assert(n == p);
			args[0] = vsvm_va(p + 512 * 3 + 1);
			args[1] = vsvm_va(out);
			vsvm_t_run_ok(fd, vm, VSVM_T_PROG_LD64_AT, 1, args, 2);
			igt_assert_eq_u64(out[0], 0);
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(out), SZ_4K), 0);
			munmap(n, size);
			munmap(out, SZ_4K);
		}

		igt_describe("CPU threads write while the range migrates back and forth.");
		igt_subtest("cpu-write-during-migration") {
			const uint64_t npages = 64, size = npages * SZ_4K;
			uint64_t *p = anon_aligned(size);
			struct writer w[2];

			memset(p, 0, size);
			vsvm_t_mirror(fd, vm, p, size);
			for (int i = 0; i < 2; i++) {
				w[i] = (struct writer){ .p = p, .npages = npages,
							.rounds = 200, .idx = i };
				igt_assert_eq(pthread_create(&w[i].t, NULL, cpu_writer,
							     &w[i]), 0);
			}
			for (int i = 0; i < 20; i++) {
				int ret = vsvm_t_prefetch_loc(fd, vm, p, size,
							      i & 1 ? DRM_VSVM_LOCATION_SYSTEM :
							      vsvm_t_here(fd), NULL, NULL, NULL);

				igt_assert_eq(ret, 0);
			}
			for (int i = 0; i < 2; i++)
				pthread_join(w[i].t, NULL);
			for (uint64_t i = 0; i < npages; i++) {
				igt_assert_eq_u64(p[i * 512 + 1], 200);
				igt_assert_eq_u64(p[i * 512 + 2], 200);
			}
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
			vsvm_t_munmap_aligned(p, size);
		}
	}

	igt_describe("Placement attributes read back as set, split at boundaries.");
	igt_subtest("attr-set-get") {
		uint8_t *p = mmap(NULL, 8 * SZ_4K, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct drm_vsvm_svm_attr g;

		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, vm, p, 8 * SZ_4K);
		igt_assert_eq(vsvm_t_attr_set(fd, vm, p + 2 * SZ_4K, 3 * SZ_4K,
					      DRM_VSVM_LOCATION_SYSTEM,
					      DRM_VSVM_ACCESS_IN_PLACE, SZ_64K, 1), 0);
		memset(&g, 0, sizeof(g));
		g.vm_id = vm;
		g.addr = vsvm_va(p);
		g.range = 8 * SZ_4K;
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_GET, &g), 0);
		igt_assert_eq_u64(g.range, 2 * SZ_4K);
		igt_assert_eq_u32(g.preferred_location, DRM_VSVM_LOCATION_ANY);
		g.addr = vsvm_va(p + 2 * SZ_4K);
		g.range = 6 * SZ_4K;
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_GET, &g), 0);
		igt_assert_eq_u64(g.range, 3 * SZ_4K);
		igt_assert_eq_u32(g.preferred_location, DRM_VSVM_LOCATION_SYSTEM);
		igt_assert_eq_u32(g.access_policy, DRM_VSVM_ACCESS_IN_PLACE);
		igt_assert_eq_u64(g.granularity, SZ_64K);
		igt_assert_eq_u32(g.flags, DRM_VSVM_ATTR_READ_ONLY);
		g.addr = vsvm_va(p + 5 * SZ_4K);
		g.range = 3 * SZ_4K;
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_GET, &g), 0);
		igt_assert_eq_u64(g.range, 3 * SZ_4K);
		igt_assert_eq_u64(g.granularity, SZ_2M);
		/* The data is untouched by attributes. */
		memset(p, 0x21, 8 * SZ_4K);
		vsvm_t_roundtrip(fd, vm, p, 8 * SZ_4K, 12);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 8 * SZ_4K), 0);
		munmap(p, 8 * SZ_4K);
	}

	for (int c = 0; c < ATTR_CASES; c++) {
		igt_describe("SVM_ATTR_SET with one bad field: -EINVAL, nothing changes.");
		igt_subtest_f("attr-bad-%s", attr_names[c])
			attr_case(c);
	}

	igt_subtest_group {
		igt_fixture
			vsvm_t_require_vram(fd);

		igt_describe("A prefetch over many 2 MiB chunks, in parallel and serially, pattern per page.");
		igt_subtest("prefetch-many-chunks") {
			many_chunks("0", false, 21);
			many_chunks("1", false, 22);
			many_chunks("0", true, 24);
		}

		igt_describe("One chunk of a parallel prefetch fails: error, no data lost, retry works.");
		igt_subtest("prefetch-chunk-fails") {
			const uint64_t size = MANY_CHUNKS * SZ_2M, npages = size / SZ_4K;
			uint8_t *p = anon_aligned(size);
			int64_t vram0, moved0, moved, bad;
			int ret;

			igt_assert_eq(set_knob("migrate_workers", "0"), 0);	/* parallel */
			vsvm_t_fill(p, size, 23);
			vsvm_t_mirror(fd, vm, p, size);
			vram0 = vsvm_t_counter(fd, "vram_used");
			moved0 = vsvm_t_counter(fd, "pages_to_vram");
			/*
			 * Each chunk calls the site once per device with VRAM
			 * (its own pages, then each other device's): the 7th
			 * call is past at least 3 migrated chunks, whatever
			 * the interleaving of the workers, and far from the
			 * last of the 12.
			 */
			fail_chunk_arm(7);
			ret = vsvm_t_prefetch_loc(fd, vm, p, size, vsvm_t_here(fd), NULL,
						  NULL, NULL);
			fail_fn_off(0);
			igt_assert_f(ret == -ENOMEM, "prefetch with a failing chunk: %s\n",
				     vsvm_strerror(ret));
			/*
			 * The counters tell what moved; the migration mapped it
			 * for the GPU itself (unless an invalidation came in
			 * between), the prefetch's walk never ran.
			 */
			moved = vsvm_t_counter(fd, "pages_to_vram") - moved0;
			igt_info("%" PRId64 " of %" PRIu64 " pages moved before the error\n",
				 moved, npages);
			igt_assert_lt(0, moved);
			igt_assert_lt(moved, (int64_t)npages);
			igt_assert_lte(vram0 + moved * SZ_4K, vsvm_t_counter(fd, "vram_used"));
			igt_assert_lte_u64(in_vram(p, size), (uint64_t)moved);
			/* No page lost its data, wherever it is. */
			gpu_touch(p, size, 4);
			bad = check_touched(p, size, 23, 4);
			igt_assert_f(bad < 0, "word %" PRId64 " (page %" PRId64 ") wrong\n",
				     bad, bad / 512);
			/* Without the injection the same prefetch moves everything. */
			to_vram(p, size);
			igt_assert_eq_u64(in_vram(p, size), npages);
			bad = check_touched(p, size, 23, 4);
			igt_assert_f(bad < 0, "word %" PRId64 " wrong after the retry\n", bad);
			igt_assert_eq(set_knob("migrate_workers", "0"), 0);	/* the default */
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
			vsvm_t_munmap_aligned(p, size);
		}

		igt_describe("munmap of part of the range while a parallel prefetch migrates it.");
		igt_subtest("munmap-during-parallel-prefetch") {
			const uint64_t size = MANY_CHUNKS * SZ_2M;
			const uint64_t hole = 4 * SZ_2M + 7 * SZ_4K, hole_len = 3 * SZ_2M;

			igt_assert_eq(set_knob("migrate_workers", "0"), 0);	/* parallel */

			for (int round = 0; round < 6; round++) {
				uint8_t *p = anon_aligned(size), *n;
				struct prefetcher pf = {
					.p = p, .size = size,
					.loc = round & 1 ? DRM_VSVM_LOCATION_SYSTEM :
					       vsvm_t_here(fd),
				};
				int64_t bad;

				vsvm_t_fill(p, size, 30 + round);
				vsvm_t_mirror(fd, vm, p, size);
				if (round & 1)	/* to system: start from VRAM */
					to_vram(p, size);
				igt_assert_eq(pthread_create(&pf.t, NULL, prefetch_thread, &pf), 0);
				usleep(round * 20000);
				igt_assert_eq(munmap(p + hole, hole_len), 0);
				pthread_join(pf.t, NULL);
				igt_assert_f(pf.ret == 0, "round %d: prefetch %s\n", round,
					     vsvm_strerror(pf.ret));
				igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, p + hole,
								     hole_len / SZ_4K,
								     DRM_VSVM_QUERY_GPU_MAPPED), 0);
				bad = vsvm_t_check(p, hole, 30 + round, 0);
				igt_assert_f(bad < 0, "round %d: word %" PRId64 " wrong\n",
					     round, bad);
				for (uint64_t i = (hole + hole_len) / 8; i < size / 8; i++)
					igt_assert_f(((uint64_t *)p)[i] ==
						     vsvm_t_pattern(30 + round, i),
						     "round %d: word %" PRIu64 " wrong\n", round, i);
				/* New memory in the hole reads zeros, on the GPU too. */
				n = mmap(p + hole, hole_len, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
				igt_assert(n == p + hole);
				gpu_touch(n, hole_len, 9);
				for (uint64_t i = 0; i < hole_len / 8; i++)
					igt_assert_eq_u64(((uint64_t *)n)[i], i % 512 ? 0 : 9);
				igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
				vsvm_t_munmap_aligned(p, size);
			}
			igt_assert_eq(set_knob("migrate_workers", "0"), 0);	/* the default */
		}
	}

	igt_fixture {
		vsvm_vm_destroy(fd, vm);
		close(fd);
	}
}
