/* libmuzzle's own public API, beyond the libseccomp-compatible seccomp.h.
 * Kept deliberately small; the policy model and compiler are internal. */
#ifndef MUZZLE_H
#define MUZZLE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MUZZLE_VERSION_MAJOR 0
#define MUZZLE_VERSION_MINOR 1
#define MUZZLE_VERSION_MICRO 0

/* "0.1.0": the library's version (not the libseccomp API level). */
const char *muzzle_version(void);

/* SECCOMP_IOCTL_NOTIF_ADDFD, which libseccomp has no call for: install a
 * copy of srcfd in the process behind notification `id`, as newfd when
 * newfd >= 0 (replacing what is there), else as the lowest free number.
 * fd_flags is O_CLOEXEC or 0.  Returns the number in the target process or
 * a negative errno. */
int muzzle_notify_addfd(int notify_fd, uint64_t id, int srcfd, int newfd, uint32_t fd_flags);

#ifdef __cplusplus
}
#endif

#endif
