// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm concurrency
 * Category: Core
 * Mega feature: SVM
 * Sub-category: Concurrency
 * Functionality: threads, processes, CPU and GPU atomics
 * Description: Many threads and processes using the GPU at once, each
 *		with data checked; CPU and GPU atomics on one counter give the
 *		exact total.
 *
 * SUBTEST: threads-own-vm
 * Description: 8 threads, each with its own VM and buffer, run jobs concurrently.
 *
 * SUBTEST: threads-shared-vm
 * Description: 8 threads share one VM, each with its own mirror.
 *
 * SUBTEST: threads-mirror-churn
 * Description: Threads mirror, use and unmirror ranges while others run jobs in the same VM.
 *
 * SUBTEST: processes
 * Description: 4 processes, each with its own fd and VM, run jobs concurrently.
 *
 * SUBTEST: processes-shared-counter
 * Description: 4 processes' GPU atomics on one shared counter give the exact total.
 *
 * SUBTEST: cpu-gpu-atomics
 * Description: CPU threads and a GPU job add to one 64-bit counter at the same time: exact total.
 *
 * SUBTEST: cpu-gpu-atomics32
 * Description: The same on a 32-bit counter.
 *
 * SUBTEST: gpu-engines-atomics
 * Description: Jobs on every engine add to one counter at once: exact total.
 *
 * SUBTEST: multi-device-atomics
 * Description: Two devices' jobs add to one counter at once: exact total.
 *
 * SUBTEST: cpu-gpu-ping-pong
 * Description: The CPU and a GPU job take turns incrementing a shared word 500 times.
 *
 * SUBTEST: slow-prefetch-same-vm
 * Description: While one thread's prefetch to VRAM crawls (debugfs migrate_delay_ms, half the
 *		job timeout per 2 MiB), another thread's GPU job in the same VM gets its faults
 *		serviced and completes with correct data.
 *
 * SUBTEST: slow-fault-migration-other-process
 * Description: While one process's GPU job waits twice the job timeout for faults that migrate
 *		its pages slowly, another process's job on another engine completes at once, and
 *		the slow job is not killed as hung: both end with correct data.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: concurrent users and atomics.");

static int fd = -1;
static uint32_t num_engines = 1;

#define NTHREADS	8

/* Non-asserting job run for threads: 0 on DONE, else a negative code. */
static int thread_run(int tfd, uint32_t vm, uint32_t engine, const char *src,
		      uint32_t lanes, const uint64_t *args, int nargs)
{
	struct vsvm_exec_args a = { .vm_id = vm, .engine = engine,
				    .invocations = lanes };
	struct drm_vsvm_job_status st;
	struct vsvm_prog p;
	uint32_t job;
	int ret;

	for (int i = 0; i < nargs; i++)
		a.args[i] = args[i];
	ret = vsvm_asm(src, &p, NULL, 0);
	if (ret)
		return ret;
	a.program = p.insns;
	a.program_size = p.count;
	ret = vsvm_exec(tfd, &a, &job);
	vsvm_prog_fini(&p);
	if (ret)
		return ret;
	ret = vsvm_t_job_status(tfd, job, VSVM_T_WAIT_NS, &st);
	if (ret)
		return ret;
	return st.state == DRM_VSVM_JOB_DONE ? 0 : -1000 - (int)st.state;
}

struct thr {
	pthread_t t;
	int idx;
	uint32_t vm;		/* 0: create one */
	int err;
	int line;
};

#define TFAIL(t, e) do { (t)->err = (e); (t)->line = __LINE__; goto out; } while (0)

static void *thread_roundtrip(void *arg)
{
	struct thr *t = arg;
	const uint64_t size = 8 * SZ_4K, add = 0x1000 + t->idx;
	uint32_t vm = t->vm;
	uint64_t *p;
	int ret;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		TFAIL(t, -ENOMEM);
	if (!vm && (ret = vsvm_vm_create(fd, 0, 0, &vm)))
		TFAIL(t, ret);
	if ((ret = vsvm_mirror(fd, vm, vsvm_va(p), size, 0)))
		TFAIL(t, ret);
	for (int round = 0; round < 8; round++) {
		uint64_t args[4] = { vsvm_va(p), vsvm_va(p), size / 8, add };

		vsvm_t_fill(p, size, t->idx * 100 + round);
		ret = thread_run(fd, vm, round % num_engines, VSVM_T_PROG_ADD, 16, args, 4);
		if (ret)
			TFAIL(t, ret);
		if (vsvm_t_check(p, size, t->idx * 100 + round, add) >= 0)
			TFAIL(t, -EIO);
	}
	if ((ret = vsvm_unmirror(fd, vm, vsvm_va(p), size)))
		TFAIL(t, ret);
	if (!t->vm && (ret = vsvm_vm_destroy(fd, vm)))
		TFAIL(t, ret);
out:
	if (p != MAP_FAILED)
		munmap(p, size);
	return NULL;
}

static void run_threads(void *(*fn)(void *), uint32_t vm, int n)
{
	struct thr t[16];

	igt_assert(n <= 16);
	for (int i = 0; i < n; i++) {
		t[i] = (struct thr){ .idx = i, .vm = vm };
		igt_assert_eq(pthread_create(&t[i].t, NULL, fn, &t[i]), 0);
	}
	for (int i = 0; i < n; i++)
		pthread_join(t[i].t, NULL);
	for (int i = 0; i < n; i++)
		igt_assert_f(t[i].err == 0, "thread %d failed at line %d: %d (%s)\n",
			     i, t[i].line, t[i].err, vsvm_strerror(t[i].err));
}

/* Churn: mirror a fresh range, use it, unmirror, munmap; many times. */
static void *thread_churn(void *arg)
{
	struct thr *t = arg;
	int ret;

	for (int i = 0; i < 20; i++) {
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t args[2] = { vsvm_va(p + i), 0xc0 + i };

		if (p == MAP_FAILED)
			TFAIL(t, -ENOMEM);
		if ((ret = vsvm_mirror(fd, t->vm, vsvm_va(p), SZ_4K, 0)))
			TFAIL(t, ret);
		if ((ret = thread_run(fd, t->vm, 0, VSVM_T_PROG_ST64_AT, 1, args, 2)))
			TFAIL(t, ret);
		if (p[i] != 0xc0u + i)
			TFAIL(t, -EIO);
		if (i & 1) {
			/*
			 * Half the time drop the pages before unmirroring. A
			 * fixed PROT_NONE mapping replaces them (the same
			 * invalidation as munmap) without freeing the address,
			 * which another thread's mmap could take while this
			 * thread's mirror still covers it (-EEXIST).
			 */
			if (mmap(p, SZ_4K, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				 -1, 0) == MAP_FAILED)
				TFAIL(t, -errno);
			if ((ret = vsvm_unmirror(fd, t->vm, vsvm_va(p), SZ_4K)))
				TFAIL(t, ret);
			munmap(p, SZ_4K);
		} else {
			if ((ret = vsvm_unmirror(fd, t->vm, vsvm_va(p), SZ_4K)))
				TFAIL(t, ret);
			munmap(p, SZ_4K);
		}
	}
out:
	return NULL;
}

/* GPU: @lanes lanes each add 1 @iters times with aadd (32 or 64 bit). */
static const char *const AADD32 =
	"	li r4, 0\n"
	"loop:	bgeu r4, r2, done\n"
	"	aadd32 r5, [r0], r1\n"
	"	addi r4, r4, 1\n"
	"	jmp loop\n"
	"done:	end\n";

struct cpu_adder {
	pthread_t t;
	void *ctr;
	bool is32;
	uint64_t n;
};

static void *cpu_add(void *arg)
{
	struct cpu_adder *a = arg;

	for (uint64_t i = 0; i < a->n; i++) {
		if (a->is32)
			__atomic_fetch_add((uint32_t *)a->ctr, 1, __ATOMIC_SEQ_CST);
		else
			__atomic_fetch_add((uint64_t *)a->ctr, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void cpu_gpu_atomics(bool is32)
{
	const uint32_t lanes = 64;
	const uint64_t iters = 500, cpu_n = 100000;
	uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct cpu_adder ad[2];
	uint32_t vm = vsvm_t_vm(fd), job;
	uint64_t args[3];

	igt_assert(p != MAP_FAILED);
	p[0] = 0;
	vsvm_t_mirror(fd, vm, p, SZ_4K);
	args[0] = vsvm_va(p);
	args[1] = 1;
	args[2] = iters;
	job = vsvm_t_submit(fd, vm, 0, is32 ? AADD32 : VSVM_T_PROG_AADD, lanes,
			    args, 3, 0, NULL, 0);
	for (int i = 0; i < 2; i++) {
		ad[i] = (struct cpu_adder){ .ctr = p, .is32 = is32, .n = cpu_n };
		igt_assert_eq(pthread_create(&ad[i].t, NULL, cpu_add, &ad[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(ad[i].t, NULL);
	igt_assert_eq(vsvm_t_wait(fd, job, NULL), DRM_VSVM_JOB_DONE);
	if (is32)
		igt_assert_eq_u32(*(uint32_t *)p, lanes * iters + 2 * cpu_n);
	else
		igt_assert_eq_u64(p[0], lanes * iters + 2 * cpu_n);
	igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
	munmap(p, SZ_4K);
}

/*
 * A slow copy engine on demand (debugfs migrate_delay_ms): every chunk
 * copied into VRAM (at most a granule) takes half the job timeout more, so
 * a test of what must not wait behind a migration does not depend on the
 * machine's speed. Before the fault handler was split per VM and prefetch
 * released the VM lock between granules, both subtests below failed with
 * a job TIMEOUT on every machine.
 */
#define SLOW_GRANULES	4

static char slow_knob[384];

static void slow_copy_set(unsigned int ms)
{
	char v[16];
	int f, n;

	if (!slow_knob[0])
		return;
	f = open(slow_knob, O_WRONLY | O_CLOEXEC);
	if (f < 0)
		return;
	n = snprintf(v, sizeof(v), "%u\n", ms);
	if (write(f, v, n) != n)
		igt_warn("cannot write %s\n", slow_knob);
	close(f);
}

static void slow_copy_exit_handler(int sig)
{
	(void)sig;
	slow_copy_set(0);
}

/* Make copies into VRAM slow: half the job timeout each; skip without the knob. */
static void slow_copy_on(int dfd)
{
	uint64_t timeout_ms = vsvm_t_param(dfd, DRM_VSVM_PARAM_JOB_TIMEOUT_MS);
	char dir[256];

	igt_require_f(getuid() == 0 && vsvm_debugfs_dir(dfd, dir, sizeof(dir)) == 0,
		      "needs root and the device's debugfs directory\n");
	snprintf(slow_knob, sizeof(slow_knob), "%s/migrate_delay_ms", dir);
	igt_require_f(access(slow_knob, W_OK) == 0, "no %s\n", slow_knob);
	igt_require(vsvm_t_counter(dfd, "pages_to_vram") >= 0);
	igt_install_exit_handler(slow_copy_exit_handler);
	slow_copy_set(timeout_ms / 2);
	igt_info("migrate_delay_ms %" PRIu64 " (job timeout %" PRIu64 " ms)\n",
		 timeout_ms / 2, timeout_ms);
}

/* Wait (bounded) until the device has moved pages to VRAM since @before. */
static void wait_migration_started(int dfd, int64_t before)
{
	for (int i = 0; i < 600000 && vsvm_t_counter(dfd, "pages_to_vram") <= before; i++)
		usleep(100);
	igt_assert_f(vsvm_t_counter(dfd, "pages_to_vram") > before,
		     "the slow migration never started\n");
}

#define FAULT_BUF_SIZE	(16 * SZ_4K)

/* A fresh 16-page buffer of @vm, mirrored, never touched by the GPU. */
static uint64_t *fault_buf_new(int dfd, uint32_t vm)
{
	uint64_t *p = mmap(NULL, FAULT_BUF_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	vsvm_t_fill(p, FAULT_BUF_SIZE, 0x5a);
	vsvm_t_mirror(dfd, vm, p, FAULT_BUF_SIZE);
	return p;
}

/*
 * Run ADD (+1) in place over @p (from fault_buf_new()) on engine 0: its
 * pages fault. Asserts the job is DONE and the data right.
 */
static void fault_job_completes(int dfd, uint32_t vm, uint64_t *p, const char *who)
{
	struct drm_vsvm_job_status st;
	uint64_t args[4];
	uint32_t state;

	args[0] = vsvm_va(p);
	args[1] = vsvm_va(p);
	args[2] = FAULT_BUF_SIZE / 8;
	args[3] = 1;
	state = vsvm_t_run(dfd, vm, VSVM_T_PROG_ADD, 16, args, 4, &st);
	igt_assert_f(state == DRM_VSVM_JOB_DONE,
		     "%s: job ended %s (fault %s at 0x%" PRIx64 ")\n", who,
		     vsvm_job_state_str(state), vsvm_fault_reason_str(st.fault_reason),
		     (uint64_t)st.fault_addr);
	igt_assert_eq(vsvm_t_check(p, FAULT_BUF_SIZE, 0x5a, 1), -1);
}

static void fault_buf_free(int dfd, uint32_t vm, uint64_t *p)
{
	igt_assert_eq(vsvm_unmirror(dfd, vm, vsvm_va(p), FAULT_BUF_SIZE), 0);
	munmap(p, FAULT_BUF_SIZE);
}

struct slow_prefetch {
	pthread_t t;
	int fd;
	uint32_t vm;
	void *ptr;
	uint64_t size;
	uint64_t done;
	int ret;
	atomic_bool finished;
};

static void *slow_prefetch_thread(void *arg)
{
	struct slow_prefetch *sp = arg;
	uint64_t failed = 0;

	sp->ret = vsvm_t_prefetch_loc(sp->fd, sp->vm, sp->ptr, sp->size, vsvm_t_here(sp->fd),
				      NULL, &sp->done, &failed);
	atomic_store(&sp->finished, true);
	return NULL;
}

igt_main
{
	igt_fixture {
		fd = vsvm_t_open(0);
		num_engines = vsvm_t_param(fd, DRM_VSVM_PARAM_NUM_ENGINES);
	}

	igt_describe("8 threads, each with its own VM, run jobs concurrently.");
	igt_subtest("threads-own-vm")
		run_threads(thread_roundtrip, 0, NTHREADS);

	igt_describe("8 threads share one VM, each with its own mirror.");
	igt_subtest("threads-shared-vm") {
		uint32_t vm = vsvm_t_vm(fd);

		run_threads(thread_roundtrip, vm, NTHREADS);
		igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
	}

	igt_describe("Threads mirror, use and unmirror ranges in one VM concurrently.");
	igt_subtest("threads-mirror-churn") {
		uint32_t vm = vsvm_t_vm(fd);

		run_threads(thread_churn, vm, 6);
		igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
	}

	igt_describe("4 processes, each with its own fd and VM, run jobs concurrently.");
	igt_subtest("processes") {
		igt_fork(child, 4) {
			int cfd = vsvm_t_open(0);
			uint32_t vm = vsvm_t_vm(cfd);
			uint64_t *p = mmap(NULL, 16 * SZ_4K, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			igt_assert(p != MAP_FAILED);
			vsvm_t_mirror(cfd, vm, p, 16 * SZ_4K);
			for (int r = 0; r < 5; r++)
				vsvm_t_roundtrip(cfd, vm, p, 16 * SZ_4K,
						 child * 10 + r);
			close(cfd);
		}
		igt_waitchildren();
	}

	igt_describe("4 processes' GPU atomics on one shared counter: exact total.");
	igt_subtest("processes-shared-counter") {
		uint64_t *ctr = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		igt_assert(ctr != MAP_FAILED);
		ctr[0] = 0;
		igt_fork(child, 4) {
			int cfd = vsvm_t_open(0);
			uint32_t vm = vsvm_t_vm(cfd);
			uint64_t args[3] = { vsvm_va(ctr), child + 1, 200 };

			vsvm_t_mirror(cfd, vm, ctr, SZ_4K);
			vsvm_t_run_ok(cfd, vm, VSVM_T_PROG_AADD, 32, args, 3);
			close(cfd);
		}
		igt_waitchildren();
		/* sum over children of 32 * 200 * (child + 1) */
		igt_assert_eq_u64(ctr[0], 32 * 200 * (1 + 2 + 3 + 4));
		munmap(ctr, SZ_4K);
	}

	igt_describe("CPU threads and a GPU job add to one 64-bit counter: exact total.");
	igt_subtest("cpu-gpu-atomics")
		cpu_gpu_atomics(false);

	igt_describe("CPU threads and a GPU job add to one 32-bit counter: exact total.");
	igt_subtest("cpu-gpu-atomics32")
		cpu_gpu_atomics(true);

	igt_describe("Jobs on every engine add to one counter at once: exact total.");
	igt_subtest("gpu-engines-atomics") {
		uint32_t n = vsvm_t_param(fd, DRM_VSVM_PARAM_NUM_ENGINES);
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint32_t vm = vsvm_t_vm(fd), jobs[16];

		igt_assert(p != MAP_FAILED);
		p[0] = 0;
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		for (uint32_t e = 0; e < 2 * n && e < 16; e++) {
			uint64_t args[3] = { vsvm_va(p), 3, 300 };

			jobs[e] = vsvm_t_submit(fd, vm, e % n, VSVM_T_PROG_AADD, 16,
						args, 3, 0, NULL, 0);
		}
		for (uint32_t e = 0; e < 2 * n && e < 16; e++)
			igt_assert_eq(vsvm_t_wait(fd, jobs[e], NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(p[0], (2 * n < 16 ? 2 * n : 16) * 16 * 300 * 3);
		igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
		munmap(p, SZ_4K);
	}

	igt_describe("Two devices' jobs add to one counter at once: exact total.");
	igt_subtest("multi-device-atomics") {
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int fd2;
		uint32_t vm1, vm2, j1, j2;
		uint64_t args[3];

		vsvm_t_require_devices(2);
		fd2 = vsvm_t_open(1);
		igt_assert(p != MAP_FAILED);
		p[0] = 0;
		vm1 = vsvm_t_vm(fd);
		vm2 = vsvm_t_vm(fd2);
		vsvm_t_mirror(fd, vm1, p, SZ_4K);
		vsvm_t_mirror(fd2, vm2, p, SZ_4K);
		args[0] = vsvm_va(p);
		args[1] = 1;
		args[2] = 1000;
		j1 = vsvm_t_submit(fd, vm1, 0, VSVM_T_PROG_AADD, 32, args, 3, 0,
				   NULL, 0);
		args[1] = 1000000;
		j2 = vsvm_t_submit(fd2, vm2, 0, VSVM_T_PROG_AADD, 32, args, 3, 0,
				   NULL, 0);
		igt_assert_eq(vsvm_t_wait(fd, j1, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq(vsvm_t_wait(fd2, j2, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(p[0], 32 * 1000 * 1000001ull);
		vsvm_vm_destroy(fd2, vm2);
		vsvm_vm_destroy(fd, vm1);
		close(fd2);
		munmap(p, SZ_4K);
	}

	igt_describe("CPU and GPU take turns incrementing a shared word.");
	igt_subtest("cpu-gpu-ping-pong") {
		/* GPU: wait for an odd value, write value + 1, until r2. */
		const char *prog =
			"	li r4, 1\n"
			"wait:	ld64 r5, [r0]\n"
			"	bne r5, r4, wait\n"
			"	addi r5, r5, 1\n"
			"	st64 [r0], r5\n"
			"	addi r4, r4, 2\n"
			"	bltu r4, r2, wait\n"
			"	end\n";
		volatile uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint32_t vm = vsvm_t_vm(fd), job;
		uint64_t args[3] = { vsvm_va((void *)p), 0, 1000 };

		igt_assert(p != MAP_FAILED);
		p[0] = 0;
		vsvm_t_mirror(fd, vm, (void *)p, SZ_4K);
		job = vsvm_t_submit(fd, vm, 0, prog, 1, args, 3, 0, NULL, 0);
		for (uint64_t v = 0; v < 1000; v += 2) {
			for (int i = 0; i < 300000 && p[0] != v; i++)
				if (i > 1000)
					usleep(100);
			igt_assert_f(p[0] == v, "ping-pong stuck at %" PRIu64 " (want %" PRIu64 ")\n",
				     p[0], v);
			p[0] = v + 1;
		}
		igt_assert_eq(vsvm_t_wait(fd, job, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(p[0], 1000);
		igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
		munmap((void *)p, SZ_4K);
	}

	igt_describe("A GPU job's faults are serviced while a prefetch of its VM crawls.");
	igt_subtest("slow-prefetch-same-vm") {
		const uint64_t size = SLOW_GRANULES * SZ_2M;
		struct slow_prefetch sp = { .fd = fd, .size = size };
		uint64_t *small;
		int64_t before;

		vsvm_t_require_vram(fd);
		sp.vm = vsvm_t_vm(fd);
		small = fault_buf_new(fd, sp.vm);
		sp.ptr = vsvm_t_mmap_aligned(size, SZ_2M, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS);
		vsvm_t_fill(sp.ptr, size, 0x77);
		vsvm_t_mirror(fd, sp.vm, sp.ptr, size);
		before = vsvm_t_counter(fd, "pages_to_vram");
		slow_copy_on(fd);
		igt_assert_eq(pthread_create(&sp.t, NULL, slow_prefetch_thread, &sp), 0);
		/*
		 * The first granule is in VRAM: at least three more, each half
		 * the job timeout, are to come. The job below must not wait
		 * for them.
		 */
		wait_migration_started(fd, before);
		fault_job_completes(fd, sp.vm, small, "job beside the prefetch");
		igt_info("prefetch %s when the job ended\n",
			 atomic_load(&sp.finished) ? "had finished" : "still running");
		pthread_join(sp.t, NULL);
		slow_copy_set(0);
		fault_buf_free(fd, sp.vm, small);
		igt_assert_eq(sp.ret, 0);
		igt_assert_lt_u64(0, sp.done);
		igt_assert_eq(vsvm_t_check(sp.ptr, size, 0x77, 0), -1);
		igt_assert_eq(vsvm_vm_destroy(fd, sp.vm), 0);
		vsvm_t_munmap_aligned(sp.ptr, size);
	}

	igt_describe("A process's slow fault migrations neither starve another's faults nor get its job killed.");
	igt_subtest("slow-fault-migration-other-process") {
		const uint64_t size = SLOW_GRANULES * SZ_2M;
		int64_t before, deferred;
		uint64_t *small;
		uint32_t vm;

		igt_require(num_engines >= 2);
		vsvm_t_require_vram(fd);
		before = vsvm_t_counter(fd, "pages_to_vram");
		deferred = vsvm_t_counter(fd, "job_timeouts_deferred");
		igt_require(deferred >= 0);
		slow_copy_on(fd);
		igt_fork(child, 1) {
			/* Migrate on fault: one batch, four slow granules. */
			int cfd = vsvm_t_open(0);
			uint32_t cvm = vsvm_t_vm(cfd), job;
			uint64_t *big = vsvm_t_mmap_aligned(size, SZ_2M, PROT_READ | PROT_WRITE,
							    MAP_PRIVATE | MAP_ANONYMOUS);
			uint64_t *out = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			uint64_t args[3];
			struct drm_vsvm_job_status st;
			uint32_t state;

			igt_assert(out != MAP_FAILED);
			vsvm_t_fill(big, size, 0x99);
			vsvm_t_mirror(cfd, cvm, big, size);
			vsvm_t_mirror(cfd, cvm, out, SZ_4K);
			igt_assert_eq(vsvm_t_attr_set(cfd, cvm, big, size, vsvm_t_here(cfd),
						      DRM_VSVM_ACCESS_MIGRATE, SZ_2M, 0), 0);
			args[0] = vsvm_va(big);
			args[1] = vsvm_va(out);
			args[2] = SZ_2M;
			job = vsvm_t_submit(cfd, cvm, 1, VSVM_T_PROG_LOAD, SLOW_GRANULES,
					    args, 3, 0, NULL, 0);
			state = vsvm_t_wait(cfd, job, &st);
			igt_assert_f(state == DRM_VSVM_JOB_DONE,
				     "slow job ended %s (fault %s at 0x%" PRIx64 ")\n",
				     vsvm_job_state_str(state),
				     vsvm_fault_reason_str(st.fault_reason),
				     (uint64_t)st.fault_addr);
			for (int i = 0; i < SLOW_GRANULES; i++)
				igt_assert_eq_u64(out[i], vsvm_t_pattern(0x99, i * SZ_2M / 8));
			igt_assert_eq_u64(vsvm_t_count_flags(cfd, cvm, big, size / SZ_4K,
							     DRM_VSVM_QUERY_VRAM),
					  size / SZ_4K);
			igt_assert_eq(vsvm_t_check(big, size, 0x99, 0), -1);
			close(cfd);
		}
		/* Its first granule moved: three more, half a timeout each. */
		wait_migration_started(fd, before);
		vm = vsvm_t_vm(fd);
		small = fault_buf_new(fd, vm);
		fault_job_completes(fd, vm, small, "other process's job");
		igt_waitchildren();
		slow_copy_set(0);
		fault_buf_free(fd, vm, small);
		igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
		/* The slow job outlived a timeout while its faults were serviced. */
		igt_assert_lt(deferred, vsvm_t_counter(fd, "job_timeouts_deferred"));
	}

	igt_fixture
		close(fd);
}
