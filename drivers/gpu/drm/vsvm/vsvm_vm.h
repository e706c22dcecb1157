/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_VM_H__
#define __VSVM_VM_H__

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <drm/drm_gpuvm.h>

#include "vsvm_pt.h"
#include "vsvm_svm.h"

struct drm_file;
struct drm_vsvm_vm_bind;
struct drm_vsvm_vm_bind_op;
struct drm_vsvm_vm_create;
struct drm_gem_object;
struct vsvm_client;
struct vsvm_device;
struct vsvm_file;
struct vsvm_migrate_bufs;

/**
 * struct vsvm_mapping - a GEM object mapped in the unmanaged window
 * @va: the drm_gpuvm mapping (address, range, object and offset); the
 *	object is referenced.
 * @readonly: mapped without write permission.
 */
struct vsvm_mapping {
	struct drm_gpuva va;
	bool readonly;
};

static inline struct vsvm_mapping *to_vsvm_mapping(struct drm_gpuva *va)
{
	return container_of(va, struct vsvm_mapping, va);
}

/**
 * struct vsvm_vm - a GPU virtual address space bound to one process
 * @ref: reference count (the file's handle, every job).
 * @vdev: the device.
 * @id: handle in the creating file.
 * @mm: the creating process's mm (mmgrab'ed).
 * @lock: serialises bind operations, fault servicing and table
 *	allocation; protects @mirrors, @ranges, @gpuvm and @attrs.
 * @notifier_lock: protects the page table leaves and @tlb_gen. Held for
 *	writing by invalidation and by PTE updates (vsvm_vm_pt_lock()), for
 *	reading by engines while they access memory (vsvm_vm_engine_lock()).
 * @pt_writers: writers of @notifier_lock waiting for it or holding it;
 *	engines let them in before taking it again.
 * @pt: the device page table.
 * @tlb_gen: bumped on every TLB flush; engine TLB entries of an older
 *	generation are stale.
 * @mirrors: list of &struct vsvm_mirror.
 * @ranges: &struct vsvm_range by first page (start >> PAGE_SHIFT).
 * @gpuvm: drm_gpuvm managing the unmanaged window's GEM mappings
 *	(&struct vsvm_mapping); protected by @lock.
 * @attrs: placement attributes, &struct vsvm_attr_range sorted by address.
 * @window_start: unmanaged window start.
 * @window_end: unmanaged window end (== start when none).
 * @link: entry in &vsvm_device.vms.
 * @fault_lock: protects @fault_pending.
 * @fault_pending: &struct vsvm_fault_batch raised by engines running jobs
 *	of this VM, waiting for service.
 * @fault_mutex: held by the engine servicing this VM's pending faults
 *	(one service at a time per VM, vsvm_fault_submit()).
 * @dead: set when the handle is destroyed; jobs already submitted still run.
 * @client: usage statistics of the creating file (referenced): VRAM that
 *	migrations of this VM allocate is charged to it.
 * @gc: garbage collector of the ranges whose CPU mapping went away.
 * @svm_ops: the driver side of the SVM core (&vsvm_vm_svm_ops).
 * @migrate: migration arrays, one set per worker, allocated on the first
 *	migration; protected by @lock.
 */
struct vsvm_vm {
	struct kref ref;
	struct vsvm_device *vdev;
	u32 id;
	struct mm_struct *mm;
	struct mutex lock; /* see DOC: Locking */
	struct rw_semaphore notifier_lock;
	atomic_t pt_writers;
	struct vsvm_pt pt;
	u64 tlb_gen;
	struct list_head mirrors;
	struct xarray ranges;
	struct drm_gpuvm gpuvm;
	struct list_head attrs;
	u64 window_start;
	u64 window_end;
	struct list_head link;
	spinlock_t fault_lock; /* protects fault_pending */
	struct list_head fault_pending;
	struct mutex fault_mutex; /* one fault service at a time */
	bool dead;
	struct vsvm_client *client;
	struct vsvm_svm_gc gc;
	const struct vsvm_svm_ops *svm_ops;
	struct vsvm_migrate_bufs *migrate;
};

struct vsvm_vm *vsvm_vm_lookup(struct vsvm_file *vfpriv, u32 id, int *err);
void vsvm_vm_put(struct vsvm_vm *vm);
void vsvm_vm_destroy_all(struct vsvm_file *vfpriv);
void vsvm_vm_tlb_flush_locked(struct vsvm_vm *vm);
void vsvm_vm_pt_lock(struct vsvm_vm *vm);
bool vsvm_vm_pt_trylock(struct vsvm_vm *vm);
void vsvm_vm_pt_unlock(struct vsvm_vm *vm);
void vsvm_vm_engine_lock(struct vsvm_vm *vm);

int vsvm_vm_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vsvm_vm_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vsvm_vm_bind_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vsvm_svm_query_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

#if IS_ENABLED(CONFIG_KUNIT)
int vsvm_vm_create_args_check(struct vsvm_device *vdev,
			      const struct drm_vsvm_vm_create *args);
int vsvm_vm_bind_args_check(struct vsvm_device *vdev,
			    const struct drm_vsvm_vm_bind *args);
int vsvm_bind_op_check(struct vsvm_vm *vm, const struct drm_vsvm_vm_bind_op *op);
#endif

#endif /* __VSVM_VM_H__ */
