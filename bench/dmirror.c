// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-bench, the test_hmm side: HMM_DMIRROR_READ (device reads CPU
 * memory through hmm_range_fault, copying every byte into a bounce
 * buffer), HMM_DMIRROR_MIGRATE_TO_DEV, CPU touch after it, munmap.
 *
 * The uAPI is lib/test_hmm_uapi.h of the kernel source (not installed by
 * headers_install); its two definitions used here are repeated below.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/types.h>

#include "bench.h"

struct hmm_dmirror_cmd {
	__u64 addr;
	__u64 ptr;
	__u64 npages;
	__u64 cpages;
	__u64 faults;
};

#define HMM_DMIRROR_READ		_IOWR('H', 0x00, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_MIGRATE_TO_DEV	_IOWR('H', 0x02, struct hmm_dmirror_cmd)

int dmirror_ctx_init(struct dmirror_ctx *c, const char *path, size_t chunk)
{
	int fd;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	c->chunk = chunk;
	c->bounce = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->bounce == MAP_FAILED) {
		c->bounce = NULL;
		return -errno;
	}
	madvise(c->bounce, chunk, MADV_NOHUGEPAGE);
	memset(c->bounce, 0, chunk);	/* populated: the copy is timed, not faults */
	return 0;
}

void dmirror_ctx_fini(struct dmirror_ctx *c)
{
	if (c->bounce)
		munmap(c->bounce, c->chunk);
}

/*
 * One ioctl over [addr, addr + len) into the bounce buffer; returns its time
 * and adds the device faults it reports to *faults.
 */
static double dmirror_cmd(int fd, unsigned long req, const char *what, void *addr,
			  size_t len, void *bounce, uint64_t *faults)
{
	struct hmm_dmirror_cmd cmd = {
		.addr = (uintptr_t)addr,
		.ptr = (uintptr_t)bounce,
		.npages = len / PAGE_SZ,
	};
	double t0 = now_s(), t;
	int ret;

	do {
		ret = ioctl(fd, req, &cmd);
	} while (ret && errno == EINTR);
	t = now_s() - t0;
	if (ret)
		die("%s of %zu KiB: %s", what, len / 1024, strerror(errno));
	if (cmd.cpages != cmd.npages)
		die("%s: %" PRIu64 " of %" PRIu64 " pages copied", what,
		    (uint64_t)cmd.cpages, (uint64_t)cmd.npages);
	*faults += cmd.faults;
	return t;
}

static int dmirror_open(const struct dmirror_ctx *c)
{
	int fd = open(c->path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %s", c->path, strerror(errno));
	return fd;
}

int dmirror_read(struct dmirror_ctx *c, size_t size, enum buf_thp thp,
		 uint64_t seed, struct gpu_read_res *r)
{
	struct buf b;
	size_t off;
	int fd, ret;

	memset(r, 0, sizeof(*r));
	ret = buf_alloc(&b, size, thp, seed);
	if (ret)
		die("buffer of %zu MiB: %s", size / MIB, strerror(-ret));
	r->thp_bytes = b.thp_bytes;
	fd = dmirror_open(c);	/* a fresh mirror: nothing mapped yet */
	for (off = 0; off < size; off += c->chunk) {
		size_t len = size - off < c->chunk ? size - off : c->chunk;
		uint8_t *src = (uint8_t *)b.ptr + off;

		r->secs += dmirror_cmd(fd, HMM_DMIRROR_READ, "HMM_DMIRROR_READ", src, len,
				       c->bounce, &r->job_faults);
		if (memcmp(c->bounce, src, len))
			die("HMM_DMIRROR_READ: data differs in [%zu, %zu)", off, off + len);
	}
	r->unmap_secs = buf_unmap_timed(&b);
	close(fd);
	return 0;
}

int dmirror_migrate(struct dmirror_ctx *c, size_t size, uint64_t seed,
		    struct migrate_res *r)
{
	uint64_t faults = 0, s;
	struct buf b;
	size_t off, i;
	double t0;
	int fd, ret;

	memset(r, 0, sizeof(*r));
	ret = buf_alloc(&b, size, BUF_NOHUGE, seed);
	if (ret)
		die("buffer of %zu MiB: %s", size / MIB, strerror(-ret));
	fd = dmirror_open(c);
	for (off = 0; off < size; off += c->chunk) {
		size_t len = size - off < c->chunk ? size - off : c->chunk;
		const uint64_t *dev = c->bounce;

		r->to_dev_secs += dmirror_cmd(fd, HMM_DMIRROR_MIGRATE_TO_DEV,
					      "HMM_DMIRROR_MIGRATE_TO_DEV",
					      (uint8_t *)b.ptr + off, len, c->bounce, &faults);
		/* The bounce holds the device's copy; the CPU must not touch b yet. */
		for (i = 0; i < len / 8; i++)
			if (dev[i] != pattern(seed, off / 8 + i))
				die("HMM_DMIRROR_MIGRATE_TO_DEV: device copy differs at u64 %zu",
				    off / 8 + i);
	}
	t0 = now_s();
	s = sum_u64(b.ptr, size);
	r->touch_secs = now_s() - t0;
	if (s != b.sum)
		die("CPU read after MIGRATE_TO_DEV: sum 0x%" PRIx64 ", expected 0x%" PRIx64,
		    s, b.sum);
	r->unmap_secs = buf_unmap_timed(&b);
	close(fd);
	return 0;
}
