/* Internal to lib/compat: the filter context behind scmp_filter_ctx.
 *
 * A context is a struct policy (rules, ABIs, actions, load flags) plus the
 * few settings that only the libseccomp API has.  Every rule added through
 * the API becomes one struct policy_rule whose abis field holds the ABIs the
 * context had when it was added (libseccomp does not apply old rules to an
 * ABI added later). */
#ifndef MUZZLE_COMPAT_H
#define MUZZLE_COMPAT_H

#include <seccomp.h>

#include "bpf/bpf.h"
#include "policy/policy.h"

struct scmp_ctx {
	struct policy pol;
	int tskip;		/* SCMP_FLTATR_API_TSKIP */
	int sysrawrc;		/* SCMP_FLTATR_API_SYSRAWRC */
	int notify_fd;		/* listener from the last load, -1 if none */
	struct policy *snaps;	/* transaction stack, innermost last */
	size_t nsnaps;
	struct bpf_prog cache;	/* seccomp_precompute result */
	int cached;
};

/* NULL-checked cast from the public handle. */
static inline struct scmp_ctx *ctx_of(const scmp_filter_ctx c)
{
	return (struct scmp_ctx *)c;
}

/* Something changed: a precomputed program no longer describes the context. */
void compat_invalidate(struct scmp_ctx *c);

/* libseccomp's notion of a valid action (stricter than the kernel's: ERRNO
 * data must be below 4095, KILL/TRAP/LOG/ALLOW/NOTIFY carry no data) and
 * available on the running kernel and API level: 0 or -EINVAL. */
int compat_action_valid(uint32_t action);

/* API level 1..7 in force (set by seccomp_api_set or probed). */
unsigned compat_api_level(void);

/* A compile of the context: 0 or negative errno (libseccomp's codes). */
int compat_compile(struct scmp_ctx *c, struct bpf_prog *out);

/* Map a system error to what the API returns: the raw value with
 * SCMP_FLTATR_API_SYSRAWRC, else -ECANCELED. */
int compat_sys_rc(const struct scmp_ctx *c, int rc);

/* ABI for a libseccomp arch token (SCMP_ARCH_NATIVE allowed), NULL if unknown. */
const struct arch_desc *compat_arch(uint32_t token);

/* 1 if every ABI in mask has byte order big (big endian when non-zero). */
int compat_arches_endian(uint32_t mask, int big);

/* libseccomp's syscall number translation: the syscall id a rule or
 * priority names, given the number the caller passed (native number or
 * pseudo number).  Returns the id, or -1 when the number names nothing. */
int compat_syscall_id(int syscall);


#endif
