// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * Opcode table, encoding checks, disassembler and assembler.
 */
#include <errno.h>
#include <stdlib.h>

#include "tests.h"
#include "vsvm_internal.h"

/* Assemble @src, expecting success; the caller finis @p. */
#define T_ASM(t, src, p) do {						\
	char err_[256];							\
	int ret_ = vsvm_asm(src, p, err_, sizeof(err_));		\
	if (ret_) {							\
		T_FAIL(t, "vsvm_asm: %d: %s", ret_, err_);		\
		return;							\
	}								\
} while (0)

TEST(isa_table)
{
	unsigned int n = 0, per_class[VSVM_CLASS_INVALID + 1] = { 0 };

	for (unsigned int op = 0; op < 256; op++) {
		const char *name = vsvm_op_name(op);
		enum vsvm_op_class cls = vsvm_op_class(op);

		if (!name) {
			T_EQ_INT(t, cls, VSVM_CLASS_INVALID);
			continue;
		}
		T_ASSERT(t, op < DRM_VSVM_OP_COUNT);
		T_EQ_INT(t, vsvm_op_lookup(name), op);
		per_class[cls]++;
		n++;
	}
	/* Every opcode of the uAPI enum, each in the validator's class. */
	T_EQ_INT(t, n, 100);
	T_EQ_INT(t, per_class[VSVM_CLASS_NONE], 2 + 2);	/* + BARRIER, FENCE */
	T_EQ_INT(t, per_class[VSVM_CLASS_RD_RA], 5 + 3);	/* + FSQRT, FABS, FNEG */
	T_EQ_INT(t, per_class[VSVM_CLASS_RD_IMM], 2);
	T_EQ_INT(t, per_class[VSVM_CLASS_SR], 1);
	/* + BCOPY, then v3 REMS and FMA */
	T_EQ_INT(t, per_class[VSVM_CLASS_ALU], 18 + 1 + 8 + 2);
	T_EQ_INT(t, per_class[VSVM_CLASS_ALU_IMM], 8);
	T_EQ_INT(t, per_class[VSVM_CLASS_JMP], 1);
	T_EQ_INT(t, per_class[VSVM_CLASS_BRANCH], 6);
	T_EQ_INT(t, per_class[VSVM_CLASS_LOAD], 7);
	T_EQ_INT(t, per_class[VSVM_CLASS_STORE], 4);
	T_EQ_INT(t, per_class[VSVM_CLASS_ATOMIC], 12 + 8);
	T_EQ_INT(t, per_class[VSVM_CLASS_CVT], 8);
	T_EQ_INT(t, per_class[VSVM_CLASS_JAL], 1);
	T_EQ_INT(t, per_class[VSVM_CLASS_JR], 1);
	T_EQ_INT(t, vsvm_op_class(DRM_VSVM_OP_FMA), VSVM_CLASS_ALU);
	T_EQ_INT(t, vsvm_op_class(DRM_VSVM_OP_FSQRT), VSVM_CLASS_RD_RA);
	T_EQ_INT(t, vsvm_op_class(DRM_VSVM_OP_U642F), VSVM_CLASS_CVT);
	T_EQ_INT(t, vsvm_op_class(DRM_VSVM_OP_AMAXU32), VSVM_CLASS_ATOMIC);
	T_EQ_STR(t, vsvm_op_name(DRM_VSVM_OP_BARRIER), "barrier");
	T_EQ_INT(t, vsvm_op_class(DRM_VSVM_OP_MOV), VSVM_CLASS_RD_RA);
	T_EQ_INT(t, vsvm_op_class(DRM_VSVM_OP_LIH), VSVM_CLASS_RD_IMM);
	T_EQ_INT(t, vsvm_op_class(DRM_VSVM_OP_I2F), VSVM_CLASS_RD_RA);
	T_EQ_INT(t, vsvm_op_class(DRM_VSVM_OP_FLT), VSVM_CLASS_ALU);
	T_EQ_INT(t, vsvm_op_class(DRM_VSVM_OP_SEXT32), VSVM_CLASS_RD_RA);
	T_EQ_STR(t, vsvm_op_name(DRM_VSVM_OP_ACMPXCHG64), "acmpxchg64");
	T_EQ_INT(t, vsvm_op_lookup("li64"), -ENOENT);
	T_EQ_INT(t, vsvm_op_lookup("ADD"), -ENOENT);
	T_ASSERT(t, vsvm_op_name(0x08) == NULL);
	T_ASSERT(t, vsvm_op_name(0x6e) == NULL);
	T_ASSERT(t, vsvm_op_name(DRM_VSVM_OP_COUNT) == NULL);
	T_EQ_STR(t, vsvm_sreg_name(DRM_VSVM_SREG_DEVICE_ID), "device_id");
	T_EQ_STR(t, vsvm_sreg_name(DRM_VSVM_SREG_GLOBAL_ID_Z), "global_id_z");
	T_EQ_STR(t, vsvm_sreg_name(DRM_VSVM_SREG_SCRATCH_SIZE), "scratch_size");
	T_ASSERT(t, vsvm_sreg_name(DRM_VSVM_SREG_COUNT) == NULL);
	T_EQ_STR(t, vsvm_round_name(DRM_VSVM_ROUND_DOWN), "rdn");
	T_ASSERT(t, vsvm_round_name(4) == NULL);
}

TEST(isa_check_unused_fields)
{
	/* Valid words of each class. */
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_END, 0, 0, 0, 0)), 0);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_AADD64, 31, 31, 31, -1)), 0);
	/* Unused fields must be zero. */
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_NOP, 1, 0, 0, 0)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_END, 0, 0, 0, 1)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_MOV, 1, 2, 0, 4)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_MOV, 1, 2, 3, 0)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_LI, 1, 2, 0, 4)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_ADD, 1, 2, 3, 4)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_ADDI, 1, 2, 3, 4)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_JMP, 0, 1, 0, 4)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_BEQ, 1, 1, 1, 4)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_LD8, 1, 1, 1, 4)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_ST8, 1, 1, 1, 4)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_I2F, 1, 1, 1, 0)), -EINVAL);
	/* Registers, special registers, opcodes. */
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_ADD, 32, 0, 0, 0)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_AADD32, 0, 0, 255, 0)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_SR, 1, 0, 0, 3)), 0);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_SR, 1, 0, 0, 26)), 0);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_SR, 1, 0, 0, 27)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_SR, 1, 0, 0, -1)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(0x08, 0, 0, 0, 0)), -EINVAL);
	/* v3 forms: rounding modes 0..3, JR uses only ra, JAL rd and imm. */
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_F2U64, 1, 2, 0, 3)), 0);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_F2U64, 1, 2, 0, 4)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_S322F, 1, 2, 0, -1)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_S322F, 1, 2, 3, 0)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_JR, 0, 5, 0, 0)), 0);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_JR, 1, 5, 0, 0)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_JAL, 30, 0, 0, -7)), 0);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_JAL, 30, 1, 0, -7)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_BARRIER, 0, 0, 0, 1)), -EINVAL);
	T_EQ_INT(t, vsvm_insn_check(vsvm_insn(DRM_VSVM_OP_COUNT, 0, 0, 0, 0)), -EINVAL);
}

TEST(disasm_text)
{
	static const struct {
		uint64_t word;
		const char *text;
	} cases[] = {
		{ 0x0000000000000000ull, "nop" },
		{ 0x0000000000000001ull, "end" },
		{ 0x0000000000020102ull, "mov r1, r2" },
		{ 0xfffffffb00000103ull, "li r1, -5" },
		{ 0xffffffff00000204ull, "lih r2, 0xffffffff" },
		{ 0x0000000100000505ull, "sr r5, lane_count" },
		{ 0x0000000003020110ull, "add r1, r2, r3" },
		{ 0xffffffff00020128ull, "addi r1, r2, -1" },
		{ 0x0000000100000038ull, "jmp +1" },
		{ 0xfffffffd0201003bull, "blt r1, r2, -3" },
		{ 0x0000000800020142ull, "ld32 r1, [r2 + 8]" },
		{ 0x0000000000001f43ull, "ld64 r31, [r0]" },
		{ 0xfffffff80302004bull, "st64 [r2 - 8], r3" },
		{ 0x0000000003020151ull, "aadd64 r1, [r2], r3" },
		{ 0x8000000003020151ull, "aadd64 r1, [r2 - 2147483648], r3" },
		{ 0x0000000000060569ull, "f2i r5, r6" },
		{ 0x0000000000000006ull, "barrier" },
		{ 0x0000000000000007ull, "fence" },
		{ 0x000000000302016aull, "fma r1, r2, r3" },
		{ 0x0000000100020170ull, "f2s32 r1, r2, rtz" },
		{ 0x0000000300020177ull, "u642f r1, r2, rup" },
		{ 0xfffffffe00001e3full, "jal r30, -2" },
		{ 0x00000000001e0037ull, "jr r30" },
		{ 0x000000000302017eull, "aminu32 r1, [r2], r3" },
		{ 0x0000000400020170ull, ".word 0x0000000400020170" },
		{ 0x0000000000000008ull, ".word 0x0000000000000008" },
		{ 0x0000000000000100ull, ".word 0x0000000000000100" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = vsvm_disasm(cases[i].word, buf, sizeof(buf));

		T_EQ_STR(t, buf, cases[i].text);
		T_EQ_INT(t, n, strlen(cases[i].text));
	}
	/* Truncation behaves like snprintf. */
	T_EQ_INT(t, vsvm_disasm(0x0000000003020110ull, buf, 4), 14);
	T_EQ_STR(t, buf, "add");
}

TEST(asm_program)
{
	static const char src[] =
		"; every operand class, labels forward and backward\n"
		"top:    addi r1, r1, 1          # pc 0\n"
		"        bge r1, r3, out         ; pc 1, forward\n"
		"        blt r1, r2, top         ; pc 2, backward\n"
		"        jmp out                 ; pc 3\n"
		"self:   beq r0, r0, self        ; pc 4\n"
		"out:\n"
		"        nop\n"
		"        mov r1, r2\n"
		"        li r1, -5\n"
		"        lih r2, 0xffffffff\n"
		"        li64 r3, 0x123456789abcdef0\n"
		"        sr r5, lane_count\n"
		"        add r1, r2, r3\n"
		"        fadd r4, r5, r6\n"
		"        addi r1, r2, -1\n"
		"        sari r31, r31, -2147483648\n"
		"        sext32 r31, r0\n"
		"        ld32 r1, [r2 + 8]\n"
		"        lds8 r7, [r8 - 4]\n"
		"        st64 [r2 - 8], r3\n"
		"        aadd64 r1, [r2], r3\n"
		"        acmpxchg32 r4, [r5 + 16], r6\n"
		"        .word 0x0123456789abcdef\n"
		"        end\n";
	static const uint64_t want[] = {
		0x0000000100010128ull, 0x000000030301003cull,
		0xfffffffd0201003bull, 0x0000000100000038ull,
		0xffffffff00000039ull,
		0x0000000000000000ull, 0x0000000000020102ull,
		0xfffffffb00000103ull, 0xffffffff00000204ull,
		0x9abcdef000000303ull, 0x1234567800000304ull,
		0x0000000100000505ull, 0x0000000003020110ull,
		0x0000000006050460ull, 0xffffffff00020128ull,
		0x80000000001f1f2full, 0x0000000000001f30ull,
		0x0000000800020142ull, 0xfffffffc00080744ull,
		0xfffffff80302004bull, 0x0000000003020151ull,
		0x0000001006050454ull, 0x0123456789abcdefull,
		0x0000000000000001ull,
	};
	struct vsvm_prog p;

	T_ASM(t, src, &p);
	if (p.count != sizeof(want) / sizeof(want[0])) {
		T_FAIL(t, "%u words, expected %zu", p.count,
		       sizeof(want) / sizeof(want[0]));
		vsvm_prog_fini(&p);
		return;
	}
	for (size_t i = 0; i < p.count; i++) {
		if (p.insns[i] != want[i]) {
			T_FAIL(t, "word %zu: 0x%016" PRIx64 ", expected 0x%016" PRIx64,
			       i, p.insns[i], want[i]);
			break;
		}
	}
	vsvm_prog_fini(&p);
}

TEST(asm_syntax)
{
	struct vsvm_prog p;

	/* Case, spacing, CRLF, labels alone and stacked, numeric targets. */
	T_ASM(t, "\r\n  A:B: LD32 R1,[R2+0x10]\r\n\tST64 [ r2 -8 ] , r3 ;c\r\n"
		 "c:\n\njmp -1\nbeq r1, r2, A\nsr r1, 3\nsr r2, Lane_Id\n"
		 "ld8 r1, [r2 + -1]\nld8 r1, [r2 - -1]\nli r1, +7\nend", &p);
	T_EQ_INT(t, p.count, 10);
	T_EQ_U64(t, p.insns[0], vsvm_insn(DRM_VSVM_OP_LD32, 1, 2, 0, 16));
	T_EQ_U64(t, p.insns[1], vsvm_insn(DRM_VSVM_OP_ST64, 0, 2, 3, -8));
	T_EQ_U64(t, p.insns[2], vsvm_insn(DRM_VSVM_OP_JMP, 0, 0, 0, -1));
	T_EQ_U64(t, p.insns[3], vsvm_insn(DRM_VSVM_OP_BEQ, 0, 1, 2, -4));
	T_EQ_U64(t, p.insns[4], vsvm_insn(DRM_VSVM_OP_SR, 1, 0, 0, 3));
	T_EQ_U64(t, p.insns[5], vsvm_insn(DRM_VSVM_OP_SR, 2, 0, 0, 0));
	T_EQ_U64(t, p.insns[6], vsvm_insn(DRM_VSVM_OP_LD8, 1, 2, 0, -1));
	T_EQ_U64(t, p.insns[7], vsvm_insn(DRM_VSVM_OP_LD8, 1, 2, 0, 1));
	T_EQ_U64(t, p.insns[8], vsvm_insn(DRM_VSVM_OP_LI, 1, 0, 0, 7));
	vsvm_prog_fini(&p);

	/* An empty source is an empty program; NULL err is accepted. */
	T_EQ_INT(t, vsvm_asm("; nothing\n\n", &p, NULL, 0), 0);
	T_EQ_INT(t, p.count, 0);
	vsvm_prog_fini(&p);
	T_EQ_INT(t, vsvm_asm("bogus", &p, NULL, 0), -EINVAL);
}

/* disasm -> asm must give back @word. */
static void roundtrip(struct tctx *t, uint64_t word)
{
	char text[96], err[256];
	struct vsvm_prog p;
	int ret;

	vsvm_disasm(word, text, sizeof(text));
	ret = vsvm_asm(text, &p, err, sizeof(err));
	if (ret) {
		T_FAIL(t, "0x%016" PRIx64 " -> \"%s\": %s", word, text, err);
		return;
	}
	if (p.count != 1 || p.insns[0] != word)
		T_FAIL(t, "0x%016" PRIx64 " -> \"%s\" -> %u words, 0x%016" PRIx64,
		       word, text, p.count, p.count ? p.insns[0] : 0);
	vsvm_prog_fini(&p);
}

TEST(asm_roundtrip_every_opcode)
{
	static const int32_t imms[] = { 0, 1, -1, 8, -8, INT32_MAX, INT32_MIN };
	unsigned int tested = 0;

	for (unsigned int op = 0; op < DRM_VSVM_OP_COUNT; op++) {
		enum vsvm_op_class cls = vsvm_op_class(op);
		unsigned int used = vsvm_class_fields(cls);

		if (cls == VSVM_CLASS_INVALID)
			continue;
		for (size_t i = 0; i < sizeof(imms) / sizeof(imms[0]); i++) {
			unsigned int rd = (op * 7 + i) % 32;
			unsigned int ra = (op * 11 + 3 + i) % 32;
			unsigned int rb = (op * 13 + 5 + i) % 32;
			int32_t imm = cls == VSVM_CLASS_SR ? (int32_t)(i * 4 % DRM_VSVM_SREG_COUNT) :
				      cls == VSVM_CLASS_CVT ? (int32_t)(i % 4) : imms[i];
			uint64_t w = vsvm_insn(op, used & VSVM_F_RD ? rd : 0,
					       used & VSVM_F_RA ? ra : 0,
					       used & VSVM_F_RB ? rb : 0,
					       used & VSVM_F_IMM ? imm : 0);
			char text[96];

			T_EQ_INT(t, vsvm_insn_check(w), 0);
			vsvm_disasm(w, text, sizeof(text));
			if (!strncmp(text, ".word", 5)) {
				T_FAIL(t, "opcode 0x%02x printed as %s", op, text);
				return;
			}
			roundtrip(t, w);
			if (t->failed)
				return;
		}
		tested++;
	}
	T_EQ_INT(t, tested, 100);
}

TEST(asm_roundtrip_random_words)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;	/* fixed seed: reproducible */

	for (int i = 0; i < 20000 && !t->failed; i++) {
		uint64_t w;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		w = x;
		/* Half of them made plausible: valid opcode, small registers. */
		if (i & 1) {
			unsigned int op = (unsigned int)(w % DRM_VSVM_OP_COUNT);
			unsigned int used = vsvm_class_fields(vsvm_op_class(op));

			w = vsvm_insn(op, used & VSVM_F_RD ? (w >> 8) % 32 : 0,
				      used & VSVM_F_RA ? (w >> 16) % 32 : 0,
				      used & VSVM_F_RB ? (w >> 24) % 32 : 0,
				      used & VSVM_F_IMM ? (int32_t)(w >> 32) : 0);
			if (op == DRM_VSVM_OP_SR)
				w = vsvm_insn(op, (w >> 8) & 31, 0, 0,
					      (int32_t)((x >> 40) % DRM_VSVM_SREG_COUNT));
			if (vsvm_op_class(op) == VSVM_CLASS_CVT)
				w = vsvm_insn(op, (w >> 8) & 31, (w >> 16) & 31, 0,
					      (int32_t)(x >> 62));
		}
		roundtrip(t, w);
	}
}

TEST(asm_roundtrip_program)
{
	static const char src[] =
		"        li64 r10, 0x7fff00001000\n"
		"        sr r1, lane_id\n"
		"        li r2, 0\n"
		"loop:   bge r2, r3, done\n"
		"        shli r4, r2, 3\n"
		"        add r4, r4, r10\n"
		"        ld64 r5, [r4 + 0]\n"
		"        amin64 r6, [r4 - 16], r5\n"
		"        addi r2, r2, 1\n"
		"        jmp loop\n"
		"done:   end\n";
	struct vsvm_prog p1, p2;
	char *text;
	size_t len = 0;

	T_ASM(t, src, &p1);
	text = calloc(p1.count, 96);
	T_ASSERT(t, text != NULL);
	for (uint32_t i = 0; i < p1.count; i++) {
		len += (size_t)vsvm_disasm(p1.insns[i], text + len, 95);
		text[len++] = '\n';
	}
	text[len] = '\0';
	if (vsvm_asm(text, &p2, NULL, 0)) {
		T_FAIL(t, "reassembly failed:\n%s", text);
	} else {
		if (p2.count != p1.count ||
		    memcmp(p1.insns, p2.insns, p1.count * sizeof(uint64_t)))
			T_FAIL(t, "words differ after asm -> disasm -> asm");
		vsvm_prog_fini(&p2);
	}
	free(text);
	vsvm_prog_fini(&p1);
}

TEST(asm_v3_forms)
{
	static const char src[] =
		"        sr r1, global_id_z\n"	/* 0 */
		"        sr r2, local_linear_id\n"
		"        jal r30, func\n"		/* 2: call, forward */
		"        barrier\n"
		"        fence\n"
		"        f2u64 r3, r4, RDN\n"
		"        s642f r3, r4, 0\n"
		"        aand64 r5, [r6 + 8], r7\n"
		"        axor32 r5, [r6 - 4], r7\n"
		"        rems r1, r2, r3\n"
		"        end\n"
		"func:   fsqrt r8, r9\n"		/* 11 */
		"        fma r8, r9, r10\n"
		"        jal r29, func\n"		/* 13: backward */
		"        jr r30\n";
	const uint64_t want[] = {
		vsvm_insn(DRM_VSVM_OP_SR, 1, 0, 0, DRM_VSVM_SREG_GLOBAL_ID_Z),
		vsvm_insn(DRM_VSVM_OP_SR, 2, 0, 0, DRM_VSVM_SREG_LOCAL_LINEAR_ID),
		vsvm_insn(DRM_VSVM_OP_JAL, 30, 0, 0, 8),
		vsvm_insn(DRM_VSVM_OP_BARRIER, 0, 0, 0, 0),
		vsvm_insn(DRM_VSVM_OP_FENCE, 0, 0, 0, 0),
		vsvm_insn(DRM_VSVM_OP_F2U64, 3, 4, 0, DRM_VSVM_ROUND_DOWN),
		vsvm_insn(DRM_VSVM_OP_S642F, 3, 4, 0, DRM_VSVM_ROUND_NEAREST_EVEN),
		vsvm_insn(DRM_VSVM_OP_AAND64, 5, 6, 7, 8),
		vsvm_insn(DRM_VSVM_OP_AXOR32, 5, 6, 7, -4),
		vsvm_insn(DRM_VSVM_OP_REMS, 1, 2, 3, 0),
		vsvm_insn(DRM_VSVM_OP_END, 0, 0, 0, 0),
		vsvm_insn(DRM_VSVM_OP_FSQRT, 8, 9, 0, 0),
		vsvm_insn(DRM_VSVM_OP_FMA, 8, 9, 10, 0),
		vsvm_insn(DRM_VSVM_OP_JAL, 29, 0, 0, -3),
		vsvm_insn(DRM_VSVM_OP_JR, 0, 30, 0, 0),
	};
	struct vsvm_prog p, b;
	int func;

	T_ASM(t, src, &p);
	T_EQ_INT(t, p.count, VSVM_ARRAY_SIZE(want));
	for (size_t i = 0; i < p.count && i < VSVM_ARRAY_SIZE(want); i++)
		T_EQ_U64(t, p.insns[i], want[i]);

	/* The builder emits the same words. */
	vsvm_prog_init(&b);
	func = vsvm_label_new(&b);
	vsvm_emit_sr(&b, 1, DRM_VSVM_SREG_GLOBAL_ID_Z);
	vsvm_emit_sr(&b, 2, DRM_VSVM_SREG_LOCAL_LINEAR_ID);
	vsvm_emit_jal(&b, 30, func);
	vsvm_emit_barrier(&b);
	vsvm_emit_fence(&b);
	vsvm_emit_cvt(&b, DRM_VSVM_OP_F2U64, 3, 4, DRM_VSVM_ROUND_DOWN);
	vsvm_emit_cvt(&b, DRM_VSVM_OP_S642F, 3, 4, DRM_VSVM_ROUND_NEAREST_EVEN);
	vsvm_emit_atomic(&b, DRM_VSVM_OP_AAND64, 5, 6, 8, 7);
	vsvm_emit_atomic(&b, DRM_VSVM_OP_AXOR32, 5, 6, -4, 7);
	vsvm_emit_alu(&b, DRM_VSVM_OP_REMS, 1, 2, 3);
	vsvm_emit_end(&b);
	vsvm_label_bind(&b, func);
	vsvm_emit_unary(&b, DRM_VSVM_OP_FSQRT, 8, 9);
	vsvm_emit_alu(&b, DRM_VSVM_OP_FMA, 8, 9, 10);
	vsvm_emit_jal(&b, 29, func);
	vsvm_emit_jr(&b, 30);
	T_EQ_INT(t, vsvm_prog_finish(&b), 0);
	T_EQ_INT(t, b.count, p.count);
	if (b.count == p.count)
		T_ASSERT(t, !memcmp(b.insns, p.insns, p.count * sizeof(uint64_t)));
	vsvm_prog_fini(&b);
	vsvm_prog_fini(&p);

	/* A bad rounding mode is an emitter error. */
	vsvm_prog_init(&b);
	T_EQ_INT(t, vsvm_emit_cvt(&b, DRM_VSVM_OP_F2S32, 1, 2, 4), -EINVAL);
	T_EQ_INT(t, vsvm_prog_finish(&b), -EINVAL);
	vsvm_prog_fini(&b);
}

TEST(asm_errors)
{
	static const struct {
		const char *src;
		const char *want;	/* start of the message */
	} cases[] = {
		{ "nop\nfoo r1, r2\n", "line 2: unknown mnemonic 'foo'" },
		{ "add r1, r2, r32", "line 1: bad register 'r32'" },
		{ "add r1, r2, r100", "line 1: bad register 'r100'" },
		{ "mov r1, r2x", "line 1: bad register 'r2x'" },
		{ "add r1, r2, rx", "line 1: expected a register (r0..r31), found 'rx'" },
		{ "add r1, r2", "line 1: missing operand: expected ','" },
		{ "add r1, r2,", "line 1: missing operand: expected a register" },
		{ "st64 [r2 - 8]", "line 1: missing operand: expected ','" },
		{ "jmp", "line 1: missing operand: expected a label" },
		{ "nop\njmp nowhere\nend", "line 2: undefined label 'nowhere'" },
		{ "a: nop\n\na: end", "line 3: duplicate label 'a' (first defined on line 1)" },
		{ "li r1, 0x80000000", "line 1: immediate '0x80000000' out of 32-bit range" },
		{ "li r1, -2147483649", "line 1: immediate '-2147483649' out of 32-bit range" },
		{ "addi r1, r2, 4294967296", "line 1: immediate '4294967296' out of 32-bit range" },
		{ "lih r1, 0x100000000", "line 1: immediate '0x100000000' out of 32-bit range" },
		{ "ld32 r1, [r2 + 0x80000000]", "line 1: offset '0x80000000' out of 32-bit range" },
		{ "beq r1, r2, 2147483648", "line 1: immediate '2147483648' out of 32-bit range" },
		{ ".word 0x10000000000000000", "line 1: number '0x10000000000000000' out of 64-bit range" },
		{ "add r1, r2, r3 r4", "line 1: unexpected 'r4' after the operands" },
		{ "nop r1", "line 1: unexpected 'r1' after the operands" },
		{ "sr r1, bogus", "line 1: unknown special register 'bogus'" },
		{ "sr r1, 27", "line 1: unknown special register 27" },
		{ "f2s32 r1, r2, rtn", "line 1: unknown rounding mode 'rtn'" },
		{ "f2s32 r1, r2, 4", "line 1: unknown rounding mode 4" },
		{ "f2s32 r1, r2", "line 1: missing operand: expected ','" },
		{ "jal r30, nowhere\nend", "line 1: undefined label 'nowhere'" },
		{ "ld32 r1, r2", "line 1: expected a memory operand" },
		{ "ld32 r1, [r2 + 8", "line 1: missing operand: expected ']'" },
		{ "li r1, five", "line 1: expected a number, found 'five'" },
		{ "jmp done\ndone:", "line 1: label 'done' is past the last instruction" },
		{ "nop\n\n  ; comment\n123", "line 4: expected an instruction, found '123'" },
	};
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vsvm_prog p;
		int ret;

		memset(err, 'x', sizeof(err));
		ret = vsvm_asm(cases[i].src, &p, err, sizeof(err));
		if (ret != -EINVAL) {
			T_FAIL(t, "\"%s\": returned %d, expected -EINVAL",
			       cases[i].src, ret);
			if (!ret)
				vsvm_prog_fini(&p);
			return;
		}
		if (strncmp(err, cases[i].want, strlen(cases[i].want))) {
			T_FAIL(t, "\"%s\": \"%s\", expected \"%s...\"",
			       cases[i].src, err, cases[i].want);
			return;
		}
		/* Nothing to free after a failure. */
		T_ASSERT(t, p.insns == NULL && p.count == 0 && p.labels == NULL);
	}

	/* A short error buffer is truncated, never overrun. */
	{
		struct vsvm_prog p;
		char small[8];

		T_EQ_INT(t, vsvm_asm("bogus", &p, small, sizeof(small)), -EINVAL);
		T_EQ_STR(t, small, "line 1:");
	}
}
