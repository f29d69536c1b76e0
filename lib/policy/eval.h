/* The reference evaluator: the executable definition of policy semantics.
 * Deliberately written straight from the rules in policy.h, with no sharing
 * with the compiler, so the two can check each other. */
#ifndef MUZZLE_EVAL_H
#define MUZZLE_EVAL_H

#include <linux/seccomp.h>
#include "policy/policy.h"

#define POLICY_RULE_DEFAULT (-1)	/* verdict came from default_action */
#define POLICY_RULE_BADARCH (-2)	/* verdict came from badarch_action */

struct policy_verdict {
	uint32_t action;
	int rule;	/* index into policy.rules, or POLICY_RULE_DEFAULT/BADARCH */
};

struct policy_verdict policy_eval(const struct policy *p, const struct seccomp_data *d);

#endif
