/*
 * purge-old-kernels - around an ordinary run: the configuration file's
 * KEEP and PROTECT apply to it and, as root, it brings the state file up
 * to date.
 */
#include <config.h>

#include <stdio.h>
#include <unistd.h>

#include "guard.h"
#include "output.h"
#include "unattended.h"

/**
 * After an ordinary run as root (a purge above all): the state file of
 * the configured policy (su's file), not of this run's --keep or
 * --protect. Cheap when nothing changed; silent.
 */
void
cli_state_refresh(const struct cli_setup *su)
{
	struct cli_policy p = su->policy;
	struct kp_summary s;
	struct kp_error err;
	bool was;

	if (geteuid() != 0)
		return;
	kp_error_clear(&err);
	p.keep = su->cfg.keep;
	p.protect = (const char *const *)su->cfg.protect;
	p.n_protect = su->cfg.n_protect;
	was = cli_log_silence(true);
	cli_state_get(&p, true, &s, NULL, &err);
	cli_log_silence(was);
}
