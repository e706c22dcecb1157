/* SPDX-License-Identifier: MIT */
#ifndef VCC_FROM_NIR_H
#define VCC_FROM_NIR_H

#include "vcc_ir.h"
#include "vcc_nir.h"

struct vcc_from_nir_info {
	uint32_t input_size;	/* bytes of kernel input read */
	uint32_t isa_version;	/* 2, or 3 when v3 instructions are used */
	uint32_t local_size;	/* static __local bytes (NIR shared_size) */
	uint32_t scratch_size;	/* private bytes per lane */
};

/* Translate the read NIR into IR (virtual registers, blocks). */
int vcc_from_nir(const struct vcc_nir *nir, unsigned isa_version,
		 struct vcc_func *fn, struct vcc_from_nir_info *info,
		 char *err, size_t errlen);

#endif /* VCC_FROM_NIR_H */
