/* Kafel reader and writer: every construct of the grammar, first-match
 * order across action blocks, USE/#include composition, DNF conversion, and
 * every class of bad input with its line:column. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "format.h"
#include "lexer.h"
#include "textpol.h"

/* Kafel input as the tests give it: "t.kafel", these ABIs and include dir. */
static int rd_on(const char *text, uint32_t arches, const char *incdir, struct policy *p,
		 struct muzzle_error *err)
{
	const struct tp_in in = { kafel_read, "t.kafel", arches, 0, incdir };

	return tp_read(&in, text, p, err);
}

static int ok_read(const char *text, uint32_t arches, struct policy *p)
{
	const struct tp_in in = { kafel_read, "t.kafel", arches, 0, NULL };

	return tp_ok_read(&in, text, p);
}

static void check_bad(const char *name, const char *text, int line, int col, const char *needle)
{
	const struct tp_in in = { kafel_read, "t.kafel", X64, 0, NULL };

	tp_check_bad(name, &in, text, line, col, needle);
}

static void test_basic(void)
{
	struct policy p;

	t_begin("kafel_nsjail_example");
	if (!ok_read("POLICY a { ALLOW { write, execve, brk, access, mmap, open, newfstat, close, read, "
		     "mprotect, arch_prctl, munmap, getuid, getgid, getpid, rt_sigaction, geteuid, "
		     "getppid, getcwd, getegid, ioctl, fcntl, clone, wait4, rt_sigreturn, "
		     "newstat, exit_group } } USE a DEFAULT KILL", X64, &p)) {
		T_EQ_U(p.nrules, 27);
		T_EQ_U(act(&p, ARCH_X86_64, "fstat", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "stat", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(p.default_action, POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "execve", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "socket", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		T_CHECK(p.rules[0].flags & POLICY_RULE_EXACT, "Kafel rules are exact");
	}
	policy_free(&p);
	t_end();

	t_begin("kafel_actions_and_default");
	if (!ok_read("DEFAULT ERRNO(38)\nALLOW { read }, LOG { write }, KILL_PROCESS { open },\n"
		     "KILL_THREAD { close }, DENY { dup }, USER_NOTIF { getpid },\n"
		     "ERRNO(13) { openat }, TRACE(7) { getuid }, TRAP(0) { getgid }, KILL { kill }\n",
		     X64, &p)) {
		T_EQ_U(p.default_action, POLICY_ACT_ERRNO(38));
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 0, 0, 0), POLICY_ACT_LOG);
		T_EQ_U(act(&p, ARCH_X86_64, "open", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_EQ_U(act(&p, ARCH_X86_64, "close", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "dup", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "getpid", 0, 0, 0), POLICY_ACT_USER_NOTIF);
		T_EQ_U(act(&p, ARCH_X86_64, "openat", 0, 0, 0), POLICY_ACT_ERRNO(13));
		T_EQ_U(act(&p, ARCH_X86_64, "getuid", 0, 0, 0), POLICY_ACT_TRACE(7));
		T_EQ_U(act(&p, ARCH_X86_64, "getgid", 0, 0, 0), POLICY_ACT_TRAP);
		T_EQ_U(act(&p, ARCH_X86_64, "kill", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "socket", 0, 0, 0), POLICY_ACT_ERRNO(38));
	}
	policy_free(&p);
	t_end();

	t_begin("kafel_first_match_across_blocks");
	if (!ok_read("ERRNO(1) { read { fd == 0 } } ALLOW { read } DEFAULT KILL", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ERRNO(1));
		T_EQ_U(act(&p, ARCH_X86_64, "read", 1, 0, 0), POLICY_ACT_ALLOW);
	}
	policy_free(&p);
	if (!ok_read("ALLOW { read } ERRNO(1) { read { fd == 0 } }", X64, &p))
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
	policy_free(&p);
	/* a laxer filter first: the stricter one later only covers the rest */
	if (!ok_read("ALLOW { write { fd < 3 } }, KILL_PROCESS { write { fd < 10 } }",
		     X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "write", 2, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 5, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 50, 0, 0), POLICY_ACT_KILL_THREAD);
	}
	policy_free(&p);
	t_end();
}

static void test_expressions(void)
{
	struct policy p;

	t_begin("kafel_argument_names");
	if (!ok_read("ALLOW {\n  write { fd == 1 },\n  mmap(a, l, pr) { pr == 3 },\n"
		     "  getpid(x) { arg1 == 5 },\n  dup { arg0 == 4 }\n}\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "write", 1, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 2, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "mmap", 0, 0, 3), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "mmap", 0, 0, 2), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "getpid", 0, 5, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "dup", 4, 0, 0), POLICY_ACT_ALLOW);
	}
	policy_free(&p);
	t_end();

	t_begin("kafel_operators_masks_constants");
	if (!ok_read("#define MYFD 7\n#define NEG -1\n"
		     "ALLOW {\n  mmap { (prot & PROT_EXEC) == 0 },\n"
		     "  open { flags == O_RDONLY|O_CLOEXEC },\n"
		     "  read { fd != MYFD && fd >= 3 && fd <= 0x10 },\n"
		     "  close { 5 < fd },\n  dup { fildes > 0b101 || fildes < 010 },\n"
		     "  lseek { fd == NEG },\n  dup2 { (oldfd & 0xf0) != 0x10 }\n}\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "mmap", 0, 0, 3), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "mmap", 0, 0, 7), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "open", 0, 0x80000, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "open", 0, 0x80001, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 7, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 8, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0x11, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "close", 6, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "close", 5, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "dup", 6, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "dup", 7, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "dup", 5, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "dup", 8, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "lseek", ~(uint64_t)0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "dup2", 0x1f, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "dup2", 0x2f, 0, 0), POLICY_ACT_ALLOW);
	}
	policy_free(&p);
	t_end();

	t_begin("kafel_negation_and_comma");
	if (!ok_read("ALLOW { read { !(fd == 1 || fd == 2) && !(count < 5) },\n"
		     "  write { fd == 1, fd == 2 || fd == 9 } }", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 1, 0, 9), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 3, 0, 9), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 3, 0, 4), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 9, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 3, 0, 0), POLICY_ACT_KILL_THREAD);
		/* !(fd == 1 || fd == 2) is "fd < 1 || fd > 2": two terms, each
		 * with count >= 5 */
		T_CHECK(p.nrules >= 2 && p.rules[0].ncond == 2 && p.rules[1].ncond == 2 &&
			p.rules[0].cond[0].op == POLICY_OP_LT && p.rules[1].cond[0].op == POLICY_OP_GT,
			"DNF of read");
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 9), POLICY_ACT_ALLOW);
	}
	policy_free(&p);
	t_end();

	t_begin("kafel_empty_forms");
	if (!ok_read("POLICY e { }\nALLOW { }, ALLOW { read {}, write(), close() { } }\n"
		     "USE e DEFAULT LOG", X64, &p)) {
		T_EQ_U(p.nrules, 3);
		T_EQ_U(p.default_action, POLICY_ACT_LOG);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 9, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "getpid", 0, 0, 0), POLICY_ACT_LOG);
	}
	policy_free(&p);
	if (!ok_read("", X64, &p)) {
		T_EQ_U(p.nrules, 0);
		T_EQ_U(p.default_action, POLICY_ACT_KILL_THREAD);
		T_EQ_U(p.badarch_action, POLICY_ACT_KILL_THREAD);
	}
	policy_free(&p);
	t_end();

	t_begin("kafel_custom_syscalls_and_guards");
	if (!ok_read("#define mysyscall 1000\nALLOW { mysyscall, SYSCALL[1001],\n"
		     "  getpid ON aarch64, getppid ON {x86_64, aarch64}, gettid ON arm }",
		     X64 | ARCH_MASK(ARCH_AARCH64), &p)) {
		T_EQ_I(p.rules[0].sys, POLICY_SYS_NR);
		T_EQ_U(p.rules[0].nr, 1000);
		T_EQ_U(p.rules[1].nr, 1001);
		T_EQ_U(act(&p, ARCH_X86_64, "getpid", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(act(&p, ARCH_AARCH64, "getpid", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "getppid", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_AARCH64, "gettid", 0, 0, 0), POLICY_ACT_KILL_THREAD);
		T_EQ_U(p.nrules, 4);
	}
	policy_free(&p);
	t_end();

	t_begin("kafel_use_composition");
	if (!ok_read("POLICY base { ALLOW { read, write } }\n"
		     "POLICY net { ERRNO(1) { socket }, USE base }\n"
		     "POLICY top { USE net, ALLOW { close } }\nUSE top\nDEFAULT KILL_PROCESS\n",
		     X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "socket", 0, 0, 0), POLICY_ACT_ERRNO(1));
		T_EQ_U(act(&p, ARCH_X86_64, "close", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "getpid", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_EQ_U(p.nrules, 4);
	}
	policy_free(&p);
	/* only the implicit top-level policy is compiled */
	if (!ok_read("POLICY unused { ALLOW { read } } ALLOW { write }", X64, &p))
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_KILL_THREAD);
	policy_free(&p);
	t_end();
}

static void test_bad(void)
{
	check_bad("kafel_bad_unknown_syscall", "ALLOW {\n  read, nosuch\n}", 2, 9, "undefined syscall");
	check_bad("kafel_bad_undefined_arg", "ALLOW { read { fdx == 1 } }", 1, 16,
		  "undefined argument");
	check_bad("kafel_bad_arg_vs_arg", "ALLOW { read { fd == count } }", 1, 19, "two arguments");
	check_bad("kafel_bad_masked_order", "ALLOW { read { (fd & 1) < 1 } }", 1, 25, "masked");
	check_bad("kafel_bad_bare_value", "ALLOW { read { fd } }", 1, 16, "expected a comparison");
	check_bad("kafel_bad_cmp_of_cmp", "ALLOW { read { (fd == 1) == 1 } }", 1, 26,
		  "comparison of a comparison");
	check_bad("kafel_bad_errno_range", "ALLOW { read } DEFAULT ERRNO(5000)", 1, 30, "out of range");
	check_bad("kafel_bad_trap_data", "TRAP(3) { read }", 1, 6, "TRAP data");
	check_bad("kafel_bad_action", "ALLOWED { read }", 1, 1, "expected USE or an action");
	check_bad("kafel_bad_missing_brace", "ALLOW { read, write\nDEFAULT KILL", 2, 1,
		  "expected ','");
	check_bad("kafel_bad_unterminated_comment", "ALLOW { read }\n/* no end", 2, 1,
		  "unterminated comment");
	check_bad("kafel_bad_default_twice", "DEFAULT KILL\nDEFAULT ALLOW", 2, 1, "twice");
	check_bad("kafel_bad_use_undefined", "USE nothing", 1, 5, "undefined policy");
	check_bad("kafel_bad_use_self", "POLICY a { USE a }", 1, 16, "undefined policy");
	check_bad("kafel_bad_policy_redefined", "POLICY a { }\nPOLICY a { }", 2, 8, "redefinition");
	check_bad("kafel_bad_define_redefined", "#define A 1\n#define A 2", 2, 9, "redefinition");
	check_bad("kafel_bad_directive", "#pragma x", 1, 2, "expected 'define' or 'include'");
	check_bad("kafel_bad_too_many_args", "ALLOW { read(a, b, c, d, e, f, g) }", 1, 32,
		  "too many arguments");
	check_bad("kafel_bad_arg_redefined", "ALLOW { read(a, a) }", 1, 17, "redefinition");
	check_bad("kafel_bad_number_64bit", "ALLOW { read { fd == 99999999999999999999 } }", 1, 22,
		  "64 bits");
	check_bad("kafel_bad_unknown_arch", "ALLOW { read ON vax }", 1, 17, "unknown architecture");
	check_bad("kafel_bad_char", "ALLOW { read { fd == $ } }", 1, 22, "unexpected character");
	check_bad("kafel_bad_include_missing", "#include \"nope.policy\"", 1, 10, "cannot #include");
	check_bad("kafel_bad_syscall_nr_range", "ALLOW { SYSCALL[0x100000000] }", 1, 9, "32 bits");
	check_bad("kafel_bad_constant_differs_hint", "ALLOW { read { fd == NOSUCHCONST } }", 1, 22,
		  "undefined argument or constant");
	check_bad("kafel_bad_dnf_blowup",
		  "ALLOW { read { (fd == 1 || fd == 2) && (fd == 3 || fd == 4) && "
		  "(fd == 5 || fd == 6) && (fd == 7 || fd == 8) && (fd == 9 || fd == 10) && "
		  "(fd == 11 || fd == 12) && (fd == 13 || fd == 14) && (fd == 15 || fd == 16) && "
		  "(fd == 17 || fd == 18) && (fd == 19 || fd == 20) && (fd == 21 || fd == 22) && "
		  "(fd == 23 || fd == 24) && (fd == 25 || fd == 26) } }", 1, 16, "too complex");
}

static void test_limits(void)
{
	static const char nul[] = "ALLOW { read }\nALLOW { \0 }";
	struct policy p;
	struct muzzle_error err = {0};
	struct format_options o;
	char *deep;
	size_t n = 0;

	t_begin("kafel_bad_nul_byte");
	memset(&o, 0, sizeof(o));
	o.arches = X64;
	T_CHECK(kafel_read(nul, sizeof(nul) - 1, "t.kafel", &o, &p, &err) < 0, "accepted");
	T_EQ_I(err.line, 2);
	T_EQ_I(err.col, 9);
	policy_free(&p);
	t_end();

	t_begin("kafel_bad_deep_parentheses");
	deep = malloc(20000);
	if (deep) {
		n += (size_t)sprintf(deep, "ALLOW { read { ");
		for (int i = 0; i < 5000; i++)
			deep[n++] = '(';
		strcpy(deep + n, "fd == 1 } }");
		T_CHECK(rd_on(deep, X64, NULL, &p, &err) < 0 && strstr(err.msg, "nested too deeply"),
			"deep nesting: %s", err.msg);
		policy_free(&p);
		free(deep);
	}
	t_end();

	t_begin("kafel_bad_100mb_input");
	deep = malloc(100u << 20);
	if (deep) {
		memset(deep, ' ', 100u << 20);
		T_CHECK(kafel_read(deep, 100u << 20, "big", &o, &p, &err) == -EFBIG, "accepted");
		policy_free(&p);
		free(deep);
	}
	t_end();
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
	char dir[] = "/tmp/muzzle-kf-XXXXXX", cmd[600];
	struct policy p;
	struct muzzle_error err = {0};

	t_begin("kafel_includes");
	if (!mkdtemp(dir)) {
		T_CHECK(0, "mkdtemp");
		t_end();
		return;
	}
	write_file(dir, "consts.policy", "#define MAGIC 42\n");
	write_file(dir, "base.policy", "#include \"consts.policy\"\n"
		   "POLICY base { ALLOW { read { fd == MAGIC } } }\n");
	write_file(dir, "self.policy", "#include \"self.policy\"\n");
	T_CHECK(rd_on("#include \"base.policy\"; USE base", X64, dir, &p, &err) == 0,
		"include: %s", err.msg);
	T_EQ_U(act(&p, ARCH_X86_64, "read", 42, 0, 0), POLICY_ACT_ALLOW);
	T_EQ_U(act(&p, ARCH_X86_64, "read", 41, 0, 0), POLICY_ACT_KILL_THREAD);
	policy_free(&p);
	T_CHECK(rd_on("\n  #include \"self.policy\"", X64, dir, &p, &err) < 0 &&
		strstr(err.msg, "cycle") && strstr(err.file, "self.policy") && err.line == 1 &&
		err.col == 10, "cycle: %s:%d:%d %s", err.file, err.line, err.col, err.msg);
	policy_free(&p);
	write_file(dir, "other.policy", "POLICY other { ALLOW { close } }\n");
	T_CHECK(rd_on("#include \"other.policy\" \"base.policy\"\nUSE base, USE other", X64, dir, &p,
		      &err) == 0, "two files in one directive: %s", err.msg);
	policy_free(&p);
	t_end();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	T_CHECK(system(cmd) == 0, "cleanup");
}

static void roundtrip(const char *name, const char *text, uint32_t arches)
{
	struct policy a, b;
	struct muzzle_error err = {0};
	char why[300], *out;
	int rc;

	t_begin(name);
	if (rd_on(text, arches, NULL, &a, &err)) {
		T_CHECK(0, "first read: %d:%d %s", err.line, err.col, err.msg);
		policy_free(&a);
		t_end();
		return;
	}
	out = write_mem(kafel_write, &a, &err, &rc);
	T_CHECK(out != NULL, "write failed: %s", err.msg);
	if (out) {
		rc = rd_on(out, arches, NULL, &b, &err);
		T_CHECK(rc == 0, "re-read of\n%s\nfailed: %d:%d %s", out, err.line, err.col, err.msg);
		if (!rc) {
			T_CHECK(policies_equal(&a, &b, arches, why, sizeof(why)), "differ: %s\n%s",
				why, out);
			T_EQ_U(a.default_action, b.default_action);
		}
		policy_free(&b);
	}
	free(out);
	policy_free(&a);
	t_end();
}

static void refused(const char *name, struct policy *p, const char *needle)
{
	struct muzzle_error err = {0};
	char *out;
	int rc;

	t_begin(name);
	out = write_mem(kafel_write, p, &err, &rc);
	T_CHECK(out == NULL && rc == -ENOTSUP, "written: %s", out ? out : "");
	T_CHECK(strstr(err.msg, needle) != NULL, "message \"%s\" lacks \"%s\"", err.msg, needle);
	free(out);
	t_end();
}

static void test_write(void)
{
	struct policy p;
	struct policy_rule r;

	roundtrip("kafel_write_roundtrip",
		  "DEFAULT ERRNO(1)\nERRNO(2) { read { fd == 0 } }, ALLOW { read, write { fd < 3 } },\n"
		  "KILL_PROCESS { write { fd < 10 } }, LOG { mmap { (prot & 4) != 0 } },\n"
		  "TRACE(3) { open { !(flags & 3) == 0 || mode > 7 } }, USER_NOTIF { getpid },\n"
		  "TRAP(0) { SYSCALL[1000] }", X64);
	roundtrip("kafel_write_roundtrip_guards",
		  "ALLOW { getpid ON aarch64, read, write ON x86_64 { fd == 1 } },\n"
		  "ERRNO(5) { write { fd == 1 || fd == 2 } }",
		  X64 | ARCH_MASK(ARCH_AARCH64));
	roundtrip("kafel_write_roundtrip_empty", "DEFAULT ALLOW", X64);
	roundtrip("kafel_write_roundtrip_kernel_names", "ALLOW { newfstat, stat, newuname }", X64);

	policy_init(&p, POLICY_ACT_KILL_THREAD);
	p.arches = X64;
	p.badarch_action = POLICY_ACT_KILL_PROCESS;
	refused("kafel_write_refuses_badarch", &p, "bad-architecture");
	p.badarch_action = POLICY_ACT_KILL_THREAD;
	p.arches = ARCH_MASK(ARCH_X86);
	policy_rule_init(&r, POLICY_ACT_ALLOW, arch_syscall_id("socket"));
	policy_add_rule(&p, &r, NULL);
	refused("kafel_write_refuses_socketcall_expansion", &p, "socketcall");
	policy_free(&p);
	policy_init(&p, POLICY_ACT_KILL_THREAD);
	p.arches = X64;
	p.flags = POLICY_FLAG_TSYNC;
	refused("kafel_write_refuses_flags", &p, "flags");
	policy_free(&p);
}

static void test_fuzz(void)
{
	static const char *const corpus[] = {
		"#define MYFD 7\nPOLICY a { ALLOW { read { fd != MYFD && fd >= 3 } }, "
		"ERRNO(1) { mmap { (prot & PROT_EXEC) == 0 } } }\nUSE a DEFAULT KILL\n",
		"ALLOW { write(x, y) ON x86_64 { !(x == 1 || x == 2), y < 5 }, SYSCALL[1000] }, "
		"TRAP(0) { open { flags == O_RDONLY|O_CLOEXEC } } /* c */ // d\n"
		"#include \"x.policy\"\n",
	};
	char why[600];

	t_begin("kafel_mutated_inputs");
	T_CHECK(tp_fuzz(kafel_read, corpus, 2, 3000, why, sizeof(why)), "%s", why);
	t_end();
	t_begin("kafel_mutated_inputs_write_back");
	T_CHECK(tp_fuzz_roundtrip(kafel_read, kafel_write, corpus, 2, 3000, why, sizeof(why)),
		"%s", why);
	t_end();
}

int main(void)
{
	test_basic();
	test_expressions();
	test_bad();
	test_limits();
	test_includes();
	test_write();
	test_fuzz();
	return t_done();
}
