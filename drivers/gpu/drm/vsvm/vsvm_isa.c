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
 *   r16..r31 and starts at pc 0. Special registers (lane, group and global
 *   ids per dimension, sizes and counts, engine id, device id, memory
 *   sizes) are read-only and read with ``SR``.
 *
 * Lanes and work-groups
 *   A job runs its lanes as a grid of work-groups (ISA version 3), or as
 *   ``invocations`` lanes that each form a group of one (a flat job). The
 *   engine interleaves the lanes of a group (of a wave of 32 in a flat
 *   job), running each for a slice of instructions with vsvm_isa_run(), so
 *   lanes may synchronise through atomics. BARRIER stops a lane with
 *   %VSVM_ISA_BARRIER; the caller keeps it waiting until its whole group
 *   arrived, with the state machine of vsvm_isa_group_barrier(), which
 *   reports instead of waiting forever when a barrier can never complete.
 *
 * Local and scratch memory
 *   Two fixed windows of the address space (%DRM_VSVM_ISA_LOCAL_BASE,
 *   %DRM_VSVM_ISA_SCRATCH_BASE) reach the work-group's local memory and the
 *   lane's scratch memory, which the engine passes in &struct vsvm_isa_env
 *   and &struct vsvm_lane; they never reach the translate callback. An
 *   access beyond their size stops the lane with -ERANGE.
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
 *   Division by zero (DIVU, DIVS, REMU, REMS) and running off the program
 *   (the pc leaving [0, program size), e.g. a program without END on its
 *   last path, or JR to such a target) stop the lane with
 *   %VSVM_ISA_EXCEPTION and a &enum drm_vsvm_exception_reason; the job
 *   ends with %DRM_VSVM_JOB_EXCEPTION. The validator rejects everything it can see
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
#define VSVM_ISA_IMM_SREG	BIT(5)	/* imm is an enum drm_vsvm_isa_sreg */
#define VSVM_ISA_IMM_BRANCH	BIT(6)	/* imm is a pc-relative target */
#define VSVM_ISA_IMM_ROUND	BIT(7)	/* imm is an enum drm_vsvm_isa_round */

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
#define VSVM_ISA_A	(VSVM_ISA_VALID | VSVM_ISA_USE_RA)
#define VSVM_ISA_DJ	(VSVM_ISA_J | VSVM_ISA_USE_RD)
#define VSVM_ISA_DAR	(VSVM_ISA_DAI | VSVM_ISA_IMM_ROUND)

#define VSVM_ISA_F32_SIGN	0x80000000u
#define VSVM_ISA_F32_EXP_SHIFT	23
#define VSVM_ISA_F32_MAN_BITS	24		/* with the implicit bit */
#define VSVM_ISA_F32_MAN_MASK	0x007fffffu
#define VSVM_ISA_F32_EXP_MAX	0xffu
#define VSVM_ISA_F32_BIAS	127
/* A binary32 value is its mantissa (with implicit bit) * 2^(exp - 150). */
#define VSVM_ISA_F32_EXP_UNIT	150

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
	[DRM_VSVM_OP_##op_] = { .operands = (operands_) }
#define VSVM_ISA_MEM(op_, operands_, size_, access_) \
	[DRM_VSVM_OP_##op_] = { .operands = (operands_), .size = (size_), \
			    .access = DRM_VSVM_ACCESS_##access_ }

static const struct vsvm_isa_opinfo vsvm_isa_ops[DRM_VSVM_OP_COUNT] = {
	VSVM_ISA_OP(NOP, VSVM_ISA_NONE),
	VSVM_ISA_OP(END, VSVM_ISA_NONE),
	VSVM_ISA_OP(MOV, VSVM_ISA_DA),
	VSVM_ISA_OP(LI, VSVM_ISA_DI),
	VSVM_ISA_OP(LIH, VSVM_ISA_DI),
	VSVM_ISA_OP(SR, VSVM_ISA_DS),
	VSVM_ISA_OP(BARRIER, VSVM_ISA_NONE),
	VSVM_ISA_OP(FENCE, VSVM_ISA_NONE),

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
	VSVM_ISA_OP(REMS, VSVM_ISA_DAB),

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

	VSVM_ISA_OP(JR, VSVM_ISA_A),
	VSVM_ISA_OP(JMP, VSVM_ISA_J),
	VSVM_ISA_OP(BEQ, VSVM_ISA_BR),
	VSVM_ISA_OP(BNE, VSVM_ISA_BR),
	VSVM_ISA_OP(BLT, VSVM_ISA_BR),
	VSVM_ISA_OP(BGE, VSVM_ISA_BR),
	VSVM_ISA_OP(BLTU, VSVM_ISA_BR),
	VSVM_ISA_OP(BGEU, VSVM_ISA_BR),
	VSVM_ISA_OP(JAL, VSVM_ISA_DJ),

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
	VSVM_ISA_OP(FMA, VSVM_ISA_DAB),
	VSVM_ISA_OP(FSQRT, VSVM_ISA_DA),
	VSVM_ISA_OP(FABS, VSVM_ISA_DA),
	VSVM_ISA_OP(FNEG, VSVM_ISA_DA),

	VSVM_ISA_OP(F2S32, VSVM_ISA_DAR),
	VSVM_ISA_OP(F2U32, VSVM_ISA_DAR),
	VSVM_ISA_OP(F2S64, VSVM_ISA_DAR),
	VSVM_ISA_OP(F2U64, VSVM_ISA_DAR),
	VSVM_ISA_OP(S322F, VSVM_ISA_DAR),
	VSVM_ISA_OP(U322F, VSVM_ISA_DAR),
	VSVM_ISA_OP(S642F, VSVM_ISA_DAR),
	VSVM_ISA_OP(U642F, VSVM_ISA_DAR),

	VSVM_ISA_MEM(AAND32, VSVM_ISA_AT, 4, ATOMIC),
	VSVM_ISA_MEM(AAND64, VSVM_ISA_AT, 8, ATOMIC),
	VSVM_ISA_MEM(AOR32, VSVM_ISA_AT, 4, ATOMIC),
	VSVM_ISA_MEM(AOR64, VSVM_ISA_AT, 8, ATOMIC),
	VSVM_ISA_MEM(AXOR32, VSVM_ISA_AT, 4, ATOMIC),
	VSVM_ISA_MEM(AXOR64, VSVM_ISA_AT, 8, ATOMIC),
	VSVM_ISA_MEM(AMINU32, VSVM_ISA_AT, 4, ATOMIC),
	VSVM_ISA_MEM(AMAXU32, VSVM_ISA_AT, 4, ATOMIC),
};

static const struct vsvm_isa_opinfo *vsvm_isa_opinfo(u8 op)
{
	if (op >= DRM_VSVM_OP_COUNT || !(vsvm_isa_ops[op].operands & VSVM_ISA_VALID))
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

	return used ? reg < DRM_VSVM_ISA_NUM_REGS : reg == 0;
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
		return imm >= DRM_VSVM_SREG_LANE_ID && imm < DRM_VSVM_SREG_COUNT;
	if (use & VSVM_ISA_IMM_ROUND)
		return imm >= DRM_VSVM_ROUND_NEAREST_EVEN && imm <= DRM_VSVM_ROUND_UP;
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
 * &enum drm_vsvm_isa_sreg, rounding modes outside &enum drm_vsvm_isa_round and
 * branches (and JAL) whose target leaves [0, @count). A valid program can
 * still run off its end, JR out of it, divide by zero or break a barrier:
 * those are exceptions at run time.
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
 * The local and scratch windows: a pointer into the work-group's local
 * memory or the lane's scratch memory, ERR_PTR(-ERANGE) beyond their size,
 * or NULL if @addr is not in a window.
 */
static void *vsvm_isa_window(const struct vsvm_isa_env *env,
			     const struct vsvm_lane *lane, u64 addr, u32 size)
{
	u64 off;

	if (addr < DRM_VSVM_ISA_LOCAL_BASE)
		return NULL;
	if (addr < DRM_VSVM_ISA_SCRATCH_BASE) {
		off = addr - DRM_VSVM_ISA_LOCAL_BASE;
		if (!env->local || off >= env->local_size ||
		    size > env->local_size - off)
			return ERR_PTR(-ERANGE);
		return env->local + off;
	}
	off = addr - DRM_VSVM_ISA_SCRATCH_BASE;
	if (!lane->scratch || off >= env->scratch_size ||
	    size > env->scratch_size - off)
		return ERR_PTR(-ERANGE);
	return lane->scratch + off;
}

/*
 * Global memory through the lane's inline translation cache or the
 * callback, or a window. Accesses never cross a page: they are aligned
 * and at most 8 bytes, or bounded by the page (BCOPY, straight-line runs).
 */
static void *vsvm_isa_access(const struct vsvm_isa_env *env,
			     struct vsvm_lane *lane, u64 addr, u32 size,
			     u32 access)
{
	void *p = vsvm_isa_window(env, lane, addr, size);
	u64 page = (addr >> PAGE_SHIFT) + 1, gen;

	if (p)
		return p;
	if (!env->tlb_gen)
		return env->translate(env->priv, addr, size, access);

	gen = READ_ONCE(*env->tlb_gen);
	if (lane->tc_page == page && lane->tc_gen == gen &&
	    (access == DRM_VSVM_ACCESS_READ || lane->tc_write))
		return lane->tc_kaddr + (addr & ~PAGE_MASK);
	p = env->translate(env->priv, addr, size, access);
	if (!IS_ERR_OR_NULL(p)) {
		lane->tc_page = page;
		lane->tc_gen = gen;
		lane->tc_kaddr = (u8 *)p - (addr & ~PAGE_MASK);
		lane->tc_write = access != DRM_VSVM_ACCESS_READ;
	}
	return p;
}

/**
 * vsvm_isa_group_init - start the barrier state of a work-group
 * @group: the state.
 * @lanes: lanes of the group, all runnable.
 *
 * Context: Any context.
 */
void vsvm_isa_group_init(struct vsvm_isa_group *group, u32 lanes)
{
	group->lanes = lanes;
	group->nwaiting = 0;
	group->nended = 0;
	group->barrier_pc = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_isa_group_init);

/**
 * vsvm_isa_group_barrier - a lane of @group executed the BARRIER at @pc
 * @group: the group's barrier state.
 * @pc: the BARRIER's instruction index.
 * @release: out, true if this lane was the last to arrive: every lane of
 *	the group (all waiting, this one included) continues.
 *
 * The lane waits (is not run) until @release is reported for the group.
 * Since a lane is either runnable, waiting or ended, a barrier that cannot
 * complete is known at once and reported instead of waiting forever.
 *
 * Context: Any context; the caller serialises calls for one group.
 * Return: %DRM_VSVM_EXC_NONE, or %DRM_VSVM_EXC_BARRIER_END if a lane of
 * the group ended, %DRM_VSVM_EXC_BARRIER_DIVERGENT if lanes wait at
 * another BARRIER.
 */
u32 vsvm_isa_group_barrier(struct vsvm_isa_group *group, u32 pc, bool *release)
{
	*release = false;
	if (group->nended)
		return DRM_VSVM_EXC_BARRIER_END;
	if (!group->nwaiting)
		group->barrier_pc = pc;
	else if (group->barrier_pc != pc)
		return DRM_VSVM_EXC_BARRIER_DIVERGENT;
	if (++group->nwaiting == group->lanes) {
		group->nwaiting = 0;
		*release = true;
	}
	return DRM_VSVM_EXC_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_isa_group_barrier);

/**
 * vsvm_isa_group_end - a lane of @group executed END
 * @group: the group's barrier state.
 *
 * Context: Any context; the caller serialises calls for one group.
 * Return: %DRM_VSVM_EXC_NONE, or %DRM_VSVM_EXC_BARRIER_END if other lanes
 * wait at a barrier this lane will never reach.
 */
u32 vsvm_isa_group_end(struct vsvm_isa_group *group)
{
	if (group->nwaiting)
		return DRM_VSVM_EXC_BARRIER_END;
	group->nended++;
	return DRM_VSVM_EXC_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_isa_group_end);

/*
 * Translate the operand of a memory instruction. Returns the kernel pointer
 * or NULL after filling @fault.
 */
static void *vsvm_isa_mem(const struct vsvm_isa_env *env,
			  struct vsvm_lane *lane, u64 addr,
			  const struct vsvm_isa_opinfo *info,
			  struct vsvm_isa_fault *fault)
{
	void *p = ERR_PTR(-EFAULT);

	if (IS_ALIGNED(addr, info->size)) {
		p = vsvm_isa_access(env, lane, addr, info->size, info->access);
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
	case DRM_VSVM_OP_LD8:
		return READ_ONCE(*(const u8 *)p);
	case DRM_VSVM_OP_LD16:
		return READ_ONCE(*(const u16 *)p);
	case DRM_VSVM_OP_LD32:
		return READ_ONCE(*(const u32 *)p);
	case DRM_VSVM_OP_LD64:
		return READ_ONCE(*(const u64 *)p);
	case DRM_VSVM_OP_LDS8:
		return sign_extend64(READ_ONCE(*(const u8 *)p), 7);
	case DRM_VSVM_OP_LDS16:
		return sign_extend64(READ_ONCE(*(const u16 *)p), 15);
	default: /* DRM_VSVM_OP_LDS32 */
		return sign_extend64(READ_ONCE(*(const u32 *)p), 31);
	}
}

static void vsvm_isa_store(u8 op, void *p, u64 val)
{
	switch (op) {
	case DRM_VSVM_OP_ST8:
		WRITE_ONCE(*(u8 *)p, (u8)val);
		break;
	case DRM_VSVM_OP_ST16:
		WRITE_ONCE(*(u16 *)p, (u16)val);
		break;
	case DRM_VSVM_OP_ST32:
		WRITE_ONCE(*(u32 *)p, lower_32_bits(val));
		break;
	default: /* DRM_VSVM_OP_ST64 */
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
	case DRM_VSVM_OP_AADD32:
		old = atomic_fetch_add(val, v);
		break;
	case DRM_VSVM_OP_AXCHG32:
		old = atomic_xchg(v, val);
		break;
	case DRM_VSVM_OP_ACMPXCHG32:
		old = atomic_cmpxchg(v, (int)lower_32_bits(cmp), val);
		break;
	case DRM_VSVM_OP_AMIN32:
		old = atomic_read(v);
		do {
			if (old <= val)
				break;
		} while (!atomic_try_cmpxchg(v, &old, val));
		break;
	case DRM_VSVM_OP_AMAX32:
		old = atomic_read(v);
		do {
			if (old >= val)
				break;
		} while (!atomic_try_cmpxchg(v, &old, val));
		break;
	case DRM_VSVM_OP_AAND32:
		old = atomic_fetch_and(val, v);
		break;
	case DRM_VSVM_OP_AOR32:
		old = atomic_fetch_or(val, v);
		break;
	case DRM_VSVM_OP_AXOR32:
		old = atomic_fetch_xor(val, v);
		break;
	case DRM_VSVM_OP_AMINU32:
		old = atomic_read(v);
		do {
			if ((u32)old <= (u32)val)
				break;
		} while (!atomic_try_cmpxchg(v, &old, val));
		break;
	default: /* DRM_VSVM_OP_AMAXU32 */
		old = atomic_read(v);
		do {
			if ((u32)old >= (u32)val)
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
	case DRM_VSVM_OP_AADD64:
		old = atomic64_fetch_add(val, v);
		break;
	case DRM_VSVM_OP_AXCHG64:
		old = atomic64_xchg(v, val);
		break;
	case DRM_VSVM_OP_ACMPXCHG64:
		old = atomic64_cmpxchg(v, (s64)cmp, val);
		break;
	case DRM_VSVM_OP_AMIN64:
		old = atomic64_read(v);
		do {
			if (old <= val)
				break;
		} while (!atomic64_try_cmpxchg(v, &old, val));
		break;
	case DRM_VSVM_OP_AMAX64:
		old = atomic64_read(v);
		do {
			if (old >= val)
				break;
		} while (!atomic64_try_cmpxchg(v, &old, val));
		break;
	case DRM_VSVM_OP_AMINU64:
		old = atomic64_read(v);
		do {
			if ((u64)old <= src)
				break;
		} while (!atomic64_try_cmpxchg(v, &old, val));
		break;
	case DRM_VSVM_OP_AAND64:
		old = atomic64_fetch_and(val, v);
		break;
	case DRM_VSVM_OP_AOR64:
		old = atomic64_fetch_or(val, v);
		break;
	case DRM_VSVM_OP_AXOR64:
		old = atomic64_fetch_xor(val, v);
		break;
	default: /* DRM_VSVM_OP_AMAXU64 */
		old = atomic64_read(v);
		do {
			if ((u64)old >= src)
				break;
		} while (!atomic64_try_cmpxchg(v, &old, val));
		break;
	}
	return (u64)old;
}

/* Component @dim of the linear index @lin in a box of @size. */
static u32 vsvm_isa_unlinear(u32 lin, const u32 *size, unsigned int dim)
{
	u32 sx = size[0] ?: 1, sy = size[1] ?: 1;

	switch (dim) {
	case 0:
		return lin % sx;
	case 1:
		return (lin / sx) % sy;
	default:
		return lin / sx / sy;
	}
}

static u64 vsvm_isa_sreg(const struct vsvm_isa_env *env,
			 const struct vsvm_lane *lane, s32 sreg)
{
	unsigned int dim;

	switch (sreg) {
	case DRM_VSVM_SREG_LANE_ID:
		return lane->lane_id;
	case DRM_VSVM_SREG_LANE_COUNT:
		return env->lane_count;
	case DRM_VSVM_SREG_ENGINE_ID:
		return env->engine_id;
	case DRM_VSVM_SREG_DEVICE_ID:
		return env->device_id;
	case DRM_VSVM_SREG_LOCAL_ID_X ... DRM_VSVM_SREG_LOCAL_ID_Z:
		return vsvm_isa_unlinear(lane->local_id, env->group_size,
					 sreg - DRM_VSVM_SREG_LOCAL_ID_X);
	case DRM_VSVM_SREG_GROUP_ID_X ... DRM_VSVM_SREG_GROUP_ID_Z:
		return vsvm_isa_unlinear(lane->group_id, env->group_count,
					 sreg - DRM_VSVM_SREG_GROUP_ID_X);
	case DRM_VSVM_SREG_GROUP_SIZE_X ... DRM_VSVM_SREG_GROUP_SIZE_Z:
		return env->group_size[sreg - DRM_VSVM_SREG_GROUP_SIZE_X];
	case DRM_VSVM_SREG_GROUP_COUNT_X ... DRM_VSVM_SREG_GROUP_COUNT_Z:
		return env->group_count[sreg - DRM_VSVM_SREG_GROUP_COUNT_X];
	case DRM_VSVM_SREG_GLOBAL_OFFSET_X ... DRM_VSVM_SREG_GLOBAL_OFFSET_Z:
		return env->global_offset[sreg - DRM_VSVM_SREG_GLOBAL_OFFSET_X];
	case DRM_VSVM_SREG_GLOBAL_ID_X ... DRM_VSVM_SREG_GLOBAL_ID_Z:
		dim = sreg - DRM_VSVM_SREG_GLOBAL_ID_X;
		return env->global_offset[dim] +
		       (u64)vsvm_isa_unlinear(lane->group_id, env->group_count, dim) *
		       env->group_size[dim] +
		       vsvm_isa_unlinear(lane->local_id, env->group_size, dim);
	case DRM_VSVM_SREG_LOCAL_LINEAR_ID:
		return lane->local_id;
	case DRM_VSVM_SREG_GROUP_LINEAR_ID:
		return lane->group_id;
	case DRM_VSVM_SREG_GROUP_LANES:
		return env->group_lanes;
	case DRM_VSVM_SREG_LOCAL_MEM_SIZE:
		return env->local_size;
	case DRM_VSVM_SREG_SCRATCH_SIZE:
		return env->scratch_size;
	default:
		return 0;
	}
}

/* Whether to add one to a magnitude truncated to @mag, given the rest. */
static bool vsvm_isa_round_up(u8 mode, bool neg, u64 mag, u64 rem, u64 half)
{
	switch (mode) {
	case DRM_VSVM_ROUND_NEAREST_EVEN:
		return rem > half || (rem == half && rem && (mag & 1));
	case DRM_VSVM_ROUND_DOWN:
		return neg && rem;
	case DRM_VSVM_ROUND_UP:
		return !neg && rem;
	default: /* DRM_VSVM_ROUND_ZERO */
		return false;
	}
}

/*
 * binary32 @f to an integer of @bits bits (32 or 64), signed or not,
 * rounded by @mode and saturated; NaN gives 0. Integer arithmetic only.
 */
static u64 vsvm_isa_f2int(u32 f, u8 mode, bool sign, unsigned int bits)
{
	u32 e = (f >> VSVM_ISA_F32_EXP_SHIFT) & VSVM_ISA_F32_EXP_MAX;
	u64 man = f & VSVM_ISA_F32_MAN_MASK, mag, rem = 0, half = 0;
	bool neg = f & VSVM_ISA_F32_SIGN, big = false;
	u64 max_pos = sign ? BIT_ULL(bits - 1) - 1 : GENMASK_ULL(bits - 1, 0);
	int shift;

	if (e == VSVM_ISA_F32_EXP_MAX) {
		if (man)
			return 0;	/* NaN */
		big = true;		/* infinity */
		mag = 0;
	} else {
		if (e)
			man |= BIT_ULL(VSVM_ISA_F32_MAN_BITS - 1);
		else
			e = 1;		/* denormal */
		shift = (int)e - VSVM_ISA_F32_EXP_UNIT;
		if (shift > 40) {
			/* man >= 2^23 shifted by 41 or more is >= 2^64 */
			big = true;
			mag = 0;
		} else if (shift >= 0) {
			mag = man << shift;
		} else if (shift > -VSVM_ISA_F32_MAN_BITS - 1) {
			mag = man >> -shift;
			rem = man & GENMASK_ULL(-shift - 1, 0);
			half = BIT_ULL(-shift - 1);
		} else {
			/* Below one half: only the sign of the rest matters. */
			mag = 0;
			rem = man;
			half = U64_MAX;
		}
		if (vsvm_isa_round_up(mode, neg, mag, rem, half))
			mag++;
	}

	if (!neg)
		return big || mag > max_pos ? max_pos : mag;
	if (!sign)
		return 0;
	if (big || mag > max_pos + 1)
		mag = max_pos + 1;
	return (-mag) & GENMASK_ULL(bits - 1, 0);
}

/* The integer -@mag (if @neg) or @mag to binary32, rounded by @mode. */
static u32 vsvm_isa_int2f(u64 mag, bool neg, u8 mode)
{
	u32 sign = neg ? VSVM_ISA_F32_SIGN : 0;
	unsigned int n, shift;
	u64 man, rem;

	if (!mag)
		return 0;
	n = fls64(mag);
	if (n <= VSVM_ISA_F32_MAN_BITS) {
		man = mag << (VSVM_ISA_F32_MAN_BITS - n);
	} else {
		shift = n - VSVM_ISA_F32_MAN_BITS;
		man = mag >> shift;
		rem = mag & GENMASK_ULL(shift - 1, 0);
		if (vsvm_isa_round_up(mode, neg, man, rem, BIT_ULL(shift - 1)))
			man++;
		if (man == BIT_ULL(VSVM_ISA_F32_MAN_BITS)) {
			man >>= 1;
			n++;
		}
	}
	return sign | (u32)(n - 1 + VSVM_ISA_F32_BIAS) << VSVM_ISA_F32_EXP_SHIFT |
	       (u32)(man & VSVM_ISA_F32_MAN_MASK);
}

/* The conversions F2S32 .. U642F; @mode is a validated rounding mode. */
static u64 vsvm_isa_cvt(u8 op, u64 a, u8 mode)
{
	u32 f = lower_32_bits(a);

	switch (op) {
	case DRM_VSVM_OP_F2S32:
		return sign_extend64(vsvm_isa_f2int(f, mode, true, 32), 31);
	case DRM_VSVM_OP_F2U32:
		return vsvm_isa_f2int(f, mode, false, 32);
	case DRM_VSVM_OP_F2S64:
		return vsvm_isa_f2int(f, mode, true, 64);
	case DRM_VSVM_OP_F2U64:
		return vsvm_isa_f2int(f, mode, false, 64);
	case DRM_VSVM_OP_S322F:
		return vsvm_isa_int2f(abs((s64)(s32)f), (s32)f < 0, mode);
	case DRM_VSVM_OP_U322F:
		return vsvm_isa_int2f(f, false, mode);
	case DRM_VSVM_OP_S642F:
		/* -(u64)a is the magnitude, also for INT64_MIN. */
		return (s64)a < 0 ? vsvm_isa_int2f(-a, true, mode) :
				    vsvm_isa_int2f(a, false, mode);
	default: /* DRM_VSVM_OP_U642F */
		return vsvm_isa_int2f(a, false, mode);
	}
}

static u64 vsvm_isa_fpu(u8 op, u64 a, u64 b, u64 c)
{
	u32 res;

	kernel_fpu_begin();
	switch (op) {
	case DRM_VSVM_OP_FMA:
		res = vsvm_fpu_fma(lower_32_bits(a), lower_32_bits(b), lower_32_bits(c));
		break;
	case DRM_VSVM_OP_FSQRT:
		res = vsvm_fpu_sqrt(lower_32_bits(a));
		break;
	case DRM_VSVM_OP_I2F:
		res = vsvm_fpu_i2f((s32)lower_32_bits(a));
		break;
	case DRM_VSVM_OP_F2I:
		res = vsvm_fpu_f2i(lower_32_bits(a));
		break;
	default:
		res = vsvm_fpu_binop(op, lower_32_bits(a), lower_32_bits(b));
		break;
	}
	kernel_fpu_end();

	if (op == DRM_VSVM_OP_F2I)
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
	case DRM_VSVM_OP_ADD:
	case DRM_VSVM_OP_ADDI:
		*res = a + b;
		break;
	case DRM_VSVM_OP_SUB:
		*res = a - b;
		break;
	case DRM_VSVM_OP_MUL:
	case DRM_VSVM_OP_MULI:
		*res = a * b;
		break;
	case DRM_VSVM_OP_DIVU:
		if (!b)
			return false;
		*res = div64_u64(a, b);
		break;
	case DRM_VSVM_OP_DIVS:
		if (!b)
			return false;
		/* S64_MIN / -1 traps on x86: negate, wrapping. */
		if ((s64)b == -1)
			*res = -a;
		else
			*res = div64_s64((s64)a, (s64)b);
		break;
	case DRM_VSVM_OP_REMU:
		if (!b)
			return false;
		div64_u64_rem(a, b, &rem);
		*res = rem;
		break;
	case DRM_VSVM_OP_REMS:
		if (!b)
			return false;
		/* S64_MIN % -1 traps on x86; any x % -1 is 0. */
		if ((s64)b == -1)
			*res = 0;
		else
			*res = a - (u64)div64_s64((s64)a, (s64)b) * b;
		break;
	case DRM_VSVM_OP_AND:
	case DRM_VSVM_OP_ANDI:
		*res = a & b;
		break;
	case DRM_VSVM_OP_OR:
	case DRM_VSVM_OP_ORI:
		*res = a | b;
		break;
	case DRM_VSVM_OP_XOR:
	case DRM_VSVM_OP_XORI:
		*res = a ^ b;
		break;
	case DRM_VSVM_OP_SHL:
	case DRM_VSVM_OP_SHLI:
		*res = a << (b & 63);
		break;
	case DRM_VSVM_OP_SHR:
	case DRM_VSVM_OP_SHRI:
		*res = a >> (b & 63);
		break;
	case DRM_VSVM_OP_SAR:
	case DRM_VSVM_OP_SARI:
		*res = (u64)((s64)a >> (b & 63));
		break;
	case DRM_VSVM_OP_SLT:
		*res = (s64)a < (s64)b;
		break;
	case DRM_VSVM_OP_SLTU:
		*res = a < b;
		break;
	case DRM_VSVM_OP_SEQ:
		*res = a == b;
		break;
	case DRM_VSVM_OP_ADD32:
		*res = lower_32_bits(a + b);
		break;
	case DRM_VSVM_OP_SUB32:
		*res = lower_32_bits(a - b);
		break;
	case DRM_VSVM_OP_MUL32:
		*res = lower_32_bits(a * b);
		break;
	case DRM_VSVM_OP_SEXT32:
		*res = sign_extend64(a, 31);
		break;
	default: /* DRM_VSVM_OP_ZEXT32 */
		*res = lower_32_bits(a);
		break;
	}
	return true;
}

static bool vsvm_isa_branch_taken(u8 op, u64 a, u64 b)
{
	switch (op) {
	case DRM_VSVM_OP_JMP:
		return true;
	case DRM_VSVM_OP_BEQ:
		return a == b;
	case DRM_VSVM_OP_BNE:
		return a != b;
	case DRM_VSVM_OP_BLT:
		return (s64)a < (s64)b;
	case DRM_VSVM_OP_BGE:
		return (s64)a >= (s64)b;
	case DRM_VSVM_OP_BLTU:
		return a < b;
	default: /* DRM_VSVM_OP_BGEU */
		return a >= b;
	}
}

/* Translate @addr for @size bytes of @access, or fill @fault. */
static void *vsvm_isa_translate(const struct vsvm_isa_env *env,
				struct vsvm_lane *lane, u64 addr, u32 size,
				u32 access, struct vsvm_isa_fault *fault)
{
	void *p = vsvm_isa_access(env, lane, addr, size, access);

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
		s = vsvm_isa_translate(env, lane, src, n, DRM_VSVM_ACCESS_READ, fault);
		if (!s)
			return false;
		d = vsvm_isa_translate(env, lane, dst, n, DRM_VSVM_ACCESS_WRITE, fault);
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

	if (lane->pc >= count)
		goto pc_range;
	insn = prog[lane->pc];
	op = vsvm_isa_op(insn);
	info = vsvm_isa_opinfo(op);
	if (!info) {
		fault->exception = DRM_VSVM_EXC_NONE;
		*stop = VSVM_ISA_EXCEPTION;
		return false;
	}
	/* Validated programs have registers below 32; stay memory safe. */
	rd = vsvm_isa_field(insn, VSVM_ISA_RD_SHIFT) % DRM_VSVM_ISA_NUM_REGS;
	ra = vsvm_isa_field(insn, VSVM_ISA_RA_SHIFT) % DRM_VSVM_ISA_NUM_REGS;
	rb = vsvm_isa_field(insn, VSVM_ISA_RB_SHIFT) % DRM_VSVM_ISA_NUM_REGS;
	imm = vsvm_isa_imm(insn);
	a = r[ra];
	b = (info->operands & VSVM_ISA_USE_RB) ? r[rb] : (u64)(s64)imm;

	if (info->access) {
		p = vsvm_isa_mem(env, lane, a + (u64)(s64)imm, info, fault);
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
	case DRM_VSVM_OP_NOP:
		break;
	case DRM_VSVM_OP_END:
		*stop = VSVM_ISA_END;
		return false;
	case DRM_VSVM_OP_MOV:
		r[rd] = a;
		break;
	case DRM_VSVM_OP_LI:
		r[rd] = (u64)(s64)imm;
		break;
	case DRM_VSVM_OP_LIH:
		r[rd] = lower_32_bits(r[rd]) | ((u64)(u32)imm << 32);
		break;
	case DRM_VSVM_OP_SR:
		r[rd] = vsvm_isa_sreg(env, lane, imm);
		break;
	case DRM_VSVM_OP_BARRIER:
		/* Release: the group's lanes see our accesses after it. */
		smp_mb();
		lane->pc = next;
		*stop = VSVM_ISA_BARRIER;
		return false;
	case DRM_VSVM_OP_FENCE:
		/* The lane's earlier accesses before its later ones, for all. */
		smp_mb();
		break;
	case DRM_VSVM_OP_JMP:
	case DRM_VSVM_OP_BEQ ... DRM_VSVM_OP_BGEU:
		if (vsvm_isa_branch_taken(op, a, b) &&
		    !vsvm_isa_target(lane->pc, imm, count, &next))
			goto pc_range;
		break;
	case DRM_VSVM_OP_JAL:
		if (!vsvm_isa_target(lane->pc, imm, count, &next))
			goto pc_range;
		r[rd] = lane->pc + 1;
		break;
	case DRM_VSVM_OP_JR:
		if (a >= count)
			goto pc_range;
		next = a;
		break;
	case DRM_VSVM_OP_FADD ... DRM_VSVM_OP_FSQRT:
		r[rd] = vsvm_isa_fpu(op, a, b, r[rd]);
		break;
	case DRM_VSVM_OP_FABS:
		r[rd] = lower_32_bits(a) & ~VSVM_ISA_F32_SIGN;
		break;
	case DRM_VSVM_OP_FNEG:
		r[rd] = lower_32_bits(a) ^ VSVM_ISA_F32_SIGN;
		break;
	case DRM_VSVM_OP_F2S32 ... DRM_VSVM_OP_U642F:
		r[rd] = vsvm_isa_cvt(op, a, imm);
		break;
	case DRM_VSVM_OP_BCOPY:
		/* Moves the pc itself: it repeats until rb is zero. */
		if (!vsvm_isa_bcopy(env, lane, rd, ra, rb, fault)) {
			*stop = VSVM_ISA_FAULT;
			return false;
		}
		return true;
	default:
		if (!vsvm_isa_alu(op, a, b, &val)) {
			fault->exception = DRM_VSVM_EXC_DIV_ZERO;
			*stop = VSVM_ISA_EXCEPTION;
			return false;
		}
		r[rd] = val;
		break;
	}
	lane->pc = next;
	return true;

pc_range:
	fault->exception = DRM_VSVM_EXC_PC_RANGE;
	*stop = VSVM_ISA_EXCEPTION;
	return false;
}

/* Longest straight-line run executed as one loop. */
#define VSVM_ISA_RUN_MAX	64

/* Register-only operations that can neither fault nor raise an exception. */
static bool vsvm_isa_run_alu(u8 op)
{
	switch (op) {
	case DRM_VSVM_OP_NOP:
	case DRM_VSVM_OP_MOV:
	case DRM_VSVM_OP_LI:
	case DRM_VSVM_OP_ADD ... DRM_VSVM_OP_MUL:
	case DRM_VSVM_OP_AND ... DRM_VSVM_OP_MUL32:
	case DRM_VSVM_OP_ADDI ... DRM_VSVM_OP_ZEXT32:
		return true;
	default:
		return false;
	}
}

/* The straight-line run starting at @pc, see vsvm_isa_decode(). */
static void vsvm_isa_decode_run(const u64 *prog, u32 count, u32 pc,
				struct vsvm_isa_insn *d)
{
	s64 lo = S64_MAX, hi = S64_MIN;
	bool have_base = false;
	u8 base = 0, align = 0, write = 0;
	u32 n;

	for (n = 0; n < VSVM_ISA_RUN_MAX && pc + n < count; n++) {
		u64 insn = prog[pc + n];
		u8 op = vsvm_isa_op(insn);
		const struct vsvm_isa_opinfo *info = vsvm_isa_opinfo(op);
		u8 rd = vsvm_isa_field(insn, VSVM_ISA_RD_SHIFT);
		u8 ra = vsvm_isa_field(insn, VSVM_ISA_RA_SHIFT);
		s64 imm = vsvm_isa_imm(insn);

		if (!info)
			break;
		if (info->access == DRM_VSVM_ACCESS_READ ||
		    info->access == DRM_VSVM_ACCESS_WRITE) {
			if (have_base && ra != base)
				break;
			/* Every access aligned once the base is. */
			if (imm & (info->size - 1))
				break;
			if (info->access == DRM_VSVM_ACCESS_READ && rd == ra)
				break;
			if (max(hi, imm + info->size) - min(lo, imm) > PAGE_SIZE)
				break;
			/* An earlier ALU op of the run must not write the base. */
			if (!have_base) {
				u32 k;

				for (k = 0; k < n; k++)
					if (vsvm_isa_field(prog[pc + k],
							   VSVM_ISA_RD_SHIFT) == ra &&
					    vsvm_isa_op(prog[pc + k]) != DRM_VSVM_OP_NOP)
						break;
				if (k < n)
					break;
			}
			have_base = true;
			base = ra;
			lo = min(lo, imm);
			hi = max(hi, imm + info->size);
			align = max_t(u8, align, info->size);
			if (info->access == DRM_VSVM_ACCESS_WRITE)
				write = 1;
			continue;
		}
		if (!vsvm_isa_run_alu(op))
			break;
		if (have_base && rd == base && op != DRM_VSVM_OP_NOP)
			break;
	}
	d->run = n;
	d->run_base = base;
	d->run_write = write;
	d->run_align = align;
	d->run_lo = have_base ? lo : 0;
	d->run_span = have_base ? hi - lo : 0;
}

/**
 * vsvm_isa_decode - decode a validated program once
 * @prog: the instructions, accepted by vsvm_isa_validate().
 * @count: number of instructions in @prog.
 * @dec: out, @count decoded instructions.
 *
 * Extracts the operands of every instruction and finds, for every pc, the
 * straight-line run starting there: up to %VSVM_ISA_RUN_MAX instructions
 * that are plain loads and stores off one base register (which none of
 * them writes), at offsets aligned to their size and all within one page
 * of each other, and register operations that cannot raise an exception.
 * vsvm_isa_run() executes such a run as one loop after a single
 * translation when no access of it can fault, and steps one instruction
 * at a time otherwise, so faults and their replay are exact.
 *
 * Context: Any context.
 */
void vsvm_isa_decode(const u64 *prog, u32 count, struct vsvm_isa_insn *dec)
{
	u32 pc;

	for (pc = 0; pc < count; pc++) {
		struct vsvm_isa_insn *d = &dec[pc];
		u64 insn = prog[pc];

		d->op = vsvm_isa_op(insn);
		d->rd = vsvm_isa_field(insn, VSVM_ISA_RD_SHIFT) % DRM_VSVM_ISA_NUM_REGS;
		d->ra = vsvm_isa_field(insn, VSVM_ISA_RA_SHIFT) % DRM_VSVM_ISA_NUM_REGS;
		d->rb = vsvm_isa_field(insn, VSVM_ISA_RB_SHIFT) % DRM_VSVM_ISA_NUM_REGS;
		d->imm = vsvm_isa_imm(insn);
		vsvm_isa_decode_run(prog, count, pc, d);
	}
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_isa_decode);

/*
 * Execute the run at @d if none of its accesses can fault. Returns false,
 * having changed nothing architectural, if one might.
 */
static bool vsvm_isa_run_block(const struct vsvm_isa_env *env,
			       struct vsvm_lane *lane,
			       const struct vsvm_isa_insn *d)
{
	u64 *r = lane->regs;
	u8 *p = NULL;
	u32 i;

	if (d->run_align) {
		u64 a = r[d->run_base] + (u64)(s64)d->run_lo;
		void *k;

		if (r[d->run_base] & (d->run_align - 1) ||
		    (a & ~PAGE_MASK) + d->run_span > PAGE_SIZE ||
		    a >= DRM_VSVM_ISA_LOCAL_BASE)
			return false;
		k = vsvm_isa_access(env, lane, a, d->run_span,
				    d->run_write ? DRM_VSVM_ACCESS_WRITE :
				    DRM_VSVM_ACCESS_READ);
		if (IS_ERR_OR_NULL(k))
			return false;
		/* p + imm is the kernel address of base + imm. */
		p = (u8 *)k - d->run_lo;
	}

	for (i = 0; i < d->run; i++) {
		const struct vsvm_isa_insn *x = &d[i];
		u8 op = x->op;

		/* The common ones first: the kernel has no jump tables. */
		if (op == DRM_VSVM_OP_LD64) {
			r[x->rd] = READ_ONCE(*(const u64 *)(p + x->imm));
		} else if (op == DRM_VSVM_OP_ADD) {
			r[x->rd] = r[x->ra] + r[x->rb];
		} else if (op == DRM_VSVM_OP_ADDI) {
			r[x->rd] = r[x->ra] + (u64)(s64)x->imm;
		} else if (op >= DRM_VSVM_OP_LD8 && op <= DRM_VSVM_OP_LDS32) {
			r[x->rd] = vsvm_isa_load(op, p + x->imm);
		} else if (op >= DRM_VSVM_OP_ST8 && op <= DRM_VSVM_OP_ST64) {
			vsvm_isa_store(op, p + x->imm,
				       (vsvm_isa_ops[op].operands & VSVM_ISA_USE_RB) ?
				       r[x->rb] : (u64)(s64)x->imm);
		} else if (op == DRM_VSVM_OP_MOV) {
			r[x->rd] = r[x->ra];
		} else if (op == DRM_VSVM_OP_LI) {
			r[x->rd] = (u64)(s64)x->imm;
		} else if (op != DRM_VSVM_OP_NOP) {
			u64 b = (vsvm_isa_ops[op].operands & VSVM_ISA_USE_RB) ?
				r[x->rb] : (u64)(s64)x->imm;

			vsvm_isa_alu(op, r[x->ra], b, &r[x->rd]);
		}
	}
	lane->pc += d->run;
	return true;
}

/**
 * vsvm_isa_run - run one lane of a validated program
 * @env: translate callback and special register values.
 * @prog: the instructions, accepted by vsvm_isa_validate().
 * @count: number of instructions in @prog.
 * @lane: the lane's registers and pc, updated in place.
 * @max_steps: largest number of instructions to execute.
 * @steps: out, number of instructions executed (END and BARRIER count, an
 *	instruction that faulted or raised an exception does not).
 * @fault: out, filled when %VSVM_ISA_FAULT is returned; its @exception
 *	when %VSVM_ISA_EXCEPTION is.
 *
 * Executes instructions from @lane->pc until the lane ends, faults, raises
 * an exception, reaches a BARRIER (the pc then points after it and the
 * caller decides when the lane continues) or has executed @max_steps
 * instructions. On
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
		if (env->dec && lane->pc < count) {
			const struct vsvm_isa_insn *d = &env->dec[lane->pc];

			if (d->run > 1 && max_steps - done >= d->run &&
			    vsvm_isa_run_block(env, lane, d)) {
				done += d->run;
				continue;
			}
		}
		if (!vsvm_isa_step(env, prog, count, lane, fault, &stop)) {
			if (stop == VSVM_ISA_END || stop == VSVM_ISA_BARRIER)
				done++;
			break;
		}
		done++;
	}
	*steps = done;
	return stop;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_isa_run);
