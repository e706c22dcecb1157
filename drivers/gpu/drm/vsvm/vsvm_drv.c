// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "vsvm_attr.h"
#include "vsvm_drv.h"
#include "vsvm_gem.h"
#include "vsvm_hw.h"
#include "vsvm_job.h"
#include "vsvm_pt.h"
#include "vsvm_vm.h"

/**
 * DOC: Overview
 *
 * vsvm is a DRM render driver for a virtual GPU with Shared Virtual Memory.
 * The module registers a platform driver and ``num_devices`` virtual
 * platform devices; each probed device is one GPU with its own render
 * node, ``num_engines`` engines (each fed by a drm_sched scheduler), a
 * fault queue, and per-VM device page tables. Unbinding a device through
 * sysfs behaves like a hot-unplug: drm_dev_unplug() makes every further
 * ioctl fail with -ENODEV while open files keep the device's memory alive
 * until they are closed.
 *
 * The source is split like a hardware driver: ``vsvm_drv.c`` (module,
 * platform driver, ioctl table, fdinfo), ``vsvm_device.c`` (engines,
 * scheduler), ``vsvm_hw.c`` (the virtual engine: interpreter loop, TLB,
 * fault raising), ``vsvm_isa.c`` (ISA validator and interpreter),
 * ``vsvm_pt.c`` (device page table), ``vsvm_vm.c`` (VMs and bind
 * operations), ``vsvm_svm.c`` (the HMM mirror), ``vsvm_fault.c`` (fault
 * queue and coalescing), ``vsvm_job.c`` (EXEC and job records),
 * ``vsvm_gem.c`` and ``vsvm_debugfs.c``.
 */

unsigned int vsvm_num_devices = 2;
module_param_named(num_devices, vsvm_num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Number of virtual GPUs (1-4, default 2)");

static unsigned int vsvm_num_engines = 2;
module_param_named(num_engines, vsvm_num_engines, uint, 0444);
MODULE_PARM_DESC(num_engines, "Engines per GPU (1-8, default 2)");

static unsigned int vsvm_vram_size_mb = 256;
module_param_named(vram_size_mb, vsvm_vram_size_mb, uint, 0444);
MODULE_PARM_DESC(vram_size_mb, "Device-private VRAM per GPU in MiB, multiple of 2 (0-4096, default 256)");

unsigned int vsvm_job_timeout_ms = 5000;
module_param_named(job_timeout_ms, vsvm_job_timeout_ms, uint, 0444);
MODULE_PARM_DESC(job_timeout_ms, "Job timeout in milliseconds (default 5000)");

#if IS_ENABLED(CONFIG_DRM_VSVM_DEBUG)
static bool vsvm_debug_warn;
module_param_named_unsafe(debug_warn, vsvm_debug_warn, bool, 0444);
MODULE_PARM_DESC(debug_warn, "Raise a WARN at probe (tests the test runner's splat detection)");
#endif

static struct platform_device *vsvm_pdevs[VSVM_MAX_DEVICES];
static struct vsvm_device *vsvm_devices[VSVM_MAX_DEVICES];

/**
 * vsvm_device_by_index() - a probed vsvm device
 * @index: device index
 *
 * Devices stay allocated until the module is unloaded; an unbound device
 * is no longer returned.
 *
 * Return: the device or NULL.
 */
struct vsvm_device *vsvm_device_by_index(u32 index)
{
	return index < VSVM_MAX_DEVICES ? READ_ONCE(vsvm_devices[index]) : NULL;
}

static int vsvm_get_param_ioctl(struct drm_device *dev, void *data,
				struct drm_file *file)
{
	struct vsvm_device *vdev = to_vsvm_device(dev);
	struct drm_vsvm_get_param *args = data;

	if (VSVM_IOCTL_DBG(vdev, args->pad))
		return -EINVAL;

	switch (args->param) {
	case DRM_VSVM_PARAM_UAPI_VERSION:
		args->value = VSVM_UAPI_VERSION;
		break;
	case DRM_VSVM_PARAM_ISA_VERSION:
		args->value = VSVM_ISA_VERSION;
		break;
	case DRM_VSVM_PARAM_NUM_ENGINES:
		args->value = vdev->num_engines;
		break;
	case DRM_VSVM_PARAM_VRAM_SIZE:
		args->value = vdev->vram.size;
		break;
	case DRM_VSVM_PARAM_DEVICE_INDEX:
		args->value = vdev->index;
		break;
	case DRM_VSVM_PARAM_NUM_DEVICES:
		args->value = vsvm_num_devices;
		break;
	case DRM_VSVM_PARAM_PAGE_SIZES:
		args->value = PAGE_SIZE | VSVM_HUGE_SIZE;
		break;
	case DRM_VSVM_PARAM_VA_BITS:
		args->value = VSVM_VA_BITS;
		break;
	case DRM_VSVM_PARAM_MAX_INVOCATIONS:
		args->value = 1u << 24;
		break;
	case DRM_VSVM_PARAM_MAX_PROGRAM_SIZE:
		args->value = 65536;
		break;
	case DRM_VSVM_PARAM_GRANULE_SIZE:
		args->value = VSVM_HUGE_SIZE;
		break;
	case DRM_VSVM_PARAM_JOB_TIMEOUT_MS:
		args->value = vsvm_job_timeout_ms;
		break;
	case DRM_VSVM_PARAM_WAVE_SIZE:
		args->value = VSVM_WAVE_SIZE;
		break;
	default:
		drm_dbg_driver(dev, "unknown param %u\n", args->param);
		return -EINVAL;
	}
	return 0;
}

static int vsvm_open(struct drm_device *dev, struct drm_file *file)
{
	struct vsvm_device *vdev = to_vsvm_device(dev);
	struct vsvm_file *vfpriv;
	u32 i;
	int ret;

	vfpriv = kzalloc(sizeof(*vfpriv), GFP_KERNEL);
	if (!vfpriv)
		return -ENOMEM;
	vfpriv->client = kzalloc(sizeof(*vfpriv->client), GFP_KERNEL);
	if (!vfpriv->client) {
		ret = -ENOMEM;
		goto err_free;
	}
	kref_init(&vfpriv->client->ref);
	vfpriv->vdev = vdev;
	xa_init_flags(&vfpriv->vms, XA_FLAGS_ALLOC1);
	xa_init(&vfpriv->jobs);

	for (i = 0; i < vdev->num_engines; i++) {
		struct drm_gpu_scheduler *sched = &vdev->engines[i].sched;

		ret = drm_sched_entity_init(&vfpriv->entities[i],
					    DRM_SCHED_PRIORITY_NORMAL, &sched, 1, NULL);
		if (ret)
			goto err_entities;
	}
	file->driver_priv = vfpriv;
	return 0;

err_entities:
	while (i--)
		drm_sched_entity_destroy(&vfpriv->entities[i]);
	vsvm_client_put(vfpriv->client);
err_free:
	kfree(vfpriv);
	return ret;
}

static void vsvm_postclose(struct drm_device *dev, struct drm_file *file)
{
	struct vsvm_file *vfpriv = file->driver_priv;
	struct vsvm_job_record *rec;
	unsigned long id;
	u32 i;

	for (i = 0; i < vfpriv->vdev->num_engines; i++)
		drm_sched_entity_destroy(&vfpriv->entities[i]);
	vsvm_vm_destroy_all(vfpriv);
	xa_destroy(&vfpriv->vms);
	xa_for_each(&vfpriv->jobs, id, rec)
		vsvm_job_record_put(rec);
	xa_destroy(&vfpriv->jobs);
	vsvm_client_put(vfpriv->client);
	kfree(vfpriv);
}

static void vsvm_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct vsvm_file *vfpriv = file->driver_priv;
	struct vsvm_device *vdev = vfpriv->vdev;
	u64 vram_kib;
	u32 i;

	/* Allocations whose last page was freed before this read are gone. */
	vsvm_vram_free_flush();
	vram_kib = atomic64_read(&vfpriv->client->vram_bytes) >> 10;

	for (i = 0; i < vdev->num_engines; i++) {
		drm_printf(p, "drm-engine-%s:\t%lld ns\n", vdev->engines[i].name,
			   atomic64_read(&vfpriv->client->engine_ns[i]));
		drm_printf(p, "drm-engine-capacity-%s:\t1\n", vdev->engines[i].name);
	}
	/*
	 * VRAM that migrations of this file's VMs allocated, charged until the
	 * allocation is freed (Documentation/gpu/vsvm.rst, "fdinfo").
	 * Device-private pages exist only while in VRAM: all of it is
	 * resident. drm-memory-vram is the older name of drm-resident-vram.
	 */
	drm_printf(p, "drm-memory-vram:\t%llu KiB\n", vram_kib);
	drm_printf(p, "drm-total-vram:\t%llu KiB\n", vram_kib);
	drm_printf(p, "drm-resident-vram:\t%llu KiB\n", vram_kib);
	drm_show_memory_stats(p, file);
}

static const struct drm_ioctl_desc vsvm_ioctls[] = {
	DRM_IOCTL_DEF_DRV(VSVM_GET_PARAM, vsvm_get_param_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_VM_CREATE, vsvm_vm_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_VM_DESTROY, vsvm_vm_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_VM_BIND, vsvm_vm_bind_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_SVM_QUERY, vsvm_svm_query_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_GEM_CREATE, vsvm_gem_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_GEM_MMAP_OFFSET, vsvm_gem_mmap_offset_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_EXEC, vsvm_exec_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_JOB_STATUS, vsvm_job_status_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_SVM_ATTR_SET, vsvm_svm_attr_set_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_SVM_ATTR_GET, vsvm_svm_attr_get_ioctl, DRM_RENDER_ALLOW),
};

static const struct file_operations vsvm_fops = {
	.owner = THIS_MODULE,
	DRM_GEM_FOPS,
	.show_fdinfo = drm_show_fdinfo,
};

static const struct drm_driver vsvm_drm_driver = {
	.driver_features = DRIVER_RENDER | DRIVER_GEM | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE,
	.open = vsvm_open,
	.postclose = vsvm_postclose,
	.show_fdinfo = vsvm_show_fdinfo,
	.debugfs_init = vsvm_debugfs_init,
	.ioctls = vsvm_ioctls,
	.num_ioctls = ARRAY_SIZE(vsvm_ioctls),
	.fops = &vsvm_fops,
	DRM_GEM_SHMEM_DRIVER_OPS,
	.name = VSVM_DRIVER_NAME,
	.desc = "Virtual GPU with Shared Virtual Memory",
	.date = "20261122",
	/* One version: what DRM_VSVM_PARAM_UAPI_VERSION reports (header changelog). */
	.major = VSVM_UAPI_VERSION >> 16,
	.minor = VSVM_UAPI_VERSION & 0xffff,
};

static void vsvm_device_release(struct drm_device *drm, void *arg)
{
	vsvm_device_fini(to_vsvm_device(drm));
}

static int vsvm_probe(struct platform_device *pdev)
{
	struct vsvm_device *vdev;
	int ret;

	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	vdev = devm_drm_dev_alloc(&pdev->dev, &vsvm_drm_driver, struct vsvm_device, drm);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);

	ret = vsvm_device_init(vdev, pdev->id, vsvm_num_engines,
			       (u64)vsvm_vram_size_mb << 20);
	if (ret)
		return ret;
	/* Engines and schedulers live until the last open file is closed. */
	ret = drmm_add_action_or_reset(&vdev->drm, vsvm_device_release, NULL);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, vdev);
	ret = drm_dev_register(&vdev->drm, 0);
	if (ret)
		return ret;
	WRITE_ONCE(vsvm_devices[vdev->index], vdev);

#if IS_ENABLED(CONFIG_DRM_VSVM_DEBUG)
	WARN(vsvm_debug_warn, "vsvm: debug_warn is set, raising a warning on purpose\n");
#endif
	drm_info(&vdev->drm, "vsvm %u: %u engines, %llu MiB VRAM\n", vdev->index,
		 vdev->num_engines, vdev->vram.size >> 20);
	return 0;
}

static void vsvm_remove(struct platform_device *pdev)
{
	struct vsvm_device *vdev = platform_get_drvdata(pdev);

	WRITE_ONCE(vsvm_devices[vdev->index], NULL);
	drm_dev_unplug(&vdev->drm);
	/* No process may keep pages in VRAM that is about to disappear. */
	vsvm_vram_evict_all(vdev);
	vsvm_vram_fini(vdev);
}

static struct platform_driver vsvm_platform_driver = {
	.probe = vsvm_probe,
	.remove = vsvm_remove,
	.driver = {
		.name = VSVM_DRIVER_NAME,
	},
};

static void vsvm_destroy_devices(void)
{
	int i;

	for (i = VSVM_MAX_DEVICES - 1; i >= 0; i--) {
		if (vsvm_pdevs[i])
			platform_device_unregister(vsvm_pdevs[i]);
		vsvm_pdevs[i] = NULL;
	}
}

static int __init vsvm_init(void)
{
	unsigned int i;
	int ret;

	if (vsvm_num_devices < 1 || vsvm_num_devices > VSVM_MAX_DEVICES ||
	    vsvm_num_engines < 1 || vsvm_num_engines > VSVM_MAX_ENGINES ||
	    vsvm_vram_size_mb > 4096 || vsvm_vram_size_mb % 2 ||
	    !vsvm_job_timeout_ms) {
		pr_err("vsvm: invalid module parameters\n");
		return -EINVAL;
	}

	ret = platform_driver_register(&vsvm_platform_driver);
	if (ret)
		return ret;
	for (i = 0; i < vsvm_num_devices; i++) {
		vsvm_pdevs[i] = platform_device_register_simple(VSVM_DRIVER_NAME, i,
								NULL, 0);
		if (IS_ERR(vsvm_pdevs[i])) {
			ret = PTR_ERR(vsvm_pdevs[i]);
			vsvm_pdevs[i] = NULL;
			vsvm_destroy_devices();
			platform_driver_unregister(&vsvm_platform_driver);
			return ret;
		}
	}
	return 0;
}

static void __exit vsvm_exit(void)
{
	vsvm_destroy_devices();
	platform_driver_unregister(&vsvm_platform_driver);
}

module_init(vsvm_init);
module_exit(vsvm_exit);

MODULE_AUTHOR("The vsvm authors");
MODULE_DESCRIPTION("Virtual GPU with Shared Virtual Memory");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
