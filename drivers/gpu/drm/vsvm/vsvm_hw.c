// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/dma-direct.h>
#include <linux/dma-fence.h>
#include <linux/error-injection.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "vsvm_drv.h"
#include "vsvm_hw.h"
#include "vsvm_isa.h"
#include "vsvm_job.h"
#include "vsvm_vm.h"

/**
 * DOC: Virtual engine
 *
 * An engine executes one job at a time on its own ordered workqueue, the
 * stand-in for the GPU's command processor. It runs the job's invocations
 * in waves of %VSVM_WAVE_SIZE lanes. Each lane is interpreted in slices of
 * at most %VSVM_SLICE_STEPS instructions while the engine holds the VM's
 * notifier lock for reading; every load, store and atomic is translated
 * through a per-engine TLB backed by the VM's device page table, and
 * reaches system memory only through the DMA address in the PTE.
 *
 * A lane whose access misses or lacks permission stops on that instruction
 * (its pc is kept); the engine finishes the slice of the other lanes, drops
 * the lock, raises all faults of the wave as one batch and sleeps until the
 * fault handler has a verdict. Resolved faults are replayed; the first
 * unresolved one ends the job with a fault record.
 *
 * The TLB caches translations tagged with the VM's TLB generation, which
 * invalidation bumps under the notifier lock: no stale entry survives an
 * invalidation, and no access can be in flight while it runs.
 *
 * The job ends when every lane executed END, when the instruction budget
 * runs out, on an exception, or when the scheduler's timeout aborts it (the
 * abort is checked between slices and while faults are outstanding).
 */

struct vsvm_tlb_entry {
	u64 tag;
	u64 gen;
	u64 pte;
	u8 *kaddr;
};

/**
 * struct vsvm_exec_ctx - engine state while a job runs
 * @lanes: the current wave.
 * @faults: faults of the current wave.
 * @fault_lane: lane index of each fault.
 * @tlb: translation cache.
 * @job: the running job.
 */
struct vsvm_exec_ctx {
	struct vsvm_lane lanes[VSVM_WAVE_SIZE];
	struct vsvm_fault faults[VSVM_WAVE_SIZE];
	u32 fault_lane[VSVM_WAVE_SIZE];
	struct vsvm_tlb_entry tlb[VSVM_TLB_ENTRIES];
	struct vsvm_job *job;
};

/**
 * vsvm_hw_ctx_alloc() - allocate an execution context
 *
 * Return: the context or NULL.
 */
struct vsvm_exec_ctx *vsvm_hw_ctx_alloc(void)
{
	return kvzalloc(sizeof(struct vsvm_exec_ctx), GFP_KERNEL);
}
ALLOW_ERROR_INJECTION(vsvm_hw_ctx_alloc, NULL);

/**
 * vsvm_hw_ctx_free() - free an execution context
 * @ctx: the context, may be NULL
 */
void vsvm_hw_ctx_free(struct vsvm_exec_ctx *ctx)
{
	kvfree(ctx);
}

static const char *vsvm_fence_driver_name(struct dma_fence *f)
{
	return VSVM_DRIVER_NAME;
}

static const char *vsvm_fence_timeline_name(struct dma_fence *f)
{
	struct vsvm_engine *eng = container_of(f->lock, struct vsvm_engine, fence_lock);

	return eng->name;
}

static const struct dma_fence_ops vsvm_hw_fence_ops = {
	.get_driver_name = vsvm_fence_driver_name,
	.get_timeline_name = vsvm_fence_timeline_name,
};

/**
 * vsvm_hw_fence_create() - a hardware fence of @eng
 * @eng: the engine
 *
 * Return: the fence or NULL.
 */
struct dma_fence *vsvm_hw_fence_create(struct vsvm_engine *eng)
{
	struct dma_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);
	unsigned long flags;

	if (!f)
		return NULL;
	spin_lock_irqsave(&eng->fence_lock, flags);
	dma_fence_init(f, &vsvm_hw_fence_ops, &eng->fence_lock,
		       eng->fence_context, ++eng->fence_seqno);
	spin_unlock_irqrestore(&eng->fence_lock, flags);
	return f;
}

static void *vsvm_hw_translate(void *priv, u64 addr, u32 size, u32 access)
{
	struct vsvm_exec_ctx *ctx = priv;
	struct vsvm_vm *vm = ctx->job->vm;
	u64 page = addr >> PAGE_SHIFT;
	struct vsvm_tlb_entry *e = &ctx->tlb[page % VSVM_TLB_ENTRIES];

	if (addr >= VSVM_VA_END)
		return ERR_PTR(-ENXIO);

	if (e->tag != page + 1 || e->gen != vm->tlb_gen) {
		struct vsvm_pt_leaf leaf = vsvm_pt_lookup(&vm->pt, addr);
		u64 off = addr & (leaf.size - 1) & PAGE_MASK;

		if (!(leaf.pte & VSVM_PTE_VALID))
			return ERR_PTR(-EAGAIN);
		e->tag = page + 1;
		e->gen = vm->tlb_gen;
		e->pte = leaf.pte;
		if (leaf.pte & VSVM_PTE_VRAM)
			e->kaddr = vsvm_vram_kaddr(vm->vdev, vsvm_pte_addr(leaf.pte) + off);
		else
			e->kaddr = phys_to_virt(dma_to_phys(vm->vdev->drm.dev,
							    vsvm_pte_addr(leaf.pte) + off));
	}
	if (access != DRM_VSVM_ACCESS_READ && !(e->pte & VSVM_PTE_WRITE))
		return ERR_PTR(-EAGAIN);
	return e->kaddr + (addr & ~PAGE_MASK);
}

static void vsvm_hw_set_fault(struct vsvm_job_record *rec, const struct vsvm_lane *lane,
			      u64 addr, u32 access, u32 reason)
{
	rec->state = DRM_VSVM_JOB_FAULTED;
	rec->fault_addr = addr;
	rec->fault_access = access;
	rec->fault_reason = reason;
	rec->fault_lane = lane->lane_id;
	rec->fault_pc = lane->pc;
}

/*
 * Run one wave until every lane ended or the job must stop.
 * Returns false when the job is over (state set in the record).
 */
static bool vsvm_hw_run_wave(struct vsvm_job *job, struct vsvm_exec_ctx *ctx,
			     const struct vsvm_isa_env *env, u32 first, u32 n,
			     u64 *budget)
{
	struct vsvm_job_record *rec = job->rec;
	struct vsvm_vm *vm = job->vm;
	DECLARE_BITMAP(active, VSVM_WAVE_SIZE);
	u32 i, nf;

	for (i = 0; i < n; i++) {
		struct vsvm_lane *l = &ctx->lanes[i];

		memset(l->regs, 0, sizeof(l->regs));
		memcpy(l->regs, job->args, sizeof(job->args));
		l->pc = 0;
		l->lane_id = first + i;
	}
	bitmap_fill(active, n);

	while (!bitmap_empty(active, n)) {
		int abort = READ_ONCE(job->abort);

		if (abort) {
			rec->state = abort;
			return false;
		}

		nf = 0;
		down_read(&vm->notifier_lock);
		for_each_set_bit(i, active, n) {
			struct vsvm_lane *l = &ctx->lanes[i];
			struct vsvm_isa_fault f;
			enum vsvm_isa_stop stop;
			u64 steps = 0;

			if (!*budget) {
				up_read(&vm->notifier_lock);
				rec->state = DRM_VSVM_JOB_BUDGET;
				return false;
			}
			stop = vsvm_isa_run(env, job->prog, job->count, l,
					    min_t(u64, *budget, VSVM_SLICE_STEPS),
					    &steps, &f);
			*budget -= steps;
			rec->instructions += steps;

			switch (stop) {
			case VSVM_ISA_END:
				clear_bit(i, active);
				break;
			case VSVM_ISA_STEPS:
				break;
			case VSVM_ISA_EXCEPTION:
				up_read(&vm->notifier_lock);
				rec->state = DRM_VSVM_JOB_EXCEPTION;
				rec->fault_lane = l->lane_id;
				rec->fault_pc = l->pc;
				return false;
			case VSVM_ISA_FAULT:
				if (f.err != -EAGAIN) {
					up_read(&vm->notifier_lock);
					vsvm_hw_set_fault(rec, l, f.addr, f.access,
							  f.err == -ENXIO ?
							  DRM_VSVM_FAULT_NOT_MIRRORED :
							  DRM_VSVM_FAULT_ALIGNMENT);
					return false;
				}
				ctx->faults[nf].addr = f.addr;
				ctx->faults[nf].access = f.access;
				ctx->faults[nf].reason = DRM_VSVM_FAULT_NONE;
				ctx->fault_lane[nf++] = i;
				break;
			}
		}
		up_read(&vm->notifier_lock);

		if (nf) {
			struct vsvm_fault_batch batch = {
				.vm = vm,
				.faults = ctx->faults,
				.count = nf,
				.engine = job->engine->id,
			};

			/* Not counted against the job timeout (DOC: Jobs and scheduling). */
			vsvm_job_fault_wait_begin(job);
			vsvm_fault_submit(job->engine->vdev, &batch);
			vsvm_job_fault_wait_end(job);
			rec->faults += nf;
			for (i = 0; i < nf; i++) {
				struct vsvm_fault *f = &ctx->faults[i];

				if (f->reason == DRM_VSVM_FAULT_NONE)
					continue;
				vsvm_hw_set_fault(rec, &ctx->lanes[ctx->fault_lane[i]],
						  f->addr, f->access, f->reason);
				return false;
			}
		}
		cond_resched();
	}
	return true;
}

/**
 * vsvm_hw_run() - execute a job on its engine and signal its hardware fence
 * @job: the job
 *
 * Context: the engine's workqueue; may sleep.
 */
void vsvm_hw_run(struct vsvm_job *job)
{
	struct vsvm_engine *eng = job->engine;
	struct vsvm_device *vdev = eng->vdev;
	struct vsvm_exec_ctx *ctx = job->ctx;
	struct vsvm_job_record *rec = job->rec;
	struct vsvm_isa_env env = {
		.translate = vsvm_hw_translate,
		.priv = ctx,
		.lane_count = job->invocations,
		.engine_id = eng->id,
		.device_id = vdev->index,
	};
	u64 budget = job->budget;
	ktime_t t0 = ktime_get();
	u32 first;
	s64 ns;
	int err = 0;

	ctx->job = job;
	memset(ctx->tlb, 0, sizeof(ctx->tlb));
	rec->state = DRM_VSVM_JOB_DONE;
	for (first = 0; first < job->invocations; first += VSVM_WAVE_SIZE)
		if (!vsvm_hw_run_wave(job, ctx, &env, first,
				      min_t(u32, VSVM_WAVE_SIZE, job->invocations - first),
				      &budget))
			break;

	ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	atomic64_add(ns, &eng->busy_ns);
	atomic64_add(ns, &job->client->engine_ns[eng->id]);
	vsvm_count(vdev, VSVM_CNT_JOBS, 1);

	switch (rec->state) {
	case DRM_VSVM_JOB_DONE:
		break;
	case DRM_VSVM_JOB_FAULTED:
		err = -EFAULT;
		break;
	case DRM_VSVM_JOB_TIMEOUT:
		err = -ETIMEDOUT;
		break;
	case DRM_VSVM_JOB_BUDGET:
		err = -ENOSPC;
		break;
	case DRM_VSVM_JOB_CANCELED:
		err = -ECANCELED;
		break;
	default:
		err = -EIO;
		break;
	}
	if (err) {
		vsvm_count(vdev, VSVM_CNT_JOB_ERRORS, 1);
		dma_fence_set_error(job->hw_fence, err);
	}
	/* The record is complete before anyone can see the fence signalled. */
	smp_wmb();
	dma_fence_signal(job->hw_fence);
}
