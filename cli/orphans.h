/*
 * purge-old-kernels - files of removed kernels that no package owns
 * (libkpurge's orphans): finding them for a plan, showing them, and
 * removing them after a purge (--orphans).
 */
#ifndef CLI_ORPHANS_H
#define CLI_ORPHANS_H

#include <stdio.h>

#include "kpurge.h"
#include "options.h"
#include "output.h"

void cli_orphans_find(const struct cli_options *opts, struct kp_ctx *ctx,
                      struct kp_plan *plan);
void cli_print_orphans(FILE *out, const struct kp_plan *plan);
void cli_print_orphans_dry_run(FILE *out, const struct kp_plan *plan);
int cli_orphans_remove(const struct cli_options *opts, struct kp_plan *plan);
void cli_orphans_sentence(const struct kp_plan *plan, char *buf, size_t size);

#endif /* CLI_ORPHANS_H */
