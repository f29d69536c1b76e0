/* Starting and watching a command under a filter: see supervise.h.
 *
 * The child and the parent share one anonymous page until the child execs.
 * The child reports there what went wrong (load or exec) and, for a filter
 * with a listener, the listener's fd number: no syscall is needed after the
 * filter is in place, so a filter that notifies on everything cannot
 * deadlock the hand-over.  The parent then copies the fd with pidfd_getfd(2). */
#include "supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <elf.h>
#include <linux/audit.h>

#include "cli.h"
#include "bpf/bpf.h"
#include "load/load.h"

extern char **environ;

enum { SV_RUNNING, SV_LOADED, SV_FAILED };
enum { SV_STAGE_NONE, SV_STAGE_SETUP, SV_STAGE_LOAD, SV_STAGE_EXEC };

struct sv_shared {
	int state;	/* SV_RUNNING until the filter is in (or setup failed) */
	int ack;	/* parent has the listener; the child may exec */
	int listener;	/* the child's fd number of the listener */
	int stage;	/* what failed */
	int err;	/* its errno */
};

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

/* --- looking the command up ------------------------------------------------ */

static int exec_candidate(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (access(path, X_OK) < 0)
		return -errno;
	return 0;
}

static int resolve_error(const char *sub, const char *cmd, int err, int searched)
{
	if (err == -ENOENT || err == -ENOTDIR) {
		if (searched)
			cli_error(sub, "%s: command not found", cmd);
		else
			cli_error(sub, "%s: %s", cmd, strerror(-err));
		return 127;
	}
	cli_error(sub, "%s: %s", cmd, strerror(-err));
	return 126;
}

int sv_resolve(const char *sub, const char *cmd, char *path, size_t len)
{
	const char *dirs = getenv("PATH");
	int first_err = -ENOENT;

	if (!*cmd)
		return resolve_error(sub, cmd, -ENOENT, 1);
	if (strchr(cmd, '/')) {
		int rc = exec_candidate(cmd);

		if (rc)
			return resolve_error(sub, cmd, rc, 0);
		snprintf(path, len, "%s", cmd);
		return 0;
	}
	if (!dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	for (;;) {
		size_t n = strcspn(dirs, ":");
		/* an empty PATH element means the current directory */
		const char *dir = n ? dirs : ".";
		int w = n ? (int)n : 1, rc;

		if ((size_t)snprintf(path, len, "%.*s/%s", w, dir, cmd) < len) {
			rc = exec_candidate(path);
			if (rc == 0)
				return 0;
			/* as shells do: a found but unusable file beats "not found" */
			if (rc != -ENOENT && rc != -ENOTDIR && first_err == -ENOENT)
				first_err = rc;
		}
		if (!dirs[n])
			break;
		dirs += n + 1;
	}
	return resolve_error(sub, cmd, first_err, 1);
}

/* --- the child ---------------------------------------------------------------- */

static void __attribute__((noreturn)) child_fail(struct sv_shared *shm, int stage, int err,
						 int code)
{
	shm->stage = stage;
	shm->err = err;
	__atomic_store_n(&shm->state, SV_FAILED, __ATOMIC_RELEASE);
	_exit(code);
}

static void place_filter_fd(const struct sv_spawn *s, struct sv_shared *shm, int memfd)
{
	if (memfd == s->filter_fd) {
		if (fcntl(memfd, F_SETFD, 0) < 0)
			child_fail(shm, SV_STAGE_SETUP, errno, EXIT_SYSTEM);
	} else if (dup2(memfd, s->filter_fd) < 0) {
		child_fail(shm, SV_STAGE_SETUP, errno, EXIT_SYSTEM);
	}
	if (lseek(s->filter_fd, 0, SEEK_SET) < 0)
		child_fail(shm, SV_STAGE_SETUP, errno, EXIT_SYSTEM);
}

/* After the filter is in, only plain memory accesses until execve: whatever
 * the filter does to a syscall, the hand-over cannot be blocked. */
static void wait_for_ack(struct sv_shared *shm)
{
	while (!__atomic_load_n(&shm->ack, __ATOMIC_ACQUIRE))
		__asm__ __volatile__("" ::: "memory");
}

static void __attribute__((noreturn)) child_main(const struct sv_spawn *s, struct sv_child *c,
						 const sigset_t *mask, int go, int memfd)
{
	struct sv_shared *shm = c->shm;
	int rc = 0;

	sigprocmask(SIG_SETMASK, mask, NULL);
	if (go >= 0) {
		char b;

		/* the parent attaches with ptrace before anything is loaded */
		if (read(go, &b, 1) != 1)
			_exit(EXIT_SYSTEM);
		close(go);
	}
	if (memfd >= 0)
		place_filter_fd(s, shm, memfd);
	if (s->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* no supervisor: nobody answers */
	if (s->strict) {
		if (s->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			child_fail(shm, SV_STAGE_LOAD, errno, EXIT_SYSTEM);
		rc = load_strict();
	} else if (s->insns && !s->give_fd) {
		rc = load_filter(s->insns, s->len, s->flags, s->nnp);
	}
	if (rc < 0)
		child_fail(shm, SV_STAGE_LOAD, -rc, EXIT_SYSTEM);
	if (s->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) {
		shm->listener = rc;
		__atomic_store_n(&shm->state, SV_LOADED, __ATOMIC_RELEASE);
		wait_for_ack(shm);
	}
	execve(c->path, s->argv, environ);
	child_fail(shm, SV_STAGE_EXEC, errno, errno == ENOENT ? 127 : 126);
}

/* --- the parent ---------------------------------------------------------------- */

static int make_memfd(const struct sv_spawn *s)
{
	int fd = (int)syscall(SYS_memfd_create, "muzzle-filter", MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (bpf_write_raw(fd, s->insns, s->len) < 0) {
		close(fd);
		return -EIO;
	}
	return fd;
}

static int child_gone(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	/* WNOWAIT: leave the status for the supervision loop */
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return 1;
	return si.si_pid == pid;
}

/* Waits (without syscalls on the child's side) for the listener and copies it. */
static int fetch_listener(const char *sub, struct sv_child *c)
{
	struct timespec nap = { 0, 20000 };
	int pidfd, fd;

	while (__atomic_load_n(&c->shm->state, __ATOMIC_ACQUIRE) == SV_RUNNING) {
		if (child_gone(c->pid))
			return 1;	/* sv_exec_failure tells why */
		nanosleep(&nap, NULL);
	}
	if (c->shm->state != SV_LOADED)
		return 1;
	pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	if (pidfd < 0) {
		cli_error(sub, "pidfd_open: %s", strerror(errno));
		return -1;
	}
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, c->shm->listener, 0);
	close(pidfd);
	if (fd < 0) {
		cli_error(sub, "pidfd_getfd (copying the listener): %s", strerror(errno));
		return -1;
	}
	c->listener = fd;
	/* Linux 6.6+: wake the notifying task on this CPU, which makes each
	 * round trip cheaper; older kernels just say EINVAL */
	ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	__atomic_store_n(&c->shm->ack, 1, __ATOMIC_RELEASE);
	return 0;
}

static int attach(const char *sub, pid_t pid, int go)
{
	long opts = PTRACE_O_TRACEEXIT | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC;

	/* Watching is for the report only: without it the filter still holds */
	if (ptrace(PTRACE_SEIZE, pid, 0, opts) < 0)
		cli_error(sub, "warning: cannot watch the command (ptrace: %s); blocked calls "
			  "will not be named", strerror(errno));
	if (write(go, "g", 1) != 1) {
		cli_error(sub, "starting the child: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void abandon(struct sv_child *c)
{
	int st;

	kill(c->pid, SIGKILL);
	waitpid(c->pid, &st, __WALL);
	c->reaped = 1;
	c->status = st;
}

static int fork_child(const struct sv_spawn *s, struct sv_child *c, const sigset_t *old,
		      int memfd)
{
	int go[2] = { -1, -1 };

	if (s->trace && pipe2(go, O_CLOEXEC) < 0) {
		cli_error(s->sub, "pipe: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	c->pid = fork();
	if (c->pid < 0) {
		cli_error(s->sub, "fork: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	if (c->pid == 0) {
		if (go[1] >= 0)
			close(go[1]);
		child_main(s, c, old, go[0], memfd);
	}
	if (go[0] >= 0)
		close(go[0]);
	if (s->trace) {
		int rc = attach(s->sub, c->pid, go[1]);

		close(go[1]);
		if (rc) {
			abandon(c);
			return EXIT_SYSTEM;
		}
	}
	return 0;
}

int sv_block_signals(const char *sub, struct sv_child *c, sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &set, old) < 0)
		return -1;
	c->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (c->sigfd < 0) {
		cli_error(sub, "signalfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int sv_start(const struct sv_spawn *s, struct sv_child *c)
{
	sigset_t old;
	int memfd = -1, rc;

	memset(c, 0, sizeof(*c));
	c->listener = c->sigfd = -1;
	rc = sv_resolve(s->sub, s->argv[0], c->path, sizeof(c->path));
	if (rc)
		return rc;
	c->shm = mmap(NULL, sizeof(*c->shm), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c->shm == MAP_FAILED) {
		c->shm = NULL;
		cli_error(s->sub, "mmap: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	if (s->give_fd && (memfd = make_memfd(s)) < 0) {
		cli_error(s->sub, "memfd for the filter: %s", strerror(-memfd));
		return EXIT_SYSTEM;
	}
	/* a subreaper collects orphaned descendants, so "all gone" is knowable */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (sv_block_signals(s->sub, c, &old))
		rc = EXIT_SYSTEM;
	if (!rc)
		rc = fork_child(s, c, &old, memfd);
	if (memfd >= 0)
		close(memfd);
	if (!rc && (s->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) && fetch_listener(s->sub, c) < 0) {
		abandon(c);
		rc = EXIT_SYSTEM;
	}
	return rc;
}

int sv_exec_failure(const char *sub, const struct sv_child *c)
{
	const struct sv_shared *shm = c->shm;

	if (!shm || __atomic_load_n(&shm->state, __ATOMIC_ACQUIRE) != SV_FAILED)
		return -1;
	switch (shm->stage) {
	case SV_STAGE_LOAD:
		cli_error(sub, "the kernel refused the filter: %s", strerror(shm->err));
		return EXIT_SYSTEM;
	case SV_STAGE_SETUP:
		cli_error(sub, "preparing the child: %s", strerror(shm->err));
		return EXIT_SYSTEM;
	case SV_STAGE_EXEC:
		if (shm->err == EPERM || shm->err == EACCES || shm->err == ENOSYS)
			cli_error(sub, "%s: execve failed: %s (does the policy allow execve?)",
				  c->path, strerror(shm->err));
		else
			cli_error(sub, "%s: execve failed: %s", c->path, strerror(shm->err));
		return shm->err == ENOENT ? 127 : 126;
	}
	return -1;
}

void sv_child_free(struct sv_child *c)
{
	if (c->listener >= 0)
		close(c->listener);
	if (c->sigfd >= 0)
		close(c->sigfd);
	if (c->shm)
		munmap(c->shm, sizeof(*c->shm));
	c->listener = c->sigfd = -1;
	c->shm = NULL;
}

int sv_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_SYSTEM;
}

/* --- ptrace -------------------------------------------------------------------- */

/* The syscall a stopped thread is in, from its registers.  arch is the
 * AUDIT_ARCH token of the call when known, else 0 (then the thread's own).
 * 0, 1 when the thread is in no syscall, or a negative errno. */
static int regs_to_data(pid_t tid, uint32_t arch, struct seccomp_data *d)
{
#if defined(__x86_64__)
	struct user_regs_struct r;
	struct iovec iov = { &r, sizeof(r) };

	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -errno;
	memset(d, 0, sizeof(*d));
	if (!arch)
		arch = r.cs == 0x23 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
	d->arch = arch;
	d->nr = (int)(uint32_t)r.orig_rax;
	d->instruction_pointer = r.rip;
	if (arch == AUDIT_ARCH_I386) {
		uint64_t a[6] = { r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp };

		for (int i = 0; i < 6; i++)
			d->args[i] = (uint32_t)a[i];
	} else {
		uint64_t a[6] = { r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9 };

		memcpy(d->args, a, sizeof(a));
	}
	/* orig_rax is -1 when the thread was not in a syscall */
	return (int64_t)r.orig_rax < 0;
#else
	(void)tid;
	(void)arch;
	memset(d, 0, sizeof(*d));
	return -ENOTSUP;
#endif
}

static void on_sigsys(const struct sv_hooks *h, pid_t tid)
{
	struct seccomp_data d;
	siginfo_t si;

	if (!h->blocked || ptrace(PTRACE_GETSIGINFO, tid, 0, &si) < 0 || si.si_code != SYS_SECCOMP)
		return;
	if (regs_to_data(tid, si.si_arch, &d) < 0)
		return;
	d.nr = si.si_syscall;	/* what seccomp saw, whatever the registers say */
	d.arch = si.si_arch;
	h->blocked(h->ctx, tid, SV_TRAPPED, &d, 0);
}

static void on_exit_event(const struct sv_hooks *h, pid_t tid)
{
	struct seccomp_data d;
	unsigned long msg = 0;
	int st;

	if (!h->blocked || ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) < 0)
		return;
	st = (int)msg;
	if (!WIFSIGNALED(st) || (WTERMSIG(st) != SIGSYS && WTERMSIG(st) != SIGKILL))
		return;
	if (regs_to_data(tid, 0, &d) == 0)
		h->blocked(h->ctx, tid, SV_KILLED, &d, st);
}

static int is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* One ptrace stop: report what is interesting, then let the thread go on. */
static void on_stop(const struct sv_hooks *h, pid_t tid, int status)
{
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16, inject = 0;

	switch (event) {
	case 0:		/* signal-delivery-stop: the signal goes on to the thread */
		if (sig == SIGSYS)
			on_sigsys(h, tid);
		inject = sig;
		break;
	case PTRACE_EVENT_EXIT:
		on_exit_event(h, tid);
		break;
	case PTRACE_EVENT_STOP:
		/* group-stop: stay stopped until SIGCONT, like an untraced process */
		if (is_stop_signal(sig)) {
			ptrace(PTRACE_LISTEN, tid, 0, 0);
			return;
		}
		break;
	default:	/* fork, clone, exec events: nothing to do */
		break;
	}
	ptrace(PTRACE_CONT, tid, 0, inject);
}

/* --- the loop ------------------------------------------------------------------ */

static void serve_notification(struct sv_child *c, const struct sv_hooks *h)
{
	struct seccomp_notif n;
	struct seccomp_notif_resp r;

	memset(&n, 0, sizeof(n));	/* the kernel insists on a zeroed buffer */
	if (ioctl(c->listener, SECCOMP_IOCTL_NOTIF_RECV, &n) < 0)
		return;		/* ENOENT: the caller died meanwhile */
	if (h->notif)
		h->notif(h->ctx, &n);
	memset(&r, 0, sizeof(r));
	r.id = n.id;
	r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	ioctl(c->listener, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

/* Reaps and handles every pending child event.  Returns 1 when no child is
 * left at all, else 0. */
static int reap(struct sv_child *c, const struct sv_hooks *h)
{
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG | __WALL);

		if (p < 0)
			return errno == ECHILD;
		if (p == 0)
			return 0;
		if (WIFSTOPPED(st)) {
			on_stop(h, p, st);
		} else if (p == c->pid) {
			c->status = st;
			c->reaped = 1;
		}
	}
}

static int drain_signals(struct sv_child *c)
{
	struct signalfd_siginfo si;

	while (read(c->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		/* a terminal's ^C reaches the child's process group itself */
		if (si.ssi_signo == SIGINT || si.ssi_signo == SIGQUIT)
			if (si.ssi_code == SI_KERNEL)
				continue;
		if (si.ssi_signo != SIGCHLD && !c->reaped)
			kill(c->pid, (int)si.ssi_signo);
	}
	return 0;
}

int sv_supervise(struct sv_child *c, const struct sv_hooks *h, int wait_all)
{
	int listening = c->listener >= 0, none_left = reap(c, h);

	while (!c->reaped || (wait_all && !none_left)) {
		struct pollfd p[2] = { { c->sigfd, POLLIN, 0 }, { c->listener, POLLIN, 0 } };

		if (none_left)
			return -ECHILD;
		if (poll(p, listening ? 2 : 1, -1) < 0 && errno != EINTR)
			return -errno;
		if (listening && (p[1].revents & POLLIN))
			serve_notification(c, h);
		else if (listening && (p[1].revents & (POLLHUP | POLLERR | POLLNVAL)))
			listening = 0;	/* every task using the filter is gone */
		/* children are reaped only when SIGCHLD says so: one syscall less
		 * per notification */
		if (p[0].revents & POLLIN) {
			drain_signals(c);
			none_left = reap(c, h);
		}
	}
	return 0;
}

int sv_run(const struct sv_spawn *s, const struct sv_hooks *h, int wait_all, int *ran)
{
	struct sv_child c;
	int rc = sv_start(s, &c);

	if (ran)
		*ran = 0;
	if (!rc && (rc = sv_supervise(&c, h, wait_all)) < 0) {
		cli_error(s->sub, "supervising the command: %s", strerror(-rc));
		rc = EXIT_SYSTEM;
	}
	if (!rc && c.reaped) {
		rc = sv_exec_failure(s->sub, &c);
		if (rc < 0 && ran)
			*ran = 1;
		if (rc < 0)
			rc = sv_exit_code(c.status);
	}
	sv_child_free(&c);
	return rc;
}

/* --- printing calls -------------------------------------------------------------- */

const char *sv_call_name(const struct seccomp_data *d, char *buf, size_t len)
{
	const struct arch_desc *a = arch_for_data(d->arch, (uint32_t)d->nr);
	int id = a ? arch_syscall_by_nr(a->id, (uint32_t)d->nr) : -1;

	if (id >= 0)
		return arch_syscall_name(id);
	snprintf(buf, len, "syscall_%u", (unsigned)d->nr);
	return buf;
}

void sv_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f || !fgets(buf, (int)len, f)) {
		snprintf(buf, len, "?");
	} else {
		buf[strcspn(buf, "\n")] = '\0';
	}
	if (f)
		fclose(f);
}

/* Argument counts of common calls, so a line shows only the arguments the
 * call has; calls missing here show all six. */
static const char arity_table[] =
	" read 3 write 3 open 3 close 1 stat 2 fstat 2 lstat 2 poll 3 lseek 3 mmap 6 mprotect 3"
	" munmap 2 brk 1 rt_sigaction 4 rt_sigprocmask 4 rt_sigreturn 0 ioctl 3 pread64 4"
	" pwrite64 4 readv 3 writev 3 access 2 pipe 1 select 5 sched_yield 0 mremap 5 msync 3"
	" mincore 3 madvise 3 shmget 3 shmat 3 shmctl 3 dup 1 dup2 2 pause 0 nanosleep 2"
	" getitimer 2 alarm 1 setitimer 3 getpid 0 sendfile 4 socket 3 connect 3 accept 3"
	" sendto 6 recvfrom 6 sendmsg 3 recvmsg 3 shutdown 2 bind 3 listen 2 getsockname 3"
	" getpeername 3 socketpair 4 setsockopt 5 getsockopt 5 clone 5 fork 0 vfork 0 execve 3"
	" exit 1 wait4 4 kill 2 uname 1 semget 3 semop 3 semctl 4 shmdt 1 msgget 2 msgsnd 4"
	" msgrcv 5 msgctl 3 fcntl 3 flock 2 fsync 1 fdatasync 1 truncate 2 ftruncate 2"
	" getdents 3 getcwd 2 chdir 1 fchdir 1 rename 2 mkdir 2 rmdir 1 creat 2 link 2 unlink 1"
	" symlink 2 readlink 3 chmod 2 fchmod 2 chown 3 fchown 3 lchown 3 umask 1"
	" gettimeofday 2 getrlimit 2 getrusage 2 sysinfo 1 times 1 ptrace 4 getuid 0 syslog 3"
	" getgid 0 setuid 1 setgid 1 geteuid 0 getegid 0 setpgid 2 getppid 0 getpgrp 0 setsid 0"
	" setreuid 2 setregid 2 getgroups 2 setgroups 2 setresuid 3 getresuid 3 setresgid 3"
	" getresgid 3 getpgid 1 setfsuid 1 setfsgid 1 getsid 1 capget 2 capset 2"
	" rt_sigpending 2 rt_sigtimedwait 4 rt_sigqueueinfo 3 rt_sigsuspend 2 sigaltstack 2"
	" utime 2 mknod 3 personality 1 statfs 2 fstatfs 2 getpriority 2 setpriority 3 mlock 2"
	" munlock 2 mlockall 1 munlockall 0 vhangup 0 modify_ldt 3 pivot_root 2 prctl 5"
	" arch_prctl 2 adjtimex 1 setrlimit 2 chroot 1 sync 0 acct 1 settimeofday 2 mount 5"
	" umount2 2 swapon 2 swapoff 1 reboot 4 sethostname 2 setdomainname 2 iopl 1 ioperm 3"
	" init_module 3 delete_module 2 quotactl 4 gettid 0 readahead 3 setxattr 5 getxattr 4"
	" listxattr 3 removexattr 2 tkill 2 time 1 futex 6 sched_setaffinity 3"
	" sched_getaffinity 3 io_setup 2 io_destroy 1 io_getevents 5 io_submit 3 io_cancel 3"
	" epoll_create 1 getdents64 3 set_tid_address 1 restart_syscall 0 semtimedop 4"
	" fadvise64 4 timer_create 3 timer_settime 4 timer_gettime 2 timer_getoverrun 1"
	" timer_delete 1 clock_settime 2 clock_gettime 2 clock_getres 2 clock_nanosleep 4"
	" exit_group 1 epoll_wait 4 epoll_ctl 4 tgkill 3 utimes 2 mbind 6 set_mempolicy 3"
	" get_mempolicy 5 mq_open 4 mq_unlink 1 kexec_load 4 waitid 5 add_key 5 request_key 4"
	" keyctl 5 ioprio_set 3 ioprio_get 2 inotify_init 0 inotify_add_watch 3"
	" inotify_rm_watch 2 openat 4 mkdirat 3 mknodat 4 fchownat 5 futimesat 3 newfstatat 4"
	" unlinkat 3 renameat 4 linkat 5 symlinkat 3 readlinkat 4 fchmodat 3 faccessat 3"
	" pselect6 6 ppoll 5 unshare 1 set_robust_list 2 get_robust_list 3 splice 6 tee 4"
	" sync_file_range 4 vmsplice 4 move_pages 6 utimensat 4 epoll_pwait 6 signalfd 3"
	" timerfd_create 2 eventfd 1 fallocate 4 timerfd_settime 4 timerfd_gettime 2 accept4 4"
	" signalfd4 4 eventfd2 2 epoll_create1 1 dup3 3 pipe2 2 inotify_init1 1 preadv 5"
	" pwritev 5 rt_tgsigqueueinfo 4 perf_event_open 5 recvmmsg 5 fanotify_init 2"
	" fanotify_mark 5 prlimit64 4 name_to_handle_at 5 open_by_handle_at 3 clock_adjtime 2"
	" syncfs 1 sendmmsg 4 setns 2 getcpu 3 process_vm_readv 6 process_vm_writev 6 kcmp 5"
	" finit_module 3 sched_setattr 3 sched_getattr 4 renameat2 5 seccomp 3 getrandom 3"
	" memfd_create 2 kexec_file_load 5 bpf 3 execveat 5 userfaultfd 1 membarrier 3 mlock2 3"
	" copy_file_range 6 preadv2 6 pwritev2 6 pkey_mprotect 4 pkey_alloc 2 pkey_free 1"
	" statx 5 io_pgetevents 6 rseq 4 pidfd_send_signal 4 io_uring_setup 2 io_uring_enter 6"
	" io_uring_register 4 open_tree 3 move_mount 5 fsopen 2 fsconfig 5 fsmount 3 fspick 3"
	" pidfd_open 2 clone3 2 close_range 3 openat2 4 pidfd_getfd 3 faccessat2 4"
	" process_madvise 5 epoll_pwait2 6 mount_setattr 5 landlock_create_ruleset 3"
	" landlock_add_rule 4 landlock_restrict_self 2 memfd_secret 1 process_mrelease 2"
	" futex_waitv 5 set_mempolicy_home_node 4 cachestat 4 fchmodat2 4 socketcall 2 ipc 6"
	" sigreturn 0 waitpid 3 _llseek 5 mmap2 6 fstat64 2 stat64 2 lstat64 2 fcntl64 3"
	" sched_getparam 2 sched_setparam 2 sched_setscheduler 3 sched_getscheduler 1"
	" getxattrat 6 setxattrat 6 listxattrat 5 removexattrat 4 ";

static int arity(const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), " %s ", name);
	p = strstr(arity_table, key);
	return p ? p[strlen(key)] - '0' : 6;
}

struct flag_name {
	uint64_t value;
	const char *name;
};

#define FN(x) { x, #x }
static const struct flag_name ptrace_requests[] = {
	{ 0, "PTRACE_TRACEME" }, { 1, "PTRACE_PEEKTEXT" }, { 2, "PTRACE_PEEKDATA" },
	{ 3, "PTRACE_PEEKUSER" }, { 4, "PTRACE_POKETEXT" }, { 5, "PTRACE_POKEDATA" },
	{ 6, "PTRACE_POKEUSER" }, { 7, "PTRACE_CONT" }, { 8, "PTRACE_KILL" },
	{ 9, "PTRACE_SINGLESTEP" }, { 12, "PTRACE_GETREGS" }, { 13, "PTRACE_SETREGS" },
	{ 16, "PTRACE_ATTACH" }, { 17, "PTRACE_DETACH" }, { 24, "PTRACE_SYSCALL" },
	{ 0x4200, "PTRACE_SETOPTIONS" }, { 0x4201, "PTRACE_GETEVENTMSG" },
	{ 0x4202, "PTRACE_GETSIGINFO" }, { 0x4203, "PTRACE_SETSIGINFO" },
	{ 0x4204, "PTRACE_GETREGSET" }, { 0x4205, "PTRACE_SETREGSET" },
	{ 0x4206, "PTRACE_SEIZE" }, { 0x4207, "PTRACE_INTERRUPT" }, { 0x4208, "PTRACE_LISTEN" },
	{ 0x4209, "PTRACE_PEEKSIGINFO" }, { 0x420e, "PTRACE_GET_SYSCALL_INFO" },
	{ 0, NULL }
};

static const struct flag_name families[] = {
	FN(AF_UNSPEC), FN(AF_UNIX), FN(AF_INET), FN(AF_AX25), FN(AF_IPX), FN(AF_APPLETALK),
	FN(AF_NETROM), FN(AF_BRIDGE), FN(AF_X25), FN(AF_INET6), FN(AF_KEY), FN(AF_NETLINK),
	FN(AF_PACKET), FN(AF_CAN), FN(AF_TIPC), FN(AF_BLUETOOTH), FN(AF_ALG), FN(AF_NFC),
	FN(AF_VSOCK), FN(AF_KCM), FN(AF_XDP),
	{ 0, NULL }
};

static const struct flag_name clone_flags[] = {
	FN(CLONE_VM), FN(CLONE_FS), FN(CLONE_FILES), FN(CLONE_SIGHAND), FN(CLONE_PIDFD),
	FN(CLONE_PTRACE), FN(CLONE_VFORK), FN(CLONE_PARENT), FN(CLONE_THREAD), FN(CLONE_NEWNS),
	FN(CLONE_SYSVSEM), FN(CLONE_SETTLS), FN(CLONE_PARENT_SETTID), FN(CLONE_CHILD_CLEARTID),
	FN(CLONE_UNTRACED), FN(CLONE_CHILD_SETTID), FN(CLONE_NEWCGROUP),
	FN(CLONE_NEWUTS), FN(CLONE_NEWIPC), FN(CLONE_NEWUSER), FN(CLONE_NEWPID), FN(CLONE_NEWNET),
	FN(CLONE_IO),
	{ 0, NULL }
};
#undef FN

static const char *value_name(const struct flag_name *t, uint64_t v)
{
	for (; t->name; t++)
		if (t->value == v)
			return t->name;
	return NULL;
}

static void put_number(char *buf, size_t len, uint64_t v)
{
	/* small negatives (AT_FDCWD, -1) read better signed; counts, fds and
	 * pids (pid_max is at most 2^22) decimal; pointers and masks in hex */
	if ((int64_t)v < 0 && (int64_t)v > -4096)
		snprintf(buf, len, "%lld", (long long)(int64_t)v);
	else if (v <= 0x400000)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "%#llx", (unsigned long long)v);
}

static void append(char *buf, size_t len, size_t *n, const char *s)
{
	if (*n < len)
		*n += (size_t)snprintf(buf + *n, len - *n, "%s%s", *n ? "|" : "", s);
}

/* "CLONE_VM|CLONE_FS|SIGCHLD"; with_signal: the low byte is an exit signal */
static void put_flags(char *buf, size_t len, const struct flag_name *t, uint64_t v,
		      int with_signal)
{
	uint64_t sig = with_signal ? v & 0xff : 0, rest = v & ~sig;
	char num[32];
	size_t n = 0;

	buf[0] = '\0';
	for (; t->name; t++) {
		if (rest & t->value) {
			append(buf, len, &n, t->name);
			rest &= ~t->value;
		}
	}
	if (sig) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)sig);
		append(buf, len, &n, sig == SIGCHLD ? "SIGCHLD" : num);
	}
	if (rest || !n) {
		snprintf(num, sizeof(num), "%#llx", (unsigned long long)rest);
		append(buf, len, &n, num);
	}
}

/* One argument, by name where the call and position have well-known names. */
static void put_arg(char *buf, size_t len, const char *call, int i, uint64_t v,
		    const struct arch_desc *a)
{
	const char *name = NULL;

	if (!strcmp(call, "ptrace") && i == 0)
		name = value_name(ptrace_requests, v);
	else if ((!strcmp(call, "socket") || !strcmp(call, "socketpair")) && i == 0)
		name = value_name(families, v);
	if (name) {
		snprintf(buf, len, "%s", name);
		return;
	}
	/* clone's argument order differs on s390; x86 and most others: flags first */
	if ((!strcmp(call, "clone") && i == 0 && a && a->id != ARCH_S390 &&
	     a->id != ARCH_S390X) || (!strcmp(call, "unshare") && i == 0) ||
	    (!strcmp(call, "setns") && i == 1)) {
		put_flags(buf, len, clone_flags, v, !strcmp(call, "clone"));
		return;
	}
	put_number(buf, len, v);
}

void sv_format_call(char *buf, size_t len, const struct seccomp_data *d)
{
	const struct arch_desc *a = arch_for_data(d->arch, (uint32_t)d->nr);
	char namebuf[32], arg[256];
	const char *name = sv_call_name(d, namebuf, sizeof(namebuf));
	int n = arity(name);
	size_t used;

	used = (size_t)snprintf(buf, len, "%s(", name);
	for (int i = 0; i < n && used < len; i++) {
		put_arg(arg, sizeof(arg), name, i, d->args[i], a);
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", arg);
	}
	if (used < len)
		snprintf(buf + used, len - used, ")");
}
