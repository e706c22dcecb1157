// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm_screen.c - the loader entry point, the screen, its caps and the NIR
 * compiler options.
 *
 * Compiler options (what the backend in compiler/ receives). Clover 22.3
 * turns SPIR-V into NIR with spirv_to_nir, inlines libclc, and then runs a
 * fixed list of passes; it runs no algebraic optimisation, so of the
 * options only these change what vsvm gets:
 *
 * - lower_to_scalar = true: every ALU instruction is scalar (clover runs
 *   nir_lower_alu_to_scalar); loads, stores and vecN/mov may still be
 *   vectors.
 * - use_scoped_barrier = true: barrier() / mem_fence() arrive as one
 *   scoped_barrier intrinsic carrying execution scope, memory scope,
 *   semantics and modes, instead of control_barrier + memory_barrier_*.
 * - has_cs_global_id = false and lower_cs_local_index_to_id = true:
 *   get_global_id() becomes workgroup_id * workgroup_size + local_id +
 *   the global offset (a clover kernel input); the backend provides only
 *   load_local_invocation_id, load_workgroup_id, load_workgroup_size
 *   (when not fixed by reqd_work_group_size), load_num_workgroups and
 *   load_work_dim.
 * - lower_int64_options = 0: 64-bit integer ops are kept (vsvm registers
 *   are 64-bit); clover then skips nir_lower_int64.
 *
 * The other lowering flags below (fpow, fsat, fmod, flrp, bitfield ops,
 * find_lsb/msb, carry/borrow, mul_high, saturating adds, ...) are set for
 * any pass that does honour them (nir_builder helpers, later versions of
 * the pipeline, a future in-driver NIR optimiser); with clover 22.3 the
 * backend must still accept whatever libclc's NIR contains.
 *
 * Memory addresses: kernel inputs are load_kernel_input with byte offsets
 * (32bit_offset_as_64bit), __global and __constant are 64-bit global
 * addresses (load_global/store_global/global_atomic_*), __local is
 * load_shared/store_shared with 32-bit offsets, private memory is
 * load_scratch/store_scratch with 32-bit offsets.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vsvm.h"
#include "vsvm_pipe.h"

/* Lowest and highest page of the x86-64 user address space mirrored. */
#define VSVM_PIPE_MIRROR_START	0x10000ull
#define VSVM_PIPE_MIRROR_END	0x7ffffffff000ull

#define VSVM_EXPORT __attribute__((visibility("default")))

uint64_t vsvm_pipe_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void vsvm_pipe_log(const char *fmt, ...)
{
	va_list ap;

	fputs("pipe_vsvm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const struct nir_shader_compiler_options vsvm_nir_options = {
	.lower_flags = {
		[VSVM_NIR_LOWER_FLRP32] = true,
		[VSVM_NIR_LOWER_FLRP64] = true,
		[VSVM_NIR_LOWER_FPOW] = true,
		[VSVM_NIR_LOWER_FSAT] = true,
		[VSVM_NIR_LOWER_FMOD] = true,
		[VSVM_NIR_LOWER_BITFIELD_EXTRACT_TO_SHIFTS] = true,
		[VSVM_NIR_LOWER_BITFIELD_INSERT_TO_SHIFTS] = true,
		[VSVM_NIR_LOWER_BITFIELD_REVERSE] = true,
		[VSVM_NIR_LOWER_BIT_COUNT] = true,
		[VSVM_NIR_LOWER_IFIND_MSB] = true,
		[VSVM_NIR_LOWER_FIND_LSB] = true,
		[VSVM_NIR_LOWER_UADD_CARRY] = true,
		[VSVM_NIR_LOWER_USUB_BORROW] = true,
		[VSVM_NIR_LOWER_MUL_HIGH] = true,
		[VSVM_NIR_LOWER_SCMP] = true,
		[VSVM_NIR_LOWER_VECTOR_CMP] = true,
		[VSVM_NIR_LOWER_ISIGN] = true,
		[VSVM_NIR_LOWER_FSIGN] = true,
		[VSVM_NIR_LOWER_FDPH] = true,
		[VSVM_NIR_LOWER_FDOT] = true,
		[VSVM_NIR_LOWER_FFRACT] = true,
		[VSVM_NIR_LOWER_LDEXP] = true,
		[VSVM_NIR_LOWER_PACK_SPLIT] = true,
		[VSVM_NIR_LOWER_EXTRACT_BYTE] = true,
		[VSVM_NIR_LOWER_EXTRACT_WORD] = true,
		[VSVM_NIR_LOWER_INSERT_BYTE] = true,
		[VSVM_NIR_LOWER_INSERT_WORD] = true,
		[VSVM_NIR_LOWER_CS_LOCAL_INDEX_TO_ID] = true,
		[VSVM_NIR_HAS_CS_GLOBAL_ID] = false,
		[VSVM_NIR_LOWER_HADD] = true,
		[VSVM_NIR_LOWER_UADD_SAT] = true,
		[VSVM_NIR_LOWER_USUB_SAT] = true,
		[VSVM_NIR_LOWER_IADD_SAT] = true,
		[VSVM_NIR_LOWER_UCLZ] = true,
	},
	.lower_to_scalar = true,
	.lower_to_scalar_filter = NULL,
	.use_scoped_barrier = true,
	.max_unroll_iterations = 16,
	.max_unroll_iterations_aggressive = 16,
	.lower_int64_options = 0,
	.lower_doubles_options = 0,
};

static const char *vsvm_screen_get_name(struct pipe_screen *screen)
{
	return vsvm_screen(screen)->name;
}

static const char *vsvm_screen_get_vendor(struct pipe_screen *screen)
{
	(void)screen;
	return "vsvm";
}

static int vsvm_screen_get_param(struct pipe_screen *screen, int cap)
{
	(void)screen;

	switch (cap) {
	case PIPE_CAP_COMPUTE:
	case PIPE_CAP_SYSTEM_SVM:
	case PIPE_CAP_RESOURCE_FROM_USER_MEMORY:
	case PIPE_CAP_RESOURCE_FROM_USER_MEMORY_COMPUTE_ONLY:
	case PIPE_CAP_UMA:		/* buffers are system memory */
	case PIPE_CAP_INT64:
	case PIPE_CAP_INT64_DIVMOD:
	case PIPE_CAP_QUERY_TIMESTAMP:
	case PIPE_CAP_ACCELERATED:
		return 1;
	case PIPE_CAP_QUERY_TIMESTAMP_BITS:
		return 64;
	case PIPE_CAP_ENDIANNESS:
		return 0;		/* PIPE_ENDIAN_LITTLE */
	case PIPE_CAP_MAX_TEXTURE_3D_LEVELS:
		return 1;		/* clover computes 1 << (levels - 1) */
	case PIPE_CAP_DOUBLES:		/* no fp64 in the vsvm ISA */
	case PIPE_CAP_MAX_TEXTURE_2D_SIZE:
	case PIPE_CAP_MAX_TEXTURE_ARRAY_LAYERS:
	case PIPE_CAP_MAX_TEXEL_BUFFER_ELEMENTS_UINT:
	case PIPE_CAP_VENDOR_ID:
	case PIPE_CAP_DEVICE_ID:
	default:
		return 0;
	}
}

static float vsvm_screen_get_paramf(struct pipe_screen *screen, int cap)
{
	(void)screen;
	(void)cap;
	return 0.0f;
}

static int vsvm_screen_get_shader_param(struct pipe_screen *screen, int shader,
					int cap)
{
	struct vsvm_screen *vs = vsvm_screen(screen);

	if (shader != PIPE_SHADER_COMPUTE)
		return 0;

	switch (cap) {
	case PIPE_SHADER_CAP_SUPPORTED_IRS:
		return 1 << PIPE_SHADER_IR_NIR_SERIALIZED;
	case PIPE_SHADER_CAP_PREFERRED_IR:
		return PIPE_SHADER_IR_NIR;
	case PIPE_SHADER_CAP_MAX_INSTRUCTIONS:
	case PIPE_SHADER_CAP_MAX_ALU_INSTRUCTIONS:
		return (int)vs->max_program;
	case PIPE_SHADER_CAP_MAX_CONTROL_FLOW_DEPTH:
	case PIPE_SHADER_CAP_MAX_TEMPS:
		return 1 << 16;
	case PIPE_SHADER_CAP_MAX_CONST_BUFFER0_SIZE:
		return 64 * 1024;	/* the OpenCL minimum; it is global memory */
	case PIPE_SHADER_CAP_MAX_CONST_BUFFERS:
		return 8;
	case PIPE_SHADER_CAP_CONT_SUPPORTED:
	case PIPE_SHADER_CAP_INDIRECT_TEMP_ADDR:
	case PIPE_SHADER_CAP_INDIRECT_CONST_ADDR:
	case PIPE_SHADER_CAP_INTEGERS:
	case PIPE_SHADER_CAP_INT16:
	case PIPE_SHADER_CAP_INT64_ATOMICS:	/* AADD64/XCHG64/CMPXCHG64 */
		return 1;
	case PIPE_SHADER_CAP_FP16:
	case PIPE_SHADER_CAP_MAX_TEXTURE_SAMPLERS:
	case PIPE_SHADER_CAP_MAX_SAMPLER_VIEWS:
	case PIPE_SHADER_CAP_MAX_SHADER_BUFFERS:
	case PIPE_SHADER_CAP_MAX_SHADER_IMAGES:
	default:
		return 0;
	}
}

static int vsvm_ret_u64(void *ret, const uint64_t *v, unsigned int n)
{
	if (ret)
		memcpy(ret, v, n * sizeof(*v));
	return (int)(n * sizeof(*v));
}

static int vsvm_ret_u32(void *ret, uint32_t v)
{
	if (ret)
		memcpy(ret, &v, sizeof(v));
	return sizeof(v);
}

/* largest work-group: ISA v3 work-groups are bounded by the kernel too */
static uint64_t vsvm_max_block(const struct vsvm_screen *vs)
{
	if (vs->max_group_lanes && vs->max_group_lanes < VSVM_PIPE_MAX_BLOCK)
		return vs->max_group_lanes;
	return VSVM_PIPE_MAX_BLOCK;
}

static int vsvm_screen_get_compute_param(struct pipe_screen *screen, int ir,
					 int cap, void *ret)
{
	struct vsvm_screen *vs = vsvm_screen(screen);
	static const char target[] = "vsvm";
	uint64_t v[3];

	(void)ir;
	switch (cap) {
	case PIPE_COMPUTE_CAP_ADDRESS_BITS:
		return vsvm_ret_u32(ret, 64);
	case PIPE_COMPUTE_CAP_IR_TARGET:
		if (ret)
			memcpy(ret, target, sizeof(target));
		return sizeof(target);
	case PIPE_COMPUTE_CAP_GRID_DIMENSION:
		v[0] = 3;
		return vsvm_ret_u64(ret, v, 1);
	case PIPE_COMPUTE_CAP_MAX_GRID_SIZE:
		/* the product of all sizes is bounded by max_invocations */
		v[0] = v[1] = v[2] = vs->max_invocations;
		return vsvm_ret_u64(ret, v, 3);
	case PIPE_COMPUTE_CAP_MAX_BLOCK_SIZE:
		v[0] = v[1] = v[2] = vsvm_max_block(vs);
		return vsvm_ret_u64(ret, v, 3);
	case PIPE_COMPUTE_CAP_MAX_THREADS_PER_BLOCK:
		v[0] = vsvm_max_block(vs);
		return vsvm_ret_u64(ret, v, 1);
	case PIPE_COMPUTE_CAP_MAX_GLOBAL_SIZE:
		v[0] = vs->ram_size;
		return vsvm_ret_u64(ret, v, 1);
	case PIPE_COMPUTE_CAP_MAX_MEM_ALLOC_SIZE:
		v[0] = vs->ram_size / 4 > (128u << 20) ? vs->ram_size / 4 : 128u << 20;
		return vsvm_ret_u64(ret, v, 1);
	case PIPE_COMPUTE_CAP_MAX_LOCAL_SIZE:
		v[0] = VSVM_PIPE_MAX_LOCAL;
		if (vs->max_local_mem && vs->max_local_mem < v[0])
			v[0] = vs->max_local_mem;
		return vsvm_ret_u64(ret, v, 1);
	case PIPE_COMPUTE_CAP_MAX_PRIVATE_SIZE:
		v[0] = VSVM_PIPE_MAX_PRIVATE;
		if (vs->max_scratch && vs->max_scratch < v[0])
			v[0] = vs->max_scratch;
		return vsvm_ret_u64(ret, v, 1);
	case PIPE_COMPUTE_CAP_MAX_INPUT_SIZE:
		v[0] = VSVM_PIPE_MAX_INPUT;
		return vsvm_ret_u64(ret, v, 1);
	case PIPE_COMPUTE_CAP_MAX_CLOCK_FREQUENCY:
		return vsvm_ret_u32(ret, 1);	/* MHz: an interpreter, unknown */
	case PIPE_COMPUTE_CAP_MAX_COMPUTE_UNITS:
		return vsvm_ret_u32(ret, vs->num_engines);
	case PIPE_COMPUTE_CAP_IMAGES_SUPPORTED:
		return vsvm_ret_u32(ret, 0);
	case PIPE_COMPUTE_CAP_SUBGROUP_SIZE:
		return vsvm_ret_u32(ret, 1);
	case PIPE_COMPUTE_CAP_MAX_VARIABLE_THREADS_PER_BLOCK:
		v[0] = 0;
		return vsvm_ret_u64(ret, v, 1);
	default:
		return 0;
	}
}

static const void *
vsvm_screen_get_compiler_options(struct pipe_screen *screen, int ir, int shader)
{
	(void)screen;
	if (ir != PIPE_SHADER_IR_NIR || shader != PIPE_SHADER_COMPUTE)
		return NULL;
	return &vsvm_nir_options;
}

static uint64_t vsvm_screen_get_timestamp(struct pipe_screen *screen)
{
	(void)screen;
	return vsvm_pipe_now_ns();
}

static bool vsvm_screen_is_format_supported(struct pipe_screen *screen,
					    int format, int target,
					    unsigned int sample_count,
					    unsigned int storage_sample_count,
					    unsigned int bind)
{
	(void)screen;
	(void)format;
	(void)sample_count;
	(void)storage_sample_count;
	(void)bind;
	/* no images: buffers only, and they have no format */
	return target == PIPE_BUFFER && format == 0;
}

static void vsvm_screen_destroy(struct pipe_screen *screen)
{
	struct vsvm_screen *vs = vsvm_screen(screen);

	vsvm_vm_destroy(vs->fd, vs->vm_id);
	close(vs->fd);
	free(vs);
}

static int vsvm_screen_params(struct vsvm_screen *vs)
{
	uint64_t isa, index, engines;
	int ret;

	ret = vsvm_get_param(vs->fd, DRM_VSVM_PARAM_ISA_VERSION, &isa);
	if (!ret)
		ret = vsvm_get_param(vs->fd, DRM_VSVM_PARAM_DEVICE_INDEX, &index);
	if (!ret)
		ret = vsvm_get_param(vs->fd, DRM_VSVM_PARAM_NUM_ENGINES, &engines);
	if (!ret)
		ret = vsvm_get_param(vs->fd, DRM_VSVM_PARAM_MAX_INVOCATIONS,
				     &vs->max_invocations);
	if (!ret)
		ret = vsvm_get_param(vs->fd, DRM_VSVM_PARAM_MAX_PROGRAM_SIZE,
				     &vs->max_program);
	if (!ret)
		ret = vsvm_get_param(vs->fd, DRM_VSVM_PARAM_VRAM_SIZE,
				     &vs->vram_size);
	if (!ret && isa >= 3)
		ret = vsvm_get_param(vs->fd, DRM_VSVM_PARAM_MAX_GROUP_LANES,
				     &vs->max_group_lanes);
	if (!ret && isa >= 3)
		ret = vsvm_get_param(vs->fd, DRM_VSVM_PARAM_MAX_LOCAL_MEM,
				     &vs->max_local_mem);
	if (!ret && isa >= 3)
		ret = vsvm_get_param(vs->fd, DRM_VSVM_PARAM_MAX_SCRATCH,
				     &vs->max_scratch);
	if (!ret && isa >= 3)
		ret = vsvm_get_param(vs->fd, DRM_VSVM_PARAM_MAX_SCRATCH_GROUP,
				     &vs->max_scratch_group);
	if (ret)
		return ret;
	vs->isa_version = (uint32_t)isa;
	vs->device_index = (uint32_t)index;
	vs->num_engines = (uint32_t)engines;
	vs->ram_size = (uint64_t)sysconf(_SC_PHYS_PAGES) *
		       (uint64_t)sysconf(_SC_PAGESIZE);
	if (vs->max_program > (1u << 30))
		vs->max_program = 1u << 30;
	return 0;
}

static struct pipe_screen *vsvm_create_screen(int fd,
					      const struct pipe_screen_config *config)
{
	struct vsvm_screen *vs;
	int ret;

	(void)config;
	vs = calloc(1, sizeof(*vs));
	if (!vs)
		return NULL;
	vs->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (vs->fd < 0) {
		vsvm_pipe_log("cannot duplicate the device fd: %s", strerror(errno));
		free(vs);
		return NULL;
	}
	ret = vsvm_screen_params(vs);
	if (ret) {
		vsvm_pipe_log("GET_PARAM failed: %s", vsvm_strerror(ret));
		goto err_close;
	}
	ret = vsvm_vm_create(vs->fd, 0, 0, &vs->vm_id);
	if (ret) {
		vsvm_pipe_log("VM_CREATE failed: %s", vsvm_strerror(ret));
		goto err_close;
	}
	/* The whole user address space: any process pointer is a GPU pointer. */
	vs->mirror_start = VSVM_PIPE_MIRROR_START;
	vs->mirror_size = VSVM_PIPE_MIRROR_END - VSVM_PIPE_MIRROR_START;
	ret = vsvm_mirror(vs->fd, vs->vm_id, vs->mirror_start, vs->mirror_size, 0);
	if (ret) {
		vsvm_pipe_log("mirroring the address space failed: %s",
			      vsvm_strerror(ret));
		goto err_vm;
	}
	snprintf(vs->name, sizeof(vs->name), "vsvm %u (ISA v%u, %u engines)",
		 vs->device_index, vs->isa_version, vs->num_engines);

	vs->base.destroy = vsvm_screen_destroy;
	vs->base.get_name = vsvm_screen_get_name;
	vs->base.get_vendor = vsvm_screen_get_vendor;
	vs->base.get_device_vendor = vsvm_screen_get_vendor;
	vs->base.get_param = vsvm_screen_get_param;
	vs->base.get_paramf = vsvm_screen_get_paramf;
	vs->base.get_shader_param = vsvm_screen_get_shader_param;
	vs->base.get_compute_param = vsvm_screen_get_compute_param;
	vs->base.get_timestamp = vsvm_screen_get_timestamp;
	vs->base.context_create = vsvm_context_create;
	vs->base.is_format_supported = vsvm_screen_is_format_supported;
	vs->base.get_compiler_options = vsvm_screen_get_compiler_options;
	vsvm_resource_screen_init(vs);
	vsvm_fence_screen_init(vs);
	return &vs->base;

err_vm:
	vsvm_vm_destroy(vs->fd, vs->vm_id);
err_close:
	close(vs->fd);
	free(vs);
	return NULL;
}

/* The one exported symbol: the pipe loader looks it up by name. */
VSVM_EXPORT const struct drm_driver_descriptor driver_descriptor = {
	.driver_name = "vsvm",
	.driconf = NULL,
	.driconf_count = 0,
	.create_screen = vsvm_create_screen,
};
