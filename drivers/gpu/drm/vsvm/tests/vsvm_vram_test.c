// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the vsvm VRAM allocator and its eviction pick: the buddy
 * accounting with per-client charges (on a device without pages), and the
 * second-chance LRU against a reference model.
 *
 * Copyright 2026 The vsvm authors
 */

#include <kunit/test.h>
#include <linux/gpu_buddy.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "../vsvm_drv.h"
#include "../vsvm_job.h"
#include "../vsvm_pt.h"
#include "../vsvm_vram.h"

#define VRAM_TEST_SEED		0x7a3e5eedu
#define VRAM_TEST_SIZE		(8ull << 20)
#define VRAM_TEST_PAGES		(VRAM_TEST_SIZE >> PAGE_SHIFT)
#define VRAM_TEST_MAX_ALLOCS	64
#define VRAM_TEST_ROUNDS	600

#define LRU_TEST_ALLOCS		16
#define LRU_TEST_ROUNDS		2000

/*
 * A device with the allocator's state only: the buddy allocator over
 * VRAM_TEST_SIZE bytes, no pagemap, no backing store. Allocations from it
 * must never be evicted or get pages (that would touch pfns that do not
 * exist), so nothing is committed with pages in use.
 */
struct vram_test {
	struct vsvm_device *vdev;
	struct vsvm_client *client;
};

static int vsvm_vram_test_init(struct kunit *test)
{
	struct vram_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct vsvm_vram *vram;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->vdev = kzalloc(sizeof(*t->vdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->vdev);
	/* Freed with vsvm_client_put() by the allocator: kmalloc'ed. */
	t->client = kzalloc(sizeof(*t->client), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->client);
	kref_init(&t->client->ref);
	vram = &t->vdev->vram;
	mutex_init(&vram->lock);
	INIT_LIST_HEAD(&vram->lru);
	KUNIT_ASSERT_EQ(test, gpu_buddy_init(&vram->mm, VRAM_TEST_SIZE, PAGE_SIZE), 0);
	vram->size = VRAM_TEST_SIZE;
	test->priv = t;
	return 0;
}

static void vsvm_vram_test_exit(struct kunit *test)
{
	struct vram_test *t = test->priv;

	vsvm_vram_free_flush();
	gpu_buddy_fini(&t->vdev->vram.mm);
	mutex_destroy(&t->vdev->vram.lock);
	kfree(t->vdev);
	kfree(t->client);
}

/* Used bytes, the client's charge and the buddy's free space agree. */
static void vram_check(struct kunit *test, u64 pages)
{
	struct vram_test *t = test->priv;
	struct vsvm_vram *vram = &t->vdev->vram;

	KUNIT_ASSERT_EQ(test, atomic64_read(&vram->used), pages << PAGE_SHIFT);
	KUNIT_ASSERT_EQ(test, atomic64_read(&t->client->vram_bytes), pages << PAGE_SHIFT);
	KUNIT_ASSERT_EQ(test, vram->mm.avail, VRAM_TEST_SIZE - (pages << PAGE_SHIFT));
}

static void vsvm_vram_test_alloc_free(struct kunit *test)
{
	struct vram_test *t = test->priv;
	struct vsvm_vram_alloc *va;

	va = vsvm_vram_alloc(t->vdev, t->client, 3, PAGE_SIZE);
	KUNIT_ASSERT_FALSE(test, IS_ERR(va));
	KUNIT_EXPECT_EQ(test, va->npages, 3);
	KUNIT_EXPECT_EQ(test, va->granularity, PAGE_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, va->client, t->client);
	/* The allocation holds a reference on the client. */
	KUNIT_EXPECT_EQ(test, kref_read(&t->client->ref), 2);
	vram_check(test, 3);
	/* No page in use: committing frees it (in the free worker). */
	vsvm_vram_alloc_commit(va);
	vsvm_vram_free_flush();
	vram_check(test, 0);
	KUNIT_EXPECT_EQ(test, kref_read(&t->client->ref), 1);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->vdev->vram.lru));
}

static void vsvm_vram_test_full(struct kunit *test)
{
	struct vram_test *t = test->priv;
	struct vsvm_vram_alloc *va, *va2;

	va = vsvm_vram_alloc(t->vdev, t->client, VRAM_TEST_PAGES, VSVM_HUGE_SIZE);
	KUNIT_ASSERT_FALSE(test, IS_ERR(va));
	vram_check(test, VRAM_TEST_PAGES);
	/* Nothing on the LRU to evict. */
	va2 = vsvm_vram_alloc(t->vdev, t->client, 1, PAGE_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, va2, ERR_PTR(-ENOSPC));
	vram_check(test, VRAM_TEST_PAGES);
	/*
	 * Freed, perhaps still queued for the free worker: an allocation
	 * that finds VRAM full waits for pending releases first.
	 */
	vsvm_vram_alloc_commit(va);
	va2 = vsvm_vram_alloc(t->vdev, t->client, VRAM_TEST_PAGES, PAGE_SIZE);
	KUNIT_ASSERT_FALSE(test, IS_ERR(va2));
	vram_check(test, VRAM_TEST_PAGES);
	vsvm_vram_alloc_commit(va2);
	vsvm_vram_free_flush();
	vram_check(test, 0);
}

static void vsvm_vram_test_dead(struct kunit *test)
{
	struct vram_test *t = test->priv;

	WRITE_ONCE(t->vdev->vram.dead, true);
	KUNIT_EXPECT_PTR_EQ(test, vsvm_vram_alloc(t->vdev, t->client, 1, PAGE_SIZE),
			    ERR_PTR(-ENODEV));
	vram_check(test, 0);
	KUNIT_EXPECT_EQ(test, kref_read(&t->client->ref), 1);
}

/*
 * Random allocations and frees in any order: an allocation succeeds
 * exactly when enough pages are free (the allocator splits blocks as
 * needed, so fragmentation does not matter), and the counters follow.
 */
static void vsvm_vram_test_random(struct kunit *test)
{
	struct vram_test *t = test->priv;
	struct vsvm_vram_alloc *live[VRAM_TEST_MAX_ALLOCS];
	unsigned int n = 0, round;
	struct rnd_state rnd;
	u64 pages = 0;

	prandom_seed_state(&rnd, VRAM_TEST_SEED);
	for (round = 0; round < VRAM_TEST_ROUNDS; round++) {
		bool do_free = n == VRAM_TEST_MAX_ALLOCS ||
			       (n && prandom_u32_state(&rnd) % 3 == 0);

		if (do_free) {
			unsigned int i = prandom_u32_state(&rnd) % n;

			pages -= live[i]->npages;
			vsvm_vram_alloc_commit(live[i]);
			live[i] = live[--n];
			vsvm_vram_free_flush();
		} else {
			unsigned long want = 1 + prandom_u32_state(&rnd) % 700;
			struct vsvm_vram_alloc *va;

			va = vsvm_vram_alloc(t->vdev, t->client, want, PAGE_SIZE);
			if (pages + want <= VRAM_TEST_PAGES) {
				KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(va),
						       "round %u: %lu pages with %llu free",
						       round, want, VRAM_TEST_PAGES - pages);
				live[n++] = va;
				pages += want;
			} else {
				KUNIT_ASSERT_PTR_EQ(test, va, ERR_PTR(-ENOSPC));
			}
		}
		vram_check(test, pages);
		KUNIT_ASSERT_EQ(test, kref_read(&t->client->ref), 1 + n);
	}
	while (n)
		vsvm_vram_alloc_commit(live[--n]);
	vsvm_vram_free_flush();
	vram_check(test, 0);
	KUNIT_EXPECT_EQ(test, kref_read(&t->client->ref), 1);
}

/* ---- eviction pick ------------------------------------------------------ */

/* Reference model of the LRU: queue of indices, least recently used first. */
struct lru_model {
	unsigned int order[LRU_TEST_ALLOCS];
	unsigned int n;
	bool referenced[LRU_TEST_ALLOCS];
	int live[LRU_TEST_ALLOCS];
};

static void lru_model_remove_head(struct lru_model *m)
{
	memmove(m->order, m->order + 1, --m->n * sizeof(m->order[0]));
}

/* Second chance: what the pick should return (-1 for none). */
static int lru_model_pick(struct lru_model *m)
{
	while (m->n) {
		unsigned int i = m->order[0];

		lru_model_remove_head(m);
		if (m->referenced[i]) {
			m->referenced[i] = false;
			m->order[m->n++] = i;
			continue;
		}
		if (m->live[i]) {
			m->live[i]++;
			return i;
		}
	}
	return -1;
}

static bool lru_model_has(const struct lru_model *m, unsigned int i)
{
	unsigned int k;

	for (k = 0; k < m->n; k++)
		if (m->order[k] == i)
			return true;
	return false;
}

static void vsvm_vram_test_lru_pick(struct kunit *test)
{
	struct vsvm_vram_alloc *va = kunit_kcalloc(test, LRU_TEST_ALLOCS, sizeof(*va),
						   GFP_KERNEL);
	struct lru_model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned int round, i, picks = 0, second_chances = 0, skipped_dead = 0;
	struct rnd_state rnd;
	LIST_HEAD(lru);

	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_ASSERT_NOT_NULL(test, m);
	prandom_seed_state(&rnd, VRAM_TEST_SEED ^ 0x1);
	for (i = 0; i < LRU_TEST_ALLOCS; i++) {
		INIT_LIST_HEAD(&va[i].lru);
		atomic_set(&va[i].live, 1);
		m->live[i] = 1;
		list_add_tail(&va[i].lru, &lru);
		m->order[m->n++] = i;
	}

	for (round = 0; round < LRU_TEST_ROUNDS; round++) {
		unsigned int op = prandom_u32_state(&rnd) % 8;
		struct vsvm_vram_alloc *got;
		int want;

		i = prandom_u32_state(&rnd) % LRU_TEST_ALLOCS;
		if (op < 3) {
			/* A GPU mapping touches it (on the LRU or not). */
			WRITE_ONCE(va[i].referenced, true);
			m->referenced[i] = true;
		} else if (op == 3 && lru_model_has(m, i) && m->live[i]) {
			/* Its last page is freed: waiting for the free worker. */
			atomic_set(&va[i].live, 0);
			m->live[i] = 0;
		} else if (op == 4 && !lru_model_has(m, i)) {
			/* Migrated again and committed: back at the tail. */
			atomic_set(&va[i].live, 1);
			m->live[i] = 1;
			va[i].referenced = false;
			m->referenced[i] = false;
			list_add_tail(&va[i].lru, &lru);
			m->order[m->n++] = i;
		} else {
			unsigned int before = m->n;
			bool any_ref = false;

			for (i = 0; i < m->n; i++)
				any_ref |= m->referenced[m->order[i]];
			want = lru_model_pick(m);
			got = vsvm_vram_lru_pick(&lru);
			if (want < 0) {
				KUNIT_ASSERT_NULL(test, got);
			} else {
				KUNIT_ASSERT_PTR_EQ_MSG(test, got, &va[want], "round %u", round);
				KUNIT_ASSERT_TRUE(test, list_empty(&got->lru));
				KUNIT_ASSERT_EQ(test, atomic_read(&got->live), m->live[want]);
				/* The evictor drops its reference when done. */
				atomic_dec(&got->live);
				m->live[want]--;
				picks++;
				second_chances += any_ref;
			}
			skipped_dead += before - m->n - (want >= 0);
		}
		/* Same order, same marks. */
		i = 0;
		list_for_each_entry(got, &lru, lru) {
			KUNIT_ASSERT_LT(test, i, m->n);
			KUNIT_ASSERT_PTR_EQ(test, got, &va[m->order[i]]);
			KUNIT_ASSERT_EQ(test, READ_ONCE(got->referenced),
					m->referenced[m->order[i]]);
			i++;
		}
		KUNIT_ASSERT_EQ(test, i, m->n);
	}
	/* The random walk reached every path of the pick. */
	KUNIT_EXPECT_GT(test, picks, 0);
	KUNIT_EXPECT_GT(test, second_chances, 0);
	KUNIT_EXPECT_GT(test, skipped_dead, 0);
	kunit_info(test, "%u picks, %u with second chances, %u dead skipped\n",
		   picks, second_chances, skipped_dead);
}

static void vsvm_vram_test_lru_all_referenced(struct kunit *test)
{
	struct vsvm_vram_alloc va[3] = {};
	unsigned int i;
	LIST_HEAD(lru);

	for (i = 0; i < ARRAY_SIZE(va); i++) {
		atomic_set(&va[i].live, 1);
		va[i].referenced = true;
		list_add_tail(&va[i].lru, &lru);
	}
	/* Everyone gets a second chance; then the oldest goes. */
	KUNIT_EXPECT_PTR_EQ(test, vsvm_vram_lru_pick(&lru), &va[0]);
	KUNIT_EXPECT_FALSE(test, va[1].referenced);
	KUNIT_EXPECT_FALSE(test, va[2].referenced);
	KUNIT_EXPECT_EQ(test, atomic_read(&va[0].live), 2);
	KUNIT_EXPECT_PTR_EQ(test, vsvm_vram_lru_pick(&lru), &va[1]);
	/* Only dead ones left: they leave the list, nobody is picked. */
	atomic_set(&va[2].live, 0);
	KUNIT_EXPECT_NULL(test, vsvm_vram_lru_pick(&lru));
	KUNIT_EXPECT_TRUE(test, list_empty(&lru));
	KUNIT_EXPECT_EQ(test, atomic_read(&va[2].live), 0);
}

static struct kunit_case vsvm_vram_cases[] = {
	KUNIT_CASE(vsvm_vram_test_alloc_free),
	KUNIT_CASE(vsvm_vram_test_full),
	KUNIT_CASE(vsvm_vram_test_dead),
	KUNIT_CASE(vsvm_vram_test_random),
	KUNIT_CASE(vsvm_vram_test_lru_pick),
	KUNIT_CASE(vsvm_vram_test_lru_all_referenced),
	{}
};

static struct kunit_suite vsvm_vram_suite = {
	.name = "vsvm_vram",
	.init = vsvm_vram_test_init,
	.exit = vsvm_vram_test_exit,
	.test_cases = vsvm_vram_cases,
};

kunit_test_suite(vsvm_vram_suite);
