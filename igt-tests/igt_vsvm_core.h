/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright 2026 The vsvm authors
 *
 * igt_vsvm_core.h - the part of the libigt 1.27.1 API the vsvm tests use.
 *
 * Debian's intel-gpu-tools package ships libigt.so.0 but no headers. This
 * file declares the exported entry points (checked against the library with
 * nm at build time, see Makefile) and implements the test-structure macros
 * on top of them, written for this project from the documented calling
 * protocol (a subtest body is a one-pass loop guarded by the library's
 * "should this subtest run" call and a sigsetjmp on the library's jump
 * buffer; leaving the loop normally reports success). No IGT source text is
 * used. Inside igt-gpu-tools the tests include "igt.h" instead (see
 * vsvm_igt_common.h); nothing here depends on IGT struct layouts.
 */
#ifndef IGT_VSVM_CORE_H
#define IGT_VSVM_CORE_H

#include <getopt.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- exit codes of the protocol ---------------------------------------- */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_ABORT		112

/* ---- exported symbols of libigt.so.0 ----------------------------------- */
enum igt_log_level {
	IGT_LOG_DEBUG = 0,
	IGT_LOG_INFO = 1,
	IGT_LOG_WARN = 2,
	IGT_LOG_CRITICAL = 3,
	IGT_LOG_NONE = 4,
};

extern jmp_buf igt_subtest_jmpbuf;
extern jmp_buf igt_dynamic_jmpbuf;
extern enum igt_log_level igt_log_level;

int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				int (*extra_opt_handler)(int opt, int opt_index,
							 void *data),
				void *handler_data);
void igt_simple_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				int (*extra_opt_handler)(int opt, int opt_index,
							 void *data),
				void *handler_data);
__attribute__((noreturn)) void igt_exit(void);

bool __igt_run_subtest(const char *subtest_name, const char *file,
		       const int line);
bool __igt_enter_dynamic_container(void);
bool __igt_run_dynamic_subtest(const char *dynamic_subtest_name);
void igt_success(void);
bool __igt_fixture(void);
void __igt_fixture_complete(void);
void __igt_subtest_group_save(int *save_skip, int *save_fail);
void __igt_subtest_group_restore(int save_skip, int save_fail);
void igt_describe_f(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

__attribute__((noreturn, format(printf, 6, 7)))
void __igt_fail_assert(const char *domain, const char *file, const int line,
		       const char *func, const char *assertion,
		       const char *format, ...);
__attribute__((noreturn, format(printf, 5, 6)))
void __igt_skip_check(const char *file, const int line, const char *func,
		      const char *check, const char *format, ...);
__attribute__((noreturn, format(printf, 1, 2)))
void igt_skip(const char *format, ...);
__attribute__((noreturn)) void igt_fail(int exitcode);

bool __igt_fork(void);
void igt_waitchildren(void);
int __igt_waitchildren(void);
void igt_waitchildren_timeout(int seconds, const char *reason);

void igt_log(const char *domain, enum igt_log_level level,
	     const char *format, ...) __attribute__((format(printf, 3, 4)));

void igt_set_timeout(unsigned int seconds, const char *op);
void igt_reset_timeout(void);
void igt_install_exit_handler(void (*fn)(int sig));
bool igt_only_list_subtests(void);
const char *igt_subtest_name(void);
const char *igt_test_name(void);

/* ---- helpers of this header ------------------------------------------- */
#define IGT_VSVM_CAT2(a, b)	a##b
#define IGT_VSVM_CAT(a, b)	IGT_VSVM_CAT2(a, b)
#define IGT_VSVM_UNIQ(p)	IGT_VSVM_CAT(p, __LINE__)

#ifndef IGT_LOG_DOMAIN
#define IGT_LOG_DOMAIN		(NULL)
#endif

/* ---- test structure ---------------------------------------------------- */

/*
 * IGT_TEST_DESCRIPTION - one-line description printed by --help; the library
 * looks for the (weak) symbol __igt_test_description.
 */
#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = (str)

/*
 * igt_main - the test's main(): parse the common options, run the body
 * (which declares fixtures and subtests), then report through igt_exit().
 */
#define igt_main \
	static void igt_vsvm_main_body(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv, NULL, NULL, NULL, \
					    NULL, NULL); \
		igt_vsvm_main_body(); \
		igt_exit(); \
	} \
	static void igt_vsvm_main_body(void)

/*
 * igt_fixture - set-up/tear-down code that runs unless every subtest is
 * being skipped or only listed. A skip or failure inside it jumps back to
 * the sigsetjmp through igt_subtest_jmpbuf and leaves the block.
 */
#define igt_fixture \
	for (volatile int IGT_VSVM_UNIQ(igt_fx_) = 0; \
	     IGT_VSVM_UNIQ(igt_fx_) < 1 && __igt_fixture() && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     IGT_VSVM_UNIQ(igt_fx_)++, __igt_fixture_complete())

/* igt_subtest - a named subtest; the body runs only if it is selected. */
#define igt_subtest(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

/* igt_subtest_f - igt_subtest with a printf-formatted name. */
#define igt_subtest_f(fmt, ...) \
	for (char IGT_VSVM_UNIQ(igt_sn_)[256]; \
	     snprintf(IGT_VSVM_UNIQ(igt_sn_), sizeof(IGT_VSVM_UNIQ(igt_sn_)), \
		      fmt, __VA_ARGS__) >= 0 && \
	     __igt_run_subtest(IGT_VSVM_UNIQ(igt_sn_), __FILE__, __LINE__) && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

/* igt_subtest_with_dynamic - a subtest whose results are igt_dynamic()s. */
#define igt_subtest_with_dynamic(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       __igt_enter_dynamic_container() && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

#define igt_subtest_with_dynamic_f(fmt, ...) \
	for (char IGT_VSVM_UNIQ(igt_sn_)[256]; \
	     snprintf(IGT_VSVM_UNIQ(igt_sn_), sizeof(IGT_VSVM_UNIQ(igt_sn_)), \
		      fmt, __VA_ARGS__) >= 0 && \
	     __igt_run_subtest(IGT_VSVM_UNIQ(igt_sn_), __FILE__, __LINE__) && \
	     __igt_enter_dynamic_container() && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

/* igt_dynamic - one dynamic result inside igt_subtest_with_dynamic. */
#define igt_dynamic(name) \
	for (; __igt_run_dynamic_subtest((name)) && \
	       sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())

#define igt_dynamic_f(fmt, ...) \
	for (char IGT_VSVM_UNIQ(igt_dn_)[256]; \
	     snprintf(IGT_VSVM_UNIQ(igt_dn_), sizeof(IGT_VSVM_UNIQ(igt_dn_)), \
		      fmt, __VA_ARGS__) >= 0 && \
	     __igt_run_dynamic_subtest(IGT_VSVM_UNIQ(igt_dn_)) && \
	     sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())

/*
 * igt_subtest_group - a scope whose fixtures' skips and failures do not
 * leak to the subtests after it. Both saved words start at zero: the
 * library writes the second one only when an igt_describe() precedes the
 * group, and the restore call acts on it when it is non-zero.
 */
#define igt_subtest_group \
	for (int IGT_VSVM_UNIQ(igt_gs_) = 0, IGT_VSVM_UNIQ(igt_gf_) = 0, \
	     IGT_VSVM_UNIQ(igt_gi_) = 0; \
	     IGT_VSVM_UNIQ(igt_gi_) < 1 && \
	     (__igt_subtest_group_save(&IGT_VSVM_UNIQ(igt_gs_), \
				       &IGT_VSVM_UNIQ(igt_gf_)), 1); \
	     IGT_VSVM_UNIQ(igt_gi_)++, \
	     __igt_subtest_group_restore(IGT_VSVM_UNIQ(igt_gs_), \
					 IGT_VSVM_UNIQ(igt_gf_)))

/* igt_describe - documentation of the next subtest (shown by --describe). */
#define igt_describe(dsc)	igt_describe_f("%s", (dsc))

/* ---- checks ------------------------------------------------------------ */
#define igt_assert(expr) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #expr, NULL); \
	} while (0)

#define igt_assert_f(expr, ...) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #expr, __VA_ARGS__); \
	} while (0)

#define igt_fail_on(expr)		igt_assert(!(expr))
#define igt_fail_on_f(expr, ...)	igt_assert_f(!(expr), __VA_ARGS__)

/* Compare two values of type T, printed with format F on failure. */
#define igt_vsvm_cmp(T, F, a, op, b) \
	do { \
		T igt_l_ = (a), igt_r_ = (b); \
		if (!(igt_l_ op igt_r_)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #a " " #op " " #b, \
					  "error: " F " " #op " " F \
					  " does not hold\n", \
					  igt_l_, igt_r_); \
	} while (0)

#define igt_assert_cmpint(a, op, ncmp, b) \
	igt_vsvm_cmp(int, "%d", a, op, b)
#define igt_assert_cmpuint(a, op, ncmp, b) \
	igt_vsvm_cmp(unsigned int, "%#x", a, op, b)
#define igt_assert_cmpu64(a, op, ncmp, b) \
	igt_vsvm_cmp(unsigned long long, "%#llx", a, op, b)

#define igt_assert_eq(a, b)	 igt_vsvm_cmp(int, "%d", a, ==, b)
#define igt_assert_neq(a, b)	 igt_vsvm_cmp(int, "%d", a, !=, b)
#define igt_assert_lt(a, b)	 igt_vsvm_cmp(int, "%d", a, <, b)
#define igt_assert_lte(a, b)	 igt_vsvm_cmp(int, "%d", a, <=, b)
#define igt_assert_eq_u32(a, b)	 igt_vsvm_cmp(uint32_t, "%#x", a, ==, b)
#define igt_assert_neq_u32(a, b) igt_vsvm_cmp(uint32_t, "%#x", a, !=, b)
#define igt_assert_eq_u64(a, b) \
	igt_vsvm_cmp(unsigned long long, "%#llx", a, ==, b)
#define igt_assert_neq_u64(a, b) \
	igt_vsvm_cmp(unsigned long long, "%#llx", a, !=, b)
#define igt_assert_lt_u64(a, b) \
	igt_vsvm_cmp(unsigned long long, "%llu", a, <, b)
#define igt_assert_lte_u64(a, b) \
	igt_vsvm_cmp(unsigned long long, "%llu", a, <=, b)

#define igt_require(expr) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, \
					 NULL); \
	} while (0)

#define igt_require_f(expr, ...) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, \
					 __VA_ARGS__); \
	} while (0)

#define igt_skip_on(expr) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 "!(" #expr ")", NULL); \
	} while (0)

#define igt_skip_on_f(expr, ...) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 "!(" #expr ")", __VA_ARGS__); \
	} while (0)

/* ---- processes --------------------------------------------------------- */

/*
 * igt_fork - run the block in @num_children child processes; @child is the
 * child's index. Children are collected with igt_waitchildren().
 */
#define igt_fork(child, num_children) \
	for (int child = 0; child < (num_children); child++) \
		for (; __igt_fork(); exit(0))

/* ---- logging ----------------------------------------------------------- */
#define igt_debug(...)	igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, __VA_ARGS__)
#define igt_info(...)	igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, __VA_ARGS__)
#define igt_warn(...)	igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, __VA_ARGS__)
#define igt_critical(...) \
	igt_log(IGT_LOG_DOMAIN, IGT_LOG_CRITICAL, __VA_ARGS__)

#endif /* IGT_VSVM_CORE_H */
