/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The vsvm authors
 *
 * libvsvm-debugfs - reading a vsvm device's debugfs files, for tests,
 * tools and benchmarks (root only; not part of libvsvm's API). A static
 * library: link $(O)/lib/libvsvm-debugfs.a.
 */
#ifndef LIBVSVM_DEBUGFS_H
#define LIBVSVM_DEBUGFS_H

#include <stddef.h>
#include <stdint.h>

#if defined(__cplusplus)
extern "C" {
#endif

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

#if defined(__cplusplus)
}
#endif

#endif /* LIBVSVM_DEBUGFS_H */
