/* The program's shape: arch dispatch, then per token a balanced search tree
 * over the intervals of syscall numbers.
 *
 * Trees are cut into chunks small enough that every jump inside reaches the
 * end of the chunk; each chunk ends with a pool holding one `ret` per action
 * its leaves return, so a constant leaf costs no instruction of its own and
 * every path still ends in one `ret` reached directly by its last compare.
 * Argument blocks used once sit inside the tree where their interval is;
 * blocks used by several intervals (or ABIs) are emitted once after the last
 * section that needs them. */
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
};

struct temit {
	struct lowered *lw;
	struct cprog *c;
	const struct section *s;
	const uint32_t *weights;	/* per syscall id, or NULL */
	uint64_t *wsum;			/* prefix sums of interval weights, or NULL */
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

/* the pool's `ret`s, where its labels point */
static void pool_emit(struct temit *t, struct pool *p)
{
	for (size_t i = 0; i < p->n && !t->rc; i++) {
		cprog_place(t->c, p->lab[i]);
		emit(t, BPF_RET | BPF_K, p->act[i], -1, -1);
	}
	free(p->act);
	free(p->lab);
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
		if (b->l[i].is_ret) {
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

static const struct outcome *leaf_out(const struct temit *t, size_t i)
{
	return &t->lw->outs.v[t->s->iv[i].out];
}

static int note_action(uint32_t *seen, size_t *n, size_t cap, uint32_t a)
{
	for (size_t i = 0; i < *n; i++)
		if (seen[i] == a)
			return 0;
	if (*n < cap)
		seen[(*n)++] = a;
	return 1;
}

/* Instructions the subtree over intervals [lo, hi) needs as a chunk of its
 * own (compares, copied blocks, pool); stops counting past CHUNK_LIMIT. */
static size_t chunk_size(const struct temit *t, size_t lo, size_t hi)
{
	uint32_t seen[CHUNK_LIMIT + 1];
	size_t nseen = 0, size = hi - lo - 1;

	for (size_t i = lo; i < hi && size <= CHUNK_LIMIT; i++) {
		const struct outcome *o = leaf_out(t, i);

		if (!o->nent) {
			size += note_action(seen, &nseen, CHUNK_LIMIT + 1, o->fallback);
			continue;
		}
		if (o->shared)
			continue;
		size += o->blk.n;
		for (size_t j = 0; j < o->blk.nl; j++)
			if (o->blk.l[j].is_ret)
				size += note_action(seen, &nseen, CHUNK_LIMIT + 1,
						    o->blk.l[j].action);
	}
	return size;
}

static int leaf(struct temit *t, size_t i, struct pool *p)
{
	const struct outcome *o = leaf_out(t, i);

	if (!o->nent)
		return pool_label(t, p, o->fallback);
	if (o->shared)
		return o->label;
	return splice(t, o, p);
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

/* most leaves from lo (at most max) that fit one chunk */
static size_t fit_leaves(const struct temit *t, size_t lo, size_t max)
{
	size_t a = 1, b = max;

	while (a < b) {
		size_t m = a + (b - a + 1) / 2;

		if (chunk_size(t, lo, lo + m) <= CHUNK_LIMIT)
			a = m;
		else
			b = m - 1;
	}
	return a;
}

/* Where to split [lo, hi) too big for one chunk, for path cost <= *cost;
 * sets the budgets of the halves. */
static size_t split_big(const struct temit *t, size_t lo, size_t hi, int cost,
			int *lcost, int *rcost)
{
	size_t n = hi - lo, half, s;

	if (cost < 1 || capacity(cost) < n)
		cost = min_cost(n);
	*lcost = *rcost = cost - 1;
	half = cost - 1 < 30 ? (size_t)1 << (cost - 1) : n;
	s = fit_leaves(t, lo, half < n - 1 ? half : n - 1);
	/* near half one chunk: the far half is reached without a trampoline */
	if (n - s <= capacity(cost - 1))
		return lo + s;
	/* both big: the far half pays a `ja`, so it gets the smaller budget */
	*rcost = cost - 2;
	s = capacity(cost - 1);
	if (n - (s < n - 1 ? s : n - 1) <= capacity(cost - 2))
		return lo + (s < n - 1 ? s : n - 1);
	*lcost = *rcost = -1;	/* estimates off (big argument blocks): balance */
	return lo + n / 2;
}

/* The split of [lo, hi) that best halves the weight (hot syscalls end up
 * near the root); count-balanced when the range weighs nothing. */
static size_t split_weighted(const struct temit *t, size_t lo, size_t hi)
{
	const uint64_t *w = t->wsum;
	uint64_t total = w[hi] - w[lo], best_diff = UINT64_MAX;
	size_t best = lo + (hi - lo) / 2;

	if (!total)
		return best;
	for (size_t m = lo + 1; m < hi; m++) {
		uint64_t left = w[m] - w[lo], right = total - left;
		uint64_t diff = left > right ? left - right : right - left;

		if (diff < best_diff) {
			best_diff = diff;
			best = m;
		}
	}
	return best;
}

/* Prefix sums of the weights of the syscalls in each interval. */
static int section_weights(struct temit *t, const struct section *s)
{
	uint64_t *w = calloc(s->n + 1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	for (int abi = 0; abi < ARCH_COUNT; abi++) {
		if (!(s->abis & ARCH_MASK(abi)))
			continue;
		for (int id = 0; id < arch_syscall_count(); id++) {
			int32_t nr = arch_syscall_nr((enum arch_id)abi, id);
			size_t a = 0, b = s->n;

			if (nr == ARCH_NR_NONE || !t->weights[id])
				continue;
			while (b - a > 1) {	/* last interval starting at or below nr */
				size_t m = a + (b - a) / 2;

				if (s->iv[m].lo <= (uint32_t)nr)
					a = m;
				else
					b = m;
			}
			w[a + 1] += t->weights[id];
		}
	}
	for (size_t i = 0; i < s->n; i++)
		w[i + 1] += w[i];
	t->wsum = w;
	return 0;
}

/* Emit the subtree over intervals [lo, hi); returns its entry label.
 * cost: the path budget the caller planned for it (-1: none). */
static int subtree(struct temit *t, size_t lo, size_t hi, struct pool *p, int cost)
{
	size_t mid;
	int self, at, l, r, lc = -1, rc = -1;

	if (t->rc)
		return 0;
	if (!p && (hi - lo == 1 || chunk_size(t, lo, hi) <= CHUNK_LIMIT)) {
		struct pool np = { 0 };
		int entry = subtree(t, lo, hi, &np, -1);

		pool_emit(t, &np);
		return entry;
	}
	if (hi - lo == 1)
		return leaf(t, lo, p);
	/* inside a chunk every jump reaches: plain balance (by weight when
	 * given), the nearer (fall-through) half the smaller one */
	mid = !p ? split_big(t, lo, hi, cost, &lc, &rc) : t->wsum ? split_weighted(t, lo, hi)
							      : lo + (hi - lo) / 2;
	self = new_label(t);
	cprog_place(t->c, self);
	at = (int)t->c->n;
	emit(t, BPF_JMP | BPF_JGE | BPF_K, t->s->iv[mid].lo, -1, -1);
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

static void emit_section(struct temit *t, int sect, int entry_label)
{
	const struct section *s = &t->lw->sect[sect];

	t->s = s;
	if (entry_label >= 0)
		cprog_place(t->c, entry_label);
	if (s->n == 1) {
		const struct outcome *o = leaf_out(t, 0);

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
		if (t->weights)
			set_rc(t, section_weights(t, s));
		emit(t, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), -1, -1);
		subtree(t, 0, s->n, NULL, -1);
		free(t->wsum);
		t->wsum = NULL;
	}
	emit_shared(t, sect);
}

/* Count leaf uses, build blocks, choose which are shared. */
static int prepare(struct lowered *lw, struct cprog *c)
{
	for (size_t si = 0; si < lw->nsect; si++)
		for (size_t i = 0; i < lw->sect[si].n; i++) {
			struct outcome *o = &lw->outs.v[lw->sect[si].iv[i].out];

			o->uses++;
			o->last_sect = (int)si;
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

/* A tree over n intervals needs n - 1 compares whatever else happens: refuse
 * hopeless policies before laying them out. */
static int too_big(const struct lowered *lw, struct muzzle_error *err)
{
	size_t need = 2;

	for (size_t i = 0; i < lw->nsect; i++)
		need += lw->sect[i].n;
	if (need <= BPF_MAX_INSNS)
		return 0;
	return muzzle_error_set(err, -E2BIG, NULL, 0, 0,
				"filter needs at least %zu instructions; the kernel allows %d",
				need, BPF_MAX_INSNS);
}

int tree_emit_program(const struct policy *p, struct lowered *lw, const struct tree_opts *o,
		      struct cprog *c, struct muzzle_error *err)
{
	struct temit t = { .lw = lw, .c = c, .weights = o->weights };
	int labels[ARCH_COUNT];
	int rc;

	if (o->no_badarch_check && lw->nsect != 1)
		return muzzle_error_set(err, -EINVAL, NULL, 0, 0,
					"no_badarch_check needs exactly one arch token");
	rc = too_big(lw, err);
	if (rc)
		return rc;
	rc = prepare(lw, c);
	if (rc)
		return muzzle_error_set(err, rc, NULL, 0, 0, "out of memory while compiling");
	if (!o->no_badarch_check) {
		emit(&t, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), -1, -1);
		for (size_t i = 0; i < lw->nsect; i++) {
			int next = new_label(&t);

			labels[i] = new_label(&t);
			emit(&t, BPF_JMP | BPF_JEQ | BPF_K, lw->sect[i].token, labels[i], next);
			if (!t.rc)
				cprog_place(c, next);
		}
		emit(&t, BPF_RET | BPF_K, p->badarch_action, -1, -1);
	}
	for (size_t i = 0; i < lw->nsect && !t.rc; i++)
		emit_section(&t, (int)i, o->no_badarch_check ? -1 : labels[i]);
	if (t.rc)
		return muzzle_error_set(err, t.rc, NULL, 0, 0, "out of memory while compiling");
	return 0;
}
