// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The vsvm authors
 *
 * vsvm-as: assemble vsvm ISA text into little-endian 64-bit words, or
 * disassemble such words back into text (-d).
 *
 *   vsvm-as [-o out.bin] prog.s       ("-" reads stdin; default out: stdout)
 *   vsvm-as -d [-o out.s] prog.bin
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vsvm.h"
#include "vsvm_asm.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vsvm-as [-o OUT] FILE.s      assemble to little-endian u64 words\n"
		"       vsvm-as -d [-o OUT] FILE.bin disassemble\n"
		"FILE may be '-' for stdin; OUT defaults to stdout.\n");
}

/* Read a whole file (or stdin) into a NUL-terminated buffer. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 4096, n = 0;
	char *buf, *tmp;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		cap *= 2;
		tmp = realloc(buf, cap);
		if (!tmp) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = tmp;
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

static int assemble(const char *src, FILE *out)
{
	struct vsvm_prog p;
	char err[256];
	int ret = vsvm_asm(src, &p, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "vsvm-as: %s\n", err);
		return 1;
	}
	for (uint32_t i = 0; i < p.count; i++) {
		unsigned char b[8];

		for (int k = 0; k < 8; k++)
			b[k] = (unsigned char)(p.insns[i] >> (8 * k));
		if (fwrite(b, 1, sizeof(b), out) != sizeof(b)) {
			perror("vsvm-as: write");
			vsvm_prog_fini(&p);
			return 1;
		}
	}
	vsvm_prog_fini(&p);
	return 0;
}

static int disassemble(const unsigned char *bin, size_t len, FILE *out)
{
	char text[96];

	if (len % 8) {
		fprintf(stderr, "vsvm-as: input is %zu bytes, not a multiple of 8\n",
			len);
		return 1;
	}
	for (size_t i = 0; i < len / 8; i++) {
		uint64_t w = 0;

		for (int k = 0; k < 8; k++)
			w |= (uint64_t)bin[i * 8 + k] << (8 * k);
		vsvm_disasm(w, text, sizeof(text));
		fprintf(out, "\t%-36s ; %4zu: 0x%016" PRIx64 "\n", text, i, w);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *outpath = NULL;
	bool dis = false;
	FILE *out = stdout;
	size_t len = 0;
	char *in;
	int opt, ret;

	while ((opt = getopt(argc, argv, "do:h")) != -1) {
		switch (opt) {
		case 'd':
			dis = true;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (!dis && !outpath && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vsvm-as: refusing to write binary to a terminal; use -o\n");
		return 2;
	}
	in = read_all(argv[optind], &len);
	if (!in) {
		fprintf(stderr, "vsvm-as: %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	if (outpath) {
		out = fopen(outpath, dis ? "w" : "wb");
		if (!out) {
			fprintf(stderr, "vsvm-as: %s: %s\n", outpath, strerror(errno));
			free(in);
			return 1;
		}
	}
	ret = dis ? disassemble((unsigned char *)in, len, out) : assemble(in, out);
	if (out != stdout && fclose(out) && !ret) {
		perror("vsvm-as: close");
		ret = 1;
	}
	free(in);
	return ret;
}
