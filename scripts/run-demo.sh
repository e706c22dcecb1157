#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest (vsvm.ko loaded): both chapters of `make demo` in one boot.
#
#   chapter 1  build/tools/vsvm-demo     the SVM story through libvsvm
#   chapter 2  build/tools/vsvm-cl-demo  the same story in OpenCL C through
#                                        Debian's Mesa OpenCL (clover) and
#                                        build/gallium/pipe_vsvm.so
#
#   scripts/vm-run.sh -- scripts/run-demo.sh      # what `make demo` runs
#
# Exit status 0 if both chapters passed, 1 otherwise.
set -uo pipefail

top=${VSVM_TOP:?run me in the guest through scripts/vm-run.sh}
rc=0

echo "=== Chapter 1: libvsvm and vsvm assembly ==="
"$top/build/tools/vsvm-demo" || rc=1

echo
echo "=== Chapter 2: OpenCL C through Mesa's OpenCL (clover) ==="
export OCL_ICD_VENDORS=/etc/OpenCL/vendors/mesa.icd
export GALLIUM_PIPE_SEARCH_DIR=$top/build/gallium
# clover caches libclc's NIR; the guest's home is read-only
export XDG_CACHE_HOME=/tmp/vsvm-demo-cache
"$top/build/tools/vsvm-cl-demo" || rc=1

echo
if [ $rc = 0 ]; then
	echo "make demo: both chapters PASSED"
else
	echo "make demo: FAILED (see above)"
fi
exit $rc
