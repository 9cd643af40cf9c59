/*
 * libkpurge - proving the plan against apt.
 *
 * apt-get decides for itself what a `remove --purge` takes along: a
 * metapackage whose dependency breaks, a package whose alternative it
 * satisfies by installing something else. The plan is simulated with
 * apt's own resolver; whatever apt would do beyond the plan moves the
 * release responsible to "keep", and the simulation runs again, until apt
 * removes exactly the plan and installs nothing.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apt-shim.h"
#include "kpurge-private.h"

static bool
in_purge(const struct kp_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; i < plan->n_purge; i++)
		if (strcmp(plan->purge[i], name) == 0)
			return true;
	return false;
}

/* Keep the cause of one change apt would make. Returns 1 if kept. */
static int
keep_cause(struct kp_plan *plan, const struct kp_apt_change *c, bool install)
{
	struct kp_cause why = {
		.needed_by = install ? c->dependent : c->package,
		.apt_installs = install ? c->package : NULL,
	};
	int r;

	if (c->cause == NULL || !in_purge(plan, c->cause))
		return 0;
	r = kp__plan_keep_needed(plan, c->cause, &why);
	return r < 0 ? r : 1;
}

/* Keep what apt's changes point at. Returns how many causes were kept. */
static int
keep_causes(struct kp_plan *plan, const struct kp_apt_sim *sim)
{
	int kept = 0, r;
	size_t i;

	for (i = 0; i < sim->n_removals; i++) {
		if ((r = keep_cause(plan, &sim->removals[i], false)) < 0)
			return r;
		kept += r;
	}
	for (i = 0; i < sim->n_installs; i++) {
		if ((r = keep_cause(plan, &sim->installs[i], true)) < 0)
			return r;
		kept += r;
	}
	return kept;
}

/* apt would change something the plan cannot explain: refuse. */
static int
unexplained(const struct kp_apt_sim *sim, struct kp_error *err)
{
	if (sim->n_removals > 0)
		return kp__error_set(err, -EPERM,
		                     "apt-get would also remove %s, "
		                     "which is not in the plan",
		                     sim->removals[0].package);
	return kp__error_set(err, -EPERM, "apt-get would install %s",
	                     sim->installs[0].package);
}

/* One simulation. Returns 1 when proved, 0 to go again, or an error. */
static int
prove_round(struct kp_ctx *ctx, struct kp_apt *apt, struct kp_plan *plan,
            size_t round, struct kp_error *err)
{
	struct kp_apt_sim sim = { 0 };
	int r;

	if (plan->n_purge == 0)
		return 1;
	r = kp_apt_simulate_purge(apt, plan->purge, plan->n_purge, &sim, err);
	if (r < 0)
		return r;
	if (sim.problem != NULL)
		/* apt's sentence, without its full stop: ours goes on. */
		r = kp__error_set(
		        err, -EPERM,
		        "apt-get cannot resolve the purge: "
		        "%.*s",
		        (int)(strlen(sim.problem) -
		              (sim.problem[0] != '\0' &&
		               sim.problem[strlen(sim.problem) - 1] == '.')),
		        sim.problem);
	else if (sim.n_removals == 0 && sim.n_installs == 0)
		r = 1;
	else if ((r = keep_causes(plan, &sim)) == 0)
		r = unexplained(&sim, err);
	else if (r > 0)
		r = 0;
	kp__log(ctx, KP_LOG_DEBUG,
	        "apt proof round %zu: %zu removals, %zu "
	        "installs beyond the plan",
	        round + 1, sim.n_removals, sim.n_installs);
	kp_apt_sim_clear(&sim);
	return r;
}

/*
 * Note which releases apt's own kernel protection (what `apt autoremove`
 * never removes) covers, so users see where apt and this plan differ.
 */
/*
 * The running release as apt's kernel protection takes it. The module puts
 * it into a regular expression, quoting the only pattern characters a
 * release may hold ('.', '+'). A uname outside the release grammar (a
 * custom "x|.*") names no package either: it goes as no running kernel,
 * never as a pattern.
 */
static const char *
apt_running(const struct kp_plan *plan)
{
	return kp_release_split(plan->running, NULL, 0, NULL, 0) ?
	               plan->running :
	               NULL;
}

static int
note_apt_view(struct kp_apt *apt, struct kp_plan *plan, struct kp_error *err)
{
	char **names = NULL;
	size_t r, j, k;
	int n = kp_apt_kernel_protected(apt, apt_running(plan), &names, err);

	if (n < 0)
		return n;
	for (r = 0; r < plan->n_releases; r++) {
		struct kp_release *rel = &plan->releases[r];

		for (j = 0; j < rel->n_packages && !rel->apt_protects; j++) {
			const struct kp_package *pkg = rel->packages[j];

			for (k = 0; names[k] != NULL; k++)
				if (pkg->kind == KP_KIND_IMAGE &&
				    strcmp(pkg->name, names[k]) == 0)
					rel->apt_protects = true;
		}
	}
	kp_apt_strv_free(names);
	kp__plan_apt_verdicts(plan);
	return 0;
}

/** See kpurge.h. */
int
kp_plan_read_apt(struct kp_ctx *ctx, struct kp_plan *plan, struct kp_error *err)
{
	struct kp_apt *apt;
	int r;

	if (plan->apt_read)
		return 0;
	if ((apt = kp__ctx_apt(ctx, err)) == NULL)
		return err && err->code ? err->code : -EIO;
	r = kp__plan_apt_marks(plan, apt, apt_running(plan), err);
	if (r < 0)
		return r;
	plan->apt_read = true;
	kp__log(ctx, KP_LOG_DEBUG, "apt's marks and APT::NeverAutoRemove read");
	return 0;
}

/**
 * Prove the plan against apt's resolver for the system of ctx, keeping
 * what apt would otherwise take along or replace. Returns 0 when apt
 * removes exactly the (amended) plan and installs nothing; a negative code
 * with err filled when apt cannot be asked or the plan cannot be proved,
 * in which case nothing may be purged.
 */
int
kp_plan_prove(struct kp_ctx *ctx, struct kp_plan *plan, struct kp_error *err)
{
	struct kp_apt *apt = kp__ctx_apt(ctx, err);
	size_t round;
	int r = 0;

	if (apt == NULL)
		return err && err->code ? err->code : -EIO;
	/* apt's own protections and marks keep before apt is asked. */
	if ((r = kp_plan_read_apt(ctx, plan, err)) < 0)
		return r;
	/* Each round keeps at least one more package: this ends. */
	for (round = 0; round <= plan->n_packages; round++) {
		r = prove_round(ctx, apt, plan, round, err);
		if (r != 0)
			break;
	}
	if (r > 0) {
		int v = note_apt_view(apt, plan, err);

		kp__log(ctx, KP_LOG_DEBUG, "apt's kernel protection read");
		r = v < 0 ? v : r;
	}
	if (r == 0)
		r = kp__error_set(err, -EPERM,
		                  "the plan could not be proved "
		                  "against apt-get");
	if (r < 0)
		return r;
	plan->proved = true;
	return 0;
}
