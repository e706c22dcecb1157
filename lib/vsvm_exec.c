// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * Jobs: exec, status, syncobjs, and vsvm_run() on top of them.
 */
#include <string.h>
#include <time.h>

#include "vsvm_internal.h"

int vsvm_exec(int fd, const struct vsvm_exec_args *a, uint32_t *job_id)
{
	struct drm_vsvm_exec e = {
		.vm_id = a->vm_id,
		.engine = a->engine,
		.program_ptr = vsvm_va(a->program),
		.program_size = a->program_size,
		.invocations = a->invocations,
		.budget = a->budget,
		.in_syncs_ptr = a->in_syncs ? vsvm_va(a->in_syncs) : 0,
		.in_sync_count = a->in_sync_count,
		.out_sync = a->out_sync,
	};
	int ret;

	memcpy(e.args, a->args, sizeof(e.args));
	memcpy(e.group_size, a->group_size, sizeof(e.group_size));
	memcpy(e.group_count, a->group_count, sizeof(e.group_count));
	memcpy(e.global_offset, a->global_offset, sizeof(e.global_offset));
	e.local_mem_size = a->local_mem_size;
	e.scratch_size = a->scratch_size;
	ret = vsvm_ioctl(fd, DRM_IOCTL_VSVM_EXEC, &e);
	if (!ret && job_id)
		*job_id = e.job_id;
	return ret;
}

int vsvm_job_status(int fd, uint32_t job_id, uint64_t timeout_ns,
		    struct drm_vsvm_job_status *out)
{
	struct drm_vsvm_job_status s = {
		.job_id = job_id,
		.flags = timeout_ns ? DRM_VSVM_JOB_STATUS_WAIT : 0,
		.timeout_ns = timeout_ns,
	};
	int ret = vsvm_ioctl(fd, DRM_IOCTL_VSVM_JOB_STATUS, &s);

	if (!ret)
		*out = s;
	return ret;
}

int vsvm_syncobj_create(int fd, uint32_t *handle)
{
	return drmSyncobjCreate(fd, 0, handle) ? -errno : 0;
}

int vsvm_syncobj_destroy(int fd, uint32_t handle)
{
	return drmSyncobjDestroy(fd, handle) ? -errno : 0;
}

int vsvm_syncobj_wait(int fd, const uint32_t *handles, uint32_t count,
		      uint64_t timeout_ns, bool all)
{
	uint32_t flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	struct timespec now;
	uint64_t abs_ns;
	int ret;

	if (all)
		flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	abs_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	abs_ns = timeout_ns > INT64_MAX - abs_ns ? INT64_MAX : abs_ns + timeout_ns;
	/* libdrm's prototype is not const-correct; it only reads handles. */
	ret = drmSyncobjWait(fd, (uint32_t *)(uintptr_t)handles, count,
			     (int64_t)abs_ns, flags, NULL);
	return ret < 0 ? ret : 0;
}

int vsvm_run(int fd, uint32_t vm_id, const struct vsvm_prog *prog,
	     uint32_t invocations, const uint64_t *args,
	     struct drm_vsvm_job_status *status)
{
	struct vsvm_exec_args a = {
		.vm_id = vm_id,
		.program = prog->insns,
		.program_size = prog->count,
		.invocations = invocations,
	};
	struct drm_vsvm_job_status st;
	uint32_t job_id, sync;
	int ret;

	if (prog->error)
		return prog->error;
	if (prog->nfixups)
		return -EINVAL;	/* vsvm_prog_finish() was not called */
	if (args)
		memcpy(a.args, args, sizeof(a.args));

	ret = vsvm_syncobj_create(fd, &sync);
	if (ret)
		return ret;
	a.out_sync = sync;
	ret = vsvm_exec(fd, &a, &job_id);
	if (ret)
		goto out_sync;
	ret = vsvm_syncobj_wait(fd, &sync, 1, VSVM_RUN_TIMEOUT_NS, true);
	if (ret && ret != -ETIME)
		goto out_sync;
	/* After a timeout, poll: the record shows the job still queued. */
	ret = vsvm_job_status(fd, job_id, ret ? 0 : VSVM_RUN_TIMEOUT_NS, &st);
	if (ret)
		goto out_sync;
	if (status)
		*status = st;
	if (st.state == DRM_VSVM_JOB_QUEUED)
		ret = -ETIME;
	else if (st.state != DRM_VSVM_JOB_DONE)
		ret = -EIO;
out_sync:
	vsvm_syncobj_destroy(fd, sync);
	return ret;
}
