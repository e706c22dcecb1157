/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-bench: vsvm against the kernel's HMM test driver (test_hmm,
 * "dmirror"), side by side in one guest boot. See README.md.
 */
#ifndef VSVM_BENCH_H
#define VSVM_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIB		((size_t)1024 * 1024)
#define HUGE_SZ		(2 * MIB)
#define PAGE_SZ		((size_t)4096)
#define MAX_RUNS	15
#define MAX_SIZES	12
#define LAT_BUCKETS	24	/* VSVM_LAT_BUCKETS of vsvm_debugfs.c */

/* Page policy of a benchmark buffer. */
enum buf_thp {
	BUF_NOHUGE,	/* MADV_NOHUGEPAGE: the like-for-like rows */
	BUF_HUGE,	/* MADV_HUGEPAGE: THP rows */
};

/*
 * struct buf - a 2 MiB aligned anonymous buffer filled with a pattern
 * @ptr: first byte.
 * @size: bytes, a multiple of 2 MiB.
 * @seed: pattern seed, value of u64 #i is pattern(seed, i).
 * @sum: wrapping sum of every u64 of the buffer.
 * @thp_bytes: AnonHugePages of the mapping after filling.
 */
struct buf {
	uint64_t *ptr;
	size_t size;
	uint64_t seed;
	uint64_t sum;
	uint64_t thp_bytes;
};

static inline uint64_t pattern(uint64_t seed, uint64_t i)
{
	return (i + seed) * 0x9e3779b97f4a7c15ull ^ (seed << 7);
}

/* Sum of the first u64 of every 4 KiB page of [p, p + bytes). */
uint64_t page_sum_u64(const uint64_t *p, size_t bytes);

/* util.c */
double now_s(void);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int buf_alloc(struct buf *b, size_t size, enum buf_thp thp, uint64_t seed);
void buf_free(struct buf *b);
/* Unmaps the buffer and returns the seconds munmap() took. */
double buf_unmap_timed(struct buf *b);
uint64_t sum_u64(const uint64_t *p, size_t bytes);
double median(double *v, int n);
int read_file_str(const char *path, char *buf, size_t len);
uint64_t meminfo_kib(const char *key);
uint64_t warm_guest_ram(uint64_t keep);

/* One set of vsvm debugfs readings (counters and fault latency buckets). */
struct vsvm_dbg {
	uint64_t faults;
	uint64_t fault_batches;
	uint64_t fault_granules;
	uint64_t pages_faulted;
	uint64_t huge_mappings;
	uint64_t pages_to_vram;
	uint64_t pages_to_system;
	uint64_t migrate_to_ram;
	uint64_t evictions;
	uint64_t insns;
	uint64_t interp_ns;
	uint64_t migrate_parallel;
	uint64_t copy_pages;	/* pages the driver's copy engine copied */
	uint64_t copy_ns;	/* and the ns it took, summed over CPUs */
	uint64_t lat[LAT_BUCKETS];
};

/* vsvm.c: the vsvm side. */
struct vsvm_ctx {
	int fd;
	uint32_t dev_index;
	uint32_t engines;	/* engines used by the GPU read */
	bool one_job;		/* one job of engines x LANES lanes on engine 0 */
	uint64_t vram_size;
	char dbgdir[256];
	uint64_t *prog_sum;	/* every u64 of a lane's slice */
	uint32_t prog_sum_len;
	uint64_t *prog_touch;	/* one u64 per page */
	uint32_t prog_touch_len;
	uint64_t *prog_copy;	/* BCOPY of a lane's slice into its ring */
	uint32_t prog_copy_len;
	uint64_t *out;		/* per-lane sums, one page per engine */
};

#define LANES		32	/* one wave (VSVM_WAVE_SIZE) per engine */

/* Result of one vsvm GPU read: time and what the driver saw. */
struct gpu_read_res {
	double secs;
	double setup_secs;	/* VM_CREATE + MIRROR */
	double unmap_secs;	/* munmap of the mirrored, GPU-mapped buffer */
	uint64_t job_faults;
	uint64_t thp_bytes;	/* AnonHugePages of the buffer */
	double fault_secs;	/* fault service time (vsvm:vsvm_fault_batch), < 0: unknown */
	struct vsvm_dbg d0, d1;
};

struct migrate_res {
	double to_dev_secs;
	double touch_secs;	/* the way back: CPU touch or PREFETCH to system */
	double unmap_secs;
	uint64_t thp_bytes;	/* AnonHugePages of the buffer before migrating */
	struct vsvm_dbg d0, d1;
};

int vsvm_ctx_init(struct vsvm_ctx *c, int index, uint32_t engines);
void vsvm_ctx_fini(struct vsvm_ctx *c);
int vsvm_dbg_read(const struct vsvm_ctx *c, struct vsvm_dbg *d);
/* Turn the interpreter's fast path on or off (module parameter); 0 or -errno. */
int vsvm_fast_path(bool on);
/* How the GPU reads the buffer in vsvm_gpu_read(). */
enum gpu_read_mode {
	READ_SUM,	/* every u64 with LD64, summed */
	READ_TOUCH,	/* one u64 per page: the fault path */
	READ_COPY,	/* BCOPY into a per-lane ring of RING_BYTES */
};

#define RING_BYTES	(1u << 20)

/* (a) + (d) + (f) */
int vsvm_gpu_read(struct vsvm_ctx *c, size_t size, enum buf_thp thp,
		  uint64_t seed, enum gpu_read_mode mode, struct gpu_read_res *r);
/* How the pages come back in vsvm_migrate(). */
enum migrate_back {
	BACK_TOUCH,	/* the CPU reads every u64: migrate_to_ram */
	BACK_PREFETCH,	/* VM_BIND PREFETCH to system memory */
};

/*
 * (b) + (c): prefetch to VRAM at @granularity, then back (@back); the
 * buffer is THP-backed with @thp == BUF_HUGE.
 */
int vsvm_migrate(struct vsvm_ctx *c, size_t size, uint64_t granularity,
		 enum buf_thp thp, enum migrate_back back, uint64_t seed,
		 struct migrate_res *r);
/*
 * debugfs migrate_workers of every vsvm device (0: one per CPU, 1: serial)
 * and migrate_walk (map what moved by a second walk instead of from the
 * migrate arrays); 0 or -errno.
 */
int vsvm_migrate_knobs(unsigned int workers, bool walk);

/* dmirror.c: the test_hmm side. */
struct dmirror_ctx {
	char path[64];
	size_t chunk;	/* bytes per READ / MIGRATE_TO_DEV ioctl */
	void *bounce;	/* @chunk bytes */
};

int dmirror_ctx_init(struct dmirror_ctx *c, const char *path, size_t chunk);
void dmirror_ctx_fini(struct dmirror_ctx *c);
int dmirror_read(struct dmirror_ctx *c, size_t size, enum buf_thp thp,
		 uint64_t seed, struct gpu_read_res *r);
int dmirror_migrate(struct dmirror_ctx *c, size_t size, uint64_t seed,
		    struct migrate_res *r);

/* The user-space copies measured as yardsticks. */
enum memcpy_how {
	MEMCPY_GLIBC,	/* glibc memcpy() */
	MEMCPY_U64,	/* a plain loop, one u64 at a time (not vectorised) */
};

/* A copy of @size bytes from a populated buffer, in chunks of @chunk. */
int memcpy_bench(size_t size, size_t chunk, uint64_t seed, enum memcpy_how how,
		 double *secs);

#endif /* VSVM_BENCH_H */
