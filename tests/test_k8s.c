/* Security Profiles Operator SeccompProfile writer: the YAML is read back
 * with an independent YAML parser (python3-yaml), its spec fed to the OCI
 * reader and compared with the original policy; what the CRD cannot carry
 * is refused. */
#include "harness.h"

#include <errno.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "format.h"
#include "json_common.h"
#include "policy/equiv.h"

static char *write_k8s(const struct policy *p, const char *name, int *rc,
		       struct muzzle_error *e)
{
	struct format_options o;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	format_options_init(&o);
	o.profile_name = name;
	*rc = format_write(f, FORMAT_K8S, p, &o, e);
	fclose(f);
	return text;
}

/* YAML -> JSON of .spec (plus kind and metadata.name on the first line). */
static char *yaml_to_spec_json(const char *yaml, int *skip)
{
	static const char script[] =
		"import sys, json, yaml\n"
		"d = yaml.safe_load(open(sys.argv[1]))\n"
		"print(d['apiVersion'] + ' ' + d['kind'] + ' ' + json.dumps(d['metadata']['name']))\n"
		"print(json.dumps(d['spec']))\n";
	char path[] = "/tmp/muzzle-k8s-XXXXXX", cmd[256], *out = NULL;
	size_t cap = 0, len = 0;
	int fd = mkstemp(path);
	FILE *p;

	*skip = 0;
	if (fd < 0 || write(fd, yaml, strlen(yaml)) != (ssize_t)strlen(yaml)) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	close(fd);
	if (system("python3 -c 'import yaml' >/dev/null 2>&1") != 0) {
		*skip = 1;
		unlink(path);
		return NULL;
	}
	snprintf(cmd, sizeof(cmd), "python3 -c \"$MUZZLE_K8S_PY\" %s", path);
	setenv("MUZZLE_K8S_PY", script, 1);
	p = popen(cmd, "r");
	if (p) {
		char buf[4096];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
			if (len + n + 1 > cap) {
				cap = (len + n + 1) * 2;
				out = realloc(out, cap);
			}
			memcpy(out + len, buf, n);
			len += n;
			out[len] = 0;
		}
		if (pclose(p) != 0) {
			free(out);
			out = NULL;
		}
	}
	unlink(path);
	return out;
}

static int equivalent(const struct policy *a, const struct policy *b)
{
	struct equiv_side sa = { .policy = a }, sb = { .policy = b };
	struct equiv_result r;

	return equiv_check(&sa, &sb, &r) == 0 && r.equal;
}

static const char *profile_path(void)
{
	static const char *const c[] = { "../shared/profiles/docker-default.json",
					 "/work/shared/profiles/docker-default.json" };
	static char buf[4096];
	const char *top = getenv("MUZZLE_TOP");

	if (top) {
		snprintf(buf, sizeof(buf), "%s/%s", top, c[0]);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	return access(c[1], R_OK) == 0 ? c[1] : NULL;
}

static void add(struct policy *p, uint32_t act, const char *name, unsigned ncond,
		const struct policy_cond *c)
{
	struct policy_rule r;

	policy_rule_init(&r, act, arch_syscall_id(name));
	for (unsigned i = 0; i < ncond; i++)
		policy_rule_add_cond(&r, c[i].arg, (enum policy_op)c[i].op, c[i].datum, c[i].mask);
	T_CHECK(policy_add_rule(p, &r, NULL) == 0, "add %s", name);
}

static void check_roundtrip(const char *tname, const struct policy *p, const char *name,
			    const char *want_name_json)
{
	struct muzzle_error e;
	struct policy back;
	char *yaml, *json, *nl;
	int rc, skip = 0;

	t_begin(tname);
	yaml = write_k8s(p, name, &rc, &e);
	T_CHECK(rc == 0, "write: %s", e.msg);
	T_CHECK(yaml && !strncmp(yaml, "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
				 "kind: SeccompProfile\n", 76), "header:\n%.200s", yaml ? yaml : "");
	/* containerd reads the spec as plain OCI: nothing Docker-only in it */
	T_CHECK(yaml && !strstr(yaml, "archMap") && !strstr(yaml, "includes") &&
		!strstr(yaml, "comment") && !strstr(yaml, "defaultErrnoRet"), "OCI members only");
	json = yaml ? yaml_to_spec_json(yaml, &skip) : NULL;
	if (!json && skip) {
		t_st.name = NULL;
		t_skip(tname, "python3-yaml is not installed");
		free(yaml);
		return;
	}
	T_CHECK(json != NULL, "python3-yaml could not read:\n%s", yaml ? yaml : "");
	nl = json ? strchr(json, '\n') : NULL;
	if (nl) {
		char first[512];

		snprintf(first, sizeof(first), "security-profiles-operator.x-k8s.io/v1beta1 "
			 "SeccompProfile %s", want_name_json);
		*nl = 0;
		T_CHECK(!strcmp(json, first), "header parsed as \"%s\"", json);
		rc = oci_read(nl + 1, strlen(nl + 1), "spec.json", NULL, &back, &e);
		T_CHECK(rc == 0, "OCI reader on the spec: %s: %s\n%s", e.json_path, e.msg, nl + 1);
		if (rc == 0) {
			T_CHECK(equivalent(p, &back), "spec equivalent to the policy");
			T_EQ_U(back.arches, p->arches);
			T_EQ_U(back.flags, p->flags);
			T_CHECK((!p->listener_metadata && !back.listener_metadata) ||
				(p->listener_metadata && back.listener_metadata &&
				 !strcmp(p->listener_metadata, back.listener_metadata)),
				"listenerMetadata survives YAML quoting");
		}
		policy_free(&back);
	}
	free(json);
	free(yaml);
	t_end();
}

static void test_docker_default(void)
{
	const char *path = profile_path();
	struct format_options o;
	struct muzzle_error e;
	struct policy p;

	if (!path) {
		t_skip("k8s_docker_default_roundtrip", "docker-default.json not found");
		return;
	}
	format_options_init(&o);
	o.warn = fopen("/dev/null", "w");
	T_CHECK(format_read_file(path, FORMAT_DOCKER, &o, &p, &e) == 0, "read: %s", e.msg);
	fclose(o.warn);
	/* defaultErrnoRet 1 is EPERM, which the CRD's missing field means anyway */
	check_roundtrip("k8s_docker_default_roundtrip", &p, "docker-default", "\"docker-default\"");
	policy_free(&p);
}

static void test_constructs(void)
{
	static const struct policy_cond lt = { 0, POLICY_OP_LT, ~0ull, 38 };
	static const struct policy_cond big = { 1, POLICY_OP_NE, ~0ull, UINT64_MAX };
	static const struct policy_cond mask = { 0, POLICY_OP_MASKED_EQ, 0x7e020000, 0 };
	struct policy p;

	policy_init(&p, POLICY_ACT_KILL_PROCESS);
	p.arches = ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_AARCH64) | ARCH_MASK(ARCH_PPC64LE);
	p.flags = POLICY_FLAG_LOG | POLICY_FLAG_WAIT_KILLABLE_RECV;
	p.listener_path = strdup("/var/run/security-profiles-operator/agent.sock");
	p.listener_metadata = strdup("key: \"value\"\n\ttab # not a remark");
	add(&p, POLICY_ACT_ALLOW, "read", 0, NULL);
	add(&p, POLICY_ACT_ALLOW, "_llseek", 0, NULL);
	add(&p, POLICY_ACT_ERRNO(38), "clone3", 0, NULL);
	add(&p, POLICY_ACT_ALLOW, "socket", 1, &lt);
	add(&p, POLICY_ACT_TRAP, "ioctl", 1, &big);
	add(&p, POLICY_ACT_ALLOW, "clone", 1, &mask);
	add(&p, POLICY_ACT_USER_NOTIF, "mount", 0, NULL);
	add(&p, POLICY_ACT_TRACE(7), "ptrace", 0, NULL);
	add(&p, POLICY_ACT_LOG, "uname", 0, NULL);
	check_roundtrip("k8s_every_construct_roundtrip", &p, "yes", "\"yes\"");
	policy_free(&p);
}

static void refused(const struct policy *p, const char *needle)
{
	struct muzzle_error e;
	int rc;
	char *t = write_k8s(p, NULL, &rc, &e);

	T_CHECK(rc == -ENOTSUP, "write gave %d, want -ENOTSUP (%s)", rc, needle);
	T_CHECK(strstr(e.msg, needle) != NULL, "message \"%s\" lacks \"%s\"", e.msg, needle);
	free(t);
}

static void test_refused(void)
{
	struct policy p;

	t_begin("k8s_refuses_what_the_crd_cannot_say");
	policy_init(&p, POLICY_ACT_ERRNO(38));
	refused(&p, "default errno return of 38");
	policy_free(&p);

	policy_init(&p, POLICY_ACT_USER_NOTIF);
	refused(&p, "SCMP_ACT_NOTIFY as the default");
	policy_free(&p);

	policy_init(&p, POLICY_ACT_ALLOW);
	add(&p, POLICY_ACT_ERRNO(0), "getpid", 0, NULL);
	refused(&p, "errno return of 0");
	policy_free(&p);

	policy_init(&p, POLICY_ACT_ALLOW);
	p.arches = ARCH_MASK(ARCH_LOONGARCH64);
	refused(&p, "SCMP_ARCH_LOONGARCH64");
	policy_free(&p);

	policy_init(&p, POLICY_ACT_ALLOW);
	p.flags = POLICY_FLAG_TSYNC_ESRCH;
	refused(&p, "TSYNC_ESRCH");
	policy_free(&p);
	t_end();

	t_begin("k8s_default_name");
	{
		struct muzzle_error e;
		int rc;
		char *t;

		policy_init(&p, POLICY_ACT_ALLOW);
		t = write_k8s(&p, NULL, &rc, &e);
		T_CHECK(rc == 0 && t && strstr(t, "  name: muzzle-profile\n"), "name:\n%s", t ? t : "");
		T_CHECK(t && strstr(t, "  syscalls: []\n"), "empty list:\n%s", t ? t : "");
		if (t) {
			struct policy q;
			enum format f = format_detect(t, strlen(t), NULL);

			T_EQ_I(f, FORMAT_K8S);
			rc = format_read_buf(t, strlen(t), "sp.yaml", FORMAT_AUTO, NULL, &q, &e);
			T_CHECK(rc == -ENOTSUP && strstr(e.msg, "spec as OCI JSON"), "read: %d %s",
				rc, e.msg);
			policy_free(&q);
		}
		free(t);
		policy_free(&p);
	}
	t_end();
}

int main(void)
{
	test_docker_default();
	test_constructs();
	test_refused();
	return t_done();
}
