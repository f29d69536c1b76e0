/* minijail seccomp policy files (.policy).
 *
 * Reading accepts the language of minijail's Python compiler, a superset of
 * the runtime C parser's: `name: 1`, `name: return E`, `name: expr` and
 * `name: expr; action`, action keywords, `{a, b}: ...` syscall lists,
 * `{f1, f2}` filter lists, `name[arch=...]` metadata, `@include`,
 * `@frequency`, `@default`, `@denylist`.  With o->strict_minijail the
 * constructs the C parser rejects are reported as errors.
 *
 * Meaning.  The filters named for one syscall form an ordered list that is
 * tried first to last (the first matching filter decides; when none
 * matches, the default action).  A top-level `expr; action` is the C
 * parser's form: allow when expr holds, else action (minijail0(5)); inside
 * a `{...}` list `expr; action` is the Python compiler's: action when expr
 * holds.  The ordered list is turned into the model's unordered rules by
 * giving each filter the region "its expression and none of the earlier
 * filters with a different action", so rules with different actions never
 * overlap and the model's strictest-match rule gives the same answer.
 *
 * minijail never looks through socketcall/ipc, so every rule is
 * POLICY_RULE_EXACT.  The default and bad-architecture actions are
 * KILL_THREAD, and `kill` means KILL_THREAD: libminijail returns
 * SECCOMP_RET_KILL (the thread) for a foreign architecture and for a
 * blocked call (KILL_PROCESS only when it synchronises threads, TSYNC), and
 * the Python compiler kills the thread unless given --use-kill-process. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consts.h"
#include "format.h"
#include "lexer.h"

#define MJ_MAX_DEPTH 10		/* include nesting, as minijail's compiler */
#define MJ_MAX_ITEMS 200000	/* filters in one policy, includes counted */


struct mj_ctx {
	struct text_ctx t;		/* items, file names, shared settings */
	int denylist;
	int seen_filter;
	int strict;
	char *stack[MJ_MAX_DEPTH + 1];	/* canonical paths of open files */
	int depth;
	int top_line, top_col;		/* @include line in the top-level file */
	int nesting;			/* open parentheses in a value */
};

struct mj_file {
	struct lexer lx;
	const char *path;		/* for messages */
	const char *dir;		/* directory for relative includes */
};

static const struct format_options *opts(const struct format_options *o)
{
	static const struct format_options none;

	return o ? o : &none;
}

/* --- small helpers ---------------------------------------------------------- */

static int expect_eol(struct mj_file *f)
{
	struct token t;
	char d[96];
	int rc = lex_next(&f->lx, &t);

	if (rc)
		return rc;
	if (t.kind != TOK_EOL && t.kind != TOK_EOF)
		return lex_error(&f->lx, &t, "expected end of line, found %s",
				 tok_describe(&t, d, sizeof(d)));
	return 0;
}

static int strict_error(struct mj_ctx *c, struct mj_file *f, const struct token *t,
			const char *what)
{
	if (!c->strict)
		return 0;
	return lex_error(&f->lx, t, "%s is not accepted by minijail's runtime C parser "
			 "(strict mode)", what);
}

static int nomem(struct mj_ctx *c)
{
	return muzzle_error_set(c->t.err, -ENOMEM, c->t.top_name, 0, 0, "out of memory");
}

static const char *abi_list(uint32_t mask, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (int a = 0; a < ARCH_COUNT && off < len; a++)
		if (mask & ARCH_MASK(a))
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
						arch_get((enum arch_id)a)->name);
	return buf;
}

/* --- constants ------------------------------------------------------------------ */

static int parse_value(struct mj_ctx *c, struct mj_file *f, uint32_t abis, uint64_t *v);

static int named_constant(struct mj_ctx *c, struct mj_file *f, const struct token *t,
			  uint32_t abis, uint64_t *v)
{
	char name[128], list[256];
	enum arch_id bad = ARCH_X86_64;
	int rc;

	tok_text(t, name, sizeof(name));
	rc = consts_lookup_all(name, abis, v, &bad);
	if (rc == -ENOENT)
		return lex_error(&f->lx, t, "unknown constant '%s'", name);
	if (rc == -ENOTSUP)
		return lex_error(&f->lx, t, "constant '%s' has no known value on %s "
				 "(constants are generated for %s); write the number",
				 name, arch_get(bad)->name, consts_abis(list, sizeof(list)));
	if (rc == -EDOM)
		return lex_error(&f->lx, t, "constant '%s' has different values on %s; "
				 "write the number or select one ABI", name,
				 abi_list(abis, list, sizeof(list)));
	(void)c;
	return rc;
}

/* single = ['-'] NUMBER | NAME | '(' value ')' */
static int parse_single(struct mj_ctx *c, struct mj_file *f, uint32_t abis, uint64_t *v)
{
	struct token t;
	char d[96];
	int rc = lex_next(&f->lx, &t);

	if (rc)
		return rc;
	if (t.kind == TOK_NUMBER) {
		*v = t.num;
		return 0;
	}
	if (tok_is(&t, "-")) {
		struct token n;

		rc = lex_next(&f->lx, &n);
		if (rc)
			return rc;
		if (n.kind != TOK_NUMBER)
			return lex_error(&f->lx, &n, "expected a number after '-', found %s",
					 tok_describe(&n, d, sizeof(d)));
		if (n.num > (uint64_t)INT64_MAX + 1)
			return lex_error(&f->lx, &t, "negative number out of range");
		*v = (uint64_t)0 - n.num;
		return 0;
	}
	if (tok_is(&t, "(")) {
		if (++c->nesting > 200)
			return lex_error(&f->lx, &t, "parentheses nested too deeply");
		rc = parse_value(c, f, abis, v);
		c->nesting--;
		if (rc)
			return rc;
		rc = lex_next(&f->lx, &t);
		if (rc)
			return rc;
		if (!tok_is(&t, ")"))
			return lex_error(&f->lx, &t, "expected ')', found %s",
					 tok_describe(&t, d, sizeof(d)));
		return 0;
	}
	if (t.kind == TOK_IDENT && t.start[0] != '@')
		return named_constant(c, f, &t, abis, v);
	return lex_error(&f->lx, &t, "expected a number or constant, found %s",
			 tok_describe(&t, d, sizeof(d)));
}

/* constant = ['~'] single */
static int parse_constant(struct mj_ctx *c, struct mj_file *f, uint32_t abis, uint64_t *v)
{
	struct token t;
	int rc = lex_peek(&f->lx, &t);

	if (rc)
		return rc;
	if (tok_is(&t, "~")) {
		lex_next(&f->lx, &t);
		rc = lex_peek(&f->lx, &t);
		if (rc)
			return rc;
		if (tok_is(&t, "~"))
			return lex_error(&f->lx, &t, "double complement '~~' is not allowed");
		rc = parse_single(c, f, abis, v);
		*v = ~*v;
		return rc;
	}
	return parse_single(c, f, abis, v);
}

/* value = constant { '|' constant } */
static int parse_value(struct mj_ctx *c, struct mj_file *f, uint32_t abis, uint64_t *v)
{
	uint64_t acc = 0;

	for (;;) {
		struct token t;
		uint64_t one;
		int rc = parse_constant(c, f, abis, &one);

		if (rc)
			return rc;
		acc |= one;
		rc = lex_peek(&f->lx, &t);
		if (rc)
			return rc;
		if (!tok_is(&t, "|"))
			break;
		lex_next(&f->lx, &t);
	}
	*v = acc;
	return 0;
}

/* --- expressions ---------------------------------------------------------------- */

static int parse_arg_index(struct mj_file *f, const struct token *t, unsigned *arg)
{
	char d[96];

	if (t->kind == TOK_IDENT && t->len == 4 && memcmp(t->start, "arg", 3) == 0 &&
	    t->start[3] >= '0' && t->start[3] <= '5') {
		*arg = (unsigned)(t->start[3] - '0');
		return 0;
	}
	if (t->kind == TOK_IDENT && t->len > 3 && memcmp(t->start, "arg", 3) == 0) {
		size_t i = 3;

		/* the token is not NUL-terminated: stay within its length */
		while (i < t->len && t->start[i] >= '0' && t->start[i] <= '9')
			i++;
		if (i == t->len)
			return lex_error(&f->lx, t, "argument index out of range: %s "
					 "(arg0..arg5)", tok_describe(t, d, sizeof(d)));
	}
	return lex_error(&f->lx, t, "expected an argument (arg0..arg5), found %s",
			 tok_describe(t, d, sizeof(d)));
}

/* atom = argN op value */
static int parse_atom(struct mj_ctx *c, struct mj_file *f, uint32_t abis, struct dnf *out)
{
	static const struct { const char *s; enum policy_op op; } ops[] = {
		{ "==", POLICY_OP_EQ }, { "!=", POLICY_OP_NE }, { "<", POLICY_OP_LT },
		{ "<=", POLICY_OP_LE }, { ">", POLICY_OP_GT }, { ">=", POLICY_OP_GE },
	};
	struct token a, op;
	unsigned arg = 0;
	uint64_t v;
	char d[96];
	int rc = lex_next(&f->lx, &a);

	dnf_init(out);
	if (rc || (rc = parse_arg_index(f, &a, &arg)))
		return rc;
	rc = lex_next(&f->lx, &op);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (tok_is(&op, ops[i].s)) {
			rc = parse_value(c, f, abis, &v);
			return rc ? rc : dnf_set_atom(out, arg, ops[i].op, v, ~(uint64_t)0);
		}
	if (tok_is(&op, "&")) {
		/* "flags set": any of the bits */
		rc = parse_value(c, f, abis, &v);
		return rc ? rc : dnf_set_atom(out, arg, POLICY_OP_MASKED_NE, 0, v);
	}
	if (tok_is(&op, "in")) {
		/* the argument's bits are a subset of the value's */
		rc = parse_value(c, f, abis, &v);
		return rc ? rc : dnf_set_atom(out, arg, POLICY_OP_MASKED_EQ, 0, ~v);
	}
	return lex_error(&f->lx, &op, "expected an operator (==, !=, <, <=, >, >=, &, in), "
			 "found %s", tok_describe(&op, d, sizeof(d)));
}

static int too_complex(struct mj_file *f, const struct token *t, int rc)
{
	if (rc == -E2BIG)
		return lex_error(&f->lx, t, "argument expression too complex (a conjunction "
				 "holds at most %d comparisons; at most %d alternatives)",
				 POLICY_MAX_COND, DNF_MAX_TERMS);
	if (rc == -ENOMEM)
		muzzle_error_set(f->lx.err, rc, f->path, t->line, t->col, "out of memory");
	return rc;
}

/* expr = clause { '||' clause }; clause = atom { '&&' atom } */
static int parse_expr(struct mj_ctx *c, struct mj_file *f, uint32_t abis, struct dnf *out)
{
	struct token start, t;
	struct dnf clause, atom;
	int rc = lex_peek(&f->lx, &start);

	dnf_init(out);
	if (rc)
		return rc;
	for (;;) {
		dnf_init(&clause);
		rc = dnf_set_true(&clause);
		for (;;) {
			rc = rc ? rc : parse_atom(c, f, abis, &atom);
			rc = rc ? rc : dnf_and(&clause, &atom);
			if (!rc)
				rc = lex_peek(&f->lx, &t);
			if (rc || !tok_is(&t, "&&"))
				break;
			lex_next(&f->lx, &t);
		}
		if (!rc)
			rc = dnf_or(out, &clause);
		if (rc) {
			dnf_free(&clause);
			dnf_free(out);
			return too_complex(f, &start, rc);
		}
		if (!tok_is(&t, "||"))
			return 0;
		lex_next(&f->lx, &t);
	}
}

/* --- actions -------------------------------------------------------------------- */

static int parse_errno(struct mj_ctx *c, struct mj_file *f, uint32_t abis, uint32_t *action)
{
	struct token t;
	uint64_t v;
	int rc = lex_peek(&f->lx, &t);

	if (rc)
		return rc;
	if (t.kind == TOK_EOL || t.kind == TOK_EOF)
		return lex_error(&f->lx, &t, "expected an errno value after 'return'");
	rc = parse_single(c, f, abis, &v);
	if (rc)
		return rc;
	if (v > 4095)
		return lex_error(&f->lx, &t, "errno value %llu out of range (0..4095)",
				 (unsigned long long)v);
	*action = POLICY_ACT_ERRNO(v);
	return 0;
}

/* action = '1' | allow | kill-process | kill-thread | kill | trap | trace | log
 *        | user-notify | return ERRNO */
static int parse_action(struct mj_ctx *c, struct mj_file *f, uint32_t abis, uint32_t *action)
{
	static const struct { const char *s; uint32_t act; } kw[] = {
		{ "allow", POLICY_ACT_ALLOW }, { "kill-process", POLICY_ACT_KILL_PROCESS },
		{ "kill-thread", POLICY_ACT_KILL_THREAD }, { "kill", POLICY_ACT_KILL_THREAD },
		{ "trap", POLICY_ACT_TRAP }, { "trace", POLICY_ACT_TRACE(0) },
		{ "log", POLICY_ACT_LOG }, { "user-notify", POLICY_ACT_USER_NOTIF },
	};
	struct token t;
	char d[96];
	int rc = lex_next(&f->lx, &t);

	if (rc)
		return rc;
	if (c->denylist && !tok_is(&t, "return"))
		return lex_error(&f->lx, &t, "a @denylist policy must use 'return <errno>' "
				 "as every action, found %s", tok_describe(&t, d, sizeof(d)));
	if (t.kind == TOK_NUMBER && t.num == 1) {
		*action = POLICY_ACT_ALLOW;
		return 0;
	}
	if (tok_is(&t, "return"))
		return parse_errno(c, f, abis, action);
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (tok_is(&t, kw[i].s)) {
			*action = kw[i].act;
			return strict_error(c, f, &t, "an action keyword");
		}
	return lex_error(&f->lx, &t, "expected an action (1, allow, kill-process, kill-thread, "
			 "kill, trap, trace, log, user-notify, return <errno>) or an argument "
			 "expression, found %s", tok_describe(&t, d, sizeof(d)));
}

/* --- filters --------------------------------------------------------------------- */

struct mj_desc {
	int sys;
	uint32_t nr;
	uint32_t abis;
	int line, col;
};

struct mj_filter {
	struct dnf expr;
	uint32_t action;
	int line, col;
};

static int add_item(struct mj_ctx *c, struct mj_file *f, const struct mj_desc *d,
		    const struct dnf *expr, uint32_t action, int line, int col)
{
	struct ord_item *it;

	if (c->t.nitems >= MJ_MAX_ITEMS)
		return muzzle_error_set(c->t.err, -E2BIG, f->path, line, col,
					"too many filters (more than %d)", MJ_MAX_ITEMS);
	c->t.nterms += expr->n;
	if (c->t.nterms > TEXT_MAX_TERMS)
		return muzzle_error_set(c->t.err, -E2BIG, f->path, line, col, "policy too large: "
					"its expressions expand to more than %d alternatives",
					TEXT_MAX_TERMS);
	it = text_new_item(&c->t);
	if (!it || dnf_copy(&it->expr, expr))
		return nomem(c);
	it->sys = d->sys;
	it->nr = d->nr;
	it->abis = d->abis;
	it->action = action;
	it->line = line;
	it->col = col;
	it->file = f->path;
	it->order = c->t.nitems;
	it->loc.file = c->t.top_name;
	it->loc.line = c->depth > 1 ? c->top_line : line;
	it->loc.col = c->depth > 1 ? c->top_col : col;
	c->t.nitems++;
	return 0;
}

/* single-filter = action | expr [ ';' action ].  In a brace list (py = 1)
 * "expr; action" takes the action when expr holds; at top level it is the C
 * parser's "allow when expr holds, else action" and makes two filters. */
static int parse_single_filter(struct mj_ctx *c, struct mj_file *f, uint32_t abis, int py,
			       struct mj_filter *out, size_t *n)
{
	struct token t;
	int rc;

	*n = 0;
	dnf_init(&out[0].expr);
	dnf_init(&out[1].expr);
	rc = lex_peek(&f->lx, &t);
	if (rc)
		return rc;
	out[0].line = t.line;
	out[0].col = t.col;
	if (!(t.kind == TOK_IDENT && t.len >= 3 && memcmp(t.start, "arg", 3) == 0)) {
		rc = parse_action(c, f, abis, &out[0].action);
		if (!rc)
			rc = dnf_set_true(&out[0].expr);
		*n = 1;
		return rc;
	}
	rc = parse_expr(c, f, abis, &out[0].expr);
	out[0].action = POLICY_ACT_ALLOW;
	*n = 1;
	if (rc || (rc = lex_peek(&f->lx, &t)) || !tok_is(&t, ";"))
		return rc;
	lex_next(&f->lx, &t);
	if (py)
		return parse_action(c, f, abis, &out[0].action);
	rc = lex_peek(&f->lx, &t);
	if (rc)
		return rc;
	if (!tok_is(&t, "return") && (rc = strict_error(c, f, &t, "an action other than "
							 "'return' after ';'")))
		return rc;
	out[1].line = t.line;
	out[1].col = t.col;
	*n = 2;
	rc = parse_action(c, f, abis, &out[1].action);
	return rc ? rc : dnf_set_true(&out[1].expr);
}

static void free_filters(struct mj_filter *fl, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dnf_free(&fl[i].expr);
	free(fl);
}

static int push_filters(struct mj_filter **fl, size_t *n, size_t *cap, const struct mj_filter *add,
			size_t nadd)
{
	if (*n + nadd > *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct mj_filter *x = realloc(*fl, nc * sizeof(*x));

		if (!x)
			return -ENOMEM;
		*fl = x;
		*cap = nc;
	}
	memcpy(*fl + *n, add, nadd * sizeof(*add));
	*n += nadd;
	return 0;
}

/* filter = '{' single-filter { ',' single-filter } '}' | single-filter */
static int parse_filter(struct mj_ctx *c, struct mj_file *f, uint32_t abis,
			struct mj_filter **fl, size_t *n)
{
	size_t cap = 0;
	struct token t, open;
	char d[96];
	int py = 0, rc = lex_peek(&f->lx, &open);

	*fl = NULL;
	*n = 0;
	if (rc)
		return rc;
	if (open.kind == TOK_EOL || open.kind == TOK_EOF)
		return lex_error(&f->lx, &open, "expected a filter after ':'");
	if (tok_is(&open, "{")) {
		if ((rc = strict_error(c, f, &open, "a '{...}' filter list")))
			return rc;
		lex_next(&f->lx, &t);
		py = 1;
	}
	for (;;) {
		struct mj_filter one[2];
		size_t k;

		rc = parse_single_filter(c, f, abis, py, one, &k);
		if (!rc && push_filters(fl, n, &cap, one, k))
			rc = nomem(c);
		if (rc) {
			for (size_t i = 0; i < 2; i++)
				dnf_free(&one[i].expr);
			return rc;
		}
		if (!py)
			return 0;
		rc = lex_next(&f->lx, &t);
		if (rc)
			return rc;
		if (tok_is(&t, "}"))
			return 0;
		if (!tok_is(&t, ","))
			return lex_error(&f->lx, &t, "expected ',' or '}' to close the filter list "
					 "opened at %d:%d, found %s", open.line, open.col,
					 tok_describe(&t, d, sizeof(d)));
	}
}

/* --- syscall descriptors ----------------------------------------------------------- */

static int parse_arch_values(struct mj_ctx *c, struct mj_file *f, uint32_t *mask)
{
	struct token t;
	char d[96], name[64];

	*mask = 0;
	for (;;) {
		const struct arch_desc *a;
		int rc = lex_next(&f->lx, &t);

		if (rc)
			return rc;
		if (t.kind != TOK_IDENT)
			return lex_error(&f->lx, &t, "expected an architecture name, found %s",
					 tok_describe(&t, d, sizeof(d)));
		a = arch_by_name(tok_text(&t, name, sizeof(name)));
		if (!a)
			return lex_error(&f->lx, &t, "unknown architecture '%s'", name);
		*mask |= ARCH_MASK(a->id) & c->t.arches;
		rc = lex_peek(&f->lx, &t);
		if (rc)
			return rc;
		if (!tok_is(&t, ","))
			return 0;
		lex_next(&f->lx, &t);
	}
}

/* metadata = '[' key '=' values { ';' key '=' values } ']'; only "arch" */
static int parse_metadata(struct mj_ctx *c, struct mj_file *f, uint32_t *abis)
{
	struct token t, open;
	char d[96];
	int seen = 0, rc;

	lex_next(&f->lx, &open);
	if ((rc = strict_error(c, f, &open, "'[...]' syscall metadata")))
		return rc;
	for (;;) {
		rc = lex_next(&f->lx, &t);
		if (rc)
			return rc;
		if (!tok_is(&t, "arch"))
			return lex_error(&f->lx, &t, "expected metadata key 'arch', found %s",
					 tok_describe(&t, d, sizeof(d)));
		if (seen)
			return lex_error(&f->lx, &t, "duplicate metadata key \"arch\"");
		seen = 1;
		rc = lex_next(&f->lx, &t);
		if (rc)
			return rc;
		if (!tok_is(&t, "="))
			return lex_error(&f->lx, &t, "expected '=', found %s",
					 tok_describe(&t, d, sizeof(d)));
		rc = parse_arch_values(c, f, abis);
		if (rc || (rc = lex_next(&f->lx, &t)))
			return rc;
		if (tok_is(&t, "]"))
			return 0;
		if (!tok_is(&t, ";"))
			return lex_error(&f->lx, &t, "expected ']' to close the metadata opened "
					 "at %d:%d, found %s", open.line, open.col,
					 tok_describe(&t, d, sizeof(d)));
	}
}

static int check_exists(struct mj_ctx *c, struct mj_file *f, const struct token *t, int id,
			uint32_t abis)
{
	char list[256], name[64];

	for (int a = 0; a < ARCH_COUNT; a++)
		if ((abis & ARCH_MASK(a)) && arch_syscall_nr((enum arch_id)a, id) != ARCH_NR_NONE)
			return 0;
	(void)c;
	return lex_error(&f->lx, t, "syscall '%s' does not exist on %s",
			 tok_text(t, name, sizeof(name)), abi_list(abis, list, sizeof(list)));
}

/* descriptor = NAME [metadata] | NUMBER.  *skip: every ABI excluded. */
static int parse_descriptor(struct mj_ctx *c, struct mj_file *f, struct mj_desc *d, int *skip)
{
	struct token t, m;
	char name[128], dd[96];
	uint32_t mask = c->t.arches;
	int rc = lex_next(&f->lx, &t);

	*skip = 0;
	memset(d, 0, sizeof(*d));
	if (rc)
		return rc;
	d->line = t.line;
	d->col = t.col;
	if (t.kind == TOK_NUMBER) {
		if (t.num > UINT32_MAX)
			return lex_error(&f->lx, &t, "syscall number out of range");
		d->sys = POLICY_SYS_NR;
		d->nr = (uint32_t)t.num;
		return 0;
	}
	if (t.kind != TOK_IDENT || t.start[0] == '@')
		return lex_error(&f->lx, &t, "expected a syscall name, found %s",
				 tok_describe(&t, dd, sizeof(dd)));
	tok_text(&t, name, sizeof(name));
	if (strchr(name, '@'))
		return lex_error(&f->lx, &t, "syscall groups ('%s') are not supported: they "
				 "come from minijail's build-time constants.json", name);
	d->sys = arch_syscall_id(name);
	if (d->sys < 0)
		return lex_error(&f->lx, &t, "unknown syscall '%s'", name);
	rc = lex_peek(&f->lx, &m);
	if (!rc && tok_is(&m, "[")) {
		rc = parse_metadata(c, f, &mask);
		d->abis = mask;
		if (!mask)
			*skip = 1;
	}
	if (rc || *skip)
		return rc;
	return check_exists(c, f, &t, d->sys, mask);
}

/* descriptors = descriptor | '{' descriptor { ',' descriptor } '}' */
static int parse_descriptors(struct mj_ctx *c, struct mj_file *f, struct mj_desc **ds,
			     size_t *n, uint32_t *mask)
{
	struct token t, open;
	char d[96];
	int brace, rc = lex_peek(&f->lx, &open);

	*ds = NULL;
	*n = 0;
	*mask = 0;
	if (rc)
		return rc;
	brace = tok_is(&open, "{");
	if (brace) {
		if ((rc = strict_error(c, f, &open, "a '{...}' syscall list")))
			return rc;
		lex_next(&f->lx, &t);
	}
	for (;;) {
		struct mj_desc one;
		int skip;

		rc = parse_descriptor(c, f, &one, &skip);
		if (rc)
			return rc;
		if (!skip) {
			struct mj_desc *x = realloc(*ds, (*n + 1) * sizeof(*x));

			if (!x)
				return nomem(c);
			*ds = x;
			x[(*n)++] = one;
			*mask |= one.abis ? one.abis : c->t.arches;
		}
		if (!brace)
			return 0;
		rc = lex_next(&f->lx, &t);
		if (rc)
			return rc;
		if (tok_is(&t, "}"))
			return 0;
		if (!tok_is(&t, ","))
			return lex_error(&f->lx, &t, "expected ',' or '}' to close the syscall "
					 "list opened at %d:%d, found %s", open.line, open.col,
					 tok_describe(&t, d, sizeof(d)));
	}
}

static int parse_statement(struct mj_ctx *c, struct mj_file *f)
{
	struct mj_desc *ds = NULL;
	struct mj_filter *fl = NULL;
	size_t nd = 0, nf = 0;
	uint32_t mask;
	struct token t;
	char d[96];
	int rc = parse_descriptors(c, f, &ds, &nd, &mask);

	if (!rc)
		rc = lex_next(&f->lx, &t);
	if (!rc && !tok_is(&t, ":"))
		rc = lex_error(&f->lx, &t, "expected ':' after the syscall, found %s",
			       tok_describe(&t, d, sizeof(d)));
	/* constants take the values of the ABIs the statement applies to */
	if (!rc)
		rc = parse_filter(c, f, mask ? mask : c->t.arches, &fl, &nf);
	if (!rc)
		rc = expect_eol(f);
	for (size_t i = 0; i < nd && !rc; i++)
		for (size_t k = 0; k < nf && !rc; k++)
			rc = add_item(c, f, &ds[i], &fl[k].expr, fl[k].action, fl[k].line,
				      fl[k].col);
	c->seen_filter = 1;
	free(ds);
	free_filters(fl, nf);
	return rc;
}

/* --- directives -------------------------------------------------------------------- */

static int parse_file(struct mj_ctx *c, const char *buf, size_t len, const char *path,
		      const char *canon);

static char *dir_of(const char *path)
{
	char *d = strdup(path);
	char *slash;

	if (!d)
		return NULL;
	slash = strrchr(d, '/');
	if (!slash) {
		free(d);
		return strdup(".");
	}
	if (slash == d)
		slash[1] = 0;
	else
		*slash = 0;
	return d;
}

/* Where an include or frequency path points: absolute as written; relative
 * to o->include_dir, else (strict: the working directory, as the C runtime)
 * the including file's directory (as the Python compiler). */
static char *resolve(struct mj_ctx *c, struct mj_file *f, const char *p)
{
	const char *base = opts(c->t.o)->include_dir;
	char *out;

	if (p[0] == '/')
		return strdup(p);
	if (!base)
		base = c->strict ? "." : f->dir;
	if (asprintf(&out, "%s/%s", base, p) < 0)
		return NULL;
	return out;
}

static int path_token(struct mj_ctx *c, struct mj_file *f, const char *what, char **path,
		      struct token *t)
{
	char d[96], raw[PATH_MAX];
	int rc = lex_next(&f->lx, t);

	if (rc)
		return rc;
	if (t->kind != TOK_PATH)
		return lex_error(&f->lx, t, "expected a path starting with '/' or './' after "
				 "%s, found %s", what, tok_describe(t, d, sizeof(d)));
	if (t->len >= sizeof(raw))
		return lex_error(&f->lx, t, "path too long");
	*path = resolve(c, f, tok_text(t, raw, sizeof(raw)));
	return *path ? 0 : nomem(c);
}

static int do_include(struct mj_ctx *c, struct mj_file *f, const struct token *kw)
{
	struct token t;
	char *path = NULL, *canon = NULL, *buf = NULL;
	size_t len;
	int rc;

	if (c->depth > 1 && (rc = strict_error(c, f, kw, "a nested @include")))
		return rc;
	rc = path_token(c, f, "@include", &path, &t);
	if (!rc)
		rc = expect_eol(f);
	if (rc)
		goto out;
	if (c->depth >= MJ_MAX_DEPTH) {
		rc = lex_error(&f->lx, kw, "@include nested too deep (more than %d levels)",
			       MJ_MAX_DEPTH);
		goto out;
	}
	canon = realpath(path, NULL);
	for (int i = 0; canon && i < c->depth; i++)
		if (c->stack[i] && strcmp(c->stack[i], canon) == 0) {
			rc = lex_error(&f->lx, &t, "include cycle: %s is already being read",
				       canon);
			goto out;
		}
	rc = canon ? text_read_file(canon, &buf, &len) : -errno;
	if (rc) {
		rc = lex_error(&f->lx, &t, "cannot @include %s: %s", path, strerror(-rc));
		goto out;
	}
	if (c->depth == 1) {
		c->top_line = kw->line;
		c->top_col = kw->col;
	}
	{
		const char *kept = text_keep_name(&c->t, path);

		rc = kept ? parse_file(c, buf, len, kept, canon) : nomem(c);
	}
out:
	free(buf);
	free(canon);
	free(path);
	return rc;
}

/* A frequency file ("name: count" lines) only guides minijail's optimiser;
 * muzzle checks it and otherwise ignores it. */
static int check_frequency(struct mj_ctx *c, const char *buf, size_t len, const char *path)
{
	struct mj_file f = { .path = path, .dir = "." };
	struct token t;
	char d[96];
	int rc;

	lex_init(&f.lx, buf, len, path, LEX_NEWLINES | LEX_HASH_COMMENTS | LEX_DASH_IDENT,
		 c->t.err);
	for (;;) {
		struct mj_desc desc;
		int skip;

		if ((rc = lex_peek(&f.lx, &t)))
			return rc;
		if (t.kind == TOK_EOF)
			return 0;
		if (t.kind == TOK_EOL) {
			lex_next(&f.lx, &t);
			continue;
		}
		if ((rc = parse_descriptor(c, &f, &desc, &skip)) || (rc = lex_next(&f.lx, &t)))
			return rc;
		if (!tok_is(&t, ":"))
			return lex_error(&f.lx, &t, "expected ':', found %s",
					 tok_describe(&t, d, sizeof(d)));
		if ((rc = lex_next(&f.lx, &t)))
			return rc;
		if (t.kind != TOK_NUMBER)
			return lex_error(&f.lx, &t, "expected a call count, found %s",
					 tok_describe(&t, d, sizeof(d)));
		if ((rc = expect_eol(&f)))
			return rc;
	}
}

static int do_frequency(struct mj_ctx *c, struct mj_file *f, const struct token *kw)
{
	struct token t;
	char *path = NULL, *buf = NULL;
	size_t len;
	int rc = strict_error(c, f, kw, "@frequency");

	if (!rc)
		rc = path_token(c, f, "@frequency", &path, &t);
	if (!rc)
		rc = expect_eol(f);
	if (!rc && (rc = text_read_file(path, &buf, &len)))
		rc = lex_error(&f->lx, &t, "cannot open frequency file %s: %s", path,
			       strerror(-rc));
	else if (!rc)
		rc = check_frequency(c, buf, len, path);
	free(buf);
	free(path);
	return rc;
}

static int do_default(struct mj_ctx *c, struct mj_file *f, const struct token *kw)
{
	static const struct { const char *s; uint32_t act; } kw_ok[] = {
		{ "kill-process", POLICY_ACT_KILL_PROCESS },
		{ "kill-thread", POLICY_ACT_KILL_THREAD },
		{ "kill", POLICY_ACT_KILL_THREAD }, { "trap", POLICY_ACT_TRAP },
		{ "user-notify", POLICY_ACT_USER_NOTIF },
	};
	struct token t;
	char d[96];
	int rc = strict_error(c, f, kw, "@default");

	if (rc || (rc = lex_next(&f->lx, &t)))
		return rc;
	for (size_t i = 0; i < sizeof(kw_ok) / sizeof(kw_ok[0]); i++)
		if (tok_is(&t, kw_ok[i].s)) {
			c->t.default_action = kw_ok[i].act;
			return expect_eol(f);
		}
	if (tok_is(&t, "allow") || tok_is(&t, "log") || tok_is(&t, "trace") ||
	    tok_is(&t, "return") || (t.kind == TOK_NUMBER && t.num == 1))
		return lex_error(&f->lx, &t, "a permissive default action (%s) is not allowed; "
				 "use @denylist", tok_text(&t, d, sizeof(d)));
	return lex_error(&f->lx, &t, "expected a default action (kill-process, kill-thread, "
			 "kill, trap, user-notify), found %s", tok_describe(&t, d, sizeof(d)));
}

static int do_denylist(struct mj_ctx *c, struct mj_file *f, const struct token *kw)
{
	int rc = strict_error(c, f, kw, "@denylist");

	if (rc)
		return rc;
	if (c->seen_filter)
		return lex_error(&f->lx, kw, "@denylist must come before the first filter");
	c->denylist = 1;
	c->t.default_action = POLICY_ACT_ALLOW;
	return expect_eol(f);
}

static int parse_line(struct mj_ctx *c, struct mj_file *f, const struct token *t)
{
	struct token kw;

	if (t->kind != TOK_IDENT || t->start[0] != '@')
		return parse_statement(c, f);
	lex_next(&f->lx, &kw);
	if (tok_is(&kw, "@include"))
		return do_include(c, f, &kw);
	if (tok_is(&kw, "@frequency"))
		return do_frequency(c, f, &kw);
	if (tok_is(&kw, "@default"))
		return do_default(c, f, &kw);
	if (tok_is(&kw, "@denylist"))
		return do_denylist(c, f, &kw);
	{
		char d[96];

		return lex_error(&f->lx, &kw, "unknown directive %s (expected @include, "
				 "@frequency, @default or @denylist)",
				 tok_describe(&kw, d, sizeof(d)));
	}
}

static int parse_file(struct mj_ctx *c, const char *buf, size_t len, const char *path,
		      const char *canon)
{
	struct mj_file f = { .path = path };
	char *dir = dir_of(path);
	int rc = 0;

	if (!dir)
		return nomem(c);
	f.dir = dir;
	c->stack[c->depth++] = canon ? strdup(canon) : NULL;
	lex_init(&f.lx, buf, len, path, LEX_NEWLINES | LEX_HASH_COMMENTS | LEX_DASH_IDENT |
		 LEX_PATHS, c->t.err);
	for (;;) {
		struct token t;

		rc = lex_peek(&f.lx, &t);
		if (rc || t.kind == TOK_EOF)
			break;
		if (t.kind == TOK_EOL) {
			lex_next(&f.lx, &t);
			continue;
		}
		rc = parse_line(c, &f, &t);
		if (rc)
			break;
	}
	free(c->stack[--c->depth]);
	c->stack[c->depth] = NULL;
	free(dir);
	return rc;
}

int minijail_read(const char *buf, size_t len, const char *name, const struct format_options *o,
		  struct policy *out, struct muzzle_error *err)
{
	struct mj_ctx c;
	char *canon;
	int rc;

	memset(&c, 0, sizeof(c));
	policy_init(out, POLICY_ACT_KILL_THREAD);
	rc = text_ctx_init(&c.t, len, name, o, err);
	if (rc)
		return rc;
	c.strict = opts(o)->strict_minijail;
	canon = name ? realpath(name, NULL) : NULL;
	rc = parse_file(&c, buf, len, c.t.top_name, canon);
	free(canon);
	if (!rc)
		rc = text_ctx_to_policy(&c.t, 1, out);
	text_ctx_free(&c.t);
	if (rc) {
		policy_free(out);
		policy_init(out, POLICY_ACT_KILL_THREAD);
	}
	return rc;
}

/* --- writer ---------------------------------------------------------------------------- */

struct mj_out {
	FILE *f;
	const struct policy *p;
	struct muzzle_error *err;
	int denylist;
	char head[512];		/* "name" or "name[arch=a,b]" of the statement being written */
};

static int refuse(struct muzzle_error *err, const struct policy_rule *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(struct muzzle_error *err, const struct policy_rule *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	muzzle_error_setv(err, -ENOTSUP, r ? r->loc.file : NULL, r ? r->loc.line : 0,
			  r ? r->loc.col : 0, fmt, ap);
	va_end(ap);
	return -ENOTSUP;
}

static const char *rule_name(const struct policy_rule *r, char *buf, size_t len)
{
	if (r->sys >= 0)
		snprintf(buf, len, "%s", arch_syscall_name(r->sys));
	else
		snprintf(buf, len, "%u", r->nr);
	return buf;
}

/* The action as minijail spells it; brace = inside a "{...}" list */
static int action_text(const struct policy_rule *r, uint32_t a, int c_form, char *buf,
		       size_t len, struct muzzle_error *err)
{
	char s[32];

	switch (POLICY_ACT_KIND(a)) {
	case POLICY_ACT_ALLOW: snprintf(buf, len, "%s", c_form ? "1" : "allow"); return 0;
	case POLICY_ACT_ERRNO(0): snprintf(buf, len, "return %u", POLICY_ACT_DATA(a)); return 0;
	case POLICY_ACT_KILL_PROCESS: snprintf(buf, len, "kill-process"); return 0;
	case POLICY_ACT_KILL_THREAD: snprintf(buf, len, "kill-thread"); return 0;
	case POLICY_ACT_TRAP: snprintf(buf, len, "trap"); return 0;
	case POLICY_ACT_LOG: snprintf(buf, len, "log"); return 0;
	case POLICY_ACT_USER_NOTIF: snprintf(buf, len, "user-notify"); return 0;
	case POLICY_ACT_TRACE(0):
		if (POLICY_ACT_DATA(a) == 0) {
			snprintf(buf, len, "trace");
			return 0;
		}
		break;
	}
	return refuse(err, r, "minijail cannot express the action %s",
		      policy_action_str(a, s, sizeof(s)));
}

static int atom_dnf(struct dnf *d, unsigned arg, enum policy_op op, uint64_t datum, uint64_t mask)
{
	dnf_init(d);
	return dnf_set_atom(d, arg, op, datum, mask);
}

/* (x & m) == v as minijail atoms: "x in ~(m & ~v)" and "x & b" for each bit
 * b of v; its negation for MASKED_NE.  Other operators map one to one. */
static int cond_to_dnf(const struct policy_cond *c, struct dnf *out)
{
	uint64_t m = c->mask, v = c->datum, clear = m & ~v;
	int neg = c->op == POLICY_OP_MASKED_NE;
	int rc;

	dnf_init(out);
	if (c->op != POLICY_OP_MASKED_EQ && c->op != POLICY_OP_MASKED_NE)
		return dnf_set_atom(out, c->arg, (enum policy_op)c->op, c->datum, ~(uint64_t)0);
	if (v & ~m)	/* never equal */
		return neg ? dnf_set_true(out) : 0;
	rc = dnf_set_true(out);
	if (!rc && clear) {
		struct dnf a;

		rc = atom_dnf(&a, c->arg, POLICY_OP_MASKED_EQ, 0, clear);
		rc = rc ? rc : dnf_and(out, &a);
	}
	for (int b = 0; b < 64 && !rc; b++) {
		struct dnf a;

		if (!(v & ((uint64_t)1 << b)))
			continue;
		rc = atom_dnf(&a, c->arg, POLICY_OP_MASKED_NE, 0, (uint64_t)1 << b);
		rc = rc ? rc : dnf_and(out, &a);
	}
	return rc || !neg ? rc : dnf_not(out);
}

static int rule_to_dnf(const struct policy_rule *r, struct dnf *out)
{
	int rc = 0;

	dnf_init(out);
	rc = dnf_set_true(out);
	for (unsigned i = 0; i < r->ncond && !rc; i++) {
		struct dnf c;

		rc = cond_to_dnf(&r->cond[i], &c);
		rc = rc ? rc : dnf_and(out, &c);
	}
	return rc;
}

static void write_atom(FILE *f, const struct policy_cond *c)
{
	unsigned long long m = c->mask, d = c->datum;

	switch (c->op) {
	case POLICY_OP_MASKED_NE:
		fprintf(f, "arg%u & 0x%llx", c->arg, m);
		break;
	case POLICY_OP_MASKED_EQ:
		fprintf(f, "arg%u in ~0x%llx", c->arg, m);
		break;
	default:
		fprintf(f, "arg%u %s 0x%llx", c->arg, policy_op_str((enum policy_op)c->op), d);
		break;
	}
}

static void write_terms(FILE *f, const struct dnf *d)
{
	for (size_t i = 0; i < d->n; i++) {
		fprintf(f, "%s", i ? " || " : "");
		for (unsigned k = 0; k < d->t[i].n; k++) {
			fprintf(f, "%s", k ? " && " : "");
			write_atom(f, &d->t[i].c[k]);
		}
	}
}

static int check_rule_writable(const struct mj_out *w, const struct policy_rule *r)
{
	char name[64];

	rule_name(r, name, sizeof(name));
	if (r->sys < 0 && r->abis && (r->abis & w->p->arches) != w->p->arches)
		return refuse(w->err, r, "minijail cannot express a raw-number rule for some "
			      "ABIs only (%s): [arch=] metadata needs a syscall name", name);
	if (!(r->flags & POLICY_RULE_EXACT) && r->sys >= 0)
		for (int a = 0; a < ARCH_COUNT; a++) {
			uint32_t call;

			if ((w->p->arches & ARCH_MASK(a)) &&
			    arch_mux_lookup((enum arch_id)a, r->sys, &call) != ARCH_MUX_NONE)
				return refuse(w->err, r, "minijail cannot express the socketcall/"
					      "ipc expansion of the rule for %s on %s", name,
					      arch_get((enum arch_id)a)->name);
		}
	if (w->denylist && POLICY_ACT_KIND(r->action) != POLICY_ACT_ERRNO(0))
		return refuse(w->err, r, "with a default action of ALLOW minijail needs "
			      "@denylist, where every rule returns an errno (%s does not)", name);
	return 0;
}

static int same_syscall(const struct policy_rule *a, const struct policy_rule *b)
{
	return a->sys == b->sys && (a->sys != POLICY_SYS_NR || a->nr == b->nr);
}

static int by_strictness(const void *a, const void *b)
{
	const struct policy_rule *x = *(const struct policy_rule *const *)a;
	const struct policy_rule *y = *(const struct policy_rule *const *)b;

	if (policy_action_stricter(x->action, y->action))
		return -1;
	if (policy_action_stricter(y->action, x->action))
		return 1;
	return x < y ? -1 : x > y;	/* keep the order they were added in */
}

/* Conditional rules: the strictest matching one decides, so list them
 * strictest first in a first-match "{expr; action, ...}" list.  When every
 * rule allows, the C parser's "expr || expr" form says the same.  Rules that
 * can never match are left out; an always-true one ends the list. */
static int write_conditional(struct mj_out *w, const struct policy_rule **rs, size_t n)
{
	struct dnf *ds = calloc(n, sizeof(*ds));
	int all_allow = 1, rc = 0;
	size_t live = 0;
	char name[64], a[32];

	if (!ds)
		return muzzle_error_set(w->err, -ENOMEM, NULL, 0, 0, "out of memory");
	qsort(rs, n, sizeof(*rs), by_strictness);
	rule_name(rs[0], name, sizeof(name));
	for (size_t i = 0; i < n && !rc; i++) {
		rc = rule_to_dnf(rs[i], &ds[i]);
		if (rc == -E2BIG)
			rc = refuse(w->err, rs[i], "condition of a rule for %s too complex to "
				    "write as minijail atoms", name);
		if (!rc && ds[i].n) {
			all_allow &= rs[i]->action == POLICY_ACT_ALLOW;
			live++;
		}
	}
	if (!rc && live)
		fprintf(w->f, "%s: %s", w->head, all_allow ? "" : "{ ");
	for (size_t i = 0, items = 0; i < n && !rc && live; i++) {
		if (!ds[i].n)
			continue;
		if (!all_allow)
			rc = action_text(rs[i], rs[i]->action, 0, a, sizeof(a), w->err);
		if (rc)
			break;
		fprintf(w->f, "%s", items++ ? (all_allow ? " || " : ", ") : "");
		if (dnf_is_true(&ds[i])) {
			fprintf(w->f, "%s", all_allow ? "1" : a);
			break;
		}
		write_terms(w->f, &ds[i]);
		if (!all_allow)
			fprintf(w->f, "; %s", a);
	}
	if (!rc && live)
		fprintf(w->f, "%s\n", all_allow ? "" : " }");
	for (size_t i = 0; i < n; i++)
		dnf_free(&ds[i]);
	free(ds);
	return rc;
}

static int term_in(const struct dnf_term *t, const struct dnf *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->t[i].n == t->n && memcmp(d->t[i].c, t->c, t->n * sizeof(t->c[0])) == 0)
			return 1;
	return 0;
}

/* The C parser's "expr; return E" (allow when expr holds, else errno E) reads
 * back as ALLOW rules for expr and ERRNO(E) rules for !expr.  Recognise that
 * shape so such policies stay loadable by the runtime parser. */
static int try_else_form(struct mj_out *w, const struct policy_rule **rs, size_t n, int *done)
{
	struct dnf allow, other, neg;
	uint32_t errno_act = 0;
	int rc = 0, same;

	*done = 0;
	dnf_init(&allow);
	dnf_init(&other);
	for (size_t i = 0; i < n && !rc; i++) {
		struct dnf d;
		uint32_t a = rs[i]->action;

		if (a != POLICY_ACT_ALLOW && (POLICY_ACT_KIND(a) != POLICY_ACT_ERRNO(0) ||
					      (errno_act && a != errno_act)))
			rc = 1;
		else if (!(rc = rule_to_dnf(rs[i], &d)))
			rc = dnf_or(a == POLICY_ACT_ALLOW ? &allow : &other, &d);
		if (a != POLICY_ACT_ALLOW)
			errno_act = a;
	}
	if (rc || !errno_act || !allow.n || dnf_copy(&neg, &allow)) {
		dnf_free(&allow);
		dnf_free(&other);
		return rc < 0 ? rc : 0;
	}
	same = dnf_not(&neg) == 0 && neg.n == other.n;
	for (size_t i = 0; same && i < neg.n; i++)
		same = term_in(&neg.t[i], &other) && term_in(&other.t[i], &neg);
	if (same) {
		fprintf(w->f, "%s: ", w->head);
		write_terms(w->f, &allow);
		fprintf(w->f, "; return %u\n", POLICY_ACT_DATA(errno_act));
		*done = 1;
	}
	dnf_free(&neg);
	dnf_free(&allow);
	dnf_free(&other);
	return 0;
}

/* The rules for one syscall that apply on one group of ABIs. */
static int write_group(struct mj_out *w, const struct policy_rule **rs, size_t n)
{
	char a[32];
	int rc, done_else;

	for (size_t i = 0; i < n; i++)
		if (rs[i]->ncond == 0) {
			/* the first unconditional rule decides alone */
			rc = action_text(rs[i], rs[i]->action, 1, a, sizeof(a), w->err);
			if (!rc)
				fprintf(w->f, "%s: %s\n", w->head, a);
			return rc;
		}
	rc = try_else_form(w, rs, n, &done_else);
	if (!rc && !done_else)
		rc = write_conditional(w, rs, n);
	return rc;
}

static int applies(const struct policy_rule *r, int abi)
{
	return !r->abis || (r->abis & ARCH_MASK(abi));
}

/* ABIs that see exactly the rules abi sees form one statement; when that is
 * not every ABI of the policy, "[arch=...]" metadata says which. */
static uint32_t abi_group(const struct policy *p, const struct policy_rule **rs, size_t n,
			  int abi, uint32_t done)
{
	uint32_t group = 0;

	for (int b = abi; b < ARCH_COUNT; b++) {
		int same = (p->arches & ARCH_MASK(b)) && !(done & ARCH_MASK(b));

		for (size_t i = 0; i < n && same; i++)
			same = applies(rs[i], abi) == applies(rs[i], b);
		if (same)
			group |= ARCH_MASK(b);
	}
	return group;
}

static void set_head(struct mj_out *w, const struct policy_rule *r, uint32_t group)
{
	size_t off;

	rule_name(r, w->head, sizeof(w->head));
	if (group == w->p->arches)
		return;
	off = strlen(w->head);
	off += (size_t)snprintf(w->head + off, sizeof(w->head) - off, "[arch=");
	for (int a = 0; a < ARCH_COUNT && off < sizeof(w->head); a++)
		if (group & ARCH_MASK(a))
			off += (size_t)snprintf(w->head + off, sizeof(w->head) - off, "%s%s",
						w->head[off - 1] == '=' ? "" : ",",
						arch_get((enum arch_id)a)->name);
	if (off < sizeof(w->head))
		snprintf(w->head + off, sizeof(w->head) - off, "]");
}

static int write_syscall(struct mj_out *w, size_t first, unsigned char *done)
{
	const struct policy *p = w->p;
	const struct policy_rule **rs = malloc(p->nrules * sizeof(*rs));
	const struct policy_rule **sub = malloc(p->nrules * sizeof(*sub));
	uint32_t seen = 0;
	size_t n = 0;
	int rc = 0;

	if (!rs || !sub) {
		free(rs);
		free(sub);
		return muzzle_error_set(w->err, -ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t i = first; i < p->nrules && !rc; i++) {
		if (done[i] || !same_syscall(&p->rules[i], &p->rules[first]))
			continue;
		done[i] = 1;
		rc = check_rule_writable(w, &p->rules[i]);
		rs[n++] = &p->rules[i];
	}
	for (int a = 0; a < ARCH_COUNT && !rc; a++) {
		uint32_t group;
		size_t k = 0;

		if (!(p->arches & ARCH_MASK(a)) || (seen & ARCH_MASK(a)))
			continue;
		group = abi_group(p, rs, n, a, seen);
		seen |= group;
		for (size_t i = 0; i < n; i++)
			if (applies(rs[i], a))
				sub[k++] = rs[i];
		set_head(w, rs[0], group);
		if (k)
			rc = write_group(w, sub, k);
	}
	free(rs);
	free(sub);
	return rc;
}

static int write_header(struct mj_out *w)
{
	const struct policy *p = w->p;
	char s[32];

	if (p->badarch_action != POLICY_ACT_KILL_THREAD)
		return refuse(w->err, NULL, "minijail kills the thread on a foreign "
			      "architecture; it cannot express a bad-architecture action of %s",
			      policy_action_str(p->badarch_action, s, sizeof(s)));
	if (p->flags)
		return refuse(w->err, NULL, "minijail policies cannot carry seccomp filter "
			      "flags (0x%x)", p->flags);
	if (!p->no_new_privs)
		return refuse(w->err, NULL, "minijail policies cannot say no_new_privs=0");
	if (p->listener_path || p->listener_metadata)
		return refuse(w->err, NULL, "minijail cannot express a notification listener "
			      "path or metadata");
	fprintf(w->f, "# minijail seccomp policy written by muzzle (ABIs:");
	for (int a = 0; a < ARCH_COUNT; a++)
		if (p->arches & ARCH_MASK(a))
			fprintf(w->f, " %s", arch_get((enum arch_id)a)->name);
	fprintf(w->f, ")\n");
	switch (p->default_action) {
	case POLICY_ACT_KILL_THREAD: return 0;
	case POLICY_ACT_KILL_PROCESS: fprintf(w->f, "@default kill-process\n"); return 0;
	case POLICY_ACT_TRAP: fprintf(w->f, "@default trap\n"); return 0;
	case POLICY_ACT_USER_NOTIF: fprintf(w->f, "@default user-notify\n"); return 0;
	case POLICY_ACT_ALLOW:
		fprintf(w->f, "@denylist\n");
		w->denylist = 1;
		return 0;
	}
	return refuse(w->err, NULL, "minijail cannot express a default action of %s",
		      policy_action_str(p->default_action, s, sizeof(s)));
}

static int write_all(struct mj_out *w)
{
	unsigned char *done;
	int rc = write_header(w);

	if (rc)
		return rc;
	done = calloc(w->p->nrules ? w->p->nrules : 1, 1);
	if (!done)
		return muzzle_error_set(w->err, -ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < w->p->nrules && !rc; i++)
		if (!done[i])
			rc = write_syscall(w, i, done);
	free(done);
	return rc;
}

/* The text is built in memory and only written out when every rule could
 * be expressed: a refusal leaves no partial policy behind. */
int minijail_write(FILE *out, const struct policy *p, const struct format_options *o,
		   struct muzzle_error *err)
{
	struct mj_out w = { .p = p, .err = err };
	char *text = NULL;
	size_t len = 0;
	int rc;

	(void)o;
	w.f = open_memstream(&text, &len);
	if (!w.f)
		return muzzle_error_set(err, -ENOMEM, NULL, 0, 0, "out of memory");
	rc = write_all(&w);
	if (fclose(w.f) && !rc)
		rc = muzzle_error_set(err, -ENOMEM, NULL, 0, 0, "out of memory");
	if (!rc && fwrite(text, 1, len, out) != len)
		rc = muzzle_error_set(err, -EIO, NULL, 0, 0, "write failed");
	free(text);
	return rc;
}
