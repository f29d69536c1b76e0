/* Self-contained HTML reports (audit --html, diff --html): one page, the
 * style inline, no scripts, no external assets, every piece of text escaped. */
#ifndef MUZZLE_HTML_H
#define MUZZLE_HTML_H

#include <stdint.h>
#include <stdio.h>

/* Text with & < > " ' as references and control characters other than tab
 * and newline as U+FFFD: safe in element content and quoted attributes. */
void html_escape(FILE *out, const char *s);
/* Doctype, head (charset, title, style), <body> and an <h1> of title. */
void html_begin(FILE *out, const char *title);
/* </body></html> */
void html_end(FILE *out);
/* <tag>text</tag>, tag one of muzzle's own constant names. */
void html_elem(FILE *out, const char *tag, const char *text);
/* <p><b>label</b> value</p> */
void html_field(FILE *out, const char *label, const char *value);
/* A table with a header row of NULL-terminated head, then rows of as many
 * cells; a cell's class (NULL: none) lets the style mark allow/deny. */
void html_table_begin(FILE *out, const char *const *head);
void html_row(FILE *out, const char *const *cells, const char *const *classes, size_t n);
void html_table_end(FILE *out);
/* The cell class for an action: "allow", "deny" or "other" (a supervisor's). */
const char *html_action_class(uint32_t action);

/* fopen for writing, with one error line "muzzle SUB: FILE: reason" on
 * failure; html_close flushes and reports a failed write the same way.
 * Both return NULL / non-zero on failure. */
FILE *html_open(const char *sub, const char *path);
int html_close(const char *sub, const char *path, FILE *out);

#endif
