/* Reads the syscall mix bench/mix.sh recorded: blocks of `strace -c -U
 * name,calls` output, each after a "# program: WHAT" line.  Names are mapped
 * to x86_64 numbers through muzzle's own syscall tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "bench.h"

static void add_program(struct mix *m, const char *line)
{
	if (m->nprograms == MIX_MAX_PROGRAMS)
		return;
	snprintf(m->programs[m->nprograms], sizeof(m->programs[0]), "%s", line);
	m->programs[m->nprograms][strcspn(m->programs[m->nprograms], "\n")] = 0;
	m->nprograms++;
}

static void add_calls(struct mix *m, const char *name, unsigned long n)
{
	int id = arch_syscall_id(name);

	m->total += n;
	if (id >= 0 && arch_syscall_nr(ARCH_X86_64, id) != ARCH_NR_NONE) {
		m->calls[id] += n;
		return;
	}
	m->unmapped += n;
	if (strlen(m->unknown) + strlen(name) + 3 < sizeof(m->unknown))
		snprintf(m->unknown + strlen(m->unknown), sizeof(m->unknown) - strlen(m->unknown),
			 "%s%s", m->unknown[0] ? ", " : "", name);
}

int mix_read(const char *path, struct mix *m)
{
	char line[256], name[64];
	unsigned long n;
	int other_abi = 0;	/* inside strace's table for another personality */
	FILE *f = fopen(path, "r");

	memset(m, 0, sizeof(*m));
	m->calls = calloc((size_t)arch_syscall_count(), sizeof(*m->calls));
	if (!f || !m->calls) {
		fprintf(stderr, "bench: cannot read the syscall mix %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "# program: ", 11)) {
			add_program(m, line + 11);
			other_abi = 0;
		} else if (strstr(line, "System call usage summary for")) {
			/* strace heads only the non-native personalities' tables (32 bit,
			 * x32); the mix is x86_64 calls */
			other_abi = 1;
		} else if (!other_abi && sscanf(line, "%63s %lu", name, &n) == 2 &&
			   strcmp(name, "total")) {
			add_calls(m, name, n);
		}
	}
	fclose(f);
	return 0;
}

void mix_free(struct mix *m)
{
	free(m->calls);
	m->calls = NULL;
}
