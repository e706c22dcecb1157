// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/dma-fence.h>
#include <linux/log2.h>
#include <linux/wait_bit.h>

#include "vsvm_drv.h"
#include "vsvm_hw.h"
#include "vsvm_job.h"
#include "vsvm_migrate.h"

/**
 * vsvm_device_init() - bring up the virtual GPU's engines
 * @vdev: the device, embedded in a devm-allocated drm_device
 * @index: device index
 * @num_engines: number of engines (1..VSVM_MAX_ENGINES)
 * @vram_size: bytes of VRAM, 0 for none
 *
 * Return: 0 or a negative errno; on error everything is undone.
 */
int vsvm_device_init(struct vsvm_device *vdev, u32 index, u32 num_engines,
		     u64 vram_size)
{
	u32 i;
	int ret;

	vdev->index = index;
	vdev->num_engines = num_engines;
	/* One worker per online CPU (debugfs migrate_workers). */
	vdev->migrate_workers = 0;
	atomic_set(&vdev->jobs, 0);
	INIT_LIST_HEAD(&vdev->vms);
	mutex_init(&vdev->vms_lock);
	spin_lock_init(&vdev->share_lock);
	INIT_LIST_HEAD(&vdev->shared_jobs);
	vdev->spread = true;

	ret = vsvm_vram_init(vdev, vram_size, &vsvm_migrate_vram_ops);
	if (ret)
		return ret;
	for (i = 0; i < num_engines; i++) {
		struct vsvm_engine *eng = &vdev->engines[i];
		struct drm_sched_init_args args = {
			.ops = &vsvm_sched_ops,
			.num_rqs = DRM_SCHED_PRIORITY_COUNT,
			.credit_limit = 1,
			.timeout = msecs_to_jiffies(vsvm_job_timeout_ms),
			.name = eng->name,
			.dev = vdev->drm.dev,
		};

		eng->vdev = vdev;
		eng->id = i;
		snprintf(eng->name, sizeof(eng->name), "e%u", i);
		spin_lock_init(&eng->fence_lock);
		vsvm_hw_engine_init(eng);
		eng->fence_context = dma_fence_context_alloc(1);
		eng->wq = alloc_ordered_workqueue("vsvm%u-%s", 0, index, eng->name);
		if (!eng->wq) {
			ret = -ENOMEM;
			goto err_engines;
		}
		ret = drm_sched_init(&eng->sched, &args);
		if (ret) {
			destroy_workqueue(eng->wq);
			goto err_engines;
		}
	}
	return 0;

err_engines:
	while (i--) {
		drm_sched_fini(&vdev->engines[i].sched);
		destroy_workqueue(vdev->engines[i].wq);
	}
	vsvm_vram_evict_all(vdev);
	vsvm_vram_fini(vdev);
	return ret;
}

/**
 * vsvm_device_unplug() - end every job of a device that is being removed
 * @vdev: the device, after drm_dev_unplug()
 *
 * No ioctl can create a job any more. The engines see the device gone at
 * the start of their next slice and end the running job
 * %DRM_VSVM_JOB_CANCELED; every queued job ends the same way, without
 * running, as the scheduler hands it out; a fault service that starts
 * answers its faults with a replay, which ends their jobs too. Waits until
 * every job has been freed (its VM and device references dropped), then
 * stops the schedulers: the engines, and with them the fault services, are
 * idle, and stay so, when this returns.
 *
 * Context: process context (the platform driver's remove). Sleeps for at
 * most one slice of each running job, plus the in-fences of queued jobs
 * that other drivers have not signalled yet.
 */
void vsvm_device_unplug(struct vsvm_device *vdev)
{
	u32 i;

	wait_var_event(&vdev->jobs, !atomic_read(&vdev->jobs));
	for (i = 0; i < vdev->num_engines; i++) {
		drm_sched_wqueue_stop(&vdev->engines[i].sched);
		flush_workqueue(vdev->engines[i].wq);
	}
}

/**
 * vsvm_device_fini() - stop the engines
 * @vdev: the device; its clients' jobs are finished or canceled here
 */
void vsvm_device_fini(struct vsvm_device *vdev)
{
	u32 i;

	for (i = 0; i < vdev->num_engines; i++) {
		drm_sched_fini(&vdev->engines[i].sched);
		destroy_workqueue(vdev->engines[i].wq);
	}
	mutex_destroy(&vdev->vms_lock);
}

/**
 * vsvm_record_latency() - account one latency in a histogram
 * @hist: %VSVM_LAT_BUCKETS counters (&vsvm_device.fault_lat, ...)
 * @ns: the latency in nanoseconds
 */
void vsvm_record_latency(atomic64_t *hist, u64 ns)
{
	u64 us = div_u64(ns, NSEC_PER_USEC);
	u32 b = us ? min_t(u32, ilog2(us) + 1, VSVM_LAT_BUCKETS - 1) : 0;

	atomic64_inc(&hist[b]);
}
