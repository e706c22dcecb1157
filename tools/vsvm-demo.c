// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-demo: shared virtual memory on the vsvm virtual GPU, step by step.
 *
 * The CPU builds a linked list out of malloc()'d nodes and leaves an array
 * untouched; the GPU walks the list through plain CPU pointers and fills
 * the array, every first touch of a page being a GPU page fault resolved
 * through HMM. If the device has VRAM, the array is then prefetched to
 * VRAM, updated there in place by many GPU lanes and read back by the CPU,
 * which migrates it home. Every result is checked; any mismatch exits 1.
 *
 *   vsvm-demo [-n NODES] [-d DEVICE_INDEX]
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vsvm.h"

#define DEMO_DEFAULT_NODES	4096
#define DEMO_MAX_COUNTERS	64
#define DEMO_SHOW_MISMATCHES	5
/* debugfs files of the device (root only), see vsvm_debugfs.c */
#define DEMO_COUNTERS		"vsvm_counters"
#define DEMO_LATENCY		"vsvm_fault_latency"

/* A node of the CPU's linked list; the GPU program uses these offsets. */
struct node {
	struct node *next;	/* offset 0 */
	uint64_t value;		/* offset 8 */
	uint64_t index;		/* offset 16 */
};
_Static_assert(offsetof(struct node, next) == 0, "program uses [r0 + 0]");
_Static_assert(offsetof(struct node, value) == 8, "program uses [r0 + 8]");
_Static_assert(offsetof(struct node, index) == 16, "program uses [r0 + 16]");

/* The list walker, in vsvm assembly: r0 = list head, r1 = array. */
static const char walk_src[] =
	"; for (node = head; node; node = node->next)\n"
	";         array[node->index] = node->value * 3 + 1;\n"
	"        li   r2, 0\n"
	"walk:   beq  r0, r2, done\n"
	"        ld64 r3, [r0 + 8]        ; node->value\n"
	"        ld64 r4, [r0 + 16]       ; node->index\n"
	"        muli r3, r3, 3\n"
	"        addi r3, r3, 1\n"
	"        shli r4, r4, 3\n"
	"        add  r4, r4, r1          ; &array[node->index]\n"
	"        st64 [r4], r3\n"
	"        ld64 r0, [r0]            ; node = node->next\n"
	"        jmp  walk\n"
	"done:   end\n";

struct counter {
	char name[64];
	long long value;
};

struct demo {
	int fd;
	uint32_t vm;
	size_t page;
	uint64_t n;
	struct node **nodes;		/* by index */
	struct node *head;		/* list order is shuffled */
	uint64_t *array;
	size_t array_bytes;
	uint64_t mirror_addr[2], mirror_size[2];
	int nmirrors;
	uint64_t vram_size, max_invocations, dev_index;
	unsigned int checks, failures;
	char debugfs[256];
	struct counter ctr[DEMO_MAX_COUNTERS];
	int nctr;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void step(int n, const char *title)
{
	printf("\nStep %d. %s\n", n, title);
}

/* An ioctl that must work: report and exit. */
static void must(int ret, const char *what)
{
	if (!ret)
		return;
	printf("  FAILED: %s: %s\n", what, vsvm_strerror(ret));
	exit(1);
}

/* Record one checked result. */
static void check(struct demo *d, bool ok, const char *what)
{
	d->checks++;
	if (!ok)
		d->failures++;
	printf("  [%s] %s\n", ok ? " ok " : "FAIL", what);
}

static uint64_t value_of(uint64_t i)
{
	/* Distinct, deterministic, with high bits set. */
	return (i + 1) * 0x9e3779b97f4a7c15ull;
}

static void print_job(const struct drm_vsvm_job_status *st, double ms)
{
	printf("  job %u: %s, %" PRIu64 " instructions, %" PRIu64
	       " recoverable page faults, %.1f ms\n", st->job_id,
	       vsvm_job_state_str(st->state), (uint64_t)st->instructions,
	       (uint64_t)st->faults, ms);
	if (st->state == DRM_VSVM_JOB_FAULTED)
		printf("  fault: %s on %s of 0x%" PRIx64 " by lane %u at pc %u\n",
		       vsvm_fault_reason_str(st->fault_reason),
		       vsvm_access_str(st->fault_access),
		       (uint64_t)st->fault_addr, st->fault_lane, st->fault_pc);
}

/* Run a program and wait; a job that does not finish DONE is fatal. */
static void run(struct demo *d, const struct vsvm_prog *p, uint32_t lanes,
		const uint64_t *args, const char *what)
{
	struct drm_vsvm_job_status st = { 0 };
	double t0 = now_ms();
	int ret = vsvm_run(d->fd, d->vm, p, lanes, args, &st);

	if (ret == -EIO || ret == -ETIME)
		print_job(&st, now_ms() - t0);
	must(ret, what);
	print_job(&st, now_ms() - t0);
}

static void print_program(const struct vsvm_prog *p)
{
	char text[96];

	for (uint32_t i = 0; i < p->count; i++) {
		vsvm_disasm(p->insns[i], text, sizeof(text));
		printf("    %3u  %016" PRIx64 "  %s\n", i, p->insns[i], text);
	}
}

/* ---- debugfs counters (optional: tolerated absent) ---- */

/* Read the "name value" lines of debugfs file @name. */
static int read_counters(struct demo *d, const char *name, struct counter *out,
			 int max)
{
	char path[320], line[256];
	FILE *f;
	int n = 0;

	if (!d->debugfs[0])
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/%s", d->debugfs, name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		char *num;

		/* "name value", "name: value" or "name=value" */
		while (len && (line[len - 1] == '\n' || line[len - 1] == ' '))
			line[--len] = '\0';
		num = line + len;
		while (num > line && !strchr(" \t:=", num[-1]))
			num--;
		if (num == line || sscanf(num, "%lld", &out[n].value) != 1)
			continue;
		len = (size_t)(num - line);
		while (len && strchr(" \t:=", line[len - 1]))
			len--;
		if (!len || len >= sizeof(out[n].name))
			continue;
		memcpy(out[n].name, line, len);
		out[n].name[len] = '\0';
		n++;
	}
	fclose(f);
	return n;
}

static void show_counters(struct demo *d)
{
	struct counter now[DEMO_MAX_COUNTERS];
	int n = read_counters(d, DEMO_COUNTERS, now, DEMO_MAX_COUNTERS);

	if (n < 0) {
		printf("  (no counters: %s%s)\n",
		       d->debugfs[0] ? "cannot read " DEMO_COUNTERS " in " :
		       "debugfs not mounted or no dri directory",
		       d->debugfs);
		return;
	}
	printf("  from %s/" DEMO_COUNTERS " (change during this demo):\n",
	       d->debugfs);
	for (int i = 0; i < n; i++) {
		long long before = 0;

		for (int j = 0; j < d->nctr; j++)
			if (!strcmp(d->ctr[j].name, now[i].name))
				before = d->ctr[j].value;
		printf("    %-32s %12lld  (+%lld)\n", now[i].name, now[i].value,
		       now[i].value - before);
	}
	/* The fault latency histogram ends with its percentiles. */
	n = read_counters(d, DEMO_LATENCY, now, DEMO_MAX_COUNTERS);
	for (int i = 0; i < n; i++)
		if (!strcmp(now[i].name, "p50_us") || !strcmp(now[i].name, "p99_us"))
			printf("    fault service %-18s %12lld  (since module load)\n",
			       now[i].name, now[i].value);
}

/* ---- the story ---- */

static void open_device(struct demo *d, int index)
{
	uint64_t uapi, isa, engines, granule, sizes, ndev, wave;
	int ret = vsvm_open(index, &d->fd);

	if (ret) {
		printf("  no vsvm device %d: %s\n  (is vsvm.ko loaded?)\n",
		       index, vsvm_strerror(ret));
		exit(1);
	}
	must(vsvm_get_param(d->fd, DRM_VSVM_PARAM_UAPI_VERSION, &uapi), "GET_PARAM");
	must(vsvm_get_param(d->fd, DRM_VSVM_PARAM_ISA_VERSION, &isa), "GET_PARAM");
	must(vsvm_get_param(d->fd, DRM_VSVM_PARAM_NUM_ENGINES, &engines), "GET_PARAM");
	must(vsvm_get_param(d->fd, DRM_VSVM_PARAM_VRAM_SIZE, &d->vram_size), "GET_PARAM");
	must(vsvm_get_param(d->fd, DRM_VSVM_PARAM_NUM_DEVICES, &ndev), "GET_PARAM");
	must(vsvm_get_param(d->fd, DRM_VSVM_PARAM_GRANULE_SIZE, &granule), "GET_PARAM");
	must(vsvm_get_param(d->fd, DRM_VSVM_PARAM_PAGE_SIZES, &sizes), "GET_PARAM");
	must(vsvm_get_param(d->fd, DRM_VSVM_PARAM_WAVE_SIZE, &wave), "GET_PARAM");
	must(vsvm_get_param(d->fd, DRM_VSVM_PARAM_DEVICE_INDEX, &d->dev_index),
	     "GET_PARAM");
	must(vsvm_get_param(d->fd, DRM_VSVM_PARAM_MAX_INVOCATIONS,
			    &d->max_invocations), "GET_PARAM");
	printf("  device %d of %" PRIu64 ": uAPI %" PRIu64 ".%" PRIu64 ", ISA %" PRIu64
	       ", %" PRIu64 " engines, wave %" PRIu64 ", max %" PRIu64 " lanes\n",
	       index, ndev, uapi >> 16, uapi & 0xffff, isa, engines, wave,
	       d->max_invocations);
	printf("  VRAM %" PRIu64 " MiB, granule %" PRIu64 " KiB, page sizes%s%s\n",
	       d->vram_size >> 20, granule >> 10, sizes & (1 << 12) ? " 4K" : "",
	       sizes & (1 << 21) ? " 2M" : "");
	check(d, uapi >> 16 == DRM_VSVM_UAPI_VERSION >> 16,
	      "kernel speaks this uAPI major version");
	check(d, isa == DRM_VSVM_ISA_VERSION, "engines run this ISA version");
	if (vsvm_debugfs_dir(d->fd, d->debugfs, sizeof(d->debugfs)))
		d->debugfs[0] = '\0';
	d->nctr = read_counters(d, DEMO_COUNTERS, d->ctr, DEMO_MAX_COUNTERS);
	if (d->nctr < 0)
		d->nctr = 0;
}

static void build_data(struct demo *d)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0, a_lo, a_hi;
	uint64_t *order;
	double t0 = now_ms();

	d->nodes = calloc(d->n, sizeof(*d->nodes));
	order = calloc(d->n, sizeof(*order));
	if (!d->nodes || !order) {
		printf("  FAILED: out of memory\n");
		exit(1);
	}
	for (uint64_t i = 0; i < d->n; i++) {
		d->nodes[i] = malloc(sizeof(struct node));
		if (!d->nodes[i]) {
			printf("  FAILED: out of memory\n");
			exit(1);
		}
		d->nodes[i]->value = value_of(i);
		d->nodes[i]->index = i;
		order[i] = i;
		if ((uintptr_t)d->nodes[i] < lo)
			lo = (uintptr_t)d->nodes[i];
		if ((uintptr_t)d->nodes[i] + sizeof(struct node) > hi)
			hi = (uintptr_t)d->nodes[i] + sizeof(struct node);
	}
	/* Link the nodes in a shuffled order (fixed seed). */
	srand(6);
	for (uint64_t i = d->n - 1; i > 0; i--) {
		uint64_t j = (uint64_t)rand() % (i + 1), tmp = order[i];

		order[i] = order[j];
		order[j] = tmp;
	}
	for (uint64_t i = 0; i < d->n; i++)
		d->nodes[order[i]]->next = i + 1 < d->n ? d->nodes[order[i + 1]] : NULL;
	d->head = d->nodes[order[0]];
	free(order);

	/* The array: anonymous memory the CPU never touches. */
	d->array_bytes = (d->n * sizeof(uint64_t) + d->page - 1) & ~(d->page - 1);
	d->array = mmap(NULL, d->array_bytes, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (d->array == MAP_FAILED) {
		printf("  FAILED: mmap: %s\n", strerror(errno));
		exit(1);
	}
	printf("  %" PRIu64 " nodes of %zu bytes malloc()'d in [%p, %p), linked in shuffled order\n",
	       d->n, sizeof(struct node), (void *)lo, (void *)hi);
	printf("  array of %" PRIu64 " u64 mmap()'d at %p (%zu pages, not yet touched)\n",
	       d->n, (void *)d->array, d->array_bytes / d->page);
	printf("  CPU time: %.1f ms\n", now_ms() - t0);

	/* Mirror ranges: the heap span of the nodes and the array. */
	lo &= ~(uintptr_t)(d->page - 1);
	hi = (hi + d->page - 1) & ~(uintptr_t)(d->page - 1);
	a_lo = (uintptr_t)d->array;
	a_hi = a_lo + d->array_bytes;
	if (a_lo < hi && lo < a_hi) {
		d->mirror_addr[0] = lo < a_lo ? lo : a_lo;
		d->mirror_size[0] = (hi > a_hi ? hi : a_hi) - d->mirror_addr[0];
		d->nmirrors = 1;
	} else {
		d->mirror_addr[0] = lo;
		d->mirror_size[0] = hi - lo;
		d->mirror_addr[1] = a_lo;
		d->mirror_size[1] = d->array_bytes;
		d->nmirrors = 2;
	}
}

static void create_vm(struct demo *d)
{
	must(vsvm_vm_create(d->fd, 0, 0, &d->vm), "VM_CREATE");
	printf("  VM %u created: GPU VA == CPU VA inside mirrored ranges\n", d->vm);
	for (int i = 0; i < d->nmirrors; i++) {
		must(vsvm_mirror(d->fd, d->vm, d->mirror_addr[i], d->mirror_size[i], 0),
		     "VM_BIND MIRROR");
		printf("  mirrored [0x%" PRIx64 ", 0x%" PRIx64 ") (%" PRIu64 " KiB)\n",
		       d->mirror_addr[i], d->mirror_addr[i] + d->mirror_size[i],
		       d->mirror_size[i] >> 10);
	}
}

/* Count array pages whose query flags contain @flag. */
static uint64_t count_pages(struct demo *d, uint32_t flag, uint64_t *npages)
{
	uint64_t n = d->array_bytes / d->page, hits = 0;
	uint32_t *flags = calloc(n, sizeof(*flags));

	if (!flags) {
		printf("  FAILED: out of memory\n");
		exit(1);
	}
	must(vsvm_svm_query(d->fd, d->vm, vsvm_va(d->array), n, flags), "SVM_QUERY");
	for (uint64_t i = 0; i < n; i++)
		if ((flags[i] & flag) == flag)
			hits++;
	free(flags);
	*npages = n;
	return hits;
}

static void gpu_walk(struct demo *d)
{
	uint64_t args[DRM_VSVM_EXEC_MAX_ARGS] = { vsvm_va(d->head), vsvm_va(d->array) };
	struct vsvm_prog p;
	uint64_t npages, mirrored, mapped;
	char err[256];

	if (vsvm_asm(walk_src, &p, err, sizeof(err))) {
		printf("  FAILED: assembler: %s\n", err);
		exit(1);
	}
	printf("  program, assembled from text by vsvm_asm():\n");
	print_program(&p);
	printf("  r0 = head %p, r1 = array %p, 1 lane\n", (void *)d->head,
	       (void *)d->array);
	run(d, &p, 1, args, "EXEC list walk");
	vsvm_prog_fini(&p);

	mirrored = count_pages(d, DRM_VSVM_QUERY_MIRRORED, &npages);
	mapped = count_pages(d, DRM_VSVM_QUERY_GPU_MAPPED, &npages);
	printf("  device view of the array: %" PRIu64 "/%" PRIu64 " pages mirrored, %"
	       PRIu64 " mapped for the GPU\n", mirrored, npages, mapped);
	check(d, mirrored == npages, "every array page lies in a mirror");
}

/* Compare the array with @expect(i); prints the first mismatches. */
static void check_array(struct demo *d, uint64_t (*expect)(struct demo *, uint64_t),
			const char *what)
{
	uint64_t bad = 0;
	char msg[160];
	double t0 = now_ms();

	for (uint64_t i = 0; i < d->n; i++) {
		uint64_t want = expect(d, i);

		if (d->array[i] == want)
			continue;
		if (bad++ < DEMO_SHOW_MISMATCHES)
			printf("  array[%" PRIu64 "] = 0x%016" PRIx64 ", expected 0x%016"
			       PRIx64 "\n", i, d->array[i], want);
	}
	printf("  CPU read and compared %zu KiB in %.1f ms\n", d->array_bytes >> 10,
	       now_ms() - t0);
	snprintf(msg, sizeof(msg), "%s: %" PRIu64 "/%" PRIu64 " entries correct",
		 what, d->n - bad, d->n);
	check(d, bad == 0, msg);
}

static uint64_t after_walk(struct demo *d, uint64_t i)
{
	return d->nodes[i]->value * 3 + 1;
}

static uint64_t after_update(struct demo *d, uint64_t i)
{
	return after_walk(d, i) + i;
}

/* Why VRAM cannot be shown, or NULL if it can; @in_vram/@npages set. */
static const char *prefetch_vram(struct demo *d, uint64_t *in_vram, uint64_t *npages)
{
	static char why[200];
	uint64_t n = d->array_bytes / d->page, done = 0, failed = 0;
	uint64_t per_status[8] = { 0 }, ok;
	uint8_t *status;
	char msg[160];
	double t0;
	int ret;

	if (!d->vram_size)
		return "the device has no VRAM (DRM_VSVM_PARAM_VRAM_SIZE is 0)";
	status = malloc(n);
	if (!status) {
		printf("  FAILED: out of memory\n");
		exit(1);
	}
	memset(status, 0xff, n);
	t0 = now_ms();
	ret = vsvm_prefetch_to(d->fd, d->vm, vsvm_va(d->array), d->array_bytes, 0,
			       DRM_VSVM_LOCATION_DEVICE((uint32_t)d->dev_index),
			       status, &done, &failed);
	if (ret) {
		free(status);
		snprintf(why, sizeof(why), "prefetch to the VRAM of device %" PRIu64
			 " was refused: %s", d->dev_index, vsvm_strerror(ret));
		return why;
	}
	for (uint64_t i = 0; i < n; i++)
		per_status[status[i] < 8 ? status[i] : 7]++;
	free(status);
	ok = per_status[DRM_VSVM_PAGE_OK];
	printf("  VM_BIND PREFETCH location=DEVICE(%" PRIu64 ") of %zu KiB: %" PRIu64
	       " pages done, %" PRIu64 " failed, %.1f ms\n", d->dev_index,
	       d->array_bytes >> 10, done, failed, now_ms() - t0);
	for (uint32_t s = 1; s < 8; s++)
		if (per_status[s])
			printf("  %" PRIu64 " pages: %s\n", per_status[s],
			       vsvm_page_status_str(s));
	snprintf(msg, sizeof(msg), "prefetch made all %" PRIu64
		 " pages resident (status OK for %" PRIu64 ")", n, ok);
	check(d, done == n && failed == 0 && ok == n, msg);
	*in_vram = count_pages(d, DRM_VSVM_QUERY_VRAM, npages);
	printf("  device view: %" PRIu64 "/%" PRIu64 " array pages in VRAM\n",
	       *in_vram, *npages);
	if (!*in_vram)
		return "prefetch left the pages in system memory (no migration to VRAM)";
	return NULL;
}

static void gpu_update(struct demo *d)
{
	uint64_t args[DRM_VSVM_EXEC_MAX_ARGS] = { vsvm_va(d->array), d->n };
	uint32_t lanes = (uint32_t)(d->n < d->max_invocations ? d->n : d->max_invocations);
	struct vsvm_prog p;
	int loop, done;

	/* Built with the C builder: lane i adds i to array[i], i += lanes. */
	vsvm_prog_init(&p);
	loop = vsvm_label_new(&p);
	done = vsvm_label_new(&p);
	vsvm_emit_sr(&p, 2, DRM_VSVM_SREG_LANE_ID);
	vsvm_emit_sr(&p, 3, DRM_VSVM_SREG_LANE_COUNT);
	vsvm_label_bind(&p, loop);
	vsvm_emit_branch(&p, DRM_VSVM_OP_BGEU, 2, 1, done);
	vsvm_emit_alui(&p, DRM_VSVM_OP_SHLI, 4, 2, 3);
	vsvm_emit_alu(&p, DRM_VSVM_OP_ADD, 4, 4, 0);
	vsvm_emit_ld(&p, DRM_VSVM_OP_LD64, 5, 4, 0);
	vsvm_emit_alu(&p, DRM_VSVM_OP_ADD, 5, 5, 2);
	vsvm_emit_st(&p, DRM_VSVM_OP_ST64, 4, 0, 5);
	vsvm_emit_alu(&p, DRM_VSVM_OP_ADD, 2, 2, 3);
	vsvm_emit_jmp(&p, loop);
	vsvm_label_bind(&p, done);
	vsvm_emit_end(&p);
	if (vsvm_prog_finish(&p)) {
		printf("  FAILED: builder: %s\n", p.errmsg);
		exit(1);
	}
	printf("  program, built with the C builder API:\n");
	print_program(&p);
	printf("  r0 = array, r1 = %" PRIu64 ", %u lanes\n", d->n, lanes);
	run(d, &p, lanes ? lanes : 1, args, "EXEC update");
	vsvm_prog_fini(&p);
}

static void cleanup(struct demo *d)
{
	for (int i = 0; i < d->nmirrors; i++)
		must(vsvm_unmirror(d->fd, d->vm, d->mirror_addr[i], d->mirror_size[i]),
		     "VM_BIND UNMIRROR");
	must(vsvm_vm_destroy(d->fd, d->vm), "VM_DESTROY");
	for (uint64_t i = 0; i < d->n; i++)
		free(d->nodes[i]);
	free(d->nodes);
	munmap(d->array, d->array_bytes);
	close(d->fd);
	printf("  mirrors removed, VM destroyed, memory freed\n");
}

int main(int argc, char **argv)
{
	struct demo d = { .fd = -1, .n = DEMO_DEFAULT_NODES };
	uint64_t in_vram = 0, npages = 0;
	const char *no_vram;
	int index = 0, opt;
	double t0 = now_ms();

	while ((opt = getopt(argc, argv, "n:d:h")) != -1) {
		switch (opt) {
		case 'n':
			d.n = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			index = atoi(optarg);
			break;
		default:
			printf("usage: vsvm-demo [-n NODES] [-d DEVICE_INDEX]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (d.n < 1 || d.n > (1u << 24)) {
		printf("vsvm-demo: -n must be 1..%u\n", 1u << 24);
		return 2;
	}
	d.page = vsvm_page_size();
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("vsvm-demo: a GPU that shares the CPU's virtual memory\n");

	step(1, "Open the vsvm device");
	open_device(&d, index);

	step(2, "The CPU builds a linked list and an array with malloc() and mmap()");
	build_data(&d);

	step(3, "Create a GPU VM and mirror the CPU ranges (no copies, no buffers)");
	create_vm(&d);

	step(4, "The GPU walks the list and fills the array through page faults");
	gpu_walk(&d);

	step(5, "The CPU checks what the GPU wrote");
	check_array(&d, after_walk, "array[node->index] == node->value * 3 + 1");

	step(6, "Prefetch the array to VRAM");
	no_vram = prefetch_vram(&d, &in_vram, &npages);
	if (no_vram)
		printf("  skipped: %s; the next steps run on system memory\n", no_vram);
	else
		check(&d, in_vram == npages, "every array page migrated to VRAM");

	step(7, "Many GPU lanes update the array in place");
	gpu_update(&d);
	if (!no_vram) {
		uint64_t still = count_pages(&d, DRM_VSVM_QUERY_VRAM, &npages);

		printf("  device view: %" PRIu64 "/%" PRIu64 " array pages in VRAM\n",
		       still, npages);
	}

	step(8, no_vram ? "The CPU reads the array back" :
	     "The CPU reads the array back, migrating it out of VRAM");
	check_array(&d, after_update, "array[i] == node(i)->value * 3 + 1 + i");
	if (!no_vram) {
		uint64_t left = count_pages(&d, DRM_VSVM_QUERY_VRAM, &npages);

		printf("  device view: %" PRIu64 "/%" PRIu64 " array pages in VRAM\n",
		       left, npages);
		check(&d, left == 0, "no page left in VRAM after the CPU touched them all");
	}

	step(9, "Counters");
	show_counters(&d);

	step(10, "Clean up");
	cleanup(&d);

	printf("\nvsvm-demo: %u checks, %u failed, %.1f ms in all: %s\n", d.checks,
	       d.failures, now_ms() - t0, d.failures ? "FAILED" : "PASSED");
	return d.failures ? 1 : 0;
}
