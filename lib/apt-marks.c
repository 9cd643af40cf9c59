/*
 * libkpurge - apt's own protections and marks: APT::NeverAutoRemove, the
 * automatically-installed marks (apt-mark showauto) and what `apt
 * autoremove` would do, asked of apt through the module (apt-shim.h).
 *
 * The rule for APT::NeverAutoRemove: apt never autoremoves a package whose
 * name matches one of the patterns (POSIX extended, case-insensitive). The
 * distribution's patterns match every kernel or none ("^linux-image-.*"
 * of some derivatives, the metapackage patterns of Debian's 01autoremove):
 * a pattern keeps a release only when it matches its image and not every
 * installed image, so what an administrator wrote for one kernel counts
 * and what matches all kernels changes nothing. apt's generated kernel
 * protection (the running and newest kernels) is its own: apt_protects.
 */
#include <config.h>

#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "apt-shim.h"
#include "kpurge-private.h"

/* Does the pattern match name as apt matches it? -1: not a valid pattern. */
static int
pattern_matches(const char *pattern, const char *name)
{
	regex_t re;
	int r;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
		return -1;
	r = regexec(&re, name, 0, NULL, 0) == 0;
	regfree(&re);
	return r;
}

/** See kpurge.h. */
long
kp_apt_never_pattern(const char *const *patterns, const char *image,
                     const char *const *images, size_t n, bool *any)
{
	long found = -1;
	size_t p, i;

	if (any != NULL)
		*any = false;
	for (p = 0; patterns != NULL && patterns[p] != NULL; p++) {
		bool all = true;

		if (pattern_matches(patterns[p], image) != 1)
			continue;
		if (any != NULL)
			*any = true;
		for (i = 0; i < n && all; i++)
			all = pattern_matches(patterns[p], images[i]) == 1;
		if (!all && found < 0)
			found = (long)p;
	}
	return found;
}

/* The package's name as apt's patterns see it: without ":arch". */
static void
bare_name(const char *name, char *buf, size_t size)
{
	size_t len = strcspn(name, ":");

	snprintf(buf, size, "%.*s", (int)(len < size ? len : size - 1), name);
}

/* The installed image of rel, or NULL. */
static const struct kp_package *
installed_image(const struct kp_release *rel)
{
	size_t j;

	for (j = 0; j < rel->n_packages; j++)
		if (rel->packages[j]->kind == KP_KIND_IMAGE &&
		    rel->packages[j]->state != KP_STATE_CONFIG_FILES)
			return rel->packages[j];
	return NULL;
}

/* Every installed image's bare name: an array of n (free each, then it). */
static char **
image_names(const struct kp_plan *plan, size_t *n)
{
	char **v = calloc(plan->n_releases + 1, sizeof(*v)),
	     buf[KP_NAME_MAX * 2];
	size_t r;

	*n = 0;
	for (r = 0; v != NULL && r < plan->n_releases; r++) {
		const struct kp_package *img = installed_image(
		        &plan->releases[r]);

		if (img == NULL)
			continue;
		bare_name(img->name, buf, sizeof(buf));
		if ((v[*n] = strdup(buf)) == NULL)
			break;
		++*n;
	}
	return v;
}

static void
strv_free_n(char **v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

/* A release's mark: its image's, else manual if any installed one is. */
static enum kp_install_mark
release_mark(const struct kp_release *rel)
{
	const struct kp_package *img = installed_image(rel);
	enum kp_install_mark mark = KP_MARK_UNKNOWN;
	size_t j;

	if (img != NULL)
		return img->mark;
	for (j = 0; j < rel->n_packages; j++) {
		const struct kp_package *p = rel->packages[j];

		if (p->state == KP_STATE_CONFIG_FILES)
			continue;
		if (p->mark != KP_MARK_AUTO)
			return p->mark == KP_MARK_MANUAL ? KP_MARK_MANUAL :
			                                   KP_MARK_UNKNOWN;
		mark = KP_MARK_AUTO;
	}
	return mark;
}

/* What apt autoremove does to rel, before its kernel protection is known. */
static enum kp_apt_verdict
verdict_of(const struct kp_release *rel, bool never_any)
{
	size_t j, installed = 0, removed = 0;

	for (j = 0; j < rel->n_packages; j++) {
		installed += rel->packages[j]->state != KP_STATE_CONFIG_FILES;
		removed += rel->packages[j]->apt_autoremoves;
	}
	if (installed == 0)
		return KP_APT_VERDICT_NONE;
	if (removed == installed)
		return KP_APT_VERDICT_WOULD_REMOVE;
	if (removed > 0)
		return KP_APT_VERDICT_PARTIAL;
	if (never_any)
		return KP_APT_VERDICT_PROTECTED;
	if (rel->mark == KP_MARK_UNKNOWN)
		return KP_APT_VERDICT_UNKNOWN; /* apt has none of it installed */
	return rel->mark == KP_MARK_AUTO ? KP_APT_VERDICT_NEEDED :
	                                   KP_APT_VERDICT_NEVER;
}

/* Store apt's answers for the plan's packages (marks: one per package). */
static void
store_marks(struct kp_plan *plan, const struct kp_apt_mark *marks)
{
	size_t i;

	for (i = 0; i < plan->n_packages; i++) {
		struct kp_package *p = &plan->packages[i];

		if (!marks[i].known)
			continue;
		p->mark = marks[i].automatic ? KP_MARK_AUTO : KP_MARK_MANUAL;
		p->apt_autoremoves = marks[i].removed;
	}
	for (i = 0; i < plan->n_releases; i++)
		plan->releases[i].mark = release_mark(&plan->releases[i]);
}

/* Keep a release to purge that apt protects, or that is not automatic. */
static int
keep_by_apt(struct kp_plan *plan, struct kp_release *rel)
{
	const struct kp_package *img = installed_image(rel);
	char why[1024];

	if (rel->action != KP_PURGE)
		return 0;
	if (rel->apt_never_autoremove != NULL) {
		snprintf(why, sizeof(why),
		         "APT::NeverAutoRemove pattern '%s' "
		         "names %s",
		         rel->apt_never_autoremove, img->name);
		return kp__plan_keep_release(
		        plan, rel, KP_REASON_APT_NEVER_AUTOREMOVE, why);
	}
	if (!plan->only_auto_installed || rel->mark == KP_MARK_AUTO ||
	    rel->apt_autoremove == KP_APT_VERDICT_NONE)
		return 0;
	if (rel->mark == KP_MARK_MANUAL)
		snprintf(why, sizeof(why),
		         "installed by hand: apt marks %s "
		         "manually installed",
		         img != NULL ? img->name : "a package of it");
	else
		snprintf(why, sizeof(why),
		         "apt does not mark it automatically "
		         "installed");
	return kp__plan_keep_release(plan, rel, KP_REASON_MANUALLY_INSTALLED,
	                             why);
}

/* Each release's pattern, its first verdict, and what apt keeps. */
static int
judge_releases(struct kp_plan *plan, const char *const *patterns)
{
	size_t n_images, r;
	char **images = image_names(plan, &n_images), buf[KP_NAME_MAX * 2];
	int ret = images == NULL ? -ENOMEM : 0;

	for (r = 0; ret == 0 && r < plan->n_releases; r++) {
		struct kp_release *rel = &plan->releases[r];
		const struct kp_package *img = installed_image(rel);
		bool any = false;
		long p = -1;

		if (img != NULL) {
			bare_name(img->name, buf, sizeof(buf));
			p = kp_apt_never_pattern(patterns, buf,
			                         (const char *const *)images,
			                         n_images, &any);
		}
		if (p >= 0 && (rel->apt_never_autoremove = kp__plan_strdup(
		                       plan, patterns[p])) == NULL)
			ret = -ENOMEM;
		rel->apt_autoremove = verdict_of(rel, any);
	}
	for (r = 0; ret == 0 && r < plan->n_releases; r++)
		ret = keep_by_apt(plan, &plan->releases[r]);
	strv_free_n(images, n_images);
	return ret;
}

/** See kpurge-private.h. */
int
kp__plan_apt_marks(struct kp_plan *plan, struct kp_apt *apt,
                   const char *running, struct kp_error *err)
{
	const char **names = calloc(plan->n_packages + 1, sizeof(*names));
	struct kp_apt_mark *marks = calloc(plan->n_packages + 1,
	                                   sizeof(*marks));
	char **patterns = NULL;
	size_t i;
	int r = -ENOMEM;

	if (names == NULL || marks == NULL)
		goto out;
	for (i = 0; i < plan->n_packages; i++)
		names[i] = plan->packages[i].name;
	r = kp_apt_autoremove(apt, running, names, plan->n_packages, marks,
	                      &patterns, err);
	if (r < 0)
		goto out;
	store_marks(plan, marks);
	r = judge_releases(plan, (const char *const *)patterns);
out:
	if (r == -ENOMEM)
		kp__error_set(err, r, "out of memory reading apt's marks");
	kp_apt_strv_free(patterns);
	free(names);
	free(marks);
	return r;
}

/** See kpurge-private.h. */
void
kp__plan_apt_verdicts(struct kp_plan *plan)
{
	size_t r;

	for (r = 0; r < plan->n_releases; r++) {
		struct kp_release *rel = &plan->releases[r];

		if (rel->apt_protects &&
		    (rel->apt_autoremove == KP_APT_VERDICT_NEVER ||
		     rel->apt_autoremove == KP_APT_VERDICT_NEEDED))
			rel->apt_autoremove = KP_APT_VERDICT_PROTECTED;
	}
}
