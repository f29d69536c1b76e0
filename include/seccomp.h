/* libmuzzle: a libseccomp 2.6 source-compatible API.
 *
 * Programs written for libseccomp build unchanged against this header and
 * link with -lmuzzle.  Constant values are the kernel's and libseccomp's (they
 * are compiled into existing binaries, so they must match exactly).  The
 * behaviour of each function, and where it differs from libseccomp's, is
 * described in man/seccomp_*.3 (man/libmuzzle-compat.3 lists the
 * differences). */
#ifndef _SECCOMP_H
#define _SECCOMP_H

#include <elf.h>
#include <inttypes.h>
#include <stddef.h>
#include <asm/unistd.h>
#include <linux/audit.h>
#include <linux/types.h>
#include <linux/seccomp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- version ------------------------------------------------------------ */

/* The libseccomp API level this header provides. */
#define SCMP_VER_MAJOR		2
#define SCMP_VER_MINOR		6
#define SCMP_VER_MICRO		0

struct scmp_version {
	unsigned int major;
	unsigned int minor;
	unsigned int micro;
};

/* --- types ----------------------------------------------------------------- */

/* An opaque filter context. */
typedef void *scmp_filter_ctx;

enum scmp_filter_attr {
	_SCMP_FLTATR_MIN = 0,
	SCMP_FLTATR_ACT_DEFAULT = 1,	/* default action (read only after init) */
	SCMP_FLTATR_ACT_BADARCH = 2,	/* action for an ABI not in the filter */
	SCMP_FLTATR_CTL_NNP = 3,	/* set no_new_privs before loading */
	SCMP_FLTATR_CTL_TSYNC = 4,	/* synchronise all threads on load */
	SCMP_FLTATR_API_TSKIP = 5,	/* accept rules on syscall -1 */
	SCMP_FLTATR_CTL_LOG = 6,	/* log every action but ALLOW */
	SCMP_FLTATR_CTL_SSB = 7,	/* keep speculative store bypass enabled */
	SCMP_FLTATR_CTL_OPTIMIZE = 8,	/* 1: priority order, 2: binary tree */
	SCMP_FLTATR_API_SYSRAWRC = 9,	/* return the kernel's errno values */
	SCMP_FLTATR_CTL_WAITKILL = 10,	/* wait killable for notifications */
	_SCMP_FLTATR_MAX,
};

enum scmp_compare {
	_SCMP_CMP_MIN = 0,
	SCMP_CMP_NE = 1,
	SCMP_CMP_LT = 2,
	SCMP_CMP_LE = 3,
	SCMP_CMP_EQ = 4,
	SCMP_CMP_GE = 5,
	SCMP_CMP_GT = 6,
	SCMP_CMP_MASKED_EQ = 7,		/* (arg & datum_a) == datum_b */
	_SCMP_CMP_MAX,
};

typedef uint64_t scmp_datum_t;

struct scmp_arg_cmp {
	unsigned int arg;		/* argument index, 0..5 */
	enum scmp_compare op;
	scmp_datum_t datum_a;
	scmp_datum_t datum_b;
};

/* --- architecture tokens -------------------------------------------------- */

#define SCMP_ARCH_NATIVE	0

/* Older uapi headers lack some AUDIT_ARCH_* values; spell them out. */
#ifndef __AUDIT_ARCH_CONVENTION_MIPS64_N32
#define __AUDIT_ARCH_CONVENTION_MIPS64_N32	0x20000000
#endif
#ifndef EM_AARCH64
#define EM_AARCH64		183
#endif
#ifndef EM_RISCV
#define EM_RISCV		243
#endif
#ifndef EM_LOONGARCH
#define EM_LOONGARCH		258
#endif
#ifndef AUDIT_ARCH_AARCH64
#define AUDIT_ARCH_AARCH64	(EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
#endif
#ifndef AUDIT_ARCH_MIPS64N32
#define AUDIT_ARCH_MIPS64N32	(EM_MIPS | __AUDIT_ARCH_64BIT | \
				 __AUDIT_ARCH_CONVENTION_MIPS64_N32)
#endif
#ifndef AUDIT_ARCH_MIPSEL64N32
#define AUDIT_ARCH_MIPSEL64N32	(EM_MIPS | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE | \
				 __AUDIT_ARCH_CONVENTION_MIPS64_N32)
#endif
#ifndef AUDIT_ARCH_PPC64LE
#define AUDIT_ARCH_PPC64LE	(EM_PPC64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
#endif
#ifndef AUDIT_ARCH_RISCV64
#define AUDIT_ARCH_RISCV64	(EM_RISCV | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
#endif
#ifndef AUDIT_ARCH_LOONGARCH64
#define AUDIT_ARCH_LOONGARCH64	(EM_LOONGARCH | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
#endif
#ifndef AUDIT_ARCH_M68K
#define AUDIT_ARCH_M68K		(EM_68K)
#endif
#ifndef AUDIT_ARCH_SH
#define AUDIT_ARCH_SH		(EM_SH)
#endif
#ifndef AUDIT_ARCH_SHEL
#define AUDIT_ARCH_SHEL		(EM_SH | __AUDIT_ARCH_LE)
#endif

#define SCMP_ARCH_X86		AUDIT_ARCH_I386
#define SCMP_ARCH_X86_64	AUDIT_ARCH_X86_64
/* Not a kernel value: x32 shares x86_64's AUDIT_ARCH token, so libseccomp
 * names it by dropping the 64-bit flag. */
#define SCMP_ARCH_X32		(EM_X86_64 | __AUDIT_ARCH_LE)
#define SCMP_ARCH_ARM		AUDIT_ARCH_ARM
#define SCMP_ARCH_AARCH64	AUDIT_ARCH_AARCH64
#define SCMP_ARCH_LOONGARCH64	AUDIT_ARCH_LOONGARCH64
#define SCMP_ARCH_M68K		AUDIT_ARCH_M68K
#define SCMP_ARCH_MIPS		AUDIT_ARCH_MIPS
#define SCMP_ARCH_MIPS64	AUDIT_ARCH_MIPS64
#define SCMP_ARCH_MIPS64N32	AUDIT_ARCH_MIPS64N32
#define SCMP_ARCH_MIPSEL	AUDIT_ARCH_MIPSEL
#define SCMP_ARCH_MIPSEL64	AUDIT_ARCH_MIPSEL64
#define SCMP_ARCH_MIPSEL64N32	AUDIT_ARCH_MIPSEL64N32
#define SCMP_ARCH_PARISC	AUDIT_ARCH_PARISC
#define SCMP_ARCH_PARISC64	AUDIT_ARCH_PARISC64
#define SCMP_ARCH_PPC		AUDIT_ARCH_PPC
#define SCMP_ARCH_PPC64		AUDIT_ARCH_PPC64
#define SCMP_ARCH_PPC64LE	AUDIT_ARCH_PPC64LE
#define SCMP_ARCH_RISCV64	AUDIT_ARCH_RISCV64
#define SCMP_ARCH_S390		AUDIT_ARCH_S390
#define SCMP_ARCH_S390X		AUDIT_ARCH_S390X
#define SCMP_ARCH_SH		AUDIT_ARCH_SHEL
#define SCMP_ARCH_SHEB		AUDIT_ARCH_SH

/* --- syscalls and argument comparisons --------------------------------------- */

/* The native number of syscall x, or its negative pseudo number when the
 * native ABI lacks it (__SNR_x comes from seccomp-syscalls.h). */
#define SCMP_SYS(x)		(__SNR_##x)

/* SCMP_CMP(arg, op, datum_a[, datum_b]) builds a struct scmp_arg_cmp. */
#define SCMP_CMP64(...)		((struct scmp_arg_cmp){__VA_ARGS__})
#define SCMP_CMP		SCMP_CMP64

/* 32-bit forms: the data are truncated to 32 bits first, so a negative int
 * compares as its 32-bit two's complement.  Selecting between the 3- and
 * 4-argument forms needs a little argument counting. */
#define _SCMP_NARGS(...)		_SCMP_NARGS_PICK(__VA_ARGS__, 2, 1)
#define _SCMP_NARGS_PICK(_1, _2, n, ...)	n
#define _SCMP_CAT(a, b)			_SCMP_CAT_(a, b)
#define _SCMP_CAT_(a, b)		a##b
#define _SCMP_CMP32_1(x, y, z)		SCMP_CMP64(x, y, (uint32_t)(z))
#define _SCMP_CMP32_2(x, y, z, q)	SCMP_CMP64(x, y, (uint32_t)(z), (uint32_t)(q))
#define SCMP_CMP32(x, y, ...) \
	_SCMP_CAT(_SCMP_CMP32_, _SCMP_NARGS(__VA_ARGS__))(x, y, __VA_ARGS__)

#define SCMP_A0_64(...)		SCMP_CMP64(0, __VA_ARGS__)
#define SCMP_A1_64(...)		SCMP_CMP64(1, __VA_ARGS__)
#define SCMP_A2_64(...)		SCMP_CMP64(2, __VA_ARGS__)
#define SCMP_A3_64(...)		SCMP_CMP64(3, __VA_ARGS__)
#define SCMP_A4_64(...)		SCMP_CMP64(4, __VA_ARGS__)
#define SCMP_A5_64(...)		SCMP_CMP64(5, __VA_ARGS__)
#define SCMP_A0			SCMP_A0_64
#define SCMP_A1			SCMP_A1_64
#define SCMP_A2			SCMP_A2_64
#define SCMP_A3			SCMP_A3_64
#define SCMP_A4			SCMP_A4_64
#define SCMP_A5			SCMP_A5_64
#define SCMP_A0_32(x, ...)	SCMP_CMP32(0, x, __VA_ARGS__)
#define SCMP_A1_32(x, ...)	SCMP_CMP32(1, x, __VA_ARGS__)
#define SCMP_A2_32(x, ...)	SCMP_CMP32(2, x, __VA_ARGS__)
#define SCMP_A3_32(x, ...)	SCMP_CMP32(3, x, __VA_ARGS__)
#define SCMP_A4_32(x, ...)	SCMP_CMP32(4, x, __VA_ARGS__)
#define SCMP_A5_32(x, ...)	SCMP_CMP32(5, x, __VA_ARGS__)

/* --- actions (SECCOMP_RET_* values) ---------------------------------------- */

#define SCMP_ACT_KILL_PROCESS	0x80000000U
#define SCMP_ACT_KILL_THREAD	0x00000000U
#define SCMP_ACT_KILL		SCMP_ACT_KILL_THREAD
#define SCMP_ACT_TRAP		0x00030000U
#define SCMP_ACT_NOTIFY		0x7fc00000U
#define SCMP_ACT_ERRNO(x)	(0x00050000U | ((x) & 0x0000ffffU))
#define SCMP_ACT_TRACE(x)	(0x7ff00000U | ((x) & 0x0000ffffU))
#define SCMP_ACT_LOG		0x7ffc0000U
#define SCMP_ACT_ALLOW		0x7fff0000U

/* User notification structures, for uapi headers older than Linux 5.0. */
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF	0x7fc00000U
struct seccomp_notif {
	__u64 id;
	__u32 pid;
	__u32 flags;
	struct seccomp_data data;
};

struct seccomp_notif_resp {
	__u64 id;
	__s64 val;
	__s32 error;
	__u32 flags;
};
#endif

/* --- functions -------------------------------------------------------------- */

const struct scmp_version *seccomp_version(void);
unsigned int seccomp_api_get(void);
int seccomp_api_set(unsigned int level);

scmp_filter_ctx seccomp_init(uint32_t def_action);
int seccomp_reset(scmp_filter_ctx ctx, uint32_t def_action);
void seccomp_release(scmp_filter_ctx ctx);
int seccomp_merge(scmp_filter_ctx ctx_dst, scmp_filter_ctx ctx_src);

uint32_t seccomp_arch_resolve_name(const char *arch_name);
uint32_t seccomp_arch_native(void);
int seccomp_arch_exist(const scmp_filter_ctx ctx, uint32_t arch_token);
int seccomp_arch_add(scmp_filter_ctx ctx, uint32_t arch_token);
int seccomp_arch_remove(scmp_filter_ctx ctx, uint32_t arch_token);

int seccomp_precompute(const scmp_filter_ctx ctx);
int seccomp_load(const scmp_filter_ctx ctx);

int seccomp_attr_get(const scmp_filter_ctx ctx, enum scmp_filter_attr attr,
		     uint32_t *value);
int seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value);

char *seccomp_syscall_resolve_num_arch(uint32_t arch_token, int num);
int seccomp_syscall_resolve_name_arch(uint32_t arch_token, const char *name);
int seccomp_syscall_resolve_name_rewrite(uint32_t arch_token, const char *name);
int seccomp_syscall_resolve_name(const char *name);
int seccomp_syscall_priority(scmp_filter_ctx ctx, int syscall, uint8_t priority);

int seccomp_rule_add(scmp_filter_ctx ctx, uint32_t action, int syscall,
		     unsigned int arg_cnt, ...);
int seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action, int syscall,
			   unsigned int arg_cnt, const struct scmp_arg_cmp *arg_array);
int seccomp_rule_add_exact(scmp_filter_ctx ctx, uint32_t action, int syscall,
			   unsigned int arg_cnt, ...);
int seccomp_rule_add_exact_array(scmp_filter_ctx ctx, uint32_t action, int syscall,
				 unsigned int arg_cnt,
				 const struct scmp_arg_cmp *arg_array);

int seccomp_notify_alloc(struct seccomp_notif **req, struct seccomp_notif_resp **resp);
void seccomp_notify_free(struct seccomp_notif *req, struct seccomp_notif_resp *resp);
int seccomp_notify_receive(int fd, struct seccomp_notif *req);
int seccomp_notify_respond(int fd, struct seccomp_notif_resp *resp);
int seccomp_notify_id_valid(int fd, uint64_t id);
int seccomp_notify_fd(const scmp_filter_ctx ctx);

int seccomp_export_pfc(const scmp_filter_ctx ctx, int fd);
int seccomp_export_bpf(const scmp_filter_ctx ctx, int fd);
int seccomp_export_bpf_mem(const scmp_filter_ctx ctx, void *buf, size_t *len);

int seccomp_transaction_start(const scmp_filter_ctx ctx);
void seccomp_transaction_reject(const scmp_filter_ctx ctx);
int seccomp_transaction_commit(const scmp_filter_ctx ctx);

/* --- syscall numbers ---------------------------------------------------------- */

/* Pseudo syscall values -1..-99 are reserved. */
#define __NR_SCMP_ERROR		-1
#define __NR_SCMP_UNDEF		-2

/* Quoted so that it is found next to this header wherever it is installed. */
#include "seccomp-syscalls.h"

#ifdef __cplusplus
}
#endif

#endif
