/* A PFC-style ("pseudo filter code") listing of a policy: readable,
 * libseccomp-like, one block per ABI.  libc only, so that both
 * seccomp_export_pfc and formats/pfc.c can use it. */
#ifndef MUZZLE_PFC_H
#define MUZZLE_PFC_H

#include <stdio.h>
#include "policy/policy.h"

/* 0, or a negative errno when writing fails. */
int policy_pfc_write(FILE *out, const struct policy *p);

#endif
