/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The vsvm authors
 */
#ifndef _VSVM_DRM_H_
#define _VSVM_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: vsvm uAPI
 *
 * vsvm is a render-only DRM driver for a virtual GPU with Shared Virtual
 * Memory. A GPU virtual address space (VM) is bound to the process that
 * created it: inside *mirrored* ranges the GPU virtual address of a byte is
 * its CPU virtual address, and the device page table is kept coherent with
 * the CPU page tables through HMM. A VM may also have one *unmanaged
 * window*, a GPU VA range left to driver-managed GEM buffers.
 *
 * Rules common to every ioctl:
 *
 * - Every struct is a multiple of 8 bytes with explicit padding. Fields
 *   named ``pad`` or ``reserved`` must be zero, unknown flags are rejected
 *   with -EINVAL.
 * - An ioctl that fails validation changes nothing.
 * - Any ioctl naming a VM from a process other than the one that created
 *   the VM (a file descriptor passed over a socket or inherited across
 *   fork()) fails with -EPERM.
 * - After the device is unplugged (sysfs unbind), every ioctl fails with
 *   -ENODEV.
 *
 * Changelog:
 *
 * - 1.0: initial version.
 * - 1.1: VRAM: &drm_vsvm_vm_bind_op.location, migration page status codes,
 *   DRM_IOCTL_VSVM_SVM_ATTR_SET/GET.
 * - 1.2: ISA version 3: work-groups, local and scratch memory in
 *   &drm_vsvm_exec (fields appended after @job_id), the limits
 *   %DRM_VSVM_PARAM_MAX_GROUP_LANES .. %DRM_VSVM_PARAM_FP64,
 *   &enum drm_vsvm_exception_reason in &drm_vsvm_job_status.fault_reason
 *   of an %DRM_VSVM_JOB_EXCEPTION, %DRM_VSVM_FAULT_OUT_OF_BOUNDS. Accepts
 *   more than 1.1: the out-only &drm_vsvm_exec.job_id and
 *   &drm_vsvm_gem_create.handle are ignored on input (a reused struct
 *   works; they read zero after an error), &drm_vsvm_svm_attr.read_only
 *   takes any non-zero value; drmGetVersion() reports the same
 *   major.minor as %DRM_VSVM_PARAM_UAPI_VERSION.
 */

/**
 * DRM_VSVM_UAPI_VERSION - version of this interface, (major << 16) | minor.
 */
#define DRM_VSVM_UAPI_VERSION		((1 << 16) | 2)

/* Append-only list of ioctl numbers. */
#define DRM_VSVM_GET_PARAM		0x00
#define DRM_VSVM_VM_CREATE		0x01
#define DRM_VSVM_VM_DESTROY		0x02
#define DRM_VSVM_VM_BIND		0x03
#define DRM_VSVM_SVM_QUERY		0x04
#define DRM_VSVM_GEM_CREATE		0x05
#define DRM_VSVM_GEM_MMAP_OFFSET	0x06
#define DRM_VSVM_EXEC			0x07
#define DRM_VSVM_JOB_STATUS		0x08
#define DRM_VSVM_SVM_ATTR_SET		0x09
#define DRM_VSVM_SVM_ATTR_GET		0x0a

/**
 * enum drm_vsvm_param - parameters readable with DRM_IOCTL_VSVM_GET_PARAM
 * @DRM_VSVM_PARAM_UAPI_VERSION: DRM_VSVM_UAPI_VERSION of the kernel.
 * @DRM_VSVM_PARAM_ISA_VERSION: DRM_VSVM_ISA_VERSION accepted by the engines.
 * @DRM_VSVM_PARAM_NUM_ENGINES: number of engines of this device.
 * @DRM_VSVM_PARAM_VRAM_SIZE: bytes of device-private VRAM (0: none).
 * @DRM_VSVM_PARAM_DEVICE_INDEX: index of this device among vsvm devices.
 * @DRM_VSVM_PARAM_NUM_DEVICES: number of vsvm devices in the system.
 * @DRM_VSVM_PARAM_PAGE_SIZES: bitmask of device page sizes (4 KiB | 2 MiB).
 * @DRM_VSVM_PARAM_VA_BITS: width of the GPU virtual address.
 * @DRM_VSVM_PARAM_MAX_INVOCATIONS: largest &drm_vsvm_exec.invocations.
 * @DRM_VSVM_PARAM_MAX_PROGRAM_SIZE: largest program, in instructions.
 * @DRM_VSVM_PARAM_GRANULE_SIZE: bytes in a fault/migration granule.
 * @DRM_VSVM_PARAM_JOB_TIMEOUT_MS: job timeout after which it is killed.
 * @DRM_VSVM_PARAM_WAVE_SIZE: invocations an engine runs interleaved.
 * @DRM_VSVM_PARAM_MAX_GROUP_LANES: largest number of lanes of a work-group
 *	(product of &drm_vsvm_exec.group_size). uAPI 1.2.
 * @DRM_VSVM_PARAM_MAX_LOCAL_MEM: largest &drm_vsvm_exec.local_mem_size,
 *	in bytes. uAPI 1.2.
 * @DRM_VSVM_PARAM_MAX_SCRATCH: largest &drm_vsvm_exec.scratch_size (bytes
 *	per lane). uAPI 1.2.
 * @DRM_VSVM_PARAM_MAX_SCRATCH_GROUP: largest scratch_size times the lanes
 *	of a work-group, in bytes. uAPI 1.2.
 * @DRM_VSVM_PARAM_FP64: 1 if the ISA has binary64 operations, else 0 (it
 *	has none today). uAPI 1.2.
 */
enum drm_vsvm_param {
	DRM_VSVM_PARAM_UAPI_VERSION = 0,
	DRM_VSVM_PARAM_ISA_VERSION = 1,
	DRM_VSVM_PARAM_NUM_ENGINES = 2,
	DRM_VSVM_PARAM_VRAM_SIZE = 3,
	DRM_VSVM_PARAM_DEVICE_INDEX = 4,
	DRM_VSVM_PARAM_NUM_DEVICES = 5,
	DRM_VSVM_PARAM_PAGE_SIZES = 6,
	DRM_VSVM_PARAM_VA_BITS = 7,
	DRM_VSVM_PARAM_MAX_INVOCATIONS = 8,
	DRM_VSVM_PARAM_MAX_PROGRAM_SIZE = 9,
	DRM_VSVM_PARAM_GRANULE_SIZE = 10,
	DRM_VSVM_PARAM_JOB_TIMEOUT_MS = 11,
	DRM_VSVM_PARAM_WAVE_SIZE = 12,
	DRM_VSVM_PARAM_MAX_GROUP_LANES = 13,
	DRM_VSVM_PARAM_MAX_LOCAL_MEM = 14,
	DRM_VSVM_PARAM_MAX_SCRATCH = 15,
	DRM_VSVM_PARAM_MAX_SCRATCH_GROUP = 16,
	DRM_VSVM_PARAM_FP64 = 17,
};

/**
 * struct drm_vsvm_get_param - argument of DRM_IOCTL_VSVM_GET_PARAM
 *
 * Errors: -EINVAL for an unknown @param or a non-zero @pad.
 */
struct drm_vsvm_get_param {
	/** @param: one of &enum drm_vsvm_param. */
	__u32 param;
	/** @pad: must be zero. */
	__u32 pad;
	/** @value: out, the value. */
	__u64 value;
};

/**
 * struct drm_vsvm_vm_create - argument of DRM_IOCTL_VSVM_VM_CREATE
 *
 * Creates a GPU VM bound to the calling process's mm. The unmanaged window
 * [@unmanaged_start, @unmanaged_start + @unmanaged_size) is reserved for
 * GEM buffers mapped with %DRM_VSVM_BIND_OP_MAP; it cannot be mirrored.
 * A zero @unmanaged_size creates a VM without a window (then
 * @unmanaged_start must be zero too).
 *
 * Errors: -EINVAL for non-zero @flags or @pad, a window that is not 2 MiB
 * aligned, overflows, or does not fit in the GPU VA; -ENOMEM.
 */
struct drm_vsvm_vm_create {
	/** @flags: must be zero. */
	__u32 flags;
	/** @vm_id: out, the VM handle (never zero). */
	__u32 vm_id;
	/** @unmanaged_start: start of the unmanaged window. */
	__u64 unmanaged_start;
	/** @unmanaged_size: size of the unmanaged window, may be zero. */
	__u64 unmanaged_size;
};

/**
 * struct drm_vsvm_vm_destroy - argument of DRM_IOCTL_VSVM_VM_DESTROY
 *
 * Destroys a VM once its queued jobs have finished; its handle is invalid
 * at once. Errors: -EINVAL for a non-zero @pad, -ENOENT for an unknown
 * @vm_id, -EPERM from another process.
 */
struct drm_vsvm_vm_destroy {
	/** @vm_id: the VM to destroy. */
	__u32 vm_id;
	/** @pad: must be zero. */
	__u32 pad;
};

/**
 * enum drm_vsvm_bind_op_type - operations of DRM_IOCTL_VSVM_VM_BIND
 * @DRM_VSVM_BIND_OP_MIRROR: mirror the CPU range [addr, addr + range). GPU
 *	accesses inside it fault and are resolved through HMM. The range
 *	must not overlap an existing mirror (-EEXIST) or the unmanaged
 *	window (-EINVAL).
 * @DRM_VSVM_BIND_OP_UNMIRROR: stop mirroring exactly a range previously
 *	mirrored (-ENOENT otherwise); its device mappings are zapped.
 * @DRM_VSVM_BIND_OP_MAP: map GEM object @handle at @bo_offset into the
 *	unmanaged window at [addr, addr + range). -ENOENT for a bad
 *	handle, -EINVAL outside the window or beyond the object, -EEXIST
 *	over an existing mapping.
 * @DRM_VSVM_BIND_OP_UNMAP: unmap exactly a range previously mapped in the
 *	window (-ENOENT otherwise).
 * @DRM_VSVM_BIND_OP_PREFETCH: make [addr, addr + range) of a mirror
 *	resident for the GPU now, faulting CPU pages in (or, with
 *	%DRM_VSVM_BIND_SNAPSHOT, only taking what the CPU has mapped). The
 *	range must lie inside one mirror (-EINVAL otherwise). It runs 2 MiB
 *	at a time, and between two of them the VM's GPU faults and other
 *	threads' bind operations on the VM may run: an UNMIRROR of the range
 *	meanwhile ends the prefetch with -EINVAL.
 */
enum drm_vsvm_bind_op_type {
	DRM_VSVM_BIND_OP_MIRROR = 0,
	DRM_VSVM_BIND_OP_UNMIRROR = 1,
	DRM_VSVM_BIND_OP_MAP = 2,
	DRM_VSVM_BIND_OP_UNMAP = 3,
	DRM_VSVM_BIND_OP_PREFETCH = 4,
};

/**
 * DRM_VSVM_BIND_SNAPSHOT - bind op flag: HMM snapshot (no-fault) mode.
 *
 * On %DRM_VSVM_BIND_OP_MIRROR the whole mirror works in snapshot mode: GPU
 * faults never fault CPU pages in, they map only what the CPU has already
 * mapped, and an access to a page the CPU has not populated ends the job
 * with %DRM_VSVM_FAULT_NOT_PRESENT. On %DRM_VSVM_BIND_OP_PREFETCH, takes
 * only the pages the CPU has mapped, without faulting.
 */
#define DRM_VSVM_BIND_SNAPSHOT		(1u << 0)
/** DRM_VSVM_BIND_READONLY - bind op flag: %DRM_VSVM_BIND_OP_MAP read-only. */
#define DRM_VSVM_BIND_READONLY		(1u << 1)

/**
 * enum drm_vsvm_page_status - per-page result of a prefetch
 * @DRM_VSVM_PAGE_OK: the page is resident and mapped for the GPU.
 * @DRM_VSVM_PAGE_NO_VMA: no CPU mapping covers the page.
 * @DRM_VSVM_PAGE_ACCESS: the CPU mapping forbids access (PROT_NONE).
 * @DRM_VSVM_PAGE_NOT_PRESENT: snapshot mode and the CPU has no page.
 * @DRM_VSVM_PAGE_FAULT_ERROR: the CPU fault failed (SIGBUS, OOM).
 * @DRM_VSVM_PAGE_NO_VRAM: migration: no VRAM left, even after eviction.
 * @DRM_VSVM_PAGE_NOT_MIGRATABLE: migration: the page cannot move to
 *	device-private memory (file-backed, shmem, hugetlbfs or DAX pages
 *	cannot in Linux 6.12); it stays in system memory and is mapped there.
 * @DRM_VSVM_PAGE_BUSY: migration: the page could not be isolated (pinned,
 *	or an invalidation raced with the migration); it stays where it was.
 */
enum drm_vsvm_page_status {
	DRM_VSVM_PAGE_OK = 0,
	DRM_VSVM_PAGE_NO_VMA = 1,
	DRM_VSVM_PAGE_ACCESS = 2,
	DRM_VSVM_PAGE_NOT_PRESENT = 3,
	DRM_VSVM_PAGE_FAULT_ERROR = 4,
	DRM_VSVM_PAGE_NO_VRAM = 5,
	DRM_VSVM_PAGE_NOT_MIGRATABLE = 6,
	DRM_VSVM_PAGE_BUSY = 7,
};

/**
 * struct drm_vsvm_vm_bind_op - one operation of DRM_IOCTL_VSVM_VM_BIND
 *
 * @addr and @range must be page aligned, @range non-zero, and the range
 * must not wrap or leave the GPU VA (-EINVAL).
 */
struct drm_vsvm_vm_bind_op {
	/** @op: one of &enum drm_vsvm_bind_op_type. */
	__u32 op;
	/** @flags: DRM_VSVM_BIND_* flags valid for @op, others -EINVAL. */
	__u32 flags;
	/** @addr: GPU virtual address (== CPU address for mirror ops). */
	__u64 addr;
	/** @range: size in bytes. */
	__u64 range;
	/** @handle: GEM handle for %DRM_VSVM_BIND_OP_MAP, else zero. */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
	/** @bo_offset: offset in the GEM object for MAP, else zero. */
	__u64 bo_offset;
	/**
	 * @status_ptr: PREFETCH only, optional (zero for none): user
	 * pointer to one byte per page of @range that receives an
	 * &enum drm_vsvm_page_status. Else zero.
	 */
	__u64 status_ptr;
	/** @pages_done: out, PREFETCH: pages made resident. */
	__u64 pages_done;
	/** @pages_failed: out, PREFETCH: pages that could not be. */
	__u64 pages_failed;
	/**
	 * @location: PREFETCH only (else zero): where the pages must end up,
	 * %DRM_VSVM_LOCATION_ANY (make resident wherever they are),
	 * %DRM_VSVM_LOCATION_SYSTEM, or DRM_VSVM_LOCATION_DEVICE(n) for the
	 * VRAM of vsvm device n (-EINVAL if there is no such device or it
	 * has no VRAM). Added in uAPI 1.1; a 64-byte @stride leaves it zero.
	 */
	__u32 location;
	/** @pad2: must be zero. */
	__u32 pad2;
};

/** DRM_VSVM_BIND_OP_SIZE_V1 - size of the first version of the bind op. */
#define DRM_VSVM_BIND_OP_SIZE_V1	64

/** DRM_VSVM_LOCATION_ANY - no placement: map pages where they are. */
#define DRM_VSVM_LOCATION_ANY		0
/** DRM_VSVM_LOCATION_SYSTEM - system memory. */
#define DRM_VSVM_LOCATION_SYSTEM	1
/** DRM_VSVM_LOCATION_DEVICE - VRAM of vsvm device @n (by device index). */
#define DRM_VSVM_LOCATION_DEVICE(n)	(0x100u + (n))

/**
 * struct drm_vsvm_vm_bind - argument of DRM_IOCTL_VSVM_VM_BIND
 *
 * Executes @count operations read from the array at @ops_ptr, each
 * @stride bytes long (at least the size of the first version of
 * &struct drm_vsvm_vm_bind_op; extra bytes must be zero). All operations
 * are validated before any is executed: a validation error changes
 * nothing. If an operation then fails at run time (-ENOMEM, -EINTR, ...)
 * the ioctl returns that error, the operations before it have taken effect
 * and @done says how many. Output fields are written back to each op.
 *
 * Errors: -EINVAL (bad field, @count zero or above 256, @stride too small),
 * -ENOENT (unknown VM), -EPERM (other process), -EFAULT, plus the
 * per-operation errors of &enum drm_vsvm_bind_op_type.
 */
struct drm_vsvm_vm_bind {
	/** @vm_id: the VM. */
	__u32 vm_id;
	/** @flags: must be zero. */
	__u32 flags;
	/** @stride: size of one element of @ops_ptr. */
	__u32 stride;
	/** @count: number of operations. */
	__u32 count;
	/** @ops_ptr: user pointer to the operations. */
	__u64 ops_ptr;
	/** @done: out, number of operations that took effect. */
	__u32 done;
	/** @pad: must be zero. */
	__u32 pad;
};

/* Per-page flags returned by DRM_IOCTL_VSVM_SVM_QUERY. */
/** DRM_VSVM_QUERY_MIRRORED - the page lies in a mirrored range. */
#define DRM_VSVM_QUERY_MIRRORED		(1u << 0)
/** DRM_VSVM_QUERY_GPU_MAPPED - the device page table maps the page. */
#define DRM_VSVM_QUERY_GPU_MAPPED	(1u << 1)
/** DRM_VSVM_QUERY_WRITABLE - the GPU mapping allows writes. */
#define DRM_VSVM_QUERY_WRITABLE		(1u << 2)
/** DRM_VSVM_QUERY_HUGE - mapped by a 2 MiB device PTE. */
#define DRM_VSVM_QUERY_HUGE		(1u << 3)
/** DRM_VSVM_QUERY_VRAM - the page is in VRAM (else system memory). */
#define DRM_VSVM_QUERY_VRAM		(1u << 4)
/** DRM_VSVM_QUERY_UNMANAGED - mapped from a GEM object in the window. */
#define DRM_VSVM_QUERY_UNMANAGED	(1u << 5)
/** DRM_VSVM_QUERY_DEVICE_SHIFT - bits 8..15: device index when VRAM. */
#define DRM_VSVM_QUERY_DEVICE_SHIFT	8

/**
 * struct drm_vsvm_svm_query - argument of DRM_IOCTL_VSVM_SVM_QUERY
 *
 * Reports the device's view of @npages pages from @addr: one __u32 of
 * DRM_VSVM_QUERY_* flags per page, written to @flags_ptr. A page with no
 * flag is absent. Changes nothing.
 *
 * Errors: -EINVAL (misaligned @addr, @npages zero or above 1 << 20, range
 * outside the GPU VA, non-zero @pad), -ENOENT, -EPERM, -EFAULT.
 */
struct drm_vsvm_svm_query {
	/** @vm_id: the VM. */
	__u32 vm_id;
	/** @pad: must be zero. */
	__u32 pad;
	/** @addr: first page, page aligned. */
	__u64 addr;
	/** @npages: number of pages. */
	__u64 npages;
	/** @flags_ptr: user pointer to @npages __u32. */
	__u64 flags_ptr;
};

/**
 * struct drm_vsvm_gem_create - argument of DRM_IOCTL_VSVM_GEM_CREATE
 *
 * Creates a shmem-backed GEM object. Errors: -EINVAL (zero size or flags),
 * -ENOMEM, -E2BIG above 1 GiB.
 */
struct drm_vsvm_gem_create {
	/** @size: bytes, rounded up to the page size. */
	__u64 size;
	/** @flags: must be zero. */
	__u32 flags;
	/** @handle: out, GEM handle (ignored on input; zero on error). */
	__u32 handle;
};

/**
 * struct drm_vsvm_gem_mmap_offset - argument of DRM_IOCTL_VSVM_GEM_MMAP_OFFSET
 *
 * Errors: -EINVAL (non-zero @pad), -ENOENT (bad handle).
 */
struct drm_vsvm_gem_mmap_offset {
	/** @handle: GEM handle. */
	__u32 handle;
	/** @pad: must be zero. */
	__u32 pad;
	/** @offset: out, fake offset to pass to mmap() on the DRM fd. */
	__u64 offset;
};

/** DRM_VSVM_EXEC_MAX_ARGS - number of 64-bit arguments of a job. */
#define DRM_VSVM_EXEC_MAX_ARGS		16
/** DRM_VSVM_EXEC_MAX_SYNCS - maximum number of in-syncobjs of a job. */
#define DRM_VSVM_EXEC_MAX_SYNCS		64

/**
 * struct drm_vsvm_exec - argument of DRM_IOCTL_VSVM_EXEC
 *
 * Queues a job: @program (an array of @program_size 64-bit instructions in
 * the ISA of ``Documentation/gpu/vsvm-isa.rst``) runs on @engine of the
 * device in VM @vm_id. Every lane starts with r0..r15 = @args and
 * r16..r31 = 0. The job starts when every syncobj in @in_syncs_ptr has
 * signalled; @out_sync, if non-zero, receives the job's fence. The program
 * is validated before the job is queued.
 *
 * **Flat jobs** (uAPI 1.0, @group_size all zero): the program runs
 * @invocations times; lane *i* reads *i* from ``SR LANE_ID``. Each lane is
 * a work-group of one lane (GROUP_ID_X = *i*, LOCAL_ID_* = 0, BARRIER
 * only orders memory) and the engine interleaves up to
 * %DRM_VSVM_PARAM_WAVE_SIZE lanes, so lanes may wait for each other
 * through atomics as in ISA version 2. @group_count, @global_offset and
 * @local_mem_size must be zero; @scratch_size may be set.
 *
 * **Work-group jobs** (ISA version 3, @group_size[0] non-zero): a grid of
 * @group_count[0] x [1] x [2] work-groups of @group_size[0] x [1] x [2]
 * lanes each. @invocations must be zero (the grid says how many lanes
 * run; LANE_COUNT is their total). All lanes of a group run interleaved on
 * one engine and may synchronise with BARRIER; groups run one after
 * another (no forward progress is promised between lanes of different
 * groups). Every group has @local_mem_size bytes of zeroed local memory;
 * every lane has @scratch_size bytes of scratch memory; see
 * %DRM_VSVM_ISA_LOCAL_BASE and %DRM_VSVM_ISA_SCRATCH_BASE for how a program
 * addresses them. Today all groups of a job run on @engine.
 *
 * A struct from uAPI 1.0/1.1 ends at @job_id; the kernel zero-extends it,
 * which makes a flat job without scratch memory: old programs and old
 * userspace are unchanged.
 *
 * Errors: -EINVAL for a non-zero @flags; @engine out of
 * range; @program_size zero or above %DRM_VSVM_PARAM_MAX_PROGRAM_SIZE; a
 * program rejected by the validator; more than %DRM_VSVM_EXEC_MAX_SYNCS
 * in-syncs, or @in_syncs_ptr without @in_sync_count; in a flat job
 * @invocations zero or above %DRM_VSVM_PARAM_MAX_INVOCATIONS or a non-zero
 * @group_count, @global_offset or @local_mem_size; in a work-group job a
 * non-zero @invocations, a zero in @group_size or @group_count, a group of
 * more than %DRM_VSVM_PARAM_MAX_GROUP_LANES lanes, a grid of more than
 * %DRM_VSVM_PARAM_MAX_INVOCATIONS lanes in total, or @local_mem_size above
 * %DRM_VSVM_PARAM_MAX_LOCAL_MEM; in both, @scratch_size above
 * %DRM_VSVM_PARAM_MAX_SCRATCH or not a multiple of 8, or scratch for a
 * group (@scratch_size times its lanes) above
 * %DRM_VSVM_PARAM_MAX_SCRATCH_GROUP. -ENOENT (unknown VM or syncobj),
 * -EPERM, -EFAULT, -ENOMEM. On any error no job was queued and @out_sync
 * is unchanged.
 */
struct drm_vsvm_exec {
	/** @vm_id: the VM. */
	__u32 vm_id;
	/** @engine: engine index, below %DRM_VSVM_PARAM_NUM_ENGINES. */
	__u32 engine;
	/** @program_ptr: user pointer to the instructions. */
	__u64 program_ptr;
	/** @program_size: number of 64-bit instructions. */
	__u32 program_size;
	/** @invocations: flat job: number of lanes; work-group job: zero. */
	__u32 invocations;
	/** @args: initial r0..r15 of every lane. */
	__u64 args[DRM_VSVM_EXEC_MAX_ARGS];
	/** @budget: instruction budget of the whole job, 0 = default. */
	__u64 budget;
	/** @in_syncs_ptr: user pointer to __u32 syncobj handles. */
	__u64 in_syncs_ptr;
	/** @in_sync_count: number of in-syncobjs. */
	__u32 in_sync_count;
	/** @out_sync: syncobj handle to signal, or zero. */
	__u32 out_sync;
	/** @flags: must be zero. */
	__u32 flags;
	/**
	 * @job_id: out, id for DRM_IOCTL_VSVM_JOB_STATUS (never zero). Ignored
	 * on input, so a submit struct can be reused; zero on error.
	 */
	__u32 job_id;
	/*
	 * uAPI 1.2 (ISA version 3) below. All zero: a flat job as in 1.1.
	 */
	/**
	 * @group_size: lanes of a work-group in x, y, z. All zero: flat job;
	 * else each at least 1 and their product at most
	 * %DRM_VSVM_PARAM_MAX_GROUP_LANES.
	 */
	__u32 group_size[3];
	/**
	 * @group_count: work-groups of the grid in x, y, z; each at least 1
	 * in a work-group job, zero in a flat job.
	 */
	__u32 group_count[3];
	/**
	 * @global_offset: added to the global ids (SR GLOBAL_ID_*), as
	 * OpenCL's global work offset. Zero in a flat job.
	 */
	__u64 global_offset[3];
	/**
	 * @local_mem_size: bytes of local memory of every work-group, at
	 * most %DRM_VSVM_PARAM_MAX_LOCAL_MEM. Zero in a flat job.
	 */
	__u32 local_mem_size;
	/**
	 * @scratch_size: bytes of scratch memory of every lane, a multiple
	 * of 8, at most %DRM_VSVM_PARAM_MAX_SCRATCH.
	 */
	__u32 scratch_size;
};

/** DRM_VSVM_EXEC_SIZE_V1 - size of &struct drm_vsvm_exec in uAPI 1.0/1.1. */
#define DRM_VSVM_EXEC_SIZE_V1		184

/**
 * enum drm_vsvm_job_state - state of a job
 * @DRM_VSVM_JOB_QUEUED: not finished yet.
 * @DRM_VSVM_JOB_DONE: every invocation reached END.
 * @DRM_VSVM_JOB_FAULTED: an unrecoverable GPU page fault ended it.
 * @DRM_VSVM_JOB_TIMEOUT: the scheduler's timeout killed it.
 * @DRM_VSVM_JOB_BUDGET: it ran out of instruction budget.
 * @DRM_VSVM_JOB_EXCEPTION: illegal operation (division by zero, ...).
 * @DRM_VSVM_JOB_CANCELED: ended without finishing its work: an in-fence
 *	failed (it never ran), or its file was closed or its device removed
 *	(it never ran, or stopped at a slice boundary). Its fence error is
 *	-ECANCELED, or -ESRCH for a job still queued when its file was
 *	closed.
 */
enum drm_vsvm_job_state {
	DRM_VSVM_JOB_QUEUED = 0,
	DRM_VSVM_JOB_DONE = 1,
	DRM_VSVM_JOB_FAULTED = 2,
	DRM_VSVM_JOB_TIMEOUT = 3,
	DRM_VSVM_JOB_BUDGET = 4,
	DRM_VSVM_JOB_EXCEPTION = 5,
	DRM_VSVM_JOB_CANCELED = 6,
};

/**
 * enum drm_vsvm_fault_reason - why a GPU page fault could not be resolved
 * @DRM_VSVM_FAULT_NONE: no fault.
 * @DRM_VSVM_FAULT_NOT_MIRRORED: address outside every mirror and mapping.
 * @DRM_VSVM_FAULT_NO_VMA: no CPU mapping at the address.
 * @DRM_VSVM_FAULT_ACCESS: the CPU mapping forbids the access (PROT_NONE,
 *	write to a read-only mapping, or a read-only GEM mapping).
 * @DRM_VSVM_FAULT_NOT_PRESENT: snapshot mirror and no CPU page.
 * @DRM_VSVM_FAULT_CPU_FAULT: the CPU fault failed (SIGBUS, OOM).
 * @DRM_VSVM_FAULT_ALIGNMENT: misaligned access (accesses must be
 *	naturally aligned).
 * @DRM_VSVM_FAULT_PROCESS_EXITED: the VM's process is gone.
 * @DRM_VSVM_FAULT_OUT_OF_BOUNDS: an access inside the local or the scratch
 *	window (%DRM_VSVM_ISA_LOCAL_BASE, %DRM_VSVM_ISA_SCRATCH_BASE) beyond the size
 *	the job asked for (uAPI 1.2).
 */
enum drm_vsvm_fault_reason {
	DRM_VSVM_FAULT_NONE = 0,
	DRM_VSVM_FAULT_NOT_MIRRORED = 1,
	DRM_VSVM_FAULT_NO_VMA = 2,
	DRM_VSVM_FAULT_ACCESS = 3,
	DRM_VSVM_FAULT_NOT_PRESENT = 4,
	DRM_VSVM_FAULT_CPU_FAULT = 5,
	DRM_VSVM_FAULT_ALIGNMENT = 6,
	DRM_VSVM_FAULT_PROCESS_EXITED = 7,
	DRM_VSVM_FAULT_OUT_OF_BOUNDS = 8,
};

/**
 * enum drm_vsvm_exception_reason - why a job ended in %DRM_VSVM_JOB_EXCEPTION
 *
 * Reported in &drm_vsvm_job_status.fault_reason when the state is
 * %DRM_VSVM_JOB_EXCEPTION (uAPI 1.2; earlier kernels report 0), with the
 * lane and pc of the offending instruction in @fault_lane and @fault_pc.
 *
 * @DRM_VSVM_EXC_NONE: no reason recorded.
 * @DRM_VSVM_EXC_DIV_ZERO: DIVU, DIVS, REMU or REMS by zero.
 * @DRM_VSVM_EXC_PC_RANGE: the pc left the program (running past the last
 *	instruction, or JR to a target outside it).
 * @DRM_VSVM_EXC_BARRIER_END: a lane executed END while another lane of its
 *	work-group waited at a BARRIER, or a lane executed BARRIER after
 *	another lane of its group had ended; the barrier could never
 *	complete. The lane reported is the one whose instruction was
 *	refused.
 * @DRM_VSVM_EXC_BARRIER_DIVERGENT: lanes of a work-group waited at
 *	different BARRIER instructions (different pc).
 */
enum drm_vsvm_exception_reason {
	DRM_VSVM_EXC_NONE = 0,
	DRM_VSVM_EXC_DIV_ZERO = 1,
	DRM_VSVM_EXC_PC_RANGE = 2,
	DRM_VSVM_EXC_BARRIER_END = 3,
	DRM_VSVM_EXC_BARRIER_DIVERGENT = 4,
};

/* Access types of a fault record. */
/** DRM_VSVM_ACCESS_READ - the faulting access was a load. */
#define DRM_VSVM_ACCESS_READ		1
/** DRM_VSVM_ACCESS_WRITE - the faulting access was a store. */
#define DRM_VSVM_ACCESS_WRITE		2
/** DRM_VSVM_ACCESS_ATOMIC - the faulting access was an atomic. */
#define DRM_VSVM_ACCESS_ATOMIC		3

/**
 * struct drm_vsvm_job_status - argument of DRM_IOCTL_VSVM_JOB_STATUS
 *
 * Reads the state of job @job_id of this file and, if it faulted, its fault
 * record. With %DRM_VSVM_JOB_STATUS_WAIT the call waits up to @timeout_ns
 * for the job to finish (-ETIME if it has not). The kernel keeps the last
 * 4096 job records of a file; older ones read -ENOENT.
 *
 * Errors: -EINVAL (unknown flags, non-zero @pad), -ENOENT, -ETIME, -EINTR.
 */
struct drm_vsvm_job_status {
	/** @job_id: as returned by DRM_IOCTL_VSVM_EXEC. */
	__u32 job_id;
	/** @flags: 0 or %DRM_VSVM_JOB_STATUS_WAIT. */
	__u32 flags;
	/** @timeout_ns: relative timeout of the wait. */
	__u64 timeout_ns;
	/** @state: out, &enum drm_vsvm_job_state. */
	__u32 state;
	/**
	 * @fault_reason: out, &enum drm_vsvm_fault_reason for a FAULTED
	 * job, &enum drm_vsvm_exception_reason for an EXCEPTION.
	 */
	__u32 fault_reason;
	/** @fault_addr: out, the faulting GPU virtual address. */
	__u64 fault_addr;
	/** @fault_access: out, DRM_VSVM_ACCESS_* of the faulting access. */
	__u32 fault_access;
	/** @fault_lane: out, the lane (SR LANE_ID) that faulted. */
	__u32 fault_lane;
	/** @fault_pc: out, instruction index of the faulting access. */
	__u32 fault_pc;
	/** @pad: must be zero. */
	__u32 pad;
	/** @instructions: out, instructions executed by the job. */
	__u64 instructions;
	/** @faults: out, recoverable GPU page faults the job took. */
	__u64 faults;
};

/** DRM_VSVM_JOB_STATUS_WAIT - wait for the job to finish. */
#define DRM_VSVM_JOB_STATUS_WAIT	(1u << 0)

/**
 * enum drm_vsvm_access_policy - what a GPU fault may do with a page
 * @DRM_VSVM_ACCESS_MIGRATE: migrate to the preferred location on fault.
 * @DRM_VSVM_ACCESS_IN_PLACE: map the page where it is, never migrate on
 *	a GPU fault (explicit prefetch still migrates).
 */
enum drm_vsvm_access_policy {
	DRM_VSVM_ACCESS_MIGRATE = 0,
	DRM_VSVM_ACCESS_IN_PLACE = 1,
};

/**
 * struct drm_vsvm_svm_attr - argument of DRM_IOCTL_VSVM_SVM_ATTR_SET/GET
 *
 * Placement attributes of a range of a VM (like amdkfd's SVM attributes or
 * Xe's madvise). SET applies all fields to [@addr, @addr + @range), which
 * must be page aligned and lie in mirrors. GET reads the attributes of the
 * page at @addr and returns in @range the length of the run of pages from
 * @addr (at most the @range given) that share them. Attributes of ranges
 * never set: preferred location %DRM_VSVM_LOCATION_ANY, policy
 * %DRM_VSVM_ACCESS_MIGRATE, granularity 2 MiB, not read-only.
 *
 * Errors: -EINVAL (bad range, unknown location, policy or flags, a
 * granularity that is not a power of two between 4 KiB and 2 MiB, a
 * non-zero @pad), -ENOENT, -EPERM, -ENOMEM.
 */
struct drm_vsvm_svm_attr {
	/** @vm_id: the VM. */
	__u32 vm_id;
	/** @flags: must be zero. */
	__u32 flags;
	/** @addr: first byte, page aligned. */
	__u64 addr;
	/** @range: bytes (in/out for GET). */
	__u64 range;
	/** @preferred_location: a DRM_VSVM_LOCATION_* value. */
	__u32 preferred_location;
	/** @access_policy: &enum drm_vsvm_access_policy. */
	__u32 access_policy;
	/** @granularity: migration granularity in bytes (CPU faults back too). */
	__u64 granularity;
	/**
	 * @read_only: non-zero: hint that the GPU only reads the range
	 * (any non-zero value; SVM_ATTR_GET reports it as 1).
	 */
	__u32 read_only;
	/** @pad: must be zero. */
	__u32 pad;
};

#define DRM_IOCTL_VSVM_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_GET_PARAM, struct drm_vsvm_get_param)
#define DRM_IOCTL_VSVM_VM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_VM_CREATE, struct drm_vsvm_vm_create)
#define DRM_IOCTL_VSVM_VM_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VSVM_VM_DESTROY, struct drm_vsvm_vm_destroy)
#define DRM_IOCTL_VSVM_VM_BIND \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_VM_BIND, struct drm_vsvm_vm_bind)
#define DRM_IOCTL_VSVM_SVM_QUERY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VSVM_SVM_QUERY, struct drm_vsvm_svm_query)
#define DRM_IOCTL_VSVM_GEM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_GEM_CREATE, struct drm_vsvm_gem_create)
#define DRM_IOCTL_VSVM_GEM_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_GEM_MMAP_OFFSET, struct drm_vsvm_gem_mmap_offset)
#define DRM_IOCTL_VSVM_EXEC \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_EXEC, struct drm_vsvm_exec)
#define DRM_IOCTL_VSVM_JOB_STATUS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_JOB_STATUS, struct drm_vsvm_job_status)
#define DRM_IOCTL_VSVM_SVM_ATTR_SET \
	DRM_IOW(DRM_COMMAND_BASE + DRM_VSVM_SVM_ATTR_SET, struct drm_vsvm_svm_attr)
#define DRM_IOCTL_VSVM_SVM_ATTR_GET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VSVM_SVM_ATTR_GET, struct drm_vsvm_svm_attr)

/**
 * DOC: vsvm ISA encoding
 *
 * Every instruction is one little-endian 64-bit word::
 *
 *   bits  0..7   opcode (&enum drm_vsvm_isa_opcode)
 *   bits  8..15  rd   destination register (0..31)
 *   bits 16..23  ra   first source register (0..31)
 *   bits 24..31  rb   second source register (0..31)
 *   bits 32..63  imm  signed 32-bit immediate
 *
 * Fields an opcode does not use must be zero. Branch targets are
 * ``pc + 1 + imm`` and must fall inside the program. Memory operands are
 * ``ra + imm``; accesses must be naturally aligned. Float operations work
 * on IEEE-754 binary32 values held in the low 32 bits of a register (the
 * upper 32 bits of the result are zero).
 *
 * ISA version 3 forms: the conversions %DRM_VSVM_OP_F2S32 .. %DRM_VSVM_OP_U642F
 * take a rounding mode (&enum drm_vsvm_isa_round) in imm; %DRM_VSVM_OP_JAL
 * writes the return pc to rd; %DRM_VSVM_OP_FMA reads rd as its addend.
 */
/*
 * ISA versions: 1, the first; 2 adds %DRM_VSVM_OP_BCOPY; 3 adds work-groups,
 * local and scratch memory, BARRIER, FENCE, JAL/JR and the opcodes from
 * %DRM_VSVM_OP_BARRIER on marked "v3" below. An engine accepts programs of its
 * version and every earlier one.
 */
#define DRM_VSVM_ISA_VERSION		3
#define DRM_VSVM_ISA_NUM_REGS		32

/**
 * DOC: vsvm local and scratch memory
 *
 * Local (per work-group) and scratch (per lane) memory are reached through
 * two fixed address windows of the GPU virtual address space, with the
 * ordinary loads, stores, atomics and BCOPY; they are not part of any VM
 * and no CPU address can name them:
 *
 * - [%DRM_VSVM_ISA_LOCAL_BASE, %DRM_VSVM_ISA_LOCAL_BASE + local_mem_size): the
 *   local memory of the lane's work-group, zeroed when the group starts.
 * - [%DRM_VSVM_ISA_SCRATCH_BASE, %DRM_VSVM_ISA_SCRATCH_BASE + scratch_size): the
 *   scratch memory of the lane; every lane sees its own at the same
 *   addresses. Its content when a lane starts is undefined (it may hold
 *   what an earlier lane of the same job left; never data of another
 *   job).
 *
 * Both bases are sign-extended 32-bit values, so a compiler addresses
 * local or scratch byte *off* with one instruction: ``LI rX, base + off``
 * (imm = (s32)(base + off)), or directly as ``LD32 rd, rZ, base + off``
 * with any register rZ holding 0. Pointer arithmetic works as on global
 * addresses. An access in a window at or beyond the job's size (up to
 * %DRM_VSVM_ISA_WINDOW_SIZE) ends the job with %DRM_VSVM_FAULT_OUT_OF_BOUNDS;
 * alignment rules are those of global memory.
 */
/** DRM_VSVM_ISA_LOCAL_BASE - first byte of the local memory window. */
#define DRM_VSVM_ISA_LOCAL_BASE		0xffffffff80000000ull
/** DRM_VSVM_ISA_SCRATCH_BASE - first byte of the scratch memory window. */
#define DRM_VSVM_ISA_SCRATCH_BASE		0xffffffffc0000000ull
/** DRM_VSVM_ISA_WINDOW_SIZE - size of each window (1 GiB). */
#define DRM_VSVM_ISA_WINDOW_SIZE		0x40000000ull

/**
 * enum drm_vsvm_isa_round - rounding mode in imm of the v3 conversions
 * @DRM_VSVM_ROUND_NEAREST_EVEN: to nearest, ties to even.
 * @DRM_VSVM_ROUND_ZERO: toward zero (truncate).
 * @DRM_VSVM_ROUND_DOWN: toward negative infinity (floor).
 * @DRM_VSVM_ROUND_UP: toward positive infinity (ceil).
 */
enum drm_vsvm_isa_round {
	DRM_VSVM_ROUND_NEAREST_EVEN = 0,
	DRM_VSVM_ROUND_ZERO = 1,
	DRM_VSVM_ROUND_DOWN = 2,
	DRM_VSVM_ROUND_UP = 3,
};

/**
 * enum drm_vsvm_isa_opcode - vsvm ISA opcodes (version 3)
 * @DRM_VSVM_OP_NOP: no operation.
 * @DRM_VSVM_OP_END: the invocation is finished.
 * @DRM_VSVM_OP_MOV: rd = ra.
 * @DRM_VSVM_OP_LI: rd = sign-extended imm.
 * @DRM_VSVM_OP_LIH: rd = (rd & 0xffffffff) | (imm << 32).
 * @DRM_VSVM_OP_SR: rd = special register imm (&enum drm_vsvm_isa_sreg).
 * @DRM_VSVM_OP_BARRIER: v3, no operands: wait until every lane of the
 *	work-group has reached this BARRIER; also a FENCE.
 * @DRM_VSVM_OP_FENCE: v3, no operands: full memory fence (local and global).
 * @DRM_VSVM_OP_ADD: rd = ra + rb.
 * @DRM_VSVM_OP_SUB: rd = ra - rb.
 * @DRM_VSVM_OP_MUL: rd = ra * rb (low 64 bits).
 * @DRM_VSVM_OP_DIVU: rd = ra / rb unsigned (exception if rb == 0).
 * @DRM_VSVM_OP_DIVS: rd = ra / rb signed (exception if rb == 0).
 * @DRM_VSVM_OP_REMU: rd = ra % rb unsigned (exception if rb == 0).
 * @DRM_VSVM_OP_AND: rd = ra & rb.
 * @DRM_VSVM_OP_OR: rd = ra | rb.
 * @DRM_VSVM_OP_XOR: rd = ra ^ rb.
 * @DRM_VSVM_OP_SHL: rd = ra << (rb & 63).
 * @DRM_VSVM_OP_SHR: rd = ra >> (rb & 63), logical.
 * @DRM_VSVM_OP_SAR: rd = ra >> (rb & 63), arithmetic.
 * @DRM_VSVM_OP_SLT: rd = (s64)ra < (s64)rb.
 * @DRM_VSVM_OP_SLTU: rd = ra < rb unsigned.
 * @DRM_VSVM_OP_SEQ: rd = ra == rb.
 * @DRM_VSVM_OP_ADD32: rd = zero-extended (u32)(ra + rb).
 * @DRM_VSVM_OP_SUB32: rd = zero-extended (u32)(ra - rb).
 * @DRM_VSVM_OP_MUL32: rd = zero-extended (u32)(ra * rb).
 * @DRM_VSVM_OP_REMS: v3, rd = (s64)ra % (s64)rb, sign of ra (exception if
 *	rb == 0; INT64_MIN % -1 = 0).
 * @DRM_VSVM_OP_ADDI: rd = ra + imm.
 * @DRM_VSVM_OP_MULI: rd = ra * imm.
 * @DRM_VSVM_OP_ANDI: rd = ra & imm.
 * @DRM_VSVM_OP_ORI: rd = ra | imm.
 * @DRM_VSVM_OP_XORI: rd = ra ^ imm.
 * @DRM_VSVM_OP_SHLI: rd = ra << (imm & 63).
 * @DRM_VSVM_OP_SHRI: rd = ra >> (imm & 63), logical.
 * @DRM_VSVM_OP_SARI: rd = ra >> (imm & 63), arithmetic.
 * @DRM_VSVM_OP_SEXT32: rd = sign-extended low 32 bits of ra.
 * @DRM_VSVM_OP_ZEXT32: rd = zero-extended low 32 bits of ra.
 * @DRM_VSVM_OP_JMP: pc = pc + 1 + imm.
 * @DRM_VSVM_OP_BEQ: branch if ra == rb.
 * @DRM_VSVM_OP_BNE: branch if ra != rb.
 * @DRM_VSVM_OP_BLT: branch if (s64)ra < (s64)rb.
 * @DRM_VSVM_OP_BGE: branch if (s64)ra >= (s64)rb.
 * @DRM_VSVM_OP_BLTU: branch if ra < rb unsigned.
 * @DRM_VSVM_OP_BGEU: branch if ra >= rb unsigned.
 * @DRM_VSVM_OP_JR: v3, jump to the absolute instruction index in ra
 *	(exception %DRM_VSVM_EXC_PC_RANGE if outside the program).
 * @DRM_VSVM_OP_JAL: v3, rd = pc + 1, then pc = pc + 1 + imm (call).
 * @DRM_VSVM_OP_LD8: rd = zero-extended u8 at [ra + imm].
 * @DRM_VSVM_OP_LD16: rd = zero-extended u16 at [ra + imm].
 * @DRM_VSVM_OP_LD32: rd = zero-extended u32 at [ra + imm].
 * @DRM_VSVM_OP_LD64: rd = u64 at [ra + imm].
 * @DRM_VSVM_OP_LDS8: rd = sign-extended s8 at [ra + imm].
 * @DRM_VSVM_OP_LDS16: rd = sign-extended s16 at [ra + imm].
 * @DRM_VSVM_OP_LDS32: rd = sign-extended s32 at [ra + imm].
 * @DRM_VSVM_OP_ST8: u8 at [ra + imm] = rb.
 * @DRM_VSVM_OP_ST16: u16 at [ra + imm] = rb.
 * @DRM_VSVM_OP_ST32: u32 at [ra + imm] = rb.
 * @DRM_VSVM_OP_ST64: u64 at [ra + imm] = rb.
 * @DRM_VSVM_OP_AADD32: atomically u32 [ra + imm] += rb; rd = old value.
 * @DRM_VSVM_OP_AADD64: atomically u64 [ra + imm] += rb; rd = old value.
 * @DRM_VSVM_OP_AXCHG32: atomically exchange u32 [ra + imm] with rb; rd = old.
 * @DRM_VSVM_OP_AXCHG64: atomically exchange u64 [ra + imm] with rb; rd = old.
 * @DRM_VSVM_OP_ACMPXCHG32: atomically if u32 [ra + imm] == rd then store rb;
 *	rd = old value.
 * @DRM_VSVM_OP_ACMPXCHG64: the same on u64.
 * @DRM_VSVM_OP_AMIN32: atomic signed minimum on s32; rd = old.
 * @DRM_VSVM_OP_AMAX32: atomic signed maximum on s32; rd = old.
 * @DRM_VSVM_OP_AMIN64: atomic signed minimum on s64; rd = old.
 * @DRM_VSVM_OP_AMAX64: atomic signed maximum on s64; rd = old.
 * @DRM_VSVM_OP_AMINU64: atomic unsigned minimum on u64; rd = old.
 * @DRM_VSVM_OP_AMAXU64: atomic unsigned maximum on u64; rd = old.
 * @DRM_VSVM_OP_BCOPY: block copy (ISA version 2): copy rb bytes from [ra] to
 *	[rd], any alignment. It runs in steps, each copying up to the next
 *	4 KiB page boundary of the source or the destination and then
 *	setting rd += n, ra += n, rb -= n (in that order); the pc moves on
 *	when rb is zero (rb = 0 copies nothing). Each step counts as one
 *	instruction of the budget. A fault stops the lane between steps with
 *	the registers describing what is left, so the copy resumes where it
 *	stopped once the fault is serviced. Each step copies as memmove()
 *	does; overlapping ranges are copied step by step from low to high
 *	addresses.
 * @DRM_VSVM_OP_FADD: rd = ra + rb (binary32).
 * @DRM_VSVM_OP_FSUB: rd = ra - rb (binary32).
 * @DRM_VSVM_OP_FMUL: rd = ra * rb (binary32).
 * @DRM_VSVM_OP_FDIV: rd = ra / rb (binary32).
 * @DRM_VSVM_OP_FMIN: rd = min(ra, rb) (binary32).
 * @DRM_VSVM_OP_FMAX: rd = max(ra, rb) (binary32).
 * @DRM_VSVM_OP_FLT: rd = ra < rb (binary32 compare, 0 or 1).
 * @DRM_VSVM_OP_FEQ: rd = ra == rb (binary32 compare, 0 or 1).
 * @DRM_VSVM_OP_I2F: rd = (float)(s32)ra.
 * @DRM_VSVM_OP_F2I: rd = sign-extended (s32)ra, truncated toward zero.
 * @DRM_VSVM_OP_FMA: v3, rd = ra * rb + rd with a single rounding (binary32).
 * @DRM_VSVM_OP_FSQRT: v3, rd = sqrt(ra), correctly rounded (binary32).
 * @DRM_VSVM_OP_FABS: v3, rd = ra with the sign bit cleared (binary32).
 * @DRM_VSVM_OP_FNEG: v3, rd = ra with the sign bit flipped (binary32).
 * @DRM_VSVM_OP_F2S32: v3, rd = sign-extended (s32)ra rounded by imm,
 *	saturated, NaN gives 0.
 * @DRM_VSVM_OP_F2U32: v3, rd = zero-extended (u32)ra rounded by imm,
 *	saturated, NaN gives 0.
 * @DRM_VSVM_OP_F2S64: v3, rd = (s64)ra rounded by imm, saturated, NaN gives 0.
 * @DRM_VSVM_OP_F2U64: v3, rd = (u64)ra rounded by imm, saturated, NaN gives 0.
 * @DRM_VSVM_OP_S322F: v3, rd = binary32 of (s32)ra rounded by imm.
 * @DRM_VSVM_OP_U322F: v3, rd = binary32 of (u32)ra rounded by imm.
 * @DRM_VSVM_OP_S642F: v3, rd = binary32 of (s64)ra rounded by imm.
 * @DRM_VSVM_OP_U642F: v3, rd = binary32 of (u64)ra rounded by imm.
 * @DRM_VSVM_OP_AAND32: v3, atomic u32 [ra + imm] &= rb; rd = old.
 * @DRM_VSVM_OP_AAND64: v3, atomic u64 [ra + imm] &= rb; rd = old.
 * @DRM_VSVM_OP_AOR32: v3, atomic u32 [ra + imm] |= rb; rd = old.
 * @DRM_VSVM_OP_AOR64: v3, atomic u64 [ra + imm] |= rb; rd = old.
 * @DRM_VSVM_OP_AXOR32: v3, atomic u32 [ra + imm] ^= rb; rd = old.
 * @DRM_VSVM_OP_AXOR64: v3, atomic u64 [ra + imm] ^= rb; rd = old.
 * @DRM_VSVM_OP_AMINU32: v3, atomic unsigned minimum on u32; rd = old.
 * @DRM_VSVM_OP_AMAXU32: v3, atomic unsigned maximum on u32; rd = old.
 * @DRM_VSVM_OP_COUNT: number of opcodes (not an opcode).
 */
enum drm_vsvm_isa_opcode {
	DRM_VSVM_OP_NOP = 0x00,
	DRM_VSVM_OP_END = 0x01,
	DRM_VSVM_OP_MOV = 0x02,
	DRM_VSVM_OP_LI = 0x03,
	DRM_VSVM_OP_LIH = 0x04,
	DRM_VSVM_OP_SR = 0x05,
	DRM_VSVM_OP_BARRIER = 0x06,
	DRM_VSVM_OP_FENCE = 0x07,

	DRM_VSVM_OP_ADD = 0x10,
	DRM_VSVM_OP_SUB = 0x11,
	DRM_VSVM_OP_MUL = 0x12,
	DRM_VSVM_OP_DIVU = 0x13,
	DRM_VSVM_OP_DIVS = 0x14,
	DRM_VSVM_OP_REMU = 0x15,
	DRM_VSVM_OP_AND = 0x16,
	DRM_VSVM_OP_OR = 0x17,
	DRM_VSVM_OP_XOR = 0x18,
	DRM_VSVM_OP_SHL = 0x19,
	DRM_VSVM_OP_SHR = 0x1a,
	DRM_VSVM_OP_SAR = 0x1b,
	DRM_VSVM_OP_SLT = 0x1c,
	DRM_VSVM_OP_SLTU = 0x1d,
	DRM_VSVM_OP_SEQ = 0x1e,
	DRM_VSVM_OP_ADD32 = 0x1f,
	DRM_VSVM_OP_SUB32 = 0x20,
	DRM_VSVM_OP_MUL32 = 0x21,
	DRM_VSVM_OP_REMS = 0x22,

	DRM_VSVM_OP_ADDI = 0x28,
	DRM_VSVM_OP_MULI = 0x29,
	DRM_VSVM_OP_ANDI = 0x2a,
	DRM_VSVM_OP_ORI = 0x2b,
	DRM_VSVM_OP_XORI = 0x2c,
	DRM_VSVM_OP_SHLI = 0x2d,
	DRM_VSVM_OP_SHRI = 0x2e,
	DRM_VSVM_OP_SARI = 0x2f,
	DRM_VSVM_OP_SEXT32 = 0x30,
	DRM_VSVM_OP_ZEXT32 = 0x31,

	DRM_VSVM_OP_JR = 0x37,
	DRM_VSVM_OP_JMP = 0x38,
	DRM_VSVM_OP_BEQ = 0x39,
	DRM_VSVM_OP_BNE = 0x3a,
	DRM_VSVM_OP_BLT = 0x3b,
	DRM_VSVM_OP_BGE = 0x3c,
	DRM_VSVM_OP_BLTU = 0x3d,
	DRM_VSVM_OP_BGEU = 0x3e,
	DRM_VSVM_OP_JAL = 0x3f,

	DRM_VSVM_OP_LD8 = 0x40,
	DRM_VSVM_OP_LD16 = 0x41,
	DRM_VSVM_OP_LD32 = 0x42,
	DRM_VSVM_OP_LD64 = 0x43,
	DRM_VSVM_OP_LDS8 = 0x44,
	DRM_VSVM_OP_LDS16 = 0x45,
	DRM_VSVM_OP_LDS32 = 0x46,
	DRM_VSVM_OP_ST8 = 0x48,
	DRM_VSVM_OP_ST16 = 0x49,
	DRM_VSVM_OP_ST32 = 0x4a,
	DRM_VSVM_OP_ST64 = 0x4b,

	DRM_VSVM_OP_AADD32 = 0x50,
	DRM_VSVM_OP_AADD64 = 0x51,
	DRM_VSVM_OP_AXCHG32 = 0x52,
	DRM_VSVM_OP_AXCHG64 = 0x53,
	DRM_VSVM_OP_ACMPXCHG32 = 0x54,
	DRM_VSVM_OP_ACMPXCHG64 = 0x55,
	DRM_VSVM_OP_AMIN32 = 0x56,
	DRM_VSVM_OP_AMAX32 = 0x57,
	DRM_VSVM_OP_AMIN64 = 0x58,
	DRM_VSVM_OP_AMAX64 = 0x59,
	DRM_VSVM_OP_AMINU64 = 0x5a,
	DRM_VSVM_OP_AMAXU64 = 0x5b,
	DRM_VSVM_OP_BCOPY = 0x5c,

	DRM_VSVM_OP_FADD = 0x60,
	DRM_VSVM_OP_FSUB = 0x61,
	DRM_VSVM_OP_FMUL = 0x62,
	DRM_VSVM_OP_FDIV = 0x63,
	DRM_VSVM_OP_FMIN = 0x64,
	DRM_VSVM_OP_FMAX = 0x65,
	DRM_VSVM_OP_FLT = 0x66,
	DRM_VSVM_OP_FEQ = 0x67,
	DRM_VSVM_OP_I2F = 0x68,
	DRM_VSVM_OP_F2I = 0x69,
	DRM_VSVM_OP_FMA = 0x6a,
	DRM_VSVM_OP_FSQRT = 0x6b,
	DRM_VSVM_OP_FABS = 0x6c,
	DRM_VSVM_OP_FNEG = 0x6d,

	DRM_VSVM_OP_F2S32 = 0x70,
	DRM_VSVM_OP_F2U32 = 0x71,
	DRM_VSVM_OP_F2S64 = 0x72,
	DRM_VSVM_OP_F2U64 = 0x73,
	DRM_VSVM_OP_S322F = 0x74,
	DRM_VSVM_OP_U322F = 0x75,
	DRM_VSVM_OP_S642F = 0x76,
	DRM_VSVM_OP_U642F = 0x77,

	DRM_VSVM_OP_AAND32 = 0x78,
	DRM_VSVM_OP_AAND64 = 0x79,
	DRM_VSVM_OP_AOR32 = 0x7a,
	DRM_VSVM_OP_AOR64 = 0x7b,
	DRM_VSVM_OP_AXOR32 = 0x7c,
	DRM_VSVM_OP_AXOR64 = 0x7d,
	DRM_VSVM_OP_AMINU32 = 0x7e,
	DRM_VSVM_OP_AMAXU32 = 0x7f,

	DRM_VSVM_OP_COUNT = 0x80,
};

/**
 * enum drm_vsvm_isa_sreg - special registers read by %DRM_VSVM_OP_SR
 *
 * Ids: in a work-group job, for dimension d (X = 0, Y = 1, Z = 2),
 * GLOBAL_ID_d = GLOBAL_OFFSET_d + GROUP_ID_d * GROUP_SIZE_d + LOCAL_ID_d;
 * linear ids count x fastest: LOCAL_LINEAR_ID = x + y * size_x +
 * z * size_x * size_y, GROUP_LINEAR_ID likewise over the grid, and
 * LANE_ID = GROUP_LINEAR_ID * GROUP_LANES + LOCAL_LINEAR_ID. A flat job
 * reads as a grid of LANE_COUNT groups of one lane (see &drm_vsvm_exec).
 *
 * @DRM_VSVM_SREG_LANE_ID: linear index of this lane in the job, 0..LANE_COUNT-1.
 * @DRM_VSVM_SREG_LANE_COUNT: number of lanes of the job.
 * @DRM_VSVM_SREG_ENGINE_ID: engine the lane runs on.
 * @DRM_VSVM_SREG_DEVICE_ID: index of the device.
 * @DRM_VSVM_SREG_LOCAL_ID_X: v3, lane's index in its work-group, x.
 * @DRM_VSVM_SREG_LOCAL_ID_Y: v3, the same in y.
 * @DRM_VSVM_SREG_LOCAL_ID_Z: v3, the same in z.
 * @DRM_VSVM_SREG_GROUP_ID_X: v3, index of the work-group in the grid, x.
 * @DRM_VSVM_SREG_GROUP_ID_Y: v3, the same in y.
 * @DRM_VSVM_SREG_GROUP_ID_Z: v3, the same in z.
 * @DRM_VSVM_SREG_GROUP_SIZE_X: v3, &drm_vsvm_exec.group_size[0] (1 if flat).
 * @DRM_VSVM_SREG_GROUP_SIZE_Y: v3, group_size[1] (1 if flat).
 * @DRM_VSVM_SREG_GROUP_SIZE_Z: v3, group_size[2] (1 if flat).
 * @DRM_VSVM_SREG_GROUP_COUNT_X: v3, &drm_vsvm_exec.group_count[0]
 *	(LANE_COUNT if flat).
 * @DRM_VSVM_SREG_GROUP_COUNT_Y: v3, group_count[1] (1 if flat).
 * @DRM_VSVM_SREG_GROUP_COUNT_Z: v3, group_count[2] (1 if flat).
 * @DRM_VSVM_SREG_GLOBAL_OFFSET_X: v3, &drm_vsvm_exec.global_offset[0].
 * @DRM_VSVM_SREG_GLOBAL_OFFSET_Y: v3, global_offset[1].
 * @DRM_VSVM_SREG_GLOBAL_OFFSET_Z: v3, global_offset[2].
 * @DRM_VSVM_SREG_GLOBAL_ID_X: v3, global id in x (see above).
 * @DRM_VSVM_SREG_GLOBAL_ID_Y: v3, global id in y.
 * @DRM_VSVM_SREG_GLOBAL_ID_Z: v3, global id in z.
 * @DRM_VSVM_SREG_LOCAL_LINEAR_ID: v3, linear index of the lane in its group.
 * @DRM_VSVM_SREG_GROUP_LINEAR_ID: v3, linear index of the group in the grid.
 * @DRM_VSVM_SREG_GROUP_LANES: v3, lanes per work-group (product of sizes).
 * @DRM_VSVM_SREG_LOCAL_MEM_SIZE: v3, &drm_vsvm_exec.local_mem_size.
 * @DRM_VSVM_SREG_SCRATCH_SIZE: v3, &drm_vsvm_exec.scratch_size.
 * @DRM_VSVM_SREG_COUNT: number of special registers (not one).
 */
enum drm_vsvm_isa_sreg {
	DRM_VSVM_SREG_LANE_ID = 0,
	DRM_VSVM_SREG_LANE_COUNT = 1,
	DRM_VSVM_SREG_ENGINE_ID = 2,
	DRM_VSVM_SREG_DEVICE_ID = 3,
	DRM_VSVM_SREG_LOCAL_ID_X = 4,
	DRM_VSVM_SREG_LOCAL_ID_Y = 5,
	DRM_VSVM_SREG_LOCAL_ID_Z = 6,
	DRM_VSVM_SREG_GROUP_ID_X = 7,
	DRM_VSVM_SREG_GROUP_ID_Y = 8,
	DRM_VSVM_SREG_GROUP_ID_Z = 9,
	DRM_VSVM_SREG_GROUP_SIZE_X = 10,
	DRM_VSVM_SREG_GROUP_SIZE_Y = 11,
	DRM_VSVM_SREG_GROUP_SIZE_Z = 12,
	DRM_VSVM_SREG_GROUP_COUNT_X = 13,
	DRM_VSVM_SREG_GROUP_COUNT_Y = 14,
	DRM_VSVM_SREG_GROUP_COUNT_Z = 15,
	DRM_VSVM_SREG_GLOBAL_OFFSET_X = 16,
	DRM_VSVM_SREG_GLOBAL_OFFSET_Y = 17,
	DRM_VSVM_SREG_GLOBAL_OFFSET_Z = 18,
	DRM_VSVM_SREG_GLOBAL_ID_X = 19,
	DRM_VSVM_SREG_GLOBAL_ID_Y = 20,
	DRM_VSVM_SREG_GLOBAL_ID_Z = 21,
	DRM_VSVM_SREG_LOCAL_LINEAR_ID = 22,
	DRM_VSVM_SREG_GROUP_LINEAR_ID = 23,
	DRM_VSVM_SREG_GROUP_LANES = 24,
	DRM_VSVM_SREG_LOCAL_MEM_SIZE = 25,
	DRM_VSVM_SREG_SCRATCH_SIZE = 26,
	DRM_VSVM_SREG_COUNT = 27,
};

#if defined(__cplusplus)
}
#endif

#endif /* _VSVM_DRM_H_ */
