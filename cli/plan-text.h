/*
 * purge-old-kernels - every sentence about a plan (plan-text.c).
 */
#ifndef CLI_PLAN_TEXT_H
#define CLI_PLAN_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "boot-space.h"
#include "command.h"
#include "format.h"
#include "kpurge-app.h"
#include "kpurge.h"
#include "options.h"

#define CLI_NOTHING_TO_PURGE "No kernels are eligible for removal."
/* The command that purges, as a user types it (options appended). */
#define CLI_PURGE_COMMAND "sudo " CLI_NAME

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

void cli_plan_what(const struct kp_plan *plan, char *buf, size_t size);
void cli_plan_space(const struct kp_summary *s, char *buf, size_t size);
void cli_plan_can_go(const struct kp_plan *plan, const char *also, char *buf,
                     size_t size);
void cli_plan_command(const struct cli_options *opts, bool orphans, char *buf,
                      size_t size);
void cli_plan_next_boot(const struct kp_plan *plan, char *buf, size_t size);

#endif /* CLI_PLAN_TEXT_H */
