/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm_gallium_abi.h - the part of Mesa 22.3's gallium driver interface that
 * pipe_vsvm.so needs, declared for this project.
 *
 * Debian 12's OpenCL implementation "clover" (package mesa-opencl-icd
 * 22.3.6) loads gallium pipe drivers at run time: for a render node whose
 * DRM driver is named "vsvm" it dlopen()s pipe_vsvm.so from
 * $GALLIUM_PIPE_SEARCH_DIR and calls the create_screen hook of the exported
 * object `driver_descriptor`. No Debian package ships the gallium headers,
 * so this file declares the structures that cross that boundary: the layout
 * of every member pipe_vsvm.so reads or fills is given, everything else is a
 * reserved slot of the right size. Sizes and offsets were measured on the
 * Mesa 22.3 branch point and on the Debian binary (whose call sites use the
 * same offsets, e.g. svm_migrate at 976 of the context); the _Static_asserts
 * below keep this file honest. No Mesa text is used; names follow Mesa's so
 * that a reader can find the member in Mesa's documentation.
 *
 * The interface is internal to Mesa and changes between releases: this file
 * describes 22.3 only (Mesa 23+ replaced several of these hooks).
 */
#ifndef VSVM_GALLIUM_ABI_H
#define VSVM_GALLIUM_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- enum values (only those used) ------------------------------------- */

/* enum pipe_cap: the queries of pipe_screen::get_param */
#define PIPE_CAP_MAX_TEXTURE_2D_SIZE			9
#define PIPE_CAP_MAX_TEXTURE_3D_LEVELS			10
#define PIPE_CAP_MAX_TEXTURE_ARRAY_LAYERS		19
#define PIPE_CAP_COMPUTE				53
#define PIPE_CAP_QUERY_TIMESTAMP			56
#define PIPE_CAP_MAX_TEXEL_BUFFER_ELEMENTS_UINT		68
#define PIPE_CAP_ENDIANNESS				70
#define PIPE_CAP_VENDOR_ID				88
#define PIPE_CAP_DEVICE_ID				89
#define PIPE_CAP_ACCELERATED				90
#define PIPE_CAP_UMA					92
#define PIPE_CAP_RESOURCE_FROM_USER_MEMORY		99
#define PIPE_CAP_RESOURCE_FROM_USER_MEMORY_COMPUTE_ONLY	100
#define PIPE_CAP_DOUBLES				148
#define PIPE_CAP_INT64					149
#define PIPE_CAP_INT64_DIVMOD				150
#define PIPE_CAP_SYSTEM_SVM				232
#define PIPE_CAP_QUERY_TIMESTAMP_BITS			267
#define PIPE_CAP_LAST					269

/* enum pipe_shader_type */
#define PIPE_SHADER_COMPUTE				5

/* enum pipe_shader_cap: the queries of pipe_screen::get_shader_param */
#define PIPE_SHADER_CAP_MAX_INSTRUCTIONS		0
#define PIPE_SHADER_CAP_MAX_ALU_INSTRUCTIONS		1
#define PIPE_SHADER_CAP_MAX_CONTROL_FLOW_DEPTH		4
#define PIPE_SHADER_CAP_MAX_CONST_BUFFER0_SIZE		7
#define PIPE_SHADER_CAP_MAX_CONST_BUFFERS		8
#define PIPE_SHADER_CAP_MAX_TEMPS			9
#define PIPE_SHADER_CAP_CONT_SUPPORTED			10
#define PIPE_SHADER_CAP_INDIRECT_TEMP_ADDR		13
#define PIPE_SHADER_CAP_INDIRECT_CONST_ADDR		14
#define PIPE_SHADER_CAP_INTEGERS			16
#define PIPE_SHADER_CAP_INT64_ATOMICS			17
#define PIPE_SHADER_CAP_FP16				18
#define PIPE_SHADER_CAP_INT16				21
#define PIPE_SHADER_CAP_MAX_TEXTURE_SAMPLERS		23
#define PIPE_SHADER_CAP_PREFERRED_IR			24
#define PIPE_SHADER_CAP_MAX_SAMPLER_VIEWS		26
#define PIPE_SHADER_CAP_MAX_SHADER_BUFFERS		30
#define PIPE_SHADER_CAP_SUPPORTED_IRS			31
#define PIPE_SHADER_CAP_MAX_SHADER_IMAGES		32

/* enum pipe_shader_ir: bit numbers of PIPE_SHADER_CAP_SUPPORTED_IRS */
#define PIPE_SHADER_IR_TGSI				0
#define PIPE_SHADER_IR_NATIVE				1
#define PIPE_SHADER_IR_NIR				2
#define PIPE_SHADER_IR_NIR_SERIALIZED			3

/* enum pipe_compute_cap: the queries of pipe_screen::get_compute_param */
#define PIPE_COMPUTE_CAP_ADDRESS_BITS			0	/* uint32_t */
#define PIPE_COMPUTE_CAP_IR_TARGET			1	/* char[] */
#define PIPE_COMPUTE_CAP_GRID_DIMENSION			2	/* uint64_t */
#define PIPE_COMPUTE_CAP_MAX_GRID_SIZE			3	/* uint64_t[3] */
#define PIPE_COMPUTE_CAP_MAX_BLOCK_SIZE			4	/* uint64_t[3] */
#define PIPE_COMPUTE_CAP_MAX_THREADS_PER_BLOCK		5	/* uint64_t */
#define PIPE_COMPUTE_CAP_MAX_GLOBAL_SIZE		6	/* uint64_t */
#define PIPE_COMPUTE_CAP_MAX_LOCAL_SIZE			7	/* uint64_t */
#define PIPE_COMPUTE_CAP_MAX_PRIVATE_SIZE		8	/* uint64_t */
#define PIPE_COMPUTE_CAP_MAX_INPUT_SIZE			9	/* uint64_t */
#define PIPE_COMPUTE_CAP_MAX_MEM_ALLOC_SIZE		10	/* uint64_t */
#define PIPE_COMPUTE_CAP_MAX_CLOCK_FREQUENCY		11	/* uint32_t */
#define PIPE_COMPUTE_CAP_MAX_COMPUTE_UNITS		12	/* uint32_t */
#define PIPE_COMPUTE_CAP_IMAGES_SUPPORTED		13	/* uint32_t */
#define PIPE_COMPUTE_CAP_SUBGROUP_SIZE			14	/* uint32_t */
#define PIPE_COMPUTE_CAP_MAX_VARIABLE_THREADS_PER_BLOCK	15	/* uint64_t */

/* enum pipe_texture_target */
#define PIPE_BUFFER					0

/* enum pipe_map_flags (the usage argument of buffer_map and friends) */
#define PIPE_MAP_READ					(1u << 0)
#define PIPE_MAP_WRITE					(1u << 1)
#define PIPE_MAP_DIRECTLY				(1u << 2)
#define PIPE_MAP_DISCARD_RANGE				(1u << 3)
#define PIPE_MAP_UNSYNCHRONIZED				(1u << 5)

/* query types */
#define PIPE_QUERY_TIMESTAMP				3

/* ---- opaque objects ------------------------------------------------------ */

struct pipe_context;
struct pipe_fence_handle;		/* the driver's own type */
struct pipe_query;			/* the driver's own type */
struct pipe_surface;			/* images/constant surfaces: unsupported */
struct pipe_sampler_view;
struct pipe_sampler_state;
struct pipe_image_view;
struct pipe_screen_config;
struct driOptionDescription;

/* ---- plain structures ---------------------------------------------------- */

/**
 * struct pipe_box - a region of a resource (x/width are bytes for buffers)
 */
struct pipe_box {
	int32_t x;
	int16_t y;
	int16_t z;
	int32_t width;
	int16_t height;
	int16_t depth;
};

/**
 * struct pipe_resource - a buffer or texture. The frontend allocates one on
 * the stack as a template (it fills width0, height0, depth0, array_size,
 * target, format, usage, bind) and drops references through its inline
 * reference helper: the count at offset 0 reaching zero makes it call
 * screen->resource_destroy for this resource and then for @next, so @next
 * must stay NULL and @screen must be set.
 */
struct pipe_resource {
	int32_t reference;		/* the reference count */
	uint8_t reserved_cacheline[60];	/* the count sits alone in its line */
	uint32_t width0;
	uint16_t height0;
	uint16_t depth0;
	uint16_t array_size;
	uint16_t format;		/* enum pipe_format:16 */
	uint8_t target;			/* enum pipe_texture_target:8 */
	uint8_t last_level;
	uint8_t nr_samples;
	uint8_t nr_storage_samples;
	uint8_t nr_sparse_levels;
	uint8_t usage;			/* PIPE_USAGE_x */
	uint32_t bind;			/* PIPE_BIND_x */
	uint32_t flags;			/* PIPE_RESOURCE_FLAG_x */
	struct pipe_resource *next;
	struct pipe_screen *screen;
};

/**
 * struct pipe_transfer - a mapping returned by buffer_map. Drivers embed it
 * in their own transfer object; the frontend only passes it back.
 */
struct pipe_transfer {
	struct pipe_resource *resource;
	uint32_t usage_level;		/* usage:24, level:8 */
	struct pipe_box box;
	uint32_t stride;
	uint32_t layer_stride;
	uint32_t offset;
};

/**
 * struct pipe_compute_state - argument of create_compute_state. With
 * PIPE_SHADER_IR_NIR_SERIALIZED, @prog points to a
 * struct pipe_binary_program_header followed by a nir_serialize() blob.
 */
struct pipe_compute_state {
	uint32_t ir_type;		/* enum pipe_shader_ir */
	uint32_t pad;
	const void *prog;
	uint32_t req_local_mem;		/* __local bytes of the kernel's arguments */
	uint32_t req_private_mem;	/* clover leaves it 0 */
	uint32_t req_input_mem;		/* bytes of the kernel input buffer */
	uint32_t pad2;
};

/** struct pipe_binary_program_header - what precedes a compiled program */
struct pipe_binary_program_header {
	uint32_t num_bytes;
	/* followed by num_bytes bytes of program */
};

/**
 * struct pipe_grid_info - argument of launch_grid. Clover sets @work_dim,
 * @block (work-group size), @grid (number of work-groups), @pc (offset of
 * the kernel in its section: always 0 with NIR, one kernel per state) and
 * @input, its packed argument buffer of req_input_mem bytes.
 */
struct pipe_grid_info {
	uint32_t pc;
	uint32_t pad;
	const void *input;
	uint32_t work_dim;
	uint32_t block[3];
	uint32_t last_block[3];
	uint32_t grid[3];
	uint32_t grid_base[3];
	uint32_t pad2;
	struct pipe_resource *indirect;
	uint32_t indirect_offset;
	uint32_t pad3;
};

/** union pipe_query_result - what get_query_result fills (u64 first) */
union pipe_query_result {
	uint64_t u64;
	uint8_t reserved[88];
};

/* ---- the screen ---------------------------------------------------------- */

#define VSVM_ABI_SLOTS(n, a, b)	void *reserved_##n[((b) - (a)) / 8]

/**
 * struct pipe_screen - the device object, one per render node. Function
 * pointers pipe_vsvm.so does not provide stay NULL in the reserved slots
 * (the frontend does not call them for a compute-only device).
 */
struct pipe_screen {
	uint32_t num_contexts;
	uint32_t pad;
	void *transfer_helper;
	void (*destroy)(struct pipe_screen *screen);
	const char *(*get_name)(struct pipe_screen *screen);
	const char *(*get_vendor)(struct pipe_screen *screen);
	const char *(*get_device_vendor)(struct pipe_screen *screen);
	int (*get_param)(struct pipe_screen *screen, int cap);
	float (*get_paramf)(struct pipe_screen *screen, int cap);
	int (*get_shader_param)(struct pipe_screen *screen, int shader, int cap);
	VSVM_ABI_SLOTS(0, 72, 80);
	int (*get_compute_param)(struct pipe_screen *screen, int ir, int cap,
				 void *ret);
	VSVM_ABI_SLOTS(1, 88, 96);
	uint64_t (*get_timestamp)(struct pipe_screen *screen);
	VSVM_ABI_SLOTS(2, 104, 112);
	struct pipe_context *(*context_create)(struct pipe_screen *screen,
					       void *priv, unsigned int flags);
	VSVM_ABI_SLOTS(3, 120, 128);
	bool (*is_format_supported)(struct pipe_screen *screen, int format,
				    int target, unsigned int sample_count,
				    unsigned int storage_sample_count,
				    unsigned int bind);
	VSVM_ABI_SLOTS(4, 136, 152);
	struct pipe_resource *(*resource_create)(struct pipe_screen *screen,
						 const struct pipe_resource *templ);
	VSVM_ABI_SLOTS(5, 160, 184);
	struct pipe_resource *(*resource_from_user_memory)(
		struct pipe_screen *screen, const struct pipe_resource *templ,
		void *user_memory);
	VSVM_ABI_SLOTS(6, 192, 232);
	void (*resource_destroy)(struct pipe_screen *screen,
				 struct pipe_resource *res);
	VSVM_ABI_SLOTS(7, 240, 248);
	void (*fence_reference)(struct pipe_screen *screen,
				struct pipe_fence_handle **dst,
				struct pipe_fence_handle *src);
	bool (*fence_finish)(struct pipe_screen *screen,
			     struct pipe_context *ctx,
			     struct pipe_fence_handle *fence, uint64_t timeout_ns);
	VSVM_ABI_SLOTS(8, 264, 304);
	const void *(*get_compiler_options)(struct pipe_screen *screen, int ir,
					    int shader);
	VSVM_ABI_SLOTS(9, 312, 568);
};

/* ---- the context --------------------------------------------------------- */

/**
 * struct pipe_context - a command stream, one per OpenCL command queue
 * (created with PIPE_CONTEXT_COMPUTE_ONLY).
 */
struct pipe_context {
	struct pipe_screen *screen;
	void *priv;
	void *draw;
	void *stream_uploader;
	void *const_uploader;
	void *debug_callback[3];
	void (*destroy)(struct pipe_context *ctx);
	VSVM_ABI_SLOTS(0, 72, 104);
	struct pipe_query *(*create_query)(struct pipe_context *ctx,
					   unsigned int type, unsigned int index);
	VSVM_ABI_SLOTS(1, 112, 120);
	void (*destroy_query)(struct pipe_context *ctx, struct pipe_query *q);
	bool (*begin_query)(struct pipe_context *ctx, struct pipe_query *q);
	bool (*end_query)(struct pipe_context *ctx, struct pipe_query *q);
	bool (*get_query_result)(struct pipe_context *ctx, struct pipe_query *q,
				 bool wait, union pipe_query_result *result);
	VSVM_ABI_SLOTS(2, 152, 280);
	void *(*create_sampler_state)(struct pipe_context *ctx,
				      const struct pipe_sampler_state *templ);
	void (*bind_sampler_states)(struct pipe_context *ctx, int shader,
				    unsigned int start, unsigned int count,
				    void **samplers);
	void (*delete_sampler_state)(struct pipe_context *ctx, void *state);
	VSVM_ABI_SLOTS(3, 304, 600);
	void (*set_sampler_views)(struct pipe_context *ctx, int shader,
				  unsigned int start, unsigned int count,
				  unsigned int unbind_trailing, bool take_ownership,
				  struct pipe_sampler_view **views);
	VSVM_ABI_SLOTS(4, 608, 648);
	void (*set_shader_images)(struct pipe_context *ctx, int shader,
				  unsigned int start, unsigned int count,
				  unsigned int unbind_trailing,
				  const struct pipe_image_view *images);
	VSVM_ABI_SLOTS(5, 656, 704);
	void (*resource_copy_region)(struct pipe_context *ctx,
				     struct pipe_resource *dst,
				     unsigned int dst_level, unsigned int dstx,
				     unsigned int dsty, unsigned int dstz,
				     struct pipe_resource *src,
				     unsigned int src_level,
				     const struct pipe_box *src_box);
	VSVM_ABI_SLOTS(6, 712, 752);
	void (*clear_buffer)(struct pipe_context *ctx, struct pipe_resource *res,
			     unsigned int offset, unsigned int size,
			     const void *value, int value_size);
	VSVM_ABI_SLOTS(7, 760, 768);
	void (*flush)(struct pipe_context *ctx, struct pipe_fence_handle **fence,
		      unsigned int flags);
	VSVM_ABI_SLOTS(8, 776, 800);
	struct pipe_sampler_view *(*create_sampler_view)(
		struct pipe_context *ctx, struct pipe_resource *res,
		const struct pipe_sampler_view *templ);
	void (*sampler_view_destroy)(struct pipe_context *ctx,
				     struct pipe_sampler_view *view);
	struct pipe_surface *(*create_surface)(struct pipe_context *ctx,
					       struct pipe_resource *res,
					       const struct pipe_surface *templ);
	void (*surface_destroy)(struct pipe_context *ctx,
				struct pipe_surface *surf);
	void *(*buffer_map)(struct pipe_context *ctx, struct pipe_resource *res,
			    unsigned int level, unsigned int usage,
			    const struct pipe_box *box,
			    struct pipe_transfer **out);
	void (*transfer_flush_region)(struct pipe_context *ctx,
				      struct pipe_transfer *xfer,
				      const struct pipe_box *box);
	void (*buffer_unmap)(struct pipe_context *ctx, struct pipe_transfer *xfer);
	VSVM_ABI_SLOTS(9, 856, 872);
	void (*buffer_subdata)(struct pipe_context *ctx, struct pipe_resource *res,
			       unsigned int usage, unsigned int offset,
			       unsigned int size, const void *data);
	VSVM_ABI_SLOTS(10, 880, 896);
	void (*memory_barrier)(struct pipe_context *ctx, unsigned int flags);
	VSVM_ABI_SLOTS(11, 904, 928);
	void *(*create_compute_state)(struct pipe_context *ctx,
				      const struct pipe_compute_state *cs);
	void (*bind_compute_state)(struct pipe_context *ctx, void *state);
	void (*delete_compute_state)(struct pipe_context *ctx, void *state);
	void (*set_compute_resources)(struct pipe_context *ctx,
				      unsigned int start, unsigned int count,
				      struct pipe_surface **surfaces);
	void (*set_global_binding)(struct pipe_context *ctx, unsigned int first,
				   unsigned int count,
				   struct pipe_resource **resources,
				   uint32_t **handles);
	void (*launch_grid)(struct pipe_context *ctx,
			    const struct pipe_grid_info *info);
	void (*svm_migrate)(struct pipe_context *ctx, unsigned int num_ptrs,
			    const void *const *ptrs, const size_t *sizes,
			    bool to_device, bool content_undefined);
	VSVM_ABI_SLOTS(12, 984, 992);
	uint64_t (*get_timestamp)(struct pipe_context *ctx);
	VSVM_ABI_SLOTS(13, 1000, 1144);
};

/* ---- the loader's entry point ------------------------------------------- */

/**
 * struct drm_driver_descriptor - the one symbol a pipe driver exports, as
 * `driver_descriptor`. The loader rejects it unless @driver_name equals the
 * DRM driver name of the render node. @create_screen gets the node's file
 * descriptor, which stays owned by the loader.
 */
struct drm_driver_descriptor {
	const char *driver_name;
	const struct driOptionDescription *driconf;
	unsigned int driconf_count;
	struct pipe_screen *(*create_screen)(int fd,
					     const struct pipe_screen_config *config);
};

/* ---- NIR compiler options ------------------------------------------------ */

/* nir_lower_int64_options bits are not used: vsvm keeps 64-bit integers. */

/**
 * struct nir_shader_compiler_options - what get_compiler_options() returns
 * for PIPE_SHADER_IR_NIR; clover reads it while it turns SPIR-V into NIR.
 * 176 bytes; the named members are the ones vsvm sets, the flags in
 * between are bools that stay false. lower_flags[] covers the run of
 * "lower_*" bools from lower_fdiv (0) to lower_uclz (87): vsvm names the
 * ones it sets with VSVM_NIR_LOWER_* indexes below.
 */
struct nir_shader_compiler_options {
	bool lower_flags[88];		/* offsets 0..87 */
	bool vectorize_io;		/* 88 */
	bool vectorize_tess_levels;	/* 89 */
	bool lower_to_scalar;		/* 90 */
	uint8_t pad0[5];
	bool (*lower_to_scalar_filter)(const void *instr, const void *data);
	bool flags_104[19];		/* 104..122 */
	bool use_scoped_barrier;	/* 123 */
	bool flags_124[6];		/* 124..129 */
	uint8_t pad1[2];
	uint32_t max_unroll_iterations;		/* 132 */
	uint32_t max_unroll_iterations_aggressive; /* 136 */
	uint32_t max_unroll_iterations_fp64;	/* 140 */
	bool flags_144[4];		/* 144..147 */
	uint32_t force_indirect_unrolling;	/* 148, nir_variable_mode */
	uint32_t lower_int64_options;		/* 152 */
	uint32_t lower_doubles_options;		/* 156 */
	uint32_t divergence_analysis_options;	/* 160 */
	uint32_t pack_varying_options;		/* 164 */
	bool flags_168[5];		/* 168..172 */
	uint8_t pad2[3];
};

/* Indexes into nir_shader_compiler_options.lower_flags[] */
enum vsvm_nir_lower {
	VSVM_NIR_LOWER_FDIV = 0,
	VSVM_NIR_LOWER_FFMA32 = 2,
	VSVM_NIR_LOWER_FLRP32 = 8,
	VSVM_NIR_LOWER_FLRP64 = 9,
	VSVM_NIR_LOWER_FPOW = 10,
	VSVM_NIR_LOWER_FSAT = 11,
	VSVM_NIR_LOWER_FMOD = 14,
	VSVM_NIR_LOWER_BITFIELD_EXTRACT_TO_SHIFTS = 16,
	VSVM_NIR_LOWER_BITFIELD_INSERT_TO_SHIFTS = 18,
	VSVM_NIR_LOWER_BITFIELD_REVERSE = 20,
	VSVM_NIR_LOWER_BIT_COUNT = 21,
	VSVM_NIR_LOWER_IFIND_MSB = 22,
	VSVM_NIR_LOWER_FIND_LSB = 24,
	VSVM_NIR_LOWER_UADD_CARRY = 25,
	VSVM_NIR_LOWER_USUB_BORROW = 26,
	VSVM_NIR_LOWER_MUL_HIGH = 27,
	VSVM_NIR_LOWER_SCMP = 31,
	VSVM_NIR_LOWER_VECTOR_CMP = 32,
	VSVM_NIR_LOWER_ISIGN = 34,
	VSVM_NIR_LOWER_FSIGN = 35,
	VSVM_NIR_LOWER_FDPH = 39,
	VSVM_NIR_LOWER_FDOT = 40,
	VSVM_NIR_LOWER_FFRACT = 43,
	VSVM_NIR_LOWER_LDEXP = 47,
	VSVM_NIR_LOWER_PACK_SPLIT = 65,
	VSVM_NIR_LOWER_EXTRACT_BYTE = 66,
	VSVM_NIR_LOWER_EXTRACT_WORD = 67,
	VSVM_NIR_LOWER_INSERT_BYTE = 68,
	VSVM_NIR_LOWER_INSERT_WORD = 69,
	VSVM_NIR_LOWER_CS_LOCAL_INDEX_TO_ID = 76,
	VSVM_NIR_HAS_CS_GLOBAL_ID = 78,	/* not a lowering: kept false */
	VSVM_NIR_LOWER_HADD = 81,
	VSVM_NIR_LOWER_UADD_SAT = 83,
	VSVM_NIR_LOWER_USUB_SAT = 84,
	VSVM_NIR_LOWER_IADD_SAT = 85,
	VSVM_NIR_LOWER_UCLZ = 87,
};

/* ---- layout checks ------------------------------------------------------- */

#define VSVM_ABI_CHECK(type, member, off) \
	_Static_assert(offsetof(struct type, member) == (off), \
		       #type "." #member " must be at offset " #off)

_Static_assert(sizeof(void *) == 8, "pipe_vsvm.so is for 64-bit hosts");
_Static_assert(sizeof(struct pipe_box) == 16, "pipe_box is 16 bytes");
_Static_assert(sizeof(struct pipe_resource) == 112, "pipe_resource is 112 bytes");
_Static_assert(sizeof(struct pipe_transfer) == 40, "pipe_transfer is 40 bytes");
_Static_assert(sizeof(struct pipe_compute_state) == 32, "pipe_compute_state is 32 bytes");
_Static_assert(sizeof(struct pipe_grid_info) == 88, "pipe_grid_info is 88 bytes");
_Static_assert(sizeof(union pipe_query_result) == 88, "pipe_query_result is 88 bytes");
_Static_assert(sizeof(struct pipe_screen) == 568, "pipe_screen is 568 bytes");
_Static_assert(sizeof(struct pipe_context) == 1144, "pipe_context is 1144 bytes");
_Static_assert(sizeof(struct drm_driver_descriptor) == 32, "drm_driver_descriptor is 32 bytes");
_Static_assert(sizeof(struct nir_shader_compiler_options) == 176,
	       "nir_shader_compiler_options is 176 bytes");

VSVM_ABI_CHECK(pipe_resource, width0, 64);
VSVM_ABI_CHECK(pipe_resource, height0, 68);
VSVM_ABI_CHECK(pipe_resource, bind, 84);
VSVM_ABI_CHECK(pipe_resource, flags, 88);
VSVM_ABI_CHECK(pipe_resource, next, 96);
VSVM_ABI_CHECK(pipe_resource, screen, 104);
VSVM_ABI_CHECK(pipe_transfer, box, 12);
VSVM_ABI_CHECK(pipe_transfer, stride, 28);
VSVM_ABI_CHECK(pipe_compute_state, prog, 8);
VSVM_ABI_CHECK(pipe_compute_state, req_local_mem, 16);
VSVM_ABI_CHECK(pipe_compute_state, req_input_mem, 24);
VSVM_ABI_CHECK(pipe_grid_info, input, 8);
VSVM_ABI_CHECK(pipe_grid_info, work_dim, 16);
VSVM_ABI_CHECK(pipe_grid_info, block, 20);
VSVM_ABI_CHECK(pipe_grid_info, last_block, 32);
VSVM_ABI_CHECK(pipe_grid_info, grid, 44);
VSVM_ABI_CHECK(pipe_grid_info, grid_base, 56);
VSVM_ABI_CHECK(pipe_grid_info, indirect, 72);
VSVM_ABI_CHECK(pipe_grid_info, indirect_offset, 80);

VSVM_ABI_CHECK(pipe_screen, destroy, 16);
VSVM_ABI_CHECK(pipe_screen, get_name, 24);
VSVM_ABI_CHECK(pipe_screen, get_vendor, 32);
VSVM_ABI_CHECK(pipe_screen, get_device_vendor, 40);
VSVM_ABI_CHECK(pipe_screen, get_param, 48);
VSVM_ABI_CHECK(pipe_screen, get_paramf, 56);
VSVM_ABI_CHECK(pipe_screen, get_shader_param, 64);
VSVM_ABI_CHECK(pipe_screen, get_compute_param, 80);
VSVM_ABI_CHECK(pipe_screen, get_timestamp, 96);
VSVM_ABI_CHECK(pipe_screen, context_create, 112);
VSVM_ABI_CHECK(pipe_screen, is_format_supported, 128);
VSVM_ABI_CHECK(pipe_screen, resource_create, 152);
VSVM_ABI_CHECK(pipe_screen, resource_from_user_memory, 184);
VSVM_ABI_CHECK(pipe_screen, resource_destroy, 232);
VSVM_ABI_CHECK(pipe_screen, fence_reference, 248);
VSVM_ABI_CHECK(pipe_screen, fence_finish, 256);
VSVM_ABI_CHECK(pipe_screen, get_compiler_options, 304);

VSVM_ABI_CHECK(pipe_context, destroy, 64);
VSVM_ABI_CHECK(pipe_context, create_query, 104);
VSVM_ABI_CHECK(pipe_context, destroy_query, 120);
VSVM_ABI_CHECK(pipe_context, begin_query, 128);
VSVM_ABI_CHECK(pipe_context, end_query, 136);
VSVM_ABI_CHECK(pipe_context, get_query_result, 144);
VSVM_ABI_CHECK(pipe_context, create_sampler_state, 280);
VSVM_ABI_CHECK(pipe_context, bind_sampler_states, 288);
VSVM_ABI_CHECK(pipe_context, delete_sampler_state, 296);
VSVM_ABI_CHECK(pipe_context, set_sampler_views, 600);
VSVM_ABI_CHECK(pipe_context, set_shader_images, 648);
VSVM_ABI_CHECK(pipe_context, resource_copy_region, 704);
VSVM_ABI_CHECK(pipe_context, clear_buffer, 752);
VSVM_ABI_CHECK(pipe_context, flush, 768);
VSVM_ABI_CHECK(pipe_context, create_sampler_view, 800);
VSVM_ABI_CHECK(pipe_context, sampler_view_destroy, 808);
VSVM_ABI_CHECK(pipe_context, create_surface, 816);
VSVM_ABI_CHECK(pipe_context, surface_destroy, 824);
VSVM_ABI_CHECK(pipe_context, buffer_map, 832);
VSVM_ABI_CHECK(pipe_context, transfer_flush_region, 840);
VSVM_ABI_CHECK(pipe_context, buffer_unmap, 848);
VSVM_ABI_CHECK(pipe_context, buffer_subdata, 872);
VSVM_ABI_CHECK(pipe_context, memory_barrier, 896);
VSVM_ABI_CHECK(pipe_context, create_compute_state, 928);
VSVM_ABI_CHECK(pipe_context, bind_compute_state, 936);
VSVM_ABI_CHECK(pipe_context, delete_compute_state, 944);
VSVM_ABI_CHECK(pipe_context, set_compute_resources, 952);
VSVM_ABI_CHECK(pipe_context, set_global_binding, 960);
VSVM_ABI_CHECK(pipe_context, launch_grid, 968);
VSVM_ABI_CHECK(pipe_context, svm_migrate, 976);
VSVM_ABI_CHECK(pipe_context, get_timestamp, 992);

VSVM_ABI_CHECK(drm_driver_descriptor, create_screen, 24);

VSVM_ABI_CHECK(nir_shader_compiler_options, lower_to_scalar, 90);
VSVM_ABI_CHECK(nir_shader_compiler_options, lower_to_scalar_filter, 96);
VSVM_ABI_CHECK(nir_shader_compiler_options, use_scoped_barrier, 123);
VSVM_ABI_CHECK(nir_shader_compiler_options, max_unroll_iterations, 132);
VSVM_ABI_CHECK(nir_shader_compiler_options, lower_int64_options, 152);
VSVM_ABI_CHECK(nir_shader_compiler_options, lower_doubles_options, 156);
VSVM_ABI_CHECK(nir_shader_compiler_options, flags_168, 168);

#endif /* VSVM_GALLIUM_ABI_H */
