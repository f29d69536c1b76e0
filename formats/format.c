/* Format names, detection, bounded file reading and the read/write
 * dispatch to the per-format functions. */
#include "format.h"
#include "json_common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* format.h promises this bound: larger inputs are refused, not read. */
#define FORMAT_MAX_FILE (64u << 20)

void format_options_init(struct format_options *o)
{
	memset(o, 0, sizeof(*o));
}

static const struct { const char *name; enum format f; } format_names[] = {
	{ "auto", FORMAT_AUTO },
	{ "oci", FORMAT_OCI },
	{ "docker", FORMAT_DOCKER },
	{ "minijail", FORMAT_MINIJAIL },
	{ "kafel", FORMAT_KAFEL },
	{ "bpf", FORMAT_BPF },
	{ "c", FORMAT_C },
	{ "pfc", FORMAT_PFC },
	{ "k8s", FORMAT_K8S },
	{ "systemd", FORMAT_SYSTEMD },
	/* aliases, accepted when parsing only */
	{ "json", FORMAT_OCI },
	{ "moby", FORMAT_DOCKER },
	{ "podman", FORMAT_DOCKER },
	{ "raw", FORMAT_BPF },
	{ "kubernetes", FORMAT_K8S },
	{ "seccompprofile", FORMAT_K8S },
};

const char *format_name(enum format f)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (format_names[i].f == f)
			return format_names[i].name;
	return "unknown";
}

int format_parse_name(const char *s, enum format *f)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strcasecmp(s, format_names[i].name) == 0) {
			*f = format_names[i].f;
			return 0;
		}
	return -EINVAL;
}

/* --- detection ------------------------------------------------------------------ */

static int has_docker_rule_keys(struct json_object *calls)
{
	static const char *const keys[] = { "name", "comment", "includes", "excludes",
					    "errno", NULL };
	size_t n = json_object_is_type(calls, json_type_array)
		? json_object_array_length(calls) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(calls, i);

		if (!json_object_is_type(e, json_type_object))
			continue;
		for (size_t k = 0; keys[k]; k++)
			if (json_object_object_get_ex(e, keys[k], NULL))
				return 1;
	}
	return 0;
}

static enum format detect_root(struct json_object *root)
{
	struct json_object *calls;

	/* any Kubernetes object: the SeccompProfile reader says what kind it found */
	if (json_object_is_type(root, json_type_object) &&
	    json_object_object_get_ex(root, "apiVersion", NULL) &&
	    json_object_object_get_ex(root, "kind", NULL))
		return FORMAT_K8S;
	if (json_object_is_type(root, json_type_object) &&
	    (json_object_object_get_ex(root, "archMap", NULL) ||
	     json_object_object_get_ex(root, "defaultErrno", NULL) ||
	     (json_object_object_get_ex(root, "syscalls", &calls) &&
	      has_docker_rule_keys(calls))))
		return FORMAT_DOCKER;
	return FORMAT_OCI;
}

static enum format detect_json(const char *buf, size_t len)
{
	struct json_object *root;
	enum format f;

	/* unparsable JSON goes to the OCI reader, which reports where it breaks */
	if (json_parse_doc(buf, len, NULL, &root, NULL))
		return FORMAT_OCI;
	f = detect_root(root);
	json_object_put(root);
	return f;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* The first word of the first line that is not blank or a comment. */
static size_t first_word(const char *buf, size_t len, const char **word)
{
	const char *p = buf, *end = buf + len;

	for (;;) {
		p = skip_space(p, end);
		if ((size_t)(end - p) >= 7 && (memcmp(p, "#define", 7) == 0 ||
					       memcmp(p, "#includ", 7) == 0))
			break;	/* Kafel's preprocessor, not a comment */
		if (p + 1 < end && p[0] == '/' && p[1] == '*') {
			const char *q = memmem(p + 2, (size_t)(end - p - 2), "*/", 2);

			p = q ? q + 2 : end;
			continue;
		}
		if (p < end && *p == '#') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		if (p + 1 < end && p[0] == '/' && p[1] == '/') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		break;
	}
	*word = p;
	if (p < end && *p == '#')
		p++;
	while (p < end && (*p == '_' || *p == '-' || *p == '@' || *p == '~' ||
			   (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9')))
		p++;
	return (size_t)(p - *word);
}

/* A Kubernetes manifest in YAML: a top-level "apiVersion:" or "kind:" line,
 * or a document that opens with "---".  No other text format has these. */
static int looks_k8s_yaml(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		if ((n >= 11 && memcmp(p, "apiVersion:", 11) == 0) ||
		    (n >= 5 && memcmp(p, "kind:", 5) == 0))
			return 1;
		p = nl ? nl + 1 : end;
	}
	p = skip_space(buf, end);
	return end - p >= 3 && memcmp(p, "---", 3) == 0 &&
	       (end - p == 3 || skip_space(p + 3, p + 4) == p + 4);
}

static int word_is(const char *w, size_t n, const char *s)
{
	return n == strlen(s) && memcmp(w, s, n) == 0;
}

static int ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n >= k && strcasecmp(name + n - k, suffix) == 0;
}

static int looks_binary(const char *buf, size_t len)
{
	for (size_t i = 0; i < len && i < 4096; i++) {
		unsigned char ch = (unsigned char)buf[i];

		if (ch == 0 || (ch < 32 && ch != '\n' && ch != '\r' && ch != '\t'))
			return 1;
	}
	return 0;
}

/* a JSON object, not a raw filter that happens to start with '{' */
static int is_json_object(const char *buf, size_t len)
{
	const char *p = skip_space(buf, buf + len);

	return !(len && looks_binary(buf, len) && len % 8 == 0) && p < buf + len && *p == '{';
}

enum format format_detect(const char *buf, size_t len, const char *filename)
{
	const char *w;
	size_t n;

	if (len && looks_binary(buf, len) && len % 8 == 0)
		return FORMAT_BPF;
	if (is_json_object(buf, len))
		return detect_json(buf, len);
	if (memmem(buf, len, "SystemCallFilter", 16))
		return FORMAT_SYSTEMD;
	if (looks_k8s_yaml(buf, len) ||
	    (filename && (ends_with(filename, ".yaml") || ends_with(filename, ".yml"))))
		return FORMAT_K8S;
	n = first_word(buf, len, &w);
	if (word_is(w, n, "POLICY") || word_is(w, n, "USE") || word_is(w, n, "DEFAULT") ||
	    word_is(w, n, "#define") || word_is(w, n, "#include"))
		return FORMAT_KAFEL;
	if (filename && ends_with(filename, ".kafel"))
		return FORMAT_KAFEL;
	if (filename && (ends_with(filename, ".bpf") || ends_with(filename, ".raw")))
		return FORMAT_BPF;
	if (n && w[0] == '~')
		return FORMAT_SYSTEMD;
	if (filename && ends_with(filename, ".json"))
		return FORMAT_OCI;
	/* "name: ..." lines and @include/@frequency directives */
	return FORMAT_MINIJAIL;
}

/* --- reading ------------------------------------------------------------------- */

static int read_fd(int fd, const char *path, char **buf, size_t *len, struct muzzle_error *err)
{
	size_t cap = 65536, n = 0;
	char *b = malloc(cap);

	if (!b)
		return muzzle_error_set(err, -ENOMEM, path, 0, 0, "out of memory");
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap > FORMAT_MAX_FILE) {
				free(b);
				return muzzle_error_set(err, -EFBIG, path, 0, 0,
							"file is larger than %u MiB: refused",
							FORMAT_MAX_FILE >> 20);
			}
			cap *= 2;
			nb = realloc(b, cap);
			if (!nb) {
				free(b);
				return muzzle_error_set(err, -ENOMEM, path, 0, 0, "out of memory");
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			return muzzle_error_set(err, -e, path, 0, 0, "read failed: %s",
						strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > FORMAT_MAX_FILE) {
		free(b);
		return muzzle_error_set(err, -EFBIG, path, 0, 0,
					"file is larger than %u MiB: refused",
					FORMAT_MAX_FILE >> 20);
	}
	*buf = b;
	*len = n;
	return 0;
}

int format_read_file(const char *path, enum format fmt, const struct format_options *o,
		     struct policy *out, struct muzzle_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, rc;

	policy_init(out, POLICY_ACT_KILL_THREAD);
	fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return muzzle_error_set(err, -errno, path, 0, 0, "cannot open: %s",
					strerror(errno));
	/* refuse big regular files before reading a byte of them */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > (off_t)FORMAT_MAX_FILE) {
		close(fd);
		return muzzle_error_set(err, -EFBIG, path, 0, 0,
					"file is larger than %u MiB: refused",
					FORMAT_MAX_FILE >> 20);
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return muzzle_error_set(err, -EISDIR, path, 0, 0, "is a directory");
	}
	rc = read_fd(fd, path, &buf, &len, err);
	close(fd);
	if (rc)
		return rc;
	rc = format_read_buf(buf, len, path, fmt, o, out, err);
	free(buf);
	return rc;
}

static int dispatch_read(const char *buf, size_t len, const char *name, enum format fmt,
			 const struct format_options *o, struct policy *out,
			 struct muzzle_error *err)
{
	switch (fmt) {
	case FORMAT_OCI: return oci_read(buf, len, name, o, out, err);
	case FORMAT_DOCKER: return docker_read(buf, len, name, o, out, err);
	case FORMAT_MINIJAIL: return minijail_read(buf, len, name, o, out, err);
	case FORMAT_KAFEL: return kafel_read(buf, len, name, o, out, err);
	case FORMAT_SYSTEMD: return systemd_read(buf, len, name, o, out, err);
	case FORMAT_BPF:
		return muzzle_error_set(err, -ENOTSUP, name, 0, 0, "raw BPF is a filter, not "
					"a policy: read it with bpf_read_raw");
	case FORMAT_K8S: return k8s_read(buf, len, name, o, out, err);
	default:
		return muzzle_error_set(err, -ENOTSUP, name, 0, 0,
					"format %s cannot be read", format_name(fmt));
	}
}

/* A JSON input in any of its formats, parsed once to tell which and read. */
static int read_json_auto(const char *buf, size_t len, const char *name,
			  const struct format_options *o, struct policy *out, enum format *used,
			  struct muzzle_error *err)
{
	struct json_object *root;
	int rc = json_parse_doc(buf, len, name, &root, err);

	*used = FORMAT_OCI;
	if (rc)	/* the error the OCI reader, where detection sends it, gives */
		return rc;
	*used = detect_root(root);
	switch (*used) {
	case FORMAT_K8S: rc = k8s_read_json(root, name, o, out, err); break;
	case FORMAT_DOCKER: rc = docker_read_json(root, name, o, out, err); break;
	default: rc = oci_read_json(root, name, o, out, err); break;
	}
	json_object_put(root);
	return rc;
}

int format_read_buf(const char *buf, size_t len, const char *name, enum format fmt,
		    const struct format_options *o, struct policy *out,
		    struct muzzle_error *err)
{
	enum format used;

	return format_read_detected(buf, len, name, fmt, o, out, &used, err);
}

int format_read_detected(const char *buf, size_t len, const char *name, enum format fmt,
			 const struct format_options *o, struct policy *out, enum format *used,
			 struct muzzle_error *err)
{
	int rc;

	*used = fmt;
	muzzle_error_clear(err);
	policy_init(out, POLICY_ACT_KILL_THREAD);
	if (len > FORMAT_MAX_FILE)
		return muzzle_error_set(err, -EFBIG, name, 0, 0,
					"input is larger than %u MiB: refused",
					FORMAT_MAX_FILE >> 20);
	if (fmt == FORMAT_AUTO && is_json_object(buf, len)) {
		rc = read_json_auto(buf, len, name, o, out, used, err);
	} else {
		if (fmt == FORMAT_AUTO)
			*used = format_detect(buf, len, name);
		rc = dispatch_read(buf, len, name, *used, o, out, err);
	}
	if (!rc)
		rc = policy_validate(out, err);
	if (rc) {
		if (rc > 0)
			rc = -EINVAL;
		policy_free(out);
		policy_init(out, POLICY_ACT_KILL_THREAD);
	}
	return rc;
}

int format_write(FILE *out, enum format fmt, const struct policy *p,
		 const struct format_options *o, struct muzzle_error *err)
{
	muzzle_error_clear(err);
	switch (fmt) {
	case FORMAT_OCI: return oci_write(out, p, o, err);
	case FORMAT_DOCKER: return docker_write(out, p, o, err);
	case FORMAT_K8S: return k8s_write(out, p, o, err);
	case FORMAT_MINIJAIL: return minijail_write(out, p, o, err);
	case FORMAT_KAFEL: return kafel_write(out, p, o, err);
	case FORMAT_BPF: return bpf_raw_write(out, p, o, err);
	case FORMAT_C: return c_array_write(out, p, o, err);
	case FORMAT_PFC: return pfc_write(out, p, o, err);
	default:
		return muzzle_error_set(err, -ENOTSUP, NULL, 0, 0, "format %s cannot be written",
					format_name(fmt));
	}
}
