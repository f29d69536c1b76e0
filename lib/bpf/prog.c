/* The program type and the raw struct sock_filter byte format. */
#include "bpf/bpf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void bpf_prog_init(struct bpf_prog *p)
{
	p->insns = NULL;
	p->len = p->cap = 0;
}

void bpf_prog_free(struct bpf_prog *p)
{
	free(p->insns);
	bpf_prog_init(p);
}

static int grow(struct bpf_prog *p, size_t need)
{
	size_t cap = p->cap ? p->cap : 64;
	struct sock_filter *n;

	if (need <= p->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	n = realloc(p->insns, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	p->insns = n;
	p->cap = cap;
	return 0;
}

int bpf_emit(struct bpf_prog *p, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	struct sock_filter *f;

	if (grow(p, p->len + 1))
		return -ENOMEM;
	f = &p->insns[p->len];
	f->code = code;
	f->jt = jt;
	f->jf = jf;
	f->k = k;
	return (int)p->len++;
}

int bpf_prog_copy(struct bpf_prog *dst, const struct bpf_prog *src)
{
	struct bpf_prog tmp;

	bpf_prog_init(&tmp);
	if (src->len) {
		if (grow(&tmp, src->len))
			return -ENOMEM;
		memcpy(tmp.insns, src->insns, src->len * sizeof(*src->insns));
		tmp.len = src->len;
	}
	*dst = tmp;
	return 0;
}

int bpf_write_raw(int fd, const struct sock_filter *insns, size_t len)
{
	const char *p = (const char *)insns;
	size_t left = len * sizeof(*insns);

	while (left) {
		ssize_t n = write(fd, p, left);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		left -= (size_t)n;
	}
	return 0;
}

int bpf_read_raw(const void *buf, size_t size, struct bpf_prog *out, struct muzzle_error *err)
{
	size_t n = size / sizeof(struct sock_filter);
	struct bpf_prog tmp;

	if (size == 0)
		return muzzle_error_set(err, -EINVAL, NULL, 0, 0, "empty BPF program");
	if (size % sizeof(struct sock_filter))
		return muzzle_error_set(err, -EINVAL, NULL, 0, 0,
					"BPF program size %zu is not a multiple of %zu bytes",
					size, sizeof(struct sock_filter));
	if (n > BPF_MAX_INSNS)
		return muzzle_error_set(err, -E2BIG, NULL, 0, 0,
					"BPF program has %zu instructions, the kernel allows %d",
					n, BPF_MAX_INSNS);
	bpf_prog_init(&tmp);
	if (grow(&tmp, n))
		return muzzle_error_set(err, -ENOMEM, NULL, 0, 0, "out of memory");
	/* copy: buf may be unaligned (a file mapped or read at any offset) */
	memcpy(tmp.insns, buf, size);
	tmp.len = n;
	bpf_prog_free(out);
	*out = tmp;
	return 0;
}
