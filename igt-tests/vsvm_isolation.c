// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm isolation
 * Category: Core
 * Mega feature: SVM
 * Sub-category: Lifetime and isolation
 * Functionality: no stale GPU access to freed or foreign memory, root-only debugfs, per-file VM ids
 * Description: Memory a GPU job wrote through is never reached again once
 *		the CPU mapping is gone or copied by fork; loads and stores to
 *		unmapped holes, kernel addresses and NULL fault and write
 *		nothing; the debugfs files are root-only; a VM id belongs to
 *		one file and one process.
 *
 * SUBTEST: stale-after-munmap-reuse
 * Description: munmap while a GPU job writes a tagged pattern through the buffer, then this process and a forked one zero-fill 4x the buffer of fresh memory: once the job faulted NO_VMA the tag appears nowhere.
 *
 * SUBTEST: stale-after-munmap-reuse-vram
 * Description: The same with the buffer in VRAM and the fresh memory of both processes prefetched to VRAM once the buffer's VRAM was freed.
 *
 * SUBTEST: fork-cow-during-gpu-writes
 * Description: fork while a GPU job keeps writing the parent's private buffer: the child's copy never changes, the parent's keeps receiving the writes.
 *
 * SUBTEST: unmapped-and-kernel-addresses
 * Description: GPU loads, stores and atomics to a hole inside a mirror, to a kernel address and to NULL fault with the exact address and reason and write nothing.
 *
 * SUBTEST: debugfs-root-only
 * Description: The vsvm_* debugfs files, fault_prefetch_granules and migrate_delay_ms are mode 0?00 root files that user nobody can neither read nor write.
 *
 * SUBTEST: other-user-vm
 * Description: A VM id is -ENOENT on another fd of the same process; a process of another uid sharing the fd gets -EPERM on the creator's VM and the creator on its VM, while each uses its own.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: no stale or foreign access; root-only debugfs; per-file VM ids.");

/* Every word the tagged hammer writes has these top 32 bits. */
#define TAG		0x5afe7a9000000000ull
#define TAG_MASK	0xffffffff00000000ull
#define KERNEL_ADDR	0xffff888000000000ull
#define NOBODY		65534

#ifndef ARRAY_SIZE
#endif

static int fd = -1;
static uint32_t vm;

/*
 * PAGE_HAMMER: for n = 0, 1, ...: u64 [r0 + 4096 * (n % r3) +
 * 8 * ((n / r3) % 512)] = r1 + n, then u64 [r7 + 8] = n + 1 (progress),
 * until the u64 at [r7] is non-zero. Round n / r3 writes one word of every
 * one of the r3 pages.
 */
static const char *const PAGE_HAMMER =
	"	li r4, 0\n"
	"	li r9, 0\n"
	"loop:	ld64 r8, [r7]\n"
	"	bne r8, r9, done\n"
	"	remu r5, r4, r3\n"
	"	shli r5, r5, 12\n"
	"	divu r6, r4, r3\n"
	"	andi r6, r6, 511\n"
	"	shli r6, r6, 3\n"
	"	add r5, r5, r6\n"
	"	add r5, r0, r5\n"
	"	add r6, r1, r4\n"
	"	st64 [r5], r6\n"
	"	addi r4, r4, 1\n"
	"	st64 [r7 + 8], r4\n"
	"	jmp loop\n"
	"done:	end\n";

static void *anon(uint64_t size, int flags)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | flags, -1, 0);

	igt_assert(p != MAP_FAILED);
	return p;
}

/* Start PAGE_HAMMER over @npages pages of @buf, stop flag @stop. */
static uint32_t hammer(void *buf, uint64_t npages, volatile uint64_t *stop)
{
	uint64_t args[8] = { vsvm_va(buf), TAG, 0, npages, 0, 0, 0,
			     vsvm_va((void *)stop) };

	return vsvm_t_submit(fd, vm, 0, PAGE_HAMMER, 1, args, 8, 0, NULL, 0);
}

/* Wait (up to 30 s) until @job made @n stores (progress word stop[1]). */
static void wait_rounds(volatile uint64_t *stop, uint64_t n, uint32_t job)
{
	struct drm_vsvm_job_status st;

	for (int i = 0; i < 60000; i++) {
		if (stop[1] >= n)
			return;
		usleep(500);
		if (i % 64)
			continue;
		memset(&st, 0, sizeof(st));
		igt_assert_eq(vsvm_t_job_status(fd, job, 0, &st), 0);
		igt_assert_f(st.state == DRM_VSVM_JOB_QUEUED,
			     "hammer ended %s (fault %s at %#llx) after %" PRIu64 " stores\n",
			     vsvm_job_state_str(st.state),
			     vsvm_fault_reason_str(st.fault_reason),
			     (unsigned long long)st.fault_addr, stop[1]);
	}
	igt_assert_f(false, "the GPU job made %" PRIu64 " of %" PRIu64 " stores in 30 s\n",
		     stop[1], n);
}

/*
 * Count the non-zero words of @p and, of those, the tagged ones; print the
 * first few. Returns the number of non-zero words.
 */
static uint64_t scan_zero(const char *who, const volatile uint64_t *p,
			  uint64_t size)
{
	uint64_t bad = 0, tagged = 0;

	for (uint64_t i = 0; i < size / 8; i++) {
		if (!p[i])
			continue;
		if (bad < 4)
			igt_info("%s: word %" PRIu64 " of fresh memory is %#" PRIx64 "\n",
				 who, i, p[i]);
		bad++;
		tagged += (p[i] & TAG_MASK) == TAG;
	}
	if (bad)
		igt_info("%s: %" PRIu64 " non-zero words, %" PRIu64 " carry the GPU job's tag\n",
			 who, bad, tagged);
	return bad;
}

static void zero_fill(volatile uint64_t *p, uint64_t size)
{
	for (uint64_t i = 0; i < size / 8; i++)
		p[i] = 0;
}

/* @out = @dir "/" @name, asserting it fits. */
static void join_path(char *out, size_t len, const char *dir, const char *name)
{
	size_t d = strlen(dir), n = strlen(name);

	igt_assert(d + 1 + n < len);
	memcpy(out, dir, d);
	out[d] = '/';
	memcpy(out + d + 1, name, n + 1);
}

static int setuid_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -errno;
	return getuid() == NOBODY && geteuid() == NOBODY &&
	       getgid() == NOBODY ? 0 : -EPERM;
}

/* Every VM-naming ioctl with @id on @f fails with exactly @err. */
static void assert_vm_refused(int f, uint32_t id, uint64_t *victim, int err)
{
	struct vsvm_svm_attr attr = {
		.vm_id = id, .addr = vsvm_va(victim), .range = SZ_4K,
	};
	struct vsvm_exec_args a = { .vm_id = id, .invocations = 1 };
	uint32_t flags = 0x1234, job = 0;
	struct vsvm_prog p;

	igt_assert_eq(vsvm_mirror(f, id, vsvm_va(victim), SZ_4K, 0), err);
	igt_assert_eq(vsvm_unmirror(f, id, vsvm_va(victim), SZ_4K), err);
	igt_assert_eq(vsvm_svm_query(f, id, vsvm_va(victim), 1, &flags), err);
	igt_assert_eq_u32(flags, 0x1234);
	igt_assert_eq(vsvm_prefetch(f, id, vsvm_va(victim), SZ_4K, 0, NULL,
				    NULL, NULL), err);
	igt_assert_eq(vsvm_svm_attr_get(f, &attr), err);
	/* Valid attributes: only the VM id can make it fail. */
	attr.range = SZ_4K;
	attr.granularity = SZ_4K;
	igt_assert_eq(vsvm_svm_attr_set(f, &attr), err);
	vsvm_t_asm(&p, VSVM_T_PROG_ST64_AT);
	a.program = p.insns;
	a.program_size = p.count;
	a.args[0] = vsvm_va(victim);
	a.args[1] = 0xbad;
	igt_assert_eq(vsvm_exec(f, &a, &job), err);
	vsvm_prog_fini(&p);
	igt_assert_eq(vsvm_vm_destroy(f, id), err);
}

/* Page frame of @p from /proc/self/pagemap (root only), 0 if unknown. */
static uint64_t pfn_of(const volatile void *p)
{
	uint64_t e = 0;
	int f = open("/proc/self/pagemap", O_RDONLY);

	if (f < 0)
		return 0;
	if (pread(f, &e, 8, (off_t)((uintptr_t)p / SZ_4K * 8)) != 8)
		e = 0;
	close(f);
	return e >> 63 ? e & ((1ull << 55) - 1) : 0;
}

/* Pages of [p, p + size) whose frame is one of @old[0..n). */
static uint64_t count_reused(const volatile uint64_t *p, uint64_t size,
			     const uint64_t *old, uint64_t n)
{
	uint64_t reused = 0;

	for (uint64_t i = 0; i < size / SZ_4K; i++) {
		uint64_t pfn = pfn_of(p + i * 512);

		for (uint64_t j = 0; pfn && j < n; j++)
			if (old[j] == pfn) {
				reused++;
				break;
			}
	}
	return reused;
}

static int64_t vram_used(void)
{
	int64_t v = vsvm_t_counter(fd, "vram_used");

	igt_require_f(v >= 0, "no vram_used in debugfs vsvm_counters\n");
	return v;
}

static int prefetch_vram(int f, uint32_t id, void *p, uint64_t size)
{
	uint64_t idx = 0, done = 0, failed = 0;
	int ret = vsvm_get_param(f, DRM_VSVM_PARAM_DEVICE_INDEX, &idx);

	if (!ret)
		ret = vsvm_prefetch_to(f, id, vsvm_va(p), size, 0,
				       DRM_VSVM_LOCATION_DEVICE(idx), NULL,
				       &done, &failed);
	return ret ?: (done == size / SZ_4K && !failed ? 0 : -ENOSPC);
}

/*
 * A GPU job writes the tagged pattern through @npages pages; the process
 * unmaps them while it runs. Then this process (in a range reserved before,
 * so nothing is mapped at the old address while the job may run) and a
 * forked one (at the old address and elsewhere) take 4x the buffer of fresh
 * memory and zero it; with @vram the buffer was in VRAM and the fresh
 * memory is prefetched to VRAM once the buffer's VRAM was freed. The job
 * must fault NO_VMA inside the old buffer; the fresh memory must read zero.
 */
static void stale_after_munmap(bool vram)
{
	const uint64_t npages = 32, size = npages * SZ_4K;
	const uint64_t fresh_size = 4 * size;
	volatile uint64_t *stop = anon(SZ_4K, MAP_SHARED);
	uint64_t *buf, *fresh, bad, old_pfn[32], reused;
	struct drm_vsvm_job_status st;
	int go[2], back[2], ws;
	int64_t base = 0;
	uint32_t job;
	pid_t pid;
	char c;

	if (vram) {
		vsvm_t_require_vram(fd);
		/* Frees still pending from before are done: two reads agree. */
		base = vram_used();
		for (int i = 0; i < 50; i++) {
			int64_t v;

			usleep(100000);
			v = vram_used();
			if (v == base)
				break;
			base = v;
		}
	}
	igt_assert_eq(pipe(go), 0);
	igt_assert_eq(pipe(back), 0);
	stop[0] = stop[1] = 0;
	/* Reserved now so that nothing lands in the freed range later. */
	fresh = mmap(NULL, fresh_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	igt_assert(fresh != MAP_FAILED);
	buf = vsvm_t_mmap_aligned(size, SZ_2M, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS);
	madvise(buf, size, MADV_NOHUGEPAGE);
	zero_fill(buf, size);
	for (uint64_t i = 0; i < npages; i++)
		old_pfn[i] = pfn_of(buf + i * 512);
	vsvm_t_mirror(fd, vm, buf, size);
	vsvm_t_mirror(fd, vm, (void *)stop, SZ_4K);
	if (vram) {
		igt_assert_eq(prefetch_vram(fd, vm, buf, size), 0);
		igt_assert_eq(vram_used(), base + (int64_t)size);
	}

	job = hammer(buf, npages, stop);
	wait_rounds(stop, 2 * npages, job);
	if (vram)
		igt_assert_eq_u64(vsvm_t_count_flags(fd, vm, buf, npages,
						     DRM_VSVM_QUERY_VRAM), npages);
	igt_assert_eq(munmap(buf, size), 0);
	if (vram) {
		/* Its VRAM is free again (frees are deferred: bounded wait). */
		for (int i = 0; i < 2000 && vram_used() != base; i++)
			usleep(10000);
		igt_assert_eq(vram_used(), base);
	}

	/* Another process takes fresh memory too, at buf's address among others. */
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		uint64_t *a = mmap(buf, size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS |
				   MAP_FIXED_NOREPLACE, -1, 0);
		uint64_t *b = mmap(NULL, fresh_size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t res[2];
		uint32_t cvm = 0;
		int cfd = -1;

		if (a != buf || b == MAP_FAILED)
			_exit(2);
		madvise(a, size, MADV_NOHUGEPAGE);
		madvise(b, fresh_size, MADV_NOHUGEPAGE);
		zero_fill(a, size);
		zero_fill(b, fresh_size);
		res[1] = count_reused(a, size, old_pfn, npages) +
			 count_reused(b, fresh_size, old_pfn, npages);
		if (vram && (vsvm_open(0, &cfd) ||
			     vsvm_vm_create(cfd, 0, 0, &cvm) ||
			     vsvm_mirror(cfd, cvm, vsvm_va(a), size, 0) ||
			     vsvm_mirror(cfd, cvm, vsvm_va(b), fresh_size, 0) ||
			     prefetch_vram(cfd, cvm, a, size) ||
			     prefetch_vram(cfd, cvm, b, fresh_size)))
			_exit(4);
		if (write(back[1], "f", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(3);
		/* With @vram these reads migrate the pages back. */
		res[0] = scan_zero("child", a, size) +
			 scan_zero("child", b, fresh_size);
		_exit(write(back[1], res, 16) == 16 ? 0 : 3);
	}
	igt_assert_eq(mprotect(fresh, fresh_size, PROT_READ | PROT_WRITE), 0);
	madvise(fresh, fresh_size, MADV_NOHUGEPAGE);
	zero_fill(fresh, fresh_size);
	reused = count_reused(fresh, fresh_size, old_pfn, npages);
	if (vram) {
		vsvm_t_mirror(fd, vm, fresh, fresh_size);
		igt_assert_eq(prefetch_vram(fd, vm, fresh, fresh_size), 0);
	}
	igt_assert_f(read(back[0], &c, 1) == 1, "the other process failed\n");

	/* The job ends by itself (waited for before the scans). */
	vsvm_t_wait(fd, job, &st);
	bad = scan_zero("parent", fresh, fresh_size);
	igt_assert_eq(write(go[1], "x", 1), 1);
	{
		uint64_t res[2] = { ~0ull, 0 };

		igt_assert_eq(read(back[0], res, 16), 16);
		igt_assert_eq(waitpid(pid, &ws, 0), pid);
		igt_assert_f(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
			     "child status %#x\n", ws);
		igt_info("%" PRIu64 " stores before the job ended; page frames of the buffer reused: %" PRIu64 " here, %" PRIu64 " in the other process\n",
			 stop[1], reused, res[1]);
		igt_assert_f(res[0] == 0, "the other process found %" PRIu64 " non-zero words in its fresh memory\n",
			     res[0]);
	}
	igt_assert_f(bad == 0, "this process found %" PRIu64 " non-zero words in its fresh memory\n", bad);
	/* It ended on the unmapped buffer. */
	vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NO_VMA, st.fault_addr,
			    DRM_VSVM_ACCESS_WRITE);
	igt_assert_f(st.fault_addr >= vsvm_va(buf) &&
		     st.fault_addr < vsvm_va(buf) + size,
		     "fault at %#llx, outside the unmapped buffer\n",
		     (unsigned long long)st.fault_addr);

	if (vram)
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(fresh), fresh_size), 0);
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(buf), size), 0);
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va((void *)stop), SZ_4K), 0);
	munmap(fresh, fresh_size);
	munmap((void *)stop, SZ_4K);
	close(go[0]);
	close(go[1]);
	close(back[0]);
	close(back[1]);
}

igt_main
{
	igt_fixture {
		fd = vsvm_t_open(0);
		vm = vsvm_t_vm(fd);
	}

	igt_describe("After munmap under a writing GPU job, fresh memory never shows its pattern.");
	igt_subtest("stale-after-munmap-reuse")
		stale_after_munmap(false);

	igt_describe("The same with the buffer and the fresh memory in VRAM.");
	igt_subtest("stale-after-munmap-reuse-vram")
		stale_after_munmap(true);

	igt_describe("fork under a writing GPU job: the child's copy never changes.");
	igt_subtest("fork-cow-during-gpu-writes") {
		const uint64_t npages = 16, size = npages * SZ_4K;
		volatile uint64_t *stop = anon(SZ_4K, MAP_SHARED);
		volatile uint64_t *buf = anon(size, MAP_PRIVATE);
		uint64_t n0, child_max = ~0ull, max = 0;
		struct drm_vsvm_job_status st;
		int go[2], back[2], ws;
		uint32_t job;
		pid_t pid;
		char c;

		igt_assert_eq(pipe(go), 0);
		igt_assert_eq(pipe(back), 0);
		stop[0] = stop[1] = 0;
		madvise((void *)buf, size, MADV_NOHUGEPAGE);
		zero_fill(buf, size);
		vsvm_t_mirror(fd, vm, (void *)buf, size);
		vsvm_t_mirror(fd, vm, (void *)stop, SZ_4K);
		job = hammer((void *)buf, npages, stop);
		wait_rounds(stop, 2 * npages, job);

		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			uint64_t *snap = malloc(size), changed = 0, m = 0;

			if (!snap)
				_exit(2);
			for (uint64_t i = 0; i < size / 8; i++)
				snap[i] = buf[i];
			if (write(back[1], "s", 1) != 1 || read(go[0], &c, 1) != 1)
				_exit(3);
			for (uint64_t i = 0; i < size / 8; i++) {
				changed += buf[i] != snap[i];
				if (buf[i] > m)
					m = buf[i];
			}
			_exit(write(back[1], &changed, 8) == 8 &&
			      write(back[1], &m, 8) == 8 ? 0 : 3);
		}
		igt_assert_eq(read(back[0], &c, 1), 1);
		/* Let the GPU write every page of the parent's buffer twice more. */
		n0 = stop[1];
		wait_rounds(stop, n0 + 2 * npages, job);
		igt_assert_eq(write(go[1], "x", 1), 1);
		{
			uint64_t changed = ~0ull;

			igt_assert_eq(read(back[0], &changed, 8), 8);
			igt_assert_eq(read(back[0], &child_max, 8), 8);
			igt_assert_f(changed == 0,
				     "%" PRIu64 " words of the child's copy changed after fork (GPU writes reached it)\n",
				     changed);
		}
		igt_assert_eq(waitpid(pid, &ws, 0), pid);
		igt_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
		stop[0] = 1;
		igt_assert_eq(vsvm_t_wait(fd, job, &st), DRM_VSVM_JOB_DONE);
		/* Every page of the parent's copy received stores made after fork. */
		for (uint64_t pg = 0; pg < npages; pg++) {
			uint64_t m = 0;

			for (uint64_t i = 0; i < 512; i++)
				if (buf[pg * 512 + i] > m)
					m = buf[pg * 512 + i];
			igt_assert_f(m >= TAG + n0,
				     "page %" PRIu64 " of the parent: newest store %#" PRIx64 ", made before fork (store %" PRIu64 ")\n",
				     pg, m, n0);
			if (m > max)
				max = m;
		}
		igt_assert_eq_u64(child_max & TAG_MASK, TAG);
		igt_assert_f(max > child_max + npages,
			     "parent max %#" PRIx64 ", child max %#" PRIx64 "\n",
			     max, child_max);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va((void *)buf), size), 0);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va((void *)stop), SZ_4K), 0);
		munmap((void *)buf, size);
		munmap((void *)stop, SZ_4K);
		close(go[0]); close(go[1]); close(back[0]); close(back[1]);
	}

	igt_describe("Loads/stores/atomics to a hole, a kernel address and NULL fault and write nothing.");
	igt_subtest("unmapped-and-kernel-addresses") {
		uint64_t *p = anon(3 * SZ_4K, MAP_PRIVATE);
		uint64_t *sink = anon(SZ_4K, MAP_PRIVATE), *hole = p + 512;
		const struct {
			const char *name;
			uint64_t addr;
			uint32_t reason;
		} t[] = {
			{ "hole", vsvm_va(hole + 17), DRM_VSVM_FAULT_NO_VMA },
			{ "kernel", KERNEL_ADDR, DRM_VSVM_FAULT_NOT_MIRRORED },
			{ "kernel+8", KERNEL_ADDR + 8, DRM_VSVM_FAULT_NOT_MIRRORED },
			{ "null", 0, DRM_VSVM_FAULT_NOT_MIRRORED },
		};
		uint64_t *n;

		vsvm_t_fill(p, 3 * SZ_4K, 41);
		for (int i = 0; i < 512; i++)
			sink[i] = 0x5151515151515151ull;
		vsvm_t_mirror(fd, vm, p, 3 * SZ_4K);
		vsvm_t_mirror(fd, vm, sink, SZ_4K);
		/* The GPU maps all three pages, then the middle one goes. */
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_READ_SUM, 64,
			      (uint64_t[]){ vsvm_va(p), vsvm_va(sink + 100),
					    3 * 512 }, 3);
		sink[100] = 0x5151515151515151ull;
		igt_assert_eq(munmap(hole, SZ_4K), 0);

		for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
			struct drm_vsvm_job_status st;
			uint64_t st_args[2] = { t[i].addr, 0xbadc0ffee0ddf00dull };
			uint64_t ld_args[2] = { t[i].addr, vsvm_va(sink + 1) };
			uint64_t at_args[3] = { t[i].addr, 0x77, 1 };

			igt_debug("%s: %#" PRIx64 "\n", t[i].name, t[i].addr);
			vsvm_t_run(fd, vm, VSVM_T_PROG_ST64_AT, 1, st_args, 2, &st);
			vsvm_t_assert_fault(&st, t[i].reason, t[i].addr,
					    DRM_VSVM_ACCESS_WRITE);
			vsvm_t_run(fd, vm, VSVM_T_PROG_LD64_AT, 1, ld_args, 2, &st);
			vsvm_t_assert_fault(&st, t[i].reason, t[i].addr,
					    DRM_VSVM_ACCESS_READ);
			vsvm_t_run(fd, vm, VSVM_T_PROG_AADD, 1, at_args, 3, &st);
			vsvm_t_assert_fault(&st, t[i].reason, t[i].addr,
					    DRM_VSVM_ACCESS_ATOMIC);
		}
		/* Nothing written: neighbours, the load target, the hole. */
		igt_assert_eq(vsvm_t_check(p, SZ_4K, 41, 0), -1);
		for (int i = 0; i < 512; i++)
			igt_assert_eq_u64(p[1024 + i], vsvm_t_pattern(41, 1024 + i));
		for (int i = 0; i < 512; i++)
			igt_assert_eq_u64(sink[i], 0x5151515151515151ull);
		n = mmap(hole, SZ_4K, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		igt_assert(n == hole);
		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_LD64_AT, 1,
			      (uint64_t[]){ vsvm_va(hole + 17), vsvm_va(sink + 1) }, 2);
		igt_assert_eq_u64(sink[1], 0);
		for (int i = 0; i < 512; i++)
			igt_assert_eq_u64(hole[i], 0);
		/* The mirror still works around and in the refilled hole. */
		vsvm_t_roundtrip(fd, vm, p, 3 * SZ_4K, 42);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(p), 3 * SZ_4K), 0);
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(sink), SZ_4K), 0);
		munmap(p, 3 * SZ_4K);
		munmap(sink, SZ_4K);
	}

	igt_describe("The vsvm debugfs files are root-only: user nobody can neither read nor write them.");
	igt_subtest("debugfs-root-only") {
		static const char *const expected[] = {
			"vsvm_counters", "vsvm_fault_latency",
			"vsvm_migrate_latency", "vsvm_vms",
			"fault_prefetch_granules", "migrate_delay_ms",
		};
		char dir[256], names[32][64];
		struct dirent *de;
		int count = 0;
		DIR *d;

		igt_require_f(getuid() == 0, "needs root\n");
		igt_require_f(vsvm_debugfs_dir(fd, dir, sizeof(dir)) == 0,
			      "no debugfs directory for the device\n");
		d = opendir(dir);
		igt_assert(d);
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, "vsvm_", 5) &&
			    strcmp(de->d_name, "fault_prefetch_granules") &&
			    strcmp(de->d_name, "migrate_delay_ms"))
				continue;
			igt_assert(count < 32 && strlen(de->d_name) < 64);
			strcpy(names[count++], de->d_name);
		}
		closedir(d);
		for (unsigned int i = 0; i < ARRAY_SIZE(expected); i++) {
			bool found = false;

			for (int j = 0; j < count; j++)
				found |= !strcmp(names[j], expected[i]);
			igt_assert_f(found, "%s/%s missing\n", dir, expected[i]);
		}
		/* Owned by root, no group or other bits; root can read them. */
		for (int i = 0; i < count; i++) {
			char path[384];
			struct stat s;
			int f;

			join_path(path, sizeof(path), dir, names[i]);
			igt_assert_eq(stat(path, &s), 0);
			igt_info("%s: mode %04o uid %u gid %u\n", names[i],
				 s.st_mode & 07777, s.st_uid, s.st_gid);
			igt_assert_f(s.st_uid == 0 && (s.st_mode & 0077) == 0,
				     "%s: mode %04o uid %u: not root-only\n", path,
				     s.st_mode & 07777, s.st_uid);
			f = open(path, O_RDONLY);
			igt_assert_f(f >= 0, "root cannot open %s: %m\n", path);
			close(f);
		}
		igt_fork(child, 1) {
			igt_assert_eq(setuid_nobody(), 0);
			for (int i = 0; i < count; i++) {
				static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR };
				char path[384];

				join_path(path, sizeof(path), dir, names[i]);
				for (unsigned int m = 0; m < ARRAY_SIZE(modes); m++) {
					int f = open(path, modes[m]);
					int e = errno;

					if (f >= 0)
						close(f);
					igt_assert_f(f < 0 && (e == EACCES || e == EPERM),
						     "user nobody: open(%s, %d) = %d (%s)\n",
						     path, modes[m], f, f < 0 ? strerror(e) : "opened");
				}
			}
		}
		igt_waitchildren();
	}

	igt_describe("VM ids are per file; across processes (and uids) only the creator uses a VM.");
	igt_subtest("other-user-vm") {
		uint64_t *victim = anon(2 * SZ_4K, MAP_SHARED);
		uint64_t *mine = anon(SZ_4K, MAP_PRIVATE);
		uint32_t va_id = vsvm_t_vm(fd), vb_id[16];
		int fdb = vsvm_t_open(0), id_pipe[2], go[2];
		struct drm_vsvm_job_status st;
		uint64_t args[2];
		uint32_t child_vm = 0;
		int nb = 0;

		igt_assert_eq(pipe(id_pipe), 0);
		igt_assert_eq(pipe(go), 0);
		victim[0] = 0x600d;
		vsvm_t_mirror(fd, va_id, victim, SZ_4K);
		igt_assert(vsvm_t_query(fd, va_id, victim) & DRM_VSVM_QUERY_MIRRORED);

		/* Another fd of this process has no such VM. */
		assert_vm_refused(fdb, va_id, victim, -ENOENT);
		/*
		 * Its own VMs, up to one with the same id, are other VMs: they
		 * do not see the first one's mirror and destroying them leaves
		 * it alone.
		 */
		do {
			vb_id[nb] = vsvm_t_vm(fdb);
		} while (vb_id[nb++] != va_id && nb < 16);
		igt_info("VM %u on the first fd; the second fd's VM %u has %s id\n",
			 va_id, vb_id[nb - 1],
			 vb_id[nb - 1] == va_id ? "the same" : "another");
		igt_assert_eq_u32(vsvm_t_query(fdb, vb_id[nb - 1], victim), 0);
		args[0] = vsvm_va(victim);
		args[1] = 0xbad;
		vsvm_t_run(fdb, vb_id[nb - 1], VSVM_T_PROG_ST64_AT, 1, args, 2, &st);
		vsvm_t_assert_fault(&st, DRM_VSVM_FAULT_NOT_MIRRORED,
				    vsvm_va(victim), DRM_VSVM_ACCESS_WRITE);
		igt_assert_eq_u64(victim[0], 0x600d);
		for (int i = 0; i < nb; i++)
			igt_assert_eq(vsvm_vm_destroy(fdb, vb_id[i]), 0);
		close(fdb);
		igt_assert(vsvm_t_query(fd, va_id, victim) & DRM_VSVM_QUERY_MIRRORED);

		/* A process of another uid sharing the fd. */
		igt_fork(child, 1) {
			uint64_t *own = anon(SZ_4K, MAP_PRIVATE);
			uint32_t cvm;
			char c;

			igt_assert_eq(setuid_nobody(), 0);
			assert_vm_refused(fd, va_id, victim, -EPERM);
			cvm = vsvm_t_vm(fd);
			vsvm_t_mirror(fd, cvm, own, SZ_4K);
			vsvm_t_roundtrip(fd, cvm, own, SZ_4K, 61);
			igt_assert_eq(write(id_pipe[1], &cvm, 4), 4);
			igt_assert_eq(read(go[0], &c, 1), 1);
			vsvm_t_roundtrip(fd, cvm, own, SZ_4K, 62);
			igt_assert_eq(vsvm_vm_destroy(fd, cvm), 0);
		}
		igt_assert_eq(read(id_pipe[0], &child_vm, 4), 4);
		igt_assert_neq_u32(child_vm, va_id);
		/* The child's VM is closed to its creator's parent. */
		vsvm_t_fill(mine, SZ_4K, 63);
		assert_vm_refused(fd, child_vm, mine, -EPERM);
		igt_assert_eq(vsvm_t_check(mine, SZ_4K, 63, 0), -1);
		igt_assert_eq(write(go[1], "x", 1), 1);
		igt_waitchildren();

		igt_assert_eq_u64(victim[0], 0x600d);
		igt_assert_eq_u64(victim[512], 0);
		vsvm_t_roundtrip(fd, va_id, victim, SZ_4K, 64);
		igt_assert_eq(vsvm_vm_destroy(fd, va_id), 0);
		munmap(victim, 2 * SZ_4K);
		munmap(mine, SZ_4K);
		close(id_pipe[0]); close(id_pipe[1]); close(go[0]); close(go[1]);
	}

	igt_fixture
		close(fd);
}
