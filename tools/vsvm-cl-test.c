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
 *
 * Work-group tests (ISA v3: the driver launches them as work-group jobs):
 *
 *   reduce-local      per-group sums of 4096 ints in a tree reduction over a
 *                     __local argument, with barrier() between the steps
 *   reduce-static     the same with a static __local array in the kernel
 *                     plus a __local argument after it
 *   ids-2d            a 2-D NDRange (24 x 12 in groups of 4 x 3) writes
 *                     get_group_id, get_local_id, get_global_id and the
 *                     sizes of every work-item; all are checked
 *   private-array     each work-item fills a private int[32] and reads it
 *                     back in a data-dependent order (scratch memory)
 *   atomic-race       work-items atomic_add() on a malloc'd counter while a
 *                     host thread increments the same counter with CPU
 *                     atomics: no increment may be lost
 *   remap             vector add on mmap()ed arrays; one is munmap()ed and
 *                     a new mapping with other data placed at the same
 *                     address, another realloc()ed to a new place; the
 *                     next launch must see the new memory, not stale pages
 *
 * Errors and accuracy:
 *
 *   fault-error       vector add reading an unmapped address: the job
 *                     faults and the application sees it as
 *                     CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST from
 *                     clWaitForEvents and from clFinish (polling the event
 *                     says CL_COMPLETE: gallium/vsvm_fence.c); the output
 *                     stays untouched and the next launch on the same
 *                     queue computes the right sums
 *   math-ulp          sin, cos, exp, log, sqrt and pow on floats, compared
 *                     with libm (in double) within OpenCL 1.2's ulp limits
 */
#define CL_TARGET_OPENCL_VERSION 300
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#include <CL/cl.h>
#include <math.h>
#include <pthread.h>
#include <sys/mman.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vsvm-cl-device.h"

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

static const char *wg_src =
	"__kernel void reduce(__global const int *in, __global int *out,\n"
	"		     __local int *tmp)\n"
	"{\n"
	"	uint l = get_local_id(0), n = get_local_size(0);\n"
	"	tmp[l] = in[get_global_id(0)];\n"
	"	barrier(CLK_LOCAL_MEM_FENCE);\n"
	"	for (uint s = n / 2; s > 0; s >>= 1) {\n"
	"		if (l < s)\n"
	"			tmp[l] += tmp[l + s];\n"
	"		barrier(CLK_LOCAL_MEM_FENCE);\n"
	"	}\n"
	"	if (l == 0)\n"
	"		out[get_group_id(0)] = tmp[0];\n"
	"}\n"
	"__kernel void reduce_static(__global const int *in, __global int *out,\n"
	"			    __local int *flag)\n"
	"{\n"
	"	__local int tmp[64];\n"
	"	uint l = get_local_id(0);\n"
	"	tmp[l] = in[get_global_id(0)];\n"
	"	if (l == 0)\n"
	"		flag[0] = (int)get_group_id(0) * 3;\n"
	"	barrier(CLK_LOCAL_MEM_FENCE);\n"
	"	for (uint s = 32; s > 0; s >>= 1) {\n"
	"		if (l < s)\n"
	"			tmp[l] += tmp[l + s];\n"
	"		barrier(CLK_LOCAL_MEM_FENCE);\n"
	"	}\n"
	"	if (l == 0)\n"
	"		out[get_group_id(0)] = tmp[0] + flag[0];\n"
	"}\n"
	"__kernel void ids(__global uint *out)\n"
	"{\n"
	"	size_t x = get_global_id(0), y = get_global_id(1);\n"
	"	__global uint *o = out + (y * get_global_size(0) + x) * 4;\n"
	"	o[0] = (uint)(get_group_id(1) << 16 | get_group_id(0));\n"
	"	o[1] = (uint)(get_local_id(1) << 16 | get_local_id(0));\n"
	"	o[2] = (uint)(get_local_size(1) << 16 | get_local_size(0));\n"
	"	o[3] = (uint)(get_num_groups(1) << 16 | get_num_groups(0));\n"
	"}\n"
	"__kernel void priv(__global const int *in, __global int *out, int n)\n"
	"{\n"
	"	int a[32];\n"
	"	int g = (int)get_global_id(0), s = 0;\n"
	"	for (int i = 0; i < 32; i++)\n"
	"		a[(i * 7 + in[g]) & 31] = in[(g + i) % n] * (i + 1);\n"
	"	for (int i = 0; i < 32; i++)\n"
	"		s = s * 3 + a[(in[g] + i * 5) & 31];\n"
	"	out[g] = s;\n"
	"}\n"
	"";

/*
 * Built on its own with -no-opaque-pointers: Debian's clover (clang and
 * llvm-spirv 15, opaque pointers by default) aborts on the legacy atomic_*
 * builtins otherwise ("Attempting to get element type of opaque pointer").
 */
static const char *atomic_src =
	"__kernel void count(__global int *counter, int iters)\n"
	"{\n"
	"	for (int i = 0; i < iters; i++)\n"
	"		atomic_add(counter, 1);\n"
	"}\n";
#define ATOMIC_BUILD_OPTIONS "-no-opaque-pointers"

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
	cl_program wg;		/* work-group kernels (ISA v3) */
	char wg_why[512];	/* why wg did not build */
	char why[512];
};

static int cl_setup(struct cl *c)
{
	cl_int err;
	char name[256], log[8192];

	c->dev = vsvm_cl_find_device(NULL, name, sizeof(name));
	if (!c->dev) {
		snprintf(c->why, sizeof(c->why), "%s", name);
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
	/* a second program: its failure fails only the work-group tests */
	c->wg = clCreateProgramWithSource(c->ctx, 1, &wg_src, NULL, &err);
	if (c->wg) {
		err = clBuildProgram(c->wg, 1, &c->dev, "", NULL, NULL);
		if (err) {
			clGetProgramBuildInfo(c->wg, c->dev, CL_PROGRAM_BUILD_LOG,
					      sizeof(log), log, NULL);
			snprintf(c->wg_why, sizeof(c->wg_why),
				 "build failed (%d): %.400s", err, log);
			clReleaseProgram(c->wg);
			c->wg = NULL;
		}
	} else {
		snprintf(c->wg_why, sizeof(c->wg_why),
			 "clCreateProgramWithSource failed (%d)", err);
	}
	return 0;
}

/* a kernel of the work-group program, or NULL with the reason in why */
static cl_kernel wg_kernel(struct cl *c, const char *name, char *why,
			   size_t len)
{
	cl_kernel k;
	cl_int err;

	if (!c->wg) {
		snprintf(why, len, "%s", c->wg_why);
		return NULL;
	}
	k = clCreateKernel(c->wg, name, &err);
	if (!k)
		snprintf(why, len, "clCreateKernel(%s) failed (%d)", name, err);
	return k;
}

static int enqueue(struct cl *c, cl_kernel k, cl_uint dim, const size_t *global,
		   const size_t *local, char *why, size_t len)
{
	cl_int err;

	err = clEnqueueNDRangeKernel(c->q, k, dim, NULL, global, local, 0, NULL,
				     NULL);
	if (!err)
		err = clFinish(c->q);
	if (err)
		snprintf(why, len, "launch failed (%d)", err);
	return err ? -1 : 0;
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

/* Buffers over @a, @b, @out made with @flags, bound as vadd's arguments. */
static int vadd_buffers(struct cl *c, cl_mem_flags flags, int *a, int *b, int *out,
			cl_mem m[3], char *why, size_t len)
{
	int *host[3] = { a, b, out };
	cl_int err = 0;

	for (int i = 0; i < 3; i++) {
		m[i] = clCreateBuffer(c->ctx, flags, N * sizeof(int), host[i], &err);
		if (!m[i] || clSetKernelArg(c->vadd, i, sizeof(cl_mem), &m[i])) {
			snprintf(why, len, "buffer setup failed (%d)", err);
			return -1;
		}
	}
	return 0;
}

static int test_vadd_buffer(struct cl *c, char *why, size_t len)
{
	int a[N], b[N], out[N];
	cl_mem m[3] = { 0 };
	cl_int err = 0;
	int i, ret = -1;

	fill(a, b, out);
	if (vadd_buffers(c, CL_MEM_COPY_HOST_PTR, a, b, out, m, why, len) ||
	    run_vadd(c, why, len))
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
	if (vadd_buffers(c, CL_MEM_USE_HOST_PTR, a, b, out, m, why, len) ||
	    run_vadd(c, why, len))
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

#define RN 4096

static int reduce_common(struct cl *c, const char *kname, size_t group,
			 size_t local_arg, int flag, char *why, size_t len)
{
	cl_kernel k = wg_kernel(c, kname, why, len);
	int *in = malloc(RN * sizeof(int));
	int *out = malloc(RN / group * sizeof(int));
	size_t global = RN, g, i;
	int ret = -1;

	if (!k || !in || !out)
		goto out;
	for (i = 0; i < RN; i++)
		in[i] = (int)((i * 2654435761u) >> 20) - 2000;
	for (g = 0; g < RN / group; g++)
		out[g] = 0x5a5a5a5a;
	if (clSetKernelArgSVMPointer(k, 0, in) ||
	    clSetKernelArgSVMPointer(k, 1, out) ||
	    clSetKernelArg(k, 2, local_arg, NULL)) {
		snprintf(why, len, "setting the arguments failed");
		goto out;
	}
	if (enqueue(c, k, 1, &global, &group, why, len))
		goto out;
	for (g = 0; g < RN / group; g++) {
		int sum = flag ? (int)g * 3 : 0;

		for (i = 0; i < group; i++)
			sum += in[g * group + i];
		if (out[g] != sum) {
			snprintf(why, len, "group %zu: sum %d, expected %d", g,
				 out[g], sum);
			goto out;
		}
	}
	ret = 0;
out:
	if (k)
		clReleaseKernel(k);
	free(in);
	free(out);
	return ret;
}

static int test_reduce_local(struct cl *c, char *why, size_t len)
{
	return reduce_common(c, "reduce", 128, 128 * sizeof(int), 0, why, len);
}

static int test_reduce_static(struct cl *c, char *why, size_t len)
{
	return reduce_common(c, "reduce_static", 64, sizeof(int), 1, why, len);
}

#define IDX 24
#define IDY 12

static int test_ids_2d(struct cl *c, char *why, size_t len)
{
	cl_kernel k = wg_kernel(c, "ids", why, len);
	size_t global[2] = { IDX, IDY }, local[2] = { 4, 3 };
	unsigned int *out = malloc(IDX * IDY * 4 * sizeof(*out));
	unsigned int x, y, e[4];
	int ret = -1, i;

	if (!k || !out)
		goto out;
	memset(out, 0xff, IDX * IDY * 4 * sizeof(*out));
	if (clSetKernelArgSVMPointer(k, 0, out)) {
		snprintf(why, len, "clSetKernelArgSVMPointer failed");
		goto out;
	}
	if (enqueue(c, k, 2, global, local, why, len))
		goto out;
	for (y = 0; y < IDY; y++)
		for (x = 0; x < IDX; x++) {
			const unsigned int *o = out + (y * IDX + x) * 4;

			e[0] = (y / 3) << 16 | x / 4;
			e[1] = (y % 3) << 16 | x % 4;
			e[2] = 3u << 16 | 4;
			e[3] = (IDY / 3) << 16 | IDX / 4;
			for (i = 0; i < 4; i++)
				if (o[i] != e[i]) {
					snprintf(why, len, "item (%u,%u) value %d: %#x, expected %#x",
						 x, y, i, o[i], e[i]);
					goto out;
				}
		}
	ret = 0;
out:
	if (k)
		clReleaseKernel(k);
	free(out);
	return ret;
}

#define PN 256

static int test_private_array(struct cl *c, char *why, size_t len)
{
	cl_kernel k = wg_kernel(c, "priv", why, len);
	int *in = malloc(PN * sizeof(int)), *out = malloc(PN * sizeof(int));
	size_t global = PN, local = 32;
	int ret = -1, n = PN, g, i;

	if (!k || !in || !out)
		goto out;
	for (i = 0; i < PN; i++) {
		in[i] = (i * 37 + 11) % 101;
		out[i] = 0;
	}
	if (clSetKernelArgSVMPointer(k, 0, in) ||
	    clSetKernelArgSVMPointer(k, 1, out) ||
	    clSetKernelArg(k, 2, sizeof(n), &n)) {
		snprintf(why, len, "setting the arguments failed");
		goto out;
	}
	if (enqueue(c, k, 1, &global, &local, why, len))
		goto out;
	for (g = 0; g < PN; g++) {
		int a[32];
		unsigned int s = 0;

		for (i = 0; i < 32; i++)
			a[(i * 7 + in[g]) & 31] = in[(g + i) % n] * (i + 1);
		for (i = 0; i < 32; i++)
			s = s * 3 + (unsigned int)a[(in[g] + i * 5) & 31];
		if (out[g] != (int)s) {
			snprintf(why, len, "item %d: %d, expected %d", g, out[g],
				 (int)s);
			goto out;
		}
	}
	ret = 0;
out:
	if (k)
		clReleaseKernel(k);
	free(in);
	free(out);
	return ret;
}

#define RACE_ITEMS 64
#define RACE_ITERS 64
#define RACE_CPU 200000

struct race {
	int *counter;
	int started;		/* the host thread runs */
};

static void *race_thread(void *arg)
{
	struct race *r = arg;
	int i;

	__atomic_store_n(&r->started, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < RACE_CPU; i++)
		__atomic_fetch_add(r->counter, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static int test_atomic_race(struct cl *c, char *why, size_t len)
{
	struct race r = { malloc(sizeof(int)), 0 };
	size_t global = RACE_ITEMS, local = 16;
	int iters = RACE_ITERS, ret = -1, expect;
	cl_program p;
	cl_kernel k = NULL;
	cl_int err;
	pthread_t t;
	char log[2048];

	p = clCreateProgramWithSource(c->ctx, 1, &atomic_src, NULL, &err);
	if (!p) {
		snprintf(why, len, "clCreateProgramWithSource failed (%d)", err);
		goto out;
	}
	err = clBuildProgram(p, 1, &c->dev, ATOMIC_BUILD_OPTIONS, NULL, NULL);
	if (err) {
		clGetProgramBuildInfo(p, c->dev, CL_PROGRAM_BUILD_LOG, sizeof(log),
				      log, NULL);
		snprintf(why, len, "build failed (%d): %.400s", err, log);
		goto out;
	}
	k = clCreateKernel(p, "count", &err);
	if (!k || !r.counter) {
		snprintf(why, len, "clCreateKernel failed (%d)", err);
		goto out;
	}
	*r.counter = 0;
	if (clSetKernelArgSVMPointer(k, 0, r.counter) ||
	    clSetKernelArg(k, 1, sizeof(iters), &iters)) {
		snprintf(why, len, "setting the arguments failed");
		goto out;
	}
	if (pthread_create(&t, NULL, race_thread, &r)) {
		snprintf(why, len, "pthread_create failed");
		goto out;
	}
	while (!__atomic_load_n(&r.started, __ATOMIC_SEQ_CST))
		;
	ret = enqueue(c, k, 1, &global, &local, why, len);
	pthread_join(t, NULL);
	if (ret)
		goto out;
	expect = RACE_ITEMS * RACE_ITERS + RACE_CPU;
	if (*r.counter != expect) {
		snprintf(why, len, "counter %d, expected %d", *r.counter, expect);
		ret = -1;
	}
out:
	if (k)
		clReleaseKernel(k);
	if (p)
		clReleaseProgram(p);
	free(r.counter);
	return ret;
}

static int test_remap(struct cl *c, char *why, size_t len)
{
	size_t sz = N * sizeof(int);
	int *a = mmap(NULL, sz, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int *b = malloc(sz), *out = malloc(sz), *a2 = MAP_FAILED, *nb;
	int ret = -1, round;

	if (a == MAP_FAILED || !b || !out)
		goto out;
	fill(a, b, out);
	for (round = 0; round < 3; round++) {
		if (clSetKernelArgSVMPointer(c->vadd, 0, a) ||
		    clSetKernelArgSVMPointer(c->vadd, 1, b) ||
		    clSetKernelArgSVMPointer(c->vadd, 2, out)) {
			snprintf(why, len, "clSetKernelArgSVMPointer failed");
			goto out;
		}
		if (run_vadd(c, why, len) || check(a, b, out, why, len)) {
			size_t l = strlen(why);

			snprintf(why + l, len - l, " (round %d)", round);
			goto out;
		}
		if (round == 0) {
			/* a new mapping at the same address, other data */
			if (munmap(a, sz))
				goto out;
			a2 = mmap(a, sz, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS |
				  MAP_FIXED_NOREPLACE, -1, 0);
			if (a2 != a) {
				snprintf(why, len, "cannot map again at %p", (void *)a);
				a = a2 == MAP_FAILED ? NULL : a2;
				goto out;
			}
			for (int i = 0; i < N; i++)
				a[i] = 5 * i + 17;
		} else if (round == 1) {
			/* b grows and moves; its old pages go back to malloc */
			nb = realloc(b, 64 * sz);
			if (!nb)
				goto out;
			b = nb;
			for (int i = 0; i < N; i++)
				b[i] = -3 * i;
			memset(out, 0, sz);
		}
	}
	ret = 0;
out:
	if (a && a != MAP_FAILED)
		munmap(a, sz);
	free(b);
	free(out);
	return ret;
}

/*
 * fault-error: a kernel that reads an address nothing is mapped at. The
 * launch itself succeeds (clover submits at enqueue time); the failure must
 * reach the application when it waits, and the queue must stay usable.
 */
static int test_fault_error(struct cl *c, char *why, size_t len)
{
	long page = 4096;
	int *a = malloc(N * sizeof(int)), *b = malloc(N * sizeof(int));
	int *out = malloc(N * sizeof(int));
	size_t global = N, local = 64;
	cl_event ev = NULL;
	cl_int err, st = 0;
	void *hole;
	int ret = -1, i;

	hole = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED || !a || !b || !out) {
		snprintf(why, len, "out of memory");
		hole = NULL;
		goto out;
	}
	munmap(hole, 4 * page);	/* nothing is mapped there now */
	fill(a, b, out);
	if (clSetKernelArgSVMPointer(c->vadd, 0, hole) ||
	    clSetKernelArgSVMPointer(c->vadd, 1, b) ||
	    clSetKernelArgSVMPointer(c->vadd, 2, out)) {
		snprintf(why, len, "clSetKernelArgSVMPointer failed");
		goto out;
	}
	/* 1: the error through clWaitForEvents */
	err = clEnqueueNDRangeKernel(c->q, c->vadd, 1, NULL, &global, &local,
				     0, NULL, &ev);
	if (err) {
		snprintf(why, len, "enqueue failed (%d), expected to succeed", err);
		goto out;
	}
	err = clWaitForEvents(1, &ev);
	if (err != CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST) {
		snprintf(why, len, "clWaitForEvents returned %d after a faulting kernel, expected %d",
			 err, CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
		goto out;
	}
	err = clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(st),
			     &st, NULL);
	if (err || st != CL_COMPLETE) {
		snprintf(why, len, "event status %d (err %d), expected CL_COMPLETE",
			 st, err);
		goto out;
	}
	/* 2: the error through clFinish */
	err = clEnqueueNDRangeKernel(c->q, c->vadd, 1, NULL, &global, &local,
				     0, NULL, NULL);
	if (!err)
		err = clFinish(c->q);
	if (err != CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST) {
		snprintf(why, len, "clFinish returned %d after a faulting kernel, expected %d",
			 err, CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
		goto out;
	}
	/* every lane read the hole before writing: nothing was written */
	for (i = 0; i < N; i++) {
		if (out[i] != -1) {
			snprintf(why, len, "out[%d] = %d was written by a faulting kernel",
				 i, out[i]);
			goto out;
		}
	}
	/* 3: the queue still works, and the error was reported once */
	if (clSetKernelArgSVMPointer(c->vadd, 0, a)) {
		snprintf(why, len, "clSetKernelArgSVMPointer failed");
		goto out;
	}
	if (run_vadd(c, why, len))
		goto out;
	ret = check(a, b, out, why, len);
out:
	if (ev)
		clReleaseEvent(ev);
	free(a);
	free(b);
	free(out);
	return ret;
}

/* math-ulp: one kernel, one function per 'op', inputs and results in SVM */
static const char *math_src =
	"__kernel void m(int op, __global const float *x,\n"
	"		__global const float *y, __global float *r)\n"
	"{\n"
	"	size_t i = get_global_id(0);\n"
	"	float a = x[i], v;\n"
	"	switch (op) {\n"
	"	case 0: v = sin(a); break;\n"
	"	case 1: v = cos(a); break;\n"
	"	case 2: v = exp(a); break;\n"
	"	case 3: v = log(a); break;\n"
	"	case 4: v = sqrt(a); break;\n"
	"	default: v = pow(a, y[i]); break;\n"
	"	}\n"
	"	r[i] = v;\n"
	"}\n";

#define MN 512

/* ulps between float @got and the exact @ref, in units of ref's float ulp */
static double ulps(float got, double ref)
{
	int e;

	if (isnan(ref) || isnan(got))
		return isnan(ref) && isnan(got) ? 0 : INFINITY;
	if (isinf(ref) || isinf(got))
		return (double)got == ref ? 0 : INFINITY;
	frexp(ref, &e);		/* |ref| in [2^(e-1), 2^e) */
	if (e - 1 < -126)
		e = -125;	/* denormal range: fixed ulp 2^-149 */
	return fabs((double)got - ref) / ldexp(1.0, e - 1 - 23);
}

static int test_math_ulp(struct cl *c, char *why, size_t len)
{
	static const struct {
		const char *name;
		double lo, hi, max_ulp;	/* OpenCL 1.2, 7.4, single precision */
	} ops[] = {
		{ "sin", -100, 100, 4 },
		{ "cos", -100, 100, 4 },
		{ "exp", -80, 80, 3 },
		{ "log", 1e-30, 1e30, 3 },
		{ "sqrt", 0, 1e30, 3 },
		{ "pow", 0.01, 50, 16 },
	};
	float *x = malloc(MN * sizeof(float)), *y = malloc(MN * sizeof(float));
	float *r = malloc(MN * sizeof(float));
	size_t global = MN, local = 64;
	cl_program p = NULL;
	cl_kernel k = NULL;
	unsigned int seed = 12345;
	char blog[4096];
	cl_int err;
	int ret = -1, op, i;

	if (!x || !y || !r)
		goto out;
	p = clCreateProgramWithSource(c->ctx, 1, &math_src, NULL, &err);
	if (!p || clBuildProgram(p, 1, &c->dev, "", NULL, NULL)) {
		blog[0] = 0;
		if (p)
			clGetProgramBuildInfo(p, c->dev, CL_PROGRAM_BUILD_LOG,
					      sizeof(blog), blog, NULL);
		snprintf(why, len, "build failed: %.400s", blog);
		goto out;
	}
	k = clCreateKernel(p, "m", &err);
	if (!k) {
		snprintf(why, len, "clCreateKernel failed (%d)", err);
		goto out;
	}
	for (op = 0; op < (int)(sizeof(ops) / sizeof(ops[0])); op++) {
		double worst = 0;
		int wi = 0;

		for (i = 0; i < MN; i++) {
			double t;

			seed = seed * 1103515245 + 12345;
			t = (seed >> 8) / 16777216.0;
			/* log and sqrt: spread over the exponents */
			if (op == 3 || op == 4)
				x[i] = (float)(ops[op].lo > 0 ?
					exp(log(ops[op].lo) + t * (log(ops[op].hi) - log(ops[op].lo))) :
					exp(t * log(ops[op].hi)) - 1);
			else
				x[i] = (float)(ops[op].lo + t * (ops[op].hi - ops[op].lo));
			seed = seed * 1103515245 + 12345;
			y[i] = (float)(-8 + 16 * ((seed >> 8) / 16777216.0));
			r[i] = NAN;
		}
		x[0] = op == 3 ? 1.0f : 0.0f;	/* exact points too */
		if (clSetKernelArg(k, 0, sizeof(op), &op) ||
		    clSetKernelArgSVMPointer(k, 1, x) ||
		    clSetKernelArgSVMPointer(k, 2, y) ||
		    clSetKernelArgSVMPointer(k, 3, r)) {
			snprintf(why, len, "setting the arguments failed");
			goto out;
		}
		if (enqueue(c, k, 1, &global, &local, why, len))
			goto out;
		for (i = 0; i < MN; i++) {
			double ref, u;

			switch (op) {
			case 0: ref = sin(x[i]); break;
			case 1: ref = cos(x[i]); break;
			case 2: ref = exp(x[i]); break;
			case 3: ref = log(x[i]); break;
			case 4: ref = sqrt(x[i]); break;
			default: ref = pow(x[i], y[i]); break;
			}
			u = ulps(r[i], ref);
			if (u > worst) {
				worst = u;
				wi = i;
			}
		}
		printf("math-ulp: %-4s worst %.2f ulp (limit %.0f) at x=%a y=%a\n",
		       ops[op].name, worst, ops[op].max_ulp, x[wi], y[wi]);
		if (worst > ops[op].max_ulp) {
			snprintf(why, len, "%s(%a%s%a) = %a, libm %a: %.2f ulp > %.0f",
				 ops[op].name, x[wi], op == 5 ? ", " : "",
				 op == 5 ? y[wi] : 0.0, r[wi],
				 op == 0 ? sin(x[wi]) : op == 1 ? cos(x[wi]) :
				 op == 2 ? exp(x[wi]) : op == 3 ? log(x[wi]) :
				 op == 4 ? sqrt(x[wi]) : pow(x[wi], y[wi]),
				 worst, ops[op].max_ulp);
			goto out;
		}
	}
	ret = 0;
out:
	if (k)
		clReleaseKernel(k);
	if (p)
		clReleaseProgram(p);
	free(x);
	free(y);
	free(r);
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
	{ "reduce-local", test_reduce_local },
	{ "reduce-static", test_reduce_static },
	{ "ids-2d", test_ids_2d },
	{ "private-array", test_private_array },
	{ "atomic-race", test_atomic_race },
	{ "remap", test_remap },
	{ "fault-error", test_fault_error },
	{ "math-ulp", test_math_ulp },
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
	if (c.wg)
		clReleaseProgram(c.wg);
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
