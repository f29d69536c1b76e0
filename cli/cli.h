/* The muzzle command: one file per subcommand, this header between them. */
#ifndef MUZZLE_CLI_H
#define MUZZLE_CLI_H

#include "bpf/bpf.h"
#include "format.h"
#include "policy/policy.h"

/* Exit codes (documented in man/muzzle.1):
 *   0 success; 1 a finding (diff: policies differ, check: warnings);
 *   2 usage error; 3 policy error (parse, validate, compile);
 *   4 system error (kernel refused, exec failed: 127 is kept for
 *     "command not found" as shells do). `run` returns the child's status. */
enum { EXIT_FINDING = 1, EXIT_USAGE = 2, EXIT_POLICY = 3, EXIT_SYSTEM = 4 };

/* A policy or a raw filter, as given on the command line. */
struct cli_input {
	int is_filter;		/* 1: raw BPF in prog, 0: policy */
	struct policy policy;
	struct bpf_prog prog;
	enum format format;	/* what it was read as */
	int is_builtin;		/* 1: a built-in policy name, not a file */
};

/* Load NAME: a built-in policy name ("default", "strict", ...) or a file in
 * any format (fmt may be FORMAT_AUTO).  Prints one error line on stderr and
 * returns non-zero on failure: the exit code to use (EXIT_USAGE, EXIT_POLICY
 * or EXIT_SYSTEM; see cli_load). */
int cli_load_input(const char *name, enum format fmt, const struct format_options *o,
		   struct cli_input *in);
void cli_input_free(struct cli_input *in);
/* Built-in policies; 0 or -ENOENT. */
int cli_builtin_policy(const char *name, struct policy *out);
/* One error line: "muzzle SUB: message". */
void cli_error(const char *sub, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_print_error(const char *sub, const struct muzzle_error *err);

/* --- shared helpers (cli/common.c) --------------------------------------- */
/* cli_load_input with the subcommand named in the error line.  Returns 0,
 * EXIT_USAGE (cannot read the file, unknown built-in) or EXIT_POLICY (it does
 * not parse or validate); the error line is already printed. */
int cli_load(const char *sub, const char *name, enum format fmt,
	     const struct format_options *o, struct cli_input *in);
/* "x86_64,x86,x32" (also "all", "native") -> ARCH_MASK bits; 0 or EXIT_USAGE
 * with an error line printed. */
int cli_parse_arches(const char *sub, const char *list, uint32_t *mask);
/* one ABI name -> descriptor, error line and NULL when unknown */
const struct arch_desc *cli_parse_arch(const char *sub, const char *name);
/* format name -> enum format; 0 or EXIT_USAGE with an error line */
int cli_parse_format(const char *sub, const char *s, enum format *f);
/* a number (decimal, 0x hex, negative = two's complement); 0 or -EINVAL */
int cli_parse_u64(const char *s, uint64_t *v);
/* The ABIs this machine can run: the native one and its compat ABIs
 * (x86_64: x86 and x32). */
uint32_t cli_machine_abis(void);
/* Action of a policy (rule index into *rule, or POLICY_RULE_DEFAULT/BADARCH)
 * or of a filter (*rule = POLICY_RULE_DEFAULT, *steps = instructions run). */
uint32_t cli_eval(const struct cli_input *in, const struct seccomp_data *d, int *rule,
		  unsigned *steps);
/* Where rule i came from, into buf: "file:line"; for JSON inputs (no lines)
 * "file: $.syscalls[N]" when exactly one entry fits, else "file: rule #N". */
const char *cli_rule_where(const struct policy *p, size_t i, const char *path, char *buf,
			   size_t len);
/* bad == NULL: print usage text on stdout (--help), return 0; else print one
 * error line "muzzle SUB: BAD (try 'muzzle SUB --help')", return EXIT_USAGE. */
int cli_usage(const char *sub, const char *usage, const char *bad);
/* After getopt_long returned '?': one error line naming the option. */
int cli_bad_option(const char *sub, char **argv, int optind_now, int optopt_now);
/* 1 if path exists and is not a regular file (a device, a fifo, /dev/stdout):
 * write it in place instead of through a temporary file and rename. */
int cli_is_special_output(const char *path);
/* Read a whole file (or "-" for stdin), at most 64 MiB; 0 or negative errno. */
int cli_read_file(const char *path, char **buf, size_t *len);
/* Allowed (ALLOW, LOG) / denied (KILL_*, TRAP, ERRNO) action kinds; USER_NOTIF
 * and TRACE are neither: a supervisor decides. */
int cli_permissive(uint32_t action);
int cli_denying(uint32_t action);
/* What syscall id on abi gets over a set of probe inputs: all-zero and
 * all-one arguments plus the values the policy's rules for it compare with. */
struct cli_verdicts {
	unsigned allow, deny, other, total;	/* probes per kind */
	uint32_t deny_action, other_action;	/* first seen */
	int deny_rule, allow_rule;		/* first deciding rule of each kind */
};
void cli_judge(const struct cli_input *in, enum arch_id abi, int id, struct cli_verdicts *v);
/* The probe inputs cli_judge uses for syscall id (seccomp_data.nr = nr) on
 * abi, into p[CLI_MAX_PROBES]; returns how many. */
#define CLI_MAX_PROBES 64
size_t cli_probes(const struct cli_input *in, enum arch_id abi, int id, uint32_t nr,
		  struct seccomp_data *p);

int cmd_run(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_asm(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_resolve(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);

#endif
