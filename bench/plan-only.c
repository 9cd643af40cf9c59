/*
 * bench/plan-only: the plan of libkpurge alone, for the benchmark.
 *
 *   plan-only ROOT            read the dpkg database, compute the plan
 *   plan-only --prove ROOT    the same, then prove it against apt
 *   plan-only --phases ROOT   every step purge-old-kernels --dry-run takes
 *                             (read, pre-flight, plan, proof, free), each
 *                             timed, one line each on stdout, and
 *                             the counts of the proved plan
 *
 * No other output than one line of counts on stdout, so the time measured
 * is the library's, not the terminal's. Keeps 2 releases, no kernel runs
 * (as `purge-old-kernels --root=ROOT --running=none`). Built by bench/run
 * against lib/libkpurge.a with the flags of the unit tests.
 *
 * Proving loads the apt module (lib/apt-load.c): run from the build tree,
 * KPURGE_APT_MODULE must name lib/kpurge-apt.so (bench/run sets it).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kpurge.h"

enum mode { PLAN, PROVE, PHASES };

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In --phases mode, print the time since *t0 for what, and restart. */
static void
phase(enum mode mode, double *t0, const char *what)
{
	double t = now();

	if (mode == PHASES)
		printf("%-10s %9.3f ms\n", what, (t - *t0) * 1e3);
	*t0 = t;
}

int
main(int argc, char **argv)
{
	struct kp_plan_options opts = { .keep = KP_KEEP_DEFAULT };
	struct kp_plan *plan = NULL;
	struct kp_ctx *ctx = NULL;
	struct kp_error err;
	enum mode mode = PLAN;
	int arg = 1, status = 1;
	double t0 = now();

	if (argc > 1 && strcmp(argv[1], "--prove") == 0)
		mode = PROVE, arg++;
	else if (argc > 1 && strcmp(argv[1], "--phases") == 0)
		mode = PHASES, arg++;
	if (argc != arg + 1) {
		fprintf(stderr, "usage: plan-only [--prove|--phases] ROOT\n");
		return 2;
	}
	kp_error_clear(&err);
	ctx = kp_ctx_new(argv[arg], NULL, NULL, &err);
	if (ctx == NULL)
		goto fail;
	phase(mode, &t0, "read");
#ifndef PLAN_ONLY_NO_APT
	if (mode == PHASES) {
		struct kp_problem *problems = NULL;
		int n = kp_ctx_problems(ctx, &problems, &err);

		if (n < 0)
			goto fail;
		kp_problems_free(problems, (size_t)n);
		phase(mode, &t0, "preflight");
	}
#endif
	if (kp_plan_new(ctx, &opts, &plan, &err) < 0)
		goto fail;
	phase(mode, &t0, "plan");
#ifndef PLAN_ONLY_NO_APT
	if (mode != PLAN && kp_plan_prove(ctx, plan, &err) < 0)
		goto fail;
	phase(mode, &t0, "prove");
#endif
	printf("%s%zu releases, %zu packages, %zu to purge%s\n",
	       mode == PHASES ? "counts: " : "",
	       kp_plan_n_releases(plan), kp_plan_n_packages(plan),
	       kp_plan_n_purge(plan), kp_plan_proved(plan) ? ", proved" : "");
	status = 0;
	goto out;
fail:
	fprintf(stderr, "plan-only: %s\n", err.message);
out:
	kp_plan_free(plan);
	kp_ctx_free(ctx);
	phase(mode, &t0, "free");
	return status;
}
