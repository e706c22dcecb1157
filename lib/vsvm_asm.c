// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * Text assembler: one pass over the source through the builder, labels
 * resolved by vsvm_prog_finish(). Syntax in vsvm.h (vsvm_asm()).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vsvm_internal.h"

#define ASM_MAX_IDENT	64

/* A label name of the source and its builder label. */
struct asm_sym {
	char name[ASM_MAX_IDENT];
	int label;
	unsigned int def_line;	/* 0 until defined */
	unsigned int use_line;	/* first reference */
};

struct asm_state {
	struct vsvm_prog *p;
	const char *cur;	/* parse position in the current line */
	const char *eol;	/* end of the current line (comment stripped) */
	unsigned int line;
	struct asm_sym *syms;
	size_t nsyms, syms_cap;
	char *err;
	size_t errlen;
};

/* A parsed integer: magnitude and sign, range-checked by the user. */
struct asm_num {
	bool neg;
	uint64_t mag;
};

static int asm_error(struct asm_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int asm_error(struct asm_state *st, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!st->err || !st->errlen)
		return -EINVAL;
	n = snprintf(st->err, st->errlen, "line %u: ", st->line);
	if (n >= 0 && (size_t)n < st->errlen) {
		va_start(ap, fmt);
		vsnprintf(st->err + n, st->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static void skip_ws(struct asm_state *st)
{
	while (st->cur < st->eol && isspace((unsigned char)*st->cur))
		st->cur++;
}

static bool at_end(struct asm_state *st)
{
	skip_ws(st);
	return st->cur >= st->eol;
}

static bool is_ident_start(char c)
{
	return isalpha((unsigned char)c) || c == '_' || c == '.';
}

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* Copy the next identifier (lowercased if @lower) into @buf. */
static int parse_ident(struct asm_state *st, char *buf, bool lower)
{
	size_t n = 0;

	skip_ws(st);
	if (st->cur >= st->eol || !is_ident_start(*st->cur))
		return -EINVAL;
	while (st->cur < st->eol && is_ident_char(*st->cur)) {
		if (n + 1 >= ASM_MAX_IDENT)
			return asm_error(st, "name too long (max %d characters)",
					 ASM_MAX_IDENT - 1);
		buf[n++] = lower ? (char)tolower((unsigned char)*st->cur) :
				   *st->cur;
		st->cur++;
	}
	buf[n] = '\0';
	return 0;
}

/* The rest of the operand starting at cur, for error messages. */
static int token_len(const struct asm_state *st)
{
	const char *s = st->cur;

	while (s < st->eol && *s != ',' && !isspace((unsigned char)*s) &&
	       *s != ']')
		s++;
	return (int)(s - st->cur);
}

static int missing(struct asm_state *st, const char *what)
{
	if (at_end(st))
		return asm_error(st, "missing operand: expected %s", what);
	return asm_error(st, "expected %s, found '%.*s'", what,
			 token_len(st) ? token_len(st) : 1, st->cur);
}

static int expect_char(struct asm_state *st, char c, const char *what)
{
	skip_ws(st);
	if (st->cur < st->eol && *st->cur == c) {
		st->cur++;
		return 0;
	}
	return missing(st, what);
}

static int parse_reg(struct asm_state *st, unsigned int *reg)
{
	const char *start;
	unsigned long v = 0;

	skip_ws(st);
	start = st->cur;
	if (st->cur >= st->eol || tolower((unsigned char)*st->cur) != 'r' ||
	    st->cur + 1 >= st->eol || !isdigit((unsigned char)st->cur[1]))
		return missing(st, "a register (r0..r31)");
	st->cur++;
	while (st->cur < st->eol && isdigit((unsigned char)*st->cur)) {
		if (v < 1000)
			v = v * 10 + (unsigned long)(*st->cur - '0');
		st->cur++;
	}
	if ((st->cur < st->eol && is_ident_char(*st->cur)) ||
	    v >= DRM_VSVM_ISA_NUM_REGS) {
		st->cur = start;
		return asm_error(st, "bad register '%.*s' (r0..r%d)",
				 token_len(st), start, DRM_VSVM_ISA_NUM_REGS - 1);
	}
	*reg = (unsigned int)v;
	return 0;
}

static bool at_number(struct asm_state *st)
{
	const char *s;

	skip_ws(st);
	s = st->cur;
	if (s < st->eol && (*s == '-' || *s == '+'))
		s++;
	return s < st->eol && isdigit((unsigned char)*s);
}

static int parse_num(struct asm_state *st, struct asm_num *num)
{
	const char *start;
	unsigned int base = 10;
	bool any = false;

	skip_ws(st);
	start = st->cur;
	num->neg = false;
	num->mag = 0;
	if (st->cur < st->eol && (*st->cur == '-' || *st->cur == '+'))
		num->neg = *st->cur++ == '-';
	if (st->eol - st->cur > 2 && st->cur[0] == '0' &&
	    tolower((unsigned char)st->cur[1]) == 'x') {
		base = 16;
		st->cur += 2;
	}
	while (st->cur < st->eol && isxdigit((unsigned char)*st->cur)) {
		unsigned int d = isdigit((unsigned char)*st->cur) ?
			(unsigned int)(*st->cur - '0') :
			(unsigned int)(tolower((unsigned char)*st->cur) - 'a' + 10);

		if (d >= base)
			break;
		if (num->mag > (UINT64_MAX - d) / base) {
			st->cur = start;
			return asm_error(st, "number '%.*s' out of 64-bit range",
					 token_len(st), start);
		}
		num->mag = num->mag * base + d;
		any = true;
		st->cur++;
	}
	if (!any || (st->cur < st->eol && is_ident_char(*st->cur))) {
		st->cur = start;
		return missing(st, "a number");
	}
	return 0;
}

/* A signed 32-bit immediate (@hi_unsigned: also 0x80000000..0xffffffff). */
static int parse_imm32(struct asm_state *st, bool hi_unsigned, int32_t *imm)
{
	const char *start;
	struct asm_num n;
	uint64_t max;
	int ret;

	skip_ws(st);
	start = st->cur;
	ret = parse_num(st, &n);
	if (ret)
		return ret;
	max = n.neg ? 0x80000000ull : hi_unsigned ? 0xffffffffull : 0x7fffffffull;
	if (n.mag > max)
		return asm_error(st, "immediate '%.*s' out of 32-bit range",
				 (int)(st->cur - start), start);
	*imm = n.neg ? (int32_t)(uint32_t)(0 - (uint32_t)n.mag) :
		       (int32_t)(uint32_t)n.mag;
	return 0;
}

static int parse_imm64(struct asm_state *st, uint64_t *v)
{
	const char *start;
	struct asm_num n;
	int ret;

	skip_ws(st);
	start = st->cur;
	ret = parse_num(st, &n);
	if (ret)
		return ret;
	if (n.neg && n.mag > (1ull << 63))
		return asm_error(st, "immediate '%.*s' out of 64-bit range",
				 (int)(st->cur - start), start);
	*v = n.neg ? 0 - n.mag : n.mag;
	return 0;
}

/* "[rN]", "[rN + imm]", "[rN - imm]" */
static int parse_mem(struct asm_state *st, unsigned int *ra, int32_t *off)
{
	const char *start;
	struct asm_num n;
	uint64_t max;
	bool neg;
	int ret;

	ret = expect_char(st, '[', "a memory operand '[rN + offset]'");
	if (!ret)
		ret = parse_reg(st, ra);
	if (ret)
		return ret;
	*off = 0;
	skip_ws(st);
	if (st->cur < st->eol && (*st->cur == '+' || *st->cur == '-')) {
		neg = *st->cur++ == '-';
		skip_ws(st);
		start = st->cur;
		ret = parse_num(st, &n);
		if (ret)
			return ret;
		if (n.neg)
			neg = !neg;
		max = neg ? 0x80000000ull : 0x7fffffffull;
		if (n.mag > max)
			return asm_error(st, "offset '%.*s' out of 32-bit range",
					 (int)(st->cur - start), start);
		*off = neg ? (int32_t)(uint32_t)(0 - (uint32_t)n.mag) :
			     (int32_t)(uint32_t)n.mag;
	}
	return expect_char(st, ']', "']'");
}

static struct asm_sym *sym_find(struct asm_state *st, const char *name)
{
	for (size_t i = 0; i < st->nsyms; i++)
		if (!strcmp(st->syms[i].name, name))
			return &st->syms[i];
	return NULL;
}

static int sym_get(struct asm_state *st, const char *name,
		   struct asm_sym **out)
{
	struct asm_sym *s = sym_find(st, name);
	int label;

	if (s) {
		*out = s;
		return 0;
	}
	if (st->nsyms == st->syms_cap) {
		size_t ncap = st->syms_cap ? st->syms_cap * 2 : 16;
		struct asm_sym *tmp = realloc(st->syms, ncap * sizeof(*tmp));

		if (!tmp)
			return -ENOMEM;
		st->syms = tmp;
		st->syms_cap = ncap;
	}
	label = vsvm_label_new(st->p);
	if (label < 0)
		return label;
	s = &st->syms[st->nsyms++];
	memset(s, 0, sizeof(*s));
	strcpy(s->name, name);
	s->label = label;
	*out = s;
	return 0;
}

static int define_label(struct asm_state *st, const char *name)
{
	struct asm_sym *s;
	int ret = sym_get(st, name, &s);

	if (ret)
		return ret;
	if (s->def_line)
		return asm_error(st, "duplicate label '%s' (first defined on line %u)",
				 name, s->def_line);
	s->def_line = st->line;
	return vsvm_label_bind(st->p, s->label);
}

static int parse_sreg(struct asm_state *st, uint32_t *sreg)
{
	char name[ASM_MAX_IDENT];
	int32_t imm;
	int ret;

	if (at_number(st)) {
		ret = parse_imm32(st, false, &imm);
		if (ret)
			return ret;
		if ((uint32_t)imm >= VSVM_NUM_SREGS)
			return asm_error(st, "unknown special register %" PRId32,
					 imm);
		*sreg = (uint32_t)imm;
		return 0;
	}
	if (at_end(st) || parse_ident(st, name, true))
		return missing(st, "a special register");
	for (uint32_t i = 0; i < VSVM_NUM_SREGS; i++) {
		if (!strcmp(name, vsvm_sreg_name(i))) {
			*sreg = i;
			return 0;
		}
	}
	return asm_error(st, "unknown special register '%s'", name);
}

static int parse_round(struct asm_state *st, uint32_t *mode)
{
	char name[ASM_MAX_IDENT];
	int32_t imm;
	int ret;

	if (at_number(st)) {
		ret = parse_imm32(st, false, &imm);
		if (ret)
			return ret;
		if ((uint32_t)imm >= VSVM_NUM_ROUNDS)
			return asm_error(st, "unknown rounding mode %" PRId32, imm);
		*mode = (uint32_t)imm;
		return 0;
	}
	if (at_end(st) || parse_ident(st, name, true))
		return missing(st, "a rounding mode");
	for (uint32_t i = 0; i < VSVM_NUM_ROUNDS; i++) {
		if (!strcmp(name, vsvm_round_name(i))) {
			*mode = i;
			return 0;
		}
	}
	return asm_error(st, "unknown rounding mode '%s'", name);
}

/* Parse the operands of @op following its class syntax, and emit it. */
static int asm_insn(struct asm_state *st, unsigned int op,
		    enum vsvm_op_class cls)
{
	unsigned int rd = 0, ra = 0, rb = 0;
	char name[ASM_MAX_IDENT];
	struct asm_sym *sym = NULL;
	uint32_t sreg = 0;
	int32_t imm = 0;
	int ret = 0;

	for (const char *syn = vsvm_class_syntax(cls); *syn && !ret; syn++) {
		switch (*syn) {
		case 'd':
			ret = parse_reg(st, &rd);
			break;
		case 'a':
			ret = parse_reg(st, &ra);
			break;
		case 'b':
			ret = parse_reg(st, &rb);
			break;
		case 'i':
			ret = parse_imm32(st, op == DRM_VSVM_OP_LIH, &imm);
			break;
		case 's':
			ret = parse_sreg(st, &sreg);
			imm = (int32_t)sreg;
			break;
		case 'r':
			ret = parse_round(st, &sreg);
			imm = (int32_t)sreg;
			break;
		case 'm':
			ret = parse_mem(st, &ra, &imm);
			break;
		case ',':
			ret = expect_char(st, ',', "','");
			break;
		case 't':
			/* A raw relative offset, or a label patched at the end. */
			if (at_number(st)) {
				ret = parse_imm32(st, false, &imm);
			} else if (at_end(st) || parse_ident(st, name, false)) {
				ret = missing(st, "a label or a relative offset");
			} else {
				ret = sym_get(st, name, &sym);
				if (!ret && !sym->use_line)
					sym->use_line = st->line;
			}
			break;
		}
	}
	if (ret)
		return ret;
	if (sym && op == DRM_VSVM_OP_JMP)
		return vsvm_emit_jmp(st->p, sym->label);
	if (sym && op == DRM_VSVM_OP_JAL)
		return vsvm_emit_jal(st->p, rd, sym->label);
	if (sym)
		return vsvm_emit_branch(st->p, op, ra, rb, sym->label);
	return vsvm_prog_push(st->p, vsvm_insn(op, rd, ra, rb, imm));
}

/* Everything after the labels of a line: one statement. */
static int asm_statement(struct asm_state *st)
{
	char mnem[ASM_MAX_IDENT];
	const char *start = st->cur;
	enum vsvm_op_class cls;
	uint64_t v;
	unsigned int rd;
	int op, ret;

	ret = parse_ident(st, mnem, true);
	if (ret) {
		st->cur = start;
		return ret == -EINVAL && st->err && !*st->err ?
			asm_error(st, "expected an instruction, found '%.*s'",
				  token_len(st) ? token_len(st) : 1, st->cur) : ret;
	}

	if (!strcmp(mnem, ".word")) {
		ret = parse_imm64(st, &v);
		if (!ret)
			ret = vsvm_prog_push(st->p, v);
	} else if (!strcmp(mnem, "li64")) {
		ret = parse_reg(st, &rd);
		if (!ret)
			ret = expect_char(st, ',', "','");
		if (!ret)
			ret = parse_imm64(st, &v);
		if (!ret)
			ret = vsvm_emit_li64(st->p, rd, v);
	} else {
		op = vsvm_op_lookup(mnem);
		cls = op < 0 ? VSVM_CLASS_INVALID : vsvm_op_class((unsigned int)op);
		if (cls == VSVM_CLASS_INVALID)
			return asm_error(st, "unknown mnemonic '%.*s'",
					 (int)(st->cur - start), start);
		ret = asm_insn(st, (unsigned int)op, cls);
	}
	if (ret)
		return ret;
	if (!at_end(st))
		return asm_error(st, "unexpected '%.*s' after the operands",
				 (int)(st->eol - st->cur), st->cur);
	return 0;
}

static int asm_line(struct asm_state *st)
{
	char name[ASM_MAX_IDENT];
	const char *save;
	int ret;

	/* Leading "name:" labels. */
	for (;;) {
		if (at_end(st))
			return 0;
		save = st->cur;
		if (parse_ident(st, name, false) == 0) {
			skip_ws(st);
			if (st->cur < st->eol && *st->cur == ':') {
				st->cur++;
				ret = define_label(st, name);
				if (ret)
					return ret;
				continue;
			}
		}
		st->cur = save;
		break;
	}
	return asm_statement(st);
}

/* Turn a builder error into a "line N:" message. */
static int asm_builder_error(struct asm_state *st, int ret)
{
	if (st->err && st->errlen && !*st->err) {
		if (ret == -ENOMEM)
			asm_error(st, "out of memory");
		else
			asm_error(st, "%s", st->p->errmsg[0] ? st->p->errmsg :
				  "error");
	}
	return ret;
}

static int asm_check_labels(struct asm_state *st)
{
	struct asm_sym *first = NULL;

	for (size_t i = 0; i < st->nsyms; i++) {
		struct asm_sym *s = &st->syms[i];

		if (!s->def_line && (!first || s->use_line < first->use_line))
			first = s;
	}
	if (!first)
		return 0;
	st->line = first->use_line;
	return asm_error(st, "undefined label '%s'", first->name);
}

/* Which line holds the instruction at @pc (for finish errors)? */
static int asm_finish(struct asm_state *st)
{
	int ret = asm_check_labels(st);

	if (ret)
		return ret;
	ret = vsvm_prog_finish(st->p);
	if (ret) {
		/* Only a label bound past the last instruction gets here. */
		for (size_t i = 0; i < st->nsyms; i++) {
			struct asm_sym *s = &st->syms[i];

			if (s->use_line && st->p->labels[s->label] >= st->p->count) {
				st->line = s->use_line;
				return asm_error(st, "label '%s' is past the last instruction",
						 s->name);
			}
		}
		return asm_builder_error(st, ret);
	}
	return 0;
}

int vsvm_asm(const char *src, struct vsvm_prog *out, char *err, size_t errlen)
{
	struct asm_state st = {
		.p = out, .err = err, .errlen = errlen,
	};
	const char *line = src;
	int ret = 0;

	vsvm_prog_init(out);
	if (err && errlen)
		err[0] = '\0';

	while (*line) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		const char *c;

		st.line++;
		st.cur = line;
		st.eol = end;
		for (c = line; c < end; c++) {
			if (*c == ';' || *c == '#') {
				st.eol = c;
				break;
			}
		}
		ret = asm_line(&st);
		if (!ret && out->error)
			ret = out->error;
		if (ret) {
			asm_builder_error(&st, ret);
			break;
		}
		line = nl ? nl + 1 : end;
	}
	if (!ret)
		ret = asm_finish(&st);

	free(st.syms);
	if (ret)
		vsvm_prog_fini(out);
	return ret;
}
