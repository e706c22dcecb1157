// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/dma-mapping.h>
#include <linux/error-injection.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <kunit/visibility.h>

#include "vsvm_pt.h"

/**
 * DOC: Device page table
 *
 * Each VM owns a four-level radix page table in kernel memory, the format
 * the virtual MMU walks (``vsvm_pt.h``). Directory entries hold the
 * physical address of the next table and %VSVM_PTE_TABLE; leaves hold the
 * target and the permission bits. A level-1 leaf (%VSVM_PTE_HUGE) maps
 * 2 MiB, used when the CPU maps a whole granule with a THP, a hugetlbfs
 * page or a DAX PMD.
 *
 * System pages are DMA-mapped for the device before they are written into
 * a leaf and unmapped when the leaf is zapped; the unmanaged window's GEM
 * leaves (%VSVM_PTE_UNMANAGED) borrow the DMA addresses of the object's
 * scatter table and are not unmapped here.
 */

static unsigned int vsvm_pt_index(u64 va, int level)
{
	return (va >> (PAGE_SHIFT + level * VSVM_PT_SHIFT)) & (VSVM_PT_ENTRIES - 1);
}

static u64 *vsvm_pt_table(u64 entry)
{
	return __va(entry & VSVM_PTE_ADDR_MASK);
}

static noinline u64 *vsvm_pt_alloc_table(struct vsvm_pt *pt, gfp_t gfp)
{
	u64 *t = (u64 *)get_zeroed_page(gfp);

	if (t)
		pt->tables++;
	return t;
}
ALLOW_ERROR_INJECTION(vsvm_pt_alloc_table, NULL);

/**
 * vsvm_pt_init() - create an empty page table
 * @pt: the page table
 * @dev: device that system pages are DMA-mapped for
 *
 * Return: 0 or -ENOMEM.
 */
int vsvm_pt_init(struct vsvm_pt *pt, struct device *dev)
{
	pt->tables = 0;
	pt->dev = dev;
	pt->root = vsvm_pt_alloc_table(pt, GFP_KERNEL);
	return pt->root ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_pt_init);

static void vsvm_pt_free_level(u64 *t, int level)
{
	unsigned int i;

	if (level > 0) {
		for (i = 0; i < VSVM_PT_ENTRIES; i++)
			if (t[i] & VSVM_PTE_TABLE)
				vsvm_pt_free_level(vsvm_pt_table(t[i]), level - 1);
	}
	free_page((unsigned long)t);
}

/**
 * vsvm_pt_fini() - free a page table
 * @pt: the page table; every leaf must have been zapped already
 */
void vsvm_pt_fini(struct vsvm_pt *pt)
{
	if (pt->root)
		vsvm_pt_free_level(pt->root, VSVM_PT_LEVELS - 1);
	pt->root = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_pt_fini);

/*
 * Find (or, with @gfp, create) the table at @level that holds @va's entry.
 * Returns NULL when a table is missing and cannot be created, or when a
 * huge leaf sits above the requested level.
 */
static u64 *vsvm_pt_walk(struct vsvm_pt *pt, u64 va, int level, gfp_t gfp)
{
	u64 *t = pt->root;
	int l;

	for (l = VSVM_PT_LEVELS - 1; l > level; l--) {
		u64 *slot = &t[vsvm_pt_index(va, l)];
		/* Pairs with the release below: see a table only when zeroed. */
		u64 e = smp_load_acquire(slot);

		if (!(e & VSVM_PTE_TABLE)) {
			u64 *nt;

			if (!gfp || (e & VSVM_PTE_VALID))
				return NULL;
			nt = vsvm_pt_alloc_table(pt, gfp);
			if (!nt)
				return NULL;
			e = __pa(nt) | VSVM_PTE_TABLE;
			/* Publish the zeroed table to lockless walkers. */
			smp_store_release(slot, e);
		}
		t = vsvm_pt_table(e);
	}
	return t;
}

/**
 * vsvm_pt_prepare() - allocate the tables that will hold [start, end)
 * @pt: the page table
 * @start: first byte
 * @end: end, exclusive
 *
 * Allocates with GFP_KERNEL, so it must be called without the notifier lock
 * (which is taken in reclaim); serialised by the VM's bind lock. Granules
 * already mapped by a huge leaf are skipped. The allocations may fail
 * rather than invoke the OOM killer (__GFP_RETRY_MAYFAIL): a GPU fault
 * runs on behalf of a process that may itself be the OOM victim, and must
 * not make the OOM killer pick another one.
 *
 * Return: 0 or -ENOMEM.
 */
int vsvm_pt_prepare(struct vsvm_pt *pt, u64 start, u64 end)
{
	u64 va;

	const gfp_t gfp = GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;

	for (va = start & ~(u64)(VSVM_HUGE_SIZE - 1); va < end; va += VSVM_HUGE_SIZE) {
		u64 *l1 = vsvm_pt_walk(pt, va, 1, gfp);

		if (!l1)
			return -ENOMEM;
		if (READ_ONCE(l1[vsvm_pt_index(va, 1)]) & VSVM_PTE_HUGE)
			continue;
		if (!vsvm_pt_walk(pt, va, 0, gfp))
			return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_pt_prepare);

/**
 * vsvm_pt_lookup() - walk the table like the device MMU does
 * @pt: the page table
 * @va: GPU virtual address
 *
 * Context: notifier lock held (read or write).
 * Return: the leaf and the size it maps; a zero pte for a hole.
 */
struct vsvm_pt_leaf vsvm_pt_lookup(const struct vsvm_pt *pt, u64 va)
{
	struct vsvm_pt_leaf leaf = { .pte = 0, .size = PAGE_SIZE };
	u64 *t = pt->root;
	int l;

	if (va >= VSVM_VA_END)
		return leaf;
	for (l = VSVM_PT_LEVELS - 1; l >= 0; l--) {
		/* Pairs with the table publication in vsvm_pt_walk(). */
		u64 e = smp_load_acquire(&t[vsvm_pt_index(va, l)]);

		if (e & VSVM_PTE_TABLE) {
			t = vsvm_pt_table(e);
			continue;
		}
		if (l == 1 && (e & VSVM_PTE_HUGE))
			leaf.size = VSVM_HUGE_SIZE;
		if (l <= 1)
			leaf.pte = e;
		break;
	}
	return leaf;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_pt_lookup);

static void vsvm_pt_unmap_leaf(struct vsvm_pt *pt, u64 pte, u64 size)
{
	if (!(pte & VSVM_PTE_VALID) || (pte & (VSVM_PTE_VRAM | VSVM_PTE_UNMANAGED)))
		return;
	if (pt->dev)
		dma_unmap_page(pt->dev, vsvm_pte_addr(pte), size, DMA_BIDIRECTIONAL);
}

/**
 * vsvm_pt_set() - write a 4 KiB leaf
 * @pt: the page table
 * @va: page-aligned GPU virtual address
 * @pte: the new leaf (VALID and permission bits, address)
 *
 * A previous 4 KiB leaf is replaced (and its DMA mapping released). A huge
 * leaf covering @va is zapped first; the level-0 table it needs is then
 * allocated without sleeping.
 *
 * Context: notifier lock held for writing.
 * Return: 0, or -EAGAIN if a table is missing and could not be allocated
 * atomically (call vsvm_pt_prepare() without the lock and retry).
 */
int vsvm_pt_set(struct vsvm_pt *pt, u64 va, u64 pte)
{
	u64 *l1 = vsvm_pt_walk(pt, va, 1, GFP_NOWAIT | __GFP_NOWARN);
	u64 *l0, *slot;

	if (!l1)
		return -EAGAIN;
	slot = &l1[vsvm_pt_index(va, 1)];
	if (*slot & VSVM_PTE_HUGE) {
		vsvm_pt_unmap_leaf(pt, *slot, VSVM_HUGE_SIZE);
		WRITE_ONCE(*slot, 0);
	}
	l0 = vsvm_pt_walk(pt, va, 0, GFP_NOWAIT | __GFP_NOWARN);
	if (!l0)
		return -EAGAIN;
	slot = &l0[vsvm_pt_index(va, 0)];
	vsvm_pt_unmap_leaf(pt, *slot, PAGE_SIZE);
	WRITE_ONCE(*slot, pte);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_pt_set);

/**
 * vsvm_pt_set_huge() - write a 2 MiB leaf
 * @pt: the page table
 * @va: 2 MiB aligned GPU virtual address
 * @pte: the new leaf, without %VSVM_PTE_HUGE (added here)
 *
 * Replaces whatever mapped the granule: 4 KiB leaves are released and their
 * table freed.
 *
 * Context: notifier lock held for writing.
 * Return: 0, -EINVAL if @va is not aligned, -EAGAIN as vsvm_pt_set().
 */
int vsvm_pt_set_huge(struct vsvm_pt *pt, u64 va, u64 pte)
{
	u64 *l1 = vsvm_pt_walk(pt, va, 1, GFP_NOWAIT | __GFP_NOWARN);
	u64 *slot;

	if (va & (VSVM_HUGE_SIZE - 1))
		return -EINVAL;
	if (!l1)
		return -EAGAIN;
	slot = &l1[vsvm_pt_index(va, 1)];
	if (*slot & VSVM_PTE_TABLE) {
		u64 *l0 = vsvm_pt_table(*slot);
		unsigned int i;

		for (i = 0; i < VSVM_PT_ENTRIES; i++)
			vsvm_pt_unmap_leaf(pt, l0[i], PAGE_SIZE);
		WRITE_ONCE(*slot, 0);
		free_page((unsigned long)l0);
		pt->tables--;
	} else {
		vsvm_pt_unmap_leaf(pt, *slot, VSVM_HUGE_SIZE);
	}
	WRITE_ONCE(*slot, pte | VSVM_PTE_HUGE);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_pt_set_huge);

/**
 * vsvm_pt_zap() - clear every leaf in [start, end)
 * @pt: the page table
 * @start: first byte
 * @end: end, exclusive
 *
 * A huge leaf that overlaps the range is zapped whole. Tables are kept.
 *
 * Context: notifier lock held for writing; never allocates.
 * Return: number of 4 KiB pages that were mapped and are no longer.
 */
unsigned long vsvm_pt_zap(struct vsvm_pt *pt, u64 start, u64 end)
{
	unsigned long zapped = 0;
	u64 va = start;

	end = min_t(u64, end, VSVM_VA_END);
	while (va < end) {
		u64 next = min_t(u64, (va | (VSVM_HUGE_SIZE - 1)) + 1, end);
		u64 *l1 = vsvm_pt_walk(pt, va, 1, 0);
		u64 *slot, *l0;

		if (!l1)
			goto next;
		slot = &l1[vsvm_pt_index(va, 1)];
		if (*slot & VSVM_PTE_HUGE) {
			vsvm_pt_unmap_leaf(pt, *slot, VSVM_HUGE_SIZE);
			WRITE_ONCE(*slot, 0);
			zapped += VSVM_PT_ENTRIES;
			goto next;
		}
		if (!(*slot & VSVM_PTE_TABLE))
			goto next;
		l0 = vsvm_pt_table(*slot);
		for (; va < next; va += PAGE_SIZE) {
			u64 *e = &l0[vsvm_pt_index(va, 0)];

			if (!(*e & VSVM_PTE_VALID))
				continue;
			vsvm_pt_unmap_leaf(pt, *e, PAGE_SIZE);
			WRITE_ONCE(*e, 0);
			zapped++;
		}
next:
		va = next;
	}
	return zapped;
}
EXPORT_SYMBOL_IF_KUNIT(vsvm_pt_zap);
