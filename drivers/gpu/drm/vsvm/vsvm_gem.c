// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/sizes.h>
#include <kunit/visibility.h>
#include <drm/drm_gem_shmem_helper.h>

#include "vsvm_drv.h"
#include "vsvm_gem.h"

/**
 * DOC: GEM objects
 *
 * Driver-managed buffers are shmem-backed GEM objects (the DRM shmem
 * helpers). They are mapped for the CPU through DRM_IOCTL_VSVM_GEM_MMAP_OFFSET
 * and for the GPU into a VM's unmanaged window with
 * %DRM_VSVM_BIND_OP_MAP, which pins their pages for as long as the
 * mapping exists.
 */

#define VSVM_GEM_MAX_SIZE	SZ_1G

/**
 * vsvm_gem_create_args_check() - validate GEM_CREATE arguments
 * @vdev: the device
 * @args: the ioctl arguments (@args->handle is out-only and not looked at)
 *
 * Return: 0, -EINVAL or -E2BIG.
 */
VISIBLE_IF_KUNIT int vsvm_gem_create_args_check(struct vsvm_device *vdev,
						const struct drm_vsvm_gem_create *args)
{
	if (VSVM_IOCTL_DBG(vdev, args->flags || !args->size))
		return -EINVAL;
	if (VSVM_IOCTL_DBG(vdev, args->size > VSVM_GEM_MAX_SIZE))
		return -E2BIG;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_gem_create_args_check);

/**
 * vsvm_gem_create_ioctl() - DRM_IOCTL_VSVM_GEM_CREATE
 * @dev: DRM device
 * @data: &struct drm_vsvm_gem_create
 * @file: DRM file
 *
 * Return: 0 or a negative errno documented in the uAPI header.
 */
int vsvm_gem_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct vsvm_device *vdev = to_vsvm_device(dev);
	struct drm_vsvm_gem_create *args = data;
	struct drm_gem_shmem_object *shmem;
	int ret;

	/* @handle is out-only: whatever a reused struct holds is ignored. */
	args->handle = 0;
	ret = vsvm_gem_create_args_check(vdev, args);
	if (ret)
		return ret;

	shmem = drm_gem_shmem_create(dev, PAGE_ALIGN(args->size));
	if (IS_ERR(shmem))
		return PTR_ERR(shmem);
	ret = drm_gem_handle_create(file, &shmem->base, &args->handle);
	drm_gem_object_put(&shmem->base);
	return ret;
}

/**
 * vsvm_gem_mmap_offset_ioctl() - DRM_IOCTL_VSVM_GEM_MMAP_OFFSET
 * @dev: DRM device
 * @data: &struct drm_vsvm_gem_mmap_offset
 * @file: DRM file
 *
 * Return: 0 or a negative errno documented in the uAPI header.
 */
int vsvm_gem_mmap_offset_ioctl(struct drm_device *dev, void *data,
			       struct drm_file *file)
{
	struct drm_vsvm_gem_mmap_offset *args = data;

	if (VSVM_IOCTL_DBG(to_vsvm_device(dev), args->pad))
		return -EINVAL;
	return drm_gem_dumb_map_offset(file, dev, args->handle, &args->offset);
}
