/* Kubernetes Security Profiles Operator SeccompProfile (v1beta1).
 *
 * Writing (YAML): the operator writes spec as a JSON profile on each node,
 * and containerd reads such localhost profiles as plain OCI LinuxSeccomp:
 * Docker-only members (archMap, includes/excludes, name, comment) would be
 * ignored without a word.  So everything is expanded: the spec holds only
 * OCI members, and what the CRD cannot say (a default errno other than
 * EPERM, errnoRet 0, some architectures) is refused with -ENOTSUP.
 *
 * Reading (YAML through yaml_subset.c, or the JSON kubectl prints): the
 * resource is checked, then its spec goes through the OCI reader.  What the
 * API server or the operator would change without a word -- defaultErrnoRet
 * (not in the CRD, pruned), errnoRet 0 (dropped, so EPERM), a
 * baseProfileName (unioned in from elsewhere) -- is refused. */
#include "format.h"
#include "json_common.h"
#include "yaml_subset.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#define K8S_GROUP "security-profiles-operator.x-k8s.io"
#define K8S_API K8S_GROUP "/v1beta1"

/* Plain scalars only where YAML cannot read them as anything but a string. */
static int yaml_plain_ok(const char *s)
{
	static const char *const reserved[] = { "true", "false", "null", "yes", "no", "on",
						"off", "y", "n", NULL };

	if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (const char *p = s; *p; p++)
		if (!(*p == '_' || *p == '-' || *p == '.' || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return 0;
	for (size_t i = 0; reserved[i]; i++)
		if (strcasecmp(s, reserved[i]) == 0)
			return 0;
	return 1;
}

static void yaml_string(FILE *f, const char *s)
{
	if (yaml_plain_ok(s)) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void yaml_scalar(FILE *f, struct json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		yaml_string(f, json_object_get_string(v));
	else	/* integers: json-c prints the exact (64-bit unsigned) value */
		fputs(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), f);
}

static int is_container(struct json_object *v)
{
	return json_object_is_type(v, json_type_object) ||
	       json_object_is_type(v, json_type_array);
}

static void yaml_seq(FILE *f, struct json_object *a, int indent);

/* A mapping at `indent`; when inline_first, the cursor already sits after
 * "- " for the first key. */
static void yaml_map(FILE *f, struct json_object *o, int indent, int inline_first)
{
	int first = 1;

	json_object_object_foreach(o, key, v) {
		if (!(first && inline_first))
			fprintf(f, "%*s", indent, "");
		first = 0;
		yaml_string(f, key);
		fputc(':', f);
		if (!is_container(v)) {
			fputc(' ', f);
			yaml_scalar(f, v);
			fputc('\n', f);
		} else if (json_object_is_type(v, json_type_array)) {
			if (json_object_array_length(v) == 0) {
				fputs(" []\n", f);
			} else {
				fputc('\n', f);
				yaml_seq(f, v, indent);
			}
		} else if (json_object_object_length(v) == 0) {
			fputs(" {}\n", f);
		} else {
			fputc('\n', f);
			yaml_map(f, v, indent + 2, 0);
		}
	}
}

static void yaml_seq(FILE *f, struct json_object *a, int indent)
{
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *v = json_object_array_get_idx(a, i);

		fprintf(f, "%*s- ", indent, "");
		if (json_object_is_type(v, json_type_object) && json_object_object_length(v)) {
			yaml_map(f, v, indent + 2, 1);
		} else if (is_container(v)) {
			fputs(json_object_is_type(v, json_type_array) ? "[]\n" : "{}\n", f);
		} else {
			yaml_scalar(f, v);
			fputc('\n', f);
		}
	}
}

int k8s_write(FILE *out, const struct policy *p, const struct format_options *o,
	      struct muzzle_error *err)
{
	static const struct json_write_opts wo = { .k8s = 1, .format_label = "SeccompProfile" };
	const char *name = (o && o->profile_name) ? o->profile_name : "muzzle-profile";
	struct json_object *spec;
	int rc = json_build_policy(p, &wo, &spec, err);

	if (rc)
		return rc;
	fprintf(out, "apiVersion: %s\nkind: SeccompProfile\nmetadata:\n  name: ", K8S_API);
	yaml_string(out, name);
	fputs("\nspec:\n", out);
	yaml_map(out, spec, 2, 0);
	json_object_put(spec);
	if (fflush(out) == EOF || ferror(out))
		return muzzle_error_set(err, -EIO, NULL, 0, 0, "write error");
	return 0;
}

/* --- reading ------------------------------------------------------------------- */

static const char *const top_keys[] = { "apiVersion", "kind", "metadata", "spec", "status",
					NULL };
static const char *const spec_keys[] = { "defaultAction", "architectures", "flags",
					 "listenerPath", "listenerMetadata", "syscalls",
					 "baseProfileName", "disabled", NULL };

static int check_kind(struct jctx *c, struct json_object *root)
{
	struct json_object *v, *av;
	const char *kind, *api = "";
	char kp[JSON_PATH_MAX], ap[JSON_PATH_MAX], kb[JSHOW_MAX], ab[JSHOW_MAX];

	if (jexpect(c, root, json_type_object, "$") ||
	    jfield(c, root, "$", "kind", json_type_string, 1, &v, kp, sizeof(kp)) ||
	    jget_str(c, v, kp, &kind) ||
	    jfield(c, root, "$", "apiVersion", json_type_string, 0, &av, ap, sizeof(ap)) ||
	    (av && jget_str(c, av, ap, &api)))
		return -EINVAL;
	if (strcmp(kind, "SeccompProfile") != 0)
		return jerr(c, -EINVAL, kp, "not a SeccompProfile: found kind \"%s\" (apiVersion "
			    "\"%s\")", jshow(kind, kb, sizeof(kb)), jshow(api, ab, sizeof(ab)));
	if (!av)
		return jerr(c, -EINVAL, ap, "required field missing: expected \"" K8S_API "\"");
	if (strcmp(api, K8S_API) != 0 && strcmp(api, K8S_GROUP "/v1alpha1") != 0)
		return jerr(c, -EINVAL, ap, "found apiVersion \"%s\": expected \"" K8S_API "\"",
			    jshow(api, ab, sizeof(ab)));
	if (jcheck_keys(c, root, "$", top_keys) ||
	    jfield(c, root, "$", "metadata", json_type_object, 0, &v, NULL, 0))
		return -EINVAL;
	return 0;
}

/* The operator drops errnoRet 0 (omitempty) and runtimes then return EPERM. */
static int check_errno_zero(struct jctx *c, struct json_object *spec)
{
	struct json_object *calls, *v;
	size_t n;

	if (!json_object_object_get_ex(spec, "syscalls", &calls) ||
	    !json_object_is_type(calls, json_type_array))
		return 0;
	n = json_object_array_length(calls);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(calls, i);
		char ep[JSON_PATH_MAX], p[JSON_PATH_MAX];

		if (!json_object_is_type(e, json_type_object) ||
		    !json_object_object_get_ex(e, "errnoRet", &v) ||
		    !json_object_is_type(v, json_type_int) || json_object_get_int64(v) != 0)
			continue;
		jpath_index(ep, sizeof(ep), "$.spec.syscalls", i);
		jpath_key(p, sizeof(p), ep, "errnoRet");
		return jerr(c, -EINVAL, p, "errnoRet 0: the SeccompProfile CRD drops a zero "
			    "errnoRet and runtimes then return EPERM; refused");
	}
	return 0;
}

static int check_spec(struct jctx *c, struct json_object *spec)
{
	struct json_object *v;
	const char *base = "";
	char p[JSON_PATH_MAX], sb[JSHOW_MAX];

	if (json_object_object_get_ex(spec, "defaultErrnoRet", NULL))
		return jerr(c, -EINVAL, "$.spec.defaultErrnoRet", "the SeccompProfile CRD has no "
			    "defaultErrnoRet: the API server drops it and runtimes return EPERM; "
			    "refused");
	if (jcheck_keys(c, spec, "$.spec", spec_keys) ||
	    jfield(c, spec, "$.spec", "baseProfileName", json_type_string, 0, &v, p, sizeof(p)) ||
	    (v && jget_str(c, v, p, &base)))
		return -EINVAL;
	if (base[0])
		return jerr(c, -ENOTSUP, p, "baseProfileName \"%s\": the operator unions that "
			    "profile into this one and muzzle cannot fetch it; merge its syscalls "
			    "into this profile instead", jshow(base, sb, sizeof(sb)));
	if (jfield(c, spec, "$.spec", "disabled", json_type_boolean, 0, &v, p, sizeof(p)))
		return -EINVAL;
	if (v && json_object_get_boolean(v))
		fprintf(c->warn, "%s: warning: spec.disabled is true: the operator does not "
			"install this profile\n", c->file ? c->file : "(input)");
	/* neither is a linux.seccomp member: the OCI reader would call them unknown */
	json_object_object_del(spec, "baseProfileName");
	json_object_object_del(spec, "disabled");
	return check_errno_zero(c, spec);
}

/* An error at a JSON path gets the YAML line:column of that key (or of its
 * nearest ancestor when the member is missing); the path stays in the text. */
static void point_at_yaml(const struct yaml_doc *doc, struct muzzle_error *err)
{
	char msg[sizeof(err->msg)];
	int line, col;

	if (!err || !err->json_path[0] || !yaml_doc_locate(doc, err->json_path, &line, &col))
		return;
	memcpy(msg, err->msg, sizeof(msg));
	if (snprintf(err->msg, sizeof(err->msg), "%s: %s", err->json_path, msg) < 0)
		err->msg[0] = 0;
	err->json_path[0] = 0;
	err->line = line;
	err->col = col;
}

static int is_json(const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	return i < len && buf[i] == '{';
}

static int read_resource(struct jctx *c, struct json_object *root,
			 const struct format_options *o, struct policy *out)
{
	struct json_object *spec;
	int rc = check_kind(c, root);

	if (!rc)
		rc = jfield(c, root, "$", "spec", json_type_object, 1, &spec, NULL, 0);
	if (!rc)
		rc = check_spec(c, spec);
	if (!rc)
		rc = oci_read_object(c, spec, "$.spec", o, out);
	return rc;
}

int k8s_read_json(struct json_object *root, const char *name, const struct format_options *o,
		  struct policy *out, struct muzzle_error *err)
{
	struct jctx c;
	int rc;

	jctx_init(&c, name, o, err);
	policy_init(out, POLICY_ACT_KILL_THREAD);
	rc = read_resource(&c, root, o, out);
	if (rc) {
		policy_free(out);
		policy_init(out, POLICY_ACT_KILL_THREAD);
	}
	return rc;
}

int k8s_read(const char *buf, size_t len, const char *name, const struct format_options *o,
	     struct policy *out, struct muzzle_error *err)
{
	struct yaml_doc doc = { 0 };
	struct jctx c;
	int rc;

	if (is_json(buf, len))
		return json_read_buf(buf, len, name, o, out, err, k8s_read_json);
	jctx_init(&c, name, o, err);
	policy_init(out, POLICY_ACT_KILL_THREAD);
	rc = yaml_subset_parse(buf, len, name, &doc, err);
	if (!rc)
		rc = read_resource(&c, doc.root, o, out);
	if (rc)
		point_at_yaml(&doc, err);
	yaml_doc_free(&doc);
	if (rc) {
		policy_free(out);
		policy_init(out, POLICY_ACT_KILL_THREAD);
	}
	return rc;
}
