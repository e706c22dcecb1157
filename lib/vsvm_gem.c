// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * GEM buffers: create, CPU mapping, close.
 */
#include <string.h>
#include <sys/mman.h>

#include "vsvm_internal.h"

int vsvm_gem_create(int fd, uint64_t size, uint32_t *handle)
{
	struct drm_vsvm_gem_create c = { .size = size };
	int ret = vsvm_ioctl(fd, DRM_IOCTL_VSVM_GEM_CREATE, &c);

	if (!ret)
		*handle = c.handle;
	return ret;
}

int vsvm_gem_mmap(int fd, uint32_t handle, uint64_t size, void **ptr)
{
	struct drm_vsvm_gem_mmap_offset mo = { .handle = handle };
	void *p;
	int ret = vsvm_ioctl(fd, DRM_IOCTL_VSVM_GEM_MMAP_OFFSET, &mo);

	if (ret)
		return ret;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)mo.offset);
	if (p == MAP_FAILED)
		return -errno;
	*ptr = p;
	return 0;
}

int vsvm_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return vsvm_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}
