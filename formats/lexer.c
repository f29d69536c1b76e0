#include "lexer.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void lex_init(struct lexer *lx, const char *buf, size_t len, const char *file,
	      unsigned flags, struct muzzle_error *err)
{
	memset(lx, 0, sizeof(*lx));
	lx->buf = buf;
	lx->len = len;
	lx->line = 1;
	lx->col = 1;
	lx->file = file;
	lx->flags = flags;
	lx->err = err;
}

static int at_error(struct lexer *lx, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int at_error(struct lexer *lx, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	muzzle_error_setv(lx->err, -EINVAL, lx->file, line, col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int lex_error(struct lexer *lx, const struct token *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	muzzle_error_setv(lx->err, -EINVAL, lx->file, t->line, t->col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int peekc(const struct lexer *lx, size_t off)
{
	return lx->pos + off < lx->len ? (unsigned char)lx->buf[lx->pos + off] : -1;
}

static void advance(struct lexer *lx, size_t n)
{
	while (n-- && lx->pos < lx->len) {
		if (lx->buf[lx->pos] == '\n') {
			lx->line++;
			lx->col = 1;
		} else {
			lx->col++;
		}
		lx->pos++;
	}
}

/* Skip blanks and comments; stops before a newline when newlines matter. */
static int skip_space(struct lexer *lx)
{
	for (;;) {
		int c = peekc(lx, 0);

		if (c == '\n' && (lx->flags & LEX_NEWLINES))
			return 0;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n') {
			advance(lx, 1);
		} else if (c == '\\' && (lx->flags & LEX_NEWLINES) &&
			   (peekc(lx, 1) == '\n' ||
			    (peekc(lx, 1) == '\r' && peekc(lx, 2) == '\n'))) {
			advance(lx, peekc(lx, 1) == '\r' ? 3 : 2);
		} else if (c == '#' && (lx->flags & LEX_HASH_COMMENTS)) {
			while (peekc(lx, 0) != -1 && peekc(lx, 0) != '\n')
				advance(lx, 1);
		} else if (c == '/' && peekc(lx, 1) == '/' && (lx->flags & LEX_C_COMMENTS)) {
			while (peekc(lx, 0) != -1 && peekc(lx, 0) != '\n')
				advance(lx, 1);
		} else if (c == '/' && peekc(lx, 1) == '*' && (lx->flags & LEX_C_COMMENTS)) {
			int line = lx->line, col = lx->col;

			advance(lx, 2);
			while (!(peekc(lx, 0) == '*' && peekc(lx, 1) == '/')) {
				if (peekc(lx, 0) == -1)
					return at_error(lx, line, col, "unterminated comment");
				if (peekc(lx, 0) == 0)
					return at_error(lx, lx->line, lx->col, "NUL byte in input");
				advance(lx, 1);
			}
			advance(lx, 2);
		} else {
			return 0;
		}
	}
}

static int is_ident_start(int c, unsigned flags)
{
	return isalpha(c) || c == '_' || (c == '@' && (flags & LEX_DASH_IDENT));
}

static int is_ident_char(int c, unsigned flags)
{
	return c >= 0 && (isalnum(c) || c == '_' ||
			  ((c == '-' || c == '@') && (flags & LEX_DASH_IDENT)));
}

static int digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

static int lex_number(struct lexer *lx, struct token *t)
{
	unsigned base = 10;
	uint64_t v = 0;
	size_t ndig = 0;

	if (peekc(lx, 0) == '0' && (peekc(lx, 1) == 'x' || peekc(lx, 1) == 'X')) {
		base = 16;
		advance(lx, 2);
	} else if (peekc(lx, 0) == '0' && (peekc(lx, 1) == 'b' || peekc(lx, 1) == 'B')) {
		base = 2;
		advance(lx, 2);
	} else if (peekc(lx, 0) == '0') {
		base = 8;
	}
	for (;;) {
		int c = peekc(lx, 0);
		unsigned d = c < 0 ? 99 : (unsigned)digit_value(c);

		if (d >= base) {
			if (c >= 0 && (isalnum(c) || c == '_'))
				return at_error(lx, t->line, t->col, "invalid number: '%c' is "
						"not a base-%u digit", c, base);
			break;
		}
		if (v > (UINT64_MAX - d) / base)
			return at_error(lx, t->line, t->col,
					"number does not fit in 64 bits");
		v = v * base + d;
		ndig++;
		advance(lx, 1);
	}
	if (ndig == 0 && base != 8)
		return at_error(lx, t->line, t->col, "invalid number: no digits after prefix");
	t->kind = TOK_NUMBER;
	t->num = v;
	return 0;
}

static int lex_string(struct lexer *lx, struct token *t)
{
	advance(lx, 1);
	t->start = lx->buf + lx->pos;
	for (;;) {
		int c = peekc(lx, 0);

		if (c == -1 || c == '\n')
			return at_error(lx, t->line, t->col, "unterminated string");
		if (c == 0)
			return at_error(lx, lx->line, lx->col, "NUL byte in input");
		if (c == '"')
			break;
		advance(lx, 1);
	}
	t->len = (size_t)(lx->buf + lx->pos - t->start);
	advance(lx, 1);
	t->kind = TOK_STRING;
	return 0;
}

static const char *const puncts[] = {
	"||", "&&", "==", "!=", "<=", ">=", "<<", ">>",
	":", ";", ",", "~", "(", ")", "[", "]", "{", "}", "|", "&", "!", "<", ">",
	"=", "+", "-", "*", "/", "@", "#", "%", "^", ".",
};

static int lex_punct(struct lexer *lx, struct token *t)
{
	for (size_t i = 0; i < sizeof(puncts) / sizeof(puncts[0]); i++) {
		size_t n = strlen(puncts[i]);

		if (lx->pos + n <= lx->len && memcmp(lx->buf + lx->pos, puncts[i], n) == 0) {
			t->kind = TOK_PUNCT;
			advance(lx, n);
			return 0;
		}
	}
	if (peekc(lx, 0) == 0)
		return at_error(lx, t->line, t->col, "NUL byte in input");
	if (peekc(lx, 0) < 0x20 || peekc(lx, 0) >= 0x7f)
		return at_error(lx, t->line, t->col, "unexpected byte 0x%02x", peekc(lx, 0));
	return at_error(lx, t->line, t->col, "unexpected character '%c'", peekc(lx, 0));
}

static int lex_scan(struct lexer *lx, struct token *t)
{
	int rc = skip_space(lx);
	int c;

	if (rc)
		return rc;
	memset(t, 0, sizeof(*t));
	t->line = lx->line;
	t->col = lx->col;
	t->start = lx->buf + lx->pos;
	c = peekc(lx, 0);
	if (c == -1) {
		t->kind = TOK_EOF;
		return 0;
	}
	if (c == '\n') {
		t->kind = TOK_EOL;
		advance(lx, 1);
		t->len = 1;
		return 0;
	}
	if ((lx->flags & LEX_PATHS) && (c == '/' || (c == '.' && peekc(lx, 1) == '/'))) {
		while (peekc(lx, 0) > ' ' && peekc(lx, 0) < 0x7f)
			advance(lx, 1);
		t->kind = TOK_PATH;
	} else if (is_ident_start(c, lx->flags)) {
		while (is_ident_char(peekc(lx, 0), lx->flags))
			advance(lx, 1);
		t->kind = TOK_IDENT;
	} else if (isdigit(c)) {
		rc = lex_number(lx, t);
	} else if (c == '"') {
		return lex_string(lx, t);
	} else {
		rc = lex_punct(lx, t);
	}
	t->len = (size_t)(lx->buf + lx->pos - t->start);
	return rc;
}

static int scan_sticky(struct lexer *lx, struct token *t)
{
	if (lx->failed) {
		memset(t, 0, sizeof(*t));
		return lx->failed;
	}
	lx->failed = lex_scan(lx, t);
	return lx->failed;
}

int lex_next(struct lexer *lx, struct token *t)
{
	if (lx->have_ahead) {
		*t = lx->ahead;
		lx->have_ahead = 0;
		return 0;
	}
	return scan_sticky(lx, t);
}

int lex_peek(struct lexer *lx, struct token *t)
{
	int rc;

	if (!lx->have_ahead) {
		rc = scan_sticky(lx, &lx->ahead);
		if (rc)
			return rc;
		lx->have_ahead = 1;
	}
	*t = lx->ahead;
	return 0;
}

int tok_is(const struct token *t, const char *s)
{
	if (t->kind != TOK_PUNCT && t->kind != TOK_IDENT)
		return 0;
	return strlen(s) == t->len && memcmp(t->start, s, t->len) == 0;
}

const char *tok_text(const struct token *t, char *buf, size_t len)
{
	size_t n = t->len < len - 1 ? t->len : len - 1;

	memcpy(buf, t->start, n);
	buf[n] = 0;
	return buf;
}

const char *tok_describe(const struct token *t, char *buf, size_t len)
{
	char txt[64];

	switch (t->kind) {
	case TOK_EOF: snprintf(buf, len, "end of file"); break;
	case TOK_EOL: snprintf(buf, len, "end of line"); break;
	case TOK_STRING: snprintf(buf, len, "string \"%s\"", tok_text(t, txt, sizeof(txt))); break;
	default: snprintf(buf, len, "'%s'", tok_text(t, txt, sizeof(txt))); break;
	}
	return buf;
}

int text_read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf;
	size_t n;

	*out = NULL;
	*len = 0;
	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return -EISDIR;
	}
	buf = malloc(LEX_MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, LEX_MAX_FILE + 1, f);
	if (ferror(f) || n > LEX_MAX_FILE) {
		int rc = ferror(f) ? -EIO : -EFBIG;

		fclose(f);
		free(buf);
		return rc;
	}
	fclose(f);
	buf[n] = 0;
	{
		/* give back the unused part of the bound-sized buffer */
		char *small = realloc(buf, n + 1);

		*out = small ? small : buf;
	}
	*len = n;
	return 0;
}

/* --- DNF ------------------------------------------------------------------- */

void dnf_init(struct dnf *d)
{
	memset(d, 0, sizeof(*d));
}

void dnf_free(struct dnf *d)
{
	free(d->t);
	dnf_init(d);
}

static int dnf_push(struct dnf *d, const struct dnf_term *t)
{
	if (d->n >= DNF_MAX_TERMS)
		return -E2BIG;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 1;
		struct dnf_term *n = realloc(d->t, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		d->t = n;
		d->cap = cap;
	}
	d->t[d->n++] = *t;
	return 0;
}

int dnf_set_true(struct dnf *d)
{
	struct dnf_term t = { .n = 0 };

	d->n = 0;
	return dnf_push(d, &t);
}

int dnf_is_true(const struct dnf *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->t[i].n == 0)
			return 1;
	return 0;
}

int dnf_set_atom(struct dnf *d, unsigned arg, enum policy_op op, uint64_t datum, uint64_t mask)
{
	struct dnf_term t;

	memset(&t, 0, sizeof(t));
	t.n = 1;
	t.c[0].arg = (uint8_t)arg;
	t.c[0].op = (uint8_t)op;
	t.c[0].datum = datum;
	t.c[0].mask = ~(uint64_t)0;
	if (op == POLICY_OP_MASKED_EQ || op == POLICY_OP_MASKED_NE)
		t.c[0].mask = mask;
	d->n = 0;
	return dnf_push(d, &t);
}

int dnf_copy(struct dnf *dst, const struct dnf *src)
{
	dnf_init(dst);
	if (!src->n)
		return 0;
	/* exactly sized: stored filters are the bulk of a reader's memory */
	dst->t = malloc(src->n * sizeof(*dst->t));
	if (!dst->t)
		return -ENOMEM;
	memcpy(dst->t, src->t, src->n * sizeof(*dst->t));
	dst->n = dst->cap = src->n;
	return 0;
}

int dnf_or(struct dnf *d, struct dnf *s)
{
	int rc = 0;

	for (size_t i = 0; i < s->n && !rc; i++)
		rc = dnf_push(d, &s->t[i]);
	dnf_free(s);
	return rc;
}

enum policy_op policy_op_negate(enum policy_op op)
{
	switch (op) {
	case POLICY_OP_NE: return POLICY_OP_EQ;
	case POLICY_OP_EQ: return POLICY_OP_NE;
	case POLICY_OP_LT: return POLICY_OP_GE;
	case POLICY_OP_GE: return POLICY_OP_LT;
	case POLICY_OP_LE: return POLICY_OP_GT;
	case POLICY_OP_GT: return POLICY_OP_LE;
	case POLICY_OP_MASKED_EQ: return POLICY_OP_MASKED_NE;
	case POLICY_OP_MASKED_NE: return POLICY_OP_MASKED_EQ;
	}
	return op;
}

static int cond_same(const struct policy_cond *a, const struct policy_cond *b)
{
	return a->arg == b->arg && a->op == b->op && a->datum == b->datum && a->mask == b->mask;
}

static int cond_opposite(const struct policy_cond *a, const struct policy_cond *b)
{
	return a->arg == b->arg && a->op == policy_op_negate(b->op) &&
	       a->datum == b->datum && a->mask == b->mask;
}

/* Conjoin a and b into out.  Returns 1 if the result can never hold (it
 * contains a comparison and its negation), 0 if fine, -E2BIG if too long.
 * Repeated comparisons are merged, which keeps DNF expansion small. */
static int term_and(const struct dnf_term *a, const struct dnf_term *b, struct dnf_term *out)
{
	*out = *a;
	for (unsigned i = 0; i < b->n; i++) {
		unsigned j;

		for (j = 0; j < out->n; j++) {
			if (cond_opposite(&out->c[j], &b->c[i]))
				return 1;
			if (cond_same(&out->c[j], &b->c[i]))
				break;
		}
		if (j < out->n)
			continue;
		if (out->n >= POLICY_MAX_COND)
			return -E2BIG;
		out->c[out->n++] = b->c[i];
	}
	return 0;
}

int dnf_and(struct dnf *d, struct dnf *s)
{
	struct dnf r;
	int rc = 0;

	dnf_init(&r);
	for (size_t i = 0; i < d->n && !rc; i++) {
		for (size_t j = 0; j < s->n && !rc; j++) {
			struct dnf_term t;
			int k = term_and(&d->t[i], &s->t[j], &t);

			if (k < 0)
				rc = k;
			else if (k == 0)
				rc = dnf_push(&r, &t);
		}
	}
	dnf_free(s);
	dnf_free(d);
	if (rc) {
		dnf_free(&r);
		return rc;
	}
	*d = r;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int push_range(struct dnf *d, const struct policy_cond *proto, enum policy_op op1,
		      uint64_t v1, enum policy_op op2, uint64_t v2)
{
	struct dnf_term t;

	memset(&t, 0, sizeof(t));
	t.c[0] = *proto;
	t.c[0].op = (uint8_t)op1;
	t.c[0].datum = v1;
	t.n = 1;
	if (op2) {
		t.c[1] = *proto;
		t.c[1].op = (uint8_t)op2;
		t.c[1].datum = v2;
		t.n = 2;
	}
	return dnf_push(d, &t);
}

/* !(x == v1 || x == v2 || ...) as intervals between the values, instead of
 * one conjunction of != that would outgrow POLICY_MAX_COND: "ioctl: arg1 ==
 * A || ... ; return ENOTTY" lists dozens.  Only for values below 2^32 and
 * with strict bounds at the values themselves, so the terms mean the same
 * on 32-bit ABIs, where only the low halves are compared.  1 if done. */
static int not_as_intervals(struct dnf *d, int *rc)
{
	struct dnf out;
	uint64_t *v;
	size_t n = 0;

	if (d->n < 2)
		return 0;
	for (size_t i = 0; i < d->n; i++)
		if (d->t[i].n != 1 || d->t[i].c[0].op != POLICY_OP_EQ ||
		    d->t[i].c[0].arg != d->t[0].c[0].arg || d->t[i].c[0].datum > 0xffffffffu)
			return 0;
	v = malloc(d->n * sizeof(*v));
	if (!v) {
		*rc = -ENOMEM;
		return 1;
	}
	for (size_t i = 0; i < d->n; i++)
		v[n++] = d->t[i].c[0].datum;
	qsort(v, n, sizeof(*v), cmp_u64);
	dnf_init(&out);
	*rc = 0;
	if (v[0] > 0)
		*rc = push_range(&out, &d->t[0].c[0], POLICY_OP_LT, v[0], 0, 0);
	for (size_t i = 0; i + 1 < n && !*rc; i++)
		if (v[i + 1] > v[i] + 1)
			*rc = push_range(&out, &d->t[0].c[0], POLICY_OP_GT, v[i], POLICY_OP_LT,
					 v[i + 1]);
	if (!*rc)
		*rc = push_range(&out, &d->t[0].c[0], POLICY_OP_GT, v[n - 1], 0, 0);
	free(v);
	dnf_free(d);
	if (*rc)
		dnf_free(&out);
	else
		*d = out;
	return 1;
}

int dnf_not(struct dnf *d)
{
	struct dnf acc;
	int rc;

	if (not_as_intervals(d, &rc))
		return rc;

	/* !(t1 || t2 ...) = !t1 && !t2 ...; !(a && b) = !a || !b */
	dnf_init(&acc);
	rc = dnf_set_true(&acc);
	for (size_t i = 0; i < d->n && !rc; i++) {
		struct dnf neg;

		dnf_init(&neg);
		for (unsigned k = 0; k < d->t[i].n && !rc; k++) {
			struct dnf_term t;

			memset(&t, 0, sizeof(t));
			t.n = 1;
			t.c[0] = d->t[i].c[k];
			t.c[0].op = (uint8_t)policy_op_negate((enum policy_op)t.c[0].op);
			rc = dnf_push(&neg, &t);
		}
		if (!rc)
			rc = dnf_and(&acc, &neg);
		else
			dnf_free(&neg);
	}
	dnf_free(d);
	if (rc) {
		dnf_free(&acc);
		return rc;
	}
	*d = acc;
	return 0;
}

/* --- ordered first-match filters -> rules ------------------------------------ */

static int ord_nomem(const struct ord_ctx *c)
{
	return muzzle_error_set(c->err, -ENOMEM, c->top_name, 0, 0, "out of memory");
}

static int ord_cmp(const void *a, const void *b)
{
	const struct ord_item *x = *(const struct ord_item *const *)a;
	const struct ord_item *y = *(const struct ord_item *const *)b;

	if (x->sys != y->sys)
		return x->sys < y->sys ? -1 : 1;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int ord_emit(const struct ord_ctx *c, struct policy *out, const struct ord_item *it,
		     const struct dnf_term *term, uint32_t abis, const char *comment)
{
	struct policy_rule r;

	policy_rule_init(&r, it->action, it->sys);
	r.nr = it->nr;
	r.abis = abis;
	r.flags = POLICY_RULE_EXACT;
	r.loc = it->loc;
	r.comment = comment;
	r.ncond = term->n;
	memcpy(r.cond, term->c, sizeof(term->c[0]) * term->n);
	return policy_add_rule(out, &r, c->err);
}

/* The region where filter k decides: its expression and none of the earlier
 * filters with another action (same-action overlap is harmless). */
static int ord_region(struct ord_item **list, size_t k, struct dnf *out)
{
	struct dnf before;
	int rc;

	dnf_init(&before);
	for (size_t j = 0; j < k; j++) {
		struct dnf x;

		if (list[j]->action == list[k]->action)
			continue;
		if ((rc = dnf_copy(&x, &list[j]->expr)) || (rc = dnf_or(&before, &x))) {
			dnf_free(&before);
			return rc;
		}
	}
	if ((rc = dnf_not(&before)) || (rc = dnf_copy(out, &list[k]->expr)))
		return rc;
	return dnf_and(out, &before);
}

static int ord_error(const struct ord_ctx *c, const struct ord_item *it, int code, const char *fmt,
		      const char *a, int line)
{
	return muzzle_error_set(c->err, code, it->file, it->line, it->col, fmt, a, line);
}

static int ord_list(const struct ord_ctx *c, struct policy *out, struct ord_item **list, size_t n,
			uint32_t abis)
{
	char name[64];

	for (size_t k = 0; k < n; k++) {
		const struct ord_item *it = list[k];
		char comment[4096 + 32];
		struct dnf reg;
		int rc;

		snprintf(name, sizeof(name), "%s", it->sys >= 0 ? arch_syscall_name(it->sys) : "#");
		if (c->no_shadow && k > 0 && dnf_is_true(&list[k - 1]->expr))
			return ord_error(c, it, -EINVAL, "syscall '%s' already has an "
					  "unconditional action (line %d)", name,
					  list[k - 1]->line);
		rc = ord_region(list, k, &reg);
		if (rc == -E2BIG)
			return ord_error(c, it, rc, "filters for '%s' too complex to combine "
					  "(the list before line %d expands past the limit)", name,
					  it->line);
		if (rc)
			return ord_nomem(c);
		snprintf(comment, sizeof(comment), "%s:%d:%d", it->file, it->line, it->col);
		if (out->nrules + reg.n > TEXT_MAX_RULES) {
			dnf_free(&reg);
			return muzzle_error_set(c->err, -E2BIG, it->file, it->line, it->col,
						"policy too large: more than %d rules (at '%s')",
						TEXT_MAX_RULES, name);
		}
		for (size_t i = 0; i < reg.n && !rc; i++) {
			/* an unconditional region is kept even when it restates the
			 * default; a conditional one with the default action adds nothing */
			if (reg.t[i].n && it->action == c->default_action)
				continue;
			rc = ord_emit(c, out, it, &reg.t[i], abis,
				       it->file != c->top_name ? comment : NULL);
		}
		dnf_free(&reg);
		if (rc)
			return rc;
	}
	return 0;
}

/* Filters carrying [arch=...] apply to some ABIs only: compile the list each
 * group of ABIs sees (ABIs that see the same filters share rules). */
static int ord_syscall(const struct ord_ctx *c, struct policy *out, struct ord_item **g, size_t n)
{
	struct ord_item **list = calloc(n, sizeof(*list));
	uint32_t done = 0;
	int any_meta = 0, rc = 0;

	if (!list)
		return ord_nomem(c);
	for (size_t i = 0; i < n; i++)
		any_meta |= g[i]->abis != 0;
	if (!any_meta) {
		rc = ord_list(c, out, g, n, 0);
		free(list);
		return rc;
	}
	for (int a = 0; a < ARCH_COUNT && !rc; a++) {
		uint32_t group = 0;
		size_t k = 0;

		if (!(c->arches & ARCH_MASK(a)) || (done & ARCH_MASK(a)))
			continue;
		/* ABIs b that see exactly the filters a sees join a's group */
		for (int b = a; b < ARCH_COUNT; b++) {
			int same = (c->arches & ARCH_MASK(b)) && !(done & ARCH_MASK(b));

			for (size_t i = 0; i < n && same; i++) {
				int sa = !g[i]->abis || (g[i]->abis & ARCH_MASK(a));
				int sb = !g[i]->abis || (g[i]->abis & ARCH_MASK(b));

				same = sa == sb;
			}
			if (same)
				group |= ARCH_MASK(b);
		}
		done |= group;
		for (size_t i = 0; i < n; i++)
			if (!g[i]->abis || (g[i]->abis & ARCH_MASK(a)))
				list[k++] = g[i];
		rc = ord_list(c, out, list, k, group);
	}
	free(list);
	return rc;
}

struct ord_group {
	size_t start, n, first;	/* first: source order of its first filter */
};

static int by_first(const void *a, const void *b)
{
	const struct ord_group *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* Group the filters by syscall, then compile the groups in the order the
 * syscalls first appear, so the rules follow the file. */
int ord_to_rules(const struct ord_ctx *c, struct ord_item *items, size_t nitems,
		 struct policy *out)
{
	struct ord_item **idx;
	struct ord_group *gs;
	size_t i = 0, ng = 0;
	int rc = 0;

	if (!nitems)
		return 0;
	idx = malloc(nitems * sizeof(*idx));
	gs = malloc(nitems * sizeof(*gs));
	if (!idx || !gs) {
		free(idx);
		free(gs);
		return ord_nomem(c);
	}
	for (size_t k = 0; k < nitems; k++)
		idx[k] = &items[k];
	qsort(idx, nitems, sizeof(*idx), ord_cmp);
	while (i < nitems) {
		size_t j = i + 1;

		while (j < nitems && idx[j]->sys == idx[i]->sys && idx[j]->nr == idx[i]->nr)
			j++;
		gs[ng++] = (struct ord_group){ i, j - i, idx[i]->order };
		i = j;
	}
	qsort(gs, ng, sizeof(*gs), by_first);
	for (size_t g = 0; g < ng && !rc; g++)
		rc = ord_syscall(c, out, idx + gs[g].start, gs[g].n);
	free(gs);
	free(idx);
	return rc;
}

