// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
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
 * node, ``num_engines`` engines (each fed by a drm_sched scheduler, each
 * servicing its own GPU page faults), and per-VM device page tables. Unbinding a device through
 * sysfs behaves like a hot-unplug: drm_dev_unplug() makes every further
 * ioctl fail with -ENODEV, the device's jobs are canceled, and open files
 * keep the device's memory alive until they are closed (DOC: Lifetime).
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

/**
 * DOC: Lifetime
 *
 * What keeps what alive:
 *
 * - **The module** is held by every open file of a render node (the
 *   file_operations owner), by every mapping of a GEM object (it holds the
 *   file) and by every exported dma-buf. Nothing else pins it: a job, a VM
 *   or a device may outlive its files, and unloading the module removes
 *   every device first, which ends them (below). The references dropped
 *   asynchronously go through ``vsvm_free_wq``, which the unload drains
 *   last.
 * - **The device** (the &struct drm_device and everything in it: engines,
 *   schedulers) is held by its binding (devm), by every open
 *   file, by every GEM object (among them each VM's drm_gpuvm reservation
 *   object) and so by every VM. Its schedulers and engine threads are
 *   torn down by the last reference (vsvm_device_fini()); its
 *   VRAM is torn down by removal, since it backs pages of processes.
 * - **A VM** is held by its handle in the file (until VM_DESTROY or close)
 *   and by every job that uses it.
 * - **A job** is held by the scheduler from EXEC until its finished fence
 *   has signalled and the scheduler has freed it. Its references (VM,
 *   record, client) are dropped on ``vsvm_free_wq``, never in a scheduler
 *   work item: the last VM reference can be the last device reference,
 *   and the device's drm_sched_fini() waits for the scheduler's own work
 *   items, so dropping it there would wait for itself. &vsvm_device.jobs
 *   counts the jobs not freed yet.
 *
 * What each way out does to jobs, and how long it may block:
 *
 * - **VM_DESTROY** only drops the handle: jobs already submitted on the VM
 *   run to their end as if nothing happened; the VM lives until the last
 *   of them is freed. It never blocks on jobs.
 * - **close()** of the last reference to a file cancels the file's work:
 *   its queued jobs end without running (their fences signal with an
 *   error once the job ahead of them on the engine is done), and a
 *   running one stops at its next slice boundary in state
 *   %DRM_VSVM_JOB_CANCELED with the fence error -ECANCELED. close()
 *   returns once no engine executes a job of the file: from then on the
 *   GPU does not touch the process's memory on the file's behalf. It
 *   blocks for at most one slice (%VSVM_SLICE_STEPS instructions per lane
 *   of a wave) of each running job of the file, or the GPU fault that job
 *   waits for; never for queued jobs or for the job timeout.
 * - **unbind** (sysfs, hot-unplug) removes the device in this order:
 *   it is taken out of the device table (a migration from its VRAM by
 *   another device holds the table's lock for reading, so none is in
 *   flight afterwards); drm_dev_unplug() makes every ioctl fail with
 *   -ENODEV and waits for those in flight, every slice an engine runs and
 *   every fault service (each inside drm_dev_enter()/drm_dev_exit());
 *   vsvm_device_unplug() then lets the engines end every running and
 *   queued job in state %DRM_VSVM_JOB_CANCELED (fence error -ECANCELED,
 *   or -ESRCH for jobs of closed files still queued), waits until every
 *   job is freed and stops the schedulers; finally every VRAM page is
 *   moved back to system memory, retried until none is left (a pass only
 *   skips pages another thread holds for a moment), and the VRAM is
 *   released. Open files keep working for close(), mmap of existing GEM
 *   objects and the CPU side of the process's memory; the device's memory
 *   is freed with the last reference. Unbind blocks for one slice of each
 *   running job, the fault services and migrations in flight, and for the
 *   in-fences of queued jobs that other drivers have not signalled.
 *   A CPU fault on a VRAM page (migrate_to_ram) and eviction do not enter
 *   the device section: they are how removal gets the data back, and the
 *   VRAM stays until its last page is freed.
 * - **rmmod** is refused while a file is open. Otherwise it removes every
 *   device as above, so jobs left running or queued by closed files are
 *   canceled and freed before the module's code goes away.
 *
 * A sync_file exported from a vsvm syncobj holds the job's fences; it
 * must not outlive the module (a limitation of dma-fence in Linux 6.12,
 * whose fences call into their driver until freed).
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
/* The bound devices, by index; protected by vsvm_devices_lock. */
static struct vsvm_device *vsvm_devices[VSVM_MAX_DEVICES];
static DECLARE_RWSEM(vsvm_devices_lock);

/*
 * Job references are dropped here rather than in the scheduler's work
 * items (see DOC: Lifetime); unloading the module drains it.
 */
struct workqueue_struct *vsvm_free_wq;

/**
 * vsvm_devices_read_lock() - keep the bound devices bound
 *
 * While it is held no device is removed (removal takes the lock for
 * writing before anything else), so vsvm_device_by_index() results stay
 * valid until vsvm_devices_read_unlock().
 *
 * Context: may sleep. Nests inside the mmap lock; nothing nests inside it
 * but what migrating pages takes.
 */
void vsvm_devices_read_lock(void)
{
	down_read(&vsvm_devices_lock);
}

/**
 * vsvm_devices_read_unlock() - end of vsvm_devices_read_lock()
 */
void vsvm_devices_read_unlock(void)
{
	up_read(&vsvm_devices_lock);
}

/**
 * vsvm_device_by_index() - a bound vsvm device
 * @index: device index
 *
 * Context: vsvm_devices_read_lock() held.
 * Return: the device, or NULL if there is none or it is unbound.
 */
struct vsvm_device *vsvm_device_by_index(u32 index)
{
	lockdep_assert_held(&vsvm_devices_lock);
	return index < VSVM_MAX_DEVICES ? vsvm_devices[index] : NULL;
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
		args->value = DRM_VSVM_UAPI_VERSION;
		break;
	case DRM_VSVM_PARAM_ISA_VERSION:
		args->value = DRM_VSVM_ISA_VERSION;
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
		args->value = VSVM_MAX_INVOCATIONS;
		break;
	case DRM_VSVM_PARAM_MAX_PROGRAM_SIZE:
		args->value = VSVM_MAX_PROGRAM;
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
	case DRM_VSVM_PARAM_MAX_GROUP_LANES:
		args->value = VSVM_MAX_GROUP_LANES;
		break;
	case DRM_VSVM_PARAM_MAX_LOCAL_MEM:
		args->value = VSVM_MAX_LOCAL_MEM;
		break;
	case DRM_VSVM_PARAM_MAX_SCRATCH:
		args->value = VSVM_MAX_SCRATCH;
		break;
	case DRM_VSVM_PARAM_MAX_SCRATCH_GROUP:
		args->value = VSVM_MAX_SCRATCH_GROUP;
		break;
	case DRM_VSVM_PARAM_FP64:
		args->value = 0;
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

	/* Cancel, not wait: queued jobs end without running (DOC: Lifetime). */
	for (i = 0; i < vfpriv->vdev->num_engines; i++)
		drm_sched_entity_fini(&vfpriv->entities[i]);
	vsvm_client_close(vfpriv->client);
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

/*
 * drm_ioctl() refuses every ioctl of an unplugged device, but only checks
 * at entry: ioctls that reach the "hardware" (engines, VRAM, device page
 * tables) run inside drm_dev_enter()/drm_dev_exit(), so that once
 * drm_dev_unplug() has returned none of them is running.
 */
static int vsvm_hw_ioctl(struct drm_device *dev, void *data, struct drm_file *file,
			 drm_ioctl_t *func)
{
	int idx, ret;

	if (!drm_dev_enter(dev, &idx))
		return -ENODEV;
	ret = func(dev, data, file);
	drm_dev_exit(idx);
	return ret;
}

/* vsvm_<name>_hw_ioctl(): vsvm_<name>_ioctl() inside vsvm_hw_ioctl(). */
#define VSVM_HW_IOCTL(name)						\
static int vsvm_##name##_hw_ioctl(struct drm_device *dev, void *data,	\
				  struct drm_file *file)		\
{									\
	return vsvm_hw_ioctl(dev, data, file, vsvm_##name##_ioctl);	\
}

VSVM_HW_IOCTL(vm_create)
VSVM_HW_IOCTL(vm_bind)
VSVM_HW_IOCTL(svm_query)
VSVM_HW_IOCTL(exec)
VSVM_HW_IOCTL(svm_attr_set)

static const struct drm_ioctl_desc vsvm_ioctls[] = {
	DRM_IOCTL_DEF_DRV(VSVM_GET_PARAM, vsvm_get_param_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_VM_CREATE, vsvm_vm_create_hw_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_VM_DESTROY, vsvm_vm_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_VM_BIND, vsvm_vm_bind_hw_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_SVM_QUERY, vsvm_svm_query_hw_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_GEM_CREATE, vsvm_gem_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_GEM_MMAP_OFFSET, vsvm_gem_mmap_offset_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_EXEC, vsvm_exec_hw_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_JOB_STATUS, vsvm_job_status_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VSVM_SVM_ATTR_SET, vsvm_svm_attr_set_hw_ioctl, DRM_RENDER_ALLOW),
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
	/*
	 * One version, what DRM_VSVM_PARAM_UAPI_VERSION reports. 1.0 first;
	 * 1.1 VRAM, SVM attributes; 1.2 ISA v3; 2.0 sync arrays with timeline
	 * points on EXEC and VM_BIND, absolute JOB_STATUS deadline, prefixed
	 * names (changelog and migration note in vsvm_drm.h).
	 */
	.major = DRM_VSVM_UAPI_VERSION >> 16,
	.minor = DRM_VSVM_UAPI_VERSION & 0xffff,
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
	down_write(&vsvm_devices_lock);
	vsvm_devices[vdev->index] = vdev;
	up_write(&vsvm_devices_lock);

#if IS_ENABLED(CONFIG_DRM_VSVM_DEBUG)
	WARN(vsvm_debug_warn, "vsvm: debug_warn is set, raising a warning on purpose\n");
#endif
	drm_info(&vdev->drm, "vsvm %u: %u engines, %llu MiB VRAM\n", vdev->index,
		 vdev->num_engines, vdev->vram.size >> 20);
	return 0;
}

/* Unbind and module unload: the order is explained in DOC: Lifetime. */
static void vsvm_remove(struct platform_device *pdev)
{
	struct vsvm_device *vdev = platform_get_drvdata(pdev);

	/* No migration from this VRAM is running or starts. */
	down_write(&vsvm_devices_lock);
	vsvm_devices[vdev->index] = NULL;
	up_write(&vsvm_devices_lock);
	/* No ioctl, slice or fault service is running or starts. */
	drm_dev_unplug(&vdev->drm);
	/* Every job ended and freed, the schedulers stopped. */
	vsvm_device_unplug(vdev);
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

	vsvm_free_wq = alloc_workqueue("vsvm-free", WQ_UNBOUND, 0);
	if (!vsvm_free_wq)
		return -ENOMEM;
	ret = platform_driver_register(&vsvm_platform_driver);
	if (ret)
		goto err_wq;
	for (i = 0; i < vsvm_num_devices; i++) {
		vsvm_pdevs[i] = platform_device_register_simple(VSVM_DRIVER_NAME, i,
								NULL, 0);
		if (IS_ERR(vsvm_pdevs[i])) {
			ret = PTR_ERR(vsvm_pdevs[i]);
			vsvm_pdevs[i] = NULL;
			vsvm_destroy_devices();
			platform_driver_unregister(&vsvm_platform_driver);
			goto err_wq;
		}
	}
	return 0;

err_wq:
	destroy_workqueue(vsvm_free_wq);
	return ret;
}

static void __exit vsvm_exit(void)
{
	/* Each device's removal ends and frees its jobs (DOC: Lifetime). */
	vsvm_destroy_devices();
	platform_driver_unregister(&vsvm_platform_driver);
	destroy_workqueue(vsvm_free_wq);
}

module_init(vsvm_init);
module_exit(vsvm_exit);

MODULE_AUTHOR("The vsvm authors");
MODULE_DESCRIPTION("Virtual GPU with Shared Virtual Memory");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
