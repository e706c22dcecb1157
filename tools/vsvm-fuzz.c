// SPDX-License-Identifier: GPL-2.0
/*
 * vsvm-fuzz: seeded, bounded ioctl fuzzer for the vsvm uAPI.
 *
 *   vsvm-fuzz [-n CALLS] [-s SEED] [-t THREADS] [-T SECONDS]
 *
 * Several threads issue random and mutated arguments to every vsvm ioctl on
 * one file (and, now and then, on a file of their own that they close
 * while work is queued), destroying VMs other threads are using. Every
 * failure must carry an errno the uAPI header documents for that ioctl;
 * anything else is reported with the call that produced it and the run
 * fails. At the end a plain job must still compute the right answer. The
 * kernel log is checked for splats by the caller (scripts/vm-run.sh).
 *
 * Copyright 2026 The vsvm authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "vsvm.h"

#define POOL		16
#define BUF_PAGES	64

struct fuzz {
	int fd;
	uint64_t seed;
	long calls;
	double deadline;
	atomic_long done;
	atomic_long failures;
	atomic_long errors[64];
	_Atomic uint32_t vms[POOL];
	_Atomic uint32_t gems[POOL];
	_Atomic uint32_t jobs[POOL];
	_Atomic uint32_t syncs[POOL];
	uint8_t *buf;		/* BUF_PAGES pages, half of them PROT_NONE */
	uint8_t *hole;		/* an unmapped page */
};

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	/* splitmix64 */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t pick(struct rng *r, _Atomic uint32_t *pool)
{
	uint32_t v = atomic_load(&pool[rnd(r) % POOL]);

	/* Sometimes a stale or bogus handle. */
	switch (rnd(r) % 8) {
	case 0:
		return (uint32_t)rnd(r);
	case 1:
		return 0;
	default:
		return v;
	}
}

static void put(struct rng *r, _Atomic uint32_t *pool, uint32_t v)
{
	atomic_store(&pool[rnd(r) % POOL], v);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

/* An interesting 64-bit value: boundaries, addresses, junk. */
static uint64_t val64(struct fuzz *f, struct rng *r)
{
	switch (rnd(r) % 14) {
	case 0: return 0;
	case 1: return ~0ull;
	case 2: return 1ull << 47;
	case 3: return (1ull << 48) - 4096;
	case 4: return (uint64_t)(uintptr_t)f->buf + (rnd(r) % (BUF_PAGES * 4096));
	case 5: return (uint64_t)(uintptr_t)f->buf + (rnd(r) % BUF_PAGES) * 4096;
	case 6: return (uint64_t)(uintptr_t)f->hole;
	case 7: return 0xffff888000000000ull + (rnd(r) & 0xfffff000);
	case 8: return 4096ull << (rnd(r) % 20);
	case 9: return rnd(r) & 0xfff;
	/* In or just past the local and scratch windows of ISA v3. */
	case 10: return DRM_VSVM_ISA_LOCAL_BASE + (rnd(r) % 1024) * 8;
	case 11: return DRM_VSVM_ISA_SCRATCH_BASE + (rnd(r) % 512) * 8;
	default: return rnd(r);
	}
}

/*
 * A pointer the kernel writes through (or a mutated copy of one) must not
 * land in the fuzzer's own stack or heap: keep it valid, or make it one of
 * the bad pointers the uAPI must reject (NULL, unmapped, kernel).
 */
static void fixptr(struct fuzz *f, struct rng *r, __u64 *ptr, uint64_t valid)
{
	static const uint64_t kernel = 0xffff888000000000ull;

	if (*ptr == valid)
		return;
	switch (rnd(r) % 4) {
	case 0: *ptr = 0; break;
	case 1: *ptr = (uint64_t)(uintptr_t)f->hole; break;
	case 2: *ptr = kernel; break;
	default: *ptr = valid; break;
	}
}

/* Flip a few random bytes of an argument. */
static void mutate(struct rng *r, void *arg, size_t size)
{
	int n = rnd(r) % 3, i;

	for (i = 0; i < n; i++)
		((uint8_t *)arg)[rnd(r) % size] ^= 1u << (rnd(r) % 8);
}

struct ioctl_desc {
	const char *name;
	unsigned long nr;
	const int *allowed;	/* zero-terminated errno list */
};

static const int e_param[] = { EINVAL, 0 };
static const int e_create[] = { EINVAL, ENOMEM, 0 };
static const int e_destroy[] = { EINVAL, ENOENT, EPERM, 0 };
static const int e_bind[] = { EINVAL, ENOENT, EPERM, EFAULT, EEXIST, ENOMEM, EINTR,
			      EBUSY, 0 };
static const int e_query[] = { EINVAL, ENOENT, EPERM, EFAULT, ENOMEM, 0 };
static const int e_gem[] = { EINVAL, E2BIG, ENOMEM, 0 };
static const int e_mmap[] = { EINVAL, ENOENT, 0 };
static const int e_exec[] = { EINVAL, ENOENT, EPERM, EFAULT, ENOMEM, 0 };
static const int e_status[] = { EINVAL, ENOENT, ETIME, EINTR, 0 };
static const int e_attr[] = { EINVAL, ENOENT, EPERM, ENOMEM, 0 };

static bool errno_ok(const int *allowed, int e)
{
	for (; *allowed; allowed++)
		if (*allowed == e)
			return true;
	return false;
}

static void check(struct fuzz *f, const char *name, const int *allowed, int ret,
		  uint64_t seed)
{
	int e = errno;

	atomic_fetch_add(&f->done, 1);
	if (ret == 0)
		return;
	if (e > 0 && e < 64)
		atomic_fetch_add(&f->errors[e], 1);
	if (!errno_ok(allowed, e)) {
		atomic_fetch_add(&f->failures, 1);
		fprintf(stderr, "vsvm-fuzz: %s failed with undocumented errno %d (%s), call seed 0x%" PRIx64 "\n",
			name, e, strerror(e), seed);
	}
}

static void random_program(struct fuzz *f, struct rng *r, uint64_t *prog, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (rnd(r) % 4 == 0) {
			prog[i] = rnd(r);	/* junk: the validator must say no */
			continue;
		}
		/* A mostly valid instruction around memory ops. */
		static const uint8_t ops[] = { DRM_VSVM_OP_LD64, DRM_VSVM_OP_ST32, DRM_VSVM_OP_AADD64,
					       DRM_VSVM_OP_ADDI, DRM_VSVM_OP_LI, DRM_VSVM_OP_SR,
					       DRM_VSVM_OP_ACMPXCHG32, DRM_VSVM_OP_BNE,
					       DRM_VSVM_OP_BARRIER, DRM_VSVM_OP_AOR32,
					       DRM_VSVM_OP_JR, DRM_VSVM_OP_END };
		uint8_t op = ops[rnd(r) % sizeof(ops)];
		int32_t imm = (int32_t)(rnd(r) % 64) * 8;

		if (op == DRM_VSVM_OP_SR)
			imm = rnd(r) % DRM_VSVM_SREG_COUNT;
		if (op == DRM_VSVM_OP_BNE)
			imm = -(int32_t)(rnd(r) % (i + 1)) - 1;
		if (op == DRM_VSVM_OP_BARRIER || op == DRM_VSVM_OP_END) {
			prog[i] = vsvm_insn(op, 0, 0, 0, 0);
			continue;
		}
		if (op == DRM_VSVM_OP_JR) {
			prog[i] = vsvm_insn(op, 0, rnd(r) % 32, 0, 0);
			continue;
		}
		prog[i] = vsvm_insn(op, rnd(r) % 32, rnd(r) % 32, rnd(r) % 32, imm);
	}
	(void)f;
	prog[n - 1] = vsvm_insn(DRM_VSVM_OP_END, 0, 0, 0, 0);
}

static void fuzz_one(struct fuzz *f, int fd, struct rng *r)
{
	uint64_t seed = r->s;
	uint64_t prog[16];
	uint32_t flags[BUF_PAGES];
	uint8_t status[BUF_PAGES];
	int ret;

	switch (rnd(r) % 11) {
	case 0: {
		struct drm_vsvm_get_param a = { .param = rnd(r) % 16 };

		mutate(r, &a, sizeof(a));
		ret = drmIoctl(fd, DRM_IOCTL_VSVM_GET_PARAM, &a);
		check(f, "GET_PARAM", e_param, ret, seed);
		break;
	}
	case 1: {
		struct drm_vsvm_vm_create a = {};

		if (rnd(r) % 2) {
			a.unmanaged_start = 1ull << 46;
			a.unmanaged_size = 1ull << 30;
		}
		if (rnd(r) % 3 == 0)
			mutate(r, &a, sizeof(a));
		ret = drmIoctl(fd, DRM_IOCTL_VSVM_VM_CREATE, &a);
		check(f, "VM_CREATE", e_create, ret, seed);
		if (!ret)
			put(r, f->vms, a.vm_id);
		break;
	}
	case 2: {
		struct drm_vsvm_vm_destroy a = { .vm_id = pick(r, f->vms) };

		if (rnd(r) % 4)
			break;	/* destroy rarely: the others need VMs */
		if (rnd(r) % 4 == 0)
			mutate(r, &a, sizeof(a));
		ret = drmIoctl(fd, DRM_IOCTL_VSVM_VM_DESTROY, &a);
		check(f, "VM_DESTROY", e_destroy, ret, seed);
		break;
	}
	case 3:
	case 4: {
		struct drm_vsvm_vm_bind_op op = {
			.op = rnd(r) % 6,
			.addr = (uint64_t)(uintptr_t)f->buf + (rnd(r) % BUF_PAGES) * 4096,
			.range = 4096 * (1 + rnd(r) % 8),
		};
		struct drm_vsvm_vm_bind a = {
			.vm_id = pick(r, f->vms), .stride = sizeof(op), .count = 1,
			.ops_ptr = (uint64_t)(uintptr_t)&op,
		};

		if (op.op == DRM_VSVM_BIND_OP_MIRROR && rnd(r) % 2) {
			op.addr = 0;
			op.range = 1ull << 46;
		}
		if (op.op == DRM_VSVM_BIND_OP_PREFETCH) {
			op.location = rnd(r) % 3 ? DRM_VSVM_LOCATION_DEVICE(0) :
				      DRM_VSVM_LOCATION_SYSTEM;
			if (op.range <= sizeof(status) * 4096 && rnd(r) % 2)
				op.status_ptr = (uint64_t)(uintptr_t)status;
		}
		if (op.op == DRM_VSVM_BIND_OP_MAP || op.op == DRM_VSVM_BIND_OP_UNMAP) {
			op.addr = (1ull << 46) + (rnd(r) % 64) * 4096;
			op.handle = op.op == DRM_VSVM_BIND_OP_MAP ? pick(r, f->gems) : 0;
		}
		if (rnd(r) % 3 == 0)
			mutate(r, &op, sizeof(op));
		if (rnd(r) % 6 == 0)
			op.addr = val64(f, r);
		if (rnd(r) % 8 == 0)
			mutate(r, &a, sizeof(a));
		fixptr(f, r, &a.ops_ptr, (uint64_t)(uintptr_t)&op);
		if (op.status_ptr)
			fixptr(f, r, &op.status_ptr, (uint64_t)(uintptr_t)status);
		if (op.range > sizeof(status) * 4096 &&
		    op.status_ptr == (uint64_t)(uintptr_t)status)
			op.status_ptr = 0;
		ret = drmIoctl(fd, DRM_IOCTL_VSVM_VM_BIND, &a);
		check(f, "VM_BIND", e_bind, ret, seed);
		break;
	}
	case 5: {
		struct drm_vsvm_svm_query a = {
			.vm_id = pick(r, f->vms), .addr = (uint64_t)(uintptr_t)f->buf,
			.npages = 1 + rnd(r) % BUF_PAGES,
			.flags_ptr = (uint64_t)(uintptr_t)flags,
		};

		if (rnd(r) % 3 == 0)
			mutate(r, &a, sizeof(a));
		fixptr(f, r, &a.flags_ptr, (uint64_t)(uintptr_t)flags);
		if (a.npages > BUF_PAGES && a.flags_ptr == (uint64_t)(uintptr_t)flags)
			a.flags_ptr = (uint64_t)(uintptr_t)f->hole;
		ret = drmIoctl(fd, DRM_IOCTL_VSVM_SVM_QUERY, &a);
		check(f, "SVM_QUERY", e_query, ret, seed);
		break;
	}
	case 6: {
		struct drm_vsvm_gem_create a = { .size = 4096 * (1 + rnd(r) % 16) };

		if (rnd(r) % 3 == 0)
			mutate(r, &a, sizeof(a));
		if (a.size > (64ull << 20))
			a.size = ~0ull;	/* keep memory bounded: only the -E2BIG path */
		ret = drmIoctl(fd, DRM_IOCTL_VSVM_GEM_CREATE, &a);
		check(f, "GEM_CREATE", e_gem, ret, seed);
		if (!ret)
			put(r, f->gems, a.handle);
		break;
	}
	case 7: {
		struct drm_vsvm_gem_mmap_offset a = { .handle = pick(r, f->gems) };

		if (rnd(r) % 3 == 0)
			mutate(r, &a, sizeof(a));
		ret = drmIoctl(fd, DRM_IOCTL_VSVM_GEM_MMAP_OFFSET, &a);
		check(f, "GEM_MMAP_OFFSET", e_mmap, ret, seed);
		break;
	}
	case 8:
	case 9: {
		uint32_t n = 2 + rnd(r) % 15, in = pick(r, f->syncs);
		struct drm_vsvm_exec a = {
			.vm_id = pick(r, f->vms), .engine = rnd(r) % 3,
			.program_ptr = (uint64_t)(uintptr_t)prog, .program_size = n,
			.invocations = 1 + rnd(r) % 64, .budget = 20000,
		};
		int i;

		random_program(f, r, prog, n);
		for (i = 0; i < 16; i++)
			a.args[i] = val64(f, r);
		if (rnd(r) % 3 == 0) {
			a.in_syncs_ptr = (uint64_t)(uintptr_t)&in;
			a.in_sync_count = 1;
		}
		/* Half of the jobs are small grids of work-groups (ISA v3). */
		if (rnd(r) % 2) {
			a.invocations = 0;
			for (i = 0; i < 3; i++) {
				a.group_size[i] = 1 + rnd(r) % (i ? 3 : 16);
				a.group_count[i] = 1 + rnd(r) % 3;
				a.global_offset[i] = rnd(r) % 4 ? 0 : val64(f, r);
			}
			a.local_mem_size = rnd(r) % 2 ? (rnd(r) % 1024) * 8 : rnd(r) % 5000;
		}
		if (rnd(r) % 2)
			a.scratch_size = (rnd(r) % 512) * 8;
		if (rnd(r) % 2)
			a.out_sync = pick(r, f->syncs);
		if (rnd(r) % 4 == 0)
			mutate(r, &a, sizeof(a));
		if (a.budget > 100000 || !a.budget)
			a.budget = 100000;	/* keep jobs short */
		ret = drmIoctl(fd, DRM_IOCTL_VSVM_EXEC, &a);
		check(f, "EXEC", e_exec, ret, seed);
		if (!ret)
			put(r, f->jobs, a.job_id);
		break;
	}
	default: {
		if (rnd(r) % 2) {
			struct drm_vsvm_job_status a = {
				.job_id = pick(r, f->jobs),
				.flags = rnd(r) % 2 ? DRM_VSVM_JOB_STATUS_WAIT : 0,
				.timeout_ns = rnd(r) % 50000000,
			};

			if (rnd(r) % 3 == 0)
				mutate(r, &a, sizeof(a));
			if (a.timeout_ns > 2000000000ull)
				a.timeout_ns = 0;
			ret = drmIoctl(fd, DRM_IOCTL_VSVM_JOB_STATUS, &a);
			check(f, "JOB_STATUS", e_status, ret, seed);
		} else {
			struct drm_vsvm_svm_attr a = {
				.vm_id = pick(r, f->vms),
				.addr = (uint64_t)(uintptr_t)f->buf,
				.range = 4096 * (1 + rnd(r) % BUF_PAGES),
				.preferred_location = rnd(r) % 2 ? DRM_VSVM_LOCATION_DEVICE(0) :
							DRM_VSVM_LOCATION_SYSTEM,
				.granularity = 4096u << (rnd(r) % 10),
			};
			bool set = rnd(r) % 2;

			if (rnd(r) % 3 == 0)
				mutate(r, &a, sizeof(a));
			ret = drmIoctl(fd, set ? DRM_IOCTL_VSVM_SVM_ATTR_SET :
				       DRM_IOCTL_VSVM_SVM_ATTR_GET, &a);
			check(f, set ? "SVM_ATTR_SET" : "SVM_ATTR_GET", e_attr, ret, seed);
		}
		break;
	}
	}
}

static void *fuzz_thread(void *arg)
{
	struct fuzz *f = arg;
	struct rng r = { .s = f->seed ^ (uint64_t)pthread_self() * 0x100000001b3ull };
	long i;

	/* The thread's own seed is derived from the run seed and its index. */
	r.s = f->seed + atomic_fetch_add(&f->done, 0) * 7919;
	for (i = 0; atomic_load(&f->done) < f->calls && now() < f->deadline; i++) {
		if (i % 2000 == 1999) {
			/* A private file with work queued, closed under it. */
			int fd2, k;

			if (vsvm_open(0, &fd2) == 0) {
				for (k = 0; k < 50; k++)
					fuzz_one(f, fd2, &r);
				close(fd2);
			}
			continue;
		}
		fuzz_one(f, f->fd, &r);
	}
	return NULL;
}

static int sanity(int fd)
{
	static uint64_t data[512] __attribute__((aligned(4096)));
	struct drm_vsvm_job_status st;
	struct vsvm_prog p;
	uint64_t args[16] = { (uint64_t)(uintptr_t)data };
	char err[128];
	uint32_t vm;
	int ret, i;

	if (vsvm_vm_create(fd, 0, 0, &vm) ||
	    vsvm_mirror(fd, vm, (uint64_t)(uintptr_t)data, sizeof(data), 0) ||
	    vsvm_asm("sr r1, lane_id\nshli r2, r1, 3\nadd r2, r2, r0\naddi r1, r1, 7\nst64 [r2], r1\nend\n",
		     &p, err, sizeof(err)))
		return -1;
	ret = vsvm_run(fd, vm, &p, 256, args, &st);
	vsvm_prog_fini(&p);
	for (i = 0; !ret && i < 256; i++)
		if (data[i] != (uint64_t)i + 7)
			ret = -1;
	vsvm_vm_destroy(fd, vm);
	return ret;
}

int main(int argc, char **argv)
{
	struct fuzz f = { .calls = 20000, .seed = 1 };
	int threads = 3, seconds = 300, opt, i, e;
	pthread_t tid[16];
	double t0;

	while ((opt = getopt(argc, argv, "n:s:t:T:")) != -1) {
		switch (opt) {
		case 'n': f.calls = strtol(optarg, NULL, 0); break;
		case 's': f.seed = strtoull(optarg, NULL, 0); break;
		case 't': threads = atoi(optarg); break;
		case 'T': seconds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-n calls] [-s seed] [-t threads] [-T seconds]\n",
				argv[0]);
			return 2;
		}
	}
	if (threads < 1 || threads > 16)
		threads = 3;
	if (vsvm_open(0, &f.fd)) {
		fprintf(stderr, "vsvm-fuzz: no vsvm device\n");
		return 2;
	}
	f.buf = mmap(NULL, BUF_PAGES * 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f.hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f.buf == MAP_FAILED || f.hole == MAP_FAILED)
		return 2;
	munmap(f.hole, 4096);
	memset(f.buf, 0x5a, BUF_PAGES * 4096);
	mprotect(f.buf + BUF_PAGES / 2 * 4096, 8 * 4096, PROT_NONE);
	for (i = 0; i < POOL; i++) {
		uint32_t h;

		if (!drmSyncobjCreate(f.fd, 0, &h))
			f.syncs[i] = h;
	}

	t0 = now();
	f.deadline = t0 + seconds;
	printf("vsvm-fuzz: seed 0x%" PRIx64 ", %ld calls, %d threads\n", f.seed, f.calls, threads);
	for (i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, fuzz_thread, &f);
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);

	printf("vsvm-fuzz: %ld calls in %.1f s, %ld undocumented errors\n",
	       atomic_load(&f.done), now() - t0, atomic_load(&f.failures));
	for (e = 1; e < 64; e++)
		if (atomic_load(&f.errors[e]))
			printf("  errno %-3d %-10s %ld\n", e, strerrorname_np(e) ?: "?",
			       atomic_load(&f.errors[e]));
	mprotect(f.buf, BUF_PAGES * 4096, PROT_READ | PROT_WRITE);
	if (sanity(f.fd)) {
		fprintf(stderr, "vsvm-fuzz: the device no longer computes correctly\n");
		return 1;
	}
	printf("vsvm-fuzz: device still computes correctly\n");
	return atomic_load(&f.failures) ? 1 : 0;
}
