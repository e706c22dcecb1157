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
 * @lane_id: invocation index (read with SR LANE_ID).
 */
struct vsvm_lane {
	u64 regs[VSVM_ISA_NUM_REGS];
	u32 pc;
	u32 lane_id;
};

/**
 * struct vsvm_isa_fault - where and why a lane stopped on memory
 * @addr: GPU virtual address of the access.
 * @access: DRM_VSVM_ACCESS_READ/WRITE/ATOMIC.
 * @err: error returned by the translate callback, or -EFAULT for a
 *	misaligned access.
 */
struct vsvm_isa_fault {
	u64 addr;
	u32 access;
	int err;
};

/**
 * struct vsvm_isa_env - what the interpreter needs from the engine
 * @translate: translate @addr for an access of @size bytes of type @access
 *	(DRM_VSVM_ACCESS_*). Returns a kernel pointer to the target bytes or
 *	an ERR_PTR(): -EAGAIN for a recoverable page fault, any other error
 *	for an unrecoverable one. Called with the engine's memory lock
 *	held; the pointer is valid only until the interpreter returns.
 * @priv: argument of @translate.
 * @lane_count: value of SR LANE_COUNT.
 * @engine_id: value of SR ENGINE_ID.
 * @device_id: value of SR DEVICE_ID.
 */
struct vsvm_isa_env {
	void *(*translate)(void *priv, u64 addr, u32 size, u32 access);
	void *priv;
	u32 lane_count;
	u32 engine_id;
	u32 device_id;
};

/**
 * enum vsvm_isa_stop - why vsvm_isa_run() returned
 * @VSVM_ISA_END: the lane executed END.
 * @VSVM_ISA_FAULT: a memory access failed; the lane's pc still points at
 *	the access so it can be replayed; see the fault record.
 * @VSVM_ISA_STEPS: the step limit was reached; the lane can continue.
 * @VSVM_ISA_EXCEPTION: illegal operation (division by zero, pc out of
 *	range); the lane cannot continue.
 */
enum vsvm_isa_stop {
	VSVM_ISA_END,
	VSVM_ISA_FAULT,
	VSVM_ISA_STEPS,
	VSVM_ISA_EXCEPTION,
};

int vsvm_isa_validate(const u64 *prog, u32 count, u32 *bad_pc);
enum vsvm_isa_stop vsvm_isa_run(const struct vsvm_isa_env *env,
				const u64 *prog, u32 count,
				struct vsvm_lane *lane, u64 max_steps,
				u64 *steps, struct vsvm_isa_fault *fault);

#endif /* __VSVM_ISA_H__ */
