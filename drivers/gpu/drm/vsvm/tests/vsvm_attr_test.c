// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the vsvm placement attribute ranges: random set
 * operations checked against a per-page reference array.
 *
 * Copyright 2026 The vsvm authors
 */

#include <kunit/test.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "../vsvm_attr.h"
#include "../vsvm_drv.h"
#include "../vsvm_pt.h"

#define ATTR_TEST_SEED		0xa77e5eedu
#define ATTR_TEST_BASE		0x100000000ull
#define ATTR_TEST_PAGES		96
#define ATTR_TEST_ROUNDS	1500

/* One page of the reference model: set explicitly, and to what. */
struct attr_model_page {
	bool set;
	struct vsvm_attrs attrs;
};

struct attr_test {
	struct list_head list;
	struct attr_model_page model[ATTR_TEST_PAGES];
};

/* A small palette so that equal neighbours (merges) are frequent. */
static const struct vsvm_attrs attr_palette[] = {
	{ DRM_VSVM_LOCATION_ANY, DRM_VSVM_ACCESS_MIGRATE, VSVM_HUGE_SIZE, false },
	{ DRM_VSVM_LOCATION_SYSTEM, DRM_VSVM_ACCESS_MIGRATE, SZ_64K, false },
	{ DRM_VSVM_LOCATION_DEVICE(0), DRM_VSVM_ACCESS_IN_PLACE, PAGE_SIZE, true },
};

static const struct vsvm_attrs attr_default = {
	DRM_VSVM_LOCATION_ANY, DRM_VSVM_ACCESS_MIGRATE, VSVM_HUGE_SIZE, false
};

static u64 page_addr(unsigned int i)
{
	return ATTR_TEST_BASE + (u64)i * PAGE_SIZE;
}

static bool attrs_eq(const struct vsvm_attrs *a, const struct vsvm_attrs *b)
{
	return a->preferred == b->preferred && a->policy == b->policy &&
	       a->granularity == b->granularity && a->read_only == b->read_only;
}

static bool model_page_eq(const struct attr_model_page *a,
			  const struct attr_model_page *b)
{
	return a->set == b->set && (!a->set || attrs_eq(&a->attrs, &b->attrs));
}

static int vsvm_attr_test_init(struct kunit *test)
{
	struct attr_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	INIT_LIST_HEAD(&t->list);
	test->priv = t;
	return 0;
}

static void vsvm_attr_test_exit(struct kunit *test)
{
	struct attr_test *t = test->priv;
	struct vsvm_attr_range *r, *tmp;

	list_for_each_entry_safe(r, tmp, &t->list, link) {
		list_del(&r->link);
		kfree(r);
	}
}

static void attr_set(struct kunit *test, unsigned int first, unsigned int last,
		     const struct vsvm_attrs *a)
{
	struct attr_test *t = test->priv;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vsvm_attr_list_set(&t->list, page_addr(first),
						 page_addr(last), a), 0);
	for (i = first; i < last; i++) {
		t->model[i].set = true;
		t->model[i].attrs = *a;
	}
}

/*
 * The list against the model: it is sorted, its ranges are not empty, do
 * not overlap, cover exactly the pages set, and two ranges that touch
 * differ (merged otherwise), so it has one range per maximal run of equal
 * set pages. Every page looks up its model attributes, and the run end a
 * lookup reports is exactly where the model's run ends.
 */
static void attr_check(struct kunit *test)
{
	struct attr_test *t = test->priv;
	struct vsvm_attr_range *r, *prev = NULL;
	unsigned int i, runs = 0, ranges = 0;

	list_for_each_entry(r, &t->list, link) {
		KUNIT_ASSERT_LT(test, r->start, r->end);
		KUNIT_ASSERT_TRUE(test, IS_ALIGNED(r->start | r->end, PAGE_SIZE));
		KUNIT_ASSERT_GE(test, r->start, page_addr(0));
		KUNIT_ASSERT_LE(test, r->end, page_addr(ATTR_TEST_PAGES));
		if (prev) {
			KUNIT_ASSERT_LE(test, prev->end, r->start);
			KUNIT_ASSERT_FALSE_MSG(test, prev->end == r->start &&
					       attrs_eq(&prev->attrs, &r->attrs),
					       "unmerged neighbours at %llx", r->start);
		}
		prev = r;
		ranges++;
	}

	for (i = 0; i < ATTR_TEST_PAGES; i++) {
		const struct attr_model_page *m = &t->model[i];
		struct vsvm_attrs got;
		unsigned int j;
		u64 run_end;

		if (m->set && (!i || !model_page_eq(&t->model[i - 1], m)))
			runs++;
		got = vsvm_attr_list_lookup(&t->list, page_addr(i) + 8, &run_end);
		KUNIT_ASSERT_TRUE_MSG(test, attrs_eq(&got, m->set ? &m->attrs : &attr_default),
				      "page %u", i);
		for (j = i + 1; j < ATTR_TEST_PAGES && model_page_eq(&t->model[j], m); j++)
			;
		if (j < ATTR_TEST_PAGES || m->set)
			KUNIT_ASSERT_EQ_MSG(test, run_end, page_addr(j), "page %u", i);
		else
			KUNIT_ASSERT_EQ_MSG(test, run_end, VSVM_VA_END, "page %u", i);
	}
	KUNIT_ASSERT_EQ(test, ranges, runs);
}

static void vsvm_attr_test_empty(struct kunit *test)
{
	struct attr_test *t = test->priv;
	struct vsvm_attrs a;
	u64 run_end = 0;

	a = vsvm_attr_list_lookup(&t->list, 0, &run_end);
	KUNIT_EXPECT_TRUE(test, attrs_eq(&a, &attr_default));
	KUNIT_EXPECT_EQ(test, run_end, VSVM_VA_END);
	/* run_end is optional. */
	a = vsvm_attr_list_lookup(&t->list, page_addr(3), NULL);
	KUNIT_EXPECT_TRUE(test, attrs_eq(&a, &attr_default));
	attr_check(test);
}

static void vsvm_attr_test_split(struct kunit *test)
{
	struct attr_test *t = test->priv;

	attr_set(test, 0, 32, &attr_palette[1]);
	attr_set(test, 8, 16, &attr_palette[2]);
	attr_check(test);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&t->list), 3);
	/* Cutting both ends of two ranges at once. */
	attr_set(test, 4, 20, &attr_palette[0]);
	attr_check(test);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&t->list), 3);
}

static void vsvm_attr_test_merge(struct kunit *test)
{
	struct attr_test *t = test->priv;

	attr_set(test, 0, 8, &attr_palette[1]);
	attr_set(test, 16, 24, &attr_palette[1]);
	attr_set(test, 8, 16, &attr_palette[1]);
	attr_check(test);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&t->list), 1);
	/* A hole and its refill. */
	attr_set(test, 10, 12, &attr_palette[2]);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&t->list), 3);
	attr_set(test, 10, 12, &attr_palette[1]);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&t->list), 1);
	/* Touching ranges with other attributes stay apart. */
	attr_set(test, 24, 30, &attr_palette[0]);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&t->list), 2);
	attr_check(test);
}

static void vsvm_attr_test_random(struct kunit *test)
{
	struct rnd_state rnd;
	unsigned int round;

	prandom_seed_state(&rnd, ATTR_TEST_SEED);
	for (round = 0; round < ATTR_TEST_ROUNDS; round++) {
		unsigned int a = prandom_u32_state(&rnd) % ATTR_TEST_PAGES;
		unsigned int len = 1 + prandom_u32_state(&rnd) % 24;
		unsigned int p = prandom_u32_state(&rnd) % ARRAY_SIZE(attr_palette);

		attr_set(test, a, min(a + len, ATTR_TEST_PAGES), &attr_palette[p]);
		attr_check(test);
	}
}

static struct kunit_case vsvm_attr_cases[] = {
	KUNIT_CASE(vsvm_attr_test_empty),
	KUNIT_CASE(vsvm_attr_test_split),
	KUNIT_CASE(vsvm_attr_test_merge),
	KUNIT_CASE(vsvm_attr_test_random),
	{}
};

static struct kunit_suite vsvm_attr_suite = {
	.name = "vsvm_attr",
	.init = vsvm_attr_test_init,
	.exit = vsvm_attr_test_exit,
	.test_cases = vsvm_attr_cases,
};

kunit_test_suite(vsvm_attr_suite);
