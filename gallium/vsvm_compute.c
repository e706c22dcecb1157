// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm_compute.c - compute states and launches.
 *
 * create_compute_state receives one kernel as PIPE_SHADER_IR_NIR_SERIALIZED:
 * a pipe_binary_program_header {num_bytes} and a nir_serialize() blob of
 * that many bytes. With VSVM_DUMP_NIR=<dir> in the environment each blob is
 * also written to <dir>/<n>.nir (n counts from 0 in each process), which is
 * how compiler/tests/corpus/ was captured. The blob goes to the compiler
 * library (compiler/vsvm_cc.h) when the driver is built with it; without
 * it, creating the state fails with a message and clover reports
 * CL_OUT_OF_RESOURCES for the launch.
 *
 * launch_grid follows the launch ABI of vsvm_cc.h: one EXEC of
 * block * grid lanes (lane = work-item, consecutive lanes form a
 * work-group), r0 = a private copy of clover's argument buffer, r1 =
 * work_dim, r2..r4 = block, r5..r7 = grid, and it waits for the job.
 * Code built for ISA v2 runs as a flat job (private memory: a block at
 * r11). Code that needs ISA v3 (barriers, __local memory, private memory
 * in the scratch window) runs as a work-group job (uAPI 1.2):
 * group_size = block, group_count = grid, local_mem_size = the kernel's
 * static __local bytes + clover's req_local_mem (its __local arguments),
 * scratch_size = the kernel's private bytes per lane. The global offset
 * stays zero in the EXEC: clover passes it in the argument buffer, which
 * is where its kernels read it (and the code never reads SR GLOBAL_ID).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vsvm.h"
#include "vsvm_pipe.h"
#ifdef VSVM_PIPE_HAVE_CC
#include "vsvm_cc.h"
#endif

/**
 * struct vsvm_compute_state - one kernel
 * @code: vsvm instructions (NULL when it could not be compiled).
 * @code_len: number of instructions.
 * @input_size: bytes of clover's argument buffer (req_input_mem).
 * @local_size: __local bytes per work-group (kernel + arguments).
 * @scratch_size: private bytes per lane (ISA v2: a block at r11; ISA v3:
 *	the EXEC scratch window).
 * @isa_version: ISA the code needs: 2 (flat job) or 3 (work-group job).
 * @name: kernel name for messages.
 */
struct vsvm_compute_state {
	uint64_t *code;
	uint32_t code_len;
	uint32_t isa_version;
	uint32_t input_size;
	uint32_t local_size;
	uint32_t scratch_size;
	char name[64];
};

static unsigned int vsvm_dump_count;

static void vsvm_dump_nir(const void *blob, size_t size)
{
	const char *dir = getenv("VSVM_DUMP_NIR");
	unsigned int n;
	char path[4096];
	FILE *f;

	if (!dir || !*dir)
		return;
	n = __atomic_fetch_add(&vsvm_dump_count, 1, __ATOMIC_RELAXED);
	snprintf(path, sizeof(path), "%s/%u.nir", dir, n);
	f = fopen(path, "wb");
	if (!f || fwrite(blob, 1, size, f) != size)
		vsvm_pipe_log("VSVM_DUMP_NIR: cannot write %s: %s", path,
			      strerror(errno));
	if (f)
		fclose(f);
}

/* a device limit as a bound (0 = the device did not say: no bound) */
static inline uint64_t vs_max(uint64_t limit)
{
	return limit ? limit : UINT64_MAX;
}

static void *vsvm_create_compute_state(struct pipe_context *pctx,
				       const struct pipe_compute_state *templ)
{
	struct vsvm_context *ctx = vsvm_context(pctx);
	const struct pipe_binary_program_header *hdr = templ->prog;
	struct vsvm_compute_state *cs;

	if (templ->ir_type != PIPE_SHADER_IR_NIR_SERIALIZED || !hdr) {
		vsvm_pipe_log("compute state: IR %u is not serialized NIR",
			      templ->ir_type);
		return NULL;
	}
	vsvm_dump_nir(hdr + 1, hdr->num_bytes);

	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return NULL;
	cs->input_size = templ->req_input_mem;
	cs->local_size = templ->req_local_mem;
#ifdef VSVM_PIPE_HAVE_CC
	{
		struct vsvm_cc_kernel k;
		char err[256];
		int ret;

		ret = vsvm_cc_compile(hdr + 1, hdr->num_bytes,
				      ctx->screen->isa_version, &k, err,
				      sizeof(err));
		if (ret) {
			vsvm_pipe_log("cannot compile the kernel: %s", err);
			free(cs);
			return NULL;
		}
		cs->code = k.code;	/* taken over: freed with the state */
		cs->code_len = k.code_len;
		cs->local_size += k.local_size;
		cs->scratch_size = k.scratch_size;
		cs->isa_version = k.isa_version;
		snprintf(cs->name, sizeof(cs->name), "%s", k.name);
		k.code = NULL;
		vsvm_cc_kernel_fini(&k);
		if (cs->isa_version > 2 && cs->isa_version > ctx->screen->isa_version) {
			vsvm_pipe_log("%s: the code needs ISA v%u, the device has v%u",
				      cs->name, cs->isa_version,
				      ctx->screen->isa_version);
			free(cs->code);
			free(cs);
			return NULL;
		}
		if (cs->isa_version > 2 &&
		    (cs->local_size > vs_max(ctx->screen->max_local_mem) ||
		     cs->scratch_size > vs_max(ctx->screen->max_scratch))) {
			vsvm_pipe_log("%s: %u bytes of local memory / %u bytes of private memory per work-item: the device has %llu / %llu",
				      cs->name, cs->local_size, cs->scratch_size,
				      (unsigned long long)ctx->screen->max_local_mem,
				      (unsigned long long)ctx->screen->max_scratch);
			free(cs->code);
			free(cs);
			return NULL;
		}
	}
#else
	(void)ctx;
	vsvm_pipe_log("this pipe_vsvm.so was built without the compiler "
		      "(compiler/): kernels cannot run");
	free(cs);
	return NULL;
#endif
	return cs;
}

static void vsvm_bind_compute_state(struct pipe_context *pctx, void *state)
{
	vsvm_context(pctx)->cs = state;
}

static void vsvm_delete_compute_state(struct pipe_context *pctx, void *state)
{
	struct vsvm_compute_state *cs = state;
	struct vsvm_context *ctx = vsvm_context(pctx);

	if (ctx->cs == cs)
		ctx->cs = NULL;
	if (cs)
		free(cs->code);
	free(cs);
}

/*
 * Clover writes a buffer argument as the offset into the buffer (a 64-bit
 * slot, address bits being 64) and asks the driver to turn it into the
 * buffer's GPU address, in place.
 */
static void vsvm_set_global_binding(struct pipe_context *pctx,
				    unsigned int first, unsigned int count,
				    struct pipe_resource **resources,
				    uint32_t **handles)
{
	unsigned int i;
	uint64_t offset, va;

	(void)pctx;
	(void)first;
	if (!resources || !handles)
		return;		/* unbind: nothing is kept */
	for (i = 0; i < count; i++) {
		if (!resources[i] || !handles[i])
			continue;
		memcpy(&offset, handles[i], sizeof(offset));
		va = vsvm_va(vsvm_resource(resources[i])->data) + offset;
		memcpy(handles[i], &va, sizeof(va));
	}
}

static void vsvm_job_report(struct vsvm_screen *vs,
			    struct vsvm_compute_state *cs,
			    const struct vsvm_job_status *st, int ret)
{
	uint64_t ms;

	if (ret == -EIO && st->state == DRM_VSVM_JOB_TIMEOUT &&
	    !vsvm_get_param(vs->fd, DRM_VSVM_PARAM_JOB_TIMEOUT_MS, &ms))
		/* the usual cause: one launch does more than the device allows */
		vsvm_pipe_log("kernel %s: job killed by the device's job timeout (%llu ms, module parameter vsvm.job_timeout_ms)",
			      cs->name, (unsigned long long)ms);
	else if (ret == -EIO)
		vsvm_pipe_log("kernel %s: job %s, fault %s at %#llx (lane %u, pc %u)",
			      cs->name, vsvm_job_state_str(st->state),
			      vsvm_fault_reason_str(st->fault_reason),
			      (unsigned long long)st->fault_addr, st->fault_lane,
			      st->fault_pc);
	else
		vsvm_pipe_log("kernel %s: %s", cs->name, vsvm_strerror(ret));
}

static void vsvm_launch_grid(struct pipe_context *pctx,
			     const struct pipe_grid_info *info)
{
	struct vsvm_context *ctx = vsvm_context(pctx);
	struct vsvm_screen *vs = ctx->screen;
	struct vsvm_compute_state *cs = ctx->cs;
	struct vsvm_job_status st = { 0 };
	struct vsvm_exec_args a;
	uint64_t lanes = 1, group, input_alloc;
	uint32_t job;
	void *input, *scratch = NULL;
	unsigned int i;
	int ret;

	if (!cs || !cs->code) {
		vsvm_pipe_log("launch_grid without a compiled kernel");
		ctx->failed = true;
		return;
	}
	if (info->indirect) {
		vsvm_pipe_log("indirect launches are not supported");
		ctx->failed = true;
		return;
	}
	for (i = 0; i < 3; i++)
		lanes *= (uint64_t)info->block[i] * info->grid[i];
	if (!lanes)
		return;
	if (lanes > vs->max_invocations) {
		vsvm_pipe_log("kernel %s: %llu work-items, the device runs at most %llu per launch",
			      cs->name, (unsigned long long)lanes,
			      (unsigned long long)vs->max_invocations);
		ctx->failed = true;
		return;
	}

	group = (uint64_t)info->block[0] * info->block[1] * info->block[2];
	if (cs->isa_version > 2 &&
	    (group > vs_max(vs->max_group_lanes) ||
	     group * cs->scratch_size > vs_max(vs->max_scratch_group))) {
		vsvm_pipe_log("kernel %s: work-groups of %llu work-items (x %u private bytes), the device runs at most %llu (%llu bytes)",
			      cs->name, (unsigned long long)group,
			      cs->scratch_size,
			      (unsigned long long)vs->max_group_lanes,
			      (unsigned long long)vs->max_scratch_group);
		ctx->failed = true;
		return;
	}
	if (cs->isa_version <= 2 && cs->scratch_size &&
	    lanes > SIZE_MAX / cs->scratch_size) {
		ctx->failed = true;
		return;
	}
	if (cs->isa_version <= 2 && cs->scratch_size) {
		/* ISA v2 private memory: one block per lane at r11 */
		scratch = aligned_alloc(64, (lanes * cs->scratch_size + 63) & ~63ull);
		if (!scratch) {
			vsvm_pipe_log("kernel %s: no memory for %llu bytes of private memory",
				      cs->name,
				      (unsigned long long)(lanes * cs->scratch_size));
			ctx->failed = true;
			return;
		}
	}

	/* clover reuses its argument buffer: the job reads a copy */
	input_alloc = ((cs->input_size ? cs->input_size : 8) + 63) & ~63ull;
	input = aligned_alloc(64, input_alloc);
	if (!input) {
		free(scratch);
		ctx->failed = true;
		return;
	}
	memset(input, 0, input_alloc);
	if (cs->input_size && info->input)
		memcpy(input, info->input, cs->input_size);

	memset(&a, 0, sizeof(a));
	a.vm_id = vs->vm_id;
	a.engine = 0;
	a.program = cs->code;
	a.program_size = cs->code_len;
	a.args[0] = vsvm_va(input);
	a.args[1] = info->work_dim;
	for (i = 0; i < 3; i++) {
		a.args[2 + i] = info->block[i];
		a.args[5 + i] = info->grid[i];
	}
	if (cs->isa_version > 2) {
		/* work-group job: LANE_ID counts as in the flat job */
		for (i = 0; i < 3; i++) {
			a.group_size[i] = info->block[i];
			a.group_count[i] = info->grid[i];
		}
		a.local_mem_size = cs->local_size;
		a.scratch_size = (cs->scratch_size + 7) & ~7u;
	} else {
		a.invocations = (uint32_t)lanes;
	}
	/* r8..r10: the global offset, which clover passes in the input */
	a.args[11] = scratch ? vsvm_va(scratch) : 0;
	ret = vsvm_exec(vs->fd, &a, &job);
	if (!ret) {
		ret = vsvm_job_status(vs->fd, job, VSVM_PIPE_JOB_TIMEOUT_NS, &st);
		if (!ret && st.state != DRM_VSVM_JOB_DONE)
			ret = -EIO;
	}
	if (ret) {
		vsvm_job_report(vs, cs, &st, ret);
		ctx->failed = true;
	}
	free(input);
	free(scratch);
}

void vsvm_compute_context_init(struct vsvm_context *ctx)
{
	ctx->base.create_compute_state = vsvm_create_compute_state;
	ctx->base.bind_compute_state = vsvm_bind_compute_state;
	ctx->base.delete_compute_state = vsvm_delete_compute_state;
	ctx->base.set_global_binding = vsvm_set_global_binding;
	ctx->base.launch_grid = vsvm_launch_grid;
}
