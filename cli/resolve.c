/* muzzle resolve: syscall names <-> numbers per ABI. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: muzzle resolve NAME|NUMBER [--arch A,...]\n"
	"       muzzle resolve --list [--arch A]\n"
	"       muzzle resolve --arches\n"
	"Print \"NAME ABI NUMBER\" lines: the number of a syscall on each ABI, or the\n"
	"syscall a number stands for.  Numbers are what seccomp_data.nr holds (x32\n"
	"numbers carry 0x40000000; a bare x32 number is accepted too).  Negative\n"
	"numbers are libseccomp pseudo numbers.\n"
	"  -a, --arch LIST  ABIs (default: the ones this machine runs)\n"
	"  -l, --list       every syscall of the ABI, by number\n"
	"      --arches     the known ABIs with their AUDIT_ARCH tokens\n"
	"  -h, --help       this text\n";

static void print_one(const struct arch_desc *abi, int id)
{
	int32_t nr = arch_syscall_nr(abi->id, id);

	if (nr == ARCH_NR_NONE)
		return;
	if (abi->id == ARCH_X32)
		printf("%s %s %u (%#x)\n", arch_syscall_name(id), abi->name,
		       (unsigned)nr & ~ARCH_X32_SYSCALL_BIT, (unsigned)nr);
	else
		printf("%s %s %d\n", arch_syscall_name(id), abi->name, nr);
}

/* The native ABI first, then the others in table order. */
static enum arch_id nth_abi(int i)
{
	int native = (int)arch_native()->id;

	if (i == 0)
		return (enum arch_id)native;
	return (enum arch_id)(i <= native ? i - 1 : i);
}

static int by_name(int id, uint32_t abis)
{
	int found = 0;

	for (int i = 0; i < ARCH_COUNT; i++) {
		enum arch_id a = nth_abi(i);

		if (!(abis & ARCH_MASK(a)) || arch_syscall_nr((enum arch_id)a, id) == ARCH_NR_NONE)
			continue;
		print_one(arch_get((enum arch_id)a), id);
		found = 1;
	}
	if (!found) {
		cli_error("resolve", "%s: not a syscall on the selected ABIs", arch_syscall_name(id));
		return EXIT_USAGE;
	}
	return 0;
}

static int by_number(const char *s, int64_t v, uint32_t abis)
{
	int found = 0;

	if (v < 0) {
		int id = arch_syscall_by_pseudo((int32_t)v);

		if (id < 0 || v < INT32_MIN) {
			cli_error("resolve", "%s: not a libseccomp pseudo number", s);
			return EXIT_USAGE;
		}
		printf("%s pseudo %lld\n", arch_syscall_name(id), (long long)v);
		return 0;
	}
	for (int i = 0; i < ARCH_COUNT; i++) {
		enum arch_id a = nth_abi(i);
		uint32_t nr = (uint32_t)v;
		int id;

		if (!(abis & ARCH_MASK(a)) || v > UINT32_MAX)
			continue;
		if (a == ARCH_X32 && nr < ARCH_X32_SYSCALL_BIT)
			nr |= ARCH_X32_SYSCALL_BIT;
		id = arch_syscall_by_nr((enum arch_id)a, nr);
		if (id < 0)
			continue;
		print_one(arch_get((enum arch_id)a), id);
		found = 1;
	}
	if (!found) {
		cli_error("resolve", "%s: no syscall has this number on the selected ABIs", s);
		return EXIT_USAGE;
	}
	return 0;
}

struct listed {
	int32_t nr;
	int id;
};

static int cmp_listed(const void *x, const void *y)
{
	const struct listed *a = x, *b = y;

	return (a->nr > b->nr) - (a->nr < b->nr);
}

static int list_abi(const struct arch_desc *abi)
{
	int n = arch_syscall_count(), k = 0;
	struct listed *l = calloc((size_t)n, sizeof(*l));

	if (!l) {
		cli_error("resolve", "out of memory");
		return EXIT_SYSTEM;
	}
	for (int id = 0; id < n; id++) {
		int32_t nr = arch_syscall_nr(abi->id, id);

		if (nr != ARCH_NR_NONE)
			l[k++] = (struct listed){ nr, id };
	}
	qsort(l, (size_t)k, sizeof(*l), cmp_listed);
	for (int i = 0; i < k; i++)
		print_one(abi, l[i].id);
	free(l);
	return 0;
}

static int list_arches(void)
{
	for (int a = 0; a < ARCH_COUNT; a++) {
		const struct arch_desc *d = arch_get((enum arch_id)a);

		printf("%-12s token %#010x  %u-bit %s%s\n", d->name, (unsigned)d->token,
		       d->word_bits, d->big_endian ? "big-endian" : "little-endian",
		       d->id == arch_native()->id ? "  (native)" : "");
	}
	return 0;
}

static int resolve_one(const char *s, uint32_t abis)
{
	int id = arch_syscall_id(s);
	uint64_t v;

	if (id >= 0)
		return by_name(id, abis);
	if (cli_parse_u64(s, &v) == 0)
		return by_number(s, (int64_t)v, abis);
	cli_error("resolve", "unknown syscall \"%s\"", s);
	return EXIT_USAGE;
}

static int is_negative_number(const char *s)
{
	if (s[0] != '-' || !s[1])
		return 0;
	for (s++; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* getopt would read "-101" as options: move such words, and whatever
 * follows a "--", after one "--" at the end. */
static char **protect_negatives(int argc, char **argv, int *newc)
{
	char **v = calloc((size_t)argc + 2, sizeof(*v)), **tail = calloc((size_t)argc + 1, sizeof(*v));
	int n = 0, nt = 0, after = 0;

	if (!v || !tail) {
		free(v);
		free(tail);
		return NULL;
	}
	for (int i = 0; i < argc; i++) {
		if (i > 0 && !after && !strcmp(argv[i], "--"))
			after = 1;
		else if (i > 0 && (after || is_negative_number(argv[i])))
			tail[nt++] = argv[i];
		else
			v[n++] = argv[i];
	}
	v[n++] = "--";
	for (int i = 0; i < nt; i++)
		v[n++] = tail[i];
	free(tail);
	*newc = n;
	return v;
}

static int resolve_main(int argc, char **argv);

int cmd_resolve(int argc, char **argv)
{
	int newc, rc;
	char **v = protect_negatives(argc, argv, &newc);

	if (!v) {
		cli_error("resolve", "out of memory");
		return EXIT_SYSTEM;
	}
	rc = resolve_main(newc, v);
	free(v);
	return rc;
}

static int resolve_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "list", no_argument, NULL, 'l' },
		{ "arches", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t abis = 0;
	int c, list = 0, arches = 0, rc = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "a:lh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (cli_parse_arches("resolve", optarg, &abis))
				return EXIT_USAGE;
			break;
		case 'l': list = 1; break;
		case 'R': arches = 1; break;
		case 'h': return cli_usage("resolve", usage, NULL);
		default: return cli_bad_option("resolve", argv, optind, optopt);
		}
	}
	if (arches)
		return optind == argc ? list_arches() :
		       cli_usage("resolve", usage, "--arches takes no names");
	if (list) {
		if (optind != argc)
			return cli_usage("resolve", usage, "--list takes no names");
		abis = abis ? abis : ARCH_MASK(arch_native()->id);
		for (int a = 0; a < ARCH_COUNT && !rc; a++)
			if (abis & ARCH_MASK(a))
				rc = list_abi(arch_get((enum arch_id)a));
		return rc;
	}
	if (optind == argc)
		return cli_usage("resolve", usage, "missing NAME or NUMBER");
	abis = abis ? abis : cli_machine_abis();
	for (int i = optind; i < argc; i++) {
		int r = resolve_one(argv[i], abis);

		rc = rc ? rc : r;
	}
	return rc;
}
