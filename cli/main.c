/*
 * purge-old-kernels - purge old kernel packages of a Debian or Ubuntu
 * system, safely.
 *
 * A thin layer over libkpurge: read the command line, open the dpkg
 * database, let the library make the plan, show it, and hand its purge
 * list to apt-get. Every decision about a kernel is the library's.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kpurge.h"
#include "options.h"
#include "output.h"
#include "run-apt.h"

/* What one run holds; freed in one place. */
struct job {
	struct kp_ctx *ctx;
	struct kp_plan *plan;
	struct cli_argv command; /* the apt-get command of the plan */
};

/*
 * Join the lines of a message (libdpkg's parse errors span two) into one,
 * so that every message is one line on stderr.
 */
static void
join_lines(char *text)
{
	char *in = text, *out = text;

	while (*in != '\0') {
		if (*in != '\n') {
			*out++ = *in++;
			continue;
		}
		in += strspn(in, "\n \t");
		if (out > text && out[-1] != ' ' && *in != '\0')
			*out++ = ' ';
	}
	while (out > text && out[-1] == ' ')
		out--;
	*out = '\0';
}

/* "purge-old-kernels: MESSAGE" on one line of stderr. */
__attribute__((format(printf, 1, 2)))
static void
print_error(const char *fmt, ...)
{
	char message[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	join_lines(message);
	fprintf(stderr, CLI_NAME ": %s\n", message);
}

/* The library's messages: errors and warnings; info and debug stay quiet. */
static void
log_to_stderr(void *data, enum kp_log_level level, const char *message)
{
	(void)data;
	if (level == KP_LOG_ERROR)
		print_error("error: %s", message);
	else if (level == KP_LOG_WARNING)
		print_error("warning: %s", message);
}

/* This runs dpkg and apt-get as root: never on behalf of another user. */
static int
refuse_setuid(void)
{
	if (getuid() == geteuid() && getgid() == getegid())
		return 0;
	print_error("refusing to run set-user-ID or set-group-ID; "
	            "run it with sudo");
	return CLI_EXIT_ERROR;
}

/* A purge needs root, unless apt-get is only asked to simulate it. */
static int
check_privileges(const struct cli_options *opts)
{
	if (!cli_options_purging(opts) || opts->args.apt_simulate ||
	    geteuid() == 0)
		return 0;
	print_error("purging kernels needs root privileges; run it with sudo, "
	            "or use --dry-run to see the plan");
	return CLI_EXIT_ERROR;
}

/* dpkg's journal is not empty: apt-get would refuse; the state is unsure. */
static int
check_interrupted(const struct cli_options *opts, const struct kp_ctx *ctx)
{
	const char *root = kp_ctx_root(ctx);
	char command[4200];

	if (!kp_ctx_dpkg_interrupted(ctx))
		return 0;
	if (root[0] != '\0')
		snprintf(command, sizeof(command),
		         "dpkg --root=%s --configure -a", root);
	else
		snprintf(command, sizeof(command), "dpkg --configure -a");
	if (!cli_options_purging(opts)) {
		print_error("warning: dpkg was interrupted; run '%s' as root "
		            "before purging", command);
		return 0;
	}
	print_error("dpkg was interrupted; run '%s' as root, then try again",
	            command);
	return CLI_EXIT_ERROR;
}

static int
open_system(const struct cli_options *opts, struct job *job)
{
	struct kp_error err;

	kp_error_clear(&err);
	job->ctx = kp_ctx_new(opts->root, log_to_stderr, NULL, &err);
	if (job->ctx == NULL) {
		print_error("%s", err.message);
		return CLI_EXIT_ERROR;
	}
	return check_interrupted(opts, job->ctx);
}

/*
 * The running kernel: --running, or uname -r on this system. Under --root
 * the host's kernel says nothing about the system being cleaned.
 */
static int
find_running(const struct cli_options *opts, const struct kp_ctx *ctx,
             char *buf, size_t size, const char **running)
{
	struct kp_error err;

	*running = NULL;
	if (opts->running_none)
		return 0;
	if (opts->running != NULL) {
		*running = opts->running;
		return 0;
	}
	if (kp_ctx_root(ctx)[0] != '\0')
		return 0;
	kp_error_clear(&err);
	if (kp_running_release(buf, size, &err) < 0) {
		print_error("%s", err.message);
		return CLI_EXIT_ERROR;
	}
	*running = buf;
	return 0;
}

/*
 * A --running that names no installed kernel may be a typo, or the host's
 * kernel seen from a container: say so, and go on with the newest ones.
 */
static void
check_running(const struct cli_options *opts, const struct kp_plan *plan)
{
	if (opts->running != NULL && !kp_plan_running_installed(plan))
		print_error("warning: --running=%s: no such kernel release "
		            "is installed; keeping the newest ones",
		            opts->running);
}

static int
make_plan(const struct cli_options *opts, struct job *job)
{
	struct kp_plan_options plan_opts = {
		.keep = opts->keep,
		.protect = (const char *const *)opts->protect,
		.n_protect = opts->n_protect,
	};
	char running[256];
	struct kp_error err;
	int r;

	r = find_running(opts, job->ctx, running, sizeof(running),
	                 &plan_opts.running);
	if (r != 0)
		return r;
	kp_error_clear(&err);
	if (kp_plan_new(job->ctx, &plan_opts, &job->plan, &err) < 0) {
		print_error("%s", err.message);
		return CLI_EXIT_ERROR;
	}
	check_running(opts, job->plan);
	return 0;
}

static int
make_command(const struct cli_options *opts, struct job *job)
{
	if (cli_apt_command(&job->command, kp_ctx_root(job->ctx),
	                    &opts->args.apt, job->plan) < 0) {
		print_error("out of memory");
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
		print_error("%s", err.message);
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
	if (opts->list)
		cli_print_list(stdout, job->plan, &style);
	if (!opts->dry_run)
		return 0;
	if (opts->list)
		putchar('\n');
	if (kp_plan_n_purge(job->plan) == 0)
		print_nothing(opts);
	else
		cli_print_dry_run(stdout, job->plan,
		                  (const char *const *)job->command.v, &style);
	return 0;
}

static int
purge(const struct cli_options *opts, const struct job *job)
{
	struct cli_style style = cli_style_for(stdout);
	char err[1024];
	int status;

	if (kp_plan_n_purge(job->plan) == 0) {
		print_nothing(opts);
		return 0;
	}
	cli_print_summary(stdout, job->plan, &style);
	/* What could not be shown is not purged. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		print_error("cannot write to standard output; "
		            "nothing was purged");
		return CLI_EXIT_ERROR;
	}
	status = cli_run((const char *const *)job->command.v, err, sizeof(err));
	if (status < 0) {
		print_error("%s", err);
		return CLI_EXIT_ERROR;
	}
	return status;
}

static int
run(const struct cli_options *opts)
{
	struct job job = { NULL, NULL, { NULL, 0, 0 } };
	int r;

	if ((r = check_privileges(opts)) != 0 ||
	    (r = open_system(opts, &job)) != 0 ||
	    (r = make_plan(opts, &job)) != 0 ||
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
	cli_argv_free(&job.command);
	kp_plan_free(job.plan);
	kp_ctx_free(job.ctx);
	return r;
}

/* Output that did not reach its reader is a failure, even of --list. */
static int
check_stdout(int r)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return r;
	print_error("cannot write to standard output");
	return r == 0 ? CLI_EXIT_ERROR : r;
}

int
main(int argc, char **argv)
{
	struct cli_options opts;
	char err[1024];
	int r;

	if ((r = refuse_setuid()) != 0)
		return r;
	r = cli_options_parse(&opts, argc, (const char *const *)argv, err,
	                      sizeof(err));
	if (r != 0)
		print_error("%s", err);
	else if (opts.help)
		cli_print_help(stdout);
	else if (opts.usage)
		cli_print_usage(stdout);
	else if (opts.version)
		cli_print_version(stdout);
	else
		r = run(&opts);
	cli_options_free(&opts);
	return check_stdout(r);
}
