// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the vsvm ISA validator and interpreter.
 *
 * Copyright 2026 The vsvm authors
 */

#include <kunit/test.h>

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "../vsvm_isa.h"

#define VSVM_INSN(op, rd, ra, rb, imm)					\
	((u64)(DRM_VSVM_OP_##op) | (u64)(rd) << 8 | (u64)(ra) << 16 |	\
	 (u64)(rb) << 24 | (u64)(u32)(imm) << 32)

#define VSVM_TEST_BASE		0x00007f0000010000ull
#define VSVM_TEST_MEM_SIZE	4096
#define VSVM_TEST_SEED		0x76737663u
#define VSVM_TEST_STEPS		1000000ull

/**
 * struct vsvm_test_ctx - memory and environment of one test
 * @buf: backing store of [VSVM_TEST_BASE, + VSVM_TEST_MEM_SIZE).
 * @env: interpreter environment pointing at this context.
 * @calls: number of translate calls.
 * @fail_call: translate call number (1-based) that fails, 0 for none.
 * @fail_err: error returned by that call.
 * @last_addr: address of the last translate call.
 * @last_size: size of the last translate call.
 * @last_access: access type of the last translate call.
 */
struct vsvm_test_ctx {
	u8 *buf;
	struct vsvm_isa_env env;
	unsigned int calls;
	unsigned int fail_call;
	int fail_err;
	u64 last_addr;
	u32 last_size;
	u32 last_access;
};

static void *vsvm_test_translate(void *priv, u64 addr, u32 size, u32 access)
{
	struct vsvm_test_ctx *ctx = priv;

	ctx->calls++;
	ctx->last_addr = addr;
	ctx->last_size = size;
	ctx->last_access = access;
	if (ctx->calls == ctx->fail_call)
		return ERR_PTR(ctx->fail_err);
	if (addr < VSVM_TEST_BASE ||
	    addr - VSVM_TEST_BASE > VSVM_TEST_MEM_SIZE - size)
		return ERR_PTR(-ENXIO);
	return ctx->buf + (addr - VSVM_TEST_BASE);
}

static int vsvm_isa_test_init(struct kunit *test)
{
	struct vsvm_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->buf = kunit_kzalloc(test, VSVM_TEST_MEM_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->buf);
	ctx->env.translate = vsvm_test_translate;
	ctx->env.priv = ctx;
	ctx->env.lane_count = 7;
	ctx->env.engine_id = 3;
	ctx->env.device_id = 2;
	test->priv = ctx;
	return 0;
}

/* Validate @prog (must pass), then run it from the lane's current state. */
static enum vsvm_isa_stop vsvm_test_run(struct kunit *test, const u64 *prog,
					u32 count, struct vsvm_lane *lane,
					u64 max_steps, u64 *steps,
					struct vsvm_isa_fault *fault)
{
	struct vsvm_test_ctx *ctx = test->priv;
	struct vsvm_isa_fault dummy;
	u32 bad_pc = U32_MAX;

	KUNIT_ASSERT_EQ(test, vsvm_isa_validate(prog, count, &bad_pc), 0);
	return vsvm_isa_run(&ctx->env, prog, count, lane, max_steps, steps,
			    fault ?: &dummy);
}

/* Validator */

#define T_RD		BIT(0)
#define T_RA		BIT(1)
#define T_RB		BIT(2)
#define T_IMM		BIT(3)
#define T_SREG		BIT(4)
#define T_BRANCH	BIT(5)
#define T_ROUND		BIT(6)

#define T_DA		(T_RD | T_RA)
#define T_DI		(T_RD | T_IMM)
#define T_DAB		(T_RD | T_RA | T_RB)
#define T_DAI		(T_RD | T_RA | T_IMM)
#define T_ST		(T_RA | T_RB | T_IMM)
#define T_AT		(T_RD | T_RA | T_RB | T_IMM)
#define T_BR		(T_RA | T_RB | T_IMM | T_BRANCH)

/* Operand use of every opcode, written from the uAPI documentation. */
static const struct {
	u8 op;
	u8 use;
} vsvm_test_ops[] = {
	{ DRM_VSVM_OP_NOP, 0 }, { DRM_VSVM_OP_END, 0 },
	{ DRM_VSVM_OP_MOV, T_DA }, { DRM_VSVM_OP_LI, T_DI }, { DRM_VSVM_OP_LIH, T_DI },
	{ DRM_VSVM_OP_SR, T_DI | T_SREG },
	{ DRM_VSVM_OP_BARRIER, 0 }, { DRM_VSVM_OP_FENCE, 0 },
	{ DRM_VSVM_OP_ADD, T_DAB }, { DRM_VSVM_OP_SUB, T_DAB }, { DRM_VSVM_OP_MUL, T_DAB },
	{ DRM_VSVM_OP_DIVU, T_DAB }, { DRM_VSVM_OP_DIVS, T_DAB },
	{ DRM_VSVM_OP_REMU, T_DAB }, { DRM_VSVM_OP_AND, T_DAB }, { DRM_VSVM_OP_OR, T_DAB },
	{ DRM_VSVM_OP_XOR, T_DAB }, { DRM_VSVM_OP_SHL, T_DAB }, { DRM_VSVM_OP_SHR, T_DAB },
	{ DRM_VSVM_OP_SAR, T_DAB }, { DRM_VSVM_OP_SLT, T_DAB },
	{ DRM_VSVM_OP_SLTU, T_DAB }, { DRM_VSVM_OP_SEQ, T_DAB },
	{ DRM_VSVM_OP_ADD32, T_DAB }, { DRM_VSVM_OP_SUB32, T_DAB },
	{ DRM_VSVM_OP_MUL32, T_DAB }, { DRM_VSVM_OP_REMS, T_DAB },
	{ DRM_VSVM_OP_ADDI, T_DAI }, { DRM_VSVM_OP_MULI, T_DAI },
	{ DRM_VSVM_OP_ANDI, T_DAI }, { DRM_VSVM_OP_ORI, T_DAI },
	{ DRM_VSVM_OP_XORI, T_DAI }, { DRM_VSVM_OP_SHLI, T_DAI },
	{ DRM_VSVM_OP_SHRI, T_DAI }, { DRM_VSVM_OP_SARI, T_DAI },
	{ DRM_VSVM_OP_SEXT32, T_DA }, { DRM_VSVM_OP_ZEXT32, T_DA },
	{ DRM_VSVM_OP_JMP, T_IMM | T_BRANCH }, { DRM_VSVM_OP_JR, T_RA },
	{ DRM_VSVM_OP_JAL, T_RD | T_IMM | T_BRANCH },
	{ DRM_VSVM_OP_BEQ, T_BR }, { DRM_VSVM_OP_BNE, T_BR }, { DRM_VSVM_OP_BLT, T_BR },
	{ DRM_VSVM_OP_BGE, T_BR }, { DRM_VSVM_OP_BLTU, T_BR }, { DRM_VSVM_OP_BGEU, T_BR },
	{ DRM_VSVM_OP_LD8, T_DAI }, { DRM_VSVM_OP_LD16, T_DAI },
	{ DRM_VSVM_OP_LD32, T_DAI }, { DRM_VSVM_OP_LD64, T_DAI },
	{ DRM_VSVM_OP_LDS8, T_DAI }, { DRM_VSVM_OP_LDS16, T_DAI },
	{ DRM_VSVM_OP_LDS32, T_DAI },
	{ DRM_VSVM_OP_ST8, T_ST }, { DRM_VSVM_OP_ST16, T_ST }, { DRM_VSVM_OP_ST32, T_ST },
	{ DRM_VSVM_OP_ST64, T_ST },
	{ DRM_VSVM_OP_AADD32, T_AT }, { DRM_VSVM_OP_AADD64, T_AT },
	{ DRM_VSVM_OP_AXCHG32, T_AT }, { DRM_VSVM_OP_AXCHG64, T_AT },
	{ DRM_VSVM_OP_ACMPXCHG32, T_AT }, { DRM_VSVM_OP_ACMPXCHG64, T_AT },
	{ DRM_VSVM_OP_AMIN32, T_AT }, { DRM_VSVM_OP_AMAX32, T_AT },
	{ DRM_VSVM_OP_AMIN64, T_AT }, { DRM_VSVM_OP_AMAX64, T_AT },
	{ DRM_VSVM_OP_AMINU64, T_AT }, { DRM_VSVM_OP_AMAXU64, T_AT },
	{ DRM_VSVM_OP_BCOPY, T_DAB },
	{ DRM_VSVM_OP_FADD, T_DAB }, { DRM_VSVM_OP_FSUB, T_DAB },
	{ DRM_VSVM_OP_FMUL, T_DAB }, { DRM_VSVM_OP_FDIV, T_DAB },
	{ DRM_VSVM_OP_FMIN, T_DAB }, { DRM_VSVM_OP_FMAX, T_DAB },
	{ DRM_VSVM_OP_FLT, T_DAB }, { DRM_VSVM_OP_FEQ, T_DAB },
	{ DRM_VSVM_OP_I2F, T_DA }, { DRM_VSVM_OP_F2I, T_DA },
	{ DRM_VSVM_OP_FMA, T_DAB }, { DRM_VSVM_OP_FSQRT, T_DA },
	{ DRM_VSVM_OP_FABS, T_DA }, { DRM_VSVM_OP_FNEG, T_DA },
	{ DRM_VSVM_OP_F2S32, T_DAI | T_ROUND }, { DRM_VSVM_OP_F2U32, T_DAI | T_ROUND },
	{ DRM_VSVM_OP_F2S64, T_DAI | T_ROUND }, { DRM_VSVM_OP_F2U64, T_DAI | T_ROUND },
	{ DRM_VSVM_OP_S322F, T_DAI | T_ROUND }, { DRM_VSVM_OP_U322F, T_DAI | T_ROUND },
	{ DRM_VSVM_OP_S642F, T_DAI | T_ROUND }, { DRM_VSVM_OP_U642F, T_DAI | T_ROUND },
	{ DRM_VSVM_OP_AAND32, T_AT }, { DRM_VSVM_OP_AAND64, T_AT },
	{ DRM_VSVM_OP_AOR32, T_AT }, { DRM_VSVM_OP_AOR64, T_AT },
	{ DRM_VSVM_OP_AXOR32, T_AT }, { DRM_VSVM_OP_AXOR64, T_AT },
	{ DRM_VSVM_OP_AMINU32, T_AT }, { DRM_VSVM_OP_AMAXU32, T_AT },
};

static u64 vsvm_test_encode(u8 op, u8 rd, u8 ra, u8 rb, s32 imm)
{
	return (u64)op | (u64)rd << 8 | (u64)ra << 16 | (u64)rb << 24 |
	       (u64)(u32)imm << 32;
}

/* The instruction under test sits at pc 2 of a five-instruction program. */
#define VSVM_TEST_PC	2
#define VSVM_TEST_COUNT	5

static int vsvm_test_validate_one(u64 insn, u32 *bad_pc)
{
	u64 prog[VSVM_TEST_COUNT] = {
		VSVM_INSN(NOP, 0, 0, 0, 0), VSVM_INSN(NOP, 0, 0, 0, 0), insn,
		VSVM_INSN(NOP, 0, 0, 0, 0), VSVM_INSN(END, 0, 0, 0, 0),
	};

	*bad_pc = U32_MAX;
	return vsvm_isa_validate(prog, VSVM_TEST_COUNT, bad_pc);
}

static void vsvm_test_expect(struct kunit *test, unsigned int op, u64 insn,
			     bool valid, const char *what)
{
	u32 bad_pc;
	int ret = vsvm_test_validate_one(insn, &bad_pc);

	if (valid) {
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "op %#x: %s", op, what);
		return;
	}
	KUNIT_EXPECT_EQ_MSG(test, ret, -EINVAL, "op %#x: %s", op, what);
	KUNIT_EXPECT_EQ_MSG(test, bad_pc, VSVM_TEST_PC, "op %#x: %s", op, what);
}

#define EXPECT_VALID(test, insn, what) \
	vsvm_test_expect(test, op, insn, true, what)
#define EXPECT_INVALID(test, insn, what) \
	vsvm_test_expect(test, op, insn, false, what)

static void vsvm_test_validate_legal_forms(struct kunit *test, u8 op, u8 use)
{
	u8 r = (use & T_RD) ? 31 : 0, a = (use & T_RA) ? 31 : 0;
	u8 b = (use & T_RB) ? 31 : 0;
	s32 imm;

	EXPECT_VALID(test, vsvm_test_encode(op, 0, 0, 0, 0), "all zero");
	if (use & T_SREG) {
		for (imm = DRM_VSVM_SREG_LANE_ID; imm < DRM_VSVM_SREG_COUNT; imm++)
			EXPECT_VALID(test, vsvm_test_encode(op, r, a, b, imm),
				     "sreg");
	} else if (use & T_ROUND) {
		for (imm = DRM_VSVM_ROUND_NEAREST_EVEN; imm <= DRM_VSVM_ROUND_UP; imm++)
			EXPECT_VALID(test, vsvm_test_encode(op, r, a, b, imm),
				     "rounding mode");
	} else if (use & T_BRANCH) {
		/* Targets pc + 1 + imm: 0 and VSVM_TEST_COUNT - 1. */
		EXPECT_VALID(test, vsvm_test_encode(op, r, a, b, -3), "first");
		EXPECT_VALID(test, vsvm_test_encode(op, r, a, b, 1), "last");
		EXPECT_VALID(test, vsvm_test_encode(op, r, a, b, -1), "self");
	} else if (use & T_IMM) {
		EXPECT_VALID(test, vsvm_test_encode(op, r, a, b, S32_MIN),
			     "imm min");
		EXPECT_VALID(test, vsvm_test_encode(op, r, a, b, S32_MAX),
			     "imm max");
	} else {
		EXPECT_VALID(test, vsvm_test_encode(op, r, a, b, 0), "r31");
	}
}

static void vsvm_test_validate_illegal_forms(struct kunit *test, u8 op, u8 use)
{
	static const unsigned int shifts[] = { 8, 16, 24 };
	static const u8 reg_use[] = { T_RD, T_RA, T_RB };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(shifts); i++) {
		u64 base = op;

		if (reg_use[i] & use) {
			EXPECT_INVALID(test, base | 32ull << shifts[i],
				       "register 32");
			EXPECT_INVALID(test, base | 255ull << shifts[i],
				       "register 255");
		} else {
			EXPECT_INVALID(test, base | 1ull << shifts[i],
				       "unused register field");
		}
	}

	if (!(use & T_IMM)) {
		EXPECT_INVALID(test, vsvm_test_encode(op, 0, 0, 0, 1),
			       "unused imm");
		EXPECT_INVALID(test, vsvm_test_encode(op, 0, 0, 0, S32_MIN),
			       "unused imm sign bit");
	} else if (use & T_SREG) {
		EXPECT_INVALID(test, vsvm_test_encode(op, 0, 0, 0, DRM_VSVM_SREG_COUNT),
			       "sreg 27");
		EXPECT_INVALID(test, vsvm_test_encode(op, 0, 0, 0, -1),
			       "sreg -1");
	} else if (use & T_ROUND) {
		EXPECT_INVALID(test, vsvm_test_encode(op, 0, 0, 0, 4),
			       "rounding mode 4");
		EXPECT_INVALID(test, vsvm_test_encode(op, 0, 0, 0, -1),
			       "rounding mode -1");
	} else if (use & T_BRANCH) {
		EXPECT_INVALID(test, vsvm_test_encode(op, 0, 0, 0, -4),
			       "target -1");
		EXPECT_INVALID(test, vsvm_test_encode(op, 0, 0, 0, 2),
			       "target count");
		EXPECT_INVALID(test, vsvm_test_encode(op, 0, 0, 0, S32_MAX),
			       "target far");
		EXPECT_INVALID(test, vsvm_test_encode(op, 0, 0, 0, S32_MIN),
			       "target far back");
	}
}

static void vsvm_isa_test_validate_opcodes(struct kunit *test)
{
	unsigned int known = 0, i;
	unsigned int op;

	for (op = 0; op <= U8_MAX; op++) {
		for (i = 0; i < ARRAY_SIZE(vsvm_test_ops); i++)
			if (vsvm_test_ops[i].op == op)
				break;

		if (i == ARRAY_SIZE(vsvm_test_ops)) {
			EXPECT_INVALID(test, vsvm_test_encode(op, 0, 0, 0, 0),
				       "unknown opcode");
			continue;
		}
		known++;
		vsvm_test_validate_legal_forms(test, op, vsvm_test_ops[i].use);
		vsvm_test_validate_illegal_forms(test, op,
						 vsvm_test_ops[i].use);
	}
	KUNIT_EXPECT_EQ(test, known, ARRAY_SIZE(vsvm_test_ops));
	KUNIT_EXPECT_EQ(test, known, 100u);
}

static void vsvm_isa_test_validate_program(struct kunit *test)
{
	static const u64 good[] = {
		VSVM_INSN(LI, 1, 0, 0, 10),
		VSVM_INSN(ADDI, 1, 1, 0, -1),
		VSVM_INSN(BNE, 0, 1, 2, -2),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	u64 prog[ARRAY_SIZE(good)];
	u32 bad_pc = U32_MAX;

	KUNIT_EXPECT_EQ(test, vsvm_isa_validate(good, ARRAY_SIZE(good),
						&bad_pc), 0);

	/* Empty program. */
	KUNIT_EXPECT_EQ(test, vsvm_isa_validate(good, 0, &bad_pc), -EINVAL);
	KUNIT_EXPECT_EQ(test, bad_pc, 0u);

	/* The first bad instruction is reported. */
	memcpy(prog, good, sizeof(good));
	prog[1] |= 1ull << 24;
	prog[3] = VSVM_INSN(COUNT, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, vsvm_isa_validate(prog, ARRAY_SIZE(prog),
						&bad_pc), -EINVAL);
	KUNIT_EXPECT_EQ(test, bad_pc, 1u);

	/* A branch target is checked against the program size given. */
	KUNIT_EXPECT_EQ(test, vsvm_isa_validate(good, 2, &bad_pc), 0);
	memcpy(prog, good, sizeof(good));
	prog[2] = VSVM_INSN(BNE, 0, 1, 2, 0);
	KUNIT_EXPECT_EQ(test, vsvm_isa_validate(prog, 3, &bad_pc), -EINVAL);
	KUNIT_EXPECT_EQ(test, bad_pc, 2u);
	KUNIT_EXPECT_EQ(test, vsvm_isa_validate(prog, 4, &bad_pc), 0);

	/* A program may end without END: that is a run-time exception. */
	KUNIT_EXPECT_EQ(test, vsvm_isa_validate(good, 1, &bad_pc), 0);
}

/* Integer ALU */

struct vsvm_test_alu {
	u8 op;
	u64 a;
	u64 b;	/* rb, or the imm for imm forms */
	u64 want;
};

#define S64(v)	((u64)(s64)(v))

static const struct vsvm_test_alu vsvm_test_alu_reg[] = {
	{ DRM_VSVM_OP_ADD, 2, 3, 5 },
	{ DRM_VSVM_OP_ADD, S64_MAX, 1, S64(S64_MIN) },
	{ DRM_VSVM_OP_ADD, U64_MAX, 1, 0 },
	{ DRM_VSVM_OP_SUB, 0, 1, U64_MAX },
	{ DRM_VSVM_OP_SUB, S64(S64_MIN), 1, S64_MAX },
	{ DRM_VSVM_OP_MUL, S64(-3), 5, S64(-15) },
	{ DRM_VSVM_OP_MUL, 1ull << 32, 1ull << 32, 0 },
	{ DRM_VSVM_OP_MUL, S64(S64_MIN), U64_MAX, S64(S64_MIN) },
	{ DRM_VSVM_OP_MUL, 0x123456789ull, 0x987654321ull, 0x123456789ull * 0x987654321ull },
	{ DRM_VSVM_OP_DIVU, 7, 2, 3 },
	{ DRM_VSVM_OP_DIVU, U64_MAX, 2, S64_MAX },
	{ DRM_VSVM_OP_DIVU, S64(-7), 2, 0x7ffffffffffffffcull },
	{ DRM_VSVM_OP_DIVS, S64(-7), 2, S64(-3) },
	{ DRM_VSVM_OP_DIVS, 7, S64(-2), S64(-3) },
	{ DRM_VSVM_OP_DIVS, S64(-8), S64(-1), 8 },
	{ DRM_VSVM_OP_DIVS, S64(S64_MIN), S64(-1), S64(S64_MIN) },
	{ DRM_VSVM_OP_DIVS, S64(S64_MIN), 2, S64(S64_MIN / 2) },
	{ DRM_VSVM_OP_REMU, 7, 3, 1 },
	{ DRM_VSVM_OP_REMU, U64_MAX, 10, 5 },
	{ DRM_VSVM_OP_REMU, 3, U64_MAX, 3 },
	{ DRM_VSVM_OP_AND, 0xff00ff00ull, 0x0ff00ff0ull, 0x0f000f00ull },
	{ DRM_VSVM_OP_OR, 0xff00ff00ull, 0x0ff00ff0ull, 0xfff0fff0ull },
	{ DRM_VSVM_OP_XOR, 0xff00ff00ull, 0x0ff00ff0ull, 0xf0f0f0f0ull },
	{ DRM_VSVM_OP_SHL, 1, 63, 1ull << 63 },
	{ DRM_VSVM_OP_SHL, 1, 64, 1 },
	{ DRM_VSVM_OP_SHL, 3, 65, 6 },
	{ DRM_VSVM_OP_SHL, U64_MAX, U64_MAX, 1ull << 63 },
	{ DRM_VSVM_OP_SHR, 1ull << 63, 63, 1 },
	{ DRM_VSVM_OP_SHR, U64_MAX, 64, U64_MAX },
	{ DRM_VSVM_OP_SHR, S64(-16), 2, 0x3ffffffffffffffcull },
	{ DRM_VSVM_OP_SAR, S64(-16), 2, S64(-4) },
	{ DRM_VSVM_OP_SAR, S64(-5), 1, S64(-3) },
	{ DRM_VSVM_OP_SAR, S64(S64_MIN), 63, U64_MAX },
	{ DRM_VSVM_OP_SAR, S64_MAX, 63, 0 },
	{ DRM_VSVM_OP_SAR, S64(-1), 127, U64_MAX },
	{ DRM_VSVM_OP_SAR, 0x100, 4, 0x10 },
	{ DRM_VSVM_OP_SLT, S64(-1), 0, 1 },
	{ DRM_VSVM_OP_SLT, 0, S64(-1), 0 },
	{ DRM_VSVM_OP_SLT, 5, 5, 0 },
	{ DRM_VSVM_OP_SLT, S64(S64_MIN), S64_MAX, 1 },
	{ DRM_VSVM_OP_SLTU, 0, U64_MAX, 1 },
	{ DRM_VSVM_OP_SLTU, U64_MAX, 0, 0 },
	{ DRM_VSVM_OP_SLTU, 5, 5, 0 },
	{ DRM_VSVM_OP_SEQ, 5, 5, 1 },
	{ DRM_VSVM_OP_SEQ, 5, 6, 0 },
	{ DRM_VSVM_OP_SEQ, U64_MAX, U32_MAX, 0 },
	{ DRM_VSVM_OP_ADD32, U32_MAX, 1, 0 },
	{ DRM_VSVM_OP_ADD32, 0x100000005ull, 0x200000006ull, 11 },
	{ DRM_VSVM_OP_ADD32, S32_MAX, 1, 0x80000000ull },
	{ DRM_VSVM_OP_SUB32, 0, 1, U32_MAX },
	{ DRM_VSVM_OP_SUB32, 0x500000000ull, 0x100000000ull, 0 },
	{ DRM_VSVM_OP_MUL32, 0x10000, 0x10000, 0 },
	{ DRM_VSVM_OP_MUL32, U32_MAX, U32_MAX, 1 },
	{ DRM_VSVM_OP_MUL32, S64(-3), 5, 0xfffffff1ull },
};

static const struct vsvm_test_alu vsvm_test_alu_imm[] = {
	{ DRM_VSVM_OP_ADDI, 0, S64(-1), U64_MAX },
	{ DRM_VSVM_OP_ADDI, S64_MAX, 1, S64(S64_MIN) },
	{ DRM_VSVM_OP_ADDI, 0x100000000ull, S64(S32_MIN), 0x80000000ull },
	{ DRM_VSVM_OP_MULI, 3, S64(-2), S64(-6) },
	{ DRM_VSVM_OP_MULI, 1ull << 40, S32_MAX, (1ull << 40) * S32_MAX },
	{ DRM_VSVM_OP_ANDI, U64_MAX, S64(-16), S64(-16) },
	{ DRM_VSVM_OP_ANDI, U64_MAX, S32_MAX, S32_MAX },
	{ DRM_VSVM_OP_ORI, 0, S64(-1), U64_MAX },
	{ DRM_VSVM_OP_ORI, 0x100000000ull, 1, 0x100000001ull },
	{ DRM_VSVM_OP_XORI, U64_MAX, S64(S32_MIN), S32_MAX },
	{ DRM_VSVM_OP_SHLI, 1, 63, 1ull << 63 },
	{ DRM_VSVM_OP_SHLI, 1, 64, 1 },
	{ DRM_VSVM_OP_SHLI, 1, S64(-1), 1ull << 63 },
	{ DRM_VSVM_OP_SHRI, U64_MAX, 63, 1 },
	{ DRM_VSVM_OP_SHRI, U64_MAX, 0, U64_MAX },
	{ DRM_VSVM_OP_SARI, S64(S64_MIN), 63, U64_MAX },
	{ DRM_VSVM_OP_SARI, S64(-256), 4, S64(-16) },
	{ DRM_VSVM_OP_SARI, S64(-1), S64(-1), U64_MAX },
	{ DRM_VSVM_OP_SARI, 0x4000000000000000ull, 62, 1 },
};

/* Ops with rd, ra only; b is ignored. */
static const struct vsvm_test_alu vsvm_test_alu_una[] = {
	{ DRM_VSVM_OP_MOV, 0x123456789abcdefull, 0, 0x123456789abcdefull },
	{ DRM_VSVM_OP_SEXT32, 0x1234567880000000ull, 0, 0xffffffff80000000ull },
	{ DRM_VSVM_OP_SEXT32, 0xffffffff7fffffffull, 0, 0x7fffffffull },
	{ DRM_VSVM_OP_ZEXT32, 0xffffffff80000000ull, 0, 0x80000000ull },
	{ DRM_VSVM_OP_ZEXT32, U64_MAX, 0, U32_MAX },
};

enum vsvm_test_form { VSVM_FORM_REG, VSVM_FORM_IMM, VSVM_FORM_UNARY };

static void vsvm_test_alu_table(struct kunit *test,
				const struct vsvm_test_alu *t, unsigned int n,
				enum vsvm_test_form form)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct vsvm_lane lane = { };
		u64 prog[2], steps;
		enum vsvm_isa_stop stop;

		lane.regs[1] = t[i].a;
		lane.regs[2] = t[i].b;
		lane.regs[3] = 0xdeadbeefdeadbeefull;
		if (form == VSVM_FORM_REG)
			prog[0] = vsvm_test_encode(t[i].op, 3, 1, 2, 0);
		else if (form == VSVM_FORM_IMM)
			prog[0] = vsvm_test_encode(t[i].op, 3, 1, 0,
						   (s32)t[i].b);
		else
			prog[0] = vsvm_test_encode(t[i].op, 3, 1, 0, 0);
		prog[1] = VSVM_INSN(END, 0, 0, 0, 0);

		stop = vsvm_test_run(test, prog, 2, &lane, 10, &steps, NULL);
		KUNIT_EXPECT_EQ_MSG(test, stop, VSVM_ISA_END, "case %u op %#x",
				    i, t[i].op);
		KUNIT_EXPECT_EQ_MSG(test, lane.regs[3], t[i].want,
				    "case %u op %#x a %#llx b %#llx", i,
				    t[i].op, t[i].a, t[i].b);
		KUNIT_EXPECT_EQ_MSG(test, lane.regs[1], t[i].a, "case %u", i);
		KUNIT_EXPECT_EQ(test, steps, 2ull);
		KUNIT_EXPECT_EQ(test, lane.pc, 1u);
	}
}

static void vsvm_isa_test_alu(struct kunit *test)
{
	vsvm_test_alu_table(test, vsvm_test_alu_reg,
			    ARRAY_SIZE(vsvm_test_alu_reg), VSVM_FORM_REG);
	vsvm_test_alu_table(test, vsvm_test_alu_imm,
			    ARRAY_SIZE(vsvm_test_alu_imm), VSVM_FORM_IMM);
	vsvm_test_alu_table(test, vsvm_test_alu_una,
			    ARRAY_SIZE(vsvm_test_alu_una), VSVM_FORM_UNARY);
}

static void vsvm_isa_test_alu_aliasing(struct kunit *test)
{
	static const u64 prog[] = {
		VSVM_INSN(ADD, 1, 1, 1, 0),	/* r1 = 2 * r1 */
		VSVM_INSN(SUB, 2, 2, 2, 0),	/* r2 = 0 */
		VSVM_INSN(ADDI, 31, 31, 0, 1),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	struct vsvm_lane lane = { };
	u64 steps;

	lane.regs[1] = 21;
	lane.regs[2] = 99;
	lane.regs[31] = 41;
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog, ARRAY_SIZE(prog),
					    &lane, 100, &steps, NULL),
			VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, lane.regs[1], 42ull);
	KUNIT_EXPECT_EQ(test, lane.regs[2], 0ull);
	KUNIT_EXPECT_EQ(test, lane.regs[31], 42ull);
}

static void vsvm_isa_test_li_sr(struct kunit *test)
{
	static const u64 prog[] = {
		VSVM_INSN(LI, 1, 0, 0, -1),
		VSVM_INSN(LI, 2, 0, 0, S32_MAX),
		VSVM_INSN(LIH, 3, 0, 0, 0x0abcdef0),
		VSVM_INSN(LIH, 4, 0, 0, -1),
		VSVM_INSN(LI, 5, 0, 0, 0x76543210),
		VSVM_INSN(LIH, 5, 0, 0, 0x7edcba98),
		VSVM_INSN(SR, 6, 0, 0, DRM_VSVM_SREG_LANE_ID),
		VSVM_INSN(SR, 7, 0, 0, DRM_VSVM_SREG_LANE_COUNT),
		VSVM_INSN(SR, 8, 0, 0, DRM_VSVM_SREG_ENGINE_ID),
		VSVM_INSN(SR, 9, 0, 0, DRM_VSVM_SREG_DEVICE_ID),
		VSVM_INSN(NOP, 0, 0, 0, 0),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	struct vsvm_lane lane = { .lane_id = 5 };
	u64 steps;
	int i;

	for (i = 0; i < DRM_VSVM_ISA_NUM_REGS; i++)
		lane.regs[i] = 0xdeadbeef12345678ull;
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog, ARRAY_SIZE(prog),
					    &lane, 100, &steps, NULL),
			VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, steps, (u64)ARRAY_SIZE(prog));
	KUNIT_EXPECT_EQ(test, lane.pc, (u32)ARRAY_SIZE(prog) - 1);
	KUNIT_EXPECT_EQ(test, lane.regs[1], U64_MAX);
	KUNIT_EXPECT_EQ(test, lane.regs[2], (u64)S32_MAX);
	KUNIT_EXPECT_EQ(test, lane.regs[3], 0x0abcdef012345678ull);
	KUNIT_EXPECT_EQ(test, lane.regs[4], 0xffffffff12345678ull);
	KUNIT_EXPECT_EQ(test, lane.regs[5], 0x7edcba9876543210ull);
	KUNIT_EXPECT_EQ(test, lane.regs[6], 5ull);
	KUNIT_EXPECT_EQ(test, lane.regs[7], 7ull);
	KUNIT_EXPECT_EQ(test, lane.regs[8], 3ull);
	KUNIT_EXPECT_EQ(test, lane.regs[9], 2ull);
	KUNIT_EXPECT_EQ(test, lane.regs[10], 0xdeadbeef12345678ull);
}

/* Branches */

static void vsvm_isa_test_branches(struct kunit *test)
{
	static const struct {
		u8 op;
		u64 a, b;
		bool taken;
	} t[] = {
		{ DRM_VSVM_OP_JMP, 0, 0, true },
		{ DRM_VSVM_OP_BEQ, 5, 5, true }, { DRM_VSVM_OP_BEQ, 5, 6, false },
		{ DRM_VSVM_OP_BNE, 5, 6, true }, { DRM_VSVM_OP_BNE, 5, 5, false },
		{ DRM_VSVM_OP_BLT, S64(-1), 1, true },
		{ DRM_VSVM_OP_BLT, 1, S64(-1), false },
		{ DRM_VSVM_OP_BLT, 3, 3, false },
		{ DRM_VSVM_OP_BGE, 3, 3, true },
		{ DRM_VSVM_OP_BGE, S64(-1), 1, false },
		{ DRM_VSVM_OP_BGE, S64_MAX, S64(S64_MIN), true },
		{ DRM_VSVM_OP_BLTU, 1, U64_MAX, true },
		{ DRM_VSVM_OP_BLTU, U64_MAX, 1, false },
		{ DRM_VSVM_OP_BLTU, 3, 3, false },
		{ DRM_VSVM_OP_BGEU, U64_MAX, 0, true },
		{ DRM_VSVM_OP_BGEU, 3, 3, true },
		{ DRM_VSVM_OP_BGEU, 0, 1, false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		bool jmp = t[i].op == DRM_VSVM_OP_JMP;
		u64 prog[] = {
			vsvm_test_encode(t[i].op, 0, jmp ? 0 : 1, jmp ? 0 : 2,
					 2),
			VSVM_INSN(LI, 3, 0, 0, 0),
			VSVM_INSN(END, 0, 0, 0, 0),
			VSVM_INSN(LI, 3, 0, 0, 1),
			VSVM_INSN(END, 0, 0, 0, 0),
		};
		struct vsvm_lane lane = { };
		u64 steps;

		lane.regs[1] = t[i].a;
		lane.regs[2] = t[i].b;
		lane.regs[3] = 55;
		KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog,
						    ARRAY_SIZE(prog), &lane,
						    100, &steps, NULL),
				VSVM_ISA_END);
		KUNIT_EXPECT_EQ_MSG(test, lane.regs[3], (u64)t[i].taken,
				    "case %u op %#x", i, t[i].op);
		KUNIT_EXPECT_EQ_MSG(test, lane.pc, t[i].taken ? 4u : 2u,
				    "case %u", i);
		KUNIT_EXPECT_EQ(test, steps, 3ull);
	}
}

/* sum = 1 + 2 + ... + 100 in r1 */
static const u64 vsvm_test_sum_prog[] = {
	VSVM_INSN(LI, 1, 0, 0, 0),
	VSVM_INSN(LI, 2, 0, 0, 1),
	VSVM_INSN(LI, 3, 0, 0, 101),
	VSVM_INSN(ADD, 1, 1, 2, 0),
	VSVM_INSN(ADDI, 2, 2, 0, 1),
	VSVM_INSN(BLT, 0, 2, 3, -3),
	VSVM_INSN(END, 0, 0, 0, 0),
};

#define VSVM_TEST_SUM_STEPS	(3 + 100 * 3 + 1)

static void vsvm_isa_test_loop(struct kunit *test)
{
	static const u64 back[] = {
		VSVM_INSN(JMP, 0, 0, 0, 2),	/* 0: to 3 */
		VSVM_INSN(LI, 4, 0, 0, 4),	/* 1 */
		VSVM_INSN(END, 0, 0, 0, 0),	/* 2 */
		VSVM_INSN(LI, 5, 0, 0, 5),	/* 3 */
		VSVM_INSN(JMP, 0, 0, 0, -4),	/* 4: to 1 */
	};
	struct vsvm_lane lane = { };
	u64 steps;

	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, vsvm_test_sum_prog,
					    ARRAY_SIZE(vsvm_test_sum_prog),
					    &lane, VSVM_TEST_STEPS, &steps,
					    NULL),
			VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, lane.regs[1], 5050ull);
	KUNIT_EXPECT_EQ(test, lane.regs[2], 101ull);
	KUNIT_EXPECT_EQ(test, steps, (u64)VSVM_TEST_SUM_STEPS);

	memset(&lane, 0, sizeof(lane));
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, back, ARRAY_SIZE(back),
					    &lane, 100, &steps, NULL),
			VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, lane.regs[4], 4ull);
	KUNIT_EXPECT_EQ(test, lane.regs[5], 5ull);
	KUNIT_EXPECT_EQ(test, lane.pc, 2u);
	KUNIT_EXPECT_EQ(test, steps, 5ull);
}

/* Step limit */

static void vsvm_isa_test_steps(struct kunit *test)
{
	const u32 n = ARRAY_SIZE(vsvm_test_sum_prog);
	struct vsvm_lane lane = { };
	enum vsvm_isa_stop stop;
	u64 steps, total = 0;
	unsigned int calls = 0;

	/* No budget: nothing happens. */
	lane.regs[1] = 77;
	stop = vsvm_test_run(test, vsvm_test_sum_prog, n, &lane, 0, &steps,
			     NULL);
	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_STEPS);
	KUNIT_EXPECT_EQ(test, steps, 0ull);
	KUNIT_EXPECT_EQ(test, lane.pc, 0u);
	KUNIT_EXPECT_EQ(test, lane.regs[1], 77ull);

	/* 10 steps: three LIs, then ADD ADDI BLT twice, then ADD. */
	stop = vsvm_test_run(test, vsvm_test_sum_prog, n, &lane, 10, &steps,
			     NULL);
	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_STEPS);
	KUNIT_EXPECT_EQ(test, steps, 10ull);
	KUNIT_EXPECT_EQ(test, lane.pc, 4u);
	KUNIT_EXPECT_EQ(test, lane.regs[1], 6ull);
	total += steps;

	/* Continue in slices of 7 until the end. */
	do {
		stop = vsvm_test_run(test, vsvm_test_sum_prog, n, &lane, 7,
				     &steps, NULL);
		KUNIT_ASSERT_LE(test, steps, 7ull);
		total += steps;
		calls++;
	} while (stop == VSVM_ISA_STEPS && calls < 1000);
	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, lane.regs[1], 5050ull);
	KUNIT_EXPECT_EQ(test, total, (u64)VSVM_TEST_SUM_STEPS);
	KUNIT_EXPECT_EQ(test, calls, DIV_ROUND_UP(VSVM_TEST_SUM_STEPS - 10, 7));

	/* A budget of exactly the program's length ends it; one less not. */
	memset(&lane, 0, sizeof(lane));
	stop = vsvm_test_run(test, vsvm_test_sum_prog, n, &lane,
			     VSVM_TEST_SUM_STEPS, &steps, NULL);
	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, steps, (u64)VSVM_TEST_SUM_STEPS);

	memset(&lane, 0, sizeof(lane));
	stop = vsvm_test_run(test, vsvm_test_sum_prog, n, &lane,
			     VSVM_TEST_SUM_STEPS - 1, &steps, NULL);
	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_STEPS);
	KUNIT_EXPECT_EQ(test, lane.pc, n - 1);
	stop = vsvm_test_run(test, vsvm_test_sum_prog, n, &lane, 1, &steps,
			     NULL);
	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, steps, 1ull);
	KUNIT_EXPECT_EQ(test, lane.regs[1], 5050ull);
}

/* Exceptions */

static void vsvm_isa_test_exceptions(struct kunit *test)
{
	static const u8 divs[] = { DRM_VSVM_OP_DIVU, DRM_VSVM_OP_DIVS, DRM_VSVM_OP_REMU };
	struct vsvm_test_ctx *ctx = test->priv;
	struct vsvm_isa_fault exc = { };
	struct vsvm_lane lane = { };
	enum vsvm_isa_stop stop;
	unsigned int i;
	u64 steps;

	for (i = 0; i < ARRAY_SIZE(divs); i++) {
		u64 prog[] = {
			VSVM_INSN(LI, 1, 0, 0, 100),
			VSVM_INSN(LI, 2, 0, 0, 0),
			vsvm_test_encode(divs[i], 3, 1, 2, 0),
			VSVM_INSN(END, 0, 0, 0, 0),
		};

		memset(&lane, 0, sizeof(lane));
		lane.regs[3] = 1234;
		stop = vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100,
				     &steps, &exc);
		KUNIT_EXPECT_EQ_MSG(test, stop, VSVM_ISA_EXCEPTION, "op %#x",
				    divs[i]);
		KUNIT_EXPECT_EQ(test, exc.exception, (u32)DRM_VSVM_EXC_DIV_ZERO);
		KUNIT_EXPECT_EQ(test, lane.pc, 2u);
		KUNIT_EXPECT_EQ(test, steps, 2ull);
		KUNIT_EXPECT_EQ(test, lane.regs[3], 1234ull);
	}

	/* Running off the end of a valid program. */
	{
		static const u64 prog[] = {
			VSVM_INSN(NOP, 0, 0, 0, 0),
			VSVM_INSN(LI, 1, 0, 0, 1),
		};

		memset(&lane, 0, sizeof(lane));
		stop = vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100,
				     &steps, &exc);
		KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_EXCEPTION);
		KUNIT_EXPECT_EQ(test, exc.exception, (u32)DRM_VSVM_EXC_PC_RANGE);
		KUNIT_EXPECT_EQ(test, steps, 2ull);
		KUNIT_EXPECT_EQ(test, lane.pc, 2u);
		KUNIT_EXPECT_EQ(test, lane.regs[1], 1ull);
	}

	/* Defensive checks on programs the validator would reject. */
	{
		static const u64 bad_op[] = { VSVM_INSN(COUNT, 0, 0, 0, 0) };
		static const u64 bad_br[] = { VSVM_INSN(JMP, 0, 0, 0, 5) };
		struct vsvm_isa_fault fault;

		memset(&lane, 0, sizeof(lane));
		stop = vsvm_isa_run(&ctx->env, bad_op, 1, &lane, 100, &steps,
				    &fault);
		KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_EXCEPTION);
		KUNIT_EXPECT_EQ(test, steps, 0ull);
		stop = vsvm_isa_run(&ctx->env, bad_br, 1, &lane, 100, &steps,
				    &fault);
		KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_EXCEPTION);
		KUNIT_EXPECT_EQ(test, lane.pc, 0u);
		lane.pc = 7;
		stop = vsvm_isa_run(&ctx->env, bad_br, 1, &lane, 100, &steps,
				    &fault);
		KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_EXCEPTION);
	}
}

/* Memory */

static void vsvm_isa_test_loads(struct kunit *test)
{
	static const u8 pattern[16] = {
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	};
	static const struct {
		u8 op;
		s32 off;
		u64 want;
		u32 size;
	} t[] = {
		{ DRM_VSVM_OP_LD8, 0, 0x88, 1 },
		{ DRM_VSVM_OP_LD16, 0, 0x9988, 2 },
		{ DRM_VSVM_OP_LD32, 0, 0xbbaa9988, 4 },
		{ DRM_VSVM_OP_LD64, 0, 0xffeeddccbbaa9988ull, 8 },
		{ DRM_VSVM_OP_LDS8, 0, 0xffffffffffffff88ull, 1 },
		{ DRM_VSVM_OP_LDS16, 0, 0xffffffffffff9988ull, 2 },
		{ DRM_VSVM_OP_LDS32, 0, 0xffffffffbbaa9988ull, 4 },
		{ DRM_VSVM_OP_LD8, 7, 0xff, 1 },
		{ DRM_VSVM_OP_LDS8, 8, 0x01, 1 },
		{ DRM_VSVM_OP_LDS16, 8, 0x0201, 2 },
		{ DRM_VSVM_OP_LDS32, 8, 0x04030201, 4 },
		{ DRM_VSVM_OP_LD64, 8, 0x0807060504030201ull, 8 },
		{ DRM_VSVM_OP_LD16, 6, 0xffee, 2 },
		{ DRM_VSVM_OP_LD32, 12, 0x08070605, 4 },
	};
	struct vsvm_test_ctx *ctx = test->priv;
	unsigned int i;

	memcpy(ctx->buf + 64, pattern, sizeof(pattern));
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		/* ra points past the data, a negative imm reaches back. */
		u64 prog[] = {
			vsvm_test_encode(t[i].op, 4, 1, 0, t[i].off - 256),
			VSVM_INSN(END, 0, 0, 0, 0),
		};
		struct vsvm_lane lane = { };
		u64 steps;

		lane.regs[1] = VSVM_TEST_BASE + 64 + 256;
		lane.regs[4] = 0x5555555555555555ull;
		ctx->calls = 0;
		KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog,
						    ARRAY_SIZE(prog), &lane,
						    10, &steps, NULL),
				VSVM_ISA_END);
		KUNIT_EXPECT_EQ_MSG(test, lane.regs[4], t[i].want,
				    "case %u op %#x", i, t[i].op);
		KUNIT_EXPECT_EQ(test, ctx->calls, 1u);
		KUNIT_EXPECT_EQ(test, ctx->last_addr,
				VSVM_TEST_BASE + 64 + t[i].off);
		KUNIT_EXPECT_EQ(test, ctx->last_size, t[i].size);
		KUNIT_EXPECT_EQ(test, ctx->last_access,
				(u32)DRM_VSVM_ACCESS_READ);
	}
	KUNIT_EXPECT_MEMEQ(test, ctx->buf + 64, pattern, sizeof(pattern));
}

static void vsvm_isa_test_stores(struct kunit *test)
{
	static const u64 prog[] = {
		VSVM_INSN(ST8, 0, 1, 2, 0),
		VSVM_INSN(ST16, 0, 1, 2, 8),
		VSVM_INSN(ST32, 0, 1, 2, 16),
		VSVM_INSN(ST64, 0, 1, 2, 24),
		VSVM_INSN(ST8, 0, 1, 2, 39),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	static const u8 want[40] = {
		0x88, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
		0x88, 0x77, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
		0x88, 0x77, 0x66, 0x55, 0xa5, 0xa5, 0xa5, 0xa5,
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
		0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0x88,
	};
	struct vsvm_test_ctx *ctx = test->priv;
	struct vsvm_lane lane = { };
	u64 steps;

	memset(ctx->buf, 0xa5, VSVM_TEST_MEM_SIZE);
	lane.regs[1] = VSVM_TEST_BASE + 128;
	lane.regs[2] = 0x1122334455667788ull;
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog, ARRAY_SIZE(prog),
					    &lane, 10, &steps, NULL),
			VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, steps, 6ull);
	KUNIT_EXPECT_MEMEQ(test, ctx->buf + 128, want, sizeof(want));
	KUNIT_EXPECT_EQ(test, ctx->buf[127], 0xa5);
	KUNIT_EXPECT_EQ(test, ctx->buf[128 + sizeof(want)], 0xa5);
	KUNIT_EXPECT_EQ(test, ctx->calls, 5u);
	KUNIT_EXPECT_EQ(test, ctx->last_access, (u32)DRM_VSVM_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, ctx->last_size, 1u);
	KUNIT_EXPECT_EQ(test, ctx->last_addr, VSVM_TEST_BASE + 128 + 39);
}

static void vsvm_isa_test_misaligned(struct kunit *test)
{
	static const struct {
		u8 op;
		u32 access;
		s32 off;
	} t[] = {
		{ DRM_VSVM_OP_LD16, DRM_VSVM_ACCESS_READ, 1 },
		{ DRM_VSVM_OP_LDS16, DRM_VSVM_ACCESS_READ, 3 },
		{ DRM_VSVM_OP_LD32, DRM_VSVM_ACCESS_READ, 2 },
		{ DRM_VSVM_OP_LDS32, DRM_VSVM_ACCESS_READ, 1 },
		{ DRM_VSVM_OP_LD64, DRM_VSVM_ACCESS_READ, 4 },
		{ DRM_VSVM_OP_ST16, DRM_VSVM_ACCESS_WRITE, 1 },
		{ DRM_VSVM_OP_ST32, DRM_VSVM_ACCESS_WRITE, 6 },
		{ DRM_VSVM_OP_ST64, DRM_VSVM_ACCESS_WRITE, 7 },
		{ DRM_VSVM_OP_AADD32, DRM_VSVM_ACCESS_ATOMIC, 2 },
		{ DRM_VSVM_OP_AADD64, DRM_VSVM_ACCESS_ATOMIC, 4 },
		{ DRM_VSVM_OP_ACMPXCHG64, DRM_VSVM_ACCESS_ATOMIC, 1 },
		{ DRM_VSVM_OP_AMAXU64, DRM_VSVM_ACCESS_ATOMIC, 12 },
	};
	struct vsvm_test_ctx *ctx = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		u64 prog[] = {
			VSVM_INSN(LI, 3, 0, 0, 9),
			vsvm_test_encode(t[i].op,
					 t[i].access == DRM_VSVM_ACCESS_WRITE ? 0 : 2,
					 1,
					 t[i].access == DRM_VSVM_ACCESS_READ ? 0 : 3,
					 t[i].off),
			VSVM_INSN(END, 0, 0, 0, 0),
		};
		struct vsvm_isa_fault fault = { };
		struct vsvm_lane lane = { };
		u64 steps;

		memset(ctx->buf, 0, 64);
		lane.regs[1] = VSVM_TEST_BASE + 16;
		lane.regs[2] = 0x2222;
		ctx->calls = 0;
		KUNIT_EXPECT_EQ_MSG(test, vsvm_test_run(test, prog,
							ARRAY_SIZE(prog),
							&lane, 10, &steps,
							&fault),
				    VSVM_ISA_FAULT, "case %u", i);
		KUNIT_EXPECT_EQ(test, fault.err, -EFAULT);
		KUNIT_EXPECT_EQ(test, fault.addr, VSVM_TEST_BASE + 16 + t[i].off);
		KUNIT_EXPECT_EQ(test, fault.access, t[i].access);
		KUNIT_EXPECT_EQ(test, lane.pc, 1u);
		KUNIT_EXPECT_EQ(test, steps, 1ull);
		KUNIT_EXPECT_EQ(test, lane.regs[2], 0x2222ull);
		KUNIT_EXPECT_EQ(test, ctx->calls, 0u);
		KUNIT_EXPECT_TRUE(test, !memchr_inv(ctx->buf, 0, 64));
	}

	/* Bytes are never misaligned. */
	{
		static const u64 prog[] = {
			VSVM_INSN(LD8, 2, 1, 0, 1),
			VSVM_INSN(END, 0, 0, 0, 0),
		};
		struct vsvm_lane lane = { };
		u64 steps;

		ctx->buf[17] = 0x42;
		lane.regs[1] = VSVM_TEST_BASE + 16;
		KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog,
						    ARRAY_SIZE(prog), &lane,
						    10, &steps, NULL),
				VSVM_ISA_END);
		KUNIT_EXPECT_EQ(test, lane.regs[2], 0x42ull);
	}
}

/* Fill the test memory with a byte pattern. */
static void vsvm_test_fill_bytes(u8 *mem)
{
	unsigned int i;

	for (i = 0; i < VSVM_TEST_MEM_SIZE; i++)
		mem[i] = i * 7 + 3;
}

static void vsvm_isa_test_bcopy(struct kunit *test)
{
	static const u64 prog[] = {
		VSVM_INSN(BCOPY, 1, 2, 3, 0),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	struct vsvm_test_ctx *ctx = test->priv;
	struct vsvm_isa_fault fault = { };
	struct vsvm_lane lane = { };
	enum vsvm_isa_stop stop;
	u8 *mem = ctx->buf, *ref;
	u64 steps;

	ref = kunit_kzalloc(test, VSVM_TEST_MEM_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref);

	/* Unaligned, inside one page: one step, then END. */
	vsvm_test_fill_bytes(mem);
	memcpy(ref, mem, VSVM_TEST_MEM_SIZE);
	lane.regs[1] = VSVM_TEST_BASE + 2001;
	lane.regs[2] = VSVM_TEST_BASE + 10;
	lane.regs[3] = 100;
	stop = vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100, &steps, &fault);
	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, steps, 2ull);
	KUNIT_EXPECT_EQ(test, memcmp(mem + 2001, ref + 10, 100), 0);
	KUNIT_EXPECT_EQ(test, memcmp(mem, ref, 2001), 0);
	KUNIT_EXPECT_EQ(test, memcmp(mem + 2101, ref + 2101, VSVM_TEST_MEM_SIZE - 2101), 0);
	KUNIT_EXPECT_EQ(test, lane.regs[1], VSVM_TEST_BASE + 2101);
	KUNIT_EXPECT_EQ(test, lane.regs[2], VSVM_TEST_BASE + 110);
	KUNIT_EXPECT_EQ(test, lane.regs[3], 0ull);

	/* Zero bytes: no access at all. */
	memset(&lane, 0, sizeof(lane));
	ctx->calls = 0;
	stop = vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100, &steps, &fault);
	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, ctx->calls, 0u);

	/*
	 * Across the end of the source page: the first step copies up to the
	 * boundary, the second faults on the next page with the registers
	 * describing what is left.
	 */
	vsvm_test_fill_bytes(mem);
	memcpy(ref, mem, VSVM_TEST_MEM_SIZE);
	memset(&lane, 0, sizeof(lane));
	lane.regs[1] = VSVM_TEST_BASE + 100;
	lane.regs[2] = VSVM_TEST_BASE + 4000;
	lane.regs[3] = 200;
	stop = vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100, &steps, &fault);
	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_FAULT);
	KUNIT_EXPECT_EQ(test, fault.err, -ENXIO);
	KUNIT_EXPECT_EQ(test, fault.access, (u32)DRM_VSVM_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, fault.addr, VSVM_TEST_BASE + 4096);
	KUNIT_EXPECT_EQ(test, steps, 1ull);
	KUNIT_EXPECT_EQ(test, lane.pc, 0u);
	KUNIT_EXPECT_EQ(test, lane.regs[1], VSVM_TEST_BASE + 196);
	KUNIT_EXPECT_EQ(test, lane.regs[2], VSVM_TEST_BASE + 4096);
	KUNIT_EXPECT_EQ(test, lane.regs[3], 104ull);
	KUNIT_EXPECT_EQ(test, memcmp(mem + 100, ref + 4000, 96), 0);
	KUNIT_EXPECT_EQ(test, memcmp(mem + 196, ref + 196, 104), 0);

	/* A destination fault has no effect and replays the whole step. */
	vsvm_test_fill_bytes(mem);
	memcpy(ref, mem, VSVM_TEST_MEM_SIZE);
	memset(&lane, 0, sizeof(lane));
	lane.regs[1] = VSVM_TEST_BASE + 3000;
	lane.regs[2] = VSVM_TEST_BASE;
	lane.regs[3] = 64;
	ctx->calls = 0;
	ctx->fail_call = 2;
	ctx->fail_err = -EAGAIN;
	stop = vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100, &steps, &fault);
	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_FAULT);
	KUNIT_EXPECT_EQ(test, fault.access, (u32)DRM_VSVM_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, fault.addr, VSVM_TEST_BASE + 3000);
	KUNIT_EXPECT_EQ(test, steps, 0ull);
	KUNIT_EXPECT_EQ(test, lane.regs[3], 64ull);
	KUNIT_EXPECT_EQ(test, memcmp(mem, ref, VSVM_TEST_MEM_SIZE), 0);
	stop = vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100, &steps, &fault);
	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, memcmp(mem + 3000, ref, 64), 0);
	ctx->fail_call = 0;
}

static void vsvm_isa_test_fault_replay(struct kunit *test)
{
	static const u64 prog[] = {
		VSVM_INSN(LD64, 2, 1, 0, 8),
		VSVM_INSN(ADDI, 2, 2, 0, 1),
		VSVM_INSN(ST64, 0, 1, 2, 16),
		VSVM_INSN(AADD64, 3, 1, 2, 24),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	static const struct {
		unsigned int fail_call;
		u32 pc;
		u32 access;
		u64 addr_off;
	} t[] = {
		{ 1, 0, DRM_VSVM_ACCESS_READ, 8 },
		{ 2, 2, DRM_VSVM_ACCESS_WRITE, 16 },
		{ 3, 3, DRM_VSVM_ACCESS_ATOMIC, 24 },
	};
	struct vsvm_test_ctx *ctx = test->priv;
	u64 *mem = (u64 *)ctx->buf;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct vsvm_isa_fault fault = { };
		struct vsvm_lane lane = { };
		struct vsvm_lane saved;
		enum vsvm_isa_stop stop;
		u64 steps, total;

		mem[1] = 41;
		mem[2] = 0;
		mem[3] = 1000;
		lane.regs[1] = VSVM_TEST_BASE;
		lane.regs[3] = 77;
		ctx->calls = 0;
		ctx->fail_call = t[i].fail_call;
		ctx->fail_err = -EAGAIN;

		stop = vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100,
				     &steps, &fault);
		KUNIT_EXPECT_EQ_MSG(test, stop, VSVM_ISA_FAULT, "case %u", i);
		KUNIT_EXPECT_EQ(test, fault.err, -EAGAIN);
		KUNIT_EXPECT_EQ(test, fault.access, t[i].access);
		KUNIT_EXPECT_EQ(test, fault.addr, VSVM_TEST_BASE + t[i].addr_off);
		KUNIT_EXPECT_EQ(test, lane.pc, t[i].pc);
		KUNIT_EXPECT_EQ(test, steps, (u64)t[i].pc);
		/* The faulting instruction had no effect. */
		KUNIT_EXPECT_EQ(test, mem[2], t[i].pc > 2 ? 42ull : 0ull);
		KUNIT_EXPECT_EQ(test, mem[3], 1000ull);
		KUNIT_EXPECT_EQ(test, lane.regs[3], 77ull);
		total = steps;

		/* Replay after the "fault is resolved". */
		saved = lane;
		stop = vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100,
				     &steps, &fault);
		KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_END);
		total += steps;
		KUNIT_EXPECT_EQ(test, total, 5ull);
		KUNIT_EXPECT_EQ(test, steps, 5ull - saved.pc);
		KUNIT_EXPECT_EQ(test, lane.regs[2], 42ull);
		KUNIT_EXPECT_EQ(test, mem[1], 41ull);
		KUNIT_EXPECT_EQ(test, mem[2], 42ull);
		KUNIT_EXPECT_EQ(test, lane.regs[3], 1000ull);
		KUNIT_EXPECT_EQ(test, mem[3], 1042ull);
		/* Three accesses, one of them twice. */
		KUNIT_EXPECT_EQ(test, ctx->calls, 4u);
	}

	/* An unrecoverable error is passed through; outside memory too. */
	{
		struct vsvm_isa_fault fault = { };
		struct vsvm_lane lane = { };
		u64 steps;

		ctx->calls = 0;
		ctx->fail_call = 2;
		ctx->fail_err = -EPERM;
		lane.regs[1] = VSVM_TEST_BASE;
		KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog,
						    ARRAY_SIZE(prog), &lane,
						    100, &steps, &fault),
				VSVM_ISA_FAULT);
		KUNIT_EXPECT_EQ(test, fault.err, -EPERM);
		KUNIT_EXPECT_EQ(test, lane.pc, 2u);

		ctx->fail_call = 0;
		memset(&lane, 0, sizeof(lane));
		lane.regs[1] = VSVM_TEST_BASE + VSVM_TEST_MEM_SIZE - 16;
		KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog,
						    ARRAY_SIZE(prog), &lane,
						    100, &steps, &fault),
				VSVM_ISA_FAULT);
		KUNIT_EXPECT_EQ(test, fault.err, -ENXIO);
		KUNIT_EXPECT_EQ(test, fault.addr,
				VSVM_TEST_BASE + VSVM_TEST_MEM_SIZE);
		KUNIT_EXPECT_EQ(test, fault.access, (u32)DRM_VSVM_ACCESS_WRITE);
		KUNIT_EXPECT_EQ(test, lane.pc, 2u);
		KUNIT_EXPECT_EQ(test, lane.regs[2], 1ull);
	}

	/* The address wraps around the 64-bit space. */
	{
		static const u64 wrap[] = {
			VSVM_INSN(LD64, 2, 1, 0, -8),
			VSVM_INSN(END, 0, 0, 0, 0),
		};
		struct vsvm_isa_fault fault = { };
		struct vsvm_lane lane = { };
		u64 steps;

		lane.regs[1] = 0;
		KUNIT_EXPECT_EQ(test, vsvm_test_run(test, wrap, 2, &lane, 10,
						    &steps, &fault),
				VSVM_ISA_FAULT);
		KUNIT_EXPECT_EQ(test, fault.addr, U64_MAX - 7);
		KUNIT_EXPECT_EQ(test, fault.access, (u32)DRM_VSVM_ACCESS_READ);
	}
}

/* Atomics */

struct vsvm_test_atomic {
	u8 op;
	u64 mem;
	u64 rd;
	u64 rb;
	u64 want_rd;
	u64 want_mem;
};

static const struct vsvm_test_atomic vsvm_test_atomics32[] = {
	{ DRM_VSVM_OP_AADD32, 0xfffffffe, 0, 3, 0xfffffffe, 1 },
	{ DRM_VSVM_OP_AADD32, 5, 0, 0xffffffff00000002ull, 5, 7 },
	{ DRM_VSVM_OP_AXCHG32, 5, 0, 0x100000007ull, 5, 7 },
	{ DRM_VSVM_OP_AXCHG32, 0x80000000, 0, 1, 0x80000000, 1 },
	{ DRM_VSVM_OP_ACMPXCHG32, 5, 5, 9, 5, 9 },
	{ DRM_VSVM_OP_ACMPXCHG32, 5, 0xffffffff00000005ull, 9, 5, 9 },
	{ DRM_VSVM_OP_ACMPXCHG32, 5, 4, 9, 5, 5 },
	{ DRM_VSVM_OP_ACMPXCHG32, 0xffffffff, S64(-1), 0, 0xffffffff, 0 },
	{ DRM_VSVM_OP_AMIN32, 5, 0, S64(-3), 5, 0xfffffffd },
	{ DRM_VSVM_OP_AMIN32, 0xfffffffd, 0, 5, 0xfffffffd, 0xfffffffd },
	{ DRM_VSVM_OP_AMIN32, 0x7fffffff, 0, 0x80000000, 0x7fffffff, 0x80000000 },
	{ DRM_VSVM_OP_AMAX32, 0xfffffffd, 0, 5, 0xfffffffd, 5 },
	{ DRM_VSVM_OP_AMAX32, 5, 0, S64(-3), 5, 5 },
	{ DRM_VSVM_OP_AMAX32, 0x80000000, 0, 0x7fffffff, 0x80000000, 0x7fffffff },
	{ DRM_VSVM_OP_AAND32, 0xff00ff0f, 0, 0xffffffff0f0f0f0full, 0xff00ff0f, 0x0f000f0f },
	{ DRM_VSVM_OP_AOR32, 0xff00ff00, 0, 0xffffffff0000000full, 0xff00ff00, 0xff00ff0f },
	{ DRM_VSVM_OP_AXOR32, 0xffff0000, 0, 0xffffffff0ff00ff0ull, 0xffff0000, 0xf00f0ff0 },
	{ DRM_VSVM_OP_AMINU32, 5, 0, S64(-3), 5, 5 },
	{ DRM_VSVM_OP_AMINU32, 0xfffffffd, 0, 5, 0xfffffffd, 5 },
	{ DRM_VSVM_OP_AMINU32, 0x80000000, 0, 0x17fffffffull, 0x80000000, 0x7fffffff },
	{ DRM_VSVM_OP_AMAXU32, 5, 0, S64(-3), 5, 0xfffffffd },
	{ DRM_VSVM_OP_AMAXU32, 0xffffffff, 0, 0, 0xffffffff, 0xffffffff },
	{ DRM_VSVM_OP_AMAXU32, 0x7fffffff, 0, 0x80000000, 0x7fffffff, 0x80000000 },
};

static const struct vsvm_test_atomic vsvm_test_atomics64[] = {
	{ DRM_VSVM_OP_AADD64, U64_MAX, 0, 2, U64_MAX, 1 },
	{ DRM_VSVM_OP_AADD64, 1ull << 32, 0, S64(-1), 1ull << 32, U32_MAX },
	{ DRM_VSVM_OP_AXCHG64, 5, 0, U64_MAX, 5, U64_MAX },
	{ DRM_VSVM_OP_ACMPXCHG64, 5, 5, 9, 5, 9 },
	{ DRM_VSVM_OP_ACMPXCHG64, 5, 0x100000005ull, 9, 5, 5 },
	{ DRM_VSVM_OP_ACMPXCHG64, U64_MAX, U64_MAX, 0, U64_MAX, 0 },
	{ DRM_VSVM_OP_AMIN64, 5, 0, S64(-3), 5, S64(-3) },
	{ DRM_VSVM_OP_AMIN64, S64(-3), 0, 5, S64(-3), S64(-3) },
	{ DRM_VSVM_OP_AMAX64, S64(-3), 0, 5, S64(-3), 5 },
	{ DRM_VSVM_OP_AMAX64, S64_MAX, 0, S64(S64_MIN), S64_MAX, S64_MAX },
	{ DRM_VSVM_OP_AMINU64, 5, 0, S64(-3), 5, 5 },
	{ DRM_VSVM_OP_AMINU64, U64_MAX, 0, 5, U64_MAX, 5 },
	{ DRM_VSVM_OP_AMAXU64, 5, 0, S64(-3), 5, S64(-3) },
	{ DRM_VSVM_OP_AMAXU64, U64_MAX, 0, 5, U64_MAX, U64_MAX },
	{ DRM_VSVM_OP_AAND64, U64_MAX, 0, 0x8000000000000001ull, U64_MAX, 0x8000000000000001ull },
	{ DRM_VSVM_OP_AAND64, 0xf0f0f0f0f0f0f0f0ull, 0, 0, 0xf0f0f0f0f0f0f0f0ull, 0 },
	{ DRM_VSVM_OP_AOR64, 1ull << 63, 0, 1, 1ull << 63, (1ull << 63) | 1 },
	{ DRM_VSVM_OP_AOR64, 0, 0, 0x123456789ull, 0, 0x123456789ull },
	{ DRM_VSVM_OP_AXOR64, U64_MAX, 0, 0x00ff00ff00ff00ffull, U64_MAX, 0xff00ff00ff00ff00ull },
	{ DRM_VSVM_OP_AXOR64, 5, 0, 5, 5, 0 },
};

static void vsvm_test_atomic_table(struct kunit *test,
				   const struct vsvm_test_atomic *t,
				   unsigned int n, u32 size)
{
	struct vsvm_test_ctx *ctx = test->priv;
	unsigned int i;

	for (i = 0; i < n; i++) {
		/* The target sits between two guard words. */
		u8 *target = ctx->buf + 64 + size;
		u64 prog[] = {
			vsvm_test_encode(t[i].op, 3, 1, 2, 64 + size),
			VSVM_INSN(END, 0, 0, 0, 0),
		};
		struct vsvm_lane lane = { };
		u64 steps, mem;

		memset(ctx->buf + 64, 0xa5, 3 * size);
		if (size == 4)
			put_unaligned_le32(t[i].mem, target);
		else
			put_unaligned_le64(t[i].mem, target);
		lane.regs[1] = VSVM_TEST_BASE;
		lane.regs[2] = t[i].rb;
		lane.regs[3] = t[i].rd;
		ctx->calls = 0;
		KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog,
						    ARRAY_SIZE(prog), &lane,
						    10, &steps, NULL),
				VSVM_ISA_END);
		mem = size == 4 ? get_unaligned_le32(target) :
				  get_unaligned_le64(target);
		KUNIT_EXPECT_EQ_MSG(test, lane.regs[3], t[i].want_rd,
				    "case %u op %#x", i, t[i].op);
		KUNIT_EXPECT_EQ_MSG(test, mem, t[i].want_mem, "case %u op %#x",
				    i, t[i].op);
		KUNIT_EXPECT_EQ(test, lane.regs[2], t[i].rb);
		KUNIT_EXPECT_TRUE(test, !memchr_inv(ctx->buf + 64, 0xa5, size));
		KUNIT_EXPECT_TRUE(test, !memchr_inv(target + size, 0xa5, size));
		KUNIT_EXPECT_EQ(test, ctx->calls, 1u);
		KUNIT_EXPECT_EQ(test, ctx->last_size, size);
		KUNIT_EXPECT_EQ(test, ctx->last_access,
				(u32)DRM_VSVM_ACCESS_ATOMIC);
	}
}

static void vsvm_isa_test_atomics(struct kunit *test)
{
	vsvm_test_atomic_table(test, vsvm_test_atomics32,
			       ARRAY_SIZE(vsvm_test_atomics32), 4);
	vsvm_test_atomic_table(test, vsvm_test_atomics64,
			       ARRAY_SIZE(vsvm_test_atomics64), 8);
}

#define VSVM_TEST_CONCURRENT_ADDS	20000

struct vsvm_test_hammer {
	atomic_t *counter;
	atomic64_t *max;
	struct completion done;
};

static int vsvm_test_hammer_fn(void *data)
{
	struct vsvm_test_hammer *h = data;
	int i;

	for (i = 0; i < VSVM_TEST_CONCURRENT_ADDS; i++) {
		atomic_inc(h->counter);
		atomic64_inc(h->max);
	}
	complete(&h->done);
	return 0;
}

/*
 * Interpreter atomics race with CPU atomics on the same words: neither side
 * may lose an update. r4 counts iterations; the u32 at [r1] gets AADD32
 * and the u64 at [r1 + 8] AADD64, while a kthread increments both.
 */
static void vsvm_isa_test_atomics_concurrent(struct kunit *test)
{
	static const u64 prog[] = {
		VSVM_INSN(LI, 2, 0, 0, 1),
		VSVM_INSN(LI, 3, 0, 0, VSVM_TEST_CONCURRENT_ADDS),
		VSVM_INSN(LI, 4, 0, 0, 0),
		VSVM_INSN(AADD32, 5, 1, 2, 0),		/* 3 */
		VSVM_INSN(AADD64, 6, 1, 2, 8),
		VSVM_INSN(ADDI, 4, 4, 0, 1),
		VSVM_INSN(BLT, 0, 4, 3, -4),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	struct vsvm_test_ctx *ctx = test->priv;
	struct vsvm_test_hammer h;
	struct task_struct *task;
	struct vsvm_lane lane = { };
	enum vsvm_isa_stop stop;
	u64 steps;

	memset(ctx->buf, 0, 16);
	h.counter = (atomic_t *)ctx->buf;
	h.max = (atomic64_t *)(ctx->buf + 8);
	init_completion(&h.done);
	task = kthread_run(vsvm_test_hammer_fn, &h, "vsvm_isa_hammer");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));

	lane.regs[1] = VSVM_TEST_BASE;
	stop = vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane,
			     VSVM_TEST_STEPS, &steps, NULL);
	wait_for_completion(&h.done);

	KUNIT_EXPECT_EQ(test, stop, VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, lane.regs[4], (u64)VSVM_TEST_CONCURRENT_ADDS);
	KUNIT_EXPECT_EQ(test, atomic_read(h.counter),
			2 * VSVM_TEST_CONCURRENT_ADDS);
	KUNIT_EXPECT_EQ(test, atomic64_read(h.max),
			2ll * VSVM_TEST_CONCURRENT_ADDS);
}

/* Seeded random ALU programs against a C model */

static const u8 vsvm_test_rnd_ops[] = {
	DRM_VSVM_OP_MOV, DRM_VSVM_OP_LI, DRM_VSVM_OP_LIH,
	DRM_VSVM_OP_ADD, DRM_VSVM_OP_SUB, DRM_VSVM_OP_MUL, DRM_VSVM_OP_DIVU, DRM_VSVM_OP_DIVS,
	DRM_VSVM_OP_REMU, DRM_VSVM_OP_AND, DRM_VSVM_OP_OR, DRM_VSVM_OP_XOR, DRM_VSVM_OP_SHL,
	DRM_VSVM_OP_SHR, DRM_VSVM_OP_SAR, DRM_VSVM_OP_SLT, DRM_VSVM_OP_SLTU, DRM_VSVM_OP_SEQ,
	DRM_VSVM_OP_ADD32, DRM_VSVM_OP_SUB32, DRM_VSVM_OP_MUL32,
	DRM_VSVM_OP_ADDI, DRM_VSVM_OP_MULI, DRM_VSVM_OP_ANDI, DRM_VSVM_OP_ORI, DRM_VSVM_OP_XORI,
	DRM_VSVM_OP_SHLI, DRM_VSVM_OP_SHRI, DRM_VSVM_OP_SARI, DRM_VSVM_OP_SEXT32,
	DRM_VSVM_OP_ZEXT32,
};

static const u64 vsvm_test_rnd_values[] = {
	0, 1, 2, 3, U64_MAX, U64_MAX - 1, S64_MAX, 1ull << 63, U32_MAX,
	1ull << 31, 1ull << 32, 63, 64, 0xfffffffffffffff0ull,
};

static u64 vsvm_test_rnd_u64(struct rnd_state *rnd)
{
	u32 pick = prandom_u32_state(rnd) % 4;
	u64 v;

	if (!pick)
		return vsvm_test_rnd_values[prandom_u32_state(rnd) %
					    ARRAY_SIZE(vsvm_test_rnd_values)];
	v = (u64)prandom_u32_state(rnd) << 32 | prandom_u32_state(rnd);
	if (pick == 1)
		return v % 256;
	if (pick == 2)
		return (u64)(s64)(s32)v;
	return v;
}

static u8 vsvm_test_rnd_op(struct rnd_state *rnd)
{
	u8 op = vsvm_test_rnd_ops[prandom_u32_state(rnd) %
				  ARRAY_SIZE(vsvm_test_rnd_ops)];

	/* Divisions often hit a zero register: make them rarer. */
	if ((op == DRM_VSVM_OP_DIVU || op == DRM_VSVM_OP_DIVS ||
	     op == DRM_VSVM_OP_REMU) && prandom_u32_state(rnd) % 4)
		op = vsvm_test_rnd_ops[prandom_u32_state(rnd) %
				       ARRAY_SIZE(vsvm_test_rnd_ops)];
	return op;
}

/*
 * Reference semantics, written from the uAPI text without the kernel's
 * helpers. Returns false on division by zero.
 */
static bool vsvm_test_model(u64 insn, u64 *r)
{
	u8 op = insn & 0xff, rd = (insn >> 8) & 0xff;
	u64 a = r[(insn >> 16) & 0xff], b = r[(insn >> 24) & 0xff];
	s64 imm = (s32)(insn >> 32);
	s64 sa = (s64)a, sb = (s64)b;
	unsigned int sh;
	u64 res;

	/* The imm forms behave like the reg forms with b = imm. */
	if (op >= DRM_VSVM_OP_ADDI && op <= DRM_VSVM_OP_SARI) {
		static const u8 reg_form[] = {
			DRM_VSVM_OP_ADD, DRM_VSVM_OP_MUL, DRM_VSVM_OP_AND, DRM_VSVM_OP_OR,
			DRM_VSVM_OP_XOR, DRM_VSVM_OP_SHL, DRM_VSVM_OP_SHR, DRM_VSVM_OP_SAR,
		};

		op = reg_form[op - DRM_VSVM_OP_ADDI];
		b = (u64)imm;
	}
	sh = b % 64;

	switch (op) {
	case DRM_VSVM_OP_MOV:
		res = a;
		break;
	case DRM_VSVM_OP_LI:
		res = (u64)imm;
		break;
	case DRM_VSVM_OP_LIH:
		res = (r[rd] & 0xffffffffull) | ((u64)imm << 32);
		break;
	case DRM_VSVM_OP_ADD:
		res = a + b;
		break;
	case DRM_VSVM_OP_SUB:
		res = a - b;
		break;
	case DRM_VSVM_OP_MUL:
		res = a * b;
		break;
	case DRM_VSVM_OP_DIVU:
		if (!b)
			return false;
		res = a / b;
		break;
	case DRM_VSVM_OP_DIVS:
		if (!b)
			return false;
		if (sa == S64_MIN && sb == -1)
			res = a;
		else
			res = (u64)(sa / sb);
		break;
	case DRM_VSVM_OP_REMU:
		if (!b)
			return false;
		res = a % b;
		break;
	case DRM_VSVM_OP_AND:
		res = a & b;
		break;
	case DRM_VSVM_OP_OR:
		res = a | b;
		break;
	case DRM_VSVM_OP_XOR:
		res = a ^ b;
		break;
	case DRM_VSVM_OP_SHL:
		res = a << sh;
		break;
	case DRM_VSVM_OP_SHR:
		res = a >> sh;
		break;
	case DRM_VSVM_OP_SAR:
		res = sa < 0 ? ~(~a >> sh) : a >> sh;
		break;
	case DRM_VSVM_OP_SLT:
		res = sa < sb;
		break;
	case DRM_VSVM_OP_SLTU:
		res = a < b;
		break;
	case DRM_VSVM_OP_SEQ:
		res = a == b;
		break;
	case DRM_VSVM_OP_ADD32:
		res = (u32)(a + b);
		break;
	case DRM_VSVM_OP_SUB32:
		res = (u32)(a - b);
		break;
	case DRM_VSVM_OP_MUL32:
		res = (u32)((u32)a * (u32)b);
		break;
	case DRM_VSVM_OP_SEXT32:
		res = (a & 0xffffffffull) |
		      ((a & 0x80000000ull) ? 0xffffffff00000000ull : 0);
		break;
	default: /* DRM_VSVM_OP_ZEXT32 */
		res = a & 0xffffffffull;
		break;
	}
	r[rd] = res;
	return true;
}

#define VSVM_TEST_RND_PROGS	2000
#define VSVM_TEST_RND_LEN	24

static void vsvm_isa_test_random_alu(struct kunit *test)
{
	struct rnd_state rnd;
	unsigned int n, i, pc, exceptions = 0;
	u64 *prog;

	prog = kunit_kcalloc(test, VSVM_TEST_RND_LEN + 1, sizeof(*prog),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, prog);
	prandom_seed_state(&rnd, VSVM_TEST_SEED);
	kunit_info(test, "random_seed=%#x\n", VSVM_TEST_SEED);

	for (n = 0; n < VSVM_TEST_RND_PROGS; n++) {
		u64 model[DRM_VSVM_ISA_NUM_REGS];
		struct vsvm_lane lane = { };
		enum vsvm_isa_stop stop, want = VSVM_ISA_END;
		u64 steps;

		/* Few registers so results feed later instructions. */
		for (i = 0; i < 8; i++)
			lane.regs[i] = vsvm_test_rnd_u64(&rnd);
		for (i = 0; i < VSVM_TEST_RND_LEN; i++) {
			u8 op = vsvm_test_rnd_op(&rnd);
			u32 v = prandom_u32_state(&rnd);
			u8 rd = v & 7, ra = (v >> 3) & 7, rb = (v >> 6) & 7;
			s32 imm = (s32)vsvm_test_rnd_u64(&rnd);

			switch (op) {
			case DRM_VSVM_OP_MOV:
			case DRM_VSVM_OP_SEXT32:
			case DRM_VSVM_OP_ZEXT32:
				rb = 0;
				imm = 0;
				break;
			case DRM_VSVM_OP_LI:
			case DRM_VSVM_OP_LIH:
				ra = 0;
				rb = 0;
				break;
			case DRM_VSVM_OP_ADDI ... DRM_VSVM_OP_SARI:
				rb = 0;
				break;
			default:
				imm = 0;
				break;
			}
			prog[i] = vsvm_test_encode(op, rd, ra, rb, imm);
		}
		prog[VSVM_TEST_RND_LEN] = VSVM_INSN(END, 0, 0, 0, 0);

		memcpy(model, lane.regs, sizeof(model));
		for (pc = 0; pc < VSVM_TEST_RND_LEN; pc++) {
			if (!vsvm_test_model(prog[pc], model)) {
				want = VSVM_ISA_EXCEPTION;
				exceptions++;
				break;
			}
		}

		stop = vsvm_test_run(test, prog, VSVM_TEST_RND_LEN + 1, &lane,
				     VSVM_TEST_STEPS, &steps, NULL);
		KUNIT_ASSERT_EQ_MSG(test, stop, want, "program %u", n);
		KUNIT_ASSERT_EQ_MSG(test, lane.pc, pc, "program %u", n);
		KUNIT_ASSERT_EQ(test, steps,
				(u64)pc + (want == VSVM_ISA_END ? 1 : 0));
		for (i = 0; i < DRM_VSVM_ISA_NUM_REGS; i++)
			KUNIT_ASSERT_EQ_MSG(test, lane.regs[i], model[i],
					    "program %u r%u insn %#llx", n, i,
					    prog[pc ? pc - 1 : 0]);
	}
	/* Both outcomes are exercised. */
	kunit_info(test, "%u programs, %u divided by zero\n",
		   VSVM_TEST_RND_PROGS, exceptions);
	KUNIT_EXPECT_GT(test, exceptions, 0u);
	KUNIT_EXPECT_LT(test, exceptions, VSVM_TEST_RND_PROGS);
}

/* Floats (binary32 bit patterns) */

#define F_1_5		0x3fc00000ull
#define F_2		0x40000000ull
#define F_3		0x40400000ull
#define F_3_5		0x40600000ull
#define F_1		0x3f800000ull
#define F_M1		0xbf800000ull
#define F_4		0x40800000ull
#define F_0_25		0x3e800000ull
#define F_M0_5		0xbf000000ull
#define F_0		0x00000000ull
#define F_M0		0x80000000ull
#define F_INF		0x7f800000ull
#define F_MINF		0xff800000ull
#define F_NAN		0x7fc00000ull
#define F_7		0x40e00000ull
#define F_M7		0xc0e00000ull
#define F_M7_9		0xc0fccccdull
#define F_1E10		0x501502f9ull
#define F_M1E10		0xd01502f9ull
#define F_0_1		0x3dcccccdull
#define F_0_2		0x3e4ccccdull
#define F_0_3		0x3e99999aull
#define F_THIRD		0x3eaaaaabull
#define F_2P24		0x4b800000ull
#define F_2P31		0x4f000000ull
#define F_BIG_INT	0x4effffffull	/* 2147483520 */

#define F_JUNK		0xdeadbeef00000000ull	/* upper bits are ignored */
#define F_SNAN_P	0x7f800001ull	/* a signalling NaN */
#define F_NAN_NEG	0xffc00001ull

static const struct vsvm_test_alu vsvm_test_float_ops[] = {
	{ DRM_VSVM_OP_FADD, F_1_5, F_2, F_3_5 },
	{ DRM_VSVM_OP_FADD, F_0_1 | F_JUNK, F_0_2, F_0_3 },
	{ DRM_VSVM_OP_FADD, F_INF, F_1, F_INF },
	{ DRM_VSVM_OP_FSUB, F_1_5, F_2, F_M0_5 },
	{ DRM_VSVM_OP_FSUB, F_2, F_2, F_0 },
	{ DRM_VSVM_OP_FMUL, F_1_5, F_2 | F_JUNK, F_3 },
	{ DRM_VSVM_OP_FMUL, F_M1, F_0, F_M0 },
	{ DRM_VSVM_OP_FDIV, F_1, F_4, F_0_25 },
	{ DRM_VSVM_OP_FDIV, F_1, F_3, F_THIRD },
	{ DRM_VSVM_OP_FDIV, F_1, F_0, F_INF },
	{ DRM_VSVM_OP_FDIV, F_M1, F_0, F_MINF },
	{ DRM_VSVM_OP_FMIN, F_1_5, F_2, F_1_5 },
	{ DRM_VSVM_OP_FMIN, F_2, F_M1, F_M1 },
	{ DRM_VSVM_OP_FMIN, F_NAN, F_2, F_2 },
	{ DRM_VSVM_OP_FMIN, F_2, F_NAN, F_2 },
	{ DRM_VSVM_OP_FMIN, F_M0, F_0, F_M0 },
	{ DRM_VSVM_OP_FMIN, F_0, F_M0, F_M0 },
	{ DRM_VSVM_OP_FMIN, F_MINF, F_3, F_MINF },
	{ DRM_VSVM_OP_FMAX, F_1_5, F_2, F_2 },
	{ DRM_VSVM_OP_FMAX, F_NAN, F_M1, F_M1 },
	{ DRM_VSVM_OP_FMAX, F_M1, F_NAN | F_JUNK, F_M1 },
	{ DRM_VSVM_OP_FMAX, F_M0, F_0, F_0 },
	{ DRM_VSVM_OP_FMAX, F_INF, F_3, F_INF },
	/* v3: two NaNs give the default NaN; a signalling NaN loses too. */
	{ DRM_VSVM_OP_FMIN, F_SNAN_P, F_NAN_NEG, F_NAN },
	{ DRM_VSVM_OP_FMAX, F_NAN_NEG, F_NAN_NEG, F_NAN },
	{ DRM_VSVM_OP_FMIN, F_SNAN_P, F_M1, F_M1 },
	{ DRM_VSVM_OP_FMAX, F_3, F_SNAN_P, F_3 },
	{ DRM_VSVM_OP_FMIN, F_MINF, F_NAN, F_MINF },
	{ DRM_VSVM_OP_FMAX, F_NAN, F_INF, F_INF },
	{ DRM_VSVM_OP_FLT, F_1_5, F_2, 1 },
	{ DRM_VSVM_OP_FLT, F_2, F_1_5, 0 },
	{ DRM_VSVM_OP_FLT, F_2, F_2, 0 },
	{ DRM_VSVM_OP_FLT, F_M1, F_1, 1 },
	{ DRM_VSVM_OP_FLT, F_NAN, F_1, 0 },
	{ DRM_VSVM_OP_FLT, F_1, F_NAN, 0 },
	{ DRM_VSVM_OP_FLT, F_M0, F_0, 0 },
	{ DRM_VSVM_OP_FEQ, F_2, F_2 | F_JUNK, 1 },
	{ DRM_VSVM_OP_FEQ, F_2, F_3, 0 },
	{ DRM_VSVM_OP_FEQ, F_0, F_M0, 1 },
	{ DRM_VSVM_OP_FEQ, F_NAN, F_NAN, 0 },
};

static const struct vsvm_test_alu vsvm_test_float_conv[] = {
	{ DRM_VSVM_OP_I2F, 7, 0, F_7 },
	{ DRM_VSVM_OP_I2F, S64(-7), 0, F_M7 },
	{ DRM_VSVM_OP_I2F, 0, 0, F_0 },
	{ DRM_VSVM_OP_I2F, 0xffffffff00000001ull, 0, F_1 },
	{ DRM_VSVM_OP_I2F, 16777217, 0, F_2P24 },
	{ DRM_VSVM_OP_I2F, S32_MAX, 0, F_2P31 },
	{ DRM_VSVM_OP_F2I, F_3_5, 0, 3 },
	{ DRM_VSVM_OP_F2I, F_M7_9 | F_JUNK, 0, S64(-7) },
	{ DRM_VSVM_OP_F2I, F_M0_5, 0, 0 },
	{ DRM_VSVM_OP_F2I, F_BIG_INT, 0, 2147483520ull },
	{ DRM_VSVM_OP_F2I, F_NAN, 0, 0 },
	{ DRM_VSVM_OP_F2I, F_1E10, 0, S32_MAX },
	{ DRM_VSVM_OP_F2I, F_INF, 0, S32_MAX },
	{ DRM_VSVM_OP_F2I, F_2P31, 0, S32_MAX },
	{ DRM_VSVM_OP_F2I, F_M1E10, 0, S64(S32_MIN) },
	{ DRM_VSVM_OP_F2I, F_MINF, 0, S64(S32_MIN) },
};

static bool vsvm_test_is_nan(u64 v)
{
	return !upper_32_bits(v) && (v & 0x7fffffff) > F_INF;
}

static void vsvm_isa_test_floats(struct kunit *test)
{
	static const u64 nan_prog[] = {
		VSVM_INSN(FDIV, 3, 1, 1, 0),	/* 0 / 0 */
		VSVM_INSN(FSUB, 4, 2, 2, 0),	/* inf - inf */
		VSVM_INSN(FMIN, 5, 6, 6, 0),	/* NaN, NaN */
		VSVM_INSN(FADD, 7, 6, 2, 0),	/* NaN + inf */
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	struct vsvm_lane lane = { };
	u64 steps;

	vsvm_test_alu_table(test, vsvm_test_float_ops,
			    ARRAY_SIZE(vsvm_test_float_ops), VSVM_FORM_REG);
	vsvm_test_alu_table(test, vsvm_test_float_conv,
			    ARRAY_SIZE(vsvm_test_float_conv), VSVM_FORM_UNARY);

	lane.regs[1] = F_0;
	lane.regs[2] = F_INF;
	lane.regs[6] = F_NAN;
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, nan_prog,
					    ARRAY_SIZE(nan_prog), &lane, 10,
					    &steps, NULL),
			VSVM_ISA_END);
	KUNIT_EXPECT_TRUE(test, vsvm_test_is_nan(lane.regs[3]));
	KUNIT_EXPECT_TRUE(test, vsvm_test_is_nan(lane.regs[4]));
	KUNIT_EXPECT_TRUE(test, vsvm_test_is_nan(lane.regs[5]));
	KUNIT_EXPECT_TRUE(test, vsvm_test_is_nan(lane.regs[7]));
}

/* A float loop: r3 = sum of I2F(i) for i in 1..10, back to an int. */
static void vsvm_isa_test_float_loop(struct kunit *test)
{
	static const u64 prog[] = {
		VSVM_INSN(LI, 1, 0, 0, 1),
		VSVM_INSN(LI, 2, 0, 0, 11),
		VSVM_INSN(LI, 3, 0, 0, 0),		/* 0.0f */
		VSVM_INSN(I2F, 4, 1, 0, 0),
		VSVM_INSN(FADD, 3, 3, 4, 0),
		VSVM_INSN(ADDI, 1, 1, 0, 1),
		VSVM_INSN(BLT, 0, 1, 2, -4),
		VSVM_INSN(F2I, 5, 3, 0, 0),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	struct vsvm_lane lane = { };
	u64 steps;

	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog, ARRAY_SIZE(prog),
					    &lane, 1000, &steps, NULL),
			VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, lane.regs[3], 0x425c0000ull);	/* 55.0f */
	KUNIT_EXPECT_EQ(test, lane.regs[5], 55ull);
}

/*
 * The example of Documentation/gpu/vsvm-isa.rst, word for word: every lane
 * sums a strided slice of an array and adds it to the result atomically.
 * The lanes run interleaved in slices of 5 instructions.
 */
static void vsvm_isa_test_doc_example(struct kunit *test)
{
	static const u64 prog[] = {
		0x0000000000000305ull, 0x0000000100000405ull,
		0x0000000000000503ull, 0x000000060103003eull,
		0x000000030003062dull, 0x0000000006000610ull,
		0x0000000000060743ull, 0x0000000007050510ull,
		0x0000000004030310ull, 0xfffffff900000038ull,
		0x0000000005020851ull, 0x0000000000000001ull,
	};
	static const u64 spelled[] = {
		VSVM_INSN(SR, 3, 0, 0, DRM_VSVM_SREG_LANE_ID),
		VSVM_INSN(SR, 4, 0, 0, DRM_VSVM_SREG_LANE_COUNT),
		VSVM_INSN(LI, 5, 0, 0, 0),
		VSVM_INSN(BGEU, 0, 3, 1, 6),
		VSVM_INSN(SHLI, 6, 3, 0, 3),
		VSVM_INSN(ADD, 6, 0, 6, 0),
		VSVM_INSN(LD64, 7, 6, 0, 0),
		VSVM_INSN(ADD, 5, 5, 7, 0),
		VSVM_INSN(ADD, 3, 3, 4, 0),
		VSVM_INSN(JMP, 0, 0, 0, -7),
		VSVM_INSN(AADD64, 8, 2, 5, 0),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	const unsigned int nr = 100, lanes = 7, result_off = 2048;
	struct vsvm_test_ctx *ctx = test->priv;
	u64 *array = (u64 *)ctx->buf, want = 0, steps;
	struct vsvm_lane *lane;
	unsigned int i, running = lanes, rounds = 0;
	bool *done;

	KUNIT_ASSERT_EQ(test, memcmp(prog, spelled, sizeof(prog)), 0);

	lane = kunit_kcalloc(test, lanes, sizeof(*lane), GFP_KERNEL);
	done = kunit_kcalloc(test, lanes, sizeof(*done), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lane);
	KUNIT_ASSERT_NOT_NULL(test, done);
	for (i = 0; i < nr; i++) {
		array[i] = (u64)i * i + 7;
		want += array[i];
	}
	ctx->env.lane_count = lanes;
	for (i = 0; i < lanes; i++) {
		lane[i].lane_id = i;
		lane[i].regs[0] = VSVM_TEST_BASE;
		lane[i].regs[1] = nr;
		lane[i].regs[2] = VSVM_TEST_BASE + result_off;
	}

	while (running && rounds++ < 10000) {
		for (i = 0; i < lanes; i++) {
			enum vsvm_isa_stop stop;

			if (done[i])
				continue;
			stop = vsvm_test_run(test, prog, ARRAY_SIZE(prog),
					     &lane[i], 5, &steps, NULL);
			KUNIT_ASSERT_NE(test, stop, VSVM_ISA_FAULT);
			KUNIT_ASSERT_NE(test, stop, VSVM_ISA_EXCEPTION);
			if (stop == VSVM_ISA_END) {
				done[i] = true;
				running--;
			}
		}
	}
	KUNIT_EXPECT_EQ(test, running, 0u);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(ctx->buf + result_off), want);
	KUNIT_EXPECT_EQ(test, want, 328350ull + 700);
}

/* ISA version 3 */

/* Integer: REMS, with the division corner cases. */
static const struct vsvm_test_alu vsvm_test_rems[] = {
	{ DRM_VSVM_OP_REMS, 7, 3, 1 },
	{ DRM_VSVM_OP_REMS, S64(-7), 3, S64(-1) },
	{ DRM_VSVM_OP_REMS, 7, S64(-3), 1 },
	{ DRM_VSVM_OP_REMS, S64(-7), S64(-3), S64(-1) },
	{ DRM_VSVM_OP_REMS, S64(S64_MIN), S64(-1), 0 },
	{ DRM_VSVM_OP_REMS, S64(S64_MIN), 3, S64(-2) },
	{ DRM_VSVM_OP_REMS, S64_MAX, S64(S64_MIN), S64_MAX },
	{ DRM_VSVM_OP_REMS, S64(S64_MIN), S64(S64_MIN), 0 },
	{ DRM_VSVM_OP_REMS, 5, 1, 0 },
	{ DRM_VSVM_OP_DIVS, S64(S64_MIN), S64(-1), S64(S64_MIN) },
};

static void vsvm_isa_test_v3_int(struct kunit *test)
{
	static const u64 div0[] = {
		VSVM_INSN(LI, 1, 0, 0, 100),
		VSVM_INSN(REMS, 3, 1, 2, 0),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	struct vsvm_isa_fault fault = { };
	struct vsvm_lane lane = { };
	u64 steps;

	vsvm_test_alu_table(test, vsvm_test_rems, ARRAY_SIZE(vsvm_test_rems),
			    VSVM_FORM_REG);

	lane.regs[3] = 77;
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, div0, ARRAY_SIZE(div0), &lane,
					    10, &steps, &fault),
			VSVM_ISA_EXCEPTION);
	KUNIT_EXPECT_EQ(test, fault.exception, (u32)DRM_VSVM_EXC_DIV_ZERO);
	KUNIT_EXPECT_EQ(test, lane.pc, 1u);
	KUNIT_EXPECT_EQ(test, lane.regs[3], 77ull);
}

#define F_2P_M46	0x28800000ull
#define F_2P_M149	0x00000001ull
#define F_MAXF		0x7f7fffffull

/* FMA reads rd as the addend: {a, b, c (rd), want}. */
static const struct {
	u64 a, b, c, want;
} vsvm_test_fmas[] = {
	{ F_2, F_3, F_1, F_7 },
	/* (1 + 2^-23)^2 - (1 + 2^-22) = 2^-46: zero without fusing */
	{ 0x3f800001, 0x3f800001, 0xbf800002, F_2P_M46 },
	/*
	 * (1 + 2^-12)^2 + 2^-80: the sum rounded to binary64 is a binary32
	 * tie that would round down; the exact sum rounds up.
	 */
	{ 0x3f800800, 0x3f800800, 0x17800000, 0x3f801001 },
	/* 0.1f * 10 - 1 is not 0: 0.1f is not 0.1 */
	{ F_0_1, 0x41200000, F_M1, 0x32800000 },
	/* subnormal ties to even: 2^-149 / 2 -> 0, 3 * 2^-149 / 2 -> 2 * 2^-149 */
	{ F_2P_M149, 0x3f000000, F_0, F_0 },
	{ 0x00000003, 0x3f000000, F_0, 0x00000002 },
	/* the product overflows binary32 but not the fused sum */
	{ F_MAXF, F_2, 0xff7fffff, F_MAXF },
	{ F_INF, F_2, F_1 | F_JUNK, F_INF },
	{ F_M1, F_0, F_0, F_0 },	/* -0 + +0 = +0 */
	{ F_M1, F_0, F_M0, F_M0 },	/* -0 + -0 = -0 */
};

static const struct vsvm_test_alu vsvm_test_f_una[] = {
	{ DRM_VSVM_OP_FSQRT, F_4, 0, F_2 },
	{ DRM_VSVM_OP_FSQRT, F_2 | F_JUNK, 0, 0x3fb504f3 },
	{ DRM_VSVM_OP_FSQRT, F_2P_M149, 0, 0x1a3504f3 },
	{ DRM_VSVM_OP_FSQRT, 0x00800000, 0, 0x20000000 },
	{ DRM_VSVM_OP_FSQRT, F_MAXF, 0, 0x5f7fffff },
	{ DRM_VSVM_OP_FSQRT, 0x3f800001, 0, F_1 },
	{ DRM_VSVM_OP_FSQRT, F_INF, 0, F_INF },
	{ DRM_VSVM_OP_FSQRT, F_M0, 0, F_M0 },
	{ DRM_VSVM_OP_FSQRT, F_0, 0, F_0 },
	{ DRM_VSVM_OP_FABS, F_M1 | F_JUNK, 0, F_1 },
	{ DRM_VSVM_OP_FABS, F_1, 0, F_1 },
	{ DRM_VSVM_OP_FABS, F_MINF, 0, F_INF },
	{ DRM_VSVM_OP_FABS, F_NAN_NEG, 0, 0x7fc00001 },
	{ DRM_VSVM_OP_FABS, F_M0, 0, F_0 },
	{ DRM_VSVM_OP_FNEG, F_1, 0, F_M1 },
	{ DRM_VSVM_OP_FNEG, F_M0 | F_JUNK, 0, F_0 },
	{ DRM_VSVM_OP_FNEG, F_0, 0, F_M0 },
	{ DRM_VSVM_OP_FNEG, F_NAN, 0, 0xffc00000 },
	{ DRM_VSVM_OP_FNEG, F_INF, 0, F_MINF },
};

static void vsvm_isa_test_v3_float(struct kunit *test)
{
	static const u64 nan_prog[] = {
		VSVM_INSN(FMA, 3, 1, 2, 0),	/* 0 * inf + 1 */
		VSVM_INSN(FMA, 4, 5, 5, 0),	/* inf * inf - inf */
		VSVM_INSN(FMA, 6, 7, 5, 0),	/* NaN * inf + 1 */
		VSVM_INSN(FSQRT, 8, 9, 0, 0),	/* sqrt(-1) */
		VSVM_INSN(FSQRT, 10, 7, 0, 0),	/* sqrt(NaN) */
		VSVM_INSN(FSQRT, 11, 12, 0, 0),	/* sqrt(-inf) */
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	struct vsvm_lane lane = { };
	unsigned int i;
	u64 steps;

	for (i = 0; i < ARRAY_SIZE(vsvm_test_fmas); i++) {
		u64 prog[] = {
			VSVM_INSN(FMA, 3, 1, 2, 0),
			VSVM_INSN(END, 0, 0, 0, 0),
		};

		memset(&lane, 0, sizeof(lane));
		lane.regs[1] = vsvm_test_fmas[i].a;
		lane.regs[2] = vsvm_test_fmas[i].b;
		lane.regs[3] = vsvm_test_fmas[i].c;
		KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog, 2, &lane, 10, &steps, NULL),
				VSVM_ISA_END);
		KUNIT_EXPECT_EQ_MSG(test, lane.regs[3], vsvm_test_fmas[i].want, "fma case %u", i);
	}
	vsvm_test_alu_table(test, vsvm_test_f_una, ARRAY_SIZE(vsvm_test_f_una),
			    VSVM_FORM_UNARY);

	memset(&lane, 0, sizeof(lane));
	lane.regs[1] = F_0;
	lane.regs[2] = F_INF;
	lane.regs[3] = F_1;
	lane.regs[4] = F_MINF;
	lane.regs[5] = F_INF;
	lane.regs[6] = F_1;
	lane.regs[7] = F_NAN;
	lane.regs[9] = F_M1;
	lane.regs[12] = F_MINF;
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, nan_prog, ARRAY_SIZE(nan_prog),
					    &lane, 10, &steps, NULL),
			VSVM_ISA_END);
	for (i = 3; i <= 11; i++) {
		if (i == 5 || i == 7 || i == 9)
			continue;
		KUNIT_EXPECT_TRUE_MSG(test, vsvm_test_is_nan(lane.regs[i]), "r%u %#llx",
				      i, lane.regs[i]);
	}
}

#define CF_2_5	0x40200000ull
#define CF_M2_5	0xc0200000ull
#define CF_3_5	0x40600000ull
#define CF_0_5	0x3f000000ull
#define CF_M0_5	0xbf000000ull
#define CF_1E10	0x501502f9ull
#define CF_MINF	0xff800000ull
#define CF_INF	0x7f800000ull
#define CF_NAN	0x7fc00000ull
#define CF_2P31	0x4f000000ull
#define CF_M2P31	0xcf000000ull
#define CF_DENORM	0x00000001ull
#define CF_MDENORM	0x80000001ull
#define CF_M1	0xbf800000ull
#define CF_U32BIG	0x4f7fffffull
#define CF_2P32	0x4f800000ull
#define CF_2P62	0x5e800000ull
#define CF_2P63	0x5f000000ull
#define CF_M2P63	0xdf000000ull
#define CF_1_5	0x3fc00000ull
#define CF_U64BIG	0x5f7fffffull
#define CF_2P64	0x5f800000ull
#define CF_M0	0x80000000ull
#define CF_M1_5	0xbfc00000ull
#define CF_SNAN	0xff800001ull
struct vsvm_test_cvt {
	u8 op;
	u64 in;
	u64 want[4];	/* by enum drm_vsvm_isa_round */
};

/* Expected values computed with exact rational arithmetic. */
static const struct vsvm_test_cvt vsvm_test_cvts[] = {
	{ DRM_VSVM_OP_F2S32, CF_2_5, { 0x2, 0x2, 0x2, 0x3 } },
	{ DRM_VSVM_OP_F2S32, CF_M2_5,
	  { 0xfffffffffffffffe, 0xfffffffffffffffe, 0xfffffffffffffffd, 0xfffffffffffffffe } },
	{ DRM_VSVM_OP_F2S32, CF_3_5, { 0x4, 0x3, 0x3, 0x4 } },
	{ DRM_VSVM_OP_F2S32, CF_0_5, { 0x0, 0x0, 0x0, 0x1 } },
	{ DRM_VSVM_OP_F2S32, CF_M0_5, { 0x0, 0x0, 0xffffffffffffffff, 0x0 } },
	{ DRM_VSVM_OP_F2S32, CF_1E10, { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff } },
	{ DRM_VSVM_OP_F2S32, CF_MINF,
	  { 0xffffffff80000000, 0xffffffff80000000, 0xffffffff80000000, 0xffffffff80000000 } },
	{ DRM_VSVM_OP_F2S32, CF_INF, { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff } },
	{ DRM_VSVM_OP_F2S32, CF_NAN, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2S32, CF_2P31, { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff } },
	{ DRM_VSVM_OP_F2S32, CF_M2P31,
	  { 0xffffffff80000000, 0xffffffff80000000, 0xffffffff80000000, 0xffffffff80000000 } },
	{ DRM_VSVM_OP_F2S32, CF_DENORM, { 0x0, 0x0, 0x0, 0x1 } },
	{ DRM_VSVM_OP_F2S32, CF_MDENORM, { 0x0, 0x0, 0xffffffffffffffff, 0x0 } },
	{ DRM_VSVM_OP_F2S32, CF_M1,
	  { 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff } },
	{ DRM_VSVM_OP_F2S32, CF_U32BIG, { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff } },
	{ DRM_VSVM_OP_F2S32, CF_2P32, { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff } },
	{ DRM_VSVM_OP_F2S32, CF_2P62, { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff } },
	{ DRM_VSVM_OP_F2S32, CF_2P63, { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff } },
	{ DRM_VSVM_OP_F2S32, CF_M2P63,
	  { 0xffffffff80000000, 0xffffffff80000000, 0xffffffff80000000, 0xffffffff80000000 } },
	{ DRM_VSVM_OP_F2S32, CF_1_5, { 0x2, 0x1, 0x1, 0x2 } },
	{ DRM_VSVM_OP_F2S32, CF_U64BIG, { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff } },
	{ DRM_VSVM_OP_F2S32, CF_2P64, { 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff } },
	{ DRM_VSVM_OP_F2S32, CF_M0, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2S32, CF_M1_5,
	  { 0xfffffffffffffffe, 0xffffffffffffffff, 0xfffffffffffffffe, 0xffffffffffffffff } },
	{ DRM_VSVM_OP_F2S32, CF_SNAN, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U32, CF_2_5, { 0x2, 0x2, 0x2, 0x3 } },
	{ DRM_VSVM_OP_F2U32, CF_M2_5, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U32, CF_3_5, { 0x4, 0x3, 0x3, 0x4 } },
	{ DRM_VSVM_OP_F2U32, CF_0_5, { 0x0, 0x0, 0x0, 0x1 } },
	{ DRM_VSVM_OP_F2U32, CF_M0_5, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U32, CF_1E10, { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff } },
	{ DRM_VSVM_OP_F2U32, CF_MINF, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U32, CF_INF, { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff } },
	{ DRM_VSVM_OP_F2U32, CF_NAN, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U32, CF_2P31, { 0x80000000, 0x80000000, 0x80000000, 0x80000000 } },
	{ DRM_VSVM_OP_F2U32, CF_M2P31, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U32, CF_DENORM, { 0x0, 0x0, 0x0, 0x1 } },
	{ DRM_VSVM_OP_F2U32, CF_MDENORM, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U32, CF_M1, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U32, CF_U32BIG, { 0xffffff00, 0xffffff00, 0xffffff00, 0xffffff00 } },
	{ DRM_VSVM_OP_F2U32, CF_2P32, { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff } },
	{ DRM_VSVM_OP_F2U32, CF_2P62, { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff } },
	{ DRM_VSVM_OP_F2U32, CF_2P63, { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff } },
	{ DRM_VSVM_OP_F2U32, CF_M2P63, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U32, CF_1_5, { 0x2, 0x1, 0x1, 0x2 } },
	{ DRM_VSVM_OP_F2U32, CF_U64BIG, { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff } },
	{ DRM_VSVM_OP_F2U32, CF_2P64, { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff } },
	{ DRM_VSVM_OP_F2U32, CF_M0, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U32, CF_M1_5, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U32, CF_SNAN, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2S64, CF_2_5, { 0x2, 0x2, 0x2, 0x3 } },
	{ DRM_VSVM_OP_F2S64, CF_M2_5,
	  { 0xfffffffffffffffe, 0xfffffffffffffffe, 0xfffffffffffffffd, 0xfffffffffffffffe } },
	{ DRM_VSVM_OP_F2S64, CF_3_5, { 0x4, 0x3, 0x3, 0x4 } },
	{ DRM_VSVM_OP_F2S64, CF_0_5, { 0x0, 0x0, 0x0, 0x1 } },
	{ DRM_VSVM_OP_F2S64, CF_M0_5, { 0x0, 0x0, 0xffffffffffffffff, 0x0 } },
	{ DRM_VSVM_OP_F2S64, CF_1E10, { 0x2540be400, 0x2540be400, 0x2540be400, 0x2540be400 } },
	{ DRM_VSVM_OP_F2S64, CF_MINF,
	  { 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000 } },
	{ DRM_VSVM_OP_F2S64, CF_INF,
	  { 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff } },
	{ DRM_VSVM_OP_F2S64, CF_NAN, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2S64, CF_2P31, { 0x80000000, 0x80000000, 0x80000000, 0x80000000 } },
	{ DRM_VSVM_OP_F2S64, CF_M2P31,
	  { 0xffffffff80000000, 0xffffffff80000000, 0xffffffff80000000, 0xffffffff80000000 } },
	{ DRM_VSVM_OP_F2S64, CF_DENORM, { 0x0, 0x0, 0x0, 0x1 } },
	{ DRM_VSVM_OP_F2S64, CF_MDENORM, { 0x0, 0x0, 0xffffffffffffffff, 0x0 } },
	{ DRM_VSVM_OP_F2S64, CF_M1,
	  { 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff } },
	{ DRM_VSVM_OP_F2S64, CF_U32BIG, { 0xffffff00, 0xffffff00, 0xffffff00, 0xffffff00 } },
	{ DRM_VSVM_OP_F2S64, CF_2P32, { 0x100000000, 0x100000000, 0x100000000, 0x100000000 } },
	{ DRM_VSVM_OP_F2S64, CF_2P62,
	  { 0x4000000000000000, 0x4000000000000000, 0x4000000000000000, 0x4000000000000000 } },
	{ DRM_VSVM_OP_F2S64, CF_2P63,
	  { 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff } },
	{ DRM_VSVM_OP_F2S64, CF_M2P63,
	  { 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000 } },
	{ DRM_VSVM_OP_F2S64, CF_1_5, { 0x2, 0x1, 0x1, 0x2 } },
	{ DRM_VSVM_OP_F2S64, CF_U64BIG,
	  { 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff } },
	{ DRM_VSVM_OP_F2S64, CF_2P64,
	  { 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff } },
	{ DRM_VSVM_OP_F2S64, CF_M0, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2S64, CF_M1_5,
	  { 0xfffffffffffffffe, 0xffffffffffffffff, 0xfffffffffffffffe, 0xffffffffffffffff } },
	{ DRM_VSVM_OP_F2S64, CF_SNAN, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U64, CF_2_5, { 0x2, 0x2, 0x2, 0x3 } },
	{ DRM_VSVM_OP_F2U64, CF_M2_5, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U64, CF_3_5, { 0x4, 0x3, 0x3, 0x4 } },
	{ DRM_VSVM_OP_F2U64, CF_0_5, { 0x0, 0x0, 0x0, 0x1 } },
	{ DRM_VSVM_OP_F2U64, CF_M0_5, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U64, CF_1E10, { 0x2540be400, 0x2540be400, 0x2540be400, 0x2540be400 } },
	{ DRM_VSVM_OP_F2U64, CF_MINF, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U64, CF_INF,
	  { 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff } },
	{ DRM_VSVM_OP_F2U64, CF_NAN, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U64, CF_2P31, { 0x80000000, 0x80000000, 0x80000000, 0x80000000 } },
	{ DRM_VSVM_OP_F2U64, CF_M2P31, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U64, CF_DENORM, { 0x0, 0x0, 0x0, 0x1 } },
	{ DRM_VSVM_OP_F2U64, CF_MDENORM, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U64, CF_M1, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U64, CF_U32BIG, { 0xffffff00, 0xffffff00, 0xffffff00, 0xffffff00 } },
	{ DRM_VSVM_OP_F2U64, CF_2P32, { 0x100000000, 0x100000000, 0x100000000, 0x100000000 } },
	{ DRM_VSVM_OP_F2U64, CF_2P62,
	  { 0x4000000000000000, 0x4000000000000000, 0x4000000000000000, 0x4000000000000000 } },
	{ DRM_VSVM_OP_F2U64, CF_2P63,
	  { 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000 } },
	{ DRM_VSVM_OP_F2U64, CF_M2P63, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U64, CF_1_5, { 0x2, 0x1, 0x1, 0x2 } },
	{ DRM_VSVM_OP_F2U64, CF_U64BIG,
	  { 0xffffff0000000000, 0xffffff0000000000, 0xffffff0000000000, 0xffffff0000000000 } },
	{ DRM_VSVM_OP_F2U64, CF_2P64,
	  { 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff } },
	{ DRM_VSVM_OP_F2U64, CF_M0, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U64, CF_M1_5, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_F2U64, CF_SNAN, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_S322F, 0x1000001, { 0x4b800000, 0x4b800000, 0x4b800000, 0x4b800001 } },
	{ DRM_VSVM_OP_S322F, 0xdead0000feffffff, { 0xcb800000, 0xcb800000, 0xcb800001, 0xcb800000 } },
	{ DRM_VSVM_OP_S322F, 0xdead000080000000, { 0xcf000000, 0xcf000000, 0xcf000000, 0xcf000000 } },
	{ DRM_VSVM_OP_S322F, 0x7fffffff, { 0x4f000000, 0x4effffff, 0x4effffff, 0x4f000000 } },
	{ DRM_VSVM_OP_S322F, 0x0, { 0x0, 0x0, 0x0, 0x0 } },
	{ DRM_VSVM_OP_S322F, 0xdead0000fffffff9, { 0xc0e00000, 0xc0e00000, 0xc0e00000, 0xc0e00000 } },
	{ DRM_VSVM_OP_S322F, 0x2000003, { 0x4c000001, 0x4c000000, 0x4c000000, 0x4c000001 } },
	{ DRM_VSVM_OP_U322F, 0xffffffff, { 0x4f800000, 0x4f7fffff, 0x4f7fffff, 0x4f800000 } },
	{ DRM_VSVM_OP_U322F, 0x1000003, { 0x4b800002, 0x4b800001, 0x4b800001, 0x4b800002 } },
	{ DRM_VSVM_OP_U322F, 0x80000000, { 0x4f000000, 0x4f000000, 0x4f000000, 0x4f000000 } },
	{ DRM_VSVM_OP_S642F, 0x8000000000000000, { 0xdf000000, 0xdf000000, 0xdf000000, 0xdf000000 } },
	{ DRM_VSVM_OP_S642F, 0x7fffffffffffffff, { 0x5f000000, 0x5effffff, 0x5effffff, 0x5f000000 } },
	{ DRM_VSVM_OP_S642F, 0xffffffffffffffff, { 0xbf800000, 0xbf800000, 0xbf800000, 0xbf800000 } },
	{ DRM_VSVM_OP_S642F, 0x10000000001, { 0x53800000, 0x53800000, 0x53800000, 0x53800001 } },
	{ DRM_VSVM_OP_S642F, 0xfffffefffffeffff, { 0xd3800001, 0xd3800000, 0xd3800001, 0xd3800000 } },
	{ DRM_VSVM_OP_U642F, 0xffffffffffffffff, { 0x5f800000, 0x5f7fffff, 0x5f7fffff, 0x5f800000 } },
	{ DRM_VSVM_OP_U642F, 0x1, { 0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000 } },
	{ DRM_VSVM_OP_U642F, 0x8000008000000000, { 0x5f000000, 0x5f000000, 0x5f000000, 0x5f000001 } },
	{ DRM_VSVM_OP_U642F, 0x8000010000000000, { 0x5f000001, 0x5f000001, 0x5f000001, 0x5f000001 } },
};

/* Conversions: {op, input, result for RNE, RTZ, RDN, RUP}. */
static void vsvm_isa_test_v3_convert(struct kunit *test)
{
	unsigned int i, mode;

	for (i = 0; i < ARRAY_SIZE(vsvm_test_cvts); i++) {
		for (mode = DRM_VSVM_ROUND_NEAREST_EVEN; mode <= DRM_VSVM_ROUND_UP; mode++) {
			u64 prog[] = {
				vsvm_test_encode(vsvm_test_cvts[i].op, 3, 1, 0, mode),
				VSVM_INSN(END, 0, 0, 0, 0),
			};
			struct vsvm_lane lane = { };
			u64 steps;

			lane.regs[1] = vsvm_test_cvts[i].in;
			lane.regs[3] = 0xdeadbeefdeadbeefull;
			KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog, 2, &lane, 10,
							    &steps, NULL),
					VSVM_ISA_END);
			KUNIT_EXPECT_EQ_MSG(test, lane.regs[3], vsvm_test_cvts[i].want[mode],
					    "case %u op %#x in %#llx mode %u", i,
					    vsvm_test_cvts[i].op, vsvm_test_cvts[i].in, mode);
		}
	}
}

/* SR of the v3 special registers, for lane (3, 1, 2) of group (1, 2, 0). */
static void vsvm_isa_test_v3_sregs(struct kunit *test)
{
	struct vsvm_test_ctx *ctx = test->priv;
	struct vsvm_lane lane = { };
	u64 prog[DRM_VSVM_SREG_COUNT + 1];
	u64 want[DRM_VSVM_SREG_COUNT];
	u32 lx = 3, ly = 1, lz = 2, gx = 1, gy = 2, gz = 0;
	u64 steps;
	int i;

	ctx->env.group_size[0] = 4;
	ctx->env.group_size[1] = 2;
	ctx->env.group_size[2] = 3;
	ctx->env.group_count[0] = 5;
	ctx->env.group_count[1] = 3;
	ctx->env.group_count[2] = 2;
	ctx->env.global_offset[0] = 100;
	ctx->env.global_offset[1] = 1ull << 40;
	ctx->env.global_offset[2] = U64_MAX;	/* wraps */
	ctx->env.group_lanes = 24;
	ctx->env.lane_count = 24 * 30;
	ctx->env.local_size = 256;
	ctx->env.scratch_size = 64;
	lane.local_id = lx + ly * 4 + lz * 8;
	lane.group_id = gx + gy * 5 + gz * 15;
	lane.lane_id = lane.group_id * 24 + lane.local_id;

	for (i = 0; i < DRM_VSVM_SREG_COUNT; i++)
		prog[i] = VSVM_INSN(SR, 0, 0, 0, i) | (u64)i << 8;
	prog[DRM_VSVM_SREG_COUNT] = VSVM_INSN(END, 0, 0, 0, 0);

	want[DRM_VSVM_SREG_LANE_ID] = lane.lane_id;
	want[DRM_VSVM_SREG_LANE_COUNT] = 720;
	want[DRM_VSVM_SREG_ENGINE_ID] = 3;
	want[DRM_VSVM_SREG_DEVICE_ID] = 2;
	want[DRM_VSVM_SREG_LOCAL_ID_X] = lx;
	want[DRM_VSVM_SREG_LOCAL_ID_Y] = ly;
	want[DRM_VSVM_SREG_LOCAL_ID_Z] = lz;
	want[DRM_VSVM_SREG_GROUP_ID_X] = gx;
	want[DRM_VSVM_SREG_GROUP_ID_Y] = gy;
	want[DRM_VSVM_SREG_GROUP_ID_Z] = gz;
	want[DRM_VSVM_SREG_GROUP_SIZE_X] = 4;
	want[DRM_VSVM_SREG_GROUP_SIZE_Y] = 2;
	want[DRM_VSVM_SREG_GROUP_SIZE_Z] = 3;
	want[DRM_VSVM_SREG_GROUP_COUNT_X] = 5;
	want[DRM_VSVM_SREG_GROUP_COUNT_Y] = 3;
	want[DRM_VSVM_SREG_GROUP_COUNT_Z] = 2;
	want[DRM_VSVM_SREG_GLOBAL_OFFSET_X] = 100;
	want[DRM_VSVM_SREG_GLOBAL_OFFSET_Y] = 1ull << 40;
	want[DRM_VSVM_SREG_GLOBAL_OFFSET_Z] = U64_MAX;
	want[DRM_VSVM_SREG_GLOBAL_ID_X] = 100 + gx * 4 + lx;
	want[DRM_VSVM_SREG_GLOBAL_ID_Y] = (1ull << 40) + gy * 2 + ly;
	want[DRM_VSVM_SREG_GLOBAL_ID_Z] = U64_MAX + gz * 3 + lz;
	want[DRM_VSVM_SREG_LOCAL_LINEAR_ID] = lane.local_id;
	want[DRM_VSVM_SREG_GROUP_LINEAR_ID] = lane.group_id;
	want[DRM_VSVM_SREG_GROUP_LANES] = 24;
	want[DRM_VSVM_SREG_LOCAL_MEM_SIZE] = 256;
	want[DRM_VSVM_SREG_SCRATCH_SIZE] = 64;

	KUNIT_ASSERT_EQ(test, vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100,
					    &steps, NULL),
			VSVM_ISA_END);
	for (i = 0; i < DRM_VSVM_SREG_COUNT; i++)
		KUNIT_EXPECT_EQ_MSG(test, lane.regs[i], want[i], "sreg %d", i);
	/* A cross-check of the id formulas on the values just read. */
	KUNIT_EXPECT_EQ(test, lane.regs[DRM_VSVM_SREG_LANE_ID], 11ull * 24 + 23);
}

/* Local and scratch windows: plain, atomic and BCOPY accesses, bounds. */
static void vsvm_isa_test_v3_windows(struct kunit *test)
{
	struct vsvm_test_ctx *ctx = test->priv;
	struct vsvm_isa_fault fault = { };
	struct vsvm_lane lane = { };
	u8 *local, *scratch;
	s32 lb = (s32)lower_32_bits(DRM_VSVM_ISA_LOCAL_BASE);
	s32 sb = (s32)lower_32_bits(DRM_VSVM_ISA_SCRATCH_BASE);
	const u64 prog[] = {
		VSVM_INSN(LI, 1, 0, 0, 0x1234),
		VSVM_INSN(ST32, 0, 0, 1, lb + 8),	/* local[8] = 0x1234 */
		VSVM_INSN(ST64, 0, 0, 1, sb + 56),	/* scratch[56] */
		VSVM_INSN(LI, 2, 0, 0, 5),
		VSVM_INSN(AADD32, 3, 0, 2, lb + 8),	/* r3 = 0x1234 */
		VSVM_INSN(LD32, 4, 0, 0, lb + 8),	/* r4 = 0x1239 */
		VSVM_INSN(LI, 5, 0, 0, sb),
		VSVM_INSN(LD64, 6, 5, 0, 56),		/* r6 = 0x1234 */
		/* BCOPY 16 bytes of global memory into local[32] */
		VSVM_INSN(LI, 7, 0, 0, lb + 32),
		VSVM_INSN(LI, 8, 0, 0, 16),
		VSVM_INSN(BCOPY, 7, 9, 8, 0),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	const u64 oob_local[] = {
		VSVM_INSN(LD32, 1, 0, 0, lb + 252),	/* last word: fine */
		VSVM_INSN(LD32, 1, 0, 0, lb + 256),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	const u64 oob_scratch[] = {
		VSVM_INSN(ST64, 0, 0, 0, sb + 56),
		VSVM_INSN(ST64, 0, 0, 0, sb + 64),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	const u64 straddle[] = {
		VSVM_INSN(LI, 1, 0, 0, lb + 250),
		VSVM_INSN(LI, 2, 0, 0, 16),
		VSVM_INSN(BCOPY, 3, 1, 2, 0),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	u64 steps;
	int i;

	local = kunit_kzalloc(test, 256, GFP_KERNEL);
	scratch = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, local);
	KUNIT_ASSERT_NOT_NULL(test, scratch);
	ctx->env.local = local;
	ctx->env.local_size = 256;
	ctx->env.scratch_size = 64;
	lane.scratch = scratch;
	for (i = 0; i < 16; i++)
		ctx->buf[i] = i + 1;
	lane.regs[9] = VSVM_TEST_BASE;

	KUNIT_ASSERT_EQ(test, vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100,
					    &steps, NULL),
			VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, lane.regs[3], 0x1234ull);
	KUNIT_EXPECT_EQ(test, lane.regs[4], 0x1239ull);
	KUNIT_EXPECT_EQ(test, lane.regs[6], 0x1234ull);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(local + 8), 0x1239u);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(scratch + 56), 0x1234ull);
	KUNIT_EXPECT_EQ(test, memcmp(local + 32, ctx->buf, 16), 0);
	KUNIT_EXPECT_EQ(test, lane.regs[7], DRM_VSVM_ISA_LOCAL_BASE + 48);
	/* Only the global source of BCOPY went through translate. */
	KUNIT_EXPECT_EQ(test, ctx->calls, 1u);

	memset(&lane, 0, sizeof(lane));
	lane.scratch = scratch;
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, oob_local, 3, &lane, 10, &steps, &fault),
			VSVM_ISA_FAULT);
	KUNIT_EXPECT_EQ(test, lane.pc, 1u);
	KUNIT_EXPECT_EQ(test, fault.err, -ERANGE);
	KUNIT_EXPECT_EQ(test, fault.addr, DRM_VSVM_ISA_LOCAL_BASE + 256);

	memset(&lane, 0, sizeof(lane));
	lane.scratch = scratch;
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, oob_scratch, 3, &lane, 10, &steps, &fault),
			VSVM_ISA_FAULT);
	KUNIT_EXPECT_EQ(test, lane.pc, 1u);
	KUNIT_EXPECT_EQ(test, fault.err, -ERANGE);
	KUNIT_EXPECT_EQ(test, fault.access, (u32)DRM_VSVM_ACCESS_WRITE);

	/* A copy running past the end of local memory stops at the end. */
	memset(&lane, 0, sizeof(lane));
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, straddle, 4, &lane, 10, &steps, &fault),
			VSVM_ISA_FAULT);
	KUNIT_EXPECT_EQ(test, fault.err, -ERANGE);

	/* No scratch memory at all (a lane without a buffer). */
	memset(&lane, 0, sizeof(lane));
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, oob_scratch, 3, &lane, 10, &steps, &fault),
			VSVM_ISA_FAULT);
	KUNIT_EXPECT_EQ(test, lane.pc, 0u);

	/* The window ends are not global memory either. */
	ctx->env.local = NULL;
	ctx->env.local_size = 0;
	memset(&lane, 0, sizeof(lane));
	ctx->calls = 0;
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, oob_local, 3, &lane, 10, &steps, &fault),
			VSVM_ISA_FAULT);
	KUNIT_EXPECT_EQ(test, lane.pc, 0u);
	KUNIT_EXPECT_EQ(test, fault.err, -ERANGE);
	KUNIT_EXPECT_EQ(test, ctx->calls, 0u);
}

/*
 * JAL/JR: recursive factorial with the stack in scratch memory (r31 the
 * stack pointer, r30 the link register), and its overflow.
 *   fact(n) = n <= 1 ? 1 : n * fact(n - 1), argument and result in r1.
 */
static void vsvm_isa_test_v3_calls(struct kunit *test)
{
	struct vsvm_test_ctx *ctx = test->priv;
	s32 sb = (s32)lower_32_bits(DRM_VSVM_ISA_SCRATCH_BASE);
	const u64 prog[] = {
		VSVM_INSN(SR, 31, 0, 0, DRM_VSVM_SREG_SCRATCH_SIZE),	/* 0 */
		VSVM_INSN(ADDI, 31, 31, 0, sb),				/* sp = top */
		VSVM_INSN(JAL, 30, 0, 0, 1),				/* call 4 */
		VSVM_INSN(END, 0, 0, 0, 0),				/* 3 */
		/* fact: */
		VSVM_INSN(LI, 2, 0, 0, 1),				/* 4 */
		VSVM_INSN(BLT, 0, 2, 1, 1),				/* n > 1: 7 */
		VSVM_INSN(JR, 0, 30, 0, 0),				/* return 1 */
		VSVM_INSN(ADDI, 31, 31, 0, -16),			/* 7 */
		VSVM_INSN(ST64, 0, 31, 30, 0),				/* push lr */
		VSVM_INSN(ST64, 0, 31, 1, 8),				/* push n */
		VSVM_INSN(ADDI, 1, 1, 0, -1),
		VSVM_INSN(JAL, 30, 0, 0, -8),				/* fact(n-1) */
		VSVM_INSN(LD64, 2, 31, 0, 8),
		VSVM_INSN(MUL, 1, 1, 2, 0),
		VSVM_INSN(LD64, 30, 31, 0, 0),
		VSVM_INSN(ADDI, 31, 31, 0, 16),
		VSVM_INSN(JR, 0, 30, 0, 0),
	};
	static const u64 bad_jr[] = {
		VSVM_INSN(LI, 1, 0, 0, 2),
		VSVM_INSN(JR, 0, 1, 0, 0),
	};
	struct vsvm_isa_fault fault = { };
	struct vsvm_lane lane = { };
	u64 steps;

	ctx->env.scratch_size = 16 * 21;	/* 20 frames and a spare */
	lane.scratch = kunit_kzalloc(test, ctx->env.scratch_size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lane.scratch);

	lane.regs[1] = 20;
	KUNIT_ASSERT_EQ(test, vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 10000,
					    &steps, &fault),
			VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, lane.regs[1], 2432902008176640000ull);	/* 20! */
	KUNIT_EXPECT_EQ(test, lane.regs[31], DRM_VSVM_ISA_SCRATCH_BASE + 16 * 21);
	KUNIT_EXPECT_EQ(test, lane.pc, 3u);

	/* 25 frames do not fit: the push faults, it does not scribble. */
	memset(lane.regs, 0, sizeof(lane.regs));
	lane.pc = 0;
	lane.regs[1] = 25;
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 10000,
					    &steps, &fault),
			VSVM_ISA_FAULT);
	KUNIT_EXPECT_EQ(test, fault.err, -ERANGE);
	KUNIT_EXPECT_EQ(test, fault.addr, DRM_VSVM_ISA_SCRATCH_BASE - 16);
	KUNIT_EXPECT_EQ(test, lane.pc, 8u);

	/* JR past the end is an exception with its reason. */
	memset(&lane, 0, sizeof(lane));
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, bad_jr, 2, &lane, 10, &steps, &fault),
			VSVM_ISA_EXCEPTION);
	KUNIT_EXPECT_EQ(test, fault.exception, (u32)DRM_VSVM_EXC_PC_RANGE);
	KUNIT_EXPECT_EQ(test, lane.pc, 1u);
	KUNIT_EXPECT_EQ(test, steps, 1ull);
}

/* BARRIER stops the lane after it; FENCE does not. */
static void vsvm_isa_test_v3_barrier_stop(struct kunit *test)
{
	static const u64 prog[] = {
		VSVM_INSN(FENCE, 0, 0, 0, 0),
		VSVM_INSN(LI, 1, 0, 0, 1),
		VSVM_INSN(BARRIER, 0, 0, 0, 0),
		VSVM_INSN(LI, 1, 0, 0, 2),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	struct vsvm_lane lane = { };
	u64 steps;

	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100,
					    &steps, NULL),
			VSVM_ISA_BARRIER);
	KUNIT_EXPECT_EQ(test, steps, 3ull);
	KUNIT_EXPECT_EQ(test, lane.pc, 3u);
	KUNIT_EXPECT_EQ(test, lane.regs[1], 1ull);
	KUNIT_EXPECT_EQ(test, vsvm_test_run(test, prog, ARRAY_SIZE(prog), &lane, 100,
					    &steps, NULL),
			VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, lane.regs[1], 2ull);
}

/* The barrier state machine on its own. */
static void vsvm_isa_test_v3_group_state(struct kunit *test)
{
	struct vsvm_isa_group g;
	bool release;

	vsvm_isa_group_init(&g, 3);
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_barrier(&g, 5, &release), 0u);
	KUNIT_EXPECT_FALSE(test, release);
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_barrier(&g, 5, &release), 0u);
	KUNIT_EXPECT_FALSE(test, release);
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_barrier(&g, 5, &release), 0u);
	KUNIT_EXPECT_TRUE(test, release);
	/* A second barrier at another pc is fine once the first released. */
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_barrier(&g, 9, &release), 0u);
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_barrier(&g, 7, &release),
			(u32)DRM_VSVM_EXC_BARRIER_DIVERGENT);
	KUNIT_EXPECT_FALSE(test, release);

	/* END while another waits. */
	vsvm_isa_group_init(&g, 2);
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_barrier(&g, 1, &release), 0u);
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_end(&g), (u32)DRM_VSVM_EXC_BARRIER_END);

	/* BARRIER after another ended. */
	vsvm_isa_group_init(&g, 2);
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_end(&g), 0u);
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_barrier(&g, 1, &release),
			(u32)DRM_VSVM_EXC_BARRIER_END);

	/* Everybody ends without barriers; a group of one always passes. */
	vsvm_isa_group_init(&g, 2);
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_end(&g), 0u);
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_end(&g), 0u);
	vsvm_isa_group_init(&g, 1);
	KUNIT_EXPECT_EQ(test, vsvm_isa_group_barrier(&g, 1, &release), 0u);
	KUNIT_EXPECT_TRUE(test, release);
}

#define VSVM_TEST_GROUP		16

/*
 * Run a group of @n lanes the way the engine does: round robin in slices of
 * @slice instructions, a lane that reaches BARRIER waits until all have.
 * Returns the first exception reason, or 0 when every lane ended.
 */
static u32 vsvm_test_run_group(struct kunit *test, const u64 *prog, u32 count,
			       struct vsvm_lane *lanes, u32 n, u64 slice)
{
	struct vsvm_test_ctx *ctx = test->priv;
	DECLARE_BITMAP(runnable, VSVM_TEST_GROUP);
	struct vsvm_isa_group g;
	unsigned int rounds = 0;
	u32 i;

	vsvm_isa_group_init(&g, n);
	bitmap_zero(runnable, VSVM_TEST_GROUP);
	bitmap_fill(runnable, n);
	while (!bitmap_empty(runnable, n) && rounds++ < 100000) {
		for_each_set_bit(i, runnable, n) {
			struct vsvm_isa_fault fault;
			enum vsvm_isa_stop stop;
			bool release = false;
			u64 steps;
			u32 exc = 0;

			stop = vsvm_isa_run(&ctx->env, prog, count, &lanes[i], slice,
					    &steps, &fault);
			switch (stop) {
			case VSVM_ISA_END:
				clear_bit(i, runnable);
				exc = vsvm_isa_group_end(&g);
				break;
			case VSVM_ISA_BARRIER:
				clear_bit(i, runnable);
				exc = vsvm_isa_group_barrier(&g, lanes[i].pc - 1, &release);
				if (release)
					bitmap_fill(runnable, n);
				break;
			case VSVM_ISA_STEPS:
				break;
			default:
				KUNIT_FAIL(test, "lane %u stopped with %d", i, stop);
				return U32_MAX;
			}
			if (exc)
				return exc;
		}
	}
	KUNIT_EXPECT_LT(test, rounds, 100000u);
	return 0;
}

/*
 * Barriers in a group: each lane writes its id to local[lid], passes a
 * barrier, reads its neighbour's slot, passes a second barrier and
 * overwrites its own slot; repeated 3 times. Every read must see the value
 * of the current round, whatever the interleaving.
 */
static void vsvm_isa_test_v3_group_barrier(struct kunit *test)
{
	struct vsvm_test_ctx *ctx = test->priv;
	s32 lb = (s32)lower_32_bits(DRM_VSVM_ISA_LOCAL_BASE);
	const u64 prog[] = {
		VSVM_INSN(SR, 1, 0, 0, DRM_VSVM_SREG_LOCAL_LINEAR_ID),	/* 0 */
		VSVM_INSN(SR, 2, 0, 0, DRM_VSVM_SREG_GROUP_LANES),
		VSVM_INSN(SHLI, 3, 1, 0, 3),				/* own slot */
		VSVM_INSN(ADDI, 4, 1, 0, 1),
		VSVM_INSN(REMU, 4, 4, 2, 0),
		VSVM_INSN(SHLI, 4, 4, 0, 3),				/* next slot */
		VSVM_INSN(LI, 5, 0, 0, 0),				/* round */
		VSVM_INSN(LI, 6, 0, 0, 3),
		/* loop (8): local[own] = round * 1000 + lid */
		VSVM_INSN(MULI, 7, 5, 0, 1000),
		VSVM_INSN(ADD, 7, 7, 1, 0),
		VSVM_INSN(ST64, 0, 3, 7, lb),
		VSVM_INSN(BARRIER, 0, 0, 0, 0),
		VSVM_INSN(LD64, 8, 4, 0, lb),
		VSVM_INSN(SHLI, 9, 5, 0, 3),
		VSVM_INSN(ADD, 9, 9, 0, 0),				/* r0 = out */
		VSVM_INSN(SHLI, 10, 1, 0, 5),
		VSVM_INSN(ADD, 9, 9, 10, 0),
		VSVM_INSN(ST64, 0, 9, 8, 0),			/* out[lid][round] */
		VSVM_INSN(BARRIER, 0, 0, 0, 0),
		VSVM_INSN(ADDI, 5, 5, 0, 1),
		VSVM_INSN(BLT, 0, 5, 6, -13),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	static const u64 slices[] = { 1, 2, 3, 7, 1000 };
	struct vsvm_lane *lanes;
	u64 *out = (u64 *)ctx->buf;
	u32 n = VSVM_TEST_GROUP, i, r, s;

	lanes = kunit_kcalloc(test, n, sizeof(*lanes), GFP_KERNEL);
	ctx->env.local = kunit_kzalloc(test, n * 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lanes);
	KUNIT_ASSERT_NOT_NULL(test, ctx->env.local);
	ctx->env.local_size = n * 8;
	ctx->env.group_size[0] = n;
	ctx->env.group_lanes = n;

	for (s = 0; s < ARRAY_SIZE(slices); s++) {
		memset(ctx->buf, 0, VSVM_TEST_MEM_SIZE);
		for (i = 0; i < n; i++) {
			memset(&lanes[i], 0, sizeof(lanes[i]));
			lanes[i].local_id = i;
			lanes[i].regs[0] = VSVM_TEST_BASE;
		}
		KUNIT_ASSERT_EQ(test, vsvm_test_run_group(test, prog, ARRAY_SIZE(prog), lanes,
							  n, slices[s]),
				0u);
		for (i = 0; i < n; i++)
			for (r = 0; r < 3; r++)
				KUNIT_EXPECT_EQ_MSG(test, out[i * 4 + r],
						    (u64)r * 1000 + (i + 1) % n,
						    "slice %llu lane %u round %u",
						    slices[s], i, r);
	}
}

/*
 * A barrier that cannot complete is reported, in every interleaving: one
 * lane ENDs before the barrier (early or late in the schedule), or odd
 * and even lanes wait at different barriers.
 */
static void vsvm_isa_test_v3_group_deadlock(struct kunit *test)
{
	struct vsvm_test_ctx *ctx = test->priv;
	static const u64 end_early[] = {
		VSVM_INSN(SR, 1, 0, 0, DRM_VSVM_SREG_LOCAL_LINEAR_ID),
		VSVM_INSN(BEQ, 0, 1, 2, 1),		/* lane r2 skips the barrier */
		VSVM_INSN(BARRIER, 0, 0, 0, 0),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	static const u64 divergent[] = {
		VSVM_INSN(SR, 1, 0, 0, DRM_VSVM_SREG_LOCAL_LINEAR_ID),
		VSVM_INSN(ANDI, 1, 1, 0, 1),
		VSVM_INSN(BEQ, 0, 1, 0, 2),		/* even lanes (r0 = 0) to 5 */
		VSVM_INSN(BARRIER, 0, 0, 0, 0),
		VSVM_INSN(END, 0, 0, 0, 0),
		VSVM_INSN(BARRIER, 0, 0, 0, 0),
		VSVM_INSN(END, 0, 0, 0, 0),
	};
	static const u64 slices[] = { 1, 2, 1000 };
	u32 n = 8, i, s, skip;
	struct vsvm_lane *lanes;

	lanes = kunit_kcalloc(test, n, sizeof(*lanes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lanes);
	ctx->env.group_size[0] = n;
	ctx->env.group_lanes = n;

	for (s = 0; s < ARRAY_SIZE(slices); s++) {
		/* The lane that ends first is the first, a middle or the last one. */
		for (skip = 0; skip < n; skip += 3) {
			for (i = 0; i < n; i++) {
				memset(&lanes[i], 0, sizeof(lanes[i]));
				lanes[i].local_id = i;
				lanes[i].regs[2] = skip;
			}
			KUNIT_EXPECT_EQ_MSG(test,
					    vsvm_test_run_group(test, end_early,
								ARRAY_SIZE(end_early),
								lanes, n, slices[s]),
					    (u32)DRM_VSVM_EXC_BARRIER_END,
					    "slice %llu skip %u", slices[s], skip);
		}
		for (i = 0; i < n; i++) {
			memset(&lanes[i], 0, sizeof(lanes[i]));
			lanes[i].local_id = i;
		}
		KUNIT_EXPECT_EQ(test, vsvm_test_run_group(test, divergent, ARRAY_SIZE(divergent),
							  lanes, n, slices[s]),
				(u32)DRM_VSVM_EXC_BARRIER_DIVERGENT);
	}

	/* Without the skip every lane passes and the group ends. */
	for (i = 0; i < n; i++) {
		memset(&lanes[i], 0, sizeof(lanes[i]));
		lanes[i].local_id = i;
		lanes[i].regs[2] = n;
	}
	KUNIT_EXPECT_EQ(test, vsvm_test_run_group(test, end_early, ARRAY_SIZE(end_early),
						  lanes, n, 1),
			0u);
}

static struct kunit_case vsvm_isa_tests[] = {
	KUNIT_CASE(vsvm_isa_test_validate_opcodes),
	KUNIT_CASE(vsvm_isa_test_validate_program),
	KUNIT_CASE(vsvm_isa_test_alu),
	KUNIT_CASE(vsvm_isa_test_alu_aliasing),
	KUNIT_CASE(vsvm_isa_test_li_sr),
	KUNIT_CASE(vsvm_isa_test_branches),
	KUNIT_CASE(vsvm_isa_test_loop),
	KUNIT_CASE(vsvm_isa_test_steps),
	KUNIT_CASE(vsvm_isa_test_exceptions),
	KUNIT_CASE(vsvm_isa_test_loads),
	KUNIT_CASE(vsvm_isa_test_stores),
	KUNIT_CASE(vsvm_isa_test_misaligned),
	KUNIT_CASE(vsvm_isa_test_fault_replay),
	KUNIT_CASE(vsvm_isa_test_bcopy),
	KUNIT_CASE(vsvm_isa_test_atomics),
	KUNIT_CASE(vsvm_isa_test_atomics_concurrent),
	KUNIT_CASE(vsvm_isa_test_random_alu),
	KUNIT_CASE(vsvm_isa_test_floats),
	KUNIT_CASE(vsvm_isa_test_float_loop),
	KUNIT_CASE(vsvm_isa_test_doc_example),
	KUNIT_CASE(vsvm_isa_test_v3_int),
	KUNIT_CASE(vsvm_isa_test_v3_float),
	KUNIT_CASE(vsvm_isa_test_v3_convert),
	KUNIT_CASE(vsvm_isa_test_v3_sregs),
	KUNIT_CASE(vsvm_isa_test_v3_windows),
	KUNIT_CASE(vsvm_isa_test_v3_calls),
	KUNIT_CASE(vsvm_isa_test_v3_barrier_stop),
	KUNIT_CASE(vsvm_isa_test_v3_group_state),
	KUNIT_CASE(vsvm_isa_test_v3_group_barrier),
	KUNIT_CASE(vsvm_isa_test_v3_group_deadlock),
	{}
};

static struct kunit_suite vsvm_isa_test_suite = {
	.name = "vsvm_isa",
	.init = vsvm_isa_test_init,
	.test_cases = vsvm_isa_tests,
};

kunit_test_suite(vsvm_isa_test_suite);

MODULE_DESCRIPTION("KUnit tests for the vsvm driver");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
