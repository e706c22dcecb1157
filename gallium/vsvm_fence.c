// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm_fence.c - fences. Every launch has finished when launch_grid
 * returns (see vsvm_pipe.h), so a fence is born signalled; it only carries
 * whether a job before it failed (a fault, a timeout, a launch the driver
 * refused), which fence_finish reports to a waiter.
 */
#include <stdlib.h>

#include "vsvm_pipe.h"

struct pipe_fence_handle *vsvm_fence_create(bool failed)
{
	struct vsvm_fence *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->refcount = 1;
	f->failed = failed;
	return (struct pipe_fence_handle *)f;
}

static void vsvm_fence_reference(struct pipe_screen *screen,
				 struct pipe_fence_handle **dst,
				 struct pipe_fence_handle *src)
{
	struct vsvm_fence *old = (struct vsvm_fence *)*dst;
	struct vsvm_fence *new = (struct vsvm_fence *)src;

	(void)screen;
	if (new)
		__atomic_add_fetch(&new->refcount, 1, __ATOMIC_RELAXED);
	if (old && __atomic_sub_fetch(&old->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		free(old);
	*dst = src;
}

/*
 * A failed fence is reported as "not signalled" to a wait and as
 * signalled to a poll. Clover 22.3 calls fence_finish in two places: with
 * PIPE_TIMEOUT_INFINITE when it waits for an event (clFinish,
 * clWaitForEvents, a blocking read or map), where false makes it fail the
 * wait with CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST; and with timeout
 * 0 when it polls an event's status, where false would mean CL_SUBMITTED
 * for ever and an application polling for completion would spin. The job
 * did end, so the poll says so; the wait carries the error.
 */
static bool vsvm_fence_finish(struct pipe_screen *screen,
			      struct pipe_context *ctx,
			      struct pipe_fence_handle *fence, uint64_t timeout_ns)
{
	struct vsvm_fence *f = (struct vsvm_fence *)fence;

	(void)screen;
	(void)ctx;
	return !f || !f->failed || timeout_ns == 0;
}

void vsvm_fence_screen_init(struct vsvm_screen *vs)
{
	vs->base.fence_reference = vsvm_fence_reference;
	vs->base.fence_finish = vsvm_fence_finish;
}
