// SPDX-License-Identifier: GPL-2.0
/*
 * vsvm-stress: bounded random-mix stress test with data verification.
 *
 *   vsvm-stress [-p PROCS] [-t THREADS] [-d SECONDS] [-s SEED] [-m KIB]
 *
 * PROCS processes (each with its own file, VM and a mirror of its whole
 * address space) run THREADS threads each. Every thread owns a buffer whose
 * u64 words always hold a value the thread can predict, and loops until the
 * deadline over a random mix of: CPU increments, GPU increments (a job adding
 * one to every word), prefetch to VRAM or to system memory, munmap + mmap of
 * the buffer (pattern rewritten), mprotect read-only and back, madvise
 * (MADV_DONTNEED, then the pattern is rewritten), mremap to a new address
 * (the data and the GPU's view follow), fork (the child checks its copy,
 * the parent's GPU writes go on), atomics on a counter shared by all
 * threads of a process from the CPU and the GPU, and VRAM oversubscription
 * (thread 0 of each process prefetches a buffer to it, all of them together
 * twice the VRAM, evicting the others' pages, and checks it). After each step the buffer is
 * verified. At the end the shared counter must equal the number of
 * increments made; once every process has exited, the device's VRAM use
 * must be back where it was and debugfs must list no VM. Any mismatch fails
 * the run; the kernel log is checked by the caller (scripts/vm-run.sh).
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
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vsvm.h"
#include "vsvm_asm.h"
#include "vsvm_debugfs.h"

enum { OP_CPU, OP_GPU, OP_VRAM, OP_SYS, OP_REMAP, OP_MREMAP, OP_PROTECT, OP_DONTNEED,
       OP_FORK, OP_ATOMIC, OP_OVERSUB, OP_COUNT };
static const char *const op_names[OP_COUNT] = {
	"cpu-inc", "gpu-inc", "prefetch-vram", "prefetch-sys", "remap", "mremap", "mprotect",
	"dontneed", "fork", "atomics", "oversubscribe",
};

struct proc {
	int fd;
	uint32_t vm;
	struct vsvm_prog inc, atom;
	_Atomic uint64_t *counter;	/* shared by the threads, CPU and GPU */
	atomic_ulong expect_counter;
	atomic_ulong ops[OP_COUNT];
	atomic_ulong mismatches;
	double deadline;
	size_t bytes;
	uint64_t seed;
	bool vram;
	uint64_t *hog;		/* thread 0's oversubscription buffer */
	size_t hog_bytes;
	uint64_t hog_base;
	atomic_ulong hog_pages_moved;
};

struct thread {
	struct proc *p;
	int index;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void fill(uint64_t *b, size_t n, uint64_t base)
{
	for (size_t i = 0; i < n; i++)
		b[i] = base + i;
}

static bool verify(struct proc *p, const uint64_t *b, size_t n, uint64_t base,
		   const char *after)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i] != base + i) {
			fprintf(stderr, "vsvm-stress: mismatch after %s at word %zu: %" PRIu64
				" != %" PRIu64 "\n", after, i, b[i], base + i);
			atomic_fetch_add(&p->mismatches, 1);
			return false;
		}
	}
	return true;
}

static int gpu_inc(struct proc *p, uint64_t *b, size_t n)
{
	uint64_t args[16] = { (uint64_t)(uintptr_t)b };
	struct vsvm_job_status st;
	int ret = vsvm_run(p->fd, p->vm, &p->inc, n, args, &st);

	if (ret == -EIO)
		fprintf(stderr, "vsvm-stress: job %s, fault %s at 0x%" PRIx64 "\n",
			vsvm_job_state_str(st.state), vsvm_fault_reason_str(st.fault_reason),
			(uint64_t)st.fault_addr);
	return ret;
}

/*
 * Prefetch a buffer as large as the VRAM (shared by all processes) to it:
 * the other buffers' VRAM pages get evicted. The content must survive.
 */
static void oversubscribe(struct proc *p)
{
	size_t n = p->hog_bytes / 8;
	uint64_t done = 0, failed = 0;
	int ret;

	ret = vsvm_prefetch_to(p->fd, p->vm, (uint64_t)(uintptr_t)p->hog, p->hog_bytes, 0,
			       DRM_VSVM_LOCATION_DEVICE(0), NULL, &done, &failed);
	if (ret) {
		fprintf(stderr, "vsvm-stress: oversubscribing prefetch failed: %s\n",
			vsvm_strerror(ret));
		atomic_fetch_add(&p->mismatches, 1);
		return;
	}
	atomic_fetch_add(&p->hog_pages_moved, done);
	verify(p, p->hog, n, p->hog_base, "oversubscription");
	/* rewrite it, so that the next round carries new content */
	p->hog_base += 0x10000;
	fill(p->hog, n, p->hog_base);
}

static void *thread_main(void *arg)
{
	struct thread *t = arg;
	struct proc *p = t->p;
	size_t n = p->bytes / 8;
	uint64_t seed = p->seed * 131 + t->index + 1, base = (uint64_t)t->index << 40;
	uint64_t *b = mmap(NULL, p->bytes, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (b == MAP_FAILED)
		return NULL;
	fill(b, n, base);
	while (now() < p->deadline && !atomic_load(&p->mismatches)) {
		int op = rnd(&seed) % OP_COUNT, ret;
		const char *name = op_names[op];

		switch (op) {
		case OP_CPU:
			for (size_t i = 0; i < n; i++)
				b[i]++;
			base++;
			break;
		case OP_GPU:
			ret = gpu_inc(p, b, n);
			if (ret) {
				fprintf(stderr, "vsvm-stress: GPU job failed: %s\n", vsvm_strerror(ret));
				atomic_fetch_add(&p->mismatches, 1);
			}
			base++;
			break;
		case OP_VRAM:
		case OP_SYS: {
			uint64_t done = 0, failed = 0;

			if (op == OP_VRAM && !p->vram)
				continue;
			ret = vsvm_prefetch_to(p->fd, p->vm, (uint64_t)(uintptr_t)b, p->bytes, 0,
					       op == OP_VRAM ? DRM_VSVM_LOCATION_DEVICE(0) :
					       DRM_VSVM_LOCATION_SYSTEM, NULL, &done, &failed);
			if (ret) {
				fprintf(stderr, "vsvm-stress: prefetch failed: %s\n",
					vsvm_strerror(ret));
				atomic_fetch_add(&p->mismatches, 1);
			}
			break;
		}
		case OP_REMAP:
			munmap(b, p->bytes);
			b = mmap(NULL, p->bytes, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (b == MAP_FAILED)
				return NULL;
			base += 1000;
			fill(b, n, base);
			break;
		case OP_MREMAP: {
			/* Move to a fresh address (reserved first, so it is ours). */
			void *to = mmap(NULL, p->bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
					-1, 0);
			void *nb;

			if (to == MAP_FAILED)
				break;
			nb = mremap(b, p->bytes, p->bytes, MREMAP_MAYMOVE | MREMAP_FIXED, to);
			if (nb == MAP_FAILED) {
				munmap(to, p->bytes);
				break;
			}
			b = nb;
			if (!verify(p, b, n, base, "mremap"))
				break;
			ret = gpu_inc(p, b, n);	/* the GPU follows the move */
			if (ret) {
				fprintf(stderr, "vsvm-stress: GPU job after mremap failed: %s\n",
					vsvm_strerror(ret));
				atomic_fetch_add(&p->mismatches, 1);
			}
			base++;
			break;
		}
		case OP_OVERSUB:
			if (t->index || !p->vram)
				continue;
			oversubscribe(p);
			break;
		case OP_PROTECT:
			mprotect(b, p->bytes, PROT_READ);
			if (!verify(p, b, n, base, "mprotect(PROT_READ)"))
				break;
			mprotect(b, p->bytes, PROT_READ | PROT_WRITE);
			break;
		case OP_DONTNEED:
			madvise(b, p->bytes, MADV_DONTNEED);
			for (size_t i = 0; i < n; i++)
				if (b[i]) {
					fprintf(stderr, "vsvm-stress: word %zu not zero after DONTNEED\n", i);
					atomic_fetch_add(&p->mismatches, 1);
					break;
				}
			base += 7;
			fill(b, n, base);
			break;
		case OP_FORK: {
			pid_t pid = fork();
			int status;

			if (pid == 0) {
				/* The child sees the parent's data, then writes its copy. */
				bool ok = verify(p, b, n, base, "fork (child)");

				for (size_t i = 0; i < n; i++)
					b[i] = 0xdead;
				_exit(ok ? 0 : 1);
			}
			if (pid < 0)
				break;
			ret = gpu_inc(p, b, n);	/* COW broken under the child */
			base++;
			waitpid(pid, &status, 0);
			if (ret)
				fprintf(stderr, "vsvm-stress: GPU job after fork failed: %s\n",
					vsvm_strerror(ret));
			if (ret || !WIFEXITED(status) || WEXITSTATUS(status))
				atomic_fetch_add(&p->mismatches, 1);
			break;
		}
		case OP_ATOMIC: {
			uint64_t args[16] = { (uint64_t)(uintptr_t)p->counter };
			struct vsvm_job_status st;
			uint32_t lanes = 64;

			for (int i = 0; i < 64; i++)
				atomic_fetch_add(p->counter, 1);
			ret = vsvm_run(p->fd, p->vm, &p->atom, lanes, args, &st);
			atomic_fetch_add(&p->expect_counter, 64 + (ret ? 0 : lanes));
			if (ret)
				atomic_fetch_add(&p->mismatches, 1);
			break;
		}
		}
		atomic_fetch_add(&p->ops[op], 1);
		verify(p, b, n, base, name);
	}
	munmap(b, p->bytes);
	return NULL;
}

static int run_process(int index, int procs, int threads, double seconds, uint64_t seed,
		       size_t bytes)
{
	struct proc p = { .seed = seed + index, .bytes = bytes };
	pthread_t tid[64];
	struct thread t[64];
	uint64_t vram = 0;
	char err[128];
	int i, ret = 0;

	if (vsvm_open(0, &p.fd) || vsvm_vm_create(p.fd, 0, 0, &p.vm) ||
	    vsvm_mirror(p.fd, p.vm, 4096, (1ull << 47) - 8192, 0))
		return 2;
	vsvm_get_param(p.fd, DRM_VSVM_PARAM_VRAM_SIZE, &vram);
	p.vram = vram > 0;
	if (vsvm_asm("sr r1, lane_id\nshli r1, r1, 3\nadd r1, r1, r0\nld64 r2, [r1]\n"
		     "addi r2, r2, 1\nst64 [r1], r2\nend\n", &p.inc, err, sizeof(err)) ||
	    vsvm_asm("li r2, 1\naadd64 r3, [r0], r2\nend\n", &p.atom, err, sizeof(err)))
		return 2;
	p.counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p.counter == MAP_FAILED)
		return 2;
	if (p.vram) {
		/* All processes' together are twice the VRAM. */
		p.hog_bytes = (vram * 2 / procs + (2u << 20) - 1) & ~(size_t)((2u << 20) - 1);
		p.hog = mmap(NULL, p.hog_bytes, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p.hog == MAP_FAILED)
			return 2;
		p.hog_base = (uint64_t)(index + 1) << 48;
		fill(p.hog, p.hog_bytes / 8, p.hog_base);
	}
	p.deadline = now() + seconds;
	for (i = 0; i < threads; i++) {
		t[i] = (struct thread){ .p = &p, .index = i };
		pthread_create(&tid[i], NULL, thread_main, &t[i]);
	}
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);

	if (atomic_load(p.counter) != atomic_load(&p.expect_counter)) {
		fprintf(stderr, "vsvm-stress: counter %" PRIu64 " != expected %lu\n",
			(uint64_t)atomic_load(p.counter), atomic_load(&p.expect_counter));
		atomic_fetch_add(&p.mismatches, 1);
	}
	printf("process %d:", index);
	for (i = 0; i < OP_COUNT; i++)
		printf(" %s=%lu", op_names[i], atomic_load(&p.ops[i]));
	printf(" counter=%" PRIu64 " vram-pages-moved-by-oversubscription=%lu mismatches=%lu\n",
	       (uint64_t)atomic_load(p.counter), atomic_load(&p.hog_pages_moved),
	       atomic_load(&p.mismatches));
	ret = atomic_load(&p.mismatches) ? 1 : 0;
	vsvm_prog_fini(&p.inc);
	vsvm_prog_fini(&p.atom);
	vsvm_vm_destroy(p.fd, p.vm);
	close(p.fd);
	return ret;
}

/* vram_used of device 0, -1 if unreadable (not root, no debugfs) */
static int ctl_fd = -1;	/* for reading the counters */

static int64_t vram_used(void)
{
	int64_t v;

	return vsvm_debugfs_counter(ctl_fd, "vram_used", &v) ? -1 : v;
}

/*
 * Once every process is gone, the device holds nothing of theirs: VRAM use
 * is back to where it was (frees are deferred: allow a few seconds) and
 * debugfs lists no VM.
 */
static bool device_back_to_idle(const char *dir, int64_t vram0)
{
	char path[300], line[256];
	int64_t now = vram_used();
	unsigned int vms = 0;
	FILE *f;

	if (vram0 < 0) {
		printf("vsvm-stress: no debugfs access: VRAM and VM leak checks skipped\n");
		return true;
	}
	for (int i = 0; i < 100 && now != vram0; i++) {
		usleep(50000);
		now = vram_used();
	}
	snprintf(path, sizeof(path), "%s/vsvm_vms", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		vms += !strncmp(line, "vm ", 3);
	if (f)
		fclose(f);
	printf("vsvm-stress: at the end: vram_used %" PRId64 " (%" PRId64 " before), %u VMs left\n",
	       now, vram0, vms);
	if (now != vram0 || vms) {
		fprintf(stderr, "vsvm-stress: the device did not return to idle\n");
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	int procs = 2, threads = 3, opt, i, failed = 0;
	char debugfs[256];
	int64_t vram0;
	double seconds = 60;
	uint64_t seed = 1;
	size_t kib = 256;

	while ((opt = getopt(argc, argv, "p:t:d:s:m:")) != -1) {
		switch (opt) {
		case 'p': procs = atoi(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 'd': seconds = atof(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'm': kib = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s [-p procs] [-t threads] [-d seconds] [-s seed] [-m KiB]\n",
				argv[0]);
			return 2;
		}
	}
	if (procs < 1 || procs > 16 || threads < 1 || threads > 64 || !kib)
		return 2;
	if (vsvm_open(0, &ctl_fd))
		return 2;
	if (vsvm_debugfs_dir(ctl_fd, debugfs, sizeof(debugfs)))
		debugfs[0] = 0;	/* not root or no debugfs: the end checks are skipped */
	vram0 = vram_used();
	printf("vsvm-stress: %d processes x %d threads, %.0f s, %zu KiB per thread, seed %" PRIu64 "\n",
	       procs, threads, seconds, kib, seed);
	fflush(stdout);
	for (i = 0; i < procs; i++) {
		if (fork() == 0) {
			int rc = run_process(i, procs, threads, seconds, seed, kib * 1024);

			fflush(stdout);
			_exit(rc);
		}
	}
	for (i = 0; i < procs; i++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	if (!device_back_to_idle(debugfs, vram0))
		failed++;
	printf("vsvm-stress: %s (%d of %d processes failed)\n", failed ? "FAILED" : "ok",
	       failed, procs);
	return failed ? 1 : 0;
}
