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
#define VSVM_FPU_QNAN		0x7fc00000u
#define VSVM_FPU_F64_EXP_MASK	0x7ff0000000000000ull

union vsvm_fpu_bits {
	u32 u;
	float f;
};

union vsvm_fpu_bits64 {
	u64 u;
	double d;
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
 * minimumNumber/maximumNumber (IEEE 754-2019): a NaN operand, quiet or
 * signalling, loses against a number, two NaNs give the default NaN; -0 is
 * below +0 (C's a < b cannot tell them apart).
 */
static u32 vsvm_fpu_minmax(bool max, u32 a, u32 b)
{
	float fa, fb;

	if (vsvm_fpu_is_nan(a) && vsvm_fpu_is_nan(b))
		return VSVM_FPU_QNAN;
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
	case DRM_VSVM_OP_FADD:
		return vsvm_fpu_to_bits(fa + fb);
	case DRM_VSVM_OP_FSUB:
		return vsvm_fpu_to_bits(fa - fb);
	case DRM_VSVM_OP_FMUL:
		return vsvm_fpu_to_bits(fa * fb);
	case DRM_VSVM_OP_FDIV:
		return vsvm_fpu_to_bits(fa / fb);
	case DRM_VSVM_OP_FMIN:
		return vsvm_fpu_minmax(false, a, b);
	case DRM_VSVM_OP_FMAX:
		return vsvm_fpu_minmax(true, a, b);
	case DRM_VSVM_OP_FLT:
		return fa < fb;
	case DRM_VSVM_OP_FEQ:
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

/*
 * Fused multiply-add without an FMA instruction: the product of two
 * binary32 values is exact in binary64 (48 significant bits, exponents far
 * inside the range), so only the addition rounds. Rounding that sum to
 * nearest in binary64 and then again to binary32 could round twice; rounding
 * it to odd instead (the binary64 sum with its last bit forced to 1 when it
 * is inexact) makes the second rounding correct, as binary64 has more than
 * 24 + 2 bits (Boldo and Melquiond, "Emulation of FMA and correctly rounded
 * sums: proved algorithms using rounding to odd", IEEE TC 2008). The
 * rounding error of the sum is exact by Knuth's TwoSum.
 */
u32 vsvm_fpu_fma(u32 a, u32 b, u32 c)
{
	double p = (double)vsvm_fpu_from_bits(a) * (double)vsvm_fpu_from_bits(b);
	double z = vsvm_fpu_from_bits(c);
	union vsvm_fpu_bits64 s = { .d = p + z };
	double bp, err;

	if ((s.u & VSVM_FPU_F64_EXP_MASK) != VSVM_FPU_F64_EXP_MASK) {
		bp = s.d - p;
		err = (p - (s.d - bp)) + (z - bp);
		if (err != 0 && !(s.u & 1)) {
			bool up = err > 0, pos = s.d > 0;

			/* Move the magnitude toward the exact value. */
			if (up == pos)
				s.u++;
			else
				s.u--;
		}
	}
	return vsvm_fpu_to_bits((float)s.d);
}

u32 vsvm_fpu_sqrt(u32 a)
{
	float r, x = vsvm_fpu_from_bits(a);

	asm("sqrtss %1, %0" : "=x" (r) : "x" (x));
	return vsvm_fpu_to_bits(r);
}
