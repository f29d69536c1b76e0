/* The escape suite: for each policy that denies a call, try to reach the call
 * another way and show it stays denied.  Real filters on the running kernel,
 * each loaded in a forked child (never in the test runner), plus interpreter
 * checks (bpf_run on the compiled program, policy_eval on the policy) for the
 * entry points this machine does not have.
 *
 * Routes tried: the i386 entry (int 0x80) and the x32 bit from an x86_64
 * process; socketcall(2)/ipc(2) for socket/shmat; clone3 and openat2, whose
 * flags are behind a pointer, for clone and openat; open/creat for openat; the
 * high word of a 64-bit argument; sign extension of a 32-bit -1; a number past
 * every table; a second thread (TSYNC); a second, permissive filter; execve of
 * a setuid binary; loading without no_new_privs.
 *
 * Every escape attempt is counted; the last line says how many stayed denied. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/openat2.h>
#include <linux/sched.h>

#include <seccomp.h>
#include "compile/compile.h"
#include "load/load.h"
#include "policy/eval.h"
#include "harness.h"

#define X32_BIT ARCH_X32_SYSCALL_BIT
#define NS_FLAGS 0x7e020000ull	/* CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET} */

extern char **environ;

static int tried, held;

/* One escape attempt: cond says it stayed denied. */
#define ESCAPE(cond, ...) do { \
		tried++; \
		if (T_CHECK(cond, __VA_ARGS__)) \
			held++; \
	} while (0)

/* --- policies ------------------------------------------------------------- */

static void pol(struct policy *p, uint32_t def, uint32_t arches, uint32_t badarch)
{
	policy_init(p, def);
	p->arches = arches;
	p->badarch_action = badarch;
}

static void rule(struct policy *p, uint32_t action, const char *name, uint32_t abis,
		 int ncond, unsigned arg, enum policy_op op, uint64_t datum, uint64_t mask)
{
	struct policy_rule r;
	int id = arch_syscall_id(name);

	T_CHECK(id >= 0, "syscall %s known", name);
	policy_rule_init(&r, action, id);
	r.abis = abis;
	if (ncond)
		T_CHECK(policy_rule_add_cond(&r, arg, op, datum, mask) == 0, "cond on %s", name);
	T_CHECK(policy_add_rule(p, &r, NULL) == 0, "rule on %s", name);
}

/* The calls every allowlist child needs to report and exit. */
static void child_needs(struct policy *p)
{
	rule(p, POLICY_ACT_ALLOW, "exit_group", 0, 0, 0, 0, 0, 0);
	rule(p, POLICY_ACT_ALLOW, "exit", 0, 0, 0, 0, 0, 0);
	rule(p, POLICY_ACT_ALLOW, "rt_sigreturn", 0, 0, 0, 0, 0, 0);
	rule(p, POLICY_ACT_ALLOW, "write", 0, 0, 0, 0, 0, 0);
}

static int compile(const struct policy *p, struct bpf_prog *prog)
{
	struct muzzle_error err;

	bpf_prog_init(prog);
	if (compile_policy(p, NULL, prog, NULL, &err)) {
		T_CHECK(0, "compile: %s", err.msg);
		return -1;
	}
	return 0;
}

/* The compiled program's verdict; policy_eval must agree with it. */
static uint32_t verdict(const struct policy *p, const struct bpf_prog *prog, uint32_t arch,
			uint32_t nr, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch, .args = { a0, a1 } };
	uint32_t b = bpf_run(prog->insns, prog->len, &d, NULL);
	uint32_t e = policy_eval(p, &d).action;

	T_CHECK(b == e, "arch 0x%x nr 0x%x a0 0x%llx: bpf 0x%x, policy_eval 0x%x", arch, nr,
		(unsigned long long)a0, b, e);
	return b;
}

/* The verdict of a filter exported by the compat API. */
static uint32_t export_verdict(scmp_filter_ctx c, uint32_t arch, uint32_t nr, uint64_t a0)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch, .args = { a0 } };
	struct bpf_prog prog;
	struct muzzle_error err;
	char buf[BPF_MAX_INSNS * 8];
	int fd = memfd_create("bpf", 0);
	ssize_t n;
	uint32_t v = 0xdeadbeef;

	bpf_prog_init(&prog);
	if (fd < 0 || seccomp_export_bpf(c, fd) != 0) {
		T_CHECK(0, "seccomp_export_bpf");
	} else {
		n = pread(fd, buf, sizeof(buf), 0);
		if (n > 0 && bpf_read_raw(buf, (size_t)n, &prog, &err) == 0)
			v = bpf_run(prog.insns, prog.len, &d, NULL);
	}
	if (fd >= 0)
		close(fd);
	bpf_prog_free(&prog);
	return v;
}

/* --- children --------------------------------------------------------------- */

/* What a child reports: up to 8 values through a pipe. */
struct res {
	long v[8];
	int n;
};

typedef void (*child_fn)(void *ctx, struct res *r);

static long rc_of(long r)
{
	return r == -1 ? -errno : r;
}

/* Runs fn in a forked child; returns the wait status, *out gets what the child
 * reported (out->n = -1 when it died before reporting). */
static int in_child(child_fn fn, void *ctx, struct res *out)
{
	int fds[2], st = -1;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	out->n = -1;
	if (pipe(fds))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct res r;

		close(fds[0]);
		memset(&r, 0, sizeof(r));
		fn(ctx, &r);
		if (write(fds[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			syscall(SYS_exit_group, 120);
		syscall(SYS_exit_group, 0);
	}
	close(fds[1]);
	if (pid > 0) {
		if (read(fds[0], out, sizeof(*out)) != (ssize_t)sizeof(*out))
			out->n = -1;
		waitpid(pid, &st, 0);
	}
	close(fds[0]);
	return st;
}

static int killed_by_sigsys(int st)
{
	return st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS;
}

/* In a child: load the program (no_new_privs set); on failure report it in
 * v[7] and return -1. */
static int child_load(const struct bpf_prog *prog, uint32_t flags, struct res *r)
{
	int rc = load_filter(prog->insns, prog->len, flags, 1);

	r->v[7] = rc < 0 ? rc : 0;
	return rc < 0 ? -1 : 0;
}

/* Does `int 0x80` run a call here?  (Child, no filter: getpid.) */
static long int80_getpid(void)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory", "r8", "r9", "r10", "r11");
	return ret;
#else
	return -ENOSYS;
#endif
}

static void c_int80_plain(void *ctx, struct res *r)
{
	(void)ctx;
	r->v[0] = int80_getpid();
	r->v[1] = getpid();
	r->n = 2;
}

static void c_int80_filtered(void *ctx, struct res *r)
{
	if (child_load(ctx, 0, r))
		return;
	r->v[0] = int80_getpid();	/* badarch KILL_PROCESS: never returns */
	r->n = 1;
}

/* --- the i386 entry ----------------------------------------------------------- */

static void escape_i386(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct res r;
	scmp_filter_ctx c;
	int st;

	t_begin("escape_i386_badarch");
	pol(&p, POLICY_ACT_ALLOW, ARCH_MASK(ARCH_X86_64), POLICY_ACT_KILL_PROCESS);
	rule(&p, POLICY_ACT_ERRNO(EPERM), "getpid", 0, 0, 0, 0, 0, 0);
	if (compile(&p, &prog) == 0) {
		/* i386 getpid is 20; 39 is the x86_64 number (mkdir on i386) */
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_I386, 20, 0, 0) == POLICY_ACT_KILL_PROCESS,
		       "i386 getpid is not badarch");
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_I386, 39, 0, 0) == POLICY_ACT_KILL_PROCESS,
		       "i386 nr 39 is not badarch");
		/* any other token too */
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_AARCH64, 172, 0, 0) == POLICY_ACT_KILL_PROCESS,
		       "aarch64 getpid is not badarch");
	}
	/* the compat API: libseccomp's default badarch action is KILL_THREAD */
	c = seccomp_init(SCMP_ACT_ALLOW);
	T_CHECK(seccomp_rule_add(c, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getpid), 0) == 0, "rule");
	ESCAPE(export_verdict(c, AUDIT_ARCH_I386, 20, 0) == SCMP_ACT_KILL_THREAD,
	       "compat: i386 getpid not killed");
	seccomp_release(c);

	st = in_child(c_int80_plain, NULL, &r);
	if (r.n != 2 || r.v[0] != r.v[1]) {
		char why[160];

		snprintf(why, sizeof(why), "int 0x80 does not run i386 calls here (unfiltered "
			 "child: %s); the interpreter checks above cover the i386 token",
			 WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "wrong result");
		t_end();
		t_skip("escape_i386_live", why);
	} else {
		t_end();
		t_begin("escape_i386_live");
		st = in_child(c_int80_filtered, &prog, &r);
		ESCAPE(killed_by_sigsys(st), "int 0x80 getpid under an x86_64-only filter: status "
		       "0x%x, reported %d values", st, r.n);
		t_end();
	}
	bpf_prog_free(&prog);
	policy_free(&p);

	/* With x86 in the policy, a rule for every ABI covers the i386 number. */
	t_begin("escape_i386_rule_covers_abi");
	pol(&p, POLICY_ACT_ALLOW, ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86),
	    POLICY_ACT_KILL_PROCESS);
	rule(&p, POLICY_ACT_ERRNO(EPERM), "getpid", 0, 0, 0, 0, 0, 0);
	rule(&p, POLICY_ACT_ERRNO(EACCES), "mkdir", 0, 0, 0, 0, 0, 0);
	if (compile(&p, &prog) == 0) {
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_I386, 20, 0, 0) == POLICY_ACT_ERRNO(EPERM),
		       "i386 getpid");
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_I386, 39, 0, 0) == POLICY_ACT_ERRNO(EACCES),
		       "i386 mkdir (x86_64's getpid number)");
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_X86_64, 83, 0, 0) == POLICY_ACT_ERRNO(EACCES),
		       "x86_64 mkdir");
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* --- the x32 bit ---------------------------------------------------------------- */

static void c_x32(void *ctx, struct res *r)
{
	if (child_load(ctx, 0, r))
		return;
	r->v[0] = rc_of(syscall(X32_BIT | __NR_getpid));
	r->v[1] = rc_of(syscall(__NR_getpid));
	r->v[2] = rc_of(syscall(X32_BIT | __NR_getppid));	/* not in the policy */
	r->n = 3;
}

static void c_x32_compat(void *ctx, struct res *r)
{
	(void)ctx;
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);

	if (seccomp_rule_add(c, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getpid), 0) ||
	    seccomp_load(c)) {
		r->v[7] = -1;
		return;
	}
	r->v[1] = rc_of(syscall(__NR_getpid));
	r->v[0] = rc_of(syscall(X32_BIT | __NR_getpid));	/* KILL_THREAD */
	r->n = 2;
}

static void escape_x32(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct res r;
	int st, allowed = 0, n = 0;

	t_begin("escape_x32_bit_interp");
	/* an allowlist of every x86_64 call: no x32 number may be allowed */
	pol(&p, POLICY_ACT_ERRNO(EPERM), ARCH_MASK(ARCH_X86_64), POLICY_ACT_ERRNO(EACCES));
	for (int id = 0; id < arch_syscall_count(); id++)
		if (arch_syscall_nr(ARCH_X86_64, id) != ARCH_NR_NONE)
			rule(&p, POLICY_ACT_ALLOW, arch_syscall_name(id), ARCH_MASK(ARCH_X86_64),
			     0, 0, 0, 0, 0);
	if (compile(&p, &prog) == 0) {
		for (uint32_t nr = 0; nr < 1100; nr++) {
			uint32_t v = verdict(&p, &prog, AUDIT_ARCH_X86_64, X32_BIT | nr, 0, 0);

			n++;
			allowed += v != POLICY_ACT_ERRNO(EACCES);
		}
		tried++;
		if (T_CHECK(allowed == 0, "%d of %d x32 numbers not badarch", allowed, n))
			held++;
		T_EQ_U(verdict(&p, &prog, AUDIT_ARCH_X86_64, __NR_getpid, 0, 0), POLICY_ACT_ALLOW);
	}
	bpf_prog_free(&prog);
	policy_free(&p);

	/* x32 in the policy: a rule limited to x86_64 does not cover x32 */
	pol(&p, POLICY_ACT_ERRNO(EPERM), ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X32),
	    POLICY_ACT_KILL_PROCESS);
	rule(&p, POLICY_ACT_ALLOW, "getpid", ARCH_MASK(ARCH_X86_64), 0, 0, 0, 0, 0);
	if (compile(&p, &prog) == 0) {
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_X86_64, X32_BIT | __NR_getpid, 0, 0) ==
		       POLICY_ACT_ERRNO(EPERM), "x32 getpid under an x86_64-only allow rule");
		/* x32 arguments are 64 bits wide: the high word counts */
		T_EQ_U(verdict(&p, &prog, AUDIT_ARCH_X86_64, __NR_getpid, 0, 0), POLICY_ACT_ALLOW);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();

	t_begin("escape_x32_bit_live");
	pol(&p, POLICY_ACT_ALLOW, ARCH_MASK(ARCH_X86_64), POLICY_ACT_ERRNO(EACCES));
	rule(&p, POLICY_ACT_ERRNO(EPERM), "getpid", 0, 0, 0, 0, 0, 0);
	if (compile(&p, &prog) == 0) {
		st = in_child(c_x32, &prog, &r);
		T_CHECK(r.n == 3, "child reported (status 0x%x, load %ld)", st, r.v[7]);
		T_EQ_I(r.v[1], -EPERM);
		/* ENOSYS or a pid would mean the filter let the x32 call through */
		ESCAPE(r.v[0] == -EACCES, "x32 getpid: %ld", r.v[0]);
		ESCAPE(r.v[2] == -EACCES, "x32 getppid: %ld", r.v[2]);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	st = in_child(c_x32_compat, NULL, &r);
	ESCAPE(killed_by_sigsys(st) && r.n == -1, "compat filter, x32 getpid: status 0x%x, "
	       "reported %d", st, r.n);
	t_end();
}

/* --- multiplexers ------------------------------------------------------------ */

static void escape_mux(void)
{
	struct policy p;
	struct bpf_prog prog;
	scmp_filter_ctx c;
	uint32_t both = ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86);
	const uint32_t i386 = AUDIT_ARCH_I386, sc = 102, ipc = 117;

	t_begin("escape_socketcall");
	pol(&p, POLICY_ACT_ALLOW, both, POLICY_ACT_KILL_PROCESS);
	rule(&p, POLICY_ACT_ERRNO(EACCES), "socket", 0, 0, 0, 0, 0, 0);
	/* a condition socketcall cannot show: fail closed */
	rule(&p, POLICY_ACT_ERRNO(EPERM), "connect", 0, 1, 2, POLICY_OP_GT, 16, 0);
	rule(&p, POLICY_ACT_ERRNO(ENOMEM), "shmat", 0, 0, 0, 0, 0, 0);
	if (compile(&p, &prog) == 0) {
		ESCAPE(verdict(&p, &prog, i386, sc, 1, 0x1000) == POLICY_ACT_ERRNO(EACCES),
		       "socketcall(SYS_SOCKET)");
		ESCAPE(verdict(&p, &prog, i386, 359, 2, 1) == POLICY_ACT_ERRNO(EACCES),
		       "i386 socket(2)");
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_X86_64, __NR_socket, 2, 1) ==
		       POLICY_ACT_ERRNO(EACCES), "x86_64 socket(2)");
		ESCAPE(verdict(&p, &prog, i386, sc, 3, 0x1000) == POLICY_ACT_ERRNO(EPERM),
		       "socketcall(SYS_CONNECT): the length is behind a pointer");
		T_EQ_U(verdict(&p, &prog, i386, 362, 3, 16), POLICY_ACT_ALLOW);	/* connect, len 16 */
		T_EQ_U(verdict(&p, &prog, i386, sc, 2, 0x1000), POLICY_ACT_ALLOW);	/* bind */
		ESCAPE(verdict(&p, &prog, i386, ipc, 21, 0) == POLICY_ACT_ERRNO(ENOMEM),
		       "ipc(SHMAT)");
		/* ipc(2) ignores the high 16 bits of the call: a "version" */
		ESCAPE(verdict(&p, &prog, i386, ipc, 0x10015, 0) == POLICY_ACT_ERRNO(ENOMEM),
		       "ipc(1 << 16 | SHMAT)");
		ESCAPE(verdict(&p, &prog, i386, ipc, 0xffff0015, 0) == POLICY_ACT_ERRNO(ENOMEM),
		       "ipc(0xffff << 16 | SHMAT)");
	}
	bpf_prog_free(&prog);
	policy_free(&p);

	/* the same through the compat API */
	c = seccomp_init(SCMP_ACT_ALLOW);
	T_CHECK(seccomp_arch_add(c, SCMP_ARCH_X86) == 0, "arch_add x86");
	T_CHECK(seccomp_rule_add(c, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 0) == 0, "rule");
	ESCAPE(export_verdict(c, i386, sc, 1) == SCMP_ACT_ERRNO(EACCES),
	       "compat: socketcall(SYS_SOCKET)");
	ESCAPE(export_verdict(c, i386, 359, 2) == SCMP_ACT_ERRNO(EACCES), "compat: i386 socket");
	seccomp_release(c);
	t_end();
}

/* --- clone3 and openat2: flags behind a pointer ---------------------------------- */

static void *thread_fn(void *arg)
{
	return arg;
}

static void c_clone(void *ctx, struct res *r)
{
	char *argv[] = { "true", NULL };
	pthread_t t;
	void *ret = NULL;
	pid_t pid;
	int st = -1;
	long x;

	if (child_load(ctx, 0, r))
		return;
	/* size 0: EINVAL if clone3 ran at all */
	r->v[0] = rc_of(syscall(SYS_clone3, NULL, 0));
	x = syscall(SYS_clone, (long)CLONE_NEWUSER | SIGCHLD, 0L, 0L, 0L, 0L);
	if (x == 0)
		syscall(SYS_exit_group, 0);	/* the filter failed: a new child */
	if (x > 0)
		waitpid((pid_t)x, NULL, 0);
	r->v[1] = rc_of(x);
	r->v[2] = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ);
	if (r->v[2] == 0 && waitpid(pid, &st, 0) == pid)
		r->v[3] = st;
	else
		r->v[3] = -1;
	r->v[4] = pthread_create(&t, NULL, thread_fn, (void *)0x5a);
	if (r->v[4] == 0)
		pthread_join(t, &ret);
	r->v[5] = (long)ret;
	r->n = 6;
}

static void escape_clone3(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct res r;
	int st;

	t_begin("escape_clone3");
	pol(&p, POLICY_ACT_ALLOW, ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X32) |
	    ARCH_MASK(ARCH_X86), POLICY_ACT_KILL_PROCESS);
	rule(&p, POLICY_ACT_ERRNO(ENOSYS), "clone3", 0, 0, 0, 0, 0, 0);
	rule(&p, POLICY_ACT_ALLOW, "clone", 0, 1, 0, POLICY_OP_MASKED_EQ, 0, NS_FLAGS);
	rule(&p, POLICY_ACT_ERRNO(EPERM), "clone", 0, 1, 0, POLICY_OP_MASKED_NE, 0, NS_FLAGS);
	rule(&p, POLICY_ACT_ERRNO(EPERM), "unshare", 0, 1, 0, POLICY_OP_MASKED_NE, 0, NS_FLAGS);
	if (compile(&p, &prog) == 0) {
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_X86_64, __NR_clone3, 0, 88) ==
		       POLICY_ACT_ERRNO(ENOSYS), "x86_64 clone3");
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_X86_64, X32_BIT | 435, 0, 88) ==
		       POLICY_ACT_ERRNO(ENOSYS), "x32 clone3");
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_I386, 435, 0, 88) == POLICY_ACT_ERRNO(ENOSYS),
		       "i386 clone3");
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_I386, 120, CLONE_NEWNET, 0) ==
		       POLICY_ACT_ERRNO(EPERM), "i386 clone(CLONE_NEWNET)");
		st = in_child(c_clone, &prog, &r);
		T_CHECK(r.n == 6, "child reported (status 0x%x, load %ld)", st, r.v[7]);
		ESCAPE(r.v[0] == -ENOSYS, "clone3: %ld", r.v[0]);
		ESCAPE(r.v[1] == -EPERM, "clone(CLONE_NEWUSER): %ld", r.v[1]);
		/* glibc falls back from clone3 to clone */
		T_CHECK(r.v[2] == 0 && WIFEXITED(r.v[3]) && WEXITSTATUS(r.v[3]) == 0,
			"posix_spawn(/bin/true) under the filter: %ld, status 0x%lx", r.v[2],
			r.v[3]);
		T_CHECK(r.v[4] == 0 && r.v[5] == 0x5a, "pthread_create under the filter: %ld",
			r.v[4]);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

struct files {
	char path[5][96];	/* one name per route, created by none */
	char ro[96];		/* exists: opening it read-only still works */
};

static void c_open(void *ctx, struct res *r)
{
	struct files *f = ((void **)ctx)[1];
	struct open_how how = { .flags = O_WRONLY | O_CREAT, .mode = 0600 };
	long fd;

	if (child_load(((void **)ctx)[0], 0, r))
		return;
	r->v[0] = rc_of(syscall(SYS_openat, AT_FDCWD, f->path[0], O_WRONLY | O_CREAT, 0600));
	r->v[1] = rc_of(syscall(SYS_open, f->path[1], O_RDWR | O_CREAT, 0600));
	r->v[2] = rc_of(syscall(SYS_creat, f->path[2], 0600));
	r->v[3] = rc_of(syscall(SYS_openat2, AT_FDCWD, f->path[3], &how, sizeof(how)));
	r->v[4] = rc_of(open(f->path[4], O_WRONLY | O_CREAT | O_TRUNC, 0600));
	/* the flags register's high word does not hide O_CREAT from the mask */
	fd = syscall(SYS_openat, AT_FDCWD, f->path[0], 0x100000000L | O_WRONLY | O_CREAT, 0600);
	r->v[5] = rc_of(fd);
	fd = open(f->ro, O_RDONLY);
	r->v[6] = fd >= 0 ? 0 : -errno;
	r->n = 7;
}

static void escape_openat2(void)
{
	const uint64_t w = O_ACCMODE | O_CREAT | O_TRUNC;
	struct policy p;
	struct bpf_prog prog;
	struct files f;
	struct res r;
	void *ctx[2] = { &prog, &f };
	char dir[] = "/tmp/muzzle-escape-XXXXXX";
	int st, fd;

	t_begin("escape_openat2_open_creat");
	if (!mkdtemp(dir)) {
		T_CHECK(0, "mkdtemp: %s", strerror(errno));
		t_end();
		return;
	}
	for (int i = 0; i < 5; i++)
		snprintf(f.path[i], sizeof(f.path[i]), "%s/new%d", dir, i);
	snprintf(f.ro, sizeof(f.ro), "%s/existing", dir);
	fd = open(f.ro, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0)
		close(fd);
	/* read-only opening: write flags denied on open/openat, creat denied,
	 * openat2 (flags in a struct) ENOSYS so a libc would fall back to openat */
	pol(&p, POLICY_ACT_ALLOW, ARCH_MASK(ARCH_X86_64), POLICY_ACT_KILL_PROCESS);
	rule(&p, POLICY_ACT_ERRNO(EROFS), "openat", 0, 1, 2, POLICY_OP_MASKED_NE, 0, w);
	rule(&p, POLICY_ACT_ERRNO(EROFS), "open", 0, 1, 1, POLICY_OP_MASKED_NE, 0, w);
	rule(&p, POLICY_ACT_ERRNO(EROFS), "creat", 0, 0, 0, 0, 0, 0);
	rule(&p, POLICY_ACT_ERRNO(ENOSYS), "openat2", 0, 0, 0, 0, 0, 0);
	rule(&p, POLICY_ACT_ERRNO(EPERM), "open_by_handle_at", 0, 0, 0, 0, 0, 0);
	if (compile(&p, &prog) == 0) {
		st = in_child(c_open, ctx, &r);
		T_CHECK(r.n == 7, "child reported (status 0x%x, load %ld)", st, r.v[7]);
		ESCAPE(r.v[0] == -EROFS, "openat(O_WRONLY|O_CREAT): %ld", r.v[0]);
		ESCAPE(r.v[1] == -EROFS, "open(O_RDWR|O_CREAT): %ld", r.v[1]);
		ESCAPE(r.v[2] == -EROFS, "creat: %ld", r.v[2]);
		ESCAPE(r.v[3] == -ENOSYS, "openat2(O_CREAT): %ld", r.v[3]);
		ESCAPE(r.v[4] == -EROFS, "glibc open(O_CREAT): %ld", r.v[4]);
		ESCAPE(r.v[5] == -EROFS, "openat(1 << 32 | O_CREAT): %ld", r.v[5]);
		T_EQ_I(r.v[6], 0);	/* reading still works */
		for (int i = 0; i < 5; i++)
			ESCAPE(access(f.path[i], F_OK) != 0, "%s was created", f.path[i]);
	}
	for (int i = 0; i < 5; i++)
		unlink(f.path[i]);
	unlink(f.ro);
	rmdir(dir);
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* --- argument words ----------------------------------------------------------------- */

static void high_word_calls(struct res *r)
{
	r->v[0] = rc_of(syscall(SYS_getppid, 5L));
	r->v[1] = rc_of(syscall(SYS_getppid, 0x100000005L));
	r->v[2] = rc_of(syscall(SYS_getppid, (long)0xffffffff00000005ull));
	r->v[3] = rc_of(syscall(SYS_getppid, 4L));
	r->n = 4;
}

static void c_high_word(void *ctx, struct res *r)
{
	if (child_load(ctx, 0, r) == 0)
		high_word_calls(r);
}

static void c_high_word_compat(void *ctx, struct res *r)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	static const int needs[] = { SCMP_SYS(exit_group), SCMP_SYS(exit), SCMP_SYS(write),
				     SCMP_SYS(rt_sigreturn) };

	(void)ctx;
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		seccomp_rule_add(c, SCMP_ACT_ALLOW, needs[i], 0);
	if (seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(getppid), 1, SCMP_A0(SCMP_CMP_EQ, 5)) ||
	    seccomp_load(c)) {
		r->v[7] = -1;
		return;
	}
	high_word_calls(r);
}

static void escape_high_word(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct res r;
	int st;

	t_begin("escape_arg_high_word");
	pol(&p, POLICY_ACT_ERRNO(EPERM), ARCH_MASK(ARCH_X86_64), POLICY_ACT_KILL_PROCESS);
	child_needs(&p);
	rule(&p, POLICY_ACT_ALLOW, "getppid", 0, 1, 0, POLICY_OP_EQ, 5, 0);
	if (compile(&p, &prog) == 0) {
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_X86_64, __NR_getppid, 0x100000005ull, 0) ==
		       POLICY_ACT_ERRNO(EPERM), "interp: getppid(1 << 32 | 5)");
		st = in_child(c_high_word, &prog, &r);
		T_CHECK(r.n == 4, "child reported (status 0x%x, load %ld)", st, r.v[7]);
		T_CHECK(r.v[0] == getpid(), "getppid(5) allowed: %ld", r.v[0]);
		ESCAPE(r.v[1] == -EPERM, "getppid(1 << 32 | 5): %ld", r.v[1]);
		ESCAPE(r.v[2] == -EPERM, "getppid(0xffffffff00000005): %ld", r.v[2]);
		ESCAPE(r.v[3] == -EPERM, "getppid(4): %ld", r.v[3]);
	}
	st = in_child(c_high_word_compat, NULL, &r);
	T_CHECK(r.n == 4, "compat child reported (status 0x%x, load %ld)", st, r.v[7]);
	T_CHECK(r.v[0] == getpid(), "compat: getppid(5) allowed: %ld", r.v[0]);
	ESCAPE(r.v[1] == -EPERM, "compat: getppid(1 << 32 | 5): %ld", r.v[1]);
	ESCAPE(r.v[2] == -EPERM, "compat: getppid(0xffffffff00000005): %ld", r.v[2]);
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* kill(-1, 0) through glibc: pid_t is an int.  Which register value does the
 * filter see?  Three rules, each alone in a filter, say. */
static void c_kill(void *ctx, struct res *r)
{
	if (child_load(ctx, 0, r))
		return;
	r->v[0] = kill(-1, 0) ? -errno : 0;	/* sig 0: permission check only */
	r->v[1] = rc_of(syscall(SYS_kill, -1L, 0L));	/* syscall(2) takes longs */
	r->n = 2;
}

static void escape_sign_extension(void)
{
	static const struct { const char *what; enum policy_op op; uint64_t datum, mask; } rules[] = {
		{ "arg0 == 0xffffffffffffffff", POLICY_OP_EQ, ~0ull, ~0ull },
		{ "arg0 == 0xffffffff", POLICY_OP_EQ, 0xffffffffull, ~0ull },
		{ "arg0 & 0xffffffff == 0xffffffff", POLICY_OP_MASKED_EQ, 0xffffffffull,
		  0xffffffffull },
	};
	int glibc_hit[3] = { 0 }, raw_hit[3] = { 0 };
	struct policy p;
	struct bpf_prog prog;
	struct res r;
	int st;

	t_begin("escape_sign_extension");
	for (int i = 0; i < 3; i++) {
		pol(&p, POLICY_ACT_ALLOW, ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86),
		    POLICY_ACT_KILL_PROCESS);
		rule(&p, POLICY_ACT_ERRNO(EPERM), "kill", 0, 1, 0, rules[i].op, rules[i].datum,
		     rules[i].mask);
		if (compile(&p, &prog) == 0) {
			/* i386: only the low 32 bits exist, so every form matches */
			T_EQ_U(verdict(&p, &prog, AUDIT_ARCH_I386, 37, 0xffffffffull, 0),
			       POLICY_ACT_ERRNO(EPERM));
			st = in_child(c_kill, &prog, &r);
			T_CHECK(r.n == 2, "child reported (status 0x%x, load %ld)", st, r.v[7]);
			T_CHECK(r.v[0] == 0 || r.v[0] == -EPERM, "kill(-1, 0): %ld", r.v[0]);
			glibc_hit[i] = r.v[0] == -EPERM;
			raw_hit[i] = r.v[1] == -EPERM;
			printf("# %s: glibc kill(-1, 0) %s, syscall(SYS_kill, -1L, 0) %s\n",
			       rules[i].what, glibc_hit[i] ? "denied" : "allowed",
			       raw_hit[i] ? "denied" : "allowed");
		}
		bpf_prog_free(&prog);
		policy_free(&p);
	}
	/* the 64-bit -1 matches a sign-extended register, 0xffffffff a
	 * zero-extended one: exactly one of them can match */
	T_CHECK(raw_hit[0] && !raw_hit[1], "syscall(2) passes -1L as 0xffffffffffffffff");
	T_CHECK(glibc_hit[0] != glibc_hit[1], "glibc's int -1 matches exactly one of the two "
		"exact comparisons");
	/* the masked 32-bit comparison is the one that holds either way */
	ESCAPE(glibc_hit[2] && raw_hit[2], "masked 32-bit rule: glibc %d, raw %d", glibc_hit[2],
	       raw_hit[2]);
	t_end();
}

/* --- numbers past every table --------------------------------------------------- */

static void unknown_calls(struct res *r)
{
	r->v[0] = rc_of(syscall(4000));
	r->v[1] = rc_of(syscall(1000));
	r->v[2] = rc_of(syscall(0x3fffffff));
	r->v[3] = rc_of(syscall(0x7fffffff));
	r->n = 4;
}

static void c_unknown(void *ctx, struct res *r)
{
	if (child_load(ctx, 0, r) == 0)
		unknown_calls(r);
}

static void c_unknown_compat(void *ctx, struct res *r)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ERRNO(ENOKEY));

	(void)ctx;
	seccomp_arch_add(c, SCMP_ARCH_X32);	/* 0x7fffffff is an x32 number */
	seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0);
	seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(write), 0);
	if (seccomp_load(c)) {
		r->v[7] = -1;
		return;
	}
	unknown_calls(r);
}

static void escape_unknown_nr(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct res r;
	int st;

	t_begin("escape_unknown_number");
	pol(&p, POLICY_ACT_ERRNO(ENOKEY), ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X32) |
	    ARCH_MASK(ARCH_X86), POLICY_ACT_KILL_PROCESS);
	child_needs(&p);
	if (compile(&p, &prog) == 0) {
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_X86_64, 4000, 0, 0) == POLICY_ACT_ERRNO(ENOKEY),
		       "interp: x86_64 4000");
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_X86_64, X32_BIT | 4000, 0, 0) ==
		       POLICY_ACT_ERRNO(ENOKEY), "interp: x32 4000");
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_I386, 4000, 0, 0) == POLICY_ACT_ERRNO(ENOKEY),
		       "interp: i386 4000");
		ESCAPE(verdict(&p, &prog, AUDIT_ARCH_X86_64, 0xffffffffu, 0, 0) != POLICY_ACT_ALLOW,
		       "interp: x86_64 nr -1");
		st = in_child(c_unknown, &prog, &r);
		T_CHECK(r.n == 4, "child reported (status 0x%x, load %ld)", st, r.v[7]);
		for (int i = 0; i < 4; i++)
			ESCAPE(r.v[i] == -ENOKEY, "call %d: %ld (ENOSYS = allowed)", i, r.v[i]);
	}
	st = in_child(c_unknown_compat, NULL, &r);
	T_CHECK(r.n == 4, "compat child reported (status 0x%x, load %ld)", st, r.v[7]);
	for (int i = 0; i < 4; i++)
		ESCAPE(r.v[i] == -ENOKEY, "compat: call %d: %ld", i, r.v[i]);
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* --- threads ------------------------------------------------------------------- */

struct tctx {
	int go[2];
	long rc;
};

static void *t_getppid(void *arg)
{
	struct tctx *t = arg;
	char c;

	if (read(t->go[0], &c, 1) != 1)
		return NULL;
	t->rc = rc_of(syscall(SYS_getppid));
	return NULL;
}

/* mode 0: compat API with TSYNC; 1: policy + load_filter with TSYNC;
 * 2: no TSYNC (the other thread stays unfiltered) */
static void c_tsync(void *ctx, struct res *r)
{
	int mode = *(int *)ctx;
	struct tctx t = { .rc = 12345 };
	pthread_t th;
	int rc;

	if (pipe(t.go) || pthread_create(&th, NULL, t_getppid, &t)) {
		r->v[7] = -2;
		return;
	}
	if (mode == 0 || mode == 2) {
		scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);

		seccomp_rule_add(c, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getppid), 0);
		if (mode == 0)
			seccomp_attr_set(c, SCMP_FLTATR_CTL_TSYNC, 1);
		rc = seccomp_load(c);
	} else {
		struct policy p;
		struct bpf_prog prog;

		pol(&p, POLICY_ACT_ALLOW, ARCH_MASK(ARCH_X86_64), POLICY_ACT_KILL_PROCESS);
		p.flags = POLICY_FLAG_TSYNC;
		rule(&p, POLICY_ACT_ERRNO(EPERM), "getppid", 0, 0, 0, 0, 0, 0);
		compile_policy(&p, NULL, (bpf_prog_init(&prog), &prog), NULL, NULL);
		rc = load_filter(prog.insns, prog.len, p.flags, 1);
	}
	r->v[7] = rc;
	r->v[1] = rc_of(syscall(SYS_getppid));
	if (write(t.go[1], "x", 1) != 1 || pthread_join(th, NULL))
		r->v[7] = -3;
	r->v[0] = t.rc;
	r->n = 2;
}

static void escape_tsync(void)
{
	static const char *const what[] = { "compat TSYNC", "policy TSYNC", "no TSYNC" };
	struct res r;
	int st;

	t_begin("escape_second_thread_tsync");
	for (int mode = 0; mode < 3; mode++) {
		st = in_child(c_tsync, &mode, &r);
		T_CHECK(r.n == 2 && r.v[7] == 0, "%s: child reported (status 0x%x, load %ld)",
			what[mode], st, r.v[7]);
		T_EQ_I(r.v[1], -EPERM);
		if (mode < 2)
			ESCAPE(r.v[0] == -EPERM, "%s: the other thread's getppid: %ld", what[mode],
			       r.v[0]);
		else	/* the documented gap TSYNC closes */
			T_CHECK(r.v[0] > 0, "without TSYNC the other thread is unfiltered: %ld",
				r.v[0]);
	}
	t_end();
}

/* --- stacking and removal ------------------------------------------------------ */

static void c_stack(void *ctx, struct res *r)
{
	static const struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	if (child_load(ctx, 0, r))
		return;
	r->v[2] = load_filter(allow, 1, 0, 1);
	r->v[0] = rc_of(syscall(SYS_getppid));
	/* seccomp has no "off": mode strict/disabled on top of a filter fails */
	r->v[3] = rc_of(prctl(PR_SET_SECCOMP, 0 /* SECCOMP_MODE_DISABLED */, 0, 0, 0));
	r->v[1] = rc_of(syscall(SYS_getppid));
	r->n = 4;
}

static void escape_stack(void)
{
	struct policy p;
	struct bpf_prog prog;
	struct res r;
	int st;

	t_begin("escape_permissive_second_filter");
	pol(&p, POLICY_ACT_ALLOW, ARCH_MASK(ARCH_X86_64), POLICY_ACT_KILL_PROCESS);
	rule(&p, POLICY_ACT_ERRNO(EPERM), "getppid", 0, 0, 0, 0, 0, 0);
	if (compile(&p, &prog) == 0) {
		st = in_child(c_stack, &prog, &r);
		T_CHECK(r.n == 4, "child reported (status 0x%x, load %ld)", st, r.v[7]);
		T_EQ_I(r.v[2], 0);	/* the ALLOW filter loads */
		ESCAPE(r.v[0] == -EPERM, "getppid after an ALLOW filter: %ld", r.v[0]);
		T_CHECK(r.v[3] < 0, "prctl(PR_SET_SECCOMP, 0) succeeded");
		ESCAPE(r.v[1] == -EPERM, "getppid after PR_SET_SECCOMP(0): %ld", r.v[1]);
	}
	bpf_prog_free(&prog);
	policy_free(&p);
	t_end();
}

/* --- execve ---------------------------------------------------------------------- */

struct exec_ctx {
	const struct bpf_prog *prog;	/* NULL: no filter */
	const char *path;
	char *const *argv;
	int drop;			/* become uid/gid 65534 first */
	int out;			/* write end for the program's stdout */
};

/* Not through in_child: the program's output is the report. */
static int run_exec(const struct exec_ctx *x, char *buf, size_t len, int *status)
{
	int fds[2];
	ssize_t n, got = 0;
	pid_t pid;

	*status = -1;
	if (pipe(fds))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		if (x->drop && (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
				setresuid(65534, 65534, 65534)))
			_exit(121);
		if (x->prog && load_filter(x->prog->insns, x->prog->len, 0, 1) < 0)
			_exit(122);
		execve(x->path, x->argv, environ);
		_exit(123);
	}
	close(fds[1]);
	while (pid > 0 && (size_t)got + 1 < len &&
	       (n = read(fds[0], buf + got, len - 1 - (size_t)got)) > 0)
		got += n;
	buf[got] = 0;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, status, 0);
	return 0;
}

static void c_no_nnp(void *ctx, struct res *r)
{
	const struct bpf_prog *prog = ctx;

	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534)) {
		r->v[7] = -errno;
		return;
	}
	r->v[0] = load_filter(prog->insns, prog->len, 0, 0);
	r->v[1] = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	r->n = 2;
}

static void escape_exec(void)
{
	char dir[] = "/tmp/muzzle-setuid-XXXXXX", idp[64], buf[256];
	char *id_argv[] = { "id", "-u", NULL }, *uname_argv[] = { "uname", "-s", NULL };
	struct exec_ctx x = { 0 };
	struct policy p;
	struct bpf_prog prog;
	struct res r;
	int st, ok = 0;

	pol(&p, POLICY_ACT_ALLOW, ARCH_MASK(ARCH_X86_64), POLICY_ACT_KILL_PROCESS);
	rule(&p, POLICY_ACT_ERRNO(EPERM), "uname", 0, 0, 0, 0, 0, 0);
	if (compile(&p, &prog)) {
		policy_free(&p);
		return;
	}

	/* no_new_privs: the filter cannot be loaded by an unprivileged process
	 * without it */
	if (geteuid() != 0) {
		t_skip("escape_load_without_nnp", "not root: cannot switch to uid 65534");
	} else {
		t_begin("escape_load_without_nnp");
		st = in_child(c_no_nnp, &prog, &r);
		T_CHECK(r.n == 2, "child reported (status 0x%x, %ld)", st, r.v[7]);
		ESCAPE(r.v[0] == -EACCES, "unprivileged load without no_new_privs: %ld", r.v[0]);
		T_EQ_I(r.v[1], 0);
		t_end();
	}

	/* the filter survives execve */
	x.prog = &prog;
	x.path = "/bin/busybox";
	x.argv = uname_argv;
	if (access(x.path, X_OK)) {
		t_skip("escape_filter_survives_execve", "/bin/busybox missing (busybox-static)");
	} else {
		t_begin("escape_filter_survives_execve");
		run_exec(&x, buf, sizeof(buf), &st);
		/* busybox prints what uname(2) left in its buffer and exits 0 */
		ESCAPE(WIFEXITED(st) && !strstr(buf, "Linux"),
		       "busybox uname under an uname-denying filter: status 0x%x, \"%s\"", st, buf);
		x.prog = NULL;
		run_exec(&x, buf, sizeof(buf), &st);
		T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && strstr(buf, "Linux"),
			"busybox uname without the filter: status 0x%x, \"%s\"", st, buf);
		t_end();
	}

	/* setuid-root copy of id: without the filter it runs as root, with
	 * no_new_privs (which loading implies) the setuid bit is ignored */
	if (geteuid() != 0 || !mkdtemp(dir)) {
		t_skip("escape_setuid_execve", "not root or no temporary directory");
		goto out;
	}
	snprintf(idp, sizeof(idp), "%s/id", dir);
	{
		int in = open("/usr/bin/id", O_RDONLY), out = open(idp, O_WRONLY | O_CREAT, 0700);
		char b[65536];
		ssize_t n;

		while (in >= 0 && out >= 0 && (n = read(in, b, sizeof(b))) > 0)
			if (write(out, b, (size_t)n) != n)
				break;
		if (in >= 0)
			close(in);
		if (out >= 0)
			close(out);
		/* world-executable so uid 65534 can run it */
		chmod(dir, 0755);
		ok = in >= 0 && out >= 0 && chown(idp, 0, 0) == 0 && chmod(idp, 04755) == 0;
	}
	x.path = idp;
	x.argv = id_argv;
	x.drop = 1;
	x.prog = NULL;
	if (ok)
		run_exec(&x, buf, sizeof(buf), &st);
	if (!ok || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || strcmp(buf, "0\n")) {
		t_skip("escape_setuid_execve", "a setuid-root copy of /usr/bin/id does not give "
		       "euid 0 here (nosuid /tmp?)");
	} else {
		t_begin("escape_setuid_execve");
		x.prog = &prog;
		run_exec(&x, buf, sizeof(buf), &st);
		ESCAPE(WIFEXITED(st) && WEXITSTATUS(st) == 0 && !strcmp(buf, "65534\n"),
		       "setuid id under a filter: status 0x%x, euid \"%s\"", st, buf);
		t_end();
	}
	unlink(idp);
	rmdir(dir);
out:
	bpf_prog_free(&prog);
	policy_free(&p);
}

int main(void)
{
	if (arch_native()->id != ARCH_X86_64) {
		t_skip("escape", "the escape routes tried here are x86_64's");
		return t_done();
	}
	escape_i386();
	escape_x32();
	escape_mux();
	escape_clone3();
	escape_openat2();
	escape_high_word();
	escape_sign_extension();
	escape_unknown_nr();
	escape_tsync();
	escape_stack();
	escape_exec();
	printf("# escapes tried: %d, stayed denied: %d\n", tried, held);
	return t_done();
}
