// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * Finding and opening vsvm devices; device parameters. (The debugfs
 * helpers are libvsvm-debugfs, lib/debugfs/.)
 *
 * drmGetDevices2() lists platform devices by their OF name or, without
 * device tree, by MODALIAS ("platform:vsvm"), and folds devices with equal
 * names into one: with several vsvm devices it reports a single one. The
 * render nodes it returns are therefore completed with a scan of
 * /dev/dri/renderD*, and every candidate is identified by its driver name
 * (drmGetVersion()) and ordered by DRM_VSVM_PARAM_DEVICE_INDEX.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vsvm_internal.h"

#define VSVM_DRIVER_NAME	"vsvm"
#define VSVM_MAX_NODES		64

struct vsvm_node {
	char path[PATH_MAX];
	dev_t rdev;
	uint64_t index;
	int fd;
};

struct vsvm_nodes {
	struct vsvm_node node[VSVM_MAX_NODES];
	int count;
};

static void add_node(struct vsvm_nodes *nodes, const char *path)
{
	struct stat st;

	if (nodes->count >= VSVM_MAX_NODES || stat(path, &st) ||
	    !S_ISCHR(st.st_mode))
		return;
	for (int i = 0; i < nodes->count; i++)
		if (nodes->node[i].rdev == st.st_rdev)
			return;
	snprintf(nodes->node[nodes->count].path, PATH_MAX, "%s", path);
	nodes->node[nodes->count].rdev = st.st_rdev;
	nodes->node[nodes->count].fd = -1;
	nodes->count++;
}

static void add_libdrm_nodes(struct vsvm_nodes *nodes)
{
	drmDevicePtr *devs;
	int n = drmGetDevices2(0, NULL, 0);

	if (n <= 0)
		return;
	devs = calloc((size_t)n, sizeof(*devs));
	if (!devs)
		return;
	n = drmGetDevices2(0, devs, n);
	for (int i = 0; i < n; i++)
		if (devs[i]->available_nodes & (1 << DRM_NODE_RENDER))
			add_node(nodes, devs[i]->nodes[DRM_NODE_RENDER]);
	if (n > 0)
		drmFreeDevices(devs, n);
	free(devs);
}

static void add_dir_nodes(struct vsvm_nodes *nodes)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir = opendir("/dev/dri");

	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "renderD", 7))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", de->d_name);
		add_node(nodes, path);
	}
	closedir(dir);
}

static bool is_vsvm(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool ret;

	if (!v)
		return false;
	ret = v->name && !strcmp(v->name, VSVM_DRIVER_NAME);
	drmFreeVersion(v);
	return ret;
}

static int cmp_index(const void *a, const void *b)
{
	const struct vsvm_node *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* Open every vsvm render node, sorted by device index; returns the count. */
static int open_all(struct vsvm_nodes *nodes)
{
	int n = 0;

	nodes->count = 0;
	add_libdrm_nodes(nodes);
	add_dir_nodes(nodes);

	for (int i = 0; i < nodes->count; i++) {
		struct vsvm_node *node = &nodes->node[i];
		int fd = open(node->path, O_RDWR | O_CLOEXEC);

		if (fd < 0)
			continue;
		if (!is_vsvm(fd) ||
		    vsvm_get_param(fd, DRM_VSVM_PARAM_DEVICE_INDEX, &node->index)) {
			close(fd);
			continue;
		}
		node->fd = fd;
		nodes->node[n++] = *node;
	}
	nodes->count = n;
	qsort(nodes->node, (size_t)n, sizeof(nodes->node[0]), cmp_index);
	return n;
}

static void close_all(struct vsvm_nodes *nodes, int keep)
{
	for (int i = 0; i < nodes->count; i++)
		if (i != keep && nodes->node[i].fd >= 0)
			close(nodes->node[i].fd);
}

int vsvm_device_count(void)
{
	struct vsvm_nodes *nodes = calloc(1, sizeof(*nodes));
	int n;

	if (!nodes)
		return -ENOMEM;
	n = open_all(nodes);
	close_all(nodes, -1);
	free(nodes);
	return n;
}

int vsvm_open(int index, int *fd)
{
	struct vsvm_nodes *nodes = calloc(1, sizeof(*nodes));
	int n, ret = -ENODEV;

	if (!nodes)
		return -ENOMEM;
	n = open_all(nodes);
	if (index >= 0 && index < n) {
		*fd = nodes->node[index].fd;
		ret = 0;
	}
	close_all(nodes, ret ? -1 : index);
	free(nodes);
	return ret;
}

int vsvm_get_param(int fd, uint32_t param, uint64_t *value)
{
	struct drm_vsvm_get_param gp = { .param = param };
	int ret = vsvm_ioctl(fd, DRM_IOCTL_VSVM_GET_PARAM, &gp);

	if (!ret)
		*value = gp.value;
	return ret;
}

/* Parameters a handle reads once (every one of uAPI 2.0). */
#define VSVM_DEVICE_NUM_PARAMS	(DRM_VSVM_PARAM_FP64 + 1)

struct vsvm_device {
	int fd;
	bool owns_fd;
	uint64_t params[VSVM_DEVICE_NUM_PARAMS];
	bool have[VSVM_DEVICE_NUM_PARAMS];
};

static int device_init(int fd, bool owns_fd, struct vsvm_device **out)
{
	struct vsvm_device *dev;

	if (!is_vsvm(fd))
		return -ENODEV;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->fd = fd;
	dev->owns_fd = owns_fd;
	/* A parameter an older kernel does not know stays unreported. */
	for (uint32_t p = 0; p < VSVM_DEVICE_NUM_PARAMS; p++)
		dev->have[p] = !vsvm_get_param(fd, p, &dev->params[p]);
	*out = dev;
	return 0;
}

int vsvm_device_open(int index, struct vsvm_device **dev)
{
	int fd, ret = vsvm_open(index, &fd);

	if (ret)
		return ret;
	ret = device_init(fd, true, dev);
	if (ret)
		close(fd);
	return ret;
}

int vsvm_device_from_fd(int fd, struct vsvm_device **dev)
{
	return device_init(fd, false, dev);
}

void vsvm_device_close(struct vsvm_device *dev)
{
	if (!dev)
		return;
	if (dev->owns_fd)
		close(dev->fd);
	free(dev);
}

int vsvm_device_fd(const struct vsvm_device *dev)
{
	return dev->fd;
}

int vsvm_device_param(const struct vsvm_device *dev, uint32_t param,
		      uint64_t *value)
{
	if (param >= VSVM_DEVICE_NUM_PARAMS || !dev->have[param])
		return -EINVAL;
	*value = dev->params[param];
	return 0;
}
