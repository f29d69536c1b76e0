/* libseccomp API: user-space notification (SECCOMP_RET_USER_NOTIF). */
#include "compat/compat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "muzzle.h"
#include "load/load.h"

/* Before Linux 5.17 ID_VALID had the wrong direction bit; accept both. */
#define OLD_IOCTL_NOTIF_ID_VALID _IOR(SECCOMP_IOC_MAGIC, 2, __u64)

/* The kernel's structures may be larger than the ones we were compiled
 * with; allocate and clear the larger size. */
static int notif_sizes(struct seccomp_notif_sizes *s)
{
	if (load_notif_sizes(s) < 0)
		return -ECANCELED;
	if (s->seccomp_notif < sizeof(struct seccomp_notif))
		s->seccomp_notif = sizeof(struct seccomp_notif);
	if (s->seccomp_notif_resp < sizeof(struct seccomp_notif_resp))
		s->seccomp_notif_resp = sizeof(struct seccomp_notif_resp);
	return 0;
}

int seccomp_notify_alloc(struct seccomp_notif **req, struct seccomp_notif_resp **resp)
{
	struct seccomp_notif_sizes s;
	int rc = notif_sizes(&s);

	if (rc)
		return rc;
	if (req) {
		*req = calloc(1, s.seccomp_notif);
		if (!*req)
			return -ENOMEM;
	}
	if (resp) {
		*resp = calloc(1, s.seccomp_notif_resp);
		if (!*resp) {
			if (req) {
				free(*req);
				*req = NULL;
			}
			return -ENOMEM;
		}
	}
	return 0;
}

void seccomp_notify_free(struct seccomp_notif *req, struct seccomp_notif_resp *resp)
{
	free(req);
	free(resp);
}

/* The kernel insists on a zeroed request buffer. */
int seccomp_notify_receive(int fd, struct seccomp_notif *req)
{
	struct seccomp_notif_sizes s;

	if (!req || notif_sizes(&s))
		return -ECANCELED;
	memset(req, 0, s.seccomp_notif);
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
		return -ECANCELED;
	return 0;
}

int seccomp_notify_respond(int fd, struct seccomp_notif_resp *resp)
{
	if (!resp || ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0)
		return -ECANCELED;
	return 0;
}

int seccomp_notify_id_valid(int fd, uint64_t id)
{
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0)
		return 0;
	if (errno == EINVAL || errno == ENOTTY)
		if (ioctl(fd, OLD_IOCTL_NOTIF_ID_VALID, &id) == 0)
			return 0;
	return -ENOENT;
}

/* libseccomp 2.5 returns -EFAULT before a listener exists; kept. */
int seccomp_notify_fd(const scmp_filter_ctx ctx)
{
	const struct scmp_ctx *c = ctx_of(ctx);

	if (!c)
		return -EINVAL;
	return c->notify_fd >= 0 ? c->notify_fd : -EFAULT;
}

int muzzle_notify_addfd(int fd, uint64_t id, int srcfd, int newfd, uint32_t fd_flags)
{
	struct seccomp_notif_addfd a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.srcfd = (uint32_t)srcfd;
	a.newfd = newfd >= 0 ? (uint32_t)newfd : 0;
	a.flags = newfd >= 0 ? SECCOMP_ADDFD_FLAG_SETFD : 0;
	a.newfd_flags = fd_flags;
	rc = ioctl(fd, SECCOMP_IOCTL_NOTIF_ADDFD, &a);
	return rc < 0 ? -errno : rc;
}
