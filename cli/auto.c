/*
 * purge-old-kernels - --auto: the periodic job (cron or a systemd timer)
 * and the purge the apt hook starts after an apt run.
 *
 * Nobody answers questions here and nobody reads a terminal: apt-get runs
 * with -y and DEBIAN_FRONTEND=noninteractive, its output and ours go to
 * syslog (or the journal), and nothing is printed when there is nothing
 * to do, so cron sends no mail. A lock file of our own keeps two copies
 * apart; apt's lock is waited for TIMEOUT seconds, then the job gives up
 * until its next run.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kpurge-trust.h"
#include "output.h"
#include "run-apt.h"
#include "unattended.h"

/* ---------------------------------------------------------------- locks */

/*
 * ROOT/run/purge-old-kernels.lock, opened (made if missing) in the
 * directory the trust walk opened: never through a link or a directory
 * another user owns. Returns the descriptor, or a negative code with err
 * filled.
 */
static int
open_own_lock(const char *root, struct kp_error *err)
{
	int dirfd, fd;

	dirfd = kp_trust_open_dir(root, "run", KP_TRUST_CREATE, err);
	if (dirfd < 0)
		return dirfd;
	fd = openat(dirfd, CLI_NAME ".lock",
	            O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = cli_put_error(err, -errno,
		                   "cannot open %s/run/" CLI_NAME ".lock: %s",
		                   root ? root : "", strerror(errno));
	close(dirfd);
	return fd;
}

/** Is a --auto running for root (holding its lock) right now? */
bool
cli_auto_running(const char *root)
{
	int fd = open_own_lock(root, NULL);
	bool busy;

	if (fd < 0)
		return false;
	busy = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

/*
 * Does someone hold ROOT/var/lib/dpkg/NAME? apt and dpkg take fcntl()
 * locks; F_GETLK asks without taking it, so no apt run ever fails
 * because we looked.
 */
static bool
dpkg_lock_busy(const char *root, const char *name)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/var/lib/dpkg/%s", root ? root : "",
	         name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fcntl(fd, F_GETLK, &fl) < 0)
		fl.l_type = F_UNLCK;
	close(fd);
	return fl.l_type != F_UNLCK;
}

/*
 * Wait until neither apt nor dpkg holds their locks, at most timeout
 * seconds. Returns the seconds left, or -1 when they stayed busy.
 */
static long
wait_for_apt(const char *root, unsigned timeout)
{
	time_t start = time(NULL), now = start;

	while (dpkg_lock_busy(root, "lock-frontend") ||
	       dpkg_lock_busy(root, "lock")) {
		if ((unsigned long)(now - start) >= timeout)
			return -1;
		sleep(1);
		now = time(NULL);
	}
	return (long)timeout - (long)(now - start);
}

/* ------------------------------------------------------------- the job */

struct job {
	struct cli_options *opts;
	struct cli_setup setup;    /* .cfg, .config_path, .policy */
	struct kp_summary summary; /* the last run's figures carried over */
	struct kp_ctx *ctx;
	struct kp_plan *plan;
};

static void
job_free(struct job *job)
{
	kp_plan_free(job->plan);
	kp_ctx_free(job->ctx);
	cli_setup_free(&job->setup);
}

/* Read the configuration; the command line wins over it. */
static int
job_configure(struct job *job)
{
	struct kp_error err;

	kp_error_clear(&err);
	if (cli_policy_load(&job->setup, job->opts, 0, &err) < 0) {
		cli_error("%s; nothing was purged", err.message);
		return CLI_EXIT_ERROR;
	}
	return 0;
}

static void
job_failed(struct job *job, const char *what)
{
	cli_error("%s; nothing was purged", what);
	job->summary.last_run = KP_LAST_RUN_FAILED;
	job->summary.last_run_purged = 0;
	job->summary.last_run_freed_bytes = 0;
	job->summary.last_run_freed_boot_bytes = 0;
}

/*
 * What apt and dpkg find wrong (a half-configured package, unmet
 * dependencies): a purge now could make it worse. Returns 0 if healthy.
 */
static int
check_system(struct job *job)
{
	struct kp_problem *problems = NULL;
	char msg[2048];
	struct kp_error err;
	int n;

	kp_error_clear(&err);
	if (kp_ctx_dpkg_interrupted(job->ctx)) {
		job_failed(job,
		           "dpkg was interrupted; run 'dpkg --configure -a'");
		return CLI_EXIT_ERROR;
	}
	n = kp_ctx_problems(job->ctx, &problems, &err);
	if (n < 0)
		snprintf(msg, sizeof(msg), "%s", err.message);
	else if (n > 0)
		snprintf(msg, sizeof(msg),
		         "the system needs repair first: %s%s",
		         problems[0].text, n > 1 ? " (and more)" : "");
	kp_problems_free(problems, n > 0 ? (size_t)n : 0);
	if (n == 0)
		return 0;
	job_failed(job, msg);
	return CLI_EXIT_ERROR;
}

static int forwarded(const struct job *job, long wait, struct cli_argv *fwd);

/* The proof reads apt's configuration as the purge's apt-get will. */
static int
configure_apt(struct job *job, struct kp_error *err)
{
	struct kp_apt_config config = { NULL, 0 };
	struct cli_argv fwd = { NULL, 0, 0 };
	int r = forwarded(job, 0, &fwd);

	if (r == 0)
		r = cli_apt_translate(&fwd, &config);
	if (r == 0)
		r = kp_ctx_set_apt_config(job->ctx, &config, err);
	else
		cli_put_error(err, r, "out of memory");
	kp_apt_config_free(&config);
	cli_argv_free(&fwd);
	return r;
}

/* The plan, proved against apt; the stamps taken before the database. */
static int
make_plan(struct job *job)
{
	const struct cli_policy *p = &job->setup.policy;
	struct kp_summary *s = &job->summary;
	struct kp_error err;
	int r;

	kp_error_clear(&err);
	if (kp_db_stamp(p->root, &s->stamp, &err) < 0 ||
	    kp_kernel_fingerprint(p->root, &s->kernels, &err) < 0 ||
	    cli_plan_open(p, &job->ctx, &job->plan, &err) < 0) {
		job_failed(job, err.message);
		return CLI_EXIT_ERROR;
	}
	if (cli_protect_check(job->opts, job->plan, &err) != 0) {
		job_failed(job, err.message);
		return CLI_EXIT_USAGE;
	}
	if (kp_plan_n_purge(job->plan) == 0)
		return 0;
	if (configure_apt(job, &err) < 0) {
		job_failed(job, err.message);
		return CLI_EXIT_ERROR;
	}
	if ((r = check_system(job)) != 0)
		return r;
	if (kp_plan_prove(job->ctx, job->plan, &err) < 0) {
		job_failed(job, err.message);
		return CLI_EXIT_ERROR;
	}
	return 0;
}

/* AUTO=no: say what could go, purge nothing. */
static void
report_only(struct job *job)
{
	char sentence[2048], command[PATH_MAX + 1024];

	cli_plan_can_go(job->plan, NULL, sentence, sizeof(sentence));
	cli_plan_command(job->opts, false, command, sizeof(command));
	cli_info("%s; AUTO is not yes in %s, so nothing was purged: run %s to "
	         "purge them",
	         sentence, job->setup.config_path, command);
}

/* What --auto gives apt-get: non-interactive, waiting `wait` seconds more
 * for its lock, then the user's arguments. */
static int
forwarded(const struct job *job, long wait, struct cli_argv *fwd)
{
	static const char *const fixed[] = {
		"-y", "-q",
		"-o", "Dpkg::Use-Pty=0",
		"-o", "Dpkg::Options::=--force-confdef",
		"-o", "Dpkg::Options::=--force-confold",
	};
	char timeout[64];
	size_t i;
	int r = 0;

	snprintf(timeout, sizeof(timeout), "DPkg::Lock::Timeout=%ld",
	         wait > 0 ? wait : 0);
	for (i = 0; r == 0 && i < sizeof(fixed) / sizeof(fixed[0]); i++)
		r = cli_argv_push(fwd, fixed[i]);
	if (r == 0 && (r = cli_argv_push(fwd, "-o")) == 0)
		r = cli_argv_push(fwd, timeout);
	for (i = 0; r == 0 && i < job->opts->args.apt.n; i++)
		r = cli_argv_push(fwd, job->opts->args.apt.v[i]);
	return r;
}

/* apt-get, non-interactive, waiting `wait` seconds more for its lock. */
static int
purge_command(struct job *job, long wait, struct cli_argv *cmd)
{
	struct cli_argv fwd = { NULL, 0, 0 };
	int r = forwarded(job, wait, &fwd);

	if (r == 0)
		r = cli_apt_command(cmd, kp_ctx_root(job->ctx), &fwd,
		                    job->plan);
	cli_argv_free(&fwd);
	return r;
}

/*
 * Run argv with its stdout and stderr in out (a temporary file: no pipe
 * to fill while we wait). Returns cli_run()'s result.
 */
static int
run_captured(const char *const *argv, FILE *out, struct kp_error *err)
{
	int saved[2], fd, i, r;

	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < 2; i++) {
		fd = i + 1;
		saved[i] = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		dup2(fileno(out), fd);
	}
	r = cli_run(argv, err);
	for (i = 0; i < 2; i++) {
		fd = i + 1;
		if (saved[i] >= 0) {
			dup2(saved[i], fd);
			close(saved[i]);
		} else {
			close(fd);
		}
	}
	return r;
}

/*
 * apt-get's output, into the log: what it removed as information, its
 * errors and warnings as such, the rest for debugging. Returns true when
 * it could not get apt's lock (its English messages: cli_auto() runs it
 * with LC_ALL=C).
 */
static bool
log_apt_output(struct job *job, FILE *out)
{
	char line[2048];
	bool lock = false;
	enum kp_log_level level;

	rewind(out);
	while (fgets(line, sizeof(line), out) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, "Could not get lock") != NULL ||
		    strstr(line, "Unable to acquire the dpkg frontend lock") ||
		    strstr(line, "Unable to lock the administration directory"))
			lock = true;
		if (strncmp(line, "E: ", 3) == 0)
			level = KP_LOG_ERROR;
		else if (strncmp(line, "W: ", 3) == 0)
			level = KP_LOG_WARNING;
		else if (strncmp(line, "Removing ", 9) == 0 ||
		         strncmp(line, "Purging ", 8) == 0)
			level = KP_LOG_INFO;
		else
			level = KP_LOG_DEBUG;
		if (line[0] != '\0')
			cli_log(level, "apt-get: %s", line);
	}
	return lock;
}

/*
 * Purge with apt-get. Returns 0 (also when apt's lock stayed busy) or
 * CLI_EXIT_ERROR.
 */
static int
purge(struct job *job, long wait)
{
	struct kp_summary *s = &job->summary;
	struct cli_argv cmd = { NULL, 0, 0 };
	char what[1536], space[96];
	struct kp_error err;
	FILE *out = NULL;
	bool lock;
	int status;

	cli_plan_what(job->plan, what, sizeof(what));
	if (purge_command(job, wait, &cmd) < 0 || (out = tmpfile()) == NULL) {
		cli_argv_free(&cmd);
		job_failed(job, "out of memory or no temporary file");
		return CLI_EXIT_ERROR;
	}
	/* libdpkg's database goes before dpkg changes it. */
	kp_ctx_free(job->ctx);
	job->ctx = NULL;
	cli_info("purging %s", what);
	kp_error_clear(&err);
	status = run_captured((const char *const *)cmd.v, out, &err);
	cli_argv_free(&cmd);
	lock = status >= 0 && log_apt_output(job, out);
	fclose(out);
	if (status == 0) {
		cli_plan_space(s, space, sizeof(space));
		cli_info("purged %s: freed %s", what, space);
		s->last_run = KP_LAST_RUN_OK;
		s->last_run_purged = s->purgeable;
		s->last_run_freed_bytes = s->purgeable_bytes;
		s->last_run_freed_boot_bytes = s->purgeable_boot_bytes;
		return 0;
	}
	if (lock) {
		cli_warn("apt's lock stayed busy; giving up until the next "
		         "run");
		return 0;
	}
	if (status < 0)
		job_failed(job, err.message);
	else
		job_failed(job, "apt-get failed");
	return CLI_EXIT_ERROR;
}

/* After a purge: the state of what is left, with this run's figures. */
static void
publish_after_purge(struct job *job)
{
	struct kp_summary s = job->summary;
	struct kp_error err;

	kp_error_clear(&err);
	if (cli_state_compute(&job->setup.policy, &s, NULL, &err) < 0) {
		cli_warn("%s", err.message);
		return;
	}
	cli_state_publish(job->setup.policy.root, &s);
}

/* A run that purged nothing, without trouble. */
static void
ran_clean(struct kp_summary *s)
{
	s->last_run = KP_LAST_RUN_OK;
	s->last_run_purged = 0;
	s->last_run_freed_bytes = 0;
	s->last_run_freed_boot_bytes = 0;
}

static int
run_job(struct job *job, long wait)
{
	struct kp_summary *s = &job->summary;
	int r;

	/* The last run's figures stay until this run has its own. */
	kp_summary_init(s);
	kp_summary_load(job->setup.policy.root, s, NULL);
	r = make_plan(job);
	if (job->plan == NULL)
		return r;
	kp_summary_from_plan(s, job->plan);
	s->policy = cli_policy_hash(&job->setup.policy);
	if (r == 0 && kp_plan_n_purge(job->plan) > 0 &&
	    job->setup.cfg.auto_purge == KP_AUTO_YES) {
		r = purge(job, wait);
		publish_after_purge(job);
		return r;
	}
	if (r == 0 && kp_plan_n_purge(job->plan) > 0)
		report_only(job);
	if (r == 0)
		ran_clean(s);
	cli_state_publish(job->setup.policy.root, s);
	return r;
}

/**
 * --auto. Returns 0 when done, when there is nothing to do, when another
 * copy runs and when apt's lock stays busy; CLI_EXIT_ERROR when the
 * configuration is broken, the system needs repair or apt-get failed.
 */
int
cli_auto(struct cli_options *opts)
{
	struct kp_error err;
	struct job job;
	long wait;
	int lock, r;

	memset(&job, 0, sizeof(job));
	job.opts = opts;
	kp_config_init(&job.setup.cfg);
	/*
	 * Nobody answers questions. apt-get's messages in English: its
	 * output is read below for a busy lock, and a translation would
	 * turn a lock that stayed busy into a failed purge.
	 */
	setenv("DEBIAN_FRONTEND", "noninteractive", 1);
	setenv("APT_LISTCHANGES_FRONTEND", "none", 1);
	setenv("LC_ALL", "C", 1);
	if (geteuid() != 0) {
		cli_error("--auto purges kernels and needs root privileges");
		r = CLI_EXIT_ERROR;
		goto out;
	}
	if ((r = job_configure(&job)) != 0)
		goto out;
	kp_error_clear(&err);
	lock = open_own_lock(opts->root, &err);
	/* A lock another user could redirect is no lock: stop. */
	if (lock == -EPERM || lock == -ENOTDIR || lock == -ELOOP) {
		cli_error("cannot take the lock: %s; nothing was purged",
		          err.message);
		r = CLI_EXIT_ERROR;
		goto out;
	}
	if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) < 0 &&
	    errno == EWOULDBLOCK) {
		cli_info("another " CLI_NAME " --auto is running; leaving the "
		         "work to it");
		close(lock);
		goto out;
	}
	wait = wait_for_apt(opts->root, job.setup.cfg.timeout);
	if (wait < 0)
		cli_warn(
		        "apt or dpkg held their lock for %u seconds; giving up "
		        "until the next run",
		        job.setup.cfg.timeout);
	else
		r = run_job(&job, wait);
	if (lock >= 0)
		close(lock);
out:
	job_free(&job);
	return r;
}
