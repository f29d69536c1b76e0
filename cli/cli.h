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
};

/* Load NAME: a built-in policy name ("default", "strict", ...) or a file in
 * any format (fmt may be FORMAT_AUTO).  Prints one error line on stderr and
 * returns non-zero on failure. */
int cli_load_input(const char *name, enum format fmt, const struct format_options *o,
		   struct cli_input *in);
void cli_input_free(struct cli_input *in);
/* Built-in policies; 0 or -ENOENT. */
int cli_builtin_policy(const char *name, struct policy *out);
/* One error line: "muzzle SUB: message". */
void cli_error(const char *sub, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_print_error(const char *sub, const struct muzzle_error *err);

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
