// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/error-injection.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "vsvm_drv.h"
#include "vsvm_migrate.h"
#include "vsvm_svm.h"
#include "vsvm_trace.h"
#include "vsvm_vm.h"
#include "vsvm_vram.h"

/**
 * DOC: Migration
 *
 * System memory to VRAM: migrate_vma_setup() collects the anonymous pages
 * of one VMA, at most one granule at a time; the copy engine copies them
 * into freshly allocated VRAM; migrate_vma_pages() and
 * migrate_vma_finalize() switch the CPU page tables to device-private
 * entries. The MMU_NOTIFY_MIGRATE invalidation zaps the old device PTEs,
 * and the range is then populated again through hmm_range_fault() with the
 * device as dev_private_owner, which maps the VRAM pages.
 *
 * Pages of another vsvm device's VRAM are collected in a second pass
 * (MIGRATE_VMA_SELECT_DEVICE_PRIVATE with that device as owner) and copied
 * VRAM to VRAM, without a detour through system memory.
 *
 * Back to system memory happens on a CPU fault (dev_pagemap_ops.migrate_to_ram,
 * which moves the whole granule around the fault, or the granularity set
 * for the range), on an explicit prefetch to system memory, on eviction
 * and when the device goes away (migrate_device_range()).
 *
 * Pages that cannot move keep their contents and are reported per page:
 * file-backed, shared, hugetlbfs and DAX pages cannot become
 * device-private in Linux 6.12; pinned or racing pages fail isolation.
 */

#define VSVM_MIGRATE_CHUNK	VSVM_GRANULE_PAGES
/*
 * CPU faults on one VRAM allocation whose migration back fails with -ENOMEM
 * this many times in a row end in SIGBUS instead of another VM_FAULT_OOM
 * (which only makes the CPU retry, since 5.16 without an OOM kill).
 */
#define VSVM_CPU_FAULT_MAX_OOM_RETRIES	16

/**
 * struct vsvm_copy - one batch for the copy engine
 * @dst: kernel addresses of the destination pages.
 * @src: source pages (NULL: zero-fill) or, when @srcaddr is set, unused.
 * @srcaddr: kernel addresses of source VRAM pages, or NULL.
 * @n: number of pages.
 */
struct vsvm_copy {
	void **dst;
	struct page **src;
	void **srcaddr;
	unsigned long n;
};

/*
 * The copy engine. It runs on the calling CPU: handing half of a chunk to
 * a worker on the other CPU made migrations 1.7x slower in the 2-vCPU TCG
 * guest (waking the worker costs more than the copy it takes over).
 */
static void vsvm_copy_run(struct vsvm_copy *c)
{
	unsigned long i;

	for (i = 0; i < c->n; i++) {
		if (c->srcaddr)
			memcpy(c->dst[i], c->srcaddr[i], PAGE_SIZE);
		else if (c->src[i])
			memcpy_from_page(c->dst[i], c->src[i], 0, PAGE_SIZE);
		else
			memset(c->dst[i], 0, PAGE_SIZE);
	}
}

static void vsvm_copy_from_vram(struct page *dpage, struct page *spage)
{
	memcpy_to_page(dpage, 0, vsvm_vram_page_kaddr(spage), PAGE_SIZE);
}

/*
 * Only anonymous private mappings migrate. (The anonymous pages that
 * copy-on-write leaves in a private file mapping could, in principle; vsvm
 * reports them not migratable, like the page-cache pages around them.)
 */
static bool vsvm_vma_migratable(struct vm_area_struct *vma)
{
	return vma_is_anonymous(vma) && !is_vm_hugetlb_page(vma) &&
	       !(vma->vm_flags & (VM_SPECIAL | VM_SHARED)) && !vma_is_dax(vma);
}

static void vsvm_migrate_account(struct vsvm_device *vdev, bool to_vram,
				 u64 start, unsigned long pages, ktime_t t0)
{
	u64 ns = ktime_to_ns(ktime_sub(ktime_get(), t0));

	vsvm_record_latency(vdev->migrate_lat, ns);
	trace_vsvm_migrate(vdev->index, to_vram, start, pages, ns);
}

/*
 * One migrate_vma pass over [start, end) of @vma into @vdev's VRAM.
 * @select/@owner choose the source pages. Fills @status for pages moved
 * (OK) or failed (NO_VRAM, BUSY); leaves others untouched. The VRAM is
 * charged to @client.
 */
static noinline int vsvm_migrate_chunk_to_vram(struct vsvm_device *vdev,
					       struct vsvm_client *client,
					       struct vm_area_struct *vma, u64 start,
					       u64 end, unsigned long select, void *owner,
					       u32 granularity, unsigned long *src,
					       unsigned long *dst, u8 *status)
{
	struct migrate_vma args = {
		.vma = vma,
		.start = start,
		.end = end,
		.src = src,
		.dst = dst,
		.pgmap_owner = owner,
		.flags = select,
	};
	unsigned long i, npages = (end - start) >> PAGE_SHIFT, moved = 0;
	struct vsvm_copy copy = {};
	struct vsvm_vram_alloc *va = NULL;
	unsigned long used = 0;
	ktime_t t0 = ktime_get();
	int ret;

	ret = migrate_vma_setup(&args);
	if (ret)
		return ret;
	if (!args.cpages)
		return 0;

	copy.dst = kvmalloc_array(npages, sizeof(void *) * 3, GFP_KERNEL);
	if (copy.dst) {
		copy.src = (struct page **)(copy.dst + npages);
		if (select == MIGRATE_VMA_SELECT_DEVICE_PRIVATE)
			copy.srcaddr = copy.dst + 2 * npages;
	}
	memset(dst, 0, npages * sizeof(*dst));
	va = copy.dst ? vsvm_vram_alloc(vdev, client, args.cpages, granularity) : ERR_PTR(-ENOMEM);
	for (i = 0; i < npages; i++) {
		struct page *spage = migrate_pfn_to_page(src[i]);
		struct page *dpage;

		if (!(src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		if (IS_ERR(va)) {
			status[i] = DRM_VSVM_PAGE_NO_VRAM;
			continue;
		}
		/* Pages already in this VRAM are not collected; others are copied. */
		dpage = vsvm_vram_alloc_page(va, used++);
		if (!dpage)
			continue;
		copy.dst[copy.n] = vsvm_vram_page_kaddr(dpage);
		if (copy.srcaddr)
			copy.srcaddr[copy.n] = vsvm_vram_page_kaddr(spage);
		else
			copy.src[copy.n] = spage;
		copy.n++;
		dst[i] = migrate_pfn(page_to_pfn(dpage));
		if ((src[i] & MIGRATE_PFN_WRITE) || (!spage && (vma->vm_flags & VM_WRITE)))
			dst[i] |= MIGRATE_PFN_WRITE;
	}
	vsvm_copy_run(&copy);
	kvfree(copy.dst);
	if (copy.n && READ_ONCE(vdev->migrate_delay_ms))
		msleep(READ_ONCE(vdev->migrate_delay_ms));	/* debugfs: a slow copy engine */
	migrate_vma_pages(&args);
	for (i = 0; i < npages; i++) {
		struct page *spage = migrate_pfn_to_page(src[i]);

		if (!dst[i])
			continue;
		if (src[i] & MIGRATE_PFN_MIGRATE) {
			status[i] = DRM_VSVM_PAGE_OK;
			moved++;
		} else if (spage && !is_zone_device_page(spage) && !PageAnon(spage)) {
			/* Page-cache pages cannot become device-private in 6.12. */
			status[i] = DRM_VSVM_PAGE_NOT_MIGRATABLE;
		} else {
			status[i] = DRM_VSVM_PAGE_BUSY;
		}
	}
	migrate_vma_finalize(&args);
	if (!IS_ERR(va))
		vsvm_vram_alloc_commit(va);
	vsvm_count(vdev, VSVM_CNT_PAGES_TO_VRAM, moved);
	vsvm_migrate_account(vdev, true, start, moved, t0);
	return 0;
}
ALLOW_ERROR_INJECTION(vsvm_migrate_chunk_to_vram, ERRNO);

/**
 * struct vsvm_sys_alloc - system pages for one migration back
 * @block: next page of the current high-order block, split into pages.
 * @avail: pages left in @block.
 * @left: pages still to hand out.
 * @no_high: a high-order allocation failed; only single pages from now on.
 */
struct vsvm_sys_alloc {
	struct page *block;
	unsigned long avail;
	unsigned long left;
	bool no_high;
};

/*
 * One destination page for the migration back to system memory. The pages
 * of a chunk come, where free memory allows it without reclaim, from one
 * high-order allocation split into single pages: one trip to the buddy
 * allocator instead of one per page. A VMA with its own memory policy
 * gets single pages placed by that policy.
 */
static struct page *vsvm_sys_page_alloc(struct vsvm_sys_alloc *sa,
					struct vm_area_struct *vma, u64 addr)
{
	struct page *page;

	if (!sa->avail && sa->left > 1 && !sa->no_high && !vma_policy(vma)) {
		unsigned int order = min_t(unsigned int, ilog2(sa->left),
					   VSVM_HUGE_SHIFT - PAGE_SHIFT);

		page = alloc_pages((GFP_HIGHUSER_MOVABLE | __GFP_NOWARN | __GFP_NORETRY) &
				   ~__GFP_DIRECT_RECLAIM, order);
		if (page) {
			split_page(page, order);
			sa->block = page;
			sa->avail = 1UL << order;
		} else {
			sa->no_high = true;
		}
	}
	sa->left--;
	if (!sa->avail)
		return alloc_page_vma(GFP_HIGHUSER_MOVABLE, vma, addr);
	page = sa->block++;
	sa->avail--;
	return page;
}

/* Pages of a high-order block nobody took (none when the count was right). */
static void vsvm_sys_alloc_fini(struct vsvm_sys_alloc *sa)
{
	for (; sa->avail; sa->avail--)
		__free_page(sa->block++);
}

static noinline int vsvm_migrate_chunk_to_system(struct vsvm_device *vdev,
						 struct vm_area_struct *vma, u64 start,
						 u64 end, struct page *fault_page,
						 unsigned long *src, unsigned long *dst,
						 u8 *status)
{
	struct migrate_vma args = {
		.vma = vma,
		.start = start,
		.end = end,
		.src = src,
		.dst = dst,
		.pgmap_owner = vdev,
		.flags = MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
		.fault_page = fault_page,
	};
	unsigned long i, npages = (end - start) >> PAGE_SHIFT, moved = 0;
	struct vsvm_sys_alloc sys = {};
	struct vsvm_copy copy = {};
	ktime_t t0 = ktime_get();
	int ret;

	copy.dst = kvmalloc_array(npages, 2 * sizeof(void *), GFP_KERNEL);
	if (!copy.dst)
		return -ENOMEM;
	copy.srcaddr = copy.dst + npages;
	ret = migrate_vma_setup(&args);
	if (ret || !args.cpages)
		goto out_free;

	memset(dst, 0, npages * sizeof(*dst));
	for (i = 0; i < npages; i++)
		if (migrate_pfn_to_page(src[i]) && (src[i] & MIGRATE_PFN_MIGRATE))
			sys.left++;
	for (i = 0; i < npages; i++) {
		struct page *spage = migrate_pfn_to_page(src[i]);
		struct page *dpage;

		if (!spage || !(src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		dpage = vsvm_sys_page_alloc(&sys, vma, start + (i << PAGE_SHIFT));
		if (!dpage) {
			if (status)
				status[i] = DRM_VSVM_PAGE_FAULT_ERROR;
			if (spage == fault_page)
				ret = -ENOMEM;
			continue;
		}
		lock_page(dpage);
		copy.dst[copy.n] = page_address(dpage);
		copy.srcaddr[copy.n++] = vsvm_vram_page_kaddr(spage);
		dst[i] = migrate_pfn(page_to_pfn(dpage));
		if (src[i] & MIGRATE_PFN_WRITE)
			dst[i] |= MIGRATE_PFN_WRITE;
	}
	vsvm_sys_alloc_fini(&sys);
	vsvm_copy_run(&copy);
	migrate_vma_pages(&args);
	for (i = 0; i < npages; i++) {
		if (!dst[i])
			continue;
		if (src[i] & MIGRATE_PFN_MIGRATE)
			moved++;
		else if (status)
			status[i] = DRM_VSVM_PAGE_BUSY;
	}
	migrate_vma_finalize(&args);
	vsvm_count(vdev, VSVM_CNT_PAGES_TO_SYSTEM, moved);
	vsvm_migrate_account(vdev, false, start, moved, t0);
out_free:
	kvfree(copy.dst);
	return ret;
}
ALLOW_ERROR_INJECTION(vsvm_migrate_chunk_to_system, ERRNO);

/**
 * vsvm_migrate_range() - move [start, end) of a VM's process to a location
 * @vm: the VM; its device is the VRAM target
 * @start: page aligned first byte
 * @end: page aligned end, exclusive
 * @to_vram: true: to @vm's device VRAM; false: to system memory
 * @granularity: migration granularity recorded for CPU faults back
 * @status: one byte per page; pages that could not move get a
 *	&enum drm_vsvm_page_status reason, others are left untouched. May be
 *	NULL when moving to system memory.
 *
 * Context: VM bind lock held; takes the mmap lock (killable). May sleep.
 * Return: 0, -ESRCH if the process is gone, -EINTR, -ENOMEM.
 */
int vsvm_migrate_range(struct vsvm_vm *vm, u64 start, u64 end, bool to_vram,
		       u32 granularity, u8 *status)
{
	struct vsvm_device *vdev = vm->vdev;
	struct mm_struct *mm = vm->mm;
	unsigned long *src, *dst;
	u64 va = start;
	int ret = 0, i;

	lockdep_assert_held(&vm->lock);
	src = kvcalloc(2 * VSVM_MIGRATE_CHUNK, sizeof(*src), GFP_KERNEL);
	if (!src)
		return -ENOMEM;
	dst = src + VSVM_MIGRATE_CHUNK;
	if (!vsvm_svm_mm_get(vm)) {
		kvfree(src);
		return -ESRCH;
	}
	ret = mmap_read_lock_killable(mm);
	if (ret)
		goto out_mmput;

	while (va < end) {
		struct vm_area_struct *vma;
		u64 cend;
		u8 *st;

		/*
		 * A killed caller stops between chunks (pages moved so far
		 * stay), and so does a migration for a process that is leaving.
		 */
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (vsvm_svm_mm_leaving(mm)) {
			ret = -ESRCH;
			break;
		}
		vma = find_vma(mm, va);
		if (!vma || vma->vm_start >= end)
			break;
		if (vma->vm_start > va)
			va = vma->vm_start;
		cend = min_t(u64, min_t(u64, end, vma->vm_end),
			     (va | (VSVM_HUGE_SIZE - 1)) + 1);
		st = status ? status + ((va - start) >> PAGE_SHIFT) : NULL;
		if (!vsvm_vma_migratable(vma)) {
			if (st)
				memset(st, to_vram ? DRM_VSVM_PAGE_NOT_MIGRATABLE :
				       DRM_VSVM_PAGE_OK, (cend - va) >> PAGE_SHIFT);
			va = cend;
			continue;
		}
		if (to_vram) {
			ret = vsvm_migrate_chunk_to_vram(vdev, vm->client, vma, va, cend,
							 MIGRATE_VMA_SELECT_SYSTEM, vdev,
							 granularity, src, dst, st);
			/*
			 * Pages in another device's VRAM move directly. The
			 * device table lock keeps that device from being
			 * removed meanwhile (see DOC: Lifetime).
			 */
			vsvm_devices_read_lock();
			for (i = 0; !ret && i < VSVM_MAX_DEVICES; i++) {
				struct vsvm_device *other = vsvm_device_by_index(i);

				if (!other || other == vdev || !other->vram.size)
					continue;
				ret = vsvm_migrate_chunk_to_vram(vdev, vm->client, vma,
								 va, cend,
								 MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
								 other, granularity, src, dst, st);
			}
			vsvm_devices_read_unlock();
		} else {
			ret = vsvm_migrate_chunk_to_system(vdev, vma, va, cend, NULL,
							   src, dst, st);
		}
		if (ret)
			break;
		va = cend;
	}
	mmap_read_unlock(mm);
out_mmput:
	mmput(mm);
	kvfree(src);
	return ret;
}

/**
 * vsvm_migrate_to_ram() - dev_pagemap_ops.migrate_to_ram
 * @vmf: the CPU fault on a device-private page of a vsvm device
 *
 * Moves the whole granule (the migration granularity recorded when the
 * page moved to VRAM) around the faulting address back to system memory.
 * A failure for lack of memory gives VM_FAULT_OOM, so the CPU retries the
 * access, but only %VSVM_CPU_FAULT_MAX_OOM_RETRIES times in a row for one
 * VRAM allocation; then, and for any other error at once, the access gets
 * SIGBUS, as nouveau and xe do. The data stays in VRAM either way: a later
 * access (or a prefetch) that succeeds finds it intact.
 *
 * Context: mmap lock held for reading.
 * Return: 0, VM_FAULT_SIGBUS or VM_FAULT_OOM.
 */
vm_fault_t vsvm_migrate_to_ram(struct vm_fault *vmf)
{
	struct vsvm_device *vdev = vsvm_vram_page_device(vmf->page);
	struct vm_area_struct *vma = vmf->vma;
	u64 gran = vsvm_vram_page_granularity(vmf->page);
	u64 start = max_t(u64, ALIGN_DOWN(vmf->address, gran), vma->vm_start);
	u64 end = min_t(u64, ALIGN_DOWN(vmf->address, gran) + gran, vma->vm_end);
	unsigned long *src;
	int ret;

	vsvm_count(vdev, VSVM_CNT_MIGRATE_TO_RAM, 1);
	src = kvcalloc(2 * ((end - start) >> PAGE_SHIFT), sizeof(*src), GFP_KERNEL);
	if (src) {
		ret = vsvm_migrate_chunk_to_system(vdev, vma, start, end, vmf->page, src,
						   src + ((end - start) >> PAGE_SHIFT),
						   NULL);
		kvfree(src);
	} else {
		ret = -ENOMEM;
	}
	if (!ret) {
		vsvm_vram_page_cpu_fault_result(vmf->page, false);
		return 0;
	}
	if (ret == -ENOMEM &&
	    vsvm_vram_page_cpu_fault_result(vmf->page, true) <
	    VSVM_CPU_FAULT_MAX_OOM_RETRIES)
		return VM_FAULT_OOM;
	vsvm_vram_page_cpu_fault_result(vmf->page, false);
	drm_dbg_driver(&vdev->drm, "CPU fault at 0x%lx: migration back failed (%d): SIGBUS\n",
		       vmf->address, ret);
	return VM_FAULT_SIGBUS;
}

/**
 * vsvm_migrate_evict_range() - move device pages back to system memory
 * @vdev: the device
 * @start_pfn: first device-private pfn
 * @npages: number of pfns
 *
 * Pages of the range that are not in use are skipped. Used for eviction
 * and device removal; never loses data (allocations may not fail).
 */
void vsvm_migrate_evict_range(struct vsvm_device *vdev, unsigned long start_pfn,
			      unsigned long npages)
{
	unsigned long *src, *dst, done, i;

	src = kvcalloc(2 * VSVM_MIGRATE_CHUNK, sizeof(*src),
		       GFP_KERNEL | __GFP_NOFAIL);
	dst = src + VSVM_MIGRATE_CHUNK;
	for (done = 0; done < npages; done += VSVM_MIGRATE_CHUNK) {
		unsigned long n = min_t(unsigned long, npages - done, VSVM_MIGRATE_CHUNK);
		unsigned long moved = 0;

		memset(dst, 0, n * sizeof(*dst));
		if (migrate_device_range(src, start_pfn + done, n))
			continue;
		for (i = 0; i < n; i++) {
			struct page *spage = migrate_pfn_to_page(src[i]);
			struct page *dpage;

			if (!spage || !(src[i] & MIGRATE_PFN_MIGRATE))
				continue;
			dpage = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOFAIL);
			lock_page(dpage);
			vsvm_copy_from_vram(dpage, spage);
			dst[i] = migrate_pfn(page_to_pfn(dpage));
			if (src[i] & MIGRATE_PFN_WRITE)
				dst[i] |= MIGRATE_PFN_WRITE;
		}
		migrate_device_pages(src, dst, n);
		for (i = 0; i < n; i++)
			if (dst[i] && (src[i] & MIGRATE_PFN_MIGRATE))
				moved++;
		migrate_device_finalize(src, dst, n);
		vsvm_count(vdev, VSVM_CNT_PAGES_TO_SYSTEM, moved);
		vsvm_count(vdev, VSVM_CNT_PAGES_EVICTED, moved);
	}
	kvfree(src);
}

static const struct dev_pagemap_ops vsvm_migrate_pagemap_ops = {
	.page_free = vsvm_vram_page_free,
	.migrate_to_ram = vsvm_migrate_to_ram,
};

/* VRAM's view of migration, given to vsvm_vram_init(). */
const struct vsvm_vram_ops vsvm_migrate_vram_ops = {
	.pagemap = &vsvm_migrate_pagemap_ops,
	.evict_range = vsvm_migrate_evict_range,
};
