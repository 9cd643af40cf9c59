/*
 * purge-old-kernels - the command, as the user reads it (command.c).
 */
#ifndef CLI_COMMAND_H
#define CLI_COMMAND_H

#include <stddef.h>
#include <stdio.h>

#include "format.h"

struct cli_options;
void cli_plan_options(const struct cli_options *opts, char *buf, size_t size);
void cli_print_command(FILE *out, const char *const *argv,
                       const struct cli_style *style);
char *cli_command_text(const char *const *argv);
void cli_print_step(FILE *out, unsigned n, unsigned total, const char *what,
                    const char *const *argv, const struct cli_style *style);

#endif /* CLI_COMMAND_H */
