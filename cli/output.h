/*
 * purge-old-kernels - what the user reads: the --list table, the --dry-run
 * plan, the summary before a purge, /boot's space, apt's view, the steps
 * of --fix.
 */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kpurge.h"
#include "boot-space.h" /* /boot's sentence and bar moved there */
#include "command.h" /* the command as shown moved there */
#include "format.h"  /* the style, sizes and wrapping moved there */
#include "log.h"     /* cli_error() and the rest moved there */

void cli_print_list(FILE *out, const struct kp_plan *plan,
                    const struct cli_style *style);
void cli_print_dry_run(FILE *out, const struct kp_plan *plan,
                       const char *const *command,
                       const struct cli_style *style);
void cli_print_summary(FILE *out, const struct kp_plan *plan, bool simulate,
                       const struct cli_style *style);
void cli_print_purged(FILE *out, const struct kp_plan *plan,
                      const struct cli_style *style);
void cli_print_apt_view(FILE *out, const struct kp_plan *plan,
                        const struct cli_style *style);


#define CLI_NOTHING_TO_PURGE "No kernels are eligible for removal."

#endif /* CLI_OUTPUT_H */
