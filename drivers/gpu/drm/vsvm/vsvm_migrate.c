// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/error-injection.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/hmm.h>
#include <linux/migrate.h>
#include <linux/completion.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <drm/drm_drv.h>
#include <kunit/visibility.h>

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
 * An explicit prefetch skips that second walk where it can: the migration
 * knows where each page went (the dst pfns). It reads the range's notifier
 * sequence once migrate_vma_setup() has isolated and locked the pages (its
 * own invalidation is over; any later change of those CPU mappings, or a
 * hole that migrate_vma_pages() fills, bumps the sequence), and after
 * migrate_vma_finalize() maps the pages that moved through the bind op
 * under the notifier lock, if the sequence still holds
 * (vsvm_svm_bind_migrated()). Otherwise, and for pages it did not move,
 * the prefetch populates by the walk as before. The passes for pages in
 * other devices' VRAM run before the system memory pass for this reason:
 * each one invalidates the whole range.
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
 *
 * On 6.12 the cost of a migration is mostly the kernel's own per-4 KiB
 * work in migrate_vma (unmapping each page, its rmap walk and TLB flush),
 * not the copy. A migration spanning several 2 MiB chunks (a prefetch)
 * runs its chunks in parallel, one worker per online CPU unless debugfs
 * ``migrate_workers`` says otherwise (vsvm_migrate_range()): the chunks
 * are disjoint, each worker takes the
 * mmap lock for reading itself, one chunk at a time, and uses its own
 * preallocated arrays (&struct vsvm_migrate_bufs, per VM). The workers are
 * kernel threads: the ioctl's thread sleeps meanwhile, holding no mmap
 * lock, so that no CPU runs the process's mm and the workers' TLB flushes
 * interrupt nobody (a CPU in lazy TLB mode is skipped). It keeps the VM's
 * bind lock for the batch, which a prefetch sizes at one chunk per worker
 * and releases in between (DOC: Locking).
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

/**
 * struct vsvm_migrate_buf - the arrays of one migrate_vma pass (a granule)
 * @src: migrate_vma source pfns.
 * @dst: migrate_vma destination pfns.
 * @cdst: copy destinations (&vsvm_copy.dst).
 * @csrc: copy source pages (&vsvm_copy.src).
 * @csrcaddr: copy source addresses (&vsvm_copy.srcaddr).
 * @hpfns: where the pages went, as hmm pfns (vsvm_svm_bind_migrated()).
 * @dma: its scratch.
 *
 * One set per migration worker, preallocated per VM (&vsvm_vm.migrate).
 */
struct vsvm_migrate_buf {
	unsigned long src[VSVM_MIGRATE_CHUNK];
	unsigned long dst[VSVM_MIGRATE_CHUNK];
	void *cdst[VSVM_MIGRATE_CHUNK];
	struct page *csrc[VSVM_MIGRATE_CHUNK];
	void *csrcaddr[VSVM_MIGRATE_CHUNK];
	unsigned long hpfns[VSVM_MIGRATE_CHUNK];
	dma_addr_t dma[VSVM_MIGRATE_CHUNK];
};

/*
 * The copy engine. It runs on the calling CPU: handing half of a chunk to
 * a worker on the other CPU made migrations 1.7x slower in the 2-vCPU TCG
 * guest (waking the worker costs more than the copy it takes over).
 */
static void vsvm_copy_run(struct vsvm_device *vdev, struct vsvm_copy *c)
{
	ktime_t t0 = ktime_get();
	unsigned long i;

	for (i = 0; i < c->n; i++) {
		if (c->srcaddr)
			memcpy(c->dst[i], c->srcaddr[i], PAGE_SIZE);
		else if (c->src[i])
			memcpy_from_page(c->dst[i], c->src[i], 0, PAGE_SIZE);
		else
			memset(c->dst[i], 0, PAGE_SIZE);
	}
	vsvm_count(vdev, VSVM_CNT_COPY_PAGES, c->n);
	vsvm_count(vdev, VSVM_CNT_COPY_NS, ktime_to_ns(ktime_sub(ktime_get(), t0)));
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
 * One migrate_vma pass over [start, end) of @vma into @vm's device VRAM.
 * @select/@owner choose the source pages. Fills @status for pages moved
 * (OK) or failed (NO_VRAM, BUSY); leaves others untouched. The VRAM is
 * charged to @vm's client. With @range, the pages moved are then mapped
 * for the GPU from the migrate arrays, their populate status going to
 * @bstatus, unless an invalidation intervened (vsvm_svm_bind_migrated()).
 */
static noinline int vsvm_migrate_chunk_to_vram(struct vsvm_vm *vm,
					       struct vm_area_struct *vma, u64 start,
					       u64 end, unsigned long select, void *owner,
					       u32 granularity, struct vsvm_migrate_buf *buf,
					       u8 *status, struct vsvm_range *range,
					       u8 *bstatus)
{
	struct vsvm_device *vdev = vm->vdev;
	struct vsvm_client *client = vm->client;
	unsigned long *src = buf->src, *dst = buf->dst;
	struct migrate_vma args = {
		.vma = vma,
		.start = start,
		.end = end,
		.src = src,
		.dst = dst,
		.pgmap_owner = owner,
		.flags = select,
	};
	unsigned long i, npages = (end - start) >> PAGE_SHIFT, moved = 0, bindable = 0, want;
	struct vsvm_copy copy = {
		.dst = buf->cdst,
		.src = buf->csrc,
	};
	struct vsvm_vram_alloc *va = NULL;
	unsigned long used = 0;
	ktime_t t0 = ktime_get();
	unsigned long seq = 0;
	int ret;

	ret = migrate_vma_setup(&args);
	if (ret)
		return ret;
	if (!args.cpages)
		return 0;
	/*
	 * The pages are isolated and locked: from here on, a change of their
	 * CPU mappings (or a hole filled by migrate_vma_pages()) bumps the
	 * sequence, and mapping them from the arrays is not safe any more.
	 */
	if (range)
		seq = mmu_interval_read_begin(&range->notifier);

	want = args.cpages;
	if (select == MIGRATE_VMA_SELECT_DEVICE_PRIVATE) {
		/*
		 * Holes of an anonymous mapping are collected whatever the
		 * selection: the system memory pass, which comes next, fills
		 * them. Only the other device's pages move here.
		 */
		copy.srcaddr = buf->csrcaddr;
		for (want = 0, i = 0; i < npages; i++)
			if ((src[i] & MIGRATE_PFN_MIGRATE) && migrate_pfn_to_page(src[i]))
				want++;
	}
	memset(dst, 0, npages * sizeof(*dst));
	va = want ? vsvm_vram_alloc(vdev, client, want, granularity) : NULL;
	for (i = 0; i < npages; i++) {
		struct page *spage = migrate_pfn_to_page(src[i]);
		struct page *dpage;

		if (!(src[i] & MIGRATE_PFN_MIGRATE) || (!spage && copy.srcaddr))
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
	vsvm_copy_run(vdev, &copy);
	if (copy.n && READ_ONCE(vdev->migrate_delay_ms))
		msleep(READ_ONCE(vdev->migrate_delay_ms));	/* debugfs: a slow copy engine */
	migrate_vma_pages(&args);
	for (i = 0; i < npages; i++) {
		struct page *spage = migrate_pfn_to_page(src[i]);

		buf->hpfns[i] = 0;
		if (!dst[i])
			continue;
		if (src[i] & MIGRATE_PFN_MIGRATE) {
			status[i] = DRM_VSVM_PAGE_OK;
			/*
			 * A read-only page of a writable mapping (copy-on-write
			 * pending) is left to the walk, which brings it home
			 * when the GPU is to write it.
			 */
			if ((dst[i] & MIGRATE_PFN_WRITE) || !(vma->vm_flags & VM_WRITE)) {
				buf->hpfns[i] = page_to_pfn(migrate_pfn_to_page(dst[i])) |
						HMM_PFN_VALID |
						(dst[i] & MIGRATE_PFN_WRITE ? HMM_PFN_WRITE : 0);
				bindable++;
			}
			moved++;
		} else if (spage && !is_zone_device_page(spage) && !PageAnon(spage)) {
			/* Page-cache pages cannot become device-private in 6.12. */
			status[i] = DRM_VSVM_PAGE_NOT_MIGRATABLE;
		} else {
			status[i] = DRM_VSVM_PAGE_BUSY;
		}
	}
	migrate_vma_finalize(&args);
	if (!IS_ERR_OR_NULL(va))
		vsvm_vram_alloc_commit(va);
	/* On failure the prefetch's walk maps the pages (status left unset). */
	if (range && bindable &&
	    !vsvm_svm_bind_migrated(vm, range, start, end, buf->hpfns, buf->dma, seq,
				    bstatus))
		vsvm_count(vdev, VSVM_CNT_PAGES_BOUND_BY_MIGRATION, bindable);
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
						 void **cdst, void **csrcaddr, u8 *status)
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
	struct vsvm_copy copy = {
		.dst = cdst,
		.srcaddr = csrcaddr,
	};
	ktime_t t0 = ktime_get();
	int ret;

	ret = migrate_vma_setup(&args);
	if (ret || !args.cpages)
		return ret;

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
	vsvm_copy_run(vdev, &copy);
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
	return ret;
}
ALLOW_ERROR_INJECTION(vsvm_migrate_chunk_to_system, ERRNO);

/* Migrate [start, end) of one VMA-crossing span; mm pinned, mmap lock held. */
static int vsvm_migrate_span(struct vsvm_vm *vm, struct vsvm_migrate_buf *buf,
			     u64 start, u64 end, bool to_vram, u32 granularity,
			     u8 *status, struct vsvm_range *range, u8 *bstatus)
{
	struct vsvm_device *vdev = vm->vdev;
	struct mm_struct *mm = vm->mm;
	u64 va = start;
	int ret = 0, i;

	mmap_assert_locked(mm);
	while (va < end) {
		struct vm_area_struct *vma;
		u64 cend;
		u8 *st;

		if (vsvm_svm_mm_leaving(mm))
			return -ESRCH;
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
			/*
			 * Pages in another device's VRAM move directly. The
			 * device table lock keeps that device from being
			 * removed meanwhile (see DOC: Lifetime). They go
			 * first: every pass invalidates the range, and only
			 * the last may map what it moved from its arrays.
			 */
			vsvm_devices_read_lock();
			for (i = 0; !ret && i < VSVM_MAX_DEVICES; i++) {
				struct vsvm_device *other = vsvm_device_by_index(i);

				if (!other || other == vdev || !other->vram.size)
					continue;
				ret = vsvm_migrate_chunk_to_vram(vm, vma, va, cend,
								 MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
								 other, granularity, buf, st,
								 NULL, NULL);
			}
			vsvm_devices_read_unlock();
			if (!ret)
				ret = vsvm_migrate_chunk_to_vram(vm, vma, va, cend,
								 MIGRATE_VMA_SELECT_SYSTEM, vdev,
								 granularity, buf, st, range,
								 bstatus ? bstatus +
								 ((va - start) >> PAGE_SHIFT) :
								 NULL);
		} else {
			ret = vsvm_migrate_chunk_to_system(vdev, vma, va, cend, NULL,
							   buf->src, buf->dst, buf->cdst,
							   buf->csrcaddr, st);
		}
		if (ret)
			return ret;
		va = cend;
	}
	return 0;
}

/**
 * vsvm_migrate_nchunks() - 2 MiB aligned chunks of a range
 * @start: first byte
 * @end: end, exclusive, above @start
 *
 * Return: how many granules [@start, @end) touches.
 */
VISIBLE_IF_KUNIT unsigned long vsvm_migrate_nchunks(u64 start, u64 end)
{
	return (ALIGN(end, VSVM_HUGE_SIZE) - ALIGN_DOWN(start, VSVM_HUGE_SIZE)) >>
	       VSVM_HUGE_SHIFT;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_migrate_nchunks);

/**
 * vsvm_migrate_chunk() - the @i-th chunk of a range
 * @start: first byte of the range
 * @end: end of the range, exclusive
 * @i: chunk index, below vsvm_migrate_nchunks()
 * @cs: out, first byte of the chunk
 * @ce: out, its end: the chunks are disjoint, each inside one granule, and
 *	together exactly [@start, @end)
 */
VISIBLE_IF_KUNIT void vsvm_migrate_chunk(u64 start, u64 end, unsigned long i,
					 u64 *cs, u64 *ce)
{
	u64 base = ALIGN_DOWN(start, VSVM_HUGE_SIZE) + ((u64)i << VSVM_HUGE_SHIFT);

	*cs = max_t(u64, start, base);
	*ce = min_t(u64, end, base + VSVM_HUGE_SIZE);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_migrate_chunk);

/**
 * struct vsvm_migrate_job - one parallel migration of a range
 * @vm: the VM.
 * @start: first byte.
 * @end: end, exclusive.
 * @to_vram: direction.
 * @granularity: recorded for CPU faults back.
 * @status: one byte per page of [@start, @end), or NULL.
 * @bind: map what moves from the migrate arrays, or NULL.
 * @nchunks: 2 MiB aligned chunks of the range.
 * @next: next chunk to hand out.
 * @stop: set when a chunk failed or the caller was killed: workers take no
 *	new chunk.
 * @lock: protects @err and @err_chunk.
 * @err: error of the first failed chunk (lowest index), 0 if none.
 * @err_chunk: index of that chunk.
 * @running: workers that have not finished.
 * @done: completed by the last worker to finish.
 */
struct vsvm_migrate_job {
	struct vsvm_vm *vm;
	u64 start;
	u64 end;
	bool to_vram;
	u32 granularity;
	u8 *status;
	const struct vsvm_migrate_bind *bind;
	unsigned long nchunks;
	atomic_long_t next;
	bool stop;
	spinlock_t lock; /* protects err, err_chunk */
	int err;
	unsigned long err_chunk;
	atomic_t running;
	struct completion done;
};

static void vsvm_migrate_job_fail(struct vsvm_migrate_job *job, unsigned long chunk,
				  int err)
{
	spin_lock(&job->lock);
	if (!job->err || chunk < job->err_chunk) {
		job->err = err;
		job->err_chunk = chunk;
	}
	spin_unlock(&job->lock);
	WRITE_ONCE(job->stop, true);
}

/*
 * Take chunks of @job until none is left or the job stops. Each chunk is
 * migrated inside the device section (an unplugged device stops the job)
 * with the mmap lock taken for it alone, so that neither a worker nor the
 * caller holds it while waiting for the others. @caller: the thread of the
 * ioctl, whose fatal signals stop the job.
 */
static void vsvm_migrate_job_run(struct vsvm_migrate_job *job,
				 struct vsvm_migrate_buf *buf, bool caller)
{
	struct vsvm_vm *vm = job->vm;
	struct mm_struct *mm = vm->mm;
	unsigned long i;
	int ret, idx;

	while ((i = atomic_long_fetch_inc(&job->next)) < job->nchunks) {
		const struct vsvm_migrate_bind *bind = job->bind;
		u8 *st = NULL, *bst = NULL;
		u64 cs, ce;

		vsvm_migrate_chunk(job->start, job->end, i, &cs, &ce);
		if (job->status)
			st = job->status + ((cs - job->start) >> PAGE_SHIFT);
		if (bind)
			bst = bind->status + ((cs - job->start) >> PAGE_SHIFT);

		if (READ_ONCE(job->stop))
			break;
		if (caller && fatal_signal_pending(current)) {
			vsvm_migrate_job_fail(job, i, -EINTR);
			break;
		}
		if (!drm_dev_enter(&vm->vdev->drm, &idx)) {
			vsvm_migrate_job_fail(job, i, -ENODEV);
			break;
		}
		ret = mmap_read_lock_killable(mm);
		if (!ret) {
			ret = vsvm_migrate_span(vm, buf, cs, ce, job->to_vram,
						job->granularity, st,
						bind ? bind->ranges[i] : NULL, bst);
			mmap_read_unlock(mm);
		}
		drm_dev_exit(idx);
		if (ret) {
			vsvm_migrate_job_fail(job, i, ret);
			break;
		}
	}
}

static void vsvm_migrate_work(struct work_struct *work)
{
	struct vsvm_migrate_worker *w = container_of(work, struct vsvm_migrate_worker, work);
	struct vsvm_migrate_job *job = w->job;

	vsvm_migrate_job_run(job, w->buf, false);
	if (atomic_dec_and_test(&job->running))
		complete(&job->done);
}

/*
 * The VM's migration arrays, one set per worker, allocated on first use
 * (under the bind lock, before the mm is pinned) and kept until the VM
 * dies. Returns how many workers have arrays (at least one), or 0 when not
 * even the first set could be allocated.
 */
static unsigned int vsvm_migrate_bufs_get(struct vsvm_vm *vm, unsigned int want)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	struct vsvm_migrate_bufs *mb = vm->migrate;
	unsigned int i;

	lockdep_assert_held(&vm->lock);
	if (!mb) {
		mb = kzalloc(sizeof(*mb), gfp);
		if (!mb)
			return 0;
		vm->migrate = mb;
	}
	for (i = mb->nbufs; i < want; i++) {
		mb->workers[i].buf = kvmalloc(sizeof(*mb->workers[i].buf), gfp);
		if (!mb->workers[i].buf)
			break;
		INIT_WORK(&mb->workers[i].work, vsvm_migrate_work);
		mb->nbufs = i + 1;
	}
	return min(mb->nbufs, want);
}

/**
 * vsvm_migrate_vm_fini() - free a dying VM's migration arrays
 * @vm: the VM; no migration of it runs any more
 */
void vsvm_migrate_vm_fini(struct vsvm_vm *vm)
{
	struct vsvm_migrate_bufs *mb = vm->migrate;
	unsigned int i;

	if (!mb)
		return;
	for (i = 0; i < mb->nbufs; i++)
		kvfree(mb->workers[i].buf);
	kfree(mb);
	vm->migrate = NULL;
}

/**
 * vsvm_migrate_workers() - workers a migration of a range may use
 * @vm: the VM
 * @start: first byte
 * @end: end, exclusive
 *
 * As debugfs knob migrate_workers says (0, the default: one per online
 * CPU; 1: serial), at most one per 2 MiB chunk of the range and at most
 * %VSVM_MIGRATE_MAX_WORKERS.
 *
 * Return: at least 1.
 */
unsigned int vsvm_migrate_workers(struct vsvm_vm *vm, u64 start, u64 end)
{
	unsigned int n = READ_ONCE(vm->vdev->migrate_workers) ?: num_online_cpus();
	unsigned long chunks;

	if (start >= end)
		return 1;
	chunks = vsvm_migrate_nchunks(start, end);
	n = min_t(unsigned int, n, VSVM_MIGRATE_MAX_WORKERS);
	return max_t(unsigned int, 1, min_t(unsigned long, n, chunks));
}

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
 * @bind: to VRAM only, optional: also map the pages moved for the GPU
 *	straight from the migrate arrays (&struct vsvm_migrate_bind)
 *
 * The range is cut into its 2 MiB aligned chunks, which are disjoint: they
 * are migrated in parallel by vsvm_migrate_workers() workers, work items on
 * the unbound workqueue, each taking a chunk at a time and the mmap lock
 * for it alone; with one worker the caller migrates them itself. The caller
 * holds no mmap lock while it waits for the workers, and a fatal signal
 * stops the job at the workers' next chunk. The first failed chunk
 * (lowest address) gives the error; the others stop at their next chunk,
 * and pages already moved stay where they are. The VM's preallocated
 * arrays (one set per worker) serve every migration under the bind lock.
 *
 * Context: VM bind lock held (it protects the arrays; DOC: Locking); takes
 * the mmap lock (killable). May sleep.
 * Return: 0, -ESRCH if the process is gone, -EINTR if the caller was
 * killed, -ENODEV if the device was unplugged, -ENOMEM.
 */
int vsvm_migrate_range(struct vsvm_vm *vm, u64 start, u64 end, bool to_vram,
		       u32 granularity, u8 *status, const struct vsvm_migrate_bind *bind)
{
	struct vsvm_migrate_job job = {
		.vm = vm,
		.start = start,
		.end = end,
		.to_vram = to_vram,
		.granularity = granularity,
		.status = status,
		.bind = to_vram ? bind : NULL,
		.nchunks = start < end ? vsvm_migrate_nchunks(start, end) : 0,
		.next = ATOMIC_LONG_INIT(0),
	};
	struct vsvm_migrate_bufs *mb;
	unsigned int n, w;

	lockdep_assert_held(&vm->lock);
	if (start >= end)
		return 0;
	spin_lock_init(&job.lock);
	/* Allocations first, the mm not pinned (see DOC: Overview). */
	n = vsvm_migrate_bufs_get(vm, vsvm_migrate_workers(vm, start, end));
	if (!n)
		return -ENOMEM;
	mb = vm->migrate;
	if (!vsvm_svm_mm_get(vm))
		return -ESRCH;
	if (n == 1) {
		vsvm_migrate_job_run(&job, mb->workers[0].buf, true);
		goto out;
	}
	/*
	 * The caller sleeps rather than take chunks itself: a thread of the
	 * process runs with its mm loaded, and every TLB flush the workers
	 * make would interrupt its CPU, whereas a CPU running a kernel thread
	 * (lazy TLB) is skipped.
	 */
	atomic_set(&job.running, n);
	init_completion(&job.done);
	for (w = 0; w < n; w++) {
		mb->workers[w].job = &job;
		queue_work(system_unbound_wq, &mb->workers[w].work);
	}
	if (wait_for_completion_killable(&job.done))
		vsvm_migrate_job_fail(&job, 0, -EINTR);	/* the others stop */
	/* Returns once the work function has returned: nothing uses @job after. */
	for (w = 0; w < n; w++)
		flush_work(&mb->workers[w].work);
	vsvm_count(vm->vdev, VSVM_CNT_MIGRATE_PARALLEL, 1);
out:
	mmput(vm->mm);
	return job.err;
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
	unsigned long npages = (end - start) >> PAGE_SHIFT;
	unsigned long *src;
	void **copy;
	int ret;

	vsvm_count(vdev, VSVM_CNT_MIGRATE_TO_RAM, 1);
	src = kvcalloc(2 * npages, sizeof(*src), GFP_KERNEL);
	copy = kvmalloc_array(2 * npages, sizeof(*copy), GFP_KERNEL);
	if (src && copy) {
		ret = vsvm_migrate_chunk_to_system(vdev, vma, start, end, vmf->page, src,
						   src + npages, copy, copy + npages, NULL);
	} else {
		ret = -ENOMEM;
	}
	kvfree(copy);
	kvfree(src);
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
