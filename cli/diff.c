/* muzzle diff: the semantic difference of two policies or filters. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "html.h"
#include "policy/equiv.h"

static const char usage[] =
	"usage: muzzle diff A B [--json] [--html FILE] [--arch A,...] [--format-a IN]\n"
	"                   [--format-b IN]\n"
	"Compare what two policies or filters (any formats, built-in names, raw BPF) do.\n"
	"Prints one line per differing ABI and syscall:\n"
	"  ARCH SYSCALL [args witness]: A=ACTION B=ACTION\n"
	"Nothing is printed and the exit status is 0 when they are equal; 1 when not.\n"
	"  -j, --json          a JSON array instead of lines\n"
	"      --html FILE     also write the differences as a self-contained HTML page\n"
	"  -a, --arch LIST     ABIs for inputs whose format names none (minijail, Kafel,\n"
	"                      systemd; default: this machine's)\n"
	"      --format-a IN   input format of A (default: detected)\n"
	"      --format-b IN   input format of B\n"
	"  -h, --help          this text\n";

struct diff_ctx {
	const struct cli_input *a, *b;
	int json;
	unsigned count;
	FILE *html;		/* --html page being written, or NULL */
};

/* The page's table starts with the first difference. */
static void html_diff_row(struct diff_ctx *c, const char *abi, const char *sys,
			  const char *args, uint32_t act_a, uint32_t act_b)
{
	static const char *const head[] = { "ABI", "Syscall", "Arguments", "A", "B", NULL };
	char aa[32], ab[32];
	const char *cells[5] = { abi, sys, args[0] ? args : "any", aa, ab };
	const char *cls[5] = { NULL, NULL, "mono", html_action_class(act_a),
			       html_action_class(act_b) };

	if (!c->count)
		html_table_begin(c->html, head);
	policy_action_str(act_a, aa, sizeof(aa));
	policy_action_str(act_b, ab, sizeof(ab));
	html_row(c->html, cells, cls, 5);
}

static void html_diff_begin(FILE *out, const char *name_a, const char *name_b)
{
	html_begin(out, "muzzle diff");
	html_field(out, "A", name_a);
	html_field(out, "B", name_b);
}

static void html_diff_end(const struct diff_ctx *c)
{
	char line[64];

	if (c->count) {
		html_table_end(c->html);
		snprintf(line, sizeof(line), "%u difference%s", c->count, c->count == 1 ? "" : "s");
		html_elem(c->html, "p", line);
	} else {
		html_elem(c->html, "p", "A and B take the same action on every call.");
	}
	html_end(c->html);
}

static void call_name(const struct seccomp_data *d, const char **abi, char *sys, size_t len)
{
	const struct arch_desc *ad = arch_for_data(d->arch, (uint32_t)d->nr);
	int id = ad ? arch_syscall_by_nr(ad->id, (uint32_t)d->nr) : -1;

	*abi = ad ? ad->name : NULL;
	if (id >= 0)
		snprintf(sys, len, "%s", arch_syscall_name(id));
	else
		snprintf(sys, len, "nr=%u", (unsigned)d->nr);
}

static int agree(const struct diff_ctx *c, const struct seccomp_data *d)
{
	return cli_eval(c->a, d, NULL, NULL) == cli_eval(c->b, d, NULL, NULL);
}

/* The difference depends on arguments when some argument values make the
 * two sides agree: probed with the values either side compares with. */
static int needs_args(const struct diff_ctx *c, const struct seccomp_data *w)
{
	const struct arch_desc *ad = arch_for_data(w->arch, (uint32_t)w->nr);
	int id = ad ? arch_syscall_by_nr(ad->id, (uint32_t)w->nr) : -1;
	struct seccomp_data p[CLI_MAX_PROBES];
	const struct cli_input *side[2] = { c->a, c->b };

	if (id < 0)
		return 0;
	for (int s = 0; s < 2; s++) {
		size_t n = cli_probes(side[s], ad->id, id, (uint32_t)w->nr, p);

		for (size_t i = 0; i < n; i++)
			if (agree(c, &p[i]))
				return 1;
	}
	return 0;
}

static void args_str(const struct seccomp_data *w, char *buf, size_t len)
{
	size_t n = 0;
	int last = 5;

	while (last > 0 && !w->args[last])
		last--;
	for (int i = 0; i <= last && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, i ? ",%#llx" : "%#llx",
				      (unsigned long long)w->args[i]);
}

static int print_diff(void *ctx, const struct seccomp_data *w, uint32_t act_a, uint32_t act_b)
{
	struct diff_ctx *c = ctx;
	char sys[64], args[160] = "", aa[32], ab[32], arch[24];
	const char *abi;

	call_name(w, &abi, sys, sizeof(sys));
	if (!abi) {
		snprintf(arch, sizeof(arch), "arch=%#x", (unsigned)w->arch);
		abi = arch;
	}
	if (needs_args(c, w))
		args_str(w, args, sizeof(args));
	policy_action_str(act_a, aa, sizeof(aa));
	policy_action_str(act_b, ab, sizeof(ab));
	if (c->json)
		printf("%s\n  {\"arch\": \"%s\", \"syscall\": \"%s\", \"nr\": %u, \"args\": %s%s%s, "
		       "\"a\": \"%s\", \"b\": \"%s\"}", c->count ? "," : "[", abi, sys,
		       (unsigned)w->nr, args[0] ? "[" : "null", args, args[0] ? "]" : "", aa, ab);
	else if (args[0])
		printf("%s %s args=(%s): A=%s B=%s\n", abi, sys, args, aa, ab);
	else
		printf("%s %s: A=%s B=%s\n", abi, sys, aa, ab);
	if (c->html)
		html_diff_row(c, abi, sys, args, act_a, act_b);
	c->count++;
	return 0;
}

static void side_of(const struct cli_input *in, struct equiv_side *s)
{
	memset(s, 0, sizeof(*s));
	if (in->is_filter) {
		s->prog = in->prog.insns;
		s->prog_len = in->prog.len;
	} else {
		s->policy = &in->policy;
	}
}

/* names: A's and B's as given; html: the --html path or NULL. */
static int run_diff(struct cli_input *a, struct cli_input *b, char **names, int json,
		    const char *html)
{
	struct diff_ctx c = { .a = a, .b = b, .json = json };
	struct equiv_side sa, sb;
	int rc;

	if (html && !(c.html = html_open("diff", html)))
		return EXIT_SYSTEM;
	if (c.html)
		html_diff_begin(c.html, names[0], names[1]);
	side_of(a, &sa);
	side_of(b, &sb);
	rc = equiv_diff(&sa, &sb, print_diff, &c);
	if (json)
		printf(c.count ? "\n]\n" : "[]\n");
	if (c.html) {
		if (rc >= 0)
			html_diff_end(&c);
		if (html_close("diff", html, c.html) && rc >= 0)
			return EXIT_SYSTEM;
	}
	if (rc < 0) {
		cli_error("diff", "comparison failed: %s", strerror(-rc));
		return rc == -ENOMEM ? EXIT_SYSTEM : EXIT_POLICY;
	}
	return c.count ? EXIT_FINDING : 0;
}

static int names_no_abis(enum format f)
{
	return f == FORMAT_MINIJAIL || f == FORMAT_KAFEL || f == FORMAT_SYSTEMD;
}

/* Formats without ABIs take them from the options; the others keep their
 * own (Docker would read the option as the archMap entries to expand). */
static int load_side(const char *name, enum format fmt, uint32_t arches, struct cli_input *in)
{
	struct format_options o;
	int rc;

	format_options_init(&o);
	rc = cli_load("diff", name, fmt, &o, in);
	if (rc || !arches || in->is_filter || !names_no_abis(in->format))
		return rc;
	cli_input_free(in);
	o.arches = arches;
	return cli_load("diff", name, fmt, &o, in);
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "html", required_argument, NULL, 'H' },
		{ "arch", required_argument, NULL, 'a' },
		{ "format-a", required_argument, NULL, 'A' },
		{ "format-b", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum format fa = FORMAT_AUTO, fb = FORMAT_AUTO;
	uint32_t arches = 0;
	const char *html = NULL;
	struct cli_input a, b;
	int c, json = 0, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "ja:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'H': html = optarg; break;
		case 'a':
			if (cli_parse_arches("diff", optarg, &arches))
				return EXIT_USAGE;
			break;
		case 'A':
			if (cli_parse_format("diff", optarg, &fa))
				return EXIT_USAGE;
			break;
		case 'B':
			if (cli_parse_format("diff", optarg, &fb))
				return EXIT_USAGE;
			break;
		case 'h': return cli_usage("diff", usage, NULL);
		default: return cli_bad_option("diff", argv, optind, optopt);
		}
	}
	if (argc - optind != 2)
		return cli_usage("diff", usage, argc - optind < 2 ? "needs two inputs A and B" :
				 "more than two inputs");
	rc = load_side(argv[optind], fa, arches, &a);
	if (rc)
		return rc;
	rc = load_side(argv[optind + 1], fb, arches, &b);
	if (rc) {
		cli_input_free(&a);
		return rc;
	}
	rc = run_diff(&a, &b, argv + optind, json, html);
	cli_input_free(&a);
	cli_input_free(&b);
	return rc;
}
