/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_PT_H__
#define __VSVM_PT_H__

#include <linux/bits.h>
#include <linux/sizes.h>
#include <linux/types.h>

struct device;

/*
 * Device page table format: four levels of 512 64-bit entries, like x86-64,
 * covering a 48-bit GPU VA. Level 0 entries map 4 KiB, level 1 entries are
 * either a table pointer or a 2 MiB leaf (VSVM_PTE_HUGE).
 */
#define VSVM_PT_LEVELS		4
#define VSVM_PT_SHIFT		9
#define VSVM_PT_ENTRIES		BIT(VSVM_PT_SHIFT)
#define VSVM_VA_BITS		48
#define VSVM_VA_END		BIT_ULL(VSVM_VA_BITS)
#define VSVM_HUGE_SIZE		SZ_2M
#define VSVM_HUGE_SHIFT		21

#define VSVM_PTE_VALID		BIT_ULL(0)
#define VSVM_PTE_READ		BIT_ULL(1)
#define VSVM_PTE_WRITE		BIT_ULL(2)
#define VSVM_PTE_ATOMIC		BIT_ULL(3)
#define VSVM_PTE_HUGE		BIT_ULL(4)
#define VSVM_PTE_VRAM		BIT_ULL(5)
#define VSVM_PTE_UNMANAGED	BIT_ULL(6)
#define VSVM_PTE_TABLE		BIT_ULL(7)
#define VSVM_PTE_ADDR_MASK	GENMASK_ULL(51, 12)

/**
 * struct vsvm_pt - a device page table
 * @root: level-3 table (512 entries), a page of kernel memory.
 * @dev: device the system pages are DMA-mapped for.
 * @tables: number of table pages allocated (for debugfs).
 *
 * Directory entries are only ever added (under the VM's bind lock, and
 * published with release semantics) and freed with the page table, so a
 * walker holding the VM's notifier lock for reading sees either no table or
 * a complete one. Leaf entries are written only with the notifier lock held
 * for writing.
 */
struct vsvm_pt {
	u64 *root;
	struct device *dev;
	unsigned long tables;
};

/**
 * struct vsvm_pt_leaf - result of a page table walk
 * @pte: the leaf entry (0 if none).
 * @size: bytes the leaf maps (4 KiB or 2 MiB), or 4 KiB for a hole.
 */
struct vsvm_pt_leaf {
	u64 pte;
	u64 size;
};

int vsvm_pt_init(struct vsvm_pt *pt, struct device *dev);
void vsvm_pt_fini(struct vsvm_pt *pt);
int vsvm_pt_prepare(struct vsvm_pt *pt, u64 start, u64 end);
struct vsvm_pt_leaf vsvm_pt_lookup(const struct vsvm_pt *pt, u64 va);
int vsvm_pt_set(struct vsvm_pt *pt, u64 va, u64 pte);
int vsvm_pt_set_huge(struct vsvm_pt *pt, u64 va, u64 pte);
unsigned long vsvm_pt_zap(struct vsvm_pt *pt, u64 start, u64 end);

/**
 * vsvm_pte_addr() - the address a leaf entry points at
 * @pte: a leaf entry.
 *
 * Return: DMA address of a system page, or byte offset into VRAM.
 */
static inline u64 vsvm_pte_addr(u64 pte)
{
	return pte & VSVM_PTE_ADDR_MASK;
}

#endif /* __VSVM_PT_H__ */
