/* Argument blocks: one decision list -> label IR.
 *
 * Each entry tests its conditions in order; a failing test jumps to the next
 * entry, the last test of an entry jumps to "return action" (a ret label the
 * caller maps onto a shared pool of `ret` instructions).  64-bit comparisons
 * test the high word and look at the low word only when the high words are
 * equal.  A word the accumulator already holds on every path into an
 * instruction is not loaded again. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "compile/internal.h"

#define FULL32 0xffffffffu
#define ACC_UNSET 1ull		/* label with no known predecessor yet */
#define ACC_UNKNOWN 0ull
#define ACC(off, mask) ((1ull << 63) | ((uint64_t)(off) << 32) | (mask))

/* what a label or class of values leads to */
enum { T_DC = -2 };	/* don't care: the class cannot occur */

struct gen {
	struct cprog *c;
	int be;
	uint64_t acc;		/* accumulator contents on the fall-through path */
	int live;		/* fall-through path reachable */
	uint64_t *lstate;	/* per label: meet of accumulator states jumping there */
	size_t lcap;
	/* ret labels made so far: few distinct actions, many entries */
	uint32_t ret_act[16];
	int ret_lab[16];
	unsigned nret;
	int rc;
};

static int new_label(struct gen *g)
{
	int l = cprog_label(g->c);

	if (l < 0) {
		g->rc = -ENOMEM;
		return 0;
	}
	if ((size_t)l >= g->lcap) {
		size_t cap = g->lcap ? g->lcap * 2 : 32;
		uint64_t *s = realloc(g->lstate, cap * sizeof(*s));

		if (!s) {
			g->rc = -ENOMEM;
			return 0;
		}
		g->lstate = s;
		g->lcap = cap;
	}
	g->lstate[l] = ACC_UNSET;
	return l;
}

/* room in lstate for label l (0 or l), -ENOMEM noted */
static int track(struct gen *g, int l)
{
	if (l < 0) {
		g->rc = -ENOMEM;
		return 0;
	}
	if ((size_t)l >= g->lcap) {
		size_t cap = g->lcap ? g->lcap * 2 : 32;
		uint64_t *s;

		while (cap <= (size_t)l)
			cap *= 2;
		s = realloc(g->lstate, cap * sizeof(*s));
		if (!s) {
			g->rc = -ENOMEM;
			return 0;
		}
		g->lstate = s;
		g->lcap = cap;
	}
	return l;
}

static int ret_label(struct gen *g, uint32_t action)
{
	int l;

	for (unsigned i = 0; i < g->nret; i++)
		if (g->ret_act[i] == action)
			return g->ret_lab[i];
	l = cprog_ret_label(g->c, action);
	if (l >= 0 && g->nret < 16) {
		g->ret_act[g->nret] = action;
		g->ret_lab[g->nret++] = l;
	}
	return track(g, l);
}

static int tail_label(struct gen *g, uint32_t off, uint32_t k, uint32_t action, uint32_t fail)
{
	return track(g, cprog_tail_label(g->c, off, k, action, fail));
}

static uint64_t meet(uint64_t a, uint64_t b)
{
	if (a == ACC_UNSET)
		return b;
	return a == b ? a : ACC_UNKNOWN;
}

static void note_jump(struct gen *g, int label)
{
	if (!g->c->l[label].is_ret)
		g->lstate[label] = meet(g->lstate[label], g->acc);
}

static void place(struct gen *g, int label)
{
	uint64_t s = g->lstate[label];

	if (g->live)
		s = meet(s, g->acc);
	g->acc = s == ACC_UNSET ? ACC_UNKNOWN : s;
	g->live = 1;
	cprog_place(g->c, label);
}

static void emit(struct gen *g, uint16_t code, uint32_t k)
{
	if (cprog_emit(g->c, code, k, -1, -1) < 0)
		g->rc = -ENOMEM;
}

static void jump(struct gen *g, uint16_t op, uint32_t k, int jt, int jf)
{
	if (g->rc)
		return;
	note_jump(g, jt);
	if (op != BPF_JA)
		note_jump(g, jf);
	if (cprog_emit(g->c, BPF_JMP | op | BPF_K, k, jt, jf) < 0)
		g->rc = -ENOMEM;
	g->live = 0;
}

/* Accumulator := word at off, masked by mask (FULL32: no mask). */
static void load(struct gen *g, uint32_t off, uint32_t mask)
{
	if (g->live && g->acc == ACC(off, mask))
		return;
	if (!(g->live && g->acc == ACC(off, FULL32))) {
		emit(g, BPF_LD | BPF_W | BPF_ABS, off);
		g->acc = ACC(off, FULL32);
	}
	if (mask != FULL32) {
		emit(g, BPF_ALU | BPF_AND | BPF_K, mask);
		g->acc = ACC(off, mask);
	}
}

static int same(int a, int b)
{
	return a == b || a == T_DC || b == T_DC;
}

static int pick(int a, int b)
{
	return a == T_DC ? b : a;
}

/* Jump three ways on the accumulator against k: below, equal, above.  One
 * instruction when two classes share a target, else two. */
static void cmp3(struct gen *g, uint32_t k, int lt, int eq, int gt)
{
	int mid;

	if (k == 0)
		lt = T_DC;
	if (k == FULL32)
		gt = T_DC;
	if (same(lt, eq) && same(eq, gt) && same(lt, gt)) {
		jump(g, BPF_JA, 0, pick(pick(lt, eq), gt), 0);
	} else if (same(lt, gt)) {
		jump(g, BPF_JEQ, k, eq, pick(lt, gt));
	} else if (same(eq, gt)) {
		jump(g, BPF_JGE, k, pick(eq, gt), lt);
	} else if (same(lt, eq)) {
		jump(g, BPF_JGT, k, gt, pick(lt, eq));
	} else {
		mid = new_label(g);
		jump(g, BPF_JGT, k, gt, mid);
		place(g, mid);
		jump(g, BPF_JEQ, k, eq, lt);
	}
}

static uint32_t lo_off(const struct gen *g, unsigned arg)
{
	return (uint32_t)(offsetof(struct seccomp_data, args) + 8 * arg + (g->be ? 4 : 0));
}

static uint32_t hi_off(const struct gen *g, unsigned arg)
{
	return (uint32_t)(offsetof(struct seccomp_data, args) + 8 * arg + (g->be ? 0 : 4));
}

/* (word & m) == d ? teq : tne, for one 32-bit word */
static void masked_word(struct gen *g, uint32_t off, uint32_t m, uint32_t d, int teq, int tne)
{
	if (m == FULL32) {
		load(g, off, FULL32);
		jump(g, BPF_JEQ, d, teq, tne);
	} else if (d == 0) {
		load(g, off, FULL32);
		jump(g, BPF_JSET, m, tne, teq);
	} else if (d == m && !(m & (m - 1))) {
		load(g, off, FULL32);
		jump(g, BPF_JSET, m, teq, tne);
	} else {
		load(g, off, m);
		jump(g, BPF_JEQ, d, teq, tne);
	}
}

static void masked_cond(struct gen *g, const struct ccond *c, int width, int ok, int fail)
{
	int eq = c->op == POLICY_OP_MASKED_EQ;
	int teq = eq ? ok : fail, tne = eq ? fail : ok;
	uint32_t mh = (uint32_t)(c->mask >> 32), dh = (uint32_t)(c->datum >> 32);

	/* a half with mask 0 always matches (datum bits outside the mask were
	 * folded away when lowering, and a mask of 0 overall too) */
	int lo_needed = (uint32_t)c->mask != 0;

	if (width == 64 && mh) {
		int mid = lo_needed ? new_label(g) : teq;

		masked_word(g, hi_off(g, c->arg), mh, dh, mid, tne);
		if (!lo_needed)
			return;
		place(g, mid);
	}
	masked_word(g, lo_off(g, c->arg), (uint32_t)c->mask, (uint32_t)c->datum, teq, tne);
}

/* Where each class of the low word goes for op against k. */
static void lo_targets(int op, int ok, int fail, int t[3])
{
	switch (op) {
	case POLICY_OP_EQ: t[0] = fail; t[1] = ok; t[2] = fail; break;
	case POLICY_OP_NE: t[0] = ok; t[1] = fail; t[2] = ok; break;
	case POLICY_OP_LT: t[0] = ok; t[1] = fail; t[2] = fail; break;
	case POLICY_OP_LE: t[0] = ok; t[1] = ok; t[2] = fail; break;
	case POLICY_OP_GT: t[0] = fail; t[1] = fail; t[2] = ok; break;
	default: t[0] = fail; t[1] = ok; t[2] = ok; break;	/* GE */
	}
}

/* If every possible class of k goes to one place, that place; else -1. */
static int only_target(const int t[3], uint32_t k)
{
	int lt = k == 0 ? T_DC : t[0], gt = k == FULL32 ? T_DC : t[2];

	if (same(lt, t[1]) && same(t[1], gt) && same(lt, gt))
		return t[1];
	return -1;
}

static void cmp_cond(struct gen *g, const struct ccond *c, int width, int ok, int fail)
{
	uint32_t kl = (uint32_t)c->datum, kh = (uint32_t)(c->datum >> 32);
	int tl[3], th[3], mid, direct;

	lo_targets(c->op, ok, fail, tl);
	if (width == 32) {
		load(g, lo_off(g, c->arg), FULL32);
		cmp3(g, kl, tl[0], tl[1], tl[2]);
		return;
	}
	/* high word: below / above decide like the whole value, equal defers */
	lo_targets(c->op, ok, fail, th);
	direct = only_target(tl, kl);
	mid = direct >= 0 ? direct : new_label(g);
	load(g, hi_off(g, c->arg), FULL32);
	cmp3(g, kh, th[0], mid, th[2]);
	if (direct >= 0)
		return;
	place(g, mid);
	load(g, lo_off(g, c->arg), FULL32);
	cmp3(g, kl, tl[0], tl[1], tl[2]);
}

static void gen_cond(struct gen *g, const struct ccond *c, int width, int ok, int fail)
{
	if (c->op == POLICY_OP_MASKED_EQ || c->op == POLICY_OP_MASKED_NE)
		masked_cond(g, c, width, ok, fail);
	else
		cmp_cond(g, c, width, ok, fail);
}

static void gen_entry(struct gen *g, const struct outcome *o, size_t i, int fail)
{
	const struct centry *e = &o->ent[i];
	int ok_final = ret_label(g, e->action);

	for (uint32_t j = 0; j < e->ncond && !g->rc; j++) {
		int ok = j + 1 == e->ncond ? ok_final : new_label(g);

		gen_cond(g, &e->cond[j], o->width, ok, fail);
		if (j + 1 < e->ncond)
			place(g, ok);
	}
}

/* Entries i..end that all return the same action when one argument equals
 * one of several values (ioctl requests, personality flags): order among
 * them does not matter, so they can be searched as a sorted set. */
static size_t eq_run(const struct outcome *o, size_t i)
{
	const struct centry *a = &o->ent[i];
	size_t j = i;

	if (a->ncond != 1 || a->cond[0].op != POLICY_OP_EQ)
		return i;
	while (j < o->nent) {
		const struct centry *b = &o->ent[j];

		if (b->ncond != 1 || b->cond[0].op != POLICY_OP_EQ || b->action != a->action ||
		    b->cond[0].arg != a->cond[0].arg ||
		    (b->cond[0].datum >> 32) != (a->cond[0].datum >> 32))
			break;
		j++;
	}
	return j;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* binary search for the accumulator among v[lo..hi) (sorted, distinct) */
static void set_search(struct gen *g, const uint32_t *v, size_t lo, size_t hi, int ok, int fail)
{
	if (hi - lo <= 3) {
		for (size_t m = lo; m < hi && !g->rc; m++) {
			int next = m + 1 == hi ? fail : new_label(g);

			jump(g, BPF_JEQ, v[m], ok, next);
			if (m + 1 < hi)
				place(g, next);
		}
		return;
	}
	size_t mid = lo + (hi - lo) / 2;
	int l = new_label(g), r = new_label(g);

	jump(g, BPF_JGE, v[mid], r, l);
	place(g, l);
	set_search(g, v, lo, mid, ok, fail);
	place(g, r);
	set_search(g, v, mid, hi, ok, fail);
}

/* The values of entries i..end, sorted and distinct, into v; their count. */
static size_t set_values(const struct outcome *o, size_t i, size_t end, uint32_t *v)
{
	size_t n = 0, u = 0;

	for (size_t j = i; j < end; j++)
		v[n++] = (uint32_t)o->ent[j].cond[0].datum;
	qsort(v, n, sizeof(*v), cmp_u32);
	for (size_t j = 0; j < n; j++)
		if (!u || v[u - 1] != v[j])
			v[u++] = v[j];
	return u;
}

/* Entries i..end as a set search.  When they end the list the high word is
 * checked last, in a tail other blocks with the same check share; else
 * first. */
static void gen_set(struct gen *g, const struct outcome *o, size_t i, size_t end, int fail)
{
	const struct ccond *c = &o->ent[i].cond[0];
	uint32_t *v = malloc((end - i) * sizeof(*v));
	uint32_t kh = (uint32_t)(c->datum >> 32), act = o->ent[i].action;
	int ok = ret_label(g, act);
	size_t u;

	if (!v) {
		g->rc = -ENOMEM;
		return;
	}
	u = set_values(o, i, end, v);
	if (o->width == 64 && end == o->nent) {
		ok = tail_label(g, hi_off(g, c->arg), kh, act, o->fallback);
	} else if (o->width == 64) {
		int mid = new_label(g);

		load(g, hi_off(g, c->arg), FULL32);
		jump(g, BPF_JEQ, kh, mid, fail);
		place(g, mid);
	}
	load(g, lo_off(g, c->arg), FULL32);
	set_search(g, v, 0, u, ok, fail);
	free(v);
}

/* below this many values a linear chain is as short or shorter */
#define SET_MIN 5

static int args_optimise(struct cprog *c);

int args_build(struct outcome *o)
{
	struct gen g = { .c = &o->blk, .be = o->be, .live = 1 };

	if (o->built)
		return 0;
	/* at block entry the accumulator holds the syscall number */
	g.acc = ACC(offsetof(struct seccomp_data, nr), FULL32);
	for (size_t i = 0; i < o->nent && !g.rc;) {
		size_t run = eq_run(o, i);
		/* a run that ends a 64-bit list shares its high-word check (a
		 * tail), which pays off from one value on */
		int tail = o->width == 64 && run == o->nent && run > i;
		int use_set = tail || run - i >= SET_MIN;
		size_t end = use_set ? run : i + 1;
		int fail = end == o->nent ? ret_label(&g, o->fallback) : new_label(&g);

		if (use_set)
			gen_set(&g, o, i, end, fail);
		else
			gen_entry(&g, o, i, fail);
		if (end < o->nent && !g.rc)
			place(&g, fail);
		i = end;
	}
	free(g.lstate);
	if (!g.rc)
		g.rc = args_optimise(&o->blk);
	o->built = !g.rc;
	return g.rc;
}

/* --- jump threading ------------------------------------------------------------
 * Decision lists test the same word against related constants entry after
 * entry ("hi == 0 && lo == 5", then "hi == 0 && lo == 8", ...).  What a jump
 * has just learned about the accumulator often decides the tests at its
 * target; such a jump is sent straight to where those tests lead, and the
 * instructions nothing reaches any more are dropped. */

struct know {
	uint32_t lo, hi;	/* lo <= A <= hi */
	int has_ne;
	uint32_t ne;		/* A != ne */
	uint32_t zero;		/* A & zero == 0 */
	uint32_t some;		/* A & some != 0 (0: nothing known) */
};

static void learn(struct know *k, uint16_t op, uint32_t c, int taken)
{
	switch (op) {
	case BPF_JEQ:
		if (taken)
			k->lo = k->hi = c;
		else
			k->has_ne = 1, k->ne = c;
		break;
	case BPF_JGT:
		if (taken)
			k->lo = c + 1 > k->lo ? c + 1 : k->lo;
		else
			k->hi = c < k->hi ? c : k->hi;
		break;
	case BPF_JGE:
		if (taken)
			k->lo = c > k->lo ? c : k->lo;
		else if (c)
			k->hi = c - 1 < k->hi ? c - 1 : k->hi;
		break;
	case BPF_JSET:
		if (taken)
			k->some = c;
		else
			k->zero |= c;
		break;
	}
}

/* 1 taken, 0 not taken, -1 unknown */
static int decide(const struct know *k, uint16_t op, uint32_t c)
{
	switch (op) {
	case BPF_JEQ:
		if (c < k->lo || c > k->hi || (k->has_ne && k->ne == c) || (c & k->zero))
			return 0;
		return k->lo == k->hi ? 1 : -1;
	case BPF_JGT:
		return k->lo > c ? 1 : k->hi <= c ? 0 : -1;
	case BPF_JGE:
		return k->lo >= c ? 1 : k->hi < c ? 0 : -1;
	case BPF_JSET:
		if (k->lo == k->hi)
			return (k->lo & c) != 0;
		if (!(c & ~k->zero))
			return 0;
		return k->some && !(k->some & ~c) ? 1 : -1;
	}
	return -1;
}

#define NWORDS 16	/* 32-bit words of struct seccomp_data */

static const struct know know_none = { 0, FULL32, 0, 0, 0, 0 };

static struct know know_meet(const struct know *a, const struct know *b)
{
	struct know k = {
		a->lo < b->lo ? a->lo : b->lo, a->hi > b->hi ? a->hi : b->hi,
		a->has_ne && b->has_ne && a->ne == b->ne, a->ne,
		a->zero & b->zero, a->some == b->some ? a->some : 0,
	};
	return k;
}

/* what is known entering an instruction: the accumulator's contents and,
 * per input word, facts the tests on every path here established */
struct facts {
	int reached;
	uint64_t acc;
	struct know w[NWORDS];
};

struct thread {
	struct cprog *c;
	struct facts *f;	/* per insn */
	int *at;		/* a label placed at each insn, -1 if none yet */
};

static int is_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP;
}

static void flow_to(struct facts *dst, const struct facts *src)
{
	if (!dst->reached) {
		*dst = *src;
		return;
	}
	dst->acc = dst->acc == src->acc ? dst->acc : ACC_UNKNOWN;
	for (int w = 0; w < NWORDS; w++)
		dst->w[w] = know_meet(&dst->w[w], &src->w[w]);
}

/* the input word the accumulator holds unmasked, or -1 */
static int acc_word(uint64_t acc)
{
	if (!(acc >> 63) || (uint32_t)acc != FULL32)
		return -1;
	return (int)(((acc >> 32) & 0x7fffffff) / 4);
}

static void flow_edge(struct thread *th, const struct facts *s, int label, uint16_t op,
		      uint32_t k, int taken)
{
	struct facts e = *s;
	int w = acc_word(s->acc);

	if (th->c->l[label].is_ret)
		return;
	if (w >= 0 && op != BPF_JA)
		learn(&e.w[w], op, k, taken);
	flow_to(&th->f[th->c->l[label].pos], &e);
}

/* facts entering every instruction (jumps go forward only) */
static void flow(struct thread *th)
{
	struct cprog *c = th->c;

	memset(th->f, 0, (c->n + 1) * sizeof(*th->f));
	th->f[0].reached = 1;
	th->f[0].acc = ACC(offsetof(struct seccomp_data, nr), FULL32);
	for (int w = 0; w < NWORDS; w++)
		th->f[0].w[w] = know_none;
	for (size_t i = 0; i < c->n; i++) {
		const struct cinsn *in = &c->v[i];
		struct facts s = th->f[i];

		if (!s.reached)
			continue;
		if (BPF_CLASS(in->code) == BPF_LD)
			s.acc = ACC(in->k, FULL32);
		else if (BPF_CLASS(in->code) == BPF_ALU)
			s.acc = s.acc ? ACC((s.acc >> 32) & 0x7fffffff, (uint32_t)s.acc & in->k)
				      : ACC_UNKNOWN;
		if (!is_jump(in->code)) {
			flow_to(&th->f[i + 1], &s);
			continue;
		}
		flow_edge(th, &s, in->jt, BPF_OP(in->code), in->k, 1);
		if (BPF_OP(in->code) != BPF_JA)
			flow_edge(th, &s, in->jf, BPF_OP(in->code), in->k, 0);
	}
}

static int label_at(struct thread *th, size_t t)
{
	if (th->at[t] < 0) {
		th->at[t] = cprog_label(th->c);
		if (th->at[t] >= 0)
			th->c->l[th->at[t]].pos = (int)t;
	}
	return th->at[t];
}

/* Follow label l while the facts decide the tests there.  The accumulator
 * really holds `real`; a place is a valid new target if it expects that, or
 * loads a word first, or returns. */
static int follow(struct thread *th, int l, uint64_t real, struct facts k)
{
	struct cprog *c = th->c;
	uint64_t acc = real;
	int best = l;

	for (int steps = 0; steps < 64 && !c->l[l].is_ret; steps++) {
		size_t t = (size_t)c->l[l].pos;
		const struct cinsn *in = &c->v[t];
		int w, d, nl;

		if (BPF_CLASS(in->code) == BPF_LD) {
			acc = ACC(in->k, FULL32);
			nl = label_at(th, t + 1);
			if (nl < 0)
				break;
			l = nl;
		} else if (is_jump(in->code) && BPF_OP(in->code) == BPF_JA) {
			l = in->jt;
		} else if (is_jump(in->code) && (w = acc_word(acc)) >= 0) {
			d = decide(&k.w[w], BPF_OP(in->code), in->k);
			if (d < 0)
				break;
			learn(&k.w[w], BPF_OP(in->code), in->k, d);
			l = d ? in->jt : in->jf;
		} else {
			break;
		}
		if (acc == real || c->l[l].is_ret ||
		    BPF_CLASS(c->v[c->l[l].pos].code) == BPF_LD)
			best = l;
	}
	return best;
}

static void thread_jumps(struct thread *th)
{
	struct cprog *c = th->c;

	for (size_t i = 0; i < c->n; i++) {
		struct cinsn *in = &c->v[i];
		const struct facts *f = &th->f[i];
		int w = acc_word(f->acc);
		struct facts kt, kf;

		if (!f->reached || !is_jump(in->code) || BPF_OP(in->code) == BPF_JA || w < 0)
			continue;
		kt = *f;
		kf = *f;
		learn(&kt.w[w], BPF_OP(in->code), in->k, 1);
		learn(&kf.w[w], BPF_OP(in->code), in->k, 0);
		in->jt = follow(th, in->jt, f->acc, kt);
		in->jf = follow(th, in->jf, f->acc, kf);
	}
}

/* Drop unreachable instructions and loads of the word already held. */
static int compact(struct thread *th)
{
	struct cprog *c = th->c;
	size_t *map = malloc((c->n + 1) * sizeof(*map));
	uint8_t *live = calloc(c->n + 1, 1);
	size_t n = 0;

	if (!map || !live) {
		free(map);
		free(live);
		return -ENOMEM;
	}
	live[0] = 1;
	for (size_t i = 0; i < c->n; i++) {
		const struct cinsn *in = &c->v[i];

		if (!live[i])
			continue;
		if (!is_jump(in->code)) {
			live[i + 1] = 1;
			continue;
		}
		if (!c->l[in->jt].is_ret)
			live[c->l[in->jt].pos] = 1;
		if (BPF_OP(in->code) != BPF_JA && !c->l[in->jf].is_ret)
			live[c->l[in->jf].pos] = 1;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct cinsn *in = &c->v[i];
		int redundant = BPF_CLASS(in->code) == BPF_LD && th->f[i].reached &&
				th->f[i].acc == ACC(in->k, FULL32);

		map[i] = n;
		if (live[i] && !redundant)
			c->v[n++] = *in;
	}
	map[c->n] = n;
	for (size_t i = 0; i < c->nl; i++)
		if (!c->l[i].is_ret && c->l[i].pos >= 0)
			c->l[i].pos = (int)map[c->l[i].pos];
	c->n = n;
	free(map);
	free(live);
	return 0;
}

static int args_optimise(struct cprog *c)
{
	struct thread th = { .c = c };
	int rc = -ENOMEM;

	if (!c->n)
		return 0;
	th.f = malloc((c->n + 1) * sizeof(*th.f));
	th.at = malloc((c->n + 1) * sizeof(*th.at));
	if (!th.f || !th.at)
		goto out;
	for (size_t i = 0; i <= c->n; i++)
		th.at[i] = -1;
	for (size_t i = 0; i < c->nl; i++)
		if (!c->l[i].is_ret && c->l[i].pos >= 0)
			th.at[c->l[i].pos] = (int)i;
	flow(&th);
	thread_jumps(&th);
	flow(&th);
	rc = compact(&th);
out:
	free(th.f);
	free(th.at);
	return rc;
}
