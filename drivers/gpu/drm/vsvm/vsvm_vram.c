// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/error-injection.h>
#include <linux/highmem.h>
#include <linux/delay.h>
#include <linux/ioport.h>
#include <linux/llist.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <kunit/visibility.h>

#include "vsvm_drv.h"
#include "vsvm_job.h"
#include "vsvm_pt.h"
#include "vsvm_vram.h"

/**
 * DOC: VRAM
 *
 * Each device can have device-private VRAM: a physical address range from
 * request_free_mem_region() turned into struct pages by
 * memremap_pages(MEMORY_DEVICE_PRIVATE), with the device as the pagemap
 * owner, and a kernel allocation of the same size, the backing store the
 * engines read and write. VRAM offsets are handed out by the kernel's
 * buddy allocator (gpu_buddy) in 2 MiB blocks where possible, smaller
 * blocks when fragmented.
 *
 * One buddy allocation backs one migration chunk (at most a granule). Its
 * pages point to it through zone_device_data; it is freed when the last of
 * its pages is freed (dev_pagemap_ops.page_free, which can run under a page
 * table lock, so the actual release is deferred to a work item). Committed
 * allocations sit on an LRU list (second chance: the GPU mapping a page
 * marks its allocation referenced); when an allocation fails, the least
 * recently used one is evicted to system memory with migrate_device_range()
 * and the allocation is retried.
 */

static struct vsvm_device *vsvm_pagemap_to_device(struct dev_pagemap *pgmap)
{
	return container_of(pgmap, struct vsvm_device, vram.pagemap);
}

/**
 * vsvm_vram_page_device() - the vsvm device owning a device-private page
 * @page: a device-private page of a vsvm device
 *
 * Return: the device.
 */
struct vsvm_device *vsvm_vram_page_device(struct page *page)
{
	return vsvm_pagemap_to_device(page->pgmap);
}

/**
 * vsvm_vram_owns() - is @page in @vdev's VRAM?
 * @vdev: the device
 * @page: any page
 *
 * Return: true if it is.
 */
bool vsvm_vram_owns(struct vsvm_device *vdev, struct page *page)
{
	return is_device_private_page(page) && page->pgmap == &vdev->vram.pagemap;
}

/**
 * vsvm_vram_offset() - VRAM offset of one of the device's pages
 * @vdev: the device
 * @page: a page of its VRAM
 *
 * Return: byte offset into the VRAM.
 */
u64 vsvm_vram_offset(struct vsvm_device *vdev, struct page *page)
{
	return (u64)(page_to_pfn(page) - vdev->vram.base_pfn) << PAGE_SHIFT;
}

/**
 * vsvm_vram_page_kaddr() - where the engine finds a VRAM page's bytes
 * @page: a device-private page of any vsvm device
 *
 * Return: kernel address of the page in its device's backing store.
 */
void *vsvm_vram_page_kaddr(struct page *page)
{
	struct vsvm_device *vdev = vsvm_vram_page_device(page);

	return vsvm_vram_kaddr(vdev, vsvm_vram_offset(vdev, page));
}

/**
 * vsvm_vram_page_granularity() - migration granularity of a VRAM page
 * @page: a device-private page of a vsvm device, in use
 *
 * Return: bytes, a power of two between 4 KiB and 2 MiB.
 */
u64 vsvm_vram_page_granularity(struct page *page)
{
	struct vsvm_vram_alloc *va = page->zone_device_data;

	return va->granularity ?: VSVM_HUGE_SIZE;
}

/**
 * vsvm_vram_page_cpu_fault_result() - count CPU faults that failed in a row
 * @page: a device-private page of a vsvm device, in use (the faulting page,
 *	which the CPU fault holds a reference on)
 * @failed: whether this fault's migration back to system memory failed
 *
 * Context: any; lock-free.
 * Return: the number of failures in a row on the page's allocation,
 * including this one; 0 after a success (which resets it).
 */
int vsvm_vram_page_cpu_fault_result(struct page *page, bool failed)
{
	struct vsvm_vram_alloc *va = page->zone_device_data;

	if (!failed) {
		atomic_set(&va->cpu_fault_failures, 0);
		return 0;
	}
	return atomic_inc_return(&va->cpu_fault_failures);
}

/**
 * vsvm_vram_kaddr() - where the engine finds a VRAM byte
 * @vdev: the device
 * @offset: byte offset into the VRAM
 *
 * Return: kernel address in the backing store.
 */
void *vsvm_vram_kaddr(struct vsvm_device *vdev, u64 offset)
{
	return vdev->vram.backing + offset;
}

static void vsvm_vram_release(struct vsvm_vram_alloc *va)
{
	struct vsvm_vram *vram = &va->vdev->vram;

	lockdep_assert_held(&vram->lock);
	list_del_init(&va->lru);
	atomic64_sub((u64)va->npages << PAGE_SHIFT, &vram->used);
	atomic64_sub((u64)va->npages << PAGE_SHIFT, &va->client->vram_bytes);
	vsvm_client_put(va->client);
	gpu_buddy_free_list(&vram->mm, &va->blocks, 0);
	kfree(va);
}

/* Removal retries eviction this often, and says so after that many tries. */
#define VSVM_EVICT_RETRY_MS		10
#define VSVM_EVICT_NOTICE_ROUNDS	100

static LLIST_HEAD(vsvm_vram_free_list);

static void vsvm_vram_free_work(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&vsvm_vram_free_list);
	struct vsvm_vram_alloc *va, *tmp;

	llist_for_each_entry_safe(va, tmp, list, free_link) {
		struct vsvm_vram *vram = &va->vdev->vram;

		mutex_lock(&vram->lock);
		vsvm_vram_release(va);
		mutex_unlock(&vram->lock);
	}
}

static DECLARE_WORK(vsvm_vram_free_worker, vsvm_vram_free_work);

/**
 * vsvm_vram_free_flush() - wait until freed allocations are released
 *
 * Context: may sleep; must not hold a VRAM lock.
 */
void vsvm_vram_free_flush(void)
{
	flush_work(&vsvm_vram_free_worker);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_vram_free_flush);

static void vsvm_vram_alloc_put(struct vsvm_vram_alloc *va)
{
	if (atomic_dec_and_test(&va->live)) {
		llist_add(&va->free_link, &vsvm_vram_free_list);
		schedule_work(&vsvm_vram_free_worker);
	}
}

/**
 * vsvm_vram_page_free() - &dev_pagemap_ops.page_free of VRAM pages
 * @page: a device-private page of ours whose last reference is gone
 */
void vsvm_vram_page_free(struct page *page)
{
	vsvm_vram_alloc_put(page->zone_device_data);
}

/* Evict every in-use page of @va to system memory. */
static void vsvm_vram_evict(struct vsvm_device *vdev, struct vsvm_vram_alloc *va)
{
	struct gpu_buddy_block *block;

	list_for_each_entry(block, &va->blocks, link) {
		u64 off = gpu_buddy_block_offset(block);
		unsigned long npages = gpu_buddy_block_size(&vdev->vram.mm, block) >> PAGE_SHIFT;

		vdev->vram.ops->evict_range(vdev, vdev->vram.base_pfn + (off >> PAGE_SHIFT),
					    npages);
	}
}

/* The least recently used allocation, second-chance style. */
static struct vsvm_vram_alloc *vsvm_vram_lru_next(struct list_head *lru)
{
	struct vsvm_vram_alloc *va, *tmp;

	list_for_each_entry_safe(va, tmp, lru, lru) {
		if (!READ_ONCE(va->referenced))
			return va;
		WRITE_ONCE(va->referenced, false);
		list_move_tail(&va->lru, lru);
	}
	return list_first_entry_or_null(lru, struct vsvm_vram_alloc, lru);
}

/**
 * vsvm_vram_lru_pick() - take the eviction victim off an LRU list
 * @lru: &struct vsvm_vram_alloc, least recently used first
 *
 * Second chance (the clock approximation of LRU): from the head, a
 * referenced allocation has its mark cleared and moves to the tail; the
 * first one not referenced is the victim. An allocation whose last page is
 * gone (live == 0) may still be on the LRU, waiting for the free worker: it
 * must never come back to life (its free_link is queued, its blocks are
 * about to be freed), so it only leaves the list here and the pick goes on.
 *
 * Context: the lock protecting @lru held (&vsvm_vram.lock).
 * Return: the victim, off the list, with a reference on it (put it with the
 * allocation's live count), or NULL when no allocation is left.
 */
VISIBLE_IF_KUNIT struct vsvm_vram_alloc *vsvm_vram_lru_pick(struct list_head *lru)
{
	struct vsvm_vram_alloc *va;

	while ((va = vsvm_vram_lru_next(lru))) {
		list_del_init(&va->lru);
		if (atomic_inc_not_zero(&va->live))
			return va;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_vram_lru_pick);

static struct vsvm_vram_alloc *vsvm_vram_pick_victim(struct vsvm_vram *vram)
{
	lockdep_assert_held(&vram->lock);
	return vsvm_vram_lru_pick(&vram->lru);
}

/**
 * vsvm_vram_alloc() - allocate VRAM for a migration chunk, evicting if full
 * @vdev: the device
 * @client: usage statistics to charge until the allocation is freed
 * @npages: pages wanted
 * @granularity: migration granularity recorded for migrate_to_ram
 *
 * Context: may sleep; must not hold the VRAM lock.
 * Return: the allocation (commit it with vsvm_vram_alloc_commit()) or an
 * ERR_PTR: -ENOSPC when VRAM cannot hold @npages even after eviction,
 * -ENODEV after device removal, -ENOMEM.
 */
struct vsvm_vram_alloc *vsvm_vram_alloc(struct vsvm_device *vdev,
					struct vsvm_client *client,
					unsigned long npages, u32 granularity)
{
	struct vsvm_vram *vram = &vdev->vram;
	struct vsvm_vram_alloc *va, *victim;
	bool flushed = false;
	int ret;

	va = kzalloc(sizeof(*va), GFP_KERNEL);
	if (!va)
		return ERR_PTR(-ENOMEM);
	va->vdev = vdev;
	INIT_LIST_HEAD(&va->blocks);
	INIT_LIST_HEAD(&va->lru);
	va->npages = npages;
	va->granularity = granularity;
	atomic_set(&va->live, 1);

	for (;;) {
		mutex_lock(&vram->lock);
		if (READ_ONCE(vram->dead)) {
			ret = -ENODEV;
			goto err_unlock;
		}
		ret = gpu_buddy_alloc_blocks(&vram->mm, 0, vram->size,
					     (u64)npages << PAGE_SHIFT, PAGE_SIZE,
					     &va->blocks, 0);
		if (!ret) {
			atomic64_add((u64)npages << PAGE_SHIFT, &vram->used);
			va->client = vsvm_client_get(client);
			atomic64_add((u64)npages << PAGE_SHIFT, &client->vram_bytes);
			mutex_unlock(&vram->lock);
			return va;
		}
		if (ret != -ENOSPC)
			goto err_unlock;
		if (!flushed) {
			/* Pages freed a moment ago may still wait for release. */
			mutex_unlock(&vram->lock);
			flush_work(&vsvm_vram_free_worker);
			flushed = true;
			continue;
		}
		/* The reference keeps it alive while its pages move out. */
		victim = vsvm_vram_pick_victim(vram);
		if (!victim)
			goto err_unlock;
		mutex_unlock(&vram->lock);

		vsvm_vram_evict(vdev, victim);
		vsvm_count(vdev, VSVM_CNT_EVICTIONS, 1);
		vsvm_vram_alloc_put(victim);
		flush_work(&vsvm_vram_free_worker);
	}

err_unlock:
	mutex_unlock(&vram->lock);
	kfree(va);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_vram_alloc);
ALLOW_ERROR_INJECTION(vsvm_vram_alloc, ERRNO);

/**
 * vsvm_vram_alloc_page() - the @i-th page of an allocation, ready for use
 * @va: the allocation
 * @i: page index, below the allocation's page count
 *
 * Return: a locked device-private page with one reference, owned by @va.
 */
struct page *vsvm_vram_alloc_page(struct vsvm_vram_alloc *va, unsigned long i)
{
	struct vsvm_vram *vram = &va->vdev->vram;
	struct gpu_buddy_block *block;
	struct page *page;

	list_for_each_entry(block, &va->blocks, link) {
		unsigned long n = gpu_buddy_block_size(&vram->mm, block) >> PAGE_SHIFT;

		if (i < n) {
			page = pfn_to_page(vram->base_pfn +
					   (gpu_buddy_block_offset(block) >> PAGE_SHIFT) + i);
			page->zone_device_data = va;
			atomic_inc(&va->live);
			zone_device_page_init(page);
			return page;
		}
		i -= n;
	}
	WARN_ON_ONCE(1);
	return NULL;
}

/**
 * vsvm_vram_touch() - mark the allocation behind a VRAM page referenced
 * @page: a device-private page of a vsvm device, in use
 *
 * Eviction gives referenced allocations a second chance (the clock
 * approximation of LRU).
 *
 * Context: any; the page must be kept alive by the caller (mapped, with
 * the notifier lock held).
 */
void vsvm_vram_touch(struct page *page)
{
	struct vsvm_vram_alloc *va = page->zone_device_data;

	WRITE_ONCE(va->referenced, true);
}

/**
 * vsvm_vram_alloc_commit() - the migration using @va is over
 * @va: the allocation
 *
 * Puts it at the tail of the LRU if some of its pages are in use, frees it
 * otherwise.
 */
void vsvm_vram_alloc_commit(struct vsvm_vram_alloc *va)
{
	struct vsvm_vram *vram = &va->vdev->vram;

	mutex_lock(&vram->lock);
	if (atomic_read(&va->live) > 1)
		list_add_tail(&va->lru, &vram->lru);
	mutex_unlock(&vram->lock);
	vsvm_vram_alloc_put(va);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_vram_alloc_commit);

/**
 * vsvm_vram_evict_all() - move every VRAM page back to system memory
 * @vdev: the device
 *
 * Used at device removal and module unload; afterwards no process maps any
 * of the device's pages and new migrations to it fail.
 */
void vsvm_vram_evict_all(struct vsvm_device *vdev)
{
	struct vsvm_vram *vram = &vdev->vram;
	unsigned int round;

	if (!vram->size)
		return;
	WRITE_ONCE(vram->dead, true);
	/*
	 * A page another thread holds for a moment (locked by a migration
	 * or a fault in flight, an extra reference) is skipped by one pass;
	 * with no new allocation possible, the passes run out of pages.
	 */
	for (round = 0;; round++) {
		vram->ops->evict_range(vdev, vram->base_pfn, vram->size >> PAGE_SHIFT);
		flush_work(&vsvm_vram_free_worker);
		if (!atomic64_read(&vram->used))
			break;
		if (round == VSVM_EVICT_NOTICE_ROUNDS)
			drm_info(&vdev->drm, "%lld KiB of VRAM still busy, retrying eviction\n",
				 atomic64_read(&vram->used) >> 10);
		msleep(VSVM_EVICT_RETRY_MS);
	}
}

/**
 * vsvm_vram_init() - create the device's VRAM
 * @vdev: the device
 * @size: bytes, a multiple of 2 MiB; 0 for no VRAM
 * @ops: migration's side (&struct vsvm_vram_ops)
 *
 * Return: 0 or a negative errno.
 */
int vsvm_vram_init(struct vsvm_device *vdev, u64 size,
		   const struct vsvm_vram_ops *ops)
{
	struct vsvm_vram *vram = &vdev->vram;
	struct resource *res;
	void *addr;
	int ret;

	mutex_init(&vram->lock);
	INIT_LIST_HEAD(&vram->lru);
	vram->ops = ops;
	if (!size)
		return 0;

	vram->backing = vmalloc(size);
	if (!vram->backing)
		return -ENOMEM;
	ret = gpu_buddy_init(&vram->mm, size, PAGE_SIZE);
	if (ret)
		goto err_backing;

	res = request_free_mem_region(&iomem_resource, size, "vsvm-vram");
	if (IS_ERR(res)) {
		ret = PTR_ERR(res);
		goto err_buddy;
	}
	vram->pagemap.type = MEMORY_DEVICE_PRIVATE;
	vram->pagemap.range.start = res->start;
	vram->pagemap.range.end = res->end;
	vram->pagemap.nr_range = 1;
	vram->pagemap.ops = ops->pagemap;
	vram->pagemap.owner = vdev;
	addr = memremap_pages(&vram->pagemap, numa_node_id());
	if (IS_ERR(addr)) {
		ret = PTR_ERR(addr);
		release_mem_region(res->start, resource_size(res));
		goto err_buddy;
	}
	vram->base_pfn = PHYS_PFN(res->start);
	vram->size = size;
	return 0;

err_buddy:
	gpu_buddy_fini(&vram->mm);
err_backing:
	vfree(vram->backing);
	vram->backing = NULL;
	return ret;
}

/**
 * vsvm_vram_fini() - destroy the device's VRAM
 * @vdev: the device; vsvm_vram_evict_all() must have run
 */
void vsvm_vram_fini(struct vsvm_device *vdev)
{
	struct vsvm_vram *vram = &vdev->vram;

	if (!vram->size)
		return;
	memunmap_pages(&vram->pagemap);
	flush_work(&vsvm_vram_free_worker);
	release_mem_region(vram->pagemap.range.start, range_len(&vram->pagemap.range));
	mutex_lock(&vram->lock);
	WARN_ON(!list_empty(&vram->lru));
	mutex_unlock(&vram->lock);
	gpu_buddy_fini(&vram->mm);
	vfree(vram->backing);
	vram->size = 0;
}
