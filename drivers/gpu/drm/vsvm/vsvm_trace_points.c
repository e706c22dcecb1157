// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2026 The vsvm authors */

#define CREATE_TRACE_POINTS
#include "vsvm_trace.h"
