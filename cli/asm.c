/* muzzle asm: a listing (as disasm prints it) back into a raw BPF filter. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"usage: muzzle asm FILE.s -o OUT.bpf\n"
	"Assemble a BPF listing (the syntax 'muzzle disasm' prints, labels optional),\n"
	"check it with the kernel's rules and write it as a raw filter.\n"
	"  -o, --output OUT  output file ('-' for stdout, never a terminal)\n"
	"  -h, --help        this text\n";

/* Write to OUT.tmp and rename: a failed write leaves no half filter. */
static int write_prog(const char *path, const struct bpf_prog *p)
{
	char tmp[4096];
	int fd, rc;

	if (!strcmp(path, "-")) {
		if (isatty(STDOUT_FILENO)) {
			cli_error("asm", "refusing to write raw BPF to a terminal");
			return EXIT_USAGE;
		}
		rc = bpf_write_raw(STDOUT_FILENO, p->insns, p->len);
		if (rc)
			cli_error("asm", "stdout: %s", strerror(-rc));
		return rc ? EXIT_SYSTEM : 0;
	}
	if (cli_is_special_output(path)) {
		/* a device or fifo: a rename would replace it */
		fd = open(path, O_WRONLY | O_CLOEXEC);
		rc = fd < 0 ? -errno : bpf_write_raw(fd, p->insns, p->len);
		if (fd >= 0 && close(fd) && !rc)
			rc = -errno;
		if (rc)
			cli_error("asm", "%s: %s", path, strerror(-rc));
		return rc ? EXIT_SYSTEM : 0;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof(tmp)) {
		cli_error("asm", "%s: path too long", path);
		return EXIT_USAGE;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		cli_error("asm", "%s: %s", path, strerror(errno));
		return EXIT_SYSTEM;
	}
	rc = bpf_write_raw(fd, p->insns, p->len);
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		unlink(tmp);
		cli_error("asm", "%s: %s", path, strerror(-rc));
		return EXIT_SYSTEM;
	}
	return 0;
}

static int assemble(const char *path, const char *text, size_t len, struct bpf_prog *p)
{
	struct muzzle_error err;

	muzzle_error_clear(&err);
	if (bpf_asm(text, len, path, p, &err) == 0) {
		muzzle_error_clear(&err);
		if (bpf_verify(p->insns, p->len, &err) == 0)
			return 0;
	}
	if (!err.file[0])
		snprintf(err.file, sizeof(err.file), "%s", path);
	cli_print_error("asm", &err);
	return EXIT_POLICY;
}

int cmd_asm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	struct bpf_prog p;
	char *text;
	size_t len;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': return cli_usage("asm", usage, NULL);
		default: return cli_bad_option("asm", argv, optind, optopt);
		}
	}
	if (optind != argc - 1)
		return cli_usage("asm", usage, optind >= argc ? "missing FILE" :
				 "more than one FILE");
	if (!out)
		return cli_usage("asm", usage, "missing -o OUT");
	rc = cli_read_file(argv[optind], &text, &len);
	if (rc) {
		cli_error("asm", "%s: %s", argv[optind], strerror(-rc));
		return EXIT_USAGE;
	}
	bpf_prog_init(&p);
	rc = assemble(argv[optind], text, len, &p);
	if (!rc)
		rc = write_prog(out, &p);
	bpf_prog_free(&p);
	free(text);
	return rc;
}
