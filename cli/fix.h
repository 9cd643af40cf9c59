/*
 * purge-old-kernels - --fix: recover a system whose full /boot left a
 * kernel half-configured and apt-get refusing to act.
 */
#ifndef CLI_FIX_H
#define CLI_FIX_H

#include "apt-args.h"
#include "kpurge.h"
#include "options.h"

#define CLI_FIX_STEPS 3

/* The commands of --fix; a step with no command (v NULL) is skipped. */
struct cli_fix_plan {
	struct cli_argv step[CLI_FIX_STEPS];
};

int cli_fix_commands(struct cli_fix_plan *fp, const struct cli_options *opts,
                     const char *root, const struct kp_plan *plan);
void cli_fix_commands_free(struct cli_fix_plan *fp);
int cli_fix(const struct cli_options *opts, struct kp_ctx **ctx,
            const struct kp_plan *plan);

#endif /* CLI_FIX_H */
