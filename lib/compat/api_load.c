/* libseccomp API: compiling (precompute), loading and exporting. */
#include "compat/compat.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat/pfc.h"
#include "compile/compile.h"
#include "load/load.h"

int compat_sys_rc(const struct scmp_ctx *c, int rc)
{
	if (rc >= 0)
		return rc;
	return c->sysrawrc ? rc : -ECANCELED;
}

/* Priorities become compiler weights (same order: higher first). */
static uint32_t *priority_weights(const struct policy *p)
{
	size_t n = (size_t)arch_syscall_count();
	uint32_t *w;

	if (!p->priority)
		return NULL;
	w = calloc(n, sizeof(*w));
	if (w)
		for (size_t i = 0; i < n; i++)
			w[i] = p->priority[i];
	return w;
}

int compat_compile(struct scmp_ctx *c, struct bpf_prog *out)
{
	struct compile_options opts = { 0 };
	struct muzzle_error err;
	uint32_t *weights = NULL;
	int rc;

	if (!c->pol.arches)
		return -EINVAL;
	if (c->pol.priority) {
		weights = priority_weights(&c->pol);
		if (!weights)
			return -ENOMEM;
		opts.weights = weights;
	}
	muzzle_error_clear(&err);
	rc = compile_policy(&c->pol, &opts, out, NULL, &err);
	free(weights);
	if (rc == 0 || rc == -ENOMEM)
		return rc;
	/* a policy the API accepted but the compiler cannot build (too many
	 * instructions): libseccomp calls this an internal failure */
	return -EFAULT;
}

/* The program for ctx: the precomputed one, or a fresh compile into tmp. */
static int get_prog(struct scmp_ctx *c, struct bpf_prog *tmp, const struct bpf_prog **prog)
{
	int rc;

	if (c->cached) {
		*prog = &c->cache;
		return 0;
	}
	bpf_prog_init(tmp);
	rc = compat_compile(c, tmp);
	if (rc) {
		bpf_prog_free(tmp);
		return rc;
	}
	*prog = tmp;
	return 0;
}

int seccomp_precompute(const scmp_filter_ctx ctx)
{
	struct scmp_ctx *c = ctx_of(ctx);
	struct bpf_prog p;
	int rc;

	if (!c)
		return -EINVAL;
	if (c->cached)
		return 0;
	bpf_prog_init(&p);
	rc = compat_compile(c, &p);
	if (rc) {
		bpf_prog_free(&p);
		return rc;
	}
	c->cache = p;
	c->cached = 1;
	return 0;
}

static int uses_notify(const struct policy *p)
{
	if (p->default_action == POLICY_ACT_USER_NOTIF ||
	    p->badarch_action == POLICY_ACT_USER_NOTIF)
		return 1;
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].action == POLICY_ACT_USER_NOTIF)
			return 1;
	return 0;
}

/* The seccomp(2) flags the attributes ask for.  A listener is requested
 * once per context: the kernel allows one per filter tree. */
static uint32_t load_flags(const struct scmp_ctx *c)
{
	uint32_t f = c->pol.flags & (POLICY_FLAG_TSYNC | POLICY_FLAG_LOG |
				     POLICY_FLAG_SPEC_ALLOW);

	if (uses_notify(&c->pol) && c->notify_fd < 0) {
		f |= POLICY_FLAG_NEW_LISTENER;
		if (f & POLICY_FLAG_TSYNC)
			f |= POLICY_FLAG_TSYNC_ESRCH;
		f |= c->pol.flags & POLICY_FLAG_WAIT_KILLABLE_RECV;
	}
	return f;
}

int seccomp_load(const scmp_filter_ctx ctx)
{
	struct scmp_ctx *c = ctx_of(ctx);
	const struct bpf_prog *prog;
	struct bpf_prog tmp;
	uint32_t flags;
	int rc;

	if (!c)
		return -EINVAL;
	rc = get_prog(c, &tmp, &prog);
	if (rc)
		return rc;
	flags = load_flags(c);
	rc = load_filter(prog->insns, prog->len, flags, c->pol.no_new_privs);
	if (prog == &tmp)
		bpf_prog_free(&tmp);
	if (rc < 0)
		return compat_sys_rc(c, rc);
	if (flags & POLICY_FLAG_NEW_LISTENER)
		c->notify_fd = rc;
	else if (rc > 0)	/* TSYNC: the id of a thread that could not sync */
		return compat_sys_rc(c, -ESRCH);
	return 0;
}

/* libseccomp writes a filter in its ABIs' byte order, so that a filter for
 * a big-endian machine can be built here: a context's ABIs share one byte
 * order (seccomp_arch_add enforces it). */
static int foreign_order(const struct scmp_ctx *c)
{
	int host_big = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

	return c->pol.arches && !compat_arches_endian(c->pol.arches, host_big);
}

/* A copy of prog with code and k byte-swapped when the ABIs want it; NULL
 * (and *tmp untouched) when no copy is needed. */
static const struct sock_filter *in_abi_order(const struct scmp_ctx *c,
					      const struct bpf_prog *prog,
					      struct sock_filter **tmp)
{
	*tmp = NULL;
	if (!foreign_order(c))
		return prog->insns;
	*tmp = malloc(prog->len * sizeof(**tmp));
	if (!*tmp)
		return NULL;
	for (size_t i = 0; i < prog->len; i++) {
		(*tmp)[i] = prog->insns[i];
		(*tmp)[i].code = __builtin_bswap16(prog->insns[i].code);
		(*tmp)[i].k = __builtin_bswap32(prog->insns[i].k);
	}
	return *tmp;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int seccomp_export_bpf(const scmp_filter_ctx ctx, int fd)
{
	struct scmp_ctx *c = ctx_of(ctx);
	const struct bpf_prog *prog;
	const struct sock_filter *out;
	struct sock_filter *swapped;
	struct bpf_prog tmp;
	int rc;

	if (!c)
		return -EINVAL;
	rc = get_prog(c, &tmp, &prog);
	if (rc)
		return rc;
	out = in_abi_order(c, prog, &swapped);
	if (out)
		rc = compat_sys_rc(c, write_all(fd, out, prog->len * sizeof(*out)));
	else
		rc = -ENOMEM;
	free(swapped);
	if (prog == &tmp)
		bpf_prog_free(&tmp);
	return rc;
}

/* *len is the buffer size on input and the program size on output, also
 * when the buffer is too small (-ERANGE), so callers can size a buffer. */
int seccomp_export_bpf_mem(const scmp_filter_ctx ctx, void *buf, size_t *len)
{
	struct scmp_ctx *c = ctx_of(ctx);
	const struct bpf_prog *prog;
	const struct sock_filter *out;
	struct sock_filter *swapped = NULL;
	struct bpf_prog tmp;
	size_t size, room;
	int rc;

	if (!c || !len)
		return -EINVAL;
	rc = get_prog(c, &tmp, &prog);
	if (rc)
		return rc;
	size = prog->len * sizeof(prog->insns[0]);
	room = *len;
	*len = size;
	if (!buf || room < size)
		rc = -ERANGE;
	else if (!(out = in_abi_order(c, prog, &swapped)))
		rc = -ENOMEM;
	else
		memcpy(buf, out, size);
	free(swapped);
	if (prog == &tmp)
		bpf_prog_free(&tmp);
	return rc;
}

int seccomp_export_pfc(const scmp_filter_ctx ctx, int fd)
{
	struct scmp_ctx *c = ctx_of(ctx);
	FILE *f;
	int dfd, rc;

	if (!c)
		return -EINVAL;
	dfd = dup(fd);
	if (dfd < 0)
		return compat_sys_rc(c, -errno);
	f = fdopen(dfd, "w");
	if (!f) {
		rc = -errno;
		close(dfd);
		return compat_sys_rc(c, rc);
	}
	rc = policy_pfc_write(f, &c->pol);
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return compat_sys_rc(c, rc);
}
