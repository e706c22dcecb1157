// SPDX-License-Identifier: GPL-2.0
/*
 * vsvm-inject: fault-injection sweep over the vsvm driver (root, debugfs).
 *
 *   vsvm-inject [-n MAX_NTH] [-S STRIDE] [-k KIB] [-v]
 *
 * Part 1, allocation failures in the ioctl paths: a scenario of steps
 * (VM create, mirror, attribute split, populate, GPU job, prefetch to
 * VRAM, GPU job on VRAM, query, prefetch back, GEM create, unmirror, VM
 * destroy) is replayed once per injection point: /proc/thread-self/fail-nth
 * makes the N-th failslab / fail_page_alloc point of one step fail, for
 * N = 1, 2, ... until the step no longer reaches the N-th point (or
 * MAX_NTH); past N = 16 only every STRIDE-th point (default 1: all).
 * GFP_KERNEL allocations are made eligible (ignore-gfp-wait=N).
 *
 * Part 2, failures of the driver's own steps in every context (fault
 * worker, scheduler, CPU fault handler): every function the module marks
 * with ALLOW_ERROR_INJECTION (fail_function/injectable) fails always, then
 * on its first call only, while a scenario mirrors, runs GPU jobs through page
 * faults, migrates both ways and touches VRAM pages from the CPU (in a
 * child, which may get SIGBUS). Each site must actually be reached.
 *
 * Checked every time: each call returns 0 or an errno the uAPI documents
 * for running out of a resource (ENOMEM, ENOSPC, or EIO for a job that
 * ended faulted); a failed step changed nothing and succeeds when retried
 * without injection; no data is lost (every u64 of the buffer holds the
 * value its history predicts, whichever pages did or did not move); when
 * the file is closed, VRAM use returns to its earlier value. The kernel
 * log is checked for splats by the caller (scripts/vm-run.sh).
 *
 * Copyright 2026 The vsvm authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
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

#define DBG		"/sys/kernel/debug"
#define FAIL_FN		DBG "/fail_function"
/* fail_function counts its injections down from here */
#define TIMES		"1000000"

static int verbose;
static int failures;
static size_t bytes = 256 * 1024;
static struct vsvm_prog inc_prog, end_prog;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "vsvm-inject: FAIL: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static long read_long(const char *path)
{
	char s[32] = "";
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		if (read(fd, s, sizeof(s) - 1) < 0)
			s[0] = 0;
		close(fd);
	}
	return strtol(s, NULL, 0);
}

static void kmsg(const char *what)
{
	char line[128];

	snprintf(line, sizeof(line), "vsvm-inject: %s\n", what);
	write_file("/dev/kmsg", line);
}

static int ctl_fd = -1;	/* for reading the counters */

static int64_t vram_used(void)
{
	int64_t v;

	return vsvm_debugfs_counter(ctl_fd, "vram_used", &v) ? -1 : v;
}

/* Frees are deferred to a worker: give them a few seconds. */
static void check_vram_back(int64_t before, const char *after)
{
	int64_t now = vram_used();

	for (int i = 0; i < 100 && now != before; i++) {
		usleep(50000);
		now = vram_used();
	}
	if (now != before)
		fail("VRAM used %" PRId64 " after %s, %" PRId64 " before", now, after, before);
}

/* ---- the scenario ----------------------------------------------------- */

struct ctx {
	int fd;
	uint32_t vm;
	uint64_t *buf;
	uint64_t *exp;		/* what every word must hold */
	bool in_doubt;		/* a job may have run, or part of it */
};

static uint64_t initial(size_t i)
{
	return 0x1000000000ull + i * 3;
}

/*
 * Every word must hold its value, or one more where a job that failed may
 * have run. Returns the number of words such a job incremented.
 */
static size_t verify(struct ctx *c, const char *after)
{
	size_t n = bytes / 8, ran = 0;

	for (size_t i = 0; i < n; i++) {
		if (c->buf[i] == c->exp[i] + 1 && c->in_doubt) {
			c->exp[i]++;
			ran++;
		} else if (c->buf[i] != c->exp[i]) {
			fail("word %zu is 0x%" PRIx64 ", want 0x%" PRIx64 " after %s", i,
			     c->buf[i], c->exp[i], after);
			break;
		}
	}
	c->in_doubt = false;
	return ran;
}

/* Wait until every job queued before has finished (one engine, in order). */
static void drain(struct ctx *c)
{
	vsvm_run(c->fd, c->vm, &end_prog, 1, NULL, NULL);
}

static int gpu_inc(struct ctx *c)
{
	uint64_t args[16] = { (uint64_t)(uintptr_t)c->buf };
	struct vsvm_job_status st;
	int ret = vsvm_run(c->fd, c->vm, &inc_prog, bytes / 8, args, &st);

	if (ret == -EIO && verbose)
		printf("  job %s: %s at 0x%" PRIx64 "\n", vsvm_job_state_str(st.state),
		       vsvm_fault_reason_str(st.fault_reason), (uint64_t)st.fault_addr);
	if (ret) {
		c->in_doubt = true;
		drain(c);
	} else {
		for (size_t i = 0; i < bytes / 8; i++)
			c->exp[i]++;
	}
	return ret;
}

static int prefetch(struct ctx *c, uint32_t loc)
{
	uint64_t done = 0, failed = 0;
	int ret = vsvm_prefetch_to(c->fd, c->vm, (uint64_t)(uintptr_t)c->buf, bytes, 0, loc,
				   NULL, &done, &failed);

	/* Pages that could not move stay where they are: not an error. */
	return ret;
}

enum step { S_VM, S_MIRROR, S_ATTR, S_POPULATE, S_GPU, S_VRAM, S_GPU_VRAM, S_QUERY,
	    S_SYSTEM, S_GEM, S_UNMIRROR, S_VM_DESTROY, S_COUNT };
static const char *const step_names[S_COUNT] = {
	"vm-create", "mirror", "attr-split", "populate", "gpu-job", "prefetch-vram",
	"gpu-job-vram", "query", "prefetch-system", "gem-create", "unmirror", "vm-destroy",
};

static int run_step(struct ctx *c, enum step s)
{
	uint64_t addr = (uint64_t)(uintptr_t)c->buf;
	int ret;

	switch (s) {
	case S_VM:
		return vsvm_vm_create(c->fd, 0, 0, &c->vm);
	case S_MIRROR:
		return vsvm_mirror(c->fd, c->vm, addr, bytes, 0);
	case S_ATTR: {
		/* 64 KiB granularity on the second half splits the attribute tree. */
		struct vsvm_svm_attr a = {
			.vm_id = c->vm, .addr = addr + bytes / 2, .range = bytes / 2,
			.preferred_location = DRM_VSVM_LOCATION_ANY, .granularity = 0x10000,
		};

		return vsvm_svm_attr_set(c->fd, &a);
	}
	case S_POPULATE:
	case S_SYSTEM:
		return prefetch(c, DRM_VSVM_LOCATION_SYSTEM);
	case S_VRAM:
		return prefetch(c, DRM_VSVM_LOCATION_DEVICE(0));
	case S_GPU:
	case S_GPU_VRAM:
		return gpu_inc(c);
	case S_QUERY: {
		uint32_t flags[64];

		return vsvm_svm_query(c->fd, c->vm, addr, 64, flags);
	}
	case S_GEM: {
		uint32_t h;

		ret = vsvm_gem_create(c->fd, 1 << 20, &h);
		if (!ret)
			vsvm_gem_close(c->fd, h);
		return ret;
	}
	case S_UNMIRROR:
		return vsvm_unmirror(c->fd, c->vm, addr, bytes);
	case S_VM_DESTROY:
		return vsvm_vm_destroy(c->fd, c->vm);
	default:
		return -EINVAL;
	}
}

static bool errno_ok(int ret)
{
	return !ret || ret == -ENOMEM || ret == -ENOSPC || ret == -EIO;
}

static int ctx_init(struct ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	c->exp = malloc(bytes);
	if (c->buf == MAP_FAILED || !c->exp)
		return -ENOMEM;
	for (size_t i = 0; i < bytes / 8; i++)
		c->buf[i] = c->exp[i] = initial(i);
	return vsvm_open(0, &c->fd);
}

static void ctx_fini(struct ctx *c, int64_t vram_before, const char *what)
{
	close(c->fd);
	munmap(c->buf, bytes);
	free(c->exp);
	check_vram_back(vram_before, what);
}

/* ---- part 1: fail-nth over each step ----------------------------------- */

static int nth_fd = -1;

static void nth_set(unsigned int n)
{
	char s[16];
	int len = snprintf(s, sizeof(s), "%u", n);

	if (pwrite(nth_fd, s, len, 0) != len)
		fail("cannot write fail-nth: %s", strerror(errno));
}

/* 0 if the failure was injected; then fail-nth is off again. */
static unsigned int nth_left(void)
{
	char s[16] = "";
	unsigned int left;

	if (pread(nth_fd, s, sizeof(s) - 1, 0) <= 0)
		return 0;
	left = strtoul(s, NULL, 10);
	if (left)
		nth_set(0);
	return left;
}

/* The scenario's end: two GPU increments on every word, nothing else. */
static void check_final(struct ctx *c, const char *what)
{
	verify(c, what);
	for (size_t i = 0; i < bytes / 8; i++) {
		if (c->exp[i] != initial(i) + 2) {
			fail("word %zu: %" PRIu64 " increments after %s, want 2", i,
			     c->exp[i] - initial(i), what);
			break;
		}
	}
}

/* A step failed under injection: it must have changed nothing. */
static void after_failed_step(struct ctx *c, enum step s, unsigned int n)
{
	size_t ran;
	int ret;

	if (s == S_VM_DESTROY) {
		/* Retried; only "the VM is gone already" may come back. */
		ret = run_step(c, s);
		if (ret && ret != -ENOENT)
			fail("vm-destroy retried: %s", vsvm_strerror(ret));
		return;
	}
	ran = verify(c, step_names[s]);
	if ((s == S_GPU || s == S_GPU_VRAM) && ran) {
		/* The job was queued before the failure: it ran whole. */
		if (ran != bytes / 8)
			fail("%s #%u: %zu of %zu words incremented", step_names[s], n, ran,
			     bytes / 8);
		return;
	}
	ret = run_step(c, s);
	if (ret)
		fail("%s retried without injection: %s", step_names[s], vsvm_strerror(ret));
}

/*
 * One replay of the scenario with the n-th injection point of step @k
 * failing. Returns false once step @k has fewer than @n points.
 */
static bool nth_once(enum step k, unsigned int n, int64_t vram0)
{
	bool injected = true;
	struct ctx c;
	int s, ret;

	if (ctx_init(&c)) {
		fail("cannot open the device");
		return false;
	}
	for (s = 0; s < S_COUNT; s++) {
		if (s != (int)k) {
			ret = run_step(&c, s);
			if (ret) {
				fail("%s failed with no injection: %s", step_names[s],
				     vsvm_strerror(ret));
				break;
			}
			continue;
		}
		nth_set(n);
		ret = run_step(&c, s);
		injected = !nth_left();
		if (verbose && ret)
			printf("  %s #%u: %s\n", step_names[s], n, vsvm_strerror(ret));
		if (!errno_ok(ret))
			fail("%s with point %u failing: %s", step_names[s], n, vsvm_strerror(ret));
		else if (ret && !injected)
			fail("%s failed with nothing injected: %s", step_names[s],
			     vsvm_strerror(ret));
		if (ret)
			after_failed_step(&c, s, n);
	}
	check_final(&c, step_names[k]);
	ctx_fini(&c, vram0, step_names[k]);
	return injected;
}

static long part_nth(unsigned int max_nth, unsigned int stride)
{
	static const char *const attrs[] = { "failslab", "fail_page_alloc" };
	long total = 0;

	for (unsigned int i = 0; i < 2; i++) {
		char path[128];

		snprintf(path, sizeof(path), DBG "/%s/ignore-gfp-wait", attrs[i]);
		if (write_file(path, "N"))
			fail("cannot write %s", path);
		snprintf(path, sizeof(path), DBG "/%s/verbose", attrs[i]);
		write_file(path, "0");
	}
	write_file(DBG "/fail_page_alloc/ignore-gfp-highmem", "N");
	write_file(DBG "/fail_page_alloc/min-order", "0");
	write_file(DBG "/fail_usercopy/verbose", "0");
	write_file(DBG "/fail_futex/verbose", "0");

	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0) {
		fail("no /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION): %s",
		     strerror(errno));
		return 0;
	}
	for (int k = 0; k < S_COUNT && failures < 10; k++) {
		int64_t vram0 = vram_used();
		unsigned int n;

		unsigned int tried = 0, last = 0;

		/* Every point up to 16, then every stride-th. */
		for (n = 1; n <= max_nth && failures < 10; n += n < 16 ? 1 : stride) {
			if (!nth_once(k, n, vram0))
				break;
			tried++;
			last = n;
		}
		printf("fail-nth: %-16s %3u points failed one at a time (the last #%u%s)\n",
		       step_names[k], tried, last, n > max_nth ? ", limit reached" : "");
		fflush(stdout);
		total += tried;
	}
	close(nth_fd);
	return total;
}

/* ---- part 2: fail_function over the driver's marked steps -------------- */

/* Mirror, GPU job by faults, to VRAM, CPU touch in a child, back, job again. */
static void fn_scenario(const char *site, const char *mode, int64_t vram0, long times,
			long *hits)
{
	uint32_t vm;
	struct ctx c;
	int ret, status;
	pid_t pid;

	if (ctx_init(&c)) {
		fail("cannot open the device");
		return;
	}
	ret = run_step(&c, S_VM);
	if (!ret)
		ret = run_step(&c, S_MIRROR);
	if (!errno_ok(ret))
		fail("%s (%s): setup: %s", site, mode, vsvm_strerror(ret));
	for (enum step s = S_ATTR; !ret && s <= S_SYSTEM; s++) {
		int r = run_step(&c, s);

		if (!errno_ok(r))
			fail("%s (%s): %s: %s", site, mode, step_names[s], vsvm_strerror(r));
		if (s != S_VRAM)
			continue;
		/*
		 * The CPU takes a page back while the site fails: it works,
		 * or ends in SIGBUS after a bounded number of VM_FAULT_OOM
		 * retries. A CPU still retrying after 5 s (the alarm) fails.
		 */
		pid = fork();
		if (pid == 0) {
			volatile uint64_t x;

			alarm(5);
			x = c.buf[bytes / 16];
			(void)x;
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    (!(WIFEXITED(status) && !WEXITSTATUS(status)) &&
		     !(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS)))
			fail("%s (%s): CPU touch child: status 0x%x", site, mode, status);
	}
	/* Injection off: nothing may be lost, and a new VM works at once. */
	*hits = times - read_long(FAIL_FN "/times");
	write_file(FAIL_FN "/inject", "");
	verify(&c, site);
	ret = vsvm_vm_create(c.fd, 0, 0, &vm);
	if (!ret) {
		c.vm = vm;
		ret = vsvm_mirror(c.fd, vm, (uint64_t)(uintptr_t)c.buf, bytes, 0);
	}
	if (!ret)
		ret = gpu_inc(&c);
	if (ret)
		fail("%s (%s): after injection: %s", site, mode, vsvm_strerror(ret));
	verify(&c, "recovery");
	ctx_fini(&c, vram0, site);
}

static int part_fn(void)
{
	char line[256], name[128], mod[64], type[32], path[300];
	static const char *const modes[][2] = {
		/* mode, failures allowed (fail_function counts them down) */
		{ "always", TIMES }, { "first call only", "1" },
	};
	int sites = 0, before;
	long hits[2];
	FILE *f = fopen(FAIL_FN "/injectable", "r");

	if (!f) {
		fail("cannot read " FAIL_FN "/injectable: %s", strerror(errno));
		return 0;
	}
	write_file(FAIL_FN "/verbose", "0");
	write_file(FAIL_FN "/task-filter", "N");
	while (fgets(line, sizeof(line), f) && failures < 10) {
		if (sscanf(line, "%127s %63s %31s", name, mod, type) != 3 ||
		    strcmp(mod, "[vsvm]"))
			continue;
		sites++;
		before = failures;
		for (unsigned int m = 0; m < 2; m++) {
			int64_t vram0 = vram_used();

			write_file(FAIL_FN "/inject", "");
			if (write_file(FAIL_FN "/inject", name)) {
				fail("cannot inject %s", name);
				break;
			}
			/* -ENOMEM for the ERRNO sites; NULL sites return 0. */
			snprintf(path, sizeof(path), FAIL_FN "/%s/retval", name);
			if (write_file(path, strcmp(type, "NULL") ? "0xfffffffffffffff4" : "0"))
				fail("cannot set %s", path);
			write_file(FAIL_FN "/probability", "100");
			write_file(FAIL_FN "/interval", "1");
			write_file(FAIL_FN "/times", modes[m][1]);
			fn_scenario(name, modes[m][0], vram0, strtol(modes[m][1], NULL, 10),
				    &hits[m]);
		}
		if (!hits[0] || !hits[1])
			fail("%s: the scenario never reached it (%ld and %ld failures injected)",
			     name, hits[0], hits[1]);
		printf("fail_function: %-30s %-5s failed %5ld times (always), %ld (once): %s\n",
		       name, type, hits[0], hits[1], failures == before ? "ok" : "FAILED (see above)");
		fflush(stdout);
	}
	fclose(f);
	write_file(FAIL_FN "/inject", "");
	return sites;
}

int main(int argc, char **argv)
{
	unsigned int max_nth = 400, stride = 1;
	char err[128];
	long points;
	int opt, sites;

	while ((opt = getopt(argc, argv, "n:k:S:v")) != -1) {
		switch (opt) {
		case 'n': max_nth = strtoul(optarg, NULL, 0); break;
		case 'S': stride = strtoul(optarg, NULL, 0) ?: 1; break;
		case 'k': bytes = strtoul(optarg, NULL, 0) * 1024; break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: %s [-n max-nth] [-S stride] [-k KiB] [-v]\n", argv[0]);
			return 2;
		}
	}
	if (bytes < 8192 || bytes % 4096 || bytes > (64u << 20)) {
		fprintf(stderr, "vsvm-inject: -k: 8..65536 KiB, a multiple of 4\n");
		return 2;
	}
	if (vsvm_open(0, &ctl_fd)) {
		fprintf(stderr, "vsvm-inject: no vsvm device\n");
		return 2;
	}
	if (vram_used() < 0) {
		fprintf(stderr, "vsvm-inject: needs debugfs (root)\n");
		return 2;
	}
	if (vsvm_asm("sr r1, lane_id\nshli r1, r1, 3\nadd r1, r1, r0\nld64 r2, [r1]\n"
		     "addi r2, r2, 1\nst64 [r1], r2\nend\n", &inc_prog, err, sizeof(err)) ||
	    vsvm_asm("end\n", &end_prog, err, sizeof(err))) {
		fprintf(stderr, "vsvm-inject: %s\n", err);
		return 2;
	}
	kmsg("begin");
	points = part_nth(max_nth, stride);
	sites = part_fn();
	kmsg("end");
	vsvm_prog_fini(&inc_prog);
	vsvm_prog_fini(&end_prog);
	printf("vsvm-inject: %ld allocation points failed one at a time over %d steps, "
	       "%d driver sites failed always and once: %s (%d failures)\n",
	       points, S_COUNT, sites, failures ? "FAILED" : "ok", failures);
	return failures ? 1 : 0;
}
