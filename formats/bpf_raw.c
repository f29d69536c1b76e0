/* Writer for raw BPF: the compiled filter as an array of struct sock_filter
 * in host byte order (what seccomp_export_bpf writes and bwrap --seccomp
 * reads). */
#include <errno.h>
#include <stdio.h>

#include "format.h"
#include "compile/compile.h"

int bpf_raw_write(FILE *out, const struct policy *p, const struct format_options *o,
		  struct muzzle_error *err)
{
	struct bpf_prog prog;
	int rc;

	(void)o;
	bpf_prog_init(&prog);
	rc = compile_policy(p, NULL, &prog, NULL, err);
	if (!rc && fwrite(prog.insns, sizeof(*prog.insns), prog.len, out) != prog.len)
		rc = muzzle_error_set(err, -EIO, NULL, 0, 0, "write failed");
	if (!rc && fflush(out))
		rc = muzzle_error_set(err, -EIO, NULL, 0, 0, "write failed");
	bpf_prog_free(&prog);
	return rc;
}
