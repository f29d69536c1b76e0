/* OCI seccomp reader/writer and the format dispatch: every construct, every
 * class of bad input (with the JSON path of the error), write -> read round
 * trips checked with the equivalence checker, and what OCI cannot express. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>

#include "format.h"
#include "json_common.h"
#include "policy/equiv.h"
#include "policy/eval.h"

static int rd(const char *json, struct policy *p, struct muzzle_error *e, char **warn)
{
	struct format_options o;
	size_t wlen;
	FILE *w;
	int rc;

	format_options_init(&o);
	w = open_memstream(warn, &wlen);
	o.warn = w;
	rc = oci_read(json, strlen(json), "t.json", &o, p, e);
	fclose(w);
	return rc;
}

static int rd_quiet(const char *json, struct policy *p, struct muzzle_error *e)
{
	char *w = NULL;
	int rc = rd(json, p, e, &w);

	free(w);
	return rc;
}

/* Reading must fail, with the error at JSON path `path` (or, for syntax
 * errors, path NULL and a line number). */
static void bad(const char *json, const char *path, const char *needle)
{
	struct muzzle_error e;
	struct policy p;
	int rc = rd_quiet(json, &p, &e);

	T_CHECK(rc < 0, "accepted bad input %s", json);
	if (path)
		T_CHECK(strcmp(e.json_path, path) == 0, "input %s: path \"%s\", want \"%s\" (%s)",
			json, e.json_path, path, e.msg);
	else
		T_CHECK(e.line > 0, "input %.60s: no line in error (%s)", json, e.msg);
	if (needle)
		T_CHECK(strstr(e.msg, needle) != NULL, "message \"%s\" lacks \"%s\"", e.msg,
			needle);
	T_CHECK(e.file[0] && strcmp(e.file, "t.json") == 0, "error names file: \"%s\"", e.file);
	T_EQ_U(p.nrules, 0);
	policy_free(&p);
}

/* T_EQ_* evaluate their arguments twice: calls go through EQ */
#define EQ(call, want) do { long long v_ = (call); T_EQ_I(v_, want); } while (0)

static int count_sub(const char *s, const char *sub)
{
	int n = 0;

	for (const char *p = strstr(s, sub); p; p = strstr(p + 1, sub))
		n++;
	return n;
}

static int sys(const char *name)
{
	return arch_syscall_id(name);
}

static uint32_t eval_x86_64(const struct policy *p, const char *name, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = { 0 };
	const struct arch_desc *a = arch_get(ARCH_X86_64);

	d.arch = a->token;
	d.nr = arch_syscall_nr(ARCH_X86_64, sys(name));
	d.args[0] = a0;
	d.args[1] = a1;
	return policy_eval(p, &d).action;
}

static void test_minimal(void)
{
	struct muzzle_error e;
	struct policy p;

	t_begin("oci_minimal");
	EQ(rd_quiet("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", &p, &e), 0);
	T_EQ_U(p.default_action, POLICY_ACT_ALLOW);
	T_EQ_U(p.arches, ARCH_MASK(arch_native()->id));
	T_EQ_U(p.badarch_action, POLICY_ACT_KILL_THREAD);
	T_EQ_U(p.nrules, 0);
	policy_free(&p);
	t_end();
}

static void test_actions(void)
{
	static const struct { const char *name; uint32_t want; } acts[] = {
		{ "SCMP_ACT_KILL", POLICY_ACT_KILL_THREAD },
		{ "SCMP_ACT_KILL_THREAD", POLICY_ACT_KILL_THREAD },
		{ "SCMP_ACT_KILL_PROCESS", POLICY_ACT_KILL_PROCESS },
		{ "SCMP_ACT_TRAP", POLICY_ACT_TRAP },
		{ "SCMP_ACT_ERRNO", POLICY_ACT_ERRNO(EPERM) },
		{ "SCMP_ACT_TRACE", POLICY_ACT_TRACE(EPERM) },
		{ "SCMP_ACT_LOG", POLICY_ACT_LOG },
		{ "SCMP_ACT_NOTIFY", POLICY_ACT_USER_NOTIF },
		{ "SCMP_ACT_ALLOW", POLICY_ACT_ALLOW },
	};

	t_begin("oci_every_action");
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		char buf[256];
		struct muzzle_error e;
		struct policy p;
		const char *def = acts[i].want == POLICY_ACT_ALLOW ? "SCMP_ACT_KILL_PROCESS"
								   : "SCMP_ACT_ALLOW";

		snprintf(buf, sizeof(buf), "{\"defaultAction\":\"%s\",\"syscalls\":[{\"names\":"
			 "[\"read\"],\"action\":\"%s\"}]}", def, acts[i].name);
		T_CHECK(rd_quiet(buf, &p, &e) == 0, "%s: %s", acts[i].name, e.msg);
		T_CHECK(p.nrules == 1 && p.rules[0].action == acts[i].want,
			"%s: %zu rules, action 0x%x", acts[i].name, p.nrules,
			p.nrules ? p.rules[0].action : 0);
		T_EQ_I(p.nrules ? p.rules[0].sys : -9, sys("read"));
		policy_free(&p);
		/* and as the default action */
		snprintf(buf, sizeof(buf), "{\"defaultAction\":\"%s\"}", acts[i].name);
		T_CHECK(rd_quiet(buf, &p, &e) == 0 && p.default_action == acts[i].want,
			"default %s", acts[i].name);
		policy_free(&p);
	}
	t_end();
}

static void test_errno(void)
{
	struct muzzle_error e;
	struct policy p;

	t_begin("oci_errno_ret");
	EQ(rd_quiet("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
			"\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\","
			"\"errnoRet\":13},{\"names\":[\"write\"],\"action\":\"SCMP_ACT_TRACE\","
			"\"errnoRet\":5000},{\"names\":[\"open\"],\"action\":\"SCMP_ACT_ERRNO\","
			"\"errnoRet\":0}]}", &p, &e), 0);
	T_EQ_U(p.default_action, POLICY_ACT_ERRNO(38));
	T_EQ_U(p.nrules, 3);
	if (p.nrules == 3) {
		T_EQ_U(p.rules[0].action, POLICY_ACT_ERRNO(13));
		T_EQ_U(p.rules[1].action, POLICY_ACT_TRACE(5000));
		T_EQ_U(p.rules[2].action, POLICY_ACT_ERRNO(0));
	}
	policy_free(&p);
	/* the seed's form: ERRNO without errnoRet is EPERM, as runc does */
	EQ(rd_quiet("{\"defaultAction\":\"SCMP_ACT_KILL\",\"syscalls\":[{\"names\":"
			"[\"chmod\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", &p, &e), 0);
	T_EQ_U(p.default_action, POLICY_ACT_KILL_THREAD);
	T_CHECK(p.nrules == 1 && p.rules[0].action == POLICY_ACT_ERRNO(EPERM) &&
		p.rules[0].sys == sys("chmod"), "chmod -> ERRNO(EPERM)");
	policy_free(&p);
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
	    "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":65536}]}", "$.syscalls[0].errnoRet",
	    "16 bits");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
	    "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":4096}]}", "$.syscalls[0].errnoRet",
	    "4095");
	bad("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":65537}",
	    "$.defaultErrnoRet", "16 bits");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
	    "\"action\":\"SCMP_ACT_KILL\",\"errnoRet\":1}]}", "$.syscalls[0].errnoRet", NULL);
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1}", "$.defaultErrnoRet",
	    NULL);
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
	    "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":-1}]}", "$.syscalls[0].errnoRet", NULL);
	t_end();
}

static void test_ops(void)
{
	static const struct { const char *name; enum policy_op op; } ops[] = {
		{ "SCMP_CMP_NE", POLICY_OP_NE }, { "SCMP_CMP_LT", POLICY_OP_LT },
		{ "SCMP_CMP_LE", POLICY_OP_LE }, { "SCMP_CMP_EQ", POLICY_OP_EQ },
		{ "SCMP_CMP_GE", POLICY_OP_GE }, { "SCMP_CMP_GT", POLICY_OP_GT },
	};
	struct muzzle_error e;
	struct policy p;

	t_begin("oci_every_op");
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		char buf[300];

		snprintf(buf, sizeof(buf), "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
			 "[{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{"
			 "\"index\":%zu,\"value\":18446744073709551615,\"op\":\"%s\"}]}]}",
			 i % 6, ops[i].name);
		T_CHECK(rd_quiet(buf, &p, &e) == 0, "%s: %s", ops[i].name, e.msg);
		T_CHECK(p.nrules == 1 && p.rules[0].ncond == 1 &&
			p.rules[0].cond[0].op == ops[i].op && p.rules[0].cond[0].arg == i % 6 &&
			p.rules[0].cond[0].datum == UINT64_MAX, "%s condition", ops[i].name);
		policy_free(&p);
	}
	/* MASKED_EQ: value is the mask, valueTwo the expected value */
	EQ(rd_quiet("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
			"[\"clone\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,"
			"\"value\":2114060288,\"valueTwo\":268435456,\"op\":\"SCMP_CMP_MASKED_EQ\"}"
			"]}]}", &p, &e), 0);
	T_CHECK(p.nrules == 1 && p.rules[0].cond[0].op == POLICY_OP_MASKED_EQ &&
		p.rules[0].cond[0].mask == 2114060288u && p.rules[0].cond[0].datum == 268435456u,
		"masked eq mapping");
	T_EQ_U(eval_x86_64(&p, "clone", 0x10000000, 0), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(eval_x86_64(&p, "clone", 0x10000001, 0), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(eval_x86_64(&p, "clone", 0x20000000, 0), POLICY_ACT_ALLOW);
	policy_free(&p);
	t_end();
}

static void test_and_or(void)
{
	struct muzzle_error e;
	struct policy p;

	t_begin("oci_distinct_indices_and");
	EQ(rd_quiet("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
			"[\"kill\",\"tkill\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":["
			"{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},"
			"{\"index\":1,\"value\":9,\"op\":\"SCMP_CMP_EQ\"}]}]}", &p, &e), 0);
	T_EQ_U(p.nrules, 2);
	T_CHECK(p.nrules == 2 && p.rules[0].ncond == 2 && p.rules[1].ncond == 2, "ANDed");
	T_EQ_U(eval_x86_64(&p, "kill", 1, 9), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(eval_x86_64(&p, "kill", 1, 8), POLICY_ACT_ALLOW);
	T_EQ_U(eval_x86_64(&p, "kill", 2, 9), POLICY_ACT_ALLOW);
	policy_free(&p);
	t_end();

	t_begin("oci_repeated_index_splits_into_or");
	EQ(rd_quiet("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
			"[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":["
			"{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},"
			"{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"},"
			"{\"index\":1,\"value\":9,\"op\":\"SCMP_CMP_EQ\"}]}]}", &p, &e), 0);
	T_EQ_U(p.nrules, 3);
	for (size_t i = 0; i < p.nrules; i++)
		T_EQ_U(p.rules[i].ncond, 1);
	/* runc's fallback: each condition alone, ORed */
	T_EQ_U(eval_x86_64(&p, "kill", 1, 0), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(eval_x86_64(&p, "kill", 2, 0), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(eval_x86_64(&p, "kill", 3, 9), POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(eval_x86_64(&p, "kill", 3, 8), POLICY_ACT_ALLOW);
	policy_free(&p);
	t_end();
}

static void test_default_skip_and_unknown(void)
{
	struct muzzle_error e;
	struct policy p;
	char *warn = NULL;

	t_begin("oci_rule_equal_to_default_skipped");
	EQ(rd_quiet("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,"
			"\"syscalls\":[{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ERRNO\"},"
			"{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
			"\"value\":38,\"op\":\"SCMP_CMP_LT\"}]},{\"names\":[\"clone3\"],\"action\":"
			"\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}", &p, &e), 0);
	/* ERRNO(1) == default: skipped, so socket(2) is allowed as under runc */
	T_EQ_U(p.nrules, 2);
	T_EQ_U(eval_x86_64(&p, "socket", 2, 0), POLICY_ACT_ALLOW);
	T_EQ_U(eval_x86_64(&p, "socket", 40, 0), POLICY_ACT_ERRNO(1));
	T_EQ_U(eval_x86_64(&p, "clone3", 0, 0), POLICY_ACT_ERRNO(38));
	policy_free(&p);
	t_end();

	t_begin("oci_unknown_names_one_warning");
	EQ(rd("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
		  "[\"nosuchcall\",\"read\",\"othercall\"],\"action\":\"SCMP_ACT_KILL\"},"
		  "{\"names\":[\"nosuchcall\"],\"action\":\"SCMP_ACT_TRAP\"}]}", &p, &e, &warn), 0);
	T_EQ_U(p.nrules, 1);
	T_CHECK(warn && strstr(warn, "nosuchcall") && strstr(warn, "othercall"),
		"warning lists names: %s", warn ? warn : "(none)");
	T_CHECK(warn && count_sub(warn, "\n") == 1 && count_sub(warn, "nosuchcall") == 1,
		"exactly one line, each name once: %s", warn ? warn : "");
	T_CHECK(warn && strstr(warn, "t.json"), "warning names the file");
	free(warn);
	policy_free(&p);
	/* a name with a line break still gives one line */
	EQ(rd("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	      "[\"bad\\nname\",\"read\"],\"action\":\"SCMP_ACT_KILL\"}]}", &p, &e, &warn), 0);
	T_CHECK(warn && count_sub(warn, "\n") == 1 && strstr(warn, "bad\\x0aname"),
		"escaped: %s", warn ? warn : "");
	free(warn);
	policy_free(&p);
	t_end();
}

static void test_arches_flags(void)
{
	struct muzzle_error e;
	struct policy p;

	t_begin("oci_arches_flags_listener");
	EQ(rd_quiet("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":["
			"\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\",\"SCMP_ARCH_AARCH64\","
			"\"SCMP_ARCH_MIPSEL64N32\",\"SCMP_ARCH_RISCV64\"],\"flags\":["
			"\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
			"\"SECCOMP_FILTER_FLAG_TSYNC\",\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],"
			"\"listenerPath\":\"/run/agent.sock\",\"listenerMetadata\":\"meta data\"}",
			&p, &e), 0);
	T_EQ_U(p.arches, ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_X32) |
	       ARCH_MASK(ARCH_AARCH64) | ARCH_MASK(ARCH_MIPSEL64N32) | ARCH_MASK(ARCH_RISCV64));
	T_EQ_U(p.flags, POLICY_FLAG_LOG | POLICY_FLAG_SPEC_ALLOW | POLICY_FLAG_TSYNC |
	       POLICY_FLAG_WAIT_KILLABLE_RECV);
	T_EQ_S(p.listener_path, "/run/agent.sock");
	T_EQ_S(p.listener_metadata, "meta data");
	policy_free(&p);
	EQ(rd_quiet("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":["
			"\"SCMP_ARCH_NATIVE\"]}", &p, &e), 0);
	T_EQ_U(p.arches, ARCH_MASK(arch_native()->id));
	policy_free(&p);
	t_end();
}

static void test_config_json(void)
{
	struct muzzle_error e;
	struct policy p;

	t_begin("oci_whole_config_json");
	EQ(rd_quiet("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"]},\"linux\":{"
			"\"namespaces\":[{\"type\":\"pid\"}],\"seccomp\":{\"defaultAction\":"
			"\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"write\"],"
			"\"action\":\"SCMP_ACT_ALLOW\"}]}}}", &p, &e), 0);
	T_EQ_U(p.default_action, POLICY_ACT_ERRNO(EPERM));
	T_EQ_U(p.nrules, 2);
	policy_free(&p);
	bad("{\"ociVersion\":\"1.0.2\",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
	    "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{"
	    "\"index\":0,\"op\":\"SCMP_CMP_BOGUS\"}]}]}}}",
	    "$.linux.seccomp.syscalls[0].args[0].op", "SCMP_CMP_BOGUS");
	bad("{\"ociVersion\":\"1.0.2\",\"linux\":{}}", "$.linux.seccomp", "missing");
	bad("{\"ociVersion\":\"1.0.2\"}", "$.linux", "missing");
	t_end();
}

static void test_bad_inputs(void)
{
	static const struct { const char *json, *path, *needle; } cases[] = {
		{ "[1,2]", "$", "expected an object" },
		{ "\"x\"", "$", "expected an object" },
		{ "{}", "$.defaultAction", "missing" },
		{ "{\"defaultAction\":1}", "$.defaultAction", "expected a string" },
		{ "{\"defaultAction\":\"SCMP_ACT_BOGUS\"}", "$.defaultAction", "SCMP_ACT_BOGUS" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"bogus\":1}", "$.bogus", "unknown field" },
		{ "{\"defaultAction\":\"SCMP_ACT_\\u0007\\\"x\"}", "$.defaultAction",
		  "SCMP_ACT_\\x07\\\"x" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":\"SCMP_ARCH_X86\"}",
		  "$.architectures", "expected an array" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_VAX\"]}",
		  "$.architectures[0]", "SCMP_ARCH_VAX" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[7]}",
		  "$.architectures[0]", "expected a string" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_BOGUS\"]}",
		  "$.flags[0]", "BOGUS" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":{}}", "$.flags",
		  "expected an array" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":5}", "$.listenerPath",
		  "expected a string" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerMetadata\":[]}",
		  "$.listenerMetadata", "expected a string" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}", "$.syscalls",
		  "expected an array" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[3]}", "$.syscalls[0]",
		  "expected an object" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_KILL\"}]}",
		  "$.syscalls[0].names", "missing" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":\"read\","
		  "\"action\":\"SCMP_ACT_KILL\"}]}", "$.syscalls[0].names", "expected an array" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[],"
		  "\"action\":\"SCMP_ACT_KILL\"}]}", "$.syscalls[0].names", "at least one" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\",1],"
		  "\"action\":\"SCMP_ACT_KILL\"}]}", "$.syscalls[0].names[1]", "expected a string" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"]}]}",
		  "$.syscalls[0].action", "missing" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"name\":\"x\"}]}", "$.syscalls[0].name",
		  "unknown field" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"errnoRet\":\"1\"}]}", "$.syscalls[0].errnoRet",
		  "expected an unsigned integer" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":{}}]}", "$.syscalls[0].args",
		  "expected an array" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[1]}]}", "$.syscalls[0].args[0]",
		  "expected an object" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":6,\"value\":1,"
		  "\"op\":\"SCMP_CMP_EQ\"}]}]}", "$.syscalls[0].args[0].index", "0..5" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		  "$.syscalls[0].args[0].index", "missing" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":1}]}]}",
		  "$.syscalls[0].args[0].op", "missing" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":1,"
		  "\"op\":\"SCMP_CMP_MASKED_NE\"}]}]}", "$.syscalls[0].args[0].op",
		  "unknown operator" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":"
		  "18446744073709551616,\"op\":\"SCMP_CMP_EQ\"}]}]}", "$.syscalls[0].args[0].value",
		  "18446744073709551615" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":"
		  "99999999999999999999999999999,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		  "$.syscalls[0].args[0].value", "18446744073709551615" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":-1,"
		  "\"op\":\"SCMP_CMP_EQ\"}]}]}", "$.syscalls[0].args[0].value", "between 0" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":1.5,"
		  "\"op\":\"SCMP_CMP_EQ\"}]}]}", "$.syscalls[0].args[0].value", "between 0" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":true,"
		  "\"op\":\"SCMP_CMP_EQ\"}]}]}", "$.syscalls[0].args[0].value", "boolean" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":1,\"valueTwo\":2,"
		  "\"op\":\"SCMP_CMP_EQ\"}]}]}", "$.syscalls[0].args[0].valueTwo", "MASKED_EQ" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":1,\"extra\":2,"
		  "\"op\":\"SCMP_CMP_EQ\"}]}]}", "$.syscalls[0].args[0].extra", "unknown field" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"re\\u0000ad\"],"
		  "\"action\":\"SCMP_ACT_KILL\"}]}", "$.syscalls[0].names[0]", "NUL" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"\"],"
		  "\"action\":\"SCMP_ACT_KILL\"}]}", "$.syscalls[0].names[0]", "empty" },
		{ "{\"defaultAction\":\"SCMP_ACT_KILL\",\"defaultAction\":\"SCMP_ACT_ALLOW\"}", "$",
		  "repeated" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"action\":\"SCMP_ACT_ALLOW\"}]}", "$.syscalls[0]",
		  "repeated" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
		  "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"op\":\"SCMP_CMP_EQ\"},"
		  "{\"index\":1,\"value\":{\"a\":1,\"b\":[{}]},\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		  "$.syscalls[0].args[1]", "repeated" },
	};

	t_begin("oci_bad_input_paths");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		bad(cases[i].json, cases[i].path, cases[i].needle);
	t_end();

	t_begin("oci_bad_syntax_line_col");
	bad("hello", NULL, "invalid JSON");
	bad("{\"defaultAction\":\n\"SCMP_ACT_ALLOW\",}", NULL, "invalid JSON");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\"", NULL, "end of input");
	bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\"} {}", NULL, NULL);
	bad("", NULL, "empty");
	bad("  \n ", NULL, "empty");
	bad("{\"defaultAction\":\"SCMP_ACT_\xff\"}", NULL, NULL);
	t_end();

	t_begin("oci_nul_byte_rejected");
	{
		static const char nul[] = "{\"defaultAction\":\n\"SCMP_ACT_ALLOW\"\0}";
		struct muzzle_error e;
		struct policy p;
		int rc = oci_read(nul, sizeof(nul) - 1, "t.json", NULL, &p, &e);

		T_CHECK(rc < 0 && strstr(e.msg, "NUL") && e.line == 2, "NUL: rc %d line %d %s",
			rc, e.line, e.msg);
		policy_free(&p);
	}
	t_end();

	t_begin("oci_too_many_values_rejected");
	{
		size_t n = 0, count = (1u << 20) + 10;
		char *s = malloc(count * 2 + 64);
		struct muzzle_error e;
		struct policy p;
		int rc;

		n += (size_t)sprintf(s, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"x\":[");
		for (size_t i = 0; i < count; i++) {
			s[n++] = '0';
			s[n++] = ',';
		}
		s[n - 1] = ']';
		s[n++] = '}';
		rc = oci_read(s, n, "t.json", NULL, &p, &e);
		T_CHECK(rc == -E2BIG && strstr(e.msg, "values") && e.line == 1, "values: %d %s",
			rc, e.msg);
		policy_free(&p);
		/* a bit below the bound parses (and fails on the unknown field) */
		n = (size_t)sprintf(s, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"x\":[");
		for (size_t i = 0; i < 1000000; i++) {
			s[n++] = '0';
			s[n++] = ',';
		}
		s[n - 1] = ']';
		s[n++] = '}';
		rc = oci_read(s, n, "t.json", NULL, &p, &e);
		T_CHECK(rc == -EINVAL && !strcmp(e.json_path, "$.x"), "below bound: %d %s %s", rc,
			e.json_path, e.msg);
		policy_free(&p);
		free(s);
	}
	t_end();

	t_begin("oci_deep_nesting_rejected");
	{
		size_t depth = 10000, n = 0;
		char *s = malloc(depth * 2 + 64);
		struct muzzle_error e;
		struct policy p;
		int rc;

		n += (size_t)sprintf(s, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"x\":");
		for (size_t i = 0; i < depth; i++)
			s[n++] = '[';
		for (size_t i = 0; i < depth; i++)
			s[n++] = ']';
		s[n++] = '}';
		rc = oci_read(s, n, "t.json", NULL, &p, &e);
		T_CHECK(rc < 0 && strstr(e.msg, "deeper") && e.line == 1, "deep: %d %s", rc,
			e.msg);
		policy_free(&p);
		free(s);
	}
	t_end();
}

static void test_big_and_empty_files(void)
{
	char path[] = "/tmp/muzzle-oci-XXXXXX";
	struct muzzle_error e;
	struct policy p;
	int fd = mkstemp(path), rc;

	t_begin("oci_100mb_file_refused");
	T_CHECK(fd >= 0, "mkstemp");
	/* sparse: 100 MB without using the disk */
	T_CHECK(ftruncate(fd, 100 << 20) == 0, "ftruncate");
	rc = format_read_file(path, FORMAT_OCI, NULL, &p, &e);
	T_EQ_I(rc, -EFBIG);
	T_CHECK(strstr(e.msg, "64 MiB") && strcmp(e.file, path) == 0, "msg: %s", e.msg);
	T_EQ_U(p.nrules, 0);
	policy_free(&p);
	t_end();

	t_begin("oci_empty_file");
	T_CHECK(ftruncate(fd, 0) == 0, "ftruncate");
	rc = format_read_file(path, FORMAT_OCI, NULL, &p, &e);
	T_CHECK(rc < 0 && strstr(e.msg, "empty"), "empty: %d %s", rc, e.msg);
	policy_free(&p);
	t_end();

	t_begin("oci_read_file_ok");
	{
		static const char js[] = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
					 "\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}";

		T_CHECK(pwrite(fd, js, sizeof(js) - 1, 0) == (ssize_t)sizeof(js) - 1, "write");
		rc = format_read_file(path, FORMAT_AUTO, NULL, &p, &e);
		T_CHECK(rc == 0 && p.nrules == 1 &&
			p.rules[0].action == POLICY_ACT_KILL_PROCESS, "auto read: %d %s", rc, e.msg);
		policy_free(&p);
		rc = format_read_file("/nonexistent/x.json", FORMAT_OCI, NULL, &p, &e);
		T_CHECK(rc == -ENOENT && strstr(e.file, "nonexistent"), "missing file: %d", rc);
		policy_free(&p);
	}
	t_end();
	close(fd);
	unlink(path);
}

/* write, read back, compare with the equivalence checker */
static int roundtrip(const struct policy *p, struct policy *back, char **text)
{
	struct muzzle_error e;
	size_t len;
	FILE *f = open_memstream(text, &len);
	int rc = oci_write(f, p, NULL, &e);

	fclose(f);
	if (rc) {
		printf("# write: %s\n", e.msg);
		return rc;
	}
	rc = oci_read(*text, len, "rt.json", NULL, back, &e);
	if (rc)
		printf("# read back: %s\n%s\n", e.msg, *text);
	return rc;
}

static int equivalent(const struct policy *a, const struct policy *b)
{
	struct equiv_side sa = { .policy = a }, sb = { .policy = b };
	struct equiv_result r;
	int rc = equiv_check(&sa, &sb, &r);

	if (rc)
		printf("# equiv_check: %d\n", rc);
	else if (!r.equal)
		printf("# differ at arch 0x%x nr %d a0 0x%llx: 0x%x vs 0x%x\n", r.witness.arch,
		       r.witness.nr, (unsigned long long)r.witness.args[0], r.action_a,
		       r.action_b);
	return rc == 0 && r.equal;
}

static void add(struct policy *p, uint32_t act, const char *name, int ncond, ...)
{
	struct policy_rule r;
	va_list ap;

	policy_rule_init(&r, act, sys(name));
	va_start(ap, ncond);
	for (int i = 0; i < ncond; i++) {
		unsigned arg = va_arg(ap, unsigned);
		enum policy_op op = va_arg(ap, enum policy_op);
		uint64_t datum = va_arg(ap, uint64_t), mask = va_arg(ap, uint64_t);

		policy_rule_add_cond(&r, arg, op, datum, mask);
	}
	va_end(ap);
	T_CHECK(policy_add_rule(p, &r, NULL) == 0, "add %s", name);
}

#define C(arg, op, d, m) (unsigned)(arg), (enum policy_op)(op), (uint64_t)(d), (uint64_t)(m)

static void test_roundtrip(void)
{
	struct policy p, back;
	char *text = NULL;

	t_begin("oci_write_read_roundtrip_equiv");
	policy_init(&p, POLICY_ACT_ERRNO(13));
	p.arches = ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_AARCH64);
	p.flags = POLICY_FLAG_LOG | POLICY_FLAG_SPEC_ALLOW;
	p.listener_path = strdup("/run/l.sock");
	add(&p, POLICY_ACT_ALLOW, "read", 0);
	add(&p, POLICY_ACT_ALLOW, "write", 0);
	add(&p, POLICY_ACT_KILL_PROCESS, "ptrace", 0);
	add(&p, POLICY_ACT_ALLOW, "close", 0);
	add(&p, POLICY_ACT_ERRNO(38), "read", 0);	/* dead: read already decided */
	add(&p, POLICY_ACT_ALLOW, "socket", 1, C(0, POLICY_OP_LT, 38, 0));
	add(&p, POLICY_ACT_TRAP, "socket", 2, C(0, POLICY_OP_EQ, 40, 0), C(2, POLICY_OP_GE, 7, 0));
	add(&p, POLICY_ACT_ALLOW, "clone", 1, C(0, POLICY_OP_MASKED_EQ, 0, 0x7e020000));
	add(&p, POLICY_ACT_TRACE(4242), "openat", 1, C(1, POLICY_OP_NE, UINT64_MAX, 0));
	add(&p, POLICY_ACT_LOG, "ioctl", 1, C(1, POLICY_OP_GT, 0x5401, 0));
	add(&p, POLICY_ACT_USER_NOTIF, "mount", 0);
	add(&p, POLICY_ACT_ERRNO(0), "getpid", 0);
	add(&p, POLICY_ACT_ERRNO(13), "chmod", 0);	/* = default, nothing else on chmod */
	add(&p, POLICY_ACT_ALLOW, "kill", 1, C(5, POLICY_OP_LE, 3, 0));
	T_CHECK(roundtrip(&p, &back, &text) == 0, "round trip");
	T_CHECK(equivalent(&p, &back), "read(write(p)) equivalent to p");
	T_EQ_U(back.arches, p.arches);
	T_EQ_U(back.flags, p.flags);
	T_EQ_S(back.listener_path, "/run/l.sock");
	T_EQ_U(back.default_action, POLICY_ACT_ERRNO(13));
	/* the same-action unconditional rules share one entry */
	T_CHECK(text && strstr(text, "\"read\",\n\t\t\t\t\"write\""), "grouped names:\n%s",
		text ? text : "");
	T_CHECK(text && !strstr(text, "\"chmod\""), "default-action rule left out");
	free(text);
	text = NULL;
	policy_free(&back);
	policy_free(&p);
	t_end();
}

static int write_err(const struct policy *p, const char *needle)
{
	struct muzzle_error e;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	int rc = oci_write(f, p, NULL, &e);

	fclose(f);
	free(text);
	T_CHECK(rc == -ENOTSUP, "write returned %d, want -ENOTSUP (%s)", rc, needle);
	T_CHECK(strstr(e.msg, needle) != NULL, "message \"%s\" lacks \"%s\"", e.msg, needle);
	return rc;
}

static void test_unsupported(void)
{
	struct policy p;
	struct policy_rule r;

	t_begin("oci_write_refuses_what_it_cannot_express");
	policy_init(&p, POLICY_ACT_ALLOW);
	add(&p, POLICY_ACT_ERRNO(1), "ioctl", 1, C(1, POLICY_OP_MASKED_NE, 1, 3));
	write_err(&p, "masked not-equal");
	write_err(&p, "ioctl");
	policy_free(&p);

	policy_init(&p, POLICY_ACT_ALLOW);
	policy_rule_init(&r, POLICY_ACT_KILL_THREAD, POLICY_SYS_NR);
	r.nr = 999;
	r.abis = p.arches;
	T_CHECK(policy_add_rule(&p, &r, NULL) == 0, "raw rule");
	write_err(&p, "raw syscall number 999");
	policy_free(&p);

	policy_init(&p, POLICY_ACT_ALLOW);
	p.arches = ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86);
	policy_rule_init(&r, POLICY_ACT_KILL_THREAD, sys("read"));
	r.abis = ARCH_MASK(ARCH_X86);
	T_CHECK(policy_add_rule(&p, &r, NULL) == 0, "abis rule");
	write_err(&p, "some of the policy's architectures");
	policy_free(&p);

	policy_init(&p, POLICY_ACT_ALLOW);
	p.badarch_action = POLICY_ACT_ERRNO(38);
	write_err(&p, "bad-architecture action");
	policy_free(&p);

	policy_init(&p, POLICY_ACT_ALLOW);
	add(&p, POLICY_ACT_KILL_THREAD, "read", 2, C(0, POLICY_OP_GE, 3, 0),
	    C(0, POLICY_OP_LE, 9, 0));
	write_err(&p, "two conditions on argument 0");
	policy_free(&p);

	/* dead rules are left out, whatever they say: the first unconditional
	 * rule decides */
	{
		struct policy back;
		char *text = NULL;

		policy_init(&p, POLICY_ACT_ERRNO(1));
		add(&p, POLICY_ACT_ERRNO(1), "socket", 0);
		add(&p, POLICY_ACT_ALLOW, "socket", 0);
		add(&p, POLICY_ACT_ALLOW, "socket", 1, C(0, POLICY_OP_MASKED_NE, 1, 1));
		add(&p, POLICY_ACT_TRAP, "read", 1, C(0, POLICY_OP_EQ, 1, 0));
		add(&p, POLICY_ACT_ALLOW, "read", 0);
		T_CHECK(roundtrip(&p, &back, &text) == 0, "dead rules dropped");
		T_CHECK(equivalent(&p, &back), "equivalent without the dead rules");
		T_CHECK(text && !strstr(text, "socket") && !strstr(text, "SCMP_ACT_TRAP"),
			"only read ALLOW left:\n%s", text ? text : "");
		free(text);
		policy_free(&back);
		policy_free(&p);
	}

	/* ERRNO(1) == default, conditional, beside a conditional ALLOW: where
	 * both hold the stricter ERRNO decides, which leaving it out would lose */
	policy_init(&p, POLICY_ACT_ERRNO(1));
	add(&p, POLICY_ACT_ERRNO(1), "socket", 1, C(1, POLICY_OP_EQ, 5, 0));
	add(&p, POLICY_ACT_ALLOW, "socket", 1, C(0, POLICY_OP_LT, 38, 0));
	write_err(&p, "equals the default action");
	policy_free(&p);

	policy_init(&p, POLICY_ACT_ALLOW);
	p.flags = POLICY_FLAG_TSYNC_ESRCH;
	write_err(&p, "TSYNC_ESRCH");
	policy_free(&p);

	policy_init(&p, POLICY_ACT_ALLOW);
	p.flags = POLICY_FLAG_NEW_LISTENER;
	write_err(&p, "NEW_LISTENER");
	policy_free(&p);
	t_end();
}

/* Random policies over a few syscalls: whatever the writer accepts must read
 * back equivalent; refusals must be -ENOTSUP.  Fixed seed. */
static uint32_t rnd(uint64_t *st)
{
	*st = *st * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*st >> 33);
}

static void random_rule(struct policy *p, uint64_t *st)
{
	static const char *const names[] = { "read", "socket", "ioctl", "openat", "kill" };
	static const uint32_t acts[] = { POLICY_ACT_ALLOW, POLICY_ACT_ERRNO(1), POLICY_ACT_ERRNO(13),
					 POLICY_ACT_KILL_PROCESS, POLICY_ACT_TRAP, POLICY_ACT_LOG,
					 POLICY_ACT_TRACE(3) };
	static const uint64_t vals[] = { 0, 1, 2, 38, 0xffffffff, 0x100000000ull, UINT64_MAX };
	struct policy_rule r;
	unsigned n = rnd(st) % 4;

	policy_rule_init(&r, acts[rnd(st) % 7], arch_syscall_id(names[rnd(st) % 5]));
	for (unsigned i = 0; i < n; i++) {
		/* MASKED_NE and repeated indices now and then: refused, not mangled */
		enum policy_op op = (enum policy_op)(1 + rnd(st) % (rnd(st) % 8 ? 7 : 8));

		policy_rule_add_cond(&r, rnd(st) % (rnd(st) % 6 ? 6 : 1), op, vals[rnd(st) % 7],
				     vals[rnd(st) % 7]);
	}
	policy_add_rule(p, &r, NULL);
}

static void test_random_roundtrips(void)
{
	uint64_t st = 42;
	unsigned ok = 0, refused = 0, bad = 0;

	t_begin("oci_random_policies_roundtrip");
	for (int i = 0; i < 400; i++) {
		static const uint32_t defs[] = { POLICY_ACT_ALLOW, POLICY_ACT_ERRNO(1),
						 POLICY_ACT_KILL_THREAD };
		struct policy p, back;
		struct muzzle_error e;
		char *text = NULL;
		size_t len;
		FILE *f;
		int rc, nr = 1 + (int)(rnd(&st) % 8);

		policy_init(&p, defs[rnd(&st) % 3]);
		p.arches = ARCH_MASK(ARCH_X86_64) | (rnd(&st) % 2 ? ARCH_MASK(ARCH_AARCH64) : 0);
		for (int k = 0; k < nr; k++)
			random_rule(&p, &st);
		f = open_memstream(&text, &len);
		rc = oci_write(f, &p, NULL, &e);
		fclose(f);
		if (rc == -ENOTSUP) {
			refused++;
			if (getenv("MUZZLE_TEST_VERBOSE"))
				printf("# refused: %s\n", e.msg);
		} else if (rc) {
			bad++;
		} else if (oci_read(text, len, "r.json", NULL, &back, &e) != 0) {
			printf("# read back failed: %s: %s\n%s\n", e.json_path, e.msg, text);
			bad++;
		} else {
			if (equivalent(&p, &back))
				ok++;
			else
				bad++, printf("# not equivalent:\n%s\n", text);
			policy_free(&back);
		}
		free(text);
		policy_free(&p);
	}
	T_EQ_U(bad, 0);
	T_CHECK(ok >= 100 && refused >= 20, "too few of one kind: %u written, %u refused", ok,
		refused);
	printf("# random policies: %u round trips equivalent, %u refused\n", ok, refused);
	t_end();
}

static void test_dispatch(void)
{
	static const enum format all[] = { FORMAT_AUTO, FORMAT_OCI, FORMAT_DOCKER,
					   FORMAT_MINIJAIL, FORMAT_KAFEL, FORMAT_BPF, FORMAT_C,
					   FORMAT_PFC, FORMAT_K8S, FORMAT_SYSTEMD };
	const char *oci = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
			  "[\"read\"],\"action\":\"SCMP_ACT_KILL\"}]}";
	const char *docker = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":"
			     "\"read\",\"action\":\"SCMP_ACT_KILL\"}]}";
	const char *cfg = "{\"ociVersion\":\"1\",\"linux\":{\"seccomp\":{\"defaultAction\":"
			  "\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":"
			  "\"SCMP_ACT_KILL\",\"comment\":\"x\"}]}}}";
	struct muzzle_error e;
	struct policy p;

	t_begin("format_names");
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		enum format f = FORMAT_AUTO;

		T_CHECK(format_parse_name(format_name(all[i]), &f) == 0 && f == all[i],
			"name round trip %d", (int)all[i]);
	}
	T_CHECK(format_parse_name("nonsense", &(enum format){0}) == -EINVAL, "bad name");
	t_end();

	t_begin("format_detect");
	EQ(format_detect(oci, strlen(oci), NULL), FORMAT_OCI);
	EQ(format_detect(docker, strlen(docker), NULL), FORMAT_DOCKER);
	{
		const char *am = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[]}";

		EQ(format_detect(am, strlen(am), NULL), FORMAT_DOCKER);
	}
	EQ(format_detect("POLICY a { ALLOW { read } }\nUSE a DEFAULT KILL\n", 47, NULL),
	       FORMAT_KAFEL);
	EQ(format_detect("# comment\nread: 1\nwrite: 1\n", 27, NULL), FORMAT_MINIJAIL);
	EQ(format_detect("[Service]\nSystemCallFilter=@system-service\n", 42, NULL),
	       FORMAT_SYSTEMD);
	{
		static const char bin[16] = { 0x20, 0, 0, 0, 4, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0xff, 0x7f };

		EQ(format_detect(bin, sizeof(bin), NULL), FORMAT_BPF);
	}
	t_end();

	t_begin("format_read_buf_auto");
	EQ(format_read_buf(oci, strlen(oci), "a.json", FORMAT_AUTO, NULL, &p, &e), 0);
	T_EQ_U(p.nrules, 1);
	policy_free(&p);
	EQ(format_read_buf(docker, strlen(docker), "a.json", FORMAT_AUTO, NULL, &p, &e), 0);
	T_EQ_U(p.nrules, 1);
	policy_free(&p);
	/* a config.json is OCI: a Docker-only member inside it is an error */
	T_CHECK(format_read_buf(cfg, strlen(cfg), "c.json", FORMAT_AUTO, NULL, &p, &e) < 0 &&
		strcmp(e.json_path, "$.linux.seccomp.syscalls[0].comment") == 0,
		"config with comment: %s %s", e.json_path, e.msg);
	policy_free(&p);
	EQ(format_read_buf(oci, strlen(oci), "a", FORMAT_BPF, NULL, &p, &e), -ENOTSUP);
	policy_free(&p);
	t_end();
}

int main(void)
{
	test_minimal();
	test_actions();
	test_errno();
	test_ops();
	test_and_or();
	test_default_skip_and_unknown();
	test_arches_flags();
	test_config_json();
	test_bad_inputs();
	test_big_and_empty_files();
	test_roundtrip();
	test_unsupported();
	test_random_roundtrips();
	test_dispatch();
	return t_done();
}
