/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_MIGRATE_H__
#define __VSVM_MIGRATE_H__

#include <linux/mm_types.h>
#include <linux/types.h>

struct vsvm_device;
struct vsvm_vm;
struct vsvm_vram_ops;

extern const struct vsvm_vram_ops vsvm_migrate_vram_ops;

int vsvm_migrate_range(struct vsvm_vm *vm, u64 start, u64 end, bool to_vram,
		       u32 granularity, u8 *status);
vm_fault_t vsvm_migrate_to_ram(struct vm_fault *vmf);
void vsvm_migrate_evict_range(struct vsvm_device *vdev, unsigned long start_pfn,
			      unsigned long npages);

#endif /* __VSVM_MIGRATE_H__ */
