/* Whole-process timings: `muzzle learn` against `strace -f -c` on a
 * syscall-heavy workload, and `muzzle run`'s start-up against a bare exec.
 * Configurations are interleaved round by round so that a change in the
 * machine's load hits all of them alike; medians are reported. */
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

extern char **environ;

/* Spawns argv (PATH searched) with stdin and stdout on /dev/null and stderr
 * on errfd (-1: /dev/null; closed here); 0 when it exited with status 0. */
static int spawn_wait(char *const *argv, int errfd)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc, status;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (errfd >= 0)
		posix_spawn_file_actions_adddup2(&fa, errfd, 2);
	else
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (errfd >= 0)
		close(errfd);
	if (rc || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* wall time of spawn, exec and wait, in ns; -1 when the command failed */
static double time_ns(char *const *argv)
{
	double t0 = now_ns();

	if (spawn_wait(argv, -1))
		return -1;
	return now_ns() - t0;
}

/* Runs argv once; 0 if it succeeds, else -1 with the first line it wrote
 * on stderr in why. */
static int probe(char *const *argv, char *why, size_t len)
{
	char buf[200];	/* as long as learn_result.why */
	ssize_t n = 0;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	if (spawn_wait(argv, fds[1]) == 0) {
		close(fds[0]);
		return 0;
	}
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	snprintf(why, len, "%s", buf[0] ? buf : "failed with no message");
	return -1;
}

/* --- muzzle learn against strace ---------------------------------------------- */

#define LEARN_ROUNDS 7
#define LEARN_ITERS "20000"	/* per thread: 2 children x 2 threads x 5 calls each */
#define LEARN_CALLS (2 * 2 * 5 * 20000.0)

static const char *const learn_names[LEARN_HOWS] = {
	"none (bare)", "`strace -f -c -o /dev/null`", "`muzzle learn` (notify backend)",
	"`muzzle learn --backend ebpf`"
};

/* argv for running cmd (a NULL-terminated list of up to 2) the given way */
static void learn_argv(enum learn_how how, const char *muzzle, char *const *cmd, char **v)
{
	static const char *const pre[LEARN_HOWS][8] = {
		{ NULL },
		{ "strace", "-f", "-c", "-o", "/dev/null", NULL },
		{ "", "learn", "-o", "/dev/null", "--", NULL },
		{ "", "learn", "--backend", "ebpf", "-o", "/dev/null", "--", NULL },
	};
	int n = 0;

	for (int i = 0; pre[how][i]; i++)
		v[n++] = (char *)(pre[how][i][0] ? pre[how][i] : muzzle);
	for (int i = 0; cmd[i]; i++)
		v[n++] = cmd[i];
	v[n] = NULL;
}

/* which configurations run at all: tried once on /bin/true */
static void learn_probe(const char *muzzle, struct learn_result *r)
{
	char *const tru[] = { "/bin/true", NULL };
	char *v[16];

	for (int how = 0; how < LEARN_HOWS; how++) {
		learn_argv((enum learn_how)how, muzzle, tru, v);
		r->ok[how] = probe(v, r->why[how], sizeof(r->why[how])) == 0;
		if (!r->ok[how])
			fprintf(stderr, "bench: learn: %s unavailable: %s\n", learn_names[how],
				r->why[how]);
	}
}

static void learn_measure(const char *muzzle, const char *workload, struct learn_result *r)
{
	char *const cmd[] = { (char *)workload, LEARN_ITERS, NULL };
	double v[LEARN_HOWS][LEARN_ROUNDS];
	char *argv[16];

	for (int round = 0; round < LEARN_ROUNDS; round++) {
		fprintf(stderr, "bench: learn overhead: round %d/%d\n", round + 1, LEARN_ROUNDS);
		for (int how = 0; how < LEARN_HOWS; how++) {
			if (!r->ok[how])
				continue;
			learn_argv((enum learn_how)how, muzzle, cmd, argv);
			v[how][round] = time_ns(argv);
			if (v[how][round] < 0) {
				r->ok[how] = 0;
				snprintf(r->why[how], sizeof(r->why[how]),
					 "failed on the workload in round %d", round + 1);
			}
		}
	}
	for (int how = 0; how < LEARN_HOWS; how++)
		if (r->ok[how])
			r->med[how] = median(v[how], LEARN_ROUNDS);
}

static double slowdown(const struct learn_result *r, enum learn_how how)
{
	return r->med[how] / r->med[LEARN_BARE] - 1;
}

void report_learn(const char *muzzle, const char *workload, struct learn_result *r)
{
	memset(r, 0, sizeof(*r));
	learn_probe(muzzle, r);
	learn_measure(muzzle, workload, r);
	printf("\n## `muzzle learn` overhead against strace\n\n"
	       "Workload: bench/workload.c, 2 forked children with 2 threads each, every "
	       "thread %s times getppid, stat, open, read, close: %.0f cheap calls, so the "
	       "tracer's cost per call dominates.  Median wall time of %d interleaved rounds; "
	       "slowdown = t / bare - 1.\n\n"
	       "| tracer | median s | slowdown | extra us per call | slowdown / strace's |\n"
	       "|---|---|---|---|---|\n",
	       LEARN_ITERS, LEARN_CALLS, LEARN_ROUNDS);
	for (int how = 0; how < LEARN_HOWS; how++) {
		if (!r->ok[how] || !r->ok[LEARN_BARE]) {
			printf("| %s | n/a (%s) | | | |\n", learn_names[how],
			       r->ok[how] ? "no bare time" : r->why[how]);
			continue;
		}
		printf("| %s | %.3f | %.2f | %.2f |", learn_names[how], r->med[how] / 1e9,
		       slowdown(r, (enum learn_how)how),
		       (r->med[how] - r->med[LEARN_BARE]) / LEARN_CALLS / 1e3);
		if (how == LEARN_BARE || !r->ok[LEARN_STRACE])
			printf(" |\n");
		else
			printf(" %.2f |\n", slowdown(r, (enum learn_how)how) /
					    slowdown(r, LEARN_STRACE));
	}
}

static void target_notify(const struct learn_result *r, struct tally *t)
{
	double s, st;
	int ok;

	printf("6. **`muzzle learn` overhead** (notify backend): slowdown at most half of "
	       "`strace -f -c`'s on the workload above.  ");
	if (!r->ok[LEARN_BARE] || !r->ok[LEARN_STRACE] || !r->ok[LEARN_NOTIFY]) {
		t->na++;
		printf("n/a (%s)\n", !r->ok[LEARN_NOTIFY] ? r->why[LEARN_NOTIFY]
				   : !r->ok[LEARN_STRACE] ? r->why[LEARN_STRACE]
							   : r->why[LEARN_BARE]);
		return;
	}
	s = slowdown(r, LEARN_NOTIFY);
	st = slowdown(r, LEARN_STRACE);
	ok = s <= 0.5 * st;
	printf("learn %.2f, strace %.2f (%.2fx strace's): %s\n", s, st, s / st, verdict(t, ok));
	if (!ok)
		printf("   - Why: every call of every thread makes a user-notification round "
		       "trip (the child sleeps, muzzle wakes, reads the notification, answers "
		       "CONTINUE, the child wakes): two context switches per call, like strace's "
		       "two ptrace stops.  Only a backend that records in the kernel (eBPF) or "
		       "stops notifying calls already seen can cut that.\n");
}

static void target_ebpf(const struct learn_result *r, struct tally *t)
{
	double s;
	int ok;

	printf("7. **`muzzle learn --backend ebpf` overhead**: near zero, taken to mean a "
	       "slowdown of at most 0.10 (10%%) on the workload above.  ");
	if (!r->ok[LEARN_BARE] || !r->ok[LEARN_EBPF]) {
		printf("not measurable: %s: %s\n", r->ok[LEARN_EBPF] ? "no bare time" :
		       r->why[LEARN_EBPF], verdict(t, 0));
		printf("   - Why: no eBPF backend in this build of `muzzle learn` (the probe "
		       "`muzzle learn --backend ebpf -o /dev/null -- /bin/true` failed).\n");
		return;
	}
	s = slowdown(r, LEARN_EBPF);
	ok = s <= 0.10;
	printf("%.3f: %s\n", s, verdict(t, ok));
	if (!ok)
		printf("   - Why: %.2f us per call, the time to load the recorder included.  "
		       "Any program attached to sys_enter, even an empty one, sends every call "
		       "through the kernel's slow syscall-entry path; the recorder adds a hash "
		       "lookup of the process and a count.  By hand on this machine (not in "
		       "this run): a stat loop ran 10-15%% slower with an empty program "
		       "attached, and a per-CPU counts map instead of the shared one made no "
		       "measurable difference, so the target sits below what a tracepoint "
		       "costs here; only not tracing every call (e.g. a seccomp filter that "
		       "already allows the calls seen, rebuilt as it learns) would go lower.\n",
		       (r->med[LEARN_EBPF] - r->med[LEARN_BARE]) / LEARN_CALLS / 1e3);
}

void target_learn(const struct learn_result *r, struct tally *t)
{
	target_notify(r, t);
	target_ebpf(r, t);
}

/* --- muzzle run start-up ------------------------------------------------------------ */

#define STARTUP_ROUNDS 200
#define STARTUP_HOWS 7

struct startup {
	const char *what;	/* the row's label */
	const char *adds;	/* what it adds over the row before it */
	char *argv[10];
};

static void startup_table(const char *muzzle, const char *docker, struct startup *s)
{
	char *m = (char *)muzzle, *d = (char *)docker;
	const struct startup rows[STARTUP_HOWS] = {
		{ "`/bin/true`", "", { "/bin/true" } },
		{ "`muzzle run --help`", "starting muzzle (exec, dynamic linking)",
		  { m, "run", "--help" } },
		{ "`muzzle run -p allow --no-trace -- /bin/true`",
		  "fork, loading a trivial filter, the second exec", {
		  m, "run", "-p", "allow", "--no-trace", "--", "/bin/true" } },
		{ "`muzzle run -p default --no-trace -- /bin/true`",
		  "building and compiling the built-in default policy",
		  { m, "run", "-p", "default", "--no-trace", "--", "/bin/true" } },
		{ "`muzzle run -p default -- /bin/true`", "watching the command with ptrace",
		  { m, "run", "-p", "default", "--", "/bin/true" } },
		{ "`muzzle run -p docker-default.json --no-trace -- /bin/true`",
		  "reading Docker's JSON instead of the built-in (vs `-p default --no-trace`)",
		  { m, "run", "-p", d, "--no-trace", "--", "/bin/true" } },
		{ "`muzzle run -p docker-default.json -- /bin/true`",
		  "watching the command with ptrace", { m, "run", "-p", d, "--", "/bin/true" } },
	};

	memcpy(s, rows, sizeof(rows));
}

/* the row each row is compared with in the "adds" column */
static const int startup_base[STARTUP_HOWS] = { 0, 0, 1, 2, 3, 3, 5 };

/* where the time of the default invocation goes, from the table's rows */
static void startup_explain(const double *med, const int *ok, double docker_compile_ns)
{
	double builtin = med[3] - med[2], docker = med[5] - med[2];

	for (int i = 0; i < STARTUP_HOWS; i++)
		if (!ok[i])
			return;
	printf("\n`muzzle run -p default -- /bin/true` costs %.0f us more than a bare exec: "
	       "starting muzzle %.0f us, its fork, filter load and second exec %.0f us, the "
	       "built-in policy %.0f us, the ptrace watch %.0f us.  ", (med[4] - med[0]) / 1e3,
	       (med[1] - med[0]) / 1e3, (med[2] - med[1]) / 1e3, builtin / 1e3,
	       (med[4] - med[3]) / 1e3);
	printf("Over `-p allow`, the built-in policy costs %.0f us and Docker's profile %.0f us, "
	       "while compiling Docker's rule list takes %.0f us in-process (its 3 ABIs, compile "
	       "table above): %s.  The steps are differences of medians on a shared machine: a "
	       "few hundred us either way is noise.\n", builtin / 1e3, docker / 1e3,
	       docker_compile_ns / 1e3,
	       docker_compile_ns < fmin(builtin, docker) / 2
		       ? "most of a policy's cost is outside the compiler (building the model "
			 "from names, reading and parsing the file), the first place to look"
		       : "much of a policy's cost is the compiler");
}

void report_startup(const char *muzzle, const char *docker, double docker_compile_ns)
{
	static double v[STARTUP_HOWS][STARTUP_ROUNDS];
	struct startup s[STARTUP_HOWS];
	double med[STARTUP_HOWS];
	int ok[STARTUP_HOWS];

	startup_table(muzzle, docker, s);
	for (int i = 0; i < STARTUP_HOWS; i++)
		ok[i] = time_ns(s[i].argv) >= 0;	/* also warms the page cache */
	fprintf(stderr, "bench: muzzle run start-up: %d rounds\n", STARTUP_ROUNDS);
	for (int r = 0; r < STARTUP_ROUNDS; r++)
		for (int i = 0; i < STARTUP_HOWS; i++)
			if (ok[i] && (v[i][r] = time_ns(s[i].argv)) < 0)
				ok[i] = 0;
	for (int i = 0; i < STARTUP_HOWS; i++)
		med[i] = ok[i] ? median(v[i], STARTUP_ROUNDS) : 0;
	printf("\n## `muzzle run` start-up\n\n"
	       "posix_spawn + exec + wait from this process, median of %d interleaved rounds.  "
	       "Each row adds one step to the one it is compared with, so the last column "
	       "says where the time goes.\n\n"
	       "| command | median us | extra over bare us | adds us | for |\n"
	       "|---|---|---|---|---|\n", STARTUP_ROUNDS);
	for (int i = 0; i < STARTUP_HOWS; i++) {
		if (!ok[i]) {
			printf("| %s | failed | | | |\n", s[i].what);
			continue;
		}
		printf("| %s | %.0f | %+.0f |", s[i].what, med[i] / 1e3, (med[i] - med[0]) / 1e3);
		if (i && ok[startup_base[i]])
			printf(" %+.0f | %s |\n", (med[i] - med[startup_base[i]]) / 1e3, s[i].adds);
		else
			printf(" | |\n");
	}
	startup_explain(med, ok, docker_compile_ns);
}
