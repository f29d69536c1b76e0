/* Shared pieces of the JSON formats (OCI, Docker, Kubernetes SeccompProfile):
 * a bounded, strict json-c front door, typed field access that names the
 * JSON path of every error ("$.syscalls[3].args[0].op"), and the name tables
 * of the libseccomp/OCI vocabulary (actions, operators, architectures, filter
 * flags, errno names). */
#ifndef MUZZLE_FORMATS_JSON_COMMON_H
#define MUZZLE_FORMATS_JSON_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "error.h"
#include "format.h"
#include "policy/policy.h"

/* Nesting the tokenizer accepts: profiles are ~5 deep, a config.json ~8. */
#define JSON_MAX_DEPTH 64
/* Values (strings, numbers, literals, containers) one document may hold:
 * json-c spends ~100 bytes on each, so this keeps a parse near 100 MB even
 * for a 64 MiB input of "[0,0,0,...]"; real profiles hold a few thousand. */
#define JSON_MAX_VALUES (1u << 20)
/* Longest JSON path kept for messages (struct muzzle_error.json_path). */
#define JSON_PATH_MAX 160

/* Everything a walker needs to report an error. */
struct jctx {
	const char *file;		/* name for messages (may be NULL) */
	struct muzzle_error *err;
	FILE *warn;			/* never NULL once set up */
};

void jctx_init(struct jctx *c, const char *file, const struct format_options *o,
	       struct muzzle_error *err);

/* Parse len bytes as one JSON document.  Refuses NUL bytes, integers outside
 * the 64-bit range (json-c would silently saturate them), nesting deeper than
 * JSON_MAX_DEPTH, trailing data and empty input; errors carry line:col.
 * *out must be released with json_object_put. */
int json_parse_doc(const char *buf, size_t len, const char *file, struct json_object **out,
		   struct muzzle_error *err);

/* Parse buf and hand the document to read (one of the *_read_json readers). */
typedef int (*json_reader)(struct json_object *root, const char *name,
			   const struct format_options *o, struct policy *out,
			   struct muzzle_error *err);
int json_read_buf(const char *buf, size_t len, const char *name, const struct format_options *o,
		  struct policy *out, struct muzzle_error *err, json_reader read);

/* Child paths: "$.a" + key -> "$.a.key", + index -> "$.a[3]".  Truncated
 * paths end in "..." rather than overflowing. */
void jpath_key(char *dst, size_t cap, const char *parent, const char *key);
void jpath_index(char *dst, size_t cap, const char *parent, size_t index);

/* Set c->err at path and return code. */
int jerr(struct jctx *c, int code, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

const char *json_type_label(struct json_object *o);	/* "a string", "null", ... */
/* s made safe to quote in one message line: control characters, quotes and
 * backslashes escaped, long values cut with "...". Returns buf. */
#define JSHOW_MAX 72
const char *jshow(const char *s, char *buf, size_t cap);

/* o must be of type want; else an error "expected <what>, got <type>". */
int jexpect(struct jctx *c, struct json_object *o, enum json_type want, const char *path);
/* Every key of object o must be in the NULL-terminated list `known`. */
int jcheck_keys(struct jctx *c, struct json_object *o, const char *path,
		const char *const *known);
/* Member `key` of object o.  A missing member or JSON null gives *out = NULL
 * (an error when required); a member of another type than want is an error.
 * child (may be NULL) receives the member's path. */
int jfield(struct jctx *c, struct json_object *o, const char *path, const char *key,
	   enum json_type want, int required, struct json_object **out, char *child,
	   size_t child_cap);
/* Scalars. */
int jget_u64(struct jctx *c, struct json_object *o, const char *path, uint64_t *v);
int jget_str(struct jctx *c, struct json_object *o, const char *path, const char **s);

/* --- vocabulary ----------------------------------------------------------- */
/* Kinds of action names; ERRNO and TRACE take an errnoRet. */
int json_action_kind(const char *name, uint32_t *kind);	/* "SCMP_ACT_KILL" -> 0 */
const char *json_action_name(uint32_t action);		/* kind of action -> name */
int json_action_takes_ret(uint32_t kind);
/* Build the action value: kind plus errnoRet (has_ret == 0: EPERM, as runc
 * does for ERRNO and TRACE).  Refuses errnoRet >= 65536 (runtimes truncate it
 * silently) and ERRNO data above 4095 (the kernel would report success). */
int json_make_action(struct jctx *c, const char *path, uint32_t kind, int has_ret,
		     uint64_t ret, uint32_t *action);

int json_op_parse(const char *name, enum policy_op *op);	/* "SCMP_CMP_EQ" */
const char *json_op_name(enum policy_op op);			/* NULL for MASKED_NE */

/* "SCMP_ARCH_X86_64" <-> ABI; "SCMP_ARCH_NATIVE" gives the native ABI. */
int json_arch_parse(const char *name, enum arch_id *id);
const char *json_arch_name(enum arch_id id);
/* Go's GOARCH spelling of an ABI (what Docker matches includes.arches with),
 * NULL if Go has no port for it. */
const char *json_goarch_name(enum arch_id id);
/* 1 if name is a GOARCH or libseccomp spelling of some architecture. */
int json_arch_word_known(const char *name);

int json_flag_parse(const char *name, uint32_t *flag);	/* SECCOMP_FILTER_FLAG_* */
const char *json_flag_name(uint32_t flag);

/* "EPERM" -> 1; 0 or -EINVAL. */
int json_errno_parse(const char *name, uint32_t *num);

/* Capabilities: "CAP_SYS_ADMIN" (or "SYS_ADMIN", any case) -> index; -1 if
 * unknown. */
int json_cap_index(const char *name);
#define JSON_CAP_COUNT 41

/* --- reading the shared fields -------------------------------------------- */
/* An action field (act_key, required) with its errno return (ret_key: a
 * number; name_key, may be NULL: podman's errno name such as "ENOSYS"). */
int json_read_action(struct jctx *c, struct json_object *o, const char *path,
		     const char *act_key, const char *ret_key, const char *name_key,
		     uint32_t *action);
/* An array of SCMP_ARCH_* names into ARCH_MASK bits (ORed into *mask). */
int json_read_arches(struct jctx *c, struct json_object *arr, const char *path,
		     uint32_t *mask);
/* "flags", "listenerPath", "listenerMetadata" of object o into p. */
int json_read_extras(struct jctx *c, struct json_object *o, const char *path,
		     struct policy *p);
/* An array of syscall names: *names (malloc'ed, strings owned by arr). */
int json_read_names(struct jctx *c, struct json_object *arr, const char *path,
		    const char ***names, size_t *n);

/* --- reading rules ----------------------------------------------------------
 * One syscalls[] entry in OCI shape, shared by the OCI and Docker readers. */
struct json_rule_src {
	const char *path;		/* $.syscalls[i] */
	const char *const *names;
	size_t nnames;
	const char *const *name_paths;	/* unused when NULL */
	uint32_t action;
	struct json_object *args;	/* array or NULL */
	const char *args_path;
	uint32_t abis;			/* rule.abis */
	const char *comment;
	int validate_only;		/* check the entry, add nothing */
};

/* Names nobody knows, collected over a whole file for one warning line. */
struct json_unknown {
	char **names;
	size_t n, cap;
};
void json_unknown_free(struct json_unknown *u);
/* Print "file: warning: unknown syscall names skipped: a, b" if any. */
void json_unknown_report(struct jctx *c, const struct json_unknown *u);

/* Append the rules for one entry: skips it when its action equals the
 * default (runc does), skips unknown names (recorded in u), ANDs conditions
 * on distinct argument indices and turns each condition into its own rule
 * when an index repeats (runc's fallback). */
int json_add_rules(struct jctx *c, struct policy *p, const struct json_rule_src *src,
		   struct json_unknown *u);

/* A linux.seccomp object at path into p (oci.c); the SeccompProfile reader
 * hands it the resource's spec. */
int oci_read_object(struct jctx *c, struct json_object *obj, const char *path,
		    const struct format_options *o, struct policy *p);

/* --- writing --------------------------------------------------------------- */
/* Options of the shared OCI-shaped writer. */
struct json_write_opts {
	int docker;	/* emit comments (Docker keeps them) */
	int k8s;	/* Security Profiles Operator limits (no defaultErrnoRet, ...) */
	const char *format_label;	/* "OCI", "Docker", "SeccompProfile" */
};
/* Build the OCI-shaped seccomp object for p, or -ENOTSUP with err naming the
 * construct the format cannot express. */
int json_build_policy(const struct policy *p, const struct json_write_opts *wo,
		      struct json_object **out, struct muzzle_error *err);
/* Print obj pretty (tabs), with a final newline. */
int json_print(FILE *out, struct json_object *obj, struct muzzle_error *err);

#endif
