// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The vsvm authors
 */

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/module.h>

#include <asm/fpu/api.h>

#include <kunit/visibility.h>

#include "vsvm_isa.h"
#include "vsvm_isa_fpu.h"

/**
 * DOC: ISA
 *
 * The engines of a vsvm device execute a small 64-bit register machine,
 * described instruction by instruction in ``Documentation/gpu/vsvm-isa.rst``
 * and encoded as in the uAPI header (``DOC: vsvm ISA encoding``).
 *
 * Registers
 *   Every invocation (a *lane*) has 32 general purpose 64-bit registers
 *   r0..r31, none hardwired, and a program counter counting instructions.
 *   DRM_IOCTL_VSVM_EXEC loads r0..r15 with the job's arguments, clears
 *   r16..r31 and starts at pc 0. Special registers (lane id, lane count,
 *   engine id, device id) are read-only and read with ``SR``.
 *
 * Lanes
 *   A job runs ``invocations`` lanes of the same program. Lanes share
 *   nothing but memory; the engine interleaves them, running each for a
 *   slice of instructions with vsvm_isa_run(), so lanes may synchronise
 *   through atomics (a lane spinning on a flag lets the others progress).
 *
 * Budget
 *   Each vsvm_isa_run() call executes at most the number of instructions
 *   it is given and returns %VSVM_ISA_STEPS when that runs out; the lane
 *   then continues where it stopped on the next call. A job also has a
 *   total instruction budget: when it is spent the job ends with
 *   %DRM_VSVM_JOB_BUDGET.
 *
 * Memory, faults and replay
 *   Memory operands are GPU virtual addresses ``ra + imm`` (wrapping,
 *   imm sign-extended) and must be naturally aligned. Every access goes
 *   through the engine's translate callback, which walks the device page
 *   table. A miss stops the lane with %VSVM_ISA_FAULT before the
 *   instruction has any effect: the pc still points at it and the fault
 *   record names the address and access type (read, write or atomic).
 *   The engine resolves the fault (HMM, migration) and calls
 *   vsvm_isa_run() again, which replays the instruction from scratch.
 *   A fault that cannot be resolved, or a misaligned access, ends the job
 *   with %DRM_VSVM_JOB_FAULTED. Loads and stores are single-copy atomic;
 *   atomic instructions are fully ordered read-modify-write operations on
 *   the target memory, coherent with CPU atomics on the same page.
 *   BCOPY (block copy, any alignment) runs in steps of at most one page;
 *   a fault stops it between steps, with rd, ra and rb describing what is
 *   left, and the replay resumes the copy there.
 *
 * Exceptions
 *   Division by zero (DIVU, DIVS, REMU) and running off the program (the
 *   pc leaving [0, program size), e.g. a program without END on its last
 *   path) stop the lane with %VSVM_ISA_EXCEPTION; the job ends with
 *   %DRM_VSVM_JOB_EXCEPTION. The validator rejects everything it can see
 *   statically (unknown opcodes, bad registers, non-zero unused fields,
 *   branches leaving the program, unknown special registers) with
 *   -EINVAL before a job is queued.
 */

#define VSVM_ISA_OP_MASK	0xffu
#define VSVM_ISA_FIELD_MASK	0xffu
#define VSVM_ISA_RD_SHIFT	8
#define VSVM_ISA_RA_SHIFT	16
#define VSVM_ISA_RB_SHIFT	24
#define VSVM_ISA_IMM_SHIFT	32

/* Operand use of an opcode, see vsvm_isa_ops[]. */
#define VSVM_ISA_VALID		BIT(0)	/* the opcode exists */
#define VSVM_ISA_USE_RD		BIT(1)
#define VSVM_ISA_USE_RA		BIT(2)
#define VSVM_ISA_USE_RB		BIT(3)
#define VSVM_ISA_USE_IMM	BIT(4)
#define VSVM_ISA_IMM_SREG	BIT(5)	/* imm is an enum vsvm_isa_sreg */
#define VSVM_ISA_IMM_BRANCH	BIT(6)	/* imm is a pc-relative target */

/* Operand classes. */
#define VSVM_ISA_NONE	VSVM_ISA_VALID
#define VSVM_ISA_DA	(VSVM_ISA_VALID | VSVM_ISA_USE_RD | VSVM_ISA_USE_RA)
#define VSVM_ISA_DI	(VSVM_ISA_VALID | VSVM_ISA_USE_RD | VSVM_ISA_USE_IMM)
#define VSVM_ISA_DS	(VSVM_ISA_DI | VSVM_ISA_IMM_SREG)
#define VSVM_ISA_DAB	(VSVM_ISA_DA | VSVM_ISA_USE_RB)
#define VSVM_ISA_DAI	(VSVM_ISA_DA | VSVM_ISA_USE_IMM)
#define VSVM_ISA_J	(VSVM_ISA_VALID | VSVM_ISA_USE_IMM | VSVM_ISA_IMM_BRANCH)
#define VSVM_ISA_BR	(VSVM_ISA_J | VSVM_ISA_USE_RA | VSVM_ISA_USE_RB)
#define VSVM_ISA_ST	(VSVM_ISA_VALID | VSVM_ISA_USE_RA | VSVM_ISA_USE_RB | \
			 VSVM_ISA_USE_IMM)
#define VSVM_ISA_AT	(VSVM_ISA_DAB | VSVM_ISA_USE_IMM)

/**
 * struct vsvm_isa_opinfo - static description of an opcode
 * @operands: VSVM_ISA_* operand use flags; zero for an unknown opcode.
 * @size: bytes accessed by a memory instruction, else zero.
 * @access: DRM_VSVM_ACCESS_* of a memory instruction, else zero.
 */
struct vsvm_isa_opinfo {
	u8 operands;
	u8 size;
	u8 access;
};

#define VSVM_ISA_OP(op_, operands_) \
	[VSVM_OP_##op_] = { .operands = (operands_) }
#define VSVM_ISA_MEM(op_, operands_, size_, access_) \
	[VSVM_OP_##op_] = { .operands = (operands_), .size = (size_), \
			    .access = DRM_VSVM_ACCESS_##access_ }

static const struct vsvm_isa_opinfo vsvm_isa_ops[VSVM_OP_COUNT] = {
	VSVM_ISA_OP(NOP, VSVM_ISA_NONE),
	VSVM_ISA_OP(END, VSVM_ISA_NONE),
	VSVM_ISA_OP(MOV, VSVM_ISA_DA),
	VSVM_ISA_OP(LI, VSVM_ISA_DI),
	VSVM_ISA_OP(LIH, VSVM_ISA_DI),
	VSVM_ISA_OP(SR, VSVM_ISA_DS),

	VSVM_ISA_OP(ADD, VSVM_ISA_DAB),
	VSVM_ISA_OP(SUB, VSVM_ISA_DAB),
	VSVM_ISA_OP(MUL, VSVM_ISA_DAB),
	VSVM_ISA_OP(DIVU, VSVM_ISA_DAB),
	VSVM_ISA_OP(DIVS, VSVM_ISA_DAB),
	VSVM_ISA_OP(REMU, VSVM_ISA_DAB),
	VSVM_ISA_OP(AND, VSVM_ISA_DAB),
	VSVM_ISA_OP(OR, VSVM_ISA_DAB),
	VSVM_ISA_OP(XOR, VSVM_ISA_DAB),
	VSVM_ISA_OP(SHL, VSVM_ISA_DAB),
	VSVM_ISA_OP(SHR, VSVM_ISA_DAB),
	VSVM_ISA_OP(SAR, VSVM_ISA_DAB),
	VSVM_ISA_OP(SLT, VSVM_ISA_DAB),
	VSVM_ISA_OP(SLTU, VSVM_ISA_DAB),
	VSVM_ISA_OP(SEQ, VSVM_ISA_DAB),
	VSVM_ISA_OP(ADD32, VSVM_ISA_DAB),
	VSVM_ISA_OP(SUB32, VSVM_ISA_DAB),
	VSVM_ISA_OP(MUL32, VSVM_ISA_DAB),

	VSVM_ISA_OP(ADDI, VSVM_ISA_DAI),
	VSVM_ISA_OP(MULI, VSVM_ISA_DAI),
	VSVM_ISA_OP(ANDI, VSVM_ISA_DAI),
	VSVM_ISA_OP(ORI, VSVM_ISA_DAI),
	VSVM_ISA_OP(XORI, VSVM_ISA_DAI),
	VSVM_ISA_OP(SHLI, VSVM_ISA_DAI),
	VSVM_ISA_OP(SHRI, VSVM_ISA_DAI),
	VSVM_ISA_OP(SARI, VSVM_ISA_DAI),
	VSVM_ISA_OP(SEXT32, VSVM_ISA_DA),
	VSVM_ISA_OP(ZEXT32, VSVM_ISA_DA),

	VSVM_ISA_OP(JMP, VSVM_ISA_J),
	VSVM_ISA_OP(BEQ, VSVM_ISA_BR),
	VSVM_ISA_OP(BNE, VSVM_ISA_BR),
	VSVM_ISA_OP(BLT, VSVM_ISA_BR),
	VSVM_ISA_OP(BGE, VSVM_ISA_BR),
	VSVM_ISA_OP(BLTU, VSVM_ISA_BR),
	VSVM_ISA_OP(BGEU, VSVM_ISA_BR),

	VSVM_ISA_MEM(LD8, VSVM_ISA_DAI, 1, READ),
	VSVM_ISA_MEM(LD16, VSVM_ISA_DAI, 2, READ),
	VSVM_ISA_MEM(LD32, VSVM_ISA_DAI, 4, READ),
	VSVM_ISA_MEM(LD64, VSVM_ISA_DAI, 8, READ),
	VSVM_ISA_MEM(LDS8, VSVM_ISA_DAI, 1, READ),
	VSVM_ISA_MEM(LDS16, VSVM_ISA_DAI, 2, READ),
	VSVM_ISA_MEM(LDS32, VSVM_ISA_DAI, 4, READ),
	VSVM_ISA_MEM(ST8, VSVM_ISA_ST, 1, WRITE),
	VSVM_ISA_MEM(ST16, VSVM_ISA_ST, 2, WRITE),
	VSVM_ISA_MEM(ST32, VSVM_ISA_ST, 4, WRITE),
	VSVM_ISA_MEM(ST64, VSVM_ISA_ST, 8, WRITE),

	VSVM_ISA_MEM(AADD32, VSVM_ISA_AT, 4, ATOMIC),
	VSVM_ISA_MEM(AADD64, VSVM_ISA_AT, 8, ATOMIC),
	VSVM_ISA_MEM(AXCHG32, VSVM_ISA_AT, 4, ATOMIC),
	VSVM_ISA_MEM(AXCHG64, VSVM_ISA_AT, 8, ATOMIC),
	VSVM_ISA_MEM(ACMPXCHG32, VSVM_ISA_AT, 4, ATOMIC),
	VSVM_ISA_MEM(ACMPXCHG64, VSVM_ISA_AT, 8, ATOMIC),
	VSVM_ISA_MEM(AMIN32, VSVM_ISA_AT, 4, ATOMIC),
	VSVM_ISA_MEM(AMAX32, VSVM_ISA_AT, 4, ATOMIC),
	VSVM_ISA_MEM(AMIN64, VSVM_ISA_AT, 8, ATOMIC),
	VSVM_ISA_MEM(AMAX64, VSVM_ISA_AT, 8, ATOMIC),
	VSVM_ISA_MEM(AMINU64, VSVM_ISA_AT, 8, ATOMIC),
	VSVM_ISA_MEM(AMAXU64, VSVM_ISA_AT, 8, ATOMIC),
	VSVM_ISA_OP(BCOPY, VSVM_ISA_DAB),

	VSVM_ISA_OP(FADD, VSVM_ISA_DAB),
	VSVM_ISA_OP(FSUB, VSVM_ISA_DAB),
	VSVM_ISA_OP(FMUL, VSVM_ISA_DAB),
	VSVM_ISA_OP(FDIV, VSVM_ISA_DAB),
	VSVM_ISA_OP(FMIN, VSVM_ISA_DAB),
	VSVM_ISA_OP(FMAX, VSVM_ISA_DAB),
	VSVM_ISA_OP(FLT, VSVM_ISA_DAB),
	VSVM_ISA_OP(FEQ, VSVM_ISA_DAB),
	VSVM_ISA_OP(I2F, VSVM_ISA_DA),
	VSVM_ISA_OP(F2I, VSVM_ISA_DA),
};

static const struct vsvm_isa_opinfo *vsvm_isa_opinfo(u8 op)
{
	if (op >= VSVM_OP_COUNT || !(vsvm_isa_ops[op].operands & VSVM_ISA_VALID))
		return NULL;
	return &vsvm_isa_ops[op];
}

static u8 vsvm_isa_op(u64 insn)
{
	return insn & VSVM_ISA_OP_MASK;
}

static u8 vsvm_isa_field(u64 insn, unsigned int shift)
{
	return (insn >> shift) & VSVM_ISA_FIELD_MASK;
}

static s32 vsvm_isa_imm(u64 insn)
{
	return (s32)upper_32_bits(insn);
}

/* True if the branch at @pc with offset @imm lands inside the program. */
static bool vsvm_isa_target(u32 pc, s32 imm, u32 count, u32 *target)
{
	s64 t = (s64)pc + 1 + imm;

	if (t < 0 || t >= count)
		return false;
	*target = t;
	return true;
}

static bool vsvm_isa_reg_ok(u64 insn, unsigned int shift, bool used)
{
	u8 reg = vsvm_isa_field(insn, shift);

	return used ? reg < VSVM_ISA_NUM_REGS : reg == 0;
}

static bool vsvm_isa_insn_ok(u64 insn, u32 pc, u32 count)
{
	const struct vsvm_isa_opinfo *info = vsvm_isa_opinfo(vsvm_isa_op(insn));
	s32 imm = vsvm_isa_imm(insn);
	u32 target;
	u8 use;

	if (!info)
		return false;
	use = info->operands;

	if (!vsvm_isa_reg_ok(insn, VSVM_ISA_RD_SHIFT, use & VSVM_ISA_USE_RD) ||
	    !vsvm_isa_reg_ok(insn, VSVM_ISA_RA_SHIFT, use & VSVM_ISA_USE_RA) ||
	    !vsvm_isa_reg_ok(insn, VSVM_ISA_RB_SHIFT, use & VSVM_ISA_USE_RB))
		return false;

	if (!(use & VSVM_ISA_USE_IMM))
		return imm == 0;
	if (use & VSVM_ISA_IMM_SREG)
		return imm >= VSVM_SREG_LANE_ID && imm <= VSVM_SREG_DEVICE_ID;
	if (use & VSVM_ISA_IMM_BRANCH)
		return vsvm_isa_target(pc, imm, count, &target);
	return true;
}

/**
 * vsvm_isa_validate - check a program before it is queued
 * @prog: the instructions.
 * @count: number of instructions in @prog.
 * @bad_pc: out, on error the index of the first rejected instruction (0
 *	for an empty program).
 *
 * Rejects unknown opcodes, register fields of 32 or more, non-zero fields
 * an opcode does not use, special register numbers outside
 * &enum vsvm_isa_sreg and branches whose target leaves [0, @count). A valid
 * program can still run off its end or divide by zero: those are
 * exceptions at run time.
 *
 * Context: Any context.
 * Return: 0 if the program is valid, -EINVAL otherwise.
 */
int vsvm_isa_validate(const u64 *prog, u32 count, u32 *bad_pc)
{
	u32 pc;

	if (!count) {
		*bad_pc = 0;
		return -EINVAL;
	}

	for (pc = 0; pc < count; pc++) {
		if (!vsvm_isa_insn_ok(prog[pc], pc, count)) {
			*bad_pc = pc;
			return -EINVAL;
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_isa_validate);

/*
 * Translate the operand of a memory instruction. Returns the kernel pointer
 * or NULL after filling @fault.
 */
static void *vsvm_isa_mem(const struct vsvm_isa_env *env, u64 addr,
			  const struct vsvm_isa_opinfo *info,
			  struct vsvm_isa_fault *fault)
{
	void *p = ERR_PTR(-EFAULT);

	if (IS_ALIGNED(addr, info->size)) {
		p = env->translate(env->priv, addr, info->size, info->access);
		/* The atomics below need an aligned kernel pointer too. */
		if (!IS_ERR(p) && (!p || !IS_ALIGNED((unsigned long)p, info->size)))
			p = ERR_PTR(-EFAULT);
	}
	if (!IS_ERR(p))
		return p;

	fault->addr = addr;
	fault->access = info->access;
	fault->err = PTR_ERR(p);
	return NULL;
}

static u64 vsvm_isa_load(u8 op, const void *p)
{
	switch (op) {
	case VSVM_OP_LD8:
		return READ_ONCE(*(const u8 *)p);
	case VSVM_OP_LD16:
		return READ_ONCE(*(const u16 *)p);
	case VSVM_OP_LD32:
		return READ_ONCE(*(const u32 *)p);
	case VSVM_OP_LD64:
		return READ_ONCE(*(const u64 *)p);
	case VSVM_OP_LDS8:
		return sign_extend64(READ_ONCE(*(const u8 *)p), 7);
	case VSVM_OP_LDS16:
		return sign_extend64(READ_ONCE(*(const u16 *)p), 15);
	default: /* VSVM_OP_LDS32 */
		return sign_extend64(READ_ONCE(*(const u32 *)p), 31);
	}
}

static void vsvm_isa_store(u8 op, void *p, u64 val)
{
	switch (op) {
	case VSVM_OP_ST8:
		WRITE_ONCE(*(u8 *)p, (u8)val);
		break;
	case VSVM_OP_ST16:
		WRITE_ONCE(*(u16 *)p, (u16)val);
		break;
	case VSVM_OP_ST32:
		WRITE_ONCE(*(u32 *)p, lower_32_bits(val));
		break;
	default: /* VSVM_OP_ST64 */
		WRITE_ONCE(*(u64 *)p, val);
		break;
	}
}

/* 32-bit atomics: returns the old value, zero-extended. */
static u64 vsvm_isa_atomic32(u8 op, void *p, u64 cmp, u64 src)
{
	atomic_t *v = p;
	int val = (int)lower_32_bits(src);
	int old;

	switch (op) {
	case VSVM_OP_AADD32:
		old = atomic_fetch_add(val, v);
		break;
	case VSVM_OP_AXCHG32:
		old = atomic_xchg(v, val);
		break;
	case VSVM_OP_ACMPXCHG32:
		old = atomic_cmpxchg(v, (int)lower_32_bits(cmp), val);
		break;
	case VSVM_OP_AMIN32:
		old = atomic_read(v);
		do {
			if (old <= val)
				break;
		} while (!atomic_try_cmpxchg(v, &old, val));
		break;
	default: /* VSVM_OP_AMAX32 */
		old = atomic_read(v);
		do {
			if (old >= val)
				break;
		} while (!atomic_try_cmpxchg(v, &old, val));
		break;
	}
	return (u32)old;
}

/* 64-bit atomics: returns the old value. */
static u64 vsvm_isa_atomic64(u8 op, void *p, u64 cmp, u64 src)
{
	atomic64_t *v = p;
	s64 val = (s64)src;
	s64 old;

	switch (op) {
	case VSVM_OP_AADD64:
		old = atomic64_fetch_add(val, v);
		break;
	case VSVM_OP_AXCHG64:
		old = atomic64_xchg(v, val);
		break;
	case VSVM_OP_ACMPXCHG64:
		old = atomic64_cmpxchg(v, (s64)cmp, val);
		break;
	case VSVM_OP_AMIN64:
		old = atomic64_read(v);
		do {
			if (old <= val)
				break;
		} while (!atomic64_try_cmpxchg(v, &old, val));
		break;
	case VSVM_OP_AMAX64:
		old = atomic64_read(v);
		do {
			if (old >= val)
				break;
		} while (!atomic64_try_cmpxchg(v, &old, val));
		break;
	case VSVM_OP_AMINU64:
		old = atomic64_read(v);
		do {
			if ((u64)old <= src)
				break;
		} while (!atomic64_try_cmpxchg(v, &old, val));
		break;
	default: /* VSVM_OP_AMAXU64 */
		old = atomic64_read(v);
		do {
			if ((u64)old >= src)
				break;
		} while (!atomic64_try_cmpxchg(v, &old, val));
		break;
	}
	return (u64)old;
}

static u64 vsvm_isa_sreg(const struct vsvm_isa_env *env,
			 const struct vsvm_lane *lane, s32 sreg)
{
	switch (sreg) {
	case VSVM_SREG_LANE_ID:
		return lane->lane_id;
	case VSVM_SREG_LANE_COUNT:
		return env->lane_count;
	case VSVM_SREG_ENGINE_ID:
		return env->engine_id;
	case VSVM_SREG_DEVICE_ID:
		return env->device_id;
	default:
		return 0;
	}
}

static u64 vsvm_isa_fpu(u8 op, u64 a, u64 b)
{
	u32 res;

	kernel_fpu_begin();
	switch (op) {
	case VSVM_OP_I2F:
		res = vsvm_fpu_i2f((s32)lower_32_bits(a));
		break;
	case VSVM_OP_F2I:
		res = vsvm_fpu_f2i(lower_32_bits(a));
		break;
	default:
		res = vsvm_fpu_binop(op, lower_32_bits(a), lower_32_bits(b));
		break;
	}
	kernel_fpu_end();

	if (op == VSVM_OP_F2I)
		return sign_extend64(res, 31);
	return res;
}

/*
 * Integer operations taking ra and rb (or the sign-extended imm as rb).
 * Returns false on division by zero.
 */
static bool vsvm_isa_alu(u8 op, u64 a, u64 b, u64 *res)
{
	u64 rem;

	switch (op) {
	case VSVM_OP_ADD:
	case VSVM_OP_ADDI:
		*res = a + b;
		break;
	case VSVM_OP_SUB:
		*res = a - b;
		break;
	case VSVM_OP_MUL:
	case VSVM_OP_MULI:
		*res = a * b;
		break;
	case VSVM_OP_DIVU:
		if (!b)
			return false;
		*res = div64_u64(a, b);
		break;
	case VSVM_OP_DIVS:
		if (!b)
			return false;
		/* S64_MIN / -1 traps on x86: negate, wrapping. */
		if ((s64)b == -1)
			*res = -a;
		else
			*res = div64_s64((s64)a, (s64)b);
		break;
	case VSVM_OP_REMU:
		if (!b)
			return false;
		div64_u64_rem(a, b, &rem);
		*res = rem;
		break;
	case VSVM_OP_AND:
	case VSVM_OP_ANDI:
		*res = a & b;
		break;
	case VSVM_OP_OR:
	case VSVM_OP_ORI:
		*res = a | b;
		break;
	case VSVM_OP_XOR:
	case VSVM_OP_XORI:
		*res = a ^ b;
		break;
	case VSVM_OP_SHL:
	case VSVM_OP_SHLI:
		*res = a << (b & 63);
		break;
	case VSVM_OP_SHR:
	case VSVM_OP_SHRI:
		*res = a >> (b & 63);
		break;
	case VSVM_OP_SAR:
	case VSVM_OP_SARI:
		*res = (u64)((s64)a >> (b & 63));
		break;
	case VSVM_OP_SLT:
		*res = (s64)a < (s64)b;
		break;
	case VSVM_OP_SLTU:
		*res = a < b;
		break;
	case VSVM_OP_SEQ:
		*res = a == b;
		break;
	case VSVM_OP_ADD32:
		*res = lower_32_bits(a + b);
		break;
	case VSVM_OP_SUB32:
		*res = lower_32_bits(a - b);
		break;
	case VSVM_OP_MUL32:
		*res = lower_32_bits(a * b);
		break;
	case VSVM_OP_SEXT32:
		*res = sign_extend64(a, 31);
		break;
	default: /* VSVM_OP_ZEXT32 */
		*res = lower_32_bits(a);
		break;
	}
	return true;
}

static bool vsvm_isa_branch_taken(u8 op, u64 a, u64 b)
{
	switch (op) {
	case VSVM_OP_JMP:
		return true;
	case VSVM_OP_BEQ:
		return a == b;
	case VSVM_OP_BNE:
		return a != b;
	case VSVM_OP_BLT:
		return (s64)a < (s64)b;
	case VSVM_OP_BGE:
		return (s64)a >= (s64)b;
	case VSVM_OP_BLTU:
		return a < b;
	default: /* VSVM_OP_BGEU */
		return a >= b;
	}
}

/* Translate @addr for @size bytes of @access, or fill @fault. */
static void *vsvm_isa_translate(const struct vsvm_isa_env *env, u64 addr, u32 size,
				u32 access, struct vsvm_isa_fault *fault)
{
	void *p = env->translate(env->priv, addr, size, access);

	if (!IS_ERR_OR_NULL(p))
		return p;
	fault->addr = addr;
	fault->access = access;
	fault->err = p ? PTR_ERR(p) : -EFAULT;
	return NULL;
}

/*
 * One step of BCOPY: copy up to the next page boundary of the source or
 * the destination. Returns false with @fault filled, and no effect, if
 * either page is not accessible.
 */
static bool vsvm_isa_bcopy(const struct vsvm_isa_env *env, struct vsvm_lane *lane,
			   u8 rd, u8 ra, u8 rb, struct vsvm_isa_fault *fault)
{
	u64 *r = lane->regs, dst = r[rd], src = r[ra], left = r[rb], n;
	void *s, *d;

	if (left) {
		n = min3(left, (u64)(PAGE_SIZE - (src & ~PAGE_MASK)),
			 (u64)(PAGE_SIZE - (dst & ~PAGE_MASK)));
		s = vsvm_isa_translate(env, src, n, DRM_VSVM_ACCESS_READ, fault);
		if (!s)
			return false;
		d = vsvm_isa_translate(env, dst, n, DRM_VSVM_ACCESS_WRITE, fault);
		if (!d)
			return false;
		/*
		 * memmove() only when the bytes overlap: it is "rep movsb" on
		 * ERMS CPUs, which emulators such as QEMU's TCG run several
		 * times slower than memcpy()'s loop.
		 */
		if (d + n <= s || s + n <= d)
			memcpy(d, s, n);
		else
			memmove(d, s, n);
		r[rd] = dst + n;
		r[ra] = src + n;
		r[rb] = left - n;
	}
	if (!r[rb])
		lane->pc++;
	return true;
}

/*
 * Execute the instruction at lane->pc. Returns true if it completed (the
 * pc has moved on), false with *stop set if the lane must stop.
 */
static bool vsvm_isa_step(const struct vsvm_isa_env *env, const u64 *prog,
			  u32 count, struct vsvm_lane *lane,
			  struct vsvm_isa_fault *fault,
			  enum vsvm_isa_stop *stop)
{
	const struct vsvm_isa_opinfo *info;
	u64 insn, *r = lane->regs;
	u32 next = lane->pc + 1;
	u8 op, rd, ra, rb;
	u64 a, b, val;
	void *p;
	s32 imm;

	if (lane->pc >= count) {
		*stop = VSVM_ISA_EXCEPTION;
		return false;
	}
	insn = prog[lane->pc];
	op = vsvm_isa_op(insn);
	info = vsvm_isa_opinfo(op);
	if (!info) {
		*stop = VSVM_ISA_EXCEPTION;
		return false;
	}
	/* Validated programs have registers below 32; stay memory safe. */
	rd = vsvm_isa_field(insn, VSVM_ISA_RD_SHIFT) % VSVM_ISA_NUM_REGS;
	ra = vsvm_isa_field(insn, VSVM_ISA_RA_SHIFT) % VSVM_ISA_NUM_REGS;
	rb = vsvm_isa_field(insn, VSVM_ISA_RB_SHIFT) % VSVM_ISA_NUM_REGS;
	imm = vsvm_isa_imm(insn);
	a = r[ra];
	b = (info->operands & VSVM_ISA_USE_RB) ? r[rb] : (u64)(s64)imm;

	if (info->access) {
		p = vsvm_isa_mem(env, a + (u64)(s64)imm, info, fault);
		if (!p) {
			*stop = VSVM_ISA_FAULT;
			return false;
		}
		if (info->access == DRM_VSVM_ACCESS_READ)
			r[rd] = vsvm_isa_load(op, p);
		else if (info->access == DRM_VSVM_ACCESS_WRITE)
			vsvm_isa_store(op, p, b);
		else if (info->size == sizeof(u32))
			r[rd] = vsvm_isa_atomic32(op, p, r[rd], b);
		else
			r[rd] = vsvm_isa_atomic64(op, p, r[rd], b);
		lane->pc = next;
		return true;
	}

	switch (op) {
	case VSVM_OP_NOP:
		break;
	case VSVM_OP_END:
		*stop = VSVM_ISA_END;
		return false;
	case VSVM_OP_MOV:
		r[rd] = a;
		break;
	case VSVM_OP_LI:
		r[rd] = (u64)(s64)imm;
		break;
	case VSVM_OP_LIH:
		r[rd] = lower_32_bits(r[rd]) | ((u64)(u32)imm << 32);
		break;
	case VSVM_OP_SR:
		r[rd] = vsvm_isa_sreg(env, lane, imm);
		break;
	case VSVM_OP_JMP:
	case VSVM_OP_BEQ ... VSVM_OP_BGEU:
		if (vsvm_isa_branch_taken(op, a, b) &&
		    !vsvm_isa_target(lane->pc, imm, count, &next)) {
			*stop = VSVM_ISA_EXCEPTION;
			return false;
		}
		break;
	case VSVM_OP_FADD ... VSVM_OP_F2I:
		r[rd] = vsvm_isa_fpu(op, a, b);
		break;
	case VSVM_OP_BCOPY:
		/* Moves the pc itself: it repeats until rb is zero. */
		if (!vsvm_isa_bcopy(env, lane, rd, ra, rb, fault)) {
			*stop = VSVM_ISA_FAULT;
			return false;
		}
		return true;
	default:
		if (!vsvm_isa_alu(op, a, b, &val)) {
			*stop = VSVM_ISA_EXCEPTION;
			return false;
		}
		r[rd] = val;
		break;
	}
	lane->pc = next;
	return true;
}

/**
 * vsvm_isa_run - run one lane of a validated program
 * @env: translate callback and special register values.
 * @prog: the instructions, accepted by vsvm_isa_validate().
 * @count: number of instructions in @prog.
 * @lane: the lane's registers and pc, updated in place.
 * @max_steps: largest number of instructions to execute.
 * @steps: out, number of instructions executed (END counts, an instruction
 *	that faulted or raised an exception does not).
 * @fault: out, filled when %VSVM_ISA_FAULT is returned.
 *
 * Executes instructions from @lane->pc until the lane ends, faults, raises
 * an exception or has executed @max_steps instructions. On
 * %VSVM_ISA_FAULT the instruction has had no effect and @lane->pc still
 * points at it: calling vsvm_isa_run() again after the fault is resolved
 * replays it. @fault->err is the translate callback's error, or -EFAULT
 * for a misaligned address. On %VSVM_ISA_END and %VSVM_ISA_EXCEPTION the
 * pc points at the END or at the offending instruction.
 *
 * Context: Any context where the FPU may be used (process context, or a
 * caller that checked irq_fpu_usable()); float instructions briefly
 * disable preemption. @env->translate is called with whatever locks the
 * caller holds.
 * Return: why the lane stopped, see &enum vsvm_isa_stop.
 */
enum vsvm_isa_stop
vsvm_isa_run(const struct vsvm_isa_env *env, const u64 *prog, u32 count,
	     struct vsvm_lane *lane, u64 max_steps, u64 *steps,
	     struct vsvm_isa_fault *fault)
{
	enum vsvm_isa_stop stop = VSVM_ISA_STEPS;
	u64 done = 0;

	while (done < max_steps) {
		if (!vsvm_isa_step(env, prog, count, lane, fault, &stop)) {
			if (stop == VSVM_ISA_END)
				done++;
			break;
		}
		done++;
	}
	*steps = done;
	return stop;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_isa_run);
