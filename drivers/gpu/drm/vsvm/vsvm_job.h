/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_JOB_H__
#define __VSVM_JOB_H__

#include <linux/kref.h>
#include <linux/sizes.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <drm/gpu_scheduler.h>
#include <drm/vsvm_drm.h>

/* Limits of DRM_IOCTL_VSVM_EXEC, reported by DRM_IOCTL_VSVM_GET_PARAM. */
#define VSVM_MAX_PROGRAM	65536
#define VSVM_MAX_INVOCATIONS	BIT(24)
#define VSVM_MAX_GROUP_LANES	1024
#define VSVM_MAX_LOCAL_MEM	SZ_64K
#define VSVM_MAX_SCRATCH	SZ_16K
#define VSVM_MAX_SCRATCH_GROUP	SZ_4M

struct drm_device;
struct drm_file;
struct vsvm_engine;
struct vsvm_exec_ctx;
struct vsvm_isa_insn;
struct vsvm_vm;

/**
 * struct vsvm_client - per-file usage statistics, outliving the file
 * @ref: reference count (the file, each job, each of its VMs and each VRAM
 *	allocation charged to it).
 * @closed: the file was closed: its jobs end CANCELED at their next check.
 * @running: jobs of this client an engine is executing right now.
 * @engine_ns: busy time of this client's jobs per engine.
 * @vram_bytes: VRAM allocated by migrations of this client's VMs, until
 *	the allocation is freed (which can be long after the file is closed).
 */
struct vsvm_client {
	struct kref ref;
	atomic64_t engine_ns[8];
	bool closed;
	atomic_t running;
	atomic64_t vram_bytes;
};

/**
 * vsvm_client_get() - take a reference to usage statistics
 * @client: the statistics
 *
 * Return: @client.
 */
static inline struct vsvm_client *vsvm_client_get(struct vsvm_client *client)
{
	kref_get(&client->ref);
	return client;
}

/**
 * struct vsvm_job_record - what userspace can read about a job
 * @ref: reference count (the file's table and the job).
 * @finished: the scheduler's finished fence of the job.
 * @state: &enum drm_vsvm_job_state; the fields below are written before
 *	the job's hardware fence signals.
 * @fault_reason: &enum drm_vsvm_fault_reason.
 * @fault_access: DRM_VSVM_ACCESS_*.
 * @fault_lane: faulting invocation.
 * @fault_pc: faulting instruction.
 * @fault_addr: faulting address.
 * @instructions: instructions executed.
 * @faults: recoverable faults taken.
 */
struct vsvm_job_record {
	struct kref ref;
	struct dma_fence *finished;
	u32 state;
	u32 fault_reason;
	u32 fault_access;
	u32 fault_lane;
	u32 fault_pc;
	u64 fault_addr;
	u64 instructions;
	u64 faults;
};

/**
 * struct vsvm_job - a program dispatched on an engine
 * @base: the scheduler job.
 * @engine: target engine.
 * @vm: the VM (referenced).
 * @client: usage statistics of the submitter (referenced).
 * @rec: the job record (referenced).
 * @hw_fence: signalled by the engine when the job ends.
 * @prog: the validated program.
 * @dec: @prog decoded once at submission (vsvm_isa_decode()), shared
 *	read-only by every engine that runs the job's work-groups.
 * @count: instructions in @prog.
 * @invocations: number of lanes of the job (of the whole grid).
 * @groups: true for a work-group job, false for a flat one.
 * @group_size: lanes of a work-group per dimension (1, 1, 1 if flat).
 * @group_count: work-groups per dimension (invocations, 1, 1 if flat).
 * @global_offset: added to the global ids.
 * @group_lanes: lanes of a work-group.
 * @num_groups: work-groups of the grid.
 * @local_size: bytes of local memory per work-group.
 * @scratch_size: bytes of scratch memory per lane.
 * @args: initial r0..r15.
 * @budget: instruction budget.
 * @budget_left: what is left of @budget while the job runs; each lane's
 *	slice takes its steps from it and gives back what it did not use.
 * @budget_holders: slices of a shared job holding part of the budget.
 * @shared: other engines may run units of the job (set when it starts).
 * @ctx: execution context (lanes, TLB) of the job's engine, allocated at
 *	submission; the engines that help allocate their own.
 * @num_units: work-groups of the job, or waves of a flat one: the units
 *	engines take.
 * @next_unit: the next unit no engine took yet.
 * @parked: contexts of units an engine started and gave back to run its
 *	own job; any engine taking work resumes them first.
 * @helpers: other engines running units of the job now.
 * @stopped: a unit ended the job (its state is in @rec): no engine takes
 *	or continues one.
 * @share_link: in &vsvm_device.shared_jobs while other engines may help.
 * @work: runs the job on the engine's workqueue.
 * @free_work: releases the job on %vsvm_free_wq, outside the scheduler.
 * @abort: 0, or the state to end with (TIMEOUT, CANCELED) at the next check.
 * @run_start: when the scheduler handed the job to the engine.
 * @wait_lock: protects @fault_wait, @fault_waiters and @fault_wait_since.
 * @fault_wait: time during which at least one engine running the job
 *	waited for fault service, finished waits only.
 * @fault_waiters: engines in fault service now.
 * @fault_wait_since: start of the wait in progress, 0 when none.
 */
struct vsvm_job {
	struct drm_sched_job base;
	struct vsvm_engine *engine;
	struct vsvm_vm *vm;
	struct vsvm_client *client;
	struct vsvm_job_record *rec;
	struct dma_fence *hw_fence;
	u64 *prog;
	struct vsvm_isa_insn *dec;
	u32 count;
	u32 invocations;
	bool groups;
	u32 group_size[3];
	u32 group_count[3];
	u64 global_offset[3];
	u32 group_lanes;
	u32 num_groups;
	u32 local_size;
	u32 scratch_size;
	u64 args[DRM_VSVM_EXEC_MAX_ARGS];
	u64 budget;
	atomic64_t budget_left;
	atomic_t budget_holders;
	bool shared;
	struct vsvm_exec_ctx *ctx;
	u32 num_units;
	u32 next_unit;
	struct list_head parked;
	u32 helpers;
	bool stopped;
	struct list_head share_link;
	struct work_struct work;
	struct work_struct free_work;
	int abort;
	ktime_t run_start;
	spinlock_t wait_lock; /* protects fault_wait, fault_waiters, fault_wait_since */
	ktime_t fault_wait;
	u32 fault_waiters;
	ktime_t fault_wait_since;
};

extern const struct drm_sched_backend_ops vsvm_sched_ops;

void vsvm_client_put(struct vsvm_client *client);
void vsvm_client_close(struct vsvm_client *client);
int vsvm_job_slice_begin(struct vsvm_job *job, int *dev_idx);
void vsvm_job_slice_end(int *dev_idx);
void vsvm_job_fault_wait_begin(struct vsvm_job *job);
void vsvm_job_fault_wait_end(struct vsvm_job *job);
void vsvm_job_record_put(struct vsvm_job_record *rec);
int vsvm_exec_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vsvm_job_status_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

#if IS_ENABLED(CONFIG_KUNIT)
struct vsvm_device;
int vsvm_job_status_check(struct vsvm_device *vdev,
			  const struct drm_vsvm_job_status *args);
int vsvm_exec_check(struct vsvm_device *vdev, const struct drm_vsvm_exec *args,
		    struct vsvm_job *job);
#endif

#endif /* __VSVM_JOB_H__ */
