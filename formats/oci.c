/* OCI runtime-spec seccomp (config-linux.md "Seccomp"): a bare linux.seccomp
 * object, or a whole config.json whose .linux.seccomp is taken.  Read the way
 * runc and crun apply it, except that muzzle refuses what they silently
 * truncate (errnoRet >= 65536). */
#include "format.h"
#include "json_common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const seccomp_keys[] = {
	"defaultAction", "defaultErrnoRet", "architectures", "flags", "listenerPath",
	"listenerMetadata", "syscalls", NULL
};
static const char *const rule_keys[] = { "names", "action", "errnoRet", "args", NULL };

static int read_rule(struct jctx *c, struct json_object *e, const char *path, struct policy *p,
		     struct json_unknown *u)
{
	struct json_rule_src src = { .path = path };
	struct json_object *v;
	char np[JSON_PATH_MAX], ap[JSON_PATH_MAX];
	const char **names = NULL;
	int rc;

	if (jexpect(c, e, json_type_object, path) || jcheck_keys(c, e, path, rule_keys))
		return -EINVAL;
	if (jfield(c, e, path, "names", json_type_array, 1, &v, np, sizeof(np)) ||
	    json_read_names(c, v, np, &names, &src.nnames))
		return -EINVAL;
	src.names = names;
	rc = json_read_action(c, e, path, "action", "errnoRet", NULL, &src.action);
	if (!rc)
		rc = jfield(c, e, path, "args", json_type_array, 0, &src.args, ap, sizeof(ap));
	src.args_path = ap;
	if (!rc)
		rc = json_add_rules(c, p, &src, u);
	free(names);
	return rc;
}

static int read_rules(struct jctx *c, struct json_object *obj, const char *path,
		      struct policy *p)
{
	struct json_unknown u = { 0 };
	struct json_object *arr;
	char sp[JSON_PATH_MAX];
	int rc = jfield(c, obj, path, "syscalls", json_type_array, 0, &arr, sp, sizeof(sp));
	size_t len = arr ? json_object_array_length(arr) : 0;

	for (size_t i = 0; !rc && i < len; i++) {
		char ep[JSON_PATH_MAX];

		jpath_index(ep, sizeof(ep), sp, i);
		rc = read_rule(c, json_object_array_get_idx(arr, i), ep, p, &u);
	}
	if (!rc)
		json_unknown_report(c, &u);
	json_unknown_free(&u);
	return rc;
}

int oci_read_object(struct jctx *c, struct json_object *obj, const char *path,
		    const struct format_options *o, struct policy *p)
{
	struct json_object *v;
	char ap[JSON_PATH_MAX];
	uint32_t arches = 0;

	if (jexpect(c, obj, json_type_object, path) || jcheck_keys(c, obj, path, seccomp_keys))
		return -EINVAL;
	if (json_read_action(c, obj, path, "defaultAction", "defaultErrnoRet", NULL,
			     &p->default_action))
		return -EINVAL;
	if (jfield(c, obj, path, "architectures", json_type_array, 0, &v, ap, sizeof(ap)) ||
	    (v && json_read_arches(c, v, ap, &arches)))
		return -EINVAL;
	/* no list: runtimes filter for the native ABI only (libseccomp's default) */
	if (arches)
		p->arches = arches;
	else if (o && o->arches)
		p->arches = o->arches & ARCH_MASK_ALL;
	if (json_read_extras(c, obj, path, p))
		return -EINVAL;
	return read_rules(c, obj, path, p);
}

/* A config.json is recognised by the members a bare seccomp object never has. */
static int is_config(struct json_object *root)
{
	return json_object_object_get_ex(root, "ociVersion", NULL) ||
	       json_object_object_get_ex(root, "linux", NULL) ||
	       json_object_object_get_ex(root, "process", NULL);
}

int oci_read_json(struct json_object *root, const char *name, const struct format_options *o,
		  struct policy *out, struct muzzle_error *err)
{
	struct json_object *obj = root;
	struct jctx c;
	const char *path = "$";
	int rc;

	jctx_init(&c, name, o, err);
	policy_init(out, POLICY_ACT_KILL_THREAD);
	rc = jexpect(&c, root, json_type_object, "$");
	if (!rc && is_config(root)) {
		struct json_object *linux_obj;
		char lp[JSON_PATH_MAX];

		rc = jfield(&c, root, "$", "linux", json_type_object, 1, &linux_obj, lp,
			    sizeof(lp));
		if (!rc)
			rc = jfield(&c, linux_obj, lp, "seccomp", json_type_object, 1, &obj,
				    NULL, 0);
		path = "$.linux.seccomp";
	}
	if (!rc)
		rc = oci_read_object(&c, obj, path, o, out);
	if (rc) {
		policy_free(out);
		policy_init(out, POLICY_ACT_KILL_THREAD);
	}
	return rc;
}

int oci_read(const char *buf, size_t len, const char *name, const struct format_options *o,
	     struct policy *out, struct muzzle_error *err)
{
	return json_read_buf(buf, len, name, o, out, err, oci_read_json);
}

int oci_write(FILE *out, const struct policy *p, const struct format_options *o,
	      struct muzzle_error *err)
{
	static const struct json_write_opts wo = { .format_label = "OCI" };
	struct json_object *obj;
	int rc;

	(void)o;
	rc = json_build_policy(p, &wo, &obj, err);
	if (rc)
		return rc;
	rc = json_print(out, obj, err);
	json_object_put(obj);
	return rc;
}
