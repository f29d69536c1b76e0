/* muzzle.h functions that belong to no other file. */
#include "muzzle.h"

#define STR_(x) #x
#define STR(x) STR_(x)

const char *muzzle_version(void)
{
	return STR(MUZZLE_VERSION_MAJOR) "." STR(MUZZLE_VERSION_MINOR) "."
	       STR(MUZZLE_VERSION_MICRO);
}
