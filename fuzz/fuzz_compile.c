/* Fuzz target: the compiler end to end.
 *
 * Input bytes are decoded into a policy (actions, ABIs, rules on syscall ids,
 * multiplexed calls and raw numbers, argument conditions with every operator).
 * Properties:
 *  - a policy that policy_validate accepts compiles (or is refused as too big
 *    with -E2BIG), and never crashes the compiler;
 *  - the program passes the verifier with the kernel's rules;
 *  - the equivalence checker finds no input on which the program and the
 *    policy (policy_eval) disagree. */
#include "fuzz_common.h"

#include <errno.h>

#include "compile/compile.h"
#include "policy/equiv.h"
#include "policy/policy.h"

#define MAX_RULES 24
#define MAX_CONDS 4

static uint32_t pick_action(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);
	uint32_t data = fuzz_u8(in);

	switch (b % 9) {
	case 0: return POLICY_ACT_ALLOW;
	case 1: return POLICY_ACT_KILL_PROCESS;
	case 2: return POLICY_ACT_KILL_THREAD;
	case 3: return POLICY_ACT_TRAP;
	case 4: return POLICY_ACT_ERRNO(data);
	case 5: return POLICY_ACT_LOG;
	case 6: return POLICY_ACT_TRACE(data);
	case 7: return POLICY_ACT_USER_NOTIF;
	default: return POLICY_ACT_ERRNO(1);
	}
}

/* Syscalls that exercise special paths: multiplexed calls, the
 * multiplexers, x32/x86_64 splits, ARM private numbers. */
static const char *const hot_names[] = {
	"socket", "connect", "accept", "recv", "shmat", "semop", "socketcall", "ipc",
	"read", "write", "openat", "open", "execve", "clone", "ioctl", "cacheflush",
	"mmap", "mmap2", "arch_prctl", "rt_sigreturn",
};

static int pick_sys(struct fuzz_in *in, uint32_t *nr)
{
	uint8_t b = fuzz_u8(in);
	uint16_t v = (uint16_t)fuzz_take(in, 2);

	if (b < 128)
		return arch_syscall_id(hot_names[v % (sizeof(hot_names) / sizeof(hot_names[0]))]);
	if (b < 240)
		return v % arch_syscall_count();
	*nr = b < 248 ? v : fuzz_u32(in);	/* raw numbers, small or any */
	return POLICY_SYS_NR;
}

static void add_conds(struct fuzz_in *in, struct policy_rule *r)
{
	unsigned i, n = fuzz_u8(in) % (MAX_CONDS + 1);

	for (i = 0; i < n; i++) {
		uint8_t shape = fuzz_u8(in);
		unsigned arg = shape % 6;
		enum policy_op op = (enum policy_op)(1 + (shape / 6) % 8);
		uint64_t datum = (shape & 0x80) ? fuzz_u64(in) : fuzz_u8(in);
		uint64_t mask = (op == POLICY_OP_MASKED_EQ || op == POLICY_OP_MASKED_NE) ?
			((shape & 0x40) ? fuzz_u64(in) : fuzz_u8(in)) : ~0ull;

		if (policy_rule_add_cond(r, arg, op, datum, mask) != 0)
			return;
	}
}

/* MUZZLE_FUZZ_ABIS=le keeps to little-endian ABIs: a way to keep fuzzing
 * the rest while a big-endian problem is open. */
static uint32_t abi_limit(void)
{
	const char *e = getenv("MUZZLE_FUZZ_ABIS");
	uint32_t m = 0;
	int a;

	if (!e || strcmp(e, "le") != 0)
		return ARCH_MASK_ALL;
	for (a = 0; a < ARCH_COUNT; a++)
		if (!arch_get((enum arch_id)a)->big_endian)
			m |= ARCH_MASK(a);
	return m;
}

static void decode_policy(struct fuzz_in *in, struct policy *p)
{
	unsigned i, n;

	policy_init(p, pick_action(in));
	p->badarch_action = pick_action(in);
	/* one to three ABIs: the equivalence check costs grow with each, and
	 * a few already mix word sizes, endianness and multiplexers */
	n = 1 + fuzz_u8(in) % 3;
	p->arches = 0;
	for (i = 0; i < n; i++)
		p->arches |= ARCH_MASK(fuzz_u8(in) % ARCH_COUNT) & abi_limit();
	if (!p->arches)
		p->arches = ARCH_MASK(arch_native()->id);
	n = fuzz_u8(in) % (MAX_RULES + 1);
	for (i = 0; i < n && in->n; i++) {
		struct policy_rule r;
		uint32_t action = pick_action(in), nr = 0;
		int sys = pick_sys(in, &nr);
		uint8_t shape = fuzz_u8(in);

		policy_rule_init(&r, action, sys);
		r.nr = nr;
		if (shape & 1)
			r.abis = fuzz_u32(in) & ARCH_MASK_ALL;
		if (sys == POLICY_SYS_NR && !r.abis)
			r.abis = ARCH_MASK(arch_native()->id);
		if (shape & 2)
			r.flags = POLICY_RULE_EXACT;
		add_conds(in, &r);
		policy_add_rule(p, &r, NULL);	/* invalid rules are simply dropped */
	}
}

/* The decoded policy, printed before a failure so the report is readable. */
static void dump_policy(const struct policy *p)
{
	size_t i;
	unsigned c;

	fprintf(stderr, "policy: default 0x%x badarch 0x%x arches 0x%x, %zu rules\n",
		p->default_action, p->badarch_action, p->arches, p->nrules);
	for (i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		fprintf(stderr, "  rule %zu: 0x%x %s nr %u abis 0x%x flags %u:", i, r->action,
			r->sys >= 0 ? arch_syscall_name(r->sys) : "(raw)", r->nr, r->abis, r->flags);
		for (c = 0; c < r->ncond; c++)
			fprintf(stderr, " arg%u %s 0x%llx (mask 0x%llx)", r->cond[c].arg,
				policy_op_str((enum policy_op)r->cond[c].op),
				(unsigned long long)r->cond[c].datum,
				(unsigned long long)r->cond[c].mask);
		fprintf(stderr, "\n");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct muzzle_error err;
	struct policy p;
	struct bpf_prog prog;
	struct equiv_result res;
	struct equiv_side a, b;
	int rc;

	decode_policy(&in, &p);
	bpf_prog_init(&prog);
	if (policy_validate(&p, NULL) != 0)
		goto out;
	memset(&err, 0, sizeof(err));
	rc = compile_policy(&p, NULL, &prog, NULL, &err);
	if (rc == -E2BIG)
		goto out;
	if (rc != 0)
		dump_policy(&p);
	FUZZ_ASSERT(rc == 0, "compile_policy: %d: %s", rc, err.msg);
	FUZZ_ASSERT(bpf_verify(prog.insns, prog.len, &err) == 0,
		    "compiled program fails the verifier: %s", err.msg);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.policy = &p;
	b.prog = prog.insns;
	b.prog_len = prog.len;
	rc = equiv_check(&a, &b, &res);
	FUZZ_ASSERT(rc == 0, "equiv_check failed: %d", rc);
	if (!res.equal)
		dump_policy(&p);
	FUZZ_ASSERT(res.equal,
		    "program differs from policy: arch 0x%x nr %d args %llx %llx %llx %llx %llx "
		    "%llx: policy 0x%x, program 0x%x",
		    res.witness.arch, res.witness.nr,
		    (unsigned long long)res.witness.args[0], (unsigned long long)res.witness.args[1],
		    (unsigned long long)res.witness.args[2], (unsigned long long)res.witness.args[3],
		    (unsigned long long)res.witness.args[4], (unsigned long long)res.witness.args[5],
		    res.action_a, res.action_b);
out:
	bpf_prog_free(&prog);
	policy_free(&p);
	return 0;
}
