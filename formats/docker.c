/* Docker/moby seccomp profiles (and podman's containers/common dialect):
 * the OCI fields plus archMap, per-rule includes/excludes (caps, arches,
 * minKernel), "name" as well as "names", "comment", and podman's errno
 * names ("defaultErrno", "errno").  Reading resolves the profile the way the
 * engine does before handing OCI JSON to runc: for the running kernel, a
 * capability set (Docker's default unless given) and the native architecture
 * (or each ABI in format_options.arches). */
#include "format.h"
#include "json_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

/* Docker's default capability set (moby oci/caps/defaults.go, 14 names). */
static const char *const docker_default_caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
	"CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
	"CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
};

/* One engine run: the arch the engine is built for and the ABIs it filters. */
struct family {
	const char *goarch;	/* what includes/excludes "arches" match */
	uint32_t abis;
};

struct denv {
	struct jctx *c;
	struct family fam[ARCH_COUNT];
	size_t nfam;
	uint64_t caps;		/* bit per capability number */
	int kmajor, kminor;
	uint32_t arches;	/* the policy's ABIs */
};

static const char *const top_keys[] = {
	"defaultAction", "defaultErrnoRet", "defaultErrno", "architectures", "archMap",
	"syscalls", "flags", "listenerPath", "listenerMetadata", NULL
};
static const char *const rule_keys[] = {
	"name", "names", "action", "errnoRet", "errno", "args", "comment", "includes",
	"excludes", NULL
};
static const char *const filter_keys[] = { "caps", "arches", "minKernel", NULL };
static const char *const archmap_keys[] = { "architecture", "subArchitectures", NULL };

/* --- environment ------------------------------------------------------------- */

static int parse_kernel(const char *s, int *major, int *minor, int strict)
{
	char *end;
	long a, b;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	a = strtol(s, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9' || a > 100000)
		return -EINVAL;
	b = strtol(end + 1, &end, 10);
	if (b > 100000 || (strict && *end))
		return -EINVAL;
	*major = (int)a;
	*minor = (int)b;
	return 0;
}

static int setup_caps(struct denv *e, const struct format_options *o)
{
	const char *const *caps = docker_default_caps;
	size_t n = sizeof(docker_default_caps) / sizeof(docker_default_caps[0]);

	if (o && (o->caps_given || o->caps)) {
		caps = o->caps;
		n = o->caps ? o->ncaps : 0;
	}
	e->caps = 0;
	for (size_t i = 0; i < n; i++) {
		int k = json_cap_index(caps[i]);
		char sb[JSHOW_MAX];

		if (strcasecmp(caps[i], "ALL") == 0) {
			e->caps = (1ull << JSON_CAP_COUNT) - 1;
			continue;
		}
		if (k < 0)
			return muzzle_error_set(e->c->err, -EINVAL, NULL, 0, 0,
						"unknown capability \"%s\" in the options",
						jshow(caps[i], sb, sizeof(sb)));
		e->caps |= 1ull << k;
	}
	return 0;
}

static int setup_kernel(struct denv *e, const struct format_options *o)
{
	struct utsname u;

	if (o && o->kernel_major > 0) {
		e->kmajor = o->kernel_major;
		e->kminor = o->kernel_minor;
		return 0;
	}
	if (uname(&u) || parse_kernel(u.release, &e->kmajor, &e->kminor, 0))
		return muzzle_error_set(e->c->err, -EINVAL, NULL, 0, 0,
					"cannot tell the running kernel's version for minKernel");
	return 0;
}

/* --- archMap ---------------------------------------------------------------- */

static int read_archmap_entry(struct jctx *c, struct json_object *ent, const char *path,
			      enum arch_id *arch, uint32_t *subs)
{
	struct json_object *v;
	char p[JSON_PATH_MAX], sb[JSHOW_MAX];
	const char *name;

	if (jexpect(c, ent, json_type_object, path) || jcheck_keys(c, ent, path, archmap_keys))
		return -EINVAL;
	if (jfield(c, ent, path, "architecture", json_type_string, 1, &v, p, sizeof(p)) ||
	    jget_str(c, v, p, &name))
		return -EINVAL;
	if (json_arch_parse(name, arch))
		return jerr(c, -EINVAL, p, "unknown architecture \"%s\": expected an "
			    "SCMP_ARCH_* name such as SCMP_ARCH_X86_64", jshow(name, sb, sizeof(sb)));
	*subs = 0;
	if (jfield(c, ent, path, "subArchitectures", json_type_array, 0, &v, p, sizeof(p)) ||
	    (v && json_read_arches(c, v, p, subs)))
		return -EINVAL;
	return 0;
}

/* The ABI set the engine filters when built for `primary`: the archMap entry
 * for it plus its subArchitectures; without an entry, just that ABI (the
 * engine then leaves the list empty and libseccomp uses the native one). */
static int family_abis(struct jctx *c, struct json_object *map, const char *path,
		       enum arch_id primary, uint32_t *abis)
{
	size_t len = map ? json_object_array_length(map) : 0;

	*abis = ARCH_MASK(primary);
	for (size_t i = 0; i < len; i++) {
		char p[JSON_PATH_MAX];
		enum arch_id a;
		uint32_t subs;

		jpath_index(p, sizeof(p), path, i);
		if (read_archmap_entry(c, json_object_array_get_idx(map, i), p, &a, &subs))
			return -EINVAL;
		if (a == primary)
			*abis |= subs;
	}
	return 0;
}

/* Asked for x86_64,x86,x32, the engine is the amd64 one and the other two
 * are its subArchitectures, not engines of their own: drop a family whose
 * ABI another requested family already covers. */
static void drop_sub_families(struct denv *e)
{
	size_t k = 0;

	for (size_t i = 0; i < e->nfam; i++) {
		int sub = 0;

		for (size_t j = 0; j < e->nfam && !sub; j++)
			sub = j != i && e->fam[j].abis != e->fam[i].abis &&
			      (e->fam[j].abis & e->fam[i].abis) == e->fam[i].abis;
		if (!sub)
			e->fam[k++] = e->fam[i];
	}
	e->nfam = k;
}

static int setup_arches(struct denv *e, struct json_object *root, const struct format_options *o)
{
	struct json_object *list, *map;
	char lp[JSON_PATH_MAX], mp[JSON_PATH_MAX];
	uint32_t primaries = (o && o->arches) ? (o->arches & ARCH_MASK_ALL)
					      : ARCH_MASK(arch_native()->id);
	uint32_t listed = 0;

	if (jfield(e->c, root, "$", "architectures", json_type_array, 0, &list, lp, sizeof(lp)) ||
	    jfield(e->c, root, "$", "archMap", json_type_array, 0, &map, mp, sizeof(mp)))
		return -EINVAL;
	if (list && json_read_arches(e->c, list, lp, &listed))
		return -EINVAL;
	if (listed && map && json_object_array_length(map))
		return jerr(e->c, -EINVAL, mp, "both \"architectures\" and \"archMap\" are given: "
			    "use one of them (Docker refuses this too)");
	e->arches = 0;
	e->nfam = 0;
	for (int a = 0; a < ARCH_COUNT; a++) {
		struct family *f;

		if (!(primaries & ARCH_MASK(a)))
			continue;
		f = &e->fam[e->nfam++];
		f->goarch = json_goarch_name((enum arch_id)a);
		if (family_abis(e->c, map, mp, (enum arch_id)a, &f->abis))
			return -EINVAL;
	}
	drop_sub_families(e);
	for (size_t i = 0; i < e->nfam; i++)
		e->arches |= e->fam[i].abis;
	if (listed)
		e->arches = listed;
	return 0;
}

/* --- includes / excludes ------------------------------------------------------- */

struct dfilter {
	uint64_t caps;			/* named capabilities */
	struct json_object *arches;	/* array of strings or NULL */
	int has_kernel, kmajor, kminor;
};

static int read_filter(struct jctx *c, struct json_object *rule, const char *path,
		       const char *key, struct dfilter *f)
{
	struct json_object *obj, *v;
	char fp[JSON_PATH_MAX], p[JSON_PATH_MAX], sb[JSHOW_MAX];

	memset(f, 0, sizeof(*f));
	if (jfield(c, rule, path, key, json_type_object, 0, &obj, fp, sizeof(fp)))
		return -EINVAL;
	if (!obj)
		return 0;
	if (jcheck_keys(c, obj, fp, filter_keys) ||
	    jfield(c, obj, fp, "caps", json_type_array, 0, &v, p, sizeof(p)))
		return -EINVAL;
	for (size_t i = 0; v && i < json_object_array_length(v); i++) {
		char ip[JSON_PATH_MAX];
		const char *name;
		int k;

		jpath_index(ip, sizeof(ip), p, i);
		if (jget_str(c, json_object_array_get_idx(v, i), ip, &name))
			return -EINVAL;
		k = json_cap_index(name);
		if (k < 0)
			return jerr(c, -EINVAL, ip, "unknown capability \"%s\": expected a "
				    "name such as \"CAP_SYS_ADMIN\"", jshow(name, sb, sizeof(sb)));
		f->caps |= 1ull << k;
	}
	if (jfield(c, obj, fp, "arches", json_type_array, 0, &f->arches, p, sizeof(p)))
		return -EINVAL;
	for (size_t i = 0; f->arches && i < json_object_array_length(f->arches); i++) {
		char ip[JSON_PATH_MAX];
		const char *name;

		jpath_index(ip, sizeof(ip), p, i);
		if (jget_str(c, json_object_array_get_idx(f->arches, i), ip, &name))
			return -EINVAL;
		if (!json_arch_word_known(name))
			return jerr(c, -EINVAL, ip, "unknown architecture \"%s\": expected a Go "
				    "architecture name such as \"amd64\" or \"arm64\"",
				    jshow(name, sb, sizeof(sb)));
	}
	if (jfield(c, obj, fp, "minKernel", json_type_string, 0, &v, p, sizeof(p)))
		return -EINVAL;
	if (v) {
		const char *s;

		if (jget_str(c, v, p, &s))
			return -EINVAL;
		if (parse_kernel(s, &f->kmajor, &f->kminor, 1))
			return jerr(c, -EINVAL, p, "expected a kernel version \"major.minor\" "
				    "such as \"4.8\", got \"%s\"", jshow(s, sb, sizeof(sb)));
		f->has_kernel = 1;
	}
	return 0;
}

static int arch_listed(struct json_object *arr, const char *goarch)
{
	for (size_t i = 0; arr && goarch && i < json_object_array_length(arr); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), goarch) == 0)
			return 1;
	return 0;
}

static int kernel_at_least(const struct denv *e, const struct dfilter *f)
{
	return e->kmajor > f->kmajor || (e->kmajor == f->kmajor && e->kminor >= f->kminor);
}

/* Docker's order of tests, for one engine architecture. */
static int rule_applies(const struct denv *e, const struct family *fam,
			const struct dfilter *inc, const struct dfilter *exc)
{
	if (exc->arches && arch_listed(exc->arches, fam->goarch))
		return 0;
	if (exc->caps & e->caps)
		return 0;
	if (exc->has_kernel && kernel_at_least(e, exc))
		return 0;
	if (inc->arches && json_object_array_length(inc->arches) &&
	    !arch_listed(inc->arches, fam->goarch))
		return 0;
	if ((inc->caps & e->caps) != inc->caps)
		return 0;
	if (inc->has_kernel && !kernel_at_least(e, inc))
		return 0;
	return 1;
}

/* The ABIs a rule ends up on: 0 = all of the policy's, or a subset when it
 * applies to only some of the requested engine architectures. */
static int rule_abis(const struct denv *e, const struct dfilter *inc, const struct dfilter *exc,
		     uint32_t *abis, int *any)
{
	size_t hits = 0;

	*abis = 0;
	for (size_t i = 0; i < e->nfam; i++)
		if (rule_applies(e, &e->fam[i], inc, exc)) {
			*abis |= e->fam[i].abis;
			hits++;
		}
	*any = hits > 0;
	if (hits == e->nfam)
		*abis = 0;
	return 0;
}

/* --- rules ---------------------------------------------------------------------- */

static int read_names(struct jctx *c, struct json_object *rule, const char *path,
		      const char ***names, size_t *n)
{
	struct json_object *one, *many;
	char p1[JSON_PATH_MAX], p2[JSON_PATH_MAX];

	if (jfield(c, rule, path, "name", json_type_string, 0, &one, p1, sizeof(p1)) ||
	    jfield(c, rule, path, "names", json_type_array, 0, &many, p2, sizeof(p2)))
		return -EINVAL;
	if (one && many)
		return jerr(c, -EINVAL, p1, "both \"name\" and \"names\" are given: use one");
	if (many)
		return json_read_names(c, many, p2, names, n);
	if (!one)
		return jerr(c, -EINVAL, p2, "required field missing: expected \"names\" (an "
			    "array) or \"name\" (a string)");
	*names = calloc(1, sizeof(**names));
	if (!*names)
		return jerr(c, -ENOMEM, p1, "out of memory");
	if (jget_str(c, one, p1, &(*names)[0]) || !(*names)[0][0]) {
		free(*names);
		*names = NULL;
		return jerr(c, -EINVAL, p1, "expected a syscall name");
	}
	*n = 1;
	return 0;
}

static int read_rule(struct denv *e, struct json_object *rule, const char *path,
		     struct policy *p, struct json_unknown *u)
{
	struct jctx *c = e->c;
	struct json_rule_src src = { .path = path };
	struct dfilter inc, exc;
	struct json_object *v;
	char ap[JSON_PATH_MAX], cp[JSON_PATH_MAX];
	const char **names = NULL;
	int any, rc;

	if (jexpect(c, rule, json_type_object, path) || jcheck_keys(c, rule, path, rule_keys))
		return -EINVAL;
	if (read_names(c, rule, path, &names, &src.nnames))
		return -EINVAL;
	src.names = names;
	rc = json_read_action(c, rule, path, "action", "errnoRet", "errno", &src.action);
	if (!rc)
		rc = jfield(c, rule, path, "args", json_type_array, 0, &src.args, ap, sizeof(ap));
	src.args_path = ap;
	if (!rc)
		rc = jfield(c, rule, path, "comment", json_type_string, 0, &v, cp, sizeof(cp));
	if (!rc && v)
		rc = jget_str(c, v, cp, &src.comment);
	if (!rc)
		rc = read_filter(c, rule, path, "includes", &inc);
	if (!rc)
		rc = read_filter(c, rule, path, "excludes", &exc);
	if (!rc)
		rc = rule_abis(e, &inc, &exc, &src.abis, &any);
	if (!rc) {
		src.validate_only = !any;
		rc = json_add_rules(c, p, &src, u);
	}
	free(names);
	return rc;
}

static int read_rules(struct denv *e, struct json_object *root, struct policy *p)
{
	struct json_unknown u = { 0 };
	struct json_object *arr;
	char sp[JSON_PATH_MAX];
	int rc = jfield(e->c, root, "$", "syscalls", json_type_array, 0, &arr, sp, sizeof(sp));
	size_t len = arr ? json_object_array_length(arr) : 0;

	for (size_t i = 0; !rc && i < len; i++) {
		char ep[JSON_PATH_MAX];

		jpath_index(ep, sizeof(ep), sp, i);
		rc = read_rule(e, json_object_array_get_idx(arr, i), ep, p, &u);
	}
	if (!rc)
		json_unknown_report(e->c, &u);
	json_unknown_free(&u);
	return rc;
}

static int read_profile(struct denv *e, struct json_object *root,
			const struct format_options *o, struct policy *p)
{
	if (jexpect(e->c, root, json_type_object, "$") || jcheck_keys(e->c, root, "$", top_keys))
		return -EINVAL;
	if (json_read_action(e->c, root, "$", "defaultAction", "defaultErrnoRet",
			     "defaultErrno", &p->default_action))
		return -EINVAL;
	if (setup_arches(e, root, o) || setup_caps(e, o) || setup_kernel(e, o))
		return -EINVAL;
	p->arches = e->arches;
	if (json_read_extras(e->c, root, "$", p))
		return -EINVAL;
	return read_rules(e, root, p);
}

int docker_read_json(struct json_object *root, const char *name,
		     const struct format_options *o, struct policy *out,
		     struct muzzle_error *err)
{
	struct jctx c;
	struct denv *e;
	int rc;

	jctx_init(&c, name, o, err);
	policy_init(out, POLICY_ACT_KILL_THREAD);
	e = calloc(1, sizeof(*e));
	if (!e)
		return muzzle_error_set(err, -ENOMEM, name, 0, 0, "out of memory");
	e->c = &c;
	rc = read_profile(e, root, o, out);
	free(e);
	if (rc) {
		if (rc > 0 || (err && !err->msg[0]))
			rc = muzzle_error_set(err, -EINVAL, name, 0, 0, "invalid profile");
		policy_free(out);
		policy_init(out, POLICY_ACT_KILL_THREAD);
	}
	return rc;
}

int docker_read(const char *buf, size_t len, const char *name, const struct format_options *o,
		struct policy *out, struct muzzle_error *err)
{
	return json_read_buf(buf, len, name, o, out, err, docker_read_json);
}

/* --- writing ------------------------------------------------------------------ */

/* The archMap entries of Docker's default profile: an engine built for the
 * primary architecture also filters the sub-architectures. */
static const struct { enum arch_id primary; uint32_t subs; } docker_families[] = {
	{ ARCH_X86_64, ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_X32) },
	{ ARCH_AARCH64, ARCH_MASK(ARCH_ARM) },
	{ ARCH_MIPS64, ARCH_MASK(ARCH_MIPS) | ARCH_MASK(ARCH_MIPS64N32) },
	{ ARCH_MIPS64N32, ARCH_MASK(ARCH_MIPS) | ARCH_MASK(ARCH_MIPS64) },
	{ ARCH_MIPSEL64, ARCH_MASK(ARCH_MIPSEL) | ARCH_MASK(ARCH_MIPSEL64N32) },
	{ ARCH_MIPSEL64N32, ARCH_MASK(ARCH_MIPSEL) | ARCH_MASK(ARCH_MIPSEL64) },
	{ ARCH_S390X, ARCH_MASK(ARCH_S390) },
	{ ARCH_RISCV64, 0 },
	{ ARCH_LOONGARCH64, 0 },
};
#define NFAMILIES (sizeof(docker_families) / sizeof(docker_families[0]))

/* Which families to write as archMap: those wholly in the policy, when
 * together they are exactly its ABIs and at least one brings
 * sub-architectures (else the plain list says the same).  0: write
 * "architectures".  An engine of each primary then reads the family back. */
static uint32_t archmap_families(uint32_t arches)
{
	uint32_t fams = 0, covered = 0;
	int subs = 0;

	for (size_t i = 0; i < NFAMILIES; i++) {
		uint32_t all = ARCH_MASK(docker_families[i].primary) | docker_families[i].subs;

		if ((arches & all) != all)
			continue;
		fams |= 1u << i;
		covered |= all;
		subs |= docker_families[i].subs != 0;
	}
	return covered == arches && subs ? fams : 0;
}

static struct json_object *arch_list(uint32_t mask)
{
	struct json_object *arr = json_object_new_array();

	for (int a = 0; arr && a < ARCH_COUNT; a++)
		if ((mask & ARCH_MASK(a)) &&
		    json_object_array_add(arr, json_object_new_string(
						  json_arch_name((enum arch_id)a)))) {
			json_object_put(arr);
			return NULL;
		}
	return arr;
}

/* One archMap entry; like Docker's profile, subArchitectures is null when
 * there are none. */
static struct json_object *family_entry(size_t i)
{
	struct json_object *e = json_object_new_object();
	struct json_object *name = json_object_new_string(json_arch_name(docker_families[i].primary));
	struct json_object *subs = docker_families[i].subs ? arch_list(docker_families[i].subs) : NULL;

	if (!e || !name || (docker_families[i].subs && !subs) ||
	    json_object_object_add(e, "architecture", name)) {
		json_object_put(name);
		json_object_put(subs);
		json_object_put(e);
		return NULL;
	}
	if (json_object_object_add(e, "subArchitectures", subs)) {
		json_object_put(subs);
		json_object_put(e);
		return NULL;
	}
	return e;
}

static struct json_object *archmap(uint32_t fams)
{
	struct json_object *map = json_object_new_array();

	for (size_t i = 0; map && i < NFAMILIES; i++) {
		struct json_object *e;

		if (!(fams & (1u << i)))
			continue;
		e = family_entry(i);
		if (!e || json_object_array_add(map, e)) {
			json_object_put(e);
			json_object_put(map);
			return NULL;
		}
	}
	return map;
}

/* "architectures" becomes "archMap" in the same place among the members. */
static int use_archmap(struct json_object **obj, uint32_t arches, struct muzzle_error *err)
{
	uint32_t fams = archmap_families(arches);
	struct json_object *map, *n;
	int rc = 0;

	if (!fams)
		return 0;
	map = archmap(fams);
	n = json_object_new_object();
	if (!map || !n)
		rc = -ENOMEM;
	json_object_object_foreach(*obj, key, v) {
		int is_list = strcmp(key, "architectures") == 0;
		struct json_object *val = is_list ? map : json_object_get(v);

		if (is_list)
			map = NULL;
		if (rc || json_object_object_add(n, is_list ? "archMap" : key, val)) {
			json_object_put(val);
			rc = -ENOMEM;
		}
	}
	json_object_put(map);
	json_object_put(*obj);
	*obj = n;
	if (rc)
		return muzzle_error_set(err, -ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

int docker_write(FILE *out, const struct policy *p, const struct format_options *o,
		 struct muzzle_error *err)
{
	static const struct json_write_opts wo = { .docker = 1, .format_label = "Docker" };
	struct json_object *obj;
	int rc;

	(void)o;
	rc = json_build_policy(p, &wo, &obj, err);
	if (!rc)
		rc = use_archmap(&obj, p->arches, err);
	if (!rc)
		rc = json_print(out, obj, err);
	json_object_put(obj);
	return rc;
}
