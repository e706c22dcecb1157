#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-igt-symbols.sh LIBIGT OBJECT...
#
# Fails with the missing names if an object references an igt symbol that
# LIBIGT (libigt.so.0) does not export.
set -eu
lib=$1
shift
if [ ! -f "$lib" ]; then
	echo "igt: libigt.so.0 not found; install intel-gpu-tools (scripts/deps.sh)" >&2
	exit 1
fi
have=$(nm -D --defined-only "$lib" | awk '{print $3}')
need=$(nm -u "$@" | awk '$1 == "U" {print $2}' | grep -E '^_*igt_' | sort -u || true)
miss=
for s in $need; do
	printf '%s\n' "$have" | grep -qx -- "$s" || miss="$miss $s"
done
if [ -n "$miss" ]; then
	echo "igt: $lib does not export:$miss" >&2
	echo "igt: the declarations in igt-tests/igt_vsvm_core.h do not match this libigt" >&2
	exit 1
fi
