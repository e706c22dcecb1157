// SPDX-License-Identifier: MIT
/*
 * Final layout: blocks in order, each followed by its terminator (a branch
 * or jump only when the target is not the next block), then the branch
 * offsets resolved and every word checked with vsvm_insn_check().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vcc_ir.h"
#include "vcc_isa.h"
#include "vsvm.h"

static bool is_copy_to_self(const struct vcc_insn *in)
{
	return in->op == DRM_VSVM_OP_MOV && in->rd == in->ra;
}

static uint32_t term_words(const struct vcc_func *fn, uint32_t b)
{
	const struct vcc_block *blk = &fn->blocks[b];

	switch (blk->term) {
	case VCC_TERM_JMP:
		return blk->target == b + 1 ? 0 : 1;
	case VCC_TERM_BR:
	case VCC_TERM_END:
		return 1;
	default:
		return 0;
	}
}

int vcc_emit(const struct vcc_func *fn, uint64_t **code, uint32_t *len,
	     char *err, size_t errlen)
{
	uint32_t *start, n = 0, pc = 0;
	uint64_t *w;

	*code = NULL;
	*len = 0;
	start = calloc(fn->num_blocks + 1, sizeof(*start));
	if (!start)
		return -ENOMEM;
	for (uint32_t b = 0; b < fn->num_blocks; b++) {
		const struct vcc_block *blk = &fn->blocks[b];

		start[b] = n;
		for (uint32_t i = 0; i < blk->num; i++)
			n += !is_copy_to_self(&blk->insns[i]);
		n += term_words(fn, b);
	}
	start[fn->num_blocks] = n;
	if (fn->num_blocks && fn->blocks[fn->num_blocks - 1].term ==
	    VCC_TERM_FALL) {
		n++;	/* falling off the end: END */
	}
	if (n > VCC_MAX_PROGRAM) {
		snprintf(err, errlen, "program of %u instructions is too large",
			 n);
		free(start);
		return -ENOTSUP;
	}
	w = calloc(n ? n : 1, sizeof(*w));
	if (!w) {
		free(start);
		return -ENOMEM;
	}
	for (uint32_t b = 0; b < fn->num_blocks; b++) {
		const struct vcc_block *blk = &fn->blocks[b];
		int32_t off;

		for (uint32_t i = 0; i < blk->num; i++) {
			const struct vcc_insn *in = &blk->insns[i];
			uint32_t rd = in->rd == VCC_NO_REG ? 0 : in->rd;
			uint32_t ra = in->ra == VCC_NO_REG ? 0 : in->ra;
			uint32_t rb = in->rb == VCC_NO_REG ? 0 : in->rb;

			if (is_copy_to_self(in))
				continue;
			w[pc++] = vsvm_insn(in->op, rd, ra, rb, in->imm);
		}
		switch (blk->term) {
		case VCC_TERM_JMP:
			if (blk->target == b + 1)
				break;
			off = (int32_t)start[blk->target] - (int32_t)(pc + 1);
			w[pc++] = vsvm_insn(DRM_VSVM_OP_JMP, 0, 0, 0, off);
			break;
		case VCC_TERM_BR:
			off = (int32_t)start[blk->target] - (int32_t)(pc + 1);
			w[pc++] = vsvm_insn(blk->br_op, 0, blk->br_ra,
					    blk->br_rb, off);
			break;
		case VCC_TERM_END:
			w[pc++] = vsvm_insn(DRM_VSVM_OP_END, 0, 0, 0, 0);
			break;
		}
	}
	if (pc < n)
		w[pc++] = vsvm_insn(DRM_VSVM_OP_END, 0, 0, 0, 0);
	free(start);
	for (uint32_t i = 0; i < n; i++) {
		int64_t target;

		if (vcc_op_is_v3(w[i] & 0xff)) {
			/* not known to this uAPI's checker: registers only */
			if (((w[i] >> 8) & 0xff) > 31 ||
			    ((w[i] >> 16) & 0xff) > 31 ||
			    ((w[i] >> 24) & 0xff) > 31) {
				snprintf(err, errlen,
					 "internal error: bad word at pc %u", i);
				free(w);
				return -EINVAL;
			}
			continue;
		}
		if (vsvm_insn_check(w[i])) {
			snprintf(err, errlen, "internal error: bad word %#llx at pc %u",
				 (unsigned long long)w[i], i);
			free(w);
			return -EINVAL;
		}
		if (vsvm_op_class(w[i] & 0xff) == VSVM_CLASS_BRANCH ||
		    vsvm_op_class(w[i] & 0xff) == VSVM_CLASS_JMP) {
			target = (int64_t)i + 1 + (int32_t)(w[i] >> 32);
			if (target < 0 || target >= n) {
				snprintf(err, errlen,
					 "internal error: branch at pc %u leaves the program",
					 i);
				free(w);
				return -EINVAL;
			}
		}
	}
	*code = w;
	*len = n;
	return 0;
}
