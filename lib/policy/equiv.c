/* The equivalence checker: runs both sides over a set of inputs chosen so
 * that every decision either side can make is exercised.
 *
 *  1. Arch tokens: every ABI of a policy side, every constant a BPF side
 *     compares seccomp_data.arch with, and one token nobody knows.
 *  2. Per token, syscall numbers: every constant a BPF side compares nr with
 *     and every table number of the ABIs behind the token (the x32 ones too
 *     for x86_64), raw-number rules and the multiplexers, each with its
 *     neighbours k-1 and k+1, plus fixed boundaries.  Any number not listed
 *     behaves like a listed neighbour on both sides.
 *  3. Per (token, nr), arguments: the constants compared with each 32-bit
 *     argument word, from the policy rules that apply and from tracing the
 *     BPF sides (bpf_run_traced reports each comparison with the input word
 *     it came from).  Candidates per word: k-1, k, k+1, 0, ~0, and for
 *     masked compares datum, datum|~mask and datum with each mask bit
 *     flipped.  The cross product is run when small, else every single-word
 *     variation plus a fixed-seed random sample; runs that reveal new
 *     comparisons (deeper in the program) start another round.
 * A BPF side runs on the data as the call's ABI lays it out: for an ABI of
 * the other byte order than the host (s390x, ppc64, mips BE on x86_64) the
 * 32-bit halves of every 64-bit field are swapped, as that kernel would
 * present them; a policy side sees the values. */
#include "policy/equiv.h"
#include "policy/eval.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WORDS 16		/* 32-bit words of struct seccomp_data */
#define FIRST_ARG_WORD 2	/* instruction_pointer and args: words 2..15 */
#define WSET_MAX 48		/* candidates kept per word */
#define FULL_PRODUCT_MAX 4096
#define SAMPLE 2048
#define ROUNDS 4

/* --- growable sorted sets of u32 --------------------------------------- */
struct uset {
	uint32_t *v;
	size_t n, cap;
};

static int uset_add(struct uset *s, uint32_t x)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		uint32_t *n = realloc(s->v, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->v = n;
		s->cap = cap;
	}
	s->v[s->n++] = x;
	return 0;
}

static int uset_add3(struct uset *s, uint32_t x)
{
	return uset_add(s, x - 1) | uset_add(s, x) | uset_add(s, x + 1);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void uset_finish(struct uset *s)
{
	size_t o = 0;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_u32);
	for (size_t i = 0; i < s->n; i++)
		if (o == 0 || s->v[i] != s->v[o - 1])
			s->v[o++] = s->v[i];
	s->n = o;
}

static int uset_has(const struct uset *s, uint32_t x)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == x)
			return 1;
	return 0;
}

/* --- per-word argument candidates ---------------------------------------- */
struct wset {
	uint32_t v[WSET_MAX];
	unsigned n;
};

struct explore {
	struct wset w[WORDS];
	int grew;		/* a candidate was added since the last round */
};

static void wadd(struct explore *e, int word, uint32_t x)
{
	struct wset *s;

	if (word < FIRST_ARG_WORD || word >= WORDS)
		return;
	s = &e->w[word];
	for (unsigned i = 0; i < s->n; i++)
		if (s->v[i] == x)
			return;
	if (s->n == WSET_MAX)
		return;
	s->v[s->n++] = x;
	e->grew = 1;
}

static void wadd3(struct explore *e, int word, uint32_t x)
{
	wadd(e, word, x);
	wadd(e, word, x - 1);
	wadd(e, word, x + 1);
}

/* Values that separate the outcomes of "(v & mask) == datum". */
static void wadd_masked(struct explore *e, int word, uint32_t mask, uint32_t datum)
{
	wadd(e, word, datum);
	wadd(e, word, datum | ~mask);
	for (int b = 0; b < 32; b++)
		if (mask & (1u << b))
			wadd(e, word, (datum ^ (1u << b)) & mask);
}

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 32);
}

/* --- sides ------------------------------------------------------------------ */
struct tracer {
	struct explore *e;
	uint64_t seed;
	int swapped;		/* the BPF saw 64-bit fields with halves swapped */
};

static void on_cmp(void *ctx, const struct bpf_cmp_event *ev)
{
	struct tracer *t = ctx;
	struct explore *e = t->e;
	int x_src = BPF_SRC(ev->code) == BPF_X;
	uint32_t k = x_src ? ev->x.value : ev->k;
	struct bpf_cmp_event local;

	if (t->swapped) {
		/* map words back to the host layout the inputs are built in */
		local = *ev;
		if (local.a.word >= FIRST_ARG_WORD)
			local.a.word ^= 1;
		if (local.x.word >= FIRST_ARG_WORD)
			local.x.word ^= 1;
		ev = &local;
	}
	if (x_src && ev->x.word >= FIRST_ARG_WORD)
		wadd3(e, ev->x.word, ev->a.value);	/* word against word */
	if (ev->a.word < FIRST_ARG_WORD)
		return;
	if (!ev->a.exact) {
		/* arithmetic on the word: try the constant and some noise */
		wadd3(e, ev->a.word, k);
		wadd(e, ev->a.word, rnd(&t->seed));
		wadd(e, ev->a.word, 0xffffffffu);
		return;
	}
	switch (BPF_OP(ev->code)) {
	case BPF_JSET:
		wadd_masked(e, ev->a.word, k & ev->a.mask, 0);
		wadd(e, ev->a.word, k);
		break;
	case BPF_JEQ:
		if (ev->a.mask != 0xffffffffu) {
			wadd_masked(e, ev->a.word, ev->a.mask, k);
			break;
		}
		/* fall through */
	default:
		wadd3(e, ev->a.word, k);
		if (ev->a.mask != 0xffffffffu)
			wadd(e, ev->a.word, k | ~ev->a.mask);
		break;
	}
}

/* 1 if the ABI behind a token stores 64-bit values in the other byte order
 * than this host: its kernel shows a filter args[i] with the 32-bit halves
 * in the other order. */
static int foreign_order(uint32_t token)
{
	const struct arch_desc *a = arch_by_token(token);

	/* an unknown token has no layout of its own: keep the host's */
	return a && a->big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
}

static void swap_halves(struct seccomp_data *d)
{
	d->instruction_pointer = d->instruction_pointer << 32 | d->instruction_pointer >> 32;
	for (int i = 0; i < 6; i++)
		d->args[i] = d->args[i] << 32 | d->args[i] >> 32;
}

/* A policy sees the call's values; a BPF program sees them laid out as the
 * call's ABI lays them out (bpf_run reads host-order words). */
static uint32_t side_run(const struct equiv_side *s, const struct seccomp_data *d,
			 struct tracer *t)
{
	struct seccomp_data as_seen;

	if (s->policy)
		return policy_eval(s->policy, d).action;
	as_seen = *d;
	if (foreign_order(d->arch))
		swap_halves(&as_seen);
	if (t)
		t->swapped = foreign_order(d->arch);
	return bpf_run_traced(s->prog, s->prog_len, &as_seen, NULL, t ? on_cmp : NULL, t);
}

/* --- static facts about a BPF side: constants compared with nr and arch --- */
struct prov {
	int reached;
	int word;		/* -1 unknown */
	int exact;
	uint32_t mask;
};

static void prov_merge(struct prov *dst, const struct prov *src)
{
	if (!dst->reached) {
		*dst = *src;
		dst->reached = 1;
	} else if (dst->word != src->word || dst->exact != src->exact || dst->mask != src->mask) {
		dst->word = -1;
	}
}

static void prov_step(const struct sock_filter *f, struct prov *p)
{
	if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
		p->word = (int)(f->k / 4);
		p->exact = 1;
		p->mask = 0xffffffffu;
	} else if (f->code == (BPF_ALU | BPF_AND | BPF_K)) {
		p->mask &= f->k;
	} else if (BPF_CLASS(f->code) == BPF_ALU || BPF_CLASS(f->code) == BPF_LD ||
		   f->code == (BPF_MISC | BPF_TXA)) {
		p->exact = 0;
		if (BPF_CLASS(f->code) == BPF_LD || f->code == (BPF_MISC | BPF_TXA))
			p->word = -1;
	}
}

static int note_const(struct uset *nr, struct uset *arch, const struct prov *p,
		      const struct sock_filter *f)
{
	uint32_t k = f->k;
	int rc = 0;

	if (BPF_SRC(f->code) == BPF_X)
		return 0;	/* X compares are explored by tracing */
	if (p->word == 0 || p->word < 0) {
		rc |= uset_add3(nr, k);
		if (p->exact && p->mask != 0xffffffffu)
			rc |= uset_add(nr, k | ~p->mask);
	}
	if (p->word == 1 || p->word < 0)
		rc |= uset_add3(arch, k);
	return rc;
}

static int bpf_consts(const struct sock_filter *in, size_t len, struct uset *nr,
		      struct uset *arch)
{
	struct prov *st = calloc(len + 1, sizeof(*st));
	int rc = 0;

	if (!st)
		return -ENOMEM;
	st[0] = (struct prov){ 1, -1, 0, 0xffffffffu };
	for (size_t pc = 0; pc < len && !rc; pc++) {
		const struct sock_filter *f = &in[pc];
		struct prov p = st[pc];

		if (!p.reached)
			continue;
		if (f->code == (BPF_JMP | BPF_JA)) {
			prov_merge(&st[pc + 1 + f->k], &p);
		} else if (BPF_CLASS(f->code) == BPF_JMP) {
			rc = note_const(nr, arch, &p, f);
			prov_merge(&st[pc + 1 + f->jt], &p);
			prov_merge(&st[pc + 1 + f->jf], &p);
		} else if (BPF_CLASS(f->code) != BPF_RET) {
			prov_step(f, &p);
			prov_merge(&st[pc + 1], &p);
		}
	}
	free(st);
	return rc;
}

/* --- the plan: tokens and numbers ------------------------------------------ */
struct plan {
	const struct equiv_side *side[2];
	struct uset tokens;
	struct uset bpf_nr;	/* constants BPF sides compare nr with (+-1) */
	struct uset nrs;	/* per token, rebuilt */
	struct uset scratch;
};

static int policy_tokens(const struct policy *p, struct uset *tokens)
{
	int rc = 0;

	for (int id = 0; id < ARCH_COUNT; id++)
		if (p->arches & ARCH_MASK(id))
			rc |= uset_add(tokens, arch_get((enum arch_id)id)->token);
	return rc;
}

static int abi_numbers(enum arch_id abi, struct uset *nrs)
{
	const struct arch_desc *a = arch_get(abi);
	int rc = 0;

	for (int id = 0; id < arch_syscall_count(); id++) {
		int32_t n = arch_syscall_nr(abi, id);

		if (n != ARCH_NR_NONE)
			rc |= uset_add3(nrs, (uint32_t)n);
	}
	if (a->socketcall_nr != ARCH_NR_NONE)
		rc |= uset_add3(nrs, (uint32_t)a->socketcall_nr);
	if (a->ipc_nr != ARCH_NR_NONE)
		rc |= uset_add3(nrs, (uint32_t)a->ipc_nr);
	return rc;
}

static int raw_rule_numbers(const struct policy *p, struct uset *nrs)
{
	int rc = 0;

	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].sys == POLICY_SYS_NR)
			rc |= uset_add3(nrs, p->rules[i].nr);
	return rc;
}

static int token_numbers(struct plan *pl, uint32_t token)
{
	static const uint32_t fixed[] = { 0, 1, 0x3fffffffu, 0x40000000u, 0x7fffffffu,
					  0x80000000u, 0xffffffffu };
	const struct arch_desc *a = arch_by_token(token);
	struct uset *s = &pl->nrs;
	int rc = 0;

	s->n = 0;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		rc |= uset_add3(s, fixed[i]);
	for (size_t i = 0; i < pl->bpf_nr.n; i++)
		rc |= uset_add(s, pl->bpf_nr.v[i]);
	for (int i = 0; i < 2; i++)
		if (pl->side[i]->policy)
			rc |= raw_rule_numbers(pl->side[i]->policy, s);
	if (a) {
		rc |= abi_numbers(a->id, s);
		if (a->id == ARCH_X86_64)
			rc |= abi_numbers(ARCH_X32, s);
	}
	uset_finish(s);
	return rc;
}

static int plan_init(struct plan *pl, const struct equiv_side *a, const struct equiv_side *b)
{
	const struct equiv_side *sides[2] = { a, b };
	int rc = 0;
	uint32_t unknown = 0;

	memset(pl, 0, sizeof(*pl));
	for (int i = 0; i < 2; i++) {
		const struct equiv_side *s = sides[i];

		pl->side[i] = s;
		if (!!s->policy == !!s->prog)
			return -EINVAL;
		if (s->policy)
			rc |= policy_tokens(s->policy, &pl->tokens);
		else if (bpf_verify(s->prog, s->prog_len, NULL))
			return -EINVAL;
		else
			rc |= bpf_consts(s->prog, s->prog_len, &pl->bpf_nr, &pl->tokens);
	}
	uset_finish(&pl->tokens);
	while (uset_has(&pl->tokens, unknown))
		unknown++;
	rc |= uset_add(&pl->tokens, unknown);
	uset_finish(&pl->bpf_nr);
	return rc ? -ENOMEM : 0;
}

static void plan_free(struct plan *pl)
{
	free(pl->tokens.v);
	free(pl->bpf_nr.v);
	free(pl->nrs.v);
	free(pl->scratch.v);
}

/* --- argument seeds from policy rules ------------------------------------ */
static void set_arg_words(struct explore *e, unsigned arg, uint64_t v)
{
	struct seccomp_data d;
	uint32_t w[WORDS];

	memset(&d, 0, sizeof(d));
	d.args[arg] = v;
	memcpy(w, &d, sizeof(w));
	for (int i = 4 + 2 * (int)arg; i < 6 + 2 * (int)arg; i++)
		wadd(e, i, w[i]);
}

static void seed_cond(struct explore *e, const struct policy_cond *c, int bits32)
{
	uint64_t lim = bits32 ? 0xffffffffull : ~0ull;
	uint64_t d = c->datum & lim, m = c->mask & lim;
	uint64_t vals[6] = { d, d - 1, d + 1, d ^ (1ull << 32), d ^ (1ull << 63), d | ~m };

	for (int i = 0; i < 6; i++)
		set_arg_words(e, c->arg, vals[i]);
	if (c->op == POLICY_OP_MASKED_EQ || c->op == POLICY_OP_MASKED_NE)
		for (int b = 0; b < (bits32 ? 32 : 64); b++)
			if (m & (1ull << b))
				set_arg_words(e, c->arg, (d ^ (1ull << b)) & m);
}

static int rule_names(const struct policy_rule *r, const struct arch_desc *abi, uint32_t nr)
{
	int32_t n;

	if (r->abis && !(r->abis & ARCH_MASK(abi->id)))
		return 0;
	if (r->sys == POLICY_SYS_NR)
		return r->nr == nr;
	n = arch_syscall_nr(abi->id, r->sys);
	return n != ARCH_NR_NONE && (uint32_t)n == nr;
}

/* A multiplexer: seed args[0] with the call number of every rule it routes. */
static void seed_mux(struct explore *e, const struct policy *p, const struct arch_desc *abi,
		     uint32_t nr)
{
	enum arch_mux_kind want;
	uint32_t call;

	if (abi->socketcall_nr != ARCH_NR_NONE && nr == (uint32_t)abi->socketcall_nr)
		want = ARCH_MUX_SOCKETCALL;
	else if (abi->ipc_nr != ARCH_NR_NONE && nr == (uint32_t)abi->ipc_nr)
		want = ARCH_MUX_IPC;
	else
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->sys < 0 || arch_mux_lookup(abi->id, r->sys, &call) != want)
			continue;
		set_arg_words(e, 0, call);
		set_arg_words(e, 0, call + 1);
		set_arg_words(e, 0, call - 1);
		/* bits outside the kernel's call mask must not matter */
		set_arg_words(e, 0, (uint64_t)call | 0xffff0000ull | (1ull << 32));
	}
}

static void seed_policy(struct explore *e, const struct policy *p, uint32_t token, uint32_t nr)
{
	const struct arch_desc *abi = arch_for_data(token, nr);

	if (!abi || !(p->arches & ARCH_MASK(abi->id)))
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (!rule_names(r, abi, nr))
			continue;
		for (unsigned c = 0; c < r->ncond; c++) {
			seed_cond(e, &r->cond[c], abi->word_bits == 32);
			/* a 32-bit ABI ignores the high half: vary it */
			set_arg_words(e, r->cond[c].arg, 0xffffffff00000000ull);
		}
	}
	seed_mux(e, p, abi, nr);
}

/* --- running the inputs of one (token, nr) --------------------------------- */
struct finding {
	int found;
	struct seccomp_data d;
	uint32_t a, b;
};

struct job {
	struct plan *pl;
	struct explore ex, cur;
	struct tracer tr;
	struct finding f;
	unsigned long inputs;
};

/* Runs one input; 1 if the sides differ (recorded in j->f). */
static int try_input(struct job *j, const struct seccomp_data *d)
{
	uint32_t a = side_run(j->pl->side[0], d, &j->tr);
	uint32_t b = side_run(j->pl->side[1], d, &j->tr);

	j->inputs++;
	if (a == b)
		return 0;
	j->f.found = 1;
	j->f.d = *d;
	j->f.a = a;
	j->f.b = b;
	return 1;
}

static void put_words(struct seccomp_data *d, const uint32_t *w)
{
	memcpy((char *)d + FIRST_ARG_WORD * 4, w + FIRST_ARG_WORD,
	       (WORDS - FIRST_ARG_WORD) * sizeof(uint32_t));
}

static int run_product(struct job *j, const struct explore *cur, const struct seccomp_data *base,
		       unsigned long total)
{
	unsigned idx[WORDS] = { 0 };
	uint32_t w[WORDS] = { 0 };
	struct seccomp_data d = *base;

	for (unsigned long n = 0; n < total; n++) {
		for (int i = FIRST_ARG_WORD; i < WORDS; i++)
			w[i] = cur->w[i].n ? cur->w[i].v[idx[i]] : 0;
		put_words(&d, w);
		if (try_input(j, &d))
			return 1;
		for (int i = FIRST_ARG_WORD; i < WORDS; i++) {
			if (cur->w[i].n == 0)
				continue;
			if (++idx[i] < cur->w[i].n)
				break;
			idx[i] = 0;
		}
	}
	return 0;
}

static int run_sampled(struct job *j, const struct explore *cur, const struct seccomp_data *base)
{
	uint32_t w[WORDS] = { 0 };
	struct seccomp_data d = *base;
	uint64_t seed = 0x243f6a8885a308d3ull ^ base->arch ^ ((uint64_t)(uint32_t)base->nr << 32);

	/* every single-word variation */
	for (int i = FIRST_ARG_WORD; i < WORDS; i++)
		for (unsigned v = 0; v < cur->w[i].n; v++) {
			memset(w, 0, sizeof(w));
			w[i] = cur->w[i].v[v];
			put_words(&d, w);
			if (try_input(j, &d))
				return 1;
		}
	/* and a fixed-seed sample of the cross product */
	for (int s = 0; s < SAMPLE; s++) {
		for (int i = FIRST_ARG_WORD; i < WORDS; i++)
			w[i] = cur->w[i].n ? cur->w[i].v[rnd(&seed) % cur->w[i].n] : 0;
		put_words(&d, w);
		if (try_input(j, &d))
			return 1;
	}
	return 0;
}

static unsigned long product(const struct explore *e)
{
	unsigned long p = 1;

	for (int i = FIRST_ARG_WORD; i < WORDS; i++)
		if (e->w[i].n) {
			p *= e->w[i].n;
			if (p > FULL_PRODUCT_MAX)
				return FULL_PRODUCT_MAX + 1;
		}
	return p;
}

/* Explores one (token, nr); 1 if a difference was found. */
static int check_pair(struct job *j, uint32_t token, uint32_t nr)
{
	struct seccomp_data base;

	memset(&base, 0, sizeof(base));
	base.arch = token;
	base.nr = (int)nr;
	memset(&j->ex, 0, sizeof(j->ex));
	j->tr.e = &j->ex;
	j->tr.seed = 0x9e3779b97f4a7c15ull ^ token ^ ((uint64_t)nr << 32);
	for (int i = 0; i < 2; i++)
		if (j->pl->side[i]->policy)
			seed_policy(&j->ex, j->pl->side[i]->policy, token, nr);
	if (try_input(j, &base))
		return 1;
	for (int round = 0; round < ROUNDS && j->ex.grew; round++) {
		unsigned long total;

		/* every word that varies also takes 0, the base value */
		for (int i = FIRST_ARG_WORD; i < WORDS; i++)
			if (j->ex.w[i].n)
				wadd(&j->ex, i, 0);
		j->ex.grew = 0;
		/* tracing adds candidates while this round runs: they are
		 * for the next round, so enumerate a snapshot */
		j->cur = j->ex;
		total = product(&j->cur);
		if (total <= FULL_PRODUCT_MAX ? run_product(j, &j->cur, &base, total)
					      : run_sampled(j, &j->cur, &base))
			return 1;
	}
	return 0;
}

typedef int (*pair_fn)(void *ctx, struct job *j);

/* Walks every (token, nr); fn sees each pair that differs. */
static int walk(const struct equiv_side *a, const struct equiv_side *b, pair_fn fn,
		void *ctx, unsigned long *inputs)
{
	struct plan pl;
	struct job j;
	int rc = plan_init(&pl, a, b), stop = 0;

	memset(&j, 0, sizeof(j));
	j.pl = &pl;
	for (size_t t = 0; !rc && !stop && t < pl.tokens.n; t++) {
		rc = token_numbers(&pl, pl.tokens.v[t]) ? -ENOMEM : 0;
		for (size_t i = 0; !rc && !stop && i < pl.nrs.n; i++) {
			j.f.found = 0;
			if (check_pair(&j, pl.tokens.v[t], pl.nrs.v[i]))
				stop = fn(ctx, &j);
		}
	}
	if (inputs)
		*inputs = j.inputs;
	plan_free(&pl);
	return rc ? rc : stop;
}

static int first_only(void *ctx, struct job *j)
{
	struct equiv_result *res = ctx;

	res->equal = 0;
	res->witness = j->f.d;
	res->action_a = j->f.a;
	res->action_b = j->f.b;
	return 1;
}

int equiv_check(const struct equiv_side *a, const struct equiv_side *b,
		struct equiv_result *res)
{
	int rc;

	memset(res, 0, sizeof(*res));
	res->equal = 1;
	rc = walk(a, b, first_only, res, &res->inputs);
	return rc < 0 ? rc : 0;
}

struct diff_ctx {
	equiv_diff_cb cb;
	void *ctx;
	int ret;
};

static int each_diff(void *ctx, struct job *j)
{
	struct diff_ctx *c = ctx;

	c->ret = c->cb(c->ctx, &j->f.d, j->f.a, j->f.b);
	return c->ret != 0;
}

int equiv_diff(const struct equiv_side *a, const struct equiv_side *b,
	       equiv_diff_cb cb, void *ctx)
{
	struct diff_ctx c = { cb, ctx, 0 };
	int rc = walk(a, b, each_diff, &c, NULL);

	return rc < 0 ? rc : c.ret;
}
