/* policy_eval: one case per semantic rule of policy.h / docs/semantics.md. */
#include "harness.h"
#include "policy/eval.h"

#define X86_64 0xc000003eu
#define I386 0x40000003u
#define ERR(e) POLICY_ACT_ERRNO(e)

static int sys(const char *name)
{
	return arch_syscall_id(name);
}

static uint32_t nr_of(enum arch_id abi, const char *name)
{
	return (uint32_t)arch_syscall_nr(abi, sys(name));
}

static struct seccomp_data data(uint32_t arch, uint32_t nr, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d;

	memset(&d, 0, sizeof(d));
	d.arch = arch;
	d.nr = (int)nr;
	d.args[0] = a0;
	d.args[1] = a1;
	return d;
}

static void add(struct policy *p, uint32_t action, const char *name, unsigned arg,
		enum policy_op op, uint64_t datum, uint64_t mask)
{
	struct policy_rule r;
	struct muzzle_error err;

	policy_rule_init(&r, action, sys(name));
	if (op)
		policy_rule_add_cond(&r, arg, op, datum, mask);
	if (policy_add_rule(p, &r, &err))
		T_CHECK(0, "add rule %s: %s", name, err.msg);
}

static struct policy_verdict ev(const struct policy *p, uint32_t arch, uint32_t nr,
				uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = data(arch, nr, a0, a1);

	return policy_eval(p, &d);
}

static void test_arch(void)
{
	struct policy p;
	struct policy_verdict v;
	uint32_t w64 = nr_of(ARCH_X86_64, "write"), w32 = nr_of(ARCH_X32, "write");

	t_begin("eval_bad_arch");
	policy_init(&p, POLICY_ACT_ALLOW);
	p.arches = ARCH_MASK(ARCH_X86_64);
	p.badarch_action = POLICY_ACT_KILL_PROCESS;
	v = ev(&p, I386, 4, 0, 0);
	T_EQ_U(v.action, POLICY_ACT_KILL_PROCESS);
	T_EQ_I(v.rule, POLICY_RULE_BADARCH);
	v = ev(&p, 0x12345678, 1, 0, 0);
	T_EQ_I(v.rule, POLICY_RULE_BADARCH);
	v = ev(&p, X86_64, w64, 0, 0);
	T_EQ_I(v.rule, POLICY_RULE_DEFAULT);
	t_end();

	t_begin("eval_x32_bit");
	T_CHECK(w32 == (w64 | ARCH_X32_SYSCALL_BIT), "x32 write %#x", w32);
	/* x86_64 only: a call with the x32 bit is another ABI, not covered */
	v = ev(&p, X86_64, w32, 0, 0);
	T_EQ_I(v.rule, POLICY_RULE_BADARCH);
	v = ev(&p, X86_64, 0xffffffffu, 0, 0);	/* nr -1 carries the bit too */
	T_EQ_I(v.rule, POLICY_RULE_BADARCH);
	p.arches |= ARCH_MASK(ARCH_X32);
	add(&p, ERR(5), "write", 0, 0, 0, 0);
	v = ev(&p, X86_64, w32, 0, 0);
	T_EQ_U(v.action, ERR(5));
	T_EQ_I(v.rule, 0);
	v = ev(&p, X86_64, w64, 0, 0);
	T_EQ_U(v.action, ERR(5));
	/* the x32 number without the bit is x86_64's number of another call */
	v = ev(&p, X86_64, w32 + 1, 0, 0);
	T_EQ_I(v.rule, POLICY_RULE_DEFAULT);
	policy_free(&p);
	t_end();
}

static void test_precedence(void)
{
	struct policy p;
	struct policy_verdict v;
	uint32_t rd = nr_of(ARCH_X86_64, "read");

	policy_init(&p, POLICY_ACT_ALLOW);
	p.arches = ARCH_MASK(ARCH_X86_64);
	add(&p, POLICY_ACT_KILL_PROCESS, "read", 0, POLICY_OP_EQ, 1, 0);	/* 0 */
	add(&p, ERR(1), "read", 0, 0, 0, 0);					/* 1 */
	add(&p, ERR(2), "read", 0, 0, 0, 0);					/* 2 */
	t_begin("eval_first_unconditional_wins");
	v = ev(&p, X86_64, rd, 1, 0);	/* even over a stricter matching conditional */
	T_EQ_U(v.action, ERR(1));
	T_EQ_I(v.rule, 1);
	t_end();
	policy_free(&p);

	policy_init(&p, POLICY_ACT_ALLOW);
	p.arches = ARCH_MASK(ARCH_X86_64);
	add(&p, ERR(3), "read", 0, POLICY_OP_GE, 10, 0);			/* 0 */
	add(&p, POLICY_ACT_TRAP, "read", 0, POLICY_OP_GE, 20, 0);		/* 1 */
	add(&p, ERR(4), "read", 1, POLICY_OP_EQ, 7, 0);				/* 2 */
	add(&p, POLICY_ACT_LOG, "read", 0, POLICY_OP_EQ, 15, 0);		/* 3 */
	t_begin("eval_strictest_conditional");
	v = ev(&p, X86_64, rd, 25, 0);
	T_EQ_U(v.action, POLICY_ACT_TRAP);
	T_EQ_I(v.rule, 1);
	v = ev(&p, X86_64, rd, 15, 0);	/* ERRNO beats LOG */
	T_EQ_U(v.action, ERR(3));
	T_EQ_I(v.rule, 0);
	t_end();
	t_begin("eval_tie_first_added");
	v = ev(&p, X86_64, rd, 12, 7);	/* ERRNO(3) and ERRNO(4) both match */
	T_EQ_U(v.action, ERR(3));
	T_EQ_I(v.rule, 0);
	v = ev(&p, X86_64, rd, 1, 7);
	T_EQ_U(v.action, ERR(4));
	T_EQ_I(v.rule, 2);
	t_end();
	t_begin("eval_default_when_nothing_matches");
	v = ev(&p, X86_64, rd, 1, 1);
	T_EQ_U(v.action, POLICY_ACT_ALLOW);
	T_EQ_I(v.rule, POLICY_RULE_DEFAULT);
	v = ev(&p, X86_64, nr_of(ARCH_X86_64, "write"), 25, 7);
	T_EQ_I(v.rule, POLICY_RULE_DEFAULT);
	t_end();
	policy_free(&p);
}

struct op_case {
	enum policy_op op;
	uint64_t datum, mask, arg;
	int match;
};

static void test_ops(void)
{
	static const struct op_case cases[] = {
		{ POLICY_OP_EQ, 5, 0, 5, 1 }, { POLICY_OP_EQ, 5, 0, 0x100000005ull, 0 },
		{ POLICY_OP_NE, 5, 0, 5, 0 }, { POLICY_OP_NE, 5, 0, 6, 1 },
		{ POLICY_OP_LT, 5, 0, 4, 1 }, { POLICY_OP_LT, 5, 0, 5, 0 },
		{ POLICY_OP_LE, 5, 0, 5, 1 }, { POLICY_OP_LE, 5, 0, 6, 0 },
		{ POLICY_OP_GT, 5, 0, 6, 1 }, { POLICY_OP_GT, 5, 0, 5, 0 },
		{ POLICY_OP_GE, 5, 0, 5, 1 }, { POLICY_OP_GE, 5, 0, 4, 0 },
		{ POLICY_OP_GT, 0xffffffffull, 0, 0x100000000ull, 1 },	/* unsigned 64-bit */
		{ POLICY_OP_LT, 1, 0, ~0ull, 0 },
		{ POLICY_OP_MASKED_EQ, 0x10, 0xf0, 0x1f, 1 },
		{ POLICY_OP_MASKED_EQ, 0x10, 0xf0, 0x2f, 0 },
		{ POLICY_OP_MASKED_EQ, 0x1, 0xf0, 0x1, 0 },	/* datum outside mask */
		{ POLICY_OP_MASKED_NE, 0x10, 0xf0, 0x2f, 1 },
		{ POLICY_OP_MASKED_NE, 0x10, 0xf0, 0x1f, 0 },
	};
	char name[48];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct op_case *c = &cases[i];
		struct policy p;
		struct policy_verdict v;

		snprintf(name, sizeof(name), "eval_op_%zu_%s", i, policy_op_str(c->op));
		t_begin(name);
		policy_init(&p, POLICY_ACT_ALLOW);
		p.arches = ARCH_MASK(ARCH_X86_64);
		add(&p, ERR(9), "read", 2, c->op, c->datum, c->mask);
		{
			struct seccomp_data d = data(X86_64, nr_of(ARCH_X86_64, "read"), 0, 0);

			d.args[2] = c->arg;
			v = policy_eval(&p, &d);
		}
		T_EQ_U(v.action, c->match ? ERR(9) : POLICY_ACT_ALLOW);
		policy_free(&p);
		t_end();
	}
}

static void test_32bit(void)
{
	struct policy p;
	struct policy_verdict v;
	uint32_t rd32 = nr_of(ARCH_X86, "read"), rd64 = nr_of(ARCH_X86_64, "read");

	t_begin("eval_32bit_abi_low_words");
	policy_init(&p, POLICY_ACT_ALLOW);
	p.arches = ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_X86_64);
	add(&p, ERR(1), "read", 0, POLICY_OP_EQ, 0x100000005ull, 0);
	add(&p, ERR(2), "read", 1, POLICY_OP_MASKED_EQ, 0x1, 0x100000001ull);
	v = ev(&p, I386, rd32, 5, 0);			/* datum truncated to 5 */
	T_EQ_U(v.action, ERR(1));
	v = ev(&p, I386, rd32, 0xffffffff00000005ull, 0);	/* arg high half ignored */
	T_EQ_U(v.action, ERR(1));
	v = ev(&p, X86_64, rd64, 5, 0);			/* 64-bit: whole value */
	T_EQ_U(v.action, POLICY_ACT_ALLOW);
	v = ev(&p, X86_64, rd64, 0x100000005ull, 0);
	T_EQ_U(v.action, ERR(1));
	v = ev(&p, I386, rd32, 0, 0x100000001ull);	/* mask truncated too */
	T_EQ_U(v.action, ERR(2));
	v = ev(&p, I386, rd32, 0, 0x100000000ull);
	T_EQ_U(v.action, POLICY_ACT_ALLOW);
	policy_free(&p);
	t_end();
}

static void test_raw_and_abis(void)
{
	struct policy p;
	struct policy_rule r;
	struct policy_verdict v;
	struct muzzle_error err;

	t_begin("eval_raw_number_rule");
	policy_init(&p, POLICY_ACT_ALLOW);
	p.arches = ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_X86_64);
	policy_rule_init(&r, ERR(7), POLICY_SYS_NR);
	r.nr = 999;
	r.abis = ARCH_MASK(ARCH_X86_64);
	T_EQ_I(policy_add_rule(&p, &r, &err), 0);
	v = ev(&p, X86_64, 999, 0, 0);
	T_EQ_U(v.action, ERR(7));
	v = ev(&p, I386, 999, 0, 0);		/* not on x86 */
	T_EQ_U(v.action, POLICY_ACT_ALLOW);
	t_end();

	t_begin("eval_rule_abis_restriction");
	policy_rule_init(&r, ERR(8), sys("read"));
	r.abis = ARCH_MASK(ARCH_X86);
	T_EQ_I(policy_add_rule(&p, &r, &err), 0);
	v = ev(&p, I386, nr_of(ARCH_X86, "read"), 0, 0);
	T_EQ_U(v.action, ERR(8));
	v = ev(&p, X86_64, nr_of(ARCH_X86_64, "read"), 0, 0);
	T_EQ_U(v.action, POLICY_ACT_ALLOW);
	t_end();
	policy_free(&p);
}

static void test_mux(void)
{
	struct policy p;
	struct policy_rule r;
	struct policy_verdict v;
	struct muzzle_error err;
	const struct arch_desc *x86 = arch_get(ARCH_X86);
	uint32_t sc = (uint32_t)x86->socketcall_nr, ipc = (uint32_t)x86->ipc_nr, call = 0;

	t_begin("eval_socketcall_routing");
	T_EQ_I(arch_mux_lookup(ARCH_X86, sys("socket"), &call), ARCH_MUX_SOCKETCALL);
	T_EQ_U(call, 1);
	policy_init(&p, POLICY_ACT_ALLOW);
	p.arches = ARCH_MASK(ARCH_X86);
	add(&p, ERR(1), "socket", 0, 0, 0, 0);				/* 0 */
	policy_rule_init(&r, ERR(2), sys("bind"));			/* 1: exact */
	r.flags = POLICY_RULE_EXACT;
	T_EQ_I(policy_add_rule(&p, &r, &err), 0);
	add(&p, POLICY_ACT_KILL_PROCESS, "connect", 0, POLICY_OP_EQ, 2, 0);	/* 2 */
	add(&p, POLICY_ACT_ALLOW, "listen", 1, POLICY_OP_EQ, 5, 0);		/* 3 */
	v = ev(&p, I386, sc, 1, 0);			/* socketcall(SYS_SOCKET) */
	T_EQ_U(v.action, ERR(1));
	T_EQ_I(v.rule, 0);
	v = ev(&p, I386, sc, 0x100000001ull, 0);	/* the kernel uses the low 32 bits */
	T_EQ_U(v.action, ERR(1));
	v = ev(&p, I386, nr_of(ARCH_X86, "socket"), 0, 0);	/* the direct call */
	T_EQ_U(v.action, ERR(1));
	v = ev(&p, I386, sc, 2, 0);			/* SYS_BIND: rule is exact */
	T_EQ_U(v.action, POLICY_ACT_ALLOW);
	v = ev(&p, I386, nr_of(ARCH_X86, "bind"), 0, 0);
	T_EQ_U(v.action, ERR(2));
	t_end();

	t_begin("eval_mux_conditional_fails_closed");
	/* connect's condition cannot be seen through socketcall: KILL is
	 * stricter than the default, so the rule counts as matching */
	v = ev(&p, I386, sc, 3, 0);
	T_EQ_U(v.action, POLICY_ACT_KILL_PROCESS);
	T_EQ_I(v.rule, 2);
	v = ev(&p, I386, nr_of(ARCH_X86, "connect"), 3, 0);	/* direct: checked */
	T_EQ_U(v.action, POLICY_ACT_ALLOW);
	/* ALLOW is not stricter than the default: no match through the mux */
	v = ev(&p, I386, sc, 4, 5);
	T_EQ_U(v.action, POLICY_ACT_ALLOW);
	T_EQ_I(v.rule, POLICY_RULE_DEFAULT);
	v = ev(&p, I386, sc, 99, 0);		/* no such call */
	T_EQ_I(v.rule, POLICY_RULE_DEFAULT);
	policy_free(&p);
	t_end();

	t_begin("eval_ipc_routing");
	T_EQ_I(arch_mux_lookup(ARCH_X86, sys("shmget"), &call), ARCH_MUX_IPC);
	policy_init(&p, POLICY_ACT_ALLOW);
	p.arches = ARCH_MASK(ARCH_X86);
	add(&p, ERR(3), "shmget", 0, 0, 0, 0);
	v = ev(&p, I386, ipc, call, 0);
	T_EQ_U(v.action, ERR(3));
	v = ev(&p, I386, ipc, call | 0x10000, 0);	/* version bits ignored */
	T_EQ_U(v.action, ERR(3));
	v = ev(&p, I386, ipc, call + 1, 0);
	T_EQ_U(v.action, POLICY_ACT_ALLOW);
	v = ev(&p, X86_64, nr_of(ARCH_X86_64, "shmget"), 0, 0);	/* x86 only policy */
	T_EQ_I(v.rule, POLICY_RULE_BADARCH);
	policy_free(&p);
	t_end();
}

int main(void)
{
	if (arch_syscall_id("read") < 0) {
		t_skip("eval", "no syscall tables");
		return t_done();
	}
	test_arch();
	test_precedence();
	test_ops();
	test_32bit();
	test_raw_and_abis();
	test_mux();
	return t_done();
}
