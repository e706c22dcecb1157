/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The vsvm authors
 *
 * libvsvm-asm - the vsvm text assembler, a static library on top of
 * libvsvm's program builder (vsvm.h). Link $(O)/lib/libvsvm-asm.a before
 * libvsvm; vsvm_disasm() (in libvsvm) prints what it reads.
 */
#ifndef LIBVSVM_ASM_H
#define LIBVSVM_ASM_H

#include <stddef.h>

#include "vsvm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * vsvm_asm() - assemble a text program
 * @src: NUL-terminated source.
 * @out: uninitialised; on success a finished program the caller releases
 *	with vsvm_prog_fini(); on failure left empty (nothing to free).
 * @err: NULL or a buffer receiving "line N: message" on failure.
 * @errlen: size of @err.
 *
 * Syntax, one instruction per line, case-insensitive mnemonics (the
 * lowercase opcode names), ';' or '#' start a comment, "name:" defines a
 * label (alone or before an instruction)::
 *
 *   add r1, r2, r3        addi r1, r2, -4      mov r1, r2
 *   li r1, -5             lih r1, 0xffffffff   li64 r1, 0x123456789
 *   sr r1, lane_id        (a special register name in lowercase, or 0..26)
 *   f2s32 r1, r2, rtz     (rounding mode rne, rtz, rdn, rup or 0..3)
 *   jal r30, func         jr r30               barrier      fence
 *   ld32 r1, [r2 + 8]     st64 [r2 - 8], r3    aadd64 r1, [r2], r3
 *   blt r1, r2, loop      jmp done             end
 *   .word 0x0123456789abcdef   (a raw instruction word)
 *
 * A branch target is a label or a number, the raw immediate
 * target - (pc + 1). Immediates are decimal or 0x hex, in the signed 32-bit
 * range (LIH and .word also take unsigned values up to 2^32 - 1 / 2^64 - 1).
 * li64 always emits two words (LI, LIH).
 *
 * Return: 0, -EINVAL on a syntax or semantic error, -ENOMEM.
 */
int vsvm_asm(const char *src, struct vsvm_prog *out, char *err, size_t errlen);

#if defined(__cplusplus)
}
#endif

#endif /* LIBVSVM_ASM_H */
