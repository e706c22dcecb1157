/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_HW_H__
#define __VSVM_HW_H__

#include <linux/bits.h>
#include <linux/types.h>

struct vsvm_engine;
struct vsvm_job;

/* Invocations an engine runs interleaved (DRM_VSVM_PARAM_WAVE_SIZE). */
#define VSVM_WAVE_SIZE		32
/* Instructions a lane runs per slice before the engine drops its lock. */
#define VSVM_SLICE_STEPS	256
#define VSVM_TLB_ENTRIES	64
#define VSVM_DEFAULT_BUDGET	BIT_ULL(32)

struct vsvm_exec_ctx *vsvm_hw_ctx_alloc(const struct vsvm_job *job);
void vsvm_hw_ctx_free(struct vsvm_exec_ctx *ctx);
struct dma_fence *vsvm_hw_fence_create(struct vsvm_engine *eng);
void vsvm_hw_engine_init(struct vsvm_engine *eng);
void vsvm_hw_run(struct vsvm_job *job);

#endif /* __VSVM_HW_H__ */
