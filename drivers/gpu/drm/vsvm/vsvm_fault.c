// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/bsearch.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <drm/drm_drv.h>
#include <kunit/visibility.h>

#include "vsvm_drv.h"
#include "vsvm_fault.h"
#include "vsvm_svm.h"
#include "vsvm_trace.h"
#include "vsvm_vm.h"

/**
 * DOC: GPU page faults
 *
 * An engine that misses in its TLB and in the device page table, or lacks
 * the permission an access needs, stalls the faulting invocation and goes
 * on with the other invocations of its wave. When no invocation can make
 * progress, the engine posts all its faults as one batch to its VM's fault
 * queue and sleeps.
 *
 * The engine services its batch itself, in its own worker, under its VM's
 * fault mutex (vsvm_fault_submit()): one service at a time per VM, and the
 * VMs' faults side by side, so a VM whose service is slow (a migration on
 * fault, its bind lock or mmap lock held by its own process) delays only
 * the engines running its own jobs, never another process's. (With one
 * handler per device, a GPU job of one process could wait out its whole
 * timeout behind another process's migration.) Until 2026-12 the service
 * was a work item per VM on an unbound workqueue; with every CPU running
 * an engine, that worker shared a CPU with the other engine while the
 * faulting engine's CPU idled, and fault service grew from 2-4 % of a
 * GPU read to 31 % (bench: ``a_fault_share`` with ``ENGINES=2``).
 *
 * A service drains every pending batch of its VM at once (each engine
 * running a job of the VM may have raised one), reduces the faults to the
 * set of 2 MiB granules they fall in (a granule is serviced once, with
 * write access if any of its faults needs it), orders them, and services
 * each granule with hmm_range_fault(). Runs of adjacent faulting granules are followed by up
 * to ``fault_prefetch_granules`` (debugfs) more granules, prefetched on the
 * bet that the access pattern goes on. Each fault then gets its verdict
 * from the status of its page: resolved (the engine replays the access) or
 * a reason (&enum drm_vsvm_fault_reason) that ends the job and is kept in
 * its fault record.
 */

static int vsvm_fault_key_cmp(const void *a, const void *b)
{
	const struct vsvm_fault_key *ka = a, *kb = b;

	if (ka->granule != kb->granule)
		return ka->granule < kb->granule ? -1 : 1;
	return 0;
}

/**
 * vsvm_fault_coalesce() - reduce faulting granules to a sorted unique set
 * @keys: granules of the faults, compacted in place
 * @count: number of @keys
 * @runs: out, number of runs of adjacent granules in the result
 *
 * Sorts @keys, merges duplicates (their write needs are OR-ed) and counts
 * the runs of consecutive granules.
 *
 * Return: number of unique granules left at the start of @keys.
 */
u32 vsvm_fault_coalesce(struct vsvm_fault_key *keys, u32 count, u32 *runs)
{
	u32 i, n = 0;

	*runs = 0;
	if (!count)
		return 0;
	sort(keys, count, sizeof(*keys), vsvm_fault_key_cmp, NULL);
	for (i = 0; i < count; i++) {
		if (n && keys[n - 1].granule == keys[i].granule) {
			keys[n - 1].write |= keys[i].write;
			continue;
		}
		if (!n || keys[n - 1].granule + 1 != keys[i].granule)
			(*runs)++;
		keys[n++] = keys[i];
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_fault_coalesce);

static bool vsvm_access_writes(u32 access)
{
	return access != DRM_VSVM_ACCESS_READ;
}

static u32 vsvm_fault_status_reason(u8 st, u32 access)
{
	switch (st & VSVM_PAGE_STATUS_MASK) {
	case DRM_VSVM_PAGE_OK:
		if ((st & VSVM_PAGE_READONLY) && vsvm_access_writes(access))
			return DRM_VSVM_FAULT_ACCESS;
		return DRM_VSVM_FAULT_NONE;
	case DRM_VSVM_PAGE_NO_VMA:
		return DRM_VSVM_FAULT_NO_VMA;
	case DRM_VSVM_PAGE_ACCESS:
		return DRM_VSVM_FAULT_ACCESS;
	case DRM_VSVM_PAGE_NOT_PRESENT:
		return DRM_VSVM_FAULT_NOT_PRESENT;
	case VSVM_PAGE_NOT_MIRRORED:
		return DRM_VSVM_FAULT_NOT_MIRRORED;
	default:
		return DRM_VSVM_FAULT_CPU_FAULT;
	}
}

static u32 vsvm_fault_window_reason(struct vsvm_vm *vm, const struct vsvm_fault *f)
{
	struct drm_gpuva *va = drm_gpuva_find_first(&vm->gpuvm, f->addr, 1);

	if (!va)
		return DRM_VSVM_FAULT_NOT_MIRRORED;
	if (to_vsvm_mapping(va)->readonly && vsvm_access_writes(f->access))
		return DRM_VSVM_FAULT_ACCESS;
	return DRM_VSVM_FAULT_NONE;
}

/* Service every fault of the batches on @list, which all belong to @vm. */
static void vsvm_fault_service_vm(struct vsvm_device *vdev, struct vsvm_vm *vm,
				  struct list_head *list)
{
	struct vsvm_fault_key *keys;
	struct vsvm_fault_batch *b;
	u32 nkeys = 0, n, runs, i, g;
	u8 *status = NULL;
	int err = 0;
	ktime_t t0 = ktime_get();

	list_for_each_entry(b, list, link)
		nkeys += b->count;
	keys = kvmalloc_array(nkeys, sizeof(*keys), GFP_KERNEL | __GFP_RETRY_MAYFAIL);
	if (!keys) {
		err = -ENOMEM;
		goto verdict;
	}
	nkeys = 0;
	list_for_each_entry(b, list, link)
		for (i = 0; i < b->count; i++) {
			keys[nkeys].granule = b->faults[i].addr >> VSVM_HUGE_SHIFT;
			keys[nkeys].write = vsvm_access_writes(b->faults[i].access);
			nkeys++;
		}
	n = vsvm_fault_coalesce(keys, nkeys, &runs);
	status = kvmalloc_array(n, VSVM_GRANULE_PAGES, GFP_KERNEL | __GFP_RETRY_MAYFAIL);
	if (!status) {
		err = -ENOMEM;
		goto verdict;
	}

	mutex_lock(&vm->lock);
	for (g = 0; g < n && !err; g++) {
		struct vsvm_svm_ctx ctx = {
			.read_only = !keys[g].write,
			.devmem_possible = true,
		};

		err = vsvm_svm_service_granule(vm, keys[g].granule, &ctx,
					       status + g * VSVM_GRANULE_PAGES);
		/* Prefetch after the last granule of each run, best effort. */
		if (!err && (g + 1 == n || keys[g + 1].granule != keys[g].granule + 1)) {
			struct vsvm_svm_ctx pctx = {
				.read_only = true,
				.devmem_possible = true,
			};
			u8 scratch[VSVM_GRANULE_PAGES];
			u32 p;

			for (p = 1; p <= vdev->prefetch_granules; p++)
				if (vsvm_svm_service_granule(vm, keys[g].granule + p,
							     &pctx, scratch))
					break;
		}
	}
	vsvm_count(vdev, VSVM_CNT_FAULT_GRANULES, n);

verdict:
	list_for_each_entry(b, list, link) {
		for (i = 0; i < b->count; i++) {
			struct vsvm_fault *f = &b->faults[i];
			struct vsvm_fault_key key = { .granule = f->addr >> VSVM_HUGE_SHIFT };
			struct vsvm_fault_key *k;

			if (f->addr >= vm->window_start && f->addr < vm->window_end) {
				f->reason = err ? DRM_VSVM_FAULT_CPU_FAULT :
					    vsvm_fault_window_reason(vm, f);
			} else if (err == -ESRCH) {
				f->reason = DRM_VSVM_FAULT_PROCESS_EXITED;
			} else if (err == -EBUSY) {
				f->reason = DRM_VSVM_FAULT_NONE; /* replay, fault again */
			} else if (err) {
				f->reason = DRM_VSVM_FAULT_CPU_FAULT;
			} else {
				k = bsearch(&key, keys, n, sizeof(*keys), vsvm_fault_key_cmp);
				f->reason = vsvm_fault_status_reason(status[(k - keys) *
					VSVM_GRANULE_PAGES +
					((f->addr >> PAGE_SHIFT) & (VSVM_GRANULE_PAGES - 1))],
					f->access);
			}
			if (f->reason != DRM_VSVM_FAULT_NONE)
				vsvm_count(vdev, VSVM_CNT_FAULTS_UNRESOLVED, 1);
		}
	}
	if (keys && status)
		mutex_unlock(&vm->lock);
	trace_vsvm_fault_batch(vm->id, nkeys, keys && status ? n : 0,
			       ktime_to_ns(ktime_sub(ktime_get(), t0)));
	kvfree(status);
	kvfree(keys);
}

/* Service every pending batch of @vm; the caller holds its fault mutex. */
static void vsvm_fault_drain(struct vsvm_vm *vm)
{
	struct vsvm_device *vdev = vm->vdev;
	struct vsvm_fault_batch *b, *tmp;
	LIST_HEAD(todo);
	int idx;

	spin_lock(&vm->fault_lock);
	list_splice_init(&vm->fault_pending, &todo);
	spin_unlock(&vm->fault_lock);
	if (list_empty(&todo))
		return;
	if (!drm_dev_enter(&vdev->drm, &idx)) {
		/* Device gone: replay, and the engine sees it at its next slice. */
		list_for_each_entry_safe(b, tmp, &todo, link) {
			list_del(&b->link);
			complete(&b->done);
		}
		return;
	}
	vsvm_count(vdev, VSVM_CNT_FAULT_BATCHES, 1);

	vsvm_fault_service_vm(vdev, vm, &todo);
	/* Other engines' batches: their VM references may go once completed. */
	list_for_each_entry_safe(b, tmp, &todo, link) {
		list_del(&b->link);
		vsvm_record_latency(vdev->fault_lat,
				    ktime_to_ns(ktime_sub(ktime_get(), b->submitted)));
		complete(&b->done);
	}
	drm_dev_exit(idx);
}

/**
 * vsvm_fault_submit() - raise a batch of GPU faults and service it
 * @vdev: the device
 * @batch: the faults; @batch->vm must stay referenced by the caller
 *
 * Queues the batch on its VM and services the VM's pending batches in the
 * caller's context under the VM's fault mutex; if another engine's service
 * of the VM is running, waits for it first (it may have taken this batch
 * along). The faults of one VM never wait behind the service of another
 * VM's (see DOC: GPU page faults).
 *
 * Context: process context (an engine's worker), no locks held. Sleeps
 * until every fault of @batch has a reason.
 */
void vsvm_fault_submit(struct vsvm_device *vdev, struct vsvm_fault_batch *batch)
{
	struct vsvm_vm *vm = batch->vm;
	u32 i;

	init_completion(&batch->done);
	batch->submitted = ktime_get();
	for (i = 0; i < batch->count; i++)
		trace_vsvm_fault(vm->id, batch->faults[i].addr,
				 batch->faults[i].access, batch->engine);
	vsvm_count(vdev, VSVM_CNT_FAULTS, batch->count);

	spin_lock(&vm->fault_lock);
	list_add_tail(&batch->link, &vm->fault_pending);
	spin_unlock(&vm->fault_lock);
	mutex_lock(&vm->fault_mutex);
	vsvm_fault_drain(vm);
	mutex_unlock(&vm->fault_mutex);
	/* Done by now: drained here or by the service that held the mutex. */
	wait_for_completion(&batch->done);
}

/**
 * vsvm_fault_vm_init() - set up the fault state of a new VM
 * @vm: the VM
 */
void vsvm_fault_vm_init(struct vsvm_vm *vm)
{
	spin_lock_init(&vm->fault_lock);
	INIT_LIST_HEAD(&vm->fault_pending);
	mutex_init(&vm->fault_mutex);
}

/**
 * vsvm_fault_vm_fini() - tear down the fault state of a dying VM
 * @vm: the VM, whose last reference is gone
 *
 * Every batch was completed, and every service has returned: a service
 * runs in an engine that holds a reference to the VM until it is done.
 */
void vsvm_fault_vm_fini(struct vsvm_vm *vm)
{
	WARN_ON_ONCE(!list_empty(&vm->fault_pending));
	mutex_destroy(&vm->fault_mutex);
}
