# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the bench scripts that run inside the guest. The guest's root
# is the host's / over 9p, and a `mountpoint` check made before /proc is
# mounted reads the host's mount table through it: /proc and /sys may still
# be the host's directories. Mount the guest's own (the dynamic loader
# resolves $ORIGIN through /proc/self/exe; the benchmarks read
# /proc/meminfo, /sys/dev/char, debugfs and tracefs).
guest_fs() { # mount point, type
	[ "$(stat -f -c %T "$1" 2>/dev/null)" = "$2" ] && return 0
	mount -t "$2" "$2" "$1" || { echo "bench: cannot mount $2 on $1" >&2; exit 1; }
}
guest_fs /proc proc
guest_fs /sys sysfs
guest_fs /sys/kernel/debug debugfs
guest_fs /sys/kernel/tracing tracefs

# test_hmm ("dmirror") from the guest kernel's build, beside vsvm: it
# creates /dev/hmm_dmirror0..3.
load_test_hmm() {
	if [ ! -e /dev/hmm_dmirror0 ]; then
		modprobe -d "${VSVM_MODROOT:?}" test_hmm
		for _ in $(seq 50); do
			[ -e /dev/hmm_dmirror0 ] && break
			sleep 0.1
		done
	fi
	[ -c /dev/hmm_dmirror0 ] || { echo "bench: test_hmm did not create /dev/hmm_dmirror0" >&2; exit 1; }
}
