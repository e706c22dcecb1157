// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * Program builder: a growing array of instruction words, one emitter per
 * operand class, labels with forward references resolved by
 * vsvm_prog_finish().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vsvm_internal.h"

/* Largest program the builder will grow to, in words (1 << 24). */
#define VSVM_PROG_MAX_WORDS	(1u << 24)

void vsvm_prog_init(struct vsvm_prog *p)
{
	memset(p, 0, sizeof(*p));
}

void vsvm_prog_fini(struct vsvm_prog *p)
{
	free(p->insns);
	free(p->labels);
	free(p->fixups);
	memset(p, 0, sizeof(*p));
}

int vsvm_prog_fail(struct vsvm_prog *p, int err, const char *fmt, ...)
{
	va_list ap;

	if (p->error)
		return err;
	p->error = err;
	va_start(ap, fmt);
	vsnprintf(p->errmsg, sizeof(p->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

/* Make room for one more element of @size bytes in *@arr. */
static int grow(void **arr, uint32_t *cap, uint32_t n, size_t size)
{
	uint32_t ncap;
	void *tmp;

	if (n < *cap)
		return 0;
	if (n >= VSVM_PROG_MAX_WORDS)
		return -E2BIG;
	ncap = *cap ? *cap * 2 : 64;
	tmp = realloc(*arr, (size_t)ncap * size);
	if (!tmp)
		return -ENOMEM;
	*arr = tmp;
	*cap = ncap;
	return 0;
}

int vsvm_prog_push(struct vsvm_prog *p, uint64_t word)
{
	int ret = grow((void **)&p->insns, &p->capacity, p->count,
		       sizeof(*p->insns));

	if (ret)
		return vsvm_prog_fail(p, ret, "pc %u: %s", p->count,
				      ret == -ENOMEM ? "out of memory" :
				      "program too large");
	p->insns[p->count++] = word;
	return 0;
}

int vsvm_emit_word(struct vsvm_prog *p, uint64_t word)
{
	return vsvm_prog_push(p, word);
}

/* Check @op is of class @cls and the registers it uses, then append. */
static int emit(struct vsvm_prog *p, enum vsvm_op_class cls, unsigned int op,
		unsigned int rd, unsigned int ra, unsigned int rb, int32_t imm)
{
	unsigned int used = vsvm_class_fields(cls);
	const char *name = vsvm_op_name(op);

	if (vsvm_op_class(op) != cls)
		return vsvm_prog_fail(p, -EINVAL,
				      "pc %u: opcode 0x%x (%s) cannot be emitted here",
				      p->count, op, name ? name : "unknown");
	if (((used & VSVM_F_RD) && rd >= DRM_VSVM_ISA_NUM_REGS) ||
	    ((used & VSVM_F_RA) && ra >= DRM_VSVM_ISA_NUM_REGS) ||
	    ((used & VSVM_F_RB) && rb >= DRM_VSVM_ISA_NUM_REGS))
		return vsvm_prog_fail(p, -EINVAL,
				      "pc %u: %s: register out of range (r0..r%d)",
				      p->count, name, DRM_VSVM_ISA_NUM_REGS - 1);
	return vsvm_prog_push(p, vsvm_insn(op, used & VSVM_F_RD ? rd : 0,
					   used & VSVM_F_RA ? ra : 0,
					   used & VSVM_F_RB ? rb : 0,
					   used & VSVM_F_IMM ? imm : 0));
}

int vsvm_emit_nop(struct vsvm_prog *p)
{
	return emit(p, VSVM_CLASS_NONE, DRM_VSVM_OP_NOP, 0, 0, 0, 0);
}

int vsvm_emit_end(struct vsvm_prog *p)
{
	return emit(p, VSVM_CLASS_NONE, DRM_VSVM_OP_END, 0, 0, 0, 0);
}

int vsvm_emit_unary(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		    unsigned int ra)
{
	return emit(p, VSVM_CLASS_RD_RA, op, rd, ra, 0, 0);
}

int vsvm_emit_mov(struct vsvm_prog *p, unsigned int rd, unsigned int ra)
{
	return emit(p, VSVM_CLASS_RD_RA, DRM_VSVM_OP_MOV, rd, ra, 0, 0);
}

int vsvm_emit_li(struct vsvm_prog *p, unsigned int rd, int32_t imm)
{
	return emit(p, VSVM_CLASS_RD_IMM, DRM_VSVM_OP_LI, rd, 0, 0, imm);
}

int vsvm_emit_lih(struct vsvm_prog *p, unsigned int rd, uint32_t hi)
{
	return emit(p, VSVM_CLASS_RD_IMM, DRM_VSVM_OP_LIH, rd, 0, 0, (int32_t)hi);
}

int vsvm_emit_li64(struct vsvm_prog *p, unsigned int rd, uint64_t value)
{
	int ret = vsvm_emit_li(p, rd, (int32_t)(uint32_t)value);

	return ret ? ret : vsvm_emit_lih(p, rd, (uint32_t)(value >> 32));
}

int vsvm_emit_sr(struct vsvm_prog *p, unsigned int rd, uint32_t sreg)
{
	if (sreg >= VSVM_NUM_SREGS)
		return vsvm_prog_fail(p, -EINVAL,
				      "pc %u: sr: unknown special register %u",
				      p->count, sreg);
	return emit(p, VSVM_CLASS_SR, DRM_VSVM_OP_SR, rd, 0, 0, (int32_t)sreg);
}

int vsvm_emit_alu(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		  unsigned int ra, unsigned int rb)
{
	return emit(p, VSVM_CLASS_ALU, op, rd, ra, rb, 0);
}

int vsvm_emit_alui(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		   unsigned int ra, int32_t imm)
{
	return emit(p, VSVM_CLASS_ALU_IMM, op, rd, ra, 0, imm);
}

int vsvm_emit_ld(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		 unsigned int ra, int32_t off)
{
	return emit(p, VSVM_CLASS_LOAD, op, rd, ra, 0, off);
}

int vsvm_emit_st(struct vsvm_prog *p, unsigned int op, unsigned int ra,
		 int32_t off, unsigned int rb)
{
	return emit(p, VSVM_CLASS_STORE, op, 0, ra, rb, off);
}

int vsvm_emit_atomic(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		     unsigned int ra, int32_t off, unsigned int rb)
{
	return emit(p, VSVM_CLASS_ATOMIC, op, rd, ra, rb, off);
}

int vsvm_label_new(struct vsvm_prog *p)
{
	int ret = grow((void **)&p->labels, &p->labels_cap, p->nlabels,
		       sizeof(*p->labels));

	if (ret)
		return vsvm_prog_fail(p, ret, "too many labels");
	p->labels[p->nlabels] = -1;
	return (int)p->nlabels++;
}

static bool label_valid(const struct vsvm_prog *p, int label)
{
	return label >= 0 && (uint32_t)label < p->nlabels;
}

int vsvm_label_bind(struct vsvm_prog *p, int label)
{
	if (!label_valid(p, label))
		return vsvm_prog_fail(p, -EINVAL, "pc %u: no label %d",
				      p->count, label);
	if (p->labels[label] >= 0)
		return vsvm_prog_fail(p, -EINVAL,
				      "pc %u: label %d already bound at pc %lld",
				      p->count, label,
				      (long long)p->labels[label]);
	p->labels[label] = p->count;
	return 0;
}

/* Append a branch word with a zero offset and remember to patch it. */
static int emit_to_label(struct vsvm_prog *p, enum vsvm_op_class cls,
			 unsigned int op, unsigned int rd, unsigned int ra,
			 unsigned int rb, int label)
{
	uint32_t pc = p->count;
	int ret;

	if (!label_valid(p, label))
		return vsvm_prog_fail(p, -EINVAL, "pc %u: no label %d", pc,
				      label);
	ret = grow((void **)&p->fixups, &p->fixups_cap, p->nfixups,
		   sizeof(*p->fixups));
	if (ret)
		return vsvm_prog_fail(p, ret, "pc %u: out of memory", pc);
	ret = emit(p, cls, op, rd, ra, rb, 0);
	if (ret)
		return ret;
	p->fixups[p->nfixups].pc = pc;
	p->fixups[p->nfixups].label = label;
	p->nfixups++;
	return 0;
}

int vsvm_emit_branch(struct vsvm_prog *p, unsigned int op, unsigned int ra,
		     unsigned int rb, int label)
{
	return emit_to_label(p, VSVM_CLASS_BRANCH, op, 0, ra, rb, label);
}

int vsvm_emit_jmp(struct vsvm_prog *p, int label)
{
	return emit_to_label(p, VSVM_CLASS_JMP, DRM_VSVM_OP_JMP, 0, 0, 0, label);
}

int vsvm_emit_jal(struct vsvm_prog *p, unsigned int rd, int label)
{
	return emit_to_label(p, VSVM_CLASS_JAL, DRM_VSVM_OP_JAL, rd, 0, 0, label);
}

int vsvm_emit_jr(struct vsvm_prog *p, unsigned int ra)
{
	return emit(p, VSVM_CLASS_JR, DRM_VSVM_OP_JR, 0, ra, 0, 0);
}

int vsvm_emit_cvt(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		  unsigned int ra, uint32_t mode)
{
	if (mode >= VSVM_NUM_ROUNDS)
		return vsvm_prog_fail(p, -EINVAL,
				      "pc %u: unknown rounding mode %u",
				      p->count, mode);
	return emit(p, VSVM_CLASS_CVT, op, rd, ra, 0, (int32_t)mode);
}

int vsvm_emit_barrier(struct vsvm_prog *p)
{
	return emit(p, VSVM_CLASS_NONE, DRM_VSVM_OP_BARRIER, 0, 0, 0, 0);
}

int vsvm_emit_fence(struct vsvm_prog *p)
{
	return emit(p, VSVM_CLASS_NONE, DRM_VSVM_OP_FENCE, 0, 0, 0, 0);
}

int vsvm_prog_finish(struct vsvm_prog *p)
{
	if (p->error)
		return p->error;

	for (uint32_t i = 0; i < p->nfixups; i++) {
		const struct vsvm_fixup *f = &p->fixups[i];
		int64_t target = p->labels[f->label];
		int64_t imm;

		if (target < 0)
			return vsvm_prog_fail(p, -EINVAL,
					      "pc %u: label %d is never bound",
					      f->pc, f->label);
		if (target >= p->count)
			return vsvm_prog_fail(p, -EINVAL,
					      "pc %u: branch target %lld is past the end of the program",
					      f->pc, (long long)target);
		imm = target - ((int64_t)f->pc + 1);
		p->insns[f->pc] &= 0xffffffffull;
		p->insns[f->pc] |= (uint64_t)(uint32_t)(int32_t)imm << 32;
	}
	p->nfixups = 0;
	return 0;
}
