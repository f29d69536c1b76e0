/* Classic BPF for seccomp: the program type, an interpreter, a verifier
 * with the kernel's rules, a disassembler and an assembler. */
#ifndef MUZZLE_BPF_H
#define MUZZLE_BPF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "error.h"

#define BPF_MAX_INSNS 4096	/* BPF_MAXINSNS: the kernel refuses longer filters */

struct bpf_prog {
	struct sock_filter *insns;
	size_t len, cap;
};

void bpf_prog_init(struct bpf_prog *p);
void bpf_prog_free(struct bpf_prog *p);
/* append one instruction; index of it, or -ENOMEM */
int bpf_emit(struct bpf_prog *p, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k);
int bpf_prog_copy(struct bpf_prog *dst, const struct bpf_prog *src);

/* --- interpreter ---------------------------------------------------------
 * Runs a filter the way kernel/seccomp.c does on a struct seccomp_data laid
 * out in host byte order.  Returns the filter's return value; *steps (may be
 * NULL) gets the number of instructions executed.  A program that would fault
 * in the kernel (read out of bounds, fall off the end) returns
 * SECCOMP_RET_KILL_PROCESS with *steps set, and bpf_run_checked reports why. */
uint32_t bpf_run(const struct sock_filter *insns, size_t len,
		 const struct seccomp_data *d, unsigned *steps);
int bpf_run_checked(const struct sock_filter *insns, size_t len,
		    const struct seccomp_data *d, uint32_t *ret, unsigned *steps,
		    struct muzzle_error *err);

/* A conditional jump seen by bpf_run_traced.  The interpreter follows where
 * A and X came from: `word` is the index (offset / 4) of the seccomp_data word
 * last loaded into the register, -1 if it holds no input word (an immediate,
 * LEN, ...).  `exact` is 1 when the register equals (word & mask) exactly;
 * 0 when other arithmetic was applied (then only `word` is meaningful). */
struct bpf_operand {
	int word;
	int exact;
	uint32_t mask;
	uint32_t value;		/* the register's value at the jump */
};
struct bpf_cmp_event {
	unsigned pc;
	uint16_t code;		/* BPF_JMP | op | src */
	uint32_t k;
	struct bpf_operand a, x;
	int taken;		/* 1 if the true branch was taken */
};
typedef void (*bpf_cmp_cb)(void *ctx, const struct bpf_cmp_event *e);
/* bpf_run that calls cb (may be NULL) at each conditional jump. */
uint32_t bpf_run_traced(const struct sock_filter *insns, size_t len,
			const struct seccomp_data *d, unsigned *steps,
			bpf_cmp_cb cb, void *ctx);

/* Runs the kernel's constant-action emulation (seccomp_is_const_allow) for
 * one arch token and nr: 1 if the kernel's action cache would mark that
 * syscall as always allowed without running the filter, else 0.
 * Models the filter walk only: the kernel's fixed exception for x86_64
 * uretprobe/uprobe (allowed whatever the filter says) is not applied. */
int bpf_const_allow(const struct sock_filter *insns, size_t len,
		    uint32_t arch_token, uint32_t nr);

/* --- verifier --------------------------------------------------------------
 * The checks the kernel makes at load time (sk_chk_filter + seccomp's opcode
 * whitelist + scratch-memory initialisation): length 1..4096, known opcodes,
 * ld abs offsets aligned and inside seccomp_data, jumps forward and in range,
 * last instruction a RET, no division by constant zero.  0 or -EINVAL with
 * err naming the instruction index. */
int bpf_verify(const struct sock_filter *insns, size_t len, struct muzzle_error *err);

/* --- disassembler / assembler ----------------------------------------------
 * One instruction per line: "  12: jeq #0x3b, L14, L13" style, with labels for
 * jump targets and, when arch_token is non-zero, comments naming syscalls
 * compared against seccomp_data.nr and returning actions by name. */
struct bpf_disasm_opts {
	uint32_t arch_token;	/* 0: no syscall names */
	int raw;		/* 1: no labels, plain "jt/jf" offsets */
};
int bpf_disasm(FILE *out, const struct sock_filter *insns, size_t len,
	       const struct bpf_disasm_opts *o);
/* Parses what bpf_disasm prints (with or without labels/comments) back into
 * a program; errors carry line and column. */
int bpf_asm(const char *text, size_t len, const char *file, struct bpf_prog *out,
	    struct muzzle_error *err);

/* raw byte format (array of struct sock_filter, host order): what
 * seccomp_export_bpf writes and bwrap --seccomp reads */
int bpf_write_raw(int fd, const struct sock_filter *insns, size_t len);
int bpf_read_raw(const void *buf, size_t size, struct bpf_prog *out, struct muzzle_error *err);

#endif
