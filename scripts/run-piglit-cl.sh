#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# piglit's OpenCL tests (Debian's `piglit` package: the cl-api-*,
# cl-custom-* and cl-program-* programs and cl-program-tester's
# tests/cl/program/execute corpus, less what needs images or fp64; the
# rule is in scripts/piglit-cl.py) on one OpenCL implementation, one
# process per test with a timeout each:
#
#   scripts/run-piglit-cl.sh vsvm [OPTIONS]   # in the guest: Debian's clover
#                                             # + build/gallium/pipe_vsvm.so
#   scripts/run-piglit-cl.sh pocl [OPTIONS]   # pocl 3.1 (the CPU), host or guest
#
# OPTIONS (scripts/piglit-cl.py run): --tests all|FILE (default all),
# --timeout S per test (default 300), --out DIR (default build/piglit).
# Writes DIR/<icd>.tsv (test, status, seconds, message; status pass, fail,
# skip, warn, crash or timeout), DIR/<icd>/<test>.log and prints a summary.
#
#   scripts/run-piglit-cl.sh --check          # make check's guest job (suite
#                                             # piglit): the tests of
#                                             # gallium/piglit-cl-check.txt
#                                             # on vsvm, each must pass
#
# Expected failures: gallium/piglit-cl-xfail.txt, the table "piglit" in
# gallium/README.md. `make piglit` runs the whole list on both and writes
# the side-by-side table (build/piglit/table.md).
#
# On vsvm clover runs with its defaults (OpenCL 1.1) and
# CLOVER_EXTRA_BUILD_OPTIONS=-no-opaque-pointers: Debian's clover front end
# (clang/llvm-spirv 15 with opaque pointers) aborts the process on kernels
# that use the legacy atomic_* builtins otherwise (README, OpenCL).
set -euo pipefail

top=${VSVM_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
piglit=/usr/lib/x86_64-linux-gnu/piglit

jsonl=
die() {
	echo "run-piglit-cl: $*" >&2
	[ -z "$jsonl" ] || python3 "$top/scripts/results.py" add --out "$jsonl" \
		--suite piglit --name setup --status fail --message "$*"
	exit 2
}

all_args=("$@")
icd=${1:?usage: run-piglit-cl.sh vsvm|pocl|--check [OPTIONS]}
shift
args=()
if [ "$icd" = --check ]; then
	icd=vsvm
	jsonl=$top/build/results/piglit.jsonl
	rm -f "$jsonl"
	args=(--tests "$top/gallium/piglit-cl-check.txt" --jsonl "$jsonl" --suite piglit
	      --xfail "$top/gallium/piglit-cl-xfail.txt" --out "$top/build/results/piglit")
else
	args=(--out "$top/build/piglit")
fi

[ -x "$piglit/bin/cl-program-tester" ] || die "piglit is not installed (make deps)"
case $icd in
vsvm)
	[ -f "$top/build/gallium/pipe_vsvm.so" ] || die "build/gallium/pipe_vsvm.so is not built (make user)"
	grep -q '^vsvm ' /proc/modules || die "vsvm.ko is not loaded (run me in the guest)"
	export OCL_ICD_VENDORS=/etc/OpenCL/vendors/mesa.icd
	export GALLIUM_PIPE_SEARCH_DIR=$top/build/gallium
	export CLOVER_EXTRA_BUILD_OPTIONS=-no-opaque-pointers
	# One device: clover cannot use one buffer on two devices of a context
	# (it never creates the second device's resource and hands the driver
	# a NULL one), and piglit's per-platform tests put every device of the
	# platform in their context. In a mount namespace of our own, /dev/null
	# stands in for every render node but the first: clover opens it, finds
	# no DRM driver there and skips it.
	nodes=(/dev/dri/renderD*)
	if [ "${#nodes[@]}" -gt 1 ] && [ -z "${PIGLIT_CL_NS:-}" ] &&
	   unshare --mount --propagation private true 2>/dev/null; then
		PIGLIT_CL_NS=1 exec unshare --mount --propagation private \
			"$0" "${all_args[@]}"
	fi
	if [ -n "${PIGLIT_CL_NS:-}" ]; then
		for n in "${nodes[@]:1}"; do
			mount --bind /dev/null "$n" ||
				echo "run-piglit-cl: cannot hide $n from clover" >&2
		done
	fi
	# piglit's own selection: the Clover platform, its vsvm device (a
	# name prefix)
	export PIGLIT_CL_PLATFORM=Clover PIGLIT_CL_DEVICE=vsvm
	;;
pocl)
	export OCL_ICD_VENDORS=/etc/OpenCL/vendors/pocl.icd
	export PIGLIT_CL_PLATFORM="Portable Computing Language"
	;;
*) die "unknown ICD $icd (vsvm or pocl)" ;;
esac
[ -f "$OCL_ICD_VENDORS" ] || die "$OCL_ICD_VENDORS is missing (make deps)"
# caches (clover's libclc NIR, pocl's kernels) go to /tmp: the guest's
# root is read-only
export XDG_CACHE_HOME=/tmp/piglit-cl-cache-$icd
export POCL_CACHE_DIR=$XDG_CACHE_HOME/pocl

exec python3 "$top/scripts/piglit-cl.py" run --icd "$icd" "${args[@]}" "$@"
