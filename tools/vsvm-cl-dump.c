// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-cl-dump - capture the serialized NIR that Mesa's OpenCL (clover)
 * hands pipe_vsvm.so for each of a set of OpenCL C kernels.
 *
 *   vsvm-cl-dump [-o DIR] KERNEL.cl...
 *
 * Run in the guest with vsvm loaded, GALLIUM_PIPE_SEARCH_DIR pointing at
 * build/gallium and OCL_ICD_VENDORS at clover's ICD file. For each file
 * NAME.cl, which holds one kernel called NAME, the tool builds it through
 * clover, sets its arguments as the file's header says and enqueues it once,
 * with VSVM_DUMP_NIR set so that the driver writes the blob clover gives it;
 * the blob is stored as DIR/NAME.nir (DIR defaults to the .cl file's
 * directory). The launch itself may fail (without the compiler the driver
 * refuses the kernel); only the blob matters here.
 *
 * Header lines of a .cl file:
 *   // vsvm-args: KIND...      one per argument: buf (a 4 KiB buffer of
 *                              small integers), svm (a malloc'd, zeroed
 *                              4 KiB block passed as an SVM pointer),
 *                              local:N (N bytes of __local), i32, u32, f32
 *   // vsvm-launch: GLOBAL LOCAL   1-D launch size and work-group size
 *
 * Exit status: 0 if every kernel produced a blob, 1 otherwise.
 */
#define CL_TARGET_OPENCL_VERSION 300
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#define _GNU_SOURCE
#include <CL/cl.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vsvm-cl-device.h"

#define VSVM_CL_BUF_SIZE	4096

struct dump {
	cl_context ctx;
	cl_command_queue queue;
	cl_device_id dev;
	char tmpdir[4096];
	unsigned int next;	/* next blob number the driver will write */
};

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int find_device(struct dump *d)
{
	cl_int err;
	char name[256];

	d->dev = vsvm_cl_find_device(NULL, name, sizeof(name));
	if (!d->dev) {
		fprintf(stderr, "vsvm-cl-dump: %s\n", name);
		return -1;
	}
	d->ctx = clCreateContext(NULL, 1, &d->dev, NULL, NULL, &err);
	if (!d->ctx)
		return -1;
	d->queue = clCreateCommandQueue(d->ctx, d->dev, 0, &err);
	if (!d->queue)
		return -1;
	printf("vsvm-cl-dump: device \"%s\"\n", name);
	return 0;
}

static const char *header(const char *src, const char *key)
{
	const char *p = strstr(src, key);

	return p ? p + strlen(key) : NULL;
}

static int set_args(struct dump *d, cl_kernel k, const char *header_line,
		    cl_mem *bufs, void **svm, unsigned int *nbufs,
		    unsigned int *nsvm)
{
	char kind[32], line[256];
	const char *spec = line;
	cl_uint idx = 0;
	int n, i;
	cl_int err = CL_SUCCESS;

	if (!header_line)
		return CL_SUCCESS;
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(header_line, "\n"),
		 header_line);
	while (sscanf(spec, " %31s%n", kind, &n) == 1) {
		spec += n;
		if (!strcmp(kind, "buf")) {
			int init[VSVM_CL_BUF_SIZE / 4];

			for (i = 0; i < VSVM_CL_BUF_SIZE / 4; i++)
				init[i] = i % 13 + 1;
			bufs[*nbufs] = clCreateBuffer(d->ctx, CL_MEM_READ_WRITE |
						      CL_MEM_COPY_HOST_PTR,
						      sizeof(init), init, &err);
			if (!bufs[*nbufs])
				return err;
			err = clSetKernelArg(k, idx, sizeof(cl_mem), &bufs[*nbufs]);
			(*nbufs)++;
		} else if (!strcmp(kind, "svm")) {
			svm[*nsvm] = calloc(1, VSVM_CL_BUF_SIZE);
			err = clSetKernelArgSVMPointer(k, idx, svm[*nsvm]);
			(*nsvm)++;
		} else if (!strncmp(kind, "local:", 6)) {
			err = clSetKernelArg(k, idx, strtoul(kind + 6, NULL, 0), NULL);
		} else if (!strcmp(kind, "i32") || !strcmp(kind, "u32")) {
			cl_int v = 4;

			err = clSetKernelArg(k, idx, sizeof(v), &v);
		} else if (!strcmp(kind, "f32")) {
			cl_float v = 2.0f;

			err = clSetKernelArg(k, idx, sizeof(v), &v);
		} else {
			fprintf(stderr, "vsvm-cl-dump: unknown argument kind %s\n", kind);
			return CL_INVALID_VALUE;
		}
		if (err)
			return err;
		if (*nbufs >= 16 || *nsvm >= 16)
			return CL_INVALID_VALUE;
		idx++;
	}
	return CL_SUCCESS;
}

/* rename(), or copy and unlink across file systems */
static int move_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in, *out;
	size_t n;
	int ret = 0;

	if (!rename(from, to))
		return 0;
	if (errno != EXDEV)
		return -1;
	in = fopen(from, "rb");
	if (!in)
		return -1;
	out = fopen(to, "wb");
	if (!out) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			ret = -1;
	if (ferror(in))
		ret = -1;
	fclose(in);
	if (fclose(out))
		ret = -1;
	if (!ret)
		unlink(from);
	return ret;
}

/* Move the blobs the driver wrote since the last kernel to DIR/NAME.nir. */
static int collect(struct dump *d, const char *outdir, const char *name)
{
	char from[8192], to[8192];
	int found = 0;

	for (;;) {
		snprintf(from, sizeof(from), "%s/%u.nir", d->tmpdir, d->next);
		if (access(from, F_OK))
			break;
		if (found)
			snprintf(to, sizeof(to), "%s/%s.%d.nir", outdir, name, found);
		else
			snprintf(to, sizeof(to), "%s/%s.nir", outdir, name);
		if (move_file(from, to)) {
			fprintf(stderr, "vsvm-cl-dump: moving %s to %s: %s\n",
				from, to, strerror(errno));
			return -1;
		}
		d->next++;
		found++;
	}
	return found;
}

static int dump_one(struct dump *d, const char *path, const char *outdir)
{
	char *src = read_file(path), *base, *dot, name[256], log[16384];
	const char *launch;
	cl_mem bufs[16];
	void *svm[16];
	unsigned int nbufs = 0, nsvm = 0, i;
	size_t global = 64, local = 16;
	cl_program prog;
	cl_kernel k = NULL;
	cl_int err;
	int found = -1;

	if (!src) {
		fprintf(stderr, "vsvm-cl-dump: cannot read %s\n", path);
		return -1;
	}
	snprintf(name, sizeof(name), "%s", path);
	base = basename(name);
	memmove(name, base, strlen(base) + 1);
	dot = strrchr(name, '.');
	if (dot)
		*dot = '\0';
	launch = header(src, "// vsvm-launch:");
	if (launch)
		sscanf(launch, "%zu %zu", &global, &local);

	prog = clCreateProgramWithSource(d->ctx, 1, (const char **)&src, NULL, &err);
	if (!prog)
		goto out;
	err = clBuildProgram(prog, 1, &d->dev, "", NULL, NULL);
	if (err) {
		clGetProgramBuildInfo(prog, d->dev, CL_PROGRAM_BUILD_LOG,
				      sizeof(log), log, NULL);
		fprintf(stderr, "vsvm-cl-dump: %s: build failed (%d):\n%s\n",
			path, err, log);
		goto out_prog;
	}
	k = clCreateKernel(prog, name, &err);
	if (!k) {
		fprintf(stderr, "vsvm-cl-dump: %s: no kernel %s (%d)\n", path,
			name, err);
		goto out_prog;
	}
	err = set_args(d, k, header(src, "// vsvm-args:"), bufs, svm, &nbufs,
		       &nsvm);
	if (err) {
		fprintf(stderr, "vsvm-cl-dump: %s: setting arguments: %d\n",
			path, err);
		goto out_kernel;
	}
	err = clEnqueueNDRangeKernel(d->queue, k, 1, NULL, &global, &local, 0,
				     NULL, NULL);
	if (!err)
		err = clFinish(d->queue);
	found = collect(d, outdir, name);
	printf("vsvm-cl-dump: %-16s launch %s (%d), %d blob(s)\n", name,
	       err ? "failed" : "ran", err, found < 0 ? 0 : found);
	if (found == 0)
		found = -1;
out_kernel:
	clReleaseKernel(k);
out_prog:
	clReleaseProgram(prog);
out:
	for (i = 0; i < nbufs; i++)
		clReleaseMemObject(bufs[i]);
	for (i = 0; i < nsvm; i++)
		free(svm[i]);
	free(src);
	return found > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct dump d = { 0 };
	const char *outdir = NULL;
	char dirbuf[4096];
	int opt, i, failed = 0;

	while ((opt = getopt(argc, argv, "o:h")) != -1) {
		switch (opt) {
		case 'o':
			outdir = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-o DIR] KERNEL.cl...\n", argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: %s [-o DIR] KERNEL.cl...\n", argv[0]);
		return 2;
	}
	snprintf(d.tmpdir, sizeof(d.tmpdir), "%s/vsvm-cl-dump-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(d.tmpdir)) {
		perror("vsvm-cl-dump: mkdtemp");
		return 1;
	}
	setenv("VSVM_DUMP_NIR", d.tmpdir, 1);
	if (find_device(&d))
		return 1;
	for (i = optind; i < argc; i++) {
		const char *dir = outdir;

		if (!dir) {
			snprintf(dirbuf, sizeof(dirbuf), "%s", argv[i]);
			dir = dirname(dirbuf);
		}
		if (dump_one(&d, argv[i], dir))
			failed = 1;
	}
	clReleaseCommandQueue(d.queue);
	clReleaseContext(d.ctx);
	rmdir(d.tmpdir);
	return failed;
}
