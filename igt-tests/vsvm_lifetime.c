// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm lifetime
 * Category: Core
 * Mega feature: SVM
 * Sub-category: Lifetime and isolation
 * Functionality: VM ownership by one mm, process exit, kill, module refcount
 * Description: A VM belongs to the process that created it: other
 *		processes get -EPERM and cannot touch its memory. Exit, kill -9
 *		and fd close with jobs in flight tear everything down cleanly
 *		and leave the device usable.
 *
 * SUBTEST: fd-over-socket
 * Description: A process that received the fd over a unix socket gets -EPERM on the creator's VM.
 *
 * SUBTEST: fork-child
 * Description: A forked child that inherited the fd gets -EPERM on the parent's VM.
 *
 * SUBTEST: fork-child-own-vm
 * Description: A forked child can open the device and use a VM of its own.
 *
 * SUBTEST: exit-while-job-runs
 * Description: A process exits with a spinning job; the device stays usable.
 *
 * SUBTEST: kill-during-faults
 * Description: kill -9 of a process whose job is faulting in memory; the device stays usable.
 *
 * SUBTEST: close-with-queued-jobs
 * Description: Closing the fd with jobs queued behind an unsignalled syncobj is clean.
 *
 * SUBTEST: vm-destroy-with-queued-job
 * Description: Destroying a VM with a queued job: the handle dies at once, the job finishes.
 *
 * SUBTEST: exit-releases-vms
 * Description: VMs of an exited process disappear from debugfs.
 *
 * SUBTEST: many-fds
 * Description: 64 open files, each with a VM and a job, closed in random order.
 *
 * SUBTEST: module-unload-refused
 * Description: Unloading vsvm.ko fails while a client has the device open.
 *
 * SUBTEST: kill-during-migration
 * Description: kill -9 of a process inside a 32 MiB prefetch to VRAM: VRAM used returns to its previous value, the parent's VRAM data and the device are intact.
 *
 * SUBTEST: kill-during-migrate-to-ram
 * Description: kill -9 of a process whose CPU touches migrate its VRAM pages back: VRAM used returns to its previous value, the parent's VRAM data and the device are intact.
 *
 * SUBTEST: oom-with-vram
 * Description: The OOM killer kills a process with 16 MiB in VRAM: it dies by SIGKILL, it is the only OOM kill (a bystander survives), VRAM used returns to its previous value, the parent's mirrored and VRAM data are intact and the device still works.
 *
 * SUBTEST: oom-with-gpu-jobs
 * Description: The same while the victim keeps GPU jobs running over its VRAM buffer and over the memory it eats (mirrored): the OOM kill, reaper and exit tear down live GPU mappings under running jobs.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: VM ownership, process exit and teardown.");

static int fd = -1;

/* Every VM-naming ioctl from this (foreign) process fails with -EPERM. */
static void assert_foreign(int f, uint32_t vm, uint64_t *victim)
{
	uint32_t flags = 0, job = 0;
	struct vsvm_prog p;
	struct vsvm_exec_args a = { .vm_id = vm, .invocations = 1 };

	igt_assert_eq(vsvm_mirror(f, vm, vsvm_va(victim) + SZ_4K, SZ_4K, 0),
		      -EPERM);
	igt_assert_eq(vsvm_unmirror(f, vm, vsvm_va(victim), SZ_4K), -EPERM);
	igt_assert_eq(vsvm_svm_query(f, vm, vsvm_va(victim), 1, &flags), -EPERM);
	igt_assert_eq(vsvm_prefetch(f, vm, vsvm_va(victim), SZ_4K, 0, NULL,
				    NULL, NULL), -EPERM);
	vsvm_t_asm(&p, VSVM_T_PROG_ST64_AT);
	a.program = p.insns;
	a.program_size = p.count;
	a.args[0] = vsvm_va(victim);
	a.args[1] = 0xbad;
	igt_assert_eq(vsvm_exec(f, &a, &job), -EPERM);
	vsvm_prog_fini(&p);
	igt_assert_eq(vsvm_vm_destroy(f, vm), -EPERM);
	/* Device-wide ioctls still work. */
	igt_assert_lt(0, (int)vsvm_t_param(f, DRM_VSVM_PARAM_NUM_ENGINES));
}

static int send_fd(int sock, int f)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char c = 'f';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &f, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int f = -1;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&f, CMSG_DATA(cm), sizeof(int));
	return f;
}

static int count_vms(void)
{
	char dir[256], path[320], line[256];
	int n = 0;
	FILE *f;

	if (vsvm_debugfs_dir(fd, dir, sizeof(dir)))
		return -1;
	snprintf(path, sizeof(path), "%s/vsvm_vms", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "vm ", 3))
			n++;
	fclose(f);
	return n;
}

static void device_still_works(void)
{
	uint32_t vm = vsvm_t_vm(fd);
	uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	vsvm_t_mirror(fd, vm, p, SZ_4K);
	vsvm_t_roundtrip(fd, vm, p, SZ_4K, 99);
	igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
	munmap(p, SZ_4K);
}

/* ---- VRAM accounting across the death of a process ---------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Bytes of VRAM in use (debugfs vsvm_counters "vram_used"). */
static int64_t vram_used(void)
{
	int64_t v = vsvm_t_counter(fd, "vram_used");

	igt_require_f(v >= 0, "no vram_used in debugfs vsvm_counters\n");
	return v;
}

/*
 * vram_used once frees still pending from before (a worker does them) are
 * done: two reads 100 ms apart agree (up to 5 s).
 */
static int64_t vram_used_settled(void)
{
	int64_t prev = vram_used(), v;

	for (int i = 0; i < 50; i++) {
		usleep(100000);
		v = vram_used();
		if (v == prev)
			return v;
		prev = v;
	}
	return prev;
}

/* VRAM pages are freed from a worker: wait (up to 20 s) for @want. */
static void wait_vram_used(int64_t want)
{
	double end = now_s() + 20;
	int64_t v = vram_used();

	while (v != want && now_s() < end) {
		usleep(10000);
		v = vram_used();
	}
	igt_assert_f(v == want,
		     "vram_used %" PRId64 " bytes 20 s after the process died, %" PRId64 " before it started (%+" PRId64 ")\n",
		     v, want, v - want);
}

/*
 * The parent's own data, there before a child dies and checked after: @vram
 * prefetched to VRAM, @sys mirrored and GPU-mapped in system memory.
 */
struct parent_data {
	uint32_t vm;
	uint64_t size;
	uint64_t *vram, *sys;
};

static void *anon_nohuge(uint64_t size)
{
	void *p = vsvm_t_mmap_aligned(size, SZ_2M, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS);

	madvise(p, size, MADV_NOHUGEPAGE);
	return p;
}

static void parent_data_init(struct parent_data *d, uint64_t size)
{
	uint64_t done = 0, failed = 0;
	int ret;

	d->size = size;
	d->vm = vsvm_t_vm(fd);
	d->vram = anon_nohuge(size);
	d->sys = anon_nohuge(size);
	vsvm_t_fill(d->vram, size, 0x71);
	vsvm_t_fill(d->sys, size, 0x72);
	vsvm_t_mirror(fd, d->vm, d->vram, size);
	vsvm_t_mirror(fd, d->vm, d->sys, size);
	ret = vsvm_t_prefetch_loc(fd, d->vm, d->vram, size, vsvm_t_here(fd),
				  NULL, &done, &failed);
	igt_assert_f(ret == 0, "prefetch to VRAM: %s\n", vsvm_strerror(ret));
	igt_assert_eq_u64(done, size / SZ_4K);
	igt_assert_eq_u64(failed, 0);
	igt_assert_eq(vsvm_prefetch(fd, d->vm, vsvm_va(d->sys), size, 0, NULL,
				    NULL, NULL), 0);
	igt_assert_eq_u64(vsvm_t_count_flags(fd, d->vm, d->vram, size / SZ_4K,
					     DRM_VSVM_QUERY_VRAM), size / SZ_4K);
}

/* The GPU adds to both buffers where they are, then the CPU checks every word. */
static void parent_data_check(struct parent_data *d)
{
	uint64_t n = d->size / 8;
	int64_t bad;

	igt_info("parent: %" PRIu64 " of %" PRIu64 " VRAM pages still GPU-mapped (fork invalidated the GPU view)\n",
		 vsvm_t_count_flags(fd, d->vm, d->vram, d->size / SZ_4K,
				    DRM_VSVM_QUERY_VRAM), (uint64_t)(d->size / SZ_4K));
	vsvm_t_gpu_add(fd, d->vm, d->vram, d->vram, n, 3);
	vsvm_t_gpu_add(fd, d->vm, d->sys, d->sys, n, 5);
	bad = vsvm_t_check(d->vram, d->size, 0x71, 3);
	igt_assert_f(bad < 0, "parent VRAM data: word %" PRId64 " is %#" PRIx64 ", want %#" PRIx64 "\n",
		     bad, d->vram[bad < 0 ? 0 : bad], vsvm_t_pattern(0x71, bad) + 3);
	bad = vsvm_t_check(d->sys, d->size, 0x72, 5);
	igt_assert_f(bad < 0, "parent mirrored data: word %" PRId64 " is %#" PRIx64 ", want %#" PRIx64 "\n",
		     bad, d->sys[bad < 0 ? 0 : bad], vsvm_t_pattern(0x72, bad) + 5);
}

static void parent_data_fini(struct parent_data *d)
{
	igt_assert_eq(vsvm_vm_destroy(fd, d->vm), 0);
	vsvm_t_munmap_aligned(d->vram, d->size);
	vsvm_t_munmap_aligned(d->sys, d->size);
}

/*
 * After a child died: VRAM can be filled again. A fresh buffer of @size is
 * prefetched to VRAM whole, the GPU touches every page, the CPU checks.
 */
static void vram_reusable(uint64_t size)
{
	uint64_t npages = size / SZ_4K, done = 0, failed = 0;
	uint64_t args[3];
	uint64_t *p = anon_nohuge(size);
	uint32_t vm = vsvm_t_vm(fd);
	int ret;

	for (uint64_t i = 0; i < npages; i++)
		p[i * 512] = i;
	vsvm_t_mirror(fd, vm, p, size);
	ret = vsvm_t_prefetch_loc(fd, vm, p, size, vsvm_t_here(fd), NULL,
				  &done, &failed);
	igt_assert_f(ret == 0, "prefetch to VRAM: %s\n", vsvm_strerror(ret));
	igt_assert_f(done == npages && failed == 0,
		     "after the kill only %" PRIu64 " of %" PRIu64 " pages fit in VRAM (%" PRIu64 " failed)\n",
		     done, npages, failed);
	args[0] = vsvm_va(p);
	args[1] = 0x100000;
	args[2] = npages;
	vsvm_t_run_ok(fd, vm, VSVM_T_PROG_TOUCH_PAGES, 64, args, 3);
	for (uint64_t i = 0; i < npages; i++)
		igt_assert_eq_u64(p[i * 512], i + 0x100000);
	igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
	vsvm_t_munmap_aligned(p, size);
}

/* Child stages, in shared memory. */
enum {
	C_START, C_PREFETCHING, C_IN_VRAM, C_TOUCHING, C_TOUCHED, C_ALLOCATING,
};

struct child_shared {
	volatile uint64_t stage;
	volatile uint64_t done;		/* pages the prefetch moved */
	volatile uint64_t go;		/* parent: start touching */
};

struct toucher {
	const uint8_t *p;
	uint64_t size;
	int memfd;
};

/* Copy through the kernel: write() faults each VRAM page back (kernel mode). */
static void *write_toucher(void *arg)
{
	struct toucher *t = arg;
	uint64_t off = 0;

	while (off < t->size) {
		ssize_t n = write(t->memfd, t->p + off, t->size - off);

		if (n <= 0)
			break;
		off += n;
	}
	return NULL;
}

/*
 * Fork a child that mirrors @size bytes of its own and prefetches them to
 * VRAM; with @back it then reads every page with the CPU (a thread copies
 * the upper half out through write(), the main thread loads the lower
 * half), which migrates them back to system memory. The child never exits
 * on its own.
 */
static pid_t vram_child(struct child_shared *sh, uint64_t size, bool back)
{
	pid_t pid = fork();

	igt_assert(pid >= 0);
	if (pid == 0) {
		uint64_t npages = size / SZ_4K, done = 0, failed = 0;
		volatile uint8_t *p;
		uint64_t idx = 0;
		uint32_t vm = 0;
		int cfd = -1;

		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(1);
		madvise((void *)p, size, MADV_NOHUGEPAGE);
		for (uint64_t i = 0; i < npages; i++)
			p[i * SZ_4K] = (uint8_t)(i | 1);
		if (vsvm_open(0, &cfd) || vsvm_vm_create(cfd, 0, 0, &vm) ||
		    vsvm_get_param(cfd, DRM_VSVM_PARAM_DEVICE_INDEX, &idx) ||
		    vsvm_mirror(cfd, vm, vsvm_va((void *)p), size, 0))
			_exit(1);
		sh->stage = C_PREFETCHING;
		if (vsvm_prefetch_to(cfd, vm, vsvm_va((void *)p), size, 0,
				     DRM_VSVM_LOCATION_DEVICE(idx), NULL,
				     &done, &failed))
			_exit(1);
		sh->done = done;
		sh->stage = C_IN_VRAM;
		if (back) {
			struct toucher t = {
				.p = (const uint8_t *)p + size / 2,
				.size = size / 2,
				.memfd = memfd_create("vsvm-toucher", 0),
			};
			uint64_t sum = 0;
			pthread_t th;

			if (t.memfd < 0)
				_exit(1);
			while (!sh->go)
				usleep(100);
			sh->stage = C_TOUCHING;
			if (pthread_create(&th, NULL, write_toucher, &t))
				_exit(1);
			for (uint64_t i = 0; i < npages / 2; i++)
				sum += p[i * SZ_4K];
			pthread_join(th, NULL);
			sh->done = sum;
			sh->stage = C_TOUCHED;
		}
		for (;;)
			pause();
	}
	return pid;
}

/* Wait (up to @secs) until @sh reaches @stage; fails if the child died. */
static void wait_stage(pid_t pid, struct child_shared *sh, uint64_t stage,
		       double secs)
{
	double end = now_s() + secs;
	int st = 0;

	while (sh->stage < stage) {
		igt_assert_f(waitpid(pid, &st, WNOHANG) == 0,
			     "the child ended (status %#x) before stage %" PRIu64 "\n",
			     st, stage);
		igt_assert_f(now_s() < end, "the child did not reach stage %" PRIu64
			     " in %.0f s (at %" PRIu64 ")\n", stage, secs, sh->stage);
		usleep(500);
	}
}

static void kill_child(pid_t pid)
{
	double t0 = now_s();
	int st;

	igt_assert_eq(kill(pid, SIGKILL), 0);
	igt_assert_eq(waitpid(pid, &st, 0), pid);
	igt_assert_f(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
		     "child status %#x, want killed by SIGKILL\n", st);
	igt_info("the child was reaped %.3f s after SIGKILL\n", now_s() - t0);
}

/*
 * kill -9 a child in the middle of a migration: to VRAM (inside its
 * prefetch ioctl) or, with @back, back to system memory (CPU touches).
 * The kill is sent once vram_used shows the migration under way and not
 * finished; up to 3 tries to land inside that window.
 */
static void kill_during_migration(bool back)
{
	uint64_t vram = vsvm_t_param(fd, DRM_VSVM_PARAM_VRAM_SIZE);
	uint64_t size = vram / 2 < 32 * SZ_1M ? vram / 2 : 32 * SZ_1M;
	struct child_shared *sh;
	struct parent_data d;
	int64_t base, at_kill = 0;
	bool landed = false;

	vsvm_t_require_vram(fd);
	size &= ~(SZ_2M - 1);
	igt_require(size >= 4 * SZ_2M);
	sh = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	igt_assert(sh != MAP_FAILED);
	parent_data_init(&d, 256 * 1024);
	base = vram_used_settled();

	for (int attempt = 0; attempt < 3 && !landed; attempt++) {
		double end;
		pid_t pid;
		uint64_t stage;

		memset(sh, 0, sizeof(*sh));
		pid = vram_child(sh, size, back);
		if (!back) {
			wait_stage(pid, sh, C_PREFETCHING, 60);
			/* Some VRAM taken, not all of it: mid-ioctl. */
			end = now_s() + 30;
			while ((at_kill = vram_used()) == base &&
			       sh->stage == C_PREFETCHING && now_s() < end)
				;
		} else {
			wait_stage(pid, sh, C_IN_VRAM, 60);
			igt_assert_eq_u64(sh->done, size / SZ_4K);
			igt_assert_eq(vram_used(), base + (int64_t)size);
			sh->go = 1;
			wait_stage(pid, sh, C_TOUCHING, 10);
			/* Some pages back in system memory, not all of them. */
			end = now_s() + 30;
			while ((at_kill = vram_used()) == base + (int64_t)size &&
			       sh->stage == C_TOUCHING && now_s() < end)
				;
		}
		stage = sh->stage;
		kill_child(pid);
		landed = back ? stage == C_TOUCHING && at_kill > base &&
				at_kill < base + (int64_t)size
			      : stage == C_PREFETCHING && at_kill > base &&
				at_kill < base + (int64_t)size;
		igt_info("attempt %d: killed at stage %" PRIu64 " with %" PRId64
			 " of %" PRIu64 " child bytes in VRAM%s\n", attempt,
			 stage, at_kill - base, size,
			 landed ? "" : " (outside the migration, again)");
		wait_vram_used(base);
	}
	igt_assert_f(landed, "3 kills missed the migration window\n");

	parent_data_check(&d);
	parent_data_fini(&d);
	wait_vram_used(base - (int64_t)d.size);
	vram_reusable(size);
	wait_vram_used(base - (int64_t)d.size);
	device_still_works();
	munmap(sh, SZ_4K);
}

/* Write @text to procfs file @path; 0 or -errno. */
static int write_file(const char *path, const char *text)
{
	int f = open(path, O_WRONLY);
	ssize_t n;

	if (f < 0)
		return -errno;
	n = write(f, text, strlen(text));
	close(f);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

static uint64_t vmstat(const char *name)
{
	char key[64];
	unsigned long long v;
	uint64_t found = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	igt_assert(f);
	while (fscanf(f, "%63s %llu", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

#define OOM_SPAN	(8 * SZ_1G)

struct oom_eat {
	uint8_t *at;		/* MAP_FIXED inside the child's mirror, or NULL */
	uint64_t span;		/* bytes reserved at @at */
	volatile uint64_t *published;
};

/* Allocating threads of the OOM child: populate 128 MiB at a time, forever. */
static void *oom_eater_at(void *arg)
{
	struct oom_eat *e = arg;
	uint64_t off = 0;

	for (;;) {
		void *m;

		if (e->at && off + 128 * SZ_1M > e->span) {
			pause();	/* never beyond the reservation */
			continue;
		}
		m = mmap(e->at ? e->at + off : NULL, 128 * SZ_1M,
			 PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE |
			 (e->at ? MAP_FIXED : 0), -1, 0);
		if (m == MAP_FAILED) {
			usleep(1000);
			continue;
		}
		off += 128 * SZ_1M;
		if (e->published)
			*e->published = vsvm_va(m) + 128 * SZ_1M;
	}
	return NULL;
}

/*
 * A bystander: 64 MiB resident, oom_score_adj 1000 like the victim (and the
 * test itself, libigt sets it), so that it, not the test, is the OOM
 * killer's next pick should the victim's death not release its memory.
 * Dies with the test.
 */
static pid_t oom_bystander(void)
{
	pid_t pid = fork();

	igt_assert(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (write_file("/proc/self/oom_score_adj", "1000") ||
		    mmap(NULL, 64 * SZ_1M, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0) ==
		    MAP_FAILED)
			_exit(1);
		for (;;)
			pause();
	}
	return pid;
}

/*
 * A child (oom_score_adj 1000) with 16 MiB in VRAM eats anonymous memory
 * until the global OOM killer kills it. With @gpu_jobs its whole 8 GiB
 * reservation is mirrored, the memory one of its two eating threads maps
 * lies inside it, and its main thread keeps GPU jobs running until its
 * death, on two engines: one touching every page of the VRAM buffer, one
 * every page of the last 128 MiB eaten (so the OOM kill, the OOM reaper and
 * exit tear down live GPU mappings of both kinds under running jobs).
 * Exactly one process is OOM-killed: the bystander survives.
 */
static void oom_kill(bool gpu_jobs)
{
	const uint64_t size = 16 * SZ_1M;
	struct child_shared *sh;
	struct parent_data d;
	uint64_t ooms;
	int64_t base;
	double end;
	pid_t pid, by;
	int st = 0;

	vsvm_t_require_vram(fd);
	igt_require_f(getuid() == 0, "needs root (OOM killer, debugfs)\n");
	igt_require(vsvm_t_param(fd, DRM_VSVM_PARAM_VRAM_SIZE) >= 2 * size);
	sh = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	igt_assert(sh != MAP_FAILED);
	memset(sh, 0, sizeof(*sh));
	parent_data_init(&d, 256 * 1024);
	base = vram_used_settled();
	by = oom_bystander();
	ooms = vmstat("oom_kill");

	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		uint64_t npages = size / SZ_4K, done = 0, failed = 0;
		struct oom_eat e0 = { 0 }, e1 = { 0 };
		uint64_t idx = 0, nengines = 0;
		volatile uint64_t *ctl = NULL;
		uint8_t *p, *r = NULL;
		struct vsvm_prog pr = { 0 };
		uint32_t vm = 0;
		pthread_t th;
		int cfd = -1;

		if (write_file("/proc/self/oom_score_adj", "1000"))
			_exit(1);
		if (gpu_jobs) {
			/* ctl page, 16 MiB buffer at +2 MiB, eaten memory from +32 MiB */
			r = mmap(NULL, OOM_SPAN, PROT_NONE, MAP_PRIVATE |
				 MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
			if (r == MAP_FAILED ||
			    mprotect(r, SZ_4K, PROT_READ | PROT_WRITE) ||
			    mprotect(r + SZ_2M, size, PROT_READ | PROT_WRITE))
				_exit(1);
			ctl = (volatile uint64_t *)r;
			p = r + SZ_2M;
			madvise(p, size, MADV_NOHUGEPAGE);
			e1.at = r + 32 * SZ_1M;
			e1.span = OOM_SPAN - 32 * SZ_1M;
			e1.published = &ctl[1];
			ctl[0] = 0;
			ctl[1] = vsvm_va(e1.at);
		} else {
			p = anon_nohuge(size);
		}
		for (uint64_t i = 0; i < npages; i++)
			p[i * SZ_4K] = (uint8_t)(i | 1);
		if (vsvm_open(0, &cfd) || vsvm_vm_create(cfd, 0, 0, &vm) ||
		    vsvm_get_param(cfd, DRM_VSVM_PARAM_DEVICE_INDEX, &idx) ||
		    vsvm_get_param(cfd, DRM_VSVM_PARAM_NUM_ENGINES, &nengines) ||
		    vsvm_mirror(cfd, vm, vsvm_va(gpu_jobs ? r : p),
				gpu_jobs ? OOM_SPAN : size, 0) ||
		    vsvm_prefetch_to(cfd, vm, vsvm_va(p), size, 0,
				     DRM_VSVM_LOCATION_DEVICE(idx), NULL,
				     &done, &failed) ||
		    done != npages)
			_exit(2);
		if (gpu_jobs && vsvm_asm(VSVM_T_PROG_TOUCH_PAGES, &pr, NULL, 0))
			_exit(2);
		sh->done = done;
		sh->stage = C_IN_VRAM;
		while (!sh->go)
			usleep(100);
		sh->stage = C_ALLOCATING;
		if (pthread_create(&th, NULL, oom_eater_at, &e0))
			_exit(3);
		if (!gpu_jobs)
			oom_eater_at(&e1);
		if (pthread_create(&th, NULL, oom_eater_at, &e1))
			_exit(3);
		/*
		 * Until it dies, GPU jobs: one touches every page of the VRAM
		 * buffer, one every page of the last 128 MiB eaten.
		 */
		for (;;) {
			struct vsvm_exec_args a = {
				.vm_id = vm, .invocations = 64,
				.program = pr.insns, .program_size = pr.count,
			};
			struct drm_vsvm_job_status js;
			uint64_t eaten = ctl[1];
			uint32_t j[2];

			a.args[0] = vsvm_va(p);
			a.args[1] = 1;
			a.args[2] = npages;
			if (vsvm_exec(cfd, &a, &j[0]))
				_exit(5);
			a.engine = nengines > 1 ? 1 : 0;
			a.args[0] = eaten - vsvm_va(e1.at) >= 128 * SZ_1M ?
				    eaten - 128 * SZ_1M : vsvm_va(e1.at);
			a.args[2] = (eaten - a.args[0]) / SZ_4K;
			if (a.args[2] && vsvm_exec(cfd, &a, &j[1]))
				_exit(5);
			vsvm_t_job_status(cfd, j[0], 10ull * 1000 * 1000 * 1000, &js);
			if (a.args[2])
				vsvm_t_job_status(cfd, j[1], 10ull * 1000 * 1000 * 1000, &js);
			else
				usleep(1000);
		}
	}
	wait_stage(pid, sh, C_IN_VRAM, 60);
	igt_assert_eq(vram_used(), base + (int64_t)size);
	sh->go = 1;

	/* It eats all memory until the OOM killer picks it. */
	end = now_s() + 100;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (now_s() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			igt_assert_f(false, "no OOM kill within 100 s\n");
		}
		usleep(20000);
	}
	igt_info("the OOM killer took %.1f s, oom_kill %" PRIu64 " -> %" PRIu64 "\n",
		 100 - (end - now_s()), ooms, vmstat("oom_kill"));
	igt_assert_f(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
		     "child status %#x (stage %" PRIu64 "), want killed by SIGKILL\n",
		     st, sh->stage);
	igt_assert_eq_u64(sh->stage, C_ALLOCATING);
	igt_assert_f(vmstat("oom_kill") > ooms,
		     "the child died by SIGKILL but /proc/vmstat oom_kill did not move\n");

	wait_vram_used(base);
	/* Its memory was released: nobody else had to die. */
	igt_assert_f(waitpid(by, &st, WNOHANG) == 0,
		     "the bystander (64 MiB, oom_score_adj 1000) died too (status %#x): the OOM killer had to kill again, the victim's memory was not released when it died\n",
		     st);
	igt_assert_eq_u64(vmstat("oom_kill"), ooms + 1);
	kill(by, SIGKILL);
	waitpid(by, &st, 0);
	parent_data_check(&d);
	parent_data_fini(&d);
	wait_vram_used(base - (int64_t)d.size);
	vram_reusable(size);
	device_still_works();
	munmap(sh, SZ_4K);
}

igt_main
{
	igt_fixture
		fd = vsvm_t_open(0);

	igt_describe("The fd received over a unix socket gets -EPERM on the creator's VM.");
	igt_subtest("fd-over-socket") {
		uint64_t *victim = mmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		uint32_t vm = vsvm_t_vm(fd);
		int sv[2];

		igt_assert(victim != MAP_FAILED);
		victim[0] = 0x600d;
		vsvm_t_mirror(fd, vm, victim, SZ_4K);
		igt_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		igt_fork(child, 1) {
			int f;

			/* Only the file received over the socket is used. */
			close(fd);
			f = recv_fd(sv[1]);

			igt_assert(f >= 0);
			assert_foreign(f, vm, victim);
		}
		igt_assert_eq(send_fd(sv[0], fd), 0);
		igt_waitchildren();
		igt_assert_eq_u64(victim[0], 0x600d);
		igt_assert(vsvm_t_query(fd, vm, victim) & DRM_VSVM_QUERY_MIRRORED);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, victim + 512), 0);
		vsvm_t_roundtrip(fd, vm, victim, SZ_4K, 1);
		igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
		close(sv[0]);
		close(sv[1]);
		munmap(victim, 2 * SZ_4K);
	}

	igt_describe("A forked child gets -EPERM on the parent's VM.");
	igt_subtest("fork-child") {
		uint64_t *victim = mmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		uint32_t vm = vsvm_t_vm(fd);

		igt_assert(victim != MAP_FAILED);
		victim[0] = 0x600d;
		vsvm_t_mirror(fd, vm, victim, SZ_4K);
		igt_assert_eq(vsvm_prefetch(fd, vm, vsvm_va(victim), SZ_4K, 0,
					    NULL, NULL, NULL), 0);
		igt_fork(child, 1)
			assert_foreign(fd, vm, victim);
		igt_waitchildren();
		igt_assert_eq_u64(victim[0], 0x600d);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, victim + 512), 0);
		vsvm_t_roundtrip(fd, vm, victim, SZ_4K, 2);
		igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
		munmap(victim, 2 * SZ_4K);
	}

	igt_describe("A forked child can use a VM of its own.");
	igt_subtest("fork-child-own-vm") {
		uint64_t *shared = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		igt_assert(shared != MAP_FAILED);
		igt_fork(child, 1) {
			int cfd = vsvm_t_open(0);
			uint32_t vm = vsvm_t_vm(cfd);

			vsvm_t_mirror(cfd, vm, shared, SZ_4K);
			vsvm_t_roundtrip(cfd, vm, shared, SZ_4K, 3);
			close(cfd);
		}
		igt_waitchildren();
		igt_assert_eq(vsvm_t_check(shared, SZ_4K, 3, 0x1234567), -1);
		munmap(shared, SZ_4K);
	}

	igt_describe("A process exits with a spinning job; the device stays usable.");
	igt_subtest("exit-while-job-runs") {
		volatile uint64_t *flag = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		igt_assert(flag != MAP_FAILED);
		flag[0] = 0;
		igt_fork(child, 1) {
			int cfd = vsvm_t_open(0);
			uint32_t vm = vsvm_t_vm(cfd);
			uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			uint64_t args[8] = { vsvm_va(p), 1, 0, 8, 0, 0, 0,
					     vsvm_va(p + 100) };

			vsvm_t_mirror(cfd, vm, p, SZ_4K);
			vsvm_t_submit(cfd, vm, 0, VSVM_T_PROG_HAMMER, 1, args, 8,
				      0, NULL, 0);
			while (!p[0])
				usleep(1000);
			flag[0] = 1;
			/* exit(0) with the job still running */
		}
		igt_waitchildren();
		igt_assert_eq_u64(flag[0], 1);
		device_still_works();
		munmap((void *)flag, SZ_4K);
	}

	igt_describe("kill -9 of a process whose job is faulting; the device stays usable.");
	igt_subtest("kill-during-faults") {
		volatile uint64_t *flag = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		int cfd;
		pid_t pid;
		int st;

		igt_assert(flag != MAP_FAILED);
		flag[0] = 0;
		cfd = vsvm_t_open(0);
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			const uint64_t size = 64 * SZ_1M;
			uint32_t vm = 0;
			uint8_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			struct vsvm_exec_args a = { .invocations = 8 };
			struct vsvm_prog pr;
			uint32_t job;

			close(cfd);
			if (vsvm_open(0, &cfd) || vsvm_vm_create(cfd, 0, 0, &vm) ||
			    vsvm_mirror(cfd, vm, vsvm_va(p), size, 0) ||
			    vsvm_asm(VSVM_T_PROG_TOUCH_PAGES, &pr, NULL, 0))
				_exit(1);
			madvise(p, size, MADV_NOHUGEPAGE);
			a.vm_id = vm;
			a.program = pr.insns;
			a.program_size = pr.count;
			a.args[0] = vsvm_va(p);
			a.args[1] = 1;
			a.args[2] = size / SZ_4K;
			if (vsvm_exec(cfd, &a, &job))
				_exit(1);
			flag[0] = 1;
			for (;;)
				pause();
		}
		close(cfd);
		while (!flag[0] && waitpid(pid, &st, WNOHANG) == 0)
			usleep(1000);
		igt_assert_eq_u64(flag[0], 1);
		usleep(20000);	/* let it take some faults */
		igt_assert_eq(kill(pid, SIGKILL), 0);
		igt_assert_eq(waitpid(pid, &st, 0), pid);
		igt_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		device_still_works();
		munmap((void *)flag, SZ_4K);
	}

	igt_describe("Closing the fd with jobs queued behind a syncobj is clean.");
	igt_subtest("close-with-queued-jobs") {
		int cfd = vsvm_t_open(0);
		uint32_t vm = vsvm_t_vm(cfd), sync;
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t args[8] = { vsvm_va(p + 10), 1, 0, 1, 0, 0, 0,
				     vsvm_va(p) };
		uint64_t sargs[2] = { vsvm_va(p + 20), 5 };

		igt_assert(p != MAP_FAILED);
		memset(p, 0, SZ_4K);
		vsvm_t_mirror(cfd, vm, p, SZ_4K);
		igt_assert_eq(vsvm_syncobj_create(cfd, &sync), 0);
		/* A spinner nobody stops, and jobs queued behind it. */
		vsvm_t_submit(cfd, vm, 0, VSVM_T_PROG_HAMMER, 1, args, 8, sync,
			      NULL, 0);
		for (int i = 0; i < 4; i++)
			vsvm_t_submit(cfd, vm, i % 2 ? 0 : 1 % vsvm_t_param(cfd,
				      DRM_VSVM_PARAM_NUM_ENGINES),
				      VSVM_T_PROG_ST64_AT, 1, sargs, 2, 0, &sync, 1);
		while (!p[10])
			usleep(1000);
		igt_assert_eq(close(cfd), 0);
		/* The engines are free again (spinner killed or timed out). */
		device_still_works();
		munmap(p, SZ_4K);
	}

	igt_describe("Destroying a VM with a queued job: handle dead at once, job finishes.");
	igt_subtest("vm-destroy-with-queued-job") {
		uint32_t vm = vsvm_t_vm(fd), j1, j2, sync, f;
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t args[8] = { vsvm_va(p + 10), 1, 0, 1, 0, 0, 0,
				     vsvm_va(p) };
		uint64_t sargs[2] = { vsvm_va(p + 20), 0x5a };
		struct drm_vsvm_job_status st;

		igt_assert(p != MAP_FAILED);
		memset(p, 0, SZ_4K);
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		igt_assert_eq(vsvm_syncobj_create(fd, &sync), 0);
		j1 = vsvm_t_submit(fd, vm, 0, VSVM_T_PROG_HAMMER, 1, args, 8,
				   sync, NULL, 0);
		j2 = vsvm_t_submit(fd, vm, 0, VSVM_T_PROG_ST64_AT, 1, sargs, 2,
				   0, &sync, 1);
		while (!p[10])
			usleep(1000);
		igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
		igt_assert_eq(vsvm_svm_query(fd, vm, vsvm_va(p), 1, &f), -ENOENT);
		p[0] = 1;	/* stop the hammer */
		igt_assert_eq(vsvm_t_wait(fd, j1, NULL), DRM_VSVM_JOB_DONE);
		vsvm_t_wait(fd, j2, &st);
		igt_assert_f(st.state == DRM_VSVM_JOB_DONE ||
			     st.state == DRM_VSVM_JOB_CANCELED,
			     "queued job ended %s\n", vsvm_job_state_str(st.state));
		if (st.state == DRM_VSVM_JOB_DONE)
			igt_assert_eq_u64(p[20], 0x5a);
		else
			igt_assert_eq_u64(p[20], 0);
		vsvm_syncobj_destroy(fd, sync);
		munmap(p, SZ_4K);
	}

	igt_describe("VMs of an exited process disappear from debugfs.");
	igt_subtest("exit-releases-vms") {
		int before = count_vms();

		igt_require_f(before >= 0, "no debugfs vsvm_vms\n");
		igt_fork(child, 1) {
			int cfd = vsvm_t_open(0);
			uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			for (int i = 0; i < 8; i++) {
				uint32_t vm = vsvm_t_vm(cfd);

				vsvm_t_mirror(cfd, vm, p, SZ_4K);
			}
			igt_assert_eq(count_vms(), before + 8);
			/* exit without closing anything */
		}
		igt_waitchildren();
		igt_assert_eq(count_vms(), before);
	}

	igt_describe("64 open files, each with a VM and a job, closed in any order.");
	igt_subtest("many-fds") {
		int fds[64];
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(p != MAP_FAILED);
		for (int i = 0; i < 64; i++) {
			uint32_t vm;
			uint64_t args[2] = { vsvm_va(p + i), 0xf00 + i };

			fds[i] = vsvm_t_open(0);
			vm = vsvm_t_vm(fds[i]);
			vsvm_t_mirror(fds[i], vm, p, SZ_4K);
			vsvm_t_run_ok(fds[i], vm, VSVM_T_PROG_ST64_AT, 1, args, 2);
		}
		for (int i = 0; i < 64; i++)
			igt_assert_eq_u64(p[i], 0xf00 + i);
		for (int i = 0; i < 64; i++)
			igt_assert_eq(close(fds[(i * 37) % 64]), 0);
		device_still_works();
		munmap(p, SZ_4K);
	}

	igt_describe("Unloading vsvm.ko fails while a client has the device open.");
	igt_subtest("module-unload-refused") {
		long ret;

		igt_require_f(getuid() == 0, "needs root\n");
		igt_require(access("/sys/module/vsvm", F_OK) == 0);
		ret = syscall(SYS_delete_module, "vsvm", O_NONBLOCK);
		igt_assert_f(ret == -1 && (errno == EBUSY || errno == EWOULDBLOCK),
			     "delete_module returned %ld (%s)\n", ret,
			     strerror(errno));
		igt_assert_eq(access("/sys/module/vsvm", F_OK), 0);
		device_still_works();
	}

	igt_describe("kill -9 inside a prefetch to VRAM: VRAM used returns, the device computes.");
	igt_subtest("kill-during-migration")
		kill_during_migration(false);

	igt_describe("kill -9 while CPU touches migrate VRAM pages back: VRAM used returns.");
	igt_subtest("kill-during-migrate-to-ram")
		kill_during_migration(true);

	igt_describe("The OOM killer kills a process with pages in VRAM: everything is released.");
	igt_subtest("oom-with-vram")
		oom_kill(false);

	igt_describe("The same while its GPU jobs run over its VRAM and the memory it eats.");
	igt_subtest("oom-with-gpu-jobs")
		oom_kill(true);

	igt_fixture
		close(fd);
}
