/* The reference evaluator, written straight from the rules in policy.h and
 * docs/semantics.md.  It shares nothing with the compiler on purpose. */
#include "policy/eval.h"

/* The ABI of a call, or NULL when the policy does not cover it. */
static const struct arch_desc *call_abi(const struct policy *p, const struct seccomp_data *d)
{
	const struct arch_desc *abi = arch_for_data(d->arch, (uint32_t)d->nr);

	if (!abi || !(p->arches & ARCH_MASK(abi->id)))
		return NULL;
	return abi;
}

static int rule_on_abi(const struct policy_rule *r, const struct arch_desc *abi)
{
	return r->abis == 0 || (r->abis & ARCH_MASK(abi->id));
}

/* 1 if the rule names the syscall with this seccomp_data.nr directly. */
static int names_nr(const struct policy_rule *r, const struct arch_desc *abi, uint32_t nr)
{
	int32_t n;

	if (r->sys == POLICY_SYS_NR)
		return r->nr == nr;
	if (r->sys < 0)
		return 0;
	n = arch_syscall_nr(abi->id, r->sys);
	return n != ARCH_NR_NONE && (uint32_t)n == nr;
}

static int cond_holds(const struct policy_cond *c, const struct arch_desc *abi,
		      const struct seccomp_data *d)
{
	uint64_t v = d->args[c->arg], datum = c->datum, mask = c->mask;

	if (abi->word_bits == 32) {
		/* 32-bit ABIs: only the low halves take part (as libseccomp) */
		v &= 0xffffffffu;
		datum &= 0xffffffffu;
		mask &= 0xffffffffu;
	}
	switch (c->op) {
	case POLICY_OP_NE: return v != datum;
	case POLICY_OP_LT: return v < datum;
	case POLICY_OP_LE: return v <= datum;
	case POLICY_OP_EQ: return v == datum;
	case POLICY_OP_GE: return v >= datum;
	case POLICY_OP_GT: return v > datum;
	case POLICY_OP_MASKED_EQ: return (v & mask) == datum;
	case POLICY_OP_MASKED_NE: return (v & mask) != datum;
	}
	return 0;
}

static int conds_hold(const struct policy_rule *r, const struct arch_desc *abi,
		      const struct seccomp_data *d)
{
	for (unsigned i = 0; i < r->ncond; i++)
		if (!cond_holds(&r->cond[i], abi, d))
			return 0;
	return 1;
}

/* The syscall id a multiplexer call stands for, -1 if nr is no multiplexer
 * here.  The call number is the part of args[0] the kernel looks at
 * (arch_mux_call_mask: an int for socketcall, the low 16 bits for ipc), on
 * every ABI. */
static int mux_target(const struct arch_desc *abi, const struct seccomp_data *d)
{
	uint32_t nr = (uint32_t)d->nr;
	enum arch_mux_kind kind;

	if (abi->socketcall_nr != ARCH_NR_NONE && nr == (uint32_t)abi->socketcall_nr)
		kind = ARCH_MUX_SOCKETCALL;
	else if (abi->ipc_nr != ARCH_NR_NONE && nr == (uint32_t)abi->ipc_nr)
		kind = ARCH_MUX_IPC;
	else
		return -1;
	return arch_mux_demux(abi->id, kind, (uint32_t)d->args[0] & arch_mux_call_mask(kind));
}

/* A rule reached through a multiplexer: its own conditions cannot be seen,
 * so it matches when that fails closed (stricter than the default). */
static int mux_rule_matches(const struct policy *p, const struct policy_rule *r)
{
	return r->ncond == 0 || policy_action_stricter(r->action, p->default_action);
}

struct pick {
	int first_uncond;
	int best;		/* strictest matching conditional rule */
};

static void consider(const struct policy *p, struct pick *k, size_t i, int uncond, int match)
{
	if (uncond) {
		if (k->first_uncond < 0)
			k->first_uncond = (int)i;
		return;
	}
	if (!match)
		return;
	if (k->best < 0 || policy_action_stricter(p->rules[i].action, p->rules[k->best].action))
		k->best = (int)i;
}

struct policy_verdict policy_eval(const struct policy *p, const struct seccomp_data *d)
{
	struct policy_verdict v = { p->badarch_action, POLICY_RULE_BADARCH };
	const struct arch_desc *abi = call_abi(p, d);
	struct pick k = { -1, -1 };
	int via;

	if (!abi)
		return v;
	via = mux_target(abi, d);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (!rule_on_abi(r, abi))
			continue;
		if (names_nr(r, abi, (uint32_t)d->nr))
			consider(p, &k, i, r->ncond == 0, r->ncond == 0 || conds_hold(r, abi, d));
		else if (via >= 0 && r->sys == via && !(r->flags & POLICY_RULE_EXACT))
			/* through the multiplexer the rule carries the implied
			 * condition args[0] == SYS_X, so it is never unconditional */
			consider(p, &k, i, 0, mux_rule_matches(p, r));
	}
	if (k.first_uncond >= 0) {
		v.action = p->rules[k.first_uncond].action;
		v.rule = k.first_uncond;
	} else if (k.best >= 0) {
		v.action = p->rules[k.best].action;
		v.rule = k.best;
	} else {
		v.action = p->default_action;
		v.rule = POLICY_RULE_DEFAULT;
	}
	return v;
}
