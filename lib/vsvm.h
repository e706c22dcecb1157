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
#define VSVM_LIB_VERSION	((1 << 16) | 0)

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
 * vsvm_get_param() - read a device parameter (DRM_IOCTL_VSVM_GET_PARAM)
 * @fd: vsvm file descriptor.
 * @param: an &enum drm_vsvm_param.
 * @value: out, the value.
 */
int vsvm_get_param(int fd, uint32_t param, uint64_t *value);

/**
 * vsvm_debugfs_dir() - debugfs directory of the device behind @fd
 * @fd: vsvm file descriptor.
 * @buf: out, "/sys/kernel/debug/dri/<minor>" (existing directory).
 * @len: size of @buf.
 *
 * Return: 0, -ENOENT if debugfs is not mounted or has no such directory.
 */
int vsvm_debugfs_dir(int fd, char *buf, size_t len);

/**
 * vsvm_debugfs_counter() - one value of the device's vsvm_counters file
 * @fd: vsvm file descriptor.
 * @name: the counter ("faults", "vram_used", ...).
 * @value: out, its value.
 *
 * Needs root (debugfs is root-only).
 * Return: 0, -ENOENT if debugfs or the counter is missing, -EACCES, or
 * another negative errno.
 */
int vsvm_debugfs_counter(int fd, const char *name, int64_t *value);

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
 * vsvm_vm_bind() - run an array of bind operations (DRM_IOCTL_VSVM_VM_BIND)
 * @fd: vsvm file descriptor.
 * @vm_id: the VM.
 * @ops: @count operations; output fields are written back.
 * @count: 1..256.
 * @done: out (may be NULL), operations that took effect. Written on error
 *	too: a run-time failure of op N leaves ops 0..N-1 done.
 */
int vsvm_vm_bind(int fd, uint32_t vm_id, struct drm_vsvm_vm_bind_op *ops,
		 uint32_t count, uint32_t *done);

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
 * vsvm_svm_attr_set() - set placement attributes (DRM_IOCTL_VSVM_SVM_ATTR_SET)
 * @attr: vm_id, addr, range and the attributes to apply; flags and pad zero.
 */
int vsvm_svm_attr_set(int fd, const struct drm_vsvm_svm_attr *attr);

/**
 * vsvm_svm_attr_get() - read placement attributes (DRM_IOCTL_VSVM_SVM_ATTR_GET)
 * @attr: in: vm_id, addr, range; out: the attributes of the page at addr
 *	and in range the length of the run of pages sharing them.
 */
int vsvm_svm_attr_get(int fd, struct drm_vsvm_svm_attr *attr);

/**
 * vsvm_svm_query() - the device's view of @npages pages from @addr
 * @flags: out, @npages DRM_VSVM_QUERY_* words.
 */
int vsvm_svm_query(int fd, uint32_t vm_id, uint64_t addr, uint64_t npages,
		   uint32_t *flags);

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
 * Programs: opcode table, builder, assembler, disassembler
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
 * vsvm_asm() - assemble a text program
 * @src: NUL-terminated source.
 * @out: uninitialised; on success a finished program the caller releases
 *	with vsvm_prog_fini(); on failure left empty (nothing to free).
 * @err: NULL or a buffer receiving "line N: message" on failure.
 * @errlen: size of @err.
 *
 * Syntax, one instruction per line, case-insensitive mnemonics (the
 * lowercase opcode names), ';' or '#' start a comment, "name:" defines a
 * label (alone or before an instruction)::
 *
 *   add r1, r2, r3        addi r1, r2, -4      mov r1, r2
 *   li r1, -5             lih r1, 0xffffffff   li64 r1, 0x123456789
 *   sr r1, lane_id        (a special register name in lowercase, or 0..26)
 *   f2s32 r1, r2, rtz     (rounding mode rne, rtz, rdn, rup or 0..3)
 *   jal r30, func         jr r30               barrier      fence
 *   ld32 r1, [r2 + 8]     st64 [r2 - 8], r3    aadd64 r1, [r2], r3
 *   blt r1, r2, loop      jmp done             end
 *   .word 0x0123456789abcdef   (a raw instruction word)
 *
 * A branch target is a label or a number, the raw immediate
 * target - (pc + 1). Immediates are decimal or 0x hex, in the signed 32-bit
 * range (LIH and .word also take unsigned values up to 2^32 - 1 / 2^64 - 1).
 * li64 always emits two words (LI, LIH).
 *
 * Return: 0, -EINVAL on a syntax or semantic error, -ENOMEM.
 */
int vsvm_asm(const char *src, struct vsvm_prog *out, char *err, size_t errlen);

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
 * @in_syncs: @in_sync_count syncobj handles to wait for, may be NULL.
 * @in_sync_count: number of in-syncobjs.
 * @out_sync: syncobj receiving the job's fence, or 0.
 * @group_size: work-group lanes per dimension; all zero for a flat job of
 *	@invocations lanes (ISA v3, see &struct drm_vsvm_exec).
 * @group_count: work-groups per dimension (zero for a flat job).
 * @global_offset: global id offset (zero for a flat job).
 * @local_mem_size: bytes of local memory per work-group.
 * @scratch_size: bytes of scratch memory per lane.
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
};

/** vsvm_exec() - queue a job (DRM_IOCTL_VSVM_EXEC); @job_id out. */
int vsvm_exec(int fd, const struct vsvm_exec_args *a, uint32_t *job_id);

/**
 * vsvm_job_status() - state and fault record of a job
 * @timeout_ns: 0 to poll, else wait up to this long (-ETIME if not done).
 * @out: out, the kernel's record.
 */
int vsvm_job_status(int fd, uint32_t job_id, uint64_t timeout_ns,
		    struct drm_vsvm_job_status *out);

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

/** VSVM_RUN_TIMEOUT_NS - how long vsvm_run() waits for its job. */
#define VSVM_RUN_TIMEOUT_NS	(60ull * 1000 * 1000 * 1000)

/**
 * vsvm_run() - run a finished program on engine 0 and wait for it
 * @args: 16 initial registers, or NULL for zeros.
 * @status: out (may be NULL), the job's final record.
 *
 * Waits through a syncobj (up to %VSVM_RUN_TIMEOUT_NS), then reads the
 * job status. Return: 0 if the job reached %DRM_VSVM_JOB_DONE; -EIO if it
 * finished in another state (@status says which and why); -ETIME if it
 * did not finish in time; another negative errno if an ioctl failed.
 */
int vsvm_run(int fd, uint32_t vm_id, const struct vsvm_prog *prog,
	     uint32_t invocations, const uint64_t *args,
	     struct drm_vsvm_job_status *status);

#if defined(__cplusplus)
}
#endif

#endif /* LIBVSVM_VSVM_H */
