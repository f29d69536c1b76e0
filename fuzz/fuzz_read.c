/* Fuzz target: one format reader (READER, set by fuzz/run.sh: oci_read,
 * docker_read, minijail_read, kafel_read) end to end.
 *
 * Properties:
 *  - the reader never crashes or leaks on any bytes;
 *  - on failure it says why (err.msg set) and leaves the policy empty (fail
 *    closed: nothing half-read can be loaded);
 *  - a policy it accepts and policy_validate accepts compiles (or is refused
 *    with -E2BIG), passes the verifier and is equivalent to the program. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "fuzz_common.h"

#include <errno.h>

#include "compile/compile.h"
#include "format.h"
#include "policy/equiv.h"

#ifndef READER
#error "build with -DREADER=<format>_read"
#endif
#define STR2(x) #x
#define STR(x) STR2(x)

static void check_compiles(const struct policy *p)
{
	struct muzzle_error err;
	struct bpf_prog prog;
	struct equiv_side a, b;
	struct equiv_result res;
	int rc;

	if (policy_validate(p, NULL) != 0)
		return;
	bpf_prog_init(&prog);
	memset(&err, 0, sizeof(err));
	rc = compile_policy(p, NULL, &prog, NULL, &err);
	if (rc != -E2BIG) {
		FUZZ_ASSERT(rc == 0, "%s policy does not compile: %d: %s", STR(READER), rc, err.msg);
		FUZZ_ASSERT(bpf_verify(prog.insns, prog.len, &err) == 0,
			    "compiled program fails the verifier: %s", err.msg);
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		a.policy = p;
		b.prog = prog.insns;
		b.prog_len = prog.len;
		FUZZ_ASSERT(equiv_check(&a, &b, &res) == 0, "equiv_check failed");
		FUZZ_ASSERT(res.equal, "program differs from the policy at arch 0x%x nr %d: "
			    "policy 0x%x, program 0x%x", res.witness.arch, res.witness.nr,
			    res.action_a, res.action_b);
	}
	bpf_prog_free(&prog);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct format_options o;
	struct muzzle_error err;
	struct policy p;
	char *warn_buf = NULL;
	size_t warn_len = 0;
	int rc;

	/* what format_options_init does; calling it would link format.c and with
	 * it every reader, so one unfinished format would stop all targets */
	memset(&o, 0, sizeof(o));
	/* warnings go to memory, includes to a directory that does not exist:
	 * the target must not depend on or touch the file system */
	o.warn = open_memstream(&warn_buf, &warn_len);
	o.include_dir = "/nonexistent/muzzle-fuzz";
	policy_init(&p, POLICY_ACT_KILL_PROCESS);
	memset(&err, 0, sizeof(err));
	rc = READER((const char *)data, size, "fuzz", &o, &p, &err);
	if (rc != 0) {
		FUZZ_ASSERT(rc < 0, "%s returned %d", STR(READER), rc);
		FUZZ_ASSERT(err.msg[0], "%s failed (%d) without a message", STR(READER), rc);
		FUZZ_ASSERT(p.nrules == 0, "%s failed but left %zu rules", STR(READER), p.nrules);
	} else {
		check_compiles(&p);
	}
	policy_free(&p);
	if (o.warn)
		fclose(o.warn);
	free(warn_buf);
	return 0;
}
