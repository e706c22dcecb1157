/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-cl-device.h - find the vsvm device among the OpenCL platforms, for
 * the OpenCL tools (vsvm-cl-demo, vsvm-cl-test, vsvm-cl-dump). Header-only:
 * each tool is one translation unit linked against the ICD loader alone.
 */
#ifndef VSVM_CL_DEVICE_H
#define VSVM_CL_DEVICE_H

#include <CL/cl.h>
#include <stdio.h>
#include <string.h>

/* Most platforms and devices looked at; clover exposes one per GPU. */
#define VSVM_CL_MAX_IDS 8

/**
 * vsvm_cl_find_device - the first OpenCL device whose name starts "vsvm"
 * @platform: out (may be NULL), the platform that device belongs to.
 * @name: out, the device's name (@name_size bytes, always terminated).
 * @name_size: size of @name, at least 1.
 *
 * Return: the device, or NULL with @name set to why none was found
 * ("no OpenCL platform" or "no vsvm OpenCL device").
 */
static inline cl_device_id vsvm_cl_find_device(cl_platform_id *platform,
					       char *name, size_t name_size)
{
	cl_platform_id plats[VSVM_CL_MAX_IDS];
	cl_uint np = 0, i;

	if (clGetPlatformIDs(VSVM_CL_MAX_IDS, plats, &np) != CL_SUCCESS || !np) {
		snprintf(name, name_size, "no OpenCL platform");
		return NULL;
	}
	for (i = 0; i < np && i < VSVM_CL_MAX_IDS; i++) {
		cl_device_id devs[VSVM_CL_MAX_IDS];
		cl_uint nd = 0, j;

		if (clGetDeviceIDs(plats[i], CL_DEVICE_TYPE_ALL, VSVM_CL_MAX_IDS,
				   devs, &nd) != CL_SUCCESS)
			continue;
		for (j = 0; j < nd && j < VSVM_CL_MAX_IDS; j++) {
			name[0] = '\0';
			if (clGetDeviceInfo(devs[j], CL_DEVICE_NAME, name_size,
					    name, NULL) != CL_SUCCESS)
				continue;
			name[name_size - 1] = '\0';
			if (strncmp(name, "vsvm", 4))
				continue;
			if (platform)
				*platform = plats[i];
			return devs[j];
		}
	}
	snprintf(name, name_size, "no vsvm OpenCL device");
	return NULL;
}

#endif /* VSVM_CL_DEVICE_H */
