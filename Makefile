# SPDX-License-Identifier: GPL-2.0
#
# vsvm: a DRM render driver for a virtual GPU with Shared Virtual Memory.
# Everything kernel-side runs in a QEMU guest booting a kernel built here
# (cached in ~/.cache/vsvm). `make help` lists the targets; README.md has more.

TOP	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD	:= $(TOP)/build
SHELL	:= /bin/bash
MAKEFLAGS += --no-print-directory

# Userspace, built in this order into build/<dir>/ (tools, IGT and the gallium
# driver link libvsvm; the compiler library is linked by tools/vsvm-cc and the
# gallium driver).
USER_DIRS := lib compiler tools igt-tests gallium

# make vm-run CMD='...' [VMFLAGS='--no-module --timeout 300 --modparams "..." ...']
CMD	?=
VMFLAGS	?=
export CMD

.DEFAULT_GOAL := help
.PHONY: help deps kernel module user check lint demo bench stress piglit vm-run clean

help:
	@echo 'vsvm targets:'
	@echo '  make check               build everything, run every test suite in the VM, print the summary'
	@echo '  make lint                checkpatch, kernel-doc, sparse (W=1 C=1), uAPI and shell checks (host only)'
	@echo '  make demo                build, boot, load vsvm, run the demo (libvsvm, then OpenCL via clover)'
	@echo "  make vm-run CMD='...'    run one command as root in the guest with vsvm loaded"
	@echo "                           (VMFLAGS='--no-module', '--timeout S', '--modparams \"...\"', '--console')"
	@echo '  make bench               bench kernel (no debug options) + the benchmarks in bench/'
	@echo '  make stress              fuzz + fault injection + stress with unbind cycles + reload cycles + leak check (DURATION=600 s, CALLS=100000,'
	@echo '                           HOG=N busy host processes beside the guest)'
	@echo '  make piglit              piglit'"'"'s OpenCL tests on pocl (host) and on vsvm (guest, clover), side by side:'
	@echo '                           build/piglit/table.md (PIGLIT_TIMEOUT=300 s per test; takes hours under TCG)'
	@echo '  make deps                install the Debian packages the project needs'
	@echo '  make kernel              build the debug guest kernel (cached in ~/.cache/vsvm)'
	@echo '  make module              build vsvm.ko and the KUnit module against it'
	@echo '  make user                build lib/, tools/, igt-tests/ and gallium/ into build/'
	@echo '  make clean               remove build/ (the kernel cache is kept)'

deps:
	@$(TOP)/scripts/deps.sh

kernel: deps
	@$(TOP)/scripts/build-kernel.sh debug >/dev/null

module: kernel
	@$(TOP)/scripts/build-module.sh debug >/dev/null

user: deps
	@set -e; for d in $(USER_DIRS); do \
		if [ -f $(TOP)/$$d/Makefile ]; then \
			$(MAKE) -s -C $(TOP)/$$d O=$(BUILD); \
		else \
			echo "user: $$d/Makefile does not exist yet; skipping $$d/"; \
		fi; \
	done

check:
	@$(TOP)/scripts/check.sh

# The static checks (scripts/lint.sh); `make check` runs them as suite lint.
lint: kernel
	@$(TOP)/scripts/lint.sh

demo: module user
	@test -x $(BUILD)/tools/vsvm-demo || { \
		echo "demo: $(BUILD)/tools/vsvm-demo has not been built (tools/ provides it)" >&2; \
		exit 1; }
	@test -x $(BUILD)/tools/vsvm-cl-demo -a -f $(BUILD)/gallium/pipe_vsvm.so || { \
		echo "demo: build/tools/vsvm-cl-demo or build/gallium/pipe_vsvm.so is missing (make user)" >&2; \
		exit 1; }
	@$(TOP)/scripts/vm-run.sh -- scripts/run-demo.sh

bench: user
	@test -f $(TOP)/bench/Makefile || { \
		echo "bench: bench/Makefile does not exist yet: there are no benchmarks to run" >&2; \
		exit 1; }
	@$(TOP)/scripts/build-kernel.sh bench >/dev/null
	@$(TOP)/scripts/build-module.sh bench >/dev/null
	@$(MAKE) -C $(TOP)/bench run O=$(BUILD)

# make stress [DURATION=600] [CALLS=100000] [HOG=0]: fuzzing, fault
# injection, the data-verifying stress and the leak check on the debug
# kernel, in one guest boot with kmemleak (scripts/stress.sh); the kernel log
# must stay clean. HOG=N runs N busy processes on the host beside the guest
# (scripts/cpu-hog.sh): a slower machine on demand.
DURATION ?= 600
CALLS	?= 100000
HOG	?= 0
# 3 x 3 threads with VRAM oversubscribed: in a TCG guest on the debug kernel
# a job stalled behind evictions can take longer than the 5 s default.
STRESS_JOB_TIMEOUT_MS ?= 60000
stress: module user
	@$(TOP)/scripts/cpu-hog.sh $(HOG) -- \
		$(TOP)/scripts/vm-run.sh --name stress --append kmemleak=on \
		--modparams job_timeout_ms=$(STRESS_JOB_TIMEOUT_MS) \
		--timeout $$(( $(DURATION) + $(CALLS) / 20 + 3600 )) -- \
		scripts/stress.sh $(DURATION) $(CALLS)

# make piglit [PIGLIT_TIMEOUT=300]: piglit's OpenCL tests (Debian's piglit,
# scripts/run-piglit-cl.sh) on pocl on the host, then on vsvm through clover
# in one guest; the side-by-side table goes to build/piglit/table.md.
PIGLIT_TIMEOUT ?= 300
piglit: module user
	@$(TOP)/scripts/run-piglit-cl.sh pocl --timeout $(PIGLIT_TIMEOUT)
	@$(TOP)/scripts/vm-run.sh --name piglit --timeout 21600 -- \
		scripts/run-piglit-cl.sh vsvm --timeout $(PIGLIT_TIMEOUT) || \
		echo "piglit: the guest run failed (build/vm/piglit/)" >&2
	@python3 $(TOP)/scripts/piglit-cl.py table --dir $(BUILD)/piglit \
		--out $(BUILD)/piglit/table.md --xfail $(TOP)/gallium/piglit-cl-xfail.txt

# A broken userspace build does not stop a kernel-side run: it warns.
vm-run: kernel $(if $(findstring --no-module,$(VMFLAGS)),,module)
	@test -n "$$CMD" || { \
		echo "usage: make vm-run CMD='command' [VMFLAGS='--no-module --timeout S ...']" >&2; \
		exit 2; }
	@$(MAKE) user || echo "vm-run: warning: 'make user' failed; build/ keeps what it had" >&2
	@$(TOP)/scripts/vm-run.sh $(VMFLAGS) -- "$$CMD"

clean:
	rm -rf $(BUILD)
	@echo 'clean: removed build/; the kernel cache in ~/.cache/vsvm is kept (delete it to rebuild the kernel)'
