/*
 * purge-old-kernels - what the user reads: the --list table, the --dry-run
 * plan, the summary before a purge, /boot's space, apt's view, the steps
 * of --fix.
 *
 * Everything shown comes from the plan; nothing here decides anything.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "options.h"
#include "output.h"
#include "why.h"

#define BOLD "\033[1m"
#define GREEN "\033[32m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define DIM "\033[2m"
#define RESET "\033[0m"

#define RUNNING_MARK " (running)"
#define WIDTH_DEFAULT 80
#define WIDTH_MIN 40
/* Through a pipe nothing wraps: one row, one line. */
#define WIDTH_UNLIMITED (INT_MAX / 4)
#define NAME_COLUMN_MAX 40
#define SIZE_COLUMN 10 /* "1023.9 MiB": the dry-run's size column */
#define WHY_COLUMN_MIN 20

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

static const char *
paint(const struct cli_style *style, const char *code)
{
	return style->color ? code : "";
}

/* ------------------------------------------------------------- helpers */

/**
 * Write a size in KiB the way people read it: binary units, one decimal
 * ("49 KiB", "1.2 GiB"; up to "16.0 EiB", where sizes saturate).
 */
void
cli_format_size(unsigned long long kib, char *buf, size_t size)
{
	static const char *const units[] = { "MiB", "GiB", "TiB", "PiB", "EiB" };
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
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB",
	                                     "EiB" };
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

/*
 * Write text word by word from column col on, going on at column indent
 * of the next line when a word would reach width. A word is never cut: a
 * package name wider than the room left starts the next line, and runs
 * past the width if even that is too narrow. The caller ends the line.
 */
static void
print_wrapped(FILE *out, const char *text, int col, int indent, int width)
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

static size_t
n_releases_purged(const struct kp_plan *plan)
{
	size_t i, n = 0;

	for (i = 0; i < kp_plan_n_releases(plan); i++)
		n += kp_plan_release(plan, i)->action == KP_PURGE;
	return n;
}

/*
 * "BEFORE12 packages of 3 old kernel releases (freeing 1.2 GiB)AFTER",
 * wrapped to the width, and a newline; "freed" instead of "freeing" once
 * the purge is done.
 */
static void
print_counts(FILE *out, const struct kp_plan *plan, const char *before,
             const char *freeing, const char *after,
             const struct cli_style *style)
{
	size_t n = kp_plan_n_purge(plan);
	size_t r = n_releases_purged(plan);
	char size[32], releases[64] = "", line[256];

	cli_format_size(kp_plan_purge_kib(plan), size, sizeof(size));
	if (r > 0)
		snprintf(releases, sizeof(releases),
		         " of %zu old kernel release%s", r, r == 1 ? "" : "s");
	snprintf(line, sizeof(line), "%s%zu package%s%s (%s %s)%s",
	         before, n, n == 1 ? "" : "s", releases, freeing, size, after);
	print_wrapped(out, line, 0, 2, style->width);
	fputc('\n', out);
}

static void
print_purge_counts(FILE *out, const struct kp_plan *plan, const char *before,
                   const char *after, const struct cli_style *style)
{
	print_counts(out, plan, before, "freeing", after, style);
}

/* ----------------------------------------------------------- the table */

struct columns {
	int name;
	int state;
	int size;
	int boot;       /* 0: no /BOOT column */
	int why_at;     /* the column the why starts at */
	bool why_below; /* too narrow: the why goes on a line of its own */
};

/* One row: the cells, and the colour of the action (NULL: header). */
struct row {
	const char *name;
	const char *state;
	const char *size;
	const char *boot;
	const char *action;
	const char *action_color;
	const char *why;
};

#define ACTION_COLUMN 6 /* "ACTION", "PURGE" */
#define WHY_BELOW_INDENT 4
#define BOOT_HEADER "/BOOT"

/* The widest word of text: a name that must not be cut. */
static int
longest_word(const char *text)
{
	int longest = 0;

	while (*text != '\0') {
		int len = (int)strcspn(text, " ");

		if (len > longest)
			longest = len;
		text += len;
		text += strspn(text, " ");
	}
	return longest;
}

static void
print_row(FILE *out, const struct columns *c, const struct row *row,
          const struct cli_style *style)
{
	bool header = row->action_color == NULL;
	const char *why = row->why ? row->why : "";

	fprintf(out, "%s%-*s  %-*s  %*s  ", paint(style, header ? BOLD : ""),
	        c->name, row->name, c->state, row->state, c->size, row->size);
	if (c->boot > 0)
		fprintf(out, "%*s  ", c->boot, row->boot);
	fprintf(out, "%s%s%s%*s", paint(style, header ? "" : row->action_color),
	        row->action, paint(style, header ? "" : RESET),
	        ACTION_COLUMN - (int)strlen(row->action), "");
	/* A name too long for the WHY column: this row's why goes below. */
	if (c->why_below || c->why_at + longest_word(why) >= style->width) {
		fprintf(out, "\n%*s", WHY_BELOW_INDENT, "");
		print_wrapped(out, why, WHY_BELOW_INDENT, WHY_BELOW_INDENT,
		              style->width);
	} else {
		fputs("  ", out);
		print_wrapped(out, why, c->why_at, c->why_at, style->width);
	}
	fprintf(out, "%s\n", paint(style, header ? RESET : ""));
}

static void
print_header(FILE *out, const struct columns *c, const char *first,
             const struct cli_style *style)
{
	struct row header = {
		first, "STATE", "SIZE", BOOT_HEADER, "ACTION", NULL, "WHY",
	};

	print_row(out, c, &header, style);
}

static int
clamp_name(size_t len)
{
	return len > NAME_COLUMN_MAX ? NAME_COLUMN_MAX : (int)len;
}

static void
widen(int *column, const char *cell)
{
	if ((int)strlen(cell) > *column)
		*column = (int)strlen(cell);
}

/* Widen the columns for one row's cells. */
static void
fit_columns(struct columns *c, size_t name_len, const char *state,
            unsigned long long kib)
{
	char size[32];

	cli_format_short(kib * 1024, size, sizeof(size));
	if (clamp_name(name_len) > c->name)
		c->name = clamp_name(name_len);
	widen(&c->state, state);
	widen(&c->size, size);
}

static void
finish_columns(struct columns *c, const struct cli_style *style)
{
	c->why_at = c->name + 2 + c->state + 2 + c->size + 2 +
	            (c->boot > 0 ? c->boot + 2 : 0) + ACTION_COLUMN + 2;
	c->why_below = c->why_at + WHY_COLUMN_MIN >= style->width;
}

/*
 * The running release's WHY says so ("the running kernel", the first
 * reason that applies); the mark after its name is only needed if another
 * reason ever came first. The room goes to the WHY column.
 */
static bool
running_mark(const struct kp_release *r)
{
	return r->running && r->reason != KP_REASON_RUNNING;
}

/* /boot's figures are known: each release's share of it is shown. */
static bool
boot_known(const struct kp_plan *plan)
{
	struct kp_boot_space b;

	kp_plan_boot_space(plan, &b);
	return b.known;
}

static struct columns
release_columns(const struct kp_plan *plan, const struct cli_style *style)
{
	struct columns c = {
		(int)strlen("RELEASE"), (int)strlen("STATE"),
		(int)strlen("SIZE"), 0, 0, false,
	};
	char boot[32];
	size_t i;

	if (boot_known(plan))
		c.boot = (int)strlen(BOOT_HEADER);
	for (i = 0; i < kp_plan_n_releases(plan); i++) {
		const struct kp_release *r = kp_plan_release(plan, i);

		fit_columns(&c, strlen(r->name) +
		            (running_mark(r) ? strlen(RUNNING_MARK) : 0),
		            kp_release_state_name(r->state), r->size_kib);
		cli_format_short(r->boot_bytes, boot, sizeof(boot));
		if (c.boot > 0)
			widen(&c.boot, boot);
	}
	finish_columns(&c, style);
	return c;
}

static const char *
action_label(enum kp_action action)
{
	return action == KP_PURGE ? "PURGE" : "KEEP";
}

static const char *
action_color(enum kp_action action)
{
	return action == KP_PURGE ? RED : GREEN;
}

static void
print_release_row(FILE *out, const struct columns *c,
                  const struct kp_release *r, const struct cli_style *style)
{
	char name[256], size[32], boot[32], why[512];
	struct row row = {
		name, kp_release_state_name(r->state), size, boot,
		action_label(r->action), action_color(r->action),
		cli_release_why(r, why, sizeof(why)),
	};

	snprintf(name, sizeof(name), "%s%s", r->name,
	         running_mark(r) ? RUNNING_MARK : "");
	cli_format_short(r->size_kib * 1024, size, sizeof(size));
	cli_format_short(r->boot_bytes, boot, sizeof(boot));
	print_row(out, c, &row, style);
}

static size_t
n_shared(const struct kp_plan *plan)
{
	size_t i, n = 0;

	for (i = 0; i < kp_plan_n_packages(plan); i++)
		n += kp_plan_package(plan, i)->release == NULL;
	return n;
}

/* Flavour-less packages put nothing in /boot: no /BOOT column. */
static struct columns
shared_columns(const struct kp_plan *plan, const struct cli_style *style)
{
	struct columns c = {
		(int)strlen("PACKAGE"), (int)strlen("STATE"),
		(int)strlen("SIZE"), 0, 0, false,
	};
	size_t i;

	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);

		if (p->release == NULL)
			fit_columns(&c, strlen(p->name),
			            kp_state_name(p->state), p->size_kib);
	}
	finish_columns(&c, style);
	return c;
}

/* Packages of no single release: the flavour-less ones of an ABI. */
static void
print_shared_table(FILE *out, const struct kp_plan *plan,
                   const struct cli_style *style)
{
	struct columns c = shared_columns(plan, style);
	size_t i;

	fputc('\n', out);
	print_wrapped(out, "Flavour-less packages, shared by the releases of "
	              "one ABI:", 0, 0, style->width);
	fputc('\n', out);
	print_header(out, &c, "PACKAGE", style);
	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);
		char size[32], why[512];
		struct row row = {
			p->name, kp_state_name(p->state), size, "",
			action_label(p->action), action_color(p->action),
			cli_package_why(p, why, sizeof(why)),
		};

		if (p->release != NULL)
			continue;
		cli_format_short(p->size_kib * 1024, size, sizeof(size));
		print_row(out, &c, &row, style);
	}
}

/*
 * The packages the name table does not know, taken for a release's or an
 * ABI's by their files or dependencies: named, so none goes unseen.
 */
static void
print_recognised(FILE *out, const struct kp_plan *plan)
{
	size_t i;
	bool first = true;

	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);

		if (p->recognised == KP_RECOGNISED_NAME)
			continue;
		if (first)
			fputs("\nRecognised by structure, not by name:\n", out);
		first = false;
		fprintf(out, "  %s: of %s, by its %s\n", p->name,
		        p->release != NULL ? p->release : p->abi,
		        kp_recognised_name(p->recognised));
	}
}

/**
 * The --list table: every release, newest first, with its state, size,
 * action and why; then the flavour-less packages; then the totals.
 */
void
cli_print_list(FILE *out, const struct kp_plan *plan,
               const struct cli_style *style)
{
	struct columns c = release_columns(plan, style);
	size_t i;

	if (kp_plan_n_packages(plan) == 0) {
		fputs("No kernel packages are installed.\n", out);
		return;
	}
	if (kp_plan_n_releases(plan) > 0) {
		print_header(out, &c, "RELEASE", style);
		for (i = 0; i < kp_plan_n_releases(plan); i++)
			print_release_row(out, &c, kp_plan_release(plan, i),
			                  style);
	}
	if (n_shared(plan) > 0)
		print_shared_table(out, plan, style);
	print_recognised(out, plan);
	fputc('\n', out);
	if (kp_plan_n_purge(plan) == 0) {
		fputs("To purge: nothing.\n", out);
	} else {
		print_purge_counts(out, plan, "To purge: ", ".", style);
	}
	cli_print_space(out, plan, style);
	cli_print_apt_view(out, plan, style);
}

/* ----------------------------------------------------------- the space */

static unsigned
percent(unsigned long long part, unsigned long long whole)
{
	return whole == 0 ? 0 : (unsigned)((double)part * 100 / (double)whole + 0.5);
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
	return pct >= 90 ? RED : pct >= 75 ? YELLOW : GREEN;
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
		at = put_text(buf, at, size, RESET DIM);
	at = put_run(buf, at, size, '=', used - stays);
	if (color)
		at = put_text(buf, at, size, RESET);
	at = put_run(buf, at, size, '-', cells - used);
	put_text(buf, at, size, "]");
}

#define BOOT_BAR_CELLS 40
#define BOOT_INDENT 7 /* under the figures, after "/boot: " */

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
	print_wrapped(out, line, 0, BOOT_INDENT, style->width);
	fputc('\n', out);
	if (!style->color || style->width <= BOOT_INDENT + BOOT_BAR_CELLS + 2)
		return;
	cli_format_boot_bar(&b, BOOT_BAR_CELLS, true, bar, sizeof(bar));
	fprintf(out, "%*s%s", BOOT_INDENT, "", bar);
	if (strchr(bar, '=') != NULL &&
	    style->width > BOOT_INDENT + BOOT_BAR_CELLS + 12)
		fprintf(out, " %s= freed%s", paint(style, DIM),
		        paint(style, RESET));
	fputc('\n', out);
}

/* ------------------------------------------------------------ apt's view */

/* "LABEL: name, name (why)." wrapped; nothing when no release matches. */
static void
print_releases_where(FILE *out, const struct kp_plan *plan, const char *label,
                     bool (*match)(const struct kp_release *), bool with_why,
                     const struct cli_style *style)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&text, &len);
	bool first = true;

	if (m == NULL)
		return;
	fprintf(m, "%s:", label);
	for (i = 0; i < kp_plan_n_releases(plan); i++) {
		const struct kp_release *r = kp_plan_release(plan, i);
		char why[512];

		if (!match(r))
			continue;
		fprintf(m, "%s %s", first ? "" : ",", r->name);
		if (with_why && r->why != NULL)
			fprintf(m, " (%s)", cli_release_why(r, why, sizeof(why)));
		first = false;
	}
	fputc('.', m);
	if (fclose(m) == 0 && !first) {
		print_wrapped(out, text, 0, 2, style->width);
		fputc('\n', out);
	}
	free(text);
}

static bool
purged_but_apt_protects(const struct kp_release *r)
{
	return r->action == KP_PURGE && r->apt_protects;
}

/* "name, name" of rel's installed packages apt would (not) remove. */
static void
print_split(FILE *m, const struct kp_release *r, bool removed)
{
	const char *sep = "";
	size_t j;

	for (j = 0; j < r->n_packages; j++) {
		const struct kp_package *p = r->packages[j];

		if (p->state == KP_STATE_CONFIG_FILES ||
		    p->apt_autoremoves != removed)
			continue;
		fprintf(m, "%s%s%s", sep, p->name, p->held ? " (on hold)" :
		        p->mark == KP_MARK_MANUAL ? " (installed by hand)" : "");
		sep = ", ";
	}
}

/* What apt autoremove would do to r, in words. */
static void
print_verdict(FILE *m, const struct kp_release *r)
{
	switch (r->apt_autoremove) {
	case KP_APT_VERDICT_PROTECTED:
		fputs(r->apt_protects ? "protected (apt's kernel protection)" :
		      "protected (APT::NeverAutoRemove)", m);
		break;
	case KP_APT_VERDICT_WOULD_REMOVE:
		fputs("would remove it", m);
		break;
	case KP_APT_VERDICT_PARTIAL:
		fputs("would split it: remove ", m);
		print_split(m, r, true);
		fputs("; keep ", m);
		print_split(m, r, false);
		break;
	case KP_APT_VERDICT_NEVER:
		fputs("never removes it: installed by hand", m);
		break;
	case KP_APT_VERDICT_NEEDED:
		fputs("keeps it: an installed package needs it", m);
		break;
	case KP_APT_VERDICT_NONE:
		fputs("nothing to remove (only configuration files)", m);
		break;
	default:
		fputs("unknown (apt has none of its packages installed)", m);
		break;
	}
}

/* "  RELEASE  MARK    VERDICT", the verdict wrapped below its column. */
static void
print_verdict_row(FILE *out, const struct kp_release *r, int name_width,
                  const struct cli_style *style)
{
	const char *mark = kp_install_mark_name(r->mark);
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int col = 2 + name_width + 2 + 6 + 2;

	if (m == NULL)
		return;
	print_verdict(m, r);
	if (fclose(m) == 0) {
		fprintf(out, "  %-*s  %-6s  ", name_width, r->name,
		        mark != NULL ? mark : "-");
		print_wrapped(out, text, col, col < style->width / 2 ? col : 4,
		              style->width);
		fputc('\n', out);
	}
	free(text);
}

/**
 * apt's view, which only a plan proved against apt knows: each release's
 * mark (apt-mark's auto or manual) and what `apt autoremove` would do to
 * it; then the releases this plan purges that apt's kernel protection
 * keeps.
 */
void
cli_print_apt_view(FILE *out, const struct kp_plan *plan,
                   const struct cli_style *style)
{
	size_t i, n = kp_plan_n_releases(plan);
	int width = 0;

	if (!kp_plan_proved(plan) || n == 0)
		return;
	for (i = 0; i < n; i++)
		if ((int)strlen(kp_plan_release(plan, i)->name) > width)
			width = (int)strlen(kp_plan_release(plan, i)->name);
	fputc('\n', out);
	print_wrapped(out, "What apt autoremove would do, release by release "
	              "(with apt's mark of its image):", 0, 0, style->width);
	fputc('\n', out);
	for (i = 0; i < n; i++)
		print_verdict_row(out, kp_plan_release(plan, i), width, style);
	print_releases_where(out, plan, "Purged here but protected by apt",
	                     purged_but_apt_protects, false, style);
}

/* ------------------------------------------------------------- the plan */

static size_t
longest_purged_name(const struct kp_plan *plan)
{
	size_t i, longest = 0;

	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);

		if (p->action == KP_PURGE && strlen(p->name) > longest)
			longest = strlen(p->name);
	}
	return longest;
}

/* "  linux-image-...   11.5 MiB  why", the why only when it adds something. */
static void
print_purged_package(FILE *out, const struct kp_package *p, int name_width,
                     const char *group_why, const struct cli_style *style)
{
	char size[32];
	int col;

	cli_format_size(p->size_kib, size, sizeof(size));
	col = fprintf(out, "  %s%-*s%s %*s", paint(style, RED), name_width,
	              p->name, paint(style, RESET), SIZE_COLUMN, size);
	if (style->color)
		col -= (int)(strlen(RED) + strlen(RESET));
	if (p->why == NULL ||
	    (group_why != NULL && strcmp(p->why, group_why) == 0)) {
		fputc('\n', out);
		return;
	}
	/* Too little room left of a long name: the why goes below. */
	if (col + 2 + WHY_COLUMN_MIN >= style->width) {
		fprintf(out, "\n%*s", WHY_BELOW_INDENT, "");
		col = WHY_BELOW_INDENT - 2;
	} else {
		fputs("  ", out);
	}
	print_wrapped(out, p->why, col + 2, col + 2, style->width);
	fputc('\n', out);
}

static void
print_release_group(FILE *out, const struct kp_release *r, int name_width,
                    const struct cli_style *style)
{
	const char *why = r->action == KP_PURGE ? r->why : NULL;
	bool header = false;
	size_t i;

	for (i = 0; i < r->n_packages; i++) {
		const struct kp_package *p = r->packages[i];

		if (p->action != KP_PURGE)
			continue;
		if (!header) {
			fprintf(out, "%s%s%s", paint(style, BOLD), r->name,
			        paint(style, RESET));
			if (why != NULL)
				fprintf(out, ": %s", why);
			fputc('\n', out);
			header = true;
		}
		print_purged_package(out, p, name_width, why, style);
	}
}

static void
print_shared_group(FILE *out, const struct kp_plan *plan, int name_width,
                   const struct cli_style *style)
{
	bool header = false;
	size_t i;

	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);

		if (p->release != NULL || p->action != KP_PURGE)
			continue;
		if (!header)
			fprintf(out, "%sFlavour-less packages%s\n",
			        paint(style, BOLD), paint(style, RESET));
		header = true;
		print_purged_package(out, p, name_width, NULL, style);
	}
}

/**
 * The --dry-run plan: the packages that would be purged, by release with
 * the reason, the total, and the apt-get command that would run. Prints
 * nothing when nothing would be purged: the caller says so.
 */
/* "Kept for the next boot: R (GRUB's saved_entry in ... boots it)." */
static void
print_next_boot_kept(FILE *out, const struct kp_plan *plan)
{
	size_t i;

	for (i = 0; i < kp_plan_n_releases(plan); i++) {
		const struct kp_release *r = kp_plan_release(plan, i);

		if (r->reason == KP_REASON_NEXT_BOOT)
			fprintf(out, "Kept for the next boot: %s (%s).\n", r->name,
			        r->why);
	}
}

void
cli_print_dry_run(FILE *out, const struct kp_plan *plan,
                  const char *const *command, const struct cli_style *style)
{
	/* Package names are long (linux-modules-nvidia-...-server-open-R). */
	int room = style->width - 2 - 1 - SIZE_COLUMN - 1;
	int name_width = (int)longest_purged_name(plan);
	size_t i;

	if (name_width > room)
		name_width = room;

	if (kp_plan_n_purge(plan) == 0)
		return;
	print_purge_counts(out, plan, "Would purge ", ":", style);
	fputc('\n', out);
	for (i = 0; i < kp_plan_n_releases(plan); i++)
		print_release_group(out, kp_plan_release(plan, i), name_width,
		                    style);
	print_shared_group(out, plan, name_width, style);
	print_next_boot_kept(out, plan);
	if (boot_known(plan))
		fputc('\n', out);
	cli_print_space(out, plan, style);
	fputs("\nThe command that would run:\n", out);
	cli_print_command(out, command, style);
}

/** Before a purge: what is purged, in one sentence and a list of names. */
void
cli_print_summary(FILE *out, const struct kp_plan *plan, bool simulate,
                  const struct cli_style *style)
{
	bool by_release = n_releases_purged(plan) > 0;
	size_t n = by_release ? kp_plan_n_releases(plan) :
	                        kp_plan_n_purge(plan);
	size_t i;
	int col = 2;

	print_purge_counts(out, plan, simulate ? "Simulating the purge of " :
	                   "Purging ", simulate ? "; apt-get -s changes "
	                   "nothing:" : ":", style);
	fputc(' ', out);
	for (i = 0; i < n; i++) {
		const char *name;
		int len;

		if (by_release && kp_plan_release(plan, i)->action != KP_PURGE)
			continue;
		name = by_release ? kp_plan_release(plan, i)->name :
		                    kp_plan_purge_name(plan, i);
		len = (int)strlen(name);
		if (col > 2 && col + 1 + len >= style->width) {
			fputs("\n ", out);
			col = 2;
		}
		fprintf(out, " %s", name);
		col += 1 + len;
	}
	fputc('\n', out);
	print_next_boot_kept(out, plan);
	cli_print_space(out, plan, style);
}

/** After a purge that apt-get finished: what went, and what it freed. */
void
cli_print_purged(FILE *out, const struct kp_plan *plan,
                 const struct cli_style *style)
{
	print_counts(out, plan, "Purged ", "freed", ".", style);
}

/* --------------------------------------------------------- the command */

/* Characters a POSIX shell takes literally in a word. */
static bool
shell_safe(const char *word)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyz"
	                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                           "0123456789_@%+=:,./-";

	return word[0] != '\0' && strspn(word, safe) == strlen(word);
}

/* word, quoted for display; the caller frees it. */
static char *
shell_quote(const char *word)
{
	char *quoted, *q;
	const char *p;

	if (shell_safe(word))
		return strdup(word);
	/* Each ' becomes '\'' (4 characters), plus the two quotes. */
	quoted = malloc(strlen(word) * 4 + 3);
	if (quoted == NULL)
		return NULL;
	q = quoted;
	*q++ = '\'';
	for (p = word; *p != '\0'; p++) {
		if (*p == '\'') {
			memcpy(q, "'\\''", 4);
			q += 4;
		} else {
			*q++ = *p;
		}
	}
	*q++ = '\'';
	*q = '\0';
	return quoted;
}

/* " NAME=VALUE", VALUE quoted for a shell, appended to buf. */
static void
append_option(char *buf, size_t size, const char *name, const char *value)
{
	char *quoted = shell_quote(value);
	size_t len = strlen(buf);

	if (quoted != NULL && len < size)
		snprintf(buf + len, size - len, " %s=%s", name, quoted);
	free(quoted);
}

/**
 * The options of opts that shaped the plan, as they would be typed again
 * (" --root=DIR --running=R --keep=N --protect=R"): the ones given on the
 * command line; KEEP and PROTECT of the configuration file are read again
 * by the command that is run. "" when there are none.
 */
void
cli_plan_options(const struct cli_options *opts, char *buf, size_t size)
{
	char keep[16];
	size_t i;

	buf[0] = '\0';
	if (opts->root != NULL)
		append_option(buf, size, "--root", opts->root);
	if (opts->running_none)
		append_option(buf, size, "--running", "none");
	else if (opts->running != NULL)
		append_option(buf, size, "--running", opts->running);
	if (opts->keep_set) {
		snprintf(keep, sizeof(keep), "%u", opts->keep);
		append_option(buf, size, "--keep", keep);
	}
	for (i = 0; i < opts->n_protect; i++)
		if (opts->protect_where == NULL || opts->protect_where[i] == NULL)
			append_option(buf, size, "--protect", opts->protect[i]);
	if (opts->only_auto_installed && strlen(buf) < size)
		snprintf(buf + strlen(buf), size - strlen(buf),
		         " --only-auto-installed");
}

/* Break the line before word if it would not fit with what follows it. */
static int
place_word(FILE *out, int col, int len, bool first,
           const struct cli_style *style)
{
	/* Room for " \" at the end of the line. */
	if (!first && col + 1 + len + 2 >= style->width) {
		fputs(" \\\n    ", out);
		return 4;
	}
	if (!first) {
		fputc(' ', out);
		col++;
	}
	return col;
}

/**
 * The command, shell-quoted for display only (it runs with an argument
 * vector), wrapped with backslashes so that it can still be pasted.
 */
void
cli_print_command(FILE *out, const char *const *argv,
                  const struct cli_style *style)
{
	int col = 2;
	size_t i;

	fputs("  ", out);
	for (i = 0; argv[i] != NULL; i++) {
		bool glue = strcmp(argv[i], "-o") == 0 && argv[i + 1] != NULL;
		char *value = glue ? shell_quote(argv[i + 1]) : NULL;
		char *quoted = shell_quote(argv[i]);
		const char *word = quoted != NULL ? quoted : argv[i];
		const char *after = glue && value == NULL ? argv[i + 1] : value;
		int len = (int)strlen(word);

		/* "-o VALUE" goes on one line. */
		if (glue)
			len += 1 + (int)strlen(after);
		col = place_word(out, col, len, i == 0, style);
		fputs(word, out);
		if (glue)
			fprintf(out, " %s", after);
		col += len;
		i += glue;
		free(quoted);
		free(value);
	}
	fputc('\n', out);
}

/**
 * argv as one line a user can paste into a shell, for messages. Returns a
 * string the caller frees, or NULL when out of memory.
 */
char *
cli_command_text(const char *const *argv)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&text, &len);

	if (m == NULL)
		return NULL;
	for (i = 0; argv[i] != NULL; i++) {
		char *quoted = shell_quote(argv[i]);

		fprintf(m, "%s%s", i > 0 ? " " : "",
		        quoted != NULL ? quoted : argv[i]);
		free(quoted);
	}
	if (fclose(m) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/** "Step N/TOTAL: WHAT", then the command it runs, ready to paste. */
void
cli_print_step(FILE *out, unsigned n, unsigned total, const char *what,
               const char *const *argv, const struct cli_style *style)
{
	fprintf(out, "%sStep %u/%u: %s%s\n", paint(style, BOLD), n, total, what,
	        paint(style, RESET));
	if (argv != NULL)
		cli_print_command(out, argv, style);
}
