// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <drm/drm_debugfs.h>
#include <drm/drm_file.h>

#include "vsvm_drv.h"
#include "vsvm_vm.h"

/**
 * DOC: debugfs
 *
 * Each device has, under ``/sys/kernel/debug/dri/<primary minor>/`` (root
 * only):
 *
 * - ``vsvm_counters``: one ``name value`` line per &enum vsvm_counter.
 * - ``vsvm_fault_latency``: fault service time histogram, one
 *   ``<from_us> <to_us> <count>`` line per bucket, then ``p50_us`` and
 *   ``p99_us`` (upper bucket bounds).
 * - ``vsvm_migrate_latency``: the same histogram for migrations, one
 *   sample per migrated chunk (at most a granule).
 * - ``vsvm_vms``: every VM with its mirrors, ranges, window mappings and
 *   the number of device PTEs.
 * - ``fault_prefetch_granules``: read/write knob, granules the fault
 *   handler prefetches after each run of faulting granules (default 0).
 * - ``migrate_delay_ms``: read/write knob, milliseconds added to every copy
 *   of a migration chunk (at most a granule) into the device's VRAM, with
 *   the chunk's pages isolated and the migrating thread's locks held: a
 *   slow copy engine on demand, so that tests of what must not wait for a
 *   migration do not depend on the machine's speed (default 0).
 * - ``migrate_workers``: read/write knob, workers that migrate the 2 MiB
 *   chunks of a prefetch in parallel: 0 (the default) one per online CPU,
 *   1 the serial migration, N at most N (and at most 8). On an idle 2-CPU
 *   guest the parallel migration moves 1.2-1.9 times as many bytes per
 *   second as the serial one (bench: ``b_to_dev`` / ``b_to_dev_serial``);
 *   on a host whose CPUs other guests also use it measured slower (mm
 *   lock and cross-CPU TLB work waiting for descheduled vCPUs).
 * - ``migrate_walk``: read/write knob, Y makes a prefetch to VRAM map the
 *   pages it moved through hmm_range_fault() like any other population,
 *   instead of from its migrate arrays under the notifier sequence
 *   (default N; for comparisons in one boot).
 * - ``stepping``: read/write knob, Y makes the engines interpret one
 *   instruction at a time without the fast path (decoded programs,
 *   per-lane translation cache, straight-line runs), read at the start of
 *   each job: the fast path's gain measured in one boot (default N).
 * - ``spread``: read/write knob, N keeps every work-group of a job on the
 *   job's engine instead of letting idle engines take them, read when a
 *   job starts (default Y).
 * - ``vsvm_engines``: one line per engine: its name, ``busy_ns`` (time
 *   running jobs, its own and the work-groups it took from others),
 *   ``units`` (work-groups, or waves of a flat job, it ran to completion)
 *   and ``units_helped`` (those of them from another engine's job).
 */

static const char * const vsvm_counter_names[VSVM_CNT_COUNT] = {
	[VSVM_CNT_FAULTS] = "faults",
	[VSVM_CNT_FAULT_BATCHES] = "fault_batches",
	[VSVM_CNT_FAULT_GRANULES] = "fault_granules",
	[VSVM_CNT_PAGES_FAULTED] = "pages_faulted",
	[VSVM_CNT_FAULTS_UNRESOLVED] = "faults_unresolved",
	[VSVM_CNT_INVALIDATIONS] = "invalidations",
	[VSVM_CNT_PAGES_ZAPPED] = "pages_zapped",
	[VSVM_CNT_TLB_FLUSHES] = "tlb_flushes",
	[VSVM_CNT_HMM_RETRIES] = "hmm_retries",
	[VSVM_CNT_JOBS] = "jobs",
	[VSVM_CNT_JOB_ERRORS] = "job_errors",
	[VSVM_CNT_JOB_TIMEOUTS] = "job_timeouts",
	[VSVM_CNT_JOB_TIMEOUTS_DEFERRED] = "job_timeouts_deferred",
	[VSVM_CNT_PREFETCH_PAGES] = "prefetch_pages",
	[VSVM_CNT_HUGE_MAPPINGS] = "huge_mappings",
	[VSVM_CNT_PAGES_TO_VRAM] = "pages_to_vram",
	[VSVM_CNT_PAGES_TO_SYSTEM] = "pages_to_system",
	[VSVM_CNT_MIGRATE_TO_RAM] = "migrate_to_ram",
	[VSVM_CNT_EVICTIONS] = "evictions",
	[VSVM_CNT_PAGES_EVICTED] = "pages_evicted",
	[VSVM_CNT_MIGRATE_FAILED] = "migrate_failed",
	[VSVM_CNT_MIGRATE_PARALLEL] = "migrate_parallel",
	[VSVM_CNT_PAGES_BOUND_BY_MIGRATION] = "pages_bound_by_migration",
	[VSVM_CNT_COPY_PAGES] = "copy_pages",
	[VSVM_CNT_COPY_NS] = "copy_ns",
	[VSVM_CNT_RANGES_COLLECTED] = "ranges_collected",
	[VSVM_CNT_INSNS] = "insns",
	[VSVM_CNT_INTERP_NS] = "interp_ns",
};

static int vsvm_counters_show(struct seq_file *m, void *data)
{
	struct vsvm_device *vdev = m->private;
	u64 insns;
	int i;

	for (i = 0; i < VSVM_CNT_COUNT; i++)
		seq_printf(m, "%s %lld\n", vsvm_counter_names[i],
			   atomic64_read(&vdev->counters[i]));
	insns = atomic64_read(&vdev->counters[VSVM_CNT_INSNS]);
	seq_printf(m, "interp_ps_per_insn %llu\n", insns ?
		   div64_u64(atomic64_read(&vdev->counters[VSVM_CNT_INTERP_NS]) * 1000, insns) : 0);
	seq_printf(m, "vram_size %llu\nvram_used %lld\n", vdev->vram.size,
		   atomic64_read(&vdev->vram.used));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsvm_counters);

static int vsvm_engines_show(struct seq_file *m, void *data)
{
	struct vsvm_device *vdev = m->private;
	u32 i;

	for (i = 0; i < vdev->num_engines; i++) {
		struct vsvm_engine *eng = &vdev->engines[i];

		seq_printf(m, "%s busy_ns %lld units %lld units_helped %lld\n", eng->name,
			   atomic64_read(&eng->busy_ns), atomic64_read(&eng->units),
			   atomic64_read(&eng->units_helped));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsvm_engines);

static u64 vsvm_bucket_hi(int b)
{
	return 1ull << b;
}

static void vsvm_histogram_show(struct seq_file *m, atomic64_t *hist)
{
	u64 counts[VSVM_LAT_BUCKETS], total = 0, acc = 0;
	u64 p50 = 0, p99 = 0;
	int b;

	for (b = 0; b < VSVM_LAT_BUCKETS; b++) {
		counts[b] = atomic64_read(&hist[b]);
		total += counts[b];
	}
	for (b = 0; b < VSVM_LAT_BUCKETS; b++) {
		seq_printf(m, "%llu %llu %llu\n", b ? vsvm_bucket_hi(b - 1) : 0,
			   vsvm_bucket_hi(b), counts[b]);
		acc += counts[b];
		if (!p50 && total && acc * 2 >= total)
			p50 = vsvm_bucket_hi(b);
		if (!p99 && total && acc * 100 >= total * 99)
			p99 = vsvm_bucket_hi(b);
	}
	seq_printf(m, "p50_us %llu\np99_us %llu\n", p50, p99);
}

static int vsvm_fault_latency_show(struct seq_file *m, void *data)
{
	struct vsvm_device *vdev = m->private;

	vsvm_histogram_show(m, vdev->fault_lat);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsvm_fault_latency);

static int vsvm_migrate_latency_show(struct seq_file *m, void *data)
{
	struct vsvm_device *vdev = m->private;

	vsvm_histogram_show(m, vdev->migrate_lat);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsvm_migrate_latency);

static int vsvm_vms_show(struct seq_file *m, void *data)
{
	struct vsvm_device *vdev = m->private;
	struct drm_gpuva *va;
	struct vsvm_mirror *mi;
	struct vsvm_range *r;
	struct vsvm_vm *vm;
	unsigned long idx;

	mutex_lock(&vdev->vms_lock);
	list_for_each_entry(vm, &vdev->vms, link) {
		unsigned long nranges = 0;

		/* Show no range whose CPU mapping is already gone. */
		vsvm_svm_gc_flush(vm);
		mutex_lock(&vm->lock);
		xa_for_each(&vm->ranges, idx, r)
			nranges++;
		seq_printf(m, "vm %u window [0x%llx, 0x%llx) ranges %lu pt_tables %lu tlb_gen %llu\n",
			   vm->id, vm->window_start, vm->window_end, nranges,
			   vm->pt.tables, vm->tlb_gen);
		list_for_each_entry(mi, &vm->mirrors, link)
			seq_printf(m, "  mirror [0x%llx, 0x%llx)%s\n", mi->start,
				   mi->end, mi->snapshot ? " snapshot" : "");
		drm_gpuvm_for_each_va(va, &vm->gpuvm)
			seq_printf(m, "  map [0x%llx, 0x%llx) offset 0x%llx%s\n",
				   va->va.addr, va->va.addr + va->va.range, va->gem.offset,
				   to_vsvm_mapping(va)->readonly ? " ro" : "");
		mutex_unlock(&vm->lock);
	}
	mutex_unlock(&vdev->vms_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsvm_vms);

/**
 * vsvm_debugfs_init() - drm_driver.debugfs_init
 * @minor: the primary minor
 */
void vsvm_debugfs_init(struct drm_minor *minor)
{
	struct vsvm_device *vdev = to_vsvm_device(minor->dev);
	struct dentry *root = minor->debugfs_root;

	debugfs_create_file("vsvm_counters", 0400, root, vdev, &vsvm_counters_fops);
	debugfs_create_file("vsvm_engines", 0400, root, vdev, &vsvm_engines_fops);
	debugfs_create_file("vsvm_fault_latency", 0400, root, vdev,
			    &vsvm_fault_latency_fops);
	debugfs_create_file("vsvm_migrate_latency", 0400, root, vdev,
			    &vsvm_migrate_latency_fops);
	debugfs_create_file("vsvm_vms", 0400, root, vdev, &vsvm_vms_fops);
	debugfs_create_u32("fault_prefetch_granules", 0600, root,
			   &vdev->prefetch_granules);
	debugfs_create_u32("migrate_delay_ms", 0600, root, &vdev->migrate_delay_ms);
	debugfs_create_u32("migrate_workers", 0600, root, &vdev->migrate_workers);
	debugfs_create_bool("migrate_walk", 0600, root, &vdev->migrate_walk);
	debugfs_create_bool("stepping", 0600, root, &vdev->stepping);
	debugfs_create_bool("spread", 0600, root, &vdev->spread);
}
