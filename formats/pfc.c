/* PFC listing writer: a thin wrapper over lib/compat/pfc.c, which
 * seccomp_export_pfc shares. */
#include "format.h"

#include <errno.h>

#include "compat/pfc.h"

int pfc_write(FILE *out, const struct policy *p, const struct format_options *o,
	      struct muzzle_error *err)
{
	int rc;

	(void)o;
	if (!p->arches)
		return muzzle_error_set(err, -EINVAL, NULL, 0, 0, "policy names no ABI");
	rc = policy_pfc_write(out, p);
	if (rc)
		return muzzle_error_set(err, rc, NULL, 0, 0, "writing the PFC listing failed");
	return 0;
}
