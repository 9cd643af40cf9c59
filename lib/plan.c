/*
 * libkpurge - the plan: which releases and packages are kept or purged, and why.
 *
 * Steps: group the kernel packages of the database into releases (and
 * flavour-less packages per ABI), rank the releases by kernel version,
 * decide with the keep rules, keep what installed packages depend on until
 * nothing breaks, then list the purge.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kpurge-private.h"

/* ------------------------------------------------------------ strings */

static const char *
keep_string(struct kp_plan *plan, char *s)
{
	if (s == NULL)
		return NULL;
	if (plan->n_strings == plan->cap_strings) {
		size_t ncap = plan->cap_strings ? plan->cap_strings * 2 : 256;
		char **n = realloc(plan->strings, ncap * sizeof(*n));

		if (n == NULL) {
			free(s);
			return NULL;
		}
		plan->strings = n;
		plan->cap_strings = ncap;
	}
	plan->strings[plan->n_strings++] = s;
	return s;
}

#define plan_printf(plan, ...)                                                 \
	keep_string((plan), kp__strdup_printf(__VA_ARGS__))
#define plan_strdup(plan, s) keep_string((plan), strdup(s))

/* ------------------------------------------------------------ grouping */

struct grouping {
	const struct kp_ctx *ctx;
	size_t *order; /* package indexes of per-release packages, by release name */
	size_t n;
};

static const char *
release_name_of(const struct kp_ctx *ctx, size_t i)
{
	return kp__ctx_package(ctx, i)->kname.release;
}

static int
cmp_by_release_name(const void *a, const void *b, void *ctx)
{
	return strcmp(release_name_of(ctx, *(const size_t *)a),
	              release_name_of(ctx, *(const size_t *)b));
}

/* Create the releases: one per distinct release name of a per-release package. */
static int
make_releases(struct kp_plan *plan, const struct kp_ctx *ctx)
{
	size_t n = kp__ctx_n_packages(ctx), i, k = 0;
	size_t *order = malloc((n ? n : 1) * sizeof(*order));
	int r = -ENOMEM;

	if (order == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (!kp__ctx_package(ctx, i)->kname.shared)
			order[k++] = i;
	qsort_r(order, k, sizeof(*order), cmp_by_release_name, (void *)ctx);
	plan->releases = calloc(k ? k : 1, sizeof(*plan->releases));
	if (plan->releases == NULL)
		goto out;
	for (i = 0; i < k; i++) {
		const struct kp_name *kn = &kp__ctx_package(ctx, order[i])
		                                    ->kname;
		struct kp_release *rel;

		if (plan->n_releases == 0 ||
		    strcmp(plan->releases[plan->n_releases - 1].name,
		           kn->release) != 0) {
			rel = &plan->releases[plan->n_releases++];
			char sortv[2 * KP_NAME_MAX];

			rel->name = plan_strdup(plan, kn->release);
			rel->abi = plan_strdup(plan, kn->abi);
			rel->flavour = plan_strdup(plan, kn->flavour);
			rel->sort_version = kp_release_version(kn->abi, sortv,
			                                       sizeof(sortv)) <
			                                    0 ?
			                            plan_strdup(plan, kn->abi) :
			                            plan_strdup(plan, sortv);
			if (rel->name == NULL || rel->abi == NULL ||
			    rel->flavour == NULL || rel->sort_version == NULL)
				goto out;
		}
	}
	r = 0;
out:
	free(order);
	return r;
}

static long
find_release(const struct kp_plan *plan, const char *name)
{
	size_t lo = 0, hi = plan->n_releases;

	/* Releases are sorted by name until rank_releases() runs. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(plan->releases[mid].name, name);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * Which releases (by their index, sorted by name) have an image package:
 * one pass and a binary search each, so that many flavour-less packages
 * of ambiguous ABI cost n log n, not n squared. calloc'ed, or NULL.
 */
static bool *
releases_with_image(const struct kp_plan *plan, const struct kp_ctx *ctx)
{
	bool *image = calloc(plan->n_releases ? plan->n_releases : 1,
	                     sizeof(*image));
	size_t i;

	for (i = 0; image != NULL && i < kp__ctx_n_packages(ctx); i++) {
		const struct kp_name *kn = &kp__ctx_package(ctx, i)->kname;
		long r;

		if (kn->kind == KP_KIND_IMAGE && !kn->shared &&
		    (r = find_release(plan, kn->release)) >= 0)
			image[r] = true;
	}
	return image;
}

/* An ambiguous name belongs to a release only if that release has an image. */
static int
assign_packages(struct kp_plan *plan, const struct kp_ctx *ctx)
{
	bool *image = releases_with_image(plan, ctx);
	size_t i;

	if (image == NULL)
		return -ENOMEM;
	for (i = 0; i < kp__ctx_n_packages(ctx); i++) {
		const struct kp_name *kn = &kp__ctx_package(ctx, i)->kname;
		long r = find_release(plan, kn->release);

		plan->release_of[i] = -1;
		if (!kn->shared || (kn->ambiguous && r >= 0 && image[r]))
			plan->release_of[i] = r;
	}
	free(image);
	return 0;
}

/* --------------------------------------------------------------- state */

/*
 * One pass over the packages: each release's size, whether an image is
 * installed, whether only configuration files are left, what is held.
 */
static int
release_states(struct kp_plan *plan, const struct kp_ctx *ctx,
               const char **held_pkg)
{
	size_t n = plan->n_releases, i;
	bool *image = calloc(n ? n : 1, sizeof(*image));
	bool *not_rc = calloc(n ? n : 1, sizeof(*not_rc));

	if (image == NULL || not_rc == NULL) {
		free(image);
		free(not_rc);
		return -ENOMEM;
	}
	for (i = 0; i < kp__ctx_n_packages(ctx); i++) {
		const struct kp__dbpkg *p = kp__ctx_package(ctx, i);
		long r = plan->release_of[i];

		if (r < 0)
			continue;
		plan->releases[r].size_kib = kp__size_add(
		        plan->releases[r].size_kib, p->size_kib);
		not_rc[r] = not_rc[r] || p->state != KP_STATE_CONFIG_FILES;
		image[r] = image[r] || (p->kname.kind == KP_KIND_IMAGE &&
		                        p->state == KP_STATE_INSTALLED);
		if (p->kname.kind == KP_KIND_IMAGE &&
		    p->state == KP_STATE_BROKEN)
			plan->releases[r].image_broken = true;
		if (p->held && held_pkg[r] == NULL)
			held_pkg[r] = p->name;
	}
	for (i = 0; i < n; i++)
		plan->releases[i].state = image[i]  ? KP_RELEASE_COMPLETE :
		                          not_rc[i] ? KP_RELEASE_INCOMPLETE :
		                                      KP_RELEASE_CONFIG_ONLY;
	free(image);
	free(not_rc);
	return 0;
}

/* Newest first; flavours of one ABI by name. */
static int
cmp_releases(const void *a, const void *b)
{
	const struct kp_release *ra = a, *rb = b;
	int c = kp_release_compare(rb->abi, ra->abi);

	return c != 0 ? c : strcmp(ra->name, rb->name);
}

/* ------------------------------------------------------------ decisions */

/*
 * Does the protected value name rel: its release, or a version without a
 * flavour (6.8.0-40), which names every flavour of that version?
 */
static bool
protect_names(const char *value, const struct kp_release *rel)
{
	char abi[KP_NAME_MAX], flavour[KP_NAME_MAX];

	if (strcmp(value, rel->name) == 0)
		return true;
	return kp_release_split(value, abi, sizeof(abi), flavour,
	                        sizeof(flavour)) &&
	       flavour[0] == '\0' && strcmp(abi, rel->abi) == 0;
}

static bool
is_protected(const struct kp_plan_options *opts, const struct kp_release *rel)
{
	size_t i;

	for (i = 0; i < opts->n_protect; i++)
		if (protect_names(opts->protect[i], rel))
			return true;
	return false;
}

static void
decide(struct kp_plan *plan, struct kp_release *rel, enum kp_action action,
       enum kp_reason reason, const char *why)
{
	rel->action = action;
	rel->reason = reason;
	rel->why = why;
	rel->cause = (struct kp_cause){ NULL };
}

static void
decide_package(struct kp_package *pkg, enum kp_action action,
               enum kp_reason reason, const char *why)
{
	pkg->action = action;
	pkg->reason = reason;
	pkg->why = why;
	pkg->cause = (struct kp_cause){ NULL };
}

/* A copy of cause whose strings the plan owns (NULL where out of memory). */
static struct kp_cause
own_cause(struct kp_plan *plan, const struct kp_cause *cause)
{
	struct kp_cause c = { NULL };

	if (cause->held_by != NULL)
		c.held_by = plan_strdup(plan, cause->held_by);
	if (cause->needed_by != NULL)
		c.needed_by = plan_strdup(plan, cause->needed_by);
	if (cause->depends_on != NULL)
		c.depends_on = plan_strdup(plan, cause->depends_on);
	if (cause->apt_installs != NULL)
		c.apt_installs = plan_strdup(plan, cause->apt_installs);
	return c;
}

/*
 * The library's words for a held or needed cause (the why of the JSON
 * document; callers word the same facts themselves from the cause).
 */
static const char *
cause_why(struct kp_plan *plan, enum kp_reason reason, const struct kp_cause *c,
          bool flavourless)
{
	const char *why = NULL;

	if (reason == KP_REASON_HELD)
		return flavourless || c->held_by == NULL ?
		               "on hold" :
		               plan_printf(plan, "%s is on hold", c->held_by);
	if (c->apt_installs != NULL)
		why = plan_printf(
		        plan, "%s depends on it (apt would install %s)",
		        c->needed_by ? c->needed_by : "an installed package",
		        c->apt_installs);
	else if (c->needed_by != NULL && c->depends_on != NULL)
		why = plan_printf(plan, "needed by %s (depends on %s)",
		                  c->needed_by, c->depends_on);
	else if (c->needed_by != NULL)
		why = plan_printf(plan, "needed by %s", c->needed_by);
	return why != NULL ? why : "needed by another package";
}

/* Keep rel for a held package of it. */
static void
decide_held(struct kp_plan *plan, struct kp_release *rel, const char *held_pkg)
{
	struct kp_cause c = { .held_by = plan_strdup(plan, held_pkg) };

	decide(plan, rel, KP_KEEP, KP_REASON_HELD,
	       cause_why(plan, KP_REASON_HELD, &c, false));
	rel->cause = c;
}

/* Rank complete releases by version: flavours of one ABI share a rank. */
static const struct kp_release *
rank_releases(struct kp_plan *plan)
{
	const struct kp_release *newest = NULL, *prev = NULL;
	unsigned rank = 0;
	size_t i;

	for (i = 0; i < plan->n_releases; i++) {
		struct kp_release *rel = &plan->releases[i];

		if (rel->state != KP_RELEASE_COMPLETE)
			continue;
		if (prev == NULL ||
		    kp_release_compare(prev->abi, rel->abi) != 0)
			rank++;
		rel->rank = rank;
		prev = rel;
		if (newest == NULL)
			newest = rel;
	}
	return newest;
}

static void
decide_release(struct kp_plan *plan, struct kp_release *rel,
               const struct kp_release *newest, const char *held_pkg,
               const struct kp_plan_options *opts)
{
	if (rel->running)
		decide(plan, rel, KP_KEEP, KP_REASON_RUNNING,
		       "the running kernel");
	else if (held_pkg != NULL)
		decide_held(plan, rel, held_pkg);
	else if (is_protected(opts, rel))
		decide(plan, rel, KP_KEEP, KP_REASON_PROTECTED, "protected");
	else if (rel->rank == 1)
		decide(plan, rel, KP_KEEP, KP_REASON_LATEST,
		       "the newest kernel version");
	else if (kp__next_boot_names(plan, rel))
		decide(plan, rel, KP_KEEP, KP_REASON_NEXT_BOOT,
		       kp__next_boot_why(plan));
	else if (rel->rank != 0 && rel->rank <= opts->keep)
		decide(plan, rel, KP_KEEP, KP_REASON_NEWEST,
		       plan_printf(plan, "one of the %u newest kernel versions",
		                   opts->keep));
	else if (rel->state == KP_RELEASE_INCOMPLETE &&
	         (newest == NULL ||
	          kp_release_compare(rel->abi, newest->abi) > 0))
		decide(plan, rel, KP_KEEP, KP_REASON_NEWER_INCOMPLETE,
		       rel->image_broken ?
		               "not fully installed, but newer than every working image" :
		               "no kernel image, but newer than every installed image");
	else if (rel->state == KP_RELEASE_CONFIG_ONLY)
		decide(plan, rel, KP_PURGE, KP_REASON_CONFIG_ONLY,
		       "removed; only configuration files are left");
	else if (rel->state == KP_RELEASE_INCOMPLETE)
		decide(plan, rel, KP_PURGE, KP_REASON_NO_IMAGE,
		       rel->image_broken ?
		               "older, and its kernel image is not fully installed" :
		               "leftovers of a release without a kernel image");
	else if (opts->keep <= 1)
		decide(plan, rel, KP_PURGE, KP_REASON_OLD,
		       "older than the newest kernel version");
	else
		decide(plan, rel, KP_PURGE, KP_REASON_OLD,
		       plan_printf(plan,
		                   "older than the %u newest kernel versions",
		                   opts->keep));
}

/* ------------------------------------------------------------ packages */

static const struct kp_release *
newest_complete(const struct kp_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n_releases; i++)
		if (plan->releases[i].state == KP_RELEASE_COMPLETE)
			return &plan->releases[i];
	return NULL;
}

/* ------------------------------------------- shared packages by need */

static int
cmp_use(const void *a, const void *b)
{
	return strcmp(((const struct kp__shared_use *)a)->package,
	              ((const struct kp__shared_use *)b)->package);
}

static const struct kp__shared_use *
find_use(const struct kp_plan *plan, const char *package)
{
	struct kp__shared_use key = { .package = package };

	if (plan->n_uses == 0)
		return NULL;
	return bsearch(&key, plan->uses, plan->n_uses, sizeof(key), cmp_use);
}

/* Is the release kept, and installed (more than configuration files)? */
static bool
kept_installed(const struct kp_release *rel)
{
	return rel->action == KP_KEEP && rel->state != KP_RELEASE_CONFIG_ONLY;
}

/* The first kept, installed release that uses the package, or NULL. */
static const struct kp_release *
kept_user(const struct kp_plan *plan, const struct kp__shared_use *use)
{
	size_t i;

	for (i = 0; use != NULL && i < use->n_releases; i++)
		if (kept_installed(&plan->releases[use->releases[i]]))
			return &plan->releases[use->releases[i]];
	return NULL;
}

/*
 * The flavour family a flavour-less package's name is for: "rt" for
 * linux-headers-6.1.0-18-common-rt, "" (every flavour) for the others.
 */
static const char *
family_of(const char *name)
{
	const char *at = strstr(name, "-common-");

	return at == NULL ? "" : at + strlen("-common-");
}

static bool
in_family(const char *flavour, const char *family)
{
	size_t n = strlen(family);

	return strncmp(flavour, family, n) == 0 &&
	       (flavour[n] == '\0' || flavour[n] == '-' || n == 0);
}

/*
 * Without dependencies to go by: is a kept, installed release of the
 * package's ABI and flavour family there, or its ABI's kernel running?
 */
static bool
family_kept(const struct kp_plan *plan, const struct kp_package *pkg)
{
	const char *family = family_of(pkg->name);
	char rabi[KP_NAME_MAX];
	size_t i;

	if (plan->running != NULL &&
	    kp_release_split(plan->running, rabi, sizeof(rabi), NULL, 0) &&
	    strcmp(rabi, pkg->abi) == 0)
		return true;
	for (i = 0; i < plan->n_releases; i++)
		if (kept_installed(&plan->releases[i]) &&
		    strcmp(plan->releases[i].abi, pkg->abi) == 0 &&
		    in_family(plan->releases[i].flavour, family))
			return true;
	return false;
}

/* Is any release of the ABI there, in whatever state? */
static bool
abi_has_release(const struct kp_plan *plan, const char *abi)
{
	size_t i;

	for (i = 0; i < plan->n_releases; i++)
		if (strcmp(plan->releases[i].abi, abi) == 0)
			return true;
	return false;
}

/*
 * A flavour-less package stays while a kept, installed release uses it
 * (depends on it); one no installed kernel package depends on stays while
 * a kept, installed release of its ABI and flavour family does. Of an ABI
 * with no release at all, newer than every image, it is a kernel being
 * installed; leftovers of releases removed to configuration files are not.
 */
static void
decide_shared(struct kp_plan *plan, struct kp_package *pkg)
{
	const struct kp_release *newest = newest_complete(plan);
	const struct kp__shared_use *use = find_use(plan, pkg->name);
	const struct kp_release *user = kept_user(plan, use);

	if (pkg->held) {
		decide_package(pkg, KP_KEEP, KP_REASON_HELD, "on hold");
		pkg->cause.held_by = pkg->name;
	} else if (user != NULL)
		decide_package(pkg, KP_KEEP, KP_REASON_SHARED_KEPT,
		               plan_printf(plan, "used by the kept release %s",
		                           user->name));
	else if ((use == NULL || !use->has_users) && family_kept(plan, pkg))
		decide_package(pkg, KP_KEEP, KP_REASON_SHARED_KEPT,
		               plan_printf(plan,
		                           "shared by the kept releases of %s",
		                           pkg->abi));
	else if (pkg->state != KP_STATE_CONFIG_FILES &&
	         !abi_has_release(plan, pkg->abi) &&
	         (newest == NULL ||
	          kp_release_compare(pkg->abi, newest->abi) > 0))
		decide_package(pkg, KP_KEEP, KP_REASON_NEWER_INCOMPLETE,
		               "newer than every installed kernel image");
	else
		decide_package(
		        pkg, KP_PURGE, KP_REASON_SHARED_UNUSED,
		        use != NULL && use->has_users ?
		                "no kept, installed release uses it" :
		                plan_printf(plan,
		                            "no kept release of %s uses it",
		                            pkg->abi));
}

/* While collecting uses: the plan, the package's row of release flags. */
struct use_walk {
	const struct kp_plan *plan;
	bool *row;           /* n_releases flags for the package */
	size_t *shared_deps; /* flavour-less dependents (package indexes) */
	size_t n_shared_deps;
	bool any;
};

static void
note_dependent(size_t k, void *data)
{
	struct use_walk *w = data;
	size_t j;

	w->any = true;
	if (w->plan->release_of[k] >= 0) {
		w->row[w->plan->release_of[k]] = true;
		return;
	}
	/* Once each: a package may name it in several fields. */
	for (j = 0; j < w->n_shared_deps; j++)
		if (w->shared_deps[j] == k)
			return;
	w->shared_deps[w->n_shared_deps++] = k;
}

/* Package i's row: OR in the rows of its flavour-less dependents, until stable. */
static void
close_uses(bool *rows, size_t n_rel, size_t **deps, const size_t *n_deps,
           size_t n)
{
	bool changed = true;
	size_t i, j, r;

	while (changed) {
		changed = false;
		for (i = 0; i < n; i++)
			for (j = 0; j < n_deps[i]; j++)
				for (r = 0; r < n_rel; r++)
					if (rows[deps[i][j] * n_rel + r] &&
					    !rows[i * n_rel + r]) {
						rows[i * n_rel + r] = true;
						changed = true;
					}
	}
}

/* Turn the rows of the flavour-less packages into plan->uses. */
static int
store_uses(struct kp_plan *plan, const bool *rows, const bool *any)
{
	size_t n = plan->n_packages, nr = plan->n_releases, i, r, k = 0;

	plan->uses = calloc(n ? n : 1, sizeof(*plan->uses));
	if (plan->uses == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct kp__shared_use *u;

		if (plan->release_of[i] >= 0)
			continue;
		u = &plan->uses[k++];
		u->package = plan->packages[i].name;
		u->has_users = any[i];
		u->releases = malloc((nr ? nr : 1) * sizeof(*u->releases));
		plan->n_uses = k;
		if (u->releases == NULL)
			return -ENOMEM;
		for (r = 0; r < nr; r++)
			if (rows[i * nr + r])
				u->releases[u->n_releases++] = r;
	}
	qsort(plan->uses, plan->n_uses, sizeof(*plan->uses), cmp_use);
	return 0;
}

/*
 * For every flavour-less package: which releases' installed packages
 * depend on it, directly or through other flavour-less packages.
 */
static int
find_uses(struct kp_plan *plan, const struct kp_ctx *ctx)
{
	size_t n = plan->n_packages, nr = plan->n_releases, i;
	bool *rows = calloc(n * (nr ? nr : 1) + 1, sizeof(*rows));
	bool *any = calloc(n + 1, sizeof(*any));
	size_t **deps = calloc(n + 1, sizeof(*deps));
	size_t *n_deps = calloc(n + 1, sizeof(*n_deps));
	int r = -ENOMEM;

	if (rows == NULL || any == NULL || deps == NULL || n_deps == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		struct use_walk w = { plan, &rows[i * nr], NULL, 0, false };

		if (plan->release_of[i] >= 0)
			continue;
		w.shared_deps = deps[i] = malloc(n * sizeof(**deps));
		if (deps[i] == NULL)
			goto out;
		kp__ctx_each_dependent(ctx, i, note_dependent, &w);
		n_deps[i] = w.n_shared_deps;
		any[i] = w.any;
	}
	close_uses(rows, nr, deps, n_deps, n);
	r = store_uses(plan, rows, any);
out:
	for (i = 0; deps != NULL && i < n; i++)
		free(deps[i]);
	free(deps);
	free(n_deps);
	free(rows);
	free(any);
	return r;
}

static int
make_packages(struct kp_plan *plan, const struct kp_ctx *ctx)
{
	size_t i, n = kp__ctx_n_packages(ctx);

	plan->packages = calloc(n ? n : 1, sizeof(*plan->packages));
	if (plan->packages == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct kp__dbpkg *p = kp__ctx_package(ctx, i);
		struct kp_package *pkg = &plan->packages[i];

		pkg->name = plan_strdup(plan, p->name);
		pkg->version = plan_strdup(plan, p->version);
		pkg->abi = plan_strdup(plan, p->kname.abi);
		if (pkg->name == NULL || pkg->version == NULL ||
		    pkg->abi == NULL)
			return -ENOMEM;
		pkg->kind = p->kname.kind;
		pkg->state = p->state;
		pkg->held = p->held;
		pkg->size_kib = p->size_kib;
		pkg->recognised = p->recognised;
	}
	plan->n_packages = n;
	return 0;
}

/* A flavour-less package kept for a dependency or --protect stays kept. */
static bool
shared_decided(const struct kp_package *pkg)
{
	return pkg->reason == KP_REASON_NEEDED ||
	       pkg->reason == KP_REASON_PROTECTED;
}

/*
 * Give every package its release's decision, or its own if flavour-less:
 * while planning and again after a change (plan->release_of follows the
 * packages when link_packages() sorts them).
 */
static void
apply_decisions(struct kp_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n_packages; i++) {
		struct kp_package *pkg = &plan->packages[i];
		const struct kp_release *rel;

		if (plan->release_of[i] < 0) {
			pkg->release = NULL;
			if (!shared_decided(pkg))
				decide_shared(plan, pkg);
			continue;
		}
		rel = &plan->releases[plan->release_of[i]];
		pkg->release = rel->name;
		decide_package(pkg, rel->action, rel->reason, rel->why);
		pkg->cause = rel->cause;
	}
}

/* -------------------------------------------------- dependency fixpoint */

/*
 * Keep the release of package k, or k itself if flavour-less, for what
 * needs it (cause: owned by the plan), and give the packages the decision.
 */
static void
keep_for(struct kp_plan *plan, size_t k, const struct kp_cause *cause)
{
	long r = plan->release_of[k];
	const char *why = cause_why(plan, KP_REASON_NEEDED, cause, r < 0);

	if (r >= 0) {
		decide(plan, &plan->releases[r], KP_KEEP, KP_REASON_NEEDED,
		       why);
		plan->releases[r].cause = *cause;
	} else {
		decide_package(&plan->packages[k], KP_KEEP, KP_REASON_NEEDED,
		               why);
		plan->packages[k].cause = *cause;
	}
	apply_decisions(plan);
}

static bool
package_purged(size_t i, void *data)
{
	const struct kp_plan *plan = data;

	return plan->packages[i].action == KP_PURGE;
}

/*
 * Keep whatever an installed package outside the purge depends on, until
 * the purge breaks no dependency: apt would otherwise remove the dependent
 * too (a metapackage) or install a replacement.
 */
static void
keep_needed(struct kp_plan *plan, struct kp_ctx *ctx)
{
	const char *dependent;
	long i;

	while ((i = kp__ctx_find_broken_dependency(ctx, package_purged, plan,
	                                           &dependent)) >= 0) {
		struct kp_cause c = {
			.needed_by = plan_strdup(plan, dependent),
			.depends_on = plan->packages[i].name,
		};

		keep_for(plan, (size_t)i, &c);
		kp__log(ctx, KP_LOG_DEBUG, "keeping %s: %s",
		        plan->packages[i].name, plan->packages[i].why);
	}
}

/* ---------------------------------------------------------- the output */

static int
cmp_purge_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
list_purge(struct kp_plan *plan)
{
	size_t i;

	free(plan->purge);
	plan->n_purge = 0;
	plan->purge = calloc(plan->n_packages ? plan->n_packages : 1,
	                     sizeof(*plan->purge));
	if (plan->purge == NULL)
		return -ENOMEM;
	for (i = 0; i < plan->n_packages; i++) {
		if (plan->packages[i].action != KP_PURGE)
			continue;
		plan->purge[plan->n_purge++] = plan->packages[i].name;
	}
	qsort(plan->purge, plan->n_purge, sizeof(*plan->purge),
	      cmp_purge_names);
	return 0;
}

static int
package_key(const struct kp_plan *plan, size_t i)
{
	return plan->release_of[i] >= 0 ? (int)plan->release_of[i] :
	                                  (int)plan->n_releases;
}

static int
cmp_package_index(const void *a, const void *b, void *data)
{
	const struct kp_plan *sort_plan = data;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	int ka = package_key(sort_plan, ia), kb = package_key(sort_plan, ib);

	if (ka != kb)
		return ka < kb ? -1 : 1;
	return strcmp(sort_plan->packages[ia].name,
	              sort_plan->packages[ib].name);
}

/*
 * Order the packages by release (newest first, flavour-less last), then
 * name, and point each release at its run of packages.
 */
static int
link_packages(struct kp_plan *plan)
{
	size_t n = plan->n_packages, i, r, k = 0;
	size_t *order = malloc((n ? n : 1) * sizeof(*order));
	struct kp_package *sorted = malloc((n ? n : 1) * sizeof(*sorted));
	long *release_of = malloc((n ? n : 1) * sizeof(*release_of));

	/*
	 * An array of pointers: a pointer's size is meant. clang-tidy 14
	 * takes sizeof(*p) of a struct T **p for a mistaken sizeof(T *)
	 * (a known false positive, llvm-project pull request 94356).
	 */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	plan->by_release = calloc(n ? n : 1, sizeof(*plan->by_release));
	if (order == NULL || sorted == NULL || release_of == NULL ||
	    plan->by_release == NULL) {
		free(order);
		free(sorted);
		free(release_of);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		order[i] = i;
	/* Fewer than two are in order; see sort_releases() for the analyser. */
	if (n > 1)
		qsort_r(order, n, sizeof(*order), cmp_package_index, plan);
	for (i = 0; i < n; i++) {
		sorted[i] = plan->packages[order[i]];
		release_of[i] = plan->release_of[order[i]];
		plan->by_release[i] = &sorted[i];
	}
	for (r = 0; r < plan->n_releases; r++) {
		struct kp_release *rel = &plan->releases[r];

		rel->packages = &plan->by_release[k];
		while (k < n && sorted[k].release == rel->name)
			k++;
		rel->n_packages = (size_t)(&plan->by_release[k] -
		                           rel->packages);
	}
	free(plan->packages);
	plan->packages = sorted;
	free(plan->release_of);
	plan->release_of = release_of;
	free(order);
	return 0;
}

/* ------------------------------------------- changes after the build */

/** See kpurge-private.h. */
const char *
kp__plan_strdup(struct kp_plan *plan, const char *s)
{
	return plan_strdup(plan, s);
}

/* After a release or package changed to keep: its packages, the purge,
 * what it frees. */
static int
replan(struct kp_plan *plan)
{
	int r;

	apply_decisions(plan);
	r = list_purge(plan);
	kp__plan_count_freed(plan);
	return r;
}

/** See kpurge-private.h. */
int
kp__plan_keep_needed(struct kp_plan *plan, const char *package,
                     const struct kp_cause *cause)
{
	struct kp_cause owned;
	size_t i;

	for (i = 0; i < plan->n_packages; i++)
		if (strcmp(plan->packages[i].name, package) == 0)
			break;
	if (i == plan->n_packages || plan->packages[i].action != KP_PURGE)
		return -ENOENT;
	owned = own_cause(plan, cause);
	if ((cause->needed_by != NULL && owned.needed_by == NULL) ||
	    (cause->apt_installs != NULL && owned.apt_installs == NULL))
		return -ENOMEM;
	keep_for(plan, i, &owned);
	return replan(plan);
}

/** See kpurge-private.h. */
int
kp__plan_keep_release(struct kp_plan *plan, struct kp_release *rel,
                      enum kp_reason reason, const char *why)
{
	const char *owned = plan_strdup(plan, why);

	if (owned == NULL)
		return -ENOMEM;
	decide(plan, rel, KP_KEEP, reason, owned);
	return replan(plan);
}

/* -------------------------------------------------------------- driver */

static int
check_options(const struct kp_plan_options *opts, bool running_installed,
              struct kp_error *err)
{
	if (opts->keep > 0 || running_installed)
		return 0;
	if (opts->running == NULL) {
		kp__error_set(
		        err, -EINVAL,
		        "keeping no version besides the "
		        "running kernel, with no running kernel, would leave "
		        "the newest kernel version alone, with nothing to "
		        "fall back on; keep 1 version or more");
		return kp__error_cause(err, KP_CAUSE_KEEP_NOTHING_RUNS);
	}
	kp__error_set(err, -EINVAL,
	              "keeping no version besides the running "
	              "kernel keeps only %s, which is not installed on this "
	              "system; keep 1 version or more",
	              opts->running);
	return kp__error_cause(err, KP_CAUSE_KEEP_RUNNING_ABSENT);
}

/* Is a flavour-less package of release's ABI in the (built) plan? */
static bool
has_shared_of(const struct kp_plan *plan, const char *release)
{
	char abi[KP_NAME_MAX];
	size_t k;

	if (!kp_release_split(release, abi, sizeof(abi), NULL, 0))
		return false;
	for (k = 0; k < plan->n_packages; k++)
		if (plan->packages[k].release == NULL &&
		    strcmp(plan->packages[k].abi, abi) == 0)
			return true;
	return false;
}

/* Is a release of value's version installed? */
static bool
has_release_of(const struct kp_plan *plan, const char *value)
{
	char abi[KP_NAME_MAX];
	size_t r;

	if (!kp_release_split(value, abi, sizeof(abi), NULL, 0))
		return false;
	for (r = 0; r < plan->n_releases; r++)
		if (strcmp(plan->releases[r].abi, abi) == 0)
			return true;
	return false;
}

/**
 * How many releases a protected value (a release, or a version without
 * its flavour) names in the plan; 1 for a release of which only the
 * flavour-less packages of its version are left (those it keeps). 0: it
 * names nothing installed, a typo perhaps (another flavour of an
 * installed version is one).
 */
size_t
kp_plan_protect_matches(const struct kp_plan *plan, const char *value)
{
	size_t r, n = 0;

	for (r = 0; r < plan->n_releases; r++)
		n += protect_names(value, &plan->releases[r]);
	if (n == 0 && !has_release_of(plan, value))
		n = has_shared_of(plan, value);
	return n;
}

static int
cmp_release_index(const void *a, const void *b, void *data)
{
	const struct kp_plan *sort_plan = data;

	return cmp_releases(&sort_plan->releases[*(const size_t *)a],
	                    &sort_plan->releases[*(const size_t *)b]);
}

/* Sort releases newest first, keeping release_of pointing right. */
static int
sort_releases(struct kp_plan *plan)
{
	size_t n = plan->n_releases, i;
	size_t *order;
	long *where;
	struct kp_release *sorted;

	/*
	 * No releases, nothing to sort. (Returning before qsort_r() also keeps
	 * the static analyser, which forgets all of *plan once it is passed to
	 * qsort_r(), off paths where releases appear from nowhere.)
	 */
	if (n == 0)
		return 0;
	order = malloc(n * sizeof(*order));
	where = malloc(n * sizeof(*where));
	sorted = malloc(n * sizeof(*sorted));
	if (order == NULL || where == NULL || sorted == NULL) {
		free(order);
		free(where);
		free(sorted);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), cmp_release_index, plan);
	for (i = 0; i < n; i++) {
		sorted[i] = plan->releases[order[i]];
		where[order[i]] = (long)i;
	}
	for (i = 0; i < plan->n_packages; i++)
		if (plan->release_of[i] >= 0)
			plan->release_of[i] = where[plan->release_of[i]];
	free(plan->releases);
	plan->releases = sorted;
	free(order);
	free(where);
	return 0;
}

/* Releases are no longer sorted by name once ranked: a linear search. */
static long
find_release_sorted(const struct kp_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; i < plan->n_releases; i++)
		if (strcmp(plan->releases[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void
mark_running(struct kp_plan *plan)
{
	long r = plan->running ? find_release_sorted(plan, plan->running) : -1;

	if (r < 0)
		return;
	plan->releases[r].running = true;
	plan->running_installed = plan->releases[r].state !=
	                          KP_RELEASE_CONFIG_ONLY;
}

/*
 * A protected release keeps the flavour-less packages of its ABI too, even
 * with none of its own left (linux-headers-6.8.0-40 after the image of
 * 6.8.0-40-generic is gone; linux-headers-6.7.0-rc1+ without its image),
 * whichever flavours use them. Held ones keep their usual reason. The
 * decision sticks, like a dependency's (see shared_decided()).
 */
static void
protect_shared(struct kp_plan *plan, const struct kp_plan_options *opts)
{
	char abi[KP_NAME_MAX];
	size_t i, k;

	for (i = 0; i < opts->n_protect; i++) {
		if (!kp_release_split(opts->protect[i], abi, sizeof(abi), NULL,
		                      0))
			continue;
		for (k = 0; k < plan->n_packages; k++) {
			struct kp_package *pkg = &plan->packages[k];

			if (plan->release_of[k] >= 0 ||
			    strcmp(pkg->abi, abi) != 0 || pkg->held)
				continue;
			decide_package(
			        pkg, KP_KEEP, KP_REASON_PROTECTED,
			        plan_printf(plan, "of the protected release %s",
			                    opts->protect[i]));
		}
	}
}

static int
decide_all(struct kp_plan *plan, struct kp_ctx *ctx,
           const struct kp_plan_options *opts, struct kp_error *err)
{
	const struct kp_release *newest;
	const char **held = calloc(plan->n_releases ? plan->n_releases : 1,
	                           sizeof(*held));
	size_t r;
	int ret;

	if (held == NULL)
		return -ENOMEM;
	ret = release_states(plan, ctx, held);
	if (ret < 0)
		goto out;
	mark_running(plan);
	ret = check_options(opts, plan->running_installed, err);
	if (ret < 0)
		goto out;
	newest = rank_releases(plan);
	for (r = 0; r < plan->n_releases; r++)
		decide_release(plan, &plan->releases[r], newest, held[r], opts);
	protect_shared(plan, opts);
	kp__next_boot_check(plan, ctx);
out:
	free(held);
	return ret;
}

static int
build(struct kp_plan *plan, struct kp_ctx *ctx,
      const struct kp_plan_options *opts, struct kp_error *err)
{
	size_t n = kp__ctx_n_packages(ctx);
	int r;

	plan->keep = opts->keep;
	plan->only_auto_installed = opts->only_auto_installed;
	if (opts->running != NULL &&
	    (plan->running = strdup(opts->running)) == NULL)
		return -ENOMEM;
	plan->release_of = calloc(n ? n : 1, sizeof(*plan->release_of));
	if (plan->release_of == NULL)
		return -ENOMEM;
	/* linux-image-6.7.1-dbg is release 6.7.1-dbg if that one runs. */
	kp__ctx_prefer_release(ctx, opts->running);
	plan->next_boot = kp__next_boot_read(ctx);
	for (size_t i = 0; i < opts->n_protect; i++)
		kp__ctx_prefer_release(ctx, opts->protect[i]);
	if ((r = make_releases(plan, ctx)) < 0 ||
	    (r = make_packages(plan, ctx)) < 0)
		return r;
	if ((r = assign_packages(plan, ctx)) < 0)
		return r;
	if ((r = sort_releases(plan)) < 0 || (r = find_uses(plan, ctx)) < 0)
		return r;
	r = decide_all(plan, ctx, opts, err);
	if (r < 0)
		return r;
	apply_decisions(plan);
	keep_needed(plan, ctx);
	if ((r = link_packages(plan)) < 0 || (r = list_purge(plan)) < 0)
		return r;
	kp__log(ctx, KP_LOG_DEBUG,
	        "plan made: %zu releases, %zu packages to purge",
	        plan->n_releases, plan->n_purge);
	kp__plan_measure_boot(plan, kp_ctx_root(ctx), kp_ctx_admindir(ctx));
	kp__log(ctx, KP_LOG_DEBUG, "/boot measured");
	return 0;
}

/**
 * Compute the plan for the system of ctx with opts. Returns 0 and *out (to
 * free with kp_plan_free()), or a negative code with err filled.
 */
int
kp_plan_new(struct kp_ctx *ctx, const struct kp_plan_options *opts,
            struct kp_plan **out, struct kp_error *err)
{
	struct kp_plan *plan = calloc(1, sizeof(*plan));
	int r;

	*out = NULL;
	if (plan == NULL)
		return kp__error_set(err, -ENOMEM, "out of memory");
	r = build(plan, ctx, opts, err);
	if (r < 0) {
		if (r == -ENOMEM)
			kp__error_set(err, r,
			              "out of memory computing the plan");
		kp_plan_free(plan);
		return r;
	}
	*out = plan;
	return 0;
}

/** Free a plan; NULL is fine. */
void
kp_plan_free(struct kp_plan *plan)
{
	size_t i;

	if (plan == NULL)
		return;
	for (i = 0; i < plan->n_strings; i++)
		free(plan->strings[i]);
	free(plan->strings);
	free(plan->releases);
	free(plan->packages);
	free(plan->by_release);
	free(plan->purge);
	kp__orphans_free(plan->orphans);
	free(plan->running);
	free(plan->next_boot);
	free(plan->release_of);
	for (i = 0; i < plan->n_uses; i++)
		free(plan->uses[i].releases);
	free(plan->uses);
	free(plan);
}

size_t
kp_plan_n_releases(const struct kp_plan *plan)
{
	return plan->n_releases;
}

const struct kp_release *
kp_plan_release(const struct kp_plan *plan, size_t i)
{
	return i < plan->n_releases ? &plan->releases[i] : NULL;
}

size_t
kp_plan_n_packages(const struct kp_plan *plan)
{
	return plan->n_packages;
}

const struct kp_package *
kp_plan_package(const struct kp_plan *plan, size_t i)
{
	return i < plan->n_packages ? &plan->packages[i] : NULL;
}

size_t
kp_plan_n_purge(const struct kp_plan *plan)
{
	return plan->n_purge;
}

const char *
kp_plan_purge_name(const struct kp_plan *plan, size_t i)
{
	return i < plan->n_purge ? plan->purge[i] : NULL;
}

unsigned long long
kp_plan_purge_kib(const struct kp_plan *plan)
{
	return plan->purge_kib;
}

const char *
kp_plan_running(const struct kp_plan *plan)
{
	return plan->running;
}

bool
kp_plan_running_installed(const struct kp_plan *plan)
{
	return plan->running_installed;
}

bool
kp_plan_proved(const struct kp_plan *plan)
{
	return plan->proved;
}

unsigned
kp_plan_keep(const struct kp_plan *plan)
{
	return plan->keep;
}
