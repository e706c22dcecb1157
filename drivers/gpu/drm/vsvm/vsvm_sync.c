// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/dma-fence.h>
#include <linux/dma-fence-chain.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <drm/drm_file.h>
#include <drm/drm_syncobj.h>
#include <kunit/visibility.h>

#include "vsvm_drv.h"
#include "vsvm_sync.h"

/**
 * DOC: Synchronisation operations
 *
 * DRM_IOCTL_VSVM_EXEC and DRM_IOCTL_VSVM_VM_BIND take one array of
 * &struct drm_vsvm_sync, wait and signal operations together (as panthor's
 * sync_ops and Xe's syncs): a wait names a syncobj and, for a timeline
 * syncobj, the point to wait for; a signal names a syncobj and, for a
 * timeline, the point the completion fence is added as (a
 * &struct dma_fence_chain node allocated before anything can fail).
 *
 * vsvm_syncs_get() validates and copies the array, looks up every signal
 * syncobj and preallocates its chain node, so that an ioctl that then
 * fails changes no syncobj and one that succeeds cannot fail to signal:
 * vsvm_syncs_signal() only installs fences. The stride of the array lets
 * &struct drm_vsvm_sync grow (copy_struct_from_user(): unknown bytes must
 * be zero).
 */

/* The largest element stride accepted (keeps the zero check of unknown bytes short). */
#define VSVM_SYNC_MAX_STRIDE	4096

/**
 * vsvm_sync_array_check() - validate a &struct drm_vsvm_sync_array
 * @vdev: the device (for debug messages)
 * @arr: the array descriptor
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int vsvm_sync_array_check(struct vsvm_device *vdev,
					   const struct drm_vsvm_sync_array *arr)
{
	if (!arr->count)
		return VSVM_IOCTL_DBG(vdev, arr->ptr) ? -EINVAL : 0;
	if (VSVM_IOCTL_DBG(vdev, arr->count > DRM_VSVM_MAX_SYNCS) ||
	    VSVM_IOCTL_DBG(vdev, arr->stride < DRM_VSVM_SYNC_SIZE_V1 ||
			   arr->stride > VSVM_SYNC_MAX_STRIDE))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sync_array_check);

/**
 * vsvm_sync_check() - validate one &struct drm_vsvm_sync
 * @vdev: the device (for debug messages)
 * @op: the operation
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int vsvm_sync_check(struct vsvm_device *vdev,
				     const struct drm_vsvm_sync *op)
{
	if (VSVM_IOCTL_DBG(vdev, op->flags & ~DRM_VSVM_SYNC_SIGNAL))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_sync_check);

/**
 * vsvm_syncs_put() - release what vsvm_syncs_get() took
 * @syncs: the operations (may be all zero)
 *
 * Unused chain nodes are freed and the signal syncobjs put.
 */
void vsvm_syncs_put(struct vsvm_syncs *syncs)
{
	u32 i;

	for (i = 0; i < syncs->num_signals; i++) {
		dma_fence_chain_free(syncs->signals[i].chain);
		drm_syncobj_put(syncs->signals[i].syncobj);
	}
	kfree(syncs->signals);
	kfree(syncs->ops);
	memset(syncs, 0, sizeof(*syncs));
}

/**
 * vsvm_syncs_get() - validate and copy the sync operations of an ioctl
 * @vdev: the device
 * @file: the DRM file the handles belong to
 * @arr: the array descriptor from the ioctl arguments
 * @syncs: out, the operations; release with vsvm_syncs_put() (also after
 *	vsvm_syncs_signal())
 *
 * Every signal syncobj is looked up and, for a timeline point, a chain node
 * allocated. Wait operations are only validated here: their fences are
 * looked up by the caller (vsvm_syncs_wait_fence()).
 *
 * Return: 0, -EINVAL, -EFAULT, -ENOENT (unknown signal syncobj) or -ENOMEM;
 * on error @syncs holds nothing.
 */
int vsvm_syncs_get(struct vsvm_device *vdev, struct drm_file *file,
		   const struct drm_vsvm_sync_array *arr, struct vsvm_syncs *syncs)
{
	u32 i, n = 0;
	int ret;

	memset(syncs, 0, sizeof(*syncs));
	ret = vsvm_sync_array_check(vdev, arr);
	if (ret || !arr->count)
		return ret;

	syncs->ops = kcalloc(arr->count, sizeof(*syncs->ops), GFP_KERNEL);
	if (!syncs->ops)
		return -ENOMEM;
	syncs->count = arr->count;
	for (i = 0; i < arr->count; i++) {
		ret = copy_struct_from_user(&syncs->ops[i], sizeof(syncs->ops[i]),
					    u64_to_user_ptr(arr->ptr + (u64)i * arr->stride),
					    arr->stride);
		if (VSVM_IOCTL_DBG(vdev, ret == -E2BIG))
			ret = -EINVAL;
		if (!ret)
			ret = vsvm_sync_check(vdev, &syncs->ops[i]);
		if (ret)
			goto err;
		if (syncs->ops[i].flags & DRM_VSVM_SYNC_SIGNAL)
			n++;
	}
	if (!n)
		return 0;

	syncs->signals = kcalloc(n, sizeof(*syncs->signals), GFP_KERNEL);
	if (!syncs->signals) {
		ret = -ENOMEM;
		goto err;
	}
	for (i = 0; i < syncs->count; i++) {
		const struct drm_vsvm_sync *op = &syncs->ops[i];
		struct vsvm_sync_signal *sig = &syncs->signals[syncs->num_signals];

		if (!(op->flags & DRM_VSVM_SYNC_SIGNAL))
			continue;
		sig->syncobj = drm_syncobj_find(file, op->handle);
		if (!sig->syncobj) {
			ret = -ENOENT;
			goto err;
		}
		syncs->num_signals++;
		sig->point = op->timeline_point;
		if (sig->point) {
			sig->chain = dma_fence_chain_alloc();
			if (!sig->chain) {
				ret = -ENOMEM;
				goto err;
			}
		}
	}
	return 0;
err:
	vsvm_syncs_put(syncs);
	return ret;
}

/**
 * vsvm_syncs_wait_fence() - the fence a wait operation waits for
 * @file: the DRM file
 * @op: a wait operation
 * @fence: out, a reference to the fence (a signalled stub if the point has
 *	already signalled)
 *
 * Return: 0, -ENOENT (unknown syncobj) or -EINVAL (no fence, or a timeline
 * point nothing was submitted for yet).
 */
int vsvm_syncs_wait_fence(struct drm_file *file, const struct drm_vsvm_sync *op,
			  struct dma_fence **fence)
{
	return drm_syncobj_find_fence(file, op->handle, op->timeline_point, 0, fence);
}

/**
 * vsvm_syncs_wait_all() - wait for every wait operation, interruptibly
 * @file: the DRM file
 * @syncs: the operations
 *
 * Every fence is looked up first, so a bad handle fails before any wait.
 *
 * Return: 0, -ENOENT, -EINVAL, -ENOMEM, or -ERESTARTSYS if a signal
 * interrupted the wait.
 */
int vsvm_syncs_wait_all(struct drm_file *file, const struct vsvm_syncs *syncs)
{
	struct dma_fence **fences;
	u32 i, n = 0;
	long t;
	int ret = 0;

	if (syncs->count == syncs->num_signals)
		return 0;
	fences = kcalloc(syncs->count, sizeof(*fences), GFP_KERNEL);
	if (!fences)
		return -ENOMEM;
	for (i = 0; i < syncs->count; i++) {
		if (syncs->ops[i].flags & DRM_VSVM_SYNC_SIGNAL)
			continue;
		ret = vsvm_syncs_wait_fence(file, &syncs->ops[i], &fences[n]);
		if (ret)
			goto out;
		n++;
	}
	for (i = 0; i < n; i++) {
		t = dma_fence_wait(fences[i], true);
		if (t) {
			ret = t;
			goto out;
		}
	}
out:
	for (i = 0; i < n; i++)
		dma_fence_put(fences[i]);
	kfree(fences);
	return ret;
}

/**
 * vsvm_syncs_signal() - install @fence in every signal operation's syncobj
 * @syncs: the operations prepared by vsvm_syncs_get()
 * @fence: the completion fence
 *
 * Cannot fail. The chain nodes are consumed; vsvm_syncs_put() still has to
 * be called.
 */
void vsvm_syncs_signal(struct vsvm_syncs *syncs, struct dma_fence *fence)
{
	u32 i;

	for (i = 0; i < syncs->num_signals; i++) {
		struct vsvm_sync_signal *sig = &syncs->signals[i];

		if (sig->chain) {
			drm_syncobj_add_point(sig->syncobj, sig->chain, fence, sig->point);
			sig->chain = NULL;
		} else {
			drm_syncobj_replace_fence(sig->syncobj, fence);
		}
	}
}
