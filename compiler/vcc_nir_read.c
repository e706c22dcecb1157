// SPDX-License-Identifier: MIT
/*
 * Reader of Mesa 22.3's serialized NIR (nir_serialize() output).
 *
 * Format notes (facts about Mesa 22.3, written here in our own words):
 * - The blob is a sequence of little-endian scalars. A 16/32/64-bit scalar
 *   is aligned to its size relative to the start of the blob (padding is
 *   skipped); byte arrays and strings (NUL-terminated) are not aligned.
 * - Objects (variables, functions, registers, SSA definitions, blocks) get
 *   consecutive numbers in the order the blob introduces them; sources refer
 *   to them by number.
 * - Each instruction starts with a 32-bit header whose low 4 bits are the
 *   instruction type; the rest depends on the type (see the read_* helpers).
 *   For instructions with a destination, the top 8 bits describe the SSA
 *   destination: bit 0 is_ssa, bits 1-3 components (0-4, 5 = 8, 6 = 16,
 *   7 = a separate u32), bits 4-6 bit size (0, or 1 << (n - 1)), bit 7
 *   divergent.
 * - shader_info is stored as raw struct bytes, with the name/label pointers
 *   zeroed: 296 bytes in Debian's 22.3.6 on x86_64, measured on blobs that
 *   clover produced (stage at byte 37, shared_size at 232, workgroup_size
 *   at 244, workgroup_size_variable bit 4 of byte 269, cs.ptr_size at 280;
 *   the struct at the branch point the source was read from computes to
 *   304 bytes: the released layout differs after shared_size).
 *   Variable data is stored raw as well (36 bytes).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vcc_nir.h"

#define NONE UINT32_MAX

struct reader {
	const uint8_t *data;
	size_t size, pos;
	bool fail;
	char *err;
	size_t errlen;
	struct vcc_nir *nir;
	uint32_t objs_len;	/* object count the header announces */
};

static void fail(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->fail)
		return;
	r->fail = true;
	if (!r->err || !r->errlen)
		return;
	n = snprintf(r->err, r->errlen, "nir: offset %zu: ", r->pos);
	if (n < 0 || (size_t)n >= r->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - n, fmt, ap);
	va_end(ap);
}

static const uint8_t *take(struct reader *r, size_t n, size_t align)
{
	const uint8_t *p;

	if (r->fail)
		return NULL;
	if (align > 1)
		r->pos = (r->pos + align - 1) & ~(align - 1);
	if (r->pos > r->size || r->size - r->pos < n) {
		fail(r, "blob truncated (need %zu bytes)", n);
		return NULL;
	}
	p = r->data + r->pos;
	r->pos += n;
	return p;
}

static uint32_t rd32(struct reader *r)
{
	const uint8_t *p = take(r, 4, 4);

	return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		   (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24 : 0;
}

static uint16_t rd16(struct reader *r)
{
	const uint8_t *p = take(r, 2, 2);

	return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

static uint8_t rd8(struct reader *r)
{
	const uint8_t *p = take(r, 1, 1);

	return p ? p[0] : 0;
}

static uint64_t rd64_unaligned(struct reader *r)
{
	const uint8_t *p = take(r, 8, 1);
	uint64_t v = 0;

	for (int i = 7; p && i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static const char *rdstr(struct reader *r)
{
	const uint8_t *nul;
	const char *s;

	if (r->fail)
		return "";
	if (r->pos >= r->size) {
		fail(r, "string past the end");
		return "";
	}
	nul = memchr(r->data + r->pos, 0, r->size - r->pos);
	if (!nul) {
		fail(r, "unterminated string");
		return "";
	}
	s = (const char *)r->data + r->pos;
	r->pos = nul - r->data + 1;
	return s;
}

static void skip(struct reader *r, size_t n)
{
	take(r, n, 1);
}

static uint32_t bits(uint32_t v, unsigned lo, unsigned n)
{
	return (v >> lo) & ((1u << n) - 1);
}

/* ---- objects and arrays ----------------------------------------------- */

static uint32_t add_obj(struct reader *r, uint8_t kind, uint8_t nc,
			uint8_t bs, uint32_t index)
{
	struct vcc_nir *nir = r->nir;
	uint32_t i = nir->num_objs;

	if (r->fail)
		return NONE;
	if (i >= r->objs_len) {
		fail(r, "more objects than the header announced (%u)",
		     r->objs_len);
		return NONE;
	}
	nir->objs[i].kind = kind;
	nir->objs[i].num_components = nc;
	nir->objs[i].bit_size = bs;
	nir->objs[i].index = index;
	nir->num_objs++;
	return i;
}

static bool grow(struct reader *r, void **arr, uint32_t *cap, uint32_t need,
		 size_t elem)
{
	uint32_t ncap;
	void *p;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, (size_t)ncap * elem);
	if (!p) {
		fail(r, "out of memory");
		return false;
	}
	memset((char *)p + (size_t)*cap * elem, 0,
	       (size_t)(ncap - *cap) * elem);
	*arr = p;
	*cap = ncap;
	return true;
}

static uint32_t new_instr(struct reader *r)
{
	struct vcc_nir *nir = r->nir;

	if (!grow(r, (void **)&nir->instrs, &nir->cap_instrs,
		  nir->num_instrs + 1, sizeof(*nir->instrs)))
		return NONE;
	nir->instrs[nir->num_instrs].def = NONE;
	return nir->num_instrs++;
}

static uint32_t new_srcs(struct reader *r, uint32_t n)
{
	struct vcc_nir *nir = r->nir;
	uint32_t first = nir->num_srcs;

	if (!grow(r, (void **)&nir->srcs, &nir->cap_srcs, first + n + 1,
		  sizeof(*nir->srcs)))
		return NONE;
	nir->num_srcs += n;
	return first;
}

static uint32_t new_cf(struct reader *r, uint8_t type, uint32_t parent)
{
	struct vcc_nir *nir = r->nir;
	struct vcc_nir_cf *cf;

	if (!grow(r, (void **)&nir->cf, &nir->cap_cf, nir->num_cf + 1,
		  sizeof(*nir->cf)))
		return NONE;
	cf = &nir->cf[nir->num_cf];
	cf->type = type;
	cf->next = NONE;
	cf->parent = parent;
	cf->obj = NONE;
	cf->cond = NONE;
	cf->list[0] = cf->list[1] = NONE;
	return nir->num_cf++;
}

/* Components of a referenced SSA def (0 if not a def: caught later). */
static unsigned def_components(struct reader *r, uint32_t obj)
{
	if (obj >= r->nir->num_objs || r->nir->objs[obj].kind != VCC_NIR_OBJ_DEF)
		return 0;
	return r->nir->objs[obj].num_components;
}

static void check_def(struct reader *r, uint32_t obj)
{
	if (r->fail)
		return;
	if (obj >= r->nir->num_objs || r->nir->objs[obj].kind != VCC_NIR_OBJ_DEF)
		fail(r, "source refers to object %u, not an SSA value", obj);
}

/* ---- types and variables ---------------------------------------------- */

enum {	/* glsl_base_type */
	GLSL_BOOL = 11, GLSL_SAMPLER, GLSL_TEXTURE, GLSL_IMAGE,
	GLSL_ATOMIC_UINT, GLSL_STRUCT, GLSL_INTERFACE, GLSL_ARRAY, GLSL_VOID,
	GLSL_SUBROUTINE,
};

static void skip_type(struct reader *r, unsigned depth)
{
	uint32_t t = rd32(r);
	uint32_t base = bits(t, 0, 5), n;

	if (t == 0 || r->fail)
		return;
	if (depth > 32) {
		fail(r, "type nesting too deep");
		return;
	}
	if (base <= GLSL_BOOL) {
		if (bits(t, 12, 16) == 0xffff)
			rd32(r);
		if (bits(t, 28, 4) == 0xf)
			rd32(r);
		return;
	}
	switch (base) {
	case GLSL_SAMPLER:
	case GLSL_TEXTURE:
	case GLSL_IMAGE:
	case GLSL_ATOMIC_UINT:
	case GLSL_VOID:
		return;
	case GLSL_SUBROUTINE:
		rdstr(r);
		return;
	case GLSL_ARRAY:
		if (bits(t, 5, 13) == 0x1fff)
			rd32(r);
		if (bits(t, 18, 14) == 0x3fff)
			rd32(r);
		skip_type(r, depth + 1);
		return;
	case GLSL_STRUCT:
	case GLSL_INTERFACE:
		rdstr(r);
		n = bits(t, 8, 20);
		if (n == 0xfffff)
			n = rd32(r);
		if (bits(t, 28, 4) == 0xf)
			rd32(r);
		for (uint32_t i = 0; i < n && !r->fail; i++) {
			skip_type(r, depth + 1);
			rdstr(r);
			for (int j = 0; j < 7; j++)	/* location .. flags */
				rd32(r);
		}
		return;
	default:
		fail(r, "unknown glsl type %u", base);
	}
}

static void skip_constant(struct reader *r, unsigned depth)
{
	uint32_t n;

	if (depth > 32) {
		fail(r, "constant nesting too deep");
		return;
	}
	skip(r, VCC_NIR_MAX_COMP * 8);	/* nir_const_value values[16] */
	n = rd32(r);
	for (uint32_t i = 0; i < n && !r->fail; i++)
		skip_constant(r, depth + 1);
}

static void read_variable(struct reader *r)
{
	uint32_t flags = rd32(r);
	uint32_t enc = bits(flags, 11, 2);

	add_obj(r, VCC_NIR_OBJ_VAR, 0, 0, 0);
	if (!bits(flags, 13, 1))		/* type_same_as_last */
		skip_type(r, 0);
	if (bits(flags, 3, 1) && !bits(flags, 14, 1))	/* interface type */
		skip_type(r, 0);
	if (bits(flags, 0, 1))			/* name */
		rdstr(r);
	if (enc == 0)				/* full nir_variable_data */
		skip(r, VCC_NIR_VAR_DATA_SIZE);
	else if (enc == 3)			/* location difference */
		rd32(r);
	if (bits(flags, 4, 7))
		fail(r, "variables with state slots are not supported");
	if (bits(flags, 1, 1))
		skip_constant(r, 0);
	if (bits(flags, 2, 1))
		rd32(r);
	skip(r, (size_t)bits(flags, 16, 16) * VCC_NIR_VAR_DATA_SIZE);
	r->nir->num_vars++;
}

static void read_var_list(struct reader *r)
{
	uint32_t n = rd32(r);

	for (uint32_t i = 0; i < n && !r->fail; i++)
		read_variable(r);
}

/* ---- instructions ----------------------------------------------------- */

/* The SSA destination encoded in the top byte of a header. */
static void read_dest(struct reader *r, uint32_t ii, uint32_t header)
{
	uint32_t d = header >> 24;
	struct vcc_nir_instr *in;
	unsigned nc, bs;

	if (!(d & 1)) {
		fail(r, "instruction writes a NIR register (not SSA)");
		return;
	}
	nc = bits(d, 1, 3);
	bs = bits(d, 4, 3);
	bs = bs ? 1u << (bs - 1) : 0;
	if (nc == 7)
		nc = rd32(r);
	else if (nc == 5)
		nc = 8;
	else if (nc == 6)
		nc = 16;
	if (nc < 1 || nc > VCC_NIR_MAX_COMP) {
		fail(r, "bad component count %u", nc);
		return;
	}
	in = &r->nir->instrs[ii];
	in->num_components = nc;
	in->bit_size = bs;
	in->def = add_obj(r, VCC_NIR_OBJ_DEF, nc, bs, ii);
}

/* A full 32-bit source word; returns the word for its footer bits. */
static uint32_t read_src(struct reader *r, struct vcc_nir_src *s)
{
	uint32_t w = rd32(r);

	if (r->fail)
		return 0;
	if (!(w & 1)) {
		fail(r, "source reads a NIR register (not SSA)");
		return 0;
	}
	s->obj = bits(w, 2, 20);
	check_def(r, s->obj);
	for (unsigned c = 0; c < VCC_NIR_MAX_COMP; c++)
		s->swizzle[c] = c;
	return w;
}

static unsigned alu_src_channels(const struct vcc_nir_instr *in, unsigned i)
{
	unsigned sz = vcc_nir_ops[in->op].input_sizes[i];

	return sz ? sz : in->num_components;
}

static void read_alu(struct reader *r, uint32_t header, uint32_t blk)
{
	uint32_t op = bits(header, 12, 9), ii, first;
	struct vcc_nir_instr *in;
	unsigned ninputs;

	if (op >= VCC_NIR_NUM_OPS) {
		fail(r, "ALU op %u out of range", op);
		return;
	}
	ii = new_instr(r);
	if (ii == NONE)
		return;
	in = &r->nir->instrs[ii];
	in->type = VCC_NIR_ALU;
	in->op = op;
	in->block = blk;
	in->flags = bits(header, 4, 4);
	read_dest(r, ii, header);
	ninputs = vcc_nir_ops[op].num_inputs;
	first = new_srcs(r, ninputs);
	if (first == NONE)
		return;
	in = &r->nir->instrs[ii];
	in->src = first;
	in->nsrc = ninputs;
	for (unsigned i = 0; i < ninputs && !r->fail; i++) {
		struct vcc_nir_src *s = &r->nir->srcs[first + i];
		unsigned chans = alu_src_channels(in, i);

		if (bits(header, 21, 1)) {	/* packed 16-bit SSA sources */
			s->obj = rd16(r);
			check_def(r, s->obj);
			for (unsigned c = 0; c < VCC_NIR_MAX_COMP; c++)
				s->swizzle[c] = c;
			if (i < 2)
				s->swizzle[0] = bits(header, 8 + 2 * i, 2);
		} else {
			uint32_t w = read_src(r, s);
			unsigned comps = def_components(r, s->obj);

			s->negate = bits(w, 22, 1);
			s->abs = bits(w, 23, 1);
			if (comps <= 4 && chans <= 4) {
				for (unsigned c = 0; c < 4; c++)
					s->swizzle[c] = bits(w, 24 + 2 * c, 2);
			} else {
				for (unsigned o = 0; o < chans; o += 8) {
					uint32_t v = rd32(r);

					for (unsigned j = 0; j < 8 && o + j < chans; j++)
						s->swizzle[o + j] = bits(v, 4 * j, 4);
				}
			}
		}
		for (unsigned c = 0; c < chans && !r->fail; c++)
			if (s->swizzle[c] >= def_components(r, s->obj))
				fail(r, "swizzle out of range");
	}
}

static void read_deref(struct reader *r, uint32_t header, uint32_t blk)
{
	uint32_t dt = bits(header, 4, 3), ii, first;
	struct vcc_nir_instr *in;

	ii = new_instr(r);
	if (ii == NONE)
		return;
	in = &r->nir->instrs[ii];
	in->type = VCC_NIR_DEREF;
	in->op = dt;
	in->block = blk;
	read_dest(r, ii, header);
	first = new_srcs(r, 2);
	if (first == NONE)
		return;
	in = &r->nir->instrs[ii];
	in->src = first;
	switch (dt) {
	case 0:		/* var */
		in->index[0] = bits(header, 8, 16);
		if (!in->index[0])
			in->index[0] = rd32(r);
		break;
	case 4:		/* struct */
		in->nsrc = 1;
		read_src(r, &r->nir->srcs[first]);
		in->index[0] = rd32(r);
		break;
	case 1:		/* array */
	case 3:		/* ptr_as_array */
		in->nsrc = 2;
		if (bits(header, 23, 1)) {
			r->nir->srcs[first].obj = rd16(r);
			r->nir->srcs[first + 1].obj = rd16(r);
		} else {
			read_src(r, &r->nir->srcs[first]);
			read_src(r, &r->nir->srcs[first + 1]);
		}
		break;
	case 5:		/* cast */
		in->nsrc = 1;
		read_src(r, &r->nir->srcs[first]);
		in->index[0] = rd32(r);	/* ptr_stride */
		in->index[1] = rd32(r);	/* align_mul */
		in->index[2] = rd32(r);	/* align_offset */
		in->index[3] = bits(header, 8, 5);	/* modes */
		if (!bits(header, 7, 1))
			skip_type(r, 0);
		break;
	case 2:		/* array_wildcard */
		in->nsrc = 1;
		read_src(r, &r->nir->srcs[first]);
		break;
	default:
		fail(r, "unknown deref type %u", dt);
	}
}

static void read_intrinsic(struct reader *r, uint32_t header, uint32_t blk)
{
	uint32_t op = bits(header, 4, 10), ii, first;
	const struct vcc_nir_intrinsic_info *info;
	struct vcc_nir_instr *in;
	unsigned enc = bits(header, 14, 2);

	if (op >= VCC_NIR_NUM_INTRINSICS) {
		fail(r, "intrinsic %u out of range", op);
		return;
	}
	info = &vcc_nir_intrinsics[op];
	ii = new_instr(r);
	if (ii == NONE)
		return;
	in = &r->nir->instrs[ii];
	in->type = VCC_NIR_INTRINSIC;
	in->op = op;
	in->block = blk;
	if (info->dest_components >= 0)
		read_dest(r, ii, header);
	first = new_srcs(r, info->num_srcs);
	if (first == NONE)
		return;
	in = &r->nir->instrs[ii];
	in->src = first;
	in->nsrc = info->num_srcs;
	for (unsigned i = 0; i < info->num_srcs; i++)
		read_src(r, &r->nir->srcs[first + i]);
	if (r->fail)
		return;
	if (info->dest_components < 0) {
		/* no dest: num_components is that of the vectorized source */
		in->num_components = 0;
		for (unsigned i = 0; i < info->num_srcs; i++) {
			if (info->src_components[i] == 0) {
				in->num_components = def_components(
					r, r->nir->srcs[first + i].obj);
				break;
			}
		}
	}
	if (info->num_indices > VCC_NIR_MAX_INDICES) {
		fail(r, "intrinsic %s: too many indices", info->name);
		return;
	}
	for (unsigned i = 0; i < info->num_indices; i++) {
		switch (enc) {
		case 0: {	/* all packed into 8 header bits */
			unsigned w = 8 / info->num_indices;

			in->index[i] = bits(header, 16 + i * w, w);
			break;
		}
		case 1:
			in->index[i] = rd8(r);
			break;
		case 2:
			in->index[i] = rd16(r);
			break;
		default:
			in->index[i] = rd32(r);
			break;
		}
	}
}

static void read_load_const(struct reader *r, uint32_t header, uint32_t blk,
			    bool undef)
{
	uint32_t ii = new_instr(r);
	struct vcc_nir_instr *in;
	unsigned nc = bits(header, 4, 4) + 1;
	unsigned bs = bits(header, 8, 3);
	unsigned packing = bits(header, 11, 2);
	uint32_t pv = bits(header, 13, 19);

	if (ii == NONE)
		return;
	in = &r->nir->instrs[ii];
	in->type = undef ? VCC_NIR_UNDEF : VCC_NIR_LOAD_CONST;
	in->block = blk;
	bs = bs ? 1u << (bs - 1) : 0;
	in->num_components = nc;
	in->bit_size = bs;
	if (bs != 1 && bs != 8 && bs != 16 && bs != 32 && bs != 64) {
		fail(r, "constant with bit size %u", bs);
		return;
	}
	if (!undef) {
		if (packing == 1) {		/* high 19 bits */
			if (bs == 64)
				in->value[0] = (uint64_t)pv << 45;
			else if (bs == 32)
				in->value[0] = (uint64_t)pv << 13;
			else
				fail(r, "bad constant packing");
		} else if (packing == 2) {	/* low 19 bits, sign-extended */
			int64_t sv = (int64_t)((uint64_t)pv << 45) >> 45;

			if (bs == 64)
				in->value[0] = (uint64_t)sv;
			else if (bs == 32)
				in->value[0] = (uint32_t)sv;
			else if (bs == 16)
				in->value[0] = pv & 0xffff;
			else if (bs == 8)
				in->value[0] = pv & 0xff;
			else
				in->value[0] = pv & 1;
		} else if (packing == 0) {
			for (unsigned i = 0; i < nc; i++) {
				switch (bs) {
				case 64:
					in->value[i] = rd64_unaligned(r);
					break;
				case 32:
					in->value[i] = rd32(r);
					break;
				case 16:
					in->value[i] = rd16(r);
					break;
				default:
					in->value[i] = rd8(r);
					if (bs == 1)
						in->value[i] &= 1;
					break;
				}
			}
		} else {
			fail(r, "bad constant packing");
		}
	}
	in->def = add_obj(r, VCC_NIR_OBJ_DEF, nc, bs, ii);
}

static void read_phi(struct reader *r, uint32_t header, uint32_t blk)
{
	uint32_t n = bits(header, 4, 20), ii, first;
	struct vcc_nir_instr *in;

	if (n > (r->size - r->pos) / 8) {
		fail(r, "phi with %u sources past the end", n);
		return;
	}
	ii = new_instr(r);
	if (ii == NONE)
		return;
	in = &r->nir->instrs[ii];
	in->type = VCC_NIR_PHI;
	in->block = blk;
	read_dest(r, ii, header);
	first = new_srcs(r, n);
	if (first == NONE)
		return;
	in = &r->nir->instrs[ii];
	in->src = first;
	in->nsrc = n;
	/* Sources may refer to later objects: checked after the function. */
	for (uint32_t i = 0; i < n && !r->fail; i++) {
		struct vcc_nir_src *s = &r->nir->srcs[first + i];

		s->obj = rd32(r);
		s->pred = rd32(r);
		for (unsigned c = 0; c < VCC_NIR_MAX_COMP; c++)
			s->swizzle[c] = c;
	}
}

static unsigned read_instr(struct reader *r, uint32_t blk)
{
	uint32_t header = rd32(r);
	uint32_t ii;
	unsigned n;

	if (r->fail)
		return 1;
	switch (bits(header, 0, 4)) {
	case VCC_NIR_ALU:
		n = bits(header, 22, 2) + 1;
		for (unsigned i = 0; i < n; i++)
			read_alu(r, header, blk);
		return n;
	case VCC_NIR_DEREF:
		read_deref(r, header, blk);
		return 1;
	case VCC_NIR_INTRINSIC:
		read_intrinsic(r, header, blk);
		return 1;
	case VCC_NIR_LOAD_CONST:
		read_load_const(r, header, blk, false);
		return 1;
	case VCC_NIR_UNDEF:
		read_load_const(r, header, blk, true);
		return 1;
	case VCC_NIR_PHI:
		read_phi(r, header, blk);
		return 1;
	case VCC_NIR_JUMP:
		ii = new_instr(r);
		if (ii == NONE)
			return 1;
		r->nir->instrs[ii].type = VCC_NIR_JUMP;
		r->nir->instrs[ii].op = bits(header, 4, 2);
		r->nir->instrs[ii].block = blk;
		if (bits(header, 4, 2) > VCC_NIR_JUMP_CONTINUE)
			fail(r, "goto jumps are not supported");
		return 1;
	case VCC_NIR_TEX:
		fail(r, "texture instructions are not supported");
		return 1;
	case VCC_NIR_CALL:
		fail(r, "function calls are not supported (not inlined?)");
		return 1;
	default:
		fail(r, "unknown instruction type %u", bits(header, 0, 4));
		return 1;
	}
}

/* ---- control flow ----------------------------------------------------- */

static uint32_t read_cf_list(struct reader *r, uint32_t parent, unsigned depth);

static uint32_t read_cf_node(struct reader *r, uint32_t parent,
			     unsigned depth)
{
	uint32_t type = rd32(r), node, n, idx;
	struct vcc_nir_cf *cf;

	if (r->fail)
		return NONE;
	if (type > VCC_NIR_CF_LOOP) {
		fail(r, "unknown control flow node %u", type);
		return NONE;
	}
	node = new_cf(r, type, parent);
	if (node == NONE)
		return NONE;
	switch (type) {
	case VCC_NIR_CF_BLOCK:
		idx = add_obj(r, VCC_NIR_OBJ_BLOCK, 0, 0, node);
		n = rd32(r);
		cf = &r->nir->cf[node];
		cf->obj = idx;
		cf->first_instr = r->nir->num_instrs;
		for (uint32_t i = 0; i < n && !r->fail;)
			i += read_instr(r, node);
		r->nir->cf[node].num_instrs =
			r->nir->num_instrs - r->nir->cf[node].first_instr;
		break;
	case VCC_NIR_CF_IF:
		idx = new_srcs(r, 1);
		if (idx == NONE)
			return NONE;
		read_src(r, &r->nir->srcs[idx]);
		r->nir->cf[node].cond = idx;
		rd8(r);					/* control */
		n = read_cf_list(r, node, depth + 1);
		r->nir->cf[node].list[0] = n;
		n = read_cf_list(r, node, depth + 1);
		r->nir->cf[node].list[1] = n;
		break;
	case VCC_NIR_CF_LOOP:
		rd8(r);					/* control */
		rd8(r);					/* divergent */
		n = read_cf_list(r, node, depth + 1);
		r->nir->cf[node].list[0] = n;
		break;
	}
	return node;
}

static uint32_t read_cf_list(struct reader *r, uint32_t parent, unsigned depth)
{
	uint32_t n = rd32(r), first = NONE, prev = NONE;

	if (depth > 256) {
		fail(r, "control flow nested too deeply");
		return NONE;
	}
	if (!r->fail && n == 0)
		fail(r, "empty control flow list");
	for (uint32_t i = 0; i < n && !r->fail; i++) {
		uint32_t node = read_cf_node(r, parent, depth);

		if (node == NONE)
			break;
		if (prev == NONE)
			first = node;
		else
			r->nir->cf[prev].next = node;
		prev = node;
	}
	return first;
}

static uint32_t read_function_impl(struct reader *r)
{
	uint32_t n, body;

	rd8(r);				/* structured */
	if (rd8(r))			/* preamble function */
		rd32(r);
	read_var_list(r);		/* locals */
	n = rd32(r);			/* registers */
	for (uint32_t i = 0; i < n && !r->fail; i++) {
		add_obj(r, VCC_NIR_OBJ_REG, 0, 0, 0);
		rd32(r);
		rd32(r);
		rd32(r);
		rd32(r);
		rd8(r);
		r->nir->num_regs++;
	}
	rd32(r);			/* reg_alloc */
	body = read_cf_list(r, NONE, 0);
	/* phi sources name objects that may come after the phi */
	for (uint32_t i = 0; i < r->nir->num_instrs && !r->fail; i++) {
		const struct vcc_nir_instr *in = &r->nir->instrs[i];

		if (in->type != VCC_NIR_PHI)
			continue;
		for (uint32_t s = 0; s < in->nsrc; s++) {
			const struct vcc_nir_src *src = &r->nir->srcs[in->src + s];

			check_def(r, src->obj);
			if (src->pred >= r->nir->num_objs ||
			    r->nir->objs[src->pred].kind != VCC_NIR_OBJ_BLOCK)
				fail(r, "phi predecessor %u is not a block",
				     src->pred);
		}
	}
	return body;
}

static void read_shader_info(struct reader *r)
{
	const uint8_t *p = take(r, VCC_NIR_SHADER_INFO_SIZE, 1);
	struct vcc_nir *nir = r->nir;

	if (!p)
		return;
	memcpy(nir->info, p, VCC_NIR_SHADER_INFO_SIZE);
	/* name and label pointers are written as zeroes */
	for (int i = 0; i < 16; i++)
		if (p[i])
			fail(r, "shader_info does not start with two NULL pointers: not a Mesa 22.3 x86_64 blob?");
	nir->stage = p[37];
	memcpy(&nir->shared_size, p + 232, 4);
	memcpy(nir->workgroup_size, p + 244, 6);
	nir->workgroup_size_variable = (p[269] >> 4) & 1;
	memcpy(&nir->ptr_size, p + 280, 4);
}

int vcc_nir_read(const void *data, size_t size, struct vcc_nir *nir,
		 char *err, size_t errlen)
{
	struct reader r = { .data = data, .size = size, .err = err,
			    .errlen = errlen, .nir = nir };
	uint32_t strings, nfuncs, entry_impl = NONE, n;
	int entry_func = -1;
	bool impl_flags[64];

	memset(nir, 0, sizeof(*nir));
	nir->body = NONE;
	if (err && errlen)
		err[0] = 0;

	r.objs_len = rd32(&r);
	if (r.objs_len > (1u << 20))
		fail(&r, "object count %u too large", r.objs_len);
	if (!r.fail) {
		nir->objs = calloc(r.objs_len ? r.objs_len : 1,
				   sizeof(*nir->objs));
		if (!nir->objs)
			fail(&r, "out of memory");
	}
	strings = rd32(&r);
	if (strings & 1)
		snprintf(nir->name, sizeof(nir->name), "%s", rdstr(&r));
	if (strings & 2)
		rdstr(&r);
	read_shader_info(&r);
	if (!r.fail && nir->stage != VCC_NIR_STAGE_KERNEL)
		fail(&r, "shader stage %u is not a kernel", nir->stage);
	read_var_list(&r);
	rd32(&r);				/* num_inputs */
	nir->num_uniforms = rd32(&r);		/* clover: input bytes */
	rd32(&r);				/* num_outputs */
	nir->scratch_size = rd32(&r);
	nfuncs = rd32(&r);
	if (nfuncs > 64)
		fail(&r, "%u functions", nfuncs);
	for (uint32_t i = 0; i < nfuncs && !r.fail; i++) {
		uint32_t flags = rd32(&r);
		const char *name = (flags & 4) ? rdstr(&r) : "";

		add_obj(&r, VCC_NIR_OBJ_FUNCTION, 0, 0, i);
		n = rd32(&r);
		for (uint32_t j = 0; j < n && !r.fail; j++)
			rd32(&r);
		impl_flags[i] = flags & 8;
		if (flags & 1) {
			entry_func = i;
			snprintf(nir->name, sizeof(nir->name), "%s", name);
		}
	}
	nir->num_functions = nfuncs;
	for (uint32_t i = 0, k = 0; i < nfuncs && !r.fail; i++) {
		uint32_t body;

		if (!impl_flags[i])
			continue;
		body = read_function_impl(&r);
		if ((int)i == entry_func)
			entry_impl = body;
		k++;
	}
	nir->constant_data_size = rd32(&r);
	if (nir->constant_data_size && !r.fail) {
		const uint8_t *p = take(&r, nir->constant_data_size, 1);

		nir->constant_data = p ? malloc(nir->constant_data_size) : NULL;
		if (p && !nir->constant_data)
			fail(&r, "out of memory");
		else if (p)
			memcpy(nir->constant_data, p, nir->constant_data_size);
	}
	n = rd32(&r);				/* xfb info size */
	skip(&r, n);
	if (nir->stage == VCC_NIR_STAGE_KERNEL) {
		nir->printf_count = rd32(&r);
		for (uint32_t i = 0; i < nir->printf_count && !r.fail; i++) {
			uint32_t nargs = rd32(&r), ssize = rd32(&r);

			skip(&r, (size_t)nargs * 4);
			skip(&r, ssize);
		}
	}
	if (!r.fail && entry_impl == NONE)
		fail(&r, "no entry point with a body");
	if (!r.fail && r.pos != size)
		fail(&r, "%zu bytes left after the shader", size - r.pos);
	if (!r.fail && nir->num_objs != r.objs_len)
		fail(&r, "read %u objects, header says %u", nir->num_objs,
		     r.objs_len);
	if (r.fail) {
		vcc_nir_fini(nir);
		return -EINVAL;
	}
	nir->body = entry_impl;
	return 0;
}

void vcc_nir_fini(struct vcc_nir *nir)
{
	free(nir->objs);
	free(nir->instrs);
	free(nir->srcs);
	free(nir->cf);
	free(nir->constant_data);
	memset(nir, 0, sizeof(*nir));
	nir->body = NONE;
}

int vcc_nir_op_find(const char *name)
{
	for (int i = 0; i < VCC_NIR_NUM_OPS; i++)
		if (!strcmp(vcc_nir_ops[i].name, name))
			return i;
	return -1;
}

int vcc_nir_intrinsic_find(const char *name)
{
	for (int i = 0; i < VCC_NIR_NUM_INTRINSICS; i++)
		if (!strcmp(vcc_nir_intrinsics[i].name, name))
			return i;
	return -1;
}
