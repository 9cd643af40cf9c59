/*
 * purge-old-kernels - every sentence about a plan (plan-text.c).
 */
#ifndef CLI_PLAN_TEXT_H
#define CLI_PLAN_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "boot-space.h"
#include "command.h"
#include "format.h"
#include "kpurge.h"

#define CLI_NOTHING_TO_PURGE "No kernels are eligible for removal."

void cli_print_purge_counts(FILE *out, const struct kp_plan *plan,
                            const char *before, const char *after,
                            const struct cli_style *style);
void cli_print_dry_run(FILE *out, const struct kp_plan *plan,
                       const char *const *command,
                       const struct cli_style *style);
void cli_print_summary(FILE *out, const struct kp_plan *plan, bool simulate,
                       const struct cli_style *style);
void cli_print_purged(FILE *out, const struct kp_plan *plan,
                      const struct cli_style *style);

#endif /* CLI_PLAN_TEXT_H */
