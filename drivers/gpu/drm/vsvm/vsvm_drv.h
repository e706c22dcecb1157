/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_DRV_H__
#define __VSVM_DRV_H__

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>
#include <drm/gpu_scheduler.h>
#include <drm/vsvm_drm.h>

#include "vsvm_fault.h"
#include "vsvm_vram.h"

#define VSVM_DRIVER_NAME	"vsvm"
#define VSVM_MAX_DEVICES	4
#define VSVM_MAX_ENGINES	8

/**
 * VSVM_IOCTL_DBG() - fail an argument check with a debug message
 * @vdev: the device
 * @cond: condition that makes the argument invalid
 *
 * Evaluates to @cond; when it is true, logs which check failed at debug
 * level so a user can find out why an ioctl returned -EINVAL.
 */
#define VSVM_IOCTL_DBG(vdev, cond) ({					\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		drm_dbg_driver(&(vdev)->drm, "ioctl check failed: %s (%s:%d)\n", \
			       #cond, __func__, __LINE__);		\
	__c;								\
})

/**
 * enum vsvm_counter - device counters shown in debugfs (vsvm_counters)
 * @VSVM_CNT_FAULTS: GPU page faults raised by the engines.
 * @VSVM_CNT_FAULT_BATCHES: fault services that drained a VM's pending batches.
 * @VSVM_CNT_FAULT_GRANULES: granules serviced after coalescing.
 * @VSVM_CNT_PAGES_FAULTED: device PTEs written by fault services.
 * @VSVM_CNT_FAULTS_UNRESOLVED: faults that ended their job.
 * @VSVM_CNT_INVALIDATIONS: notifier invalidations that zapped mappings.
 * @VSVM_CNT_PAGES_ZAPPED: 4 KiB pages unmapped by invalidations.
 * @VSVM_CNT_TLB_FLUSHES: TLB flushes.
 * @VSVM_CNT_HMM_RETRIES: hmm_range_fault()/sequence retries.
 * @VSVM_CNT_JOBS: jobs executed.
 * @VSVM_CNT_JOB_ERRORS: jobs that ended in error.
 * @VSVM_CNT_JOB_TIMEOUTS: jobs killed by the timeout.
 * @VSVM_CNT_JOB_TIMEOUTS_DEFERRED: timeouts that found the running job
 *	below its limit once its fault waits were subtracted, and let it run.
 * @VSVM_CNT_PREFETCH_PAGES: pages made resident by PREFETCH.
 * @VSVM_CNT_HUGE_MAPPINGS: 2 MiB device PTEs written.
 * @VSVM_CNT_PAGES_TO_VRAM: pages migrated to this device's VRAM.
 * @VSVM_CNT_PAGES_TO_SYSTEM: pages migrated from its VRAM to system memory.
 * @VSVM_CNT_MIGRATE_TO_RAM: CPU faults on its VRAM pages (migrate_to_ram).
 * @VSVM_CNT_EVICTIONS: VRAM allocations evicted to make room.
 * @VSVM_CNT_PAGES_EVICTED: pages moved out by eviction or removal.
 * @VSVM_CNT_MIGRATE_FAILED: pages a requested migration could not move.
 * @VSVM_CNT_MIGRATE_PARALLEL: migrations run by more than one worker.
 * @VSVM_CNT_PAGES_BOUND_BY_MIGRATION: pages a prefetch mapped for the GPU
 *	from its migrate arrays, without walking the CPU page tables again.
 * @VSVM_CNT_COPY_PAGES: pages the copy engine copied for migrations (both
 *	ways, eviction not included).
 * @VSVM_CNT_COPY_NS: nanoseconds it took, summed over the CPUs copying:
 *	the in-kernel copy's speed, a yardstick for the migration's.
 * @VSVM_CNT_RANGES_COLLECTED: ranges freed by the garbage collector after
 *	their CPU mapping went away.
 * @VSVM_CNT_INSNS: instructions the engines interpreted.
 * @VSVM_CNT_INTERP_NS: nanoseconds the engines spent interpreting them
 *	(slices with the notifier lock held; fault waits excluded).
 * @VSVM_CNT_COUNT: number of counters.
 */
enum vsvm_counter {
	VSVM_CNT_FAULTS,
	VSVM_CNT_FAULT_BATCHES,
	VSVM_CNT_FAULT_GRANULES,
	VSVM_CNT_PAGES_FAULTED,
	VSVM_CNT_FAULTS_UNRESOLVED,
	VSVM_CNT_INVALIDATIONS,
	VSVM_CNT_PAGES_ZAPPED,
	VSVM_CNT_TLB_FLUSHES,
	VSVM_CNT_HMM_RETRIES,
	VSVM_CNT_JOBS,
	VSVM_CNT_JOB_ERRORS,
	VSVM_CNT_JOB_TIMEOUTS,
	VSVM_CNT_JOB_TIMEOUTS_DEFERRED,
	VSVM_CNT_PREFETCH_PAGES,
	VSVM_CNT_HUGE_MAPPINGS,
	VSVM_CNT_PAGES_TO_VRAM,
	VSVM_CNT_PAGES_TO_SYSTEM,
	VSVM_CNT_MIGRATE_TO_RAM,
	VSVM_CNT_EVICTIONS,
	VSVM_CNT_PAGES_EVICTED,
	VSVM_CNT_MIGRATE_FAILED,
	VSVM_CNT_MIGRATE_PARALLEL,
	VSVM_CNT_PAGES_BOUND_BY_MIGRATION,
	VSVM_CNT_COPY_PAGES,
	VSVM_CNT_COPY_NS,
	VSVM_CNT_RANGES_COLLECTED,
	VSVM_CNT_INSNS,
	VSVM_CNT_INTERP_NS,
	VSVM_CNT_COUNT,
};

/* Fault service latency histogram: bucket 0 counts < 1 us, bucket b [2^(b-1), 2^b) us. */
#define VSVM_LAT_BUCKETS	24

/**
 * struct vsvm_engine - one execution engine of the virtual GPU
 * @vdev: owning device.
 * @id: engine index.
 * @sched: the DRM GPU scheduler feeding this engine.
 * @wq: ordered workqueue that is the engine's "hardware" thread.
 * @fence_context: dma-fence context of the hardware fences.
 * @fence_seqno: last hardware fence seqno (protected by @fence_lock).
 * @fence_lock: lock of the hardware fences.
 * @name: engine name, also the fdinfo engine key.
 * @busy_ns: total time spent executing jobs, its own and the work-groups
 *	it took from other engines' jobs.
 * @units: work-groups (waves of a flat job) this engine ran to completion.
 * @units_helped: those of them that belonged to another engine's job.
 * @queued: jobs of this engine's scheduler handed to @wq and not started
 *	yet; an engine running another engine's work-groups gives them back
 *	at its next slice when this is not zero.
 * @help_work: runs the work-groups of other engines' jobs
 *	(&vsvm_device.shared_jobs) on @wq, between this engine's own jobs.
 */
struct vsvm_engine {
	struct vsvm_device *vdev;
	u32 id;
	struct drm_gpu_scheduler sched;
	struct workqueue_struct *wq;
	u64 fence_context;
	u64 fence_seqno;
	spinlock_t fence_lock; /* protects fence_seqno, fence signalling */
	char name[16];
	atomic64_t busy_ns;
	atomic64_t units;
	atomic64_t units_helped;
	atomic_t queued;
	struct work_struct help_work;
};

/**
 * struct vsvm_device - a vsvm virtual GPU
 * @drm: DRM device, embedded.
 * @index: device index (DRM_VSVM_PARAM_DEVICE_INDEX).
 * @num_engines: number of engines.
 * @engines: the engines.
 * @vram: device-private memory.
 * @counters: debugfs counters, &enum vsvm_counter.
 * @fault_lat: fault service latency histogram, in microseconds.
 * @migrate_lat: migration latency histogram (one chunk), in microseconds.
 * @prefetch_granules: granules prefetched after each faulting run of
 *	granules (debugfs knob fault_prefetch_granules).
 * @migrate_delay_ms: extra time each copy into VRAM takes, a slow copy
 *	engine for tests (debugfs knob migrate_delay_ms, default 0).
 * @migrate_workers: workers of a migration spanning several 2 MiB chunks
 *	(debugfs knob migrate_workers; 0, the default: one per online CPU;
 *	1: serial).
 * @migrate_walk: a prefetch to VRAM maps the pages it moved by walking the
 *	CPU page tables again instead of from its migrate arrays (debugfs
 *	knob migrate_walk, default N; for comparisons).
 * @stepping: the engines interpret one instruction at a time, without the
 *	fast path (debugfs knob stepping; for comparisons and tests).
 * @spread: the work-groups of a job may run on every engine (debugfs knob
 *	spread, default Y); N keeps them on the job's engine.
 * @share_lock: protects @shared_jobs and the sharing state of every job
 *	on it (&vsvm_job.next_unit, .parked, .helpers, .stopped) and the
 *	record of a running job.
 * @shared_jobs: running jobs whose work-groups other engines may take
 *	(&vsvm_job.share_link).
 * @vms: every live VM of this device (for debugfs), protected by @vms_lock.
 * @vms_lock: protects @vms.
 * @jobs: jobs created by EXEC and not freed yet (see DOC: Lifetime); removal
 *	waits for it to drop to zero.
 */
struct vsvm_device {
	struct drm_device drm;
	u32 index;
	u32 num_engines;
	struct vsvm_engine engines[VSVM_MAX_ENGINES];
	struct vsvm_vram vram;
	atomic64_t counters[VSVM_CNT_COUNT];
	atomic64_t fault_lat[VSVM_LAT_BUCKETS];
	atomic64_t migrate_lat[VSVM_LAT_BUCKETS];
	u32 prefetch_granules;
	u32 migrate_delay_ms;
	u32 migrate_workers;
	bool migrate_walk;
	bool stepping;
	bool spread;
	spinlock_t share_lock; /* protects shared_jobs, sharing state of jobs */
	struct list_head shared_jobs;
	struct list_head vms;
	struct mutex vms_lock; /* protects vms */
	atomic_t jobs;
};

/**
 * struct vsvm_file - per open file state
 * @vdev: the device.
 * @vms: VM handles, protected by the xarray lock.
 * @entities: one scheduler entity per engine.
 * @jobs: job records by id (&struct vsvm_job_record).
 * @next_job_id: last job id handed out (protected by the @jobs lock).
 * @client: usage statistics (fdinfo), shared with the file's jobs.
 */
struct vsvm_file {
	struct vsvm_device *vdev;
	struct xarray vms;
	struct drm_sched_entity entities[VSVM_MAX_ENGINES];
	struct xarray jobs;
	u32 next_job_id;
	struct vsvm_client *client;
};

static inline struct vsvm_device *to_vsvm_device(struct drm_device *drm)
{
	return container_of(drm, struct vsvm_device, drm);
}

static inline void vsvm_count(struct vsvm_device *vdev, enum vsvm_counter c,
			      u64 n)
{
	atomic64_add(n, &vdev->counters[c]);
}

extern unsigned int vsvm_num_devices;
extern unsigned int vsvm_job_timeout_ms;
extern struct workqueue_struct *vsvm_free_wq;

/* vsvm_drv.c */
void vsvm_devices_read_lock(void);
void vsvm_devices_read_unlock(void);
struct vsvm_device *vsvm_device_by_index(u32 index);

/* vsvm_device.c */
int vsvm_device_init(struct vsvm_device *vdev, u32 index, u32 num_engines,
		     u64 vram_size);
void vsvm_device_unplug(struct vsvm_device *vdev);
void vsvm_device_fini(struct vsvm_device *vdev);
void vsvm_record_latency(atomic64_t *hist, u64 ns);

/* vsvm_debugfs.c */
void vsvm_debugfs_init(struct drm_minor *minor);

#endif /* __VSVM_DRV_H__ */
