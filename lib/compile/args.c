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

static int ret_label(struct gen *g, uint32_t action)
{
	int l = cprog_ret_label(g->c, action);

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

int args_build(struct outcome *o)
{
	struct gen g = { .c = &o->blk, .be = o->be, .live = 1 };

	if (o->built)
		return 0;
	/* at block entry the accumulator holds the syscall number */
	g.acc = ACC(offsetof(struct seccomp_data, nr), FULL32);
	for (size_t i = 0; i < o->nent && !g.rc; i++) {
		int fail = i + 1 == o->nent ? ret_label(&g, o->fallback) : new_label(&g);

		gen_entry(&g, o, i, fail);
		if (i + 1 < o->nent && !g.rc)
			place(&g, fail);
	}
	free(g.lstate);
	o->built = !g.rc;
	return g.rc;
}
