/* libseccomp API: context life cycle, merge, version and API level,
 * transactions. */
#include "compat/compat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"

static const struct scmp_version version = {
	SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO
};

const struct scmp_version *seccomp_version(void)
{
	return &version;
}

/* The one piece of mutable global state: libseccomp's API level is
 * process-wide by definition (seccomp_api_set takes no context).  0 means
 * "not known yet": the first use probes the kernel and keeps the answer, so
 * later calls make no system calls (a filter loaded meanwhile might not
 * let the probes through). */
static unsigned api_level;

/* What the running kernel supports, as libseccomp's level numbers:
 * 2 TSYNC, 3 LOG + KILL_PROCESS, 4 SPEC_ALLOW, 5 USER_NOTIF,
 * 6 TSYNC_ESRCH, 7 WAIT_KILLABLE_RECV. */
static unsigned probe_level(void)
{
	if (load_flag_available(SECCOMP_FILTER_FLAG_TSYNC) != 1)
		return 1;
	if (load_flag_available(SECCOMP_FILTER_FLAG_LOG) != 1 ||
	    load_action_available(SECCOMP_RET_LOG) != 1 ||
	    load_action_available(SECCOMP_RET_KILL_PROCESS) != 1)
		return 2;
	if (load_flag_available(SECCOMP_FILTER_FLAG_SPEC_ALLOW) != 1)
		return 3;
	if (load_flag_available(SECCOMP_FILTER_FLAG_NEW_LISTENER) != 1 ||
	    load_action_available(SECCOMP_RET_USER_NOTIF) != 1)
		return 4;
	if (load_flag_available(SECCOMP_FILTER_FLAG_TSYNC_ESRCH) != 1)
		return 5;
	if (load_flag_available(POLICY_FLAG_WAIT_KILLABLE_RECV) != 1)
		return 6;
	return 7;
}

unsigned compat_api_level(void)
{
	unsigned level = __atomic_load_n(&api_level, __ATOMIC_RELAXED);
	unsigned zero = 0;

	if (level)
		return level;
	level = probe_level();
	/* a concurrent seccomp_api_set wins over the probe */
	if (!__atomic_compare_exchange_n(&api_level, &zero, level, 0, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		level = zero;
	return level;
}

unsigned int seccomp_api_get(void)
{
	return compat_api_level();
}

int seccomp_api_set(unsigned int level)
{
	if (level < 1 || level > 7)
		return -EINVAL;
	__atomic_store_n(&api_level, level, __ATOMIC_RELAXED);
	return 0;
}

/* libseccomp accepts an action only in its exact spellings, and only if the
 * kernel (at the API level in force) has it. */
int compat_action_valid(uint32_t action)
{
	unsigned level;

	switch (POLICY_ACT_KIND(action)) {
	case POLICY_ACT_ERRNO(0):
		return POLICY_ACT_DATA(action) < 4095 ? 0 : -EINVAL;
	case POLICY_ACT_TRACE(0):
		return 0;
	case POLICY_ACT_KILL_THREAD:
	case POLICY_ACT_TRAP:
	case POLICY_ACT_ALLOW:
		return POLICY_ACT_DATA(action) ? -EINVAL : 0;
	case POLICY_ACT_KILL_PROCESS:
	case POLICY_ACT_LOG:
	case POLICY_ACT_USER_NOTIF:
		if (POLICY_ACT_DATA(action))
			return -EINVAL;
		level = compat_api_level();
		if (action == POLICY_ACT_USER_NOTIF)
			return level >= 5 ? 0 : -EINVAL;
		return level >= 3 ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

void compat_invalidate(struct scmp_ctx *c)
{
	if (c->cached) {
		bpf_prog_free(&c->cache);
		bpf_prog_init(&c->cache);
		c->cached = 0;
	}
}

static void ctx_setup(struct scmp_ctx *c, uint32_t def_action)
{
	policy_init(&c->pol, def_action);
	c->pol.badarch_action = POLICY_ACT_KILL_THREAD;
	c->pol.no_new_privs = 1;
	c->pol.optimize = 1;
	c->tskip = 0;
	c->sysrawrc = 0;
}

scmp_filter_ctx seccomp_init(uint32_t def_action)
{
	struct scmp_ctx *c;

	if (compat_action_valid(def_action))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	ctx_setup(c, def_action);
	c->notify_fd = -1;
	bpf_prog_init(&c->cache);
	return c;
}

static void drop_snapshots(struct scmp_ctx *c)
{
	for (size_t i = 0; i < c->nsnaps; i++)
		policy_free(&c->snaps[i]);
	free(c->snaps);
	c->snaps = NULL;
	c->nsnaps = 0;
}

/* libseccomp quirk kept: reset(NULL, action) only checks the action. */
int seccomp_reset(scmp_filter_ctx ctx, uint32_t def_action)
{
	struct scmp_ctx *c = ctx_of(ctx);

	if (compat_action_valid(def_action))
		return -EINVAL;
	if (!c)
		return 0;
	policy_free(&c->pol);
	drop_snapshots(c);
	compat_invalidate(c);
	ctx_setup(c, def_action);
	/* the listener belongs to the process, not to the rules: keep it */
	return 0;
}

void seccomp_release(scmp_filter_ctx ctx)
{
	struct scmp_ctx *c = ctx_of(ctx);

	if (!c)
		return;
	policy_free(&c->pol);
	drop_snapshots(c);
	bpf_prog_free(&c->cache);
	free(c);
}

static int merge_priorities(struct policy *dst, const struct policy *src)
{
	size_t n = (size_t)arch_syscall_count();

	if (!src->priority)
		return 0;
	if (!dst->priority) {
		dst->priority = calloc(n, 1);
		if (!dst->priority)
			return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (!dst->priority[i])
			dst->priority[i] = src->priority[i];
	return 0;
}

/* libseccomp requires the same default action, NNP and TSYNC settings
 * (-EINVAL), one byte order (-EDOM) and disjoint ABIs (-EEXIST); the other
 * attributes are the destination's.  The source is consumed on success. */
int seccomp_merge(scmp_filter_ctx ctx_dst, scmp_filter_ctx ctx_src)
{
	struct scmp_ctx *d = ctx_of(ctx_dst), *s = ctx_of(ctx_src);
	struct policy tmp;
	int rc;

	if (!d || !s || !d->pol.arches || !s->pol.arches)
		return -EINVAL;
	if (d->pol.default_action != s->pol.default_action ||
	    d->pol.no_new_privs != s->pol.no_new_privs ||
	    (d->pol.flags & POLICY_FLAG_TSYNC) != (s->pol.flags & POLICY_FLAG_TSYNC))
		return -EINVAL;
	if (!compat_arches_endian(s->pol.arches,
				  !compat_arches_endian(d->pol.arches, 0)))
		return -EDOM;
	if (d->pol.arches & s->pol.arches)
		return -EEXIST;
	/* build the result aside so a failure leaves dst untouched */
	rc = policy_copy(&tmp, &d->pol);
	if (rc)
		return rc;
	for (size_t i = 0; i < s->pol.nrules && !rc; i++)
		rc = policy_add_rule(&tmp, &s->pol.rules[i], NULL);
	if (!rc)
		rc = merge_priorities(&tmp, &s->pol);
	if (rc) {
		policy_free(&tmp);
		return rc == -ENOMEM ? rc : -EFAULT;
	}
	tmp.arches |= s->pol.arches;
	policy_free(&d->pol);
	d->pol = tmp;
	compat_invalidate(d);
	seccomp_release(s);
	return 0;
}

/* --- transactions: a stack of policy snapshots ------------------------------ */

int seccomp_transaction_start(const scmp_filter_ctx ctx)
{
	struct scmp_ctx *c = ctx_of(ctx);
	struct policy *n;
	int rc;

	if (!c)
		return -EINVAL;
	n = realloc(c->snaps, (c->nsnaps + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	c->snaps = n;
	rc = policy_copy(&c->snaps[c->nsnaps], &c->pol);
	if (rc)
		return rc;
	c->nsnaps++;
	return 0;
}

/* Roll the rules and ABIs back to the snapshot; attributes set inside the
 * transaction stay (libseccomp snapshots filters, not attributes). */
void seccomp_transaction_reject(const scmp_filter_ctx ctx)
{
	struct scmp_ctx *c = ctx_of(ctx);
	struct policy *snap;

	if (!c || !c->nsnaps)
		return;
	snap = &c->snaps[--c->nsnaps];
	snap->default_action = c->pol.default_action;
	snap->badarch_action = c->pol.badarch_action;
	snap->flags = c->pol.flags;
	snap->no_new_privs = c->pol.no_new_privs;
	snap->optimize = c->pol.optimize;
	policy_free(&c->pol);
	c->pol = *snap;
	compat_invalidate(c);
}

int seccomp_transaction_commit(const scmp_filter_ctx ctx)
{
	struct scmp_ctx *c = ctx_of(ctx);

	if (!c || !c->nsnaps)
		return -EINVAL;
	policy_free(&c->snaps[--c->nsnaps]);
	return 0;
}
