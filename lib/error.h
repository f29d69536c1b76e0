/* Errors with a source location, used everywhere outside the compat API. */
#ifndef MUZZLE_ERROR_H
#define MUZZLE_ERROR_H

#include <stdarg.h>

/* Where a construct came from.  line/col are 1-based; 0 means unknown.
 * json_path is set instead of line/col for JSON inputs ("$.syscalls[3].names[0]"). */
struct muzzle_loc {
	const char *file;	/* not owned; points into a string the reader keeps alive */
	int line;
	int col;
};

struct muzzle_error {
	char file[256];
	int line;
	int col;
	char json_path[160];
	char msg[512];
	int code;		/* negative errno that best describes it, 0 if none */
};

/* Set err (may be NULL) and return code (a negative errno). */
int muzzle_error_set(struct muzzle_error *err, int code, const char *file, int line,
		     int col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int muzzle_error_setv(struct muzzle_error *err, int code, const char *file, int line,
		      int col, const char *fmt, va_list ap);
/* Same, with a JSON path instead of line/column. */
int muzzle_error_json(struct muzzle_error *err, int code, const char *file,
		      const char *json_path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void muzzle_error_clear(struct muzzle_error *err);
/* "file:line:col: msg" or "file: $.path: msg" into buf. */
const char *muzzle_error_format(const struct muzzle_error *err, char *buf, unsigned len);

#endif
