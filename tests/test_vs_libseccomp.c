/* Differential tests against Debian's libseccomp (dlopen'ed: libmuzzle
 * defines the same symbols and is linked in).  Each scenario is one call
 * sequence run against both libraries: the return codes must match, and the
 * exported filters must give the same action for every syscall number of
 * every ABI in the filter (bpf_run), with argument values at and around
 * every constant the scenario used, and pass equiv_check.
 *
 * The peer is libseccomp 2.5.4; muzzle implements 2.6.  Every known
 * difference has its own case below (diff_*), which asserts exactly that
 * difference, so a change on either side shows up. */
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <seccomp.h>
#include "bpf/bpf.h"
#include "policy/equiv.h"
#include "harness.h"

struct api {
	const char *name;
	scmp_filter_ctx (*init)(uint32_t);
	int (*reset)(scmp_filter_ctx, uint32_t);
	void (*release)(scmp_filter_ctx);
	int (*merge)(scmp_filter_ctx, scmp_filter_ctx);
	int (*arch_add)(scmp_filter_ctx, uint32_t);
	int (*arch_remove)(scmp_filter_ctx, uint32_t);
	int (*arch_exist)(const scmp_filter_ctx, uint32_t);
	int (*rule_add_array)(scmp_filter_ctx, uint32_t, int, unsigned,
			      const struct scmp_arg_cmp *);
	int (*rule_add_exact_array)(scmp_filter_ctx, uint32_t, int, unsigned,
				    const struct scmp_arg_cmp *);
	int (*attr_set)(scmp_filter_ctx, enum scmp_filter_attr, uint32_t);
	int (*attr_get)(const scmp_filter_ctx, enum scmp_filter_attr, uint32_t *);
	int (*priority)(scmp_filter_ctx, int, uint8_t);
	int (*export_bpf)(const scmp_filter_ctx, int);
	int (*name_arch)(uint32_t, const char *);
	int (*name_rewrite)(uint32_t, const char *);
	char *(*num_arch)(uint32_t, int);
	uint32_t (*arch_name)(const char *);
	unsigned (*api_get)(void);
};

static const struct api muzzle_api = {
	"muzzle", seccomp_init, seccomp_reset, seccomp_release, seccomp_merge,
	seccomp_arch_add, seccomp_arch_remove, seccomp_arch_exist, seccomp_rule_add_array,
	seccomp_rule_add_exact_array, seccomp_attr_set, seccomp_attr_get,
	seccomp_syscall_priority, seccomp_export_bpf, seccomp_syscall_resolve_name_arch,
	seccomp_syscall_resolve_name_rewrite, seccomp_syscall_resolve_num_arch,
	seccomp_arch_resolve_name, seccomp_api_get,
};

static int load_peer(struct api *a)
{
	void *h = dlopen("libseccomp.so.2", RTLD_NOW | RTLD_LOCAL);
	int ok = 1;

	if (!h)
		return 0;
	memset(a, 0, sizeof(*a));
	a->name = "libseccomp";
#define SYM(field, sym) do { \
		*(void **)&a->field = dlsym(h, sym); \
		ok = ok && a->field != NULL; \
	} while (0)
	SYM(init, "seccomp_init");
	SYM(reset, "seccomp_reset");
	SYM(release, "seccomp_release");
	SYM(merge, "seccomp_merge");
	SYM(arch_add, "seccomp_arch_add");
	SYM(arch_remove, "seccomp_arch_remove");
	SYM(arch_exist, "seccomp_arch_exist");
	SYM(rule_add_array, "seccomp_rule_add_array");
	SYM(rule_add_exact_array, "seccomp_rule_add_exact_array");
	SYM(attr_set, "seccomp_attr_set");
	SYM(attr_get, "seccomp_attr_get");
	SYM(priority, "seccomp_syscall_priority");
	SYM(export_bpf, "seccomp_export_bpf");
	SYM(name_arch, "seccomp_syscall_resolve_name_arch");
	SYM(name_rewrite, "seccomp_syscall_resolve_name_rewrite");
	SYM(num_arch, "seccomp_syscall_resolve_num_arch");
	SYM(arch_name, "seccomp_arch_resolve_name");
	SYM(api_get, "seccomp_api_get");
#undef SYM
	return ok;
}

/* What one library did with a scenario. */
struct rec {
	int rc[128];
	int n;
	struct bpf_prog prog;
	int exported;
	uint64_t datums[64];	/* argument constants the scenario used */
	int ndatums;
	uint32_t arches[8];	/* SCMP_ARCH_* tokens in the filter */
	int narches;
	int foreign;		/* exported in the other byte order: swap back */
};

struct run {
	const struct api *a;
	scmp_filter_ctx c;
	struct rec *r;
};

static void note(struct run *u, int rc)
{
	if (u->r->n < 128)
		u->r->rc[u->r->n++] = rc;
}

static void rule(struct run *u, uint32_t action, int sys, unsigned n, const struct scmp_arg_cmp *a)
{
	for (unsigned i = 0; i < n && u->r->ndatums < 62; i++) {
		u->r->datums[u->r->ndatums++] = a[i].datum_a;
		if (a[i].op == SCMP_CMP_MASKED_EQ)
			u->r->datums[u->r->ndatums++] = a[i].datum_b;
	}
	note(u, u->a->rule_add_array(u->c, action, sys, n, a));
}

static void exact(struct run *u, uint32_t action, int sys, unsigned n,
		  const struct scmp_arg_cmp *a)
{
	note(u, u->a->rule_add_exact_array(u->c, action, sys, n, a));
}

#define R0(u, act, sys) rule(u, act, sys, 0, NULL)
#define R(u, act, sys, ...) do { \
		const struct scmp_arg_cmp a_[] = { __VA_ARGS__ }; \
		rule(u, act, sys, sizeof(a_) / sizeof(a_[0]), a_); \
	} while (0)

static void arch(struct run *u, uint32_t token)
{
	int rc = u->a->arch_add(u->c, token);

	note(u, rc);
	if (rc == 0 && u->r->narches < 8)
		u->r->arches[u->r->narches++] = token;
}

static void export(struct run *u)
{
	int fd = memfd_create("bpf", 0);
	off_t size;
	char *buf;
	struct muzzle_error err;

	note(u, u->a->export_bpf(u->c, fd));
	size = lseek(fd, 0, SEEK_END);
	buf = size > 0 ? malloc((size_t)size) : NULL;
	if (buf && pread(fd, buf, (size_t)size, 0) == size &&
	    bpf_read_raw(buf, (size_t)size, &u->r->prog, &err) == 0)
		u->r->exported = 1;
	for (size_t i = 0; u->r->foreign && i < u->r->prog.len; i++) {
		u->r->prog.insns[i].code = __builtin_bswap16(u->r->prog.insns[i].code);
		u->r->prog.insns[i].k = __builtin_bswap32(u->r->prog.insns[i].k);
	}
	free(buf);
	close(fd);
}

typedef void (*scenario)(struct run *u);

static void run_on(const struct api *a, scenario s, struct rec *r)
{
	struct run u = { .a = a, .r = r };

	memset(r, 0, sizeof(*r));
	bpf_prog_init(&r->prog);
	r->arches[r->narches++] = SCMP_ARCH_X86_64;
	s(&u);
	if (u.c)
		a->release(u.c);
}

/* --- comparing filters -------------------------------------------------- */

struct cmp {
	const struct rec *a, *b;
	int diffs;
	unsigned long inputs;
};

/* Inputs where the two libraries are known to differ; each has a diff_*
 * case of its own below. */
static int known_diff(const struct seccomp_data *d)
{
	uint32_t nr = (uint32_t)d->nr;
	const struct arch_desc *abi;
	int high = 0;

	for (int i = 0; i < 6; i++)
		high |= (d->args[i] >> 32) != 0;
	/* nr -1 on the x86_64 token: libseccomp's x86_64 filter, muzzle's
	 * x32 range (see diff_nr_minus_one) */
	if (d->arch == AUDIT_ARCH_X86_64 && nr == 0xffffffffu)
		return 1;
	/* x32: libseccomp compares the low 32 bits of arguments only */
	if (d->arch == AUDIT_ARCH_X86_64 && (nr & ARCH_X32_SYSCALL_BIT) && high)
		return 1;
	/* multiplexers: the kernel reads socketcall's call as an int and
	 * ipc's as 16 bits (plus a version); muzzle masks the same bits,
	 * libseccomp compares the whole argument (see diff_mux_call_bits) */
	abi = arch_for_data(d->arch, nr);
	if (abi && abi->socketcall_nr != ARCH_NR_NONE && nr == (uint32_t)abi->socketcall_nr &&
	    (d->args[0] >> 32))
		return 1;
	if (abi && abi->ipc_nr != ARCH_NR_NONE && nr == (uint32_t)abi->ipc_nr &&
	    (d->args[0] >> 16))
		return 1;
	return 0;
}

static void cmp_one(struct cmp *c, uint32_t token, uint32_t nr, const uint64_t *args)
{
	struct seccomp_data d;
	uint32_t x, y;

	memset(&d, 0, sizeof(d));
	d.arch = token;
	d.nr = (int)nr;
	memcpy(d.args, args, sizeof(d.args));
	if (known_diff(&d))
		return;
	x = bpf_run(c->a->prog.insns, c->a->prog.len, &d, NULL);
	y = bpf_run(c->b->prog.insns, c->b->prog.len, &d, NULL);
	c->inputs++;
	if (x != y && c->diffs++ < 5)
		T_CHECK(0, "arch 0x%x nr %u args 0x%llx,0x%llx,0x%llx: libseccomp 0x%x, muzzle 0x%x",
			token, nr, (unsigned long long)args[0], (unsigned long long)args[1],
			(unsigned long long)args[2], x, y);
}

/* zeros, then each datum (and its neighbours) in each argument position */
static void cmp_nr(struct cmp *c, uint32_t token, uint32_t nr)
{
	uint64_t args[6] = { 0 };

	cmp_one(c, token, nr, args);
	for (int i = 0; i < c->a->ndatums; i++)
		for (int pos = 0; pos < 6; pos++)
			for (int delta = -1; delta <= 1; delta++) {
				memset(args, 0, sizeof(args));
				args[pos] = c->a->datums[i] + (uint64_t)(int64_t)delta;
				cmp_one(c, token, nr, args);
				args[pos] |= 0xffffffff00000000ull;
				cmp_one(c, token, nr, args);
			}
}

struct diffs {
	int unexpected;
	unsigned long known;
};

static int on_diff(void *ctx, const struct seccomp_data *w, uint32_t a, uint32_t b)
{
	struct diffs *d = ctx;

	if (known_diff(w)) {
		d->known++;
		return 0;
	}
	if (d->unexpected++ < 3)
		T_CHECK(0, "equiv_diff: arch 0x%x nr %u args 0x%llx,0x%llx: libseccomp 0x%x, "
			"muzzle 0x%x", w->arch, (uint32_t)w->nr, (unsigned long long)w->args[0],
			(unsigned long long)w->args[1], a, b);
	return 0;
}

static void cmp_filters(const struct rec *lib, const struct rec *mz)
{
	struct cmp c = { .a = lib, .b = mz };
	struct equiv_side sa = { .prog = lib->prog.insns, .prog_len = lib->prog.len };
	struct equiv_side sb = { .prog = mz->prog.insns, .prog_len = mz->prog.len };
	struct diffs dd = { 0 };

	for (int i = 0; i < lib->narches; i++) {
		const struct arch_desc *d = arch_by_scmp_token(lib->arches[i]);
		uint32_t bit = d->id == ARCH_X32 ? ARCH_X32_SYSCALL_BIT : 0;

		for (uint32_t nr = 0; nr < 1100; nr++)
			cmp_nr(&c, d->token, bit | nr);
		cmp_nr(&c, d->token, bit | 0x3fffffffu);
		cmp_nr(&c, d->token, 0xffffffffu);
	}
	cmp_nr(&c, 0x12345678, 0);	/* an ABI neither filter knows */
	T_CHECK(equiv_diff(&sa, &sb, on_diff, &dd) >= 0, "equiv_diff ran");
	printf("# %lu inputs compared by sweep; equiv_diff: %d unexpected, %lu known "
	       "differences\n", c.inputs, dd.unexpected, dd.known);
}

static void compare(const char *name, const struct api *peer, scenario s)
{
	static struct rec lib, mz;

	t_begin(name);
	run_on(peer, s, &lib);
	run_on(&muzzle_api, s, &mz);
	T_CHECK(lib.n == mz.n, "call counts %d vs %d", lib.n, mz.n);
	for (int i = 0; i < lib.n && i < mz.n; i++)
		T_CHECK(lib.rc[i] == mz.rc[i], "call %d: libseccomp %d, muzzle %d", i, lib.rc[i],
			mz.rc[i]);
	T_CHECK(lib.exported == mz.exported, "both exported or neither");
	if (lib.exported && mz.exported)
		cmp_filters(&lib, &mz);
	bpf_prog_free(&lib.prog);
	bpf_prog_free(&mz.prog);
	t_end();
}

/* --- scenarios ------------------------------------------------------------ */

static void s_seed(struct run *u)
{
	u->c = u->a->init(SCMP_ACT_KILL);
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(read));
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(write));
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(sigreturn));
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(exit_group));
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(read));
	export(u);
}

static void s_args(struct run *u)
{
	u->c = u->a->init(SCMP_ACT_ERRNO(1));
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(read));
	R(u, SCMP_ACT_ERRNO(5), SCMP_SYS(write), SCMP_A0(SCMP_CMP_EQ, 2));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(write), SCMP_A0(SCMP_CMP_EQ, 1));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(openat), SCMP_A2(SCMP_CMP_MASKED_EQ, 3, 0));
	R(u, SCMP_ACT_ERRNO(13), SCMP_SYS(openat), SCMP_A2(SCMP_CMP_MASKED_EQ, 3, 1));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), SCMP_A1(SCMP_CMP_EQ, 0x5401));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(mmap), SCMP_A0(SCMP_CMP_GT, 0x100000000ull));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(munmap), SCMP_A1(SCMP_CMP_LE, 4096));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), SCMP_A2(SCMP_CMP_NE, 7));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(brk), SCMP_A0(SCMP_CMP_LT, 0x7fff00000000ull));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(dup), SCMP_A0(SCMP_CMP_GE, 3));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(dup3), SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A1(SCMP_CMP_EQ, 2),
	  SCMP_A2(SCMP_CMP_EQ, 0));
	R0(u, SCMP_ACT_TRAP, SCMP_SYS(getuid));
	R0(u, SCMP_ACT_KILL_PROCESS, SCMP_SYS(reboot));
	R0(u, SCMP_ACT_LOG, SCMP_SYS(getgid));
	R0(u, SCMP_ACT_TRACE(7), SCMP_SYS(getpid));
	R0(u, SCMP_ACT_NOTIFY, SCMP_SYS(getppid));
	R0(u, SCMP_ACT_KILL_THREAD, SCMP_SYS(kexec_load));
	R(u, SCMP_ACT_ERRNO(2), SCMP_SYS(fstat), SCMP_A0(SCMP_CMP_EQ, 1));
	R(u, SCMP_ACT_ERRNO(4), SCMP_SYS(fstat), SCMP_A0(SCMP_CMP_GE, 1));
	export(u);
}

static void s_multiarch(struct run *u)
{
	u->c = u->a->init(SCMP_ACT_ERRNO(38));
	arch(u, SCMP_ARCH_X86);
	arch(u, SCMP_ARCH_X32);
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(read));
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(write));
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(socket));
	R0(u, SCMP_ACT_ERRNO(13), SCMP_SYS(connect));
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(shmget));
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(exit_group));
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(socketcall));
	R0(u, SCMP_ACT_TRAP, SCMP_SYS(uname));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(close), SCMP_A0(SCMP_CMP_EQ, 3));
	R0(u, SCMP_ACT_ALLOW, 5000);	/* unknown on the other ABIs: -EFAULT */
	export(u);
}

static void s_badarch(struct run *u)
{
	u->c = u->a->init(SCMP_ACT_ALLOW);
	note(u, u->a->attr_set(u->c, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(9)));
	note(u, u->a->arch_remove(u->c, SCMP_ARCH_NATIVE));
	u->r->narches = 0;
	arch(u, SCMP_ARCH_AARCH64);
	arch(u, SCMP_ARCH_ARM);
	arch(u, SCMP_ARCH_RISCV64);
	R0(u, SCMP_ACT_ERRNO(1), SCMP_SYS(ptrace));
	R0(u, SCMP_ACT_KILL, SCMP_SYS(kexec_load));
	R(u, SCMP_ACT_ERRNO(2), SCMP_SYS(personality), SCMP_A0(SCMP_CMP_NE, 0));
	export(u);
}

/* 64-bit data on a 32-bit ABI: both use the low 32 bits. */
static void s_x86_wide(struct run *u)
{
	u->c = u->a->init(SCMP_ACT_ALLOW);
	note(u, u->a->arch_remove(u->c, SCMP_ARCH_NATIVE));
	u->r->narches = 0;
	arch(u, SCMP_ARCH_X86);
	R(u, SCMP_ACT_ERRNO(1), SCMP_SYS(close), SCMP_A0(SCMP_CMP_EQ, 0x100000001ull));
	R(u, SCMP_ACT_ERRNO(2), SCMP_SYS(dup), SCMP_A0(SCMP_CMP_GT, 0x100000001ull));
	R(u, SCMP_ACT_ERRNO(3), SCMP_SYS(dup2),
	  SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffff00000001ull, 1));
	R(u, SCMP_ACT_ERRNO(4), SCMP_SYS(read), SCMP_A2_32(SCMP_CMP_LE, -1));
	R(u, SCMP_ACT_ERRNO(5), SCMP_SYS(write), SCMP_A2(SCMP_CMP_LT, 4096),
	  SCMP_A0(SCMP_CMP_NE, 1));
	export(u);
}

/* Big-endian ABIs: the argument words sit the other way round, and both
 * libraries export the program in the ABIs' byte order. */
static void s_big_endian(struct run *u)
{
	u->r->foreign = 1;
	u->c = u->a->init(SCMP_ACT_ERRNO(1));
	note(u, u->a->arch_remove(u->c, SCMP_ARCH_NATIVE));
	u->r->narches = 0;
	arch(u, SCMP_ARCH_PPC64);
	arch(u, SCMP_ARCH_S390X);
	arch(u, SCMP_ARCH_MIPS);
	arch(u, SCMP_ARCH_S390);
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(read));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(write), SCMP_A0(SCMP_CMP_EQ, 0x100000002ull));
	R(u, SCMP_ACT_ERRNO(7), SCMP_SYS(openat), SCMP_A2(SCMP_CMP_MASKED_EQ, 0x300000003ull, 1));
	R(u, SCMP_ACT_TRAP, SCMP_SYS(mmap), SCMP_A1(SCMP_CMP_GE, 0x80000000ull));
	R0(u, SCMP_ACT_ALLOW, SCMP_SYS(socket));
	export(u);
}

static void s_denylist(struct run *u)
{
	u->c = u->a->init(SCMP_ACT_ALLOW);
	R0(u, SCMP_ACT_ERRNO(1), SCMP_SYS(ptrace));
	R0(u, SCMP_ACT_ERRNO(1), SCMP_SYS(mount));
	R0(u, SCMP_ACT_KILL_PROCESS, SCMP_SYS(init_module));
	R(u, SCMP_ACT_ERRNO(22), SCMP_SYS(clone), SCMP_A0(SCMP_CMP_MASKED_EQ, 0x10000000, 0x10000000));
	R(u, SCMP_ACT_ERRNO(22), SCMP_SYS(unshare), SCMP_A0(SCMP_CMP_MASKED_EQ, 0x7e020000, 0));
	note(u, u->a->priority(u->c, SCMP_SYS(ptrace), 200));
	note(u, u->a->priority(u->c, -50, 1));
	note(u, u->a->attr_set(u->c, SCMP_FLTATR_API_TSKIP, 1));
	R0(u, SCMP_ACT_ERRNO(3), -1);
	export(u);
}

static void s_errors(struct run *u)
{
	struct scmp_arg_cmp bad[7] = { { 0 } };
	uint32_t v = 0;

	u->c = u->a->init(SCMP_ACT_KILL);
	R0(u, SCMP_ACT_KILL, SCMP_SYS(read));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(read), SCMP_CMP(6, SCMP_CMP_EQ, 1));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(read), SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A0(SCMP_CMP_EQ, 2));
	rule(u, SCMP_ACT_ALLOW, SCMP_SYS(read), 7, bad);
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(read), SCMP_A0(0, 1));
	R(u, SCMP_ACT_ALLOW, SCMP_SYS(read), SCMP_A0(8, 1));
	R0(u, SCMP_ACT_ALLOW, -1);
	R0(u, SCMP_ACT_ALLOW, -50);
	R0(u, SCMP_ACT_ALLOW, -200000);
	R0(u, 0x12345678, SCMP_SYS(read));
	R0(u, SCMP_ACT_ERRNO(4095), SCMP_SYS(read));
	R0(u, SCMP_ACT_TRAP | 1, SCMP_SYS(read));
	R(u, SCMP_ACT_ERRNO(1), 6, SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A1(SCMP_CMP_EQ, 1));
	R(u, SCMP_ACT_ERRNO(2), 6, SCMP_A1(SCMP_CMP_EQ, 1), SCMP_A0(SCMP_CMP_EQ, 1));
	R(u, SCMP_ACT_ERRNO(3), 6, SCMP_A0(SCMP_CMP_EQ, 1));
	R(u, SCMP_ACT_ERRNO(1), 6, SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A1(SCMP_CMP_EQ, 1));
	R0(u, SCMP_ACT_ALLOW, 3);
	R0(u, SCMP_ACT_ERRNO(1), 3);
	exact(u, SCMP_ACT_ALLOW, 5000, 0, NULL);
	exact(u, SCMP_ACT_ALLOW, SCMP_SYS(socketcall), 0, NULL);
	exact(u, SCMP_ACT_ALLOW, -200000, 0, NULL);
	R(u, SCMP_ACT_ERRNO(15), SCMP_SYS(getpid), SCMP_A5(SCMP_CMP_MASKED_EQ, 0x2, 0x3));
	note(u, u->a->arch_add(u->c, SCMP_ARCH_NATIVE));
	note(u, u->a->arch_add(u->c, 0x1234));
	note(u, u->a->arch_exist(u->c, SCMP_ARCH_X86));
	note(u, u->a->arch_exist(u->c, 0x1234));
	note(u, u->a->arch_remove(u->c, SCMP_ARCH_X86));
	arch(u, SCMP_ARCH_X86);
	note(u, u->a->arch_add(u->c, SCMP_ARCH_PPC64));	/* other byte order */
	exact(u, SCMP_ACT_ALLOW, 5001, 0, NULL);
	R0(u, SCMP_ACT_ERRNO(9), SCMP_SYS(socketcall));
	exact(u, SCMP_ACT_ALLOW, SCMP_SYS(accept), 0, NULL);
	exact(u, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 0, NULL);
	exact(u, SCMP_ACT_ALLOW, -200000, 0, NULL);
	note(u, u->a->attr_set(u->c, SCMP_FLTATR_ACT_DEFAULT, SCMP_ACT_ALLOW));
	note(u, u->a->attr_set(u->c, SCMP_FLTATR_ACT_BADARCH, 0x12345678));
	note(u, u->a->attr_set(u->c, SCMP_FLTATR_CTL_NNP, 2));
	note(u, u->a->attr_get(u->c, SCMP_FLTATR_CTL_NNP, &v));
	note(u, (int)v);
	note(u, u->a->attr_set(u->c, SCMP_FLTATR_CTL_OPTIMIZE, 3));
	note(u, u->a->attr_set(u->c, SCMP_FLTATR_CTL_OPTIMIZE, 2));
	note(u, u->a->attr_set(u->c, SCMP_FLTATR_CTL_TSYNC, 1));
	note(u, u->a->attr_set(u->c, SCMP_FLTATR_CTL_LOG, 1));
	note(u, u->a->attr_set(u->c, SCMP_FLTATR_CTL_SSB, 1));
	note(u, u->a->attr_set(u->c, 0, 1));
	note(u, u->a->attr_get(u->c, 0, &v));
	export(u);
}

/* Calls that fail while translating a number to another ABI.  libseccomp
 * 2.5.4 may leave a failed rule half added (fixed in 2.6), so each runs on
 * a fresh context and nothing follows it. */
static void s_xlate_5001(struct run *u)
{
	u->c = u->a->init(SCMP_ACT_KILL);
	arch(u, SCMP_ARCH_X86);
	R0(u, SCMP_ACT_ALLOW, 5001);
}

static void s_xlate_pseudo(struct run *u)
{
	u->c = u->a->init(SCMP_ACT_KILL);
	arch(u, SCMP_ARCH_X86);
	R0(u, SCMP_ACT_ALLOW, -101);
}

static void s_xlate_priority(struct run *u)
{
	u->c = u->a->init(SCMP_ACT_KILL);
	arch(u, SCMP_ARCH_X86);
	note(u, u->a->priority(u->c, 5000, 1));
	note(u, u->a->priority(u->c, -101, 1));
}

static scmp_filter_ctx other(struct run *u, uint32_t def, uint32_t token)
{
	scmp_filter_ctx c = u->a->init(def);

	u->a->arch_remove(c, SCMP_ARCH_NATIVE);
	u->a->arch_add(c, token);
	return c;
}

static void try_merge(struct run *u, scmp_filter_ctx o)
{
	int rc = u->a->merge(u->c, o);

	note(u, rc);
	if (rc)
		u->a->release(o);
}

static void s_merge(struct run *u)
{
	scmp_filter_ctx o;

	u->c = u->a->init(SCMP_ACT_ALLOW);
	R0(u, SCMP_ACT_ERRNO(1), SCMP_SYS(read));
	try_merge(u, u->a->init(SCMP_ACT_ALLOW));
	try_merge(u, other(u, SCMP_ACT_ERRNO(1), SCMP_ARCH_X86));
	o = other(u, SCMP_ACT_ALLOW, SCMP_ARCH_X86);
	u->a->attr_set(o, SCMP_FLTATR_CTL_NNP, 0);
	try_merge(u, o);
	o = other(u, SCMP_ACT_ALLOW, SCMP_ARCH_X86);
	u->a->arch_remove(o, SCMP_ARCH_X86);
	try_merge(u, o);
	o = other(u, SCMP_ACT_ALLOW, SCMP_ARCH_X86);
	u->a->attr_set(o, SCMP_FLTATR_CTL_TSYNC, 1);
	try_merge(u, o);
	try_merge(u, other(u, SCMP_ACT_ALLOW, SCMP_ARCH_PPC64));
	o = other(u, SCMP_ACT_ALLOW, SCMP_ARCH_X86);
	u->a->attr_set(o, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(3));	/* not compared */
	u->a->attr_set(o, SCMP_FLTATR_CTL_LOG, 1);
	u->a->rule_add_array(o, SCMP_ACT_ERRNO(2), SCMP_SYS(write), 0, NULL);
	u->a->rule_add_array(o, SCMP_ACT_ERRNO(3), SCMP_SYS(socket), 0, NULL);
	try_merge(u, o);
	u->r->arches[u->r->narches++] = SCMP_ARCH_X86;
	note(u, u->a->reset(u->c, 0x12345678));
	export(u);
}

static void s_resolve(struct run *u)
{
	static const char *const names[] = {
		"read", "socket", "socketcall", "shmget", "ipc", "accept", "recv", "open",
		"nosuch", "exit_group", "sigreturn", "mmap", "mmap2", "_llseek", "getrandom",
	};
	static const uint32_t tokens[] = {
		SCMP_ARCH_NATIVE, SCMP_ARCH_X86, SCMP_ARCH_X86_64, SCMP_ARCH_X32, SCMP_ARCH_ARM,
		SCMP_ARCH_AARCH64, SCMP_ARCH_MIPS, SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC64LE,
		SCMP_ARCH_S390X, SCMP_ARCH_RISCV64, 0x1234,
	};
	static const char *const arches[] = {
		"x86", "x86_64", "x32", "arm", "aarch64", "mips", "mipsel64n32", "ppc64le",
		"s390", "s390x", "riscv64", "parisc64", "amd64", "i386", "",
	};

	for (size_t t = 0; t < sizeof(tokens) / sizeof(tokens[0]); t++)
		for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
			note(u, u->a->name_arch(tokens[t], names[n]));
			note(u, u->a->name_rewrite(tokens[t], names[n]));
		}
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		note(u, (int)u->a->arch_name(arches[i]));
	for (int nr = -10060; nr <= 3; nr += 10063 / 3) {
		char *s = u->a->num_arch(SCMP_ARCH_NATIVE, nr);

		note(u, s ? (int)strlen(s) : -1);
		free(s);
	}
}

/* The resolve tables differ where libseccomp 2.5.4's are older than
 * muzzle's (Linux 7.1): every difference must be a call the peer does not
 * know on that ABI (it answers a negative number) and muzzle does. */
static void diff_tables(const struct api *peer)
{
	static const uint32_t tokens[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32,
					   SCMP_ARCH_AARCH64, SCMP_ARCH_ARM };
	int same = 0, newer = 0;

	t_begin("diff_syscall_tables");
	for (size_t t = 0; t < sizeof(tokens) / sizeof(tokens[0]); t++)
		for (int id = 0; id < arch_syscall_count(); id++) {
			const char *name = arch_syscall_name(id);
			int x = peer->name_arch(tokens[t], name);
			int y = muzzle_api.name_arch(tokens[t], name);

			if (x == y) {
				same++;
				continue;
			}
			newer++;
			/* the peer lacks the call (pseudo number) or the name (-1) */
			T_CHECK(x < 0 && y != __NR_SCMP_ERROR, "%s on 0x%x: libseccomp %d, muzzle %d",
				name, tokens[t], x, y);
		}
	printf("# %d answers equal, %d newer in muzzle\n", same, newer);
	T_CHECK(same > 1000, "most answers agree");
	/* loongarch64 / sh / m68k: ABIs 2.6 added */
	T_EQ_U(peer->arch_name("loongarch64"), 0);
	T_EQ_U(muzzle_api.arch_name("loongarch64"), SCMP_ARCH_LOONGARCH64);
	t_end();
}

/* muzzle implements the 2.6 additions the peer lacks. */
static void diff_api26(const struct api *peer)
{
	scmp_filter_ctx a = peer->init(SCMP_ACT_ALLOW), b = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t v = 9;

	t_begin("diff_api_2_6");
	T_EQ_I(peer->attr_get(a, SCMP_FLTATR_CTL_WAITKILL, &v), -EINVAL);
	T_EQ_I(seccomp_attr_get(b, SCMP_FLTATR_CTL_WAITKILL, &v), 0);
	T_EQ_U(v, 0);
	T_CHECK(peer->api_get() <= 6, "2.5.4 stops at API level 6");
	T_CHECK(seccomp_api_get() == 7, "muzzle: level 7 on this kernel (WAIT_KILLABLE_RECV)");
	peer->release(a);
	seccomp_release(b);
	t_end();
}

/* An exact rule for socket on a context with x86: x86 has a direct
 * socket(2), which muzzle uses; 2.5.4 refuses the rule. */
static void diff_exact_socket(const struct api *peer)
{
	scmp_filter_ctx a = peer->init(SCMP_ACT_ALLOW), b = seccomp_init(SCMP_ACT_ALLOW);

	t_begin("diff_exact_socket_x86");
	peer->arch_add(a, SCMP_ARCH_X86);
	seccomp_arch_add(b, SCMP_ARCH_X86);
	T_EQ_I(peer->rule_add_exact_array(a, SCMP_ACT_ERRNO(1), SCMP_SYS(socket), 0, NULL),
	       -EOPNOTSUPP);
	T_EQ_I(seccomp_rule_add_exact(b, SCMP_ACT_ERRNO(1), SCMP_SYS(socket), 0), 0);
	peer->release(a);
	seccomp_release(b);
	t_end();
}

/* Verdict of a one-off filter for one input. */
static uint32_t verdict(const struct api *api, scmp_filter_ctx c, uint32_t arch, uint32_t nr,
			uint64_t a0, uint64_t a1)
{
	struct run u = { .a = api, .c = c };
	struct rec *r = calloc(1, sizeof(*r));
	struct seccomp_data d = { .nr = (int)nr, .arch = arch, .args = { a0, a1 } };
	uint32_t v;

	u.r = r;
	r->foreign = arch_by_token(arch) && arch_by_token(arch)->big_endian;
	bpf_prog_init(&r->prog);
	export(&u);
	v = r->exported ? bpf_run(r->prog.insns, r->prog.len, &d, NULL) : 0xdeadbeef;
	bpf_prog_free(&r->prog);
	free(r);
	return v;
}

/* Overlapping conditional rules with different actions: muzzle applies the
 * strictest matching rule (fail closed); libseccomp's answer depends on the
 * order of its argument tree. */
static void diff_overlap(const struct api *peer)
{
	const struct api *apis[2] = { peer, &muzzle_api };
	uint32_t v[2];

	t_begin("diff_overlapping_conditions");
	for (int i = 0; i < 2; i++) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_ALLOW);
		struct scmp_arg_cmp a0 = SCMP_A0(SCMP_CMP_EQ, 1), a1 = SCMP_A1(SCMP_CMP_EQ, 1);

		/* libseccomp checks higher argument numbers first */
		apis[i]->rule_add_array(c, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 1, &a1);
		apis[i]->rule_add_array(c, SCMP_ACT_KILL_PROCESS, SCMP_SYS(dup), 1, &a0);
		v[i] = verdict(apis[i], c, AUDIT_ARCH_X86_64, SCMP_SYS(dup), 1, 1);
		apis[i]->release(c);
	}
	T_EQ_U(v[0], SCMP_ACT_ERRNO(1));		/* libseccomp: first in its tree */
	if (v[0] == SCMP_ACT_ERRNO(1))
		printf("# dup(1, 1): libseccomp ERRNO(1), muzzle KILL_PROCESS\n");
	T_EQ_U(v[1], SCMP_ACT_KILL_PROCESS);		/* muzzle: strictest */
	t_end();
}

/* A conditional rule on a multiplexed call: through socketcall(2) the
 * arguments are behind a pointer.  Both libraries drop the condition there;
 * muzzle then keeps the rule only when it is stricter than the default
 * (fail closed), libseccomp keeps it always, so an ALLOW rule with a
 * condition opens socketcall(SYS_SOCKET, anything) in libseccomp. */
static void diff_socketcall_args(const struct api *peer)
{
	const struct api *apis[2] = { peer, &muzzle_api };
	uint32_t strict_mux[2], strict_direct[2], open_mux[2], open_direct[2];

	t_begin("diff_socketcall_conditions");
	for (int i = 0; i < 2; i++) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_ALLOW);
		struct scmp_arg_cmp a0 = SCMP_A0(SCMP_CMP_EQ, 2);

		apis[i]->arch_remove(c, SCMP_ARCH_NATIVE);
		apis[i]->arch_add(c, SCMP_ARCH_X86);
		apis[i]->rule_add_array(c, SCMP_ACT_ERRNO(1), SCMP_SYS(socket), 1, &a0);
		/* socketcall(SYS_SOCKET=1, pointer) and socket(2, ...) */
		strict_mux[i] = verdict(apis[i], c, AUDIT_ARCH_I386, 102, 1, 0x1000);
		strict_direct[i] = verdict(apis[i], c, AUDIT_ARCH_I386, 359, 3, 0);
		apis[i]->release(c);

		c = apis[i]->init(SCMP_ACT_ERRNO(5));
		apis[i]->arch_remove(c, SCMP_ARCH_NATIVE);
		apis[i]->arch_add(c, SCMP_ARCH_X86);
		apis[i]->rule_add_array(c, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, &a0);
		open_mux[i] = verdict(apis[i], c, AUDIT_ARCH_I386, 102, 1, 0x1000);
		open_direct[i] = verdict(apis[i], c, AUDIT_ARCH_I386, 359, 2, 0);
		apis[i]->release(c);
	}
	/* the same where the rule is stricter than the default */
	T_EQ_U(strict_mux[0], SCMP_ACT_ERRNO(1));
	T_EQ_U(strict_mux[1], SCMP_ACT_ERRNO(1));
	T_EQ_U(strict_direct[0], SCMP_ACT_ALLOW);
	T_EQ_U(strict_direct[1], SCMP_ACT_ALLOW);
	T_EQ_U(open_direct[0], SCMP_ACT_ALLOW);
	T_EQ_U(open_direct[1], SCMP_ACT_ALLOW);
	/* the difference */
	T_EQ_U(open_mux[0], SCMP_ACT_ALLOW);
	T_EQ_U(open_mux[1], SCMP_ACT_ERRNO(5));
	t_end();
}

/* nr -1 (0xffffffff) with the x86_64 token: libseccomp decides it in its
 * x86_64 filter (TSKIP rules, else the default); muzzle's ABI split puts it
 * in the x32 range (>= 0x40000000), so with no x32 it gets badarch. */
static void diff_nr_minus_one(const struct api *peer)
{
	const struct api *apis[2] = { peer, &muzzle_api };
	uint32_t v[2], w[2];

	t_begin("diff_nr_minus_one");
	for (int i = 0; i < 2; i++) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_ERRNO(5));

		apis[i]->attr_set(c, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(6));
		v[i] = verdict(apis[i], c, AUDIT_ARCH_X86_64, 0xffffffffu, 0, 0);
		apis[i]->attr_set(c, SCMP_FLTATR_API_TSKIP, 1);
		apis[i]->rule_add_array(c, SCMP_ACT_ERRNO(7), -1, 0, NULL);
		w[i] = verdict(apis[i], c, AUDIT_ARCH_X86_64, 0xffffffffu, 0, 0);
		apis[i]->release(c);
	}
	T_EQ_U(v[0], SCMP_ACT_ERRNO(5));
	T_EQ_U(w[0], SCMP_ACT_ERRNO(7));
	T_EQ_U(v[1], SCMP_ACT_ERRNO(6));
	T_EQ_U(w[1], SCMP_ACT_ERRNO(6));	/* muzzle: a TSKIP rule cannot fire on x86_64 */
	t_end();
}

/* x32 arguments: libseccomp compares the low 32 bits only; muzzle all 64. */
static void diff_x32_arg_width(const struct api *peer)
{
	const struct api *apis[2] = { peer, &muzzle_api };
	uint32_t v[2];

	t_begin("diff_x32_arg_width");
	for (int i = 0; i < 2; i++) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_ERRNO(5));
		struct scmp_arg_cmp a0 = SCMP_A0(SCMP_CMP_EQ, 3);

		apis[i]->arch_remove(c, SCMP_ARCH_NATIVE);
		apis[i]->arch_add(c, SCMP_ARCH_X32);
		apis[i]->rule_add_array(c, SCMP_ACT_ALLOW, SCMP_SYS(close), 1, &a0);
		v[i] = verdict(apis[i], c, AUDIT_ARCH_X86_64, 0x40000003u, 0xffffffff00000003ull, 0);
		apis[i]->release(c);
	}
	T_EQ_U(v[0], SCMP_ACT_ALLOW);
	T_EQ_U(v[1], SCMP_ACT_ERRNO(5));
	t_end();
}

/* i386 ipc(2) ignores the high 16 bits of the call number (a "version"):
 * muzzle masks them, libseccomp compares all 32. */
static void diff_ipc_version(const struct api *peer)
{
	const struct api *apis[2] = { peer, &muzzle_api };
	uint32_t v[2];

	t_begin("diff_ipc_version");
	for (int i = 0; i < 2; i++) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_ALLOW);

		apis[i]->arch_remove(c, SCMP_ARCH_NATIVE);
		apis[i]->arch_add(c, SCMP_ARCH_X86);
		apis[i]->rule_add_array(c, SCMP_ACT_ERRNO(1), SCMP_SYS(shmat), 0, NULL);
		v[i] = verdict(apis[i], c, AUDIT_ARCH_I386, 117, 0x10015, 0);	/* SHMAT v1 */
		apis[i]->release(c);
	}
	T_EQ_U(v[0], SCMP_ACT_ALLOW);
	T_EQ_U(v[1], SCMP_ACT_ERRNO(1));
	t_end();
}

/* Multiplexer call numbers: socketcall(2) takes an int, so on 64-bit ABIs
 * (s390x, ppc64) the high half of args[0] is ignored by the kernel.  A
 * libseccomp rule on socket compares all 64 bits, so socketcall with junk
 * in the high half slips past a deny rule; muzzle compares the low half. */
static void diff_mux_call_bits(const struct api *peer)
{
	const struct api *apis[2] = { peer, &muzzle_api };
	uint32_t v[2];

	t_begin("diff_mux_call_bits");
	for (int i = 0; i < 2; i++) {
		scmp_filter_ctx c = apis[i]->init(SCMP_ACT_ALLOW);

		apis[i]->arch_remove(c, SCMP_ARCH_NATIVE);
		apis[i]->arch_add(c, SCMP_ARCH_S390X);
		apis[i]->rule_add_array(c, SCMP_ACT_ERRNO(1), SCMP_SYS(socket), 0, NULL);
		v[i] = verdict(apis[i], c, AUDIT_ARCH_S390X, 102, 0x100000001ull, 0);
		apis[i]->release(c);
	}
	T_EQ_U(v[0], SCMP_ACT_ALLOW);		/* libseccomp: the deny rule is bypassed */
	T_EQ_U(v[1], SCMP_ACT_ERRNO(1));
	t_end();
}

int main(void)
{
	static struct api peer;

	if (!load_peer(&peer)) {
		t_skip("vs_libseccomp", "libseccomp.so.2 not found (apt-get install libseccomp2)");
		return t_done();
	}
	compare("vs_seed_example", &peer, s_seed);
	compare("vs_argument_rules", &peer, s_args);
	compare("vs_multiarch", &peer, s_multiarch);
	compare("vs_badarch_foreign_abis", &peer, s_badarch);
	compare("vs_denylist_priority_tskip", &peer, s_denylist);
	compare("vs_x86_wide_data", &peer, s_x86_wide);
	compare("vs_big_endian_abis", &peer, s_big_endian);
	compare("vs_error_codes", &peer, s_errors);
	compare("vs_merge", &peer, s_merge);
	compare("vs_xlate_unknown_number", &peer, s_xlate_5001);
	compare("vs_xlate_pseudo_number", &peer, s_xlate_pseudo);
	compare("vs_xlate_priority", &peer, s_xlate_priority);
	compare("vs_resolve", &peer, s_resolve);
	diff_tables(&peer);
	diff_api26(&peer);
	diff_exact_socket(&peer);
	diff_overlap(&peer);
	diff_socketcall_args(&peer);
	diff_nr_minus_one(&peer);
	diff_x32_arg_width(&peer);
	diff_ipc_version(&peer);
	diff_mux_call_bits(&peer);
	return t_done();
}
