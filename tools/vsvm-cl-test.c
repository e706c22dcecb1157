// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-cl-test - OpenCL tests of vsvm through Mesa's clover and pipe_vsvm.so
 *
 *   vsvm-cl-test [-l] [TEST...]
 *
 * Runs in the guest (vsvm loaded) with OCL_ICD_VENDORS and
 * GALLIUM_PIPE_SEARCH_DIR set (scripts/run-opencl.sh does it). Each test
 * prints one line "PASS name", "FAIL name: why" or "SKIP name: why";
 * -l lists the tests. Exit status 0 if none failed.
 *
 *   vadd-system-svm   vector add on three malloc'd arrays passed as SVM
 *                     pointers (fine-grained system SVM): the kernel reads
 *                     and writes the process's own heap
 *   vadd-buffer       the same with cl_mem buffers (COPY_HOST_PTR, read
 *                     back with clEnqueueReadBuffer)
 *   vadd-host-ptr     the same with CL_MEM_USE_HOST_PTR buffers, read
 *                     through clEnqueueMapBuffer
 *   vadd-migrate      vector add on clSVMAlloc memory migrated to the
 *                     device (clEnqueueSVMMigrateMem) first and back to
 *                     the host after
 *   list-walk         linked lists built with malloc (pointers inside
 *                     structs) walked by the kernel, which sums the values
 *                     and counts its visits in every node
 */
#define CL_TARGET_OPENCL_VERSION 300
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#include <CL/cl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 1024

static const char *vadd_src =
	"__kernel void vadd(__global const int *a, __global const int *b,\n"
	"		   __global int *c)\n"
	"{\n"
	"	size_t i = get_global_id(0);\n"
	"	c[i] = a[i] + b[i];\n"
	"}\n"
	"struct node {\n"
	"	__global struct node *next;\n"
	"	int value;\n"
	"	int visits;\n"
	"};\n"
	"__kernel void walk(__global const ulong *heads, __global int *out)\n"
	"{\n"
	"	size_t i = get_global_id(0);\n"
	"	int sum = 0;\n"
	"	__global struct node *n = (__global struct node *)heads[i];\n"
	"	for (; n; n = n->next) {\n"
	"		sum += n->value;\n"
	"		n->visits++;\n"
	"	}\n"
	"	out[i] = sum;\n"
	"}\n";

struct node {
	struct node *next;
	int value;
	int visits;
};

struct cl {
	cl_device_id dev;
	cl_context ctx;
	cl_command_queue q;
	cl_program prog;
	cl_kernel vadd;
	cl_kernel walk;
	char why[512];
};

static int cl_setup(struct cl *c)
{
	cl_platform_id plats[8];
	cl_uint np = 0, i;
	cl_int err;
	char name[256], log[8192];

	if (clGetPlatformIDs(8, plats, &np) || !np) {
		snprintf(c->why, sizeof(c->why), "no OpenCL platform");
		return -1;
	}
	for (i = 0; i < np && !c->dev; i++) {
		cl_device_id devs[8];
		cl_uint nd = 0, j;

		if (clGetDeviceIDs(plats[i], CL_DEVICE_TYPE_ALL, 8, devs, &nd))
			continue;
		for (j = 0; j < nd; j++) {
			clGetDeviceInfo(devs[j], CL_DEVICE_NAME, sizeof(name), name, NULL);
			if (!strncmp(name, "vsvm", 4)) {
				c->dev = devs[j];
				break;
			}
		}
	}
	if (!c->dev) {
		snprintf(c->why, sizeof(c->why), "no vsvm OpenCL device");
		return -1;
	}
	c->ctx = clCreateContext(NULL, 1, &c->dev, NULL, NULL, &err);
	if (c->ctx)
		c->q = clCreateCommandQueue(c->ctx, c->dev, 0, &err);
	if (c->q)
		c->prog = clCreateProgramWithSource(c->ctx, 1, &vadd_src, NULL, &err);
	if (c->prog) {
		err = clBuildProgram(c->prog, 1, &c->dev, "", NULL, NULL);
		if (err) {
			clGetProgramBuildInfo(c->prog, c->dev, CL_PROGRAM_BUILD_LOG,
					      sizeof(log), log, NULL);
			snprintf(c->why, sizeof(c->why), "build failed (%d): %.400s",
				 err, log);
			return -1;
		}
		c->vadd = clCreateKernel(c->prog, "vadd", &err);
		if (c->vadd)
			c->walk = clCreateKernel(c->prog, "walk", &err);
	}
	if (!c->walk) {
		snprintf(c->why, sizeof(c->why), "OpenCL setup failed (%d)", err);
		return -1;
	}
	return 0;
}

static void fill(int *a, int *b, int *c)
{
	int i;

	for (i = 0; i < N; i++) {
		a[i] = i * 7 - 300;
		b[i] = 1000 - i * i;
		c[i] = -1;
	}
}

static int check(const int *a, const int *b, const int *c, char *why, size_t len)
{
	int i;

	for (i = 0; i < N; i++) {
		if (c[i] != a[i] + b[i]) {
			snprintf(why, len, "c[%d] = %d, expected %d", i, c[i],
				 a[i] + b[i]);
			return -1;
		}
	}
	return 0;
}

static int run_vadd(struct cl *c, char *why, size_t len)
{
	size_t global = N, local = 64;
	cl_int err;

	err = clEnqueueNDRangeKernel(c->q, c->vadd, 1, NULL, &global, &local, 0,
				     NULL, NULL);
	if (!err)
		err = clFinish(c->q);
	if (err)
		snprintf(why, len, "launch failed (%d)", err);
	return err ? -1 : 0;
}

static int test_vadd_system_svm(struct cl *c, char *why, size_t len)
{
	int *a = malloc(N * sizeof(int)), *b = malloc(N * sizeof(int));
	int *out = malloc(N * sizeof(int));
	int ret = -1;

	if (!a || !b || !out)
		goto out;
	fill(a, b, out);
	if (clSetKernelArgSVMPointer(c->vadd, 0, a) ||
	    clSetKernelArgSVMPointer(c->vadd, 1, b) ||
	    clSetKernelArgSVMPointer(c->vadd, 2, out)) {
		snprintf(why, len, "clSetKernelArgSVMPointer failed");
		goto out;
	}
	if (!run_vadd(c, why, len))
		ret = check(a, b, out, why, len);
out:
	free(a);
	free(b);
	free(out);
	return ret;
}

static int test_vadd_buffer(struct cl *c, char *why, size_t len)
{
	int a[N], b[N], out[N];
	cl_mem m[3] = { 0 };
	cl_int err = 0;
	int i, ret = -1;

	fill(a, b, out);
	m[0] = clCreateBuffer(c->ctx, CL_MEM_COPY_HOST_PTR, sizeof(a), a, &err);
	m[1] = clCreateBuffer(c->ctx, CL_MEM_COPY_HOST_PTR, sizeof(b), b, &err);
	m[2] = clCreateBuffer(c->ctx, CL_MEM_COPY_HOST_PTR, sizeof(out), out, &err);
	for (i = 0; i < 3; i++)
		if (!m[i] || clSetKernelArg(c->vadd, i, sizeof(cl_mem), &m[i])) {
			snprintf(why, len, "buffer setup failed (%d)", err);
			goto out;
		}
	if (run_vadd(c, why, len))
		goto out;
	err = clEnqueueReadBuffer(c->q, m[2], CL_TRUE, 0, sizeof(out), out, 0,
				  NULL, NULL);
	if (err) {
		snprintf(why, len, "clEnqueueReadBuffer failed (%d)", err);
		goto out;
	}
	ret = check(a, b, out, why, len);
out:
	for (i = 0; i < 3; i++)
		if (m[i])
			clReleaseMemObject(m[i]);
	return ret;
}

static int test_vadd_host_ptr(struct cl *c, char *why, size_t len)
{
	static int a[N] __attribute__((aligned(4096)));
	static int b[N] __attribute__((aligned(4096)));
	static int out[N] __attribute__((aligned(4096)));
	cl_mem m[3] = { 0 };
	cl_int err = 0;
	int *p, i, ret = -1;

	fill(a, b, out);
	m[0] = clCreateBuffer(c->ctx, CL_MEM_USE_HOST_PTR, sizeof(a), a, &err);
	m[1] = clCreateBuffer(c->ctx, CL_MEM_USE_HOST_PTR, sizeof(b), b, &err);
	m[2] = clCreateBuffer(c->ctx, CL_MEM_USE_HOST_PTR, sizeof(out), out, &err);
	for (i = 0; i < 3; i++)
		if (!m[i] || clSetKernelArg(c->vadd, i, sizeof(cl_mem), &m[i])) {
			snprintf(why, len, "buffer setup failed (%d)", err);
			goto out;
		}
	if (run_vadd(c, why, len))
		goto out;
	p = clEnqueueMapBuffer(c->q, m[2], CL_TRUE, CL_MAP_READ, 0, sizeof(out),
			       0, NULL, NULL, &err);
	if (!p) {
		snprintf(why, len, "clEnqueueMapBuffer failed (%d)", err);
		goto out;
	}
	ret = check(a, b, p, why, len);
	clEnqueueUnmapMemObject(c->q, m[2], p, 0, NULL, NULL);
	clFinish(c->q);
out:
	for (i = 0; i < 3; i++)
		if (m[i])
			clReleaseMemObject(m[i]);
	return ret;
}

static int test_vadd_migrate(struct cl *c, char *why, size_t len)
{
	/* migration takes clSVMAlloc memory (posix_memalign with system SVM) */
	int *a = clSVMAlloc(c->ctx, CL_MEM_READ_WRITE, N * sizeof(int), 0);
	int *b = clSVMAlloc(c->ctx, CL_MEM_READ_WRITE, N * sizeof(int), 0);
	int *out = clSVMAlloc(c->ctx, CL_MEM_READ_WRITE, N * sizeof(int), 0);
	const void *ptrs[3] = { a, b, out };
	size_t sizes[3] = { N * sizeof(int), N * sizeof(int), N * sizeof(int) };
	cl_int err;
	int ret = -1;

	if (!a || !b || !out) {
		snprintf(why, len, "clSVMAlloc failed");
		goto out;
	}
	fill(a, b, out);
	err = clEnqueueSVMMigrateMem(c->q, 3, ptrs, sizes, 0, 0, NULL, NULL);
	if (err) {
		snprintf(why, len, "clEnqueueSVMMigrateMem to the device: %d", err);
		goto out;
	}
	if (clSetKernelArgSVMPointer(c->vadd, 0, a) ||
	    clSetKernelArgSVMPointer(c->vadd, 1, b) ||
	    clSetKernelArgSVMPointer(c->vadd, 2, out)) {
		snprintf(why, len, "clSetKernelArgSVMPointer failed");
		goto out;
	}
	if (run_vadd(c, why, len))
		goto out;
	err = clEnqueueSVMMigrateMem(c->q, 3, ptrs, sizes,
				     CL_MIGRATE_MEM_OBJECT_HOST, 0, NULL, NULL);
	if (!err)
		err = clFinish(c->q);
	if (err) {
		snprintf(why, len, "clEnqueueSVMMigrateMem to the host: %d", err);
		goto out;
	}
	ret = check(a, b, out, why, len);
out:
	if (a)
		clSVMFree(c->ctx, a);
	if (b)
		clSVMFree(c->ctx, b);
	if (out)
		clSVMFree(c->ctx, out);
	return ret;
}

#define LISTS 64

static int test_list_walk(struct cl *c, char *why, size_t len)
{
	struct node *nodes[LISTS][8] = { { NULL } };
	unsigned long long *heads = calloc(LISTS, sizeof(*heads));
	int *out = malloc(LISTS * sizeof(int)), expect[LISTS];
	size_t global = LISTS, local = 16;
	int i, k, n, ret = -1;
	cl_int err;

	if (!heads || !out)
		goto out;
	for (i = 0; i < LISTS; i++) {
		n = i % 8;	/* list i has i % 8 nodes, some lists are empty */
		expect[i] = 0;
		out[i] = -1;
		for (k = 0; k < n; k++) {
			nodes[i][k] = malloc(sizeof(struct node));
			if (!nodes[i][k])
				goto out;
			nodes[i][k]->value = i * 100 + k;
			nodes[i][k]->visits = 0;
			expect[i] += i * 100 + k;
		}
		for (k = 0; k < n; k++)
			nodes[i][k]->next = k + 1 < n ? nodes[i][k + 1] : NULL;
		heads[i] = n ? (unsigned long long)(uintptr_t)nodes[i][0] : 0;
	}
	if (clSetKernelArgSVMPointer(c->walk, 0, heads) ||
	    clSetKernelArgSVMPointer(c->walk, 1, out)) {
		snprintf(why, len, "clSetKernelArgSVMPointer failed");
		goto out;
	}
	err = clEnqueueNDRangeKernel(c->q, c->walk, 1, NULL, &global, &local, 0,
				     NULL, NULL);
	if (!err)
		err = clFinish(c->q);
	if (err) {
		snprintf(why, len, "launch failed (%d)", err);
		goto out;
	}
	for (i = 0; i < LISTS; i++) {
		if (out[i] != expect[i]) {
			snprintf(why, len, "list %d: sum %d, expected %d", i,
				 out[i], expect[i]);
			goto out;
		}
		for (k = 0; k < i % 8; k++)
			if (nodes[i][k]->visits != 1) {
				snprintf(why, len, "list %d node %d visited %d times",
					 i, k, nodes[i][k]->visits);
				goto out;
			}
	}
	ret = 0;
out:
	for (i = 0; i < LISTS; i++)
		for (k = 0; k < 8; k++)
			free(nodes[i][k]);
	free(heads);
	free(out);
	return ret;
}

static const struct {
	const char *name;
	int (*fn)(struct cl *c, char *why, size_t len);
} tests[] = {
	{ "vadd-system-svm", test_vadd_system_svm },
	{ "vadd-buffer", test_vadd_buffer },
	{ "vadd-host-ptr", test_vadd_host_ptr },
	{ "vadd-migrate", test_vadd_migrate },
	{ "list-walk", test_list_walk },
};

#define NTESTS (sizeof(tests) / sizeof(tests[0]))

static int wanted(int argc, char **argv, const char *name)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct cl c = { 0 };
	char why[512];
	unsigned int i;
	int failed = 0, setup;

	if (argc > 1 && !strcmp(argv[1], "-l")) {
		for (i = 0; i < NTESTS; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	setup = cl_setup(&c);
	for (i = 0; i < NTESTS; i++) {
		if (!wanted(argc, argv, tests[i].name))
			continue;
		if (setup) {
			printf("FAIL %s: %s\n", tests[i].name, c.why);
			failed = 1;
			continue;
		}
		why[0] = '\0';
		if (tests[i].fn(&c, why, sizeof(why))) {
			printf("FAIL %s: %s\n", tests[i].name, why);
			failed = 1;
		} else {
			printf("PASS %s\n", tests[i].name);
		}
		fflush(stdout);
	}
	if (c.walk)
		clReleaseKernel(c.walk);
	if (c.vadd)
		clReleaseKernel(c.vadd);
	if (c.prog)
		clReleaseProgram(c.prog);
	if (c.q)
		clReleaseCommandQueue(c.q);
	if (c.ctx)
		clReleaseContext(c.ctx);
	return failed;
}
