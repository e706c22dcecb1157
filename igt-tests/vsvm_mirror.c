// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm mirror
 * Category: Core
 * Mega feature: SVM
 * Sub-category: Mirroring
 * Functionality: GPU access to every kind of CPU memory through HMM
 * Description: Each kind of process memory is mirrored; the CPU writes a
 *		pattern, the GPU reads it and writes a transformed copy, the
 *		CPU checks every word. Read-only and PROT_NONE mappings fault
 *		with the documented reason at the exact address.
 *
 * SUBTEST: anon-private
 * Description: Private anonymous memory.
 *
 * SUBTEST: anon-shared
 * Description: Shared anonymous memory (shmem), seen through a second process view.
 *
 * SUBTEST: malloc
 * Description: A malloc()ed buffer on the heap.
 *
 * SUBTEST: malloc-small
 * Description: A small malloc()ed object sharing pages with others.
 *
 * SUBTEST: stack
 * Description: An array on the thread's stack.
 *
 * SUBTEST: file-tmpfs
 * Description: A shared file mapping on tmpfs; data checked through read()/write().
 *
 * SUBTEST: file-ext4
 * Description: A shared file mapping on ext4 (page cache, not DAX).
 *
 * SUBTEST: file-dax
 * Description: A shared file mapping on ext4 -o dax over pmem.
 *
 * SUBTEST: file-private
 * Description: A private file mapping: GPU writes copy-on-write, the file is unchanged.
 *
 * SUBTEST: memfd
 * Description: A memfd mapped twice; the GPU writes through one, the CPU reads the other.
 *
 * SUBTEST: sysv-shm
 * Description: A System V shared memory segment.
 *
 * SUBTEST: hugetlbfs
 * Description: A file on hugetlbfs (2 MiB pages).
 *
 * SUBTEST: hugetlb-anon
 * Description: Anonymous MAP_HUGETLB memory.
 *
 * SUBTEST: hugetlbfs-huge-pte
 * Description: A hugetlbfs page is mapped on the GPU with a 2 MiB PTE.
 *
 * SUBTEST: thp
 * Description: A transparent huge page is mirrored with data checked and a 2 MiB GPU PTE.
 *
 * SUBTEST: read-only
 * Description: A read-only mapping: GPU reads work, a GPU write faults ACCESS at its address.
 *
 * SUBTEST: read-only-file
 * Description: A file opened read-only: GPU write faults ACCESS.
 *
 * SUBTEST: prot-none-read
 * Description: A PROT_NONE mapping: a GPU read faults ACCESS.
 *
 * SUBTEST: prot-none-write
 * Description: A PROT_NONE mapping: a GPU write faults ACCESS.
 *
 * SUBTEST: zero-page
 * Description: Never-written memory reads as zero; a later CPU write is seen by the GPU.
 *
 * SUBTEST: zero-page-gpu-write
 * Description: The GPU reads the zero page, then writes the same page.
 *
 * SUBTEST: sparse-large
 * Description: A 1 GiB mirror with a few mapped pages in it.
 *
 * SUBTEST: many-ranges
 * Description: 16 mirrors in one VM, each with its own data.
 *
 * SUBTEST: unmirror
 * Description: After UNMIRROR a GPU access faults NOT_MIRRORED; CPU data stays.
 *
 * SUBTEST: query-flags
 * Description: SVM_QUERY reports mirrored, GPU-mapped and writable as expected.
 *
 * SUBTEST: prefetch-status
 * Description: PREFETCH reports per page OK, NO_VMA and ACCESS with counts.
 *
 * SUBTEST: gem-readonly
 * Description: A GEM object mapped read-only in the window: reads work, writes fault ACCESS.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: mirroring of every kind of process memory.");

#define TMPFS_MAGIC_	0x01021994
#define EXT4_MAGIC_	0xef53
#define HUGETLBFS_MAGIC_	0x958458f6

#define WIN_START	(1ull << 40)

static int fd = -1;
static uint32_t vm;

static void *page_down(const void *p)
{
	return (void *)((uintptr_t)p & ~(uintptr_t)(SZ_4K - 1));
}

static uint64_t page_span(const void *p, uint64_t size)
{
	uintptr_t s = (uintptr_t)page_down(p);
	uintptr_t e = ((uintptr_t)p + size + SZ_4K - 1) & ~(uintptr_t)(SZ_4K - 1);

	return e - s;
}

/* Mirror exactly @ptr..+size (page aligned), roundtrip, unmirror. */
static void mirror_roundtrip(void *ptr, uint64_t size, uint64_t seed)
{
	vsvm_t_mirror(fd, vm, ptr, size);
	vsvm_t_roundtrip(fd, vm, ptr, size, seed);
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(ptr), size), 0);
}

/* Mirror the pages around an unaligned object and roundtrip the object. */
static void mirror_object(void *obj, uint64_t size, uint64_t seed)
{
	void *base = page_down(obj);
	uint64_t span = page_span(obj, size);

	vsvm_t_mirror(fd, vm, base, span);
	vsvm_t_roundtrip(fd, vm, obj, size, seed);
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(base), span), 0);
}

/* Is there a mount of @fstype at @dir whose options (do not) contain @opt? */
static bool mount_has(const char *dir, const char *fstype, const char *opt,
		      bool want)
{
	char src[256], mnt[256], type[64], opts[512];
	bool found = false;
	FILE *f = fopen("/proc/mounts", "r");

	if (!f)
		return false;
	while (fscanf(f, "%255s %255s %63s %511s %*d %*d", src, mnt, type,
		      opts) == 4) {
		if (strcmp(mnt, dir) || strcmp(type, fstype))
			continue;
		found = (strstr(opts, opt) != NULL) == want;
	}
	fclose(f);
	return found;
}

/* Find a writable non-DAX ext4 mount; NULL if none. */
static const char *find_ext4_pagecache(char *buf, size_t len)
{
	char src[256], mnt[256], type[64], opts[512];
	const char *ret = NULL;
	FILE *f = fopen("/proc/mounts", "r");

	if (!f)
		return NULL;
	while (fscanf(f, "%255s %255s %63s %511s %*d %*d", src, mnt, type,
		      opts) == 4) {
		if (strcmp(type, "ext4") || strstr(opts, "dax") ||
		    strncmp(opts, "rw", 2) || access(mnt, W_OK))
			continue;
		snprintf(buf, len, "%s", mnt);
		ret = buf;
		break;
	}
	fclose(f);
	return ret;
}

/*
 * A shared file mapping of @size in @dir: the CPU writes the pattern with
 * pwrite(), the GPU transforms it in place through the mapping, the CPU
 * reads it back with pread() (the page cache, or the DAX media).
 */
static void file_roundtrip(const char *dir, uint64_t size, int mflags)
{
	char path[512];
	uint64_t *tmp = malloc(size);
	const uint64_t add = 0x5151;
	int f;
	void *map;

	igt_assert(tmp);
	snprintf(path, sizeof(path), "%s/vsvm-mirror-XXXXXX", dir);
	f = mkstemp(path);
	igt_assert_f(f >= 0, "mkstemp in %s: %s\n", dir, strerror(errno));
	unlink(path);
	vsvm_t_fill(tmp, size, 42);
	igt_assert_eq(pwrite(f, tmp, size, 0), (ssize_t)size);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, mflags, f, 0);
	igt_assert(map != MAP_FAILED);

	vsvm_t_mirror(fd, vm, map, size);
	vsvm_t_gpu_add(fd, vm, map, map, size / 8, add);
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(map), size), 0);

	memset(tmp, 0, size);
	igt_assert_eq(pread(f, tmp, size, 0), (ssize_t)size);
	if (mflags & MAP_PRIVATE) {
		/* The file keeps the CPU's data; the mapping has the GPU's. */
		igt_assert_eq(vsvm_t_check(tmp, size, 42, 0), -1);
		igt_assert_eq(vsvm_t_check(map, size, 42, add), -1);
	} else {
		igt_assert_eq(vsvm_t_check(tmp, size, 42, add), -1);
		igt_assert_eq(vsvm_t_check(map, size, 42, add), -1);
	}
	munmap(map, size);
	close(f);
	free(tmp);
}

static uint64_t hugepages_free(void)
{
	char line[128];
	unsigned long long n = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "HugePages_Free: %llu", &n) == 1)
			break;
	fclose(f);
	return n;
}

static void *hugetlbfs_map(uint64_t size, int *pf)
{
	char path[] = "/mnt/huge/vsvm-XXXXXX";
	void *p;
	int f;

	igt_require_f(vsvm_t_fs_is("/mnt/huge", HUGETLBFS_MAGIC_),
		      "no hugetlbfs at /mnt/huge\n");
	igt_require_f(hugepages_free() >= size / SZ_2M,
		      "needs %llu free 2 MiB huge pages\n", size / SZ_2M);
	f = mkstemp(path);
	igt_assert(f >= 0);
	unlink(path);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
	igt_assert(p != MAP_FAILED);
	*pf = f;
	return p;
}

/* Bytes of AnonHugePages in the smaps entry containing @addr. */
static uint64_t anon_huge_bytes(const void *addr)
{
	char line[256];
	unsigned long s, e;
	unsigned long long kb = 0;
	bool in = false;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &s, &e) == 2) {
			in = (uintptr_t)addr >= s && (uintptr_t)addr < e;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %llu kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb * 1024;
}

static void fault_job(void *target, bool write, uint32_t want_reason)
{
	struct drm_vsvm_job_status st;
	uint64_t args[2] = { vsvm_va(target), 0xbad };
	uint64_t *sink = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(sink != MAP_FAILED);
	vsvm_t_mirror(fd, vm, sink, SZ_4K);
	sink[0] = 0x5eed;
	if (!write)
		args[1] = vsvm_va(sink);
	vsvm_t_run(fd, vm, write ? VSVM_T_PROG_ST64_AT : VSVM_T_PROG_LD64_AT,
		   1, args, 2, &st);
	vsvm_t_assert_fault(&st, want_reason, vsvm_va(target),
			    write ? DRM_VSVM_ACCESS_WRITE : DRM_VSVM_ACCESS_READ);
	igt_assert_eq_u32(st.fault_lane, 0);
	igt_assert_eq_u32(st.fault_pc, write ? 0 : 0);
	/* The faulting access had no effect. */
	igt_assert_eq_u64(sink[0], 0x5eed);
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(sink), SZ_4K), 0);
	munmap(sink, SZ_4K);
}

igt_main
{
	igt_fixture {
		fd = vsvm_t_open(0);
		vm = vsvm_t_vm(fd);
	}

	igt_describe("Private anonymous memory.");
	igt_subtest("anon-private") {
		void *p = mmap(NULL, 16 * SZ_4K, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(p != MAP_FAILED);
		mirror_roundtrip(p, 16 * SZ_4K, 1);
		munmap(p, 16 * SZ_4K);
	}

	igt_describe("Shared anonymous memory, checked from a child's view too.");
	igt_subtest("anon-shared") {
		uint64_t *p = mmap(NULL, 16 * SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		igt_assert(p != MAP_FAILED);
		mirror_roundtrip(p, 16 * SZ_4K, 2);
		/* The GPU's writes are in the shared pages, seen by a child. */
		igt_fork(child, 1)
			igt_assert_eq(vsvm_t_check(p, 16 * SZ_4K, 2, 0x1234567),
				      -1);
		igt_waitchildren();
		munmap(p, 16 * SZ_4K);
	}

	igt_describe("A malloc()ed buffer on the heap.");
	igt_subtest("malloc") {
		uint64_t *p = malloc(100 * 1024);

		igt_assert(p);
		mirror_object(p, 100 * 1024, 3);
		free(p);
	}

	igt_describe("A small malloc()ed object sharing pages with others.");
	igt_subtest("malloc-small") {
		uint64_t *a = malloc(256), *b = malloc(256);

		igt_assert(a && b);
		memset(b, 0x3c, 256);
		mirror_object(a, 256, 4);
		/* The neighbour was not touched. */
		for (int i = 0; i < 256; i++)
			igt_assert_eq(((uint8_t *)b)[i], 0x3c);
		free(a);
		free(b);
	}

	igt_describe("An array on the thread's stack.");
	igt_subtest("stack") {
		uint64_t arr[2048] __attribute__((aligned(64)));

		mirror_object(arr, sizeof(arr), 5);
	}

	igt_describe("A shared file mapping on tmpfs.");
	igt_subtest("file-tmpfs") {
		igt_require_f(vsvm_t_fs_is("/mnt/tmpfs", TMPFS_MAGIC_),
			      "no tmpfs at /mnt/tmpfs\n");
		file_roundtrip("/mnt/tmpfs", 32 * SZ_4K, MAP_SHARED);
	}

	igt_describe("A shared file mapping on ext4 (page cache).");
	igt_subtest("file-ext4") {
		char dir[256];
		const char *d = find_ext4_pagecache(dir, sizeof(dir));

		igt_require_f(d, "no writable non-DAX ext4 mount\n");
		file_roundtrip(d, 32 * SZ_4K, MAP_SHARED);
	}

	igt_describe("A shared file mapping on ext4 -o dax over pmem.");
	igt_subtest("file-dax") {
		igt_require_f(mount_has("/mnt/pmem", "ext4", "dax", true),
			      "no ext4 -o dax at /mnt/pmem\n");
		file_roundtrip("/mnt/pmem", 32 * SZ_4K, MAP_SHARED);
	}

	igt_describe("A private file mapping: the file stays unchanged.");
	igt_subtest("file-private") {
		igt_require(vsvm_t_fs_is("/mnt/tmpfs", TMPFS_MAGIC_));
		file_roundtrip("/mnt/tmpfs", 8 * SZ_4K, MAP_PRIVATE);
	}

	igt_describe("A memfd mapped twice: GPU through one view, CPU the other.");
	igt_subtest("memfd") {
		int m = memfd_create("vsvm", 0);
		uint64_t *a, *b;

		igt_assert(m >= 0);
		igt_assert_eq(ftruncate(m, 8 * SZ_4K), 0);
		a = mmap(NULL, 8 * SZ_4K, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
		b = mmap(NULL, 8 * SZ_4K, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
		igt_assert(a != MAP_FAILED && b != MAP_FAILED);
		vsvm_t_fill(b, 8 * SZ_4K, 6);
		vsvm_t_mirror(fd, vm, a, 8 * SZ_4K);
		vsvm_t_gpu_add(fd, vm, a, a, SZ_4K, 9);
		igt_assert_eq(vsvm_t_check(b, 8 * SZ_4K, 6, 9), -1);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(a), 8 * SZ_4K), 0);
		munmap(a, 8 * SZ_4K);
		munmap(b, 8 * SZ_4K);
		close(m);
	}

	igt_describe("A System V shared memory segment.");
	igt_subtest("sysv-shm") {
		int id = shmget(IPC_PRIVATE, 8 * SZ_4K, IPC_CREAT | 0600);
		void *p;

		igt_require_f(id >= 0, "shmget: %s\n", strerror(errno));
		p = shmat(id, NULL, 0);
		shmctl(id, IPC_RMID, NULL);
		igt_assert(p != (void *)-1);
		mirror_roundtrip(p, 8 * SZ_4K, 7);
		shmdt(p);
	}

	igt_describe("A file on hugetlbfs.");
	igt_subtest("hugetlbfs") {
		int f;
		void *p = hugetlbfs_map(2 * SZ_2M, &f);

		mirror_roundtrip(p, 2 * SZ_2M, 8);
		munmap(p, 2 * SZ_2M);
		close(f);
	}

	igt_describe("Anonymous MAP_HUGETLB memory.");
	igt_subtest("hugetlb-anon") {
		void *p;

		igt_require(hugepages_free() >= 1);
		p = mmap(NULL, SZ_2M, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		igt_require_f(p != MAP_FAILED, "MAP_HUGETLB: %s\n",
			      strerror(errno));
		mirror_roundtrip(p, SZ_2M, 9);
		munmap(p, SZ_2M);
	}

	igt_describe("A hugetlbfs page is mapped on the GPU with a 2 MiB PTE.");
	igt_subtest("hugetlbfs-huge-pte") {
		int f;
		uint8_t *p = hugetlbfs_map(SZ_2M, &f);
		uint32_t *flags;

		vsvm_t_mirror(fd, vm, p, SZ_2M);
		vsvm_t_roundtrip(fd, vm, p, SZ_2M, 10);
		flags = vsvm_t_query_range(fd, vm, p, SZ_2M / SZ_4K);
		for (unsigned int i = 0; i < SZ_2M / SZ_4K; i++)
			igt_assert_f((flags[i] & (DRM_VSVM_QUERY_GPU_MAPPED |
						  DRM_VSVM_QUERY_HUGE)) ==
				     (DRM_VSVM_QUERY_GPU_MAPPED | DRM_VSVM_QUERY_HUGE),
				     "page %u flags %#x\n", i, flags[i]);
		free(flags);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_2M), 0);
		munmap(p, SZ_2M);
		close(f);
	}

	igt_describe("A transparent huge page: data and a 2 MiB GPU PTE.");
	igt_subtest("thp") {
		uint8_t *p = vsvm_t_mmap_aligned(2 * SZ_2M, SZ_2M,
						 PROT_READ | PROT_WRITE,
						 MAP_PRIVATE | MAP_ANONYMOUS);
		uint32_t *flags;

		igt_require_f(madvise(p, 2 * SZ_2M, MADV_HUGEPAGE) == 0,
			      "MADV_HUGEPAGE: %s\n", strerror(errno));
		memset(p, 1, 2 * SZ_2M);
		igt_require_f(anon_huge_bytes(p) >= SZ_2M,
			      "the kernel gave no THP for this range\n");
		vsvm_t_mirror(fd, vm, p, 2 * SZ_2M);
		vsvm_t_roundtrip(fd, vm, p, 2 * SZ_2M, 11);
		flags = vsvm_t_query_range(fd, vm, p, 2 * SZ_2M / SZ_4K);
		igt_assert_f(flags[0] & DRM_VSVM_QUERY_HUGE,
			     "first page flags %#x, no huge GPU PTE\n", flags[0]);
		for (unsigned int i = 0; i < SZ_2M / SZ_4K; i++)
			igt_assert_eq_u32(flags[i] & DRM_VSVM_QUERY_HUGE,
					  DRM_VSVM_QUERY_HUGE);
		free(flags);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 2 * SZ_2M), 0);
		vsvm_t_munmap_aligned(p, 2 * SZ_2M);
	}

	igt_describe("A read-only mapping: reads work, a write faults ACCESS.");
	igt_subtest("read-only") {
		uint64_t *p = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t *out = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint32_t f;

		igt_assert(p != MAP_FAILED && out != MAP_FAILED);
		vsvm_t_fill(p, 4 * SZ_4K, 12);
		igt_assert_eq(mprotect(p, 4 * SZ_4K, PROT_READ), 0);
		vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
		vsvm_t_mirror(fd, vm, out, 4 * SZ_4K);
		vsvm_t_gpu_add(fd, vm, p, out, 4 * SZ_4K / 8, 1);
		igt_assert_eq(vsvm_t_check(out, 4 * SZ_4K, 12, 1), -1);
		f = vsvm_t_query(fd, vm, p);
		igt_assert(f & DRM_VSVM_QUERY_GPU_MAPPED);
		igt_assert_eq_u32(f & DRM_VSVM_QUERY_WRITABLE, 0);
		fault_job((uint8_t *)p + 2 * SZ_4K + 24, true,
			  DRM_VSVM_FAULT_ACCESS);
		/* Unchanged by the failed write. */
		igt_assert_eq(vsvm_t_check(p, 4 * SZ_4K, 12, 0), -1);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(out), 4 * SZ_4K), 0);
		munmap(p, 4 * SZ_4K);
		munmap(out, 4 * SZ_4K);
	}

	igt_describe("A file opened read-only: a GPU write faults ACCESS.");
	igt_subtest("read-only-file") {
		char path[] = "/mnt/tmpfs/vsvm-ro-XXXXXX";
		uint64_t buf[512];
		uint64_t *p;
		int f, rf;

		igt_require(vsvm_t_fs_is("/mnt/tmpfs", TMPFS_MAGIC_));
		f = mkstemp(path);
		igt_assert(f >= 0);
		vsvm_t_fill(buf, sizeof(buf), 13);
		igt_assert_eq(pwrite(f, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
		rf = open(path, O_RDONLY);
		unlink(path);
		igt_assert(rf >= 0);
		p = mmap(NULL, SZ_4K, PROT_READ, MAP_SHARED, rf, 0);
		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		fault_job(p + 5, true, DRM_VSVM_FAULT_ACCESS);
		igt_assert_eq(vsvm_t_check(p, SZ_4K, 13, 0), -1);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K), 0);
		munmap(p, SZ_4K);
		close(rf);
		close(f);
	}

	igt_describe("A PROT_NONE mapping: a GPU read faults ACCESS.");
	igt_subtest("prot-none-read") {
		uint8_t *p = mmap(NULL, 2 * SZ_4K, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, vm, p, 2 * SZ_4K);
		fault_job(p + SZ_4K + 64, false, DRM_VSVM_FAULT_ACCESS);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 2 * SZ_4K), 0);
		munmap(p, 2 * SZ_4K);
	}

	igt_describe("A PROT_NONE mapping: a GPU write faults ACCESS.");
	igt_subtest("prot-none-write") {
		uint8_t *p = mmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(p != MAP_FAILED);
		memset(p, 0x42, 2 * SZ_4K);
		igt_assert_eq(mprotect(p, 2 * SZ_4K, PROT_NONE), 0);
		vsvm_t_mirror(fd, vm, p, 2 * SZ_4K);
		fault_job(p + 8, true, DRM_VSVM_FAULT_ACCESS);
		igt_assert_eq(mprotect(p, 2 * SZ_4K, PROT_READ), 0);
		for (unsigned int i = 0; i < 2 * SZ_4K; i++)
			igt_assert_eq(p[i], 0x42);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 2 * SZ_4K), 0);
		munmap(p, 2 * SZ_4K);
	}

	igt_describe("Never-written memory reads as zero; then a CPU write is seen.");
	igt_subtest("zero-page") {
		uint64_t *p = mmap(NULL, 8 * SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t *out = mmap(NULL, 8 * SZ_4K, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		volatile uint64_t sink;

		igt_assert(p != MAP_FAILED && out != MAP_FAILED);
		/* CPU reads map the shared zero page. */
		for (int i = 0; i < 8; i++)
			sink = p[i * 512];
		(void)sink;
		memset(out, 0xff, 8 * SZ_4K);
		vsvm_t_mirror(fd, vm, p, 8 * SZ_4K);
		vsvm_t_mirror(fd, vm, out, 8 * SZ_4K);
		vsvm_t_gpu_add(fd, vm, p, out, 8 * SZ_4K / 8, 0);
		for (unsigned int i = 0; i < 8 * SZ_4K / 8; i++)
			igt_assert_eq_u64(out[i], 0);
		/* CPU write breaks COW of the zero page: GPU must follow. */
		for (int i = 0; i < 8; i++)
			p[i * 512 + 3] = 0xc0de + i;
		vsvm_t_gpu_add(fd, vm, p, out, 8 * SZ_4K / 8, 0);
		for (int i = 0; i < 8; i++)
			igt_assert_eq_u64(out[i * 512 + 3], 0xc0de + i);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 8 * SZ_4K), 0);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(out), 8 * SZ_4K), 0);
		munmap(p, 8 * SZ_4K);
		munmap(out, 8 * SZ_4K);
	}

	igt_describe("The GPU reads the zero page, then writes the same page.");
	igt_subtest("zero-page-gpu-write") {
		uint64_t *p = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
		/* Read-only GPU pass: everything stays zero (+0). */
		vsvm_t_gpu_add(fd, vm, p, p, 4 * SZ_4K / 8, 0);
		/* Write pass on the same pages. */
		vsvm_t_gpu_add(fd, vm, p, p, 4 * SZ_4K / 8, 77);
		for (unsigned int i = 0; i < 4 * SZ_4K / 8; i++)
			igt_assert_eq_u64(p[i], 77);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K), 0);
		munmap(p, 4 * SZ_4K);
	}

	igt_describe("A 1 GiB mirror with a few mapped pages in it.");
	igt_subtest("sparse-large") {
		uint8_t *r = mmap(NULL, SZ_1G, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		const uint64_t offs[] = { 0, 3 * SZ_2M + SZ_4K, SZ_1G / 2,
					  SZ_1G - SZ_4K };

		igt_assert(r != MAP_FAILED);
		for (int i = 0; i < 4; i++)
			igt_assert_eq(mprotect(r + offs[i], SZ_4K,
					       PROT_READ | PROT_WRITE), 0);
		vsvm_t_mirror(fd, vm, r, SZ_1G);
		for (int i = 0; i < 4; i++)
			vsvm_t_roundtrip(fd, vm, r + offs[i], SZ_4K, 20 + i);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(r), SZ_1G), 0);
		munmap(r, SZ_1G);
	}

	igt_describe("16 mirrors in one VM, each with its own data.");
	igt_subtest("many-ranges") {
		uint8_t *r = mmap(NULL, 32 * SZ_4K, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(r != MAP_FAILED);
		for (int i = 0; i < 16; i++)
			vsvm_t_mirror(fd, vm, r + 2 * i * SZ_4K, SZ_4K);
		for (int i = 0; i < 16; i++)
			vsvm_t_roundtrip(fd, vm, r + 2 * i * SZ_4K, SZ_4K, 30 + i);
		/* The gaps are not mirrored. */
		for (int i = 0; i < 16; i++)
			igt_assert_eq_u32(vsvm_t_query(fd, vm, r + (2 * i + 1) * SZ_4K),
					  0);
		for (int i = 0; i < 16; i++)
			igt_assert_eq(vsvm_unmirror(fd, vm,
						    vsvm_va(r + 2 * i * SZ_4K),
						    SZ_4K), 0);
		munmap(r, 32 * SZ_4K);
	}

	igt_describe("After UNMIRROR a GPU access faults NOT_MIRRORED.");
	igt_subtest("unmirror") {
		uint64_t *p = mmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct drm_vsvm_job_status st;
		uint64_t args[2];

		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, vm, p, 2 * SZ_4K);
		vsvm_t_roundtrip(fd, vm, p, 2 * SZ_4K, 40);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 2 * SZ_4K), 0);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, p), 0);
		args[0] = vsvm_va(p + 1);
		args[1] = 0xdead;
		vsvm_t_run(fd, vm, VSVM_T_PROG_ST64_AT, 1, args, 2, &st);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NOT_MIRRORED,
				    vsvm_va(p + 1), DRM_VSVM_ACCESS_WRITE);
		igt_assert_eq(vsvm_t_check(p, 2 * SZ_4K, 40, 0x1234567), -1);
		munmap(p, 2 * SZ_4K);
	}

	igt_describe("SVM_QUERY reports mirrored, GPU-mapped and writable.");
	igt_subtest("query-flags") {
		uint8_t *p = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint32_t *f;
		uint64_t done = 0, failed = 0;

		igt_assert(p != MAP_FAILED);
		memset(p, 1, 4 * SZ_4K);
		igt_assert_eq(mprotect(p + 2 * SZ_4K, 2 * SZ_4K, PROT_READ), 0);
		vsvm_t_mirror(fd, vm, p, 3 * SZ_4K);
		f = vsvm_t_query_range(fd, vm, p, 4);
		for (int i = 0; i < 3; i++)
			igt_assert_eq_u32(f[i] & (DRM_VSVM_QUERY_MIRRORED |
						  DRM_VSVM_QUERY_GPU_MAPPED),
					  DRM_VSVM_QUERY_MIRRORED);
		igt_assert_eq_u32(f[3], 0);
		free(f);
		igt_assert_eq(vsvm_prefetch(fd, vm, vsvm_va(p), 3 * SZ_4K, 0, NULL,
					    &done, &failed), 0);
		igt_assert_eq_u64(done, 3);
		igt_assert_eq_u64(failed, 0);
		f = vsvm_t_query_range(fd, vm, p, 4);
		for (int i = 0; i < 2; i++)
			igt_assert_eq_u32(f[i] & ~DRM_VSVM_QUERY_HUGE,
					  DRM_VSVM_QUERY_MIRRORED |
					  DRM_VSVM_QUERY_GPU_MAPPED |
					  DRM_VSVM_QUERY_WRITABLE);
		igt_assert_eq_u32(f[2] & ~DRM_VSVM_QUERY_HUGE,
				  DRM_VSVM_QUERY_MIRRORED |
				  DRM_VSVM_QUERY_GPU_MAPPED);
		igt_assert_eq_u32(f[3], 0);
		free(f);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 3 * SZ_4K), 0);
		munmap(p, 4 * SZ_4K);
	}

	igt_describe("PREFETCH reports per page OK, NO_VMA and ACCESS.");
	igt_subtest("prefetch-status") {
		uint8_t *p = mmap(NULL, 6 * SZ_4K, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint8_t status[6];
		uint64_t done = 0, failed = 0;
		int ret;

		igt_assert(p != MAP_FAILED);
		memset(p, 2, 6 * SZ_4K);
		vsvm_t_mirror(fd, vm, p, 6 * SZ_4K);
		igt_assert_eq(munmap(p + SZ_4K, SZ_4K), 0);
		igt_assert_eq(mprotect(p + 3 * SZ_4K, SZ_4K, PROT_NONE), 0);
		memset(status, 0xee, sizeof(status));
		ret = vsvm_prefetch(fd, vm, vsvm_va(p), 6 * SZ_4K, 0, status,
				    &done, &failed);
		igt_assert_eq(ret, 0);
		igt_assert_eq(status[0], DRM_VSVM_PAGE_OK);
		igt_assert_eq(status[1], DRM_VSVM_PAGE_NO_VMA);
		igt_assert_eq(status[2], DRM_VSVM_PAGE_OK);
		igt_assert_eq(status[3], DRM_VSVM_PAGE_ACCESS);
		igt_assert_eq(status[4], DRM_VSVM_PAGE_OK);
		igt_assert_eq(status[5], DRM_VSVM_PAGE_OK);
		igt_assert_eq_u64(done, 4);
		igt_assert_eq_u64(failed, 2);
		igt_assert(vsvm_t_query(fd, vm, p) & DRM_VSVM_QUERY_GPU_MAPPED);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, p + SZ_4K) &
				  DRM_VSVM_QUERY_GPU_MAPPED, 0);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, p + 3 * SZ_4K) &
				  DRM_VSVM_QUERY_GPU_MAPPED, 0);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 6 * SZ_4K), 0);
		munmap(p, 6 * SZ_4K);
	}

	igt_describe("A GEM object mapped read-only: reads work, writes fault ACCESS.");
	igt_subtest("gem-readonly") {
		uint32_t wvm, bo;
		uint64_t *cpu, *out;
		struct drm_vsvm_job_status st;
		void *ptr;

		igt_assert_eq(vsvm_vm_create(fd, WIN_START, SZ_1G, &wvm), 0);
		igt_assert_eq(vsvm_gem_create(fd, SZ_4K, &bo), 0);
		igt_assert_eq(vsvm_gem_mmap(fd, bo, SZ_4K, &ptr), 0);
		cpu = ptr;
		cpu[7] = 0xabcdef;
		out = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(out != MAP_FAILED);
		vsvm_t_mirror(fd, wvm, out, SZ_4K);
		igt_assert_eq(vsvm_map(fd, wvm, WIN_START, SZ_4K, bo, 0,
				       DRM_VSVM_BIND_READONLY), 0);
		{
			uint64_t args[2] = { WIN_START + 56, vsvm_va(out) };

			vsvm_t_run_ok(fd, wvm, VSVM_T_PROG_LD64_AT, 1, args, 2);
			igt_assert_eq_u64(out[0], 0xabcdef);
		}
		{
			uint64_t args[2] = { WIN_START + 64, 1 };

			vsvm_t_run(fd, wvm, VSVM_T_PROG_ST64_AT, 1, args, 2, &st);
			vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_ACCESS,
					    WIN_START + 64, DRM_VSVM_ACCESS_WRITE);
			igt_assert_eq_u64(cpu[8], 0);
		}
		igt_assert_eq(vsvm_vm_destroy(fd, wvm), 0);
		munmap(ptr, SZ_4K);
		munmap(out, SZ_4K);
		vsvm_gem_close(fd, bo);
	}

	igt_fixture {
		vsvm_vm_destroy(fd, vm);
		close(fd);
	}
}
