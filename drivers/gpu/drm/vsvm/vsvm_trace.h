/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#if !defined(__VSVM_TRACE_H__) || defined(TRACE_HEADER_MULTI_READ)
#define __VSVM_TRACE_H__

#include <linux/tracepoint.h>
#include <linux/types.h>

#undef TRACE_SYSTEM
#define TRACE_SYSTEM vsvm
#define TRACE_INCLUDE_FILE vsvm_trace

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
