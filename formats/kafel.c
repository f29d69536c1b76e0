/* Kafel policies (google/kafel).
 *
 * Grammar read here:
 *   file      = { '#define' NAME number | '#include' STRING {STRING} [';']
 *               | 'POLICY' NAME '{' [stmts] '}' | 'DEFAULT' action | stmt [','] }
 *   stmts     = stmt { ',' stmt }
 *   stmt      = 'USE' NAME | action '{' [filter { ',' filter }] '}'
 *   filter    = sysid [ '(' [NAME { ',' NAME }] ')' ] [ 'ON' arches ] [ '{' [expr] '}' ]
 *   sysid     = NAME | 'SYSCALL' '[' number ']'      (a #define'd NAME is a number)
 *   action    = ALLOW | LOG | KILL | KILL_THREAD | DENY | KILL_PROCESS | USER_NOTIF
 *             | ERRNO(n) | TRAP(n) | TRACE(n)
 *   expr      = or { ',' or }; or = and { '||' and }; and = unary { '&&' unary }
 *   unary     = '!' unary | cmp;  cmp = value [ op value ];  op = == != < <= > >=
 *   value     = band { '|' band };  band = prim { '&' prim }
 *   prim      = number | '-' number | NAME | '(' expr ')'
 * File-scope statements form the implicit top-level policy, which is what
 * gets compiled.  The first filter (in order, USE expanded in place) that
 * names the syscall and whose expression holds decides; otherwise DEFAULT
 * (KILL, i.e. KILL_THREAD, when absent).  Expressions are turned into DNF
 * with negations pushed onto the operators.
 *
 * Argument names: declared in the filter, else the kernel's parameter names
 * for common syscalls (table below), else arg0..arg5 (a muzzle extension).
 * Constant names: #define, else the generated header constants (consts.h).
 * Every rule is POLICY_RULE_EXACT (Kafel never looks through socketcall). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consts.h"
#include "format.h"
#include "lexer.h"

#define KF_MAX_DEPTH 16		/* #include nesting */
#define KF_MAX_USE_DEPTH 64	/* USE nesting when expanding */
#define KF_MAX_ITEMS 200000	/* filters after USE expansion */

/* Parameter names of common syscalls, as the kernel's SYSCALL_DEFINE
 * declarations spell them (the names Kafel users write). */
static const struct { const char *sys; const char *args[6]; } known_args[] = {
	{ "accept4", { "fd", "upeer_sockaddr", "upeer_addrlen", "flags" } },
	{ "bind", { "fd", "umyaddr", "addrlen" } },
	{ "clone", { "clone_flags", "newsp", "parent_tidptr", "child_tidptr", "tls" } },
	{ "close", { "fd" } },
	{ "connect", { "fd", "uservaddr", "addrlen" } },
	{ "dup", { "fildes" } },
	{ "dup2", { "oldfd", "newfd" } },
	{ "dup3", { "oldfd", "newfd", "flags" } },
	{ "epoll_create1", { "flags" } },
	{ "eventfd2", { "count", "flags" } },
	{ "execve", { "filename", "argv", "envp" } },
	{ "exit", { "error_code" } },
	{ "exit_group", { "error_code" } },
	{ "faccessat", { "dfd", "filename", "mode" } },
	{ "fcntl", { "fd", "cmd", "arg" } },
	{ "fstat", { "fd", "statbuf" } },
	{ "futex", { "uaddr", "op", "val", "utime", "uaddr2", "val3" } },
	{ "getrandom", { "buf", "count", "flags" } },
	{ "getsockopt", { "fd", "level", "optname", "optval", "optlen" } },
	{ "ioctl", { "fd", "cmd", "arg" } },
	{ "kill", { "pid", "sig" } },
	{ "lseek", { "fd", "offset", "whence" } },
	{ "madvise", { "start", "len_in", "behavior" } },
	{ "memfd_create", { "uname", "flags" } },
	{ "mmap", { "addr", "len", "prot", "flags", "fd", "off" } },
	{ "mprotect", { "start", "len", "prot" } },
	{ "mremap", { "addr", "old_len", "new_len", "flags", "new_addr" } },
	{ "munmap", { "addr", "len" } },
	{ "newfstatat", { "dfd", "filename", "statbuf", "flag" } },
	{ "open", { "filename", "flags", "mode" } },
	{ "openat", { "dfd", "filename", "flags", "mode" } },
	{ "personality", { "personality" } },
	{ "pipe2", { "fildes", "flags" } },
	{ "prctl", { "option", "arg2", "arg3", "arg4", "arg5" } },
	{ "pread64", { "fd", "buf", "count", "pos" } },
	{ "ptrace", { "request", "pid", "addr", "data" } },
	{ "pwrite64", { "fd", "buf", "count", "pos" } },
	{ "read", { "fd", "buf", "count" } },
	{ "recvfrom", { "fd", "ubuf", "size", "flags", "addr", "addr_len" } },
	{ "rt_sigaction", { "sig", "act", "oact", "sigsetsize" } },
	{ "rt_sigprocmask", { "how", "nset", "oset", "sigsetsize" } },
	{ "sendto", { "fd", "buff", "len", "flags", "addr", "addr_len" } },
	{ "setns", { "fd", "flags" } },
	{ "setsockopt", { "fd", "level", "optname", "optval", "optlen" } },
	{ "socket", { "family", "type", "protocol" } },
	{ "socketpair", { "family", "type", "protocol", "usockvec" } },
	{ "stat", { "filename", "statbuf" } },
	{ "tgkill", { "tgid", "pid", "sig" } },
	{ "tkill", { "pid", "sig" } },
	{ "unshare", { "unshare_flags" } },
	{ "wait4", { "upid", "stat_addr", "options", "ru" } },
	{ "write", { "fd", "buf", "count" } },
};

/* Kafel's syscall database uses the kernel's function names for a few calls
 * (sys_newfstat, ...): read both spellings, write Kafel's. */
static const struct { const char *kafel, *name; } kafel_aliases[] = {
	{ "newfstat", "fstat" }, { "newlstat", "lstat" }, { "newstat", "stat" },
	{ "newuname", "uname" },
};

static int kafel_syscall_id(const char *name)
{
	for (size_t i = 0; i < sizeof(kafel_aliases) / sizeof(kafel_aliases[0]); i++)
		if (strcmp(name, kafel_aliases[i].kafel) == 0)
			return arch_syscall_id(kafel_aliases[i].name);
	return arch_syscall_id(name);
}

static const char *kafel_name(int id)
{
	const char *name = arch_syscall_name(id);

	for (size_t i = 0; i < sizeof(kafel_aliases) / sizeof(kafel_aliases[0]); i++)
		if (strcmp(name, kafel_aliases[i].name) == 0)
			return kafel_aliases[i].kafel;
	return name;
}

struct kf_define {
	char *name;
	uint64_t value;
};

struct kf_filter {
	int sys;
	uint32_t nr;
	uint32_t abis;
	struct dnf expr;
	const char *file;
	int line, col;
};

struct kf_entry {
	int use;		/* index of the used policy, or -1 for an action block */
	uint32_t action;
	struct kf_filter *f;
	size_t nf;
	int line, col;
	const char *file;
};

struct kf_policy {
	char *name;
	int defined;		/* body read; USE may name it */
	struct kf_entry *e;
	size_t ne;
};

struct kf_ctx {
	struct text_ctx t;		/* items, file names, shared settings */
	int have_default;
	struct kf_define *defs;
	size_t ndefs;
	struct kf_policy *pols;	/* pols[0] is the implicit top-level policy */
	size_t npols;
	char *stack[KF_MAX_DEPTH + 1];
	int depth;
};

struct kf_file {
	struct lexer lx;
	const char *path;
	const char *dir;
};

/* the argument names in scope for one filter */
struct kf_args {
	const char *names[6];
	size_t lens[6];
};

static const struct format_options *opts(const struct format_options *o)
{
	static const struct format_options none;

	return o ? o : &none;
}

static int nomem(struct kf_ctx *c)
{
	return muzzle_error_set(c->t.err, -ENOMEM, c->t.top_name, 0, 0, "out of memory");
}

static int expect(struct kf_file *f, const char *what)
{
	struct token t;
	char d[96];
	int rc = lex_next(&f->lx, &t);

	if (rc)
		return rc;
	if (!tok_is(&t, what))
		return lex_error(&f->lx, &t, "expected '%s', found %s", what,
				 tok_describe(&t, d, sizeof(d)));
	return 0;
}

static int accept_tok(struct kf_file *f, const char *what)
{
	struct token t;

	if (lex_peek(&f->lx, &t) || !tok_is(&t, what))
		return 0;
	lex_next(&f->lx, &t);
	return 1;
}

static const struct kf_define *find_define(const struct kf_ctx *c, const struct token *t)
{
	for (size_t i = 0; i < c->ndefs; i++)
		if (strlen(c->defs[i].name) == t->len &&
		    memcmp(c->defs[i].name, t->start, t->len) == 0)
			return &c->defs[i];
	return NULL;
}

static int find_policy(const struct kf_ctx *c, const struct token *t)
{
	for (size_t i = 1; i < c->npols; i++)
		if (c->pols[i].defined && strlen(c->pols[i].name) == t->len &&
		    memcmp(c->pols[i].name, t->start, t->len) == 0)
			return (int)i;
	return -1;
}

/* number = NUMBER | '-' NUMBER (Kafel's decimal numbers may be negative) */
static int parse_number(struct kf_file *f, uint64_t *v)
{
	struct token t, n;
	char d[96];
	int rc = lex_next(&f->lx, &t);

	if (rc)
		return rc;
	if (t.kind == TOK_NUMBER) {
		*v = t.num;
		return 0;
	}
	if (!tok_is(&t, "-"))
		return lex_error(&f->lx, &t, "expected a number, found %s",
				 tok_describe(&t, d, sizeof(d)));
	if ((rc = lex_next(&f->lx, &n)))
		return rc;
	if (n.kind != TOK_NUMBER)
		return lex_error(&f->lx, &n, "expected a number after '-', found %s",
				 tok_describe(&n, d, sizeof(d)));
	if (n.num > (uint64_t)INT64_MAX + 1)
		return lex_error(&f->lx, &t, "negative number out of range");
	*v = (uint64_t)0 - n.num;
	return 0;
}

/* --- actions ------------------------------------------------------------------- */

static int action_arg(struct kf_file *f, const struct token *kw, uint64_t max, uint64_t *v)
{
	struct token t;
	int rc = expect(f, "(");

	if (rc || (rc = lex_peek(&f->lx, &t)) || (rc = parse_number(f, v)) ||
	    (rc = expect(f, ")")))
		return rc;
	if (*v > max && max == 0)
		return lex_error(&f->lx, &t, "TRAP data (%llu) is not supported by muzzle's "
				 "policy model; only TRAP(0)", (unsigned long long)*v);
	if (*v > max) {
		char name[16];

		return lex_error(&f->lx, &t, "%s value %llu out of range (0..%llu)",
				 tok_text(kw, name, sizeof(name)), (unsigned long long)*v,
				 (unsigned long long)max);
	}
	return 0;
}

static int is_action(const struct token *t)
{
	static const char *const names[] = {
		"ALLOW", "LOG", "KILL", "KILL_THREAD", "DENY", "KILL_PROCESS", "USER_NOTIF",
		"ERRNO", "TRAP", "TRACE",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (tok_is(t, names[i]))
			return 1;
	return 0;
}

static int parse_action(struct kf_file *f, uint32_t *action)
{
	static const struct { const char *s; uint32_t act; } plain[] = {
		{ "ALLOW", POLICY_ACT_ALLOW }, { "LOG", POLICY_ACT_LOG },
		{ "KILL", POLICY_ACT_KILL_THREAD }, { "KILL_THREAD", POLICY_ACT_KILL_THREAD },
		{ "DENY", POLICY_ACT_KILL_THREAD }, { "KILL_PROCESS", POLICY_ACT_KILL_PROCESS },
		{ "USER_NOTIF", POLICY_ACT_USER_NOTIF },
	};
	struct token t;
	uint64_t v;
	char d[96];
	int rc = lex_next(&f->lx, &t);

	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (tok_is(&t, plain[i].s)) {
			*action = plain[i].act;
			return 0;
		}
	if (tok_is(&t, "ERRNO")) {
		rc = action_arg(f, &t, 4095, &v);
		*action = POLICY_ACT_ERRNO(v);
		return rc;
	}
	if (tok_is(&t, "TRACE")) {
		rc = action_arg(f, &t, 0xffff, &v);
		*action = POLICY_ACT_TRACE(v);
		return rc;
	}
	if (tok_is(&t, "TRAP")) {
		/* the policy model carries no TRAP data (si_errno) */
		rc = action_arg(f, &t, 0, &v);
		*action = POLICY_ACT_TRAP;
		return rc;
	}
	return lex_error(&f->lx, &t, "expected an action (ALLOW, LOG, KILL, KILL_THREAD, DENY, "
			 "KILL_PROCESS, USER_NOTIF, ERRNO(n), TRAP(n), TRACE(n)), found %s",
			 tok_describe(&t, d, sizeof(d)));
}

/* --- expressions ------------------------------------------------------------------ */

enum kv_kind { KV_BOOL, KV_CONST, KV_ARG };

struct kval {
	enum kv_kind kind;
	struct dnf d;		/* KV_BOOL */
	uint64_t c;		/* KV_CONST */
	unsigned arg;		/* KV_ARG */
	uint64_t mask;		/* KV_ARG: all ones when not masked */
	struct token at;	/* where it starts, for messages */
};

struct kf_expr {
	struct kf_ctx *c;
	struct kf_file *f;
	const struct kf_args *args;
	uint32_t abis;
	int depth;
};

static int parse_or_list(struct kf_expr *x, struct kval *out, int commas);

static int too_complex(struct kf_expr *x, const struct token *t, int rc)
{
	if (rc == -E2BIG)
		return lex_error(&x->f->lx, t, "expression too complex in disjunctive normal form "
				 "(at most %d alternatives of %d comparisons)", DNF_MAX_TERMS,
				 POLICY_MAX_COND);
	if (rc == -ENOMEM)
		return nomem(x->c);
	return rc;
}

static int name_value(struct kf_expr *x, const struct token *t, struct kval *v)
{
	char name[128];
	const struct kf_define *def = find_define(x->c, t);
	enum arch_id bad = ARCH_X86_64;
	int rc;

	if (def) {
		v->kind = KV_CONST;
		v->c = def->value;
		return 0;
	}
	for (unsigned i = 0; i < 6; i++)
		if (x->args->names[i] && x->args->lens[i] == t->len &&
		    memcmp(x->args->names[i], t->start, t->len) == 0) {
			v->kind = KV_ARG;
			v->arg = i;
			v->mask = ~(uint64_t)0;
			return 0;
		}
	if (t->len == 4 && memcmp(t->start, "arg", 3) == 0 && t->start[3] >= '0' &&
	    t->start[3] <= '5') {
		/* muzzle extension: argN always names argument N */
		v->kind = KV_ARG;
		v->arg = (unsigned)(t->start[3] - '0');
		v->mask = ~(uint64_t)0;
		return 0;
	}
	tok_text(t, name, sizeof(name));
	rc = consts_lookup_all(name, x->abis, &v->c, &bad);
	v->kind = KV_CONST;
	if (rc == 0)
		return 0;
	if (rc == -ENOTSUP)
		return lex_error(&x->f->lx, t, "constant '%s' has no known value on %s; "
				 "#define it", name, arch_get(bad)->name);
	if (rc == -EDOM)
		return lex_error(&x->f->lx, t, "constant '%s' differs between the selected ABIs; "
				 "#define it or select one ABI", name);
	return lex_error(&x->f->lx, t, "undefined argument or constant '%s'", name);
}

static void kval_free(struct kval *v)
{
	dnf_free(&v->d);
}

static void kval_init(struct kval *v)
{
	memset(v, 0, sizeof(*v));
	dnf_init(&v->d);
}

static int parse_prim(struct kf_expr *x, struct kval *v)
{
	struct token t;
	char d[96];
	int rc = lex_peek(&x->f->lx, &t);

	memset(v, 0, sizeof(*v));
	dnf_init(&v->d);
	v->at = t;
	if (rc)
		return rc;
	if (t.kind == TOK_NUMBER || tok_is(&t, "-")) {
		v->kind = KV_CONST;
		return parse_number(x->f, &v->c);
	}
	lex_next(&x->f->lx, &t);
	if (t.kind == TOK_IDENT)
		return name_value(x, &t, v);
	if (tok_is(&t, "(")) {
		if (++x->depth > 200)
			return lex_error(&x->f->lx, &t, "expression nested too deeply");
		rc = parse_or_list(x, v, 0);
		x->depth--;
		v->at = t;
		return rc ? rc : expect(x->f, ")");
	}
	return lex_error(&x->f->lx, &t, "expected a number, a name or '(', found %s",
			 tok_describe(&t, d, sizeof(d)));
}

static int not_value(struct kf_expr *x, const struct kval *v, const char *what)
{
	return lex_error(&x->f->lx, &v->at, "%s", what);
}

/* band = prim { '&' prim }: constants fold; an argument may be masked */
static int parse_band(struct kf_expr *x, struct kval *v)
{
	int rc = parse_prim(x, v);

	while (!rc && accept_tok(x->f, "&")) {
		struct kval r;

		kval_init(&r);
		rc = parse_prim(x, &r);
		if (!rc && (v->kind == KV_BOOL || r.kind == KV_BOOL))
			rc = not_value(x, v->kind == KV_BOOL ? v : &r,
				       "'&' needs numbers or an argument, not a comparison");
		else if (!rc && v->kind == KV_ARG && r.kind == KV_ARG)
			rc = not_value(x, &r, "cannot mask an argument with another argument");
		else if (!rc && v->kind == KV_CONST && r.kind == KV_CONST)
			v->c &= r.c;
		else if (!rc && v->kind == KV_ARG)
			v->mask &= r.c;
		else if (!rc) {
			v->kind = KV_ARG;
			v->arg = r.arg;
			v->mask = v->c & r.mask;
		}
		kval_free(&r);
	}
	return rc;
}

/* value = band { '|' band }: only constants combine with '|' */
static int parse_value(struct kf_expr *x, struct kval *v)
{
	int rc = parse_band(x, v);

	while (!rc && accept_tok(x->f, "|")) {
		struct kval r;

		kval_init(&r);
		rc = parse_band(x, &r);
		if (!rc && (v->kind != KV_CONST || r.kind != KV_CONST))
			rc = not_value(x, v->kind != KV_CONST ? v : &r,
				       "'|' combines constants only");
		else if (!rc)
			v->c |= r.c;
		kval_free(&r);
	}
	return rc;
}

static enum policy_op swap_op(enum policy_op op)
{
	switch (op) {
	case POLICY_OP_LT: return POLICY_OP_GT;
	case POLICY_OP_GT: return POLICY_OP_LT;
	case POLICY_OP_LE: return POLICY_OP_GE;
	case POLICY_OP_GE: return POLICY_OP_LE;
	default: return op;
	}
}

static int const_holds(enum policy_op op, uint64_t a, uint64_t b)
{
	switch (op) {
	case POLICY_OP_EQ: return a == b;
	case POLICY_OP_NE: return a != b;
	case POLICY_OP_LT: return a < b;
	case POLICY_OP_LE: return a <= b;
	case POLICY_OP_GT: return a > b;
	case POLICY_OP_GE: return a >= b;
	default: return 0;
	}
}

/* l op r into a comparison; one side must be an argument, the other a constant */
static int make_cmp(struct kf_expr *x, struct kval *l, enum policy_op op, struct kval *r,
		    const struct token *optok)
{
	struct kval *a = l, *k = r;
	int rc;

	if (l->kind == KV_BOOL || r->kind == KV_BOOL)
		return lex_error(&x->f->lx, optok, "comparison of a comparison (write && or ||)");
	if (l->kind == KV_CONST && r->kind == KV_CONST) {
		dnf_init(&l->d);
		rc = const_holds(op, l->c, r->c) ? dnf_set_true(&l->d) : 0;
		l->kind = KV_BOOL;
		return rc;
	}
	if (l->kind == KV_ARG && r->kind == KV_ARG)
		return lex_error(&x->f->lx, optok, "comparing two arguments is not supported "
				 "(seccomp compares arguments with constants)");
	if (l->kind == KV_CONST) {
		a = r;
		k = l;
		op = swap_op(op);
	}
	if (a->mask != ~(uint64_t)0) {
		if (op != POLICY_OP_EQ && op != POLICY_OP_NE)
			return lex_error(&x->f->lx, optok, "a masked argument can only be compared "
					 "with == or !=");
		op = op == POLICY_OP_EQ ? POLICY_OP_MASKED_EQ : POLICY_OP_MASKED_NE;
	}
	dnf_init(&l->d);
	rc = dnf_set_atom(&l->d, a->arg, op, k->c, a->mask);
	l->kind = KV_BOOL;
	return rc;
}

/* cmp = value [ op value ] */
static int parse_cmp(struct kf_expr *x, struct kval *v)
{
	static const struct { const char *s; enum policy_op op; } ops[] = {
		{ "==", POLICY_OP_EQ }, { "!=", POLICY_OP_NE }, { "<", POLICY_OP_LT },
		{ "<=", POLICY_OP_LE }, { ">", POLICY_OP_GT }, { ">=", POLICY_OP_GE },
	};
	struct token t;
	int rc = parse_value(x, v);

	if (rc || (rc = lex_peek(&x->f->lx, &t)))
		return rc;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (tok_is(&t, ops[i].s)) {
			struct kval r;

		kval_init(&r);
			lex_next(&x->f->lx, &t);
			rc = parse_value(x, &r);
			if (!rc)
				rc = make_cmp(x, v, ops[i].op, &r, &t);
			kval_free(&r);
			return too_complex(x, &t, rc);
		}
	return 0;
}

static int want_bool(struct kf_expr *x, const struct kval *v)
{
	if (v->kind == KV_BOOL)
		return 0;
	return lex_error(&x->f->lx, &v->at, "expected a comparison (==, !=, <, <=, >, >=)");
}

/* unary = '!' unary | cmp */
static int parse_unary(struct kf_expr *x, struct kval *v)
{
	struct token t;
	int rc;

	kval_init(v);
	rc = lex_peek(&x->f->lx, &t);
	if (rc)
		return rc;
	if (tok_is(&t, "!")) {
		lex_next(&x->f->lx, &t);
		if (++x->depth > 200)
			return lex_error(&x->f->lx, &t, "expression nested too deeply");
		rc = parse_unary(x, v);
		x->depth--;
		if (!rc)
			rc = want_bool(x, v);
		if (!rc)
			rc = too_complex(x, &t, dnf_not(&v->d));
		v->at = t;
		return rc;
	}
	return parse_cmp(x, v);
}

static int parse_and(struct kf_expr *x, struct kval *v)
{
	int rc = parse_unary(x, v);

	while (!rc && accept_tok(x->f, "&&")) {
		struct kval r;

		kval_init(&r);
		rc = want_bool(x, v);
		if (!rc)
			rc = parse_unary(x, &r);
		if (!rc && !(rc = want_bool(x, &r)))
			rc = too_complex(x, &v->at, dnf_and(&v->d, &r.d));
		kval_free(&r);
	}
	return rc;
}

static int parse_or(struct kf_expr *x, struct kval *v)
{
	int rc = parse_and(x, v);

	while (!rc && accept_tok(x->f, "||")) {
		struct kval r;

		kval_init(&r);
		rc = want_bool(x, v);
		if (!rc)
			rc = parse_and(x, &r);
		if (!rc && !(rc = want_bool(x, &r)))
			rc = too_complex(x, &v->at, dnf_or(&v->d, &r.d));
		kval_free(&r);
	}
	return rc;
}

/* In a filter's braces ',' is an OR of the lowest precedence. */
static int parse_or_list(struct kf_expr *x, struct kval *v, int commas)
{
	int rc = parse_or(x, v);

	while (!rc && commas && accept_tok(x->f, ",")) {
		struct kval r;

		kval_init(&r);
		rc = want_bool(x, v);
		if (!rc)
			rc = parse_or(x, &r);
		if (!rc && !(rc = want_bool(x, &r)))
			rc = too_complex(x, &v->at, dnf_or(&v->d, &r.d));
		kval_free(&r);
	}
	return rc;
}

/* --- filters ------------------------------------------------------------------------- */

static int parse_arch_guard(struct kf_ctx *c, struct kf_file *f, uint32_t *abis)
{
	int brace = accept_tok(f, "{");

	*abis = 0;
	for (;;) {
		struct token t;
		char name[64], d[96];
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
		*abis |= ARCH_MASK(a->id) & c->t.arches;
		if (!brace)
			return 0;
		if (accept_tok(f, "}"))
			return 0;
		if ((rc = expect(f, ",")))
			return rc;
	}
}

static int parse_arg_decls(struct kf_file *f, struct kf_args *args)
{
	unsigned n = 0;

	memset(args, 0, sizeof(*args));
	if (accept_tok(f, ")"))
		return 0;
	for (;;) {
		struct token t;
		char d[96];
		int rc = lex_next(&f->lx, &t);

		if (rc)
			return rc;
		if (t.kind != TOK_IDENT)
			return lex_error(&f->lx, &t, "expected an argument name, found %s",
					 tok_describe(&t, d, sizeof(d)));
		for (unsigned i = 0; i < n; i++)
			if (args->lens[i] == t.len && memcmp(args->names[i], t.start, t.len) == 0)
				return lex_error(&f->lx, &t, "redefinition of argument '%s'",
						 tok_text(&t, d, sizeof(d)));
		if (n == 6)
			return lex_error(&f->lx, &t, "too many arguments (at most 6)");
		args->names[n] = t.start;
		args->lens[n++] = t.len;
		if (accept_tok(f, ")"))
			return 0;
		if ((rc = expect(f, ",")))
			return rc;
	}
}

static void default_args(int sys, struct kf_args *args)
{
	static const char *const generic[6] = { "arg0", "arg1", "arg2", "arg3", "arg4", "arg5" };
	const char *name = sys >= 0 ? arch_syscall_name(sys) : "";

	memset(args, 0, sizeof(*args));
	for (size_t i = 0; i < sizeof(known_args) / sizeof(known_args[0]); i++)
		if (strcmp(known_args[i].sys, name) == 0)
			for (unsigned k = 0; k < 6; k++)
				args->names[k] = known_args[i].args[k];
	for (unsigned k = 0; k < 6; k++) {
		if (!args->names[k])
			args->names[k] = generic[k];
		args->lens[k] = strlen(args->names[k]);
	}
}

/* names unused by declared arguments still answer to arg0..arg5 */
static void add_generic_names(struct kf_args *args)
{
	static const char *const generic[6] = { "arg0", "arg1", "arg2", "arg3", "arg4", "arg5" };

	for (unsigned k = 0; k < 6; k++)
		if (!args->names[k]) {
			args->names[k] = generic[k];
			args->lens[k] = 4;
		}
}

static int check_exists(struct kf_ctx *c, struct kf_file *f, const struct token *t, int id,
			uint32_t abis)
{
	char name[64];

	for (int a = 0; a < ARCH_COUNT; a++)
		if ((abis & ARCH_MASK(a)) && arch_syscall_nr((enum arch_id)a, id) != ARCH_NR_NONE)
			return 0;
	(void)c;
	return lex_error(&f->lx, t, "syscall '%s' does not exist on the selected ABIs",
			 tok_text(t, name, sizeof(name)));
}

static int parse_sysid(struct kf_ctx *c, struct kf_file *f, struct kf_filter *flt,
		       struct token *name_tok)
{
	struct token t;
	char name[128], d[96];
	uint64_t v;
	int rc = lex_next(&f->lx, &t);

	*name_tok = t;
	flt->line = t.line;
	flt->col = t.col;
	if (rc)
		return rc;
	if (tok_is(&t, "SYSCALL")) {
		if ((rc = expect(f, "[")) || (rc = parse_number(f, &v)) || (rc = expect(f, "]")))
			return rc;
	} else if (t.kind == TOK_IDENT && find_define(c, &t)) {
		v = find_define(c, &t)->value;
	} else if (t.kind == TOK_IDENT) {
		flt->sys = kafel_syscall_id(tok_text(&t, name, sizeof(name)));
		if (flt->sys < 0)
			return lex_error(&f->lx, &t, "undefined syscall '%s'", name);
		return 0;
	} else {
		return lex_error(&f->lx, &t, "expected a syscall name, found %s",
				 tok_describe(&t, d, sizeof(d)));
	}
	/* a custom syscall number, as seccomp_data.nr holds it (32 bits) */
	if (v > UINT32_MAX && v < (uint64_t)INT32_MIN)
		return lex_error(&f->lx, &t, "syscall number out of range (32 bits)");
	flt->sys = POLICY_SYS_NR;
	flt->nr = (uint32_t)v;
	return 0;
}

/* filter = sysid [ '(' args ')' ] [ ON arches ] [ '{' [expr] '}' ];  *skip when
 * the ON guard leaves no selected ABI */
static int parse_filter(struct kf_ctx *c, struct kf_file *f, struct kf_filter *flt, int *skip)
{
	struct kf_args args;
	struct token name;
	struct kf_expr x = { .c = c, .f = f, .args = &args };
	int rc;

	memset(flt, 0, sizeof(*flt));
	dnf_init(&flt->expr);
	flt->file = f->path;
	*skip = 0;
	rc = parse_sysid(c, f, flt, &name);
	if (rc)
		return rc;
	default_args(flt->sys, &args);
	if (accept_tok(f, "(")) {
		if ((rc = parse_arg_decls(f, &args)))
			return rc;
		add_generic_names(&args);
	}
	x.abis = c->t.arches;
	if (accept_tok(f, "ON")) {
		if ((rc = parse_arch_guard(c, f, &flt->abis)))
			return rc;
		*skip = flt->abis == 0;
		x.abis = flt->abis ? flt->abis : c->t.arches;
	}
	if (flt->sys >= 0 && !*skip && (rc = check_exists(c, f, &name, flt->sys, x.abis)))
		return rc;
	if (!accept_tok(f, "{") || accept_tok(f, "}"))
		return dnf_set_true(&flt->expr);
	{
		struct kval v;

		kval_init(&v);
		rc = parse_or_list(&x, &v, 1);
		if (!rc)
			rc = want_bool(&x, &v);
		if (!rc)
			flt->expr = v.d;
		else
			kval_free(&v);
	}
	return rc ? rc : expect(f, "}");
}

/* --- statements ----------------------------------------------------------------------- */

static int add_entry(struct kf_ctx *c, size_t pol, const struct kf_entry *e)
{
	struct kf_policy *p = &c->pols[pol];
	struct kf_entry *n = realloc(p->e, (p->ne + 1) * sizeof(*n));

	if (!n)
		return nomem(c);
	p->e = n;
	p->e[p->ne++] = *e;
	return 0;
}

static void free_entry(struct kf_entry *e)
{
	for (size_t i = 0; i < e->nf; i++)
		dnf_free(&e->f[i].expr);
	free(e->f);
}

static int parse_block(struct kf_ctx *c, struct kf_file *f, struct kf_entry *e)
{
	int rc = parse_action(f, &e->action);

	if (rc || (rc = expect(f, "{")))
		return rc;
	if (accept_tok(f, "}"))
		return 0;
	for (;;) {
		struct kf_filter flt;
		int skip;

		rc = parse_filter(c, f, &flt, &skip);
		if (!rc && !skip && (c->t.nterms += flt.expr.n + 1) > TEXT_MAX_TERMS)
			rc = muzzle_error_set(c->t.err, -E2BIG, f->path, flt.line, flt.col,
					      "policy too large: more than %d filters and "
					      "alternatives", TEXT_MAX_TERMS);
		if (!rc && !skip && (e->nf & (e->nf - 1)) == 0) {
			/* grow at powers of two */
			struct kf_filter *n = realloc(e->f, (e->nf ? 2 * e->nf : 1) * sizeof(*n));

			if (!n)
				rc = nomem(c);
			else
				e->f = n;
		}
		if (!rc && !skip) {
			e->f[e->nf++] = flt;
			dnf_init(&flt.expr);
		}
		dnf_free(&flt.expr);
		if (rc || accept_tok(f, "}"))
			return rc;
		if ((rc = expect(f, ",")))
			return rc;
	}
}

/* stmt = USE name | action block; added to policy pol */
static int parse_stmt(struct kf_ctx *c, struct kf_file *f, size_t pol)
{
	struct kf_entry e;
	struct token t;
	char d[96];
	int rc = lex_peek(&f->lx, &t);

	memset(&e, 0, sizeof(e));
	e.use = -1;
	e.line = t.line;
	e.col = t.col;
	e.file = f->path;
	if (rc)
		return rc;
	if (tok_is(&t, "USE")) {
		lex_next(&f->lx, &t);
		if ((rc = lex_next(&f->lx, &t)))
			return rc;
		if (t.kind != TOK_IDENT)
			return lex_error(&f->lx, &t, "expected a policy name, found %s",
					 tok_describe(&t, d, sizeof(d)));
		e.use = find_policy(c, &t);
		if (e.use < 0)
			return lex_error(&f->lx, &t, "undefined policy '%s' (a policy must be "
					 "defined before it is used)", tok_text(&t, d, sizeof(d)));
		return add_entry(c, pol, &e);
	}
	if (!is_action(&t))
		return lex_error(&f->lx, &t, "expected USE or an action block, found %s",
				 tok_describe(&t, d, sizeof(d)));
	rc = parse_block(c, f, &e);
	if (!rc)
		rc = add_entry(c, pol, &e);
	if (rc)
		free_entry(&e);
	return rc;
}

/* '{' [stmt {',' stmt}] '}' into policy pol */
static int parse_policy_body(struct kf_ctx *c, struct kf_file *f, size_t pol)
{
	int rc = expect(f, "{");

	if (rc || accept_tok(f, "}"))
		return rc;
	for (;;) {
		if ((rc = parse_stmt(c, f, pol)) || accept_tok(f, "}"))
			return rc;
		if ((rc = expect(f, ",")))
			return rc;
	}
}

static int parse_policy_def(struct kf_ctx *c, struct kf_file *f)
{
	struct token t;
	struct kf_policy *n;
	char d[96];
	int rc = lex_next(&f->lx, &t);

	if (rc)
		return rc;
	if (t.kind != TOK_IDENT || is_action(&t))
		return lex_error(&f->lx, &t, "expected a policy name, found %s",
				 tok_describe(&t, d, sizeof(d)));
	if (find_policy(c, &t) >= 0)
		return lex_error(&f->lx, &t, "redefinition of policy '%s'",
				 tok_text(&t, d, sizeof(d)));
	n = realloc(c->pols, (c->npols + 1) * sizeof(*n));
	if (!n)
		return nomem(c);
	c->pols = n;
	memset(&n[c->npols], 0, sizeof(*n));
	n[c->npols].name = strndup(t.start, t.len);
	if (!n[c->npols].name)
		return nomem(c);
	c->npols++;
	rc = parse_policy_body(c, f, c->npols - 1);
	/* visible to USE only once its body is read: a policy cannot use itself */
	c->pols[c->npols - 1].defined = 1;
	return rc;
}

static int parse_define(struct kf_ctx *c, struct kf_file *f)
{
	struct token t;
	struct kf_define *n;
	uint64_t v;
	char d[96];
	int rc = lex_next(&f->lx, &t);

	if (rc)
		return rc;
	if (t.kind != TOK_IDENT)
		return lex_error(&f->lx, &t, "expected a constant name, found %s",
				 tok_describe(&t, d, sizeof(d)));
	if (find_define(c, &t))
		return lex_error(&f->lx, &t, "redefinition of constant '%s'",
				 tok_text(&t, d, sizeof(d)));
	if ((rc = parse_number(f, &v)))
		return rc;
	n = realloc(c->defs, (c->ndefs + 1) * sizeof(*n));
	if (!n)
		return nomem(c);
	c->defs = n;
	n[c->ndefs].name = strndup(t.start, t.len);
	n[c->ndefs].value = v;
	if (!n[c->ndefs].name)
		return nomem(c);
	c->ndefs++;
	return 0;
}

static int parse_file(struct kf_ctx *c, const char *buf, size_t len, const char *path,
		      const char *canon);

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

static int include_one(struct kf_ctx *c, struct kf_file *f, const struct token *t)
{
	const char *base = opts(c->t.o)->include_dir ? opts(c->t.o)->include_dir : f->dir;
	char raw[PATH_MAX], *path = NULL, *canon = NULL, *buf = NULL;
	const char *kept;
	size_t len;
	int rc = 0;

	tok_text(t, raw, sizeof(raw));
	if (t->len == 0 || t->len >= sizeof(raw))
		return lex_error(&f->lx, t, "bad include file name");
	if (raw[0] == '/' ? !(path = strdup(raw)) : asprintf(&path, "%s/%s", base, raw) < 0)
		return nomem(c);
	if (c->depth >= KF_MAX_DEPTH) {
		rc = lex_error(&f->lx, t, "#include nested too deep (more than %d levels)",
			       KF_MAX_DEPTH);
		goto out;
	}
	canon = realpath(path, NULL);
	for (int i = 0; canon && i < c->depth; i++)
		if (c->stack[i] && strcmp(c->stack[i], canon) == 0) {
			rc = lex_error(&f->lx, t, "include cycle: %s is already being read", canon);
			goto out;
		}
	rc = canon ? text_read_file(canon, &buf, &len) : -errno;
	if (rc) {
		rc = lex_error(&f->lx, t, "cannot #include \"%s\": %s", raw, strerror(-rc));
		goto out;
	}
	kept = text_keep_name(&c->t, path);
	rc = kept ? parse_file(c, buf, len, kept, canon) : nomem(c);
out:
	free(buf);
	free(canon);
	free(path);
	return rc;
}

/* '#' 'define' ... | '#' 'include' STRING {STRING} [';'] */
static int parse_directive(struct kf_ctx *c, struct kf_file *f, const struct token *hash)
{
	struct token t;
	char d[96];
	int rc = lex_next(&f->lx, &t);

	if (rc)
		return rc;
	if (t.line != hash->line || t.col != hash->col + 1)
		return lex_error(&f->lx, &t, "expected 'define' or 'include' right after '#'");
	if (tok_is(&t, "define"))
		return parse_define(c, f);
	if (!tok_is(&t, "include"))
		return lex_error(&f->lx, &t, "expected 'define' or 'include' after '#', found %s",
				 tok_describe(&t, d, sizeof(d)));
	rc = lex_peek(&f->lx, &t);
	if (!rc && t.kind != TOK_STRING)
		return lex_error(&f->lx, &t, "expected a quoted file name after #include, "
				 "found %s", tok_describe(&t, d, sizeof(d)));
	while (!rc && !(rc = lex_peek(&f->lx, &t)) && t.kind == TOK_STRING) {
		lex_next(&f->lx, &t);
		rc = include_one(c, f, &t);
	}
	if (!rc)
		accept_tok(f, ";");
	return rc;
}

static int parse_top(struct kf_ctx *c, struct kf_file *f, const struct token *t)
{
	struct token kw;
	int rc;

	if (tok_is(t, "#")) {
		lex_next(&f->lx, &kw);
		return parse_directive(c, f, &kw);
	}
	if (tok_is(t, "POLICY")) {
		lex_next(&f->lx, &kw);
		return parse_policy_def(c, f);
	}
	if (tok_is(t, "DEFAULT")) {
		lex_next(&f->lx, &kw);
		if (c->have_default)
			return lex_error(&f->lx, &kw, "DEFAULT given twice (it may be given once)");
		c->have_default = 1;
		return parse_action(f, &c->t.default_action);
	}
	rc = parse_stmt(c, f, 0);
	if (!rc)
		accept_tok(f, ",");
	return rc;
}

static int parse_file(struct kf_ctx *c, const char *buf, size_t len, const char *path,
		      const char *canon)
{
	struct kf_file f = { .path = path };
	char *dir = dir_of(path);
	int rc = 0;

	if (!dir)
		return nomem(c);
	f.dir = dir;
	c->stack[c->depth++] = canon ? strdup(canon) : NULL;
	lex_init(&f.lx, buf, len, path, LEX_C_COMMENTS, c->t.err);
	for (;;) {
		struct token t;

		rc = lex_peek(&f.lx, &t);
		if (rc || t.kind == TOK_EOF)
			break;
		if ((rc = parse_top(c, &f, &t)))
			break;
	}
	free(c->stack[--c->depth]);
	c->stack[c->depth] = NULL;
	free(dir);
	return rc;
}

/* --- expansion ---------------------------------------------------------------------------- */

static int push_item(struct kf_ctx *c, const struct kf_filter *flt, uint32_t action,
		     const struct kf_entry *use_site)
{
	struct ord_item *it;

	c->t.nterms += flt->expr.n;
	if (c->t.nitems >= KF_MAX_ITEMS || c->t.nterms > 2 * (size_t)TEXT_MAX_TERMS)
		return muzzle_error_set(c->t.err, -E2BIG, use_site->file, use_site->line,
					use_site->col, "policy too large after USE expansion "
					"(more than %d filters or %d alternatives)", KF_MAX_ITEMS,
					TEXT_MAX_TERMS);
	it = text_new_item(&c->t);
	if (!it || dnf_copy(&it->expr, &flt->expr))
		return nomem(c);
	it->sys = flt->sys;
	it->nr = flt->nr;
	it->abis = flt->abis;
	it->action = action;
	it->file = flt->file;
	it->line = flt->line;
	it->col = flt->col;
	it->order = c->t.nitems;
	/* rules from includes and USEd policies point at the top-level use */
	it->loc.file = c->t.top_name;
	it->loc.line = flt->file == c->t.top_name ? flt->line : use_site->line;
	it->loc.col = flt->file == c->t.top_name ? flt->col : use_site->col;
	c->t.nitems++;
	return 0;
}

static int expand(struct kf_ctx *c, size_t pol, const struct kf_entry *site, int depth)
{
	const struct kf_policy *p = &c->pols[pol];
	int rc = 0;

	if (depth > KF_MAX_USE_DEPTH)
		return muzzle_error_set(c->t.err, -E2BIG, site->file, site->line, site->col,
					"USE nested too deeply (more than %d levels)",
					KF_MAX_USE_DEPTH);
	for (size_t i = 0; i < p->ne && !rc; i++) {
		const struct kf_entry *e = &p->e[i];
		const struct kf_entry *s = depth ? site : e;

		if (e->use >= 0) {
			rc = expand(c, (size_t)e->use, s, depth + 1);
			continue;
		}
		for (size_t k = 0; k < e->nf && !rc; k++)
			rc = push_item(c, &e->f[k], e->action, s);
	}
	return rc;
}

static void ctx_free(struct kf_ctx *c)
{
	for (size_t i = 0; i < c->ndefs; i++)
		free(c->defs[i].name);
	free(c->defs);
	for (size_t i = 0; i < c->npols; i++) {
		for (size_t k = 0; k < c->pols[i].ne; k++)
			free_entry(&c->pols[i].e[k]);
		free(c->pols[i].e);
		free(c->pols[i].name);
	}
	free(c->pols);
	text_ctx_free(&c->t);
}

int kafel_read(const char *buf, size_t len, const char *name, const struct format_options *o,
	       struct policy *out, struct muzzle_error *err)
{
	struct kf_ctx c;
	char *canon;
	int rc;

	memset(&c, 0, sizeof(c));
	policy_init(out, POLICY_ACT_KILL_THREAD);
	rc = text_ctx_init(&c.t, len, name, o, err);
	if (rc)
		return rc;
	c.pols = calloc(1, sizeof(*c.pols));
	if (!c.pols)
		return nomem(&c);
	c.pols[0].name = strdup("");
	c.npols = 1;
	canon = name ? realpath(name, NULL) : NULL;
	rc = c.pols[0].name ? parse_file(&c, buf, len, c.t.top_name, canon) : nomem(&c);
	free(canon);
	if (!rc) {
		struct kf_entry top = { .use = 0, .file = c.t.top_name, .line = 1, .col = 1 };

		rc = expand(&c, 0, &top, 0);
	}
	if (!rc)
		rc = text_ctx_to_policy(&c.t, 0, out);
	ctx_free(&c);
	if (rc) {
		policy_free(out);
		policy_init(out, POLICY_ACT_KILL_THREAD);
	}
	return rc;
}

/* --- writer ------------------------------------------------------------------------------ */

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

static const char *action_text(uint32_t a, char *buf, size_t len)
{
	switch (POLICY_ACT_KIND(a)) {
	case POLICY_ACT_ALLOW: snprintf(buf, len, "ALLOW"); break;
	case POLICY_ACT_LOG: snprintf(buf, len, "LOG"); break;
	case POLICY_ACT_KILL_THREAD: snprintf(buf, len, "KILL"); break;
	case POLICY_ACT_KILL_PROCESS: snprintf(buf, len, "KILL_PROCESS"); break;
	case POLICY_ACT_USER_NOTIF: snprintf(buf, len, "USER_NOTIF"); break;
	case POLICY_ACT_ERRNO(0): snprintf(buf, len, "ERRNO(%u)", POLICY_ACT_DATA(a)); break;
	case POLICY_ACT_TRAP: snprintf(buf, len, "TRAP(%u)", POLICY_ACT_DATA(a)); break;
	case POLICY_ACT_TRACE(0): snprintf(buf, len, "TRACE(%u)", POLICY_ACT_DATA(a)); break;
	default: return NULL;
	}
	return buf;
}

static int kf_writable(const struct policy *p, const struct policy_rule *r,
		       struct muzzle_error *err)
{
	char s[32];

	if (!action_text(r->action, s, sizeof(s)))
		return refuse(err, r, "Kafel cannot express the action 0x%08x", r->action);
	if (!(r->flags & POLICY_RULE_EXACT) && r->sys >= 0)
		for (int a = 0; a < ARCH_COUNT; a++) {
			uint32_t call;

			if ((p->arches & ARCH_MASK(a)) &&
			    arch_mux_lookup((enum arch_id)a, r->sys, &call) != ARCH_MUX_NONE)
				return refuse(err, r, "Kafel cannot express the socketcall/ipc "
					      "expansion of the rule for %s on %s",
					      arch_syscall_name(r->sys),
					      arch_get((enum arch_id)a)->name);
		}
	return 0;
}

static void write_cond(FILE *f, const struct policy_cond *c)
{
	unsigned long long m = c->mask, d = c->datum;

	if (c->op == POLICY_OP_MASKED_EQ || c->op == POLICY_OP_MASKED_NE)
		fprintf(f, "(arg%u & 0x%llx) %s 0x%llx", c->arg, m,
			c->op == POLICY_OP_MASKED_EQ ? "==" : "!=", d);
	else
		fprintf(f, "arg%u %s 0x%llx", c->arg, policy_op_str((enum policy_op)c->op), d);
}

static void write_filter(FILE *f, const struct policy *p, const struct policy_rule *r)
{
	if (r->sys >= 0)
		fprintf(f, "%s", kafel_name(r->sys));
	else
		fprintf(f, "SYSCALL[%u]", r->nr);
	if (r->ncond)
		fprintf(f, "(arg0, arg1, arg2, arg3, arg4, arg5)");
	if (r->abis && (r->abis & p->arches) != p->arches) {
		const char *sep = "";

		fprintf(f, " ON {");
		for (int a = 0; a < ARCH_COUNT; a++)
			if (r->abis & p->arches & ARCH_MASK(a)) {
				fprintf(f, "%s%s", sep, arch_get((enum arch_id)a)->name);
				sep = ", ";
			}
		fprintf(f, "}");
	}
	if (r->ncond) {
		fprintf(f, " { ");
		for (unsigned i = 0; i < r->ncond; i++) {
			fprintf(f, "%s", i ? " && " : "");
			write_cond(f, &r->cond[i]);
		}
		fprintf(f, " }");
	}
}

static int same_syscall(const struct policy_rule *a, const struct policy_rule *b)
{
	return a->sys == b->sys && (a->sys != POLICY_SYS_NR || a->nr == b->nr);
}

/* First-match order that gives the model's answer: unconditional rules first
 * (the first one that applies to the ABI decides), then the conditional ones
 * strictest first (ties: the order they were added). */
static int kf_order(const void *a, const void *b)
{
	const struct policy_rule *x = *(const struct policy_rule *const *)a;
	const struct policy_rule *y = *(const struct policy_rule *const *)b;

	if ((x->ncond == 0) != (y->ncond == 0))
		return x->ncond == 0 ? -1 : 1;
	if (x->ncond && policy_action_stricter(x->action, y->action))
		return -1;
	if (x->ncond && policy_action_stricter(y->action, x->action))
		return 1;
	return x < y ? -1 : x > y;
}

static int kf_header(const struct policy *p, struct muzzle_error *err)
{
	char s[32];

	if (p->badarch_action != POLICY_ACT_KILL_THREAD)
		return refuse(err, NULL, "Kafel kills the thread on a foreign architecture; it "
			      "cannot express a bad-architecture action of %s",
			      policy_action_str(p->badarch_action, s, sizeof(s)));
	if (p->flags)
		return refuse(err, NULL, "Kafel policies cannot carry seccomp filter flags "
			      "(0x%x)", p->flags);
	if (!p->no_new_privs)
		return refuse(err, NULL, "Kafel policies cannot say no_new_privs=0");
	if (p->listener_path || p->listener_metadata)
		return refuse(err, NULL, "Kafel cannot express a notification listener path or "
			      "metadata");
	if (!action_text(p->default_action, s, sizeof(s)))
		return refuse(err, NULL, "Kafel cannot express the default action 0x%08x",
			      p->default_action);
	return 0;
}

/* The rules in first-match order, syscall by syscall: *order is malloc'ed. */
static int kf_collect(const struct policy *p, const struct policy_rule ***order, size_t *n,
		      struct muzzle_error *err)
{
	unsigned char *done = calloc(p->nrules + 1, 1);
	int rc = 0;

	*n = 0;
	*order = malloc((p->nrules + 1) * sizeof(**order));
	if (!*order || !done) {
		free(done);
		return muzzle_error_set(err, -ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t i = 0; i < p->nrules && !rc; i++) {
		size_t start = *n;

		if (done[i])
			continue;
		for (size_t k = i; k < p->nrules && !rc; k++)
			if (!done[k] && same_syscall(&p->rules[k], &p->rules[i])) {
				done[k] = 1;
				rc = kf_writable(p, &p->rules[k], err);
				(*order)[(*n)++] = &p->rules[k];
			}
		qsort(*order + start, *n - start, sizeof(**order), kf_order);
	}
	free(done);
	return rc;
}

/* consecutive filters with the same action share one action block */
static void kf_print(FILE *out, const struct policy *p, const struct policy_rule **order,
		     size_t n)
{
	uint32_t open = 0;
	int have_open = 0;
	char s[32];

	fprintf(out, "// Kafel policy written by muzzle (ABIs:");
	for (int a = 0; a < ARCH_COUNT; a++)
		if (p->arches & ARCH_MASK(a))
			fprintf(out, " %s", arch_get((enum arch_id)a)->name);
	fprintf(out, ")\nPOLICY muzzle {");
	for (size_t i = 0; i < n; i++) {
		if (!have_open || order[i]->action != open) {
			fprintf(out, "%s\n  %s {\n    ", have_open ? "\n  }," : "",
				action_text(order[i]->action, s, sizeof(s)));
			open = order[i]->action;
			have_open = 1;
		} else {
			fprintf(out, ",\n    ");
		}
		write_filter(out, p, order[i]);
	}
	fprintf(out, "%s}\nUSE muzzle DEFAULT %s\n", have_open ? "\n  }\n" : "",
		action_text(p->default_action, s, sizeof(s)));
}

int kafel_write(FILE *out, const struct policy *p, const struct format_options *o,
		struct muzzle_error *err)
{
	const struct policy_rule **order = NULL;
	size_t n;
	int rc = kf_header(p, err);

	(void)o;
	if (!rc)
		rc = kf_collect(p, &order, &n, err);
	if (!rc)
		kf_print(out, p, order, n);
	if (!rc && ferror(out))
		rc = muzzle_error_set(err, -EIO, NULL, 0, 0, "write failed");
	free(order);
	return rc;
}
