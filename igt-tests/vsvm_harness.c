// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm harness
 * Category: Infrastructure
 * Description: Self-check of the IGT protocol as used by the vsvm tests
 *		(exit codes, result lines, fixtures, groups, dynamic subtests,
 *		forked children). Not part of the normal run; needs no device.
 *
 * SUBTEST: pass
 * Description: A subtest that checks data and succeeds.
 *
 * SUBTEST: skip
 * Description: A subtest whose requirement is not met.
 *
 * SUBTEST: fail
 * Description: Fails on purpose when VSVM_HARNESS_FAIL is set, else skips.
 *
 * SUBTEST: formatted-%d
 * Description: Subtests named with igt_subtest_f.
 *
 * SUBTEST: dynamic
 * Description: A subtest with dynamic results.
 *
 * SUBTEST: group-skipped
 * Description: Inside a group whose fixture skips.
 *
 * SUBTEST: after-group
 * Description: After a skipping group, subtests run again.
 *
 * SUBTEST: in-described-group
 * Description: A subtest of a group that has a description of its own.
 *
 * SUBTEST: fork
 * Description: Children write to shared memory, the parent checks.
 *
 * SUBTEST: fork-fail
 * Description: A child fails on purpose when VSVM_HARNESS_FAIL is set.
 *
 * SUBTEST: compare
 * Description: Every comparison macro, on passing values.
 */

#include <string.h>
#include <sys/mman.h>

#include "vsvm_igt_common.h"

IGT_TEST_DESCRIPTION("Self-check of the IGT protocol used by the vsvm tests.");

static bool fail_on_purpose(void)
{
	return getenv("VSVM_HARNESS_FAIL") != NULL;
}

igt_main
{
	int fixture_ran = 0;

	igt_fixture
		fixture_ran = 1;

	igt_describe("A subtest that checks data and succeeds.");
	igt_subtest("pass") {
		char buf[16];

		igt_assert_eq(fixture_ran, 1);
		memset(buf, 0x5a, sizeof(buf));
		igt_assert(buf[15] == 0x5a);
		igt_info("pass: data checked\n");
	}

	igt_describe("A subtest whose requirement is not met.");
	igt_subtest("skip")
		igt_require_f(fixture_ran == 2, "fixture_ran is %d\n",
			      fixture_ran);

	igt_describe("Fails on purpose when VSVM_HARNESS_FAIL is set.");
	igt_subtest("fail") {
		igt_require(fail_on_purpose());
		igt_assert_eq(1 + 1, 3);
	}

	for (int i = 0; i < 2; i++) {
		igt_describe("Subtests named with igt_subtest_f.");
		igt_subtest_f("formatted-%d", i)
			igt_assert_lt(i, 2);
	}

	igt_describe("A subtest with dynamic results.");
	igt_subtest_with_dynamic("dynamic") {
		for (int i = 0; i < 2; i++)
			igt_dynamic_f("case-%d", i)
				igt_assert_neq(i, 2);
		igt_dynamic("skipped-case")
			igt_skip_on(1);
	}

	igt_subtest_group {
		igt_fixture
			igt_require_f(false, "group fixture skips\n");

		igt_describe("Inside a group whose fixture skips.");
		igt_subtest("group-skipped")
			igt_assert(!"reached a subtest of a skipped group");
	}

	igt_describe("After a skipping group, subtests run again.");
	igt_subtest("after-group")
		igt_assert_eq(fixture_ran, 1);

	igt_describe("A described group (the library keeps its description).");
	igt_subtest_group {
		igt_describe("A subtest of a described group.");
		igt_subtest("in-described-group")
			igt_assert_eq(fixture_ran, 1);
	}

	igt_describe("Children write to shared memory, the parent checks.");
	igt_subtest("fork") {
		volatile uint64_t *shared;

		shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		igt_assert(shared != MAP_FAILED);
		igt_fork(child, 4)
			shared[child] = 0x1000 + child;
		igt_waitchildren();
		for (int i = 0; i < 4; i++)
			igt_assert_eq_u64(shared[i], 0x1000 + i);
		munmap((void *)shared, 4096);
	}

	igt_describe("A child fails on purpose when VSVM_HARNESS_FAIL is set.");
	igt_subtest("fork-fail") {
		igt_require(fail_on_purpose());
		igt_fork(child, 2)
			igt_assert_eq(child, 0);
		igt_waitchildren();
	}

	igt_describe("Every comparison macro, on passing values.");
	igt_subtest("compare") {
		igt_assert_eq(-1, -1);
		igt_assert_neq(1, 2);
		igt_assert_lt(1, 2);
		igt_assert_lte(2, 2);
		igt_assert_eq_u32(0xffffffffu, 0xffffffffu);
		igt_assert_eq_u64(1ull << 40, 1ull << 40);
		igt_assert_neq_u64(1ull << 40, 1ull << 41);
		igt_assert_lt_u64(1ull << 40, 1ull << 41);
		igt_assert_lte_u64(1ull << 41, 1ull << 41);
		igt_assert_f(true, "never printed %d\n", 0);
		igt_debug("debug line\n");
	}
}
