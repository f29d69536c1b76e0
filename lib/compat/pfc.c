/* A PFC-style listing of a policy: per ABI, per syscall number, the checks
 * in the order that gives the policy's verdict when read top to bottom
 * (first unconditional rule; else conditional rules strictest first; else
 * the default).  For people, not for parsing. */
#include "compat/pfc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	uint32_t nr;		/* seccomp_data.nr */
	uint32_t call;		/* multiplexer call number when mux */
	int mux;		/* 1: reached through socketcall/ipc args[0] */
	size_t rule;		/* index into policy.rules */
};

static int rule_on(const struct policy_rule *r, enum arch_id a)
{
	return r->abis == 0 || (r->abis & ARCH_MASK(a));
}

static int entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	if (a->nr != b->nr)
		return a->nr < b->nr ? -1 : 1;
	if (a->mux != b->mux)
		return a->mux - b->mux;
	if (a->call != b->call)
		return a->call < b->call ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

static int push(struct entry **v, size_t *n, size_t *cap, struct entry e)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct entry *nv = realloc(*v, c * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = e;
	return 0;
}

static int mux_nr(const struct arch_desc *d, enum arch_mux_kind k)
{
	return k == ARCH_MUX_SOCKETCALL ? d->socketcall_nr : d->ipc_nr;
}

/* Every (number, rule) pair of one ABI, sorted by number. */
static int collect(const struct policy *p, const struct arch_desc *d,
		   struct entry **out, size_t *n)
{
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < p->nrules && !rc; i++) {
		const struct policy_rule *r = &p->rules[i];
		struct entry e = { .rule = i };
		enum arch_mux_kind k;
		int32_t nr;

		if (!rule_on(r, d->id))
			continue;
		if (r->sys == POLICY_SYS_NR) {
			e.nr = r->nr;
			rc = push(out, n, &cap, e);
			continue;
		}
		nr = arch_syscall_nr(d->id, r->sys);
		if (nr != ARCH_NR_NONE) {
			e.nr = (uint32_t)nr;
			rc = push(out, n, &cap, e);
		}
		k = arch_mux_lookup(d->id, r->sys, &e.call);
		if (!rc && k != ARCH_MUX_NONE && !(r->flags & POLICY_RULE_EXACT)) {
			e.nr = (uint32_t)mux_nr(d, k);
			e.mux = 1;
			rc = push(out, n, &cap, e);
		}
	}
	if (!rc)
		qsort(*out, *n, sizeof(**out), entry_cmp);
	return rc;
}

static void print_conds(FILE *f, const struct policy_rule *r, int bits32)
{
	uint64_t m = bits32 ? 0xffffffffu : ~(uint64_t)0;

	for (unsigned i = 0; i < r->ncond; i++) {
		const struct policy_cond *c = &r->cond[i];

		fprintf(f, "%s$a%u", i ? " && " : "", c->arg);
		if (c->op == POLICY_OP_MASKED_EQ || c->op == POLICY_OP_MASKED_NE)
			fprintf(f, " & 0x%" PRIx64 " %s 0x%" PRIx64, c->mask & m,
				c->op == POLICY_OP_MASKED_EQ ? "==" : "!=", c->datum & m);
		else
			fprintf(f, " %s 0x%" PRIx64, policy_op_str((enum policy_op)c->op),
				c->datum & m);
	}
}

static void print_action(FILE *f, const char *indent, uint32_t action)
{
	char buf[64];

	fprintf(f, "%saction %s;\n", indent, policy_action_str(action, buf, sizeof(buf)));
}

/* One syscall number's rules e[0..n): first unconditional wins; otherwise
 * conditionals strictest first.  Through a multiplexer the arguments are
 * out of reach: a conditional rule counts only if stricter than the default. */
static void print_group(FILE *f, const struct policy *p, const struct entry *e, size_t n,
			int bits32)
{
	size_t order[n];
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (p->rules[e[i].rule].ncond == 0) {
			print_action(f, "    ", p->rules[e[i].rule].action);
			return;
		}
	for (size_t i = 0; i < n; i++) {
		size_t j = k++;

		/* insertion sort by strictness, stable for equal kinds */
		while (j > 0 && policy_action_stricter(p->rules[e[i].rule].action,
						       p->rules[order[j - 1]].action)) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = e[i].rule;
	}
	for (size_t i = 0; i < k; i++) {
		const struct policy_rule *r = &p->rules[order[i]];

		if (e[0].mux) {
			if (policy_action_stricter(r->action, p->default_action)) {
				fprintf(f, "    # conditions unchecked through the multiplexer\n");
				print_action(f, "    ", r->action);
				return;
			}
			continue;
		}
		fprintf(f, "    if (");
		print_conds(f, r, bits32);
		fprintf(f, ")\n");
		print_action(f, "      ", r->action);
	}
}

static void print_header(FILE *f, const struct policy *p, const struct entry *e,
			 const struct arch_desc *d)
{
	const struct policy_rule *r = &p->rules[e->rule];
	int id = r->sys;

	if (e->mux) {
		fprintf(f, "  # filter for syscall \"%s\" through multiplexer call %" PRIu32 "\n",
			arch_syscall_name(id), e->call);
		fprintf(f, "  if ($syscall == %" PRIu32 " && $a0 == %" PRIu32 ")\n", e->nr, e->call);
		return;
	}
	if (id == POLICY_SYS_NR)
		id = arch_syscall_by_nr(d->id, e->nr);
	fprintf(f, "  # filter for syscall \"%s\" (%" PRIu32 ")\n",
		id >= 0 ? arch_syscall_name(id) : "UNKNOWN", e->nr);
	fprintf(f, "  if ($syscall == %" PRIu32 ")\n", e->nr);
}

static int print_abi(FILE *f, const struct policy *p, const struct arch_desc *d)
{
	struct entry *e;
	size_t n, i = 0;
	int rc = collect(p, d, &e, &n);

	if (rc)
		return rc;
	fprintf(f, "# filter for arch %s (%" PRIu32 ")\n", d->name, d->scmp_token);
	if (d->id == ARCH_X32)
		fprintf(f, "if ($arch == %" PRIu32 " && $syscall >= 0x40000000)\n", d->token);
	else if (d->id == ARCH_X86_64)
		fprintf(f, "if ($arch == %" PRIu32 " && $syscall < 0x40000000)\n", d->token);
	else
		fprintf(f, "if ($arch == %" PRIu32 ")\n", d->token);
	while (i < n) {
		size_t j = i + 1;

		while (j < n && e[j].nr == e[i].nr && e[j].mux == e[i].mux &&
		       e[j].call == e[i].call)
			j++;
		print_header(f, p, &e[i], d);
		print_group(f, p, &e[i], j - i, d->word_bits == 32);
		i = j;
	}
	fprintf(f, "  # default action\n");
	print_action(f, "  ", p->default_action);
	free(e);
	return 0;
}

int policy_pfc_write(FILE *out, const struct policy *p)
{
	int rc = 0;

	fprintf(out, "#\n# pseudo filter code start\n#\n");
	for (int a = 0; a < ARCH_COUNT && !rc; a++)
		if (p->arches & ARCH_MASK(a))
			rc = print_abi(out, p, arch_get((enum arch_id)a));
	fprintf(out, "# invalid architecture action\n");
	print_action(out, "", p->badarch_action);
	fprintf(out, "#\n# pseudo filter code end\n#\n");
	if (!rc && ferror(out))
		rc = -EIO;
	return rc;
}
