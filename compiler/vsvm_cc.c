// SPDX-License-Identifier: MIT
/*
 * vsvm_cc.c - the library entry points: read, translate, allocate, emit,
 * with the VSVM_DEBUG dumps between the stages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vcc_from_nir.h"
#include "vcc_ir.h"
#include "vcc_isa.h"
#include "vcc_nir.h"
#include "vsvm.h"
#include "vsvm_cc.h"

static unsigned debug_from_env(void)
{
	const char *s = getenv("VSVM_DEBUG");
	unsigned flags = 0;

	while (s && *s) {
		size_t n = strcspn(s, ",");

		if (n == 3 && !strncmp(s, "nir", 3))
			flags |= VSVM_CC_DEBUG_NIR;
		else if (n == 2 && !strncmp(s, "ir", 2))
			flags |= VSVM_CC_DEBUG_IR;
		else if (n == 3 && !strncmp(s, "asm", 3))
			flags |= VSVM_CC_DEBUG_ASM;
		else if (n == 3 && !strncmp(s, "all", 3))
			flags |= VSVM_CC_DEBUG_NIR | VSVM_CC_DEBUG_IR |
				 VSVM_CC_DEBUG_ASM;
		s += n;
		if (*s)
			s++;
	}
	return flags;
}

static void dump_asm(FILE *f, const struct vsvm_cc_kernel *k)
{
	char buf[96];

	fprintf(f, "--- asm: %s, %u instructions\n", k->name, k->code_len);
	for (uint32_t i = 0; i < k->code_len; i++) {
		unsigned op = k->code[i] & 0xff;

		if (vcc_op_is_v3(op))
			snprintf(buf, sizeof(buf), "%-8s r%u, r%u, r%u, %d",
				 vcc_v3_op_name(op),
				 (unsigned)(k->code[i] >> 8) & 0xff,
				 (unsigned)(k->code[i] >> 16) & 0xff,
				 (unsigned)(k->code[i] >> 24) & 0xff,
				 (int32_t)(k->code[i] >> 32));
		else if (vsvm_disasm(k->code[i], buf, sizeof(buf)) < 0)
			snprintf(buf, sizeof(buf), "?");
		fprintf(f, "%5u  %016llx  %s\n", i,
			(unsigned long long)k->code[i], buf);
	}
}

int vsvm_cc_compile_debug(const void *nir, size_t size,
			  unsigned int isa_version, unsigned int debug,
			  void *dump, struct vsvm_cc_kernel *out,
			  char *err, size_t errlen)
{
	FILE *f = dump ? dump : stderr;
	struct vcc_from_nir_info info;
	struct vcc_func fn = { 0 };
	struct vcc_spill spill = { VCC_SPILL_NONE, 0, 0 };
	uint32_t priv;
	struct vcc_nir n;
	char dummy[1];
	int ret;

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = 0;
	if (!out || (!nir && size))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (isa_version < 2) {
		snprintf(err, errlen, "ISA version %u: need 2 or later",
			 isa_version);
		return -ENOTSUP;
	}
	ret = vcc_nir_read(nir, size, &n, err, errlen);
	if (ret)
		return ret;
	if (debug & VSVM_CC_DEBUG_NIR)
		vcc_nir_print(&n, f);
	ret = vcc_from_nir(&n, isa_version, &fn, &info, err, errlen);
	if (ret)
		goto out;
	ret = vcc_dce(&fn);
	if (ret)
		goto out;
	if (debug & VSVM_CC_DEBUG_IR)
		vcc_func_print(&fn, f, "ir");
	priv = (n.scratch_size + 7) & ~7u;
	if (isa_version >= 3) {
		spill.mode = VCC_SPILL_V3;
		spill.base = (uint32_t)(VCC_SCRATCH_BASE & 0xffffffffu) + priv;
	} else {
		spill.mode = VCC_SPILL_V2;
		spill.base = info.scratch_size;	/* 0 if no private memory */
	}
	ret = vcc_ra(&fn, &spill, err, errlen);
	if (ret)
		goto out;
	if (spill.bytes)
		info.scratch_size = spill.base - (isa_version >= 3 ?
			(uint32_t)(VCC_SCRATCH_BASE & 0xffffffffu) : 0) +
			spill.bytes;
	if (spill.bytes && isa_version >= 3)
		info.isa_version = 3;
	if (debug & VSVM_CC_DEBUG_IR)
		vcc_func_print(&fn, f, "ir after register allocation");
	ret = vcc_emit(&fn, &out->code, &out->code_len, err, errlen);
	if (ret)
		goto out;
	out->isa_version = info.isa_version;
	out->input_size = info.input_size;
	out->local_size = info.local_size;
	out->scratch_size = info.scratch_size;
	if (!n.workgroup_size_variable)
		for (int i = 0; i < 3; i++)
			out->block[i] = n.workgroup_size[i];
	snprintf(out->name, sizeof(out->name), "%s", n.name);
	if (debug & VSVM_CC_DEBUG_ASM)
		dump_asm(f, out);
out:
	if (ret && !err[0])
		snprintf(err, errlen, "compile failed (%d)", ret);
	vcc_func_fini(&fn);
	vcc_nir_fini(&n);
	if (ret)
		vsvm_cc_kernel_fini(out);
	return ret;
}

int vsvm_cc_compile(const void *nir, size_t size, unsigned int isa_version,
		    struct vsvm_cc_kernel *out, char *err, size_t errlen)
{
	return vsvm_cc_compile_debug(nir, size, isa_version, debug_from_env(),
				     NULL, out, err, errlen);
}

void vsvm_cc_kernel_fini(struct vsvm_cc_kernel *k)
{
	if (!k)
		return;
	free(k->code);
	memset(k, 0, sizeof(*k));
}
