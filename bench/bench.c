/* muzzle's compiler against Debian's libseccomp (loaded with dlopen, since
 * libmuzzle defines the same seccomp_* symbols): compile time, filter size,
 * instructions executed, the kernel's constant-action cache coverage, and
 * the cost of a filtered syscall in forked children.
 *
 * Prints a Markdown report on stdout and gnuplot data to the file named by
 * argv[2]; argv[1] is Docker's default profile. */

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compile/compile.h"
#include "format.h"
#include "load/load.h"
#include "policy/eval.h"

/* libseccomp's ABI (seccomp.h): the argument comparison it takes */
struct lsc_cmp {
	unsigned int arg;
	int op;
	uint64_t datum_a, datum_b;
};

#define LSC_ATTR_BADARCH 2
#define LSC_ATTR_OPTIMIZE 8

struct lsc {
	void *h;
	void *(*init)(uint32_t);
	int (*arch_add)(void *, uint32_t);
	int (*attr_set)(void *, int, uint32_t);
	int (*rule_add_array)(void *, uint32_t, int, unsigned, const struct lsc_cmp *);
	int (*resolve)(const char *);
	int (*export_bpf)(void *, int);
	void (*release)(void *);
};

static int lsc_open(struct lsc *l)
{
	l->h = dlopen("libseccomp.so.2", RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
	if (!l->h)
		return -1;
	*(void **)&l->init = dlsym(l->h, "seccomp_init");
	*(void **)&l->arch_add = dlsym(l->h, "seccomp_arch_add");
	*(void **)&l->attr_set = dlsym(l->h, "seccomp_attr_set");
	*(void **)&l->rule_add_array = dlsym(l->h, "seccomp_rule_add_array");
	*(void **)&l->resolve = dlsym(l->h, "seccomp_syscall_resolve_name");
	*(void **)&l->export_bpf = dlsym(l->h, "seccomp_export_bpf");
	*(void **)&l->release = dlsym(l->h, "seccomp_release");
	return l->init && l->arch_add && l->attr_set && l->rule_add_array && l->resolve &&
	       l->export_bpf && l->release ? 0 : -1;
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* --- the same policy through libseccomp ---------------------------------------- */

/* Build, compile (libseccomp compiles when exporting) and read back the
 * filter.  0, or -1 when libseccomp refused the policy. */
static int lsc_compile(const struct lsc *l, const struct policy *p, int optimize,
		       struct bpf_prog *out, unsigned *skipped)
{
	void *ctx = l->init(p->default_action);
	int fd = -1, rc = -1;
	char buf[65536];
	ssize_t n;

	*skipped = 0;
	if (!ctx)
		return -1;
	l->attr_set(ctx, LSC_ATTR_BADARCH, p->badarch_action);
	if (optimize)
		l->attr_set(ctx, LSC_ATTR_OPTIMIZE, (uint32_t)optimize);
	for (int id = 0; id < ARCH_COUNT; id++)
		if ((p->arches & ARCH_MASK(id)) && id != (int)arch_native()->id &&
		    l->arch_add(ctx, arch_get((enum arch_id)id)->scmp_token))
			goto out;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		struct lsc_cmp c[POLICY_MAX_COND];
		int nr = r->sys >= 0 ? l->resolve(arch_syscall_name(r->sys)) : -1;

		if (nr < 0 && nr > -100) {	/* unknown to libseccomp 2.5.4 */
			(*skipped)++;
			continue;
		}
		for (unsigned j = 0; j < r->ncond; j++)
			c[j] = (struct lsc_cmp){ r->cond[j].arg, r->cond[j].op,
				r->cond[j].op == POLICY_OP_MASKED_EQ ? r->cond[j].mask
								    : r->cond[j].datum,
				r->cond[j].datum };
		if (l->rule_add_array(ctx, r->action, nr, r->ncond, c))
			(*skipped)++;
	}
	fd = memfd_create("lsc", 0);
	if (fd < 0 || l->export_bpf(ctx, fd) || lseek(fd, 0, SEEK_SET) < 0)
		goto out;
	n = read(fd, buf, sizeof(buf));
	if (n <= 0)
		goto out;
	out->len = 0;
	for (size_t i = 0; i < (size_t)n / sizeof(struct sock_filter); i++) {
		const struct sock_filter *f = (const struct sock_filter *)buf + i;

		bpf_emit(out, f->code, f->jt, f->jf, f->k);
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	l->release(ctx);
	return rc;
}

/* --- static measures ------------------------------------------------------------- */

struct measures {
	size_t insns;
	double mean_steps;
	unsigned max_steps;
	unsigned cached, cacheable;	/* argument-independent ALLOWs the kernel caches */
	unsigned disagree;		/* verdicts differing from policy_eval */
	char examples[160];		/* some of their names */
};

static int arg_independent(const struct policy *p, enum arch_id abi, int id)
{
	uint32_t call;

	if (arch_mux_lookup(abi, id, &call) != ARCH_MUX_NONE)
		return 0;
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].sys == id && p->rules[i].ncond)
			return 0;
	return 1;
}

/* over every syscall of every ABI the policy allows (arguments 0) */
static void measure(const struct policy *p, const struct bpf_prog *f, struct measures *m)
{
	unsigned long steps_sum = 0, n = 0;

	memset(m, 0, sizeof(*m));
	m->insns = f->len;
	for (int abi = 0; abi < ARCH_COUNT; abi++) {
		if (!(p->arches & ARCH_MASK(abi)))
			continue;
		for (int id = 0; id < arch_syscall_count(); id++) {
			int32_t nr = arch_syscall_nr((enum arch_id)abi, id);
			struct seccomp_data d = { .nr = nr, .arch = arch_get(abi)->token };
			unsigned steps = 0;
			uint32_t want, got;

			if (nr == ARCH_NR_NONE)
				continue;
			want = policy_eval(p, &d).action;
			got = bpf_run(f->insns, f->len, &d, &steps);
			if (want != got && m->disagree++ < 6) {
				size_t at = strlen(m->examples);

				snprintf(m->examples + at, sizeof(m->examples) - at, "%s%s/%s",
					 at ? ", " : "", arch_get(abi)->name, arch_syscall_name(id));
			}
			if (want == POLICY_ACT_ALLOW && arg_independent(p, (enum arch_id)abi, id)) {
				m->cacheable++;
				m->cached += bpf_const_allow(f->insns, f->len, d.arch, (uint32_t)nr);
			}
			if (got != POLICY_ACT_ALLOW)
				continue;
			steps_sum += steps;
			n++;
			if (steps > m->max_steps)
				m->max_steps = steps;
		}
	}
	m->mean_steps = n ? (double)steps_sum / n : 0;
}

static double load_average(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

/* --- runtime in children ------------------------------------------------------------ */

#define CALLS 100000

/* ns per call of syscall(nr, a0) under filter f (NULL: none), in a child */
static double child_ns(const struct bpf_prog *f, long nr, unsigned long a0)
{
	int fds[2], status;
	double ns = -1;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		double t0, t1;

		close(fds[0]);
		if (f && load_filter(f->insns, f->len, 0, 1) < 0)
			_exit(2);
		for (int i = 0; i < 1000; i++)
			syscall(nr, a0);
		t0 = now_ns();
		for (int i = 0; i < CALLS; i++)
			syscall(nr, a0);
		t1 = now_ns();
		ns = (t1 - t0) / CALLS;
		_exit(write(fds[1], &ns, sizeof(ns)) == sizeof(ns) ? 0 : 3);
	}
	close(fds[1]);
	if (read(fds[0], &ns, sizeof(ns)) != sizeof(ns))
		ns = -1;
	close(fds[0]);
	waitpid(pid, &status, 0);
	return ns;
}

#define ROUNDS 15

/* interleaved rounds over the configurations; medians and minima */
static void runtime(struct bpf_prog *const *f, int nf, long nr, unsigned long a0, double *med,
		    double *min)
{
	double v[8][ROUNDS];

	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < nf; i++)
			v[i][r] = child_ns(f[i], nr, a0);
	for (int i = 0; i < nf; i++) {
		med[i] = median(v[i], ROUNDS);
		min[i] = v[i][0];	/* sorted by median() */
	}
}

static unsigned steps_for(const struct bpf_prog *f, long nr, uint64_t a0)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch_native()->token };
	unsigned steps = 0;

	d.args[0] = a0;
	if (f)
		bpf_run(f->insns, f->len, &d, &steps);
	return steps;
}

/* --- compile time ------------------------------------------------------------------ */

static double time_muzzle(const struct policy *p, int reps, struct bpf_prog *out, int *rc)
{
	double v[64];

	for (int i = 0; i < reps; i++) {
		struct policy q;
		double t0 = now_ns();

		/* the model is built from the rule list, as libseccomp's is */
		policy_init(&q, p->default_action);
		q.badarch_action = p->badarch_action;
		q.arches = p->arches;
		for (size_t j = 0; j < p->nrules; j++)
			policy_add_rule(&q, &p->rules[j], NULL);
		*rc = compile_policy(&q, NULL, out, NULL, NULL);
		v[i] = now_ns() - t0;
		policy_free(&q);
	}
	return median(v, reps);
}

/* libseccomp can take minutes on big policies: it runs in a child that
 * sends back its median time and its filter, and is stopped after
 * LSC_LIMIT seconds (*rc = -2). */
#define LSC_LIMIT 60

struct lsc_result {
	double ns;
	int rc;
	unsigned skipped;
	size_t len;
};

static void lsc_child(const struct lsc *l, const struct policy *p, int opt, int reps, int fd)
{
	struct lsc_result res = { 0 };
	struct bpf_prog out;
	double v[64];
	int n = 0;

	alarm(LSC_LIMIT);
	bpf_prog_init(&out);
	for (int i = 0; i < reps; i++) {
		double t0 = now_ns();

		res.rc = lsc_compile(l, p, opt, &out, &res.skipped);
		v[n++] = now_ns() - t0;
		if (v[0] > 2e9)
			break;	/* seconds per run: one run is measure enough */
	}
	res.ns = median(v, n);
	res.len = res.rc ? 0 : out.len;
	if (write(fd, &res, sizeof(res)) != sizeof(res) ||
	    (res.len && write(fd, out.insns, res.len * sizeof(*out.insns)) < 0))
		_exit(1);
	_exit(0);
}

static int read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);

		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static double time_lsc(const struct lsc *l, const struct policy *p, int opt, int reps,
		       struct bpf_prog *out, int *rc, unsigned *skipped)
{
	struct lsc_result res = { .rc = -2 };
	struct sock_filter *buf = NULL;
	int fds[2], status;
	pid_t pid;

	*rc = -2;
	if (pipe(fds))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		lsc_child(l, p, opt, reps, fds[1]);
	}
	close(fds[1]);
	if (read_full(fds[0], &res, sizeof(res)) == 0 && res.len &&
	    (buf = malloc(res.len * sizeof(*buf))) && read_full(fds[0], buf, res.len * sizeof(*buf)) == 0) {
		out->len = 0;
		for (size_t i = 0; i < res.len; i++)
			bpf_emit(out, buf[i].code, buf[i].jt, buf[i].jf, buf[i].k);
	} else if (!res.len && res.rc == 0) {
		res.rc = -1;
	}
	free(buf);
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status)) {
		res.rc = -2;
		res.ns = LSC_LIMIT * 1e9;
	}
	*rc = res.rc;
	*skipped = res.skipped;
	return res.ns;
}

/* --- policies ------------------------------------------------------------------------ */

static int read_docker(const char *path, uint32_t arches, struct policy *p)
{
	struct format_options o;
	struct muzzle_error err;

	format_options_init(&o);
	if (format_read_file(path, FORMAT_DOCKER, &o, p, &err)) {
		fprintf(stderr, "bench: %s: %s\n", path, err.msg);
		return -1;
	}
	p->arches = arches;
	return 0;
}

/* n distinct rules on x86_64: unconditional ALLOWs while there are syscalls,
 * else `args[0] == i` ALLOWs (a different value for every rule) spread over
 * all of them */
static void synthetic(struct policy *p, unsigned n, const struct lsc *l)
{
	int ids[1024], nids = 0;

	for (int id = 0; id < arch_syscall_count() && nids < 1024; id++)
		if (arch_syscall_nr(ARCH_X86_64, id) != ARCH_NR_NONE &&
		    l->resolve(arch_syscall_name(id)) >= 0)
			ids[nids++] = id;
	policy_init(p, POLICY_ACT_ERRNO(1));
	p->arches = ARCH_MASK(ARCH_X86_64);
	for (unsigned i = 0; i < n; i++) {
		struct policy_rule r;

		policy_rule_init(&r, POLICY_ACT_ALLOW, ids[i % (unsigned)nids]);
		if (n > (unsigned)nids)
			policy_rule_add_cond(&r, 0, POLICY_OP_EQ, i, 0);
		policy_add_rule(p, &r, NULL);
	}
}

/* --- report ------------------------------------------------------------------------------ */

struct row {
	const char *name;
	size_t rules;
	double t_mz, t_l1, t_l2;
	int rc_mz, rc_l1, rc_l2;
	struct measures m_mz, m_l1, m_l2;
};

static void print_size(int rc, const struct measures *m)
{
	if (rc == -E2BIG)
		printf(" E2BIG (> %d) |", BPF_MAX_INSNS);
	else if (rc == -2)
		printf(" - |");
	else if (rc)
		printf(" failed |");
	else
		printf(" %zu%s |", m->insns, m->insns > BPF_MAX_INSNS ? " (too big to load)" : "");
}

static void print_time(double ns, int rc)
{
	if (rc == -2)
		printf(" > %d s (stopped) |", LSC_LIMIT);
	else
		printf(" %.1f |", ns / 1e3);
}

static void print_ratio(double lsc, double mz, int rc)
{
	printf(rc == -2 ? " > %.0fx |" : " %.1fx |", lsc / mz);
}

static void report_row(FILE *dat, const struct row *r)
{
	printf("| %s | %zu | %.1f |", r->name, r->rules, r->t_mz / 1e3);
	print_time(r->t_l1, r->rc_l1);
	print_time(r->t_l2, r->rc_l2);
	print_ratio(r->t_l1, r->t_mz, r->rc_l1);
	print_ratio(r->t_l2, r->t_mz, r->rc_l2);
	print_size(r->rc_mz, &r->m_mz);
	print_size(r->rc_l1, &r->m_l1);
	print_size(r->rc_l2, &r->m_l2);
	printf("\n");
	fprintf(dat, "\"%s\" %.3f %.3f %.3f %zu %zu %zu\n", r->name, r->t_mz / 1e3, r->t_l1 / 1e3,
		r->t_l2 / 1e3, r->rc_mz ? 0 : r->m_mz.insns, r->rc_l1 ? 0 : r->m_l1.insns,
		r->rc_l2 ? 0 : r->m_l2.insns);
}

static void report_exec(const struct row *r)
{
	const struct measures *m[3] = { &r->m_mz, &r->m_l1, &r->m_l2 };
	const char *who[3] = { "muzzle", "libseccomp", "libseccomp -O2" };
	int rc[3] = { r->rc_mz, r->rc_l1, r->rc_l2 };

	for (int i = 0; i < 3; i++) {
		if (rc[i] || m[i]->insns > BPF_MAX_INSNS)
			continue;
		printf("| %s | %s | %.2f | %u | %u/%u (%.0f%%) | %u%s%s%s |\n", r->name, who[i],
		       m[i]->mean_steps, m[i]->max_steps, m[i]->cached, m[i]->cacheable,
		       m[i]->cacheable ? 100.0 * m[i]->cached / m[i]->cacheable : 0.0,
		       m[i]->disagree, m[i]->disagree ? " (" : "", m[i]->examples,
		       m[i]->disagree ? (m[i]->disagree > 6 ? ", ...)" : ")") : "");
	}
}

static void run_row(const struct lsc *l, struct row *r, const struct policy *p, int reps)
{
	struct bpf_prog a, b, c;
	unsigned skipped;

	bpf_prog_init(&a);
	bpf_prog_init(&b);
	bpf_prog_init(&c);
	r->rules = p->nrules;
	r->t_mz = time_muzzle(p, reps, &a, &r->rc_mz);
	r->t_l1 = time_lsc(l, p, 0, reps, &b, &r->rc_l1, &skipped);
	r->t_l2 = time_lsc(l, p, 2, reps, &c, &r->rc_l2, &skipped);
	fprintf(stderr, "bench: %s: muzzle %.0f us, libseccomp %.0f us, -O2 %.0f us\n", r->name,
		r->t_mz / 1e3, r->t_l1 / 1e3, r->t_l2 / 1e3);
	if (skipped)
		fprintf(stderr, "bench: %s: libseccomp refused %u rules\n", r->name, skipped);
	if (!r->rc_mz)
		measure(p, &a, &r->m_mz);
	if (!r->rc_l1)
		measure(p, &b, &r->m_l1);
	if (!r->rc_l2)
		measure(p, &c, &r->m_l2);
	bpf_prog_free(&a);
	bpf_prog_free(&b);
	bpf_prog_free(&c);
}

static void report_runtime(const struct lsc *l, const struct policy *docker)
{
	struct bpf_prog mz, l1, l2;
	struct bpf_prog *f[4] = { NULL, &l1, &l2, &mz };
	const char *names[4] = { "no filter", "libseccomp", "libseccomp -O2", "muzzle" };
	double arg_med[4], arg_min[4], c_med[4], c_min[4];
	unsigned skipped;
	int rc = 0;

	bpf_prog_init(&mz);
	bpf_prog_init(&l1);
	bpf_prog_init(&l2);
	rc |= compile_policy(docker, NULL, &mz, NULL, NULL);
	rc |= lsc_compile(l, docker, 0, &l1, &skipped);
	rc |= lsc_compile(l, docker, 2, &l2, &skipped);
	if (rc) {
		printf("\n(runtime skipped: a filter failed to compile)\n");
		return;
	}
	/* personality(0xffffffff) only queries; Docker checks its argument.
	 * getppid is argument-independent: the kernel's cache skips the filter. */
	runtime(f, 4, SYS_personality, 0xffffffffu, arg_med, arg_min);
	runtime(f, 4, SYS_getppid, 0, c_med, c_min);
	printf("\n## Runtime: Docker default profile (x86_64 + x86 + x32) on this kernel\n\n"
	       "%d interleaved rounds of %d calls, each round in a fresh child per filter; "
	       "median and minimum ns/call.  The machine is shared (load average %.1f when "
	       "measured), so differences of a few ns are noise; the instruction counts are "
	       "exact.\n\n"
	       "| filter | personality(0xffffffff): insns | median ns | min ns | "
	       "getppid(): insns | median ns | min ns |\n|---|---|---|---|---|---|---|\n",
	       ROUNDS, CALLS, load_average());
	for (int i = 0; i < 4; i++)
		printf("| %s | %u | %.1f | %.1f | %u%s | %.1f | %.1f |\n", names[i],
		       steps_for(f[i], SYS_personality, 0xffffffffu), arg_med[i], arg_min[i],
		       steps_for(f[i], SYS_getppid, 0),
		       f[i] && bpf_const_allow(f[i]->insns, f[i]->len, arch_native()->token,
					       SYS_getppid) ? " (cached)" : "",
		       c_med[i], c_min[i]);
	printf("\nFilter overhead for the argument-checked call (median minus no filter): "
	       "libseccomp %.1f ns, libseccomp -O2 %.1f ns, muzzle %.1f ns.\n",
	       arg_med[1] - arg_med[0], arg_med[2] - arg_med[0], arg_med[3] - arg_med[0]);
	bpf_prog_free(&mz);
	bpf_prog_free(&l1);
	bpf_prog_free(&l2);
}

int main(int argc, char **argv)
{
	static const unsigned synth[] = { 10, 100, 1000, 10000 };
	struct lsc l;
	struct policy dk3, dk1;
	struct row rows[6];
	int nrows = 0;
	FILE *dat;

	if (argc < 3) {
		fprintf(stderr, "usage: bench docker-default.json plot.dat\n");
		return 2;
	}
	if (lsc_open(&l)) {
		fprintf(stderr, "bench: cannot load libseccomp.so.2: %s\n", dlerror());
		return 1;
	}
	if (read_docker(argv[1], ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86) |
			ARCH_MASK(ARCH_X32), &dk3) ||
	    read_docker(argv[1], ARCH_MASK(ARCH_X86_64), &dk1))
		return 1;
	dat = fopen(argv[2], "w");
	if (!dat)
		return 1;
	rows[nrows].name = "docker amd64 (x86_64+x86+x32)";
	run_row(&l, &rows[nrows++], &dk3, 21);
	rows[nrows].name = "docker x86_64";
	run_row(&l, &rows[nrows++], &dk1, 21);
	for (size_t i = 0; i < sizeof(synth) / sizeof(synth[0]); i++) {
		struct policy p;
		static char names[4][32];

		synthetic(&p, synth[i], &l);
		snprintf(names[i], sizeof(names[i]), "synthetic %u", synth[i]);
		rows[nrows].name = names[i];
		run_row(&l, &rows[nrows++], &p, synth[i] >= 10000 ? 5 : 11);
		policy_free(&p);
	}
	printf("# muzzle vs libseccomp: benchmark results\n\n"
	       "Generated by `make bench` (bench/run.sh, bench/bench.c); do not edit.\n"
	       "libseccomp is Debian's libseccomp.so.2 (dlopen), default optimisation and "
	       "SCMP_FLTATR_CTL_OPTIMIZE=2 (binary tree).\n\n"
	       "## Compile time and size\n\n"
	       "Compile time: median wall time from the rule list to BPF (muzzle: policy "
	       "model + compile_policy; libseccomp: seccomp_init, rule adds, export).\n\n"
	       "| policy | rules | muzzle us | libseccomp us | libseccomp -O2 us | "
	       "speedup | speedup vs -O2 | muzzle insns | libseccomp insns | "
	       "libseccomp -O2 insns |\n|---|---|---|---|---|---|---|---|---|---|\n");
	for (int i = 0; i < nrows; i++)
		report_row(dat, &rows[i]);
	printf("\nFilters over %d instructions cannot be loaded; muzzle refuses them with "
	       "E2BIG (after lowering, so its time is still the cost of the whole policy), "
	       "libseccomp exports them anyway.  libseccomp runs are stopped after %d s.\n",
	       BPF_MAX_INSNS, LSC_LIMIT);
	printf("\n## Instructions executed and the kernel's action cache\n\n"
	       "Over every syscall of every ABI in the policy that the filter allows "
	       "(arguments 0).  Cache: argument-independent allowed syscalls the kernel's "
	       "constant-action cache can decide without running the filter.  Disagree: "
	       "syscalls whose verdict differs from muzzle's reference evaluator "
	       "(policy_eval); libseccomp 2.5.4 refuses rules for syscalls newer than its "
	       "tables, so it denies those.\n\n"
	       "| policy | compiler | mean insns executed | max | cached | disagree |\n"
	       "|---|---|---|---|---|---|\n");
	for (int i = 0; i < nrows; i++)
		report_exec(&rows[i]);
	fclose(dat);
	report_runtime(&l, &dk3);
	policy_free(&dk3);
	policy_free(&dk1);
	return 0;
}
