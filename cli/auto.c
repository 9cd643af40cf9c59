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
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "kpurge-trust.h"
#include "output.h"
#include "run-apt.h"
#include "unattended.h"

/* ------------------------------------------------------------- logging */

enum log_dest {
	LOG_TO_SYSLOG,  /* syslog(3); errors also on stderr (cron's mail) */
	LOG_TO_JOURNAL, /* stderr is the journal: "<N>message" lines */
	LOG_TO_STDERR,  /* PURGE_OLD_KERNELS_LOG=stderr */
	LOG_TO_FILE,    /* PURGE_OLD_KERNELS_LOG=/path: appended */
};

struct auto_log {
	enum log_dest dest;
	bool tty;   /* stderr is a terminal: a person watches */
	FILE *file;
};

static int
syslog_priority(enum kp_log_level level)
{
	switch (level) {
	case KP_LOG_ERROR:
		return LOG_ERR;
	case KP_LOG_WARNING:
		return LOG_WARNING;
	case KP_LOG_INFO:
		return LOG_INFO;
	default:
		return LOG_DEBUG;
	}
}

static const char *
level_name(enum kp_log_level level)
{
	return level == KP_LOG_ERROR ? "error: " :
	       level == KP_LOG_WARNING ? "warning: " : "";
}

static void
log_message(void *data, enum kp_log_level level, const char *text)
{
	struct auto_log *log = data;
	char message[8192];

	/* apt-get's lines and libdpkg's warnings quote the database. */
	cli_escape(text, message, sizeof(message));
	switch (log->dest) {
	case LOG_TO_JOURNAL:
		fprintf(stderr, "<%d>%s\n", syslog_priority(level), message);
		return;
	case LOG_TO_STDERR:
		if (level != KP_LOG_DEBUG)
			fprintf(stderr, CLI_NAME ": %s%s\n", level_name(level),
			        message);
		return;
	case LOG_TO_FILE:
		if (level == KP_LOG_DEBUG)
			return;
		fprintf(log->file, CLI_NAME "[%ld]: %s%s\n", (long)getpid(),
		        level_name(level), message);
		fflush(log->file);
		return;
	case LOG_TO_SYSLOG:
		syslog(syslog_priority(level), "%s", message);
		if (level == KP_LOG_ERROR || (log->tty && level != KP_LOG_DEBUG))
			fprintf(stderr, CLI_NAME ": %s%s\n", level_name(level),
			        message);
		return;
	}
}

/*
 * One number of JOURNAL_STREAM at *p, which stop must end; *p moves past
 * stop. Digits only, as systemd writes them ("%lu:%lu"): a sign, a blank
 * or junk means the variable is not systemd's, and then stderr is not
 * taken for the journal.
 */
static bool
journal_number(const char **p, char stop, unsigned long long *out)
{
	char *end;

	if (**p < '0' || **p > '9')
		return false;
	errno = 0;
	*out = strtoull(*p, &end, 10);
	if (errno != 0 || *end != stop)
		return false;
	*p = stop == '\0' ? end : end + 1;
	return true;
}

/* systemd says in JOURNAL_STREAM ("DEV:INODE") which stream is its journal. */
static bool
stderr_is_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (v == NULL || !journal_number(&v, ':', &dev) ||
	    !journal_number(&v, '\0', &ino) || fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

/*
 * Does anything listen on syslog's socket? glibc's syslog(3) drops a
 * message it cannot deliver without a word, and a container or a chroot
 * often has no /dev/log: the job's report would be lost.
 */
static bool
syslog_reachable(void)
{
	static const int types[] = { SOCK_DGRAM, SOCK_STREAM };
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t i;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", _PATH_LOG);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);
		int r;

		if (fd < 0)
			continue;
		r = connect(fd, (const struct sockaddr *)&addr, sizeof(addr));
		close(fd);
		if (r == 0)
			return true;
	}
	return false;
}

/*
 * Where the job's messages go: PURGE_OLD_KERNELS_LOG (stderr, syslog or
 * an absolute file name, for tests and debugging), else the journal when
 * stderr is it, else syslog when something listens there, else stderr
 * (cron mails it; nothing is lost).
 */
static void
log_open(struct auto_log *log)
{
	const char *v = getenv("PURGE_OLD_KERNELS_LOG");

	memset(log, 0, sizeof(*log));
	log->tty = isatty(STDERR_FILENO);
	if (v != NULL && strcmp(v, "stderr") == 0) {
		log->dest = LOG_TO_STDERR;
		return;
	}
	if (v != NULL && v[0] == '/') {
		log->file = fopen(v, "ae");
		if (log->file != NULL) {
			log->dest = LOG_TO_FILE;
			return;
		}
	}
	if ((v == NULL || strcmp(v, "syslog") != 0) && stderr_is_journal()) {
		log->dest = LOG_TO_JOURNAL;
		return;
	}
	if (!syslog_reachable()) {
		log->dest = LOG_TO_STDERR;
		return;
	}
	log->dest = LOG_TO_SYSLOG;
	openlog(CLI_NAME, LOG_PID, LOG_DAEMON);
}

static void
log_close(struct auto_log *log)
{
	if (log->file != NULL)
		fclose(log->file);
	if (log->dest == LOG_TO_SYSLOG)
		closelog();
}

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
	fd = openat(dirfd, CLI_NAME ".lock", O_RDWR | O_CREAT | O_NOFOLLOW |
	            O_CLOEXEC, 0600);
	if (fd < 0) {
		fd = -errno;
		if (err != NULL) {
			err->code = fd;
			snprintf(err->message, sizeof(err->message), "cannot open "
			         "%s/run/" CLI_NAME ".lock: %s", root ? root : "",
			         strerror(-fd));
		}
	}
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
	struct cli_setup setup; /* .cfg, .config_path, .policy */
	struct cli_log log;
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
	if (cli_policy_load(&job->setup, job->opts, 0, &job->log, &err) < 0) {
		cli_log_message(&job->log, KP_LOG_ERROR, "%s; nothing was purged",
		                err.message);
		return CLI_EXIT_ERROR;
	}
	return 0;
}

static void
job_failed(struct job *job, const char *what)
{
	cli_log_message(&job->log, KP_LOG_ERROR, "%s; nothing was purged", what);
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
		job_failed(job, "dpkg was interrupted; run 'dpkg --configure -a'");
		return CLI_EXIT_ERROR;
	}
	n = kp_ctx_problems(job->ctx, &problems, &err);
	if (n < 0)
		snprintf(msg, sizeof(msg), "%s", err.message);
	else if (n > 0)
		snprintf(msg, sizeof(msg), "the system needs repair first: %s%s",
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
		snprintf(err->message, sizeof(err->message), "out of memory");
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
	    cli_plan_open(p, &job->log, &job->ctx, &job->plan, &err) < 0) {
		job_failed(job, err.message);
		return CLI_EXIT_ERROR;
	}
	if (cli_protect_check(job->opts, job->plan, job->log.fn,
	                      job->log.data, err.message,
	                      sizeof(err.message)) != 0) {
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

/* "2 old kernel releases (a and b)", "1 old kernel release (a)". */
static void
describe_purge(const struct kp_plan *plan, char *buf, size_t size)
{
	struct kp_summary s;
	char names[1024];

	kp_summary_init(&s);
	kp_summary_from_plan(&s, plan);
	cli_release_list(plan, 5, names, sizeof(names));
	if (s.purgeable > 0)
		snprintf(buf, size, "%u old kernel release%s (%s)", s.purgeable,
		         s.purgeable == 1 ? "" : "s", names);
	else
		snprintf(buf, size, "%u package%s of no kept kernel",
		         s.purgeable_packages,
		         s.purgeable_packages == 1 ? "" : "s");
}

/* "113 MiB in /boot, 290 MiB in all" */
static void
describe_space(unsigned long long boot_bytes, unsigned long long bytes,
               char *buf, size_t size)
{
	char boot[32], all[32];

	cli_format_bytes(boot_bytes, boot, sizeof(boot));
	cli_format_bytes(bytes, all, sizeof(all));
	snprintf(buf, size, "%s in /boot, %s in all", boot, all);
}

/* AUTO=no: say what could go, purge nothing. */
static void
report_only(struct job *job)
{
	char what[1536], space[96], options[PATH_MAX + 1024];

	cli_plan_options(job->opts, options, sizeof(options));
	describe_purge(job->plan, what, sizeof(what));
	describe_space(job->summary.purgeable_boot_bytes,
	               job->summary.purgeable_bytes, space, sizeof(space));
	cli_log_message(&job->log, KP_LOG_INFO, "%s can be purged, freeing %s; "
	                "AUTO is not yes in %s, so nothing was purged: run '"
	                CLI_NAME "%s' as root to purge them", what, space,
	                job->setup.config_path, options);
}

/* What --auto gives apt-get: non-interactive, waiting `wait` seconds more
 * for its lock, then the user's arguments. */
static int
forwarded(const struct job *job, long wait, struct cli_argv *fwd)
{
	static const char *const fixed[] = {
		"-y", "-q", "-o", "Dpkg::Use-Pty=0",
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
		r = cli_apt_command(cmd, kp_ctx_root(job->ctx), &fwd, job->plan);
	cli_argv_free(&fwd);
	return r;
}

/*
 * Run argv with its stdout and stderr in out (a temporary file: no pipe
 * to fill while we wait). Returns cli_run()'s result.
 */
static int
run_captured(const char *const *argv, FILE *out, char *err, size_t size)
{
	int saved[2], fd, i, r;

	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < 2; i++) {
		fd = i + 1;
		saved[i] = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		dup2(fileno(out), fd);
	}
	r = cli_run(argv, err, size);
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
			cli_log_message(&job->log, level, "apt-get: %s", line);
	}
	return lock;
}

/* Purge with apt-get. Returns 0 (also when apt's lock stayed busy) or 1. */
static int
purge(struct job *job, long wait)
{
	struct kp_summary *s = &job->summary;
	struct cli_argv cmd = { NULL, 0, 0 };
	char what[1536], space[96], err[1024];
	FILE *out = NULL;
	bool lock;
	int status;

	describe_purge(job->plan, what, sizeof(what));
	if (purge_command(job, wait, &cmd) < 0 || (out = tmpfile()) == NULL) {
		cli_argv_free(&cmd);
		job_failed(job, "out of memory or no temporary file");
		return CLI_EXIT_ERROR;
	}
	/* libdpkg's database goes before dpkg changes it. */
	kp_ctx_free(job->ctx);
	job->ctx = NULL;
	cli_log_message(&job->log, KP_LOG_INFO, "purging %s", what);
	status = run_captured((const char *const *)cmd.v, out, err,
	                      sizeof(err));
	cli_argv_free(&cmd);
	lock = status >= 0 && log_apt_output(job, out);
	fclose(out);
	if (status == 0) {
		describe_space(s->purgeable_boot_bytes, s->purgeable_bytes,
		               space, sizeof(space));
		cli_log_message(&job->log, KP_LOG_INFO, "purged %s: freed %s",
		                what, space);
		s->last_run = KP_LAST_RUN_OK;
		s->last_run_purged = s->purgeable;
		s->last_run_freed_bytes = s->purgeable_bytes;
		s->last_run_freed_boot_bytes = s->purgeable_boot_bytes;
		return 0;
	}
	if (lock) {
		cli_log_message(&job->log, KP_LOG_WARNING, "apt's lock stayed "
		                "busy; giving up until the next run");
		return 0;
	}
	if (status < 0)
		job_failed(job, err);
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
	if (cli_state_compute(&job->setup.policy, &job->log, &s, NULL,
	                      &err) < 0) {
		cli_log_message(&job->log, KP_LOG_WARNING, "%s", err.message);
		return;
	}
	cli_state_publish(job->setup.policy.root, &s, &job->log);
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
	cli_state_publish(job->setup.policy.root, s, &job->log);
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
	struct auto_log log;
	struct kp_error err;
	struct job job;
	long wait;
	int lock, r;

	memset(&job, 0, sizeof(job));
	job.opts = opts;
	log_open(&log);
	job.log.fn = log_message;
	job.log.data = &log;
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
		cli_log_message(&job.log, KP_LOG_ERROR, "--auto purges kernels "
		                "and needs root privileges");
		r = CLI_EXIT_ERROR;
		goto out;
	}
	if ((r = job_configure(&job)) != 0)
		goto out;
	kp_error_clear(&err);
	lock = open_own_lock(opts->root, &err);
	/* A lock another user could redirect is no lock: stop. */
	if (lock == -EPERM || lock == -ENOTDIR || lock == -ELOOP) {
		cli_log_message(&job.log, KP_LOG_ERROR, "cannot take the lock: "
		                "%s; nothing was purged", err.message);
		r = CLI_EXIT_ERROR;
		goto out;
	}
	if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) < 0 &&
	    errno == EWOULDBLOCK) {
		cli_log_message(&job.log, KP_LOG_INFO, "another " CLI_NAME
		                " --auto is running; leaving the work to it");
		close(lock);
		goto out;
	}
	wait = wait_for_apt(opts->root, job.setup.cfg.timeout);
	if (wait < 0)
		cli_log_message(&job.log, KP_LOG_WARNING, "apt or dpkg held "
		                "their lock for %u seconds; giving up until the "
		                "next run", job.setup.cfg.timeout);
	else
		r = run_job(&job, wait);
	if (lock >= 0)
		close(lock);
out:
	job_free(&job);
	log_close(&log);
	return r;
}
