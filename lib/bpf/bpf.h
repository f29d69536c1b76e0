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

/* Runs the kernel's constant-action emulation (seccomp_is_const_allow) for
 * one arch token and nr: 1 if the kernel's action cache would mark that
 * syscall as always allowed without running the filter, else 0. */
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
