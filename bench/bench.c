/* muzzle's compiler against Debian's libseccomp (loaded with dlopen, since
 * libmuzzle defines the same seccomp_* symbols): compile time, filter size,
 * instructions executed, the kernel's constant-action cache coverage, and
 * the cost of a filtered syscall in forked children.
 *
 * Then, with procs.c and mix.c: instructions executed weighted by a syscall
 * mix recorded from real programs, `muzzle learn`'s overhead against strace,
 * and `muzzle run`'s start-up against a bare exec.
 *
 * Prints a Markdown report on stdout and gnuplot data to the file named by
 * argv[2]; argv[1] is Docker's default profile, argv[3] the mix bench/mix.sh
 * recorded, argv[4] the muzzle binary, argv[5] the workload (workload.c). */

#include <dlfcn.h>
#include <errno.h>
#include <math.h>
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

#include "bench.h"
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

double now_ns(void)
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

double median(double *v, int n)
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
	unsigned allowed;		/* calls the mean is over */
	unsigned cached, cacheable;	/* argument-independent ALLOWs the kernel caches */
	unsigned indep, indep_max[ARCH_COUNT];	/* argument-independent paths, longest per ABI */
	unsigned disagree;		/* verdicts differing from policy_eval */
	char examples[160];		/* some of their names */
	/* rules "arg == value": the call with each rule's value */
	unsigned lookups, lookup_max, lookup_wrong;
	double lookup_mean;
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

/* Every rule of the form "arg == value" on its first ABI: the call with
 * that value, as a program makes it; instructions executed, and whether the
 * filter gives the rule's action. */
static void measure_lookups(const struct policy *p, const struct bpf_prog *f,
			    struct measures *m)
{
	unsigned long sum = 0;
	int abi = 0;

	while (abi < ARCH_COUNT && !(p->arches & ARCH_MASK(abi)))
		abi++;
	for (size_t i = 0; i < p->nrules && abi < ARCH_COUNT; i++) {
		const struct policy_rule *r = &p->rules[i];
		int32_t nr = arch_syscall_nr((enum arch_id)abi, r->sys);
		struct seccomp_data d = { .nr = nr, .arch = arch_get(abi)->token };
		unsigned steps = 0;

		if (r->ncond != 1 || r->cond[0].op != POLICY_OP_EQ || nr == ARCH_NR_NONE)
			continue;
		d.args[r->cond[0].arg] = r->cond[0].datum;
		m->lookup_wrong += bpf_run(f->insns, f->len, &d, &steps) != r->action;
		sum += steps;
		m->lookups++;
		if (steps > m->lookup_max)
			m->lookup_max = steps;
	}
	m->lookup_mean = m->lookups ? (double)sum / m->lookups : 0;
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
			if (arg_independent(p, (enum arch_id)abi, id)) {
				m->indep++;
				if (steps > m->indep_max[abi])
					m->indep_max[abi] = steps;
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
	m->allowed = (unsigned)n;
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

/* interleaved rounds over the configurations; medians, minima and
 * interquartile ranges (the spread of the rounds) */
static void runtime(struct bpf_prog *const *f, int nf, long nr, unsigned long a0, double *med,
		    double *min, double *iqr)
{
	double v[8][ROUNDS];

	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < nf; i++)
			v[i][r] = child_ns(f[i], nr, a0);
	for (int i = 0; i < nf; i++) {
		med[i] = median(v[i], ROUNDS);
		min[i] = v[i][0];	/* sorted by median() */
		iqr[i] = v[i][ROUNDS * 3 / 4] - v[i][ROUNDS / 4];
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

/* What `muzzle compile FILE --time` measures: the file's bytes (read once)
 * to the model, then to BPF, with the ABIs set as for the row. */
static double time_json(const char *path, uint32_t arches, int reps)
{
	struct format_options o;
	struct muzzle_error err;
	struct bpf_prog prog;
	double v[64];
	char *buf;
	long len;
	FILE *f = fopen(path, "rb");

	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(buf);
		return 0;
	}
	fclose(f);
	format_options_init(&o);
	for (int i = 0; i < reps; i++) {
		struct policy p;
		double t0 = now_ns();

		bpf_prog_init(&prog);
		if (format_read_buf(buf, (size_t)len, path, FORMAT_AUTO, &o, &p, &err) == 0) {
			p.arches = arches;
			compile_policy(&p, NULL, &prog, NULL, NULL);
			policy_free(&p);
		}
		v[i] = now_ns() - t0;
		bpf_prog_free(&prog);
	}
	free(buf);
	return median(v, reps);
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

/* The argument family: ioctl allowed for n distinct request values, as a
 * device policy does; one syscall, so the cost is all in the value search. */
static void ioctl_values(struct policy *p, unsigned n)
{
	policy_init(p, POLICY_ACT_ERRNO(1));
	p->arches = ARCH_MASK(ARCH_X86_64);
	for (unsigned i = 0; i < n; i++) {
		struct policy_rule r;

		policy_rule_init(&r, POLICY_ACT_ALLOW, arch_syscall_id("ioctl"));
		policy_rule_add_cond(&r, 1, POLICY_OP_EQ, 0x5400 + 3 * (uint64_t)i, 0);
		policy_add_rule(p, &r, NULL);
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static unsigned log2_ceil(unsigned n)
{
	unsigned b = 0;

	while ((1u << b) < n)
		b++;
	return b;
}

/* --- where muzzle's path lengths come from (for the targets) ------------------------- */

struct ja_trace {
	const struct bpf_prog *f;
	unsigned next, ja;
};

/* count the ja instructions from after the last conditional jump to pc
 * (or the ret) */
static void ja_until(struct ja_trace *t, unsigned pc)
{
	while (t->next < pc && t->next < t->f->len) {
		const struct sock_filter *i = &t->f->insns[t->next];

		if (BPF_CLASS(i->code) == BPF_RET)
			break;
		if (i->code == (BPF_JMP | BPF_JA)) {
			t->ja++;
			t->next += 1 + i->k;
		} else {
			t->next++;
		}
	}
}

static void ja_cb(void *ctx, const struct bpf_cmp_event *e)
{
	struct ja_trace *t = ctx;
	const struct sock_filter *i = &t->f->insns[e->pc];

	ja_until(t, e->pc);
	t->next = e->pc + 1 + (e->taken ? i->jt : i->jf);
}

/* long-jump trampolines (ja) executed for d */
static unsigned path_ja(const struct bpf_prog *f, const struct seccomp_data *d)
{
	struct ja_trace t = { f, 0, 0 };
	unsigned steps = 0;

	bpf_run_traced(f->insns, f->len, d, &steps, ja_cb, &t);
	ja_until(&t, (unsigned)f->len);
	return t.ja;
}

static int allows(const struct policy *p, enum arch_id abi, uint32_t nr)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch_get(abi)->token };

	return policy_eval(p, &d).action == POLICY_ACT_ALLOW;
}

/* entropy (bits) of the ABI's allowed syscalls (arguments 0) over the runs
 * of allowed numbers they fall in; *n gets how many there are, *runs is
 * increased by the number of runs */
static double run_entropy(const struct policy *p, enum arch_id abi, unsigned *n, unsigned *runs)
{
	static uint32_t nrs[4096];
	unsigned k = 0, run = 0;
	double h = 0;

	for (int id = 0; id < arch_syscall_count() && k < 4096; id++) {
		int32_t nr = arch_syscall_nr(abi, id);

		if (nr != ARCH_NR_NONE && allows(p, abi, (uint32_t)nr))
			nrs[k++] = (uint32_t)nr;
	}
	qsort(nrs, k, sizeof(*nrs), cmp_u32);
	for (unsigned i = 0; i < k; i++) {
		uint32_t gap = i + 1 < k ? nrs[i] + 1 : 0;

		run++;
		while (i + 1 < k && gap < nrs[i + 1] && allows(p, abi, gap))
			gap++;
		if (i + 1 < k && gap == nrs[i + 1])
			continue;
		h -= (double)run / k * log2((double)run / k);
		run = 0;
		(*runs)++;
	}
	*n = k;
	return h;
}

struct pathinfo {
	double fixed, entropy, ja;	/* means over the allowed calls */
	unsigned runs;			/* runs of allowed numbers, all ABIs */
};

/* over muzzle's allowed calls (arguments 0): fixed part (arch load and
 * dispatch, nr load, ret), entropy of the runs, trampolines */
static void path_info(const struct policy *p, const struct bpf_prog *f,
		      const struct compile_stats *st, struct pathinfo *pi)
{
	unsigned total = 0, ja = 0;

	memset(pi, 0, sizeof(*pi));
	for (int abi = 0; abi < ARCH_COUNT; abi++) {
		unsigned n;
		double h;

		if (!(p->arches & ARCH_MASK(abi)))
			continue;
		h = run_entropy(p, (enum arch_id)abi, &n, &pi->runs);
		pi->fixed += n * (double)(st->path_bound[abi] - log2_ceil(st->token_intervals[abi]));
		pi->entropy += n * h;
		total += n;
		for (int id = 0; id < arch_syscall_count(); id++) {
			struct seccomp_data d = { .nr = arch_syscall_nr(abi, id),
						  .arch = arch_get(abi)->token };

			if (d.nr != ARCH_NR_NONE && allows(p, (enum arch_id)abi, (uint32_t)d.nr))
				ja += path_ja(f, &d);
		}
	}
	if (total) {
		pi->fixed /= total;
		pi->entropy /= total;
		pi->ja = (double)ja / total;
	}
}

/* --- report ------------------------------------------------------------------------------ */

struct row {
	const char *name;
	size_t rules;
	uint32_t arches;
	size_t cond_rules;		/* rules with argument conditions */
	unsigned cond_sys;		/* distinct syscalls they are on */
	struct compile_stats st;	/* muzzle's */
	struct pathinfo pi;
	double t_mz, t_l1, t_l2;
	double t_json;			/* from the profile's bytes; 0: not measured */
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

/* gnuplot data blocks (index 1, 2): rules against compile times, one per
 * family; a stopped libseccomp run is left out (NaN) */
static void plot_growth(FILE *dat, const struct row *r, int n)
{
	fprintf(dat, "\n\n");
	for (int i = 0; i < n; i++) {
		fprintf(dat, "%zu %.3f", r[i].rules, r[i].t_mz / 1e3);
		fprintf(dat, r[i].rc_l1 == -2 ? " NaN" : " %.3f", r[i].t_l1 / 1e3);
		fprintf(dat, r[i].rc_l2 == -2 ? " NaN\n" : " %.3f\n", r[i].t_l2 / 1e3);
	}
}

static void lookup_cell(int rc, const struct measures *m)
{
	if (rc || !m->lookups || m->insns > BPF_MAX_INSNS)
		printf(" - | - |");
	else
		printf(" %.2f | %u |", m->lookup_mean, m->lookup_max);
}

/* the wrong-verdict count, or "-" where there is no loadable filter */
static const char *wrong_cell(int rc, const struct measures *m, char *buf)
{
	if (rc || !m->lookups || m->insns > BPF_MAX_INSNS)
		return "-";
	snprintf(buf, 16, "%u", m->lookup_wrong);
	return buf;
}

/* The argument rules: what finding an allowed value costs each filter. */
static void report_lookups(const struct row *rows, int nrows)
{
	printf("\n### Argument lookups\n\nFor every rule `arg == value`, the call with "
	       "that value (the argument-checked paths the table above, with arguments 0, "
	       "does not reach): mean and max instructions executed.  Wrong: calls whose "
	       "verdict is not the rule's action (libseccomp refuses nothing here).\n\n"
	       "| policy | values | muzzle mean | max | libseccomp mean | max | "
	       "libseccomp -O2 mean | max | wrong (muzzle, libseccomp, -O2) |\n"
	       "|---|---|---|---|---|---|---|---|---|\n");
	for (int i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		char w[3][16];

		if (!r->m_mz.lookups && !r->m_l1.lookups)
			continue;
		printf("| %s | %zu |", r->name, r->cond_rules);
		lookup_cell(r->rc_mz, &r->m_mz);
		lookup_cell(r->rc_l1, &r->m_l1);
		lookup_cell(r->rc_l2, &r->m_l2);
		printf(" %s, %s, %s |\n", wrong_cell(r->rc_mz, &r->m_mz, w[0]),
		       wrong_cell(r->rc_l1, &r->m_l1, w[1]), wrong_cell(r->rc_l2, &r->m_l2, w[2]));
	}
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

static void count_conds(const struct policy *p, struct row *r)
{
	r->cond_rules = 0;
	r->cond_sys = 0;
	for (size_t i = 0; i < p->nrules; i++) {
		size_t j = 0;

		if (!p->rules[i].ncond)
			continue;
		r->cond_rules++;
		while (j < i && !(p->rules[j].ncond && p->rules[j].sys == p->rules[i].sys))
			j++;
		r->cond_sys += j == i;
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
	r->arches = p->arches;
	count_conds(p, r);
	r->t_mz = time_muzzle(p, reps, &a, &r->rc_mz);
	if (!r->rc_mz)
		compile_policy(p, NULL, &a, &r->st, NULL);
	r->t_l1 = time_lsc(l, p, 0, reps, &b, &r->rc_l1, &skipped);
	r->t_l2 = time_lsc(l, p, 2, reps, &c, &r->rc_l2, &skipped);
	fprintf(stderr, "bench: %s: muzzle %.0f us, libseccomp %.0f us, -O2 %.0f us\n", r->name,
		r->t_mz / 1e3, r->t_l1 / 1e3, r->t_l2 / 1e3);
	if (skipped)
		fprintf(stderr, "bench: %s: libseccomp refused %u rules\n", r->name, skipped);
	if (!r->rc_mz) {
		measure(p, &a, &r->m_mz);
		measure_lookups(p, &a, &r->m_mz);
		path_info(p, &a, &r->st, &r->pi);
	}
	if (!r->rc_l1) {
		measure(p, &b, &r->m_l1);
		measure_lookups(p, &b, &r->m_l1);
	}
	if (!r->rc_l2) {
		measure(p, &c, &r->m_l2);
		measure_lookups(p, &c, &r->m_l2);
	}
	bpf_prog_free(&a);
	bpf_prog_free(&b);
	bpf_prog_free(&c);
}

/* --- instructions executed, weighted by the recorded syscall mix ------------------- */

#define MIX_FILTERS 4

static const char *const mix_who[MIX_FILTERS] = {
	"muzzle", "muzzle, tree weighted by this mix", "libseccomp", "libseccomp -O2"
};

struct mix_filters {
	struct bpf_prog f[MIX_FILTERS];
	int rc[MIX_FILTERS];
};

struct weighted {
	double mean;		/* call-weighted mean of instructions executed */
	unsigned max;		/* over the syscalls the mix has */
	double allowed;		/* share of the mix's calls the filter allows */
};

/* the policy through each compiler; muzzle's second filter orders its tree
 * by the mix's call counts (compile_options.weights) */
static void mix_compile(const struct lsc *l, const struct policy *p, const struct mix *m,
			struct mix_filters *mf)
{
	uint32_t *w = calloc((size_t)arch_syscall_count(), sizeof(*w));
	struct compile_options o = { .weights = w };
	unsigned skipped;

	for (int i = 0; i < MIX_FILTERS; i++)
		bpf_prog_init(&mf->f[i]);
	for (int id = 0; w && id < arch_syscall_count(); id++)
		w[id] = m->calls[id] > UINT32_MAX ? UINT32_MAX : (uint32_t)m->calls[id];
	mf->rc[0] = compile_policy(p, NULL, &mf->f[0], NULL, NULL);
	mf->rc[1] = w ? compile_policy(p, &o, &mf->f[1], NULL, NULL) : -ENOMEM;
	mf->rc[2] = lsc_compile(l, p, 0, &mf->f[2], &skipped);
	mf->rc[3] = lsc_compile(l, p, 2, &mf->f[3], &skipped);
	free(w);
}

static void mix_filters_free(struct mix_filters *mf)
{
	for (int i = 0; i < MIX_FILTERS; i++)
		bpf_prog_free(&mf->f[i]);
}

/* one x86_64 call of syscall id with arguments 0: instructions executed */
static unsigned x86_64_steps(const struct bpf_prog *f, int id, uint32_t *action)
{
	struct seccomp_data d = { .nr = arch_syscall_nr(ARCH_X86_64, id),
				  .arch = arch_get(ARCH_X86_64)->token };
	unsigned steps = 0;

	*action = bpf_run(f->insns, f->len, &d, &steps);
	return steps;
}

static void weigh(const struct mix *m, const struct bpf_prog *f, struct weighted *w)
{
	double sum = 0, n = 0, allowed = 0;

	memset(w, 0, sizeof(*w));
	for (int id = 0; id < arch_syscall_count(); id++) {
		uint32_t action;
		unsigned steps;

		if (!m->calls[id])
			continue;
		steps = x86_64_steps(f, id, &action);
		sum += (double)m->calls[id] * steps;
		n += (double)m->calls[id];
		if (steps > w->max)
			w->max = steps;
		if (action == POLICY_ACT_ALLOW)
			allowed += (double)m->calls[id];
	}
	w->mean = n ? sum / n : 0;
	w->allowed = n ? allowed / n : 0;
}

static const struct mix *sort_mix;	/* for cmp_calls: qsort has no context argument */

static int cmp_calls(const void *a, const void *b)
{
	unsigned long x = sort_mix->calls[*(const int *)a], y = sort_mix->calls[*(const int *)b];

	return x > y ? -1 : x < y;
}

/* the mix's syscalls, most called first; returns how many there are */
static int mix_ranked(const struct mix *m, int *ids)
{
	int n = 0;

	for (int id = 0; id < arch_syscall_count(); id++)
		if (m->calls[id])
			ids[n++] = id;
	sort_mix = m;
	qsort(ids, (size_t)n, sizeof(*ids), cmp_calls);
	return n;
}

#define MIX_TOP 15

/* the mix itself, with what the Docker x86_64 filters execute for each call */
static void print_mix(const struct mix *m, const struct mix_filters *mf)
{
	int *ids = calloc((size_t)arch_syscall_count(), sizeof(*ids));
	unsigned long mapped = m->total - m->unmapped, sum = 0;
	int n;

	if (!ids)
		return;
	n = mix_ranked(m, ids);
	printf("Recorded in this run by bench/mix.sh with `strace -f -c` from:\n\n");
	for (int i = 0; i < m->nprograms; i++)
		printf("- %s\n", m->programs[i]);
	printf("\n%lu calls of %d distinct syscalls; %lu calls (%s) have no x86_64 number in "
	       "muzzle's tables and are left out.  Top %d, with the instructions the Docker "
	       "x86_64 filters execute for them (arguments 0):\n\n"
	       "| syscall | x86_64 nr | calls | share | cumulative | muzzle | libseccomp -O2 |\n"
	       "|---|---|---|---|---|---|---|\n",
	       m->total, n, m->unmapped, m->unmapped ? m->unknown : "none", MIX_TOP);
	for (int i = 0; i < n && i < MIX_TOP; i++) {
		uint32_t a;
		unsigned long c = m->calls[ids[i]];

		sum += c;
		printf("| %s | %d | %lu | %.1f%% | %.1f%% |", arch_syscall_name(ids[i]),
		       arch_syscall_nr(ARCH_X86_64, ids[i]), c, 100.0 * c / mapped,
		       100.0 * sum / mapped);
		printf(mf->rc[0] ? " - |" : " %u |",
		       mf->rc[0] ? 0 : x86_64_steps(&mf->f[0], ids[i], &a));
		printf(mf->rc[3] ? " - |\n" : " %u |\n",
		       mf->rc[3] ? 0 : x86_64_steps(&mf->f[3], ids[i], &a));
	}
	free(ids);
}

/* one policy's rows of the weighted table; *mz and *o2 get muzzle's and
 * libseccomp -O2's weighted means */
static void mix_rows(const char *name, const struct policy *p, const struct mix_filters *mf,
		     const struct mix *m, double *mz, double *o2)
{
	for (int i = 0; i < MIX_FILTERS; i++) {
		struct weighted w;
		struct measures all;

		if (mf->rc[i]) {
			printf("| %s | %s | failed | | | |\n", name, mix_who[i]);
			continue;
		}
		weigh(m, &mf->f[i], &w);
		measure(p, &mf->f[i], &all);
		printf("| %s | %s | %.2f | %u | %.2f | %.1f%% |\n", name, mix_who[i], w.mean,
		       w.max, all.mean_steps, 100 * w.allowed);
		if (i == 0)
			*mz = w.mean;
		if (i == 3)
			*o2 = w.mean;
	}
}

static void report_mix(const struct lsc *l, const struct policy *dk3, const struct policy *dk1,
		       const struct mix *m)
{
	struct mix_filters f3, f1;
	double mz3 = 0, o23 = 0, mz1 = 0, o21 = 0;

	fprintf(stderr, "bench: instructions executed over the recorded mix\n");
	mix_compile(l, dk3, m, &f3);
	mix_compile(l, dk1, m, &f1);
	printf("\n## Instructions executed, weighted by a real syscall mix\n\n");
	print_mix(m, &f1);
	printf("\nEach recorded x86_64 call run through the interpreter once (arguments 0, "
	       "as strace -c does not record them); mean over calls, not syscalls.  The "
	       "weighted tree is ordered by this same mix, so its mean is a best case for "
	       "profile-guided layout.  Unweighted: the mean over allowed syscalls of all "
	       "the policy's ABIs, as in the table above.\n\n"
	       "| policy | compiler | call-weighted mean insns | max over the mix | "
	       "unweighted mean | mix calls allowed |\n|---|---|---|---|---|---|\n");
	mix_rows("docker amd64 (x86_64+x86+x32)", dk3, &f3, m, &mz3, &o23);
	mix_rows("docker x86_64", dk1, &f1, m, &mz1, &o21);
	if (o23 > 0 && o21 > 0)
		printf("\nmuzzle / libseccomp -O2, weighted by the mix: %.2fx (3 ABIs), "
		       "%.2fx (x86_64).\n", mz3 / o23, mz1 / o21);
	mix_filters_free(&f3);
	mix_filters_free(&f1);
}

/* the uncached call's filter overhead (median minus no filter) and the
 * largest interquartile range of its rounds */
struct rt {
	int ok;
	double over_l1, over_l2, over_mz, spread;
};

static void report_runtime(const struct lsc *l, const struct policy *docker, struct rt *rt)
{
	struct bpf_prog mz, l1, l2;
	struct bpf_prog *f[4] = { NULL, &l1, &l2, &mz };
	const char *names[4] = { "no filter", "libseccomp", "libseccomp -O2", "muzzle" };
	double arg_med[4], arg_min[4], arg_iqr[4], c_med[4], c_min[4], c_iqr[4];
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
	runtime(f, 4, SYS_personality, 0xffffffffu, arg_med, arg_min, arg_iqr);
	runtime(f, 4, SYS_getppid, 0, c_med, c_min, c_iqr);
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
	*rt = (struct rt){ 1, arg_med[1] - arg_med[0], arg_med[2] - arg_med[0],
			   arg_med[3] - arg_med[0], 0 };
	for (int i = 0; i < 4; i++)
		rt->spread = fmax(rt->spread, arg_iqr[i]);
	printf("Spread: the largest interquartile range of those rounds, %.1f ns.\n", rt->spread);
	bpf_prog_free(&mz);
	bpf_prog_free(&l1);
	bpf_prog_free(&l2);
}

/* --- targets: verdicts from the numbers measured above ------------------------------- */

const char *verdict(struct tally *t, int ok)
{
	if (ok)
		t->met++;
	else
		t->missed++;
	return ok ? "met" : "**MISSED**";
}

/* "x86_64 120, x86 250" : muzzle's constant-action intervals per ABI */
static void print_intervals(const struct row *r)
{
	const char *sep = "";

	for (int abi = 0; abi < ARCH_COUNT; abi++) {
		if (!(r->arches & ARCH_MASK(abi)))
			continue;
		printf("%s%s %u", sep, arch_get((enum arch_id)abi)->name,
		       r->st.token_intervals[abi]);
		sep = ", ";
	}
}

static unsigned max_intervals(const struct row *r)
{
	unsigned l = 0;

	for (int abi = 0; abi < ARCH_COUNT; abi++)
		if (r->arches & ARCH_MASK(abi) && r->st.token_intervals[abi] > l)
			l = r->st.token_intervals[abi];
	return l;
}

static void target_compile(const struct row *r, struct tally *t)
{
	double s1 = r->t_l1 / r->t_mz, s2 = r->t_l2 / r->t_mz;
	int ok = !r->rc_mz && s1 >= 50 && s2 >= 50;

	printf("1. **Compile time**, %s: muzzle at least 50x faster than libseccomp.  "
	       "muzzle %.1f us; libseccomp default %.1f us (%.1fx), -O2 %.1f us (%.1fx): %s\n",
	       r->name, r->t_mz / 1e3, r->t_l1 / 1e3, s1, r->t_l2 / 1e3, s2, verdict(t, ok));
	if (r->t_json > 0)
		printf("   - From the profile's JSON bytes (parse, model and BPF: what `muzzle "
		       "compile FILE --time` prints): %.1f us, %.1fx libseccomp's default, "
		       "which starts from rules already parsed.\n",
		       r->t_json / 1e3, r->t_l1 / r->t_json);
	if (!ok)
		printf("   - Why: libseccomp's time per run is small for this policy, or muzzle's "
		       "model rebuild dominates; profile time_muzzle to find what to cut.\n");
}

static double nlogn(double n)
{
	return n * log2(n);
}

/* One family's growth, step by step: muzzle's and libseccomp's time ratios
 * against n log n's.  Returns whether muzzle stays within 2x of n log n on
 * every step and grows slower than libseccomp wherever both were timed. */
static int growth_steps(const struct row *r, int n)
{
	int ok = 1;

	for (int i = 1; i < n; i++) {
		double ideal = nlogn((double)r[i].rules) / nlogn((double)r[i - 1].rules);
		double m = r[i].t_mz / r[i - 1].t_mz, l = r[i].t_l1 / r[i - 1].t_l1;
		int timed = r[i].rc_l1 != -2 && r[i - 1].rc_l1 != -2;

		printf("%s%zu -> %zu: muzzle x%.1f, libseccomp %s%.1f (n log n x%.1f)",
		       i > 1 ? "; " : "", r[i - 1].rules, r[i].rules, m,
		       timed ? "x" : "stopped, > x", l, ideal);
		ok &= m <= 2 * ideal && m < l;
	}
	return ok;
}

static void target_growth(const struct row *rows, struct tally *t)
{
	int ok;

	printf("   - Growth, n log n or close where libseccomp grows faster, ioctl with n "
	       "request values (one policy shape at every size): ");
	ok = growth_steps(rows + 6, 4);
	printf(": %s\n", verdict(t, ok));
	printf("   - For reference, the synthetic family (plain allow-lists up to 100 rules, "
	       "argument rules from 1000, so its 100 -> 1000 step changes shape): ");
	growth_steps(rows + 2, 4);
	printf("\n");
	if (!ok)
		printf("   - Why: a step grows more than twice n log n, or no slower than "
		       "libseccomp's; see the compile table for the times.\n");
}

static void why_size(const struct row *r)
{
	double goal = 0.4 * (double)r->m_l2.insns;

	if (r->cond_rules) {
		printf("   - Why: %zu argument rules on %u syscalls.  Each syscall's block loads "
		       "the low word and searches its values, a jge per three values on top of "
		       "a compare each, for a path logarithmic in them (see the argument "
		       "lookups table) where libseccomp tests them one after another; the "
		       "high-word check they share sits once per chunk.  0.4x (%.0f) is out of "
		       "reach for any filter that compares each value once: %zu value compares "
		       "plus %u to tell the syscalls apart is already %zu.\n",
		       r->cond_rules, r->cond_sys, goal, r->cond_rules, r->cond_sys - 1,
		       r->cond_rules + r->cond_sys - 1);
		return;
	}
	/* a compare tree needs a compare per run of allowed numbers; around it:
	 * ld arch, jeq token, ret badarch, ld nr, ret allow, ret deny */
	printf("   - Why: %zu unconditional rules whose allowed numbers form %u runs.  muzzle "
	       "tests a single number inside a denied range with one jeq and spends a jge on "
	       "the other edges, where libseccomp spends one jeq per syscall.  Any compare "
	       "tree needs a compare per run plus 6 around them (arch load, token jeq, "
	       "bad-arch ret, nr load, two rets): %u, where 0.4x is %.0f%s.\n",
	       r->rules, r->pi.runs, r->pi.runs + 6, goal,
	       goal < r->pi.runs + 6 ? ", so no compare tree reaches it" : "");
}

static void target_size(const struct row *r, struct tally *t)
{
	double x;
	int ok;

	if (r->rc_mz || r->rc_l2 || r->m_l2.insns == 0) {
		t->na++;
		printf("   - %s: n/a (%s)\n", r->name,
		       r->rc_mz == -E2BIG ? "muzzle refuses it with E2BIG; libseccomp was stopped"
					 : "no filter to compare");
		return;
	}
	x = (double)r->m_mz.insns / (double)r->m_l2.insns;
	ok = x <= 0.4;
	printf("   - %s: %zu / %zu = %.2fx: %s\n", r->name, r->m_mz.insns, r->m_l2.insns, x,
	       verdict(t, ok));
	if (!ok)
		why_size(r);
}

static void why_mean_args(const struct row *r, double goal)
{
	printf("   - Why: the %u allowed call%s (arguments 0) %s argument-checked: %.0f fixed "
	       "(arch load, token jeq, nr load, ret) + %u tree levels (%u intervals: the %u "
	       "checked syscalls each need their own) + the 64-bit compare (ld lo, jeq, then "
	       "the shared ld hi, jeq) + %.0f long-jump trampoline%s (ja) = %.0f; 0.7x is "
	       "%.2f.  Without the trampolines it would be %.0f, %s.\n",
	       r->m_mz.allowed, r->m_mz.allowed == 1 ? "" : "s",
	       r->m_mz.allowed == 1 ? "is" : "are", r->pi.fixed, log2_ceil(max_intervals(r)),
	       max_intervals(r), r->cond_sys, r->pi.ja, r->pi.ja == 1 ? "" : "s",
	       r->m_mz.mean_steps, goal, r->m_mz.mean_steps - r->pi.ja,
	       r->m_mz.mean_steps - r->pi.ja <= goal ? "which meets it" : "still short");
}

static void why_mean(const struct row *r, double goal)
{
	double lo = r->pi.fixed + r->pi.entropy;
	double tree = r->m_mz.mean_steps - r->pi.fixed - r->pi.ja;

	if (!r->m_mz.cacheable) {
		why_mean_args(r, goal);
		return;
	}
	printf("   - Why: muzzle's paths are %.2f fixed instructions (arch load, token jeq, "
	       "nr load, ret; -O2 pays them too) + %.2f in the tree over ", r->pi.fixed, tree);
	print_intervals(r);
	printf(" intervals (leaning towards allowed calls within one level of the balanced "
	       "depth) + %.2f trampolines.  0.7x is %.2f.  Any binary tree needs the entropy "
	       "of the runs of allowed numbers, %.2f bits, so no filter of this shape goes "
	       "below %.2f; order-keeping trees may need up to 2 more (Gilbert-Moore).  muzzle's "
	       "tree is %.2f above that bound%s.\n",
	       r->pi.ja, goal, r->pi.entropy, lo, tree - r->pi.entropy,
	       lo > goal ? ", and the bound alone is over the target: only fewer fixed "
			   "instructions or fewer runs could reach it"
			 : "; a tree built by dynamic programming over the leaves would come "
			   "closer, at a compile time quadratic in them");
}

/* argument-independent paths against path_bound + 1, per ABI */
static int print_bounds(const struct row *r)
{
	const char *sep = "";
	int ok = 1;

	if (!r->m_mz.indep) {
		printf("no argument-independent paths");
		return 1;
	}
	for (int abi = 0; abi < ARCH_COUNT; abi++) {
		if (!(r->arches & ARCH_MASK(abi)))
			continue;
		printf("%s%s max %u, bound %u (L %u)", sep, arch_get((enum arch_id)abi)->name,
		       r->m_mz.indep_max[abi], r->st.path_bound[abi],
		       r->st.token_intervals[abi]);
		ok &= r->m_mz.indep_max[abi] <= r->st.path_bound[abi] + 1;
		sep = "; ";
	}
	return ok;
}

static void target_exec(const struct row *r, struct tally *t)
{
	double goal, x;
	int ok, bounded;

	if (r->rc_mz || r->rc_l2 || !r->m_l2.allowed) {
		t->na += 2;
		printf("   - %s: n/a (no filter to compare)\n", r->name);
		return;
	}
	goal = 0.7 * r->m_l2.mean_steps;
	x = r->m_mz.mean_steps / r->m_l2.mean_steps;
	ok = x <= 0.7;
	printf("   - %s: mean %.2f / %.2f = %.2fx: %s.  Paths: ", r->name, r->m_mz.mean_steps,
	       r->m_l2.mean_steps, x, verdict(t, ok));
	bounded = print_bounds(r);
	printf(": %s\n", verdict(t, bounded));
	if (!ok)
		why_mean(r, goal);
	if (!bounded)
		printf("   - Why: a path is longer than the balanced tree allows; long-jump "
		       "trampolines or a weighted layout; see test const_cache_and_path_bound.\n");
}

static void target_cache(const struct row *r, struct tally *t)
{
	const struct measures *m = &r->m_mz;
	int ok;

	if (r->rc_mz || !m->cacheable) {
		t->na++;
		printf("   - %s: n/a (%s)\n", r->name,
		       r->rc_mz ? "no filter" : "no argument-independent allowed syscalls");
		return;
	}
	ok = m->cached == m->cacheable;
	printf("   - %s: %u/%u: %s\n", r->name, m->cached, m->cacheable, verdict(t, ok));
	if (!ok)
		printf("   - Why: a path to an ALLOW leaf loads or tests something the kernel's "
		       "cache emulation rejects; keep argument checks off those paths.\n");
}

static void target_runtime(const struct rt *rt, struct tally *t)
{
	double d1 = rt->over_mz - rt->over_l1, d2 = rt->over_mz - rt->over_l2;
	double worst = fmax(d1, d2);
	int ok = worst <= 0 || worst < rt->spread;

	printf("5. **Uncached runtime**, Docker default personality(0xffffffff): muzzle's filter "
	       "overhead no worse than libseccomp's.  muzzle %.1f ns, libseccomp %.1f ns "
	       "(%+.1f), -O2 %.1f ns (%+.1f), spread %.1f ns: %s%s\n",
	       rt->over_mz, rt->over_l1, d1, rt->over_l2, d2, rt->spread, verdict(t, ok),
	       worst > 0 && ok ? " (within noise: the difference is below the spread)" : "");
	if (!ok)
		printf("   - Why: muzzle's path for this call is longer or slower than "
		       "libseccomp's by more than the noise; compare the insns column above.\n");
}

static void report_targets(const struct row *rows, int nrows, const struct rt *rt,
			   const struct learn_result *lr)
{
	struct tally t = { 0 };

	printf("\n## Targets\n\nVerdicts computed from the numbers above, in this run.\n\n");
	target_compile(&rows[0], &t);
	if (nrows >= 10)
		target_growth(rows, &t);
	printf("2. **Filter size**: muzzle at most 0.4x libseccomp -O2's instructions, same "
	       "rules and ABIs.\n");
	for (int i = 0; i < nrows; i++)
		target_size(&rows[i], &t);
	printf("3. **Instructions executed**: muzzle's mean at most 0.7x libseccomp -O2's; "
	       "every argument-independent path within 1 of the balanced range tree bound "
	       "4 + ceil(log2 L) (compile_stats.path_bound: +1 for each token dispatched "
	       "before the ABI's).\n");
	for (int i = 0; i < nrows; i++)
		target_exec(&rows[i], &t);
	printf("4. **Kernel action cache**: 100%% of argument-independent allowed syscalls "
	       "cacheable with muzzle.\n");
	for (int i = 0; i < nrows; i++)
		target_cache(&rows[i], &t);
	if (rt->ok)
		target_runtime(rt, &t);
	else
		printf("5. **Uncached runtime**: n/a (a filter failed to compile)\n");
	target_learn(lr, &t);
	printf("\nTargets: %u met, %u missed, %u n/a.\n", t.met, t.missed, t.na);
}

int main(int argc, char **argv)
{
	static const unsigned synth[] = { 10, 100, 1000, 10000 };
	struct lsc l;
	struct policy dk3, dk1;
	struct row rows[10] = { 0 };
	struct rt rt = { 0 };
	struct learn_result lr;
	struct mix mix;
	int nrows = 0;
	FILE *dat;

	if (argc < 6) {
		fprintf(stderr, "usage: bench docker-default.json plot.dat mix.txt muzzle "
			"workload\n");
		return 2;
	}
	if (lsc_open(&l)) {
		fprintf(stderr, "bench: cannot load libseccomp.so.2: %s\n", dlerror());
		return 1;
	}
	if (read_docker(argv[1], ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86) |
			ARCH_MASK(ARCH_X32), &dk3) ||
	    read_docker(argv[1], ARCH_MASK(ARCH_X86_64), &dk1) || mix_read(argv[3], &mix))
		return 1;
	dat = fopen(argv[2], "w");
	if (!dat)
		return 1;
	rows[nrows].name = "docker amd64 (x86_64+x86+x32)";
	rows[nrows].t_json = time_json(argv[1], dk3.arches, 21);
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
	for (size_t i = 0; i < sizeof(synth) / sizeof(synth[0]); i++) {
		struct policy p;
		static char names[4][32];

		ioctl_values(&p, synth[i]);
		snprintf(names[i], sizeof(names[i]), "ioctl %u values", synth[i]);
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
	plot_growth(dat, rows + 2, 4);
	plot_growth(dat, rows + 6, 4);
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
	report_lookups(rows, nrows);
	fclose(dat);
	report_mix(&l, &dk3, &dk1, &mix);
	fprintf(stderr, "bench: uncached runtime in children\n");
	report_runtime(&l, &dk3, &rt);
	report_learn(argv[4], argv[5], &lr);
	report_startup(argv[4], argv[1], rows[0].t_mz);
	report_targets(rows, nrows, &rt, &lr);
	mix_free(&mix);
	policy_free(&dk3);
	policy_free(&dk1);
	return 0;
}
