/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_SVM_H__
#define __VSVM_SVM_H__

#include <linux/types.h>

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

bool vsvm_svm_mm_leaving(struct mm_struct *mm);
bool vsvm_svm_mm_get(struct vsvm_vm *vm);
int vsvm_svm_populate(struct vsvm_vm *vm, struct vsvm_mirror *m, u64 start,
		      u64 end, bool write, bool snapshot, u8 *status);
int vsvm_svm_service_granule(struct vsvm_vm *vm, u64 granule, bool write,
			     u8 *status);
void vsvm_svm_remove_mirror(struct vsvm_vm *vm, struct vsvm_mirror *m);

#endif /* __VSVM_SVM_H__ */
