/* Policy file formats.  Readers turn bytes into the policy model; writers
 * turn the model into bytes.  Each format lives in its own file and talks
 * only to the policy model (and the arch tables for names). */
#ifndef MUZZLE_FORMAT_H
#define MUZZLE_FORMAT_H

#include <stdio.h>
#include "error.h"
#include "policy/policy.h"

enum format {
	FORMAT_AUTO,
	FORMAT_OCI,	/* OCI runtime-spec linux.seccomp (or a whole config.json) */
	FORMAT_DOCKER,	/* moby profile: archMap, includes/excludes, name/names */
	FORMAT_MINIJAIL,
	FORMAT_KAFEL,
	FORMAT_BPF,	/* raw struct sock_filter array (read: becomes a "filter" policy? see below) */
	FORMAT_C,	/* C array of struct sock_filter (write only) */
	FORMAT_PFC,	/* readable listing (write only) */
	FORMAT_K8S,	/* Security Profiles Operator SeccompProfile (YAML or JSON) */
	FORMAT_SYSTEMD,	/* SystemCallFilter= lines */
};

struct format_options {
	/* Docker includes/excludes: capabilities held (names "CAP_SYS_ADMIN");
	 * NULL = Docker's default set. */
	const char *const *caps;
	size_t ncaps;
	int caps_given;
	/* kernel "major.minor" for minKernel; 0 = the running kernel */
	int kernel_major, kernel_minor;
	/* ABIs for formats that do not name them (minijail, Kafel, systemd):
	 * 0 = native only.  For Docker archMap: which native arch to expand. */
	uint32_t arches;
	/* where unknown-name warnings and other notes go (NULL: stderr) */
	FILE *warn;
	/* include search directory override (minijail/Kafel); NULL = file's dir */
	const char *include_dir;
	/* minijail: also report constructs the runtime C parser rejects */
	int strict_minijail;
	/* k8s_write: metadata.name of the SeccompProfile; NULL = "muzzle-profile" */
	const char *profile_name;
};

void format_options_init(struct format_options *o);

const char *format_name(enum format f);
int format_parse_name(const char *s, enum format *f);	/* "oci", "docker", ... */
/* Guess from content (and name as a hint): JSON with apiVersion and kind, or
 * YAML with a top-level apiVersion:/kind: line -> k8s, JSON with
 * archMap/includes or "name" rules -> docker, other JSON -> oci,
 * "POLICY"/"USE"/"DEFAULT" -> kafel, "name: ..." lines -> minijail. */
enum format format_detect(const char *buf, size_t len, const char *filename);

/* Read a whole file (bounded: files over 64 MiB are refused) and parse it.
 * fmt may be FORMAT_AUTO.  0 or negative errno with err set (file:line:col or
 * JSON path); on error *out is left initialised and empty. */
int format_read_file(const char *path, enum format fmt, const struct format_options *o,
		     struct policy *out, struct muzzle_error *err);
int format_read_buf(const char *buf, size_t len, const char *name, enum format fmt,
		    const struct format_options *o, struct policy *out,
		    struct muzzle_error *err);
/* format_read_buf that also says, in *used, which format it read the input
 * as (fmt, or the detected one): callers need not detect it again. */
int format_read_detected(const char *buf, size_t len, const char *name, enum format fmt,
			 const struct format_options *o, struct policy *out, enum format *used,
			 struct muzzle_error *err);
/* Write p in format fmt.  When the format cannot express part of p, returns
 * -ENOTSUP and err names the construct; nothing partial is promised. */
int format_write(FILE *out, enum format fmt, const struct policy *p,
		 const struct format_options *o, struct muzzle_error *err);

/* per-format entry points (called by the dispatchers above) */
int oci_read(const char *buf, size_t len, const char *name, const struct format_options *o,
	     struct policy *out, struct muzzle_error *err);
int docker_read(const char *buf, size_t len, const char *name, const struct format_options *o,
		struct policy *out, struct muzzle_error *err);
int minijail_read(const char *buf, size_t len, const char *name, const struct format_options *o,
		  struct policy *out, struct muzzle_error *err);
int kafel_read(const char *buf, size_t len, const char *name, const struct format_options *o,
	       struct policy *out, struct muzzle_error *err);
int systemd_read(const char *buf, size_t len, const char *name, const struct format_options *o,
		 struct policy *out, struct muzzle_error *err);
int k8s_read(const char *buf, size_t len, const char *name, const struct format_options *o,
	     struct policy *out, struct muzzle_error *err);
/* The JSON readers on a document already parsed: format_read_buf parses a
 * JSON input once, to tell the format and to read it. */
struct json_object;
int oci_read_json(struct json_object *root, const char *name, const struct format_options *o,
		  struct policy *out, struct muzzle_error *err);
int docker_read_json(struct json_object *root, const char *name,
		     const struct format_options *o, struct policy *out,
		     struct muzzle_error *err);
int k8s_read_json(struct json_object *root, const char *name, const struct format_options *o,
		  struct policy *out, struct muzzle_error *err);
int oci_write(FILE *out, const struct policy *p, const struct format_options *o, struct muzzle_error *err);
int docker_write(FILE *out, const struct policy *p, const struct format_options *o, struct muzzle_error *err);
int k8s_write(FILE *out, const struct policy *p, const struct format_options *o, struct muzzle_error *err);
int minijail_write(FILE *out, const struct policy *p, const struct format_options *o, struct muzzle_error *err);
int kafel_write(FILE *out, const struct policy *p, const struct format_options *o, struct muzzle_error *err);
int bpf_raw_write(FILE *out, const struct policy *p, const struct format_options *o, struct muzzle_error *err);
int c_array_write(FILE *out, const struct policy *p, const struct format_options *o, struct muzzle_error *err);
int pfc_write(FILE *out, const struct policy *p, const struct format_options *o, struct muzzle_error *err);

#endif
