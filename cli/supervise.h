/* Process supervision shared by run, audit and learn: start a command with a
 * filter loaded in the child, get its notification listener into the parent,
 * watch it with ptrace, and print syscalls readably. */
#ifndef MUZZLE_SUPERVISE_H
#define MUZZLE_SUPERVISE_H

#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "arch/arch.h"

/* How to start the child. */
struct sv_spawn {
	const char *sub;		/* subcommand name for error lines */
	char **argv;			/* the command; argv[0] is looked up in PATH */
	const struct sock_filter *insns;	/* filter to load; NULL: none */
	size_t len;
	uint32_t flags;			/* SECCOMP_FILTER_FLAG_* (NEW_LISTENER: listener wanted) */
	int nnp;			/* set no_new_privs before loading */
	int strict;			/* load strict mode instead of a filter */
	int trace;			/* PTRACE_SEIZE the child (and its descendants) */
	int give_fd;			/* 1: do not load; put the raw filter at fd filter_fd */
	int filter_fd;
};

struct sv_shared;

struct sv_child {
	pid_t pid;
	int listener;		/* the parent's copy of the notification fd, or -1 */
	int sigfd;		/* signalfd for SIGCHLD and forwarded signals */
	int status;		/* wait status of pid once reaped */
	int reaped;
	char path[4096];	/* what was exec'ed */
	struct sv_shared *shm;	/* page shared with the child until exec */
};

/* Looks CMD up like execvp does.  0 with path filled, or the shell's exit code
 * (127 not found, 126 not executable) after printing one error line. */
int sv_resolve(const char *sub, const char *cmd, char *path, size_t len);

/* Forks, prepares and execs.  0 on success; otherwise an exit code after an
 * error line (EXIT_SYSTEM when the kernel refused the filter, 127/126 when the
 * command cannot be run). */
int sv_start(const struct sv_spawn *s, struct sv_child *c);
/* Block SIGCHLD and the signals sv_supervise forwards to the command, and
 * open c->sigfd on them; *old gets the previous mask.  0 or -1 (reported). */
int sv_block_signals(const char *sub, struct sv_child *c, sigset_t *old);

/* Why the child never reached the command: call once the child has exited.
 * Prints one error line and returns the exit code to use, or returns -1 when
 * the exec succeeded (the status is the command's own). */
int sv_exec_failure(const char *sub, const struct sv_child *c);

/* Events the supervision loop reports. */
enum sv_block { SV_KILLED, SV_TRAPPED };
struct sv_hooks {
	void *ctx;
	/* A notification: the loop answers it with FLAG_CONTINUE afterwards. */
	void (*notif)(void *ctx, const struct seccomp_notif *n);
	/* A traced thread died of SIGSYS/SIGKILL inside a syscall (SV_KILLED) or
	 * got a seccomp SIGSYS (SV_TRAPPED); d holds the call as seccomp saw it. */
	void (*blocked)(void *ctx, pid_t tid, enum sv_block how, const struct seccomp_data *d,
			int status);
};

/* Runs until the child exits (wait_all: until every descendant has gone,
 * the process being a child subreaper), serving notifications and ptrace
 * stops, forwarding SIGTERM/SIGHUP/SIGINT/SIGQUIT to the child.  Returns 0 or
 * a negative errno; c->status holds the child's wait status. */
int sv_supervise(struct sv_child *c, const struct sv_hooks *h, int wait_all);

void sv_child_free(struct sv_child *c);

/* sv_start + sv_supervise + sv_exec_failure: the exit code muzzle should
 * return (the command's status as a shell reports it, or an error code after
 * an error line).  *ran (may be NULL) is 1 when the command was exec'ed. */
int sv_run(const struct sv_spawn *s, const struct sv_hooks *h, int wait_all, int *ran);

/* A wait status as a shell exit code: exit code, or 128 + signal. */
int sv_exit_code(int status);

/* "ptrace(PTRACE_ATTACH, 1234, 0, 0)" for the call in d. */
void sv_format_call(char *buf, size_t len, const struct seccomp_data *d);
/* Name of the syscall in d, or "syscall_N" in buf. */
const char *sv_call_name(const struct seccomp_data *d, char *buf, size_t len);
/* /proc/PID/comm without the newline ("?" if gone). */
void sv_comm(pid_t pid, char *buf, size_t len);

#endif
