// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * The debugfs directory of a vsvm device and its vsvm_counters file.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "vsvm_debugfs.h"

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int vsvm_debugfs_dir(int fd, char *buf, size_t len)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	int card = -1;
	DIR *dir;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device/drm",
		 major(st.st_rdev), minor(st.st_rdev));
	dir = opendir(path);
	if (dir) {
		while ((de = readdir(dir)))
			if (sscanf(de->d_name, "card%d", &card) == 1)
				break;
		closedir(dir);
	}
	/* debugfs names the device by its primary minor, else by its own. */
	if (card >= 0) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%d", card);
		if (is_dir(path))
			goto found;
	}
	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u",
		 minor(st.st_rdev));
	if (is_dir(path))
		goto found;
	return -ENOENT;
found:
	if ((size_t)snprintf(buf, len, "%s", path) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int vsvm_debugfs_counter(int fd, const char *name, int64_t *value)
{
	char path[PATH_MAX], key[64];
	long long val;
	int ret;
	FILE *f;

	ret = vsvm_debugfs_dir(fd, path, sizeof(path) - 16);
	if (ret)
		return ret;
	strcat(path, "/vsvm_counters");
	f = fopen(path, "re");
	if (!f)
		return -errno;
	ret = -ENOENT;
	while (fscanf(f, "%63s %lld", key, &val) == 2) {
		if (!strcmp(key, name)) {
			*value = val;
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}
