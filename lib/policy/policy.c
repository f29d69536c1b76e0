#include "policy/policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void policy_init(struct policy *p, uint32_t default_action)
{
	memset(p, 0, sizeof(*p));
	p->default_action = default_action;
	p->badarch_action = POLICY_ACT_KILL_THREAD;
	p->arches = ARCH_MASK(arch_native()->id);
	p->no_new_privs = 1;
}

static void free_rules(struct policy *p)
{
	for (size_t i = 0; i < p->nrules; i++)
		free((char *)p->rules[i].comment);
	free(p->rules);
	p->rules = NULL;
	p->nrules = p->cap = 0;
}

void policy_free(struct policy *p)
{
	free_rules(p);
	free(p->listener_path);
	free(p->listener_metadata);
	free(p->priority);
	memset(p, 0, sizeof(*p));
}

static int dup_str(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -ENOMEM;
}

int policy_copy(struct policy *dst, const struct policy *src)
{
	struct policy tmp = *src;

	tmp.rules = NULL;
	tmp.nrules = tmp.cap = 0;
	tmp.listener_path = tmp.listener_metadata = NULL;
	tmp.priority = NULL;
	if (src->nrules) {
		tmp.rules = calloc(src->nrules, sizeof(*tmp.rules));
		if (!tmp.rules)
			goto nomem;
		tmp.cap = src->nrules;
		for (size_t i = 0; i < src->nrules; i++) {
			tmp.rules[i] = src->rules[i];
			tmp.rules[i].comment = NULL;
			tmp.nrules = i + 1;
			if (dup_str((char **)&tmp.rules[i].comment, src->rules[i].comment))
				goto nomem;
		}
	}
	if (dup_str(&tmp.listener_path, src->listener_path) ||
	    dup_str(&tmp.listener_metadata, src->listener_metadata))
		goto nomem;
	if (src->priority) {
		size_t n = (size_t)arch_syscall_count();

		tmp.priority = malloc(n);
		if (!tmp.priority)
			goto nomem;
		memcpy(tmp.priority, src->priority, n);
	}
	*dst = tmp;
	return 0;
nomem:
	policy_free(&tmp);
	return -ENOMEM;
}

void policy_rule_init(struct policy_rule *r, uint32_t action, int sys)
{
	memset(r, 0, sizeof(*r));
	r->action = action;
	r->sys = sys;
}

int policy_rule_add_cond(struct policy_rule *r, unsigned arg, enum policy_op op,
			 uint64_t datum, uint64_t mask)
{
	if (r->ncond >= POLICY_MAX_COND || arg > 5 || op < POLICY_OP_NE ||
	    op > POLICY_OP_MASKED_NE)
		return -EINVAL;
	r->cond[r->ncond].arg = (uint8_t)arg;
	r->cond[r->ncond].op = (uint8_t)op;
	r->cond[r->ncond].datum = datum;
	r->cond[r->ncond].mask = (op == POLICY_OP_MASKED_EQ || op == POLICY_OP_MASKED_NE)
		? mask : ~(uint64_t)0;
	r->ncond++;
	return 0;
}

static int rule_error(struct muzzle_error *err, const struct policy_rule *r,
		      const char *what)
{
	return muzzle_error_set(err, -EINVAL, r->loc.file, r->loc.line, r->loc.col,
				"%s", what);
}

static int check_rule(const struct policy_rule *r, struct muzzle_error *err)
{
	if (!policy_action_valid(r->action))
		return rule_error(err, r, "invalid action");
	if (r->sys != POLICY_SYS_NR && (r->sys < 0 || r->sys >= arch_syscall_count()))
		return rule_error(err, r, "unknown syscall");
	if (r->abis & ~ARCH_MASK_ALL)
		return rule_error(err, r, "unknown architecture in rule");
	if (r->ncond > POLICY_MAX_COND)
		return rule_error(err, r, "too many argument conditions");
	for (unsigned i = 0; i < r->ncond; i++) {
		if (r->cond[i].arg > 5)
			return rule_error(err, r, "argument index out of range (0..5)");
		if (r->cond[i].op < POLICY_OP_NE || r->cond[i].op > POLICY_OP_MASKED_NE)
			return rule_error(err, r, "unknown comparison operator");
	}
	return 0;
}

int policy_add_rule(struct policy *p, const struct policy_rule *r, struct muzzle_error *err)
{
	int rc = check_rule(r, err);

	if (rc)
		return rc;
	if (p->nrules == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct policy_rule *n = realloc(p->rules, cap * sizeof(*n));

		if (!n)
			return muzzle_error_set(err, -ENOMEM, NULL, 0, 0, "out of memory");
		p->rules = n;
		p->cap = cap;
	}
	p->rules[p->nrules] = *r;
	if (r->comment) {
		p->rules[p->nrules].comment = strdup(r->comment);
		if (!p->rules[p->nrules].comment)
			return muzzle_error_set(err, -ENOMEM, NULL, 0, 0, "out of memory");
	}
	p->nrules++;
	return 0;
}

int policy_validate(const struct policy *p, struct muzzle_error *err)
{
	if (!policy_action_valid(p->default_action))
		return muzzle_error_set(err, -EINVAL, NULL, 0, 0, "invalid default action");
	if (!policy_action_valid(p->badarch_action))
		return muzzle_error_set(err, -EINVAL, NULL, 0, 0,
					"invalid bad-architecture action");
	if (!p->arches || (p->arches & ~ARCH_MASK_ALL))
		return muzzle_error_set(err, -EINVAL, NULL, 0, 0,
					"policy names no valid architecture");
	for (size_t i = 0; i < p->nrules; i++) {
		int rc = check_rule(&p->rules[i], err);

		if (rc)
			return rc;
	}
	return 0;
}

int policy_action_valid(uint32_t a)
{
	switch (POLICY_ACT_KIND(a)) {
	case POLICY_ACT_KILL_PROCESS:
	case POLICY_ACT_KILL_THREAD:
	case POLICY_ACT_TRAP:
	case POLICY_ACT_USER_NOTIF:
	case POLICY_ACT_LOG:
	case POLICY_ACT_ALLOW:
		return POLICY_ACT_DATA(a) == 0;
	case POLICY_ACT_ERRNO(0):
		/* the kernel caps errno at MAX_ERRNO (4095); more would read as success */
		return POLICY_ACT_DATA(a) <= 4095;
	case POLICY_ACT_TRACE(0):
		return 1;
	default:
		return 0;
	}
}

/* Kernel precedence rank: lower is stricter. */
static int action_rank(uint32_t a)
{
	switch (POLICY_ACT_KIND(a)) {
	case POLICY_ACT_KILL_PROCESS: return 0;
	case POLICY_ACT_KILL_THREAD: return 1;
	case POLICY_ACT_TRAP: return 2;
	case POLICY_ACT_ERRNO(0): return 3;
	case POLICY_ACT_USER_NOTIF: return 4;
	case POLICY_ACT_TRACE(0): return 5;
	case POLICY_ACT_LOG: return 6;
	case POLICY_ACT_ALLOW: return 7;
	default: return -1;	/* unknown values act like KILL_PROCESS in the kernel */
	}
}

int policy_action_stricter(uint32_t a, uint32_t b)
{
	return action_rank(a) < action_rank(b);
}

const char *policy_action_str(uint32_t a, char *buf, size_t len)
{
	switch (POLICY_ACT_KIND(a)) {
	case POLICY_ACT_KILL_PROCESS: snprintf(buf, len, "KILL_PROCESS"); break;
	case POLICY_ACT_KILL_THREAD: snprintf(buf, len, "KILL_THREAD"); break;
	case POLICY_ACT_TRAP: snprintf(buf, len, "TRAP"); break;
	case POLICY_ACT_ERRNO(0): snprintf(buf, len, "ERRNO(%u)", POLICY_ACT_DATA(a)); break;
	case POLICY_ACT_USER_NOTIF: snprintf(buf, len, "USER_NOTIF"); break;
	case POLICY_ACT_TRACE(0): snprintf(buf, len, "TRACE(%u)", POLICY_ACT_DATA(a)); break;
	case POLICY_ACT_LOG: snprintf(buf, len, "LOG"); break;
	case POLICY_ACT_ALLOW: snprintf(buf, len, "ALLOW"); break;
	default: snprintf(buf, len, "0x%08x", a); break;
	}
	return buf;
}

static int parse_data(const char *s, uint32_t *data)
{
	char *end;
	unsigned long v;

	if (*s != '(')
		return -EINVAL;
	errno = 0;
	v = strtoul(s + 1, &end, 0);
	if (errno || end == s + 1 || strcmp(end, ")") != 0 || v > 0xffff)
		return -EINVAL;
	*data = (uint32_t)v;
	return 0;
}

int policy_action_parse(const char *s, uint32_t *action)
{
	static const struct { const char *name; uint32_t act; } plain[] = {
		{ "KILL_PROCESS", POLICY_ACT_KILL_PROCESS },
		{ "KILL_THREAD", POLICY_ACT_KILL_THREAD },
		{ "KILL", POLICY_ACT_KILL_THREAD },
		{ "TRAP", POLICY_ACT_TRAP },
		{ "USER_NOTIF", POLICY_ACT_USER_NOTIF },
		{ "NOTIFY", POLICY_ACT_USER_NOTIF },
		{ "LOG", POLICY_ACT_LOG },
		{ "ALLOW", POLICY_ACT_ALLOW },
	};
	uint32_t data = 0;
	char norm[64];

	/* "kill-process" (minijail, the command line) spells KILL_PROCESS */
	if (strlen(s) >= sizeof(norm))
		return -EINVAL;
	for (size_t i = 0; ; i++) {
		norm[i] = s[i] == '-' ? '_' : s[i];
		if (!s[i])
			break;
	}
	s = norm;
	if (strncasecmp(s, "SCMP_ACT_", 9) == 0)
		s += 9;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (strcasecmp(s, plain[i].name) == 0) {
			*action = plain[i].act;
			return 0;
		}
	if (strncasecmp(s, "ERRNO", 5) == 0 && parse_data(s + 5, &data) == 0) {
		*action = POLICY_ACT_ERRNO(data);
		return policy_action_valid(*action) ? 0 : -ERANGE;
	}
	if (strncasecmp(s, "TRACE", 5) == 0 && parse_data(s + 5, &data) == 0) {
		*action = POLICY_ACT_TRACE(data);
		return 0;
	}
	return -EINVAL;
}

const char *policy_op_str(enum policy_op op)
{
	switch (op) {
	case POLICY_OP_NE: return "!=";
	case POLICY_OP_LT: return "<";
	case POLICY_OP_LE: return "<=";
	case POLICY_OP_EQ: return "==";
	case POLICY_OP_GE: return ">=";
	case POLICY_OP_GT: return ">";
	case POLICY_OP_MASKED_EQ: return "&=";
	case POLICY_OP_MASKED_NE: return "&!=";
	}
	return "?";
}
