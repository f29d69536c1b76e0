/* libseccomp API: rules and syscall priorities.
 *
 * A rule names a syscall by its native number (or the pseudo number
 * SCMP_SYS() gives for a call the native ABI lacks); like libseccomp, that
 * number is translated through its name to every ABI in the context.  The
 * rule is stored once, by syscall id, for the ABIs present now. */
#include "compat/compat.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define ARG_MAX_COUNT 6

/* A target: the syscall id, or (id < 0) a raw number on the native ABI. */
struct target {
	int id;
	uint32_t nr;
	int noop;	/* libseccomp accepts the rule but it affects nothing */
};

int compat_syscall_id(int syscall)
{
	const struct arch_desc *native = arch_native();
	int id;

	if (syscall >= 0)
		return arch_syscall_by_nr(native->id, (uint32_t)syscall);
	id = arch_syscall_by_pseudo(syscall);
	/* a pseudo number stands for a name only where the native ABI lacks
	 * that call: it is what SCMP_SYS() produced there */
	if (id >= 0 && arch_syscall_scmp_nr(native->id, id) != syscall)
		return -1;
	return id;
}

/* libseccomp's checks on the syscall argument: -1..-99 are reserved
 * (except -1 with TSKIP). */
static int syscall_valid(const struct scmp_ctx *c, int syscall)
{
	if (syscall == -1 && c->tskip)
		return 0;
	if (syscall <= -1 && syscall >= -99)
		return -EINVAL;
	return 0;
}

static int only_native(const struct scmp_ctx *c)
{
	return c->pol.arches == ARCH_MASK(arch_native()->id);
}

/* What libseccomp answers when an exact rule cannot be written as is:
 * -EDOM with one ABI, -EOPNOTSUPP with several. */
static int exact_refused(const struct scmp_ctx *c)
{
	return __builtin_popcount(c->pol.arches) > 1 ? -EOPNOTSUPP : -EDOM;
}

/* Resolve what the caller passed to what the rule should name. */
static int resolve_target(const struct scmp_ctx *c, int syscall, int exact,
			  struct target *t)
{
	memset(t, 0, sizeof(*t));
	if (syscall == -1) {	/* TSKIP: the number tracers use to skip a call */
		if (exact)
			return exact_refused(c);
		t->id = -1;
		t->nr = 0xffffffffu;
		return 0;
	}
	t->id = compat_syscall_id(syscall);
	if (t->id >= 0)
		return 0;
	/* A number no name stands for: libseccomp keeps it as a raw number
	 * on the native ABI, but cannot translate it to another ABI. */
	if (exact && (syscall < 0 || !only_native(c)))
		return exact_refused(c);
	if (!only_native(c))
		return -EFAULT;
	if (syscall < 0)
		t->noop = 1;	/* a negative number never reaches a filter */
	t->nr = (uint32_t)syscall;
	return 0;
}

/* Exact rules must be expressible as written on every ABI in the context. */
static int exact_ok(const struct scmp_ctx *c, const struct target *t)
{
	if (t->id < 0)
		return 0;
	for (int a = 0; a < ARCH_COUNT; a++)
		if ((c->pol.arches & ARCH_MASK(a)) &&
		    arch_syscall_nr((enum arch_id)a, t->id) == ARCH_NR_NONE)
			return exact_refused(c);
	return 0;
}

static int add_conds(struct policy_rule *r, unsigned cnt, const struct scmp_arg_cmp *args)
{
	unsigned seen = 0;

	for (unsigned i = 0; i < cnt; i++) {
		const struct scmp_arg_cmp *a = &args[i];
		int rc;

		/* libseccomp allows each argument once per rule */
		if (a->arg >= ARG_MAX_COUNT || (seen & (1u << a->arg)))
			return -EINVAL;
		seen |= 1u << a->arg;
		/* libseccomp compares (arg & mask) with (datum & mask): bits of
		 * the datum outside the mask do not count */
		if (a->op == SCMP_CMP_MASKED_EQ)
			rc = policy_rule_add_cond(r, a->arg, POLICY_OP_MASKED_EQ,
						  a->datum_b & a->datum_a, a->datum_a);
		else if (a->op >= SCMP_CMP_NE && a->op <= SCMP_CMP_GT)
			rc = policy_rule_add_cond(r, a->arg, (enum policy_op)a->op,
						  a->datum_a, ~(uint64_t)0);
		else
			rc = -EINVAL;
		if (rc)
			return rc;
	}
	return 0;
}

static int cond_cmp(const void *x, const void *y)
{
	const struct policy_cond *a = x, *b = y;

	return (int)a->arg - (int)b->arg;
}

static int cond_eq(const struct policy_cond *a, const struct policy_cond *b)
{
	return a->arg == b->arg && a->op == b->op && a->mask == b->mask &&
	       a->datum == b->datum;
}

static int same_target(const struct policy_rule *a, const struct policy_rule *b)
{
	if (!(a->abis & b->abis))
		return 0;
	if (a->sys != b->sys)
		return 0;
	return a->sys != POLICY_SYS_NR || a->nr == b->nr;
}

/* libseccomp keeps rules as chains of argument checks sorted by argument
 * and refuses (-EEXIST) a conditional rule whose chain is a prefix of, or
 * equal to, an existing chain with another action.  Returns 1 when an
 * identical rule exists (nothing to add), 0 to add, or -EEXIST. */
static int find_conflict(const struct policy *p, const struct policy_rule *r)
{
	struct policy_cond mine[POLICY_MAX_COND], theirs[POLICY_MAX_COND];

	memcpy(mine, r->cond, r->ncond * sizeof(mine[0]));
	qsort(mine, r->ncond, sizeof(mine[0]), cond_cmp);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *o = &p->rules[i];
		unsigned k;

		if (!same_target(o, r) || o->ncond < r->ncond)
			continue;
		memcpy(theirs, o->cond, o->ncond * sizeof(theirs[0]));
		qsort(theirs, o->ncond, sizeof(theirs[0]), cond_cmp);
		for (k = 0; k < r->ncond && cond_eq(&mine[k], &theirs[k]); k++)
			;
		if (k < r->ncond)
			continue;
		if (o->action != r->action && r->ncond)
			return -EEXIST;
		if (o->action == r->action && o->ncond == r->ncond &&
		    o->abis == r->abis && o->flags == r->flags)
			return 1;
	}
	return 0;
}

static int rule_add(struct scmp_ctx *c, uint32_t action, int syscall, unsigned cnt,
		    const struct scmp_arg_cmp *args, int exact)
{
	struct policy_rule r;
	struct target t;
	int rc;

	if (!c || cnt > ARG_MAX_COUNT || (cnt && !args))
		return -EINVAL;
	if (!c->pol.arches || syscall_valid(c, syscall))
		return -EINVAL;
	rc = compat_action_valid(action);
	if (rc)
		return rc;
	/* TSYNC with a listener needs TSYNC_ESRCH (API level 6) */
	if (action == SCMP_ACT_NOTIFY && (c->pol.flags & POLICY_FLAG_TSYNC) &&
	    compat_api_level() < 6)
		return -EINVAL;
	if (action == c->pol.default_action)
		return -EACCES;
	policy_rule_init(&r, action, POLICY_SYS_NR);
	rc = add_conds(&r, cnt, args);
	if (rc)
		return rc;
	rc = resolve_target(c, syscall, exact, &t);
	if (!rc && exact)
		rc = exact_ok(c, &t);
	if (rc || t.noop)
		return rc;
	r.sys = t.id >= 0 ? t.id : POLICY_SYS_NR;
	r.nr = t.nr;
	r.abis = t.id >= 0 || syscall == -1 ? c->pol.arches : ARCH_MASK(arch_native()->id);
	r.flags = exact ? POLICY_RULE_EXACT : 0;
	rc = find_conflict(&c->pol, &r);
	if (rc)
		return rc < 0 ? rc : 0;
	rc = policy_add_rule(&c->pol, &r, NULL);
	if (rc)
		return rc == -ENOMEM ? rc : -EFAULT;
	compat_invalidate(c);
	return 0;
}

int seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action, int syscall,
			   unsigned int arg_cnt, const struct scmp_arg_cmp *arg_array)
{
	return rule_add(ctx_of(ctx), action, syscall, arg_cnt, arg_array, 0);
}

int seccomp_rule_add_exact_array(scmp_filter_ctx ctx, uint32_t action, int syscall,
				 unsigned int arg_cnt, const struct scmp_arg_cmp *arg_array)
{
	return rule_add(ctx_of(ctx), action, syscall, arg_cnt, arg_array, 1);
}

/* The variadic forms collect their arguments first; more than six is an
 * error before any is read. */
int seccomp_rule_add(scmp_filter_ctx ctx, uint32_t action, int syscall,
		     unsigned int arg_cnt, ...)
{
	struct scmp_arg_cmp args[ARG_MAX_COUNT];
	va_list ap;

	if (arg_cnt > ARG_MAX_COUNT)
		return -EINVAL;
	va_start(ap, arg_cnt);
	for (unsigned i = 0; i < arg_cnt; i++)
		args[i] = va_arg(ap, struct scmp_arg_cmp);
	va_end(ap);
	return rule_add(ctx_of(ctx), action, syscall, arg_cnt, args, 0);
}

int seccomp_rule_add_exact(scmp_filter_ctx ctx, uint32_t action, int syscall,
			   unsigned int arg_cnt, ...)
{
	struct scmp_arg_cmp args[ARG_MAX_COUNT];
	va_list ap;

	if (arg_cnt > ARG_MAX_COUNT)
		return -EINVAL;
	va_start(ap, arg_cnt);
	for (unsigned i = 0; i < arg_cnt; i++)
		args[i] = va_arg(ap, struct scmp_arg_cmp);
	va_end(ap);
	return rule_add(ctx_of(ctx), action, syscall, arg_cnt, args, 1);
}

/* A hint for the compiler's tree order, kept per syscall id. */
int seccomp_syscall_priority(scmp_filter_ctx ctx, int syscall, uint8_t priority)
{
	struct scmp_ctx *c = ctx_of(ctx);
	struct target t;
	int rc;

	if (!c || !c->pol.arches || syscall_valid(c, syscall))
		return -EINVAL;
	rc = resolve_target(c, syscall, 0, &t);
	if (rc || t.id < 0)
		return rc;
	if (!c->pol.priority) {
		c->pol.priority = calloc((size_t)arch_syscall_count(), 1);
		if (!c->pol.priority)
			return -ENOMEM;
	}
	c->pol.priority[t.id] = priority;
	compat_invalidate(c);
	return 0;
}
