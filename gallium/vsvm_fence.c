// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm_fence.c - fences. Every launch has finished when launch_grid
 * returns (see vsvm_pipe.h), so a fence is born signalled; it only carries
 * whether a job before it failed, which fence_finish reports.
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

static bool vsvm_fence_finish(struct pipe_screen *screen,
			      struct pipe_context *ctx,
			      struct pipe_fence_handle *fence, uint64_t timeout_ns)
{
	struct vsvm_fence *f = (struct vsvm_fence *)fence;

	(void)screen;
	(void)ctx;
	(void)timeout_ns;
	/*
	 * Signalled. A failed job is reported by the log line written when it
	 * ended; clover has no error path from a fence, and returning false
	 * would only make it wait forever.
	 */
	(void)f;
	return true;
}

void vsvm_fence_screen_init(struct vsvm_screen *vs)
{
	vs->base.fence_reference = vsvm_fence_reference;
	vs->base.fence_finish = vsvm_fence_finish;
}
