/* Fuzz target: the arch layer's lookups on arbitrary names and numbers.
 * Properties: lookups never crash; every answer is consistent with the
 * forward tables (a name found has that name; a number found maps back). */
#include "fuzz_common.h"

#include "arch/arch.h"

static void check_name(const char *s)
{
	const struct arch_desc *d = arch_by_name(s);
	int id = arch_syscall_id(s);

	if (id >= 0)
		FUZZ_ASSERT(strcmp(arch_syscall_name(id), s) == 0, "id %d is not %s", id, s);
	if (d)
		FUZZ_ASSERT(arch_get(d->id) == d, "descriptor %s is not in the table", d->name);
}

static void check_numbers(uint32_t token, uint32_t nr, int32_t pseudo, unsigned abi)
{
	const struct arch_desc *d = arch_for_data(token, nr);
	int id;
	uint32_t call = 0;

	if (d)
		FUZZ_ASSERT(d->token == token, "for_data gave %s for 0x%x", d->name, token);
	abi %= ARCH_COUNT;
	id = arch_syscall_by_nr(abi, nr);
	if (id >= 0)
		FUZZ_ASSERT(arch_syscall_nr(abi, id) == (int32_t)nr, "abi %u nr %u", abi, nr);
	id = arch_syscall_by_pseudo(pseudo);
	if (id >= 0)
		FUZZ_ASSERT(arch_syscall_pseudo(id) == pseudo, "pseudo %d", pseudo);
	id = arch_mux_demux(abi, (enum arch_mux_kind)(nr % 3), nr >> 2);
	if (id >= 0)
		FUZZ_ASSERT(arch_mux_lookup(abi, id, &call) == (enum arch_mux_kind)(nr % 3) &&
			    call == nr >> 2, "demux/lookup disagree on abi %u call %u", abi, nr >> 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	char name[64];
	size_t n = size < sizeof(name) - 1 ? size : sizeof(name) - 1;

	memcpy(name, data, n);
	name[n] = '\0';
	check_name(name);
	check_numbers(fuzz_u32(&in), fuzz_u32(&in), (int32_t)fuzz_u32(&in), fuzz_u8(&in));
	return 0;
}
