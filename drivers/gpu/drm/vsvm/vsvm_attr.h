/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_ATTR_H__
#define __VSVM_ATTR_H__

#include <linux/list.h>
#include <linux/types.h>

struct drm_device;
struct drm_file;
struct drm_vsvm_svm_attr;
struct vsvm_device;
struct vsvm_vm;

/**
 * struct vsvm_attrs - placement attributes of a range
 * @preferred: DRM_VSVM_LOCATION_*.
 * @policy: &enum drm_vsvm_access_policy.
 * @granularity: migration granularity in bytes.
 * @read_only: the GPU only reads the range.
 */
struct vsvm_attrs {
	u32 preferred;
	u32 policy;
	u32 granularity;
	bool read_only;
};

/**
 * struct vsvm_attr_range - attributes set on [start, end)
 * @link: entry in &vsvm_vm.attrs, sorted by address.
 * @start: first byte.
 * @end: end, exclusive.
 * @attrs: the attributes.
 */
struct vsvm_attr_range {
	struct list_head link;
	u64 start;
	u64 end;
	struct vsvm_attrs attrs;
};

struct vsvm_attrs vsvm_attr_lookup(struct vsvm_vm *vm, u64 addr, u64 *run_end);
bool vsvm_attr_location_valid(struct vsvm_vm *vm, u32 loc);
bool vsvm_attr_location_valid_dev(struct vsvm_device *vdev, u32 loc);
void vsvm_attr_free_all(struct vsvm_vm *vm);
int vsvm_svm_attr_set_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vsvm_svm_attr_get_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

#if IS_ENABLED(CONFIG_KUNIT)
struct vsvm_attrs vsvm_attr_list_lookup(const struct list_head *attrs, u64 addr,
					u64 *run_end);
int vsvm_attr_list_set(struct list_head *attrs, u64 start, u64 end,
		       const struct vsvm_attrs *a);
int vsvm_attr_args_check(struct vsvm_device *vdev,
			 const struct drm_vsvm_svm_attr *args, bool set);
#endif

#endif /* __VSVM_ATTR_H__ */
