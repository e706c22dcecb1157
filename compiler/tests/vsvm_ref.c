// SPDX-License-Identifier: MIT
/*
 * Reference interpreter of the vsvm ISA v2 (see vsvm_ref.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vsvm.h"
#include "vsvm_ref.h"
#include "vcc_isa.h"

#include <stdlib.h>

struct lane_state {
	uint64_t r[32];
	uint64_t pc, steps;
	int state;	/* 0 running, 1 at a barrier, 2 ended */
	uint8_t *scratch;
};

static float f32(uint64_t v)
{
	uint32_t u = (uint32_t)v;
	float f;

	memcpy(&f, &u, 4);
	return f;
}

static uint64_t u32f(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static uint8_t *cur_local;

static void *mem(struct vsvm_ref *ref, struct lane_state *ls, uint64_t ea,
		 unsigned size)
{
	if (ea % size)
		return NULL;
	if (ea >= VCC_LOCAL_BASE && ea - VCC_LOCAL_BASE < ref->local_size &&
	    ea - VCC_LOCAL_BASE + size <= ref->local_size)
		return cur_local + (ea - VCC_LOCAL_BASE);
	if (ea >= VCC_SCRATCH_BASE &&
	    ea - VCC_SCRATCH_BASE < ref->scratch_size &&
	    ea - VCC_SCRATCH_BASE + size <= ref->scratch_size)
		return ls->scratch + (ea - VCC_SCRATCH_BASE);
	for (unsigned i = 0; i < ref->num_ranges; i++) {
		const struct vsvm_ref_range *r = &ref->ranges[i];

		if (ea >= r->start && ea - r->start <= r->size - size &&
		    r->size >= size)
			return (void *)(uintptr_t)ea;
	}
	return NULL;
}

static uint64_t ld(const void *p, unsigned size)
{
	uint8_t b8;
	uint16_t b16;
	uint32_t b32;
	uint64_t b64;

	switch (size) {
	case 1: memcpy(&b8, p, 1); return b8;
	case 2: memcpy(&b16, p, 2); return b16;
	case 4: memcpy(&b32, p, 4); return b32;
	default: memcpy(&b64, p, 8); return b64;
	}
}

static void st(void *p, unsigned size, uint64_t v)
{
	uint8_t b8 = (uint8_t)v;
	uint16_t b16 = (uint16_t)v;
	uint32_t b32 = (uint32_t)v;

	switch (size) {
	case 1: memcpy(p, &b8, 1); break;
	case 2: memcpy(p, &b16, 2); break;
	case 4: memcpy(p, &b32, 4); break;
	default: memcpy(p, &v, 8); break;
	}
}

static uint64_t sx(uint64_t v, unsigned size)
{
	unsigned s = 64 - 8 * size;

	return (uint64_t)((int64_t)(v << s) >> s);
}

/* Run a lane until END (0), BARRIER (1) or an error (-1). */
static int lane(struct vsvm_ref *ref, struct lane_state *ls, uint32_t id)
{
	uint64_t *r = ls->r;
	uint64_t pc = ls->pc;

	for (;;) {
		uint64_t w, a, b, old, nv;
		unsigned op, rd, ra, rb, size;
		int32_t imm;
		int64_t ia, ib;
		void *p;

		if (pc >= ref->len) {
			snprintf(ref->error, sizeof(ref->error),
				 "lane %u: pc %llu outside the program", id,
				 (unsigned long long)pc);
			return -1;
		}
		if (++ls->steps > ref->budget) {
			snprintf(ref->error, sizeof(ref->error),
				 "lane %u: budget spent", id);
			return -1;
		}
		ref->executed++;
		w = ref->code[pc];
		op = w & 0xff;
		rd = (w >> 8) & 0xff;
		ra = (w >> 16) & 0xff;
		rb = (w >> 24) & 0xff;
		imm = (int32_t)(w >> 32);
		if (op == VCC_OP_BARRIER) {
			if (!ref->group_lanes) {
				snprintf(ref->error, sizeof(ref->error),
					 "lane %u: BARRIER in a flat job", id);
				return -1;
			}
			ls->pc = pc + 1;
			return 1;
		}
		if (op == VCC_OP_FENCE) {
			pc++;
			continue;
		}
		if (op == VCC_OP_FMA || op == VCC_OP_FSQRT) {
			r[rd] = op == VCC_OP_FMA ?
				u32f(fmaf(f32(r[ra]), f32(r[rb]), f32(r[rd]))) :
				u32f(sqrtf(f32(r[ra])));
			pc++;
			continue;
		}
		if (op >= VCC_OP_AAND32 && op <= VCC_OP_AMAXU32) {
			size = (op == VCC_OP_AAND64 || op == VCC_OP_AOR64 ||
				op == VCC_OP_AXOR64) ? 8 : 4;
			p = mem(ref, ls, r[ra] + (uint64_t)(int64_t)imm, size);
			if (!p) {
				a = r[ra];
				pc++;
				goto fault;
			}
			old = ld(p, size);
			b = size == 4 ? (uint32_t)r[rb] : r[rb];
			switch (op) {
			case VCC_OP_AAND32: case VCC_OP_AAND64:
				nv = old & b; break;
			case VCC_OP_AOR32: case VCC_OP_AOR64:
				nv = old | b; break;
			case VCC_OP_AXOR32: case VCC_OP_AXOR64:
				nv = old ^ b; break;
			case VCC_OP_AMINU32:
				nv = old < b ? old : b; break;
			default:
				nv = old > b ? old : b; break;
			}
			st(p, size, nv);
			r[rd] = old;
			pc++;
			continue;
		}
		if (vsvm_insn_check(w)) {
			snprintf(ref->error, sizeof(ref->error),
				 "lane %u: invalid word at pc %llu", id,
				 (unsigned long long)pc);
			return -1;
		}
		a = r[ra];
		b = r[rb];
		ia = (int64_t)a;
		ib = (int64_t)b;
		pc++;
		switch (op) {
		case DRM_VSVM_OP_NOP: break;
		case DRM_VSVM_OP_END: ls->pc = pc; return 0;
		case DRM_VSVM_OP_MOV: r[rd] = a; break;
		case DRM_VSVM_OP_LI: r[rd] = (uint64_t)(int64_t)imm; break;
		case DRM_VSVM_OP_LIH:
			r[rd] = (r[rd] & 0xffffffffull) | (uint64_t)(uint32_t)imm << 32;
			break;
		case DRM_VSVM_OP_SR:
			r[rd] = imm == DRM_VSVM_SREG_LANE_ID ? id :
				imm == DRM_VSVM_SREG_LANE_COUNT ? ref->lanes : 0;
			break;
		case DRM_VSVM_OP_ADD: r[rd] = a + b; break;
		case DRM_VSVM_OP_SUB: r[rd] = a - b; break;
		case DRM_VSVM_OP_MUL: r[rd] = a * b; break;
		case DRM_VSVM_OP_DIVU:
		case DRM_VSVM_OP_DIVS:
		case DRM_VSVM_OP_REMU:
			if (!b) {
				snprintf(ref->error, sizeof(ref->error),
					 "lane %u: division by zero at pc %llu",
					 id, (unsigned long long)pc - 1);
				return -1;
			}
			if (op == DRM_VSVM_OP_DIVU)
				r[rd] = a / b;
			else if (op == DRM_VSVM_OP_REMU)
				r[rd] = a % b;
			else if (ia == INT64_MIN && ib == -1)
				r[rd] = a;
			else
				r[rd] = (uint64_t)(ia / ib);
			break;
		case DRM_VSVM_OP_AND: r[rd] = a & b; break;
		case DRM_VSVM_OP_OR: r[rd] = a | b; break;
		case DRM_VSVM_OP_XOR: r[rd] = a ^ b; break;
		case DRM_VSVM_OP_SHL: r[rd] = a << (b & 63); break;
		case DRM_VSVM_OP_SHR: r[rd] = a >> (b & 63); break;
		case DRM_VSVM_OP_SAR: r[rd] = (uint64_t)(ia >> (b & 63)); break;
		case DRM_VSVM_OP_SLT: r[rd] = ia < ib; break;
		case DRM_VSVM_OP_SLTU: r[rd] = a < b; break;
		case DRM_VSVM_OP_SEQ: r[rd] = a == b; break;
		case DRM_VSVM_OP_ADD32: r[rd] = (uint32_t)(a + b); break;
		case DRM_VSVM_OP_SUB32: r[rd] = (uint32_t)(a - b); break;
		case DRM_VSVM_OP_MUL32: r[rd] = (uint32_t)(a * b); break;
		case DRM_VSVM_OP_ADDI: r[rd] = a + (uint64_t)(int64_t)imm; break;
		case DRM_VSVM_OP_MULI: r[rd] = a * (uint64_t)(int64_t)imm; break;
		case DRM_VSVM_OP_ANDI: r[rd] = a & (uint64_t)(int64_t)imm; break;
		case DRM_VSVM_OP_ORI: r[rd] = a | (uint64_t)(int64_t)imm; break;
		case DRM_VSVM_OP_XORI: r[rd] = a ^ (uint64_t)(int64_t)imm; break;
		case DRM_VSVM_OP_SHLI: r[rd] = a << (imm & 63); break;
		case DRM_VSVM_OP_SHRI: r[rd] = a >> (imm & 63); break;
		case DRM_VSVM_OP_SARI: r[rd] = (uint64_t)(ia >> (imm & 63)); break;
		case DRM_VSVM_OP_SEXT32: r[rd] = sx(a, 4); break;
		case DRM_VSVM_OP_ZEXT32: r[rd] = (uint32_t)a; break;
		case DRM_VSVM_OP_JMP: pc += imm; break;
		case DRM_VSVM_OP_BEQ: if (a == b) pc += imm; break;
		case DRM_VSVM_OP_BNE: if (a != b) pc += imm; break;
		case DRM_VSVM_OP_BLT: if (ia < ib) pc += imm; break;
		case DRM_VSVM_OP_BGE: if (ia >= ib) pc += imm; break;
		case DRM_VSVM_OP_BLTU: if (a < b) pc += imm; break;
		case DRM_VSVM_OP_BGEU: if (a >= b) pc += imm; break;
		case DRM_VSVM_OP_LD8: case DRM_VSVM_OP_LD16: case DRM_VSVM_OP_LD32:
		case DRM_VSVM_OP_LD64: case DRM_VSVM_OP_LDS8: case DRM_VSVM_OP_LDS16:
		case DRM_VSVM_OP_LDS32:
			size = 1u << ((op - DRM_VSVM_OP_LD8) & 3);
			p = mem(ref, ls, a + (uint64_t)(int64_t)imm, size);
			if (!p)
				goto fault;
			r[rd] = ld(p, size);
			if (op >= DRM_VSVM_OP_LDS8)
				r[rd] = sx(r[rd], size);
			break;
		case DRM_VSVM_OP_ST8: case DRM_VSVM_OP_ST16: case DRM_VSVM_OP_ST32:
		case DRM_VSVM_OP_ST64:
			size = 1u << (op - DRM_VSVM_OP_ST8);
			p = mem(ref, ls, a + (uint64_t)(int64_t)imm, size);
			if (!p)
				goto fault;
			st(p, size, b);
			break;
		case DRM_VSVM_OP_AADD32: case DRM_VSVM_OP_AADD64:
		case DRM_VSVM_OP_AXCHG32: case DRM_VSVM_OP_AXCHG64:
		case DRM_VSVM_OP_ACMPXCHG32: case DRM_VSVM_OP_ACMPXCHG64:
		case DRM_VSVM_OP_AMIN32: case DRM_VSVM_OP_AMAX32:
		case DRM_VSVM_OP_AMIN64: case DRM_VSVM_OP_AMAX64:
		case DRM_VSVM_OP_AMINU64: case DRM_VSVM_OP_AMAXU64:
			size = (op == DRM_VSVM_OP_AADD32 || op == DRM_VSVM_OP_AXCHG32 ||
				op == DRM_VSVM_OP_ACMPXCHG32 || op == DRM_VSVM_OP_AMIN32 ||
				op == DRM_VSVM_OP_AMAX32) ? 4 : 8;
			p = mem(ref, ls, a + (uint64_t)(int64_t)imm, size);
			if (!p)
				goto fault;
			old = ld(p, size);
			if (size == 4)
				b = (uint32_t)b;
			switch (op) {
			case DRM_VSVM_OP_AADD32: case DRM_VSVM_OP_AADD64:
				nv = old + b; break;
			case DRM_VSVM_OP_AXCHG32: case DRM_VSVM_OP_AXCHG64:
				nv = b; break;
			case DRM_VSVM_OP_ACMPXCHG32: case DRM_VSVM_OP_ACMPXCHG64:
				nv = old == (size == 4 ? (uint32_t)r[rd] : r[rd]) ?
				     b : old;
				break;
			case DRM_VSVM_OP_AMIN32:
				nv = (int32_t)old < (int32_t)b ? old : b; break;
			case DRM_VSVM_OP_AMAX32:
				nv = (int32_t)old > (int32_t)b ? old : b; break;
			case DRM_VSVM_OP_AMIN64:
				nv = (int64_t)old < (int64_t)b ? old : b; break;
			case DRM_VSVM_OP_AMAX64:
				nv = (int64_t)old > (int64_t)b ? old : b; break;
			case DRM_VSVM_OP_AMINU64:
				nv = old < b ? old : b; break;
			default:
				nv = old > b ? old : b; break;
			}
			st(p, size, nv);
			r[rd] = old;
			break;
		case DRM_VSVM_OP_FADD: r[rd] = u32f(f32(a) + f32(b)); break;
		case DRM_VSVM_OP_FSUB: r[rd] = u32f(f32(a) - f32(b)); break;
		case DRM_VSVM_OP_FMUL: r[rd] = u32f(f32(a) * f32(b)); break;
		case DRM_VSVM_OP_FDIV: r[rd] = u32f(f32(a) / f32(b)); break;
		case DRM_VSVM_OP_FMIN:
		case DRM_VSVM_OP_FMAX: {
			float x = f32(a), y = f32(b), m;

			if (isnan(x))
				m = y;
			else if (isnan(y))
				m = x;
			else if (x == y)
				m = (op == DRM_VSVM_OP_FMIN) == !!signbit(x) ? x : y;
			else
				m = (op == DRM_VSVM_OP_FMIN) == (x < y) ? x : y;
			r[rd] = u32f(m);
			break;
		}
		case DRM_VSVM_OP_FLT: r[rd] = f32(a) < f32(b); break;
		case DRM_VSVM_OP_FEQ: r[rd] = f32(a) == f32(b); break;
		case DRM_VSVM_OP_I2F: r[rd] = u32f((float)(int32_t)(uint32_t)a); break;
		case DRM_VSVM_OP_F2I: {
			float x = f32(a);
			int32_t v;

			if (isnan(x))
				v = 0;
			else if (x >= 2147483648.0f)
				v = INT32_MAX;
			else if (x <= -2147483648.0f)
				v = INT32_MIN;
			else
				v = (int32_t)x;
			r[rd] = (uint64_t)(int64_t)v;
			break;
		}
		default:
			snprintf(ref->error, sizeof(ref->error),
				 "lane %u: opcode %#x not interpreted", id, op);
			return -1;
		}
		continue;
fault:
		snprintf(ref->error, sizeof(ref->error),
			 "lane %u: memory fault at pc %llu, address %#llx",
			 id, (unsigned long long)pc - 1,
			 (unsigned long long)(a + (uint64_t)(int64_t)imm));
		return -1;
	}
}

int vsvm_ref_run(struct vsvm_ref *ref)
{
	uint32_t gl = ref->group_lanes ? ref->group_lanes : ref->lanes;
	struct lane_state *ls;
	int ret = 0;

	ref->error[0] = 0;
	ref->executed = 0;
	if (!ref->budget)
		ref->budget = 10000000;
	if (!gl || ref->lanes % gl) {
		snprintf(ref->error, sizeof(ref->error), "bad group shape");
		return -1;
	}
	ls = calloc(gl, sizeof(*ls));
	cur_local = calloc(1, ref->local_size + 8);
	if (!ls || !cur_local) {
		free(ls);
		free(cur_local);
		snprintf(ref->error, sizeof(ref->error), "out of memory");
		return -1;
	}
	for (uint32_t g = 0; g < ref->lanes / gl && !ret; g++) {
		uint32_t ended = 0;

		memset(cur_local, 0, ref->local_size + 8);
		for (uint32_t i = 0; i < gl; i++) {
			free(ls[i].scratch);
			memset(&ls[i], 0, sizeof(ls[i]));
			memcpy(ls[i].r, ref->args, sizeof(ref->args));
			ls[i].scratch = calloc(1, ref->scratch_size + 8);
			if (!ls[i].scratch) {
				snprintf(ref->error, sizeof(ref->error), "out of memory");
				ret = -1;
			}
		}
		while (!ret && ended < gl) {
			uint32_t waiting = 0;

			for (uint32_t i = 0; i < gl && !ret; i++) {
				int rc;

				if (ls[i].state)
					continue;
				rc = lane(ref, &ls[i], g * gl + i);
				if (rc < 0)
					ret = -1;
				else if (rc == 0) {
					ls[i].state = 2;
					ended++;
				} else {
					ls[i].state = 1;
				}
			}
			for (uint32_t i = 0; i < gl; i++)
				waiting += ls[i].state == 1;
			if (!ret && waiting && ended) {
				snprintf(ref->error, sizeof(ref->error),
					 "group %u: lanes ended while others wait at a barrier",
					 g);
				ret = -1;
			}
			for (uint32_t i = 0; i < gl; i++)
				if (ls[i].state == 1)
					ls[i].state = 0;
		}
	}
	for (uint32_t i = 0; i < gl; i++)
		free(ls[i].scratch);
	free(ls);
	free(cur_local);
	cur_local = NULL;
	return ret;
}
