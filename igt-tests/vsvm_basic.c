// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm basic
 * Category: Core
 * Mega feature: SVM
 * Sub-category: uAPI
 * Functionality: device open, parameters, VM lifecycle, ioctl validation
 * Description: Open/close, every GET_PARAM, the VM lifecycle, and every
 *		ioctl fed each kind of bad input: the documented errno comes
 *		back and nothing changes.
 *
 * SUBTEST: open-close
 * Description: Open and close every vsvm render node; the driver is "vsvm".
 *
 * SUBTEST: get-param-%s
 * Description: Read one device parameter and check its value is sane.
 *
 * arg[1]:
 *
 * @uapi-version:	equals DRM_VSVM_UAPI_VERSION
 * @isa-version:	equals DRM_VSVM_ISA_VERSION
 * @num-engines:	1..8
 * @vram-size:		page multiple
 * @device-index:	below num-devices
 * @num-devices:	equals the devices found
 * @page-sizes:		4 KiB and 2 MiB
 * @va-bits:		39..57
 * @max-invocations:	at least 1
 * @max-program-size:	at least 16
 * @granule-size:	power of two, at least a page
 * @job-timeout-ms:	non-zero
 * @wave-size:		1..max-invocations
 * @max-group-lanes:	1..max-invocations
 * @max-local-mem:	at least 1 KiB
 * @max-scratch:	a multiple of 8, at least 256 bytes
 * @max-scratch-group:	at least max-scratch
 * @fp64:		0 or 1
 *
 * SUBTEST: get-param-bad-%s
 * Description: GET_PARAM with an unknown parameter or non-zero pad: -EINVAL.
 *
 * arg[1]:
 *
 * @unknown:	parameter past the last one
 * @pad:	non-zero pad
 *
 * SUBTEST: vm-create-destroy
 * Description: Create and destroy a VM; its id is dead afterwards.
 *
 * SUBTEST: vm-create-many
 * Description: 64 VMs get distinct non-zero ids; each one works.
 *
 * SUBTEST: vm-create-window
 * Description: A VM with an unmanaged window maps a GEM object in it.
 *
 * SUBTEST: unknown-ioctl
 * Description: A driver ioctl number past the last one fails with -EINVAL.
 *
 * SUBTEST: bind-extended-stride
 * Description: VM_BIND accepts a larger stride whose extra bytes are zero.
 *
 * SUBTEST: bad-%s
 * Description: An ioctl with one bad field returns the documented errno
 *		and changes nothing (checked with SVM_QUERY or the data a
 *		rejected program would have written).
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm uAPI: parameters, VM lifecycle and ioctl validation.");

#define WIN_START	(1ull << 40)
#define WIN_SIZE	(1ull << 30)

static int fd = -1;
static uint32_t vm, wvm;
static uint64_t va_bits;

/* ---- parameters --------------------------------------------------------- */

struct param_case {
	const char *name;
	uint32_t param;
};

static const struct param_case params[] = {
	{ "uapi-version", DRM_VSVM_PARAM_UAPI_VERSION },
	{ "isa-version", DRM_VSVM_PARAM_ISA_VERSION },
	{ "num-engines", DRM_VSVM_PARAM_NUM_ENGINES },
	{ "vram-size", DRM_VSVM_PARAM_VRAM_SIZE },
	{ "device-index", DRM_VSVM_PARAM_DEVICE_INDEX },
	{ "num-devices", DRM_VSVM_PARAM_NUM_DEVICES },
	{ "page-sizes", DRM_VSVM_PARAM_PAGE_SIZES },
	{ "va-bits", DRM_VSVM_PARAM_VA_BITS },
	{ "max-invocations", DRM_VSVM_PARAM_MAX_INVOCATIONS },
	{ "max-program-size", DRM_VSVM_PARAM_MAX_PROGRAM_SIZE },
	{ "granule-size", DRM_VSVM_PARAM_GRANULE_SIZE },
	{ "job-timeout-ms", DRM_VSVM_PARAM_JOB_TIMEOUT_MS },
	{ "wave-size", DRM_VSVM_PARAM_WAVE_SIZE },
	{ "max-group-lanes", DRM_VSVM_PARAM_MAX_GROUP_LANES },
	{ "max-local-mem", DRM_VSVM_PARAM_MAX_LOCAL_MEM },
	{ "max-scratch", DRM_VSVM_PARAM_MAX_SCRATCH },
	{ "max-scratch-group", DRM_VSVM_PARAM_MAX_SCRATCH_GROUP },
	{ "fp64", DRM_VSVM_PARAM_FP64 },
};

static void check_param(uint32_t param)
{
	uint64_t v = vsvm_t_param(fd, param);

	/* Parameters are constants: a second read agrees. */
	igt_assert_eq_u64(vsvm_t_param(fd, param), v);
	igt_info("param %u = %#" PRIx64 "\n", param, v);

	switch (param) {
	case DRM_VSVM_PARAM_UAPI_VERSION:
		igt_assert_eq_u64(v, DRM_VSVM_UAPI_VERSION);
		break;
	case DRM_VSVM_PARAM_ISA_VERSION:
		igt_assert_eq_u64(v, DRM_VSVM_ISA_VERSION);
		break;
	case DRM_VSVM_PARAM_NUM_ENGINES:
		igt_assert(v >= 1 && v <= 8);
		break;
	case DRM_VSVM_PARAM_VRAM_SIZE:
		igt_assert_eq_u64(v % SZ_4K, 0);
		break;
	case DRM_VSVM_PARAM_DEVICE_INDEX:
		igt_assert_lt_u64(v, vsvm_t_param(fd, DRM_VSVM_PARAM_NUM_DEVICES));
		break;
	case DRM_VSVM_PARAM_NUM_DEVICES:
		igt_assert_eq_u64(v, vsvm_device_count());
		igt_assert(v >= 1 && v <= 4);
		break;
	case DRM_VSVM_PARAM_PAGE_SIZES:
		igt_assert(v & SZ_4K);
		igt_assert(v & SZ_2M);
		break;
	case DRM_VSVM_PARAM_VA_BITS:
		igt_assert(v >= 39 && v <= 57);
		break;
	case DRM_VSVM_PARAM_MAX_INVOCATIONS:
		igt_assert(v >= 1);
		break;
	case DRM_VSVM_PARAM_MAX_PROGRAM_SIZE:
		igt_assert(v >= 16);
		break;
	case DRM_VSVM_PARAM_GRANULE_SIZE:
		igt_assert(v >= SZ_4K && (v & (v - 1)) == 0);
		break;
	case DRM_VSVM_PARAM_JOB_TIMEOUT_MS:
		igt_assert(v > 0);
		break;
	case DRM_VSVM_PARAM_WAVE_SIZE:
		igt_assert(v >= 1);
		igt_assert_lte_u64(v, vsvm_t_param(fd,
					DRM_VSVM_PARAM_MAX_INVOCATIONS));
		break;
	case DRM_VSVM_PARAM_MAX_GROUP_LANES:
		igt_assert(v >= 1);
		igt_assert_lte_u64(v, vsvm_t_param(fd,
					DRM_VSVM_PARAM_MAX_INVOCATIONS));
		break;
	case DRM_VSVM_PARAM_MAX_LOCAL_MEM:
		igt_assert(v >= 1024 && v < DRM_VSVM_ISA_WINDOW_SIZE);
		break;
	case DRM_VSVM_PARAM_MAX_SCRATCH:
		igt_assert(v >= 256 && v % 8 == 0 && v < DRM_VSVM_ISA_WINDOW_SIZE);
		break;
	case DRM_VSVM_PARAM_MAX_SCRATCH_GROUP:
		igt_assert_lte_u64(vsvm_t_param(fd, DRM_VSVM_PARAM_MAX_SCRATCH), v);
		break;
	case DRM_VSVM_PARAM_FP64:
		igt_assert_lte_u64(v, 1);
		break;
	}
}

/* ---- raw ioctl plumbing ------------------------------------------------- */

static void mirror_op(struct drm_vsvm_vm_bind_op *op, const void *p,
		      uint64_t size)
{
	memset(op, 0, sizeof(*op));
	op->op = DRM_VSVM_BIND_OP_MIRROR;
	op->addr = vsvm_va(p);
	op->range = size;
}

/* No page of [p, p + npages) is mirrored or mapped in VM @v. */
static void assert_untouched(uint32_t v, const void *p, uint64_t npages)
{
	uint32_t *f = vsvm_t_query_range(fd, v, p, npages);

	for (uint64_t i = 0; i < npages; i++)
		igt_assert_f(f[i] == 0, "page %" PRIu64 " flags %#x after a failed bind\n",
			     i, f[i]);
	free(f);
}

static uint32_t make_bo(uint64_t size)
{
	uint32_t h = 0;

	igt_assert_eq(vsvm_gem_create(fd, size, &h), 0);
	return h;
}

/* ---- VM_BIND cases ------------------------------------------------------ */

enum bind_case {
	B_FLAGS, B_PAD, B_STRIDE_SMALL, B_STRIDE_EXTRA_NONZERO, B_COUNT_ZERO,
	B_COUNT_TOO_LARGE, B_BAD_VM, B_EFAULT, OP_UNKNOWN, OP_UNKNOWN_FLAGS,
	OP_READONLY_ON_MIRROR, OP_SNAPSHOT_ON_MAP, OP_PAD, OP_HANDLE_ON_MIRROR,
	OP_BO_OFFSET_ON_MIRROR, OP_STATUS_ON_MIRROR, OP_MISALIGNED_ADDR,
	OP_MISALIGNED_RANGE, OP_ZERO_RANGE, OP_OVERFLOW, OP_BEYOND_VA,
	OP_MIRROR_OVERLAP, OP_MIRROR_WINDOW, OP_UNMIRROR_UNKNOWN,
	OP_UNMIRROR_PARTIAL, OP_MAP_BAD_HANDLE, OP_MAP_OUTSIDE_WINDOW,
	OP_MAP_BEYOND_BO, OP_MAP_BO_OFFSET_MISALIGNED, OP_MAP_OVERLAP,
	OP_MAP_NO_WINDOW, OP_UNMAP_UNKNOWN, OP_PREFETCH_UNMIRRORED,
	OP_PREFETCH_STRADDLE, OP_BATCH_ATOMIC, OP_PAD2, OP_LOCATION_ON_MIRROR,
	OP_PREFETCH_BAD_LOCATION, BIND_CASES
};

static const char *const bind_names[BIND_CASES] = {
	[B_FLAGS] = "bind-flags",
	[B_PAD] = "bind-pad",
	[B_STRIDE_SMALL] = "bind-stride-small",
	[B_STRIDE_EXTRA_NONZERO] = "bind-stride-extra-nonzero",
	[B_COUNT_ZERO] = "bind-count-zero",
	[B_COUNT_TOO_LARGE] = "bind-count-too-large",
	[B_BAD_VM] = "bind-bad-vm",
	[B_EFAULT] = "bind-efault",
	[OP_UNKNOWN] = "bind-op-unknown",
	[OP_UNKNOWN_FLAGS] = "bind-op-unknown-flags",
	[OP_READONLY_ON_MIRROR] = "bind-op-readonly-on-mirror",
	[OP_SNAPSHOT_ON_MAP] = "bind-op-snapshot-on-map",
	[OP_PAD] = "bind-op-pad",
	[OP_HANDLE_ON_MIRROR] = "bind-op-handle-on-mirror",
	[OP_BO_OFFSET_ON_MIRROR] = "bind-op-bo-offset-on-mirror",
	[OP_STATUS_ON_MIRROR] = "bind-op-status-on-mirror",
	[OP_MISALIGNED_ADDR] = "bind-op-misaligned-addr",
	[OP_MISALIGNED_RANGE] = "bind-op-misaligned-range",
	[OP_ZERO_RANGE] = "bind-op-zero-range",
	[OP_OVERFLOW] = "bind-op-overflow",
	[OP_BEYOND_VA] = "bind-op-beyond-va",
	[OP_MIRROR_OVERLAP] = "bind-mirror-overlap",
	[OP_MIRROR_WINDOW] = "bind-mirror-in-window",
	[OP_UNMIRROR_UNKNOWN] = "bind-unmirror-unknown",
	[OP_UNMIRROR_PARTIAL] = "bind-unmirror-partial",
	[OP_MAP_BAD_HANDLE] = "bind-map-bad-handle",
	[OP_MAP_OUTSIDE_WINDOW] = "bind-map-outside-window",
	[OP_MAP_BEYOND_BO] = "bind-map-beyond-bo",
	[OP_MAP_BO_OFFSET_MISALIGNED] = "bind-map-bo-offset-misaligned",
	[OP_MAP_OVERLAP] = "bind-map-overlap",
	[OP_MAP_NO_WINDOW] = "bind-map-no-window",
	[OP_UNMAP_UNKNOWN] = "bind-unmap-unknown",
	[OP_PREFETCH_UNMIRRORED] = "bind-prefetch-unmirrored",
	[OP_PREFETCH_STRADDLE] = "bind-prefetch-straddle",
	[OP_BATCH_ATOMIC] = "bind-batch-atomic",
	[OP_PAD2] = "bind-op-pad2",
	[OP_LOCATION_ON_MIRROR] = "bind-op-location-on-mirror",
	[OP_PREFETCH_BAD_LOCATION] = "bind-prefetch-bad-location",
};

static void bind_case(enum bind_case c)
{
	const uint64_t npages = 4, size = npages * SZ_4K;
	struct drm_vsvm_vm_bind_op ops[2];
	struct drm_vsvm_vm_bind b;
	uint8_t big[sizeof(ops[0]) + 8];
	uint32_t target_vm, fresh, bo = 0;
	uint8_t status[4];
	int want = -EINVAL, ret;
	uint8_t *p;

	/* A fresh VM per case so earlier cases cannot hide a leak. */
	fresh = target_vm = vsvm_t_vm(fd);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(p != MAP_FAILED);
	memset(p, 0x11, size);
	mirror_op(&ops[0], p, size);
	memset(&b, 0, sizeof(b));
	b.vm_id = target_vm;
	b.stride = sizeof(ops[0]);
	b.count = 1;
	b.ops_ptr = vsvm_va(ops);

	switch (c) {
	case B_FLAGS:
		b.flags = 1;
		break;
	case B_PAD:
		b.pad = 1;
		break;
	case B_STRIDE_SMALL:
		b.stride = 8;
		break;
	case B_STRIDE_EXTRA_NONZERO:
		memset(big, 0, sizeof(big));
		memcpy(big, &ops[0], sizeof(ops[0]));
		big[sizeof(ops[0]) + 3] = 1;
		b.stride = sizeof(big);
		b.ops_ptr = vsvm_va(big);
		break;
	case B_COUNT_ZERO:
		b.count = 0;
		break;
	case B_COUNT_TOO_LARGE:
		b.count = 257;
		break;
	case B_BAD_VM:
		b.vm_id = 0xdead;
		want = -ENOENT;
		break;
	case B_EFAULT:
		b.ops_ptr = 8;
		want = -EFAULT;
		break;
	case OP_UNKNOWN:
		ops[0].op = DRM_VSVM_BIND_OP_PREFETCH + 1;
		break;
	case OP_UNKNOWN_FLAGS:
		ops[0].flags = 1u << 7;
		break;
	case OP_READONLY_ON_MIRROR:
		ops[0].flags = DRM_VSVM_BIND_READONLY;
		break;
	case OP_SNAPSHOT_ON_MAP:
		target_vm = wvm;
		bo = make_bo(SZ_4K);
		ops[0].op = DRM_VSVM_BIND_OP_MAP;
		ops[0].addr = WIN_START;
		ops[0].range = SZ_4K;
		ops[0].handle = bo;
		ops[0].flags = DRM_VSVM_BIND_SNAPSHOT;
		break;
	case OP_PAD:
		ops[0].pad = 1;
		break;
	case OP_HANDLE_ON_MIRROR:
		ops[0].handle = 1;
		break;
	case OP_BO_OFFSET_ON_MIRROR:
		ops[0].bo_offset = SZ_4K;
		break;
	case OP_STATUS_ON_MIRROR:
		ops[0].status_ptr = vsvm_va(status);
		break;
	case OP_MISALIGNED_ADDR:
		ops[0].addr += 8;
		break;
	case OP_MISALIGNED_RANGE:
		ops[0].range = SZ_4K + 8;
		break;
	case OP_ZERO_RANGE:
		ops[0].range = 0;
		break;
	case OP_OVERFLOW:
		ops[0].addr = ~0ull & ~(SZ_4K - 1);
		ops[0].range = 2 * SZ_4K;
		break;
	case OP_BEYOND_VA:
		ops[0].addr = (1ull << va_bits) - SZ_4K;
		ops[0].range = 2 * SZ_4K;
		break;
	case OP_MIRROR_OVERLAP:
		/* [p, p + 2 pages) mirrored; [p + 1 page, +2 pages) overlaps. */
		vsvm_t_mirror(fd, target_vm, p, 2 * SZ_4K);
		ops[0].addr = vsvm_va(p) + SZ_4K;
		ops[0].range = 2 * SZ_4K;
		want = -EEXIST;
		break;
	case OP_MIRROR_WINDOW:
		target_vm = wvm;
		ops[0].addr = WIN_START + SZ_2M;
		ops[0].range = SZ_4K;
		break;
	case OP_UNMIRROR_UNKNOWN:
		ops[0].op = DRM_VSVM_BIND_OP_UNMIRROR;
		want = -ENOENT;
		break;
	case OP_UNMIRROR_PARTIAL:
		vsvm_t_mirror(fd, target_vm, p, size);
		ops[0].op = DRM_VSVM_BIND_OP_UNMIRROR;
		ops[0].range = SZ_4K;
		want = -ENOENT;
		break;
	case OP_MAP_BAD_HANDLE:
		target_vm = wvm;
		ops[0].op = DRM_VSVM_BIND_OP_MAP;
		ops[0].addr = WIN_START;
		ops[0].range = SZ_4K;
		ops[0].handle = 0xbad;
		want = -ENOENT;
		break;
	case OP_MAP_OUTSIDE_WINDOW:
		target_vm = wvm;
		bo = make_bo(SZ_4K);
		ops[0].op = DRM_VSVM_BIND_OP_MAP;
		ops[0].range = SZ_4K;
		ops[0].handle = bo;
		ops[0].addr = WIN_START + WIN_SIZE;
		break;
	case OP_MAP_BEYOND_BO:
		target_vm = wvm;
		bo = make_bo(SZ_4K);
		ops[0].op = DRM_VSVM_BIND_OP_MAP;
		ops[0].addr = WIN_START;
		ops[0].range = 2 * SZ_4K;
		ops[0].handle = bo;
		break;
	case OP_MAP_BO_OFFSET_MISALIGNED:
		target_vm = wvm;
		bo = make_bo(2 * SZ_4K);
		ops[0].op = DRM_VSVM_BIND_OP_MAP;
		ops[0].addr = WIN_START;
		ops[0].range = SZ_4K;
		ops[0].handle = bo;
		ops[0].bo_offset = 16;
		break;
	case OP_MAP_OVERLAP:
		target_vm = wvm;
		bo = make_bo(2 * SZ_4K);
		igt_assert_eq(vsvm_map(fd, wvm, WIN_START + 4 * SZ_2M, 2 * SZ_4K,
				       bo, 0, 0), 0);
		ops[0].op = DRM_VSVM_BIND_OP_MAP;
		ops[0].addr = WIN_START + 4 * SZ_2M + SZ_4K;
		ops[0].range = SZ_4K;
		ops[0].handle = bo;
		want = -EEXIST;
		break;
	case OP_MAP_NO_WINDOW:
		bo = make_bo(SZ_4K);
		ops[0].op = DRM_VSVM_BIND_OP_MAP;
		ops[0].addr = WIN_START;
		ops[0].range = SZ_4K;
		ops[0].handle = bo;
		break;
	case OP_UNMAP_UNKNOWN:
		target_vm = wvm;
		ops[0].op = DRM_VSVM_BIND_OP_UNMAP;
		ops[0].addr = WIN_START + 8 * SZ_2M;
		ops[0].range = SZ_4K;
		want = -ENOENT;
		break;
	case OP_PREFETCH_UNMIRRORED:
		ops[0].op = DRM_VSVM_BIND_OP_PREFETCH;
		break;
	case OP_PREFETCH_STRADDLE:
		vsvm_t_mirror(fd, target_vm, p, SZ_4K);
		ops[0].op = DRM_VSVM_BIND_OP_PREFETCH;
		ops[0].range = 2 * SZ_4K;
		break;
	case OP_BATCH_ATOMIC:
		/* Op 0 is valid, op 1 is not: nothing may be applied. */
		mirror_op(&ops[1], p + 2 * SZ_4K, 2 * SZ_4K);
		ops[0].range = 2 * SZ_4K;
		ops[1].flags = 1u << 9;
		b.count = 2;
		break;
	case OP_PAD2:
		ops[0].pad2 = 1;
		break;
	case OP_LOCATION_ON_MIRROR:
		ops[0].location = DRM_VSVM_LOCATION_SYSTEM;
		break;
	case OP_PREFETCH_BAD_LOCATION:
		/* A device index past the last device; the range is mirrored. */
		vsvm_t_mirror(fd, target_vm, p, size);
		ops[0].op = DRM_VSVM_BIND_OP_PREFETCH;
		ops[0].location = DRM_VSVM_LOCATION_DEVICE(1000);
		break;
	case BIND_CASES:
		igt_assert(0);
	}
	b.vm_id = c == B_BAD_VM ? 0xdead : target_vm;

	ret = vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_VM_BIND, &b);
	igt_assert_f(ret == want, "%s: got %d (%s), want %d\n", bind_names[c],
		     ret, strerror(-ret), want);

	/* Nothing changed. */
	switch (c) {
	case OP_MIRROR_OVERLAP:
		igt_assert(vsvm_t_query(fd, target_vm, p) & DRM_VSVM_QUERY_MIRRORED);
		igt_assert(vsvm_t_query(fd, target_vm, p + SZ_4K) &
			   DRM_VSVM_QUERY_MIRRORED);
		igt_assert_eq_u32(vsvm_t_query(fd, target_vm, p + 2 * SZ_4K), 0);
		break;
	case OP_UNMIRROR_PARTIAL:
		for (uint64_t i = 0; i < npages; i++)
			igt_assert(vsvm_t_query(fd, target_vm, p + i * SZ_4K) &
				   DRM_VSVM_QUERY_MIRRORED);
		break;
	case OP_PREFETCH_STRADDLE:
		igt_assert(vsvm_t_query(fd, target_vm, p) & DRM_VSVM_QUERY_MIRRORED);
		igt_assert_eq_u32(vsvm_t_query(fd, target_vm, p + SZ_4K), 0);
		break;
	case OP_MAP_OVERLAP:
		igt_assert_eq_u32(vsvm_t_query(fd, wvm, (void *)(uintptr_t)
					       (WIN_START + 4 * SZ_2M + SZ_4K)) &
				  DRM_VSVM_QUERY_UNMANAGED,
				  DRM_VSVM_QUERY_UNMANAGED);
		igt_assert_eq(vsvm_unmap(fd, wvm, WIN_START + 4 * SZ_2M,
					 2 * SZ_4K), 0);
		break;
	case OP_PREFETCH_BAD_LOCATION:
		/* Still mirrored, nothing faulted in or moved. */
		for (uint64_t i = 0; i < npages; i++)
			igt_assert_eq_u32(vsvm_t_query(fd, target_vm, p + i * SZ_4K),
					  DRM_VSVM_QUERY_MIRRORED);
		break;
	case OP_SNAPSHOT_ON_MAP:
	case OP_MAP_OUTSIDE_WINDOW:
	case OP_MAP_BEYOND_BO:
	case OP_MAP_BO_OFFSET_MISALIGNED:
		assert_untouched(wvm, (void *)(uintptr_t)WIN_START, 2);
		break;
	default:
		assert_untouched(fresh, p, npages);
		assert_untouched(wvm, p, npages);
		if (target_vm == wvm)
			assert_untouched(wvm, (void *)(uintptr_t)WIN_START,
					 SZ_2M / SZ_4K + 1);
		break;
	}
	/* The CPU data is untouched too. */
	for (uint64_t i = 0; i < size; i++)
		igt_assert_eq(p[i], 0x11);

	if (bo)
		vsvm_gem_close(fd, bo);
	munmap(p, size);
	igt_assert_eq(vsvm_vm_destroy(fd, fresh), 0);
}

/* ---- other ioctls ------------------------------------------------------- */

enum misc_case {
	VMC_FLAGS, VMC_START_MISALIGNED, VMC_SIZE_MISALIGNED, VMC_OVERFLOW,
	VMC_BEYOND_VA, VMC_START_WITHOUT_SIZE, VMD_PAD, VMD_BAD_ID, VMD_TWICE,
	Q_PAD, Q_MISALIGNED, Q_NPAGES_ZERO, Q_NPAGES_TOO_LARGE, Q_BEYOND_VA,
	Q_BAD_VM, Q_EFAULT, GC_ZERO, GC_FLAGS, GC_TOO_BIG, GMO_PAD,
	GMO_BAD_HANDLE, JS_FLAGS, JS_PAD, JS_BAD_ID, MISC_CASES
};

static const char *const misc_names[MISC_CASES] = {
	[VMC_FLAGS] = "vm-create-flags",
	[VMC_START_MISALIGNED] = "vm-create-window-start-misaligned",
	[VMC_SIZE_MISALIGNED] = "vm-create-window-size-misaligned",
	[VMC_OVERFLOW] = "vm-create-window-overflow",
	[VMC_BEYOND_VA] = "vm-create-window-beyond-va",
	[VMC_START_WITHOUT_SIZE] = "vm-create-window-start-without-size",
	[VMD_PAD] = "vm-destroy-pad",
	[VMD_BAD_ID] = "vm-destroy-bad-id",
	[VMD_TWICE] = "vm-destroy-twice",
	[Q_PAD] = "query-pad",
	[Q_MISALIGNED] = "query-misaligned",
	[Q_NPAGES_ZERO] = "query-npages-zero",
	[Q_NPAGES_TOO_LARGE] = "query-npages-too-large",
	[Q_BEYOND_VA] = "query-beyond-va",
	[Q_BAD_VM] = "query-bad-vm",
	[Q_EFAULT] = "query-efault",
	[GC_ZERO] = "gem-create-zero-size",
	[GC_FLAGS] = "gem-create-flags",
	[GC_TOO_BIG] = "gem-create-too-big",
	[GMO_PAD] = "gem-mmap-offset-pad",
	[GMO_BAD_HANDLE] = "gem-mmap-offset-bad-handle",
	[JS_FLAGS] = "job-status-flags",
	[JS_PAD] = "job-status-pad",
	[JS_BAD_ID] = "job-status-bad-id",
};

static void misc_case(enum misc_case c)
{
	struct drm_vsvm_vm_create vc = { 0 };
	struct drm_vsvm_vm_destroy vd = { 0 };
	struct drm_vsvm_svm_query q = { 0 };
	struct drm_vsvm_gem_create gc = { 0 };
	struct drm_vsvm_gem_mmap_offset gmo = { 0 };
	struct drm_vsvm_job_status js = { 0 };
	uint32_t flags[4] = { 0xaaaa, 0xaaaa, 0xaaaa, 0xaaaa };
	unsigned long req = 0;
	void *arg = NULL;
	int want = -EINVAL, ret;
	uint32_t id;

	q.vm_id = vm;
	q.addr = SZ_1G;
	q.npages = 1;
	q.flags_ptr = vsvm_va(flags);

	switch (c) {
	case VMC_FLAGS:
		vc.flags = 1;
		break;
	case VMC_START_MISALIGNED:
		vc.unmanaged_start = WIN_START + SZ_4K;
		vc.unmanaged_size = SZ_2M;
		break;
	case VMC_SIZE_MISALIGNED:
		vc.unmanaged_start = WIN_START;
		vc.unmanaged_size = SZ_2M + SZ_4K;
		break;
	case VMC_OVERFLOW:
		vc.unmanaged_start = ~0ull & ~(SZ_2M - 1);
		vc.unmanaged_size = 2 * SZ_2M;
		break;
	case VMC_BEYOND_VA:
		vc.unmanaged_start = 1ull << va_bits;
		vc.unmanaged_size = SZ_2M;
		break;
	case VMC_START_WITHOUT_SIZE:
		vc.unmanaged_start = WIN_START;
		break;
	case VMD_PAD:
		vd.vm_id = vm;
		vd.pad = 1;
		break;
	case VMD_BAD_ID:
		vd.vm_id = 0xdead;
		want = -ENOENT;
		break;
	case VMD_TWICE:
		igt_assert_eq(vsvm_vm_create(fd, 0, 0, &id), 0);
		igt_assert_eq(vsvm_vm_destroy(fd, id), 0);
		vd.vm_id = id;
		want = -ENOENT;
		break;
	case Q_PAD:
		q.pad = 1;
		break;
	case Q_MISALIGNED:
		q.addr += 8;
		break;
	case Q_NPAGES_ZERO:
		q.npages = 0;
		break;
	case Q_NPAGES_TOO_LARGE:
		q.npages = (1ull << 20) + 1;
		break;
	case Q_BEYOND_VA:
		q.addr = (1ull << va_bits) - SZ_4K;
		q.npages = 2;
		break;
	case Q_BAD_VM:
		q.vm_id = 0xdead;
		want = -ENOENT;
		break;
	case Q_EFAULT:
		q.flags_ptr = 8;
		want = -EFAULT;
		break;
	case GC_ZERO:
		gc.size = 0;
		break;
	case GC_FLAGS:
		gc.size = SZ_4K;
		gc.flags = 1;
		break;
	case GC_TOO_BIG:
		gc.size = SZ_1G + SZ_4K;
		want = -E2BIG;
		break;
	case GMO_PAD:
		gc.size = SZ_4K;
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_GEM_CREATE, &gc), 0);
		gmo.handle = gc.handle;
		gmo.pad = 1;
		break;
	case GMO_BAD_HANDLE:
		gmo.handle = 0xbad;
		want = -ENOENT;
		break;
	case JS_FLAGS:
		js.job_id = 1;
		js.flags = 1u << 5;
		break;
	case JS_PAD:
		js.job_id = 1;
		js.pad = 1;
		break;
	case JS_BAD_ID:
		js.job_id = 0x7fffffff;
		want = -ENOENT;
		break;
	case MISC_CASES:
		igt_assert(0);
	}

	if (c <= VMC_START_WITHOUT_SIZE) {
		req = DRM_IOCTL_VSVM_VM_CREATE;
		arg = &vc;
	} else if (c <= VMD_TWICE) {
		req = DRM_IOCTL_VSVM_VM_DESTROY;
		arg = &vd;
	} else if (c <= Q_EFAULT) {
		req = DRM_IOCTL_VSVM_SVM_QUERY;
		arg = &q;
	} else if (c <= GC_TOO_BIG) {
		req = DRM_IOCTL_VSVM_GEM_CREATE;
		arg = &gc;
	} else if (c <= GMO_BAD_HANDLE) {
		req = DRM_IOCTL_VSVM_GEM_MMAP_OFFSET;
		arg = &gmo;
	} else {
		req = DRM_IOCTL_VSVM_JOB_STATUS;
		arg = &js;
	}
	if (c == GMO_PAD)
		gmo.offset = 0x5a5a;

	ret = vsvm_t_ioctl(fd, req, arg);
	igt_assert_f(ret == want, "%s: got %d (%s), want %d\n", misc_names[c],
		     ret, strerror(-ret), want);

	/* Outputs were not written and state is unchanged. */
	switch (c) {
	case VMC_FLAGS ... VMC_START_WITHOUT_SIZE:
		igt_assert_eq_u32(vc.vm_id, 0);
		break;
	case VMD_PAD:
		/* The VM survived: it still answers queries. */
		flags[0] = 0xaaaa;
		q.pad = 0;
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_SVM_QUERY, &q), 0);
		igt_assert_eq_u32(flags[0], 0);
		break;
	case Q_PAD ... Q_BAD_VM:
		for (int i = 0; i < 4; i++)
			igt_assert_eq_u32(flags[i], 0xaaaa);
		break;
	case GC_ZERO ... GC_TOO_BIG:
		igt_assert_eq_u32(gc.handle, 0);
		break;
	case GMO_PAD:
		igt_assert_eq_u64(gmo.offset, 0x5a5a);
		vsvm_gem_close(fd, gc.handle);
		break;
	case JS_FLAGS ... JS_BAD_ID:
		igt_assert_eq_u32(js.state, 0);
		break;
	default:
		break;
	}
}

/* ---- EXEC and the program validator ------------------------------------- */

enum exec_case {
	X_FLAGS, X_BAD_VM, X_ENGINE, X_INVOCATIONS_ZERO, X_INVOCATIONS_TOO_MANY,
	X_PROGRAM_EMPTY, X_PROGRAM_TOO_LARGE, X_PROGRAM_EFAULT, X_IN_SYNC_BAD,
	X_OUT_SYNC_BAD, X_IN_SYNC_COUNT, X_IN_SYNCS_EFAULT,
	X_FLAT_GROUP_COUNT, X_FLAT_OFFSET, X_FLAT_LOCAL, X_SCRATCH_TOO_LARGE,
	X_SCRATCH_UNALIGNED, X_GROUP_INVOCATIONS, X_GROUP_SIZE_ZERO,
	X_GROUP_SIZE_Y_ONLY, X_GROUP_TOO_MANY_LANES, X_GROUP_COUNT_ZERO,
	X_GRID_TOO_MANY_LANES, X_LOCAL_TOO_LARGE, X_SCRATCH_GROUP_TOO_LARGE,
	I_UNKNOWN_OPCODE, I_OPCODE_COUNT, I_OPCODE_FF, I_RD_32, I_RA_32,
	I_RB_32, I_UNUSED_RD, I_UNUSED_RB, I_UNUSED_IMM, I_UNUSED_RA_LI,
	I_SR_UNKNOWN, I_BRANCH_PAST_END, I_BRANCH_BEFORE_START, I_JMP_PAST_END,
	I_ROUND_UNKNOWN, I_JAL_PAST_END, I_JR_UNUSED_RD, I_BARRIER_IMM,
	I_BAD_LAST, EXEC_CASES
};

static const char *const exec_names[EXEC_CASES] = {
	[X_FLAGS] = "exec-flags",
	[X_BAD_VM] = "exec-bad-vm",
	[X_ENGINE] = "exec-engine-out-of-range",
	[X_INVOCATIONS_ZERO] = "exec-invocations-zero",
	[X_INVOCATIONS_TOO_MANY] = "exec-invocations-too-many",
	[X_PROGRAM_EMPTY] = "exec-program-empty",
	[X_PROGRAM_TOO_LARGE] = "exec-program-too-large",
	[X_PROGRAM_EFAULT] = "exec-program-efault",
	[X_IN_SYNC_BAD] = "exec-in-sync-bad",
	[X_OUT_SYNC_BAD] = "exec-out-sync-bad",
	[X_IN_SYNC_COUNT] = "exec-in-sync-count-too-large",
	[X_IN_SYNCS_EFAULT] = "exec-in-syncs-efault",
	[X_FLAT_GROUP_COUNT] = "exec-flat-group-count",
	[X_FLAT_OFFSET] = "exec-flat-global-offset",
	[X_FLAT_LOCAL] = "exec-flat-local-mem",
	[X_GROUP_INVOCATIONS] = "exec-group-invocations",
	[X_GROUP_SIZE_ZERO] = "exec-group-size-zero",
	[X_GROUP_SIZE_Y_ONLY] = "exec-group-size-x-zero",
	[X_GROUP_TOO_MANY_LANES] = "exec-group-too-many-lanes",
	[X_GROUP_COUNT_ZERO] = "exec-group-count-zero",
	[X_GRID_TOO_MANY_LANES] = "exec-grid-too-many-lanes",
	[X_LOCAL_TOO_LARGE] = "exec-local-mem-too-large",
	[X_SCRATCH_TOO_LARGE] = "exec-scratch-too-large",
	[X_SCRATCH_UNALIGNED] = "exec-scratch-unaligned",
	[X_SCRATCH_GROUP_TOO_LARGE] = "exec-scratch-group-too-large",
	[I_UNKNOWN_OPCODE] = "isa-unknown-opcode",
	[I_OPCODE_COUNT] = "isa-opcode-count",
	[I_OPCODE_FF] = "isa-opcode-ff",
	[I_RD_32] = "isa-rd-32",
	[I_RA_32] = "isa-ra-32",
	[I_RB_32] = "isa-rb-32",
	[I_UNUSED_RD] = "isa-unused-rd",
	[I_UNUSED_RB] = "isa-unused-rb",
	[I_UNUSED_IMM] = "isa-unused-imm",
	[I_UNUSED_RA_LI] = "isa-unused-ra",
	[I_SR_UNKNOWN] = "isa-sr-unknown",
	[I_BRANCH_PAST_END] = "isa-branch-past-end",
	[I_BRANCH_BEFORE_START] = "isa-branch-before-start",
	[I_JMP_PAST_END] = "isa-jmp-past-end",
	[I_ROUND_UNKNOWN] = "isa-rounding-mode-unknown",
	[I_JAL_PAST_END] = "isa-jal-past-end",
	[I_JR_UNUSED_RD] = "isa-jr-unused-rd",
	[I_BARRIER_IMM] = "isa-barrier-imm",
	[I_BAD_LAST] = "isa-bad-last-word",
};

static void exec_case(enum exec_case c)
{
	uint64_t *buf, prog[8], *big = NULL;
	struct drm_vsvm_exec x;
	uint32_t syncs[DRM_VSVM_EXEC_MAX_SYNCS + 1] = { 0 };
	uint32_t sync = 0;
	int want = -EINVAL, ret, n = 0;

	buf = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(buf != MAP_FAILED);
	buf[0] = 0x77;
	vsvm_t_mirror(fd, vm, buf, SZ_4K);

	/* A program that would store 0xabc to buf[0] if it ever ran. */
	prog[n++] = vsvm_insn(DRM_VSVM_OP_LI, 2, 0, 0, 0xabc);
	prog[n++] = vsvm_insn(DRM_VSVM_OP_ST64, 0, 0, 2, 0);

	switch (c) {
	case I_UNKNOWN_OPCODE:
		prog[n++] = vsvm_insn(0x08, 0, 0, 0, 0);
		break;
	case I_OPCODE_COUNT:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_COUNT, 0, 0, 0, 0);
		break;
	case I_OPCODE_FF:
		prog[n++] = vsvm_insn(0xff, 0, 0, 0, 0);
		break;
	case I_RD_32:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_ADD, 32, 1, 1, 0);
		break;
	case I_RA_32:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_ADD, 1, 32, 1, 0);
		break;
	case I_RB_32:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_ADD, 1, 1, 200, 0);
		break;
	case I_UNUSED_RD:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_NOP, 1, 0, 0, 0);
		break;
	case I_UNUSED_RB:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_LI, 1, 0, 3, 5);
		break;
	case I_UNUSED_IMM:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_ADD, 1, 1, 1, 4);
		break;
	case I_UNUSED_RA_LI:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_LI, 1, 2, 0, 5);
		break;
	case I_SR_UNKNOWN:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_SR, 1, 0, 0, DRM_VSVM_SREG_COUNT);
		break;
	case I_BRANCH_PAST_END:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_BEQ, 0, 1, 1, 2);
		break;
	case I_BRANCH_BEFORE_START:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_BNE, 0, 1, 1, -4);
		break;
	case I_JMP_PAST_END:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_JMP, 0, 0, 0, 100);
		break;
	case I_ROUND_UNKNOWN:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_F2S32, 1, 2, 0, DRM_VSVM_ROUND_UP + 1);
		break;
	case I_JAL_PAST_END:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_JAL, 30, 0, 0, 2);
		break;
	case I_JR_UNUSED_RD:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_JR, 1, 2, 0, 0);
		break;
	case I_BARRIER_IMM:
		prog[n++] = vsvm_insn(DRM_VSVM_OP_BARRIER, 0, 0, 0, 1);
		break;
	default:
		break;
	}
	prog[n++] = vsvm_insn(DRM_VSVM_OP_END, 0, 0, 0, 0);
	if (c == I_BAD_LAST)
		prog[n++] = vsvm_insn(DRM_VSVM_OP_LI, 1, 0, 0, 0) | 0xff0000ull;

	memset(&x, 0, sizeof(x));
	x.vm_id = vm;
	x.program_ptr = vsvm_va(prog);
	x.program_size = n;
	x.invocations = 1;
	x.args[0] = vsvm_va(buf);

	switch (c) {
	case X_FLAGS:
		x.flags = 1;
		break;
	case X_BAD_VM:
		x.vm_id = 0xdead;
		want = -ENOENT;
		break;
	case X_ENGINE:
		x.engine = vsvm_t_param(fd, DRM_VSVM_PARAM_NUM_ENGINES);
		break;
	case X_INVOCATIONS_ZERO:
		x.invocations = 0;
		break;
	case X_INVOCATIONS_TOO_MANY:
		x.invocations = vsvm_t_param(fd, DRM_VSVM_PARAM_MAX_INVOCATIONS) + 1;
		break;
	case X_PROGRAM_EMPTY:
		x.program_size = 0;
		break;
	case X_PROGRAM_TOO_LARGE: {
		uint64_t max = vsvm_t_param(fd, DRM_VSVM_PARAM_MAX_PROGRAM_SIZE);

		big = calloc(max + 1, 8);
		igt_assert(big);
		memcpy(big, prog, n * 8);
		for (uint64_t i = n; i <= max; i++)
			big[i] = vsvm_insn(DRM_VSVM_OP_END, 0, 0, 0, 0);
		x.program_ptr = vsvm_va(big);
		x.program_size = max + 1;
		break;
	}
	case X_PROGRAM_EFAULT:
		x.program_ptr = 8;
		want = -EFAULT;
		break;
	case X_IN_SYNC_BAD:
		syncs[0] = 0xbad;
		x.in_syncs_ptr = vsvm_va(syncs);
		x.in_sync_count = 1;
		want = -ENOENT;
		break;
	case X_OUT_SYNC_BAD:
		x.out_sync = 0xbad;
		want = -ENOENT;
		break;
	case X_IN_SYNC_COUNT:
		igt_assert_eq(vsvm_syncobj_create(fd, &sync), 0);
		for (int i = 0; i <= DRM_VSVM_EXEC_MAX_SYNCS; i++)
			syncs[i] = sync;
		x.in_syncs_ptr = vsvm_va(syncs);
		x.in_sync_count = DRM_VSVM_EXEC_MAX_SYNCS + 1;
		break;
	case X_IN_SYNCS_EFAULT:
		x.in_syncs_ptr = 8;
		x.in_sync_count = 1;
		want = -EFAULT;
		break;
	case X_FLAT_GROUP_COUNT:
		x.group_count[2] = 1;
		break;
	case X_FLAT_OFFSET:
		x.global_offset[1] = 1;
		break;
	case X_FLAT_LOCAL:
		x.local_mem_size = 8;
		break;
	case X_SCRATCH_TOO_LARGE:
		x.scratch_size = vsvm_t_param(fd, DRM_VSVM_PARAM_MAX_SCRATCH) + 8;
		break;
	case X_SCRATCH_UNALIGNED:
		x.scratch_size = 12;
		break;
	case X_GROUP_INVOCATIONS ... X_SCRATCH_GROUP_TOO_LARGE: {
		/* A valid work-group job of 2 x 1 x 1 groups of 4 x 1 x 1 lanes... */
		uint64_t max_lanes = vsvm_t_param(fd, DRM_VSVM_PARAM_MAX_GROUP_LANES);

		x.invocations = 0;
		x.group_size[0] = 4;
		x.group_size[1] = 1;
		x.group_size[2] = 1;
		x.group_count[0] = 2;
		x.group_count[1] = 1;
		x.group_count[2] = 1;
		/* ... with one field out of range. */
		if (c == X_GROUP_INVOCATIONS)
			x.invocations = 8;
		else if (c == X_GROUP_SIZE_ZERO)
			x.group_size[2] = 0;
		else if (c == X_GROUP_SIZE_Y_ONLY)
			x.group_size[0] = 0;
		else if (c == X_GROUP_TOO_MANY_LANES)
			x.group_size[1] = max_lanes / 4 + 1;
		else if (c == X_GROUP_COUNT_ZERO)
			x.group_count[1] = 0;
		else if (c == X_GRID_TOO_MANY_LANES)
			x.group_count[2] = vsvm_t_param(fd, DRM_VSVM_PARAM_MAX_INVOCATIONS) / 8 + 1;
		else if (c == X_LOCAL_TOO_LARGE)
			x.local_mem_size = vsvm_t_param(fd, DRM_VSVM_PARAM_MAX_LOCAL_MEM) + 1;
		else if (c == X_SCRATCH_GROUP_TOO_LARGE) {
			x.group_size[0] = max_lanes;
			x.group_count[0] = 1;
			x.scratch_size = vsvm_t_param(fd, DRM_VSVM_PARAM_MAX_SCRATCH_GROUP) /
					 max_lanes + 8;
			igt_assert_lte_u64(x.scratch_size,
					   vsvm_t_param(fd, DRM_VSVM_PARAM_MAX_SCRATCH));
		}
		break;
	}
	default:
		break;
	}

	ret = vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_EXEC, &x);
	igt_assert_f(ret == want, "%s: got %d (%s), want %d\n", exec_names[c],
		     ret, strerror(-ret), want);
	igt_assert_eq_u32(x.job_id, 0);

	/* Nothing ran: prove it with a valid job queued behind. */
	{
		uint64_t args[2] = { vsvm_va(buf) + 8, 0x99 };

		vsvm_t_run_ok(fd, vm, VSVM_T_PROG_ST64_AT, 1, args, 2);
		igt_assert_eq_u64(buf[1], 0x99);
	}
	igt_assert_eq_u64(buf[0], 0x77);

	if (sync)
		vsvm_syncobj_destroy(fd, sync);
	free(big);
	igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(buf), SZ_4K), 0);
	munmap(buf, SZ_4K);
}

igt_main
{
	igt_fixture {
		fd = vsvm_t_open(0);
		vm = vsvm_t_vm(fd);
		igt_assert_eq(vsvm_vm_create(fd, WIN_START, WIN_SIZE, &wvm), 0);
		va_bits = vsvm_t_param(fd, DRM_VSVM_PARAM_VA_BITS);
	}

	igt_describe("Open and close every vsvm render node; the driver is vsvm.");
	igt_subtest("open-close") {
		int n = vsvm_device_count();

		igt_assert_lt(0, n);
		for (int i = 0; i < n; i++) {
			int f = vsvm_t_open(i);
			drmVersionPtr v = drmGetVersion(f);

			igt_assert(v);
			igt_assert_eq(strcmp(v->name, "vsvm"), 0);
			/* drmGetVersion() and GET_PARAM tell one version. */
			igt_assert_eq(v->version_major,
				      (int)(vsvm_t_param(f, DRM_VSVM_PARAM_UAPI_VERSION) >> 16));
			igt_assert_eq(v->version_minor,
				      (int)(vsvm_t_param(f, DRM_VSVM_PARAM_UAPI_VERSION) & 0xffff));
			drmFreeVersion(v);
			igt_assert_eq_u64(vsvm_t_param(f, DRM_VSVM_PARAM_DEVICE_INDEX),
					  i);
			igt_assert_eq(close(f), 0);
		}
	}

	for (unsigned int i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		igt_describe("Read one device parameter and check its value.");
		igt_subtest_f("get-param-%s", params[i].name)
			check_param(params[i].param);
	}

	igt_describe("GET_PARAM with an unknown parameter: -EINVAL.");
	igt_subtest("get-param-bad-unknown") {
		struct drm_vsvm_get_param gp = {
			.param = DRM_VSVM_PARAM_FP64 + 1, .value = 0x55,
		};

		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_GET_PARAM, &gp),
			      -EINVAL);
		igt_assert_eq_u64(gp.value, 0x55);
	}

	igt_describe("GET_PARAM with a non-zero pad: -EINVAL.");
	igt_subtest("get-param-bad-pad") {
		struct drm_vsvm_get_param gp = {
			.param = DRM_VSVM_PARAM_UAPI_VERSION, .pad = 1,
			.value = 0x55,
		};

		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_GET_PARAM, &gp),
			      -EINVAL);
		igt_assert_eq_u64(gp.value, 0x55);
	}

	igt_describe("Create and destroy a VM; its id is dead afterwards.");
	igt_subtest("vm-create-destroy") {
		uint32_t id = vsvm_t_vm(fd), f;

		igt_assert_eq(vsvm_svm_query(fd, id, SZ_1G, 1, &f), 0);
		igt_assert_eq(vsvm_vm_destroy(fd, id), 0);
		igt_assert_eq(vsvm_svm_query(fd, id, SZ_1G, 1, &f), -ENOENT);
		igt_assert_eq(vsvm_mirror(fd, id, SZ_1G, SZ_4K, 0), -ENOENT);
	}

	igt_describe("64 VMs get distinct non-zero ids; each one mirrors.");
	igt_subtest("vm-create-many") {
		uint32_t ids[64];
		uint64_t *buf = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(buf != MAP_FAILED);
		for (int i = 0; i < 64; i++) {
			ids[i] = vsvm_t_vm(fd);
			for (int j = 0; j < i; j++)
				igt_assert_neq_u32(ids[i], ids[j]);
			vsvm_t_mirror(fd, ids[i], buf, SZ_4K);
		}
		/* Every VM sees the same memory. */
		for (int i = 0; i < 64; i += 21) {
			uint64_t args[2] = { vsvm_va(buf) + 8 * (i % 8), i };

			vsvm_t_run_ok(fd, ids[i], VSVM_T_PROG_ST64_AT, 1, args, 2);
			igt_assert_eq_u64(buf[i % 8], i);
		}
		for (int i = 0; i < 64; i++)
			igt_assert_eq(vsvm_vm_destroy(fd, ids[i]), 0);
		munmap(buf, SZ_4K);
	}

	igt_describe("A VM with an unmanaged window maps a GEM object in it.");
	igt_subtest("vm-create-window") {
		uint32_t bo = make_bo(2 * SZ_4K), f;
		uint64_t *cpu, *out;
		void *ptr;

		igt_assert_eq(vsvm_gem_mmap(fd, bo, 2 * SZ_4K, &ptr), 0);
		cpu = ptr;
		cpu[0] = 0x1122334455667788ull;
		out = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(out != MAP_FAILED);
		vsvm_t_mirror(fd, wvm, out, SZ_4K);
		igt_assert_eq(vsvm_map(fd, wvm, WIN_START, 2 * SZ_4K, bo, 0, 0), 0);
		igt_assert_eq(vsvm_svm_query(fd, wvm, WIN_START, 1, &f), 0);
		igt_assert(f & DRM_VSVM_QUERY_UNMANAGED);
		{
			uint64_t args[2] = { WIN_START, vsvm_va(out) };

			vsvm_t_run_ok(fd, wvm, VSVM_T_PROG_LD64_AT, 1, args, 2);
			igt_assert_eq_u64(out[0], 0x1122334455667788ull);
		}
		{
			uint64_t args[2] = { WIN_START + SZ_4K + 8, 0xfeed };

			vsvm_t_run_ok(fd, wvm, VSVM_T_PROG_ST64_AT, 1, args, 2);
			igt_assert_eq_u64(cpu[SZ_4K / 8 + 1], 0xfeed);
		}
		igt_assert_eq(vsvm_unmap(fd, wvm, WIN_START, 2 * SZ_4K), 0);
		igt_assert_eq(vsvm_svm_query(fd, wvm, WIN_START, 1, &f), 0);
		igt_assert_eq_u32(f, 0);
		igt_assert_eq(vsvm_unmirror(fd, wvm, vsvm_va(out), SZ_4K), 0);
		munmap(ptr, 2 * SZ_4K);
		munmap(out, SZ_4K);
		vsvm_gem_close(fd, bo);
	}

	igt_describe("A driver ioctl number past the last one fails with -EINVAL.");
	igt_subtest("unknown-ioctl") {
		uint64_t arg[8] = { 0 };

		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOWR(DRM_COMMAND_BASE + 0x30,
							uint64_t[8]), arg),
			      -EINVAL);
	}

	igt_describe("VM_BIND accepts a larger stride whose extra bytes are zero.");
	igt_subtest("bind-extended-stride") {
		uint8_t big[sizeof(struct drm_vsvm_vm_bind_op) + 16] = { 0 };
		struct drm_vsvm_vm_bind b = { 0 };
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint32_t v = vsvm_t_vm(fd);

		igt_assert(p != MAP_FAILED);
		mirror_op((struct drm_vsvm_vm_bind_op *)big, p, SZ_4K);
		b.vm_id = v;
		b.stride = sizeof(big);
		b.count = 1;
		b.ops_ptr = vsvm_va(big);
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_VM_BIND, &b), 0);
		igt_assert_eq_u32(b.done, 1);
		igt_assert(vsvm_t_query(fd, v, p) & DRM_VSVM_QUERY_MIRRORED);
		vsvm_t_roundtrip(fd, v, p, SZ_4K, 7);
		igt_assert_eq(vsvm_vm_destroy(fd, v), 0);
		munmap(p, SZ_4K);
	}

	igt_describe("Out-only fields are ignored on input: a submit struct and a GEM_CREATE struct reused as Mesa drivers do, and read_only = 2 accepted as 'non-zero'.");
	igt_subtest("reuse-structs") {
		uint64_t *buf = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct drm_vsvm_gem_create gc = { .size = SZ_4K };
		struct drm_vsvm_exec x = { 0 };
		uint64_t prog[4];
		uint32_t first, h1;

		igt_assert(buf != MAP_FAILED);
		vsvm_t_mirror(fd, vm, buf, SZ_4K);
		/* lane 0: u64 [r0] += 1 */
		prog[0] = vsvm_insn(DRM_VSVM_OP_LD64, 2, 0, 0, 0);
		prog[1] = vsvm_insn(DRM_VSVM_OP_ADDI, 2, 2, 0, 1);
		prog[2] = vsvm_insn(DRM_VSVM_OP_ST64, 0, 0, 2, 0);
		prog[3] = vsvm_insn(DRM_VSVM_OP_END, 0, 0, 0, 0);
		x.vm_id = vm;
		x.program_ptr = vsvm_va(prog);
		x.program_size = 4;
		x.invocations = 1;
		x.args[0] = vsvm_va(buf);
		buf[0] = 40;
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_EXEC, &x), 0);
		first = x.job_id;
		igt_assert_neq_u32(first, 0);
		igt_assert_eq_u32(vsvm_t_wait(fd, first, NULL), DRM_VSVM_JOB_DONE);
		/* The same struct again, job_id still holding the first id. */
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_EXEC, &x), 0);
		igt_assert_neq_u32(x.job_id, 0);
		igt_assert_neq_u32(x.job_id, first);
		igt_assert_eq_u32(vsvm_t_wait(fd, x.job_id, NULL), DRM_VSVM_JOB_DONE);
		igt_assert_eq_u64(buf[0], 42);
		/* An error leaves job_id zero, whatever it held. */
		x.flags = 1;
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_EXEC, &x), -EINVAL);
		igt_assert_eq_u32(x.job_id, 0);
		igt_assert_eq_u64(buf[0], 42);

		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_GEM_CREATE, &gc), 0);
		h1 = gc.handle;
		igt_assert_neq_u32(h1, 0);
		igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_GEM_CREATE, &gc), 0);
		igt_assert_neq_u32(gc.handle, 0);
		igt_assert_neq_u32(gc.handle, h1);
		vsvm_gem_close(fd, gc.handle);
		vsvm_gem_close(fd, h1);

		igt_assert_eq(vsvm_t_attr_set(fd, vm, buf, SZ_4K,
					      DRM_VSVM_LOCATION_SYSTEM,
					      DRM_VSVM_ACCESS_MIGRATE, SZ_4K, 2), 0);
		{
			struct drm_vsvm_svm_attr g = {
				.vm_id = vm, .addr = vsvm_va(buf), .range = SZ_4K,
			};

			igt_assert_eq(vsvm_t_ioctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_GET, &g), 0);
			igt_assert_eq_u32(g.read_only, 1);
		}
		igt_assert_eq(vsvm_unmirror(fd, vm, vsvm_va(buf), SZ_4K), 0);
		munmap(buf, SZ_4K);
	}

	for (int c = 0; c < BIND_CASES; c++) {
		igt_describe("VM_BIND with one bad field: documented errno, nothing changes.");
		igt_subtest_f("bad-%s", bind_names[c])
			bind_case(c);
	}

	for (int c = 0; c < MISC_CASES; c++) {
		igt_describe("An ioctl with one bad field: documented errno, nothing changes.");
		igt_subtest_f("bad-%s", misc_names[c])
			misc_case(c);
	}

	for (int c = 0; c < EXEC_CASES; c++) {
		igt_describe("EXEC with one bad field or a program the validator rejects: -EINVAL, nothing runs.");
		igt_subtest_f("bad-%s", exec_names[c])
			exec_case(c);
	}

	igt_fixture {
		vsvm_vm_destroy(fd, wvm);
		vsvm_vm_destroy(fd, vm);
		close(fd);
	}
}
