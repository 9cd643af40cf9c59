/*
 * purge-old-kernels - the pre-flight: what apt and dpkg find broken
 * before anything runs, and the one command that repairs it.
 *
 * apt-get refuses to remove anything while dependencies are unmet or dpkg
 * has work left, and the commonest cause of both is a full /boot: a new
 * kernel's initramfs did not fit, its postinst failed, and the package
 * stays half-configured. Then only purging old kernels with dpkg frees
 * the room that lets the new one be configured, which is --fix.
 */
#include <config.h>

#include <stdio.h>

#include "preflight.h"
#include "run-apt.h"

/**
 * Is /boot full: CLI_BOOT_FULL_PERCENT used, or too little room left for
 * one more kernel as big as the biggest one installed (largest_release
 * bytes)? False when its figures are unknown.
 */
bool
cli_boot_full(const struct kp_boot_space *b, unsigned long long largest_release)
{
	unsigned long long free_bytes;

	if (!b->known || b->size == 0)
		return false;
	if ((double)b->used * 100 >= (double)b->size * CLI_BOOT_FULL_PERCENT)
		return true;
	free_bytes = b->used < b->size ? b->size - b->used : 0;
	return free_bytes < largest_release;
}

static unsigned long long
largest_release(const struct kp_plan *plan)
{
	unsigned long long largest = 0;
	size_t i;

	for (i = 0; i < kp_plan_n_releases(plan); i++)
		if (kp_plan_release(plan, i)->boot_bytes > largest)
			largest = kp_plan_release(plan, i)->boot_bytes;
	return largest;
}

static bool
kernel_unfinished(const struct kp_plan *plan)
{
	size_t i;

	for (i = 0; i < kp_plan_n_packages(plan); i++)
		if (kp_plan_package(plan, i)->state == KP_STATE_BROKEN)
			return true;
	return false;
}

/*
 * A package dpkg left half-done that the plan purges: a purge that failed
 * or was killed half-way. dpkg --configure -a does not touch a
 * half-installed package, so only purging it finishes the job.
 */
static const char *
purge_unfinished(const struct kp_plan *plan)
{
	size_t i;

	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);

		if (p->state == KP_STATE_BROKEN && p->action == KP_PURGE)
			return p->name;
	}
	return NULL;
}

/** Gather what decides the remedy from the pre-flight, ctx and plan. */
void
cli_system_facts(struct cli_system_facts *facts,
                 const struct kp_problem *problems, size_t n_problems,
                 const struct kp_ctx *ctx, const struct kp_plan *plan)
{
	struct kp_boot_space b;

	kp_plan_boot_space(plan, &b);
	facts->problems = problems;
	facts->n_problems = n_problems;
	facts->interrupted = kp_ctx_dpkg_interrupted(ctx);
	facts->kernel_unfinished = kernel_unfinished(plan);
	facts->purge_unfinished = purge_unfinished(plan);
	facts->boot_full = cli_boot_full(&b, largest_release(plan));
}

/**
 * The one command to suggest for what the pre-flight found: --fix when
 * /boot is full (nothing else can free it while apt refuses to act) or
 * when dpkg left a package of the plan half-done (a failed or killed
 * purge: dpkg --configure -a would leave it so, and the next run would
 * refuse again), dpkg --configure -a when dpkg left other work undone,
 * else apt-get -f install.
 */
enum cli_remedy
cli_remedy_for(const struct cli_system_facts *facts)
{
	bool dpkg_work = facts->interrupted || facts->kernel_unfinished;
	size_t i;

	if (facts->n_problems == 0)
		return facts->interrupted ? CLI_REMEDY_CONFIGURE :
		                            CLI_REMEDY_NONE;
	if (facts->boot_full || facts->purge_unfinished != NULL)
		return CLI_REMEDY_FIX;
	for (i = 0; i < facts->n_problems && !dpkg_work; i++)
		dpkg_work = kp_problem_is_dpkg_work(facts->problems[i].kind);
	return dpkg_work ? CLI_REMEDY_CONFIGURE : CLI_REMEDY_APT_FIX;
}

/* Push "--name=value". */
static int
push_option(struct cli_argv *cmd, const char *name, const char *value)
{
	char arg[4200];

	if ((size_t)snprintf(arg, sizeof(arg), "--%s=%s", name, value) >=
	    sizeof(arg))
		return -1;
	return cli_argv_push(cmd, arg);
}

/* purge-old-kernels [--root=DIR] [the plan's options] --fix */
static int
fix_command(struct cli_argv *cmd, const struct cli_options *opts,
            const char *root)
{
	char keep[32];
	size_t i;
	int r = cli_argv_push(cmd, CLI_NAME);

	if (r == 0 && root != NULL && root[0] != '\0')
		r = push_option(cmd, "root", root);
	snprintf(keep, sizeof(keep), "%u", opts->keep);
	if (r == 0 && opts->keep != KP_KEEP_DEFAULT)
		r = push_option(cmd, "keep", keep);
	if (r == 0 && opts->running_none)
		r = cli_argv_push(cmd, "--running=none");
	else if (r == 0 && opts->running != NULL)
		r = push_option(cmd, "running", opts->running);
	for (i = 0; r == 0 && i < opts->n_protect; i++)
		r = push_option(cmd, "protect", opts->protect[i]);
	return r == 0 ? cli_argv_push(cmd, "--fix") : r;
}

/**
 * The command of a remedy, as a user would type it, into cmd (empty
 * before), for the system at root ("" or NULL: this one). Returns 0, or a
 * negative code when out of memory.
 */
int
cli_remedy_command(struct cli_argv *cmd, enum cli_remedy remedy,
                   const struct cli_options *opts, const char *root)
{
	bool rooted = root != NULL && root[0] != '\0';
	int r = 0;

	switch (remedy) {
	case CLI_REMEDY_NONE:
		return 0;
	case CLI_REMEDY_FIX:
		return fix_command(cmd, opts, root);
	case CLI_REMEDY_CONFIGURE:
		r = cli_argv_push(cmd, "dpkg");
		if (r == 0 && rooted)
			r = push_option(cmd, "root", root);
		if (r == 0)
			r = cli_argv_push(cmd, "--configure");
		return r == 0 ? cli_argv_push(cmd, "-a") : r;
	case CLI_REMEDY_APT_FIX:
		r = cli_argv_push(cmd, "apt-get");
		if (r == 0 && rooted)
			r = cli_apt_root_options(cmd, root);
		if (r == 0)
			r = cli_argv_push(cmd, "-f");
		return r == 0 ? cli_argv_push(cmd, "install") : r;
	}
	return 0;
}
