/* Helpers shared by the text-format tests (minijail, Kafel, systemd). */
#ifndef MUZZLE_TESTS_TEXTPOL_H
#define MUZZLE_TESTS_TEXTPOL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/eval.h"
#include "policy/policy.h"

#define X64 ARCH_MASK(ARCH_X86_64)

/* The action the policy gives syscall `name` on abi with these arguments;
 * 0xdeadbeef when the ABI has no such syscall (never a valid action here). */
static inline uint32_t act(const struct policy *p, enum arch_id abi, const char *name,
			   uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct seccomp_data d;
	int id = arch_syscall_id(name);
	int32_t nr = id < 0 ? ARCH_NR_NONE : arch_syscall_nr(abi, id);

	if (nr == ARCH_NR_NONE)
		return 0xdeadbeef;
	memset(&d, 0, sizeof(d));
	d.nr = nr;
	d.arch = arch_get(abi)->token;
	d.args[0] = a0;
	d.args[1] = a1;
	d.args[2] = a2;
	return policy_eval(p, &d).action;
}

/* Where the shared fact files live: $MUZZLE_SHARED, else $MUZZLE_TOP/../shared,
 * else ../shared.  Writes "<dir>/<rel>" into buf. */
static inline const char *shared_path(const char *rel, char *buf, size_t len)
{
	const char *s = getenv("MUZZLE_SHARED");
	const char *top = getenv("MUZZLE_TOP");

	if (s)
		snprintf(buf, len, "%s/%s", s, rel);
	else if (top)
		snprintf(buf, len, "%s/../shared/%s", top, rel);
	else
		snprintf(buf, len, "../shared/%s", rel);
	return buf;
}

#endif
