// SPDX-License-Identifier: MIT
/*
 * Text dump of a read NIR shader (VSVM_DEBUG=nir), in a NIR-like notation:
 * "ssa_N" are object numbers as stored in the blob.
 */
#include <inttypes.h>

#include "vcc_nir.h"

static void indent(FILE *f, unsigned depth)
{
	for (unsigned i = 0; i < depth; i++)
		fputs("   ", f);
}

static void print_src(const struct vcc_nir *nir, FILE *f,
		      const struct vcc_nir_src *s, unsigned chans)
{
	static const char comp[] = "xyzwefghijklmnop";
	bool ident = true;

	if (s->negate)
		fputc('-', f);
	if (s->abs)
		fputs("abs(", f);
	fprintf(f, "ssa_%u", s->obj);
	for (unsigned c = 0; c < chans; c++)
		if (s->swizzle[c] != c)
			ident = false;
	if (s->obj < nir->num_objs &&
	    chans != nir->objs[s->obj].num_components)
		ident = false;
	if (!ident) {
		fputc('.', f);
		for (unsigned c = 0; c < chans; c++)
			fputc(comp[s->swizzle[c] & 15], f);
	}
	if (s->abs)
		fputc(')', f);
}

static void print_instr(const struct vcc_nir *nir, FILE *f,
			const struct vcc_nir_instr *in, unsigned depth)
{
	static const char *const jumps[] = { "return", "halt", "break",
					     "continue" };
	static const char *const derefs[] = { "var", "array", "wildcard",
					      "ptr_as_array", "struct",
					      "cast" };

	indent(f, depth);
	if (in->def != UINT32_MAX)
		fprintf(f, "vec%u %-2u ssa_%u = ", in->num_components,
			in->bit_size, in->def);
	switch (in->type) {
	case VCC_NIR_ALU:
		fprintf(f, "%s", vcc_nir_ops[in->op].name);
		for (uint32_t i = 0; i < in->nsrc; i++) {
			unsigned sz = vcc_nir_ops[in->op].input_sizes[i];

			fputc(' ', f);
			print_src(nir, f, &nir->srcs[in->src + i],
				  sz ? sz : in->num_components);
		}
		break;
	case VCC_NIR_INTRINSIC: {
		const struct vcc_nir_intrinsic_info *info =
			&vcc_nir_intrinsics[in->op];

		fprintf(f, "intrinsic %s (", info->name);
		for (uint32_t i = 0; i < in->nsrc; i++) {
			const struct vcc_nir_src *s = &nir->srcs[in->src + i];

			fprintf(f, "%sssa_%u", i ? ", " : "", s->obj);
		}
		fputs(") (", f);
		for (unsigned i = 0; i < info->num_indices; i++)
			fprintf(f, "%s%u", i ? ", " : "", in->index[i]);
		fputc(')', f);
		break;
	}
	case VCC_NIR_LOAD_CONST:
		fputs("load_const (", f);
		for (unsigned i = 0; i < in->num_components; i++)
			fprintf(f, "%s0x%" PRIx64, i ? ", " : "", in->value[i]);
		fputc(')', f);
		break;
	case VCC_NIR_UNDEF:
		fputs("undefined", f);
		break;
	case VCC_NIR_PHI:
		fputs("phi", f);
		for (uint32_t i = 0; i < in->nsrc; i++) {
			const struct vcc_nir_src *s = &nir->srcs[in->src + i];

			fprintf(f, "%s block_%u: ssa_%u", i ? "," : "",
				s->pred, s->obj);
		}
		break;
	case VCC_NIR_JUMP:
		fputs(in->op < 4 ? jumps[in->op] : "jump?", f);
		break;
	case VCC_NIR_DEREF:
		fprintf(f, "deref_%s", in->op < 6 ? derefs[in->op] : "?");
		for (uint32_t i = 0; i < in->nsrc; i++)
			fprintf(f, " ssa_%u", nir->srcs[in->src + i].obj);
		break;
	default:
		fputs("?", f);
	}
	fputc('\n', f);
}

static void print_list(const struct vcc_nir *nir, FILE *f, uint32_t node,
		       unsigned depth)
{
	for (; node != UINT32_MAX; node = nir->cf[node].next) {
		const struct vcc_nir_cf *cf = &nir->cf[node];

		switch (cf->type) {
		case VCC_NIR_CF_BLOCK:
			indent(f, depth);
			fprintf(f, "block block_%u:\n", cf->obj);
			for (uint32_t i = 0; i < cf->num_instrs; i++)
				print_instr(nir, f,
					    &nir->instrs[cf->first_instr + i],
					    depth + 1);
			break;
		case VCC_NIR_CF_IF:
			indent(f, depth);
			fprintf(f, "if ssa_%u {\n", nir->srcs[cf->cond].obj);
			print_list(nir, f, cf->list[0], depth + 1);
			indent(f, depth);
			fputs("} else {\n", f);
			print_list(nir, f, cf->list[1], depth + 1);
			indent(f, depth);
			fputs("}\n", f);
			break;
		case VCC_NIR_CF_LOOP:
			indent(f, depth);
			fputs("loop {\n", f);
			print_list(nir, f, cf->list[0], depth + 1);
			indent(f, depth);
			fputs("}\n", f);
			break;
		}
	}
}

void vcc_nir_print(const struct vcc_nir *nir, FILE *f)
{
	fprintf(f, "kernel %s: stage %u, shared %u, scratch %u, ptr_size %u, "
		"workgroup %ux%ux%u%s, %u objects, %u vars, %u functions, "
		"%u constant bytes, %u printfs\n",
		nir->name, nir->stage, nir->shared_size, nir->scratch_size,
		nir->ptr_size, nir->workgroup_size[0], nir->workgroup_size[1],
		nir->workgroup_size[2],
		nir->workgroup_size_variable ? " (variable)" : "",
		nir->num_objs, nir->num_vars, nir->num_functions,
		nir->constant_data_size, nir->printf_count);
	print_list(nir, f, nir->body, 0);
}
