/* Data for `muzzle check`: syscalls that do the same thing, calls that are
 * known ways out of a sandbox, and arguments the kernel reads as 32 bits. */
#ifndef MUZZLE_CHECK_RULES_H
#define MUZZLE_CHECK_RULES_H

#include <stddef.h>

#define TWIN_MAX 14

/* Calls in one group reach the same effect; denying one and allowing another
 * leaves the effect allowed. */
struct twin_group {
	const char *effect;		/* "change a file's mode" */
	const char *names[TWIN_MAX];	/* NULL-terminated */
};

/* An allowed call that breaks isolation; arg >= 0: only dangerous when that
 * argument has bits of `value` set (probed with exactly `value`). */
struct escape_call {
	const char *name;
	int arg;
	unsigned long long value;
	const char *shown;	/* "unshare(CLONE_NEWUSER)"; NULL: the name */
	const char *why;
};

/* Arguments that are int/unsigned int in the kernel: bit i of args32 set
 * means argument i is 32 bits wide. */
struct narrow_args {
	const char *name;
	unsigned args32;
};

extern const struct twin_group check_twins[];
extern const size_t check_ntwins;
extern const struct escape_call check_escapes[];
extern const size_t check_nescapes;
/* Old entry points a modern twin replaces; denying them while allowing the
 * modern call is ordinary hygiene, not a hole. */
extern const char *const check_obsolete[];	/* NULL-terminated */
extern const struct narrow_args check_narrow[];
extern const size_t check_nnarrow;

#endif
