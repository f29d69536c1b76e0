/* muzzle sim: the action a policy or filter takes for one syscall, and why. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compile/compile.h"
#include "policy/eval.h"

static const char usage[] =
	"usage: muzzle sim POLICY --syscall NAME|NR [--arch A] [--args A0,...] [--trace]\n"
	"Show the action POLICY (a policy in any format, a built-in name or a raw BPF\n"
	"filter) takes for one system call, and the rule that decided it.\n"
	"  -s, --syscall S    syscall name or number (as in seccomp_data.nr)\n"
	"  -a, --arch A       ABI of the call (default: this machine's)\n"
	"  -A, --args LIST    up to six argument values (decimal, 0x hex, negative)\n"
	"  -t, --trace        list the compiled filter's instructions that ran (always\n"
	"                     shown for a raw filter)\n"
	"  -f, --format IN    input format (default: detected)\n"
	"  -h, --help         this text\n";

struct sim_args {
	const char *input, *syscall, *args;
	const struct arch_desc *abi;
	enum format fmt;
	int trace;
};

static int parse_args(int argc, char **argv, struct sim_args *a)
{
	static const struct option opts[] = {
		{ "syscall", required_argument, NULL, 's' },
		{ "arch", required_argument, NULL, 'a' },
		{ "args", required_argument, NULL, 'A' },
		{ "format", required_argument, NULL, 'f' },
		{ "trace", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->abi = arch_native();
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:a:A:f:th", opts, NULL)) != -1) {
		switch (c) {
		case 's': a->syscall = optarg; break;
		case 'A': a->args = optarg; break;
		case 't': a->trace = 1; break;
		case 'a':
			a->abi = cli_parse_arch("sim", optarg);
			if (!a->abi)
				return EXIT_USAGE;
			break;
		case 'f':
			if (cli_parse_format("sim", optarg, &a->fmt))
				return EXIT_USAGE;
			break;
		case 'h': return -1;
		default: return cli_bad_option("sim", argv, optind, optopt);
		}
	}
	if (optind != argc - 1)
		return cli_usage("sim", usage, optind >= argc ? "missing POLICY" :
				 "more than one POLICY");
	if (!a->syscall)
		return cli_usage("sim", usage, "missing --syscall");
	a->input = argv[optind];
	return 0;
}

/* Name or number -> seccomp_data.nr on the ABI.  A bare x32 number gets the
 * x32 bit, since that is what the kernel puts in nr. */
static int resolve_nr(const struct arch_desc *abi, const char *s, uint32_t *nr)
{
	uint64_t v;
	int id = arch_syscall_id(s);

	if (id >= 0) {
		int32_t n = arch_syscall_nr(abi->id, id);

		if (n == ARCH_NR_NONE) {
			cli_error("sim", "%s has no syscall \"%s\"", abi->name, s);
			return EXIT_USAGE;
		}
		*nr = (uint32_t)n;
		return 0;
	}
	if (cli_parse_u64(s, &v) || v > UINT32_MAX) {
		cli_error("sim", "unknown syscall \"%s\"", s);
		return EXIT_USAGE;
	}
	*nr = (uint32_t)v;
	if (abi->id == ARCH_X32 && *nr < ARCH_X32_SYSCALL_BIT)
		*nr |= ARCH_X32_SYSCALL_BIT;
	return 0;
}

static int parse_call_args(const char *list, struct seccomp_data *d)
{
	char *copy, *save = NULL, *tok;
	int n = 0;

	if (!list)
		return 0;
	copy = strdup(list);
	if (!copy)
		return EXIT_SYSTEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;

		if (n == 6 || cli_parse_u64(tok, &v)) {
			cli_error("sim", n == 6 ? "more than six --args" :
				  "bad argument value \"%s\"", tok);
			free(copy);
			return EXIT_USAGE;
		}
		d->args[n++] = v;
	}
	free(copy);
	return 0;
}

static void print_call(const struct arch_desc *abi, const struct seccomp_data *d)
{
	int id = arch_syscall_by_nr(abi->id, (uint32_t)d->nr);

	if (id >= 0)
		printf("%s %s(", abi->name, arch_syscall_name(id));
	else
		printf("%s nr %u(", abi->name, (unsigned)d->nr);
	for (int i = 0; i < 6; i++)
		printf(i ? ", %#llx" : "%#llx", (unsigned long long)d->args[i]);
	printf(")\n");
}

static void print_rule(const struct policy *p, int rule, const char *path)
{
	char where[512], act[32];

	if (rule == POLICY_RULE_DEFAULT) {
		printf("decided by: the default action %s\n",
		       policy_action_str(p->default_action, act, sizeof(act)));
		return;
	}
	if (rule == POLICY_RULE_BADARCH) {
		printf("decided by: the bad-architecture action %s (ABI not in the policy)\n",
		       policy_action_str(p->badarch_action, act, sizeof(act)));
		return;
	}
	const struct policy_rule *r = &p->rules[rule];

	printf("decided by: %s", cli_rule_where(p, (size_t)rule, path, where, sizeof(where)));
	if (r->comment && *r->comment)
		printf(" (%s)", r->comment);
	printf("\n");
	for (unsigned i = 0; i < r->ncond; i++) {
		const struct policy_cond *c = &r->cond[i];

		if (c->op == POLICY_OP_MASKED_EQ || c->op == POLICY_OP_MASKED_NE)
			printf("  condition: (arg%u & %#llx) %s %#llx\n", c->arg,
			       (unsigned long long)c->mask,
			       c->op == POLICY_OP_MASKED_EQ ? "==" : "!=",
			       (unsigned long long)c->datum);
		else
			printf("  condition: arg%u %s %#llx\n", c->arg,
			       policy_op_str((enum policy_op)c->op), (unsigned long long)c->datum);
	}
}

/* Which instructions run: with instruction i replaced by a `ret` of a value
 * the program never returns, the result is that value exactly when i is
 * reached.  Exact for classic BPF (jumps only go forward), and reuses the
 * interpreter instead of a second one. */
static uint32_t unused_ret(const struct bpf_prog *p)
{
	uint32_t v = 0x7ff5a5a5u;

	for (size_t i = 0; i < p->len; i++)
		if (p->insns[i].code == (BPF_RET | BPF_K) && p->insns[i].k == v) {
			v++;
			i = (size_t)-1;	/* start over with the new value */
		}
	return v;
}

static int mark_reached(const struct bpf_prog *p, const struct seccomp_data *d, char *hit)
{
	struct bpf_prog copy;
	uint32_t magic = unused_ret(p);

	bpf_prog_init(&copy);
	if (bpf_prog_copy(&copy, p))
		return -1;
	for (size_t i = 0; i < p->len; i++) {
		struct sock_filter keep = copy.insns[i];

		copy.insns[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, magic);
		hit[i] = bpf_run(copy.insns, copy.len, d, NULL) == magic;
		copy.insns[i] = keep;
	}
	bpf_prog_free(&copy);
	return 0;
}

/* The listing lines ("  12: ...") of the instructions that ran. */
static void print_trace(const struct bpf_prog *p, const struct seccomp_data *d)
{
	struct bpf_disasm_opts o = { .arch_token = d->arch };
	char *text = NULL, *line, *save = NULL;
	size_t size = 0;
	char *hit = calloc(p->len ? p->len : 1, 1);
	FILE *f;

	if (!hit || mark_reached(p, d, hit)) {
		free(hit);
		return;
	}
	f = open_memstream(&text, &size);
	if (f && bpf_disasm(f, p->insns, p->len, &o) == 0 && fclose(f) == 0) {
		f = NULL;
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *end;
			unsigned long i = strtoul(line, &end, 10);

			if (end != line && *end == ':' && i < p->len && hit[i])
				printf("  %s\n", line);
		}
	}
	if (f)
		fclose(f);
	free(text);
	free(hit);
}

/* Run the compiled filter too: shows the cost and cross-checks the compiler
 * against the reference evaluator. */
static void print_compiled(const struct policy *p, const struct seccomp_data *d,
			   uint32_t expect, int trace)
{
	struct bpf_prog prog;
	struct muzzle_error err;
	unsigned steps = 0;
	char act[32];

	bpf_prog_init(&prog);
	if (compile_policy(p, NULL, &prog, NULL, &err) == 0) {
		uint32_t got = bpf_run(prog.insns, prog.len, d, &steps);

		if (got == expect) {
			printf("compiled filter: same action, %u of %zu instructions executed\n",
			       steps, prog.len);
			if (trace)
				print_trace(&prog, d);
		} else
			printf("compiled filter: DIFFERENT action %s (a compiler bug)\n",
			       policy_action_str(got, act, sizeof(act)));
	}
	bpf_prog_free(&prog);
}

int cmd_sim(int argc, char **argv)
{
	struct sim_args a;
	struct format_options o;
	struct cli_input in;
	struct seccomp_data d;
	char act[32];
	int rule, rc = parse_args(argc, argv, &a);
	unsigned steps;

	if (rc)
		return rc < 0 ? cli_usage("sim", usage, NULL) : rc;
	uint32_t nr = 0;

	memset(&d, 0, sizeof(d));
	d.arch = a.abi->token;
	rc = resolve_nr(a.abi, a.syscall, &nr);
	d.nr = (int)nr;
	if (!rc)
		rc = parse_call_args(a.args, &d);
	if (rc)
		return rc;
	format_options_init(&o);
	rc = cli_load("sim", a.input, a.fmt, &o, &in);
	if (rc)
		return rc;
	uint32_t action = cli_eval(&in, &d, &rule, &steps);

	print_call(a.abi, &d);
	printf("action: %s\n", policy_action_str(action, act, sizeof(act)));
	if (in.is_filter) {
		printf("instructions executed: %u of %zu\n", steps, in.prog.len);
		print_trace(&in.prog, &d);
	} else {
		print_rule(&in.policy, rule, a.input);
		print_compiled(&in.policy, &d, action, a.trace);
	}
	cli_input_free(&in);
	return 0;
}
