// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * Jobs: exec, status, syncobjs, and vsvm_run() on top of them.
 */
#include <string.h>
#include <time.h>

#include "vsvm_internal.h"

int vsvm_syncs_to_kernel(const struct vsvm_sync *syncs, uint32_t count,
			 size_t size, struct drm_vsvm_sync *out)
{
	if (count && (!syncs || size < offsetof(struct vsvm_sync, point) + sizeof(uint64_t)))
		return -EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		struct vsvm_sync s;

		VSVM_STRUCT_IN(&s, (const char *)syncs + i * size, size);
		out[i] = (struct drm_vsvm_sync) {
			.handle = s.handle, .flags = s.flags, .timeline_point = s.point,
		};
	}
	return 0;
}

int vsvm_exec_sized(int fd, const struct vsvm_exec_args *args, size_t size,
		    uint32_t *job_id)
{
	struct drm_vsvm_sync ks[DRM_VSVM_MAX_SYNCS];
	struct vsvm_exec_args aa, *a = &aa;
	uint32_t n = 0;
	int ret;

	VSVM_STRUCT_IN(&aa, args, size);
	if ((uint64_t)a->in_sync_count + !!a->out_sync + a->sync_count > DRM_VSVM_MAX_SYNCS)
		return -EINVAL;
	if (a->in_sync_count && !a->in_syncs)
		return -EINVAL;
	for (uint32_t i = 0; i < a->in_sync_count; i++)
		ks[n++] = (struct drm_vsvm_sync) { .handle = a->in_syncs[i] };
	if (a->out_sync)
		ks[n++] = (struct drm_vsvm_sync) {
			.handle = a->out_sync, .flags = DRM_VSVM_SYNC_SIGNAL,
		};
	ret = vsvm_syncs_to_kernel(a->syncs, a->sync_count, sizeof(struct vsvm_sync), ks + n);
	if (ret)
		return ret;
	n += a->sync_count;

	struct drm_vsvm_exec e = {
		.vm_id = a->vm_id,
		.engine = a->engine,
		.program_ptr = vsvm_va(a->program),
		.program_size = a->program_size,
		.invocations = a->invocations,
		.budget = a->budget,
		.syncs = {
			.stride = sizeof(ks[0]), .count = n, .ptr = n ? vsvm_va(ks) : 0,
		},
	};

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

uint64_t vsvm_monotonic_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

/* now + @timeout_ns, saturated at INT64_MAX (the kernel's limit). */
static uint64_t deadline_after(uint64_t timeout_ns)
{
	uint64_t now = vsvm_monotonic_ns();

	return timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns;
}

int vsvm_job_status_sized(int fd, uint32_t job_id, uint64_t timeout_ns,
			  struct vsvm_job_status *out, size_t size)
{
	struct drm_vsvm_job_status s = {
		.job_id = job_id,
		.flags = timeout_ns ? DRM_VSVM_JOB_STATUS_WAIT : 0,
		.deadline_ns = timeout_ns ? deadline_after(timeout_ns) : 0,
	};
	struct vsvm_job_status st;
	int ret = vsvm_ioctl(fd, DRM_IOCTL_VSVM_JOB_STATUS, &s);

	if (ret)
		return ret;
	st = (struct vsvm_job_status) {
		.job_id = job_id, .state = s.state, .fault_reason = s.fault_reason,
		.fault_addr = s.fault_addr, .fault_access = s.fault_access,
		.fault_lane = s.fault_lane, .fault_pc = s.fault_pc,
		.instructions = s.instructions, .faults = s.faults,
	};
	VSVM_STRUCT_OUT(out, &st, size);
	return 0;
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
	uint64_t abs_ns = deadline_after(timeout_ns);
	int ret;

	if (all)
		flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
	/* libdrm's prototype is not const-correct; it only reads handles. */
	ret = drmSyncobjWait(fd, (uint32_t *)(uintptr_t)handles, count,
			     (int64_t)abs_ns, flags, NULL);
	return ret < 0 ? ret : 0;
}

int vsvm_syncobj_wait_point(int fd, uint32_t handle, uint64_t point,
			    uint64_t timeout_ns)
{
	int ret = drmSyncobjTimelineWait(fd, &handle, &point, 1,
					 (int64_t)deadline_after(timeout_ns),
					 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL);

	return ret < 0 ? ret : 0;
}

int vsvm_syncobj_point(int fd, uint32_t handle, uint64_t *point)
{
	uint64_t p;
	int ret = drmSyncobjQuery(fd, &handle, &p, 1);

	if (ret < 0)
		return ret;
	*point = p;
	return 0;
}

int vsvm_run_sized(int fd, uint32_t vm_id, const struct vsvm_prog *prog,
		   uint32_t invocations, const uint64_t *args,
		   struct vsvm_job_status *status, size_t status_size)
{
	struct vsvm_exec_args a = {
		.vm_id = vm_id,
		.program = prog->insns,
		.program_size = prog->count,
		.invocations = invocations,
	};
	struct vsvm_job_status st;
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
		VSVM_STRUCT_OUT(status, &st, status_size);
	if (st.state == DRM_VSVM_JOB_QUEUED)
		ret = -ETIME;
	else if (st.state != DRM_VSVM_JOB_DONE)
		ret = -EIO;
out_sync:
	vsvm_syncobj_destroy(fd, sync);
	return ret;
}
