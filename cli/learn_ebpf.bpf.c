/* muzzle learn --backend ebpf: the BPF side.
 *
 * Counts the syscalls of the processes in `procs` (keyed by tgid, so every
 * thread is covered) in `counts`, keyed by (ABI, number).  A process is put
 * in `procs` by muzzle (the command's first process, WAITING until its first
 * execve so muzzle's own calls before it are not learned) or here when a
 * traced process forks.  Whatever cannot be recorded (a full map) is counted
 * in `lost`: muzzle then writes no profile rather than an incomplete one.
 *
 * Kernel structures are declared here with only the fields read, and located
 * at load time through the kernel's BTF (CO-RE): no vmlinux.h is needed. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "learn_ebpf_shared.h"

typedef struct {
	int counter;
} atomic_t;

struct thread_info {
	__u32 status;
} __attribute__((preserve_access_index));

struct signal_struct {
	atomic_t live;
} __attribute__((preserve_access_index));

struct task_struct {
	struct thread_info thread_info;
	int pid;
	int tgid;
	struct signal_struct *signal;
} __attribute__((preserve_access_index));

/* x86: set while the current syscall came in through a 32-bit entry */
#define TS_COMPAT 0x0002

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LEARN_EBPF_MAX_PROCS);
	__type(key, __u32);
	__type(value, __u32);
} procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LEARN_EBPF_MAX_CALLS);
	__type(key, struct learn_ebpf_key);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* Set by muzzle before loading: the native execve numbers. */
const volatile struct learn_ebpf_config config = { 0 };

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);

	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline void count_call(__u32 abi, __u32 nr)
{
	struct learn_ebpf_key key = { .abi = abi, .nr = nr };
	__u64 one = 1, *n = bpf_map_lookup_elem(&counts, &key);

	if (n) {
		__sync_fetch_and_add(n, 1);
		return;
	}
	/* another CPU may have added it meanwhile: then count on its entry */
	if (bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST) == 0)
		return;
	n = bpf_map_lookup_elem(&counts, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		count_lost();
}

static __always_inline int is_exec(__u32 abi, __u32 nr)
{
	return abi == LEARN_EBPF_NATIVE && (nr == config.execve_nr || nr == config.execveat_nr);
}

/* The calling process's state in procs, or NULL: the one lookup every
 * syscall on the machine pays. */
static __always_inline __u32 *traced(void)
{
	__u32 tgid = (__u32)(bpf_get_current_pid_tgid() >> 32);

	return bpf_map_lookup_elem(&procs, &tgid);
}

static __always_inline int record(__u32 *state, __u32 abi, __u32 nr)
{
	if (*state == LEARN_EBPF_WAITING) {
		if (!is_exec(abi, nr))
			return 0;
		*state = LEARN_EBPF_ARMED;
	}
	count_call(abi, nr);
	return 0;
}

/* args: struct pt_regs *, long nr */
SEC("raw_tp/sys_enter")
int sys_enter_x86(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *t;
	__u32 *state = traced();

	if (!state)
		return 0;
	t = (struct task_struct *)bpf_get_current_task();
	return record(state, BPF_CORE_READ(t, thread_info.status) & TS_COMPAT ?
			     LEARN_EBPF_COMPAT : LEARN_EBPF_NATIVE, (__u32)ctx->args[1]);
}

/* Other machines: every call counts as the native ABI's. */
SEC("raw_tp/sys_enter")
int sys_enter_native(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 *state = traced();

	return state ? record(state, LEARN_EBPF_NATIVE, (__u32)ctx->args[1]) : 0;
}

/* args: parent task, child task.  Runs before the child is first scheduled,
 * so none of its calls is missed.  A new thread has its parent's tgid. */
SEC("raw_tp/sched_process_fork")
int process_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 parent = (__u32)(bpf_get_current_pid_tgid() >> 32);
	__u32 tgid = (__u32)BPF_CORE_READ(child, tgid);
	__u32 *state = bpf_map_lookup_elem(&procs, &parent);

	if (!state || tgid == parent)
		return 0;
	if (bpf_map_update_elem(&procs, &tgid, state, BPF_ANY))
		count_lost();
	return 0;
}

/* args: the exiting task.  When its thread group has no live thread left the
 * tgid is dropped, so a pid reused by an unrelated process is not learned. */
SEC("raw_tp/sched_process_exit")
int process_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *t = (struct task_struct *)ctx->args[0];
	__u32 tgid = (__u32)BPF_CORE_READ(t, tgid);

	if (!bpf_map_lookup_elem(&procs, &tgid))
		return 0;
	if (BPF_CORE_READ(t, signal, live.counter) == 0)
		bpf_map_delete_elem(&procs, &tgid);
	return 0;
}

/* bpf_get_current_task and the CO-RE reads are for GPL-compatible programs only */
char LICENSE[] SEC("license") = "Dual BSD/GPL";
