/* equiv_check / equiv_diff: equal and unequal pairs of policies and BPF
 * programs; every witness is re-evaluated and must really differ. */
#include "harness.h"
#include "policy/equiv.h"
#include "policy/eval.h"
#include "compile/compile.h"

#include <errno.h>

#define X86_64 0xc000003eu
#define ERR(e) POLICY_ACT_ERRNO(e)
#define S(c, k) BPF_STMT(c, k)
#define J(c, k, t, f) BPF_JUMP(c, k, t, f)
#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t side_eval(const struct equiv_side *s, const struct seccomp_data *d)
{
	if (s->policy)
		return policy_eval(s->policy, d).action;
	return bpf_run(s->prog, s->prog_len, d, NULL);
}

static void check_witness(const struct equiv_side *a, const struct equiv_side *b,
			  const struct equiv_result *r)
{
	uint32_t x = side_eval(a, &r->witness), y = side_eval(b, &r->witness);

	T_CHECK(x != y, "witness does not differ (%#x)", x);
	T_EQ_U(x, r->action_a);
	T_EQ_U(y, r->action_b);
}

static struct equiv_side pol(const struct policy *p)
{
	struct equiv_side s = { p, NULL, 0 };
	return s;
}

static struct equiv_side prog(const struct sock_filter *f, size_t n)
{
	struct equiv_side s = { NULL, f, n };
	return s;
}

/* x86_64 only, kill on another arch, read(a0 == 0x100000005) -> ERRNO(1) */
static void base_policy(struct policy *p, uint64_t datum, uint32_t act)
{
	struct policy_rule r;
	struct muzzle_error err;

	policy_init(p, POLICY_ACT_ALLOW);
	p->arches = ARCH_MASK(ARCH_X86_64);
	p->badarch_action = POLICY_ACT_KILL_PROCESS;
	policy_rule_init(&r, act, arch_syscall_id("read"));
	policy_rule_add_cond(&r, 0, POLICY_OP_EQ, datum, 0);
	policy_add_rule(p, &r, &err);
	policy_rule_init(&r, ERR(13), arch_syscall_id("ptrace"));
	policy_add_rule(p, &r, &err);
}

/* The same policy written by hand in BPF; check_hi = 0 forgets the high word. */
static size_t base_prog(struct sock_filter *f, int check_hi, int check_x32)
{
	struct sock_filter p[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 4),
		J(BPF_JMP | BPF_JEQ | BPF_K, X86_64, 1, 0),
		S(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		S(BPF_LD | BPF_W | BPF_ABS, 0),
		J(BPF_JMP | BPF_JGE | BPF_K, check_x32 ? 0x40000000u : 0xffffffffu, 0, 1),
		S(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		J(BPF_JMP | BPF_JEQ | BPF_K, 101, 8, 0),		/* ptrace */
		J(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 6),			/* read */
		S(BPF_LD | BPF_W | BPF_ABS, 20),
		J(BPF_JMP | BPF_JEQ | BPF_K, check_hi ? 1 : 0, 0, 4),
		S(BPF_JMP | BPF_JA, check_hi ? 0 : 0),
		S(BPF_LD | BPF_W | BPF_ABS, 16),
		J(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1),
		S(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		S(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 13),
	};
	memcpy(f, p, sizeof(p));
	if (!check_hi)	/* make the high-word test always true */
		f[9] = (struct sock_filter)J(BPF_JMP | BPF_JGE | BPF_K, 0, 0, 4);
	return N(p);
}

static void test_policy_pairs(void)
{
	struct policy a, b, c;
	struct equiv_side sa, sb, sc;
	struct equiv_result r;

	base_policy(&a, 0x100000005ull, ERR(1));
	base_policy(&b, 0x100000005ull, ERR(1));
	base_policy(&c, 0x100000005ull, ERR(2));
	sa = pol(&a);
	sb = pol(&b);
	sc = pol(&c);
	t_begin("equiv_policy_equal");
	T_EQ_I(equiv_check(&sa, &sb, &r), 0);
	T_EQ_I(r.equal, 1);
	T_CHECK(r.inputs > 500, "only %lu inputs", r.inputs);
	t_end();
	t_begin("equiv_policy_differs_in_argument_rule");
	T_EQ_I(equiv_check(&sa, &sc, &r), 0);
	T_EQ_I(r.equal, 0);
	check_witness(&sa, &sc, &r);
	T_EQ_U(r.witness.args[0], 0x100000005ull);
	t_end();
	policy_free(&c);
	base_policy(&c, 0x200000005ull, ERR(1));
	t_begin("equiv_policy_differs_in_high_word");
	T_EQ_I(equiv_check(&sa, &sc, &r), 0);
	T_EQ_I(r.equal, 0);
	check_witness(&sa, &sc, &r);
	t_end();
	policy_free(&a);
	policy_free(&b);
	policy_free(&c);
}

static void test_bpf_vs_policy(void)
{
	struct sock_filter good[20], nohi[20], nox32[20];
	size_t ng = base_prog(good, 1, 1), nh = base_prog(nohi, 0, 1);
	size_t nx = base_prog(nox32, 1, 0);
	struct policy p;
	struct equiv_side sp, sg, sh, sx;
	struct equiv_result r;

	base_policy(&p, 0x100000005ull, ERR(1));
	sp = pol(&p);
	sg = prog(good, ng);
	sh = prog(nohi, nh);
	sx = prog(nox32, nx);
	t_begin("equiv_bpf_matches_policy");
	T_EQ_I(bpf_verify(good, ng, NULL), 0);
	T_EQ_I(equiv_check(&sp, &sg, &r), 0);
	T_CHECK(r.equal, "differs at nr %d arch %#x a0 %#llx: %#x vs %#x", r.witness.nr,
		r.witness.arch, (unsigned long long)r.witness.args[0], r.action_a, r.action_b);
	t_end();
	t_begin("equiv_bpf_ignoring_high_word");
	T_EQ_I(equiv_check(&sp, &sh, &r), 0);
	T_EQ_I(r.equal, 0);
	check_witness(&sp, &sh, &r);
	T_EQ_U(r.witness.args[0] & 0xffffffffu, 5);
	T_CHECK(r.witness.args[0] >> 32 != 1, "high word %#llx",
		(unsigned long long)(r.witness.args[0] >> 32));
	t_end();
	t_begin("equiv_bpf_missing_x32_check");
	T_EQ_I(equiv_check(&sp, &sx, &r), 0);
	T_EQ_I(r.equal, 0);
	check_witness(&sp, &sx, &r);
	T_CHECK((uint32_t)r.witness.nr >= 0x40000000u, "nr %#x", (uint32_t)r.witness.nr);
	t_end();
	t_begin("equiv_bpf_vs_bpf");
	T_EQ_I(equiv_check(&sg, &sg, &r), 0);
	T_EQ_I(r.equal, 1);
	T_EQ_I(equiv_check(&sg, &sh, &r), 0);
	T_EQ_I(r.equal, 0);
	check_witness(&sg, &sh, &r);
	t_end();
	policy_free(&p);
}

static void test_masked(void)
{
	/* (a1 & 0xf0) == 0x30 -> ERRNO(1), written two ways, then a wrong mask */
	struct sock_filter a[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 24), S(BPF_ALU | BPF_AND | BPF_K, 0xf0),
		J(BPF_JMP | BPF_JEQ | BPF_K, 0x30, 0, 1),
		S(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1), S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter b[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 24), J(BPF_JMP | BPF_JSET | BPF_K, 0xc0, 4, 0),
		J(BPF_JMP | BPF_JSET | BPF_K, 0x30, 0, 3), S(BPF_ALU | BPF_RSH | BPF_K, 4),
		S(BPF_ALU | BPF_AND | BPF_K, 3), J(BPF_JMP | BPF_JEQ | BPF_K, 3, 1, 0),
		S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), S(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
	};
	struct sock_filter c[N(a)];
	struct equiv_side sa = prog(a, N(a)), sb = prog(b, N(b)), sc;
	struct equiv_result r;

	memcpy(c, a, sizeof(a));
	c[1].k = 0x70;	/* one mask bit more */
	sc = prog(c, N(c));
	t_begin("equiv_masked_two_ways_equal");
	T_EQ_I(equiv_check(&sa, &sb, &r), 0);
	T_CHECK(r.equal, "a1 %#llx: %#x vs %#x", (unsigned long long)r.witness.args[1],
		r.action_a, r.action_b);
	t_end();
	t_begin("equiv_masked_one_bit_differs");
	T_EQ_I(equiv_check(&sa, &sc, &r), 0);
	T_EQ_I(r.equal, 0);
	check_witness(&sa, &sc, &r);
	t_end();
}

/* s390x is big-endian: its kernel shows args[0]'s high half at offset 16 */
static void test_big_endian(void)
{
	const struct arch_desc *s390x = arch_get(ARCH_S390X);
	uint32_t rd = (uint32_t)arch_syscall_nr(ARCH_S390X, arch_syscall_id("read"));
	struct sock_filter f[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 4),
		J(BPF_JMP | BPF_JEQ | BPF_K, s390x->token, 1, 0),
		S(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		S(BPF_LD | BPF_W | BPF_ABS, 0),
		J(BPF_JMP | BPF_JEQ | BPF_K, rd, 0, 5),
		S(BPF_LD | BPF_W | BPF_ABS, 16),		/* high half on s390x */
		J(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 3),
		S(BPF_LD | BPF_W | BPF_ABS, 20),
		J(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1),
		S(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct policy p;
	struct policy_rule r;
	struct muzzle_error err;
	struct equiv_side sp, sb = prog(f, N(f));
	struct equiv_result res;

	policy_init(&p, POLICY_ACT_ALLOW);
	p.arches = ARCH_MASK(ARCH_S390X);
	p.badarch_action = POLICY_ACT_KILL_PROCESS;
	policy_rule_init(&r, ERR(1), arch_syscall_id("read"));
	policy_rule_add_cond(&r, 0, POLICY_OP_EQ, 0x100000005ull, 0);
	policy_add_rule(&p, &r, &err);
	sp = pol(&p);
	t_begin("equiv_big_endian_abi_layout");
	T_EQ_I(equiv_check(&sp, &sb, &res), 0);
	T_CHECK(res.equal, "a0 %#llx: %#x vs %#x", (unsigned long long)res.witness.args[0],
		res.action_a, res.action_b);
	f[5].k = 20;	/* the little-endian offsets are wrong on s390x */
	f[7].k = 16;
	T_EQ_I(equiv_check(&sp, &sb, &res), 0);
	T_EQ_I(res.equal, 0);
	t_end();
	policy_free(&p);
}

struct diffs {
	const struct equiv_side *a, *b;
	int n, bad;
};

static int count_diff(void *ctx, const struct seccomp_data *w, uint32_t x, uint32_t y)
{
	struct diffs *d = ctx;

	d->n++;
	if (side_eval(d->a, w) != x || side_eval(d->b, w) != y || x == y)
		d->bad++;
	return 0;
}

static int stop_first(void *ctx, const struct seccomp_data *w, uint32_t x, uint32_t y)
{
	(void)w;
	(void)x;
	(void)y;
	++*(int *)ctx;
	return 7;
}

static void test_diff(void)
{
	struct policy a, b;
	struct policy_rule r;
	struct muzzle_error err;
	struct equiv_side sa, sb;
	struct diffs d = { NULL, NULL, 0, 0 };
	const char *names[] = { "openat", "mkdir", "unlink" };
	int calls = 0;

	policy_init(&a, POLICY_ACT_ALLOW);
	policy_init(&b, POLICY_ACT_ALLOW);
	a.arches = b.arches = ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86);
	for (int i = 0; i < 3; i++) {
		policy_rule_init(&r, ERR(1), arch_syscall_id(names[i]));
		policy_add_rule(&b, &r, &err);
	}
	sa = pol(&a);
	sb = pol(&b);
	d.a = &sa;
	d.b = &sb;
	t_begin("equiv_diff_every_difference");
	T_EQ_I(equiv_diff(&sa, &sb, count_diff, &d), 0);
	T_EQ_I(d.n, 6);		/* three calls on two ABIs */
	T_EQ_I(d.bad, 0);
	T_EQ_I(equiv_diff(&sa, &sb, stop_first, &calls), 7);
	T_EQ_I(calls, 1);
	t_end();
	policy_free(&a);
	policy_free(&b);
}

static uint32_t rng(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

static void random_policy(uint64_t *s, struct policy *p)
{
	static const char *const names[] = { "read", "write", "socket", "connect", "shmget",
					     "openat", "ioctl", "clone", "mmap", "kill" };
	static const uint32_t acts[] = { POLICY_ACT_ALLOW, ERR(1), ERR(2), POLICY_ACT_TRAP,
					 POLICY_ACT_KILL_PROCESS, POLICY_ACT_LOG };
	static const uint64_t vals[] = { 0, 1, 5, 0xff, 0x80000000ull, 0xffffffffull,
					 0x100000000ull, 0x100000005ull, ~0ull };
	uint32_t arches[] = { ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_X32),
			      ARCH_MASK(ARCH_AARCH64) | ARCH_MASK(ARCH_ARM),
			      ARCH_MASK(ARCH_S390X) | ARCH_MASK(ARCH_S390) | ARCH_MASK(ARCH_X86_64) };
	int nrules = 1 + (int)(rng(s) % 8);

	policy_init(p, acts[rng(s) % 3]);
	p->arches = arches[rng(s) % 3];
	p->badarch_action = rng(s) % 2 ? POLICY_ACT_KILL_PROCESS : POLICY_ACT_KILL_THREAD;
	for (int i = 0; i < nrules; i++) {
		struct policy_rule r;
		struct muzzle_error err;
		int nc = (int)(rng(s) % 3);

		policy_rule_init(&r, acts[rng(s) % 6], arch_syscall_id(names[rng(s) % 10]));
		for (int c = 0; c < nc; c++)
			policy_rule_add_cond(&r, rng(s) % 3, (enum policy_op)(1 + rng(s) % 8),
					     vals[rng(s) % 9], vals[rng(s) % 9] | 0xf0);
		if (rng(s) % 8 == 0)
			r.flags = POLICY_RULE_EXACT;
		policy_add_rule(p, &r, &err);
	}
}

/* The compiler and the reference evaluator check each other. */
static void test_compiler_matches_eval(void)
{
	uint64_t s = 99;
	int compiled = 0, reported = 0;

	t_begin("equiv_compiled_random_policies_match_eval");
	for (int i = 0; i < 300; i++) {
		struct policy p;
		struct bpf_prog b;
		struct muzzle_error err;
		struct equiv_side sp, sb;
		struct equiv_result r;

		random_policy(&s, &p);
		bpf_prog_init(&b);
		if (compile_policy(&p, NULL, &b, NULL, &err) == 0) {
			compiled++;
			sp = pol(&p);
			sb = prog(b.insns, b.len);
			if (equiv_check(&sp, &sb, &r) || !r.equal) {
				if (!reported++)
					T_CHECK(0, "policy %d: arch %#x nr %d a0 %#llx a1 %#llx a2 "
						"%#llx: eval %#x, compiled %#x", i, r.witness.arch,
						r.witness.nr,
						(unsigned long long)r.witness.args[0],
						(unsigned long long)r.witness.args[1],
						(unsigned long long)r.witness.args[2],
						r.action_a, r.action_b);
			}
		}
		bpf_prog_free(&b);
		policy_free(&p);
	}
	T_CHECK(compiled >= 250, "only %d of 300 policies compiled", compiled);
	T_CHECK(reported == 0, "%d of %d compiled policies differ", reported, compiled);
	t_end();
}

static void test_bad_sides(void)
{
	struct sock_filter bad[] = { S(BPF_LD | BPF_W | BPF_ABS, 0) };	/* no ret */
	struct policy p;
	struct equiv_side sp, sb = prog(bad, N(bad)), none = { NULL, NULL, 0 };
	struct equiv_result r;

	policy_init(&p, POLICY_ACT_ALLOW);
	sp = pol(&p);
	t_begin("equiv_rejects_bad_sides");
	T_EQ_I(equiv_check(&sp, &sb, &r), -EINVAL);
	T_EQ_I(equiv_check(&sp, &none, &r), -EINVAL);
	t_end();
	policy_free(&p);
}

int main(void)
{
	if (arch_syscall_id("read") < 0) {
		t_skip("equiv", "no syscall tables");
		return t_done();
	}
	test_policy_pairs();
	test_bpf_vs_policy();
	test_masked();
	test_big_endian();
	test_diff();
	test_compiler_matches_eval();
	test_bad_sides();
	return t_done();
}
