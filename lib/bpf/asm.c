/* The assembler: reads what bpf_disasm prints, and a plain hand-written
 * style, back into a program.
 *
 *   line    := [label ":"]... [insn] [";" comment | "//" comment]
 *   label   := identifier | number   (a number is an index annotation)
 *   insn    := ld [k] | ld [nr] | ld [arch] | ld #k | ld M[k] | ld len
 *            | ldx #k | ldx M[k] | ldx len | st M[k] | stx M[k]
 *            | add|sub|mul|div|mod|and|or|xor|lsh|rsh (#k | x) | neg
 *            | tax | txa | ja T | jeq|jgt|jge|jset (#k | x), T [, T]
 *            | ret #k | ret a | ret ACTION | insn CODE, JT, JF, K
 *   T       := label | +N (relative offset) | L<index> when no such label
 *   ACTION  := ALLOW | KILL | KILL_PROCESS | KILL_THREAD | TRAP | LOG
 *            | USER_NOTIF | ERRNO(n) | TRACE(n) | TRAP(n)
 * A conditional jump without a false target falls through (+0). */
#include "bpf/bpf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct label {
	char name[64];
	size_t index;
};

struct fixup {
	size_t insn;
	int which;		/* 0: jt (or ja's k), 1: jf */
	char name[64];
	int line, col;
};

struct asm_state {
	const char *file;
	struct muzzle_error *err;
	struct bpf_prog prog;
	struct label *labels;
	size_t nlabels, cap_labels;
	struct fixup *fix;
	size_t nfix, cap_fix;
	/* the current line */
	const char *s;
	size_t len, pos;
	int line;
};

static int fail(struct asm_state *a, size_t pos, const char *msg, const char *arg)
{
	return muzzle_error_set(a->err, -EINVAL, a->file, a->line, (int)pos + 1, "%s%s%s",
				msg, arg ? ": " : "", arg ? arg : "");
}

static int at_end(struct asm_state *a)
{
	return a->pos >= a->len || a->s[a->pos] == ';' ||
	       (a->s[a->pos] == '/' && a->pos + 1 < a->len && a->s[a->pos + 1] == '/');
}

static void skip_ws(struct asm_state *a)
{
	while (a->pos < a->len && (a->s[a->pos] == ' ' || a->s[a->pos] == '\t' ||
				   a->s[a->pos] == '\r'))
		a->pos++;
}

static int is_ident_char(char c, int first)
{
	return isalpha((unsigned char)c) || c == '_' || c == '.' ||
	       (!first && isdigit((unsigned char)c));
}

/* Copies an identifier into buf; 0 if there is none here. */
static size_t ident(struct asm_state *a, char *buf, size_t n)
{
	size_t start = a->pos, l;

	if (a->pos >= a->len || !is_ident_char(a->s[a->pos], 1))
		return 0;
	while (a->pos < a->len && is_ident_char(a->s[a->pos], 0))
		a->pos++;
	l = a->pos - start;
	if (l >= n)
		l = n - 1;
	memcpy(buf, a->s + start, l);
	buf[l] = 0;
	return a->pos - start;
}

static int number(struct asm_state *a, uint32_t *v)
{
	char buf[40];
	size_t start = a->pos, l = 0;
	int neg = 0;
	unsigned long long x;
	char *end;

	if (a->pos < a->len && (a->s[a->pos] == '-' || a->s[a->pos] == '+')) {
		neg = a->s[a->pos] == '-';
		a->pos++;
	}
	while (a->pos + l < a->len && isalnum((unsigned char)a->s[a->pos + l]) &&
	       l < sizeof(buf) - 1)
		l++;
	memcpy(buf, a->s + a->pos, l);
	buf[l] = 0;
	if (!l || !isdigit((unsigned char)buf[0]))
		return fail(a, start, "expected a number", NULL);
	errno = 0;
	x = strtoull(buf, &end, 0);
	if (errno || *end || x > 0xffffffffull || (neg && x > 0x80000000ull))
		return fail(a, start, "bad or out-of-range number", buf);
	a->pos += l;
	*v = neg ? (uint32_t)(0u - (uint32_t)x) : (uint32_t)x;
	return 0;
}

static int expect(struct asm_state *a, char c)
{
	char what[24];

	skip_ws(a);
	if (a->pos < a->len && a->s[a->pos] == c) {
		a->pos++;
		skip_ws(a);
		return 0;
	}
	snprintf(what, sizeof(what), "expected '%c'", c);
	return fail(a, a->pos, what, NULL);
}

static int accept(struct asm_state *a, char c)
{
	skip_ws(a);
	if (a->pos < a->len && a->s[a->pos] == c) {
		a->pos++;
		skip_ws(a);
		return 1;
	}
	return 0;
}

static int emit(struct asm_state *a, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (a->prog.len >= BPF_MAX_INSNS)
		return fail(a, 0, "more than 4096 instructions", NULL);
	if (bpf_emit(&a->prog, code, jt, jf, k) < 0)
		return muzzle_error_set(a->err, -ENOMEM, a->file, a->line, 0, "out of memory");
	return 0;
}

/* "M[k]" */
static int scratch(struct asm_state *a, uint32_t *k)
{
	size_t at = a->pos;

	if (a->pos + 1 >= a->len || toupper((unsigned char)a->s[a->pos]) != 'M' ||
	    a->s[a->pos + 1] != '[')
		return fail(a, at, "expected M[index]", NULL);
	a->pos += 2;
	if (number(a, k) || expect(a, ']'))
		return -EINVAL;
	if (*k >= BPF_MEMWORDS)
		return fail(a, at, "scratch cell index out of range (0..15)", NULL);
	return 0;
}

/* "[k]", "[nr]" or "[arch]" */
static int abs_offset(struct asm_state *a, uint32_t *k)
{
	char name[16];
	size_t at;

	if (expect(a, '['))
		return -EINVAL;
	at = a->pos;
	if (ident(a, name, sizeof(name))) {
		if (strcasecmp(name, "nr") == 0)
			*k = 0;
		else if (strcasecmp(name, "arch") == 0)
			*k = 4;
		else
			return fail(a, at, "unknown seccomp_data field", name);
	} else if (number(a, k)) {
		return -EINVAL;
	}
	return expect(a, ']');
}

static int do_load(struct asm_state *a, int x)
{
	uint16_t cls = x ? BPF_LDX : BPF_LD;
	char name[8];
	size_t save;
	uint32_t k = 0;

	skip_ws(a);
	save = a->pos;
	if (accept(a, '#')) {
		save = a->pos;
		if (ident(a, name, sizeof(name)) && strcasecmp(name, "len") == 0)
			return emit(a, cls | BPF_W | BPF_LEN, 0, 0, 0);
		a->pos = save;
		if (number(a, &k))
			return -EINVAL;
		return emit(a, cls | BPF_IMM, 0, 0, k);
	}
	if (ident(a, name, sizeof(name)) && strcasecmp(name, "len") == 0)
		return emit(a, cls | BPF_W | BPF_LEN, 0, 0, 0);
	a->pos = save;
	if (a->pos < a->len && a->s[a->pos] == '[') {
		if (x)
			return fail(a, a->pos, "ldx cannot load from seccomp_data", NULL);
		if (abs_offset(a, &k))
			return -EINVAL;
		return emit(a, BPF_LD | BPF_W | BPF_ABS, 0, 0, k);
	}
	if (scratch(a, &k))
		return -EINVAL;
	return emit(a, cls | BPF_MEM, 0, 0, k);
}

static int do_store(struct asm_state *a, int x)
{
	uint32_t k = 0;

	skip_ws(a);
	if (scratch(a, &k))
		return -EINVAL;
	return emit(a, x ? BPF_STX : BPF_ST, 0, 0, k);
}

/* "#k" or "x": sets *src to BPF_K or BPF_X */
static int operand(struct asm_state *a, uint16_t *src, uint32_t *k)
{
	skip_ws(a);
	if (accept(a, '#')) {
		*src = BPF_K;
		return number(a, k);
	}
	if (a->pos < a->len && tolower((unsigned char)a->s[a->pos]) == 'x' &&
	    (a->pos + 1 >= a->len || !is_ident_char(a->s[a->pos + 1], 0))) {
		a->pos++;
		*src = BPF_X;
		*k = 0;
		return 0;
	}
	if (a->pos < a->len && (isdigit((unsigned char)a->s[a->pos]) || a->s[a->pos] == '-')) {
		*src = BPF_K;
		return number(a, k);
	}
	return fail(a, a->pos, "expected #constant or x", NULL);
}

/* Records a jump target to resolve once every label is known. */
static int target(struct asm_state *a, int which)
{
	struct fixup *f, *n;
	size_t start;

	skip_ws(a);
	start = a->pos;
	if (a->nfix == a->cap_fix) {
		size_t cap = a->cap_fix ? a->cap_fix * 2 : 64;

		n = realloc(a->fix, cap * sizeof(*n));
		if (!n)
			return muzzle_error_set(a->err, -ENOMEM, a->file, a->line, 0,
						"out of memory");
		a->fix = n;
		a->cap_fix = cap;
	}
	f = &a->fix[a->nfix];
	memset(f, 0, sizeof(*f));
	f->insn = a->prog.len;
	f->which = which;
	f->line = a->line;
	f->col = (int)start + 1;
	if (a->pos < a->len && (a->s[a->pos] == '+' || isdigit((unsigned char)a->s[a->pos]))) {
		if (a->s[a->pos] == '+')
			a->pos++;
		while (a->pos < a->len && isalnum((unsigned char)a->s[a->pos]))
			a->pos++;
		f->name[0] = '+';
		snprintf(f->name + 1, sizeof(f->name) - 1, "%.*s",
			 (int)(a->pos - start - (a->s[start] == '+')),
			 a->s + start + (a->s[start] == '+'));
	} else if (!ident(a, f->name, sizeof(f->name))) {
		return fail(a, start, "expected a jump target (label or +offset)", NULL);
	}
	a->nfix++;
	return 0;
}

static int do_jump(struct asm_state *a, uint16_t op)
{
	uint16_t src;
	uint32_t k = 0;

	if (op == BPF_JA) {
		if (target(a, 0))
			return -EINVAL;
		return emit(a, BPF_JMP | BPF_JA, 0, 0, 0);
	}
	if (operand(a, &src, &k) || expect(a, ',') || target(a, 0))
		return -EINVAL;
	if (accept(a, ',')) {
		if (target(a, 1))
			return -EINVAL;
	}
	return emit(a, BPF_JMP | op | src, 0, 0, k);
}

static int action(struct asm_state *a, uint32_t *k)
{
	static const struct { const char *name; uint32_t act; int data; } acts[] = {
		{ "ALLOW", SECCOMP_RET_ALLOW, 0 }, { "KILL", SECCOMP_RET_KILL_THREAD, 0 },
		{ "KILL_PROCESS", SECCOMP_RET_KILL_PROCESS, 0 },
		{ "KILL_THREAD", SECCOMP_RET_KILL_THREAD, 0 }, { "TRAP", SECCOMP_RET_TRAP, 1 },
		{ "LOG", SECCOMP_RET_LOG, 0 }, { "USER_NOTIF", SECCOMP_RET_USER_NOTIF, 0 },
		{ "ERRNO", SECCOMP_RET_ERRNO, 2 }, { "TRACE", SECCOMP_RET_TRACE, 1 },
	};
	size_t at = a->pos;
	char name[24];
	uint32_t data = 0;

	ident(a, name, sizeof(name));
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		if (strcasecmp(name, acts[i].name) != 0)
			continue;
		if (acts[i].data && accept(a, '(')) {
			if (number(a, &data) || expect(a, ')'))
				return -EINVAL;
			if (data > 0xffff)
				return fail(a, at, "action data out of range (0..65535)", NULL);
		} else if (acts[i].data == 2) {
			return fail(a, a->pos, "ERRNO needs a value: ERRNO(n)", NULL);
		}
		*k = acts[i].act | data;
		return 0;
	}
	return fail(a, at, "unknown action", name);
}

static int do_ret(struct asm_state *a)
{
	uint32_t k = 0;

	skip_ws(a);
	if (accept(a, '#')) {
		if (number(a, &k))
			return -EINVAL;
		return emit(a, BPF_RET | BPF_K, 0, 0, k);
	}
	if (a->pos < a->len && tolower((unsigned char)a->s[a->pos]) == 'a' &&
	    (a->pos + 1 >= a->len || !is_ident_char(a->s[a->pos + 1], 0))) {
		a->pos++;
		return emit(a, BPF_RET | BPF_A, 0, 0, 0);
	}
	if (a->pos < a->len && isdigit((unsigned char)a->s[a->pos])) {
		if (number(a, &k))
			return -EINVAL;
		return emit(a, BPF_RET | BPF_K, 0, 0, k);
	}
	if (action(a, &k))
		return -EINVAL;
	return emit(a, BPF_RET | BPF_K, 0, 0, k);
}

/* "insn CODE, JT, JF, K": any instruction, exactly */
static int do_raw(struct asm_state *a)
{
	uint32_t v[4];
	size_t at;

	for (int i = 0; i < 4; i++) {
		skip_ws(a);
		at = a->pos;
		if ((i && expect(a, ',')) || number(a, &v[i]))
			return -EINVAL;
		if ((i == 0 && v[i] > 0xffff) || ((i == 1 || i == 2) && v[i] > 0xff))
			return fail(a, at, "field out of range", NULL);
	}
	return emit(a, (uint16_t)v[0], (uint8_t)v[1], (uint8_t)v[2], v[3]);
}

static int alu_op(const char *m, uint16_t *op)
{
	static const struct { const char *name; uint16_t op; } ops[] = {
		{ "add", BPF_ADD }, { "sub", BPF_SUB }, { "mul", BPF_MUL }, { "div", BPF_DIV },
		{ "mod", BPF_MOD }, { "and", BPF_AND }, { "or", BPF_OR }, { "xor", BPF_XOR },
		{ "lsh", BPF_LSH }, { "rsh", BPF_RSH },
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcasecmp(m, ops[i].name) == 0) {
			*op = ops[i].op;
			return 1;
		}
	return 0;
}

static int jmp_op(const char *m, uint16_t *op)
{
	static const struct { const char *name; uint16_t op; } ops[] = {
		{ "ja", BPF_JA }, { "jmp", BPF_JA }, { "jeq", BPF_JEQ }, { "jgt", BPF_JGT },
		{ "jge", BPF_JGE }, { "jset", BPF_JSET },
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcasecmp(m, ops[i].name) == 0) {
			*op = ops[i].op;
			return 1;
		}
	return 0;
}

static int instruction(struct asm_state *a, const char *m, size_t at)
{
	uint16_t op, src;
	uint32_t k = 0;

	if (!strcasecmp(m, "ld") || !strcasecmp(m, "ldx"))
		return do_load(a, m[2] != 0);
	if (!strcasecmp(m, "st") || !strcasecmp(m, "stx"))
		return do_store(a, m[2] != 0);
	if (!strcasecmp(m, "tax"))
		return emit(a, BPF_MISC | BPF_TAX, 0, 0, 0);
	if (!strcasecmp(m, "txa"))
		return emit(a, BPF_MISC | BPF_TXA, 0, 0, 0);
	if (!strcasecmp(m, "neg"))
		return emit(a, BPF_ALU | BPF_NEG, 0, 0, 0);
	if (!strcasecmp(m, "ret"))
		return do_ret(a);
	if (!strcasecmp(m, "insn"))
		return do_raw(a);
	if (jmp_op(m, &op))
		return do_jump(a, op);
	if (alu_op(m, &op)) {
		if (operand(a, &src, &k))
			return -EINVAL;
		return emit(a, BPF_ALU | op | src, 0, 0, k);
	}
	return fail(a, at, "unknown instruction", m);
}

static int add_label(struct asm_state *a, const char *name, size_t at)
{
	struct label *n;

	for (size_t i = 0; i < a->nlabels; i++)
		if (strcmp(a->labels[i].name, name) == 0)
			return fail(a, at, "label defined twice", name);
	if (a->nlabels == a->cap_labels) {
		size_t cap = a->cap_labels ? a->cap_labels * 2 : 64;

		n = realloc(a->labels, cap * sizeof(*n));
		if (!n)
			return muzzle_error_set(a->err, -ENOMEM, a->file, a->line, 0,
						"out of memory");
		a->labels = n;
		a->cap_labels = cap;
	}
	n = a->labels;
	snprintf(n[a->nlabels].name, sizeof(n[a->nlabels].name), "%s", name);
	n[a->nlabels].index = a->prog.len;
	a->nlabels++;
	return 0;
}

/* Leading "name:" and "12:" prefixes. */
static int line_labels(struct asm_state *a)
{
	for (;;) {
		size_t at, save;
		char name[64];

		skip_ws(a);
		at = save = a->pos;
		if (a->pos < a->len && isdigit((unsigned char)a->s[a->pos])) {
			while (a->pos < a->len && isdigit((unsigned char)a->s[a->pos]))
				a->pos++;
			skip_ws(a);
			if (a->pos < a->len && a->s[a->pos] == ':') {
				a->pos++;	/* an index annotation: informative only */
				continue;
			}
			a->pos = save;
			return 0;
		}
		if (!ident(a, name, sizeof(name)))
			return 0;
		skip_ws(a);
		if (a->pos < a->len && a->s[a->pos] == ':') {
			a->pos++;
			if (add_label(a, name, at))
				return -EINVAL;
			continue;
		}
		a->pos = save;
		return 0;
	}
}

static int parse_line(struct asm_state *a)
{
	char m[16];
	size_t at;

	if (line_labels(a))
		return -EINVAL;
	skip_ws(a);
	if (at_end(a))
		return 0;
	at = a->pos;
	if (!ident(a, m, sizeof(m)))
		return fail(a, at, "expected an instruction", NULL);
	if (instruction(a, m, at))
		return -EINVAL;
	skip_ws(a);
	if (!at_end(a))
		return fail(a, a->pos, "unexpected text after the instruction", NULL);
	return 0;
}

static int resolve_name(const struct asm_state *a, const char *name, size_t *index)
{
	char *end;
	unsigned long v;

	for (size_t i = 0; i < a->nlabels; i++)
		if (strcmp(a->labels[i].name, name) == 0) {
			*index = a->labels[i].index;
			return 0;
		}
	/* "L14" without a "L14:" line: bpf_disasm's names are indexes */
	if (name[0] == 'L' && isdigit((unsigned char)name[1])) {
		v = strtoul(name + 1, &end, 10);
		if (!*end) {
			*index = v;
			return 0;
		}
	}
	return -ENOENT;
}

static int resolve_one(struct asm_state *a, const struct fixup *f)
{
	struct sock_filter *insn = &a->prog.insns[f->insn];
	int ja = insn->code == (BPF_JMP | BPF_JA);
	unsigned long off;
	size_t index;
	char *end;

	if (f->name[0] == '+') {
		errno = 0;
		off = strtoul(f->name + 1, &end, 0);
		if (errno || *end || off > 0xffffffffull)
			return muzzle_error_set(a->err, -EINVAL, a->file, f->line, f->col,
						"bad jump offset: %s", f->name);
	} else {
		if (resolve_name(a, f->name, &index))
			return muzzle_error_set(a->err, -EINVAL, a->file, f->line, f->col,
						"undefined label: %s", f->name);
		if (index <= f->insn)
			return muzzle_error_set(a->err, -EINVAL, a->file, f->line, f->col,
						"jump to %s goes backwards (BPF jumps only forward)",
						f->name);
		off = index - f->insn - 1;
	}
	if (!ja && off > 255)
		return muzzle_error_set(a->err, -ERANGE, a->file, f->line, f->col,
					"conditional jump to %s is %lu instructions away (max 255)",
					f->name, off);
	if (ja)
		insn->k = (uint32_t)off;
	else if (f->which)
		insn->jf = (uint8_t)off;
	else
		insn->jt = (uint8_t)off;
	return 0;
}

static int assemble(struct asm_state *a, const char *text, size_t len)
{
	size_t start = 0;

	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;

		a->line++;
		a->s = text + start;
		a->len = end - start;
		a->pos = 0;
		if (parse_line(a))
			return a->err ? a->err->code : -EINVAL;
		start = end + 1;
	}
	if (a->prog.len == 0)
		return muzzle_error_set(a->err, -EINVAL, a->file, a->line, 0, "no instructions");
	for (size_t i = 0; i < a->nfix; i++)
		if (resolve_one(a, &a->fix[i]))
			return a->err ? a->err->code : -EINVAL;
	return 0;
}

int bpf_asm(const char *text, size_t len, const char *file, struct bpf_prog *out,
	    struct muzzle_error *err)
{
	struct muzzle_error local;
	struct asm_state a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.file = file;
	a.err = err ? err : &local;
	bpf_prog_init(&a.prog);
	rc = assemble(&a, text, len);
	free(a.labels);
	free(a.fix);
	if (rc) {
		bpf_prog_free(&a.prog);
		return rc < 0 ? rc : -EINVAL;
	}
	bpf_prog_free(out);
	*out = a.prog;
	return 0;
}
