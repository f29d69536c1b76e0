/* compile_policy(): validate, lower, lay out, and report statistics. */
#include <errno.h>
#include <string.h>

#include "compile/internal.h"

static unsigned ceil_log2(size_t n)
{
	unsigned b = 0;

	while (((size_t)1 << b) < n)
		b++;
	return b;
}

static void fill_stats(const struct policy *p, const struct lowered *lw, int no_badarch,
		       const struct bpf_prog *out, struct compile_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->insns = out->len;
	st->tokens = (unsigned)lw->nsect;
	for (size_t i = 0; i < lw->nsect; i++) {
		const struct section *s = &lw->sect[i];
		/* ld arch + i+1 jeqs, ld nr and ret; a one-leaf tree needs no ld nr */
		unsigned base = no_badarch ? 0 : 1 + (unsigned)i + 1;

		for (int id = 0; id < ARCH_COUNT; id++) {
			if (!(s->abis & ARCH_MASK(id)))
				continue;
			st->abis++;
			st->intervals[id] = lw->abi_intervals[id];
			st->token_intervals[id] = (unsigned)s->n;
			st->path_bound[id] = base + (s->n > 1) + ceil_log2(s->n) + 1;
		}
	}
	(void)p;
}

int compile_policy(const struct policy *p, const struct compile_options *opts,
		   struct bpf_prog *out, struct compile_stats *stats,
		   struct muzzle_error *err)
{
	struct tree_opts to = { 0 };
	struct lowered lw;
	struct cprog c;
	int rc;

	rc = policy_validate(p, err);
	if (rc)
		return rc;
	if (opts) {
		to.weights = opts->weights;
		to.no_badarch_check = opts->no_badarch_check;
	}
	cprog_init(&c);
	rc = lower_policy(p, &lw, err);
	if (!rc)
		rc = tree_emit_program(p, &lw, &to, &c, err);
	if (!rc)
		rc = cprog_layout(&c, out, err);
	if (!rc && stats)
		fill_stats(p, &lw, to.no_badarch_check, out, stats);
	cprog_free(&c);
	lowered_free(&lw);
	return rc;
}
