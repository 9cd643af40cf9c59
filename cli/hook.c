/*
 * purge-old-kernels - --hook: apt's DPkg::Post-Invoke hook.
 *
 * It runs inside every apt run that ran dpkg, while apt holds its lock:
 * it must never run apt, never wait for a lock, never read stdin, and
 * never fail the user's apt run. It returns at once unless what the plan
 * reads changed (the state file's stamp, then its fingerprint, says so)
 * or the state file holds news it has not told (another run refreshed
 * it); then it makes the plan with libdpkg, updates the state file and,
 * when kernels can go, prints one line. With AUTO=yes it starts the purge
 * outside apt: a systemd unit, or a detached --auto that waits for apt's
 * lock itself.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "orphans.h"
#include "output.h"
#include "run-apt.h"
#include "unattended.h"

#define SERVICE CLI_NAME ".service"

/* apt's stdin is the user's terminal: leave it alone. */
static void
ignore_stdin(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && fd != STDIN_FILENO) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
}

/* systemctl, where systemd runs this system. */
static const char *
systemctl(const struct cli_options *opts)
{
	static const char *const paths[] = { "/bin/systemctl",
		                             "/usr/bin/systemctl" };
	size_t i;

	if (opts->root != NULL || access("/run/systemd/system", F_OK) < 0)
		return NULL;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/* The arguments of the detached --auto: this run's own, not the file's. */
static int
auto_argv(const struct cli_options *opts, size_t n_protect, const char *running,
          struct cli_argv *av)
{
	char self[PATH_MAX], root[PATH_MAX], arg[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int r;
	size_t i;

	if (n <= 0)
		return -errno;
	self[n] = '\0';
	if ((r = cli_argv_push(av, self)) < 0 ||
	    (r = cli_argv_push(av, "--auto")) < 0)
		return r;
	if (opts->root != NULL) {
		if (realpath(opts->root, root) == NULL)
			return -errno;
		snprintf(arg, sizeof(arg), "--root=%s", root);
		if ((r = cli_argv_push(av, arg)) < 0)
			return r;
	}
	if (opts->running != NULL || opts->running_none) {
		snprintf(arg, sizeof(arg), "--running=%s",
		         running ? running : "none");
		if ((r = cli_argv_push(av, arg)) < 0)
			return r;
	}
	if (opts->keep_set) {
		snprintf(arg, sizeof(arg), "--keep=%u", opts->keep);
		if ((r = cli_argv_push(av, arg)) < 0)
			return r;
	}
	for (i = 0; i < n_protect; i++) {
		snprintf(arg, sizeof(arg), "--protect=%s", opts->protect[i]);
		if ((r = cli_argv_push(av, arg)) < 0)
			return r;
	}
	return 0;
}

/* In the grandchild: no terminal, no apt, no cwd to keep busy. */
__attribute__((noreturn)) static void
exec_detached(char *const *argv)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (chdir("/") < 0)
		_exit(127);
	umask(022);
	/* DPKG_FRONTEND_LOCKED, which apt set, went at start: cli/environ.c */
	execv(argv[0], argv);
	_exit(127);
}

/*
 * Start av (--auto) detached from apt: fork, setsid, fork again, so that
 * it is no child of apt's and outlives it. Returns 0 or a negative code:
 * -EINVAL for an empty av rather than an exec of NULL (auto_argv()
 * returns -errno, 0 should a call fail without setting errno).
 */
static int
spawn_auto(const struct cli_argv *av)
{
	pid_t pid, child;
	int status;

	if (av->n == 0)
		return -EINVAL;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		setsid();
		child = fork();
		if (child == 0)
			exec_detached(av->v);
		_exit(child < 0 ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

/* AUTO=yes: the purge runs after apt, outside it. True if started. */
static bool
start_purge(const struct cli_options *opts, size_t n_protect,
            const char *running, const char **how)
{
	struct cli_argv av = { NULL, 0, 0 };
	const char *ctl = systemctl(opts);
	int r;

	if (ctl != NULL) {
		/* SERVICE is one literal, CLI_NAME ".service", on purpose */
		/* NOLINTNEXTLINE(bugprone-suspicious-missing-comma) */
		const char *argv[] = { ctl, "start", "--no-block", SERVICE,
			               NULL };

		*how = "see 'journalctl -u " SERVICE "'";
		return cli_run(argv, NULL) == 0;
	}
	*how = "see the system log";
	r = auto_argv(opts, n_protect, running, &av);
	if (r == 0)
		r = spawn_auto(&av);
	cli_argv_free(&av);
	return r == 0;
}

static void
notice(const struct cli_options *opts, const struct kp_config *cfg,
       const struct kp_plan *plan, size_t n_protect, const char *running)
{
	char what[1536], sentence[2048], next[64 + 2 * KP_NAME_MAX];
	char command[PATH_MAX + 1024], space[96], orphans[128];
	struct kp_summary s;
	const char *how;

	cli_plan_next_boot(plan, next, sizeof(next));
	if (cfg->auto_purge == KP_AUTO_YES && cli_auto_running(opts->root))
		return;
	if (cfg->auto_purge == KP_AUTO_YES &&
	    start_purge(opts, n_protect, running, &how)) {
		kp_summary_init(&s);
		kp_summary_from_plan(&s, plan);
		cli_plan_what(plan, what, sizeof(what));
		cli_plan_space(&s, space, sizeof(space));
		cli_info("purging %s once apt is done, freeing %s%s; %s", what,
		         space, next, how);
		return;
	}
	/* Files no package owns go only with --orphans, never by AUTO. */
	cli_orphans_sentence(plan, orphans, sizeof(orphans));
	cli_plan_can_go(plan, orphans, sentence, sizeof(sentence));
	cli_plan_command(opts, orphans[0] != '\0', command, sizeof(command));
	cli_info("%s%s; run %s", sentence, next, command);
}

/*
 * Is s (current) news the hook has not told yet? Then *plan is the plan
 * to tell of (made now when the state file answered and something can
 * go; NULL when nothing can), and the state file remembers it was told;
 * else *plan is freed and NULL. A state file that cannot be written
 * means nothing is told. Returns 0 or a negative code with err filled.
 */
static int
announce(const struct cli_policy *p, const struct kp_config *cfg,
         struct kp_summary *s, struct kp_plan **plan, struct kp_error *err)
{
	int r;

	if (s->announced == cli_announce_key(s, cfg)) {
		kp_plan_free(*plan);
		*plan = NULL;
		return 0;
	}
	if (*plan == NULL && s->purgeable_packages > 0 &&
	    (r = cli_state_compute(p, s, plan, err)) < 0)
		return r;
	s->announced = cli_announce_key(s, cfg);
	if (kp_summary_save(p->root, s, NULL) < 0) {
		kp_plan_free(*plan);
		*plan = NULL;
	}
	return 0;
}

/**
 * --hook. Always returns 0: a hook that fails fails the user's apt run.
 */
int
cli_hook(struct cli_options *opts)
{
	struct kp_plan *plan = NULL;
	struct cli_setup su;
	struct kp_summary s;
	struct kp_error err;
	size_t n_protect = opts->n_protect;
	unsigned long long stamp;

	ignore_stdin();
	kp_error_clear(&err);
	if (cli_policy_load(&su, opts, 0, &err) < 0) {
		if (su.config_read)
			goto fail;
		cli_warn("%s; the apt hook does nothing until it is fixed",
		         err.message);
		goto out;
	}
	/*
	 * The state file is the hook's memory of what it said: without it
	 * (a read-only /run, not root) it would plan and speak after every
	 * apt run, so it does neither. No dpkg database: nothing is made.
	 */
	if (kp_db_stamp(opts->root, &stamp, &err) < 0)
		goto fail;
	if (kp_summary_can_save(opts->root, NULL) < 0)
		goto out;
	if (cli_state_get(&su.policy, true, &s, &plan, &err) < 0 ||
	    announce(&su.policy, &su.cfg, &s, &plan, &err) < 0)
		goto fail;
	/* A re-made plan says which protected values name nothing. */
	if (plan != NULL && cli_protect_check(opts, plan, &err) != 0)
		cli_warn("%s", err.message);
	if (plan != NULL && kp_plan_n_purge(plan) > 0)
		notice(opts, &su.cfg, plan, n_protect, su.policy.running);
	goto out;
fail:
	cli_warn("%s", err.message);
out:
	kp_plan_free(plan);
	cli_setup_free(&su);
	return 0;
}
