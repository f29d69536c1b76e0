/* Fuzz target: lib/bpf on arbitrary programs.
 *
 * Input: 64 bytes of seccomp_data (if the input is long enough), then the
 * program as raw struct sock_filter records.  When the first byte is odd the
 * records are first shaped into a program the kernel would likely accept
 * (opcodes from seccomp's list, aligned loads, jumps in range, a final ret),
 * so the deep paths see many valid programs, not only rejected noise.
 * Properties:
 *  - raw reader, verifier, interpreter never crash, whatever the program;
 *  - a program the verifier accepts never faults in the interpreter, and its
 *    run is bounded by its length (jumps only go forward);
 *  - disassemble -> assemble gives back a program with the same opcodes that
 *    disassembles to the same text and returns the same value (with labels
 *    and comments, and in raw mode);
 *  - if the const-allow emulation says an (arch, nr) is always allowed, the
 *    interpreter allows it whatever the arguments. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "fuzz_common.h"

#include "bpf/bpf.h"

#define SD_BYTES sizeof(struct seccomp_data)

/* The opcodes the seccomp loader accepts (kernel/seccomp.c). */
static const uint16_t valid_codes[] = {
	0x20, 0x80, 0x81, 0x00, 0x01, 0x60, 0x61, 0x02, 0x03,
	0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x54, 0x5c, 0x44, 0x4c,
	0xa4, 0xac, 0x64, 0x6c, 0x74, 0x7c, 0x84,
	0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d,
	0x06, 0x16, 0x07, 0x87,
};

static void shape(struct bpf_prog *p)
{
	size_t i, n = p->len;

	for (i = 0; i < n; i++) {
		struct sock_filter *f = &p->insns[i];
		size_t left = n - i - 1;	/* instructions after this one */

		f->code = valid_codes[f->code % (sizeof(valid_codes) / sizeof(valid_codes[0]))];
		if (f->code == 0x20)
			f->k = (f->k % 16) * 4;
		else if (f->code == 0x60 || f->code == 0x61 || f->code == 0x02 || f->code == 0x03)
			f->k %= 16;
		else if (f->code == 0x05)
			f->k = left ? f->k % left : 0;
		if ((f->code & 0x07) == 0x05 && f->code != 0x05) {
			f->jt = (uint8_t)(left ? f->jt % (left < 256 ? left : 256) : 0);
			f->jf = (uint8_t)(left ? f->jf % (left < 256 ? left : 256) : 0);
		}
	}
	if (n && (p->insns[n - 1].code & 0x07) != 0x06)
		p->insns[n - 1].code = 0x06;
}

static char *disasm_text(const struct bpf_prog *p, uint32_t token, int raw, size_t *len)
{
	struct bpf_disasm_opts o = { .arch_token = token, .raw = raw };
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	if (bpf_disasm(f, p->insns, p->len, &o) != 0) {
		fclose(f);
		free(buf);
		FUZZ_FAIL("bpf_disasm failed on a verified program");
	}
	fclose(f);
	return buf;
}

static void check_round_trip(const struct bpf_prog *p, const struct seccomp_data *d,
			     uint32_t token, int raw)
{
	struct muzzle_error err;
	struct bpf_prog back;
	size_t len = 0, len2 = 0, i;
	char *text = disasm_text(p, token, raw, &len), *text2;

	if (!text)
		return;
	bpf_prog_init(&back);
	if (bpf_asm(text, len, "fuzz", &back, &err) != 0)
		FUZZ_FAIL("asm rejects disasm output (raw=%d): %d:%d: %s\n%s", raw, err.line,
			  err.col, err.msg, text);
	FUZZ_ASSERT(back.len == p->len, "round trip: %zu insns became %zu", p->len, back.len);
	for (i = 0; i < p->len; i++)
		FUZZ_ASSERT(back.insns[i].code == p->insns[i].code,
			    "round trip: insn %zu code 0x%x became 0x%x\n%s", i,
			    p->insns[i].code, back.insns[i].code, text);
	text2 = disasm_text(&back, token, raw, &len2);
	FUZZ_ASSERT(text2 && len == len2 && memcmp(text, text2, len) == 0,
		    "round trip changed the listing:\n%s---\n%s", text, text2 ? text2 : "");
	FUZZ_ASSERT(bpf_run(p->insns, p->len, d, NULL) == bpf_run(back.insns, back.len, d, NULL),
		    "round trip changed the result:\n%s", text);
	free(text);
	free(text2);
	bpf_prog_free(&back);
}

static void check_const_allow(const struct bpf_prog *p, struct seccomp_data d)
{
	if (!bpf_const_allow(p->insns, p->len, d.arch, (uint32_t)d.nr))
		return;
	FUZZ_ASSERT(bpf_run(p->insns, p->len, &d, NULL) == SECCOMP_RET_ALLOW,
		    "const_allow says arch 0x%x nr %d is always allowed, the run says 0x%x",
		    d.arch, d.nr, bpf_run(p->insns, p->len, &d, NULL));
}

static void check_program(const struct bpf_prog *p, const struct seccomp_data *d)
{
	struct muzzle_error err;
	uint32_t ret = 0;
	unsigned steps = 0;
	int rc, verified = bpf_verify(p->insns, p->len, &err) == 0;

	rc = bpf_run_checked(p->insns, p->len, d, &ret, &steps, &err);
	if (!verified)
		return;
	FUZZ_ASSERT(rc == 0, "verified program faults: %s", err.msg);
	FUZZ_ASSERT(steps >= 1 && steps <= p->len, "%u steps in a %zu-insn program", steps,
		    p->len);
	FUZZ_ASSERT(ret == bpf_run(p->insns, p->len, d, NULL), "run and run_checked differ");
	check_round_trip(p, d, 0, 0);
	check_round_trip(p, d, 0, 1);
	check_round_trip(p, d, 0xc000003eu, 0);	/* AUDIT_ARCH_X86_64: with syscall names */
	check_const_allow(p, *d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seccomp_data d;
	struct muzzle_error err;
	struct bpf_prog p;
	size_t off = 0;

	memset(&d, 0, sizeof(d));
	if (size >= SD_BYTES + sizeof(struct sock_filter)) {
		memcpy(&d, data, SD_BYTES);
		off = SD_BYTES;
	}
	bpf_prog_init(&p);
	if (bpf_read_raw(data + off, size - off, &p, &err) == 0) {
		if (size && (data[0] & 1))
			shape(&p);
		check_program(&p, &d);
	}
	else
		FUZZ_ASSERT(err.msg[0], "bpf_read_raw failed without a message");
	bpf_prog_free(&p);
	return 0;
}
