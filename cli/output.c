/*
 * purge-old-kernels - what the user reads: the --list table, the --dry-run
 * plan, the summary before a purge.
 *
 * Everything shown comes from the plan; nothing here decides anything.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "output.h"

#define BOLD "\033[1m"
#define GREEN "\033[32m"
#define RED "\033[31m"
#define RESET "\033[0m"

#define RUNNING_MARK " (running)"
#define WIDTH_DEFAULT 80
#define WIDTH_MIN 40
#define WIDTH_MAX 160
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

/*
 * 80 columns, or the terminal's width: a wider terminal gives the why
 * column room, a narrower one wraps it sooner.
 */
static int
width_of(FILE *out)
{
	struct winsize ws;

	if (!isatty(fileno(out)) || ioctl(fileno(out), TIOCGWINSZ, &ws) < 0 ||
	    ws.ws_col == 0)
		return WIDTH_DEFAULT;
	if (ws.ws_col < WIDTH_MIN)
		return WIDTH_MIN;
	return ws.ws_col > WIDTH_MAX ? WIDTH_MAX : ws.ws_col;
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

/** Write a size in KiB the way people read it: binary units, one decimal. */
void
cli_format_size(unsigned long long kib, char *buf, size_t size)
{
	if (kib < 1024)
		snprintf(buf, size, "%llu KiB", kib);
	else if (kib < 1024ull * 1024)
		snprintf(buf, size, "%.1f MiB", kib / 1024.0);
	else
		snprintf(buf, size, "%.1f GiB", kib / (1024.0 * 1024));
}

/*
 * How much of a word wider than the room left fits on this line: up to a
 * '-' if there is one (package names), else all the room.
 */
static int
cut_word(const char *word, int room)
{
	int cut;

	for (cut = room; cut > room / 2; cut--)
		if (word[cut - 1] == '-')
			return cut;
	return room;
}

/*
 * Write text word by word from column col on, going on at column indent
 * of the next line when a word would reach width; a word wider than a
 * whole line (a long package name) is cut. The caller ends the line.
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
		while (col + len >= width && width - 1 - col > 1) {
			int part = cut_word(text, width - 1 - col);

			fwrite(text, 1, (size_t)part, out);
			fprintf(out, "\n%*s", indent, "");
			col = start = indent;
			text += part;
			len -= part;
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

/* "12 packages of 3 old kernel releases (freeing 1.2 GiB)" */
static void
print_purge_counts(FILE *out, const struct kp_plan *plan)
{
	size_t n = kp_plan_n_purge(plan);
	size_t r = n_releases_purged(plan);
	char size[32];

	cli_format_size(kp_plan_purge_kib(plan), size, sizeof(size));
	fprintf(out, "%zu package%s", n, n == 1 ? "" : "s");
	if (r > 0)
		fprintf(out, " of %zu old kernel release%s", r,
		        r == 1 ? "" : "s");
	fprintf(out, " (freeing %s)", size);
}

/* ----------------------------------------------------------- the table */

struct columns {
	int name;
	int state;
	int size;
	int why_at;     /* the column the why starts at */
	bool why_below; /* too narrow: the why goes on a line of its own */
};

/* One row: the cells, and the colour of the action (NULL: header). */
struct row {
	const char *name;
	const char *state;
	const char *size;
	const char *action;
	const char *action_color;
	const char *why;
};

#define ACTION_COLUMN 6 /* "ACTION", "PURGE" */
#define WHY_BELOW_INDENT 4

static void
print_row(FILE *out, const struct columns *c, const struct row *row,
          const struct cli_style *style)
{
	bool header = row->action_color == NULL;
	const char *why = row->why ? row->why : "";

	fprintf(out, "%s%-*s  %-*s  %*s  %s%s%s%*s",
	        paint(style, header ? BOLD : ""),
	        c->name, row->name, c->state, row->state, c->size, row->size,
	        paint(style, header ? "" : row->action_color), row->action,
	        paint(style, header ? "" : RESET),
	        ACTION_COLUMN - (int)strlen(row->action), "");
	if (c->why_below) {
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
	struct row header = { first, "STATE", "SIZE", "ACTION", NULL, "WHY" };

	print_row(out, c, &header, style);
}

static int
clamp_name(size_t len)
{
	return len > NAME_COLUMN_MAX ? NAME_COLUMN_MAX : (int)len;
}

/* Widen the columns for one row's cells. */
static void
fit_columns(struct columns *c, size_t name_len, const char *state,
            unsigned long long kib)
{
	char size[32];

	cli_format_size(kib, size, sizeof(size));
	if (clamp_name(name_len) > c->name)
		c->name = clamp_name(name_len);
	if ((int)strlen(state) > c->state)
		c->state = (int)strlen(state);
	if ((int)strlen(size) > c->size)
		c->size = (int)strlen(size);
}

static void
finish_columns(struct columns *c, const struct cli_style *style)
{
	c->why_at = c->name + 2 + c->state + 2 + c->size + 2 +
	            ACTION_COLUMN + 2;
	c->why_below = c->why_at + WHY_COLUMN_MIN >= style->width;
}

static struct columns
release_columns(const struct kp_plan *plan, const struct cli_style *style)
{
	struct columns c = {
		(int)strlen("RELEASE"), (int)strlen("STATE"),
		(int)strlen("SIZE"), 0, false,
	};
	size_t i;

	for (i = 0; i < kp_plan_n_releases(plan); i++) {
		const struct kp_release *r = kp_plan_release(plan, i);

		fit_columns(&c, strlen(r->name) +
		            (r->running ? strlen(RUNNING_MARK) : 0),
		            kp_release_state_name(r->state), r->size_kib);
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
	char name[256], size[32];
	struct row row = {
		name, kp_release_state_name(r->state), size,
		action_label(r->action), action_color(r->action), r->why,
	};

	snprintf(name, sizeof(name), "%s%s", r->name,
	         r->running ? RUNNING_MARK : "");
	cli_format_size(r->size_kib, size, sizeof(size));
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

static struct columns
shared_columns(const struct kp_plan *plan, const struct cli_style *style)
{
	struct columns c = {
		(int)strlen("PACKAGE"), (int)strlen("STATE"),
		(int)strlen("SIZE"), 0, false,
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

	fputs("\nFlavour-less packages, shared by the releases of one ABI:\n",
	      out);
	print_header(out, &c, "PACKAGE", style);
	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);
		char size[32];
		struct row row = {
			p->name, kp_state_name(p->state), size,
			action_label(p->action), action_color(p->action),
			p->why,
		};

		if (p->release != NULL)
			continue;
		cli_format_size(p->size_kib, size, sizeof(size));
		print_row(out, &c, &row, style);
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
	fputc('\n', out);
	if (kp_plan_n_purge(plan) == 0) {
		fputs("To purge: nothing.\n", out);
		return;
	}
	fputs("To purge: ", out);
	print_purge_counts(out, plan);
	fputs(".\n", out);
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
	fputs("Would purge ", out);
	print_purge_counts(out, plan);
	fputs(":\n\n", out);
	for (i = 0; i < kp_plan_n_releases(plan); i++)
		print_release_group(out, kp_plan_release(plan, i), name_width,
		                    style);
	print_shared_group(out, plan, name_width, style);
	fputs("\nThe command that would run:\n", out);
	cli_print_command(out, command, style);
}

/** Before a purge: what is purged, in one sentence and a list of names. */
void
cli_print_summary(FILE *out, const struct kp_plan *plan,
                  const struct cli_style *style)
{
	bool by_release = n_releases_purged(plan) > 0;
	size_t n = by_release ? kp_plan_n_releases(plan) :
	                        kp_plan_n_purge(plan);
	size_t i;
	int col = 2;

	fputs("Purging ", out);
	print_purge_counts(out, plan);
	fputs(":\n ", out);
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
