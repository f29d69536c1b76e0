/* The compiler: policy model -> seccomp BPF.
 *
 * Layout of the program it emits:
 *   ld [arch]; one jeq per token; mismatch -> ret badarch
 *   per token: ld [nr]; a binary tree of jge over intervals of syscall
 *   numbers with one constant outcome each (the x86_64 token's x32 half is
 *   just more intervals), single numbers inside an interval tested by jeq;
 *   the tree leans towards the calls the policy allows (or the caller's
 *   weights) within one level of the balanced depth; leaves are `ret` for
 *   syscalls whose action does not depend on arguments (so the kernel's
 *   action cache can decide them: only ld [0], ld [4], jeq/jge/jgt/jset #k,
 *   ja, and ret on those paths) and argument-checking blocks for the others.
 *   64-bit argument comparisons load high and low words separately; a set
 *   of values that ends a block checks the high word last, in a tail the
 *   blocks share.
 *   Jumps longer than 255 get `ja` trampolines; programs over 4096
 *   instructions are an error. */
#ifndef MUZZLE_COMPILE_H
#define MUZZLE_COMPILE_H

#include "bpf/bpf.h"
#include "policy/policy.h"

struct compile_options {
	/* per syscall id weights for ordering the tree (NULL: 1 for each call
	 * the policy does not leave to its default action, 0 otherwise) */
	const uint32_t *weights;
	int no_badarch_check;	/* never set by default; for tests only */
};

struct compile_stats {
	size_t insns;
	unsigned abis;
	unsigned intervals[ARCH_COUNT];	/* constant-outcome intervals per ABI */
	/* Added for the tests and `muzzle compile --stats`: */
	unsigned tokens;		/* arch tokens dispatched on (x86_64 and x32 share one) */
	unsigned token_intervals[ARCH_COUNT];	/* L: leaves of the tree the ABI's token uses */
	/* Longest path (instructions executed) the layout aims at for a call of
	 * this ABI whose action does not depend on arguments:
	 * ld arch + jeq (its place in the dispatch chain) + ld nr + ceil(log2 L)
	 * + ret, i.e. 4 + ceil(log2 L) for the first token.  The default
	 * weighting spends at most 1 over it where the tree is one chunk, and
	 * long-jump trampolines may add 1 where it is not; the tests allow 1.
	 * With the caller's weights the tree is unbalanced as far as they ask
	 * (inside each 255-insn chunk) and cold syscalls may take longer. */
	unsigned path_bound[ARCH_COUNT];
};

/* 0 or a negative errno with err filled (e.g. -E2BIG past 4096 insns).
 * opts and stats may be NULL. out must be initialised (bpf_prog_init). */
int compile_policy(const struct policy *p, const struct compile_options *opts,
		   struct bpf_prog *out, struct compile_stats *stats,
		   struct muzzle_error *err);

#endif
