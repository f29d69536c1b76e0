/* The libseccomp-compatible API, case by case: return codes, corner cases,
 * and what each call puts into the policy model. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>
#include "muzzle.h"
#include "compat/compat.h"
#include "load/load.h"
#include "harness.h"

/* harness.h's T_EQ_* evaluate their arguments twice; API calls must run once */
#define EQ_I(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	T_CHECK(a_ == b_, "%s == %s: got %lld, want %lld", #a, #b, a_, b_); } while (0)
#define EQ_U(a, b) do { unsigned long long a_ = (unsigned long long)(a), \
	b_ = (unsigned long long)(b); \
	T_CHECK(a_ == b_, "%s == %s: got 0x%llx, want 0x%llx", #a, #b, a_, b_); } while (0)

static struct policy *pol(scmp_filter_ctx c)
{
	return &ctx_of(c)->pol;
}

static uint32_t native_mask(void)
{
	return ARCH_MASK(arch_native()->id);
}

static void t_version(void)
{
	const struct scmp_version *v = seccomp_version();

	t_begin("version");
	T_CHECK(v && v->major == 2 && v->minor == 6 && v->micro == 0, "libseccomp API 2.6.0");
	T_EQ_S(muzzle_version(), "0.1.0");
	t_end();
}

static void t_init_defaults(void)
{
	scmp_filter_ctx c;
	uint32_t v;
	static const struct { int attr; uint32_t want; } def[] = {
		{ SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_THREAD }, { SCMP_FLTATR_CTL_NNP, 1 },
		{ SCMP_FLTATR_CTL_TSYNC, 0 }, { SCMP_FLTATR_API_TSKIP, 0 },
		{ SCMP_FLTATR_CTL_LOG, 0 }, { SCMP_FLTATR_CTL_SSB, 0 },
		{ SCMP_FLTATR_CTL_OPTIMIZE, 1 }, { SCMP_FLTATR_API_SYSRAWRC, 0 },
		{ SCMP_FLTATR_CTL_WAITKILL, 0 },
	};

	t_begin("init_defaults");
	T_CHECK(seccomp_init(0x12345678) == NULL, "garbage action refused");
	T_CHECK(seccomp_init(SCMP_ACT_ERRNO(4095)) == NULL, "errno 4095 refused (as libseccomp)");
	T_CHECK(seccomp_init(SCMP_ACT_TRAP | 1) == NULL, "TRAP with data refused");
	c = seccomp_init(SCMP_ACT_ERRNO(4094));
	T_CHECK(c != NULL, "errno 4094 accepted");
	seccomp_release(c);
	c = seccomp_init(SCMP_ACT_TRACE(0xffff));
	T_CHECK(c != NULL, "TRACE with any data accepted");
	seccomp_release(c);
	c = seccomp_init(SCMP_ACT_KILL);
	T_CHECK(c != NULL, "init");
	EQ_I(seccomp_attr_get(c, SCMP_FLTATR_ACT_DEFAULT, &v), 0);
	EQ_U(v, SCMP_ACT_KILL);
	for (size_t i = 0; i < sizeof(def) / sizeof(def[0]); i++) {
		v = 99;
		EQ_I(seccomp_attr_get(c, def[i].attr, &v), 0);
		T_CHECK(v == def[i].want, "attr %d default %u, want %u", def[i].attr, v, def[i].want);
	}
	EQ_I(seccomp_attr_get(c, 0, &v), -EINVAL);
	EQ_I(seccomp_attr_get(c, 11, &v), -EINVAL);
	EQ_I(seccomp_attr_get(c, SCMP_FLTATR_CTL_NNP, NULL), -EINVAL);
	EQ_I(seccomp_attr_get(NULL, SCMP_FLTATR_CTL_NNP, &v), -EINVAL);
	EQ_U(pol(c)->arches, native_mask());
	EQ_U(seccomp_arch_native(), SCMP_ARCH_X86_64);
	seccomp_release(c);
	seccomp_release(NULL);
	t_end();
}

static void t_rule_errors(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_KILL);
	struct scmp_arg_cmp seven[7] = { { 0 } };

	t_begin("rule_add_errors");
	EQ_I(seccomp_rule_add(c, SCMP_ACT_KILL, SCMP_SYS(read), 0), -EACCES);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 1,
				SCMP_CMP(6, SCMP_CMP_EQ, 1)), -EINVAL);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 2,
				SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A0(SCMP_CMP_EQ, 2)), -EINVAL);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 7), -EINVAL);
	EQ_I(seccomp_rule_add_array(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 7, seven), -EINVAL);
	EQ_I(seccomp_rule_add_array(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, NULL), -EINVAL);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, SCMP_A0(0, 1)), -EINVAL);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, SCMP_A0(8, 1)), -EINVAL);
	EQ_I(seccomp_rule_add(c, 0x12345678, SCMP_SYS(read), 0), -EINVAL);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(4095), SCMP_SYS(read), 0), -EINVAL);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_LOG | 1, SCMP_SYS(read), 0), -EINVAL);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, -1, 0), -EINVAL);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, -2, 0), -EINVAL);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, -99, 0), -EINVAL);
	EQ_I(seccomp_rule_add(NULL, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), -EINVAL);
	EQ_U(pol(c)->nrules, 0);
	/* TSKIP makes -1 a rule on the number tracers use to skip a call */
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_API_TSKIP, 1), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(3), -1, 0), 0);
	EQ_I(seccomp_rule_add_exact(c, SCMP_ACT_ERRNO(3), -1, 0), -EDOM);	/* one ABI */
	T_CHECK(pol(c)->nrules == 1 && pol(c)->rules[0].sys == POLICY_SYS_NR &&
		pol(c)->rules[0].nr == 0xffffffffu, "tskip rule on nr 0xffffffff");
	seccomp_release(c);
	t_end();
}

static void t_rule_model(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_KILL);
	const struct policy_rule *r;

	t_begin("rule_add_model");
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(5), SCMP_SYS(openat), 2,
				SCMP_A2(SCMP_CMP_MASKED_EQ, 3, 1), SCMP_A0(SCMP_CMP_GE, 7)), 0);
	EQ_I(seccomp_rule_add_exact(c, SCMP_ACT_TRAP, SCMP_SYS(close), 0), 0);
	EQ_U(pol(c)->nrules, 3);
	r = &pol(c)->rules[0];
	T_CHECK(r->sys == arch_syscall_id("read") && r->ncond == 0 && r->action == SCMP_ACT_ALLOW,
		"read rule");
	EQ_U(r->abis, native_mask());
	r = &pol(c)->rules[1];
	T_CHECK(r->sys == arch_syscall_id("openat") && r->ncond == 2, "openat rule");
	T_CHECK(r->cond[0].arg == 2 && r->cond[0].op == POLICY_OP_MASKED_EQ &&
		r->cond[0].mask == 3 && r->cond[0].datum == 1, "masked: datum_a is the mask");
	/* datum bits outside the mask do not count, as in libseccomp */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(6), SCMP_SYS(getpid), 1,
			      SCMP_A5(SCMP_CMP_MASKED_EQ, 0x2, 0x3)), 0);
	EQ_U(pol(c)->rules[pol(c)->nrules - 1].cond[0].datum, 0x2);
	/* an exact rule on a call the only ABI lacks: -EDOM */
	EQ_I(seccomp_rule_add_exact(c, SCMP_ACT_ERRNO(6), SCMP_SYS(socketcall), 0), -EDOM);
	EQ_I(seccomp_rule_add_exact(c, SCMP_ACT_ERRNO(6), -200000, 0), -EDOM);
	T_CHECK(r->cond[1].arg == 0 && r->cond[1].op == POLICY_OP_GE && r->cond[1].datum == 7,
		"GE condition");
	T_CHECK(pol(c)->rules[2].flags & POLICY_RULE_EXACT, "exact flag");
	seccomp_release(c);
	t_end();
}

static void t_cmp_macros(void)
{
	struct scmp_arg_cmp a = SCMP_A0_32(SCMP_CMP_EQ, -1);
	struct scmp_arg_cmp b = SCMP_A1(SCMP_CMP_EQ, -1);
	struct scmp_arg_cmp m = SCMP_A3_32(SCMP_CMP_MASKED_EQ, -1, -2);
	struct scmp_arg_cmp d = SCMP_CMP64(5, SCMP_CMP_GT, 1, 2);
	struct scmp_arg_cmp e = SCMP_CMP32(4, SCMP_CMP_LT, 0x100000001ull);

	t_begin("cmp_macros");
	T_CHECK(a.arg == 0 && a.op == SCMP_CMP_EQ && a.datum_a == 0xffffffffull, "A0_32 truncates");
	EQ_U(b.datum_a, ~0ull);
	T_CHECK(b.arg == 1, "A1");
	T_CHECK(m.arg == 3 && m.datum_a == 0xffffffffull && m.datum_b == 0xfffffffeull,
		"4-argument 32-bit form");
	T_CHECK(d.arg == 5 && d.datum_a == 1 && d.datum_b == 2, "CMP64");
	T_CHECK(e.arg == 4 && e.datum_a == 1, "CMP32 truncates");
	EQ_I(SCMP_SYS(read), __NR_read);
	EQ_I(SCMP_SYS(socketcall), -10060);
	t_end();
}

static void t_rule_conflicts(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_KILL);

	t_begin("rule_conflicts");
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(1), 6, 2, SCMP_A0(SCMP_CMP_EQ, 1),
				SCMP_A1(SCMP_CMP_EQ, 1)), 0);
	/* same chain in another order, other action: refused */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(2), 6, 2, SCMP_A1(SCMP_CMP_EQ, 1),
				SCMP_A0(SCMP_CMP_EQ, 1)), -EEXIST);
	/* a prefix of an existing chain, other action: refused */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(3), 6, 1, SCMP_A0(SCMP_CMP_EQ, 1)), -EEXIST);
	/* same rule again: accepted, stored once */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(1), 6, 2, SCMP_A1(SCMP_CMP_EQ, 1),
				SCMP_A0(SCMP_CMP_EQ, 1)), 0);
	EQ_U(pol(c)->nrules, 1);
	/* unconditional rules never conflict: the first one decides */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, 3, 0), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(1), 3, 0), 0);
	/* masks are part of the check */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(1), 5, 1, SCMP_A0(SCMP_CMP_MASKED_EQ, 3, 1)), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(2), 5, 1, SCMP_A0(SCMP_CMP_MASKED_EQ, 7, 1)), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(3), 5, 1, SCMP_A0(SCMP_CMP_MASKED_EQ, 3, 1)),
	       -EEXIST);
	seccomp_release(c);
	t_end();
}

static void t_translation(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_KILL);
	uint32_t x86 = ARCH_MASK(ARCH_X86);

	t_begin("rule_translation");
	/* a number no name stands for: kept raw while only the native ABI is there */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, 5000, 0), 0);
	T_CHECK(pol(c)->rules[0].sys == POLICY_SYS_NR && pol(c)->rules[0].nr == 5000,
		"raw number rule");
	EQ_I(seccomp_rule_add_exact(c, SCMP_ACT_ALLOW, 5002, 0), 0);
	/* an unknown pseudo number with only the native ABI: accepted, no effect */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, -200000, 0), 0);
	EQ_U(pol(c)->nrules, 2);
	EQ_I(seccomp_arch_add(c, SCMP_ARCH_X86), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, 5001, 0), -EFAULT);
	EQ_I(seccomp_rule_add_exact(c, SCMP_ACT_ALLOW, 5001, 0), -EOPNOTSUPP);
	/* -101 is socket's pseudo number, but x86_64 has socket: nothing to translate */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, -101, 0), -EFAULT);
	/* SCMP_SYS(socketcall) on x86_64 is a pseudo number that reaches x86 */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(9), SCMP_SYS(socketcall), 0), 0);
	T_CHECK(pol(c)->rules[2].sys == arch_syscall_id("socketcall") &&
		(pol(c)->rules[2].abis & x86), "socketcall rule reaches x86");
	/* exact: the call must exist as such on every ABI */
	EQ_I(seccomp_rule_add_exact(c, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 0), -EOPNOTSUPP);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 0), 0);
	/* accept exists on x86 only through socketcall: exact refuses the rewrite */
	EQ_I(seccomp_rule_add_exact(c, SCMP_ACT_ALLOW, SCMP_SYS(accept), 0), -EOPNOTSUPP);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(accept), 0), 0);
	/* muzzle: x86 has a direct socket(2), so the exact rule is expressible
	 * (libseccomp 2.5.4 answers -EOPNOTSUPP; see test_vs_libseccomp) */
	EQ_I(seccomp_rule_add_exact(c, SCMP_ACT_ALLOW, SCMP_SYS(socket), 0), 0);
	T_CHECK(pol(c)->rules[pol(c)->nrules - 1].abis == (native_mask() | x86),
		"rule for both ABIs");
	seccomp_release(c);
	t_end();
}

static void t_arches(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_KILL);

	t_begin("arches");
	EQ_I(seccomp_arch_add(c, SCMP_ARCH_NATIVE), -EEXIST);
	EQ_I(seccomp_arch_add(c, SCMP_ARCH_X86_64), -EEXIST);
	EQ_I(seccomp_arch_add(c, 0x1234), -EINVAL);
	EQ_I(seccomp_arch_exist(c, SCMP_ARCH_X86), -EEXIST);
	EQ_I(seccomp_arch_exist(c, SCMP_ARCH_NATIVE), 0);
	EQ_I(seccomp_arch_exist(c, 0x1234), -EINVAL);
	EQ_I(seccomp_arch_remove(c, SCMP_ARCH_X86), -EEXIST);
	EQ_I(seccomp_arch_remove(c, 0x1234), -EINVAL);
	EQ_I(seccomp_arch_exist(NULL, SCMP_ARCH_X86), -EINVAL);
	EQ_I(seccomp_arch_add(c, SCMP_ARCH_PPC64), -EDOM);	/* one byte order per context */
	EQ_I(seccomp_arch_add(c, SCMP_ARCH_S390X), -EDOM);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
	EQ_I(seccomp_arch_add(c, SCMP_ARCH_X32), 0);
	EQ_I(seccomp_arch_add(c, SCMP_ARCH_AARCH64), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(write), 0), 0);
	EQ_U(pol(c)->rules[0].abis, native_mask());	/* old rules stay where they were */
	EQ_U(pol(c)->rules[1].abis,
	       native_mask() | ARCH_MASK(ARCH_X32) | ARCH_MASK(ARCH_AARCH64));
	EQ_I(seccomp_arch_remove(c, SCMP_ARCH_NATIVE), 0);
	EQ_U(pol(c)->nrules, 1);			/* read went with x86_64 */
	EQ_U(pol(c)->rules[0].abis, ARCH_MASK(ARCH_X32) | ARCH_MASK(ARCH_AARCH64));
	EQ_I(seccomp_arch_remove(c, SCMP_ARCH_X32), 0);
	EQ_I(seccomp_arch_remove(c, SCMP_ARCH_AARCH64), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), -EINVAL);
	EQ_U(seccomp_arch_resolve_name("x86_64"), SCMP_ARCH_X86_64);
	EQ_U(seccomp_arch_resolve_name("x32"), SCMP_ARCH_X32);
	EQ_U(seccomp_arch_resolve_name("sheb"), SCMP_ARCH_SHEB);
	EQ_U(seccomp_arch_resolve_name("loongarch64"), SCMP_ARCH_LOONGARCH64);
	EQ_U(seccomp_arch_resolve_name("amd64"), 0);
	EQ_U(seccomp_arch_resolve_name("i386"), 0);
	EQ_U(seccomp_arch_resolve_name(NULL), 0);
	seccomp_release(c);
	t_end();
}

/* Every SCMP_ARCH_* of the header names the ABI the tables call it. */
static void t_arch_tokens(void)
{
	static const struct { uint32_t token; const char *name; } t[] = {
		{ SCMP_ARCH_X86, "x86" }, { SCMP_ARCH_X86_64, "x86_64" }, { SCMP_ARCH_X32, "x32" },
		{ SCMP_ARCH_ARM, "arm" }, { SCMP_ARCH_AARCH64, "aarch64" },
		{ SCMP_ARCH_LOONGARCH64, "loongarch64" }, { SCMP_ARCH_M68K, "m68k" },
		{ SCMP_ARCH_MIPS, "mips" }, { SCMP_ARCH_MIPSEL, "mipsel" },
		{ SCMP_ARCH_MIPS64, "mips64" }, { SCMP_ARCH_MIPSEL64, "mipsel64" },
		{ SCMP_ARCH_MIPS64N32, "mips64n32" }, { SCMP_ARCH_MIPSEL64N32, "mipsel64n32" },
		{ SCMP_ARCH_PARISC, "parisc" }, { SCMP_ARCH_PARISC64, "parisc64" },
		{ SCMP_ARCH_PPC, "ppc" }, { SCMP_ARCH_PPC64, "ppc64" }, { SCMP_ARCH_PPC64LE, "ppc64le" },
		{ SCMP_ARCH_RISCV64, "riscv64" }, { SCMP_ARCH_S390, "s390" },
		{ SCMP_ARCH_S390X, "s390x" }, { SCMP_ARCH_SH, "sh" }, { SCMP_ARCH_SHEB, "sheb" },
	};

	t_begin("arch_tokens");
	EQ_U(sizeof(t) / sizeof(t[0]), ARCH_COUNT);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const struct arch_desc *d = arch_by_scmp_token(t[i].token);

		T_CHECK(d && strcmp(d->name, t[i].name) == 0, "token 0x%x is %s", t[i].token,
			t[i].name);
		EQ_U(seccomp_arch_resolve_name(t[i].name), t[i].token);
	}
	EQ_U(SCMP_ARCH_X32, 0x4000003eu);
	EQ_U(SCMP_ARCH_SH, 0x4000002au);
	EQ_U(SCMP_ARCH_SHEB, 0x2au);
	EQ_U(SCMP_ARCH_LOONGARCH64, 0xc0000102u);
	EQ_U(SCMP_ARCH_M68K, 0x4u);
	t_end();
}

static void t_attrs(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t v;

	t_begin("attrs");
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_ACT_DEFAULT, SCMP_ACT_KILL), -EACCES);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_ACT_BADARCH, 0x12345678), -EINVAL);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(3)), 0);
	EQ_U(pol(c)->badarch_action, SCMP_ACT_ERRNO(3));
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_NNP, 2), 0);
	EQ_I(seccomp_attr_get(c, SCMP_FLTATR_CTL_NNP, &v), 0);
	EQ_U(v, 1);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_NNP, 0), 0);
	EQ_I(pol(c)->no_new_privs, 0);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_OPTIMIZE, 0), -EOPNOTSUPP);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_OPTIMIZE, 3), -EOPNOTSUPP);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_OPTIMIZE, 2), 0);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_TSYNC, 1), 0);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_LOG, 1), 0);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_SSB, 1), 0);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_WAITKILL, 1), 0);
	EQ_U(pol(c)->flags, POLICY_FLAG_TSYNC | POLICY_FLAG_LOG | POLICY_FLAG_SPEC_ALLOW |
	       POLICY_FLAG_WAIT_KILLABLE_RECV);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_LOG, 0), 0);
	EQ_I(seccomp_attr_get(c, SCMP_FLTATR_CTL_LOG, &v), 0);
	EQ_U(v, 0);
	EQ_I(seccomp_attr_set(c, 0, 1), -EINVAL);
	EQ_I(seccomp_attr_set(c, 11, 1), -EINVAL);
	EQ_I(seccomp_attr_set(NULL, SCMP_FLTATR_CTL_LOG, 1), -EINVAL);
	seccomp_release(c);
	t_end();
}

static void t_resolve(void)
{
	char *s;

	t_begin("resolve");
	EQ_I(seccomp_syscall_resolve_name("read"), 0);
	EQ_I(seccomp_syscall_resolve_name("socket"), 41);
	EQ_I(seccomp_syscall_resolve_name("nosuch"), __NR_SCMP_ERROR);
	EQ_I(seccomp_syscall_resolve_name(NULL), __NR_SCMP_ERROR);
	EQ_I(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, "read"), 3);
	EQ_I(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X32, "read"), 0x40000000);
	EQ_I(seccomp_syscall_resolve_name_arch(SCMP_ARCH_MIPS, "read"), 4003);
	EQ_I(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, "socketcall"), -10060);
	EQ_I(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, "socket"), -101);
	EQ_I(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, "shmget"), -223);
	EQ_I(seccomp_syscall_resolve_name_arch(0x1234, "read"), __NR_SCMP_ERROR);
	EQ_I(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_X86, "socket"), 102);
	EQ_I(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_X86, "shmget"), 117);
	EQ_I(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_X86, "read"), 3);
	EQ_I(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_X86_64, "socket"), 41);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, 0);
	T_EQ_S(s, "read");
	free(s);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X32, 0);
	T_EQ_S(s, "read");
	free(s);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X32, 0x40000000);
	T_EQ_S(s, "read");
	free(s);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_MIPS, 4003);
	T_EQ_S(s, "read");
	free(s);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, -10060);
	T_EQ_S(s, "socketcall");
	free(s);
	T_CHECK(seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, -101) == NULL, "-101 on x86_64");
	T_CHECK(seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, 5000) == NULL, "5000");
	T_CHECK(seccomp_syscall_resolve_num_arch(0x1234, 1) == NULL, "bad arch");
	t_end();
}

static void t_priority(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_KILL);

	t_begin("priority");
	EQ_I(seccomp_syscall_priority(c, -50, 3), -EINVAL);
	EQ_I(seccomp_syscall_priority(c, SCMP_SYS(read), 200), 0);
	T_CHECK(pol(c)->priority && pol(c)->priority[arch_syscall_id("read")] == 200,
		"stored as a hint per syscall id");
	EQ_I(seccomp_syscall_priority(c, 5000, 3), 0);
	EQ_I(seccomp_arch_add(c, SCMP_ARCH_X86), 0);
	EQ_I(seccomp_syscall_priority(c, 5000, 3), -EFAULT);
	EQ_I(seccomp_syscall_priority(c, -101, 3), -EFAULT);
	EQ_I(seccomp_syscall_priority(NULL, 1, 3), -EINVAL);
	seccomp_release(c);
	t_end();
}

static scmp_filter_ctx ctx_on(uint32_t def, uint32_t arch)
{
	scmp_filter_ctx c = seccomp_init(def);

	if (arch != SCMP_ARCH_NATIVE) {
		seccomp_arch_remove(c, SCMP_ARCH_NATIVE);
		seccomp_arch_add(c, arch);
	}
	return c;
}

static void t_merge(void)
{
	scmp_filter_ctx a = seccomp_init(SCMP_ACT_ALLOW), b;

	t_begin("merge");
	seccomp_rule_add(a, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 0);
	b = seccomp_init(SCMP_ACT_ALLOW);
	EQ_I(seccomp_merge(a, b), -EEXIST);
	seccomp_release(b);
	b = ctx_on(SCMP_ACT_ERRNO(1), SCMP_ARCH_X86);
	EQ_I(seccomp_merge(a, b), -EINVAL);
	seccomp_release(b);
	b = ctx_on(SCMP_ACT_ALLOW, SCMP_ARCH_X86);
	seccomp_attr_set(b, SCMP_FLTATR_CTL_NNP, 0);
	EQ_I(seccomp_merge(a, b), -EINVAL);
	seccomp_release(b);
	b = ctx_on(SCMP_ACT_ALLOW, SCMP_ARCH_X86);
	seccomp_arch_remove(b, SCMP_ARCH_X86);
	EQ_I(seccomp_merge(a, b), -EINVAL);	/* no ABI at all */
	seccomp_release(b);
	b = ctx_on(SCMP_ACT_ALLOW, SCMP_ARCH_X86);
	seccomp_attr_set(b, SCMP_FLTATR_CTL_TSYNC, 1);
	EQ_I(seccomp_merge(a, b), -EINVAL);
	seccomp_release(b);
	b = ctx_on(SCMP_ACT_ALLOW, SCMP_ARCH_PPC64);
	EQ_I(seccomp_merge(a, b), -EDOM);		/* other byte order */
	seccomp_release(b);
	b = ctx_on(SCMP_ACT_ALLOW, SCMP_ARCH_X86);
	/* LOG and the badarch action are not compared, as libseccomp */
	seccomp_attr_set(b, SCMP_FLTATR_CTL_LOG, 1);
	seccomp_attr_set(b, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(4));
	EQ_I(seccomp_rule_add(b, SCMP_ACT_ERRNO(2), SCMP_SYS(write), 0), 0);
	EQ_I(seccomp_merge(a, b), 0);			/* b is consumed */
	EQ_U(pol(a)->arches, native_mask() | ARCH_MASK(ARCH_X86));
	EQ_U(pol(a)->nrules, 2);
	EQ_U(pol(a)->rules[1].abis, ARCH_MASK(ARCH_X86));
	EQ_U(pol(a)->badarch_action, SCMP_ACT_KILL_THREAD);	/* the destination's */
	EQ_I(seccomp_merge(a, NULL), -EINVAL);
	seccomp_release(a);
	t_end();
}

static void t_transactions(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t v;

	t_begin("transactions");
	EQ_I(seccomp_transaction_commit(c), -EINVAL);
	seccomp_transaction_reject(c);	/* nothing to reject: no effect */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 0), 0);
	EQ_I(seccomp_transaction_start(c), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(2), SCMP_SYS(write), 0), 0);
	EQ_I(seccomp_arch_add(c, SCMP_ARCH_X86), 0);
	EQ_I(seccomp_transaction_start(c), 0);	/* nested */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(3), SCMP_SYS(close), 0), 0);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_LOG, 1), 0);
	seccomp_transaction_reject(c);
	EQ_U(pol(c)->nrules, 2);
	EQ_I(seccomp_attr_get(c, SCMP_FLTATR_CTL_LOG, &v), 0);
	EQ_U(v, 1);	/* attributes are not part of the snapshot */
	seccomp_transaction_reject(c);
	EQ_U(pol(c)->nrules, 1);
	EQ_U(pol(c)->arches, native_mask());
	EQ_I(seccomp_transaction_start(c), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ERRNO(2), SCMP_SYS(write), 0), 0);
	EQ_I(seccomp_transaction_commit(c), 0);
	EQ_U(pol(c)->nrules, 2);
	EQ_I(seccomp_transaction_start(c), 0);	/* left open: release frees it */
	seccomp_release(c);
	t_end();
}

static void t_reset(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t v;

	t_begin("reset");
	seccomp_arch_add(c, SCMP_ARCH_X86);
	seccomp_rule_add(c, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 0);
	seccomp_attr_set(c, SCMP_FLTATR_CTL_LOG, 1);
	EQ_I(seccomp_reset(c, 0x12345678), -EINVAL);
	EQ_I(seccomp_reset(NULL, SCMP_ACT_ALLOW), 0);
	EQ_I(seccomp_reset(c, SCMP_ACT_KILL), 0);
	EQ_U(pol(c)->nrules, 0);
	EQ_U(pol(c)->arches, native_mask());
	EQ_I(seccomp_attr_get(c, SCMP_FLTATR_ACT_DEFAULT, &v), 0);
	EQ_U(v, SCMP_ACT_KILL);
	EQ_I(seccomp_attr_get(c, SCMP_FLTATR_CTL_LOG, &v), 0);
	EQ_U(v, 0);
	seccomp_release(c);
	t_end();
}

static void t_api_level(void)
{
	unsigned probed = seccomp_api_get();
	scmp_filter_ctx c;

	t_begin("api_level");
	T_CHECK(probed >= 1 && probed <= 7, "level %u", probed);
	EQ_I(seccomp_api_set(0), -EINVAL);
	EQ_I(seccomp_api_set(8), -EINVAL);
	EQ_I(seccomp_api_set(2), 0);
	EQ_U(seccomp_api_get(), 2);
	c = seccomp_init(SCMP_ACT_ALLOW);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_TSYNC, 1), 0);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_LOG, 1), -EOPNOTSUPP);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_LOG, 0), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_LOG, SCMP_SYS(read), 0), -EINVAL);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_NOTIFY, SCMP_SYS(read), 0), -EINVAL);
	T_CHECK(seccomp_init(SCMP_ACT_KILL_PROCESS) == NULL, "KILL_PROCESS needs level 3");
	EQ_I(seccomp_api_set(5), 0);	/* listeners, but no TSYNC_ESRCH */
	EQ_I(seccomp_rule_add(c, SCMP_ACT_NOTIFY, SCMP_SYS(read), 0), -EINVAL);	/* TSYNC is set */
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_CTL_TSYNC, 0), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_NOTIFY, SCMP_SYS(read), 0), 0);
	EQ_I(seccomp_api_set(probed), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_LOG, SCMP_SYS(write), 0), probed >= 3 ? 0 : -EINVAL);
	seccomp_release(c);
	t_end();
}

/* Reads everything from a pipe fed by a writer callback. */
static size_t export_pipe(scmp_filter_ctx c, int pfc, char *buf, size_t cap, int *rc)
{
	int p[2];
	size_t n = 0;
	ssize_t k;

	if (pipe(p) < 0)
		return 0;
	*rc = pfc ? seccomp_export_pfc(c, p[1]) : seccomp_export_bpf(c, p[1]);
	close(p[1]);
	while (n < cap && (k = read(p[0], buf + n, cap - n)) > 0)
		n += (size_t)k;
	close(p[0]);
	return n;
}

static void t_export(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_KILL);
	static char a[65536], b[65536], text[65536];
	size_t len, n;
	int rc = -1;

	t_begin("export");
	seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 0);
	seccomp_rule_add(c, SCMP_ACT_ERRNO(5), SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 2));
	EQ_I(seccomp_export_bpf_mem(c, a, NULL), -EINVAL);
	len = 8;
	EQ_I(seccomp_export_bpf_mem(c, a, &len), -ERANGE);
	T_CHECK(len > 8 && len % sizeof(struct sock_filter) == 0, "size reported: %zu", len);
	n = len;
	EQ_I(seccomp_export_bpf_mem(c, a, &len), 0);
	EQ_U(len, n);
	EQ_U(export_pipe(c, 0, b, sizeof(b), &rc), n);
	EQ_I(rc, 0);
	T_CHECK(memcmp(a, b, n) == 0, "fd and memory exports agree");
	EQ_I(bpf_verify((struct sock_filter *)a, n / 8, NULL), 0);
	EQ_I(seccomp_export_bpf(c, 999), -ECANCELED);
	n = export_pipe(c, 1, text, sizeof(text) - 1, &rc);
	text[n] = 0;
	EQ_I(rc, 0);
	T_CHECK(strstr(text, "pseudo filter code start") && strstr(text, "\"read\"") &&
		strstr(text, "ERRNO(5)"), "pfc listing:\n%s", text);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_API_SYSRAWRC, 1), 0);
	EQ_I(seccomp_export_bpf(c, 999), -EBADF);
	/* a big-endian context exports in its ABIs' byte order */
	{
		scmp_filter_ctx be = ctx_on(SCMP_ACT_ALLOW, SCMP_ARCH_S390X);
		struct sock_filter *f = (struct sock_filter *)a;

		len = sizeof(a);
		EQ_I(seccomp_export_bpf_mem(be, a, &len), 0);
		EQ_U(f[0].code, __builtin_bswap16(BPF_LD | BPF_W | BPF_ABS));
		EQ_U(f[0].k, __builtin_bswap32(offsetof(struct seccomp_data, arch)));
		seccomp_release(be);
	}
	EQ_I(seccomp_export_pfc(c, 999), -EBADF);
	seccomp_release(c);
	t_end();
}

static void t_precompute(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_KILL);
	static char a[65536], b[65536];
	size_t la = sizeof(a), lb = sizeof(b);

	t_begin("precompute");
	seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(read), 0);
	EQ_I(seccomp_precompute(c), 0);
	T_CHECK(ctx_of(c)->cached, "cached");
	EQ_I(seccomp_export_bpf_mem(c, a, &la), 0);
	EQ_I(seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(write), 0), 0);
	T_CHECK(!ctx_of(c)->cached, "a rule change drops the cache");
	EQ_I(seccomp_export_bpf_mem(c, b, &lb), 0);
	T_CHECK(la != lb || memcmp(a, b, la) != 0, "the new rule shows in the program");
	EQ_I(seccomp_precompute(c), 0);
	EQ_I(seccomp_attr_set(c, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP), 0);
	T_CHECK(!ctx_of(c)->cached, "an attribute change drops the cache");
	EQ_I(seccomp_precompute(NULL), -EINVAL);
	seccomp_release(c);
	t_end();
}

/* Runs fn in a child; returns its wait status. */
static int in_child(int (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return st;
}

static int child_errno_rule(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);

	if (!c || seccomp_rule_add(c, SCMP_ACT_ERRNO(77), SCMP_SYS(getppid), 0) ||
	    seccomp_rule_add(c, SCMP_ACT_ERRNO(78), SCMP_SYS(getpgid), 1,
			     SCMP_A0(SCMP_CMP_EQ, 12345)) || seccomp_load(c))
		return 1;
	seccomp_release(c);
	if (syscall(SYS_getppid) != -1 || errno != 77)
		return 2;
	if (syscall(SYS_getpgid, 12345) != -1 || errno != 78)
		return 3;
	if (syscall(SYS_getpgid, 0) < 0)
		return 4;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return 5;
	return 0;
}

static int child_kill_default(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_KILL_PROCESS);

	if (!c || seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0) ||
	    seccomp_load(c))
		return 1;
	syscall(SYS_getppid);
	return 2;	/* exit_group is allowed: reaching here is a failure */
}

static int child_tsync_precomputed(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);

	if (!c || seccomp_rule_add(c, SCMP_ACT_ERRNO(11), SCMP_SYS(getppid), 0) ||
	    seccomp_attr_set(c, SCMP_FLTATR_CTL_TSYNC, 1) || seccomp_precompute(c))
		return 1;
	if (seccomp_load(c))
		return 2;
	return syscall(SYS_getppid) == -1 && errno == 11 ? 0 : 3;
}

static int child_bad_load(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
	int rc;

	/* a second listener in the same filter tree is refused by the kernel */
	seccomp_rule_add(c, SCMP_ACT_NOTIFY, SCMP_SYS(getppid), 0);
	if (seccomp_load(c) || seccomp_notify_fd(c) < 0)
		return 1;
	seccomp_release(c);
	c = seccomp_init(SCMP_ACT_ALLOW);
	seccomp_rule_add(c, SCMP_ACT_NOTIFY, SCMP_SYS(getpgid), 0);
	rc = seccomp_load(c);
	if (rc != -ECANCELED)
		return 2;
	seccomp_attr_set(c, SCMP_FLTATR_API_SYSRAWRC, 1);
	rc = seccomp_load(c);
	return rc == -EBUSY ? 0 : 3;
}

/* After the first use the API level is known without system calls: a
 * filter that refuses seccomp(2) does not change what the API accepts. */
static int child_level_kept(void)
{
	unsigned level = seccomp_api_get();
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW), d;

	if (!c || seccomp_rule_add(c, SCMP_ACT_ERRNO(1), SCMP_SYS(seccomp), 0) || seccomp_load(c))
		return 1;
	if (seccomp_api_get() != level)
		return 2;
	d = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (level >= 3 && !d)
		return 3;
	/* and loading now fails cleanly */
	return d && seccomp_load(d) == -ECANCELED ? 0 : 4;
}

static void t_load(void)
{
	int st;

	t_begin("load_in_child");
	st = in_child(child_errno_rule);
	T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "errno rules: status 0x%x", st);
	st = in_child(child_kill_default);
	T_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "KILL_PROCESS default: 0x%x", st);
	st = in_child(child_tsync_precomputed);
	T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tsync + precompute: 0x%x", st);
	st = in_child(child_level_kept);
	T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "level kept: 0x%x", st);
	st = in_child(child_bad_load);
	T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "second listener: 0x%x", st);
	EQ_I(seccomp_load(NULL), -EINVAL);
	t_end();
}

/* A supervisor child loads a NOTIFY filter, forks the notified process and
 * answers its getppid() with 4242 and a duplicated fd. */
static int child_notify(void)
{
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
	int fd, st, rc = 0;
	pid_t pid;

	if (!c || seccomp_rule_add(c, SCMP_ACT_NOTIFY, SCMP_SYS(getppid), 0) || seccomp_load(c))
		return 10;
	fd = seccomp_notify_fd(c);
	if (fd < 0)
		return 11;
	pid = fork();
	if (pid == 0) {
		long r = syscall(SYS_getppid);

		/* fd 42 was put there by the supervisor */
		_exit(r == 4242 && fcntl(42, F_GETFD) >= 0 ? 0 : 1);
	}
	if (seccomp_notify_alloc(&req, &resp))
		return 12;
	if (seccomp_notify_receive(fd, req))
		rc = 13;
	else if (req->data.nr != __NR_getppid || req->pid != (uint32_t)pid)
		rc = 14;
	else if (seccomp_notify_id_valid(fd, req->id))
		rc = 15;
	else if (muzzle_notify_addfd(fd, req->id, 1, 42, 0) != 42)
		rc = 16;
	resp->id = req->id;
	resp->val = 4242;
	resp->error = 0;
	resp->flags = 0;
	if (!rc && seccomp_notify_respond(fd, resp))
		rc = 17;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		rc = rc ? rc : 18;
	if (!rc && seccomp_notify_id_valid(fd, req->id) != -ENOENT)
		rc = 19;
	seccomp_notify_free(req, resp);
	return rc;
}

static void t_notify(void)
{
	struct seccomp_notif *req = NULL;
	struct seccomp_notif_resp *resp = NULL;
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
	int st;

	t_begin("notify");
	EQ_I(seccomp_notify_alloc(&req, &resp), 0);
	T_CHECK(req && resp, "allocated");
	seccomp_notify_free(req, resp);
	EQ_I(seccomp_notify_fd(c), -EFAULT);	/* no listener yet, as libseccomp 2.5 */
	EQ_I(seccomp_notify_fd(NULL), -EINVAL);
	EQ_I(seccomp_notify_id_valid(-1, 1), -ENOENT);
	EQ_I(seccomp_notify_respond(-1, NULL), -ECANCELED);
	st = in_child(child_notify);
	T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "notification round trip: 0x%x", st);
	seccomp_release(c);
	t_end();
}

static int child_strict(void)
{
	if (load_strict())
		return 1;
	syscall(SYS_getpid);	/* not read/write/exit/sigreturn: SIGKILL */
	return 2;
}

static int child_flags(void)
{
	static const struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	int fd;

	/* no listener without NEW_LISTENER; with it, a descriptor */
	if (load_filter(allow, 1, 0, 1) != 0)
		return 1;
	fd = load_filter(allow, 1, SECCOMP_FILTER_FLAG_NEW_LISTENER, 1);
	if (fd < 0)
		return 2;
	if (load_filter(allow, 1, SECCOMP_FILTER_FLAG_NEW_LISTENER, 1) != -EBUSY)
		return 3;
	if (load_filter(allow, 1, 1u << 30, 1) != -EINVAL)
		return 4;
	return 0;
}

static void t_loader(void)
{
	struct seccomp_notif_sizes sz;
	static const struct sock_filter one[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	int st;

	t_begin("loader");
	EQ_I(load_action_available(SECCOMP_RET_ALLOW), 1);
	EQ_I(load_action_available(SECCOMP_RET_KILL_PROCESS), 1);
	EQ_I(load_action_available(0x12340000u), 0);
	EQ_I(load_flag_available(SECCOMP_FILTER_FLAG_TSYNC), 1);
	EQ_I(load_flag_available(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV), 1);
	EQ_I(load_flag_available(1u << 30), 0);
	EQ_I(load_notif_sizes(&sz), 0);
	T_CHECK(sz.seccomp_notif >= sizeof(struct seccomp_notif) &&
		sz.seccomp_data >= sizeof(struct seccomp_data), "notification sizes");
	EQ_I(load_filter(NULL, 1, 0, 1), -EINVAL);
	EQ_I(load_filter(one, 0, 0, 1), -EINVAL);
	EQ_I(load_filter(one, 70000, 0, 1), -EINVAL);
	st = in_child(child_strict);
	T_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "strict mode: 0x%x", st);
	st = in_child(child_flags);
	T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "flags and listener: 0x%x", st);
	t_end();
}

int main(void)
{
	t_version();
	t_init_defaults();
	t_rule_errors();
	t_rule_model();
	t_cmp_macros();
	t_rule_conflicts();
	t_translation();
	t_arches();
	t_arch_tokens();
	t_attrs();
	t_resolve();
	t_priority();
	t_merge();
	t_transactions();
	t_reset();
	t_api_level();
	t_export();
	t_precompute();
	t_load();
	t_notify();
	t_loader();
	return t_done();
}
