/*
 * purge-old-kernels - the plan's reasons in the command's words, from the
 * library's facts (see why.h).
 */
#include <config.h>

#include <stdio.h>

#include "why.h"

/* A held or needed reason from its facts; NULL for the others. */
static const char *
cause_words(enum kp_reason reason, const struct kp_cause *c, bool own,
            char *buf, size_t size)
{
	if (reason == KP_REASON_HELD && c->held_by != NULL) {
		if (own)
			return "on hold";
		snprintf(buf, size, "%s is on hold", c->held_by);
		return buf;
	}
	if (reason != KP_REASON_NEEDED)
		return NULL;
	if (c->apt_installs != NULL)
		snprintf(buf, size, "%s depends on it (apt would install %s)",
		         c->needed_by ? c->needed_by : "an installed package",
		         c->apt_installs);
	else if (c->needed_by != NULL && c->depends_on != NULL)
		snprintf(buf, size, "needed by %s (depends on %s)",
		         c->needed_by, c->depends_on);
	else if (c->needed_by != NULL)
		snprintf(buf, size, "needed by %s", c->needed_by);
	else
		return NULL;
	return buf;
}

/** See why.h. */
const char *
cli_release_why(const struct kp_release *r, char *buf, size_t size)
{
	const char *w = cause_words(r->reason, &r->cause, false, buf, size);

	return w != NULL ? w : r->why != NULL ? r->why : "";
}

/** See why.h. */
const char *
cli_package_why(const struct kp_package *p, char *buf, size_t size)
{
	const char *w = cause_words(p->reason, &p->cause, p->release == NULL,
	                            buf, size);

	return w != NULL ? w : p->why != NULL ? p->why : "";
}

/** See why.h. */
const char *
cli_plan_refusal(const struct kp_error *err, const char *running, char *buf,
                 size_t size)
{
	switch (err->cause) {
	case KP_CAUSE_KEEP_NOTHING_RUNS:
		snprintf(buf, size,
		         "--keep=0 with no running kernel would "
		         "leave the newest kernel version alone, with nothing "
		         "to fall back on; name the kernel that runs with "
		         "--running=RELEASE (under --root none does unless "
		         "named), or use --keep=1 or more");
		return buf;
	case KP_CAUSE_KEEP_RUNNING_ABSENT:
		snprintf(buf, size,
		         "--keep=0 keeps only the running kernel, "
		         "and %s is not installed on this system; use --keep=1 "
		         "or more",
		         running ? running : "it");
		return buf;
	case KP_CAUSE_NONE:
		break;
	}
	return err->message;
}
