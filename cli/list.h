/*
 * purge-old-kernels - the --list table and apt's view (list.c).
 */
#ifndef CLI_LIST_H
#define CLI_LIST_H

#include <stdio.h>

#include "boot-space.h"
#include "format.h"
#include "kpurge.h"

void cli_print_list(FILE *out, const struct kp_plan *plan,
                    const struct cli_style *style);
void cli_print_apt_view(FILE *out, const struct kp_plan *plan,
                        const struct cli_style *style);

#endif /* CLI_LIST_H */
