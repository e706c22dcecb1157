// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the vsvm uAPI argument validators: for each ioctl, a
 * valid argument struct, then one case per field value that must be
 * accepted or refused, with the errno expected.
 *
 * Copyright 2026 The vsvm authors
 */

#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/stddef.h>

#include "../vsvm_attr.h"
#include "../vsvm_drv.h"
#include "../vsvm_gem.h"
#include "../vsvm_job.h"
#include "../vsvm_pt.h"
#include "../vsvm_vm.h"

/* The fake device is index 0 with VRAM and two engines; device 1 does not exist. */
#define UAPI_TEST_ENGINES	2
#define UAPI_TEST_VRAM		SZ_256M
/* The fake VM's unmanaged window. */
#define UAPI_TEST_WIN		BIT_ULL(40)
#define UAPI_TEST_WIN_SIZE	SZ_4M
/* Mirror addresses used by the cases. */
#define UAPI_TEST_ADDR		0x100000ull

/**
 * struct uapi_mod - one field set to one value
 * @off: offset of the field in the argument struct.
 * @size: its size in bytes (4 or 8; 0 ends the list).
 * @val: the value.
 */
struct uapi_mod {
	size_t off;
	size_t size;
	u64 val;
};

/**
 * struct uapi_case - the valid arguments with up to three fields changed
 * @name: what the case checks.
 * @mods: the changes.
 * @err: the errno expected, 0 for accepted.
 */
struct uapi_case {
	const char *name;
	struct uapi_mod mods[3];
	int err;
};

/* @bits is the width of @field, 32 or 64 (uapi_apply() checks the bounds). */
#define M(bits, type, field, v) { offsetof(type, field), (bits) / 8, (v) }

static void uapi_apply(struct kunit *test, void *args, size_t size,
		       const struct uapi_case *c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c->mods) && c->mods[i].size; i++) {
		void *f = (u8 *)args + c->mods[i].off;

		/* A wrong width in a case would write out of place. */
		KUNIT_ASSERT_TRUE(test, c->mods[i].size == sizeof(u32) ||
				  c->mods[i].size == sizeof(u64));
		KUNIT_ASSERT_LE(test, c->mods[i].off + c->mods[i].size, size);
		KUNIT_ASSERT_TRUE(test, IS_ALIGNED(c->mods[i].off, c->mods[i].size));
		KUNIT_ASSERT_TRUE(test, c->mods[i].size == sizeof(u64) ||
				  c->mods[i].val <= U32_MAX);

		if (c->mods[i].size == sizeof(u32))
			*(u32 *)f = c->mods[i].val;
		else
			*(u64 *)f = c->mods[i].val;
	}
}

static void uapi_case_desc(const struct uapi_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

struct uapi_test {
	struct vsvm_device *vdev;
	struct vsvm_vm *vm;
};

static int vsvm_uapi_test_init(struct kunit *test)
{
	struct uapi_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	/* Only what the validators read: index, VRAM size, VM window. */
	t->vdev = kunit_kzalloc(test, sizeof(*t->vdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->vdev);
	t->vdev->index = 0;
	t->vdev->vram.size = UAPI_TEST_VRAM;
	t->vdev->num_engines = UAPI_TEST_ENGINES;
	t->vm = kunit_kzalloc(test, sizeof(*t->vm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->vm);
	t->vm->vdev = t->vdev;
	t->vm->window_start = UAPI_TEST_WIN;
	t->vm->window_end = UAPI_TEST_WIN + UAPI_TEST_WIN_SIZE;
	test->priv = t;
	return 0;
}

/* ---- GEM_CREATE ---------------------------------------------------------- */

#define G(bits, f, v) M(bits, struct drm_vsvm_gem_create, f, v)

static const struct uapi_case gem_create_cases[] = {
	{ "valid", {}, 0 },
	{ "handle-out-only-ignored", { G(32, handle, 77) }, 0 },
	{ "size-unaligned", { G(64, size, 1) }, 0 },
	{ "size-max", { G(64, size, SZ_1G) }, 0 },
	{ "size-zero", { G(64, size, 0) }, -EINVAL },
	{ "size-too-big", { G(64, size, SZ_1G + 1) }, -E2BIG },
	{ "size-huge", { G(64, size, U64_MAX) }, -E2BIG },
	{ "flags-bit0", { G(32, flags, 1) }, -EINVAL },
	{ "flags-bit31", { G(32, flags, 1u << 31) }, -EINVAL },
};

KUNIT_ARRAY_PARAM(gem_create, gem_create_cases, uapi_case_desc);

static void vsvm_uapi_test_gem_create(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_gem_create args = { .size = SZ_4K };

	uapi_apply(test, &args, sizeof(args), c);
	KUNIT_EXPECT_EQ(test, vsvm_gem_create_args_check(t->vdev, &args), c->err);
}

/* ---- EXEC ---------------------------------------------------------------- */

#define E(bits, f, v) M(bits, struct drm_vsvm_exec, f, v)

static const struct uapi_case exec_cases[] = {
	{ "valid", {}, 0 },
	{ "job-id-out-only-ignored", { E(32, job_id, 12) }, 0 },
	{ "last-engine", { E(32, engine, UAPI_TEST_ENGINES - 1) }, 0 },
	{ "engine-out-of-range", { E(32, engine, UAPI_TEST_ENGINES) }, -EINVAL },
	{ "program-max", { E(32, program_size, 65536) }, 0 },
	{ "program-empty", { E(32, program_size, 0) }, -EINVAL },
	{ "program-too-long", { E(32, program_size, 65537) }, -EINVAL },
	{ "invocations-max", { E(32, invocations, 1u << 24) }, 0 },
	{ "invocations-zero", { E(32, invocations, 0) }, -EINVAL },
	{ "invocations-too-many", { E(32, invocations, (1u << 24) + 1) }, -EINVAL },
	{ "budget-any", { E(64, budget, U64_MAX) }, 0 },
	{ "in-syncs",
	  { E(64, in_syncs_ptr, 0x1000), E(32, in_sync_count, DRM_VSVM_EXEC_MAX_SYNCS) }, 0 },
	{ "in-syncs-too-many",
	  { E(64, in_syncs_ptr, 0x1000), E(32, in_sync_count, DRM_VSVM_EXEC_MAX_SYNCS + 1) }, -EINVAL },
	{ "in-syncs-ptr-without-count", { E(64, in_syncs_ptr, 0x1000) }, -EINVAL },
	{ "out-sync", { E(32, out_sync, 3) }, 0 },
	{ "flags", { E(32, flags, 1) }, -EINVAL },
	{ "flags-bit31", { E(32, flags, 1u << 31) }, -EINVAL },
	/* uAPI 1.2 work-groups: invocations 0 with a grid; see the next table. */
	{ "flat-group-count", { E(32, group_count[0], 1) }, -EINVAL },
	{ "flat-global-offset", { E(64, global_offset[2], 1) }, -EINVAL },
	{ "flat-local-mem", { E(32, local_mem_size, 8) }, -EINVAL },
	{ "flat-scratch", { E(32, scratch_size, 64) }, 0 },
	{ "scratch-misaligned", { E(32, scratch_size, 12) }, -EINVAL },
	{ "scratch-max", { E(32, scratch_size, VSVM_MAX_SCRATCH) }, 0 },
	{ "scratch-too-big", { E(32, scratch_size, VSVM_MAX_SCRATCH + 8) }, -EINVAL },
};

KUNIT_ARRAY_PARAM(exec, exec_cases, uapi_case_desc);

static void vsvm_uapi_test_exec(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_exec args = {
		.vm_id = 1, .program_ptr = 0x1000, .program_size = 2, .invocations = 1,
	};

	struct vsvm_job *job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, job);
	uapi_apply(test, &args, sizeof(args), c);
	KUNIT_EXPECT_EQ(test, vsvm_exec_check(t->vdev, &args, job), c->err);
}

/* Work-group jobs: a 4 x 2 x 1 grid of 8 x 4 x 2 lanes unless a case changes it. */
static const struct uapi_case exec_group_cases[] = {
	{ "valid", {}, 0 },
	{ "invocations-set", { E(32, invocations, 1) }, -EINVAL },
	{ "group-size-y-zero", { E(32, group_size[1], 0) }, -EINVAL },
	{ "group-count-z-zero", { E(32, group_count[2], 0) }, -EINVAL },
	{ "group-max-lanes", { E(32, group_size[0], VSVM_MAX_GROUP_LANES / 8) }, 0 },
	{ "group-too-many-lanes",
	  { E(32, group_size[0], VSVM_MAX_GROUP_LANES / 8 + 1) }, -EINVAL },
	{ "grid-too-many-lanes", { E(32, group_count[0], 1u << 24) }, -EINVAL },
	{ "global-offset", { E(64, global_offset[0], U64_MAX) }, 0 },
	{ "local-max", { E(32, local_mem_size, VSVM_MAX_LOCAL_MEM) }, 0 },
	{ "local-too-big", { E(32, local_mem_size, VSVM_MAX_LOCAL_MEM + 1) }, -EINVAL },
	{ "scratch-group-too-big",
	  { E(32, group_size[0], VSVM_MAX_GROUP_LANES / 8),
	    E(32, scratch_size, VSVM_MAX_SCRATCH) }, -EINVAL },
};

KUNIT_ARRAY_PARAM(exec_group, exec_group_cases, uapi_case_desc);

static void vsvm_uapi_test_exec_group(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_exec args = {
		.vm_id = 1, .program_ptr = 0x1000, .program_size = 2,
		.group_size = { 8, 4, 2 }, .group_count = { 4, 2, 1 },
	};
	struct vsvm_job *job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, job);
	uapi_apply(test, &args, sizeof(args), c);
	KUNIT_EXPECT_EQ(test, vsvm_exec_check(t->vdev, &args, job), c->err);
	if (!c->err) {
		KUNIT_EXPECT_TRUE(test, job->groups);
		KUNIT_EXPECT_EQ(test, job->invocations,
				(u64)args.group_size[0] * args.group_size[1] *
				args.group_size[2] * args.group_count[0] *
				args.group_count[1] * args.group_count[2]);
	}
}

/* ---- VM_CREATE ----------------------------------------------------------- */

#define C(bits, f, v) M(bits, struct drm_vsvm_vm_create, f, v)

static const struct uapi_case vm_create_cases[] = {
	{ "valid-no-window", {}, 0 },
	{ "vm-id-out-only-ignored", { C(32, vm_id, 9) }, 0 },
	{ "window", { C(64, unmanaged_start, SZ_2M), C(64, unmanaged_size, SZ_2M) }, 0 },
	{ "window-at-va-end",
	  { C(64, unmanaged_start, VSVM_VA_END - SZ_2M), C(64, unmanaged_size, SZ_2M) }, 0 },
	{ "flags", { C(32, flags, 1) }, -EINVAL },
	{ "start-without-size", { C(64, unmanaged_start, SZ_2M) }, -EINVAL },
	{ "start-unaligned",
	  { C(64, unmanaged_start, SZ_2M + SZ_4K), C(64, unmanaged_size, SZ_2M) }, -EINVAL },
	{ "size-unaligned",
	  { C(64, unmanaged_start, SZ_2M), C(64, unmanaged_size, SZ_4K) }, -EINVAL },
	{ "beyond-va-end",
	  { C(64, unmanaged_start, VSVM_VA_END - SZ_2M), C(64, unmanaged_size, SZ_4M) }, -EINVAL },
	{ "overflow",
	  { C(64, unmanaged_start, U64_MAX & ~(u64)(SZ_2M - 1)), C(64, unmanaged_size, SZ_4M) },
	  -EINVAL },
};

KUNIT_ARRAY_PARAM(vm_create, vm_create_cases, uapi_case_desc);

static void vsvm_uapi_test_vm_create(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_vm_create args = {};

	uapi_apply(test, &args, sizeof(args), c);
	KUNIT_EXPECT_EQ(test, vsvm_vm_create_args_check(t->vdev, &args), c->err);
}

/* ---- VM_BIND header ------------------------------------------------------ */

#define B(bits, f, v) M(bits, struct drm_vsvm_vm_bind, f, v)

static const struct uapi_case vm_bind_cases[] = {
	{ "valid", {}, 0 },
	{ "done-out-only-ignored", { B(32, done, 3) }, 0 },
	{ "count-max", { B(32, count, 256) }, 0 },
	{ "stride-current", { B(32, stride, sizeof(struct drm_vsvm_vm_bind_op)) }, 0 },
	{ "stride-future", { B(32, stride, 4096) }, 0 },
	{ "flags", { B(32, flags, 1) }, -EINVAL },
	{ "pad", { B(32, pad, 1) }, -EINVAL },
	{ "count-zero", { B(32, count, 0) }, -EINVAL },
	{ "count-too-many", { B(32, count, 257) }, -EINVAL },
	{ "stride-too-small", { B(32, stride, DRM_VSVM_BIND_OP_SIZE_V1 - 8) }, -EINVAL },
};

KUNIT_ARRAY_PARAM(vm_bind, vm_bind_cases, uapi_case_desc);

static void vsvm_uapi_test_vm_bind(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_vm_bind args = {
		.vm_id = 1, .stride = DRM_VSVM_BIND_OP_SIZE_V1, .count = 1,
		.ops_ptr = 0x1000,
	};

	uapi_apply(test, &args, sizeof(args), c);
	KUNIT_EXPECT_EQ(test, vsvm_vm_bind_args_check(t->vdev, &args), c->err);
}

/* ---- VM_BIND operation --------------------------------------------------- */

#define O(bits, f, v) M(bits, struct drm_vsvm_vm_bind_op, f, v)
#define OP(o) O(32, op, DRM_VSVM_BIND_OP_##o)

/* The valid operation: MIRROR one page at UAPI_TEST_ADDR. */
static const struct uapi_case bind_op_cases[] = {
	{ "mirror", {}, 0 },
	{ "mirror-snapshot", { O(32, flags, DRM_VSVM_BIND_SNAPSHOT) }, 0 },
	{ "mirror-readonly", { O(32, flags, DRM_VSVM_BIND_READONLY) }, -EINVAL },
	{ "mirror-unknown-flag", { O(32, flags, 1u << 31) }, -EINVAL },
	{ "unmirror", { OP(UNMIRROR) }, 0 },
	{ "unmirror-snapshot", { OP(UNMIRROR), O(32, flags, DRM_VSVM_BIND_SNAPSHOT) }, -EINVAL },
	{ "op-unknown", { O(32, op, DRM_VSVM_BIND_OP_PREFETCH + 1) }, -EINVAL },
	{ "op-huge", { O(32, op, U32_MAX) }, -EINVAL },
	{ "pad", { O(32, pad, 1) }, -EINVAL },
	{ "pad2", { O(32, pad2, 1) }, -EINVAL },
	{ "outputs-ignored", { O(64, pages_done, 5), O(64, pages_failed, 6) }, 0 },
	{ "range-zero", { O(64, range, 0) }, -EINVAL },
	{ "addr-unaligned", { O(64, addr, UAPI_TEST_ADDR + 8) }, -EINVAL },
	{ "range-unaligned", { O(64, range, SZ_4K + 8) }, -EINVAL },
	{ "range-to-va-end", { O(64, addr, VSVM_VA_END - SZ_4K) }, 0 },
	{ "range-beyond-va-end", { O(64, addr, VSVM_VA_END) }, -EINVAL },
	{ "range-overflow", { O(64, addr, U64_MAX & PAGE_MASK), O(64, range, SZ_8K) }, -EINVAL },
	{ "mirror-handle", { O(32, handle, 1) }, -EINVAL },
	{ "mirror-bo-offset", { O(64, bo_offset, SZ_4K) }, -EINVAL },
	{ "mirror-status-ptr", { O(64, status_ptr, 0x1000) }, -EINVAL },
	{ "mirror-location", { O(32, location, DRM_VSVM_LOCATION_SYSTEM) }, -EINVAL },
	{ "mirror-in-window", { O(64, addr, UAPI_TEST_WIN) }, -EINVAL },
	{ "mirror-overlaps-window",
	  { O(64, addr, UAPI_TEST_WIN - SZ_4K), O(64, range, SZ_8K) }, -EINVAL },
	{ "mirror-after-window", { O(64, addr, UAPI_TEST_WIN + UAPI_TEST_WIN_SIZE) }, 0 },
	{ "prefetch", { OP(PREFETCH), O(64, status_ptr, 0x1000) }, 0 },
	{ "prefetch-snapshot", { OP(PREFETCH), O(32, flags, DRM_VSVM_BIND_SNAPSHOT) }, 0 },
	{ "prefetch-system", { OP(PREFETCH), O(32, location, DRM_VSVM_LOCATION_SYSTEM) }, 0 },
	{ "prefetch-own-vram",
	  { OP(PREFETCH), O(32, location, DRM_VSVM_LOCATION_DEVICE(0)) }, 0 },
	{ "prefetch-other-device",
	  { OP(PREFETCH), O(32, location, DRM_VSVM_LOCATION_DEVICE(1)) }, -EINVAL },
	{ "prefetch-location-unknown", { OP(PREFETCH), O(32, location, 2) }, -EINVAL },
	{ "prefetch-in-window", { OP(PREFETCH), O(64, addr, UAPI_TEST_WIN) }, -EINVAL },
	{ "prefetch-handle", { OP(PREFETCH), O(32, handle, 1) }, -EINVAL },
	{ "map", { OP(MAP), O(64, addr, UAPI_TEST_WIN), O(32, handle, 1) }, 0 },
	{ "map-readonly",
	  { OP(MAP), O(64, addr, UAPI_TEST_WIN), O(32, flags, DRM_VSVM_BIND_READONLY) },
	  0 },
	{ "map-snapshot",
	  { OP(MAP), O(64, addr, UAPI_TEST_WIN), O(32, flags, DRM_VSVM_BIND_SNAPSHOT) },
	  -EINVAL },
	{ "map-bo-offset", { OP(MAP), O(64, addr, UAPI_TEST_WIN), O(64, bo_offset, SZ_8K) }, 0 },
	{ "map-bo-offset-unaligned",
	  { OP(MAP), O(64, addr, UAPI_TEST_WIN), O(64, bo_offset, 8) }, -EINVAL },
	{ "map-outside-window", { OP(MAP) }, -EINVAL },
	{ "map-past-window-end",
	  { OP(MAP), O(64, addr, UAPI_TEST_WIN + UAPI_TEST_WIN_SIZE - SZ_4K), O(64, range, SZ_8K) },
	  -EINVAL },
	{ "map-status-ptr", { OP(MAP), O(64, addr, UAPI_TEST_WIN), O(64, status_ptr, 0x1000) },
	  -EINVAL },
	{ "unmap", { OP(UNMAP), O(64, addr, UAPI_TEST_WIN) }, 0 },
	{ "unmap-outside-window", { OP(UNMAP) }, -EINVAL },
	{ "unmap-handle", { OP(UNMAP), O(64, addr, UAPI_TEST_WIN), O(32, handle, 1) }, -EINVAL },
};

KUNIT_ARRAY_PARAM(bind_op, bind_op_cases, uapi_case_desc);

static void vsvm_uapi_test_bind_op(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_vm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_MIRROR, .addr = UAPI_TEST_ADDR, .range = SZ_4K,
	};

	uapi_apply(test, &op, sizeof(op), c);
	KUNIT_EXPECT_EQ(test, vsvm_bind_op_check(t->vm, &op), c->err);
}

/* ---- SVM_ATTR_SET / SVM_ATTR_GET ----------------------------------------- */

#define A(bits, f, v) M(bits, struct drm_vsvm_svm_attr, f, v)

static const struct uapi_case attr_set_cases[] = {
	{ "valid", {}, 0 },
	{ "flags", { A(32, flags, 1) }, -EINVAL },
	{ "pad", { A(32, pad, 1) }, -EINVAL },
	{ "range-zero", { A(64, range, 0) }, -EINVAL },
	{ "addr-unaligned", { A(64, addr, UAPI_TEST_ADDR + 8) }, -EINVAL },
	{ "range-unaligned", { A(64, range, SZ_4K + 8) }, -EINVAL },
	{ "range-beyond-va-end",
	  { A(64, addr, VSVM_VA_END - SZ_4K), A(64, range, SZ_8K) }, -EINVAL },
	{ "range-overflow", { A(64, addr, U64_MAX & PAGE_MASK), A(64, range, SZ_8K) }, -EINVAL },
	{ "location-system", { A(32, preferred_location, DRM_VSVM_LOCATION_SYSTEM) }, 0 },
	{ "location-own-vram", { A(32, preferred_location, DRM_VSVM_LOCATION_DEVICE(0)) }, 0 },
	{ "location-other-device",
	  { A(32, preferred_location, DRM_VSVM_LOCATION_DEVICE(1)) }, -EINVAL },
	{ "location-unknown", { A(32, preferred_location, 2) }, -EINVAL },
	{ "policy-in-place", { A(32, access_policy, DRM_VSVM_ACCESS_IN_PLACE) }, 0 },
	{ "policy-unknown", { A(32, access_policy, DRM_VSVM_ACCESS_IN_PLACE + 1) }, -EINVAL },
	{ "granularity-page", { A(64, granularity, PAGE_SIZE) }, 0 },
	{ "granularity-64k", { A(64, granularity, SZ_64K) }, 0 },
	{ "granularity-zero", { A(64, granularity, 0) }, -EINVAL },
	{ "granularity-below-page", { A(64, granularity, PAGE_SIZE / 2) }, -EINVAL },
	{ "granularity-above-2m", { A(64, granularity, SZ_4M) }, -EINVAL },
	{ "granularity-not-pow2", { A(64, granularity, 3 * PAGE_SIZE) }, -EINVAL },
	{ "read-only-1", { A(32, read_only, 1) }, 0 },
	{ "read-only-any-non-zero", { A(32, read_only, 2) }, 0 },
};

KUNIT_ARRAY_PARAM(attr_set, attr_set_cases, uapi_case_desc);

static struct drm_vsvm_svm_attr uapi_attr_valid(void)
{
	return (struct drm_vsvm_svm_attr) {
		.vm_id = 1, .addr = UAPI_TEST_ADDR, .range = SZ_64K,
		.preferred_location = DRM_VSVM_LOCATION_ANY,
		.access_policy = DRM_VSVM_ACCESS_MIGRATE,
		.granularity = SZ_2M,
	};
}

static void vsvm_uapi_test_attr_set(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_svm_attr args = uapi_attr_valid();

	uapi_apply(test, &args, sizeof(args), c);
	KUNIT_EXPECT_EQ(test, vsvm_attr_args_check(t->vdev, &args, true), c->err);
}

/* GET: the attribute fields are outputs, only the range is checked. */
static const struct uapi_case attr_get_cases[] = {
	{ "valid", {}, 0 },
	{ "outputs-ignored",
	  { A(32, preferred_location, 0xdead), A(32, access_policy, 9), A(64, granularity, 0) },
	  0 },
	{ "flags", { A(32, flags, 1) }, -EINVAL },
	{ "pad", { A(32, pad, 1) }, -EINVAL },
	{ "range-zero", { A(64, range, 0) }, -EINVAL },
	{ "addr-unaligned", { A(64, addr, UAPI_TEST_ADDR + 8) }, -EINVAL },
	{ "range-beyond-va-end",
	  { A(64, addr, VSVM_VA_END - SZ_4K), A(64, range, SZ_8K) }, -EINVAL },
};

KUNIT_ARRAY_PARAM(attr_get, attr_get_cases, uapi_case_desc);

static void vsvm_uapi_test_attr_get(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_svm_attr args = uapi_attr_valid();

	uapi_apply(test, &args, sizeof(args), c);
	KUNIT_EXPECT_EQ(test, vsvm_attr_args_check(t->vdev, &args, false), c->err);
}

static struct kunit_case vsvm_uapi_cases[] = {
	KUNIT_CASE_PARAM(vsvm_uapi_test_exec, exec_gen_params),
	KUNIT_CASE_PARAM(vsvm_uapi_test_exec_group, exec_group_gen_params),
	KUNIT_CASE_PARAM(vsvm_uapi_test_gem_create, gem_create_gen_params),
	KUNIT_CASE_PARAM(vsvm_uapi_test_vm_create, vm_create_gen_params),
	KUNIT_CASE_PARAM(vsvm_uapi_test_vm_bind, vm_bind_gen_params),
	KUNIT_CASE_PARAM(vsvm_uapi_test_bind_op, bind_op_gen_params),
	KUNIT_CASE_PARAM(vsvm_uapi_test_attr_set, attr_set_gen_params),
	KUNIT_CASE_PARAM(vsvm_uapi_test_attr_get, attr_get_gen_params),
	{}
};

static struct kunit_suite vsvm_uapi_suite = {
	.name = "vsvm_uapi",
	.init = vsvm_uapi_test_init,
	.test_cases = vsvm_uapi_cases,
};

kunit_test_suite(vsvm_uapi_suite);
