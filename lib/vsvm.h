/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The vsvm authors
 *
 * libvsvm - userspace library for the vsvm DRM driver.
 *
 * Conventions shared by every function:
 *
 * - Functions returning int return 0 (or a non-negative count) on success
 *   and a negative errno on failure; vsvm_strerror() turns it into text.
 * - Output parameters are written only on success.
 * - The library has no global state: everything lives in the caller's
 *   file descriptor or in the structures the caller passes in.
 * - Every ioctl goes through libdrm's drmIoctl() (restarted on EINTR and
 *   EAGAIN).
 *
 * Stable ABI (libvsvm.so.2): no kernel struct crosses the library boundary
 * by size. Functions take scalars, or structs the library owns
 * (&struct vsvm_exec_args, &struct vsvm_bind_op, &struct vsvm_sync,
 * &struct vsvm_svm_attr, &struct vsvm_job_status). Such a struct only ever
 * grows at its end, and every function taking one is a macro passing
 * ``sizeof`` of the struct as the application was compiled: the library
 * reads and writes only that many bytes (fields beyond it read as zero), so
 * an application built against an older vsvm.h keeps working with a newer
 * library, and the library maps them onto whatever the kernel's uAPI is.
 * vsvm_drm.h is included for its constants (params, flags, enums) only.
 *
 * Build flags: -I<dir of this header> -I<dir of vsvm_drm.h> plus
 * `pkg-config --cflags libdrm` (the uAPI header includes libdrm's "drm.h"),
 * or simply `pkg-config --cflags --libs vsvm`.
 */
#ifndef LIBVSVM_VSVM_H
#define LIBVSVM_VSVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vsvm_drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/** Version of this library: (major << 16) | minor. */
#define VSVM_LIB_VERSION	((2 << 16) | 0)

/** vsvm_va() - a CPU pointer as a GPU virtual address (they are equal). */
static inline uint64_t vsvm_va(const void *ptr)
{
	return (uint64_t)(uintptr_t)ptr;
}

/* ------------------------------------------------------------------------
 * Errors and names
 */

/**
 * vsvm_strerror() - describe an error returned by this library
 * @err: a negative errno (a positive one is accepted too).
 *
 * The text is the C library's description followed by what the error
 * means for vsvm ioctls, e.g. "No such file or directory (vsvm: unknown
 * VM, GEM handle, job or range)". Returns a static string; never NULL.
 */
const char *vsvm_strerror(int err);

/** vsvm_job_state_str() - name of an &enum drm_vsvm_job_state ("done"). */
const char *vsvm_job_state_str(uint32_t state);

/** vsvm_fault_reason_str() - name of an &enum drm_vsvm_fault_reason. */
const char *vsvm_fault_reason_str(uint32_t reason);

/** vsvm_exception_reason_str() - name of an &enum drm_vsvm_exception_reason. */
const char *vsvm_exception_reason_str(uint32_t reason);

/** vsvm_page_status_str() - name of an &enum drm_vsvm_page_status. */
const char *vsvm_page_status_str(uint32_t status);

/** vsvm_access_str() - name of a DRM_VSVM_ACCESS_* value ("read"). */
const char *vsvm_access_str(uint32_t access);

/* ------------------------------------------------------------------------
 * Devices
 */

/**
 * vsvm_device_count() - number of vsvm devices with a render node
 *
 * Devices are found with drmGetDevices2() (vsvm devices are platform
 * devices, bus %DRM_BUS_PLATFORM) completed by a scan of the render nodes
 * in /dev/dri, because libdrm folds platform devices of the same name
 * into one; a node belongs to vsvm if drmGetVersion() names "vsvm".
 *
 * Return: the count (0 when there is none), or a negative errno.
 */
int vsvm_device_count(void);

/**
 * vsvm_open() - open the render node of a vsvm device
 * @index: position of the device among vsvm devices sorted by their
 *	%DRM_VSVM_PARAM_DEVICE_INDEX (normally equal to that index).
 * @fd: out, the file descriptor (O_RDWR | O_CLOEXEC); close() it.
 *
 * Return: 0, -ENODEV if there is no such device, or another negative errno.
 */
int vsvm_open(int index, int *fd);

/**
 * struct vsvm_device - an open vsvm device (opaque)
 *
 * Owns the render node's file descriptor and what the library reads of the
 * device once (its parameters). The functions below that take an ``int fd``
 * work on vsvm_device_fd() of a handle, or on any vsvm file descriptor.
 */
struct vsvm_device;

/**
 * vsvm_device_open() - open vsvm device @index (as vsvm_open())
 * @dev: out, the handle; release it with vsvm_device_close().
 *
 * Return: 0, -ENODEV if there is no such device, or a negative errno.
 */
int vsvm_device_open(int index, struct vsvm_device **dev);

/**
 * vsvm_device_from_fd() - a handle on a vsvm file descriptor the caller
 * keeps (vsvm_device_close() does not close it)
 *
 * Return: 0, -ENODEV if @fd is not a vsvm device, or a negative errno.
 */
int vsvm_device_from_fd(int fd, struct vsvm_device **dev);

/** vsvm_device_close() - release a handle (NULL is ignored). */
void vsvm_device_close(struct vsvm_device *dev);

/** vsvm_device_fd() - the file descriptor of a handle. */
int vsvm_device_fd(const struct vsvm_device *dev);

/**
 * vsvm_device_param() - a device parameter read when the handle was made
 * @param: an &enum drm_vsvm_param the kernel knows.
 * @value: out, its value.
 *
 * Return: 0, or -EINVAL for a parameter the kernel did not report.
 */
int vsvm_device_param(const struct vsvm_device *dev, uint32_t param,
		      uint64_t *value);

/**
 * vsvm_get_param() - read a device parameter (DRM_IOCTL_VSVM_GET_PARAM)
 * @fd: vsvm file descriptor.
 * @param: an &enum drm_vsvm_param.
 * @value: out, the value.
 */
int vsvm_get_param(int fd, uint32_t param, uint64_t *value);

/* ------------------------------------------------------------------------
 * VMs and binding
 */

/**
 * vsvm_vm_create() - create a GPU VM bound to the calling process
 * @fd: vsvm file descriptor.
 * @unmanaged_start: start of the GEM window (2 MiB aligned), or 0.
 * @unmanaged_size: size of the GEM window, 0 for none.
 * @vm_id: out, the VM id.
 */
int vsvm_vm_create(int fd, uint64_t unmanaged_start, uint64_t unmanaged_size,
		   uint32_t *vm_id);

/** vsvm_vm_destroy() - destroy a VM once its queued jobs have finished. */
int vsvm_vm_destroy(int fd, uint32_t vm_id);

/**
 * struct vsvm_sync - one wait or signal operation on a syncobj (EXEC, VM_BIND)
 * @handle: the syncobj.
 * @flags: 0 to wait, %VSVM_SYNC_SIGNAL to signal.
 * @point: 0 for a binary syncobj, else the timeline point to wait for or
 *	to signal.
 */
struct vsvm_sync {
	uint32_t handle;
	uint32_t flags;
	uint64_t point;
};

/** VSVM_SYNC_SIGNAL - &struct vsvm_sync flag: signal rather than wait. */
#define VSVM_SYNC_SIGNAL	DRM_VSVM_SYNC_SIGNAL

/**
 * struct vsvm_bind_op - one operation of vsvm_vm_bind()
 * @op: an &enum drm_vsvm_bind_op_type.
 * @flags: DRM_VSVM_BIND_* flags valid for @op.
 * @addr: GPU virtual address (== CPU address for mirror operations).
 * @range: size in bytes.
 * @handle: GEM handle for MAP, else 0.
 * @location: PREFETCH: DRM_VSVM_LOCATION_*, else 0.
 * @bo_offset: offset in the GEM object for MAP, else 0.
 * @status: PREFETCH: NULL or one byte per page receiving an
 *	&enum drm_vsvm_page_status.
 * @pages_done: out, PREFETCH: pages made resident.
 * @pages_failed: out, PREFETCH: pages that could not be.
 */
struct vsvm_bind_op {
	uint32_t op;
	uint32_t flags;
	uint64_t addr;
	uint64_t range;
	uint32_t handle;
	uint32_t location;
	uint64_t bo_offset;
	uint8_t *status;
	uint64_t pages_done;
	uint64_t pages_failed;
};

/**
 * vsvm_vm_bind_sync() - run bind operations with sync operations
 *	(DRM_IOCTL_VSVM_VM_BIND)
 * @fd: vsvm file descriptor.
 * @vm_id: the VM.
 * @ops: @count operations; output fields are written back.
 * @count: 1..256.
 * @syncs: @sync_count operations: the binds wait for the fences of the
 *	wait operations first; the signal operations are signalled when every
 *	bind has succeeded. May be NULL when @sync_count is 0.
 * @sync_count: 0..%DRM_VSVM_MAX_SYNCS.
 * @done: out (may be NULL), operations that took effect. Written on error
 *	too: a run-time failure of op N leaves ops 0..N-1 done.
 */
#define vsvm_vm_bind_sync(fd, vm_id, ops, count, syncs, sync_count, done) \
	vsvm_vm_bind_sized(fd, vm_id, ops, count, sizeof(*(ops)), syncs,  \
			   sync_count, sizeof(struct vsvm_sync), done)

/** vsvm_vm_bind() - vsvm_vm_bind_sync() without sync operations. */
#define vsvm_vm_bind(fd, vm_id, ops, count, done) \
	vsvm_vm_bind_sized(fd, vm_id, ops, count, sizeof(*(ops)), NULL, 0, \
			   sizeof(struct vsvm_sync), done)

/* The function behind vsvm_vm_bind(): @op_size and @sync_size as compiled. */
int vsvm_vm_bind_sized(int fd, uint32_t vm_id, struct vsvm_bind_op *ops,
		       uint32_t count, size_t op_size,
		       const struct vsvm_sync *syncs, uint32_t sync_count,
		       size_t sync_size, uint32_t *done);

/**
 * vsvm_mirror() - mirror the CPU range [@addr, @addr + @size) in the VM
 * @flags: 0 or %DRM_VSVM_BIND_SNAPSHOT.
 *
 * @addr and @size must be page aligned (see vsvm_page_align()).
 */
int vsvm_mirror(int fd, uint32_t vm_id, uint64_t addr, uint64_t size,
		uint32_t flags);

/** vsvm_unmirror() - stop mirroring exactly a range given to vsvm_mirror(). */
int vsvm_unmirror(int fd, uint32_t vm_id, uint64_t addr, uint64_t size);

/**
 * vsvm_map() - map GEM object @handle at @offset into the unmanaged window
 * @flags: 0 or %DRM_VSVM_BIND_READONLY.
 */
int vsvm_map(int fd, uint32_t vm_id, uint64_t addr, uint64_t size,
	     uint32_t handle, uint64_t offset, uint32_t flags);

/** vsvm_unmap() - unmap exactly a range given to vsvm_map(). */
int vsvm_unmap(int fd, uint32_t vm_id, uint64_t addr, uint64_t size);

/**
 * vsvm_prefetch() - make a mirrored range resident for the GPU now, where
 * its pages are (vsvm_prefetch_to() with %DRM_VSVM_LOCATION_ANY)
 * @flags: 0 or %DRM_VSVM_BIND_SNAPSHOT.
 * @status: NULL, or one byte per page of @size receiving an
 *	&enum drm_vsvm_page_status.
 * @pages_done: out (may be NULL), pages made resident.
 * @pages_failed: out (may be NULL), pages that could not be.
 */
int vsvm_prefetch(int fd, uint32_t vm_id, uint64_t addr, uint64_t size,
		  uint32_t flags, uint8_t *status, uint64_t *pages_done,
		  uint64_t *pages_failed);

/**
 * vsvm_prefetch_to() - prefetch and migrate a mirrored range (uAPI 1.1)
 * @location: %DRM_VSVM_LOCATION_ANY, %DRM_VSVM_LOCATION_SYSTEM or
 *	DRM_VSVM_LOCATION_DEVICE(device index) for that device's VRAM.
 *
 * As vsvm_prefetch(); pages that cannot move report
 * %DRM_VSVM_PAGE_NO_VRAM, %DRM_VSVM_PAGE_NOT_MIGRATABLE or
 * %DRM_VSVM_PAGE_BUSY in @status. -EINVAL if the location has no VRAM.
 */
int vsvm_prefetch_to(int fd, uint32_t vm_id, uint64_t addr, uint64_t size,
		     uint32_t flags, uint32_t location, uint8_t *status,
		     uint64_t *pages_done, uint64_t *pages_failed);

/**
 * struct vsvm_svm_attr - placement attributes of a range (SVM_ATTR_SET/GET)
 * @vm_id: the VM.
 * @flags: DRM_VSVM_ATTR_* flags (%DRM_VSVM_ATTR_READ_ONLY).
 * @addr: first byte, page aligned.
 * @range: bytes (in/out for GET).
 * @preferred_location: a DRM_VSVM_LOCATION_* value.
 * @access_policy: an &enum drm_vsvm_access_policy.
 * @granularity: migration granularity in bytes.
 */
struct vsvm_svm_attr {
	uint32_t vm_id;
	uint32_t flags;
	uint64_t addr;
	uint64_t range;
	uint32_t preferred_location;
	uint32_t access_policy;
	uint64_t granularity;
};

/**
 * vsvm_svm_attr_set() - set placement attributes (DRM_IOCTL_VSVM_SVM_ATTR_SET)
 * @attr: a &struct vsvm_svm_attr: vm_id, addr, range and the attributes to
 *	apply.
 */
#define vsvm_svm_attr_set(fd, attr) \
	vsvm_svm_attr_set_sized(fd, attr, sizeof(*(attr)))
int vsvm_svm_attr_set_sized(int fd, const struct vsvm_svm_attr *attr,
			    size_t size);

/**
 * vsvm_svm_attr_get() - read placement attributes (DRM_IOCTL_VSVM_SVM_ATTR_GET)
 * @attr: a &struct vsvm_svm_attr; in: vm_id, addr, range; out: the
 *	attributes of the page at addr and in range the length of the run of
 *	pages sharing them.
 */
#define vsvm_svm_attr_get(fd, attr) \
	vsvm_svm_attr_get_sized(fd, attr, sizeof(*(attr)))
int vsvm_svm_attr_get_sized(int fd, struct vsvm_svm_attr *attr, size_t size);

/**
 * vsvm_svm_query() - the device's view of @npages pages from @addr
 * @flags: out, @npages DRM_VSVM_QUERY_* words.
 */
int vsvm_svm_query(int fd, uint32_t vm_id, uint64_t addr, uint64_t npages,
		   uint32_t *flags);

/**
 * vsvm_svm_query_locations() - vsvm_svm_query() and where each page lives
 * @flags: out, @npages DRM_VSVM_QUERY_* words.
 * @locations: out, @npages DRM_VSVM_LOCATION_* values:
 *	%DRM_VSVM_LOCATION_SYSTEM, DRM_VSVM_LOCATION_DEVICE(n) for the VRAM of
 *	device n, %DRM_VSVM_LOCATION_ANY for a page the GPU does not map.
 */
int vsvm_svm_query_locations(int fd, uint32_t vm_id, uint64_t addr,
			     uint64_t npages, uint32_t *flags,
			     uint32_t *locations);

/** vsvm_page_size() - the CPU page size. */
size_t vsvm_page_size(void);

/* ------------------------------------------------------------------------
 * GEM buffers
 */

/** vsvm_gem_create() - create a shmem GEM object of @size bytes. */
int vsvm_gem_create(int fd, uint64_t size, uint32_t *handle);

/**
 * vsvm_gem_mmap() - map a GEM object into the CPU address space
 * @ptr: out, the mapping (read/write, shared); munmap() it.
 */
int vsvm_gem_mmap(int fd, uint32_t handle, uint64_t size, void **ptr);

/** vsvm_gem_close() - drop a GEM handle. */
int vsvm_gem_close(int fd, uint32_t handle);

/* ------------------------------------------------------------------------
 * Programs: opcode table, builder, disassembler (the text assembler is
 * libvsvm-asm, vsvm_asm.h)
 */

/**
 * enum vsvm_op_class - operand class of an opcode (what the kernel's
 * validator expects; every field not listed must be zero)
 * @VSVM_CLASS_NONE: no operand (NOP, END).
 * @VSVM_CLASS_RD_RA: rd, ra (MOV, SEXT32, ZEXT32, I2F, F2I).
 * @VSVM_CLASS_RD_IMM: rd, imm (LI, LIH).
 * @VSVM_CLASS_SR: rd, special register in imm (SR).
 * @VSVM_CLASS_ALU: rd, ra, rb (integer and float register operations).
 * @VSVM_CLASS_ALU_IMM: rd, ra, imm.
 * @VSVM_CLASS_JMP: imm = target - (pc + 1).
 * @VSVM_CLASS_BRANCH: ra, rb, imm = target - (pc + 1).
 * @VSVM_CLASS_LOAD: rd, [ra + imm].
 * @VSVM_CLASS_STORE: [ra + imm], rb.
 * @VSVM_CLASS_ATOMIC: rd, [ra + imm], rb.
 * @VSVM_CLASS_CVT: rd, ra, rounding mode in imm (F2S32 .. U642F).
 * @VSVM_CLASS_JAL: rd, imm = target - (pc + 1) (JAL).
 * @VSVM_CLASS_JR: ra (JR).
 * @VSVM_CLASS_INVALID: not an opcode.
 */
enum vsvm_op_class {
	VSVM_CLASS_NONE,
	VSVM_CLASS_RD_RA,
	VSVM_CLASS_RD_IMM,
	VSVM_CLASS_SR,
	VSVM_CLASS_ALU,
	VSVM_CLASS_ALU_IMM,
	VSVM_CLASS_JMP,
	VSVM_CLASS_BRANCH,
	VSVM_CLASS_LOAD,
	VSVM_CLASS_STORE,
	VSVM_CLASS_ATOMIC,
	VSVM_CLASS_CVT,
	VSVM_CLASS_JAL,
	VSVM_CLASS_JR,
	VSVM_CLASS_INVALID,
};

/** vsvm_op_name() - lowercase mnemonic of @op, NULL if not an opcode. */
const char *vsvm_op_name(unsigned int op);

/** vsvm_op_class() - &enum vsvm_op_class of @op. */
enum vsvm_op_class vsvm_op_class(unsigned int op);

/** vsvm_op_lookup() - opcode of a lowercase mnemonic, -ENOENT if none. */
int vsvm_op_lookup(const char *name);

/**
 * vsvm_class_syntax() - operand syntax of an operand class
 *
 * One character per item, in source order: 'd', 'a', 'b' the registers
 * rd, ra, rb; 'i' an immediate; 's' a special register in imm; 'r' a
 * rounding mode in imm; 'm' a memory operand [ra + imm]; 't' a branch
 * target in imm; ',' a comma. What the disassembler prints and a text
 * assembler (libvsvm-asm, vsvm_asm.h) reads. Return: NULL for
 * %VSVM_CLASS_INVALID.
 */
const char *vsvm_class_syntax(enum vsvm_op_class cls);

/** vsvm_sreg_name() - name of a special register ("lane_id"), or NULL. */
const char *vsvm_sreg_name(uint32_t sreg);

/** vsvm_round_name() - name of a rounding mode ("rne", "rtz", "rdn", "rup"). */
const char *vsvm_round_name(uint32_t mode);

/**
 * vsvm_insn() - encode one instruction word (no checking at all)
 */
static inline uint64_t vsvm_insn(unsigned int op, unsigned int rd,
				 unsigned int ra, unsigned int rb, int32_t imm)
{
	return (uint64_t)(op & 0xff) | (uint64_t)(rd & 0xff) << 8 |
	       (uint64_t)(ra & 0xff) << 16 | (uint64_t)(rb & 0xff) << 24 |
	       (uint64_t)(uint32_t)imm << 32;
}

/**
 * vsvm_insn_check() - does @insn obey the encoding rules?
 *
 * Checks the opcode, register numbers, special register number and that
 * unused fields are zero; branch targets need the program and are checked
 * by vsvm_prog_finish(). Return: 0 or -EINVAL.
 */
int vsvm_insn_check(uint64_t insn);

struct vsvm_fixup;

/**
 * struct vsvm_prog - a program under construction
 * @insns: the instruction words.
 * @count: number of words in @insns.
 * @capacity: allocated words.
 * @error: first error met by an emitter (sticky), 0 if none.
 * @errmsg: text of @error.
 * @labels: label targets (pc), -1 while unbound (private).
 * @nlabels: number of labels (private).
 * @fixups: branches waiting for a label (private).
 * @nfixups: number of fixups (private).
 *
 * Zero-initialise with vsvm_prog_init(), free with vsvm_prog_fini().
 * Emitters return 0 or a negative errno and also record the first error
 * in @error, so a sequence of emits can be checked once, by
 * vsvm_prog_finish().
 */
struct vsvm_prog {
	uint64_t *insns;
	uint32_t count;
	uint32_t capacity;
	int error;
	char errmsg[128];
	int64_t *labels;
	uint32_t nlabels;
	uint32_t labels_cap;
	struct vsvm_fixup *fixups;
	uint32_t nfixups;
	uint32_t fixups_cap;
};

/** vsvm_prog_init() - start an empty program. */
void vsvm_prog_init(struct vsvm_prog *p);

/** vsvm_prog_fini() - free a program (safe on an initialised empty one). */
void vsvm_prog_fini(struct vsvm_prog *p);

/**
 * vsvm_prog_finish() - resolve labels and report the first error
 *
 * Patches every branch with target - (pc + 1). Fails with -EINVAL if a
 * label was used but never bound, or a branch target lies outside the
 * program, and with the first emitter error if there was one; @errmsg
 * then says what went wrong. Return: 0 or a negative errno.
 */
int vsvm_prog_finish(struct vsvm_prog *p);

/** vsvm_emit_word() - append a raw word (for negative tests). */
int vsvm_emit_word(struct vsvm_prog *p, uint64_t word);

/** vsvm_emit_nop() - NOP. */
int vsvm_emit_nop(struct vsvm_prog *p);

/** vsvm_emit_end() - END. */
int vsvm_emit_end(struct vsvm_prog *p);

/**
 * vsvm_emit_unary() - @op of class RD_RA: MOV, SEXT32, ZEXT32, I2F, F2I,
 * FSQRT, FABS, FNEG.
 */
int vsvm_emit_unary(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		    unsigned int ra);

/** vsvm_emit_mov() - rd = ra. */
int vsvm_emit_mov(struct vsvm_prog *p, unsigned int rd, unsigned int ra);

/** vsvm_emit_li() - rd = sign-extended @imm. */
int vsvm_emit_li(struct vsvm_prog *p, unsigned int rd, int32_t imm);

/** vsvm_emit_lih() - high 32 bits of rd = @hi. */
int vsvm_emit_lih(struct vsvm_prog *p, unsigned int rd, uint32_t hi);

/**
 * vsvm_emit_li64() - rd = @value, always two words: LI low, LIH high
 */
int vsvm_emit_li64(struct vsvm_prog *p, unsigned int rd, uint64_t value);

/** vsvm_emit_sr() - rd = special register @sreg (&enum drm_vsvm_isa_sreg). */
int vsvm_emit_sr(struct vsvm_prog *p, unsigned int rd, uint32_t sreg);

/** vsvm_emit_alu() - rd = ra @op rb, @op of class ALU (incl. float ops). */
int vsvm_emit_alu(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		  unsigned int ra, unsigned int rb);

/** vsvm_emit_alui() - rd = ra @op imm, @op of class ALU_IMM. */
int vsvm_emit_alui(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		   unsigned int ra, int32_t imm);

/** vsvm_emit_ld() - rd = load @op from [ra + off]. */
int vsvm_emit_ld(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		 unsigned int ra, int32_t off);

/** vsvm_emit_st() - store @op of rb to [ra + off] (assembler order). */
int vsvm_emit_st(struct vsvm_prog *p, unsigned int op, unsigned int ra,
		 int32_t off, unsigned int rb);

/** vsvm_emit_atomic() - rd = atomic @op on [ra + off] with rb. */
int vsvm_emit_atomic(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		     unsigned int ra, int32_t off, unsigned int rb);

/** vsvm_label_new() - a new unbound label; returns its id (>= 0) or -errno. */
int vsvm_label_new(struct vsvm_prog *p);

/** vsvm_label_bind() - bind @label to the next instruction (once only). */
int vsvm_label_bind(struct vsvm_prog *p, int label);

/** vsvm_emit_branch() - branch @op (BEQ..BGEU) on ra, rb to @label. */
int vsvm_emit_branch(struct vsvm_prog *p, unsigned int op, unsigned int ra,
		     unsigned int rb, int label);

/** vsvm_emit_jmp() - jump to @label. */
int vsvm_emit_jmp(struct vsvm_prog *p, int label);

/** vsvm_emit_jal() - rd = pc + 1, jump to @label (a call; ISA v3). */
int vsvm_emit_jal(struct vsvm_prog *p, unsigned int rd, int label);

/** vsvm_emit_jr() - jump to the instruction index in ra (return; ISA v3). */
int vsvm_emit_jr(struct vsvm_prog *p, unsigned int ra);

/**
 * vsvm_emit_cvt() - conversion @op (F2S32 .. U642F) of ra into rd with
 * rounding @mode (&enum drm_vsvm_isa_round); ISA v3.
 */
int vsvm_emit_cvt(struct vsvm_prog *p, unsigned int op, unsigned int rd,
		  unsigned int ra, uint32_t mode);

/** vsvm_emit_barrier() - BARRIER (ISA v3). */
int vsvm_emit_barrier(struct vsvm_prog *p);

/** vsvm_emit_fence() - FENCE (ISA v3). */
int vsvm_emit_fence(struct vsvm_prog *p);

/**
 * vsvm_disasm() - one instruction word as assembler text
 *
 * Writes the text vsvm_asm() accepts back into the same word; a word that
 * fails vsvm_insn_check() is written as ".word 0x...". Branch targets are
 * printed as their raw immediate. Return: the snprintf()-style length.
 */
int vsvm_disasm(uint64_t insn, char *buf, size_t len);

/* ------------------------------------------------------------------------
 * Execution
 */

/**
 * struct vsvm_exec_args - what vsvm_exec() submits
 * @vm_id: the VM.
 * @engine: engine index.
 * @program: instruction words.
 * @program_size: number of words.
 * @invocations: number of lanes.
 * @args: initial r0..r15 of every lane.
 * @budget: instruction budget of the job, 0 for the default.
 * @in_syncs: @in_sync_count binary syncobjs to wait for, may be NULL.
 * @in_sync_count: number of @in_syncs.
 * @out_sync: binary syncobj receiving the job's fence, or 0.
 * @group_size: work-group lanes per dimension; all zero for a flat job of
 *	@invocations lanes (ISA v3, see &struct drm_vsvm_exec).
 * @group_count: work-groups per dimension (zero for a flat job).
 * @global_offset: global id offset (zero for a flat job).
 * @local_mem_size: bytes of local memory per work-group.
 * @scratch_size: bytes of scratch memory per lane.
 * @syncs: @sync_count wait and signal operations (binary or timeline
 *	syncobjs), in addition to @in_syncs and @out_sync; may be NULL.
 * @sync_count: number of @syncs. In all, at most %DRM_VSVM_MAX_SYNCS
 *	operations.
 *
 * Zero-initialise it: fields added later (at the end) read as zero.
 */
struct vsvm_exec_args {
	uint32_t vm_id;
	uint32_t engine;
	const uint64_t *program;
	uint32_t program_size;
	uint32_t invocations;
	uint64_t args[DRM_VSVM_EXEC_MAX_ARGS];
	uint64_t budget;
	const uint32_t *in_syncs;
	uint32_t in_sync_count;
	uint32_t out_sync;
	uint32_t group_size[3];
	uint32_t group_count[3];
	uint64_t global_offset[3];
	uint32_t local_mem_size;
	uint32_t scratch_size;
	const struct vsvm_sync *syncs;
	uint32_t sync_count;
};

/**
 * vsvm_exec() - queue a job (DRM_IOCTL_VSVM_EXEC)
 * @a: a &struct vsvm_exec_args.
 * @job_id: out, the job's id.
 */
#define vsvm_exec(fd, a, job_id) vsvm_exec_sized(fd, a, sizeof(*(a)), job_id)
int vsvm_exec_sized(int fd, const struct vsvm_exec_args *a, size_t size,
		    uint32_t *job_id);

/**
 * struct vsvm_job_status - state and fault record of a job
 * @job_id: the job.
 * @state: an &enum drm_vsvm_job_state.
 * @fault_reason: &enum drm_vsvm_fault_reason of a FAULTED job,
 *	&enum drm_vsvm_exception_reason of an EXCEPTION.
 * @fault_addr: the faulting GPU virtual address.
 * @fault_access: DRM_VSVM_ACCESS_* of the faulting access.
 * @fault_lane: the lane that faulted.
 * @fault_pc: instruction index of the faulting access.
 * @instructions: instructions executed by the job.
 * @faults: recoverable GPU page faults the job took.
 */
struct vsvm_job_status {
	uint32_t job_id;
	uint32_t state;
	uint32_t fault_reason;
	uint32_t fault_access;
	uint64_t fault_addr;
	uint32_t fault_lane;
	uint32_t fault_pc;
	uint64_t instructions;
	uint64_t faults;
};

/**
 * vsvm_job_status() - state and fault record of a job
 * @timeout_ns: 0 to poll, else wait up to this long (-ETIME if not done);
 *	the library turns it into the kernel's absolute deadline once, so
 *	drmIoctl()'s restarts after a signal do not extend the wait.
 * @out: out, a &struct vsvm_job_status.
 */
#define vsvm_job_status(fd, job_id, timeout_ns, out) \
	vsvm_job_status_sized(fd, job_id, timeout_ns, out, sizeof(*(out)))
int vsvm_job_status_sized(int fd, uint32_t job_id, uint64_t timeout_ns,
			  struct vsvm_job_status *out, size_t size);

/** vsvm_monotonic_ns() - CLOCK_MONOTONIC now, in ns (the kernel's clock for deadlines). */
uint64_t vsvm_monotonic_ns(void);

/** vsvm_syncobj_create() - create an unsignalled syncobj. */
int vsvm_syncobj_create(int fd, uint32_t *handle);

/** vsvm_syncobj_destroy() - destroy a syncobj. */
int vsvm_syncobj_destroy(int fd, uint32_t handle);

/**
 * vsvm_syncobj_wait() - wait for syncobjs to signal
 * @timeout_ns: relative timeout.
 * @all: wait for all of them (else for any).
 *
 * Waits also for a fence not yet attached (WAIT_FOR_SUBMIT).
 * Return: 0, -ETIME on timeout, or another negative errno.
 */
int vsvm_syncobj_wait(int fd, const uint32_t *handles, uint32_t count,
		      uint64_t timeout_ns, bool all);

/**
 * vsvm_syncobj_wait_point() - wait for point @point of timeline syncobj
 * @handle (0: its current fence), also for a point not yet submitted
 * @timeout_ns: relative timeout.
 *
 * Return: 0, -ETIME on timeout, or another negative errno.
 */
int vsvm_syncobj_wait_point(int fd, uint32_t handle, uint64_t point,
			    uint64_t timeout_ns);

/** vsvm_syncobj_point() - last signalled point of a timeline syncobj. */
int vsvm_syncobj_point(int fd, uint32_t handle, uint64_t *point);

/** VSVM_RUN_TIMEOUT_NS - how long vsvm_run() waits for its job. */
#define VSVM_RUN_TIMEOUT_NS	(60ull * 1000 * 1000 * 1000)

/**
 * vsvm_run() - run a finished program on engine 0 and wait for it
 * @args: 16 initial registers, or NULL for zeros.
 * @status: out (may be NULL), the job's final record (a
 *	&struct vsvm_job_status).
 *
 * Waits through a syncobj (up to %VSVM_RUN_TIMEOUT_NS), then reads the
 * job status. Return: 0 if the job reached %DRM_VSVM_JOB_DONE; -EIO if it
 * finished in another state (@status says which and why); -ETIME if it
 * did not finish in time; another negative errno if an ioctl failed.
 */
#define vsvm_run(fd, vm_id, prog, invocations, args, status) \
	vsvm_run_sized(fd, vm_id, prog, invocations, args, status, \
		       sizeof(struct vsvm_job_status))
int vsvm_run_sized(int fd, uint32_t vm_id, const struct vsvm_prog *prog,
		   uint32_t invocations, const uint64_t *args,
		   struct vsvm_job_status *status, size_t status_size);

#if defined(__cplusplus)
}
#endif

#endif /* LIBVSVM_VSVM_H */
