// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/dma-fence.h>
#include <linux/error-injection.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait_bit.h>
#include <drm/drm_drv.h>
#include <kunit/visibility.h>
#include <drm/drm_file.h>
#include <drm/drm_syncobj.h>
#include <drm/drm_utils.h>

#include "vsvm_drv.h"
#include "vsvm_hw.h"
#include "vsvm_isa.h"
#include "vsvm_job.h"
#include "vsvm_sync.h"
#include "vsvm_trace.h"
#include "vsvm_vm.h"

/**
 * DOC: Jobs and scheduling
 *
 * DRM_IOCTL_VSVM_EXEC validates the program, then queues a job on the
 * drm_sched scheduler of the target engine, through the file's entity for
 * that engine. The fences of the wait operations (see "Synchronisation
 * operations") become scheduler dependencies; the scheduler's finished
 * fence is installed in every signal operation's syncobj, as a timeline
 * point where one is given. Each engine's scheduler
 * has a credit limit of one: the engine runs one job at a time, and may
 * run work-groups of other engines' jobs between its own (DOC: Virtual
 * engine).
 *
 * A job that runs longer than ``job_timeout_ms`` is killed by the
 * scheduler's timeout handler: the scheduler is stopped, the engine is told
 * to abort (it notices between instruction slices), the job ends in state
 * %DRM_VSVM_JOB_TIMEOUT with its fence error -ETIMEDOUT, and the scheduler
 * restarts with the next job: the engine reset of real hardware.
 *
 * The time a job spends waiting for its GPU faults to be serviced does not
 * count: a job whose faults are being serviced is not hung, however long
 * the service takes (its VM's pages may be migrating, or its process may
 * hold the locks the service needs). When the timeout fires, the handler
 * subtracts the job's fault waits from its time on the engine; if the rest
 * is below ``job_timeout_ms`` the job is left running and the timeout is
 * armed again (it fires every ``job_timeout_ms``, so a job is killed at most
 * one period after its own execution time reached the limit). A job that
 * never faults is killed exactly as before. So that a job faulting forever
 * (say, its pages invalidated by the CPU as fast as they are mapped) still
 * ends, a job on the engine for %VSVM_JOB_FAULT_WAIT_LIMIT periods in all is
 * killed whatever it was waiting for. The tracepoint vsvm_job_timeout shows
 * every decision.
 *
 * Every job leaves a record (&struct drm_vsvm_job_status) the file can read
 * by id; the last %VSVM_JOB_RECORDS records are kept.
 *
 * Closing the file or removing the device cancels the jobs that have not
 * finished; destroying their VM does not (see DOC: Lifetime).
 */

#define VSVM_JOB_RECORDS	4096
/* A job is killed after this many job timeouts on the engine, fault waits included. */
#define VSVM_JOB_FAULT_WAIT_LIMIT	10

static struct vsvm_job *to_vsvm_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct vsvm_job, base);
}

static void vsvm_client_release(struct kref *ref)
{
	kfree(container_of(ref, struct vsvm_client, ref));
}

/**
 * vsvm_client_put() - drop a reference to usage statistics
 * @client: the statistics
 */
void vsvm_client_put(struct vsvm_client *client)
{
	kref_put(&client->ref, vsvm_client_release);
}

static void vsvm_job_record_release(struct kref *ref)
{
	struct vsvm_job_record *rec = container_of(ref, struct vsvm_job_record, ref);

	dma_fence_put(rec->finished);
	kfree(rec);
}

/**
 * vsvm_job_record_put() - drop a reference to a job record
 * @rec: the record
 */
void vsvm_job_record_put(struct vsvm_job_record *rec)
{
	kref_put(&rec->ref, vsvm_job_record_release);
}

/**
 * vsvm_client_close() - cancel the jobs of a file that is being closed
 * @client: the file's client state
 *
 * Every job of the file that an engine picks up from now on ends
 * %DRM_VSVM_JOB_CANCELED at its first check, and a running one at its next
 * slice boundary. Returns when no engine is executing a job of the file any
 * more: the GPU no longer touches the process's memory on its behalf.
 *
 * Context: process context; sleeps for at most one slice of each running
 * job of the file, or the GPU fault it is waiting for.
 */
void vsvm_client_close(struct vsvm_client *client)
{
	WRITE_ONCE(client->closed, true);
	smp_mb();	/* pairs with vsvm_job_work() */
	wait_var_event(&client->running, !atomic_read(&client->running));
}

/**
 * vsvm_job_slice_begin() - may an engine run the next slice of @job?
 * @job: the running job
 * @dev_idx: the engine's drm_dev_enter() cookie for @job, -1 outside a
 *	slice
 *
 * Leaves the device section (drm_dev_enter()) of the previous slice and
 * enters a new one, so that drm_dev_unplug() waits for at most one slice
 * of every engine running the job.
 *
 * Context: an engine's workqueue, before each slice of @job on it.
 * Return: 0 to go on (inside a new section), or the state to end the job
 * with: its abort state, or %DRM_VSVM_JOB_CANCELED when its file was closed
 * or its device removed.
 */
int vsvm_job_slice_begin(struct vsvm_job *job, int *dev_idx)
{
	int abort;

	vsvm_job_slice_end(dev_idx);
	abort = READ_ONCE(job->abort);
	if (abort)
		return abort;
	if (READ_ONCE(job->client->closed) ||
	    !drm_dev_enter(&job->engine->vdev->drm, dev_idx)) {
		*dev_idx = -1;
		return DRM_VSVM_JOB_CANCELED;
	}
	return 0;
}

/**
 * vsvm_job_slice_end() - leave the device section of the last slice
 * @dev_idx: the cookie vsvm_job_slice_begin() filled, or -1
 *
 * Context: an engine's workqueue, once it stopped executing the job.
 */
void vsvm_job_slice_end(int *dev_idx)
{
	if (*dev_idx >= 0)
		drm_dev_exit(*dev_idx);
	*dev_idx = -1;
}

static void vsvm_job_work(struct work_struct *work)
{
	struct vsvm_job *job = container_of(work, struct vsvm_job, work);
	struct vsvm_client *client = job->client;

	WRITE_ONCE(job->run_start, ktime_get());
	atomic_dec(&job->engine->queued);
	/* The job may be freed as soon as its fence signals: pin the client. */
	kref_get(&client->ref);
	atomic_inc(&client->running);
	smp_mb__after_atomic();	/* pairs with vsvm_client_close() */
	vsvm_hw_run(job);
	if (atomic_dec_and_test(&client->running))
		wake_up_var(&client->running);
	vsvm_client_put(client);
}

static struct dma_fence *vsvm_sched_run_job(struct drm_sched_job *sched_job)
{
	struct vsvm_job *job = to_vsvm_job(sched_job);

	/* A dependency failed or the entity was killed: do not run. */
	if (unlikely(sched_job->s_fence->finished.error))
		WRITE_ONCE(job->abort, DRM_VSVM_JOB_CANCELED);
	/*
	 * The scheduler's timeout starts now; the job's own time on the
	 * engine when its work item starts (the engine may first give back
	 * another engine's work-group, see vsvm_hw_help_work()).
	 */
	WRITE_ONCE(job->run_start, 0);
	/* An engine running other engines' work-groups gives them back. */
	atomic_inc(&job->engine->queued);
	queue_work(job->engine->wq, &job->work);
	return dma_fence_get(job->hw_fence);
}

/**
 * vsvm_job_fault_wait_begin() - an engine starts waiting for fault service
 * @job: the running job
 *
 * The job counts as waiting while at least one of the engines running its
 * work-groups waits.
 *
 * Context: an engine's worker.
 */
void vsvm_job_fault_wait_begin(struct vsvm_job *job)
{
	spin_lock(&job->wait_lock);
	if (!job->fault_waiters++)
		job->fault_wait_since = ktime_get();
	spin_unlock(&job->wait_lock);
}

/**
 * vsvm_job_fault_wait_end() - an engine's faults have their verdicts
 * @job: the running job
 *
 * Context: an engine's worker.
 */
void vsvm_job_fault_wait_end(struct vsvm_job *job)
{
	spin_lock(&job->wait_lock);
	if (!--job->fault_waiters) {
		job->fault_wait = ktime_add(job->fault_wait,
					    ktime_sub(ktime_get(), job->fault_wait_since));
		job->fault_wait_since = 0;
	}
	spin_unlock(&job->wait_lock);
}

/*
 * Whether the scheduler's timeout should kill @job: its time on the engine,
 * fault waits not counted, reached the job timeout, or its time on the
 * engine in all reached %VSVM_JOB_FAULT_WAIT_LIMIT timeouts.
 */
static bool vsvm_job_hung(struct vsvm_job *job)
{
	s64 limit = (s64)vsvm_job_timeout_ms * NSEC_PER_MSEC;
	ktime_t now = ktime_get(), waited, start = READ_ONCE(job->run_start);
	s64 on_engine, busy;
	bool hung;

	/* Not started: its engine is giving back another job's work-group. */
	if (!start)
		return false;
	spin_lock(&job->wait_lock);
	waited = job->fault_wait;
	if (job->fault_wait_since)
		waited = ktime_add(waited, ktime_sub(now, job->fault_wait_since));
	spin_unlock(&job->wait_lock);

	on_engine = ktime_to_ns(ktime_sub(now, start));
	busy = on_engine - ktime_to_ns(waited);
	hung = busy >= limit || on_engine >= VSVM_JOB_FAULT_WAIT_LIMIT * limit;
	trace_vsvm_job_timeout(job->engine->vdev->index, job->engine->id, on_engine,
			       ktime_to_ns(waited), hung);
	return hung;
}

static enum drm_gpu_sched_stat vsvm_sched_timedout_job(struct drm_sched_job *sched_job)
{
	struct vsvm_job *job = to_vsvm_job(sched_job);
	struct vsvm_engine *eng = job->engine;

	if (dma_fence_is_signaled(job->hw_fence) || !vsvm_job_hung(job)) {
		/*
		 * Not hung: leave it running. The scheduler took the job off
		 * its pending list; drm_sched_stop() puts it back (or, if it
		 * has just ended, has it freed) and detaches it from its
		 * hardware fence, which is attached again before the restart
		 * (as drm_sched_resubmit_jobs() does for a resubmitted job).
		 */
		drm_sched_stop(&eng->sched, sched_job);
		if (!eng->sched.free_guilty && !sched_job->s_fence->parent)
			sched_job->s_fence->parent = dma_fence_get(job->hw_fence);
		if (!dma_fence_is_signaled(job->hw_fence))
			vsvm_count(eng->vdev, VSVM_CNT_JOB_TIMEOUTS_DEFERRED, 1);
		drm_sched_start(&eng->sched);
		return DRM_GPU_SCHED_STAT_NOMINAL;
	}

	drm_warn(&eng->vdev->drm, "%s: job timed out, resetting engine\n", eng->name);
	drm_sched_stop(&eng->sched, sched_job);
	WRITE_ONCE(job->abort, DRM_VSVM_JOB_TIMEOUT);
	flush_workqueue(eng->wq);
	vsvm_count(eng->vdev, VSVM_CNT_JOB_TIMEOUTS, 1);
	drm_sched_start(&eng->sched);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void vsvm_job_free_work(struct work_struct *work)
{
	struct vsvm_job *job = container_of(work, struct vsvm_job, free_work);
	struct vsvm_device *vdev = job->engine->vdev;

	dma_fence_put(job->hw_fence);
	vsvm_job_record_put(job->rec);
	vsvm_client_put(job->client);
	vsvm_vm_put(job->vm);
	vsvm_hw_ctx_free(job->ctx);
	kvfree(job->dec);
	kvfree(job->prog);
	kfree(job);
	/* Removal may free @vdev once this reads zero: only wake it. */
	if (atomic_dec_and_test(&vdev->jobs))
		wake_up_var(&vdev->jobs);
}

/*
 * Runs in the scheduler's free_job work item, which drm_sched_fini()
 * flushes: dropping the VM here could drop the last reference of the
 * drm_device and run drm_sched_fini() inside the work item it waits for.
 * The references go on %vsvm_free_wq instead (see DOC: Lifetime).
 */
static void vsvm_sched_free_job(struct drm_sched_job *sched_job)
{
	struct vsvm_job *job = to_vsvm_job(sched_job);

	drm_sched_job_cleanup(sched_job);
	queue_work(vsvm_free_wq, &job->free_work);
}

const struct drm_sched_backend_ops vsvm_sched_ops = {
	.run_job = vsvm_sched_run_job,
	.timedout_job = vsvm_sched_timedout_job,
	.free_job = vsvm_sched_free_job,
};

static bool vsvm_exec_any(const u32 *v)
{
	return v[0] || v[1] || v[2];
}

/*
 * The shape of a job: flat (uAPI 1.0) or a grid of work-groups (1.2).
 * Fills the job's shape fields; -EINVAL if a field is out of range.
 */
static int vsvm_exec_check_shape(struct vsvm_device *vdev, const struct drm_vsvm_exec *args,
				 struct vsvm_job *job)
{
	u64 lanes = 1, total;
	int d;

	job->groups = vsvm_exec_any(args->group_size);
	if (!job->groups) {
		if (VSVM_IOCTL_DBG(vdev, !args->invocations ||
				   args->invocations > VSVM_MAX_INVOCATIONS) ||
		    VSVM_IOCTL_DBG(vdev, vsvm_exec_any(args->group_count)) ||
		    VSVM_IOCTL_DBG(vdev, args->global_offset[0] || args->global_offset[1] ||
				   args->global_offset[2]) ||
		    VSVM_IOCTL_DBG(vdev, args->local_mem_size))
			return -EINVAL;
		job->invocations = args->invocations;
		job->group_size[0] = 1;
		job->group_size[1] = 1;
		job->group_size[2] = 1;
		job->group_count[0] = args->invocations;
		job->group_count[1] = 1;
		job->group_count[2] = 1;
		job->group_lanes = 1;
		job->num_groups = args->invocations;
		goto scratch;
	}

	if (VSVM_IOCTL_DBG(vdev, args->invocations))
		return -EINVAL;
	for (d = 0; d < 3; d++) {
		if (VSVM_IOCTL_DBG(vdev, !args->group_size[d] ||
				   args->group_size[d] > VSVM_MAX_GROUP_LANES) ||
		    VSVM_IOCTL_DBG(vdev, !args->group_count[d] ||
				   args->group_count[d] > VSVM_MAX_INVOCATIONS))
			return -EINVAL;
		lanes *= args->group_size[d];
	}
	/* Each factor is at most 2^24: no product below overflows. */
	total = lanes * args->group_count[0] * args->group_count[1];
	if (VSVM_IOCTL_DBG(vdev, lanes > VSVM_MAX_GROUP_LANES) ||
	    VSVM_IOCTL_DBG(vdev, total > VSVM_MAX_INVOCATIONS) ||
	    VSVM_IOCTL_DBG(vdev, total * args->group_count[2] > VSVM_MAX_INVOCATIONS) ||
	    VSVM_IOCTL_DBG(vdev, args->local_mem_size > VSVM_MAX_LOCAL_MEM))
		return -EINVAL;
	memcpy(job->group_size, args->group_size, sizeof(job->group_size));
	memcpy(job->group_count, args->group_count, sizeof(job->group_count));
	memcpy(job->global_offset, args->global_offset, sizeof(job->global_offset));
	job->group_lanes = lanes;
	job->invocations = total * args->group_count[2];
	job->num_groups = job->invocations / lanes;
	job->local_size = args->local_mem_size;
scratch:
	if (VSVM_IOCTL_DBG(vdev, args->scratch_size > VSVM_MAX_SCRATCH ||
			   !IS_ALIGNED(args->scratch_size, 8)) ||
	    VSVM_IOCTL_DBG(vdev, (u64)args->scratch_size * job->group_lanes >
			   VSVM_MAX_SCRATCH_GROUP))
		return -EINVAL;
	job->scratch_size = args->scratch_size;
	return 0;
}

/**
 * vsvm_exec_check() - validate EXEC arguments
 * @vdev: the device
 * @args: the ioctl arguments (@args->job_id is out-only and not looked at)
 * @job: receives the job's shape (flat or work-groups) when they are valid
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int vsvm_exec_check(struct vsvm_device *vdev,
				     const struct drm_vsvm_exec *args,
				     struct vsvm_job *job)
{
	if (VSVM_IOCTL_DBG(vdev, args->flags) ||
	    VSVM_IOCTL_DBG(vdev, args->engine >= vdev->num_engines) ||
	    VSVM_IOCTL_DBG(vdev, !args->program_size ||
			   args->program_size > VSVM_MAX_PROGRAM) ||
	    vsvm_sync_array_check(vdev, &args->syncs))
		return -EINVAL;
	return vsvm_exec_check_shape(vdev, args, job);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_exec_check);

static noinline u64 *vsvm_exec_copy_program(struct vsvm_device *vdev,
					    const struct drm_vsvm_exec *args)
{
	u64 *prog;
	u32 bad_pc;
	int ret;

	prog = kvmalloc_array(args->program_size, sizeof(u64), GFP_KERNEL);
	if (!prog)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(prog, u64_to_user_ptr(args->program_ptr),
			   args->program_size * sizeof(u64))) {
		ret = -EFAULT;
		goto err;
	}
	ret = vsvm_isa_validate(prog, args->program_size, &bad_pc);
	if (ret) {
		drm_dbg_driver(&vdev->drm, "program rejected at instruction %u\n", bad_pc);
		goto err;
	}
	return prog;
err:
	kvfree(prog);
	return ERR_PTR(ret);
}
ALLOW_ERROR_INJECTION(vsvm_exec_copy_program, ERRNO);

static int vsvm_exec_add_deps(struct vsvm_job *job, struct drm_file *file,
			      const struct vsvm_syncs *syncs)
{
	struct dma_fence *fence;
	u32 i;
	int ret;

	for (i = 0; i < syncs->count; i++) {
		if (syncs->ops[i].flags & DRM_VSVM_SYNC_SIGNAL)
			continue;
		ret = vsvm_syncs_wait_fence(file, &syncs->ops[i], &fence);
		if (ret)
			return ret;
		/* Consumes the reference, also on error. */
		ret = drm_sched_job_add_dependency(&job->base, fence);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Reserve the id of a new job's record while the job can still be unwound:
 * once the job is armed it must run, so publishing its record may not fail.
 */
static noinline int vsvm_job_record_reserve(struct vsvm_file *vfpriv, u32 *id)
{
	int ret;

	xa_lock(&vfpriv->jobs);
	*id = ++vfpriv->next_job_id;
	if (!*id)
		*id = ++vfpriv->next_job_id;
	ret = xa_err(__xa_cmpxchg(&vfpriv->jobs, *id, NULL, XA_ZERO_ENTRY, GFP_KERNEL));
	xa_unlock(&vfpriv->jobs);
	return ret;
}
ALLOW_ERROR_INJECTION(vsvm_job_record_reserve, ERRNO);

/* Publish @rec under the reserved @id; drop the record that falls out. */
static void vsvm_job_record_publish(struct vsvm_file *vfpriv,
				    struct vsvm_job_record *rec, u32 id)
{
	struct vsvm_job_record *old;

	kref_get(&rec->ref);
	xa_lock(&vfpriv->jobs);
	/* A reserved slot is stored into without allocating. */
	WARN_ON(xa_err(__xa_store(&vfpriv->jobs, id, rec, GFP_NOWAIT)));
	/* Not another job's reservation (xa_load() skips those). */
	old = xa_load(&vfpriv->jobs, id - VSVM_JOB_RECORDS);
	if (old)
		__xa_erase(&vfpriv->jobs, id - VSVM_JOB_RECORDS);
	xa_unlock(&vfpriv->jobs);
	if (old)
		vsvm_job_record_put(old);
}

/**
 * vsvm_exec_ioctl() - DRM_IOCTL_VSVM_EXEC
 * @dev: DRM device
 * @data: &struct drm_vsvm_exec
 * @file: DRM file
 *
 * Return: 0 or a negative errno documented in the uAPI header.
 */
int vsvm_exec_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct vsvm_device *vdev = to_vsvm_device(dev);
	struct vsvm_file *vfpriv = file->driver_priv;
	struct drm_vsvm_exec *args = data;
	struct vsvm_syncs syncs = {};
	struct vsvm_job *job;
	struct vsvm_vm *vm;
	u32 id;
	int ret;

	/* @job_id is out-only: a reused submit struct's old id is ignored. */
	args->job_id = 0;
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	ret = vsvm_exec_check(vdev, args, job);
	if (ret) {
		kfree(job);
		return ret;
	}
	vm = vsvm_vm_lookup(vfpriv, args->vm_id, &ret);
	if (!vm) {
		kfree(job);
		return ret;
	}
	job->vm = vm;
	job->engine = &vdev->engines[args->engine];
	job->count = args->program_size;
	job->budget = args->budget ?: VSVM_DEFAULT_BUDGET;
	memcpy(job->args, args->args, sizeof(job->args));
	INIT_WORK(&job->work, vsvm_job_work);
	INIT_WORK(&job->free_work, vsvm_job_free_work);
	INIT_LIST_HEAD(&job->parked);
	INIT_LIST_HEAD(&job->share_link);
	spin_lock_init(&job->wait_lock);
	kref_get(&vfpriv->client->ref);
	job->client = vfpriv->client;

	job->prog = vsvm_exec_copy_program(vdev, args);
	if (IS_ERR(job->prog)) {
		ret = PTR_ERR(job->prog);
		job->prog = NULL;
		goto err_free;
	}
	/* Validated: decode it once for every engine that runs it. */
	job->dec = kvmalloc_array(job->count, sizeof(*job->dec), GFP_KERNEL_ACCOUNT);
	if (job->dec)
		vsvm_isa_decode(job->prog, job->count, job->dec);
	job->rec = kzalloc(sizeof(*job->rec), GFP_KERNEL);
	job->ctx = vsvm_hw_ctx_alloc(job);
	job->hw_fence = vsvm_hw_fence_create(job->engine);
	if (!job->dec || !job->rec || !job->ctx || !job->hw_fence) {
		ret = -ENOMEM;
		goto err_free;
	}
	kref_init(&job->rec->ref);

	ret = vsvm_syncs_get(vdev, file, &args->syncs, &syncs);
	if (ret)
		goto err_free;

	ret = drm_sched_job_init(&job->base, &vfpriv->entities[args->engine], 1,
				 vfpriv, file->client_id);
	if (ret)
		goto err_free;
	ret = vsvm_exec_add_deps(job, file, &syncs);
	if (ret)
		goto err_cleanup;
	ret = vsvm_job_record_reserve(vfpriv, &id);
	if (ret)
		goto err_cleanup;

	/* From here on nothing fails: an armed job must run. */
	atomic_inc(&vdev->jobs);
	drm_sched_job_arm(&job->base);
	job->rec->finished = dma_fence_get(&job->base.s_fence->finished);
	vsvm_job_record_publish(vfpriv, job->rec, id);
	vsvm_syncs_signal(&syncs, &job->base.s_fence->finished);
	drm_sched_entity_push_job(&job->base);

	vsvm_syncs_put(&syncs);
	args->job_id = id;
	return 0;

err_cleanup:
	drm_sched_job_cleanup(&job->base);
err_free:
	vsvm_syncs_put(&syncs);
	if (job->hw_fence)
		dma_fence_put(job->hw_fence);
	vsvm_hw_ctx_free(job->ctx);
	kfree(job->rec);
	kvfree(job->dec);
	kvfree(job->prog);
	vsvm_client_put(job->client);
	vsvm_vm_put(vm);
	kfree(job);
	return ret;
}

/**
 * vsvm_job_status_check() - validate JOB_STATUS arguments
 * @vdev: the device
 * @args: the ioctl arguments (the outputs are not looked at)
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int vsvm_job_status_check(struct vsvm_device *vdev,
					   const struct drm_vsvm_job_status *args)
{
	if (VSVM_IOCTL_DBG(vdev, args->flags & ~DRM_VSVM_JOB_STATUS_WAIT) ||
	    VSVM_IOCTL_DBG(vdev, args->pad) ||
	    VSVM_IOCTL_DBG(vdev, args->deadline_ns > S64_MAX))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_job_status_check);

/**
 * vsvm_job_status_ioctl() - DRM_IOCTL_VSVM_JOB_STATUS
 * @dev: DRM device
 * @data: &struct drm_vsvm_job_status
 * @file: DRM file
 *
 * Return: 0 or a negative errno documented in the uAPI header.
 */
int vsvm_job_status_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct vsvm_device *vdev = to_vsvm_device(dev);
	struct vsvm_file *vfpriv = file->driver_priv;
	struct drm_vsvm_job_status *args = data;
	struct vsvm_job_record *rec;
	int ret = 0;

	ret = vsvm_job_status_check(vdev, args);
	if (ret)
		return ret;

	xa_lock(&vfpriv->jobs);
	rec = xa_load(&vfpriv->jobs, args->job_id);
	if (rec)
		kref_get(&rec->ref);
	xa_unlock(&vfpriv->jobs);
	if (!rec)
		return -ENOENT;

	if (args->flags & DRM_VSVM_JOB_STATUS_WAIT) {
		/* Absolute: a restarted wait ends at the same time. */
		long t = dma_fence_wait_timeout(rec->finished, true,
						drm_timeout_abs_to_jiffies(args->deadline_ns));

		if (t == 0)
			ret = -ETIME;
		else if (t < 0)
			ret = t;
		if (ret)
			goto out;
	}

	memset(&args->state, 0, sizeof(*args) - offsetof(typeof(*args), state));
	if (!dma_fence_is_signaled(rec->finished)) {
		args->state = DRM_VSVM_JOB_QUEUED;
		goto out;
	}
	smp_rmb();	/* pairs with the engine's smp_wmb() before signalling */
	/* Never ran (dependency error, entity killed): canceled. */
	args->state = rec->state ?: DRM_VSVM_JOB_CANCELED;
	args->fault_reason = rec->fault_reason;
	args->fault_addr = rec->fault_addr;
	args->fault_access = rec->fault_access;
	args->fault_lane = rec->fault_lane;
	args->fault_pc = rec->fault_pc;
	args->instructions = rec->instructions;
	args->faults = rec->faults;
out:
	vsvm_job_record_put(rec);
	return ret;
}
