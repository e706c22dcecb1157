// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm_context.c - the context: creation, the state setters clover calls
 * with nothing to set (no images, samplers or surfaces), flush, barriers,
 * timestamp queries and SVM migration.
 */
#include <stdlib.h>
#include <string.h>

#include "vsvm.h"
#include "vsvm_pipe.h"

static void vsvm_context_destroy(struct pipe_context *pctx)
{
	free(vsvm_context(pctx));
}

static void vsvm_flush(struct pipe_context *pctx,
		       struct pipe_fence_handle **fence, unsigned int flags)
{
	struct vsvm_context *ctx = vsvm_context(pctx);
	struct pipe_fence_handle *f;

	(void)flags;
	if (!fence)
		return;
	f = vsvm_fence_create(ctx->failed);
	ctx->failed = false;
	pctx->screen->fence_reference(pctx->screen, fence, NULL);
	*fence = f;
}

static void vsvm_memory_barrier(struct pipe_context *pctx, unsigned int flags)
{
	(void)pctx;
	(void)flags;	/* jobs are finished and memory is coherent */
}

/* ---- timestamp queries ---------------------------------------------------- */

static struct pipe_query *vsvm_create_query(struct pipe_context *pctx,
					    unsigned int type, unsigned int index)
{
	struct vsvm_query *q;

	(void)pctx;
	(void)index;
	if (type != PIPE_QUERY_TIMESTAMP)
		return NULL;
	q = calloc(1, sizeof(*q));
	if (q)
		q->type = type;
	return (struct pipe_query *)q;
}

static void vsvm_destroy_query(struct pipe_context *pctx, struct pipe_query *q)
{
	(void)pctx;
	free(q);
}

static bool vsvm_begin_query(struct pipe_context *pctx, struct pipe_query *q)
{
	(void)pctx;
	(void)q;
	return true;	/* a timestamp has no begin */
}

static bool vsvm_end_query(struct pipe_context *pctx, struct pipe_query *pq)
{
	struct vsvm_query *q = (struct vsvm_query *)pq;

	(void)pctx;
	/* all work queued so far has completed: now is when it was done */
	q->ns = vsvm_pipe_now_ns();
	return true;
}

static bool vsvm_get_query_result(struct pipe_context *pctx,
				  struct pipe_query *pq, bool wait,
				  union pipe_query_result *result)
{
	struct vsvm_query *q = (struct vsvm_query *)pq;

	(void)pctx;
	(void)wait;
	memset(result, 0, sizeof(*result));
	result->u64 = q->ns;
	return true;
}

static uint64_t vsvm_ctx_get_timestamp(struct pipe_context *pctx)
{
	(void)pctx;
	return vsvm_pipe_now_ns();
}

/* ---- state clover sets even without images or samplers --------------------- */

static void *vsvm_create_sampler_state(struct pipe_context *pctx,
				       const struct pipe_sampler_state *templ)
{
	(void)pctx;
	(void)templ;
	return NULL;	/* no samplers: device reports no image support */
}

static void vsvm_bind_sampler_states(struct pipe_context *pctx, int shader,
				     unsigned int start, unsigned int count,
				     void **samplers)
{
	(void)pctx;
	(void)shader;
	(void)start;
	(void)count;
	(void)samplers;
}

static void vsvm_delete_sampler_state(struct pipe_context *pctx, void *state)
{
	(void)pctx;
	(void)state;
}

static void vsvm_set_sampler_views(struct pipe_context *pctx, int shader,
				   unsigned int start, unsigned int count,
				   unsigned int unbind_trailing,
				   bool take_ownership,
				   struct pipe_sampler_view **views)
{
	(void)pctx;
	(void)shader;
	(void)start;
	(void)count;
	(void)unbind_trailing;
	(void)take_ownership;
	(void)views;
}

static void vsvm_set_shader_images(struct pipe_context *pctx, int shader,
				   unsigned int start, unsigned int count,
				   unsigned int unbind_trailing,
				   const struct pipe_image_view *images)
{
	(void)pctx;
	(void)shader;
	(void)start;
	(void)count;
	(void)unbind_trailing;
	(void)images;
}

static struct pipe_surface *vsvm_create_surface(struct pipe_context *pctx,
						struct pipe_resource *res,
						const struct pipe_surface *templ)
{
	(void)pctx;
	(void)res;
	(void)templ;
	return NULL;
}

static void vsvm_surface_destroy(struct pipe_context *pctx,
				 struct pipe_surface *surf)
{
	(void)pctx;
	(void)surf;
}

static void vsvm_set_compute_resources(struct pipe_context *pctx,
				       unsigned int start, unsigned int count,
				       struct pipe_surface **surfaces)
{
	(void)pctx;
	(void)start;
	(void)count;
	(void)surfaces;	/* __constant buffers arrive as global bindings */
}

/* ---- SVM migration ---------------------------------------------------------- */

/*
 * clEnqueueSVMMigrateMem: prefetch each range into this device's VRAM
 * (to_device) or back to system memory, like nouveau's SVM_BIND migrate.
 * Best effort: pages that cannot move stay where they are and remain
 * correct to access from either side, so the result is only logged.
 */
static void vsvm_svm_migrate(struct pipe_context *pctx, unsigned int num_ptrs,
			     const void *const *ptrs, const size_t *sizes,
			     bool to_device, bool content_undefined)
{
	struct vsvm_screen *vs = vsvm_context(pctx)->screen;
	uint64_t page = vsvm_page_size(), start, end, failed;
	uint32_t location;
	unsigned int i;
	int ret;

	(void)content_undefined;
	if (to_device && !vs->vram_size)
		return;
	location = to_device ? DRM_VSVM_LOCATION_DEVICE(vs->device_index) :
			       DRM_VSVM_LOCATION_SYSTEM;
	for (i = 0; i < num_ptrs; i++) {
		if (!ptrs[i] || !sizes[i])
			continue;
		start = vsvm_va(ptrs[i]) & ~(page - 1);
		end = (vsvm_va(ptrs[i]) + sizes[i] + page - 1) & ~(page - 1);
		failed = 0;
		ret = vsvm_prefetch_to(vs->fd, vs->vm_id, start, end - start, 0,
				       location, NULL, NULL, &failed);
		if (ret)
			vsvm_pipe_log("svm_migrate of %#llx+%#llx failed: %s",
				      (unsigned long long)start,
				      (unsigned long long)(end - start),
				      vsvm_strerror(ret));
	}
}

struct pipe_context *vsvm_context_create(struct pipe_screen *screen, void *priv,
					 unsigned int flags)
{
	struct vsvm_context *ctx = calloc(1, sizeof(*ctx));

	(void)flags;
	if (!ctx)
		return NULL;
	ctx->screen = vsvm_screen(screen);
	ctx->base.screen = screen;
	ctx->base.priv = priv;
	ctx->base.destroy = vsvm_context_destroy;
	ctx->base.flush = vsvm_flush;
	ctx->base.memory_barrier = vsvm_memory_barrier;
	ctx->base.create_query = vsvm_create_query;
	ctx->base.destroy_query = vsvm_destroy_query;
	ctx->base.begin_query = vsvm_begin_query;
	ctx->base.end_query = vsvm_end_query;
	ctx->base.get_query_result = vsvm_get_query_result;
	ctx->base.get_timestamp = vsvm_ctx_get_timestamp;
	ctx->base.create_sampler_state = vsvm_create_sampler_state;
	ctx->base.bind_sampler_states = vsvm_bind_sampler_states;
	ctx->base.delete_sampler_state = vsvm_delete_sampler_state;
	ctx->base.set_sampler_views = vsvm_set_sampler_views;
	ctx->base.set_shader_images = vsvm_set_shader_images;
	ctx->base.create_surface = vsvm_create_surface;
	ctx->base.surface_destroy = vsvm_surface_destroy;
	ctx->base.set_compute_resources = vsvm_set_compute_resources;
	ctx->base.svm_migrate = vsvm_svm_migrate;
	vsvm_resource_context_init(ctx);
	vsvm_compute_context_init(ctx);
	return &ctx->base;
}
