// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * The one opcode table (name, opcode, operand class) shared by the builder,
 * the assembler and the disassembler, plus encoding checks and the
 * disassembler.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vsvm_internal.h"

/* One row per opcode: mnemonic (the uAPI name in lowercase) and class. */
#define OP(n, name, cls) [DRM_VSVM_OP_##n] = { name, VSVM_CLASS_##cls }

static const struct vsvm_opinfo {
	const char *name;
	enum vsvm_op_class cls;
} vsvm_ops[DRM_VSVM_OP_COUNT] = {
	OP(NOP, "nop", NONE),
	OP(END, "end", NONE),
	OP(MOV, "mov", RD_RA),
	OP(LI, "li", RD_IMM),
	OP(LIH, "lih", RD_IMM),
	OP(SR, "sr", SR),
	OP(BARRIER, "barrier", NONE),
	OP(FENCE, "fence", NONE),

	OP(ADD, "add", ALU),
	OP(SUB, "sub", ALU),
	OP(MUL, "mul", ALU),
	OP(DIVU, "divu", ALU),
	OP(DIVS, "divs", ALU),
	OP(REMU, "remu", ALU),
	OP(AND, "and", ALU),
	OP(OR, "or", ALU),
	OP(XOR, "xor", ALU),
	OP(SHL, "shl", ALU),
	OP(SHR, "shr", ALU),
	OP(SAR, "sar", ALU),
	OP(SLT, "slt", ALU),
	OP(SLTU, "sltu", ALU),
	OP(SEQ, "seq", ALU),
	OP(ADD32, "add32", ALU),
	OP(SUB32, "sub32", ALU),
	OP(MUL32, "mul32", ALU),
	OP(REMS, "rems", ALU),

	OP(ADDI, "addi", ALU_IMM),
	OP(MULI, "muli", ALU_IMM),
	OP(ANDI, "andi", ALU_IMM),
	OP(ORI, "ori", ALU_IMM),
	OP(XORI, "xori", ALU_IMM),
	OP(SHLI, "shli", ALU_IMM),
	OP(SHRI, "shri", ALU_IMM),
	OP(SARI, "sari", ALU_IMM),
	OP(SEXT32, "sext32", RD_RA),
	OP(ZEXT32, "zext32", RD_RA),

	OP(JR, "jr", JR),
	OP(JMP, "jmp", JMP),
	OP(BEQ, "beq", BRANCH),
	OP(BNE, "bne", BRANCH),
	OP(BLT, "blt", BRANCH),
	OP(BGE, "bge", BRANCH),
	OP(BLTU, "bltu", BRANCH),
	OP(BGEU, "bgeu", BRANCH),
	OP(JAL, "jal", JAL),

	OP(LD8, "ld8", LOAD),
	OP(LD16, "ld16", LOAD),
	OP(LD32, "ld32", LOAD),
	OP(LD64, "ld64", LOAD),
	OP(LDS8, "lds8", LOAD),
	OP(LDS16, "lds16", LOAD),
	OP(LDS32, "lds32", LOAD),
	OP(ST8, "st8", STORE),
	OP(ST16, "st16", STORE),
	OP(ST32, "st32", STORE),
	OP(ST64, "st64", STORE),

	OP(AADD32, "aadd32", ATOMIC),
	OP(AADD64, "aadd64", ATOMIC),
	OP(AXCHG32, "axchg32", ATOMIC),
	OP(AXCHG64, "axchg64", ATOMIC),
	OP(ACMPXCHG32, "acmpxchg32", ATOMIC),
	OP(ACMPXCHG64, "acmpxchg64", ATOMIC),
	OP(AMIN32, "amin32", ATOMIC),
	OP(AMAX32, "amax32", ATOMIC),
	OP(AMIN64, "amin64", ATOMIC),
	OP(AMAX64, "amax64", ATOMIC),
	OP(AMINU64, "aminu64", ATOMIC),
	OP(AMAXU64, "amaxu64", ATOMIC),
	OP(BCOPY, "bcopy", ALU),

	OP(FADD, "fadd", ALU),
	OP(FSUB, "fsub", ALU),
	OP(FMUL, "fmul", ALU),
	OP(FDIV, "fdiv", ALU),
	OP(FMIN, "fmin", ALU),
	OP(FMAX, "fmax", ALU),
	OP(FLT, "flt", ALU),
	OP(FEQ, "feq", ALU),
	OP(I2F, "i2f", RD_RA),
	OP(F2I, "f2i", RD_RA),
	OP(FMA, "fma", ALU),
	OP(FSQRT, "fsqrt", RD_RA),
	OP(FABS, "fabs", RD_RA),
	OP(FNEG, "fneg", RD_RA),

	OP(F2S32, "f2s32", CVT),
	OP(F2U32, "f2u32", CVT),
	OP(F2S64, "f2s64", CVT),
	OP(F2U64, "f2u64", CVT),
	OP(S322F, "s322f", CVT),
	OP(U322F, "u322f", CVT),
	OP(S642F, "s642f", CVT),
	OP(U642F, "u642f", CVT),

	OP(AAND32, "aand32", ATOMIC),
	OP(AAND64, "aand64", ATOMIC),
	OP(AOR32, "aor32", ATOMIC),
	OP(AOR64, "aor64", ATOMIC),
	OP(AXOR32, "axor32", ATOMIC),
	OP(AXOR64, "axor64", ATOMIC),
	OP(AMINU32, "aminu32", ATOMIC),
	OP(AMAXU32, "amaxu32", ATOMIC),
};

#undef OP

static const char *const vsvm_sregs[] = {
	[DRM_VSVM_SREG_LANE_ID] = "lane_id",
	[DRM_VSVM_SREG_LANE_COUNT] = "lane_count",
	[DRM_VSVM_SREG_ENGINE_ID] = "engine_id",
	[DRM_VSVM_SREG_DEVICE_ID] = "device_id",
	[DRM_VSVM_SREG_LOCAL_ID_X] = "local_id_x",
	[DRM_VSVM_SREG_LOCAL_ID_Y] = "local_id_y",
	[DRM_VSVM_SREG_LOCAL_ID_Z] = "local_id_z",
	[DRM_VSVM_SREG_GROUP_ID_X] = "group_id_x",
	[DRM_VSVM_SREG_GROUP_ID_Y] = "group_id_y",
	[DRM_VSVM_SREG_GROUP_ID_Z] = "group_id_z",
	[DRM_VSVM_SREG_GROUP_SIZE_X] = "group_size_x",
	[DRM_VSVM_SREG_GROUP_SIZE_Y] = "group_size_y",
	[DRM_VSVM_SREG_GROUP_SIZE_Z] = "group_size_z",
	[DRM_VSVM_SREG_GROUP_COUNT_X] = "group_count_x",
	[DRM_VSVM_SREG_GROUP_COUNT_Y] = "group_count_y",
	[DRM_VSVM_SREG_GROUP_COUNT_Z] = "group_count_z",
	[DRM_VSVM_SREG_GLOBAL_OFFSET_X] = "global_offset_x",
	[DRM_VSVM_SREG_GLOBAL_OFFSET_Y] = "global_offset_y",
	[DRM_VSVM_SREG_GLOBAL_OFFSET_Z] = "global_offset_z",
	[DRM_VSVM_SREG_GLOBAL_ID_X] = "global_id_x",
	[DRM_VSVM_SREG_GLOBAL_ID_Y] = "global_id_y",
	[DRM_VSVM_SREG_GLOBAL_ID_Z] = "global_id_z",
	[DRM_VSVM_SREG_LOCAL_LINEAR_ID] = "local_linear_id",
	[DRM_VSVM_SREG_GROUP_LINEAR_ID] = "group_linear_id",
	[DRM_VSVM_SREG_GROUP_LANES] = "group_lanes",
	[DRM_VSVM_SREG_LOCAL_MEM_SIZE] = "local_mem_size",
	[DRM_VSVM_SREG_SCRATCH_SIZE] = "scratch_size",
};

static const char *const vsvm_rounds[] = {
	[DRM_VSVM_ROUND_NEAREST_EVEN] = "rne",
	[DRM_VSVM_ROUND_ZERO] = "rtz",
	[DRM_VSVM_ROUND_DOWN] = "rdn",
	[DRM_VSVM_ROUND_UP] = "rup",
};

const char *vsvm_op_name(unsigned int op)
{
	return op < DRM_VSVM_OP_COUNT ? vsvm_ops[op].name : NULL;
}

enum vsvm_op_class vsvm_op_class(unsigned int op)
{
	if (op >= DRM_VSVM_OP_COUNT || !vsvm_ops[op].name)
		return VSVM_CLASS_INVALID;
	return vsvm_ops[op].cls;
}

int vsvm_op_lookup(const char *name)
{
	for (unsigned int op = 0; op < DRM_VSVM_OP_COUNT; op++)
		if (vsvm_ops[op].name && !strcmp(vsvm_ops[op].name, name))
			return (int)op;
	return -ENOENT;
}

const char *vsvm_sreg_name(uint32_t sreg)
{
	return sreg < VSVM_NUM_SREGS ? vsvm_sregs[sreg] : NULL;
}

const char *vsvm_round_name(uint32_t mode)
{
	return mode < VSVM_NUM_ROUNDS ? vsvm_rounds[mode] : NULL;
}

/* Which of rd, ra, rb, imm does each class use? */
unsigned int vsvm_class_fields(enum vsvm_op_class cls)
{
	switch (cls) {
	case VSVM_CLASS_NONE:
		return 0;
	case VSVM_CLASS_RD_RA:
		return VSVM_F_RD | VSVM_F_RA;
	case VSVM_CLASS_RD_IMM:
	case VSVM_CLASS_SR:
		return VSVM_F_RD | VSVM_F_IMM;
	case VSVM_CLASS_ALU:
		return VSVM_F_RD | VSVM_F_RA | VSVM_F_RB;
	case VSVM_CLASS_ALU_IMM:
	case VSVM_CLASS_LOAD:
	case VSVM_CLASS_CVT:
		return VSVM_F_RD | VSVM_F_RA | VSVM_F_IMM;
	case VSVM_CLASS_JMP:
		return VSVM_F_IMM;
	case VSVM_CLASS_JAL:
		return VSVM_F_RD | VSVM_F_IMM;
	case VSVM_CLASS_JR:
		return VSVM_F_RA;
	case VSVM_CLASS_BRANCH:
	case VSVM_CLASS_STORE:
		return VSVM_F_RA | VSVM_F_RB | VSVM_F_IMM;
	case VSVM_CLASS_ATOMIC:
		return VSVM_F_RD | VSVM_F_RA | VSVM_F_RB | VSVM_F_IMM;
	case VSVM_CLASS_INVALID:
		break;
	}
	return 0;
}

int vsvm_insn_check(uint64_t insn)
{
	enum vsvm_op_class cls = vsvm_op_class(VSVM_INSN_OP(insn));
	unsigned int used = vsvm_class_fields(cls);
	unsigned int rd = VSVM_INSN_RD(insn), ra = VSVM_INSN_RA(insn);
	unsigned int rb = VSVM_INSN_RB(insn);
	int32_t imm = VSVM_INSN_IMM(insn);

	if (cls == VSVM_CLASS_INVALID)
		return -EINVAL;
	if ((used & VSVM_F_RD) ? rd >= DRM_VSVM_ISA_NUM_REGS : rd != 0)
		return -EINVAL;
	if ((used & VSVM_F_RA) ? ra >= DRM_VSVM_ISA_NUM_REGS : ra != 0)
		return -EINVAL;
	if ((used & VSVM_F_RB) ? rb >= DRM_VSVM_ISA_NUM_REGS : rb != 0)
		return -EINVAL;
	if (!(used & VSVM_F_IMM) && imm != 0)
		return -EINVAL;
	if (cls == VSVM_CLASS_SR && (uint32_t)imm >= VSVM_NUM_SREGS)
		return -EINVAL;
	if (cls == VSVM_CLASS_CVT && (uint32_t)imm >= VSVM_NUM_ROUNDS)
		return -EINVAL;
	return 0;
}

/*
 * Operand syntax of each class, shared by the assembler and the
 * disassembler: d/a/b = rd/ra/rb, i = imm, s = special register in imm,
 * m = memory operand [ra + imm], t = branch target in imm, r = rounding
 * mode in imm, ',' = comma.
 */
static const char *const vsvm_syntax[] = {
	[VSVM_CLASS_NONE] = "",
	[VSVM_CLASS_RD_RA] = "d,a",
	[VSVM_CLASS_RD_IMM] = "d,i",
	[VSVM_CLASS_SR] = "d,s",
	[VSVM_CLASS_ALU] = "d,a,b",
	[VSVM_CLASS_ALU_IMM] = "d,a,i",
	[VSVM_CLASS_JMP] = "t",
	[VSVM_CLASS_BRANCH] = "a,b,t",
	[VSVM_CLASS_LOAD] = "d,m",
	[VSVM_CLASS_STORE] = "m,b",
	[VSVM_CLASS_ATOMIC] = "d,m,b",
	[VSVM_CLASS_CVT] = "d,a,r",
	[VSVM_CLASS_JAL] = "d,t",
	[VSVM_CLASS_JR] = "a",
};

const char *vsvm_class_syntax(enum vsvm_op_class cls)
{
	return cls < VSVM_CLASS_INVALID ? vsvm_syntax[cls] : NULL;
}

/* Append to buf/len like snprintf, tracking the total length in *n. */
static void put(char *buf, size_t len, int *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t len, int *n, const char *fmt, ...)
{
	size_t used = (size_t)*n < len ? (size_t)*n : len;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf ? buf + used : NULL, buf ? len - used : 0, fmt, ap);
	va_end(ap);
	if (r > 0)
		*n += r;
}

int vsvm_disasm(uint64_t insn, char *buf, size_t len)
{
	unsigned int op = VSVM_INSN_OP(insn);
	int32_t imm = VSVM_INSN_IMM(insn);
	const char *syn;
	int n = 0;

	if (!len)
		buf = NULL;
	else
		buf[0] = '\0';
	if (vsvm_insn_check(insn)) {
		put(buf, len, &n, ".word 0x%016" PRIx64, insn);
		return n;
	}
	syn = vsvm_class_syntax(vsvm_op_class(op));
	put(buf, len, &n, "%s%s", vsvm_op_name(op), *syn ? " " : "");
	for (; *syn; syn++) {
		switch (*syn) {
		case 'd':
			put(buf, len, &n, "r%u", VSVM_INSN_RD(insn));
			break;
		case 'a':
			put(buf, len, &n, "r%u", VSVM_INSN_RA(insn));
			break;
		case 'b':
			put(buf, len, &n, "r%u", VSVM_INSN_RB(insn));
			break;
		case 'i':
			if (op == DRM_VSVM_OP_LIH)
				put(buf, len, &n, "0x%" PRIx32, (uint32_t)imm);
			else
				put(buf, len, &n, "%" PRId32, imm);
			break;
		case 's':
			put(buf, len, &n, "%s", vsvm_sreg_name((uint32_t)imm));
			break;
		case 'r':
			put(buf, len, &n, "%s", vsvm_round_name((uint32_t)imm));
			break;
		case 't':
			put(buf, len, &n, "%+" PRId32, imm);
			break;
		case 'm':
			put(buf, len, &n, "[r%u", VSVM_INSN_RA(insn));
			if (imm > 0)
				put(buf, len, &n, " + %" PRId32 "]", imm);
			else if (imm < 0)
				put(buf, len, &n, " - %" PRId64 "]", -(int64_t)imm);
			else
				put(buf, len, &n, "]");
			break;
		case ',':
			put(buf, len, &n, ", ");
			break;
		}
	}
	return n;
}
