/* Putting a filter into the kernel: seccomp(2) with flags, no_new_privs,
 * strict mode, and user-notification helpers. */
#ifndef MUZZLE_LOAD_H
#define MUZZLE_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* Set PR_SET_NO_NEW_PRIVS when nnp, then seccomp(SECCOMP_SET_MODE_FILTER,
 * flags, prog).  Returns >= 0 (a listener fd when flags has NEW_LISTENER, else 0)
 * or a negative errno.  Falls back to prctl(PR_SET_SECCOMP) when flags == 0
 * and seccomp(2) is missing (ENOSYS). */
int load_filter(const struct sock_filter *insns, size_t len, uint32_t flags, int nnp);
/* prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT): 0 or negative errno */
int load_strict(void);
/* What the running kernel supports: 1/0, negative errno if unknown. */
int load_action_available(uint32_t action);	/* SECCOMP_GET_ACTION_AVAIL */
int load_flag_available(uint32_t flag);		/* probes with an invalid filter */
/* SECCOMP_GET_NOTIF_SIZES */
int load_notif_sizes(struct seccomp_notif_sizes *sizes);

#endif
