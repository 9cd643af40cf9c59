/*
 * purge-old-kernels - /boot's space as the user reads it: the sentence
 * "/boot: 412 MiB of 487 MiB used (85%); ..." and the bar below it, shown
 * by --list, --dry-run, the summary before a purge and --fix.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "boot-space.h"

#define BOOT_BAR_CELLS 40
#define BOOT_INDENT 7 /* under the figures, after "/boot: " */

/** /boot's figures are known: each release's share of it is shown. */
bool
cli_boot_known(const struct kp_plan *plan)
{
	struct kp_boot_space b;

	kp_plan_boot_space(plan, &b);
	return b.known;
}

static unsigned
percent(unsigned long long part, unsigned long long whole)
{
	return whole == 0 ?
	               0 :
	               (unsigned)((double)part * 100 / (double)whole + 0.5);
}

/* What stays used on /boot after the purge. */
static unsigned long long
used_after(const struct kp_boot_space *b)
{
	return b->freed < b->used ? b->used - b->freed : 0;
}

/**
 * The sentence about /boot into buf: "/boot: 412 MiB of 487 MiB used
 * (85%)", and when the plan frees something there "; 232 MiB (48%) after
 * freeing 180 MiB", then ".". Empty when /boot's figures are unknown.
 */
void
cli_format_boot(const struct kp_boot_space *b, char *buf, size_t size)
{
	char used[32], total[32], after[32], freed[32];
	int n;

	buf[0] = '\0';
	if (!b->known || b->size == 0)
		return;
	cli_format_bytes(b->used, used, sizeof(used));
	cli_format_bytes(b->size, total, sizeof(total));
	n = snprintf(buf, size, "/boot: %s of %s used (%u%%)", used, total,
	             percent(b->used, b->size));
	if (n < 0 || (size_t)n >= size)
		return;
	if (b->freed == 0) {
		snprintf(buf + n, size - (size_t)n, ".");
		return;
	}
	cli_format_bytes(used_after(b), after, sizeof(after));
	cli_format_bytes(b->freed, freed, sizeof(freed));
	snprintf(buf + n, size - (size_t)n, "; %s (%u%%) after freeing %s.",
	         after, percent(used_after(b), b->size), freed);
}

/* Green, yellow from 75%, red from 90%: how full /boot is. */
static const char *
fullness_color(unsigned pct)
{
	return pct >= 90 ? CLI_RED : pct >= 75 ? CLI_YELLOW : CLI_GREEN;
}

static size_t
put_run(char *buf, size_t at, size_t size, char c, int n)
{
	while (n-- > 0 && at + 1 < size)
		buf[at++] = c;
	buf[at < size ? at : size - 1] = '\0';
	return at;
}

static size_t
put_text(char *buf, size_t at, size_t size, const char *text)
{
	int n = snprintf(buf + at, at < size ? size - at : 0, "%s", text);

	return n < 0 ? at : at + (size_t)n;
}

/**
 * A bar of /boot's use, cells wide inside its brackets: '#' what stays
 * used, '=' what the purge frees, '-' free space. With color, '#' takes
 * the colour of how full /boot stays and '=' is dim. Empty when /boot's
 * figures are unknown.
 */
void
cli_format_boot_bar(const struct kp_boot_space *b, int cells, bool color,
                    char *buf, size_t size)
{
	int used, stays;
	size_t at = 0;

	buf[0] = '\0';
	if (!b->known || b->size == 0 || cells <= 0)
		return;
	used = (int)((double)b->used * cells / (double)b->size + 0.5);
	stays = (int)((double)used_after(b) * cells / (double)b->size + 0.5);
	used = used > cells ? cells : used;
	stays = stays > used ? used : stays;
	at = put_text(buf, at, size, "[");
	if (color)
		at = put_text(buf, at, size,
		              fullness_color(percent(used_after(b), b->size)));
	at = put_run(buf, at, size, '#', stays);
	if (color)
		at = put_text(buf, at, size, CLI_RESET CLI_DIM);
	at = put_run(buf, at, size, '=', used - stays);
	if (color)
		at = put_text(buf, at, size, CLI_RESET);
	at = put_run(buf, at, size, '-', cells - used);
	put_text(buf, at, size, "]");
}

/**
 * /boot's use now and after the plan, in one sentence; on a terminal with
 * colours, a bar below it. Nothing when /boot's figures are unknown.
 */
void
cli_print_space(FILE *out, const struct kp_plan *plan,
                const struct cli_style *style)
{
	char line[256], bar[512];
	struct kp_boot_space b;

	kp_plan_boot_space(plan, &b);
	cli_format_boot(&b, line, sizeof(line));
	if (line[0] == '\0')
		return;
	cli_print_wrapped(out, line, 0, BOOT_INDENT, style->width);
	fputc('\n', out);
	if (!style->color || style->width <= BOOT_INDENT + BOOT_BAR_CELLS + 2)
		return;
	cli_format_boot_bar(&b, BOOT_BAR_CELLS, true, bar, sizeof(bar));
	fprintf(out, "%*s%s", BOOT_INDENT, "", bar);
	if (strchr(bar, '=') != NULL &&
	    style->width > BOOT_INDENT + BOOT_BAR_CELLS + 12)
		fprintf(out, " %s= freed%s", cli_paint(style, CLI_DIM),
		        cli_paint(style, CLI_RESET));
	fputc('\n', out);
}
