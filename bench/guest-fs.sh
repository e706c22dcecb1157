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
