/* systemd unit settings: SystemCallFilter=, SystemCallErrorNumber=,
 * SystemCallArchitectures= (systemd.exec(5)).
 *
 * Input is unit-file text: "[Section]" headers, comments (# or ;), blank
 * lines and "Key=Value" lines (a trailing backslash continues a line).  Keys
 * that do not start with "SystemCall" are ignored (they are other unit
 * settings); unknown SystemCall* keys are errors.
 *
 * SystemCallFilter= takes space-separated syscall names and @groups, each
 * optionally followed by ":errno".  The first assignment decides the mode:
 * an allow list, or with a leading '~' a deny list.  Later assignments
 * accumulate: in an allow list a '~' line removes entries, in a deny list a
 * plain line removes entries.  An empty assignment resets the filter.  An
 * allow list always includes @default (as systemd does).  ":errno" only
 * applies to deny-listed entries.
 *
 * Meaning (as systemd builds it): allow list -> listed syscalls ALLOW,
 * others KILL_PROCESS or ERRNO(SystemCallErrorNumber=); deny list -> listed
 * syscalls KILL_PROCESS, ERRNO(SystemCallErrorNumber=) or their own errno,
 * others ALLOW.  systemd adds rules with seccomp_rule_add_exact, so rules are
 * POLICY_RULE_EXACT.  Without SystemCallArchitectures= systemd filters its
 * local ABIs (x86_64: x86_64, x86, x32; aarch64: aarch64, arm) and lets
 * other ABIs through (bad-architecture action ALLOW); with it, only the
 * listed ABIs run and others are killed.  Errno names use the native
 * numbering (systemd resolves them when it is built).  Groups are the ones
 * of the systemd version in systemd_groups_version. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "consts.h"
#include "format.h"
#include "lexer.h"
#include "systemd_groups.h"

#define SD_MAX_GROUP_DEPTH 8

struct sd_ctx {
	const char *file;
	struct muzzle_error *err;
	uint32_t arches;
	int arches_given;
	int mode;		/* 0 unset, 1 allow list, 2 deny list */
	int errnum;		/* SystemCallErrorNumber=, -1 unset */
	signed char *in;	/* per syscall id */
	int *errno_of;		/* per syscall id, -1 = none */
	int *line_of, *col_of;
	int nsys;
	uint32_t dflt_arches;	/* ABIs when SystemCallArchitectures= is not given */
};

struct sd_pos {
	int line, col;
};

static int sd_error(struct sd_ctx *c, struct sd_pos at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int sd_error(struct sd_ctx *c, struct sd_pos at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	muzzle_error_setv(c->err, -EINVAL, c->file, at.line, at.col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const struct systemd_group *find_group(const char *name)
{
	for (size_t i = 0; i < systemd_groups_count; i++)
		if (strcmp(systemd_groups[i].name, name) == 0)
			return &systemd_groups[i];
	return NULL;
}

static int exists_somewhere(const struct sd_ctx *c, int id)
{
	for (int a = 0; a < ARCH_COUNT; a++)
		if ((c->arches & ARCH_MASK(a)) &&
		    arch_syscall_nr((enum arch_id)a, id) != ARCH_NR_NONE)
			return 1;
	return 0;
}

static void set_one(struct sd_ctx *c, int id, int add, int err, struct sd_pos at)
{
	c->in[id] = (signed char)add;
	c->errno_of[id] = add ? err : -1;
	c->line_of[id] = at.line;
	c->col_of[id] = at.col;
}

/* Group members unknown to muzzle's tables (other kernels' or libseccomp-less
 * names) are skipped, as systemd skips names libseccomp does not know. */
static int apply_group(struct sd_ctx *c, const struct systemd_group *g, int add, int err,
		       struct sd_pos at, int depth)
{
	const char *p = g->members;

	if (depth > SD_MAX_GROUP_DEPTH)
		return sd_error(c, at, "syscall groups nested too deeply");
	while (*p) {
		char name[64];
		size_t n = strcspn(p, " ");

		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		p += n + (p[n] == ' ');
		if (name[0] == '@') {
			const struct systemd_group *sub = find_group(name);
			int rc = sub ? apply_group(c, sub, add, err, at, depth + 1) : 0;

			if (rc)
				return rc;
		} else {
			int id = arch_syscall_id(name);

			if (id >= 0)
				set_one(c, id, add, err, at);
		}
	}
	return 0;
}

static int parse_errno(struct sd_ctx *c, const char *s, struct sd_pos at, int *out)
{
	char *end;
	long v;
	uint64_t u;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || *end || v < 0 || v > 4095)
			return sd_error(c, at, "invalid errno number '%s' (0..4095)", s);
		*out = (int)v;
		return 0;
	}
	if (s[0] != 'E' || consts_lookup(s, arch_native()->id, &u) || u > 4095)
		return sd_error(c, at, "unknown errno name '%s'", s);
	*out = (int)u;
	return 0;
}

/* one entry of SystemCallFilter=: name, @group, with optional :errno */
static int apply_entry(struct sd_ctx *c, char *word, int add, struct sd_pos at)
{
	char *colon = strchr(word, ':');
	int err = -1, rc;

	if (colon) {
		*colon = 0;
		if (!add || c->mode != 2)
			return sd_error(c, at, "an error number (\":%s\") only applies to entries "
					"of a deny list (a list starting with '~')", colon + 1);
		struct sd_pos eat = { at.line, at.col + (int)(colon + 1 - word) };

		rc = parse_errno(c, colon + 1, eat, &err);
		if (rc)
			return rc;
	}
	if (word[0] == '@') {
		const struct systemd_group *g = find_group(word);

		if (!g)
			return sd_error(c, at, "unknown syscall group '%s' (groups of %s)", word,
					systemd_groups_version);
		return apply_group(c, g, add, err, at, 0);
	}
	rc = arch_syscall_id(word);
	if (rc < 0)
		return sd_error(c, at, "unknown syscall '%s'", word);
	set_one(c, rc, add, err, at);
	return 0;
}

/* Call fn on each blank-separated word of v (NUL-terminated in place for
 * the call) with its position; stops at the first error. */
static int each_word(struct sd_ctx *c, char *v, struct sd_pos at,
		     int (*fn)(struct sd_ctx *, char *, struct sd_pos))
{
	while (*v) {
		size_t skip = strspn(v, " \t"), n;
		char save;
		int rc;

		v += skip;
		at.col += (int)skip;
		n = strcspn(v, " \t");
		if (!n)
			break;
		save = v[n];
		v[n] = 0;
		rc = fn(c, v, at);
		v[n] = save;
		if (rc)
			return rc;
		v += n;
		at.col += (int)n;
	}
	return 0;
}

static int add_entry(struct sd_ctx *c, char *word, struct sd_pos at)
{
	return apply_entry(c, word, 1, at);
}

static int remove_entry(struct sd_ctx *c, char *word, struct sd_pos at)
{
	return apply_entry(c, word, 0, at);
}

static int filter_value(struct sd_ctx *c, char *v, struct sd_pos at)
{
	int invert = 0, add;

	while (*v == ' ' || *v == '\t')
		v++, at.col++;
	if (!*v) {
		/* an empty assignment resets the filter */
		memset(c->in, 0, (size_t)c->nsys);
		c->mode = 0;
		return 0;
	}
	if (*v == '~') {
		invert = 1;
		v++, at.col++;
	}
	if (!c->mode) {
		c->mode = invert ? 2 : 1;
		if (c->mode == 1) {
			int rc = apply_group(c, find_group("@default"), 1, -1, at, 0);

			if (rc)
				return rc;
		}
	}
	add = c->mode == 1 ? !invert : invert;
	return each_word(c, v, at, add ? add_entry : remove_entry);
}

/* systemd's architecture names (ConditionArchitecture= spelling) */
static int sd_arch(const char *name, uint32_t *mask)
{
	static const struct { const char *sd; enum arch_id id; } names[] = {
		{ "x86", ARCH_X86 }, { "x86-64", ARCH_X86_64 }, { "x32", ARCH_X32 },
		{ "arm", ARCH_ARM }, { "arm64", ARCH_AARCH64 }, { "mips", ARCH_MIPS },
		{ "mips64", ARCH_MIPS64 }, { "mips64-n32", ARCH_MIPS64N32 },
		{ "mips-le", ARCH_MIPSEL }, { "mips64-le", ARCH_MIPSEL64 },
		{ "mips64-le-n32", ARCH_MIPSEL64N32 }, { "ppc", ARCH_PPC }, { "ppc64", ARCH_PPC64 },
		{ "ppc64-le", ARCH_PPC64LE }, { "s390", ARCH_S390 }, { "s390x", ARCH_S390X },
		{ "riscv64", ARCH_RISCV64 }, { "loongarch64", ARCH_LOONGARCH64 },
		{ "parisc", ARCH_PARISC }, { "parisc64", ARCH_PARISC64 },
	};

	if (strcmp(name, "native") == 0) {
		*mask |= ARCH_MASK(arch_native()->id);
		return 0;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].sd, name) == 0) {
			*mask |= ARCH_MASK(names[i].id);
			return 0;
		}
	return -1;
}

static int arch_word(struct sd_ctx *c, char *word, struct sd_pos at)
{
	if (!sd_arch(word, &c->arches))
		return 0;
	sd_error(c, at, "unknown architecture '%s' (native, x86, x86-64, x32, arm, arm64, ...)",
		 word);
	return -EINVAL;
}

static int arch_value(struct sd_ctx *c, char *v, struct sd_pos at, uint32_t dflt)
{
	if (!v[strspn(v, " \t")]) {
		/* an empty assignment resets the list */
		c->arches = dflt;
		c->arches_given = 0;
		return 0;
	}
	if (!c->arches_given)
		c->arches = 0;
	c->arches_given = 1;
	return each_word(c, v, at, arch_word);
}

static int key_value(struct sd_ctx *c, char *line, struct sd_pos at)
{
	char *eq = strchr(line, '=');
	char *key = line, *v;
	struct sd_pos vat = at;
	size_t klen;

	if (!eq)
		return sd_error(c, at, "expected Key=Value, a [Section] header or a comment");
	klen = (size_t)(eq - key);
	while (klen && (key[klen - 1] == ' ' || key[klen - 1] == '\t'))
		klen--;
	v = eq + 1;
	vat.col += (int)(v - line);
	if (klen == 16 && strncmp(key, "SystemCallFilter", klen) == 0)
		return filter_value(c, v, vat);
	if (klen == 21 && strncmp(key, "SystemCallErrorNumber", klen) == 0) {
		while (*v == ' ' || *v == '\t')
			v++, vat.col++;
		for (size_t n = strlen(v); n && (v[n - 1] == ' ' || v[n - 1] == '\t'); n--)
			v[n - 1] = 0;
		if (!*v) {
			c->errnum = -1;
			return 0;
		}
		return parse_errno(c, v, vat, &c->errnum);
	}
	if (klen == 23 && strncmp(key, "SystemCallArchitectures", klen) == 0)
		return arch_value(c, v, vat, c->dflt_arches);
	if (klen >= 10 && strncmp(key, "SystemCall", 10) == 0)
		return sd_error(c, at, "unsupported setting '%.*s' (muzzle reads "
				"SystemCallFilter=, SystemCallErrorNumber= and "
				"SystemCallArchitectures=)", (int)klen, key);
	return 0;
}

/* Split into logical lines (joining "\\\n"), with the position of each. */
static int parse_lines(struct sd_ctx *c, const char *buf, size_t len)
{
	char *line = malloc(len + 1);
	size_t i = 0;
	int lineno = 1, rc = 0;

	if (!line)
		return muzzle_error_set(c->err, -ENOMEM, c->file, 0, 0, "out of memory");
	while (i < len && !rc) {
		size_t n = 0;
		int start = lineno;

		for (; i < len && buf[i] != '\n'; i++) {
			if (buf[i] == 0) {
				rc = sd_error(c, (struct sd_pos){ lineno, (int)n + 1 },
					      "NUL byte in input");
				break;
			}
			if (buf[i] == '\\' && i + 1 < len && buf[i + 1] == '\n') {
				/* continuation: columns past it refer to the first line */
				line[n++] = ' ';
				i++;
				lineno++;
				continue;
			}
			line[n++] = buf[i];
		}
		i++;
		lineno++;
		line[n] = 0;
		if (rc)
			break;
		{
			char *p = line;
			int col = 1;

			while (*p == ' ' || *p == '\t')
				p++, col++;
			if (*p && *p != '#' && *p != ';' && *p != '[')
				rc = key_value(c, p, (struct sd_pos){ start, col });
			else if (*p == '[' && !strchr(p, ']'))
				rc = sd_error(c, (struct sd_pos){ start, col },
					      "unterminated section header");
		}
	}
	free(line);
	return rc;
}

static uint32_t local_arches(void)
{
	switch (arch_native()->id) {
	case ARCH_X86_64:
		return ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_X32);
	case ARCH_AARCH64:
		return ARCH_MASK(ARCH_AARCH64) | ARCH_MASK(ARCH_ARM);
	default:
		return ARCH_MASK(arch_native()->id);
	}
}

static int build(struct sd_ctx *c, struct policy *out)
{
	uint32_t deny = c->errnum >= 0 ? POLICY_ACT_ERRNO(c->errnum) : POLICY_ACT_KILL_PROCESS;

	out->arches = c->arches;
	out->badarch_action = c->arches_given ? POLICY_ACT_KILL_PROCESS : POLICY_ACT_ALLOW;
	out->default_action = c->mode == 1 ? deny : POLICY_ACT_ALLOW;
	if (!c->mode)
		return 0;
	for (int id = 0; id < c->nsys; id++) {
		struct policy_rule r;
		int rc;

		if (!c->in[id] || !exists_somewhere(c, id))
			continue;
		policy_rule_init(&r, POLICY_ACT_ALLOW, id);
		if (c->mode == 2)
			r.action = c->errno_of[id] >= 0 ? POLICY_ACT_ERRNO(c->errno_of[id]) : deny;
		r.flags = POLICY_RULE_EXACT;
		r.loc.file = c->file;
		r.loc.line = c->line_of[id];
		r.loc.col = c->col_of[id];
		rc = policy_add_rule(out, &r, c->err);
		if (rc)
			return rc;
	}
	return 0;
}

int systemd_read(const char *buf, size_t len, const char *name, const struct format_options *o,
		 struct policy *out, struct muzzle_error *err)
{
	struct sd_ctx c;
	int rc;

	memset(&c, 0, sizeof(c));
	policy_init(out, POLICY_ACT_ALLOW);
	if (len > LEX_MAX_FILE)
		return muzzle_error_set(err, -EFBIG, name, 0, 0, "input larger than %u MiB",
					LEX_MAX_FILE >> 20);
	c.file = name ? name : "<input>";
	c.err = err;
	c.errnum = -1;
	c.arches = o && o->arches ? o->arches : local_arches();
	c.dflt_arches = c.arches;
	c.nsys = arch_syscall_count();
	c.in = calloc((size_t)c.nsys, 1);
	c.errno_of = calloc((size_t)c.nsys, sizeof(int));
	c.line_of = calloc((size_t)c.nsys, sizeof(int));
	c.col_of = calloc((size_t)c.nsys, sizeof(int));
	if (!c.in || !c.errno_of || !c.line_of || !c.col_of)
		rc = muzzle_error_set(err, -ENOMEM, c.file, 0, 0, "out of memory");
	else
		rc = parse_lines(&c, buf, len);
	if (!rc)
		rc = build(&c, out);
	free(c.in);
	free(c.errno_of);
	free(c.line_of);
	free(c.col_of);
	if (rc) {
		policy_free(out);
		policy_init(out, POLICY_ACT_ALLOW);
	}
	return rc;
}
