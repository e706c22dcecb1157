// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/hmm.h>
#include <linux/overflow.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait_bit.h>
#include <kunit/visibility.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>

#include "vsvm_attr.h"
#include "vsvm_drv.h"
#include "vsvm_job.h"
#include "vsvm_migrate.h"
#include "vsvm_svm.h"
#include "vsvm_sync.h"
#include "vsvm_trace.h"
#include "vsvm_vram.h"
#include "vsvm_vm.h"

#define VSVM_BIND_MAX_OPS	256
#define VSVM_QUERY_MAX_PAGES	BIT(20)

/*
 * The driver side of the SVM core (&struct vsvm_svm_ops): vsvm_svm.c gets
 * pages and keeps ranges; PTE bits, the VRAM offsets of device-private
 * pages, TLB flushes and placement policy live here.
 */
static int vsvm_vm_svm_prepare(struct vsvm_vm *vm, u64 start, u64 end)
{
	return vsvm_pt_prepare(&vm->pt, start, end);
}

static int vsvm_vm_svm_bind(struct vsvm_vm *vm, const struct vsvm_svm_pages *pages,
			    unsigned long *done)
{
	unsigned long npages = (pages->end - pages->start) >> PAGE_SHIFT;
	unsigned long i, mapped = 0;
	bool replaced = false;
	int ret = 0;

	lockdep_assert_held_write(&vm->notifier_lock);
	for (i = 0; i < npages; i++) {
		u64 va = pages->start + (i << PAGE_SHIFT);
		u64 pte = VSVM_PTE_VALID | VSVM_PTE_READ;
		unsigned long pfn = pages->pfns[i];

		/* An engine TLB may cache the entry being replaced. */
		if (!replaced && (vsvm_pt_lookup(&vm->pt, va).pte & VSVM_PTE_VALID))
			replaced = true;
		if (!(pfn & HMM_PFN_VALID))
			continue;
		if (pfn & HMM_PFN_WRITE)
			pte |= VSVM_PTE_WRITE | VSVM_PTE_ATOMIC;
		if (pages->huge) {
			if (i == 0)
				ret = vsvm_pt_set_huge(&vm->pt, va, pte | pages->dma[0]);
		} else if (!pages->dma[i]) {
			/* Only our own VRAM pages are returned unmapped by HMM. */
			struct page *page = hmm_pfn_to_page(pfn);

			/* Mapped under the notifier lock, the page cannot be freed. */
			vsvm_vram_touch(page);
			ret = vsvm_pt_set(&vm->pt, va, pte | VSVM_PTE_VRAM |
					  vsvm_vram_offset(vm->vdev, page));
		} else {
			ret = vsvm_pt_set(&vm->pt, va, pte | pages->dma[i]);
		}
		if (ret)
			break;
		mapped++;
	}
	if (replaced)
		vsvm_vm_tlb_flush_locked(vm);
	*done = i;
	if (ret)
		return ret;

	vsvm_count(vm->vdev, VSVM_CNT_PAGES_FAULTED, mapped);
	if (pages->huge)
		vsvm_count(vm->vdev, VSVM_CNT_HUGE_MAPPINGS, 1);
	trace_vsvm_map(vm->id, pages->start, pages->end, mapped, pages->huge);
	return 0;
}

static unsigned long vsvm_vm_svm_unbind(struct vsvm_vm *vm, u64 start, u64 end)
{
	unsigned long zapped;

	lockdep_assert_held_write(&vm->notifier_lock);
	zapped = vsvm_pt_zap(&vm->pt, start, end);
	if (zapped)
		vsvm_vm_tlb_flush_locked(vm);
	return zapped;
}

/* GPU fault service: move pages where the placement attributes want them. */
static int vsvm_vm_svm_migrate(struct vsvm_vm *vm, u64 start, u64 end, u8 *status)
{
	struct vsvm_attrs attrs = vsvm_attr_lookup(vm, start, NULL);

	if (attrs.policy != DRM_VSVM_ACCESS_MIGRATE ||
	    attrs.preferred == DRM_VSVM_LOCATION_ANY)
		return 0;
	return vsvm_migrate_range(vm, start, end,
				  attrs.preferred != DRM_VSVM_LOCATION_SYSTEM,
				  attrs.granularity, status, NULL);
}

static int vsvm_vm_svm_evict(struct vsvm_vm *vm, u64 start, u64 end)
{
	return vsvm_migrate_range(vm, start, end, false, 0, NULL, NULL);
}

static const struct vsvm_svm_ops vsvm_vm_svm_ops = {
	.prepare = vsvm_vm_svm_prepare,
	.bind = vsvm_vm_svm_bind,
	.unbind = vsvm_vm_svm_unbind,
	.migrate = vsvm_vm_svm_migrate,
	.evict = vsvm_vm_svm_evict,
};

static void vsvm_mapping_destroy(struct vsvm_vm *vm, struct vsvm_mapping *map)
{
	struct drm_gem_object *obj = map->va.gem.obj;

	lockdep_assert_held(&vm->lock);
	vsvm_vm_pt_lock(vm);
	vsvm_pt_zap(&vm->pt, map->va.va.addr, map->va.va.addr + map->va.va.range);
	vsvm_vm_tlb_flush_locked(vm);
	vsvm_vm_pt_unlock(vm);
	drm_gpuva_remove(&map->va);
	drm_gem_object_put(obj);
	kfree(map);
}

/* The drm_gpuvm is embedded in the VM, which frees it. */
static void vsvm_gpuvm_free(struct drm_gpuvm *gpuvm)
{
}

static const struct drm_gpuvm_ops vsvm_gpuvm_ops = {
	.vm_free = vsvm_gpuvm_free,
};

static void vsvm_vm_release(struct kref *ref)
{
	struct vsvm_vm *vm = container_of(ref, struct vsvm_vm, ref);
	struct vsvm_device *vdev = vm->vdev;
	struct drm_gpuva *va, *next;

	vsvm_fault_vm_fini(vm);
	mutex_lock(&vm->lock);
	vsvm_svm_mirror_remove_all(vm);
	drm_gpuvm_for_each_va_safe(va, next, &vm->gpuvm)
		vsvm_mapping_destroy(vm, to_vsvm_mapping(va));
	vsvm_attr_free_all(vm);
	mutex_unlock(&vm->lock);
	vsvm_svm_gc_fini(vm);
	drm_gpuvm_put(&vm->gpuvm);

	mutex_lock(&vdev->vms_lock);
	list_del(&vm->link);
	mutex_unlock(&vdev->vms_lock);

	xa_destroy(&vm->ranges);
	vsvm_migrate_vm_fini(vm);
	vsvm_pt_fini(&vm->pt);
	mmdrop(vm->mm);
	vsvm_client_put(vm->client);
	mutex_destroy(&vm->lock);
	kfree(vm);
}

/**
 * vsvm_vm_put() - drop a VM reference
 * @vm: the VM
 *
 * Context: may sleep (the last reference tears the mirror down).
 */
void vsvm_vm_put(struct vsvm_vm *vm)
{
	kref_put(&vm->ref, vsvm_vm_release);
}

/**
 * vsvm_vm_lookup() - find a VM of this file used by its owner process
 * @vfpriv: the file
 * @id: the VM handle
 * @err: out, -ENOENT or -EPERM on failure
 *
 * Return: a referenced VM, or NULL.
 */
struct vsvm_vm *vsvm_vm_lookup(struct vsvm_file *vfpriv, u32 id, int *err)
{
	struct vsvm_vm *vm;

	xa_lock(&vfpriv->vms);
	vm = xa_load(&vfpriv->vms, id);
	if (vm)
		kref_get(&vm->ref);
	xa_unlock(&vfpriv->vms);
	if (!vm) {
		*err = -ENOENT;
		return NULL;
	}
	if (vm->mm != current->mm) {
		drm_dbg_driver(&vfpriv->vdev->drm, "VM %u used from another process\n", id);
		vsvm_vm_put(vm);
		*err = -EPERM;
		return NULL;
	}
	return vm;
}

/**
 * vsvm_vm_destroy_all() - drop every VM handle of a closing file
 * @vfpriv: the file
 */
void vsvm_vm_destroy_all(struct vsvm_file *vfpriv)
{
	struct vsvm_vm *vm;
	unsigned long id;

	xa_for_each(&vfpriv->vms, id, vm) {
		xa_erase(&vfpriv->vms, id);
		WRITE_ONCE(vm->dead, true);
		vsvm_vm_put(vm);
	}
}

/**
 * vsvm_vm_pt_lock() - take @vm's notifier lock for writing, ahead of engines
 * @vm: the VM
 *
 * Engines hold the notifier lock for reading for a round of slices and take
 * it again right after (vsvm_hw.c). An rwsem lets a reader take the lock
 * back ahead of a waiting writer until the writer's hand-off timeout, about
 * 4 ms: every PTE update of a fault service and every invalidation behind a
 * running engine waited that long (a fault service of 16 granules took 71 ms
 * instead of 6 with another engine running the VM's job). The writer counts
 * itself in &vsvm_vm.pt_writers first; an engine waits for the count to be
 * zero before its next round (vsvm_vm_engine_lock()), so a writer waits for
 * at most the round running when it arrived.
 *
 * Context: may sleep; see DOC: Locking for what may be held.
 */
void vsvm_vm_pt_lock(struct vsvm_vm *vm)
{
	atomic_inc(&vm->pt_writers);
	down_write(&vm->notifier_lock);
}

/**
 * vsvm_vm_pt_trylock() - vsvm_vm_pt_lock() without sleeping
 * @vm: the VM
 *
 * Return: true if the notifier lock is held for writing (release it with
 * vsvm_vm_pt_unlock()), false if it is not.
 */
bool vsvm_vm_pt_trylock(struct vsvm_vm *vm)
{
	if (down_write_trylock(&vm->notifier_lock)) {
		atomic_inc(&vm->pt_writers);
		return true;
	}
	return false;
}

/**
 * vsvm_vm_pt_unlock() - release what vsvm_vm_pt_lock() took
 * @vm: the VM
 */
void vsvm_vm_pt_unlock(struct vsvm_vm *vm)
{
	up_write(&vm->notifier_lock);
	if (atomic_dec_and_test(&vm->pt_writers))
		wake_up_var(&vm->pt_writers);
}

/**
 * vsvm_vm_engine_lock() - take @vm's notifier lock for reading for a round
 * @vm: the VM
 *
 * Lets writers that are waiting for the lock in first (vsvm_vm_pt_lock()).
 * Release with up_read().
 *
 * Context: an engine's worker, holding no lock.
 */
void vsvm_vm_engine_lock(struct vsvm_vm *vm)
{
	wait_var_event(&vm->pt_writers, !atomic_read(&vm->pt_writers));
	down_read(&vm->notifier_lock);
}

/**
 * vsvm_vm_tlb_flush_locked() - invalidate every engine TLB entry of @vm
 * @vm: the VM
 *
 * Context: notifier lock held for writing.
 */
void vsvm_vm_tlb_flush_locked(struct vsvm_vm *vm)
{
	lockdep_assert_held_write(&vm->notifier_lock);
	vm->tlb_gen++;
	vsvm_count(vm->vdev, VSVM_CNT_TLB_FLUSHES, 1);
}

static bool vsvm_range_bad(u64 addr, u64 size, u64 align)
{
	u64 end;

	return !size || !IS_ALIGNED(addr, align) || !IS_ALIGNED(size, align) ||
	       check_add_overflow(addr, size, &end) || end > VSVM_VA_END;
}

/**
 * vsvm_vm_create_args_check() - validate VM_CREATE arguments
 * @vdev: the device
 * @args: the ioctl arguments (@args->vm_id is out-only and not looked at)
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int vsvm_vm_create_args_check(struct vsvm_device *vdev,
					       const struct drm_vsvm_vm_create *args)
{
	if (VSVM_IOCTL_DBG(vdev, args->flags))
		return -EINVAL;
	if (args->unmanaged_size) {
		if (VSVM_IOCTL_DBG(vdev, vsvm_range_bad(args->unmanaged_start,
							args->unmanaged_size,
							VSVM_HUGE_SIZE)))
			return -EINVAL;
	} else if (VSVM_IOCTL_DBG(vdev, args->unmanaged_start)) {
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_vm_create_args_check);

/**
 * vsvm_vm_create_ioctl() - DRM_IOCTL_VSVM_VM_CREATE
 * @dev: DRM device
 * @data: &struct drm_vsvm_vm_create
 * @file: DRM file
 *
 * Return: 0 or a negative errno documented in the uAPI header.
 */
int vsvm_vm_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct vsvm_device *vdev = to_vsvm_device(dev);
	struct vsvm_file *vfpriv = file->driver_priv;
	struct drm_vsvm_vm_create *args = data;
	struct drm_gem_object *r_obj;
	struct vsvm_vm *vm;
	u32 id;
	int ret;

	ret = vsvm_vm_create_args_check(vdev, args);
	if (ret)
		return ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	kref_init(&vm->ref);
	vm->vdev = vdev;
	mutex_init(&vm->lock);
	init_rwsem(&vm->notifier_lock);
	atomic_set(&vm->pt_writers, 0);
	INIT_LIST_HEAD(&vm->mirrors);
	INIT_LIST_HEAD(&vm->attrs);
	xa_init(&vm->ranges);
	vsvm_fault_vm_init(vm);
	vsvm_svm_gc_init(vm);
	vm->svm_ops = &vsvm_vm_svm_ops;
	vm->window_start = args->unmanaged_start;
	vm->window_end = args->unmanaged_start + args->unmanaged_size;

	/* Invalidation runs in reclaim: nothing may allocate under this lock. */
	if (IS_ENABLED(CONFIG_LOCKDEP)) {
		fs_reclaim_acquire(GFP_KERNEL);
		might_lock(&vm->notifier_lock);
		fs_reclaim_release(GFP_KERNEL);
	}

	ret = vsvm_pt_init(&vm->pt, dev->dev);
	if (ret)
		goto err_free;
	r_obj = drm_gpuvm_resv_object_alloc(dev);
	if (!r_obj) {
		ret = -ENOMEM;
		goto err_pt;
	}
	drm_gpuvm_init(&vm->gpuvm, "vsvm-window", 0, dev, r_obj, vm->window_start,
		       vm->window_end - vm->window_start, 0, 0, &vsvm_gpuvm_ops);
	drm_gem_object_put(r_obj);	/* drm_gpuvm_init() took its own */

	mmgrab(current->mm);
	vm->mm = current->mm;
	vm->client = vsvm_client_get(vfpriv->client);

	/*
	 * Reserve the id, finish the VM, then publish it: from the moment
	 * it is in vfpriv->vms another thread can look it up and destroy it,
	 * so this thread may not touch it afterwards.
	 */
	ret = xa_alloc(&vfpriv->vms, &id, NULL, xa_limit_32b, GFP_KERNEL);
	if (ret)
		goto err_mm;
	vm->id = id;
	mutex_lock(&vdev->vms_lock);
	list_add_tail(&vm->link, &vdev->vms);
	mutex_unlock(&vdev->vms_lock);
	args->vm_id = id;
	/* A reserved index is filled without allocating: this cannot fail. */
	WARN_ON(xa_err(xa_store(&vfpriv->vms, id, vm, GFP_KERNEL)));
	return 0;

err_mm:
	vsvm_client_put(vm->client);
	mmdrop(vm->mm);
	drm_gpuvm_put(&vm->gpuvm);
err_pt:
	vsvm_pt_fini(&vm->pt);
err_free:
	kfree(vm);
	return ret;
}

/**
 * vsvm_vm_destroy_ioctl() - DRM_IOCTL_VSVM_VM_DESTROY
 * @dev: DRM device
 * @data: &struct drm_vsvm_vm_destroy
 * @file: DRM file
 *
 * Return: 0 or a negative errno documented in the uAPI header.
 */
int vsvm_vm_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct vsvm_file *vfpriv = file->driver_priv;
	struct drm_vsvm_vm_destroy *args = data;
	struct vsvm_vm *vm;
	int ret;

	if (VSVM_IOCTL_DBG(vfpriv->vdev, args->pad))
		return -EINVAL;
	vm = vsvm_vm_lookup(vfpriv, args->vm_id, &ret);
	if (!vm)
		return ret;
	if (xa_erase(&vfpriv->vms, args->vm_id) == vm) {
		WRITE_ONCE(vm->dead, true);
		vsvm_vm_put(vm);	/* the handle's reference */
	}
	vsvm_vm_put(vm);
	return 0;
}

static const u32 vsvm_bind_op_flags[] = {
	[DRM_VSVM_BIND_OP_MIRROR] = DRM_VSVM_BIND_SNAPSHOT,
	[DRM_VSVM_BIND_OP_UNMIRROR] = 0,
	[DRM_VSVM_BIND_OP_MAP] = DRM_VSVM_BIND_READONLY,
	[DRM_VSVM_BIND_OP_UNMAP] = 0,
	[DRM_VSVM_BIND_OP_PREFETCH] = DRM_VSVM_BIND_SNAPSHOT,
};

static bool vsvm_in_window(struct vsvm_vm *vm, u64 start, u64 end)
{
	return start >= vm->window_start && end <= vm->window_end;
}

static bool vsvm_overlaps_window(struct vsvm_vm *vm, u64 start, u64 end)
{
	return start < vm->window_end && end > vm->window_start;
}

/**
 * vsvm_bind_op_check() - validate one VM_BIND operation
 * @vm: the VM (its device and unmanaged window are looked at)
 * @op: the operation, copied from userspace (output fields not looked at)
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int vsvm_bind_op_check(struct vsvm_vm *vm,
					const struct drm_vsvm_vm_bind_op *op)
{
	struct vsvm_device *vdev = vm->vdev;
	u64 end = op->addr + op->range;

	if (VSVM_IOCTL_DBG(vdev, op->op >= ARRAY_SIZE(vsvm_bind_op_flags)) ||
	    VSVM_IOCTL_DBG(vdev, op->flags & ~vsvm_bind_op_flags[op->op]) ||
	    VSVM_IOCTL_DBG(vdev, op->pad || op->pad2) ||
	    VSVM_IOCTL_DBG(vdev, vsvm_range_bad(op->addr, op->range, PAGE_SIZE)))
		return -EINVAL;
	if (VSVM_IOCTL_DBG(vdev, op->op != DRM_VSVM_BIND_OP_MAP &&
			   (op->handle || op->bo_offset)))
		return -EINVAL;
	if (VSVM_IOCTL_DBG(vdev, op->op != DRM_VSVM_BIND_OP_PREFETCH &&
			   (op->status_ptr || op->location)))
		return -EINVAL;
	if (VSVM_IOCTL_DBG(vdev, !vsvm_attr_location_valid(vm, op->location)))
		return -EINVAL;

	switch (op->op) {
	case DRM_VSVM_BIND_OP_MIRROR:
	case DRM_VSVM_BIND_OP_UNMIRROR:
	case DRM_VSVM_BIND_OP_PREFETCH:
		if (VSVM_IOCTL_DBG(vdev, vsvm_overlaps_window(vm, op->addr, end)))
			return -EINVAL;
		break;
	case DRM_VSVM_BIND_OP_MAP:
		if (VSVM_IOCTL_DBG(vdev, !IS_ALIGNED(op->bo_offset, PAGE_SIZE)))
			return -EINVAL;
		fallthrough;
	case DRM_VSVM_BIND_OP_UNMAP:
		if (VSVM_IOCTL_DBG(vdev, !vsvm_in_window(vm, op->addr, end)))
			return -EINVAL;
		break;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_bind_op_check);

/**
 * vsvm_vm_bind_args_check() - validate the VM_BIND header
 * @vdev: the device
 * @args: the ioctl arguments (the operations are checked one by one with
 *	vsvm_bind_op_check() once copied)
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int vsvm_vm_bind_args_check(struct vsvm_device *vdev,
					     const struct drm_vsvm_vm_bind *args)
{
	if (VSVM_IOCTL_DBG(vdev, args->flags || args->pad) ||
	    VSVM_IOCTL_DBG(vdev, !args->count || args->count > VSVM_BIND_MAX_OPS) ||
	    VSVM_IOCTL_DBG(vdev, args->stride < DRM_VSVM_BIND_OP_SIZE_V1))
		return -EINVAL;
	return vsvm_sync_array_check(vdev, &args->syncs);
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_vm_bind_args_check);

static int vsvm_bind_mirror(struct vsvm_vm *vm, struct drm_vsvm_vm_bind_op *op)
{
	return vsvm_svm_mirror_add(vm, op->addr, op->addr + op->range,
				   op->flags & DRM_VSVM_BIND_SNAPSHOT);
}

static int vsvm_bind_unmirror(struct vsvm_vm *vm, struct drm_vsvm_vm_bind_op *op)
{
	return vsvm_svm_mirror_remove(vm, op->addr, op->addr + op->range);
}

/*
 * Let the VM's fault service, and other bind operations, in between two
 * granules of a long operation: a GPU job of this VM that faults must not
 * wait for a whole prefetch of many megabytes, with its migrations and
 * evictions, to end (it used to, past the job timeout). A mutex hands
 * itself over to a waiter that was woken and lost the race once
 * (MUTEX_FLAG_HANDOFF), so a waiter gets in within two granules.
 */
static void vsvm_vm_lock_yield(struct vsvm_vm *vm)
{
	lockdep_assert_held(&vm->lock);
	mutex_unlock(&vm->lock);
	cond_resched();
	mutex_lock(&vm->lock);
}

/* Between two granules of a prefetch: let others in, find the mirror again. */
static int vsvm_prefetch_yield(struct vsvm_vm *vm, u64 va, u64 end,
			       struct vsvm_mirror **m)
{
	vsvm_vm_lock_yield(vm);
	if (fatal_signal_pending(current))
		return -EINTR;
	/* Another thread may have removed the mirror meanwhile. */
	*m = vsvm_svm_find_mirror(vm, va);
	if (VSVM_IOCTL_DBG(vm->vdev, !*m || end > (*m)->end))
		return -EINVAL;
	return 0;
}

static int vsvm_bind_prefetch(struct vsvm_vm *vm, struct drm_vsvm_vm_bind_op *op)
{
	u64 npages = op->range >> PAGE_SHIFT, i, end = op->addr + op->range;
	struct vsvm_range *ranges[VSVM_MIGRATE_MAX_WORKERS];
	struct vsvm_mirror *m = vsvm_svm_find_mirror(vm, op->addr);
	bool to_vram = op->location != DRM_VSVM_LOCATION_SYSTEM;
	struct vsvm_svm_ctx ctx = {};
	struct vsvm_attrs attrs;
	u8 *status, *mstatus;
	bool yield = false;
	u64 va, gend;
	int pass, ret = 0;

	if (VSVM_IOCTL_DBG(vm->vdev, !m || end > m->end))
		return -EINVAL;
	status = kvmalloc(2 * npages, GFP_KERNEL);
	if (!status)
		return -ENOMEM;
	mstatus = status + npages;
	memset(status, VSVM_PAGE_UNSET, npages);
	memset(mstatus, DRM_VSVM_PAGE_OK, npages);
	attrs = vsvm_attr_lookup(vm, op->addr, NULL);
	ctx.read_only = attrs.read_only;
	ctx.snapshot = !!(op->flags & DRM_VSVM_BIND_SNAPSHOT);

	/*
	 * Pass 0 migrates the range (if a location is asked for), pass 1
	 * populates it, each granule by granule with the VM lock released in
	 * between; a migration takes as many granules at a time as it has
	 * workers, one each (vsvm_migrate_range()). A migration to VRAM maps
	 * the pages it moved itself, from its arrays, when no invalidation
	 * intervened; pass 1 then skips the granules it mapped whole.
	 */
	for (pass = op->location != DRM_VSVM_LOCATION_ANY ? 0 : 1; pass < 2; pass++) {
		for (va = op->addr; va < end; va = gend) {
			u64 off = (va - op->addr) >> PAGE_SHIFT;
			u64 step = VSVM_HUGE_SIZE;

			if (pass == 0)
				step *= vsvm_migrate_workers(vm, va, end);
			gend = min_t(u64, end, ALIGN_DOWN(va, VSVM_HUGE_SIZE) + step);
			if (yield) {
				ret = vsvm_prefetch_yield(vm, va, end, &m);
				if (ret)
					goto out;
			}
			yield = true;
			if (pass == 0) {
				struct vsvm_migrate_bind bind = {
					.ranges = ranges,
					.status = status + off,
				};
				bool direct = to_vram && !ctx.snapshot && !m->snapshot &&
					      !READ_ONCE(vm->vdev->migrate_walk);

				if (direct) {
					ret = vm->svm_ops->prepare(vm, va, gend);
					if (!ret)
						ret = vsvm_svm_ranges_get(vm, m, va, gend, ranges);
					if (ret)
						goto out;
				}
				ret = vsvm_migrate_range(vm, va, gend, to_vram,
							 attrs.granularity, mstatus + off,
							 direct ? &bind : NULL);
			} else if (memchr(status + off, VSVM_PAGE_UNSET,
					  (gend - va) >> PAGE_SHIFT)) {
				ret = vsvm_svm_populate(vm, m, va, gend, &ctx, status + off);
			}
			if (ret)
				goto out;
		}
	}

	/*
	 * A page is done when it is mapped for the GPU and, if a location was
	 * asked for, is there: the page table says where it ended up.
	 */
	op->pages_done = 0;
	down_read(&vm->notifier_lock);
	for (i = 0; i < npages; i++) {
		status[i] &= VSVM_PAGE_STATUS_MASK;
		if (status[i] == DRM_VSVM_PAGE_OK && op->location != DRM_VSVM_LOCATION_ANY) {
			u64 pte = vsvm_pt_lookup(&vm->pt, op->addr + (i << PAGE_SHIFT)).pte;
			bool in_vram = pte & VSVM_PTE_VRAM;
			bool want_vram = op->location != DRM_VSVM_LOCATION_SYSTEM;

			if (in_vram != want_vram) {
				status[i] = mstatus[i] != DRM_VSVM_PAGE_OK ? mstatus[i] :
					    DRM_VSVM_PAGE_BUSY;
				vsvm_count(vm->vdev, VSVM_CNT_MIGRATE_FAILED, 1);
			}
		}
		if (status[i] == DRM_VSVM_PAGE_OK)
			op->pages_done++;
	}
	up_read(&vm->notifier_lock);
	op->pages_failed = npages - op->pages_done;
	vsvm_count(vm->vdev, VSVM_CNT_PREFETCH_PAGES, op->pages_done);
	if (op->status_ptr &&
	    copy_to_user(u64_to_user_ptr(op->status_ptr), status, npages))
		ret = -EFAULT;
out:
	if (ret == -ESRCH)
		ret = -EFAULT;
	kvfree(status);
	return ret;
}

static int vsvm_bind_map(struct vsvm_vm *vm, struct drm_file *file,
			 struct drm_vsvm_vm_bind_op *op)
{
	u64 end = op->addr + op->range, va, skip = op->bo_offset;
	struct drm_gem_shmem_object *shmem;
	struct vsvm_mapping *map;
	struct drm_gem_object *obj;
	struct sg_dma_page_iter it;
	struct sg_table *sgt;
	u64 pte_flags;
	int ret;

	if (!drm_gpuvm_interval_empty(&vm->gpuvm, op->addr, op->range))
		return -EEXIST;

	obj = drm_gem_object_lookup(file, op->handle);
	if (!obj)
		return -ENOENT;
	if (VSVM_IOCTL_DBG(vm->vdev, op->bo_offset > obj->size ||
			   op->range > obj->size - op->bo_offset)) {
		ret = -EINVAL;
		goto err_put;
	}
	shmem = to_drm_gem_shmem_obj(obj);
	sgt = drm_gem_shmem_get_pages_sgt(shmem);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_put;
	}
	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map) {
		ret = -ENOMEM;
		goto err_put;
	}
	ret = vsvm_pt_prepare(&vm->pt, op->addr, end);
	if (ret)
		goto err_free;
	drm_gpuva_init(&map->va, op->addr, op->range, obj, op->bo_offset);
	ret = drm_gpuva_insert(&vm->gpuvm, &map->va);
	if (ret)
		goto err_free;

	pte_flags = VSVM_PTE_VALID | VSVM_PTE_READ | VSVM_PTE_UNMANAGED;
	if (!(op->flags & DRM_VSVM_BIND_READONLY))
		pte_flags |= VSVM_PTE_WRITE | VSVM_PTE_ATOMIC;

	vsvm_vm_pt_lock(vm);
	va = op->addr;
	for_each_sgtable_dma_page(sgt, &it, 0) {
		if (va >= end)
			break;
		if (skip) {
			skip -= PAGE_SIZE;
			continue;
		}
		/* Tables were prepared and are never freed: cannot fail. */
		WARN_ON_ONCE(vsvm_pt_set(&vm->pt, va,
					 sg_page_iter_dma_address(&it) | pte_flags));
		va += PAGE_SIZE;
	}
	vsvm_vm_pt_unlock(vm);

	map->readonly = op->flags & DRM_VSVM_BIND_READONLY;
	return 0;

err_free:
	kfree(map);
err_put:
	drm_gem_object_put(obj);
	return ret;
}

static int vsvm_bind_unmap(struct vsvm_vm *vm, struct drm_vsvm_vm_bind_op *op)
{
	struct drm_gpuva *va = drm_gpuva_find(&vm->gpuvm, op->addr, op->range);

	if (!va)
		return -ENOENT;
	vsvm_mapping_destroy(vm, to_vsvm_mapping(va));
	return 0;
}

static int vsvm_bind_op_exec(struct vsvm_vm *vm, struct drm_file *file,
			     struct drm_vsvm_vm_bind_op *op)
{
	switch (op->op) {
	case DRM_VSVM_BIND_OP_MIRROR:
		return vsvm_bind_mirror(vm, op);
	case DRM_VSVM_BIND_OP_UNMIRROR:
		return vsvm_bind_unmirror(vm, op);
	case DRM_VSVM_BIND_OP_MAP:
		return vsvm_bind_map(vm, file, op);
	case DRM_VSVM_BIND_OP_UNMAP:
		return vsvm_bind_unmap(vm, op);
	case DRM_VSVM_BIND_OP_PREFETCH:
		return vsvm_bind_prefetch(vm, op);
	}
	return -EINVAL;
}

/**
 * vsvm_vm_bind_ioctl() - DRM_IOCTL_VSVM_VM_BIND
 * @dev: DRM device
 * @data: &struct drm_vsvm_vm_bind
 * @file: DRM file
 *
 * Return: 0 or a negative errno documented in the uAPI header.
 */
int vsvm_vm_bind_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct vsvm_device *vdev = to_vsvm_device(dev);
	struct vsvm_file *vfpriv = file->driver_priv;
	struct drm_vsvm_vm_bind *args = data;
	struct drm_vsvm_vm_bind_op *ops;
	struct vsvm_syncs syncs;
	struct vsvm_vm *vm;
	u32 i;
	int ret;

	args->done = 0;
	ret = vsvm_vm_bind_args_check(vdev, args);
	if (ret)
		return ret;

	vm = vsvm_vm_lookup(vfpriv, args->vm_id, &ret);
	if (!vm)
		return ret;

	ops = kvcalloc(args->count, sizeof(*ops), GFP_KERNEL);
	if (!ops) {
		ret = -ENOMEM;
		goto out_put;
	}
	for (i = 0; i < args->count; i++) {
		ret = copy_struct_from_user(&ops[i], sizeof(*ops),
					    u64_to_user_ptr(args->ops_ptr +
							    (u64)i * args->stride),
					    args->stride);
		if (ret == -E2BIG)
			ret = -EINVAL;
		if (ret)
			goto out_free;
		ret = vsvm_bind_op_check(vm, &ops[i]);
		if (ret)
			goto out_free;
	}

	/* Signal syncobjs and chain nodes first: success cannot fail to signal. */
	ret = vsvm_syncs_get(vdev, file, &args->syncs, &syncs);
	if (ret)
		goto out_free;
	ret = vsvm_syncs_wait_all(file, &syncs);
	if (ret)
		goto out_syncs;

	mutex_lock(&vm->lock);
	for (i = 0; i < args->count; i++) {
		ret = vsvm_bind_op_exec(vm, file, &ops[i]);
		if (ret)
			break;
		args->done++;
	}
	mutex_unlock(&vm->lock);

	/* Write back the output fields of the operations that ran. */
	for (i = 0; i < args->done; i++) {
		struct drm_vsvm_vm_bind_op __user *uop =
			u64_to_user_ptr(args->ops_ptr + (u64)i * args->stride);

		if (ops[i].op == DRM_VSVM_BIND_OP_PREFETCH &&
		    (put_user(ops[i].pages_done, &uop->pages_done) ||
		     put_user(ops[i].pages_failed, &uop->pages_failed)))
			ret = -EFAULT;
	}
	/* Binds are synchronous: the operations are complete now. */
	if (!ret) {
		struct dma_fence *done = dma_fence_get_stub();

		vsvm_syncs_signal(&syncs, done);
		dma_fence_put(done);
	}
out_syncs:
	vsvm_syncs_put(&syncs);
out_free:
	kvfree(ops);
out_put:
	vsvm_vm_put(vm);
	return ret;
}

/**
 * vsvm_svm_query_ioctl() - DRM_IOCTL_VSVM_SVM_QUERY
 * @dev: DRM device
 * @data: &struct drm_vsvm_svm_query
 * @file: DRM file
 *
 * Return: 0 or a negative errno documented in the uAPI header.
 */
int vsvm_svm_query_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct vsvm_device *vdev = to_vsvm_device(dev);
	struct vsvm_file *vfpriv = file->driver_priv;
	struct drm_vsvm_svm_query *args = data;
	struct vsvm_vm *vm;
	u32 *flags, *locs;
	u64 i;
	int ret = 0;

	if (VSVM_IOCTL_DBG(vdev, args->pad) ||
	    VSVM_IOCTL_DBG(vdev, !args->npages || args->npages > VSVM_QUERY_MAX_PAGES) ||
	    VSVM_IOCTL_DBG(vdev, vsvm_range_bad(args->addr, args->npages << PAGE_SHIFT,
						PAGE_SIZE)))
		return -EINVAL;

	vm = vsvm_vm_lookup(vfpriv, args->vm_id, &ret);
	if (!vm)
		return ret;
	/* flags[0..npages), then the locations */
	flags = kvcalloc(args->npages, 2 * sizeof(*flags), GFP_KERNEL);
	if (!flags) {
		ret = -ENOMEM;
		goto out_put;
	}
	locs = flags + args->npages;

	mutex_lock(&vm->lock);
	down_read(&vm->notifier_lock);
	for (i = 0; i < args->npages; i++) {
		u64 va = args->addr + (i << PAGE_SHIFT);
		struct vsvm_pt_leaf leaf = vsvm_pt_lookup(&vm->pt, va);
		u32 f = 0, loc = DRM_VSVM_LOCATION_ANY;

		if (vsvm_svm_find_mirror(vm, va))
			f |= DRM_VSVM_QUERY_MIRRORED;
		if (leaf.pte & VSVM_PTE_VALID) {
			f |= DRM_VSVM_QUERY_GPU_MAPPED;
			loc = DRM_VSVM_LOCATION_SYSTEM;
			if (leaf.pte & VSVM_PTE_WRITE)
				f |= DRM_VSVM_QUERY_WRITABLE;
			if (leaf.pte & VSVM_PTE_HUGE)
				f |= DRM_VSVM_QUERY_HUGE;
			if (leaf.pte & VSVM_PTE_UNMANAGED)
				f |= DRM_VSVM_QUERY_UNMANAGED;
			if (leaf.pte & VSVM_PTE_VRAM) {
				f |= DRM_VSVM_QUERY_VRAM;
				loc = DRM_VSVM_LOCATION_DEVICE(vdev->index);
			}
		}
		flags[i] = f;
		locs[i] = loc;
	}
	up_read(&vm->notifier_lock);
	mutex_unlock(&vm->lock);

	if (copy_to_user(u64_to_user_ptr(args->flags_ptr), flags,
			 args->npages * sizeof(*flags)) ||
	    (args->locations_ptr &&
	     copy_to_user(u64_to_user_ptr(args->locations_ptr), locs,
			  args->npages * sizeof(*locs))))
		ret = -EFAULT;
	kvfree(flags);
out_put:
	vsvm_vm_put(vm);
	return ret;
}
