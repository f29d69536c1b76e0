/* muzzle check: lint a policy (or a raw filter) for ways around it.
 *
 * Facts about a syscall come from evaluating the policy (policy_eval) or
 * running the filter on probe inputs: all-zero and all-one arguments plus the
 * values the policy compares each argument with, and their neighbours. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_rules.h"
#include "cli.h"
#include "policy/eval.h"

static const char usage[] =
	"usage: muzzle check POLICY [--format IN]\n"
	"Lint POLICY (any format, a built-in name or a raw BPF filter).  One warning per\n"
	"line, \"file:line: warning: ...\":\n"
	"  - a call denied while a twin that does the same thing is allowed (chmod and\n"
	"    fchmodat, open and openat, the time64 and *at2 variants, ...);\n"
	"  - escape-prone calls allowed (ptrace, bpf, io_uring, keyctl, mount, ...);\n"
	"  - ABIs this machine runs left to a permissive bad-architecture action;\n"
	"  - socketcall/ipc allowed while the direct call is filtered;\n"
	"  - rules that can never decide, rules equal to the default action;\n"
	"  - errno values that are not errors; argument values sign-extended on\n"
	"    arguments the kernel reads as 32 bits.\n"
	"Exit status 1 when there is a warning, 0 when clean.\n"
	"  -f, --format IN   input format (default: detected)\n"
	"  -h, --help        this text\n";

#define LAST_ERRNO 133		/* EHWPOISON: the largest errno Linux defines */
#define ENOSYS_ERRNO 38

struct checker {
	const struct cli_input *in;
	const char *path;
	uint32_t abis;		/* ABIs examined */
	unsigned warnings;
};

static void warn(struct checker *k, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warn(struct checker *k, const char *where, const char *fmt, ...)
{
	va_list ap;

	printf("%s: warning: ", where ? where : k->path);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	k->warnings++;
}

static const char *rule_where(const struct checker *k, int rule, char *buf, size_t len)
{
	if (k->in->is_filter || rule < 0)
		return k->path;
	return cli_rule_where(&k->in->policy, (size_t)rule, k->path, buf, len);
}

/* "x86_64, x86" for an ABI mask */
static const char *abi_list(uint32_t mask, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int a = 0; a < ARCH_COUNT && n < len; a++)
		if (mask & ARCH_MASK(a))
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
					      arch_get((enum arch_id)a)->name);
	return buf;
}

/* The action a call nobody mentions gets: the policy default, or for a
 * filter what it returns for a number no ABI uses. */
static uint32_t default_action(const struct checker *k, enum arch_id abi)
{
	struct seccomp_data d;

	if (!k->in->is_filter)
		return k->in->policy.default_action;
	memset(&d, 0, sizeof(d));
	d.arch = arch_get(abi)->token;
	d.nr = abi == ARCH_X32 ? (int)(ARCH_X32_SYSCALL_BIT | 0xfff0) : 0xfff0;
	return cli_eval(k->in, &d, NULL, NULL);
}

/* Denied on purpose: every probe denied, by a rule (or for a filter, by an
 * action other than its default); ENOSYS is a deliberate "use the older
 * call" and does not count. */
static int denied_on_purpose(const struct checker *k, enum arch_id abi,
			     const struct cli_verdicts *v)
{
	if (v->deny != v->total)
		return 0;
	if (POLICY_ACT_KIND(v->deny_action) == POLICY_ACT_ERRNO(0) &&
	    POLICY_ACT_DATA(v->deny_action) == ENOSYS_ERRNO)
		return 0;
	if (k->in->is_filter)
		return v->deny_action != default_action(k, abi);
	return v->deny_rule >= 0;
}

static int exists(enum arch_id abi, int id)
{
	return id >= 0 && arch_syscall_nr(abi, id) != ARCH_NR_NONE;
}

static int obsolete(const char *name)
{
	for (const char *const *o = check_obsolete; *o; o++)
		if (!strcmp(*o, name))
			return 1;
	return 0;
}

/* One twin group, one denied member: which other members are fully allowed,
 * and on which ABIs. */
static void check_twin_member(struct checker *k, const struct twin_group *g, unsigned m)
{
	int id = arch_syscall_id(g->names[m]), where_rule = POLICY_RULE_DEFAULT;
	uint32_t on = 0, others = 0, act = 0;

	if (obsolete(g->names[m]))
		return;
	for (int a = 0; a < ARCH_COUNT; a++) {
		struct cli_verdicts v;

		if (!(k->abis & ARCH_MASK(a)) || !exists((enum arch_id)a, id))
			continue;
		cli_judge(k->in, (enum arch_id)a, id, &v);
		if (!denied_on_purpose(k, (enum arch_id)a, &v))
			continue;
		for (unsigned o = 0; o < TWIN_MAX && g->names[o]; o++) {
			int oid = arch_syscall_id(g->names[o]);
			struct cli_verdicts w;

			if (o == m || !exists((enum arch_id)a, oid))
				continue;
			cli_judge(k->in, (enum arch_id)a, oid, &w);
			if (w.allow == w.total) {
				others |= 1u << o;
				on |= ARCH_MASK(a);
				where_rule = v.deny_rule;
				act = v.deny_action;
			}
		}
	}
	if (!on)
		return;
	char names[512] = "", abis[256], where[512], as[32];
	size_t n = 0;

	for (unsigned o = 0; o < TWIN_MAX && g->names[o]; o++)
		if (others & (1u << o))
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", n ? ", " : "",
					      g->names[o]);
	warn(k, rule_where(k, where_rule, where, sizeof(where)),
	     "%s is denied (%s) but %s %s allowed and can also %s (%s)", g->names[m],
	     policy_action_str(act, as, sizeof(as)), names,
	     __builtin_popcount(others) > 1 ? "are" : "is", g->effect,
	     abi_list(on, abis, sizeof(abis)));
}

static void check_twins_all(struct checker *k)
{
	for (size_t g = 0; g < check_ntwins; g++)
		for (unsigned m = 0; m < TWIN_MAX && check_twins[g].names[m]; m++)
			check_twin_member(k, &check_twins[g], m);
}

/* Is the escape-prone call allowed on this ABI?  Sets *rule to the rule that
 * let it through. */
static int escape_allowed(const struct checker *k, const struct escape_call *e,
			  enum arch_id abi, int id, int *rule)
{
	struct cli_verdicts v;

	if (e->arg >= 0) {
		struct seccomp_data d;

		memset(&d, 0, sizeof(d));
		d.arch = arch_get(abi)->token;
		d.nr = arch_syscall_nr(abi, id);
		d.args[e->arg] = e->value;
		return cli_permissive(cli_eval(k->in, &d, rule, NULL));
	}
	cli_judge(k->in, abi, id, &v);
	*rule = v.allow_rule;
	return v.allow > 0;
}

/* Let through by the default action rather than by a rule of its own: for a
 * filter, when the filter's fallback action is permissive. */
static int by_default(const struct checker *k, int rule, uint32_t on)
{
	if (!k->in->is_filter)
		return rule < 0;
	for (int a = 0; a < ARCH_COUNT; a++)
		if ((on & ARCH_MASK(a)) && !cli_permissive(default_action(k, (enum arch_id)a)))
			return 0;
	return 1;
}

/* Escape-prone calls let through by a rule get one warning each; those let
 * through by a permissive default action are listed together. */
static void check_escapes_all(struct checker *k)
{
	char dflt[2048] = "", where[512], abis[256];
	size_t nd = 0;

	for (size_t i = 0; i < check_nescapes; i++) {
		const struct escape_call *e = &check_escapes[i];
		int id = arch_syscall_id(e->name), rule = POLICY_RULE_DEFAULT, by_rule = -1;
		const char *shown = e->shown ? e->shown : e->name;
		uint32_t on = 0;

		for (int a = 0; a < ARCH_COUNT; a++) {
			if (!(k->abis & ARCH_MASK(a)) || !exists((enum arch_id)a, id))
				continue;
			if (!escape_allowed(k, e, (enum arch_id)a, id, &rule))
				continue;
			on |= ARCH_MASK(a);
			if (rule >= 0 && by_rule < 0)
				by_rule = rule;
		}
		if (!on)
			continue;
		if (!by_default(k, by_rule, on))
			warn(k, rule_where(k, by_rule, where, sizeof(where)), "allows %s: %s (%s)",
			     shown, e->why, abi_list(on, abis, sizeof(abis)));
		else if (nd < sizeof(dflt))
			nd += (size_t)snprintf(dflt + nd, sizeof(dflt) - nd, "%s%s", nd ? ", " : "",
					       shown);
	}
	if (nd)
		warn(k, NULL, "the default action allows escape-prone calls: %s", dflt);
}

/* The ABIs a machine runs that the policy leaves to its bad-arch action.
 * Only a permissive action is a hole: KILL (libseccomp's default), TRAP and
 * ERRNO stop such calls.  (An uncovered native ABI with a denying action is
 * a policy for another machine, not a hole.) */
static void check_abis_policy(struct checker *k)
{
	const struct policy *p = &k->in->policy;
	uint32_t missing = cli_machine_abis() & ~p->arches;
	char abis[256], act[32];

	if (!missing || cli_denying(p->badarch_action))
		return;
	warn(k, NULL, "calls through ABIs this machine may run (%s) are outside the policy and get "
	     "the bad-architecture action %s: they are not filtered at all (libseccomp's default "
	     "is KILL)", abi_list(missing, abis, sizeof(abis)),
	     policy_action_str(p->badarch_action, act, sizeof(act)));
}

static int loads_arch(const struct bpf_prog *p)
{
	for (size_t i = 0; i < p->len; i++)
		if (p->insns[i].code == (BPF_LD | BPF_W | BPF_ABS) &&
		    p->insns[i].k == offsetof(struct seccomp_data, arch))
			return 1;
	return 0;
}

/* A filter that denies unknown native calls but allows unknown calls of a
 * compat ABI does not filter that ABI: the classic "forgot i386" hole. */
static void check_filter_fallbacks(struct checker *k)
{
	enum arch_id native = arch_native()->id;
	uint32_t nat = default_action(k, native), open = 0;
	char abis[256], a1[32], a2[32];

	if (cli_permissive(nat))
		return;
	for (int a = 0; a < ARCH_COUNT; a++)
		if ((cli_machine_abis() & ARCH_MASK(a)) && a != (int)native &&
		    cli_permissive(default_action(k, (enum arch_id)a)))
			open |= ARCH_MASK(a);
	if (open)
		warn(k, NULL, "the filter does not filter %s: an unknown syscall there gets %s, on %s "
		     "it gets %s", abi_list(open, abis, sizeof(abis)),
		     policy_action_str(default_action(k, (enum arch_id)__builtin_ctz(open)), a1,
				       sizeof(a1)),
		     arch_get(native)->name, policy_action_str(nat, a2, sizeof(a2)));
}

/* A filter: does it look at the arch at all, and do x32 numbers (x86_64
 * token, bit 30 set) get through where the x86_64 number does not? */
static void check_abis_filter(struct checker *k)
{
	struct seccomp_data d;
	uint32_t x86_64 = arch_get(ARCH_X86_64)->token;

	if (!loads_arch(&k->in->prog)) {
		warn(k, NULL, "the filter never reads seccomp_data.arch: calls from other ABIs "
		     "(i386 int 0x80, x32) are judged by the wrong syscall numbers");
		return;
	}
	check_filter_fallbacks(k);
	if (arch_native()->id != ARCH_X86_64)
		return;
	memset(&d, 0, sizeof(d));
	d.arch = x86_64;
	for (uint32_t nr = 0; nr < 512; nr++) {
		d.nr = (int)nr;
		if (cli_permissive(cli_eval(k->in, &d, NULL, NULL)))
			continue;
		d.nr = (int)(nr | ARCH_X32_SYSCALL_BIT);
		if (cli_permissive(cli_eval(k->in, &d, NULL, NULL))) {
			warn(k, NULL, "x86_64 syscall %u is denied but the same number with the x32 "
			     "bit (%#x) is allowed", nr, nr | ARCH_X32_SYSCALL_BIT);
			return;
		}
	}
}

/* socketcall(2)/ipc(2) allowed while the direct call is filtered: the
 * multiplexer's arguments are a pointer, so nothing checks them. */
static void check_mux_abi(struct checker *k, enum arch_id abi)
{
	char names[2048] = "", where[512];
	size_t n = 0;
	int rule = POLICY_RULE_DEFAULT;
	enum arch_mux_kind kind = ARCH_MUX_NONE;

	for (int id = 0; id < arch_syscall_count(); id++) {
		uint32_t call;
		enum arch_mux_kind mk = arch_mux_lookup(abi, id, &call);
		const struct arch_desc *d = arch_get(abi);
		struct seccomp_data s;
		struct cli_verdicts v;
		int r;

		if (mk == ARCH_MUX_NONE || !exists(abi, id))
			continue;
		cli_judge(k->in, abi, id, &v);
		if (v.allow == v.total)
			continue;
		memset(&s, 0, sizeof(s));
		s.arch = d->token;
		s.nr = mk == ARCH_MUX_SOCKETCALL ? d->socketcall_nr : d->ipc_nr;
		s.args[0] = call;
		if (!cli_permissive(cli_eval(k->in, &s, &r, NULL)))
			continue;
		if (n < sizeof(names))
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", n ? ", " : "",
					      arch_syscall_name(id));
		rule = rule >= 0 ? rule : r;
		kind = mk;
	}
	if (n)
		warn(k, rule_where(k, rule, where, sizeof(where)),
		     "on %s, %s allows %s, which the policy filters as direct calls",
		     arch_get(abi)->name, kind == ARCH_MUX_SOCKETCALL ? "socketcall" : "ipc", names);
}

static void check_mux(struct checker *k)
{
	for (int a = 0; a < ARCH_COUNT; a++) {
		const struct arch_desc *d = arch_get((enum arch_id)a);

		if ((k->abis & ARCH_MASK(a)) &&
		    (d->socketcall_nr != ARCH_NR_NONE || d->ipc_nr != ARCH_NR_NONE))
			check_mux_abi(k, (enum arch_id)a);
	}
}

static void check_errno_value(struct checker *k, uint32_t act, const char *where,
			      const char *what)
{
	if (POLICY_ACT_KIND(act) != POLICY_ACT_ERRNO(0))
		return;
	if (POLICY_ACT_DATA(act) == 0)
		warn(k, where, "%s ERRNO(0) makes the call return 0 without running it: callers "
		     "see success", what);
	else if (POLICY_ACT_DATA(act) > LAST_ERRNO)
		warn(k, where, "%s ERRNO(%u): %u is not a Linux error number (the largest is %d, "
		     "EHWPOISON)", what, POLICY_ACT_DATA(act), POLICY_ACT_DATA(act), LAST_ERRNO);
}

static void check_errnos(struct checker *k)
{
	char where[512];

	if (k->in->is_filter) {
		const struct bpf_prog *p = &k->in->prog;

		for (size_t i = 0; i < p->len; i++)
			if (p->insns[i].code == (BPF_RET | BPF_K)) {
				snprintf(where, sizeof(where), "%s: instruction %zu", k->path, i);
				check_errno_value(k, p->insns[i].k, where, "the filter returns");
			}
		return;
	}
	const struct policy *p = &k->in->policy;

	check_errno_value(k, p->default_action, NULL, "the default action");
	check_errno_value(k, p->badarch_action, NULL, "the bad-architecture action");
	for (size_t i = 0; i < p->nrules; i++)
		check_errno_value(k, p->rules[i].action,
				  cli_rule_where(p, i, k->path, where, sizeof(where)), "the rule's action");
}

/* seccomp_data.nr of rule r on abi, or -1 when the rule does not apply. */
static int64_t rule_nr(const struct policy *p, const struct policy_rule *r, enum arch_id abi)
{
	uint32_t mask = (r->abis ? r->abis : ARCH_MASK_ALL) & p->arches;
	int32_t nr;

	if (!(mask & ARCH_MASK(abi)))
		return -1;
	if (r->sys == POLICY_SYS_NR)
		return r->abis ? (int64_t)r->nr : -1;
	nr = arch_syscall_nr(abi, r->sys);
	return nr == ARCH_NR_NONE ? -1 : (int64_t)(uint32_t)nr;
}

/* Earliest unconditional rule for the same call on abi (or -1). */
static int first_unconditional(const struct policy *p, enum arch_id abi, int64_t nr)
{
	for (size_t j = 0; j < p->nrules; j++)
		if (!p->rules[j].ncond && rule_nr(p, &p->rules[j], abi) == nr)
			return (int)j;
	return -1;
}

/* Rule i never decides when, on every ABI it applies to, an unconditional
 * rule for the same call comes first (or, for a conditional rule, exists at
 * all: "the first unconditional one decides").  Returns that rule or -1. */
static int shadowing_rule(const struct policy *p, size_t i)
{
	const struct policy_rule *r = &p->rules[i];
	int any = 0, by = -1;

	for (int a = 0; a < ARCH_COUNT; a++) {
		int64_t nr = rule_nr(p, r, (enum arch_id)a);
		int u;

		if (nr < 0)
			continue;
		any = 1;
		u = first_unconditional(p, (enum arch_id)a, nr);
		if (u < 0 || (size_t)u == i)
			return -1;
		by = u;
	}
	return any ? by : -1;
}

/* A conditional rule whose action is the default matters only when it
 * overrides a less strict conditional rule for the same call. */
static int default_rule_matters(const struct policy *p, size_t i)
{
	const struct policy_rule *r = &p->rules[i];

	for (int a = 0; a < ARCH_COUNT; a++) {
		int64_t nr = rule_nr(p, r, (enum arch_id)a);

		if (nr < 0)
			continue;
		for (size_t j = 0; j < p->nrules; j++) {
			const struct policy_rule *o = &p->rules[j];

			if (j == i || !o->ncond || rule_nr(p, o, (enum arch_id)a) != nr)
				continue;
			if (o->action != r->action && !policy_action_stricter(o->action, r->action))
				return 1;
		}
		if (!r->ncond)
			return 1;	/* never reached: the caller handles unconditional */
	}
	return 0;
}

static int has_conditional_twin(const struct policy *p, size_t i)
{
	for (int a = 0; a < ARCH_COUNT; a++) {
		int64_t nr = rule_nr(p, &p->rules[i], (enum arch_id)a);

		if (nr < 0)
			continue;
		for (size_t j = 0; j < p->nrules; j++)
			if (j != i && p->rules[j].ncond && rule_nr(p, &p->rules[j], (enum arch_id)a) == nr)
				return 1;
	}
	return 0;
}

static const char *rule_sys_name(const struct policy_rule *r, char *buf, size_t len)
{
	if (r->sys >= 0)
		snprintf(buf, len, "%s", arch_syscall_name(r->sys));
	else
		snprintf(buf, len, "syscall number %u", r->nr);
	return buf;
}

static void check_redundant(struct checker *k)
{
	const struct policy *p = &k->in->policy;
	char where[512], other[512], name[64], act[32];

	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		int by = shadowing_rule(p, i);

		cli_rule_where(p, i, k->path, where, sizeof(where));
		rule_sys_name(r, name, sizeof(name));
		if (by >= 0) {
			warn(k, where, "rule for %s can never decide: the unconditional rule at %s "
			     "comes first", name, cli_rule_where(p, (size_t)by, k->path, other,
								  sizeof(other)));
			continue;
		}
		if (r->action != p->default_action)
			continue;
		if (r->ncond ? !default_rule_matters(p, i) : !has_conditional_twin(p, i))
			warn(k, where, "rule for %s has the default action %s: it changes nothing",
			     name, policy_action_str(r->action, act, sizeof(act)));
	}
}

static unsigned narrow_mask(int id)
{
	const char *name = arch_syscall_name(id);

	for (size_t i = 0; i < check_nnarrow; i++)
		if (!strcmp(check_narrow[i].name, name))
			return check_narrow[i].args32;
	return 0;
}

static uint32_t wide_abis(uint32_t mask)
{
	uint32_t w = 0;

	for (int a = 0; a < ARCH_COUNT; a++)
		if ((mask & ARCH_MASK(a)) && arch_get((enum arch_id)a)->word_bits == 64 &&
		    a != ARCH_X32)
			w |= ARCH_MASK(a);
	return w;
}

/* On 64-bit ABIs the filter sees the whole register; the kernel reads only
 * the low half of an int argument.  A datum with all high bits set (a
 * sign-extended negative int) misses callers that pass the value with a
 * clean high half, and the kernel sees the same number either way. */
static void check_sign_extension(struct checker *k)
{
	const struct policy *p = &k->in->policy;
	char where[512], abis[256];

	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		uint32_t on = wide_abis((r->abis ? r->abis : ARCH_MASK_ALL) & p->arches);
		unsigned narrow = r->sys >= 0 ? narrow_mask(r->sys) : 0;

		for (unsigned c = 0; c < r->ncond && on; c++) {
			const struct policy_cond *pc = &r->cond[c];
			uint64_t used = pc->datum & pc->mask;

			if (!(narrow & (1u << pc->arg)) || (used >> 32) != 0xffffffffu ||
			    (pc->mask >> 32) == 0)
				continue;
			warn(k, cli_rule_where(p, i, k->path, where, sizeof(where)),
			     "%s argument %u is a 32-bit int in the kernel but the rule compares it "
			     "with %#llx (high 32 bits set, a sign-extended negative?): on %s the "
			     "value %#llx, the same int to the kernel, compares differently; "
			     "compare the low 32 bits with a mask of 0xffffffff",
			     arch_syscall_name(r->sys),
			     pc->arg, (unsigned long long)pc->datum, abi_list(on, abis, sizeof(abis)),
			     (unsigned long long)(pc->datum & 0xffffffffu));
		}
	}
}

/* A policy that allows no call at all kills (or fails) every process at its
 * first system call; usually a typo for the default action. */
static void check_allows_nothing(struct checker *k)
{
	const struct policy *p = &k->in->policy;
	char act[32];

	if (cli_permissive(p->default_action) || POLICY_ACT_KIND(p->default_action) ==
	    POLICY_ACT_USER_NOTIF || POLICY_ACT_KIND(p->default_action) == POLICY_ACT_TRACE(0))
		return;
	for (size_t i = 0; i < p->nrules; i++)
		if (!cli_denying(p->rules[i].action))
			return;
	warn(k, NULL, "the policy allows no system call at all (default %s): a process dies or "
	     "fails at its first call, even exit", policy_action_str(p->default_action, act,
								    sizeof(act)));
}

static void run_checks(struct checker *k)
{
	if (!k->in->is_filter) {
		check_allows_nothing(k);
		check_abis_policy(k);
	} else {
		check_abis_filter(k);
	}
	check_twins_all(k);
	check_mux(k);
	check_escapes_all(k);
	check_errnos(k);
	if (!k->in->is_filter) {
		check_redundant(k);
		check_sign_extension(k);
	}
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum format fmt = FORMAT_AUTO;
	struct format_options o;
	struct cli_input in;
	struct checker k;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (cli_parse_format("check", optarg, &fmt))
				return EXIT_USAGE;
			break;
		case 'h': return cli_usage("check", usage, NULL);
		default: return cli_bad_option("check", argv, optind, optopt);
		}
	}
	if (optind != argc - 1)
		return cli_usage("check", usage, optind >= argc ? "missing POLICY" :
				 "more than one POLICY");
	format_options_init(&o);
	rc = cli_load("check", argv[optind], fmt, &o, &in);
	if (rc)
		return rc;
	memset(&k, 0, sizeof(k));
	k.in = &in;
	k.path = argv[optind];
	k.abis = in.is_filter ? cli_machine_abis() : in.policy.arches;
	run_checks(&k);
	cli_input_free(&in);
	return k.warnings ? EXIT_FINDING : 0;
}
