/* The policy model: what every front-end produces and the compiler consumes.
 *
 * Semantics (docs/semantics.md is the long form; policy_eval() is the
 * executable definition):
 *  - A call whose ABI is not in `arches` gets `badarch_action`.
 *  - Otherwise the rules that name the call's syscall (by id, or by raw number
 *    on that ABI) and apply to its ABI are consulted:
 *      * if any is unconditional, the FIRST unconditional one decides;
 *      * else among the conditional rules whose conditions all hold, the
 *        strictest action decides (policy_action_stricter), first added
 *        breaking ties;
 *      * else `default_action`.
 *  - Multiplexers: on ABIs with socketcall/ipc, a rule on a multiplexed call
 *    (socket, shmget, ...) also covers multiplexer(args[0] == SYS_X, ...)
 *    unless the rule is POLICY_RULE_EXACT.  Conditions cannot be checked
 *    through the multiplexer (its args are a pointer), so a conditional rule
 *    reached that way counts as matching when its action is stricter than the
 *    default and as not matching otherwise: fail closed.
 *  - Arguments: on 64-bit ABIs comparisons are unsigned 64-bit; on 32-bit
 *    ABIs only the low 32 bits of the argument, datum and mask take part (as
 *    libseccomp does).
 */
#ifndef MUZZLE_POLICY_H
#define MUZZLE_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "arch/arch.h"

/* Actions are the kernel's SECCOMP_RET_* values (action | data), the same
 * numbers libseccomp's SCMP_ACT_* macros produce. */
#define POLICY_ACT_KILL_PROCESS 0x80000000u
#define POLICY_ACT_KILL_THREAD  0x00000000u
#define POLICY_ACT_TRAP         0x00030000u
#define POLICY_ACT_ERRNO(e)     (0x00050000u | ((uint32_t)(e) & 0xffffu))
#define POLICY_ACT_USER_NOTIF   0x7fc00000u
#define POLICY_ACT_TRACE(m)     (0x7ff00000u | ((uint32_t)(m) & 0xffffu))
#define POLICY_ACT_LOG          0x7ffc0000u
#define POLICY_ACT_ALLOW        0x7fff0000u
#define POLICY_ACT_KIND(a)      ((a) & 0xffff0000u)
#define POLICY_ACT_DATA(a)      ((a) & 0x0000ffffu)

/* Comparison operators; 1..7 equal libseccomp's enum scmp_compare. */
enum policy_op {
	POLICY_OP_NE = 1,
	POLICY_OP_LT = 2,
	POLICY_OP_LE = 3,
	POLICY_OP_EQ = 4,
	POLICY_OP_GE = 5,
	POLICY_OP_GT = 6,
	POLICY_OP_MASKED_EQ = 7,	/* (arg & mask) == datum */
	POLICY_OP_MASKED_NE = 8,	/* (arg & mask) != datum; minijail "&", Kafel "!=" on a mask */
};

struct policy_cond {
	uint8_t arg;		/* 0..5 */
	uint8_t op;		/* enum policy_op */
	uint64_t mask;		/* MASKED_* only; ignored (keep ~0) otherwise */
	uint64_t datum;
};

#define POLICY_MAX_COND 16	/* a conjunction; the same arg may appear twice */

/* rule.sys values below 0 */
#define POLICY_SYS_NR (-1)	/* raw number in rule.nr, meaningful on rule.abis only */

enum policy_rule_flags {
	POLICY_RULE_EXACT = 1,	/* no multiplexer expansion (seccomp_rule_add_exact) */
};

struct policy_rule {
	uint32_t action;
	int sys;		/* syscall id (arch_syscall_id) or POLICY_SYS_NR */
	uint32_t nr;		/* seccomp_data.nr value when sys == POLICY_SYS_NR */
	uint32_t abis;		/* ARCH_MASK bits this rule applies to; 0 = every ABI */
	uint8_t flags;		/* enum policy_rule_flags */
	uint8_t ncond;
	struct policy_cond cond[POLICY_MAX_COND];
	struct muzzle_loc loc;	/* where the rule was written, for messages */
	const char *comment;	/* optional, owned by the policy (strdup'ed) */
};

/* Filter flags: SECCOMP_FILTER_FLAG_* values. */
#define POLICY_FLAG_TSYNC              (1u << 0)
#define POLICY_FLAG_LOG                (1u << 1)
#define POLICY_FLAG_SPEC_ALLOW         (1u << 2)
#define POLICY_FLAG_NEW_LISTENER       (1u << 3)
#define POLICY_FLAG_TSYNC_ESRCH        (1u << 4)
#define POLICY_FLAG_WAIT_KILLABLE_RECV (1u << 5)

struct policy {
	uint32_t default_action;
	uint32_t badarch_action;	/* default POLICY_ACT_KILL_THREAD, as libseccomp */
	uint32_t arches;		/* ARCH_MASK bits; 0 is invalid once compiled */
	uint32_t flags;			/* POLICY_FLAG_* for seccomp(2) */
	int no_new_privs;		/* set PR_SET_NO_NEW_PRIVS before loading (default 1) */
	int optimize;			/* hint only; the compiler always builds a tree */
	struct policy_rule *rules;
	size_t nrules, cap;
	/* data some formats carry and others must round-trip or refuse */
	char *listener_path;		/* OCI listenerPath */
	char *listener_metadata;	/* OCI listenerMetadata */
	uint8_t *priority;		/* per syscall id, 0 = none (seccomp_syscall_priority) */
};

void policy_init(struct policy *p, uint32_t default_action);
void policy_free(struct policy *p);
/* Deep copy; dst is overwritten. 0 or -ENOMEM. */
int policy_copy(struct policy *dst, const struct policy *src);
/* Append a copy of r.  Validates it (arg < 6, op known, ncond bound, action
 * valid, sys known): 0, or a negative errno with err filled. */
int policy_add_rule(struct policy *p, const struct policy_rule *r, struct muzzle_error *err);
void policy_rule_init(struct policy_rule *r, uint32_t action, int sys);
/* Append a condition to r; -EINVAL when full or arg > 5. */
int policy_rule_add_cond(struct policy_rule *r, unsigned arg, enum policy_op op,
			 uint64_t datum, uint64_t mask);
/* Whole-policy check before compiling: arches non-empty, actions valid. */
int policy_validate(const struct policy *p, struct muzzle_error *err);

/* 1 if the action value is one the kernel defines (any data for ERRNO/TRACE;
 * ERRNO data must be <= 4095 to be a real errno: policy_action_valid rejects
 * larger, since the kernel would return it as a success value). */
int policy_action_valid(uint32_t action);
/* 1 if a is stricter than b in the kernel's precedence order
 * (KILL_PROCESS > KILL_THREAD > TRAP > ERRNO > USER_NOTIF > TRACE > LOG > ALLOW);
 * same kind: 0 (neither is stricter). */
int policy_action_stricter(uint32_t a, uint32_t b);
/* "ALLOW", "ERRNO(1)", "KILL_PROCESS", ... into buf; returns buf */
const char *policy_action_str(uint32_t action, char *buf, size_t len);
/* parse the same spellings back (also "SCMP_ACT_ERRNO(1)", "kill"); 0 or -EINVAL */
int policy_action_parse(const char *s, uint32_t *action);
const char *policy_op_str(enum policy_op op);	/* "==", "!=", "<", "<=", ">", ">=", "&=", "&!=" */

#endif
