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
 * SUBTEST: attr-set-get
 * Description: Placement attributes read back as set, split at range boundaries.
 *
 * SUBTEST: attr-bad-%s
 * Description: SVM_ATTR_SET with one bad field returns -EINVAL (or -ENOENT) and changes nothing.
 */

#include <errno.h>
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

	igt_fixture {
		vsvm_vm_destroy(fd, vm);
		close(fd);
	}
}
