/* Internals of the compiler, shared by its files:
 *   lower.c   policy -> per-ABI decision lists ("outcomes") and intervals
 *   args.c    one outcome -> an argument-checking block (label IR)
 *   tree.c    intervals -> search tree with pooled `ret`s, sections
 *   jumps.c   label IR -> sock_filter: offsets, `ja` trampolines, size limit
 *   compile.c compile_policy(): the driver and statistics */
#ifndef MUZZLE_COMPILE_INTERNAL_H
#define MUZZLE_COMPILE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "compile/compile.h"

/* --- label IR ------------------------------------------------------------
 * Instructions whose jump targets are label ids; a label is either placed at
 * an instruction index or (inside argument blocks) stands for "return this
 * action", resolved when the block is copied into the program. */
struct cinsn {
	uint16_t code;
	uint32_t k;
	int jt, jf;		/* label ids; ja uses jt */
};

struct clabel {
	int pos;		/* instruction index, -1 while unplaced */
	int is_ret;		/* block-local "ret action" label */
	uint32_t action;
	/* A "tail" is_ret label: `ld [tail_off]; jeq #tail_k` then `ret action`,
	 * else `ret tail_fail`.  Many blocks end in the same high-word check;
	 * the tree emits it once per chunk, next to the pooled rets. */
	int tail;
	uint32_t tail_off, tail_k, tail_fail;
};

struct cprog {
	struct cinsn *v;
	size_t n, cap;
	struct clabel *l;
	size_t nl, lcap;
};

void cprog_init(struct cprog *c);
void cprog_free(struct cprog *c);
int cprog_label(struct cprog *c);			/* new label id or -ENOMEM */
int cprog_ret_label(struct cprog *c, uint32_t action);	/* find or make */
int cprog_tail_label(struct cprog *c, uint32_t off, uint32_t k, uint32_t action,
		     uint32_t fail);				/* find or make */
void cprog_place(struct cprog *c, int label);		/* at the next insn */
int cprog_emit(struct cprog *c, uint16_t code, uint32_t k, int jt, int jf);

/* Resolve labels into out, adding `ja` trampolines for jumps over 255 until
 * the layout is stable.  -E2BIG past BPF_MAX_INSNS. */
int cprog_layout(const struct cprog *c, struct bpf_prog *out, struct muzzle_error *err);

/* --- lowering -------------------------------------------------------------- */
struct ccond {
	uint8_t arg, op;
	uint8_t pad[6];		/* zeroed: entries are compared with memcmp */
	uint64_t mask, datum;
};

/* one "if all conditions hold, return action" step of a decision list */
struct centry {
	uint32_t action;
	uint32_t ncond;
	struct ccond cond[POLICY_MAX_COND + 1];	/* +1: multiplexer guard */
};

/* What a syscall number leads to: a first-match decision list, then
 * `fallback`.  nent == 0 means the constant action `fallback`. */
struct outcome {
	uint32_t fallback;
	uint8_t width;		/* 32 or 64 for lists; 0 for constants */
	uint8_t be;
	size_t nent;
	struct centry *ent;
	uint64_t hash;
	/* code generation state */
	unsigned uses;		/* interval leaves referring to it */
	int last_sect;		/* last section that refers to it */
	int built;
	struct cprog blk;	/* argument block, built once */
	int shared;		/* emitted once, jumped to */
	int label;		/* entry label of the shared copy */
};

struct outcomes {
	struct outcome *v;
	size_t n, cap;
	int *ht;		/* open addressing, -1 empty */
	size_t htcap;
};

struct interval {
	uint32_t lo;		/* up to the next interval's lo - 1, or 0xffffffff */
	int out;		/* index into outcomes */
};

struct section {
	uint32_t token;
	uint32_t abis;		/* ARCH_MASK bits of the policy's ABIs on this token */
	struct interval *iv;
	size_t n, cap;
};

struct lowered {
	struct outcomes outs;
	struct section sect[ARCH_COUNT];
	size_t nsect;
	unsigned abi_intervals[ARCH_COUNT];
};

int lower_policy(const struct policy *p, struct lowered *lw, struct muzzle_error *err);
void lowered_free(struct lowered *lw);

/* --- argument blocks -------------------------------------------------------- */
/* Build o->blk (idempotent). 0 or -ENOMEM. */
int args_build(struct outcome *o);

/* --- tree and sections ------------------------------------------------------- */
struct tree_opts {
	const uint32_t *weights;	/* per syscall id, may be NULL */
	int no_badarch_check;
};
int tree_emit_program(const struct policy *p, struct lowered *lw, const struct tree_opts *o,
		      struct cprog *c, struct muzzle_error *err);

#endif
