/* muzzle learn --backend ebpf: record a command's syscalls with a BPF program
 * on the sys_enter raw tracepoint instead of a seccomp filter. */
#ifndef MUZZLE_LEARN_EBPF_H
#define MUZZLE_LEARN_EBPF_H

#include <linux/seccomp.h>

/* A syscall the command made (d->arch and d->nr as seccomp would have seen
 * them; no arguments) and how many times. */
typedef void (*learn_ebpf_add_fn)(void *ctx, const struct seccomp_data *d, unsigned long count);

/* Runs argv (and its threads and descendants, until all have exited) with
 * the recorder attached, then calls add for each syscall seen.  Returns the
 * command's status as a shell reports it, or minus an exit code after an
 * error line when there is nothing to learn from (the recorder could not be
 * loaded, the command could not be started, a map overflowed). */
int learn_ebpf_record(const char *sub, char **argv, learn_ebpf_add_fn add, void *ctx);

#endif
