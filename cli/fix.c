/*
 * purge-old-kernels - --fix: recover a system whose full /boot left a
 * kernel half-configured and apt-get refusing to act.
 *
 * apt-get will not remove anything while dpkg has a package half-done,
 * and the package stays half-done until /boot has room. dpkg itself can
 * still purge, so --fix runs, each step announced and stopping at the
 * first that fails:
 *   1. dpkg --purge PACKAGE...   the plan's old kernels (the usual rules;
 *                                dpkg refuses to break a dependency)
 *   2. dpkg --configure -a       now that /boot has room
 *   3. apt-get -f --no-remove install   whatever dependencies still need;
 *                                it stops rather than remove a package
 * The plan is not proved against apt first: apt is what is broken.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "output.h"
#include "run-apt.h"

/**
 * The commands of --fix for plan on the system at root ("" or NULL: this
 * one) into fp; step 1 is left empty when there is nothing to purge.
 * Forwarded apt-get arguments go to step 3. Returns 0 or -ENOMEM; free fp
 * with cli_fix_commands_free() in any case.
 */
int
cli_fix_commands(struct cli_fix_plan *fp, const struct cli_options *opts,
                 const char *root, const struct kp_plan *plan)
{
	int r = 0;

	memset(fp, 0, sizeof(*fp));
	if (kp_plan_n_purge(plan) > 0)
		r = cli_dpkg_purge_command(&fp->step[0], root, plan);
	if (r == 0)
		r = cli_dpkg_configure_command(&fp->step[1], root);
	if (r == 0)
		r = cli_apt_fix_command(&fp->step[2], root, &opts->args.apt);
	return r;
}

void
cli_fix_commands_free(struct cli_fix_plan *fp)
{
	size_t i;

	for (i = 0; i < CLI_FIX_STEPS; i++)
		cli_argv_free(&fp->step[i]);
}

/* What each step does, in the words of its announcement. */
static void
step_title(const struct kp_plan *plan, unsigned step, char *buf, size_t size)
{
	size_t n = kp_plan_n_purge(plan);

	if (step == 0 && n == 0)
		snprintf(buf, size, "nothing to purge; skipped");
	else if (step == 0)
		snprintf(buf, size,
		         "purge the old kernels with dpkg "
		         "(%zu package%s)",
		         n, n == 1 ? "" : "s");
	else if (step == 1)
		snprintf(buf, size, "configure what dpkg left unconfigured");
	else
		snprintf(buf, size,
		         "let apt-get finish the repair "
		         "(it removes nothing)");
}

/* What to do when step failed, said after its status. */
static const char *const next_steps[CLI_FIX_STEPS] = {
	"nothing more was run; deal with what dpkg reported above, then "
	"run --fix again",
	"the old kernels are purged, but a package still fails to "
	"configure: see dpkg's messages above (is /boot still full?)",
	"dpkg's side is repaired, but apt-get could not finish without "
	"removing packages; run 'apt-get -f install' to see what it proposes",
};

/* What apt and dpkg find broken, on stdout: --fix shows what it repairs. */
static void
report_problems(struct kp_ctx *ctx)
{
	struct kp_error err;
	struct kp_problem *problems = NULL;
	char line[4096];
	int n, i;

	kp_error_clear(&err);
	n = kp_ctx_problems(ctx, &problems, &err);
	if (n < 0)
		cli_warn("cannot ask apt-get what is broken: %s", err.message);
	else if (n == 0)
		puts("dpkg and apt-get report nothing broken.");
	else
		puts("dpkg and apt-get report:");
	for (i = 0; i < n; i++) {
		cli_escape(problems[i].text, line, sizeof(line));
		printf("  %s\n", line);
	}
	kp_problems_free(problems, n > 0 ? (size_t)n : 0);
}

static int
show_steps(const struct cli_fix_plan *fp, const struct kp_plan *plan,
           const struct cli_style *style)
{
	char title[128];
	unsigned i;

	puts("\n--fix would run these steps, as root:");
	for (i = 0; i < CLI_FIX_STEPS; i++) {
		step_title(plan, i, title, sizeof(title));
		putchar('\n');
		cli_print_step(stdout, i + 1, CLI_FIX_STEPS, title,
		               (const char *const *)fp->step[i].v, style);
	}
	return 0;
}

static const char *
program_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static int
run_steps(const struct cli_fix_plan *fp, const struct kp_plan *plan,
          const struct cli_style *style)
{
	struct kp_error err;
	char title[128];
	unsigned i;
	int status;

	for (i = 0; i < CLI_FIX_STEPS; i++) {
		const char *const *argv = (const char *const *)fp->step[i].v;

		step_title(plan, i, title, sizeof(title));
		putchar('\n');
		cli_print_step(stdout, i + 1, CLI_FIX_STEPS, title, argv,
		               style);
		if (argv == NULL)
			continue;
		kp_error_clear(&err);
		status = cli_run(argv, &err);
		if (status < 0) {
			cli_error("step %u/%u: %s; nothing more was run", i + 1,
			          CLI_FIX_STEPS, err.message);
			return CLI_EXIT_ERROR;
		}
		if (status != 0) {
			cli_error(
			        "step %u/%u failed: %s exited with status %d; "
			        "%s",
			        i + 1, CLI_FIX_STEPS, program_name(argv[0]),
			        status, next_steps[i]);
			return status;
		}
	}
	return 0;
}

/* After the steps: is the system whole again? */
static int
recheck(const struct cli_options *opts)
{
	struct kp_error err;
	struct kp_ctx *ctx;
	struct kp_problem *problems = NULL;
	int n, i;

	kp_error_clear(&err);
	ctx = kp_ctx_new(opts->root, cli_log_kp, NULL, &err);
	n = ctx != NULL ? kp_ctx_problems(ctx, &problems, &err) : -1;
	kp_ctx_free(ctx);
	if (n < 0) {
		cli_warn("cannot check the result: %s", err.message);
		return 0;
	}
	if (n == 0) {
		puts("\nDone: dpkg and apt-get report nothing broken.");
		return 0;
	}
	for (i = 0; i < n; i++)
		cli_error("still broken: %s", problems[i].text);
	kp_problems_free(problems, (size_t)n);
	return CLI_EXIT_ERROR;
}

/**
 * Run --fix for plan (made without the apt proof) on the system of *ctx:
 * show what is broken and /boot's space, free *ctx (libdpkg's state goes
 * before dpkg runs), then show (--dry-run) or run the steps. Returns 0,
 * the exit status of the first step that failed, or CLI_EXIT_ERROR.
 */
int
cli_fix(const struct cli_options *opts, struct kp_ctx **ctx,
        const struct kp_plan *plan)
{
	struct cli_style style = cli_style_for(stdout);
	struct cli_fix_plan fp;
	int r;

	report_problems(*ctx);
	cli_print_space(stdout, plan, &style);
	r = cli_fix_commands(&fp, opts, kp_ctx_root(*ctx), plan);
	kp_ctx_free(*ctx);
	*ctx = NULL;
	if (r < 0) {
		cli_error("out of memory");
		r = CLI_EXIT_ERROR;
	} else if (opts->dry_run) {
		r = show_steps(&fp, plan, &style);
	} else if ((r = run_steps(&fp, plan, &style)) == 0) {
		r = recheck(opts);
	}
	cli_fix_commands_free(&fp);
	return r;
}
