/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_JOB_H__
#define __VSVM_JOB_H__

#include <linux/kref.h>
#include <linux/workqueue.h>
#include <drm/gpu_scheduler.h>
#include <drm/vsvm_drm.h>

struct drm_device;
struct drm_file;
struct vsvm_engine;
struct vsvm_exec_ctx;
struct vsvm_vm;

/**
 * struct vsvm_client - per-file usage statistics, outliving the file
 * @ref: reference count (the file, each job, each of its VMs and each VRAM
 *	allocation charged to it).
 * @engine_ns: busy time of this client's jobs per engine.
 * @vram_bytes: VRAM allocated by migrations of this client's VMs, until
 *	the allocation is freed (which can be long after the file is closed).
 */
struct vsvm_client {
	struct kref ref;
	atomic64_t engine_ns[8];
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
 * @count: instructions in @prog.
 * @invocations: number of invocations.
 * @args: initial r0..r15.
 * @budget: instruction budget.
 * @ctx: engine execution context (lanes, TLB), allocated at submission.
 * @work: runs the job on the engine's workqueue.
 * @abort: 0, or the state to end with (TIMEOUT, CANCELED) at the next check.
 */
struct vsvm_job {
	struct drm_sched_job base;
	struct vsvm_engine *engine;
	struct vsvm_vm *vm;
	struct vsvm_client *client;
	struct vsvm_job_record *rec;
	struct dma_fence *hw_fence;
	u64 *prog;
	u32 count;
	u32 invocations;
	u64 args[VSVM_EXEC_MAX_ARGS];
	u64 budget;
	struct vsvm_exec_ctx *ctx;
	struct work_struct work;
	int abort;
};

extern const struct drm_sched_backend_ops vsvm_sched_ops;

void vsvm_client_put(struct vsvm_client *client);
void vsvm_job_record_put(struct vsvm_job_record *rec);
int vsvm_exec_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vsvm_job_status_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

#if IS_ENABLED(CONFIG_KUNIT)
struct vsvm_device;
int vsvm_exec_check(struct vsvm_device *vdev, const struct drm_vsvm_exec *args);
#endif

#endif /* __VSVM_JOB_H__ */
