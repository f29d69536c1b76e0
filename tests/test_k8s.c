/* Security Profiles Operator SeccompProfile: the writer's YAML is read back
 * with an independent YAML parser (python3-yaml), its spec fed to the OCI
 * reader and compared with the original policy; what the CRD cannot carry
 * is refused.  The reader (muzzle's YAML subset, or the JSON kubectl
 * prints) reads the writer's output back to an equivalent policy, reads
 * hand-written manifests the same as the OCI JSON they mean, and names
 * every construct outside the subset at file:line:column. */
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

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Everything the equivalence checker does not look at. */
static void check_same_extras(const struct policy *a, const struct policy *b)
{
	T_EQ_U(b->arches, a->arches);
	T_EQ_U(b->flags, a->flags);
	T_EQ_U(b->default_action, a->default_action);
	T_CHECK(same_str(a->listener_path, b->listener_path), "listenerPath \"%s\"",
		b->listener_path ? b->listener_path : "(none)");
	T_CHECK(same_str(a->listener_metadata, b->listener_metadata), "listenerMetadata \"%s\"",
		b->listener_metadata ? b->listener_metadata : "(none)");
}

/* muzzle's own reader, through detection, gives back an equivalent policy. */
static void check_read_back(const char *yaml, const struct policy *p)
{
	struct muzzle_error e;
	struct policy back;
	int rc;

	T_EQ_I(format_detect(yaml, strlen(yaml), NULL), FORMAT_K8S);
	rc = format_read_buf(yaml, strlen(yaml), "sp.yaml", FORMAT_AUTO, NULL, &back, &e);
	T_CHECK(rc == 0, "k8s reader: %d:%d: %s", e.line, e.col, e.msg);
	if (rc == 0) {
		T_CHECK(equivalent(p, &back), "read back equivalent to the policy");
		check_same_extras(p, &back);
	}
	policy_free(&back);
}

/* write -> muzzle's reader: no other YAML parser involved. */
static void check_write_read(const char *tname, const struct policy *p, const char *name)
{
	struct muzzle_error e;
	int rc;
	char *yaml;

	t_begin(tname);
	yaml = write_k8s(p, name, &rc, &e);
	T_CHECK(rc == 0 && yaml, "write: %s", e.msg);
	if (yaml)
		check_read_back(yaml, p);
	free(yaml);
	t_end();
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
	check_write_read("k8s_docker_default_write_read", &p, "docker-default");
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
	check_write_read("k8s_every_construct_write_read", &p, "yes");
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
			T_CHECK(rc == 0 && q.nrules == 0 && q.default_action == POLICY_ACT_ALLOW,
				"read back: %d %s", rc, e.msg);
			policy_free(&q);
		}
		free(t);
		policy_free(&p);
	}
	t_end();
}


/* --- reading hand-written manifests --------------------------------------------- */

#define HEAD "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\n"

static int read_k8s(const char *text, struct policy *p, struct muzzle_error *e, FILE *warn)
{
	struct format_options o;

	format_options_init(&o);
	o.warn = warn;
	return format_read_buf(text, strlen(text), "sp.yaml", FORMAT_K8S, &o, p, e);
}

/* The manifest reads as the same policy as the OCI JSON it means. */
static void check_same_as_oci(const char *tname, const char *manifest, const char *oci)
{
	struct muzzle_error e;
	struct policy a, b;
	int rc;

	t_begin(tname);
	T_EQ_I(format_detect(manifest, strlen(manifest), NULL), FORMAT_K8S);
	rc = format_read_buf(manifest, strlen(manifest), "sp.yaml", FORMAT_AUTO, NULL, &a, &e);
	T_CHECK(rc == 0, "k8s: %d:%d: %s", e.line, e.col, e.msg);
	T_CHECK(oci_read(oci, strlen(oci), "x.json", NULL, &b, &e) == 0, "oci: %s: %s",
		e.json_path, e.msg);
	if (rc == 0) {
		T_CHECK(equivalent(&a, &b), "same verdicts as the OCI profile");
		check_same_extras(&b, &a);
		T_CHECK(a.nrules > 0 || b.nrules == 0, "rules were read");
	}
	policy_free(&a);
	policy_free(&b);
	t_end();
}

static void test_hand_written(void)
{
	/* indented and indentless sequences, comments, all three scalar styles,
	 * flow collections of scalars, a scalar on the line after its key, hex */
	check_same_as_oci("k8s_read_hand_written_block_style",
		"# written by hand\n"
		"---\n"
		"apiVersion: \"security-profiles-operator.x-k8s.io/v1beta1\"\n"
		"kind: 'SeccompProfile'   # the CRD\n"
		"metadata:\n"
		"  name: hand-written\n"
		"  labels:\n"
		"    app: demo\n"
		"\n"
		"spec:\n"
		"  defaultAction:\n"
		"    SCMP_ACT_ERRNO\n"
		"  architectures: [SCMP_ARCH_X86_64, \"SCMP_ARCH_AARCH64\"]\n"
		"  syscalls:\n"
		"    - names:\n"
		"        - read\n"
		"        - 'write'   # quoted\n"
		"        - \"exit_group\"\n"
		"      action: SCMP_ACT_ALLOW\n"
		"    - names: [ioctl]\n"
		"      action: SCMP_ACT_ALLOW\n"
		"      args:\n"
		"        - index: 1\n"
		"          value: 0x5401\n"
		"          op: SCMP_CMP_EQ\n"
		"    - action: \"SCMP_ACT_ERRNO\"\n"
		"      errnoRet: 38\n"
		"      names:\n"
		"      - clone3\n"
		"    -\n"
		"      names:\n"
		"      - personality\n"
		"      action: SCMP_ACT_ALLOW\n"
		"      args:\n"
		"      - {index: 0, value: 4294967295, valueTwo: 8, op: SCMP_CMP_MASKED_EQ}\n"
		"...\n"
		"# nothing but comments after the end marker\n",
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\","
		" \"SCMP_ARCH_AARCH64\"], \"syscalls\": ["
		"{\"names\": [\"read\", \"write\", \"exit_group\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1,"
		" \"value\": 21505, \"op\": \"SCMP_CMP_EQ\"}]},"
		"{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
		"{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\":"
		" 0, \"value\": 4294967295, \"valueTwo\": 8, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}");

	/* CRLF line ends, escapes in double quotes, '' in single quotes, flags,
	 * the listener members, null members, compact nested sequences */
	check_same_as_oci("k8s_read_hand_written_quoting",
		HEAD
		"spec:\r\n"
		"  defaultAction: SCMP_ACT_KILL_PROCESS\r\n"
		"  architectures: ~\r\n"
		"  flags:\r\n"
		"  - SECCOMP_FILTER_FLAG_LOG\r\n"
		"  listenerPath: '/var/run/security-profiles-operator/agent''s.sock'\r\n"
		"  listenerMetadata: \"a\\tb\\u00e9\\x41 # not a comment\\\\\"\r\n"
		"  syscalls:\r\n"
		"  - action: SCMP_ACT_NOTIFY\r\n"
		"    names: [mount, 'umount2',]\r\n"
		"  - action: SCMP_ACT_TRACE\r\n"
		"    errnoRet: 7\r\n"
		"    args: null\r\n"
		"    names:\r\n"
		"    -   ptrace\r\n",
		"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"],"
		" \"listenerPath\": \"/var/run/security-profiles-operator/agent's.sock\","
		" \"listenerMetadata\": \"a\\tb\\u00e9A # not a comment\\\\\", \"syscalls\": ["
		"{\"names\": [\"mount\", \"umount2\"], \"action\": \"SCMP_ACT_NOTIFY\"},"
		"{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 7}]}");

	/* what `kubectl get seccompprofile x -o json` prints: metadata and status
	 * are read past, spec is the profile */
	check_same_as_oci("k8s_read_kubectl_json",
		"{\n"
		"  \"apiVersion\": \"security-profiles-operator.x-k8s.io/v1beta1\",\n"
		"  \"kind\": \"SeccompProfile\",\n"
		"  \"metadata\": {\n"
		"    \"creationTimestamp\": \"2024-05-01T10:00:00Z\",\n"
		"    \"generation\": 1,\n"
		"    \"labels\": {\"spo.x-k8s.io/profile-id\": \"SeccompProfile-p\"},\n"
		"    \"name\": \"p\", \"namespace\": \"default\",\n"
		"    \"uid\": \"0b7c3b4e-7f0e-4bb4-9a53-5d2c1f3f0a11\"\n"
		"  },\n"
		"  \"spec\": {\n"
		"    \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		"    \"disabled\": false,\n"
		"    \"baseProfileName\": \"\",\n"
		"    \"syscalls\": [{\"action\": \"SCMP_ACT_ALLOW\", \"names\": [\"read\", \"write\"]},\n"
		"                 {\"action\": \"SCMP_ACT_ALLOW\", \"names\": [\"socket\"],\n"
		"                  \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\", \"value\": 1}]}]\n"
		"  },\n"
		"  \"status\": {\"status\": \"Installed\", \"localhostProfile\": \"operator/default/p.json\","
		" \"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}]}\n"
		"}\n",
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		"{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0,"
		" \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}");
}

/* --- errors ------------------------------------------------------------------------- */

struct bad_case {
	const char *text;
	int line, col;		/* 0: a JSON path instead (the JSON form) */
	const char *needle;
};

static void check_bad(const struct bad_case *b)
{
	struct muzzle_error e;
	struct policy p;
	int rc = read_k8s(b->text, &p, &e, NULL);

	T_CHECK(rc < 0, "accepted:\n%s", b->text);
	T_CHECK(strstr(e.msg, b->needle) != NULL, "\"%s\" lacks \"%s\"", e.msg, b->needle);
	if (b->line) {
		T_CHECK(e.line == b->line && e.col == b->col, "at %d:%d, want %d:%d (%s)", e.line,
			e.col, b->line, b->col, e.msg);
		T_EQ_S(e.file, "sp.yaml");
	}
	T_CHECK(p.nrules == 0, "nothing kept after an error");
	policy_free(&p);
}

#define SPEC HEAD "spec:\n  defaultAction: SCMP_ACT_ERRNO\n"
#define RULE SPEC "  syscalls:\n  - names: [read]\n"

static const struct bad_case syntax_errors[] = {
	{ RULE "    action: &allow SCMP_ACT_ALLOW\n", 7, 13, "anchors ('&name')" },
	{ RULE "    action: *allow\n", 7, 13, "aliases ('*name')" },
	{ RULE "    action: !!str SCMP_ACT_ALLOW\n", 7, 13, "tags ('!tag')" },
	{ SPEC "  listenerMetadata: |\n    text\n", 5, 21, "block scalars ('|')" },
	{ SPEC "  listenerMetadata: >-\n    text\n", 5, 21, "block scalars ('>')" },
	{ SPEC "  syscalls: [{names: [read], action: SCMP_ACT_ALLOW}]\n", 5, 14,
	  "nested flow collections" },
	{ SPEC "  syscalls:\n  - names: [read,\n      write]\n", 6, 12, "spanning lines" },
	{ SPEC "  architectures: [SCMP_ARCH_X86_64: 1]\n", 5, 19, "mapping inside a flow sequence" },
	{ RULE "    action: SCMP_ACT_ALLOW\n    args:\n    - index: 0\n      op: SCMP_CMP_EQ\n"
	  "      value: 1\n        2\n", 12, 9, "multi-line scalars" },
	{ SPEC "  listenerMetadata: \"one\n    two\"\n", 5, 21, "quoted string must end on its line" },
	{ SPEC "---\nkind: SeccompProfile\n", 5, 1, "multi-document" },
	{ SPEC "...\n---\n", 6, 1, "multi-document" },
	{ "%YAML 1.2\n---\n" SPEC, 1, 1, "directives" },
	{ SPEC "  ? defaultAction\n", 5, 3, "complex mapping keys" },
	{ SPEC "  defaultAction: SCMP_ACT_LOG\n", 5, 3, "key \"defaultAction\" is repeated" },
	{ SPEC "\tsyscalls: []\n", 5, 1, "tab in indentation" },
	{ SPEC "  syscalls: - x\n", 5, 13, "cannot start on the line of its key" },
	{ SPEC "  listenerPath: a: b\n", 5, 18, "':' in a plain value" },
	{ SPEC "  listenerPath: \"\\q\"\n", 5, 18, "unknown escape" },
	{ SPEC "  syscalls:\n  - names: [read]\n   action: SCMP_ACT_ALLOW\n", 7, 4,
	  "indentation matches no enclosing block" },
	{ SPEC "  syscalls:\n    - names: [read]\n    x: 1\n", 7, 5, "a mapping key where a "
	  "sequence item" },
	{ SPEC "  - a\n", 5, 3, "sequence item where a mapping key" },
	{ RULE "    action: SCMP_ACT_ALLOW\n    args:\n    - index: 010\n", 9, 14,
	  "reads differently in YAML 1.1 and 1.2" },
	{ RULE "    action: SCMP_ACT_ALLOW\n    args:\n    - index: 0\n      op: SCMP_CMP_EQ\n"
	  "      value: 18446744073709551616\n", 11, 14, "beyond the 64-bit range" },
	{ SPEC "  listenerPath: \"a\xff\"\n", 5, 19, "invalid UTF-8" },
	{ SPEC "  listenerPath: \"a\x01\"\n", 5, 19, "control character 0x01" },
	{ "", 1, 1, "empty document" },
};

/* Errors the reader finds in the JSON tree: located at the YAML key of the
 * offending item (or of the entry missing a member). */
static const struct bad_case content_errors[] = {
	{ RULE "    action: SCMP_ACT_ALOW\n", 7, 5, "$.spec.syscalls[0].action: unknown action" },
	{ RULE "    acton: SCMP_ACT_ALLOW\n", 7, 5, "$.spec.syscalls[0].acton: unknown field" },
	{ RULE, 6, 3, "$.spec.syscalls[0].action: required field missing" },
	{ RULE "    action: SCMP_ACT_ALLOW\n    args:\n    - index: 7\n      op: SCMP_CMP_EQ\n",
	  9, 7, "$.spec.syscalls[0].args[0].index" },
	{ RULE "    action: yes\n", 7, 5, "expected a string, got a boolean" },
	{ SPEC "  baseProfileName: runc-v1.0.0\n", 5, 3, "baseProfileName \"runc-v1.0.0\"" },
	{ SPEC "  defaultErrnoRet: 38\n", 5, 3, "no defaultErrnoRet" },
	{ RULE "    action: SCMP_ACT_ERRNO\n    errnoRet: 0\n", 8, 5, "errnoRet 0" },
	{ SPEC "  disabled: maybe\n", 5, 3, "$.spec.disabled: expected a boolean" },
	{ HEAD "metadata:\n  name: x\n", 1, 1, "$.spec: required field missing" },
	{ "apiVersion: v1\nkind: Pod\nspec: {}\n", 2, 1, "not a SeccompProfile: found kind "
	  "\"Pod\" (apiVersion \"v1\")" },
	{ "apiVersion: security-profiles-operator.x-k8s.io/v2\nkind: SeccompProfile\n", 1, 1,
	  "found apiVersion \"security-profiles-operator.x-k8s.io/v2\"" },
	{ SPEC "status: {}\nextra: 1\n", 6, 1, "$.extra: unknown field" },
	{ "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"data\": {}}", 0, 0,
	  "found kind \"ConfigMap\"" },
	{ "{\"apiVersion\": \"security-profiles-operator.x-k8s.io/v1beta1\", \"kind\": "
	  "\"SeccompProfile\", \"spec\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", "
	  "\"baseProfileName\": \"oci://ghcr.io/x/y\"}}", 0, 0, "muzzle cannot fetch it" },
};

static void test_errors(void)
{
	t_begin("k8s_read_yaml_syntax_errors_located");
	for (size_t i = 0; i < sizeof(syntax_errors) / sizeof(syntax_errors[0]); i++)
		check_bad(&syntax_errors[i]);
	t_end();
	t_begin("k8s_read_content_errors_located");
	for (size_t i = 0; i < sizeof(content_errors) / sizeof(content_errors[0]); i++)
		check_bad(&content_errors[i]);
	t_end();

	t_begin("k8s_read_base_profile_refused_not_supported");
	{
		struct muzzle_error e;
		struct policy p;
		int rc = read_k8s(SPEC "  baseProfileName: runc-v1.0.0\n", &p, &e, NULL);
		char buf[1024];

		T_EQ_I(rc, -ENOTSUP);
		muzzle_error_format(&e, buf, sizeof(buf));
		T_CHECK(!strncmp(buf, "sp.yaml:5:3: $.spec.baseProfileName: baseProfileName", 52),
			"formatted: %s", buf);
		policy_free(&p);
	}
	t_end();
}

static void test_detect_and_warn(void)
{
	struct muzzle_error e;
	struct policy p;
	char *w = NULL;
	size_t wlen = 0;
	FILE *f;
	int rc;

	t_begin("k8s_detect");
	T_EQ_I(format_detect("---\nspec: {}\n", 12, NULL), FORMAT_K8S);
	T_EQ_I(format_detect("# c\nkind: SeccompProfile\n", 23, NULL), FORMAT_K8S);
	T_EQ_I(format_detect("x: 1\n", 5, "p.yml"), FORMAT_K8S);
	T_EQ_I(format_detect("read: 1\n", 8, NULL), FORMAT_MINIJAIL);
	T_EQ_I(format_detect("{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}", 35, NULL), FORMAT_K8S);
	T_EQ_I(format_detect("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", 35, NULL), FORMAT_OCI);
	t_end();

	t_begin("k8s_read_disabled_warns");
	f = open_memstream(&w, &wlen);
	rc = read_k8s(SPEC "  disabled: true\n", &p, &e, f);
	fclose(f);
	T_CHECK(rc == 0, "read: %s", e.msg);
	T_CHECK(w && strstr(w, "sp.yaml: warning: spec.disabled is true"), "warning: %s", w);
	policy_free(&p);
	free(w);
	t_end();
}

int main(void)
{
	test_docker_default();
	test_constructs();
	test_refused();
	test_hand_written();
	test_errors();
	test_detect_and_warn();
	return t_done();
}
