/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#if !defined(__VSVM_TRACE_H__) || defined(TRACE_HEADER_MULTI_READ)
#define __VSVM_TRACE_H__

#include <linux/tracepoint.h>
#include <linux/types.h>

#undef TRACE_SYSTEM
#define TRACE_SYSTEM vsvm
#define TRACE_INCLUDE_FILE vsvm_trace

/*
 * The events of the "vsvm" trace system (tracefs events/vsvm/), one per
 * step of the SVM data path. Documentation/gpu/vsvm.rst has them in a
 * table. VM ids are the handles DRM_IOCTL_VSVM_VM_CREATE returned in the
 * creating file (unique per file, not per device); addresses are GPU
 * virtual addresses, which equal the CPU addresses in mirrors.
 */

/*
 * vsvm_fault - an engine raised a GPU page fault
 *
 * Emitted once per faulting access when the engine raises its batch of
 * faults, before it services them.
 *
 * @vm: VM id of the job.
 * @addr: faulting GPU virtual address (byte).
 * @access: DRM_VSVM_ACCESS_READ (1), _WRITE (2) or _ATOMIC (3).
 * @engine: index of the engine running the job.
 */
TRACE_EVENT(vsvm_fault,
	    TP_PROTO(u32 vm, u64 addr, u32 access, u32 engine),
	    TP_ARGS(vm, addr, access, engine),
	    TP_STRUCT__entry(__field(u32, vm)
			     __field(u64, addr)
			     __field(u32, access)
			     __field(u32, engine)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->addr = addr;
			   __entry->access = access;
			   __entry->engine = engine;),
	    TP_printk("vm=%u addr=0x%llx access=%u engine=%u",
		      __entry->vm, __entry->addr, __entry->access, __entry->engine)
);

/*
 * vsvm_fault_batch - the pending faults of one VM were serviced
 *
 * Emitted once per VM each time an engine's fault service drains the VM's
 * pending batches, after the verdicts are set, so @ns is the service time
 * of the whole batch.
 *
 * @faults: faults of the VM taken from the queue (all engines).
 * @granules: 2 MiB granules serviced after coalescing, 0 when the
 *	handler could not allocate its work arrays (every fault then ends
 *	its job).
 * @ns: time spent servicing them, in nanoseconds.
 */
TRACE_EVENT(vsvm_fault_batch,
	    TP_PROTO(u32 vm, u32 faults, u32 granules, u64 ns),
	    TP_ARGS(vm, faults, granules, ns),
	    TP_STRUCT__entry(__field(u32, vm)
			     __field(u32, faults)
			     __field(u32, granules)
			     __field(u64, ns)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->faults = faults;
			   __entry->granules = granules;
			   __entry->ns = ns;),
	    TP_printk("vm=%u faults=%u granules=%u ns=%llu", __entry->vm,
		      __entry->faults, __entry->granules, __entry->ns)
);

/*
 * vsvm_invalidate - an mmu notifier invalidated part of a mirrored range
 *
 * Emitted for every invalidation callback of a range's interval notifier
 * that took the notifier lock, whether or not it had mappings to zap.
 *
 * @vm: VM id.
 * @start: first byte invalidated (clipped to the range).
 * @end: end of the invalidation, exclusive (clipped to the range).
 * @event: &enum mmu_notifier_event of the invalidation (0 UNMAP, 1 CLEAR,
 *	2 PROTECTION_VMA, 3 PROTECTION_PAGE, 4 SOFT_DIRTY, 5 RELEASE,
 *	6 MIGRATE, 7 EXCLUSIVE in Linux 6.12).
 * @zapped: 4 KiB pages whose device mapping was removed; non-zero also
 *	means the TLBs were flushed.
 */
TRACE_EVENT(vsvm_invalidate,
	    TP_PROTO(u32 vm, u64 start, u64 end, u32 event, unsigned long zapped),
	    TP_ARGS(vm, start, end, event, zapped),
	    TP_STRUCT__entry(__field(u32, vm)
			     __field(u64, start)
			     __field(u64, end)
			     __field(u32, event)
			     __field(unsigned long, zapped)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->event = event;
			   __entry->zapped = zapped;),
	    TP_printk("vm=%u [0x%llx, 0x%llx) event=%u zapped=%lu",
		      __entry->vm, __entry->start, __entry->end,
		      __entry->event, __entry->zapped)
);

/*
 * vsvm_range_gc - the garbage collector frees a range
 *
 * Emitted when a range whose CPU mapping was unmapped whole is freed, its
 * notifier removed (see DOC: Partial unmapping).
 *
 * @vm: VM id.
 * @start: first byte of the range.
 * @end: end of the range, exclusive.
 */
TRACE_EVENT(vsvm_range_gc,
	    TP_PROTO(u32 vm, u64 start, u64 end),
	    TP_ARGS(vm, start, end),
	    TP_STRUCT__entry(__field(u32, vm)
			     __field(u64, start)
			     __field(u64, end)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->start = start;
			   __entry->end = end;),
	    TP_printk("vm=%u [0x%llx, 0x%llx)",
		      __entry->vm, __entry->start, __entry->end)
);

/*
 * vsvm_map - device PTEs written for part of a mirror
 *
 * Emitted when fault service or PREFETCH has written the device page
 * table for one chunk (at most a 2 MiB granule) under the notifier lock.
 *
 * @vm: VM id.
 * @start: first byte of the chunk.
 * @end: end of the chunk, exclusive.
 * @pages: 4 KiB pages now mapped (a 2 MiB PTE counts 512); pages not
 *	present in the CPU page table are not counted.
 * @huge: the chunk was mapped with one 2 MiB PTE.
 */
TRACE_EVENT(vsvm_map,
	    TP_PROTO(u32 vm, u64 start, u64 end, unsigned long pages, bool huge),
	    TP_ARGS(vm, start, end, pages, huge),
	    TP_STRUCT__entry(__field(u32, vm)
			     __field(u64, start)
			     __field(u64, end)
			     __field(unsigned long, pages)
			     __field(bool, huge)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->pages = pages;
			   __entry->huge = huge;),
	    TP_printk("vm=%u [0x%llx, 0x%llx) pages=%lu huge=%d",
		      __entry->vm, __entry->start, __entry->end,
		      __entry->pages, __entry->huge)
);

/*
 * vsvm_migrate - one chunk migrated between system memory and VRAM
 *
 * Emitted after each migrate_vma pass (at most a 2 MiB granule) of
 * PREFETCH, a GPU fault with a preferred location, or a CPU fault on a
 * VRAM page (migrate_to_ram). Eviction and device removal are not traced
 * here (they count in debugfs).
 *
 * @dev: index of the device whose VRAM is the destination (to VRAM) or
 *	the source (to system).
 * @to_vram: direction: true for system (or another device's VRAM) to
 *	this device's VRAM, false for VRAM to system memory.
 * @start: first byte of the chunk.
 * @pages: 4 KiB pages actually moved (pages that were busy, not
 *	migratable or already in place are not counted).
 * @ns: time the pass took, in nanoseconds.
 */
TRACE_EVENT(vsvm_migrate,
	    TP_PROTO(u32 dev, bool to_vram, u64 start, unsigned long pages, u64 ns),
	    TP_ARGS(dev, to_vram, start, pages, ns),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(bool, to_vram)
			     __field(u64, start)
			     __field(unsigned long, pages)
			     __field(u64, ns)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->to_vram = to_vram;
			   __entry->start = start;
			   __entry->pages = pages;
			   __entry->ns = ns;),
	    TP_printk("dev=%u %s start=0x%llx pages=%lu ns=%llu", __entry->dev,
		      __entry->to_vram ? "to_vram" : "to_system", __entry->start,
		      __entry->pages, __entry->ns)
);

/*
 * vsvm_job_timeout - the scheduler's job timeout fired on a running job
 *
 * The time the job spent waiting for fault service does not count toward
 * the timeout (DOC: Jobs in vsvm_job.c): the event shows the decision.
 *
 * @dev: device index.
 * @engine: engine index.
 * @on_engine_ns: time since the engine started the job, in nanoseconds.
 * @fault_wait_ns: part of it spent waiting for fault service.
 * @hung: true: the job is killed (TIMEOUT); false: the timeout is armed
 *	again.
 */
TRACE_EVENT(vsvm_job_timeout,
	    TP_PROTO(u32 dev, u32 engine, s64 on_engine_ns, s64 fault_wait_ns, bool hung),
	    TP_ARGS(dev, engine, on_engine_ns, fault_wait_ns, hung),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, engine)
			     __field(s64, on_engine_ns)
			     __field(s64, fault_wait_ns)
			     __field(bool, hung)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->engine = engine;
			   __entry->on_engine_ns = on_engine_ns;
			   __entry->fault_wait_ns = fault_wait_ns;
			   __entry->hung = hung;),
	    TP_printk("dev=%u engine=%u on_engine_ns=%lld fault_wait_ns=%lld %s",
		      __entry->dev, __entry->engine, __entry->on_engine_ns,
		      __entry->fault_wait_ns, __entry->hung ? "killed" : "deferred")
);

#endif /* __VSVM_TRACE_H__ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#include <trace/define_trace.h>
