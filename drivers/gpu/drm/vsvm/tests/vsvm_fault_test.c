// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for vsvm fault coalescing.
 *
 * Copyright 2026 The vsvm authors
 */

#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "../vsvm_fault.h"

#define FAULT_TEST_SEED	0xfa017u

static void vsvm_fault_test_empty(struct kunit *test)
{
	u32 runs = 99;

	KUNIT_EXPECT_EQ(test, vsvm_fault_coalesce(NULL, 0, &runs), 0);
	KUNIT_EXPECT_EQ(test, runs, 0);
}

static void vsvm_fault_test_same_granule(struct kunit *test)
{
	struct vsvm_fault_key k[] = {
		{ .granule = 7, .write = false },
		{ .granule = 7, .write = true },
		{ .granule = 7, .write = false },
	};
	u32 runs;

	KUNIT_ASSERT_EQ(test, vsvm_fault_coalesce(k, ARRAY_SIZE(k), &runs), 1);
	KUNIT_EXPECT_EQ(test, k[0].granule, 7);
	KUNIT_EXPECT_TRUE(test, k[0].write);
	KUNIT_EXPECT_EQ(test, runs, 1);
}

static void vsvm_fault_test_runs(struct kunit *test)
{
	struct vsvm_fault_key k[] = {
		{ .granule = 12 }, { .granule = 3 }, { .granule = 4 },
		{ .granule = 10 }, { .granule = 11, .write = true }, { .granule = 3 },
		{ .granule = 100 },
	};
	static const u64 expect[] = { 3, 4, 10, 11, 12, 100 };
	u32 runs, n, i;

	n = vsvm_fault_coalesce(k, ARRAY_SIZE(k), &runs);
	KUNIT_ASSERT_EQ(test, n, ARRAY_SIZE(expect));
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, k[i].granule, expect[i]);
	KUNIT_EXPECT_EQ(test, runs, 3);	/* {3,4} {10,11,12} {100} */
	KUNIT_EXPECT_TRUE(test, k[3].write);
	KUNIT_EXPECT_FALSE(test, k[2].write);
}

static void vsvm_fault_test_random(struct kunit *test)
{
	const u32 count = 512, span = 64;
	struct vsvm_fault_key *k;
	bool seen[64] = {}, wr[64] = {};
	struct rnd_state rnd;
	u32 i, n, runs, expect_n = 0, expect_runs = 0;

	k = kunit_kcalloc(test, count, sizeof(*k), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, k);
	prandom_seed_state(&rnd, FAULT_TEST_SEED);
	for (i = 0; i < count; i++) {
		k[i].granule = 1000 + prandom_u32_state(&rnd) % span;
		k[i].write = prandom_u32_state(&rnd) & 1;
		seen[k[i].granule - 1000] = true;
		wr[k[i].granule - 1000] |= k[i].write;
	}
	for (i = 0; i < span; i++) {
		if (!seen[i])
			continue;
		expect_n++;
		if (!i || !seen[i - 1])
			expect_runs++;
	}
	n = vsvm_fault_coalesce(k, count, &runs);
	KUNIT_ASSERT_EQ(test, n, expect_n);
	KUNIT_EXPECT_EQ(test, runs, expect_runs);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_TRUE(test, seen[k[i].granule - 1000]);
		KUNIT_EXPECT_EQ(test, k[i].write, wr[k[i].granule - 1000]);
		if (i)
			KUNIT_EXPECT_LT(test, k[i - 1].granule, k[i].granule);
	}
}

static struct kunit_case vsvm_fault_tests[] = {
	KUNIT_CASE(vsvm_fault_test_empty),
	KUNIT_CASE(vsvm_fault_test_same_granule),
	KUNIT_CASE(vsvm_fault_test_runs),
	KUNIT_CASE(vsvm_fault_test_random),
	{}
};

static struct kunit_suite vsvm_fault_suite = {
	.name = "vsvm_fault",
	.test_cases = vsvm_fault_tests,
};

kunit_test_suite(vsvm_fault_suite);
