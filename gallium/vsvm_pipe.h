/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm_pipe.h - internal objects of pipe_vsvm.so, the gallium driver that
 * Mesa 22.3's OpenCL frontend (clover) loads for vsvm render nodes.
 *
 * Memory model. A vsvm VM mirrors its process: inside a mirrored range the
 * GPU address of a byte is its CPU address (HMM keeps the device page table
 * coherent, pages migrate to VRAM on demand). The screen creates one VM and
 * mirrors the whole user address space once, so:
 *
 * - every buffer is ordinary page-aligned process memory (mmap), and its
 *   GPU address is its CPU pointer; a "user memory" resource is the user's
 *   pointer itself, with nothing copied (CL_MEM_USE_HOST_PTR);
 * - any pointer the application owns, from malloc or the stack, is valid
 *   in a kernel: this is OpenCL's fine-grained *system* SVM, which clover
 *   exposes when the driver reports PIPE_CAP_SYSTEM_SVM and user memory;
 * - mapping a buffer returns the pointer itself (after waiting for the
 *   GPU), copies and clears are memcpy/memset.
 *
 * The unmanaged GEM window of the uAPI is not used (nothing here needs
 * driver-managed GPU addresses).
 *
 * Execution. launch_grid submits one DRM_IOCTL_VSVM_EXEC and waits for it
 * (a flat job for ISA v2 code; a work-group job of grid[] groups of
 * block[] lanes, with local and scratch memory, for ISA v3 code;
 * DRM_VSVM_JOB_STATUS_WAIT): jobs of a context run in order and finish
 * before launch_grid returns, so fences are always signalled and a
 * timestamp query taken after a launch is the CPU clock after that job
 * ended. This gives no CPU/GPU overlap; it keeps every synchronisation rule
 * of clover trivially true.
 *
 * Errors. A job that does not end DONE (a fault on an unmapped address, a
 * timeout, a kill) or a launch the driver refuses is logged on stderr (the
 * fault address, lane and pc) and marks the context; the next flush hands
 * clover a fence that carries the failure, and a wait on it (clFinish,
 * clWaitForEvents, a blocking read or map) returns
 * CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST to the application
 * (vsvm_fence.c). Clover 22.3 never asks for get_device_reset_status.
 */
#ifndef VSVM_PIPE_H
#define VSVM_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef VSVM_IN_MESA_TREE
/*
 * Built inside a Mesa tree (mesa-patches/, scripts/gen-mesa-patches.sh):
 * Mesa's own headers replace our declarations of its ABI, and the screen's
 * descriptor is not the exported symbol (target-helpers/drm_helper.h
 * defines driver_descriptor there); the winsys calls it instead.
 */
#include "frontend/drm_driver.h"
#include "pipe/p_context.h"
#include "pipe/p_defines.h"
#include "pipe/p_screen.h"
#include "pipe/p_state.h"
#include "compiler/nir/nir.h"
#define driver_descriptor vsvm_screen_descriptor
extern const struct drm_driver_descriptor vsvm_screen_descriptor;
#else
#include "vsvm_gallium_abi.h"
#endif

/** VSVM_PIPE_MAX_BLOCK - largest work-group (threads per block) reported */
#define VSVM_PIPE_MAX_BLOCK		256
/** VSVM_PIPE_MAX_LOCAL - __local bytes per work-group reported */
#define VSVM_PIPE_MAX_LOCAL		32768
/** VSVM_PIPE_MAX_INPUT - bytes of kernel arguments reported */
#define VSVM_PIPE_MAX_INPUT		4096
/** VSVM_PIPE_MAX_PRIVATE - private bytes per work-item reported */
#define VSVM_PIPE_MAX_PRIVATE		65536
/** VSVM_PIPE_JOB_TIMEOUT_NS - longest wait for one launch */
#define VSVM_PIPE_JOB_TIMEOUT_NS	(120ull * 1000 * 1000 * 1000)

/**
 * struct vsvm_screen - one vsvm render node
 * @base: the gallium screen (first member).
 * @fd: our own duplicate of the node's file descriptor.
 * @vm_id: the VM all contexts of the screen share.
 * @mirror_start: start of the mirrored range (the user address space).
 * @mirror_size: its size.
 * @isa_version: DRM_VSVM_PARAM_ISA_VERSION.
 * @device_index: DRM_VSVM_PARAM_DEVICE_INDEX (the VRAM location index).
 * @num_engines: DRM_VSVM_PARAM_NUM_ENGINES.
 * @max_invocations: DRM_VSVM_PARAM_MAX_INVOCATIONS.
 * @max_program: DRM_VSVM_PARAM_MAX_PROGRAM_SIZE (instructions).
 * @vram_size: DRM_VSVM_PARAM_VRAM_SIZE.
 * @max_group_lanes: DRM_VSVM_PARAM_MAX_GROUP_LANES (ISA v3), else 0.
 * @max_local_mem: DRM_VSVM_PARAM_MAX_LOCAL_MEM (ISA v3), else 0.
 * @max_scratch: DRM_VSVM_PARAM_MAX_SCRATCH (ISA v3), else 0.
 * @max_scratch_group: DRM_VSVM_PARAM_MAX_SCRATCH_GROUP (ISA v3), else 0.
 * @ram_size: bytes of system RAM (the global memory size reported).
 * @name: device name reported to the frontend.
 */
struct vsvm_screen {
	struct pipe_screen base;
	int fd;
	uint32_t vm_id;
	uint64_t mirror_start;
	uint64_t mirror_size;
	uint32_t isa_version;
	uint32_t device_index;
	uint32_t num_engines;
	uint64_t max_invocations;
	uint64_t max_program;
	uint64_t vram_size;
	uint64_t max_group_lanes;
	uint64_t max_local_mem;
	uint64_t max_scratch;
	uint64_t max_scratch_group;
	uint64_t ram_size;
	char name[64];
};

/**
 * struct vsvm_resource - a buffer: process memory, GPU address == pointer
 * @base: the gallium resource (first member).
 * @data: the memory.
 * @size: bytes usable at @data (width0).
 * @map_size: bytes we mmap()ed (0 for user memory, which we do not own).
 */
struct vsvm_resource {
	struct pipe_resource base;
	void *data;
	size_t size;
	size_t map_size;
};

/** struct vsvm_transfer - a mapping handed out by buffer_map */
struct vsvm_transfer {
	struct pipe_transfer base;
};

/**
 * struct vsvm_fence - a fence; work is synchronous, so it records only
 * whether everything before it succeeded
 * @refcount: references.
 * @failed: a job before the fence did not complete (fault, timeout, ...).
 */
struct vsvm_fence {
	int refcount;
	bool failed;
};

/**
 * struct vsvm_query - a timestamp query
 * @type: PIPE_QUERY_TIMESTAMP (the only type accepted).
 * @ns: CLOCK_MONOTONIC time at end_query, after the work queued before it.
 */
struct vsvm_query {
	unsigned int type;
	uint64_t ns;
};

struct vsvm_compute_state;

/**
 * struct vsvm_context - a command stream (an OpenCL command queue)
 * @base: the gallium context (first member).
 * @screen: the screen.
 * @cs: the bound compute state.
 * @failed: a job failed since the last flush (reported through the fence).
 */
struct vsvm_context {
	struct pipe_context base;
	struct vsvm_screen *screen;
	struct vsvm_compute_state *cs;
	bool failed;
};

static inline struct vsvm_screen *vsvm_screen(struct pipe_screen *s)
{
	return (struct vsvm_screen *)s;
}

static inline struct vsvm_context *vsvm_context(struct pipe_context *c)
{
	return (struct vsvm_context *)c;
}

static inline struct vsvm_resource *vsvm_resource(struct pipe_resource *r)
{
	return (struct vsvm_resource *)r;
}

/* vsvm_screen.c */
uint64_t vsvm_pipe_now_ns(void);
void vsvm_pipe_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* vsvm_context.c */
struct pipe_context *vsvm_context_create(struct pipe_screen *screen, void *priv,
					unsigned int flags);

/* vsvm_resource.c */
void vsvm_resource_screen_init(struct vsvm_screen *vs);
void vsvm_resource_context_init(struct vsvm_context *ctx);

/* vsvm_compute.c */
void vsvm_compute_context_init(struct vsvm_context *ctx);

/* vsvm_fence.c */
void vsvm_fence_screen_init(struct vsvm_screen *vs);
struct pipe_fence_handle *vsvm_fence_create(bool failed);

#endif /* VSVM_PIPE_H */
