// SPDX-License-Identifier: MIT
/*
 * Host tests of the vsvm compiler, run under ASan/UBSan:
 *
 * - every NIR blob in the corpus (captured from Debian's clover by
 *   tools/vsvm-cl-dump) must be read to its last byte;
 * - the reader must fail cleanly on every truncation of every blob and on
 *   corrupted bytes (no crash, no sanitizer report);
 * - every blob is compiled for ISA v2; a kernel the backend cannot compile
 *   yet (barriers, __local, private arrays, ...) is reported as SKIP with
 *   the compiler's reason, never as a pass;
 * - the compiled code runs in a reference interpreter of the ISA
 *   (vsvm_ref.c) with seeded random inputs, laid out the way clover packs
 *   kernel arguments, and the results are compared with a reference
 *   computed here in C from the behaviour written in the kernel's .cl.
 *
 * Usage: vsvm-cc-tests --corpus DIR [--results FILE] [name...]
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "vcc_ir.h"
#include "vcc_isa.h"
#include "vcc_nir.h"
#include "vsvm.h"
#include "vsvm_cc.h"
#include "vsvm_ref.h"

#define GLOBAL	64
#define LOCAL	16
#define BUFSZ	(16 * 1024)
#define MAXBUF	4

/* ---- memory the kernels see ------------------------------------------ */

/*
 * All memory a kernel run touches comes from one arena, so that with
 * --device one mirror of it makes it all GPU-visible.
 */
#define ARENA_SIZE (4u << 20)

static uint8_t *arena;
static size_t arena_used;

static void *arena_alloc(size_t size)
{
	void *p;

	arena_used = (arena_used + 63) & ~(size_t)63;
	if (!arena || arena_used + size > ARENA_SIZE)
		return NULL;
	p = arena + arena_used;
	arena_used += size;
	memset(p, 0, size);
	return p;
}

/* --device: run on vsvm device 0 instead of the reference interpreter */
static int dev_fd = -1;
static uint32_t dev_vm;

/* ---- one kernel run --------------------------------------------------- */

struct run {
	uint8_t *buf[MAXBUF];		/* arguments "buf"/"svm", in order */
	unsigned nbuf;
	uint32_t scalar[MAXBUF];	/* arguments "u32"/"f32", in order */
	unsigned nscalar;
	uint8_t *pool;			/* extra host memory (linked list) */
	const int32_t *constants;	/* __constant data clover passes */
	unsigned nconstants;
	uint8_t *constbuf;
	uint64_t seed;
};

static uint32_t rnd(struct run *r)
{
	r->seed ^= r->seed << 13;
	r->seed ^= r->seed >> 7;
	r->seed ^= r->seed << 17;
	return (uint32_t)(r->seed >> 11);
}

static int32_t *ibuf(struct run *r, unsigned i)
{
	return (int32_t *)(void *)r->buf[i];
}

static float *fbuf(struct run *r, unsigned i)
{
	return (float *)(void *)r->buf[i];
}

static bool fail_msg(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail_msg(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return false;
}

#define CHECK_EQ(what, idx, got, want) do {				\
	if ((got) != (want))						\
		return fail_msg(msg, len, "%s[%u] = %lld, expected %lld", \
				what, (unsigned)(idx), (long long)(got), \
				(long long)(want));			\
} while (0)

static uint32_t fbits(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static float rndf(struct run *r)
{
	/* values with a few bits of fraction and both signs */
	return (float)((int32_t)(rnd(r) % 20001) - 10000) / 64.0f;
}

/* vector_add: c[i] = a[i] + b[i] */
static void setup_vector_add(struct run *r)
{
	for (unsigned i = 0; i < GLOBAL; i++) {
		ibuf(r, 0)[i] = (int32_t)rnd(r);
		ibuf(r, 1)[i] = (int32_t)rnd(r);
	}
}

static bool check_vector_add(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < GLOBAL; i++)
		CHECK_EQ("c", i, ibuf(r, 2)[i],
			 (int32_t)((uint32_t)ibuf(r, 0)[i] +
				   (uint32_t)ibuf(r, 1)[i]));
	return true;
}

/* ids: 8 values per work-item */
static bool check_ids(struct run *r, char *msg, size_t len)
{
	for (unsigned g = 0; g < GLOBAL; g++) {
		const uint32_t want[8] = { g, g % LOCAL, g / LOCAL, LOCAL,
					   GLOBAL / LOCAL, GLOBAL, 1, 0 };

		for (unsigned k = 0; k < 8; k++)
			CHECK_EQ("out", 8 * g + k,
				 (uint32_t)ibuf(r, 0)[8 * g + k], want[k]);
	}
	return true;
}

/* ids_2d: out[g] = g + 10 */
static bool check_ids_2d(struct run *r, char *msg, size_t len)
{
	for (unsigned g = 0; g < GLOBAL; g++)
		CHECK_EQ("out", g, (uint32_t)ibuf(r, 0)[g], g + 10);
	return true;
}

/* atomics on c[0..11] */
static const int32_t atomics_init[12] = {
	5, 0, 0, 1000, -1000, -1, 0, 0, 12345, 0, -1, 0,
};

static void setup_atomics(struct run *r)
{
	for (unsigned i = 0; i < GLOBAL; i++)
		ibuf(r, 0)[i] = (int32_t)(rnd(r) % 4001) - 2000;
	memcpy(r->buf[1], atomics_init, sizeof(atomics_init));
}

static bool check_atomics(struct run *r, char *msg, size_t len)
{
	const int32_t *in = ibuf(r, 0), *c = ibuf(r, 1);
	int32_t sum = 0, mn = atomics_init[3], mx = atomics_init[4];
	int32_t a = atomics_init[5], o = 0, x = 0;
	uint32_t umn = (uint32_t)atomics_init[10], umx = 0;
	bool xchg_ok = false;

	for (unsigned i = 0; i < GLOBAL; i++) {
		sum += in[i];
		mn = in[i] < mn ? in[i] : mn;
		mx = in[i] > mx ? in[i] : mx;
		a &= in[i];
		o |= in[i];
		x ^= in[i];
		umn = (uint32_t)in[i] < umn ? (uint32_t)in[i] : umn;
		umx = (uint32_t)in[i] > umx ? (uint32_t)in[i] : umx;
		xchg_ok |= c[8] == in[i];
	}
	CHECK_EQ("c", 0, c[0], atomics_init[0] + GLOBAL);
	CHECK_EQ("c", 1, c[1], sum);
	CHECK_EQ("c", 2, c[2], -sum);
	CHECK_EQ("c", 3, c[3], mn);
	CHECK_EQ("c", 4, c[4], mx);
	CHECK_EQ("c", 5, c[5], a);
	CHECK_EQ("c", 6, c[6], o);
	CHECK_EQ("c", 7, c[7], x);
	if (!xchg_ok)
		return fail_msg(msg, len, "c[8] = %d is none of the inputs",
				c[8]);
	if (c[9] < 1 || c[9] > GLOBAL)
		return fail_msg(msg, len, "c[9] = %d, expected 1..%d", c[9],
				GLOBAL);
	CHECK_EQ("c", 10, (uint32_t)c[10], umn);
	CHECK_EQ("c", 11, (uint32_t)c[11], umx);
	return true;
}

/* float_ops: 8 results per pair */
static void setup_float_ops(struct run *r)
{
	for (unsigned i = 0; i < 2 * GLOBAL; i++) {
		float f = rndf(r);

		fbuf(r, 0)[i] = f == 0.0f ? 1.5f : f;
	}
	fbuf(r, 0)[2] = fbuf(r, 0)[3];		/* one equal pair */
}

static bool check_float_ops(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < GLOBAL; i++) {
		volatile float x = fbuf(r, 0)[2 * i], y = fbuf(r, 0)[2 * i + 1];
		float want[8] = { x + y, x - y, x * y, x / y, fminf(x, y),
				  fmaxf(x, y), (float)(int)x,
				  x < y ? 1.0f : 0.0f };

		for (unsigned k = 0; k < 8; k++)
			CHECK_EQ("out (bits)", 8 * i + k,
				 fbits(fbuf(r, 1)[8 * i + k]), fbits(want[k]));
	}
	return true;
}

/* if_else */
static void setup_if_else(struct run *r)
{
	for (unsigned i = 0; i < GLOBAL; i++)
		ibuf(r, 0)[i] = (int32_t)(rnd(r) % 201) - 100;
	ibuf(r, 0)[0] = 0;
}

static bool check_if_else(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < GLOBAL; i++) {
		int32_t x = ibuf(r, 0)[i], w;

		if (x < 0)
			w = -x * 2;
		else if (x == 0)
			w = 7;
		else
			w = (x & 1) ? x * 3 + 1 : x / 2;
		CHECK_EQ("out", i, ibuf(r, 1)[i], w);
	}
	return true;
}

/* int_ops: 16 results per pair */
static void setup_int_ops(struct run *r)
{
	for (unsigned i = 0; i < GLOBAL; i++) {
		int32_t x = (int32_t)rnd(r), y = (int32_t)rnd(r);

		if (i % 4 == 1)
			y = (int32_t)(rnd(r) % 61) - 30;
		if (y == 0 || (y == -1 && x == INT32_MIN))
			y = 3;
		ibuf(r, 0)[i] = x;
		ibuf(r, 1)[i] = y;
	}
}

static bool check_int_ops(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < GLOBAL; i++) {
		int32_t x = ibuf(r, 0)[i], y = ibuf(r, 1)[i];
		uint32_t ux = (uint32_t)x, uy = (uint32_t)y, s = uy & 31;
		int32_t want[16] = {
			x / y, x % y, (int32_t)(ux / uy), (int32_t)(ux % uy),
			(int32_t)(ux << s), x >> s, (int32_t)(ux >> s),
			x & y, x | y, x ^ y, ~x, (int32_t)(0u - ux),
			(int32_t)(ux * uy),
			(int32_t)(((int64_t)x * (int64_t)y) >> 32),
			(int32_t)((int64_t)x / (int64_t)y),
			(int32_t)((uint64_t)ux % (uint64_t)uy),
		};

		for (unsigned k = 0; k < 16; k++)
			CHECK_EQ("out", 16 * i + k, ibuf(r, 2)[16 * i + k],
				 want[k]);
	}
	return true;
}

/* linked_list: lists of malloc'd-style nodes in the pool */
struct node {
	uint64_t next;
	int32_t value;
	int32_t visits;
};

static void setup_linked_list(struct run *r)
{
	struct node *pool = (struct node *)(void *)r->pool;
	uint64_t *heads = (uint64_t *)(void *)r->buf[0];
	unsigned used = 0;

	for (unsigned i = 0; i < GLOBAL; i++) {
		uint64_t head = 0;

		for (unsigned k = 0; k < i % 5; k++) {
			struct node *n = &pool[used++];

			n->value = (int32_t)(rnd(r) % 1000);
			n->visits = 0;
			n->next = head;
			head = vsvm_va(n);
		}
		heads[i] = head;
	}
}

static bool check_linked_list(struct run *r, char *msg, size_t len)
{
	const uint64_t *heads = (const uint64_t *)(const void *)r->buf[0];

	for (unsigned i = 0; i < GLOBAL; i++) {
		int32_t sum = 0;

		for (uint64_t p = heads[i]; p;) {
			const struct node *n =
				(const struct node *)(uintptr_t)p;

			sum += n->value;
			CHECK_EQ("visits of a node of list", i, n->visits, 1);
			p = n->next;
		}
		CHECK_EQ("out", i, ibuf(r, 1)[i], sum);
	}
	return true;
}

/* loop: n = scalar 0 */
static void setup_loop(struct run *r)
{
	r->scalar[0] = 5;
	for (unsigned i = 0; i < GLOBAL * 5; i++)
		ibuf(r, 0)[i] = (int32_t)rnd(r);
}

static bool check_loop(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < GLOBAL; i++) {
		uint32_t sum = 0;

		for (unsigned k = 0; k < 5; k++)
			sum += (uint32_t)ibuf(r, 0)[i * 5 + k];
		CHECK_EQ("out", i, ibuf(r, 1)[i], (int32_t)sum);
	}
	return true;
}

/* private_array */
static void setup_random(struct run *r)
{
	for (unsigned i = 0; i < GLOBAL; i++)
		ibuf(r, 0)[i] = (int32_t)(rnd(r) % 100000);
}

static bool check_private_array(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < GLOBAL; i++) {
		int32_t x = ibuf(r, 0)[i], a[16];

		for (int k = 0; k < 16; k++)
			a[k] = x * k + k * k;
		CHECK_EQ("out", i, ibuf(r, 1)[i],
			 a[x & 15] + a[(x >> 4) & 15]);
	}
	return true;
}

/* saxpy: scalar 0 is a (float bits) */
static void setup_saxpy(struct run *r)
{
	r->scalar[0] = fbits(2.5f);
	for (unsigned i = 0; i < GLOBAL; i++) {
		fbuf(r, 0)[i] = rndf(r);
		fbuf(r, 1)[i] = rndf(r);
	}
	memcpy(r->pool, r->buf[1], GLOBAL * 4);	/* keep the old y */
}

static bool check_saxpy(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < GLOBAL; i++) {
		volatile float p = 2.5f * fbuf(r, 0)[i];
		float old;
		float want;

		memcpy(&old, r->pool + 4 * i, 4);
		want = p + old;

		CHECK_EQ("y (bits)", i, fbits(fbuf(r, 1)[i]), fbits(want));
	}
	return true;
}

/* constant_table */
static const int32_t table8[8] = { 3, 1, 4, 1, 5, 9, 2, 6 };

static bool check_constant_table(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < GLOBAL; i++)
		CHECK_EQ("out", i, ibuf(r, 1)[i],
			 table8[ibuf(r, 0)[i] & 7] * 2);
	return true;
}

/* small_types */
static void setup_small_types(struct run *r)
{
	for (unsigned i = 0; i < GLOBAL; i++)
		r->buf[0][i] = (uint8_t)rnd(r);
	r->buf[0][1] = 255;
}

static bool check_small_types(struct run *r, char *msg, size_t len)
{
	int16_t o16;

	for (unsigned i = 0; i < GLOBAL; i++) {
		CHECK_EQ("out8", i, r->buf[1][i], (uint8_t)(r->buf[0][i] + 3));
		memcpy(&o16, r->buf[1] + 256 + 2 * i, 2);
		CHECK_EQ("out16", i, o16, (int16_t)(r->buf[0][i] * -3));
	}
	return true;
}

/* local_reduce: out[grp] = sum of its 16 inputs */
static bool check_local_reduce(struct run *r, char *msg, size_t len)
{
	for (unsigned g = 0; g < GLOBAL / LOCAL; g++) {
		uint32_t sum = 0;

		for (unsigned k = 0; k < LOCAL; k++)
			sum += (uint32_t)ibuf(r, 0)[g * LOCAL + k];
		CHECK_EQ("out", g, ibuf(r, 1)[g], (int32_t)sum);
	}
	return true;
}

/* list_walk: the heads as 64-bit addresses (same lists as linked_list) */

/* vec4_math */
static void setup_vec4_math(struct run *r)
{
	for (unsigned i = 0; i < 4 * GLOBAL; i++) {
		fbuf(r, 0)[i] = rndf(r);
		fbuf(r, 1)[i] = rndf(r) / 16.0f;
	}
}

static bool check_vec4_math(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < 4 * GLOBAL; i++) {
		volatile float p = fbuf(r, 0)[i] * fbuf(r, 1)[i];
		float want = p + (float)(i % 4 + 1);
		int32_t iw = (int32_t)want;

		CHECK_EQ("c (bits)", i, fbits(fbuf(r, 2)[i]), fbits(want));
		CHECK_EQ("d", i, ibuf(r, 2)[4 * GLOBAL + i], iw);
	}
	return true;
}

/* convert */
static void setup_convert(struct run *r)
{
	for (unsigned i = 0; i < GLOBAL; i++)
		ibuf(r, 0)[i] = i % 3 ? (int32_t)(rnd(r) % 2001) - 1000 :
				(int32_t)rnd(r);
	ibuf(r, 0)[0] = -1;			/* u = 0xffffffff */
	ibuf(r, 0)[1] = INT32_MIN + 1;
	ibuf(r, 0)[2] = 0x7fffff81;		/* rounding of (float)u */
}

static bool check_convert(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < GLOBAL; i++) {
		int32_t x = ibuf(r, 0)[i], w[12];
		uint32_t u = (uint32_t)x;
		float f = (float)x / 8.0f, fu = (float)u, fx = (float)x;
		float af = fabsf(f);

		memcpy(&w[0], &fu, 4);
		memcpy(&w[1], &fx, 4);
		w[2] = (int32_t)f;
		w[3] = (int32_t)(uint32_t)af;
		w[4] = x < 100 ? x : 100;
		w[5] = x > -100 ? x : -100;
		w[6] = (int32_t)(x < 0 ? 0u - u : u);
		w[7] = x < -50 ? -50 : x > 50 ? 50 : x;
		w[8] = x > 0 ? 11 : 22;
		w[9] = (int32_t)(((int64_t)x * 3) >> 1);
		w[10] = (int32_t)((uint64_t)u * 5 % 7);
		w[11] = (int16_t)x;
		for (unsigned k = 0; k < 12; k++)
			CHECK_EQ("out", 16 * i + k, ibuf(r, 1)[16 * i + k], w[k]);
	}
	return true;
}

/* math_builtins */
static void setup_math_builtins(struct run *r)
{
	static const float special[] = { 0.5f, -0.5f, 2.5f, -2.5f, 1e-3f,
					 -0.0f, 3.0f, -7.75f };

	for (unsigned i = 0; i < GLOBAL; i++)
		fbuf(r, 0)[i] = i < 8 ? special[i] : rndf(r) / 160.0f;
}

static int64_t ulps(float a, float b)
{
	int32_t x, y;

	memcpy(&x, &a, 4);
	memcpy(&y, &b, 4);
	if (x < 0)
		x = INT32_MIN - x;
	if (y < 0)
		y = INT32_MIN - y;
	return x > y ? (int64_t)x - y : (int64_t)y - x;
}

static bool check_math_builtins(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < GLOBAL; i++) {
		float x = fbuf(r, 0)[i], *o = fbuf(r, 1) + 32 * i;
		int32_t *oi = ibuf(r, 1) + 32 * i;
		int32_t k;
		uint32_t u;
		float exact[7] = { floorf(x), ceilf(x), truncf(x), rintf(x),
				   roundf(x), fabsf(x), copysignf(x, -1.0f) };
		float s = x * 1e10f;
		int32_t sat = isnan(s) ? 0 : s >= 2147483648.0f ? INT32_MAX :
			      s <= -2147483648.0f ? INT32_MIN : (int32_t)s;
		volatile float m = x * 2.0f;
		float madu = m + 1.0f, madf = fmaf(x, 2.0f, 1.0f);
		const struct { unsigned idx; float want; int64_t bound; } approx[] = {
			{ 14, sqrtf(fabsf(x)), 8192 },	/* native: loose */
		};

		memcpy(&k, &x, 4);
		u = (uint32_t)k;
		for (unsigned j = 0; j < 7; j++)
			CHECK_EQ("out (bits)", 32 * i + j, fbits(o[j]),
				 fbits(exact[j]));
		CHECK_EQ("clz", i, oi[8], k ? __builtin_clz(u) : 32);
		CHECK_EQ("hadd", i, oi[9], (int32_t)(((int64_t)k + 7) >> 1));
		CHECK_EQ("add_sat", i, oi[10],
			 (int64_t)k + 0x7fffff00 > INT32_MAX ? INT32_MAX :
			 k + 0x7fffff00);
		CHECK_EQ("rotate", i, (uint32_t)oi[11], (u << 5) | (u >> 27));
		if (fbits(o[12]) != fbits(madu) && fbits(o[12]) != fbits(madf))
			return fail_msg(msg, len, "mad[%u] = %a", i, o[12]);
		CHECK_EQ("sqrt (bits)", i, fbits(o[13]), fbits(sqrtf(fabsf(x))));
		CHECK_EQ("sign (bits)", i, fbits(o[15]),
			 fbits(x > 0 ? 1.0f : x < 0 ? -1.0f : x));
		CHECK_EQ("fmod (bits)", i, fbits(o[16]), fbits(fmodf(x, 3.0f)));
		for (unsigned j = 0; j < sizeof(approx) / sizeof(approx[0]); j++)
			if (ulps(o[approx[j].idx], approx[j].want) > approx[j].bound)
				return fail_msg(msg, len,
						"out[%u][%u] = %a, expected %a within %lld ulp",
						i, approx[j].idx, o[approx[j].idx],
						approx[j].want,
						(long long)approx[j].bound);
		CHECK_EQ("mul_hi", i, oi[20], (int32_t)(((int64_t)k * 12345) >> 32));
		CHECK_EQ("upsample", i, oi[21],
			 (int32_t)((uint32_t)(int32_t)(int16_t)k << 16 |
				   (uint16_t)u));
		CHECK_EQ("select", i, oi[22], k > 3 ? 5 : k);
		CHECK_EQ("convert_int_sat", i, oi[24], sat);
		if (x >= 0) {
			CHECK_EQ("convert_uint", i, (uint32_t)oi[25], (uint32_t)x);
			CHECK_EQ("(int)(ulong)", i, oi[27],
				 (int32_t)(uint64_t)(x * 100.0f));
		}
		CHECK_EQ("(float)(long) (bits)", i, fbits(o[26]),
			 fbits((float)(int64_t)k));
	}
	return true;
}

/* sqrt_check: random bit patterns of every class */
static void setup_sqrt_check(struct run *r)
{
	static const uint32_t special[] = {
		0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000,
		0x00000001, 0x007fffff, 0x00800000, 0x3f800000, 0x40800000,
		0x7f7fffff, 0xbf800000, 0x3f800001, 0x40000000, 0x00400000,
	};
	uint32_t *in = (uint32_t *)(void *)r->buf[0];

	for (unsigned i = 0; i < 16 * GLOBAL; i++) {
		in[i] = i < sizeof(special) / sizeof(special[0]) ? special[i] :
			rnd(r);
		if (i % 3 == 0)
			in[i] &= 0x7fffffff;	/* mostly non-negative */
	}
}

static bool check_sqrt_check(struct run *r, char *msg, size_t len)
{
	for (unsigned i = 0; i < 16 * GLOBAL; i++) {
		float x = fbuf(r, 0)[i], got = fbuf(r, 1)[i];
		float want = sqrtf(x);

		if (isnan(want) && isnan(got))
			continue;
		if (fbits(got) != fbits(want))
			return fail_msg(msg, len, "sqrt(%a) = %a, expected %a",
					x, got, want);
	}
	return true;
}

/* int64_ops */
static void setup_int64_ops(struct run *r)
{
	int64_t *a = (int64_t *)(void *)r->buf[0], *b = (int64_t *)(void *)r->buf[1];

	for (unsigned i = 0; i < GLOBAL; i++) {
		a[i] = (int64_t)((uint64_t)rnd(r) << 32 | rnd(r));
		b[i] = (int64_t)((uint64_t)rnd(r) << 32 | rnd(r));
		if (i % 4 == 1)
			b[i] = (int64_t)(rnd(r) % 201) - 100;
		if (i % 8 == 2)
			a[i] = (int64_t)(rnd(r) % 1000);
		if (b[i] == 0 || (b[i] == -1 && a[i] == INT64_MIN))
			b[i] = 7;
	}
}

static bool check_int64_ops(struct run *r, char *msg, size_t len)
{
	const int64_t *a = (const int64_t *)(const void *)r->buf[0];
	const int64_t *b = (const int64_t *)(const void *)r->buf[1];
	const int64_t *o = (const int64_t *)(const void *)r->buf[2];

	for (unsigned i = 0; i < GLOBAL; i++) {
		int64_t x = a[i], y = b[i];
		uint64_t ux = (uint64_t)x, uy = (uint64_t)y, s = uy & 63;
		int64_t want[12] = {
			(int64_t)(((__int128)x * y) >> 64),
			(int64_t)(((unsigned __int128)ux * uy) >> 64),
			x / y, x % y, (int64_t)(ux / uy), (int64_t)(ux % uy),
			(int64_t)(ux << s), x >> s, (int64_t)(ux >> s),
			x < y, ux < uy, ux ? __builtin_clzll(ux) : 64,
		};

		for (unsigned k = 0; k < 12; k++)
			CHECK_EQ("out", 16 * i + k, o[16 * i + k], want[k]);
	}
	return true;
}

/* misc: vectors, geometric and relational builtins, char/short/uint16 */
static void setup_misc(struct run *r)
{
	for (unsigned i = 0; i < 4 * (GLOBAL + 1); i++)
		fbuf(r, 0)[i] = rndf(r) / 64.0f;
}

static bool near(float got, float want, float tol)
{
	return fabsf(got - want) <= tol * (fabsf(want) + 1.0f);
}

static bool check_misc(struct run *r, char *msg, size_t len)
{
	const float *in = fbuf(r, 0);

	for (unsigned i = 0; i < GLOBAL; i++) {
		const float *a = in + 4 * i, *b = in + 4 * i + 4;
		const float *o = fbuf(r, 1) + 32 * i;
		float dot = 0, la = 0, dd = 0, lb = 0, want[4];
		int32_t ia[4];
		int8_t ch[4];

		memcpy(ia, a, 16);
		for (int k = 0; k < 4; k++) {
			float t = a[k] * 10.0f;

			dot += a[k] * b[k];
			la += a[k] * a[k];
			dd += (a[k] - b[k]) * (a[k] - b[k]);
			lb += b[k] * b[k];
			ch[k] = t >= 127.0f ? 127 : t <= -128.0f ? -128 : (int8_t)t;
		}
		want[0] = dot;
		want[1] = sqrtf(la);
		want[2] = sqrtf(dd);
		want[3] = sqrtf(lb);
		for (int k = 0; k < 4; k++)
			if (!near(o[k], want[k], k == 3 ? 1e-3f : 1e-5f))
				return fail_msg(msg, len, "o[%u].%d = %a, expected %a",
						i, k, o[k], want[k]);
		for (int k = 0; k < 4; k++)	/* vstore4 of a * 2 */
			CHECK_EQ("vstore (bits)", 32 * i + 4 + k, fbits(o[4 + k]),
				 fbits(a[k] * 2.0f));
		want[0] = a[1] * b[2] - a[2] * b[1];
		want[1] = a[2] * b[0] - a[0] * b[2];
		want[2] = a[0] * b[1] - a[1] * b[0];
		want[3] = 0;
		for (int k = 0; k < 4; k++)
			if (!near(o[8 + k], want[k], 1e-4f))
				return fail_msg(msg, len, "cross[%u].%d = %a, expected %a",
						i, k, o[8 + k], want[k]);
		for (int k = 0; k < 4; k++) {
			uint32_t m = fbits(0.5f), ab = fbits(a[k]), bb = fbits(b[k]);
			int32_t rel = a[k] < b[k] ? -1 : 0;
			int32_t x = (int32_t)((uint32_t)ia[k] << 8) >> 8;
			int32_t mad = (int32_t)((uint32_t)x * (uint32_t)x + (uint32_t)ia[k]);
			volatile float f1 = (float)ch[k], f2 = (float)mad;

			CHECK_EQ("bitselect (bits)", 32 * i + 12 + k, fbits(o[12 + k]),
				 (ab & ~m) | (bb & m));
			CHECK_EQ("relational (bits)", 32 * i + 16 + k, fbits(o[16 + k]),
				 fbits((float)rel));
			CHECK_EQ("char4_sat + mad24 (bits)", 32 * i + 20 + k,
				 fbits(o[20 + k]), fbits(f1 + f2));
		}
		{
			int32_t x = (int32_t)((uint32_t)ia[0] << 8) >> 8;
			int32_t y = (int32_t)((uint32_t)ia[1] << 8) >> 8;
			uint8_t cx = (uint8_t)ch[0];
			int8_t rot = (int8_t)(uint8_t)(cx << 3 | cx >> 5);

			CHECK_EQ("o6.x (bits)", i, fbits(o[24]), fbits((float)(9 * i)));
			CHECK_EQ("o6.y (bits)", i, fbits(o[25]),
				 fbits((float)(2 * i + 18)));
			CHECK_EQ("mul24 (bits)", i, fbits(o[26]),
				 fbits((float)(int32_t)((uint32_t)x * (uint32_t)y)));
			CHECK_EQ("rotate (bits)", i, fbits(o[27]), fbits((float)rot));
		}
		for (int k = 0; k < 4; k++) {
			float w = (a[3 - k] + in[i + k]) + fmaf(a[k], b[k], a[k]);

			if (!near(o[28 + k], w, 1e-5f))
				return fail_msg(msg, len, "o7[%u].%d = %a, expected %a",
						i, k, o[28 + k], w);
		}
	}
	return true;
}

struct kcase {
	const char *name;
	void (*setup)(struct run *r);
	bool (*check)(struct run *r, char *msg, size_t len);
	const int32_t *constants;
	unsigned nconstants;
};

static const struct kcase kcases[] = {
	{ "vector_add", setup_vector_add, check_vector_add, NULL, 0 },
	{ "ids", NULL, check_ids, NULL, 0 },
	{ "ids_2d", NULL, check_ids_2d, NULL, 0 },
	{ "atomics", setup_atomics, check_atomics, NULL, 0 },
	{ "float_ops", setup_float_ops, check_float_ops, NULL, 0 },
	{ "if_else", setup_if_else, check_if_else, NULL, 0 },
	{ "int_ops", setup_int_ops, check_int_ops, NULL, 0 },
	{ "linked_list", setup_linked_list, check_linked_list, NULL, 0 },
	{ "loop", setup_loop, check_loop, NULL, 0 },
	{ "private_array", setup_random, check_private_array, NULL, 0 },
	{ "saxpy", setup_saxpy, check_saxpy, NULL, 0 },
	{ "constant_table", setup_random, check_constant_table, table8, 8 },
	{ "small_types", setup_small_types, check_small_types, NULL, 0 },
	{ "local_reduce", setup_random, check_local_reduce, NULL, 0 },
	{ "list_walk", setup_linked_list, check_linked_list, NULL, 0 },
	{ "vec4_math", setup_vec4_math, check_vec4_math, NULL, 0 },
	{ "convert", setup_convert, check_convert, NULL, 0 },
	{ "math_builtins", setup_math_builtins, check_math_builtins, NULL, 0 },
	{ "sqrt_check", setup_sqrt_check, check_sqrt_check, NULL, 0 },
	{ "int64_ops", setup_int64_ops, check_int64_ops, NULL, 0 },
	{ "misc", setup_misc, check_misc, NULL, 0 },
};

/* ---- files ------------------------------------------------------------ */

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		goto out;
	p = malloc(n ? (size_t)n : 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	*size = (size_t)n;
out:
	fclose(f);
	return p;
}

/* "// vsvm-args: buf buf u32" from the .cl beside the blob */
static int read_args(const char *dir, const char *name, char kinds[8][16],
		     unsigned *nargs)
{
	char path[512], line[256];
	FILE *f;

	*nargs = 0;
	snprintf(path, sizeof(path), "%s/%s.cl", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *s = strstr(line, "vsvm-args:"), *tok, *save = NULL;

		if (!s)
			continue;
		for (tok = strtok_r(s + 10, " \t\n", &save); tok && *nargs < 8;
		     tok = strtok_r(NULL, " \t\n", &save))
			snprintf(kinds[(*nargs)++], 16, "%s", tok);
		break;
	}
	fclose(f);
	return *nargs ? 0 : -ENOENT;
}

/* ---- results ---------------------------------------------------------- */

static FILE *results;
static int npass, nfail, nskip;

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void report(const char *name, const char *status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void report(const char *name, const char *status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%-4s %s%s%s\n", !strcmp(status, "pass") ? "ok" :
	       !strcmp(status, "skip") ? "SKIP" : "FAIL", name,
	       msg[0] ? ": " : "", msg);
	if (!strcmp(status, "pass"))
		npass++;
	else if (!strcmp(status, "skip"))
		nskip++;
	else
		nfail++;
	if (results) {
		fprintf(results, "{\"suite\": \"%s\", \"name\": ",
			dev_fd >= 0 ? "compiler-device" : "compiler");
		json_string(results, name);
		fprintf(results, ", \"status\": \"%s\", \"message\": ", status);
		json_string(results, msg);
		fprintf(results, "}\n");
		fflush(results);
	}
}

/* ---- tests ------------------------------------------------------------ */

static void test_reader_rejects(void)
{
	static const uint8_t junk[64] = { 0xff, 0xff, 0xff, 0xff, 1, 2, 3 };
	struct vcc_nir n;
	char err[256];

	if (vcc_nir_read(junk, 0, &n, err, sizeof(err)) != -EINVAL ||
	    !err[0])
		return report("reader/empty", "fail", "empty blob accepted");
	if (vcc_nir_read(junk, sizeof(junk), &n, err, sizeof(err)) != -EINVAL)
		return report("reader/junk", "fail", "junk accepted");
	report("reader/rejects", "pass", "%s", "");
}

static void test_tables(void)
{
	/* spot checks of the sorted-name numbering */
	if (vcc_nir_op_find("iadd") < 0 || vcc_nir_op_find("vec8") !=
	    VCC_NIR_NUM_OPS - 1 || strcmp(vcc_nir_ops[0].name, "amul"))
		return report("tables/ops", "fail", "op table order");
	for (int i = 1; i < VCC_NIR_NUM_OPS; i++)
		if (strcmp(vcc_nir_ops[i - 1].name, vcc_nir_ops[i].name) >= 0)
			return report("tables/ops", "fail", "not sorted at %d",
				      i);
	for (int i = 1; i < VCC_NIR_NUM_INTRINSICS; i++)
		if (strcmp(vcc_nir_intrinsics[i - 1].name,
			   vcc_nir_intrinsics[i].name) >= 0)
			return report("tables/intrinsics", "fail",
				      "not sorted at %d", i);
	report("tables/sorted", "pass", "%s", "");
}

static void add_insn(struct vcc_block *b, unsigned op, uint32_t rd,
		     uint32_t ra, uint32_t rb, int32_t imm)
{
	if (b->num == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->insns = realloc(b->insns, b->cap * sizeof(*b->insns));
		if (!b->insns)
			abort();
	}
	b->insns[b->num++] = (struct vcc_insn){ op, imm, rd, ra, rb };
}

/* 40 values live at once, summed: too many registers without spilling */
static int build_pressure(struct vcc_func *fn, unsigned nvals)
{
	struct vcc_block *b;
	uint32_t out = VCC_FIRST_VREG, acc;

	memset(fn, 0, sizeof(*fn));
	fn->blocks = calloc(2, sizeof(*fn->blocks));
	if (!fn->blocks)
		return -1;
	fn->num_blocks = fn->cap_blocks = 2;
	fn->prologue_blocks = 1;
	fn->num_vregs = VCC_FIRST_VREG + 1;
	add_insn(&fn->blocks[0], DRM_VSVM_OP_MOV, out, 0, VCC_NO_REG, 0);
	b = &fn->blocks[1];
	for (unsigned i = 0; i < nvals; i++)
		add_insn(b, DRM_VSVM_OP_LI, fn->num_vregs++, VCC_NO_REG, VCC_NO_REG,
			 (int32_t)(3 * i + 1));
	acc = VCC_FIRST_VREG + 1;
	for (unsigned i = 1; i < nvals; i++) {
		add_insn(b, DRM_VSVM_OP_ADD, fn->num_vregs, acc,
			 VCC_FIRST_VREG + 1 + i, 0);
		acc = fn->num_vregs++;
	}
	add_insn(b, DRM_VSVM_OP_ST64, VCC_NO_REG, out, acc, 0);
	b->term = VCC_TERM_END;
	return 0;
}

static void test_spill(void)
{
	struct vcc_func fn;
	uint64_t *code = NULL, result = 0;
	uint32_t len = 0, bytes = 0;
	struct vsvm_ref ref = { 0 };
	char err[256];
	int ret;

	if (build_pressure(&fn, 40))
		return report("ra/spill", "fail", "out of memory");
	{
		struct vcc_spill none = { VCC_SPILL_NONE, 0, 0 };

		ret = vcc_ra(&fn, &none, err, sizeof(err));
	}
	vcc_func_fini(&fn);
	if (ret != -ENOTSUP)
		return report("ra/no-spill", "fail",
			      "40 live values without spilling: %d", ret);
	report("ra/no-spill", "pass", "%s", err);

	if (build_pressure(&fn, 40))
		return report("ra/spill", "fail", "out of memory");
	{
		struct vcc_spill v3 = { VCC_SPILL_V3, (uint32_t)VCC_SCRATCH_BASE, 0 };

		ret = vcc_ra(&fn, &v3, err, sizeof(err));
		bytes = v3.bytes;
	}
	if (!ret)
		ret = vcc_emit(&fn, &code, &len, err, sizeof(err));
	vcc_func_fini(&fn);
	if (ret) {
		free(code);
		return report("ra/spill", "fail", "%s", err);
	}
	if (getenv("VCC_TEST_DUMP"))
		for (uint32_t i = 0; i < len; i++) {
			char buf[96];

			if (vsvm_disasm(code[i], buf, sizeof(buf)) < 0)
				snprintf(buf, sizeof(buf), "?");
			printf("%4u %s\n", i, buf);
		}
	ref.code = code;
	ref.len = len;
	ref.lanes = 4;
	ref.group_lanes = 4;
	ref.scratch_size = bytes;
	ref.args[0] = vsvm_va(&result);
	ref.ranges[0].start = vsvm_va(&result);
	ref.ranges[0].size = 8;
	ref.num_ranges = 1;
	ret = vsvm_ref_run(&ref);
	free(code);
	if (ret)
		return report("ra/spill", "fail", "%s", ref.error);
	if (result != 3 * 780 + 40 || !bytes)
		return report("ra/spill", "fail", "sum %llu, expected 2380 (%u spill bytes)",
			      (unsigned long long)result, bytes);
	report("ra/spill", "pass", "%u bytes of spill slots, %u instructions",
	       bytes, len);

	/* ISA v2: slots in the per-lane block at r11, flat job */
	if (build_pressure(&fn, 40))
		return report("ra/spill-v2", "fail", "out of memory");
	{
		struct vcc_spill v2 = { VCC_SPILL_V2, 0, 0 };

		code = NULL;
		ret = vcc_ra(&fn, &v2, err, sizeof(err));
		bytes = v2.bytes;
		if (!ret)
			ret = vcc_emit(&fn, &code, &len, err, sizeof(err));
	}
	vcc_func_fini(&fn);
	if (ret) {
		free(code);
		return report("ra/spill-v2", "fail", "%s", err);
	}
	{
		uint8_t *priv = calloc(4, bytes);
		struct vsvm_ref ref2 = { 0 };

		result = 0;
		ref2.code = code;
		ref2.len = len;
		ref2.lanes = 4;
		ref2.args[0] = vsvm_va(&result);
		ref2.args[VSVM_CC_ABI_SCRATCH] = vsvm_va(priv);
		ref2.ranges[0].start = vsvm_va(&result);
		ref2.ranges[0].size = 8;
		ref2.ranges[1].start = vsvm_va(priv);
		ref2.ranges[1].size = 4 * bytes;
		ref2.num_ranges = 2;
		ret = priv ? vsvm_ref_run(&ref2) : -1;
		free(priv);
		free(code);
		if (ret)
			return report("ra/spill-v2", "fail", "%s", ref2.error);
		if (result != 3 * 780 + 40)
			return report("ra/spill-v2", "fail", "sum %llu, expected 2380",
				      (unsigned long long)result);
	}
	report("ra/spill-v2", "pass", "%u bytes of spill slots per lane", bytes);
}

/* Every proper prefix must be rejected; corrupted bytes must not crash. */
static void test_robust(const char *name, const uint8_t *blob, size_t size)
{
	char tname[128], err[256];
	uint8_t *copy = malloc(size ? size : 1);
	struct vcc_nir n;
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	snprintf(tname, sizeof(tname), "robust/%s", name);
	if (!copy)
		return report(tname, "fail", "out of memory");
	for (size_t len = 0; len < size; len++) {
		memcpy(copy, blob, len);
		if (vcc_nir_read(copy, len, &n, err, sizeof(err)) == 0) {
			vcc_nir_fini(&n);
			free(copy);
			return report(tname, "fail",
				      "prefix of %zu/%zu bytes accepted", len,
				      size);
		}
	}
	for (int k = 0; k < 1000; k++) {
		struct vsvm_cc_kernel kern;

		memcpy(copy, blob, size);
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		copy[seed % size] ^= (uint8_t)(1u << ((seed >> 32) % 8));
		if (vsvm_cc_compile_debug(copy, size, 2, 0, NULL, &kern, err,
					  sizeof(err)) == 0)
			vsvm_cc_kernel_fini(&kern);
	}
	free(copy);
	report(tname, "pass", "%zu truncations rejected, 1000 bit flips survived",
	       size);
}

static void run_isa(const char *dir, const char *name, const uint8_t *blob,
		    size_t size, unsigned isa);

static void test_kernel(const char *dir, const char *name)
{
	char path[512], tname[128], err[512];
	uint8_t *blob;
	size_t size;
	struct vcc_nir n;
	int ret;

	snprintf(path, sizeof(path), "%s/%s.nir", dir, name);
	blob = slurp(path, &size);
	snprintf(tname, sizeof(tname), "read/%s", name);
	if (!blob)
		return report(tname, "fail", "cannot read %s", path);
	ret = vcc_nir_read(blob, size, &n, err, sizeof(err));
	if (ret) {
		report(tname, "fail", "%s", err);
		free(blob);
		return;
	}
	report(tname, "pass", "%zu bytes, %u objects, %u instructions",
	       size, n.num_objs, n.num_instrs);
	vcc_nir_fini(&n);
	if (dev_fd < 0)
		test_robust(name, blob, size);

	run_isa(dir, name, blob, size, 2);
	run_isa(dir, name, blob, size, 3);
	free(blob);
}

static void run_isa(const char *dir, const char *name, const uint8_t *blob,
		    size_t size, unsigned isa)
{
	char tname[128], err[512], kinds[8][16];
	const struct kcase *kc = NULL;
	struct vsvm_cc_kernel k;
	struct vsvm_ref ref = { 0 };
	struct run r = { .seed = 0x1234567887654321ull };
	uint8_t *input = arena_alloc(256);
	size_t off = 0;
	unsigned nargs, sc = 0, local_args = 0;
	int ret;

	if (!input)
		return report(name, "fail", "arena exhausted");
	snprintf(tname, sizeof(tname), "compile-v%u/%s", isa, name);
	ret = vsvm_cc_compile_debug(blob, size, isa, 0, NULL, &k, err,
				    sizeof(err));
	if (ret == -ENOTSUP) {
		report(tname, "skip", "not compiled for ISA v%u: %s", isa, err);
		snprintf(tname, sizeof(tname), "run-v%u/%s", isa, name);
		report(tname, "skip", "not compiled");
		return;
	}
	if (ret) {
		report(tname, "fail", "%s", err);
		return;
	}
	report(tname, "pass", "%u instructions, needs ISA v%u", k.code_len,
	       k.isa_version);

	snprintf(tname, sizeof(tname), "run-v%u/%s", isa, name);
	for (size_t i = 0; i < sizeof(kcases) / sizeof(kcases[0]); i++)
		if (!strcmp(kcases[i].name, name))
			kc = &kcases[i];
	if (!kc || read_args(dir, name, kinds, &nargs)) {
		report(tname, "skip", "no checker or no vsvm-args line for it");
		goto out;
	}
	/* clover's packing: each argument aligned to its size, in order,
	 * then the implicit ones: __constant buffer, global offset */
	for (unsigned i = 0; i < nargs; i++) {
		if (!strcmp(kinds[i], "buf") || !strcmp(kinds[i], "svm")) {
			if (r.nbuf == MAXBUF)
				break;
			r.buf[r.nbuf] = arena_alloc(BUFSZ);
			if (!r.buf[r.nbuf])
				break;
			r.nbuf++;
		} else if (!strncmp(kinds[i], "local", 5)) {
			if (isa < 3) {
				report(tname, "skip", "__local arguments need ISA v3");
				goto out;
			}
		} else {
			r.nscalar++;
		}
	}
	r.pool = arena_alloc(BUFSZ);
	if (!r.pool || r.nscalar > MAXBUF)
		goto oom;
	if (kc->setup)
		kc->setup(&r);
	for (unsigned i = 0, b = 0; i < nargs; i++) {
		if (!strcmp(kinds[i], "buf") || !strcmp(kinds[i], "svm")) {
			uint64_t va = vsvm_va(r.buf[b++]);

			off = (off + 7) & ~(size_t)7;
			memcpy(input + off, &va, 8);
			off += 8;
		} else if (!strncmp(kinds[i], "local:", 6)) {
			/* clover passes the offset of the argument's block in
			 * local memory, counting from 0 */
			uint64_t lo = local_args;

			local_args += (unsigned)strtoul(kinds[i] + 6, NULL, 0);
			off = (off + 7) & ~(size_t)7;
			memcpy(input + off, &lo, 8);
			off += 8;
		} else {
			off = (off + 3) & ~(size_t)3;
			memcpy(input + off, &r.scalar[sc++], 4);
			off += 4;
		}
	}
	if (kc->nconstants) {
		uint64_t va;

		r.constbuf = arena_alloc(kc->nconstants * 4);
		if (!r.constbuf)
			goto oom;
		memcpy(r.constbuf, kc->constants, kc->nconstants * 4);
		va = vsvm_va(r.constbuf);
		off = (off + 7) & ~(size_t)7;
		memcpy(input + off, &va, 8);
		off += 8;
		ref.ranges[ref.num_ranges].start = va;
		ref.ranges[ref.num_ranges++].size = kc->nconstants * 4;
	}
	off = (off + 3) & ~(size_t)3;
	off += 12;					/* global offset 0, 0, 0 */
	if (k.input_size > off) {
		report(tname, "fail", "kernel reads %u input bytes, clover passes %zu",
		       k.input_size, off);
		goto out;
	}

	ref.code = k.code;
	ref.len = k.code_len;
	ref.lanes = GLOBAL;
	ref.args[VSVM_CC_ABI_INPUT] = vsvm_va(input);
	ref.args[VSVM_CC_ABI_WORK_DIM] = 1;
	ref.args[VSVM_CC_ABI_BLOCK] = LOCAL;
	ref.args[VSVM_CC_ABI_BLOCK + 1] = 1;
	ref.args[VSVM_CC_ABI_BLOCK + 2] = 1;
	ref.args[VSVM_CC_ABI_GRID] = GLOBAL / LOCAL;
	ref.args[VSVM_CC_ABI_GRID + 1] = 1;
	ref.args[VSVM_CC_ABI_GRID + 2] = 1;
	if (k.isa_version < 3 && k.scratch_size) {
		/* ISA v2 private memory: one block per lane, address in r11 */
		uint8_t *priv = arena_alloc((size_t)GLOBAL * k.scratch_size);

		if (!priv)
			goto oom;
		ref.args[VSVM_CC_ABI_SCRATCH] = vsvm_va(priv);
		ref.ranges[ref.num_ranges].start = vsvm_va(priv);
		ref.ranges[ref.num_ranges++].size = (size_t)GLOBAL * k.scratch_size;
	}
	if (isa >= 3) {
		ref.group_lanes = LOCAL;
		ref.local_size = k.local_size + local_args;
		ref.scratch_size = k.scratch_size;
	}
	ref.ranges[ref.num_ranges].start = vsvm_va(input);
	ref.ranges[ref.num_ranges++].size = off;
	ref.ranges[ref.num_ranges].start = vsvm_va(r.pool);
	ref.ranges[ref.num_ranges++].size = BUFSZ;
	for (unsigned b = 0; b < r.nbuf; b++) {
		ref.ranges[ref.num_ranges].start = vsvm_va(r.buf[b]);
		ref.ranges[ref.num_ranges++].size = BUFSZ;
	}
	if (dev_fd >= 0) {
		struct vsvm_prog prog = { .insns = k.code, .count = k.code_len };
		struct drm_vsvm_job_status st = { 0 };

		snprintf(tname, sizeof(tname), "device-v%u/%s", isa, name);
		if (k.isa_version > 2) {
			report(tname, "skip", "code needs ISA v%u, the device runs v2",
			       k.isa_version);
			goto out;
		}
		ret = vsvm_run(dev_fd, dev_vm, &prog, GLOBAL, ref.args, &st);
		if (ret) {
			report(tname, "fail", "job: %s (state %s, fault %s at %#llx, lane %u, pc %u)",
			       vsvm_strerror(ret), vsvm_job_state_str(st.state),
			       vsvm_fault_reason_str(st.fault_reason),
			       (unsigned long long)st.fault_addr, st.fault_lane,
			       st.fault_pc);
			goto out;
		}
		ref.executed = st.instructions;
	} else if (vsvm_ref_run(&ref)) {
		report(tname, "fail", "%s", ref.error);
		goto out;
	}
	if (!kc->check(&r, err, sizeof(err)))
		report(tname, "fail", "%s", err);
	else
		report(tname, "pass", "%u lanes, %llu instructions executed",
		       GLOBAL, (unsigned long long)ref.executed);
	goto out;
oom:
	report(tname, "fail", "out of memory");
out:
	arena_used = 0;
	vsvm_cc_kernel_fini(&k);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *res = NULL;
	char *names[256];
	unsigned nnames = 0;
	struct dirent *de;
	DIR *d;
	int first = argc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--corpus") && i + 1 < argc) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--results") && i + 1 < argc) {
			res = argv[++i];
		} else if (!strcmp(argv[i], "--device")) {
			dev_fd = 0;
		} else {
			first = i;
			break;
		}
	}
	if (!dir) {
		fprintf(stderr, "usage: %s --corpus DIR [--results FILE] [name...]\n",
			argv[0]);
		return 2;
	}
	if (res) {
		results = fopen(res, "w");
		if (!results) {
			perror(res);
			return 2;
		}
	}
	arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	if (dev_fd == 0) {
		if (vsvm_open(0, &dev_fd) || vsvm_vm_create(dev_fd, 0, 0, &dev_vm) ||
		    vsvm_mirror(dev_fd, dev_vm, vsvm_va(arena), ARENA_SIZE, 0)) {
			fprintf(stderr, "--device: no usable vsvm device\n");
			return 2;
		}
	}
	test_tables();
	test_reader_rejects();
	test_spill();
	d = opendir(dir);
	while (d && (de = readdir(d)) && nnames < 256) {
		size_t l = strlen(de->d_name);

		if (l > 4 && !strcmp(de->d_name + l - 4, ".nir"))
			names[nnames++] = strndup(de->d_name, l - 4);
	}
	if (d)
		closedir(d);
	qsort(names, nnames, sizeof(names[0]), cmp_str);
	for (unsigned i = 0; i < nnames; i++) {
		bool sel = first == argc;

		for (int a = first; a < argc; a++)
			sel |= !strcmp(argv[a], names[i]);
		if (sel && names[i])
			test_kernel(dir, names[i]);
		free(names[i]);
	}
	if (!nnames)
		report("corpus", "fail", "no .nir blobs in %s", dir);
	if (results)
		fclose(results);
	munmap(arena, ARENA_SIZE);
	printf("%d passed, %d failed, %d skipped\n", npass, nfail, nskip);
	return nfail ? 1 : 0;
}
