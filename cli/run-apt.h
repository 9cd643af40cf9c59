/*
 * purge-old-kernels - the apt-get command of a plan, the commands of
 * --fix, and running them.
 */
#ifndef CLI_RUN_APT_H
#define CLI_RUN_APT_H

#include <stdbool.h>
#include <stddef.h>

#include "argv.h"
#include "kpurge.h"

int cli_apt_root_options(struct cli_argv *cmd, const char *root);
int cli_apt_command(struct cli_argv *cmd, const char *root,
                    const struct cli_argv *forwarded,
                    const struct kp_plan *plan);
int cli_dpkg_purge_command(struct cli_argv *cmd, const char *root,
                           const struct kp_plan *plan);
int cli_dpkg_configure_command(struct cli_argv *cmd, const char *root);
int cli_apt_fix_command(struct cli_argv *cmd, const char *root,
                        const struct cli_argv *forwarded);
int cli_run(const char *const *argv, struct kp_error *err);

/* What a failed apt-get left of a purge (cli_purge_left()). */
struct cli_purge_left {
	bool known;      /* the database could be read again */
	bool changed;    /* a package of the purge went or changed state */
	bool lock_busy;  /* another process holds dpkg's lock */
	char list[2048]; /* the purge's packages still there, with states */
	bool full;       /* list is cut short, ending in "..." */
};

void cli_purge_left(const char *root, const struct kp_plan *plan,
                    struct cli_purge_left *left);
void cli_apt_failed_message(const struct cli_purge_left *left, int status,
                            char *buf, size_t size);

#endif /* CLI_RUN_APT_H */
