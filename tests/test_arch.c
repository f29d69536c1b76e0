/* Tests for lib/arch: ABI descriptors, generated syscall tables, multiplexers,
 * the generated <seccomp-syscalls.h>, and a differential check against the
 * system's libseccomp (loaded with dlopen, since libmuzzle defines the same
 * seccomp_* symbols). */
#include <dlfcn.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/ipc.h>
#include <linux/net.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/unistd.h>

#include "harness.h"
#include "arch/arch.h"

/* The generated header refuses to be included except through seccomp.h; this
 * test checks it on its own. */
#define _SECCOMP_H
#include "seccomp-syscalls.h"
#undef _SECCOMP_H

static const char *const abi_names[ARCH_COUNT] = {
	"x86", "x86_64", "x32", "arm", "aarch64", "loongarch64", "m68k", "mips",
	"mipsel", "mips64", "mipsel64", "mips64n32", "mipsel64n32", "parisc",
	"parisc64", "ppc", "ppc64", "ppc64le", "riscv64", "s390", "s390x", "sh", "sheb",
};

static int nr_of(enum arch_id abi, const char *name)
{
	return arch_syscall_nr(abi, arch_syscall_id(name));
}

/* ---------------------------------------------------------------------- */

static void test_names_sorted_unique(void)
{
	int n = arch_syscall_count(), id;

	t_begin("names_sorted_unique");
	T_CHECK(n > 400, "only %d names", n);
	for (id = 0; id < n; id++) {
		const char *s = arch_syscall_name(id);

		if (!T_CHECK(s && *s, "id %d has no name", id))
			break;
		if (id > 0)
			T_CHECK(strcmp(arch_syscall_name(id - 1), s) < 0, "%s !< %s",
				arch_syscall_name(id - 1), s);
		T_EQ_I(arch_syscall_id(s), id);
	}
	T_CHECK(arch_syscall_name(-1) == NULL, "name(-1)");
	T_CHECK(arch_syscall_name(n) == NULL, "name(count)");
	T_EQ_I(arch_syscall_id("no_such_call"), -1);
	T_EQ_I(arch_syscall_id(""), -1);
	T_EQ_I(arch_syscall_id(NULL), -1);
	T_EQ_I(arch_syscall_id("READ"), -1);
	T_EQ_I(arch_syscall_id("read "), -1);
	/* a pseudo-only name that no ABI knows */
	T_EQ_I(arch_syscall_id("oldwait4"), -1);
	t_end();
}

/* name -> number -> name on every ABI, and every known name on some ABI */
static void test_round_trips(void)
{
	int n = arch_syscall_count(), id, abi, checked = 0;

	t_begin("round_trips_all_abis");
	for (id = 0; id < n; id++) {
		int present = 0;

		for (abi = 0; abi < ARCH_COUNT; abi++) {
			int32_t nr = arch_syscall_nr(abi, id);

			if (nr == ARCH_NR_NONE)
				continue;
			present = 1;
			checked++;
			T_CHECK(nr >= 0, "%s on %s: negative %d", arch_syscall_name(id),
				abi_names[abi], nr);
			T_CHECK(arch_syscall_by_nr(abi, (uint32_t)nr) == id,
				"%s on %s: nr %d maps back to %d", arch_syscall_name(id),
				abi_names[abi], nr, arch_syscall_by_nr(abi, (uint32_t)nr));
		}
		T_CHECK(present, "%s is on no ABI", arch_syscall_name(id));
	}
	T_CHECK(checked > 7000, "only %d (name, ABI) pairs", checked);
	printf("# %d (name, ABI) pairs round-tripped\n", checked);
	t_end();
}

/* numbers that are not in a table must not resolve */
static void test_reverse_misses(void)
{
	int abi;

	t_begin("reverse_misses");
	for (abi = 0; abi < ARCH_COUNT; abi++) {
		uint32_t nr;
		int hits = 0;

		T_EQ_I(arch_syscall_by_nr(abi, 0xffffffffu), -1);
		T_EQ_I(arch_syscall_by_nr(abi, 0x80000000u), -1);
		/* every hit must agree with the forward table */
		for (nr = 0; nr < 0x2000; nr++) {
			int id = arch_syscall_by_nr(abi, nr);

			if (id < 0)
				continue;
			hits++;
			T_CHECK(arch_syscall_nr(abi, id) == (int32_t)nr, "%s nr %u -> %s",
				abi_names[abi], nr, arch_syscall_name(id));
		}
		T_CHECK(hits > 250 || abi == ARCH_X32 || abi == ARCH_MIPS || abi == ARCH_MIPSEL ||
			abi == ARCH_MIPS64 || abi == ARCH_MIPSEL64 || abi == ARCH_MIPS64N32 ||
			abi == ARCH_MIPSEL64N32, "%s: only %d numbers below 0x2000",
			abi_names[abi], hits);
	}
	/* x32 numbers without the x32 bit are not x32 syscalls */
	T_EQ_I(arch_syscall_by_nr(ARCH_X32, 0), -1);
	T_EQ_I(arch_syscall_by_nr(ARCH_X32, 257), -1);
	/* MIPS numbers below the ABI base are not syscalls */
	T_EQ_I(arch_syscall_by_nr(ARCH_MIPS, 3), -1);
	T_EQ_I(arch_syscall_by_nr(ARCH_MIPS64, 0), -1);
	T_EQ_I(arch_syscall_by_nr(ARCH_COUNT, 0), -1);
	T_EQ_I(arch_syscall_by_nr((enum arch_id)-1, 0), -1);
	T_EQ_I(arch_syscall_nr(ARCH_COUNT, 0), ARCH_NR_NONE);
	T_EQ_I(arch_syscall_nr(ARCH_X86_64, -1), ARCH_NR_NONE);
	T_EQ_I(arch_syscall_nr(ARCH_X86_64, arch_syscall_count()), ARCH_NR_NONE);
	t_end();
}

static void test_known_values(void)
{
	t_begin("known_values");
	T_EQ_I(nr_of(ARCH_X86_64, "read"), 0);
	T_EQ_I(nr_of(ARCH_X86_64, "openat"), 257);
	T_EQ_I(nr_of(ARCH_X86_64, "seccomp"), 317);
	T_EQ_I(nr_of(ARCH_X86_64, "socketcall"), ARCH_NR_NONE);
	T_EQ_I(nr_of(ARCH_X86, "socketcall"), 102);
	T_EQ_I(nr_of(ARCH_X86, "socket"), 359);
	T_EQ_I(nr_of(ARCH_X86, "ipc"), 117);
	T_EQ_I(nr_of(ARCH_X86, "semop"), ARCH_NR_NONE);
	T_EQ_I(nr_of(ARCH_X32, "read"), 0x40000000);
	T_EQ_I(nr_of(ARCH_X32, "openat"), 0x40000000 + 257);
	T_EQ_I(nr_of(ARCH_MIPS, "read"), 4003);
	T_EQ_I(nr_of(ARCH_MIPSEL, "read"), 4003);
	T_EQ_I(nr_of(ARCH_MIPS64, "read"), 5000);
	T_EQ_I(nr_of(ARCH_MIPSEL64N32, "read"), 6000);
	T_EQ_I(nr_of(ARCH_AARCH64, "openat"), 56);
	T_EQ_I(nr_of(ARCH_AARCH64, "open"), ARCH_NR_NONE);
	T_EQ_I(nr_of(ARCH_RISCV64, "openat"), 56);
	T_EQ_I(nr_of(ARCH_ARM, "cacheflush"), 0xf0002);
	T_EQ_I(nr_of(ARCH_ARM, "set_tls"), 0xf0005);
	T_EQ_I(nr_of(ARCH_PPC64LE, "read"), 3);
	T_EQ_I(nr_of(ARCH_S390X, "socketcall"), 102);
	T_EQ_I(nr_of(ARCH_SHEB, "read"), nr_of(ARCH_SH, "read"));
	T_EQ_I(arch_syscall_by_nr(ARCH_X86_64, 257), arch_syscall_id("openat"));
	T_EQ_I(arch_syscall_by_nr(ARCH_X32, 0x40000000u), arch_syscall_id("read"));
	T_EQ_I(arch_syscall_by_nr(ARCH_MIPS, 4003), arch_syscall_id("read"));
	T_EQ_I(arch_syscall_by_nr(ARCH_ARM, 0xf0002), arch_syscall_id("cacheflush"));
	/* glibc's own header for the machine we build on agrees */
	T_EQ_I(nr_of(arch_native()->id, "openat"), __NR_openat);
	T_EQ_I(nr_of(arch_native()->id, "exit_group"), __NR_exit_group);
	t_end();
}

/* Twins that share a csv column must have identical tables. */
static void test_twins(void)
{
	static const enum arch_id twins[][2] = {
		{ ARCH_MIPS, ARCH_MIPSEL }, { ARCH_MIPS64, ARCH_MIPSEL64 },
		{ ARCH_MIPS64N32, ARCH_MIPSEL64N32 }, { ARCH_PPC64, ARCH_PPC64LE },
		{ ARCH_SH, ARCH_SHEB },
	};
	size_t i;
	int id;

	t_begin("endianness_twins_share_numbers");
	for (i = 0; i < sizeof(twins) / sizeof(twins[0]); i++)
		for (id = 0; id < arch_syscall_count(); id++)
			T_CHECK(arch_syscall_nr(twins[i][0], id) == arch_syscall_nr(twins[i][1], id),
				"%s differs between %s and %s", arch_syscall_name(id),
				abi_names[twins[i][0]], abi_names[twins[i][1]]);
	t_end();
}

/* ---------------------------------------------------------------------- */

struct want_abi {
	enum arch_id id;
	uint32_t token;
	uint8_t bits, be;
};

static void test_descriptors(void)
{
	/* tokens from <linux/audit.h> where this machine's headers have them,
	 * else the documented value */
	static const struct want_abi want[] = {
		{ ARCH_X86, AUDIT_ARCH_I386, 32, 0 },
		{ ARCH_X86_64, AUDIT_ARCH_X86_64, 64, 0 },
		{ ARCH_X32, AUDIT_ARCH_X86_64, 64, 0 },
		{ ARCH_ARM, AUDIT_ARCH_ARM, 32, 0 },
		{ ARCH_AARCH64, AUDIT_ARCH_AARCH64, 64, 0 },
#ifdef AUDIT_ARCH_LOONGARCH64
		{ ARCH_LOONGARCH64, AUDIT_ARCH_LOONGARCH64, 64, 0 },
#else
		{ ARCH_LOONGARCH64, 0xc0000102, 64, 0 },
#endif
		{ ARCH_M68K, AUDIT_ARCH_M68K, 32, 1 },
		{ ARCH_MIPS, AUDIT_ARCH_MIPS, 32, 1 },
		{ ARCH_MIPSEL, AUDIT_ARCH_MIPSEL, 32, 0 },
		{ ARCH_MIPS64, AUDIT_ARCH_MIPS64, 64, 1 },
		{ ARCH_MIPSEL64, AUDIT_ARCH_MIPSEL64, 64, 0 },
		{ ARCH_MIPS64N32, AUDIT_ARCH_MIPS64N32, 64, 1 },
		{ ARCH_MIPSEL64N32, AUDIT_ARCH_MIPSEL64N32, 64, 0 },
		{ ARCH_PARISC, AUDIT_ARCH_PARISC, 32, 1 },
		{ ARCH_PARISC64, AUDIT_ARCH_PARISC64, 64, 1 },
		{ ARCH_PPC, AUDIT_ARCH_PPC, 32, 1 },
		{ ARCH_PPC64, AUDIT_ARCH_PPC64, 64, 1 },
		{ ARCH_PPC64LE, AUDIT_ARCH_PPC64LE, 64, 0 },
		{ ARCH_RISCV64, AUDIT_ARCH_RISCV64, 64, 0 },
		{ ARCH_S390, AUDIT_ARCH_S390, 32, 1 },
		{ ARCH_S390X, AUDIT_ARCH_S390X, 64, 1 },
		{ ARCH_SH, AUDIT_ARCH_SHEL, 32, 0 },
		{ ARCH_SHEB, AUDIT_ARCH_SH, 32, 1 },
	};
	size_t i;

	t_begin("descriptors");
	T_EQ_I(sizeof(want) / sizeof(want[0]), ARCH_COUNT);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct arch_desc *d = arch_get(want[i].id);

		if (!T_CHECK(d, "arch_get(%d)", want[i].id))
			continue;
		T_EQ_I(d->id, want[i].id);
		T_EQ_S(d->name, abi_names[want[i].id]);
		T_CHECK(d->token == want[i].token, "%s token 0x%x want 0x%x", d->name,
			d->token, want[i].token);
		T_CHECK(d->word_bits == want[i].bits, "%s bits %d", d->name, d->word_bits);
		T_CHECK(d->big_endian == want[i].be, "%s big_endian %d", d->name, d->big_endian);
		/* the AUDIT_ARCH LE bit and the endianness agree */
		T_CHECK(!!(d->token & __AUDIT_ARCH_LE) == !d->big_endian, "%s LE bit", d->name);
		if (d->id == ARCH_X32)
			T_CHECK(d->scmp_token == 0x4000003eu, "x32 scmp token 0x%x", d->scmp_token);
		else
			T_CHECK(d->scmp_token == d->token, "%s scmp token", d->name);
		T_EQ_I(d->socketcall_nr, nr_of(d->id, "socketcall"));
		T_EQ_I(d->ipc_nr, nr_of(d->id, "ipc"));
	}
	T_CHECK(arch_get(ARCH_COUNT) == NULL, "arch_get(ARCH_COUNT)");
	T_CHECK(arch_get((enum arch_id)-1) == NULL, "arch_get(-1)");
	T_EQ_I(arch_get(ARCH_X86)->socketcall_nr, 102);
	T_EQ_I(arch_get(ARCH_MIPS)->socketcall_nr, 4102);
	T_EQ_I(arch_get(ARCH_X86_64)->socketcall_nr, ARCH_NR_NONE);
	T_EQ_I(arch_get(ARCH_AARCH64)->ipc_nr, ARCH_NR_NONE);
	t_end();
}

static void test_by_name(void)
{
	static const struct {
		const char *name;
		enum arch_id id;
	} ok[] = {
		{ "i386", ARCH_X86 }, { "i686", ARCH_X86 }, { "amd64", ARCH_X86_64 },
		{ "arm64", ARCH_AARCH64 }, { "SCMP_ARCH_X86_64", ARCH_X86_64 },
		{ "SCMP_ARCH_X86", ARCH_X86 }, { "SCMP_ARCH_X32", ARCH_X32 },
		{ "SCMP_ARCH_AARCH64", ARCH_AARCH64 }, { "SCMP_ARCH_MIPSEL64N32", ARCH_MIPSEL64N32 },
		{ "SCMP_ARCH_PPC64LE", ARCH_PPC64LE }, { "SCMP_ARCH_S390X", ARCH_S390X },
		{ "SCMP_ARCH_RISCV64", ARCH_RISCV64 }, { "SCMP_ARCH_LOONGARCH64", ARCH_LOONGARCH64 },
		{ "SCMP_ARCH_SHEB", ARCH_SHEB },
	};
	static const char *const bad[] = {
		"", "X86_64", "x86-64", "SCMP_ARCH_", "SCMP_ARCH_x86_64", "SCMP_ARCH_AMD64",
		"SCMP_ARCH_NATIVE", "x86_64 ", "sparc", "scmp_arch_x86_64", "SCMP_ARCH_X86_64X",
		"SCMP_ARCH_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	};
	size_t i;
	int a;

	t_begin("arch_by_name");
	for (a = 0; a < ARCH_COUNT; a++) {
		char upper[64];
		size_t k;

		T_CHECK(arch_by_name(abi_names[a]) == arch_get(a), "%s", abi_names[a]);
		snprintf(upper, sizeof(upper), "SCMP_ARCH_%s", abi_names[a]);
		for (k = 10; upper[k]; k++)
			if (upper[k] >= 'a' && upper[k] <= 'z')
				upper[k] = (char)(upper[k] - 'a' + 'A');
		T_CHECK(arch_by_name(upper) == arch_get(a), "%s", upper);
	}
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		T_CHECK(arch_by_name(ok[i].name) == arch_get(ok[i].id), "%s", ok[i].name);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		T_CHECK(arch_by_name(bad[i]) == NULL, "\"%s\" should not resolve", bad[i]);
	T_CHECK(arch_by_name(NULL) == NULL, "NULL");
	t_end();
}

static void test_by_token(void)
{
	int a;

	t_begin("arch_by_token_and_data");
	for (a = 0; a < ARCH_COUNT; a++) {
		const struct arch_desc *d = arch_get(a);
		int32_t read_nr = nr_of(a, "read");

		T_CHECK(arch_by_scmp_token(d->scmp_token) == d, "%s by scmp token", d->name);
		if (a == ARCH_X32)
			T_CHECK(arch_by_token(d->token) == arch_get(ARCH_X86_64), "x32 token");
		else
			T_CHECK(arch_by_token(d->token) == d, "%s by token", d->name);
		T_CHECK(arch_for_data(d->token, (uint32_t)read_nr) == d, "%s for_data(read)",
			d->name);
	}
	T_CHECK(arch_for_data(AUDIT_ARCH_X86_64, 0x3fffffffu) == arch_get(ARCH_X86_64), "below bit");
	T_CHECK(arch_for_data(AUDIT_ARCH_X86_64, 0x40000000u) == arch_get(ARCH_X32), "x32 bit");
	T_CHECK(arch_for_data(AUDIT_ARCH_X86_64, 0xffffffffu) == arch_get(ARCH_X32), "-1 nr");
	/* only x86_64 has the x32 split */
	T_CHECK(arch_for_data(AUDIT_ARCH_I386, 0x40000000u) == arch_get(ARCH_X86), "i386 high nr");
	T_CHECK(arch_for_data(0, 0) == NULL, "token 0");
	T_CHECK(arch_for_data(0x1234, 0) == NULL, "unknown token");
	T_CHECK(arch_by_token(0xc000003fu) == NULL, "unknown token");
	T_CHECK(arch_by_scmp_token(0) == NULL, "scmp token 0");
	T_CHECK(arch_by_scmp_token(0x4000003eu) == arch_get(ARCH_X32), "SCMP_ARCH_X32");
#if defined(__x86_64__) && !defined(__ILP32__)
	T_CHECK(arch_native() == arch_get(ARCH_X86_64), "native is %s", arch_native()->name);
#elif defined(__aarch64__)
	T_CHECK(arch_native() == arch_get(ARCH_AARCH64), "native is %s", arch_native()->name);
#endif
	T_CHECK(arch_native()->word_bits == sizeof(long) * 8 || arch_native()->id == ARCH_X32 ||
		arch_native()->id == ARCH_MIPS64N32 || arch_native()->id == ARCH_MIPSEL64N32,
		"native word size");
	t_end();
}

/* ---------------------------------------------------------------------- */

static const char *const socket_names[] = {
	NULL, "socket", "bind", "connect", "listen", "accept", "getsockname",
	"getpeername", "socketpair", "send", "recv", "sendto", "recvfrom", "shutdown",
	"setsockopt", "getsockopt", "sendmsg", "recvmsg", "accept4", "recvmmsg", "sendmmsg",
};

static const struct {
	uint32_t call;
	const char *name;
} ipc_names[] = {
	{ SEMOP, "semop" }, { SEMGET, "semget" }, { SEMCTL, "semctl" },
	{ SEMTIMEDOP, "semtimedop" }, { MSGSND, "msgsnd" }, { MSGRCV, "msgrcv" },
	{ MSGGET, "msgget" }, { MSGCTL, "msgctl" }, { SHMAT, "shmat" }, { SHMDT, "shmdt" },
	{ SHMGET, "shmget" }, { SHMCTL, "shmctl" },
};

static void check_socketcall(enum arch_id a, int has)
{
	uint32_t c;

	for (c = 1; c <= SYS_SENDMMSG; c++) {
		int id = arch_syscall_id(socket_names[c]);
		uint32_t got = 0;
		enum arch_mux_kind k = arch_mux_lookup(a, id, &got);

		if (has) {
			T_CHECK(k == ARCH_MUX_SOCKETCALL && got == c, "%s %s: kind %d call %u",
				abi_names[a], socket_names[c], k, got);
			T_EQ_I(arch_mux_demux(a, ARCH_MUX_SOCKETCALL, c), id);
		} else {
			T_CHECK(k == ARCH_MUX_NONE, "%s %s muxed", abi_names[a], socket_names[c]);
			T_EQ_I(arch_mux_demux(a, ARCH_MUX_SOCKETCALL, c), -1);
		}
	}
	T_EQ_I(arch_mux_demux(a, ARCH_MUX_SOCKETCALL, 0), -1);
	T_EQ_I(arch_mux_demux(a, ARCH_MUX_SOCKETCALL, SYS_SENDMMSG + 1), -1);
	T_EQ_I(arch_mux_demux(a, ARCH_MUX_SOCKETCALL, 0x10001), -1);
}

static void check_ipc(enum arch_id a, int has)
{
	size_t i;
	uint32_t c;

	for (i = 0; i < sizeof(ipc_names) / sizeof(ipc_names[0]); i++) {
		int id = arch_syscall_id(ipc_names[i].name);
		uint32_t got = 0;
		enum arch_mux_kind k = arch_mux_lookup(a, id, &got);

		if (has) {
			T_CHECK(k == ARCH_MUX_IPC && got == ipc_names[i].call,
				"%s %s: kind %d call %u", abi_names[a], ipc_names[i].name, k, got);
			T_EQ_I(arch_mux_demux(a, ARCH_MUX_IPC, ipc_names[i].call), id);
		} else {
			T_CHECK(k == ARCH_MUX_NONE, "%s %s muxed", abi_names[a], ipc_names[i].name);
		}
	}
	/* numbers between the groups are not calls */
	for (c = 0; c < 40; c++) {
		int known = 0;

		for (i = 0; i < sizeof(ipc_names) / sizeof(ipc_names[0]); i++)
			known |= ipc_names[i].call == c;
		if (!known || !has)
			T_EQ_I(arch_mux_demux(a, ARCH_MUX_IPC, c), -1);
	}
}

static void test_mux(void)
{
	int a, n_sock = 0, n_ipc = 0;

	t_begin("multiplexers");
	for (a = 0; a < ARCH_COUNT; a++) {
		const struct arch_desc *d = arch_get(a);
		int has_sock = d->socketcall_nr != ARCH_NR_NONE, has_ipc = d->ipc_nr != ARCH_NR_NONE;

		n_sock += has_sock;
		n_ipc += has_ipc;
		check_socketcall(a, has_sock);
		check_ipc(a, has_ipc);
		/* ordinary calls are never multiplexed */
		T_EQ_I(arch_mux_lookup(a, arch_syscall_id("read"), NULL), ARCH_MUX_NONE);
		T_EQ_I(arch_mux_lookup(a, arch_syscall_id("socketcall"), NULL), ARCH_MUX_NONE);
		T_EQ_I(arch_mux_lookup(a, -1, NULL), ARCH_MUX_NONE);
		T_EQ_I(arch_mux_demux(a, ARCH_MUX_NONE, 1), -1);
	}
	/* x86 m68k mips mipsel ppc ppc64 ppc64le s390 s390x sh sheb */
	T_EQ_I(n_sock, 11);
	T_EQ_I(n_ipc, 11);
	T_CHECK(arch_get(ARCH_X86)->socketcall_nr == 102, "x86 socketcall");
	T_EQ_I(arch_mux_call_mask(ARCH_MUX_IPC), 0xffff);
	T_EQ_U(arch_mux_call_mask(ARCH_MUX_SOCKETCALL), 0xffffffffu);
	T_EQ_I(arch_mux_call_mask(ARCH_MUX_NONE), 0);
	T_EQ_I(IPCCALL(2, SHMAT) & arch_mux_call_mask(ARCH_MUX_IPC), SHMAT);
	t_end();
}

/* ---------------------------------------------------------------------- */

static void test_pseudo(void)
{
	int id, hits = 0;

	t_begin("pseudo_numbers");
	T_EQ_I(arch_syscall_pseudo(arch_syscall_id("socket")), -101);
	T_EQ_I(arch_syscall_pseudo(arch_syscall_id("shmctl")), -224);
	T_EQ_I(arch_syscall_pseudo(arch_syscall_id("arch_prctl")), -10001);
	T_EQ_I(arch_syscall_pseudo(arch_syscall_id("read")), 0);
	T_EQ_I(arch_syscall_pseudo(-1), 0);
	T_EQ_I(arch_syscall_by_pseudo(-101), arch_syscall_id("socket"));
	T_EQ_I(arch_syscall_by_pseudo(-10001), arch_syscall_id("arch_prctl"));
	T_EQ_I(arch_syscall_by_pseudo(0), -1);
	T_EQ_I(arch_syscall_by_pseudo(1), -1);
	T_EQ_I(arch_syscall_by_pseudo(-100), -1);
	T_EQ_I(arch_syscall_by_pseudo(-10085), -1);	/* a gap in libseccomp's numbering */
	T_EQ_I(arch_syscall_by_pseudo(INT32_MIN), -1);
	/* libseccomp gave two names -10191; the alphabetically first wins */
	T_EQ_I(arch_syscall_by_pseudo(-10191), arch_syscall_id("switch_endian"));
	for (id = 0; id < arch_syscall_count(); id++) {
		int32_t p = arch_syscall_pseudo(id);
		int absent = 0, a;

		for (a = 0; a < ARCH_COUNT; a++)
			absent |= arch_syscall_nr(a, id) == ARCH_NR_NONE;
		/* every call some ABI lacks needs a pseudo number */
		T_CHECK(!absent || p < 0, "%s lacks a pseudo number", arch_syscall_name(id));
		if (p == 0)
			continue;
		hits++;
		T_CHECK(p < 0, "%s pseudo %d", arch_syscall_name(id), p);
		if (p != -10191)
			T_EQ_I(arch_syscall_by_pseudo(p), id);
	}
	T_CHECK(hits > 240, "only %d pseudo numbers", hits);
	t_end();
}

static void test_kver(void)
{
	int a, id, nonzero = 0;

	t_begin("kernel_versions");
	for (a = 0; a < ARCH_COUNT; a++)
		for (id = 0; id < arch_syscall_count(); id++) {
			int v = arch_syscall_kver(a, id);

			T_CHECK(v >= 0 && v < 10000, "%s %s kver %d", abi_names[a],
				arch_syscall_name(id), v);
			/* a version for a call the ABI lacks makes no sense */
			if (arch_syscall_nr(a, id) == ARCH_NR_NONE)
				T_EQ_I(v, 0);
			nonzero += v != 0;
		}
	T_EQ_I(arch_syscall_kver(ARCH_COUNT, 0), 0);
	T_EQ_I(arch_syscall_kver(ARCH_X86_64, -1), 0);
	printf("# %d (name, ABI) pairs carry a kernel version\n", nonzero);
	t_end();
}

/* ---------------------------------------------------------------------- */
/* The generated header, compiled here for x86_64 with glibc's <asm/unistd.h>. */

static void test_generated_header(void)
{
	t_begin("seccomp_syscalls_h");
	T_EQ_I(__PNR_socket, -101);
	T_EQ_I(__PNR_sendmmsg, -120);
	T_EQ_I(__PNR_semop, -201);
	T_EQ_I(__PNR_shmctl, -224);
	T_EQ_I(__PNR_arch_prctl, -10001);
	T_EQ_I(__PNR_oldwait4, -10146);
	T_EQ_I(__PNR_switch_endian, -10191);
	T_EQ_I(__PNR_sys_debug_setcontext, -10191);
	T_EQ_I(__SNR_read, __NR_read);
	T_EQ_I(__SNR_openat, __NR_openat);
	T_EQ_I(__SNR_socket, __NR_socket);
#if defined(__x86_64__) && !defined(__ILP32__)
	T_EQ_I(__SNR_openat, 257);
	T_EQ_I(__SNR_arch_prctl, 158);
	T_EQ_I(__SNR_socketcall, __PNR_socketcall);
	T_EQ_I(__SNR_ipc, __PNR_ipc);
	T_EQ_I(__SNR_cacheflush, __PNR_cacheflush);
	T_EQ_I(__SNR_breakpoint, __PNR_breakpoint);
	T_EQ_I(__SNR_set_tls, -10183);
	T_EQ_I(__SNR_mmap2, __PNR_mmap2);
	T_EQ_I(__SNR_fstat, __NR_fstat);
#endif
	t_end();
}

/* Every __PNR_ line of the generated header agrees with the tables. */
static void test_header_text(void)
{
	char path[4096], line[512];
	const char *top = getenv("MUZZLE_TOP");
	FILE *f;
	int n = 0, snr = 0;

	snprintf(path, sizeof(path), "%s/include/seccomp-syscalls.h", top ? top : ".");
	f = fopen(path, "r");
	if (!f) {
		t_skip("seccomp_syscalls_h_text", "include/seccomp-syscalls.h not found (set MUZZLE_TOP)");
		return;
	}
	t_begin("seccomp_syscalls_h_text");
	while (fgets(line, sizeof(line), f)) {
		char name[128];
		int val, id;

		if (sscanf(line, "#define __PNR_%127s %d", name, &val) == 2) {
			n++;
			id = arch_syscall_id(name);
			if (strcmp(name, "oldwait4") == 0)
				continue;	/* pseudo number without a syscall */
			T_CHECK(id >= 0 && arch_syscall_pseudo(id) == val,
				"__PNR_%s = %d, table has %d", name, val, arch_syscall_pseudo(id));
		} else if (sscanf(line, "#define __SNR_%127s", name) == 1) {
			snr++;
			T_CHECK(arch_syscall_id(name) >= 0, "__SNR_%s is not a known name", name);
		}
	}
	fclose(f);
	T_CHECK(n > 240, "%d __PNR lines", n);
	T_CHECK(snr >= arch_syscall_count(), "%d __SNR lines for %d names", snr,
		arch_syscall_count());
	t_end();
}

/* ---------------------------------------------------------------------- */
/* Against the source data: every cell of syscalls.csv. */

static const char *const csv_cols[] = {
	"x86", "x86_64", "x32", "arm", "aarch64", "loongarch64", "m68k", "mips",
	"mips64", "mips64n32", "parisc", "parisc64", "ppc", "ppc64", "riscv64",
	"s390", "s390x", "sh",
};

/* the ABIs that read each csv column, and what they add to its numbers */
static int csv_abis(int col, enum arch_id out[2], int32_t *base, uint32_t *orbits)
{
	static const enum arch_id map[][2] = {
		{ ARCH_X86, ARCH_COUNT }, { ARCH_X86_64, ARCH_COUNT }, { ARCH_X32, ARCH_COUNT },
		{ ARCH_ARM, ARCH_COUNT }, { ARCH_AARCH64, ARCH_COUNT },
		{ ARCH_LOONGARCH64, ARCH_COUNT }, { ARCH_M68K, ARCH_COUNT },
		{ ARCH_MIPS, ARCH_MIPSEL }, { ARCH_MIPS64, ARCH_MIPSEL64 },
		{ ARCH_MIPS64N32, ARCH_MIPSEL64N32 }, { ARCH_PARISC, ARCH_COUNT },
		{ ARCH_PARISC64, ARCH_COUNT }, { ARCH_PPC, ARCH_COUNT },
		{ ARCH_PPC64, ARCH_PPC64LE }, { ARCH_RISCV64, ARCH_COUNT },
		{ ARCH_S390, ARCH_COUNT }, { ARCH_S390X, ARCH_COUNT }, { ARCH_SH, ARCH_SHEB },
	};

	out[0] = map[col][0];
	out[1] = map[col][1];
	*base = col == 7 ? 4000 : col == 8 ? 5000 : col == 9 ? 6000 : 0;
	*orbits = col == 2 ? 0x40000000u : 0;
	return out[1] == ARCH_COUNT ? 1 : 2;
}

static void check_csv_row(char *line, int *cells, int *names)
{
	char *save = NULL, *tok = strtok_r(line, ",\n", &save);
	int id, col = 0;

	if (!tok)
		return;
	id = arch_syscall_id(tok);
	if (!T_CHECK(id >= 0, "csv name %s missing from the table", tok))
		return;
	(*names)++;
	while ((tok = strtok_r(NULL, ",\n", &save)) && col < 18) {
		enum arch_id abis[2];
		int32_t base, want;
		uint32_t orbits;
		int k, n = csv_abis(col, abis, &base, &orbits);

		want = strcmp(tok, "PNR") == 0 ? ARCH_NR_NONE :
			(int32_t)(((uint32_t)atoi(tok) + (uint32_t)base) | orbits);
		for (k = 0; k < n; k++) {
			T_CHECK(arch_syscall_nr(abis[k], id) == want, "%s on %s: %d, csv %s",
				arch_syscall_name(id), abi_names[abis[k]],
				arch_syscall_nr(abis[k], id), tok);
			(*cells)++;
		}
		col++;
		strtok_r(NULL, ",\n", &save);	/* the _kver column */
	}
	T_CHECK(col == 18, "%s: %d columns", arch_syscall_name(id), col);
}

static void test_against_csv(void)
{
	char path[4096], line[4096];
	const char *top = getenv("MUZZLE_TOP");
	FILE *f;
	int cells = 0, names = 0, i;

	snprintf(path, sizeof(path), "%s/../shared/syscalls/syscalls.csv", top ? top : ".");
	f = fopen(path, "r");
	if (!f) {
		t_skip("tables_match_csv", "../shared/syscalls/syscalls.csv not found");
		return;
	}
	t_begin("tables_match_csv");
	if (fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok = strtok_r(line, ",\n", &save);

		/* the header names the columns in the order csv_abis() assumes */
		for (i = 0; i < 18 && tok; i++) {
			char kver[64];

			tok = strtok_r(NULL, ",\n", &save);
			T_CHECK(tok && strcmp(tok, csv_cols[i]) == 0, "column %d is %s, not %s",
				i, tok ? tok : "(none)", csv_cols[i]);
			tok = strtok_r(NULL, ",\n", &save);
			snprintf(kver, sizeof(kver), "%s_kver", csv_cols[i]);
			T_CHECK(tok && strcmp(tok, kver) == 0, "column %d is not %s", i, kver);
		}
		T_EQ_I(i, 18);
	}
	while (fgets(line, sizeof(line), f))
		check_csv_row(line, &cells, &names);
	fclose(f);
	T_EQ_I(names, arch_syscall_count());
	printf("# %d csv cells checked for %d names\n", cells, names);
	t_end();
}

/* ---------------------------------------------------------------------- */
/* Against the build machine's kernel headers (glibc's asm/unistd_*.h): a
 * third, independent source for x86, x86_64 and x32.  Those headers are older
 * than the csv, so every name they have must match; names they lack are not
 * checked. */

static void check_unistd(const char *file, enum arch_id a, uint32_t orbits, int *n)
{
	char path[256], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/usr/include/x86_64-linux-gnu/asm/%s", file);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char name[128];
		int nr, id;

		if (sscanf(line, "#define __NR_%127s %d", name, &nr) != 2)
			continue;
		id = arch_syscall_id(name);
		if (!T_CHECK(id >= 0, "%s: __NR_%s unknown", file, name))
			continue;
		T_CHECK(arch_syscall_nr(a, id) == (int32_t)((uint32_t)nr | orbits),
			"%s: %s is %d, table %d", file, name, nr, arch_syscall_nr(a, id));
		(*n)++;
	}
	fclose(f);
}

static void test_against_kernel_headers(void)
{
	int n = 0;

	t_begin("tables_match_kernel_headers");
	check_unistd("unistd_64.h", ARCH_X86_64, 0, &n);
	check_unistd("unistd_32.h", ARCH_X86, 0, &n);
	/* unistd_x32.h writes (__X32_SYSCALL_BIT + n), which sscanf cannot read */
	if (n == 0) {
		t_st.name = NULL;
		t_skip("tables_match_kernel_headers", "no asm/unistd_{32,64}.h here");
		return;
	}
	printf("# %d kernel header numbers matched\n", n);
	t_end();
}

/* ---------------------------------------------------------------------- */
/* Differential test against the system's libseccomp (2.5.4 on Debian 12). */

typedef int (*resolve_name_arch_fn)(uint32_t, const char *);
typedef char *(*resolve_num_arch_fn)(uint32_t, int);
typedef uint32_t (*arch_resolve_name_fn)(const char *);

struct peer {
	void *handle;
	resolve_name_arch_fn name_arch;
	resolve_num_arch_fn num_arch;
	arch_resolve_name_fn arch_name;
};

struct diff_counts {
	int compared, newer_name, newer_on_abi, known_change, reverse;
};

/* Facts where the csv (kernel 7.1) and 2.5.4 (kernel 6.x era) rightly
 * disagree: the kernel changed.  Each is listed, not matched by a rule. */
static const struct {
	enum arch_id abi;
	const char *name;
	const char *why;
} known_changes[] = {
	{ ARCH_PARISC64, "_llseek", "the kernel's unified syscall tables (6.11) made _llseek 32-bit only" },
};

static int is_known_change(enum arch_id a, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(known_changes) / sizeof(known_changes[0]); i++)
		if (known_changes[i].abi == a && strcmp(known_changes[i].name, name) == 0)
			return 1;
	return 0;
}

static int peer_open(struct peer *p)
{
	p->handle = dlopen("libseccomp.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!p->handle)
		return -1;
	p->name_arch = (resolve_name_arch_fn)dlsym(p->handle, "seccomp_syscall_resolve_name_arch");
	p->num_arch = (resolve_num_arch_fn)dlsym(p->handle, "seccomp_syscall_resolve_num_arch");
	p->arch_name = (arch_resolve_name_fn)dlsym(p->handle, "seccomp_arch_resolve_name");
	if (!p->name_arch || !p->num_arch || !p->arch_name) {
		dlclose(p->handle);
		return -1;
	}
	return 0;
}

/* Does the peer know the name at all (on any ABI it supports)? */
static int peer_knows(const struct peer *p, const uint32_t *tok, const char *name)
{
	int a;

	for (a = 0; a < ARCH_COUNT; a++)
		if (tok[a] && p->name_arch(tok[a], name) != -1)
			return 1;
	return 0;
}

/* The peer has no syscall at this number on the ABI: its table is older. */
static int peer_nr_unused(const struct peer *p, uint32_t tok, int32_t nr)
{
	char *name = p->num_arch(tok, nr);

	free(name);
	return name == NULL;
}

static void diff_one(const struct peer *p, enum arch_id a, uint32_t tok, int id,
		     const uint32_t *toks, struct diff_counts *c)
{
	const char *name = arch_syscall_name(id);
	int32_t mine = arch_syscall_scmp_nr(a, id), nr = arch_syscall_nr(a, id);
	int theirs = p->name_arch(tok, name);

	if (theirs == mine) {
		c->compared++;
	} else if (!peer_knows(p, toks, name)) {
		c->newer_name++;	/* a syscall newer than the peer */
	} else if (nr >= 0 && (theirs == -1 || theirs == arch_syscall_pseudo(id)) &&
		   peer_nr_unused(p, tok, nr)) {
		c->newer_on_abi++;	/* newer than the peer on this ABI only */
	} else if (is_known_change(a, name)) {
		c->known_change++;
	} else {
		T_CHECK(0, "%s on %s: libseccomp %d, muzzle %d", name, abi_names[a], theirs, mine);
	}
	if (nr >= 0) {
		char *back = p->num_arch(tok, nr);

		if (back) {
			T_CHECK(strcmp(back, name) == 0, "%s nr %d: libseccomp says %s",
				abi_names[a], nr, back);
			c->reverse++;
		}
		free(back);
	}
}

static void test_differential(void)
{
	struct peer p;
	struct diff_counts c = { 0 };
	uint32_t toks[ARCH_COUNT];
	int a, id, abis = 0;

	if (peer_open(&p) != 0) {
		t_skip("differential_libseccomp", "libseccomp.so.2 not loadable");
		return;
	}
	t_begin("differential_libseccomp");
	for (a = 0; a < ARCH_COUNT; a++) {
		toks[a] = p.arch_name(abi_names[a]);
		if (toks[a]) {
			T_CHECK(toks[a] == arch_get(a)->scmp_token, "%s: token 0x%x vs 0x%x",
				abi_names[a], toks[a], arch_get(a)->scmp_token);
			abis++;
		} else {
			char name[64];

			snprintf(name, sizeof(name), "differential_libseccomp_%s", abi_names[a]);
			t_skip(name, "the system's libseccomp does not know this ABI");
		}
	}
	for (a = 0; a < ARCH_COUNT; a++) {
		if (!toks[a])
			continue;
		for (id = 0; id < arch_syscall_count(); id++)
			diff_one(&p, a, toks[a], id, toks, &c);
	}
	T_CHECK(abis >= 19, "libseccomp knows only %d of our ABIs", abis);
	T_CHECK(c.compared > 8000, "only %d cases compared", c.compared);
	T_CHECK(c.newer_on_abi < 10, "%d calls newer on one ABI: too many to be new", c.newer_on_abi);
	printf("# libseccomp diff: %d ABIs, %d equal, %d reverse lookups equal; skipped: %d newer "
	       "names, %d newer on one ABI, %d known kernel changes, %d ABIs\n", abis, c.compared,
	       c.reverse, c.newer_name, c.newer_on_abi, c.known_change, ARCH_COUNT - abis);
	dlclose(p.handle);
	t_end();
}

/* __PNR_* of the header = what the peer answers for a name an ABI lacks. */
static void test_pnr_vs_peer(void)
{
	struct peer p;
	uint32_t toks[ARCH_COUNT];
	int a, id, checked = 0, unknown = 0;

	if (peer_open(&p) != 0) {
		t_skip("pnr_matches_libseccomp", "libseccomp.so.2 not loadable");
		return;
	}
	t_begin("pnr_matches_libseccomp");
	for (a = 0; a < ARCH_COUNT; a++)
		toks[a] = p.arch_name(abi_names[a]);
	for (id = 0; id < arch_syscall_count(); id++) {
		int32_t pn = arch_syscall_pseudo(id);
		int seen = 0;

		if (pn == 0)
			continue;
		for (a = 0; a < ARCH_COUNT && !seen; a++) {
			int v;

			if (!toks[a] || arch_syscall_scmp_nr(a, id) != pn)
				continue;
			v = p.name_arch(toks[a], arch_syscall_name(id));
			if (v == -1)
				continue;	/* the peer does not know the name */
			if (is_known_change(a, arch_syscall_name(id)))
				continue;
			T_CHECK(v == pn, "%s on %s: libseccomp %d, __PNR %d",
				arch_syscall_name(id), abi_names[a], v, pn);
			seen = 1;
		}
		if (seen)
			checked++;
		else
			unknown++;
	}
	T_CHECK(checked > 200, "only %d pseudo numbers checked", checked);
	printf("# %d pseudo numbers confirmed by libseccomp, %d unknown to it\n", checked, unknown);
	dlclose(p.handle);
	t_end();
}

int main(void)
{
	test_names_sorted_unique();
	test_round_trips();
	test_reverse_misses();
	test_known_values();
	test_twins();
	test_descriptors();
	test_by_name();
	test_by_token();
	test_mux();
	test_pseudo();
	test_kver();
	test_generated_header();
	test_header_text();
	test_against_csv();
	test_against_kernel_headers();
	test_differential();
	test_pnr_vs_peer();
	return t_done();
}
