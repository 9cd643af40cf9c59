/*
 * purge-old-kernels - which run this is: the apt hook, the periodic job,
 * a status, or an ordinary run, which the configuration file's KEEP and
 * PROTECT apply to and which, as root, brings the state file up to date.
 */
#include <config.h>

#include <stdio.h>
#include <unistd.h>

#include "guard.h"
#include "output.h"
#include "unattended.h"

/*
 * After an ordinary run as root (a purge above all): the state file of
 * the configured policy, not of this run's --keep or --protect. Cheap
 * when nothing changed; silent.
 */
static void
refresh_state(const struct cli_options *opts, const struct kp_config *cfg)
{
	struct cli_policy p;
	struct kp_summary s;
	struct kp_error err;
	char buf[256];

	if (geteuid() != 0)
		return;
	kp_error_clear(&err);
	if (cli_running_release(opts, buf, sizeof(buf), &p.running, &err) < 0)
		return;
	p.root = opts->root;
	p.keep = cfg->keep;
	p.protect = (const char *const *)cfg->protect;
	p.n_protect = cfg->n_protect;
	cli_state_get(&p, true, NULL, &s, NULL, &err);
}

/**
 * Run the mode opts asks for: --hook, --guard, --auto, --status, or
 * else run(opts) with the configuration file applied. Returns the exit
 * status.
 */
int
cli_dispatch(struct cli_options *opts,
             int (*run)(const struct cli_options *opts))
{
	struct cli_log log = { cli_log_to_stderr, NULL };
	struct kp_config cfg;
	struct kp_error err;
	int r;

	if (opts->hook)
		return cli_hook(opts);
	if (opts->guard)
		return cli_guard_run(opts);
	if (opts->auto_purge)
		return cli_auto(opts);
	if (opts->status != NULL)
		return cli_status(opts);
	kp_error_clear(&err);
	if (cli_config_load(opts->root, &cfg, &log, &err) < 0) {
		cli_error("%s", err.message);
		kp_config_free(&cfg);
		return CLI_EXIT_ERROR;
	}
	if (cli_config_apply(opts, &cfg) < 0) {
		cli_error("out of memory");
		r = CLI_EXIT_ERROR;
	} else {
		r = run(opts);
		refresh_state(opts, &cfg);
	}
	kp_config_free(&cfg);
	return r;
}
