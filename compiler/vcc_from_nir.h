/* SPDX-License-Identifier: MIT */
#ifndef VCC_FROM_NIR_H
#define VCC_FROM_NIR_H

#include "vcc_ir.h"
#include "vcc_nir.h"

struct vcc_from_nir_info {
	uint32_t input_size;	/* bytes of kernel input read */
};

/* Translate the read NIR into IR (virtual registers, blocks). */
int vcc_from_nir(const struct vcc_nir *nir, unsigned isa_version,
		 struct vcc_func *fn, struct vcc_from_nir_info *info,
		 char *err, size_t errlen);

#endif /* VCC_FROM_NIR_H */
