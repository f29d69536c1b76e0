/* A YAML subset -> json-c converter, enough for Kubernetes manifests as
 * kubectl, operators and people write them in block style:
 *
 *   - one document, optionally opened by "---" (and closed by "...");
 *   - block mappings and block sequences, including sequences written at
 *     the indentation of their key ("key:\n- a") and compact items
 *     ("- key: v" and "- - a");
 *   - plain, 'single' and "double" quoted scalars on one line;
 *   - flow collections of scalars on one line: "[]", "[a, b]", "{a: 1}";
 *   - comments.
 *
 * Anchors, aliases, tags, block scalars (| and >), multi-line scalars,
 * nested or multi-line flow collections, complex keys, directives and
 * several documents are errors at file:line:column that name the construct:
 * a reader that skipped them would silently see something else than the
 * API server does.
 *
 * Plain scalars resolve as Kubernetes' decoder (YAML 1.1 rules) does:
 * null/~/empty, true/false/yes/no/on/off/y/n, decimal and 0x integers,
 * floats; everything else is a string.  Numbers that YAML 1.1 and 1.2 read
 * differently (010, 0o10, 0b1, 1_000, 1:20) are refused rather than guessed. */
#include "yaml_subset.h"
#include "json_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One line holding content.  pos moves right when a compact item ("- a: 1")
 * makes the rest of the line a node of its own. */
struct yline {
	size_t bol;	/* offset of the line's first byte */
	size_t pos;	/* where the current node starts */
	size_t end;	/* after the last byte (no newline, no CR) */
	int indent;	/* column of pos, 0-based */
	int no;		/* 1-based */
};

struct yparser {
	const char *buf;
	size_t len;
	const char *file;
	struct muzzle_error *err;
	struct yaml_doc *doc;
	struct yline *lines;
	size_t nlines, cap, cur;
	size_t values;
	int depth;
};

/* --- errors and locations ------------------------------------------------------ */

static void line_col(const char *buf, size_t off, int *line, int *col)
{
	int l = 1, c = 1;

	for (size_t i = 0; i < off; i++) {
		c++;
		if (buf[i] == '\n') {
			l++;
			c = 1;
		}
	}
	*line = l;
	*col = c;
}

__attribute__((format(printf, 3, 4)))
static int yerr(struct yparser *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	int line, col;

	line_col(p->buf, off, &line, &col);
	va_start(ap, fmt);
	muzzle_error_setv(p->err, -EINVAL, p->file, line, col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int nomem(struct yparser *p)
{
	return muzzle_error_set(p->err, -ENOMEM, p->file, 0, 0, "out of memory");
}

static int note(struct yparser *p, const struct yline *l, size_t off, const char *path)
{
	struct yaml_doc *d = p->doc;

	if (d->nlocs == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct yaml_loc *n = realloc(d->locs, cap * sizeof(*n));

		if (!n)
			return nomem(p);
		d->locs = n;
		d->cap = cap;
	}
	d->locs[d->nlocs].path = strdup(path);
	if (!d->locs[d->nlocs].path)
		return nomem(p);
	d->locs[d->nlocs].line = l->no;
	d->locs[d->nlocs].col = (int)(off - l->bol) + 1;
	d->nlocs++;
	return 0;
}

/* Bounds memory the way json_parse_doc does. */
static int count_value(struct yparser *p, size_t off)
{
	if (++p->values > JSON_MAX_VALUES)
		return yerr(p, off, "more than %u values: refused to bound memory",
			    JSON_MAX_VALUES);
	return 0;
}

/* --- bytes and lines ------------------------------------------------------------ */

/* Length of the UTF-8 sequence at s (shortest form, no surrogates), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t k;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		k = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

/* YAML text is printable UTF-8: NUL and control bytes would end or bend the
 * strings json-c and the readers see. */
static int check_bytes(struct yparser *p)
{
	const unsigned char *b = (const unsigned char *)p->buf;

	for (size_t i = 0; i < p->len;) {
		size_t k = 1;

		if (b[i] >= 0x80)
			k = utf8_len(b + i, p->len - i);
		else if ((b[i] < 0x20 && b[i] != '\t' && b[i] != '\n' && b[i] != '\r') ||
			 b[i] == 0x7f)
			return yerr(p, i, "control character 0x%02x: not allowed in YAML", b[i]);
		if (!k)
			return yerr(p, i, "invalid UTF-8");
		i += k;
	}
	return 0;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static size_t skip_ws(const struct yparser *p, size_t i, size_t end)
{
	while (i < end && is_ws(p->buf[i]))
		i++;
	return i;
}

/* Nothing but blanks and perhaps a comment from i to end. */
static int rest_empty(const struct yparser *p, size_t i, size_t end)
{
	i = skip_ws(p, i, end);
	return i == end || p->buf[i] == '#';
}

static int is_marker(const struct yparser *p, size_t bol, size_t end, const char *m)
{
	return end - bol >= 3 && memcmp(p->buf + bol, m, 3) == 0 &&
	       (end - bol == 3 || is_ws(p->buf[bol + 3]));
}

static int add_line(struct yparser *p, size_t bol, size_t pos, size_t end, int no)
{
	if (p->nlines == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		struct yline *n = realloc(p->lines, cap * sizeof(*n));

		if (!n)
			return nomem(p);
		p->lines = n;
		p->cap = cap;
	}
	p->lines[p->nlines++] = (struct yline){ bol, pos, end, (int)(pos - bol), no };
	return 0;
}

/* "---" opens the one document; "..." closes it; either anywhere else means
 * a second document.  1 = the line was a marker, 0 = content, <0 = error. */
static int doc_marker(struct yparser *p, size_t bol, size_t end, int *started)
{
	if (is_marker(p, bol, end, "---")) {
		if (*started || p->nlines)
			return yerr(p, bol, "a second document ('---'): multi-document files "
				    "are not supported");
		if (!rest_empty(p, bol + 3, end))
			return yerr(p, skip_ws(p, bol + 3, end), "content on the '---' line is "
				    "not supported: start it on the next line");
		*started = 1;
		return 1;
	}
	if (is_marker(p, bol, end, "...")) {
		if (!rest_empty(p, bol + 3, end))
			return yerr(p, bol, "content after '...' is not supported");
		return 2;
	}
	if (p->buf[bol] == '%')
		return yerr(p, bol, "directives ('%%YAML', '%%TAG') are not supported");
	return 0;
}

/* Only after "...": comments and blank lines, else a second document. */
static int after_end(struct yparser *p, size_t off)
{
	while (off < p->len) {
		const char *nl = memchr(p->buf + off, '\n', p->len - off);
		size_t end = nl ? (size_t)(nl - p->buf) : p->len;

		if (!rest_empty(p, off, end))
			return yerr(p, skip_ws(p, off, end), "a second document after '...': "
				    "multi-document files are not supported");
		off = end + 1;
	}
	return 0;
}

static int split_lines(struct yparser *p)
{
	size_t off = 0;
	int no = 0, started = 0, rc;

	if (p->len >= 3 && memcmp(p->buf, "\xef\xbb\xbf", 3) == 0)
		off = 3;	/* a byte order mark */
	while (off < p->len) {
		const char *nl = memchr(p->buf + off, '\n', p->len - off);
		size_t bol = off, end = nl ? (size_t)(nl - p->buf) : p->len, pos = bol;

		off = end + 1;
		no++;
		if (end > bol && p->buf[end - 1] == '\r')
			end--;
		while (pos < end && p->buf[pos] == ' ')
			pos++;
		if (rest_empty(p, pos, end))
			continue;
		if (p->buf[pos] == '\t')
			return yerr(p, pos, "tab in indentation: YAML indents with spaces only");
		rc = pos == bol ? doc_marker(p, bol, end, &started) : 0;
		if (rc < 0)
			return rc;
		if (rc == 2)
			return after_end(p, off);
		if (rc == 1)
			continue;
		if ((rc = add_line(p, bol, pos, end, no)))
			return rc;
	}
	return 0;
}

/* --- scalars ----------------------------------------------------------------------- */

struct ybuf {
	char *s;
	size_t n, cap;
};

static int ybuf_put(struct ybuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *ns = realloc(b->s, cap);

		if (!ns)
			return -ENOMEM;
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
	return 0;
}

static int ybuf_utf8(struct ybuf *b, uint32_t cp)
{
	char u[4];

	if (cp < 0x80) {
		u[0] = (char)cp;
		return ybuf_put(b, u, 1);
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		return ybuf_put(b, u, 2);
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return ybuf_put(b, u, 3);
	}
	u[0] = (char)(0xf0 | cp >> 18);
	u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return ybuf_put(b, u, 4);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* \x, \u, \U: a code point in ndig hex digits after the letter. */
static int escape_hex(struct yparser *p, const struct yline *l, size_t at, int ndig,
		      struct ybuf *b)
{
	uint32_t cp = 0;

	for (int k = 0; k < ndig; k++) {
		size_t i = at + 2 + (size_t)k;
		int d = i < l->end ? hex_digit(p->buf[i]) : -1;

		if (d < 0)
			return yerr(p, at, "escape \\%c needs %d hex digits", p->buf[at + 1], ndig);
		cp = cp << 4 | (uint32_t)d;
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return yerr(p, at, "escape \\%c names no Unicode character", p->buf[at + 1]);
	return ybuf_utf8(b, cp) ? nomem(p) : 0;
}

/* One escape of a double-quoted scalar at *i (the backslash). */
static int dq_escape(struct yparser *p, const struct yline *l, size_t *i, struct ybuf *b)
{
	static const char in[] = "0abtnvfre \"/\\\t";
	static const char out[] = "\0\a\b\t\n\v\f\r\x1b \"/\\\t";
	static const struct { char c; uint32_t cp; } named[] = {
		{ 'N', 0x85 }, { '_', 0xa0 }, { 'L', 0x2028 }, { 'P', 0x2029 },
	};
	size_t at = *i;
	char e = at + 1 < l->end ? p->buf[at + 1] : 0;
	const char *k = e ? memchr(in, e, sizeof(in) - 1) : NULL;
	int ndig = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;

	*i = at + 2 + (size_t)ndig;
	if (!e)
		return yerr(p, at, "a double-quoted string must end on its line "
			    "(multi-line quoted scalars are not supported)");
	if (k)
		return ybuf_put(b, &out[k - in], 1) ? nomem(p) : 0;
	if (ndig)
		return escape_hex(p, l, at, ndig, b);
	for (size_t n = 0; n < sizeof(named) / sizeof(named[0]); n++)
		if (named[n].c == e)
			return ybuf_utf8(b, named[n].cp) ? nomem(p) : 0;
	return yerr(p, at, "unknown escape '\\%c' in a double-quoted string", e);
}

/* A quoted scalar at off; *next = after the closing quote. */
static int parse_quoted(struct yparser *p, const struct yline *l, size_t off, struct ybuf *b,
			size_t *next)
{
	char q = p->buf[off];
	size_t i = off + 1;
	int rc = 0;

	b->s = NULL;
	b->n = b->cap = 0;
	if (ybuf_put(b, "", 0))
		return nomem(p);
	while (!rc && i < l->end) {
		if (p->buf[i] == q && q == '\'' && i + 1 < l->end && p->buf[i + 1] == '\'') {
			rc = ybuf_put(b, "'", 1) ? nomem(p) : 0;
			i += 2;
		} else if (p->buf[i] == q) {
			break;
		} else if (p->buf[i] == '\\' && q == '"') {
			rc = dq_escape(p, l, &i, b);
		} else {
			rc = ybuf_put(b, p->buf + i, 1) ? nomem(p) : 0;
			i++;
		}
	}
	if (!rc && i >= l->end)
		rc = yerr(p, off, "a quoted string must end on its line (multi-line quoted "
			  "scalars are not supported)");
	if (rc) {
		free(b->s);
		b->s = NULL;
		return rc;
	}
	*next = i + 1;
	return 0;
}

static int word_in(const char *s, size_t n, const char *const *words)
{
	for (size_t i = 0; words[i]; i++)
		if (strlen(words[i]) == n && memcmp(s, words[i], n) == 0)
			return 1;
	return 0;
}

static size_t count_digits(const char *s, size_t n, int hex)
{
	size_t d = 0;

	while (d < n && (hex ? hex_digit(s[d]) >= 0 : (s[d] >= '0' && s[d] <= '9')))
		d++;
	return d;
}

enum ynum { YNUM_NONE, YNUM_INT, YNUM_HEX, YNUM_FLOAT, YNUM_AMBIGUOUS };

/* [-+]?(.d+|d+(.d*)?)([eE][-+]?d+)? */
static int is_float(const char *s, size_t n)
{
	size_t i = (n && (s[0] == '-' || s[0] == '+')), a, b = 0;

	a = count_digits(s + i, n - i, 0);
	i += a;
	if (i < n && s[i] == '.') {
		b = count_digits(s + i + 1, n - i - 1, 0);
		i += 1 + b;
	}
	if (!a && !b)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t e;

		i += 1 + (i + 1 < n && (s[i + 1] == '-' || s[i + 1] == '+'));
		e = count_digits(s + i, n - i, 0);
		if (!e)
			return 0;
		i += e;
	}
	return i == n;
}

/* Numbers YAML 1.1 (Kubernetes) and 1.2 agree on, and the ones they don't. */
static enum ynum number_kind(const char *s, size_t n)
{
	static const char *const specials[] = { ".inf", ".Inf", ".INF", "-.inf", "-.Inf",
		"-.INF", "+.inf", "+.Inf", "+.INF", ".nan", ".NaN", ".NAN", NULL };
	size_t i = (n && (s[0] == '-' || s[0] == '+')), d = count_digits(s + i, n - i, 0);

	if (d && i + d == n)
		return d > 1 && s[i] == '0' ? YNUM_AMBIGUOUS : YNUM_INT;
	if (!i && n > 2 && s[0] == '0' && s[1] == 'x' && count_digits(s + 2, n - 2, 1) == n - 2)
		return YNUM_HEX;
	if (n > i + 1 && s[i] == '0' && strchr("oxXbB", s[i + 1]))
		return YNUM_AMBIGUOUS;	/* 0o17 (1.2), 0b1 (1.1), signed or 0X hex */
	if (d && i + d < n && (s[i + d] == '_' || s[i + d] == ':'))
		return YNUM_AMBIGUOUS;	/* 1_000 and 1:20 are numbers in 1.1 only */
	if (is_float(s, n) || word_in(s, n, specials))
		return YNUM_FLOAT;
	return YNUM_NONE;
}

static int plain_int(struct yparser *p, size_t off, const char *s, size_t n,
		     struct json_object **out)
{
	char tmp[32];
	char *end;
	int neg = s[0] == '-';

	if (n >= sizeof(tmp))
		return yerr(p, off, "integer %.*s is beyond the 64-bit range", (int)n, s);
	memcpy(tmp, s, n);
	tmp[n] = 0;
	errno = 0;
	if (neg) {
		long long v = strtoll(tmp, &end, 10);

		if (errno)
			return yerr(p, off, "integer %s is beyond the 64-bit range", tmp);
		*out = json_object_new_int64(v);
	} else {
		unsigned long long v = strtoull(tmp, &end, n > 2 && tmp[1] == 'x' ? 16 : 10);

		if (errno)
			return yerr(p, off, "integer %s is beyond the 64-bit range", tmp);
		*out = v > INT64_MAX ? json_object_new_uint64(v) : json_object_new_int64((int64_t)v);
	}
	return *out ? 0 : nomem(p);
}

static int plain_float(struct yparser *p, const char *s, size_t n, struct json_object **out)
{
	char *tmp = strndup(s, n);

	if (!tmp)
		return nomem(p);
	*out = json_object_new_double(strtod(tmp, NULL));
	free(tmp);
	return *out ? 0 : nomem(p);
}

/* What a plain scalar means; *out stays NULL for null. */
static int plain_value(struct yparser *p, size_t off, const char *s, size_t n,
		       struct json_object **out)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on",
					     "On", "ON", "y", "Y", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", "no", "No", "NO",
					      "off", "Off", "OFF", "n", "N", NULL };

	*out = NULL;
	if (word_in(s, n, nulls))
		return 0;
	if (word_in(s, n, trues) || word_in(s, n, falses)) {
		*out = json_object_new_boolean(word_in(s, n, trues));
		return *out ? 0 : nomem(p);
	}
	switch (number_kind(s, n)) {
	case YNUM_INT:
	case YNUM_HEX:
		return plain_int(p, off, s, n, out);
	case YNUM_FLOAT:
		return plain_float(p, s, n, out);
	case YNUM_AMBIGUOUS:
		return yerr(p, off, "the number %.*s reads differently in YAML 1.1 and 1.2: "
			    "write it in decimal or 0x hex, or quote it for a string",
			    (int)(n > 40 ? 40 : n), s);
	default:
		*out = json_object_new_string_len(s, (int)n);
		return *out ? 0 : nomem(p);
	}
}

/* Indicators that cannot start a node of the subset. */
static int bad_start(struct yparser *p, size_t off, size_t end)
{
	char c = p->buf[off];
	int sp = off + 1 == end || is_ws(p->buf[off + 1]);

	switch (c) {
	case '&': return yerr(p, off, "anchors ('&name') are not supported");
	case '*': return yerr(p, off, "aliases ('*name') are not supported");
	case '!': return yerr(p, off, "tags ('!tag') are not supported");
	case '|':
	case '>': return yerr(p, off, "block scalars ('%c') are not supported: write the "
			      "string in quotes on one line", c);
	case '%':
	case '@':
	case '`': return yerr(p, off, "'%c' cannot start a plain scalar: quote the string", c);
	case ',':
	case ']':
	case '}': return yerr(p, off, "unexpected '%c'", c);
	case '?': return sp ? yerr(p, off, "complex mapping keys ('? ') are not supported") : 0;
	case ':': return sp ? yerr(p, off, "empty mapping key") : 0;
	default: return 0;
	}
}

/* End of a plain scalar in block context: a comment or the end of the line,
 * trailing blanks cut. */
static size_t plain_end(const struct yparser *p, const struct yline *l, size_t off)
{
	size_t i = off, e;

	while (i < l->end && !(p->buf[i] == '#' && i > off && is_ws(p->buf[i - 1])))
		i++;
	e = i;
	while (e > off && is_ws(p->buf[e - 1]))
		e--;
	return e;
}

/* --- flow collections (one line, scalars only) ---------------------------------- */

static int string_value(struct yparser *p, struct ybuf *b, struct json_object **out)
{
	*out = json_object_new_string_len(b->s, (int)b->n);
	free(b->s);
	return *out ? 0 : nomem(p);
}

/* One scalar inside [ ] or { }; stops at ',', the closing bracket or a ':'
 * that ends a key.  as_key keeps the text as a string. */
static int flow_scalar(struct yparser *p, const struct yline *l, size_t *i, int as_key,
		       struct json_object **out)
{
	size_t s = *i, e;
	char c = p->buf[s];
	int rc;

	if (c == '[' || c == '{')
		return yerr(p, s, "nested flow collections are not supported: use block style");
	if (c == '"' || c == '\'') {
		struct ybuf b;

		if ((rc = parse_quoted(p, l, s, &b, i)))
			return rc;
		return string_value(p, &b, out);
	}
	if ((rc = bad_start(p, s, l->end)))
		return rc;
	for (e = s; e < l->end && !strchr(",[]{}", p->buf[e]); e++)
		if (p->buf[e] == ':' && (e + 1 == l->end || is_ws(p->buf[e + 1]) ||
					 strchr(",[]{}", p->buf[e + 1])))
			break;
	if (e < l->end && (p->buf[e] == '[' || p->buf[e] == '{'))
		return yerr(p, e, "nested flow collections are not supported: use block style");
	*i = e;
	while (e > s && is_ws(p->buf[e - 1]))
		e--;
	if (e == s)
		return yerr(p, s, "empty entry in a flow collection");
	if (as_key) {
		*out = json_object_new_string_len(p->buf + s, (int)(e - s));
		return *out ? 0 : nomem(p);
	}
	return plain_value(p, s, p->buf + s, e - s, out);
}

static int flow_seq_entry(struct yparser *p, const struct yline *l, size_t *i,
			  struct json_object *arr, const char *path)
{
	char ip[JSON_PATH_MAX];
	struct json_object *v = NULL;
	size_t at = *i;
	int rc;

	jpath_index(ip, sizeof(ip), path, json_object_array_length(arr));
	if ((rc = note(p, l, at, ip)) || (rc = count_value(p, at)) ||
	    (rc = flow_scalar(p, l, i, 0, &v)))
		return rc;
	if (*i < l->end && p->buf[*i] == ':') {
		json_object_put(v);
		return yerr(p, at, "a mapping inside a flow sequence is not supported: use "
			    "block style");
	}
	return json_object_array_add(arr, v) ? (json_object_put(v), nomem(p)) : 0;
}

static int flow_map_entry(struct yparser *p, const struct yline *l, size_t *i,
			  struct json_object *obj, const char *path)
{
	char kp[JSON_PATH_MAX];
	struct json_object *k = NULL, *v = NULL;
	size_t at = *i;
	int rc = flow_scalar(p, l, i, 1, &k);

	if (rc)
		return rc;
	if (*i >= l->end || p->buf[*i] != ':')
		rc = yerr(p, *i, "expected ':' after a key in a flow mapping");
	else if (json_object_object_get_ex(obj, json_object_get_string(k), NULL))
		rc = yerr(p, at, "key \"%s\" is repeated in this mapping", json_object_get_string(k));
	if (!rc) {
		*i = skip_ws(p, *i + 1, l->end);
		jpath_key(kp, sizeof(kp), path, json_object_get_string(k));
		rc = note(p, l, at, kp);
	}
	if (!rc && !(rc = count_value(p, at)) && *i < l->end && !strchr(",}", p->buf[*i]))
		rc = flow_scalar(p, l, i, 0, &v);
	if (!rc && json_object_object_add(obj, json_object_get_string(k), v)) {
		json_object_put(v);
		rc = nomem(p);
	}
	json_object_put(k);
	return rc;
}

static int parse_flow(struct yparser *p, const struct yline *l, size_t off, const char *path,
		      struct json_object **out, size_t *next)
{
	int map = p->buf[off] == '{';
	char close = map ? '}' : ']';
	size_t i = off + 1;
	int rc;

	*out = map ? json_object_new_object() : json_object_new_array();
	if (!*out)
		return nomem(p);
	for (rc = 0; !rc;) {
		i = skip_ws(p, i, l->end);
		if (i < l->end && p->buf[i] == close)
			break;
		if (i >= l->end || p->buf[i] == '#') {
			rc = yerr(p, off, "'%c' is not closed on its line: flow collections "
				  "spanning lines are not supported", p->buf[off]);
			break;
		}
		rc = map ? flow_map_entry(p, l, &i, *out, path)
			 : flow_seq_entry(p, l, &i, *out, path);
		i = skip_ws(p, i, l->end);
		if (!rc && i < l->end && p->buf[i] == ',')
			i++;
		else if (!rc && i < l->end && p->buf[i] != close && p->buf[i] != '#')
			rc = yerr(p, i, "expected ',' or '%c'", close);
	}
	if (rc) {
		json_object_put(*out);
		*out = NULL;
	}
	*next = i + 1;
	return rc;
}

/* --- block structure ---------------------------------------------------------------- */

static int parse_block(struct yparser *p, int parent, const char *path, struct json_object **out);

static int is_item(const struct yparser *p, const struct yline *l)
{
	return p->buf[l->pos] == '-' && (l->pos + 1 == l->end || is_ws(p->buf[l->pos + 1]));
}

/* A value that starts on the line of its key or "-" and ends there. */
static int parse_inline(struct yparser *p, const struct yline *l, size_t off, const char *path,
			struct json_object **out)
{
	char c = p->buf[off];
	size_t next, e;
	int rc;

	*out = NULL;
	if ((rc = count_value(p, off)))
		return rc;
	if (c == '"' || c == '\'') {
		struct ybuf b;

		if (!(rc = parse_quoted(p, l, off, &b, &next)))
			rc = string_value(p, &b, out);
	} else if (c == '[' || c == '{') {
		rc = parse_flow(p, l, off, path, out, &next);
	} else if (c == '-' && (off + 1 == l->end || is_ws(p->buf[off + 1]))) {
		return yerr(p, off, "a block sequence cannot start on the line of its key: "
			    "put '- item' on the next line");
	} else {
		const char *colon;

		if ((rc = bad_start(p, off, l->end)))
			return rc;
		e = plain_end(p, l, off);
		colon = memmem(p->buf + off, e - off, ": ", 2);
		if (colon || p->buf[e - 1] == ':')
			return yerr(p, colon ? (size_t)(colon - p->buf) : e - 1, "':' in a plain "
				    "value: quote the string (a mapping cannot start here)");
		return plain_value(p, off, p->buf + off, e - off, out);
	}
	if (!rc && !rest_empty(p, next, l->end))
		rc = yerr(p, skip_ws(p, next, l->end), "unexpected text after the value");
	if (rc) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

/* Nothing may continue a value that ended on its line. */
static int no_continuation(struct yparser *p, int parent)
{
	if (p->cur < p->nlines && p->lines[p->cur].indent > parent)
		return yerr(p, p->lines[p->cur].pos, "unexpected indentation: a value ended on "
			    "the line before (multi-line scalars are not supported)");
	return 0;
}

static int check_dedent(struct yparser *p, int indent)
{
	if (p->cur < p->nlines && p->lines[p->cur].indent > indent)
		return yerr(p, p->lines[p->cur].pos, "indentation matches no enclosing block");
	return 0;
}

struct ykey {
	char *text;
	size_t len;
	size_t at;	/* where the key starts */
	size_t after;	/* after its ':' */
};

static int quoted_key(struct yparser *p, const struct yline *l, size_t off, struct ykey *k)
{
	struct ybuf b;
	size_t next;
	int rc = parse_quoted(p, l, off, &b, &next);

	if (rc)
		return rc;
	next = skip_ws(p, next, l->end);
	if (next < l->end && p->buf[next] == ':' &&
	    (next + 1 == l->end || is_ws(p->buf[next + 1]))) {
		*k = (struct ykey){ b.s, b.n, off, next + 1 };
		return 1;
	}
	free(b.s);
	return 0;
}

/* 1 with *k if the node at off is "key: ...", 0 if it is something else. */
static int find_key(struct yparser *p, const struct yline *l, size_t off, struct ykey *k)
{
	char c = p->buf[off];

	if (c == '"' || c == '\'')
		return quoted_key(p, l, off, k);
	if (strchr("[{&*!|>%@`,]}?#", c))
		return 0;
	for (size_t i = off; i < l->end; i++) {
		if (p->buf[i] == '#' && i > off && is_ws(p->buf[i - 1]))
			return 0;
		if (p->buf[i] == ':' && (i + 1 == l->end || is_ws(p->buf[i + 1]))) {
			size_t e = i;

			while (e > off && is_ws(p->buf[e - 1]))
				e--;
			if (e == off)
				return yerr(p, off, "empty mapping key");
			k->text = strndup(p->buf + off, e - off);
			if (!k->text)
				return nomem(p);
			*k = (struct ykey){ k->text, e - off, off, i + 1 };
			return 1;
		}
	}
	return 0;
}

/* The value of "key:" (or "-") with nothing after it on the line: a deeper
 * block, a sequence at the key's own indentation (map values only), or null. */
static int nested_value(struct yparser *p, int indent, int map_value, const char *path,
			struct json_object **out);

static int parse_seq(struct yparser *p, int indent, int under_key, const char *path,
		     struct json_object **out);

static int nested_value(struct yparser *p, int indent, int map_value, const char *path,
			struct json_object **out)
{
	const struct yline *l = p->cur < p->nlines ? &p->lines[p->cur] : NULL;

	*out = NULL;
	if (l && l->indent > indent)
		return parse_block(p, indent, path, out);
	if (l && map_value && l->indent == indent && is_item(p, l))
		return parse_seq(p, indent, 1, path, out);
	return count_value(p, p->cur < p->nlines ? l->pos : p->len);
}

static int add_member(struct yparser *p, struct json_object *obj, struct ykey *k,
		      struct json_object *v)
{
	if (json_object_object_add(obj, k->text, v)) {
		json_object_put(v);
		return nomem(p);
	}
	return 0;
}

static int map_entry(struct yparser *p, int indent, const char *path, struct json_object *obj)
{
	struct yline *l = &p->lines[p->cur];
	struct json_object *v = NULL;
	char kp[JSON_PATH_MAX];
	struct ykey k;
	int rc;

	if (is_item(p, l))
		return yerr(p, l->pos, "a sequence item where a mapping key was expected");
	rc = find_key(p, l, l->pos, &k);
	if (rc <= 0)
		return rc ? rc : bad_start(p, l->pos, l->end) ? -EINVAL :
			yerr(p, l->pos, "expected \"key: value\" in a mapping");
	rc = 0;
	if (strlen(k.text) != k.len)
		rc = yerr(p, k.at, "a mapping key contains a NUL character");
	else if (json_object_object_get_ex(obj, k.text, NULL))
		rc = yerr(p, k.at, "key \"%s\" is repeated in this mapping: which value counts "
			  "differs between parsers, so it is refused", k.text);
	jpath_key(kp, sizeof(kp), path, k.text);
	if (!rc)
		rc = note(p, l, k.at, kp);
	if (!rc && rest_empty(p, k.after, l->end)) {
		p->cur++;
		rc = nested_value(p, indent, 1, kp, &v);
	} else if (!rc) {
		rc = parse_inline(p, l, skip_ws(p, k.after, l->end), kp, &v);
		p->cur++;
		if (!rc && (rc = no_continuation(p, indent)))
			json_object_put(v);
	}
	if (!rc)
		rc = add_member(p, obj, &k, v);
	free(k.text);
	return rc;
}

static int parse_map(struct yparser *p, int indent, const char *path, struct json_object **out)
{
	int rc;

	*out = json_object_new_object();
	if (!*out)
		return nomem(p);
	rc = count_value(p, p->lines[p->cur].pos);
	while (!rc && p->cur < p->nlines && p->lines[p->cur].indent == indent)
		rc = map_entry(p, indent, path, *out);
	if (!rc)
		rc = check_dedent(p, indent);
	if (rc) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

static int seq_item(struct yparser *p, int indent, const char *path, struct json_object *arr)
{
	struct yline *l = &p->lines[p->cur];
	struct json_object *v = NULL;
	char ip[JSON_PATH_MAX];
	size_t rest = skip_ws(p, l->pos + 1, l->end);
	int rc;

	jpath_index(ip, sizeof(ip), path, json_object_array_length(arr));
	if ((rc = note(p, l, l->pos, ip)))
		return rc;
	if (rest_empty(p, rest, l->end)) {
		p->cur++;
		rc = nested_value(p, indent, 0, ip, &v);
	} else if (memchr(p->buf + l->pos + 1, '\t', rest - l->pos - 1)) {
		return yerr(p, l->pos + 1, "tab after '-': indent items with spaces only");
	} else {
		/* the rest of the line is a node indented to its own column */
		l->pos = rest;
		l->indent = (int)(rest - l->bol);
		rc = parse_block(p, indent, ip, &v);
	}
	if (!rc && json_object_array_add(arr, v)) {
		json_object_put(v);
		rc = nomem(p);
	}
	return rc;
}

/* under_key: the sequence sits at its key's indentation, so a key line at
 * that indentation ends it rather than being an error. */
static int parse_seq(struct yparser *p, int indent, int under_key, const char *path,
		     struct json_object **out)
{
	int rc;

	*out = json_object_new_array();
	if (!*out)
		return nomem(p);
	rc = count_value(p, p->lines[p->cur].pos);
	while (!rc && p->cur < p->nlines && p->lines[p->cur].indent == indent &&
	       is_item(p, &p->lines[p->cur]))
		rc = seq_item(p, indent, path, *out);
	if (!rc && !under_key && p->cur < p->nlines && p->lines[p->cur].indent == indent)
		rc = yerr(p, p->lines[p->cur].pos, "a mapping key where a sequence item ('- ') "
			  "was expected");
	if (!rc)
		rc = check_dedent(p, indent);
	if (rc) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

/* The node at the current line; parent is the indentation of the construct
 * that holds it (a scalar may not continue on deeper lines). */
static int parse_block(struct yparser *p, int parent, const char *path, struct json_object **out)
{
	struct yline *l = &p->lines[p->cur];
	struct ykey k;
	int rc;

	*out = NULL;
	if (++p->depth > JSON_MAX_DEPTH)
		return yerr(p, l->pos, "nested deeper than %d levels", JSON_MAX_DEPTH);
	if (is_item(p, l)) {
		rc = parse_seq(p, l->indent, 0, path, out);
	} else if ((rc = find_key(p, l, l->pos, &k)) > 0) {
		free(k.text);
		rc = parse_map(p, l->indent, path, out);
	} else if (rc == 0) {
		rc = parse_inline(p, l, l->pos, path, out);
		p->cur++;
		if (!rc && (rc = no_continuation(p, parent))) {
			json_object_put(*out);
			*out = NULL;
		}
	}
	p->depth--;
	return rc;
}

/* --- entry points ------------------------------------------------------------------- */

int yaml_subset_parse(const char *buf, size_t len, const char *file, struct yaml_doc *doc,
		      struct muzzle_error *err)
{
	struct yparser p = { .buf = buf, .len = len, .file = file, .err = err, .doc = doc };
	int rc;

	memset(doc, 0, sizeof(*doc));
	rc = check_bytes(&p);
	if (!rc)
		rc = split_lines(&p);
	if (!rc && !p.nlines)
		rc = yerr(&p, len, "empty document: expected a YAML mapping");
	if (!rc)
		rc = note(&p, &p.lines[0], p.lines[0].pos, "$");
	if (!rc)
		rc = parse_block(&p, -1, "$", &doc->root);
	if (!rc && p.cur < p.nlines)
		rc = yerr(&p, p.lines[p.cur].pos, "indentation matches no enclosing block");
	free(p.lines);
	return rc;
}

int yaml_doc_locate(const struct yaml_doc *doc, const char *json_path, int *line, int *col)
{
	char path[JSON_PATH_MAX];

	snprintf(path, sizeof(path), "%s", json_path);
	for (;;) {
		char *cut;

		for (size_t i = 0; i < doc->nlocs; i++)
			if (strcmp(doc->locs[i].path, path) == 0) {
				*line = doc->locs[i].line;
				*col = doc->locs[i].col;
				return 1;
			}
		/* the parent: drop the last ".key" or "[n]" */
		cut = strrchr(path, '.');
		if (!cut || (strrchr(path, '[') && strrchr(path, '[') > cut))
			cut = strrchr(path, '[');
		if (!cut || cut == path)
			return 0;
		*cut = 0;
	}
}

void yaml_doc_free(struct yaml_doc *doc)
{
	for (size_t i = 0; i < doc->nlocs; i++)
		free(doc->locs[i].path);
	free(doc->locs);
	json_object_put(doc->root);
	memset(doc, 0, sizeof(*doc));
}
