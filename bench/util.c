// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-bench helpers: buffers, the data pattern, timing, statistics.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vsvm-bench: FAIL: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

uint64_t page_sum_u64(const uint64_t *p, size_t bytes)
{
	size_t i, per_page = PAGE_SZ / sizeof(uint64_t);
	uint64_t s = 0;

	for (i = 0; i < bytes / sizeof(uint64_t); i += per_page)
		s += p[i];
	return s;
}

/* AnonHugePages (bytes) of the mapping that starts at @addr. */
static uint64_t thp_bytes_of(const void *addr)
{
	char line[256], want[32];
	uint64_t kib = 0;
	bool in = false;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return 0;
	snprintf(want, sizeof(want), "%lx-", (unsigned long)(uintptr_t)addr);
	while (fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strncmp(line, want, strlen(want)) == 0) {
			in = true;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %lu kB", (unsigned long *)&kib) == 1)
			break;
	}
	fclose(f);
	return kib * 1024;
}

int buf_alloc(struct buf *b, size_t size, enum buf_thp thp, uint64_t seed)
{
	size_t n = size / sizeof(uint64_t), i;
	uint8_t *raw, *p;
	uint64_t s = 0;

	memset(b, 0, sizeof(*b));
	raw = mmap(NULL, size + HUGE_SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		return -errno;
	/* 2 MiB aligned: whole granules, and THP possible. */
	p = (uint8_t *)(((uintptr_t)raw + HUGE_SZ - 1) & ~(uintptr_t)(HUGE_SZ - 1));
	if (p > raw)
		munmap(raw, (size_t)(p - raw));
	if (p + size < raw + size + HUGE_SZ)
		munmap(p + size, (size_t)(raw + size + HUGE_SZ - (p + size)));
	if (madvise(p, size, thp == BUF_HUGE ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		return -errno;
	b->ptr = (uint64_t *)p;
	b->size = size;
	b->seed = seed;
	for (i = 0; i < n; i++) {
		uint64_t v = pattern(seed, i);

		b->ptr[i] = v;
		s += v;
	}
	b->sum = s;
	b->thp_bytes = thp_bytes_of(p);
	return 0;
}

void buf_free(struct buf *b)
{
	if (b->ptr)
		munmap(b->ptr, b->size);
	b->ptr = NULL;
}

double buf_unmap_timed(struct buf *b)
{
	double t0 = now_s(), t;

	if (munmap(b->ptr, b->size))
		die("munmap: %s", strerror(errno));
	t = now_s() - t0;
	b->ptr = NULL;
	return t;
}

/* Four independent accumulators: the loop is load bound, not add bound. */
uint64_t sum_u64(const uint64_t *p, size_t bytes)
{
	const volatile uint64_t *v = p;
	uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	size_t i, n = bytes / sizeof(uint64_t);

	for (i = 0; i + 4 <= n; i += 4) {
		s0 += v[i];
		s1 += v[i + 1];
		s2 += v[i + 2];
		s3 += v[i + 3];
	}
	for (; i < n; i++)
		s0 += v[i];
	return s0 + s1 + s2 + s3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double median(double *v, int n)
{
	double t[MAX_RUNS];

	if (n <= 0)
		return 0;
	memcpy(t, v, (size_t)n * sizeof(*t));
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

int read_file_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -errno;
	while ((size_t)total + 1 < len &&
	       (n = read(fd, buf + total, len - 1 - (size_t)total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return (int)total;
}

/*
 * QEMU backs guest RAM lazily: the first guest write to a guest page costs
 * a host page fault. Right after boot most free guest memory has never
 * been written, and a path that takes fresh high-order blocks (vsvm's
 * migration back at 2 MiB granularity) then pays that host cost while a
 * path that recycles recently freed pages does not: measured 0.29 vs
 * 1.1 GB/s for c_back at 16 MiB in one boot. Writing all but @keep bytes
 * of the available memory once, then freeing it, makes every path run on
 * memory the host has already backed.
 */
uint64_t warm_guest_ram(uint64_t keep)
{
	uint64_t avail = meminfo_kib("MemAvailable") * 1024, size;
	void *p;

	if (avail <= keep)
		return 0;
	size = (avail - keep) & ~((uint64_t)PAGE_SZ - 1);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	munmap(p, size);
	return size;
}

uint64_t meminfo_kib(const char *key)
{
	char line[256];
	unsigned long v = 0;
	size_t kl = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			sscanf(line + kl + 1, "%lu", &v);
			break;
		}
	fclose(f);
	return v;
}

/*
 * One u64 at a time: GCC would otherwise turn the loop back into a memcpy()
 * call (loop distribution) or vectorise it.
 */
__attribute__((noinline, optimize("no-tree-loop-distribute-patterns", "no-tree-vectorize")))
static void copy_u64(uint64_t *dst, const uint64_t *src, size_t bytes)
{
	for (size_t i = 0; i < bytes / 8; i++)
		dst[i] = src[i];
}

int memcpy_bench(size_t size, size_t chunk, uint64_t seed, enum memcpy_how how,
		 double *secs)
{
	struct buf src;
	uint8_t *dst;
	size_t off;
	double t0, t = 0;
	int ret;

	if (chunk > size)
		chunk = size;
	ret = buf_alloc(&src, size, BUF_NOHUGE, seed);
	if (ret)
		return ret;
	dst = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dst == MAP_FAILED) {
		buf_free(&src);
		return -errno;
	}
	madvise(dst, chunk, MADV_NOHUGEPAGE);
	memset(dst, 0x5a, chunk);	/* populated: copy, not fault, is timed */
	for (off = 0; off < size; off += chunk) {
		t0 = now_s();
		if (how == MEMCPY_U64)
			copy_u64((uint64_t *)dst, (const uint64_t *)((uint8_t *)src.ptr + off),
				 chunk);
		else
			memcpy(dst, (uint8_t *)src.ptr + off, chunk);
		t += now_s() - t0;
		if (memcmp(dst, (uint8_t *)src.ptr + off, chunk))
			die("memcpy: copy differs at offset %zu", off);
	}
	munmap(dst, chunk);
	buf_free(&src);
	*secs = t;
	return 0;
}
