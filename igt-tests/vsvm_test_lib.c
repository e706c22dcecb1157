// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 *
 * Helpers shared by the vsvm IGT tests (see vsvm_test_lib.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vsvm_test_lib.h"

int vsvm_t_open(int index)
{
	int count = vsvm_device_count();
	int fd = -1, ret;

	igt_require_f(count > index,
		      "vsvm device %d not present (%d found; vsvm.ko loaded?)\n",
		      index, count);
	ret = vsvm_open(index, &fd);
	igt_assert_f(ret == 0, "vsvm_open(%d): %s\n", index,
		     vsvm_strerror(ret));
	return fd;
}

void vsvm_t_require_devices(int n)
{
	int count = vsvm_device_count();

	igt_require_f(count >= n, "needs %d vsvm devices, %d found\n", n,
		      count);
}

uint64_t vsvm_t_param(int fd, uint32_t param)
{
	uint64_t v = 0;
	int ret = vsvm_get_param(fd, param, &v);

	igt_assert_f(ret == 0, "GET_PARAM %u: %s\n", param, vsvm_strerror(ret));
	return v;
}

int vsvm_t_ioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret == -1 ? -errno : ret;
}

uint32_t vsvm_t_vm(int fd)
{
	uint32_t vm = 0;
	int ret = vsvm_vm_create(fd, 0, 0, &vm);

	igt_assert_f(ret == 0, "VM_CREATE: %s\n", vsvm_strerror(ret));
	igt_assert(vm != 0);
	return vm;
}

void vsvm_t_mirror_flags(int fd, uint32_t vm, const void *ptr, uint64_t size,
			 uint32_t flags)
{
	int ret = vsvm_mirror(fd, vm, vsvm_va(ptr), size, flags);

	igt_assert_f(ret == 0, "MIRROR %p+%#" PRIx64 ": %s\n", ptr, size,
		     vsvm_strerror(ret));
}

void vsvm_t_mirror(int fd, uint32_t vm, const void *ptr, uint64_t size)
{
	vsvm_t_mirror_flags(fd, vm, ptr, size, 0);
}

uint32_t vsvm_t_query(int fd, uint32_t vm, const void *ptr)
{
	uint32_t flags = 0xdeadbeef;
	int ret = vsvm_svm_query(fd, vm, vsvm_va(ptr), 1, &flags);

	igt_assert_f(ret == 0, "SVM_QUERY %p: %s\n", ptr, vsvm_strerror(ret));
	return flags;
}

uint32_t *vsvm_t_query_range(int fd, uint32_t vm, const void *ptr,
			     uint64_t npages)
{
	uint32_t *flags = calloc(npages, sizeof(*flags));
	int ret;

	igt_assert(flags);
	ret = vsvm_svm_query(fd, vm, vsvm_va(ptr), npages, flags);
	igt_assert_f(ret == 0, "SVM_QUERY %p x %" PRIu64 ": %s\n", ptr, npages,
		     vsvm_strerror(ret));
	return flags;
}

void *vsvm_t_mmap_aligned(uint64_t size, uint64_t align, int prot, int flags)
{
	uint8_t *p, *a;
	uint64_t span = size + align;

	p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(p != MAP_FAILED);
	a = (uint8_t *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (a > p)
		munmap(p, a - p);
	if (p + span > a + size)
		munmap(a + size, p + span - (a + size));
	p = mmap(a, size, prot, flags | MAP_FIXED, -1, 0);
	igt_assert(p == a);
	return p;
}

void vsvm_t_munmap_aligned(void *ptr, uint64_t size)
{
	munmap(ptr, size);
}

uint64_t vsvm_t_pattern(uint64_t seed, uint64_t i)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull ^ seed;

	x ^= x >> 29;
	return x * 0xbf58476d1ce4e5b9ull;
}

void vsvm_t_fill(void *ptr, uint64_t size, uint64_t seed)
{
	volatile uint64_t *q = ptr;

	for (uint64_t i = 0; i < size / 8; i++)
		q[i] = vsvm_t_pattern(seed, i);
}

int64_t vsvm_t_check(const void *ptr, uint64_t size, uint64_t seed,
		     uint64_t add)
{
	const volatile uint64_t *q = ptr;

	for (uint64_t i = 0; i < size / 8; i++)
		if (q[i] != vsvm_t_pattern(seed, i) + add)
			return (int64_t)i;
	return -1;
}

bool vsvm_t_fs_is(const char *path, long magic)
{
	struct statfs s;

	if (statfs(path, &s))
		return false;
	return (long)s.f_type == magic;
}

void vsvm_t_asm(struct vsvm_prog *p, const char *src)
{
	char err[160] = "";
	int ret = vsvm_asm(src, p, err, sizeof(err));

	igt_assert_f(ret == 0, "assembler: %s (%s)\n", err, vsvm_strerror(ret));
}

const char *const VSVM_T_PROG_ADD =
	"	sr r4, lane_id\n"
	"	sr r5, lane_count\n"
	"loop:	bgeu r4, r2, done\n"
	"	shli r6, r4, 3\n"
	"	add r7, r0, r6\n"
	"	ld64 r8, [r7]\n"
	"	add r8, r8, r3\n"
	"	add r7, r1, r6\n"
	"	st64 [r7], r8\n"
	"	add r4, r4, r5\n"
	"	jmp loop\n"
	"done:	end\n";

const char *const VSVM_T_PROG_STORE =
	"	sr r4, lane_id\n"
	"	shli r5, r4, 3\n"
	"	add r5, r0, r5\n"
	"	add r6, r1, r4\n"
	"	st64 [r5], r6\n"
	"	end\n";

const char *const VSVM_T_PROG_LOAD =
	"	sr r4, lane_id\n"
	"	mul r5, r4, r2\n"
	"	add r5, r0, r5\n"
	"	ld64 r6, [r5]\n"
	"	shli r7, r4, 3\n"
	"	add r7, r1, r7\n"
	"	st64 [r7], r6\n"
	"	end\n";

const char *const VSVM_T_PROG_READ_SUM =
	"	sr r4, lane_id\n"
	"	sr r5, lane_count\n"
	"loop:	bgeu r4, r2, done\n"
	"	shli r6, r4, 3\n"
	"	add r7, r0, r6\n"
	"	ld64 r8, [r7]\n"
	"	aadd64 r9, [r1], r8\n"
	"	add r4, r4, r5\n"
	"	jmp loop\n"
	"done:	end\n";

const char *const VSVM_T_PROG_AADD =
	"	li r4, 0\n"
	"loop:	bgeu r4, r2, done\n"
	"	aadd64 r5, [r0], r1\n"
	"	addi r4, r4, 1\n"
	"	jmp loop\n"
	"done:	end\n";

const char *const VSVM_T_PROG_HAMMER =
	"	li r4, 0\n"
	"	li r9, 0\n"
	"loop:	ld64 r8, [r7]\n"
	"	bne r8, r9, done\n"
	"	remu r5, r4, r3\n"
	"	shli r5, r5, 3\n"
	"	add r5, r0, r5\n"
	"	add r6, r1, r4\n"
	"	st64 [r5], r6\n"
	"	addi r4, r4, 1\n"
	"	jmp loop\n"
	"done:	end\n";

const char *const VSVM_T_PROG_SPIN =
	"loop:	jmp loop\n";

const char *const VSVM_T_PROG_ST64_AT =
	"	st64 [r0], r1\n"
	"	end\n";

const char *const VSVM_T_PROG_LD64_AT =
	"	ld64 r2, [r0]\n"
	"	st64 [r1], r2\n"
	"	end\n";

const char *const VSVM_T_PROG_TOUCH_PAGES =
	"	sr r4, lane_id\n"
	"	sr r5, lane_count\n"
	"loop:	bgeu r4, r2, done\n"
	"	shli r6, r4, 12\n"
	"	add r6, r0, r6\n"
	"	ld64 r8, [r6]\n"
	"	add r8, r8, r1\n"
	"	st64 [r6], r8\n"
	"	add r4, r4, r5\n"
	"	jmp loop\n"
	"done:	end\n";

uint32_t vsvm_t_submit(int fd, uint32_t vm, uint32_t engine, const char *src,
		       uint32_t invocations, const uint64_t *args, int nargs,
		       uint32_t out_sync, const uint32_t *in_syncs,
		       uint32_t nin)
{
	struct vsvm_exec_args a = {
		.vm_id = vm,
		.engine = engine,
		.invocations = invocations,
		.in_syncs = in_syncs,
		.in_sync_count = nin,
		.out_sync = out_sync,
	};

	igt_assert(nargs <= DRM_VSVM_EXEC_MAX_ARGS);
	for (int i = 0; i < nargs; i++)
		a.args[i] = args[i];
	return vsvm_t_exec(fd, &a, src);
}

uint32_t vsvm_t_exec(int fd, struct vsvm_exec_args *a, const char *src)
{
	struct vsvm_prog p;
	uint32_t job = 0;
	int ret;

	vsvm_t_asm(&p, src);
	a->program = p.insns;
	a->program_size = p.count;
	ret = vsvm_exec(fd, a, &job);
	vsvm_prog_fini(&p);
	a->program = NULL;
	igt_assert_f(ret == 0, "EXEC: %s\n", vsvm_strerror(ret));
	igt_assert(job != 0);
	return job;
}

int vsvm_t_job_status(int fd, uint32_t job, uint64_t timeout_ns,
		      struct drm_vsvm_job_status *st)
{
	struct drm_vsvm_job_status s = {
		.job_id = job,
		.flags = timeout_ns ? DRM_VSVM_JOB_STATUS_WAIT : 0,
		.deadline_ns = timeout_ns ? vsvm_monotonic_ns() + timeout_ns : 0,
	};
	int ret = vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_JOB_STATUS, &s);

	if (!ret)
		*st = s;
	return ret;
}

uint32_t vsvm_t_wait(int fd, uint32_t job, struct drm_vsvm_job_status *st)
{
	struct drm_vsvm_job_status s;
	int ret;

	memset(&s, 0, sizeof(s));
	ret = vsvm_t_job_status(fd, job, VSVM_T_WAIT_NS, &s);
	igt_assert_f(ret == 0, "JOB_STATUS %u: %s\n", job, vsvm_strerror(ret));
	igt_assert_neq(s.state, DRM_VSVM_JOB_QUEUED);
	if (s.state != DRM_VSVM_JOB_DONE)
		igt_debug("job %u: %s, fault %s at %#llx (%s) lane %u pc %u\n",
			  job, vsvm_job_state_str(s.state),
			  vsvm_fault_reason_str(s.fault_reason),
			  (unsigned long long)s.fault_addr,
			  vsvm_access_str(s.fault_access), s.fault_lane,
			  s.fault_pc);
	if (st)
		*st = s;
	return s.state;
}

uint32_t vsvm_t_run(int fd, uint32_t vm, const char *src,
		    uint32_t invocations, const uint64_t *args, int nargs,
		    struct drm_vsvm_job_status *st)
{
	uint32_t job = vsvm_t_submit(fd, vm, 0, src, invocations, args, nargs,
				     0, NULL, 0);

	return vsvm_t_wait(fd, job, st);
}

void vsvm_t_run_ok(int fd, uint32_t vm, const char *src, uint32_t invocations,
		   const uint64_t *args, int nargs)
{
	struct drm_vsvm_job_status st;
	uint32_t state = vsvm_t_run(fd, vm, src, invocations, args, nargs, &st);

	igt_assert_f(state == DRM_VSVM_JOB_DONE,
		     "job ended %s: fault %s at %#llx (%s) lane %u pc %u\n",
		     vsvm_job_state_str(state),
		     vsvm_fault_reason_str(st.fault_reason),
		     (unsigned long long)st.fault_addr,
		     vsvm_access_str(st.fault_access), st.fault_lane,
		     st.fault_pc);
}

void vsvm_t_assert_fault(const struct drm_vsvm_job_status *st,
			 uint32_t reason, uint64_t addr, uint32_t access)
{
	igt_assert_f(st->state == DRM_VSVM_JOB_FAULTED,
		     "job state %s, expected faulted\n",
		     vsvm_job_state_str(st->state));
	igt_assert_f(st->fault_reason == reason, "fault reason %s, expected %s\n",
		     vsvm_fault_reason_str(st->fault_reason),
		     vsvm_fault_reason_str(reason));
	igt_assert_eq_u64(st->fault_addr, addr);
	igt_assert_f(st->fault_access == access, "fault access %s, expected %s\n",
		     vsvm_access_str(st->fault_access), vsvm_access_str(access));
}

void vsvm_t_gpu_add(int fd, uint32_t vm, const void *src, void *dst,
		    uint64_t n, uint64_t add)
{
	uint64_t args[4] = { vsvm_va(src), vsvm_va(dst), n, add };
	uint32_t lanes = n < 64 ? (uint32_t)n : 64;

	vsvm_t_run_ok(fd, vm, VSVM_T_PROG_ADD, lanes ? lanes : 1, args, 4);
}

void vsvm_t_roundtrip(int fd, uint32_t vm, void *ptr, uint64_t size,
		      uint64_t seed)
{
	const uint64_t add = 0x1234567;
	int64_t bad;

	vsvm_t_fill(ptr, size, seed);
	vsvm_t_gpu_add(fd, vm, ptr, ptr, size / 8, add);
	bad = vsvm_t_check(ptr, size, seed, add);
	igt_assert_f(bad < 0, "word %" PRId64 " of %p: %#" PRIx64 ", want %#"
		     PRIx64 "\n", bad, ptr, ((uint64_t *)ptr)[bad < 0 ? 0 : bad],
		     vsvm_t_pattern(seed, bad < 0 ? 0 : bad) + add);
}

int64_t vsvm_t_counter(int fd, const char *name)
{
	int64_t v;

	return vsvm_debugfs_counter(fd, name, &v) ? -1 : v;
}

int vsvm_t_prefetch_loc(int fd, uint32_t vm, const void *ptr, uint64_t size,
			uint32_t location, uint8_t *status, uint64_t *done,
			uint64_t *failed)
{
	struct vsvm_bind_op op;
	int ret;

	memset(&op, 0, sizeof(op));
	op.op = DRM_VSVM_BIND_OP_PREFETCH;
	op.addr = vsvm_va(ptr);
	op.range = size;
	op.status = status;
	op.location = location;
	ret = vsvm_vm_bind(fd, vm, &op, 1, NULL);
	if (ret == 0) {
		if (done)
			*done = op.pages_done;
		if (failed)
			*failed = op.pages_failed;
	}
	return ret;
}

uint32_t vsvm_t_here(int fd)
{
	return DRM_VSVM_LOCATION_DEVICE(vsvm_t_param(fd,
					DRM_VSVM_PARAM_DEVICE_INDEX));
}

void vsvm_t_require_vram(int fd)
{
	uint64_t vram = vsvm_t_param(fd, DRM_VSVM_PARAM_VRAM_SIZE);
	uint8_t status = 0xee;
	uint32_t vm, flags = 0;
	uint64_t *p;
	int ret;

	igt_require_f(vram > 0, "device has no VRAM (DRM_VSVM_PARAM_VRAM_SIZE 0)\n");
	p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(p != MAP_FAILED);
	p[0] = 1;
	vm = vsvm_t_vm(fd);
	vsvm_t_mirror(fd, vm, p, SZ_4K);
	ret = vsvm_t_prefetch_loc(fd, vm, p, SZ_4K, vsvm_t_here(fd), &status,
				  NULL, NULL);
	if (ret == 0)
		vsvm_svm_query(fd, vm, vsvm_va(p), 1, &flags);
	vsvm_vm_destroy(fd, vm);
	munmap(p, SZ_4K);
	igt_require_f(ret == 0 && status == DRM_VSVM_PAGE_OK &&
		      (flags & DRM_VSVM_QUERY_VRAM),
		      "VRAM migration not available: prefetch %d (%s), page status %u, query %#x\n",
		      ret, vsvm_strerror(ret), status, flags);
}

int vsvm_t_attr_set(int fd, uint32_t vm, const void *ptr, uint64_t size,
		    uint32_t location, uint32_t policy, uint64_t granularity,
		    uint32_t read_only)
{
	struct drm_vsvm_svm_attr a = {
		.vm_id = vm, .addr = vsvm_va(ptr), .range = size,
		.preferred_location = location, .access_policy = policy,
		.granularity = granularity,
		.flags = read_only ? DRM_VSVM_ATTR_READ_ONLY : 0,
	};

	return vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_SET, &a);
}

uint64_t vsvm_t_count_flags(int fd, uint32_t vm, const void *ptr,
			    uint64_t npages, uint32_t flags)
{
	uint32_t *f = vsvm_t_query_range(fd, vm, ptr, npages);
	uint64_t n = 0;

	for (uint64_t i = 0; i < npages; i++)
		n += (f[i] & flags) == flags;
	free(f);
	return n;
}
