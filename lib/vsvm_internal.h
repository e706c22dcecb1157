/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The vsvm authors
 *
 * libvsvm internals shared between its files (not installed).
 */
#ifndef LIBVSVM_INTERNAL_H
#define LIBVSVM_INTERNAL_H

#include <errno.h>
#include <xf86drm.h>

#include "vsvm.h"

/* drmIoctl() with the error as a negative errno. */
static inline int vsvm_ioctl(int fd, unsigned long request, void *arg)
{
	return drmIoctl(fd, request, arg) ? -errno : 0;
}

#define VSVM_INSN_OP(w)		((unsigned int)((w) & 0xff))
#define VSVM_INSN_RD(w)		((unsigned int)(((w) >> 8) & 0xff))
#define VSVM_INSN_RA(w)		((unsigned int)(((w) >> 16) & 0xff))
#define VSVM_INSN_RB(w)		((unsigned int)(((w) >> 24) & 0xff))
#define VSVM_INSN_IMM(w)	((int32_t)(uint32_t)((w) >> 32))

/* Number of special registers (ISA version 3). */
#define VSVM_NUM_SREGS		DRM_VSVM_SREG_COUNT
/* Number of rounding modes of the conversions (&enum drm_vsvm_isa_round). */
#define VSVM_NUM_ROUNDS		4

/* Fields an operand class uses (vsvm_class_fields()). */
#define VSVM_F_RD		(1u << 0)
#define VSVM_F_RA		(1u << 1)
#define VSVM_F_RB		(1u << 2)
#define VSVM_F_IMM		(1u << 3)

unsigned int vsvm_class_fields(enum vsvm_op_class cls);

/* Operand syntax of a class: see vsvm_isa.c. */
const char *vsvm_class_syntax(enum vsvm_op_class cls);

/* A branch at @pc waiting for @label (vsvm_prog.fixups). */
struct vsvm_fixup {
	uint32_t pc;
	int label;
};

/* Record the first error of a program with a printf-style message. */
int vsvm_prog_fail(struct vsvm_prog *p, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append a checked word with no class check (used by the assembler). */
int vsvm_prog_push(struct vsvm_prog *p, uint64_t word);

#define VSVM_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* LIBVSVM_INTERNAL_H */
