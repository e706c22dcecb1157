// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-cl-demo: the linked-list story of vsvm-demo, in OpenCL C, through
 * Mesa's OpenCL (clover) and pipe_vsvm.so.
 *
 * The CPU builds linked lists out of malloc()'d nodes whose next pointers
 * are plain CPU pointers; an OpenCL kernel gets the list heads as a
 * fine-grained system SVM pointer (clSetKernelArgSVMPointer on malloc()
 * memory), walks every list, sums it and updates each node. The CPU then
 * appends nodes to every list and the kernel walks them again. Then a
 * clSVMAlloc array goes to the device with clEnqueueSVMMigrateMem, is
 * updated there by the GPU and comes back; the device's debugfs counters
 * (pages_to_vram, pages_to_system) show the pages moving, since an OpenCL
 * program cannot ask SVM_QUERY. Every word is checked against a CPU model.
 *
 *   vsvm-cl-demo [-l LISTS]
 *
 * Runs in the guest with vsvm loaded and OCL_ICD_VENDORS,
 * GALLIUM_PIPE_SEARCH_DIR (and a writable XDG_CACHE_HOME) set; `make demo`
 * does it. Ends with "N checks, M failed"; exit status 1 if one failed.
 */
#define CL_TARGET_OPENCL_VERSION 300
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#include <CL/cl.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vsvm-cl-device.h"

#define DEFAULT_LISTS	256
#define MAX_LISTS	4096
#define FIRST_NODES	8	/* list i starts with i % FIRST_NODES nodes */
#define APPEND_NODES	3	/* the CPU then appends 1 + i % APPEND_NODES */
#define ARRAY_WORDS	(64 * 1024)	/* 256 KiB migrated array */
#define SHOW_MISMATCHES	5

static const char *src =
	"struct node {\n"
	"	__global struct node *next;\n"
	"	int value;\n"
	"	int visits;\n"
	"};\n"
	"\n"
	"/* lane i walks list i: sums it, counts it, updates every node */\n"
	"__kernel void walk(__global const ulong *heads, __global int *sums,\n"
	"		   __global int *lengths)\n"
	"{\n"
	"	size_t i = get_global_id(0);\n"
	"	__global struct node *n = (__global struct node *)heads[i];\n"
	"	int sum = 0, len = 0;\n"
	"\n"
	"	for (; n; n = n->next) {\n"
	"		sum += n->value;\n"
	"		n->value += 1000;\n"
	"		n->visits++;\n"
	"		len++;\n"
	"	}\n"
	"	sums[i] = sum;\n"
	"	lengths[i] = len;\n"
	"}\n"
	"\n"
	"__kernel void bump(__global int *a)\n"
	"{\n"
	"	size_t i = get_global_id(0);\n"
	"\n"
	"	a[i] = a[i] + (int)i + 7;\n"
	"}\n";

/* The host's view of a node: same layout as the OpenCL C struct. */
struct node {
	struct node *next;
	int value;
	int visits;
};

struct demo {
	cl_device_id dev;
	cl_context ctx;
	cl_command_queue q;
	cl_program prog;
	cl_kernel walk, bump;
	unsigned int lists;
	struct node **head, **tail;	/* per list */
	unsigned long long *heads;	/* what the kernel reads: malloc()'d */
	int *sums, *lengths;		/* what it writes: malloc()'d */
	unsigned int checks, failures;
	char debugfs[512];		/* vsvm_counters path, "" if none */
};

static void step(int n, const char *what)
{
	printf("\n[CL %d] %s\n", n, what);
}

static void check(struct demo *d, int ok, const char *what)
{
	d->checks++;
	if (!ok)
		d->failures++;
	printf("  %s: %s\n", ok ? "ok" : "FAILED", what);
}

/* Count a word-by-word comparison; print the first few mismatches. */
static int word(struct demo *d, long long got, long long want, const char *what,
		unsigned int i, unsigned int k, unsigned int *bad)
{
	d->checks++;
	if (got == want)
		return 1;
	d->failures++;
	if ((*bad)++ < SHOW_MISMATCHES)
		printf("    mismatch: %s (list %u, item %u) = %lld, expected %lld\n",
		       what, i, k, got, want);
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int setup(struct demo *d)
{
	cl_platform_id plat = NULL;
	cl_device_svm_capabilities svm = 0;
	char name[256], pname[256] = "", ver[256] = "", log[8192];
	cl_int err = 0;

	d->dev = vsvm_cl_find_device(&plat, name, sizeof(name));
	if (!d->dev) {
		printf("  %s (OCL_ICD_VENDORS? GALLIUM_PIPE_SEARCH_DIR? vsvm.ko?)\n",
		       name);
		return -1;
	}
	clGetPlatformInfo(plat, CL_PLATFORM_NAME, sizeof(pname), pname, NULL);
	clGetPlatformInfo(plat, CL_PLATFORM_VERSION, sizeof(ver), ver, NULL);
	printf("  platform \"%s\" (%s), device \"%s\"\n", pname, ver, name);
	clGetDeviceInfo(d->dev, CL_DEVICE_SVM_CAPABILITIES, sizeof(svm), &svm, NULL);
	printf("  SVM capabilities:%s%s%s%s\n",
	       svm & CL_DEVICE_SVM_COARSE_GRAIN_BUFFER ? " coarse-grain-buffer" : "",
	       svm & CL_DEVICE_SVM_FINE_GRAIN_BUFFER ? " fine-grain-buffer" : "",
	       svm & CL_DEVICE_SVM_FINE_GRAIN_SYSTEM ? " fine-grain-system" : "",
	       svm & CL_DEVICE_SVM_ATOMICS ? " atomics" : "");
	check(d, !!(svm & CL_DEVICE_SVM_FINE_GRAIN_SYSTEM),
	      "fine-grained system SVM: the kernel may use any CPU pointer");
	if (!(svm & CL_DEVICE_SVM_FINE_GRAIN_SYSTEM))
		return -1;

	d->ctx = clCreateContext(NULL, 1, &d->dev, NULL, NULL, &err);
	if (d->ctx)
		d->q = clCreateCommandQueue(d->ctx, d->dev, 0, &err);
	if (d->q)
		d->prog = clCreateProgramWithSource(d->ctx, 1, &src, NULL, &err);
	if (!d->prog) {
		printf("  OpenCL context/queue/program: error %d\n", err);
		return -1;
	}
	printf("  the kernels, OpenCL C (clang -> SPIR-V -> NIR in clover, NIR -> vsvm ISA in pipe_vsvm.so):\n");
	{
		const char *p = src, *nl;

		for (; *p; p = nl + 1) {
			nl = strchr(p, '\n');
			printf("    | %.*s\n", (int)(nl - p), p);
		}
	}
	err = clBuildProgram(d->prog, 1, &d->dev, "", NULL, NULL);
	if (err) {
		clGetProgramBuildInfo(d->prog, d->dev, CL_PROGRAM_BUILD_LOG,
				      sizeof(log), log, NULL);
		printf("  build failed (%d): %.2000s\n", err, log);
	}
	check(d, !err, "clBuildProgram");
	if (err)
		return -1;
	d->walk = clCreateKernel(d->prog, "walk", &err);
	if (d->walk)
		d->bump = clCreateKernel(d->prog, "bump", &err);
	if (!d->bump) {
		printf("  clCreateKernel: error %d\n", err);
		return -1;
	}
	return 0;
}

/* Append @count nodes to list @i; the values follow from (i, position). */
static int append(struct demo *d, unsigned int i, unsigned int count,
		  unsigned int first_pos)
{
	for (unsigned int k = 0; k < count; k++) {
		struct node *n = malloc(sizeof(*n));

		if (!n)
			return -1;
		n->next = NULL;
		n->value = (int)(i * 100 + first_pos + k);
		n->visits = 0;
		if (d->tail[i])
			d->tail[i]->next = n;
		else
			d->head[i] = n;
		d->tail[i] = n;
	}
	return 0;
}

static int build_lists(struct demo *d)
{
	size_t nodes = 0;

	d->head = calloc(d->lists, sizeof(*d->head));
	d->tail = calloc(d->lists, sizeof(*d->tail));
	d->heads = malloc(d->lists * sizeof(*d->heads));
	d->sums = malloc(d->lists * sizeof(*d->sums));
	d->lengths = malloc(d->lists * sizeof(*d->lengths));
	if (!d->head || !d->tail || !d->heads || !d->sums || !d->lengths)
		return -1;
	for (unsigned int i = 0; i < d->lists; i++) {
		if (append(d, i, i % FIRST_NODES, 0))
			return -1;
		nodes += i % FIRST_NODES;
	}
	printf("  %u lists, %zu nodes of %zu bytes, each from malloc(); %u lists are empty\n",
	       d->lists, nodes, sizeof(struct node),
	       (d->lists + FIRST_NODES - 1) / FIRST_NODES);
	{
		unsigned int l = d->lists >= FIRST_NODES ? FIRST_NODES - 1 : d->lists - 1;

		if (d->head[l])
			printf("  list %u starts at %p: value %d -> next %p (a CPU heap pointer, stored in the node)\n",
			       l, (void *)d->head[l], d->head[l]->value,
			       (void *)d->head[l]->next);
	}
	return 0;
}

/* Launch walk over every list; heads[], sums[], lengths[] are malloc()'d. */
static int gpu_walk(struct demo *d)
{
	size_t global = d->lists, local = 16;
	double t0;
	cl_int err;

	for (unsigned int i = 0; i < d->lists; i++) {
		d->heads[i] = (unsigned long long)(uintptr_t)d->head[i];
		d->sums[i] = -1;
		d->lengths[i] = -1;
	}
	if (clSetKernelArgSVMPointer(d->walk, 0, d->heads) ||
	    clSetKernelArgSVMPointer(d->walk, 1, d->sums) ||
	    clSetKernelArgSVMPointer(d->walk, 2, d->lengths)) {
		check(d, 0, "clSetKernelArgSVMPointer on malloc() memory");
		return -1;
	}
	t0 = now_ms();
	err = clEnqueueNDRangeKernel(d->q, d->walk, 1, NULL, &global, &local, 0,
				     NULL, NULL);
	if (!err)
		err = clFinish(d->q);
	printf("  clEnqueueNDRangeKernel(walk, %zu lanes in groups of %zu): %d, %.1f ms\n",
	       global, local, err, now_ms() - t0);
	check(d, !err, "the kernel ran (no GPU fault, no error)");
	return err ? -1 : 0;
}

/*
 * Check every list against the CPU model: a node first linked in @round
 * (0 or 1) has been walked @walks - round times, each walk adding 1000.
 */
static void check_lists(struct demo *d, unsigned int walks)
{
	unsigned int bad = 0, i, k;
	long long words_before = d->checks;

	for (i = 0; i < d->lists; i++) {
		unsigned int first = i % FIRST_NODES;
		unsigned int len = first + (walks > 1 ? 1 + i % APPEND_NODES : 0);
		long long sum = 0;
		struct node *n = d->head[i];

		for (k = 0; k < len; k++, n = n ? n->next : NULL) {
			unsigned int walked = k < first ? walks : 1;
			int value0 = (int)(i * 100 + k);

			/* the sum the GPU saw: before this walk's update */
			sum += value0 + 1000 * (walked - 1);
			if (!n) {
				word(d, 0, 1, "node missing", i, k, &bad);
				continue;
			}
			word(d, n->value, value0 + 1000 * walked, "node value", i, k, &bad);
			word(d, n->visits, walked, "node visits", i, k, &bad);
		}
		word(d, n != NULL, 0, "list longer than expected", i, k, &bad);
		word(d, d->sums[i], sum, "sums[i]", i, 0, &bad);
		word(d, d->lengths[i], len, "lengths[i]", i, 0, &bad);
	}
	printf("  %s: %lld words compared with the CPU's model (sums, lengths, every node's value and visits)\n",
	       bad ? "FAILED" : "ok", (long long)d->checks - words_before);
	if (bad)
		printf("  %u mismatches\n", bad);
}

/* ---- debugfs counters of the vsvm device (root only, optional) ---- */

static void find_debugfs(struct demo *d)
{
	glob_t g;

	d->debugfs[0] = '\0';
	if (glob("/sys/kernel/debug/dri/*/vsvm_counters", 0, NULL, &g))
		return;
	if (g.gl_pathc)
		snprintf(d->debugfs, sizeof(d->debugfs), "%s", g.gl_pathv[0]);
	globfree(&g);
}

/* Value of counter @name, -1 if it cannot be read. */
static long long counter(const struct demo *d, const char *name)
{
	char line[256], key[128];
	long long v, ret = -1;
	FILE *f;

	if (!d->debugfs[0] || !(f = fopen(d->debugfs, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %lld", key, &v) == 2 && !strcmp(key, name)) {
			ret = v;
			break;
		}
	fclose(f);
	return ret;
}

static void migrate_story(struct demo *d)
{
	const size_t bytes = ARRAY_WORDS * sizeof(int);
	const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	long long pages;
	long long vram_size, to_vram0, to_sys0, to_vram1, to_sys1;
	int *a = clSVMAlloc(d->ctx, CL_MEM_READ_WRITE, bytes, 0);
	const void *ptrs[1] = { a };
	size_t sizes[1] = { bytes }, global = ARRAY_WORDS, local = 64;
	unsigned int bad = 0, i;
	cl_int err;
	char msg[160];

	if (!a) {
		check(d, 0, "clSVMAlloc");
		return;
	}
	/* the pages the array spans (clSVMAlloc need not page-align it) */
	pages = (long long)((((uintptr_t)a + bytes + page - 1) & ~(page - 1)) -
			    ((uintptr_t)a & ~(page - 1))) / (long long)page;
	for (i = 0; i < ARRAY_WORDS; i++)
		a[i] = (int)(i * 3) - 5000;
	printf("  clSVMAlloc(%zu KiB) at %p (with system SVM clover hands out plain host memory), filled by the CPU\n",
	       bytes >> 10, (void *)a);
	find_debugfs(d);
	vram_size = counter(d, "vram_size");
	if (vram_size < 0)
		printf("  (no %s: debugfs not mounted or not root; the page movements are not shown)\n",
		       "/sys/kernel/debug/dri/*/vsvm_counters");
	else
		printf("  device counters from %s; VRAM %lld MiB\n", d->debugfs,
		       vram_size >> 20);
	to_vram0 = counter(d, "pages_to_vram");
	to_sys0 = counter(d, "pages_to_system");

	err = clEnqueueSVMMigrateMem(d->q, 1, ptrs, sizes, 0, 0, NULL, NULL);
	if (!err)
		err = clFinish(d->q);
	check(d, !err, "clEnqueueSVMMigrateMem(to the device)");
	to_vram1 = counter(d, "pages_to_vram");
	if (vram_size > 0 && to_vram0 >= 0) {
		printf("  pages_to_vram: %lld -> %lld (+%lld; the array spans %lld pages)\n",
		       to_vram0, to_vram1, to_vram1 - to_vram0, pages);
		snprintf(msg, sizeof(msg), "all %lld array pages moved to VRAM", pages);
		check(d, to_vram1 - to_vram0 >= pages, msg);
	} else if (!vram_size) {
		printf("  the device has no VRAM: the migration is a no-op, the array stays in system memory\n");
	}

	if (clSetKernelArgSVMPointer(d->bump, 0, a)) {
		check(d, 0, "clSetKernelArgSVMPointer");
		goto out;
	}
	err = clEnqueueNDRangeKernel(d->q, d->bump, 1, NULL, &global, &local, 0,
				     NULL, NULL);
	if (!err)
		err = clFinish(d->q);
	snprintf(msg, sizeof(msg), "bump: a[i] += i + 7 by %d lanes, on the device's copy",
		 ARRAY_WORDS);
	check(d, !err, msg);

	err = clEnqueueSVMMigrateMem(d->q, 1, ptrs, sizes, CL_MIGRATE_MEM_OBJECT_HOST,
				     0, NULL, NULL);
	if (!err)
		err = clFinish(d->q);
	check(d, !err, "clEnqueueSVMMigrateMem(CL_MIGRATE_MEM_OBJECT_HOST)");
	to_sys1 = counter(d, "pages_to_system");
	if (vram_size > 0 && to_sys0 >= 0) {
		printf("  pages_to_system: %lld -> %lld (+%lld)\n", to_sys0, to_sys1,
		       to_sys1 - to_sys0);
		snprintf(msg, sizeof(msg), "all %lld array pages came back to system memory",
			 pages);
		check(d, to_sys1 - to_sys0 >= pages, msg);
	}
	for (i = 0; i < ARRAY_WORDS; i++)
		word(d, a[i], (long long)((int)(i * 3) - 5000) + i + 7, "a[i]", 0, i, &bad);
	snprintf(msg, sizeof(msg),
		 "the CPU reads all %d words back intact: a[i] == 3i - 5000 + i + 7",
		 ARRAY_WORDS);
	printf("  %s: %s\n", bad ? "FAILED" : "ok", msg);
out:
	clSVMFree(d->ctx, a);
}

static void cleanup(struct demo *d)
{
	for (unsigned int i = 0; d->head && i < d->lists; i++)
		for (struct node *n = d->head[i], *next; n; n = next) {
			next = n->next;
			free(n);
		}
	free(d->head);
	free(d->tail);
	free(d->heads);
	free(d->sums);
	free(d->lengths);
	if (d->bump)
		clReleaseKernel(d->bump);
	if (d->walk)
		clReleaseKernel(d->walk);
	if (d->prog)
		clReleaseProgram(d->prog);
	if (d->q)
		clReleaseCommandQueue(d->q);
	if (d->ctx)
		clReleaseContext(d->ctx);
}

int main(int argc, char **argv)
{
	struct demo d = { .lists = DEFAULT_LISTS };
	double t0 = now_ms();
	unsigned int added = 0;
	int opt;

	while ((opt = getopt(argc, argv, "l:h")) != -1) {
		if (opt == 'l' && atoi(optarg) > 0 && atoi(optarg) <= MAX_LISTS) {
			d.lists = (unsigned int)atoi(optarg);
			continue;
		}
		printf("usage: vsvm-cl-demo [-l LISTS (1..%d)]\n", MAX_LISTS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("vsvm-cl-demo: the same story in OpenCL C, through Mesa's OpenCL (clover) and pipe_vsvm.so\n");

	step(1, "Find the vsvm device and build the kernels");
	if (setup(&d)) {
		d.checks++;
		d.failures++;
		goto out;
	}

	step(2, "The CPU builds linked lists with malloc()");
	if (build_lists(&d)) {
		check(&d, 0, "malloc");
		goto out;
	}

	step(3, "The kernel walks the lists through the CPU's own pointers (fine-grained system SVM)");
	if (gpu_walk(&d))
		goto out;

	step(4, "The CPU checks every node the GPU updated");
	check_lists(&d, 1);

	step(5, "The CPU appends nodes to every list; the kernel walks them again");
	for (unsigned int i = 0; i < d.lists; i++) {
		if (append(&d, i, 1 + i % APPEND_NODES, i % FIRST_NODES)) {
			check(&d, 0, "malloc");
			goto out;
		}
		added += 1 + i % APPEND_NODES;
	}
	printf("  %u new nodes linked in by the CPU, no OpenCL call in between\n",
	       added);
	if (gpu_walk(&d))
		goto out;
	check_lists(&d, 2);

	step(6, "clEnqueueSVMMigrateMem to the device and back");
	migrate_story(&d);
out:
	cleanup(&d);
	printf("\nvsvm-cl-demo: %u checks, %u failed, %.1f ms in all: %s\n", d.checks,
	       d.failures, now_ms() - t0, d.failures ? "FAILED" : "PASSED");
	return d.failures ? 1 : 0;
}
