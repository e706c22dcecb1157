// SPDX-License-Identifier: MIT
/*
 * vsvm-cc: compile a serialized-NIR kernel (as clover hands it to a gallium
 * driver) into vsvm instructions and print the stages.
 *
 *   vsvm-cc [-d nir,ir,asm] [-i isa_version] [-o out.bin] blob.nir
 *
 * -d picks the dumps (default: asm), -o writes the instruction words
 * (little-endian u64s). A blob with clover's 4-byte pipe_binary_program_header
 * in front is accepted too (-H).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vsvm_cc.h"

static unsigned parse_debug(const char *s)
{
	unsigned f = 0;

	while (*s) {
		size_t n = strcspn(s, ",");

		if (n == 3 && !strncmp(s, "nir", 3))
			f |= VSVM_CC_DEBUG_NIR;
		else if (n == 2 && !strncmp(s, "ir", 2))
			f |= VSVM_CC_DEBUG_IR;
		else if (n == 3 && !strncmp(s, "asm", 3))
			f |= VSVM_CC_DEBUG_ASM;
		else if (n == 3 && !strncmp(s, "all", 3))
			f |= VSVM_CC_DEBUG_NIR | VSVM_CC_DEBUG_IR |
			     VSVM_CC_DEBUG_ASM;
		s += n;
		if (*s)
			s++;
	}
	return f;
}

int main(int argc, char **argv)
{
	unsigned debug = VSVM_CC_DEBUG_ASM, isa = 2;
	const char *outpath = NULL;
	struct vsvm_cc_kernel k;
	unsigned char *buf = NULL;
	size_t size = 0, cap = 0, skip = 0;
	bool header = false;
	char err[512];
	FILE *f;
	int c, ret;

	while ((c = getopt(argc, argv, "d:i:o:H")) != -1) {
		switch (c) {
		case 'd':
			debug = parse_debug(optarg);
			break;
		case 'i':
			isa = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'H':
			header = true;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	f = fopen(argv[optind], "rb");
	if (!f) {
		perror(argv[optind]);
		return 1;
	}
	for (;;) {
		size_t n;

		if (size == cap) {
			unsigned char *p;

			cap = cap ? cap * 2 : 65536;
			p = realloc(buf, cap);
			if (!p) {
				fclose(f);
				free(buf);
				return 1;
			}
			buf = p;
		}
		n = fread(buf + size, 1, cap - size, f);
		if (!n)
			break;
		size += n;
	}
	fclose(f);
	if (header)
		skip = 4;
	if (size < skip) {
		fprintf(stderr, "vsvm-cc: file too short\n");
		free(buf);
		return 1;
	}
	ret = vsvm_cc_compile_debug(buf + skip, size - skip, isa, debug,
				    stdout, &k, err, sizeof(err));
	free(buf);
	if (ret) {
		fprintf(stderr, "vsvm-cc: %s: %s (%s)\n", argv[optind], err,
			strerror(-ret));
		return 1;
	}
	printf("kernel %s: %u instructions, ISA v%u, input %u bytes, local %u, scratch %u, block %ux%ux%u\n",
	       k.name, k.code_len, k.isa_version, k.input_size, k.local_size,
	       k.scratch_size, k.block[0], k.block[1], k.block[2]);
	if (outpath) {
		f = fopen(outpath, "wb");
		if (!f || fwrite(k.code, 8, k.code_len, f) != k.code_len) {
			perror(outpath);
			if (f)
				fclose(f);
			vsvm_cc_kernel_fini(&k);
			return 1;
		}
		fclose(f);
	}
	vsvm_cc_kernel_fini(&k);
	return 0;
usage:
	fprintf(stderr, "usage: vsvm-cc [-d nir,ir,asm|all] [-i isa] [-o out.bin] [-H] blob.nir\n");
	return 2;
}
