/*
 * purge-old-kernels - the apt-get command of a plan, the commands of
 * --fix, and running them.
 *
 * apt-get and dpkg run from an argument vector with fork and execv: no shell ever
 * sees a package name or an argument.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "options.h"
#include "run-apt.h"

/* Push "-o Name=Value" for each item, "-c FILE" for each file. */
static int
push_items(struct cli_argv *cmd, const struct kp_apt_config *config)
{
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < config->n; i++) {
		const struct kp_apt_item *item = &config->items[i];
		char *arg = NULL;

		if (item->kind == KP_APT_ITEM_FILE) {
			if ((r = cli_argv_push(cmd, "-c")) == 0)
				r = cli_argv_push(cmd, item->name);
			continue;
		}
		if (asprintf(&arg, "%s=%s", item->name, item->value) < 0)
			return -ENOMEM;
		if ((r = cli_argv_push(cmd, "-o")) == 0)
			r = cli_argv_push(cmd, arg);
		free(arg);
	}
	return r;
}

/* Push the items one of libkpurge's tables adds (see kp_apt_config_*). */
static int
push_table(struct cli_argv *cmd,
           int (*table)(struct kp_apt_config *, const char *), const char *root)
{
	struct kp_apt_config config = { NULL, 0 };
	int r = table(&config, root);

	if (r == 0)
		r = push_items(cmd, &config);
	kp_apt_config_free(&config);
	return r;
}

static int
guard_table(struct kp_apt_config *config, const char *root)
{
	(void)root;
	return kp_apt_config_guard(config);
}

/**
 * Point apt-get, and the dpkg it runs, at the system installed at root:
 * push libkpurge's items for it (kp_apt_config_root(): -o Dir=ROOT
 * -o Dir::State::status=... -o DPkg::Options::=--root=ROOT ...) onto cmd,
 * the ones the proof applies. Returns 0 or -ENOMEM.
 */
int
cli_apt_root_options(struct cli_argv *cmd, const char *root)
{
	return push_table(cmd, kp_apt_config_root, root);
}

/*
 * KP_APT_GET [-o Dir=ROOT ...] [FORWARDED...] [GUARD...]: the root's
 * options first, so that the user's can override them; the guard
 * (kp_apt_config_guard(): no autoremove) after the user's, so that
 * nothing forwarded can make apt-get remove more than it is given. The
 * proof applies the same items in the same order
 * (kp_apt_config_for_purge()).
 */
static int
apt_get_command(struct cli_argv *cmd, const char *root,
                const struct cli_argv *forwarded)
{
	size_t i;
	int r = cli_argv_push(cmd, KP_APT_GET);

	if (r == 0 && root != NULL && root[0] != '\0')
		r = cli_apt_root_options(cmd, root);
	for (i = 0; r == 0 && i < forwarded->n; i++)
		r = cli_argv_push(cmd, forwarded->v[i]);
	return r == 0 ? push_table(cmd, guard_table, root) : r;
}

/**
 * Build the purge command of plan into cmd (empty before):
 * KP_APT_GET [-o Dir=ROOT ...] [FORWARDED...]
 * -o APT::Get::AutomaticRemove=false ... remove --purge PACKAGE... (see
 * apt_get_command()); root is absolute,
 * and NULL or "" for this system. Returns 0 or -ENOMEM.
 */
int
cli_apt_command(struct cli_argv *cmd, const char *root,
                const struct cli_argv *forwarded, const struct kp_plan *plan)
{
	size_t i;
	int r = apt_get_command(cmd, root, forwarded);

	if (r == 0 && (r = cli_argv_push(cmd, "remove")) == 0)
		r = cli_argv_push(cmd, "--purge");
	for (i = 0; r == 0 && i < kp_plan_n_purge(plan); i++)
		r = cli_argv_push(cmd, kp_plan_purge_name(plan, i));
	return r;
}

/*
 * dpkg [--root=ROOT --log=ROOT/var/log/dpkg.log]: dpkg under --root still
 * logs to this system's /var/log/dpkg.log; the root's own log is where
 * its history belongs.
 */
static int
dpkg_command(struct cli_argv *cmd, const char *root)
{
	char *opt = NULL;
	int r = cli_argv_push(cmd, KP_DPKG);

	if (r != 0 || root == NULL || root[0] == '\0')
		return r;
	if (asprintf(&opt, "--root=%s", root) < 0)
		return -ENOMEM;
	r = cli_argv_push(cmd, opt);
	free(opt);
	if (r != 0 || asprintf(&opt, "--log=%s/var/log/dpkg.log", root) < 0)
		return -ENOMEM;
	r = cli_argv_push(cmd, opt);
	free(opt);
	return r;
}

/**
 * --fix, step 1, into cmd (empty before): KP_DPKG [--root=ROOT ...]
 * --purge PACKAGE... for the plan's purge list. dpkg itself refuses to
 * break a dependency. Returns 0 or -ENOMEM.
 */
int
cli_dpkg_purge_command(struct cli_argv *cmd, const char *root,
                       const struct kp_plan *plan)
{
	size_t i;
	int r = dpkg_command(cmd, root);

	if (r == 0)
		r = cli_argv_push(cmd, "--purge");
	for (i = 0; r == 0 && i < kp_plan_n_purge(plan); i++)
		r = cli_argv_push(cmd, kp_plan_purge_name(plan, i));
	return r;
}

/** --fix, step 2: KP_DPKG [--root=ROOT ...] --configure -a. */
int
cli_dpkg_configure_command(struct cli_argv *cmd, const char *root)
{
	int r = dpkg_command(cmd, root);

	if (r == 0)
		r = cli_argv_push(cmd, "--configure");
	return r == 0 ? cli_argv_push(cmd, "-a") : r;
}

/**
 * --fix, step 3: KP_APT_GET [-o Dir=ROOT ...] [FORWARDED...] [GUARD...] -f
 * --no-remove install. --no-remove comes last so that nothing forwarded
 * can turn it off: if apt-get can only repair by removing packages, it
 * stops and removes nothing; the guard keeps autoremove, which
 * --no-remove would make apt-get refuse, off.
 */
int
cli_apt_fix_command(struct cli_argv *cmd, const char *root,
                    const struct cli_argv *forwarded)
{
	static const char *const tail[] = { "-f", "--no-remove", "install" };
	size_t i;
	int r = apt_get_command(cmd, root, forwarded);

	for (i = 0; r == 0 && i < sizeof(tail) / sizeof(tail[0]); i++)
		r = cli_argv_push(cmd, tail[i]);
	return r;
}

/* In the child: exec, or tell the parent why not through fd. */
__attribute__((noreturn)) static void
exec_child(const char *const *argv, int fd, const struct sigaction *old_int,
           const struct sigaction *old_quit)
{
	int e;

	sigaction(SIGINT, old_int, NULL);
	sigaction(SIGQUIT, old_quit, NULL);
	execv(argv[0], (char *const *)argv);
	e = errno;
	/* Nothing more to do if even this fails: the parent sees status 127. */
	(void)!write(fd, &e, sizeof(e));
	_exit(127);
}

/* The errno of a failed exec, or 0 once the exec closed the pipe. */
static int
exec_error(int fd)
{
	int e = 0;
	ssize_t n;

	do
		n = read(fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(e) ? e : 0;
}

static int
wait_for(pid_t pid, int *status)
{
	pid_t r;

	do
		r = waitpid(pid, status, 0);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

/* apt-get's status as ours: a shell's 128+N when signal N killed it. */
static int
exit_status_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return CLI_EXIT_ERROR;
}

/**
 * Run argv (argv[0] a path) and wait for it. Returns its exit status
 * (128+N when killed by signal N), or -1 with err filled when it could
 * not be run.
 */
int
cli_run(const char *const *argv, struct kp_error *err)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int fds[2], status = 0, e, r;
	pid_t pid;

	fflush(NULL);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		cli_put_error(err, -EIO, "cannot run %s: %s", argv[0],
		              strerror(errno));
		return -1;
	}
	/*
	 * Like system(): ^C at the terminal reaches apt-get, which decides
	 * what to do with it, and we stay to report how it ended.
	 */
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	pid = fork();
	if (pid == 0)
		exec_child(argv, fds[1], &old_int, &old_quit);
	e = errno;
	close(fds[1]);
	if (pid < 0) {
		cli_put_error(err, -EIO, "cannot run %s: %s", argv[0],
		              strerror(e));
		r = -1;
		goto out;
	}
	e = exec_error(fds[0]);
	r = wait_for(pid, &status);
	if (e != 0 || r < 0) {
		cli_put_error(err, -EIO, "cannot run %s: %s", argv[0],
		              strerror(e != 0 ? e : -r));
		r = -1;
		goto out;
	}
	r = exit_status_of(status);
out:
	close(fds[0]);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return r;
}

/* ------------------------------------------------ after apt-get failed */

/* The package called name in plan, or NULL. */
static const struct kp_package *
find_package(const struct kp_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; i < kp_plan_n_packages(plan); i++)
		if (strcmp(kp_plan_package(plan, i)->name, name) == 0)
			return kp_plan_package(plan, i);
	return NULL;
}

/* The kernel packages of the system at root now, as a plan holds them. */
static struct kp_plan *
plan_now(const char *root, const struct kp_plan *before)
{
	struct kp_plan_options opts = {
		.keep = KP_KEEP_DEFAULT,
		.running = kp_plan_running(before),
	};
	struct kp_plan *plan = NULL;
	struct kp_error err;
	struct kp_ctx *ctx;

	kp_error_clear(&err);
	ctx = kp_ctx_new(root, NULL, NULL, &err);
	if (ctx != NULL && kp_plan_new(ctx, &opts, &plan, &err) < 0)
		plan = NULL;
	kp_ctx_free(ctx);
	return plan;
}

/* Append ", NAME" or ", NAME (STATE)" to left's list; "..." when full. */
static void
note_left(struct cli_purge_left *left, const struct kp_package *p)
{
	size_t len = strlen(left->list);
	int n;

	if (left->full)
		return;
	if (p->state == KP_STATE_INSTALLED)
		n = snprintf(left->list + len, sizeof(left->list) - len, "%s%s",
		             len ? ", " : "", p->name);
	else
		n = snprintf(left->list + len, sizeof(left->list) - len,
		             "%s%s (%s)", len ? ", " : "", p->name,
		             kp_state_name(p->state));
	if (n < 0 || (size_t)n >= sizeof(left->list) - len) {
		/* Room for ", ..." is kept: the list is cut where it was. */
		size_t cut = len > sizeof(left->list) - 6 ?
		                     sizeof(left->list) - 6 :
		                     len;

		snprintf(left->list + cut, sizeof(left->list) - cut, "%s",
		         cut ? ", ..." : "...");
		left->full = true;
	}
}

/* Does another process hold the write lock of ROOT/var/lib/dpkg/name? */
static bool
lock_held(const char *root, const char *name)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char path[4200];
	int fd;
	bool held;

	snprintf(path, sizeof(path), "%s/var/lib/dpkg/%s",
	         root != NULL ? root : "", name);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
	close(fd);
	return held;
}

/**
 * After apt-get failed on the purge of plan (made before it ran): compare
 * the plan's packages with the database of the system at root now, and
 * see whether another process holds dpkg's lock. Fills *left.
 */
void
cli_purge_left(const char *root, const struct kp_plan *plan,
               struct cli_purge_left *left)
{
	struct kp_plan *now = plan_now(root, plan);
	size_t i;

	memset(left, 0, sizeof(*left));
	left->known = now != NULL;
	for (i = 0; now != NULL && i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);
		const struct kp_package *q;

		if (p->action != KP_PURGE)
			continue;
		q = find_package(now, p->name);
		left->changed = left->changed || q == NULL ||
		                q->state != p->state ||
		                strcmp(q->version, p->version) != 0;
		if (q != NULL)
			note_left(left, q);
	}
	kp_plan_free(now);
	left->lock_busy = lock_held(root, "lock-frontend") ||
	                  lock_held(root, "lock");
}

/**
 * What a failed apt-get (exit status) means for the purge, in one
 * sentence into buf: nothing was purged (and, for a busy lock, how to
 * wait for it), or what is left to purge.
 */
void
cli_apt_failed_message(const struct cli_purge_left *left, int status, char *buf,
                       size_t size)
{
	if (!left->known)
		snprintf(
		        buf, size,
		        "apt-get failed (status %d), the purge may "
		        "be incomplete; once the cause is dealt with, run " CLI_NAME
		        " again to finish it",
		        status);
	else if (!left->changed && left->lock_busy)
		snprintf(
		        buf, size,
		        "apt-get failed (status %d); nothing was "
		        "purged: another program holds the dpkg lock; wait for "
		        "it to finish and try again, or give apt-get "
		        "-o DPkg::Lock::Timeout=SECONDS to wait that long",
		        status);
	else if (!left->changed)
		snprintf(buf, size,
		         "apt-get failed (status %d); nothing was "
		         "purged",
		         status);
	else if (left->list[0] == '\0')
		snprintf(buf, size,
		         "apt-get failed (status %d), but every "
		         "package of the plan is purged",
		         status);
	else
		snprintf(
		        buf, size,
		        "apt-get failed (status %d) half-way; left "
		        "to purge: %s; once the cause is dealt with, run " CLI_NAME
		        " again to finish it",
		        status, left->list);
}
