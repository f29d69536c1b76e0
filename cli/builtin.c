/* Built-in policies: names muzzle knows without a file.
 *
 * "default" is a container default in the spirit of Docker's default profile
 * (moby profiles, seccomp/default.json, as Docker applies it on x86_64 with
 * its default capability set on a kernel >= 4.8): the same calls allowed, the
 * same families denied.  Unlike Docker it tells two kinds of denial apart:
 * a call muzzle knows and denies gets EPERM, a call muzzle has never heard of
 * gets ENOSYS, so a C library falls back from a syscall newer than muzzle's
 * tables as it would on an older kernel (clone3 gets ENOSYS for the same
 * reason: libc then uses clone, which is checked). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"

/* Allowed without conditions on every ABI of the policy. */
static const char *const default_allow[] = {
	"_llseek", "_newselect", "accept", "accept4", "access", "adjtimex", "alarm", "arch_prctl", "bind", "brk",
	"cachestat", "capget", "capset", "chdir", "chmod", "chown", "chown32", "chroot",
	"clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64", "clock_gettime",
	"clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "close", "close_range",
	"connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create",
	"epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait",
	"epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat", "exit", "exit_group",
	"faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate", "fanotify_mark",
	"fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat", "fcntl",
	"fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr",
	"fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate",
	"ftruncate64", "futex", "futex_requeue", "futex_time64", "futex_wait", "futex_waitv",
	"futex_wake", "futimesat", "get_robust_list", "get_thread_area", "getcpu", "getcwd",
	"getdents", "getdents64", "getegid", "getegid32", "geteuid", "geteuid32", "getgid",
	"getgid32", "getgroups", "getgroups32", "getitimer", "getpeername", "getpgid", "getpgrp",
	"getpid", "getppid", "getpriority", "getrandom", "getresgid", "getresgid32", "getresuid",
	"getresuid32", "getrlimit", "getrusage", "getsid", "getsockname", "getsockopt", "gettid",
	"gettimeofday", "getuid", "getuid32", "getxattr", "getxattrat", "inotify_add_watch",
	"inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "io_destroy",
	"io_getevents", "io_pgetevents", "io_pgetevents_time64", "io_setup", "io_submit", "ioctl",
	"ioprio_get", "ioprio_set", "ipc", "kill", "landlock_add_rule", "landlock_create_ruleset",
	"landlock_restrict_self", "lchown", "lchown32", "lgetxattr", "link", "linkat", "listen",
	"listmount", "listxattr", "listxattrat", "llistxattr", "lremovexattr", "lseek",
	"lsetxattr", "lstat", "lstat64", "madvise", "map_shadow_stack", "membarrier",
	"memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock",
	"mlock2", "mlockall", "mmap", "mmap2", "modify_ldt", "mprotect", "mq_getsetattr",
	"mq_notify", "mq_open", "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend",
	"mq_timedsend_time64", "mq_unlink", "mremap", "mseal", "msgctl", "msgget", "msgrcv",
	"msgsnd", "msync", "munlock", "munlockall", "munmap", "name_to_handle_at", "nanosleep",
	"newfstatat", "open", "openat", "openat2", "pause", "pidfd_open", "pidfd_send_signal",
	"pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll",
	"ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64", "process_mrelease",
	"process_vm_readv", "process_vm_writev", "pselect6", "pselect6_time64", "ptrace",
	"pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv",
	"recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "remap_file_pages",
	"removexattr", "removexattrat", "rename", "renameat", "renameat2", "restart_syscall",
	"riscv_hwprobe", "rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask",
	"rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
	"rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_get_priority_max",
	"sched_get_priority_min", "sched_getaffinity", "sched_getattr", "sched_getparam",
	"sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64",
	"sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler",
	"sched_yield", "seccomp", "select", "semctl", "semget", "semop", "semtimedop",
	"semtimedop_time64", "send", "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto",
	"set_robust_list", "set_thread_area", "set_tid_address", "setfsgid", "setfsgid32",
	"setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups", "setgroups32", "setitimer",
	"setpgid", "setpriority", "setregid", "setregid32", "setresgid", "setresgid32",
	"setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit", "setsid", "setsockopt",
	"setuid", "setuid32", "setxattr", "setxattrat", "shmat", "shmctl", "shmdt", "shmget",
	"shutdown", "sigaltstack", "signalfd", "signalfd4", "sigprocmask", "sigreturn",
	"socketcall", "socketpair", "splice", "stat", "stat64", "statfs", "statfs64", "statmount",
	"statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee",
	"tgkill", "time", "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime",
	"timer_gettime64", "timer_settime", "timer_settime64", "timerfd_create", "timerfd_gettime",
	"timerfd_gettime64", "timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate",
	"truncate64", "ugetrlimit", "umask", "uname", "unlink", "unlinkat", "uretprobe", "utime",
	"utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice", "wait4", "waitid",
	"waitpid", "write", "writev",
	NULL
};

/* personality(2) values Docker lets through: PER_LINUX, UNAME26 (0x20000),
 * PER_LINUX32 (8), their combinations, and the 0xffffffff query. */
static const uint64_t personality_ok[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };

/* clone(2) flags that create namespaces: denied without CAP_SYS_ADMIN. */
#define CLONE_NAMESPACE_FLAGS 0x7e020000ull

struct builder {
	struct policy *p;
	const char *file;	/* "<builtin:NAME>": where its rules say they came from */
	int rc;
};

static void add(struct builder *b, struct policy_rule *r, const char *comment)
{
	struct muzzle_error err;

	if (b->rc)
		return;
	r->loc.file = b->file;
	r->comment = comment;
	b->rc = policy_add_rule(b->p, r, &err);
}

static void add_id(struct builder *b, int id, uint32_t action, uint32_t abis,
		   const char *comment)
{
	struct policy_rule r;

	policy_rule_init(&r, action, id);
	r.abis = abis;
	add(b, &r, comment);
}

static void add_plain(struct builder *b, const char *name, uint32_t action, uint32_t abis,
		      const char *comment)
{
	int id = arch_syscall_id(name);

	if (id >= 0)	/* a name the tables lack is then simply denied by default */
		add_id(b, id, action, abis, comment);
}

/* mark the ids of the names in list */
static void mark_list(uint8_t *seen, const char *const *list)
{
	for (; *list; list++) {
		int id = arch_syscall_id(*list);

		if (id >= 0)
			seen[id] = 1;
	}
}

/* socket(2): everything but AF_ALG (38) and AF_VSOCK (40). */
static void add_socket(struct builder *b)
{
	static const uint64_t denied[] = { AF_ALG, AF_VSOCK };
	int id = arch_syscall_id("socket");
	struct policy_rule r;

	policy_rule_init(&r, POLICY_ACT_ALLOW, id);
	policy_rule_add_cond(&r, 0, POLICY_OP_LT, AF_ALG, 0);
	add(b, &r, "default: socket families below AF_ALG");
	policy_rule_init(&r, POLICY_ACT_ALLOW, id);
	policy_rule_add_cond(&r, 0, POLICY_OP_EQ, AF_ALG + 1, 0);
	add(b, &r, "default: socket AF_NFC");
	policy_rule_init(&r, POLICY_ACT_ALLOW, id);
	policy_rule_add_cond(&r, 0, POLICY_OP_GT, AF_VSOCK, 0);
	add(b, &r, "default: socket families above AF_VSOCK");
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		policy_rule_init(&r, POLICY_ACT_ERRNO(EPERM), id);
		policy_rule_add_cond(&r, 0, POLICY_OP_EQ, denied[i], 0);
		add(b, &r, "default: AF_ALG and AF_VSOCK sockets denied");
	}
}

static void add_personality(struct builder *b)
{
	size_t n = sizeof(personality_ok) / sizeof(personality_ok[0]);
	int id = arch_syscall_id("personality");
	struct policy_rule r, deny;

	policy_rule_init(&deny, POLICY_ACT_ERRNO(EPERM), id);
	for (size_t i = 0; i < n; i++) {
		policy_rule_init(&r, POLICY_ACT_ALLOW, id);
		policy_rule_add_cond(&r, 0, POLICY_OP_EQ, personality_ok[i], 0);
		add(b, &r, "default: harmless personality values");
		/* the exact complement, so the denial is EPERM, not the default */
		policy_rule_add_cond(&deny, 0, POLICY_OP_NE, personality_ok[i], 0);
	}
	add(b, &deny, "default: other personality values denied");
}

static void add_clone(struct builder *b)
{
	int id = arch_syscall_id("clone");
	struct policy_rule r;

	policy_rule_init(&r, POLICY_ACT_ALLOW, id);
	policy_rule_add_cond(&r, 0, POLICY_OP_MASKED_EQ, 0, CLONE_NAMESPACE_FLAGS);
	add(b, &r, "default: clone without namespace flags");
	policy_rule_init(&r, POLICY_ACT_ERRNO(EPERM), id);
	policy_rule_add_cond(&r, 0, POLICY_OP_MASKED_NE, 0, CLONE_NAMESPACE_FLAGS);
	add(b, &r, "default: clone creating namespaces denied");
}

static int build_default(struct policy *p)
{
	static const char *const own_rules[] = {
		"socket", "personality", "clone", "clone3", NULL
	};
	struct builder b = { p, "<builtin:default>", 0 };
	uint8_t *seen = calloc((size_t)arch_syscall_count(), 1);

	if (!seen)
		return -ENOMEM;
	policy_init(p, POLICY_ACT_ERRNO(ENOSYS));
	p->arches = cli_machine_abis();
	for (size_t i = 0; default_allow[i]; i++)
		add_plain(&b, default_allow[i], POLICY_ACT_ALLOW, 0, "default: allowed");
	add_socket(&b);
	add_personality(&b);
	add_clone(&b);
	add_plain(&b, "clone3", POLICY_ACT_ERRNO(ENOSYS), 0,
		  "default: clone3 gets ENOSYS so libc falls back to clone");
	/* every other call muzzle knows: EPERM */
	mark_list(seen, default_allow);
	mark_list(seen, own_rules);
	for (int id = 0; id < arch_syscall_count(); id++)
		if (!seen[id])
			add_id(&b, id, POLICY_ACT_ERRNO(EPERM), 0, "default: denied");
	free(seen);
	return b.rc;
}

/* The calls strict mode (SECCOMP_MODE_STRICT) lets through, plus exit_group
 * so a program can end normally; anything else kills the thread, as strict
 * mode does. */
static int build_strict(struct policy *p)
{
	static const char *const names[] = {
		"read", "write", "exit", "exit_group", "rt_sigreturn", "sigreturn", NULL
	};
	struct builder b = { p, "<builtin:strict>", 0 };

	policy_init(p, POLICY_ACT_KILL_THREAD);
	p->arches = cli_machine_abis();
	for (size_t i = 0; names[i]; i++)
		add_plain(&b, names[i], POLICY_ACT_ALLOW, 0, "strict: allowed");
	return b.rc;
}

/* Everything allowed: a baseline for audit and diff. */
static int build_allow(struct policy *p)
{
	policy_init(p, POLICY_ACT_ALLOW);
	p->arches = cli_machine_abis();
	p->badarch_action = POLICY_ACT_ALLOW;
	return 0;
}

struct builtin {
	const char *name;
	int (*build)(struct policy *p);
};

static const struct builtin builtins[] = {
	{ "default", build_default },
	{ "docker", build_default },
	{ "strict", build_strict },
	{ "allow", build_allow },
	{ "allow-all", build_allow },
	{ "none", build_allow },
};

int cli_builtin_policy(const char *name, struct policy *out)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (strcmp(name, builtins[i].name))
			continue;
		int rc = builtins[i].build(out);

		if (rc)
			policy_free(out);
		return rc;
	}
	return -ENOENT;
}
