/* lib/bpf: interpreter, const-allow emulation, verifier, disassembler,
 * assembler and raw format; the interpreter and the verifier are also
 * checked against the running kernel (filters load in forked children). */
#include "harness.h"
#include "bpf/bpf.h"
#include "arch/arch.h"

#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define S(c, k) BPF_STMT(c, k)
#define J(c, k, t, f) BPF_JUMP(c, k, t, f)
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ALLOW SECCOMP_RET_ALLOW
#define ERR(e) (SECCOMP_RET_ERRNO | (e))
#define OFF_ARG(i, hi) (16 + 8 * (i) + 4 * (hi))	/* little-endian host */

static struct seccomp_data mkdata(int nr, uint32_t arch, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d;

	memset(&d, 0, sizeof(d));
	d.nr = nr;
	d.arch = arch;
	d.args[0] = a0;
	d.args[1] = a1;
	return d;
}

static uint32_t run1(const struct sock_filter *f, size_t n, const struct seccomp_data *d)
{
	return bpf_run(f, n, d, NULL);
}

/* --- interpreter ---------------------------------------------------------- */

static void test_loads(void)
{
	struct seccomp_data d = mkdata(59, 0xc000003e, 0x1122334455667788ull, 7);
	struct sock_filter nr[] = { S(BPF_LD | BPF_W | BPF_ABS, 0), S(BPF_RET | BPF_A, 0) };
	struct sock_filter arch[] = { S(BPF_LD | BPF_W | BPF_ABS, 4), S(BPF_RET | BPF_A, 0) };
	struct sock_filter lo[] = { S(BPF_LD | BPF_W | BPF_ABS, 16), S(BPF_RET | BPF_A, 0) };
	struct sock_filter hi[] = { S(BPF_LD | BPF_W | BPF_ABS, 20), S(BPF_RET | BPF_A, 0) };
	struct sock_filter len[] = { S(BPF_LD | BPF_W | BPF_LEN, 0), S(BPF_RET | BPF_A, 0) };
	struct sock_filter imm[] = { S(BPF_LD | BPF_IMM, 1234), S(BPF_RET | BPF_A, 0) };
	struct sock_filter xlen[] = { S(BPF_LDX | BPF_W | BPF_LEN, 0), S(BPF_MISC | BPF_TXA, 0),
				      S(BPF_RET | BPF_A, 0) };
	struct sock_filter ximm[] = { S(BPF_LDX | BPF_IMM, 99), S(BPF_MISC | BPF_TXA, 0),
				      S(BPF_RET | BPF_A, 0) };
	struct sock_filter mem[] = {
		S(BPF_LD | BPF_IMM, 5), S(BPF_ST, 3), S(BPF_LDX | BPF_IMM, 6), S(BPF_STX, 15),
		S(BPF_LD | BPF_MEM, 15), S(BPF_LDX | BPF_MEM, 3), S(BPF_ALU | BPF_MUL | BPF_X, 0),
		S(BPF_RET | BPF_A, 0),
	};
	struct sock_filter tax[] = { S(BPF_LD | BPF_IMM, 77), S(BPF_MISC | BPF_TAX, 0),
				     S(BPF_LD | BPF_IMM, 0), S(BPF_MISC | BPF_TXA, 0),
				     S(BPF_RET | BPF_A, 0) };
	struct sock_filter zero[] = { S(BPF_RET | BPF_A, 0) };
	unsigned steps = 0;

	t_begin("interp_loads");
	T_EQ_U(run1(nr, N(nr), &d), 59);
	T_EQ_U(run1(arch, N(arch), &d), 0xc000003e);
	T_EQ_U(run1(lo, N(lo), &d), 0x55667788);
	T_EQ_U(run1(hi, N(hi), &d), 0x11223344);
	T_EQ_U(run1(len, N(len), &d), 64);
	T_EQ_U(run1(imm, N(imm), &d), 1234);
	T_EQ_U(run1(xlen, N(xlen), &d), 64);
	T_EQ_U(run1(ximm, N(ximm), &d), 99);
	T_EQ_U(bpf_run(mem, N(mem), &d, &steps), 30);
	T_EQ_U(steps, 8);
	T_EQ_U(run1(tax, N(tax), &d), 77);
	T_EQ_U(run1(zero, N(zero), &d), 0);	/* A starts at 0 */
	t_end();
}

struct alu_case {
	uint16_t op;
	uint32_t a, k, want;
};

static void test_alu(void)
{
	static const struct alu_case cases[] = {
		{ BPF_ADD, 0xffffffffu, 2, 1 }, { BPF_SUB, 1, 2, 0xffffffffu },
		{ BPF_MUL, 0x10000, 0x10000, 0 }, { BPF_MUL, 7, 6, 42 },
		{ BPF_DIV, 100, 7, 14 }, { BPF_DIV, 0xffffffffu, 0x10, 0x0fffffff },
		{ BPF_AND, 0xf0f0, 0xff00, 0xf000 }, { BPF_OR, 0xf0, 0x0f, 0xff },
		{ BPF_XOR, 0xff, 0x0f, 0xf0 }, { BPF_LSH, 1, 31, 0x80000000u },
		{ BPF_RSH, 0x80000000u, 31, 1 }, { BPF_LSH, 3, 0, 3 },
	};
	char name[64];

	for (size_t i = 0; i < N(cases); i++) {
		const struct alu_case *c = &cases[i];
		struct sock_filter pk[] = { S(BPF_LD | BPF_IMM, c->a),
					    S(BPF_ALU | c->op | BPF_K, c->k), S(BPF_RET | BPF_A, 0) };
		struct sock_filter px[] = { S(BPF_LD | BPF_IMM, c->a), S(BPF_LDX | BPF_IMM, c->k),
					    S(BPF_ALU | c->op | BPF_X, 0), S(BPF_RET | BPF_A, 0) };
		struct seccomp_data d = mkdata(0, 0, 0, 0);

		snprintf(name, sizeof(name), "interp_alu_%zu_op%#x", i, c->op);
		t_begin(name);
		T_EQ_U(run1(pk, N(pk), &d), c->want);
		T_EQ_U(run1(px, N(px), &d), c->want);
		t_end();
	}
}

static void test_alu_edges(void)
{
	struct seccomp_data d = mkdata(0, 0, 0, 0);
	struct sock_filter neg[] = { S(BPF_LD | BPF_IMM, 5), S(BPF_ALU | BPF_NEG, 0),
				     S(BPF_RET | BPF_A, 0) };
	struct sock_filter divx0[] = { S(BPF_LD | BPF_IMM, 5), S(BPF_LDX | BPF_IMM, 0),
				       S(BPF_ALU | BPF_DIV | BPF_X, 0), S(BPF_RET | BPF_K, ALLOW) };
	struct sock_filter shx[] = { S(BPF_LD | BPF_IMM, 3), S(BPF_LDX | BPF_IMM, 33),
				     S(BPF_ALU | BPF_LSH | BPF_X, 0), S(BPF_RET | BPF_A, 0) };
	struct sock_filter rshx[] = { S(BPF_LD | BPF_IMM, 0x80000000u), S(BPF_LDX | BPF_IMM, 63),
				      S(BPF_ALU | BPF_RSH | BPF_X, 0), S(BPF_RET | BPF_A, 0) };
	struct sock_filter mod[] = { S(BPF_LD | BPF_IMM, 5), S(BPF_ALU | BPF_MOD | BPF_K, 3),
				     S(BPF_RET | BPF_A, 0) };
	struct muzzle_error err;
	uint32_t ret = 0;
	unsigned steps = 0;

	t_begin("interp_alu_edges");
	T_EQ_U(run1(neg, N(neg), &d), 0xfffffffbu);
	/* the kernel's conversion returns 0 on division by X == 0 */
	T_EQ_U(bpf_run(divx0, N(divx0), &d, &steps), 0);
	T_EQ_U(steps, 3);
	T_EQ_U(run1(shx, N(shx), &d), 6);		/* shift count & 31 */
	T_EQ_U(run1(rshx, N(rshx), &d), 1);
	T_EQ_I(bpf_run_checked(mod, N(mod), &d, &ret, NULL, &err), -EINVAL);
	T_EQ_U(ret, SECCOMP_RET_KILL_PROCESS);
	T_CHECK(strstr(err.msg, "insn 1") != NULL, "error names insn: %s", err.msg);
	t_end();
}

struct jmp_case {
	uint16_t op;
	uint32_t a, k;
	int taken;
};

static void test_jumps(void)
{
	static const struct jmp_case cases[] = {
		{ BPF_JEQ, 5, 5, 1 }, { BPF_JEQ, 5, 6, 0 },
		{ BPF_JGT, 6, 5, 1 }, { BPF_JGT, 5, 5, 0 },
		{ BPF_JGT, 0x80000000u, 1, 1 },		/* unsigned */
		{ BPF_JGE, 5, 5, 1 }, { BPF_JGE, 4, 5, 0 },
		{ BPF_JGE, 0xffffffffu, 0x80000000u, 1 },
		{ BPF_JSET, 6, 2, 1 }, { BPF_JSET, 6, 1, 0 },
	};
	char name[64];

	for (size_t i = 0; i < N(cases); i++) {
		const struct jmp_case *c = &cases[i];
		struct sock_filter pk[] = {
			S(BPF_LD | BPF_IMM, c->a), J(BPF_JMP | c->op | BPF_K, c->k, 1, 0),
			S(BPF_RET | BPF_K, ERR(1)), S(BPF_RET | BPF_K, ERR(2)),
		};
		struct sock_filter px[] = {
			S(BPF_LD | BPF_IMM, c->a), S(BPF_LDX | BPF_IMM, c->k),
			J(BPF_JMP | c->op | BPF_X, 0, 0, 1),
			S(BPF_RET | BPF_K, ERR(2)), S(BPF_RET | BPF_K, ERR(1)),
		};
		struct seccomp_data d = mkdata(0, 0, 0, 0);
		unsigned steps = 0;

		snprintf(name, sizeof(name), "interp_jump_%zu_op%#x", i, c->op);
		t_begin(name);
		T_EQ_U(bpf_run(pk, N(pk), &d, &steps), c->taken ? ERR(2) : ERR(1));
		T_EQ_U(steps, 3);
		T_EQ_U(run1(px, N(px), &d), c->taken ? ERR(2) : ERR(1));
		t_end();
	}
}

static void test_ja_and_faults(void)
{
	struct seccomp_data d = mkdata(0, 0, 0, 0);
	struct sock_filter ja[] = { S(BPF_JMP | BPF_JA, 2), S(BPF_RET | BPF_K, 1),
				    S(BPF_RET | BPF_K, 2), S(BPF_RET | BPF_K, 3) };
	struct sock_filter off_end[] = { S(BPF_LD | BPF_IMM, 1) };
	struct sock_filter unaligned[] = { S(BPF_LD | BPF_W | BPF_ABS, 2), S(BPF_RET | BPF_A, 0) };
	struct sock_filter outside[] = { S(BPF_LD | BPF_W | BPF_ABS, 64), S(BPF_RET | BPF_A, 0) };
	struct sock_filter uninit[] = { S(BPF_LD | BPF_MEM, 0), S(BPF_RET | BPF_A, 0) };
	struct sock_filter bad_jump[] = { J(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0),
					  S(BPF_RET | BPF_K, 1) };
	struct muzzle_error err;
	uint32_t ret;
	unsigned steps = 0;

	t_begin("interp_ja_and_faults");
	T_EQ_U(bpf_run(ja, N(ja), &d, &steps), 3);
	T_EQ_U(steps, 2);
	T_EQ_I(bpf_run_checked(off_end, N(off_end), &d, &ret, &steps, &err), -EINVAL);
	T_EQ_U(ret, SECCOMP_RET_KILL_PROCESS);
	T_CHECK(strstr(err.msg, "end") != NULL, "%s", err.msg);
	T_EQ_U(run1(unaligned, N(unaligned), &d), SECCOMP_RET_KILL_PROCESS);
	T_EQ_U(run1(outside, N(outside), &d), SECCOMP_RET_KILL_PROCESS);
	T_EQ_U(run1(uninit, N(uninit), &d), SECCOMP_RET_KILL_PROCESS);
	T_EQ_U(run1(bad_jump, N(bad_jump), &d), SECCOMP_RET_KILL_PROCESS);
	t_end();
}

static int events;
static void count_event(void *ctx, const struct bpf_cmp_event *e)
{
	(void)ctx;
	if (e->a.word == 4 && e->a.exact && e->a.mask == 0xff && e->k == 0x12)
		events++;
}

static void test_traced(void)
{
	struct sock_filter f[] = {
		S(BPF_LD | BPF_W | BPF_ABS, OFF_ARG(0, 0)), S(BPF_ALU | BPF_AND | BPF_K, 0xff),
		J(BPF_JMP | BPF_JEQ | BPF_K, 0x12, 0, 1), S(BPF_RET | BPF_K, ERR(1)),
		S(BPF_RET | BPF_K, ALLOW),
	};
	struct seccomp_data d = mkdata(1, 2, 0x312, 0);

	t_begin("interp_traced_provenance");
	uint32_t ret;

	events = 0;
	ret = bpf_run_traced(f, N(f), &d, NULL, count_event, NULL);
	T_EQ_U(ret, ERR(1));
	T_EQ_I(events, 1);
	t_end();
}

/* --- const_allow ---------------------------------------------------------- */

static void test_const_allow(void)
{
	struct sock_filter tree[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 4),
		J(BPF_JMP | BPF_JEQ | BPF_K, 0xc000003e, 1, 0),
		S(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		S(BPF_LD | BPF_W | BPF_ABS, 0),
		J(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 6, 0),
		J(BPF_JMP | BPF_JEQ | BPF_K, 1, 6, 0),		/* write */
		J(BPF_JMP | BPF_JEQ | BPF_K, 2, 2, 0),		/* open: check args */
		J(BPF_JSET | BPF_JMP | BPF_K, 0x100, 0, 1),	/* 256..: allowed */
		S(BPF_JMP | BPF_JA, 3),
		S(BPF_LD | BPF_W | BPF_ABS, OFF_ARG(1, 0)),
		S(BPF_RET | BPF_A, 0),
		S(BPF_RET | BPF_K, ERR(1)),
		S(BPF_RET | BPF_K, ALLOW),
	};
	struct sock_filter masked[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 0), S(BPF_ALU | BPF_AND | BPF_K, 0xff),
		J(BPF_JMP | BPF_JEQ | BPF_K, 3, 0, 1), S(BPF_RET | BPF_K, ALLOW),
		S(BPF_RET | BPF_K, ALLOW | 1),
	};
	struct sock_filter xcmp[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 0), J(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 0),
		S(BPF_RET | BPF_K, ALLOW),
	};

	t_begin("const_allow_shapes");
	T_EQ_I(bpf_const_allow(tree, N(tree), 0xc000003e, 1), 1);
	T_EQ_I(bpf_const_allow(tree, N(tree), 0xc000003e, 0x300), 1);	/* via jset + ja */
	T_EQ_I(bpf_const_allow(tree, N(tree), 0xc000003e, 0), 0);	/* ERRNO */
	T_EQ_I(bpf_const_allow(tree, N(tree), 0xc000003e, 2), 0);	/* loads an argument */
	T_EQ_I(bpf_const_allow(tree, N(tree), 0x40000003, 1), 0);	/* bad arch: kill */
	T_EQ_I(bpf_const_allow(tree, N(tree), 0xc000003e, 0x40000001), 0);
	T_EQ_I(bpf_const_allow(masked, N(masked), 0, 0x103), 1);	/* and #k is followed */
	T_EQ_I(bpf_const_allow(masked, N(masked), 0, 4), 0);	/* ALLOW|1 is not ALLOW */
	T_EQ_I(bpf_const_allow(xcmp, N(xcmp), 0, 0), 0);	/* X jumps: not constant */
	t_end();
}

/* --- verifier -------------------------------------------------------------- */

struct vcase {
	const char *name;
	struct sock_filter f[6];
	size_t n;
	int ok;
	int bad_insn;		/* index the error must name, -1 any */
};

#define RET_OK S(BPF_RET | BPF_K, ALLOW)

static const struct vcase vcases[] = {
	{ "valid", { S(BPF_LD | BPF_W | BPF_ABS, 0), RET_OK }, 2, 1, -1 },
	{ "valid_all_words", { S(BPF_LD | BPF_W | BPF_ABS, 60), S(BPF_RET | BPF_A, 0) }, 2, 1, -1 },
	{ "ld_outside", { S(BPF_LD | BPF_W | BPF_ABS, 64), RET_OK }, 2, 0, 0 },
	{ "ld_unaligned", { RET_OK, S(BPF_LD | BPF_W | BPF_ABS, 6), RET_OK }, 3, 0, 1 },
	{ "ld_half", { S(BPF_LD | BPF_H | BPF_ABS, 0), RET_OK }, 2, 0, 0 },
	{ "ld_byte", { S(BPF_LD | BPF_B | BPF_ABS, 0), RET_OK }, 2, 0, 0 },
	{ "ld_ind", { S(BPF_LD | BPF_W | BPF_IND, 0), RET_OK }, 2, 0, 0 },
	{ "ldx_msh", { S(BPF_LDX | BPF_B | BPF_MSH, 0), RET_OK }, 2, 0, 0 },
	{ "mod", { S(BPF_ALU | BPF_MOD | BPF_K, 3), RET_OK }, 2, 0, 0 },
	{ "unknown_opcode", { S(0xffff, 0), RET_OK }, 2, 0, 0 },
	{ "div_zero", { S(BPF_ALU | BPF_DIV | BPF_K, 0), RET_OK }, 2, 0, 0 },
	{ "div_x", { S(BPF_ALU | BPF_DIV | BPF_X, 0), RET_OK }, 2, 1, -1 },
	{ "lsh_32", { S(BPF_ALU | BPF_LSH | BPF_K, 32), RET_OK }, 2, 0, 0 },
	{ "rsh_31", { S(BPF_ALU | BPF_RSH | BPF_K, 31), RET_OK }, 2, 1, -1 },
	{ "mem_index", { S(BPF_ST, 16), RET_OK }, 2, 0, 0 },
	{ "mem_uninit", { S(BPF_LD | BPF_MEM, 0), RET_OK }, 2, 0, 0 },
	{ "mem_init", { S(BPF_ST, 2), S(BPF_LDX | BPF_MEM, 2), RET_OK }, 3, 1, -1 },
	{ "mem_one_branch", { J(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), S(BPF_ST, 1),
			      S(BPF_LD | BPF_MEM, 1), RET_OK }, 4, 0, 2 },
	{ "mem_both_branches", { J(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2), S(BPF_ST, 1),
				 S(BPF_JMP | BPF_JA, 1), S(BPF_STX, 1),
				 S(BPF_LD | BPF_MEM, 1), RET_OK }, 6, 1, -1 },
	/* the kernel carries the valid set across a return */
	{ "mem_after_ret", { S(BPF_ST, 0), RET_OK, S(BPF_LD | BPF_MEM, 0), RET_OK }, 4, 1, -1 },
	{ "ja_out", { S(BPF_JMP | BPF_JA, 1), RET_OK }, 2, 0, 0 },
	{ "ja_in", { S(BPF_JMP | BPF_JA, 1), RET_OK, RET_OK }, 3, 1, -1 },
	{ "jt_out", { J(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), RET_OK }, 2, 0, 0 },
	{ "jf_out", { J(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 2), RET_OK, RET_OK }, 3, 0, 0 },
	{ "last_not_ret", { RET_OK, S(BPF_LD | BPF_IMM, 0) }, 2, 0, 1 },
	{ "ret_a_last", { S(BPF_RET | BPF_A, 0) }, 1, 1, -1 },
	{ "jmp_x_ops", { J(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 0), RET_OK }, 2, 1, -1 },
	{ "bad_jmp_op", { J(BPF_JMP | 0x50 | BPF_K, 0, 0, 0), RET_OK }, 2, 0, 0 },
	{ "neg_x", { S(BPF_ALU | BPF_NEG | BPF_X, 0), RET_OK }, 2, 0, 0 },
	{ "ld_len", { S(BPF_LD | BPF_W | BPF_LEN, 0), S(BPF_LDX | BPF_W | BPF_LEN, 0), RET_OK },
	  3, 1, -1 },
};

static int sys_seccomp(unsigned op, unsigned flags, void *arg)
{
	return (int)syscall(SYS_seccomp, op, flags, arg);
}

/* Forked children leave through the raw syscall: no atexit handlers and no
 * sanitizer leak check, which could not run under the child's filter. */
static void child_exit(int code)
{
	syscall(SYS_exit_group, code);
	syscall(SYS_exit, code);
	__builtin_trap();	/* the filter refused both: die by SIGILL */
}

/* Does the kernel accept the filter?  1/0, -1 when it could not be told.
 * The child reports seccomp()'s result through shared memory (no syscall
 * needed once the filter is in place) and the parent then kills it: a
 * filter may refuse every way out of the process. */
static int kernel_accepts(const struct sock_filter *f, size_t n)
{
	struct sock_fprog fp = { (unsigned short)n, (struct sock_filter *)f };
	int *sh = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st, res = 0;
	pid_t pid;

	if (sh == MAP_FAILED)
		return -1;
	*sh = 0;
	pid = fork();
	if (pid == 0) {
		int r = 4;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
			r = sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &fp) == 0 ? 1
			    : errno == EINVAL ? 3 : 4;
		__atomic_store_n(sh, r, __ATOMIC_SEQ_CST);
		child_exit(0);
	}
	if (pid > 0) {
		while (!(res = __atomic_load_n(sh, __ATOMIC_SEQ_CST)) &&
		       waitpid(pid, &st, WNOHANG) == 0)
			usleep(50);
		res = __atomic_load_n(sh, __ATOMIC_SEQ_CST);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	munmap(sh, sizeof(int));
	return res == 1 ? 1 : res == 3 ? 0 : -1;
}

static void test_verifier(void)
{
	char name[80], want[32];

	for (size_t i = 0; i < N(vcases); i++) {
		const struct vcase *c = &vcases[i];
		struct muzzle_error err;
		int rc, k;

		snprintf(name, sizeof(name), "verify_%s", c->name);
		t_begin(name);
		memset(&err, 0, sizeof(err));
		rc = bpf_verify(c->f, c->n, &err);
		T_EQ_I(rc, c->ok ? 0 : -EINVAL);
		if (!c->ok && c->bad_insn >= 0) {
			snprintf(want, sizeof(want), "insn %d:", c->bad_insn);
			T_CHECK(strstr(err.msg, want) != NULL, "want '%s' in '%s'", want, err.msg);
		}
		k = kernel_accepts(c->f, c->n);
		T_CHECK(k < 0 || k == c->ok, "kernel %s it", k ? "accepts" : "rejects");
		t_end();
	}
}

static void test_verifier_lengths(void)
{
	static struct sock_filter big[BPF_MAX_INSNS + 1];
	struct muzzle_error err;

	for (size_t i = 0; i < N(big); i++)
		big[i] = (struct sock_filter)RET_OK;
	t_begin("verify_lengths");
	T_EQ_I(bpf_verify(big, 0, &err), -EINVAL);
	T_EQ_I(bpf_verify(big, BPF_MAX_INSNS, &err), 0);
	T_EQ_I(bpf_verify(big, BPF_MAX_INSNS + 1, &err), -EINVAL);
	T_EQ_I(kernel_accepts(big, BPF_MAX_INSNS), 1);
	t_end();
}

/* --- random programs -------------------------------------------------------- */

static uint32_t rng(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

/* A random program the verifier accepts: scratch cells are all written
 * first so that loads from them are valid on every path. */
static size_t random_prog(uint64_t *s, struct sock_filter *f, size_t n)
{
	static const uint16_t alu_ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_AND,
					    BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH };
	static const uint16_t jmp_ops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET };
	size_t pc = 0;

	for (int m = 0; m < 4; m++)
		f[pc++] = (struct sock_filter)S(BPF_ST, (uint32_t)m);
	while (pc < n - 1) {
		uint32_t r = rng(s) % 14, left = (uint32_t)(n - pc - 1);
		uint16_t op = alu_ops[rng(s) % N(alu_ops)];
		uint32_t k = rng(s) % 3 ? rng(s) % 512 : rng(s);

		switch (r) {
		case 0: f[pc] = (struct sock_filter)S(BPF_LD | BPF_W | BPF_ABS, 4 * (rng(s) % 16)); break;
		case 1: f[pc] = (struct sock_filter)S(BPF_LD | BPF_IMM, k); break;
		case 2: f[pc] = (struct sock_filter)S(BPF_LDX | BPF_IMM, k); break;
		case 3: f[pc] = (struct sock_filter)S(BPF_LD | BPF_MEM, rng(s) % 4); break;
		case 4: f[pc] = (struct sock_filter)S(BPF_ST, rng(s) % 16); break;
		case 5:
			if (op == BPF_DIV && k == 0)
				k = 3;
			if (op == BPF_LSH || op == BPF_RSH)
				k %= 32;
			f[pc] = (struct sock_filter)S(BPF_ALU | op | BPF_K, k);
			break;
		case 6: f[pc] = (struct sock_filter)S(BPF_ALU | op | BPF_X, 0); break;
		case 7: f[pc] = (struct sock_filter)S(BPF_MISC | (rng(s) % 2 ? BPF_TAX : BPF_TXA), 0); break;
		case 8: f[pc] = (struct sock_filter)S(BPF_JMP | BPF_JA, rng(s) % (left > 3 ? 3 : left)); break;
		case 9: case 10: {
			uint8_t jt = (uint8_t)(rng(s) % (left < 255 ? left : 255));
			uint8_t jf = (uint8_t)(rng(s) % (left < 255 ? left : 255));
			uint16_t src = rng(s) % 3 ? BPF_K : BPF_X;

			f[pc] = (struct sock_filter)J(BPF_JMP | jmp_ops[rng(s) % N(jmp_ops)] | src,
						      src == BPF_K ? k : 0, jt, jf);
			break;
		}
		case 11: f[pc] = (struct sock_filter)S(BPF_RET | BPF_K, ERR(1 + rng(s) % 200)); break;
		case 12: f[pc] = (struct sock_filter)S(BPF_ALU | BPF_NEG, 0); break;
		default: f[pc] = (struct sock_filter)S(BPF_LDX | BPF_MEM, rng(s) % 4); break;
		}
		pc++;
	}
	f[pc++] = (struct sock_filter)S(BPF_RET | BPF_A, 0);
	return pc;
}

static int same_prog(const struct sock_filter *a, const struct sock_filter *b, size_t n)
{
	return memcmp(a, b, n * sizeof(*a)) == 0;
}

static int roundtrip(const struct sock_filter *f, size_t n, int raw, uint32_t token,
		     char *why, size_t wl)
{
	struct bpf_disasm_opts o = { token, raw };
	struct bpf_prog back;
	struct muzzle_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int ok;

	if (!m)
		return 0;
	bpf_disasm(m, f, n, &o);
	fclose(m);
	bpf_prog_init(&back);
	if (bpf_asm(text, len, "rt", &back, &err)) {
		snprintf(why, wl, "asm: %d:%d: %s", err.line, err.col, err.msg);
		ok = 0;
	} else {
		ok = back.len == n && same_prog(back.insns, f, n);
		if (!ok)
			snprintf(why, wl, "program differs (len %zu vs %zu)", back.len, n);
	}
	free(text);
	bpf_prog_free(&back);
	return ok;
}

static void test_roundtrip(void)
{
	static struct sock_filter f[600];
	uint64_t s = 12345;
	char why[600];
	int bad_verify = 0, bad_rt = 0, bad_raw = 0, bad_junk = 0;

	t_begin("disasm_asm_roundtrip_random_valid");
	for (int i = 0; i < 300; i++) {
		size_t n = random_prog(&s, f, 6 + rng(&s) % (i % 10 ? 40 : 590));
		struct muzzle_error err;

		if (bpf_verify(f, n, &err) && !bad_verify++)
			T_CHECK(0, "random program %d rejected: %s", i, err.msg);
		if (!roundtrip(f, n, 0, 0xc000003e, why, sizeof(why)) && !bad_rt++)
			T_CHECK(0, "program %d: %s", i, why);
		if (!roundtrip(f, n, 1, 0, why, sizeof(why)) && !bad_raw++)
			T_CHECK(0, "raw program %d: %s", i, why);
	}
	t_end();
	t_begin("disasm_asm_roundtrip_arbitrary_words");
	for (int i = 0; i < 300; i++) {
		size_t n = 1 + rng(&s) % 30;

		for (size_t j = 0; j < n; j++) {
			f[j].code = (uint16_t)(rng(&s) % 3 ? rng(&s) & 0xff : rng(&s));
			f[j].jt = (uint8_t)(rng(&s) % 4 ? rng(&s) % 4 : rng(&s));
			f[j].jf = (uint8_t)(rng(&s) % 4 ? rng(&s) % 4 : rng(&s));
			f[j].k = rng(&s) % 2 ? rng(&s) % 20 : rng(&s);
		}
		if (!roundtrip(f, n, i % 2, 0x40000003, why, sizeof(why)) && !bad_junk++)
			T_CHECK(0, "arbitrary program %d: %s", i, why);
	}
	t_end();
}

/* The random programs the verifier accepts, the kernel accepts too; and a
 * mutated program is accepted by both or refused by both. */
static void test_verifier_vs_kernel(void)
{
	static struct sock_filter f[64];
	uint64_t s = 777;
	int mismatches = 0, accepted = 0, rejected = 0;

	t_begin("verify_matches_kernel_random");
	for (int i = 0; i < 150; i++) {
		size_t n = random_prog(&s, f, 6 + rng(&s) % 50);
		size_t at = rng(&s) % n;
		int ours, theirs;

		if (i % 2) {	/* mutate one field */
			switch (rng(&s) % 4) {
			case 0: f[at].code = (uint16_t)(rng(&s) & 0xff); break;
			case 1: f[at].jt = (uint8_t)(rng(&s) % 64); break;
			case 2: f[at].k = rng(&s) % 70; break;
			default: f[at].k = rng(&s); break;
			}
		}
		ours = bpf_verify(f, n, NULL) == 0;
		theirs = kernel_accepts(f, n);
		if (theirs < 0)
			continue;
		ours ? accepted++ : rejected++;
		if (ours != theirs && !mismatches++)
			T_CHECK(0, "program %d (insn %zu mutated): ours %d kernel %d", i, at, ours,
				theirs);
	}
	T_CHECK(accepted > 20 && rejected > 10, "cases: %d accepted %d rejected", accepted,
		rejected);
	t_end();
}

/* --- interpreter against the kernel ----------------------------------------
 * The filter allows every syscall but getppid; for getppid it computes on
 * the arguments and returns ERRNO(A & 0xff) or fixed ERRNO leaves.  The
 * child reports getppid's result and errno; both must match bpf_run. */

struct kres {
	int ok;
	long ret;
	int err;
	int killed;
};

static struct kres kernel_run(const struct sock_filter *f, size_t n, const uint64_t *args)
{
	struct sock_fprog fp = { (unsigned short)n, (struct sock_filter *)f };
	struct kres r = { 0, 0, 0, 0 };
	int pfd[2], st;
	pid_t pid;

	if (pipe(pfd))
		return r;
	pid = fork();
	if (pid == 0) {
		long v[2];

		close(pfd[0]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &fp))
			child_exit(5);
		errno = 0;
		v[0] = syscall(SYS_getppid, args[0], args[1], args[2], args[3], args[4], args[5]);
		v[1] = errno;
		if (write(pfd[1], v, sizeof(v)) != sizeof(v))
			child_exit(6);
		child_exit(0);
	}
	close(pfd[1]);
	if (pid > 0) {
		long v[2];

		if (read(pfd[0], v, sizeof(v)) == sizeof(v)) {
			r.ret = v[0];
			r.err = (int)v[1];
		}
		if (waitpid(pid, &st, 0) == pid) {
			r.killed = WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS;
			r.ok = r.killed || (WIFEXITED(st) && WEXITSTATUS(st) == 0);
		}
	}
	close(pfd[0]);
	return r;
}

/* Random body over the argument words, ending in "and #0xff; or ERRNO; ret a". */
static size_t random_getppid_filter(uint64_t *s, struct sock_filter *f, size_t body)
{
	size_t pc = 0, end;

	f[pc++] = (struct sock_filter)S(BPF_LD | BPF_W | BPF_ABS, 0);
	f[pc++] = (struct sock_filter)J(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 1, 0);
	f[pc++] = (struct sock_filter)S(BPF_RET | BPF_K, ALLOW);
	end = pc + body;
	pc += random_prog(s, f + pc, body + 1) - 1;	/* drop its final ret a */
	/* loads of nr/arch/ip are fine, but keep to args mostly */
	for (size_t i = 3; i < end; i++)
		if (f[i].code == (BPF_LD | BPF_W | BPF_ABS) && f[i].k >= 8 && f[i].k < 16)
			f[i].k += 8;
	f[pc++] = (struct sock_filter)S(BPF_ALU | BPF_AND | BPF_K, 0xff);
	f[pc++] = (struct sock_filter)S(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO);
	f[pc++] = (struct sock_filter)S(BPF_RET | BPF_A, 0);
	return pc;
}

static void test_interp_vs_kernel(void)
{
	static struct sock_filter f[128];
	uint64_t s = 4242;
	int compared = 0, mismatches = 0;

	t_begin("interp_matches_kernel_random");
	for (int i = 0; i < 120; i++) {
		size_t n = random_getppid_filter(&s, f, 8 + rng(&s) % 60);
		uint64_t args[6];
		struct seccomp_data d;
		struct kres k;
		uint32_t want;

		for (int a = 0; a < 6; a++)
			args[a] = ((uint64_t)rng(&s) << 32 | rng(&s)) >> (rng(&s) % 64);
		memset(&d, 0, sizeof(d));
		d.nr = SYS_getppid;
		d.arch = arch_native()->token;
		memcpy(d.args, args, sizeof(args));
		if (bpf_verify(f, n, NULL))
			continue;
		want = bpf_run(f, n, &d, NULL);
		k = kernel_run(f, n, args);
		if (!k.ok)
			continue;
		compared++;
		if (want == 0) {	/* division by X == 0 ends with KILL_THREAD */
			if (!k.killed && !mismatches++)
				T_CHECK(0, "program %d: kernel did not kill", i);
			continue;
		}
		if (k.killed || (want & 0xff) != (uint32_t)(k.ret == 0 ? 0 : k.err) ||
		    (want & 0xff ? k.ret != -1 : k.ret != 0)) {
			if (!mismatches++)
				T_CHECK(0, "program %d: interp %#x, kernel ret %ld errno %d killed %d",
					i, want, k.ret, k.err, k.killed);
		}
	}
	T_CHECK(compared >= 100, "only %d programs compared", compared);
	t_end();
}

static void test_interp_vs_kernel_jumps(void)
{
	/* 64-bit argument split into words, compared with jgt/jge/jset leaves */
	struct sock_filter f[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 0),
		J(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 1, 0),
		S(BPF_RET | BPF_K, ALLOW),
		S(BPF_LD | BPF_W | BPF_ABS, OFF_ARG(0, 1)),
		J(BPF_JMP | BPF_JGT | BPF_K, 0x1, 4, 0),
		S(BPF_LD | BPF_W | BPF_ABS, OFF_ARG(0, 0)),
		J(BPF_JMP | BPF_JGE | BPF_K, 0x80000000u, 3, 0),
		J(BPF_JMP | BPF_JSET | BPF_K, 0x10, 3, 0),
		S(BPF_RET | BPF_K, ERR(11)),
		S(BPF_RET | BPF_K, ERR(12)),
		S(BPF_RET | BPF_K, ERR(13)),
		S(BPF_RET | BPF_K, ERR(14)),
	};
	static const uint64_t vals[] = { 0, 0x10, 0x80000000u, 0x7fffffffu, 0x100000000ull,
					 0x200000000ull, 0x1ffffffffull, ~0ull };
	int bad = 0;

	t_begin("interp_matches_kernel_jumps");
	for (size_t i = 0; i < N(vals); i++) {
		uint64_t args[6] = { vals[i], 0, 0, 0, 0, 0 };
		struct seccomp_data d = mkdata(SYS_getppid, arch_native()->token, vals[i], 0);
		uint32_t want = bpf_run(f, N(f), &d, NULL);
		struct kres k = kernel_run(f, N(f), args);

		if (!k.ok)
			continue;
		if ((k.ret != -1 || (uint32_t)k.err != (want & 0xffff)) && !bad++)
			T_CHECK(0, "arg %#llx: interp %#x kernel %ld/%d", (unsigned long long)vals[i],
				want, k.ret, k.err);
	}
	t_end();
}

/* --- disassembler output and assembler errors ------------------------------ */

static char *disasm_str(const struct sock_filter *f, size_t n, uint32_t token, int raw)
{
	struct bpf_disasm_opts o = { token, raw };
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return NULL;
	bpf_disasm(m, f, n, &o);
	fclose(m);
	return text;
}

static void test_disasm_comments(void)
{
	struct sock_filter f[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 4),
		J(BPF_JMP | BPF_JEQ | BPF_K, 0xc000003e, 2, 0),
		J(BPF_JMP | BPF_JEQ | BPF_K, 0x40000003, 6, 0),
		S(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		S(BPF_LD | BPF_W | BPF_ABS, 0),
		J(BPF_JMP | BPF_JEQ | BPF_K, 59, 0, 1),
		S(BPF_RET | BPF_K, ERR(1)),
		S(BPF_LD | BPF_W | BPF_ABS, OFF_ARG(1, 1)),
		S(BPF_RET | BPF_K, ALLOW),
		S(BPF_LD | BPF_W | BPF_ABS, 0),
		J(BPF_JMP | BPF_JEQ | BPF_K, 11, 0, 1),
		S(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 7),
		S(BPF_RET | BPF_K, SECCOMP_RET_LOG),
	};
	char *t0 = disasm_str(f, N(f), 0, 0);
	char *r0 = disasm_str(f, N(f), 0, 1);
	const char *t = t0 ? t0 : "", *r = r0 ? r0 : "";

	t_begin("disasm_comments");
	T_CHECK(strstr(t, "ld [4]") && strstr(t, "; arch"), "%s", t);
	T_CHECK(strstr(t, "; x86_64") && strstr(t, "; x86\n"), "arch names: %s", t);
	T_CHECK(strstr(t, "jeq #0x3b, L6, L7") && strstr(t, "; execve"), "%s", t);
	T_CHECK(strstr(t, "L7:\n"), "label line: %s", t);
	/* on the x86 path 11 is execve too */
	T_CHECK(strstr(t, "jeq #0xb, L11, L12") &&
		strstr(strstr(t, "jeq #0xb"), "; execve"), "%s", t);
	T_CHECK(strstr(t, "; args[1] hi"), "args word name: %s", t);
	T_CHECK(strstr(t, "; KILL_PROCESS") && strstr(t, "; ERRNO(1)") &&
		strstr(t, "; ALLOW") && strstr(t, "; TRACE(7)") && strstr(t, "; LOG"),
		"action names: %s", t);
	T_CHECK(strstr(r, "jeq #0x3b, +0, +1") && !strstr(r, "L7"), "raw: %s", r);
	t_end();
	free(t0);
	free(r0);
}

static void test_asm_plain(void)
{
	const char *src =
		"; a hand-written filter\n"
		"start:\n"
		"  ld [arch]\n"
		"  jeq #0xc000003e, ok      // x86_64\n"
		"  ret KILL_PROCESS\n"
		"ok: ld [nr]\n"
		"  jeq #39, deny, +0\n"
		"  jge #0x40000000, deny\n"
		"  ret ALLOW\n"
		"deny: ret ERRNO(13)\n";
	struct sock_filter want[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 4),
		J(BPF_JMP | BPF_JEQ | BPF_K, 0xc000003e, 1, 0),
		S(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		S(BPF_LD | BPF_W | BPF_ABS, 0),
		J(BPF_JMP | BPF_JEQ | BPF_K, 39, 2, 0),
		J(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 1, 0),
		S(BPF_RET | BPF_K, ALLOW),
		S(BPF_RET | BPF_K, ERR(13)),
	};
	struct bpf_prog p;
	struct muzzle_error err;
	int rc;

	t_begin("asm_plain_style");
	bpf_prog_init(&p);
	rc = bpf_asm(src, strlen(src), "x.bpf", &p, &err);
	T_EQ_I(rc, 0);
	T_CHECK(rc || (p.len == N(want) && same_prog(p.insns, want, N(want))),
		"assembled program differs (%zu insns)", p.len);
	bpf_prog_free(&p);
	t_end();
}

struct asm_err_case {
	const char *src;
	int line, col;
	const char *msg;
};

static void test_asm_errors(void)
{
	static const struct asm_err_case cases[] = {
		{ "ld [0]\nfoo #1\nret #0\n", 2, 1, "unknown instruction" },
		{ "ld [0]\n  jeq #1, nowhere\nret #0\n", 2, 11, "undefined label" },
		{ "a: ld [0]\n jeq #1, a, +0\nret #0\n", 2, 10, "backwards" },
		{ "ld [0]\nret #0x1ffffffff\n", 2, 6, "out-of-range" },
		{ "ld M[16]\nret #0\n", 1, 4, "scratch" },
		{ "ld [0]\nret ERRNO(70000)\n", 2, 5, "out of range" },
		{ "ld [0] extra\nret #0\n", 1, 8, "unexpected" },
		{ "x: ld [0]\nx: ret #0\n", 2, 1, "twice" },
		{ "", 0, 0, "no instructions" },
	};
	char name[40];

	for (size_t i = 0; i < N(cases); i++) {
		const struct asm_err_case *c = &cases[i];
		struct bpf_prog p;
		struct muzzle_error err;

		snprintf(name, sizeof(name), "asm_error_%zu", i);
		t_begin(name);
		bpf_prog_init(&p);
		memset(&err, 0, sizeof(err));
		T_CHECK(bpf_asm(c->src, strlen(c->src), "f.bpf", &p, &err) < 0, "accepted");
		T_EQ_I(err.line, c->line);
		if (c->line)
			T_EQ_I(err.col, c->col);
		T_CHECK(strstr(err.msg, c->msg) != NULL, "message '%s'", err.msg);
		T_EQ_S(err.file, "f.bpf");
		T_EQ_U(p.len, 0);
		bpf_prog_free(&p);
		t_end();
	}
}

static void test_asm_far_jump(void)
{
	static char src[8192];
	size_t o = 0;
	struct bpf_prog p;
	struct muzzle_error err;

	o += (size_t)snprintf(src + o, sizeof(src) - o, "jeq #1, far\n");
	for (int i = 0; i < 256; i++)
		o += (size_t)snprintf(src + o, sizeof(src) - o, "ld #%d\n", i);
	snprintf(src + o, sizeof(src) - o, "far: ret #0\n");
	t_begin("asm_far_conditional_jump");
	bpf_prog_init(&p);
	T_EQ_I(bpf_asm(src, strlen(src), NULL, &p, &err), -ERANGE);
	T_EQ_I(err.line, 1);
	T_EQ_I(err.col, 9);
	/* ja reaches any distance */
	src[0] = 'j'; memcpy(src, "ja     ", 7);
	T_EQ_I(bpf_asm(src, strlen(src), NULL, &p, &err), 0);
	T_CHECK(p.len == 258 && p.insns[0].k == 256, "ja k %u", p.len ? p.insns[0].k : 0);
	bpf_prog_free(&p);
	t_end();
}

/* --- raw format ------------------------------------------------------------ */

static void test_raw(void)
{
	struct sock_filter f[] = { S(BPF_LD | BPF_W | BPF_ABS, 0), RET_OK };
	static char big[(BPF_MAX_INSNS + 1) * 8];
	char buf[64];
	struct bpf_prog p;
	struct muzzle_error err;
	int pfd[2];
	ssize_t n = 0;

	t_begin("raw_read_write");
	bpf_prog_init(&p);
	if (pipe(pfd) == 0) {
		int rc = bpf_write_raw(pfd[1], f, N(f));

		T_EQ_I(rc, 0);
		close(pfd[1]);
		n = read(pfd[0], buf, sizeof(buf));
		close(pfd[0]);
	}
	T_EQ_I(n, 16);
	T_EQ_I(bpf_read_raw(buf, (size_t)n, &p, &err), 0);
	T_CHECK(p.len == 2 && same_prog(p.insns, f, 2), "read back differs");
	T_EQ_I(bpf_read_raw(buf, 0, &p, &err), -EINVAL);
	T_EQ_I(bpf_read_raw(buf, 12, &p, &err), -EINVAL);
	T_CHECK(strstr(err.msg, "multiple of 8") != NULL, "%s", err.msg);
	T_EQ_I(bpf_read_raw(big, sizeof(big), &p, &err), -E2BIG);
	T_EQ_I(bpf_read_raw(big, sizeof(big) - 8, &p, &err), 0);
	T_EQ_U(p.len, BPF_MAX_INSNS);
	bpf_prog_free(&p);
	t_end();
}

static void test_prog(void)
{
	struct bpf_prog a, b;
	int ok = 1, rc;

	t_begin("prog_emit_copy");
	bpf_prog_init(&a);
	for (int i = 0; i < 1000; i++)
		ok &= bpf_emit(&a, BPF_LD | BPF_IMM, 0, 0, (uint32_t)i) == i;
	T_CHECK(ok, "emit returns indexes");
	rc = bpf_prog_copy(&b, &a);
	T_EQ_I(rc, 0);
	T_CHECK(b.len == 1000 && b.insns[999].k == 999 && b.insns != a.insns, "copy");
	bpf_prog_free(&a);
	bpf_prog_free(&b);
	T_CHECK(a.insns == NULL && a.len == 0, "free resets");
	t_end();
}

int main(void)
{
	test_loads();
	test_alu();
	test_alu_edges();
	test_jumps();
	test_ja_and_faults();
	test_traced();
	test_const_allow();
	test_verifier();
	test_verifier_lengths();
	test_roundtrip();
	test_verifier_vs_kernel();
	test_interp_vs_kernel();
	test_interp_vs_kernel_jumps();
	test_disasm_comments();
	test_asm_plain();
	test_asm_errors();
	test_asm_far_jump();
	test_raw();
	test_prog();
	return t_done();
}
