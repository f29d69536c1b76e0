/* Calls container runtimes make after loading a container's seccomp filter
 * and before (and including) the execve of the container's process: a
 * profile learned from the workload alone lacks them, and the runtime then
 * fails to start the container.  `muzzle learn --for NAME` adds them. */
#ifndef MUZZLE_RUNTIME_SETS_H
#define MUZZLE_RUNTIME_SETS_H

struct runtime_set {
	const char *name;		/* "runc", "crun", "docker" */
	const char *uses;		/* the runtime whose calls these are (docker: runc) */
	/* NULL-terminated syscall names, one list per situation */
	const char *const *late;	/* no_new_privs set: filter loaded just before exec */
	const char *const *early;	/* no_new_privs unset: loaded before dropping privileges */
	const char *const *runtime;	/* the runtime's language runtime, at any moment (may be empty) */
};

/* The set for runtime NAME, or NULL when muzzle has none. */
const struct runtime_set *runtime_set_find(const char *name);
/* "runc, crun, docker": for usage and error lines. */
const char *runtime_set_names(void);

#endif
