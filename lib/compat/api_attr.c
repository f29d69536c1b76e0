/* libseccomp API: filter attributes.  Most map onto the policy model
 * (actions, load flags, no_new_privs); TSKIP and SYSRAWRC are API-only. */
#include "compat/compat.h"

#include <errno.h>

static uint32_t flag_get(const struct scmp_ctx *c, uint32_t flag)
{
	return (c->pol.flags & flag) ? 1 : 0;
}

int seccomp_attr_get(const scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t *value)
{
	const struct scmp_ctx *c = ctx_of(ctx);

	if (!c || !value)
		return -EINVAL;
	switch (attr) {
	case SCMP_FLTATR_ACT_DEFAULT: *value = c->pol.default_action; break;
	case SCMP_FLTATR_ACT_BADARCH: *value = c->pol.badarch_action; break;
	case SCMP_FLTATR_CTL_NNP: *value = c->pol.no_new_privs ? 1 : 0; break;
	case SCMP_FLTATR_CTL_TSYNC: *value = flag_get(c, POLICY_FLAG_TSYNC); break;
	case SCMP_FLTATR_API_TSKIP: *value = (uint32_t)c->tskip; break;
	case SCMP_FLTATR_CTL_LOG: *value = flag_get(c, POLICY_FLAG_LOG); break;
	case SCMP_FLTATR_CTL_SSB: *value = flag_get(c, POLICY_FLAG_SPEC_ALLOW); break;
	case SCMP_FLTATR_CTL_OPTIMIZE: *value = (uint32_t)c->pol.optimize; break;
	case SCMP_FLTATR_API_SYSRAWRC: *value = (uint32_t)c->sysrawrc; break;
	case SCMP_FLTATR_CTL_WAITKILL:
		*value = flag_get(c, POLICY_FLAG_WAIT_KILLABLE_RECV);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/* A load flag the kernel must support: refused below the API level that
 * introduced it, as libseccomp does. */
static int flag_set(struct scmp_ctx *c, uint32_t flag, unsigned level, uint32_t value)
{
	if (value && compat_api_level() < level)
		return -EOPNOTSUPP;
	if (value)
		c->pol.flags |= flag;
	else
		c->pol.flags &= ~flag;
	return 0;
}

static int attr_set(struct scmp_ctx *c, enum scmp_filter_attr attr, uint32_t value)
{
	switch (attr) {
	case SCMP_FLTATR_ACT_DEFAULT:
		return -EACCES;	/* fixed by seccomp_init/seccomp_reset */
	case SCMP_FLTATR_ACT_BADARCH:
		if (compat_action_valid(value))
			return -EINVAL;
		c->pol.badarch_action = value;
		return 0;
	case SCMP_FLTATR_CTL_NNP:
		c->pol.no_new_privs = value ? 1 : 0;
		return 0;
	case SCMP_FLTATR_CTL_TSYNC:
		return flag_set(c, POLICY_FLAG_TSYNC, 2, value);
	case SCMP_FLTATR_API_TSKIP:
		c->tskip = value ? 1 : 0;
		return 0;
	case SCMP_FLTATR_CTL_LOG:
		return flag_set(c, POLICY_FLAG_LOG, 3, value);
	case SCMP_FLTATR_CTL_SSB:
		return flag_set(c, POLICY_FLAG_SPEC_ALLOW, 4, value);
	case SCMP_FLTATR_CTL_OPTIMIZE:
		/* 1: priority/complexity order, 2: binary tree; muzzle always
		 * builds a tree, but keeps the value for attr_get */
		if (value != 1 && value != 2)
			return -EOPNOTSUPP;
		c->pol.optimize = (int)value;
		return 0;
	case SCMP_FLTATR_API_SYSRAWRC:
		c->sysrawrc = value ? 1 : 0;
		return 0;
	case SCMP_FLTATR_CTL_WAITKILL:
		return flag_set(c, POLICY_FLAG_WAIT_KILLABLE_RECV, 7, value);
	default:
		return -EINVAL;
	}
}

int seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value)
{
	struct scmp_ctx *c = ctx_of(ctx);
	int rc;

	if (!c)
		return -EINVAL;
	rc = attr_set(c, attr, value);
	if (!rc)
		compat_invalidate(c);
	return rc;
}
