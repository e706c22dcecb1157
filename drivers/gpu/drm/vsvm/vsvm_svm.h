/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_SVM_H__
#define __VSVM_SVM_H__

#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct mm_struct;
struct vsvm_mirror;
struct vsvm_vm;

/*
 * Page status used inside the driver: &enum drm_vsvm_page_status values,
 * plus a page outside every mirror, plus a flag for pages mapped read-only.
 */
#define VSVM_PAGE_NOT_MIRRORED	0x7f
#define VSVM_PAGE_READONLY	0x80
#define VSVM_PAGE_STATUS_MASK	0x7f
/* Not written yet (a prefetch's populate status before its populate). */
#define VSVM_PAGE_UNSET		0xff

#define VSVM_GRANULE_PAGES	(VSVM_HUGE_SIZE >> PAGE_SHIFT)

/**
 * struct vsvm_mirror - a CPU range mirrored by a VM
 * @link: entry in &vsvm_vm.mirrors.
 * @start: first byte.
 * @end: end, exclusive.
 * @snapshot: HMM snapshot mode (never fault CPU pages in).
 */
struct vsvm_mirror {
	struct list_head link;
	u64 start;
	u64 end;
	bool snapshot;
};

/**
 * struct vsvm_range - one granule of a mirror with its interval notifier
 * @notifier: the mmu_interval_notifier covering [@start, @end).
 * @vm: owning VM.
 * @mirror: the mirror the range belongs to.
 * @start: first byte (granule start, or mirror start).
 * @end: end, exclusive.
 * @gc_link: entry in &vsvm_svm_gc.list while queued for the garbage
 *	collector; protected by &vsvm_svm_gc.lock.
 * @unmapped: the whole range was unmapped from the CPU (set under the
 *	notifier lock held for writing, never cleared): the range is queued
 *	for the garbage collector and no population may use it.
 *
 * Ranges are created on the first fault or prefetch in a granule and live
 * until the mirror is removed, the VM destroyed, or the garbage collector
 * frees them once their CPU mapping is gone (see DOC: Partial unmapping).
 */
struct vsvm_range {
	struct mmu_interval_notifier notifier;
	struct vsvm_vm *vm;
	struct vsvm_mirror *mirror;
	u64 start;
	u64 end;
	struct list_head gc_link;
	bool unmapped;
};

/**
 * struct vsvm_svm_gc - garbage collector of a VM's unmapped ranges
 * @lock: protects @list; taken inside the notifier lock (a spinlock: the
 *	invalidation callback may not sleep on it).
 * @list: &struct vsvm_range.gc_link of ranges whose CPU mapping is gone.
 * @work: frees them (vsvm_svm_gc_work()), on system_wq: removing an
 *	interval notifier is not allowed from its own callback.
 */
struct vsvm_svm_gc {
	spinlock_t lock; /* protects list */
	struct list_head list;
	struct work_struct work;
};

/**
 * struct vsvm_svm_ctx - how to populate (like &drm_gpusvm_ctx)
 * @read_only: the GPU needs only read access: do not fault pages in
 *	writable, do not break COW.
 * @snapshot: HMM snapshot mode: take only what the CPU has mapped, fault
 *	nothing in (a mirror registered with it is always in this mode).
 * @devmem_possible: the pages may be offered to &vsvm_svm_ops.migrate
 *	first (GPU fault service, where placement attributes apply).
 */
struct vsvm_svm_ctx {
	unsigned int read_only :1;
	unsigned int snapshot :1;
	unsigned int devmem_possible :1;
};

/**
 * struct vsvm_svm_pages - what "get pages" found for one chunk
 * @start: first byte.
 * @end: end, exclusive; [@start, @end) lies in one range and one VMA.
 * @pfns: HMM pfns, one per page (HMM_PFN_VALID, HMM_PFN_WRITE, device
 *	private pages of this device as they are).
 * @dma: DMA address of every valid system memory page (0 for device
 *	private pages); with @huge only @dma[0], mapping 2 MiB.
 * @huge: one physically contiguous, 2 MiB aligned page covers the chunk.
 */
struct vsvm_svm_pages {
	u64 start;
	u64 end;
	const unsigned long *pfns;
	dma_addr_t *dma;
	bool huge;
};

/**
 * struct vsvm_svm_ops - what the SVM core asks of the driver
 * @prepare: allocate what @bind will need for [start, end) (page tables).
 *	Called with the VM bind lock held, without the notifier lock, may
 *	sleep and allocate. Returns 0 or -ENOMEM.
 * @bind: write the device PTEs of @pages and flush the TLBs if a valid
 *	entry was replaced. Called with the notifier lock held for writing,
 *	after the notifier sequence check passed; must not allocate with
 *	reclaim. On success it owns every DMA mapping of @pages and sets
 *	*done to the number of pages. On failure (a table missing) *done is
 *	the first page it did not write: the core releases the DMA mappings
 *	from there on, calls @prepare and tries again.
 * @unbind: remove the device PTEs of [start, end) and, if any was valid,
 *	flush the TLBs. Called with the notifier lock held for writing (from
 *	the invalidation callback, possibly in reclaim): must not sleep on
 *	anything but never allocate. Returns the 4 KiB pages unmapped.
 * @migrate: move [start, end) where the driver's placement policy wants
 *	it, best effort, reporting per-page failures in status (may be
 *	NULL). Called with the VM bind lock held, nothing else. Returns 0 or
 *	a fatal error (-ESRCH, -EINTR, -ENOMEM).
 * @evict: move the device-private pages of [start, end) to system
 *	memory (a COW-shared VRAM page the GPU must write). Same context.
 */
struct vsvm_svm_ops {
	int (*prepare)(struct vsvm_vm *vm, u64 start, u64 end);
	int (*bind)(struct vsvm_vm *vm, const struct vsvm_svm_pages *pages,
		    unsigned long *done);
	unsigned long (*unbind)(struct vsvm_vm *vm, u64 start, u64 end);
	int (*migrate)(struct vsvm_vm *vm, u64 start, u64 end, u8 *status);
	int (*evict)(struct vsvm_vm *vm, u64 start, u64 end);
};

bool vsvm_svm_mm_leaving(struct mm_struct *mm);
bool vsvm_svm_mm_get(struct vsvm_vm *vm);
int vsvm_svm_ranges_get(struct vsvm_vm *vm, struct vsvm_mirror *m, u64 start,
			u64 end, struct vsvm_range **ranges);
int vsvm_svm_bind_migrated(struct vsvm_vm *vm, struct vsvm_range *range,
			   u64 start, u64 end, unsigned long *pfns,
			   dma_addr_t *dma, unsigned long seq, u8 *status);
int vsvm_svm_populate(struct vsvm_vm *vm, struct vsvm_mirror *m, u64 start,
		      u64 end, const struct vsvm_svm_ctx *ctx, u8 *status);
int vsvm_svm_service_granule(struct vsvm_vm *vm, u64 granule,
			     const struct vsvm_svm_ctx *ctx, u8 *status);
int vsvm_svm_mirror_add(struct vsvm_vm *vm, u64 start, u64 end, bool snapshot);
int vsvm_svm_mirror_remove(struct vsvm_vm *vm, u64 start, u64 end);
void vsvm_svm_mirror_remove_all(struct vsvm_vm *vm);
struct vsvm_mirror *vsvm_svm_find_mirror(struct vsvm_vm *vm, u64 addr);
void vsvm_svm_gc_init(struct vsvm_vm *vm);
void vsvm_svm_gc_fini(struct vsvm_vm *vm);
void vsvm_svm_gc_flush(struct vsvm_vm *vm);

#endif /* __VSVM_SVM_H__ */
