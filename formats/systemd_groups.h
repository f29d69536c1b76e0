/* systemd's SystemCallFilter= groups; data generated from systemd itself by
 * tools/gen_systemd_groups.py (the version is in systemd_groups_version). */
#ifndef MUZZLE_FORMATS_SYSTEMD_GROUPS_H
#define MUZZLE_FORMATS_SYSTEMD_GROUPS_H

#include <stddef.h>

struct systemd_group {
	const char *name;	/* "@system-service" */
	const char *help;
	const char *members;	/* space-separated syscall names and "@group" names */
};

extern const char systemd_groups_version[];
extern const struct systemd_group systemd_groups[];	/* sorted by name */
extern const size_t systemd_groups_count;

#endif
