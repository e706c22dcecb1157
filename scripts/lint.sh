#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: the static checks a kernel maintainer runs before review, on the
# host (no guest), one result per check.
#
#   scripts/lint.sh [--out build/results/lint.jsonl] [CHECK...]
#
# Checks (all by default, or those named):
#   - checkpatch:  scripts/checkpatch.pl --strict on every driver and uAPI file
#   - kernel-doc:  scripts/kernel-doc -none -Wall on the same C files
#   - sparse:      the module and its KUnit module built with W=1 C=1 (sparse)
#                  from scratch in build/lint/kmod/; any warning fails
#   - uapi-c90:    the uAPI header compiles alone as C90 -pedantic (the
#                  kernel's header test without -pedantic) with -Wpadded -Werror
#   - uapi-sizes:  a generated test: every uAPI struct's size is a multiple of 8
#   - shellcheck:  shellcheck -S warning on every shell script
#   - kunitconfig: drivers/gpu/drm/vsvm/tests/.kunitconfig survives
#                  `make ARCH=x86_64 olddefconfig` (what kunit.py checks)
#   - mesa-patches: mesa-patches/ is what scripts/gen-mesa-patches.sh makes
#                  of today's gallium/ and compiler/ (no stale series)
#
# The kernel source comes from the cached guest kernel build
# (scripts/build-kernel.sh; `make lint` builds it first when missing).
# Findings are printed; exit status 1 if a check failed.
set -euo pipefail
# Parsed whole before it runs, so editing this file cannot derail a running copy.
{

top=$(cd "$(dirname "$0")/.." && pwd)
out=
if [ "${1:-}" = --out ]; then
	out=$2
	shift 2
fi
all=(checkpatch kernel-doc sparse uapi-c90 uapi-sizes shellcheck kunitconfig mesa-patches)
checks=("$@")
[ ${#checks[@]} -gt 0 ] || checks=("${all[@]}")
for c in "${checks[@]}"; do
	case " ${all[*]} " in
	*" $c "*) ;;
	*) echo "lint: unknown check $c (one of: ${all[*]})" >&2; exit 2 ;;
	esac
done

drv=drivers/gpu/drm/vsvm
uapi=include/uapi/drm/vsvm_drm.h
work=$top/build/lint
rm -rf "$work"
mkdir -p "$work"
cd "$top"

kout=${VSVM_KERNEL_DIR:-$(scripts/build-kernel.sh debug)}
src=$(readlink -f "$kout/source")

# Every C file and header of the driver, its tests and the uAPI header.
mapfile -t cfiles < <(git ls-files -co --exclude-standard "$drv/*.[ch]" "$uapi" 2>/dev/null ||
	find "$drv" "$uapi" -name '*.[ch]')
[ ${#cfiles[@]} -gt 0 ] || { echo "lint: no driver sources found" >&2; exit 2; }

failed=0
result() { # check status seconds message
	local word=PASS
	[ "$2" = pass ] || { word=FAIL; failed=1; }
	echo "lint: $1: $word ($3 s)"
	[ -z "$out" ] || python3 "$top/scripts/results.py" add --out "$out" \
		--suite lint --name "$1" --status "$2" --time "$3" --message "${4:-}"
}

# run_check NAME: run check NAME with its output in $work/NAME.log; it fails
# when the check returns non-zero. The first lines of the log are the message.
run_check() {
	local name=$1 rc=0 t0 secs
	t0=$(date +%s%N)
	case $name in
	checkpatch) check_checkpatch ;;
	kernel-doc) check_kernel_doc ;;
	sparse) check_sparse ;;
	uapi-c90) check_uapi_c90 ;;
	uapi-sizes) check_uapi_sizes ;;
	shellcheck) check_shellcheck ;;
	kunitconfig) check_kunitconfig ;;
	mesa-patches) "$top/scripts/gen-mesa-patches.sh" --check ;;
	esac > "$work/$name.log" 2>&1 || rc=$?
	secs=$(( ($(date +%s%N) - t0) / 1000000 ))
	secs=$((secs / 1000)).$(printf '%03d' $((secs % 1000)))
	if [ $rc -eq 0 ]; then
		result "$name" pass "$secs"
	else
		sed 's/^/  | /' "$work/$name.log" | head -n 60
		result "$name" fail "$secs" "$(head -n 40 "$work/$name.log")"
	fi
}

check_checkpatch() {
	# Also the build files: checkpatch knows Kconfig help texts and SPDX tags.
	# --terse --no-summary: one line per finding, nothing for a clean file.
	local files=("${cfiles[@]}" "$drv/Kconfig" "$drv/Makefile" "$drv/tests/Makefile")
	local log rc=0
	log=$(perl "$src/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types --no-summary -f "${files[@]}" 2>&1) || rc=1
	echo "checkpatch --strict: ${#files[@]} files"
	[ -z "$log" ] || { echo "$log"; rc=1; }
	return "$rc"
}

check_kernel_doc() {
	# kernel-doc exits 0 on warnings: any output is a finding.
	local log
	log=$(perl "$src/scripts/kernel-doc" -none -Wall "${cfiles[@]}" 2>&1)
	echo "kernel-doc -none -Wall: ${#cfiles[@]} files"
	[ -z "$log" ] || { echo "$log"; return 1; }
}

check_sparse() {
	# A fresh directory: an incremental build would compile (and check)
	# nothing. W=1 and sparse warnings are not errors to make: grep them.
	local dir=$work/kmod log rc=0
	log=$(VSVM_KMOD_DIR=$dir KMAKEFLAGS="W=1 C=1" scripts/build-module.sh debug 2>&1 >/dev/null) || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "the W=1 C=1 module build failed (status $rc):"
		echo "$log"
		return 1
	fi
	local hits
	hits=$(grep -E '(warning|error):' <<< "$log" || true)
	[ -f "$dir/drivers/gpu/drm/vsvm/vsvm.ko" ] || { echo "no vsvm.ko built"; echo "$log"; return 1; }
	echo "W=1 C=1 build of vsvm.ko$( [ -f "$dir/drivers/gpu/drm/vsvm/tests/vsvm_kunit.ko" ] && echo ' and vsvm_kunit.ko')"
	[ -z "$hits" ] || { echo "$log"; return 1; }
}

# The header alone, as userspace includes it: drm.h from the kernel's own
# headers_install (warnings in it are not ours: -isystem).
uapi_hdrs() {
	local hdr=$kout-headers
	if [ ! -f "$hdr/.done" ]; then
		(
			flock 9
			if [ ! -f "$hdr/.done" ]; then
				rm -rf "$hdr"
				make -s -C "$src" O="$kout" INSTALL_HDR_PATH="$hdr" headers_install >&2
				touch "$hdr/.done"
			fi
		) 9> "$hdr.lock"
	fi
	echo "$hdr/include"
}

check_uapi_c90() {
	local inc
	inc=$(uapi_hdrs)
	printf '#include "vsvm_drm.h"\n' > "$work/uapi-c90.c"
	# Stricter than the kernel's own test of its uAPI headers
	# (usr/include/Makefile, -std=c90 without -pedantic): -pedantic also
	# refuses C99 forms such as a trailing comma after the last enumerator.
	# drm.h and the kernel's types are system headers here (-isystem), so
	# only vsvm_drm.h is held to it.
	echo "gcc -std=c90 -pedantic -Wall -Wextra -Wpadded -Werror $uapi"
	gcc -std=c90 -pedantic -Wall -Wextra -Wpadded -Werror -fsyntax-only \
		-I"$top/include/uapi/drm" -isystem "$inc/drm" -isystem "$inc" \
		"$work/uapi-c90.c"
}

check_uapi_sizes() {
	local inc structs s
	inc=$(uapi_hdrs)
	mapfile -t structs < <(sed -nE 's/^struct (drm_vsvm_[a-z0-9_]+|vsvm_[a-z0-9_]+) \{.*/\1/p' "$uapi")
	[ ${#structs[@]} -gt 0 ] || { echo "no struct definitions found in $uapi"; return 1; }
	{
		echo '#include <stdio.h>'
		echo '#include "vsvm_drm.h"'
		for s in "${structs[@]}"; do
			echo "_Static_assert(sizeof(struct $s) % 8 == 0, \"sizeof(struct $s) is not a multiple of 8\");"
		done
		echo 'int main(void)'
		echo '{'
		for s in "${structs[@]}"; do
			printf '\tprintf("%%-32s %%3zu bytes\\n", "struct %s", sizeof(struct %s));\n' "$s" "$s"
		done
		echo '	return 0;'
		echo '}'
	} > "$work/uapi-sizes.c"
	echo "generated $work/uapi-sizes.c: ${#structs[@]} structs"
	gcc -std=c11 -Wall -Wextra -Werror -I"$top/include/uapi/drm" -isystem "$inc/drm" \
		-isystem "$inc" -o "$work/uapi-sizes" "$work/uapi-sizes.c" && "$work/uapi-sizes"
}

check_shellcheck() {
	local scripts
	mapfile -t scripts < <(git ls-files -co --exclude-standard '*.sh' .ci/run 2>/dev/null ||
		find . -name '*.sh' -not -path './build/*')
	echo "shellcheck -S warning: ${#scripts[@]} scripts"
	shellcheck -S warning -f gcc "${scripts[@]}"
}

check_kunitconfig() {
	# As kunit.py --arch=x86_64 does: the .kunitconfig plus the QEMU arch
	# fragment, olddefconfig, and every requested option must survive.
	local kc=$drv/tests/.kunitconfig dir=$work/kunitconfig line bad=0
	[ -f "$kc" ] || { echo "$kc is missing"; return 1; }
	mkdir -p "$dir"
	{ cat "$kc"; printf 'CONFIG_SERIAL_8250=y\nCONFIG_SERIAL_8250_CONSOLE=y\n'; } > "$dir/.config"
	make -s -C "$src" ARCH=x86_64 O="$dir" olddefconfig
	while read -r line; do
		case $line in
		CONFIG_*=*) grep -qxF "$line" "$dir/.config" || { echo "not applied: $line"; bad=1; } ;;
		esac
	done < "$kc"
	echo "$kc: $(grep -c '^CONFIG_' "$kc") options, all kept by olddefconfig (x86_64)"
	return "$bad"
}

for c in "${checks[@]}"; do
	run_check "$c"
done
exit $failed
}
