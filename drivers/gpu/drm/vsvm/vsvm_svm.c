// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/error-injection.h>
#include <linux/hmm.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "vsvm_drv.h"
#include "vsvm_svm.h"
#include "vsvm_trace.h"
#include "vsvm_vm.h"

/**
 * DOC: Overview
 *
 * The SVM core keeps a VM's device page table a subset of the CPU page
 * tables of the process that created the VM, over the ranges userspace
 * asked to mirror. It is shaped like drm_gpusvm (Linux 6.15+, not in 6.12)
 * so that a port to it is a swap:
 *
 * - a *mirror* (&struct vsvm_mirror) is what userspace registered with
 *   BIND_OP_MIRROR (vsvm_svm_mirror_add()); the core owns the list;
 * - a mirror is cut into *ranges* (&struct vsvm_range), one per 2 MiB
 *   granule, created on the first GPU fault or prefetch there, each with
 *   its mmu_interval_notifier, kept in &vsvm_vm.ranges;
 * - "get pages" (vsvm_svm_get_pages()) runs the classic HMM loop:
 *   mmu_interval_read_begin(), hmm_range_fault() (faulting CPU pages in,
 *   or in snapshot mode only reading what is there), DMA mapping, then,
 *   under the notifier lock held for writing, mmu_interval_read_retry()
 *   and, only if no invalidation intervened, the driver's bind op;
 *   otherwise everything is undone and the loop retries;
 * - the driver side is a table of operations, &struct vsvm_svm_ops
 *   (implemented in vsvm_vm.c): *prepare* page tables, *bind* the pages
 *   (PTE bits, VRAM offsets, TLB flush), *unbind* a range (zap and TLB
 *   flush), *migrate* by placement policy and *evict* to system memory.
 *   The core never builds a PTE and never calls migration or VRAM by name;
 * - how to populate is a &struct vsvm_svm_ctx (read-only, snapshot,
 *   device memory possible), not a list of booleans;
 * - a garbage collector frees the ranges whose CPU mapping went away (see
 *   Partial unmapping).
 *
 * An invalidation takes the notifier lock for writing and calls the unbind
 * op, which zaps the PTEs of the affected pages (DMA-unmapping them) and
 * flushes the engines' TLBs. Engines hold the notifier lock for reading
 * while they translate and access memory, so when the callback returns no
 * engine can still reach the old pages: the lock handoff is the fence. A
 * non-blockable invalidation (OOM reaper) only trylocks and asks to be
 * retried.
 *
 * A population pins the process's mm (mmget) one granule at a time, and
 * allocates everything it needs (device page tables through the prepare
 * op, the range and its notifier slot, the pfn array) before pinning it:
 * under memory pressure an allocation may wait in reclaim, and while the
 * driver holds the last reference to the mm of a process that has died,
 * none of that process's memory can be freed. Under OOM that made the OOM
 * killer pick a second, innocent process. For the same reason nothing is
 * faulted for a process that is leaving (vsvm_svm_mm_get()); migration
 * uses the same two helpers, its only calls into the core.
 *
 * When a CPU mapping is huge (THP, hugetlbfs, DAX PMD) and covers a whole
 * granule with one physically contiguous, 2 MiB aligned page, get pages
 * says so (&vsvm_svm_pages.huge) and the granule is bound with one 2 MiB
 * device PTE.
 *
 * hmm_range_fault() runs with the device as dev_private_owner: pages in the
 * device's own VRAM come back as device-private pfns and are bound as VRAM
 * PTEs; pages in another device's VRAM are faulted back to system memory
 * by HMM, as a CPU access would. A page of our VRAM shared copy-on-write
 * after fork() that the GPU must write is evicted (evict op) first.
 */

/**
 * DOC: Locking
 *
 * Every lock of the driver, outermost first (a lock is only ever taken
 * while holding locks above it, never below)::
 *
 *   vsvm_device.vms_lock (mutex: the device's list of VMs; debugfs holds
 *                         it across every VM's vsvm_vm.lock and waits for
 *                         each VM's garbage collector), or
 *   vsvm_vm.fault_mutex (mutex: one fault service of the VM at a time,
 *                        taken by a faulting engine holding no lock)
 *     vsvm_vm.lock (mutex: bind ops, fault service, garbage collection,
 *                   table allocation, mirrors, ranges, attributes)
 *       mmap_lock (read, killable)
 *         vsvm_devices_lock (rwsem, read: a migration choosing a device;
 *                            device removal takes it for writing first)
 *         vsvm_vram.lock (mutex: buddy allocator, LRU; dropped before an
 *                         eviction migrates pages out)
 *         vsvm_vm.notifier_lock (rwsem: PTE leaves, tlb_gen; write for
 *                                every PTE change, read by engines)
 *
 * Leaf spinlocks, inside any of the above and with nothing nested inside
 * them: vsvm_svm_gc.lock (the collector's list, taken under the notifier
 * lock by the callback), vsvm_vm.fault_lock (pending fault batches),
 * vsvm_job.wait_lock (a job's fault-wait state), vsvm_device.share_lock
 * (work sharing: the shared jobs, their unit cursors, parked units and
 * helpers, and the record of a running job; never taken under the
 * notifier lock) and vsvm_engine.fence_lock (irqsave: hardware fence
 * seqno and signalling).
 *
 * The mmu_interval_notifier callback is entered with the mmap lock (or the
 * reclaim context) held and takes only the notifier lock, for writing, and
 * under it the collector's spinlock; it only trylocks the notifier lock
 * when the invalidation may not block. Nothing allocates memory with
 * reclaim while holding the notifier lock (page table pages are allocated
 * beforehand, or with GFP_NOWAIT), which lockdep checks: the lock is primed
 * against fs_reclaim when the VM is created. Functions that need it held
 * for writing say so and assert it (vsvm_vm_tlb_flush_locked()).
 *
 * Eviction crosses VMs: a migration to VRAM, under its VM's bind lock and
 * mmap lock, may evict another allocation, and migrating those pages out
 * invalidates the ranges of whichever VMs map them, taking *their* notifier
 * locks for writing (MMU_NOTIFY_MIGRATE). It never holds a notifier lock of
 * its own VM meanwhile, and the VRAM lock is dropped first, so notifier
 * locks of different VMs are never nested.
 *
 * Engines hold the notifier lock for reading while they translate and
 * access memory, in slices of a bounded number of instructions, and never
 * take any other lock meanwhile. Writers take it through vsvm_vm_pt_lock(),
 * which makes engines wait before their next round rather than take it
 * back ahead of them (an rwsem lets readers do that for up to its hand-off
 * timeout). An engine that faults drops it and
 * services the fault itself under vsvm_vm.fault_mutex, taking
 * vsvm_vm.lock and then the others in the order above.
 *
 * vsvm_vm.lock is never held across a long operation: a prefetch, which
 * may migrate and evict many megabytes, releases it between 2 MiB granules
 * (vsvm_vm_lock_yield()), so the VM's fault service waits for at most two
 * granules of it, not for the whole prefetch. The garbage collector runs
 * from a work item that takes vsvm_vm.lock; the VM's release waits for it
 * without holding it. A fault service runs in an engine that holds a
 * reference to the VM.
 *
 * A migration of several 2 MiB chunks runs them in parallel (DOC:
 * Migration): the thread holding vsvm_vm.lock hands chunks to work items on
 * the unbound workqueue and waits for them (a completion, then
 * flush_work()) with no mmap lock held. The workers run under that
 * thread's vsvm_vm.lock without taking it, and take only the locks below
 * it in the order above, starting with the mmap lock for reading, one
 * chunk at a time; nothing they wait for takes vsvm_vm.lock. A prefetch
 * migrates one chunk per worker between two releases of vsvm_vm.lock, so a
 * waiting fault still gets in within about two granules' time.
 */

/**
 * DOC: Partial unmapping
 *
 * An invalidation zaps the device PTEs of the part of a range it covers,
 * whatever its event: the range and its notifier stay, and the next GPU
 * fault there repopulates what is still mapped (a partial munmap(),
 * mprotect(), migration, page reclaim).
 *
 * When an MMU_NOTIFY_UNMAP covers a whole range, its CPU mapping is gone
 * for good: the callback marks the range @unmapped and queues it on the
 * VM's garbage collector. The notifier cannot be removed from its own
 * callback, so a worker (vsvm_svm_gc_work()) takes the bind lock and frees
 * the range: PTEs zapped, notifier removed, slot erased. The mirror itself
 * stays (userspace registered it; UNMIRROR removes it), so SVM_QUERY still
 * reports the pages mirrored, not GPU-mapped.
 *
 * A fault or prefetch that finds an unmapped range not collected yet frees
 * it on the spot and creates a new one: memory mapped again at the same
 * address is faulted afresh. A range unmapped while a population uses it
 * is collected afterwards; its PTEs are zapped and the GPU faults again.
 * debugfs waits for queued collections (vsvm_svm_gc_flush()) before it
 * lists a VM's ranges.
 */

/**
 * DOC: Examples
 *
 * GPU fault service (vsvm_fault.c), for each coalesced 2 MiB granule::
 *
 *	struct vsvm_svm_ctx ctx = {
 *		.read_only = !write,
 *		.devmem_possible = true,
 *	};
 *
 *	mutex_lock(&vm->lock);
 *	err = vsvm_svm_service_granule(vm, granule, &ctx, status);
 *	mutex_unlock(&vm->lock);
 *
 * which, for each mirror in the granule, offers the pages to the migrate
 * op, then populates: reserve the range, pin the mm, get pages, bind::
 *
 *	again:
 *		seq = mmu_interval_read_begin(&range->notifier);
 *		hmm_range_fault(&hr);
 *		dma_map_page(...) for each system memory page;
 *		down_write(&vm->notifier_lock);
 *		if (mmu_interval_read_retry(&range->notifier, seq)) {
 *			up_write(&vm->notifier_lock);
 *			unmap; goto again;
 *		}
 *		err = vm->svm_ops->bind(vm, &pages, &done);
 *		up_write(&vm->notifier_lock);
 *		if (err)	// a page table is missing
 *			unmap from done; vm->svm_ops->prepare(); goto again;
 *
 * PREFETCH (vsvm_vm.c) populates a mirror's range granule by granule with
 * the placement it asked for already applied::
 *
 *	struct vsvm_svm_ctx ctx = {
 *		.read_only = attrs.read_only,
 *		.snapshot = op->flags & DRM_VSVM_BIND_SNAPSHOT,
 *	};
 *
 *	ret = vsvm_svm_populate(vm, mirror, va, gend, &ctx, status);
 *
 * The driver's side of an invalidation (vsvm_vm.c)::
 *
 *	static unsigned long unbind(struct vsvm_vm *vm, u64 start, u64 end)
 *	{
 *		lockdep_assert_held_write(&vm->notifier_lock);
 *		zapped = vsvm_pt_zap(&vm->pt, start, end);
 *		if (zapped)
 *			vsvm_vm_tlb_flush_locked(vm);
 *		return zapped;
 *	}
 */

static bool vsvm_range_invalidate(struct mmu_interval_notifier *mni,
				  const struct mmu_notifier_range *r,
				  unsigned long cur_seq)
{
	struct vsvm_range *range = container_of(mni, struct vsvm_range, notifier);
	struct vsvm_vm *vm = range->vm;
	u64 start = max_t(u64, r->start, range->start);
	u64 end = min_t(u64, r->end, range->end);
	unsigned long zapped;

	if (mmu_notifier_range_blockable(r))
		vsvm_vm_pt_lock(vm);
	else if (!vsvm_vm_pt_trylock(vm))
		return false;

	mmu_interval_set_seq(mni, cur_seq);
	zapped = vm->svm_ops->unbind(vm, start, end);
	if (zapped) {
		vsvm_count(vm->vdev, VSVM_CNT_INVALIDATIONS, 1);
		vsvm_count(vm->vdev, VSVM_CNT_PAGES_ZAPPED, zapped);
	}
	trace_vsvm_invalidate(vm->id, start, end, r->event, zapped);
	if (r->event == MMU_NOTIFY_UNMAP && r->start <= range->start &&
	    r->end >= range->end && !range->unmapped) {
		/* The CPU mapping is gone: free the range (DOC: Partial unmapping). */
		WRITE_ONCE(range->unmapped, true);
		spin_lock(&vm->gc.lock);
		list_add_tail(&range->gc_link, &vm->gc.list);
		spin_unlock(&vm->gc.lock);
		queue_work(system_wq, &vm->gc.work);
	}
	vsvm_vm_pt_unlock(vm);
	return true;
}

static const struct mmu_interval_notifier_ops vsvm_range_ops = {
	.invalidate = vsvm_range_invalidate,
};

/*
 * A mirror's range in a granule starts at the granule start, or at the
 * mirror start when the mirror begins inside the granule: that address is
 * the range's key in &vsvm_vm.ranges (several mirrors may share a granule).
 */
static unsigned long vsvm_range_key(struct vsvm_mirror *m, u64 va)
{
	return max_t(u64, m->start, va & ~(u64)(VSVM_HUGE_SIZE - 1)) >> PAGE_SHIFT;
}

/*
 * Zap first, then remove the notifier: with the bind lock held nothing maps
 * the range again meanwhile, and until the notifier is gone an invalidation
 * still reaches it, so the device never keeps a page the CPU freed.
 */
static void vsvm_range_destroy(struct vsvm_vm *vm, struct vsvm_range *range)
{
	lockdep_assert_held(&vm->lock);
	vsvm_vm_pt_lock(vm);
	vm->svm_ops->unbind(vm, range->start, range->end);
	vsvm_vm_pt_unlock(vm);
	/* Waits for a running invalidate callback of this range. */
	mmu_interval_notifier_remove(&range->notifier);
	spin_lock(&vm->gc.lock);
	list_del_init(&range->gc_link);
	spin_unlock(&vm->gc.lock);
	xa_erase(&vm->ranges, range->start >> PAGE_SHIFT);
	kfree(range);
}

/*
 * Allocate what creating the range of @va's granule takes, before the mm is
 * pinned: the range itself (kept in *@spare) and its slot in &vsvm_vm.ranges
 * (reserved). Nothing to do if the range exists. The caller drops an unused
 * reservation with vsvm_range_unreserve().
 */
static int vsvm_range_reserve(struct vsvm_vm *vm, struct vsvm_mirror *m,
			      u64 va, struct vsvm_range **spare)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	unsigned long key = vsvm_range_key(m, va);
	struct vsvm_range *range;

	lockdep_assert_held(&vm->lock);
	range = xa_load(&vm->ranges, key);
	/* Unmapped and not collected yet: the new mapping starts afresh. */
	if (range && READ_ONCE(range->unmapped))
		vsvm_range_destroy(vm, range);
	else if (range)
		return 0;
	if (!*spare) {
		*spare = kzalloc(sizeof(**spare), gfp);
		if (!*spare)
			return -ENOMEM;
	}
	return xa_reserve(&vm->ranges, key, gfp);
}

static void vsvm_range_unreserve(struct vsvm_vm *vm, struct vsvm_mirror *m, u64 va)
{
	/* A no-op when the slot holds a range. */
	xa_release(&vm->ranges, vsvm_range_key(m, va));
}

/*
 * The range of @va's granule, created from *@spare (consumed) in the slot
 * vsvm_range_reserve() reserved if it does not exist yet.
 */
static noinline struct vsvm_range *vsvm_range_get(struct vsvm_vm *vm,
						  struct vsvm_mirror *m, u64 va,
						  struct vsvm_range **spare)
{
	unsigned long key = vsvm_range_key(m, va);
	struct vsvm_range *range;
	int ret;

	lockdep_assert_held(&vm->lock);
	range = xa_load(&vm->ranges, key);
	if (range)
		return range;

	range = *spare;
	if (WARN_ON_ONCE(!range))
		return ERR_PTR(-ENOMEM);
	range->vm = vm;
	range->mirror = m;
	INIT_LIST_HEAD(&range->gc_link);
	range->start = (u64)key << PAGE_SHIFT;
	range->end = min_t(u64, m->end,
			   (va & ~(u64)(VSVM_HUGE_SIZE - 1)) + VSVM_HUGE_SIZE);

	/* The caller holds an mm_users reference (mmget_not_zero()). */
	ret = mmu_interval_notifier_insert(&range->notifier, vm->mm, range->start,
					   range->end - range->start,
					   &vsvm_range_ops);
	if (ret)
		return ERR_PTR(ret);
	/* The slot is reserved: storing allocates nothing and cannot fail. */
	ret = xa_err(xa_store(&vm->ranges, key, range, GFP_NOWAIT));
	if (WARN_ON_ONCE(ret)) {
		mmu_interval_notifier_remove(&range->notifier);
		return ERR_PTR(ret);
	}
	*spare = NULL;
	return range;
}
ALLOW_ERROR_INJECTION(vsvm_range_get, ERRNO);

static void vsvm_mirror_destroy(struct vsvm_vm *vm, struct vsvm_mirror *m)
{
	unsigned long first = m->start >> PAGE_SHIFT;
	unsigned long last = (m->end - 1) >> PAGE_SHIFT;
	struct vsvm_range *range;
	unsigned long idx;

	lockdep_assert_held(&vm->lock);
	xa_for_each_range(&vm->ranges, idx, range, first, last)
		if (range->mirror == m)
			vsvm_range_destroy(vm, range);
	list_del(&m->link);
	kfree(m);
}

/**
 * vsvm_svm_find_mirror() - the mirror containing @addr
 * @vm: the VM
 * @addr: GPU VA
 *
 * Context: VM bind lock held.
 * Return: the mirror or NULL.
 */
struct vsvm_mirror *vsvm_svm_find_mirror(struct vsvm_vm *vm, u64 addr)
{
	struct vsvm_mirror *m;

	lockdep_assert_held(&vm->lock);
	list_for_each_entry(m, &vm->mirrors, link)
		if (addr >= m->start && addr < m->end)
			return m;
	return NULL;
}

/**
 * vsvm_svm_mirror_add() - start mirroring [start, end) (BIND_OP_MIRROR)
 * @vm: the VM
 * @start: page aligned first byte
 * @end: page aligned end, exclusive
 * @snapshot: HMM snapshot mode (never fault CPU pages in)
 *
 * Nothing is faulted: ranges are created by the first fault or prefetch.
 *
 * Context: VM bind lock held.
 * Return: 0, -EEXIST if it overlaps a mirror, -ENOMEM.
 */
int vsvm_svm_mirror_add(struct vsvm_vm *vm, u64 start, u64 end, bool snapshot)
{
	struct vsvm_mirror *m;

	lockdep_assert_held(&vm->lock);
	list_for_each_entry(m, &vm->mirrors, link)
		if (start < m->end && end > m->start)
			return -EEXIST;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->start = start;
	m->end = end;
	m->snapshot = snapshot;
	list_add_tail(&m->link, &vm->mirrors);
	return 0;
}

/**
 * vsvm_svm_mirror_remove() - stop mirroring (BIND_OP_UNMIRROR)
 * @vm: the VM
 * @start: first byte, as registered
 * @end: end, as registered
 *
 * Zaps and frees the mirror's ranges, removing their notifiers.
 *
 * Context: VM bind lock held; may sleep.
 * Return: 0 or -ENOENT if no mirror is exactly [start, end).
 */
int vsvm_svm_mirror_remove(struct vsvm_vm *vm, u64 start, u64 end)
{
	struct vsvm_mirror *m = vsvm_svm_find_mirror(vm, start);

	if (!m || m->start != start || m->end != end)
		return -ENOENT;
	vsvm_mirror_destroy(vm, m);
	return 0;
}

/**
 * vsvm_svm_mirror_remove_all() - remove every mirror of a dying VM
 * @vm: the VM
 *
 * Context: VM bind lock held; may sleep.
 */
void vsvm_svm_mirror_remove_all(struct vsvm_vm *vm)
{
	struct vsvm_mirror *m, *tmp;

	list_for_each_entry_safe(m, tmp, &vm->mirrors, link)
		vsvm_mirror_destroy(vm, m);
}

static void vsvm_svm_gc_work(struct work_struct *work)
{
	struct vsvm_vm *vm = container_of(work, struct vsvm_vm, gc.work);
	struct vsvm_range *range;

	mutex_lock(&vm->lock);
	spin_lock(&vm->gc.lock);
	while ((range = list_first_entry_or_null(&vm->gc.list, struct vsvm_range,
						 gc_link))) {
		list_del_init(&range->gc_link);
		spin_unlock(&vm->gc.lock);
		trace_vsvm_range_gc(vm->id, range->start, range->end);
		vsvm_range_destroy(vm, range);
		vsvm_count(vm->vdev, VSVM_CNT_RANGES_COLLECTED, 1);
		spin_lock(&vm->gc.lock);
	}
	spin_unlock(&vm->gc.lock);
	mutex_unlock(&vm->lock);
}

/**
 * vsvm_svm_gc_init() - set up the garbage collector of a new VM
 * @vm: the VM
 */
void vsvm_svm_gc_init(struct vsvm_vm *vm)
{
	spin_lock_init(&vm->gc.lock);
	INIT_LIST_HEAD(&vm->gc.list);
	INIT_WORK(&vm->gc.work, vsvm_svm_gc_work);
}

/**
 * vsvm_svm_gc_flush() - free the ranges already queued for collection
 * @vm: the VM
 *
 * For readers that want a settled view (debugfs).
 *
 * Context: may sleep; VM bind lock not held (the collector takes it).
 */
void vsvm_svm_gc_flush(struct vsvm_vm *vm)
{
	flush_work(&vm->gc.work);
}

/**
 * vsvm_svm_gc_fini() - stop the garbage collector of a dying VM
 * @vm: the VM, whose last reference is gone and whose ranges are freed
 *
 * With every range freed no notifier can queue the collector again.
 *
 * Context: may sleep; VM bind lock not held.
 */
void vsvm_svm_gc_fini(struct vsvm_vm *vm)
{
	cancel_work_sync(&vm->gc.work);
	WARN_ON_ONCE(!list_empty(&vm->gc.list));
}

static void vsvm_status_fill(u8 *status, u64 base, u64 start, u64 end, u8 val)
{
	if (status && end > start)
		memset(status + ((start - base) >> PAGE_SHIFT), val,
		       (end - start) >> PAGE_SHIFT);
}

static void vsvm_dma_unmap_all(struct device *dev, dma_addr_t *dma,
			       unsigned long npages, bool huge)
{
	unsigned long i;

	if (huge) {
		dma_unmap_page(dev, dma[0], VSVM_HUGE_SIZE, DMA_BIDIRECTIONAL);
		return;
	}
	for (i = 0; i < npages; i++)
		if (dma[i])
			dma_unmap_page(dev, dma[i], PAGE_SIZE, DMA_BIDIRECTIONAL);
}

static bool vsvm_pfns_huge(const unsigned long *pfns, unsigned long npages,
			   u64 start)
{
	unsigned long first = page_to_pfn(hmm_pfn_to_page(pfns[0]));
	unsigned long i;

	if ((start & (VSVM_HUGE_SIZE - 1)) || npages != VSVM_GRANULE_PAGES)
		return false;
	if (!(pfns[0] & HMM_PFN_VALID) || hmm_pfn_to_map_order(pfns[0]) < 9 ||
	    (first & (VSVM_GRANULE_PAGES - 1)))
		return false;
	for (i = 1; i < npages; i++) {
		if ((pfns[i] & (HMM_PFN_VALID | HMM_PFN_WRITE)) !=
		    (pfns[0] & (HMM_PFN_VALID | HMM_PFN_WRITE)))
			return false;
		if (page_to_pfn(hmm_pfn_to_page(pfns[i])) != first + i)
			return false;
	}
	return true;
}

/*
 * The engine reaches system memory through the DMA address, so the
 * translation must be direct (no IOMMU, no bounce buffer).
 */
static noinline int vsvm_dma_map(struct device *dev, struct page *page, size_t size,
				 dma_addr_t *out)
{
	dma_addr_t dma = dma_map_page(dev, page, 0, size, DMA_BIDIRECTIONAL);

	if (dma_mapping_error(dev, dma))
		return -ENOMEM;
	if (WARN_ON_ONCE(dma_to_phys(dev, dma) != page_to_phys(page))) {
		dma_unmap_page(dev, dma, size, DMA_BIDIRECTIONAL);
		return -EIO;
	}
	*out = dma;
	return 0;
}
ALLOW_ERROR_INJECTION(vsvm_dma_map, ERRNO);

/**
 * vsvm_svm_mm_leaving() - whether the process behind a pinned mm is leaving
 * @mm: the mm, pinned by the caller (one mm_users reference)
 *
 * The OOM killer chose the process (its memory is queued for the reaper) or
 * no thread of it is left (the caller's reference is the only user).
 * Faulting or migrating more would only keep its memory allocated, and
 * under OOM make the OOM killer pick a second victim.
 *
 * Return: true if the caller should stop and drop its reference.
 */
bool vsvm_svm_mm_leaving(struct mm_struct *mm)
{
	return test_bit(MMF_OOM_REAP_QUEUED, &mm->flags) ||
	       atomic_read(&mm->mm_users) == 1;
}

/**
 * vsvm_svm_mm_get() - pin the mm of a VM's process for a population step
 * @vm: the VM
 *
 * Return: true with an mm_users reference on @vm's mm (drop it with
 * mmput()), false if the process has exited or is leaving.
 */
bool vsvm_svm_mm_get(struct vsvm_vm *vm)
{
	if (!mmget_not_zero(vm->mm))
		return false;
	if (vsvm_svm_mm_leaving(vm->mm)) {
		mmput(vm->mm);
		return false;
	}
	return true;
}

/*
 * One population: its parameters, its output and its buffers, allocated
 * before the mm is pinned (see DOC: Overview).
 */
struct vsvm_svm_populate {
	struct vsvm_vm *vm;
	const struct vsvm_svm_ctx *ctx;
	u8 *status;
	u64 base;
	unsigned long *pfns;
	struct vsvm_range *spare;
};

/*
 * Get the pages of [start, end), which lies in one VMA, one range and one
 * granule, and bind them: the HMM loop, DMA mapping, then under the
 * notifier lock the sequence check and &vsvm_svm_ops.bind. @write asks for
 * write access; @cow_check returns -EXDEV for a read-only page of our own
 * VRAM that needs writing. Called with the mm pinned and the mmap lock
 * held for reading.
 */
static noinline int vsvm_svm_get_pages(struct vsvm_svm_populate *pop,
				       struct vsvm_range *range, u64 start, u64 end,
				       bool write, bool cow_check)
{
	struct vsvm_vm *vm = pop->vm;
	const struct vsvm_svm_ops *ops = vm->svm_ops;
	struct device *dev = vm->vdev->drm.dev;
	bool snapshot = pop->ctx->snapshot || range->mirror->snapshot;
	unsigned long npages = (end - start) >> PAGE_SHIFT;
	unsigned long timeout = jiffies + msecs_to_jiffies(HMM_RANGE_DEFAULT_TIMEOUT);
	unsigned long *pfns = pop->pfns;
	struct hmm_range hr = {
		.notifier = &range->notifier,
		.start = start,
		.end = end,
		.default_flags = snapshot ? 0 :
			HMM_PFN_REQ_FAULT | (write ? HMM_PFN_REQ_WRITE : 0),
		.dev_private_owner = vm->vdev,
		.hmm_pfns = pfns,
	};
	struct vsvm_svm_pages pages = {
		.start = start,
		.end = end,
		.pfns = pfns,
		.dma = (dma_addr_t *)(pfns + VSVM_GRANULE_PAGES),
	};
	dma_addr_t *dma = pages.dma;
	unsigned long i, done;
	int ret;

again:
	if (time_after(jiffies, timeout))
		return -EBUSY;
	/* The OOM reaper's failed invalidations also land here. */
	if (vsvm_svm_mm_leaving(vm->mm))
		return -ESRCH;
	hr.notifier_seq = mmu_interval_read_begin(&range->notifier);
	ret = hmm_range_fault(&hr);
	if (ret == -EBUSY) {
		vsvm_count(vm->vdev, VSVM_CNT_HMM_RETRIES, 1);
		goto again;
	}
	if (ret == -EFAULT && npages > 1) {
		/* One bad page (SIGBUS past EOF...) fails the lot: go page by page. */
		for (i = 0; i < npages; i++) {
			ret = vsvm_svm_get_pages(pop, range, start + (i << PAGE_SHIFT),
						 start + ((i + 1) << PAGE_SHIFT),
						 write, cow_check);
			if (ret)
				return ret;
		}
		return 0;
	}
	if (ret == -EFAULT || ret == -EPERM) {
		vsvm_status_fill(pop->status, pop->base, start, end,
				 DRM_VSVM_PAGE_FAULT_ERROR);
		return 0;
	}
	if (ret)
		return ret;

	/*
	 * HMM reports our own VRAM pages as they are, without faulting: a
	 * page shared copy-on-write after fork() comes back read-only even
	 * though write access was asked for. The device cannot break COW:
	 * the caller moves such pages to system memory and retries.
	 */
	for (i = 0; cow_check && write && !snapshot && i < npages; i++) {
		if ((pfns[i] & (HMM_PFN_VALID | HMM_PFN_WRITE)) == HMM_PFN_VALID &&
		    is_device_private_page(hmm_pfn_to_page(pfns[i])))
			return -EXDEV;
	}

	memset(dma, 0, npages * sizeof(*dma));
	pages.huge = vsvm_pfns_huge(pfns, npages, start);
	if (pages.huge) {
		ret = vsvm_dma_map(dev, hmm_pfn_to_page(pfns[0]), VSVM_HUGE_SIZE, &dma[0]);
		if (ret)
			return ret;
	} else {
		for (i = 0; i < npages; i++) {
			if (!(pfns[i] & HMM_PFN_VALID) ||
			    is_device_private_page(hmm_pfn_to_page(pfns[i])))
				continue;
			ret = vsvm_dma_map(dev, hmm_pfn_to_page(pfns[i]), PAGE_SIZE, &dma[i]);
			if (ret) {
				vsvm_dma_unmap_all(dev, dma, npages, false);
				return ret;
			}
		}
	}

	vsvm_vm_pt_lock(vm);
	if (mmu_interval_read_retry(&range->notifier, hr.notifier_seq)) {
		vsvm_vm_pt_unlock(vm);
		vsvm_dma_unmap_all(dev, dma, npages, pages.huge);
		vsvm_count(vm->vdev, VSVM_CNT_HMM_RETRIES, 1);
		goto again;
	}
	ret = ops->bind(vm, &pages, &done);
	vsvm_vm_pt_unlock(vm);
	if (ret) {
		/* What bind did not take is ours: unmap it, prepare, retry. */
		if (pages.huge)
			vsvm_dma_unmap_all(dev, dma, npages, true);
		else
			vsvm_dma_unmap_all(dev, dma + done, npages - done, false);
		ret = ops->prepare(vm, start, end);
		if (ret)
			return ret;
		goto again;
	}

	for (i = 0; pop->status && i < npages; i++) {
		u8 st = DRM_VSVM_PAGE_NOT_PRESENT;

		if (pfns[i] & HMM_PFN_VALID)
			st = pfns[i] & HMM_PFN_WRITE ? DRM_VSVM_PAGE_OK :
			     DRM_VSVM_PAGE_OK | VSVM_PAGE_READONLY;
		pop->status[(start + (i << PAGE_SHIFT) - pop->base) >> PAGE_SHIFT] = st;
	}
	return 0;
}
ALLOW_ERROR_INJECTION(vsvm_svm_get_pages, ERRNO);

/* Populate [start, end), inside one granule, with the mm pinned only here. */
static int vsvm_svm_populate_granule(struct vsvm_svm_populate *pop,
				     struct vsvm_mirror *m, u64 start, u64 end)
{
	struct vsvm_vm *vm = pop->vm;
	struct mm_struct *mm = vm->mm;
	bool write = !pop->ctx->read_only;
	bool cow_retried = false;
	struct vsvm_range *range;
	u64 va = start;
	int ret;

	if (!vsvm_svm_mm_get(vm))
		return -ESRCH;
	range = vsvm_range_get(vm, m, start, &pop->spare);
	if (IS_ERR(range)) {
		ret = PTR_ERR(range);
		goto out;
	}
	ret = mmap_read_lock_killable(mm);
	if (ret)
		goto out;
	while (va < end) {
		struct vm_area_struct *vma = find_vma(mm, va);
		u64 cend;

		if (!vma || vma->vm_start >= end) {
			vsvm_status_fill(pop->status, pop->base, va, end,
					 DRM_VSVM_PAGE_NO_VMA);
			break;
		}
		if (vma->vm_start > va) {
			vsvm_status_fill(pop->status, pop->base, va, vma->vm_start,
					 DRM_VSVM_PAGE_NO_VMA);
			va = vma->vm_start;
		}
		cend = min_t(u64, end, vma->vm_end);
		if (!(vma->vm_flags & VM_READ)) {
			vsvm_status_fill(pop->status, pop->base, va, cend,
					 DRM_VSVM_PAGE_ACCESS);
		} else {
			ret = vsvm_svm_get_pages(pop, range, va, cend,
						 write && (vma->vm_flags & VM_WRITE),
						 !cow_retried);
			if (ret == -EXDEV) {
				/*
				 * Shared VRAM page needs writing: the driver
				 * brings it home, with the mm unpinned
				 * meanwhile (migration pins it itself, for its
				 * own allocations).
				 */
				mmap_read_unlock(mm);
				mmput(mm);
				cow_retried = true;
				ret = vm->svm_ops->evict(vm, va, cend);
				if (ret)
					return ret;
				if (!vsvm_svm_mm_get(vm))
					return -ESRCH;
				ret = mmap_read_lock_killable(mm);
				if (ret)
					goto out;
				continue;
			}
			if (ret)
				break;
		}
		cow_retried = false;
		va = cend;
	}
	mmap_read_unlock(mm);
out:
	mmput(mm);
	return ret;
}

/**
 * vsvm_svm_populate() - make [start, end) of a mirror resident for the GPU
 * @vm: the VM
 * @m: the mirror containing the range
 * @start: page aligned first byte
 * @end: page aligned end, exclusive
 * @ctx: how (&struct vsvm_svm_ctx; the mirror's snapshot mode is added)
 * @status: optional, one byte per page of [start, end), receives the page
 *	status (&enum drm_vsvm_page_status, possibly with
 *	%VSVM_PAGE_READONLY)
 *
 * Gets the pages and binds them through &vsvm_svm_ops. Per-page problems
 * (no VMA, PROT_NONE, SIGBUS) are reported in @status and are not errors.
 *
 * Context: VM bind lock held; takes the mmap lock (killable). May sleep.
 * Return: 0, -ESRCH if the process has exited, -EINTR if killed, -ENOMEM,
 * -EBUSY if invalidations kept racing for HMM_RANGE_DEFAULT_TIMEOUT.
 */
int vsvm_svm_populate(struct vsvm_vm *vm, struct vsvm_mirror *m, u64 start,
		      u64 end, const struct vsvm_svm_ctx *ctx, u8 *status)
{
	struct vsvm_svm_populate pop = {
		.vm = vm,
		.ctx = ctx,
		.status = status,
		.base = start,
	};
	int ret;

	lockdep_assert_held(&vm->lock);
	/* Allocations first, the mm not pinned (see DOC: Overview). */
	ret = vm->svm_ops->prepare(vm, start, end);
	if (ret)
		return ret;
	pop.pfns = kvcalloc(VSVM_GRANULE_PAGES, sizeof(*pop.pfns) + sizeof(dma_addr_t),
			    GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	if (!pop.pfns)
		return -ENOMEM;

	while (start < end) {
		u64 gend = min_t(u64, (start | (VSVM_HUGE_SIZE - 1)) + 1, end);

		ret = vsvm_range_reserve(vm, m, start, &pop.spare);
		if (!ret)
			ret = vsvm_svm_populate_granule(&pop, m, start, gend);
		vsvm_range_unreserve(vm, m, start);
		if (ret)
			break;
		start = gend;
	}
	kfree(pop.spare);
	kvfree(pop.pfns);
	return ret;
}

/**
 * vsvm_svm_ranges_get() - the ranges of a mirror's granules, created if needed
 * @vm: the VM
 * @m: the mirror containing [@start, @end)
 * @start: page aligned first byte
 * @end: page aligned end, exclusive
 * @ranges: out, the range of each granule of [@start, @end), in order
 *
 * For a migration that maps what it moved itself (vsvm_svm_bind_migrated()):
 * the notifiers must exist before it collects the pages. Each granule's
 * allocations are made before the mm is pinned (see DOC: Overview).
 *
 * Context: VM bind lock held; the ranges stay valid while it is held.
 * Return: 0, -ENOMEM, -ESRCH if the process is leaving.
 */
int vsvm_svm_ranges_get(struct vsvm_vm *vm, struct vsvm_mirror *m, u64 start,
			u64 end, struct vsvm_range **ranges)
{
	struct vsvm_range *spare = NULL, *range;
	u64 va, gend;
	int ret = 0;

	lockdep_assert_held(&vm->lock);
	for (va = start; va < end; va = gend) {
		gend = min_t(u64, end, ALIGN_DOWN(va, VSVM_HUGE_SIZE) + VSVM_HUGE_SIZE);
		ret = vsvm_range_reserve(vm, m, va, &spare);
		if (!ret && !vsvm_svm_mm_get(vm))
			ret = -ESRCH;
		if (!ret) {
			range = vsvm_range_get(vm, m, va, &spare);
			mmput(vm->mm);
			ret = PTR_ERR_OR_ZERO(range);
		}
		vsvm_range_unreserve(vm, m, va);
		if (ret)
			break;
		*ranges++ = range;
	}
	kfree(spare);
	return ret;
}

/**
 * vsvm_svm_bind_migrated() - map pages a migration just moved, without a walk
 * @vm: the VM
 * @range: the range containing [@start, @end)
 * @start: page aligned first byte, inside one VMA
 * @end: page aligned end, exclusive
 * @pfns: one hmm pfn per page (%HMM_PFN_VALID, %HMM_PFN_WRITE and the pfn of
 *	the page it now lives in, as hmm_range_fault() would report it), 0 for
 *	a page to leave alone
 * @dma: scratch, one entry per page
 * @seq: mmu_interval_read_begin() of @range, taken after migrate_vma_setup()
 *	isolated the pages and before migrate_vma_pages()
 * @status: one byte per page of [@start, @end); bound pages get their
 *	status (OK, maybe with %VSVM_PAGE_READONLY), others are left untouched
 *
 * The migration knows where every page it moved went: when no invalidation
 * touched @range since @seq, those pages are bound through
 * &vsvm_svm_ops.bind as get pages would bind them, and the walk of
 * vsvm_svm_populate() is not needed for them.
 *
 * Context: mmap lock held for reading, mm pinned; from a migration worker
 * without the bind lock, which the thread it works for holds (the page
 * tables of the range are prepared).
 * Return: 0, -EAGAIN if the CPU page tables changed since @seq (nothing is
 * bound: the caller falls back to the walk), or the bind op's error.
 */
int vsvm_svm_bind_migrated(struct vsvm_vm *vm, struct vsvm_range *range,
			   u64 start, u64 end, unsigned long *pfns,
			   dma_addr_t *dma, unsigned long seq, u8 *status)
{
	unsigned long i, npages = (end - start) >> PAGE_SHIFT, done;
	struct vsvm_svm_pages pages = {
		.start = start,
		.end = end,
		.pfns = pfns,
		.dma = dma,
	};
	int ret;

	memset(dma, 0, npages * sizeof(*dma));
	vsvm_vm_pt_lock(vm);
	if (mmu_interval_read_retry(&range->notifier, seq)) {
		vsvm_vm_pt_unlock(vm);
		vsvm_count(vm->vdev, VSVM_CNT_HMM_RETRIES, 1);
		return -EAGAIN;
	}
	ret = vm->svm_ops->bind(vm, &pages, &done);
	vsvm_vm_pt_unlock(vm);
	if (ret)
		return ret;
	for (i = 0; i < npages; i++)
		if (pfns[i] & HMM_PFN_VALID)
			status[i] = pfns[i] & HMM_PFN_WRITE ? DRM_VSVM_PAGE_OK :
				    DRM_VSVM_PAGE_OK | VSVM_PAGE_READONLY;
	return 0;
}

/**
 * vsvm_svm_service_granule() - resolve GPU faults in one 2 MiB granule
 * @vm: the VM
 * @granule: granule index (va >> 21)
 * @ctx: how (&struct vsvm_svm_ctx): with @ctx->devmem_possible, each
 *	mirror's part of the granule is first offered to
 *	&vsvm_svm_ops.migrate (not for snapshot mirrors)
 * @status: %VSVM_GRANULE_PAGES bytes, receives the status of every page;
 *	pages outside every mirror read %VSVM_PAGE_NOT_MIRRORED
 *
 * Context: VM bind lock held; may sleep.
 * Return: 0 or an error of vsvm_svm_populate() or of the migrate op.
 */
int vsvm_svm_service_granule(struct vsvm_vm *vm, u64 granule,
			     const struct vsvm_svm_ctx *ctx, u8 *status)
{
	u64 gs = granule << VSVM_HUGE_SHIFT, ge = gs + VSVM_HUGE_SIZE;
	struct vsvm_mirror *m;
	int ret;

	lockdep_assert_held(&vm->lock);
	memset(status, VSVM_PAGE_NOT_MIRRORED, VSVM_GRANULE_PAGES);
	list_for_each_entry(m, &vm->mirrors, link) {
		u64 s = max(gs, m->start), e = min(ge, m->end);

		if (s >= e)
			continue;
		if (ctx->devmem_possible && !m->snapshot) {
			/* Per-page failures just leave pages where they are. */
			ret = vm->svm_ops->migrate(vm, s, e,
						   status + ((s - gs) >> PAGE_SHIFT));
			if (ret)
				return ret;
		}
		ret = vsvm_svm_populate(vm, m, s, e, ctx,
					status + ((s - gs) >> PAGE_SHIFT));
		if (ret)
			return ret;
	}
	return 0;
}
