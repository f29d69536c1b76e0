/* Architecture (ABI) descriptors and syscall tables.
 *
 * An ABI is one syscall numbering a kernel accepts: x86_64 and x32 share the
 * AUDIT_ARCH token but are different ABIs (x32 numbers carry bit 0x40000000).
 * Syscall names have one id across all ABIs (an index into a sorted table),
 * so a policy can speak of "openat" once and the compiler finds its number on
 * every ABI.  All tables are generated (tools/gen_syscalls.py) and constant. */
#ifndef MUZZLE_ARCH_H
#define MUZZLE_ARCH_H

#include <stddef.h>
#include <stdint.h>

enum arch_id {
	ARCH_X86,
	ARCH_X86_64,
	ARCH_X32,
	ARCH_ARM,
	ARCH_AARCH64,
	ARCH_LOONGARCH64,
	ARCH_M68K,
	ARCH_MIPS,
	ARCH_MIPSEL,
	ARCH_MIPS64,
	ARCH_MIPSEL64,
	ARCH_MIPS64N32,
	ARCH_MIPSEL64N32,
	ARCH_PARISC,
	ARCH_PARISC64,
	ARCH_PPC,
	ARCH_PPC64,
	ARCH_PPC64LE,
	ARCH_RISCV64,
	ARCH_S390,
	ARCH_S390X,
	ARCH_SH,
	ARCH_SHEB,
	ARCH_COUNT
};

#define ARCH_MASK(id) (1u << (id))
#define ARCH_MASK_ALL ((1u << ARCH_COUNT) - 1)

/* x32 syscalls reach seccomp with this bit set in seccomp_data.nr */
#define ARCH_X32_SYSCALL_BIT 0x40000000u

/* Marks "this ABI has no such syscall" in number tables. */
#define ARCH_NR_NONE INT32_MIN

/* socketcall(2) call numbers (SYS_SOCKET ... SYS_SENDMMSG) and ipc(2) call
 * numbers are looked up with arch_mux_lookup(). */
enum arch_mux_kind { ARCH_MUX_NONE, ARCH_MUX_SOCKETCALL, ARCH_MUX_IPC };

struct arch_desc {
	enum arch_id id;
	const char *name;	/* libseccomp's name: "x86_64", "mipsel64n32", ... */
	uint32_t token;		/* AUDIT_ARCH_* value: what seccomp_data.arch holds */
	uint32_t scmp_token;	/* libseccomp's SCMP_ARCH_* value: equals token except
				 * x32 (EM_X86_64|__AUDIT_ARCH_LE = 0x4000003e) */
	uint8_t word_bits;	/* 32 or 64: width of an argument register */
	uint8_t big_endian;
	int32_t socketcall_nr;	/* ARCH_NR_NONE when the ABI has no socketcall */
	int32_t ipc_nr;		/* ARCH_NR_NONE when the ABI has no ipc */
};

/* --- ABIs ------------------------------------------------------------- */
const struct arch_desc *arch_get(enum arch_id id);
/* by libseccomp name ("x86_64", "x86", "i386" alias too, "amd64" Docker alias) */
const struct arch_desc *arch_by_name(const char *name);
/* by AUDIT_ARCH token; for X86_64 returns x86_64 (use arch_for_data for x32) */
const struct arch_desc *arch_by_token(uint32_t token);
/* by libseccomp SCMP_ARCH_* token (x32 has its own); NULL if unknown */
const struct arch_desc *arch_by_scmp_token(uint32_t scmp_token);
/* The ABI a syscall with this seccomp_data arch and nr belongs to:
 * token X86_64 with nr >= ARCH_X32_SYSCALL_BIT is x32. NULL if unknown. */
const struct arch_desc *arch_for_data(uint32_t token, uint32_t nr);
/* The ABI this library was compiled for. */
const struct arch_desc *arch_native(void);

/* --- syscall names ------------------------------------------------------ */
/* number of distinct names over all ABIs; ids are 0..arch_syscall_count()-1,
 * sorted by name */
int arch_syscall_count(void);
const char *arch_syscall_name(int id);
/* id of a name, -1 if no ABI knows it */
int arch_syscall_id(const char *name);

/* --- numbers per ABI ----------------------------------------------------- */
/* The kernel's number for syscall id on this ABI, as it appears in
 * seccomp_data.nr (mips bases and the x32 bit included), or ARCH_NR_NONE. */
int32_t arch_syscall_nr(enum arch_id abi, int id);
/* id of the syscall with this seccomp_data.nr on the ABI, -1 if none */
int arch_syscall_by_nr(enum arch_id abi, uint32_t nr);
/* The ABI's syscalls by ascending number: how many, and the id of the k-th
 * (for walking a sorted structure alongside, in linear time). */
int arch_syscall_sorted_count(enum arch_id abi);
int arch_syscall_sorted_id(enum arch_id abi, int k);
/* libseccomp's pseudo number for the name (from pseudo-numbers.csv), or 0 if
 * the name has none */
int32_t arch_syscall_pseudo(int id);
/* id for a pseudo number, -1 if none */
int arch_syscall_by_pseudo(int32_t pseudo);
/* What libseccomp's seccomp_syscall_resolve_name_arch() answers (for the
 * compat layer): the kernel number, except that on ABIs with socketcall/ipc
 * the multiplexed calls (socket ... sendmmsg, semop ... shmctl) answer their
 * pseudo number even where a direct syscall exists (libseccomp then adds
 * both entry points when a rule is added); the pseudo number where the ABI
 * lacks the call; ARCH_NR_NONE if it has neither. */
int32_t arch_syscall_scmp_nr(enum arch_id abi, int id);
/* kernel version that introduced the call on this ABI, as "5.3"-style
 * major*100+minor, 0 if unknown */
int arch_syscall_kver(enum arch_id abi, int id);

/* --- multiplexers --------------------------------------------------------- */
/* If syscall id is reachable through socketcall(2) or ipc(2) on this ABI,
 * return the multiplexer kind and set *call to the value the kernel expects
 * in args[0] (e.g. SYS_SOCKET = 1).  ARCH_MUX_NONE otherwise. */
enum arch_mux_kind arch_mux_lookup(enum arch_id abi, int id, uint32_t *call);
/* The reverse: which syscall id does multiplexer call number `call` stand for
 * on this ABI; -1 if none. */
int arch_mux_demux(enum arch_id abi, enum arch_mux_kind kind, uint32_t call);
/* The bits of args[0] the kernel uses to pick the call: socketcall takes an
 * int (low 32 bits); ipc(2) takes the low 16 bits and treats the high 16 as
 * a "version" that most calls ignore, so ipc(0x20015) is shmat.  A filter
 * that compares the whole of args[0] can be bypassed: compare
 * (args[0] & mask) instead.  0 for ARCH_MUX_NONE. */
uint32_t arch_mux_call_mask(enum arch_mux_kind kind);

#endif
