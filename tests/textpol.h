/* Helpers shared by the text-format tests (minijail, Kafel, systemd). */
#ifndef MUZZLE_TESTS_TEXTPOL_H
#define MUZZLE_TESTS_TEXTPOL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "policy/equiv.h"
#include "policy/eval.h"
#include "policy/policy.h"
#include "format.h"

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


/* --- semantic comparison ------------------------------------------------------
 * Two policies agree if policy_eval gives the same action for every syscall
 * either names (plus a few others), on every ABI in `abis`, at argument
 * values around every constant either compares with (datum-1, datum,
 * datum+1, mask bits, 0, ~0), tried one argument at a time and in a
 * deterministic pseudo-random sample of combinations. */
struct tp_vals {
	uint64_t v[6][48];
	unsigned n[6];
};

static inline void tp_add(struct tp_vals *s, unsigned arg, uint64_t v)
{
	for (unsigned i = 0; i < s->n[arg]; i++)
		if (s->v[arg][i] == v)
			return;
	if (s->n[arg] < 48)
		s->v[arg][s->n[arg]++] = v;
}

static inline void tp_collect(struct tp_vals *s, const struct policy *p, int sys, uint32_t nr)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->sys != sys || (sys == POLICY_SYS_NR && r->nr != nr))
			continue;
		for (unsigned k = 0; k < r->ncond; k++) {
			const struct policy_cond *c = &r->cond[k];

			tp_add(s, c->arg, c->datum);
			tp_add(s, c->arg, c->datum + 1);
			tp_add(s, c->arg, c->datum - 1);
			tp_add(s, c->arg, c->datum | ~c->mask);
			tp_add(s, c->arg, c->mask);
			tp_add(s, c->arg, c->datum ^ (c->mask & -c->mask));
			tp_add(s, c->arg, c->datum & (c->datum - 1));
		}
	}
}

static inline uint64_t tp_rand(uint64_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return *st;
}

/* 1 if they agree; else 0 and a description of the first difference */
static inline int policies_agree(const struct policy *a, const struct policy *b, uint32_t abis,
				 char *why, size_t len)
{
	static const char *const extra[] = { "read", "getpid", "socket", "mmap2", "ioctl" };
	int n = arch_syscall_count();

	for (int abi = 0; abi < ARCH_COUNT; abi++) {
		if (!(abis & ARCH_MASK(abi)))
			continue;
		for (int id = 0; id < n; id++) {
			struct tp_vals s;
			struct seccomp_data d;
			int32_t nr = arch_syscall_nr((enum arch_id)abi, id);
			int named = 0;
			uint64_t st = 0x9e3779b97f4a7c15ull + (uint64_t)id;

			for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
				named |= strcmp(arch_syscall_name(id), extra[i]) == 0;
			for (size_t i = 0; i < a->nrules; i++)
				named |= a->rules[i].sys == id;
			for (size_t i = 0; i < b->nrules; i++)
				named |= b->rules[i].sys == id;
			if (!named || nr == ARCH_NR_NONE)
				continue;
			memset(&s, 0, sizeof(s));
			for (unsigned k = 0; k < 6; k++) {
				tp_add(&s, k, 0);
				tp_add(&s, k, ~(uint64_t)0);
			}
			tp_collect(&s, a, id, 0);
			tp_collect(&s, b, id, 0);
			for (unsigned trial = 0; trial < 3000; trial++) {
				memset(&d, 0, sizeof(d));
				d.nr = nr;
				d.arch = arch_get((enum arch_id)abi)->token;
				for (unsigned k = 0; k < 6; k++) {
					unsigned pick = (unsigned)(tp_rand(&st) % s.n[k]);

					/* first pass: one argument varies, others 0 */
					if (trial < 6 * 48)
						pick = (k == trial / 48 && trial % 48 < s.n[k])
						       ? trial % 48 : 0;
					d.args[k] = s.v[k][pick];
				}
				if (policy_eval(a, &d).action != policy_eval(b, &d).action) {
					snprintf(why, len, "%s on %s args %llx %llx %llx: %x vs %x",
						 arch_syscall_name(id), arch_get((enum arch_id)abi)->name,
						 (unsigned long long)d.args[0],
						 (unsigned long long)d.args[1],
						 (unsigned long long)d.args[2],
						 policy_eval(a, &d).action, policy_eval(b, &d).action);
					return 0;
				}
			}
		}
	}
	return 1;
}

/* Both checks: the sampler above and the project's equivalence checker. */
static inline int policies_equal(const struct policy *a, const struct policy *b, uint32_t abis,
				 char *why, size_t len)
{
	struct equiv_side sa = { .policy = a }, sb = { .policy = b };
	struct equiv_result res;

	if (!policies_agree(a, b, abis, why, len))
		return 0;
	memset(&res, 0, sizeof(res));
	if (equiv_check(&sa, &sb, &res) != 0) {
		snprintf(why, len, "equiv_check failed");
		return 0;
	}
	if (!res.equal)
		snprintf(why, len, "equiv_check: nr %d arch 0x%x args %llx %llx %llx: %x vs %x",
			 res.witness.nr, res.witness.arch,
			 (unsigned long long)res.witness.args[0],
			 (unsigned long long)res.witness.args[1],
			 (unsigned long long)res.witness.args[2], res.action_a, res.action_b);
	return res.equal;
}

/* One random edit of src into dst (delete, insert, replace, duplicate a
 * span, truncate), for the readers' robustness cases. */
static inline size_t tp_mutate(const char *src, char *dst, size_t cap, uint64_t *st)
{
	static const char pool[] = "(){}[]:;,|&!=<>~-@#/\\\n\"0123456789xabcargXYZ_ \t\0\xff";
	size_t n = strlen(src), pos, len;
	unsigned kind = (unsigned)(tp_rand(st) % 5);

	if (n + 64 > cap)
		n = cap - 64;
	memcpy(dst, src, n);
	pos = n ? (size_t)(tp_rand(st) % n) : 0;
	len = 1 + (size_t)(tp_rand(st) % 8);
	if (pos + len > n)
		len = n - pos;
	switch (kind) {
	case 0:	/* delete */
		memmove(dst + pos, dst + pos + len, n - pos - len);
		return n - len;
	case 1:	/* insert one byte */
		memmove(dst + pos + 1, dst + pos, n - pos);
		dst[pos] = pool[tp_rand(st) % (sizeof(pool) - 1)];
		return n + 1;
	case 2:	/* replace one byte */
		if (n)
			dst[pos] = pool[tp_rand(st) % (sizeof(pool) - 1)];
		return n;
	case 3:	/* duplicate a span */
		memmove(dst + pos + 2 * len, dst + pos + len, n - pos - len);
		memcpy(dst + pos + len, dst + pos, len);
		return n + len;
	default:	/* truncate */
		return pos;
	}
}

typedef int (*tp_reader)(const char *, size_t, const char *, const struct format_options *,
			 struct policy *, struct muzzle_error *);

/* --- reading one input in a test -----------------------------------------------
 * What the minijail, Kafel and systemd tests differ in: the reader, the name
 * the input has in messages, and a few options. */
struct tp_in {
	tp_reader read;
	const char *name;		/* "t.policy", "t.kafel", "t.service" */
	uint32_t arches;
	int strict;			/* format_options.strict_minijail */
	const char *include_dir;
};

static inline int tp_read(const struct tp_in *in, const char *text, struct policy *p,
			  struct muzzle_error *err)
{
	struct format_options o;

	memset(&o, 0, sizeof(o));
	o.arches = in->arches;
	o.strict_minijail = in->strict;
	o.include_dir = in->include_dir;
	muzzle_error_clear(err);
	return in->read(text, strlen(text), in->name, &o, p, err);
}

/* Read text that must be accepted: 0, or the reader's error with a failed
 * check that shows it. */
static inline int tp_ok_read(const struct tp_in *in, const char *text, struct policy *p)
{
	struct muzzle_error err = {0};
	char buf[800];
	int rc = tp_read(in, text, p, &err);

	T_CHECK(rc == 0, "rejected: %s", muzzle_error_format(&err, buf, sizeof(buf)));
	return rc;
}

/* Case `name`: text is refused at line:col with needle in the message, and
 * the policy is left empty. */
static inline void tp_check_bad(const char *name, const struct tp_in *in, const char *text,
				int line, int col, const char *needle)
{
	struct policy p;
	struct muzzle_error err = {0};

	t_begin(name);
	T_CHECK(tp_read(in, text, &p, &err) < 0, "accepted: %s", text);
	T_EQ_I(err.line, line);
	T_EQ_I(err.col, col);
	T_CHECK(strstr(err.msg, needle) != NULL, "message \"%s\" lacks \"%s\"", err.msg, needle);
	T_EQ_U(p.nrules, 0);
	policy_free(&p);
	t_end();
}

/* Mutate each corpus text `rounds` times: every result is accepted as a
 * valid policy or refused with a line and column. */
static inline int tp_fuzz(tp_reader rd, const char *const *corpus, size_t ncorpus, int rounds,
			  char *why, size_t whylen)
{
	static char buf[8192];
	uint64_t st = 0x243f6a8885a308d3ull;
	struct format_options o;

	memset(&o, 0, sizeof(o));
	o.arches = ARCH_MASK(ARCH_X86_64);
	o.include_dir = "/nonexistent-muzzle-include-dir";
	for (int r = 0; r < rounds; r++) {
		const char *src = corpus[(size_t)r % ncorpus];
		size_t len = tp_mutate(src, buf, sizeof(buf), &st);
		struct policy p;
		struct muzzle_error err;
		/* an exact-size copy: readers must not look past len for a NUL */
		char *exact = malloc(len ? len : 1);
		int rc;

		if (!exact) {
			snprintf(why, whylen, "malloc");
			return 0;
		}
		memcpy(exact, buf, len);
		memset(&err, 0, sizeof(err));
		rc = rd(exact, len, "fuzz", &o, &p, &err);
		free(exact);
		if (rc == 0 && policy_validate(&p, &err) != 0) {
			snprintf(why, whylen, "accepted an invalid policy: %s", err.msg);
			policy_free(&p);
			return 0;
		}
		if (rc < 0 && (err.line < 1 || err.col < 1 || !err.msg[0])) {
			snprintf(why, whylen, "error without position: %d \"%s\" for \"%.*s\"",
				 rc, err.msg, (int)len, buf);
			policy_free(&p);
			return 0;
		}
		policy_free(&p);
	}
	return 1;
}

/* Write with fn into memory; returns malloc'ed text or NULL (rc set). */
static inline char *write_mem(int (*fn)(FILE *, const struct policy *, const struct format_options *,
				       struct muzzle_error *),
			      const struct policy *p, struct muzzle_error *err, int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		*rc = -1;
		return NULL;
	}
	*rc = fn(f, p, NULL, err);
	fclose(f);
	if (*rc) {
		free(text);
		return NULL;
	}
	return text;
}

typedef int (*tp_writer)(FILE *, const struct policy *, const struct format_options *,
			 struct muzzle_error *);

/* Mutated inputs the reader accepts must survive write -> read unchanged
 * in meaning (or be refused by the writer with a message). */
static inline int tp_fuzz_roundtrip(tp_reader rd, tp_writer wr, const char *const *corpus,
				    size_t ncorpus, int rounds, char *why, size_t whylen)
{
	static char buf[8192];
	uint64_t st = 0x13198a2e03707344ull;
	struct format_options o;

	memset(&o, 0, sizeof(o));
	o.arches = ARCH_MASK(ARCH_X86_64);
	for (int r = 0; r < rounds; r++) {
		size_t len = tp_mutate(corpus[(size_t)r % ncorpus], buf, sizeof(buf), &st);
		struct policy a, b;
		struct muzzle_error err;
		char *out;
		int rc, ok = 1;

		if (rd(buf, len, "fuzz", &o, &a, &err)) {
			policy_free(&a);
			continue;
		}
		out = write_mem(wr, &a, &err, &rc);
		if (!out) {
			ok = rc == -ENOTSUP && err.msg[0];
			if (!ok)
				snprintf(why, whylen, "writer failed without a message (%d)", rc);
		} else if (rd(out, strlen(out), "written", &o, &b, &err)) {
			snprintf(why, whylen, "written text rejected: %s\n%s", err.msg, out);
			ok = 0;
			policy_free(&b);
		} else {
			char d[200];

			ok = policies_agree(&a, &b, o.arches, d, sizeof(d));
			if (!ok)
				snprintf(why, whylen, "meaning changed: %s\n%.*s\n%s", d, (int)len, buf,
					 out);
			policy_free(&b);
		}
		free(out);
		policy_free(&a);
		if (!ok)
			return 0;
	}
	return 1;
}

#endif
