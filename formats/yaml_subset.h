/* A small YAML subset turned into a json-c tree, for Kubernetes manifests
 * (the SeccompProfile reader in k8s.c).  See yaml_subset.c for what the
 * subset holds; everything outside it is an error at file:line:column that
 * names the construct, never a partial read. */
#ifndef MUZZLE_FORMATS_YAML_SUBSET_H
#define MUZZLE_FORMATS_YAML_SUBSET_H

#include <stddef.h>

#include <json-c/json.h>

#include "error.h"

/* Where the value at a JSON path ("$.spec.syscalls[2].action") was written:
 * the key of a mapping member, the "-" of a sequence item. */
struct yaml_loc {
	char *path;
	int line, col;
};

struct yaml_doc {
	struct json_object *root;	/* NULL for an empty (null) document */
	struct yaml_loc *locs;
	size_t nlocs, cap;
};

/* Parse len bytes as one YAML document of the subset.  0, or a negative
 * errno with err at file:line:column.  Release doc with yaml_doc_free
 * either way. */
int yaml_subset_parse(const char *buf, size_t len, const char *file, struct yaml_doc *doc,
		      struct muzzle_error *err);

/* The line:column of json_path, or of its nearest ancestor that has one
 * (a missing member is reported at its parent).  1 if found, else 0. */
int yaml_doc_locate(const struct yaml_doc *doc, const char *json_path, int *line, int *col);

void yaml_doc_free(struct yaml_doc *doc);

#endif
