/*
 * purge-old-kernels - unattended use: the configuration file, the state
 * file the cheap readers use, the apt hook (--hook), the periodic job
 * (--auto) and the status line and metrics (--status).
 */
#ifndef CLI_UNATTENDED_H
#define CLI_UNATTENDED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kpurge-app.h"
#include "format.h" /* cli_release_list() moved there */
#include "kpurge.h"
#include "options.h"

/*
 * How the plan is made: what the state file's "policy" hash covers, so
 * that a plan made another way is never taken for the current one.
 */
struct cli_policy {
	const char *root;    /* --root, NULL: this system */
	const char *running; /* NULL: no kernel runs */
	unsigned keep;
	const char *const *protect;
	size_t n_protect;
	bool only_auto_installed;
};

/*
 * Where every run that plans sets out from: the configuration file
 * applied to the options, the running release, the policy they make.
 */
struct cli_setup {
	struct kp_config cfg;
	char config_path[4096];
	bool config_read;  /* false: reading the file is what failed */
	char running[256]; /* uname -r, when it is the running release */
	struct cli_policy policy;
};

/* cli_policy_load()'s flags. */
enum {
	/* A configuration file that cannot be read leaves the defaults. */
	CLI_POLICY_CONFIG_OPTIONAL = 1u << 0,
};

/* policy.c */
int cli_policy_load(struct cli_setup *su, struct cli_options *opts,
                    unsigned flags, struct kp_error *err);
void cli_setup_free(struct cli_setup *su);
int cli_config_path(const char *root, char *buf, size_t size);
int cli_config_load(const char *root, struct kp_config *cfg,
                    struct kp_error *err);
int cli_config_apply(struct cli_options *opts, const struct kp_config *cfg);
int cli_running_release(const struct cli_options *opts, char *buf, size_t size,
                        const char **running, struct kp_error *err);
void cli_policy_of(struct cli_policy *p, const struct cli_options *opts,
                   const char *running);
unsigned long long cli_policy_hash(const struct cli_policy *p);
int cli_plan_open(const struct cli_policy *p, struct kp_ctx **ctx,
                  struct kp_plan **plan, struct kp_error *err);

/* state.c */
unsigned long long cli_announce_key(const struct kp_summary *s,
                                    const struct kp_config *cfg);
int cli_state_get(const struct cli_policy *p, bool save, struct kp_summary *s,
                  struct kp_plan **plan, struct kp_error *err);
int cli_state_compute(const struct cli_policy *p, struct kp_summary *s,
                      struct kp_plan **keep, struct kp_error *err);
void cli_state_publish(const char *root, const struct kp_summary *s);

/* status.c */
struct cli_byobu_style {
	bool utf8;  /* the icon may be a UTF-8 character */
	bool color; /* tmux #[...] markup */
};
int cli_status_byobu_format(const struct kp_summary *s, unsigned boot_warn,
                            const struct cli_byobu_style *style, char *buf,
                            size_t size);
int cli_status(struct cli_options *opts);

/* hook.c */
int cli_hook(struct cli_options *opts);

/* auto.c */
bool cli_auto_running(const char *root);
int cli_auto(struct cli_options *opts);

/* unattended.c */
void cli_state_refresh(const struct cli_setup *su);

#endif /* CLI_UNATTENDED_H */
