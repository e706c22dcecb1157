// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * Error and enum names.
 */
#define _GNU_SOURCE	/* strerrordesc_np() */
#include <errno.h>
#include <string.h>

#include "vsvm_internal.h"

static const struct {
	int err;
	const char *msg;
} vsvm_errors[] = {
	{ EINVAL, "Invalid argument (vsvm: bad field, non-zero pad, unknown flag, "
		  "misaligned or out-of-VA range, or a program the validator rejected)" },
	{ ENOENT, "No such file or directory (vsvm: unknown VM, GEM handle, syncobj "
		  "or job, or a range that is not mirrored/mapped exactly so)" },
	{ EPERM, "Operation not permitted (vsvm: the VM belongs to another process)" },
	{ EEXIST, "File exists (vsvm: the range overlaps an existing mirror or mapping)" },
	{ ENODEV, "No such device (vsvm: no such vsvm device, or it was unplugged)" },
	{ ETIME, "Timer expired (vsvm: the job did not finish in time)" },
	{ EIO, "Input/output error (vsvm: the job ended without completing; "
	       "its state and fault record say why)" },
	{ E2BIG, "Argument list too long (vsvm: GEM object above 1 GiB or "
		 "program too large)" },
	{ ENOMEM, "Cannot allocate memory (vsvm: out of system memory or VRAM)" },
	{ EFAULT, "Bad address (vsvm: a user pointer in the ioctl argument is invalid)" },
	{ EINTR, "Interrupted system call (vsvm: a signal interrupted the wait or bind)" },
	{ ENOTTY, "Inappropriate ioctl for device (vsvm: not a vsvm device)" },
	{ EOPNOTSUPP, "Operation not supported (vsvm: the device lacks this feature)" },
	{ EACCES, "Permission denied (vsvm: cannot open the render node)" },
	{ EBUSY, "Device or resource busy (vsvm: the object is in use)" },
};

const char *vsvm_strerror(int err)
{
	const char *s;

	if (err < 0)
		err = -err;
	if (err == 0)
		return "Success";
	for (size_t i = 0; i < VSVM_ARRAY_SIZE(vsvm_errors); i++)
		if (vsvm_errors[i].err == err)
			return vsvm_errors[i].msg;
	s = strerrordesc_np(err);
	return s ? s : "Unknown error";
}

static const char *const vsvm_job_states[] = {
	[DRM_VSVM_JOB_QUEUED] = "queued",
	[DRM_VSVM_JOB_DONE] = "done",
	[DRM_VSVM_JOB_FAULTED] = "faulted",
	[DRM_VSVM_JOB_TIMEOUT] = "timeout",
	[DRM_VSVM_JOB_BUDGET] = "budget exhausted",
	[DRM_VSVM_JOB_EXCEPTION] = "exception",
	[DRM_VSVM_JOB_CANCELED] = "canceled",
};

static const char *const vsvm_fault_reasons[] = {
	[DRM_VSVM_FAULT_NONE] = "none",
	[DRM_VSVM_FAULT_NOT_MIRRORED] = "not mirrored",
	[DRM_VSVM_FAULT_NO_VMA] = "no CPU mapping",
	[DRM_VSVM_FAULT_ACCESS] = "access denied",
	[DRM_VSVM_FAULT_NOT_PRESENT] = "not present (snapshot)",
	[DRM_VSVM_FAULT_CPU_FAULT] = "CPU fault failed",
	[DRM_VSVM_FAULT_ALIGNMENT] = "misaligned access",
	[DRM_VSVM_FAULT_PROCESS_EXITED] = "process exited",
	[DRM_VSVM_FAULT_OUT_OF_BOUNDS] = "beyond local/scratch memory",
};

static const char *const vsvm_exception_reasons[] = {
	[DRM_VSVM_EXC_NONE] = "none",
	[DRM_VSVM_EXC_DIV_ZERO] = "division by zero",
	[DRM_VSVM_EXC_PC_RANGE] = "pc outside the program",
	[DRM_VSVM_EXC_BARRIER_END] = "END while a barrier waits",
	[DRM_VSVM_EXC_BARRIER_DIVERGENT] = "lanes at different barriers",
};

static const char *const vsvm_page_statuses[] = {
	[DRM_VSVM_PAGE_OK] = "ok",
	[DRM_VSVM_PAGE_NO_VMA] = "no CPU mapping",
	[DRM_VSVM_PAGE_ACCESS] = "access denied",
	[DRM_VSVM_PAGE_NOT_PRESENT] = "not present (snapshot)",
	[DRM_VSVM_PAGE_FAULT_ERROR] = "CPU fault failed",
	[DRM_VSVM_PAGE_NO_VRAM] = "no VRAM left",
	[DRM_VSVM_PAGE_NOT_MIGRATABLE] = "not migratable",
	[DRM_VSVM_PAGE_BUSY] = "busy (not isolated)",
};

static const char *const vsvm_accesses[] = {
	[DRM_VSVM_ACCESS_READ] = "read",
	[DRM_VSVM_ACCESS_WRITE] = "write",
	[DRM_VSVM_ACCESS_ATOMIC] = "atomic",
};

#define NAME_OR_UNKNOWN(table, v) \
	((v) < VSVM_ARRAY_SIZE(table) && (table)[v] ? (table)[v] : "unknown")

const char *vsvm_job_state_str(uint32_t state)
{
	return NAME_OR_UNKNOWN(vsvm_job_states, state);
}

const char *vsvm_fault_reason_str(uint32_t reason)
{
	return NAME_OR_UNKNOWN(vsvm_fault_reasons, reason);
}

const char *vsvm_exception_reason_str(uint32_t reason)
{
	return NAME_OR_UNKNOWN(vsvm_exception_reasons, reason);
}

const char *vsvm_page_status_str(uint32_t status)
{
	return NAME_OR_UNKNOWN(vsvm_page_statuses, status);
}

const char *vsvm_access_str(uint32_t access)
{
	return NAME_OR_UNKNOWN(vsvm_accesses, access);
}
