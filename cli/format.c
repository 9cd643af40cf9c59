/*
 * purge-old-kernels - how text is written: the stream's style (colours,
 * width), sizes in words and in table cells, text wrapped to the width,
 * a list of release names. The parts every other piece of output uses,
 * as apt's private-output.cc and pacman's util.c hold theirs.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "format.h"

#define WIDTH_DEFAULT 80
#define WIDTH_MIN 40
/* Through a pipe nothing wraps: one row, one line. */
#define WIDTH_UNLIMITED (INT_MAX / 4)

/* ------------------------------------------------------------ the stream */

/* no-color.org: NO_COLOR set and not empty turns colours off. */
static bool
want_color(FILE *out)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (no_color != NULL && no_color[0] != '\0')
		return false;
	if (term == NULL || term[0] == '\0' || strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(out));
}

/* COLUMNS, when it holds a width: the user's word over the terminal's. */
static int
columns_from_env(void)
{
	const char *v = getenv("COLUMNS");
	char *end;
	long n;

	if (v == NULL || v[0] == '\0')
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n <= 0 || n > 10000)
		return 0;
	return (int)n;
}

/*
 * On a terminal, COLUMNS or else the terminal's width (80 when it says
 * nothing), at least WIDTH_MIN; through a pipe or into a file, no limit,
 * so that every row is one line for grep and awk.
 */
static int
width_of(FILE *out)
{
	struct winsize ws;
	int width;

	if (!isatty(fileno(out)))
		return WIDTH_UNLIMITED;
	width = columns_from_env();
	if (width == 0 && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0)
		width = ws.ws_col;
	if (width == 0)
		width = WIDTH_DEFAULT;
	return width < WIDTH_MIN ? WIDTH_MIN : width;
}

/** How to write to out: colours only on a terminal that wants them. */
struct cli_style
cli_style_for(FILE *out)
{
	struct cli_style style = {
		.color = want_color(out),
		.width = width_of(out),
	};

	return style;
}

/** code when style has colours, else "". */
const char *
cli_paint(const struct cli_style *style, const char *code)
{
	return style->color ? code : "";
}

/* ----------------------------------------------------------- the sizes */

/**
 * Write a size in KiB the way people read it: binary units, one decimal
 * ("49 KiB", "1.2 GiB"; up to "16.0 EiB", where sizes saturate).
 */
void
cli_format_size(unsigned long long kib, char *buf, size_t size)
{
	static const char *const units[] = { "MiB", "GiB", "TiB", "PiB",
		                             "EiB" };
	double v = (double)kib / 1024;
	size_t u = 0;

	if (kib < 1024) {
		snprintf(buf, size, "%llu KiB", kib);
		return;
	}
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, "%.1f %s", v, units[u]);
}

/**
 * Write a size in bytes for a sentence: binary units, a decimal only below
 * 10 ("412 MiB", "1.2 GiB", "9.5 MiB").
 */
void
cli_format_bytes(unsigned long long bytes, char *buf, size_t size)
{
	static const char *const units[] = { "KiB", "MiB", "GiB",
		                             "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	size_t u = 0;

	if (bytes < 1024) {
		snprintf(buf, size, "%llu B", bytes);
		return;
	}
	v /= 1024;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (v < 9.95)
		snprintf(buf, size, "%.1f %s", v, units[u]);
	else
		snprintf(buf, size, "%.0f %s", v, units[u]);
}

/**
 * A size in bytes for a table cell, at most 4 characters the way ls -h
 * writes them ("163K", "1.2G", "312M"); "-" for nothing.
 */
void
cli_format_short(unsigned long long bytes, char *buf, size_t size)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes;
	size_t u = 0;

	if (bytes == 0) {
		snprintf(buf, size, "-");
		return;
	}
	if (bytes < 1000) {
		snprintf(buf, size, "%lluB", bytes);
		return;
	}
	v /= 1024;
	while (v >= 999.5 && u + 1 < sizeof(units) - 1) {
		v /= 1024;
		u++;
	}
	if (v < 9.95)
		snprintf(buf, size, "%.1f%c", v, units[u]);
	else
		snprintf(buf, size, "%.0f%c", v, units[u]);
}

/* ------------------------------------------------------------ the text */

/*
 * Write text word by word from column col on, going on at column indent
 * of the next line when a word would reach width. A word is never cut: a
 * package name wider than the room left starts the next line, and runs
 * past the width if even that is too narrow. The caller ends the line.
 */
void
cli_print_wrapped(FILE *out, const char *text, int col, int indent, int width)
{
	int start = col;

	while (*text != '\0') {
		int len = (int)strcspn(text, " ");

		if (col > start && col + 1 + len >= width) {
			fprintf(out, "\n%*s", indent, "");
			col = start = indent;
		} else if (col > start) {
			fputc(' ', out);
			col++;
		}
		fwrite(text, 1, (size_t)len, out);
		col += len;
		text += len;
		text += strspn(text, " ");
	}
}

/**
 * The releases the plan purges, for a message: "a, b and c", or "a, b,
 * c and 4 more" beyond max names.
 */
void
cli_release_list(const struct kp_plan *plan, size_t max, char *buf, size_t size)
{
	size_t i, n = 0, total = 0, len = 0;

	buf[0] = '\0';
	for (i = 0; i < kp_plan_n_releases(plan); i++)
		total += kp_plan_release(plan, i)->action == KP_PURGE;
	for (i = 0; i < kp_plan_n_releases(plan) && len < size; i++) {
		const struct kp_release *r = kp_plan_release(plan, i);

		if (r->action != KP_PURGE)
			continue;
		if (n == max) {
			snprintf(buf + len, size - len, " and %zu more",
			         total - n);
			return;
		}
		n++;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		                        n == 1     ? "" :
		                        n == total ? " and " :
		                                     ", ",
		                        r->name);
	}
}
