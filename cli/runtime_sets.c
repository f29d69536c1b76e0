/* The runtime sets of `muzzle learn --for`: measured, not guessed.
 *
 * How: on Debian 12 (kernel 6.18, x86_64) with runc 1.1.5 (go1.19.8,
 * libseccomp 2.5.4) and crun 1.8.1, a busybox container ran under an OCI
 * profile with defaultAction SCMP_ACT_LOG and no rules, once with
 * process.noNewPrivileges true and once false, under `strace -f`.  A list
 * below is the union of the calls the thread that loaded the filter (runc:
 * prctl(PR_SET_SECCOMP), crun: seccomp(SECCOMP_SET_MODE_FILTER)) made from
 * the load up to its execve, over 22 runs per case, half of them with both
 * CPUs kept busy.  Every call in the late and early lists was made in every
 * run.  The `runtime` list is Go's scheduler: futex and rt_sigreturn (the
 * SIGURG of goroutine preemption) were made on the loading thread in most
 * runs, nanosleep and sched_yield by runc init's other threads in the same
 * window; a denied futex there crashed runc init ("futexwakeup ... returned
 * -1").  crun is C and makes nothing that varies from run to run.
 *
 * Check: tests/test_runtimes.sh starts a busybox workload in runc and crun
 * under a profile learned with and without --for. */
#include <stddef.h>
#include <string.h>

#include "runtime_sets.h"

/* runc 1.1.5, noNewPrivileges true: after the load it closes the sync and
 * log pipes, writes to the exec fifo, and closes every fd above 2 it does
 * not pass on (reading /proc/self/fd, checking it is procfs). */
static const char *const runc_late[] = {
	"close", "epoll_ctl", "execve", "fstatfs", "getdents64", "getpid", "openat", "write",
	NULL
};

/* runc 1.1.5, noNewPrivileges false: the filter goes in before capabilities
 * and ids are dropped, so those calls, the cwd change and the lookups of the
 * command follow it too. */
static const char *const runc_early[] = {
	"capget", "capset", "chdir", "close", "epoll_ctl", "execve", "faccessat2", "fcntl",
	"fstat", "fstatfs", "getcwd", "getdents64", "getpid", "getppid", "newfstatat", "openat",
	"prctl", "read", "setgid", "setgroups", "setuid", "write", NULL
};

static const char *const go_runtime[] = {
	"futex", "nanosleep", "rt_sigreturn", "sched_yield", NULL
};

/* crun 1.8.1, no_new_privs set: the filter is the last thing before exec. */
static const char *const crun_late[] = { "close", "execve", NULL };

/* crun 1.8.1, no_new_privs unset: ids, capabilities, signal state. */
static const char *const crun_early[] = {
	"capset", "close", "execve", "prctl", "rt_sigaction", "rt_sigprocmask", "setresgid",
	"setresuid", "write", NULL
};

static const char *const none[] = { NULL };

/* Docker starts containers with runc (through containerd); its own daemon
 * never runs under the container's filter. */
static const struct runtime_set sets[] = {
	{ "runc", "runc 1.1.5", runc_late, runc_early, go_runtime },
	{ "crun", "crun 1.8.1", crun_late, crun_early, none },
	{ "docker", "runc 1.1.5", runc_late, runc_early, go_runtime },
};

const struct runtime_set *runtime_set_find(const char *name)
{
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		if (!strcmp(sets[i].name, name))
			return &sets[i];
	return NULL;
}

const char *runtime_set_names(void)
{
	return "runc, crun, docker";
}
