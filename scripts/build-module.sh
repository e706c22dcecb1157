#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the vsvm module (and its KUnit module) against the cached kernel:
#
#   scripts/build-module.sh debug|bench
#
# The driver and uAPI header are copied into build/kmod-<flavor>/ with the
# kernel-tree layout and built with M=, which takes seconds. Extra make
# arguments (W=1, C=1) come from $KMAKEFLAGS; $VSVM_KMOD_DIR builds elsewhere
# than build/kmod-<flavor> (scripts/lint.sh). Prints the module directory.
set -euo pipefail

flavor=${1:-debug}
top=$(cd "$(dirname "$0")/.." && pwd)
kout=$("$top/scripts/build-kernel.sh" "$flavor")
src=$(readlink -f "$kout/source")
stage=${VSVM_KMOD_DIR:-$top/build/kmod-$flavor}

mkdir -p "$stage/drivers/gpu/drm" "$stage/include/uapi/drm"
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	"$top/drivers/gpu/drm/vsvm/" "$stage/drivers/gpu/drm/vsvm/" \
	--filter='protect *.o' --filter='protect *.ko' --filter='protect .*.cmd' \
	--filter='protect *.mod*' --filter='protect modules.order' \
	--filter='protect Module.symvers' --filter='protect tests/'
rsync -a "$top/include/uapi/drm/vsvm_drm.h" "$stage/include/uapi/drm/"
rsync -a --delete "$top/drivers/gpu/drm/vsvm/tests/" "$stage/drivers/gpu/drm/vsvm/tests/" \
	--filter='protect *.o' --filter='protect *.ko' --filter='protect .*.cmd' \
	--filter='protect *.mod*' --filter='protect modules.order'

# shellcheck disable=SC2086 # KMAKEFLAGS is a list of words
make -s -C "$src" O="$kout" M="$stage/drivers/gpu/drm/vsvm" \
	VSVM_UAPI_INC="$stage/include/uapi" ${KMAKEFLAGS:-} -j"$(nproc)" modules >&2
echo "$stage/drivers/gpu/drm/vsvm"
