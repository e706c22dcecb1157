// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/error-injection.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "vsvm_attr.h"
#include "vsvm_drv.h"
#include "vsvm_svm.h"
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
 * setting a range splits the ranges it cuts, and a range that ends up
 * touching a neighbour with the same attributes merges with it.
 */

static const struct vsvm_attrs vsvm_attrs_default = {
	.preferred = DRM_VSVM_LOCATION_ANY,
	.policy = DRM_VSVM_ACCESS_MIGRATE,
	.granularity = VSVM_HUGE_SIZE,
	.read_only = false,
};

/**
 * vsvm_attr_list_lookup() - attributes in effect at @addr in a range list
 * @attrs: list of &struct vsvm_attr_range, sorted, not overlapping
 * @addr: GPU VA
 * @run_end: optional out, end of the run of addresses sharing them (the
 *	end of the range holding @addr, or the start of the next range)
 *
 * Context: the lock protecting @attrs held.
 * Return: the attributes (defaults where none were set).
 */
VISIBLE_IF_KUNIT struct vsvm_attrs
vsvm_attr_list_lookup(const struct list_head *attrs, u64 addr, u64 *run_end)
{
	struct vsvm_attr_range *r;
	u64 end = VSVM_VA_END;

	list_for_each_entry(r, attrs, link) {
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
EXPORT_SYMBOL_IF_KUNIT(vsvm_attr_list_lookup);

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
	lockdep_assert_held(&vm->lock);
	return vsvm_attr_list_lookup(&vm->attrs, addr, run_end);
}

/* Split the range containing @addr so that a range boundary falls on it. */
static noinline int vsvm_attr_split(struct list_head *attrs, u64 addr)
{
	struct vsvm_attr_range *r, *n;

	list_for_each_entry(r, attrs, link) {
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

static bool vsvm_attrs_equal(const struct vsvm_attrs *a, const struct vsvm_attrs *b)
{
	return a->preferred == b->preferred && a->policy == b->policy &&
	       a->granularity == b->granularity && a->read_only == b->read_only;
}

/* Merge @r into the previous range if they touch and agree. */
static struct vsvm_attr_range *vsvm_attr_merge_prev(struct list_head *attrs,
						    struct vsvm_attr_range *r)
{
	struct vsvm_attr_range *prev;

	if (list_is_first(&r->link, attrs))
		return r;
	prev = list_prev_entry(r, link);
	if (prev->end != r->start || !vsvm_attrs_equal(&prev->attrs, &r->attrs))
		return r;
	prev->end = r->end;
	list_del(&r->link);
	kfree(r);
	return prev;
}

/**
 * vsvm_attr_list_set() - give [@start, @end) attributes in a range list
 * @attrs: list of &struct vsvm_attr_range, sorted, not overlapping
 * @start: first byte
 * @end: end, exclusive, above @start
 * @a: the attributes
 *
 * Ranges cut by @start or @end are split, ranges inside are replaced, and
 * the new range merges with neighbours it touches that have the same
 * attributes. On failure @attrs may have gained a split (which changes no
 * attribute) but is otherwise unchanged.
 *
 * Context: the lock protecting @attrs held; may sleep.
 * Return: 0 or -ENOMEM.
 */
VISIBLE_IF_KUNIT int vsvm_attr_list_set(struct list_head *attrs, u64 start, u64 end,
					const struct vsvm_attrs *a)
{
	struct vsvm_attr_range *r, *tmp, *n;
	int ret;

	n = kmalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	ret = vsvm_attr_split(attrs, start);
	if (!ret)
		ret = vsvm_attr_split(attrs, end);
	if (ret) {
		kfree(n);
		return ret;
	}
	list_for_each_entry_safe(r, tmp, attrs, link) {
		if (r->start >= start && r->end <= end) {
			list_del(&r->link);
			kfree(r);
		}
	}
	n->start = start;
	n->end = end;
	n->attrs = *a;
	list_for_each_entry(r, attrs, link)
		if (r->start >= end)
			break;
	list_add_tail(&n->link, &r->link);
	n = vsvm_attr_merge_prev(attrs, n);
	if (!list_is_last(&n->link, attrs))
		vsvm_attr_merge_prev(attrs, list_next_entry(n, link));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_attr_list_set);

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
	return vsvm_attr_location_valid_dev(vm->vdev, loc);
}

/**
 * vsvm_attr_location_valid_dev() - may @loc be used by VMs of @vdev?
 * @vdev: the device
 * @loc: a DRM_VSVM_LOCATION_* value
 *
 * Return: true if valid.
 */
bool vsvm_attr_location_valid_dev(struct vsvm_device *vdev, u32 loc)
{
	return loc == DRM_VSVM_LOCATION_ANY || loc == DRM_VSVM_LOCATION_SYSTEM ||
	       (loc == DRM_VSVM_LOCATION_DEVICE(vdev->index) && vdev->vram.size);
}

/**
 * vsvm_attr_args_check() - validate SVM_ATTR_SET/GET arguments
 * @vdev: the device
 * @args: the ioctl arguments (@args->vm_id is not looked at)
 * @set: SVM_ATTR_SET (the attribute fields are inputs) rather than GET
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int vsvm_attr_args_check(struct vsvm_device *vdev,
					  const struct drm_vsvm_svm_attr *args, bool set)
{
	u64 end;

	/* GET: @flags is out-only and not looked at (a reused struct works). */
	if (VSVM_IOCTL_DBG(vdev, set && (args->flags & ~DRM_VSVM_ATTR_READ_ONLY)) ||
	    VSVM_IOCTL_DBG(vdev, args->reserved) ||
	    VSVM_IOCTL_DBG(vdev, !args->range ||
			   !IS_ALIGNED(args->addr | args->range, PAGE_SIZE) ||
			   check_add_overflow(args->addr, args->range, &end) ||
			   end > VSVM_VA_END))
		return -EINVAL;
	if (!set)
		return 0;
	if (VSVM_IOCTL_DBG(vdev, !vsvm_attr_location_valid_dev(vdev, args->preferred_location)) ||
	    VSVM_IOCTL_DBG(vdev, args->access_policy > DRM_VSVM_ACCESS_IN_PLACE) ||
	    VSVM_IOCTL_DBG(vdev, !is_power_of_2(args->granularity) ||
			   args->granularity < PAGE_SIZE ||
			   args->granularity > VSVM_HUGE_SIZE))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_attr_args_check);

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
	u64 start = args->addr, end;
	struct vsvm_attrs a;
	struct vsvm_vm *vm;
	u64 va;
	int ret;

	vm = vsvm_vm_lookup(file->driver_priv, args->vm_id, &ret);
	if (!vm)
		return ret;
	ret = vsvm_attr_args_check(vm->vdev, args, true);
	if (ret)
		goto out_put;
	end = start + args->range;
	a.preferred = args->preferred_location;
	a.policy = args->access_policy;
	a.granularity = args->granularity;
	a.read_only = args->flags & DRM_VSVM_ATTR_READ_ONLY;

	mutex_lock(&vm->lock);
	/* The range must lie in mirrors. */
	for (va = start; va < end; ) {
		struct vsvm_mirror *m = vsvm_svm_find_mirror(vm, va);

		if (VSVM_IOCTL_DBG(vm->vdev, !m)) {
			ret = -EINVAL;
			goto out_unlock;
		}
		va = m->end;
	}
	ret = vsvm_attr_list_set(&vm->attrs, start, end, &a);
out_unlock:
	mutex_unlock(&vm->lock);
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
	ret = vsvm_attr_args_check(vm->vdev, args, false);
	if (ret)
		goto out_put;
	mutex_lock(&vm->lock);
	a = vsvm_attr_lookup(vm, args->addr, &run_end);
	mutex_unlock(&vm->lock);
	args->range = min_t(u64, args->range, run_end - args->addr);
	args->preferred_location = a.preferred;
	args->access_policy = a.policy;
	args->granularity = a.granularity;
	args->flags = a.read_only ? DRM_VSVM_ATTR_READ_ONLY : 0;
out_put:
	vsvm_vm_put(vm);
	return ret;
}
