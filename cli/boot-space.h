/*
 * purge-old-kernels - /boot's space as the user reads it (boot-space.c).
 */
#ifndef CLI_BOOT_SPACE_H
#define CLI_BOOT_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "format.h"
#include "kpurge.h"

bool cli_boot_known(const struct kp_plan *plan);
void cli_format_boot(const struct kp_boot_space *b, char *buf, size_t size);
void cli_format_boot_bar(const struct kp_boot_space *b, int cells, bool color,
                         char *buf, size_t size);
void cli_print_space(FILE *out, const struct kp_plan *plan,
                     const struct cli_style *style);

#endif /* CLI_BOOT_SPACE_H */
