// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * Error texts, enum names, and the device API on a host without vsvm.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "tests.h"
#include "vsvm_internal.h"
#include "vsvm_debugfs.h"

TEST(strerror_coverage)
{
	static const int vsvm_errs[] = {
		EINVAL, ENOENT, EPERM, EEXIST, ENODEV, ETIME, EIO, E2BIG,
		ENOMEM, EFAULT, EINTR, ENOTTY, EOPNOTSUPP, EACCES, EBUSY,
	};

	for (size_t i = 0; i < sizeof(vsvm_errs) / sizeof(vsvm_errs[0]); i++) {
		const char *s = vsvm_strerror(-vsvm_errs[i]);

		T_ASSERT(t, s != NULL);
		if (!strstr(s, "(vsvm: ")) {
			T_FAIL(t, "errno %d: \"%s\" has no vsvm meaning",
			       vsvm_errs[i], s);
			return;
		}
		T_ASSERT(t, s == vsvm_strerror(vsvm_errs[i]));
	}
	T_ASSERT(t, strstr(vsvm_strerror(-EPERM), "another process") != NULL);
	T_ASSERT(t, strstr(vsvm_strerror(-EEXIST), "overlaps") != NULL);
	T_ASSERT(t, strstr(vsvm_strerror(-EIO), "job") != NULL);
	T_EQ_STR(t, vsvm_strerror(0), "Success");
	/* Other errors: the C library's text, no vsvm meaning. */
	T_EQ_STR(t, vsvm_strerror(-EAGAIN), "Resource temporarily unavailable");
	T_ASSERT(t, vsvm_strerror(-99999) != NULL);
	T_ASSERT(t, vsvm_strerror(-2147483647) != NULL);
}

TEST(enum_names)
{
	T_EQ_STR(t, vsvm_job_state_str(DRM_VSVM_JOB_QUEUED), "queued");
	T_EQ_STR(t, vsvm_job_state_str(DRM_VSVM_JOB_DONE), "done");
	T_EQ_STR(t, vsvm_job_state_str(DRM_VSVM_JOB_FAULTED), "faulted");
	T_EQ_STR(t, vsvm_job_state_str(DRM_VSVM_JOB_CANCELED), "canceled");
	T_EQ_STR(t, vsvm_job_state_str(7), "unknown");
	for (uint32_t r = DRM_VSVM_FAULT_NONE; r <= DRM_VSVM_FAULT_OUT_OF_BOUNDS; r++)
		T_ASSERT(t, strcmp(vsvm_fault_reason_str(r), "unknown"));
	T_EQ_STR(t, vsvm_fault_reason_str(DRM_VSVM_FAULT_ALIGNMENT),
		 "misaligned access");
	T_EQ_STR(t, vsvm_fault_reason_str(9), "unknown");
	for (uint32_t r = DRM_VSVM_EXC_NONE; r <= DRM_VSVM_EXC_BARRIER_DIVERGENT; r++)
		T_ASSERT(t, strcmp(vsvm_exception_reason_str(r), "unknown"));
	T_EQ_STR(t, vsvm_exception_reason_str(DRM_VSVM_EXC_DIV_ZERO), "division by zero");
	T_EQ_STR(t, vsvm_exception_reason_str(5), "unknown");
	for (uint32_t s = DRM_VSVM_PAGE_OK; s <= DRM_VSVM_PAGE_BUSY; s++)
		T_ASSERT(t, strcmp(vsvm_page_status_str(s), "unknown"));
	T_EQ_STR(t, vsvm_page_status_str(DRM_VSVM_PAGE_NO_VRAM), "no VRAM left");
	T_EQ_STR(t, vsvm_page_status_str(8), "unknown");
	T_EQ_STR(t, vsvm_access_str(DRM_VSVM_ACCESS_READ), "read");
	T_EQ_STR(t, vsvm_access_str(DRM_VSVM_ACCESS_WRITE), "write");
	T_EQ_STR(t, vsvm_access_str(DRM_VSVM_ACCESS_ATOMIC), "atomic");
	T_EQ_STR(t, vsvm_access_str(0), "unknown");
	T_EQ_STR(t, vsvm_access_str(0xffffffffu), "unknown");
}

TEST(no_device)
{
	struct vsvm_job_status st;
	struct vsvm_prog p;
	uint64_t v = 42;
	char dir[256];
	int n, fd;

	/* The host has no vsvm device: enumeration finds none, cleanly. */
	n = vsvm_device_count();
	T_ASSERT(t, n >= 0);
	if (n == 0) {
		T_EQ_INT(t, vsvm_open(0, &fd), -ENODEV);
	} else {
		T_EQ_INT(t, vsvm_open(0, &fd), 0);
		close(fd);
	}
	T_EQ_INT(t, vsvm_open(-1, &fd), -ENODEV);
	T_EQ_INT(t, vsvm_open(n, &fd), -ENODEV);

	/* Every ioctl error comes back as a negative errno. */
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	T_ASSERT(t, fd >= 0);
	T_EQ_INT(t, vsvm_get_param(fd, DRM_VSVM_PARAM_UAPI_VERSION, &v), -ENOTTY);
	T_EQ_INT(t, v, 42);
	T_EQ_INT(t, vsvm_mirror(fd, 1, 0x10000, 0x1000, 0), -ENOTTY);
	T_EQ_INT(t, vsvm_prefetch_to(fd, 1, 0x10000, 0x1000, 0,
				     DRM_VSVM_LOCATION_DEVICE(0), NULL, NULL, NULL),
		 -ENOTTY);
	{
		struct vsvm_svm_attr a = { .vm_id = 1, .range = 4096 };

		T_EQ_INT(t, vsvm_svm_attr_get(fd, &a), -ENOTTY);
		T_EQ_INT(t, a.range, 4096);	/* untouched on failure */
		T_EQ_INT(t, vsvm_svm_attr_set(fd, &a), -ENOTTY);
	}
	T_EQ_INT(t, vsvm_job_status(fd, 1, 0, &st), -ENOTTY);
	T_ASSERT(t, vsvm_debugfs_dir(fd, dir, sizeof(dir)) < 0);
	close(fd);
	T_EQ_INT(t, vsvm_get_param(-1, 0, &v), -EBADF);

	/* vsvm_run() refuses unfinished or failed programs before any ioctl. */
	vsvm_prog_init(&p);
	vsvm_emit_jmp(&p, vsvm_label_new(&p));
	T_EQ_INT(t, vsvm_run(-1, 1, &p, 1, NULL, &st), -EINVAL);
	vsvm_prog_fini(&p);
	vsvm_prog_init(&p);
	vsvm_emit_li(&p, 40, 0);
	T_EQ_INT(t, vsvm_run(-1, 1, &p, 1, NULL, &st), -EINVAL);
	vsvm_prog_fini(&p);
}

/*
 * The 2.0 ABI: library structs read as far as the caller's compiled size,
 * the rest zero; syncs of an older, smaller layout refused, of a newer,
 * larger one read at their stride.
 */
TEST(abi_sized_structs)
{
	struct vsvm_sync_v3 {
		struct vsvm_sync s;
		uint64_t future;
	} big[2] = {
		{ { 7, VSVM_SYNC_SIGNAL, 9 }, 0xdead },
		{ { 8, 0, 0 }, 0xbeef },
	};
	struct drm_vsvm_sync k[2];
	struct vsvm_exec_args a;
	struct vsvm_job_status st = { .state = 77 };
	struct vsvm_bind_op op = { .op = DRM_VSVM_BIND_OP_MIRROR, .range = 4096 };
	struct vsvm_sync many[DRM_VSVM_MAX_SYNCS + 1];
	int fd;

	memset(k, 0xff, sizeof(k));
	T_EQ_INT(t, vsvm_syncs_to_kernel(&big[0].s, 2, sizeof(big[0]), k), 0);
	T_EQ_INT(t, k[0].handle, 7);
	T_EQ_INT(t, k[0].flags, DRM_VSVM_SYNC_SIGNAL);
	T_EQ_U64(t, k[0].timeline_point, 9);
	T_EQ_INT(t, k[1].handle, 8);
	T_EQ_INT(t, k[1].flags, 0);
	T_EQ_U64(t, k[1].timeline_point, 0);
	T_EQ_INT(t, vsvm_syncs_to_kernel(&big[0].s, 1, 8, k), -EINVAL);
	T_EQ_INT(t, vsvm_syncs_to_kernel(NULL, 1, sizeof(big[0]), k), -EINVAL);
	T_EQ_INT(t, vsvm_syncs_to_kernel(NULL, 0, 0, k), 0);

	/* Too many sync operations, counted over all three sources. */
	memset(&a, 0, sizeof(a));
	memset(many, 0, sizeof(many));
	a.syncs = many;
	a.sync_count = DRM_VSVM_MAX_SYNCS;
	a.out_sync = 1;
	T_EQ_INT(t, vsvm_exec(-1, &a, NULL), -EINVAL);
	/*
	 * An application built before syncs existed passes a size ending at
	 * scratch_size: the garbage after it is never read, so the call gets
	 * as far as the ioctl.
	 */
	memset(&a, 0xa5, sizeof(a));
	a.in_sync_count = 0;
	a.out_sync = 0;
	T_EQ_INT(t, vsvm_exec_sized(-1, &a, offsetof(struct vsvm_exec_args, syncs), NULL),
		 -EBADF);

	/* Bind: an op size smaller than the first layout is refused. */
	T_EQ_INT(t, vsvm_vm_bind_sized(-1, 1, &op, 1, 16, NULL, 0, sizeof(struct vsvm_sync),
				       NULL), -EINVAL);
	T_EQ_INT(t, vsvm_vm_bind(-1, 1, &op, 1, NULL), -EBADF);

	/* Outputs untouched on failure, whatever the size. */
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	T_ASSERT(t, fd >= 0);
	T_EQ_INT(t, vsvm_job_status_sized(fd, 1, 0, &st, 8), -ENOTTY);
	T_EQ_INT(t, st.state, 77);
	close(fd);
}
