/* systemd SystemCallFilter= reader: allow and deny lists, groups (systemd's
 * own membership data), :errno suffixes, accumulation, unit-file framing,
 * and every class of bad input with its line:column. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "format.h"
#include "systemd_groups.h"
#include "textpol.h"

/* systemd input as the tests give it: "t.service" on these ABIs. */
static int ok_read(const char *text, uint32_t arches, struct policy *p)
{
	const struct tp_in in = { systemd_read, "t.service", arches, 0, NULL };

	return tp_ok_read(&in, text, p);
}

static void check_bad(const char *name, const char *text, int line, int col, const char *needle)
{
	const struct tp_in in = { systemd_read, "t.service", X64, 0, NULL };

	tp_check_bad(name, &in, text, line, col, needle);
}

static void test_lists(void)
{
	struct policy p;

	t_begin("systemd_allow_list_system_service");
	if (!ok_read("SystemCallFilter=@system-service\n", X64, &p)) {
		T_EQ_U(p.default_action, POLICY_ACT_KILL_PROCESS);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "openat", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "getpid", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "mount", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_EQ_U(act(&p, ARCH_X86_64, "reboot", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_EQ_U(act(&p, ARCH_X86_64, "init_module", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_CHECK(p.nrules > 100 && (p.rules[0].flags & POLICY_RULE_EXACT), "rules exact");
	}
	policy_free(&p);
	t_end();

	t_begin("systemd_allow_list_includes_default");
	if (!ok_read("SystemCallFilter=read\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "exit_group", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
	}
	policy_free(&p);
	if (!ok_read("SystemCallFilter=read\nSystemCallErrorNumber=EPERM\n", X64, &p))
		T_EQ_U(act(&p, ARCH_X86_64, "write", 0, 0, 0), POLICY_ACT_ERRNO(EPERM));
	policy_free(&p);
	t_end();

	t_begin("systemd_deny_list");
	if (!ok_read("SystemCallFilter=~@mount @reboot\nSystemCallErrorNumber=EPERM\n", X64, &p)) {
		T_EQ_U(p.default_action, POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "mount", 0, 0, 0), POLICY_ACT_ERRNO(EPERM));
		T_EQ_U(act(&p, ARCH_X86_64, "pivot_root", 0, 0, 0), POLICY_ACT_ERRNO(EPERM));
		T_EQ_U(act(&p, ARCH_X86_64, "kexec_load", 0, 0, 0), POLICY_ACT_ERRNO(EPERM));
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
	}
	policy_free(&p);
	if (!ok_read("SystemCallFilter=~ptrace:ENOSYS bpf:13 @swap\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "ptrace", 0, 0, 0), POLICY_ACT_ERRNO(ENOSYS));
		T_EQ_U(act(&p, ARCH_X86_64, "bpf", 0, 0, 0), POLICY_ACT_ERRNO(13));
		T_EQ_U(act(&p, ARCH_X86_64, "swapon", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
	}
	policy_free(&p);
	t_end();

	t_begin("systemd_lines_accumulate");
	if (!ok_read("SystemCallFilter=@basic-io @network-io\nSystemCallFilter=~write socket\n",
		     X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_EQ_U(act(&p, ARCH_X86_64, "socket", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_EQ_U(act(&p, ARCH_X86_64, "connect", 0, 0, 0), POLICY_ACT_ALLOW);
	}
	policy_free(&p);
	if (!ok_read("SystemCallFilter=~@privileged\nSystemCallFilter=chown\n", X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "chown", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "fchown", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_EQ_U(act(&p, ARCH_X86_64, "setuid", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
	}
	policy_free(&p);
	/* an empty assignment resets; the next one picks the mode again */
	if (!ok_read("SystemCallFilter=read\nSystemCallFilter=\nSystemCallFilter=~kill\n",
		     X64, &p)) {
		T_EQ_U(p.default_action, POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "kill", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
		T_EQ_U(act(&p, ARCH_X86_64, "write", 0, 0, 0), POLICY_ACT_ALLOW);
	}
	policy_free(&p);
	t_end();

	t_begin("systemd_unit_file_framing");
	if (!ok_read("# comment\n; other comment\n[Unit]\nDescription=x\n\n[Service]\n"
		     "ExecStart=/bin/true\n  SystemCallFilter = @basic-io \\\n  @io-event\n",
		     X64, &p)) {
		T_EQ_U(act(&p, ARCH_X86_64, "epoll_wait", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "read", 0, 0, 0), POLICY_ACT_ALLOW);
		T_EQ_U(act(&p, ARCH_X86_64, "mount", 0, 0, 0), POLICY_ACT_KILL_PROCESS);
	}
	policy_free(&p);
	if (!ok_read("ExecStart=/bin/true\n", X64, &p)) {
		T_EQ_U(p.nrules, 0);
		T_EQ_U(p.default_action, POLICY_ACT_ALLOW);
	}
	policy_free(&p);
	t_end();

	t_begin("systemd_architectures");
	if (!ok_read("SystemCallFilter=@basic-io\n", 0, &p)) {
		/* systemd filters its local ABIs and lets others through */
		T_EQ_U(p.badarch_action, POLICY_ACT_ALLOW);
		T_CHECK(p.arches & ARCH_MASK(arch_native()->id), "native ABI present");
	}
	policy_free(&p);
	if (!ok_read("SystemCallArchitectures=native x86\nSystemCallFilter=@basic-io\n", 0, &p)) {
		T_EQ_U(p.badarch_action, POLICY_ACT_KILL_PROCESS);
		T_EQ_U(p.arches, ARCH_MASK(arch_native()->id) | ARCH_MASK(ARCH_X86));
		T_EQ_U(act(&p, ARCH_X86, "_llseek", 0, 0, 0), POLICY_ACT_ALLOW);
	}
	policy_free(&p);
	t_end();
}

static void test_groups(void)
{
	static const char *const want[] = {
		"@system-service", "@file-system", "@network-io", "@privileged", "@obsolete",
		"@basic-io", "@io-event", "@ipc", "@keyring", "@memlock", "@module", "@mount",
		"@process", "@raw-io", "@reboot", "@resources", "@setuid", "@signal", "@swap",
		"@sync", "@timer", "@default", "@aio", "@chown", "@clock", "@cpu-emulation",
		"@debug", "@known", "@pkey",
	};
	size_t members = 0, known = 0;

	t_begin("systemd_groups_data");
	T_CHECK(strstr(systemd_groups_version, "systemd") != NULL, "version recorded");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int found = 0;

		for (size_t k = 0; k < systemd_groups_count; k++)
			found |= strcmp(systemd_groups[k].name, want[i]) == 0;
		T_CHECK(found, "group %s missing", want[i]);
	}
	for (size_t k = 1; k < systemd_groups_count; k++)
		T_CHECK(strcmp(systemd_groups[k - 1].name, systemd_groups[k].name) < 0, "sorted");
	/* every member of the named groups is in muzzle's tables; only @known
	 * also lists ABIs muzzle has no tables for (alpha, sparc, ...) */
	for (size_t k = 0; k < systemd_groups_count; k++) {
		const char *p = systemd_groups[k].members;

		if (strcmp(systemd_groups[k].name, "@known") == 0)
			continue;
		while (*p) {
			char name[64];
			size_t n = strcspn(p, " ");

			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			p += n + (p[n] == ' ');
			members++;
			known += name[0] == '@' || arch_syscall_id(name) >= 0;
		}
	}
	T_CHECK(members > 400 && known == members,
		"%zu of %zu group members known to the syscall tables", known, members);
	t_end();
}

static void test_bad(void)
{
	struct policy p;
	struct muzzle_error err = {0};
	static const char nul[] = "SystemCallFilter=read\nSystemCallFilter=wr\0ite\n";
	char *big;

	check_bad("systemd_bad_unknown_syscall", "[Service]\nSystemCallFilter=read nosuch\n", 2, 23,
		  "unknown syscall 'nosuch'");
	check_bad("systemd_bad_unknown_group", "SystemCallFilter=@sandbox\n", 1, 18,
		  "unknown syscall group");
	check_bad("systemd_bad_errno_in_allow_list", "SystemCallFilter=read:EPERM\n", 1, 18,
		  "deny list");
	check_bad("systemd_bad_errno_name", "SystemCallFilter=~read:EWHAT\n", 1, 24,
		  "unknown errno name");
	check_bad("systemd_bad_errno_number", "SystemCallErrorNumber=5000\n", 1, 23, "0..4095");
	check_bad("systemd_bad_arch", "SystemCallArchitectures=native vax\n", 1, 32,
		  "unknown architecture");
	check_bad("systemd_bad_setting", "SystemCallLog=read\n", 1, 1, "unsupported setting");
	check_bad("systemd_bad_line", "SystemCallFilter read\n", 1, 1, "expected Key=Value");
	check_bad("systemd_bad_section", "[Service\n", 1, 1, "section");

	t_begin("systemd_bad_nul_byte");
	T_CHECK(systemd_read(nul, sizeof(nul) - 1, "t", NULL, &p, &err) < 0, "accepted");
	T_EQ_I(err.line, 2);
	T_EQ_I(err.col, 20);
	policy_free(&p);
	t_end();

	t_begin("systemd_bad_100mb_input");
	big = malloc(100u << 20);
	if (big) {
		memset(big, '#', 100u << 20);
		T_CHECK(systemd_read(big, 100u << 20, "big", NULL, &p, &err) == -EFBIG, "accepted");
		policy_free(&p);
		free(big);
	}
	t_end();
}

static void test_fuzz(void)
{
	static const char *const corpus[] = {
		"[Service]\nSystemCallFilter=@system-service\nSystemCallFilter=~@privileged @resources\n"
		"SystemCallErrorNumber=EPERM\n",
		"SystemCallArchitectures=native\nSystemCallFilter=~ptrace:ENOSYS bpf:13 \\\n @swap\n",
	};
	char why[600];

	t_begin("systemd_mutated_inputs");
	T_CHECK(tp_fuzz(systemd_read, corpus, 2, 3000, why, sizeof(why)), "%s", why);
	t_end();
}

int main(void)
{
	test_lists();
	test_groups();
	test_bad();
	test_fuzz();
	return t_done();
}
