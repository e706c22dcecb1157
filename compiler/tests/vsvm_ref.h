/* SPDX-License-Identifier: MIT */
/*
 * A host-side reference interpreter of the vsvm ISA (version 2), written
 * from Documentation/gpu/vsvm-isa.rst, for running compiled kernels in
 * unit tests. Lanes run one after the other, each to its END; memory is
 * host memory, but only inside the ranges the test registers.
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
	/* results */
	uint64_t executed;
	char error[160];
};

/* Returns 0 when every lane ended, -1 with ref->error set otherwise. */
int vsvm_ref_run(struct vsvm_ref *ref);

#endif /* VSVM_REF_H */
