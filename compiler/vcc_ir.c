// SPDX-License-Identifier: MIT
/*
 * IR helpers: operand roles, printing, freeing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vcc_ir.h"
#include "vcc_isa.h"
#include "vsvm.h"

void vcc_insn_regs(const struct vcc_insn *in, uint32_t *defs,
		   unsigned *ndefs, uint32_t *uses, unsigned *nuses)
{
	unsigned nd = 0, nu = 0;

	if (vcc_op_is_v3(in->op)) {
		switch (in->op) {
		case VCC_OP_BARRIER:
		case VCC_OP_FENCE:
			break;
		case VCC_OP_FSQRT:
			defs[nd++] = in->rd;
			uses[nu++] = in->ra;
			break;
		case VCC_OP_FMA:
			defs[nd++] = in->rd;
			uses[nu++] = in->ra;
			uses[nu++] = in->rb;
			uses[nu++] = in->rd;
			break;
		default:	/* atomics */
			defs[nd++] = in->rd;
			uses[nu++] = in->ra;
			uses[nu++] = in->rb;
			break;
		}
		*ndefs = nd;
		*nuses = nu;
		return;
	}
	switch (vsvm_op_class(in->op)) {
	case VSVM_CLASS_RD_RA:
	case VSVM_CLASS_ALU_IMM:
	case VSVM_CLASS_LOAD:
		defs[nd++] = in->rd;
		uses[nu++] = in->ra;
		break;
	case VSVM_CLASS_RD_IMM:
		defs[nd++] = in->rd;
		if (in->op == DRM_VSVM_OP_LIH)
			uses[nu++] = in->rd;
		break;
	case VSVM_CLASS_SR:
		defs[nd++] = in->rd;
		break;
	case VSVM_CLASS_ALU:
		defs[nd++] = in->rd;
		uses[nu++] = in->ra;
		uses[nu++] = in->rb;
		break;
	case VSVM_CLASS_STORE:
		uses[nu++] = in->ra;
		uses[nu++] = in->rb;
		break;
	case VSVM_CLASS_ATOMIC:
		defs[nd++] = in->rd;
		uses[nu++] = in->ra;
		uses[nu++] = in->rb;
		if (in->op == DRM_VSVM_OP_ACMPXCHG32 || in->op == DRM_VSVM_OP_ACMPXCHG64)
			uses[nu++] = in->rd;
		break;
	default:
		break;
	}
	*ndefs = nd;
	*nuses = nu;
}

static void print_reg(FILE *f, uint32_t r)
{
	if (r == VCC_NO_REG)
		fputs("-", f);
	else if (r < VCC_FIRST_VREG)
		fprintf(f, "r%u", r);
	else
		fprintf(f, "v%u", r);
}

void vcc_func_print(const struct vcc_func *fn, FILE *f, const char *title)
{
	fprintf(f, "--- %s: %u blocks, %u registers\n", title, fn->num_blocks,
		fn->num_vregs);
	for (uint32_t b = 0; b < fn->num_blocks; b++) {
		const struct vcc_block *blk = &fn->blocks[b];

		fprintf(f, "b%u:\n", b);
		for (uint32_t i = 0; i < blk->num; i++) {
			const struct vcc_insn *in = &blk->insns[i];
			uint32_t d[2], u[3];
			unsigned nd, nu;

			vcc_insn_regs(in, d, &nd, u, &nu);
			fprintf(f, "    %-10s", vcc_op_is_v3(in->op) ?
				vcc_v3_op_name(in->op) : vsvm_op_name(in->op));
			switch (vcc_op_is_v3(in->op) ?
				(in->op >= VCC_OP_AAND32 ? VSVM_CLASS_ATOMIC :
				 in->op == VCC_OP_FSQRT ? VSVM_CLASS_RD_RA :
				 in->op == VCC_OP_FMA ? VSVM_CLASS_ALU :
				 VSVM_CLASS_NONE) :
				vsvm_op_class(in->op)) {
			case VSVM_CLASS_NONE:
				break;
			case VSVM_CLASS_STORE:
				print_reg(f, in->ra);
				fprintf(f, "[%d], ", in->imm);
				print_reg(f, in->rb);
				break;
			case VSVM_CLASS_LOAD:
				print_reg(f, in->rd);
				fputs(", ", f);
				print_reg(f, in->ra);
				fprintf(f, "[%d]", in->imm);
				break;
			case VSVM_CLASS_ATOMIC:
				print_reg(f, in->rd);
				fputs(", ", f);
				print_reg(f, in->ra);
				fprintf(f, "[%d], ", in->imm);
				print_reg(f, in->rb);
				break;
			case VSVM_CLASS_RD_IMM:
			case VSVM_CLASS_SR:
				print_reg(f, in->rd);
				fprintf(f, ", %d", in->imm);
				break;
			case VSVM_CLASS_ALU_IMM:
				print_reg(f, in->rd);
				fputs(", ", f);
				print_reg(f, in->ra);
				fprintf(f, ", %d", in->imm);
				break;
			default:
				print_reg(f, in->rd);
				fputs(", ", f);
				print_reg(f, in->ra);
				if (nu > 1) {
					fputs(", ", f);
					print_reg(f, in->rb);
				}
				break;
			}
			fputc('\n', f);
		}
		switch (blk->term) {
		case VCC_TERM_FALL:
			break;
		case VCC_TERM_JMP:
			fprintf(f, "    jmp       b%u\n", blk->target);
			break;
		case VCC_TERM_BR:
			fprintf(f, "    %-10s", vsvm_op_name(blk->br_op));
			print_reg(f, blk->br_ra);
			fputs(", ", f);
			print_reg(f, blk->br_rb);
			fprintf(f, ", b%u\n", blk->target);
			break;
		case VCC_TERM_END:
			fputs("    end\n", f);
			break;
		}
	}
}

void vcc_func_fini(struct vcc_func *fn)
{
	for (uint32_t b = 0; b < fn->num_blocks; b++) {
		struct vcc_block *blk = &fn->blocks[b];

		free(blk->insns);
		free(blk->live_in);
		free(blk->live_out);
		free(blk->use);
		free(blk->def);
	}
	free(fn->blocks);
	memset(fn, 0, sizeof(*fn));
}

static bool has_side_effects(const struct vcc_insn *in)
{
	if (vcc_op_is_v3(in->op))
		return in->op != VCC_OP_FMA && in->op != VCC_OP_FSQRT;
	switch (vsvm_op_class(in->op)) {
	case VSVM_CLASS_STORE:
	case VSVM_CLASS_ATOMIC:
	case VSVM_CLASS_NONE:
		return true;
	default:
		return in->op == DRM_VSVM_OP_BCOPY;
	}
}

/*
 * Dead code elimination: drop instructions without side effects whose
 * results no instruction or branch reads, until nothing changes. A register
 * read anywhere keeps every write of it (good enough before register
 * allocation, where most registers are written once).
 */
int vcc_dce(struct vcc_func *fn)
{
	uint32_t *uses = calloc(fn->num_vregs + 1, sizeof(*uses));
	bool changed = true;

	if (!uses)
		return -ENOMEM;
	while (changed) {
		changed = false;
		memset(uses, 0, (fn->num_vregs + 1) * sizeof(*uses));
		for (uint32_t b = 0; b < fn->num_blocks; b++) {
			const struct vcc_block *blk = &fn->blocks[b];

			for (uint32_t i = 0; i < blk->num; i++) {
				uint32_t d[2], u[3];
				unsigned nd, nu;

				vcc_insn_regs(&blk->insns[i], d, &nd, u, &nu);
				for (unsigned k = 0; k < nu; k++)
					if (u[k] < fn->num_vregs)
						uses[u[k]]++;
			}
			if (blk->term == VCC_TERM_BR) {
				uses[blk->br_ra]++;
				uses[blk->br_rb]++;
			}
		}
		for (uint32_t b = 0; b < fn->num_blocks; b++) {
			struct vcc_block *blk = &fn->blocks[b];
			uint32_t n = 0;

			for (uint32_t i = 0; i < blk->num; i++) {
				const struct vcc_insn *in = &blk->insns[i];
				uint32_t d[2], u[3];
				unsigned nd, nu;
				bool dead;

				vcc_insn_regs(in, d, &nd, u, &nu);
				dead = !has_side_effects(in) && nd == 1 &&
				       d[0] >= VCC_FIRST_VREG && !uses[d[0]];
				if (dead) {
					changed = true;
					continue;
				}
				blk->insns[n++] = *in;
			}
			blk->num = n;
		}
	}
	free(uses);
	return 0;
}
