// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the vsvm device page table.
 *
 * Copyright 2026 The vsvm authors
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "../vsvm_pt.h"

#define PT_TEST_BASE	0x7f0000000000ull
#define PT_TEST_SEED	0x5eed5eedu

static int vsvm_pt_test_init(struct kunit *test)
{
	struct vsvm_pt *pt = kunit_kzalloc(test, sizeof(*pt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pt);
	/* No device: leaves carry fake addresses and are never DMA-unmapped. */
	KUNIT_ASSERT_EQ(test, vsvm_pt_init(pt, NULL), 0);
	test->priv = pt;
	return 0;
}

static void vsvm_pt_test_exit(struct kunit *test)
{
	vsvm_pt_fini(test->priv);
}

static u64 leaf(u64 addr, bool write)
{
	return addr | VSVM_PTE_VALID | VSVM_PTE_READ | (write ? VSVM_PTE_WRITE : 0);
}

static void vsvm_pt_test_empty(struct kunit *test)
{
	struct vsvm_pt *pt = test->priv;
	struct vsvm_pt_leaf l = vsvm_pt_lookup(pt, PT_TEST_BASE);

	KUNIT_EXPECT_EQ(test, l.pte, 0);
	KUNIT_EXPECT_EQ(test, l.size, PAGE_SIZE);
	l = vsvm_pt_lookup(pt, VSVM_VA_END);
	KUNIT_EXPECT_EQ(test, l.pte, 0);
	KUNIT_EXPECT_EQ(test, vsvm_pt_zap(pt, 0, VSVM_HUGE_SIZE * 4), 0);
}

static void vsvm_pt_test_set_lookup(struct kunit *test)
{
	struct vsvm_pt *pt = test->priv;
	u64 va = PT_TEST_BASE + 5 * PAGE_SIZE;
	struct vsvm_pt_leaf l;

	KUNIT_ASSERT_EQ(test, vsvm_pt_prepare(pt, va, va + PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, vsvm_pt_set(pt, va, leaf(0x123000, true)), 0);
	l = vsvm_pt_lookup(pt, va + 0x10);
	KUNIT_EXPECT_EQ(test, l.pte, leaf(0x123000, true));
	KUNIT_EXPECT_EQ(test, l.size, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, vsvm_pte_addr(l.pte), 0x123000);
	/* Neighbours are untouched. */
	KUNIT_EXPECT_EQ(test, vsvm_pt_lookup(pt, va - PAGE_SIZE).pte, 0);
	KUNIT_EXPECT_EQ(test, vsvm_pt_lookup(pt, va + PAGE_SIZE).pte, 0);
	/* Replace. */
	KUNIT_ASSERT_EQ(test, vsvm_pt_set(pt, va, leaf(0x456000, false)), 0);
	KUNIT_EXPECT_EQ(test, vsvm_pt_lookup(pt, va).pte, leaf(0x456000, false));
	KUNIT_EXPECT_EQ(test, vsvm_pt_zap(pt, va, va + PAGE_SIZE), 1);
	KUNIT_EXPECT_EQ(test, vsvm_pt_lookup(pt, va).pte, 0);
}

static void vsvm_pt_test_huge(struct kunit *test)
{
	struct vsvm_pt *pt = test->priv;
	u64 va = PT_TEST_BASE + 3 * VSVM_HUGE_SIZE;
	unsigned long tables;
	struct vsvm_pt_leaf l;

	KUNIT_EXPECT_EQ(test, vsvm_pt_set_huge(pt, va + PAGE_SIZE, leaf(0x200000, true)),
			-EINVAL);
	/* 4 KiB leaves first, then a huge leaf replaces them and their table. */
	KUNIT_ASSERT_EQ(test, vsvm_pt_prepare(pt, va, va + VSVM_HUGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, vsvm_pt_set(pt, va + PAGE_SIZE, leaf(0x1000, true)), 0);
	tables = pt->tables;
	KUNIT_ASSERT_EQ(test, vsvm_pt_set_huge(pt, va, leaf(0x40000000, true)), 0);
	KUNIT_EXPECT_EQ(test, pt->tables, tables - 1);
	l = vsvm_pt_lookup(pt, va + 77 * PAGE_SIZE + 8);
	KUNIT_EXPECT_TRUE(test, l.pte & VSVM_PTE_HUGE);
	KUNIT_EXPECT_EQ(test, l.size, VSVM_HUGE_SIZE);
	KUNIT_EXPECT_EQ(test, vsvm_pte_addr(l.pte), 0x40000000);
	/* prepare() leaves a huge leaf alone. */
	KUNIT_ASSERT_EQ(test, vsvm_pt_prepare(pt, va, va + VSVM_HUGE_SIZE), 0);
	KUNIT_EXPECT_TRUE(test, vsvm_pt_lookup(pt, va).pte & VSVM_PTE_HUGE);
	/* A partial zap drops the whole huge leaf. */
	KUNIT_EXPECT_EQ(test, vsvm_pt_zap(pt, va + PAGE_SIZE, va + 2 * PAGE_SIZE),
			VSVM_PT_ENTRIES);
	KUNIT_EXPECT_EQ(test, vsvm_pt_lookup(pt, va + 100 * PAGE_SIZE).pte, 0);
}

static void vsvm_pt_test_split(struct kunit *test)
{
	struct vsvm_pt *pt = test->priv;
	u64 va = PT_TEST_BASE + 8 * VSVM_HUGE_SIZE;

	KUNIT_ASSERT_EQ(test, vsvm_pt_prepare(pt, va, va + VSVM_HUGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, vsvm_pt_set_huge(pt, va, leaf(0x80000000, true)), 0);
	/* A 4 KiB leaf in a huge granule replaces the huge leaf. */
	KUNIT_ASSERT_EQ(test, vsvm_pt_set(pt, va + 2 * PAGE_SIZE, leaf(0x3000, false)), 0);
	KUNIT_EXPECT_EQ(test, vsvm_pt_lookup(pt, va + 2 * PAGE_SIZE).pte, leaf(0x3000, false));
	KUNIT_EXPECT_EQ(test, vsvm_pt_lookup(pt, va).pte, 0);
	KUNIT_EXPECT_EQ(test, vsvm_pt_lookup(pt, va + 2 * PAGE_SIZE).size, PAGE_SIZE);
}

/* Random sets, huge sets and zaps over 8 granules against a flat model. */
static void vsvm_pt_test_random(struct kunit *test)
{
	const unsigned int granules = 8, pages = granules * VSVM_PT_ENTRIES;
	struct vsvm_pt *pt = test->priv;
	struct rnd_state rnd;
	unsigned int i, iter;
	u64 *model;

	model = kunit_kcalloc(test, pages, sizeof(*model), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, model);
	prandom_seed_state(&rnd, PT_TEST_SEED);
	KUNIT_ASSERT_EQ(test, vsvm_pt_prepare(pt, PT_TEST_BASE,
					      PT_TEST_BASE + granules * VSVM_HUGE_SIZE), 0);

	for (iter = 0; iter < 4000; iter++) {
		u32 op = prandom_u32_state(&rnd) % 8;
		u32 p = prandom_u32_state(&rnd) % pages;
		u64 va = PT_TEST_BASE + (u64)p * PAGE_SIZE;

		if (op == 0) {
			u32 g = p / VSVM_PT_ENTRIES;
			u64 gva = PT_TEST_BASE + (u64)g * VSVM_HUGE_SIZE;
			u64 pa = 0x100000000ull + (u64)g * VSVM_HUGE_SIZE;

			KUNIT_ASSERT_EQ(test, vsvm_pt_set_huge(pt, gva, leaf(pa, true)), 0);
			for (i = 0; i < VSVM_PT_ENTRIES; i++)
				model[g * VSVM_PT_ENTRIES + i] =
					leaf(pa, true) | VSVM_PTE_HUGE;
		} else if (op <= 2) {
			u32 n = prandom_u32_state(&rnd) % 700 + 1;
			u64 end = min_t(u64, va + (u64)n * PAGE_SIZE,
					PT_TEST_BASE + (u64)pages * PAGE_SIZE);
			unsigned long expect = 0;
			u32 q, first_g = p / VSVM_PT_ENTRIES;
			u32 last_g = ((end - PT_TEST_BASE) / PAGE_SIZE - 1) / VSVM_PT_ENTRIES;

			/* Huge leaves touched by the range go whole. */
			for (q = first_g * VSVM_PT_ENTRIES;
			     q < (last_g + 1) * VSVM_PT_ENTRIES; q++) {
				u64 qva = PT_TEST_BASE + (u64)q * PAGE_SIZE;
				bool in = qva >= va && qva < end;

				if (model[q] & VSVM_PTE_HUGE) {
					expect++;
					model[q] = 0;
				} else if (in && model[q]) {
					expect++;
					model[q] = 0;
				}
			}
			KUNIT_ASSERT_EQ(test, vsvm_pt_zap(pt, va, end), expect);
		} else {
			u64 pa = ((u64)prandom_u32_state(&rnd) << PAGE_SHIFT) & VSVM_PTE_ADDR_MASK;
			u32 g = p / VSVM_PT_ENTRIES;

			if (model[p] & VSVM_PTE_HUGE)
				for (i = 0; i < VSVM_PT_ENTRIES; i++)
					model[g * VSVM_PT_ENTRIES + i] = 0;
			KUNIT_ASSERT_EQ(test, vsvm_pt_set(pt, va, leaf(pa, op & 1)), 0);
			model[p] = leaf(pa, op & 1);
		}
	}
	for (i = 0; i < pages; i++) {
		struct vsvm_pt_leaf l = vsvm_pt_lookup(pt, PT_TEST_BASE + (u64)i * PAGE_SIZE);

		KUNIT_EXPECT_EQ_MSG(test, l.pte, model[i], "page %u", i);
	}
	vsvm_pt_zap(pt, PT_TEST_BASE, PT_TEST_BASE + (u64)pages * PAGE_SIZE);
}

static struct kunit_case vsvm_pt_tests[] = {
	KUNIT_CASE(vsvm_pt_test_empty),
	KUNIT_CASE(vsvm_pt_test_set_lookup),
	KUNIT_CASE(vsvm_pt_test_huge),
	KUNIT_CASE(vsvm_pt_test_split),
	KUNIT_CASE(vsvm_pt_test_random),
	{}
};

static struct kunit_suite vsvm_pt_suite = {
	.name = "vsvm_pt",
	.init = vsvm_pt_test_init,
	.exit = vsvm_pt_test_exit,
	.test_cases = vsvm_pt_tests,
};

kunit_test_suite(vsvm_pt_suite);
