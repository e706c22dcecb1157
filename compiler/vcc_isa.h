/* SPDX-License-Identifier: MIT */
/*
 * vcc_isa.h - the ISA version 3 additions the backend emits
 *
 * Values from the ISA v3 design (Documentation/gpu/vsvm-isa.rst, version 3,
 * and its uAPI enum). They are spelled here so that the compiler builds
 * against either uAPI header; once v3 is the uAPI everywhere they equal
 * the VSVM_OP_* / VSVM_ISA_* names. Code using them is only emitted when
 * the device reports ISA version 3 or later.
 */
#ifndef VCC_ISA_H
#define VCC_ISA_H

#define VCC_OP_BARRIER		0x06	/* wait for the work-group; a FENCE */
#define VCC_OP_FENCE		0x07	/* full memory fence */
#define VCC_OP_FMA		0x6a	/* rd = ra * rb + rd, rounded once */
#define VCC_OP_FSQRT		0x6b	/* rd = sqrt(ra) */
#define VCC_OP_AAND32		0x78
#define VCC_OP_AAND64		0x79
#define VCC_OP_AOR32		0x7a
#define VCC_OP_AOR64		0x7b
#define VCC_OP_AXOR32		0x7c
#define VCC_OP_AXOR64		0x7d
#define VCC_OP_AMINU32		0x7e
#define VCC_OP_AMAXU32		0x7f

/* windows of the GPU address space (sign-extended 32-bit immediates) */
#define VCC_LOCAL_BASE		0xffffffff80000000ull
#define VCC_SCRATCH_BASE	0xffffffffc0000000ull

/* the lowest opcode that needs ISA v3 is one of the above */
static inline int vcc_op_is_v3(unsigned int op)
{
	return op == VCC_OP_BARRIER || op == VCC_OP_FENCE ||
	       op == VCC_OP_FMA || op == VCC_OP_FSQRT ||
	       (op >= VCC_OP_AAND32 && op <= VCC_OP_AMAXU32);
}

static inline const char *vcc_v3_op_name(unsigned int op)
{
	static const char *const atomics[] = {
		"aand32", "aand64", "aor32", "aor64", "axor32", "axor64",
		"aminu32", "amaxu32",
	};

	switch (op) {
	case VCC_OP_BARRIER: return "barrier";
	case VCC_OP_FENCE: return "fence";
	case VCC_OP_FMA: return "fma";
	case VCC_OP_FSQRT: return "fsqrt";
	default:
		if (op >= VCC_OP_AAND32 && op <= VCC_OP_AMAXU32)
			return atomics[op - VCC_OP_AAND32];
		return "?";
	}
}

#endif /* VCC_ISA_H */
