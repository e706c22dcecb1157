/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_MIGRATE_H__
#define __VSVM_MIGRATE_H__

#include <linux/mm_types.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct vsvm_device;
struct vsvm_migrate_buf;
struct vsvm_migrate_job;
struct vsvm_range;
struct vsvm_vm;
struct vsvm_vram_ops;

/* Parallel migration workers of one VM, at most (one per online CPU). */
#define VSVM_MIGRATE_MAX_WORKERS	8

/**
 * struct vsvm_migrate_worker - one worker of a parallel migration
 * @work: the work item (unused by worker 0, the caller itself).
 * @job: the migration it works on, set before @work is queued.
 * @buf: its migrate_vma arrays.
 */
struct vsvm_migrate_worker {
	struct work_struct work;
	struct vsvm_migrate_job *job;
	struct vsvm_migrate_buf *buf;
};

/**
 * struct vsvm_migrate_bufs - a VM's preallocated migration arrays
 * @nbufs: workers with arrays (allocated on first use).
 * @workers: the workers.
 *
 * Protected by the VM's bind lock (&vsvm_vm.lock), which every migration
 * of the VM holds from start to end.
 */
struct vsvm_migrate_bufs {
	unsigned int nbufs;
	struct vsvm_migrate_worker workers[VSVM_MIGRATE_MAX_WORKERS];
};

extern const struct vsvm_vram_ops vsvm_migrate_vram_ops;

/**
 * struct vsvm_migrate_bind - map what a migration to VRAM moved, without a walk
 * @ranges: the range of each 2 MiB chunk of the migrated range, in order
 *	(vsvm_svm_ranges_get()).
 * @status: one byte per page of the migrated range: the populate status of
 *	each page mapped (vsvm_svm_bind_migrated()); others are not written.
 */
struct vsvm_migrate_bind {
	struct vsvm_range **ranges;
	u8 *status;
};

int vsvm_migrate_range(struct vsvm_vm *vm, u64 start, u64 end, bool to_vram,
		       u32 granularity, u8 *status, const struct vsvm_migrate_bind *bind);
unsigned int vsvm_migrate_workers(struct vsvm_vm *vm, u64 start, u64 end);
void vsvm_migrate_vm_fini(struct vsvm_vm *vm);
#if IS_ENABLED(CONFIG_KUNIT)
unsigned long vsvm_migrate_nchunks(u64 start, u64 end);
void vsvm_migrate_chunk(u64 start, u64 end, unsigned long i, u64 *cs, u64 *ce);
#endif
vm_fault_t vsvm_migrate_to_ram(struct vm_fault *vmf);
void vsvm_migrate_evict_range(struct vsvm_device *vdev, unsigned long start_pfn,
			      unsigned long npages);

#endif /* __VSVM_MIGRATE_H__ */
