#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install every Debian package vsvm needs. Idempotent; silent when all is present.
set -euo pipefail

PKGS=(
	# kernel build
	linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev
	dwarves cpio kmod rsync xz-utils python3 perl
	# guest
	qemu-system-x86 e2fsprogs util-linux procps busybox-static
	# userspace
	libdrm-dev pkg-config intel-gpu-tools gnuplot-nox
	# OpenCL through Mesa's clover (pipe_vsvm.so, gallium/): the ICD, its
	# libclc (spirv64-mesa3d-.spv), the ICD loader and headers, clinfo
	mesa-opencl-icd libclc-15 ocl-icd-libopencl1 ocl-icd-opencl-dev clinfo
	# a real OpenCL client (PyOpenCL: its tests and svm.py example are in
	# the -doc package) and pocl, the CPU reference run beside vsvm
	# (scripts/run-pyopencl.sh)
	python3-pyopencl python-pyopencl-doc python3-pytest pocl-opencl-icd
	# Mesa's own OpenCL tests, the cl-* programs and cl-program-tester's
	# corpus (scripts/run-piglit-cl.sh; 34 MB download, ~2 GB installed:
	# the package brings piglit's GL/Vulkan tests too)
	piglit
	# the clFFT client, which checks its own transforms (scripts/run-clfft.sh)
	clfft-client
	# static checks
	sparse shellcheck
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
