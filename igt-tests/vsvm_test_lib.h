/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright 2026 The vsvm authors
 *
 * Helpers shared by the vsvm IGT tests, on top of libvsvm. Every helper
 * asserts (igt_assert) on failure unless its name starts with "__".
 */
#ifndef VSVM_TEST_LIB_H
#define VSVM_TEST_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vsvm_igt_common.h"
#include "vsvm.h"
#include "vsvm_asm.h"
#include "vsvm_debugfs.h"

#define SZ_4K		0x1000ull
#define SZ_64K		0x10000ull
#define SZ_1M		0x100000ull
#define SZ_2M		0x200000ull
#define SZ_1G		0x40000000ull

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Nanoseconds the tests wait for a job before failing. */
#define VSVM_T_WAIT_NS	(60ull * 1000 * 1000 * 1000)

/* ---- device ------------------------------------------------------------ */

/* Open vsvm device @index; skips the subtest if there is none. */
int vsvm_t_open(int index);
/* Skip unless at least @n vsvm devices exist. */
void vsvm_t_require_devices(int n);
uint64_t vsvm_t_param(int fd, uint32_t param);
/* Raw ioctl, returns 0 or -errno (for the bad-input tests). */
int vsvm_t_ioctl(int fd, unsigned long req, void *arg);

/* ---- VMs and bind ------------------------------------------------------ */
uint32_t vsvm_t_vm(int fd);
void vsvm_t_mirror(int fd, uint32_t vm, const void *ptr, uint64_t size);
void vsvm_t_mirror_flags(int fd, uint32_t vm, const void *ptr, uint64_t size,
			 uint32_t flags);
/* Query one page's DRM_VSVM_QUERY_* flags. */
uint32_t vsvm_t_query(int fd, uint32_t vm, const void *ptr);
/* Query @npages; returns a malloc'ed array the caller frees. */
uint32_t *vsvm_t_query_range(int fd, uint32_t vm, const void *ptr,
			     uint64_t npages);

/* ---- memory ------------------------------------------------------------ */
/* Anonymous private mapping of @size, aligned to @align (power of two). */
void *vsvm_t_mmap_aligned(uint64_t size, uint64_t align, int prot, int flags);
void vsvm_t_munmap_aligned(void *ptr, uint64_t size);
uint64_t vsvm_t_pattern(uint64_t seed, uint64_t i);
void vsvm_t_fill(void *ptr, uint64_t size, uint64_t seed);
/* Index of the first u64 of @ptr not equal to pattern(seed, i) + add, or -1. */
int64_t vsvm_t_check(const void *ptr, uint64_t size, uint64_t seed,
		     uint64_t add);
/* Is the file system at @path of magic @magic (see statfs(2))? */
bool vsvm_t_fs_is(const char *path, long magic);

/* ---- programs ---------------------------------------------------------- */

/* Assemble @src into @p (initialised by the helper); asserts on errors. */
void vsvm_t_asm(struct vsvm_prog *p, const char *src);

/*
 * Programs used across families (register arguments in brackets):
 *
 * VSVM_T_PROG_ADD: for i = lane; i < r2; i += lanes: dst[i] = src[i] + r3
 *	(r0 = src, r1 = dst, u64 elements).
 * VSVM_T_PROG_STORE: lane i: u64 [r0 + 8 * i] = r1 + i.
 * VSVM_T_PROG_LOAD: lane i: u64 [r1 + 8 * i] = u64 [r0 + r2 * i].
 * VSVM_T_PROG_READ_SUM: for i = lane; i < r2; i += lanes: aadd64 [r1] += src[i]
 * VSVM_T_PROG_AADD: each lane does r2 times: aadd64 [r0] += r1.
 * VSVM_T_PROG_HAMMER: for n = 0, 1, ...: store r1 + n to u64
 *	[r0 + 8 * (n % r3)], until the u64 at [r7] (a stop flag) is non-zero.
 * VSVM_T_PROG_SPIN: loop forever.
 * VSVM_T_PROG_ST64_AT: lane 0 only: u64 [r0] = r1.
 * VSVM_T_PROG_LD64_AT: lane 0 only: u64 [r1] = u64 [r0].
 * VSVM_T_PROG_TOUCH_PAGES: for i = lane; i < r2; i += lanes:
 *	u64 [r0 + i * 4096] += r1 (load, add, store).
 */
extern const char *const VSVM_T_PROG_ADD;
extern const char *const VSVM_T_PROG_STORE;
extern const char *const VSVM_T_PROG_LOAD;
extern const char *const VSVM_T_PROG_READ_SUM;
extern const char *const VSVM_T_PROG_AADD;
extern const char *const VSVM_T_PROG_HAMMER;
extern const char *const VSVM_T_PROG_SPIN;
extern const char *const VSVM_T_PROG_ST64_AT;
extern const char *const VSVM_T_PROG_LD64_AT;
extern const char *const VSVM_T_PROG_TOUCH_PAGES;

/*
 * Run text program @src with @invocations lanes and arguments @args (up to
 * 16, the rest zero) on engine 0 and wait. Returns the final job state;
 * @st (may be NULL) receives the record. Asserts the ioctls worked.
 */
uint32_t vsvm_t_run(int fd, uint32_t vm, const char *src,
		    uint32_t invocations, const uint64_t *args, int nargs,
		    struct drm_vsvm_job_status *st);
/* The same, asserting the job is DONE. */
void vsvm_t_run_ok(int fd, uint32_t vm, const char *src, uint32_t invocations,
		   const uint64_t *args, int nargs);
/* Queue without waiting; returns the job id. */
uint32_t vsvm_t_submit(int fd, uint32_t vm, uint32_t engine, const char *src,
		       uint32_t invocations, const uint64_t *args, int nargs,
		       uint32_t out_sync, const uint32_t *in_syncs,
		       uint32_t nin);
/* Assemble @src into @a (program, program_size), EXEC it; returns the job id. */
uint32_t vsvm_t_exec(int fd, struct vsvm_exec_args *a, const char *src);
/*
 * JOB_STATUS with the raw uAPI struct: poll (@timeout_ns 0) or wait up to
 * @timeout_ns from now (an absolute deadline); 0 or a negative errno.
 */
int vsvm_t_job_status(int fd, uint32_t job, uint64_t timeout_ns,
		      struct drm_vsvm_job_status *st);
/* Wait for @job and return its state (record in @st, may be NULL). */
uint32_t vsvm_t_wait(int fd, uint32_t job, struct drm_vsvm_job_status *st);

/* Assert a finished job faulted with @reason at @addr by @access. */
void vsvm_t_assert_fault(const struct drm_vsvm_job_status *st,
			 uint32_t reason, uint64_t addr, uint32_t access);

/* GPU copies src[0..n) + add into dst (both u64 arrays), asserting DONE. */
void vsvm_t_gpu_add(int fd, uint32_t vm, const void *src, void *dst,
		    uint64_t n, uint64_t add);

/*
 * Mirror-and-check a range of any memory type: the CPU fills it with a
 * pattern, the GPU adds @add to every u64 in place (reads what the CPU
 * wrote, writes what the CPU then reads), the CPU checks every word.
 * The range must be mirrored already.
 */
void vsvm_t_roundtrip(int fd, uint32_t vm, void *ptr, uint64_t size,
		      uint64_t seed);

/* ---- observability ------------------------------------------------------ */
/* Read counter @name from the device's debugfs vsvm_counters; -1 if absent. */
int64_t vsvm_t_counter(int fd, const char *name);

#endif /* VSVM_TEST_LIB_H */

/* ---- VRAM (uAPI 1.1) ----------------------------------------------------- */
/* PREFETCH [ptr, ptr + size) to @location (DRM_VSVM_LOCATION_*); -errno. */
int vsvm_t_prefetch_loc(int fd, uint32_t vm, const void *ptr, uint64_t size,
			uint32_t location, uint8_t *status, uint64_t *done,
			uint64_t *failed);
/*
 * Skip unless device @fd has VRAM and a one-page prefetch to it works
 * (VRAM_SIZE > 0 and the page shows up as DRM_VSVM_QUERY_VRAM).
 */
void vsvm_t_require_vram(int fd);
/* DRM_VSVM_LOCATION_DEVICE() of the device behind @fd. */
uint32_t vsvm_t_here(int fd);
/* Set placement attributes of a mirrored range (raw ioctl); -errno. */
int vsvm_t_attr_set(int fd, uint32_t vm, const void *ptr, uint64_t size,
		    uint32_t location, uint32_t policy, uint64_t granularity,
		    uint32_t read_only);
/* Count the pages of [ptr, +npages) with all of @flags set in SVM_QUERY. */
uint64_t vsvm_t_count_flags(int fd, uint32_t vm, const void *ptr,
			    uint64_t npages, uint32_t flags);
