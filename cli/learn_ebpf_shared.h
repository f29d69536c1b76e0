/* What muzzle and its BPF recorder (learn_ebpf.bpf.c) agree on: map layouts,
 * states and the configuration set before loading. */
#ifndef MUZZLE_LEARN_EBPF_SHARED_H
#define MUZZLE_LEARN_EBPF_SHARED_H

#include <linux/types.h>

/* traced processes at once; syscalls told apart (ABI x number) */
#define LEARN_EBPF_MAX_PROCS 32768
#define LEARN_EBPF_MAX_CALLS 8192

/* procs values: the command's first process waits for its execve */
enum { LEARN_EBPF_WAITING = 1, LEARN_EBPF_ARMED = 2 };

/* counts keys: the entry a call came through */
enum { LEARN_EBPF_NATIVE = 0, LEARN_EBPF_COMPAT = 1 };

struct learn_ebpf_key {
	__u32 abi;
	__u32 nr;	/* as the kernel saw it: x32 calls keep their 0x40000000 bit */
};

struct learn_ebpf_config {
	__u32 execve_nr, execveat_nr;
};

#endif
