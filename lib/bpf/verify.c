/* Load-time checks, in the kernel's order: bpf_check_classic (known opcode,
 * per-opcode limits, last instruction a return, scratch memory written
 * before read) then seccomp_check_filter (the seccomp opcode whitelist and
 * aligned in-bounds seccomp_data loads).  Every rejection the kernel makes
 * with EINVAL is rejected here, naming the instruction. */
#include "bpf/bpf.h"

#include <errno.h>

static int bad(struct muzzle_error *err, size_t pc, const char *why)
{
	return muzzle_error_set(err, -EINVAL, NULL, 0, 0, "insn %zu: %s", pc, why);
}

/* seccomp_check_filter's whitelist (ld [k] is checked separately) */
static int seccomp_code_ok(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_JMP | BPF_JA:
		return 1;
	}
	if (BPF_CLASS(code) == BPF_ALU && (code & ~(BPF_OP(0xff) | BPF_X)) == BPF_ALU) {
		switch (BPF_OP(code)) {
		case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_DIV:
		case BPF_AND: case BPF_OR: case BPF_XOR: case BPF_LSH: case BPF_RSH:
			return 1;
		}
	}
	if (BPF_CLASS(code) == BPF_JMP && (code & ~(BPF_OP(0xff) | BPF_X)) == BPF_JMP) {
		switch (BPF_OP(code)) {
		case BPF_JEQ: case BPF_JGE: case BPF_JGT: case BPF_JSET:
			return 1;
		}
	}
	return 0;
}

/* Opcodes bpf_check_classic knows but seccomp refuses: report them as such. */
static int classic_only_code(uint16_t code)
{
	switch (code) {
	case BPF_ALU | BPF_MOD | BPF_K:
	case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
	case BPF_LDX | BPF_B | BPF_MSH:
		return 1;
	}
	return 0;
}

static int is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && code != (BPF_JMP | BPF_JA);
}

/* The per-instruction limits of bpf_check_classic. */
static int check_insn(const struct sock_filter *f, size_t pc, size_t len,
		      struct muzzle_error *err)
{
	if (!seccomp_code_ok(f->code))
		return bad(err, pc, classic_only_code(f->code)
			   ? "opcode not allowed in seccomp filters" : "unknown opcode");
	switch (f->code) {
	case BPF_ALU | BPF_DIV | BPF_K:
		if (f->k == 0)
			return bad(err, pc, "division by constant zero");
		break;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		if (f->k >= 32)
			return bad(err, pc, "shift by 32 or more");
		break;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		if (f->k >= BPF_MEMWORDS)
			return bad(err, pc, "scratch cell index out of range (0..15)");
		break;
	case BPF_JMP | BPF_JA:
		if (f->k >= len - pc - 1)
			return bad(err, pc, "ja target out of range");
		break;
	case BPF_LD | BPF_W | BPF_ABS:
		if (f->k >= sizeof(struct seccomp_data) || (f->k & 3))
			return bad(err, pc, "load offset not an aligned word of seccomp_data");
		break;
	}
	if (is_cond_jump(f->code) &&
	    (pc + f->jt + 1 >= len || pc + f->jf + 1 >= len))
		return bad(err, pc, "jump target out of range");
	return 0;
}

/* check_load_and_stores(): the kernel's exact algorithm, including its
 * carrying of the valid set across a return into the next instruction. */
static int check_memory(const struct sock_filter *insns, size_t len, struct muzzle_error *err)
{
	uint16_t masks[BPF_MAX_INSNS];
	uint16_t valid = 0;

	for (size_t pc = 0; pc < len; pc++)
		masks[pc] = 0xffff;
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &insns[pc];

		valid &= masks[pc];
		switch (f->code) {
		case BPF_ST:
		case BPF_STX:
			valid |= (uint16_t)(1u << f->k);
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
			if (!(valid & (1u << f->k)))
				return bad(err, pc, "scratch cell may be read before it is written");
			break;
		case BPF_JMP | BPF_JA:
			masks[pc + 1 + f->k] &= valid;
			valid = 0xffff;
			break;
		default:
			if (is_cond_jump(f->code)) {
				masks[pc + 1 + f->jt] &= valid;
				masks[pc + 1 + f->jf] &= valid;
				valid = 0xffff;
			}
			break;
		}
	}
	return 0;
}

int bpf_verify(const struct sock_filter *insns, size_t len, struct muzzle_error *err)
{
	int rc;

	if (len == 0)
		return muzzle_error_set(err, -EINVAL, NULL, 0, 0, "empty program");
	if (len > BPF_MAX_INSNS)
		return muzzle_error_set(err, -EINVAL, NULL, 0, 0,
					"program has %zu instructions, the kernel allows %d",
					len, BPF_MAX_INSNS);
	for (size_t pc = 0; pc < len; pc++) {
		rc = check_insn(&insns[pc], pc, len, err);
		if (rc)
			return rc;
	}
	if (insns[len - 1].code != (BPF_RET | BPF_K) && insns[len - 1].code != (BPF_RET | BPF_A))
		return bad(err, len - 1, "last instruction is not a return");
	return check_memory(insns, len, err);
}
