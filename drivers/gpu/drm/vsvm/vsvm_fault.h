/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_FAULT_H__
#define __VSVM_FAULT_H__

#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/types.h>

struct vsvm_device;
struct vsvm_vm;

/**
 * struct vsvm_fault - one GPU page fault
 * @addr: faulting GPU virtual address.
 * @access: DRM_VSVM_ACCESS_*.
 * @reason: out, DRM_VSVM_FAULT_NONE when resolved (the access can be
 *	replayed), else why it cannot be.
 */
struct vsvm_fault {
	u64 addr;
	u32 access;
	u32 reason;
};

/**
 * struct vsvm_fault_batch - the faults one engine raised at once
 * @link: entry in &vsvm_vm.fault_pending.
 * @vm: VM of the faulting job.
 * @faults: the faults.
 * @count: number of @faults.
 * @engine: raising engine.
 * @submitted: when the batch was queued (latency histogram).
 * @done: completed by the service when every fault has a reason.
 */
struct vsvm_fault_batch {
	struct list_head link;
	struct vsvm_vm *vm;
	struct vsvm_fault *faults;
	u32 count;
	u32 engine;
	ktime_t submitted;
	struct completion done;
};

/**
 * struct vsvm_fault_key - a granule that needs servicing
 * @granule: granule index (va >> 21).
 * @write: some fault in it needs write access.
 */
struct vsvm_fault_key {
	u64 granule;
	bool write;
};

void vsvm_fault_submit(struct vsvm_device *vdev, struct vsvm_fault_batch *batch);
void vsvm_fault_vm_init(struct vsvm_vm *vm);
void vsvm_fault_vm_fini(struct vsvm_vm *vm);
u32 vsvm_fault_coalesce(struct vsvm_fault_key *keys, u32 count, u32 *runs);

#endif /* __VSVM_FAULT_H__ */
