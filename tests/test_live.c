/* Real filters on the running kernel: for every syscall number of the native
 * ABI (and a margin past the last), the kernel's verdict must agree with
 * bpf_run on the compiled program and with policy_eval on the policy.
 *
 * Safety: each call runs in a forked child that has loaded the filter under
 * test F and a guard filter S returning SECCOMP_RET_TRACE for everything but
 * the few calls the child needs (exit_group, rt_sigreturn, and prctl/seccomp
 * to load F).  With no tracer attached, TRACE fails a call with ENOSYS before
 * it runs, and the kernel applies the strictest verdict of all filters: so F's
 * ALLOW/LOG/TRACE/USER_NOTIF show as ENOSYS, ERRNO(n) as errno n, TRAP as
 * SIGSYS (our handler exits with 250), KILL as death by SIGSYS, and no call
 * under test ever executes.  The guard's own exceptions are not tested. */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>

#include <seccomp.h>
#include "compat/compat.h"
#include "compile/compile.h"
#include "load/load.h"
#include "policy/eval.h"
#include "harness.h"
#include "live_guard.h"

enum entry { ENTRY_SYSCALL, ENTRY_INT80 };

static void on_sigsys(int sig)
{
	(void)sig;
	syscall(SYS_exit_group, TRAP_EXIT);
}

/* i386 entry from a 64-bit process; args[5] (ebp) is left alone, so only
 * five arguments reach the call. */
static long do_int80(uint32_t nr, const uint64_t *a)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"((long)nr), "b"((long)(uint32_t)a[0]), "c"((long)(uint32_t)a[1]),
			   "d"((long)(uint32_t)a[2]), "S"((long)(uint32_t)a[3]),
			   "D"((long)(uint32_t)a[4])
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
#else
	(void)nr;
	(void)a;
	errno = ENOSYS;
	return -1;
#endif
}

/* In the child: load S then F (or the context ctx through seccomp_load),
 * make the call, report through the exit code. */
static void child(const struct bpf_prog *f, scmp_filter_ctx ctx, enum entry e, uint32_t nr,
		  const uint64_t *a)
{
	struct sigaction sa;
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigsys;
	sigaction(SIGSYS, &sa, NULL);
	if (load_filter(live_guard, LIVE_GUARD_LEN, 0, 1) < 0)
		_exit(254);
	if (ctx && seccomp_load(ctx) < 0)
		_exit(252);
	if (!ctx && f && load_filter(f->insns, f->len, 0, 1) < 0)
		_exit(253);
	if (e == ENTRY_INT80) {
		r = do_int80(nr, a);
		if (r < 0 && r > -4096) {
			errno = (int)-r;
			r = -1;
		}
	} else {
		r = syscall((long)(int32_t)nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	syscall(SYS_exit_group, r == -1 ? (errno & 0xff) : 0);
}

static int kernel_class(const struct bpf_prog *f, scmp_filter_ctx ctx, enum entry e, uint32_t nr,
			const uint64_t *a)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		child(f, ctx, e, nr, a);
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return CLASS_BROKEN;
	if (WIFSIGNALED(st))
		return WTERMSIG(st) == SIGSYS ? CLASS_KILL : CLASS_BROKEN + WTERMSIG(st);
	return WEXITSTATUS(st);
}

struct sweep {
	const struct policy *p;
	const struct bpf_prog *prog;
	scmp_filter_ctx ctx;	/* load through the libseccomp API instead */
	enum entry entry;
	uint32_t token;
	int mismatches;
	unsigned long calls;
};

static void check_one(struct sweep *s, uint32_t nr, const uint64_t *args)
{
	struct seccomp_data d;
	uint32_t a_bpf, a_eval;
	int want, got;

	memset(&d, 0, sizeof(d));
	d.nr = (int)nr;
	d.arch = s->token;
	for (int i = 0; i < 6; i++)
		d.args[i] = s->entry == ENTRY_INT80 ? (uint32_t)args[i] : args[i];
	if (s->entry == ENTRY_INT80)
		d.args[5] = 0;	/* do_int80 does not pass it */
	a_bpf = bpf_run(s->prog->insns, s->prog->len, &d, NULL);
	a_eval = policy_eval(s->p, &d).action;
	want = expected_class(a_bpf);
	got = kernel_class(s->prog, s->ctx, s->entry, nr, args);
	s->calls++;
	if (a_bpf == a_eval && want == got)
		return;
	if (s->mismatches++ < 5)
		T_CHECK(0, "nr %u args[0]=0x%llx: eval 0x%x, bpf 0x%x, kernel class %d (want %d)",
			nr, (unsigned long long)args[0], a_eval, a_bpf, got, want);
}

/* Argument vectors worth trying for nr: zeros, and each datum a rule on nr
 * compares against, at and around it. */
static void check_nr(struct sweep *s, enum arch_id abi, uint32_t nr)
{
	uint64_t args[6] = { 0 };

	check_one(s, nr, args);
	for (size_t i = 0; i < s->p->nrules; i++) {
		const struct policy_rule *r = &s->p->rules[i];

		if (r->sys < 0 || (uint32_t)arch_syscall_nr(abi, r->sys) != nr)
			continue;
		for (unsigned c = 0; c < r->ncond; c++) {
			for (int delta = -1; delta <= 1; delta++) {
				memset(args, 0, sizeof(args));
				for (unsigned k = 0; k < r->ncond; k++)
					args[r->cond[k].arg] = r->cond[k].datum;
				args[r->cond[c].arg] = r->cond[c].datum + (uint64_t)(int64_t)delta;
				check_one(s, nr, args);
			}
		}
	}
}

static uint32_t max_nr(enum arch_id abi)
{
	uint32_t m = 0;

	for (int id = 0; id < arch_syscall_count(); id++) {
		int32_t nr = arch_syscall_nr(abi, id);

		uint32_t n = (uint32_t)nr & ~ARCH_X32_SYSCALL_BIT;

		if (nr != ARCH_NR_NONE && n > m)
			m = n;
	}
	return m;
}

static void add(struct policy *p, uint32_t action, const char *name, int ncond,
		unsigned arg, enum policy_op op, uint64_t datum, uint64_t mask)
{
	struct policy_rule r;

	policy_rule_init(&r, action, arch_syscall_id(name));
	if (ncond)
		policy_rule_add_cond(&r, arg, op, datum, mask);
	r.abis = p->arches;
	if (policy_add_rule(p, &r, NULL))
		T_CHECK(0, "adding a rule on %s", name);
}

/* Every policy keeps the child's exit path open. */
static void base(struct policy *p, uint32_t def, uint32_t arches)
{
	policy_init(p, def);
	p->arches = arches;
	add(p, POLICY_ACT_ALLOW, "exit_group", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_ALLOW, "rt_sigreturn", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_ALLOW, "sigreturn", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_ALLOW, "exit", 0, 0, 0, 0, 0);
}

static void mixed(struct policy *p, uint32_t def, uint32_t arches)
{
	base(p, def, arches);
	add(p, POLICY_ACT_ERRNO(11), "getpid", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_ERRNO(12), "getppid", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_TRAP, "getuid", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_KILL_PROCESS, "reboot", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_KILL_THREAD, "kexec_load", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_ALLOW, "read", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_LOG, "write", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_TRACE(5), "close", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_ERRNO(13), "openat", 1, 2, POLICY_OP_MASKED_EQ, 0x3, 0x1);
	add(p, POLICY_ACT_ERRNO(14), "openat", 1, 2, POLICY_OP_MASKED_EQ, 0x3, 0x2);
	add(p, POLICY_ACT_ERRNO(15), "ioctl", 1, 1, POLICY_OP_EQ, 0x5401, 0);
	add(p, POLICY_ACT_ERRNO(16), "ioctl", 1, 1, POLICY_OP_GT, 0x80000000ull, 0);
	add(p, POLICY_ACT_TRAP, "kill", 1, 1, POLICY_OP_EQ, 9, 0);
	add(p, POLICY_ACT_ERRNO(17), "mmap", 1, 0, POLICY_OP_LT, 0x10000, 0);
	add(p, POLICY_ACT_ERRNO(18), "mmap", 1, 2, POLICY_OP_MASKED_NE, 0x4, 0x4);
	add(p, POLICY_ACT_ERRNO(19), "dup", 1, 0, POLICY_OP_NE, 3, 0);
	add(p, POLICY_ACT_ERRNO(20), "dup2", 1, 1, POLICY_OP_GE, 0x100000000ull, 0);
	add(p, POLICY_ACT_ERRNO(21), "dup3", 1, 0, POLICY_OP_LE, 2, 0);
	add(p, POLICY_ACT_ERRNO(22), "socket", 0, 0, 0, 0, 0);
	add(p, POLICY_ACT_ERRNO(23), "socketcall", 0, 0, 0, 0, 0);
}

static void sweep_policy(const char *name, const struct policy *p, enum arch_id abi,
			 enum entry entry, const uint32_t *extra, size_t nextra, scmp_filter_ctx ctx)
{
	struct bpf_prog prog;
	struct muzzle_error err;
	struct sweep s = { .p = p, .prog = &prog, .entry = entry, .ctx = ctx };
	uint32_t top = max_nr(abi) + 16;
	uint32_t base_nr = abi == ARCH_X32 ? ARCH_X32_SYSCALL_BIT : 0;
	int nbypass = 0;

	t_begin(name);
	s.token = arch_get(abi)->token;
	bpf_prog_init(&prog);
	if (compile_policy(p, NULL, &prog, NULL, &err)) {
		T_CHECK(0, "compile: %s", err.msg);
		t_end();
		return;
	}
	for (uint32_t nr = 0; nr <= top; nr++) {
		if (abi == ARCH_X86_64 && live_guarded(nr))
			continue;
		if (live_bypassed(abi, base_nr + nr)) {
			nbypass++;
			continue;
		}
		check_nr(&s, abi, base_nr + nr);
	}
	for (size_t i = 0; i < nextra; i++)
		check_nr(&s, abi, extra[i]);
	T_CHECK(s.calls + nbypass + 4 > top, "only %lu calls checked", s.calls);
	printf("# %s: %lu calls, %d mismatches; %d calls the kernel does not filter\n",
	       name, s.calls, s.mismatches, nbypass);
	bpf_prog_free(&prog);
	t_end();
}

/* The bypass is a kernel fact the sweeps rely on: check it holds here (a
 * KILL_PROCESS default would otherwise kill the child by SIGSYS). */
static void check_bypass(void)
{
	struct policy p;
	struct bpf_prog prog;
	uint64_t args[6] = { 0 };
	int n = 0;

	t_begin("live_kernel_bypass");
	base(&p, POLICY_ACT_KILL_PROCESS, ARCH_MASK(ARCH_X86_64));
	bpf_prog_init(&prog);
	T_CHECK(compile_policy(&p, NULL, &prog, NULL, NULL) == 0, "compile");
	for (uint32_t nr = 0; nr < 1024; nr++) {
		int got;

		if (!live_bypassed(ARCH_X86_64, nr))
			continue;
		n++;
		got = kernel_class(&prog, NULL, ENTRY_SYSCALL, nr, args);
		T_CHECK(got != CLASS_KILL, "nr %u was filtered (class %d)", nr, got);
	}
	printf("# %d syscalls bypass seccomp on this kernel\n", n);
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* The same through the libseccomp API: rules added with seccomp_rule_add,
 * the child loads with seccomp_load (the guard lets prctl/seccomp through),
 * and the expectations come from the context's policy. */
static void compat_sweep(enum arch_id native, const uint32_t *extra)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ERRNO(9));

	if (!c || seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0) ||
	    seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigreturn), 0) ||
	    seccomp_rule_add(c, SCMP_ACT_ERRNO(40), SCMP_SYS(getpid), 0) ||
	    seccomp_rule_add(c, SCMP_ACT_TRAP, SCMP_SYS(uname), 0) ||
	    seccomp_rule_add(c, SCMP_ACT_KILL_PROCESS, SCMP_SYS(reboot), 0) ||
	    seccomp_rule_add(c, SCMP_ACT_ERRNO(41), SCMP_SYS(openat), 1,
			     SCMP_A2(SCMP_CMP_MASKED_EQ, 3, 1)) ||
	    seccomp_rule_add(c, SCMP_ACT_ERRNO(42), SCMP_SYS(kill), 2,
			     SCMP_A0(SCMP_CMP_GT, 1), SCMP_A1_32(SCMP_CMP_EQ, -1)) ||
	    seccomp_rule_add(c, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) ||
	    seccomp_syscall_priority(c, SCMP_SYS(getpid), 255) ||
	    seccomp_attr_set(c, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(43)) ||
	    seccomp_precompute(c)) {
		t_begin("live_compat_api");
		T_CHECK(0, "building the context");
		t_end();
		seccomp_release(c);
		return;
	}
	sweep_policy("live_compat_api", &ctx_of(c)->pol, native, ENTRY_SYSCALL, extra, 7, c);
	seccomp_release(c);
}

/* Does the kernel run i386 int 0x80 / x32 calls at all?  (Child processes,
 * no filter: getpid must return our pid.) */
static int entry_works(enum entry e, uint32_t nr)
{
	uint64_t a[6] = { 0 };
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		long r = e == ENTRY_INT80 ? do_int80(nr, a) : syscall((long)nr);

		_exit(r == (long)getpid() ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(void)
{
	enum arch_id native = arch_native()->id;
	const uint32_t extra[] = { 1000, 0x3fffffff, 0x40000000, 0x40000000 + __NR_getpid,
				   0x40000000 + 513, 0x7fffffff, 0xffffffff };
	struct policy p;

	if (native != ARCH_X86_64) {
		t_skip("live", "the guard filter is written for x86_64");
		return t_done();
	}
	check_bypass();
	mixed(&p, POLICY_ACT_ERRNO(3), ARCH_MASK(ARCH_X86_64));
	sweep_policy("live_mixed_errno_default", &p, native, ENTRY_SYSCALL, extra, 7, NULL);
	policy_free(&p);

	mixed(&p, POLICY_ACT_KILL_PROCESS, ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X32));
	p.badarch_action = POLICY_ACT_ERRNO(7);
	sweep_policy("live_mixed_kill_default", &p, native, ENTRY_SYSCALL, extra, 7, NULL);
	policy_free(&p);

	base(&p, POLICY_ACT_ALLOW, ARCH_MASK(ARCH_X86_64));
	add(&p, POLICY_ACT_ERRNO(30), "ptrace", 0, 0, 0, 0, 0);
	add(&p, POLICY_ACT_TRAP, "mount", 0, 0, 0, 0, 0);
	add(&p, POLICY_ACT_KILL_PROCESS, "init_module", 0, 0, 0, 0, 0);
	p.badarch_action = POLICY_ACT_TRAP;
	sweep_policy("live_denylist", &p, native, ENTRY_SYSCALL, extra, 7, NULL);
	policy_free(&p);

	base(&p, POLICY_ACT_TRAP, ARCH_MASK(ARCH_X86_64));
	sweep_policy("live_trap_default", &p, native, ENTRY_SYSCALL, NULL, 0, NULL);
	policy_free(&p);

	/* x32: the filter sees x32 numbers even when the kernel has no x32 ABI
	 * (seccomp runs before dispatch), so the verdicts are checked anyway. */
	mixed(&p, POLICY_ACT_ERRNO(4), ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X32));
	sweep_policy("live_x32_numbers", &p, ARCH_X32, ENTRY_SYSCALL, NULL, 0, NULL);
	policy_free(&p);
	if (!entry_works(ENTRY_SYSCALL, ARCH_X32_SYSCALL_BIT | __NR_getpid))
		t_skip("live_x32_execution", "this kernel has no x32 ABI (x32 getpid fails)");
	else
		printf("# x32 ABI present: x32 calls execute on this kernel\n");

	if (!entry_works(ENTRY_INT80, 20 /* i386 getpid */)) {
		t_skip("live_i386", "int 0x80 does not work here (no IA32 emulation)");
	} else {
		mixed(&p, POLICY_ACT_ERRNO(4), ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_X86_64));
		/* the guard traps every non-x86_64 call: i386 verdicts show the same way */
		sweep_policy("live_i386", &p, ARCH_X86, ENTRY_INT80, NULL, 0, NULL);
		policy_free(&p);
	}
	compat_sweep(native, extra);
	return t_done();
}
