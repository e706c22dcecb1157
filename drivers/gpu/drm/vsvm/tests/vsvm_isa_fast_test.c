// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the interpreter's fast path: decoded programs, straight-line
 * runs and the per-lane translation cache must give exactly what stepping
 * one instruction at a time gives, faults and their replay included.
 *
 * Copyright 2026 The vsvm authors
 */

#include <kunit/test.h>

#include <linux/err.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "../vsvm_isa.h"

#define VSVM_FT_BASE		0x00007f0000100000ull
#define VSVM_FT_PAGES		4
#define VSVM_FT_SIZE		(VSVM_FT_PAGES * PAGE_SIZE)
#define VSVM_FT_LEN		240
#define VSVM_FT_SEEDS		300
#define VSVM_FT_SEED		0x66617374u

/**
 * struct vsvm_ft_mem - memory of one interpreter under test
 * @buf: backing store of [VSVM_FT_BASE, + VSVM_FT_SIZE), page aligned.
 * @absent: pointer to the bitmap of pages that are not mapped (shared).
 * @ro: pointer to the bitmap of pages mapped read-only (shared).
 * @calls: translate calls.
 */
struct vsvm_ft_mem {
	u8 *buf;
	const unsigned long *absent;
	const unsigned long *ro;
	unsigned int calls;
};

static void *vsvm_ft_translate(void *priv, u64 addr, u32 size, u32 access)
{
	struct vsvm_ft_mem *m = priv;
	u64 page;

	m->calls++;
	if (addr < VSVM_FT_BASE || addr - VSVM_FT_BASE > VSVM_FT_SIZE - size)
		return ERR_PTR(-ENXIO);
	page = (addr - VSVM_FT_BASE) >> PAGE_SHIFT;
	if (test_bit(page, m->absent))
		return ERR_PTR(-EAGAIN);
	if (access != DRM_VSVM_ACCESS_READ && test_bit(page, m->ro))
		return ERR_PTR(-EAGAIN);
	return m->buf + (addr - VSVM_FT_BASE);
}

static u64 vsvm_ft_insn(u8 op, u8 rd, u8 ra, u8 rb, s32 imm)
{
	return (u64)op | (u64)rd << 8 | (u64)ra << 16 | (u64)rb << 24 |
	       (u64)(u32)imm << 32;
}

static const u8 vsvm_ft_loads[] = {
	DRM_VSVM_OP_LD8, DRM_VSVM_OP_LD16, DRM_VSVM_OP_LD32, DRM_VSVM_OP_LD64,
	DRM_VSVM_OP_LDS8, DRM_VSVM_OP_LDS16, DRM_VSVM_OP_LDS32,
};

static const u8 vsvm_ft_stores[] = {
	DRM_VSVM_OP_ST8, DRM_VSVM_OP_ST16, DRM_VSVM_OP_ST32, DRM_VSVM_OP_ST64,
};

static const u8 vsvm_ft_alu[] = {
	DRM_VSVM_OP_ADD, DRM_VSVM_OP_SUB, DRM_VSVM_OP_MUL, DRM_VSVM_OP_XOR, DRM_VSVM_OP_SLTU,
	DRM_VSVM_OP_SHL, DRM_VSVM_OP_ADD32, DRM_VSVM_OP_SEQ,
};

static const u8 vsvm_ft_alui[] = {
	DRM_VSVM_OP_ADDI, DRM_VSVM_OP_XORI, DRM_VSVM_OP_SHRI, DRM_VSVM_OP_MULI, DRM_VSVM_OP_SEXT32,
};

/* A register of r4..r15, or now and then a base register r1..r3. */
static u8 vsvm_ft_reg(struct rnd_state *rnd)
{
	u32 v = prandom_u32_state(rnd);

	return v % 64 ? 4 + (v >> 8) % 12 : 1 + (v >> 8) % 3;
}

/*
 * A random straight-line program: runs of loads and stores off r1..r3 (now
 * and then misaligned, or writing a base register), register operations,
 * base updates, a division that may trap, then END.
 */
static void vsvm_ft_gen(struct rnd_state *rnd, u64 *prog, u32 len)
{
	u32 pc;

	for (pc = 0; pc < len - 1; pc++) {
		u32 v = prandom_u32_state(rnd), w = prandom_u32_state(rnd);
		u8 base = 1 + w % 3;
		s32 imm = ((s32)(w >> 8) % 48 - 16) * 8;
		u8 op;

		if (!(w % 23))
			imm += (w >> 4) % 8;	/* maybe misaligned */
		switch (v % 16) {
		case 0 ... 5:
			op = vsvm_ft_loads[(v >> 4) % ARRAY_SIZE(vsvm_ft_loads)];
			prog[pc] = vsvm_ft_insn(op, vsvm_ft_reg(rnd), base, 0, imm);
			break;
		case 6 ... 8:
			op = vsvm_ft_stores[(v >> 4) % ARRAY_SIZE(vsvm_ft_stores)];
			prog[pc] = vsvm_ft_insn(op, 0, base, (v >> 8) % 16, imm);
			break;
		case 9 ... 11:
			op = vsvm_ft_alu[(v >> 4) % ARRAY_SIZE(vsvm_ft_alu)];
			prog[pc] = vsvm_ft_insn(op, vsvm_ft_reg(rnd), (v >> 8) % 16,
						(v >> 12) % 16, 0);
			break;
		case 12 ... 13:
			op = vsvm_ft_alui[(v >> 4) % ARRAY_SIZE(vsvm_ft_alui)];
			prog[pc] = vsvm_ft_insn(op, vsvm_ft_reg(rnd), (v >> 8) % 16, 0,
						op == DRM_VSVM_OP_SEXT32 ? 0 :
						(s32)((v >> 12) % 64));
			break;
		case 14:
			/* Move a base within the buffer, or off it now and then. */
			prog[pc] = vsvm_ft_insn(DRM_VSVM_OP_ADDI, base, base, 0,
						((s32)((v >> 8) % 64) - 32) * 8 *
						((v >> 20) % 8 ? 1 : 64));
			break;
		default:
			prog[pc] = vsvm_ft_insn((v >> 4) % 4 ? DRM_VSVM_OP_NOP : DRM_VSVM_OP_DIVU,
						(v >> 4) % 4 ? 0 : vsvm_ft_reg(rnd),
						(v >> 4) % 4 ? 0 : (v >> 8) % 16,
						(v >> 4) % 4 ? 0 : 4 + (v >> 12) % 12, 0);
			break;
		}
	}
	prog[len - 1] = vsvm_ft_insn(DRM_VSVM_OP_END, 0, 0, 0, 0);
}

static void vsvm_ft_lane_init(struct rnd_state *rnd, struct vsvm_lane *l)
{
	int i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < DRM_VSVM_ISA_NUM_REGS; i++)
		l->regs[i] = ((u64)prandom_u32_state(rnd) << 32) | prandom_u32_state(rnd);
	for (i = 1; i <= 3; i++)
		l->regs[i] = VSVM_FT_BASE +
			     (prandom_u32_state(rnd) % VSVM_FT_PAGES) * PAGE_SIZE +
			     256 + (prandom_u32_state(rnd) % 448) * 8;
	/* Divisors that are sometimes zero. */
	for (i = 4; i < 16; i++)
		if (!(prandom_u32_state(rnd) % 8))
			l->regs[i] = 0;
}

/*
 * Run the same random programs in both interpreters, in slices of random
 * length, with pages that are absent or read-only at the start and pages
 * that are "invalidated" between slices (the TLB generation bumps). After
 * every slice the stop reason, the steps, the pc, the registers and the
 * fault record must be identical; at the end, the memory.
 */
static void vsvm_isa_fast_test_equivalence(struct kunit *test)
{
	struct vsvm_isa_insn *dec;
	struct vsvm_ft_mem ms = {}, mf = {};
	struct vsvm_isa_env es = {}, ef;
	unsigned long absent = 0, ro = 0;
	u64 *prog, gen = 1;
	unsigned int seed, runs = 0, faults = 0;
	struct rnd_state rnd;
	u32 bad_pc;

	prog = kunit_kcalloc(test, VSVM_FT_LEN, sizeof(*prog), GFP_KERNEL);
	dec = kunit_kcalloc(test, VSVM_FT_LEN, sizeof(*dec), GFP_KERNEL);
	ms.buf = kunit_kzalloc(test, VSVM_FT_SIZE, GFP_KERNEL);
	mf.buf = kunit_kzalloc(test, VSVM_FT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, prog);
	KUNIT_ASSERT_NOT_NULL(test, dec);
	KUNIT_ASSERT_NOT_NULL(test, ms.buf);
	KUNIT_ASSERT_NOT_NULL(test, mf.buf);
	ms.absent = &absent;
	mf.absent = &absent;
	ms.ro = &ro;
	mf.ro = &ro;
	es.translate = vsvm_ft_translate;
	es.lane_count = 1;
	ef = es;
	es.priv = &ms;
	ef.priv = &mf;
	ef.dec = dec;
	ef.tlb_gen = &gen;

	prandom_seed_state(&rnd, VSVM_FT_SEED);
	for (seed = 0; seed < VSVM_FT_SEEDS; seed++) {
		struct vsvm_lane ls, lf;
		unsigned int slices;
		u32 i;

		vsvm_ft_gen(&rnd, prog, VSVM_FT_LEN);
		KUNIT_ASSERT_EQ(test, vsvm_isa_validate(prog, VSVM_FT_LEN, &bad_pc), 0);
		vsvm_isa_decode(prog, VSVM_FT_LEN, dec);
		for (i = 0; i < VSVM_FT_LEN; i++)
			if (dec[i].run > 1)
				runs++;
		for (i = 0; i < VSVM_FT_SIZE; i++)
			ms.buf[i] = prandom_u32_state(&rnd);
		memcpy(mf.buf, ms.buf, VSVM_FT_SIZE);
		absent = prandom_u32_state(&rnd) % (1 << VSVM_FT_PAGES);
		ro = prandom_u32_state(&rnd) % (1 << VSVM_FT_PAGES);
		vsvm_ft_lane_init(&rnd, &ls);
		lf = ls;

		for (slices = 0; slices < 4 * VSVM_FT_LEN; slices++) {
			struct vsvm_isa_fault fs = {}, ff = {};
			enum vsvm_isa_stop ss, sf;
			u64 max = 1 + prandom_u32_state(&rnd) % 96, ns = 0, nf = 0;

			ss = vsvm_isa_run(&es, prog, VSVM_FT_LEN, &ls, max, &ns, &fs);
			sf = vsvm_isa_run(&ef, prog, VSVM_FT_LEN, &lf, max, &nf, &ff);
			KUNIT_ASSERT_EQ_MSG(test, ss, sf, "seed %u slice %u", seed, slices);
			KUNIT_ASSERT_EQ_MSG(test, ns, nf, "seed %u slice %u", seed, slices);
			KUNIT_ASSERT_EQ_MSG(test, ls.pc, lf.pc, "seed %u slice %u", seed, slices);
			KUNIT_ASSERT_EQ_MSG(test, memcmp(ls.regs, lf.regs, sizeof(ls.regs)), 0,
					    "seed %u slice %u pc %u", seed, slices, ls.pc);
			if (ss == VSVM_ISA_EXCEPTION) {
				KUNIT_ASSERT_EQ(test, fs.exception, ff.exception);
				break;
			}
			if (ss == VSVM_ISA_END)
				break;
			if (ss == VSVM_ISA_FAULT) {
				u64 page = (fs.addr - VSVM_FT_BASE) >> PAGE_SHIFT;

				KUNIT_ASSERT_EQ(test, fs.addr, ff.addr);
				KUNIT_ASSERT_EQ(test, fs.access, ff.access);
				KUNIT_ASSERT_EQ(test, fs.err, ff.err);
				faults++;
				if (fs.err != -EAGAIN)
					break;
				/* Resolve it: map the page, writable. */
				clear_bit(page, &absent);
				clear_bit(page, &ro);
			}
			/* Now and then an invalidation takes a page away. */
			if (!(prandom_u32_state(&rnd) % 6)) {
				u32 v = prandom_u32_state(&rnd);

				set_bit(v % VSVM_FT_PAGES, (v >> 8) % 2 ? &absent : &ro);
				gen++;
			}
		}
		KUNIT_ASSERT_LT(test, slices, 4 * VSVM_FT_LEN);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(ms.buf, mf.buf, VSVM_FT_SIZE), 0,
				    "seed %u", seed);
	}
	/* Runs were found, the programs did fault, and the cache hit. */
	kunit_info(test, "runs %u faults %u translate calls: stepping %u, fast %u\n",
		   runs, faults, ms.calls, mf.calls);
	KUNIT_EXPECT_GT(test, runs, VSVM_FT_SEEDS);
	KUNIT_EXPECT_GT(test, faults, VSVM_FT_SEEDS / 4);
	KUNIT_EXPECT_LT(test, mf.calls, ms.calls);
}

/* A run executes as one loop: one translation for a page of LD64 + ADD. */
static void vsvm_isa_fast_test_run_translates_once(struct kunit *test)
{
	const u32 n = 2 * 32 + 1;
	struct vsvm_ft_mem m = {};
	struct vsvm_isa_env env = {};
	struct vsvm_isa_fault f;
	struct vsvm_isa_insn *dec;
	struct vsvm_lane l = {};
	unsigned long none = 0;
	u64 *prog, steps, gen = 1, sum = 0;
	u32 i;

	prog = kunit_kcalloc(test, n, sizeof(*prog), GFP_KERNEL);
	dec = kunit_kcalloc(test, n, sizeof(*dec), GFP_KERNEL);
	m.buf = kunit_kzalloc(test, VSVM_FT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, prog);
	KUNIT_ASSERT_NOT_NULL(test, dec);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	for (i = 0; i < 32; i++) {
		prog[2 * i] = vsvm_ft_insn(DRM_VSVM_OP_LD64, 7, 4, 0, i * 8);
		prog[2 * i + 1] = vsvm_ft_insn(DRM_VSVM_OP_ADD, 6, 6, 7, 0);
		put_unaligned(0x1000 + 3 * i, (u64 *)(m.buf + PAGE_SIZE + i * 8));
		sum += 0x1000 + 3 * i;
	}
	prog[n - 1] = vsvm_ft_insn(DRM_VSVM_OP_END, 0, 0, 0, 0);
	KUNIT_ASSERT_EQ(test, vsvm_isa_validate(prog, n, &i), 0);
	vsvm_isa_decode(prog, n, dec);
	KUNIT_EXPECT_EQ(test, dec[0].run, n - 1);
	KUNIT_EXPECT_EQ(test, dec[0].run_span, 32 * 8);

	m.absent = &none;
	m.ro = &none;
	env.translate = vsvm_ft_translate;
	env.priv = &m;
	env.dec = dec;
	env.tlb_gen = &gen;
	l.regs[4] = VSVM_FT_BASE + PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, vsvm_isa_run(&env, prog, n, &l, 1000, &steps, &f),
			VSVM_ISA_END);
	KUNIT_EXPECT_EQ(test, steps, n);
	KUNIT_EXPECT_EQ(test, l.regs[6], sum);
	KUNIT_EXPECT_EQ(test, m.calls, 1);
}

static struct kunit_case vsvm_isa_fast_tests[] = {
	KUNIT_CASE(vsvm_isa_fast_test_equivalence),
	KUNIT_CASE(vsvm_isa_fast_test_run_translates_once),
	{}
};

static struct kunit_suite vsvm_isa_fast_test_suite = {
	.name = "vsvm_isa_fast",
	.test_cases = vsvm_isa_fast_tests,
};

kunit_test_suite(vsvm_isa_fast_test_suite);
