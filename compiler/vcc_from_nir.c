// SPDX-License-Identifier: MIT
/*
 * NIR -> vcc IR: instruction selection for the vsvm ISA.
 *
 * Values: each component of an SSA value is one virtual register holding
 * the value zero-extended from its bit size (booleans are 0 or 1, floats
 * are binary32 bits in the low half). Operations that care about the sign
 * of narrower values sign-extend their inputs first; results are truncated
 * back when the operation can carry bits out (add, shift, negate, ...).
 *
 * Control flow: NIR's structured tree maps onto blocks in the same order:
 * an if ends the current block with a branch to the else list, the then
 * list jumps over the else list, a loop's last block jumps back to its
 * first, break/continue jump to the block after the loop / the loop head.
 * Phis become copies: every predecessor writes a fresh register t at its
 * end and the phi's block starts with "phi = t" (no lost copies, no swaps).
 *
 * Constants are re-materialized where they are used, so they never hold a
 * register for long; system values are computed once in the prologue.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vcc_from_nir.h"
#include "vcc_isa.h"
#include "vsvm.h"
#include "vsvm_cc.h"

#define NONE UINT32_MAX

enum kind {
	K_NONE, K_MOV, K_VEC, K_IADD, K_ISUB, K_IMUL, K_INEG, K_INOT, K_IAND,
	K_IOR, K_IXOR, K_ISHL, K_ISHR, K_USHR, K_UDIV, K_IDIV, K_UMOD, K_IREM,
	K_IMOD, K_IMIN, K_IMAX, K_UMIN, K_UMAX, K_IABS, K_IMULHI, K_UMULHI,
	K_IEQ, K_INE, K_ILT, K_IGE, K_ULT, K_UGE, K_FEQ, K_FNEU, K_FLT, K_FGE,
	K_FADD, K_FSUB, K_FMUL, K_FDIV, K_FNEG, K_FABS, K_FMIN, K_FMAX,
	K_FFMA, K_FRCP, K_FSAT, K_I2F32, K_U2F32, K_F2I, K_F2U, K_B2F32,
	K_B2I, K_I2I, K_U2U, K_I2B, K_F2B, K_B2B, K_BCSEL, K_PACK64,
	K_UNPACK_X, K_UNPACK_Y, K_BALL_I, K_BANY_I, K_BALL_F, K_BANY_F,
	K_EXTRACT_U8, K_EXTRACT_I8, K_EXTRACT_U16, K_EXTRACT_I16,
	K_UADD_CARRY, K_USUB_BORROW, K_FSQRT, K_FRSQ, K_FTRUNC, K_FFLOOR,
	K_FCEIL, K_FROUND_EVEN, K_FSIGN, K_UFIND_MSB, K_IFIND_MSB, K_FIND_LSB,
	K_BIT_COUNT, K_UCLZ, K_IHADD, K_UHADD, K_IRHADD, K_URHADD, K_IADD_SAT,
	K_UADD_SAT, K_ISUB_SAT, K_USUB_SAT, K_PACK_32_2X16, K_PACK_32_2X16_SPLIT,
	K_F2I64, K_F2U64, K_BITFIELD_SELECT, K_IMUL24, K_UMUL24, K_IMAD24,
	K_UMAD24,
};

static const struct {
	const char *name;
	uint8_t kind;
} alu_names[] = {
	{ "mov", K_MOV }, { "vec2", K_VEC }, { "vec3", K_VEC },
	{ "vec4", K_VEC }, { "vec5", K_VEC }, { "vec8", K_VEC },
	{ "vec16", K_VEC }, { "iadd", K_IADD }, { "isub", K_ISUB },
	{ "imul", K_IMUL }, { "amul", K_IMUL }, { "ineg", K_INEG },
	{ "inot", K_INOT }, { "iand", K_IAND }, { "ior", K_IOR },
	{ "ixor", K_IXOR }, { "ishl", K_ISHL }, { "ishr", K_ISHR },
	{ "ushr", K_USHR }, { "udiv", K_UDIV }, { "idiv", K_IDIV },
	{ "umod", K_UMOD }, { "irem", K_IREM }, { "imod", K_IMOD },
	{ "imin", K_IMIN }, { "imax", K_IMAX }, { "umin", K_UMIN },
	{ "umax", K_UMAX }, { "iabs", K_IABS }, { "imul_high", K_IMULHI },
	{ "umul_high", K_UMULHI }, { "ieq", K_IEQ }, { "ine", K_INE },
	{ "ilt", K_ILT }, { "ige", K_IGE }, { "ult", K_ULT }, { "uge", K_UGE },
	{ "feq", K_FEQ }, { "fneu", K_FNEU }, { "flt", K_FLT },
	{ "fge", K_FGE }, { "fadd", K_FADD }, { "fsub", K_FSUB },
	{ "fmul", K_FMUL }, { "fdiv", K_FDIV }, { "fneg", K_FNEG },
	{ "fabs", K_FABS }, { "fmin", K_FMIN }, { "fmax", K_FMAX },
	{ "ffma", K_FFMA }, { "frcp", K_FRCP }, { "fsat", K_FSAT },
	{ "i2f32", K_I2F32 }, { "u2f32", K_U2F32 },
	{ "f2i8", K_F2I }, { "f2i16", K_F2I }, { "f2i32", K_F2I },
	{ "f2u8", K_F2U }, { "f2u16", K_F2U }, { "f2u32", K_F2U },
	{ "b2f32", K_B2F32 },
	{ "b2i1", K_B2I }, { "b2i8", K_B2I }, { "b2i16", K_B2I },
	{ "b2i32", K_B2I }, { "b2i64", K_B2I },
	{ "i2i1", K_I2I }, { "i2i8", K_I2I }, { "i2i16", K_I2I },
	{ "i2i32", K_I2I }, { "i2i64", K_I2I },
	{ "u2u1", K_U2U }, { "u2u8", K_U2U }, { "u2u16", K_U2U },
	{ "u2u32", K_U2U }, { "u2u64", K_U2U },
	{ "i2b1", K_I2B }, { "f2b1", K_F2B },
	{ "b2b1", K_B2B }, { "b2b8", K_B2B }, { "b2b16", K_B2B },
	{ "b2b32", K_B2B }, { "bcsel", K_BCSEL },
	{ "pack_64_2x32_split", K_PACK64 },
	{ "unpack_64_2x32_split_x", K_UNPACK_X },
	{ "unpack_64_2x32_split_y", K_UNPACK_Y },
	{ "ball_iequal2", K_BALL_I }, { "ball_iequal3", K_BALL_I },
	{ "ball_iequal4", K_BALL_I }, { "ball_iequal8", K_BALL_I },
	{ "ball_iequal16", K_BALL_I },
	{ "bany_inequal2", K_BANY_I }, { "bany_inequal3", K_BANY_I },
	{ "bany_inequal4", K_BANY_I }, { "bany_inequal8", K_BANY_I },
	{ "bany_inequal16", K_BANY_I },
	{ "ball_fequal2", K_BALL_F }, { "ball_fequal3", K_BALL_F },
	{ "ball_fequal4", K_BALL_F }, { "ball_fequal8", K_BALL_F },
	{ "ball_fequal16", K_BALL_F },
	{ "bany_fnequal2", K_BANY_F }, { "bany_fnequal3", K_BANY_F },
	{ "bany_fnequal4", K_BANY_F }, { "bany_fnequal8", K_BANY_F },
	{ "bany_fnequal16", K_BANY_F },
	{ "extract_u8", K_EXTRACT_U8 }, { "extract_i8", K_EXTRACT_I8 },
	{ "extract_u16", K_EXTRACT_U16 }, { "extract_i16", K_EXTRACT_I16 },
	{ "uadd_carry", K_UADD_CARRY }, { "usub_borrow", K_USUB_BORROW },
	{ "fsqrt", K_FSQRT }, { "frsq", K_FRSQ },
	{ "ftrunc", K_FTRUNC }, { "ffloor", K_FFLOOR }, { "fceil", K_FCEIL },
	{ "fround_even", K_FROUND_EVEN }, { "fsign", K_FSIGN },
	{ "ufind_msb", K_UFIND_MSB }, { "ifind_msb", K_IFIND_MSB },
	{ "find_lsb", K_FIND_LSB }, { "bit_count", K_BIT_COUNT },
	{ "uclz", K_UCLZ }, { "ihadd", K_IHADD }, { "uhadd", K_UHADD },
	{ "irhadd", K_IRHADD }, { "urhadd", K_URHADD },
	{ "iadd_sat", K_IADD_SAT }, { "uadd_sat", K_UADD_SAT },
	{ "isub_sat", K_ISUB_SAT }, { "usub_sat", K_USUB_SAT },
	{ "pack_32_2x16", K_PACK_32_2X16 },
	{ "pack_32_2x16_split", K_PACK_32_2X16_SPLIT },
	{ "f2i64", K_F2I64 }, { "f2u64", K_F2U64 },
	{ "bitfield_select", K_BITFIELD_SELECT },
	{ "imul24", K_IMUL24 }, { "umul24", K_UMUL24 },
	{ "imul24_relaxed", K_IMUL }, { "umul24_relaxed", K_IMUL },
	{ "imad24_relaxed", K_IMAD24 }, { "umad24_relaxed", K_UMAD24 },
	{ "imad24", K_IMAD24 }, { "umad24", K_UMAD24 },
};

enum intr {
	I_NONE, I_LOAD_INPUT, I_LOAD_GLOBAL, I_STORE_GLOBAL, I_ATOMIC,
	I_LOCAL_ID, I_GROUP_ID, I_NUM_GROUPS, I_GROUP_SIZE, I_WORK_DIM,
	I_GLOBAL_ID, I_GLOBAL_ID0, I_BASE_GLOBAL_ID, I_LOCAL_INDEX,
	I_GLOBAL_SIZE, I_BASE_GROUP_ID, I_CONTROL_BARRIER, I_MEMORY_BARRIER,
	I_SCOPED_BARRIER, I_LOAD_SHARED, I_STORE_SHARED, I_SHARED_ATOMIC,
	I_LOAD_SCRATCH, I_STORE_SCRATCH,
};

enum atomic {
	A_ADD, A_IMIN, A_IMAX, A_UMIN, A_UMAX, A_AND, A_OR, A_XOR, A_XCHG,
	A_CMPXCHG,
};

static const struct {
	const char *name;
	uint8_t intr, atomic;
} intr_names[] = {
	{ "load_kernel_input", I_LOAD_INPUT, 0 },
	{ "load_global", I_LOAD_GLOBAL, 0 },
	{ "load_global_constant", I_LOAD_GLOBAL, 0 },
	{ "store_global", I_STORE_GLOBAL, 0 },
	{ "global_atomic_add", I_ATOMIC, A_ADD },
	{ "global_atomic_imin", I_ATOMIC, A_IMIN },
	{ "global_atomic_imax", I_ATOMIC, A_IMAX },
	{ "global_atomic_umin", I_ATOMIC, A_UMIN },
	{ "global_atomic_umax", I_ATOMIC, A_UMAX },
	{ "global_atomic_and", I_ATOMIC, A_AND },
	{ "global_atomic_or", I_ATOMIC, A_OR },
	{ "global_atomic_xor", I_ATOMIC, A_XOR },
	{ "global_atomic_exchange", I_ATOMIC, A_XCHG },
	{ "global_atomic_comp_swap", I_ATOMIC, A_CMPXCHG },
	{ "load_local_invocation_id", I_LOCAL_ID, 0 },
	{ "load_workgroup_id", I_GROUP_ID, 0 },
	{ "load_workgroup_id_zero_base", I_GROUP_ID, 0 },
	{ "load_base_workgroup_id", I_BASE_GROUP_ID, 0 },
	{ "load_num_workgroups", I_NUM_GROUPS, 0 },
	{ "load_workgroup_size", I_GROUP_SIZE, 0 },
	{ "load_work_dim", I_WORK_DIM, 0 },
	{ "load_global_invocation_id", I_GLOBAL_ID, 0 },
	{ "load_global_invocation_id_zero_base", I_GLOBAL_ID0, 0 },
	{ "load_base_global_invocation_id", I_BASE_GLOBAL_ID, 0 },
	{ "load_local_invocation_index", I_LOCAL_INDEX, 0 },
	{ "load_global_size", I_GLOBAL_SIZE, 0 },
	{ "control_barrier", I_CONTROL_BARRIER, 0 },
	{ "memory_barrier", I_MEMORY_BARRIER, 0 },
	{ "memory_barrier_buffer", I_MEMORY_BARRIER, 0 },
	{ "memory_barrier_shared", I_MEMORY_BARRIER, 0 },
	{ "memory_barrier_image", I_MEMORY_BARRIER, 0 },
	{ "group_memory_barrier", I_MEMORY_BARRIER, 0 },
	{ "scoped_barrier", I_SCOPED_BARRIER, 0 },
	{ "load_shared", I_LOAD_SHARED, 0 },
	{ "store_shared", I_STORE_SHARED, 0 },
	{ "shared_atomic_add", I_SHARED_ATOMIC, A_ADD },
	{ "shared_atomic_imin", I_SHARED_ATOMIC, A_IMIN },
	{ "shared_atomic_imax", I_SHARED_ATOMIC, A_IMAX },
	{ "shared_atomic_umin", I_SHARED_ATOMIC, A_UMIN },
	{ "shared_atomic_umax", I_SHARED_ATOMIC, A_UMAX },
	{ "shared_atomic_and", I_SHARED_ATOMIC, A_AND },
	{ "shared_atomic_or", I_SHARED_ATOMIC, A_OR },
	{ "shared_atomic_xor", I_SHARED_ATOMIC, A_XOR },
	{ "shared_atomic_exchange", I_SHARED_ATOMIC, A_XCHG },
	{ "shared_atomic_comp_swap", I_SHARED_ATOMIC, A_CMPXCHG },
	{ "load_scratch", I_LOAD_SCRATCH, 0 },
	{ "store_scratch", I_STORE_SCRATCH, 0 },
};

#define NIR_SCOPE_WORKGROUP 4

struct loop {
	uint32_t head;
	uint32_t *breaks;
	uint32_t num_breaks, cap_breaks;
};

struct phi_fix {
	uint32_t instr;
	uint32_t tmp;		/* first of num_components fresh registers */
};

struct ctx {
	const struct vcc_nir *nir;
	struct vcc_func *fn;
	unsigned isa;
	char *err;
	size_t errlen;
	int ret;

	uint8_t alu_kind[VCC_NIR_NUM_OPS];
	uint8_t intr_kind[VCC_NIR_NUM_INTRINSICS];
	uint8_t atomic_kind[VCC_NIR_NUM_INTRINSICS];

	uint32_t cur;			/* current block */
	uint32_t *val;			/* object -> first register */
	uint32_t *blk_last;		/* NIR block object -> last block */
	struct phi_fix *phis;
	uint32_t num_phis, cap_phis;
	struct loop loops[64];
	unsigned depth;

	uint32_t abi[VSVM_CC_ABI_NUM_ARGS];
	uint32_t sv_lid[3], sv_gid[3], sv_lane, sv_lidx, sv_gidx, sv_gsz;
	uint32_t sv_scratch;		/* ISA v2: this lane's private memory */
	uint32_t input_end;
	bool used_v3, used_local, used_scratch;
	uint32_t local_shift;		/* static __local bytes, aligned */
	uint32_t local_inputs[32];	/* input offsets of __local pointers */
	unsigned num_local_inputs;
};

static void fail(struct ctx *c, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct ctx *c, int ret, const char *fmt, ...)
{
	va_list ap;

	if (c->ret)
		return;
	c->ret = ret;
	if (!c->err || !c->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
}

/* ---- blocks and instructions ------------------------------------------ */

static uint32_t new_block(struct ctx *c)
{
	struct vcc_func *fn = c->fn;
	struct vcc_block *b;

	if (c->ret)
		return 0;
	if (fn->num_blocks == fn->cap_blocks) {
		uint32_t cap = fn->cap_blocks ? fn->cap_blocks * 2 : 16;
		void *p = realloc(fn->blocks, cap * sizeof(*fn->blocks));

		if (!p) {
			fail(c, -ENOMEM, "out of memory");
			return 0;
		}
		fn->blocks = p;
		fn->cap_blocks = cap;
	}
	b = &fn->blocks[fn->num_blocks];
	memset(b, 0, sizeof(*b));
	b->term = VCC_TERM_FALL;
	b->br_ra = b->br_rb = VCC_NO_REG;
	c->cur = fn->num_blocks;
	return fn->num_blocks++;
}

static uint32_t newv(struct ctx *c, unsigned n)
{
	uint32_t v = c->fn->num_vregs;

	c->fn->num_vregs += n;
	return v;
}

static void emit_in(struct ctx *c, uint32_t b, unsigned op, uint32_t rd,
		    uint32_t ra, uint32_t rb, int32_t imm)
{
	struct vcc_block *blk;
	struct vcc_insn *in;

	if (c->ret)
		return;
	blk = &c->fn->blocks[b];
	if (blk->num == blk->cap) {
		uint32_t cap = blk->cap ? blk->cap * 2 : 16;
		void *p = realloc(blk->insns, cap * sizeof(*blk->insns));

		if (!p) {
			fail(c, -ENOMEM, "out of memory");
			return;
		}
		blk->insns = p;
		blk->cap = cap;
	}
	in = &blk->insns[blk->num++];
	in->op = op;
	in->rd = rd;
	in->ra = ra;
	in->rb = rb;
	in->imm = imm;
}

static void emit(struct ctx *c, unsigned op, uint32_t rd, uint32_t ra,
		 uint32_t rb, int32_t imm)
{
	emit_in(c, c->cur, op, rd, ra, rb, imm);
}

static void li_in(struct ctx *c, uint32_t b, uint32_t rd, uint64_t v)
{
	emit_in(c, b, DRM_VSVM_OP_LI, rd, NONE, NONE, (int32_t)(uint32_t)v);
	if ((uint64_t)(int64_t)(int32_t)(uint32_t)v != v)
		emit_in(c, b, DRM_VSVM_OP_LIH, rd, NONE, NONE,
			(int32_t)(uint32_t)(v >> 32));
}

static uint32_t imm(struct ctx *c, uint64_t v)
{
	uint32_t r = newv(c, 1);

	li_in(c, c->cur, r, v);
	return r;
}

static uint32_t op2(struct ctx *c, unsigned op, uint32_t a, uint32_t b)
{
	uint32_t r = newv(c, 1);

	emit(c, op, r, a, b, 0);
	return r;
}

static uint32_t opi(struct ctx *c, unsigned op, uint32_t a, int32_t i)
{
	uint32_t r = newv(c, 1);

	emit(c, op, r, a, NONE, i);
	return r;
}

static uint32_t op1(struct ctx *c, unsigned op, uint32_t a)
{
	uint32_t r = newv(c, 1);

	emit(c, op, r, a, NONE, 0);
	return r;
}

/* Keep the low @bits bits (canonical form of a @bits-bit value). */
static uint32_t trunc_to(struct ctx *c, uint32_t v, unsigned bits)
{
	switch (bits) {
	case 64:
		return v;
	case 32:
		return op1(c, DRM_VSVM_OP_ZEXT32, v);
	default:
		return opi(c, DRM_VSVM_OP_ANDI, v, (int32_t)((1u << bits) - 1));
	}
}

/* Sign-extend a @bits-bit value to 64 bits. */
static uint32_t sext(struct ctx *c, uint32_t v, unsigned bits)
{
	switch (bits) {
	case 64:
		return v;
	case 32:
		return op1(c, DRM_VSVM_OP_SEXT32, v);
	default:
		return opi(c, DRM_VSVM_OP_SARI, opi(c, DRM_VSVM_OP_SHLI, v, 64 - bits),
			   64 - bits);
	}
}

static uint32_t not1(struct ctx *c, uint32_t v)
{
	return opi(c, DRM_VSVM_OP_XORI, v, 1);
}

/* cond (0 or 1) ? a : b */
static uint32_t sel(struct ctx *c, uint32_t cond, uint32_t a, uint32_t b)
{
	uint32_t m = op2(c, DRM_VSVM_OP_SUB, imm(c, 0), cond);
	uint32_t t = op2(c, DRM_VSVM_OP_AND, op2(c, DRM_VSVM_OP_XOR, a, b), m);

	return op2(c, DRM_VSVM_OP_XOR, b, t);
}

/* ---- values ----------------------------------------------------------- */

static const struct vcc_nir_instr *def_instr(struct ctx *c, uint32_t obj)
{
	return &c->nir->instrs[c->nir->objs[obj].index];
}

/* Value of a constant source, looking through conversions of constants. */
static bool const_value(struct ctx *c, uint32_t obj, unsigned comp,
			unsigned depth, uint64_t *v)
{
	const struct vcc_nir_instr *d = def_instr(c, obj);
	const struct vcc_nir_src *s;
	unsigned k, sb;

	if (d->type == VCC_NIR_LOAD_CONST) {
		*v = d->value[comp];
		return true;
	}
	if (d->type != VCC_NIR_ALU || depth > 4)
		return false;
	k = c->alu_kind[d->op];
	if (k != K_U2U && k != K_I2I && k != K_MOV)
		return false;
	s = &c->nir->srcs[d->src];
	if (!const_value(c, s->obj, s->swizzle[comp], depth + 1, v))
		return false;
	sb = c->nir->objs[s->obj].bit_size;
	if (k == K_I2I && sb < 64 && d->bit_size > sb)
		*v = (uint64_t)((int64_t)(*v << (64 - sb)) >> (64 - sb));
	if (d->bit_size < 64)
		*v &= (1ull << d->bit_size) - 1;
	return true;
}

static bool src_const(struct ctx *c, const struct vcc_nir_src *s,
		      unsigned comp, uint64_t *v)
{
	return const_value(c, s->obj, s->swizzle[comp], 0, v);
}

static unsigned src_bits(struct ctx *c, const struct vcc_nir_src *s)
{
	return c->nir->objs[s->obj].bit_size;
}

/* Register holding component @comp of source @s. */
static uint32_t src_reg(struct ctx *c, const struct vcc_nir_src *s,
			unsigned comp)
{
	uint64_t v;

	if (c->ret)
		return 0;
	if (s->negate || s->abs) {
		fail(c, -EINVAL, "ALU source modifiers are not supported");
		return 0;
	}
	if (src_const(c, s, comp, &v))
		return imm(c, v);
	if (c->val[s->obj] == NONE) {
		fail(c, -EINVAL, "ssa_%u used before it is defined", s->obj);
		return 0;
	}
	return c->val[s->obj] + s->swizzle[comp];
}

static uint32_t abi_reg(struct ctx *c, unsigned r)
{
	if (c->abi[r] == NONE) {
		c->abi[r] = newv(c, 1);
		emit_in(c, 0, DRM_VSVM_OP_MOV, c->abi[r], r, NONE, 0);
	}
	return c->abi[r];
}

/* ---- system values (ISA v2: from LANE_ID and the launch registers) ---- */

#define PRO 1	/* the block computing system values */

static uint32_t pro_op2(struct ctx *c, unsigned op, uint32_t a, uint32_t b)
{
	uint32_t r = newv(c, 1);

	emit_in(c, PRO, op, r, a, b, 0);
	return r;
}

static void sysvals_ids(struct ctx *c)
{
	uint32_t b[3], g[3], t;

	if (c->sv_lane != NONE)
		return;
	for (int i = 0; i < 3; i++) {
		b[i] = abi_reg(c, VSVM_CC_ABI_BLOCK + i);
		g[i] = abi_reg(c, VSVM_CC_ABI_GRID + i);
	}
	c->sv_lane = newv(c, 1);
	emit_in(c, PRO, DRM_VSVM_OP_SR, c->sv_lane, NONE, NONE, DRM_VSVM_SREG_LANE_ID);
	c->sv_gsz = pro_op2(c, DRM_VSVM_OP_MUL, pro_op2(c, DRM_VSVM_OP_MUL, b[0], b[1]),
			    b[2]);
	c->sv_lidx = pro_op2(c, DRM_VSVM_OP_REMU, c->sv_lane, c->sv_gsz);
	c->sv_gidx = pro_op2(c, DRM_VSVM_OP_DIVU, c->sv_lane, c->sv_gsz);
	c->sv_lid[0] = pro_op2(c, DRM_VSVM_OP_REMU, c->sv_lidx, b[0]);
	t = pro_op2(c, DRM_VSVM_OP_DIVU, c->sv_lidx, b[0]);
	c->sv_lid[1] = pro_op2(c, DRM_VSVM_OP_REMU, t, b[1]);
	c->sv_lid[2] = pro_op2(c, DRM_VSVM_OP_DIVU, t, b[1]);
	c->sv_gid[0] = pro_op2(c, DRM_VSVM_OP_REMU, c->sv_gidx, g[0]);
	t = pro_op2(c, DRM_VSVM_OP_DIVU, c->sv_gidx, g[0]);
	c->sv_gid[1] = pro_op2(c, DRM_VSVM_OP_REMU, t, g[1]);
	c->sv_gid[2] = pro_op2(c, DRM_VSVM_OP_DIVU, t, g[1]);
}

static void sysval(struct ctx *c, const struct vcc_nir_instr *in,
		   uint32_t d, enum intr k)
{
	if (in->num_components > 3) {
		fail(c, -EINVAL, "%s with %u components",
		     vcc_nir_intrinsics[in->op].name, in->num_components);
		return;
	}
	for (unsigned i = 0; i < in->num_components && !c->ret; i++) {
		uint32_t v;

		switch (k) {
		case I_LOCAL_ID:
			sysvals_ids(c);
			v = c->sv_lid[i];
			break;
		case I_GROUP_ID:
			sysvals_ids(c);
			v = c->sv_gid[i];
			break;
		case I_BASE_GROUP_ID:
			v = imm(c, 0);
			break;
		case I_NUM_GROUPS:
			v = abi_reg(c, VSVM_CC_ABI_GRID + i);
			break;
		case I_GROUP_SIZE:
			v = abi_reg(c, VSVM_CC_ABI_BLOCK + i);
			break;
		case I_WORK_DIM:
			v = abi_reg(c, VSVM_CC_ABI_WORK_DIM);
			break;
		case I_BASE_GLOBAL_ID:
			v = abi_reg(c, VSVM_CC_ABI_OFFSET + i);
			break;
		case I_LOCAL_INDEX:
			sysvals_ids(c);
			v = c->sv_lidx;
			break;
		case I_GLOBAL_SIZE:
			v = op2(c, DRM_VSVM_OP_MUL, abi_reg(c, VSVM_CC_ABI_GRID + i),
				abi_reg(c, VSVM_CC_ABI_BLOCK + i));
			break;
		case I_GLOBAL_ID:
		case I_GLOBAL_ID0:
			sysvals_ids(c);
			v = op2(c, DRM_VSVM_OP_MUL, c->sv_gid[i],
				abi_reg(c, VSVM_CC_ABI_BLOCK + i));
			v = op2(c, DRM_VSVM_OP_ADD, v, c->sv_lid[i]);
			if (k == I_GLOBAL_ID)
				v = op2(c, DRM_VSVM_OP_ADD, v,
					abi_reg(c, VSVM_CC_ABI_OFFSET + i));
			break;
		default:
			v = imm(c, 0);
			break;
		}
		if (in->bit_size < 64)
			v = trunc_to(c, v, in->bit_size);
		emit(c, DRM_VSVM_OP_MOV, d + i, v, NONE, 0);
	}
}

/* ---- memory ----------------------------------------------------------- */

static unsigned ld_op(unsigned bits)
{
	switch (bits) {
	case 8: return DRM_VSVM_OP_LD8;
	case 16: return DRM_VSVM_OP_LD16;
	case 32: return DRM_VSVM_OP_LD32;
	default: return DRM_VSVM_OP_LD64;
	}
}

static unsigned st_op(unsigned bits)
{
	switch (bits) {
	case 8: return DRM_VSVM_OP_ST8;
	case 16: return DRM_VSVM_OP_ST16;
	case 32: return DRM_VSVM_OP_ST32;
	default: return DRM_VSVM_OP_ST64;
	}
}

static bool mem_bits_ok(struct ctx *c, unsigned bits)
{
	if (bits == 8 || bits == 16 || bits == 32 || bits == 64)
		return true;
	fail(c, -EINVAL, "memory access of %u-bit values", bits);
	return false;
}

static void load_input(struct ctx *c, const struct vcc_nir_instr *in,
		       uint32_t d)
{
	const struct vcc_nir_src *s = &c->nir->srcs[in->src];
	unsigned size = in->bit_size / 8;
	uint32_t base = abi_reg(c, VSVM_CC_ABI_INPUT);
	uint64_t off;
	int64_t o = (int32_t)in->index[0];

	if (!mem_bits_ok(c, in->bit_size))
		return;
	if (src_const(c, s, 0, &off)) {
		o += (int64_t)off;
	} else {
		base = op2(c, DRM_VSVM_OP_ADD, base, src_reg(c, s, 0));
	}
	if (o < 0 || o > (1 << 20)) {
		fail(c, -EINVAL, "kernel input offset %lld", (long long)o);
		return;
	}
	for (unsigned i = 0; i < in->num_components; i++) {
		bool local_ptr = false;

		for (unsigned j = 0; j < c->num_local_inputs; j++)
			local_ptr |= c->local_inputs[j] == o + i * size;
		if (!local_ptr || !c->local_shift) {
			emit(c, ld_op(in->bit_size), d + i, base, NONE,
			     (int32_t)(o + i * size));
			continue;
		}
		/* a __local argument: clover counts from 0, but the static
		 * __local variables come first */
		emit(c, ld_op(in->bit_size), d + i, base, NONE,
		     (int32_t)(o + i * size));
		emit(c, DRM_VSVM_OP_ADDI, d + i, d + i, NONE,
		     (int32_t)c->local_shift);
	}
	if (o + in->num_components * size > c->input_end)
		c->input_end = o + in->num_components * size;
}

static void load_global(struct ctx *c, const struct vcc_nir_instr *in,
			uint32_t d)
{
	uint32_t addr = src_reg(c, &c->nir->srcs[in->src], 0);
	unsigned size = in->bit_size / 8;

	if (!mem_bits_ok(c, in->bit_size))
		return;
	for (unsigned i = 0; i < in->num_components; i++)
		emit(c, ld_op(in->bit_size), d + i, addr, NONE, i * size);
}

static void store_global(struct ctx *c, const struct vcc_nir_instr *in)
{
	const struct vcc_nir_src *val = &c->nir->srcs[in->src];
	uint32_t addr = src_reg(c, &c->nir->srcs[in->src + 1], 0);
	unsigned bits = src_bits(c, val), size = bits / 8;
	uint32_t mask = in->index[0];

	if (!mem_bits_ok(c, bits))
		return;
	for (unsigned i = 0; i < in->num_components; i++)
		if (mask >> i & 1)
			emit(c, st_op(bits), NONE, addr, src_reg(c, val, i),
			     i * size);
}

/* old = *addr; loop { new = old OP v; if (cmpxchg(addr, old, new)) done } */
static void cas_loop(struct ctx *c, enum atomic a, unsigned bits,
		     uint32_t addr, int32_t off, uint32_t v, uint32_t d)
{
	unsigned cmpxchg = bits == 64 ? DRM_VSVM_OP_ACMPXCHG64 : DRM_VSVM_OP_ACMPXCHG32;
	uint32_t loop, retry, done, old = newv(c, 1), exp = newv(c, 1), nv;

	emit(c, ld_op(bits), old, addr, NONE, off);
	loop = new_block(c);
	switch (a) {
	case A_AND:
		nv = op2(c, DRM_VSVM_OP_AND, old, v);
		break;
	case A_OR:
		nv = op2(c, DRM_VSVM_OP_OR, old, v);
		break;
	case A_XOR:
		nv = op2(c, DRM_VSVM_OP_XOR, old, v);
		break;
	case A_UMIN:
		nv = sel(c, op2(c, DRM_VSVM_OP_SLTU, old, v), old, v);
		break;
	default:	/* A_UMAX */
		nv = sel(c, op2(c, DRM_VSVM_OP_SLTU, old, v), v, old);
		break;
	}
	emit(c, DRM_VSVM_OP_MOV, exp, old, NONE, 0);
	emit(c, cmpxchg, exp, addr, nv, off);
	c->fn->blocks[loop].term = VCC_TERM_BR;
	c->fn->blocks[loop].br_op = DRM_VSVM_OP_BEQ;
	c->fn->blocks[loop].br_ra = exp;
	c->fn->blocks[loop].br_rb = old;
	retry = new_block(c);
	emit(c, DRM_VSVM_OP_MOV, old, exp, NONE, 0);
	c->fn->blocks[retry].term = VCC_TERM_JMP;
	c->fn->blocks[retry].target = loop;
	done = new_block(c);
	c->fn->blocks[loop].target = done;
	emit(c, DRM_VSVM_OP_MOV, d, old, NONE, 0);
}

/*
 * The address of a shared/scratch/global access: a register and an
 * immediate. @window is the base of the local or scratch window (0 for
 * global memory), @base the intrinsic's constant base.
 */
/* "window" of ISA v2 private memory: a per-lane block of global memory */
#define V2_SCRATCH 1

/* r11 + LANE_ID * scratch_size, once, in the prologue */
static uint32_t v2_scratch_base(struct ctx *c)
{
	uint32_t lane, size;

	if (c->sv_scratch != NONE)
		return c->sv_scratch;
	lane = newv(c, 1);
	emit_in(c, PRO, DRM_VSVM_OP_SR, lane, NONE, NONE, DRM_VSVM_SREG_LANE_ID);
	/* the only MULI of the prologue: register allocation raises its
	 * stride when it spills into the same block (vcc_ra.c) */
	size = newv(c, 1);
	emit_in(c, PRO, DRM_VSVM_OP_MULI, size, lane, NONE,
		(int32_t)((c->nir->scratch_size + 7) & ~7u));
	c->sv_scratch = pro_op2(c, DRM_VSVM_OP_ADD,
				abi_reg(c, VSVM_CC_ABI_SCRATCH), size);
	return c->sv_scratch;
}

static bool mem_addr(struct ctx *c, const struct vcc_nir_src *s,
		     uint64_t window, int64_t base, uint32_t *reg, int32_t *off)
{
	int64_t o = (int64_t)window + base;
	uint64_t cv;

	if (window == V2_SCRATCH) {
		uint32_t b = v2_scratch_base(c);

		o = base;
		if (src_const(c, s, 0, &cv)) {
			o += (int64_t)cv;
			*reg = b;
		} else {
			*reg = op2(c, DRM_VSVM_OP_ADD, b, src_reg(c, s, 0));
		}
	} else if (window && src_const(c, s, 0, &cv)) {
		o += (int64_t)cv;
		*reg = imm(c, 0);
	} else {
		*reg = src_reg(c, s, 0);
	}
	if (o < INT32_MIN || o > INT32_MAX) {
		fail(c, -EINVAL, "memory offset %lld out of range", (long long)o);
		return false;
	}
	*off = (int32_t)o;
	return !c->ret;
}

static bool need_v3(struct ctx *c, const char *what)
{
	if (c->isa >= 3) {
		c->used_v3 = true;
		return true;
	}
	fail(c, -ENOTSUP, "%s needs ISA v3 (the device has v%u)", what, c->isa);
	return false;
}

static void atomic(struct ctx *c, const struct vcc_nir_instr *in, uint32_t d,
		   uint64_t window)
{
	enum atomic a = c->atomic_kind[in->op];
	unsigned bits = in->bit_size;
	bool b64 = bits == 64, v3 = c->isa >= 3;
	uint32_t addr, v, r;
	int32_t off;
	unsigned op;

	if (bits != 32 && bits != 64) {
		fail(c, -EINVAL, "%u-bit atomics", bits);
		return;
	}
	if (!mem_addr(c, &c->nir->srcs[in->src], window,
		      window ? (int32_t)in->index[0] : 0, &addr, &off))
		return;
	v = src_reg(c, &c->nir->srcs[in->src + 1], 0);
	switch (a) {
	case A_ADD:
		op = b64 ? DRM_VSVM_OP_AADD64 : DRM_VSVM_OP_AADD32;
		break;
	case A_IMIN:
		op = b64 ? DRM_VSVM_OP_AMIN64 : DRM_VSVM_OP_AMIN32;
		break;
	case A_IMAX:
		op = b64 ? DRM_VSVM_OP_AMAX64 : DRM_VSVM_OP_AMAX32;
		break;
	case A_UMIN:
		op = b64 ? DRM_VSVM_OP_AMINU64 : v3 ? VCC_OP_AMINU32 : 0;
		break;
	case A_UMAX:
		op = b64 ? DRM_VSVM_OP_AMAXU64 : v3 ? VCC_OP_AMAXU32 : 0;
		break;
	case A_AND:
		op = !v3 ? 0 : b64 ? VCC_OP_AAND64 : VCC_OP_AAND32;
		break;
	case A_OR:
		op = !v3 ? 0 : b64 ? VCC_OP_AOR64 : VCC_OP_AOR32;
		break;
	case A_XOR:
		op = !v3 ? 0 : b64 ? VCC_OP_AXOR64 : VCC_OP_AXOR32;
		break;
	case A_XCHG:
		op = b64 ? DRM_VSVM_OP_AXCHG64 : DRM_VSVM_OP_AXCHG32;
		break;
	case A_CMPXCHG:
		r = newv(c, 1);
		emit(c, DRM_VSVM_OP_MOV, r, v, NONE, 0);
		emit(c, b64 ? DRM_VSVM_OP_ACMPXCHG64 : DRM_VSVM_OP_ACMPXCHG32, r, addr,
		     src_reg(c, &c->nir->srcs[in->src + 2], 0), off);
		emit(c, DRM_VSVM_OP_MOV, d, r, NONE, 0);
		return;
	default:
		op = 0;
		break;
	}
	if (!op) {
		cas_loop(c, a, bits, addr, off, v, d);
		return;
	}
	if (vcc_op_is_v3(op))
		c->used_v3 = true;
	emit(c, op, d, addr, v, off);
}

/* load_shared/load_scratch: offset source, optional base index */
static void load_window(struct ctx *c, const struct vcc_nir_instr *in,
			uint32_t d, uint64_t window, int64_t base)
{
	unsigned size = in->bit_size / 8;
	uint32_t reg;
	int32_t off;

	if (!mem_bits_ok(c, in->bit_size) ||
	    !mem_addr(c, &c->nir->srcs[in->src], window, base, &reg, &off))
		return;
	for (unsigned i = 0; i < in->num_components; i++)
		emit(c, ld_op(in->bit_size), d + i, reg, NONE,
		     off + (int32_t)(i * size));
}

static void store_window(struct ctx *c, const struct vcc_nir_instr *in,
			 uint64_t window, int64_t base, uint32_t mask)
{
	const struct vcc_nir_src *val = &c->nir->srcs[in->src];
	unsigned bits = src_bits(c, val), size = bits / 8;
	uint32_t reg;
	int32_t off;

	if (!mem_bits_ok(c, bits) ||
	    !mem_addr(c, &c->nir->srcs[in->src + 1], window, base, &reg, &off))
		return;
	for (unsigned i = 0; i < in->num_components; i++)
		if (mask >> i & 1)
			emit(c, st_op(bits), NONE, reg, src_reg(c, val, i),
			     off + (int32_t)(i * size));
}

/* ---- longer sequences ------------------------------------------------- */

/* index of the highest set bit of a (bits wide, zero-extended), -1 if 0 */
static uint32_t find_msb(struct ctx *c, uint32_t a)
{
	uint32_t r = imm(c, 0), x = a;

	for (int sh = 32; sh >= 1; sh /= 2) {
		/* if (x >> sh) { x >>= sh; r += sh; } */
		uint32_t hi = opi(c, DRM_VSVM_OP_SHRI, x, sh);
		uint32_t nz = not1(c, op2(c, DRM_VSVM_OP_SEQ, hi, imm(c, 0)));

		x = sel(c, nz, hi, x);
		r = op2(c, DRM_VSVM_OP_ADD, r, opi(c, DRM_VSVM_OP_MULI, nz, sh));
	}
	/* a == 0: -1 */
	return sel(c, op2(c, DRM_VSVM_OP_SEQ, a, imm(c, 0)), imm(c, ~0ull), r);
}

static uint32_t popcount(struct ctx *c, uint32_t x)
{
	uint32_t t;

	t = op2(c, DRM_VSVM_OP_AND, opi(c, DRM_VSVM_OP_SHRI, x, 1),
		imm(c, 0x5555555555555555ull));
	x = op2(c, DRM_VSVM_OP_SUB, x, t);
	t = op2(c, DRM_VSVM_OP_AND, opi(c, DRM_VSVM_OP_SHRI, x, 2),
		imm(c, 0x3333333333333333ull));
	x = op2(c, DRM_VSVM_OP_ADD, op2(c, DRM_VSVM_OP_AND, x,
				    imm(c, 0x3333333333333333ull)), t);
	x = op2(c, DRM_VSVM_OP_AND, op2(c, DRM_VSVM_OP_ADD, x,
				    opi(c, DRM_VSVM_OP_SHRI, x, 4)),
		imm(c, 0x0f0f0f0f0f0f0f0full));
	x = op2(c, DRM_VSVM_OP_MUL, x, imm(c, 0x0101010101010101ull));
	return opi(c, DRM_VSVM_OP_SHRI, x, 56);
}

/* binary32 with |x| < 2^23 rounded toward zero; others unchanged */
static uint32_t ftrunc(struct ctx *c, uint32_t a)
{
	uint32_t absx = opi(c, DRM_VSVM_OP_ANDI, a, 0x7fffffff);
	uint32_t small = op2(c, DRM_VSVM_OP_SLTU, absx, imm(c, 0x4b000000u));
	uint32_t t = op1(c, DRM_VSVM_OP_I2F, op1(c, DRM_VSVM_OP_F2I, a));

	/* keep the sign: trunc(-0.5) is -0 */
	t = op2(c, DRM_VSVM_OP_OR, t, op2(c, DRM_VSVM_OP_AND, a, imm(c, 0x80000000u)));
	return sel(c, small, t, a);
}

/* unsigned 64-bit integer -> binary32, rounded to nearest even */
static uint32_t u64_to_f32(struct ctx *c, uint32_t v)
{
	uint32_t n = find_msb(c, v);
	/* keep 31 bits, the rest as a sticky bit in bit 0 */
	uint32_t sh = opi(c, DRM_VSVM_OP_ADDI, n, -30);
	uint32_t big = op2(c, DRM_VSVM_OP_SLT, imm(c, 0), sh);
	uint32_t shift = sel(c, big, sh, imm(c, 0));
	uint32_t t = op2(c, DRM_VSVM_OP_SHR, v, shift);
	uint32_t low = op2(c, DRM_VSVM_OP_AND, v,
			   opi(c, DRM_VSVM_OP_ADDI,
			       op2(c, DRM_VSVM_OP_SHL, imm(c, 1), shift), -1));
	uint32_t sticky = not1(c, op2(c, DRM_VSVM_OP_SEQ, low, imm(c, 0)));
	uint32_t f = op1(c, DRM_VSVM_OP_I2F, op2(c, DRM_VSVM_OP_OR, t, sticky));
	/* times 2^shift, exactly */
	uint32_t scale = opi(c, DRM_VSVM_OP_SHLI, opi(c, DRM_VSVM_OP_ADDI, shift, 127),
			     23);

	return op2(c, DRM_VSVM_OP_FMUL, f, scale);
}

/*
 * ISA v2 has no FSQRT: a correctly rounded binary32 square root in integer
 * arithmetic. With x = m * 2^(E - 23), m in [2^23, 2^25) and E even,
 * sqrt(x) = isqrt(m << 25) * 2^(E / 2 - 24): a 25-bit root whose last bit
 * and remainder round it (never a tie for a square root).
 */
static uint32_t soft_sqrt(struct ctx *c, uint32_t a)
{
	uint32_t expo = opi(c, DRM_VSVM_OP_ANDI, opi(c, DRM_VSVM_OP_SHRI, a, 23), 0xff);
	uint32_t mant = opi(c, DRM_VSVM_OP_ANDI, a, 0x7fffff);
	uint32_t denorm = op2(c, DRM_VSVM_OP_SEQ, expo, imm(c, 0));
	/* denormals: shift the mantissa up to bit 23 */
	uint32_t sh = op2(c, DRM_VSVM_OP_SUB, imm(c, 23), find_msb(c, mant));
	uint32_t m = sel(c, denorm, op2(c, DRM_VSVM_OP_SHL, mant, sh),
			 op2(c, DRM_VSVM_OP_OR, mant, imm(c, 0x800000)));
	uint32_t e = sel(c, denorm, op2(c, DRM_VSVM_OP_SUB, imm(c, 1), sh), expo);
	uint32_t odd, n, res, bits, t, ge, inc, r;

	e = opi(c, DRM_VSVM_OP_ADDI, e, -127);
	odd = opi(c, DRM_VSVM_OP_ANDI, e, 1);
	m = op2(c, DRM_VSVM_OP_SHL, m, odd);
	e = op2(c, DRM_VSVM_OP_SUB, e, odd);
	n = opi(c, DRM_VSVM_OP_SHLI, m, 25);
	res = imm(c, 0);
	for (int k = 48; k >= 0; k -= 2) {
		uint32_t bit = imm(c, 1ull << k);

		t = op2(c, DRM_VSVM_OP_ADD, res, bit);
		ge = not1(c, op2(c, DRM_VSVM_OP_SLTU, n, t));
		n = op2(c, DRM_VSVM_OP_SUB, n, sel(c, ge, t, imm(c, 0)));
		res = op2(c, DRM_VSVM_OP_ADD, opi(c, DRM_VSVM_OP_SHRI, res, 1),
			  sel(c, ge, bit, imm(c, 0)));
	}
	/* res in [2^24, 2^25): mantissa res >> 1, round bit res & 1 */
	bits = opi(c, DRM_VSVM_OP_SHLI, opi(c, DRM_VSVM_OP_ADDI,
					opi(c, DRM_VSVM_OP_SARI, e, 1), 127), 23);
	bits = op2(c, DRM_VSVM_OP_ADD, bits,
		   opi(c, DRM_VSVM_OP_ANDI, opi(c, DRM_VSVM_OP_SHRI, res, 1), 0x7fffff));
	inc = op2(c, DRM_VSVM_OP_AND, opi(c, DRM_VSVM_OP_ANDI, res, 1),
		  op2(c, DRM_VSVM_OP_OR, not1(c, op2(c, DRM_VSVM_OP_SEQ, n, imm(c, 0))),
		      opi(c, DRM_VSVM_OP_ANDI, opi(c, DRM_VSVM_OP_SHRI, res, 1), 1)));
	r = op2(c, DRM_VSVM_OP_ADD, bits, inc);
	/* +inf, NaN: themselves; negative (-inf too): NaN; +-0: themselves */
	r = sel(c, op2(c, DRM_VSVM_OP_SEQ, expo, imm(c, 0xff)), a, r);
	r = sel(c, opi(c, DRM_VSVM_OP_SHRI, a, 31), imm(c, 0x7fc00000u), r);
	return sel(c, op2(c, DRM_VSVM_OP_SEQ, opi(c, DRM_VSVM_OP_ANDI, a, 0x7fffffff),
			  imm(c, 0)), a, r);
}

/* float -> 64-bit integer, |x| < 2^63 (bigger or NaN: undefined) */
static uint32_t f2i64(struct ctx *c, uint32_t a, bool is_signed)
{
	uint32_t e = opi(c, DRM_VSVM_OP_ADDI,
			 opi(c, DRM_VSVM_OP_ANDI, opi(c, DRM_VSVM_OP_SHRI, a, 23), 0xff),
			 -150);
	uint32_t m = op2(c, DRM_VSVM_OP_OR, opi(c, DRM_VSVM_OP_ANDI, a, 0x7fffff),
			 imm(c, 0x800000));
	uint32_t neg_e = op2(c, DRM_VSVM_OP_SUB, imm(c, 0), e);
	uint32_t left = op2(c, DRM_VSVM_OP_SHL, m, e);
	uint32_t right = op2(c, DRM_VSVM_OP_SHR, m, neg_e);
	uint32_t v;

	/* exponent < -63 shifts everything out */
	right = sel(c, op2(c, DRM_VSVM_OP_SLTU, neg_e, imm(c, 64)), right,
		    imm(c, 0));
	v = sel(c, op2(c, DRM_VSVM_OP_SLT, e, imm(c, 0)), right, left);
	/* zero and denormals: 0 */
	v = sel(c, op2(c, DRM_VSVM_OP_SEQ, opi(c, DRM_VSVM_OP_ANDI,
					    opi(c, DRM_VSVM_OP_SHRI, a, 23), 0xff),
		      imm(c, 0)), imm(c, 0), v);
	if (is_signed)
		v = sel(c, opi(c, DRM_VSVM_OP_SHRI, opi(c, DRM_VSVM_OP_ANDI, a,
							(int32_t)0x80000000), 31),
			op2(c, DRM_VSVM_OP_SUB, imm(c, 0), v), v);
	return v;
}

/* ---- ALU -------------------------------------------------------------- */

static uint32_t alu_comp(struct ctx *c, const struct vcc_nir_instr *in,
			 unsigned k, unsigned i)
{
	const struct vcc_nir_src *s = &c->nir->srcs[in->src];
	unsigned sb = src_bits(c, &s[0]), db = in->bit_size;
	uint32_t a = 0, b = 0, t, z;
	uint64_t cv;

	if (k == K_VEC)
		return src_reg(c, &s[i], 0);
	if (k >= K_BALL_I && k <= K_BANY_F) {
		unsigned n = vcc_nir_ops[in->op].input_sizes[0];
		uint32_t acc = NONE;

		for (unsigned j = 0; j < n && !c->ret; j++) {
			unsigned op = (k == K_BALL_F || k == K_BANY_F) ?
				DRM_VSVM_OP_FEQ : DRM_VSVM_OP_SEQ;

			t = op2(c, op, src_reg(c, &s[0], j),
				src_reg(c, &s[1], j));
			if (k == K_BANY_I || k == K_BANY_F)
				t = not1(c, t);
			acc = acc == NONE ? t :
			      op2(c, (k == K_BALL_I || k == K_BALL_F) ?
				  DRM_VSVM_OP_AND : DRM_VSVM_OP_OR, acc, t);
		}
		return acc;
	}
	/* immediate forms for a constant second operand */
	if (in->nsrc == 2 && src_const(c, &s[1], i, &cv)) {
		int64_t sv = db == 64 ? (int64_t)cv :
			     (int64_t)(cv << (64 - sb)) >> (64 - sb);
		bool fits = sv >= INT32_MIN && sv <= INT32_MAX;

		switch (k) {
		case K_ISHL:
			a = src_reg(c, &s[0], i);
			return trunc_to(c, opi(c, DRM_VSVM_OP_SHLI, a,
					       (int32_t)(cv & (db - 1))), db);
		case K_USHR:
			a = src_reg(c, &s[0], i);
			return opi(c, DRM_VSVM_OP_SHRI, a, (int32_t)(cv & (db - 1)));
		case K_ISHR:
			a = src_reg(c, &s[0], i);
			return trunc_to(c, opi(c, DRM_VSVM_OP_SARI, sext(c, a, db),
					       (int32_t)(cv & (db - 1))), db);
		case K_IAND:
		case K_IOR:
		case K_IXOR:
			/* a is zero-extended: sign-extending the mask only
			 * touches bits above the value */
			if (!fits || sb == 1)
				break;
			a = src_reg(c, &s[0], i);
			t = opi(c, k == K_IAND ? DRM_VSVM_OP_ANDI :
				k == K_IOR ? DRM_VSVM_OP_ORI : DRM_VSVM_OP_XORI, a,
				(int32_t)sv);
			return k == K_IAND ? t : trunc_to(c, t, db);
		case K_IADD:
		case K_IMUL:
			if (!fits)
				break;
			a = src_reg(c, &s[0], i);
			t = opi(c, k == K_IADD ? DRM_VSVM_OP_ADDI : DRM_VSVM_OP_MULI, a,
				(int32_t)sv);
			return trunc_to(c, t, db);
		default:
			break;
		}
	}
	if (in->nsrc > 0)
		a = src_reg(c, &s[0], i);
	if (in->nsrc > 1 && k != K_EXTRACT_U8 && k != K_EXTRACT_I8 &&
	    k != K_EXTRACT_U16 && k != K_EXTRACT_I16)
		b = src_reg(c, &s[1], i);
	if (c->ret)
		return 0;

	switch (k) {
	case K_MOV:
	case K_B2I:
		return a;
	case K_IADD:
		if (db == 32)
			return op2(c, DRM_VSVM_OP_ADD32, a, b);
		return trunc_to(c, op2(c, DRM_VSVM_OP_ADD, a, b), db);
	case K_ISUB:
		if (db == 32)
			return op2(c, DRM_VSVM_OP_SUB32, a, b);
		return trunc_to(c, op2(c, DRM_VSVM_OP_SUB, a, b), db);
	case K_IMUL:
		if (db == 32)
			return op2(c, DRM_VSVM_OP_MUL32, a, b);
		return trunc_to(c, op2(c, DRM_VSVM_OP_MUL, a, b), db);
	case K_INEG:
		return trunc_to(c, op2(c, DRM_VSVM_OP_SUB, imm(c, 0), a), db);
	case K_INOT:
		return trunc_to(c, opi(c, DRM_VSVM_OP_XORI, a, -1), db);
	case K_IAND:
		return op2(c, DRM_VSVM_OP_AND, a, b);
	case K_IOR:
		return op2(c, DRM_VSVM_OP_OR, a, b);
	case K_IXOR:
		return op2(c, DRM_VSVM_OP_XOR, a, b);
	case K_ISHL:
		b = opi(c, DRM_VSVM_OP_ANDI, b, db - 1);
		return trunc_to(c, op2(c, DRM_VSVM_OP_SHL, a, b), db);
	case K_USHR:
		b = opi(c, DRM_VSVM_OP_ANDI, b, db - 1);
		return op2(c, DRM_VSVM_OP_SHR, a, b);
	case K_ISHR:
		b = opi(c, DRM_VSVM_OP_ANDI, b, db - 1);
		return trunc_to(c, op2(c, DRM_VSVM_OP_SAR, sext(c, a, db), b), db);
	case K_UDIV:
		return op2(c, DRM_VSVM_OP_DIVU, a, b);
	case K_UMOD:
		return op2(c, DRM_VSVM_OP_REMU, a, b);
	case K_IDIV:
		return trunc_to(c, op2(c, DRM_VSVM_OP_DIVS, sext(c, a, db),
				       sext(c, b, db)), db);
	case K_IREM:
	case K_IMOD:
		a = sext(c, a, db);
		b = sext(c, b, db);
		t = op2(c, DRM_VSVM_OP_SUB, a,
			op2(c, DRM_VSVM_OP_MUL, op2(c, DRM_VSVM_OP_DIVS, a, b), b));
		if (k == K_IMOD) {
			/* result takes the divisor's sign */
			z = imm(c, 0);
			cv = 0;
			{
				uint32_t diff = op2(c, DRM_VSVM_OP_SLT,
						    op2(c, DRM_VSVM_OP_XOR, t, b), z);
				uint32_t nz = not1(c, op2(c, DRM_VSVM_OP_SEQ, t, z));
				uint32_t cond = op2(c, DRM_VSVM_OP_AND, diff, nz);

				t = op2(c, DRM_VSVM_OP_ADD, t,
					sel(c, cond, b, imm(c, cv)));
			}
		}
		return trunc_to(c, t, db);
	case K_IMIN:
	case K_IMAX:
		t = op2(c, DRM_VSVM_OP_SLT, sext(c, a, db), sext(c, b, db));
		return k == K_IMIN ? sel(c, t, a, b) : sel(c, t, b, a);
	case K_UMIN:
	case K_UMAX:
		t = op2(c, DRM_VSVM_OP_SLTU, a, b);
		return k == K_UMIN ? sel(c, t, a, b) : sel(c, t, b, a);
	case K_IABS:
		a = sext(c, a, db);
		t = opi(c, DRM_VSVM_OP_SARI, a, 63);
		return trunc_to(c, op2(c, DRM_VSVM_OP_SUB,
				       op2(c, DRM_VSVM_OP_XOR, a, t), t), db);
	case K_IMULHI:
	case K_UMULHI:
		if (db == 64) {	/* from 32-bit halves */
			uint32_t a0 = op1(c, DRM_VSVM_OP_ZEXT32, a);
			uint32_t a1 = opi(c, DRM_VSVM_OP_SHRI, a, 32);
			uint32_t b0 = op1(c, DRM_VSVM_OP_ZEXT32, b);
			uint32_t b1 = opi(c, DRM_VSVM_OP_SHRI, b, 32);
			uint32_t p01 = op2(c, DRM_VSVM_OP_MUL, a0, b1);
			uint32_t p10 = op2(c, DRM_VSVM_OP_MUL, a1, b0);
			uint32_t mid;

			mid = opi(c, DRM_VSVM_OP_SHRI, op2(c, DRM_VSVM_OP_MUL, a0, b0), 32);
			mid = op2(c, DRM_VSVM_OP_ADD, mid, op1(c, DRM_VSVM_OP_ZEXT32, p01));
			mid = op2(c, DRM_VSVM_OP_ADD, mid, op1(c, DRM_VSVM_OP_ZEXT32, p10));
			t = op2(c, DRM_VSVM_OP_MUL, a1, b1);
			t = op2(c, DRM_VSVM_OP_ADD, t, opi(c, DRM_VSVM_OP_SHRI, p01, 32));
			t = op2(c, DRM_VSVM_OP_ADD, t, opi(c, DRM_VSVM_OP_SHRI, p10, 32));
			t = op2(c, DRM_VSVM_OP_ADD, t, opi(c, DRM_VSVM_OP_SHRI, mid, 32));
			if (k == K_IMULHI) {	/* signed: subtract the wraps */
				t = op2(c, DRM_VSVM_OP_SUB, t,
					sel(c, opi(c, DRM_VSVM_OP_SHRI, a, 63), b,
					    imm(c, 0)));
				t = op2(c, DRM_VSVM_OP_SUB, t,
					sel(c, opi(c, DRM_VSVM_OP_SHRI, b, 63), a,
					    imm(c, 0)));
			}
			return t;
		}
		if (k == K_IMULHI)
			t = opi(c, DRM_VSVM_OP_SARI, op2(c, DRM_VSVM_OP_MUL,
						    sext(c, a, db),
						    sext(c, b, db)), db);
		else
			t = opi(c, DRM_VSVM_OP_SHRI, op2(c, DRM_VSVM_OP_MUL, a, b), db);
		return trunc_to(c, t, db);
	case K_IEQ:
		return op2(c, DRM_VSVM_OP_SEQ, a, b);
	case K_INE:
		return not1(c, op2(c, DRM_VSVM_OP_SEQ, a, b));
	case K_ULT:
		return op2(c, DRM_VSVM_OP_SLTU, a, b);
	case K_UGE:
		return not1(c, op2(c, DRM_VSVM_OP_SLTU, a, b));
	case K_ILT:
		return op2(c, DRM_VSVM_OP_SLT, sext(c, a, sb), sext(c, b, sb));
	case K_IGE:
		return not1(c, op2(c, DRM_VSVM_OP_SLT, sext(c, a, sb),
				   sext(c, b, sb)));
	case K_UADD_CARRY:
		t = op2(c, DRM_VSVM_OP_ADD, a, b);
		if (db == 64)
			return op2(c, DRM_VSVM_OP_SLTU, t, a);
		return opi(c, DRM_VSVM_OP_SHRI, t, db);
	case K_USUB_BORROW:
		return op2(c, DRM_VSVM_OP_SLTU, a, b);
	case K_BCSEL:
		return sel(c, a, b, src_reg(c, &s[2], i));
	case K_IMUL24:		/* low 24 bits, signed */
	case K_IMAD24:
		t = op2(c, DRM_VSVM_OP_MUL32, sext(c, trunc_to(c, a, 24), 24),
			sext(c, trunc_to(c, b, 24), 24));
		if (k == K_IMAD24)
			t = op2(c, DRM_VSVM_OP_ADD32, t, src_reg(c, &s[2], i));
		return t;
	case K_UMUL24:
	case K_UMAD24:
		t = op2(c, DRM_VSVM_OP_MUL32, trunc_to(c, a, 24), trunc_to(c, b, 24));
		if (k == K_UMAD24)
			t = op2(c, DRM_VSVM_OP_ADD32, t, src_reg(c, &s[2], i));
		return t;
	case K_BITFIELD_SELECT:	/* (a & b) | (~a & c) */
		t = src_reg(c, &s[2], i);
		return op2(c, DRM_VSVM_OP_XOR, t,
			   op2(c, DRM_VSVM_OP_AND, a, op2(c, DRM_VSVM_OP_XOR, b, t)));
	case K_UFIND_MSB:
		return trunc_to(c, find_msb(c, a), db);
	case K_IFIND_MSB:	/* highest bit that differs from the sign */
		t = sext(c, a, sb);
		t = op2(c, DRM_VSVM_OP_XOR, t, opi(c, DRM_VSVM_OP_SARI, t, 63));
		return trunc_to(c, find_msb(c, trunc_to(c, t, sb)), db);
	case K_UCLZ:
		return trunc_to(c, op2(c, DRM_VSVM_OP_SUB, imm(c, sb - 1),
				       find_msb(c, a)), db);
	case K_FIND_LSB: {	/* popcount((a & -a) - 1), -1 for 0 */
		uint32_t low = op2(c, DRM_VSVM_OP_AND, a,
				   op2(c, DRM_VSVM_OP_SUB, imm(c, 0), a));

		t = popcount(c, opi(c, DRM_VSVM_OP_ADDI, low, -1));
		t = sel(c, op2(c, DRM_VSVM_OP_SEQ, a, imm(c, 0)), imm(c, ~0ull), t);
		return trunc_to(c, t, db);
	}
	case K_BIT_COUNT:
		return trunc_to(c, popcount(c, a), db);
	case K_IHADD:
	case K_IRHADD:
	case K_UHADD:
	case K_URHADD:
		if (sb > 32)
			break;
		if (k == K_IHADD || k == K_IRHADD) {
			a = sext(c, a, sb);
			b = sext(c, b, sb);
		}
		t = op2(c, DRM_VSVM_OP_ADD, a, b);
		if (k == K_IRHADD || k == K_URHADD)
			t = opi(c, DRM_VSVM_OP_ADDI, t, 1);
		return trunc_to(c, opi(c, DRM_VSVM_OP_SARI, t, 1), db);
	case K_IADD_SAT:
	case K_ISUB_SAT: {
		uint64_t mx = (1ull << (sb - 1)) - 1;

		if (sb > 32)
			break;
		t = op2(c, k == K_IADD_SAT ? DRM_VSVM_OP_ADD : DRM_VSVM_OP_SUB,
			sext(c, a, sb), sext(c, b, sb));
		t = sel(c, op2(c, DRM_VSVM_OP_SLT, imm(c, mx), t), imm(c, mx), t);
		t = sel(c, op2(c, DRM_VSVM_OP_SLT, t, imm(c, ~mx)), imm(c, ~mx), t);
		return trunc_to(c, t, db);
	}
	case K_UADD_SAT:
		if (sb > 32)
			break;
		t = op2(c, DRM_VSVM_OP_ADD, a, b);
		z = imm(c, (1ull << sb) - 1);
		return sel(c, op2(c, DRM_VSVM_OP_SLTU, z, t), z, t);
	case K_USUB_SAT:
		t = op2(c, DRM_VSVM_OP_SUB, a, b);
		return sel(c, op2(c, DRM_VSVM_OP_SLTU, a, b), imm(c, 0), t);
	case K_PACK_32_2X16:
		return op2(c, DRM_VSVM_OP_OR, src_reg(c, &s[0], 0),
			   opi(c, DRM_VSVM_OP_SHLI, src_reg(c, &s[0], 1), 16));
	case K_PACK_32_2X16_SPLIT:
		return op2(c, DRM_VSVM_OP_OR, a, opi(c, DRM_VSVM_OP_SHLI, b, 16));
	case K_I2I:
		if (db > sb)
			a = sext(c, a, sb);
		return trunc_to(c, a, db);
	case K_U2U:
		return db < sb ? trunc_to(c, a, db) : a;
	case K_I2B:
		return not1(c, op2(c, DRM_VSVM_OP_SEQ, a, imm(c, 0)));
	case K_B2B:
		if (sb == 1)	/* to a wider boolean: 0 or ~0 */
			return trunc_to(c, op2(c, DRM_VSVM_OP_SUB, imm(c, 0), a),
					db);
		return not1(c, op2(c, DRM_VSVM_OP_SEQ, a, imm(c, 0)));
	case K_PACK64:
		return op2(c, DRM_VSVM_OP_OR, a, opi(c, DRM_VSVM_OP_SHLI, b, 32));
	case K_UNPACK_X:
		return op1(c, DRM_VSVM_OP_ZEXT32, a);
	case K_UNPACK_Y:
		return opi(c, DRM_VSVM_OP_SHRI, a, 32);
	case K_EXTRACT_U8:
	case K_EXTRACT_I8:
	case K_EXTRACT_U16:
	case K_EXTRACT_I16: {
		unsigned w = (k == K_EXTRACT_U8 || k == K_EXTRACT_I8) ? 8 : 16;

		if (!src_const(c, &s[1], i, &cv) || cv * w >= 64)
			break;
		t = opi(c, DRM_VSVM_OP_SHRI, a, (int32_t)(cv * w));
		t = trunc_to(c, t, w);
		if (k == K_EXTRACT_I8 || k == K_EXTRACT_I16)
			t = trunc_to(c, sext(c, t, w), db);
		return t;
	}
	default:
		break;
	}

	/* floating point: binary32 only */
	if (sb != 32 && k != K_B2F32 && k != K_I2F32 && k != K_U2F32 &&
	    k != K_F2B) {
		fail(c, -ENOTSUP, "%s on %u-bit values: only 32-bit floats",
		     vcc_nir_ops[in->op].name, sb);
		return 0;
	}
	switch (k) {
	case K_FEQ:
		return op2(c, DRM_VSVM_OP_FEQ, a, b);
	case K_FNEU:
		return not1(c, op2(c, DRM_VSVM_OP_FEQ, a, b));
	case K_FLT:
		return op2(c, DRM_VSVM_OP_FLT, a, b);
	case K_FGE:
		return op2(c, DRM_VSVM_OP_OR, op2(c, DRM_VSVM_OP_FLT, b, a),
			   op2(c, DRM_VSVM_OP_FEQ, a, b));
	case K_FADD:
		return op2(c, DRM_VSVM_OP_FADD, a, b);
	case K_FSUB:
		return op2(c, DRM_VSVM_OP_FSUB, a, b);
	case K_FMUL:
		return op2(c, DRM_VSVM_OP_FMUL, a, b);
	case K_FDIV:
		return op2(c, DRM_VSVM_OP_FDIV, a, b);
	case K_FMIN:
		return op2(c, DRM_VSVM_OP_FMIN, a, b);
	case K_FMAX:
		return op2(c, DRM_VSVM_OP_FMAX, a, b);
	case K_FNEG:
		return op2(c, DRM_VSVM_OP_XOR, a, imm(c, 0x80000000u));
	case K_FABS:
		return opi(c, DRM_VSVM_OP_ANDI, a, 0x7fffffff);
	case K_FFMA:
		if (c->isa >= 3) {
			t = newv(c, 1);
			emit(c, DRM_VSVM_OP_MOV, t, src_reg(c, &s[2], i), NONE, 0);
			emit(c, VCC_OP_FMA, t, a, b, 0);
			c->used_v3 = true;
			return t;
		}
		/* ISA v2 has no fused multiply-add: rounded twice */
		return op2(c, DRM_VSVM_OP_FADD, op2(c, DRM_VSVM_OP_FMUL, a, b),
			   src_reg(c, &s[2], i));
	case K_FSQRT:
	case K_FRSQ:
		if (c->isa >= 3) {
			c->used_v3 = true;
			t = op1(c, VCC_OP_FSQRT, a);
		} else {
			t = soft_sqrt(c, a);
		}
		if (k == K_FRSQ)
			t = op2(c, DRM_VSVM_OP_FDIV, imm(c, 0x3f800000u), t);
		return t;
	case K_FRCP:
		return op2(c, DRM_VSVM_OP_FDIV, imm(c, 0x3f800000u), a);
	case K_FSAT:
		return op2(c, DRM_VSVM_OP_FMIN,
			   op2(c, DRM_VSVM_OP_FMAX, a, imm(c, 0)),
			   imm(c, 0x3f800000u));
	case K_B2F32:
		return opi(c, DRM_VSVM_OP_MULI, a, 0x3f800000);
	case K_F2B:
		if (sb != 32)
			break;
		return not1(c, op2(c, DRM_VSVM_OP_FEQ, a, imm(c, 0)));
	case K_I2F32:
		if (sb > 32) {	/* |a|, converted, with a's sign */
			uint32_t neg = opi(c, DRM_VSVM_OP_SHRI, a, 63);

			t = sel(c, neg, op2(c, DRM_VSVM_OP_SUB, imm(c, 0), a), a);
			return op2(c, DRM_VSVM_OP_OR, u64_to_f32(c, t),
				   opi(c, DRM_VSVM_OP_SHLI, neg, 31));
		}
		return op1(c, DRM_VSVM_OP_I2F, sext(c, a, sb));
	case K_U2F32:
		if (sb > 32)
			return u64_to_f32(c, a);
		if (sb < 32)
			return op1(c, DRM_VSVM_OP_I2F, a);
		/* >= 2^31: convert (a >> 1 | a & 1), then double: exact
		 * rounding since the dropped bit only acts as a sticky bit */
		t = op2(c, DRM_VSVM_OP_OR, opi(c, DRM_VSVM_OP_SHRI, a, 1),
			opi(c, DRM_VSVM_OP_ANDI, a, 1));
		t = op1(c, DRM_VSVM_OP_I2F, t);
		t = op2(c, DRM_VSVM_OP_FADD, t, t);
		return sel(c, opi(c, DRM_VSVM_OP_SHRI, a, 31), t,
			      op1(c, DRM_VSVM_OP_I2F, a));
	case K_F2I:
		return trunc_to(c, op1(c, DRM_VSVM_OP_F2I, a), db);
	case K_F2I64:
	case K_F2U64:
		return f2i64(c, a, k == K_F2I64);
	case K_FTRUNC:
		return ftrunc(c, a);
	case K_FFLOOR:
	case K_FCEIL:
		t = ftrunc(c, a);
		if (k == K_FFLOOR)	/* trunc > x: one less */
			return sel(c, op2(c, DRM_VSVM_OP_FLT, a, t),
				   op2(c, DRM_VSVM_OP_FSUB, t, imm(c, 0x3f800000u)),
				   t);
		return sel(c, op2(c, DRM_VSVM_OP_FLT, t, a),
			   op2(c, DRM_VSVM_OP_FADD, t, imm(c, 0x3f800000u)), t);
	case K_FROUND_EVEN: {
		/* (x + 2^23) - 2^23 with x's sign rounds to nearest even */
		uint32_t sign = op2(c, DRM_VSVM_OP_AND, a, imm(c, 0x80000000u));
		uint32_t big = op2(c, DRM_VSVM_OP_OR, imm(c, 0x4b000000u), sign);
		uint32_t absx = opi(c, DRM_VSVM_OP_ANDI, a, 0x7fffffff);

		t = op2(c, DRM_VSVM_OP_FSUB, op2(c, DRM_VSVM_OP_FADD, a, big), big);
		t = op2(c, DRM_VSVM_OP_OR, t, sign);
		return sel(c, op2(c, DRM_VSVM_OP_SLTU, absx, imm(c, 0x4b000000u)),
			   t, a);
	}
	case K_FSIGN: {	/* 1.0, -1.0, or x itself for zeros and NaN */
		uint32_t one = op2(c, DRM_VSVM_OP_OR, imm(c, 0x3f800000u),
				   op2(c, DRM_VSVM_OP_AND, a,
				       imm(c, 0x80000000u)));
		uint32_t absx = opi(c, DRM_VSVM_OP_ANDI, a, 0x7fffffff);
		uint32_t keep = op2(c, DRM_VSVM_OP_OR,
				    op2(c, DRM_VSVM_OP_SEQ, absx, imm(c, 0)),
				    op2(c, DRM_VSVM_OP_SLTU, imm(c, 0x7f800000u),
					absx));

		return sel(c, keep, a, one);
	}
	case K_F2U:
		/* >= 2^31 does not fit F2I: subtract 2^31 first */
		z = imm(c, 0x4f000000u);		/* 2^31f */
		t = op2(c, DRM_VSVM_OP_FLT, a, z);
		{
			uint32_t lo = op1(c, DRM_VSVM_OP_F2I, a);
			uint32_t hi = op1(c, DRM_VSVM_OP_F2I,
					  op2(c, DRM_VSVM_OP_FSUB, a, z));

			hi = op2(c, DRM_VSVM_OP_ADD, hi, imm(c, 0x80000000u));
			return trunc_to(c, sel(c, t, lo, hi), db);
		}
	default:
		break;
	}
	fail(c, -ENOTSUP, "ALU op %s (%u-bit) is not supported",
	     vcc_nir_ops[in->op].name, db);
	return 0;
}

static void alu(struct ctx *c, const struct vcc_nir_instr *in, uint32_t d)
{
	unsigned k = c->alu_kind[in->op];

	if (k == K_NONE) {
		fail(c, -ENOTSUP, "ALU op %s is not supported",
		     vcc_nir_ops[in->op].name);
		return;
	}
	if (in->bit_size != 1 && in->bit_size != 8 && in->bit_size != 16 &&
	    in->bit_size != 32 && in->bit_size != 64) {
		fail(c, -EINVAL, "%u-bit ALU result", in->bit_size);
		return;
	}
	for (unsigned i = 0; i < in->num_components && !c->ret; i++) {
		uint32_t r = alu_comp(c, in, k, i);

		emit(c, DRM_VSVM_OP_MOV, d + i, r, NONE, 0);
	}
}

/* ---- instructions and control flow ------------------------------------ */

static void intrinsic(struct ctx *c, const struct vcc_nir_instr *in,
		      uint32_t d)
{
	enum intr k = c->intr_kind[in->op];
	const char *name = vcc_nir_intrinsics[in->op].name;

	switch (k) {
	case I_LOAD_INPUT:
		load_input(c, in, d);
		break;
	case I_LOAD_GLOBAL:
		load_global(c, in, d);
		break;
	case I_STORE_GLOBAL:
		store_global(c, in);
		break;
	case I_ATOMIC:
		atomic(c, in, d, 0);
		break;
	case I_MEMORY_BARRIER:
		/* v2: atomics are fully ordered and a lane's accesses happen
		 * in program order; v3 orders plain accesses with FENCE */
		if (c->isa >= 3)
			emit(c, VCC_OP_FENCE, NONE, NONE, NONE, 0);
		break;
	case I_CONTROL_BARRIER:
	case I_SCOPED_BARRIER:
		if (k == I_SCOPED_BARRIER && in->index[0] < NIR_SCOPE_WORKGROUP) {
			if (c->isa >= 3)	/* a memory barrier only */
				emit(c, VCC_OP_FENCE, NONE, NONE, NONE, 0);
			break;
		}
		if (!need_v3(c, "a work-group barrier"))
			break;
		emit(c, VCC_OP_BARRIER, NONE, NONE, NONE, 0);
		break;
	case I_LOAD_SHARED:
		if (need_v3(c, "__local memory")) {
			c->used_local = true;
			load_window(c, in, d, VCC_LOCAL_BASE,
				    (int32_t)in->index[0]);
		}
		break;
	case I_STORE_SHARED:
		if (need_v3(c, "__local memory")) {
			c->used_local = true;
			store_window(c, in, VCC_LOCAL_BASE,
				     (int32_t)in->index[0], in->index[1]);
		}
		break;
	case I_SHARED_ATOMIC:
		if (need_v3(c, "__local memory")) {
			c->used_local = true;
			atomic(c, in, d, VCC_LOCAL_BASE);
		}
		break;
	case I_LOAD_SCRATCH:
		c->used_scratch = true;
		if (c->isa >= 3)
			c->used_v3 = true;
		load_window(c, in, d, c->isa >= 3 ? VCC_SCRATCH_BASE :
			    V2_SCRATCH, 0);
		break;
	case I_STORE_SCRATCH:
		c->used_scratch = true;
		if (c->isa >= 3)
			c->used_v3 = true;
		store_window(c, in, c->isa >= 3 ? VCC_SCRATCH_BASE : V2_SCRATCH,
			     0, in->index[2]);
		break;
	case I_NONE:
		fail(c, -ENOTSUP, "intrinsic %s is not supported", name);
		break;
	default:
		sysval(c, in, d, k);
		break;
	}
}

static void instr(struct ctx *c, uint32_t ii)
{
	const struct vcc_nir_instr *in = &c->nir->instrs[ii];
	uint32_t d = NONE;
	struct loop *l;

	if (in->def != NONE && in->type != VCC_NIR_LOAD_CONST) {
		d = newv(c, in->num_components);
		c->val[in->def] = d;
	}
	switch (in->type) {
	case VCC_NIR_ALU:
		alu(c, in, d);
		break;
	case VCC_NIR_INTRINSIC:
		intrinsic(c, in, d);
		break;
	case VCC_NIR_LOAD_CONST:
		break;		/* materialized at each use */
	case VCC_NIR_UNDEF:
		for (unsigned i = 0; i < in->num_components; i++)
			li_in(c, c->cur, d + i, 0);
		break;
	case VCC_NIR_PHI: {
		uint32_t t = newv(c, in->num_components);

		if (c->num_phis == c->cap_phis) {
			uint32_t cap = c->cap_phis ? c->cap_phis * 2 : 16;
			void *p = realloc(c->phis, cap * sizeof(*c->phis));

			if (!p) {
				fail(c, -ENOMEM, "out of memory");
				return;
			}
			c->phis = p;
			c->cap_phis = cap;
		}
		c->phis[c->num_phis].instr = ii;
		c->phis[c->num_phis++].tmp = t;
		for (unsigned i = 0; i < in->num_components; i++)
			emit(c, DRM_VSVM_OP_MOV, d + i, t + i, NONE, 0);
		break;
	}
	case VCC_NIR_JUMP:
		switch (in->op) {
		case VCC_NIR_JUMP_BREAK:
		case VCC_NIR_JUMP_CONTINUE:
			if (!c->depth) {
				fail(c, -EINVAL, "break/continue outside a loop");
				return;
			}
			l = &c->loops[c->depth - 1];
			c->fn->blocks[c->cur].term = VCC_TERM_JMP;
			if (in->op == VCC_NIR_JUMP_CONTINUE) {
				c->fn->blocks[c->cur].target = l->head;
				break;
			}
			if (l->num_breaks == l->cap_breaks) {
				uint32_t cap = l->cap_breaks ?
					       l->cap_breaks * 2 : 8;
				void *p = realloc(l->breaks,
						  cap * sizeof(*l->breaks));

				if (!p) {
					fail(c, -ENOMEM, "out of memory");
					return;
				}
				l->breaks = p;
				l->cap_breaks = cap;
			}
			l->breaks[l->num_breaks++] = c->cur;
			break;
		default:	/* return, halt: this lane is done */
			c->fn->blocks[c->cur].term = VCC_TERM_END;
			break;
		}
		break;
	default:
		fail(c, -ENOTSUP, "NIR instruction type %u (deref?) is not supported",
		     in->type);
		break;
	}
}

static void cf_list(struct ctx *c, uint32_t node);

static void cf_block(struct ctx *c, const struct vcc_nir_cf *cf)
{
	new_block(c);
	for (uint32_t i = 0; i < cf->num_instrs && !c->ret; i++)
		instr(c, cf->first_instr + i);
	c->blk_last[cf->obj] = c->cur;
}

static void cf_if(struct ctx *c, const struct vcc_nir_cf *cf)
{
	const struct vcc_nir_src *cond = &c->nir->srcs[cf->cond];
	uint32_t head = c->cur, then_end;
	struct vcc_block *b;

	b = &c->fn->blocks[head];
	b->br_ra = src_reg(c, cond, 0);
	b->br_rb = imm(c, 0);
	b = &c->fn->blocks[head];
	b->term = VCC_TERM_BR;
	b->br_op = DRM_VSVM_OP_BEQ;
	cf_list(c, cf->list[0]);
	then_end = c->cur;
	c->fn->blocks[head].target = c->fn->num_blocks;	/* else list */
	cf_list(c, cf->list[1]);
	if (c->ret)
		return;
	b = &c->fn->blocks[then_end];
	if (b->term == VCC_TERM_FALL) {
		b->term = VCC_TERM_JMP;
		b->target = c->fn->num_blocks;	/* the block after the if */
	}
}

static void cf_loop(struct ctx *c, const struct vcc_nir_cf *cf)
{
	struct loop *l;
	uint32_t head = c->fn->num_blocks;

	if (c->depth == sizeof(c->loops) / sizeof(c->loops[0])) {
		fail(c, -ENOTSUP, "loops nested too deeply");
		return;
	}
	l = &c->loops[c->depth++];
	memset(l, 0, sizeof(*l));
	l->head = head;
	cf_list(c, cf->list[0]);
	if (!c->ret && c->fn->blocks[c->cur].term == VCC_TERM_FALL) {
		c->fn->blocks[c->cur].term = VCC_TERM_JMP;
		c->fn->blocks[c->cur].target = head;
	}
	for (uint32_t i = 0; i < l->num_breaks && !c->ret; i++)
		c->fn->blocks[l->breaks[i]].target = c->fn->num_blocks;
	free(l->breaks);
	c->depth--;
}

static void cf_list(struct ctx *c, uint32_t node)
{
	for (; node != NONE && !c->ret; node = c->nir->cf[node].next) {
		const struct vcc_nir_cf *cf = &c->nir->cf[node];

		switch (cf->type) {
		case VCC_NIR_CF_BLOCK:
			cf_block(c, cf);
			break;
		case VCC_NIR_CF_IF:
			cf_if(c, cf);
			break;
		case VCC_NIR_CF_LOOP:
			cf_loop(c, cf);
			break;
		}
	}
}

/* Out of SSA: each predecessor copies its phi source into the phi's t. */
static void phi_copies(struct ctx *c)
{
	for (uint32_t p = 0; p < c->num_phis && !c->ret; p++) {
		const struct vcc_nir_instr *in = &c->nir->instrs[c->phis[p].instr];

		for (uint32_t s = 0; s < in->nsrc && !c->ret; s++) {
			const struct vcc_nir_src *src = &c->nir->srcs[in->src + s];
			uint32_t pb = c->blk_last[src->pred];
			uint32_t save = c->cur;

			if (pb == NONE) {
				fail(c, -EINVAL, "phi predecessor block_%u not translated",
				     src->pred);
				return;
			}
			if (c->fn->blocks[pb].term == VCC_TERM_BR) {
				fail(c, -EINVAL, "phi on a critical edge");
				return;
			}
			c->cur = pb;
			for (unsigned i = 0; i < in->num_components; i++)
				emit(c, DRM_VSVM_OP_MOV, c->phis[p].tmp + i,
				     src_reg(c, src, i), NONE, 0);
			c->cur = save;
		}
	}
}

/*
 * Which kernel inputs are __local pointers? Clover gives a __local argument
 * the offset of its block in local memory, counting from 0, while NIR
 * places the kernel's static __local variables at [0, shared_size): both
 * would overlap. Values derived (by address arithmetic) from a constant-
 * offset load_kernel_input that end up as the address of a shared memory
 * access mark that input as a __local pointer; its loads then add the
 * static size, so the arguments live after the static variables.
 */
static void find_local_inputs(struct ctx *c)
{
	const struct vcc_nir *nir = c->nir;
	uint32_t *origin;

	c->local_shift = (nir->shared_size + 15) & ~15u;
	if (!c->local_shift)
		return;
	origin = malloc((nir->num_objs + 1) * sizeof(*origin));
	if (!origin) {
		fail(c, -ENOMEM, "out of memory");
		return;
	}
	memset(origin, 0xff, (nir->num_objs + 1) * sizeof(*origin));
	for (int pass = 0; pass < 3; pass++) {
		for (uint32_t i = 0; i < nir->num_instrs; i++) {
			const struct vcc_nir_instr *in = &nir->instrs[i];
			uint64_t off;

			if (in->def == NONE && in->type != VCC_NIR_INTRINSIC)
				continue;
			switch (in->type) {
			case VCC_NIR_INTRINSIC:
				if (c->intr_kind[in->op] == I_LOAD_INPUT) {
					/* pointers are 64-bit scalars */
					if (in->bit_size == 64 &&
					    in->num_components == 1 &&
					    src_const(c, &nir->srcs[in->src], 0, &off))
						origin[in->def] = (uint32_t)(off + in->index[0]);
				} else if (c->intr_kind[in->op] == I_LOAD_SHARED ||
					   c->intr_kind[in->op] == I_SHARED_ATOMIC ||
					   c->intr_kind[in->op] == I_STORE_SHARED) {
					unsigned a = c->intr_kind[in->op] == I_STORE_SHARED;
					uint32_t o = origin[nir->srcs[in->src + a].obj];
					bool known = false;

					for (unsigned j = 0; j < c->num_local_inputs; j++)
						known |= c->local_inputs[j] == o;
					if (o != NONE && !known &&
					    c->num_local_inputs < 32)
						c->local_inputs[c->num_local_inputs++] = o;
				}
				break;
			case VCC_NIR_ALU:
				switch (c->alu_kind[in->op]) {
				case K_IADD:
				case K_ISUB:
				case K_MOV:
				case K_U2U:
				case K_I2I:
				case K_BCSEL:
					break;
				default:
					continue;	/* not address arithmetic */
				}
				/* fall through */
			case VCC_NIR_PHI:
				for (uint32_t k = 0; k < in->nsrc; k++) {
					uint32_t o = origin[nir->srcs[in->src + k].obj];

					if (o != NONE) {
						origin[in->def] = o;
						break;
					}
				}
				break;
			default:
				break;
			}
		}
	}
	free(origin);
}

int vcc_from_nir(const struct vcc_nir *nir, unsigned isa_version,
		 struct vcc_func *fn, struct vcc_from_nir_info *info,
		 char *err, size_t errlen)
{
	struct ctx c = { .nir = nir, .fn = fn, .isa = isa_version,
			 .err = err, .errlen = errlen };

	memset(fn, 0, sizeof(*fn));
	memset(info, 0, sizeof(*info));
	for (size_t i = 0; i < sizeof(alu_names) / sizeof(alu_names[0]); i++) {
		int op = vcc_nir_op_find(alu_names[i].name);

		if (op >= 0)
			c.alu_kind[op] = alu_names[i].kind;
	}
	for (size_t i = 0; i < sizeof(intr_names) / sizeof(intr_names[0]); i++) {
		int op = vcc_nir_intrinsic_find(intr_names[i].name);

		if (op >= 0) {
			c.intr_kind[op] = intr_names[i].intr;
			c.atomic_kind[op] = intr_names[i].atomic;
		}
	}
	for (unsigned i = 0; i < VSVM_CC_ABI_NUM_ARGS; i++)
		c.abi[i] = NONE;
	c.sv_lane = NONE;
	c.sv_scratch = NONE;
	fn->num_vregs = VCC_FIRST_VREG;
	c.val = malloc((nir->num_objs + 1) * sizeof(*c.val));
	c.blk_last = malloc((nir->num_objs + 1) * sizeof(*c.blk_last));
	if (!c.val || !c.blk_last) {
		fail(&c, -ENOMEM, "out of memory");
		goto out;
	}
	memset(c.val, 0xff, (nir->num_objs + 1) * sizeof(*c.val));
	memset(c.blk_last, 0xff, (nir->num_objs + 1) * sizeof(*c.blk_last));
	if (nir->ptr_size && nir->ptr_size != 64)
		fail(&c, -ENOTSUP, "%u-bit pointers: only 64", nir->ptr_size);

	find_local_inputs(&c);
	new_block(&c);			/* 0: copies of the ABI registers */
	new_block(&c);			/* 1: system values */
	fn->prologue_blocks = 2;
	cf_list(&c, nir->body);
	phi_copies(&c);
	if (!c.ret && fn->blocks[c.cur].term == VCC_TERM_FALL)
		fn->blocks[c.cur].term = VCC_TERM_END;
	info->input_size = c.input_end > nir->num_uniforms ? c.input_end :
			   nir->num_uniforms;
	info->isa_version = c.used_v3 ? 3 : 2;
	info->local_size = c.used_local ? c.local_shift : 0;
	info->scratch_size = c.used_scratch ? (nir->scratch_size + 7) & ~7u : 0;
out:
	free(c.val);
	free(c.blk_last);
	free(c.phis);
	for (unsigned i = 0; i < c.depth; i++)
		free(c.loops[i].breaks);
	if (c.ret)
		vcc_func_fini(fn);
	return c.ret;
}
