/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_GEM_H__
#define __VSVM_GEM_H__

struct drm_device;
struct drm_file;
struct drm_vsvm_gem_create;
struct vsvm_device;

int vsvm_gem_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vsvm_gem_mmap_offset_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

#if IS_ENABLED(CONFIG_KUNIT)
int vsvm_gem_create_args_check(struct vsvm_device *vdev,
			       const struct drm_vsvm_gem_create *args);
#endif

#endif /* __VSVM_GEM_H__ */
