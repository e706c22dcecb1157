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
#include <stdlib.h>
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

/* An unlinked temporary file. */
static int tmpfile_open(void)
{
	char path[256];
	int f;

	snprintf(path, sizeof(path), "%s/vsvm-hmm-XXXXXX", tmpdir());
	f = mkstemp(path);
	igt_assert(f >= 0);
	unlink(path);
	return f;
}

/* ---- the memory a scenario works on ------------------------------------- */

enum mem_kind {
	MEM_ANON,		/* private anonymous */
	MEM_SHARED,		/* shared anonymous */
	MEM_ALIGNED,		/* private anonymous, 2 MiB aligned */
	MEM_THP,		/* the same with MADV_HUGEPAGE */
	MEM_HUGETLB,		/* MAP_HUGETLB: skips without huge pages */
	MEM_FILE_READ,		/* a file written with write(), mapped shared read-only */
	MEM_FILE_WRITE,		/* a file mapped shared read-write, read back with pread() */
	MEM_FILE_PRIVATE,	/* a file mapped private read-write */
};

struct buf {
	uint64_t *p;
	uint64_t size;
	uint64_t seed;		/* the pattern it was filled with */
	enum mem_kind kind;
	int file;		/* the file behind it, or -1 */
	bool unmapped;		/* the scenario munmap()ed it itself */
};

/* Map @size bytes of @kind holding pattern @seed (0: left as mapped). */
static void buf_make(struct buf *b, enum mem_kind kind, uint64_t size,
		     uint64_t seed)
{
	const int rw = PROT_READ | PROT_WRITE;
	uint64_t *tmp;

	*b = (struct buf){ .size = size, .seed = seed, .kind = kind, .file = -1 };
	switch (kind) {
	case MEM_ANON:
		b->p = anon(size);
		break;
	case MEM_SHARED:
		b->p = mmap(NULL, size, rw, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		break;
	case MEM_ALIGNED:
	case MEM_THP:
		b->p = vsvm_t_mmap_aligned(size, SZ_2M, rw,
					   MAP_PRIVATE | MAP_ANONYMOUS);
		if (kind == MEM_THP)
			madvise(b->p, size, MADV_HUGEPAGE);
		break;
	case MEM_HUGETLB:
		b->p = mmap(NULL, size, rw,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		igt_require_f(b->p != MAP_FAILED, "no huge pages: %s\n",
			      strerror(errno));
		break;
	case MEM_FILE_READ:
		tmp = malloc(size);
		igt_assert(tmp);
		b->file = tmpfile_open();
		vsvm_t_fill(tmp, size, seed);
		igt_assert_eq(write(b->file, tmp, size), (ssize_t)size);
		free(tmp);
		seed = 0;
		b->p = mmap(NULL, size, PROT_READ, MAP_SHARED, b->file, 0);
		break;
	case MEM_FILE_WRITE:
	case MEM_FILE_PRIVATE:
		b->file = tmpfile_open();
		igt_assert_eq(ftruncate(b->file, size), 0);
		b->p = mmap(NULL, size, rw, kind == MEM_FILE_WRITE ?
			    MAP_SHARED : MAP_PRIVATE, b->file, 0);
		break;
	}
	igt_assert(b->p != MAP_FAILED);
	if (seed)
		vsvm_t_fill(b->p, size, seed);
}

/* vsvm_t_check() of @b; a MEM_FILE_WRITE file is read back with pread(). */
static int64_t buf_check(const struct buf *b, uint64_t seed, uint64_t add)
{
	uint64_t *tmp;
	int64_t bad;

	if (b->kind != MEM_FILE_WRITE)
		return vsvm_t_check(b->p, b->size, seed, add);
	tmp = malloc(b->size);
	igt_assert(tmp);
	igt_assert_eq(pread(b->file, tmp, b->size, 0), (ssize_t)b->size);
	bad = vsvm_t_check(tmp, b->size, seed, add);
	free(tmp);
	return bad;
}

/* Unmirror (from the fixture's VM) and unmap @b. */
static void buf_free(struct buf *b)
{
	vsvm_unmirror(fd, vm, vsvm_va(b->p), b->size);
	if (!b->unmapped)
		munmap(b->p, b->size);
	if (b->file >= 0)
		close(b->file);
}

/*
 * Four anonymous pages @p (pattern @seed, or zero) mprotect()ed to @prot,
 * and four read-write ones @out; both mirrored.
 */
static void prot_pair(struct buf *p, struct buf *out, uint64_t seed, int prot)
{
	buf_make(p, MEM_ANON, 4 * SZ_4K, seed);
	buf_make(out, MEM_ANON, 4 * SZ_4K, 0);
	igt_assert_eq(mprotect(p->p, p->size, prot), 0);
	vsvm_t_mirror(fd, vm, p->p, p->size);
	vsvm_t_mirror(fd, vm, out->p, out->size);
}

/* ---- GPU copies between two kinds of memory ----------------------------- */

struct copy_case {
	const char *name;
	const char *desc;
	enum mem_kind src, dst;
	uint64_t size;
	uint64_t seed;
	/* Copies (default 1); copy r reads the source refilled with seed + r. */
	unsigned int rounds;
	/* One 64-lane job that must fault pages in; the source stays intact. */
	bool faults;
};

static const struct copy_case copy_cases[] = {
	{ .name = "anon-read",
	  .desc = "hmm anon_read: the GPU reads private anonymous memory.",
	  .src = MEM_ANON, .dst = MEM_ANON, .size = 64 * SZ_4K, .seed = 1,
	  .faults = true },
	{ .name = "anon-write",
	  .desc = "hmm anon_write: the GPU writes anonymous memory.",
	  .src = MEM_ANON, .dst = MEM_ANON, .size = 64 * SZ_4K, .seed = 3 },
	{ .name = "anon-write-huge",
	  .desc = "hmm anon_write_huge: GPU writes to a THP.",
	  .src = MEM_ALIGNED, .dst = MEM_THP, .size = SZ_2M, .seed = 7 },
	{ .name = "anon-write-hugetlbfs",
	  .desc = "hmm anon_write_hugetlbfs: GPU writes to MAP_HUGETLB memory.",
	  .src = MEM_ANON, .dst = MEM_HUGETLB, .size = SZ_2M, .seed = 8 },
	{ .name = "file-read",
	  .desc = "hmm file_read: the GPU reads a file written with write().",
	  .src = MEM_FILE_READ, .dst = MEM_ANON, .size = 16 * SZ_4K, .seed = 9 },
	{ .name = "file-write",
	  .desc = "hmm file_write: the GPU writes a file mapping, read() sees it.",
	  .src = MEM_ANON, .dst = MEM_FILE_WRITE, .size = 16 * SZ_4K, .seed = 10 },
	{ .name = "anon-read-multiple",
	  .desc = "hmm anon_read_multiple: repeated reads see each new CPU value.",
	  .src = MEM_ANON, .dst = MEM_ANON, .size = 8 * SZ_4K, .seed = 100,
	  .rounds = 10 },
};

static void copy_case(const struct copy_case *c)
{
	unsigned int rounds = c->rounds ? c->rounds : 1;
	struct drm_vsvm_job_status st;
	struct buf src, dst;

	buf_make(&dst, c->dst, c->size, 0);
	buf_make(&src, c->src, c->size, c->seed);
	vsvm_t_mirror(fd, vm, src.p, c->size);
	vsvm_t_mirror(fd, vm, dst.p, c->size);
	for (unsigned int r = 0; r < rounds; r++) {
		uint64_t args[4] = { vsvm_va(src.p), vsvm_va(dst.p), c->size / 8, 0 };

		if (r)
			vsvm_t_fill(src.p, c->size, c->seed + r);
		if (c->faults) {
			igt_assert_eq(vsvm_t_run(fd, vm, VSVM_T_PROG_ADD, 64,
						 args, 4, &st), DRM_VSVM_JOB_DONE);
			igt_assert_lt_u64(0, st.faults);
		} else {
			gpu_copy(src.p, dst.p, c->size / 8);
		}
		igt_assert_eq(buf_check(&dst, c->seed + r, 0), -1);
	}
	if (c->faults)
		igt_assert_eq(buf_check(&src, c->seed, 0), -1);
	buf_free(&dst);
	buf_free(&src);
}

/* ---- fork with GPU-mapped or migrated memory ---------------------------- */

/* Migrate to VRAM before the fork (else the GPU maps it with a copy). */
#define FORK_VRAM		(1u << 0)
/* The child checks it sees the parent's data before its GPU writes. */
#define FORK_CHILD_CHECKS_FIRST	(1u << 1)
/* The child checks its GPU write. */
#define FORK_CHILD_CHECKS	(1u << 2)
/* The parent's GPU adds parent_add while the child runs, not after. */
#define FORK_PARENT_RACES	(1u << 3)

struct fork_case {
	const char *name;
	const char *desc;
	enum mem_kind kind;
	uint64_t seed;
	unsigned int flags;
	uint64_t child_add;	/* the child's GPU adds this in its own VM */
	uint64_t parent_add;	/* and the parent's GPU this */
	uint64_t expect;	/* what the parent sees added once the child is done */
};

static const struct fork_case fork_cases[] = {
	{ .name = "anon-write-child",
	  .desc = "hmm anon_write_child: a child's GPU writes stay in its copy.",
	  .kind = MEM_ANON, .seed = 5, .flags = FORK_CHILD_CHECKS,
	  .child_add = 100, .parent_add = 1, .expect = 0 },
	{ .name = "anon-write-child-shared",
	  .desc = "hmm anon_write_child_shared: a child's GPU writes reach the parent.",
	  .kind = MEM_SHARED, .seed = 6, .flags = 0,
	  .child_add = 100, .parent_add = 1, .expect = 100 },
	{ .name = "cow-in-device",
	  .desc = "hmm hmm_cow_in_device: fork with pages in VRAM.",
	  .kind = MEM_ANON, .seed = 26,
	  .flags = FORK_VRAM | FORK_CHILD_CHECKS_FIRST | FORK_CHILD_CHECKS |
		   FORK_PARENT_RACES,
	  .child_add = 50, .parent_add = 7, .expect = 7 },
};

static void fork_case(const struct fork_case *c)
{
	const uint64_t size = 8 * SZ_4K;
	struct buf b;

	buf_make(&b, c->kind, size, c->seed);
	vsvm_t_mirror(fd, vm, b.p, size);
	if (c->flags & FORK_VRAM)
		igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, b.p, size, vsvm_t_here(fd),
						  NULL, NULL, NULL), 0);
	else
		vsvm_t_gpu_add(fd, vm, b.p, b.p, size / 8, 0);	/* GPU-mapped */
	igt_fork(child, 1) {
		int cfd = vsvm_t_open(0);
		uint32_t cvm = vsvm_t_vm(cfd);

		if (c->flags & FORK_CHILD_CHECKS_FIRST)
			igt_assert_eq(vsvm_t_check(b.p, size, c->seed, 0), -1);
		vsvm_t_mirror(cfd, cvm, b.p, size);
		vsvm_t_gpu_add(cfd, cvm, b.p, b.p, size / 8, c->child_add);
		if (c->flags & FORK_CHILD_CHECKS)
			igt_assert_eq(vsvm_t_check(b.p, size, c->seed, c->child_add), -1);
		close(cfd);
	}
	if (c->flags & FORK_PARENT_RACES)
		vsvm_t_gpu_add(fd, vm, b.p, b.p, size / 8, c->parent_add);
	igt_waitchildren();
	igt_assert_eq(vsvm_t_check(b.p, size, c->seed, c->expect), -1);
	if (!(c->flags & FORK_PARENT_RACES)) {
		/* And the parent's GPU view follows. */
		vsvm_t_gpu_add(fd, vm, b.p, b.p, size / 8, c->parent_add);
		igt_assert_eq(vsvm_t_check(b.p, size, c->seed,
					   c->expect + c->parent_add), -1);
	}
	buf_free(&b);
}

/* ---- migration to VRAM --------------------------------------------------- */

/* What the prefetch to VRAM said. */
struct migrate_out {
	uint8_t status[32];
	uint64_t done, failed;
};

struct migrate_case {
	const char *name;
	const char *desc;
	enum mem_kind kind;
	uint64_t pages;		/* up to 32 */
	uint64_t seed;
	unsigned int rounds;	/* prefetch then check, this often (default 1) */
	/* After filling, before mirroring (may be NULL). */
	void (*prepare)(struct buf *b);
	/* After prefetch @round to VRAM. */
	void (*check)(struct buf *b, const struct migrate_out *o,
		      unsigned int round);
};

static void migrate_check(struct buf *b, const struct migrate_out *o,
			  unsigned int round)
{
	uint64_t pages = b->size / SZ_4K;

	(void)round;
	igt_assert_eq_u64(o->done, pages);
	igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, b->p, pages,
					     DRM_VSVM_QUERY_VRAM), pages);
	vsvm_t_gpu_add(fd, vm, b->p, b->p, b->size / 8, 1);
	igt_assert_eq(vsvm_t_check(b->p, b->size, b->seed, 1), -1);
}

static void migrate_fault_check(struct buf *b, const struct migrate_out *o,
				unsigned int round)
{
	(void)o;
	(void)round;
	igt_assert_eq(vsvm_t_check(b->p, b->size, b->seed, 0), -1);
	igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, b->p, b->size / SZ_4K,
					     DRM_VSVM_QUERY_VRAM), 0);
}

static void migrate_release_check(struct buf *b, const struct migrate_out *o,
				  unsigned int round)
{
	(void)o;
	(void)round;
	igt_assert_eq(munmap(b->p, b->size), 0);
	b->unmapped = true;
	igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, b->p, b->size / SZ_4K,
					     DRM_VSVM_QUERY_VRAM), 0);
	gpu_fault(b->p, VSVM_T_PROG_LD64_AT, DRM_VSVM_FAULT_NO_VMA,
		  DRM_VSVM_ACCESS_READ);
}

/* Every page of @b said NOT_MIGRATABLE. */
static void assert_not_migratable(const struct buf *b,
				  const struct migrate_out *o)
{
	for (uint64_t i = 0; i < b->size / SZ_4K; i++)
		igt_assert_eq(o->status[i], DRM_VSVM_PAGE_NOT_MIGRATABLE);
}

static void migrate_shared_check(struct buf *b, const struct migrate_out *o,
				 unsigned int round)
{
	(void)round;
	igt_assert_eq_u64(o->failed, 4);
	assert_not_migratable(b, o);
	vsvm_t_gpu_add(fd, vm, b->p, b->p, b->size / 8, 2);
	igt_assert_eq(vsvm_t_check(b->p, b->size, b->seed, 2), -1);
}

/* Pages 0 and 2 COWed to anonymous memory. */
static void migrate_file_private_prepare(struct buf *b)
{
	uint8_t *p = (uint8_t *)b->p;

	p[0] = 1;
	p[2 * SZ_4K] = 3;
}

static void migrate_file_private_check(struct buf *b,
				       const struct migrate_out *o,
				       unsigned int round)
{
	uint8_t *p = (uint8_t *)b->p;

	(void)round;
	/*
	 * vsvm migrates anonymous mappings only: every page of a private
	 * file mapping, COWed or not, stays in system memory and says why
	 * (see igt-tests/README.md).
	 */
	assert_not_migratable(b, o);
	igt_assert_eq(p[0], 1);
	igt_assert_eq(p[2 * SZ_4K], 3);
}

/* A hole at page 2. */
static void migrate_mixed_prepare(struct buf *b)
{
	igt_assert_eq(munmap(b->p + 2 * 512, SZ_4K), 0);
}

static void migrate_mixed_check(struct buf *b, const struct migrate_out *o,
				unsigned int round)
{
	(void)round;
	igt_assert_eq_u64(o->done, 5);
	igt_assert_eq_u64(o->failed, 1);
	igt_assert_eq(o->status[2], DRM_VSVM_PAGE_NO_VMA);
	igt_assert_eq(vsvm_t_check(b->p, 2 * SZ_4K, b->seed, 0), -1);
	for (uint64_t w = 3 * 512; w < 6 * 512; w++)
		igt_assert_eq_u64(b->p[w], vsvm_t_pattern(b->seed, w));
}

static void migrate_multiple_check(struct buf *b, const struct migrate_out *o,
				   unsigned int round)
{
	(void)o;
	vsvm_t_gpu_add(fd, vm, b->p, b->p, b->size / 8, 1);
	igt_assert_eq(vsvm_t_check(b->p, b->size, b->seed, round + 1), -1);
}

static const struct migrate_case migrate_cases[] = {
	{ .name = "migrate",
	  .desc = "hmm migrate: anonymous memory migrates to VRAM.",
	  .kind = MEM_ANON, .pages = 32, .seed = 20, .check = migrate_check },
	{ .name = "migrate-fault",
	  .desc = "hmm migrate_fault: migrated memory faults back on CPU access.",
	  .kind = MEM_ANON, .pages = 32, .seed = 21, .check = migrate_fault_check },
	{ .name = "migrate-release",
	  .desc = "hmm migrate_release: munmap of memory in VRAM.",
	  .kind = MEM_ANON, .pages = 32, .seed = 22, .check = migrate_release_check },
	{ .name = "migrate-shared",
	  .desc = "hmm migrate_shared: shared anonymous memory cannot migrate.",
	  .kind = MEM_SHARED, .pages = 4, .seed = 23, .check = migrate_shared_check },
	{ .name = "migrate-file-private",
	  .desc = "hmm migrate_file_private: pages of a private file mapping report not migratable, data intact.",
	  .kind = MEM_FILE_PRIVATE, .pages = 4, .seed = 0,
	  .prepare = migrate_file_private_prepare,
	  .check = migrate_file_private_check },
	{ .name = "migrate-mixed",
	  .desc = "hmm migrate_mixed: a range with a hole migrates what it can.",
	  .kind = MEM_ANON, .pages = 6, .seed = 24,
	  .prepare = migrate_mixed_prepare,
	  .check = migrate_mixed_check },
	{ .name = "migrate-multiple",
	  .desc = "hmm migrate_multiple: repeated migration there and back.",
	  .kind = MEM_ANON, .pages = 16, .seed = 25, .rounds = 10,
	  .check = migrate_multiple_check },
};

static void migrate_case(const struct migrate_case *c)
{
	unsigned int rounds = c->rounds ? c->rounds : 1;
	struct migrate_out o;
	struct buf b;

	igt_assert(c->pages <= sizeof(o.status));
	buf_make(&b, c->kind, c->pages * SZ_4K, c->seed);
	if (c->prepare)
		c->prepare(&b);
	vsvm_t_mirror(fd, vm, b.p, b.size);
	for (unsigned int r = 0; r < rounds; r++) {
		memset(&o, 0, sizeof(o));
		igt_assert_eq(vsvm_t_prefetch_loc(fd, vm, b.p, b.size,
						  vsvm_t_here(fd), o.status,
						  &o.done, &o.failed), 0);
		c->check(&b, &o, r);
	}
	buf_free(&b);
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

	for (size_t i = 0; i < ARRAY_SIZE(copy_cases); i++) {
		igt_describe(copy_cases[i].desc);
		igt_subtest(copy_cases[i].name)
			copy_case(&copy_cases[i]);
	}

	for (size_t i = 0; i < ARRAY_SIZE(fork_cases); i++) {
		if (fork_cases[i].flags & FORK_VRAM)
			continue;
		igt_describe(fork_cases[i].desc);
		igt_subtest(fork_cases[i].name)
			fork_case(&fork_cases[i]);
	}

	igt_describe("hmm anon_read_prot: PROT_NONE cannot be read until mprotect.");
	igt_subtest("anon-read-prot") {
		struct buf p, out;

		prot_pair(&p, &out, 2, PROT_NONE);
		gpu_fault(p.p + 3, VSVM_T_PROG_LD64_AT, DRM_VSVM_FAULT_ACCESS,
			  DRM_VSVM_ACCESS_READ);
		igt_assert_eq(mprotect(p.p, p.size, PROT_READ), 0);
		gpu_copy(p.p, out.p, p.size / 8);
		igt_assert_eq(buf_check(&out, 2, 0), -1);
		gpu_fault(p.p + 3, VSVM_T_PROG_ST64_AT, DRM_VSVM_FAULT_ACCESS,
			  DRM_VSVM_ACCESS_WRITE);
		igt_assert_eq(buf_check(&p, 2, 0), -1);
		buf_free(&p);
		buf_free(&out);
	}

	igt_describe("hmm anon_write_prot: read-only until mprotect allows writes.");
	igt_subtest("anon-write-prot") {
		struct buf p, out;

		prot_pair(&p, &out, 0, PROT_READ);
		memset(out.p, 0xff, out.size);
		gpu_copy(p.p, out.p, p.size / 8);
		for (uint64_t i = 0; i < out.size / 8; i++)
			igt_assert_eq_u64(out.p[i], 0);
		gpu_fault(p.p + 1, VSVM_T_PROG_ST64_AT, DRM_VSVM_FAULT_ACCESS,
			  DRM_VSVM_ACCESS_WRITE);
		igt_assert_eq(mprotect(p.p, p.size, PROT_READ | PROT_WRITE), 0);
		vsvm_t_fill(out.p, out.size, 4);
		gpu_copy(out.p, p.p, p.size / 8);
		igt_assert_eq(buf_check(&p, 4, 0), -1);
		buf_free(&p);
		buf_free(&out);
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

		for (size_t i = 0; i < ARRAY_SIZE(migrate_cases); i++) {
			igt_describe(migrate_cases[i].desc);
			igt_subtest(migrate_cases[i].name)
				migrate_case(&migrate_cases[i]);
		}

		for (size_t i = 0; i < ARRAY_SIZE(fork_cases); i++) {
			if (!(fork_cases[i].flags & FORK_VRAM))
				continue;
			igt_describe(fork_cases[i].desc);
			igt_subtest(fork_cases[i].name)
				fork_case(&fork_cases[i]);
		}
	}

	igt_fixture {
		vsvm_vm_destroy(fd, vm);
		close(fd);
	}
}
