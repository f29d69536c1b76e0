/* muzzle audit: run a command without enforcing, report what a policy would deny.
 *
 * The child gets a filter in which every outcome other than ALLOW/LOG is
 * USER_NOTIF; the parent records each notification with the real verdict
 * (policy_eval on the notification's seccomp_data, which also names the
 * deciding rule) and lets the call go on with FLAG_CONTINUE. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "compile/compile.h"
#include "html.h"
#include "policy/eval.h"
#include "supervise.h"

static const char audit_usage[] =
	"usage: muzzle audit [-p POLICY] [--format F] [--arch LIST] [--json] [-o FILE]\n"
	"                    [--html FILE] -- CMD [ARGS...]\n"
	"Runs CMD (and everything it starts) without enforcing POLICY and reports every\n"
	"call POLICY would have denied: syscall, action, count, first pid and arguments,\n"
	"and the rule that decided.  Exits with CMD's status.\n"
	"  -p, --policy POLICY  a file in any format or a built-in (default: \"default\")\n"
	"      --format F       read POLICY as F\n"
	"      --arch LIST      ABIs for formats that do not name them\n"
	"      --json           report as JSON\n"
	"  -o, --output FILE    write the report to FILE (default: stderr)\n"
	"      --html FILE      also write the report as a self-contained HTML page\n";

struct finding {
	uint32_t arch, nr;
	uint32_t action;
	int rule;
	unsigned long count;
	pid_t pid;
	struct seccomp_data first;
};

struct audit {
	const struct cli_input *in;
	const char *policy_name;
	struct finding *f;
	size_t n, cap;
	int oom;
	int live;		/* stderr is a terminal: keep a running count there */
	unsigned long total;
	time_t shown;		/* when the count was last shown */
};

struct audit_opts {
	const char *policy, *output, *html;
	enum format format;
	struct format_options fo;
	int json;
	char **cmd;
};

static int parse(int argc, char **argv, struct audit_opts *o)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'F' },
		{ "arch", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "html", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	format_options_init(&o->fo);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->policy = optarg; break;
		case 'o': o->output = optarg; break;
		case 'j': o->json = 1; break;
		case 'H': o->html = optarg; break;
		case 'F':
			if (cli_parse_format("audit", optarg, &o->format))
				return EXIT_USAGE;
			break;
		case 'a':
			if (cli_parse_arches("audit", optarg, &o->fo.arches))
				return EXIT_USAGE;
			break;
		case 'h': return -1;
		default: return cli_bad_option("audit", argv, optind, optopt);
		}
	}
	if (optind >= argc)
		return cli_usage("audit", audit_usage, "no command given");
	o->cmd = argv + optind;
	if (!o->policy)
		o->policy = "default";
	return 0;
}

/* ALLOW and LOG let the call through; everything else is a denial. */
static int permits(uint32_t action)
{
	return POLICY_ACT_KIND(action) == POLICY_ACT_ALLOW ||
	       POLICY_ACT_KIND(action) == POLICY_ACT_LOG;
}

static uint32_t watch_action(uint32_t action)
{
	return permits(action) ? action : POLICY_ACT_USER_NOTIF;
}

/* The policy with every denial turned into a notification.  Turning every
 * non-permitting action into USER_NOTIF keeps "some matching rule denies"
 * exactly: USER_NOTIF is stricter than ALLOW and LOG, as the denials were. */
static int watch_policy(const struct policy *p, struct bpf_prog *out)
{
	struct muzzle_error err;
	struct policy w;
	int rc;

	if (policy_copy(&w, p))
		return -ENOMEM;
	w.default_action = watch_action(w.default_action);
	w.badarch_action = watch_action(w.badarch_action);
	w.flags &= ~(uint32_t)(POLICY_FLAG_NEW_LISTENER | POLICY_FLAG_TSYNC);
	for (size_t i = 0; i < w.nrules; i++)
		w.rules[i].action = watch_action(w.rules[i].action);
	muzzle_error_clear(&err);
	rc = compile_policy(&w, NULL, out, NULL, &err);
	if (rc)
		cli_print_error("audit", &err);
	policy_free(&w);
	return rc;
}

/* A raw filter: the same rewrite on its return instructions. */
static int watch_filter(const struct bpf_prog *p, struct bpf_prog *out)
{
	if (bpf_prog_copy(out, p))
		return -ENOMEM;
	for (size_t i = 0; i < out->len; i++) {
		struct sock_filter *f = &out->insns[i];

		if (BPF_CLASS(f->code) != BPF_RET)
			continue;
		if (BPF_RVAL(f->code) != BPF_K) {
			cli_error("audit", "instruction %zu returns a computed action; "
				  "audit needs constant returns", i);
			return -EINVAL;
		}
		f->k = watch_action(f->k);
	}
	return 0;
}

static struct finding *find(struct audit *a, const struct seccomp_data *d, uint32_t action,
			    int rule)
{
	for (size_t i = 0; i < a->n; i++) {
		struct finding *f = &a->f[i];

		if (f->arch == d->arch && f->nr == (uint32_t)d->nr && f->action == action &&
		    f->rule == rule)
			return f;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		struct finding *nf = realloc(a->f, cap * sizeof(*nf));

		if (!nf)
			return NULL;
		a->f = nf;
		a->cap = cap;
	}
	memset(&a->f[a->n], 0, sizeof(a->f[a->n]));
	return &a->f[a->n++];
}

/* At most once a second, so a chatty program is not slowed by the terminal. */
static void show_count(struct audit *a)
{
	time_t now = time(NULL);

	if (!a->live || now == a->shown)
		return;
	a->shown = now;
	fprintf(stderr, "\rmuzzle audit: %lu denied so far (%zu distinct)\033[K", a->total, a->n);
}

static void clear_count(const struct audit *a)
{
	if (a->live && a->shown)
		fputs("\r\033[K", stderr);
}

static void on_notif(void *ctx, const struct seccomp_notif *n)
{
	struct audit *a = ctx;
	int rule;
	uint32_t action = cli_eval(a->in, &n->data, &rule, NULL);
	struct finding *f;

	if (permits(action))
		return;
	f = find(a, &n->data, action, rule);
	if (!f) {
		a->oom = 1;
		return;
	}
	if (!f->count++) {
		f->arch = n->data.arch;
		f->nr = (uint32_t)n->data.nr;
		f->action = action;
		f->rule = rule;
		f->pid = (pid_t)n->pid;
		f->first = n->data;
	}
	a->total++;
	show_count(a);
}

/* --- the report ----------------------------------------------------------------- */

static const char *abi_name(const struct finding *f)
{
	const struct arch_desc *d = arch_for_data(f->arch, f->nr);

	return d ? d->name : "?";
}

static void where(const struct audit *a, const struct finding *f, char *buf, size_t len)
{
	const struct policy *p = &a->in->policy;

	if (a->in->is_filter)
		snprintf(buf, len, "%s (raw filter)", a->policy_name);
	else if (f->rule == POLICY_RULE_DEFAULT)
		snprintf(buf, len, "default action");
	else if (f->rule == POLICY_RULE_BADARCH)
		snprintf(buf, len, "architecture not in the policy");
	else
		cli_rule_where(p, (size_t)f->rule, a->policy_name, buf, len);
}

static const char *comment_of(const struct audit *a, const struct finding *f)
{
	if (a->in->is_filter || f->rule < 0)
		return NULL;
	return a->in->policy.rules[f->rule].comment;
}

static void report_text(FILE *out, const struct audit *a, int status_code)
{
	unsigned long total = 0;

	for (size_t i = 0; i < a->n; i++)
		total += a->f[i].count;
	if (!a->n) {
		fprintf(out, "muzzle audit: %s would have denied nothing (command exited %d)\n",
			a->policy_name, status_code);
		return;
	}
	fprintf(out, "muzzle audit: %s would have denied %zu distinct call%s, %lu time%s "
		"(command exited %d):\n", a->policy_name, a->n, a->n == 1 ? "" : "s", total,
		total == 1 ? "" : "s", status_code);
	fprintf(out, "  %7s  %-10s %-20s %-14s %-8s %s\n", "COUNT", "ABI", "SYSCALL", "ACTION",
		"PID", "FIRST CALL / RULE");
	for (size_t i = 0; i < a->n; i++) {
		const struct finding *f = &a->f[i];
		char name[32], act[32], call[512], loc[512];
		const char *c = comment_of(a, f);

		policy_action_str(f->action, act, sizeof(act));
		sv_format_call(call, sizeof(call), &f->first);
		where(a, f, loc, sizeof(loc));
		fprintf(out, "  %7lu  %-10s %-20s %-14s %-8d %s\n", f->count, abi_name(f),
			sv_call_name(&f->first, name, sizeof(name)), act, (int)f->pid, call);
		fprintf(out, "  %7s  %-10s %-20s %-14s %-8s rule: %s%s%s\n", "", "", "", "", "", loc,
			c ? " # " : "", c ? c : "");
	}
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static void report_json_one(FILE *out, const struct audit *a, const struct finding *f)
{
	char name[32], act[32], call[512], loc[512];
	const char *c = comment_of(a, f);

	policy_action_str(f->action, act, sizeof(act));
	sv_format_call(call, sizeof(call), &f->first);
	where(a, f, loc, sizeof(loc));
	fprintf(out, "{\"syscall\":");
	json_string(out, sv_call_name(&f->first, name, sizeof(name)));
	fprintf(out, ",\"arch\":\"%s\",\"nr\":%u,\"action\":\"%s\",\"count\":%lu,\"first_pid\":%d,"
		"\"first_args\":[", abi_name(f), f->nr, act, f->count, (int)f->pid);
	for (int i = 0; i < 6; i++)
		fprintf(out, "%s%llu", i ? "," : "", (unsigned long long)f->first.args[i]);
	fprintf(out, "],\"call\":");
	json_string(out, call);
	fprintf(out, ",\"rule\":%d,\"where\":", f->rule);
	json_string(out, loc);
	if (c) {
		fprintf(out, ",\"comment\":");
		json_string(out, c);
	}
	fputc('}', out);
}

static void report_json(FILE *out, const struct audit *a, int status_code)
{
	fprintf(out, "{\"policy\":");
	json_string(out, a->policy_name);
	fprintf(out, ",\"exit_status\":%d,\"denied\":[", status_code);
	for (size_t i = 0; i < a->n; i++) {
		fputs(i ? ",\n  " : "\n  ", out);
		report_json_one(out, a, &a->f[i]);
	}
	fprintf(out, "%s]}\n", a->n ? "\n" : "");
}

/* --- the HTML page ------------------------------------------------------------- */

static void html_command(FILE *out, char **cmd)
{
	fputs("<p><b>Command</b> <code>", out);
	for (size_t i = 0; cmd[i]; i++) {
		if (i)
			fputc(' ', out);
		html_escape(out, cmd[i]);
	}
	fputs("</code></p>\n", out);
}

static void html_finding(FILE *out, const struct audit *a, const struct finding *f)
{
	static const char *const cls[] = { "num", NULL, NULL, NULL, "num", "call", "mono",
					   NULL };
	char count[24], pid[24], name[32], act[32], call[512], loc[512];
	const char *cells[8];
	const char *c = comment_of(a, f);
	const char *row_cls[8];

	snprintf(count, sizeof(count), "%lu", f->count);
	snprintf(pid, sizeof(pid), "%d", (int)f->pid);
	policy_action_str(f->action, act, sizeof(act));
	sv_format_call(call, sizeof(call), &f->first);
	where(a, f, loc, sizeof(loc));
	cells[0] = count;
	cells[1] = abi_name(f);
	cells[2] = sv_call_name(&f->first, name, sizeof(name));
	cells[3] = act;
	cells[4] = pid;
	cells[5] = call;
	cells[6] = loc;
	cells[7] = c ? c : "";
	memcpy(row_cls, cls, sizeof(row_cls));
	row_cls[3] = html_action_class(f->action);
	html_row(out, cells, row_cls, 8);
}

static void report_html(FILE *out, const struct audit_opts *o, const struct audit *a,
			int status_code)
{
	static const char *const head[] = { "Count", "ABI", "Syscall", "Action", "First pid",
					    "First call", "Rule", "Comment", NULL };
	char title[512], line[128];
	unsigned long total = 0;

	for (size_t i = 0; i < a->n; i++)
		total += a->f[i].count;
	snprintf(title, sizeof(title), "muzzle audit: %s", a->policy_name);
	html_begin(out, title);
	html_command(out, o->cmd);
	snprintf(line, sizeof(line), "%d", status_code);
	html_field(out, "Exit status", line);
	if (a->oom)
		html_elem(out, "p", "Out of memory while recording: the report is incomplete.");
	if (!a->n) {
		html_elem(out, "p", "The policy would have denied nothing.");
	} else {
		snprintf(line, sizeof(line), "%zu distinct call%s, %lu time%s", a->n,
			 a->n == 1 ? "" : "s", total, total == 1 ? "" : "s");
		html_field(out, "Would have denied", line);
		html_table_begin(out, head);
		for (size_t i = 0; i < a->n; i++)
			html_finding(out, a, &a->f[i]);
		html_table_end(out);
	}
	html_end(out);
}

static int write_html(const struct audit_opts *o, const struct audit *a, int code)
{
	FILE *out = html_open("audit", o->html);

	if (!out)
		return EXIT_SYSTEM;
	report_html(out, o, a, code);
	return html_close("audit", o->html, out) ? EXIT_SYSTEM : 0;
}

static int report(const struct audit_opts *o, const struct audit *a, int code)
{
	FILE *out = stderr;

	if (o->output && !(out = fopen(o->output, "we"))) {
		cli_error("audit", "%s: %s", o->output, strerror(errno));
		return EXIT_SYSTEM;
	}
	if (a->oom)
		cli_error("audit", "out of memory: the report is incomplete");
	if (o->json)
		report_json(out, a, code);
	else
		report_text(out, a, code);
	if (out != stderr && fclose(out)) {
		cli_error("audit", "%s: %s", o->output, strerror(errno));
		return EXIT_SYSTEM;
	}
	return o->html ? write_html(o, a, code) : 0;
}

static int audit(const struct audit_opts *o, const struct cli_input *in, struct bpf_prog *prog)
{
	struct audit a = { in, o->policy, NULL, 0, 0, 0, isatty(STDERR_FILENO), 0, 0 };
	struct sv_hooks hooks = { &a, on_notif, NULL };
	struct sv_spawn s;
	int code, rc = 0, ran;

	memset(&s, 0, sizeof(s));
	s.sub = "audit";
	s.argv = o->cmd;
	s.insns = prog->insns;
	s.len = prog->len;
	s.flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
	s.nnp = in->is_filter ? 1 : in->policy.no_new_privs;
	code = sv_run(&s, &hooks, 1, &ran);
	clear_count(&a);
	if (ran)
		rc = report(o, &a, code);
	free(a.f);
	return rc ? rc : code;
}

int cmd_audit(int argc, char **argv)
{
	struct audit_opts o;
	struct cli_input in;
	struct bpf_prog prog;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc < 0 ? cli_usage("audit", audit_usage, NULL) : rc;
	bpf_prog_init(&prog);
	rc = cli_load("audit", o.policy, o.format, &o.fo, &in);
	if (rc)
		return rc;
	if (in.is_filter ? watch_filter(&in.prog, &prog) : watch_policy(&in.policy, &prog))
		rc = EXIT_POLICY;
	else
		rc = audit(&o, &in, &prog);
	bpf_prog_free(&prog);
	cli_input_free(&in);
	return rc;
}
