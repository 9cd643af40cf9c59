/*
 * purge-old-kernels - how text is written: the stream's style, colours,
 * sizes, wrapping, a list of release names (format.c).
 */
#ifndef CLI_FORMAT_H
#define CLI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kpurge.h"

#define CLI_BOLD "\033[1m"
#define CLI_GREEN "\033[32m"
#define CLI_RED "\033[31m"
#define CLI_YELLOW "\033[33m"
#define CLI_DIM "\033[2m"
#define CLI_RESET "\033[0m"

/* A why beside a name gets at least this room, else it goes below, in. */
#define CLI_WHY_COLUMN_MIN 20
#define CLI_WHY_BELOW_INDENT 4

/* How to write to one stream. */
struct cli_style {
	bool color; /* ANSI colours and bold */
	int width;  /* columns; lines stay shorter than this */
};

struct cli_style cli_style_for(FILE *out);
const char *cli_paint(const struct cli_style *style, const char *code);

void cli_format_size(unsigned long long kib, char *buf, size_t size);
void cli_format_bytes(unsigned long long bytes, char *buf, size_t size);
void cli_format_short(unsigned long long bytes, char *buf, size_t size);

void cli_print_wrapped(FILE *out, const char *text, int col, int indent,
                       int width);
void cli_release_list(const struct kp_plan *plan, size_t max, char *buf,
                      size_t size);

#endif /* CLI_FORMAT_H */
