// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/dma-direct.h>
#include <linux/dma-fence.h>
#include <linux/error-injection.h>
#include <linux/moduleparam.h>
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
 * stand-in for the GPU's command processor. It runs a job in *waves*, sets
 * of lanes it interleaves: a flat job in waves of %VSVM_WAVE_SIZE lanes
 * (each its own work-group of one lane), a work-group job one work-group
 * per wave, all of its lanes at once, with the group's local memory zeroed
 * before it starts. All groups of a job run on its engine, one after
 * another. Each lane is interpreted in slices of
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
 * Fast path (on unless the device's debugfs knob ``stepping`` is set; read
 * at the start of each job): the program is decoded once when the job is submitted
 * (vsvm_isa_decode()); each lane keeps its last translated page, tagged
 * with the same TLB generation, so a hit makes no call at all; and
 * straight-line runs of loads and stores off one base register execute as
 * one loop after a single translation, falling back to one instruction at
 * a time whenever an access of the run could fault, so faults, their
 * replay and the job record are exactly those of stepping. debugfs
 * ``vsvm_counters`` shows ``insns``, ``interp_ns`` (time in slices, fault
 * waits excluded) and ``interp_ps_per_insn``.
 *
 * Barriers: a lane that executes BARRIER leaves the set of runnable lanes
 * and waits; when every lane of the group waits at the same BARRIER, all
 * become runnable again. Since every lane of a group is either runnable,
 * waiting or ended, a barrier that cannot complete is seen at once: a lane
 * ending while others wait, a lane reaching a barrier after another ended,
 * or lanes waiting at different barriers end the job with an exception
 * (vsvm_isa_group_barrier()). No lane can wait forever.
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
 * @nlanes: lanes of a wave (the size of the arrays below).
 * @lanes: the current wave.
 * @faults: faults of the current wave.
 * @fault_lane: lane index of each fault.
 * @runnable: lanes that neither ended nor wait at a barrier.
 * @local: local memory of the running work-group.
 * @scratch: scratch memory, &vsvm_job.scratch_size bytes per lane.
 * @group: barrier state of the running work-group.
 * @tlb: translation cache.
 * @dec: the job's program decoded by vsvm_isa_decode().
 * @job: the running job.
 */
struct vsvm_exec_ctx {
	u32 nlanes;
	struct vsvm_lane *lanes;
	struct vsvm_fault *faults;
	u32 *fault_lane;
	unsigned long *runnable;
	u8 *local;
	u8 *scratch;
	struct vsvm_isa_group group;
	struct vsvm_tlb_entry tlb[VSVM_TLB_ENTRIES];
	struct vsvm_isa_insn *dec;
	struct vsvm_job *job;
};

/* Lanes the engine interleaves for @job. */
static u32 vsvm_hw_wave_lanes(const struct vsvm_job *job)
{
	if (job->groups)
		return job->group_lanes;
	return min_t(u32, job->invocations, VSVM_WAVE_SIZE);
}

/**
 * vsvm_hw_ctx_alloc() - allocate an execution context
 * @job: the job it is for (its shape is known)
 *
 * Return: the context or NULL.
 */
struct vsvm_exec_ctx *vsvm_hw_ctx_alloc(const struct vsvm_job *job)
{
	struct vsvm_exec_ctx *ctx = kvzalloc(sizeof(*ctx), GFP_KERNEL);
	u32 n = vsvm_hw_wave_lanes(job);

	if (!ctx)
		return NULL;
	ctx->nlanes = n;
	ctx->lanes = kvcalloc(n, sizeof(*ctx->lanes), GFP_KERNEL);
	ctx->faults = kvcalloc(n, sizeof(*ctx->faults), GFP_KERNEL);
	ctx->fault_lane = kvcalloc(n, sizeof(*ctx->fault_lane), GFP_KERNEL);
	ctx->runnable = bitmap_zalloc(n, GFP_KERNEL);
	/* The program was validated at submission; decode it once. */
	ctx->dec = kvmalloc_array(job->count, sizeof(*ctx->dec), GFP_KERNEL_ACCOUNT);
	if (ctx->dec)
		vsvm_isa_decode(job->prog, job->count, ctx->dec);
	/* Sized by userspace: charged to its memory cgroup. */
	if (job->local_size)
		ctx->local = kvzalloc(job->local_size, GFP_KERNEL_ACCOUNT);
	/* Zeroed: a lane never sees another job's data. */
	if (job->scratch_size)
		ctx->scratch = kvzalloc((size_t)job->scratch_size * n, GFP_KERNEL_ACCOUNT);
	if (!ctx->lanes || !ctx->faults || !ctx->fault_lane || !ctx->runnable || !ctx->dec ||
	    (job->local_size && !ctx->local) ||
	    (job->scratch_size && !ctx->scratch)) {
		vsvm_hw_ctx_free(ctx);
		return NULL;
	}
	return ctx;
}
ALLOW_ERROR_INJECTION(vsvm_hw_ctx_alloc, NULL);

/**
 * vsvm_hw_ctx_free() - free an execution context
 * @ctx: the context, may be NULL
 */
void vsvm_hw_ctx_free(struct vsvm_exec_ctx *ctx)
{
	if (!ctx)
		return;
	kvfree(ctx->scratch);
	kvfree(ctx->local);
	kvfree(ctx->dec);
	bitmap_free(ctx->runnable);
	kvfree(ctx->fault_lane);
	kvfree(ctx->faults);
	kvfree(ctx->lanes);
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

static void vsvm_hw_set_exception(struct vsvm_job_record *rec, const struct vsvm_lane *lane,
				  u32 pc, u32 reason)
{
	rec->state = DRM_VSVM_JOB_EXCEPTION;
	rec->fault_reason = reason;
	rec->fault_lane = lane->lane_id;
	rec->fault_pc = pc;
}

/*
 * Lane @i of a work-group executed BARRIER (its pc is past it) or END
 * (@end; its pc is on it). Returns false with the exception in @rec if the
 * barrier can never complete.
 */
static bool vsvm_hw_barrier(struct vsvm_exec_ctx *ctx, struct vsvm_job_record *rec,
			    u32 i, bool end)
{
	struct vsvm_lane *l = &ctx->lanes[i];
	bool release = false;
	u32 pc = end ? l->pc : l->pc - 1;
	u32 exc;

	clear_bit(i, ctx->runnable);
	if (end)
		exc = vsvm_isa_group_end(&ctx->group);
	else
		exc = vsvm_isa_group_barrier(&ctx->group, pc, &release);
	if (exc) {
		vsvm_hw_set_exception(rec, l, pc, exc);
		return false;
	}
	/* Everyone arrived; the barrier's fence was in each BARRIER. */
	if (release)
		bitmap_fill(ctx->runnable, ctx->group.lanes);
	return true;
}

/* Account one round of slices (debugfs vsvm_counters insns, interp_ns). */
static void vsvm_hw_count_slices(struct vsvm_job *job, ktime_t t0, u64 insns0)
{
	struct vsvm_device *vdev = job->engine->vdev;

	vsvm_count(vdev, VSVM_CNT_INTERP_NS, ktime_to_ns(ktime_sub(ktime_get(), t0)));
	vsvm_count(vdev, VSVM_CNT_INSNS, job->rec->instructions - insns0);
}

/*
 * Run one wave of @n lanes until every lane ended or the job must stop: the
 * lanes @first .. @first + @n - 1 of a flat job, or work-group @first.
 * Returns false when the job is over (state set in the record).
 */
static bool vsvm_hw_run_wave(struct vsvm_job *job, struct vsvm_exec_ctx *ctx,
			     const struct vsvm_isa_env *env, u32 first, u32 n,
			     u64 *budget)
{
	struct vsvm_job_record *rec = job->rec;
	struct vsvm_vm *vm = job->vm;
	unsigned long *runnable = ctx->runnable;
	u64 insns0;
	ktime_t t0;
	u32 i, nf, ran;

	for (i = 0; i < n; i++) {
		struct vsvm_lane *l = &ctx->lanes[i];

		memset(l->regs, 0, sizeof(l->regs));
		memcpy(l->regs, job->args, sizeof(job->args));
		l->pc = 0;
		if (job->groups) {
			l->local_id = i;
			l->group_id = first;
			l->lane_id = first * job->group_lanes + i;
		} else {
			l->local_id = 0;
			l->lane_id = first + i;
			l->group_id = l->lane_id;
		}
		l->scratch = ctx->scratch ? ctx->scratch + (size_t)i * job->scratch_size : NULL;
		l->tc_page = 0;
	}
	if (ctx->local)
		memset(ctx->local, 0, job->local_size);
	vsvm_isa_group_init(&ctx->group, n);
	bitmap_zero(runnable, ctx->nlanes);
	bitmap_fill(runnable, n);

	while (!bitmap_empty(runnable, n)) {
		int abort = vsvm_job_slice_begin(job);

		if (abort) {
			rec->state = abort;
			return false;
		}

		nf = 0;
		ran = 0;
		down_read(&vm->notifier_lock);
		t0 = ktime_get();
		insns0 = rec->instructions;
		for_each_set_bit(i, runnable, n) {
			struct vsvm_lane *l = &ctx->lanes[i];
			struct vsvm_isa_fault f;
			enum vsvm_isa_stop stop;
			u64 steps = 0;

			/*
			 * A big work-group: let invalidations in every
			 * VSVM_WAVE_SIZE slices, as between the rounds of a
			 * flat wave. The TLB is checked against the VM's TLB
			 * generation on every access, so nothing stale survives.
			 */
			if (ran && !(ran % VSVM_WAVE_SIZE)) {
				up_read(&vm->notifier_lock);
				cond_resched();
				down_read(&vm->notifier_lock);
			}
			ran++;

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
				if (!job->groups) {
					clear_bit(i, runnable);
					break;
				}
				if (!vsvm_hw_barrier(ctx, rec, i, true)) {
					up_read(&vm->notifier_lock);
					return false;
				}
				break;
			case VSVM_ISA_BARRIER:
				/* A group of one lane passes its barriers at once. */
				if (job->groups && !vsvm_hw_barrier(ctx, rec, i, false)) {
					up_read(&vm->notifier_lock);
					return false;
				}
				break;
			case VSVM_ISA_STEPS:
				break;
			case VSVM_ISA_EXCEPTION:
				up_read(&vm->notifier_lock);
				vsvm_hw_set_exception(rec, l, l->pc, f.exception);
				return false;
			case VSVM_ISA_FAULT:
				if (f.err != -EAGAIN) {
					up_read(&vm->notifier_lock);
					vsvm_hw_set_fault(rec, l, f.addr, f.access,
							  f.err == -ENXIO ?
							  DRM_VSVM_FAULT_NOT_MIRRORED :
							  f.err == -ERANGE ?
							  DRM_VSVM_FAULT_OUT_OF_BOUNDS :
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
		vsvm_hw_count_slices(job, t0, insns0);

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
		.group_lanes = job->group_lanes,
		.local = ctx->local,
		.local_size = job->local_size,
		.scratch_size = job->scratch_size,
	};
	u64 budget = job->budget;
	ktime_t t0 = ktime_get();
	u32 first;
	s64 ns;
	int err = 0;

	/* Read once per job: the mode is fixed while the job runs. */
	if (!READ_ONCE(vdev->stepping)) {
		env.dec = ctx->dec;
		env.tlb_gen = &job->vm->tlb_gen;
	}
	memcpy(env.group_size, job->group_size, sizeof(env.group_size));
	memcpy(env.group_count, job->group_count, sizeof(env.group_count));
	memcpy(env.global_offset, job->global_offset, sizeof(env.global_offset));
	ctx->job = job;
	memset(ctx->tlb, 0, sizeof(ctx->tlb));
	rec->state = DRM_VSVM_JOB_DONE;
	if (job->groups) {
		for (first = 0; first < job->num_groups; first++)
			if (!vsvm_hw_run_wave(job, ctx, &env, first, job->group_lanes, &budget))
				break;
	} else {
		for (first = 0; first < job->invocations; first += VSVM_WAVE_SIZE)
			if (!vsvm_hw_run_wave(job, ctx, &env, first,
					      min_t(u32, VSVM_WAVE_SIZE,
						    job->invocations - first),
					      &budget))
				break;
	}
	vsvm_job_slice_end(job);

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
