/* SPDX-License-Identifier: MIT */
/*
 * vcc_ir.h - the compiler's own IR
 *
 * A function is a list of basic blocks in layout order. Instructions are
 * vsvm instructions whose register operands are *virtual* registers
 * (numbers >= VCC_FIRST_VREG); numbers below are physical registers (the
 * launch ABI's argument registers, read only in the first block). Each
 * block ends with one terminator: fall through, jump, conditional branch
 * (taken: target, else fall through) or END.
 *
 * NIR's SSA values become virtual registers (one per component); phis
 * become copies at the end of the predecessors (out of SSA), so after
 * translation a virtual register may be written more than once. Register
 * allocation (vcc_ra.c) then maps virtual to physical registers with a
 * linear scan over live intervals.
 */
#ifndef VCC_IR_H
#define VCC_IR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define VCC_NUM_REGS	32
#define VCC_FIRST_VREG	32
#define VCC_NO_REG	UINT32_MAX
/* largest program the engines run (DRM_VSVM_PARAM_MAX_PROGRAM_SIZE) */
#define VCC_MAX_PROGRAM	65536

struct vcc_insn {
	uint8_t op;		/* enum drm_vsvm_isa_opcode */
	int32_t imm;
	uint32_t rd, ra, rb;	/* VCC_NO_REG when unused */
};

enum vcc_term {
	VCC_TERM_FALL,		/* continue with the next block */
	VCC_TERM_JMP,		/* jump to target */
	VCC_TERM_BR,		/* if br_op(ra, rb): target, else next block */
	VCC_TERM_END,		/* the lane ends */
};

struct vcc_block {
	struct vcc_insn *insns;
	uint32_t num, cap;
	uint8_t term;
	uint8_t br_op;
	uint32_t br_ra, br_rb;
	uint32_t target;
	/* register allocation */
	uint32_t start, end;	/* positions */
	uint64_t *live_in, *live_out, *use, *def;
};

struct vcc_func {
	struct vcc_block *blocks;
	uint32_t num_blocks, cap_blocks;
	uint32_t num_vregs;	/* including the VCC_FIRST_VREG physical ones */
	uint32_t prologue_blocks;	/* blocks reading the ABI registers */
};

void vcc_func_fini(struct vcc_func *fn);
void vcc_func_print(const struct vcc_func *fn, FILE *f, const char *title);

/*
 * vcc_ra.c: rewrite every virtual register to a physical one, spilling
 * values that do not fit into 8-byte slots of per-lane private memory when
 * @spill->mode allows it:
 * - VCC_SPILL_V3: the ISA v3 scratch window, slots from the window
 *   immediate @spill->base;
 * - VCC_SPILL_V2: the ISA v2 private block (launch ABI r11), slots from
 *   byte @spill->base of the lane's block; r28 holds the block's address.
 * @spill->bytes returns the bytes of slots used.
 */
enum vcc_spill_mode { VCC_SPILL_NONE, VCC_SPILL_V2, VCC_SPILL_V3 };

struct vcc_spill {
	enum vcc_spill_mode mode;
	uint32_t base;
	uint32_t bytes;
};

int vcc_ra(struct vcc_func *fn, struct vcc_spill *spill, char *err,
	   size_t errlen);

/* vcc_emit.c: lay out blocks and produce instruction words (malloc'd). */
int vcc_emit(const struct vcc_func *fn, uint64_t **code, uint32_t *len,
	     char *err, size_t errlen);

/* vcc_ir.c: remove instructions whose results are never read */
int vcc_dce(struct vcc_func *fn);

/* which operands an opcode reads and writes */
void vcc_insn_regs(const struct vcc_insn *in, uint32_t *defs,
		   unsigned *ndefs, uint32_t *uses, unsigned *nuses);

#endif /* VCC_IR_H */
