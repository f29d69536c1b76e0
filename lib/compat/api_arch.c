/* libseccomp API: architecture (ABI) tokens and a context's ABI set. */
#include "compat/compat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const struct arch_desc *compat_arch(uint32_t token)
{
	if (token == SCMP_ARCH_NATIVE)
		return arch_native();
	return arch_by_scmp_token(token);
}

/* Only libseccomp's own spellings: arch_by_name also knows aliases
 * ("amd64", "i386") that libseccomp returns 0 for. */
uint32_t seccomp_arch_resolve_name(const char *arch_name)
{
	const struct arch_desc *a;

	if (!arch_name)
		return 0;
	a = arch_by_name(arch_name);
	if (!a || strcmp(a->name, arch_name) != 0)
		return 0;
	return a->scmp_token;
}

uint32_t seccomp_arch_native(void)
{
	return arch_native()->scmp_token;
}

static int arch_lookup(const struct scmp_ctx *c, uint32_t token, uint32_t *mask)
{
	const struct arch_desc *a;

	if (!c)
		return -EINVAL;
	a = compat_arch(token);
	if (!a)
		return -EINVAL;
	*mask = ARCH_MASK(a->id);
	return 0;
}

int seccomp_arch_exist(const scmp_filter_ctx ctx, uint32_t arch_token)
{
	uint32_t m;
	int rc = arch_lookup(ctx_of(ctx), arch_token, &m);

	if (rc)
		return rc;
	return (ctx_of(ctx)->pol.arches & m) ? 0 : -EEXIST;
}

/* 1 if every ABI in mask has the byte order big (an empty mask agrees). */
int compat_arches_endian(uint32_t mask, int big)
{
	for (int a = 0; a < ARCH_COUNT; a++)
		if ((mask & ARCH_MASK(a)) && !!arch_get((enum arch_id)a)->big_endian != !!big)
			return 0;
	return 1;
}

/* Rules added before stay on the ABIs they were added for.  libseccomp
 * keeps one byte order per context (-EDOM otherwise). */
int seccomp_arch_add(scmp_filter_ctx ctx, uint32_t arch_token)
{
	struct scmp_ctx *c = ctx_of(ctx);
	uint32_t m;
	int rc = arch_lookup(c, arch_token, &m);

	if (rc)
		return rc;
	if (c->pol.arches & m)
		return -EEXIST;
	if (!compat_arches_endian(c->pol.arches, compat_arch(arch_token)->big_endian))
		return -EDOM;
	c->pol.arches |= m;
	compat_invalidate(c);
	return 0;
}

/* The ABI's rules go with it: adding the ABI back does not restore them. */
int seccomp_arch_remove(scmp_filter_ctx ctx, uint32_t arch_token)
{
	struct scmp_ctx *c = ctx_of(ctx);
	struct policy *p;
	size_t keep = 0;
	uint32_t m;
	int rc = arch_lookup(c, arch_token, &m);

	if (rc)
		return rc;
	p = &c->pol;
	if (!(p->arches & m))
		return -EEXIST;
	p->arches &= ~m;
	for (size_t i = 0; i < p->nrules; i++) {
		p->rules[i].abis &= ~m;
		if (!p->rules[i].abis) {
			free((char *)p->rules[i].comment);
			continue;
		}
		p->rules[keep++] = p->rules[i];
	}
	p->nrules = keep;
	compat_invalidate(c);
	return 0;
}
