#include "consts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Which generated column holds an ABI's values; -1 when none does. */
static int column_of(enum arch_id abi)
{
	const struct arch_desc *d = arch_get(abi);

	if (!d)
		return -1;
	for (int i = 0; i < CONSTS_NABI; i++)
		if (consts_abi_names[i] && strcmp(consts_abi_names[i], d->name) == 0)
			return i;
	return -1;
}

static int by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct const_entry *)elem)->name);
}

static const struct const_entry *find(const char *name)
{
	return bsearch(name, consts_table, consts_count, sizeof(consts_table[0]), by_name);
}

int consts_lookup(const char *name, enum arch_id abi, uint64_t *value)
{
	const struct const_entry *e = find(name);
	int col = column_of(abi);

	if (!e)
		return -ENOENT;
	if (col < 0 || !(e->present & (1u << col)))
		return -ENOTSUP;
	*value = (uint64_t)e->value[col];
	return 0;
}

int consts_lookup_all(const char *name, uint32_t mask, uint64_t *value, enum arch_id *bad)
{
	int have = 0;

	if (!find(name))
		return -ENOENT;
	for (int abi = 0; abi < ARCH_COUNT; abi++) {
		uint64_t v;
		int rc;

		if (!(mask & ARCH_MASK(abi)))
			continue;
		rc = consts_lookup(name, (enum arch_id)abi, &v);
		if (rc) {
			*bad = (enum arch_id)abi;
			return rc;
		}
		if (have && v != *value) {
			*bad = (enum arch_id)abi;
			return -EDOM;
		}
		*value = v;
		have = 1;
	}
	return have ? 0 : -ENOTSUP;
}

const char *consts_abis(char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (int i = 0; i < CONSTS_NABI && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
					consts_abi_names[i]);
	return buf;
}
