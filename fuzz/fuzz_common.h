/* Shared helpers for the libFuzzer targets: a byte reader over the input and
 * a failure macro that names the broken property before aborting (libFuzzer
 * then saves the input). */
#ifndef MUZZLE_FUZZ_COMMON_H
#define MUZZLE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_FAIL(...)                                                   \
	do {                                                             \
		fprintf(stderr, "muzzle-fuzz: %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__);                            \
		fprintf(stderr, "\n");                                   \
		abort();                                                 \
	} while (0)

#define FUZZ_ASSERT(cond, ...)                  \
	do {                                    \
		if (!(cond))                    \
			FUZZ_FAIL(__VA_ARGS__); \
	} while (0)

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

/* Take up to `len` bytes little-endian; missing bytes read as 0. */
static inline uint64_t fuzz_take(struct fuzz_in *in, unsigned len)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < len && in->n; i++, in->p++, in->n--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	return (uint8_t)fuzz_take(in, 1);
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	return (uint32_t)fuzz_take(in, 4);
}

static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
	return fuzz_take(in, 8);
}

#endif
