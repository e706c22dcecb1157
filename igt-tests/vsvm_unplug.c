// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright 2026 The vsvm authors
 */

/**
 * TEST: vsvm unplug
 * Category: Core
 * Mega feature: SVM
 * Sub-category: Lifetime
 * Functionality: module unload and device unbind with work in flight
 * Description: Unloading vsvm.ko after the last close and unbinding a device
 *		(hot-unplug) while jobs run, fault, migrate, or while pages sit
 *		in its VRAM: the GPU stops touching memory, the processes' data
 *		survives, the kernel log stays clean, and a rebound or
 *		reloaded device works. Subtests that unload the module load it
 *		again with the same parameters; subtests that unbind bind the
 *		device again.
 *
 * SUBTEST: rmmod-after-close-running
 * Description: close() with a job running stops it (the memory it writes stops changing), then vsvm.ko unloads at once and loads again.
 *
 * SUBTEST: rmmod-after-close-queued
 * Description: close() with jobs queued behind a running one: none of the queued jobs ever runs, and vsvm.ko unloads and loads again.
 *
 * SUBTEST: rmmod-after-close-faulting
 * Description: close() while a job faults its way through 32 MiB: every page was touched at most once, nothing changes afterwards, vsvm.ko unloads and loads again.
 *
 * SUBTEST: rmmod-with-vram
 * Description: Unloading vsvm.ko while a live process has 8 MiB in VRAM moves the pages back: the process reads every word intact.
 *
 * SUBTEST: unbind-running
 * Description: Unbind a device under a running job: its fence signals -ECANCELED, the memory stops changing, ioctls fail with -ENODEV, half a buffer that was in its VRAM reads back intact, the other device computes, close() is clean.
 *
 * SUBTEST: unbind-during-fault
 * Description: Unbind a device while its job faults its way through 32 MiB: the fence signals -ECANCELED (unless every page was done), no page was touched twice, nothing changes afterwards.
 *
 * SUBTEST: unbind-during-migration-to-vram
 * Description: Unbind a device while another thread prefetches 16 MiB to its VRAM in a loop: the prefetch stops with -ENODEV and every word is intact.
 *
 * SUBTEST: unbind-during-migration-to-ram
 * Description: Unbind a device while another thread moves 16 MiB out of its VRAM by CPU touches: every word is intact.
 *
 * SUBTEST: unbind-during-device-migration
 * Description: Unbind device B while device A migrates a buffer out of B's VRAM into its own, in a loop: A keeps working and every word is intact.
 *
 * SUBTEST: unbind-with-vram-mapped
 * Description: Unbind a device while another live process has 8 MiB in its VRAM and its fd open: unbind returns, the process reads every word intact.
 *
 * SUBTEST: rebind-reuse
 * Description: After unbind and bind, the device runs jobs and migrates to VRAM with correct data.
 *
 * SUBTEST: bind-unbind-cycles
 * Description: Eight cycles of bind, VRAM prefetch, running job, another thread submitting and waiting for jobs, unbind, close: every job the thread saw done wrote its value, the thread ends on -ENODEV, data intact every time, the device works at the end.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "vsvm_test_lib.h"

IGT_TEST_DESCRIPTION("vsvm: module unload and device unbind with work in flight.");

#define DRV_DIR		"/sys/bus/platform/drivers/vsvm"
#define PARAM_DIR	"/sys/module/vsvm/parameters"

static const char *const saved_params[] = {
	"num_devices", "num_engines", "vram_size_mb", "job_timeout_ms",
};
static char modparams[256];
static int num_devices;

/* ---- module, binding ---------------------------------------------------- */

static bool module_loaded(void)
{
	return access("/sys/module/vsvm", F_OK) == 0;
}

static void save_modparams(void)
{
	size_t len = 0;

	modparams[0] = 0;
	for (size_t i = 0; i < sizeof(saved_params) / sizeof(saved_params[0]); i++) {
		char path[128], val[64] = "";
		FILE *f;

		snprintf(path, sizeof(path), PARAM_DIR "/%s", saved_params[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(val, sizeof(val), f)) {
			val[strcspn(val, "\n")] = 0;
			len += snprintf(modparams + len, sizeof(modparams) - len,
					"%s=%s ", saved_params[i], val);
		}
		fclose(f);
		if (!strcmp(saved_params[i], "num_devices"))
			num_devices = atoi(val);
	}
}

static int module_insmod(void)
{
	const char *dir = getenv("VSVM_MODDIR");
	char cmd[512];

	if (!dir)
		return -ENOENT;
	snprintf(cmd, sizeof(cmd), "insmod %s/vsvm.ko %s", dir, modparams);
	return system(cmd) == 0 ? 0 : -EIO;
}

static void module_load(void)
{
	igt_assert_f(module_insmod() == 0, "insmod vsvm.ko %s failed\n", modparams);
	igt_assert_eq(vsvm_device_count(), num_devices);
}

static void module_unload(void)
{
	long ret = syscall(SYS_delete_module, "vsvm", O_NONBLOCK);

	igt_assert_f(ret == 0, "delete_module(vsvm): %s\n", strerror(errno));
	igt_assert(!module_loaded());
}

/* Modules using vsvm's symbols (the KUnit module), listed in holders/. */
static bool module_has_holders(void)
{
	DIR *d = opendir("/sys/module/vsvm/holders");
	struct dirent *de;
	bool any = false;

	if (!d)
		return false;
	while ((de = readdir(d)))
		any |= de->d_name[0] != '.';
	closedir(d);
	return any;
}

static void require_reload(void)
{
	igt_require_f(getuid() == 0, "needs root\n");
	igt_require_f(getenv("VSVM_MODDIR"), "VSVM_MODDIR not set: cannot load vsvm.ko again\n");
	igt_require(module_loaded());
	igt_require_f(!module_has_holders(), "another module uses vsvm.ko\n");
}

static bool is_bound(int idx)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/platform/devices/vsvm.%d/driver", idx);
	return access(path, F_OK) == 0;
}

static int sysfs_write(const char *path, const char *val)
{
	int f = open(path, O_WRONLY), ret = 0;

	if (f < 0)
		return -errno;
	if (write(f, val, strlen(val)) < 0)
		ret = -errno;
	close(f);
	return ret;
}

static void unbind(int idx)
{
	char name[32];
	int ret;

	snprintf(name, sizeof(name), "vsvm.%d", idx);
	ret = sysfs_write(DRV_DIR "/unbind", name);
	igt_assert_f(ret == 0, "unbind %s: %s\n", name, strerror(-ret));
	igt_assert(!is_bound(idx));
}

static void bind(int idx)
{
	char name[32];
	int ret;

	snprintf(name, sizeof(name), "vsvm.%d", idx);
	ret = sysfs_write(DRV_DIR "/bind", name);
	igt_assert_f(ret == 0, "bind %s: %s\n", name, strerror(-ret));
	igt_assert(is_bound(idx));
}

/* Leave what the other binaries expect: the module loaded, every device bound. */
static void restore_devices(int sig)
{
	(void)sig;
	if (!module_loaded() && modparams[0])
		module_insmod();
	for (int i = 0; i < num_devices; i++) {
		char name[32];

		snprintf(name, sizeof(name), "vsvm.%d", i);
		if (!is_bound(i))
			sysfs_write(DRV_DIR "/bind", name);
	}
}

static void require_unbind(void)
{
	igt_require_f(getuid() == 0, "needs root\n");
	igt_require_f(access(DRV_DIR "/unbind", W_OK) == 0, "no %s/unbind\n", DRV_DIR);
}

/* Open the device whose DRM_VSVM_PARAM_DEVICE_INDEX is @idx. */
static int open_index(int idx)
{
	int n = vsvm_device_count();

	for (int i = 0; i < n; i++) {
		uint64_t v = ~0ull;
		int f;

		if (vsvm_open(i, &f))
			continue;
		if (!vsvm_get_param(f, DRM_VSVM_PARAM_DEVICE_INDEX, &v) && v == (uint64_t)idx)
			return f;
		close(f);
	}
	igt_assert_f(false, "no vsvm device with index %d\n", idx);
	return -1;
}

/* The device unbind tests take: the last one, so device 0 can be checked. */
static int victim_index(void)
{
	return num_devices - 1;
}

/* ---- memory and jobs ---------------------------------------------------- */

static void *anon(uint64_t size)
{
	void *p = vsvm_t_mmap_aligned(size, SZ_2M, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS);

	madvise(p, size, MADV_NOHUGEPAGE);
	return p;
}

static void device_works(int idx)
{
	int f = open_index(idx);
	uint32_t vm = vsvm_t_vm(f);
	uint64_t *p = anon(SZ_2M);

	vsvm_t_mirror(f, vm, p, SZ_2M);
	vsvm_t_roundtrip(f, vm, p, SZ_2M, 0x5eed + idx);
	if (vsvm_t_param(f, DRM_VSVM_PARAM_VRAM_SIZE)) {
		uint64_t done = 0, failed = 0;

		vsvm_t_fill(p, SZ_2M, 0x77);
		igt_assert_eq(vsvm_t_prefetch_loc(f, vm, p, SZ_2M, vsvm_t_here(f),
						  NULL, &done, &failed), 0);
		igt_assert_eq_u64(done, SZ_2M / SZ_4K);
		vsvm_t_gpu_add(f, vm, p, p, SZ_2M / 8, 9);
		igt_assert_eq(vsvm_t_check(p, SZ_2M, 0x77, 9), -1);
	}
	igt_assert_eq(vsvm_vm_destroy(f, vm), 0);
	close(f);
	vsvm_t_munmap_aligned(p, SZ_2M);
}

/* A job writing base + n to *p, n = 0, 1, ..., until *stop is non-zero. */
static uint32_t start_hammer(int f, uint32_t vm, uint32_t engine, volatile uint64_t *p,
			     volatile uint64_t *stop, uint32_t out_sync)
{
	uint64_t args[8] = { vsvm_va((void *)p), 1, 0, 1, 0, 0, 0, vsvm_va((void *)stop) };
	uint32_t job;

	p[0] = 0;
	*stop = 0;
	job = vsvm_t_submit(f, vm, engine, VSVM_T_PROG_HAMMER, 1, args, 8,
			    out_sync, NULL, 0);
	while (!p[0])
		usleep(1000);
	return job;
}

/* The word the GPU was writing no longer changes. */
static void assert_still(volatile uint64_t *p)
{
	uint64_t v = p[0];

	usleep(100000);
	igt_assert_f(p[0] == v, "the GPU still writes: %#" PRIx64 " then %#" PRIx64 "\n",
		     v, p[0]);
}

/* The sync_file of a job's out-syncobj, to read its fence after unplug. */
static int export_fence(int f, uint32_t sync)
{
	int sfd = -1;

	igt_assert_eq(drmSyncobjExportSyncFile(f, sync, &sfd), 0);
	return sfd;
}

/* Wait for a sync_file and return its status (1 signalled, < 0 error). */
static int fence_status(int sfd)
{
	struct pollfd pfd = { .fd = sfd, .events = POLLIN };
	struct sync_file_info info;

	igt_assert_eq(poll(&pfd, 1, 60000), 1);
	memset(&info, 0, sizeof(info));
	igt_assert_eq(ioctl(sfd, SYNC_IOC_FILE_INFO, &info), 0);
	return info.status;
}

static void assert_unplugged(int f, uint32_t vm)
{
	uint32_t v2 = 0;

	igt_assert_eq(vsvm_vm_create(f, 0, 0, &v2), -ENODEV);
	igt_assert_eq(vsvm_vm_destroy(f, vm), -ENODEV);
}

/* Touch 32 MiB page by page with 8 lanes: one fault per page. */
#define FAULT_SIZE	(32 * SZ_1M)

static uint32_t start_faulting(int f, uint32_t vm, uint64_t *p, uint32_t out_sync)
{
	uint64_t args[3] = { vsvm_va(p), 1, FAULT_SIZE / SZ_4K };
	uint32_t job;

	vsvm_t_mirror(f, vm, p, FAULT_SIZE);
	job = vsvm_t_submit(f, vm, 0, VSVM_T_PROG_TOUCH_PAGES, 8, args, 3,
			    out_sync, NULL, 0);
	while (!p[0])
		usleep(200);
	return job;
}

/* Every page touched at most once; returns how many were. */
static uint64_t touched_pages(const uint64_t *p)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < FAULT_SIZE / SZ_4K; i++) {
		igt_assert_f(p[i * 512] <= 1, "page %" PRIu64 " touched %" PRIu64 " times\n",
			     i, p[i * 512]);
		n += p[i * 512];
	}
	return n;
}

/* ---- a thread migrating in a loop while the device goes away ------------- */

struct migrator {
	pthread_t thread;
	int fd, fd2;
	uint32_t vm, vm2;
	uint64_t *p;
	uint64_t size;
	uint32_t where, where2;
	volatile int started, stop;
	int err;
	unsigned long rounds;
};

/* Prefetch to @where (and back to @where2 on @fd2, if any) until told. */
static void *migrate_loop(void *arg)
{
	struct migrator *m = arg;

	while (!m->stop) {
		int ret = vsvm_t_prefetch_loc(m->fd, m->vm, m->p, m->size, m->where,
					      NULL, NULL, NULL);

		if (!ret && m->fd2 >= 0)
			ret = vsvm_t_prefetch_loc(m->fd2, m->vm2, m->p, m->size,
						  m->where2, NULL, NULL, NULL);
		if (ret) {
			m->err = ret;
			break;
		}
		m->rounds++;
		m->started = 1;
	}
	m->started = 1;
	return NULL;
}

/* CPU reads of every page: moves VRAM pages back to system memory. */
static void *touch_loop(void *arg)
{
	struct migrator *m = arg;
	volatile uint64_t sum = 0;

	while (!m->stop) {
		for (uint64_t i = 0; i < m->size / 8; i += 512)
			sum += m->p[i];
		m->rounds++;
		m->started = 1;
		if (vsvm_t_prefetch_loc(m->fd, m->vm, m->p, m->size, m->where,
					NULL, NULL, NULL))
			break;
	}
	m->started = 1;
	return NULL;
}

static void migrator_start(struct migrator *m, void *(*fn)(void *))
{
	igt_assert_eq(pthread_create(&m->thread, NULL, fn, m), 0);
	while (!m->started)
		usleep(1000);
	usleep(20000);
}

static void migrator_stop(struct migrator *m)
{
	m->stop = 1;
	igt_assert_eq(pthread_join(m->thread, NULL), 0);
}

static void check_data(const uint64_t *p, uint64_t size, uint64_t seed, uint64_t add)
{
	int64_t bad = vsvm_t_check(p, size, seed, add);

	igt_assert_f(bad < 0, "word %" PRId64 " is %#" PRIx64 ", want %#" PRIx64 "\n",
		     bad, p[bad < 0 ? 0 : bad], vsvm_t_pattern(seed, bad < 0 ? 0 : bad) + add);
}

static void require_vram(int idx)
{
	int f = open_index(idx);

	vsvm_t_require_vram(f);
	close(f);
}

/* ---- a process that keeps pages in VRAM --------------------------------- */

/*
 * A child that puts @size of its own memory in device @idx's VRAM, keeps
 * its fd open when @keep_fd, tells the parent, waits for a byte, checks
 * every word and exits 0 if they are intact (1 if not).
 */
static pid_t vram_holder(int idx, uint64_t size, bool keep_fd, int *to_child, int *from_child)
{
	int down[2], up[2];
	pid_t pid;

	igt_assert_eq(pipe(down), 0);
	igt_assert_eq(pipe(up), 0);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		uint64_t *p, done = 0, failed = 0;
		uint32_t vm;
		char c = 0;
		int f;

		close(down[1]);
		close(up[0]);
		f = open_index(idx);
		vm = vsvm_t_vm(f);
		p = anon(size);
		vsvm_t_fill(p, size, 0xabc);
		vsvm_t_mirror(f, vm, p, size);
		if (vsvm_t_prefetch_loc(f, vm, p, size, vsvm_t_here(f), NULL, &done,
					&failed) || done != size / SZ_4K ||
		    vsvm_t_count_flags(f, vm, p, size / SZ_4K, DRM_VSVM_QUERY_VRAM) !=
		    size / SZ_4K)
			_exit(2);
		if (!keep_fd)
			close(f);
		if (write(up[1], &c, 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(3);
		_exit(vsvm_t_check(p, size, 0xabc, 0) < 0 ? 0 : 1);
	}
	close(down[0]);
	close(up[1]);
	*to_child = down[1];
	*from_child = up[0];
	return pid;
}

static void vram_holder_wait_ready(int from_child)
{
	char c;

	igt_assert_eq(read(from_child, &c, 1), 1);
}

static void vram_holder_finish(pid_t pid, int to_child, int from_child)
{
	char c = 0;
	int st;

	igt_assert_eq(write(to_child, &c, 1), 1);
	igt_assert_eq(waitpid(pid, &st, 0), pid);
	igt_assert_f(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		     "the process holding VRAM pages found its data damaged (status %#x)\n", st);
	close(to_child);
	close(from_child);
}

/* ---- subtests ------------------------------------------------------------ */

static void rmmod_after_close_running(void)
{
	int f = open_index(0);
	uint32_t vm = vsvm_t_vm(f);
	uint64_t *p = anon(SZ_2M);

	vsvm_t_mirror(f, vm, p, SZ_2M);
	start_hammer(f, vm, 0, p, p + 100, 0);
	igt_assert_eq(close(f), 0);
	assert_still(p);
	module_unload();
	assert_still(p);
	module_load();
	device_works(0);
	vsvm_t_munmap_aligned(p, SZ_2M);
}

static void rmmod_after_close_queued(void)
{
	int f = open_index(0);
	uint32_t vm = vsvm_t_vm(f), sync;
	uint32_t engines = vsvm_t_param(f, DRM_VSVM_PARAM_NUM_ENGINES);
	uint64_t *p = anon(SZ_2M);

	vsvm_t_mirror(f, vm, p, SZ_2M);
	memset(p, 0, SZ_4K);
	igt_assert_eq(vsvm_syncobj_create(f, &sync), 0);
	start_hammer(f, vm, 0, p, p + 100, sync);
	/* Behind it on its engine, and behind its fence on the others. */
	for (int i = 0; i < 8; i++) {
		uint64_t args[2] = { vsvm_va(p + 200 + i), 0x600 + i };

		vsvm_t_submit(f, vm, i % engines, VSVM_T_PROG_ST64_AT, 1, args, 2,
			      0, &sync, 1);
	}
	igt_assert_eq(close(f), 0);
	assert_still(p);
	module_unload();
	for (int i = 0; i < 8; i++)
		igt_assert_f(p[200 + i] == 0, "queued job %d ran after close()\n", i);
	module_load();
	device_works(0);
	vsvm_t_munmap_aligned(p, SZ_2M);
}

static void rmmod_after_close_faulting(void)
{
	int f = open_index(0);
	uint32_t vm = vsvm_t_vm(f);
	uint64_t *p = anon(FAULT_SIZE), before;

	start_faulting(f, vm, p, 0);
	igt_assert_eq(close(f), 0);
	before = touched_pages(p);
	usleep(100000);
	igt_assert_eq_u64(touched_pages(p), before);
	module_unload();
	igt_assert_eq_u64(touched_pages(p), before);
	igt_info("%" PRIu64 " of %" PRIu64 " pages touched before close()\n",
		 before, (uint64_t)(FAULT_SIZE / SZ_4K));
	module_load();
	device_works(0);
	vsvm_t_munmap_aligned(p, FAULT_SIZE);
}

static void rmmod_with_vram(void)
{
	int to, from;
	pid_t pid;

	require_vram(0);
	pid = vram_holder(0, 8 * SZ_1M, false, &to, &from);
	vram_holder_wait_ready(from);
	module_unload();
	vram_holder_finish(pid, to, from);
	module_load();
	device_works(0);
}

static void unbind_running(void)
{
	int idx = victim_index(), f = open_index(idx), sfd;
	uint32_t vm = vsvm_t_vm(f), sync;
	uint64_t *p = anon(SZ_2M), *buf = anon(4 * SZ_1M);
	bool vram = vsvm_t_param(f, DRM_VSVM_PARAM_VRAM_SIZE) > 0;

	vsvm_t_mirror(f, vm, p, SZ_2M);
	vsvm_t_fill(buf, 4 * SZ_1M, 0x1dea);
	vsvm_t_mirror(f, vm, buf, 4 * SZ_1M);
	if (vram) {
		uint64_t done = 0;

		igt_assert_eq(vsvm_t_prefetch_loc(f, vm, buf, 2 * SZ_1M, vsvm_t_here(f),
						  NULL, &done, NULL), 0);
		igt_assert_eq_u64(done, 2 * SZ_1M / SZ_4K);
	}
	igt_assert_eq(vsvm_syncobj_create(f, &sync), 0);
	start_hammer(f, vm, 0, p, p + 100, sync);
	sfd = export_fence(f, sync);

	unbind(idx);
	igt_assert_eq(fence_status(sfd), -ECANCELED);
	assert_still(p);
	assert_unplugged(f, vm);
	check_data(buf, 4 * SZ_1M, 0x1dea, 0);
	if (idx != 0)
		device_works(0);
	close(sfd);
	igt_assert_eq(close(f), 0);

	bind(idx);
	device_works(idx);
	vsvm_t_munmap_aligned(p, SZ_2M);
	vsvm_t_munmap_aligned(buf, 4 * SZ_1M);
}

static void unbind_during_fault(void)
{
	int idx = victim_index(), f = open_index(idx), sfd, status;
	uint32_t vm = vsvm_t_vm(f), sync;
	uint64_t *p = anon(FAULT_SIZE), before;

	igt_assert_eq(vsvm_syncobj_create(f, &sync), 0);
	start_faulting(f, vm, p, sync);
	sfd = export_fence(f, sync);
	unbind(idx);
	status = fence_status(sfd);
	before = touched_pages(p);
	usleep(100000);
	igt_assert_eq_u64(touched_pages(p), before);
	igt_info("%" PRIu64 " of %" PRIu64 " pages touched before unbind, fence %d\n",
		 before, (uint64_t)(FAULT_SIZE / SZ_4K), status);
	/* Canceled part way, or (a fast machine) done before the unbind. */
	if (before < FAULT_SIZE / SZ_4K)
		igt_assert_eq(status, -ECANCELED);
	else
		igt_assert_eq(status, 1);
	close(sfd);
	igt_assert_eq(close(f), 0);
	bind(idx);
	device_works(idx);
	vsvm_t_munmap_aligned(p, FAULT_SIZE);
}

static void unbind_during_migration(bool to_vram)
{
	int idx = victim_index();
	struct migrator m = { .fd2 = -1, .size = 16 * SZ_1M };

	require_vram(idx);
	m.fd = open_index(idx);
	m.vm = vsvm_t_vm(m.fd);
	m.p = anon(m.size);
	vsvm_t_fill(m.p, m.size, 0x3a3a);
	vsvm_t_mirror(m.fd, m.vm, m.p, m.size);
	m.where = vsvm_t_here(m.fd);
	if (to_vram) {
		/* To VRAM and back to system memory, over and over. */
		m.fd2 = m.fd;
		m.vm2 = m.vm;
		m.where2 = DRM_VSVM_LOCATION_SYSTEM;
		migrator_start(&m, migrate_loop);
	} else {
		igt_assert_eq(vsvm_t_prefetch_loc(m.fd, m.vm, m.p, m.size, m.where,
						  NULL, NULL, NULL), 0);
		migrator_start(&m, touch_loop);
	}
	unbind(idx);
	migrator_stop(&m);
	igt_info("%lu rounds, last error %d\n", m.rounds, m.err);
	if (to_vram)
		igt_assert_eq(m.err, -ENODEV);
	check_data(m.p, m.size, 0x3a3a, 0);
	igt_assert_eq(close(m.fd), 0);
	bind(idx);
	device_works(idx);
	vsvm_t_munmap_aligned(m.p, m.size);
}

static void unbind_during_device_migration(void)
{
	struct migrator m = { .size = 16 * SZ_1M };
	int a = 0, b = victim_index();

	igt_require_f(num_devices >= 2, "needs two devices\n");
	require_vram(a);
	require_vram(b);
	/* A's loop pulls the buffer into A's VRAM, B's loop back into B's. */
	m.fd = open_index(a);
	m.fd2 = open_index(b);
	m.vm = vsvm_t_vm(m.fd);
	m.vm2 = vsvm_t_vm(m.fd2);
	m.p = anon(m.size);
	vsvm_t_fill(m.p, m.size, 0x4b4b);
	vsvm_t_mirror(m.fd, m.vm, m.p, m.size);
	vsvm_t_mirror(m.fd2, m.vm2, m.p, m.size);
	m.where = vsvm_t_here(m.fd);
	m.where2 = vsvm_t_here(m.fd2);
	igt_assert_eq(vsvm_t_prefetch_loc(m.fd2, m.vm2, m.p, m.size, m.where2,
					  NULL, NULL, NULL), 0);
	migrator_start(&m, migrate_loop);
	unbind(b);
	migrator_stop(&m);
	igt_info("%lu rounds, last error %d\n", m.rounds, m.err);
	igt_assert_eq(m.err, -ENODEV);
	check_data(m.p, m.size, 0x4b4b, 0);
	/* A still migrates and computes on the buffer. */
	igt_assert_eq(vsvm_t_prefetch_loc(m.fd, m.vm, m.p, m.size, m.where,
					  NULL, NULL, NULL), 0);
	vsvm_t_gpu_add(m.fd, m.vm, m.p, m.p, m.size / 8, 11);
	check_data(m.p, m.size, 0x4b4b, 11);
	igt_assert_eq(close(m.fd2), 0);
	igt_assert_eq(close(m.fd), 0);
	bind(b);
	device_works(b);
	vsvm_t_munmap_aligned(m.p, m.size);
}

static void unbind_with_vram_mapped(void)
{
	int idx = victim_index(), to, from;
	pid_t pid;

	require_vram(idx);
	pid = vram_holder(idx, 8 * SZ_1M, true, &to, &from);
	vram_holder_wait_ready(from);
	unbind(idx);
	vram_holder_finish(pid, to, from);
	bind(idx);
	device_works(idx);
}

static void rebind_reuse(void)
{
	int idx = victim_index();

	unbind(idx);
	igt_assert_eq(vsvm_device_count(), num_devices - 1);
	bind(idx);
	igt_assert_eq(vsvm_device_count(), num_devices);
	device_works(idx);
}

/* A thread submitting jobs and waiting for them while the device goes. */
struct racer {
	pthread_t thread;
	int fd;
	uint32_t vm, engine;
	struct vsvm_prog prog;
	uint64_t *p;
	volatile int started;
	int err;
	unsigned long done, canceled, wrong;
};

static void *race_loop(void *arg)
{
	struct racer *r = arg;

	for (uint64_t n = 1;; n++) {
		struct vsvm_exec_args a = {
			.vm_id = r->vm, .engine = r->engine, .invocations = 1,
			.program = r->prog.insns, .program_size = r->prog.count,
		};
		struct drm_vsvm_job_status st;
		uint32_t job;
		int ret;

		a.args[0] = vsvm_va(r->p);
		a.args[1] = n;
		ret = vsvm_exec(r->fd, &a, &job);
		if (!ret) {
			r->started = 1;
			ret = vsvm_t_job_status(r->fd, job, VSVM_T_WAIT_NS, &st);
		}
		if (ret) {
			r->err = ret;
			break;
		}
		if (st.state == DRM_VSVM_JOB_DONE) {
			r->done++;
			if (r->p[0] != n)
				r->wrong++;
		} else if (st.state == DRM_VSVM_JOB_CANCELED) {
			r->canceled++;
		} else {
			r->wrong++;
		}
	}
	r->started = 1;
	return NULL;
}

static void bind_unbind_cycles(void)
{
	int idx = victim_index();

	for (int c = 0; c < 8; c++) {
		int f = open_index(idx);
		uint32_t vm = vsvm_t_vm(f);
		uint32_t engines = vsvm_t_param(f, DRM_VSVM_PARAM_NUM_ENGINES);
		uint64_t *p = anon(SZ_2M), *buf = anon(2 * SZ_1M);
		struct racer r = { .fd = f, .vm = vm, .p = p + 200 };

		vsvm_t_fill(buf, 2 * SZ_1M, 0x900 + c);
		vsvm_t_mirror(f, vm, p, SZ_2M);
		vsvm_t_mirror(f, vm, buf, 2 * SZ_1M);
		if (vsvm_t_param(f, DRM_VSVM_PARAM_VRAM_SIZE))
			igt_assert_eq(vsvm_t_prefetch_loc(f, vm, buf, 2 * SZ_1M,
							  vsvm_t_here(f), NULL, NULL,
							  NULL), 0);
		start_hammer(f, vm, c % engines, p, p + 100, 0);
		/* Jobs and waits racing with the unbind, on the other engine. */
		vsvm_t_asm(&r.prog, VSVM_T_PROG_ST64_AT);
		r.engine = (c + 1) % engines;
		igt_assert_eq(pthread_create(&r.thread, NULL, race_loop, &r), 0);
		while (!r.started)
			usleep(1000);
		unbind(idx);
		igt_assert_eq(pthread_join(r.thread, NULL), 0);
		igt_debug("cycle %d: %lu jobs done, %lu canceled, then %d\n", c,
			  r.done, r.canceled, r.err);
		igt_assert_eq(r.err, -ENODEV);
		igt_assert_f(!r.wrong, "%lu jobs ended wrong or wrote a wrong value\n",
			     r.wrong);
		assert_still(p);
		check_data(buf, 2 * SZ_1M, 0x900 + c, 0);
		igt_assert_eq(close(f), 0);
		bind(idx);
		vsvm_prog_fini(&r.prog);
		vsvm_t_munmap_aligned(p, SZ_2M);
		vsvm_t_munmap_aligned(buf, 2 * SZ_1M);
	}
	device_works(idx);
}

igt_main
{
	igt_fixture {
		igt_require(module_loaded());
		save_modparams();
		igt_require_f(num_devices > 0, "cannot read %s\n", PARAM_DIR);
		igt_install_exit_handler(restore_devices);
	}

	igt_describe("close() stops a running job; vsvm.ko then unloads and loads again.");
	igt_subtest("rmmod-after-close-running") {
		require_reload();
		rmmod_after_close_running();
	}

	igt_describe("close() cancels queued jobs: none runs; vsvm.ko unloads and loads again.");
	igt_subtest("rmmod-after-close-queued") {
		require_reload();
		rmmod_after_close_queued();
	}

	igt_describe("close() while a job faults; nothing changes after; unload and load again.");
	igt_subtest("rmmod-after-close-faulting") {
		require_reload();
		rmmod_after_close_faulting();
	}

	igt_describe("Unloading with a live process's pages in VRAM moves them back intact.");
	igt_subtest("rmmod-with-vram") {
		require_reload();
		rmmod_with_vram();
	}

	igt_describe("Unbind under a running job: fence -ECANCELED, data intact, -ENODEV.");
	igt_subtest("unbind-running") {
		require_unbind();
		unbind_running();
	}

	igt_describe("Unbind while a job faults: fence -ECANCELED, no page touched twice.");
	igt_subtest("unbind-during-fault") {
		require_unbind();
		unbind_during_fault();
	}

	igt_describe("Unbind while another thread prefetches to its VRAM: data intact.");
	igt_subtest("unbind-during-migration-to-vram") {
		require_unbind();
		unbind_during_migration(true);
	}

	igt_describe("Unbind while CPU touches move pages out of its VRAM: data intact.");
	igt_subtest("unbind-during-migration-to-ram") {
		require_unbind();
		unbind_during_migration(false);
	}

	igt_describe("Unbind B while A migrates out of B's VRAM: A works, data intact.");
	igt_subtest("unbind-during-device-migration") {
		require_unbind();
		unbind_during_device_migration();
	}

	igt_describe("Unbind with a live process's pages in its VRAM: they come back intact.");
	igt_subtest("unbind-with-vram-mapped") {
		require_unbind();
		unbind_with_vram_mapped();
	}

	igt_describe("After unbind and bind the device runs jobs and migrates correctly.");
	igt_subtest("rebind-reuse") {
		require_unbind();
		rebind_reuse();
	}

	igt_describe("Eight bind/unbind cycles with a job and VRAM pages each time.");
	igt_subtest("bind-unbind-cycles") {
		require_unbind();
		bind_unbind_cycles();
	}
}
