/* Fuzz target: the BPF assembler on arbitrary text (what `muzzle asm` reads).
 * Properties: never crashes; a failure names a line and says why; a program
 * it accepts that the verifier also accepts disassembles and assembles back
 * to the same instructions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "fuzz_common.h"

#include "bpf/bpf.h"

static void check_round_trip(const struct bpf_prog *p)
{
	struct bpf_disasm_opts o = { .arch_token = 0, .raw = 0 };
	struct muzzle_error err;
	struct bpf_prog back;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	FUZZ_ASSERT(bpf_disasm(f, p->insns, p->len, &o) == 0, "disasm failed");
	fclose(f);
	bpf_prog_init(&back);
	if (bpf_asm(text, len, "listing", &back, &err) != 0)
		FUZZ_FAIL("asm rejects its own listing: %d:%d: %s\n%s", err.line, err.col,
			  err.msg, text);
	FUZZ_ASSERT(back.len == p->len, "%zu insns became %zu", p->len, back.len);
	for (i = 0; i < p->len; i++)
		FUZZ_ASSERT(back.insns[i].code == p->insns[i].code &&
			    bpf_run(p->insns, p->len, &(struct seccomp_data){ 0 }, NULL) ==
			    bpf_run(back.insns, back.len, &(struct seccomp_data){ 0 }, NULL),
			    "insn %zu changed in the round trip\n%s", i, text);
	bpf_prog_free(&back);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct muzzle_error err;
	struct bpf_prog p;

	memset(&err, 0, sizeof(err));
	bpf_prog_init(&p);
	if (bpf_asm((const char *)data, size, "fuzz", &p, &err) != 0) {
		FUZZ_ASSERT(err.msg[0], "bpf_asm failed without a message");
	} else if (bpf_verify(p.insns, p.len, &err) == 0) {
		check_round_trip(&p);
	}
	bpf_prog_free(&p);
	return 0;
}
