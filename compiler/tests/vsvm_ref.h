/* SPDX-License-Identifier: MIT */
/*
 * A host-side reference interpreter of the vsvm ISA (version 2, and the
 * version 3 instructions the compiler emits: BARRIER, FENCE, FMA, FSQRT,
 * the new atomics, the local and scratch windows), written from
 * Documentation/gpu/vsvm-isa.rst, for running compiled kernels in unit
 * tests. The lanes of a group run one after the other up to their END or
 * next BARRIER; memory is host memory, but only inside the ranges the test
 * registers.
 */
#ifndef VSVM_REF_H
#define VSVM_REF_H

#include <stddef.h>
#include <stdint.h>

struct vsvm_ref_range {
	uint64_t start, size;
};

struct vsvm_ref {
	const uint64_t *code;
	uint32_t len;
	uint32_t lanes;
	uint64_t args[16];
	struct vsvm_ref_range ranges[16];
	unsigned num_ranges;
	uint64_t budget;	/* instructions per lane */
	/* ISA v3 work-groups: lanes per group (0: flat job, no BARRIER),
	 * local memory per group and scratch memory per lane */
	uint32_t group_lanes;
	uint32_t local_size, scratch_size;
	/* results */
	uint64_t executed;
	char error[160];
};

/* Returns 0 when every lane ended, -1 with ref->error set otherwise. */
int vsvm_ref_run(struct vsvm_ref *ref);

#endif /* VSVM_REF_H */
