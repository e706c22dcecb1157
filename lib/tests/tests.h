/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The vsvm authors
 *
 * A tiny test harness for the libvsvm host tests: a test is a function
 * taking a context; the T_* macros record the first failure and return.
 */
#ifndef LIBVSVM_TESTS_H
#define LIBVSVM_TESTS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vsvm.h"

struct tctx {
	int failed;
	char msg[512];
};

void t_fail(struct tctx *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define T_FAIL(t, ...) t_fail(t, __FILE__, __LINE__, __VA_ARGS__)

#define T_ASSERT(t, cond) do {						\
	if (!(cond)) {							\
		T_FAIL(t, "assertion failed: %s", #cond);		\
		return;							\
	}								\
} while (0)

#define T_EQ_INT(t, a, b) do {						\
	long long a_ = (long long)(a), b_ = (long long)(b);		\
	if (a_ != b_) {							\
		T_FAIL(t, "%s == %lld, expected %s == %lld", #a, a_, #b, b_); \
		return;							\
	}								\
} while (0)

#define T_EQ_U64(t, a, b) do {						\
	uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);		\
	if (a_ != b_) {							\
		T_FAIL(t, "%s == 0x%016" PRIx64 ", expected 0x%016" PRIx64, \
		       #a, a_, b_);					\
		return;							\
	}								\
} while (0)

#define T_EQ_STR(t, a, b) do {						\
	const char *a_ = (a), *b_ = (b);				\
	if (!a_ || !b_ || strcmp(a_, b_)) {				\
		T_FAIL(t, "%s == \"%s\", expected \"%s\"", #a,		\
		       a_ ? a_ : "(null)", b_ ? b_ : "(null)");		\
		return;							\
	}								\
} while (0)

/* Test functions, one per file section; listed in main.c. */
#define TEST(name) void test_##name(struct tctx *t)

TEST(builder_none);
TEST(builder_rd_ra);
TEST(builder_rd_imm);
TEST(builder_li64);
TEST(builder_sr);
TEST(builder_alu);
TEST(builder_alu_imm);
TEST(builder_load);
TEST(builder_store);
TEST(builder_atomic);
TEST(builder_errors);
TEST(builder_growth);
TEST(labels_forward_backward);
TEST(labels_errors);
TEST(isa_table);
TEST(isa_check_unused_fields);
TEST(disasm_text);
TEST(asm_program);
TEST(asm_syntax);
TEST(asm_roundtrip_every_opcode);
TEST(asm_roundtrip_random_words);
TEST(asm_roundtrip_program);
TEST(asm_v3_forms);
TEST(asm_errors);
TEST(strerror_coverage);
TEST(enum_names);
TEST(no_device);
TEST(abi_sized_structs);

#endif /* LIBVSVM_TESTS_H */
