// SPDX-License-Identifier: MIT
/*
 * Register allocation: liveness by the usual backward data-flow over the
 * blocks, one live interval per virtual register (from its first to its
 * last live position in layout order, which is conservative around loops
 * and exact enough for structured code), then a linear scan over the 32
 * registers.
 *
 * Positions: instruction k of the layout reads at 2k and writes at 2k + 1,
 * so a register whose last read is the instruction that writes another
 * one can be reused for it. The terminator of a block counts as one more
 * instruction.
 *
 * Registers r0 .. r10 hold the launch arguments until the prologue block
 * (block 0, only copies out of them) is done, so intervals that start in
 * it do not get them.
 *
 * Spilling: when the scan with all 32 registers fails, it runs again with
 * 29 (ISA v3) or 28 (ISA v2, r28 holding the address of the lane's private
 * block); an interval that finds no register then lives in an 8-byte slot
 * of the lane's private memory, and each instruction using it reloads it
 * into r29..r31 (stores it back after a write). The value
 * spilled is the one whose interval ends last (the current one or an
 * active one), as in Poletto and Sarkar's linear scan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vcc_ir.h"
#include "vsvm.h"
#include "vsvm_cc.h"

#define ABI_MASK ((1u << VSVM_CC_ABI_NUM_ARGS) - 1)

struct interval {
	uint32_t vreg, start, end;
};

static void set_bit(uint64_t *s, uint32_t i)
{
	s[i / 64] |= 1ull << (i % 64);
}

static bool get_bit(const uint64_t *s, uint32_t i)
{
	return s[i / 64] >> (i % 64) & 1;
}

static int cmp_start(const void *a, const void *b)
{
	const struct interval *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->vreg < y->vreg ? -1 : x->vreg > y->vreg;
}

static unsigned succs(const struct vcc_func *fn, uint32_t b, uint32_t *s)
{
	const struct vcc_block *blk = &fn->blocks[b];
	unsigned n = 0;

	switch (blk->term) {
	case VCC_TERM_FALL:
		if (b + 1 < fn->num_blocks)
			s[n++] = b + 1;
		break;
	case VCC_TERM_JMP:
		s[n++] = blk->target;
		break;
	case VCC_TERM_BR:
		s[n++] = blk->target;
		if (b + 1 < fn->num_blocks)
			s[n++] = b + 1;
		break;
	default:
		break;
	}
	return n;
}

static void term_uses(const struct vcc_block *blk, uint32_t *u, unsigned *nu)
{
	*nu = 0;
	if (blk->term == VCC_TERM_BR) {
		u[(*nu)++] = blk->br_ra;
		u[(*nu)++] = blk->br_rb;
	}
}

static uint32_t map(const uint32_t *phys, uint32_t r)
{
	return r >= VCC_FIRST_VREG && r != VCC_NO_REG ? phys[r] : r;
}

/*
 * Linear scan with @nregs registers. With @spill, an interval that finds no
 * register gets a scratch slot instead: phys = SPILLED | slot.
 */
#define SPILLED 0x80000000u

static int scan(struct interval *iv, uint32_t nint, uint32_t *phys,
		uint32_t prologue_end, unsigned nregs, bool spill,
		uint32_t *slots, const uint32_t *hint)
{
	struct interval *active[VCC_NUM_REGS];
	unsigned nactive = 0;

	for (uint32_t i = 0; i < nint; i++) {
		struct interval *cur = &iv[i];
		uint32_t busy = 0, pick = VCC_NUM_REGS;

		for (unsigned a = 0; a < nactive;) {
			if (active[a]->end < cur->start) {
				active[a] = active[--nactive];
				continue;
			}
			busy |= 1u << phys[active[a]->vreg];
			a++;
		}
		if (cur->start <= prologue_end)
			busy |= ABI_MASK;
		/* a copy's destination takes its source's register when that
		 * is free now: the copy disappears */
		if (hint[cur->vreg] != VCC_NO_REG) {
			uint32_t h = phys[hint[cur->vreg]];

			if (h < nregs && !(busy >> h & 1))
				pick = h;
		}
		for (uint32_t r = 0; r < nregs && pick == VCC_NUM_REGS; r++) {
			if (!(busy >> r & 1)) {
				pick = r;
				break;
			}
		}
		if (pick == VCC_NUM_REGS) {
			unsigned far = nactive;

			if (!spill)
				return -ENOTSUP;
			/* spill whichever lives longest: the current interval
			 * or an active one, whose register it then takes (all
			 * of a spilled value lives in its slot) */
			for (unsigned a = 0; a < nactive; a++)
				if (active[a]->end > cur->end &&
				    phys[active[a]->vreg] >= VSVM_CC_ABI_NUM_ARGS &&
				    (far == nactive ||
				     active[a]->end > active[far]->end))
					far = a;
			if (far == nactive) {
				phys[cur->vreg] = SPILLED | (*slots)++;
				continue;
			}
			pick = phys[active[far]->vreg];
			phys[active[far]->vreg] = SPILLED | (*slots)++;
			active[far] = cur;
			phys[cur->vreg] = pick;
			continue;
		}
		phys[cur->vreg] = pick;
		active[nactive++] = cur;
	}
	return 0;
}

static bool is_spilled(const uint32_t *phys, uint32_t r)
{
	return r != VCC_NO_REG && r >= VCC_FIRST_VREG && (phys[r] & SPILLED);
}

/*
 * Give spilled registers temporaries r29..r31 around each instruction:
 * loads of the spilled operands before it, a store of a spilled result
 * after it. Scratch addresses are window immediates on a zeroed register.
 */
static int rewrite_spills(struct vcc_func *fn, uint32_t *phys,
			  uint32_t spill_base, uint32_t base_reg)
{
	for (uint32_t b = 0; b < fn->num_blocks; b++) {
		struct vcc_block *blk = &fn->blocks[b];
		struct vcc_insn *out;
		uint32_t n = 0, cap = blk->num * 10 + 16;

		out = malloc(cap * sizeof(*out));
		if (!out)
			return -ENOMEM;
		for (uint32_t i = 0; i <= blk->num; i++) {
			struct vcc_insn in;
			uint32_t *ops[3], d[2], u[3];
			unsigned nd, nu, nops = 0, t = 0;
			uint32_t tmp_of[3] = { VCC_NO_REG, VCC_NO_REG, VCC_NO_REG };
			uint32_t spilled_def = VCC_NO_REG;
			bool term = i == blk->num;

			if (term) {
				if (blk->term != VCC_TERM_BR)
					break;
				memset(&in, 0, sizeof(in));
				in.op = DRM_VSVM_OP_NOP;
				in.rd = VCC_NO_REG;
				in.ra = blk->br_ra;
				in.rb = blk->br_rb;
				nu = 2;
				nd = 0;
				u[0] = in.ra;
				u[1] = in.rb;
			} else {
				in = blk->insns[i];
				vcc_insn_regs(&in, d, &nd, u, &nu);
			}
			ops[nops++] = &in.ra;
			ops[nops++] = &in.rb;
			ops[nops++] = &in.rd;
			/* reload each distinct spilled use into its own temp */
			for (unsigned k = 0; k < nu; k++) {
				uint32_t v = u[k], tr;
				bool done = false;

				if (!is_spilled(phys, v))
					continue;
				for (unsigned j = 0; j < t; j++)
					done |= tmp_of[j] == v;
				if (done)
					continue;
				tmp_of[t] = v;
				tr = VCC_NUM_REGS - 3 + t++;
				if (base_reg == VCC_NO_REG)
					out[n++] = (struct vcc_insn){ DRM_VSVM_OP_LI, 0,
						tr, VCC_NO_REG, VCC_NO_REG };
				out[n++] = (struct vcc_insn){ DRM_VSVM_OP_LD64,
					(int32_t)(spill_base + 8 * (phys[v] & ~SPILLED)),
					tr, base_reg == VCC_NO_REG ? tr : base_reg,
					VCC_NO_REG };
			}
			for (unsigned k = 0; k < nd; k++)
				if (is_spilled(phys, d[k]))
					spilled_def = d[k];
			for (unsigned k = 0; k < nops; k++) {
				uint32_t v = *ops[k];

				if (!is_spilled(phys, v))
					continue;
				*ops[k] = VCC_NUM_REGS - 3;	/* def default */
				for (unsigned j = 0; j < t; j++)
					if (tmp_of[j] == v)
						*ops[k] = VCC_NUM_REGS - 3 + j;
			}
			if (term) {
				blk->br_ra = in.ra;
				blk->br_rb = in.rb;
				break;
			}
			/* the result of a spilled def goes where rd points */
			out[n++] = in;
			if (spilled_def != VCC_NO_REG) {
				uint32_t z = in.rd == VCC_NUM_REGS - 1 ?
					     VCC_NUM_REGS - 2 : VCC_NUM_REGS - 1;

				if (base_reg == VCC_NO_REG)
					out[n++] = (struct vcc_insn){ DRM_VSVM_OP_LI, 0,
						z, VCC_NO_REG, VCC_NO_REG };
				else
					z = base_reg;
				out[n++] = (struct vcc_insn){ DRM_VSVM_OP_ST64,
					(int32_t)(spill_base + 8 * (phys[spilled_def] & ~SPILLED)),
					VCC_NO_REG, z, in.rd };
			}
		}
		free(blk->insns);
		blk->insns = out;
		blk->num = n;
		blk->cap = cap;
	}
	/* the temporaries are physical now: nothing maps them */
	for (uint32_t v = VCC_FIRST_VREG; v < fn->num_vregs; v++)
		if (phys[v] & SPILLED)
			phys[v] = VCC_NUM_REGS - 3;
	return 0;
}

/*
 * ISA v2 spilling: r28 = r11 + LANE_ID * stride at the very start (block 0
 * only copies out of r0 .. r11), and the private-memory stride the
 * translation used (the one MULI of block 1) becomes the new stride.
 */
static int v2_spill_prologue(struct vcc_func *fn, uint32_t stride)
{
	struct vcc_block *b0 = &fn->blocks[0], *b1 = &fn->blocks[1];
	struct vcc_insn *p;
	const uint32_t base = VCC_NUM_REGS - 4;

	for (uint32_t i = 0; fn->num_blocks > 1 && i < b1->num; i++)
		if (b1->insns[i].op == DRM_VSVM_OP_MULI)
			b1->insns[i].imm = (int32_t)stride;
	p = malloc((b0->num + 3) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	p[0] = (struct vcc_insn){ DRM_VSVM_OP_SR, DRM_VSVM_SREG_LANE_ID, base,
				  VCC_NO_REG, VCC_NO_REG };
	p[1] = (struct vcc_insn){ DRM_VSVM_OP_MULI, (int32_t)stride, base, base,
				  VCC_NO_REG };
	p[2] = (struct vcc_insn){ DRM_VSVM_OP_ADD, 0, base, base,
				  VSVM_CC_ABI_SCRATCH };
	memcpy(p + 3, b0->insns, b0->num * sizeof(*p));
	free(b0->insns);
	b0->insns = p;
	b0->num += 3;
	b0->cap = b0->num;
	return 0;
}

int vcc_ra(struct vcc_func *fn, struct vcc_spill *spill, char *err,
	   size_t errlen)
{
	uint32_t nv = fn->num_vregs, words = (nv + 63) / 64, pos = 0;
	uint32_t *phys = NULL, prologue_end = 0, *hint = NULL, *ndefs = NULL;
	struct interval *iv = NULL;
	uint32_t nint = 0;
	int ret = -ENOMEM;
	bool changed;

	for (uint32_t b = 0; b < fn->num_blocks; b++) {
		struct vcc_block *blk = &fn->blocks[b];

		blk->live_in = calloc(words + 1, 8);
		blk->live_out = calloc(words + 1, 8);
		blk->use = calloc(words + 1, 8);
		blk->def = calloc(words + 1, 8);
		if (!blk->live_in || !blk->live_out || !blk->use || !blk->def)
			goto out;
		blk->start = pos;
		for (uint32_t i = 0; i <= blk->num; i++) {
			uint32_t d[2], u[3];
			unsigned nd, nu;

			if (i < blk->num)
				vcc_insn_regs(&blk->insns[i], d, &nd, u, &nu);
			else {
				term_uses(blk, u, &nu);
				nd = 0;
			}
			for (unsigned k = 0; k < nu; k++)
				if (u[k] >= VCC_FIRST_VREG &&
				    !get_bit(blk->def, u[k]))
					set_bit(blk->use, u[k]);
			for (unsigned k = 0; k < nd; k++)
				if (d[k] >= VCC_FIRST_VREG)
					set_bit(blk->def, d[k]);
			pos += 2;
		}
		blk->end = pos - 1;
	}
	if (fn->num_blocks)
		prologue_end = fn->blocks[0].end;

	do {
		changed = false;
		for (uint32_t b = fn->num_blocks; b-- > 0;) {
			struct vcc_block *blk = &fn->blocks[b];
			uint32_t s[2];
			unsigned ns = succs(fn, b, s);

			for (uint32_t w = 0; w < words; w++) {
				uint64_t out = 0, in;

				for (unsigned k = 0; k < ns; k++)
					out |= fn->blocks[s[k]].live_in[w];
				in = blk->use[w] | (out & ~blk->def[w]);
				if (out != blk->live_out[w] ||
				    in != blk->live_in[w])
					changed = true;
				blk->live_out[w] = out;
				blk->live_in[w] = in;
			}
		}
	} while (changed);

	iv = calloc(nv + 1, sizeof(*iv));
	phys = calloc(nv + 1, sizeof(*phys));
	if (!iv || !phys)
		goto out;
	for (uint32_t v = 0; v < nv; v++) {
		iv[v].vreg = v;
		iv[v].start = UINT32_MAX;
		iv[v].end = 0;
	}
#define EXTEND(v, p) do { \
		if ((v) >= VCC_FIRST_VREG) { \
			if ((p) < iv[v].start) iv[v].start = (p); \
			if ((p) > iv[v].end) iv[v].end = (p); \
		} } while (0)
	for (uint32_t b = 0; b < fn->num_blocks; b++) {
		struct vcc_block *blk = &fn->blocks[b];

		pos = blk->start;
		for (uint32_t v = VCC_FIRST_VREG; v < nv; v++) {
			if (get_bit(blk->live_in, v))
				EXTEND(v, blk->start);
			if (get_bit(blk->live_out, v))
				EXTEND(v, blk->end);
		}
		for (uint32_t i = 0; i <= blk->num; i++, pos += 2) {
			uint32_t d[2], u[3];
			unsigned nd, nu;

			if (i < blk->num)
				vcc_insn_regs(&blk->insns[i], d, &nd, u, &nu);
			else {
				term_uses(blk, u, &nu);
				nd = 0;
			}
			for (unsigned k = 0; k < nu; k++)
				EXTEND(u[k], pos);
			for (unsigned k = 0; k < nd; k++)
				EXTEND(d[k], pos + 1);
		}
	}
#undef EXTEND
	for (uint32_t v = VCC_FIRST_VREG; v < nv; v++)
		if (iv[v].start != UINT32_MAX)
			iv[nint++] = iv[v];
	qsort(iv, nint, sizeof(*iv), cmp_start);

	/* first without spilling; then, if allowed, with three registers
	 * kept for reloading spilled values */
	/* copy hints: v written once, by MOV v, w */
	hint = malloc((nv + 1) * sizeof(*hint));
	ndefs = calloc(nv + 1, sizeof(*ndefs));
	if (!hint || !ndefs)
		goto out;
	memset(hint, 0xff, (nv + 1) * sizeof(*hint));
	for (uint32_t b = 0; b < fn->num_blocks; b++) {
		const struct vcc_block *blk = &fn->blocks[b];

		for (uint32_t i = 0; i < blk->num; i++) {
			const struct vcc_insn *in = &blk->insns[i];
			uint32_t d[2], u[3];
			unsigned nd, nu;

			vcc_insn_regs(in, d, &nd, u, &nu);
			for (unsigned k = 0; k < nd; k++)
				if (d[k] < nv)
					ndefs[d[k]]++;
			if (in->op == DRM_VSVM_OP_MOV && in->rd >= VCC_FIRST_VREG &&
			    in->ra >= VCC_FIRST_VREG)
				hint[in->rd] = in->ra;
		}
	}
	for (uint32_t v = 0; v < nv; v++)
		if (ndefs[v] != 1)
			hint[v] = VCC_NO_REG;
	memset(phys, 0xff, (nv + 1) * sizeof(*phys));
	ret = scan(iv, nint, phys, prologue_end, VCC_NUM_REGS, false, NULL,
		   hint);
	spill->bytes = 0;
	if (ret && spill->mode != VCC_SPILL_NONE && fn->num_blocks > 1) {
		bool v2 = spill->mode == VCC_SPILL_V2;
		uint32_t slots = 0;

		memset(phys, 0xff, (nv + 1) * sizeof(*phys));
		ret = scan(iv, nint, phys, prologue_end,
			   VCC_NUM_REGS - (v2 ? 4 : 3), true, &slots, hint);
		if (!ret)
			ret = rewrite_spills(fn, phys, spill->base,
					     v2 ? VCC_NUM_REGS - 4 : VCC_NO_REG);
		if (!ret && v2)
			ret = v2_spill_prologue(fn, spill->base + slots * 8);
		if (!ret)
			spill->bytes = slots * 8;
	}
	if (ret == -ENOTSUP) {
		snprintf(err, errlen,
			 "more than %u values live at once and no spilling",
			 VCC_NUM_REGS);
		goto out;
	}
	if (ret)
		goto out;

	for (uint32_t b = 0; b < fn->num_blocks; b++) {
		struct vcc_block *blk = &fn->blocks[b];

		for (uint32_t i = 0; i < blk->num; i++) {
			struct vcc_insn *in = &blk->insns[i];

			in->rd = map(phys, in->rd);
			in->ra = map(phys, in->ra);
			in->rb = map(phys, in->rb);
		}
		if (blk->term == VCC_TERM_BR) {
			blk->br_ra = map(phys, blk->br_ra);
			blk->br_rb = map(phys, blk->br_rb);
		}
	}
	ret = 0;
out:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	free(iv);
	free(phys);
	free(hint);
	free(ndefs);
	return ret;
}
