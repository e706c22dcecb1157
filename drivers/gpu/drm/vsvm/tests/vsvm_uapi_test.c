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
#include "../vsvm_pt.h"
#include "../vsvm_vm.h"

/* The fake device is index 0 with VRAM; device 1 does not exist. */
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

#define M(type, field, v) { offsetof(type, field), sizeof_field(type, field), (v) }

static void uapi_apply(void *args, const struct uapi_case *c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c->mods) && c->mods[i].size; i++) {
		void *f = (u8 *)args + c->mods[i].off;

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
	t->vm = kunit_kzalloc(test, sizeof(*t->vm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->vm);
	t->vm->vdev = t->vdev;
	t->vm->window_start = UAPI_TEST_WIN;
	t->vm->window_end = UAPI_TEST_WIN + UAPI_TEST_WIN_SIZE;
	test->priv = t;
	return 0;
}

/* ---- GEM_CREATE ---------------------------------------------------------- */

#define G(f, v) M(struct drm_vsvm_gem_create, f, v)

static const struct uapi_case gem_create_cases[] = {
	{ "valid", {}, 0 },
	{ "handle-out-only-ignored", { G(handle, 77) }, 0 },
	{ "size-unaligned", { G(size, 1) }, 0 },
	{ "size-max", { G(size, SZ_1G) }, 0 },
	{ "size-zero", { G(size, 0) }, -EINVAL },
	{ "size-too-big", { G(size, SZ_1G + 1) }, -E2BIG },
	{ "size-huge", { G(size, U64_MAX) }, -E2BIG },
	{ "flags-bit0", { G(flags, 1) }, -EINVAL },
	{ "flags-bit31", { G(flags, 1u << 31) }, -EINVAL },
};

KUNIT_ARRAY_PARAM(gem_create, gem_create_cases, uapi_case_desc);

static void vsvm_uapi_test_gem_create(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_gem_create args = { .size = SZ_4K };

	uapi_apply(&args, c);
	KUNIT_EXPECT_EQ(test, vsvm_gem_create_args_check(t->vdev, &args), c->err);
}

/* ---- VM_CREATE ----------------------------------------------------------- */

#define C(f, v) M(struct drm_vsvm_vm_create, f, v)

static const struct uapi_case vm_create_cases[] = {
	{ "valid-no-window", {}, 0 },
	{ "vm-id-out-only-ignored", { C(vm_id, 9) }, 0 },
	{ "window", { C(unmanaged_start, SZ_2M), C(unmanaged_size, SZ_2M) }, 0 },
	{ "window-at-va-end",
	  { C(unmanaged_start, VSVM_VA_END - SZ_2M), C(unmanaged_size, SZ_2M) }, 0 },
	{ "flags", { C(flags, 1) }, -EINVAL },
	{ "start-without-size", { C(unmanaged_start, SZ_2M) }, -EINVAL },
	{ "start-unaligned",
	  { C(unmanaged_start, SZ_2M + SZ_4K), C(unmanaged_size, SZ_2M) }, -EINVAL },
	{ "size-unaligned",
	  { C(unmanaged_start, SZ_2M), C(unmanaged_size, SZ_4K) }, -EINVAL },
	{ "beyond-va-end",
	  { C(unmanaged_start, VSVM_VA_END - SZ_2M), C(unmanaged_size, SZ_4M) }, -EINVAL },
	{ "overflow",
	  { C(unmanaged_start, U64_MAX & ~(u64)(SZ_2M - 1)), C(unmanaged_size, SZ_4M) },
	  -EINVAL },
};

KUNIT_ARRAY_PARAM(vm_create, vm_create_cases, uapi_case_desc);

static void vsvm_uapi_test_vm_create(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_vm_create args = {};

	uapi_apply(&args, c);
	KUNIT_EXPECT_EQ(test, vsvm_vm_create_args_check(t->vdev, &args), c->err);
}

/* ---- VM_BIND header ------------------------------------------------------ */

#define B(f, v) M(struct drm_vsvm_vm_bind, f, v)

static const struct uapi_case vm_bind_cases[] = {
	{ "valid", {}, 0 },
	{ "done-out-only-ignored", { B(done, 3) }, 0 },
	{ "count-max", { B(count, 256) }, 0 },
	{ "stride-current", { B(stride, sizeof(struct drm_vsvm_vm_bind_op)) }, 0 },
	{ "stride-future", { B(stride, 4096) }, 0 },
	{ "flags", { B(flags, 1) }, -EINVAL },
	{ "pad", { B(pad, 1) }, -EINVAL },
	{ "count-zero", { B(count, 0) }, -EINVAL },
	{ "count-too-many", { B(count, 257) }, -EINVAL },
	{ "stride-too-small", { B(stride, DRM_VSVM_BIND_OP_SIZE_V1 - 8) }, -EINVAL },
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

	uapi_apply(&args, c);
	KUNIT_EXPECT_EQ(test, vsvm_vm_bind_args_check(t->vdev, &args), c->err);
}

/* ---- VM_BIND operation --------------------------------------------------- */

#define O(f, v) M(struct drm_vsvm_vm_bind_op, f, v)
#define OP(o) O(op, DRM_VSVM_BIND_OP_##o)

/* The valid operation: MIRROR one page at UAPI_TEST_ADDR. */
static const struct uapi_case bind_op_cases[] = {
	{ "mirror", {}, 0 },
	{ "mirror-snapshot", { O(flags, DRM_VSVM_BIND_SNAPSHOT) }, 0 },
	{ "mirror-readonly", { O(flags, DRM_VSVM_BIND_READONLY) }, -EINVAL },
	{ "mirror-unknown-flag", { O(flags, 1u << 31) }, -EINVAL },
	{ "unmirror", { OP(UNMIRROR) }, 0 },
	{ "unmirror-snapshot", { OP(UNMIRROR), O(flags, DRM_VSVM_BIND_SNAPSHOT) }, -EINVAL },
	{ "op-unknown", { O(op, DRM_VSVM_BIND_OP_PREFETCH + 1) }, -EINVAL },
	{ "op-huge", { O(op, U32_MAX) }, -EINVAL },
	{ "pad", { O(pad, 1) }, -EINVAL },
	{ "pad2", { O(pad2, 1) }, -EINVAL },
	{ "outputs-ignored", { O(pages_done, 5), O(pages_failed, 6) }, 0 },
	{ "range-zero", { O(range, 0) }, -EINVAL },
	{ "addr-unaligned", { O(addr, UAPI_TEST_ADDR + 8) }, -EINVAL },
	{ "range-unaligned", { O(range, SZ_4K + 8) }, -EINVAL },
	{ "range-to-va-end", { O(addr, VSVM_VA_END - SZ_4K) }, 0 },
	{ "range-beyond-va-end", { O(addr, VSVM_VA_END) }, -EINVAL },
	{ "range-overflow", { O(addr, U64_MAX & PAGE_MASK), O(range, SZ_8K) }, -EINVAL },
	{ "mirror-handle", { O(handle, 1) }, -EINVAL },
	{ "mirror-bo-offset", { O(bo_offset, SZ_4K) }, -EINVAL },
	{ "mirror-status-ptr", { O(status_ptr, 0x1000) }, -EINVAL },
	{ "mirror-location", { O(location, DRM_VSVM_LOCATION_SYSTEM) }, -EINVAL },
	{ "mirror-in-window", { O(addr, UAPI_TEST_WIN) }, -EINVAL },
	{ "mirror-overlaps-window",
	  { O(addr, UAPI_TEST_WIN - SZ_4K), O(range, SZ_8K) }, -EINVAL },
	{ "mirror-after-window", { O(addr, UAPI_TEST_WIN + UAPI_TEST_WIN_SIZE) }, 0 },
	{ "prefetch", { OP(PREFETCH), O(status_ptr, 0x1000) }, 0 },
	{ "prefetch-snapshot", { OP(PREFETCH), O(flags, DRM_VSVM_BIND_SNAPSHOT) }, 0 },
	{ "prefetch-system", { OP(PREFETCH), O(location, DRM_VSVM_LOCATION_SYSTEM) }, 0 },
	{ "prefetch-own-vram",
	  { OP(PREFETCH), O(location, DRM_VSVM_LOCATION_DEVICE(0)) }, 0 },
	{ "prefetch-other-device",
	  { OP(PREFETCH), O(location, DRM_VSVM_LOCATION_DEVICE(1)) }, -EINVAL },
	{ "prefetch-location-unknown", { OP(PREFETCH), O(location, 2) }, -EINVAL },
	{ "prefetch-in-window", { OP(PREFETCH), O(addr, UAPI_TEST_WIN) }, -EINVAL },
	{ "prefetch-handle", { OP(PREFETCH), O(handle, 1) }, -EINVAL },
	{ "map", { OP(MAP), O(addr, UAPI_TEST_WIN), O(handle, 1) }, 0 },
	{ "map-readonly", { OP(MAP), O(addr, UAPI_TEST_WIN), O(flags, DRM_VSVM_BIND_READONLY) },
	  0 },
	{ "map-snapshot", { OP(MAP), O(addr, UAPI_TEST_WIN), O(flags, DRM_VSVM_BIND_SNAPSHOT) },
	  -EINVAL },
	{ "map-bo-offset", { OP(MAP), O(addr, UAPI_TEST_WIN), O(bo_offset, SZ_8K) }, 0 },
	{ "map-bo-offset-unaligned",
	  { OP(MAP), O(addr, UAPI_TEST_WIN), O(bo_offset, 8) }, -EINVAL },
	{ "map-outside-window", { OP(MAP) }, -EINVAL },
	{ "map-past-window-end",
	  { OP(MAP), O(addr, UAPI_TEST_WIN + UAPI_TEST_WIN_SIZE - SZ_4K), O(range, SZ_8K) },
	  -EINVAL },
	{ "map-status-ptr", { OP(MAP), O(addr, UAPI_TEST_WIN), O(status_ptr, 0x1000) },
	  -EINVAL },
	{ "unmap", { OP(UNMAP), O(addr, UAPI_TEST_WIN) }, 0 },
	{ "unmap-outside-window", { OP(UNMAP) }, -EINVAL },
	{ "unmap-handle", { OP(UNMAP), O(addr, UAPI_TEST_WIN), O(handle, 1) }, -EINVAL },
};

KUNIT_ARRAY_PARAM(bind_op, bind_op_cases, uapi_case_desc);

static void vsvm_uapi_test_bind_op(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_vm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_MIRROR, .addr = UAPI_TEST_ADDR, .range = SZ_4K,
	};

	uapi_apply(&op, c);
	KUNIT_EXPECT_EQ(test, vsvm_bind_op_check(t->vm, &op), c->err);
}

/* ---- SVM_ATTR_SET / SVM_ATTR_GET ----------------------------------------- */

#define A(f, v) M(struct drm_vsvm_svm_attr, f, v)

static const struct uapi_case attr_set_cases[] = {
	{ "valid", {}, 0 },
	{ "flags", { A(flags, 1) }, -EINVAL },
	{ "pad", { A(pad, 1) }, -EINVAL },
	{ "range-zero", { A(range, 0) }, -EINVAL },
	{ "addr-unaligned", { A(addr, UAPI_TEST_ADDR + 8) }, -EINVAL },
	{ "range-unaligned", { A(range, SZ_4K + 8) }, -EINVAL },
	{ "range-beyond-va-end", { A(addr, VSVM_VA_END - SZ_4K), A(range, SZ_8K) }, -EINVAL },
	{ "range-overflow", { A(addr, U64_MAX & PAGE_MASK), A(range, SZ_8K) }, -EINVAL },
	{ "location-system", { A(preferred_location, DRM_VSVM_LOCATION_SYSTEM) }, 0 },
	{ "location-own-vram", { A(preferred_location, DRM_VSVM_LOCATION_DEVICE(0)) }, 0 },
	{ "location-other-device",
	  { A(preferred_location, DRM_VSVM_LOCATION_DEVICE(1)) }, -EINVAL },
	{ "location-unknown", { A(preferred_location, 2) }, -EINVAL },
	{ "policy-in-place", { A(access_policy, DRM_VSVM_ACCESS_IN_PLACE) }, 0 },
	{ "policy-unknown", { A(access_policy, DRM_VSVM_ACCESS_IN_PLACE + 1) }, -EINVAL },
	{ "granularity-page", { A(granularity, PAGE_SIZE) }, 0 },
	{ "granularity-64k", { A(granularity, SZ_64K) }, 0 },
	{ "granularity-zero", { A(granularity, 0) }, -EINVAL },
	{ "granularity-below-page", { A(granularity, PAGE_SIZE / 2) }, -EINVAL },
	{ "granularity-above-2m", { A(granularity, SZ_4M) }, -EINVAL },
	{ "granularity-not-pow2", { A(granularity, 3 * PAGE_SIZE) }, -EINVAL },
	{ "read-only-1", { A(read_only, 1) }, 0 },
	{ "read-only-any-non-zero", { A(read_only, 2) }, 0 },
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

	uapi_apply(&args, c);
	KUNIT_EXPECT_EQ(test, vsvm_attr_args_check(t->vdev, &args, true), c->err);
}

/* GET: the attribute fields are outputs, only the range is checked. */
static const struct uapi_case attr_get_cases[] = {
	{ "valid", {}, 0 },
	{ "outputs-ignored",
	  { A(preferred_location, 0xdead), A(access_policy, 9), A(granularity, 0) }, 0 },
	{ "flags", { A(flags, 1) }, -EINVAL },
	{ "pad", { A(pad, 1) }, -EINVAL },
	{ "range-zero", { A(range, 0) }, -EINVAL },
	{ "addr-unaligned", { A(addr, UAPI_TEST_ADDR + 8) }, -EINVAL },
	{ "range-beyond-va-end", { A(addr, VSVM_VA_END - SZ_4K), A(range, SZ_8K) }, -EINVAL },
};

KUNIT_ARRAY_PARAM(attr_get, attr_get_cases, uapi_case_desc);

static void vsvm_uapi_test_attr_get(struct kunit *test)
{
	const struct uapi_case *c = test->param_value;
	struct uapi_test *t = test->priv;
	struct drm_vsvm_svm_attr args = uapi_attr_valid();

	uapi_apply(&args, c);
	KUNIT_EXPECT_EQ(test, vsvm_attr_args_check(t->vdev, &args, false), c->err);
}

static struct kunit_case vsvm_uapi_cases[] = {
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
