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
 * No spilling yet: a kernel needing more than 32 live values fails with
 * -ENOTSUP (spill slots need per-lane scratch memory, ISA v3).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vcc_ir.h"
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

int vcc_ra(struct vcc_func *fn, char *err, size_t errlen)
{
	uint32_t nv = fn->num_vregs, words = (nv + 63) / 64, pos = 0;
	uint32_t *phys = NULL, prologue_end = 0;
	struct interval *iv = NULL;
	struct interval *active[VCC_NUM_REGS];
	unsigned nactive = 0;
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
		for (uint32_t r = 0; r < VCC_NUM_REGS; r++) {
			if (!(busy >> r & 1)) {
				pick = r;
				break;
			}
		}
		if (pick == VCC_NUM_REGS) {
			snprintf(err, errlen,
				 "more than %u values live at once: register spilling needs scratch memory (ISA v3), not implemented",
				 VCC_NUM_REGS);
			ret = -ENOTSUP;
			goto out;
		}
		phys[cur->vreg] = pick;
		active[nactive++] = cur;
	}

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
	return ret;
}
