// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * VMs: create/destroy, bind operations, SVM query and attributes.
 */
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

int vsvm_vm_bind(int fd, uint32_t vm_id, struct drm_vsvm_vm_bind_op *ops,
		 uint32_t count, uint32_t *done)
{
	struct drm_vsvm_vm_bind b = {
		.vm_id = vm_id,
		.stride = sizeof(*ops),
		.count = count,
		.ops_ptr = vsvm_va(ops),
	};
	int ret = vsvm_ioctl(fd, DRM_IOCTL_VSVM_VM_BIND, &b);

	if (done)
		*done = b.done;
	return ret;
}

/* One operation, output fields copied back to @op. */
static int bind_one(int fd, uint32_t vm_id, struct drm_vsvm_vm_bind_op *op)
{
	return vsvm_vm_bind(fd, vm_id, op, 1, NULL);
}

int vsvm_mirror(int fd, uint32_t vm_id, uint64_t addr, uint64_t size,
		uint32_t flags)
{
	struct drm_vsvm_vm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_MIRROR, .flags = flags,
		.addr = addr, .range = size,
	};

	return bind_one(fd, vm_id, &op);
}

int vsvm_unmirror(int fd, uint32_t vm_id, uint64_t addr, uint64_t size)
{
	struct drm_vsvm_vm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_UNMIRROR, .addr = addr, .range = size,
	};

	return bind_one(fd, vm_id, &op);
}

int vsvm_map(int fd, uint32_t vm_id, uint64_t addr, uint64_t size,
	     uint32_t handle, uint64_t offset, uint32_t flags)
{
	struct drm_vsvm_vm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_MAP, .flags = flags,
		.addr = addr, .range = size,
		.handle = handle, .bo_offset = offset,
	};

	return bind_one(fd, vm_id, &op);
}

int vsvm_unmap(int fd, uint32_t vm_id, uint64_t addr, uint64_t size)
{
	struct drm_vsvm_vm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_UNMAP, .addr = addr, .range = size,
	};

	return bind_one(fd, vm_id, &op);
}

int vsvm_prefetch_to(int fd, uint32_t vm_id, uint64_t addr, uint64_t size,
		     uint32_t flags, uint32_t location, uint8_t *status,
		     uint64_t *pages_done, uint64_t *pages_failed)
{
	struct drm_vsvm_vm_bind_op op = {
		.op = DRM_VSVM_BIND_OP_PREFETCH, .flags = flags,
		.addr = addr, .range = size,
		.status_ptr = status ? vsvm_va(status) : 0,
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

int vsvm_svm_attr_set(int fd, const struct drm_vsvm_svm_attr *attr)
{
	struct drm_vsvm_svm_attr a = *attr;

	return vsvm_ioctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_SET, &a);
}

int vsvm_svm_attr_get(int fd, struct drm_vsvm_svm_attr *attr)
{
	struct drm_vsvm_svm_attr a = *attr;
	int ret = vsvm_ioctl(fd, DRM_IOCTL_VSVM_SVM_ATTR_GET, &a);

	if (!ret)
		*attr = a;
	return ret;
}

int vsvm_svm_query(int fd, uint32_t vm_id, uint64_t addr, uint64_t npages,
		   uint32_t *flags)
{
	struct drm_vsvm_svm_query q = {
		.vm_id = vm_id, .addr = addr, .npages = npages,
		.flags_ptr = vsvm_va(flags),
	};

	return vsvm_ioctl(fd, DRM_IOCTL_VSVM_SVM_QUERY, &q);
}

size_t vsvm_page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (size_t)ps : 4096;
}
