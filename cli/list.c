/*
 * purge-old-kernels - the --list table: every release with its state,
 * size, action and why, the flavour-less packages, the packages known by
 * structure, the totals, /boot's space and apt's view, as apt's
 * private-list.cc holds apt list. Everything shown comes from the plan;
 * nothing here decides anything.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "plan-text.h"
#include "why.h"

#define RUNNING_MARK " (running)"
#define NAME_COLUMN_MAX 40

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

	fprintf(out, "%s%-*s  %-*s  %*s  ",
	        cli_paint(style, header ? CLI_BOLD : ""), c->name, row->name,
	        c->state, row->state, c->size, row->size);
	if (c->boot > 0)
		fprintf(out, "%*s  ", c->boot, row->boot);
	fprintf(out, "%s%s%s%*s",
	        cli_paint(style, header ? "" : row->action_color), row->action,
	        cli_paint(style, header ? "" : CLI_RESET),
	        ACTION_COLUMN - (int)strlen(row->action), "");
	/* A name too long for the WHY column: this row's why goes below. */
	if (c->why_below || c->why_at + longest_word(why) >= style->width) {
		fprintf(out, "\n%*s", CLI_WHY_BELOW_INDENT, "");
		cli_print_wrapped(out, why, CLI_WHY_BELOW_INDENT,
		                  CLI_WHY_BELOW_INDENT, style->width);
	} else {
		fputs("  ", out);
		cli_print_wrapped(out, why, c->why_at, c->why_at, style->width);
	}
	fprintf(out, "%s\n", cli_paint(style, header ? CLI_RESET : ""));
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
	c->why_below = c->why_at + CLI_WHY_COLUMN_MIN >= style->width;
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

static struct columns
release_columns(const struct kp_plan *plan, const struct cli_style *style)
{
	struct columns c = {
		(int)strlen("RELEASE"),
		(int)strlen("STATE"),
		(int)strlen("SIZE"),
		0,
		0,
		false,
	};
	char boot[32];
	size_t i;

	if (cli_boot_known(plan))
		c.boot = (int)strlen(BOOT_HEADER);
	for (i = 0; i < kp_plan_n_releases(plan); i++) {
		const struct kp_release *r = kp_plan_release(plan, i);

		fit_columns(&c,
		            strlen(r->name) + (running_mark(r) ?
		                                       strlen(RUNNING_MARK) :
		                                       0),
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
	return action == KP_PURGE ? CLI_RED : CLI_GREEN;
}

static void
print_release_row(FILE *out, const struct columns *c,
                  const struct kp_release *r, const struct cli_style *style)
{
	char name[256], size[32], boot[32], why[512];
	struct row row = {
		name,
		kp_release_state_name(r->state),
		size,
		boot,
		action_label(r->action),
		action_color(r->action),
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
		(int)strlen("PACKAGE"),
		(int)strlen("STATE"),
		(int)strlen("SIZE"),
		0,
		0,
		false,
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
	cli_print_wrapped(out,
	                  "Flavour-less packages, shared by the releases of "
	                  "one ABI:",
	                  0, 0, style->width);
	fputc('\n', out);
	print_header(out, &c, "PACKAGE", style);
	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);
		char size[32], why[512];
		struct row row = {
			p->name,
			kp_state_name(p->state),
			size,
			"",
			action_label(p->action),
			action_color(p->action),
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
		cli_print_purge_counts(out, plan, "To purge: ", ".", style);
	}
	cli_print_space(out, plan, style);
	cli_print_apt_view(out, plan, style);
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
			fprintf(m, " (%s)",
			        cli_release_why(r, why, sizeof(why)));
		first = false;
	}
	fputc('.', m);
	if (fclose(m) == 0 && !first) {
		cli_print_wrapped(out, text, 0, 2, style->width);
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
		fprintf(m, "%s%s%s", sep, p->name,
		        p->held                   ? " (on hold)" :
		        p->mark == KP_MARK_MANUAL ? " (installed by hand)" :
		                                    "");
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
		                        "protected (APT::NeverAutoRemove)",
		      m);
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
		cli_print_wrapped(out, text, col,
		                  col < style->width / 2 ? col : 4,
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
	cli_print_wrapped(out,
	                  "What apt autoremove would do, release by release "
	                  "(with apt's mark of its image):",
	                  0, 0, style->width);
	fputc('\n', out);
	for (i = 0; i < n; i++)
		print_verdict_row(out, kp_plan_release(plan, i), width, style);
	print_releases_where(out, plan, "Purged here but protected by apt",
	                     purged_but_apt_protects, false, style);
}
