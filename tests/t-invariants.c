/*
 * t-invariants: the safety rules of the plan, checked over thousands of
 * random systems (tests/gen-system.c) read by the real libdpkg.
 *
 * For every generated system the plan must keep the running release, the
 * newest complete version in full, the newest --keep versions, what is
 * held or protected, and everything a remaining package depends on; it
 * must plan nothing outside a kernel family, and planning again on what
 * is left must plan nothing. Removing a package outside the kernels that
 * changes the plan must change the apt hook's fingerprint. Each rule is checked against the generator's
 * own model of the system, not against libkpurge's reading of names. A
 * sample of the plans is also proved with apt's resolver and simulated
 * once more: apt must remove exactly the plan and install nothing. Every
 * package has its dpkg file list, as on a real system: libkpurge reads
 * those of images to tell which release they boot, and those of names no
 * scheme knows. Some systems hold such invented names ("linux-zfs-bits-R",
 * see future_names() in gen-system.c), tied to R by files or dependencies
 * (members, purged with R) or by nothing (outside, never purged); the
 * model says which, and every member must be in R, nothing outside planned.
 *
 * Environment:
 *   KP_SEED=N        base seed (default: fixed; "random" for a new one)
 *   KP_CASES=N       number of generated systems (default 3000)
 *   KP_CASE=N        run case N only (replay one failure)
 *   KP_APT_SAMPLE=N  how many of the cases go through apt too (default 40)
 *   KP_VERBOSE=1     print every system, not only failing ones
 *   KP_TRICKY=N      custom releases whose local version looks like a
 *                    package suffix ("6.6.1-dbg"), told apart by the file
 *                    lists: 1 (default) with them, 0 none (see
 *                    gen_params.tricky in gen-system.h)
 * A failure prints the case, its seed and the whole system, and the line
 * to run it again alone.
 */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <dpkg/dpkg-db.h>
#include <dpkg/version.h>

#include "apt-shim.h"
#include "gen-system.h"
#include "kpurge-app.h"
#include "kpurge.h"
#include "kpurge-private.h"
#include "statusdb.h"

#define DEFAULT_SEED 20261130u
#define DEFAULT_CASES 3000u
#define DEFAULT_APT_SAMPLE 40u
#define MAX_REPORTED 12 /* failing cases shown in full */

static uint64_t base_seed;
static unsigned n_cases, apt_sample;
static long only_case = -1;
static unsigned tricky;
static bool verbose;
static char *root;
/* What the case's purge forwards to apt-get (choose_apt_setup()). */
static struct kp_apt_config forwarded;

/* What a run saw, for the summary line. */
static struct {
	unsigned cases, plans, einval, purging, packages, purged;
	unsigned proved, amended, simulated, apt_refused, failed_cases;
	unsigned auto_marked, autoremove_forwarded;
	unsigned tricky, tricky_complete; /* releases (KP_TRICKY) */
	/* Packages outside the kernels removed for the fingerprint check,
	 * and how many of those removals changed the plan. */
	unsigned fp_removed, fp_plan_changed, fp_changed;
	/* How often each rule decided: evidence the generator reaches it. */
	unsigned release_reasons[KP_REASON_SHARED_UNUSED + 1];
	unsigned shared_reasons[KP_REASON_SHARED_UNUSED + 1];
} stats;

/* --------------------------------------------------------- one case */

struct check {
	unsigned index;
	const struct gen_system *sys;
	bool *planned;     /* by model package index */
	unsigned failures; /* in this case */
	const char *stage; /* "plan", "proved plan", "second plan" */
};

static void violation(struct check *ck, const char *format, ...)
        __attribute__((format(printf, 2, 3)));

static void
violation(struct check *ck, const char *format, ...)
{
	va_list ap;

	if (ck->failures++ == 0)
		stats.failed_cases++;
	if (stats.failed_cases > MAX_REPORTED || ck->failures > 20)
		return;
	fprintf(stderr, "case %u (seed %llu), %s: ", ck->index,
	        (unsigned long long)ck->sys->seed, ck->stage);
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#define CHECK(ck, cond, ...)                                                   \
	do {                                                                   \
		if (!(cond))                                                   \
			violation((ck), __VA_ARGS__);                          \
	} while (0)

static bool
has_flag(const struct gen_pkg *p, char flag)
{
	return strchr(p->flags, flag) != NULL;
}

/* -------------------------------------------------- Depends, by hand */

/* Does the installed version v satisfy "op want"? */
static bool
version_ok(const char *v, const char *op, const char *want)
{
	int c;

	if (op == NULL)
		return true;
	if (kp_version_compare(v, want, &c, NULL) < 0)
		return false;
	if (strcmp(op, "=") == 0)
		return c == 0;
	if (strcmp(op, ">=") == 0)
		return c >= 0;
	if (strcmp(op, "<=") == 0)
		return c <= 0;
	if (strcmp(op, ">>") == 0)
		return c > 0;
	if (strcmp(op, "<<") == 0)
		return c < 0;
	return false;
}

/* Is package i there: present in the model, not removed, not planned? */
static bool
present(const struct check *ck, size_t i, bool after)
{
	return !has_flag(&ck->sys->pkgs[i], 'c') && !(after && ck->planned[i]);
}

/* Does a present package provide name (unversioned Provides only)? */
static bool
provided(const struct check *ck, const char *name, bool after)
{
	size_t i, n = strlen(name);

	for (i = 0; i < ck->sys->n_pkgs; i++) {
		const char *pv = ck->sys->pkgs[i].provides, *at;

		if (pv == NULL || !present(ck, i, after))
			continue;
		for (at = strstr(pv, name); at; at = strstr(at + 1, name))
			if ((at == pv || at[-1] == ' ' || at[-1] == ',') &&
			    (at[n] == '\0' || at[n] == ',' || at[n] == ' '))
				return true;
	}
	return false;
}

/* One alternative, "name" or "name (op version)", satisfied? */
static bool
alternative_ok(const struct check *ck, char *alt, bool after)
{
	char *name = strtok(alt, " ()"), *op = strtok(NULL, " ()"),
	     *ver = strtok(NULL, " ()");
	const struct gen_pkg *p;

	if (name == NULL)
		return false;
	p = gen_system_find(ck->sys, name);
	if (p != NULL && present(ck, (size_t)(p - ck->sys->pkgs), after) &&
	    version_ok(p->version, op, ver))
		return true;
	return op == NULL && provided(ck, name, after);
}

static bool
clause_ok(const struct check *ck, const char *clause, bool after)
{
	char *copy = strdup(clause), *save = NULL, *alt;
	bool ok = false;

	for (alt = strtok_r(copy, "|", &save); alt && !ok;
	     alt = strtok_r(NULL, "|", &save)) {
		char *one = strdup(alt);

		ok = alternative_ok(ck, one, after);
		free(one);
	}
	free(copy);
	return ok;
}

/* Every clause a remaining package had satisfied is still satisfied. */
static void
check_depends(struct check *ck)
{
	size_t i;

	for (i = 0; i < ck->sys->n_pkgs; i++) {
		const struct gen_pkg *p = &ck->sys->pkgs[i];
		char *copy, *save = NULL, *clause;

		if (p->depends == NULL || !present(ck, i, true))
			continue;
		copy = strdup(p->depends);
		for (clause = strtok_r(copy, ",", &save); clause;
		     clause = strtok_r(NULL, ",", &save))
			CHECK(ck,
			      !clause_ok(ck, clause, false) ||
			              clause_ok(ck, clause, true),
			      "%s stays installed but loses its dependency '%s'",
			      p->name, clause);
		free(copy);
	}
}

/* Is some Depends clause of an installed package broken already? */
static bool
broken_before(const struct check *ck)
{
	size_t i;
	bool broken = false;

	for (i = 0; i < ck->sys->n_pkgs && !broken; i++) {
		const struct gen_pkg *p = &ck->sys->pkgs[i];
		char *copy, *save = NULL, *clause;

		if (has_flag(p, 'b'))
			return true;
		if (p->depends == NULL || !present(ck, i, false))
			continue;
		copy = strdup(p->depends);
		for (clause = strtok_r(copy, ",", &save); clause && !broken;
		     clause = strtok_r(NULL, ",", &save))
			broken = !clause_ok(ck, clause, false);
		free(copy);
	}
	return broken;
}

/* ---------------------------------------------------- the model's view */

static long
model_release(const struct gen_system *sys, const char *name)
{
	size_t r;

	for (r = 0; name && r < sys->n_releases; r++)
		if (strcmp(sys->releases[r].name, name) == 0)
			return (long)r;
	return -1;
}

/* Has release r packages in the model (present or in config-files state)? */
static bool
release_has_pkgs(const struct gen_system *sys, long r, bool installed_only)
{
	size_t i;

	for (i = 0; i < sys->n_pkgs; i++)
		if (sys->pkgs[i].release == r &&
		    (!installed_only || !has_flag(&sys->pkgs[i], 'c')))
			return true;
	return false;
}

/* Are none of release r's packages planned? (all dropped: vacuously) */
static bool
release_kept(const struct check *ck, long r)
{
	size_t i;

	for (i = 0; i < ck->sys->n_pkgs; i++)
		if (ck->sys->pkgs[i].release == r && ck->planned[i])
			return false;
	return true;
}

static void
check_release_kept(struct check *ck, long r, const char *why)
{
	size_t i;

	for (i = 0; i < ck->sys->n_pkgs; i++)
		if (ck->sys->pkgs[i].release == r && ck->planned[i])
			violation(ck, "%s of %s (%s) is planned",
			          ck->sys->pkgs[i].name,
			          ck->sys->releases[r].name, why);
}

static void
check_abi_kept(struct check *ck, const char *abi, const char *why)
{
	size_t i;

	for (i = 0; i < ck->sys->n_pkgs; i++) {
		const struct gen_pkg *p = &ck->sys->pkgs[i];

		if (p->role == GEN_SHARED && strcmp(p->abi, abi) == 0 &&
		    ck->planned[i])
			violation(ck, "flavour-less %s is planned (%s)",
			          p->name, why);
	}
}

/* ---------------------------------------------------------- the rules */

/* The purge list: only kernel packages of the model, never held ones. */
static void
mark_planned(struct check *ck, const struct kp_plan *plan)
{
	size_t i;

	memset(ck->planned, 0, ck->sys->n_pkgs * sizeof(*ck->planned));
	for (i = 0; i < kp_plan_n_purge(plan); i++) {
		const char *name = kp_plan_purge_name(plan, i);
		const struct gen_pkg *p = gen_system_find(ck->sys, name);

		if (p == NULL) {
			violation(ck, "planned %s is no package of the system",
			          name);
			continue;
		}
		ck->planned[p - ck->sys->pkgs] = true;
		CHECK(ck, p->role != GEN_OTHER,
		      "%s is not a kernel package but is planned", name);
		CHECK(ck, !has_flag(p, 'h'), "%s is on hold but is planned",
		      name);
	}
}

/* Every kernel package is in the plan, with its release; nothing else. */
static void
check_recognised(struct check *ck, const struct kp_plan *plan)
{
	size_t i, seen = 0, purged = 0, kernel = 0;

	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *kp = kp_plan_package(plan, i);
		const struct gen_pkg *p = gen_system_find(ck->sys, kp->name);

		purged += kp->action == KP_PURGE;
		CHECK(ck, kp->why != NULL, "%s has no reason", kp->name);
		if (p == NULL || p->role == GEN_OTHER) {
			violation(ck, "%s is taken for a kernel package",
			          kp->name);
			continue;
		}
		seen++;
		CHECK(ck,
		      (kp->action == KP_PURGE) ==
		              ck->planned[p - ck->sys->pkgs],
		      "%s: action %s disagrees with the purge list", kp->name,
		      kp_action_name(kp->action));
		if (p->role == GEN_OWN)
			CHECK(ck,
			      kp->release &&
			              strcmp(kp->release,
			                     ck->sys->releases[p->release]
			                             .name) == 0,
			      "%s is given release %s, not %s", kp->name,
			      kp->release ? kp->release : "(flavour-less)",
			      ck->sys->releases[p->release].name);
		else
			CHECK(ck, kp->release == NULL,
			      "flavour-less %s is given release %s", kp->name,
			      kp->release);
	}
	CHECK(ck, purged == kp_plan_n_purge(plan),
	      "%zu packages say purge, %zu are "
	      "in the purge list",
	      purged, kp_plan_n_purge(plan));
	for (i = 0; i < ck->sys->n_pkgs; i++)
		kernel += ck->sys->pkgs[i].role != GEN_OTHER;
	CHECK(ck, seen == kernel, "the plan has %zu of the %zu kernel packages",
	      seen, kernel);
}

/* Complete releases, newest first by kp_release_compare: distinct ABIs. */
static size_t
complete_abis(const struct gen_system *sys, const char **abis)
{
	size_t r, n = 0, i, j;

	for (r = 0; r < sys->n_releases; r++) {
		if (!gen_release_complete(sys, r))
			continue;
		for (i = 0;
		     i < n && kp_release_compare(abis[i], sys->releases[r].abi);
		     i++)
			;
		if (i == n)
			abis[n++] = sys->releases[r].abi;
	}
	for (i = 1; i < n; i++)
		for (j = i;
		     j > 0 && kp_release_compare(abis[j - 1], abis[j]) < 0;
		     j--) {
			const char *t = abis[j];

			abis[j] = abis[j - 1];
			abis[j - 1] = t;
		}
	return n;
}

/* The running, newest, --keep newest, held and protected releases stay. */
static void
check_kept(struct check *ck, const struct kp_plan_options *opts)
{
	const struct gen_system *sys = ck->sys;
	const char **abis = calloc(sys->n_releases + 1, sizeof(*abis));
	size_t n_abis, r, i, any_complete = 0, complete_left = 0;
	long run = model_release(sys, sys->running);
	char why[256];

	if (run >= 0) {
		check_release_kept(ck, run, "the running release");
	}
	n_abis = complete_abis(sys, abis);
	for (r = 0; r < sys->n_releases; r++) {
		bool complete = gen_release_complete(sys, r);

		any_complete += complete;
		complete_left += complete && release_kept(ck, (long)r);
		for (i = 0; complete && i < n_abis &&
		            i < (opts->keep ? opts->keep : 1);
		     i++)
			if (kp_release_compare(abis[i], sys->releases[r].abi) ==
			    0) {
				snprintf(why, sizeof(why),
				         "complete, version %zu of the "
				         "newest %u",
				         i + 1, opts->keep);
				check_release_kept(ck, (long)r, why);
			}
		for (i = 0; i < sys->n_pkgs; i++)
			if (sys->pkgs[i].release == (long)r &&
			    has_flag(&sys->pkgs[i], 'h'))
				check_release_kept(ck, (long)r,
				                   "a package of it is held");
		for (i = 0; i < opts->n_protect; i++)
			if (strcmp(opts->protect[i], sys->releases[r].name) ==
			    0) {
				check_release_kept(ck, (long)r, "protected");
				check_abi_kept(ck, sys->releases[r].abi,
				               "of a protected release");
			}
	}
	CHECK(ck, !any_complete || complete_left > 0,
	      "no complete release is left of %zu", any_complete);
	free(abis);
}

/* Does the Depends field name package (an alternative, any version)? */
static bool
depends_names(const char *depends, const char *package)
{
	size_t n = strlen(package);
	const char *at = depends;

	while (at != NULL && (at = strstr(at, package)) != NULL) {
		bool start = at == depends || at[-1] == ' ' || at[-1] == ',' ||
		             at[-1] == '|';
		bool end = at[n] == '\0' || at[n] == ' ' || at[n] == ',' ||
		           at[n] == '|' || at[n] == ':';

		if (start && end)
			return true;
		at += n;
	}
	return false;
}

/* Is package i installed (not config-files, not dropped)? */
static bool
pkg_installed(const struct gen_pkg *p)
{
	return !p->dropped && !has_flag(p, 'c');
}

/* Does an installed package of release r that stays depend on package s? */
static bool
kept_release_uses(const struct check *ck, long r, const struct gen_pkg *s)
{
	const struct gen_system *sys = ck->sys;
	size_t i;

	for (i = 0; i < sys->n_pkgs; i++)
		if (sys->pkgs[i].release == r && pkg_installed(&sys->pkgs[i]) &&
		    sys->pkgs[i].depends != NULL &&
		    depends_names(sys->pkgs[i].depends, s->name))
			return release_kept(ck, r);
	return false;
}

/* Does any installed kernel package depend on package s? */
static bool
has_kernel_users(const struct gen_system *sys, const struct gen_pkg *s)
{
	size_t i;

	for (i = 0; i < sys->n_pkgs; i++)
		if (sys->pkgs[i].role != GEN_OTHER &&
		    pkg_installed(&sys->pkgs[i]) &&
		    sys->pkgs[i].depends != NULL &&
		    depends_names(sys->pkgs[i].depends, s->name))
			return true;
	return false;
}

/* "rt" for linux-headers-A-common-rt: the flavours it is for; "" all. */
static bool
for_flavour(const struct gen_pkg *s, const char *flavour)
{
	const char *at = strstr(s->name, "-common-");
	size_t n;

	if (at == NULL)
		return true;
	at += strlen("-common-");
	n = strlen(at);
	return strncmp(flavour, at, n) == 0 &&
	       (flavour[n] == '\0' || flavour[n] == '-');
}

/*
 * A flavour-less package goes only when no kept release with installed
 * packages depends on it; one no installed kernel package depends on goes
 * only when no release of its ABI (and flavour family) with installed
 * packages stays.
 */
static void
check_shared(struct check *ck)
{
	const struct gen_system *sys = ck->sys;
	size_t i, r;

	for (i = 0; i < sys->n_pkgs; i++) {
		const struct gen_pkg *s = &sys->pkgs[i];
		bool users;

		if (s->role != GEN_SHARED || !ck->planned[i])
			continue;
		users = has_kernel_users(sys, s);
		for (r = 0; r < sys->n_releases; r++) {
			CHECK(ck, !kept_release_uses(ck, (long)r, s),
			      "flavour-less %s is planned, but %s that stays uses it",
			      s->name, sys->releases[r].name);
			CHECK(ck,
			      users ||
			              strcmp(sys->releases[r].abi, s->abi) !=
			                      0 ||
			              !for_flavour(s,
			                           sys->releases[r].flavour) ||
			              !release_has_pkgs(sys, (long)r, true) ||
			              !release_kept(ck, (long)r),
			      "flavour-less %s, which nothing depends on, is planned, "
			      "but %s of its ABI stays",
			      s->name, sys->releases[r].name);
		}
	}
}

/*
 * Releases come newest first: by libdpkg's comparison of the translated
 * versions, and by the numbers the generator chose, within one scheme.
 */
static void
check_order(struct check *ck, const struct kp_plan *plan)
{
	const struct gen_system *sys = ck->sys;
	size_t n = kp_plan_n_releases(plan), i, j;
	long *at = calloc(sys->n_releases + 1, sizeof(*at));
	char(*keys)[KP_NAME_MAX * 4] = calloc(n + 1, sizeof(*keys));

	for (i = 0; i < n; i++) {
		const struct kp_release *rel = kp_plan_release(plan, i);
		long r = model_release(sys, rel->name);

		CHECK(ck,
		      kp_release_version(rel->abi, keys[i], sizeof(keys[i])) >=
		              0,
		      "%s: no sort version", rel->name);
		CHECK(ck,
		      rel->sort_version != NULL &&
		              strcmp(keys[i], rel->sort_version) == 0,
		      "%s: sort version %s, not %s", rel->name,
		      rel->sort_version, keys[i]);
		CHECK(ck, r >= 0, "release %s is not in the system", rel->name);
		if (r >= 0)
			at[r] = (long)i + 1;
		if (i + 1 < n) {
			char next[KP_NAME_MAX * 4];
			const struct kp_release *nrel = kp_plan_release(plan,
			                                                i + 1);
			struct dpkg_version va = DPKG_VERSION_OBJECT(0, keys[i],
			                                             "");
			struct dpkg_version vb = DPKG_VERSION_OBJECT(0, next,
			                                             "");

			kp_release_version(nrel->abi, next, sizeof(next));
			CHECK(ck, dpkg_version_compare(&va, &vb) >= 0,
			      "%s (%s) is listed before the newer %s (%s)",
			      rel->name, keys[i], nrel->name, next);
		}
	}
	free(keys);
	for (i = 0; i < sys->n_releases; i++)
		for (j = 0; j < sys->n_releases; j++) {
			const struct gen_release *a = &sys->releases[i],
			                         *b = &sys->releases[j];

			if (!at[i] || !at[j] || a->key_class != b->key_class ||
			    memcmp(a->key, b->key, sizeof(a->key)) == 0)
				continue;
			/* a newer by its numbers: it must come first. */
			for (size_t k = 0; k < 6; k++)
				if (a->key[k] != b->key[k]) {
					CHECK(ck,
					      (a->key[k] > b->key[k]) ==
					              (at[i] < at[j]),
					      "%s and %s are in the wrong order",
					      a->name, b->name);
					break;
				}
		}
	free(at);
}

static void
count_reasons(const struct kp_plan *plan)
{
	size_t i;

	for (i = 0; i < kp_plan_n_releases(plan); i++)
		stats.release_reasons[kp_plan_release(plan, i)->reason]++;
	for (i = 0; i < kp_plan_n_packages(plan); i++)
		if (kp_plan_package(plan, i)->release == NULL)
			stats.shared_reasons[kp_plan_package(plan, i)
			                             ->reason]++;
}

static void
print_reasons(const char *what, const unsigned *counts)
{
	int r;

	printf("# %s:", what);
	for (r = 0; r <= KP_REASON_SHARED_UNUSED; r++)
		if (counts[r])
			printf(" %s %u", kp_reason_name((enum kp_reason)r),
			       counts[r]);
	putchar('\n');
}

static void
check_plan(struct check *ck, const struct kp_plan *plan,
           const struct kp_plan_options *opts)
{
	mark_planned(ck, plan);
	check_recognised(ck, plan);
	check_kept(ck, opts);
	check_shared(ck);
	check_depends(ck);
	check_order(ck, plan);
}

/* ------------------------------------------------------------ driving */

/* info/NAME.list under root, in buf. */
static const char *
list_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/var/lib/dpkg/info/%s.list", root, name);
	return buf;
}

/*
 * The status file and every package's file list. With omit, the system
 * after a purge of the packages for which omit[i] is true: dpkg removed
 * their lists, the others' are as they were.
 */
static void
write_status(const struct gen_system *sys, const bool *omit)
{
	char *text = gen_status_text(sys, omit), path[4096];
	size_t i;

	sdb_write_file(root, "var/lib/dpkg/status", text);
	free(text);
	for (i = 0; i < sys->n_pkgs; i++) {
		if (omit != NULL) {
			if (omit[i])
				unlink(list_path(path, sizeof(path),
				                 sys->pkgs[i].name));
			continue;
		}
		text = gen_file_list(sys, i);
		snprintf(path, sizeof(path), "var/lib/dpkg/info/%s.list",
		         sys->pkgs[i].name);
		sdb_write_file(root, path, text);
		free(text);
	}
}

/* Leave the root's info directory empty for the next system. */
static void
remove_lists(const struct gen_system *sys)
{
	char path[4096];
	size_t i;

	for (i = 0; i < sys->n_pkgs; i++)
		unlink(list_path(path, sizeof(path), sys->pkgs[i].name));
}

static void
options_of(const struct gen_system *sys, struct kp_plan_options *opts)
{
	opts->keep = sys->keep;
	opts->running = sys->running;
	opts->protect = (const char *const *)sys->protect;
	opts->n_protect = sys->n_protect;
}

static struct kp_ctx *
open_ctx(struct check *ck)
{
	struct kp_error err = { 0 };
	struct kp_ctx *ctx = kp_ctx_new(root, NULL, NULL, &err);

	CHECK(ck, ctx != NULL, "kp_ctx_new: %d %s", err.code, err.message);
	return ctx;
}

/*
 * Prove the plan with apt's resolver (which may keep more), and check the
 * proved plan. Returns true when it was proved and purges something.
 */
static bool
prove(struct check *ck, struct kp_ctx *ctx, struct kp_plan *plan,
      const struct kp_plan_options *opts)
{
	struct kp_error err = { 0 };
	size_t before = kp_plan_n_purge(plan);
	int r;

	if (before == 0)
		return false;
	r = kp_plan_prove(ctx, plan, &err);
	if (r < 0 && broken_before(ck)) {
		/* apt refuses to work on a broken system: so must we. */
		stats.apt_refused++;
		return false;
	}
	CHECK(ck, r == 0, "kp_plan_prove: %d %s", r, err.message);
	if (r < 0)
		return false;
	stats.proved++;
	stats.amended += kp_plan_n_purge(plan) != before;
	ck->stage = "proved plan";
	check_plan(ck, plan, opts);
	return kp_plan_n_purge(plan) > 0;
}

/*
 * apt-get remove --purge of the proved plan, simulated once more with a
 * handle of our own (the context, which holds apt's, is closed): apt must
 * remove exactly the plan and install nothing.
 */
static void
simulate(struct check *ck, const struct kp_plan *plan)
{
	struct kp_error err = { 0 };
	struct kp_apt_config config = { NULL, 0 };
	struct kp_apt_sim sim;
	struct kp_apt *apt = NULL;
	const char **names;
	size_t i, n = kp_plan_n_purge(plan);
	int r;

	/* apt configured as the purge's apt-get: forwarded items, then the
	 * guard against autoremove (kp_apt_config_for_purge). */
	if (kp_apt_config_for_purge(root, &forwarded, &config) == 0)
		apt = kp_apt_open_config(root, &config, &err);
	kp_apt_config_free(&config);
	CHECK(ck, apt != NULL, "kp_apt_open_config: %s", err.message);
	if (apt == NULL)
		return;
	names = calloc(n, sizeof(*names));
	for (i = 0; i < n; i++)
		names[i] = kp_plan_purge_name(plan, i);
	r = kp_apt_simulate_purge(apt, names, n, &sim, &err);
	CHECK(ck, r == 0, "kp_apt_simulate_purge: %s", err.message);
	stats.simulated += r == 0;
	if (r == 0) {
		CHECK(ck, sim.problem == NULL,
		      "apt refuses the proved plan: %s", sim.problem);
		for (i = 0; i < sim.n_removals; i++)
			violation(ck, "apt would also remove %s",
			          sim.removals[i].package);
		for (i = 0; i < sim.n_installs; i++)
			violation(ck, "apt would install %s",
			          sim.installs[i].package);
		kp_apt_sim_clear(&sim);
	}
	free(names);
	kp_apt_close(apt);
}

/* Plan again on what the plan leaves: nothing more to purge. */
static void
check_second_plan(struct check *ck, const struct kp_plan_options *opts)
{
	struct kp_error err = { 0 };
	struct kp_plan *plan = NULL;
	struct kp_ctx *ctx;
	size_t i;
	int r;

	ck->stage = "second plan";
	write_status(ck->sys, ck->planned);
	ctx = open_ctx(ck);
	if (ctx == NULL)
		return;
	r = kp_plan_new(ctx, opts, &plan, &err);
	kp_ctx_free(ctx);
	CHECK(ck, r == 0, "kp_plan_new: %d %s", r, err.message);
	if (r < 0)
		return;
	for (i = 0; i < kp_plan_n_purge(plan); i++)
		violation(ck, "plans %s again", kp_plan_purge_name(plan, i));
	kp_plan_free(plan);
}

/* Do two plans purge the same packages? */
static bool
same_purge(const struct kp_plan *a, const struct kp_plan *b)
{
	size_t i, n = kp_plan_n_purge(a);

	if (n != kp_plan_n_purge(b))
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(kp_plan_purge_name(a, i),
		           kp_plan_purge_name(b, i)) != 0)
			return false;
	return true;
}

static unsigned long long
fingerprint(struct check *ck)
{
	struct kp_error err = { 0 };
	unsigned long long h = 0;

	CHECK(ck, kp_kernel_fingerprint(root, &h, &err) == 0,
	      "kp_kernel_fingerprint: %s", err.message);
	return h;
}

/*
 * The apt hook's fingerprint covers what the plan reads: removing a
 * package outside the kernel families that depends on something (a DKMS
 * module, a tool on an image or on what one provides) either leaves the
 * plan as it was or changes the fingerprint.
 */
static void
check_fingerprint(struct check *ck, const struct kp_plan_options *opts,
                  const struct kp_plan *plan)
{
	const struct gen_system *sys = ck->sys;
	bool *omit = calloc(sys->n_pkgs + 1, sizeof(*omit));
	unsigned long long before;
	struct kp_error err = { 0 };
	struct kp_plan *other;
	struct kp_ctx *ctx;
	char *text;
	size_t i;

	ck->stage = "fingerprint";
	before = fingerprint(ck);
	for (i = 0; omit != NULL && i < sys->n_pkgs; i++) {
		const struct gen_pkg *p = &sys->pkgs[i];

		if (p->role != GEN_OTHER || p->depends == NULL ||
		    kp__name_in_kernel_family(p->name, strlen(p->name)))
			continue;
		omit[i] = true;
		text = gen_status_text(sys, omit);
		sdb_write_file(root, "var/lib/dpkg/status", text);
		free(text);
		omit[i] = false;
		other = NULL;
		ctx = open_ctx(ck);
		if (ctx != NULL && kp_plan_new(ctx, opts, &other, &err) == 0) {
			stats.fp_removed++;
			if (!same_purge(plan, other)) {
				bool changed = fingerprint(ck) != before;

				stats.fp_plan_changed++;
				stats.fp_changed += changed;
				CHECK(ck, changed,
				      "removing %s changes the plan, "
				      "not the fingerprint",
				      p->name);
			}
		}
		kp_plan_free(other);
		kp_ctx_free(ctx);
	}
	text = gen_status_text(sys, NULL);
	sdb_write_file(root, "var/lib/dpkg/status", text);
	free(text);
	free(omit);
}

static uint64_t
case_seed(unsigned index)
{
	struct gen_rng rng;

	gen_rng_seed(&rng,
	             base_seed ^ ((uint64_t)index * 0xd1b54a32d192ed03ULL));
	return gen_rng_next(&rng);
}

/*
 * What a case proved through apt forwards to apt-get, like the purge's
 * extra arguments, and whether apt marks its packages automatically
 * installed (every Ubuntu machine's kernels are): with both, apt-get's
 * autoremove would take more than the plan unless the purge's command
 * line turns it off. Chosen per case from its seed.
 */
static void
choose_apt_setup(unsigned index, const struct gen_system *sys)
{
	uint64_t bits = case_seed(index) >> 40;
	char *text = NULL, path[4096];
	size_t len = 0, i;
	FILE *f;

	kp_apt_config_free(&forwarded);
	if (bits & 1)
		kp_apt_config_push(&forwarded, KP_APT_ITEM_SET,
		                   "APT::Get::AutomaticRemove", "1");
	if (bits & 2)
		kp_apt_config_push(&forwarded, KP_APT_ITEM_SET,
		                   "APT::Get::AutomaticRemove::Kernels",
		                   "true");
	snprintf(path, sizeof(path), "%s/var/lib/apt", root);
	mkdir(path, 0755);
	f = open_memstream(&text, &len);
	for (i = 0; f != NULL && (bits & 4) && i < sys->n_pkgs; i++)
		if (!sys->pkgs[i].dropped &&
		    ((bits >> (8 + i % 16)) & 1 || i % 3))
			fprintf(f,
			        "Package: %s\nArchitecture: amd64\n"
			        "Auto-Installed: 1\n\n",
			        sys->pkgs[i].name);
	if (f != NULL)
		fclose(f);
	sdb_write_file(root, "var/lib/apt/extended_states", text ? text : "");
	free(text);
	stats.auto_marked += (bits & 4) != 0;
	stats.autoremove_forwarded += (bits & 3) != 0;
}

/* Returns the number of rules the case broke. */
static unsigned
run_case(unsigned index, bool with_apt)
{
	struct gen_params params = gen_params_default;
	struct check ck = { index, NULL, NULL, 0, "plan" };
	struct kp_plan_options opts = { 0 };
	struct kp_error err = { 0 };
	struct kp_plan *plan = NULL;
	struct gen_system *sys;
	struct kp_ctx *ctx;
	bool proved;
	long run;
	int r;

	/* apt refuses to work on a broken system: give it sound ones. */
	params.consistent = with_apt;
	params.tricky = tricky;
	sys = gen_system_new(case_seed(index), &params);
	ck.sys = sys;
	ck.planned = calloc(sys->n_pkgs + 1, sizeof(*ck.planned));
	options_of(sys, &opts);
	stats.cases++;
	stats.packages += (unsigned)sys->n_pkgs;
	for (size_t k = 0; k < sys->n_releases; k++) {
		stats.tricky += sys->releases[k].tricky;
		stats.tricky_complete += sys->releases[k].tricky &&
		                         gen_release_complete(sys, k);
	}
	write_status(sys, NULL);
	if (with_apt)
		choose_apt_setup(index, sys);
	ctx = open_ctx(&ck);
	if (ctx == NULL)
		goto out;
	if (with_apt && kp_ctx_set_apt_config(ctx, &forwarded, &err) < 0)
		CHECK(&ck, false, "kp_ctx_set_apt_config: %s", err.message);
	r = kp_plan_new(ctx, &opts, &plan, &err);
	run = model_release(sys, sys->running);
	if (sys->keep == 0 && (run < 0 || !release_has_pkgs(sys, run, true))) {
		stats.einval++;
		CHECK(&ck, r == -EINVAL && plan == NULL,
		      "--keep=0 without the running kernel installed: %d, not -EINVAL",
		      r);
		kp_ctx_free(ctx);
		goto out;
	}
	CHECK(&ck, r == 0, "kp_plan_new: %d %s", r, err.message);
	if (r < 0) {
		kp_ctx_free(ctx);
		goto out;
	}
	stats.plans++;
	count_reasons(plan);
	check_plan(&ck, plan, &opts);
	stats.purging += kp_plan_n_purge(plan) > 0;
	stats.purged += (unsigned)kp_plan_n_purge(plan);
	proved = with_apt && prove(&ck, ctx, plan, &opts);
	kp_ctx_free(ctx);
	if (proved)
		simulate(&ck, plan);
	if (!with_apt)
		check_fingerprint(&ck, &opts, plan);
	check_second_plan(&ck, &opts);
out:
	if (ck.failures > 0 && stats.failed_cases <= MAX_REPORTED) {
		gen_system_dump(sys, NULL, stderr);
		fprintf(stderr,
		        "# run it alone: KP_SEED=%llu KP_CASE=%u "
		        "KP_APT_SAMPLE=%u KP_TRICKY=%u tests/t-invariants\n\n",
		        (unsigned long long)base_seed, index,
		        with_apt ? index + 1 : 0, tricky);
	} else if (verbose) {
		gen_system_dump(sys, NULL, stdout);
	}
	remove_lists(sys);
	kp_plan_free(plan);
	free(ck.planned);
	gen_system_free(sys);
	return ck.failures;
}

/* ------------------------------------------------------------- tests */

static unsigned
env_unsigned(const char *name, unsigned fallback)
{
	const char *v = getenv(name);

	return v && *v ? (unsigned)strtoul(v, NULL, 10) : fallback;
}

static void
test_generated(void **state)
{
	unsigned i, failed = 0;
	clock_t start = clock();

	for (i = 0; i < n_cases; i++)
		if (only_case < 0 || only_case == (long)i)
			failed += run_case(i, false) > 0;
	printf("# %u systems (%u packages), %u plans, %u refused (--keep=0), "
	       "%u purging %u packages, in %.1f s\n",
	       stats.cases, stats.packages, stats.plans, stats.einval,
	       stats.purging, stats.purged,
	       (double)(clock() - start) / CLOCKS_PER_SEC);
	printf("# fingerprint: %u packages outside the kernels removed, %u of "
	       "them changed the plan, %u of those the fingerprint\n",
	       stats.fp_removed, stats.fp_plan_changed, stats.fp_changed);
	printf("# %u releases with a local version like a package suffix "
	       "(KP_TRICKY=%u), %u of them complete\n",
	       stats.tricky, tricky, stats.tricky_complete);
	print_reasons("releases by reason", stats.release_reasons);
	print_reasons("flavour-less packages by reason", stats.shared_reasons);
	if (failed)
		fail_msg("%u of %u generated systems break a rule (seed %llu)",
		         failed, stats.cases, (unsigned long long)base_seed);
}

static void
test_apt_sample(void **state)
{
	unsigned i, failed = 0;
	clock_t start = clock();

	memset(&stats, 0, sizeof(stats));
	for (i = 0; i < apt_sample; i++)
		if (only_case < 0 || only_case == (long)i)
			failed += run_case(i, true) > 0;
	printf("# apt: %u systems, %u plans proved (%u amended by apt) and "
	       "simulated again (%u), %u refused on broken systems, in %.1f s; "
	       "%u with apt's auto-installed marks, %u forwarding autoremove\n",
	       stats.cases, stats.proved, stats.amended, stats.simulated,
	       stats.apt_refused, (double)(clock() - start) / CLOCKS_PER_SEC,
	       stats.auto_marked, stats.autoremove_forwarded);
	if (failed)
		fail_msg(
		        "%u of %u systems proved with apt break a rule (seed %llu)",
		        failed, stats.cases, (unsigned long long)base_seed);
}

static int
setup(void **state)
{
	const char *seed = getenv("KP_SEED"), *one = getenv("KP_CASE");

	if (seed && strcmp(seed, "random") == 0)
		base_seed = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
	else
		base_seed = seed && *seed ? strtoull(seed, NULL, 10) :
		                            DEFAULT_SEED;
	n_cases = env_unsigned("KP_CASES", DEFAULT_CASES);
	apt_sample = env_unsigned("KP_APT_SAMPLE", DEFAULT_APT_SAMPLE);
	if (one && *one) {
		only_case = strtol(one, NULL, 10);
		if (n_cases <= (unsigned)only_case)
			n_cases = (unsigned)only_case + 1;
	}
	verbose = env_unsigned("KP_VERBOSE", 0) > 0;
	tricky = env_unsigned("KP_TRICKY", 1);
	printf("# t-invariants: KP_SEED=%llu KP_CASES=%u KP_APT_SAMPLE=%u "
	       "KP_TRICKY=%u\n",
	       (unsigned long long)base_seed, n_cases, apt_sample, tricky);
	fflush(stdout);
	/*
	 * The root is written again for every system: in memory (tmpfs) it
	 * costs a tenth of what it costs on a busy disk.
	 */
	root = sdb_root_new_in(
	        access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", NULL);
	return 0;
}

static int
teardown(void **state)
{
	sdb_root_free(root);
	root = NULL;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_apt_sample),
	};

	return cmocka_run_group_tests_name("t-invariants", tests, setup,
	                                   teardown);
}
