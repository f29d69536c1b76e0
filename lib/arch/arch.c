/* ABI descriptors and lookups over the generated syscall tables.
 *
 * Everything here is a constant table or a pure function of one; there is
 * no initialisation and no mutable state. */
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "arch/syscalls_gen.h"

/* AUDIT_ARCH_* bits from <linux/audit.h>; spelled out so that the values do
 * not depend on how new the build machine's kernel headers are. */
#define AA_64 0x80000000u	/* __AUDIT_ARCH_64BIT */
#define AA_LE 0x40000000u	/* __AUDIT_ARCH_LE */
#define AA_N32 0x20000000u	/* __AUDIT_ARCH_CONVENTION_MIPS64_N32 */
/* ELF machine numbers (<linux/elf-em.h>) */
#define EM_I386_ 3
#define EM_M68K_ 4
#define EM_MIPS_ 8
#define EM_PARISC_ 15
#define EM_PPC_ 20
#define EM_PPC64_ 21
#define EM_S390_ 22
#define EM_ARM_ 40
#define EM_SH_ 42
#define EM_X86_64_ 62
#define EM_AARCH64_ 183
#define EM_RISCV_ 243
#define EM_LOONGARCH_ 258

#define ABI(id_, name_, token_, bits_, be_, col_)				\
	[id_] = { .id = id_, .name = name_, .token = token_, .scmp_token = token_, \
		  .word_bits = bits_, .big_endian = be_,			\
		  .socketcall_nr = ARCH_GEN_SOCKETCALL_##col_,		\
		  .ipc_nr = ARCH_GEN_IPC_##col_ }

/* word_bits is the width of the argument registers the kernel hands to
 * seccomp.  x32 and mips n32 run on 64-bit registers and the kernel passes
 * all 64 bits on (many of their syscalls are the native 64-bit handlers), so
 * they are 64 here; libseccomp calls them 32-bit and checks only the low
 * half, which would let a caller choose the high half freely. */
static const struct arch_desc abis[ARCH_COUNT] = {
	ABI(ARCH_X86, "x86", EM_I386_ | AA_LE, 32, 0, X86),
	ABI(ARCH_X86_64, "x86_64", EM_X86_64_ | AA_64 | AA_LE, 64, 0, X86_64),
	/* x32 shares x86_64's AUDIT_ARCH token; libseccomp's token drops the
	 * 64-bit flag to tell them apart (SCMP_ARCH_X32). */
	[ARCH_X32] = { .id = ARCH_X32, .name = "x32", .token = EM_X86_64_ | AA_64 | AA_LE,
		       .scmp_token = EM_X86_64_ | AA_LE, .word_bits = 64, .big_endian = 0,
		       .socketcall_nr = ARCH_GEN_SOCKETCALL_X32, .ipc_nr = ARCH_GEN_IPC_X32 },
	ABI(ARCH_ARM, "arm", EM_ARM_ | AA_LE, 32, 0, ARM),
	ABI(ARCH_AARCH64, "aarch64", EM_AARCH64_ | AA_64 | AA_LE, 64, 0, AARCH64),
	ABI(ARCH_LOONGARCH64, "loongarch64", EM_LOONGARCH_ | AA_64 | AA_LE, 64, 0, LOONGARCH64),
	ABI(ARCH_M68K, "m68k", EM_M68K_, 32, 1, M68K),
	ABI(ARCH_MIPS, "mips", EM_MIPS_, 32, 1, MIPS),
	ABI(ARCH_MIPSEL, "mipsel", EM_MIPS_ | AA_LE, 32, 0, MIPS),
	ABI(ARCH_MIPS64, "mips64", EM_MIPS_ | AA_64, 64, 1, MIPS64),
	ABI(ARCH_MIPSEL64, "mipsel64", EM_MIPS_ | AA_64 | AA_LE, 64, 0, MIPS64),
	ABI(ARCH_MIPS64N32, "mips64n32", EM_MIPS_ | AA_64 | AA_N32, 64, 1, MIPS64N32),
	ABI(ARCH_MIPSEL64N32, "mipsel64n32", EM_MIPS_ | AA_64 | AA_LE | AA_N32, 64, 0, MIPS64N32),
	ABI(ARCH_PARISC, "parisc", EM_PARISC_, 32, 1, PARISC),
	ABI(ARCH_PARISC64, "parisc64", EM_PARISC_ | AA_64, 64, 1, PARISC64),
	ABI(ARCH_PPC, "ppc", EM_PPC_, 32, 1, PPC),
	ABI(ARCH_PPC64, "ppc64", EM_PPC64_ | AA_64, 64, 1, PPC64),
	ABI(ARCH_PPC64LE, "ppc64le", EM_PPC64_ | AA_64 | AA_LE, 64, 0, PPC64),
	ABI(ARCH_RISCV64, "riscv64", EM_RISCV_ | AA_64 | AA_LE, 64, 0, RISCV64),
	ABI(ARCH_S390, "s390", EM_S390_, 32, 1, S390),
	ABI(ARCH_S390X, "s390x", EM_S390_ | AA_64, 64, 1, S390X),
	/* libseccomp's "sh" is little-endian (AUDIT_ARCH_SHEL), "sheb" big */
	ABI(ARCH_SH, "sh", EM_SH_ | AA_LE, 32, 0, SH),
	ABI(ARCH_SHEB, "sheb", EM_SH_, 32, 1, SH),
};

/* Which generated number table each ABI reads; endianness twins share. */
static const unsigned char abi_column[ARCH_COUNT] = {
	[ARCH_X86] = ARCH_COL_X86,
	[ARCH_X86_64] = ARCH_COL_X86_64,
	[ARCH_X32] = ARCH_COL_X32,
	[ARCH_ARM] = ARCH_COL_ARM,
	[ARCH_AARCH64] = ARCH_COL_AARCH64,
	[ARCH_LOONGARCH64] = ARCH_COL_LOONGARCH64,
	[ARCH_M68K] = ARCH_COL_M68K,
	[ARCH_MIPS] = ARCH_COL_MIPS,
	[ARCH_MIPSEL] = ARCH_COL_MIPS,
	[ARCH_MIPS64] = ARCH_COL_MIPS64,
	[ARCH_MIPSEL64] = ARCH_COL_MIPS64,
	[ARCH_MIPS64N32] = ARCH_COL_MIPS64N32,
	[ARCH_MIPSEL64N32] = ARCH_COL_MIPS64N32,
	[ARCH_PARISC] = ARCH_COL_PARISC,
	[ARCH_PARISC64] = ARCH_COL_PARISC64,
	[ARCH_PPC] = ARCH_COL_PPC,
	[ARCH_PPC64] = ARCH_COL_PPC64,
	[ARCH_PPC64LE] = ARCH_COL_PPC64,
	[ARCH_RISCV64] = ARCH_COL_RISCV64,
	[ARCH_S390] = ARCH_COL_S390,
	[ARCH_S390X] = ARCH_COL_S390X,
	[ARCH_SH] = ARCH_COL_SH,
	[ARCH_SHEB] = ARCH_COL_SH,
};

struct abi_alias {
	const char *alias;
	enum arch_id id;
};

/* Other spellings seen in the wild: uname -m, Debian and Go arch names. */
static const struct abi_alias aliases[] = {
	{ "i386", ARCH_X86 },
	{ "i486", ARCH_X86 },
	{ "i586", ARCH_X86 },
	{ "i686", ARCH_X86 },
	{ "386", ARCH_X86 },
	{ "amd64", ARCH_X86_64 },
	{ "arm64", ARCH_AARCH64 },
	{ "loong64", ARCH_LOONGARCH64 },
	{ "mipsle", ARCH_MIPSEL },
	{ "mips64le", ARCH_MIPSEL64 },
	{ "mips64n32le", ARCH_MIPSEL64N32 },
};

/* The socketcall(2) and ipc(2) call numbers, from <linux/net.h> (SYS_SOCKET
 * = 1 ... SYS_SENDMMSG = 20) and <linux/ipc.h> (SEMOP = 1 ... SHMCTL = 24). */
struct mux_call {
	uint32_t call;
	const char *name;
};

static const struct mux_call socket_calls[] = {
	{ 1, "socket" }, { 2, "bind" }, { 3, "connect" }, { 4, "listen" },
	{ 5, "accept" }, { 6, "getsockname" }, { 7, "getpeername" },
	{ 8, "socketpair" }, { 9, "send" }, { 10, "recv" }, { 11, "sendto" },
	{ 12, "recvfrom" }, { 13, "shutdown" }, { 14, "setsockopt" },
	{ 15, "getsockopt" }, { 16, "sendmsg" }, { 17, "recvmsg" },
	{ 18, "accept4" }, { 19, "recvmmsg" }, { 20, "sendmmsg" },
};

static const struct mux_call ipc_calls[] = {
	{ 1, "semop" }, { 2, "semget" }, { 3, "semctl" }, { 4, "semtimedop" },
	{ 11, "msgsnd" }, { 12, "msgrcv" }, { 13, "msgget" }, { 14, "msgctl" },
	{ 21, "shmat" }, { 22, "shmdt" }, { 23, "shmget" }, { 24, "shmctl" },
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static int abi_valid(enum arch_id abi)
{
	return (unsigned)abi < ARCH_COUNT;
}

static int id_valid(int id)
{
	return id >= 0 && id < ARCH_GEN_NAMES;
}

/* --- ABIs ------------------------------------------------------------- */

const struct arch_desc *arch_get(enum arch_id id)
{
	return abi_valid(id) ? &abis[id] : NULL;
}

static const struct arch_desc *by_plain_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARCH_COUNT; i++)
		if (strcmp(abis[i].name, name) == 0)
			return &abis[i];
	for (i = 0; i < COUNT_OF(aliases); i++)
		if (strcmp(aliases[i].alias, name) == 0)
			return &abis[aliases[i].id];
	return NULL;
}

/* Docker/OCI spell ABIs "SCMP_ARCH_X86_64": the libseccomp name in capitals. */
static const struct arch_desc *by_scmp_name(const char *name)
{
	char lower[32];
	size_t i, n = strlen(name);

	if (n == 0 || n >= sizeof(lower))
		return NULL;
	for (i = 0; i <= n; i++) {
		char c = name[i];

		if (c >= 'a' && c <= 'z')
			return NULL;	/* the prefixed form is all capitals */
		lower[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	for (i = 0; i < ARCH_COUNT; i++)
		if (strcmp(abis[i].name, lower) == 0)
			return &abis[i];
	return NULL;
}

const struct arch_desc *arch_by_name(const char *name)
{
	static const char prefix[] = "SCMP_ARCH_";

	if (!name)
		return NULL;
	if (strncmp(name, prefix, sizeof(prefix) - 1) == 0)
		return by_scmp_name(name + sizeof(prefix) - 1);
	return by_plain_name(name);
}

const struct arch_desc *arch_by_token(uint32_t token)
{
	size_t i;

	/* x86_64 comes before x32 in the table, so the shared token finds it */
	for (i = 0; i < ARCH_COUNT; i++)
		if (abis[i].token == token)
			return &abis[i];
	return NULL;
}

const struct arch_desc *arch_by_scmp_token(uint32_t scmp_token)
{
	size_t i;

	for (i = 0; i < ARCH_COUNT; i++)
		if (abis[i].scmp_token == scmp_token)
			return &abis[i];
	return NULL;
}

const struct arch_desc *arch_for_data(uint32_t token, uint32_t nr)
{
	const struct arch_desc *d = arch_by_token(token);

	if (d && d->id == ARCH_X86_64 && nr >= ARCH_X32_SYSCALL_BIT)
		return &abis[ARCH_X32];
	return d;
}

/* Compiler-predefined macros name the target; an unknown target is a build
 * error rather than a guess. */
#if defined(__x86_64__) && defined(__ILP32__)
#define NATIVE_ABI ARCH_X32
#elif defined(__x86_64__)
#define NATIVE_ABI ARCH_X86_64
#elif defined(__i386__)
#define NATIVE_ABI ARCH_X86
#elif defined(__aarch64__) && !defined(__AARCH64EB__)
#define NATIVE_ABI ARCH_AARCH64
#elif defined(__arm__) && !defined(__ARMEB__)
#define NATIVE_ABI ARCH_ARM
#elif defined(__loongarch__) && defined(__loongarch_lp64)
#define NATIVE_ABI ARCH_LOONGARCH64
#elif defined(__m68k__)
#define NATIVE_ABI ARCH_M68K
#elif defined(__mips__) && defined(__MIPSEL__) && _MIPS_SIM == _ABIO32
#define NATIVE_ABI ARCH_MIPSEL
#elif defined(__mips__) && _MIPS_SIM == _ABIO32
#define NATIVE_ABI ARCH_MIPS
#elif defined(__mips__) && defined(__MIPSEL__) && _MIPS_SIM == _ABIN32
#define NATIVE_ABI ARCH_MIPSEL64N32
#elif defined(__mips__) && _MIPS_SIM == _ABIN32
#define NATIVE_ABI ARCH_MIPS64N32
#elif defined(__mips__) && defined(__MIPSEL__) && _MIPS_SIM == _ABI64
#define NATIVE_ABI ARCH_MIPSEL64
#elif defined(__mips__) && _MIPS_SIM == _ABI64
#define NATIVE_ABI ARCH_MIPS64
#elif defined(__hppa__) && defined(__LP64__)
#define NATIVE_ABI ARCH_PARISC64
#elif defined(__hppa__)
#define NATIVE_ABI ARCH_PARISC
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_ABI ARCH_PPC64LE
#elif defined(__powerpc64__)
#define NATIVE_ABI ARCH_PPC64
#elif defined(__powerpc__)
#define NATIVE_ABI ARCH_PPC
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ABI ARCH_RISCV64
#elif defined(__s390x__)
#define NATIVE_ABI ARCH_S390X
#elif defined(__s390__)
#define NATIVE_ABI ARCH_S390
#elif defined(__sh__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_ABI ARCH_SH
#elif defined(__sh__)
#define NATIVE_ABI ARCH_SHEB
#else
#error "muzzle: unsupported target ABI"
#endif

const struct arch_desc *arch_native(void)
{
	return &abis[NATIVE_ABI];
}

/* --- syscall names ------------------------------------------------------ */

int arch_syscall_count(void)
{
	return ARCH_GEN_NAMES;
}

const char *arch_syscall_name(int id)
{
	return id_valid(id) ? arch_gen_name[id] : NULL;
}

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int arch_syscall_id(const char *name)
{
	const char *const *hit;

	if (!name)
		return -1;
	hit = bsearch(name, arch_gen_name, ARCH_GEN_NAMES, sizeof(arch_gen_name[0]), cmp_name);
	return hit ? (int)(hit - arch_gen_name) : -1;
}

/* --- numbers per ABI ----------------------------------------------------- */

int32_t arch_syscall_nr(enum arch_id abi, int id)
{
	if (!abi_valid(abi) || !id_valid(id))
		return ARCH_NR_NONE;
	return arch_gen_nr[abi_column[abi]][id];
}

int arch_syscall_by_nr(enum arch_id abi, uint32_t nr)
{
	const struct arch_gen_rev *rev;
	const int32_t *nrs;
	int lo = 0, hi;

	if (!abi_valid(abi) || nr > INT32_MAX)
		return -1;
	rev = &arch_gen_by_nr[abi_column[abi]];
	nrs = arch_gen_nr[abi_column[abi]];
	hi = rev->count;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		int32_t v = nrs[rev->ids[mid]];

		if (v == (int32_t)nr)
			return rev->ids[mid];
		if (v < (int32_t)nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int arch_syscall_sorted_count(enum arch_id abi)
{
	return abi_valid(abi) ? arch_gen_by_nr[abi_column[abi]].count : 0;
}

int arch_syscall_sorted_id(enum arch_id abi, int k)
{
	return arch_gen_by_nr[abi_column[abi]].ids[k];
}

int32_t arch_syscall_pseudo(int id)
{
	return id_valid(id) ? arch_gen_pseudo[id] : 0;
}

/* Two names share a pseudo number in libseccomp (sys_debug_setcontext and
 * switch_endian, -10191); the table is sorted by (pseudo, id), so the lower
 * search bound gives the alphabetically first. */
int arch_syscall_by_pseudo(int32_t pseudo)
{
	int lo = 0, hi = arch_gen_by_pseudo_count;

	if (pseudo >= 0)
		return -1;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (arch_gen_pseudo[arch_gen_by_pseudo[mid]] < pseudo)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < arch_gen_by_pseudo_count && arch_gen_pseudo[arch_gen_by_pseudo[lo]] == pseudo)
		return arch_gen_by_pseudo[lo];
	return -1;
}

int arch_syscall_kver(enum arch_id abi, int id)
{
	int col, i;

	if (!abi_valid(abi) || !id_valid(id))
		return 0;
	col = abi_column[abi];
	for (i = 0; i < arch_gen_kvers_count; i++)
		if (arch_gen_kvers[i].column == col && arch_gen_kvers[i].id == id)
			return arch_gen_kvers[i].kver;
	return 0;
}

/* --- multiplexers --------------------------------------------------------- */

static const struct mux_call *mux_find_name(const struct mux_call *tab, size_t n,
					     const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tab[i].name, name) == 0)
			return &tab[i];
	return NULL;
}

enum arch_mux_kind arch_mux_lookup(enum arch_id abi, int id, uint32_t *call)
{
	const struct mux_call *m;

	if (!abi_valid(abi) || !id_valid(id))
		return ARCH_MUX_NONE;
	if (abis[abi].socketcall_nr != ARCH_NR_NONE) {
		m = mux_find_name(socket_calls, COUNT_OF(socket_calls), arch_gen_name[id]);
		if (m) {
			if (call)
				*call = m->call;
			return ARCH_MUX_SOCKETCALL;
		}
	}
	if (abis[abi].ipc_nr != ARCH_NR_NONE) {
		m = mux_find_name(ipc_calls, COUNT_OF(ipc_calls), arch_gen_name[id]);
		if (m) {
			if (call)
				*call = m->call;
			return ARCH_MUX_IPC;
		}
	}
	return ARCH_MUX_NONE;
}

static int mux_find_call(const struct mux_call *tab, size_t n, uint32_t call)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].call == call)
			return arch_syscall_id(tab[i].name);
	return -1;
}

int arch_mux_demux(enum arch_id abi, enum arch_mux_kind kind, uint32_t call)
{
	if (!abi_valid(abi))
		return -1;
	if (kind == ARCH_MUX_SOCKETCALL && abis[abi].socketcall_nr != ARCH_NR_NONE)
		return mux_find_call(socket_calls, COUNT_OF(socket_calls), call);
	if (kind == ARCH_MUX_IPC && abis[abi].ipc_nr != ARCH_NR_NONE)
		return mux_find_call(ipc_calls, COUNT_OF(ipc_calls), call);
	return -1;
}

uint32_t arch_mux_call_mask(enum arch_mux_kind kind)
{
	switch (kind) {
	case ARCH_MUX_SOCKETCALL:
		return 0xffffffffu;
	case ARCH_MUX_IPC:
		return 0xffffu;
	default:
		return 0;
	}
}

int32_t arch_syscall_scmp_nr(enum arch_id abi, int id)
{
	int32_t nr;

	if (!abi_valid(abi) || !id_valid(id))
		return ARCH_NR_NONE;
	if (arch_mux_lookup(abi, id, NULL) != ARCH_MUX_NONE && arch_gen_pseudo[id] != 0)
		return arch_gen_pseudo[id];
	nr = arch_gen_nr[abi_column[abi]][id];
	if (nr != ARCH_NR_NONE)
		return nr;
	return arch_gen_pseudo[id] != 0 ? arch_gen_pseudo[id] : ARCH_NR_NONE;
}
