/* The guard filter the live tests stack after a filter under test: it lets
 * through only what the child needs to report and leave, and answers
 * SECCOMP_RET_TRACE to everything else.  The kernel takes the strictest
 * verdict, and TRACE with no tracer fails a call with ENOSYS without running
 * it, so no call under test ever executes.  x86_64 only. */
#ifndef MUZZLE_LIVE_GUARD_H
#define MUZZLE_LIVE_GUARD_H

#include <stddef.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>

#include "arch/arch.h"
#include "policy/policy.h"

static const struct sock_filter live_guard[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 6),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 5, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_rt_sigreturn, 4, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 3, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 2, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

#define LIVE_GUARD_LEN (sizeof(live_guard) / sizeof(live_guard[0]))

/* x86_64 calls the guard lets through: their verdicts cannot be observed. */
static inline int live_guarded(uint32_t nr)
{
	return nr == __NR_exit_group || nr == __NR_rt_sigreturn || nr == __NR_prctl ||
	       nr == __NR_seccomp;
}

/* Calls the kernel lets through without consulting seccomp at all (Linux
 * 6.11+ passes uretprobe, and later uprobe, through: they only work from the
 * probe trampoline).  No filter can decide them; they are checked apart.
 * The kernel compares the raw number, so x32 and i386 numbers are filtered. */
static inline int live_bypassed(enum arch_id abi, uint32_t nr)
{
	int id = arch_syscall_by_nr(abi, nr);

	if (id < 0 || abi != ARCH_X86_64)
		return 0;
	return !strcmp(arch_syscall_name(id), "uretprobe") ||
	       !strcmp(arch_syscall_name(id), "uprobe");
}

/* How a child that made one call under test reports it: its exit status
 * (the call's errno, TRAP_EXIT from the SIGSYS handler, CLASS_PASS when the
 * guard's ENOSYS shows the filter let it through) or, when it was killed,
 * CLASS_KILL; CLASS_BROKEN + signal for any other death. */
#define TRAP_EXIT 250
#define CLASS_PASS 38
#define CLASS_KILL 1000
#define CLASS_BROKEN 2000

/* the report an action should produce */
static inline int expected_class(uint32_t action)
{
	switch (POLICY_ACT_KIND(action)) {
	case POLICY_ACT_KILL_PROCESS:
	case POLICY_ACT_KILL_THREAD:
		return CLASS_KILL;
	case POLICY_ACT_TRAP:
		return TRAP_EXIT;
	case POLICY_ACT_ERRNO(0):
		return POLICY_ACT_DATA(action) & 0xff;
	default:
		return CLASS_PASS;
	}
}

#endif
