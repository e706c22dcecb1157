// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm_resource.c - buffers. A buffer is page-aligned process memory inside
 * the screen's mirror, so its GPU address is its CPU address; a user-memory
 * buffer (CL_MEM_USE_HOST_PTR) is the application's pointer itself.
 * Mapping returns the pointer; since every launch has finished when
 * launch_grid returns, no map, copy or clear has to wait for the GPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vsvm.h"
#include "vsvm_pipe.h"

static bool vsvm_templ_ok(const struct pipe_resource *templ)
{
	if (templ->target != PIPE_BUFFER) {
		vsvm_pipe_log("only buffers are supported (target %u)",
			      templ->target);
		return false;
	}
	return true;
}

static void vsvm_resource_init(struct vsvm_resource *r,
			       struct pipe_screen *screen,
			       const struct pipe_resource *templ)
{
	r->base = *templ;
	r->base.reference = 1;
	r->base.next = NULL;
	r->base.screen = screen;
	r->size = templ->width0;
}

static struct pipe_resource *vsvm_resource_create(struct pipe_screen *screen,
						  const struct pipe_resource *templ)
{
	struct vsvm_resource *r;
	size_t page = vsvm_page_size();
	void *p;

	if (!vsvm_templ_ok(templ))
		return NULL;
	r = aligned_alloc(64, sizeof(*r));
	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	vsvm_resource_init(r, screen, templ);
	r->map_size = ((templ->width0 ? templ->width0 : 1) + page - 1) & ~(page - 1);
	p = mmap(NULL, r->map_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		free(r);
		return NULL;
	}
	r->data = p;
	return &r->base;
}

static struct pipe_resource *
vsvm_resource_from_user_memory(struct pipe_screen *screen,
			       const struct pipe_resource *templ, void *ptr)
{
	struct vsvm_resource *r;

	if (!vsvm_templ_ok(templ) || !ptr)
		return NULL;
	r = aligned_alloc(64, sizeof(*r));
	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	vsvm_resource_init(r, screen, templ);
	r->data = ptr;		/* mirrored: the same pointer on the GPU */
	return &r->base;
}

static void vsvm_resource_destroy(struct pipe_screen *screen,
				  struct pipe_resource *res)
{
	struct vsvm_resource *r = vsvm_resource(res);

	(void)screen;
	if (r->map_size)
		munmap(r->data, r->map_size);
	free(r);
}

void vsvm_resource_screen_init(struct vsvm_screen *vs)
{
	vs->base.resource_create = vsvm_resource_create;
	vs->base.resource_from_user_memory = vsvm_resource_from_user_memory;
	vs->base.resource_destroy = vsvm_resource_destroy;
}

static bool vsvm_box_ok(const struct vsvm_resource *r, int64_t x, int64_t w)
{
	return x >= 0 && w >= 0 && (uint64_t)(x + w) <= r->size;
}

static void *vsvm_buffer_map(struct pipe_context *ctx, struct pipe_resource *res,
			     unsigned int level, unsigned int usage,
			     const struct pipe_box *box,
			     struct pipe_transfer **out)
{
	struct vsvm_resource *r = vsvm_resource(res);
	struct vsvm_transfer *t;

	(void)ctx;
	if (level || !vsvm_box_ok(r, box->x, box->width))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->base.resource = res;
	t->base.usage_level = usage & 0xffffff;
	t->base.box = *box;
	t->base.stride = r->size;
	t->base.layer_stride = r->size;
	*out = &t->base;
	return (char *)r->data + box->x;
}

static void vsvm_transfer_flush_region(struct pipe_context *ctx,
				       struct pipe_transfer *xfer,
				       const struct pipe_box *box)
{
	(void)ctx;
	(void)xfer;
	(void)box;	/* coherent: nothing to flush */
}

static void vsvm_buffer_unmap(struct pipe_context *ctx,
			      struct pipe_transfer *xfer)
{
	(void)ctx;
	free(xfer);	/* the frontend holds a reference across the mapping */
}

static void vsvm_buffer_subdata(struct pipe_context *ctx,
				struct pipe_resource *res, unsigned int usage,
				unsigned int offset, unsigned int size,
				const void *data)
{
	struct vsvm_resource *r = vsvm_resource(res);

	(void)ctx;
	(void)usage;
	if (!vsvm_box_ok(r, offset, size)) {
		vsvm_pipe_log("buffer_subdata out of bounds");
		return;
	}
	memcpy((char *)r->data + offset, data, size);
}

static void vsvm_resource_copy_region(struct pipe_context *ctx,
				      struct pipe_resource *dst,
				      unsigned int dst_level, unsigned int dstx,
				      unsigned int dsty, unsigned int dstz,
				      struct pipe_resource *src,
				      unsigned int src_level,
				      const struct pipe_box *box)
{
	struct vsvm_resource *d = vsvm_resource(dst), *s = vsvm_resource(src);

	(void)ctx;
	if (dst_level || src_level || dsty || dstz ||
	    !vsvm_box_ok(d, dstx, box->width) ||
	    !vsvm_box_ok(s, box->x, box->width)) {
		vsvm_pipe_log("resource_copy_region: not a buffer range");
		return;
	}
	memmove((char *)d->data + dstx, (char *)s->data + box->x, box->width);
}

static void vsvm_clear_buffer(struct pipe_context *ctx,
			      struct pipe_resource *res, unsigned int offset,
			      unsigned int size, const void *value,
			      int value_size)
{
	struct vsvm_resource *r = vsvm_resource(res);
	char *p = (char *)r->data + offset;
	unsigned int i;

	(void)ctx;
	if (value_size <= 0 || !vsvm_box_ok(r, offset, size) ||
	    size % (unsigned int)value_size) {
		vsvm_pipe_log("clear_buffer: bad range or pattern");
		return;
	}
	for (i = 0; i < size; i += (unsigned int)value_size)
		memcpy(p + i, value, (size_t)value_size);
}

void vsvm_resource_context_init(struct vsvm_context *ctx)
{
	ctx->base.buffer_map = vsvm_buffer_map;
	ctx->base.transfer_flush_region = vsvm_transfer_flush_region;
	ctx->base.buffer_unmap = vsvm_buffer_unmap;
	ctx->base.buffer_subdata = vsvm_buffer_subdata;
	ctx->base.resource_copy_region = vsvm_resource_copy_region;
	ctx->base.clear_buffer = vsvm_clear_buffer;
}
