/* SPDX-License-Identifier: MIT */
/*
 * vsvm_cc.h - the vsvm compiler library (libvsvm-cc.a)
 *
 * Compiles one OpenCL compute kernel, handed over by Mesa 22.3's clover as
 * serialized NIR (PIPE_SHADER_IR_NIR_SERIALIZED), into vsvm ISA words that
 * DRM_IOCTL_VSVM_EXEC runs.
 *
 * Pipeline: serialized-NIR reader -> SSA IR of our own (scalar) -> out of
 * SSA -> register allocation -> structured control flow -> vsvm ISA.
 *
 * Debugging: the environment variable VSVM_DEBUG, a comma-separated list of
 * "nir" (the NIR as read), "ir" (our IR before and after register
 * allocation) and "asm" (the final program, disassembled), makes
 * vsvm_cc_compile() print those stages to stderr. tools/vsvm-cc does the
 * same for a blob file.
 *
 * Launch ABI (what the driver must set up for DRM_IOCTL_VSVM_EXEC)
 * ----------------------------------------------------------------
 * A kernel launched with work_dim dimensions, a work-group ("block") size
 * block[3] and a work-group count grid[3] (pipe_grid_info's names; unused
 * dimensions are 1) runs as
 *
 *   invocations = block[0] * block[1] * block[2] * grid[0] * grid[1] * grid[2]
 *
 * lanes. Lane L is one work-item; work-groups are consecutive lanes:
 *
 *   group_size = block[0] * block[1] * block[2]
 *   local  linear index = L % group_size   (x fastest, then y, then z)
 *   group  linear index = L / group_size   (x fastest, then y, then z)
 *
 * The exec arguments (registers at lane start) are:
 *
 *   r0           GPU address of a copy of clover's packed kernel input
 *                (pipe_grid_info.input, the argument buffer clover builds,
 *                including its implicit arguments such as the global offset);
 *                8-byte aligned. Kernel arguments are read with loads from it.
 *   r1           work_dim (1 .. 3)
 *   r2, r3, r4   block[0], block[1], block[2]
 *   r5, r6, r7   grid[0], grid[1], grid[2]
 *   r8, r9, r10  global offset[0..2] (clover also passes the offset in the
 *                input buffer, which is what its kernels read; these are
 *                for other frontends)
 *   r11          ISA v2 code with kernel.scratch_size != 0 (private arrays,
 *                spilled registers):
 *                GPU address of invocations * scratch_size bytes, 8-byte
 *                aligned, uninitialised; lane L's private memory is
 *                [r11 + L * scratch_size, + scratch_size). Otherwise 0.
 *   r12 .. r15   zero (reserved)
 *
 * The code computes every id from LANE_ID and r1 .. r10, so it runs the same
 * as a flat job (invocations = all lanes) or, with ISA version 3, as an
 * EXEC grid of grid[] work-groups of block[] lanes (where LANE_ID counts the
 * same way); the register arguments stay the same.
 *
 * Code built for ISA v3 (kernel.isa_version == 3: work-group barriers,
 * __local memory, private memory, fma, sqrt, ...) must run as an EXEC grid
 * of work-groups (block[] lanes each) with
 *
 *   local_mem_size = kernel.local_size + pipe_compute_state.req_local_mem
 *   scratch_size   = kernel.scratch_size
 *
 * kernel.local_size is the kernel's static __local variables, rounded up to
 * 16 bytes; they sit at the start of local memory. Clover gives each
 * __local argument the offset of its block counting from 0; the code adds
 * kernel.local_size to those offsets, so the arguments follow the static
 * variables. (The code recognises a __local argument by its use as a
 * local-memory address; it must be a 64-bit pointer, as clover passes.)
 */
#ifndef VSVM_CC_H
#define VSVM_CC_H

#include <stddef.h>
#include <stdint.h>

#if defined(__cplusplus)
extern "C" {
#endif

/** Exec argument registers of the launch ABI (see above). */
enum vsvm_cc_abi_reg {
	VSVM_CC_ABI_INPUT = 0,		/* address of the kernel input copy */
	VSVM_CC_ABI_WORK_DIM = 1,
	VSVM_CC_ABI_BLOCK = 2,		/* r2..r4: block[0..2] */
	VSVM_CC_ABI_GRID = 5,		/* r5..r7: grid[0..2] */
	VSVM_CC_ABI_OFFSET = 8,		/* r8..r10: global offset[0..2] */
	VSVM_CC_ABI_SCRATCH = 11,	/* ISA v2: private memory, see above */
	VSVM_CC_ABI_NUM_ARGS = 12,	/* registers the driver must set */
};

/** Output of a compile; release with vsvm_cc_kernel_fini(). */
struct vsvm_cc_kernel {
	uint64_t *code;		/* vsvm instruction words (malloc'd) */
	uint32_t code_len;	/* number of words */
	uint32_t isa_version;	/* ISA version the code needs: 2 or 3 */
	uint32_t input_size;	/* bytes of kernel input the code may read */
	uint32_t local_size;	/* static __local bytes per work-group, rounded
				 * up to 16 (0: no local memory used) */
	uint32_t scratch_size;	/* private bytes per lane, including register
				 * spill slots (ISA v3: the scratch window;
				 * ISA v2: the block at r11), 0: none */
	uint32_t block[3];	/* reqd_work_group_size, or all 0 */
	char name[64];		/* kernel (entry point) name, may be empty */
};

/** Debug dump flags (also parsed from VSVM_DEBUG). */
enum vsvm_cc_debug {
	VSVM_CC_DEBUG_NIR = 1u << 0,
	VSVM_CC_DEBUG_IR = 1u << 1,
	VSVM_CC_DEBUG_ASM = 1u << 2,
};

/**
 * vsvm_cc_compile() - compile one serialized NIR kernel
 * @nir: the nir_serialize() blob (the bytes clover puts after its 4-byte
 *       pipe_binary_program_header, i.e. header.num_bytes bytes)
 * @size: size of @nir in bytes
 * @isa_version: highest ISA version the device accepts
 *               (DRM_VSVM_PARAM_ISA_VERSION); 2 or more
 * @out: the result, zeroed on failure
 * @err: buffer for a one-line error message (may be NULL)
 * @errlen: size of @err
 *
 * Honours VSVM_DEBUG (see above), printing to stderr.
 *
 * The code uses ISA v3 instructions only where the kernel needs them and
 * @isa_version >= 3 (out->isa_version says which).
 *
 * Return: 0, or a negative errno: -EINVAL malformed blob or an internal
 * inconsistency (the message says what), -ENOTSUP a construct the backend
 * cannot compile (for @isa_version: barriers or __local memory on
 * ISA v2; an unsupported NIR operation, named in the message), -ENOMEM.
 */
int vsvm_cc_compile(const void *nir, size_t size, unsigned int isa_version,
		    struct vsvm_cc_kernel *out, char *err, size_t errlen);

/**
 * vsvm_cc_compile_debug() - vsvm_cc_compile() with explicit dump flags
 * @debug: mask of enum vsvm_cc_debug, replacing VSVM_DEBUG
 * @dump: where to print the dumps (stderr if NULL)
 */
int vsvm_cc_compile_debug(const void *nir, size_t size,
			  unsigned int isa_version, unsigned int debug,
			  void *dump /* FILE * */, struct vsvm_cc_kernel *out,
			  char *err, size_t errlen);

/** vsvm_cc_kernel_fini() - free a compile result (NULL-safe, idempotent). */
void vsvm_cc_kernel_fini(struct vsvm_cc_kernel *k);

#if defined(__cplusplus)
}
#endif

#endif /* VSVM_CC_H */
