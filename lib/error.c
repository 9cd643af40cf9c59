/*
 * libkpurge - errors, logging and small string helpers.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpurge-private.h"

/** Reset err to "no error". */
void
kp_error_clear(struct kp_error *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->message[0] = '\0';
}

/*
 * Fill err (which may be NULL) with code and a formatted sentence.
 * Returns code, so callers can write `return kp__error_set(...)`.
 */
int
kp__error_set(struct kp_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

/* Returns a newly allocated formatted string, or NULL when out of memory. */
char *
kp__strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}
