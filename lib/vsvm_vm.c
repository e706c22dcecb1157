// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * VMs: create/destroy, bind operations, SVM query and attributes.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vsvm_internal.h"

int vsvm_vm_create(int fd, uint64_t unmanaged_start, uint64_t unmanaged_size,
		   uint32_t *vm_id)
{
	struct drm_vsvm_vm_create c = {
		.unmanaged_start = unmanaged_start,
		.unmanaged_size = unmanaged_size,
	};
	int ret = vsvm_ioctl(fd, DRM_IOCTL_VSVM_VM_CREATE, &c);

	if (!ret)
		*vm_id = c.vm_id;
	return ret;
}

int vsvm_vm_destroy(int fd, uint32_t vm_id)
{
	struct drm_vsvm_vm_destroy d = { .vm_id = vm_id };

	return vsvm_ioctl(fd, DRM_IOCTL_VSVM_VM_DESTROY, &d);
}

/* The most operations of one VM_BIND (the kernel's limit). */
#define VSVM_BIND_MAX_OPS	256

int vsvm_vm_bind_sized(int fd, uint32_t vm_id, struct vsvm_bind_op *ops,
		       uint32_t count, size_t op_size,
		       const struct vsvm_sync *syncs, uint32_t sync_count,
		       size_t sync_size, uint32_t *done)
{
	struct drm_vsvm_sync ks[DRM_VSVM_MAX_SYNCS];
	struct drm_vsvm_vm_bind_op *kops;
	struct vsvm_bind_op op;
	int ret;

	if (!count || count > VSVM_BIND_MAX_OPS || !ops ||
	    op_size < offsetof(struct vsvm_bind_op, pages_failed) + sizeof(uint64_t) ||
	    sync_count > DRM_VSVM_MAX_SYNCS)
		return -EINVAL;
	ret = vsvm_syncs_to_kernel(syncs, sync_count, sync_size, ks);
	if (ret)
		return ret;
	kops = calloc(count, sizeof(*kops));
	if (!kops)
		return -ENOMEM;
	for (uint32_t i = 0; i < count; i++) {
		VSVM_STRUCT_IN(&op, (char *)ops + i * op_size, op_size);
		kops[i] = (struct drm_vsvm_vm_bind_op) {
			.op = op.op, .flags = op.flags, .addr = op.addr,
			.range = op.range, .handle = op.handle,
			.bo_offset = op.bo_offset,
			.status_ptr = op.status ? vsvm_va(op.status) : 0,
			.location = op.location,
		};
	}

	struct drm_vsvm_vm_bind b = {
		.vm_id = vm_id,
		.stride = sizeof(*kops),
		.count = count,
		.ops_ptr = vsvm_va(kops),
		.syncs = {
			.stride = sizeof(ks[0]), .count = sync_count,
			.ptr = sync_count ? vsvm_va(ks) : 0,
		},
	};

	ret = vsvm_ioctl(fd, DRM_IOCTL_VSVM_VM_BIND, &b);
	for (uint32_t i = 0; i < b.done && i < count; i++) {
		struct vsvm_bind_op *o = (struct vsvm_bind_op *)((char *)ops + i * op_size);

		o->pages_done = kops[i].pages_done;
		o->pages_failed = kops[i].pages_failed;
	}
	free(kops);
	if (done)
		*done = b.done;
	return ret;
}

/* One operation, output fields copied back to @op. */
static int bind_one(int fd, uint32_t vm_id, struct vsvm_bind_op *op)
{
	return vsvm_vm_bind(fd, vm_id, op, 1, NULL);
}

int vsvm_mirror(int fd, uint32_t vm_id, uint64_t addr, uint64_t size,
		uint32_t flags)
{
	struct vsvm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_MIRROR, .flags = flags,
		.addr = addr, .range = size,
	};

	return bind_one(fd, vm_id, &op);
}

int vsvm_unmirror(int fd, uint32_t vm_id, uint64_t addr, uint64_t size)
{
	struct vsvm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_UNMIRROR, .addr = addr, .range = size,
	};

	return bind_one(fd, vm_id, &op);
}

int vsvm_map(int fd, uint32_t vm_id, uint64_t addr, uint64_t size,
	     uint32_t handle, uint64_t offset, uint32_t flags)
{
	struct vsvm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_MAP, .flags = flags,
		.addr = addr, .range = size,
		.handle = handle, .bo_offset = offset,
	};

	return bind_one(fd, vm_id, &op);
}

int vsvm_unmap(int fd, uint32_t vm_id, uint64_t addr, uint64_t size)
{
	struct vsvm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_UNMAP, .addr = addr, .range = size,
	};

	return bind_one(fd, vm_id, &op);
}

int vsvm_prefetch_to(int fd, uint32_t vm_id, uint64_t addr, uint64_t size,
		     uint32_t flags, uint32_t location, uint8_t *status,
		     uint64_t *pages_done, uint64_t *pages_failed)
{
	struct vsvm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_PREFETCH, .flags = flags,
		.addr = addr, .range = size,
		.status = status,
		.location = location,
	};
	int ret = bind_one(fd, vm_id, &op);

	if (!ret) {
		if (pages_done)
			*pages_done = op.pages_done;
		if (pages_failed)
			*pages_failed = op.pages_failed;
	}
	return ret;
}

int vsvm_prefetch(int fd, uint32_t vm_id, uint64_t addr, uint64_t size,
		  uint32_t flags, uint8_t *status, uint64_t *pages_done,
		  uint64_t *pages_failed)
{
	return vsvm_prefetch_to(fd, vm_id, addr, size, flags,
				DRM_VSVM_LOCATION_ANY, status, pages_done,
				pages_failed);
}

static struct drm_vsvm_svm_attr attr_to_kernel(const struct vsvm_svm_attr *a)
{
	return (struct drm_vsvm_svm_attr) {
		.vm_id = a->vm_id, .flags = a->flags, .addr = a->addr,
		.range = a->range, .preferred_location = a->preferred_location,
		.access_policy = a->access_policy, .granularity = a->granularity,
	};
}

int vsvm_svm_attr_set_sized(int fd, const struct vsvm_svm_attr *attr, size_t size)
{
	struct vsvm_svm_attr a;
	struct drm_vsvm_svm_attr k;

	VSVM_STRUCT_IN(&a, attr, size);
	k = attr_to_kernel(&a);
	return vsvm_ioctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_SET, &k);
}

int vsvm_svm_attr_get_sized(int fd, struct vsvm_svm_attr *attr, size_t size)
{
	struct vsvm_svm_attr a;
	struct drm_vsvm_svm_attr k;
	int ret;

	VSVM_STRUCT_IN(&a, attr, size);
	k = attr_to_kernel(&a);
	ret = vsvm_ioctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_GET, &k);
	if (ret)
		return ret;
	a.flags = k.flags;
	a.range = k.range;
	a.preferred_location = k.preferred_location;
	a.access_policy = k.access_policy;
	a.granularity = k.granularity;
	VSVM_STRUCT_OUT(attr, &a, size);
	return 0;
}

int vsvm_svm_query_locations(int fd, uint32_t vm_id, uint64_t addr,
			     uint64_t npages, uint32_t *flags,
			     uint32_t *locations)
{
	struct drm_vsvm_svm_query q = {
		.vm_id = vm_id, .addr = addr, .npages = npages,
		.flags_ptr = vsvm_va(flags),
		.locations_ptr = locations ? vsvm_va(locations) : 0,
	};

	return vsvm_ioctl(fd, DRM_IOCTL_VSVM_SVM_QUERY, &q);
}

int vsvm_svm_query(int fd, uint32_t vm_id, uint64_t addr, uint64_t npages,
		   uint32_t *flags)
{
	return vsvm_svm_query_locations(fd, vm_id, addr, npages, flags, NULL);
}

size_t vsvm_page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (size_t)ps : 4096;
}
