// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm hmm
 * Category: Core
 * Mega feature: SVM
 * Sub-category: HMM selftests port
 * Functionality: the scenarios of tools/testing/selftests/mm/hmm-tests.c on a real GPU
 * Description: Each scenario of the kernel's HMM selftests that applies to
 *		a GPU, with the same intent, driven through vsvm jobs instead of
 *		the test_hmm (dmirror) ioctls. igt-tests/README.md maps them and
 *		lists the ones that do not apply.
 *
 * SUBTEST: open-close
 * Description: hmm open_close: open the device, create and destroy a VM.
 *
 * SUBTEST: anon-read
 * Description: hmm anon_read: the GPU reads private anonymous memory (faulting it in).
 *
 * SUBTEST: anon-read-prot
 * Description: hmm anon_read_prot: a PROT_NONE page cannot be read; after mprotect it can.
 *
 * SUBTEST: anon-write
 * Description: hmm anon_write: the GPU writes anonymous memory, the CPU sees it.
 *
 * SUBTEST: anon-write-prot
 * Description: hmm anon_write_prot: a read-only page cannot be written until mprotect allows it.
 *
 * SUBTEST: anon-write-child
 * Description: hmm anon_write_child: a child's GPU writes to its private copy do not reach the parent.
 *
 * SUBTEST: anon-write-child-shared
 * Description: hmm anon_write_child_shared: a child's GPU writes to shared memory reach the parent.
 *
 * SUBTEST: anon-write-huge
 * Description: hmm anon_write_huge: GPU writes to a THP.
 *
 * SUBTEST: anon-write-hugetlbfs
 * Description: hmm anon_write_hugetlbfs: GPU writes to MAP_HUGETLB memory.
 *
 * SUBTEST: file-read
 * Description: hmm file_read: the GPU reads a file written with write().
 *
 * SUBTEST: file-write
 * Description: hmm file_write: the GPU writes a file mapping, read() sees it.
 *
 * SUBTEST: anon-read-multiple
 * Description: hmm anon_read_multiple: repeated GPU reads see each new CPU value.
 *
 * SUBTEST: anon-teardown
 * Description: hmm anon_teardown: munmap races GPU reads, many times.
 *
 * SUBTEST: mixedmap
 * Description: hmm mixedmap: mirroring a mapping of the device file itself is handled.
 *
 * SUBTEST: snapshot
 * Description: hmm snapshot: a snapshot prefetch reports each kind of page correctly.
 *
 * SUBTEST: compound
 * Description: hmm compound: a hugetlbfs page is snapshot with a huge GPU mapping.
 *
 * SUBTEST: double-map
 * Description: hmm double_map: two devices mirror and read the same read-only range.
 *
 * SUBTEST: atomic-exclusive
 * Description: hmm exclusive: GPU atomics coherent with CPU access to the same page.
 *
 * SUBTEST: atomic-mprotect
 * Description: hmm exclusive_mprotect: a GPU atomic on a read-only page faults ACCESS.
 *
 * SUBTEST: atomic-cow
 * Description: hmm exclusive_cow: a GPU atomic after fork breaks COW; the child keeps its data.
 *
 * SUBTEST: migrate
 * Description: hmm migrate: anonymous memory migrates to VRAM.
 *
 * SUBTEST: migrate-fault
 * Description: hmm migrate_fault: migrated memory faults back on CPU access.
 *
 * SUBTEST: migrate-release
 * Description: hmm migrate_release: munmap of memory in VRAM.
 *
 * SUBTEST: migrate-shared
 * Description: hmm migrate_shared: shared anonymous memory cannot migrate (NOT_MIGRATABLE).
 *
 * SUBTEST: migrate-file-private
 * Description: hmm migrate_file_private: pages of a private file mapping report not migratable, data intact.
 *
 * SUBTEST: migrate-mixed
 * Description: hmm migrate_mixed: a range with a hole migrates what it can.
 *
 * SUBTEST: migrate-multiple
 * Description: hmm migrate_multiple: repeated migration there and back.
 *
 * SUBTEST: cow-in-device
 * Description: hmm hmm_cow_in_device: fork with pages in VRAM; parent and child writes stay apart.
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

IGT_TEST_DESCRIPTION("vsvm: port of the kernel's HMM selftests (hmm-tests.c).");

#define TMPFS_MAGIC_	0x01021994

static int fd = -1;
static uint32_t vm;

static void *anon(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	return p;
}

/* GPU copies @n u64 from @src into @dst (both mirrored). */
static void gpu_copy(const void *src, void *dst, uint64_t n)
{
	vsvm_t_gpu_add(fd, vm, src, dst, n, 0);
}

/* A mirrored page faulting loads write into (mapped in the fixture). */
static uint64_t *sink;

static void gpu_fault(void *addr, const char *prog, uint32_t reason,
		      uint32_t access)
{
	struct drm_vsvm_job_status st;
	uint64_t args[2] = { vsvm_va(addr), 1 };

	if (!strcmp(prog, VSVM_T_PROG_LD64_AT))
		args[1] = vsvm_va(sink);
	vsvm_t_run(fd, vm, prog, 1, args, 2, &st);
	vsvm_t_assert_fault(&st, reason, vsvm_va(addr), access);
}

static const char *tmpdir(void)
{
	return vsvm_t_fs_is("/mnt/tmpfs", TMPFS_MAGIC_) ? "/mnt/tmpfs" : "/tmp";
}

struct teardown {
	pthread_t t;
	void *p;
	uint64_t size;
};

static void *do_munmap(void *arg)
{
	struct teardown *t = arg;

	munmap(t->p, t->size);
	return NULL;
}

igt_main
{
	igt_fixture {
		fd = vsvm_t_open(0);
		vm = vsvm_t_vm(fd);
		sink = anon(SZ_4K);
		vsvm_t_mirror(fd, vm, sink, SZ_4K);
	}

	igt_describe("hmm open_close: open, create and destroy a VM.");
	igt_subtest("open-close") {
		int f = vsvm_t_open(0);
		uint32_t v = vsvm_t_vm(f), flags = 1;

		igt_assert_eq(vsvm_svm_query(f, v, SZ_1G, 1, &flags), 0);
		igt_assert_eq_u32(flags, 0);
		igt_assert_eq(vsvm_vm_destroy(f, v), 0);
		igt_assert_eq(close(f), 0);
	}

	igt_describe("hmm anon_read: the GPU reads private anonymous memory.");
	igt_subtest("anon-read") {
		const uint64_t size = 64 * SZ_4K;
		uint64_t *p = anon(size), *out = anon(size);
		struct drm_vsvm_job_status st;
		uint64_t args[4] = { vsvm_va(p), vsvm_va(out), size / 8, 0 };

		vsvm_t_fill(p, size, 1);
		vsvm_t_mirror(fd, vm, p, size);
		vsvm_t_mirror(fd, vm, out, size);
		igt_assert_eq(vsvm_t_run(fd, vm, VSVM_T_PROG_ADD, 64, args, 4, &st),
			      DRM_VSVM_JOB_DONE);
		igt_assert_lt_u64(0, st.faults);
		igt_assert_eq(vsvm_t_check(out, size, 1, 0), -1);
		igt_assert_eq(vsvm_t_check(p, size, 1, 0), -1);
		vsvm_unmirror(fd, vm, vsvm_va(p), size);
		vsvm_unmirror(fd, vm, vsvm_va(out), size);
		munmap(p, size);
		munmap(out, size);
	}

	igt_describe("hmm anon_read_prot: PROT_NONE cannot be read until mprotect.");
	igt_subtest("anon-read-prot") {
		const uint64_t size = 4 * SZ_4K;
		uint64_t *p = anon(size), *out = anon(size);

		vsvm_t_fill(p, size, 2);
		igt_assert_eq(mprotect(p, size, PROT_NONE), 0);
		vsvm_t_mirror(fd, vm, p, size);
		vsvm_t_mirror(fd, vm, out, size);
		gpu_fault(p + 3, VSVM_T_PROG_LD64_AT, DRM_VSVM_FAULT_ACCESS,
			  DRM_VSVM_ACCESS_READ);
		igt_assert_eq(mprotect(p, size, PROT_READ), 0);
		gpu_copy(p, out, size / 8);
		igt_assert_eq(vsvm_t_check(out, size, 2, 0), -1);
		gpu_fault(p + 3, VSVM_T_PROG_ST64_AT, DRM_VSVM_FAULT_ACCESS,
			  DRM_VSVM_ACCESS_WRITE);
		igt_assert_eq(vsvm_t_check(p, size, 2, 0), -1);
		vsvm_unmirror(fd, vm, vsvm_va(p), size);
		vsvm_unmirror(fd, vm, vsvm_va(out), size);
		munmap(p, size);
		munmap(out, size);
	}

	igt_describe("hmm anon_write: the GPU writes anonymous memory.");
	igt_subtest("anon-write") {
		const uint64_t size = 64 * SZ_4K;
		uint64_t *src = anon(size), *p = anon(size);

		vsvm_t_fill(src, size, 3);
		vsvm_t_mirror(fd, vm, src, size);
		vsvm_t_mirror(fd, vm, p, size);
		gpu_copy(src, p, size / 8);
		igt_assert_eq(vsvm_t_check(p, size, 3, 0), -1);
		vsvm_unmirror(fd, vm, vsvm_va(p), size);
		vsvm_unmirror(fd, vm, vsvm_va(src), size);
		munmap(p, size);
		munmap(src, size);
	}

	igt_describe("hmm anon_write_prot: read-only until mprotect allows writes.");
	igt_subtest("anon-write-prot") {
		const uint64_t size = 4 * SZ_4K;
		uint64_t *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
				   -1, 0), *out = anon(size);

		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, vm, p, size);
		vsvm_t_mirror(fd, vm, out, size);
		memset(out, 0xff, size);
		gpu_copy(p, out, size / 8);
		for (uint64_t i = 0; i < size / 8; i++)
			igt_assert_eq_u64(out[i], 0);
		gpu_fault(p + 1, VSVM_T_PROG_ST64_AT, DRM_VSVM_FAULT_ACCESS,
			  DRM_VSVM_ACCESS_WRITE);
		igt_assert_eq(mprotect(p, size, PROT_READ | PROT_WRITE), 0);
		vsvm_t_fill(out, size, 4);
		gpu_copy(out, p, size / 8);
		igt_assert_eq(vsvm_t_check(p, size, 4, 0), -1);
		vsvm_unmirror(fd, vm, vsvm_va(p), size);
		vsvm_unmirror(fd, vm, vsvm_va(out), size);
		munmap(p, size);
		munmap(out, size);
	}

	igt_describe("hmm anon_write_child: a child's GPU writes stay in its copy.");
	igt_subtest("anon-write-child") {
		const uint64_t size = 8 * SZ_4K;
		uint64_t *p = anon(size);

		vsvm_t_fill(p, size, 5);
		vsvm_t_mirror(fd, vm, p, size);
		vsvm_t_gpu_add(fd, vm, p, p, size / 8, 0);	/* GPU-mapped */
		igt_fork(child, 1) {
			int cfd = vsvm_t_open(0);
			uint32_t cvm = vsvm_t_vm(cfd);

			vsvm_t_mirror(cfd, cvm, p, size);
			vsvm_t_gpu_add(cfd, cvm, p, p, size / 8, 100);
			igt_assert_eq(vsvm_t_check(p, size, 5, 100), -1);
			close(cfd);
		}
		igt_waitchildren();
		igt_assert_eq(vsvm_t_check(p, size, 5, 0), -1);
		vsvm_t_gpu_add(fd, vm, p, p, size / 8, 1);
		igt_assert_eq(vsvm_t_check(p, size, 5, 1), -1);
		vsvm_unmirror(fd, vm, vsvm_va(p), size);
		munmap(p, size);
	}

	igt_describe("hmm anon_write_child_shared: a child's GPU writes reach the parent.");
	igt_subtest("anon-write-child-shared") {
		const uint64_t size = 8 * SZ_4K;
		uint64_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		igt_assert(p != MAP_FAILED);
		vsvm_t_fill(p, size, 6);
		vsvm_t_mirror(fd, vm, p, size);
		vsvm_t_gpu_add(fd, vm, p, p, size / 8, 0);
		igt_fork(child, 1) {
			int cfd = vsvm_t_open(0);
			uint32_t cvm = vsvm_t_vm(cfd);

			vsvm_t_mirror(cfd, cvm, p, size);
			vsvm_t_gpu_add(cfd, cvm, p, p, size / 8, 100);
			close(cfd);
		}
		igt_waitchildren();
		igt_assert_eq(vsvm_t_check(p, size, 6, 100), -1);
		/* And the parent's GPU view follows. */
		vsvm_t_gpu_add(fd, vm, p, p, size / 8, 1);
		igt_assert_eq(vsvm_t_check(p, size, 6, 101), -1);
		vsvm_unmirror(fd, vm, vsvm_va(p), size);
		munmap(p, size);
	}

	igt_describe("hmm anon_write_huge: GPU writes to a THP.");
	igt_subtest("anon-write-huge") {
		uint8_t *p = vsvm_t_mmap_aligned(SZ_2M, SZ_2M, PROT_READ | PROT_WRITE,
						 MAP_PRIVATE | MAP_ANONYMOUS);
		uint8_t *src = vsvm_t_mmap_aligned(SZ_2M, SZ_2M, PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS);

		madvise(p, SZ_2M, MADV_HUGEPAGE);
		vsvm_t_fill(src, SZ_2M, 7);
		vsvm_t_mirror(fd, vm, p, SZ_2M);
		vsvm_t_mirror(fd, vm, src, SZ_2M);
		gpu_copy(src, p, SZ_2M / 8);
		igt_assert_eq(vsvm_t_check(p, SZ_2M, 7, 0), -1);
		vsvm_unmirror(fd, vm, vsvm_va(p), SZ_2M);
		vsvm_unmirror(fd, vm, vsvm_va(src), SZ_2M);
		vsvm_t_munmap_aligned(p, SZ_2M);
		vsvm_t_munmap_aligned(src, SZ_2M);
	}

	igt_describe("hmm anon_write_hugetlbfs: GPU writes to MAP_HUGETLB memory.");
	igt_subtest("anon-write-hugetlbfs") {
		uint64_t *p = mmap(NULL, SZ_2M, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		uint64_t *src;

		igt_require_f(p != MAP_FAILED, "no huge pages: %s\n", strerror(errno));
		src = anon(SZ_2M);
		vsvm_t_fill(src, SZ_2M, 8);
		vsvm_t_mirror(fd, vm, p, SZ_2M);
		vsvm_t_mirror(fd, vm, src, SZ_2M);
		gpu_copy(src, p, SZ_2M / 8);
		igt_assert_eq(vsvm_t_check(p, SZ_2M, 8, 0), -1);
		vsvm_unmirror(fd, vm, vsvm_va(p), SZ_2M);
		vsvm_unmirror(fd, vm, vsvm_va(src), SZ_2M);
		munmap(p, SZ_2M);
		munmap(src, SZ_2M);
	}

	igt_describe("hmm file_read: the GPU reads a file written with write().");
	igt_subtest("file-read") {
		const uint64_t size = 16 * SZ_4K;
		char path[256];
		uint64_t *tmp = malloc(size), *p, *out = anon(size);
		int f;

		snprintf(path, sizeof(path), "%s/vsvm-hmm-XXXXXX", tmpdir());
		f = mkstemp(path);
		igt_assert(f >= 0 && tmp);
		unlink(path);
		vsvm_t_fill(tmp, size, 9);
		igt_assert_eq(write(f, tmp, size), (ssize_t)size);
		p = mmap(NULL, size, PROT_READ, MAP_SHARED, f, 0);
		igt_assert(p != MAP_FAILED);
		vsvm_t_mirror(fd, vm, p, size);
		vsvm_t_mirror(fd, vm, out, size);
		gpu_copy(p, out, size / 8);
		igt_assert_eq(vsvm_t_check(out, size, 9, 0), -1);
		vsvm_unmirror(fd, vm, vsvm_va(p), size);
		vsvm_unmirror(fd, vm, vsvm_va(out), size);
		munmap(p, size);
		munmap(out, size);
		free(tmp);
		close(f);
	}

	igt_describe("hmm file_write: the GPU writes a file mapping, read() sees it.");
	igt_subtest("file-write") {
		const uint64_t size = 16 * SZ_4K;
		char path[256];
		uint64_t *tmp = malloc(size), *p, *src = anon(size);
		int f;

		snprintf(path, sizeof(path), "%s/vsvm-hmm-XXXXXX", tmpdir());
		f = mkstemp(path);
		igt_assert(f >= 0 && tmp);
		unlink(path);
		igt_assert_eq(ftruncate(f, size), 0);
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
		igt_assert(p != MAP_FAILED);
		vsvm_t_fill(src, size, 10);
		vsvm_t_mirror(fd, vm, p, size);
		vsvm_t_mirror(fd, vm, src, size);
		gpu_copy(src, p, size / 8);
		igt_assert_eq(pread(f, tmp, size, 0), (ssize_t)size);
		igt_assert_eq(vsvm_t_check(tmp, size, 10, 0), -1);
		vsvm_unmirror(fd, vm, vsvm_va(p), size);
		vsvm_unmirror(fd, vm, vsvm_va(src), size);
		munmap(p, size);
		munmap(src, size);
		free(tmp);
		close(f);
	}

	igt_describe("hmm anon_read_multiple: repeated reads see each new CPU value.");
	igt_subtest("anon-read-multiple") {
		const uint64_t size = 8 * SZ_4K;
		uint64_t *p = anon(size), *out = anon(size);

		vsvm_t_mirror(fd, vm, p, size);
		vsvm_t_mirror(fd, vm, out, size);
		for (int i = 0; i < 10; i++) {
			vsvm_t_fill(p, size, 100 + i);
			gpu_copy(p, out, size / 8);
			igt_assert_eq(vsvm_t_check(out, size, 100 + i, 0), -1);
		}
		vsvm_unmirror(fd, vm, vsvm_va(p), size);
		vsvm_unmirror(fd, vm, vsvm_va(out), size);
		munmap(p, size);
		munmap(out, size);
	}

	igt_describe("hmm anon_teardown: munmap races GPU reads.");
	igt_subtest("anon-teardown") {
		const uint64_t size = 16 * SZ_4K;
		uint64_t *out = anon(size);

		vsvm_t_mirror(fd, vm, out, size);
		for (int i = 0; i < 20; i++) {
			uint64_t *p = anon(size);
			uint64_t args[4] = { vsvm_va(p), vsvm_va(out), size / 8, 0 };
			struct drm_vsvm_job_status st;
			struct teardown t = { .p = p, .size = size };
			uint32_t job;

			vsvm_t_fill(p, size, 200 + i);
			vsvm_t_mirror(fd, vm, p, size);
			memset(out, 0, size);
			job = vsvm_t_submit(fd, vm, 0, VSVM_T_PROG_ADD, 4, args, 4,
					    0, NULL, 0);
			igt_assert_eq(pthread_create(&t.t, NULL, do_munmap, &t), 0);
			pthread_join(t.t, NULL);
			vsvm_t_wait(fd, job, &st);
			if (st.state == DRM_VSVM_JOB_DONE) {
				igt_assert_eq(vsvm_t_check(out, size, 200 + i, 0), -1);
			} else {
				igt_assert_eq_u32(st.state, DRM_VSVM_JOB_FAULTED);
				igt_assert_eq_u32(st.fault_reason, DRM_VSVM_FAULT_NO_VMA);
				/* What was copied is right; the rest untouched. */
				for (uint64_t w = 0; w < size / 8; w++)
					igt_assert(out[w] == 0 ||
						   out[w] == vsvm_t_pattern(200 + i, w));
			}
			igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), size), 0);
		}
		vsvm_unmirror(fd, vm, vsvm_va(out), size);
		munmap(out, size);
	}

	igt_describe("hmm mixedmap: mirroring a mapping of the device file is handled.");
	igt_subtest("mixedmap") {
		uint32_t bo;
		uint64_t *cpu, *out = anon(SZ_4K), args[2];
		struct drm_vsvm_job_status st;
		void *ptr;

		igt_assert_eq(vsvm_gem_create(fd, 2 * SZ_4K, &bo), 0);
		igt_assert_eq(vsvm_gem_mmap(fd, bo, 2 * SZ_4K, &ptr), 0);
		cpu = ptr;
		cpu[3] = 0x3333;
		vsvm_t_mirror(fd, vm, out, SZ_4K);
		vsvm_t_mirror(fd, vm, cpu, 2 * SZ_4K);
		args[0] = vsvm_va(cpu + 3);
		args[1] = vsvm_va(out);
		out[0] = 0;
		vsvm_t_run(fd, vm, VSVM_T_PROG_LD64_AT, 1, args, 2, &st);
		igt_info("GPU read of a GEM CPU mapping: %s (%s)\n",
			 vsvm_job_state_str(st.state),
			 vsvm_fault_reason_str(st.fault_reason));
		if (st.state == DRM_VSVM_JOB_DONE) {
			igt_assert_eq_u64(out[0], 0x3333);
		} else {
			igt_assert_eq_u32(st.state, DRM_VSVM_JOB_FAULTED);
			igt_assert(st.fault_reason == DRM_VSVM_FAULT_CPU_FAULT ||
				   st.fault_reason == DRM_VSVM_FAULT_ACCESS);
			igt_assert_eq_u64(st.fault_addr, vsvm_va(cpu + 3));
			igt_assert_eq_u64(out[0], 0);
		}
		igt_assert_eq_u64(cpu[3], 0x3333);
		vsvm_unmirror(fd, vm, vsvm_va(cpu), 2 * SZ_4K);
		vsvm_unmirror(fd, vm, vsvm_va(out), SZ_4K);
		munmap(ptr, 2 * SZ_4K);
		munmap(out, SZ_4K);
		vsvm_gem_close(fd, bo);
	}

	igt_describe("hmm snapshot: a snapshot prefetch reports each kind of page.");
	igt_subtest("snapshot") {
		uint8_t *p = anon(6 * SZ_4K), status[6];
		volatile uint8_t sink;
		uint32_t *f;

		/* 0 none, 1 zero page, 2 written, 3 read-only, 4 PROT_NONE, 5 hole */
		sink = p[SZ_4K];
		(void)sink;
		p[2 * SZ_4K] = 2;
		p[3 * SZ_4K] = 3;
		igt_assert_eq(mprotect(p + 3 * SZ_4K, SZ_4K, PROT_READ), 0);
		p[4 * SZ_4K] = 4;
		igt_assert_eq(mprotect(p + 4 * SZ_4K, SZ_4K, PROT_NONE), 0);
		igt_assert_eq(munmap(p + 5 * SZ_4K, SZ_4K), 0);
		vsvm_t_mirror_flags(fd, vm, p, 6 * SZ_4K, DRM_VSVM_BIND_SNAPSHOT);
		memset(status, 0xee, sizeof(status));
		igt_assert_eq(vsvm_prefetch(fd, vm, vsvm_va(p), 6 * SZ_4K,
					    DRM_VSVM_BIND_SNAPSHOT, status, NULL,
					    NULL), 0);
		igt_assert_eq(status[0], DRM_VSVM_PAGE_NOT_PRESENT);
		igt_assert_eq(status[1], DRM_VSVM_PAGE_OK);
		igt_assert_eq(status[2], DRM_VSVM_PAGE_OK);
		igt_assert_eq(status[3], DRM_VSVM_PAGE_OK);
		igt_assert_eq(status[4], DRM_VSVM_PAGE_ACCESS);
		igt_assert_eq(status[5], DRM_VSVM_PAGE_NO_VMA);
		f = vsvm_t_query_range(fd, vm, p, 6);
		igt_assert_eq_u32(f[0] & DRM_VSVM_QUERY_GPU_MAPPED, 0);
		igt_assert_eq_u32(f[1] & (DRM_VSVM_QUERY_GPU_MAPPED | DRM_VSVM_QUERY_WRITABLE),
				  DRM_VSVM_QUERY_GPU_MAPPED);
		igt_assert_eq_u32(f[2] & (DRM_VSVM_QUERY_GPU_MAPPED | DRM_VSVM_QUERY_WRITABLE),
				  DRM_VSVM_QUERY_GPU_MAPPED | DRM_VSVM_QUERY_WRITABLE);
		igt_assert_eq_u32(f[3] & (DRM_VSVM_QUERY_GPU_MAPPED | DRM_VSVM_QUERY_WRITABLE),
				  DRM_VSVM_QUERY_GPU_MAPPED);
		igt_assert_eq_u32(f[4] & DRM_VSVM_QUERY_GPU_MAPPED, 0);
		igt_assert_eq_u32(f[5] & DRM_VSVM_QUERY_GPU_MAPPED, 0);
		for (int i = 0; i < 6; i++)
			igt_assert(f[i] & DRM_VSVM_QUERY_MIRRORED);
		free(f);
		igt_assert_eq(p[2 * SZ_4K], 2);
		igt_assert_eq(p[3 * SZ_4K], 3);
		vsvm_unmirror(fd, vm, vsvm_va(p), 6 * SZ_4K);
		munmap(p, 5 * SZ_4K);
	}

	igt_describe("hmm compound: a hugetlbfs page snapshot with a huge GPU mapping.");
	igt_subtest("compound") {
		uint8_t *p = mmap(NULL, SZ_2M, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		uint8_t *status;
		uint64_t done = 0;

		igt_require_f(p != MAP_FAILED, "no huge pages: %s\n", strerror(errno));
		memset(p, 0x5c, SZ_2M);
		status = malloc(SZ_2M / SZ_4K);
		igt_assert(status);
		vsvm_t_mirror(fd, vm, p, SZ_2M);
		igt_assert_eq(vsvm_prefetch(fd, vm, vsvm_va(p), SZ_2M,
					    DRM_VSVM_BIND_SNAPSHOT, status, &done,
					    NULL), 0);
		igt_assert_eq_u64(done, SZ_2M / SZ_4K);
		for (unsigned int i = 0; i < SZ_2M / SZ_4K; i++)
			igt_assert_eq(status[i], DRM_VSVM_PAGE_OK);
		igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, p, SZ_2M / SZ_4K,
						     DRM_VSVM_QUERY_GPU_MAPPED |
						     DRM_VSVM_QUERY_WRITABLE |
						     DRM_VSVM_QUERY_HUGE),
				  SZ_2M / SZ_4K);
		free(status);
		vsvm_unmirror(fd, vm, vsvm_va(p), SZ_2M);
		munmap(p, SZ_2M);
	}

	igt_describe("hmm double_map: two devices read the same read-only range.");
	igt_subtest("double-map") {
		const uint64_t size = 8 * SZ_4K;
		uint64_t *p = anon(size), *o1 = anon(size), *o2 = anon(size);
		int fd2;
		uint32_t vm2;

		vsvm_t_require_devices(2);
		fd2 = vsvm_t_open(1);
		vm2 = vsvm_t_vm(fd2);
		vsvm_t_fill(p, size, 11);
		igt_assert_eq(mprotect(p, size, PROT_READ), 0);
		vsvm_t_mirror(fd, vm, p, size);
		vsvm_t_mirror(fd, vm, o1, size);
		vsvm_t_mirror(fd2, vm2, p, size);
		vsvm_t_mirror(fd2, vm2, o2, size);
		vsvm_t_gpu_add(fd, vm, p, o1, size / 8, 1);
		vsvm_t_gpu_add(fd2, vm2, p, o2, size / 8, 2);
		igt_assert_eq(vsvm_t_check(o1, size, 11, 1), -1);
		igt_assert_eq(vsvm_t_check(o2, size, 11, 2), -1);
		igt_assert_eq(vsvm_t_check(p, size, 11, 0), -1);
		vsvm_vm_destroy(fd2, vm2);
		close(fd2);
		vsvm_unmirror(fd, vm, vsvm_va(p), size);
		vsvm_unmirror(fd, vm, vsvm_va(o1), size);
		munmap(p, size);
		munmap(o1, size);
		munmap(o2, size);
	}

	igt_describe("hmm exclusive: GPU atomics coherent with CPU access.");
	igt_subtest("atomic-exclusive") {
		uint64_t *p = anon(SZ_4K);
		uint64_t args[3] = { vsvm_va(p), 1, 1000 };
		uint32_t job;

		p[0] = 0;
		p[1] = 0;
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		job = vsvm_t_submit(fd, vm, 0, VSVM_T_PROG_AADD, 16, args, 3, 0,
				    NULL, 0);
		for (int i = 0; i < 50000; i++) {
			__atomic_fetch_add(&p[0], 1, __ATOMIC_SEQ_CST);
			p[1]++;		/* plain CPU writes to the same page */
		}
		igt_assert_eq(vsvm_t_wait(fd, job, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(p[0], 16 * 1000 + 50000);
		igt_assert_eq_u64(p[1], 50000);
		vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K);
		munmap(p, SZ_4K);
	}

	igt_describe("hmm exclusive_mprotect: a GPU atomic on a read-only page faults.");
	igt_subtest("atomic-mprotect") {
		uint64_t *p = anon(SZ_4K);
		uint64_t args[3] = { vsvm_va(p + 2), 1, 1 };
		struct drm_vsvm_job_status st;

		p[2] = 40;
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_AADD, 1, args, 3);
		igt_assert_eq_u64(p[2], 41);
		igt_assert_eq(mprotect(p, SZ_4K, PROT_READ), 0);
		vsvm_t_run(fd, vm, VSVM_T_PROG_AADD, 1, args, 3, &st);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_ACCESS, vsvm_va(p + 2),
				    DRM_VSVM_ACCESS_ATOMIC);
		igt_assert_eq_u64(p[2], 41);
		vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K);
		munmap(p, SZ_4K);
	}

	igt_describe("hmm exclusive_cow: a GPU atomic after fork breaks COW.");
	igt_subtest("atomic-cow") {
		uint64_t *p = anon(SZ_4K);
		uint64_t args[3] = { vsvm_va(p), 5, 1 };
		int go[2], back[2], st;
		pid_t pid;

		igt_assert_eq(pipe(go), 0);
		igt_assert_eq(pipe(back), 0);
		p[0] = 70;
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_AADD, 1, args, 3);
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			char c;
			uint64_t v;

			if (read(go[0], &c, 1) != 1)
				_exit(2);
			v = p[0];
			_exit(write(back[1], &v, 8) == 8 ? 0 : 3);
		}
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_AADD, 1, args, 3);
		igt_assert_eq_u64(p[0], 80);
		igt_assert_eq(write(go[1], "x", 1), 1);
		{
			uint64_t v = 0;

			igt_assert_eq(read(back[0], &v, 8), 8);
			igt_assert_eq_u64(v, 75);
		}
		igt_assert_eq(waitpid(pid, &st, 0), pid);
		vsvm_unmirror(fd, vm, vsvm_va(p), SZ_4K);
		munmap(p, SZ_4K);
	}

	igt_subtest_group {
		igt_fixture
			vsvm_t_require_vram(fd);

		igt_describe("hmm migrate: anonymous memory migrates to VRAM.");
		igt_subtest("migrate") {
			const uint64_t size = 32 * SZ_4K;
			uint64_t *p = anon(size), done = 0;

			vsvm_t_fill(p, size, 20);
			vsvm_t_mirror(fd, vm, p, size);
			igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, p, size, vsvm_t_here(fd),
							  NULL, &done, NULL), 0);
			igt_assert_eq_u64(done, size / SZ_4K);
			igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, p, size / SZ_4K,
							     DRM_VSVM_QUERY_VRAM),
					  size / SZ_4K);
			vsvm_t_gpu_add(fd, vm, p, p, size / 8, 1);
			igt_assert_eq(vsvm_t_check(p, size, 20, 1), -1);
			vsvm_unmirror(fd, vm, vsvm_va(p), size);
			munmap(p, size);
		}

		igt_describe("hmm migrate_fault: migrated memory faults back on CPU access.");
		igt_subtest("migrate-fault") {
			const uint64_t size = 32 * SZ_4K;
			uint64_t *p = anon(size);

			vsvm_t_fill(p, size, 21);
			vsvm_t_mirror(fd, vm, p, size);
			igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, p, size, vsvm_t_here(fd),
							  NULL, NULL, NULL), 0);
			igt_assert_eq(vsvm_t_check(p, size, 21, 0), -1);
			igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, p, size / SZ_4K,
							     DRM_VSVM_QUERY_VRAM), 0);
			vsvm_unmirror(fd, vm, vsvm_va(p), size);
			munmap(p, size);
		}

		igt_describe("hmm migrate_release: munmap of memory in VRAM.");
		igt_subtest("migrate-release") {
			const uint64_t size = 32 * SZ_4K;
			uint64_t *p = anon(size);

			vsvm_t_fill(p, size, 22);
			vsvm_t_mirror(fd, vm, p, size);
			igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, p, size, vsvm_t_here(fd),
							  NULL, NULL, NULL), 0);
			igt_assert_eq(munmap(p, size), 0);
			igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, p, size / SZ_4K,
							     DRM_VSVM_QUERY_VRAM), 0);
			gpu_fault(p, VSVM_T_PROG_LD64_AT, DRM_VSVM_FAULT_NO_VMA,
				  DRM_VSVM_ACCESS_READ);
			vsvm_unmirror(fd, vm, vsvm_va(p), size);
		}

		igt_describe("hmm migrate_shared: shared anonymous memory cannot migrate.");
		igt_subtest("migrate-shared") {
			const uint64_t size = 4 * SZ_4K;
			uint64_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
					   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
			uint8_t status[4];
			uint64_t failed = 0;

			igt_assert(p != MAP_FAILED);
			vsvm_t_fill(p, size, 23);
			vsvm_t_mirror(fd, vm, p, size);
			igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, p, size, vsvm_t_here(fd),
							  status, NULL, &failed), 0);
			igt_assert_eq_u64(failed, 4);
			for (int i = 0; i < 4; i++)
				igt_assert_eq(status[i], DRM_VSVM_PAGE_NOT_MIGRATABLE);
			vsvm_t_gpu_add(fd, vm, p, p, size / 8, 2);
			igt_assert_eq(vsvm_t_check(p, size, 23, 2), -1);
			vsvm_unmirror(fd, vm, vsvm_va(p), size);
			munmap(p, size);
		}

		igt_describe("hmm migrate_file_private: pages of a private file mapping report not migratable, data intact.");
		igt_subtest("migrate-file-private") {
			char path[256];
			uint8_t *p, status[4];
			int f;

			snprintf(path, sizeof(path), "%s/vsvm-hmm-XXXXXX", tmpdir());
			f = mkstemp(path);
			igt_assert(f >= 0);
			unlink(path);
			igt_assert_eq(ftruncate(f, 4 * SZ_4K), 0);
			p = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
			igt_assert(p != MAP_FAILED);
			p[0] = 1;		/* page 0 COWed to anonymous */
			p[2 * SZ_4K] = 3;	/* page 2 too */
			vsvm_t_mirror(fd, vm, p, 4 * SZ_4K);
			igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, p, 4 * SZ_4K,
							  vsvm_t_here(fd), status,
							  NULL, NULL), 0);
			/*
			 * vsvm migrates anonymous mappings only: every page of a
			 * private file mapping, COWed or not, stays in system
			 * memory and says why (see igt-tests/README.md).
			 */
			for (int i = 0; i < 4; i++)
				igt_assert_eq(status[i], DRM_VSVM_PAGE_NOT_MIGRATABLE);
			igt_assert_eq(p[0], 1);
			igt_assert_eq(p[2 * SZ_4K], 3);
			vsvm_unmirror(fd, vm, vsvm_va(p), 4 * SZ_4K);
			munmap(p, 4 * SZ_4K);
			close(f);
		}

		igt_describe("hmm migrate_mixed: a range with a hole migrates what it can.");
		igt_subtest("migrate-mixed") {
			uint64_t *p = anon(6 * SZ_4K), done = 0, failed = 0;
			uint8_t status[6];

			vsvm_t_fill(p, 6 * SZ_4K, 24);
			igt_assert_eq(munmap(p + 2 * 512, SZ_4K), 0);
			vsvm_t_mirror(fd, vm, p, 6 * SZ_4K);
			igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, p, 6 * SZ_4K,
							  vsvm_t_here(fd), status,
							  &done, &failed), 0);
			igt_assert_eq_u64(done, 5);
			igt_assert_eq_u64(failed, 1);
			igt_assert_eq(status[2], DRM_VSVM_PAGE_NO_VMA);
			igt_assert_eq(vsvm_t_check(p, 2 * SZ_4K, 24, 0), -1);
			for (uint64_t w = 3 * 512; w < 6 * 512; w++)
				igt_assert_eq_u64(p[w], vsvm_t_pattern(24, w));
			vsvm_unmirror(fd, vm, vsvm_va(p), 6 * SZ_4K);
			munmap(p, 2 * SZ_4K);
			munmap(p + 3 * 512, 3 * SZ_4K);
		}

		igt_describe("hmm migrate_multiple: repeated migration there and back.");
		igt_subtest("migrate-multiple") {
			const uint64_t size = 16 * SZ_4K;
			uint64_t *p = anon(size);

			vsvm_t_fill(p, size, 25);
			vsvm_t_mirror(fd, vm, p, size);
			for (int i = 0; i < 10; i++) {
				igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, p, size,
								  vsvm_t_here(fd),
								  NULL, NULL, NULL), 0);
				vsvm_t_gpu_add(fd, vm, p, p, size / 8, 1);
				igt_assert_eq(vsvm_t_check(p, size, 25, i + 1), -1);
			}
			vsvm_unmirror(fd, vm, vsvm_va(p), size);
			munmap(p, size);
		}

		igt_describe("hmm hmm_cow_in_device: fork with pages in VRAM.");
		igt_subtest("cow-in-device") {
			const uint64_t size = 8 * SZ_4K;
			uint64_t *p = anon(size);

			vsvm_t_fill(p, size, 26);
			vsvm_t_mirror(fd, vm, p, size);
			igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, p, size, vsvm_t_here(fd),
							  NULL, NULL, NULL), 0);
			igt_fork(child, 1) {
				int cfd = vsvm_t_open(0);
				uint32_t cvm = vsvm_t_vm(cfd);

				igt_assert_eq(vsvm_t_check(p, size, 26, 0), -1);
				vsvm_t_mirror(cfd, cvm, p, size);
				vsvm_t_gpu_add(cfd, cvm, p, p, size / 8, 50);
				igt_assert_eq(vsvm_t_check(p, size, 26, 50), -1);
				close(cfd);
			}
			vsvm_t_gpu_add(fd, vm, p, p, size / 8, 7);
			igt_waitchildren();
			igt_assert_eq(vsvm_t_check(p, size, 26, 7), -1);
			vsvm_unmirror(fd, vm, vsvm_va(p), size);
			munmap(p, size);
		}
	}

	igt_fixture {
		vsvm_vm_destroy(fd, vm);
		close(fd);
	}
}
