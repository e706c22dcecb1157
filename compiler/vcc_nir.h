/* SPDX-License-Identifier: MIT */
/*
 * vcc_nir.h - an in-memory copy of a Mesa 22.3 serialized NIR shader
 *
 * The reader (vcc_nir_read.c) understands the subset of the serialization
 * that clover produces for OpenCL kernels and keeps it in flat arrays:
 * objects (SSA definitions, blocks, variables, functions) are numbered the
 * way the blob numbers them, instructions and control-flow nodes are
 * indices into arrays. Nothing here points into the blob.
 */
#ifndef VCC_NIR_H
#define VCC_NIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VCC_NIR_NUM_OPS		422	/* nir_num_opcodes in 22.3 */
#define VCC_NIR_NUM_INTRINSICS	639	/* nir_num_intrinsics in 22.3 */
#define VCC_NIR_MAX_COMP	16	/* NIR_MAX_VEC_COMPONENTS */
#define VCC_NIR_MAX_INDICES	8	/* NIR_INTRINSIC_MAX_CONST_INDEX */
#define VCC_NIR_SHADER_INFO_SIZE 296	/* sizeof(shader_info), 22.3.6 x86_64 */
#define VCC_NIR_VAR_DATA_SIZE	36	/* sizeof(struct nir_variable_data) */
#define VCC_NIR_STAGE_KERNEL	14	/* MESA_SHADER_KERNEL */

struct vcc_nir_op_info {
	const char *name;
	uint8_t num_inputs;
	uint8_t output_size;			/* 0: per component */
	uint8_t input_sizes[VCC_NIR_MAX_COMP];	/* 0: per component */
};

struct vcc_nir_intrinsic_info {
	const char *name;
	uint8_t num_srcs;
	int8_t dest_components;		/* -1: no dest, 0: num_components */
	uint8_t num_indices;
	int8_t src_components[11];	/* 0: num_components, -1: any */
};

extern const struct vcc_nir_op_info vcc_nir_ops[VCC_NIR_NUM_OPS];
extern const struct vcc_nir_intrinsic_info
	vcc_nir_intrinsics[VCC_NIR_NUM_INTRINSICS];

int vcc_nir_op_find(const char *name);
int vcc_nir_intrinsic_find(const char *name);

/* nir_instr_type */
enum vcc_nir_instr_type {
	VCC_NIR_ALU = 0,
	VCC_NIR_DEREF = 1,
	VCC_NIR_CALL = 2,
	VCC_NIR_TEX = 3,
	VCC_NIR_INTRINSIC = 4,
	VCC_NIR_LOAD_CONST = 5,
	VCC_NIR_JUMP = 6,
	VCC_NIR_UNDEF = 7,
	VCC_NIR_PHI = 8,
};

/* nir_jump_type */
enum vcc_nir_jump {
	VCC_NIR_JUMP_RETURN = 0,
	VCC_NIR_JUMP_HALT = 1,
	VCC_NIR_JUMP_BREAK = 2,
	VCC_NIR_JUMP_CONTINUE = 3,
};

/* nir_cf_node_type */
enum vcc_nir_cf_type {
	VCC_NIR_CF_BLOCK = 0,
	VCC_NIR_CF_IF = 1,
	VCC_NIR_CF_LOOP = 2,
};

enum vcc_nir_obj_kind {
	VCC_NIR_OBJ_NONE,
	VCC_NIR_OBJ_DEF,
	VCC_NIR_OBJ_BLOCK,
	VCC_NIR_OBJ_VAR,
	VCC_NIR_OBJ_FUNCTION,
	VCC_NIR_OBJ_REG,
};

/* One numbered object: for a DEF its size, for a BLOCK its cf node. */
struct vcc_nir_obj {
	uint8_t kind;
	uint8_t num_components;
	uint8_t bit_size;
	uint32_t index;		/* DEF: instr, BLOCK: cf node */
};

struct vcc_nir_src {
	uint32_t obj;		/* object index of the SSA def */
	uint32_t pred;		/* phi sources: object index of the block */
	uint8_t swizzle[VCC_NIR_MAX_COMP];
	bool negate, abs;
};

struct vcc_nir_instr {
	uint8_t type;		/* enum vcc_nir_instr_type */
	uint8_t num_components;	/* of the dest (or intrinsic num_components) */
	uint8_t bit_size;	/* of the dest */
	uint8_t flags;		/* ALU: bit0 exact, bit1 nsw, bit2 nuw, bit3 sat */
	uint16_t op;		/* ALU op, intrinsic, jump or deref type */
	uint32_t def;		/* object index of the dest, UINT32_MAX if none */
	uint32_t nsrc;
	uint32_t src;		/* first of nsrc entries in vcc_nir.srcs */
	uint32_t index[VCC_NIR_MAX_INDICES];	/* intrinsic constant indices */
	uint64_t value[VCC_NIR_MAX_COMP];	/* load_const */
	uint32_t block;		/* cf node of the block holding it */
};

struct vcc_nir_cf {
	uint8_t type;		/* enum vcc_nir_cf_type */
	uint32_t next;		/* next node in the list, UINT32_MAX at the end */
	uint32_t parent;	/* enclosing if/loop node, UINT32_MAX at top */
	/* BLOCK */
	uint32_t obj;		/* object index */
	uint32_t first_instr, num_instrs;
	/* IF: cond, then/else lists; LOOP: body in list[0] */
	uint32_t cond;		/* src index */
	uint32_t list[2];
};

struct vcc_nir {
	uint32_t stage;
	char name[64];		/* entry point name */
	uint8_t info[VCC_NIR_SHADER_INFO_SIZE];
	uint32_t shared_size, scratch_size, ptr_size;
	uint32_t num_uniforms;	/* clover: bytes of kernel input */
	uint16_t workgroup_size[3];
	bool workgroup_size_variable;
	uint32_t num_vars, num_functions, num_regs, constant_data_size;
	uint8_t *constant_data;
	uint32_t printf_count;

	struct vcc_nir_obj *objs;
	uint32_t num_objs;
	struct vcc_nir_instr *instrs;
	uint32_t num_instrs, cap_instrs;
	struct vcc_nir_src *srcs;
	uint32_t num_srcs, cap_srcs;
	struct vcc_nir_cf *cf;
	uint32_t num_cf, cap_cf;
	uint32_t body;		/* first cf node of the entry point */
};

int vcc_nir_read(const void *data, size_t size, struct vcc_nir *nir,
		 char *err, size_t errlen);
void vcc_nir_fini(struct vcc_nir *nir);
void vcc_nir_print(const struct vcc_nir *nir, FILE *f);

#endif /* VCC_NIR_H */
