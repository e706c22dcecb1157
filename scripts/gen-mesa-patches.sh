#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerate mesa-patches/: the vsvm gallium driver (gallium/), its compiler
# (compiler/, as the driver's compiler/ subdirectory), libvsvm as the
# winsys (lib/) and the uAPI header, laid out as
# a Mesa 22.3 source tree in a temporary git repository and exported with
# `git format-patch`. The sources are the ones `make user` builds and the
# OpenCL tests run here; only the Mesa glue (meson.build files, the winsys
# entry point, the pipe-loader target) is written by this script.
#
#   scripts/gen-mesa-patches.sh [OUTDIR]     # default mesa-patches/
#   scripts/gen-mesa-patches.sh --check      # exit 1 if mesa-patches/ is stale
#
# It neither fetches nor builds Mesa: the series starts from an empty
# placeholder commit standing for Mesa's 22.3 branch point, so it holds new
# files only. The few lines to add to Mesa's own files (meson_options.txt,
# meson.build, src/gallium/meson.build, the pipe-loader lists) are listed in
# mesa-patches/README.md. Commit dates are fixed, so rerunning on unchanged
# sources reproduces the series byte for byte.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check=
if [ "${1:-}" = --check ]; then
	check=1
	out=$tmp/out
else
	out=${1:-$top/mesa-patches}
fi

export GIT_AUTHOR_NAME="The vsvm authors" GIT_AUTHOR_EMAIL="vsvm@invalid"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2026-12-04T00:00:00Z" GIT_COMMITTER_DATE="2026-12-04T00:00:00Z"
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp

g() { git -C "$tmp/mesa" "$@"; }
commit() {	# commit SUBJECT BODY
	g add -A
	g -c core.autocrlf=false commit -q -m "$1" -m "$2"
}
mesa_meson_header() {	# the licence line our meson files carry
	printf '# SPDX-License-Identifier: MIT\n# Copyright 2026 The vsvm authors\n'
}
# meson_static_lib VAR NAME FILES INCLUDES [DEPS]: the static_library()
# block of a winsys/compiler meson.build (FILES and INCLUDES: the lines
# inside files() and include_directories : [], as written).
meson_static_lib() {
	printf "%s = static_library(\n  '%s',\n  files(\n%s\n  ),\n" "$1" "$2" "$3"
	printf "  include_directories : [\n%s\n  ],\n  c_args : ['-D_DEFAULT_SOURCE'],\n" "$4"
	[ -z "${5:-}" ] || printf '  dependencies : [%s],\n' "$5"
	printf "  gnu_symbol_visibility : 'hidden',\n)\n"
}

mkdir -p "$tmp/mesa"
g init -q -b main
g commit -q --allow-empty -m "base: Mesa 22.3 branch point (c2387e6b3c47, placeholder)" \
	-m "Not part of the series: the patches apply to a Mesa 22.3 tree."

# 1. the uAPI header, where Mesa keeps the kernel drivers' headers
mkdir -p "$tmp/mesa/include/drm-uapi"
cp "$top/include/uapi/drm/vsvm_drm.h" "$tmp/mesa/include/drm-uapi/"
commit "drm-uapi: add vsvm_drm.h" \
"The uAPI of the vsvm DRM render driver (Linux 6.12, out of tree for now):
VMs that mirror the process with HMM, GEM buffers in an unmanaged window,
prefetch/migration to device VRAM, and EXEC of vsvm ISA programs."

# 2. the winsys: libvsvm (thin ioctl wrappers, ISA encoder)
ws=$tmp/mesa/src/gallium/winsys/vsvm/drm
mkdir -p "$ws"
for f in vsvm.h vsvm_internal.h vsvm_isa.c vsvm_prog.c \
	 vsvm_strerror.c vsvm_device.c vsvm_vm.c vsvm_gem.c vsvm_exec.c; do
	cp "$top/lib/$f" "$ws/"
done
cat > "$ws/vsvm_drm_public.h" <<'EOF'
/* SPDX-License-Identifier: MIT */
/* Copyright 2026 The vsvm authors */
#ifndef VSVM_DRM_PUBLIC_H
#define VSVM_DRM_PUBLIC_H

struct pipe_screen;
struct pipe_screen_config;

/* Creates the vsvm screen on render node @fd (duplicated, not taken). */
struct pipe_screen *vsvm_drm_screen_create(int fd,
					   const struct pipe_screen_config *config);

#endif /* VSVM_DRM_PUBLIC_H */
EOF
cat > "$ws/vsvm_drm_winsys.c" <<'EOF'
// SPDX-License-Identifier: MIT
/* Copyright 2026 The vsvm authors */
#include "frontend/drm_driver.h"
#include "vsvm_drm_public.h"

/* Defined by the driver (vsvm_screen.c, with VSVM_IN_MESA_TREE). */
extern const struct drm_driver_descriptor vsvm_screen_descriptor;

struct pipe_screen *vsvm_drm_screen_create(int fd,
					   const struct pipe_screen_config *config)
{
	return vsvm_screen_descriptor.create_screen(fd, config);
}
EOF
{ mesa_meson_header; cat <<'EOF'

# libvsvm, the vsvm uAPI library, serves as the winsys: the driver and the
# compiler call it directly (no buffer manager of its own: buffers are
# process memory mirrored into the GPU VM).
EOF
meson_static_lib libvsvmwinsys vsvmwinsys \
"    'vsvm_device.c', 'vsvm_drm_winsys.c', 'vsvm_exec.c', 'vsvm_gem.c',
    'vsvm_isa.c', 'vsvm_prog.c', 'vsvm_strerror.c', 'vsvm_vm.c'," \
"    inc_src, inc_include, inc_gallium, inc_gallium_aux, inc_gallium_drivers,
    include_directories('../../../../../include/drm-uapi')," dep_libdrm
echo "inc_vsvm_winsys = include_directories('.')"
} > "$ws/meson.build"
commit "gallium/winsys/vsvm: libvsvm as the vsvm DRM winsys" \
"libvsvm wraps the vsvm ioctls (device, VM, mirror, GEM, prefetch, EXEC)
and encodes vsvm ISA programs. vsvm_drm_screen_create() is the entry the
pipe-loader target calls."

# 3. the compiler: Mesa 22.3 serialized NIR -> vsvm ISA
cc=$tmp/mesa/src/gallium/drivers/vsvm/compiler
mkdir -p "$cc"
for f in "$top"/compiler/*.c "$top"/compiler/*.h; do
	cp "$f" "$cc/"
done
cp "$top/compiler/README.md" "$cc/README.md"
{ mesa_meson_header; cat <<'EOF'

# The vsvm compiler: clover's serialized NIR (PIPE_SHADER_IR_NIR_SERIALIZED)
# is read by our own reader, so the library does not link Mesa's NIR.
EOF
meson_static_lib libvsvm_compiler vsvm_compiler \
"    'vsvm_cc.c', 'vcc_nir_read.c', 'vcc_nir_tables.c', 'vcc_nir_print.c',
    'vcc_from_nir.c', 'vcc_ir.c', 'vcc_ra.c', 'vcc_emit.c'," \
"    inc_include, inc_vsvm_winsys,
    include_directories('../../../../../include/drm-uapi'),"
echo "inc_vsvm_compiler = include_directories('.')"
} > "$cc/meson.build"
commit "gallium/vsvm: add the NIR to vsvm ISA compiler" \
"Reads the 22.3 nir_serialize() blob clover hands the driver, lowers it to
an SSA IR of its own, allocates registers (spilling to private memory) and
emits vsvm ISA v2/v3 words. See src/gallium/drivers/vsvm/compiler/README.md.
The driver's meson.build (next patch) includes it with subdir('compiler')."

# 4. the gallium driver
drv=$tmp/mesa/src/gallium/drivers/vsvm
mkdir -p "$drv"
for f in vsvm_screen.c vsvm_context.c vsvm_resource.c vsvm_compute.c \
	 vsvm_fence.c vsvm_pipe.h; do
	cp "$top/gallium/$f" "$drv/"
done
{ mesa_meson_header; cat <<'EOF'

# VSVM_IN_MESA_TREE: vsvm_pipe.h includes Mesa's headers instead of the
# out-of-tree build's declarations of the 22.3 ABI (vsvm_gallium_abi.h,
# not part of the series), and the screen descriptor is not exported.
subdir('compiler')

libvsvm_gallium = static_library(
  'vsvm',
  files(
    'vsvm_compute.c', 'vsvm_context.c', 'vsvm_fence.c', 'vsvm_resource.c',
    'vsvm_screen.c',
  ),
  include_directories : [
    inc_src, inc_include, inc_gallium, inc_gallium_aux, inc_vsvm_winsys,
    inc_vsvm_compiler, include_directories('../../../../include/drm-uapi'),
  ],
  c_args : ['-DVSVM_IN_MESA_TREE', '-DVSVM_PIPE_HAVE_CC', '-D_DEFAULT_SOURCE'],
  dependencies : [dep_libdrm, idep_nir_headers, idep_mesautil],
  gnu_symbol_visibility : 'hidden',
)

driver_vsvm = declare_dependency(
  compile_args : '-DGALLIUM_VSVM',
  link_with : [libvsvm_gallium, libvsvm_compiler, libvsvmwinsys],
  dependencies : [dep_libdrm, dep_m],
)
EOF
} > "$drv/meson.build"
commit "gallium/vsvm: a compute-only driver for the vsvm virtual GPU" \
"Screen with compute and system SVM caps, buffers that are process memory
(user memory is the user's pointer, mirrored into the GPU VM), map, copy,
clear, global bindings, launch_grid -> DRM_IOCTL_VSVM_EXEC, timestamp
queries, svm_migrate -> vsvm prefetch to VRAM or system memory. Kernels
arrive as serialized NIR and are compiled by compiler/ (previous patch)."

# 5. the pipe-loader target (pipe_vsvm.so, what clover loads)
tg=$tmp/mesa/src/gallium/targets/pipe-loader
mkdir -p "$tg"
cat > "$tg/pipe_vsvm.c" <<'EOF'
// SPDX-License-Identifier: MIT
/* Copyright 2026 The vsvm authors */
/*
 * pipe_vsvm.so: built with -DPIPE_LOADER_DYNAMIC=1, where
 * DRM_DRIVER_DESCRIPTOR() defines the exported driver_descriptor that the
 * pipe loader (clover) looks up for render nodes named "vsvm".
 */
#include "frontend/drm_driver.h"
#include "target-helpers/drm_helper.h"
#include "target-helpers/inline_debug_helper.h"
#include "vsvm/drm/vsvm_drm_public.h"

static struct pipe_screen *
pipe_vsvm_create_screen(int fd, const struct pipe_screen_config *config)
{
	struct pipe_screen *screen = vsvm_drm_screen_create(fd, config);

	return screen ? debug_screen_wrap(screen) : NULL;
}

DRM_DRIVER_DESCRIPTOR(vsvm, NULL, 0)
EOF
commit "gallium/targets/pipe-loader: pipe_vsvm" \
"The dynamic pipe-loader target that clover loads for vsvm render nodes.
It defines its own descriptor, so drm_helper.h needs no vsvm entry for
this target; the build lines to add to Mesa's own files are listed in
mesa-patches/README.md (section \"Edits to Mesa's own files\")."

rm -rf "$out/"*.patch
mkdir -p "$out"
g format-patch -q --zero-commit --no-signature -o "$out" main~5..main
if [ -n "$check" ]; then
	if ! diff -r -x README.md "$out" "$top/mesa-patches" >/dev/null; then
		echo "mesa-patches/ is stale: rerun scripts/gen-mesa-patches.sh and commit" >&2
		exit 1
	fi
	echo "mesa-patches/ is up to date"
	exit 0
fi
ls "$out"/*.patch
