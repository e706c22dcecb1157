#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest: kernel memory leak check around a test run (kmemleak=on).
#
#   scripts/leak-check.sh begin   before the tests: stop kmemleak's periodic
#                                 scan, scan once and forget what boot left
#   scripts/leak-check.sh end     after the tests, all clients gone: unload
#                                 vsvm.ko (must succeed), then scan and list
#                                 every object still unreferenced
#
# "end" prints one line "leak-check: N leaked objects (M from vsvm, DRM,
# HMM, migration or the buddy allocator)" and exits 1 when M > 0 or the
# module would not unload. kmemleak also logs "N new suspected memory
# leaks", which scripts/vm-run.sh counts as a splat: any leak fails the run.
# Without kmemleak (not on the kernel command line) "end" only checks the
# unload.
set -uo pipefail

km=/sys/kernel/debug/kmemleak
have_kmemleak() { [ -w $km ] && echo scan=off > $km 2>/dev/null; }

case ${1:-} in
begin)
	if have_kmemleak; then
		echo scan > $km
		echo clear > $km
		echo "leak-check: kmemleak armed (earlier suspects cleared)"
	else
		echo "leak-check: kmemleak not enabled (boot with kmemleak=on); unload check only"
	fi
	;;
end)
	rc=0
	if lsmod | grep -q '^vsvm_kunit '; then
		rmmod vsvm_kunit || rc=1
	fi
	if lsmod | grep -q '^vsvm '; then
		if rmmod vsvm; then
			echo "leak-check: vsvm.ko unloaded"
		else
			echo "leak-check: vsvm.ko does not unload with every client gone" >&2
			lsmod | grep vsvm >&2
			rc=1
		fi
	fi
	have_kmemleak || exit $rc
	# Objects younger than 5 s are never reported; scan twice, as
	# Documentation/dev-tools/kmemleak.rst advises against transient
	# false positives.
	sleep 6
	echo scan > $km
	echo scan > $km
	report=$(cat $km)
	total=$(grep -c '^unreferenced object' <<< "$report")
	ours=$(awk '/^unreferenced object/ { if (hit) n++; hit = 0 }
		/vsvm|drm|hmm|migrate|buddy|mmu_notifier|dma_fence|0xffffffffc/ { hit = 1 }
		END { if (hit) n++; print n + 0 }' <<< "$report")
	[ "$total" -eq 0 ] || printf '%s\n' "$report" | head -n 200
	echo "leak-check: $total leaked objects ($ours from vsvm, DRM, HMM, migration or the buddy allocator)"
	[ "$ours" -eq 0 ] || rc=1
	exit $rc
	;;
*)
	echo "usage: $0 begin|end" >&2
	exit 2
	;;
esac
