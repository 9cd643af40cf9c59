/*
 * libkpurge - errors, logging and small string helpers.
 */
#include <config.h>

#include <errno.h>
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
	err->cause = KP_CAUSE_NONE;
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
	err->cause = KP_CAUSE_NONE;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

/* Set err's cause (err may be NULL); returns its code, or -EINVAL. */
int
kp__error_cause(struct kp_error *err, enum kp_error_cause cause)
{
	if (err == NULL)
		return -EINVAL;
	err->cause = cause;
	return err->code;
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
