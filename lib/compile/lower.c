/* Lowering: policy -> for every ABI, the outcome of every syscall number.
 *
 * An outcome is a first-match decision list ("if these conditions hold,
 * return A; else ...; else return fallback") equivalent to the policy's
 * rules for that number (policy.h): guarded multiplexer rules and the first
 * unconditional rule come first in rule order; conditional rules follow,
 * strictest first with the first-added winning ties.  Outcomes are
 * normalised and interned, so equal outcomes are one index and adjacent
 * numbers with one outcome merge into one interval. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compile/internal.h"

#define FULL32 0xffffffffull

/* one (number, rule) pair: the rule names this syscall number */
struct hit {
	uint32_t nr;
	uint32_t rule;
	int64_t guard;		/* multiplexer call number, -1 for a direct hit */
	uint32_t guard_mask;	/* the part of args[0] the kernel reads as the call */
};

/* multiplexed calls of one ABI: syscall id -> call number */
struct mux_map {
	int id[128];
	uint32_t call[128];
	enum arch_mux_kind kind[128];
	size_t n;
};

struct lower_ctx {
	const struct policy *p;
	struct mux_map mux;	/* of the ABI being lowered */
	struct lowered *lw;
	struct hit *hits;
	size_t nhits, cap;
	struct centry *tmp;	/* scratch decision list */
	uint32_t *tmp_rule;	/* rule index per scratch entry (tie break) */
	size_t tmpcap;
	int default_out, badarch_out;
};

/* --- outcome interning ----------------------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* over the used part of each entry only: entries are large */
static uint64_t outcome_hash(const struct outcome *o)
{
	uint64_t h = mix(0xcbf29ce484222325ull, o->fallback);

	h = mix(h, (uint64_t)o->width << 8 | o->be);
	h = mix(h, o->nent);
	for (size_t i = 0; i < o->nent; i++) {
		const struct centry *e = &o->ent[i];

		h = mix(h, (uint64_t)e->action << 32 | e->ncond);
		for (uint32_t j = 0; j < e->ncond; j++) {
			h = mix(h, (uint64_t)e->cond[j].arg << 8 | e->cond[j].op);
			h = mix(h, e->cond[j].mask);
			h = mix(h, e->cond[j].datum);
		}
	}
	return h;
}

static int entries_equal(const struct centry *a, const struct centry *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].action != b[i].action || a[i].ncond != b[i].ncond ||
		    memcmp(a[i].cond, b[i].cond, a[i].ncond * sizeof(a[i].cond[0])))
			return 0;
	return 1;
}

static int outcome_equal(const struct outcome *a, const struct outcome *b)
{
	return a->hash == b->hash && a->fallback == b->fallback && a->width == b->width &&
	       a->be == b->be && a->nent == b->nent && entries_equal(a->ent, b->ent, a->nent);
}

static int ht_rehash(struct outcomes *os)
{
	size_t cap = os->htcap ? os->htcap * 2 : 256;
	int *ht = malloc(cap * sizeof(*ht));

	if (!ht)
		return -ENOMEM;
	for (size_t i = 0; i < cap; i++)
		ht[i] = -1;
	for (size_t i = 0; i < os->n; i++) {
		size_t s = os->v[i].hash & (cap - 1);

		while (ht[s] >= 0)
			s = (s + 1) & (cap - 1);
		ht[s] = (int)i;
	}
	free(os->ht);
	os->ht = ht;
	os->htcap = cap;
	return 0;
}

/* Intern o (its entries are copied); index or -ENOMEM. */
static int intern(struct outcomes *os, struct outcome *o)
{
	size_t s;

	o->hash = outcome_hash(o);
	if ((os->n + 1) * 2 > os->htcap && ht_rehash(os))
		return -ENOMEM;
	for (s = o->hash & (os->htcap - 1); os->ht[s] >= 0; s = (s + 1) & (os->htcap - 1))
		if (outcome_equal(&os->v[os->ht[s]], o))
			return os->ht[s];
	if (os->n == os->cap) {
		size_t cap = os->cap ? os->cap * 2 : 64;
		struct outcome *v = realloc(os->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		os->v = v;
		os->cap = cap;
	}
	struct outcome *n = &os->v[os->n];

	*n = *o;
	n->ent = NULL;
	if (o->nent) {
		n->ent = malloc(o->nent * sizeof(*n->ent));
		if (!n->ent)
			return -ENOMEM;
		memcpy(n->ent, o->ent, o->nent * sizeof(*n->ent));
	}
	n->last_sect = -1;
	n->label = -1;
	cprog_init(&n->blk);
	os->ht[s] = (int)os->n;
	return (int)os->n++;
}

static int intern_const(struct outcomes *os, uint32_t action)
{
	struct outcome o = { .fallback = action };

	return intern(os, &o);
}

/* --- conditions ------------------------------------------------------------ */

/* 1: always holds, 0: never holds, -1: depends on the argument.  Values are
 * already truncated to the ABI's width. */
static int cond_const(const struct ccond *c, uint64_t max)
{
	switch (c->op) {
	case POLICY_OP_LT: return c->datum == 0 ? 0 : -1;
	case POLICY_OP_LE: return c->datum == max ? 1 : -1;
	case POLICY_OP_GT: return c->datum == max ? 0 : -1;
	case POLICY_OP_GE: return c->datum == 0 ? 1 : -1;
	case POLICY_OP_MASKED_EQ:
		if (c->datum & ~c->mask)
			return 0;
		return c->mask == 0 ? 1 : -1;
	case POLICY_OP_MASKED_NE:
		if (c->datum & ~c->mask)
			return 1;
		return c->mask == 0 ? 0 : -1;
	}
	return -1;	/* EQ, NE */
}

static int cond_cmp(const void *a, const void *b)
{
	const struct ccond *x = a, *y = b;

	if (x->arg != y->arg)
		return x->arg < y->arg ? -1 : 1;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->mask != y->mask)
		return x->mask < y->mask ? -1 : 1;
	if (x->datum != y->datum)
		return x->datum < y->datum ? -1 : 1;
	return 0;
}

/* Fill e with r's conditions for an ABI of `width` bits: truncated, folded,
 * sorted (a conjunction: order is free; sorting groups loads of one word).
 * Returns 0 if the rule can never match, 1 otherwise. */
static int fill_conds(struct centry *e, const struct policy_rule *r, unsigned width)
{
	uint64_t max = width == 32 ? FULL32 : ~0ull;
	uint32_t n = 0;

	for (unsigned i = 0; i < r->ncond; i++) {
		struct ccond c = { .arg = r->cond[i].arg, .op = r->cond[i].op };
		int masked = c.op == POLICY_OP_MASKED_EQ || c.op == POLICY_OP_MASKED_NE;

		c.mask = (masked ? r->cond[i].mask : ~0ull) & max;
		c.datum = r->cond[i].datum & max;
		switch (cond_const(&c, max)) {
		case 0: return 0;
		case 1: continue;
		}
		e->cond[n++] = c;
	}
	qsort(e->cond, n, sizeof(e->cond[0]), cond_cmp);
	e->ncond = 0;
	for (uint32_t i = 0; i < n; i++)
		if (!e->ncond || cond_cmp(&e->cond[e->ncond - 1], &e->cond[i]))
			e->cond[e->ncond++] = e->cond[i];
	/* unused slots take part in memcmp: keep them zero */
	memset(&e->cond[e->ncond], 0, (POLICY_MAX_COND + 1 - e->ncond) * sizeof(e->cond[0]));
	return 1;
}

/* Through a multiplexer a rule carries "args[0] names this call"; the kernel
 * reads only part of args[0] as the call number (arch_mux_call_mask). */
static void fill_guard(struct centry *e, const struct hit *h)
{
	e->ncond = 1;
	e->cond[0].arg = 0;
	e->cond[0].op = POLICY_OP_MASKED_EQ;
	e->cond[0].mask = h->guard_mask;
	e->cond[0].datum = (uint64_t)h->guard & h->guard_mask;
}

/* --- decision lists ---------------------------------------------------------- */

struct sort_ent {
	const struct policy *p;
	struct centry *e;
	uint32_t rule;
};

static int ent_strict_cmp(const void *a, const void *b)
{
	const struct sort_ent *x = a, *y = b;

	if (policy_action_stricter(x->e->action, y->e->action))
		return -1;
	if (policy_action_stricter(y->e->action, x->e->action))
		return 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static int reserve_tmp(struct lower_ctx *cx, size_t n)
{
	if (n <= cx->tmpcap)
		return 0;
	free(cx->tmp);
	free(cx->tmp_rule);
	cx->tmpcap = n * 2;
	cx->tmp = malloc(cx->tmpcap * sizeof(*cx->tmp));
	cx->tmp_rule = malloc(cx->tmpcap * sizeof(*cx->tmp_rule));
	return cx->tmp && cx->tmp_rule ? 0 : -ENOMEM;
}

/* Sort tmp[from..n) strictest first, first-added breaking ties. */
static int sort_conditional(struct lower_ctx *cx, size_t from, size_t n)
{
	struct sort_ent *s;
	struct centry *copy;

	if (n - from < 2)
		return 0;
	s = malloc((n - from) * sizeof(*s));
	copy = malloc((n - from) * sizeof(*copy));
	if (!s || !copy) {
		free(s);
		free(copy);
		return -ENOMEM;
	}
	for (size_t i = from; i < n; i++) {
		copy[i - from] = cx->tmp[i];
		s[i - from] = (struct sort_ent){ cx->p, &copy[i - from], cx->tmp_rule[i] };
	}
	qsort(s, n - from, sizeof(*s), ent_strict_cmp);
	for (size_t i = from; i < n; i++)
		cx->tmp[i] = *s[i - from].e;
	free(s);
	free(copy);
	return 0;
}

/* Drop what can never decide: everything after an entry that always
 * matches (it becomes the fallback), then trailing entries that return the
 * fallback anyway. */
static void normalise(struct outcome *o)
{
	for (size_t i = 0; i < o->nent; i++)
		if (o->ent[i].ncond == 0) {
			o->fallback = o->ent[i].action;
			o->nent = i;
			break;
		}
	while (o->nent && o->ent[o->nent - 1].action == o->fallback)
		o->nent--;
}

/* The outcome of one syscall number on an ABI from the hits naming it
 * (sorted by rule index). */
static int build_outcome(struct lower_ctx *cx, const struct arch_desc *d,
			 const struct hit *h, size_t nh)
{
	const struct policy *p = cx->p;
	struct outcome o = { .fallback = p->default_action, .width = d->word_bits,
			     .be = d->big_endian };
	size_t n = 0;
	int terminal = 0;

	if (reserve_tmp(cx, nh))
		return -ENOMEM;
	memset(cx->tmp, 0, nh * sizeof(*cx->tmp));
	/* the first unconditional rule naming the number decides */
	for (size_t i = 0; i < nh; i++) {
		const struct policy_rule *r = &p->rules[h[i].rule];

		if (!r->ncond && h[i].guard < 0) {
			o.fallback = r->action;
			terminal = 1;
			break;
		}
	}
	/* else every other rule is conditional: strictest match wins; through a
	 * multiplexer the rule's own conditions are out of reach, so it counts
	 * as matching (on its call) only where that fails closed */
	for (size_t i = 0; i < nh && !terminal; i++) {
		const struct policy_rule *r = &p->rules[h[i].rule];

		if (h[i].guard >= 0) {
			if (r->ncond && !policy_action_stricter(r->action, p->default_action))
				continue;
			fill_guard(&cx->tmp[n], &h[i]);
		} else if (!fill_conds(&cx->tmp[n], r, d->word_bits)) {
			memset(&cx->tmp[n], 0, sizeof(cx->tmp[n]));
			continue;
		}
		cx->tmp[n].action = r->action;
		cx->tmp_rule[n++] = h[i].rule;
	}
	if (!terminal && sort_conditional(cx, 0, n))
		return -ENOMEM;
	o.ent = cx->tmp;
	o.nent = n;
	normalise(&o);
	if (!o.nent) {
		o.width = o.be = 0;
		o.ent = NULL;
	}
	return intern(&cx->lw->outs, &o);
}

/* --- hits and intervals -------------------------------------------------------- */

static int push_hit(struct lower_ctx *cx, uint32_t nr, size_t rule, int64_t guard,
		    uint32_t guard_mask)
{
	if (cx->nhits == cx->cap) {
		size_t cap = cx->cap ? cx->cap * 2 : 256;
		struct hit *h = realloc(cx->hits, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		cx->hits = h;
		cx->cap = cap;
	}
	cx->hits[cx->nhits++] = (struct hit){ nr, (uint32_t)rule, guard, guard_mask };
	return 0;
}

/* arch_mux_lookup by name is slow for every rule; the reverse map of one
 * ABI's call numbers is small (socketcall calls are 1..20, ipc calls 1..24) */
static void mux_build(struct mux_map *m, const struct arch_desc *d)
{
	static const enum arch_mux_kind kinds[] = { ARCH_MUX_SOCKETCALL, ARCH_MUX_IPC };

	m->n = 0;
	for (size_t k = 0; k < 2; k++) {
		int32_t nr = kinds[k] == ARCH_MUX_SOCKETCALL ? d->socketcall_nr : d->ipc_nr;

		if (nr == ARCH_NR_NONE)
			continue;
		for (uint32_t call = 0; call < 64 && m->n < 128; call++) {
			int id = arch_mux_demux(d->id, kinds[k], call);

			if (id >= 0) {
				m->id[m->n] = id;
				m->call[m->n] = call;
				m->kind[m->n++] = kinds[k];
			}
		}
	}
}

static enum arch_mux_kind mux_lookup(const struct mux_map *m, int id, uint32_t *call)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->id[i] == id) {
			*call = m->call[i];
			return m->kind[i];
		}
	return ARCH_MUX_NONE;
}

static int collect_rule(struct lower_ctx *cx, const struct arch_desc *d, size_t i)
{
	const struct policy_rule *r = &cx->p->rules[i];
	uint32_t call;
	enum arch_mux_kind kind;
	int32_t nr;
	int rc = 0;

	if (r->abis && !(r->abis & ARCH_MASK(d->id)))
		return 0;
	if (r->sys == POLICY_SYS_NR)
		return push_hit(cx, r->nr, i, -1, 0);
	nr = arch_syscall_nr(d->id, r->sys);
	if (nr != ARCH_NR_NONE)
		rc = push_hit(cx, (uint32_t)nr, i, -1, 0);
	if (rc || (r->flags & POLICY_RULE_EXACT))
		return rc;
	kind = mux_lookup(&cx->mux, r->sys, &call);
	nr = kind == ARCH_MUX_SOCKETCALL ? d->socketcall_nr :
	     kind == ARCH_MUX_IPC ? d->ipc_nr : ARCH_NR_NONE;
	if (nr != ARCH_NR_NONE)
		rc = push_hit(cx, (uint32_t)nr, i, call, arch_mux_call_mask(kind));
	return rc;
}

/* Stable LSD radix sort of the hits by number: they were collected in rule
 * order, so equal numbers stay in rule order.  Linear, where qsort was the
 * largest cost of compiling a typical profile. */
static int sort_hits(struct hit *h, size_t n)
{
	struct hit *tmp;
	size_t count[256];

	if (n < 2)
		return 0;
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	for (unsigned shift = 0; shift < 32; shift += 8) {
		size_t sum = 0;

		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(h[i].nr >> shift) & 0xff]++;
		if (count[(h[0].nr >> shift) & 0xff] == n)
			continue;	/* one bucket: this byte is the same everywhere */
		for (size_t b = 0; b < 256; b++) {
			size_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(h[i].nr >> shift) & 0xff]++] = h[i];
		memcpy(h, tmp, n * sizeof(*h));
	}
	free(tmp);
	return 0;
}

static int push_interval(struct section *s, uint32_t lo, int out)
{
	if (s->n && s->iv[s->n - 1].out == out)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct interval *v = realloc(s->iv, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->iv = v;
		s->cap = cap;
	}
	s->iv[s->n++] = (struct interval){ lo, out };
	return 0;
}

/* The numbers one ABI owns on its token: x86_64 and x32 split at the x32 bit. */
static void abi_domain(enum arch_id id, uint32_t *lo, uint32_t *hi)
{
	*lo = id == ARCH_X32 ? ARCH_X32_SYSCALL_BIT : 0;
	*hi = id == ARCH_X86_64 ? ARCH_X32_SYSCALL_BIT - 1 : 0xffffffffu;
}

/* intervals of s (from index `from` on) that overlap [lo, hi] */
static unsigned count_overlap(const struct section *s, size_t from, uint32_t lo, uint32_t hi)
{
	unsigned n = 0;

	for (size_t i = from; i < s->n; i++) {
		uint32_t end = i + 1 < s->n ? s->iv[i + 1].lo - 1 : 0xffffffffu;

		n += s->iv[i].lo <= hi && end >= lo;
	}
	return n;
}

static int lower_abi(struct lower_ctx *cx, const struct arch_desc *d, struct section *s)
{
	uint32_t lo, hi;
	uint64_t cur;
	size_t before = s->n, i = 0;
	int rc = 0;

	abi_domain(d->id, &lo, &hi);
	mux_build(&cx->mux, d);
	cx->nhits = 0;
	for (size_t r = 0; r < cx->p->nrules && !rc; r++)
		rc = collect_rule(cx, d, r);
	if (rc)
		return rc;
	rc = sort_hits(cx->hits, cx->nhits);
	if (rc)
		return rc;
	cur = lo;
	while (i < cx->nhits && !rc) {
		size_t j = i;
		uint32_t nr = cx->hits[i].nr;
		int out;

		while (j < cx->nhits && cx->hits[j].nr == nr)
			j++;
		if (nr >= lo && nr <= hi) {
			out = build_outcome(cx, d, &cx->hits[i], j - i);
			if (out < 0)
				return out;
			if (nr > cur)
				rc = push_interval(s, (uint32_t)cur, cx->default_out);
			if (!rc)
				rc = push_interval(s, nr, out);
			cur = (uint64_t)nr + 1;
		}
		i = j;
	}
	if (!rc && cur <= hi)
		rc = push_interval(s, (uint32_t)cur, cx->default_out);
	cx->lw->abi_intervals[d->id] = count_overlap(s, before ? before - 1 : 0, lo, hi);
	return rc;
}

static int lower_token(struct lower_ctx *cx, uint32_t token, struct section *s)
{
	int rc = 0;

	s->token = token;
	for (int id = 0; id < ARCH_COUNT && !rc; id++) {
		const struct arch_desc *d = arch_get((enum arch_id)id);
		uint32_t lo, hi;

		if (!d || d->token != token)
			continue;
		if (cx->p->arches & ARCH_MASK(id)) {
			s->abis |= ARCH_MASK(id);
			rc = lower_abi(cx, d, s);
		} else if (id == ARCH_X86_64 || id == ARCH_X32) {
			/* the other half of a shared token is a foreign ABI */
			abi_domain((enum arch_id)id, &lo, &hi);
			rc = push_interval(s, lo, cx->badarch_out);
		}
	}
	return rc;
}

/* Tokens in dispatch order: the native one first (it is the one that runs),
 * then by ABI id. */
static int token_order(const struct policy *p, uint32_t *tokens)
{
	const struct arch_desc *nat = arch_native();
	int n = 0;

	if (nat && (p->arches & ARCH_MASK(nat->id)))
		tokens[n++] = nat->token;
	for (int id = 0; id < ARCH_COUNT; id++) {
		const struct arch_desc *d = arch_get((enum arch_id)id);
		int seen = 0;

		if (!d || !(p->arches & ARCH_MASK(id)))
			continue;
		for (int j = 0; j < n; j++)
			seen |= tokens[j] == d->token;
		if (!seen)
			tokens[n++] = d->token;
	}
	return n;
}

int lower_policy(const struct policy *p, struct lowered *lw, struct muzzle_error *err)
{
	struct lower_ctx cx = { .p = p, .lw = lw };
	uint32_t tokens[ARCH_COUNT];
	int n, rc = 0;

	memset(lw, 0, sizeof(*lw));
	cx.default_out = intern_const(&lw->outs, p->default_action);
	cx.badarch_out = intern_const(&lw->outs, p->badarch_action);
	if (cx.default_out < 0 || cx.badarch_out < 0)
		rc = -ENOMEM;
	n = token_order(p, tokens);
	for (int i = 0; i < n && !rc; i++) {
		rc = lower_token(&cx, tokens[i], &lw->sect[i]);
		lw->nsect = (size_t)i + 1;
	}
	free(cx.hits);
	free(cx.tmp);
	free(cx.tmp_rule);
	if (rc)
		muzzle_error_set(err, rc, NULL, 0, 0, "out of memory while compiling");
	return rc;
}

void lowered_free(struct lowered *lw)
{
	for (size_t i = 0; i < lw->outs.n; i++) {
		free(lw->outs.v[i].ent);
		cprog_free(&lw->outs.v[i].blk);
	}
	free(lw->outs.v);
	free(lw->outs.ht);
	for (size_t i = 0; i < lw->nsect; i++)
		free(lw->sect[i].iv);
	memset(lw, 0, sizeof(*lw));
}
