// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The vsvm authors
 *
 * binary32 operations of the vsvm ISA. This is the only vsvm file built
 * with $(CC_FLAGS_FPU); the interpreter calls it inside
 * kernel_fpu_begin()/kernel_fpu_end(), which also loads the default MXCSR
 * (round to nearest even, exceptions masked, no flush to zero).
 */

#include <linux/limits.h>

#include <drm/vsvm_drm.h>

#include "vsvm_isa_fpu.h"

#define VSVM_FPU_ABS_MASK	0x7fffffffu
#define VSVM_FPU_EXP_MASK	0x7f800000u

union vsvm_fpu_bits {
	u32 u;
	float f;
};

static float vsvm_fpu_from_bits(u32 v)
{
	union vsvm_fpu_bits b = { .u = v };

	return b.f;
}

static u32 vsvm_fpu_to_bits(float f)
{
	union vsvm_fpu_bits b = { .f = f };

	return b.u;
}

static bool vsvm_fpu_is_nan(u32 v)
{
	return (v & VSVM_FPU_ABS_MASK) > VSVM_FPU_EXP_MASK;
}

static bool vsvm_fpu_is_zero(u32 v)
{
	return !(v & VSVM_FPU_ABS_MASK);
}

/*
 * minNum/maxNum: a NaN operand loses against a number; -0 is below +0
 * (C's a < b cannot tell them apart).
 */
static u32 vsvm_fpu_minmax(bool max, u32 a, u32 b)
{
	float fa, fb;

	if (vsvm_fpu_is_nan(a))
		return b;
	if (vsvm_fpu_is_nan(b))
		return a;
	if (vsvm_fpu_is_zero(a) && vsvm_fpu_is_zero(b))
		return max ? a & b : a | b;

	fa = vsvm_fpu_from_bits(a);
	fb = vsvm_fpu_from_bits(b);
	if (max)
		return fa < fb ? b : a;
	return fb < fa ? b : a;
}

u32 vsvm_fpu_binop(u8 op, u32 a, u32 b)
{
	float fa = vsvm_fpu_from_bits(a);
	float fb = vsvm_fpu_from_bits(b);

	switch (op) {
	case VSVM_OP_FADD:
		return vsvm_fpu_to_bits(fa + fb);
	case VSVM_OP_FSUB:
		return vsvm_fpu_to_bits(fa - fb);
	case VSVM_OP_FMUL:
		return vsvm_fpu_to_bits(fa * fb);
	case VSVM_OP_FDIV:
		return vsvm_fpu_to_bits(fa / fb);
	case VSVM_OP_FMIN:
		return vsvm_fpu_minmax(false, a, b);
	case VSVM_OP_FMAX:
		return vsvm_fpu_minmax(true, a, b);
	case VSVM_OP_FLT:
		return fa < fb;
	case VSVM_OP_FEQ:
		return fa == fb;
	default:
		return 0;
	}
}

u32 vsvm_fpu_i2f(s32 v)
{
	return vsvm_fpu_to_bits((float)v);
}

s32 vsvm_fpu_f2i(u32 f)
{
	float v = vsvm_fpu_from_bits(f);

	/* Out of range conversions are undefined in C: saturate. */
	if (vsvm_fpu_is_nan(f))
		return 0;
	if (v >= 2147483648.0f)
		return S32_MAX;
	if (v < -2147483648.0f)
		return S32_MIN;
	return (s32)v;
}
