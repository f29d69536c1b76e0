/* Semantic equivalence of two policies or filters.
 *
 * Each side is a policy (evaluated with policy_eval) or a BPF program (run
 * with bpf_run).  The checker enumerates, for every arch token either side
 * mentions (plus one token neither knows), every syscall number at and around
 * each constant either side compares nr with, and for each of those the
 * argument classes induced by the constants compared against each argument
 * word (boundaries k-1, k, k+1, mask-derived values, and a bounded random
 * sample when the product is large).  Within those classes the result is
 * exact for EQ/NE/LT/LE/GT/GE comparisons; masked comparisons are covered by
 * the derived values.
 *
 * A BPF side sees each input laid out as the call's ABI lays it out: for a
 * known ABI of the other byte order than the host, the 32-bit halves of
 * instruction_pointer and args[] are swapped before bpf_run (what that
 * ABI's kernel shows a filter).  Witnesses hold the values (as a policy
 * sees them). */
#ifndef MUZZLE_EQUIV_H
#define MUZZLE_EQUIV_H

#include <linux/seccomp.h>
#include "bpf/bpf.h"
#include "policy/policy.h"

struct equiv_side {
	const struct policy *policy;	/* exactly one of policy / prog is set */
	const struct sock_filter *prog;
	size_t prog_len;
};

struct equiv_result {
	int equal;			/* 1 if no difference was found */
	struct seccomp_data witness;	/* first differing input when !equal */
	uint32_t action_a, action_b;
	unsigned long inputs;		/* inputs compared */
};

/* 0 on a completed check (see res->equal), negative errno on failure. */
int equiv_check(const struct equiv_side *a, const struct equiv_side *b,
		struct equiv_result *res);

/* Every differing (abi, syscall) with one witness each, for `muzzle diff`:
 * calls cb for each; stops early if cb returns non-zero. */
typedef int (*equiv_diff_cb)(void *ctx, const struct seccomp_data *witness,
			     uint32_t action_a, uint32_t action_b);
int equiv_diff(const struct equiv_side *a, const struct equiv_side *b,
	       equiv_diff_cb cb, void *ctx);

#endif
