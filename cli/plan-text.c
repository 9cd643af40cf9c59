/*
 * purge-old-kernels - every sentence about a plan: what it purges, how
 * much that frees and the command that does it, in the words of the
 * --dry-run plan, the summary before a purge, "Purged ..." after it, and
 * the one-line notices of --hook and --auto. One wording of each, here.
 */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan-text.h"

/* Release names a one-line message names before "and N more". */
#define CLI_PLAN_NAMES_MAX 3
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
	snprintf(line, sizeof(line), "%s%zu package%s%s (%s %s)%s", before, n,
	         n == 1 ? "" : "s", releases, freeing, size, after);
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
	col = fprintf(out, "  %s%-*s%s %*s", cli_paint(style, CLI_RED),
	              name_width, p->name, cli_paint(style, CLI_RESET),
	              SIZE_COLUMN, size);
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
			fprintf(out, "%s%s%s", cli_paint(style, CLI_BOLD),
			        r->name, cli_paint(style, CLI_RESET));
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
			        cli_paint(style, CLI_BOLD),
			        cli_paint(style, CLI_RESET));
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
			fprintf(out, "Kept for the next boot: %s (%s).\n",
			        r->name, r->why);
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

	cli_print_purge_counts(
	        out, plan, simulate ? "Simulating the purge of " : "Purging ",
	        simulate ? "; apt-get -s changes "
	                   "nothing:" :
	                   ":",
	        style);
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

/* ------------------------------------------------------- the one-liners */

/**
 * What the plan purges, for a one-line message: "2 old kernel releases
 * (a and b)", at most three names ("a, b, c and 2 more"); "1 leftover
 * kernel package" when no release goes, only packages of none.
 */
void
cli_plan_what(const struct kp_plan *plan, char *buf, size_t size)
{
	size_t r = n_releases_purged(plan), n = kp_plan_n_purge(plan);
	char names[1024];

	if (r == 0) {
		snprintf(buf, size, "%zu leftover kernel package%s", n,
		         n == 1 ? "" : "s");
		return;
	}
	cli_release_list(plan, CLI_PLAN_NAMES_MAX, names, sizeof(names));
	snprintf(buf, size, "%zu old kernel release%s (%s)", r,
	         r == 1 ? "" : "s", names);
}

/**
 * What it frees, from s's figures: "113 MiB in /boot, 290 MiB in all";
 * "290 MiB" when nothing of it is in /boot.
 */
void
cli_plan_space(const struct kp_summary *s, char *buf, size_t size)
{
	char boot[32], all[32];

	cli_format_bytes(s->purgeable_bytes, all, sizeof(all));
	if (s->purgeable_boot_bytes == 0) {
		snprintf(buf, size, "%s", all);
		return;
	}
	cli_format_bytes(s->purgeable_boot_bytes, boot, sizeof(boot));
	snprintf(buf, size, "%s in /boot, %s in all", boot, all);
}

/**
 * "WHAT [and ALSO] can be purged, freeing SPACE": the sentence the hook's
 * notice and the periodic job's report begin with. also (files no package
 * owns, in words) may be NULL or "".
 */
void
cli_plan_can_go(const struct kp_plan *plan, const char *also, char *buf,
                size_t size)
{
	struct kp_summary s;
	char what[1280], space[96];

	kp_summary_init(&s);
	kp_summary_from_plan(&s, plan);
	cli_plan_what(plan, what, sizeof(what));
	cli_plan_space(&s, space, sizeof(space));
	snprintf(buf, size, "%s%s%s can be purged, freeing %s", what,
	         also != NULL && also[0] != '\0' ? " and " : "",
	         also != NULL ? also : "", space);
}

/**
 * The command that carries the plan out, quoted as the user types it:
 * "'sudo purge-old-kernels --root=DIR --keep=N'", with " --orphans" when
 * orphans is true (files no package owns go only then).
 */
void
cli_plan_command(const struct cli_options *opts, bool orphans, char *buf,
                 size_t size)
{
	char options[PATH_MAX + 1024];

	cli_plan_options(opts, options, sizeof(options));
	snprintf(buf, size, "'" CLI_PURGE_COMMAND "%s%s'", options,
	         orphans ? " --orphans" : "");
}

/**
 * " (R is kept: GRUB boots it next)" when only the boot loader keeps R;
 * "" otherwise.
 */
void
cli_plan_next_boot(const struct kp_plan *plan, char *buf, size_t size)
{
	const struct kp_next_boot *nb = kp_plan_next_boot(plan);
	size_t i;

	buf[0] = '\0';
	for (i = 0; nb != NULL && i < kp_plan_n_releases(plan); i++)
		if (kp_plan_release(plan, i)->reason == KP_REASON_NEXT_BOOT)
			snprintf(buf, size, " (%s is kept: %s boots it next)",
			         kp_plan_release(plan, i)->name, nb->loader);
}
