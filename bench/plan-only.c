/*
 * bench/plan-only: the plan of libkpurge alone, for the benchmark.
 *
 *   plan-only ROOT            read the dpkg database, compute the plan
 *   plan-only --prove ROOT    the same, then prove it against apt
 *   plan-only --phases ROOT   every step purge-old-kernels --dry-run takes
 *                             (wall and CPU milliseconds),
 *                             each timed, one line each on stdout, and the
 *                             counts of the proved plan: read (the dpkg
 *                             database), apt-open (apt's cache: mapped,
 *                             merged or built), preflight (apt's problems),
 *                             plan, boot (measuring /boot), round-N (each
 *                             simulation of the proof), apt-view (apt's
 *                             kernel protection), free; the steps inside
 *                             the library are told by its debug log
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
#include <sys/resource.h>
#include <time.h>

#include "kpurge.h"

enum mode {
	PLAN,
	PROVE,
	PHASES
};

static double t_last, cpu_last;

/* CPU seconds (user + system) of this process so far. */
static double
cpu_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In --phases mode, print the time since *t0 for what, and restart. */
static void phase(enum mode mode, double *t0, const char *what);

/* The library's debug log marks the end of its inner steps. */
static void
log_phase(void *data, enum kp_log_level level, const char *msg)
{
	static const struct {
		const char *prefix, *name;
	} steps[] = {
		{ "apt's cache opened", "apt-open" },
		{ "plan made", "plan" },
		{ "/boot measured", "boot" },
		{ "apt's kernel protection read", "apt-view" },
	};
	unsigned round;
	char name[32];

	(void)data;
	if (level != KP_LOG_DEBUG)
		return;
	if (sscanf(msg, "apt proof round %u:", &round) == 1) {
		snprintf(name, sizeof(name), "round-%u", round);
		phase(PHASES, &t_last, name);
		return;
	}
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (strncmp(msg, steps[i].prefix, strlen(steps[i].prefix)) == 0)
			phase(PHASES, &t_last, steps[i].name);
}

static void
phase(enum mode mode, double *t0, const char *what)
{
	double t = now(), cpu = cpu_now();

	if (mode == PHASES)
		printf("%-10s %9.3f ms %9.3f ms-cpu\n", what, (t - *t0) * 1e3,
		       (cpu - cpu_last) * 1e3);
	*t0 = t;
	cpu_last = cpu;
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
	double *t0 = &t_last;

	if (argc > 1 && strcmp(argv[1], "--prove") == 0)
		mode = PROVE, arg++;
	else if (argc > 1 && strcmp(argv[1], "--phases") == 0)
		mode = PHASES, arg++;
	if (argc != arg + 1) {
		fprintf(stderr, "usage: plan-only [--prove|--phases] ROOT\n");
		return 2;
	}
	t_last = now();
	cpu_last = cpu_now();
	kp_error_clear(&err);
	ctx = kp_ctx_new(argv[arg], mode == PHASES ? log_phase : NULL, NULL,
	                 &err);
	if (ctx == NULL)
		goto fail;
	phase(mode, t0, "read");
#ifndef PLAN_ONLY_NO_APT
	if (mode == PHASES) {
		struct kp_problem *problems = NULL;
		int n = kp_ctx_problems(ctx, &problems, &err);

		if (n < 0)
			goto fail;
		kp_problems_free(problems, (size_t)n);
		phase(mode, t0, "preflight");
	}
#endif
	if (kp_plan_new(ctx, &opts, &plan, &err) < 0)
		goto fail;
	phase(mode, t0, "plan-end");
#ifndef PLAN_ONLY_NO_APT
	if (mode != PLAN && kp_plan_prove(ctx, plan, &err) < 0)
		goto fail;
	phase(mode, t0, "prove-end");
#endif
	printf("%s%zu releases, %zu packages, %zu to purge%s\n",
	       mode == PHASES ? "counts: " : "", kp_plan_n_releases(plan),
	       kp_plan_n_packages(plan), kp_plan_n_purge(plan),
	       kp_plan_proved(plan) ? ", proved" : "");
	status = 0;
	goto out;
fail:
	fprintf(stderr, "plan-only: %s\n", err.message);
out:
	kp_plan_free(plan);
	kp_ctx_free(ctx);
	phase(mode, t0, "free");
	return status;
}
