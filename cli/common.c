/* Code every subcommand shares: loading a policy or a filter, error lines,
 * option values (ABI lists, format names, numbers). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"
#include "policy/eval.h"

#define CLI_MAX_FILE (64u << 20)	/* same bound as format_read_file */

void cli_error(const char *sub, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, sub ? "muzzle %s: " : "muzzle: ", sub);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_print_error(const char *sub, const struct muzzle_error *err)
{
	char buf[1024];

	cli_error(sub, "%s", muzzle_error_format(err, buf, sizeof(buf)));
}

int cli_usage(const char *sub, const char *usage, const char *bad)
{
	if (!bad) {
		fputs(usage, stdout);
		return 0;
	}
	cli_error(sub, "%s (try 'muzzle %s --help')", bad, sub);
	return EXIT_USAGE;
}

int cli_bad_option(const char *sub, char **argv, int optind_now, int optopt_now)
{
	const char *arg = argv[optind_now - 1];

	/* getopt leaves optind on the current word while inside "-xyz" */
	if (!strncmp(arg, "--", 2) || !optopt_now)
		cli_error(sub, "unknown option or missing value for '%s' (try 'muzzle %s --help')",
			  arg, sub);
	else
		cli_error(sub, "unknown option or missing value for '-%c' (try 'muzzle %s --help')",
			  optopt_now, sub);
	return EXIT_USAGE;
}

static int read_fd(int fd, char **buf, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *b = malloc(cap + 1);

	if (!b)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap >= CLI_MAX_FILE) {
				free(b);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = -errno;

			free(b);
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';	/* text parsers may rely on a terminator */
	*buf = b;
	*len = n;
	return 0;
}

int cli_is_special_output(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

int cli_read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	int fd, rc;

	if (!strcmp(path, "-"))
		return read_fd(0, buf, len);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	rc = read_fd(fd, buf, len);
	close(fd);
	return rc;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* Text policies never hold NUL or most control bytes; a sock_filter array
 * almost always does (zero jt/jf, small k).  Size alone would take a JSON
 * file of 8*n bytes for a filter. */
static int looks_binary(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f'))
			return 1;
	}
	return 0;
}

static int is_raw_bpf(const char *name, const char *buf, size_t len, enum format fmt)
{
	if (fmt == FORMAT_BPF)
		return 1;
	if (fmt != FORMAT_AUTO)
		return 0;
	if (has_suffix(name, ".bpf"))
		return 1;
	return len > 0 && len % 8 == 0 && looks_binary(buf, len);
}

static int load_filter(const char *sub, const char *name, const char *buf, size_t len,
		       struct cli_input *in)
{
	struct muzzle_error err;

	muzzle_error_clear(&err);
	bpf_prog_init(&in->prog);
	if (bpf_read_raw(buf, len, &in->prog, &err)) {
		if (!err.file[0])
			snprintf(err.file, sizeof(err.file), "%s", name);
		cli_print_error(sub, &err);
		return EXIT_POLICY;
	}
	muzzle_error_clear(&err);
	if (bpf_verify(in->prog.insns, in->prog.len, &err)) {
		if (!err.file[0])
			snprintf(err.file, sizeof(err.file), "%s", name);
		cli_print_error(sub, &err);
		bpf_prog_free(&in->prog);
		return EXIT_POLICY;
	}
	in->is_filter = 1;
	in->format = FORMAT_BPF;
	return 0;
}

static int load_policy(const char *sub, const char *name, const char *buf, size_t len,
		       enum format fmt, const struct format_options *o, struct cli_input *in)
{
	struct muzzle_error err;
	int rc;

	muzzle_error_clear(&err);
	/* the bytes are read already: detect and parse them once */
	rc = format_read_detected(buf, len, strcmp(name, "-") ? name : "<stdin>", fmt, o,
				  &in->policy, &in->format, &err);
	if (!rc)
		rc = policy_validate(&in->policy, &err);
	if (rc) {
		if (!err.file[0])
			snprintf(err.file, sizeof(err.file), "%s", name);
		cli_print_error(sub, &err);
		policy_free(&in->policy);
		return rc == -ENOMEM ? EXIT_SYSTEM : EXIT_POLICY;
	}
	return 0;
}

/* A name with no '/' and no '.' that is not a file is a built-in policy. */
static int maybe_builtin(const char *name, struct cli_input *in)
{
	if (strchr(name, '/') || strchr(name, '.') || !strcmp(name, "-"))
		return -ENOENT;
	if (access(name, F_OK) == 0)
		return -ENOENT;
	if (cli_builtin_policy(name, &in->policy))
		return -ENOENT;
	in->format = FORMAT_AUTO;
	in->is_builtin = 1;
	return 0;
}

int cli_load(const char *sub, const char *name, enum format fmt,
	     const struct format_options *o, struct cli_input *in)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(in, 0, sizeof(*in));
	bpf_prog_init(&in->prog);
	if (fmt == FORMAT_AUTO && maybe_builtin(name, in) == 0)
		return 0;
	rc = cli_read_file(name, &buf, &len);
	if (rc) {
		if (rc == -ENOENT && !strchr(name, '/') && !strchr(name, '.'))
			cli_error(sub, "%s: no such file or built-in policy", name);
		else
			cli_error(sub, "%s: %s", name, strerror(-rc));
		return EXIT_USAGE;
	}
	if (is_raw_bpf(name, buf, len, fmt))
		rc = load_filter(sub, name, buf, len, in);
	else
		rc = load_policy(sub, name, buf, len, fmt, o, in);
	free(buf);
	return rc;
}

int cli_load_input(const char *name, enum format fmt, const struct format_options *o,
		   struct cli_input *in)
{
	return cli_load(NULL, name, fmt, o, in);
}

void cli_input_free(struct cli_input *in)
{
	if (in->is_filter)
		bpf_prog_free(&in->prog);
	else
		policy_free(&in->policy);
	memset(in, 0, sizeof(*in));
}

const struct arch_desc *cli_parse_arch(const char *sub, const char *name)
{
	const struct arch_desc *a = arch_by_name(name);

	if (!a)
		cli_error(sub, "unknown architecture \"%s\" (try 'muzzle resolve --arches')", name);
	return a;
}

uint32_t cli_machine_abis(void)
{
	const struct arch_desc *n = arch_native();

	switch (n->id) {
	case ARCH_X86_64:
		return ARCH_MASK(ARCH_X86_64) | ARCH_MASK(ARCH_X86) | ARCH_MASK(ARCH_X32);
	case ARCH_AARCH64:
		return ARCH_MASK(ARCH_AARCH64) | ARCH_MASK(ARCH_ARM);
	case ARCH_PPC64:
		return ARCH_MASK(ARCH_PPC64) | ARCH_MASK(ARCH_PPC);
	case ARCH_S390X:
		return ARCH_MASK(ARCH_S390X) | ARCH_MASK(ARCH_S390);
	case ARCH_MIPS64:
		return ARCH_MASK(ARCH_MIPS64) | ARCH_MASK(ARCH_MIPS64N32) | ARCH_MASK(ARCH_MIPS);
	case ARCH_MIPSEL64:
		return ARCH_MASK(ARCH_MIPSEL64) | ARCH_MASK(ARCH_MIPSEL64N32) |
		       ARCH_MASK(ARCH_MIPSEL);
	case ARCH_PARISC64:
		return ARCH_MASK(ARCH_PARISC64) | ARCH_MASK(ARCH_PARISC);
	default:
		return ARCH_MASK(n->id);
	}
}

int cli_parse_arches(const char *sub, const char *list, uint32_t *mask)
{
	char *copy = strdup(list), *save = NULL, *tok;
	uint32_t m = 0;

	if (!copy) {
		cli_error(sub, "out of memory");
		return EXIT_SYSTEM;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct arch_desc *a;

		if (!strcmp(tok, "all")) {
			m |= ARCH_MASK_ALL;
			continue;
		}
		if (!strcmp(tok, "native")) {
			m |= ARCH_MASK(arch_native()->id);
			continue;
		}
		a = cli_parse_arch(sub, tok);
		if (!a) {
			free(copy);
			return EXIT_USAGE;
		}
		m |= ARCH_MASK(a->id);
	}
	free(copy);
	if (!m) {
		cli_error(sub, "empty architecture list \"%s\"", list);
		return EXIT_USAGE;
	}
	*mask = m;
	return 0;
}

int cli_parse_format(const char *sub, const char *s, enum format *f)
{
	if (format_parse_name(s, f) == 0)
		return 0;
	cli_error(sub, "unknown format \"%s\" (bpf, c, pfc, oci, docker, minijail, kafel, k8s, "
		  "systemd)", s);
	return EXIT_USAGE;
}

int cli_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s)
		return -EINVAL;
	errno = 0;
	if (*s == '-') {
		long long x = strtoll(s, &end, 0);

		if (errno || *end)
			return -EINVAL;
		*v = (uint64_t)x;
		return 0;
	}
	*v = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

uint32_t cli_eval(const struct cli_input *in, const struct seccomp_data *d, int *rule,
		  unsigned *steps)
{
	unsigned n = 0;

	if (in->is_filter) {
		uint32_t ret = bpf_run(in->prog.insns, in->prog.len, d, &n);

		if (rule)
			*rule = POLICY_RULE_DEFAULT;
		if (steps)
			*steps = n;
		return ret;
	}
	struct policy_verdict v = policy_eval(&in->policy, d);

	if (rule)
		*rule = v.rule;
	if (steps)
		*steps = 0;
	return v.action;
}

/* Action kind of a JSON "SCMP_ACT_*" name; 1 (no kind has it) if unknown. */
static uint32_t json_action_kind_of(const char *s)
{
	static const struct { const char *name; uint32_t kind; } map[] = {
		{ "SCMP_ACT_KILL", POLICY_ACT_KILL_THREAD },
		{ "SCMP_ACT_KILL_THREAD", POLICY_ACT_KILL_THREAD },
		{ "SCMP_ACT_KILL_PROCESS", POLICY_ACT_KILL_PROCESS },
		{ "SCMP_ACT_TRAP", POLICY_ACT_TRAP },
		{ "SCMP_ACT_ERRNO", POLICY_ACT_ERRNO(0) },
		{ "SCMP_ACT_TRACE", POLICY_ACT_TRACE(0) },
		{ "SCMP_ACT_NOTIFY", POLICY_ACT_USER_NOTIF },
		{ "SCMP_ACT_LOG", POLICY_ACT_LOG },
		{ "SCMP_ACT_ALLOW", POLICY_ACT_ALLOW },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].name, s))
			return map[i].kind;
	return 1;
}

static int entry_has_name(struct json_object *e, const char *name)
{
	struct json_object *v;

	if (json_object_object_get_ex(e, "name", &v) && json_object_is_type(v, json_type_string))
		return !strcmp(json_object_get_string(v), name);
	if (!json_object_object_get_ex(e, "names", &v) || !json_object_is_type(v, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		struct json_object *n = json_object_array_get_idx(v, i);

		if (json_object_is_type(n, json_type_string) && !strcmp(json_object_get_string(n), name))
			return 1;
	}
	return 0;
}

/* Could JSON entry e have produced rule r: same name, action kind, and
 * number of conditions (an entry repeating an index becomes one-condition
 * rules)? */
static int entry_matches(struct json_object *e, const struct policy_rule *r)
{
	struct json_object *v;
	size_t nargs = 0;

	if (!entry_has_name(e, arch_syscall_name(r->sys)))
		return 0;
	if (!json_object_object_get_ex(e, "action", &v) ||
	    json_action_kind_of(json_object_get_string(v)) != POLICY_ACT_KIND(r->action))
		return 0;
	if (json_object_object_get_ex(e, "args", &v) && json_object_is_type(v, json_type_array))
		nargs = json_object_array_length(v);
	return r->ncond == nargs || (r->ncond == 1 && nargs > 1);
}

/* JSON readers keep no line numbers: find the syscalls[] entry a rule came
 * from, and name it only when exactly one entry fits. */
static int json_entry_of(const char *path, const struct policy_rule *r, char *where, size_t len)
{
	struct json_object *root, *sc, *lx;
	const char *prefix = "$";
	char *buf;
	size_t n, found = 0, idx = 0;

	if (r->sys < 0 || !strcmp(path, "-") || cli_read_file(path, &buf, &n))
		return -1;
	root = json_tokener_parse(buf);
	free(buf);
	if (!root)
		return -1;
	sc = root;
	if (json_object_object_get_ex(root, "linux", &lx) &&
	    json_object_object_get_ex(lx, "seccomp", &sc))
		prefix = "$.linux.seccomp";
	if (json_object_object_get_ex(sc, "syscalls", &sc) && json_object_is_type(sc, json_type_array))
		for (size_t i = 0; i < json_object_array_length(sc); i++)
			if (entry_matches(json_object_array_get_idx(sc, i), r) && !found++)
				idx = i;
	json_object_put(root);
	if (found != 1)
		return -1;
	snprintf(where, len, "%s: %s.syscalls[%zu]", path, prefix, idx);
	return 0;
}

const char *cli_rule_where(const struct policy *p, size_t i, const char *path, char *buf,
			   size_t len)
{
	const struct policy_rule *r = &p->rules[i];
	const char *file = r->loc.file && *r->loc.file ? r->loc.file : path;

	if (r->loc.line > 0)
		snprintf(buf, len, "%s:%d", file, r->loc.line);
	else if (json_entry_of(file, r, buf, len))
		snprintf(buf, len, "%s: rule #%zu", file, i);
	return buf;
}

int cli_permissive(uint32_t a)
{
	return POLICY_ACT_KIND(a) == POLICY_ACT_ALLOW || POLICY_ACT_KIND(a) == POLICY_ACT_LOG;
}

int cli_denying(uint32_t a)
{
	uint32_t k = POLICY_ACT_KIND(a);

	return k == POLICY_ACT_KILL_PROCESS || k == POLICY_ACT_KILL_THREAD ||
	       k == POLICY_ACT_TRAP || k == POLICY_ACT_ERRNO(0);
}

static int rule_applies(const struct policy_rule *r, enum arch_id abi, int id, uint32_t nr)
{
	if (r->abis && !(r->abis & ARCH_MASK(abi)))
		return 0;
	return r->sys == id || (r->sys == POLICY_SYS_NR && r->abis && r->nr == nr);
}

static void add_probe(struct seccomp_data *p, size_t *n, const struct seccomp_data *base,
		      unsigned arg, uint64_t v)
{
	if (*n >= CLI_MAX_PROBES)
		return;
	p[*n] = *base;
	p[*n].args[arg] = v;
	(*n)++;
}

/* All-zero and all-one arguments, then each value a rule for this call
 * compares an argument with, its neighbours and its mask complement. */
size_t cli_probes(const struct cli_input *in, enum arch_id abi, int id, uint32_t nr,
		  struct seccomp_data *p)
{
	struct seccomp_data base;
	size_t n = 0;

	memset(&base, 0, sizeof(base));
	base.arch = arch_get(abi)->token;
	base.nr = (int)nr;
	p[n++] = base;
	memset(base.args, 0xff, sizeof(base.args));
	p[n++] = base;
	memset(base.args, 0, sizeof(base.args));
	if (in->is_filter)
		return n;
	for (size_t i = 0; i < in->policy.nrules; i++) {
		const struct policy_rule *r = &in->policy.rules[i];

		if (!rule_applies(r, abi, id, nr))
			continue;
		for (unsigned c = 0; c < r->ncond; c++) {
			const struct policy_cond *pc = &r->cond[c];

			add_probe(p, &n, &base, pc->arg, pc->datum);
			add_probe(p, &n, &base, pc->arg, pc->datum + 1);
			add_probe(p, &n, &base, pc->arg, pc->datum - 1);
			if (pc->op == POLICY_OP_MASKED_EQ || pc->op == POLICY_OP_MASKED_NE)
				add_probe(p, &n, &base, pc->arg, pc->datum ^ pc->mask);
		}
	}
	return n;
}

void cli_judge(const struct cli_input *in, enum arch_id abi, int id, struct cli_verdicts *v)
{
	struct seccomp_data p[CLI_MAX_PROBES];
	uint32_t nr = (uint32_t)arch_syscall_nr(abi, id);
	size_t n = cli_probes(in, abi, id, nr, p);

	memset(v, 0, sizeof(*v));
	v->deny_rule = v->allow_rule = POLICY_RULE_DEFAULT;
	for (size_t i = 0; i < n; i++) {
		int rule;
		uint32_t a = cli_eval(in, &p[i], &rule, NULL);

		if (cli_permissive(a)) {
			if (!v->allow++)
				v->allow_rule = rule;
		} else if (cli_denying(a)) {
			if (!v->deny++) {
				v->deny_rule = rule;
				v->deny_action = a;
			}
		} else if (!v->other++) {
			v->other_action = a;
		}
	}
	v->total = (unsigned)n;
}
