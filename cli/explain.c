/* muzzle explain: what a policy allows, group by group. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: muzzle explain POLICY [--arch A] [--verbose] [--format IN]\n"
	"A table of what POLICY allows, by group of system calls (files, network,\n"
	"processes, memory, ipc, time, privileged, ...).  A call is 'allowed' when every\n"
	"probe gets ALLOW or LOG, 'denied' when every probe is killed, trapped or fails,\n"
	"'depends' when the arguments decide, 'other' for TRACE and USER_NOTIF.\n"
	"  -a, --arch A      the ABI to explain (default: this machine's, if covered)\n"
	"  -v, --verbose     list every call of every group\n"
	"  -f, --format IN   input format (default: detected)\n"
	"  -h, --help        this text\n";

struct group {
	const char *name;
	const char *const *calls;	/* NULL-terminated */
};

static const char *const g_files[] = {
	"open", "openat", "openat2", "creat", "stat", "lstat", "newfstatat", "statx", "stat64",
	"lstat64", "fstatat64", "access", "faccessat", "faccessat2", "chmod", "fchmod",
	"fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat", "chown32", "fchown32",
	"lchown32", "rename", "renameat", "renameat2", "link", "linkat", "unlink", "unlinkat",
	"symlink", "symlinkat", "readlink", "readlinkat", "mkdir", "mkdirat", "rmdir", "mknod",
	"mknodat", "truncate", "truncate64", "ftruncate", "ftruncate64", "getdents",
	"getdents64", "chdir", "fchdir", "getcwd", "utime", "utimes", "utimensat",
	"utimensat_time64", "futimesat", "fsync", "fdatasync", "sync", "syncfs",
	"sync_file_range", "fallocate", "fadvise64", "fadvise64_64", "flock", "statfs",
	"fstatfs", "statfs64", "fstatfs64", "umask", "setxattr", "lsetxattr", "fsetxattr",
	"getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr",
	"removexattr", "lremovexattr", "fremovexattr", "name_to_handle_at", "inotify_init",
	"inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fanotify_init",
	"fanotify_mark", "fstat", "fstat64", "readahead", NULL,
};
static const char *const g_fds[] = {
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev",
	"preadv2", "pwritev2", "lseek", "_llseek", "close", "close_range", "dup", "dup2", "dup3",
	"fcntl", "fcntl64", "ioctl", "pipe", "pipe2", "select", "_newselect", "poll", "ppoll",
	"ppoll_time64", "pselect6", "pselect6_time64", "epoll_create", "epoll_create1",
	"epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2",
	"memfd_create", "sendfile", "sendfile64", "copy_file_range", "splice", "tee", "vmsplice",
	NULL,
};
static const char *const g_net[] = {
	"socket", "socketpair", "bind", "connect", "listen", "accept", "accept4", "getsockname",
	"getpeername", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
	"recvmmsg_time64", "shutdown", "setsockopt", "getsockopt", "socketcall", "send", "recv",
	NULL,
};
static const char *const g_proc[] = {
	"fork", "vfork", "clone", "clone3", "execve", "execveat", "exit", "exit_group", "wait4",
	"waitid", "waitpid", "getpid", "getppid", "gettid", "getpgid", "setpgid", "getpgrp",
	"getsid", "setsid", "prctl", "arch_prctl", "set_tid_address", "getrlimit", "prlimit64",
	"setrlimit", "ugetrlimit", "getrusage", "sched_yield", "sched_getaffinity",
	"sched_setaffinity", "sched_getparam", "sched_setparam", "sched_getscheduler",
	"sched_setscheduler", "sched_getattr", "sched_setattr", "getpriority", "setpriority",
	"nice", "pidfd_open", "set_robust_list", "get_robust_list", "rseq", "futex",
	"futex_time64", "futex_waitv", "uname", "times", "personality", "seccomp", "getrandom",
	"getcpu", NULL,
};
static const char *const g_creds[] = {
	"getuid", "geteuid", "getgid", "getegid", "getgroups", "getresuid", "getresgid",
	"setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setfsuid",
	"setfsgid", "setgroups", "capget", "capset", "getuid32", "geteuid32", "getgid32",
	"getegid32", "setuid32", "setgid32", "setreuid32", "setregid32", "setresuid32",
	"setresgid32", "setfsuid32", "setfsgid32", "setgroups32", "getgroups32",
	"getresuid32", "getresgid32", NULL,
};
static const char *const g_signals[] = {
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigreturn", "rt_sigsuspend",
	"rt_sigpending", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_sigqueueinfo",
	"rt_tgsigqueueinfo", "sigaltstack", "signalfd", "signalfd4", "pause", "alarm", "kill",
	"tkill", "tgkill", "pidfd_send_signal", "sigaction", "signal", "sigprocmask",
	"sigsuspend", "sigpending", NULL,
};
static const char *const g_mem[] = {
	"mmap", "mmap2", "munmap", "mremap", "mprotect", "pkey_mprotect", "pkey_alloc",
	"pkey_free", "madvise", "mlock", "mlock2", "munlock", "mlockall", "munlockall",
	"mincore", "msync", "brk", "membarrier", "remap_file_pages", "mbind", "set_mempolicy",
	"get_mempolicy", "migrate_pages", "move_pages", "process_madvise", "memfd_secret",
	"userfaultfd", "mseal", NULL,
};
static const char *const g_ipc[] = {
	"shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop",
	"semtimedop_time64", "semctl", "msgget", "msgsnd", "msgrcv", "msgctl", "mq_open",
	"mq_unlink", "mq_timedsend", "mq_timedsend_time64", "mq_timedreceive",
	"mq_timedreceive_time64", "mq_notify", "mq_getsetattr", "ipc", NULL,
};
static const char *const g_time[] = {
	"time", "gettimeofday", "clock_gettime", "clock_gettime64", "clock_getres",
	"clock_getres_time64", "clock_nanosleep", "clock_nanosleep_time64", "nanosleep",
	"timer_create", "timer_settime", "timer_settime64", "timer_gettime", "timer_gettime64",
	"timer_getoverrun", "timer_delete", "timerfd_create", "timerfd_settime",
	"timerfd_settime64", "timerfd_gettime", "timerfd_gettime64", "getitimer", "setitimer",
	NULL,
};
static const char *const g_aio[] = {
	"io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents", "io_pgetevents",
	"io_pgetevents_time64", "io_uring_setup", "io_uring_enter", "io_uring_register", NULL,
};
static const char *const g_priv[] = {
	"mount", "umount", "umount2", "pivot_root", "chroot", "swapon", "swapoff", "reboot",
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"sethostname", "setdomainname", "settimeofday", "stime", "clock_settime",
	"clock_settime64", "adjtimex", "clock_adjtime", "clock_adjtime64", "acct", "quotactl",
	"iopl", "ioperm", "syslog", "bpf", "perf_event_open", "ptrace", "process_vm_readv",
	"process_vm_writev", "keyctl", "add_key", "request_key", "unshare", "setns", "fsopen",
	"fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
	"open_by_handle_at", "vhangup", "kcmp", "pidfd_getfd", "lookup_dcookie", NULL,
};

static const struct group groups[] = {
	{ "files", g_files },
	{ "file descriptors", g_fds },
	{ "network", g_net },
	{ "processes", g_proc },
	{ "credentials", g_creds },
	{ "signals", g_signals },
	{ "memory", g_mem },
	{ "ipc", g_ipc },
	{ "time", g_time },
	{ "async i/o", g_aio },
	{ "privileged", g_priv },
};
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

enum verdict { V_ALLOW, V_DEPENDS, V_DENY, V_OTHER, V_COUNT };
static const char *const vnames[V_COUNT] = { "allowed", "depends", "denied", "other" };

struct tally {
	unsigned n[V_COUNT];
	char list[V_COUNT][4096];
	size_t len[V_COUNT];
};

static enum verdict classify(const struct cli_input *in, enum arch_id abi, int id)
{
	struct cli_verdicts v;

	cli_judge(in, abi, id, &v);
	if (v.allow == v.total)
		return V_ALLOW;
	if (v.deny == v.total)
		return V_DENY;
	if (v.other == v.total)
		return V_OTHER;
	return V_DEPENDS;
}

static void tally_add(struct tally *t, enum verdict v, const char *name)
{
	t->n[v]++;
	if (t->len[v] < sizeof(t->list[v]))
		t->len[v] += (size_t)snprintf(t->list[v] + t->len[v], sizeof(t->list[v]) - t->len[v],
					      "%s%s", t->len[v] ? " " : "", name);
}

static int in_any_group(const char *name)
{
	for (size_t g = 0; g < NGROUPS; g++)
		for (const char *const *c = groups[g].calls; *c; c++)
			if (!strcmp(*c, name))
				return 1;
	return 0;
}

static void print_row(const char *name, const struct tally *t, int verbose)
{
	enum verdict most = V_ALLOW;

	printf("%-17s %7u %7u %7u %7u\n", name, t->n[V_ALLOW], t->n[V_DEPENDS], t->n[V_DENY],
	       t->n[V_OTHER]);
	for (int v = 0; v < V_COUNT; v++)
		if (t->n[v] > t->n[most])
			most = (enum verdict)v;
	/* the majority is implied by the counts; name the exceptions */
	for (int v = 0; v < V_COUNT; v++)
		if (t->n[v] && (verbose || v != (int)most))
			printf("  %s: %s\n", vnames[v], t->list[v]);
}

static void explain(const struct cli_input *in, enum arch_id abi, int verbose)
{
	struct tally *t = calloc(1, sizeof(*t));

	if (!t)
		return;
	printf("%-17s %7s %7s %7s %7s\n", "GROUP", "ALLOWED", "DEPENDS", "DENIED", "OTHER");
	for (size_t g = 0; g < NGROUPS; g++) {
		memset(t, 0, sizeof(*t));
		for (const char *const *c = groups[g].calls; *c; c++) {
			int id = arch_syscall_id(*c);

			if (id >= 0 && arch_syscall_nr(abi, id) != ARCH_NR_NONE)
				tally_add(t, classify(in, abi, id), *c);
		}
		if (t->n[V_ALLOW] + t->n[V_DEPENDS] + t->n[V_DENY] + t->n[V_OTHER])
			print_row(groups[g].name, t, verbose);
	}
	memset(t, 0, sizeof(*t));
	for (int id = 0; id < arch_syscall_count(); id++)
		if (arch_syscall_nr(abi, id) != ARCH_NR_NONE &&
		    !in_any_group(arch_syscall_name(id)))
			tally_add(t, classify(in, abi, id), arch_syscall_name(id));
	print_row("other calls", t, verbose);
	free(t);
}

static void print_header(const struct cli_input *in, const struct arch_desc *abi)
{
	char d[32], b[32];

	if (in->is_filter) {
		printf("filter: %zu instructions; showing ABI %s\n", in->prog.len, abi->name);
		return;
	}
	printf("policy: default %s, bad-architecture %s, %zu rules; ABIs",
	       policy_action_str(in->policy.default_action, d, sizeof(d)),
	       policy_action_str(in->policy.badarch_action, b, sizeof(b)), in->policy.nrules);
	for (int a = 0; a < ARCH_COUNT; a++)
		if (in->policy.arches & ARCH_MASK(a))
			printf(" %s", arch_get((enum arch_id)a)->name);
	printf("; showing %s\n", abi->name);
}

/* The ABI to explain: the requested one, else native if the policy covers
 * it, else the first the policy names. */
static const struct arch_desc *pick_abi(const struct cli_input *in, const struct arch_desc *want)
{
	uint32_t covered = in->is_filter ? ARCH_MASK_ALL : in->policy.arches;

	if (want)
		return want;
	if (covered & ARCH_MASK(arch_native()->id))
		return arch_native();
	for (int a = 0; a < ARCH_COUNT; a++)
		if (covered & ARCH_MASK(a))
			return arch_get((enum arch_id)a);
	return arch_native();
}

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct arch_desc *want = NULL, *abi;
	enum format fmt = FORMAT_AUTO;
	struct format_options o;
	struct cli_input in;
	int c, rc, verbose = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "a:vf:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			want = cli_parse_arch("explain", optarg);
			if (!want)
				return EXIT_USAGE;
			break;
		case 'v': verbose = 1; break;
		case 'f':
			if (cli_parse_format("explain", optarg, &fmt))
				return EXIT_USAGE;
			break;
		case 'h': return cli_usage("explain", usage, NULL);
		default: return cli_bad_option("explain", argv, optind, optopt);
		}
	}
	if (optind != argc - 1)
		return cli_usage("explain", usage, optind >= argc ? "missing POLICY" :
				 "more than one POLICY");
	format_options_init(&o);
	rc = cli_load("explain", argv[optind], fmt, &o, &in);
	if (rc)
		return rc;
	abi = pick_abi(&in, want);
	print_header(&in, abi);
	explain(&in, abi->id, verbose);
	cli_input_free(&in);
	return 0;
}
