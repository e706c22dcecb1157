/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2026 The vsvm authors */
#ifndef __VSVM_ISA_FPU_H__
#define __VSVM_ISA_FPU_H__

#include <linux/types.h>

/*
 * IEEE-754 binary32 arithmetic of the vsvm ISA. Values travel as their bit
 * patterns in u32 so that no float type leaks out of vsvm_isa_fpu.c, the
 * only file built with the FPU enabled. Every function must be called
 * between kernel_fpu_begin() and kernel_fpu_end().
 */

/*
 * vsvm_fpu_binop() - @op is one of DRM_VSVM_OP_FADD..DRM_VSVM_OP_FEQ. Returns the
 * binary32 result, or 0/1 for the compares.
 */
u32 vsvm_fpu_binop(u8 op, u32 a, u32 b);
/* vsvm_fpu_i2f() - binary32 nearest to @v. */
u32 vsvm_fpu_i2f(s32 v);
/* vsvm_fpu_f2i() - @f truncated toward zero, saturated, NaN gives 0. */
s32 vsvm_fpu_f2i(u32 f);
/* vsvm_fpu_fma() - @a * @b + @c rounded once to nearest even. */
u32 vsvm_fpu_fma(u32 a, u32 b, u32 c);
/* vsvm_fpu_sqrt() - square root of @a, correctly rounded. */
u32 vsvm_fpu_sqrt(u32 a);

#endif /* __VSVM_ISA_FPU_H__ */
