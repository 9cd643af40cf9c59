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
};

/* Where messages go: a kp_log_fn and its data. */
struct cli_log {
	kp_log_fn fn;
	void *data;
};

/* state.c */
int cli_config_path(const char *root, char *buf, size_t size);
int cli_config_load(const char *root, struct kp_config *cfg,
                    const struct cli_log *log, struct kp_error *err);
int cli_config_apply(struct cli_options *opts, const struct kp_config *cfg);
int cli_running_release(const struct cli_options *opts, char *buf,
                        size_t size, const char **running,
                        struct kp_error *err);
void cli_policy_of(struct cli_policy *p, const struct cli_options *opts,
                   const char *running);
unsigned long long cli_policy_hash(const struct cli_policy *p);
unsigned long long cli_announce_key(const struct kp_summary *s,
                                    const struct kp_config *cfg);
int cli_plan_open(const struct cli_policy *p, const struct cli_log *log,
                  struct kp_ctx **ctx, struct kp_plan **plan,
                  struct kp_error *err);
int cli_state_get(const struct cli_policy *p, bool save,
                  const struct cli_log *log, struct kp_summary *s,
                  struct kp_plan **plan, struct kp_error *err);
int cli_state_compute(const struct cli_policy *p, const struct cli_log *log,
                      struct kp_summary *s, struct kp_plan **keep,
                      struct kp_error *err);
void cli_state_publish(const char *root, const struct kp_summary *s,
                       const struct cli_log *log);
void cli_log_message(const struct cli_log *log, enum kp_log_level level,
                     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cli_release_list(const struct kp_plan *plan, size_t max, char *buf,
                      size_t size);

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
int cli_dispatch(struct cli_options *opts,
                 int (*run)(const struct cli_options *opts));

#endif /* CLI_UNATTENDED_H */
