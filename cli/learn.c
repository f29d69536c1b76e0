/* muzzle learn: record the syscalls a command makes and write a profile.
 *
 * The child runs under a one-instruction filter, "ret USER_NOTIF": every call
 * of every thread and descendant, on every ABI, across execve, reaches the
 * parent, which records (ABI, number[, one argument]) and lets it go on with
 * FLAG_CONTINUE.  The calls the child makes between loading and exec (execve
 * itself) are recorded the same way, so `muzzle run` with the profile repeats
 * the run.
 *
 * --backend ebpf (learn_ebpf.c) counts the calls with a BPF program on the
 * sys_enter tracepoint instead: no filter, so next to no overhead, but it
 * needs root and BTF, and it sees no arguments.  Both feed the same table,
 * from which the profile is built the same way. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "learn_ebpf.h"
#include "policy/eval.h"
#include "runtime_sets.h"
#include "supervise.h"

static const char learn_usage[] =
	"usage: muzzle learn -o PROFILE [--format F] [--merge] [--args] [--for RUNTIME]\n"
	"                    [--backend notify|ebpf] -- CMD [ARGS...]\n"
	"Runs CMD (and everything it starts) and writes the smallest allow-list profile\n"
	"under which the same run succeeds: default action ERRNO(EPERM), one ALLOW rule\n"
	"per syscall seen, on the ABIs seen.  Exits with CMD's status.\n"
	"  -o, --output PROFILE  where to write (\"-\": stdout)\n"
	"      --format F        oci (default), docker, minijail, kafel, ...\n"
	"      --merge           add to the rules already in PROFILE\n"
	"      --args            also learn argument values (clone flags, socket families,\n"
	"                        ioctl requests, prctl options) as == rules\n"
	"      --for RUNTIME     the profile is for a container runtime (runc, crun,\n"
	"                        docker): also allow what it calls between loading the\n"
	"                        filter and starting the container's process\n"
	"      --backend B       notify (default): a seccomp filter hands every call to\n"
	"                        muzzle; ebpf: a BPF program on the sys_enter tracepoint\n"
	"                        counts them, near-zero overhead (root, BTF; no --args)\n";

#define LEARN_MAX_VALUES 32	/* more distinct values than this: allow the call outright */

struct seen {
	uint32_t arch, nr;
	int abi;		/* enum arch_id, -1 if unknown */
	int id;			/* syscall id, -1 if the tables lack it */
	int arg;		/* argument learned with --args, -1 none */
	int nvalues;		/* -1: too many, allow outright */
	uint64_t values[LEARN_MAX_VALUES];
	unsigned long count;
};

struct learn {
	int args;
	struct seen *s;
	size_t n, cap;
	int oom;
	int live;		/* stderr is a terminal: keep a running count there */
	time_t shown;		/* when the count was last shown */
	unsigned long total;
};

struct learn_opts {
	const char *output;
	enum format format;
	int merge, args;
	int ebpf;				/* --backend ebpf */
	const struct runtime_set *runtime;	/* --for, or NULL */
	char **cmd;
};

static int parse(int argc, char **argv, struct learn_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'F' },
		{ "merge", no_argument, NULL, 'm' },
		{ "args", no_argument, NULL, 'A' },
		{ "for", required_argument, NULL, 'R' },
		{ "backend", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->format = FORMAT_OCI;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'm': o->merge = 1; break;
		case 'A': o->args = 1; break;
		case 'R':
			if (!(o->runtime = runtime_set_find(optarg))) {
				cli_error("learn", "--for %s: unknown runtime (known: %s)", optarg,
					  runtime_set_names());
				return EXIT_USAGE;
			}
			break;
		case 'F':
			if (cli_parse_format("learn", optarg, &o->format))
				return EXIT_USAGE;
			break;
		case 'B':
			if (strcmp(optarg, "notify") && strcmp(optarg, "ebpf")) {
				cli_error("learn", "--backend %s: unknown (notify, ebpf)", optarg);
				return EXIT_USAGE;
			}
			o->ebpf = !strcmp(optarg, "ebpf");
			break;
		case 'h': return -1;
		default: return cli_bad_option("learn", argv, optind, optopt);
		}
	}
	if (!o->output)
		return cli_usage("learn", learn_usage, "-o PROFILE is required");
	if (optind >= argc)
		return cli_usage("learn", learn_usage, "no command given");
	if (o->merge && !strcmp(o->output, "-"))
		return cli_usage("learn", learn_usage, "--merge needs a file, not \"-\"");
	if (o->args && o->ebpf)
		return cli_usage("learn", learn_usage, "--args needs --backend notify: the ebpf "
				 "backend records syscall numbers only, not argument values");
	o->cmd = argv + optind;
	return 0;
}

/* Which argument narrows a call usefully: a small set of values a program
 * passes as constants.  clone's flags are its second argument on s390. */
static int learned_arg(int abi, int id)
{
	const char *name = id >= 0 ? arch_syscall_name(id) : "";

	if (!strcmp(name, "clone"))
		return abi == ARCH_S390 || abi == ARCH_S390X ? 1 : 0;
	if (!strcmp(name, "socket") || !strcmp(name, "prctl"))
		return 0;
	if (!strcmp(name, "ioctl"))
		return 1;
	return -1;
}

static struct seen *lookup(struct learn *l, const struct seccomp_data *d)
{
	const struct arch_desc *a;
	struct seen *s;

	for (size_t i = 0; i < l->n; i++)
		if (l->s[i].nr == (uint32_t)d->nr && l->s[i].arch == d->arch)
			return &l->s[i];
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 128;
		struct seen *ns = realloc(l->s, cap * sizeof(*ns));

		if (!ns)
			return NULL;
		l->s = ns;
		l->cap = cap;
	}
	s = &l->s[l->n++];
	memset(s, 0, sizeof(*s));
	s->arch = d->arch;
	s->nr = (uint32_t)d->nr;
	a = arch_for_data(d->arch, (uint32_t)d->nr);
	s->abi = a ? (int)a->id : -1;
	s->id = a ? arch_syscall_by_nr(a->id, (uint32_t)d->nr) : -1;
	s->arg = l->args && a ? learned_arg(s->abi, s->id) : -1;
	return s;
}

static void add_value(struct seen *s, uint64_t v)
{
	if (s->nvalues < 0)
		return;
	for (int i = 0; i < s->nvalues; i++)
		if (s->values[i] == v)
			return;
	if (s->nvalues == LEARN_MAX_VALUES) {
		s->nvalues = -1;
		return;
	}
	s->values[s->nvalues++] = v;
}

/* At most once a second, so a chatty program is not slowed by the terminal. */
static void show_count(struct learn *l)
{
	time_t now = time(NULL);

	if (!l->live || now == l->shown)
		return;
	l->shown = now;
	fprintf(stderr, "\rmuzzle learn: %lu calls seen (%zu distinct)\033[K", l->total, l->n);
}

static void clear_count(const struct learn *l)
{
	if (l->live && l->shown)
		fputs("\r\033[K", stderr);
}

static void on_notif(void *ctx, const struct seccomp_notif *n)
{
	struct learn *l = ctx;
	struct seen *s = lookup(l, &n->data);

	if (!s) {
		l->oom = 1;
		return;
	}
	s->count++;
	l->total++;
	show_count(l);
	if (s->arg >= 0) {
		const struct arch_desc *a = arch_get((enum arch_id)s->abi);
		uint64_t v = n->data.args[s->arg];

		/* 32-bit ABIs compare only the low word */
		add_value(s, a && a->word_bits == 32 ? (uint32_t)v : v);
	}
}

/* What the ebpf backend saw: count calls of one (ABI, number) at once. */
static void on_count(void *ctx, const struct seccomp_data *d, unsigned long count)
{
	struct learn *l = ctx;
	struct seen *s = lookup(l, d);

	if (!s) {
		l->oom = 1;
		return;
	}
	s->count += count;
	l->total += count;
}

/* --- building the profile ------------------------------------------------------- */

static uint32_t seen_abis(const struct learn *l)
{
	uint32_t m = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->s[i].abi >= 0)
			m |= ARCH_MASK(l->s[i].abi);
	return m;
}

/* The ABIs a call was seen on, for one rule per syscall name. */
static uint32_t abis_of(const struct learn *l, int id)
{
	uint32_t m = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->s[i].id == id && l->s[i].abi >= 0)
			m |= ARCH_MASK(l->s[i].abi);
	return m;
}

static int rule_allows(struct policy *p, const struct policy_rule *r, const char *what)
{
	struct muzzle_error err;

	muzzle_error_clear(&err);
	if (policy_add_rule(p, r, &err)) {
		cli_error("learn", "%s: %s", what, err.msg);
		return -1;
	}
	return 0;
}

static int add_seen(struct policy *p, const struct learn *l, const struct seen *s,
		    uint32_t all_abis)
{
	struct policy_rule r;
	const char *name = s->id >= 0 ? arch_syscall_name(s->id) : "unnamed syscall";
	/* argument values are per ABI; a plain allow covers every ABI it was seen on */
	uint32_t abis = s->id >= 0 && s->arg < 0 ? abis_of(l, s->id) : ARCH_MASK(s->abi);

	policy_rule_init(&r, POLICY_ACT_ALLOW, s->id >= 0 ? s->id : POLICY_SYS_NR);
	r.nr = s->nr;
	r.abis = abis == all_abis && s->id >= 0 ? 0 : abis;
	r.comment = "learned";
	if (s->arg < 0 || s->nvalues < 0)
		return rule_allows(p, &r, name);
	for (int i = 0; i < s->nvalues; i++) {
		struct policy_rule c = r;

		policy_rule_add_cond(&c, (unsigned)s->arg, POLICY_OP_EQ, s->values[i], 0);
		if (rule_allows(p, &c, name))
			return -1;
	}
	return 0;
}

/* One rule per syscall name (the first entry of each name makes it, with the
 * ABIs of all entries); --args rules per (ABI, value) entry. */
static int first_of_name(const struct learn *l, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (l->s[j].id == l->s[i].id && (l->s[i].arg < 0 || l->s[j].abi == l->s[i].abi))
			return 0;
	return 1;
}

/* Calls the kernel makes on a program's behalf whether or not this run hit
 * them: a signal handler's return, and the restart of a sleep a signal
 * interrupted. */
static const char *const always[] = { "rt_sigreturn", "restart_syscall", NULL };

/* minijail policies name no default action and no bad-ABI action: take the
 * ones its reader gives any policy, so the writer can express the profile. */
static void format_defaults(enum format fmt, struct policy *p)
{
	static const char probe_text[] = "read: 1\n";
	struct format_options o;
	struct muzzle_error err;
	struct policy probe;

	if (fmt != FORMAT_MINIJAIL)
		return;
	format_options_init(&o);
	if (format_read_buf(probe_text, sizeof(probe_text) - 1, "<probe>", fmt, &o, &probe,
			    &err) == 0) {
		p->default_action = probe.default_action;
		p->badarch_action = probe.badarch_action;
	}
	policy_free(&probe);
}

static int has_rule(const struct policy *p, int id)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].sys == id)
			return 1;
	return 0;
}

/* Allows each call of list the run did not make (those have their rule). */
static int add_calls(struct policy *p, const struct learn *l, const char *const *list,
		     const char *why)
{
	for (size_t i = 0; list[i]; i++) {
		struct policy_rule r;
		int id = arch_syscall_id(list[i]);

		if (id < 0 || abis_of(l, id) || has_rule(p, id))
			continue;
		policy_rule_init(&r, POLICY_ACT_ALLOW, id);
		r.comment = why;
		if (rule_allows(p, &r, list[i]))
			return -1;
	}
	return 0;
}

/* What the runtime calls once the container's filter is loaded, with or
 * without no_new_privs (the profile does not know which the bundle sets). */
static int add_runtime(struct policy *p, const struct learn *l, const struct runtime_set *rt)
{
	char why[128];

	if (!rt)
		return 0;
	snprintf(why, sizeof(why), "%s: between loading the filter and exec", rt->uses);
	if (add_calls(p, l, rt->late, why) || add_calls(p, l, rt->early, why))
		return -1;
	snprintf(why, sizeof(why), "%s: its Go runtime, at any moment", rt->uses);
	return add_calls(p, l, rt->runtime, why);
}

static int build(struct policy *p, const struct learn *l, enum format fmt,
		 const struct runtime_set *rt)
{
	uint32_t all = seen_abis(l);

	policy_init(p, POLICY_ACT_ERRNO(EPERM));
	format_defaults(fmt, p);
	if (all)
		p->arches = all;
	for (size_t i = 0; i < l->n; i++) {
		const struct seen *s = &l->s[i];

		if (s->abi < 0) {
			cli_error("learn", "call on an unknown ABI (arch %#x, nr %u) left out",
				  s->arch, s->nr);
			continue;
		}
		if ((s->id < 0 || first_of_name(l, i)) && add_seen(p, l, s, p->arches))
			return -1;
	}
	for (size_t i = 0; always[i]; i++) {
		struct policy_rule r;
		int id = arch_syscall_id(always[i]);

		if (id < 0 || abis_of(l, id))
			continue;
		policy_rule_init(&r, POLICY_ACT_ALLOW, id);
		r.comment = "kernel-driven: needed whenever a signal arrives";
		if (rule_allows(p, &r, always[i]))
			return -1;
	}
	return add_runtime(p, l, rt);
}

/* --- --merge ------------------------------------------------------------------------ */

/* The first unconditional rule of p for the same call as r that covers all
 * of r's ABIs (it decides those calls), or NULL. */
static struct policy_rule *deciding_rule(struct policy *p, const struct policy_rule *r)
{
	for (size_t i = 0; i < p->nrules; i++) {
		struct policy_rule *u = &p->rules[i];

		if (u->ncond || u->sys != r->sys || (r->sys == POLICY_SYS_NR && u->nr != r->nr))
			continue;
		if (u->abis == 0 || (r->abis && !(r->abis & ~u->abis)))
			return u;
	}
	return NULL;
}

/* Adds the learned rules to an existing profile.  A call the profile already
 * allows outright is left alone; one it denies outright gets its rule turned
 * into ALLOW (said on stderr); the rest are appended. */
static int merge(struct policy *old, const struct policy *learned)
{
	for (size_t i = 0; i < learned->nrules; i++) {
		const struct policy_rule *r = &learned->rules[i];
		struct policy_rule *u = deciding_rule(old, r);

		if (u && POLICY_ACT_KIND(u->action) != POLICY_ACT_ALLOW) {
			char act[32];

			cli_error("learn", "note: the profile's %s rule for %s now allows it",
				  policy_action_str(u->action, act, sizeof(act)),
				  r->sys >= 0 ? arch_syscall_name(r->sys) : "a numbered syscall");
			u->action = POLICY_ACT_ALLOW;
		}
		if (!u && rule_allows(old, r, r->sys >= 0 ? arch_syscall_name(r->sys) : "syscall"))
			return -1;
	}
	old->arches |= learned->arches;
	return 0;
}

static int read_old(const char *path, struct policy *p)
{
	struct muzzle_error err;
	struct format_options o;

	format_options_init(&o);
	muzzle_error_clear(&err);
	if (access(path, F_OK) < 0 && errno == ENOENT) {
		cli_error("learn", "note: %s does not exist yet; --merge starts a new profile", path);
		policy_init(p, POLICY_ACT_ERRNO(EPERM));
		p->arches = 0;
		return 0;
	}
	if (format_read_file(path, FORMAT_AUTO, &o, p, &err)) {
		cli_print_error("learn", &err);
		return EXIT_POLICY;
	}
	return 0;
}

/* --- writing ---------------------------------------------------------------------------- */

/* Into a temporary file renamed over PROFILE: a failed write leaves the old
 * profile in place. */
static int write_profile(const char *path, enum format fmt, const struct policy *p)
{
	struct muzzle_error err;
	struct format_options o;
	char tmp[4096];
	FILE *out = stdout;
	int fd = -1, rc;

	format_options_init(&o);
	muzzle_error_clear(&err);
	if (strcmp(path, "-")) {
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp) ||
		    (fd = mkstemp(tmp)) < 0 || !(out = fdopen(fd, "w"))) {
			cli_error("learn", "%s: %s", path, strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			return EXIT_SYSTEM;
		}
		fchmod(fd, 0644);
	}
	rc = format_write(out, fmt, p, &o, &err);
	if (rc)
		cli_print_error("learn", &err);
	if (out == stdout) {
		fflush(stdout);
		return rc ? EXIT_POLICY : 0;
	}
	if (fclose(out) && !rc) {
		cli_error("learn", "%s: %s", path, strerror(errno));
		rc = -EIO;
	}
	if (!rc && rename(tmp, path) < 0) {
		cli_error("learn", "%s: %s", path, strerror(errno));
		rc = -EIO;
	}
	if (rc)
		unlink(tmp);
	return rc == -EIO ? EXIT_SYSTEM : rc ? EXIT_POLICY : 0;
}

/* --- the command ------------------------------------------------------------------------ */

static int record(const struct learn_opts *o, struct learn *l)
{
	static const struct sock_filter notify_all[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sv_hooks hooks = { l, on_notif, NULL };
	struct sv_spawn s;
	int code, ran;

	if (o->ebpf) {
		code = learn_ebpf_record("learn", o->cmd, on_count, l);
		if (code >= 0 && l->oom) {
			cli_error("learn", "out of memory while recording: no profile written");
			return -EXIT_SYSTEM;
		}
		return code;
	}
	memset(&s, 0, sizeof(s));
	s.sub = "learn";
	s.argv = o->cmd;
	s.insns = notify_all;
	s.len = 1;
	s.flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
	s.nnp = 1;
	code = sv_run(&s, &hooks, 1, &ran);
	clear_count(l);
	if (!ran)
		return -code;
	if (l->oom) {
		cli_error("learn", "out of memory while recording: no profile written");
		return -EXIT_SYSTEM;
	}
	return code;
}

static int make_profile(const struct learn_opts *o, const struct learn *l)
{
	struct policy learned, out;
	int rc;

	memset(&out, 0, sizeof(out));
	if (build(&learned, l, o->format, o->runtime)) {
		policy_free(&learned);
		return EXIT_POLICY;
	}
	if (!o->merge) {
		rc = write_profile(o->output, o->format, &learned);
	} else if (!(rc = read_old(o->output, &out))) {
		rc = merge(&out, &learned) ? EXIT_POLICY : 0;
		if (!rc)
			rc = write_profile(o->output, o->format, &out);
	}
	if (!rc && strcmp(o->output, "-"))
		fprintf(stderr, "muzzle learn: %zu rules (%zu distinct calls seen) written to %s\n",
			o->merge ? out.nrules : learned.nrules, l->n, o->output);
	policy_free(&learned);
	policy_free(&out);
	return rc;
}

int cmd_learn(int argc, char **argv)
{
	struct learn_opts o;
	struct learn l;
	int rc = parse(argc, argv, &o), code;

	if (rc)
		return rc < 0 ? cli_usage("learn", learn_usage, NULL) : rc;
	memset(&l, 0, sizeof(l));
	l.args = o.args;
	l.live = isatty(STDERR_FILENO);
	code = record(&o, &l);
	if (code >= 0 && (rc = make_profile(&o, &l)) != 0)
		code = rc;
	free(l.s);
	return code < 0 ? -code : code;
}
