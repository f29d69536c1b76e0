/* Shared pieces of the text policy readers (minijail, Kafel, systemd):
 * a tokenizer that keeps line:column positions, and boolean argument
 * expressions in disjunctive normal form (DNF) with bounded expansion. */
#ifndef MUZZLE_FORMATS_LEXER_H
#define MUZZLE_FORMATS_LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "policy/policy.h"

/* Largest file any text reader (or an include) accepts. */
#define LEX_MAX_FILE (64u << 20)

enum tok_kind {
	TOK_EOF,
	TOK_EOL,	/* only with LEX_NEWLINES */
	TOK_IDENT,
	TOK_NUMBER,	/* unsigned; value in num */
	TOK_PATH,	/* only with LEX_PATHS: "/..." or "./..." up to white space */
	TOK_STRING,	/* "..." without the quotes */
	TOK_PUNCT,	/* one of the operators below */
};

enum lex_flags {
	LEX_NEWLINES = 1,	/* end of line is a token; "\\\n" continues a line */
	LEX_HASH_COMMENTS = 2,	/* '#' starts a comment to end of line */
	LEX_C_COMMENTS = 4,	/* // and / * * / comments */
	LEX_DASH_IDENT = 8,	/* identifiers may contain '-' and '@' (minijail) */
	LEX_PATHS = 16,		/* "/x" and "./x" are TOK_PATH */
};

struct token {
	enum tok_kind kind;
	const char *start;	/* into the buffer (TOK_STRING: after the quote) */
	size_t len;
	int line, col;
	uint64_t num;
};

struct lexer {
	const char *buf;
	size_t len, pos;
	int line, col;
	const char *file;
	unsigned flags;
	struct muzzle_error *err;
	struct token ahead;
	int have_ahead;
	int failed;		/* sticky: once a scan fails, every later call fails */
};

void lex_init(struct lexer *lx, const char *buf, size_t len, const char *file,
	      unsigned flags, struct muzzle_error *err);
/* Next token: 0, or a negative errno with lx->err set at the bad byte. */
int lex_next(struct lexer *lx, struct token *t);
int lex_peek(struct lexer *lx, struct token *t);
/* 1 if t is the punctuation or identifier spelled s */
int tok_is(const struct token *t, const char *s);
/* copy the token text into buf (truncated, NUL-terminated) */
const char *tok_text(const struct token *t, char *buf, size_t len);
/* Set lx->err at t ("file:line:col: message") and return -EINVAL. */
int lex_error(struct lexer *lx, const struct token *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Describe a token for "expected X, found Y" messages. */
const char *tok_describe(const struct token *t, char *buf, size_t len);

/* Read a whole file, refusing more than LEX_MAX_FILE bytes.  0 or -errno;
 * *out is malloc'ed and NUL-terminated (the NUL is not counted in *len). */
int text_read_file(const char *path, char **out, size_t *len);

/* --- argument expressions in DNF ------------------------------------------ */
#define DNF_MAX_TERMS 4096	/* conjunctions; more is "expression too complex" */
/* Whole-policy bounds for the text readers, so memory stays bounded (a term
 * is about 400 bytes): conjunctions stored over all filters, and rules made. */
#define TEXT_MAX_TERMS 200000
#define TEXT_MAX_RULES 100000

struct dnf_term {
	uint8_t n;
	struct policy_cond c[POLICY_MAX_COND];
};

/* A disjunction of conjunctions.  n == 0 is false; a term with n == 0 is true. */
struct dnf {
	struct dnf_term *t;
	size_t n, cap;
};

void dnf_init(struct dnf *d);
void dnf_free(struct dnf *d);
int dnf_set_true(struct dnf *d);
int dnf_is_true(const struct dnf *d);
/* d = one comparison */
int dnf_set_atom(struct dnf *d, unsigned arg, enum policy_op op, uint64_t datum, uint64_t mask);
/* d |= s (s is consumed) */
int dnf_or(struct dnf *d, struct dnf *s);
/* d &= s (s is consumed); -E2BIG when a term would exceed POLICY_MAX_COND
 * comparisons or the result DNF_MAX_TERMS terms */
int dnf_and(struct dnf *d, struct dnf *s);
/* d = !d, negations pushed onto the operators; -E2BIG as above */
int dnf_not(struct dnf *d);
int dnf_copy(struct dnf *dst, const struct dnf *src);
/* The operator that holds exactly when op does not. */
enum policy_op policy_op_negate(enum policy_op op);


/* --- ordered first-match filter lists ------------------------------------------
 * minijail and Kafel list filters in order and the first one that matches a
 * call decides.  The model's rules are unordered (the strictest matching
 * conditional rule decides), so each filter becomes rules for its region:
 * its expression and none of the earlier filters (for the same syscall and
 * ABI) with another action.  Rules with different actions then never
 * overlap, and the model gives the first-match answer. */
struct ord_item {
	int sys;		/* syscall id or POLICY_SYS_NR */
	uint32_t nr;
	uint32_t abis;		/* 0 = every ABI of the policy */
	uint32_t action;
	struct dnf expr;	/* true for an unconditional filter */
	struct muzzle_loc loc;	/* what the rule records (file: the top-level name) */
	int line, col;		/* where the filter really is */
	const char *file;	/* its file, for messages and comments */
	size_t order;		/* position in the source */
};

struct ord_ctx {
	uint32_t arches;	/* the policy's ABIs */
	uint32_t default_action;
	const char *top_name;	/* rules from other files get a "file:line:col" comment */
	int no_shadow;		/* error if a filter follows an unconditional one */
	struct muzzle_error *err;
};

/* Append the rules for items (grouped by syscall, in order of first
 * appearance) to out.  Every rule is POLICY_RULE_EXACT. */
int ord_to_rules(const struct ord_ctx *c, struct ord_item *items, size_t nitems,
		 struct policy *out);

/* --- what a minijail or Kafel read collects (textctx.c) -------------------------
 * The filters in source order, the names of the files they came from (items
 * point into them), and the settings both readers start from. */
struct format_options;

struct text_ctx {
	const struct format_options *o;
	struct muzzle_error *err;
	const char *top_name;		/* the input's name, "<input>" without one */
	uint32_t arches;		/* format_options.arches, else the native ABI */
	uint32_t default_action;	/* KILL_THREAD until the file says otherwise */
	struct ord_item *items;
	size_t nitems, cap;
	char **files;			/* every file name reported, owned */
	size_t nfiles;
	size_t nterms;			/* conjunctions stored in items */
};

/* Set up t for an input of len bytes named name (may be NULL); -EFBIG with
 * err set when len exceeds LEX_MAX_FILE. */
int text_ctx_init(struct text_ctx *t, size_t len, const char *name,
		  const struct format_options *o, struct muzzle_error *err);
/* A copy of s that lives as long as t, or NULL when out of memory. */
const char *text_keep_name(struct text_ctx *t, const char *s);
/* A zeroed item at items[nitems] (the caller fills it, then counts it), or
 * NULL when out of memory. */
struct ord_item *text_new_item(struct text_ctx *t);
/* Give out t's default action, ABIs and the rules of its items. */
int text_ctx_to_policy(const struct text_ctx *t, int no_shadow, struct policy *out);
void text_ctx_free(struct text_ctx *t);

#endif
