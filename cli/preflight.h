/*
 * purge-old-kernels - the pre-flight: what apt and dpkg find broken
 * before anything runs, and the one command that repairs it.
 */
#ifndef CLI_PREFLIGHT_H
#define CLI_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "argv.h"
#include "kpurge.h"
#include "options.h"

/* What to run before a purge can go on. */
enum cli_remedy {
	CLI_REMEDY_NONE,      /* nothing is broken */
	CLI_REMEDY_FIX,       /* purge-old-kernels --fix: /boot is full, or
	                       * dpkg left a package to purge half-done */
	CLI_REMEDY_CONFIGURE, /* dpkg --configure -a: dpkg left work undone */
	CLI_REMEDY_APT_FIX,   /* apt-get -f install: unmet dependencies */
};

/* What the pre-flight found, and how full /boot is. */
struct cli_system_facts {
	const struct kp_problem *problems; /* kp_ctx_problems() */
	size_t n_problems;
	bool interrupted;             /* dpkg's journal is not empty */
	bool kernel_unfinished;       /* a kernel package dpkg left half-done */
	const char *purge_unfinished; /* one of them the plan purges, or NULL */
	bool boot_full;               /* see cli_boot_full() */
};

/* /boot from this percentage on is full. */
#define CLI_BOOT_FULL_PERCENT 90u

bool cli_boot_full(const struct kp_boot_space *b,
                   unsigned long long largest_release);
void cli_system_facts(struct cli_system_facts *facts,
                      const struct kp_problem *problems, size_t n_problems,
                      const struct kp_ctx *ctx, const struct kp_plan *plan);
enum cli_remedy cli_remedy_for(const struct cli_system_facts *facts);
int cli_remedy_command(struct cli_argv *cmd, enum cli_remedy remedy,
                       const struct cli_options *opts, const char *root);

#endif /* CLI_PREFLIGHT_H */
