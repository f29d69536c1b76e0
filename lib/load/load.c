/* seccomp(2) and prctl(2) wrappers: the only place libmuzzle enters the
 * kernel's seccomp interface. */
#include "load/load.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_GET_NOTIF_SIZES
#define SECCOMP_GET_NOTIF_SIZES 3
#endif

/* libc has no seccomp() wrapper on older glibc; call it directly. */
static long sys_seccomp(unsigned op, unsigned flags, void *arg)
{
	return syscall(__NR_seccomp, op, flags, arg);
}

static int neg_errno(long rc)
{
	return rc < 0 ? -errno : (int)rc;
}

int load_filter(const struct sock_filter *insns, size_t len, uint32_t flags, int nnp)
{
	struct sock_fprog prog = {
		.len = (unsigned short)len,
		.filter = (struct sock_filter *)insns,
	};
	long rc;

	/* the kernel takes a 16-bit length: refuse what would be truncated */
	if (!insns || len == 0 || len > 0xffff)
		return -EINVAL;
	if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	rc = sys_seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (rc < 0 && errno == ENOSYS && flags == 0)
		rc = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
	return neg_errno(rc);
}

int load_strict(void)
{
	return neg_errno(prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0));
}

int load_action_available(uint32_t action)
{
	if (sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0)
		return 1;
	/* EOPNOTSUPP: the kernel knows the operation but not the action */
	if (errno == EOPNOTSUPP)
		return 0;
	return -errno;
}

int load_flag_available(uint32_t flag)
{
	long rc;

	/* The kernel accepts WAIT_KILLABLE_RECV only with a listener. */
	if (flag & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
		flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
	/* A NULL program makes the kernel fail after checking the flags:
	 * EFAULT means the flags passed, EINVAL means one was refused. */
	rc = sys_seccomp(SECCOMP_SET_MODE_FILTER, flag, NULL);
	if (rc == 0)
		return -EIO;	/* cannot happen with a NULL program */
	if (errno == EFAULT)
		return 1;
	if (errno == EINVAL)
		return 0;
	return -errno;
}

int load_notif_sizes(struct seccomp_notif_sizes *sizes)
{
	return neg_errno(sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, sizes));
}
