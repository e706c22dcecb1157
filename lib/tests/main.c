// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * Runner of the libvsvm host tests: runs the table below (or the tests
 * named on the command line), prints one line per test and writes one
 * JSON record per test to the file given with --results.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "tests.h"

#define T(name) { #name, test_##name }

static const struct {
	const char *name;
	void (*fn)(struct tctx *t);
} tests[] = {
	T(builder_none),
	T(builder_rd_ra),
	T(builder_rd_imm),
	T(builder_li64),
	T(builder_sr),
	T(builder_alu),
	T(builder_alu_imm),
	T(builder_load),
	T(builder_store),
	T(builder_atomic),
	T(builder_errors),
	T(builder_growth),
	T(labels_forward_backward),
	T(labels_errors),
	T(isa_table),
	T(isa_check_unused_fields),
	T(disasm_text),
	T(asm_program),
	T(asm_syntax),
	T(asm_roundtrip_every_opcode),
	T(asm_roundtrip_random_words),
	T(asm_roundtrip_program),
	T(asm_v3_forms),
	T(asm_errors),
	T(strerror_coverage),
	T(enum_names),
	T(no_device),
	T(abi_sized_structs),
};

void t_fail(struct tctx *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed++)
		return;
	n = snprintf(t->msg, sizeof(t->msg), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(t->msg))
		return;
	va_start(ap, fmt);
	vsnprintf(t->msg + n, sizeof(t->msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool selected(int argc, char **argv, int first, const char *name)
{
	if (first >= argc)
		return true;
	for (int i = first; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	const char *results = NULL;
	int first = 1, passed = 0, failed = 0;
	FILE *out = NULL;

	if (argc > 2 && !strcmp(argv[1], "--results")) {
		results = argv[2];
		first = 3;
	} else if (argc > 1 && !strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	if (results) {
		out = fopen(results, "w");
		if (!out) {
			perror(results);
			return 2;
		}
	}

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		struct tctx t = { 0 };
		double start;

		if (!selected(argc, argv, first, tests[i].name))
			continue;
		start = now();
		tests[i].fn(&t);
		printf("%-4s %s%s%s\n", t.failed ? "FAIL" : "ok", tests[i].name,
		       t.failed ? ": " : "", t.failed ? t.msg : "");
		t.failed ? failed++ : passed++;
		if (out) {
			fprintf(out, "{\"suite\": \"lib\", \"name\": ");
			json_string(out, tests[i].name);
			fprintf(out, ", \"status\": \"%s\", \"time\": %.6f, \"message\": ",
				t.failed ? "fail" : "pass", now() - start);
			json_string(out, t.msg);
			fprintf(out, "}\n");
			fflush(out);
		}
	}
	if (out)
		fclose(out);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
