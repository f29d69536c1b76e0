/* The label IR and its layout: label resolution, `ja` trampolines for
 * conditional jumps that cannot reach (8-bit offsets), and the size limit. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compile/internal.h"

void cprog_init(struct cprog *c)
{
	memset(c, 0, sizeof(*c));
}

void cprog_free(struct cprog *c)
{
	free(c->v);
	free(c->l);
	memset(c, 0, sizeof(*c));
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *n;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	n = realloc(*p, ncap * size);
	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = ncap;
	return 0;
}

int cprog_label(struct cprog *c)
{
	if (grow((void **)&c->l, &c->lcap, c->nl + 1, sizeof(*c->l)))
		return -ENOMEM;
	c->l[c->nl] = (struct clabel){ .pos = -1 };
	return (int)c->nl++;
}

int cprog_ret_label(struct cprog *c, uint32_t action)
{
	int id;

	/* blocks return few distinct actions: a linear search is enough */
	for (size_t i = 0; i < c->nl; i++)
		if (c->l[i].is_ret && !c->l[i].tail && c->l[i].action == action)
			return (int)i;
	id = cprog_label(c);
	if (id >= 0) {
		c->l[id].is_ret = 1;
		c->l[id].action = action;
	}
	return id;
}

int cprog_tail_label(struct cprog *c, uint32_t off, uint32_t k, uint32_t action, uint32_t fail)
{
	int id;

	for (size_t i = 0; i < c->nl; i++) {
		const struct clabel *l = &c->l[i];

		if (l->tail && l->tail_off == off && l->tail_k == k && l->action == action &&
		    l->tail_fail == fail)
			return (int)i;
	}
	id = cprog_label(c);
	if (id >= 0)
		c->l[id] = (struct clabel){ .pos = -1, .is_ret = 1, .action = action, .tail = 1,
					    .tail_off = off, .tail_k = k, .tail_fail = fail };
	return id;
}

void cprog_place(struct cprog *c, int label)
{
	c->l[label].pos = (int)c->n;
}

int cprog_emit(struct cprog *c, uint16_t code, uint32_t k, int jt, int jf)
{
	if (grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v)))
		return -ENOMEM;
	c->v[c->n] = (struct cinsn){ .code = code, .k = k, .jt = jt, .jf = jf };
	return (int)c->n++;
}

static int is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

static int is_ja(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) == BPF_JA;
}

/* A conditional jump that cannot reach its target (offsets are 8 bits)
 * goes through a `ja`: its own, placed right after it, or one a later jump
 * to the same target owns, when that one is within reach.  Sharing keeps a
 * long run of compares to one far target (a big value set, a tree's ret
 * pool) from paying an instruction each. */
struct layout {
	const struct cprog *c;
	uint8_t *tr;		/* per insn: bit 0 own jt trampoline, bit 1 own jf */
	int *via;		/* per insn and branch: owner * 2 + branch, or -1 */
	size_t *pos;		/* final index of each IR insn (n + 1 entries) */
	size_t *near;		/* per label: nearest trampoline to it, walking back */
};

static size_t target_pos(const struct layout *lo, int label)
{
	return lo->pos[lo->c->l[label].pos];
}

static void compute_pos(struct layout *lo)
{
	size_t at = 0;

	for (size_t i = 0; i < lo->c->n; i++) {
		lo->pos[i] = at;
		at += 1 + (lo->tr[i] & 1) + ((lo->tr[i] >> 1) & 1);
	}
	lo->pos[lo->c->n] = at;
}

/* where the trampoline of insn i for branch b (0 jt, 1 jf) is */
static size_t tramp_pos(const struct layout *lo, size_t i, int b)
{
	return lo->pos[i] + 1 + (b && (lo->tr[i] & 1));
}

/* Route branch b of jump i (target label l); 1 if it needed a trampoline
 * of its own that it did not have. */
static int route(struct layout *lo, size_t i, int b, int l)
{
	size_t from = lo->pos[i] + 1;

	lo->via[2 * i + b] = -1;
	if (lo->tr[i] & (1 << b)) {
		lo->near[l] = 2 * i + (size_t)b;
		return 0;
	}
	if (target_pos(lo, l) - from <= 255)
		return 0;
	if (lo->near[l] != SIZE_MAX &&
	    tramp_pos(lo, lo->near[l] / 2, (int)(lo->near[l] % 2)) - from <= 255) {
		lo->via[2 * i + b] = (int)lo->near[l];
		return 0;
	}
	lo->tr[i] |= (uint8_t)(1 << b);
	lo->near[l] = 2 * i + (size_t)b;
	return 1;
}

/* One pass from the end (a trampoline can only serve jumps before it);
 * 1 if a trampoline was added.  Trampolines are only ever added, so
 * repeating this after recomputing positions reaches a fixed point. */
static int mark_far(struct layout *lo)
{
	int changed = 0;

	for (size_t l = 0; l < lo->c->nl; l++)
		lo->near[l] = SIZE_MAX;
	for (size_t i = lo->c->n; i-- > 0;) {
		const struct cinsn *in = &lo->c->v[i];

		if (!is_cond_jump(in->code))
			continue;
		/* jf first: its trampoline sits after jt's */
		changed |= route(lo, i, 1, in->jf);
		changed |= route(lo, i, 0, in->jt);
	}
	return changed;
}

static int check_labels(const struct cprog *c, struct muzzle_error *err)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct cinsn *in = &c->v[i];
		int nt = is_cond_jump(in->code) ? 2 : is_ja(in->code) ? 1 : 0;
		int t[2] = { in->jt, in->jf };

		for (int j = 0; j < nt; j++) {
			int p = (t[j] >= 0 && (size_t)t[j] < c->nl) ? c->l[t[j]].pos : -1;

			/* forward only: BPF cannot jump backwards */
			if (p <= (int)i || (size_t)p >= c->n)
				return muzzle_error_set(err, -EINVAL, NULL, 0, 0,
							"compiler: bad jump target at %zu", i);
		}
	}
	return 0;
}

/* the offset branch b of jump i takes */
static size_t branch_off(const struct layout *lo, size_t i, int b, int l)
{
	size_t from = lo->pos[i] + 1;
	int v = lo->via[2 * i + b];

	if (lo->tr[i] & (1 << b))
		return tramp_pos(lo, i, b) - from;
	if (v >= 0)
		return tramp_pos(lo, (size_t)v / 2, v % 2) - from;
	return target_pos(lo, l) - from;
}

static int emit_all(const struct layout *lo, struct bpf_prog *out)
{
	const struct cprog *c = lo->c;

	for (size_t i = 0; i < c->n; i++) {
		const struct cinsn *in = &c->v[i];
		size_t from = lo->pos[i] + 1;
		int rc;

		if (is_ja(in->code)) {
			rc = bpf_emit(out, in->code, 0, 0, (uint32_t)(target_pos(lo, in->jt) - from));
		} else if (is_cond_jump(in->code)) {
			rc = bpf_emit(out, in->code, (uint8_t)branch_off(lo, i, 0, in->jt),
				      (uint8_t)branch_off(lo, i, 1, in->jf), in->k);
			for (int b = 0; b < 2 && rc >= 0; b++) {
				if (!(lo->tr[i] & (1 << b)))
					continue;
				from = out->len + 1;
				rc = bpf_emit(out, BPF_JMP | BPF_JA, 0, 0, (uint32_t)
					      (target_pos(lo, b ? in->jf : in->jt) - from));
			}
		} else {
			rc = bpf_emit(out, in->code, 0, 0, in->k);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int cprog_layout(const struct cprog *c, struct bpf_prog *out, struct muzzle_error *err)
{
	struct layout lo = { .c = c };
	int rc;

	if (c->n > BPF_MAX_INSNS)
		return muzzle_error_set(err, -E2BIG, NULL, 0, 0,
					"filter needs %zu instructions; the kernel allows %d",
					c->n, BPF_MAX_INSNS);
	rc = check_labels(c, err);
	if (rc)
		return rc;
	lo.tr = calloc(c->n + 1, 1);
	lo.via = calloc(2 * c->n + 2, sizeof(*lo.via));
	lo.pos = calloc(c->n + 1, sizeof(*lo.pos));
	lo.near = calloc(c->nl + 1, sizeof(*lo.near));
	rc = -ENOMEM;
	if (!lo.tr || !lo.via || !lo.pos || !lo.near)
		goto out;
	do {
		compute_pos(&lo);
		if (lo.pos[c->n] > BPF_MAX_INSNS) {
			rc = muzzle_error_set(err, -E2BIG, NULL, 0, 0,
					      "filter needs %zu instructions with long-jump "
					      "trampolines; the kernel allows %d",
					      lo.pos[c->n], BPF_MAX_INSNS);
			goto out;
		}
	} while (mark_far(&lo));
	out->len = 0;
	rc = emit_all(&lo, out);
	if (rc < 0)
		muzzle_error_set(err, rc, NULL, 0, 0, "out of memory");
	else
		rc = 0;
out:
	free(lo.tr);
	free(lo.via);
	free(lo.pos);
	free(lo.near);
	return rc;
}
