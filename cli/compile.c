/* muzzle compile: read a policy in any format, write it in any format. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "compile/compile.h"

static const char usage[] =
	"usage: muzzle compile POLICY [-o OUT] [--to FORMAT] [--arch A,...] [--format IN]\n"
	"                      [--badarch ACTION] [--time N]\n"
	"Read POLICY (a file in any format, a raw BPF filter or a built-in name) and\n"
	"write it as FORMAT: bpf (default), c, pfc, oci, docker, minijail, kafel, k8s.\n"
	"  -o, --output OUT   write to OUT (default: stdout, but never raw BPF to a\n"
	"                     terminal)\n"
	"  -t, --to FORMAT    output format\n"
	"  -a, --arch LIST    ABIs to filter, e.g. x86_64,x86,x32 (replaces the policy's)\n"
	"  -f, --format IN    input format (default: detected)\n"
	"      --badarch ACT  set the action for calls from other ABIs (e.g. kill-thread\n"
	"                     when a target format cannot say the source's kill-process)\n"
	"      --time N       print the median time of N parse+compile runs to stderr\n"
	"  -h, --help         this text\n";

struct compile_args {
	const char *input, *output;
	enum format in_fmt, out_fmt;
	uint32_t arches;
	long runs;
	int set_badarch;	/* the user asked to replace the bad-ABI action */
	uint32_t badarch;
};

static int parse_args(int argc, char **argv, struct compile_args *a)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "to", required_argument, NULL, 't' },
		{ "arch", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "time", required_argument, NULL, 'T' },
		{ "badarch", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->out_fmt = FORMAT_BPF;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:t:a:f:h", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'o': a->output = optarg; break;
		case 't':
			if (cli_parse_format("compile", optarg, &a->out_fmt))
				return EXIT_USAGE;
			break;
		case 'a':
			if (cli_parse_arches("compile", optarg, &a->arches))
				return EXIT_USAGE;
			break;
		case 'f':
			if (cli_parse_format("compile", optarg, &a->in_fmt))
				return EXIT_USAGE;
			break;
		case 'T':
			a->runs = strtol(optarg, &end, 10);
			if (*end || a->runs < 1 || a->runs > 1000000)
				return cli_usage("compile", usage, "--time needs a count 1..1000000");
			break;
		case 'B':
			if (policy_action_parse(optarg, &a->badarch) ||
			    !policy_action_valid(a->badarch))
				return cli_usage("compile", usage, "--badarch needs an action such "
						 "as kill-thread, KILL_PROCESS or ERRNO(38)");
			a->set_badarch = 1;
			break;
		case 'h': return -1;
		default: return cli_bad_option("compile", argv, optind, optopt);
		}
	}
	if (optind != argc - 1)
		return cli_usage("compile", usage, optind >= argc ? "missing POLICY" :
				 "more than one POLICY");
	a->input = argv[optind];
	if (a->out_fmt == FORMAT_AUTO)
		return cli_usage("compile", usage, "--to auto is not an output format");
	return 0;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* One timed run: exactly the model build (parse of the bytes already in
 * memory) and BPF generation; reading the file is not timed. */
static int timed_run(const struct compile_args *a, const struct format_options *o,
		     const char *buf, size_t len, double *us)
{
	struct muzzle_error err;
	struct policy p;
	struct bpf_prog prog;
	double t0 = now_us();
	int rc;

	bpf_prog_init(&prog);
	if (buf)
		rc = format_read_buf(buf, len, a->input, a->in_fmt, o, &p, &err);
	else
		rc = cli_builtin_policy(a->input, &p);
	if (rc)
		goto out;
	if (a->arches)
		p.arches = a->arches;
	rc = compile_policy(&p, NULL, &prog, NULL, &err);
	policy_free(&p);
out:
	*us = now_us() - t0;
	bpf_prog_free(&prog);
	return rc;
}

static int time_compile(const struct compile_args *a, const struct format_options *o,
			int builtin)
{
	char *buf = NULL;
	size_t len = 0;
	double *t;
	int rc = builtin ? 0 : cli_read_file(a->input, &buf, &len);

	if (rc) {
		cli_error("compile", "%s: %s", a->input, strerror(-rc));
		return EXIT_SYSTEM;
	}
	t = calloc((size_t)a->runs, sizeof(*t));
	if (!t) {
		free(buf);
		cli_error("compile", "out of memory");
		return EXIT_SYSTEM;
	}
	for (long i = 0; i < a->runs && !rc; i++)
		if (timed_run(a, o, buf, len, &t[i])) {
			cli_error("compile", "%s: timing run %ld failed", a->input, i + 1);
			rc = EXIT_POLICY;
		}
	if (!rc) {
		qsort(t, (size_t)a->runs, sizeof(*t), cmp_double);
		fprintf(stderr, "compile: median %.0f us over %ld runs\n",
			a->runs % 2 ? t[a->runs / 2] : (t[a->runs / 2 - 1] + t[a->runs / 2]) / 2,
			a->runs);
	}
	free(t);
	free(buf);
	return rc;
}

static int write_filter(FILE *out, const struct bpf_prog *prog, enum format fmt)
{
	if (fmt != FORMAT_BPF) {
		cli_error("compile", "a raw BPF filter can only be written as bpf (try 'muzzle "
			  "disasm' for a listing)");
		return EXIT_USAGE;
	}
	if (fwrite(prog->insns, sizeof(prog->insns[0]), prog->len, out) != prog->len)
		return EXIT_SYSTEM;
	return 0;
}

static int write_output(FILE *out, const struct cli_input *in, enum format fmt,
			const struct format_options *o, const char *name)
{
	struct muzzle_error err;

	if (in->is_filter)
		return write_filter(out, &in->prog, fmt);
	muzzle_error_clear(&err);
	if (format_write(out, fmt, &in->policy, o, &err)) {
		if (!err.file[0] && !err.line && !err.json_path[0])
			snprintf(err.file, sizeof(err.file), "%s", name);
		cli_print_error("compile", &err);
		return err.code == -ENOMEM ? EXIT_SYSTEM : EXIT_POLICY;
	}
	return 0;
}

/* A device or fifo (/dev/stdout, a pipe): a rename would replace it. */
static int write_special(const char *path, const struct cli_input *in, enum format fmt,
			 const struct format_options *o, const char *name)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		cli_error("compile", "%s: %s", path, strerror(errno));
		return EXIT_SYSTEM;
	}
	if (fmt == FORMAT_BPF && isatty(fileno(f))) {
		fclose(f);
		cli_error("compile", "refusing to write raw BPF to a terminal (%s)", path);
		return EXIT_USAGE;
	}
	rc = write_output(f, in, fmt, o, name);
	if (fclose(f) && !rc) {
		cli_error("compile", "%s: %s", path, strerror(errno));
		rc = EXIT_SYSTEM;
	}
	return rc;
}

/* Write to OUT.tmp and rename, so a failed conversion leaves no half file. */
static int write_file(const char *path, const struct cli_input *in, enum format fmt,
		      const struct format_options *o, const char *name)
{
	char tmp[4096];
	FILE *f;
	int rc;

	if (cli_is_special_output(path))
		return write_special(path, in, fmt, o, name);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof(tmp)) {
		cli_error("compile", "%s: path too long", path);
		return EXIT_USAGE;
	}
	f = fopen(tmp, "w");
	if (!f) {
		cli_error("compile", "%s: %s", path, strerror(errno));
		return EXIT_SYSTEM;
	}
	rc = write_output(f, in, fmt, o, name);
	if (fclose(f) && !rc) {
		cli_error("compile", "%s: %s", path, strerror(errno));
		rc = EXIT_SYSTEM;
	}
	if (!rc && rename(tmp, path)) {
		cli_error("compile", "%s: %s", path, strerror(errno));
		rc = EXIT_SYSTEM;
	}
	if (rc)
		unlink(tmp);
	return rc;
}

static int write_stdout(const struct cli_input *in, enum format fmt,
			const struct format_options *o, const char *name)
{
	int rc;

	if (fmt == FORMAT_BPF && isatty(STDOUT_FILENO)) {
		cli_error("compile", "refusing to write raw BPF to a terminal (use -o FILE or "
			  "--to pfc)");
		return EXIT_USAGE;
	}
	rc = write_output(stdout, in, fmt, o, name);
	if (fflush(stdout) && !rc) {
		cli_error("compile", "stdout: %s", strerror(errno));
		rc = EXIT_SYSTEM;
	}
	return rc;
}

int cmd_compile(int argc, char **argv)
{
	struct compile_args a;
	struct format_options o;
	struct cli_input in;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? cli_usage("compile", usage, NULL) : rc;
	format_options_init(&o);
	if (a.arches)
		o.arches = a.arches;
	rc = cli_load("compile", a.input, a.in_fmt, &o, &in);
	if (rc)
		return rc;
	if (a.arches && !in.is_filter)
		in.policy.arches = a.arches;
	else if (a.arches)
		cli_error("compile", "note: --arch does not change a raw BPF filter");
	if (a.set_badarch && !in.is_filter)
		in.policy.badarch_action = a.badarch;
	rc = a.output ? write_file(a.output, &in, a.out_fmt, &o, a.input)
		      : write_stdout(&in, a.out_fmt, &o, a.input);
	if (!rc && a.runs) {
		if (in.is_filter)
			cli_error("compile", "--time: nothing to compile in a raw BPF filter");
		else
			rc = time_compile(&a, &o, in.is_builtin);
	}
	cli_input_free(&in);
	return rc;
}
