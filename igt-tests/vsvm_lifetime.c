// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm lifetime
 * Category: Core
 * Mega feature: SVM
 * Sub-category: Lifetime and isolation
 * Functionality: VM ownership by one mm, process exit, kill, module refcount
 * Description: A VM belongs to the process that created it: other
 *		processes get -EPERM and cannot touch its memory. Exit, kill -9
 *		and fd close with jobs in flight tear everything down cleanly
 *		and leave the device usable.
 *
 * SUBTEST: fd-over-socket
 * Description: A process that received the fd over a unix socket gets -EPERM on the creator's VM.
 *
 * SUBTEST: fork-child
 * Description: A forked child that inherited the fd gets -EPERM on the parent's VM.
 *
 * SUBTEST: fork-child-own-vm
 * Description: A forked child can open the device and use a VM of its own.
 *
 * SUBTEST: exit-while-job-runs
 * Description: A process exits with a spinning job; the device stays usable.
 *
 * SUBTEST: kill-during-faults
 * Description: kill -9 of a process whose job is faulting in memory; the device stays usable.
 *
 * SUBTEST: close-with-queued-jobs
 * Description: Closing the fd with jobs queued behind an unsignalled syncobj is clean.
 *
 * SUBTEST: vm-destroy-with-queued-job
 * Description: Destroying a VM with a queued job: the handle dies at once, the job finishes.
 *
 * SUBTEST: exit-releases-vms
 * Description: VMs of an exited process disappear from debugfs.
 *
 * SUBTEST: many-fds
 * Description: 64 open files, each with a VM and a job, closed in random order.
 *
 * SUBTEST: module-unload-refused
 * Description: Unloading vsvm.ko fails while a client has the device open.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: VM ownership, process exit and teardown.");

static int fd = -1;

/* Every VM-naming ioctl from this (foreign) process fails with -EPERM. */
static void assert_foreign(int f, uint32_t vm, uint64_t *victim)
{
	uint32_t flags = 0, job = 0;
	struct vsvm_prog p;
	struct vsvm_exec_args a = { .vm_id = vm, .invocations = 1 };

	igt_assert_eq(vsvm_mirror(f, vm, vsvm_va(victim) + SZ_4K, SZ_4K, 0),
		      -EPERM);
	igt_assert_eq(vsvm_unmirror(f, vm, vsvm_va(victim), SZ_4K), -EPERM);
	igt_assert_eq(vsvm_svm_query(f, vm, vsvm_va(victim), 1, &flags), -EPERM);
	igt_assert_eq(vsvm_prefetch(f, vm, vsvm_va(victim), SZ_4K, 0, NULL,
				    NULL, NULL), -EPERM);
	vsvm_t_asm(&p, VSVM_T_PROG_ST64_AT);
	a.program = p.insns;
	a.program_size = p.count;
	a.args[0] = vsvm_va(victim);
	a.args[1] = 0xbad;
	igt_assert_eq(vsvm_exec(f, &a, &job), -EPERM);
	vsvm_prog_fini(&p);
	igt_assert_eq(vsvm_vm_destroy(f, vm), -EPERM);
	/* Device-wide ioctls still work. */
	igt_assert_lt(0, (int)vsvm_t_param(f, DRM_VSVM_PARAM_NUM_ENGINES));
}

static int send_fd(int sock, int f)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char c = 'f';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &f, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -errno;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int f = -1;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&f, CMSG_DATA(cm), sizeof(int));
	return f;
}

static int count_vms(void)
{
	char dir[256], path[320], line[256];
	int n = 0;
	FILE *f;

	if (vsvm_debugfs_dir(fd, dir, sizeof(dir)))
		return -1;
	snprintf(path, sizeof(path), "%s/vsvm_vms", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "vm ", 3))
			n++;
	fclose(f);
	return n;
}

static void device_still_works(void)
{
	uint32_t vm = vsvm_t_vm(fd);
	uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	vsvm_t_mirror(fd, vm, p, SZ_4K);
	vsvm_t_roundtrip(fd, vm, p, SZ_4K, 99);
	igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
	munmap(p, SZ_4K);
}

igt_main
{
	igt_fixture
		fd = vsvm_t_open(0);

	igt_describe("The fd received over a unix socket gets -EPERM on the creator's VM.");
	igt_subtest("fd-over-socket") {
		uint64_t *victim = mmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		uint32_t vm = vsvm_t_vm(fd);
		int sv[2];

		igt_assert(victim != MAP_FAILED);
		victim[0] = 0x600d;
		vsvm_t_mirror(fd, vm, victim, SZ_4K);
		igt_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		igt_fork(child, 1) {
			int f;

			/* Only the file received over the socket is used. */
			close(fd);
			f = recv_fd(sv[1]);

			igt_assert(f >= 0);
			assert_foreign(f, vm, victim);
		}
		igt_assert_eq(send_fd(sv[0], fd), 0);
		igt_waitchildren();
		igt_assert_eq_u64(victim[0], 0x600d);
		igt_assert(vsvm_t_query(fd, vm, victim) & DRM_VSVM_QUERY_MIRRORED);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, victim + 512), 0);
		vsvm_t_roundtrip(fd, vm, victim, SZ_4K, 1);
		igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
		close(sv[0]);
		close(sv[1]);
		munmap(victim, 2 * SZ_4K);
	}

	igt_describe("A forked child gets -EPERM on the parent's VM.");
	igt_subtest("fork-child") {
		uint64_t *victim = mmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		uint32_t vm = vsvm_t_vm(fd);

		igt_assert(victim != MAP_FAILED);
		victim[0] = 0x600d;
		vsvm_t_mirror(fd, vm, victim, SZ_4K);
		igt_assert_eq(vsvm_prefetch(fd, vm, vsvm_va(victim), SZ_4K, 0,
					    NULL, NULL, NULL), 0);
		igt_fork(child, 1)
			assert_foreign(fd, vm, victim);
		igt_waitchildren();
		igt_assert_eq_u64(victim[0], 0x600d);
		igt_assert_eq_u32(vsvm_t_query(fd, vm, victim + 512), 0);
		vsvm_t_roundtrip(fd, vm, victim, SZ_4K, 2);
		igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
		munmap(victim, 2 * SZ_4K);
	}

	igt_describe("A forked child can use a VM of its own.");
	igt_subtest("fork-child-own-vm") {
		uint64_t *shared = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		igt_assert(shared != MAP_FAILED);
		igt_fork(child, 1) {
			int cfd = vsvm_t_open(0);
			uint32_t vm = vsvm_t_vm(cfd);

			vsvm_t_mirror(cfd, vm, shared, SZ_4K);
			vsvm_t_roundtrip(cfd, vm, shared, SZ_4K, 3);
			close(cfd);
		}
		igt_waitchildren();
		igt_assert_eq(vsvm_t_check(shared, SZ_4K, 3, 0x1234567), -1);
		munmap(shared, SZ_4K);
	}

	igt_describe("A process exits with a spinning job; the device stays usable.");
	igt_subtest("exit-while-job-runs") {
		volatile uint64_t *flag = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		igt_assert(flag != MAP_FAILED);
		flag[0] = 0;
		igt_fork(child, 1) {
			int cfd = vsvm_t_open(0);
			uint32_t vm = vsvm_t_vm(cfd);
			uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			uint64_t args[8] = { vsvm_va(p), 1, 0, 8, 0, 0, 0,
					     vsvm_va(p + 100) };

			vsvm_t_mirror(cfd, vm, p, SZ_4K);
			vsvm_t_submit(cfd, vm, 0, VSVM_T_PROG_HAMMER, 1, args, 8,
				      0, NULL, 0);
			while (!p[0])
				usleep(1000);
			flag[0] = 1;
			/* exit(0) with the job still running */
		}
		igt_waitchildren();
		igt_assert_eq_u64(flag[0], 1);
		device_still_works();
		munmap((void *)flag, SZ_4K);
	}

	igt_describe("kill -9 of a process whose job is faulting; the device stays usable.");
	igt_subtest("kill-during-faults") {
		volatile uint64_t *flag = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		int cfd;
		pid_t pid;
		int st;

		igt_assert(flag != MAP_FAILED);
		flag[0] = 0;
		cfd = vsvm_t_open(0);
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			const uint64_t size = 64 * SZ_1M;
			uint32_t vm = 0;
			uint8_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			struct vsvm_exec_args a = { .invocations = 8 };
			struct vsvm_prog pr;
			uint32_t job;

			close(cfd);
			if (vsvm_open(0, &cfd) || vsvm_vm_create(cfd, 0, 0, &vm) ||
			    vsvm_mirror(cfd, vm, vsvm_va(p), size, 0) ||
			    vsvm_asm(VSVM_T_PROG_TOUCH_PAGES, &pr, NULL, 0))
				_exit(1);
			madvise(p, size, MADV_NOHUGEPAGE);
			a.vm_id = vm;
			a.program = pr.insns;
			a.program_size = pr.count;
			a.args[0] = vsvm_va(p);
			a.args[1] = 1;
			a.args[2] = size / SZ_4K;
			if (vsvm_exec(cfd, &a, &job))
				_exit(1);
			flag[0] = 1;
			for (;;)
				pause();
		}
		close(cfd);
		while (!flag[0] && waitpid(pid, &st, WNOHANG) == 0)
			usleep(1000);
		igt_assert_eq_u64(flag[0], 1);
		usleep(20000);	/* let it take some faults */
		igt_assert_eq(kill(pid, SIGKILL), 0);
		igt_assert_eq(waitpid(pid, &st, 0), pid);
		igt_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		device_still_works();
		munmap((void *)flag, SZ_4K);
	}

	igt_describe("Closing the fd with jobs queued behind a syncobj is clean.");
	igt_subtest("close-with-queued-jobs") {
		int cfd = vsvm_t_open(0);
		uint32_t vm = vsvm_t_vm(cfd), sync;
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t args[8] = { vsvm_va(p + 10), 1, 0, 1, 0, 0, 0,
				     vsvm_va(p) };
		uint64_t sargs[2] = { vsvm_va(p + 20), 5 };

		igt_assert(p != MAP_FAILED);
		memset(p, 0, SZ_4K);
		vsvm_t_mirror(cfd, vm, p, SZ_4K);
		igt_assert_eq(vsvm_syncobj_create(cfd, &sync), 0);
		/* A spinner nobody stops, and jobs queued behind it. */
		vsvm_t_submit(cfd, vm, 0, VSVM_T_PROG_HAMMER, 1, args, 8, sync,
			      NULL, 0);
		for (int i = 0; i < 4; i++)
			vsvm_t_submit(cfd, vm, i % 2 ? 0 : 1 % vsvm_t_param(cfd,
				      DRM_VSVM_PARAM_NUM_ENGINES),
				      VSVM_T_PROG_ST64_AT, 1, sargs, 2, 0, &sync, 1);
		while (!p[10])
			usleep(1000);
		igt_assert_eq(close(cfd), 0);
		/* The engines are free again (spinner killed or timed out). */
		device_still_works();
		munmap(p, SZ_4K);
	}

	igt_describe("Destroying a VM with a queued job: handle dead at once, job finishes.");
	igt_subtest("vm-destroy-with-queued-job") {
		uint32_t vm = vsvm_t_vm(fd), j1, j2, sync, f;
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t args[8] = { vsvm_va(p + 10), 1, 0, 1, 0, 0, 0,
				     vsvm_va(p) };
		uint64_t sargs[2] = { vsvm_va(p + 20), 0x5a };
		struct drm_vsvm_job_status st;

		igt_assert(p != MAP_FAILED);
		memset(p, 0, SZ_4K);
		vsvm_t_mirror(fd, vm, p, SZ_4K);
		igt_assert_eq(vsvm_syncobj_create(fd, &sync), 0);
		j1 = vsvm_t_submit(fd, vm, 0, VSVM_T_PROG_HAMMER, 1, args, 8,
				   sync, NULL, 0);
		j2 = vsvm_t_submit(fd, vm, 0, VSVM_T_PROG_ST64_AT, 1, sargs, 2,
				   0, &sync, 1);
		while (!p[10])
			usleep(1000);
		igt_assert_eq(vsvm_vm_destroy(fd, vm), 0);
		igt_assert_eq(vsvm_svm_query(fd, vm, vsvm_va(p), 1, &f), -ENOENT);
		p[0] = 1;	/* stop the hammer */
		igt_assert_eq(vsvm_t_wait(fd, j1, NULL), DRM_VSVM_JOB_DONE);
		vsvm_t_wait(fd, j2, &st);
		igt_assert_f(st.state == DRM_VSVM_JOB_DONE ||
			     st.state == DRM_VSVM_JOB_CANCELED,
			     "queued job ended %s\n", vsvm_job_state_str(st.state));
		if (st.state == DRM_VSVM_JOB_DONE)
			igt_assert_eq_u64(p[20], 0x5a);
		else
			igt_assert_eq_u64(p[20], 0);
		vsvm_syncobj_destroy(fd, sync);
		munmap(p, SZ_4K);
	}

	igt_describe("VMs of an exited process disappear from debugfs.");
	igt_subtest("exit-releases-vms") {
		int before = count_vms();

		igt_require_f(before >= 0, "no debugfs vsvm_vms\n");
		igt_fork(child, 1) {
			int cfd = vsvm_t_open(0);
			uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			for (int i = 0; i < 8; i++) {
				uint32_t vm = vsvm_t_vm(cfd);

				vsvm_t_mirror(cfd, vm, p, SZ_4K);
			}
			igt_assert_eq(count_vms(), before + 8);
			/* exit without closing anything */
		}
		igt_waitchildren();
		igt_assert_eq(count_vms(), before);
	}

	igt_describe("64 open files, each with a VM and a job, closed in any order.");
	igt_subtest("many-fds") {
		int fds[64];
		uint64_t *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		igt_assert(p != MAP_FAILED);
		for (int i = 0; i < 64; i++) {
			uint32_t vm;
			uint64_t args[2] = { vsvm_va(p + i), 0xf00 + i };

			fds[i] = vsvm_t_open(0);
			vm = vsvm_t_vm(fds[i]);
			vsvm_t_mirror(fds[i], vm, p, SZ_4K);
			vsvm_t_run_ok(fds[i], vm, VSVM_T_PROG_ST64_AT, 1, args, 2);
		}
		for (int i = 0; i < 64; i++)
			igt_assert_eq_u64(p[i], 0xf00 + i);
		for (int i = 0; i < 64; i++)
			igt_assert_eq(close(fds[(i * 37) % 64]), 0);
		device_still_works();
		munmap(p, SZ_4K);
	}

	igt_describe("Unloading vsvm.ko fails while a client has the device open.");
	igt_subtest("module-unload-refused") {
		long ret;

		igt_require_f(getuid() == 0, "needs root\n");
		igt_require(access("/sys/module/vsvm", F_OK) == 0);
		ret = syscall(SYS_delete_module, "vsvm", O_NONBLOCK);
		igt_assert_f(ret == -1 && (errno == EBUSY || errno == EWOULDBLOCK),
			     "delete_module returned %ld (%s)\n", ret,
			     strerror(errno));
		igt_assert_eq(access("/sys/module/vsvm", F_OK), 0);
		device_still_works();
	}

	igt_fixture
		close(fd);
}
