// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for how a parallel migration cuts its range: the chunks
 * handed to the workers are disjoint, each inside one 2 MiB granule, and
 * together exactly the range (seeded random ranges and the edge cases).
 *
 * Copyright 2026 The vsvm authors
 */

#include <kunit/test.h>
#include <linux/prandom.h>

#include "../vsvm_drv.h"
#include "../vsvm_migrate.h"
#include "../vsvm_pt.h"
#include "../vsvm_svm.h"

#define MIGRATE_TEST_SEED	0x6d16a7e5u
#define MIGRATE_TEST_ROUNDS	2000
/* Ranges of up to this many granules, anywhere below 2^47. */
#define MIGRATE_TEST_MAX_GRANULES	40

static void check_cover(struct kunit *test, u64 start, u64 end)
{
	unsigned long n = vsvm_migrate_nchunks(start, end), i;
	u64 next = start, cs, ce;

	KUNIT_ASSERT_GT(test, n, 0UL);
	for (i = 0; i < n; i++) {
		vsvm_migrate_chunk(start, end, i, &cs, &ce);
		/* Contiguous and in order: disjoint, nothing skipped. */
		KUNIT_ASSERT_EQ_MSG(test, cs, next, "chunk %lu of [%llx, %llx)", i, start, end);
		KUNIT_ASSERT_LT(test, cs, ce);
		/* One granule each, and every chunk but the ends a whole one. */
		KUNIT_ASSERT_EQ(test, cs >> VSVM_HUGE_SHIFT, (ce - 1) >> VSVM_HUGE_SHIFT);
		if (i && i + 1 < n)
			KUNIT_ASSERT_EQ(test, ce - cs, (u64)VSVM_HUGE_SIZE);
		next = ce;
	}
	KUNIT_ASSERT_EQ(test, next, end);
}

static void migrate_chunks_edges(struct kunit *test)
{
	const u64 g = VSVM_HUGE_SIZE;

	check_cover(test, 0, PAGE_SIZE);
	check_cover(test, g - PAGE_SIZE, g);
	check_cover(test, g - PAGE_SIZE, g + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, vsvm_migrate_nchunks(g - PAGE_SIZE, g + PAGE_SIZE), 2UL);
	check_cover(test, g, 2 * g);
	KUNIT_EXPECT_EQ(test, vsvm_migrate_nchunks(g, 2 * g), 1UL);
	check_cover(test, 4 * g + 3 * PAGE_SIZE, 16 * g - 5 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, vsvm_migrate_nchunks(4 * g + 3 * PAGE_SIZE,
						   16 * g - 5 * PAGE_SIZE), 12UL);
	check_cover(test, VSVM_VA_END - 3 * g, VSVM_VA_END);
}

static void migrate_chunks_random(struct kunit *test)
{
	struct rnd_state rnd;
	int round;

	prandom_seed_state(&rnd, MIGRATE_TEST_SEED);
	for (round = 0; round < MIGRATE_TEST_ROUNDS; round++) {
		u64 hi = prandom_u32_state(&rnd) & 0x7fff;
		u64 start = ((prandom_u32_state(&rnd) | hi << 32) << PAGE_SHIFT) &
			    (BIT_ULL(47) - 1);
		u64 pages = 1 + prandom_u32_state(&rnd) %
			    (MIGRATE_TEST_MAX_GRANULES * VSVM_GRANULE_PAGES);

		start = min_t(u64, start, BIT_ULL(47) - (pages << PAGE_SHIFT));
		check_cover(test, start, start + (pages << PAGE_SHIFT));
		if (test->status == KUNIT_FAILURE)
			return;
	}
}

static struct kunit_case vsvm_migrate_cases[] = {
	KUNIT_CASE(migrate_chunks_edges),
	KUNIT_CASE(migrate_chunks_random),
	{}
};

static struct kunit_suite vsvm_migrate_suite = {
	.name = "vsvm_migrate",
	.test_cases = vsvm_migrate_cases,
};

kunit_test_suite(vsvm_migrate_suite);
