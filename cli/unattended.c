/*
 * purge-old-kernels - around an ordinary run: the configuration file's
 * KEEP and PROTECT apply to it and, as root, it brings the state file up
 * to date.
 */
#include <config.h>

#include <stdio.h>
#include <unistd.h>

#include "output.h"
#include "unattended.h"

/**
 * After an ordinary run as root (a purge above all): the state file of
 * the configured policy cfg, not of this run's --keep or --protect.
 * Cheap when nothing changed; silent.
 */
void
cli_state_refresh(const struct cli_options *opts, const struct kp_config *cfg)
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
 * Before an ordinary run: read the configuration file into cfg (which
 * the caller frees with kp_config_free() whatever the result) and apply
 * it to opts. Returns 0, or CLI_EXIT_ERROR with the message said.
 */
int
cli_config_enter(struct cli_options *opts, struct kp_config *cfg)
{
	struct cli_log log = { cli_log_to_stderr, NULL };
	struct kp_error err;

	kp_error_clear(&err);
	if (cli_config_load(opts->root, cfg, &log, &err) < 0) {
		cli_error("%s", err.message);
		return CLI_EXIT_ERROR;
	}
	if (cli_config_apply(opts, cfg) < 0) {
		cli_error("out of memory");
		return CLI_EXIT_ERROR;
	}
	return 0;
}
