/* muzzle learn --backend ebpf: see learn_ebpf.h and learn_ebpf.bpf.c.
 *
 * The command runs with no seccomp filter at all; a BPF program on the
 * sys_enter raw tracepoint counts its calls in a map muzzle reads once
 * everything has exited.  Order matters for completeness: the programs are
 * attached before the child exists, the child waits on a pipe until its pid
 * is in the map, and from then on the fork tracepoint adds each descendant
 * before it first runs. */
#include "learn_ebpf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "supervise.h"

#ifndef MUZZLE_HAVE_LIBBPF

int learn_ebpf_record(const char *sub, char **argv, learn_ebpf_add_fn add, void *ctx)
{
	(void)argv;
	(void)add;
	(void)ctx;
	cli_error(sub, "--backend ebpf: this muzzle was built without libbpf (install libbpf-dev "
		  "and clang, then rebuild); use --backend notify");
	return -EXIT_SYSTEM;
}

#else

#include <linux/audit.h>
/* only libbpf.h: <bpf/bpf.h> is shadowed by libmuzzle's lib/bpf/bpf.h */
#include <bpf/libbpf.h>

#include "learn_ebpf_shared.h"

/* learn_ebpf.bpf.o, embedded by learn_ebpf_obj.S */
extern const char learn_ebpf_obj_start[], learn_ebpf_obj_end[];

extern char **environ;

/* pid namespaces get inode numbers from here on; the initial one has this */
#define INIT_PID_NS_INO 0xEFFFFFFCu
#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

struct recorder {
	struct bpf_object *obj;
	struct bpf_link *links[4];
	int nlinks;
	struct bpf_map *procs, *counts, *lost;
};

/* libbpf's own messages are several lines per failure; muzzle prints one. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static int fail(const char *sub, const char *what, const char *why)
{
	cli_error(sub, "--backend ebpf: %s: %s; use --backend notify", what, why);
	return -1;
}

/* What the machine must offer before anything is loaded. */
static int check_machine(const char *sub)
{
	struct stat st;

	if (access(VMLINUX_BTF, R_OK) < 0)
		return fail(sub, "cannot load the BPF recorder",
			    "the kernel offers no BTF (" VMLINUX_BTF " is missing: "
			    "CONFIG_DEBUG_INFO_BTF)");
	/* the map holds pids as the kernel numbers them; fork() returns ours */
	if (stat("/proc/self/ns/pid", &st) < 0 || st.st_ino != INIT_PID_NS_INO)
		return fail(sub, "cannot trace the command",
			    "muzzle runs in a pid namespace of its own (a container)");
	return 0;
}

static const char *load_error(int err)
{
	static const char noperm[] = "not permitted (loading BPF tracing programs needs root, "
				     "or CAP_BPF and CAP_PERFMON)";

	if (err == EPERM)
		return noperm;
	/* the kernel's answer when its verifier rejects a program */
	if (err == EACCES || err == EINVAL)
		return "the kernel refused the program (is it older than 5.5, or built without "
		       "BPF raw tracepoints?)";
	return strerror(err);
}

/* The native execve numbers (the child's own execve arms the recorder) and,
 * on x86_64 only, the program that tells 32-bit entries apart. */
static int configure(struct bpf_object *obj)
{
	struct learn_ebpf_config cfg = { SYS_execve, SYS_execveat };
	struct bpf_map *rodata = bpf_object__find_map_by_name(obj, ".rodata");
#if defined(__x86_64__)
	const char *unused = "sys_enter_native";
#else
	const char *unused = "sys_enter_x86";
#endif
	struct bpf_program *p = bpf_object__find_program_by_name(obj, unused);

	if (!rodata || !p)
		return -ENOENT;
	if (bpf_map__set_initial_value(rodata, &cfg, sizeof(cfg)))
		return -EINVAL;
	return bpf_program__set_autoload(p, false);
}

static int attach_all(const char *sub, struct recorder *r)
{
	struct bpf_program *p;
	char what[128];

	bpf_object__for_each_program(p, r->obj) {
		struct bpf_link *l;

		if (!bpf_program__autoload(p))
			continue;
		if (r->nlinks == (int)(sizeof(r->links) / sizeof(r->links[0])))
			return fail(sub, "attaching the BPF recorder", "too many programs");
		l = bpf_program__attach(p);
		if (!l) {
			snprintf(what, sizeof(what), "attaching to %s",
				 bpf_program__section_name(p));
			return fail(sub, what, load_error(errno));
		}
		r->links[r->nlinks++] = l;
	}
	return 0;
}

static void recorder_close(struct recorder *r)
{
	while (r->nlinks > 0)
		bpf_link__destroy(r->links[--r->nlinks]);
	bpf_object__close(r->obj);
	r->obj = NULL;
}

static int recorder_open(const char *sub, struct recorder *r)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "muzzle_learn");
	int rc;

	memset(r, 0, sizeof(*r));
	libbpf_set_print(quiet);
	r->obj = bpf_object__open_mem(learn_ebpf_obj_start,
				      (size_t)(learn_ebpf_obj_end - learn_ebpf_obj_start), &opts);
	if (!r->obj)
		return fail(sub, "opening the BPF recorder", strerror(errno));
	if ((rc = configure(r->obj)) < 0)
		return fail(sub, "preparing the BPF recorder", strerror(-rc));
	if ((rc = bpf_object__load(r->obj)) < 0)
		return fail(sub, "loading the BPF recorder", load_error(-rc));
	r->procs = bpf_object__find_map_by_name(r->obj, "procs");
	r->counts = bpf_object__find_map_by_name(r->obj, "counts");
	r->lost = bpf_object__find_map_by_name(r->obj, "lost");
	if (!r->procs || !r->counts || !r->lost)
		return fail(sub, "loading the BPF recorder", "a map is missing");
	return attach_all(sub, r);
}

/* --- the command ----------------------------------------------------------------- */

static void __attribute__((noreturn)) child_exec(const char *path, char **argv,
						 const sigset_t *mask, int go, int report)
{
	char b;
	int e;

	sigprocmask(SIG_SETMASK, mask, NULL);
	/* until muzzle has put this process in the map: then execve arms it */
	if (read(go, &b, 1) != 1)
		_exit(EXIT_SYSTEM);
	close(go);
	execve(path, argv, environ);
	e = errno;
	if (write(report, &e, sizeof(e)) != (ssize_t)sizeof(e))
		_exit(EXIT_SYSTEM);
	_exit(e == ENOENT ? 127 : 126);
}

/* Puts the child in the map, then lets it go on to execve. */
static int release(const struct recorder *r, pid_t child, int go)
{
	__u32 pid = (__u32)child, waiting = LEARN_EBPF_WAITING;
	int rc = bpf_map__update_elem(r->procs, &pid, sizeof(pid), &waiting, sizeof(waiting),
				      BPF_ANY);

	if (rc < 0)
		return rc;
	return write(go, "g", 1) == 1 ? 0 : -errno;
}

static int start_child(const char *sub, const struct recorder *r, struct sv_child *c,
		       const char *path, char **argv, int *report)
{
	int go[2] = { -1, -1 }, rep[2], rc;
	sigset_t old;

	if (sv_block_signals(sub, c, &old))
		return EXIT_SYSTEM;
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0) {
		cli_error(sub, "pipe: %s", strerror(errno));
		close(go[0]);
		close(go[1]);
		return EXIT_SYSTEM;
	}
	c->pid = fork();
	if (c->pid == 0) {
		close(go[1]);
		close(rep[0]);
		child_exec(path, argv, &old, go[0], rep[1]);
	}
	close(go[0]);
	close(rep[1]);
	*report = rep[0];
	rc = c->pid < 0 ? -errno : release(r, c->pid, go[1]);
	close(go[1]);
	if (!rc)
		return 0;
	cli_error(sub, "starting the command: %s", strerror(-rc));
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, &c->status, 0);
	}
	return EXIT_SYSTEM;
}

/* Why the command never ran, from the child's report: an exit code after an
 * error line, or -1 when execve succeeded. */
static int exec_failure(const char *sub, const char *path, int report)
{
	int e;

	if (read(report, &e, sizeof(e)) != (ssize_t)sizeof(e))
		return -1;
	cli_error(sub, "%s: execve failed: %s", path, strerror(e));
	return e == ENOENT ? 127 : 126;
}

/* The command's status, or minus an exit code. */
static int run(const char *sub, const struct recorder *r, const char *path, char **argv)
{
	struct sv_hooks none = { NULL, NULL, NULL };
	struct sv_child c;
	int report = -1, rc;

	memset(&c, 0, sizeof(c));
	c.listener = c.sigfd = -1;
	/* a subreaper collects orphaned descendants, so "all gone" is knowable */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rc = start_child(sub, r, &c, path, argv, &report);
	if (!rc && (rc = sv_supervise(&c, &none, 1)) < 0) {
		cli_error(sub, "waiting for the command: %s", strerror(-rc));
		rc = EXIT_SYSTEM;
	}
	if (!rc) {
		rc = exec_failure(sub, path, report);
		rc = rc < 0 ? sv_exit_code(c.status) : -rc;
	} else {
		rc = -rc;
	}
	if (report >= 0)
		close(report);
	sv_child_free(&c);
	return rc;
}

/* --- reading the counts ---------------------------------------------------------- */

static int collect(const char *sub, const struct recorder *r, learn_ebpf_add_fn add, void *ctx)
{
	struct learn_ebpf_key key, next, *prev = NULL;
	uint32_t native = arch_native()->token;
	__u64 lost = 0, n;
	__u32 zero = 0;
	int rc;

	if ((rc = bpf_map__lookup_elem(r->lost, &zero, sizeof(zero), &lost, sizeof(lost), 0)) < 0) {
		cli_error(sub, "--backend ebpf: reading the counts: %s", strerror(-rc));
		return -1;
	}
	if (lost) {
		cli_error(sub, "--backend ebpf: %llu events could not be recorded (a BPF map was "
			  "full): no profile written", (unsigned long long)lost);
		return -1;
	}
	while ((rc = bpf_map__get_next_key(r->counts, prev, &next, sizeof(next))) == 0) {
		struct seccomp_data d;

		memset(&d, 0, sizeof(d));
		d.arch = next.abi == LEARN_EBPF_COMPAT ? AUDIT_ARCH_I386 : native;
		d.nr = (int)next.nr;
		if (bpf_map__lookup_elem(r->counts, &next, sizeof(next), &n, sizeof(n), 0) == 0)
			add(ctx, &d, (unsigned long)n);
		key = next;
		prev = &key;
	}
	if (rc != -ENOENT) {
		cli_error(sub, "--backend ebpf: reading the counts: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

int learn_ebpf_record(const char *sub, char **argv, learn_ebpf_add_fn add, void *ctx)
{
	struct recorder r;
	char path[4096];
	int code = sv_resolve(sub, argv[0], path, sizeof(path));

	if (code)
		return -code;
	if (check_machine(sub))
		return -EXIT_SYSTEM;
	if (recorder_open(sub, &r) < 0) {
		recorder_close(&r);
		return -EXIT_SYSTEM;
	}
	code = run(sub, &r, path, argv);
	if (code >= 0 && collect(sub, &r, add, ctx) < 0)
		code = -EXIT_SYSTEM;
	recorder_close(&r);
	return code;
}

#endif
