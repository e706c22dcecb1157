#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the vsvm guest kernel from Debian's linux-source-6.12.
#
#   scripts/build-kernel.sh debug|bench
#
# Prints the build directory on stdout. The build is cached under
# $VSVM_CACHE (default ~/.cache/vsvm), keyed by the source package version
# and the content of every input that shapes the config, so a second call
# returns at once. Only the driver's Kconfig is overlaid onto the tree (its
# "select"s must be part of the kernel build); the module itself is built
# later with M= by scripts/build-module.sh, in seconds.
#
# Kernel fixes the project carries (patches/linux/*.patch, for bugs found in
# the kernel and sent upstream) are applied to the extracted source once
# and are part of the key. A new key whose only difference is the patches
# starts from a copy of the finished build without them, so adding a patch
# costs an incremental rebuild (minutes), not a full one.
set -euo pipefail

flavor=${1:-debug}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${VSVM_CACHE:-$HOME/.cache/vsvm}
log() { echo "kernel: $*" >&2; }

ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
src=$cache/linux-source-$ver
if [ ! -f "$src/.extracted" ]; then
	log "extracting linux-source-6.12 $ver"
	rm -rf "$src" "$cache/linux-source-6.12"
	mkdir -p "$cache"
	tar -C "$cache" -xf /usr/src/linux-source-6.12.tar.xz
	mv "$cache/linux-source-6.12" "$src"
	touch "$src/.extracted"
fi

# Overlay the driver's Kconfig and hook it into drivers/gpu/drm.
mkdir -p "$src/drivers/gpu/drm/vsvm"
cp "$top/drivers/gpu/drm/vsvm/Kconfig" "$src/drivers/gpu/drm/vsvm/Kconfig"
echo "# vsvm is built with M= by scripts/build-module.sh" > "$src/drivers/gpu/drm/vsvm/Makefile"
grep -q 'drm/vsvm/Kconfig' "$src/drivers/gpu/drm/Kconfig" ||
	sed -i '/^source "drivers\/gpu\/drm\/vkms\/Kconfig"/a source "drivers/gpu/drm/vsvm/Kconfig"' \
		"$src/drivers/gpu/drm/Kconfig"
grep -q 'drm/vsvm/Kconfig' "$src/drivers/gpu/drm/Kconfig" || { log "cannot hook Kconfig"; exit 1; }
grep -q 'CONFIG_DRM_VSVM' "$src/drivers/gpu/drm/Makefile" ||
	echo 'obj-$(CONFIG_DRM_VSVM) += vsvm/' >> "$src/drivers/gpu/drm/Makefile"

# Apply the carried kernel patches to the shared source, once each.
shopt -s nullglob
patches=("$top"/patches/linux/*.patch)
shopt -u nullglob
(
	flock 8
	for p in "${patches[@]}"; do
		id=$(sha256sum "$p" | cut -c1-16)
		grep -qx "$id" "$src/.vsvm-patches" 2>/dev/null && continue
		if patch -d "$src" -p1 -s -f --dry-run < "$p" >/dev/null; then
			log "applying $(basename "$p")"
			patch -d "$src" -p1 -s -f < "$p" >&2
		elif ! patch -d "$src" -p1 -s -f -R --dry-run < "$p" >/dev/null; then
			log "cannot apply $p"; exit 1
		fi
		echo "$id" >> "$src/.vsvm-patches"
	done
) 8>"$cache/.source.lock"

frags=("$top/configs/vsvm.config" "$top/configs/$flavor.config")
# The driver's Kconfig matters through the symbols it defines and selects.
cfgkey=$( { echo "$ver"; cat "${frags[@]}";
	grep -E '^[[:space:]]*(config|select)[[:space:]]' "$top/drivers/gpu/drm/vsvm/Kconfig"; } |
	sha256sum | cut -c1-12)
key=$cfgkey
[ ${#patches[@]} -eq 0 ] ||
	key=$( { echo "$cfgkey"; cat "${patches[@]}"; } | sha256sum | cut -c1-12)
out=$cache/build-$flavor-$key
if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi

# One build at a time: a second caller waits for the first and reuses it.
exec 9>"$cache/.build-$flavor.lock"
if ! flock -n 9; then
	log "another $flavor kernel build is running; waiting for it"
	flock 9
fi
while [ -f "$out/.building" ] && kill -0 "$(cat "$out/.building")" 2>/dev/null; do
	sleep 10
done
if [ -f "$out/.done" ]; then
	echo "$out"
	exit 0
fi

# Seed from a finished build of the same configuration (other patches).
if [ ! -e "$out" ]; then
	for d in "$cache"/build-"$flavor"-*; do
		[ -f "$d/.done" ] && [ ! -L "$d" ] || continue
		[ "$(cat "$d/.cfgkey" 2>/dev/null || echo "${d##*-}")" = "$cfgkey" ] || continue
		log "starting from $d (same configuration): an incremental build"
		rm -rf "$out.seed"
		cp -a "$d" "$out.seed"
		rm -f "$out.seed/.done" "$out.seed/.building" "$out.seed/build-seconds"
		mv "$out.seed" "$out"
		break
	done
fi
[ -e "$out" ] ||
	log "building $flavor kernel in $out (this takes 12-20 minutes on 2 cores)"
# An interrupted build is resumed: make is incremental and the config
# regenerated below is identical (same key).
mkdir -p "$out"
echo "$cfgkey" > "$out/.cfgkey"
echo $$ > "$out/.building"
start=$(date +%s)
make -s -C "$src" O="$out" x86_64_defconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
	"$src/kernel/configs/kvm_guest.config" "${frags[@]}" >/dev/null
make -s -C "$src" O="$out" olddefconfig >&2

# Every option we asked for must have survived olddefconfig.
bad=0
for f in "${frags[@]}"; do
	while read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF "$line" "$out/.config" || { log "not applied: $line"; bad=1; } ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			! grep -q "^$sym=" "$out/.config" || { log "not unset: $sym"; bad=1; } ;;
		esac
	done < "$f"
done
[ $bad -eq 0 ] || exit 1

jobs=$(( $(nproc) + 1 ))
make -s -C "$src" O="$out" -j"$jobs" bzImage modules >&2
make -s -C "$src" O="$out" INSTALL_MOD_PATH="$out/modroot" modules_install >&2
make -s -C "$src" O="$out" kernelrelease > "$out/kernelrelease"
echo $(( $(date +%s) - start )) > "$out/build-seconds"
touch "$out/.done"
rm -f "$out/.building"
log "$flavor kernel built in $(cat "$out/build-seconds") s"
echo "$out"
