#include "json_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void jctx_init(struct jctx *c, const char *file, const struct format_options *o,
	       struct muzzle_error *err)
{
	c->file = file;
	c->err = err;
	c->warn = (o && o->warn) ? o->warn : stderr;
}

/* --- parsing ----------------------------------------------------------------- */

static void offset_to_line_col(const char *buf, size_t off, int *line, int *col)
{
	int l = 1, k = 1;

	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			l++;
			k = 1;
		} else {
			k++;
		}
	}
	*line = l;
	*col = k;
}

static int at_offset(const char *buf, size_t off, const char *file, struct muzzle_error *err,
		     int code, const char *what)
{
	int line, col;

	offset_to_line_col(buf, off, &line, &col);
	return muzzle_error_set(err, code, file, line, col, "%s", what);
}

/* 1 if the digits of an integer literal exceed 2^64-1. */
static int digits_overflow(const char *d, size_t n)
{
	static const char max[] = "18446744073709551615";

	while (n > 1 && *d == '0') {
		d++;
		n--;
	}
	if (n != sizeof(max) - 1)
		return n > sizeof(max) - 1;
	return memcmp(d, max, n) > 0;
}

/* What the lexical pass learns besides the fixes: the number of members
 * written in each object, in document order, so keys json-c merged (a
 * repeated key keeps only its last value) can be found afterwards. */
struct scan {
	uint32_t *members;	/* per object, in order of its '{' */
	size_t nobj, cap;
	int32_t stack[JSON_MAX_DEPTH + 1];	/* object index, or -1 for an array */
	int depth;			/* > JSON_MAX_DEPTH: json-c refuses anyway */
};

static int scan_open(struct scan *sc, int is_object)
{
	int32_t idx = -1;

	if (is_object) {
		if (sc->nobj == sc->cap) {
			size_t cap = sc->cap ? sc->cap * 2 : 64;
			uint32_t *m = realloc(sc->members, cap * sizeof(*m));

			if (!m)
				return -ENOMEM;
			sc->members = m;
			sc->cap = cap;
		}
		idx = (int32_t)sc->nobj;
		sc->members[sc->nobj++] = 0;
	}
	if (sc->depth >= 0 && sc->depth < JSON_MAX_DEPTH + 1)
		sc->stack[sc->depth] = idx;
	sc->depth++;
	return 0;
}

static void scan_punct(struct scan *sc, char ch)
{
	int top = sc->depth - 1;

	if ((ch == '}' || ch == ']') && sc->depth > 0)
		sc->depth--;
	else if (ch == ':' && top >= 0 && top < JSON_MAX_DEPTH + 1 && sc->stack[top] >= 0)
		sc->members[sc->stack[top]]++;
}

/* Skip a number starting at i; returns the index of its last character.
 * Integer literals beyond 64 bits are rewritten in the copy (see prescan). */
static int scan_number(const char *buf, size_t len, size_t i, char **copy, size_t *last)
{
	size_t s = i + (buf[i] == '-'), n;

	for (n = 0; s + n < len && buf[s + n] >= '0' && buf[s + n] <= '9'; n++)
		;
	i = s + n;
	if (i < len && (buf[i] == '.' || buf[i] == 'e' || buf[i] == 'E')) {
		/* fractions and exponents are doubles already: rejected later */
		while (i < len && buf[i] && strchr("0123456789.eE+-", buf[i]))
			i++;
	} else if (n >= 2 && digits_overflow(buf + s, n)) {
		if (!*copy) {
			*copy = malloc(len);
			if (!*copy)
				return -ENOMEM;
			memcpy(*copy, buf, len);
		}
		(*copy)[s] = '1';
		(*copy)[s + 1] = 'e';
		memset(*copy + s + 2, '9', n - 2);
	}
	*last = i > 0 ? i - 1 : 0;
	return 0;
}

/* a character a JSON value can start with (true/false/null by one letter) */
static int starts_value(char ch)
{
	return ch == '"' || ch == '{' || ch == '[' || ch == '-' || (ch >= '0' && ch <= '9') ||
	       ch == 't' || ch == 'f' || ch == 'n';
}

/* json-c saturates integers it cannot hold (2^64 reads as 2^64-1), which would
 * turn a typo into a different filter.  This lexical pass (strings skipped,
 * nothing parsed) finds integer literals beyond 64 bits and makes them
 * exponent literals in a private copy, so json-c yields an infinite double
 * that every integer field rejects with its own JSON path.  It also finds NUL
 * bytes, which json-c would treat as the end of input, and counts members. */
static int prescan(const char *buf, size_t len, const char *file, char **copy,
		   struct scan *sc, struct muzzle_error *err)
{
	size_t values = 0;
	int in_str = 0;

	*copy = NULL;
	for (size_t i = 0; i < len; i++) {
		char ch = buf[i];

		if (ch == '\0')
			return at_offset(buf, i, file, err, -EINVAL, "NUL byte in JSON input");
		/* each value starts with one of these outside a string (the letter
		 * of true/false/null appears once in it) */
		if (!in_str && starts_value(ch) && ++values > JSON_MAX_VALUES)
			return at_offset(buf, i, file, err, -E2BIG, "more than 1048576 JSON "
					 "values: refused to bound memory");
		if (in_str) {
			if (ch == '\\' && i + 1 < len && buf[i + 1] != '\0')
				i++;
			else if (ch == '"')
				in_str = 0;
		} else if (ch == '"') {
			in_str = 1;
		} else if (ch == '{' || ch == '[') {
			if (scan_open(sc, ch == '{'))
				return muzzle_error_set(err, -ENOMEM, file, 0, 0, "out of memory");
		} else if (ch == '}' || ch == ']' || ch == ':') {
			scan_punct(sc, ch);
		} else if (ch == '-' || (ch >= '0' && ch <= '9')) {
			if (scan_number(buf, len, i, copy, &i))
				return muzzle_error_set(err, -ENOMEM, file, 0, 0, "out of memory");
		}
	}
	return 0;
}

/* Walk objects in document order (json-c keeps insertion order) and compare
 * member counts with what was written: fewer means a repeated key. */
/* Where check_repeats is: a chain of frames on the stack, turned into a
 * path only for the error (building one per node costs more than the walk). */
struct jframe {
	const struct jframe *up;
	const char *key;	/* NULL: an array element */
	size_t index;
};

static void frame_path(const struct jframe *f, char *dst, size_t cap)
{
	char up[JSON_PATH_MAX];

	if (!f->up) {
		snprintf(dst, cap, "$");
		return;
	}
	frame_path(f->up, up, sizeof(up));
	if (f->key)
		jpath_key(dst, cap, up, f->key);
	else
		jpath_index(dst, cap, up, f->index);
}

static int check_repeats(struct json_object *o, const struct jframe *at, const struct scan *sc,
			 size_t *next, const char *file, struct muzzle_error *err)
{
	if (json_object_is_type(o, json_type_object)) {
		size_t me = (*next)++;

		if (me < sc->nobj && (size_t)json_object_object_length(o) != sc->members[me]) {
			char path[JSON_PATH_MAX];

			frame_path(at, path, sizeof(path));
			return muzzle_error_json(err, -EINVAL, file, path, "an object member name "
						 "is repeated: which value counts differs "
						 "between parsers, so it is refused");
		}
		json_object_object_foreach(o, key, v) {
			struct jframe f = { at, key, 0 };

			if (check_repeats(v, &f, sc, next, file, err))
				return -EINVAL;
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			struct jframe f = { at, NULL, i };

			if (check_repeats(json_object_array_get_idx(o, i), &f, sc, next, file, err))
				return -EINVAL;
		}
	}
	return 0;
}

static int only_space(const char *buf, size_t from, size_t len)
{
	for (size_t i = from; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r')
			return 0;
	return 1;
}

static int parse_checked(const char *buf, size_t len, const char *text, const char *file,
			 struct json_object **out, struct muzzle_error *err)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	enum json_tokener_error code;
	struct json_object *obj;
	size_t end;

	if (!tok)
		return muzzle_error_set(err, -ENOMEM, file, 0, 0, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	code = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (end > len)
		end = len;
	if (!obj) {
		char msg[160];

		if (code == json_tokener_continue)
			snprintf(msg, sizeof(msg), "unexpected end of input");
		else if (code == json_tokener_error_depth)
			snprintf(msg, sizeof(msg), "JSON nested deeper than %d levels",
				 JSON_MAX_DEPTH);
		else
			snprintf(msg, sizeof(msg), "invalid JSON: %s",
				 json_tokener_error_desc(code));
		return at_offset(buf, end, file, err, -EINVAL, msg);
	}
	if (end < len && !only_space(buf, end, len)) {
		json_object_put(obj);
		return at_offset(buf, end, file, err, -EINVAL,
				 "unexpected data after the JSON value");
	}
	*out = obj;
	return 0;
}

int json_parse_doc(const char *buf, size_t len, const char *file, struct json_object **out,
		   struct muzzle_error *err)
{
	const struct jframe top = { NULL, NULL, 0 };
	struct scan sc = { 0 };
	char *copy = NULL;
	size_t next = 0;
	int rc;

	*out = NULL;
	if (len == 0 || only_space(buf, 0, len))
		return at_offset(buf, len, file, err, -EINVAL,
				 "empty input: expected a JSON object");
	if (len > (size_t)INT32_MAX)
		return muzzle_error_set(err, -EFBIG, file, 0, 0, "input too large");
	rc = prescan(buf, len, file, &copy, &sc, err);
	if (!rc)
		rc = parse_checked(buf, len, copy ? copy : buf, file, out, err);
	if (!rc && check_repeats(*out, &top, &sc, &next, file, err)) {
		json_object_put(*out);
		*out = NULL;
		rc = -EINVAL;
	}
	free(copy);
	free(sc.members);
	return rc;
}

int json_read_buf(const char *buf, size_t len, const char *name, const struct format_options *o,
		  struct policy *out, struct muzzle_error *err, json_reader read)
{
	struct json_object *root;
	int rc;

	policy_init(out, POLICY_ACT_KILL_THREAD);
	rc = json_parse_doc(buf, len, name, &root, err);
	if (rc)
		return rc;
	rc = read(root, name, o, out, err);
	json_object_put(root);
	return rc;
}

/* --- paths and errors ----------------------------------------------------------- */

static void path_put(char *dst, size_t cap, int n)
{
	if (n >= 0 && (size_t)n >= cap && cap > 4)
		memcpy(dst + cap - 4, "...", 4);
}

/* parent, then the pieces, into dst (cap > 0), "..." when cut; no printf:
 * readers build a path for every member they visit */
static void path_join(char *dst, size_t cap, const char *parent, const char *a,
		      const char *b, const char *c)
{
	const char *part[4] = { parent, a, b, c };
	size_t n = 0, want = 0;

	for (int i = 0; i < 4; i++) {
		size_t l = strlen(part[i]);

		want += l;
		if (n < cap - 1) {
			size_t k = l < cap - 1 - n ? l : cap - 1 - n;

			memmove(dst + n, part[i], k);
			n += k;
		}
	}
	dst[n] = '\0';
	path_put(dst, cap, (int)(want > INT32_MAX ? INT32_MAX : want));
}

void jpath_key(char *dst, size_t cap, const char *parent, const char *key)
{
	path_join(dst, cap, parent, ".", key, "");
}

void jpath_index(char *dst, size_t cap, const char *parent, size_t index)
{
	char num[24], *p = num + sizeof(num) - 1;

	*p = '\0';
	*--p = ']';
	do
		*--p = (char)('0' + index % 10);
	while ((index /= 10));
	path_join(dst, cap, parent, "[", p, "");
}

int jerr(struct jctx *c, int code, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return muzzle_error_json(c->err, code, c->file, path, "%s", msg);
}

const char *jshow(const char *s, char *buf, size_t cap)
{
	size_t n = 0;

	for (; *s && n + 8 < cap; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			n += (size_t)snprintf(buf + n, cap - n, "\\x%02x", ch);
		else if (ch == '"' || ch == '\\')
			n += (size_t)snprintf(buf + n, cap - n, "\\%c", ch);
		else
			buf[n++] = (char)ch;
	}
	if (*s)
		n += (size_t)snprintf(buf + n, cap - n, "...");
	buf[n < cap ? n : cap - 1] = 0;
	return buf;
}

const char *json_type_label(struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double: return "a number with a fraction or exponent";
	case json_type_int: return "an integer";
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	case json_type_string: return "a string";
	}
	return "an unknown value";
}

static const char *want_label(enum json_type t)
{
	switch (t) {
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	case json_type_string: return "a string";
	case json_type_int: return "an unsigned integer";
	case json_type_boolean: return "a boolean";
	default: return "a value";
	}
}

int jexpect(struct jctx *c, struct json_object *o, enum json_type want, const char *path)
{
	if (json_object_is_type(o, want))
		return 0;
	if (want == json_type_int && json_object_is_type(o, json_type_double))
		return jerr(c, -EINVAL, path,
			    "expected an integer between 0 and 18446744073709551615, got %s",
			    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	return jerr(c, -EINVAL, path, "expected %s, got %s", want_label(want),
		    json_type_label(o));
}

int jcheck_keys(struct jctx *c, struct json_object *o, const char *path,
		const char *const *known)
{
	json_object_object_foreach(o, key, val) {
		size_t i;
		char p[JSON_PATH_MAX], sb[JSHOW_MAX];

		(void)val;
		for (i = 0; known[i]; i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (!known[i]) {
			jpath_key(p, sizeof(p), path, key);
			return jerr(c, -EINVAL, p, "unknown field \"%s\"", jshow(key, sb, sizeof(sb)));
		}
	}
	return 0;
}

int jfield(struct jctx *c, struct json_object *o, const char *path, const char *key,
	   enum json_type want, int required, struct json_object **out, char *child,
	   size_t child_cap)
{
	struct json_object *v = NULL;
	char p[JSON_PATH_MAX];

	*out = NULL;
	jpath_key(p, sizeof(p), path, key);
	if (child)
		snprintf(child, child_cap, "%s", p);
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
		if (required)
			return jerr(c, -EINVAL, p, "required field missing: expected %s",
				    want_label(want));
		return 0;
	}
	if (jexpect(c, v, want, p))
		return -EINVAL;
	*out = v;
	return 0;
}

int jget_u64(struct jctx *c, struct json_object *o, const char *path, uint64_t *v)
{
	if (jexpect(c, o, json_type_int, path))
		return -EINVAL;
	/* json-c keeps values above INT64_MAX as unsigned; negative ones are signed */
	if (json_object_get_int64(o) < 0)
		return jerr(c, -EINVAL, path,
			    "expected an integer between 0 and 18446744073709551615, got %s",
			    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	*v = json_object_get_uint64(o);
	return 0;
}

int jget_str(struct jctx *c, struct json_object *o, const char *path, const char **s)
{
	if (jexpect(c, o, json_type_string, path))
		return -EINVAL;
	*s = json_object_get_string(o);
	if ((size_t)json_object_get_string_len(o) != strlen(*s))
		return jerr(c, -EINVAL, path, "string contains a NUL character (\\u0000)");
	return 0;
}

/* --- vocabulary ---------------------------------------------------------------- */

static const struct { const char *name; uint32_t kind; } action_names[] = {
	{ "SCMP_ACT_KILL", POLICY_ACT_KILL_THREAD },	/* first: the spelling we write */
	{ "SCMP_ACT_KILL_THREAD", POLICY_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", POLICY_ACT_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", POLICY_ACT_TRAP },
	{ "SCMP_ACT_ERRNO", POLICY_ACT_ERRNO(0) },
	{ "SCMP_ACT_NOTIFY", POLICY_ACT_USER_NOTIF },
	{ "SCMP_ACT_TRACE", POLICY_ACT_TRACE(0) },
	{ "SCMP_ACT_LOG", POLICY_ACT_LOG },
	{ "SCMP_ACT_ALLOW", POLICY_ACT_ALLOW },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int json_action_kind(const char *name, uint32_t *kind)
{
	for (size_t i = 0; i < NELEM(action_names); i++)
		if (strcmp(name, action_names[i].name) == 0) {
			*kind = action_names[i].kind;
			return 0;
		}
	return -EINVAL;
}

const char *json_action_name(uint32_t action)
{
	for (size_t i = 0; i < NELEM(action_names); i++)
		if (action_names[i].kind == POLICY_ACT_KIND(action))
			return action_names[i].name;
	return NULL;
}

int json_action_takes_ret(uint32_t kind)
{
	return POLICY_ACT_KIND(kind) == POLICY_ACT_ERRNO(0) ||
	       POLICY_ACT_KIND(kind) == POLICY_ACT_TRACE(0);
}

int json_make_action(struct jctx *c, const char *path, uint32_t kind, int has_ret,
		     uint64_t ret, uint32_t *action)
{
	if (!json_action_takes_ret(kind)) {
		if (has_ret)
			return jerr(c, -EINVAL, path,
				    "an errno return is only meaningful with SCMP_ACT_ERRNO or "
				    "SCMP_ACT_TRACE, not %s", json_action_name(kind));
		*action = kind;
		return 0;
	}
	if (!has_ret)
		ret = EPERM;	/* what runc and crun use when errnoRet is absent */
	if (ret > 0xffff)
		return jerr(c, -ERANGE, path,
			    "errno return %llu does not fit in 16 bits (runtimes would "
			    "truncate it to %llu)", (unsigned long long)ret,
			    (unsigned long long)(ret & 0xffff));
	if (POLICY_ACT_KIND(kind) == POLICY_ACT_ERRNO(0) && ret > 4095)
		return jerr(c, -ERANGE, path,
			    "errno return %llu is above 4095: the kernel would report "
			    "success instead of an error", (unsigned long long)ret);
	*action = kind | (uint32_t)ret;
	return 0;
}

static const struct { const char *name; enum policy_op op; } op_names[] = {
	{ "SCMP_CMP_NE", POLICY_OP_NE },
	{ "SCMP_CMP_LT", POLICY_OP_LT },
	{ "SCMP_CMP_LE", POLICY_OP_LE },
	{ "SCMP_CMP_EQ", POLICY_OP_EQ },
	{ "SCMP_CMP_GE", POLICY_OP_GE },
	{ "SCMP_CMP_GT", POLICY_OP_GT },
	{ "SCMP_CMP_MASKED_EQ", POLICY_OP_MASKED_EQ },
};

int json_op_parse(const char *name, enum policy_op *op)
{
	for (size_t i = 0; i < NELEM(op_names); i++)
		if (strcmp(name, op_names[i].name) == 0) {
			*op = op_names[i].op;
			return 0;
		}
	return -EINVAL;
}

const char *json_op_name(enum policy_op op)
{
	for (size_t i = 0; i < NELEM(op_names); i++)
		if (op_names[i].op == op)
			return op_names[i].name;
	return NULL;
}

/* Indexed by enum arch_id: libseccomp's SCMP_ARCH_* spelling and GOARCH. */
static const struct { const char *scmp; const char *goarch; } arch_names[ARCH_COUNT] = {
	[ARCH_X86] = { "SCMP_ARCH_X86", "386" },
	[ARCH_X86_64] = { "SCMP_ARCH_X86_64", "amd64" },
	[ARCH_X32] = { "SCMP_ARCH_X32", NULL },
	[ARCH_ARM] = { "SCMP_ARCH_ARM", "arm" },
	[ARCH_AARCH64] = { "SCMP_ARCH_AARCH64", "arm64" },
	[ARCH_LOONGARCH64] = { "SCMP_ARCH_LOONGARCH64", "loong64" },
	[ARCH_M68K] = { "SCMP_ARCH_M68K", NULL },
	[ARCH_MIPS] = { "SCMP_ARCH_MIPS", "mips" },
	[ARCH_MIPSEL] = { "SCMP_ARCH_MIPSEL", "mipsle" },
	[ARCH_MIPS64] = { "SCMP_ARCH_MIPS64", "mips64" },
	[ARCH_MIPSEL64] = { "SCMP_ARCH_MIPSEL64", "mips64le" },
	[ARCH_MIPS64N32] = { "SCMP_ARCH_MIPS64N32", NULL },
	[ARCH_MIPSEL64N32] = { "SCMP_ARCH_MIPSEL64N32", NULL },
	[ARCH_PARISC] = { "SCMP_ARCH_PARISC", NULL },
	[ARCH_PARISC64] = { "SCMP_ARCH_PARISC64", NULL },
	[ARCH_PPC] = { "SCMP_ARCH_PPC", NULL },
	[ARCH_PPC64] = { "SCMP_ARCH_PPC64", "ppc64" },
	[ARCH_PPC64LE] = { "SCMP_ARCH_PPC64LE", "ppc64le" },
	[ARCH_RISCV64] = { "SCMP_ARCH_RISCV64", "riscv64" },
	[ARCH_S390] = { "SCMP_ARCH_S390", NULL },
	[ARCH_S390X] = { "SCMP_ARCH_S390X", "s390x" },
	[ARCH_SH] = { "SCMP_ARCH_SH", NULL },
	[ARCH_SHEB] = { "SCMP_ARCH_SHEB", NULL },
};

int json_arch_parse(const char *name, enum arch_id *id)
{
	if (strcmp(name, "SCMP_ARCH_NATIVE") == 0) {
		*id = arch_native()->id;
		return 0;
	}
	for (int i = 0; i < ARCH_COUNT; i++)
		if (arch_names[i].scmp && strcmp(name, arch_names[i].scmp) == 0) {
			*id = (enum arch_id)i;
			return 0;
		}
	return -EINVAL;
}

const char *json_arch_name(enum arch_id id)
{
	return (unsigned)id < ARCH_COUNT ? arch_names[id].scmp : NULL;
}

const char *json_goarch_name(enum arch_id id)
{
	return (unsigned)id < ARCH_COUNT ? arch_names[id].goarch : NULL;
}

int json_arch_word_known(const char *name)
{
	/* GOARCH values of Linux ports plus the libseccomp spellings Docker's
	 * profile uses ("x86", "x32", "s390") */
	static const char *const extra[] = { "x86", "x32", "s390", "x86_64", "aarch64",
					     "mips64n32", "mipsel64n32", "mipsel", "mipsel64",
					     "parisc", "parisc64", "ppc", "riscv64", "m68k",
					     "sh", "sheb", "loongarch64", "arm", NULL };

	for (int i = 0; i < ARCH_COUNT; i++)
		if (arch_names[i].goarch && strcmp(name, arch_names[i].goarch) == 0)
			return 1;
	for (size_t i = 0; extra[i]; i++)
		if (strcmp(name, extra[i]) == 0)
			return 1;
	return 0;
}

static const struct { const char *name; uint32_t flag; } flag_names[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", POLICY_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", POLICY_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", POLICY_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_NEW_LISTENER", POLICY_FLAG_NEW_LISTENER },
	{ "SECCOMP_FILTER_FLAG_TSYNC_ESRCH", POLICY_FLAG_TSYNC_ESRCH },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", POLICY_FLAG_WAIT_KILLABLE_RECV },
};

int json_flag_parse(const char *name, uint32_t *flag)
{
	for (size_t i = 0; i < NELEM(flag_names); i++)
		if (strcmp(name, flag_names[i].name) == 0) {
			*flag = flag_names[i].flag;
			return 0;
		}
	return -EINVAL;
}

const char *json_flag_name(uint32_t flag)
{
	for (size_t i = 0; i < NELEM(flag_names); i++)
		if (flag_names[i].flag == flag)
			return flag_names[i].name;
	return NULL;
}

#define E(x) { #x, x }
static const struct { const char *name; uint32_t num; } errno_names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC),
	E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(ENOTBLK),
	E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL),
	E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE),
	E(EROFS), E(EMLINK), E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG),
	E(ENOLCK), E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(EWOULDBLOCK), E(ENOMSG),
	E(EIDRM), E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR), E(ENOLINK), E(EPROTO),
	E(EBADMSG), E(EOVERFLOW), E(EILSEQ), E(EUSERS), E(ENOTSOCK), E(EDESTADDRREQ),
	E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT),
	E(ESOCKTNOSUPPORT), E(EOPNOTSUPP), E(ENOTSUP), E(EPFNOSUPPORT),
	E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH),
	E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN),
	E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT), E(ECONNREFUSED),
	E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS), E(ESTALE),
	E(EDQUOT), E(ECANCELED), E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL),
	E(EHWPOISON), E(ENOMEDIUM), E(EMEDIUMTYPE), E(ENOKEY), E(EKEYEXPIRED),
	E(EKEYREVOKED), E(EKEYREJECTED), E(ECHRNG), E(EL2NSYNC), E(EL3HLT), E(EL3RST),
	E(ELNRNG), E(EUNATCH), E(ENOCSI), E(EL2HLT), E(EBADE), E(EBADR), E(EXFULL),
	E(ENOANO), E(EBADRQC), E(EBADSLT), E(EBFONT), E(ENONET), E(ENOPKG),
	E(EREMOTE), E(EADV), E(ESRMNT), E(ECOMM), E(EMULTIHOP), E(EDOTDOT),
	E(ENOTUNIQ), E(EBADFD), E(EREMCHG), E(ELIBACC), E(ELIBBAD), E(ELIBSCN),
	E(ELIBMAX), E(ELIBEXEC), E(ERESTART), E(ESTRPIPE), E(EUCLEAN), E(ENOTNAM),
	E(ENAVAIL), E(EISNAM), E(EREMOTEIO),
};
#undef E

int json_errno_parse(const char *name, uint32_t *num)
{
	for (size_t i = 0; i < NELEM(errno_names); i++)
		if (strcmp(name, errno_names[i].name) == 0) {
			*num = errno_names[i].num;
			return 0;
		}
	return -EINVAL;
}

/* Capability numbers from linux/capability.h, in order. */
static const char *const cap_names[JSON_CAP_COUNT] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
	"SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
	"NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE",
	"SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT",
	"SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
	"AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
	"WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
	"CHECKPOINT_RESTORE",
};

int json_cap_index(const char *name)
{
	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (int i = 0; i < JSON_CAP_COUNT; i++)
		if (strcasecmp(name, cap_names[i]) == 0)
			return i;
	return -1;
}

/* --- reading rules ---------------------------------------------------------------- */

void json_unknown_free(struct json_unknown *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->names[i]);
	free(u->names);
	memset(u, 0, sizeof(*u));
}

static int unknown_add(struct json_unknown *u, const char *name)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->names[i], name) == 0)
			return 0;
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 8;
		char **n = realloc(u->names, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		u->names = n;
		u->cap = cap;
	}
	u->names[u->n] = strdup(name);
	if (!u->names[u->n])
		return -ENOMEM;
	u->n++;
	return 0;
}

void json_unknown_report(struct jctx *c, const struct json_unknown *u)
{
	if (!u->n)
		return;
	fprintf(c->warn, "%s: warning: unknown syscall name%s skipped (as runc and crun do):",
		c->file ? c->file : "(input)", u->n > 1 ? "s" : "");
	for (size_t i = 0; i < u->n; i++) {
		char sb[JSHOW_MAX];

		fprintf(c->warn, "%s %s", i ? "," : "", jshow(u->names[i], sb, sizeof(sb)));
	}
	fputc('\n', c->warn);
}

#define JSON_MAX_ARGS 64	/* far above any real rule; keeps expansion bounded */

static int parse_arg(struct jctx *c, struct json_object *a, const char *path,
		     struct policy_cond *cond)
{
	static const char *const keys[] = { "index", "value", "valueTwo", "op", NULL };
	struct json_object *v;
	char p[JSON_PATH_MAX];
	uint64_t index, value = 0, value2 = 0;
	const char *opname;
	char sb[JSHOW_MAX];
	enum policy_op op;

	if (jexpect(c, a, json_type_object, path) || jcheck_keys(c, a, path, keys))
		return -EINVAL;
	if (jfield(c, a, path, "index", json_type_int, 1, &v, p, sizeof(p)) ||
	    jget_u64(c, v, p, &index))
		return -EINVAL;
	if (index > 5)
		return jerr(c, -EINVAL, p, "argument index %llu out of range: expected 0..5",
			    (unsigned long long)index);
	if (jfield(c, a, path, "value", json_type_int, 0, &v, p, sizeof(p)) ||
	    (v && jget_u64(c, v, p, &value)))
		return -EINVAL;
	if (jfield(c, a, path, "valueTwo", json_type_int, 0, &v, p, sizeof(p)) ||
	    (v && jget_u64(c, v, p, &value2)))
		return -EINVAL;
	if (jfield(c, a, path, "op", json_type_string, 1, &v, p, sizeof(p)) ||
	    jget_str(c, v, p, &opname))
		return -EINVAL;
	if (json_op_parse(opname, &op))
		return jerr(c, -EINVAL, p, "unknown operator \"%s\": expected SCMP_CMP_NE, "
			    "SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT or "
			    "SCMP_CMP_MASKED_EQ", jshow(opname, sb, sizeof(sb)));
	cond->arg = (uint8_t)index;
	cond->op = (uint8_t)op;
	if (op == POLICY_OP_MASKED_EQ) {
		/* libseccomp's order: value is the mask, valueTwo the expected bits */
		cond->mask = value;
		cond->datum = value2;
	} else {
		if (value2) {
			jpath_key(p, sizeof(p), path, "valueTwo");
			return jerr(c, -EINVAL, p, "valueTwo is only used by SCMP_CMP_MASKED_EQ; "
				    "runtimes ignore it with %s", opname);
		}
		cond->mask = ~(uint64_t)0;
		cond->datum = value;
	}
	return 0;
}

static int parse_args(struct jctx *c, const struct json_rule_src *src,
		      struct policy_cond *conds, size_t *n, int *repeated)
{
	size_t len = src->args ? json_object_array_length(src->args) : 0;
	unsigned seen = 0;

	*n = 0;
	*repeated = 0;
	if (len > JSON_MAX_ARGS)
		return jerr(c, -E2BIG, src->args_path, "%zu argument conditions: at most %d "
			    "are accepted", len, JSON_MAX_ARGS);
	for (size_t i = 0; i < len; i++) {
		char p[JSON_PATH_MAX];

		jpath_index(p, sizeof(p), src->args_path, i);
		if (parse_arg(c, json_object_array_get_idx(src->args, i), p, &conds[i]))
			return -EINVAL;
		if (seen & (1u << conds[i].arg))
			*repeated = 1;
		seen |= 1u << conds[i].arg;
	}
	*n = len;
	return 0;
}

static int add_one(struct jctx *c, struct policy *p, struct policy_rule *r, const char *path)
{
	struct muzzle_error e;
	int rc = policy_add_rule(p, r, &e);

	if (rc)
		return jerr(c, rc, path, "%s", e.msg);
	return 0;
}

int json_add_rules(struct jctx *c, struct policy *p, const struct json_rule_src *src,
		   struct json_unknown *u)
{
	struct policy_cond conds[JSON_MAX_ARGS];
	struct policy_rule r;
	size_t n;
	int repeated, rc;

	/* args are checked even when the entry is then skipped */
	rc = parse_args(c, src, conds, &n, &repeated);
	if (rc)
		return rc;
	if (!repeated && n > POLICY_MAX_COND)
		return jerr(c, -E2BIG, src->args_path, "too many conditions (max %d)",
			    POLICY_MAX_COND);
	if (src->validate_only || src->action == p->default_action)
		return 0;	/* runc and crun skip it; libseccomp would refuse it */
	for (size_t i = 0; i < src->nnames; i++) {
		int id = arch_syscall_id(src->names[i]);

		if (id < 0) {
			if (unknown_add(u, src->names[i]))
				return jerr(c, -ENOMEM, src->path, "out of memory");
			continue;
		}
		policy_rule_init(&r, src->action, id);
		r.abis = src->abis;
		r.comment = src->comment;
		if (!repeated) {
			r.ncond = (uint8_t)n;
			memcpy(r.cond, conds, n * sizeof(conds[0]));
			rc = add_one(c, p, &r, src->path);
		}
		/* a repeated index: each condition becomes its own (ORed) rule */
		for (size_t k = 0; repeated && k < n && !rc; k++) {
			r.ncond = 1;
			r.cond[0] = conds[k];
			rc = add_one(c, p, &r, src->path);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* --- reading the shared fields ------------------------------------------------ */

static int read_errno_name(struct jctx *c, struct json_object *o, const char *path,
			   const char *key, int *has, uint64_t *ret)
{
	struct json_object *v;
	char p[JSON_PATH_MAX], sb[JSHOW_MAX];
	const char *name;
	uint32_t num;

	if (jfield(c, o, path, key, json_type_string, 0, &v, p, sizeof(p)))
		return -EINVAL;
	if (!v)
		return 0;
	if (jget_str(c, v, p, &name))
		return -EINVAL;
	if (json_errno_parse(name, &num))
		return jerr(c, -EINVAL, p, "unknown errno name \"%s\": expected a name such as "
			    "\"EPERM\" or \"ENOSYS\"", jshow(name, sb, sizeof(sb)));
	if (*has && *ret != num)
		return jerr(c, -EINVAL, p, "conflicts with the numeric errno return %llu",
			    (unsigned long long)*ret);
	*has = 1;
	*ret = num;
	return 0;
}

int json_read_action(struct jctx *c, struct json_object *o, const char *path,
		     const char *act_key, const char *ret_key, const char *name_key,
		     uint32_t *action)
{
	struct json_object *v;
	char p[JSON_PATH_MAX], rp[JSON_PATH_MAX], sb[JSHOW_MAX];
	const char *name;
	uint64_t ret = 0;
	int has = 0;
	uint32_t kind;

	if (jfield(c, o, path, act_key, json_type_string, 1, &v, p, sizeof(p)) ||
	    jget_str(c, v, p, &name))
		return -EINVAL;
	if (json_action_kind(name, &kind))
		return jerr(c, -EINVAL, p, "unknown action \"%s\": expected one of "
			    "SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, "
			    "SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, "
			    "SCMP_ACT_LOG, SCMP_ACT_NOTIFY", jshow(name, sb, sizeof(sb)));
	if (jfield(c, o, path, ret_key, json_type_int, 0, &v, rp, sizeof(rp)) ||
	    (v && jget_u64(c, v, rp, &ret)))
		return -EINVAL;
	has = v != NULL;
	if (name_key) {
		if (read_errno_name(c, o, path, name_key, &has, &ret))
			return -EINVAL;
		if (!v && has)
			jpath_key(rp, sizeof(rp), path, name_key);
	}
	return json_make_action(c, rp, kind, has, ret, action);
}

int json_read_arches(struct jctx *c, struct json_object *arr, const char *path,
		     uint32_t *mask)
{
	size_t len = json_object_array_length(arr);

	for (size_t i = 0; i < len; i++) {
		char p[JSON_PATH_MAX], sb[JSHOW_MAX];
		const char *name;
		enum arch_id id;

		jpath_index(p, sizeof(p), path, i);
		if (jget_str(c, json_object_array_get_idx(arr, i), p, &name))
			return -EINVAL;
		if (json_arch_parse(name, &id))
			return jerr(c, -EINVAL, p, "unknown architecture \"%s\": expected an "
				    "SCMP_ARCH_* name such as SCMP_ARCH_X86_64",
				    jshow(name, sb, sizeof(sb)));
		*mask |= ARCH_MASK(id);
	}
	return 0;
}

static int read_flags(struct jctx *c, struct json_object *arr, const char *path,
		      uint32_t *flags)
{
	size_t len = json_object_array_length(arr);

	for (size_t i = 0; i < len; i++) {
		char p[JSON_PATH_MAX], sb[JSHOW_MAX];
		const char *name;
		uint32_t f;

		jpath_index(p, sizeof(p), path, i);
		if (jget_str(c, json_object_array_get_idx(arr, i), p, &name))
			return -EINVAL;
		if (json_flag_parse(name, &f))
			return jerr(c, -EINVAL, p, "unknown flag \"%s\": expected a "
				    "SECCOMP_FILTER_FLAG_* name", jshow(name, sb, sizeof(sb)));
		*flags |= f;
	}
	return 0;
}

static int read_string_into(struct jctx *c, struct json_object *o, const char *path,
			    const char *key, char **dst)
{
	struct json_object *v;
	char p[JSON_PATH_MAX];
	const char *s;

	if (jfield(c, o, path, key, json_type_string, 0, &v, p, sizeof(p)))
		return -EINVAL;
	if (!v)
		return 0;
	if (jget_str(c, v, p, &s))
		return -EINVAL;
	free(*dst);
	*dst = strdup(s);
	return *dst ? 0 : jerr(c, -ENOMEM, p, "out of memory");
}

int json_read_extras(struct jctx *c, struct json_object *o, const char *path,
		     struct policy *p)
{
	struct json_object *v;
	char fp[JSON_PATH_MAX];

	if (jfield(c, o, path, "flags", json_type_array, 0, &v, fp, sizeof(fp)) ||
	    (v && read_flags(c, v, fp, &p->flags)))
		return -EINVAL;
	if (read_string_into(c, o, path, "listenerPath", &p->listener_path) ||
	    read_string_into(c, o, path, "listenerMetadata", &p->listener_metadata))
		return -EINVAL;
	return 0;
}

int json_read_names(struct jctx *c, struct json_object *arr, const char *path,
		    const char ***names, size_t *n)
{
	size_t len = json_object_array_length(arr);

	*names = NULL;
	*n = 0;
	if (len == 0)
		return jerr(c, -EINVAL, path, "expected at least one syscall name");
	*names = calloc(len, sizeof(**names));
	if (!*names)
		return jerr(c, -ENOMEM, path, "out of memory");
	for (size_t i = 0; i < len; i++) {
		char p[JSON_PATH_MAX];

		jpath_index(p, sizeof(p), path, i);
		if (jget_str(c, json_object_array_get_idx(arr, i), p, &(*names)[i])) {
			free(*names);
			*names = NULL;
			return -EINVAL;
		}
		if (!(*names)[i][0]) {
			free(*names);
			*names = NULL;
			return jerr(c, -EINVAL, p, "empty syscall name");
		}
	}
	*n = len;
	return 0;
}

/* --- writing ------------------------------------------------------------------------ */

struct wctx {
	const struct policy *p;
	const struct json_write_opts *wo;
	struct muzzle_error *err;
};

__attribute__((format(printf, 3, 4)))
static int unsupported(struct wctx *w, const struct policy_rule *r, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!r)
		return muzzle_error_set(w->err, -ENOTSUP, NULL, 0, 0, "%s cannot express %s",
					w->wo->format_label, msg);
	return muzzle_error_set(w->err, -ENOTSUP, r->loc.file, r->loc.line, r->loc.col,
				"%s cannot express rule %zu (%s): %s", w->wo->format_label,
				(size_t)(r - w->p->rules),
				r->sys >= 0 ? arch_syscall_name(r->sys) : "raw number", msg);
}

static int json_put(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return -ENOMEM;
	return json_object_object_add(o, key, v) ? -ENOMEM : 0;
}

static int array_put(struct json_object *a, struct json_object *v)
{
	if (!v)
		return -ENOMEM;
	return json_object_array_add(a, v) ? -ENOMEM : 0;
}

/* The K8s CRD enumerates the architectures it accepts. */
static int k8s_arch_ok(enum arch_id id)
{
	return id != ARCH_LOONGARCH64 && id != ARCH_M68K && id != ARCH_SH && id != ARCH_SHEB;
}

static int put_action(struct wctx *w, struct json_object *o, const char *akey,
		      const char *rkey, uint32_t action, const struct policy_rule *r)
{
	int rc = json_put(o, akey, json_object_new_string(json_action_name(action)));

	if (rc || !json_action_takes_ret(action))
		return rc;
	if (w->wo->k8s && POLICY_ACT_DATA(action) == 0)
		return unsupported(w, r, "an errno return of 0 (the SeccompProfile CRD drops "
				   "errnoRet 0 and runtimes then return EPERM)");
	return json_put(o, rkey, json_object_new_int64(POLICY_ACT_DATA(action)));
}

static int put_default(struct wctx *w, struct json_object *root)
{
	const struct policy *p = w->p;
	uint32_t def = p->default_action;

	if (p->badarch_action != POLICY_ACT_KILL_THREAD) {
		char b[32];

		return unsupported(w, NULL, "a bad-architecture action of %s: runtimes always "
				   "use libseccomp's SCMP_ACT_KILL",
				   policy_action_str(p->badarch_action, b, sizeof(b)));
	}
	if (!policy_action_valid(def) || !json_action_name(def))
		return muzzle_error_set(w->err, -EINVAL, NULL, 0, 0, "invalid default action");
	if (!w->wo->k8s)
		return put_action(w, root, "defaultAction", "defaultErrnoRet", def, NULL);
	if (POLICY_ACT_KIND(def) == POLICY_ACT_USER_NOTIF)
		return unsupported(w, NULL, "SCMP_ACT_NOTIFY as the default action");
	if (json_action_takes_ret(def) && POLICY_ACT_DATA(def) != EPERM)
		return unsupported(w, NULL, "a default errno return of %u: the SeccompProfile "
				   "CRD has no defaultErrnoRet, so runtimes use EPERM",
				   POLICY_ACT_DATA(def));
	return json_put(root, "defaultAction", json_object_new_string(json_action_name(def)));
}

static int put_arches(struct wctx *w, struct json_object *root)
{
	const struct policy *p = w->p;
	struct json_object *arr;
	int rc;

	if (!p->arches || (p->arches & ~ARCH_MASK_ALL))
		return muzzle_error_set(w->err, -EINVAL, NULL, 0, 0,
					"policy names no valid architecture");
	arr = json_object_new_array();
	if ((rc = json_put(root, "architectures", arr)))
		return rc;
	for (int i = 0; i < ARCH_COUNT; i++) {
		if (!(p->arches & ARCH_MASK(i)))
			continue;
		if (w->wo->k8s && !k8s_arch_ok((enum arch_id)i))
			return unsupported(w, NULL, "architecture %s (not in the CRD's list)",
					   json_arch_name((enum arch_id)i));
		if ((rc = array_put(arr, json_object_new_string(json_arch_name((enum arch_id)i)))))
			return rc;
	}
	return 0;
}

static int put_flags(struct wctx *w, struct json_object *root)
{
	const struct policy *p = w->p;
	struct json_object *arr;
	uint32_t flags = p->flags;
	int rc;

	/* runtimes ask for a listener themselves when a rule notifies */
	if (flags & POLICY_FLAG_NEW_LISTENER) {
		int notifies = 0;

		for (size_t i = 0; i < p->nrules; i++)
			notifies |= POLICY_ACT_KIND(p->rules[i].action) == POLICY_ACT_USER_NOTIF;
		if (!notifies)
			return unsupported(w, NULL, "SECCOMP_FILTER_FLAG_NEW_LISTENER without a "
					   "SCMP_ACT_NOTIFY rule");
		flags &= ~POLICY_FLAG_NEW_LISTENER;
	}
	if (flags & POLICY_FLAG_TSYNC_ESRCH)
		return unsupported(w, NULL, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH (not an OCI flag)");
	if (!flags)
		return 0;
	arr = json_object_new_array();
	if ((rc = json_put(root, "flags", arr)))
		return rc;
	for (int b = 0; b < 32; b++)
		if ((flags & (1u << b)) &&
		    (rc = array_put(arr, json_object_new_string(json_flag_name(1u << b)))))
			return rc;
	return 0;
}

static int put_header(struct wctx *w, struct json_object *root)
{
	const struct policy *p = w->p;
	int rc;

	if ((rc = put_default(w, root)) || (rc = put_arches(w, root)) ||
	    (rc = put_flags(w, root)))
		return rc;
	if (p->listener_path &&
	    (rc = json_put(root, "listenerPath", json_object_new_string(p->listener_path))))
		return rc;
	if (p->listener_metadata)
		return json_put(root, "listenerMetadata",
				json_object_new_string(p->listener_metadata));
	return 0;
}

static uint32_t eff_abis(const struct policy *p, const struct policy_rule *r)
{
	return r->abis ? (r->abis & p->arches) : p->arches;
}

static int same_sys(const struct policy *p, const struct policy_rule *a,
		    const struct policy_rule *b)
{
	return a->sys == b->sys && (eff_abis(p, a) & eff_abis(p, b));
}

/* A rule that can never decide: an unconditional rule for the same syscall
 * covering its ABIs comes first, or exists at all when the rule is
 * conditional (the first unconditional rule decides, policy.h). */
static int rule_dead(const struct policy *p, size_t idx)
{
	const struct policy_rule *r = &p->rules[idx];

	for (size_t j = 0; j < p->nrules; j++) {
		const struct policy_rule *q = &p->rules[j];

		if (j == idx || q->ncond || q->sys != r->sys || r->sys < 0 ||
		    (eff_abis(p, q) & eff_abis(p, r)) != eff_abis(p, r))
			continue;
		if (r->ncond || j < idx)
			return 1;
	}
	return 0;
}

/* Runtimes skip a rule whose action equals the default.  Leaving one out is
 * harmless unless a live rule of the same syscall with another action could
 * then decide instead; 1 = leave out, 0 = cannot be expressed. */
static int default_rule_droppable(const struct policy *p, size_t idx)
{
	const struct policy_rule *r = &p->rules[idx];

	for (size_t j = 0; j < p->nrules; j++)
		if (j != idx && same_sys(p, r, &p->rules[j]) &&
		    p->rules[j].action != p->default_action && !rule_dead(p, j))
			return 0;
	return 1;
}

/* 0: write it, 1: leave it out (no effect), <0: cannot be expressed. */
static int check_rule(struct wctx *w, size_t idx)
{
	const struct policy *p = w->p;
	const struct policy_rule *r = &p->rules[idx];
	unsigned seen = 0;

	if (r->sys < 0)
		return unsupported(w, r, "a rule on raw syscall number %u", r->nr);
	if (!eff_abis(p, r) || rule_dead(p, idx))
		return 1;	/* applies to no ABI of the policy, or never decides */
	if (eff_abis(p, r) != p->arches)
		return unsupported(w, r, "a rule limited to some of the policy's "
				   "architectures (rules apply to all of them)");
	if (!json_action_name(r->action) || !policy_action_valid(r->action))
		return unsupported(w, r, "an invalid action");
	for (unsigned i = 0; i < r->ncond; i++) {
		if (r->cond[i].op == POLICY_OP_MASKED_NE)
			return unsupported(w, r, "a masked not-equal condition on argument %u",
					   r->cond[i].arg);
		if (seen & (1u << r->cond[i].arg))
			return unsupported(w, r, "two conditions on argument %u in one rule "
					   "(runtimes would OR them)", r->cond[i].arg);
		seen |= 1u << r->cond[i].arg;
	}
	if (r->flags & POLICY_RULE_EXACT) {
		for (int a = 0; a < ARCH_COUNT; a++) {
			uint32_t call;

			if ((p->arches & ARCH_MASK(a)) &&
			    arch_mux_lookup((enum arch_id)a, r->sys, &call) != ARCH_MUX_NONE)
				return unsupported(w, r, "an exact rule on a call multiplexed "
						   "through socketcall/ipc on %s",
						   json_arch_name((enum arch_id)a));
		}
	}
	if (r->action == p->default_action) {
		if (default_rule_droppable(p, idx))
			return 1;
		return unsupported(w, r, "a rule whose action equals the default action while "
				   "other rules name the same syscall (runtimes skip such rules)");
	}
	return 0;
}

static int same_key(const struct json_write_opts *wo, const struct policy_rule *a,
		    const struct policy_rule *b)
{
	if (a->action != b->action || a->ncond != b->ncond)
		return 0;
	for (unsigned i = 0; i < a->ncond; i++)
		if (a->cond[i].arg != b->cond[i].arg || a->cond[i].op != b->cond[i].op ||
		    a->cond[i].datum != b->cond[i].datum ||
		    (a->cond[i].op == POLICY_OP_MASKED_EQ && a->cond[i].mask != b->cond[i].mask))
			return 0;
	if (wo->docker) {
		const char *x = a->comment ? a->comment : "", *y = b->comment ? b->comment : "";

		return strcmp(x, y) == 0;
	}
	return 1;
}

static int put_args(struct json_object *entry, const struct policy_rule *r)
{
	struct json_object *arr;
	int rc;

	if (!r->ncond)
		return 0;
	arr = json_object_new_array();
	if ((rc = json_put(entry, "args", arr)))
		return rc;
	for (unsigned i = 0; i < r->ncond; i++) {
		const struct policy_cond *cd = &r->cond[i];
		struct json_object *a = json_object_new_object();
		int masked = cd->op == POLICY_OP_MASKED_EQ;

		if ((rc = array_put(arr, a)) ||
		    (rc = json_put(a, "index", json_object_new_int64(cd->arg))) ||
		    (rc = json_put(a, "value", json_object_new_uint64(masked ? cd->mask
									  : cd->datum))) ||
		    (masked && (rc = json_put(a, "valueTwo", json_object_new_uint64(cd->datum)))) ||
		    (rc = json_put(a, "op", json_object_new_string(json_op_name(cd->op)))))
			return rc;
	}
	return 0;
}

struct group {
	const struct policy_rule *proto;
	struct json_object *names;
};

static int new_group(struct wctx *w, struct json_object *calls, const struct policy_rule *r,
		     struct group *g)
{
	struct json_object *e = json_object_new_object();
	int rc;

	g->proto = r;
	g->names = json_object_new_array();
	if ((rc = array_put(calls, e)))
		return rc;
	if ((rc = json_put(e, "names", g->names)) ||
	    (rc = put_action(w, e, "action", "errnoRet", r->action, r)) ||
	    (rc = put_args(e, r)))
		return rc;
	if (w->wo->docker && r->comment)
		return json_put(e, "comment", json_object_new_string(r->comment));
	return 0;
}

/* Rules with the same action and conditions share one entry; a rule joins an
 * earlier entry only if no later entry names its syscall, so the order among
 * the rules of one syscall (the first unconditional one wins) is kept. */
static int put_rules(struct wctx *w, struct json_object *root)
{
	const struct policy *p = w->p;
	size_t nsys = (size_t)arch_syscall_count(), ng = 0;
	struct json_object *calls = json_object_new_array();
	struct group *groups = calloc(p->nrules ? p->nrules : 1, sizeof(*groups));
	long *last = malloc((nsys ? nsys : 1) * sizeof(*last));
	int rc = json_put(root, "syscalls", calls);

	if (!rc && (!groups || !last))
		rc = muzzle_error_set(w->err, -ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < nsys && last; i++)
		last[i] = -1;
	for (size_t i = 0; !rc && i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		long g = -1;

		rc = check_rule(w, i);
		if (rc) {
			rc = rc > 0 ? 0 : rc;
			continue;
		}
		for (long k = (long)ng - 1; k >= 0 && k >= last[r->sys]; k--)
			if (same_key(w->wo, groups[k].proto, r)) {
				g = k;
				break;
			}
		if (g >= 0 && g == last[r->sys])
			continue;	/* the same rule again: no effect */
		if (g < 0) {
			g = (long)ng++;
			rc = new_group(w, calls, r, &groups[g]);
			if (rc)
				break;
		}
		rc = array_put(groups[g].names, json_object_new_string(arch_syscall_name(r->sys)));
		last[r->sys] = g;
	}
	free(groups);
	free(last);
	if (rc == -ENOMEM && w->err && !w->err->msg[0])
		muzzle_error_set(w->err, -ENOMEM, NULL, 0, 0, "out of memory");
	return rc;
}

int json_build_policy(const struct policy *p, const struct json_write_opts *wo,
		      struct json_object **out, struct muzzle_error *err)
{
	struct wctx w = { p, wo, err };
	struct json_object *root = json_object_new_object();
	int rc;

	*out = NULL;
	muzzle_error_clear(err);
	if (!root)
		return muzzle_error_set(err, -ENOMEM, NULL, 0, 0, "out of memory");
	rc = put_header(&w, root);
	if (!rc)
		rc = put_rules(&w, root);
	if (rc) {
		json_object_put(root);
		if (rc == -ENOMEM && err && !err->msg[0])
			muzzle_error_set(err, -ENOMEM, NULL, 0, 0, "out of memory");
		return rc;
	}
	*out = root;
	return 0;
}

int json_print(FILE *out, struct json_object *obj, struct muzzle_error *err)
{
	const char *s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_PRETTY_TAB |
							    JSON_C_TO_STRING_SPACED |
							    JSON_C_TO_STRING_NOSLASHESCAPE);

	if (!s)
		return muzzle_error_set(err, -ENOMEM, NULL, 0, 0, "out of memory");
	if (fputs(s, out) == EOF || fputc('\n', out) == EOF || fflush(out) == EOF)
		return muzzle_error_set(err, -EIO, NULL, 0, 0, "write error");
	return 0;
}
