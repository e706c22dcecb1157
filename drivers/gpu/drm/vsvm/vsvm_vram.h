/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_VRAM_H__
#define __VSVM_VRAM_H__

#include <linux/gpu_buddy.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/memremap.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct vsvm_client;
struct vsvm_device;

/**
 * struct vsvm_vram_alloc - one buddy allocation backing migrated pages
 * @vdev: the device.
 * @client: usage statistics charged with the allocation (referenced).
 * @blocks: gpu_buddy blocks.
 * @lru: entry in &vsvm_vram.lru once committed and not being evicted.
 * @free_link: entry in the deferred free list.
 * @npages: pages in @blocks.
 * @live: pages in use, plus one until committed.
 * @granularity: migration granularity of the range (migrate_to_ram).
 * @referenced: the GPU mapped one of its pages since the last eviction scan.
 * @cpu_fault_failures: CPU faults on its pages in a row whose migration back
 *	to system memory failed (vsvm_vram_page_cpu_fault_result()).
 */
struct vsvm_vram_alloc {
	struct vsvm_device *vdev;
	struct vsvm_client *client;
	struct list_head blocks;
	struct list_head lru;
	struct llist_node free_link;
	unsigned long npages;
	atomic_t live;
	u32 granularity;
	bool referenced;
	atomic_t cpu_fault_failures;
};

/**
 * struct vsvm_vram_ops - what VRAM needs from migration
 * @pagemap: the pagemap operations of its pages (migrate_to_ram; page_free
 *	is vsvm_vram_page_free()).
 * @evict_range: move the in-use pages among @npages device-private pfns
 *	from @start_pfn to system memory (eviction, device removal).
 *
 * Given to vsvm_vram_init() so that VRAM does not call migration by name:
 * migration allocates VRAM, VRAM evicts through these.
 */
struct vsvm_vram_ops {
	const struct dev_pagemap_ops *pagemap;
	void (*evict_range)(struct vsvm_device *vdev, unsigned long start_pfn,
			    unsigned long npages);
};

/**
 * struct vsvm_vram - device-private memory of one device
 * @size: bytes of VRAM (0: none).
 * @backing: the "physical VRAM", kernel memory the engines read and write.
 * @pagemap: the MEMORY_DEVICE_PRIVATE pagemap giving it struct pages.
 * @base_pfn: pfn of the first device-private page.
 * @lock: protects @mm, @lru and the allocations' lists.
 * @mm: buddy allocator over the VRAM offsets.
 * @lru: &struct vsvm_vram_alloc, least recently used first.
 * @used: bytes allocated.
 * @dead: set at device removal: no more migrations to this VRAM.
 * @ops: eviction and pagemap operations (&struct vsvm_vram_ops).
 */
struct vsvm_vram {
	u64 size;
	u8 *backing;
	struct dev_pagemap pagemap;
	unsigned long base_pfn;
	struct mutex lock; /* protects mm, lru */
	struct gpu_buddy mm;
	struct list_head lru;
	atomic64_t used;
	bool dead;
	const struct vsvm_vram_ops *ops;
};

int vsvm_vram_init(struct vsvm_device *vdev, u64 size,
		   const struct vsvm_vram_ops *ops);
void vsvm_vram_page_free(struct page *page);
void vsvm_vram_fini(struct vsvm_device *vdev);
void vsvm_vram_evict_all(struct vsvm_device *vdev);
bool vsvm_vram_owns(struct vsvm_device *vdev, struct page *page);
u64 vsvm_vram_offset(struct vsvm_device *vdev, struct page *page);
struct vsvm_device *vsvm_vram_page_device(struct page *page);
void *vsvm_vram_kaddr(struct vsvm_device *vdev, u64 offset);
u64 vsvm_vram_page_granularity(struct page *page);
void *vsvm_vram_page_kaddr(struct page *page);
int vsvm_vram_page_cpu_fault_result(struct page *page, bool failed);

struct vsvm_vram_alloc *vsvm_vram_alloc(struct vsvm_device *vdev,
					struct vsvm_client *client,
					unsigned long npages, u32 granularity);
struct page *vsvm_vram_alloc_page(struct vsvm_vram_alloc *va, unsigned long i);
void vsvm_vram_alloc_commit(struct vsvm_vram_alloc *va);
void vsvm_vram_touch(struct page *page);

void vsvm_vram_free_flush(void);

#if IS_ENABLED(CONFIG_KUNIT)
struct vsvm_vram_alloc *vsvm_vram_lru_pick(struct list_head *lru);
#endif

#endif /* __VSVM_VRAM_H__ */
