#include "error.h"

#include <stdio.h>
#include <string.h>

static void copy_str(char *dst, size_t cap, const char *src)
{
	if (!src)
		src = "";
	snprintf(dst, cap, "%s", src);
}

int muzzle_error_setv(struct muzzle_error *err, int code, const char *file, int line,
		      int col, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	memset(err, 0, sizeof(*err));
	copy_str(err->file, sizeof(err->file), file);
	err->line = line;
	err->col = col;
	err->code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

int muzzle_error_set(struct muzzle_error *err, int code, const char *file, int line,
		     int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	muzzle_error_setv(err, code, file, line, col, fmt, ap);
	va_end(ap);
	return code;
}

int muzzle_error_json(struct muzzle_error *err, int code, const char *file,
		      const char *json_path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	muzzle_error_setv(err, code, file, 0, 0, fmt, ap);
	va_end(ap);
	if (err)
		copy_str(err->json_path, sizeof(err->json_path), json_path);
	return code;
}

void muzzle_error_clear(struct muzzle_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

const char *muzzle_error_format(const struct muzzle_error *err, char *buf, unsigned len)
{
	const char *file = err->file[0] ? err->file : NULL;

	if (file && err->json_path[0])
		snprintf(buf, len, "%s: %s: %s", file, err->json_path, err->msg);
	else if (err->json_path[0])
		snprintf(buf, len, "%s: %s", err->json_path, err->msg);
	else if (file && err->line && err->col)
		snprintf(buf, len, "%s:%d:%d: %s", file, err->line, err->col, err->msg);
	else if (file && err->line)
		snprintf(buf, len, "%s:%d: %s", file, err->line, err->msg);
	else if (file)
		snprintf(buf, len, "%s: %s", file, err->msg);
	else
		snprintf(buf, len, "%s", err->msg);
	return buf;
}
