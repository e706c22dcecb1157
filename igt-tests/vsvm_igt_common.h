/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright 2026 The vsvm authors
 *
 * The one include switch between the two homes of these tests: built in
 * this project against Debian's libigt.so.0 (no headers shipped) the
 * project's own declarations are used; inside igt-gpu-tools (tests/vsvm/)
 * the real "igt.h" is.
 */
#ifndef VSVM_IGT_COMMON_H
#define VSVM_IGT_COMMON_H

#ifdef VSVM_IGT_STANDALONE
#include "igt_vsvm_core.h"
#else
#include "igt.h"
#endif

#endif /* VSVM_IGT_COMMON_H */
