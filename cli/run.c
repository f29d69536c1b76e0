/* muzzle run: run a command under a policy.
 *
 * The child loads the filter and execs; the parent watches it with ptrace
 * (exit and signal stops only: no per-syscall stops, so no per-syscall cost)
 * to name the call when the filter kills or traps. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli.h"
#include "compile/compile.h"
#include "supervise.h"

static const char run_usage[] =
	"usage: muzzle run [-p POLICY] [--format F] [--arch LIST] [--strict] [--fd N]\n"
	"                  [--no-trace] -- CMD [ARGS...]\n"
	"Runs CMD with POLICY enforced (a file in any format, or a built-in: default,\n"
	"strict, allow; default: \"default\").  Exits with CMD's status (128+N after\n"
	"signal N; 127 command not found, 126 not executable).  When the policy kills\n"
	"or traps a call, prints one \"muzzle: blocked ...\" line on stderr.\n"
	"  -p, --policy POLICY  the policy to enforce\n"
	"      --format F       read POLICY as F (oci, docker, minijail, kafel, bpf, ...)\n"
	"      --arch LIST      ABIs for formats that do not name them (x86_64,x86,...)\n"
	"      --strict         use seccomp strict mode instead of a filter\n"
	"      --fd N           do not load: give CMD the raw filter on fd N (bwrap --seccomp N)\n"
	"      --no-trace       do not watch CMD with ptrace (no blocked-call lines)\n";

struct run_opts {
	const char *policy;
	enum format format;
	struct format_options fo;
	int strict;
	int fd;
	int no_trace;
	char **cmd;
};

struct run_ctx {
	const struct bpf_prog *prog;	/* what was loaded; NULL in strict mode */
};

static int parse(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'F' },
		{ "arch", required_argument, NULL, 'a' },
		{ "strict", no_argument, NULL, 's' },
		{ "fd", required_argument, NULL, 'f' },
		{ "no-trace", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	format_options_init(&o->fo);
	o->fd = -1;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->policy = optarg; break;
		case 'F':
			if (cli_parse_format("run", optarg, &o->format))
				return EXIT_USAGE;
			break;
		case 'a':
			if (cli_parse_arches("run", optarg, &o->fo.arches))
				return EXIT_USAGE;
			break;
		case 's': o->strict = 1; break;
		case 'f':
			if (cli_parse_u64(optarg, &v) || v > 1023)
				return cli_usage("run", run_usage, "--fd takes a descriptor number 0..1023");
			o->fd = (int)v;
			break;
		case 'n': o->no_trace = 1; break;
		case 'h': return -1;
		default: return cli_bad_option("run", argv, optind, optopt);
		}
	}
	if (optind >= argc)
		return cli_usage("run", run_usage, "no command given");
	if (o->strict && (o->policy || o->fd >= 0))
		return cli_usage("run", run_usage, "--strict takes no policy and no --fd");
	o->cmd = argv + optind;
	if (!o->policy)
		o->policy = "default";
	return 0;
}

/* The calls strict mode lets through (by name: the same on every ABI). */
static int strict_allows(const struct seccomp_data *d)
{
	static const char *const ok[] = { "read", "write", "exit", "rt_sigreturn", "sigreturn" };
	char buf[32];
	const char *name = sv_call_name(d, buf, sizeof(buf));

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(name, ok[i]))
			return 1;
	return 0;
}

static int is_kill(uint32_t action)
{
	return POLICY_ACT_KIND(action) == POLICY_ACT_KILL_PROCESS ||
	       POLICY_ACT_KIND(action) == POLICY_ACT_KILL_THREAD;
}

/* Only calls the filter really kills or traps get a line: a thread that dies
 * of SIGSYS or SIGKILL for another reason (a signal from elsewhere, a sibling
 * thread's kill) is in an allowed call or in none. */
static void on_blocked(void *ctx, pid_t tid, enum sv_block how, const struct seccomp_data *d,
		       int status)
{
	const struct run_ctx *r = ctx;
	char call[1024], comm[64], act[64];
	uint32_t action;

	if (!r->prog) {
		if (how != SV_KILLED || WTERMSIG(status) != SIGKILL || strict_allows(d))
			return;
		snprintf(act, sizeof(act), "KILL (strict mode)");
	} else {
		action = bpf_run(r->prog->insns, r->prog->len, d, NULL);
		if (how == SV_KILLED && !is_kill(action))
			return;
		if (how == SV_TRAPPED && POLICY_ACT_KIND(action) != POLICY_ACT_TRAP)
			action = POLICY_ACT_TRAP;	/* another filter of the program's own */
		policy_action_str(action, act, sizeof(act));
	}
	sv_format_call(call, sizeof(call), d);
	sv_comm(tid, comm, sizeof(comm));
	fprintf(stderr, "muzzle: blocked %s in pid %d (comm \"%s\"): %s\n", call, (int)tid, comm,
		act);
}

/* Policy or raw filter -> program; flags and nnp from the policy. */
static int build(const struct run_opts *o, struct cli_input *in, struct bpf_prog *prog,
		 struct sv_spawn *s)
{
	struct muzzle_error err;
	int rc = cli_load("run", o->policy, o->format, &o->fo, in);

	if (rc)
		return rc;
	if (in->is_filter) {
		s->nnp = 1;
		return bpf_prog_copy(prog, &in->prog) ? EXIT_SYSTEM : 0;
	}
	muzzle_error_clear(&err);
	if (compile_policy(&in->policy, NULL, prog, NULL, &err)) {
		cli_print_error("run", &err);
		return EXIT_POLICY;
	}
	s->nnp = in->policy.no_new_privs;
	/* Nobody would answer a listener: user notifications then fail with
	 * ENOSYS.  WAIT_KILLABLE_RECV means nothing (the kernel refuses it) alone. */
	s->flags = in->policy.flags &
		   ~(uint32_t)(POLICY_FLAG_NEW_LISTENER | POLICY_FLAG_WAIT_KILLABLE_RECV);
	return 0;
}

static int run(const struct run_opts *o, struct bpf_prog *prog, struct sv_spawn *s)
{
	struct run_ctx ctx = { o->strict ? NULL : prog };
	struct sv_hooks hooks = { &ctx, NULL, on_blocked };

	s->sub = "run";
	s->argv = o->cmd;
	s->strict = o->strict;
	s->trace = !o->no_trace;
	s->give_fd = o->fd >= 0;
	s->filter_fd = o->fd;
	if (!o->strict) {
		s->insns = prog->insns;
		s->len = prog->len;
	}
	return sv_run(s, &hooks, 0, NULL);
}

int cmd_run(int argc, char **argv)
{
	struct cli_input in;
	struct bpf_prog prog;
	struct sv_spawn s;
	struct run_opts o;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc < 0 ? cli_usage("run", run_usage, NULL) : rc;
	memset(&s, 0, sizeof(s));
	memset(&in, 0, sizeof(in));
	bpf_prog_init(&prog);
	s.nnp = 1;
	if (!o.strict && (rc = build(&o, &in, &prog, &s)) != 0)
		goto out;
	rc = run(&o, &prog, &s);
out:
	cli_input_free(&in);
	bpf_prog_free(&prog);
	return rc;
}
