/* Docker/moby/podman profiles: archMap, includes/excludes, name/names,
 * comments, errno names; Docker's default profile read for the default
 * capability set and with CAP_SYS_ADMIN, checked verdict by verdict and
 * against Debian's libseccomp building the same profile the way runc does. */
#include "harness.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compile/compile.h"
#include "format.h"
#include "json_common.h"
#include "policy/equiv.h"
#include "policy/eval.h"

#define EQ(call, want) do { long long v_ = (call); T_EQ_I(v_, want); } while (0)

static char *profile_path(void)
{
	static const char *const cands[] = {
		"%s/../shared/profiles/docker-default.json",
		"/work/shared/profiles/docker-default.json",
	};
	const char *top = getenv("MUZZLE_TOP");
	char buf[4096];

	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		snprintf(buf, sizeof(buf), cands[i], top ? top : ".");
		if (access(buf, R_OK) == 0)
			return strdup(buf);
	}
	return NULL;
}

struct opts {
	struct format_options o;
	char *warn;
	size_t wlen;
	FILE *w;
};

static void opts_init(struct opts *x)
{
	format_options_init(&x->o);
	x->warn = NULL;
	x->w = open_memstream(&x->warn, &x->wlen);
	x->o.warn = x->w;
}

static void opts_free(struct opts *x)
{
	fclose(x->w);
	free(x->warn);
}

static int rd(const char *json, const struct format_options *o, struct policy *p,
	      struct muzzle_error *e)
{
	return docker_read(json, strlen(json), "d.json", o, p, e);
}

static int sys(const char *name)
{
	return arch_syscall_id(name);
}

static uint32_t ev(const struct policy *p, enum arch_id abi, const char *name, uint64_t a0,
		   uint64_t a1)
{
	struct seccomp_data d = { 0 };

	d.arch = arch_get(abi)->token;
	d.nr = (uint32_t)arch_syscall_nr(abi, sys(name));
	d.args[0] = a0;
	d.args[1] = a1;
	return policy_eval(p, &d).action;
}

static void bad(const char *json, const char *path, const char *needle)
{
	struct muzzle_error e;
	struct policy p;
	struct opts x;
	int rc;

	opts_init(&x);
	rc = rd(json, &x.o, &p, &e);
	T_CHECK(rc < 0, "accepted bad input %s", json);
	T_CHECK(strcmp(e.json_path, path) == 0, "input %s: path \"%s\", want \"%s\" (%s)", json,
		e.json_path, path, e.msg);
	if (needle)
		T_CHECK(strstr(e.msg, needle) != NULL, "message \"%s\" lacks \"%s\"", e.msg,
			needle);
	T_EQ_U(p.nrules, 0);
	policy_free(&p);
	opts_free(&x);
}

/* --- Docker's default profile ----------------------------------------------- */

static const uint32_t x86_family = ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86) |
				   ARCH_MASK(ARCH_X32);

static int read_default(const char *path, const char *const *caps, size_t ncaps, int kmajor,
			int kminor, uint32_t arches, struct policy *p)
{
	struct muzzle_error e;
	struct opts x;
	int rc;

	opts_init(&x);
	if (caps) {
		x.o.caps = caps;
		x.o.ncaps = ncaps;
		x.o.caps_given = 1;
	}
	x.o.kernel_major = kmajor;
	x.o.kernel_minor = kminor;
	x.o.arches = arches;
	rc = format_read_file(path, FORMAT_DOCKER, &x.o, p, &e);
	if (rc)
		printf("# %s: %s: %s\n", e.file, e.json_path, e.msg);
	opts_free(&x);
	return rc;
}

static const char *const default_caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE", "CAP_SYS_ADMIN",
};

static void test_default_profile(const char *path)
{
	const uint32_t E1 = POLICY_ACT_ERRNO(1), A = POLICY_ACT_ALLOW;
	struct policy p;

	t_begin("docker_default_profile_default_caps");
	if (!path) {
		t_skip("docker_default_profile_default_caps", "docker-default.json not found");
		return;
	}
	T_CHECK(read_default(path, NULL, 0, 0, 0, 0, &p) == 0, "read");
	T_EQ_U(p.default_action, E1);
	if (arch_native()->id == ARCH_X86_64)
		T_EQ_U(p.arches, x86_family);
	/* clone3 gets ENOSYS without CAP_SYS_ADMIN, so libc falls back to clone */
	T_EQ_U(ev(&p, ARCH_X86_64, "clone3", 0, 0), POLICY_ACT_ERRNO(38));
	T_EQ_U(ev(&p, ARCH_X86_64, "read", 0, 0), A);
	T_EQ_U(ev(&p, ARCH_X86, "read", 0, 0), A);
	T_EQ_U(ev(&p, ARCH_X32, "read", 0, 0), A);
	T_EQ_U(ev(&p, ARCH_X86_64, "mount", 0, 0), E1);
	T_EQ_U(ev(&p, ARCH_X86_64, "bpf", 0, 0), E1);
	T_EQ_U(ev(&p, ARCH_X86_64, "chroot", 0, 0), A);		/* CAP_SYS_CHROOT */
	T_EQ_U(ev(&p, ARCH_X86_64, "reboot", 0, 0), E1);
	T_EQ_U(ev(&p, ARCH_X86_64, "ptrace", 0, 0), A);		/* minKernel 4.8 */
	T_EQ_U(ev(&p, ARCH_X86_64, "arch_prctl", 0, 0), A);	/* arches amd64 */
	T_EQ_U(ev(&p, ARCH_X86_64, "personality", 0, 0), A);
	T_EQ_U(ev(&p, ARCH_X86_64, "personality", 0xffffffff, 0), A);
	T_EQ_U(ev(&p, ARCH_X86_64, "personality", 1, 0), E1);
	T_EQ_U(ev(&p, ARCH_X86_64, "socket", 2, 0), A);
	T_EQ_U(ev(&p, ARCH_X86_64, "socket", 40, 0), E1);	/* AF_VSOCK */
	T_EQ_U(ev(&p, ARCH_X86_64, "socket", 39, 0), A);
	T_EQ_U(ev(&p, ARCH_X86_64, "clone", 0x11, 0), A);
	T_EQ_U(ev(&p, ARCH_X86_64, "clone", 0x10000000, 0), E1);	/* CLONE_NEWUSER */
	/* the s390 variant (flags in arg 1) is not included on amd64 */
	T_EQ_U(ev(&p, ARCH_X86_64, "clone", 0, 0x10000000), A);
	/* a bad architecture is killed */
	{
		struct seccomp_data d = { .arch = arch_get(ARCH_AARCH64)->token, .nr = 63 };

		T_EQ_U(policy_eval(&p, &d).action, POLICY_ACT_KILL_THREAD);
	}
	policy_free(&p);
	t_end();

	t_begin("docker_default_profile_cap_sys_admin");
	T_CHECK(read_default(path, default_caps, 15, 0, 0, 0, &p) == 0, "read");
	T_EQ_U(ev(&p, ARCH_X86_64, "mount", 0, 0), A);
	T_EQ_U(ev(&p, ARCH_X86_64, "clone3", 0, 0), A);
	T_EQ_U(ev(&p, ARCH_X86_64, "clone", 0x10000000, 0), A);
	T_EQ_U(ev(&p, ARCH_X86_64, "bpf", 0, 0), A);
	T_EQ_U(ev(&p, ARCH_X86_64, "reboot", 0, 0), E1);
	policy_free(&p);
	t_end();

	t_begin("docker_default_profile_no_caps_old_kernel");
	T_CHECK(read_default(path, NULL, 0, 4, 7, 0, &p) == 0, "read");
	policy_free(&p);
	{
		static const char *const none[1] = { NULL };

		T_CHECK(read_default(path, none, 0, 4, 7, 0, &p) == 0, "read");
	}
	T_EQ_U(ev(&p, ARCH_X86_64, "chroot", 0, 0), E1);
	T_EQ_U(ev(&p, ARCH_X86_64, "ptrace", 0, 0), E1);	/* 4.7 < minKernel 4.8 */
	T_EQ_U(ev(&p, ARCH_X86_64, "read", 0, 0), A);
	policy_free(&p);
	t_end();

	t_begin("docker_default_profile_other_arches");
	T_CHECK(read_default(path, NULL, 0, 0, 0, ARCH_MASK(ARCH_AARCH64), &p) == 0, "read");
	T_EQ_U(p.arches, ARCH_MASK(ARCH_AARCH64) | ARCH_MASK(ARCH_ARM));
	T_EQ_U(ev(&p, ARCH_ARM, "arm_fadvise64_64", 0, 0), A);
	T_EQ_U(ev(&p, ARCH_AARCH64, "read", 0, 0), A);
	policy_free(&p);
	/* two engine architectures: arch-specific rules keep to their family */
	T_CHECK(read_default(path, NULL, 0, 0, 0,
			     ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_AARCH64), &p) == 0, "read");
	T_EQ_U(p.arches, x86_family | ARCH_MASK(ARCH_AARCH64) | ARCH_MASK(ARCH_ARM));
	{
		int found_x86 = 0, found_arm = 0;

		for (size_t i = 0; i < p.nrules; i++) {
			if (p.rules[i].sys == sys("arch_prctl"))
				found_x86 = p.rules[i].abis == x86_family;
			if (p.rules[i].sys == sys("arm_fadvise64_64"))
				found_arm = p.rules[i].abis ==
					    (ARCH_MASK(ARCH_AARCH64) | ARCH_MASK(ARCH_ARM));
			if (p.rules[i].sys == sys("read"))
				T_EQ_U(p.rules[i].abis, 0);
		}
		T_CHECK(found_x86 && found_arm, "per-family rules %d %d", found_x86, found_arm);
	}
	T_EQ_U(ev(&p, ARCH_X86_64, "arch_prctl", 0, 0), A);
	policy_free(&p);
	/* x86 and x32 asked for beside x86_64 are its subArchitectures, not
	 * engines of their own: the same policy as for x86_64 alone */
	{
		struct policy q;
		struct equiv_side a = { .policy = &p }, b = { .policy = &q };
		struct equiv_result r;

		T_CHECK(read_default(path, NULL, 0, 0, 0, x86_family, &p) == 0, "read");
		T_CHECK(read_default(path, NULL, 0, 0, 0, ARCH_MASK(ARCH_X86_64), &q) == 0, "read");
		T_CHECK(equiv_check(&a, &b, &r) == 0 && r.equal, "x86_64,x86,x32 = x86_64");
		for (size_t i = 0; i < p.nrules; i++)
			T_EQ_U(p.rules[i].abis, 0);
		policy_free(&q);
		policy_free(&p);
	}
	t_end();
}

/* --- small profiles -------------------------------------------------------------- */

static void test_seed_chmod(void)
{
	static const char seed[] = "{ \n   \"defaultAction\":\"SCMP_ACT_KILL\",\n   \"syscalls\":[  \n"
				   "      {  \n         \"name\":\"chmod\",\n         \"action\":"
				   "\"SCMP_ACT_ERRNO\"\n      }\n   ]\n}\n";
	struct muzzle_error e;
	struct policy p;

	t_begin("docker_seed_chmod");
	EQ(format_detect(seed, strlen(seed), "chmod.json"), FORMAT_DOCKER);
	EQ(format_read_buf(seed, strlen(seed), "chmod.json", FORMAT_AUTO, NULL, &p, &e), 0);
	T_EQ_U(p.default_action, POLICY_ACT_KILL_THREAD);
	T_EQ_U(p.nrules, 1);
	T_CHECK(p.nrules == 1 && p.rules[0].sys == sys("chmod") &&
		p.rules[0].action == POLICY_ACT_ERRNO(EPERM), "chmod -> ERRNO(EPERM)");
	T_EQ_U(ev(&p, arch_native()->id, "chmod", 0, 0), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(ev(&p, arch_native()->id, "read", 0, 0), POLICY_ACT_KILL_THREAD);
	policy_free(&p);
	t_end();
}

static void test_podman(void)
{
	struct muzzle_error e;
	struct policy p;
	struct opts x;

	t_begin("docker_podman_errno_names");
	opts_init(&x);
	EQ(rd("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrno\":\"ENOSYS\",\"syscalls\":["
	      "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EACCES\","
	      "\"args\":null,\"comment\":\"\",\"includes\":{},\"excludes\":{}},"
	      "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[],\"comment\":\"r\","
	      "\"includes\":{},\"excludes\":{}}]}", &x.o, &p, &e), 0);
	T_EQ_U(p.default_action, POLICY_ACT_ERRNO(ENOSYS));
	T_EQ_U(p.nrules, 2);
	T_CHECK(p.nrules == 2 && p.rules[0].action == POLICY_ACT_ERRNO(EACCES), "errno name");
	T_CHECK(p.nrules == 2 && p.rules[1].comment && !strcmp(p.rules[1].comment, "r"),
		"comment kept");
	policy_free(&p);
	opts_free(&x);
	bad("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrno\":\"EBOGUS\"}", "$.defaultErrno",
	    "EBOGUS");
	bad("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"defaultErrno\":"
	    "\"ENOSYS\"}", "$.defaultErrno", "conflicts");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
	    "\"SCMP_ACT_ALLOW\",\"errno\":\"EPERM\"}]}", "$.syscalls[0].errno", "only meaningful");
	t_end();
}

static void test_filters(void)
{
	struct muzzle_error e;
	struct policy p;
	struct opts x;
	static const char *const admin[] = { "sys_admin" };

	t_begin("docker_includes_excludes");
	opts_init(&x);
	x.o.caps = admin;
	x.o.ncaps = 1;
	x.o.kernel_major = 5;
	x.o.kernel_minor = 10;
	x.o.arches = ARCH_MASK(ARCH_X86_64);
	EQ(rd("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
	      "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":"
	      "[\"CAP_SYS_ADMIN\"]}},"
	      "{\"names\":[\"chroot\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":"
	      "[\"CAP_SYS_CHROOT\"]}},"
	      "{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,\"excludes\":"
	      "{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
	      "{\"names\":[\"pidfd_open\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{"
	      "\"minKernel\":\"5.3\"}},"
	      "{\"names\":[\"cachestat\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{"
	      "\"minKernel\":\"6.5\"}},"
	      "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{"
	      "\"minKernel\":\"6.1\"}},"
	      "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{"
	      "\"minKernel\":\"5.10\"}},"
	      "{\"names\":[\"arch_prctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{"
	      "\"arches\":[\"amd64\",\"x32\"]}},"
	      "{\"names\":[\"gettid\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{"
	      "\"arches\":[\"amd64\"]}},"
	      "{\"names\":[\"sync_file_range2\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{"
	      "\"arches\":[\"ppc64le\"]}}]}", &x.o, &p, &e), 0);
	T_EQ_U(ev(&p, ARCH_X86_64, "mount", 0, 0), POLICY_ACT_ALLOW);
	T_EQ_U(ev(&p, ARCH_X86_64, "chroot", 0, 0), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(ev(&p, ARCH_X86_64, "clone3", 0, 0), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(ev(&p, ARCH_X86_64, "pidfd_open", 0, 0), POLICY_ACT_ALLOW);
	T_EQ_U(ev(&p, ARCH_X86_64, "cachestat", 0, 0), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(ev(&p, ARCH_X86_64, "getpid", 0, 0), POLICY_ACT_ALLOW);
	T_EQ_U(ev(&p, ARCH_X86_64, "getppid", 0, 0), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(ev(&p, ARCH_X86_64, "arch_prctl", 0, 0), POLICY_ACT_ALLOW);
	T_EQ_U(ev(&p, ARCH_X86_64, "gettid", 0, 0), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(p.nrules, 4);
	policy_free(&p);
	opts_free(&x);
	t_end();

	t_begin("docker_bad_input_paths");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":\"read\",\"names\":"
	    "[\"write\"],\"action\":\"SCMP_ACT_KILL\"}]}", "$.syscalls[0].name", "both");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_KILL\"}]}",
	    "$.syscalls[0].names", "missing");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":7,\"action\":"
	    "\"SCMP_ACT_KILL\"}]}", "$.syscalls[0].name", "expected a string");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86\"],"
	    "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}", "$.archMap", "both");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"architecture\":"
	    "\"SCMP_ARCH_PDP11\"}]}", "$.archMap[0].architecture", "PDP11");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"architecture\":"
	    "\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X87\"]}]}",
	    "$.archMap[0].subArchitectures[0]", "X87");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"arch\":\"x\"}]}",
	    "$.archMap[0].arch", "unknown field");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":{}}", "$.archMap",
	    "expected an array");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
	    "\"SCMP_ACT_KILL\",\"includes\":{\"caps\":[\"CAP_FLY\"]}}]}",
	    "$.syscalls[0].includes.caps[0]", "CAP_FLY");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
	    "\"SCMP_ACT_KILL\",\"excludes\":{\"arches\":[\"vax\"]}}]}",
	    "$.syscalls[0].excludes.arches[0]", "vax");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
	    "\"SCMP_ACT_KILL\",\"includes\":{\"minKernel\":\"4\"}}]}",
	    "$.syscalls[0].includes.minKernel", "major.minor");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
	    "\"SCMP_ACT_KILL\",\"includes\":{\"minKernel\":4.8}}]}",
	    "$.syscalls[0].includes.minKernel", "expected a string");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
	    "\"SCMP_ACT_KILL\",\"includes\":{\"kernel\":\"4.8\"}}]}",
	    "$.syscalls[0].includes.kernel", "unknown field");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
	    "\"SCMP_ACT_KILL\",\"comment\":5}]}", "$.syscalls[0].comment", "expected a string");
	/* a rule left out by its filters is still checked */
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
	    "\"SCMP_ACT_KILL\",\"includes\":{\"arches\":[\"s390x\"]},\"args\":[{\"index\":7,"
	    "\"op\":\"SCMP_CMP_EQ\"}]}]}", "$.syscalls[0].args[0].index", "0..5");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
	    "\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":18446744073709551616,"
	    "\"op\":\"SCMP_CMP_EQ\"}]}]}", "$.syscalls[0].args[0].value", NULL);
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
	    "\"SCMP_ACT_ERRNO\",\"errnoRet\":65536}]}", "$.syscalls[0].errnoRet", "16 bits");
	bad("[]", "$", "expected an object");
	t_end();
}

/* --- archMap on write ------------------------------------------------------------------ */

static char *write_docker(const struct policy *p)
{
	struct muzzle_error e;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	int rc = docker_write(f, p, NULL, &e);

	fclose(f);
	T_CHECK(rc == 0, "write: %s", e.msg);
	return text;
}

/* Written for these ABIs, read back by engines of `engines`: the same policy,
 * and archMap exactly when want_map. */
static void check_archmap(uint32_t arches, uint32_t engines, int want_map, const char *needle)
{
	static const struct policy_cond c = { 1, POLICY_OP_EQ, ~0ull, 0x5401 };
	struct policy p, back;
	struct policy_rule r;
	struct muzzle_error e;
	struct opts x;
	char *text;

	policy_init(&p, POLICY_ACT_ERRNO(1));
	p.arches = arches;
	policy_rule_init(&r, POLICY_ACT_ALLOW, sys("read"));
	T_CHECK(policy_add_rule(&p, &r, NULL) == 0, "add read");
	policy_rule_init(&r, POLICY_ACT_ALLOW, sys("ioctl"));
	policy_rule_add_cond(&r, c.arg, (enum policy_op)c.op, c.datum, c.mask);
	T_CHECK(policy_add_rule(&p, &r, NULL) == 0, "add ioctl");
	text = write_docker(&p);
	T_CHECK(text && (strstr(text, "\"archMap\"") != NULL) == want_map &&
		(strstr(text, "\"architectures\"") == NULL) == want_map, "archMap %d for 0x%x:\n%s",
		want_map, arches, text ? text : "");
	T_CHECK(text && (!needle || strstr(text, needle)), "lacks %s:\n%s", needle,
		text ? text : "");
	opts_init(&x);
	x.o.arches = engines;
	if (text && docker_read(text, strlen(text), "w.json", &x.o, &back, &e) == 0) {
		struct equiv_side a = { .policy = &p }, b = { .policy = &back };
		struct equiv_result res;

		T_EQ_U(back.arches, p.arches);
		T_CHECK(equiv_check(&a, &b, &res) == 0 && res.equal, "equivalent read back "
			"(arches 0x%x, engines 0x%x)", arches, engines);
		policy_free(&back);
	} else {
		T_CHECK(0, "read back: %s: %s", e.json_path, e.msg);
	}
	opts_free(&x);
	free(text);
	policy_free(&p);
}

static void test_write_archmap(void)
{
	const uint32_t arm = ARCH_MASK(ARCH_AARCH64) | ARCH_MASK(ARCH_ARM);
	const uint32_t mips = ARCH_MASK(ARCH_MIPS64) | ARCH_MASK(ARCH_MIPS) |
			      ARCH_MASK(ARCH_MIPS64N32);
	const uint32_t rv = ARCH_MASK(ARCH_RISCV64);

	t_begin("docker_write_archmap");
	check_archmap(x86_family, ARCH_MASK(ARCH_X86_64), 1,
		      "\"architecture\": \"SCMP_ARCH_X86_64\",\n\t\t\t\"subArchitectures\": [\n"
		      "\t\t\t\t\"SCMP_ARCH_X86\",\n\t\t\t\t\"SCMP_ARCH_X32\"\n");
	check_archmap(arm, ARCH_MASK(ARCH_AARCH64), 1, "\"SCMP_ARCH_AARCH64\"");
	/* both MIPS64 entries, as in Docker's profile; either engine reads it */
	check_archmap(mips, ARCH_MASK(ARCH_MIPS64), 1, "\"SCMP_ARCH_MIPS64N32\",\n\t\t\t"
		      "\"subArchitectures\"");
	check_archmap(mips, ARCH_MASK(ARCH_MIPS64N32), 1, NULL);
	/* several families: each engine reads its own; together the policy */
	check_archmap(x86_family | arm | rv, ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_AARCH64) | rv,
		      1, "\"architecture\": \"SCMP_ARCH_RISCV64\",\n\t\t\t\"subArchitectures\": null");
	/* not whole families, or nothing to group: a plain list */
	check_archmap(ARCH_MASK(ARCH_X86_64), ARCH_MASK(ARCH_X86_64), 0, NULL);
	check_archmap(ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86), ARCH_MASK(ARCH_X86_64), 0, NULL);
	check_archmap(x86_family | ARCH_MASK(ARCH_PPC64LE), ARCH_MASK(ARCH_X86_64), 0, NULL);
	check_archmap(rv, rv, 0, NULL);
	check_archmap(ARCH_MASK(ARCH_X86), ARCH_MASK(ARCH_X86), 0, NULL);
	t_end();
}

static void test_roundtrip(const char *path)
{
	struct policy p, back;
	struct muzzle_error e;
	char *text = NULL;
	size_t len;
	FILE *f;
	int rc;

	t_begin("docker_write_read_roundtrip");
	if (!path) {
		t_skip("docker_write_read_roundtrip", "docker-default.json not found");
		return;
	}
	T_CHECK(read_default(path, NULL, 0, 0, 0, 0, &p) == 0, "read");
	f = open_memstream(&text, &len);
	rc = docker_write(f, &p, NULL, &e);
	fclose(f);
	T_CHECK(rc == 0, "write: %s", e.msg);
	rc = docker_read(text, len, "rt.json", NULL, &back, &e);
	T_CHECK(rc == 0, "read back: %s", e.msg);
	{
		struct equiv_side a = { .policy = &p }, b = { .policy = &back };
		struct equiv_result r;

		T_CHECK(equiv_check(&a, &b, &r) == 0 && r.equal, "equivalent after round trip");
	}
	T_CHECK(strstr(text, "s390 parameter ordering") == NULL, "excluded rule's comment gone");
	policy_free(&back);
	free(text);
	text = NULL;
	/* comments survive in the Docker dialect */
	policy_free(&p);
	{
		const char *js = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
				 "[\"reboot\"],\"action\":\"SCMP_ACT_KILL\",\"comment\":"
				 "\"no \\\"reboots\\\"\"}]}";

		EQ(docker_read(js, strlen(js), "c.json", NULL, &p, &e), 0);
	}
	f = open_memstream(&text, &len);
	rc = docker_write(f, &p, NULL, &e);
	fclose(f);
	T_CHECK(rc == 0 && strstr(text, "\"comment\": \"no \\\"reboots\\\"\""), "comment:\n%s",
		text);
	free(text);
	policy_free(&p);
	t_end();
}

/* --- against libseccomp -------------------------------------------------------------
 * The profile is expanded here a second time, independently of the reader,
 * following runc: Docker's includes/excludes for amd64, archMap, rules equal
 * to the default skipped, a repeated argument index split into one rule per
 * condition, names libseccomp cannot resolve skipped. */

struct scmp_cmp {
	unsigned int arg;
	int op;
	uint64_t datum_a, datum_b;
};

struct lsc {
	void *h;
	void *(*init)(uint32_t);
	int (*arch_add)(void *, uint32_t);
	int (*resolve)(const char *);
	int (*resolve_arch)(uint32_t, const char *);
	int (*rule_add_array)(void *, uint32_t, int, unsigned int, const struct scmp_cmp *);
	int (*export_bpf)(void *, int);
	void (*release)(void *);
};

static int lsc_open(struct lsc *l)
{
	l->h = dlopen("libseccomp.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!l->h)
		return -1;
	*(void **)&l->init = dlsym(l->h, "seccomp_init");
	*(void **)&l->arch_add = dlsym(l->h, "seccomp_arch_add");
	*(void **)&l->resolve = dlsym(l->h, "seccomp_syscall_resolve_name");
	*(void **)&l->resolve_arch = dlsym(l->h, "seccomp_syscall_resolve_name_arch");
	*(void **)&l->rule_add_array = dlsym(l->h, "seccomp_rule_add_array");
	*(void **)&l->export_bpf = dlsym(l->h, "seccomp_export_bpf");
	*(void **)&l->release = dlsym(l->h, "seccomp_release");
	if (!l->init || !l->arch_add || !l->resolve || !l->resolve_arch || !l->rule_add_array ||
	    !l->export_bpf || !l->release) {
		dlclose(l->h);
		return -1;
	}
	return 0;
}

static int in_list(struct json_object *arr, const char *s)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s))
			return 1;
	return 0;
}

static int have_cap(const char *const *caps, size_t n, const char *c)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(caps[i], c))
			return 1;
	return 0;
}

/* Docker's filter tests for amd64 on a new kernel (the profile only asks for 4.8). */
static int docker_keeps(struct json_object *rule, const char *const *caps, size_t ncaps)
{
	struct json_object *inc = NULL, *exc = NULL, *v;

	json_object_object_get_ex(rule, "includes", &inc);
	json_object_object_get_ex(rule, "excludes", &exc);
	if (exc && json_object_object_get_ex(exc, "arches", &v) && in_list(v, "amd64"))
		return 0;
	if (exc && json_object_object_get_ex(exc, "caps", &v))
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (have_cap(caps, ncaps, json_object_get_string(
					     json_object_array_get_idx(v, i))))
				return 0;
	if (inc && json_object_object_get_ex(inc, "arches", &v) && !in_list(v, "amd64"))
		return 0;
	if (inc && json_object_object_get_ex(inc, "caps", &v))
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (!have_cap(caps, ncaps, json_object_get_string(
					      json_object_array_get_idx(v, i))))
				return 0;
	return 1;
}

static uint32_t rule_action(struct json_object *rule)
{
	struct json_object *a, *r;
	const char *s;

	json_object_object_get_ex(rule, "action", &a);
	s = json_object_get_string(a);
	if (!strcmp(s, "SCMP_ACT_ALLOW"))
		return POLICY_ACT_ALLOW;
	if (!strcmp(s, "SCMP_ACT_ERRNO"))
		return POLICY_ACT_ERRNO(json_object_object_get_ex(rule, "errnoRet", &r)
					? json_object_get_int(r) : EPERM);
	return POLICY_ACT_KILL_PROCESS;	/* not in the profile; fails the comparison */
}

static int lsc_add_rule(struct lsc *l, void *ctx, struct json_object *rule, uint32_t act)
{
	struct json_object *names, *args = NULL;
	struct scmp_cmp cmp[16];
	unsigned n = 0, seen = 0;
	int repeated = 0;

	json_object_object_get_ex(rule, "names", &names);
	json_object_object_get_ex(rule, "args", &args);
	for (size_t i = 0; args && i < json_object_array_length(args) && n < 16; i++) {
		struct json_object *a = json_object_array_get_idx(args, i), *v;
		const char *op;

		json_object_object_get_ex(a, "index", &v);
		cmp[n].arg = (unsigned)json_object_get_int(v);
		json_object_object_get_ex(a, "value", &v);
		cmp[n].datum_a = json_object_get_uint64(v);
		cmp[n].datum_b = json_object_object_get_ex(a, "valueTwo", &v)
				 ? json_object_get_uint64(v) : 0;
		json_object_object_get_ex(a, "op", &v);
		op = json_object_get_string(v);
		cmp[n].op = !strcmp(op, "SCMP_CMP_EQ") ? 4 : !strcmp(op, "SCMP_CMP_LT") ? 2
			  : !strcmp(op, "SCMP_CMP_GT") ? 6 : !strcmp(op, "SCMP_CMP_MASKED_EQ") ? 7
			  : !strcmp(op, "SCMP_CMP_NE") ? 1 : !strcmp(op, "SCMP_CMP_LE") ? 3 : 5;
		repeated |= (seen >> cmp[n].arg) & 1;
		seen |= 1u << cmp[n].arg;
		n++;
	}
	for (size_t i = 0; i < json_object_array_length(names); i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(names, i));
		int nr = l->resolve(name), rc = 0;

		if (nr == -1)	/* __NR_SCMP_ERROR: runc skips names libseccomp lacks */
			continue;
		if (!repeated)
			rc = l->rule_add_array(ctx, act, nr, n, cmp);
		for (unsigned k = 0; repeated && k < n && !rc; k++)
			rc = l->rule_add_array(ctx, act, nr, 1, &cmp[k]);
		if (rc) {
			printf("# libseccomp refused %s: %d\n", name, rc);
			return rc;
		}
	}
	return 0;
}

static int lsc_build(struct lsc *l, const char *path, const char *const *caps, size_t ncaps,
		     int x32, struct sock_filter **prog, size_t *len)
{
	struct json_object *root = json_object_from_file(path), *calls;
	void *ctx;
	int fd, rc = 0;
	off_t size;

	if (!root)
		return -1;
	ctx = l->init(POLICY_ACT_ERRNO(1));
	/* archMap entry for amd64: x86_64 (native) plus x86 and x32 */
	if (l->arch_add(ctx, arch_get(ARCH_X86)->scmp_token) ||
	    (x32 && l->arch_add(ctx, arch_get(ARCH_X32)->scmp_token)))
		rc = -1;
	json_object_object_get_ex(root, "syscalls", &calls);
	for (size_t i = 0; !rc && i < json_object_array_length(calls); i++) {
		struct json_object *r = json_object_array_get_idx(calls, i);
		uint32_t act = rule_action(r);

		if (act != POLICY_ACT_ERRNO(1) && docker_keeps(r, caps, ncaps))
			rc = lsc_add_rule(l, ctx, r, act);
	}
	json_object_put(root);
	fd = memfd_create("bpf", 0);
	if (!rc && (fd < 0 || l->export_bpf(ctx, fd)))
		rc = -1;
	l->release(ctx);
	size = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	if (!rc && size > 0 && size % 8 == 0) {
		*prog = malloc((size_t)size);
		*len = (size_t)size / 8;
		if (!*prog || pread(fd, *prog, (size_t)size, 0) != size)
			rc = -1;
	} else if (!rc) {
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Leave out, on each ABI, the names libseccomp 2.5.4 does not know there:
 * newer calls muzzle's tables have would otherwise differ only because the
 * peer is older. */
static void restrict_to_peer(struct lsc *l, struct policy *p)
{
	static const enum arch_id abis[] = { ARCH_X86_64, ARCH_X86, ARCH_X32 };
	size_t k = 0;

	for (size_t i = 0; i < p->nrules; i++) {
		struct policy_rule *r = &p->rules[i];
		const char *name = arch_syscall_name(r->sys);
		uint32_t mask = 0;

		for (size_t a = 0; a < 3; a++) {
			int nr = l->resolve_arch(arch_get(abis[a])->scmp_token, name);

			/* a number, or a socketcall/ipc pseudo number (-101..-299)
			 * which libseccomp also maps to the direct call */
			if (l->resolve(name) != -1 && (nr >= 0 || (nr <= -101 && nr >= -299)))
				mask |= ARCH_MASK(abis[a]);
		}
		if (!mask)
			continue;
		if (mask != x86_family)
			r->abis = mask;
		p->rules[k++] = *r;
	}
	p->nrules = k;
}

/* muzzle passes x32 arguments on as 64-bit words (lib/arch/arch.c says why);
 * libseccomp compares only their low half.  A difference is accepted only
 * there: on x32, and gone once the high halves are cleared. */
struct x32_diffs {
	const struct policy *p;
	const struct sock_filter *peer;
	size_t peer_len;
	unsigned x32_only, other;
};

static int on_diff(void *ctx, const struct seccomp_data *w, uint32_t a, uint32_t b)
{
	struct x32_diffs *x = ctx;
	struct seccomp_data low = *w;

	for (int i = 0; i < 6; i++)
		low.args[i] &= 0xffffffffu;
	if (arch_for_data(w->arch, (uint32_t)w->nr) == arch_get(ARCH_X32) &&
	    policy_eval(x->p, &low).action == bpf_run(x->peer, x->peer_len, &low, NULL)) {
		x->x32_only++;
		return 0;
	}
	printf("# difference: arch 0x%x nr %d a0 0x%llx a1 0x%llx: muzzle 0x%x libseccomp "
	       "0x%x\n", w->arch, w->nr, (unsigned long long)w->args[0],
	       (unsigned long long)w->args[1], a, b);
	x->other++;
	return 0;
}

static int same(const struct equiv_side *a, const struct equiv_side *b, const char *what)
{
	struct equiv_result r;
	int rc = equiv_check(a, b, &r);

	if (rc == 0 && !r.equal)
		printf("# %s: arch 0x%x nr %d a0 0x%llx a1 0x%llx: 0x%x vs 0x%x\n", what,
		       r.witness.arch, r.witness.nr, (unsigned long long)r.witness.args[0],
		       (unsigned long long)r.witness.args[1], r.action_a, r.action_b);
	return rc == 0 && r.equal;
}

/* Without x32 in the filter, libseccomp lets nr -1 on the x86_64 token (a
 * tracer's "skip this call") reach the default action, while muzzle counts
 * every nr >= 0x40000000 there as an x32 call and so as a bad architecture.
 * That one input may differ, muzzle being the stricter; nothing else. */
struct nr_minus1 {
	unsigned minus1, other;
};

static int on_diff2(void *ctx, const struct seccomp_data *w, uint32_t a, uint32_t b)
{
	struct nr_minus1 *x = ctx;

	if (w->arch == arch_get(ARCH_X86_64)->token && (uint32_t)w->nr == 0xffffffffu &&
	    policy_action_stricter(a, b)) {
		x->minus1++;
		return 0;
	}
	printf("# difference: arch 0x%x nr %d a0 0x%llx a1 0x%llx: muzzle 0x%x libseccomp "
	       "0x%x\n", w->arch, w->nr, (unsigned long long)w->args[0],
	       (unsigned long long)w->args[1], a, b);
	x->other++;
	return 0;
}

static int same_but_nr_minus1(const struct equiv_side *a, const struct equiv_side *b)
{
	struct nr_minus1 x = { 0 };

	return equiv_diff(a, b, on_diff2, &x) >= 0 && x.other == 0;
}

static void compare_with_libseccomp(struct lsc *l, const char *path, const char *const *caps,
				    size_t ncaps, const char *name)
{
	const char *const *pc = caps ? caps : default_caps;
	size_t pn = caps ? ncaps : 14;
	struct sock_filter *peer3 = NULL, *peer2 = NULL;
	size_t len3 = 0, len2 = 0;
	struct policy p;
	struct bpf_prog prog;
	struct muzzle_error e;
	struct equiv_side sp = { 0 }, sb = { 0 }, s3 = { 0 }, s2 = { 0 };
	struct x32_diffs xd = { 0 };

	t_begin(name);
	T_CHECK(read_default(path, caps, ncaps, 0, 0, ARCH_MASK(ARCH_X86_64), &p) == 0, "read");
	T_EQ_U(p.arches, x86_family);
	T_CHECK(lsc_build(l, path, pc, pn, 1, &peer3, &len3) == 0, "libseccomp build");
	T_CHECK(lsc_build(l, path, pc, pn, 0, &peer2, &len2) == 0, "libseccomp build");
	restrict_to_peer(l, &p);
	sp.policy = &p;
	s3.prog = peer3;
	s3.prog_len = len3;
	s2.prog = peer2;
	s2.prog_len = len2;
	bpf_prog_init(&prog);
	T_CHECK(compile_policy(&p, NULL, &prog, NULL, &e) == 0, "compile: %s", e.msg);
	sb.prog = prog.insns;
	sb.prog_len = prog.len;

	/* x86_64 + x86 + x32: only the x32 argument width may differ */
	xd.p = &p;
	xd.peer = peer3;
	xd.peer_len = len3;
	T_CHECK(equiv_diff(&sp, &s3, on_diff, &xd) >= 0, "equiv_diff");
	T_CHECK(xd.other == 0, "%u differences besides x32 argument width", xd.other);
	T_CHECK(prog.len && same(&sb, &sp, "compiled vs policy"), "compiled filter = policy");
	/* x86_64 + x86: equal, for the policy and for muzzle's compiled filter */
	p.arches &= ~ARCH_MASK(ARCH_X32);
	bpf_prog_free(&prog);
	bpf_prog_init(&prog);
	T_CHECK(compile_policy(&p, NULL, &prog, NULL, &e) == 0, "compile: %s", e.msg);
	sb.prog = prog.insns;
	sb.prog_len = prog.len;
	T_CHECK(same_but_nr_minus1(&sp, &s2), "policy = libseccomp (x86_64, x86)");
	T_CHECK(prog.len && same_but_nr_minus1(&sb, &s2),
		"muzzle filter = libseccomp filter (x86_64, x86)");
	T_CHECK(prog.len && same(&sb, &sp, "compiled vs policy"), "compiled filter = policy");
	printf("# %s: muzzle %zu insns, libseccomp %zu insns (x86_64+x86); x32 width-only "
	       "differences: %u\n", name, prog.len, len2, xd.x32_only);
	bpf_prog_free(&prog);
	free(peer3);
	free(peer2);
	policy_free(&p);
	t_end();
}

static void test_libseccomp(const char *path)
{
	struct lsc l;

	if (!path) {
		t_skip("docker_default_equals_libseccomp", "docker-default.json not found");
		return;
	}
	if (arch_native()->id != ARCH_X86_64) {
		t_skip("docker_default_equals_libseccomp", "needs an x86_64 host");
		return;
	}
	if (lsc_open(&l)) {
		t_skip("docker_default_equals_libseccomp", "libseccomp.so.2 not loadable");
		return;
	}
	compare_with_libseccomp(&l, path, NULL, 0, "docker_default_equals_libseccomp");
	compare_with_libseccomp(&l, path, default_caps, 15,
				"docker_default_cap_sys_admin_equals_libseccomp");
	dlclose(l.h);
}

int main(void)
{
	char *path = profile_path();

	test_default_profile(path);
	test_seed_chmod();
	test_podman();
	test_filters();
	test_roundtrip(path);
	test_write_archmap();
	test_libseccomp(path);
	free(path);
	return t_done();
}
