/*
 * purge-old-kernels - every sentence about a plan: what it purges, how
 * much that frees and the command that does it, in the words of the
 * --dry-run plan, the summary before a purge, "Purged ..." after it, and
 * the one-line notices of --hook and --auto. One wording of each, here.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-text.h"

#define SIZE_COLUMN 10 /* "1023.9 MiB": the dry-run's size column */

/* ------------------------------------------------------------- helpers */

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
	cli_print_wrapped(out, line, 0, 2, style->width);
	fputc('\n', out);
}

/** "BEFORE12 packages of 3 old kernel releases (freeing 1.2 GiB)AFTER". */
void
cli_print_purge_counts(FILE *out, const struct kp_plan *plan,
                       const char *before, const char *after,
                       const struct cli_style *style)
{
	print_counts(out, plan, before, "freeing", after, style);
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
	col = fprintf(out, "  %s%-*s%s %*s", cli_paint(style, CLI_RED), name_width,
	              p->name, cli_paint(style, CLI_RESET), SIZE_COLUMN, size);
	if (style->color)
		col -= (int)(strlen(CLI_RED) + strlen(CLI_RESET));
	if (p->why == NULL ||
	    (group_why != NULL && strcmp(p->why, group_why) == 0)) {
		fputc('\n', out);
		return;
	}
	/* Too little room left of a long name: the why goes below. */
	if (col + 2 + CLI_WHY_COLUMN_MIN >= style->width) {
		fprintf(out, "\n%*s", CLI_WHY_BELOW_INDENT, "");
		col = CLI_WHY_BELOW_INDENT - 2;
	} else {
		fputs("  ", out);
	}
	cli_print_wrapped(out, p->why, col + 2, col + 2, style->width);
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
			fprintf(out, "%s%s%s", cli_paint(style, CLI_BOLD), r->name,
			        cli_paint(style, CLI_RESET));
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
			        cli_paint(style, CLI_BOLD), cli_paint(style, CLI_RESET));
		header = true;
		print_purged_package(out, p, name_width, NULL, style);
	}
}

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
	cli_print_purge_counts(out, plan, "Would purge ", ":", style);
	fputc('\n', out);
	for (i = 0; i < kp_plan_n_releases(plan); i++)
		print_release_group(out, kp_plan_release(plan, i), name_width,
		                    style);
	print_shared_group(out, plan, name_width, style);
	print_next_boot_kept(out, plan);
	if (cli_boot_known(plan))
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

	cli_print_purge_counts(out, plan, simulate ? "Simulating the purge of " :
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
