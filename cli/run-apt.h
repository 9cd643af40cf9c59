/*
 * purge-old-kernels - the apt-get command of a plan, the commands of
 * --fix, and running them.
 */
#ifndef CLI_RUN_APT_H
#define CLI_RUN_APT_H

#include <stddef.h>

#include "apt-args.h"
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
int cli_run(const char *const *argv, char *err, size_t err_size);

#endif /* CLI_RUN_APT_H */
