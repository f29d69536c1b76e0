/* Random differential test against Debian's libseccomp (dlopen'ed; libmuzzle
 * defines the same symbols and is linked in).
 *
 * Thousands of random filters (fixed seeds): random syscalls (multiplexed
 * socket and IPC calls, the multiplexers, raw numbers), ABIs (x86_64 always,
 * x86 and x32 often, a few other little-endian ones), actions, argument rules
 * over all seven libseccomp operators with 32- and 64-bit values, and
 * conflicting rules.  Each call sequence runs against both libraries; then
 *   1. the return codes must match;
 *   2. muzzle's exported BPF must equal muzzle's policy (equiv_check against
 *      policy_eval): any difference is a muzzle bug;
 *   3. muzzle's BPF is compared with libseccomp's on a sweep of inputs built
 *      from the filter's constants and with equiv_diff.  Every difference is
 *      classified: a known, documented difference (each has a diff_* case
 *      below asserting exactly that difference) or a FAIL.
 * A live sample loads muzzle's filter in forked children (with a guard filter
 * that turns every verdict that would let a call run into ENOSYS) and
 * compares the kernel's answer with the interpreter's. */
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>

#include <seccomp.h>
#include "compat/compat.h"
#include "load/load.h"
#include "policy/equiv.h"
#include "policy/eval.h"
#include "harness.h"
#include "live_guard.h"

#define NPOLICIES 1200
#ifndef LIVE_EVERY
#ifdef __SANITIZE_ADDRESS__
#define LIVE_EVERY 24		/* fork is slow with ASan's shadow memory */
#else
#define LIVE_EVERY 4		/* one policy in 4 gets a live sample */
#endif
#endif
#define LIVE_CALLS 4

struct api {
	scmp_filter_ctx (*init)(uint32_t);
	void (*release)(scmp_filter_ctx);
	int (*arch_add)(scmp_filter_ctx, uint32_t);
	int (*rule_add_array)(scmp_filter_ctx, uint32_t, int, unsigned,
			      const struct scmp_arg_cmp *);
	int (*rule_add_exact_array)(scmp_filter_ctx, uint32_t, int, unsigned,
				    const struct scmp_arg_cmp *);
	int (*attr_set)(scmp_filter_ctx, enum scmp_filter_attr, uint32_t);
	int (*export_bpf)(const scmp_filter_ctx, int);
};

static const struct api mz_api = {
	seccomp_init, seccomp_release, seccomp_arch_add, seccomp_rule_add_array,
	seccomp_rule_add_exact_array, seccomp_attr_set, seccomp_export_bpf,
};

static int load_peer(struct api *a)
{
	void *h = dlopen("libseccomp.so.2", RTLD_NOW | RTLD_LOCAL);
	int ok = 1;

	if (!h)
		return 0;
#define SYM(field, sym) do { \
		*(void **)&a->field = dlsym(h, sym); \
		ok = ok && a->field != NULL; \
	} while (0)
	SYM(init, "seccomp_init");
	SYM(release, "seccomp_release");
	SYM(arch_add, "seccomp_arch_add");
	SYM(rule_add_array, "seccomp_rule_add_array");
	SYM(rule_add_exact_array, "seccomp_rule_add_exact_array");
	SYM(attr_set, "seccomp_attr_set");
	SYM(export_bpf, "seccomp_export_bpf");
#undef SYM
	return ok;
}

/* --- random numbers ------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* --- a random call sequence ------------------------------------------------- */

/* Calls every ABI of the pool and libseccomp 2.5.4 know, multiplexed ones, the
 * multiplexers themselves, and calls some ABIs lack. */
static const int pool[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(close), SCMP_SYS(openat), SCMP_SYS(open),
	SCMP_SYS(mmap), SCMP_SYS(mprotect), SCMP_SYS(ioctl), SCMP_SYS(dup), SCMP_SYS(dup3),
	SCMP_SYS(getpid), SCMP_SYS(getppid), SCMP_SYS(kill), SCMP_SYS(clone), SCMP_SYS(unshare),
	SCMP_SYS(fcntl), SCMP_SYS(futex), SCMP_SYS(personality), SCMP_SYS(prctl),
	SCMP_SYS(ptrace), SCMP_SYS(uname), SCMP_SYS(madvise), SCMP_SYS(setns),
	SCMP_SYS(socket), SCMP_SYS(connect), SCMP_SYS(bind), SCMP_SYS(accept4),
	SCMP_SYS(sendto), SCMP_SYS(recvfrom), SCMP_SYS(socketpair), SCMP_SYS(accept),
	SCMP_SYS(shmget), SCMP_SYS(shmat), SCMP_SYS(semop), SCMP_SYS(msgsnd),
	SCMP_SYS(socketcall), SCMP_SYS(ipc), SCMP_SYS(mmap2), SCMP_SYS(arch_prctl),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(getrandom),
};
#define NPOOL (int)(sizeof(pool) / sizeof(pool[0]))

static const uint32_t other_abis[] = {
	SCMP_ARCH_AARCH64, SCMP_ARCH_ARM, SCMP_ARCH_RISCV64, SCMP_ARCH_MIPSEL,
	SCMP_ARCH_MIPSEL64, SCMP_ARCH_PPC64LE,
};

static uint32_t rand_action(void)
{
	switch (pick(10)) {
	case 0: return SCMP_ACT_KILL_PROCESS;
	case 1: return SCMP_ACT_KILL_THREAD;
	case 2: return SCMP_ACT_TRAP;
	case 3: return SCMP_ACT_LOG;
	case 4: return SCMP_ACT_TRACE(pick(3));
	case 5: return SCMP_ACT_NOTIFY;
	case 6: case 7: return SCMP_ACT_ALLOW;
	default: return SCMP_ACT_ERRNO(1 + pick(4) * 7);
	}
}

static uint64_t rand_value(void)
{
	switch (pick(8)) {
	case 0: return pick(4);
	case 1: return 0xffffffffull - pick(2);
	case 2: return 0x80000000ull;
	case 3: return 0x100000000ull + pick(3);
	case 4: return ~0ull - pick(2);
	case 5: return rnd() & 0xffffffffull;
	case 6: return rnd();
	default: return pick(64);
	}
}

static struct scmp_arg_cmp rand_cmp(unsigned arg)
{
	struct scmp_arg_cmp c = { .arg = arg, .op = (enum scmp_compare)(1 + pick(7)) };

	if (c.op == SCMP_CMP_MASKED_EQ) {
		c.datum_a = pick(3) ? rand_value() : 0xffffffff00000000ull | (rnd() & 0xf0f0);
		c.datum_b = pick(4) ? c.datum_a & rnd() : rand_value();
	} else {
		c.datum_a = rand_value();
	}
	return c;
}

/* One step of a sequence, kept so the same sequence runs on both sides. */
struct step {
	int skip;		/* left out: a known difference in return codes */
	int exact;
	uint32_t action;
	int sys;
	unsigned n;
	struct scmp_arg_cmp a[3];
};

struct seq {
	uint32_t def, badarch;
	uint32_t arches[4];
	int narches;
	struct step steps[16];
	int nsteps;
};

static void gen(struct seq *s)
{
	memset(s, 0, sizeof(*s));
	s->def = rand_action();
	s->badarch = pick(3) ? SCMP_ACT_KILL_THREAD : rand_action();
	if (pick(2))
		s->arches[s->narches++] = SCMP_ARCH_X86;
	if (pick(5) < 2)
		s->arches[s->narches++] = SCMP_ARCH_X32;
	if (!pick(6))
		s->arches[s->narches++] = other_abis[pick(6)];
	s->nsteps = 1 + (int)pick(12);
	for (int i = 0; i < s->nsteps; i++) {
		struct step *t = &s->steps[i];
		unsigned used = 0;

		/* reuse an earlier syscall often: conflicts and overlaps */
		if (i && pick(3) == 0)
			t->sys = s->steps[pick((unsigned)i)].sys;
		else if (pick(20) == 0)
			t->sys = 600 + (int)pick(400);	/* a number no table names */
		else
			t->sys = pool[pick(NPOOL)];
		t->action = pick(12) ? rand_action() : s->def;
		t->exact = pick(12) == 0;
		t->n = pick(10) < 4 ? 0 : 1 + pick(pick(2) ? 1 : 3);
		for (unsigned k = 0; k < t->n; k++) {
			unsigned arg;

			do
				arg = pick(6);
			while (used & (1u << arg));
			used |= 1u << arg;
			t->a[k] = rand_cmp(arg);
		}
	}
}

/* For MUZZLE_SEED=N: the call sequence of one seed, to reproduce a FAIL. */
static void dump(const struct seq *s)
{
	printf("# init(0x%x) badarch 0x%x arches", s->def, s->badarch);
	for (int i = 0; i < s->narches; i++)
		printf(" 0x%x", s->arches[i]);
	printf("\n");
	for (int i = 0; i < s->nsteps; i++) {
		const struct step *t = &s->steps[i];

		printf("#   rule%s(0x%x, %d", t->exact ? "_exact" : "", t->action, t->sys);
		for (unsigned k = 0; k < t->n; k++)
			printf(", A%u op%d 0x%llx 0x%llx", t->a[k].arg, t->a[k].op,
			       (unsigned long long)t->a[k].datum_a,
			       (unsigned long long)t->a[k].datum_b);
		printf(")\n");
	}
}

/* --- running a sequence ------------------------------------------------------- */

struct side {
	scmp_filter_ctx c;
	int rc[24];
	int step_of[24];	/* which step made rc[i], -1 for setup calls */
	int nrc;
	struct bpf_prog prog;
	int exported;
};

static void run_seq(const struct api *a, const struct seq *s, struct side *out)
{
	int fd;

	memset(out, 0, sizeof(*out));
	bpf_prog_init(&out->prog);
	out->c = a->init(s->def);
	if (!out->c)
		return;
	out->step_of[out->nrc] = -1;
	out->rc[out->nrc++] = a->attr_set(out->c, SCMP_FLTATR_ACT_BADARCH, s->badarch);
	for (int i = 0; i < s->narches; i++) {
		out->step_of[out->nrc] = -1;
		out->rc[out->nrc++] = a->arch_add(out->c, s->arches[i]);
	}
	for (int i = 0; i < s->nsteps; i++) {
		const struct step *t = &s->steps[i];

		if (t->skip)
			continue;
		out->step_of[out->nrc] = i;
		out->rc[out->nrc++] = (t->exact ? a->rule_add_exact_array : a->rule_add_array)(
			out->c, t->action, t->sys, t->n, t->a);
	}
	fd = memfd_create("bpf", 0);
	if (fd >= 0 && a->export_bpf(out->c, fd) == 0) {
		off_t size = lseek(fd, 0, SEEK_END);
		char *buf = size > 0 ? malloc((size_t)size) : NULL;
		struct muzzle_error err;

		if (buf && pread(fd, buf, (size_t)size, 0) == size &&
		    bpf_read_raw(buf, (size_t)size, &out->prog, &err) == 0)
			out->exported = 1;
		free(buf);
	}
	if (fd >= 0)
		close(fd);
}

static void side_free(const struct api *a, struct side *s)
{
	if (s->c)
		a->release(s->c);
	bpf_prog_free(&s->prog);
}

/* --- classifying differences ----------------------------------------------------- */

enum known {
	K_NONE,
	K_NR_MINUS_ONE,		/* nr -1 on the x86_64 token: x32 range in muzzle */
	K_X32_WIDTH,		/* x32: libseccomp compares the low 32 bits only */
	K_IPC_VERSION,		/* ipc(2) call numbers with "version" bits */
	K_MUX_CONDITIONS,	/* conditional rule reached through a multiplexer */
	K_OVERLAP,		/* overlapping conditional rules, different actions */
	K_VACUOUS_COND,		/* 32-bit ABI: (arg & 0) == 0 makes libseccomp's rule unconditional */
	K_LIB_TREE,		/* libseccomp bug: its BPF loses a rule that alone matches */
	K_BUG_MASKED_DATUM,	/* fixed muzzle bug (4c90406): a FAIL if it comes back */
	K_COUNT
};

static const char *const known_name[K_COUNT] = {
	"none", "nr_minus_one", "x32_arg_width", "ipc_version", "mux_fail_closed",
	"overlap_strictest", "vacuous_32bit_condition", "libseccomp_loses_rule",
	"fixed bug masked_eq_datum_outside_mask (must stay 0)",
};

static const struct arch_desc *abi_of(const struct seccomp_data *d)
{
	return arch_for_data(d->arch, (uint32_t)d->nr);
}

/* The syscall a call stands for, through a multiplexer too (*mux set). */
static int call_target(const struct arch_desc *abi, const struct seccomp_data *d, int *mux)
{
	uint32_t nr = (uint32_t)d->nr;

	*mux = 0;
	if (abi->socketcall_nr != ARCH_NR_NONE && nr == (uint32_t)abi->socketcall_nr) {
		*mux = 1;
		return arch_mux_demux(abi->id, ARCH_MUX_SOCKETCALL,
				      (uint32_t)d->args[0] & arch_mux_call_mask(ARCH_MUX_SOCKETCALL));
	}
	if (abi->ipc_nr != ARCH_NR_NONE && nr == (uint32_t)abi->ipc_nr) {
		*mux = 1;
		return arch_mux_demux(abi->id, ARCH_MUX_IPC,
				      (uint32_t)d->args[0] & arch_mux_call_mask(ARCH_MUX_IPC));
	}
	return arch_syscall_by_nr(abi->id, nr);
}

/* Rules of the policy on syscall id for this ABI. */
static int rule_applies(const struct policy_rule *r, const struct arch_desc *abi, int id)
{
	return r->sys == id && (r->abis == 0 || (r->abis & ARCH_MASK(abi->id)));
}

static int conds_hold(const struct policy_rule *r, const struct arch_desc *abi,
		      const struct seccomp_data *d)
{
	for (unsigned i = 0; i < r->ncond; i++) {
		const struct policy_cond *c = &r->cond[i];
		uint64_t v = d->args[c->arg], k = c->datum, m = c->mask;
		int ok = 0;

		if (abi->word_bits == 32) {
			v &= 0xffffffffu;
			k &= 0xffffffffu;
			m &= 0xffffffffu;
		}
		switch (c->op) {
		case POLICY_OP_NE: ok = v != k; break;
		case POLICY_OP_LT: ok = v < k; break;
		case POLICY_OP_LE: ok = v <= k; break;
		case POLICY_OP_EQ: ok = v == k; break;
		case POLICY_OP_GE: ok = v >= k; break;
		case POLICY_OP_GT: ok = v > k; break;
		case POLICY_OP_MASKED_EQ: ok = (v & m) == k; break;
		case POLICY_OP_MASKED_NE: ok = (v & m) != k; break;
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/* The actions of the rules that match a call: rules on the call's syscall
 * whose conditions hold; through a multiplexer, rules on the multiplexer
 * itself whose conditions hold plus every non-exact rule on the target
 * (their conditions cannot be seen there).  *uncond is set when a rule on
 * the syscall (the multiplexer, for a multiplexed call) has no condition.
 * Returns how many distinct actions matched; *only gets the one. */
static int matching(const struct policy *p, const struct arch_desc *abi,
		    const struct seccomp_data *d, int *uncond, uint32_t *only)
{
	uint32_t seen[POLICY_MAX_COND * 4];
	int n = 0, mux, id = call_target(abi, d, &mux);
	int self = mux ? arch_syscall_by_nr(abi->id, (uint32_t)d->nr) : id;

	*uncond = 0;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		int hit = 0, dup = 0;

		if (r->sys == POLICY_SYS_NR ? r->nr == (uint32_t)d->nr &&
		    (r->abis == 0 || (r->abis & ARCH_MASK(abi->id))) :
		    self >= 0 && rule_applies(r, abi, self)) {
			if (!r->ncond)
				*uncond = 1;
			hit = conds_hold(r, abi, d);
		} else if (mux && id >= 0 && rule_applies(r, abi, id) &&
			   !(r->flags & POLICY_RULE_EXACT)) {
			hit = 1;
		}
		if (!hit)
			continue;
		for (int k = 0; k < n; k++)
			dup |= seen[k] == r->action;
		if (!dup && n < (int)(sizeof(seen) / sizeof(seen[0])))
			seen[n++] = r->action;
	}
	*only = n ? seen[0] : p->default_action;
	return n;
}

static int has_cond_rule(const struct policy *p, const struct arch_desc *abi, int id)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (rule_applies(&p->rules[i], abi, id) && p->rules[i].ncond &&
		    !(p->rules[i].flags & POLICY_RULE_EXACT))
			return 1;
	return 0;
}

/* The policy evaluated the way libseccomp reads it: with masked datums
 * (libseccomp compares (arg & mask) == (datum & mask)) and/or, for x32, the
 * low halves of arguments, datums and masks only. */
static uint32_t eval_as(const struct policy *p, const struct seccomp_data *d, int mask_datum,
			int low32, int vacuous)
{
	struct policy q;
	struct seccomp_data t = *d;
	uint32_t v;

	if (policy_copy(&q, p))
		return 0xdeadbeef;
	for (size_t i = 0; i < q.nrules; i++)
		for (unsigned k = 0; k < q.rules[i].ncond; k++) {
			struct policy_cond *c = &q.rules[i].cond[k];

			if (mask_datum && c->op == POLICY_OP_MASKED_EQ)
				c->datum &= c->mask;
			if (low32) {
				c->datum &= 0xffffffffu;
				c->mask &= 0xffffffffu;
			}
		}
	/* libseccomp drops a condition that is always true on a 32-bit ABI
	 * ((arg & 0) == 0 once the mask is cut to 32 bits): the rule becomes
	 * unconditional there */
	for (size_t i = 0; vacuous && i < q.nrules; i++) {
		struct policy_rule *r = &q.rules[i];
		unsigned keep = 0;

		for (unsigned k = 0; k < r->ncond; k++)
			if (r->cond[k].op != POLICY_OP_MASKED_EQ ||
			    (r->cond[k].mask & 0xffffffffu) || (r->cond[k].datum & 0xffffffffu))
				r->cond[keep++] = r->cond[k];
		r->ncond = (uint8_t)keep;
	}
	for (int i = 0; low32 && i < 6; i++)
		t.args[i] &= 0xffffffffu;
	v = policy_eval(&q, &t).action;
	policy_free(&q);
	return v;
}

static enum known classify(const struct policy *p, const struct seccomp_data *d,
			   uint32_t lib, uint32_t mz)
{
	const struct arch_desc *abi = abi_of(d);
	uint32_t nr = (uint32_t)d->nr;
	int id, mux, n, uncond;
	uint32_t only;

	if (d->arch == AUDIT_ARCH_X86_64 && nr == 0xffffffffu)
		return K_NR_MINUS_ONE;
	if (!abi || !(p->arches & ARCH_MASK(abi->id)))
		return K_NONE;
	if (abi->id == ARCH_X32 && eval_as(p, d, 0, 1, 0) == lib)
		return K_X32_WIDTH;
	if (eval_as(p, d, 1, abi->id == ARCH_X32, 0) == lib)
		return K_BUG_MASKED_DATUM;
	if (abi->word_bits == 32 && eval_as(p, d, 0, 0, 1) == lib)
		return K_VACUOUS_COND;
	id = call_target(abi, d, &mux);
	if (mux && abi->ipc_nr != ARCH_NR_NONE && nr == (uint32_t)abi->ipc_nr &&
	    ((uint32_t)d->args[0] & 0xffff0000u))
		return K_IPC_VERSION;
	if (id >= 0 && mux && has_cond_rule(p, abi, id))
		return K_MUX_CONDITIONS;
	n = matching(p, abi, d, &uncond, &only);
	if (!uncond && n >= 2)
		return K_OVERLAP;
	/* one answer by any reading (no rule, or rules with one action, match)
	 * and muzzle gives it: libseccomp's program lost it (see
	 * diff_libseccomp_tree_fallthrough and diff_libseccomp_x86_nr_not_loaded) */
	if (!uncond && n <= 1 && mz == only && lib != only)
		return K_LIB_TREE;
	return K_NONE;
}

/* --- comparing ----------------------------------------------------------------------- */

struct totals {
	unsigned long policies, inputs, diffs, known[K_COUNT], unknown;
	unsigned long rc_diffs, rc_known, skipped_export, live_calls;
	int reported;
};

static struct totals tot;

static void report_unknown(const char *how, unsigned seed, const struct seccomp_data *d,
			   uint32_t lib, uint32_t mz)
{
	tot.unknown++;
	if (tot.reported++ < 12)
		T_CHECK(0, "%s: seed %u arch 0x%x nr 0x%x args 0x%llx,0x%llx,0x%llx,0x%llx,"
			"0x%llx,0x%llx: libseccomp 0x%x, muzzle 0x%x", how, seed, d->arch,
			(uint32_t)d->nr, (unsigned long long)d->args[0],
			(unsigned long long)d->args[1], (unsigned long long)d->args[2],
			(unsigned long long)d->args[3], (unsigned long long)d->args[4],
			(unsigned long long)d->args[5], lib, mz);
}

struct cmp {
	const struct policy *p;
	const struct bpf_prog *lib, *mz;
	unsigned seed;
	unsigned long diffs_here;
};

static void cmp_input(struct cmp *c, const struct seccomp_data *d)
{
	uint32_t x = bpf_run(c->lib->insns, c->lib->len, d, NULL);
	uint32_t y = bpf_run(c->mz->insns, c->mz->len, d, NULL);
	uint32_t e = policy_eval(c->p, d).action;
	enum known k;

	tot.inputs++;
	if (y != e) {
		report_unknown("muzzle BPF vs its policy", c->seed, d, e, y);
		return;
	}
	if (x == y)
		return;
	tot.diffs++;
	c->diffs_here++;
	k = classify(c->p, d, x, y);
	if (k == K_NONE || k == K_BUG_MASKED_DATUM)
		report_unknown(k == K_NONE ? "muzzle vs libseccomp" : "muzzle bug: masked datum",
			       c->seed, d, x, y);
	else
		tot.known[k]++;
}

/* Argument vectors from the constants of the rules on syscall id. */
static void cmp_call(struct cmp *c, uint32_t token, uint32_t nr, int id)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = token };

	cmp_input(c, &d);
	for (size_t i = 0; i < c->p->nrules; i++) {
		const struct policy_rule *r = &c->p->rules[i];

		if (id < 0 || r->sys != id)
			continue;
		for (unsigned k = 0; k < r->ncond; k++) {
			const struct policy_cond *pc = &r->cond[k];
			uint64_t base[6] = { 0 };

			/* the other conditions of the rule: their datums */
			for (unsigned j = 0; j < r->ncond; j++)
				base[r->cond[j].arg] = r->cond[j].datum;
			for (int v = 0; v < 6; v++) {
				uint64_t x = pc->datum;

				switch (v) {
				case 0: x = pc->datum - 1; break;
				case 1: x = pc->datum + 1; break;
				case 2: x = pc->datum ^ 0xffffffff00000000ull; break;
				case 3: x = pc->datum | ~pc->mask; break;
				case 4: x = rnd(); break;
				}
				memcpy(d.args, base, sizeof(base));
				d.args[pc->arg] = x;
				cmp_input(c, &d);
			}
		}
	}
	d.args[0] = rnd();
	d.args[1] = rnd() & 0xffffffffu;
	d.args[2] = rnd();
	cmp_input(c, &d);
}

static void cmp_abi(struct cmp *c, const struct arch_desc *abi)
{
	uint32_t bit = abi->id == ARCH_X32 ? ARCH_X32_SYSCALL_BIT : 0;
	int done_mux[2] = { 0, 0 };

	for (size_t i = 0; i < c->p->nrules; i++) {
		const struct policy_rule *r = &c->p->rules[i];
		enum arch_mux_kind kind;
		uint32_t call;
		int32_t nr;

		if (r->sys == POLICY_SYS_NR) {
			for (int dn = -1; dn <= 1; dn++)
				cmp_call(c, abi->token, r->nr + (uint32_t)dn, -1);
			continue;
		}
		nr = arch_syscall_nr(abi->id, r->sys);
		if (nr != ARCH_NR_NONE)
			for (int dn = -1; dn <= 1; dn++)
				cmp_call(c, abi->token, (uint32_t)nr + (uint32_t)dn,
					 arch_syscall_by_nr(abi->id, (uint32_t)nr + (uint32_t)dn));
		kind = arch_mux_lookup(abi->id, r->sys, &call);
		if (kind != ARCH_MUX_NONE && !done_mux[kind - 1]) {
			uint32_t mnr = (uint32_t)(kind == ARCH_MUX_SOCKETCALL ? abi->socketcall_nr
									 : abi->ipc_nr);
			struct seccomp_data d = { .nr = (int)mnr, .arch = abi->token };

			done_mux[kind - 1] = 1;
			for (uint32_t k = 0; k < 40; k++) {
				d.args[0] = k;
				d.args[1] = rnd();
				cmp_input(c, &d);
				d.args[0] = k | 0x10000;
				cmp_input(c, &d);
			}
		}
	}
	for (int k = 0; k < 4; k++) {
		uint32_t nr = bit | pick(500);

		cmp_call(c, abi->token, nr, arch_syscall_by_nr(abi->id, nr));
	}
	cmp_call(c, abi->token, bit | 4000, -1);
	cmp_call(c, abi->token, bit | 0x3fffffff, -1);
}

/* equiv_diff witnesses: classified like the sweep's inputs. */
static int on_diff(void *ctx, const struct seccomp_data *w, uint32_t lib, uint32_t mz)
{
	struct cmp *c = ctx;
	enum known k = classify(c->p, w, lib, mz);
	uint32_t e = policy_eval(c->p, w).action;

	if (e != mz) {
		report_unknown("equiv_diff: muzzle BPF vs its policy", c->seed, w, e, mz);
		return 0;
	}
	tot.inputs++;
	tot.diffs++;
	if (k == K_NONE || k == K_BUG_MASKED_DATUM)
		report_unknown(k == K_NONE ? "equiv_diff" : "equiv_diff: muzzle bug: masked datum",
			       c->seed, w, lib, mz);
	else
		tot.known[k]++;
	return 0;
}

/* --- the live sample ------------------------------------------------------------ */

static int live_excluded(uint32_t nr)
{
	return live_guarded(nr) || live_bypassed(ARCH_X86_64, nr);
}

/* The child reports through memory shared with the parent, which needs no
 * system call (the filter under test may deny exit_group itself), then leaves
 * by exit_group or, if that is denied, by a trap. */
static volatile int *live_slot;

static void leave(void)
{
	syscall(SYS_exit_group, 0);
	__builtin_trap();
}

static void on_sigsys(int sig)
{
	(void)sig;
	if (*live_slot < 0)	/* not a trap on the way out */
		*live_slot = TRAP_EXIT;
	leave();
}

static int kernel_class(const struct bpf_prog *f, const struct seccomp_data *d)
{
	int st;
	pid_t pid;

	*live_slot = -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct sigaction sa;
		long r;

		struct rlimit nocore = { 0, 0 };

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigsys;
		sigaction(SIGSYS, &sa, NULL);
		setrlimit(RLIMIT_CORE, &nocore);	/* the trap exit leaves no core */
		if (load_filter(live_guard, LIVE_GUARD_LEN, 0, 1) < 0)
			_exit(254);
		if (load_filter(f->insns, f->len, 0, 1) < 0)
			_exit(253);
		r = syscall((long)d->nr, d->args[0], d->args[1], d->args[2], d->args[3],
			    d->args[4], d->args[5]);
		*live_slot = r == -1 ? (errno & 0xff) : 0;
		leave();
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	if (*live_slot >= 0)
		return *live_slot;
	if (WIFSIGNALED(st))
		return WTERMSIG(st) == SIGSYS ? CLASS_KILL : CLASS_BROKEN + WTERMSIG(st);
	return 3000 + WEXITSTATUS(st);	/* could not load the filters */
}

static void live_sample(const struct policy *p, const struct bpf_prog *f, unsigned seed)
{
	for (int i = 0; i < LIVE_CALLS; i++) {
		struct seccomp_data d = { .arch = AUDIT_ARCH_X86_64 };
		const struct policy_rule *r = p->nrules ? &p->rules[pick((unsigned)p->nrules)] : NULL;
		int32_t nr = r && r->sys >= 0 ? arch_syscall_nr(ARCH_X86_64, r->sys) : ARCH_NR_NONE;
		uint32_t v;
		int want, got;

		d.nr = nr != ARCH_NR_NONE && pick(4) ? nr : (int)pick(470);
		if (r && pick(2))
			for (unsigned k = 0; k < r->ncond; k++)
				d.args[r->cond[k].arg] = r->cond[k].datum + pick(3) - 1;
		if (live_excluded((uint32_t)d.nr))
			continue;
		v = bpf_run(f->insns, f->len, &d, NULL);
		want = expected_class(v);
		got = kernel_class(f, &d);
		tot.live_calls++;
		if (got != want && tot.reported++ < 12)
			T_CHECK(0, "live: seed %u nr %d args 0x%llx,0x%llx: bpf 0x%x (class %d), "
				"kernel class %d", seed, d.nr, (unsigned long long)d.args[0],
				(unsigned long long)d.args[1], v, want, got);
		if (got != want)
			tot.unknown++;
	}
}

/* --- one policy ------------------------------------------------------------------- */

/* Known differences in return codes (each has a diff_* case). */
enum rc_known { R_NONE, R_EXACT_MULTI_ABI, R_MUX_CHAIN_CONFLICT, R_BUG_EXACT_PSEUDO, R_COUNT };

static const char *const rc_name[R_COUNT] = {
	"none", "exact_rule_multi_abi", "mux_chain_conflict",
	"fixed bug exact_pseudo_number_rc (must stay 0)",
};

/* Is the step's syscall reached through a multiplexer on an ABI of s? */
static int muxed_in(const struct seq *s, int sys)
{
	int id = compat_syscall_id(sys);
	uint32_t call;

	for (int i = 0; id >= 0 && i < s->narches; i++) {
		const struct arch_desc *a = arch_by_scmp_token(s->arches[i]);

		if (a && arch_mux_lookup(a->id, id, &call) != ARCH_MUX_NONE)
			return 1;
	}
	return 0;
}

static enum rc_known classify_rc(const struct seq *s, const struct step *t, int lib, int mz)
{
	/* libseccomp 2.5.4 refuses every exact rule once a context has a
	 * second ABI; muzzle adds it where the call exists on each ABI */
	if (t->exact && s->narches > 0 && lib == -EOPNOTSUPP && mz == 0)
		return R_EXACT_MULTI_ABI;
	/* libseccomp drops conditions on the socketcall/ipc copy of a rule, so a
	 * later rule on the same call with another action collides with it */
	if (lib == -EEXIST && mz == 0 && muxed_in(s, t->sys))
		return R_MUX_CHAIN_CONFLICT;
	/* muzzle bug: an exact rule on a pseudo number (a call the native ABI
	 * lacks) answers -EOPNOTSUPP where libseccomp answers -EDOM */
	if (t->exact && t->sys < 0 && lib == -EDOM && mz == -EOPNOTSUPP)
		return R_BUG_EXACT_PSEUDO;
	return R_NONE;
}

static unsigned long rc_known_count[R_COUNT];

static void one(const struct api *peer, unsigned seed)
{
	struct seq s;
	struct side lib, mz;
	struct cmp c;
	const struct policy *p;
	struct equiv_side sa, sb;
	struct equiv_result res;
	int same_rc = 0;

	rng_state = 0x9e3779b97f4a7c15ull ^ ((uint64_t)seed * 0x100000001b3ull);
	rnd();
	gen(&s);
	if (getenv("MUZZLE_SEED"))
		dump(&s);
	tot.policies++;
	/* run both; a step with a known difference in return codes is left out
	 * of both sequences and they run again, so the filters stay comparable */
	for (int iter = 0; ; iter++) {
		int i;

		run_seq(peer, &s, &lib);
		run_seq(&mz_api, &s, &mz);
		for (i = 0; i < lib.nrc && lib.rc[i] == mz.rc[i]; i++)
			;
		if (i == lib.nrc) {
			same_rc = 1;
			break;
		}
		tot.rc_diffs++;
		if (lib.step_of[i] >= 0 && iter < 16) {
			struct step *t = &s.steps[lib.step_of[i]];
			enum rc_known k = classify_rc(&s, t, lib.rc[i], mz.rc[i]);

			if (k != R_NONE && k != R_BUG_EXACT_PSEUDO) {
				rc_known_count[k]++;
				t->skip = 1;
				side_free(peer, &lib);
				side_free(&mz_api, &mz);
				continue;
			}
		}
		tot.unknown++;
		if (tot.reported++ < 12)
			T_CHECK(0, "seed %u call %d: libseccomp %d, muzzle %d", seed, i, lib.rc[i],
				mz.rc[i]);
		break;
	}
	if (!mz.exported || !lib.exported) {
		tot.skipped_export++;
		T_CHECK(mz.exported == lib.exported, "seed %u: exported: libseccomp %d, muzzle %d",
			seed, lib.exported, mz.exported);
		goto out;
	}
	p = &ctx_of(mz.c)->pol;

	/* 2. muzzle's program against muzzle's policy */
	sa = (struct equiv_side){ .policy = p };
	sb = (struct equiv_side){ .prog = mz.prog.insns, .prog_len = mz.prog.len };
	memset(&res, 0, sizeof(res));
	if (equiv_check(&sa, &sb, &res) != 0) {
		tot.unknown++;
		T_CHECK(0, "seed %u: equiv_check failed to run", seed);
	} else if (!res.equal) {
		report_unknown("equiv_check muzzle policy vs BPF", seed, &res.witness, res.action_a,
			       res.action_b);
	}
	tot.inputs += res.inputs;
	if (!same_rc)
		goto out;

	/* 3. muzzle's program against libseccomp's */
	c = (struct cmp){ .p = p, .lib = &lib.prog, .mz = &mz.prog, .seed = seed };
	for (int a = 0; a < ARCH_COUNT; a++)
		if (p->arches & ARCH_MASK(a))
			cmp_abi(&c, arch_get((enum arch_id)a));
	cmp_call(&c, 0x12345678, 0, -1);
	cmp_call(&c, AUDIT_ARCH_X86_64, 0xffffffffu, -1);
	sa = (struct equiv_side){ .prog = lib.prog.insns, .prog_len = lib.prog.len };
	T_CHECK(equiv_diff(&sa, &sb, on_diff, &c) >= 0, "seed %u: equiv_diff ran", seed);

	if (seed % LIVE_EVERY == 0 && live_slot)
		live_sample(p, &mz.prog, seed);
out:
	side_free(peer, &lib);
	side_free(&mz_api, &mz);
}

/* --- the named differences ---------------------------------------------------- */

/* The verdict of ctx's exported filter for one input. */
static uint32_t verdict(const struct api *a, scmp_filter_ctx c, uint32_t arch, uint32_t nr,
			const uint64_t *args)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch };
	struct bpf_prog prog;
	struct muzzle_error err;
	char buf[BPF_MAX_INSNS * 8];
	int fd = memfd_create("bpf", 0);
	ssize_t n;
	uint32_t v = 0xdeadbeef;

	if (args)
		memcpy(d.args, args, sizeof(d.args));
	bpf_prog_init(&prog);
	if (fd >= 0 && a->export_bpf(c, fd) == 0 && (n = pread(fd, buf, sizeof(buf), 0)) > 0 &&
	    bpf_read_raw(buf, (size_t)n, &prog, &err) == 0)
		v = bpf_run(prog.insns, prog.len, &d, NULL);
	if (fd >= 0)
		close(fd);
	bpf_prog_free(&prog);
	return v;
}

/* Both libraries: a fresh context (default def, x86 added when x86 is set). */
#define BOTH(i, apis, peer) \
	const struct api *apis[2] = { peer, &mz_api }; \
	for (int i = 0; i < 2; i++)

/* libseccomp 2.5.4 refuses an exact rule once the context has two ABIs;
 * muzzle adds it when the call exists on every ABI. */
static void diff_exact_multi_abi(const struct api *peer)
{
	int rc[2];

	t_begin("diff_exact_rule_multi_abi");
	BOTH(i, apis, peer) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_ALLOW);

		apis[i]->arch_add(c, SCMP_ARCH_X86);
		rc[i] = apis[i]->rule_add_exact_array(c, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 0, NULL);
		apis[i]->release(c);
	}
	T_EQ_I(rc[0], -EOPNOTSUPP);
	T_EQ_I(rc[1], 0);
	t_end();
}

/* With x86 in the context, libseccomp copies a rule on socket to
 * socketcall(SYS_SOCKET) without its conditions; a later unconditional rule
 * on socket with another action then collides there (-EEXIST).  muzzle
 * accepts it (the unconditional rule decides). */
static void diff_mux_chain_conflict(const struct api *peer)
{
	struct scmp_arg_cmp a4 = SCMP_A4(SCMP_CMP_LE, 0x100000000ull);
	int rc[2], native[2];

	t_begin("diff_mux_chain_conflict");
	BOTH(i, apis, peer) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_ERRNO(15));

		apis[i]->arch_add(c, SCMP_ARCH_X86);
		apis[i]->rule_add_array(c, SCMP_ACT_TRACE(2), SCMP_SYS(socket), 1, &a4);
		rc[i] = apis[i]->rule_add_array(c, SCMP_ACT_ERRNO(22), SCMP_SYS(socket), 0, NULL);
		apis[i]->release(c);
		/* the same on x86_64 alone: both accept */
		c = apis[i]->init(SCMP_ACT_ERRNO(15));
		apis[i]->rule_add_array(c, SCMP_ACT_TRACE(2), SCMP_SYS(socket), 1, &a4);
		native[i] = apis[i]->rule_add_array(c, SCMP_ACT_ERRNO(22), SCMP_SYS(socket), 0, NULL);
		apis[i]->release(c);
	}
	T_EQ_I(rc[0], -EEXIST);
	T_EQ_I(rc[1], 0);
	T_EQ_I(native[0], 0);
	T_EQ_I(native[1], 0);
	t_end();
}

/* libseccomp 2.5.4 bug: two rules testing the same argument with different
 * operators; when the second check of the first rule fails, its tree does not
 * go on to the other rule.  accept(A1 = 4, A4 = 0) matches only the NOTIFY
 * rule; libseccomp answers the default. */
static void diff_lib_tree_fallthrough(const struct api *peer)
{
	const uint64_t args[6] = { 0, 4, 0, 0, 0, 0 };
	struct scmp_arg_cmp r1[2] = { SCMP_A1(SCMP_CMP_LT, 0xffffffff), SCMP_A4(SCMP_CMP_EQ, 5) };
	struct scmp_arg_cmp r2 = SCMP_A1(SCMP_CMP_GT, 3);
	uint32_t v[2];

	t_begin("diff_libseccomp_tree_fallthrough");
	BOTH(i, apis, peer) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_ERRNO(8));

		apis[i]->rule_add_array(c, SCMP_ACT_TRACE(0), SCMP_SYS(accept), 2, r1);
		apis[i]->rule_add_array(c, SCMP_ACT_NOTIFY, SCMP_SYS(accept), 1, &r2);
		v[i] = verdict(apis[i], c, AUDIT_ARCH_X86_64, __NR_accept, args);
		apis[i]->release(c);
	}
	T_EQ_U(v[0], SCMP_ACT_ERRNO(8));
	T_EQ_U(v[1], SCMP_ACT_NOTIFY);
	t_end();
}

/* libseccomp 2.5.4 bug: with x86 in the context and only a conditional rule
 * on a multiplexed IPC call, the x86 part of its program compares syscall
 * numbers without loading seccomp_data.nr (the accumulator still holds the
 * arch token), so every i386 call gets the default: ipc(SEMOP) is not
 * killed. */
static void diff_x86_nr_not_loaded(const struct api *peer)
{
	const uint64_t args[6] = { 1, 0, 0, 0, 0, 0 };	/* SEMOP, semid, sops = 0 */
	struct scmp_arg_cmp a2 = SCMP_A2(SCMP_CMP_NE, 0x36);
	uint32_t x86[2], x64[2];

	t_begin("diff_libseccomp_x86_nr_not_loaded");
	BOTH(i, apis, peer) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_LOG);

		apis[i]->arch_add(c, SCMP_ARCH_X86);
		apis[i]->rule_add_array(c, SCMP_ACT_KILL_THREAD, SCMP_SYS(semop), 1, &a2);
		x86[i] = verdict(apis[i], c, AUDIT_ARCH_I386, 117, args);
		x64[i] = verdict(apis[i], c, AUDIT_ARCH_X86_64, __NR_semop, NULL);
		apis[i]->release(c);
	}
	T_EQ_U(x86[0], SCMP_ACT_LOG);
	T_EQ_U(x86[1], SCMP_ACT_KILL_THREAD);
	T_EQ_U(x64[0], SCMP_ACT_KILL_THREAD);
	T_EQ_U(x64[1], SCMP_ACT_KILL_THREAD);
	t_end();
}

/* On a 32-bit ABI, (A4 & 1 << 32) == 0 is always true: libseccomp drops the
 * condition and the rule becomes an unconditional one that decides before a
 * later unconditional rule; muzzle keeps it conditional, so the unconditional
 * rule decides.  On x86_64 both answer the unconditional rule. */
static void diff_vacuous_condition(const struct api *peer)
{
	struct scmp_arg_cmp a4 = SCMP_A4(SCMP_CMP_MASKED_EQ, 0x100000000ull, 0);
	uint32_t x86[2], x64[2];

	t_begin("diff_vacuous_32bit_condition");
	BOTH(i, apis, peer) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_KILL_PROCESS);

		apis[i]->arch_add(c, SCMP_ARCH_X86);
		apis[i]->rule_add_array(c, SCMP_ACT_TRAP, SCMP_SYS(fcntl), 1, &a4);
		apis[i]->rule_add_array(c, SCMP_ACT_TRACE(1), SCMP_SYS(fcntl), 0, NULL);
		x86[i] = verdict(apis[i], c, AUDIT_ARCH_I386, 55, NULL);
		x64[i] = verdict(apis[i], c, AUDIT_ARCH_X86_64, __NR_fcntl, NULL);
		apis[i]->release(c);
	}
	T_EQ_U(x86[0], SCMP_ACT_TRAP);
	T_EQ_U(x86[1], SCMP_ACT_TRACE(1));
	T_EQ_U(x64[0], SCMP_ACT_TRACE(1));
	T_EQ_U(x64[1], SCMP_ACT_TRACE(1));
	t_end();
}

/* A muzzle bug this test found (fixed in 4c90406), kept as a regression case:
 * libseccomp compares (arg & mask) == (datum & mask) for SCMP_CMP_MASKED_EQ;
 * the compat layer stored the datum unmasked, so a datum with bits outside
 * the mask never matched.  SCMP_A5(MASKED_EQ, 0x2, 0x3) with A5 = 2 matches. */
static void bug_masked_datum(const struct api *peer)
{
	const uint64_t args[6] = { 0, 0, 0, 0, 0, 2 };
	struct scmp_arg_cmp a5 = SCMP_A5(SCMP_CMP_MASKED_EQ, 0x2, 0x3);
	uint32_t v[2];

	t_begin("regress_compat_masked_eq_datum_outside_mask");
	BOTH(i, apis, peer) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_ERRNO(22));

		apis[i]->rule_add_array(c, SCMP_ACT_ERRNO(15), SCMP_SYS(getpid), 1, &a5);
		v[i] = verdict(apis[i], c, AUDIT_ARCH_X86_64, __NR_getpid, args);
		apis[i]->release(c);
	}
	T_EQ_U(v[0], SCMP_ACT_ERRNO(15));
	T_CHECK(v[1] == v[0], "muzzle 0x%x, libseccomp 0x%x", v[1], v[0]);
	t_end();
}

/* A muzzle bug this test found (fixed in 4c90406), kept as a regression case:
 * an exact rule on a pseudo number (a call the native ABI lacks, e.g.
 * socketcall on x86_64) answered -EOPNOTSUPP; libseccomp answers -EDOM. */
static void bug_exact_pseudo(const struct api *peer)
{
	int rc[2];

	t_begin("regress_compat_exact_pseudo_number_rc");
	BOTH(i, apis, peer) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_ALLOW);

		rc[i] = apis[i]->rule_add_exact_array(c, SCMP_ACT_ERRNO(1), SCMP_SYS(socketcall), 0,
						      NULL);
		apis[i]->release(c);
	}
	T_EQ_I(rc[0], -EDOM);
	T_CHECK(rc[1] == rc[0], "muzzle %d, libseccomp %d", rc[1], rc[0]);
	t_end();
}

int main(void)
{
	static struct api peer;
	unsigned long known = 0;

	if (!load_peer(&peer)) {
		t_skip("random_diff", "libseccomp.so.2 not found (apt-get install libseccomp2)");
		return t_done();
	}
	live_slot = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	if (live_slot == MAP_FAILED)
		live_slot = NULL;
	t_begin("random_policies");
	T_CHECK(live_slot != NULL, "shared page for the live sample");
	if (getenv("MUZZLE_SEED")) {
		one(&peer, (unsigned)atoi(getenv("MUZZLE_SEED")));
		return t_done();
	}
	for (unsigned seed = 1; seed <= NPOLICIES; seed++)
		one(&peer, seed);
	for (int k = 1; k < K_COUNT; k++) {
		known += tot.known[k];
		printf("# known difference %s: %lu inputs\n", known_name[k], tot.known[k]);
	}
	for (int k = 1; k < R_COUNT; k++) {
		known += rc_known_count[k];
		printf("# known difference %s: %lu return codes\n", rc_name[k], rc_known_count[k]);
	}
	printf("# live: %lu calls compared with the kernel\n", tot.live_calls);
	printf("# random policies: %lu, inputs compared: %lu, differences: %lu (known: %lu)\n",
	       tot.policies, tot.inputs + tot.live_calls, known + tot.unknown, known);
	T_CHECK(tot.unknown == 0, "%lu unexplained differences", tot.unknown);
	t_end();
	/* each known difference the loop counts, asserted on its own; the
	 * others (nr -1, x32 width, ipc version, socketcall conditions,
	 * overlapping conditions) are diff_* cases of test_vs_libseccomp */
	diff_exact_multi_abi(&peer);
	diff_mux_chain_conflict(&peer);
	diff_lib_tree_fallthrough(&peer);
	diff_vacuous_condition(&peer);
	diff_x86_nr_not_loaded(&peer);
	bug_masked_datum(&peer);
	bug_exact_pseudo(&peer);
	return t_done();
}
