// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * Builder encodings, bit-exact against words computed by hand from the
 * layout op | rd << 8 | ra << 16 | rb << 24 | imm << 32; labels.
 */
#include <errno.h>
#include <stdlib.h>

#include "tests.h"

/* Finish @p and compare its words with @n expected ones. */
#define T_WORDS(t, p, ...) do {						\
	static const uint64_t want_[] = { __VA_ARGS__ };		\
	size_t n_ = sizeof(want_) / sizeof(want_[0]);			\
	int ret_ = vsvm_prog_finish(p);					\
	if (ret_) {							\
		T_FAIL(t, "finish: %d (%s)", ret_, (p)->errmsg);	\
		vsvm_prog_fini(p);					\
		return;							\
	}								\
	if ((p)->count != n_) {						\
		T_FAIL(t, "%u words, expected %zu", (p)->count, n_);	\
		vsvm_prog_fini(p);					\
		return;							\
	}								\
	for (size_t i_ = 0; i_ < n_; i_++) {				\
		if ((p)->insns[i_] != want_[i_]) {			\
			T_FAIL(t, "word %zu: 0x%016" PRIx64		\
			       ", expected 0x%016" PRIx64, i_,		\
			       (p)->insns[i_], want_[i_]);		\
			vsvm_prog_fini(p);				\
			return;						\
		}							\
	}								\
	vsvm_prog_fini(p);						\
} while (0)

TEST(builder_none)
{
	struct vsvm_prog p;

	vsvm_prog_init(&p);
	vsvm_emit_nop(&p);
	vsvm_emit_end(&p);
	T_WORDS(t, &p, 0x0000000000000000ull, 0x0000000000000001ull);
}

TEST(builder_rd_ra)
{
	struct vsvm_prog p;

	vsvm_prog_init(&p);
	vsvm_emit_mov(&p, 1, 2);
	vsvm_emit_unary(&p, DRM_VSVM_OP_SEXT32, 31, 0);
	vsvm_emit_unary(&p, DRM_VSVM_OP_ZEXT32, 0, 31);
	vsvm_emit_unary(&p, DRM_VSVM_OP_I2F, 3, 4);
	vsvm_emit_unary(&p, DRM_VSVM_OP_F2I, 5, 6);
	T_WORDS(t, &p, 0x0000000000020102ull, 0x0000000000001f30ull,
		0x00000000001f0031ull, 0x0000000000040368ull,
		0x0000000000060569ull);
}

TEST(builder_rd_imm)
{
	struct vsvm_prog p;

	vsvm_prog_init(&p);
	vsvm_emit_li(&p, 1, -5);
	vsvm_emit_li(&p, 31, 0x7fffffff);
	vsvm_emit_lih(&p, 2, 0xffffffffu);
	T_WORDS(t, &p, 0xfffffffb00000103ull, 0x7fffffff00001f03ull,
		0xffffffff00000204ull);
}

TEST(builder_li64)
{
	struct vsvm_prog p;

	vsvm_prog_init(&p);
	vsvm_emit_li64(&p, 3, 0x123456789abcdef0ull);
	vsvm_emit_li64(&p, 0, 5);
	T_WORDS(t, &p, 0x9abcdef000000303ull, 0x1234567800000304ull,
		0x0000000500000003ull, 0x0000000000000004ull);
}

TEST(builder_sr)
{
	struct vsvm_prog p;

	vsvm_prog_init(&p);
	vsvm_emit_sr(&p, 5, DRM_VSVM_SREG_LANE_COUNT);
	vsvm_emit_sr(&p, 0, DRM_VSVM_SREG_DEVICE_ID);
	vsvm_emit_sr(&p, 9, DRM_VSVM_SREG_LANE_ID);
	vsvm_emit_sr(&p, 10, DRM_VSVM_SREG_ENGINE_ID);
	T_WORDS(t, &p, 0x0000000100000505ull, 0x0000000300000005ull,
		0x0000000000000905ull, 0x0000000200000a05ull);
}

TEST(builder_alu)
{
	struct vsvm_prog p;

	vsvm_prog_init(&p);
	vsvm_emit_alu(&p, DRM_VSVM_OP_ADD, 1, 2, 3);
	vsvm_emit_alu(&p, DRM_VSVM_OP_MUL32, 31, 30, 29);
	vsvm_emit_alu(&p, DRM_VSVM_OP_SEQ, 7, 8, 9);
	vsvm_emit_alu(&p, DRM_VSVM_OP_FADD, 4, 5, 6);
	vsvm_emit_alu(&p, DRM_VSVM_OP_FEQ, 0, 1, 2);
	T_WORDS(t, &p, 0x0000000003020110ull, 0x000000001d1e1f21ull,
		0x000000000908071eull, 0x0000000006050460ull,
		0x0000000002010067ull);
}

TEST(builder_alu_imm)
{
	struct vsvm_prog p;

	vsvm_prog_init(&p);
	vsvm_emit_alui(&p, DRM_VSVM_OP_ADDI, 1, 2, -1);
	vsvm_emit_alui(&p, DRM_VSVM_OP_SHLI, 3, 4, 63);
	vsvm_emit_alui(&p, DRM_VSVM_OP_SARI, 31, 31, INT32_MIN);
	T_WORDS(t, &p, 0xffffffff00020128ull, 0x0000003f0004032dull,
		0x80000000001f1f2full);
}

TEST(builder_load)
{
	struct vsvm_prog p;

	vsvm_prog_init(&p);
	vsvm_emit_ld(&p, DRM_VSVM_OP_LD32, 1, 2, 8);
	vsvm_emit_ld(&p, DRM_VSVM_OP_LDS8, 7, 8, -4);
	vsvm_emit_ld(&p, DRM_VSVM_OP_LD64, 31, 0, 0);
	T_WORDS(t, &p, 0x0000000800020142ull, 0xfffffffc00080744ull,
		0x0000000000001f43ull);
}

TEST(builder_store)
{
	struct vsvm_prog p;

	vsvm_prog_init(&p);
	vsvm_emit_st(&p, DRM_VSVM_OP_ST64, 2, -8, 3);
	vsvm_emit_st(&p, DRM_VSVM_OP_ST8, 31, 1, 0);
	T_WORDS(t, &p, 0xfffffff80302004bull, 0x00000001001f0048ull);
}

TEST(builder_atomic)
{
	struct vsvm_prog p;

	vsvm_prog_init(&p);
	vsvm_emit_atomic(&p, DRM_VSVM_OP_AADD64, 1, 2, 0, 3);
	vsvm_emit_atomic(&p, DRM_VSVM_OP_ACMPXCHG32, 4, 5, 16, 6);
	vsvm_emit_atomic(&p, DRM_VSVM_OP_AMAXU64, 31, 30, -8, 29);
	T_WORDS(t, &p, 0x0000000003020151ull, 0x0000001006050454ull,
		0xfffffff81d1e1f5bull);
}

TEST(builder_errors)
{
	struct vsvm_prog p;

	/* Register out of range: the call fails and the error sticks. */
	vsvm_prog_init(&p);
	T_EQ_INT(t, vsvm_emit_alu(&p, DRM_VSVM_OP_ADD, 1, 2, 32), -EINVAL);
	T_EQ_INT(t, vsvm_emit_end(&p), 0);
	T_EQ_INT(t, vsvm_prog_finish(&p), -EINVAL);
	T_ASSERT(t, strstr(p.errmsg, "register") != NULL);
	vsvm_prog_fini(&p);

	/* An opcode emitted through the wrong class. */
	vsvm_prog_init(&p);
	T_EQ_INT(t, vsvm_emit_alu(&p, DRM_VSVM_OP_LD32, 1, 2, 3), -EINVAL);
	T_EQ_INT(t, p.count, 0);
	T_EQ_INT(t, vsvm_emit_unary(&p, DRM_VSVM_OP_ADD, 1, 2), -EINVAL);
	T_EQ_INT(t, vsvm_emit_ld(&p, DRM_VSVM_OP_ST32, 1, 2, 0), -EINVAL);
	T_EQ_INT(t, vsvm_emit_alui(&p, 0x08, 1, 2, 0), -EINVAL);
	T_EQ_INT(t, vsvm_emit_branch(&p, DRM_VSVM_OP_JMP, 1, 2, 0), -EINVAL);
	T_EQ_INT(t, vsvm_emit_sr(&p, 1, DRM_VSVM_SREG_COUNT), -EINVAL);
	T_EQ_INT(t, vsvm_prog_finish(&p), -EINVAL);
	T_ASSERT(t, strstr(p.errmsg, "ld32") != NULL);
	vsvm_prog_fini(&p);

	/* Raw words are not checked: the validator's negative tests use them. */
	vsvm_prog_init(&p);
	T_EQ_INT(t, vsvm_emit_word(&p, 0xffffffffffffffffull), 0);
	T_EQ_INT(t, vsvm_prog_finish(&p), 0);
	T_EQ_U64(t, p.insns[0], 0xffffffffffffffffull);
	vsvm_prog_fini(&p);
}

TEST(builder_growth)
{
	struct vsvm_prog p;

	vsvm_prog_init(&p);
	for (uint32_t i = 0; i < 100000; i++)
		vsvm_emit_li(&p, i % 32, (int32_t)i);
	T_EQ_INT(t, vsvm_prog_finish(&p), 0);
	T_EQ_INT(t, p.count, 100000);
	T_EQ_U64(t, p.insns[99999], vsvm_insn(DRM_VSVM_OP_LI, 99999 % 32, 0, 0, 99999));
	vsvm_prog_fini(&p);
	/* fini leaves an empty program that can be reused and freed again. */
	T_EQ_INT(t, p.count, 0);
	vsvm_prog_fini(&p);
}

TEST(labels_forward_backward)
{
	struct vsvm_prog p;
	int top, out, self;

	vsvm_prog_init(&p);
	top = vsvm_label_new(&p);
	out = vsvm_label_new(&p);
	self = vsvm_label_new(&p);
	T_ASSERT(t, top == 0 && out == 1 && self == 2);
	T_EQ_INT(t, vsvm_label_bind(&p, top), 0);
	vsvm_emit_alui(&p, DRM_VSVM_OP_ADDI, 1, 1, 1);	/* pc 0 */
	vsvm_emit_branch(&p, DRM_VSVM_OP_BGE, 1, 3, out);	/* pc 1 -> 5 */
	vsvm_emit_branch(&p, DRM_VSVM_OP_BLT, 1, 2, top);	/* pc 2 -> 0 */
	vsvm_emit_jmp(&p, out);				/* pc 3 -> 5 */
	vsvm_label_bind(&p, self);
	vsvm_emit_branch(&p, DRM_VSVM_OP_BEQ, 0, 0, self);	/* pc 4 -> 4 */
	vsvm_label_bind(&p, out);
	vsvm_emit_end(&p);				/* pc 5 */
	T_WORDS(t, &p, 0x0000000100010128ull, 0x000000030301003cull,
		0xfffffffd0201003bull, 0x0000000100000038ull,
		0xffffffff00000039ull, 0x0000000000000001ull);
}

TEST(labels_errors)
{
	struct vsvm_prog p;
	int l;

	/* Used, never bound. */
	vsvm_prog_init(&p);
	l = vsvm_label_new(&p);
	vsvm_emit_jmp(&p, l);
	vsvm_emit_end(&p);
	T_EQ_INT(t, vsvm_prog_finish(&p), -EINVAL);
	T_ASSERT(t, strstr(p.errmsg, "never bound") != NULL);
	vsvm_prog_fini(&p);

	/* Bound twice. */
	vsvm_prog_init(&p);
	l = vsvm_label_new(&p);
	T_EQ_INT(t, vsvm_label_bind(&p, l), 0);
	vsvm_emit_end(&p);
	T_EQ_INT(t, vsvm_label_bind(&p, l), -EINVAL);
	T_EQ_INT(t, vsvm_prog_finish(&p), -EINVAL);
	vsvm_prog_fini(&p);

	/* Bound past the last instruction: the kernel would reject it. */
	vsvm_prog_init(&p);
	l = vsvm_label_new(&p);
	vsvm_emit_jmp(&p, l);
	vsvm_label_bind(&p, l);
	T_EQ_INT(t, vsvm_prog_finish(&p), -EINVAL);
	T_ASSERT(t, strstr(p.errmsg, "past the end") != NULL);
	vsvm_prog_fini(&p);

	/* Unknown label ids. */
	vsvm_prog_init(&p);
	T_EQ_INT(t, vsvm_emit_jmp(&p, 0), -EINVAL);
	T_EQ_INT(t, vsvm_label_bind(&p, -1), -EINVAL);
	T_EQ_INT(t, p.count, 0);
	vsvm_prog_fini(&p);
}
