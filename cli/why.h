/*
 * purge-old-kernels - the plan's reasons in the command's words, built
 * from the facts the library gives (struct kp_cause, enum
 * kp_error_cause), as pacman words alpm_depmissing_t.
 */
#ifndef CLI_WHY_H
#define CLI_WHY_H

#include <stddef.h>

#include "kpurge.h"

/*
 * Why r is kept or purged, one sentence: from its cause when held or
 * needed (into buf), else the library's why. Never NULL.
 */
const char *cli_release_why(const struct kp_release *r, char *buf, size_t size);
/* The same for a package (a flavour-less one held: "on hold"). */
const char *cli_package_why(const struct kp_package *p, char *buf, size_t size);

/*
 * kp_plan_new()'s refusal (for the running release running, or NULL) in
 * the command's words, naming its options (into buf); the library's
 * message for a cause it does not know.
 */
const char *cli_plan_refusal(const struct kp_error *err, const char *running,
                             char *buf, size_t size);

#endif
