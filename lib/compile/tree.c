/* The program's shape: arch dispatch, then per token a search tree over
 * the intervals of syscall numbers.
 *
 * The tree's leaves are intervals, or an interval with one or two single
 * numbers inside tested by jeq ("X, one number, X" costs one compare where a
 * range tree spends two).  Its splits put the calls the policy allows (or the
 * caller's weights) near the root, within one level of the balanced tree's
 * depth, so no path is longer than the bound the tests hold it to.
 *
 * Trees are cut into chunks small enough that every jump inside reaches the
 * end of the chunk; each chunk ends with a pool holding one `ret` per action
 * its leaves return (and the high-word checks argument blocks share), so a
 * constant leaf costs no instruction of its own and every path still ends in
 * one `ret` reached directly by its last compare.  Argument blocks used once
 * sit inside the tree where their interval is; blocks used by several
 * intervals (or ABIs) are emitted once after the last section that needs
 * them. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "compile/internal.h"

/* a chunk whose every instruction can reach its last, and which a jump over
 * it can clear: offsets are 8 bits */
#define CHUNK_LIMIT 255
/* leaves a chunk of constant leaves holds (compares + a few pooled rets) */
#define CHUNK_LEAVES 248
#define MAX_COST 40
/* blocks this small are cheaper copied than jumped to */
#define SHARE_MIN 3

struct pool {
	uint32_t *act;
	int *lab;
	size_t n, cap;
	struct ptail *tail;	/* shared high-word checks, before the rets */
	size_t ntail, tcap;
};

struct ptail {
	const struct clabel *key;	/* a block's tail label */
	int lab, ok, fail;
};

#define MAX_POINTS 2

struct tleaf {
	uint32_t lo;		/* first number (the leaves are sorted by it) */
	int out;		/* outcome of every number not a point */
	unsigned npt;
	uint32_t pt[MAX_POINTS];
	int pt_out[MAX_POINTS];
};

struct tleaves {
	struct tleaf *v;
	size_t n;
};

struct temit {
	struct lowered *lw;
	struct cprog *c;
	const struct section *s;
	const struct tleaves *lv;	/* the section's leaves */
	const uint32_t *weights;	/* per syscall id, or NULL */
	uint32_t deflt;			/* the policy's default action */
	uint64_t *wsum, *ssum;		/* prefix sums of leaf weights and slots */
	uint64_t *ext;			/* scratch for split_budget */
	int rc;
};

static void set_rc(struct temit *t, int rc)
{
	if (rc < 0 && !t->rc)
		t->rc = rc;
}

static int new_label(struct temit *t)
{
	int l = cprog_label(t->c);

	set_rc(t, l);
	return l < 0 ? 0 : l;
}

static void emit(struct temit *t, uint16_t code, uint32_t k, int jt, int jf)
{
	set_rc(t, cprog_emit(t->c, code, k, jt, jf));
}

static int pool_label(struct temit *t, struct pool *p, uint32_t action)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->act[i] == action)
			return p->lab[i];
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		uint32_t *a = realloc(p->act, cap * sizeof(*a));
		int *l;

		if (a)
			p->act = a;
		l = a ? realloc(p->lab, cap * sizeof(*l)) : NULL;
		if (!l) {
			set_rc(t, -ENOMEM);
			return 0;
		}
		p->lab = l;
		p->cap = cap;
	}
	p->act[p->n] = action;
	p->lab[p->n] = new_label(t);
	return p->lab[p->n++];
}

static int same_tail(const struct clabel *a, const struct clabel *b)
{
	return a->tail_off == b->tail_off && a->tail_k == b->tail_k && a->action == b->action &&
	       a->tail_fail == b->tail_fail;
}

static int pool_tail(struct temit *t, struct pool *p, const struct clabel *key)
{
	struct ptail *e;

	for (size_t i = 0; i < p->ntail; i++)
		if (same_tail(p->tail[i].key, key))
			return p->tail[i].lab;
	if (p->ntail == p->tcap) {
		size_t cap = p->tcap ? p->tcap * 2 : 4;
		struct ptail *n = realloc(p->tail, cap * sizeof(*n));

		if (!n) {
			set_rc(t, -ENOMEM);
			return 0;
		}
		p->tail = n;
		p->tcap = cap;
	}
	e = &p->tail[p->ntail++];
	e->key = key;
	e->lab = new_label(t);
	e->ok = pool_label(t, p, key->action);
	e->fail = pool_label(t, p, key->tail_fail);
	return e->lab;
}

/* the pool's tails, then its `ret`s, where their labels point */
static void pool_emit(struct temit *t, struct pool *p)
{
	for (size_t i = 0; i < p->ntail && !t->rc; i++) {
		cprog_place(t->c, p->tail[i].lab);
		emit(t, BPF_LD | BPF_W | BPF_ABS, p->tail[i].key->tail_off, -1, -1);
		emit(t, BPF_JMP | BPF_JEQ | BPF_K, p->tail[i].key->tail_k, p->tail[i].ok,
		     p->tail[i].fail);
	}
	for (size_t i = 0; i < p->n && !t->rc; i++) {
		cprog_place(t->c, p->lab[i]);
		emit(t, BPF_RET | BPF_K, p->act[i], -1, -1);
	}
	free(p->act);
	free(p->lab);
	free(p->tail);
	memset(p, 0, sizeof(*p));
}

/* Copy an argument block here; its returns go to the pool.  Entry label. */
static int splice(struct temit *t, const struct outcome *o, struct pool *p)
{
	const struct cprog *b = &o->blk;
	size_t base = t->c->n;
	int *map = malloc((b->nl ? b->nl : 1) * sizeof(*map));
	int entry = new_label(t);

	if (!map) {
		set_rc(t, -ENOMEM);
		return 0;
	}
	cprog_place(t->c, entry);
	for (size_t i = 0; i < b->nl && !t->rc; i++) {
		if (b->l[i].tail) {
			map[i] = pool_tail(t, p, &b->l[i]);
		} else if (b->l[i].is_ret) {
			map[i] = pool_label(t, p, b->l[i].action);
		} else {
			map[i] = new_label(t);
			if (!t->rc)
				t->c->l[map[i]].pos = (int)(base + (size_t)b->l[i].pos);
		}
	}
	for (size_t i = 0; i < b->n && !t->rc; i++) {
		const struct cinsn *in = &b->v[i];
		int jmp = BPF_CLASS(in->code) == BPF_JMP, ja = jmp && BPF_OP(in->code) == BPF_JA;

		emit(t, in->code, in->k, jmp ? map[in->jt] : -1, jmp && !ja ? map[in->jf] : -1);
	}
	free(map);
	return entry;
}

/* --- leaves ------------------------------------------------------------------
 * A leaf covers the numbers from its lo up to the next leaf's lo.  They all
 * lead to one outcome except up to MAX_POINTS single numbers, each tested by
 * a jeq in front: "X, one number, X" costs one compare instead of the two a
 * range tree spends on its edges.  A leaf of p points spans at least 2^p
 * intervals, so it never needs more depth than the intervals it replaces. */

static int iv_out(const struct section *s, size_t i)
{
	return s->iv[i].out;
}

/* interval i holds one number */
static int is_point(const struct section *s, size_t i)
{
	return i + 1 < s->n && s->iv[i + 1].lo == s->iv[i].lo + 1;
}

static int out_default(const struct temit *t, int out)
{
	const struct outcome *o = &t->lw->outs.v[out];

	return !o->nent && o->fallback == t->deflt;
}

/* The leaf starting at interval i; returns how many intervals it spans.
 * Its outcome X pays for every jeq in front, so a leaf whose X is not the
 * default action (calls programs make) takes one point, and only one with X
 * on both sides, where the jeq saves a compare; a leaf of denied numbers
 * takes up to MAX_POINTS anywhere. */
static size_t leaf_make(const struct temit *t, const struct section *s, size_t i,
			struct tleaf *lf)
{
	size_t j, stop[MAX_POINTS + 1];
	unsigned k = 0, max;
	int x = iv_out(s, i);

	if (is_point(s, i) && out_default(t, iv_out(s, i + 1)))
		x = iv_out(s, i + 1);
	max = out_default(t, x) ? MAX_POINTS : 1;
	lf->lo = s->iv[i].lo;
	lf->out = x;
	for (j = i; j < s->n; j++) {
		if (iv_out(s, j) == x)
			continue;
		if (!is_point(s, j))
			break;
		stop[k] = j;	/* a leaf of k points could end here */
		if (k == max)
			break;
		lf->pt[k] = s->iv[j].lo;
		lf->pt_out[k] = iv_out(s, j);
		k++;
	}
	stop[k] = j;
	if (k && !out_default(t, x) && stop[k] == stop[k - 1] + 1)
		k--;	/* the point ends the leaf: no compare saved */
	while (k && stop[k] - i < (1u << k))
		k--;
	lf->npt = k;
	if (stop[k] == i) {	/* a point that starts a run of points */
		lf->out = iv_out(s, i);
		return 1;
	}
	return stop[k] - i;
}

static int section_leaves(const struct temit *t, const struct section *s, struct tleaves *tl)
{
	tl->v = malloc(s->n * sizeof(*tl->v));
	tl->n = 0;
	if (!tl->v)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; tl->n++)
		i += leaf_make(t, s, i, &tl->v[tl->n]);
	return 0;
}

static unsigned leaf_slots(const struct tleaf *lf)
{
	return 1u << lf->npt;
}

/* Add the weights of the ABI's calls to their leaves: the calls in number
 * order, walked alongside the sorted intervals and leaves. */
static void abi_weights(struct temit *t, enum arch_id abi, uint64_t *w)
{
	const struct tleaves *tl = t->lv;
	const struct section *s = t->s;
	size_t li = 0, ii = 0;
	int n = arch_syscall_sorted_count(abi);

	for (int k = 0; k < n; k++) {
		int id = arch_syscall_sorted_id(abi, k);
		uint32_t nr = (uint32_t)arch_syscall_nr(abi, id);

		while (li + 1 < tl->n && tl->v[li + 1].lo <= nr)
			li++;
		while (ii + 1 < s->n && s->iv[ii + 1].lo <= nr)
			ii++;
		w[li + 1] += t->weights ? t->weights[id] : !out_default(t, s->iv[ii].out);
	}
}

/* Prefix sums over the leaves: weights (wsum) and slots (ssum).  Without
 * the caller's weights a call counts 1 unless the policy leaves it to the
 * default action: the calls programs make. */
static int section_sums(struct temit *t)
{
	const struct tleaves *tl = t->lv;
	size_t n1 = tl->n + 1;
	uint64_t *w = calloc(4 * n1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	t->wsum = w;
	t->ssum = w + n1;
	t->ext = w + 2 * n1;
	for (int abi = 0; abi < ARCH_COUNT; abi++)
		if (t->s->abis & ARCH_MASK(abi))
			abi_weights(t, (enum arch_id)abi, w);
	for (size_t i = 0; i < tl->n; i++) {
		w[i + 1] += w[i];
		t->ssum[i + 1] = t->ssum[i] + leaf_slots(&tl->v[i]);
	}
	return 0;
}

/* What a chunk's pool will hold, to size the chunk. */
struct tally {
	uint32_t act[CHUNK_LIMIT + 1];
	const struct clabel *tail[CHUNK_LIMIT + 1];
	size_t nact, ntail, size;
};

static void tally_action(struct tally *y, uint32_t a)
{
	for (size_t i = 0; i < y->nact; i++)
		if (y->act[i] == a)
			return;
	if (y->nact <= CHUNK_LIMIT)
		y->act[y->nact++] = a;
	y->size++;
}

static void tally_label(struct tally *y, const struct clabel *l)
{
	if (l->tail) {
		for (size_t i = 0; i < y->ntail; i++)
			if (same_tail(y->tail[i], l))
				return;
		if (y->ntail <= CHUNK_LIMIT)
			y->tail[y->ntail++] = l;
		y->size += 2;
		tally_action(y, l->tail_fail);
	}
	tally_action(y, l->action);
}

static void tally_out(const struct temit *t, int out, struct tally *y)
{
	const struct outcome *o = &t->lw->outs.v[out];

	if (!o->nent) {
		tally_action(y, o->fallback);
		return;
	}
	if (o->shared)
		return;
	y->size += o->blk.n;
	for (size_t j = 0; j < o->blk.nl; j++)
		if (o->blk.l[j].is_ret)
			tally_label(y, &o->blk.l[j]);
}

/* Instructions the subtree over leaves [lo, hi) needs as a chunk of its
 * own (compares, copied blocks, pool); stops counting past CHUNK_LIMIT. */
static size_t chunk_size(const struct temit *t, size_t lo, size_t hi)
{
	struct tally y;

	y.nact = y.ntail = 0;
	y.size = hi - lo - 1;
	for (size_t i = lo; i < hi && y.size <= CHUNK_LIMIT; i++) {
		const struct tleaf *lf = &t->lv->v[i];

		y.size += lf->npt;
		tally_out(t, lf->out, &y);
		for (unsigned k = 0; k < lf->npt; k++)
			tally_out(t, lf->pt_out[k], &y);
	}
	return y.size;
}

/* Where outcome out starts: a pooled `ret`, the shared copy, or a copy of
 * its block emitted here. */
static int out_label(struct temit *t, int out, struct pool *p)
{
	const struct outcome *o = &t->lw->outs.v[out];

	if (!o->nent)
		return pool_label(t, p, o->fallback);
	if (o->shared)
		return o->label;
	return splice(t, o, p);
}

static int leaf(struct temit *t, size_t i, struct pool *p)
{
	const struct tleaf *lf = &t->lv->v[i];
	int next[MAX_POINTS], at[MAX_POINTS], x;

	if (!lf->npt)
		return out_label(t, lf->out, p);
	for (unsigned k = 0; k < lf->npt; k++) {
		next[k] = new_label(t);
		cprog_place(t->c, next[k]);
		at[k] = (int)t->c->n;
		emit(t, BPF_JMP | BPF_JEQ | BPF_K, lf->pt[k], -1, -1);
	}
	x = out_label(t, lf->out, p);
	for (unsigned k = 0; k < lf->npt; k++) {
		int l = out_label(t, lf->pt_out[k], p);

		if (t->rc)
			break;
		t->c->v[at[k]].jt = l;
		t->c->v[at[k]].jf = k + 1 < lf->npt ? next[k + 1] : x;
	}
	return next[0];
}

/* Leaves a tree of path cost <= c (compares plus trampolines) can have, for
 * constant leaves.  A node whose near half fits in a chunk reaches its far
 * half directly; over a bigger near half the far path pays one `ja`. */
static size_t capacity(int c)
{
	size_t cap[MAX_COST + 1];

	cap[0] = 1;
	for (int i = 1; i <= c && i <= MAX_COST; i++) {
		size_t small = (size_t)1 << (i - 1) < CHUNK_LEAVES ? (size_t)1 << (i - 1)
								   : CHUNK_LEAVES;
		size_t a = small + cap[i - 1], b = cap[i - 1] + (i >= 2 ? cap[i - 2] : 0);

		cap[i] = a > b ? a : b;
	}
	return cap[c < MAX_COST ? c : MAX_COST];
}

static int min_cost(size_t n)
{
	int c = 0;

	while (c < MAX_COST && capacity(c) < n)
		c++;
	return c;
}

/* The most leaves m from lo, 1 <= m <= max, for which fits(lo, lo + m,
 * arg) holds; it must hold for fewer whenever it holds for more. */
static size_t most_leaves(const struct temit *t, size_t lo, size_t max,
			  int (*fits)(const struct temit *, size_t, size_t, uint64_t),
			  uint64_t arg)
{
	size_t a = 1, b = max;

	while (a < b) {
		size_t m = a + (b - a + 1) / 2;

		if (fits(t, lo, lo + m, arg))
			a = m;
		else
			b = m - 1;
	}
	return a;
}

static int fits_chunk(const struct temit *t, size_t lo, size_t hi, uint64_t unused)
{
	(void)unused;
	return chunk_size(t, lo, hi) <= CHUNK_LIMIT;
}

/* A leaf of p points needs p levels below it: it counts as 2^p slots of a
 * balanced tree. */
static uint64_t slots(const struct temit *t, size_t lo, size_t hi)
{
	return t->ssum[hi] - t->ssum[lo];
}

static int fits_slots(const struct temit *t, size_t lo, size_t hi, uint64_t s)
{
	return slots(t, lo, hi) <= s;
}

/* most leaves from lo, fewer than hi - lo and at least 1, within s slots */
static size_t leaves_within(const struct temit *t, size_t lo, size_t hi, uint64_t s)
{
	return most_leaves(t, lo, hi - lo - 1, fits_slots, s);
}

/* Where to split [lo, hi) too big for one chunk, for path cost <= cost;
 * sets the budgets of the halves. */
static size_t split_big(const struct temit *t, size_t lo, size_t hi, int cost,
			int *lcost, int *rcost)
{
	uint64_t n = slots(t, lo, hi);
	size_t s;

	if (cost < 1 || capacity(cost) < n)
		cost = min_cost(n);
	*lcost = *rcost = cost - 1;
	s = most_leaves(t, lo, leaves_within(t, lo, hi, cost - 1 < 30 ? (uint64_t)1 << (cost - 1) : n),
			fits_chunk, 0);
	/* near half one chunk: the far half is reached without a trampoline */
	if (slots(t, lo + s, hi) <= capacity(cost - 1))
		return lo + s;
	/* both big: the far half pays a `ja`, so it gets the smaller budget */
	*rcost = cost - 2;
	s = leaves_within(t, lo, hi, capacity(cost - 1));
	if (slots(t, lo + s, hi) <= capacity(cost - 2))
		return lo + s;
	*lcost = *rcost = -1;	/* estimates off (big argument blocks): balance */
	return lo + leaves_within(t, lo, hi, n / 2);
}

static unsigned ceil_log2(uint64_t n)
{
	unsigned b = 0;

	while (((uint64_t)1 << b) < n)
		b++;
	return b;
}

static uint64_t place(uint64_t at, uint64_t size)
{
	return ((at + size - 1) & ~(size - 1)) + size;
}

/* How many slots leaves [lo, hi) take when each sits aligned to its size,
 * as the leaves of a tree do (a leaf of 4 slots is a subtree of depth 2):
 * the range fits depth d exactly when this is at most 2^d. */
static uint64_t extent(const struct temit *t, size_t lo, size_t hi)
{
	uint64_t at = 0;

	for (size_t i = lo; i < hi; i++)
		at = place(at, leaf_slots(&t->lv->v[i]));
	return at;
}

/* The split of [lo, hi) that best halves the weight (hot calls end up near
 * the root) while both halves still fit depth *d - 1; *d grows when no split
 * does.  Balanced by slots where the weights do not decide. */
static size_t split_budget(const struct temit *t, size_t lo, size_t hi, int *d)
{
	const uint64_t *w = t->wsum;
	uint64_t *le = t->ext, *re = t->ext + (hi - lo + 1);

	le[0] = 0;	/* extents of [lo, m) and of [m, hi), placed from its end */
	for (size_t i = lo; i < hi; i++)
		le[i - lo + 1] = place(le[i - lo], leaf_slots(&t->lv->v[i]));
	re[hi - lo] = 0;
	for (size_t i = hi; i-- > lo;)
		re[i - lo] = place(re[i - lo + 1], leaf_slots(&t->lv->v[i]));
	for (;; (*d)++) {
		/* the caller's own weights may unbalance as far as they like */
		uint64_t cap = t->weights ? UINT64_MAX : *d >= 1 ? (uint64_t)1 << (*d - 1) : 0;
		uint64_t bw = UINT64_MAX, bs = UINT64_MAX;
		size_t best = 0;

		for (size_t m = lo + 1; m < hi; m++) {
			uint64_t sl = le[m - lo], sr = re[m - lo];
			uint64_t wl = w[m] - w[lo], wr = w[hi] - w[m];
			uint64_t dw = wl > wr ? wl - wr : wr - wl, ds = sl > sr ? sl - sr : sr - sl;

			if (sl > cap || sr > cap)
				continue;
			if (dw < bw || (dw == bw && ds < bs)) {
				best = m;
				bw = dw;
				bs = ds;
			}
		}
		if (best)
			return best;
	}
}

/* Emit the subtree over leaves [lo, hi); returns its entry label.
 * cost: the path budget the caller planned for it (-1: none). */
static int subtree(struct temit *t, size_t lo, size_t hi, struct pool *p, int cost)
{
	size_t mid;
	int self, at, l, r, lc = -1, rc = -1;

	if (t->rc)
		return 0;
	if (!p && (hi - lo == 1 || chunk_size(t, lo, hi) <= CHUNK_LIMIT)) {
		struct pool np = { 0 };
		int need = (int)ceil_log2(extent(t, lo, hi)), entry;

		entry = subtree(t, lo, hi, &np, cost > need ? cost : need);
		pool_emit(t, &np);
		return entry;
	}
	if (hi - lo == 1)
		return leaf(t, lo, p);
	if (p) {	/* inside a chunk every jump reaches */
		mid = split_budget(t, lo, hi, &cost);
		lc = rc = cost - 1;
	} else {
		mid = split_big(t, lo, hi, cost, &lc, &rc);
	}
	self = new_label(t);
	cprog_place(t->c, self);
	at = (int)t->c->n;
	emit(t, BPF_JMP | BPF_JGE | BPF_K, t->lv->v[mid].lo, -1, -1);
	l = subtree(t, lo, mid, p, lc);
	r = subtree(t, mid, hi, p, rc);
	if (!t->rc) {
		t->c->v[at].jt = r;
		t->c->v[at].jf = l;
	}
	return self;
}

static void emit_shared(struct temit *t, int sect)
{
	for (size_t i = 0; i < t->lw->outs.n && !t->rc; i++) {
		const struct outcome *o = &t->lw->outs.v[i];
		struct pool p = { 0 };
		int entry;

		if (!o->shared || o->last_sect != sect)
			continue;
		entry = splice(t, o, &p);
		/* the block's first instruction is where references jump */
		if (!t->rc)
			t->c->l[o->label].pos = t->c->l[entry].pos;
		pool_emit(t, &p);
	}
}

/* The path budget of a section's tree.  The target allows one instruction
 * over the balanced tree's depth; spent on weight, it shortens the calls
 * programs make by more than it lengthens the denied ones.  Only where the
 * tree is one chunk: across chunks the trampolines may need that one. */
static int top_budget(const struct temit *t)
{
	size_t n = t->lv->n;

	if (t->weights || chunk_size(t, 0, n) > CHUNK_LIMIT)
		return -1;
	return (int)ceil_log2(extent(t, 0, n)) + 1;
}

static void emit_section(struct temit *t, int sect, const struct tleaves *lv, int entry_label)
{
	const struct section *s = &t->lw->sect[sect];

	t->s = s;
	t->lv = lv;
	if (entry_label >= 0)
		cprog_place(t->c, entry_label);
	if (lv->n == 1 && !lv->v[0].npt) {
		const struct tleaf *lf = &lv->v[0];
		const struct outcome *o = &t->lw->outs.v[lf->out];

		if (!o->nent) {
			emit(t, BPF_RET | BPF_K, o->fallback, -1, -1);
		} else if (o->shared) {
			emit(t, BPF_JMP | BPF_JA, 0, o->label, -1);
		} else {
			struct pool p = { 0 };

			splice(t, o, &p);
			pool_emit(t, &p);
		}
	} else {
		set_rc(t, section_sums(t));
		emit(t, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), -1, -1);
		if (!t->rc)
			subtree(t, 0, lv->n, NULL, top_budget(t));
		free(t->wsum);
		t->wsum = t->ssum = t->ext = NULL;
	}
	emit_shared(t, sect);
}

static void count_use(struct lowered *lw, int out, int sect)
{
	lw->outs.v[out].uses++;
	lw->outs.v[out].last_sect = sect;
}

/* Count leaf uses, build blocks, choose which are shared. */
static int prepare(struct lowered *lw, const struct tleaves *lv, struct cprog *c)
{
	for (size_t si = 0; si < lw->nsect; si++)
		for (size_t i = 0; i < lv[si].n; i++) {
			const struct tleaf *lf = &lv[si].v[i];

			count_use(lw, lf->out, (int)si);
			for (unsigned k = 0; k < lf->npt; k++)
				count_use(lw, lf->pt_out[k], (int)si);
		}
	for (size_t i = 0; i < lw->outs.n; i++) {
		struct outcome *o = &lw->outs.v[i];
		int rc;

		if (!o->nent || !o->uses)
			continue;
		rc = args_build(o);
		if (rc)
			return rc;
		o->shared = o->uses > 1 && o->blk.n >= SHARE_MIN;
		if (o->shared) {
			o->label = cprog_label(c);
			if (o->label < 0)
				return o->label;
		}
	}
	return 0;
}

/* A tree over n leaves needs n - 1 compares and one per point whatever
 * else happens: refuse hopeless policies before laying them out. */
static int too_big(const struct lowered *lw, const struct tleaves *lv, struct muzzle_error *err)
{
	size_t need = 2;

	for (size_t i = 0; i < lw->nsect; i++) {
		need += lv[i].n;
		for (size_t j = 0; j < lv[i].n; j++)
			need += lv[i].v[j].npt;
	}
	if (need <= BPF_MAX_INSNS)
		return 0;
	return muzzle_error_set(err, -E2BIG, NULL, 0, 0,
				"filter needs at least %zu instructions; the kernel allows %d",
				need, BPF_MAX_INSNS);
}

static void leaves_free(struct tleaves *lv, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lv[i].v);
}

static int emit_program(struct temit *t, const struct policy *p, const struct tree_opts *o,
			struct tleaves *lv)
{
	struct lowered *lw = t->lw;
	int labels[ARCH_COUNT];
	int rc = prepare(lw, lv, t->c);

	if (rc)
		return rc;
	if (!o->no_badarch_check) {
		emit(t, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), -1, -1);
		for (size_t i = 0; i < lw->nsect; i++) {
			int next = new_label(t);

			labels[i] = new_label(t);
			emit(t, BPF_JMP | BPF_JEQ | BPF_K, lw->sect[i].token, labels[i], next);
			if (!t->rc)
				cprog_place(t->c, next);
		}
		emit(t, BPF_RET | BPF_K, p->badarch_action, -1, -1);
	}
	for (size_t i = 0; i < lw->nsect && !t->rc; i++)
		emit_section(t, (int)i, &lv[i], o->no_badarch_check ? -1 : labels[i]);
	return t->rc;
}

int tree_emit_program(const struct policy *p, struct lowered *lw, const struct tree_opts *o,
		      struct cprog *c, struct muzzle_error *err)
{
	struct temit t = { .lw = lw, .c = c, .weights = o->weights, .deflt = p->default_action };
	struct tleaves lv[ARCH_COUNT] = { 0 };
	int rc = 0;

	if (o->no_badarch_check && lw->nsect != 1)
		return muzzle_error_set(err, -EINVAL, NULL, 0, 0,
					"no_badarch_check needs exactly one arch token");
	for (size_t i = 0; i < lw->nsect && !rc; i++)
		rc = section_leaves(&t, &lw->sect[i], &lv[i]);
	if (rc) {
		rc = muzzle_error_set(err, rc, NULL, 0, 0, "out of memory while compiling");
	} else {
		rc = too_big(lw, lv, err);
		if (!rc && emit_program(&t, p, o, lv))
			rc = muzzle_error_set(err, -ENOMEM, NULL, 0, 0, "out of memory while compiling");
	}
	leaves_free(lv, lw->nsect);
	return rc;
}
