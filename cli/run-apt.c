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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run-apt.h"

/**
 * Point apt-get, and the dpkg it runs, at the system installed at root:
 * push -o Dir=ROOT -o Dir::State::status=... -o DPkg::Options::=--root=ROOT
 * -o DPkg::Options::=--log=ROOT/var/log/dpkg.log onto cmd (dpkg 1.21 logs
 * to the host's log even under --root). Returns 0 or -ENOMEM.
 */
int
cli_apt_root_options(struct cli_argv *cmd, const char *root)
{
	char *opts[4] = { NULL, NULL, NULL, NULL };
	int r = -ENOMEM;
	size_t i;

	if (asprintf(&opts[0], "Dir=%s", root) < 0 ||
	    asprintf(&opts[1], "Dir::State::status=%s/var/lib/dpkg/status",
	             root) < 0 ||
	    asprintf(&opts[2], "DPkg::Options::=--root=%s", root) < 0 ||
	    asprintf(&opts[3], "DPkg::Options::=--log=%s/var/log/dpkg.log",
	             root) < 0)
		goto out;
	for (i = 0, r = 0; r == 0 && i < 4; i++)
		if ((r = cli_argv_push(cmd, "-o")) == 0)
			r = cli_argv_push(cmd, opts[i]);
out:
	for (i = 0; i < 4; i++)
		free(opts[i]);
	return r;
}

/**
 * Build the purge command of plan into cmd (empty before):
 * KP_APT_GET [-o Dir=ROOT ...] [FORWARDED...] remove --purge PACKAGE...
 * The root options come first so that the user's can override them; root
 * is absolute, and NULL or "" for this system. Returns 0 or -ENOMEM.
 */
int
cli_apt_command(struct cli_argv *cmd, const char *root,
                const struct cli_argv *forwarded, const struct kp_plan *plan)
{
	size_t i;
	int r = cli_argv_push(cmd, KP_APT_GET);

	if (r == 0 && root != NULL && root[0] != '\0')
		r = cli_apt_root_options(cmd, root);
	for (i = 0; r == 0 && i < forwarded->n; i++)
		r = cli_argv_push(cmd, forwarded->v[i]);
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
 * --fix, step 3: KP_APT_GET [-o Dir=ROOT ...] [FORWARDED...] -f
 * --no-remove install. --no-remove comes last so that nothing forwarded
 * can turn it off: if apt-get can only repair by removing packages, it
 * stops and removes nothing.
 */
int
cli_apt_fix_command(struct cli_argv *cmd, const char *root,
                    const struct cli_argv *forwarded)
{
	static const char *const tail[] = { "-f", "--no-remove", "install" };
	size_t i;
	int r = cli_argv_push(cmd, KP_APT_GET);

	if (r == 0 && root != NULL && root[0] != '\0')
		r = cli_apt_root_options(cmd, root);
	for (i = 0; r == 0 && i < forwarded->n; i++)
		r = cli_argv_push(cmd, forwarded->v[i]);
	for (i = 0; r == 0 && i < sizeof(tail) / sizeof(tail[0]); i++)
		r = cli_argv_push(cmd, tail[i]);
	return r;
}

/* In the child: exec, or tell the parent why not through fd. */
__attribute__((noreturn))
static void
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
	return 1;
}

/**
 * Run argv (argv[0] a path) and wait for it. Returns its exit status
 * (128+N when killed by signal N), or -1 with a sentence in err when it
 * could not be run.
 */
int
cli_run(const char *const *argv, char *err, size_t err_size)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int fds[2], status = 0, e, r;
	pid_t pid;

	fflush(NULL);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, err_size, "cannot run %s: %s", argv[0],
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
		snprintf(err, err_size, "cannot run %s: %s", argv[0],
		         strerror(e));
		r = -1;
		goto out;
	}
	e = exec_error(fds[0]);
	r = wait_for(pid, &status);
	if (e != 0 || r < 0) {
		snprintf(err, err_size, "cannot run %s: %s", argv[0],
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
