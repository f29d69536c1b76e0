/* The part of a minijail or Kafel read that both share: set-up from the
 * options, the ordered filter items, the kept file names, and the hand-over
 * of the items to ord_to_rules. */
#include "lexer.h"
#include "format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int text_ctx_init(struct text_ctx *t, size_t len, const char *name,
		  const struct format_options *o, struct muzzle_error *err)
{
	memset(t, 0, sizeof(*t));
	if (len > LEX_MAX_FILE)
		return muzzle_error_set(err, -EFBIG, name, 0, 0, "input larger than %u MiB",
					LEX_MAX_FILE >> 20);
	t->o = o;
	t->err = err;
	t->top_name = name ? name : "<input>";
	/* the files name no ABIs: the caller's, else the machine's own */
	t->arches = o && o->arches ? o->arches : ARCH_MASK(arch_native()->id);
	t->default_action = POLICY_ACT_KILL_THREAD;
	return 0;
}

const char *text_keep_name(struct text_ctx *t, const char *s)
{
	char **n = realloc(t->files, (t->nfiles + 1) * sizeof(*n));

	if (!n)
		return NULL;
	t->files = n;
	n[t->nfiles] = strdup(s);
	return n[t->nfiles] ? n[t->nfiles++] : NULL;
}

struct ord_item *text_new_item(struct text_ctx *t)
{
	struct ord_item *it;

	if (t->nitems == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct ord_item *n = realloc(t->items, cap * sizeof(*n));

		if (!n)
			return NULL;
		t->items = n;
		t->cap = cap;
	}
	it = &t->items[t->nitems];
	memset(it, 0, sizeof(*it));
	return it;
}

int text_ctx_to_policy(const struct text_ctx *t, int no_shadow, struct policy *out)
{
	struct ord_ctx oc = { .arches = t->arches, .default_action = t->default_action,
			      .top_name = t->top_name, .no_shadow = no_shadow, .err = t->err };

	out->default_action = t->default_action;
	out->badarch_action = POLICY_ACT_KILL_THREAD;
	out->arches = t->arches;
	return ord_to_rules(&oc, t->items, t->nitems, out);
}

void text_ctx_free(struct text_ctx *t)
{
	for (size_t i = 0; i < t->nitems; i++)
		dnf_free(&t->items[i].expr);
	free(t->items);
	for (size_t i = 0; i < t->nfiles; i++)
		free(t->files[i]);
	free(t->files);
}
