// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/error-injection.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "vsvm_attr.h"
#include "vsvm_drv.h"
#include "vsvm_vm.h"

/**
 * DOC: Placement attributes
 *
 * DRM_IOCTL_VSVM_SVM_ATTR_SET gives a range of a VM a preferred location
 * (system memory, the VM's device VRAM, or none), an access policy (a GPU
 * fault may migrate the pages to the preferred location, or must map them
 * where they are), a migration granularity (the size of the block a CPU
 * fault brings back from VRAM) and a read-only hint (the GPU only reads:
 * prefetch does not ask for write access, so copy-on-write pages are not
 * broken). The VM keeps a sorted list of non-overlapping attribute ranges;
 * setting a range splits the ranges it cuts.
 */

static const struct vsvm_attrs vsvm_attrs_default = {
	.preferred = DRM_VSVM_LOCATION_ANY,
	.policy = DRM_VSVM_ACCESS_MIGRATE,
	.granularity = VSVM_HUGE_SIZE,
	.read_only = false,
};

/**
 * vsvm_attr_lookup() - attributes in effect at @addr
 * @vm: the VM
 * @addr: GPU VA
 * @run_end: optional out, end of the run of addresses sharing them
 *
 * Context: VM bind lock held.
 * Return: the attributes (defaults where none were set).
 */
struct vsvm_attrs vsvm_attr_lookup(struct vsvm_vm *vm, u64 addr, u64 *run_end)
{
	struct vsvm_attr_range *r;
	u64 end = VSVM_VA_END;

	lockdep_assert_held(&vm->lock);
	list_for_each_entry(r, &vm->attrs, link) {
		if (addr < r->start) {
			end = r->start;
			break;
		}
		if (addr < r->end) {
			if (run_end)
				*run_end = r->end;
			return r->attrs;
		}
	}
	if (run_end)
		*run_end = end;
	return vsvm_attrs_default;
}

/* Split the range containing @addr so that a range boundary falls on it. */
static noinline int vsvm_attr_split(struct vsvm_vm *vm, u64 addr)
{
	struct vsvm_attr_range *r, *n;

	list_for_each_entry(r, &vm->attrs, link) {
		if (addr <= r->start || addr >= r->end)
			continue;
		n = kmalloc(sizeof(*n), GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		*n = *r;
		n->start = addr;
		r->end = addr;
		list_add(&n->link, &r->link);
		return 0;
	}
	return 0;
}
ALLOW_ERROR_INJECTION(vsvm_attr_split, ERRNO);

/**
 * vsvm_attr_free_all() - drop every attribute range of a VM
 * @vm: the VM
 */
void vsvm_attr_free_all(struct vsvm_vm *vm)
{
	struct vsvm_attr_range *r, *tmp;

	list_for_each_entry_safe(r, tmp, &vm->attrs, link) {
		list_del(&r->link);
		kfree(r);
	}
}

/**
 * vsvm_attr_location_valid() - may @loc be used by @vm?
 * @vm: the VM
 * @loc: a DRM_VSVM_LOCATION_* value
 *
 * Only the VM's own device VRAM can be a device location (a page in
 * another device's VRAM is not addressable by this one).
 *
 * Return: true if valid.
 */
bool vsvm_attr_location_valid(struct vsvm_vm *vm, u32 loc)
{
	return loc == DRM_VSVM_LOCATION_ANY || loc == DRM_VSVM_LOCATION_SYSTEM ||
	       (loc == DRM_VSVM_LOCATION_DEVICE(vm->vdev->index) && vm->vdev->vram.size);
}

static int vsvm_attr_check(struct vsvm_vm *vm, const struct drm_vsvm_svm_attr *args,
			   bool set)
{
	struct vsvm_device *vdev = vm->vdev;
	u64 end;

	if (VSVM_IOCTL_DBG(vdev, args->flags || args->pad) ||
	    VSVM_IOCTL_DBG(vdev, !args->range ||
			   !IS_ALIGNED(args->addr | args->range, PAGE_SIZE) ||
			   check_add_overflow(args->addr, args->range, &end) ||
			   end > VSVM_VA_END))
		return -EINVAL;
	if (!set)
		return 0;
	if (VSVM_IOCTL_DBG(vdev, !vsvm_attr_location_valid(vm, args->preferred_location)) ||
	    VSVM_IOCTL_DBG(vdev, args->access_policy > DRM_VSVM_ACCESS_IN_PLACE) ||
	    VSVM_IOCTL_DBG(vdev, !is_power_of_2(args->granularity) ||
			   args->granularity < PAGE_SIZE ||
			   args->granularity > VSVM_HUGE_SIZE))
		return -EINVAL;
	return 0;
}

/**
 * vsvm_svm_attr_set_ioctl() - DRM_IOCTL_VSVM_SVM_ATTR_SET
 * @dev: DRM device
 * @data: &struct drm_vsvm_svm_attr
 * @file: DRM file
 *
 * Return: 0 or a negative errno documented in the uAPI header.
 */
int vsvm_svm_attr_set_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_vsvm_svm_attr *args = data;
	struct vsvm_attr_range *r, *tmp, *n;
	u64 start = args->addr, end;
	struct vsvm_vm *vm;
	u64 va;
	int ret;

	vm = vsvm_vm_lookup(file->driver_priv, args->vm_id, &ret);
	if (!vm)
		return ret;
	ret = vsvm_attr_check(vm, args, true);
	if (ret)
		goto out_put;
	end = start + args->range;

	n = kmalloc(sizeof(*n), GFP_KERNEL);
	if (!n) {
		ret = -ENOMEM;
		goto out_put;
	}
	mutex_lock(&vm->lock);
	/* The range must lie in mirrors. */
	for (va = start; va < end; ) {
		struct vsvm_mirror *m = vsvm_vm_find_mirror(vm, va);

		if (VSVM_IOCTL_DBG(vm->vdev, !m)) {
			ret = -EINVAL;
			goto out_unlock;
		}
		va = m->end;
	}
	ret = vsvm_attr_split(vm, start);
	if (!ret)
		ret = vsvm_attr_split(vm, end);
	if (ret)
		goto out_unlock;
	list_for_each_entry_safe(r, tmp, &vm->attrs, link) {
		if (r->start >= start && r->end <= end) {
			list_del(&r->link);
			kfree(r);
		}
	}
	n->start = start;
	n->end = end;
	n->attrs.preferred = args->preferred_location;
	n->attrs.policy = args->access_policy;
	n->attrs.granularity = args->granularity;
	n->attrs.read_only = !!args->read_only;
	list_for_each_entry(r, &vm->attrs, link)
		if (r->start >= end)
			break;
	list_add_tail(&n->link, &r->link);
	n = NULL;
out_unlock:
	mutex_unlock(&vm->lock);
	kfree(n);
out_put:
	vsvm_vm_put(vm);
	return ret;
}

/**
 * vsvm_svm_attr_get_ioctl() - DRM_IOCTL_VSVM_SVM_ATTR_GET
 * @dev: DRM device
 * @data: &struct drm_vsvm_svm_attr
 * @file: DRM file
 *
 * Return: 0 or a negative errno documented in the uAPI header.
 */
int vsvm_svm_attr_get_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_vsvm_svm_attr *args = data;
	struct vsvm_attrs a;
	struct vsvm_vm *vm;
	u64 run_end;
	int ret;

	vm = vsvm_vm_lookup(file->driver_priv, args->vm_id, &ret);
	if (!vm)
		return ret;
	ret = vsvm_attr_check(vm, args, false);
	if (ret)
		goto out_put;
	mutex_lock(&vm->lock);
	a = vsvm_attr_lookup(vm, args->addr, &run_end);
	mutex_unlock(&vm->lock);
	args->range = min_t(u64, args->range, run_end - args->addr);
	args->preferred_location = a.preferred;
	args->access_policy = a.policy;
	args->granularity = a.granularity;
	args->read_only = a.read_only;
out_put:
	vsvm_vm_put(vm);
	return ret;
}
