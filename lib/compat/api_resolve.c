/* libseccomp API: syscall names <-> numbers per ABI. */
#include "compat/compat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The number for a name on an ABI as libseccomp reports it, else
 * __NR_SCMP_ERROR. */
static int name_to_nr(const struct arch_desc *a, const char *name, int *id_out)
{
	int id;
	int32_t nr;

	if (!a || !name)
		return __NR_SCMP_ERROR;
	id = arch_syscall_id(name);
	if (id < 0)
		return __NR_SCMP_ERROR;
	*id_out = id;
	/* libseccomp's answer: multiplexed calls on socketcall/ipc ABIs give
	 * their pseudo number even where a direct syscall exists */
	nr = arch_syscall_scmp_nr(a->id, id);
	return nr != ARCH_NR_NONE ? nr : __NR_SCMP_ERROR;
}

int seccomp_syscall_resolve_name_arch(uint32_t arch_token, const char *name)
{
	int id;

	return name_to_nr(compat_arch(arch_token), name, &id);
}

int seccomp_syscall_resolve_name(const char *name)
{
	return seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);
}

/* As resolve_name_arch, but a call the ABI only has through socketcall(2)
 * or ipc(2) resolves to the multiplexer. */
int seccomp_syscall_resolve_name_rewrite(uint32_t arch_token, const char *name)
{
	const struct arch_desc *a = compat_arch(arch_token);
	int id = -1;
	int nr = name_to_nr(a, name, &id);
	uint32_t call;

	if (nr >= 0 || nr == __NR_SCMP_ERROR)
		return nr;
	switch (arch_mux_lookup(a->id, id, &call)) {
	case ARCH_MUX_SOCKETCALL:
		return a->socketcall_nr;
	case ARCH_MUX_IPC:
		return a->ipc_nr;
	default:
		return nr;
	}
}

/* Returns a malloc'ed name or NULL.  On x32 the number may be given with
 * or without the x32 bit; a pseudo number names the call it stands for on
 * an ABI that lacks that call. */
char *seccomp_syscall_resolve_num_arch(uint32_t arch_token, int num)
{
	const struct arch_desc *a = compat_arch(arch_token);
	uint32_t nr = (uint32_t)num;
	int id;

	if (!a)
		return NULL;
	if (num < 0) {
		id = arch_syscall_by_pseudo(num);
		if (id < 0 || arch_syscall_scmp_nr(a->id, id) != num)
			return NULL;
	} else {
		if (a->id == ARCH_X32)
			nr |= ARCH_X32_SYSCALL_BIT;
		id = arch_syscall_by_nr(a->id, nr);
		if (id < 0)
			return NULL;
	}
	return strdup(arch_syscall_name(id));
}
