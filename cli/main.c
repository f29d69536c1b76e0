/* muzzle SUBCOMMAND ...: dispatch to one file per subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "run", cmd_run, "run a command under a policy" },
	{ "audit", cmd_audit, "run a command and report what a policy would deny" },
	{ "learn", cmd_learn, "record the syscalls a command makes into a profile" },
	{ "compile", cmd_compile, "compile or convert a policy" },
	{ "sim", cmd_sim, "show the action a policy takes for one syscall" },
	{ "disasm", cmd_disasm, "disassemble a BPF filter" },
	{ "asm", cmd_asm, "assemble a listing back into BPF" },
	{ "diff", cmd_diff, "semantic difference of two policies or filters" },
	{ "resolve", cmd_resolve, "syscall names <-> numbers" },
	{ "check", cmd_check, "lint a policy" },
	{ "explain", cmd_explain, "what a policy allows, by group" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: muzzle SUBCOMMAND [ARGS]\n\nsubcommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(out, "\n'muzzle SUBCOMMAND --help' for each; man muzzle-SUBCOMMAND.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("muzzle 0.1.0\n");
		return 0;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "muzzle: unknown subcommand '%s' (try 'muzzle --help')\n", argv[1]);
	return EXIT_USAGE;
}
