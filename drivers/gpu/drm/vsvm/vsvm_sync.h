/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef _VSVM_SYNC_H_
#define _VSVM_SYNC_H_

#include <linux/types.h>

struct dma_fence;
struct dma_fence_chain;
struct drm_file;
struct drm_syncobj;
struct drm_vsvm_sync;
struct drm_vsvm_sync_array;
struct vsvm_device;

/**
 * struct vsvm_sync_signal - a signal operation ready to be carried out
 * @syncobj: the syncobj (a reference).
 * @chain: preallocated chain node for a timeline point, else NULL.
 * @point: the timeline point, 0 for a binary syncobj.
 */
struct vsvm_sync_signal {
	struct drm_syncobj *syncobj;
	struct dma_fence_chain *chain;
	u64 point;
};

/**
 * struct vsvm_syncs - the sync operations of one ioctl
 * @ops: the operations copied from userspace (@count of them).
 * @count: number of operations.
 * @signals: the signal operations, prepared by vsvm_syncs_prepare().
 * @num_signals: number of entries of @signals.
 */
struct vsvm_syncs {
	struct drm_vsvm_sync *ops;
	u32 count;
	struct vsvm_sync_signal *signals;
	u32 num_signals;
};

int vsvm_syncs_get(struct vsvm_device *vdev, struct drm_file *file,
		   const struct drm_vsvm_sync_array *arr, struct vsvm_syncs *syncs);
int vsvm_syncs_wait_fence(struct drm_file *file, const struct drm_vsvm_sync *op,
			  struct dma_fence **fence);
int vsvm_syncs_wait_all(struct drm_file *file, const struct vsvm_syncs *syncs);
void vsvm_syncs_signal(struct vsvm_syncs *syncs, struct dma_fence *fence);
void vsvm_syncs_put(struct vsvm_syncs *syncs);

#if IS_ENABLED(CONFIG_KUNIT)
int vsvm_sync_array_check(struct vsvm_device *vdev,
			  const struct drm_vsvm_sync_array *arr);
int vsvm_sync_check(struct vsvm_device *vdev, const struct drm_vsvm_sync *op);
#endif

#endif
