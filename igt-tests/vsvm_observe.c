// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm observe
 * Category: Core
 * Mega feature: SVM
 * Sub-category: Observability
 * Functionality: debugfs counters, fdinfo
 * Description: The debugfs counters move as the driver works, and fdinfo
 *		carries the DRM usage-stats keys. Missing files fail (the
 *		feature is required), they do not skip.
 *
 * SUBTEST: counters-present
 * Description: vsvm_counters has every required counter as "name value".
 *
 * SUBTEST: counters-jobs
 * Description: Three jobs move "jobs" by at least three.
 *
 * SUBTEST: counters-faults
 * Description: A job over 16 fresh pages moves faults, fault_batches and pages_faulted.
 *
 * SUBTEST: counters-invalidations
 * Description: munmap of a GPU-mapped range moves invalidations and tlb_flushes.
 *
 * SUBTEST: counters-job-errors
 * Description: A faulting job moves job_errors by one.
 *
 * SUBTEST: debugfs-vms
 * Description: vsvm_vms lists a new VM and its mirror.
 *
 * SUBTEST: fdinfo-keys
 * Description: fdinfo has drm-driver vsvm and a numeric drm-client-id.
 *
 * SUBTEST: fdinfo-client-id
 * Description: Two opens have different client ids; a dup() shares one.
 *
 * SUBTEST: fdinfo-engine-time
 * Description: drm-engine-* busy time grows after a job on that engine.
 *
 * SUBTEST: fdinfo-vram-per-client
 * Description: Of two clients, the one whose VM migrates N pages to VRAM
 *		shows N * 4 KiB in drm-total-vram, drm-resident-vram and
 *		drm-memory-vram, the other 0; after migrating back both show 0.
 *
 * SUBTEST: fdinfo-vram-close-first
 * Description: A client closed while the pages its VM migrated are still
 *		in VRAM: another client that maps them there is not charged,
 *		their data comes back on a CPU touch, and their release after
 *		the close stays clean.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: debugfs counters and fdinfo.");

static int fd = -1;
static uint32_t vm;

static const char *const required[] = {
	"faults", "fault_batches", "pages_faulted", "invalidations",
	"tlb_flushes", "jobs", "job_errors",
};

static int64_t counter(const char *name)
{
	int64_t v = vsvm_t_counter(fd, name);

	igt_assert_f(v >= 0, "debugfs counter \"%s\" missing (vsvm_counters)\n",
		     name);
	return v;
}

/* Value of fdinfo key @key for @f as a string; false if absent. */
static bool fdinfo(int f, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	bool found = false;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", f);
	fp = fopen(path, "r");
	igt_assert(fp);
	while (fgets(line, sizeof(line), fp)) {
		char *v;

		if (strncmp(line, key, kl) || line[kl] != ':')
			continue;
		v = line + kl + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, "\n")] = 0;
		snprintf(val, len, "%s", v);
		found = true;
		break;
	}
	fclose(fp);
	return found;
}

static uint64_t client_id(int f)
{
	char v[64];

	igt_assert_f(fdinfo(f, "drm-client-id", v, sizeof(v)),
		     "no drm-client-id in fdinfo\n");
	return strtoull(v, NULL, 10);
}

/* Sum of drm-engine-<name> values (ns) of @f. */
static uint64_t engine_ns(int f, int *nkeys)
{
	char path[64], line[256];
	uint64_t sum = 0;
	FILE *fp;

	*nkeys = 0;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", f);
	fp = fopen(path, "r");
	igt_assert(fp);
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long ns;
		char name[64];

		if (strncmp(line, "drm-engine-", 11) ||
		    !strncmp(line, "drm-engine-capacity-", 20))
			continue;
		if (sscanf(line, "drm-engine-%63[^:]: %llu ns", name, &ns) == 2) {
			sum += ns;
			(*nkeys)++;
		}
	}
	fclose(fp);
	return sum;
}

/* fdinfo size key @key of @f in bytes ("<n>", "<n> KiB" or "<n> MiB"). */
static uint64_t fdinfo_bytes(int f, const char *key)
{
	char v[64], unit[16] = "";
	unsigned long long n;
	int k;

	igt_assert_f(fdinfo(f, key, v, sizeof(v)), "no %s in fdinfo\n", key);
	k = sscanf(v, "%llu %15s", &n, unit);
	igt_assert_f(k >= 1, "%s: \"%s\" is not a size\n", key, v);
	if (k == 1)
		return n;
	if (!strcmp(unit, "KiB"))
		return n << 10;
	igt_assert_f(!strcmp(unit, "MiB"), "%s: unknown unit \"%s\"\n", key, unit);
	return n << 20;
}

/* Assert that every VRAM key of @f's fdinfo says @bytes. */
static void assert_vram(int f, uint64_t bytes)
{
	static const char *const keys[] = {
		"drm-total-vram", "drm-resident-vram", "drm-memory-vram",
	};

	for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		uint64_t got = fdinfo_bytes(f, keys[i]);

		igt_assert_f(got == bytes, "fd %d: %s is %" PRIu64 " bytes, expected %" PRIu64 "\n",
			     f, keys[i], got, bytes);
	}
}

static void dump_fdinfo(int f)
{
	char path[64], line[256];
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", f);
	fp = fopen(path, "r");
	igt_assert(fp);
	while (fgets(line, sizeof(line), fp))
		igt_info("%s", line);
	fclose(fp);
}

#define VRAM_PAGES	16

/*
 * Two clients of device 0, each with a VM mirroring the same new buffer of
 * @size bytes filled with pattern @seed (skips without VRAM).
 */
static void *two_clients(uint64_t size, uint64_t seed, int *a, uint32_t *vma,
			 int *b, uint32_t *vmb)
{
	void *p;

	vsvm_t_require_vram(fd);
	*a = vsvm_t_open(0);
	*b = vsvm_t_open(0);
	*vma = vsvm_t_vm(*a);
	*vmb = vsvm_t_vm(*b);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(p != MAP_FAILED);
	vsvm_t_fill(p, size, seed);
	vsvm_t_mirror(*a, *vma, p, size);
	vsvm_t_mirror(*b, *vmb, p, size);
	return p;
}

igt_main
{
	igt_fixture {
		fd = vsvm_t_open(0);
		vm = vsvm_t_vm(fd);
	}

	igt_describe("vsvm_counters has every required counter.");
	igt_subtest("counters-present") {
		char dir[256];

		igt_assert_eq(vsvm_debugfs_dir(fd, dir, sizeof(dir)), 0);
		for (unsigned int i = 0; i < sizeof(required) / sizeof(required[0]); i++)
			igt_info("%s %" PRId64 "\n", required[i], counter(required[i]));
	}

	igt_describe("Three jobs move jobs by at least three.");
	igt_subtest("counters-jobs") {
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int64_t before = counter("jobs");

		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		for (int i = 0; i < 3; i++) {
			uint64_t args[2] = { vsvm_va(p), i };

			vsvm_t_run_ok(fd, vm, VSVM_T_PROG_ST64_AT, 1, args, 2);
			igt_assert_eq_u64(p[0], i);
		}
		igt_assert_lte_u64(before + 3, counter("jobs"));
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K), 0);
		munmap(p, SZ_4K);
	}

	igt_describe("A job over 16 fresh pages moves the fault counters.");
	igt_subtest("counters-faults") {
		uint64_t *p = mmap(NULL, 16 * SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int64_t f0 = counter("faults"), b0 = counter("fault_batches");
		int64_t p0 = counter("pages_faulted");
		uint64_t args[3] = { vsvm_va(p), 1, 16 };

		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, vm, p, 16 * SZ_4K);
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_TOUCH_PAGES, 4, args, 3);
		for (int i = 0; i < 16; i++)
			igt_assert_eq_u64(p[i * 512], 1);
		igt_assert_lt_u64(f0, counter("faults"));
		igt_assert_lt_u64(b0, counter("fault_batches"));
		igt_assert_lte_u64(p0 + 16, counter("pages_faulted"));
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 16 * SZ_4K), 0);
		munmap(p, 16 * SZ_4K);
	}

	igt_describe("munmap of a GPU-mapped range moves invalidations and tlb_flushes.");
	igt_subtest("counters-invalidations") {
		uint64_t *p = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int64_t i0, t0;

		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
		vsvm_t_roundtrip(fd, vm, p, 4 * SZ_4K, 1);
		igt_assert(vsvm_t_query(fd, vm, p) & DRM_VSVM_QUERY_GPU_MAPPED);
		i0 = counter("invalidations");
		t0 = counter("tlb_flushes");
		igt_assert_eq(munmap(p, 4 * SZ_4K), 0);
		igt_assert_lt_u64(i0, counter("invalidations"));
		igt_assert_lt_u64(t0, counter("tlb_flushes"));
		igt_assert_eq_u32(vsvm_t_query(fd, vm, p) & DRM_VSVM_QUERY_GPU_MAPPED, 0);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
	}

	igt_describe("A faulting job moves job_errors by one.");
	igt_subtest("counters-job-errors") {
		int64_t e0 = counter("job_errors");
		uint64_t args[2] = { 0x6000000000ull, 1 };
		struct drm_vsvm_job_status st;

		igt_assert_eq(vsvm_t_run(fd, vm, VSVM_T_PROG_ST64_AT, 1, args, 2,
					 &st), DRM_VSVM_JOB_FAULTED);
		igt_assert_eq_u64(counter("job_errors"), e0 + 1);
	}

	igt_describe("vsvm_vms lists a new VM and its mirror.");
	igt_subtest("debugfs-vms") {
		char dir[256], path[320], line[256], want[64], want2[96];
		uint64_t *p = mmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint32_t v = vsvm_t_vm(fd);
		bool seen_vm = false, seen_mirror = false;
		FILE *f;

		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, v, p, 2 * SZ_4K);
		igt_assert_eq(vsvm_debugfs_dir(fd, dir, sizeof(dir)), 0);
		snprintf(path, sizeof(path), "%s/vsvm_vms", dir);
		f = fopen(path, "r");
		igt_assert_f(f, "%s: %s\n", path, strerror(errno));
		snprintf(want, sizeof(want), "vm %u ", v);
		snprintf(want2, sizeof(want2), "mirror [0x%" PRIx64 ", 0x%" PRIx64 ")",
			 vsvm_va(p), vsvm_va(p) + (uint64_t)(2 * SZ_4K));
		while (fgets(line, sizeof(line), f)) {
			if (!strncmp(line, want, strlen(want)))
				seen_vm = true;
			else if (seen_vm && strstr(line, want2))
				seen_mirror = true;
		}
		fclose(f);
		igt_assert_f(seen_vm, "no \"%s\" line\n", want);
		igt_assert_f(seen_mirror, "no \"%s\" line\n", want2);
		igt_assert_eq(vsvm_vm_destroy(fd, v), 0);
		munmap(p, 2 * SZ_4K);
	}

	igt_describe("fdinfo has drm-driver vsvm and a numeric drm-client-id.");
	igt_subtest("fdinfo-keys") {
		char v[64];

		igt_assert_f(fdinfo(fd, "drm-driver", v, sizeof(v)),
			     "no drm-driver in fdinfo\n");
		igt_assert_f(!strcmp(v, "vsvm"), "drm-driver is \"%s\"\n", v);
		igt_assert_f(fdinfo(fd, "drm-client-id", v, sizeof(v)),
			     "no drm-client-id in fdinfo\n");
		igt_assert(v[0] >= '0' && v[0] <= '9');
	}

	igt_describe("Two opens have different client ids; a dup() shares one.");
	igt_subtest("fdinfo-client-id") {
		int f2 = vsvm_t_open(0), f3 = dup(fd);

		igt_assert(f3 >= 0);
		igt_assert_neq_u64(client_id(fd), client_id(f2));
		igt_assert_eq_u64(client_id(fd), client_id(f3));
		close(f2);
		close(f3);
	}

	igt_describe("drm-engine-* busy time grows after a job.");
	igt_subtest("fdinfo-engine-time") {
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t args[3] = { vsvm_va(p), 1, 1 };
		uint64_t before, after;
		int n;

		igt_assert(p != MAP_FAILED);
		before = engine_ns(fd, &n);
		igt_assert_f(n > 0, "no drm-engine-<name> keys in fdinfo\n");
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_TOUCH_PAGES, 64, args, 3);
		after = engine_ns(fd, &n);
		igt_assert_lt_u64(before, after);
		igt_assert_eq_u64(p[0], 1);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K), 0);
		munmap(p, SZ_4K);
	}

	igt_describe("VRAM is charged to the client whose VM migrated it.");
	igt_subtest("fdinfo-vram-per-client") {
		const uint64_t size = VRAM_PAGES * SZ_4K;
		uint8_t status[VRAM_PAGES];
		uint64_t done = 0, failed = 0;
		uint32_t vma, vmb;
		int a, b;
		void *p;

		p = two_clients(size, 7, &a, &vma, &b, &vmb);
		assert_vram(a, 0);
		assert_vram(b, 0);

		igt_assert_eq(vsvm_t_prefetch_loc(a, vma, p, size, vsvm_t_here(a),
						  status, &done, &failed), 0);
		igt_assert_eq_u64(done, VRAM_PAGES);
		igt_assert_eq_u64(failed, 0);
		igt_assert_eq_u64(vsvm_t_count_flags(a, vma, p, VRAM_PAGES,
						     DRM_VSVM_QUERY_VRAM), VRAM_PAGES);
		dump_fdinfo(a);
		assert_vram(a, size);
		assert_vram(b, 0);

		igt_assert_eq(vsvm_t_prefetch_loc(a, vma, p, size,
						  DRM_VSVM_LOCATION_SYSTEM,
						  status, &done, &failed), 0);
		igt_assert_eq_u64(failed, 0);
		igt_assert_eq_u64(vsvm_t_count_flags(a, vma, p, VRAM_PAGES,
						     DRM_VSVM_QUERY_VRAM), 0);
		assert_vram(a, 0);
		assert_vram(b, 0);
		igt_assert_eq(vsvm_t_check(p, size, 7, 0), -1);

		close(a);
		close(b);
		munmap(p, size);
	}

	igt_describe("VRAM charged to a closed client is released cleanly.");
	igt_subtest("fdinfo-vram-close-first") {
		const uint64_t size = VRAM_PAGES * SZ_4K;
		uint64_t done = 0;
		uint32_t vma, vmb;
		int a, b;
		void *p;

		p = two_clients(size, 9, &a, &vma, &b, &vmb);
		igt_assert_eq(vsvm_t_prefetch_loc(a, vma, p, size, vsvm_t_here(a),
						  NULL, &done, NULL), 0);
		igt_assert_eq_u64(done, VRAM_PAGES);
		assert_vram(a, size);
		close(a);

		/*
		 * The pages stay in VRAM, charged to nobody still open: b maps
		 * them where they are (no migration, so no charge).
		 */
		igt_assert_eq(vsvm_t_prefetch_loc(b, vmb, p, size, DRM_VSVM_LOCATION_ANY,
						  NULL, &done, NULL), 0);
		igt_assert_eq_u64(done, VRAM_PAGES);
		igt_assert_eq_u64(vsvm_t_count_flags(b, vmb, p, VRAM_PAGES,
						     DRM_VSVM_QUERY_VRAM), VRAM_PAGES);
		assert_vram(b, 0);
		/* CPU faults bring them back; the allocation goes after the close. */
		igt_assert_eq(vsvm_t_check(p, size, 9, 0), -1);
		igt_assert_eq_u64(vsvm_t_count_flags(b, vmb, p, VRAM_PAGES,
						     DRM_VSVM_QUERY_VRAM), 0);
		assert_vram(b, 0);
		close(b);
		munmap(p, size);
	}

	igt_fixture {
		vsvm_vm_destroy(fd, vm);
		close(fd);
	}
}
