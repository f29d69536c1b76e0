/* The compiler against the reference evaluator: hand-written cases for each
 * semantic rule, randomized policies over all ABIs, long jumps and the size
 * limit, the constant-action cache property, path lengths, and a live check
 * of compiled filters in forked children. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stddef.h>

#include "harness.h"
#include "compile/compile.h"
#include "format.h"
#include "load/load.h"
#include "policy/equiv.h"
#include "policy/eval.h"

#define ERR(n) POLICY_ACT_ERRNO(n)
#define ALLOW POLICY_ACT_ALLOW
#define SOCKETCALL_MASK 0xffffffffu

/* --- small helpers ---------------------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static unsigned rndn(struct rng *r, unsigned n)
{
	return (unsigned)(rnd(r) % n);
}

static int sys_id(const char *name)
{
	int id = arch_syscall_id(name);

	if (id < 0) {
		printf("# unknown syscall %s\n", name);
		abort();
	}
	return id;
}

static void add_rule(struct policy *p, uint32_t action, const char *name, uint32_t abis)
{
	struct policy_rule r;

	policy_rule_init(&r, action, sys_id(name));
	r.abis = abis;
	if (policy_add_rule(p, &r, NULL))
		abort();
}

static void add_rule1(struct policy *p, uint32_t action, const char *name, unsigned arg,
		      enum policy_op op, uint64_t datum, uint64_t mask)
{
	struct policy_rule r;

	policy_rule_init(&r, action, sys_id(name));
	policy_rule_add_cond(&r, arg, op, datum, mask);
	if (policy_add_rule(p, &r, NULL))
		abort();
}

static uint32_t nr_of(enum arch_id abi, const char *name)
{
	return (uint32_t)arch_syscall_nr(abi, sys_id(name));
}

/* Run the filter as the kernel of that ABI would: on big-endian ABIs the
 * 32-bit word at the lower offset of an argument is its high half, so the
 * halves are swapped for this little-endian host's interpreter. */
static uint32_t run_as(const struct bpf_prog *prog, const struct seccomp_data *d, unsigned *steps)
{
	const struct arch_desc *a = arch_for_data(d->arch, (uint32_t)d->nr);
	struct seccomp_data h = *d;

	if (a && a->big_endian)
		for (int i = 0; i < 6; i++)
			h.args[i] = (d->args[i] << 32) | (d->args[i] >> 32);
	return bpf_run(prog->insns, prog->len, &h, steps);
}

static struct seccomp_data data(enum arch_id abi, uint32_t nr, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch_get(abi)->token };

	d.args[0] = a0;
	d.args[1] = a1;
	return d;
}

static int compile_ok(const struct policy *p, struct bpf_prog *prog, struct compile_stats *st)
{
	struct muzzle_error err = { 0 };
	char buf[800];
	int rc;

	bpf_prog_init(prog);
	rc = compile_policy(p, NULL, prog, st, &err);
	if (!T_CHECK(rc == 0, "compile: %s", muzzle_error_format(&err, buf, sizeof(buf))))
		return 0;
	rc = bpf_verify(prog->insns, prog->len, &err);
	return T_CHECK(rc == 0, "verify: %s", muzzle_error_format(&err, buf, sizeof(buf)));
}

/* one input through both; reports the first few differences */
static int same_verdict(const struct policy *p, const struct bpf_prog *prog,
			const struct seccomp_data *d, int *reported)
{
	uint32_t want = policy_eval(p, d).action, got = run_as(prog, d, NULL);

	if (want == got)
		return 1;
	if ((*reported)++ < 3)
		T_CHECK(0, "arch 0x%x nr 0x%x args %llx %llx %llx: bpf 0x%x, eval 0x%x", d->arch,
			d->nr, (unsigned long long)d->args[0], (unsigned long long)d->args[1],
			(unsigned long long)d->args[2], got, want);
	return 0;
}

/* --- exhaustive-ish comparison with policy_eval ----------------------------- */

struct vals {
	uint64_t v[512];
	size_t n;
};

static void vadd(struct vals *s, uint64_t x)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == x)
			return;
	if (s->n < sizeof(s->v) / sizeof(s->v[0]))
		s->v[s->n++] = x;
}

static void vadd_near(struct vals *s, uint64_t x)
{
	vadd(s, x - 1);
	vadd(s, x);
	vadd(s, x + 1);
	vadd(s, x ^ 0xffffffff00000000ull);
	vadd(s, (x << 32) | (x >> 32));
}

/* candidate values for each argument: every datum the policy compares with and
 * its neighbours, masks, multiplexer call numbers */
static void arg_candidates(const struct policy *p, struct vals *v)
{
	static const uint64_t fixed[] = { 0, 1, 2, 0xffffffffull, 0x100000000ull, ~0ull,
					  0x7fffffffull, 0x80000000ull, 0xffffffff00000000ull };

	for (int a = 0; a < 6; a++) {
		v[a].n = 0;
		for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
			vadd(&v[a], fixed[i]);
	}
	for (uint64_t c = 0; c < 26; c++) {
		vadd(&v[0], c);
		vadd(&v[0], c | 0x10000);
		vadd(&v[0], c | 0x100000000ull);
	}
	for (size_t i = 0; i < p->nrules; i++)
		for (unsigned j = 0; j < p->rules[i].ncond; j++) {
			const struct policy_cond *c = &p->rules[i].cond[j];
			struct vals *s = &v[c->arg];

			vadd_near(s, c->datum);
			if (c->op == POLICY_OP_MASKED_EQ || c->op == POLICY_OP_MASKED_NE) {
				vadd(s, c->datum | ~c->mask);
				vadd(s, c->datum ^ (c->mask & -c->mask));
				vadd(s, c->datum & c->mask);
				vadd(s, (c->datum & c->mask) ^ (1ull << 40));
			}
		}
}

static int rule_names(const struct policy_rule *r, enum arch_id abi, uint32_t nr)
{
	const struct arch_desc *d = arch_get(abi);
	uint32_t call;
	enum arch_mux_kind k;

	if (r->sys == POLICY_SYS_NR)
		return r->nr == nr;
	if (arch_syscall_nr(abi, r->sys) == (int32_t)nr)
		return 1;
	k = arch_mux_lookup(abi, r->sys, &call);
	return (k == ARCH_MUX_SOCKETCALL && (int32_t)nr == d->socketcall_nr) ||
	       (k == ARCH_MUX_IPC && (int32_t)nr == d->ipc_nr);
}

/* numbers worth trying on an ABI */
static size_t nr_candidates(const struct policy *p, enum arch_id abi, uint32_t *out, size_t cap)
{
	static const uint32_t fixed[] = { 0, 1, 0x3fffffff, 0x40000000, 0x40000001, 0x7fffffff,
					  0x80000000, 0xfffffffe, 0xffffffff, 4000, 5000, 6000 };
	size_t n = 0;

#define PUT(x) do { if (n < cap) out[n++] = (uint32_t)(x); } while (0)
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		PUT(fixed[i]);
	for (int id = 0; id < arch_syscall_count(); id++) {
		int32_t nr = arch_syscall_nr(abi, id);

		if (nr != ARCH_NR_NONE) {
			PUT(nr);
			PUT((uint32_t)nr + 1);
		}
	}
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].sys == POLICY_SYS_NR) {
			PUT(p->rules[i].nr - 1);
			PUT(p->rules[i].nr);
			PUT(p->rules[i].nr + 1);
		}
#undef PUT
	return n;
}

static int named_by_any(const struct policy *p, enum arch_id abi, uint32_t nr)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (rule_names(&p->rules[i], abi, nr))
			return 1;
	return 0;
}

/* Compare bpf_run with policy_eval over the numbers of every ABI on the
 * policy's tokens (and x32/x86_64 twins), with argument samples where rules
 * look at arguments.  Returns the number of inputs. */
static unsigned long compare_all(const struct policy *p, const struct bpf_prog *prog,
				 uint64_t seed, int samples)
{
	static uint32_t nrs[4096];
	struct vals v[6];
	struct rng r = { seed | 1 };
	unsigned long inputs = 0;
	int reported = 0;

	arg_candidates(p, v);
	for (int abi = 0; abi < ARCH_COUNT; abi++) {
		const struct arch_desc *d = arch_get((enum arch_id)abi);
		int on_token = 0;

		for (int o = 0; o < ARCH_COUNT; o++)
			on_token |= (p->arches & ARCH_MASK(o)) && arch_get((enum arch_id)o)->token == d->token;
		if (!on_token && rndn(&r, 4))
			continue;	/* foreign tokens: a sample is enough */
		size_t n = nr_candidates(p, (enum arch_id)abi, nrs, 4096);

		for (size_t i = 0; i < n && reported < 3; i++) {
			int k = named_by_any(p, (enum arch_id)abi, nrs[i]) ? samples : 2;

			for (int s = 0; s < k; s++) {
				struct seccomp_data sd = { .nr = (int)nrs[i], .arch = d->token };

				for (int a = 0; a < 6; a++)
					sd.args[a] = rndn(&r, 8) ? v[a].v[rndn(&r, (unsigned)v[a].n)]
								  : rnd(&r);
				same_verdict(p, prog, &sd, &reported);
				inputs++;
			}
		}
	}
	/* a token no ABI has */
	struct seccomp_data sd = { .nr = 0, .arch = 0x12345678 };

	same_verdict(p, prog, &sd, &reported);
	return inputs + 1;
}

static int all_little_endian(const struct policy *p)
{
	for (int i = 0; i < ARCH_COUNT; i++)
		if ((p->arches & ARCH_MASK(i)) && arch_get((enum arch_id)i)->big_endian)
			return 0;
	return 1;
}

static void check_equiv(const struct policy *p, const struct bpf_prog *prog)
{
	struct equiv_side a = { .policy = p }, b = { .prog = prog->insns, .prog_len = prog->len };
	struct equiv_result res;
	int rc;

	/* the checker runs BPF on host-order data: big-endian ABIs are left to
	 * compare_all, which swaps argument halves */
	if (!all_little_endian(p))
		return;
	rc = equiv_check(&a, &b, &res);
	T_CHECK(rc == 0, "equiv_check: %d", rc);
	if (rc == 0)
		T_CHECK(res.equal, "equiv: arch 0x%x nr 0x%x a0 %llx a1 %llx: policy 0x%x bpf 0x%x",
			res.witness.arch, res.witness.nr, (unsigned long long)res.witness.args[0],
			(unsigned long long)res.witness.args[1], res.action_a, res.action_b);
}

/* compile, verify, compare, check equivalence */
static void check_policy(const struct policy *p, uint64_t seed, int samples)
{
	struct bpf_prog prog;

	if (compile_ok(p, &prog, NULL)) {
		compare_all(p, &prog, seed, samples);
		check_equiv(p, &prog);
	}
	bpf_prog_free(&prog);
}

/* expect one verdict from the compiled filter (and from policy_eval) */
static void expect(const struct policy *p, const struct bpf_prog *prog,
		   struct seccomp_data d, uint32_t want)
{
	uint32_t got = run_as(prog, &d, NULL), ev = policy_eval(p, &d).action;

	T_CHECK(got == want && ev == want, "arch 0x%x nr 0x%x a0 0x%llx: bpf 0x%x eval 0x%x want 0x%x",
		d.arch, d.nr, (unsigned long long)d.args[0], got, ev, want);
}

/* --- hand-written semantics -------------------------------------------------- */

static void test_first_unconditional(void)
{
	struct policy p;
	struct bpf_prog prog;

	t_begin("first_unconditional_wins");
	policy_init(&p, ALLOW);
	p.arches = ARCH_MASK(ARCH_X86_64);
	add_rule1(&p, POLICY_ACT_KILL_PROCESS, "read", 0, POLICY_OP_EQ, 1, 0);
	add_rule(&p, ERR(1), "read", 0);
	add_rule(&p, ERR(2), "read", 0);
	add_rule(&p, POLICY_ACT_KILL_PROCESS, "write", 0);
	add_rule(&p, ALLOW, "write", 0);
	if (compile_ok(&p, &prog, NULL)) {
		expect(&p, &prog, data(ARCH_X86_64, nr_of(ARCH_X86_64, "read"), 1, 0), ERR(1));
		expect(&p, &prog, data(ARCH_X86_64, nr_of(ARCH_X86_64, "read"), 0, 0), ERR(1));
		expect(&p, &prog, data(ARCH_X86_64, nr_of(ARCH_X86_64, "write"), 0, 0),
		       POLICY_ACT_KILL_PROCESS);
		expect(&p, &prog, data(ARCH_X86_64, nr_of(ARCH_X86_64, "close"), 0, 0), ALLOW);
		check_equiv(&p, &prog);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

static void test_strictest_conditional(void)
{
	struct policy p;
	struct bpf_prog prog;
	uint32_t rd = nr_of(ARCH_X86_64, "read");

	t_begin("strictest_conditional_first_added_ties");
	policy_init(&p, ALLOW);
	p.arches = ARCH_MASK(ARCH_X86_64);
	add_rule1(&p, ERR(5), "read", 0, POLICY_OP_GE, 10, 0);
	add_rule1(&p, ERR(6), "read", 0, POLICY_OP_GE, 20, 0);
	add_rule1(&p, POLICY_ACT_TRAP, "read", 0, POLICY_OP_GE, 30, 0);
	add_rule1(&p, POLICY_ACT_LOG, "read", 1, POLICY_OP_EQ, 7, 0);
	if (compile_ok(&p, &prog, NULL)) {
		expect(&p, &prog, data(ARCH_X86_64, rd, 5, 0), ALLOW);
		expect(&p, &prog, data(ARCH_X86_64, rd, 5, 7), POLICY_ACT_LOG);
		expect(&p, &prog, data(ARCH_X86_64, rd, 15, 7), ERR(5));
		expect(&p, &prog, data(ARCH_X86_64, rd, 25, 0), ERR(5));	/* tie: first added */
		expect(&p, &prog, data(ARCH_X86_64, rd, 35, 7), POLICY_ACT_TRAP);
		expect(&p, &prog, data(ARCH_X86_64, rd, 1ull << 32, 0), POLICY_ACT_TRAP);
		check_equiv(&p, &prog);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

static void test_unconditional_beats_conditional(void)
{
	struct policy p;
	struct bpf_prog prog;
	uint32_t rd = nr_of(ARCH_X86_64, "read");

	t_begin("unconditional_beats_conditional");
	policy_init(&p, ERR(1));
	p.arches = ARCH_MASK(ARCH_X86_64);
	add_rule1(&p, POLICY_ACT_KILL_PROCESS, "read", 0, POLICY_OP_EQ, 1, 0);
	add_rule(&p, ALLOW, "read", 0);
	if (compile_ok(&p, &prog, NULL)) {
		expect(&p, &prog, data(ARCH_X86_64, rd, 1, 0), ALLOW);
		expect(&p, &prog, data(ARCH_X86_64, rd, 2, 0), ALLOW);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

static void test_mux(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct policy_rule r;
	enum arch_id a = ARCH_X86;
	uint32_t sc = (uint32_t)arch_get(a)->socketcall_nr, ipc = (uint32_t)arch_get(a)->ipc_nr;

	t_begin("multiplexers_fail_closed");
	policy_init(&p, ERR(1));
	p.arches = ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_S390X) | ARCH_MASK(ARCH_PPC64LE);
	add_rule(&p, ALLOW, "socket", 0);				/* SYS_SOCKET = 1 */
	add_rule1(&p, ALLOW, "connect", 0, POLICY_OP_EQ, 3, 0);		/* 3: not stricter */
	add_rule1(&p, POLICY_ACT_KILL_PROCESS, "bind", 0, POLICY_OP_EQ, 3, 0);	/* 2: stricter */
	policy_rule_init(&r, ALLOW, sys_id("listen"));			/* 4: exact */
	r.flags = POLICY_RULE_EXACT;
	policy_add_rule(&p, &r, NULL);
	add_rule(&p, ALLOW, "shmget", 0);				/* ipc 23 */
	if (compile_ok(&p, &prog, NULL)) {
		expect(&p, &prog, data(a, sc, 1, 0), ALLOW);
		expect(&p, &prog, data(a, sc, 1 | (1ull << 32), 0), ALLOW);	/* 32-bit ABI */
		expect(&p, &prog, data(a, sc, 3, 0), ERR(1));
		expect(&p, &prog, data(a, sc, 2, 0), POLICY_ACT_KILL_PROCESS);
		expect(&p, &prog, data(a, sc, 4, 0), ERR(1));
		expect(&p, &prog, data(a, sc, 5, 0), ERR(1));
		expect(&p, &prog, data(a, nr_of(a, "listen"), 0, 0), ALLOW);
		expect(&p, &prog, data(a, ipc, 23, 0), ALLOW);
		expect(&p, &prog, data(a, ipc, 23 | 0x70000, 0), ALLOW);	/* call is 16 bits */
		expect(&p, &prog, data(a, ipc, 24, 0), ERR(1));
		/* s390x: 64-bit ABI, the call is the low 32 bits of args[0] */
		expect(&p, &prog, data(ARCH_S390X, (uint32_t)arch_get(ARCH_S390X)->socketcall_nr,
				       1 | (5ull << 32), 0), ALLOW);
		compare_all(&p, &prog, 7, 64);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

static void test_32bit_low_half(void)
{
	struct policy p;
	struct bpf_prog prog;
	uint32_t rd = nr_of(ARCH_X86, "read");

	t_begin("32bit_abis_compare_low_half");
	policy_init(&p, ALLOW);
	p.arches = ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_X86_64);
	add_rule1(&p, ERR(3), "read", 0, POLICY_OP_EQ, 0x100000005ull, 0);
	add_rule1(&p, ERR(4), "write", 1, POLICY_OP_MASKED_EQ, 0x200000001ull, 0x3000000ffull);
	if (compile_ok(&p, &prog, NULL)) {
		expect(&p, &prog, data(ARCH_X86, rd, 5, 0), ERR(3));
		expect(&p, &prog, data(ARCH_X86, rd, 0x700000005ull, 0), ERR(3));
		expect(&p, &prog, data(ARCH_X86_64, nr_of(ARCH_X86_64, "read"), 5, 0), ALLOW);
		expect(&p, &prog, data(ARCH_X86_64, nr_of(ARCH_X86_64, "read"), 0x100000005ull, 0),
		       ERR(3));
		expect(&p, &prog, data(ARCH_X86, nr_of(ARCH_X86, "write"), 0, 0x1101), ERR(4));
		expect(&p, &prog, data(ARCH_X86_64, nr_of(ARCH_X86_64, "write"), 0, 0x1101), ALLOW);
		check_equiv(&p, &prog);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

static void test_x32_separation(void)
{
	struct policy p;
	struct bpf_prog prog;
	uint32_t rd64 = nr_of(ARCH_X86_64, "read"), rd32 = nr_of(ARCH_X32, "read");

	t_begin("x32_x86_64_separation");
	policy_init(&p, ALLOW);
	p.badarch_action = ERR(99);
	p.arches = ARCH_MASK(ARCH_X86_64);
	if (compile_ok(&p, &prog, NULL)) {
		expect(&p, &prog, data(ARCH_X86_64, rd64, 0, 0), ALLOW);
		expect(&p, &prog, data(ARCH_X86_64, rd32, 0, 0), ERR(99));
		expect(&p, &prog, data(ARCH_X86_64, 0xffffffff, 0, 0), ERR(99));
		expect(&p, &prog, data(ARCH_X86_64, 0x3fffffff, 0, 0), ALLOW);
		expect(&p, &prog, data(ARCH_X86, 0, 0, 0), ERR(99));
	}
	bpf_prog_free(&prog);
	p.arches = ARCH_MASK(ARCH_X32);
	add_rule(&p, ERR(7), "read", ARCH_MASK(ARCH_X32));
	if (compile_ok(&p, &prog, NULL)) {
		expect(&p, &prog, data(ARCH_X32, rd32, 0, 0), ERR(7));
		expect(&p, &prog, data(ARCH_X32, rd32 + 1, 0, 0), ALLOW);
		expect(&p, &prog, data(ARCH_X86_64, rd64, 0, 0), ERR(99));
		expect(&p, &prog, data(ARCH_X86_64, 0x3fffffff, 0, 0), ERR(99));
	}
	bpf_prog_free(&prog);
	p.arches = ARCH_MASK(ARCH_X32) | ARCH_MASK(ARCH_X86_64);
	if (compile_ok(&p, &prog, NULL)) {
		expect(&p, &prog, data(ARCH_X32, rd32, 0, 0), ERR(7));
		expect(&p, &prog, data(ARCH_X86_64, rd64, 0, 0), ALLOW);
		compare_all(&p, &prog, 3, 8);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

static void test_raw_numbers_and_abis(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct policy_rule r;

	t_begin("raw_numbers_and_rule_abis");
	policy_init(&p, ERR(1));
	p.arches = ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_AARCH64);
	policy_rule_init(&r, ALLOW, POLICY_SYS_NR);
	r.nr = 1000;
	r.abis = ARCH_MASK(ARCH_X86_64);
	policy_add_rule(&p, &r, NULL);
	policy_rule_init(&r, ERR(9), POLICY_SYS_NR);
	r.nr = nr_of(ARCH_X86, "getpid");		/* also names getpid on x86 */
	r.abis = ARCH_MASK(ARCH_X86);
	policy_rule_add_cond(&r, 2, POLICY_OP_GT, 4, 0);
	policy_add_rule(&p, &r, NULL);
	add_rule(&p, ALLOW, "getpid", ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_AARCH64));
	if (compile_ok(&p, &prog, NULL)) {
		struct seccomp_data d = data(ARCH_X86, nr_of(ARCH_X86, "getpid"), 0, 0);

		expect(&p, &prog, data(ARCH_X86_64, 1000, 0, 0), ALLOW);
		expect(&p, &prog, data(ARCH_X86, 1000, 0, 0), ERR(1));
		expect(&p, &prog, d, ALLOW);	/* unconditional beats the raw conditional */
		expect(&p, &prog, data(ARCH_X86_64, nr_of(ARCH_X86_64, "getpid"), 0, 0), ERR(1));
		expect(&p, &prog, data(ARCH_AARCH64, nr_of(ARCH_AARCH64, "getpid"), 0, 0), ALLOW);
		compare_all(&p, &prog, 5, 16);
		check_equiv(&p, &prog);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* every op at 64 and 32 bits against boundary data, on LE and BE ABIs */
static void test_all_ops(void)
{
	static const uint64_t datums[] = { 0, 1, 0xfffffffeull, 0xffffffffull, 0x100000000ull,
					   0x123456789ull, 0xfffffffffffffffeull, ~0ull };
	static const uint64_t masks[] = { 0, 1, 0xff00ull, 0xffffffffull, 0xffff00000000ull,
					  0x80000000000000f0ull, ~0ull };
	static const enum arch_id abis[] = { ARCH_X86_64, ARCH_X86, ARCH_S390X, ARCH_PPC,
					     ARCH_AARCH64, ARCH_MIPS64N32 };

	t_begin("all_ops_both_widths_both_endiannesses");
	for (size_t ai = 0; ai < sizeof(abis) / sizeof(abis[0]); ai++)
		for (int op = POLICY_OP_NE; op <= POLICY_OP_MASKED_NE; op++) {
			struct policy p;
			int masked = op >= POLICY_OP_MASKED_EQ;
			size_t nm = masked ? sizeof(masks) / sizeof(masks[0]) : 1;

			policy_init(&p, ALLOW);
			p.arches = ARCH_MASK(abis[ai]);
			for (size_t i = 0; i < sizeof(datums) / sizeof(datums[0]); i++)
				for (size_t m = 0; m < nm; m++) {
					struct policy_rule r;

					policy_rule_init(&r, ERR(1 + i * 8 + m), POLICY_SYS_NR);
					r.nr = (uint32_t)(arch_get(abis[ai])->token == 0 ? 0 : 100 +
							  i * 8 + m) + (abis[ai] == ARCH_MIPS64N32 ? 6000 : 0);
					policy_rule_add_cond(&r, (unsigned)(i % 6), (enum policy_op)op,
							     datums[i], masks[m]);
					policy_add_rule(&p, &r, NULL);
				}
			check_policy(&p, (uint64_t)op * 77 + ai, 200);
			policy_free(&p);
		}
	t_end();
}

/* runs of "arg == value" rules with one action are searched as sorted sets */
static void test_value_sets(void)
{
	static const enum arch_id abis[] = { ARCH_X86_64, ARCH_X86, ARCH_S390X, ARCH_PPC };

	t_begin("eq_value_sets");
	for (size_t ai = 0; ai < sizeof(abis) / sizeof(abis[0]); ai++) {
		struct policy p;
		struct rng r = { 99 + ai };

		policy_init(&p, ERR(1));
		p.arches = ARCH_MASK(abis[ai]);
		for (unsigned n = 0; n < 60; n++) {
			uint64_t v = n % 10 == 9 ? rnd(&r) : n % 10 == 4 ? 0x500000000ull + n : rndn(&r, 1000);

			add_rule1(&p, n < 40 ? ALLOW : POLICY_ACT_LOG, "ioctl", 1, POLICY_OP_EQ, v, 0);
			add_rule1(&p, POLICY_ACT_TRAP, "read", 0, POLICY_OP_EQ, rndn(&r, 64), 0);
		}
		add_rule1(&p, POLICY_ACT_TRAP, "ioctl", 1, POLICY_OP_EQ, 5, 0);	/* stricter */
		check_policy(&p, 1234 + ai, 400);
		policy_free(&p);
	}
	t_end();
}

/* --- randomized policies ---------------------------------------------------------- */

static const char *const pool_names[] = {
	"read", "write", "openat", "close", "socket", "connect", "bind", "accept4",
	"shmget", "semop", "msgsnd", "ipc", "socketcall", "mmap", "ioctl", "clone",
	"personality", "getpid", "futex", "recvmsg", "sendto", "getsockopt",
};

static uint32_t random_action(struct rng *r)
{
	static const uint32_t acts[] = { ALLOW, POLICY_ACT_LOG, POLICY_ACT_TRAP,
					 POLICY_ACT_KILL_PROCESS, POLICY_ACT_KILL_THREAD,
					 POLICY_ACT_USER_NOTIF };

	switch (rndn(r, 4)) {
	case 0: return ERR(1 + rndn(r, 4));
	case 1: return POLICY_ACT_TRACE(rndn(r, 3));
	default: return acts[rndn(r, sizeof(acts) / sizeof(acts[0]))];
	}
}

static uint64_t random_value(struct rng *r)
{
	static const uint64_t v[] = { 0, 1, 2, 3, 5, 0x7f, 0xffffffffull, 0x100000000ull,
				      0x100000001ull, 0xffffffff00000000ull, ~0ull, 0x80000000ull,
				      0x8000000000000000ull, 0xfffffffeull };

	switch (rndn(r, 4)) {
	case 0: return rnd(r);
	case 1: return rnd(r) & 0xff;
	default: return v[rndn(r, sizeof(v) / sizeof(v[0]))];
	}
}

static uint32_t random_arches(struct rng *r)
{
	static const uint32_t fav[] = {
		ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_X32),
		ARCH_MASK(ARCH_X86_64), ARCH_MASK(ARCH_X86), ARCH_MASK(ARCH_S390) | ARCH_MASK(ARCH_S390X),
		ARCH_MASK(ARCH_PPC) | ARCH_MASK(ARCH_PPC64LE), ARCH_MASK(ARCH_X32),
	};
	uint32_t m = 0;

	if (rndn(r, 2))
		return fav[rndn(r, sizeof(fav) / sizeof(fav[0]))];
	for (unsigned i = 0, n = 1 + rndn(r, 4); i < n; i++)
		m |= ARCH_MASK(rndn(r, ARCH_COUNT));
	return m;
}

static void random_rule(struct rng *r, struct policy *p)
{
	struct policy_rule rule;
	unsigned nc;

	if (rndn(r, 10) == 0) {
		policy_rule_init(&rule, random_action(r), POLICY_SYS_NR);
		rule.nr = rndn(r, 3) ? rndn(r, 600) : (uint32_t)rnd(r);
	} else {
		policy_rule_init(&rule, random_action(r),
				 sys_id(pool_names[rndn(r, sizeof(pool_names) / sizeof(pool_names[0]))]));
	}
	if (rndn(r, 4) == 0)
		rule.abis = random_arches(r) | (rndn(r, 2) ? p->arches : 0);
	if (rndn(r, 8) == 0)
		rule.flags = POLICY_RULE_EXACT;
	nc = rndn(r, 3) ? rndn(r, 4) : 0;
	for (unsigned i = 0; i < nc; i++) {
		enum policy_op op = (enum policy_op)(1 + rndn(r, 8));

		policy_rule_add_cond(&rule, rndn(r, 3), op, random_value(r),
				     rndn(r, 2) ? random_value(r) : 0xffull << (8 * rndn(r, 8)));
	}
	if (policy_add_rule(p, &rule, NULL))
		abort();
}

static void random_policy(struct rng *r, struct policy *p)
{
	policy_init(p, random_action(r));
	p->badarch_action = rndn(r, 2) ? POLICY_ACT_KILL_PROCESS : ERR(77);
	p->arches = random_arches(r);
	for (unsigned i = 0, n = 1 + rndn(r, 40); i < n; i++)
		random_rule(r, p);
}

static void test_random(void)
{
	char name[64];
	unsigned long inputs = 0;

	for (uint64_t seed = 1; seed <= 400; seed++) {
		struct rng r = { seed * 0x9e3779b97f4a7c15ull };
		struct policy p;
		struct bpf_prog prog;

		snprintf(name, sizeof(name), "random_policy_seed_%llu", (unsigned long long)seed);
		t_begin(name);
		random_policy(&r, &p);
		if (compile_ok(&p, &prog, NULL)) {
			inputs += compare_all(&p, &prog, seed, 24);
			check_equiv(&p, &prog);
		}
		bpf_prog_free(&prog);
		policy_free(&p);
		if (t_st.failed || seed % 100 == 0)
			t_end();
		else
			t_st.name = NULL;	/* count 4 cases, report failures individually */
	}
	printf("# random policies: %lu inputs compared\n", inputs);
}

/* --- long jumps and limits -------------------------------------------------------- */

/* n raw-number rules on x86_64 alternating between actions: about 2n
 * intervals, a tree too deep for 8-bit jumps */
static void long_policy(struct policy *p, unsigned n, int with_args)
{
	policy_init(p, ALLOW);
	p->arches = ARCH_MASK(ARCH_X86_64);
	for (unsigned i = 0; i < n; i++) {
		struct policy_rule r;

		policy_rule_init(&r, ERR(1 + i % 3), POLICY_SYS_NR);
		r.nr = 2 * i;
		if (with_args && i % 50 == 0)
			policy_rule_add_cond(&r, 0, POLICY_OP_EQ, i, 0);
		policy_add_rule(p, &r, NULL);
	}
}

static void test_long_jumps(void)
{
	static const unsigned sizes[] = { 200, 700, 1300, 1900 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct policy p;
		struct bpf_prog prog;
		struct compile_stats st;
		char name[64];
		int far = 0;

		snprintf(name, sizeof(name), "long_jumps_%u_rules", sizes[i]);
		t_begin(name);
		long_policy(&p, sizes[i], 1);
		if (compile_ok(&p, &prog, &st)) {
			for (size_t k = 0; k < prog.len; k++)
				far |= prog.insns[k].code == (BPF_JMP | BPF_JA);
			T_CHECK(sizes[i] < 1000 || far, "no trampoline in %zu insns", prog.len);
			T_CHECK(prog.len <= BPF_MAX_INSNS, "%zu insns", prog.len);
			compare_all(&p, &prog, i, 8);
			printf("# %u rules: %zu insns, %u intervals\n", sizes[i], prog.len,
			       st.intervals[ARCH_X86_64]);
		}
		bpf_prog_free(&prog);
		policy_free(&p);
		t_end();
	}
}

static void test_e2big(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct muzzle_error err = { 0 };
	int rc;

	t_begin("e2big_past_4096");
	long_policy(&p, 3000, 0);
	bpf_prog_init(&prog);
	rc = compile_policy(&p, NULL, &prog, NULL, &err);
	T_CHECK(rc == -E2BIG, "rc %d", rc);
	T_CHECK(err.code == -E2BIG && strstr(err.msg, "4096"), "message: %s", err.msg);
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* find the largest alternating policy that fits and check it runs right */
static void test_near_limit(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct muzzle_error err;
	unsigned lo = 1000, hi = 16000;

	t_begin("near_4096_limit");
	/* the search below needs hi too big */
	long_policy(&p, hi, 0);
	bpf_prog_init(&prog);
	T_EQ_I(compile_policy(&p, NULL, &prog, NULL, &err), -E2BIG);
	bpf_prog_free(&prog);
	policy_free(&p);
	while (lo + 1 < hi) {
		unsigned mid = (lo + hi) / 2;
		int rc;

		long_policy(&p, mid, 0);
		bpf_prog_init(&prog);
		rc = compile_policy(&p, NULL, &prog, NULL, &err);
		T_CHECK(rc == 0 || rc == -E2BIG, "rc %d", rc);
		if (rc == 0)
			lo = mid;
		else
			hi = mid;
		bpf_prog_free(&prog);
		policy_free(&p);
	}
	long_policy(&p, lo, 0);
	if (compile_ok(&p, &prog, NULL)) {
		T_CHECK(prog.len > 3900, "largest fitting filter has only %zu insns", prog.len);
		compare_all(&p, &prog, 11, 2);
		printf("# largest: %u rules, %zu insns\n", lo, prog.len);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* --- cache property and path lengths ---------------------------------------------- */

static int arg_dependent(const struct policy *p, enum arch_id abi, uint32_t nr)
{
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->abis && !(r->abis & ARCH_MASK(abi)))
			continue;
		if (!rule_names(r, abi, nr))
			continue;
		if (r->ncond || (r->sys != POLICY_SYS_NR && arch_syscall_nr(abi, r->sys) != (int32_t)nr))
			return 1;	/* conditions, or a multiplexer guard */
	}
	return 0;
}

/* For every argument-independent number: ALLOW is cached by the kernel, and
 * the path is within 1 of the bound. */
static void check_cache_and_paths(const struct policy *p, const struct bpf_prog *prog,
				  const struct compile_stats *st)
{
	static uint32_t nrs[4096];
	unsigned checked = 0, allowed = 0, worst = 0;
	int bad = 0;

	for (int abi = 0; abi < ARCH_COUNT; abi++) {
		size_t n;

		if (!(p->arches & ARCH_MASK(abi)))
			continue;
		n = nr_candidates(p, (enum arch_id)abi, nrs, 4096);
		for (size_t i = 0; i < n && bad < 3; i++) {
			struct seccomp_data d = { .nr = (int)nrs[i], .arch = arch_get(abi)->token };
			const struct arch_desc *own = arch_for_data(d.arch, nrs[i]);
			unsigned steps = 0;
			uint32_t act;

			if ((int)own->id != abi || arg_dependent(p, (enum arch_id)abi, nrs[i]))
				continue;
			act = run_as(prog, &d, &steps);
			checked++;
			if (steps > worst)
				worst = steps;
			if (!T_CHECK(steps <= st->path_bound[abi] + 1,
				     "abi %d nr 0x%x: %u steps, bound %u", abi, nrs[i], steps,
				     st->path_bound[abi]))
				bad++;
			if (act != ALLOW)
				continue;
			allowed++;
			if (!T_CHECK(bpf_const_allow(prog->insns, prog->len, d.arch, nrs[i]),
				     "abi %d nr 0x%x: ALLOW not constant for the kernel cache",
				     abi, nrs[i]))
				bad++;
		}
	}
	T_CHECK(checked > 0, "nothing checked");
	printf("# %s: %u argument-independent numbers, %u allowed and cached, longest path %u\n",
	       t_st.name, checked, allowed, worst);
}

static void test_cache_random(void)
{
	t_begin("const_cache_and_path_bound_random");
	for (uint64_t seed = 1; seed <= 60; seed++) {
		struct rng r = { seed * 0x51ed270b27a4f1ull };
		struct policy p;
		struct bpf_prog prog;
		struct compile_stats st;

		random_policy(&r, &p);
		if (rndn(&r, 2))
			p.default_action = ALLOW;
		if (compile_ok(&p, &prog, &st))
			check_cache_and_paths(&p, &prog, &st);
		bpf_prog_free(&prog);
		policy_free(&p);
	}
	t_end();
}

static void test_cache_long(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct compile_stats st;

	t_begin("const_cache_and_path_bound_long");
	long_policy(&p, 900, 0);
	p.default_action = ERR(5);
	for (size_t i = 0; i < p.nrules; i += 2)
		p.rules[i].action = ALLOW;
	if (compile_ok(&p, &prog, &st))
		check_cache_and_paths(&p, &prog, &st);
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

static void test_docker(void)
{
	const char *top = getenv("MUZZLE_TOP");
	char path[512];
	struct format_options o;
	struct policy p;
	struct bpf_prog prog;
	struct compile_stats st;
	struct muzzle_error err;

	snprintf(path, sizeof(path), "%s/../shared/profiles/docker-default.json", top ? top : ".");
	if (access(path, R_OK)) {
		t_skip("docker_default_profile", "profile not found");
		return;
	}
	t_begin("docker_default_profile");
	format_options_init(&o);
	if (T_CHECK(format_read_file(path, FORMAT_AUTO, &o, &p, &err) == 0, "read: %s", err.msg)) {
		if (compile_ok(&p, &prog, &st)) {
			compare_all(&p, &prog, 42, 32);
			check_equiv(&p, &prog);
			check_cache_and_paths(&p, &prog, &st);
			printf("# docker default: %zu insns\n", prog.len);
		}
		bpf_prog_free(&prog);
		policy_free(&p);
	}
	t_end();
}

/* --- determinism -------------------------------------------------------------------- */

static void test_deterministic(void)
{
	struct rng r = { 12345 };
	struct policy p, q;
	struct bpf_prog a, b;

	t_begin("deterministic_output");
	random_policy(&r, &p);
	policy_copy(&q, &p);
	if (compile_ok(&p, &a, NULL) && compile_ok(&q, &b, NULL))
		T_CHECK(a.len == b.len && !memcmp(a.insns, b.insns, a.len * sizeof(*a.insns)),
			"two compiles differ");
	bpf_prog_free(&a);
	bpf_prog_free(&b);
	policy_free(&p);
	policy_free(&q);
	t_end();
}

/* --- options and writers ------------------------------------------------------------- */

static void test_no_badarch_check(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct muzzle_error err;
	int rc;

	t_begin("no_badarch_check_option");
	policy_init(&p, ERR(3));
	p.arches = ARCH_MASK(ARCH_X86_64);
	add_rule(&p, ALLOW, "read", 0);
	bpf_prog_init(&prog);
	struct compile_options o = { .no_badarch_check = 1 };

	rc = compile_policy(&p, &o, &prog, NULL, &err);
	if (T_CHECK(rc == 0, "rc %d", rc)) {
		T_CHECK(prog.insns[0].k == offsetof(struct seccomp_data, nr),
			"first load is not the syscall number");
		/* any arch: the one section decides */
		struct seccomp_data d = data(ARCH_X86, nr_of(ARCH_X86_64, "read"), 0, 0);

		T_EQ_U(bpf_run(prog.insns, prog.len, &d, NULL), ALLOW);
	}
	p.arches |= ARCH_MASK(ARCH_X86);
	rc = compile_policy(&p, &o, &prog, NULL, &err);
	T_CHECK(rc == -EINVAL, "two tokens without arch check: rc %d", rc);
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* instructions with this code (and this k, unless k < 0) */
static unsigned count_insns(const struct bpf_prog *f, uint16_t code, int64_t k)
{
	unsigned n = 0;

	for (size_t i = 0; i < f->len; i++)
		n += f->insns[i].code == code && (k < 0 || f->insns[i].k == (uint32_t)k);
	return n;
}

/* Single allowed numbers in a denied range cost one jeq each: n isolated
 * numbers (every other one) compile to about n compares, where a range tree
 * needs two per number. */
static void test_points(void)
{
	struct policy p;
	struct bpf_prog prog;
	unsigned n = 0;

	t_begin("jeq_points_isolated_numbers");
	policy_init(&p, ERR(1));
	p.arches = ARCH_MASK(ARCH_X86_64);
	for (uint32_t nr = 0; nr < 120; nr += 2, n++) {
		struct policy_rule r;

		policy_rule_init(&r, ALLOW, POLICY_SYS_NR);
		r.nr = nr;
		policy_add_rule(&p, &r, NULL);
	}
	if (compile_ok(&p, &prog, NULL)) {
		/* ld arch, jeq, ret badarch, ld nr, two rets; a compare per
		 * number plus the tree's jge between leaves of two points */
		T_CHECK(prog.len <= 6 + n + n / 2 + 1, "%u numbers: %zu insns", n, prog.len);
		compare_all(&p, &prog, 5, 4);
		check_equiv(&p, &prog);
		printf("# %u isolated numbers: %zu insns\n", n, prog.len);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* Blocks that end in a set of 64-bit values with the same high word share
 * that check: one `ld [hi]` per chunk, not one per syscall. */
static void test_shared_tails(void)
{
	struct policy p;
	struct bpf_prog prog;
	unsigned loads = 0, blocks = 0;

	t_begin("shared_high_word_tails");
	policy_init(&p, ERR(1));
	p.arches = ARCH_MASK(ARCH_X86_64);
	for (uint32_t nr = 0; nr < 60; nr++, blocks++)
		for (uint64_t v = 0; v < 3; v++) {
			struct policy_rule r;

			policy_rule_init(&r, ALLOW, POLICY_SYS_NR);
			r.nr = nr;
			policy_rule_add_cond(&r, 0, POLICY_OP_EQ, nr * 7 + v, 0);
			policy_add_rule(&p, &r, NULL);
		}
	if (compile_ok(&p, &prog, NULL)) {
		loads = count_insns(&prog, BPF_LD | BPF_W | BPF_ABS,
				    offsetof(struct seccomp_data, args[0]) + 4);
		T_CHECK(loads >= 1 && loads <= 1 + prog.len / 200, "%u high-word loads in %zu insns "
			"for %u blocks", loads, prog.len, blocks);
		compare_all(&p, &prog, 6, 8);
		check_equiv(&p, &prog);
		printf("# %u blocks: %zu insns, %u high-word loads\n", blocks, prog.len, loads);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* A far target many jumps share (a big value set's "allowed") gets one
 * trampoline per reach of 255, not one per jump. */
static void test_shared_trampolines(void)
{
	struct policy p;
	struct bpf_prog prog;
	unsigned ja = 0, n = 1000;

	t_begin("shared_trampolines");
	policy_init(&p, ERR(1));
	p.arches = ARCH_MASK(ARCH_X86_64);
	for (unsigned i = 0; i < n; i++) {
		struct policy_rule r;

		policy_rule_init(&r, ALLOW, sys_id("ioctl"));
		policy_rule_add_cond(&r, 1, POLICY_OP_EQ, 0x5400 + 3 * (uint64_t)i, 0);
		policy_add_rule(&p, &r, NULL);
	}
	if (compile_ok(&p, &prog, NULL)) {
		ja = count_insns(&prog, BPF_JMP | BPF_JA, -1);
		/* the two far targets (allowed, denied) once per reach, and the
		 * search nodes whose near half is longer than a reach (at most
		 * one per 128 instructions); unshared it would be over 1000 */
		T_CHECK(ja > 0 && ja <= 2 * (prog.len / 255 + 1) + prog.len / 128,
			"%u trampolines in %zu insns", ja, prog.len);
		/* a compare per value, a jge per three, and those */
		T_CHECK(prog.len <= n + n / 2 + ja + 16, "%u values: %zu insns", n, prog.len);
		compare_all(&p, &prog, 7, 8);
		check_equiv(&p, &prog);
		printf("# %u values: %zu insns, %u trampolines\n", n, prog.len, ja);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* weights pull hot syscalls towards the root without changing verdicts */
static void test_weights(void)
{
	struct policy p;
	struct bpf_prog plain, hot;
	struct muzzle_error err;
	uint32_t *w = calloc((size_t)arch_syscall_count(), sizeof(*w));
	int n = 0, hot_id = sys_id("getpid");
	uint32_t nr = nr_of(ARCH_X86_64, "getpid");
	unsigned s_plain = 0, s_hot = 0;

	t_begin("tree_weights");
	policy_init(&p, ERR(1));
	p.arches = ARCH_MASK(ARCH_X86_64);
	for (int id = 0; id < arch_syscall_count(); id++) {
		struct policy_rule r;

		if (arch_syscall_nr(ARCH_X86_64, id) == ARCH_NR_NONE || n++ % 2)
			continue;
		policy_rule_init(&r, ALLOW, id);
		policy_add_rule(&p, &r, NULL);
		w[id] = 1;
	}
	add_rule(&p, ALLOW, "getpid", 0);
	w[hot_id] = 100000;
	bpf_prog_init(&plain);
	bpf_prog_init(&hot);
	struct compile_options o = { .weights = w };

	if (T_CHECK(compile_policy(&p, NULL, &plain, NULL, &err) == 0, "%s", err.msg) &&
	    T_CHECK(compile_policy(&p, &o, &hot, NULL, &err) == 0, "%s", err.msg)) {
		struct seccomp_data d = data(ARCH_X86_64, nr, 0, 0);

		T_EQ_U(bpf_run(hot.insns, hot.len, &d, &s_hot), ALLOW);
		bpf_run(plain.insns, plain.len, &d, &s_plain);
		/* ld arch, jeq, ld nr, the x32 split, at most two more compares, ret;
		 * the unweighted tree already favours allowed calls, so weights
		 * buy less over it than over a balanced one */
		T_CHECK(s_hot <= 8 && s_hot + 2 <= s_plain, "getpid: %u steps weighted, %u plain",
			s_hot, s_plain);
		T_CHECK(bpf_verify(hot.insns, hot.len, &err) == 0, "verify: %s", err.msg);
		compare_all(&p, &hot, 17, 4);
		check_equiv(&p, &hot);
		printf("# getpid: %u steps with weights, %u without\n", s_hot, s_plain);
	}
	free(w);
	bpf_prog_free(&plain);
	bpf_prog_free(&hot);
	policy_free(&p);
	t_end();
}

static void test_writers(void)
{
	struct policy p;
	struct bpf_prog prog, back;
	struct muzzle_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	t_begin("bpf_raw_and_c_array_writers");
	policy_init(&p, ERR(1));
	p.arches = ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_AARCH64);
	add_rule(&p, ALLOW, "read", 0);
	add_rule1(&p, ALLOW, "write", 0, POLICY_OP_LE, 2, 0);
	if (compile_ok(&p, &prog, NULL)) {
		f = open_memstream(&buf, &len);
		T_CHECK(bpf_raw_write(f, &p, NULL, &err) == 0, "bpf_raw_write: %s", err.msg);
		fclose(f);
		bpf_prog_init(&back);
		T_CHECK(bpf_read_raw(buf, len, &back, &err) == 0, "read back: %s", err.msg);
		T_CHECK(back.len == prog.len &&
			!memcmp(back.insns, prog.insns, prog.len * sizeof(*prog.insns)),
			"raw bytes differ from compile_policy's program");
		bpf_prog_free(&back);
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		T_CHECK(c_array_write(f, &p, NULL, &err) == 0, "c_array_write: %s", err.msg);
		fclose(f);
		char want[64];

		snprintf(want, sizeof(want), "muzzle_filter_len = %zu;", prog.len);
		T_CHECK(buf && strstr(buf, want) && strstr(buf, "struct sock_filter muzzle_filter[]"),
			"C output lacks the array or its length");
		/* every instruction appears in order */
		const char *at = buf;

		for (size_t i = 0; i < prog.len && at; i++) {
			char line[64];

			snprintf(line, sizeof(line), "{ 0x%04x, %3u, %3u, 0x%08x },", prog.insns[i].code,
				 prog.insns[i].jt, prog.insns[i].jf, prog.insns[i].k);
			at = strstr(at, line);
		}
		T_CHECK(at != NULL, "instructions missing from the C array");
		free(buf);
	}
	p.arches = 0;
	f = open_memstream(&buf, &len);
	T_CHECK(bpf_raw_write(f, &p, NULL, &err) < 0, "invalid policy written");
	fclose(f);
	free(buf);
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* --- live kernel check ------------------------------------------------------------------ */

struct live_call {
	const char *name;
	uint64_t a0;
};

static const struct live_call live_calls[] = {
	{ "getppid", 0 }, { "getuid", 0 }, { "geteuid", 5 }, { "geteuid", 6 },
	{ "getgid", 0 }, { "getegid", 0x100000007ull }, { "getegid", 7 }, { "getpgrp", 0 },
};

/* in a child: load, make the calls, write each errno (0: succeeded) */
static void live_child(const struct bpf_prog *prog, int fd)
{
	int res[sizeof(live_calls) / sizeof(live_calls[0])];
	long nr;

	if (load_filter(prog->insns, prog->len, 0, 1) < 0)
		_exit(3);
	for (size_t i = 0; i < sizeof(live_calls) / sizeof(live_calls[0]); i++) {
		nr = arch_syscall_nr(ARCH_X86_64, sys_id(live_calls[i].name));
		errno = 0;
		res[i] = syscall(nr, live_calls[i].a0, 0, 0, 0, 0, 0) < 0 ? errno : 0;
	}
	_exit(write(fd, res, sizeof(res)) == (ssize_t)sizeof(res) ? 0 : 4);
}

static void test_live(void)
{
	struct policy p;
	struct bpf_prog prog;
	int fds[2], status, res[sizeof(live_calls) / sizeof(live_calls[0])];
	pid_t pid;

	if (arch_native()->id != ARCH_X86_64) {
		t_skip("live_kernel_errno", "needs an x86_64 host");
		return;
	}
	t_begin("live_kernel_errno");
	policy_init(&p, ALLOW);
	p.arches = ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_X32);
	add_rule(&p, ERR(33), "getppid", 0);
	add_rule(&p, ERR(34), "getuid", 0);
	add_rule1(&p, ERR(35), "geteuid", 0, POLICY_OP_EQ, 5, 0);
	add_rule1(&p, ERR(36), "getegid", 0, POLICY_OP_GT, 0xffffffffull, 0);
	add_rule1(&p, ERR(37), "getegid", 0, POLICY_OP_MASKED_EQ, 7, 0xff);
	add_rule(&p, ALLOW, "getgid", 0);
	if (compile_ok(&p, &prog, NULL) && T_CHECK(pipe(fds) == 0, "pipe")) {
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			live_child(&prog, fds[1]);
		}
		close(fds[1]);
		T_CHECK(read(fds[0], res, sizeof(res)) == (ssize_t)sizeof(res), "child wrote nothing");
		close(fds[0]);
		waitpid(pid, &status, 0);
		T_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status 0x%x", status);
		for (size_t i = 0; i < sizeof(live_calls) / sizeof(live_calls[0]); i++) {
			struct seccomp_data d = data(ARCH_X86_64,
						     nr_of(ARCH_X86_64, live_calls[i].name),
						     live_calls[i].a0, 0);
			uint32_t act = run_as(&prog, &d, NULL);
			int want = POLICY_ACT_KIND(act) == POLICY_ACT_ERRNO(0) ?
				   (int)POLICY_ACT_DATA(act) : 0;

			T_CHECK(res[i] == want, "%s(0x%llx): kernel errno %d, interpreter %d",
				live_calls[i].name, (unsigned long long)live_calls[i].a0, res[i], want);
		}
		T_CHECK(res[2] == 35 && res[3] == 0 && res[5] == 36 && res[6] == 37,
			"argument checks not applied");
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

int main(void)
{
	test_first_unconditional();
	test_strictest_conditional();
	test_unconditional_beats_conditional();
	test_mux();
	test_32bit_low_half();
	test_x32_separation();
	test_raw_numbers_and_abis();
	test_all_ops();
	test_value_sets();
	test_deterministic();
	test_no_badarch_check();
	test_writers();
	test_weights();
	test_points();
	test_shared_tails();
	test_shared_trampolines();
	test_long_jumps();
	test_e2big();
	test_near_limit();
	test_cache_random();
	test_cache_long();
	test_docker();
	test_live();
	test_random();
	return t_done();
}
