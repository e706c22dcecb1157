/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_ISA_H__
#define __VSVM_ISA_H__

#include <linux/types.h>
#include <drm/vsvm_drm.h>

/**
 * struct vsvm_lane - architectural state of one invocation
 * @regs: general purpose registers.
 * @pc: index of the next instruction.
 * @lane_id: linear index of the lane in the job (SR LANE_ID).
 * @local_id: linear index of the lane in its work-group.
 * @group_id: linear index of the lane's work-group in the grid.
 * @scratch: the lane's scratch memory, &vsvm_isa_env.scratch_size bytes
 *	(NULL when that is zero).
 * @tc_page: inline translation cache: page number + 1 of the last global
 *	page translated (0: empty); only used with &vsvm_isa_env.tlb_gen.
 * @tc_gen: TLB generation the entry was filled under.
 * @tc_kaddr: kernel address of that page.
 * @tc_write: the page was translated for writing.
 */
struct vsvm_lane {
	u64 regs[DRM_VSVM_ISA_NUM_REGS];
	u32 pc;
	u32 lane_id;
	u32 local_id;
	u32 group_id;
	u8 *scratch;
	u64 tc_page;
	u64 tc_gen;
	u8 *tc_kaddr;
	bool tc_write;
};

/**
 * struct vsvm_isa_insn - an instruction decoded once, at submission
 * @op: opcode.
 * @rd: destination register.
 * @ra: first source register.
 * @rb: second source register.
 * @run: length of the straight-line run starting here (see
 *	vsvm_isa_decode()), 0 or 1 if there is none.
 * @run_base: the base register of the run's loads and stores.
 * @run_write: the run contains a store.
 * @run_align: largest access size in the run.
 * @imm: immediate.
 * @run_lo: lowest byte offset from ra the run accesses.
 * @run_span: bytes from @run_lo to the end of the highest access.
 */
struct vsvm_isa_insn {
	u8 op;
	u8 rd;
	u8 ra;
	u8 rb;
	u8 run;
	u8 run_base;
	u8 run_write;
	u8 run_align;
	s32 imm;
	s32 run_lo;
	u32 run_span;
};

/**
 * struct vsvm_isa_fault - where and why a lane stopped
 * @addr: GPU virtual address of the access.
 * @access: DRM_VSVM_ACCESS_READ/WRITE/ATOMIC.
 * @err: error returned by the translate callback, -EFAULT for a
 *	misaligned access, -ERANGE for an access in the local or scratch
 *	window beyond its size.
 * @exception: on %VSVM_ISA_EXCEPTION, the &enum drm_vsvm_exception_reason.
 */
struct vsvm_isa_fault {
	u64 addr;
	u32 access;
	int err;
	u32 exception;
};

/**
 * struct vsvm_isa_env - what the interpreter needs from the engine
 * @translate: translate @addr for an access of @size bytes of type @access
 *	(DRM_VSVM_ACCESS_*). Returns a kernel pointer to the target bytes or
 *	an ERR_PTR(): -EAGAIN for a recoverable page fault, any other error
 *	for an unrecoverable one. Called with the engine's memory lock
 *	held; the pointer is valid only until the interpreter returns.
 *	Never called for the local and scratch windows.
 * @priv: argument of @translate.
 * @lane_count: value of SR LANE_COUNT.
 * @engine_id: value of SR ENGINE_ID.
 * @device_id: value of SR DEVICE_ID.
 * @group_size: lanes of a work-group per dimension (all 1 for flat jobs).
 * @group_count: work-groups per dimension.
 * @global_offset: added to the global ids.
 * @group_lanes: product of @group_size.
 * @local: local memory of the running work-group, @local_size bytes.
 * @local_size: bytes of @local.
 * @scratch_size: bytes of each lane's &vsvm_lane.scratch.
 * @tlb_gen: the VM's TLB generation, or NULL: with it, the lanes keep their
 *	last translated page in &vsvm_lane.tc_page and a hit on an entry of
 *	the current generation makes no call to @translate.
 * @dec: @prog decoded by vsvm_isa_decode(), or NULL to step one
 *	instruction at a time (the reference interpreter). With it,
 *	straight-line runs execute as one loop when none of their accesses
 *	can fault; the result is identical.
 */
struct vsvm_isa_env {
	void *(*translate)(void *priv, u64 addr, u32 size, u32 access);
	void *priv;
	u32 lane_count;
	u32 engine_id;
	u32 device_id;
	u32 group_size[3];
	u32 group_count[3];
	u64 global_offset[3];
	u32 group_lanes;
	u8 *local;
	u32 local_size;
	u32 scratch_size;
	const u64 *tlb_gen;
	const struct vsvm_isa_insn *dec;
};

/**
 * enum vsvm_isa_stop - why vsvm_isa_run() returned
 * @VSVM_ISA_END: the lane executed END.
 * @VSVM_ISA_FAULT: a memory access failed; the lane's pc still points at
 *	the access so it can be replayed; see the fault record.
 * @VSVM_ISA_STEPS: the step limit was reached; the lane can continue.
 * @VSVM_ISA_EXCEPTION: illegal operation (division by zero, pc out of
 *	range); the lane cannot continue; the reason is in the fault record.
 * @VSVM_ISA_BARRIER: the lane executed BARRIER (counted as a step; the pc
 *	points after it) and must wait for its work-group.
 */
enum vsvm_isa_stop {
	VSVM_ISA_END,
	VSVM_ISA_FAULT,
	VSVM_ISA_STEPS,
	VSVM_ISA_EXCEPTION,
	VSVM_ISA_BARRIER,
};

/**
 * struct vsvm_isa_group - barrier state of a running work-group
 * @lanes: lanes of the group.
 * @nwaiting: lanes waiting at the barrier at @barrier_pc.
 * @nended: lanes that executed END.
 * @barrier_pc: pc of the BARRIER the waiting lanes executed.
 */
struct vsvm_isa_group {
	u32 lanes;
	u32 nwaiting;
	u32 nended;
	u32 barrier_pc;
};

void vsvm_isa_group_init(struct vsvm_isa_group *group, u32 lanes);
u32 vsvm_isa_group_barrier(struct vsvm_isa_group *group, u32 pc, bool *release);
u32 vsvm_isa_group_end(struct vsvm_isa_group *group);

void vsvm_isa_decode(const u64 *prog, u32 count, struct vsvm_isa_insn *dec);
int vsvm_isa_validate(const u64 *prog, u32 count, u32 *bad_pc);
enum vsvm_isa_stop vsvm_isa_run(const struct vsvm_isa_env *env,
				const u64 *prog, u32 count,
				struct vsvm_lane *lane, u64 max_steps,
				u64 *steps, struct vsvm_isa_fault *fault);

#endif /* __VSVM_ISA_H__ */
