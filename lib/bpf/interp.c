/* The classic BPF interpreter with the semantics the kernel gives seccomp
 * filters (net/core/filter.c converts them to eBPF; kernel/seccomp.c runs
 * them on struct seccomp_data):
 *  - A and X start at 0; scratch cells must be written before being read;
 *  - ld [k] reads a host-order 32-bit word of seccomp_data (k aligned, < 64);
 *    ld len / ldx len give sizeof(struct seccomp_data) = 64;
 *  - ALU ops are 32-bit; a shift by X uses X & 31 (the eBPF ALU32 rule);
 *    division by X == 0 ends the filter returning 0 (the conversion inserts
 *    "if X == 0 return 0"), i.e. SECCOMP_RET_KILL_THREAD;
 *  - comparisons are unsigned 32-bit; jumps are relative to the next insn.
 * Opcodes the seccomp loader refuses (mod, ld b/h, ind, msh) are faults. */
#include "bpf/bpf.h"

#include <errno.h>
#include <string.h>

#define SD_SIZE ((uint32_t)sizeof(struct seccomp_data))

struct machine {
	uint32_t a, x, mem[BPF_MEMWORDS];
	struct bpf_operand pa, px, pm[BPF_MEMWORDS];
	uint32_t mem_set;	/* bit per scratch cell written */
};

struct run {
	const struct sock_filter *insns;
	size_t len;
	const struct seccomp_data *d;
	bpf_cmp_cb cb;
	void *ctx;
	struct muzzle_error *err;
	unsigned steps;
};

static const struct bpf_operand no_word = { -1, 0, 0xffffffffu, 0 };

static int fault(struct run *r, size_t pc, const char *why)
{
	return muzzle_error_set(r->err, -EINVAL, NULL, 0, 0, "insn %zu: %s", pc, why);
}

static uint32_t load_word(const struct seccomp_data *d, uint32_t off)
{
	uint32_t v;

	memcpy(&v, (const char *)d + off, sizeof(v));
	return v;
}

/* A op= operand; returns 1 when the filter ends with 0 (division by X == 0). */
static int alu(struct machine *m, uint16_t code, uint32_t k)
{
	uint32_t src = BPF_SRC(code) == BPF_X ? m->x : k;

	switch (BPF_OP(code)) {
	case BPF_ADD: m->a += src; break;
	case BPF_SUB: m->a -= src; break;
	case BPF_MUL: m->a *= src; break;
	case BPF_DIV:
		if (src == 0)
			return 1;
		m->a /= src;
		break;
	case BPF_AND: m->a &= src; break;
	case BPF_OR: m->a |= src; break;
	case BPF_XOR: m->a ^= src; break;
	case BPF_LSH: m->a <<= (src & 31); break;
	case BPF_RSH: m->a >>= (src & 31); break;
	case BPF_NEG: m->a = 0u - m->a; break;
	}
	/* provenance: "word & mask" survives AND with a constant only */
	if (BPF_OP(code) == BPF_AND && BPF_SRC(code) == BPF_K && m->pa.word >= 0)
		m->pa.mask &= k;
	else
		m->pa.exact = 0;
	return 0;
}

static int alu_ok(uint16_t code, uint32_t k)
{
	switch (BPF_OP(code)) {
	case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_AND: case BPF_OR:
	case BPF_XOR:
		return 1;
	case BPF_DIV:
		return BPF_SRC(code) == BPF_X || k != 0;
	case BPF_LSH: case BPF_RSH:
		return BPF_SRC(code) == BPF_X || k < 32;
	case BPF_NEG:
		return BPF_SRC(code) == BPF_K;
	}
	return 0;	/* BPF_MOD and unknown: refused by seccomp_check_filter */
}

static int cond_true(uint16_t code, uint32_t a, uint32_t v)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ: return a == v;
	case BPF_JGT: return a > v;
	case BPF_JGE: return a >= v;
	case BPF_JSET: return (a & v) != 0;
	}
	return -1;
}

static void report(struct run *r, struct machine *m, size_t pc, const struct sock_filter *f,
		   int taken)
{
	struct bpf_cmp_event e;

	if (!r->cb)
		return;
	e.pc = (unsigned)pc;
	e.code = f->code;
	e.k = f->k;
	e.a = m->pa;
	e.a.value = m->a;
	e.x = m->px;
	e.x.value = m->x;
	e.taken = taken;
	r->cb(r->ctx, &e);
}

/* One jump; sets *pc to the next instruction or fails. */
static int jump(struct run *r, struct machine *m, size_t *pc)
{
	const struct sock_filter *f = &r->insns[*pc];
	size_t next;
	int t;

	if (BPF_OP(f->code) == BPF_JA) {
		if (f->code != (BPF_JMP | BPF_JA) || f->k >= r->len - *pc - 1)
			return fault(r, *pc, "bad ja");
		*pc += 1 + (size_t)f->k;
		return 0;
	}
	t = cond_true(f->code, m->a, BPF_SRC(f->code) == BPF_X ? m->x : f->k);
	if (t < 0)
		return fault(r, *pc, "unknown jump");
	report(r, m, *pc, f, t);
	next = *pc + 1 + (t ? f->jt : f->jf);
	if (next >= r->len)
		return fault(r, *pc, "jump past the end");
	*pc = next;
	return 0;
}

static int load(struct run *r, struct machine *m, size_t pc)
{
	const struct sock_filter *f = &r->insns[pc];
	int to_x = BPF_CLASS(f->code) == BPF_LDX;
	uint32_t *reg = to_x ? &m->x : &m->a;
	struct bpf_operand *prov = to_x ? &m->px : &m->pa;

	switch (f->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		if (f->k >= SD_SIZE || (f->k & 3))
			return fault(r, pc, "load outside seccomp_data or unaligned");
		*reg = load_word(r->d, f->k);
		prov->word = (int)(f->k / 4);
		prov->exact = 1;
		prov->mask = 0xffffffffu;
		return 0;
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
		*reg = SD_SIZE;
		*prov = no_word;
		return 0;
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
		*reg = f->k;
		*prov = no_word;
		return 0;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
		if (f->k >= BPF_MEMWORDS || !(m->mem_set & (1u << f->k)))
			return fault(r, pc, "read of an unwritten scratch cell");
		*reg = m->mem[f->k];
		*prov = m->pm[f->k];
		return 0;
	}
	return fault(r, pc, "load not allowed in seccomp filters");
}

static int store(struct run *r, struct machine *m, size_t pc)
{
	const struct sock_filter *f = &r->insns[pc];
	int from_x = BPF_CLASS(f->code) == BPF_STX;

	if (f->code != BPF_ST && f->code != BPF_STX)
		return fault(r, pc, "unknown store");
	if (f->k >= BPF_MEMWORDS)
		return fault(r, pc, "scratch cell out of range");
	m->mem[f->k] = from_x ? m->x : m->a;
	m->pm[f->k] = from_x ? m->px : m->pa;
	m->mem_set |= 1u << f->k;
	return 0;
}

/* 0 and *ret set on a return; negative errno on a fault. */
static int step(struct run *r, struct machine *m, size_t *pc, uint32_t *ret, int *done)
{
	const struct sock_filter *f = &r->insns[*pc];

	switch (BPF_CLASS(f->code)) {
	case BPF_LD:
	case BPF_LDX:
		if (load(r, m, *pc))
			return -EINVAL;
		break;
	case BPF_ST:
	case BPF_STX:
		if (store(r, m, *pc))
			return -EINVAL;
		break;
	case BPF_ALU:
		if (!alu_ok(f->code, f->k))
			return fault(r, *pc, "ALU operation not allowed in seccomp filters");
		if (alu(m, f->code, f->k)) {
			*ret = 0;
			*done = 1;
			return 0;
		}
		break;
	case BPF_JMP:
		return jump(r, m, pc);
	case BPF_RET:
		if (f->code != (BPF_RET | BPF_K) && f->code != (BPF_RET | BPF_A))
			return fault(r, *pc, "unknown return");
		*ret = BPF_RVAL(f->code) == BPF_A ? m->a : f->k;
		*done = 1;
		return 0;
	case BPF_MISC:
		if (f->code == (BPF_MISC | BPF_TAX)) {
			m->x = m->a;
			m->px = m->pa;
		} else if (f->code == (BPF_MISC | BPF_TXA)) {
			m->a = m->x;
			m->pa = m->px;
		} else {
			return fault(r, *pc, "unknown misc instruction");
		}
		break;
	}
	(*pc)++;
	return 0;
}

static int run(struct run *r, uint32_t *ret)
{
	struct machine m;
	size_t pc = 0;
	int done = 0;

	memset(&m, 0, sizeof(m));
	m.pa = m.px = no_word;
	r->steps = 0;
	if (r->len == 0 || r->len > BPF_MAX_INSNS)
		return muzzle_error_set(r->err, -EINVAL, NULL, 0, 0,
					"program length %zu not in 1..%d", r->len, BPF_MAX_INSNS);
	/* jumps only go forward, so a run takes at most len steps */
	while (!done) {
		if (pc >= r->len)
			return fault(r, pc, "fell off the end of the program");
		r->steps++;
		if (step(r, &m, &pc, ret, &done))
			return -EINVAL;
	}
	return 0;
}

int bpf_run_checked(const struct sock_filter *insns, size_t len,
		    const struct seccomp_data *d, uint32_t *ret, unsigned *steps,
		    struct muzzle_error *err)
{
	struct run r = { insns, len, d, NULL, NULL, err, 0 };
	int rc = run(&r, ret);

	if (rc)
		*ret = SECCOMP_RET_KILL_PROCESS;
	if (steps)
		*steps = r.steps;
	return rc;
}

uint32_t bpf_run_traced(const struct sock_filter *insns, size_t len,
			const struct seccomp_data *d, unsigned *steps,
			bpf_cmp_cb cb, void *ctx)
{
	struct run r = { insns, len, d, cb, ctx, NULL, 0 };
	uint32_t ret = 0;

	if (run(&r, &ret))
		ret = SECCOMP_RET_KILL_PROCESS;
	if (steps)
		*steps = r.steps;
	return ret;
}

uint32_t bpf_run(const struct sock_filter *insns, size_t len,
		 const struct seccomp_data *d, unsigned *steps)
{
	return bpf_run_traced(insns, len, d, steps, NULL, NULL);
}

/* The walk of kernel/seccomp.c seccomp_is_const_allow(): only loads of nr
 * and arch, ja, K-jumps, AND K and RET K are understood; anything else means
 * "not constant".  Walks the original (unverified) instructions as the
 * kernel does; a jump past the end ends the walk as "not constant". */
int bpf_const_allow(const struct sock_filter *insns, size_t len,
		    uint32_t arch_token, uint32_t nr)
{
	uint32_t a = 0;
	size_t pc;

	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &insns[pc];
		int t;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k == offsetof(struct seccomp_data, nr))
				a = nr;
			else if (f->k == offsetof(struct seccomp_data, arch))
				a = arch_token;
			else
				return 0;
			break;
		case BPF_RET | BPF_K:
			return f->k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA:
			pc += f->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			t = cond_true(f->code, a, f->k);
			pc += t ? f->jt : f->jf;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= f->k;
			break;
		default:
			return 0;
		}
	}
	return 0;
}
