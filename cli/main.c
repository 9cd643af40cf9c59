/*
 * purge-old-kernels - purge old kernel packages of a Debian or Ubuntu
 * system, safely.
 *
 * A thin layer over libkpurge: read the command line, open the dpkg
 * database, let the library make the plan, show it, and hand its purge
 * list to apt-get. Every decision about a kernel is the library's.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "environ.h"
#include "fix.h"
#include "guard.h"
#include "kpurge.h"
#include "options.h"
#include "orphans.h"
#include "output.h"
#include "preflight.h"
#include "run-apt.h"
#include "unattended.h"
#include "why.h"

/* What one run holds; freed in one place. */
struct job {
	struct kp_ctx *ctx;
	struct kp_plan *plan;
	struct cli_argv command;     /* the apt-get command of the plan */
	struct kp_problem *problems; /* what apt and dpkg find broken */
	size_t n_problems;
};

/* This runs dpkg and apt-get as root: never on behalf of another user. */
static int
refuse_setuid(void)
{
	if (getuid() == geteuid() && getgid() == getegid())
		return 0;
	cli_error("refusing to run set-user-ID or set-group-ID; "
	          "run it with sudo");
	return CLI_EXIT_ERROR;
}

/*
 * A purge needs root, unless apt-get is only asked to simulate it; --fix
 * needs it unless it only shows its steps.
 */
static int
check_privileges(const struct cli_options *opts)
{
	if (geteuid() == 0)
		return 0;
	if (cli_options_fixing(opts)) {
		cli_error("--fix needs root privileges; run it with sudo, or "
		          "use --fix --dry-run to see its steps");
		return CLI_EXIT_ERROR;
	}
	if (!cli_options_purging(opts) || opts->fix || opts->args.apt_simulate)
		return 0;
	cli_error("purging kernels needs root privileges; run it with sudo, "
	          "or use --dry-run to see the plan");
	return CLI_EXIT_ERROR;
}

/*
 * apt's configuration, as the purge's apt-get will read it: the proof
 * applies what the forwarded arguments set (cli_apt_translate()).
 */
static int
configure_apt(const struct cli_options *opts, struct job *job)
{
	struct kp_apt_config config = { NULL, 0 };
	struct kp_error err;
	int r;

	kp_error_clear(&err);
	r = cli_apt_translate(&opts->args.apt, &config);
	if (r == 0)
		r = kp_ctx_set_apt_config(job->ctx, &config, &err);
	else
		cli_put_error(&err, r, "out of memory");
	kp_apt_config_free(&config);
	if (r == 0)
		return 0;
	cli_error("%s", err.message);
	return CLI_EXIT_ERROR;
}

static int
open_system(const struct cli_options *opts, struct job *job)
{
	struct kp_error err;

	kp_error_clear(&err);
	job->ctx = kp_ctx_new(opts->root, cli_log_kp, NULL, &err);
	if (job->ctx == NULL) {
		cli_error("%s", err.message);
		return CLI_EXIT_ERROR;
	}
	return configure_apt(opts, job);
}

/*
 * A --running that names no installed kernel may be a typo, or the host's
 * kernel seen from a container: say so, and go on with the newest ones.
 */
static void
check_running(const struct cli_options *opts, const struct kp_plan *plan)
{
	if (opts->running != NULL && !kp_plan_running_installed(plan))
		cli_warn("--running=%s: no such kernel release is installed; "
		         "keeping the newest ones",
		         opts->running);
}

/*
 * A --protect that names nothing installed stops the run before anything
 * is removed; a PROTECT of the configuration file only warns.
 */
static int
check_protect(const struct cli_options *opts, const struct kp_plan *plan)
{
	struct kp_error err;
	int r;

	kp_error_clear(&err);
	r = cli_protect_check(opts, plan, &err);
	if (r != 0)
		cli_error("%s; nothing was removed", err.message);
	return r;
}

static int
make_plan(const struct cli_options *opts, struct job *job)
{
	struct kp_plan_options plan_opts = {
		.keep = opts->keep,
		.protect = (const char *const *)opts->protect,
		.n_protect = opts->n_protect,
		.only_auto_installed = opts->only_auto_installed,
	};
	char running[256];
	struct kp_error err;

	kp_error_clear(&err);
	if (cli_running_release(opts, running, sizeof(running),
	                        &plan_opts.running, &err) < 0) {
		cli_error("%s", err.message);
		return CLI_EXIT_ERROR;
	}
	if (kp_plan_new(job->ctx, &plan_opts, &job->plan, &err) < 0) {
		char words[sizeof(err.message)];

		cli_error("%s", cli_plan_refusal(&err, plan_opts.running, words,
		                                 sizeof(words)));
		return CLI_EXIT_ERROR;
	}
	check_running(opts, job->plan);
	if (!cli_options_purging(opts) || opts->orphans)
		cli_orphans_find(opts, job->ctx, job->plan);
	return check_protect(opts, job->plan);
}

/* ------------------------------------------------------- pre-flight */

/* "run 'COMMAND' as root, then try again", or why --fix is the way. */
static void
remedy_sentence(const struct cli_options *opts, const struct job *job,
                char *buf, size_t size)
{
	struct cli_system_facts facts;
	struct cli_argv cmd = { NULL, 0, 0 };
	enum cli_remedy remedy;
	struct kp_boot_space b;
	char *text = NULL;

	cli_system_facts(&facts, job->problems, job->n_problems, job->ctx,
	                 job->plan);
	remedy = cli_remedy_for(&facts);
	if (cli_remedy_command(&cmd, remedy, opts, kp_ctx_root(job->ctx)) ==
	            0 &&
	    cmd.v != NULL)
		text = cli_command_text((const char *const *)cmd.v);
	kp_plan_boot_space(job->plan, &b);
	if (text == NULL)
		snprintf(buf, size, "repair the system, then try again");
	else if (remedy == CLI_REMEDY_FIX && facts.boot_full)
		snprintf(buf, size,
		         "/boot is full (%.0f%% used); run '%s' as "
		         "root: it purges the old kernels with dpkg, then "
		         "repairs the system",
		         b.size ? (double)b.used * 100 / (double)b.size : 0.0,
		         text);
	else if (remedy == CLI_REMEDY_FIX)
		snprintf(buf, size,
		         "run '%s' as root: it purges the old "
		         "kernels with dpkg, %s among them, then repairs the "
		         "system",
		         text, facts.purge_unfinished);
	else
		snprintf(buf, size, "run '%s' as root, then try again", text);
	free(text);
	cli_argv_free(&cmd);
}

/*
 * What apt and dpkg find broken now. A purge stops there, naming each
 * problem and the one command that repairs them; --list and --dry-run
 * warn and go on.
 */
static int
preflight(const struct cli_options *opts, struct job *job)
{
	bool purging = cli_options_purging(opts);
	struct kp_error err;
	char advice[8192];
	int n, i;

	kp_error_clear(&err);
	n = kp_ctx_problems(job->ctx, &job->problems, &err);
	if (n < 0 && purging) {
		cli_error("cannot ask apt-get what is broken: %s; nothing "
		          "was removed",
		          err.message);
		return CLI_EXIT_ERROR;
	}
	if (n < 0) {
		cli_warn("cannot ask apt-get what is broken: %s", err.message);
		return 0;
	}
	if (n == 0)
		return 0;
	job->n_problems = (size_t)n;
	remedy_sentence(opts, job, advice, sizeof(advice));
	if (purging && n == 1) {
		cli_error("%s; %s", job->problems[0].text, advice);
		return CLI_EXIT_ERROR;
	}
	for (i = 0; i < n; i++)
		cli_log(purging ? KP_LOG_ERROR : KP_LOG_WARNING, "%s",
		        job->problems[i].text);
	if (purging) {
		cli_error("%s", advice);
		return CLI_EXIT_ERROR;
	}
	cli_warn("a purge would be refused; %s", advice);
	return 0;
}

/*
 * Prove the plan against apt-get's resolver: what apt-get would take
 * along or replace is kept. A purge whose plan cannot be proved does not
 * happen; a plan only shown is shown unchecked.
 */
static int
prove(const struct cli_options *opts, struct job *job)
{
	struct kp_error err;

	kp_error_clear(&err);
	if (kp_plan_prove(job->ctx, job->plan, &err) == 0)
		return 0;
	if (cli_options_purging(opts)) {
		cli_error("%s; nothing was removed", err.message);
		return CLI_EXIT_ERROR;
	}
	cli_warn("could not check the plan against apt-get: %s; the plan is "
	         "shown unchecked",
	         err.message);
	return 0;
}

/*
 * --fix does not prove its plan (apt is what is broken), but apt's marks
 * and APT::NeverAutoRemove still keep: without them --only-auto-installed
 * cannot be followed, and nothing is removed.
 */
static int
read_apt_for_fix(const struct cli_options *opts, struct job *job)
{
	struct kp_error err;

	kp_error_clear(&err);
	if (kp_plan_read_apt(job->ctx, job->plan, &err) == 0)
		return 0;
	if (opts->only_auto_installed) {
		cli_error("cannot read apt's marks: %s; nothing was removed",
		          err.message);
		return CLI_EXIT_ERROR;
	}
	cli_error("warning: cannot read apt's APT::NeverAutoRemove: %s",
	          err.message);
	return 0;
}

static int
make_command(const struct cli_options *opts, struct job *job)
{
	if (cli_apt_command(&job->command, kp_ctx_root(job->ctx),
	                    &opts->args.apt, job->plan) < 0) {
		cli_error("out of memory");
		return CLI_EXIT_ERROR;
	}
	return 0;
}

static int
print_json(const struct kp_plan *plan)
{
	struct kp_error err;

	kp_error_clear(&err);
	if (kp_plan_write_json(plan, stdout, &err) < 0) {
		cli_error("%s", err.message);
		return CLI_EXIT_ERROR;
	}
	return 0;
}

static void
print_nothing(const struct cli_options *opts)
{
	if (!opts->quiet)
		puts(CLI_NOTHING_TO_PURGE);
}

/* --list and --dry-run: show, change nothing. */
static int
show(const struct cli_options *opts, const struct job *job)
{
	struct cli_style style = cli_style_for(stdout);

	if (opts->json)
		return print_json(job->plan);
	if (opts->list) {
		cli_print_list(stdout, job->plan, &style);
		cli_print_orphans(stdout, job->plan);
	}
	if (!opts->dry_run)
		return 0;
	if (opts->list)
		putchar('\n');
	if (kp_plan_n_purge(job->plan) == 0)
		print_nothing(opts);
	else
		cli_print_dry_run(stdout, job->plan,
		                  (const char *const *)job->command.v, &style);
	if (opts->orphans)
		cli_print_orphans_dry_run(stdout, job->plan);
	return 0;
}

/* --orphans, once the packages are purged: apt-get -s removes nothing. */
static int
remove_orphans(const struct cli_options *opts, const struct job *job)
{
	if (!opts->orphans)
		return 0;
	if (!opts->args.apt_simulate)
		return cli_orphans_remove(opts, job->plan);
	if (!opts->args.apt_quiet)
		cli_print_orphans_dry_run(stdout, job->plan);
	return 0;
}

/*
 * apt-get exited 0: see that the purge happened. apt-get may only have
 * simulated, asked to by apt's configuration (APT::Get::Simulate in
 * apt.conf) or an argument after "--", which the options do not show:
 * then say so (not "Purged") and return 1. A purge left half-done is
 * CLI_EXIT_ERROR; 0 when every package of the plan is gone.
 */
static int
check_purged(const struct cli_options *opts, const struct job *job)
{
	struct cli_purge_left left;

	cli_purge_left(opts->root, job->plan, &left);
	if (!left.known || left.list[0] == '\0')
		return 0;
	if (!left.changed) {
		cli_info("apt-get removed nothing: it only simulated "
		         "(APT::Get::Simulate in apt's configuration, or an "
		         "argument after --?); nothing was purged");
		return 1;
	}
	cli_error("apt-get exited 0 but left %s; run " CLI_NAME
	          " again to finish the purge",
	          left.list);
	return CLI_EXIT_ERROR;
}

static int
purge(const struct cli_options *opts, const struct job *job)
{
	struct cli_style style = cli_style_for(stdout);
	struct kp_error err;
	int status;

	if (kp_plan_n_purge(job->plan) == 0) {
		print_nothing(opts);
		return remove_orphans(opts, job);
	}
	/* apt-get's -qq (or -q=N) makes us quiet too. */
	if (!opts->args.apt_quiet)
		cli_print_summary(stdout, job->plan, opts->args.apt_simulate,
		                  &style);
	/* What could not be shown is not purged. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write to standard output; "
		          "nothing was purged");
		return CLI_EXIT_ERROR;
	}
	kp_error_clear(&err);
	status = cli_run((const char *const *)job->command.v, &err);
	if (status < 0) {
		cli_error("%s", err.message);
		return CLI_EXIT_ERROR;
	}
	/*
	 * apt-get said what went wrong; say what that means for the purge:
	 * nothing happened (a "no" at its prompt, a busy lock), or it
	 * stopped half-way and the next run finishes it.
	 */
	if (status != 0) {
		struct cli_purge_left left;
		char msg[sizeof(left.list) + 512];

		cli_purge_left(opts->root, job->plan, &left);
		cli_apt_failed_message(&left, status, msg, sizeof(msg));
		cli_error("%s", msg);
	} else if (!opts->args.apt_simulate) {
		if ((status = check_purged(opts, job)) != 0)
			return status == 1 ? 0 : status;
		if (!opts->args.apt_quiet)
			cli_print_purged(stdout, job->plan, &style);
	}
	/* The purge's result stands; then the files it left. */
	return status != 0 ? status : remove_orphans(opts, job);
}

/* An ordinary run: a purge, --list, --dry-run, --fix. */
static int
run_plan(struct cli_options *opts)
{
	struct job job = { NULL, NULL, { NULL, 0, 0 }, NULL, 0 };
	int r;

	if ((r = check_privileges(opts)) != 0 ||
	    (r = open_system(opts, &job)) != 0 ||
	    (r = make_plan(opts, &job)) != 0)
		goto out;
	if (opts->mode == CLI_MODE_FIX) {
		if ((r = read_apt_for_fix(opts, &job)) == 0)
			r = cli_fix(opts, &job.ctx, job.plan);
		goto out;
	}
	/* Pre-flight and proof ask apt about the root the context holds. */
	if ((r = preflight(opts, &job)) != 0 || (r = prove(opts, &job)) != 0 ||
	    (r = make_command(opts, &job)) != 0)
		goto out;
	/* The plan outlives the context; libdpkg's state goes before apt-get */
	kp_ctx_free(job.ctx);
	job.ctx = NULL;
	if (cli_options_purging(opts))
		r = purge(opts, &job);
	else
		r = show(opts, &job);
out:
	kp_problems_free(job.problems, job.n_problems);
	cli_argv_free(&job.command);
	kp_plan_free(job.plan);
	kp_ctx_free(job.ctx);
	return r;
}

/*
 * The environment apt-get and dpkg will inherit, decided before anything
 * reads a database or runs (cli/environ.c). Returns 0 or CLI_EXIT_ERROR;
 * the apt hook only warns, and does nothing.
 */
static int
prepare_environment(const struct cli_options *opts)
{
	struct kp_error err;

	kp_error_clear(&err);
	if (cli_environ_prepare(opts->root, &err) == 0)
		return 0;
	if (cli_mode_info(opts->mode)->flags & CLI_MODE_NEVER_FAILS)
		cli_warn("%s; the apt hook does nothing", err.message);
	else
		cli_error("%s", err.message);
	return CLI_EXIT_ERROR;
}

/* The handler of each mode: CLI_MODES' last column. */
typedef int cli_mode_fn(struct cli_options *opts);
#define CLI_MODE_HANDLER_(name, option, flags, log, handler)                   \
	[CLI_MODE_##name] = (handler),
/* clang-format off */
static cli_mode_fn *const mode_handler[CLI_MODE_COUNT] = {
	CLI_MODES(CLI_MODE_HANDLER_)
};
/* clang-format on */
#undef CLI_MODE_HANDLER_

/*
 * Run the mode the command line chose. Modes with CLI_MODE_CONFIG get
 * the configuration file applied first and the state file refreshed
 * after; the others read what they need themselves.
 */
static int
run_mode(struct cli_options *opts)
{
	struct cli_setup su;
	struct kp_error err;
	int r;

	cli_log_open(cli_mode_info(opts->mode)->log);
	if (!(cli_mode_info(opts->mode)->flags & CLI_MODE_CONFIG)) {
		r = mode_handler[opts->mode](opts);
		cli_log_close();
		return r;
	}
	kp_error_clear(&err);
	if (cli_policy_load(&su, opts, 0, &err) < 0) {
		cli_error("%s", err.message);
		r = CLI_EXIT_ERROR;
	} else {
		r = mode_handler[opts->mode](opts);
		cli_state_refresh(&su);
	}
	cli_setup_free(&su);
	cli_log_close();
	return r;
}

/* Output that did not reach its reader is a failure, even of --list. */
static int
check_stdout(int r)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return r;
	cli_error("cannot write to standard output");
	return r == 0 ? CLI_EXIT_ERROR : r;
}

int
main(int argc, char **argv)
{
	struct cli_options opts;
	struct kp_error err;
	int r;

	if ((r = refuse_setuid()) != 0)
		return r;
	kp_error_clear(&err);
	r = cli_options_parse(&opts, argc, (const char *const *)argv, &err);
	if (r != 0)
		cli_error("%s", err.message);
	else if (opts.help)
		cli_print_help(stdout);
	else if (opts.usage)
		cli_print_usage(stdout);
	else if (opts.version)
		cli_print_version(stdout);
	else if (prepare_environment(&opts) == 0)
		r = run_mode(&opts);
	else if (!(cli_mode_info(opts.mode)->flags & CLI_MODE_NEVER_FAILS))
		r = CLI_EXIT_ERROR; /* the hook never fails apt's run */
	cli_options_free(&opts);
	return check_stdout(r);
}
