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
 * before it starts. Each lane is interpreted in slices of
 * at most %VSVM_SLICE_STEPS instructions while the engine holds the VM's
 * notifier lock for reading; every load, store and atomic is translated
 * through a per-engine TLB backed by the VM's device page table, and
 * reaches system memory only through the DMA address in the PTE.
 *
 * A lane whose access misses or lacks permission stops on that instruction
 * (its pc is kept); the engine finishes the slice of the other lanes, drops
 * the lock, raises all faults of the wave as one batch and services it
 * (DOC: GPU page faults) until every fault has a verdict. Resolved faults are replayed; the first
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
 * Work sharing: the waves of a job (its work-groups, or the waves of a flat
 * job: the *units*) are taken in order from a cursor of the job, first by
 * its own engine, and, when the job has more than one and the debugfs knob
 * ``spread`` is on, by every other engine of the device while it has no
 * job of its own (vsvm_hw_help_work()): a job's units run on all idle
 * engines at once. A unit runs from start to end on one engine at a time,
 * so barriers and the lanes of a wave interleave as before. An engine
 * whose scheduler hands it a job while it runs another engine's unit
 * *parks* the unit at its next slice boundary (its lanes, local and
 * scratch memory stay in the unit's context) and any engine taking work
 * resumes parked units first. Each engine enters the device
 * (drm_dev_enter()) per slice and checks the job's abort and cancellation
 * as the job's own engine does; the first unit that ends the job (fault,
 * exception, budget, abort) writes the job record and the others stop at
 * their next slice. The job's engine signals the fence once no unit is
 * left and no other engine runs one. Instructions and faults of every
 * engine add up in the record. The budget is shared: each lane's slice
 * takes its steps and gives back what it did not use; a lane that finds
 * the rest held by other engines' slices waits a round, and the job ends
 * BUDGET only when nothing is left and nobody holds any, so it ends as it
 * does on one engine (where the budget is counted without atomics). debugfs
 * ``vsvm_engines`` counts the units each engine ran, fdinfo its busy time
 * per client.
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
 * struct vsvm_exec_ctx - one engine's state while it runs a unit of a job
 * @nlanes: lanes of a wave (the size of the arrays below).
 * @lanes: the current wave.
 * @faults: faults of the current wave.
 * @fault_lane: lane index of each fault.
 * @runnable: lanes that neither ended nor wait at a barrier.
 * @local: local memory of the running work-group.
 * @scratch: scratch memory, &vsvm_job.scratch_size bytes per lane.
 * @group: barrier state of the running work-group.
 * @tlb: translation cache.
 * @job: the job.
 * @eng: the engine running the unit now.
 * @unit: the unit: a work-group, or a wave of %VSVM_WAVE_SIZE lanes of a
 *	flat job.
 * @started: the unit's lanes were set up (it is resumed, not started,
 *	when taken again after being parked).
 * @link: in &vsvm_job.parked while no engine runs the unit.
 * @dev_idx: drm_dev_enter() cookie of the slice running, or -1.
 * @insns: instructions executed, not yet added to the job record.
 * @nfaults: faults taken, not yet added to the job record.
 * @out: how the unit ended the job, in the record's state and fault
 *	fields; state %DRM_VSVM_JOB_DONE when it did not.
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
	struct vsvm_job *job;
	struct vsvm_engine *eng;
	u32 unit;
	bool started;
	struct list_head link;
	int dev_idx;
	u64 insns;
	u64 nfaults;
	struct vsvm_job_record out;
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
	ctx->dev_idx = -1;
	INIT_LIST_HEAD(&ctx->link);
	ctx->lanes = kvcalloc(n, sizeof(*ctx->lanes), GFP_KERNEL);
	ctx->faults = kvcalloc(n, sizeof(*ctx->faults), GFP_KERNEL);
	ctx->fault_lane = kvcalloc(n, sizeof(*ctx->fault_lane), GFP_KERNEL);
	ctx->runnable = bitmap_zalloc(n, GFP_KERNEL);
	/* Sized by userspace: charged to its memory cgroup. */
	if (job->local_size)
		ctx->local = kvzalloc(job->local_size, GFP_KERNEL_ACCOUNT);
	/* Zeroed: a lane never sees another job's data. */
	if (job->scratch_size)
		ctx->scratch = kvzalloc((size_t)job->scratch_size * n, GFP_KERNEL_ACCOUNT);
	if (!ctx->lanes || !ctx->faults || !ctx->fault_lane || !ctx->runnable ||
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
static void vsvm_hw_count_slices(struct vsvm_exec_ctx *ctx, ktime_t t0, u64 insns0)
{
	struct vsvm_device *vdev = ctx->eng->vdev;

	vsvm_count(vdev, VSVM_CNT_INTERP_NS, ktime_to_ns(ktime_sub(ktime_get(), t0)));
	vsvm_count(vdev, VSVM_CNT_INSNS, ctx->insns - insns0);
}

/*
 * The budget for one lane's slice, at most %VSVM_SLICE_STEPS: 0 and
 * @slice set, -ENOSPC when the budget is spent, or -EAGAIN when what is
 * left is held by other engines' running slices (the lane waits for the
 * next round: they give back what they do not use). A job on one engine
 * takes it without atomics, exactly as stepping counts.
 */
static int vsvm_hw_budget_take(struct vsvm_job *job, u64 *slice)
{
	s64 left;

	if (!job->shared) {
		left = atomic64_read(&job->budget_left);
		if (left <= 0)
			return -ENOSPC;
		*slice = min_t(s64, left, VSVM_SLICE_STEPS);
		return 0;
	}
	atomic_inc(&job->budget_holders);
	/* Counted as a holder before taking: whoever sees the take sees us. */
	smp_mb__after_atomic();
	left = atomic64_read(&job->budget_left);
	for (;;) {
		if (left > 0) {
			if (atomic64_try_cmpxchg(&job->budget_left, &left,
						 left - min_t(s64, left, VSVM_SLICE_STEPS))) {
				*slice = min_t(s64, left, VSVM_SLICE_STEPS);
				return 0;
			}
			continue;
		}
		/* We hold nothing; spent only if nobody else holds any. */
		atomic_dec(&job->budget_holders);
		if (atomic_read(&job->budget_holders))
			return -EAGAIN;
		smp_rmb();	/* pairs with the barrier in vsvm_hw_budget_give() */
		left = atomic64_read(&job->budget_left);
		if (left <= 0)
			return -ENOSPC;
		atomic_inc(&job->budget_holders);
		/* As above: a holder again before the next take. */
		smp_mb__after_atomic();
	}
}

/* The slice of vsvm_hw_budget_take() executed @steps of its @slice. */
static void vsvm_hw_budget_give(struct vsvm_job *job, u64 slice, u64 steps)
{
	if (!job->shared) {
		atomic64_set(&job->budget_left, atomic64_read(&job->budget_left) - steps);
		return;
	}
	if (slice > steps)
		atomic64_add(slice - steps, &job->budget_left);
	/* What is given back is visible before we stop being a holder. */
	smp_mb__before_atomic();
	atomic_dec(&job->budget_holders);
}

/* The environment of the interpreter for @ctx on its engine. */
static void vsvm_hw_env_init(struct vsvm_exec_ctx *ctx, struct vsvm_isa_env *env,
			     bool stepping)
{
	struct vsvm_job *job = ctx->job;

	*env = (struct vsvm_isa_env) {
		.translate = vsvm_hw_translate,
		.priv = ctx,
		.lane_count = job->invocations,
		.engine_id = ctx->eng->id,
		.device_id = ctx->eng->vdev->index,
		.group_lanes = job->group_lanes,
		.local = ctx->local,
		.local_size = job->local_size,
		.scratch_size = job->scratch_size,
	};
	if (!stepping) {
		env->dec = job->dec;
		env->tlb_gen = &job->vm->tlb_gen;
	}
	memcpy(env->group_size, job->group_size, sizeof(env->group_size));
	memcpy(env->group_count, job->group_count, sizeof(env->group_count));
	memcpy(env->global_offset, job->global_offset, sizeof(env->global_offset));
}

/* Lanes of unit @unit of @job: a work-group, or a wave of a flat job. */
static u32 vsvm_hw_unit_lanes(const struct vsvm_job *job, u32 unit)
{
	if (job->groups)
		return job->group_lanes;
	return min_t(u32, VSVM_WAVE_SIZE, job->invocations - unit * VSVM_WAVE_SIZE);
}

/* Set up the lanes of @ctx->unit: every lane at pc 0, local memory zeroed. */
static void vsvm_hw_unit_start(struct vsvm_exec_ctx *ctx)
{
	struct vsvm_job *job = ctx->job;
	u32 n = vsvm_hw_unit_lanes(job, ctx->unit), i;

	for (i = 0; i < n; i++) {
		struct vsvm_lane *l = &ctx->lanes[i];

		memset(l->regs, 0, sizeof(l->regs));
		memcpy(l->regs, job->args, sizeof(job->args));
		l->pc = 0;
		if (job->groups) {
			l->local_id = i;
			l->group_id = ctx->unit;
			l->lane_id = ctx->unit * job->group_lanes + i;
		} else {
			l->local_id = 0;
			l->lane_id = ctx->unit * VSVM_WAVE_SIZE + i;
			l->group_id = l->lane_id;
		}
		l->scratch = ctx->scratch ? ctx->scratch + (size_t)i * job->scratch_size : NULL;
		l->tc_page = 0;
	}
	if (ctx->local)
		memset(ctx->local, 0, job->local_size);
	vsvm_isa_group_init(&ctx->group, n);
	bitmap_zero(ctx->runnable, ctx->nlanes);
	bitmap_fill(ctx->runnable, n);
	ctx->out.state = DRM_VSVM_JOB_DONE;
	ctx->started = true;
}

/* How vsvm_hw_unit_run() returned. */
enum vsvm_hw_unit_stop {
	VSVM_HW_UNIT_DONE,	/* every lane ended */
	VSVM_HW_UNIT_STOP,	/* the job is over (the outcome is in ctx->out) */
	VSVM_HW_UNIT_PARK,	/* the engine's own job is waiting: give it back */
};

/*
 * Run the unit of @ctx on ctx->eng until every lane ended or the job must
 * stop; @helping: the engine is not the job's, and gives the unit back at
 * a slice boundary when its own next job is waiting.
 */
static enum vsvm_hw_unit_stop
vsvm_hw_unit_run(struct vsvm_exec_ctx *ctx, const struct vsvm_isa_env *env, bool helping)
{
	struct vsvm_job *job = ctx->job;
	struct vsvm_job_record *rec = &ctx->out;
	struct vsvm_vm *vm = job->vm;
	unsigned long *runnable = ctx->runnable;
	u32 n = vsvm_hw_unit_lanes(job, ctx->unit);
	u64 insns0;
	ktime_t t0;
	u32 i, nf, ran;

	if (!ctx->started)
		vsvm_hw_unit_start(ctx);

	while (!bitmap_empty(runnable, n)) {
		int abort;

		/* Another unit ended the job: stop, the record is written. */
		if (READ_ONCE(job->stopped))
			return VSVM_HW_UNIT_STOP;
		if (helping && atomic_read(&ctx->eng->queued))
			return VSVM_HW_UNIT_PARK;
		abort = vsvm_job_slice_begin(job, &ctx->dev_idx);
		if (abort) {
			rec->state = abort;
			return VSVM_HW_UNIT_STOP;
		}

		nf = 0;
		ran = 0;
		vsvm_vm_engine_lock(vm);
		t0 = ktime_get();
		insns0 = ctx->insns;
		for_each_set_bit(i, runnable, n) {
			struct vsvm_lane *l = &ctx->lanes[i];
			struct vsvm_isa_fault f;
			enum vsvm_isa_stop stop;
			u64 steps = 0, slice;
			int ret;

			/*
			 * A big work-group: let invalidations in every
			 * VSVM_WAVE_SIZE slices, as between the rounds of a
			 * flat wave. The TLB is checked against the VM's TLB
			 * generation on every access, so nothing stale survives.
			 */
			if (ran && !(ran % VSVM_WAVE_SIZE)) {
				up_read(&vm->notifier_lock);
				cond_resched();
				vsvm_vm_engine_lock(vm);
			}
			ran++;

			ret = vsvm_hw_budget_take(job, &slice);
			if (ret == -EAGAIN)
				continue;
			if (ret) {
				up_read(&vm->notifier_lock);
				rec->state = DRM_VSVM_JOB_BUDGET;
				return VSVM_HW_UNIT_STOP;
			}
			stop = vsvm_isa_run(env, job->prog, job->count, l, slice, &steps, &f);
			vsvm_hw_budget_give(job, slice, steps);
			ctx->insns += steps;

			switch (stop) {
			case VSVM_ISA_END:
				if (!job->groups) {
					clear_bit(i, runnable);
					break;
				}
				if (!vsvm_hw_barrier(ctx, rec, i, true)) {
					up_read(&vm->notifier_lock);
					return VSVM_HW_UNIT_STOP;
				}
				break;
			case VSVM_ISA_BARRIER:
				/* A group of one lane passes its barriers at once. */
				if (job->groups && !vsvm_hw_barrier(ctx, rec, i, false)) {
					up_read(&vm->notifier_lock);
					return VSVM_HW_UNIT_STOP;
				}
				break;
			case VSVM_ISA_STEPS:
				break;
			case VSVM_ISA_EXCEPTION:
				up_read(&vm->notifier_lock);
				vsvm_hw_set_exception(rec, l, l->pc, f.exception);
				return VSVM_HW_UNIT_STOP;
			case VSVM_ISA_FAULT:
				if (f.err != -EAGAIN) {
					up_read(&vm->notifier_lock);
					vsvm_hw_set_fault(rec, l, f.addr, f.access,
							  f.err == -ENXIO ?
							  DRM_VSVM_FAULT_NOT_MIRRORED :
							  f.err == -ERANGE ?
							  DRM_VSVM_FAULT_OUT_OF_BOUNDS :
							  DRM_VSVM_FAULT_ALIGNMENT);
					return VSVM_HW_UNIT_STOP;
				}
				ctx->faults[nf].addr = f.addr;
				ctx->faults[nf].access = f.access;
				ctx->faults[nf].reason = DRM_VSVM_FAULT_NONE;
				ctx->fault_lane[nf++] = i;
				break;
			}
		}
		up_read(&vm->notifier_lock);
		vsvm_hw_count_slices(ctx, t0, insns0);

		if (nf) {
			struct vsvm_fault_batch batch = {
				.vm = vm,
				.faults = ctx->faults,
				.count = nf,
				.engine = ctx->eng->id,
			};

			/* Not counted against the job timeout (DOC: Jobs and scheduling). */
			vsvm_job_fault_wait_begin(job);
			vsvm_fault_submit(ctx->eng->vdev, &batch);
			vsvm_job_fault_wait_end(job);
			ctx->nfaults += nf;
			for (i = 0; i < nf; i++) {
				struct vsvm_fault *f = &ctx->faults[i];

				if (f->reason == DRM_VSVM_FAULT_NONE)
					continue;
				vsvm_hw_set_fault(rec, &ctx->lanes[ctx->fault_lane[i]],
						  f->addr, f->access, f->reason);
				return VSVM_HW_UNIT_STOP;
			}
		}
		cond_resched();
	}
	atomic64_inc(&ctx->eng->units);
	if (helping)
		atomic64_inc(&ctx->eng->units_helped);
	return VSVM_HW_UNIT_DONE;
}

/*
 * Add what @ctx did to the job record; the first unit to end the job
 * writes its outcome and stops every other.
 */
static void vsvm_hw_unit_account(struct vsvm_exec_ctx *ctx)
{
	struct vsvm_job *job = ctx->job;
	struct vsvm_job_record *rec = job->rec;
	struct vsvm_device *vdev = job->engine->vdev;

	vsvm_job_slice_end(&ctx->dev_idx);
	spin_lock(&vdev->share_lock);
	rec->instructions += ctx->insns;
	rec->faults += ctx->nfaults;
	ctx->insns = 0;
	ctx->nfaults = 0;
	if (ctx->out.state != DRM_VSVM_JOB_DONE && !job->stopped) {
		job->stopped = true;
		rec->state = ctx->out.state;
		rec->fault_reason = ctx->out.fault_reason;
		rec->fault_access = ctx->out.fault_access;
		rec->fault_lane = ctx->out.fault_lane;
		rec->fault_pc = ctx->out.fault_pc;
		rec->fault_addr = ctx->out.fault_addr;
	}
	spin_unlock(&vdev->share_lock);
}

/*
 * The next unit of @job for an engine: a parked one, else a new one in
 * @fresh (if given). NULL when there is none or the job stopped.
 */
static struct vsvm_exec_ctx *vsvm_hw_take_locked(struct vsvm_job *job,
						 struct vsvm_exec_ctx *fresh)
{
	struct vsvm_exec_ctx *ctx;

	lockdep_assert_held(&job->engine->vdev->share_lock);
	if (job->stopped)
		return NULL;
	ctx = list_first_entry_or_null(&job->parked, struct vsvm_exec_ctx, link);
	if (ctx) {
		list_del_init(&ctx->link);
		return ctx;
	}
	if (!fresh || job->next_unit >= job->num_units)
		return NULL;
	fresh->unit = job->next_unit++;
	fresh->started = false;
	return fresh;
}

/*
 * Run units of @job on @eng until none is left, the job stopped or (when
 * @helping) the engine's own job is waiting. @own: the engine's context
 * for new units, may be NULL (then it only resumes parked ones). Returns
 * @own, or NULL if it was parked (no longer the caller's).
 */
static struct vsvm_exec_ctx *vsvm_hw_run_units(struct vsvm_job *job, struct vsvm_engine *eng,
					       struct vsvm_exec_ctx *own, bool stepping,
					       bool helping)
{
	struct vsvm_device *vdev = eng->vdev;
	enum vsvm_hw_unit_stop res;
	struct vsvm_isa_env env;
	struct vsvm_exec_ctx *ctx;

	for (;;) {
		if (helping && atomic_read(&eng->queued))
			break;
		spin_lock(&vdev->share_lock);
		ctx = vsvm_hw_take_locked(job, own);
		spin_unlock(&vdev->share_lock);
		if (!ctx)
			break;
		/* The TLB and the lanes' caches are the VM's, checked by generation. */
		ctx->eng = eng;
		vsvm_hw_env_init(ctx, &env, stepping);
		res = vsvm_hw_unit_run(ctx, &env, helping);
		vsvm_hw_unit_account(ctx);
		if (res == VSVM_HW_UNIT_PARK) {
			spin_lock(&vdev->share_lock);
			list_add_tail(&ctx->link, &job->parked);
			spin_unlock(&vdev->share_lock);
			return ctx == own ? NULL : own;
		}
		if (ctx != own)
			vsvm_hw_ctx_free(ctx);
		if (res == VSVM_HW_UNIT_STOP)
			break;
	}
	return own;
}

/* Engine time of @eng on @job since @t0, for debugfs and fdinfo. */
static void vsvm_hw_account_busy(struct vsvm_job *job, struct vsvm_engine *eng, ktime_t t0)
{
	s64 ns = ktime_to_ns(ktime_sub(ktime_get(), t0));

	atomic64_add(ns, &eng->busy_ns);
	atomic64_add(ns, &job->client->engine_ns[eng->id]);
}

/**
 * vsvm_hw_help_work() - run work-groups of other engines' jobs
 * @work: &vsvm_engine.help_work
 *
 * Queued on an engine's workqueue when another engine starts a job of
 * several units, and when the engine ends a job while such jobs run: the
 * engine is idle (its workqueue runs one item at a time), so it takes
 * units of the jobs on &vsvm_device.shared_jobs until none is left, and
 * gives back the unit it runs at its next slice once its own scheduler
 * hands it a job.
 *
 * Context: the engine's workqueue; may sleep.
 */
static void vsvm_hw_help_work(struct work_struct *work)
{
	struct vsvm_engine *eng = container_of(work, struct vsvm_engine, help_work);
	struct vsvm_device *vdev = eng->vdev;

	while (!atomic_read(&eng->queued)) {
		struct vsvm_exec_ctx *own;
		struct vsvm_job *job = NULL, *j;
		bool stepping, last;
		ktime_t t0;

		spin_lock(&vdev->share_lock);
		list_for_each_entry(j, &vdev->shared_jobs, share_link) {
			if (!j->stopped && (!list_empty(&j->parked) ||
					    j->next_unit < j->num_units)) {
				/* Pins the job: its engine waits for its helpers. */
				job = j;
				job->helpers++;
				break;
			}
		}
		spin_unlock(&vdev->share_lock);
		if (!job)
			break;

		t0 = ktime_get();
		stepping = READ_ONCE(vdev->stepping);
		/* Without a context of its own it can still resume parked units. */
		own = vsvm_hw_ctx_alloc(job);
		if (own)
			own->job = job;
		own = vsvm_hw_run_units(job, eng, own, stepping, true);
		vsvm_hw_ctx_free(own);
		vsvm_hw_account_busy(job, eng, t0);

		spin_lock(&vdev->share_lock);
		last = !--job->helpers;
		spin_unlock(&vdev->share_lock);
		/* The job may be gone once its engine saw no helper: only wake. */
		if (last)
			wake_up_var(&job->helpers);
	}
}

/**
 * vsvm_hw_engine_init() - set up the engine's part of work sharing
 * @eng: the engine
 */
void vsvm_hw_engine_init(struct vsvm_engine *eng)
{
	INIT_WORK(&eng->help_work, vsvm_hw_help_work);
	atomic_set(&eng->queued, 0);
}

/* Whether other engines may take units of @job. */
static bool vsvm_hw_share_wanted(const struct vsvm_job *job)
{
	struct vsvm_device *vdev = job->engine->vdev;

	return job->num_units > 1 && vdev->num_engines > 1 && READ_ONCE(vdev->spread);
}

/* Let the other engines take units of @job. */
static void vsvm_hw_share(struct vsvm_job *job)
{
	struct vsvm_engine *eng = job->engine;
	struct vsvm_device *vdev = eng->vdev;
	u32 i;

	spin_lock(&vdev->share_lock);
	list_add_tail(&job->share_link, &vdev->shared_jobs);
	spin_unlock(&vdev->share_lock);
	for (i = 0; i < vdev->num_engines; i++)
		if (&vdev->engines[i] != eng)
			queue_work(vdev->engines[i].wq, &vdev->engines[i].help_work);
}

/*
 * No engine takes units of @job any more; returns once every helper left.
 * Units parked meanwhile are the caller's to finish.
 */
static void vsvm_hw_unshare(struct vsvm_job *job)
{
	struct vsvm_device *vdev = job->engine->vdev;

	spin_lock(&vdev->share_lock);
	list_del_init(&job->share_link);
	spin_unlock(&vdev->share_lock);
	wait_var_event(&job->helpers, !READ_ONCE(job->helpers));
}

/**
 * vsvm_hw_run() - execute a job on its engine and signal its hardware fence
 * @job: the job
 *
 * The job's units (work-groups, or waves of a flat job) are taken in order
 * by its engine and, while they are idle, by the device's other engines;
 * the fence signals once every unit ended or the first unit to fail ended
 * the job, and no other engine runs any of its units.
 *
 * Context: the engine's workqueue; may sleep.
 */
void vsvm_hw_run(struct vsvm_job *job)
{
	struct vsvm_engine *eng = job->engine;
	struct vsvm_device *vdev = eng->vdev;
	struct vsvm_job_record *rec = job->rec;
	struct vsvm_exec_ctx *ctx = job->ctx, *c, *tmp;
	ktime_t t0 = ktime_get();
	bool stepping;
	int err = 0;

	/* Read once per job: the mode is fixed while the job runs. */
	stepping = READ_ONCE(vdev->stepping);
	ctx->job = job;
	rec->state = DRM_VSVM_JOB_DONE;
	job->num_units = job->groups ? job->num_groups :
			 DIV_ROUND_UP(job->invocations, VSVM_WAVE_SIZE);
	job->next_unit = 0;
	job->stopped = false;
	atomic64_set(&job->budget_left, min_t(u64, job->budget, S64_MAX));

	atomic_set(&job->budget_holders, 0);
	/* Set before another engine can see the job. */
	job->shared = vsvm_hw_share_wanted(job);
	if (job->shared)
		vsvm_hw_share(job);
	vsvm_hw_run_units(job, eng, ctx, stepping, false);
	if (job->shared) {
		vsvm_hw_unshare(job);
		/* Units the helpers gave back after this engine's last look. */
		vsvm_hw_run_units(job, eng, ctx, stepping, false);
		list_for_each_entry_safe(c, tmp, &job->parked, link) {
			list_del(&c->link);
			vsvm_hw_ctx_free(c);
		}
	}

	vsvm_hw_account_busy(job, eng, t0);
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
	/* Other engines' jobs may still have units this engine can take. */
	if (!list_empty_careful(&vdev->shared_jobs))
		queue_work(eng->wq, &eng->help_work);
	/* The record is complete before anyone can see the fence signalled. */
	smp_wmb();
	dma_fence_signal(job->hw_fence);
}
