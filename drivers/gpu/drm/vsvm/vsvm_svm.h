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

bool vsvm_svm_mm_leaving(struct mm_struct *mm);
bool vsvm_svm_mm_get(struct vsvm_vm *vm);
int vsvm_svm_populate(struct vsvm_vm *vm, struct vsvm_mirror *m, u64 start,
		      u64 end, bool write, bool snapshot, u8 *status);
int vsvm_svm_service_granule(struct vsvm_vm *vm, u64 granule, bool write,
			     u8 *status);
void vsvm_svm_remove_mirror(struct vsvm_vm *vm, struct vsvm_mirror *m);
void vsvm_svm_gc_init(struct vsvm_vm *vm);
void vsvm_svm_gc_fini(struct vsvm_vm *vm);
void vsvm_svm_gc_flush(struct vsvm_vm *vm);

#endif /* __VSVM_SVM_H__ */
