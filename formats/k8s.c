/* Kubernetes Security Profiles Operator SeccompProfile (v1beta1) as YAML.
 *
 * The operator writes spec as a JSON profile on each node, and containerd
 * reads such localhost profiles as plain OCI LinuxSeccomp: Docker-only
 * members (archMap, includes/excludes, name, comment) would be ignored
 * without a word.  So everything is expanded: the spec holds only OCI
 * members, and what the CRD cannot say (a default errno other than EPERM,
 * errnoRet 0, some architectures) is refused with -ENOTSUP. */
#include "format.h"
#include "json_common.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#define K8S_API "security-profiles-operator.x-k8s.io/v1beta1"

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
