/* Shared writer of muzzle's HTML reports: see html.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "html.h"

void html_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			/* a control character is a parse error in HTML */
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				fputs("&#xfffd;", out);
			else
				fputc(c, out);
		}
	}
}

/* Plain and printable: fixed-width columns for calls, colours for verdicts. */
static const char style[] =
	"body{font-family:sans-serif;margin:2em;color:#222}\n"
	"table{border-collapse:collapse;margin-top:1em}\n"
	"th,td{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}\n"
	"th{background:#eee}\n"
	"td.call,td.mono{font-family:monospace;white-space:pre-wrap}\n"
	"td.deny{background:#fdd}\n"
	"td.allow{background:#dfd}\n"
	"td.other{background:#ffd}\n"
	"td.num{text-align:right}\n";

void html_begin(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
	html_escape(out, title);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	html_elem(out, "h1", title);
}

void html_end(FILE *out)
{
	fputs("</body>\n</html>\n", out);
}

void html_elem(FILE *out, const char *tag, const char *text)
{
	fprintf(out, "<%s>", tag);
	html_escape(out, text);
	fprintf(out, "</%s>\n", tag);
}

void html_field(FILE *out, const char *label, const char *value)
{
	fputs("<p><b>", out);
	html_escape(out, label);
	fputs("</b> ", out);
	html_escape(out, value);
	fputs("</p>\n", out);
}

void html_table_begin(FILE *out, const char *const *head)
{
	fputs("<table>\n<thead><tr>", out);
	for (size_t i = 0; head[i]; i++)
		html_elem(out, "th", head[i]);
	fputs("</tr></thead>\n<tbody>\n", out);
}

void html_row(FILE *out, const char *const *cells, const char *const *classes, size_t n)
{
	fputs("<tr>", out);
	for (size_t i = 0; i < n; i++) {
		if (classes && classes[i])
			fprintf(out, "<td class=\"%s\">", classes[i]);
		else
			fputs("<td>", out);
		html_escape(out, cells[i] ? cells[i] : "");
		fputs("</td>", out);
	}
	fputs("</tr>\n", out);
}

void html_table_end(FILE *out)
{
	fputs("</tbody>\n</table>\n", out);
}

const char *html_action_class(uint32_t action)
{
	return cli_permissive(action) ? "allow" : cli_denying(action) ? "deny" : "other";
}

FILE *html_open(const char *sub, const char *path)
{
	FILE *out = fopen(path, "we");

	if (!out)
		cli_error(sub, "%s: %s", path, strerror(errno));
	return out;
}

int html_close(const char *sub, const char *path, FILE *out)
{
	int bad = ferror(out);

	if (fclose(out) || bad) {
		cli_error(sub, "%s: %s", path, bad ? "write error" : strerror(errno));
		return -1;
	}
	return 0;
}
