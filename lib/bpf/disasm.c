/* The disassembler.  One instruction per line:
 *
 *   L3:
 *       3: ld [0]                          ; nr
 *       4: jeq #0x3b, L6, L5               ; execve
 *
 * Jump targets are labels "L<index>" (or "+N" offsets with opts->raw).
 * Comments name what a load reads, the syscall a jump compares nr with (for
 * the arch token established on that path by a "jeq #token" on the arch
 * word, else opts->arch_token), the arch a token stands for and the action a
 * return gives.  An instruction the syntax cannot express exactly (unknown
 * opcode, stray bits in unused fields, jump out of range) is printed as
 * "insn CODE, JT, JF, K" so that bpf_asm() always gives back the same
 * program. */
#include "bpf/bpf.h"
#include "arch/arch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* What A holds, as far as a forward pass can tell. */
enum content { C_UNKNOWN, C_WORD };

struct state {
	int reached;
	enum content a;
	unsigned a_word;
	uint32_t token;		/* arch token known on every path here, 0 if none */
};

#define AUDIT_LE_BIT 0x40000000u

static void merge(struct state *dst, const struct state *src)
{
	if (!dst->reached) {
		*dst = *src;
		dst->reached = 1;
		return;
	}
	if (dst->a != src->a || dst->a_word != src->a_word)
		dst->a = C_UNKNOWN;
	if (dst->token != src->token)
		dst->token = 0;
}

static int is_cond_jump(uint16_t code)
{
	switch (code) {
	case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
		return 1;
	}
	return 0;
}

/* The state after a non-jump instruction. */
static void transfer(const struct sock_filter *f, struct state *s)
{
	switch (BPF_CLASS(f->code)) {
	case BPF_LD:
		if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
			s->a = C_WORD;
			s->a_word = f->k / 4;
		} else {
			s->a = C_UNKNOWN;
		}
		break;
	case BPF_ALU:
		s->a = C_UNKNOWN;
		break;
	case BPF_MISC:
		if (f->code == (BPF_MISC | BPF_TXA))
			s->a = C_UNKNOWN;
		break;
	}
}

/* Forward pass: jumps only go forward, so index order visits every
 * predecessor first. */
static struct state *analyze(const struct sock_filter *insns, size_t len, uint32_t token)
{
	struct state *st = calloc(len + 1, sizeof(*st));

	if (!st)
		return NULL;
	st[0].reached = 1;
	st[0].token = token;
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &insns[pc];
		struct state s = st[pc];

		if (!s.reached)
			s.token = token;
		if (f->code == (BPF_JMP | BPF_JA)) {
			if (f->k < len - pc - 1)
				merge(&st[pc + 1 + f->k], &s);
		} else if (is_cond_jump(f->code)) {
			struct state t = s;

			if (f->code == (BPF_JMP | BPF_JEQ | BPF_K) && s.a == C_WORD && s.a_word == 1)
				t.token = f->k;
			if (pc + 1 + f->jt < len)
				merge(&st[pc + 1 + f->jt], &t);
			if (pc + 1 + f->jf < len)
				merge(&st[pc + 1 + f->jf], &s);
		} else if (BPF_CLASS(f->code) != BPF_RET) {
			transfer(f, &s);
			merge(&st[pc + 1], &s);
		}
	}
	return st;
}

static void action_name(uint32_t k, char *buf, size_t n)
{
	uint32_t data = k & SECCOMP_RET_DATA;

	switch (k & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS: snprintf(buf, n, "KILL_PROCESS"); break;
	case SECCOMP_RET_KILL_THREAD: snprintf(buf, n, "KILL_THREAD"); break;
	case SECCOMP_RET_TRAP: snprintf(buf, n, data ? "TRAP(%u)" : "TRAP", data); break;
	case SECCOMP_RET_ERRNO: snprintf(buf, n, "ERRNO(%u)", data); break;
	case SECCOMP_RET_USER_NOTIF: snprintf(buf, n, "USER_NOTIF"); break;
	case SECCOMP_RET_TRACE: snprintf(buf, n, "TRACE(%u)", data); break;
	case SECCOMP_RET_LOG: snprintf(buf, n, "LOG"); break;
	case SECCOMP_RET_ALLOW: snprintf(buf, n, "ALLOW"); break;
	default: snprintf(buf, n, "unknown action, acts as KILL_PROCESS"); break;
	}
	if ((k & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_TRAP &&
	    (k & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ERRNO &&
	    (k & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_TRACE && data) {
		size_t l = strlen(buf);

		snprintf(buf + l, n - l, " (data %u)", data);
	}
}

static int big_endian(uint32_t token)
{
	const struct arch_desc *a = arch_by_token(token);

	if (a)
		return a->big_endian;
	return !(token & AUDIT_LE_BIT);
}

/* "args[2] lo" when the path's arch (hence endianness) is known, else
 * "args[2] +0" (byte offset inside the 64-bit field). */
static void word_name(unsigned word, uint32_t token, char *buf, size_t n)
{
	unsigned sub = word & 1;
	const char *field = word < 4 ? "instruction_pointer" : "args";
	char idx[16] = "";

	if (word == 0) {
		snprintf(buf, n, "nr");
		return;
	}
	if (word == 1) {
		snprintf(buf, n, "arch");
		return;
	}
	if (word >= 4)
		snprintf(idx, sizeof(idx), "[%u]", (word - 4) / 2);
	if (!token) {
		snprintf(buf, n, "%s%s +%u", field, idx, sub * 4);
		return;
	}
	if (big_endian(token))
		sub ^= 1;
	snprintf(buf, n, "%s%s %s", field, idx, sub ? "hi" : "lo");
}

static void nr_comment(const struct sock_filter *f, uint32_t token, char *buf, size_t n)
{
	const struct arch_desc *abi;
	const char *rel = "";
	int id;

	if (!token || BPF_SRC(f->code) != BPF_K || BPF_OP(f->code) == BPF_JSET)
		return;
	if (BPF_OP(f->code) == BPF_JGT)
		rel = "> ";
	else if (BPF_OP(f->code) == BPF_JGE)
		rel = ">= ";
	if (f->k == ARCH_X32_SYSCALL_BIT && BPF_OP(f->code) == BPF_JGE) {
		snprintf(buf, n, "x32 bit");
		return;
	}
	abi = arch_for_data(token, f->k);
	if (!abi)
		return;
	id = arch_syscall_by_nr(abi->id, f->k);
	if (id >= 0)
		snprintf(buf, n, "%s%s%s%s", rel, abi->id == ARCH_X32 ? "x32 " : "",
			 arch_syscall_name(id), "");
}

static void jump_comment(const struct sock_filter *f, const struct state *s,
			 char *buf, size_t n)
{
	const struct arch_desc *a;

	if (s->a != C_WORD)
		return;
	if (s->a_word == 0) {
		nr_comment(f, s->token, buf, n);
	} else if (s->a_word == 1 && f->code == (BPF_JMP | BPF_JEQ | BPF_K)) {
		a = arch_by_token(f->k);
		if (a)
			snprintf(buf, n, "%s", a->name);
	}
}

/* 1 if fields the syntax does not show are zero and jumps land inside. */
static int canonical(const struct sock_filter *f, size_t pc, size_t len)
{
	uint16_t c = f->code;

	if (is_cond_jump(c))
		return pc + 1 + f->jt < len && pc + 1 + f->jf < len &&
		       (BPF_SRC(c) == BPF_K || f->k == 0);
	if (f->jt || f->jf)
		return 0;
	switch (c) {
	case BPF_JMP | BPF_JA:
		return f->k < len - pc - 1;
	case BPF_LD | BPF_W | BPF_ABS: case BPF_LD | BPF_IMM: case BPF_LDX | BPF_IMM:
	case BPF_RET | BPF_K:
		return 1;
	case BPF_LD | BPF_MEM: case BPF_LDX | BPF_MEM: case BPF_ST: case BPF_STX:
		return f->k < BPF_MEMWORDS;
	case BPF_LD | BPF_W | BPF_LEN: case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA: case BPF_RET | BPF_A:
	case BPF_ALU | BPF_NEG:
		return f->k == 0;
	}
	if (BPF_CLASS(c) == BPF_ALU && (c & ~0xf8) == BPF_ALU && BPF_OP(c) <= BPF_XOR &&
	    BPF_OP(c) != BPF_NEG)
		return BPF_SRC(c) == BPF_K || f->k == 0;
	return 0;
}

static const char *alu_name(uint16_t code)
{
	static const char *const names[] = {
		"add", "sub", "mul", "div", "or", "and", "lsh", "rsh", "neg", "mod", "xor",
	};
	return names[BPF_OP(code) >> 4];
}

static const char *jmp_name(uint16_t code)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ: return "jeq";
	case BPF_JGT: return "jgt";
	case BPF_JGE: return "jge";
	}
	return "jset";
}

static void target(char *buf, size_t n, size_t pc, unsigned off, int raw)
{
	if (raw)
		snprintf(buf, n, "+%u", off);
	else
		snprintf(buf, n, "L%zu", pc + 1 + off);
}

static void format_insn(const struct sock_filter *f, size_t pc, size_t len, int raw,
			char *buf, size_t n)
{
	uint16_t c = f->code;
	char t1[24], t2[24];

	if (!canonical(f, pc, len)) {
		snprintf(buf, n, "insn %#06x, %u, %u, %#x", c, f->jt, f->jf, f->k);
		return;
	}
	switch (c) {
	case BPF_LD | BPF_W | BPF_ABS: snprintf(buf, n, "ld [%u]", f->k); return;
	case BPF_LD | BPF_IMM: snprintf(buf, n, "ld #%#x", f->k); return;
	case BPF_LDX | BPF_IMM: snprintf(buf, n, "ldx #%#x", f->k); return;
	case BPF_LD | BPF_MEM: snprintf(buf, n, "ld M[%u]", f->k); return;
	case BPF_LDX | BPF_MEM: snprintf(buf, n, "ldx M[%u]", f->k); return;
	case BPF_ST: snprintf(buf, n, "st M[%u]", f->k); return;
	case BPF_STX: snprintf(buf, n, "stx M[%u]", f->k); return;
	case BPF_LD | BPF_W | BPF_LEN: snprintf(buf, n, "ld len"); return;
	case BPF_LDX | BPF_W | BPF_LEN: snprintf(buf, n, "ldx len"); return;
	case BPF_MISC | BPF_TAX: snprintf(buf, n, "tax"); return;
	case BPF_MISC | BPF_TXA: snprintf(buf, n, "txa"); return;
	case BPF_RET | BPF_K: snprintf(buf, n, "ret #%#x", f->k); return;
	case BPF_RET | BPF_A: snprintf(buf, n, "ret a"); return;
	case BPF_ALU | BPF_NEG: snprintf(buf, n, "neg"); return;
	case BPF_JMP | BPF_JA:
		target(t1, sizeof(t1), pc, f->k, raw);
		snprintf(buf, n, "ja %s", t1);
		return;
	}
	if (BPF_CLASS(c) == BPF_ALU) {
		if (BPF_SRC(c) == BPF_X)
			snprintf(buf, n, "%s x", alu_name(c));
		else
			snprintf(buf, n, "%s #%#x", alu_name(c), f->k);
		return;
	}
	target(t1, sizeof(t1), pc, f->jt, raw);
	target(t2, sizeof(t2), pc, f->jf, raw);
	if (BPF_SRC(c) == BPF_X)
		snprintf(buf, n, "%s x, %s, %s", jmp_name(c), t1, t2);
	else
		snprintf(buf, n, "%s #%#x, %s, %s", jmp_name(c), f->k, t1, t2);
}

static void comment_for(const struct sock_filter *f, const struct state *s,
			char *buf, size_t n)
{
	buf[0] = 0;
	if (f->code == (BPF_LD | BPF_W | BPF_ABS) && f->k < sizeof(struct seccomp_data) &&
	    !(f->k & 3))
		word_name(f->k / 4, s->token, buf, n);
	else if (f->code == (BPF_RET | BPF_K))
		action_name(f->k, buf, n);
	else if (is_cond_jump(f->code))
		jump_comment(f, s, buf, n);
}

/* Marks instructions some jump lands on. */
static unsigned char *jump_targets(const struct sock_filter *insns, size_t len)
{
	unsigned char *t = calloc(len + 1, 1);

	if (!t)
		return NULL;
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &insns[pc];

		if (!canonical(f, pc, len))
			continue;
		if (f->code == (BPF_JMP | BPF_JA)) {
			t[pc + 1 + f->k] = 1;
		} else if (is_cond_jump(f->code)) {
			t[pc + 1 + f->jt] = 1;
			t[pc + 1 + f->jf] = 1;
		}
	}
	return t;
}

int bpf_disasm(FILE *out, const struct sock_filter *insns, size_t len,
	       const struct bpf_disasm_opts *o)
{
	uint32_t token = o ? o->arch_token : 0;
	int raw = o ? o->raw : 0;
	struct state *st = analyze(insns, len, token);
	unsigned char *tg = jump_targets(insns, len);
	char text[96], comment[96];

	if (!st || !tg) {
		free(st);
		free(tg);
		return -ENOMEM;
	}
	for (size_t pc = 0; pc < len; pc++) {
		if (tg[pc] && !raw)
			fprintf(out, "L%zu:\n", pc);
		format_insn(&insns[pc], pc, len, raw, text, sizeof(text));
		comment_for(&insns[pc], &st[pc], comment, sizeof(comment));
		if (comment[0])
			fprintf(out, "%6zu: %-36s ; %s\n", pc, text, comment);
		else
			fprintf(out, "%6zu: %s\n", pc, text);
	}
	free(st);
	free(tg);
	return ferror(out) ? -EIO : 0;
}
