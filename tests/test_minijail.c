/* minijail .policy reader and writer: every construct of the Python
 * compiler's language, the C parser's strict subset, the shared real
 * policies (/work/shared/policies/minijail, see its README), and every
 * class of bad input with its line:column. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "format.h"
#include "policy/eval.h"
#include "lexer.h"
#include "textpol.h"

/* minijail input as the tests give it: "t.policy", these ABIs, strict or not. */
static int rd(const char *text, uint32_t arches, int strict, struct policy *p,
	      struct muzzle_error *err)
{
	const struct tp_in in = { minijail_read, "t.policy", arches, strict, NULL };

	return tp_read(&in, text, p, err);
}

static int ok_read(const char *text, uint32_t arches, struct policy *p)
{
	const struct tp_in in = { minijail_read, "t.policy", arches, 0, NULL };

	return tp_ok_read(&in, text, p);
}

static void check_bad_on(const char *name, const char *text, uint32_t arches, int strict,
			 int line, int col, const char *needle)
{
	const struct tp_in in = { minijail_read, "t.policy", arches, strict, NULL };

	tp_check_bad(name, &in, text, line, col, needle);
}

static void check_bad(const char *name, const char *text, int strict, int line, int col,
		      const char *needle)
{
	check_bad_on(name, text, X64, strict, line, col, needle);
}

static void test_basic(void)
{
	struct policy p;

	t_begin("minijail_allow_errno_default");
	if (!ok_read("read: 1\nwrite: allow\n# comment\n\nopenat: return EPERM\n"
		     "close: return 9\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "openat", 0, 0, 0), POLICY_ACT_ERRNO(1));
		T_EQ_U(act(&p, ARCH_X86_64, "close", 0, 0, 0), POLICY_ACT_ERRNO(9));
		T_EQ_U(act(&p, ARCH_X86_64, "getpid", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(p.badarch_action, POLICY_ACT_KILL_THREAD);
		T_EQ_U(p.nrules, 4);
		T_CHECK(p.rules[0].flags & POLICY_RULE_EXACT, "minijail rules are exact");
		T_EQ_I(p.rules[2].loc.line, 5);
	}
	policy_free(&p);
	t_end();

	t_begin("minijail_action_keywords");
	if (!ok_read("read: kill-thread\nwrite: kill-process\nopenat: kill\nclose: trap\n"
		     "getpid: trace\ngetuid: log\ngetgid: user-notify\nkill: allow\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_EQ_U(act(&p, ARCH_X86_64, "openat", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "close", 0, 0, 0), POLICY_ACT_TRAP);
		T_EQ_U(act(&p, ARCH_X86_64, "getpid", 0, 0, 0), POLICY_ACT_TRACE(0));
		T_EQ_U(act(&p, ARCH_X86_64, "getuid", 0, 0, 0), POLICY_ACT_LOG);
		T_EQ_U(act(&p, ARCH_X86_64, "getgid", 0, 0, 0), POLICY_ACT_USER_NOTIF);
		T_EQ_U(act(&p, ARCH_X86_64, "kill", 0, 0, 0), POLICY_ACT_ALLOW);
	}
	policy_free(&p);
	t_end();
}

static void test_operators(void)
{
	struct policy p;

	t_begin("minijail_operators");
	if (!ok_read("read: arg0 == 3\nwrite: arg0 != 3\nopenat: arg2 < 5\nclose: arg0 <= 5\n"
		     "dup: arg0 > 5\ndup2: arg0 >= 5\nopen: arg1 & O_CLOEXEC\n"
		     "mmap: arg3 in MAP_PRIVATE|MAP_ANONYMOUS\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 3, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 4, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 3, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 4, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "openat", 0, 0, 4), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "openat", 0, 0, 5), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "close", 5, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "close", 6, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "dup", 5, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "dup", 6, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "dup2", 4, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "dup2", 5, 0, 0), POLICY_ACT_ALLOW);
		/* O_CLOEXEC is 0x80000 on x86_64 */
		T_EQ_U(act(&p, ARCH_X86_64, "open", 0, 0x80001, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "open", 0, 0x1, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(p.rules[6].cond[0].op, POLICY_OP_MASKED_NE);
		T_EQ_U(p.rules[7].cond[0].op, POLICY_OP_MASKED_EQ);
		T_EQ_U(p.rules[7].cond[0].mask, ~(uint64_t)0x22);
	}
	policy_free(&p);
	t_end();

	t_begin("minijail_and_or_constants");
	if (!ok_read("read: arg0 == 1 && arg1 == 2 || arg0 == 7\n"
		     "write: arg0 == ~0\nclose: arg0 == -1\ndup: arg0 == (1|2)|4\n"
		     "openat: arg0 == 0x10 || arg0 == 010 || arg0 == 0b11\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 1, 2, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 1, 3, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 7, 3, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "write", ~(uint64_t)0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "close", ~(uint64_t)0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "dup", 7, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "dup", 6, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "openat", 16, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "openat", 8, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "openat", 3, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "openat", 10, 0, 0), POLICY_ACT_KILL_THREAD);
	}
	policy_free(&p);
	t_end();

	t_begin("minijail_constants_per_abi");
	/* O_DIRECT is 0x4000 on x86_64 but 0x10000 on aarch64 and arm */
	if (!ok_read("openat: arg2 == O_DIRECT\n", ARCH_MASK(ARCH_AARCH64), &p))
		T_EQ_U(p.rules[0].cond[0].datum, 0x10000);
	policy_free(&p);
	if (!ok_read("open: arg1 == O_DIRECT\n", X64, &p))
		T_EQ_U(p.rules[0].cond[0].datum, 0x4000);
	policy_free(&p);
	/* O_LARGEFILE: 0 in 64-bit glibc, 0x8000 on x86, 0x20000 on arm */
	if (!ok_read("open: arg1 & O_LARGEFILE\n", ARCH_MASK(ARCH_X86), &p))
		T_EQ_U(p.rules[0].cond[0].mask, 0x8000);
	policy_free(&p);
	if (!ok_read("openat: arg2 & O_LARGEFILE\n", ARCH_MASK(ARCH_ARM), &p))
		T_EQ_U(p.rules[0].cond[0].mask, 0x20000);
	policy_free(&p);
	if (!ok_read("openat: arg2 == O_DIRECT\n", ARCH_MASK(ARCH_RISCV64) | X64, &p))
		T_EQ_U(p.rules[0].cond[0].datum, 0x4000);
	policy_free(&p);
	t_end();
}

static void test_return_semantics(void)
{
	struct policy p;

	t_begin("minijail_expr_semicolon_return_is_else");
	/* minijail0(5): allow when the expression holds, else the errno */
	if (!ok_read("read: arg0 == 0; return EBADF\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 1, 0, 0), POLICY_ACT_ERRNO(9));
	}
	policy_free(&p);
	t_end();

	t_begin("minijail_brace_filter_list_first_match");
	if (!ok_read("read: { arg0 == 0; return 1, arg0 < 5; trap, arg1 == 2, kill-thread }\n"
		     "write: { arg0 == 1, arg0 == 2; return 2 }\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 2, 0), POLICY_ACT_ERRNO(1));
		T_EQ_U(act(&p, ARCH_X86_64, "read", 3, 2, 0), POLICY_ACT_TRAP);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 9, 2, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 9, 3, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 1, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 2, 0, 0), POLICY_ACT_ERRNO(2));
		T_EQ_U(act(&p, ARCH_X86_64, "write", 3, 0, 0), POLICY_ACT_KILL_THREAD);
	}
	policy_free(&p);
	t_end();

	t_begin("minijail_statements_accumulate");
	if (!ok_read("read: arg0 == 0\nread: arg0 == 1; return 5\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 1, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 2, 0, 0), POLICY_ACT_ERRNO(5));
	}
	policy_free(&p);
	t_end();
}

/* Android's "ioctl: arg1 == A || ... ; return ENOTTY" with more values than
 * a conjunction can hold: the else-region is written as intervals */
static void test_long_value_lists(void)
{
	char text[2048];
	size_t n = 0;
	struct policy p, b;
	struct muzzle_error err = {0};
	char why[300], *out;
	int rc;

	t_begin("minijail_long_or_list_with_return");
	n += (size_t)snprintf(text + n, sizeof(text) - n, "ioctl: arg1 == 0xffffffff");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, " || arg1 == %d", 3 * i + 5);
	snprintf(text + n, sizeof(text) - n, " || arg1 == 6; return ENOTTY\n");
	for (int pass = 0; pass < 2; pass++) {
		uint32_t arches = pass ? ARCH_MASK(ARCH_ARM) : X64;
		enum arch_id abi = pass ? ARCH_ARM : ARCH_X86_64;

		if (rd(text, arches, 1, &p, &err)) {
			T_CHECK(0, "rejected: %d:%d %s", err.line, err.col, err.msg);
			policy_free(&p);
			continue;
		}
		T_EQ_U(act(&p, abi, "ioctl", 0, 5, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, abi, "ioctl", 0, 6, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, abi, "ioctl", 0, 7, 0), POLICY_ACT_ERRNO(ENOTTY));
		T_EQ_U(act(&p, abi, "ioctl", 0, 4, 0), POLICY_ACT_ERRNO(ENOTTY));
		T_EQ_U(act(&p, abi, "ioctl", 0, 122, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, abi, "ioctl", 0, 123, 0), POLICY_ACT_ERRNO(ENOTTY));
		T_EQ_U(act(&p, abi, "ioctl", 0, 0xffffffff, 0), POLICY_ACT_ALLOW);
		/* 32-bit ABIs compare the low half only; 64-bit ones all of it */
		T_EQ_U(act(&p, abi, "ioctl", 0, 0x1ffffffffull, 0),
		       pass ? POLICY_ACT_ALLOW : POLICY_ACT_ERRNO(ENOTTY));
		out = write_mem(minijail_write, &p, &err, &rc);
		T_CHECK(out && strstr(out, "; return 25"), "written in the C form: %s",
			out ? out : err.msg);
		if (out && rd(out, arches, 1, &b, &err) == 0) {
			T_CHECK(policies_equal(&p, &b, arches, why, sizeof(why)), "%s", why);
			policy_free(&b);
		}
		free(out);
		policy_free(&p);
	}
	t_end();
}

static void test_lists_and_meta(void)
{
	struct policy p;

	t_begin("minijail_syscall_list");
	if (!ok_read("{read, write, kill}: allow\n{close}: return 3\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "write", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "kill", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "close", 0, 0, 0), POLICY_ACT_ERRNO(3));
	}
	policy_free(&p);
	t_end();

	t_begin("minijail_arch_metadata");
	if (!ok_read("getpid[arch=aarch64]: allow\nread[arch=x86_64,aarch64]: allow\n"
		     "getppid[arch=arm]: allow\n",
		     X64 | ARCH_MASK(ARCH_AARCH64), &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "getpid", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_AARCH64, "getpid", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_AARCH64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_AARCH64, "getppid", 0, 0, 0), POLICY_ACT_KILL_THREAD);
	}
	policy_free(&p);
	t_end();

	t_begin("minijail_numeric_syscall");
	if (!ok_read("39: 1\n", X64, &p)) {
		T_EQ_I(p.rules[0].sys, POLICY_SYS_NR);
		T_EQ_U(p.rules[0].nr, 39);
		T_EQ_U(act(&p, ARCH_X86_64, "getpid", 0, 0, 0), POLICY_ACT_ALLOW);
	}
	policy_free(&p);
	t_end();

	t_begin("minijail_line_continuation");
	if (!ok_read("read: arg0 == 1 || \\\n  arg0 == 2\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 2, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(p.nrules, 2);
	}
	policy_free(&p);
	t_end();

	t_begin("minijail_default_and_denylist");
	if (!ok_read("@default trap\nread: 1\n", X64, &p)) {
		T_EQ_U(p.default_action, POLICY_ACT_TRAP);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 0, 0, 0), POLICY_ACT_TRAP);
	}
	policy_free(&p);
	if (!ok_read("@denylist\nptrace: return EPERM\n", X64, &p)) {
		T_EQ_U(p.default_action, POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "ptrace", 0, 0, 0), POLICY_ACT_ERRNO(1));
	}
	policy_free(&p);
	t_end();
}

static void test_bad(void)
{
	check_bad("minijail_bad_unknown_syscall", "read: 1\nnosuchcall: 1\n", 0, 2, 1,
		  "unknown syscall");
	check_bad("minijail_bad_arg_name", "open: argnn ==\n", 0, 1, 7, "expected an argument");
	check_bad("minijail_bad_arg_index", "open: arg6 == 1\n", 0, 1, 7, "out of range");
	check_bad("minijail_bad_operator", "open: arg1 =~ 1\n", 0, 1, 12, "expected an operator");
	check_bad("minijail_bad_missing_value", "open: arg1 ==\n", 0, 1, 14, "expected a number");
	check_bad("minijail_bad_unknown_constant", "open: arg1 == O_NOPE\n", 0, 1, 15,
		  "unknown constant");
	check_bad_on("minijail_bad_constant_differs", "openat: arg2 == O_DIRECT\n",
		     X64 | ARCH_MASK(ARCH_AARCH64), 0, 1, 17, "different values");
	check_bad_on("minijail_bad_constant_no_table", "openat: arg2 == O_RDONLY\n",
		     ARCH_MASK(ARCH_MIPS), 0, 1, 17, "no known value on mips");
	check_bad("minijail_bad_missing_colon", "read 1\n", 0, 1, 6, "expected ':'");
	check_bad("minijail_bad_empty_filter", "read:\n", 0, 1, 6, "expected a filter");
	check_bad("minijail_bad_action", "read: maybe\n", 0, 1, 7, "expected an action");
	check_bad("minijail_bad_errno_range", "read: return 5000\n", 0, 1, 14, "out of range");
	check_bad("minijail_bad_return_missing", "read: return\n", 0, 1, 13, "errno");
	check_bad("minijail_bad_trailing", "read: 1 2\n", 0, 1, 9, "expected end of line");
	check_bad("minijail_bad_number_64bit", "read: arg0 == 0x1ffffffffffffffff\n", 0, 1, 15,
		  "64 bits");
	check_bad("minijail_bad_number_digits", "10munmap: 1\n", 0, 1, 1, "invalid number");
	check_bad("minijail_bad_char", "read: arg0 == $\n", 0, 1, 15, "unexpected character");
	check_bad("minijail_bad_double_complement", "read: arg0 == ~~1\n", 0, 1, 16, "double");
	check_bad("minijail_bad_paren", "read: arg0 == (1|2\n", 0, 1, 19, "expected ')'");
	check_bad("minijail_bad_unclosed_list", "{read, write: 1\n", 0, 1, 13, "expected ',' or '}'");
	check_bad("minijail_bad_unclosed_filters", "read: { 1, allow\n", 0, 1, 17,
		  "expected ',' or '}'");
	check_bad("minijail_bad_unconditional_twice", "read: 1\nread: arg0 == 1\n", 0, 2, 7,
		  "already has an unconditional");
	check_bad("minijail_bad_directive", "@includes /x\n", 0, 1, 1, "unknown directive");
	check_bad("minijail_bad_include_path", "@include foo.policy\n", 0, 1, 10,
		  "expected a path");
	check_bad("minijail_bad_include_missing", "\n@include /nonexistent/x.policy\n", 0, 2, 10,
		  "cannot @include");
	check_bad("minijail_bad_permissive_default", "@default allow\n", 0, 1, 10, "permissive");
	check_bad("minijail_bad_denylist_late", "read: 1\n@denylist\n", 0, 2, 1, "before");
	check_bad("minijail_bad_denylist_action", "@denylist\nread: allow\n", 0, 2, 7,
		  "return <errno>");
	check_bad("minijail_bad_metadata_key", "read[foo=x86_64]: 1\n", 0, 1, 6, "'arch'");
	check_bad("minijail_bad_metadata_arch", "read[arch=vax]: 1\n", 0, 1, 11,
		  "unknown architecture");
	check_bad("minijail_bad_syscall_group", "file@cros: 1\n", 0, 1, 1, "syscall groups");
	check_bad("minijail_bad_wrong_abi_name", "mmap2: 1\n", 0, 1, 1, "does not exist on x86_64");
	check_bad("minijail_bad_too_complex",
		  "read: arg0 == 1 && arg0 == 2 && arg0 == 3 && arg0 == 4 && arg0 == 5 && "
		  "arg0 == 6 && arg0 == 7 && arg0 == 8 && arg0 == 9 && arg0 == 10 && arg0 == 11 && "
		  "arg0 == 12 && arg0 == 13 && arg0 == 14 && arg0 == 15 && arg0 == 16 && "
		  "arg0 == 17\n", 0, 1, 7, "too complex");
	{
		char deep[1200];
		size_t n = (size_t)snprintf(deep, sizeof(deep), "read: arg0 == ");

		memset(deep + n, '(', 1000);
		strcpy(deep + n + 1000, "1\n");
		check_bad("minijail_bad_deep_parentheses", deep, 0, 1, 215, "nested too deeply");
	}
	check_bad("minijail_bad_negative_range", "read: arg0 == -0x8000000000000001\n", 0, 1, 15,
		  "out of range");
}

/* Many lines that each expand to thousands of alternatives: bounded memory,
 * refused at the line that crosses the limit. */
static void test_expansion_budget(void)
{
	/* "a && b || ...; return E": the else-region !(...) has 2^12 terms */
	static const char expr[] = "arg0 == 1 && arg1 == 1 || arg0 == 2 && arg1 == 2 || "
		"arg0 == 3 && arg1 == 3 || arg0 == 4 && arg1 == 4 || arg0 == 5 && arg1 == 5 || "
		"arg0 == 6 && arg1 == 6 || arg0 == 7 && arg1 == 7 || arg0 == 8 && arg1 == 8 || "
		"arg0 == 9 && arg1 == 9 || arg0 == 10 && arg1 == 10 || arg0 == 11 && arg1 == 11 || "
		"arg0 == 12 && arg1 == 12; return 1\n";
	size_t n = 60, cap = n * (sizeof(expr) + 40), off = 0;
	char *text = malloc(cap);
	struct policy p;
	struct muzzle_error err = {0};

	t_begin("minijail_bad_expansion_budget");
	if (!text) {
		T_CHECK(0, "malloc");
		t_end();
		return;
	}
	/* one line each for the first 60 syscalls x86_64 has */
	for (int id = 0, k = 0; k < (int)n && id < arch_syscall_count(); id++)
		if (arch_syscall_nr(ARCH_X86_64, id) != ARCH_NR_NONE) {
			off += (size_t)snprintf(text + off, cap - off, "%s: %s",
						arch_syscall_name(id), expr);
			k++;
		}
	T_CHECK(rd(text, X64, 0, &p, &err) == -E2BIG, "accepted or other error: %s", err.msg);
	T_CHECK(err.line > 1 && err.line <= (int)n && err.col > 1, "at %d:%d", err.line, err.col);
	T_CHECK(strstr(err.msg, "too large") != NULL, "message: %s", err.msg);
	policy_free(&p);
	free(text);
	t_end();
}

static void test_nul_and_size(void)
{
	static const char text[] = "read: 1\nwrite: \0 1\n";
	struct policy p;
	struct muzzle_error err = {0};
	struct format_options o;
	char *big;

	t_begin("minijail_bad_nul_byte");
	memset(&o, 0, sizeof(o));
	o.arches = X64;
	T_CHECK(minijail_read(text, sizeof(text) - 1, "t.policy", &o, &p, &err) < 0,
		"NUL byte accepted");
	T_EQ_I(err.line, 2);
	T_EQ_I(err.col, 8);
	T_CHECK(strstr(err.msg, "NUL") != NULL, "message: %s", err.msg);
	policy_free(&p);
	t_end();

	t_begin("minijail_bad_100mb_input");
	big = malloc(100u << 20);
	T_CHECK(big != NULL, "malloc");
	if (big) {
		memset(big, '\n', 100u << 20);
		T_CHECK(minijail_read(big, 100u << 20, "big.policy", &o, &p, &err) == -EFBIG,
			"100 MB accepted");
		T_CHECK(strstr(err.msg, "MiB") != NULL, "message: %s", err.msg);
		policy_free(&p);
		free(big);
	}
	t_end();
}

static void test_strict(void)
{
	struct policy p;
	struct muzzle_error err = {0};

	check_bad("minijail_strict_action_keyword", "read: allow\n", 1, 1, 7, "C parser");
	check_bad("minijail_strict_default", "@default trap\n", 1, 1, 1, "C parser");
	check_bad("minijail_strict_denylist", "@denylist\n", 1, 1, 1, "C parser");
	check_bad("minijail_strict_frequency", "@frequency ./f\n", 1, 1, 1, "C parser");
	check_bad("minijail_strict_syscall_list", "{read, write}: 1\n", 1, 1, 1, "C parser");
	check_bad("minijail_strict_filter_list", "read: {1}\n", 1, 1, 7, "C parser");
	check_bad("minijail_strict_metadata", "read[arch=x86_64]: 1\n", 1, 1, 5, "C parser");
	check_bad("minijail_strict_semicolon_action", "read: arg0 == 1; trap\n", 1, 1, 18,
		  "C parser");
	t_begin("minijail_strict_accepts_c_language");
	T_CHECK(rd("read: 1\nwrite: arg0 == 1 || arg0 == 2 && arg1 in ~PROT_EXEC\n"
		   "close: return EPERM\nopenat: arg2 & O_CLOEXEC; return ENOENT\n",
		   X64, 1, &p, &err) == 0, "strict rejected C-parser policy: %s", err.msg);
	policy_free(&p);
	t_end();
}

static int read_path(const char *path, uint32_t arches, const char *incdir, int strict,
		     struct policy *p, struct muzzle_error *err)
{
	struct format_options o;
	char *buf;
	size_t len;
	int rc;

	memset(&o, 0, sizeof(o));
	o.arches = arches;
	o.include_dir = incdir;
	o.strict_minijail = strict;
	muzzle_error_clear(err);
	rc = text_read_file(path, &buf, &len);
	if (rc) {
		policy_init(p, 0);
		return rc;
	}
	rc = minijail_read(buf, len, path, &o, p, err);
	free(buf);
	return rc;
}

static int shared_missing(const char *name, const char *path)
{
	if (access(path, R_OK) == 0)
		return 0;
	t_skip(name, "shared minijail policies not found (set MUZZLE_SHARED)");
	return 1;
}

static void test_shared_files(void)
{
	char path[512], msg[800];
	struct policy p;
	struct muzzle_error err = {0};

	shared_path("policies/minijail/examples_cat.policy", path, sizeof(path));
	if (!shared_missing("minijail_shared_examples_cat", path)) {
		t_begin("minijail_shared_examples_cat");
		T_CHECK(read_path(path, X64, NULL, 0, &p, &err) == 0, "rejected: %s",
			muzzle_error_format(&err, msg, sizeof(msg)));
		/* W^X: arg2 in ~PROT_EXEC || arg2 in ~PROT_WRITE */
		T_EQ_U(act(&p, ARCH_X86_64, "mmap", 0, 0, 3), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "mmap", 0, 0, 5), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "mmap", 0, 0, 7), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "mmap", 0, 0, 6), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "mseal", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "getpid", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		policy_free(&p);
		T_CHECK(read_path(path, X64, NULL, 1, &p, &err) == 0,
			"strict mode rejected a C-parser policy: %s", err.msg);
		policy_free(&p);
		t_end();
	}
	shared_path("policies/minijail/policies_cros_default_v0.policy", path, sizeof(path));
	if (!shared_missing("minijail_shared_cros_default_denylist", path)) {
		t_begin("minijail_shared_cros_default_denylist");
		T_CHECK(read_path(path, X64, NULL, 0, &p, &err) == 0, "rejected: %s", err.msg);
		T_EQ_U(p.default_action, POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "bpf", 0, 0, 0), POLICY_ACT_ERRNO(EPERM));
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		policy_free(&p);
		T_CHECK(read_path(path, X64, NULL, 1, &p, &err) < 0 && err.line == 1,
			"strict mode must flag @denylist at line 1");
		policy_free(&p);
		t_end();
	}
	shared_path("policies/minijail/test_invalid_syscall_name.policy", path, sizeof(path));
	if (!shared_missing("minijail_shared_invalid_syscall_name", path)) {
		t_begin("minijail_shared_invalid_syscall_name");
		T_CHECK(read_path(path, X64, NULL, 0, &p, &err) < 0, "accepted");
		T_EQ_I(err.line, 1);
		T_EQ_I(err.col, 1);
		T_CHECK(strstr(err.msg, "notasyscall") != NULL, "message: %s", err.msg);
		T_CHECK(strstr(muzzle_error_format(&err, msg, sizeof(msg)),
			       "test_invalid_syscall_name.policy:1:1:") != NULL, "format: %s", msg);
		policy_free(&p);
		t_end();
	}
	shared_path("policies/minijail/test_invalid_arg_filter.policy", path, sizeof(path));
	if (!shared_missing("minijail_shared_invalid_arg_filter", path)) {
		t_begin("minijail_shared_invalid_arg_filter");
		T_CHECK(read_path(path, X64, NULL, 0, &p, &err) < 0, "accepted");
		T_EQ_I(err.line, 1);
		T_EQ_I(err.col, 7);
		policy_free(&p);
		t_end();
	}
	shared_path("policies/minijail/test_nested.policy", path, sizeof(path));
	if (!shared_missing("minijail_shared_nested_rejected", path)) {
		t_begin("minijail_shared_nested_rejected");
		T_CHECK(read_path(path, X64, NULL, 0, &p, &err) < 0, "accepted");
		T_EQ_I(err.line, 1);
		T_EQ_I(err.col, 10);
		policy_free(&p);
		t_end();
	}
	shared_path("policies/minijail/test_stdin_stdout.policy", path, sizeof(path));
	if (!shared_missing("minijail_shared_stdin_stdout", path)) {
		t_begin("minijail_shared_stdin_stdout");
		T_CHECK(read_path(path, X64, NULL, 1, &p, &err) == 0, "rejected: %s", err.msg);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 1, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 2, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 3, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "exit", 3, 0, 0), POLICY_ACT_ALLOW);
		policy_free(&p);
		t_end();
	}
	shared_path("policies/minijail/test_seccomp.policy", path, sizeof(path));
	if (!shared_missing("minijail_shared_strict_mode", path)) {
		t_begin("minijail_shared_strict_mode");
		T_CHECK(read_path(path, X64, NULL, 1, &p, &err) == 0, "rejected: %s", err.msg);
		T_EQ_U(p.nrules, 4);
		T_EQ_U(act(&p, ARCH_X86_64, "rt_sigreturn", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "open", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		policy_free(&p);
		t_end();
	}
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void test_includes(void)
{
	char dir[] = "/tmp/muzzle-mj-XXXXXX", path[600], sub[600];
	struct policy p;
	struct muzzle_error err = {0};

	t_begin("minijail_includes");
	if (!mkdtemp(dir)) {
		T_CHECK(0, "mkdtemp");
		t_end();
		return;
	}
	snprintf(sub, sizeof(sub), "%s/test", dir);
	mkdir(sub, 0700);
	write_file(dir, "base.policy", "read: 1\n");
	write_file(dir, "mid.policy", "@include ./base.policy\nwrite: 1\n");
	write_file(dir, "top.policy", "# top\n@include ./mid.policy\nclose: return 2\n");
	write_file(dir, "test/nested.policy", "@include ./test/nested.policy\n");
	write_file(dir, "a.policy", "@include ./b.policy\n");
	write_file(dir, "b.policy", "\n@include ./a.policy\n");
	write_file(dir, "freq.txt", "read: 100\nwrite: 5\n");
	write_file(dir, "badfreq.txt", "read: 100\nwrite: many\n");
	write_file(dir, "usefreq.policy", "@frequency ./freq.txt\nread: 1\n");
	write_file(dir, "usebadfreq.policy", "@frequency ./badfreq.txt\nread: 1\n");

	/* nested includes resolve from the including file's folder */
	snprintf(path, sizeof(path), "%s/top.policy", dir);
	T_CHECK(read_path(path, X64, NULL, 0, &p, &err) == 0, "rejected: %s", err.msg);
	T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
	T_EQ_U(act(&p, ARCH_X86_64, "write", 0, 0, 0), POLICY_ACT_ALLOW);
	T_EQ_U(act(&p, ARCH_X86_64, "close", 0, 0, 0), POLICY_ACT_ERRNO(2));
	T_CHECK(p.nrules == 3 && p.rules[0].loc.line == 2 && p.rules[0].comment &&
		strstr(p.rules[0].comment, "base.policy:1:7"), "include location kept");
	policy_free(&p);
	/* the C runtime parser allows one level only */
	T_CHECK(read_path(path, X64, dir, 1, &p, &err) < 0 && err.line == 1 && err.col == 1 &&
		strstr(err.file, "mid.policy"), "strict: nested include flagged: %s", err.msg);
	policy_free(&p);

	/* minijail's own test/nested.policy: includes itself from the working dir */
	snprintf(path, sizeof(path), "%s/test/nested.policy", dir);
	T_CHECK(read_path(path, X64, dir, 0, &p, &err) < 0, "self include accepted");
	T_CHECK(strstr(err.msg, "cycle") != NULL && err.line == 1 && err.col == 10,
		"self include: %d:%d %s", err.line, err.col, err.msg);
	policy_free(&p);
	snprintf(path, sizeof(path), "%s/a.policy", dir);
	T_CHECK(read_path(path, X64, NULL, 0, &p, &err) < 0, "cycle accepted");
	T_CHECK(strstr(err.msg, "cycle") && strstr(err.file, "b.policy") && err.line == 2,
		"cycle: %s:%d %s", err.file, err.line, err.msg);
	policy_free(&p);

	snprintf(path, sizeof(path), "%s/usefreq.policy", dir);
	T_CHECK(read_path(path, X64, NULL, 0, &p, &err) == 0, "frequency: %s", err.msg);
	T_EQ_U(p.nrules, 1);
	policy_free(&p);
	snprintf(path, sizeof(path), "%s/usebadfreq.policy", dir);
	T_CHECK(read_path(path, X64, NULL, 0, &p, &err) < 0 && strstr(err.file, "badfreq.txt") &&
		err.line == 2 && err.col == 8, "bad frequency file: %s:%d:%d %s", err.file,
		err.line, err.col, err.msg);
	policy_free(&p);
	t_end();

	t_begin("minijail_include_depth_limit");
	for (int i = 0; i < 12; i++) {
		char name[32], text[64];

		snprintf(name, sizeof(name), "d%d.policy", i);
		snprintf(text, sizeof(text), "@include ./d%d.policy\n", i + 1);
		write_file(dir, name, text);
	}
	write_file(dir, "d12.policy", "read: 1\n");
	snprintf(path, sizeof(path), "%s/d0.policy", dir);
	T_CHECK(read_path(path, X64, NULL, 0, &p, &err) < 0 && strstr(err.msg, "too deep"),
		"deep nesting: %s", err.msg);
	policy_free(&p);
	snprintf(path, sizeof(path), "%s/d5.policy", dir);
	T_CHECK(read_path(path, X64, NULL, 0, &p, &err) == 0, "7 levels: %s", err.msg);
	policy_free(&p);
	t_end();
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	T_CHECK(system(path) == 0, "cleanup");
}

/* The Android mediaextractor excerpt (seeds/002): 32-bit ARM names. */
static void test_seed_android(void)
{
	static const char pol[] = "ioctl: 1\nfutex: 1\nprctl: 1\nwrite: 1\ngetpriority: 1\n"
		"mmap2: 1\nclose: 1\nmprotect: 1\ngetuid32: 1\nsetpriority: 1\n";
	struct policy p;
	struct muzzle_error err = {0};

	t_begin("minijail_android_arm_names");
	T_CHECK(rd(pol, ARCH_MASK(ARCH_ARM), 1, &p, &err) == 0, "arm: %s", err.msg);
	T_EQ_U(act(&p, ARCH_ARM, "mmap2", 0, 0, 0), POLICY_ACT_ALLOW);
	T_EQ_U(act(&p, ARCH_ARM, "getuid32", 0, 0, 0), POLICY_ACT_ALLOW);
	T_EQ_U(act(&p, ARCH_ARM, "getuid", 0, 0, 0), POLICY_ACT_KILL_THREAD);
	policy_free(&p);
	/* on x86_64 there is no mmap2: fail closed with the position */
	T_CHECK(rd(pol, X64, 0, &p, &err) < 0 && err.line == 6 && err.col == 1,
		"x86_64: %d:%d %s", err.line, err.col, err.msg);
	policy_free(&p);
	/* the excerpt's garbled lines */
	T_CHECK(rd("10munmap: 1\n", ARCH_MASK(ARCH_ARM), 0, &p, &err) < 0, "10munmap accepted");
	policy_free(&p);
	T_CHECK(rd("dupe: 1\n", ARCH_MASK(ARCH_ARM), 0, &p, &err) < 0 &&
		strstr(err.msg, "unknown syscall 'dupe'"), "dupe: %s", err.msg);
	policy_free(&p);
	t_end();
}

/* read text, write it, read the output; both reads must agree */
static void roundtrip(const char *name, const char *text, uint32_t arches, int strict_out)
{
	struct policy a, b;
	struct muzzle_error err = {0};
	char why[300], *out;
	int rc;

	t_begin(name);
	if (rd(text, arches, 0, &a, &err)) {
		T_CHECK(0, "first read: %d:%d %s", err.line, err.col, err.msg);
		policy_free(&a);
		t_end();
		return;
	}
	out = write_mem(minijail_write, &a, &err, &rc);
	T_CHECK(out != NULL, "write failed: %s", err.msg);
	if (out) {
		rc = rd(out, arches, strict_out, &b, &err);
		T_CHECK(rc == 0, "re-read of\n%s\nfailed: %d:%d %s", out, err.line, err.col,
			err.msg);
		if (!rc) {
			T_CHECK(policies_equal(&a, &b, arches, why, sizeof(why)),
				"differ: %s\n%s", why, out);
			T_EQ_U(a.default_action, b.default_action);
		}
		policy_free(&b);
	}
	free(out);
	policy_free(&a);
	t_end();
}

static void add(struct policy *p, uint32_t action, const char *name, int ncond,
		unsigned arg, enum policy_op op, uint64_t datum, uint64_t mask)
{
	struct policy_rule r;

	policy_rule_init(&r, action, arch_syscall_id(name));
	r.flags = POLICY_RULE_EXACT;
	if (ncond)
		policy_rule_add_cond(&r, arg, op, datum, mask);
	T_CHECK(policy_add_rule(p, &r, NULL) == 0, "add %s", name);
}

static void refused(const char *name, struct policy *p, const char *needle)
{
	struct muzzle_error err = {0};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int rc;

	t_begin(name);
	rc = f ? minijail_write(f, p, NULL, &err) : -1;
	if (f)
		fclose(f);
	T_CHECK(rc == -ENOTSUP, "not refused: %d", rc);
	T_CHECK(len == 0, "a refusal wrote %zu bytes: %s", len, out ? out : "");
	T_CHECK(strstr(err.msg, needle) != NULL, "message \"%s\" lacks \"%s\"", err.msg,
		needle);
	free(out);
	t_end();
}

static struct policy fresh(uint32_t def)
{
	struct policy p;

	policy_init(&p, def);
	p.arches = X64;
	p.badarch_action = POLICY_ACT_KILL_THREAD;
	return p;
}

/* The seed file holding a line, opened at its start; NULL if none. */
static FILE *find_seed(const char *needle, char *path, size_t len)
{
	char dir[512], line[512];
	struct dirent *e;
	DIR *d;

	d = opendir(shared_path("seeds", dir, sizeof(dir)));
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.' ||
		    (size_t)snprintf(path, len, "%s/%s", dir, e->d_name) >= len)
			continue;
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (strstr(line, needle)) {
				rewind(f);
				closedir(d);
				return f;
			}
		if (f)
			fclose(f);
	}
	closedir(d);
	return NULL;
}

/* The same excerpt read from the seed file itself: each "name: 1" line must
 * compile for arm, except the two garbled ones. */
static void test_seed_file(void)
{
	char path[512], line[256];
	FILE *f;
	int good = 0, bad = 0;

	f = find_seed("getuid32: 1", path, sizeof(path));
	if (!f) {
		t_skip("minijail_seed_mediaextractor_lines", "seed file not found (set MUZZLE_SHARED)");
		return;
	}
	t_begin("minijail_seed_mediaextractor_lines");
	while (fgets(line, sizeof(line), f)) {
		struct policy p;
		struct muzzle_error err;
		size_t n = strlen(line);

		if (n < 5 || strcmp(line + n - 4, ": 1\n") != 0 || strchr(line, ' ') != line + n - 3)
			continue;
		if (rd(line, ARCH_MASK(ARCH_ARM), 1, &p, &err) == 0) {
			good++;
		} else {
			bad++;
			T_CHECK(strncmp(line, "10munmap", 8) == 0 || strncmp(line, "dupe", 4) == 0,
				"rejected %s: %s", line, err.msg);
			T_EQ_I(err.line, 1);
		}
		policy_free(&p);
	}
	fclose(f);
	T_EQ_I(good, 10);
	T_EQ_I(bad, 2);
	t_end();
}

static void test_write(void)
{
	struct policy p, b;
	struct muzzle_error err = {0};
	char why[300], *out;
	int rc;

	roundtrip("minijail_write_roundtrip_c_language",
		  "read: 1\nwrite: arg0 == 1 || arg0 == 2 && arg1 in ~PROT_EXEC\n"
		  "close: return EPERM\nopenat: arg2 & O_CLOEXEC; return ENOENT\n"
		  "mmap: arg2 in ~PROT_EXEC || arg2 in ~PROT_WRITE\n", X64, 1);
	roundtrip("minijail_write_roundtrip_python_language",
		  "@default kill-thread\n{read, write}: allow\n"
		  "openat: { arg0 == 0; return 1, arg0 < 5; trap, arg1 == 2, log }\n"
		  "close: arg0 >= 3 && arg0 <= 10; kill-process\ngetpid: user-notify\n", X64, 0);
	roundtrip("minijail_write_roundtrip_denylist",
		  "@denylist\nptrace: return EPERM\nbpf: arg0 == 1; return 1\n"
		  "kexec_load: { arg0 == 2; return 3, arg1 != 0; return 4 }\n", X64, 0);
	roundtrip("minijail_write_roundtrip_arm",
		  "mmap2: arg2 in ~PROT_EXEC\ngetuid32: 1\n", ARCH_MASK(ARCH_ARM), 1);

	t_begin("minijail_write_masked_with_datum");
	p = fresh(POLICY_ACT_KILL_PROCESS);
	add(&p, POLICY_ACT_ALLOW, "read", 1, 1, POLICY_OP_MASKED_EQ, 0x5, 0xf);
	add(&p, POLICY_ACT_ERRNO(3), "write", 1, 0, POLICY_OP_MASKED_NE, 0x6, 0xe);
	add(&p, POLICY_ACT_TRAP, "write", 1, 1, POLICY_OP_GT, 7, 0);
	add(&p, POLICY_ACT_ALLOW, "write", 1, 2, POLICY_OP_LT, 9, 0);
	add(&p, POLICY_ACT_ALLOW, "close", 1, 0, POLICY_OP_MASKED_EQ, 0x10, 0x1);	/* never */
	out = write_mem(minijail_write, &p, &err, &rc);
	T_CHECK(out != NULL, "write: %s", err.msg);
	if (out) {
		T_CHECK(strstr(out, "close") == NULL, "a never-matching rule was written:\n%s", out);
		T_CHECK(rd(out, X64, 0, &b, &err) == 0, "re-read: %s\n%s", err.msg, out);
		T_CHECK(policies_equal(&p, &b, X64, why, sizeof(why)), "%s\n%s", why, out);
		T_EQ_U(act(&b, ARCH_X86_64, "read", 0, 0x35, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&b, ARCH_X86_64, "read", 0, 0x37, 0), POLICY_ACT_KILL_PROCESS);
		policy_free(&b);
	}
	free(out);
	policy_free(&p);
	t_end();

	p = fresh(POLICY_ACT_KILL_PROCESS);
	p.badarch_action = POLICY_ACT_KILL_PROCESS;
	refused("minijail_write_refuses_badarch", &p, "bad-architecture");
	policy_free(&p);
	p = fresh(POLICY_ACT_ERRNO(1));
	refused("minijail_write_refuses_errno_default", &p, "default action of ERRNO(1)");
	policy_free(&p);
	p = fresh(POLICY_ACT_ALLOW);
	add(&p, POLICY_ACT_KILL_PROCESS, "ptrace", 0, 0, 0, 0, 0);
	refused("minijail_write_refuses_denylist_kill", &p, "@denylist");
	policy_free(&p);
	p = fresh(POLICY_ACT_KILL_PROCESS);
	add(&p, POLICY_ACT_TRACE(5), "read", 0, 0, 0, 0, 0);
	refused("minijail_write_refuses_trace_data", &p, "TRACE(5)");
	policy_free(&p);
	t_begin("minijail_write_per_abi_rules");
	p = fresh(POLICY_ACT_KILL_PROCESS);
	p.arches = X64 | ARCH_MASK(ARCH_AARCH64) | ARCH_MASK(ARCH_ARM);
	add(&p, POLICY_ACT_ERRNO(1), "read", 1, 0, POLICY_OP_EQ, 0, 0);
	add(&p, POLICY_ACT_ALLOW, "read", 0, 0, 0, 0, 0);
	p.rules[1].abis = X64 | ARCH_MASK(ARCH_ARM);
	add(&p, POLICY_ACT_ALLOW, "getpid", 0, 0, 0, 0, 0);
	p.rules[2].abis = ARCH_MASK(ARCH_AARCH64);
	add(&p, POLICY_ACT_ALLOW, "write", 0, 0, 0, 0, 0);
	out = write_mem(minijail_write, &p, &err, &rc);
	T_CHECK(out != NULL, "write: %s", err.msg);
	if (out) {
		T_CHECK(strstr(out, "read[arch=x86_64,arm]: 1") && strstr(out, "getpid[arch=aarch64]"),
			"metadata:\n%s", out);
		T_CHECK(rd(out, p.arches, 0, &b, &err) == 0, "re-read: %s\n%s", err.msg, out);
		T_CHECK(policies_equal(&p, &b, p.arches, why, sizeof(why)), "%s\n%s", why, out);
		T_EQ_U(act(&b, ARCH_AARCH64, "read", 0, 0, 0), POLICY_ACT_ERRNO(1));
		T_EQ_U(act(&b, ARCH_AARCH64, "read", 1, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_EQ_U(act(&b, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		policy_free(&b);
	}
	free(out);
	policy_free(&p);
	t_end();
	p = fresh(POLICY_ACT_KILL_PROCESS);
	p.arches = X64 | ARCH_MASK(ARCH_AARCH64);
	add(&p, POLICY_ACT_ALLOW, "read", 0, 0, 0, 0, 0);
	p.rules[0].sys = POLICY_SYS_NR;
	p.rules[0].abis = X64;
	refused("minijail_write_refuses_per_abi_number", &p, "some ABIs only");
	policy_free(&p);
	p = fresh(POLICY_ACT_KILL_PROCESS);
	p.arches = ARCH_MASK(ARCH_X86);
	add(&p, POLICY_ACT_ALLOW, "socket", 0, 0, 0, 0, 0);
	p.rules[0].flags = 0;
	refused("minijail_write_refuses_socketcall_expansion", &p, "socketcall");
	policy_free(&p);
	p = fresh(POLICY_ACT_KILL_PROCESS);
	p.listener_path = strdup("/run/x.sock");
	refused("minijail_write_refuses_listener", &p, "listener");
	policy_free(&p);
}

static void test_fuzz(void)
{
	static const char *const corpus[] = {
		"read: 1\nwrite: arg0 == 1 || arg0 == 2 && arg1 in ~PROT_EXEC\n"
		"close: return EPERM\nopenat: arg2 & O_CLOEXEC; return ENOENT\n",
		"@default kill-thread\n{read, write}: allow\n"
		"openat: { arg0 == 0; return 1, arg0 < 5; trap, arg1 == 2, log }\n"
		"getpid[arch=x86_64]: user-notify\n@include ./x.policy\n",
		"@denylist\nptrace: return EPERM\nbpf: arg0 == (1|2); return 1\n"
		"mmap: arg2 in ~PROT_EXEC || arg2 in ~PROT_WRITE\n39: 1\n",
	};
	char why[600];

	t_begin("minijail_mutated_inputs");
	T_CHECK(tp_fuzz(minijail_read, corpus, 3, 3000, why, sizeof(why)), "%s", why);
	t_end();
	t_begin("minijail_mutated_inputs_write_back");
	T_CHECK(tp_fuzz_roundtrip(minijail_read, minijail_write, corpus, 3, 3000, why, sizeof(why)),
		"%s", why);
	t_end();
}

int main(void)
{
	test_basic();
	test_operators();
	test_return_semantics();
	test_lists_and_meta();
	test_long_value_lists();
	test_bad();
	test_nul_and_size();
	test_expansion_budget();
	test_strict();
	test_shared_files();
	test_includes();
	test_seed_android();
	test_seed_file();
	test_write();
	test_fuzz();
	return t_done();
}
