/*
 * purge-old-kernels - the policy: the configuration file applied to the
 * options, the running release, and the policy they make (what --keep,
 * --protect, --running and the rest come to), with its hash and the plan
 * it makes. Every run that plans sets out from here.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "unattended.h"

/** ROOT/etc/purge-old-kernels.conf (SYSCONFDIR, as configured). */
int
cli_config_path(const char *root, char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "%s%s/%s", root ? root : "", SYSCONFDIR,
	                     KP_CONFIG_NAME) >= size)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * A build configured with another sysconfdir (make install's default
 * /usr/local/etc) does not read /etc/purge-old-kernels.conf: say so when
 * that file exists, since an admin who edited it expects it to count.
 */
static void
warn_unread_etc_config(const char *root, const char *path)
{
	char etc[4096];

	if (strcmp(SYSCONFDIR, "/etc") == 0)
		return;
	if ((size_t)snprintf(etc, sizeof(etc), "%s/etc/%s", root ? root : "",
	                     KP_CONFIG_NAME) >= sizeof(etc) ||
	    access(etc, F_OK) != 0)
		return;
	cli_warn("%s is not read: this build reads %s (configure "
	         "--sysconfdir=/etc to read /etc's)",
	         etc, path);
}

/**
 * Read the configuration file of the system at root into cfg, which the
 * caller frees with kp_config_free() whatever the result. Unknown keys
 * are warnings. Returns 0 or a negative code with err filled.
 */
int
cli_config_load(const char *root, struct kp_config *cfg, struct kp_error *err)
{
	char path[4096];

	kp_config_init(cfg);
	if (cli_config_path(root, path, sizeof(path)) < 0)
		return cli_put_error(err, -ENAMETOOLONG,
		                     "the root directory's "
		                     "name is too long");
	warn_unread_etc_config(root, path);
	return kp_config_read(path, cfg, cli_log_kp, NULL, err);
}

/**
 * The command line wins over the file: KEEP applies unless --keep was
 * given; PROTECT adds to --protect. Returns 0 or -ENOMEM.
 */
int
cli_config_apply(struct cli_options *opts, const struct kp_config *cfg)
{
	size_t i;
	char *copy;

	if (!opts->keep_set)
		opts->keep = cfg->keep;
	opts->only_auto_installed = opts->only_auto_installed ||
	                            cfg->only_auto_installed;
	for (i = 0; i < cfg->n_protect; i++) {
		copy = strdup(cfg->protect[i]);
		if (copy == NULL ||
		    cli_options_add_protect(opts, copy, cfg->protect_where[i]) <
		            0) {
			free(copy);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * The running kernel: --running, none, or uname -r; under --root none
 * unless --running names one. *running points into buf or opts.
 */
int
cli_running_release(const struct cli_options *opts, char *buf, size_t size,
                    const char **running, struct kp_error *err)
{
	*running = NULL;
	if (opts->running_none)
		return 0;
	if (opts->running != NULL) {
		*running = opts->running;
		return 0;
	}
	/* The host's kernel says nothing about a system under --root=DIR. */
	if (opts->root != NULL && strcmp(opts->root, "/") != 0)
		return 0;
	if (kp_running_release(buf, size, err) < 0)
		return err->code;
	*running = buf;
	return 0;
}

/**
 * The prologue of every run that plans: read the configuration file of
 * opts->root into su (its warnings logged), apply it to opts, find the
 * running release and make the policy. su is the caller's to free with
 * cli_setup_free() whatever the result. Returns 0 or a negative code with
 * err filled; su->config_read says whether the file was what failed.
 */
int
cli_policy_load(struct cli_setup *su, struct cli_options *opts, unsigned flags,
                struct kp_error *err)
{
	const char *running;
	int r;

	memset(su, 0, sizeof(*su));
	cli_config_path(opts->root, su->config_path, sizeof(su->config_path));
	r = cli_config_load(opts->root, &su->cfg, err);
	su->config_read = r == 0;
	if (r < 0 && !(flags & CLI_POLICY_CONFIG_OPTIONAL))
		return r;
	if (r < 0) {
		kp_config_free(&su->cfg);
		kp_error_clear(err);
	}
	if (cli_config_apply(opts, &su->cfg) < 0)
		return cli_put_error(err, -ENOMEM, "out of memory");
	r = cli_running_release(opts, su->running, sizeof(su->running),
	                        &running, err);
	if (r < 0)
		return r;
	cli_policy_of(&su->policy, opts, running);
	return 0;
}

void
cli_setup_free(struct cli_setup *su)
{
	kp_config_free(&su->cfg);
}

void
cli_policy_of(struct cli_policy *p, const struct cli_options *opts,
              const char *running)
{
	p->root = opts->root;
	p->running = running;
	p->keep = opts->keep;
	p->only_auto_installed = opts->only_auto_installed;
	p->protect = (const char *const *)opts->protect;
	p->n_protect = opts->n_protect;
}

/** A hash of what the plan depends on besides the dpkg database. */
unsigned long long
cli_policy_hash(const struct cli_policy *p)
{
	unsigned long long h = KP_HASH_INIT;
	char keep[32];
	size_t i;

	snprintf(keep, sizeof(keep), "keep=%u\n", p->keep);
	h = kp_hash(h, keep, strlen(keep));
	if (p->running != NULL)
		h = kp_hash(h, p->running, strlen(p->running) + 1);
	for (i = 0; i < p->n_protect; i++)
		h = kp_hash(h, p->protect[i], strlen(p->protect[i]) + 1);
	if (p->only_auto_installed)
		h = kp_hash(h, "only-auto-installed", 20);
	return h;
}

/**
 * Open the dpkg database of p->root and make the plan of p. Returns 0
 * with *ctx and *plan for the caller to free, or a negative code with err
 * filled (and both NULL).
 */
int
cli_plan_open(const struct cli_policy *p, struct kp_ctx **ctx,
              struct kp_plan **plan, struct kp_error *err)
{
	struct kp_plan_options po = {
		.keep = p->keep,
		.running = p->running,
		.protect = p->protect,
		.n_protect = p->n_protect,
		.only_auto_installed = p->only_auto_installed,
	};
	int r;

	*plan = NULL;
	*ctx = kp_ctx_new(p->root, cli_log_kp, NULL, err);
	if (*ctx == NULL)
		return err->code < 0 ? err->code : -EIO;
	r = kp_plan_new(*ctx, &po, plan, err);
	if (r < 0) {
		kp_ctx_free(*ctx);
		*ctx = NULL;
		return r;
	}
	/* Files no package owns are news too; not finding them is not. */
	kp_plan_find_orphans(*ctx, *plan, p->protect, p->n_protect, NULL);
	return 0;
}
