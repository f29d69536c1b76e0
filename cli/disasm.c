/* muzzle disasm: a BPF filter as a listing with labels and syscall names. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "compile/compile.h"

static const char usage[] =
	"usage: muzzle disasm FILE [--arch A] [--raw]\n"
	"Disassemble a raw BPF filter (or compile a policy first and disassemble that).\n"
	"  -a, --arch A    name syscalls for this ABI (default: this machine's)\n"
	"  -r, --raw       no labels: plain jt/jf offsets\n"
	"  -f, --format IN input format (default: detected; bpf forces raw BPF)\n"
	"  -h, --help      this text\n";

static int compile_input(struct cli_input *in, const char *name)
{
	struct muzzle_error err;
	struct bpf_prog prog;

	bpf_prog_init(&prog);
	muzzle_error_clear(&err);
	if (compile_policy(&in->policy, NULL, &prog, NULL, &err)) {
		if (!err.file[0])
			snprintf(err.file, sizeof(err.file), "%s", name);
		cli_print_error("disasm", &err);
		bpf_prog_free(&prog);
		return EXIT_POLICY;
	}
	policy_free(&in->policy);
	in->prog = prog;
	in->is_filter = 1;
	return 0;
}

int cmd_disasm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "raw", no_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bpf_disasm_opts d = { .arch_token = arch_native()->token };
	struct format_options o;
	struct cli_input in;
	enum format fmt = FORMAT_AUTO;
	const struct arch_desc *abi;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "a:rf:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			abi = cli_parse_arch("disasm", optarg);
			if (!abi)
				return EXIT_USAGE;
			d.arch_token = abi->token;
			break;
		case 'r': d.raw = 1; break;
		case 'f':
			if (cli_parse_format("disasm", optarg, &fmt))
				return EXIT_USAGE;
			break;
		case 'h': return cli_usage("disasm", usage, NULL);
		default: return cli_bad_option("disasm", argv, optind, optopt);
		}
	}
	if (optind != argc - 1)
		return cli_usage("disasm", usage, optind >= argc ? "missing FILE" :
				 "more than one FILE");
	format_options_init(&o);
	rc = cli_load("disasm", argv[optind], fmt, &o, &in);
	if (rc)
		return rc;
	if (!in.is_filter)
		rc = compile_input(&in, argv[optind]);
	if (!rc && bpf_disasm(stdout, in.prog.insns, in.prog.len, &d)) {
		cli_error("disasm", "%s: cannot disassemble", argv[optind]);
		rc = EXIT_POLICY;
	}
	cli_input_free(&in);
	return rc;
}
