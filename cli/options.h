/*
 * purge-old-kernels - the command line: our options, parsed with popt, and
 * apt-get's arguments, passed on.
 */
#ifndef CLI_OPTIONS_H
#define CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "apt-args.h"
#include "kpurge.h"
#include "mode.h"

#define CLI_NAME "purge-old-kernels"

/* Exit statuses of our own; anything else is apt-get's. */
enum cli_exit {
	CLI_EXIT_OK = 0,    /* done, or nothing to purge */
	CLI_EXIT_ERROR = 1, /* database, root directory, privileges, plan */
	CLI_EXIT_USAGE = 2, /* bad command line */
};

struct cli_options {
	enum cli_mode mode; /* set once, by cli_options_parse() */
	unsigned keep;
	bool dry_run;
	bool list;
	bool json;
	bool quiet;
	bool fix;     /* --fix: recover a full /boot with dpkg */
	bool orphans; /* --orphans: remove orphans after the purge */
	bool help;
	bool usage;
	bool version;
	bool keep_set;            /* --keep was given: it wins over KEEP */
	bool only_auto_installed; /* --only-auto-installed or ONLY_AUTO_INSTALLED */
	char *status;         /* --status=byobu|prometheus; NULL: not given */
	char *root;           /* --root, as given; NULL: this system (/ however
	                      spelt) */
	char *running;        /* --running; NULL: not given */
	bool running_none;    /* --running=none */
	char **protect;       /* --protect, in order, then PROTECT */
	char **protect_where; /* NULL: --protect; else "FILE:LINE" */
	size_t n_protect;
	struct cli_split args; /* args.apt: what goes to apt-get */
};

int cli_options_parse(struct cli_options *opts, int argc,
                      const char *const *argv, struct kp_error *err);
void cli_options_free(struct cli_options *opts);
int cli_options_add_protect(struct cli_options *opts, char *release,
                            const char *where);
int cli_protect_check(const struct cli_options *opts,
                      const struct kp_plan *plan, struct kp_error *err);

/* The mode changes the system (a purge, --fix or --auto, not --dry-run). */
bool cli_options_purging(const struct cli_options *opts);
/* --fix without --dry-run: dpkg and apt-get repair the system. */
bool cli_options_fixing(const struct cli_options *opts);

void cli_print_help(FILE *out);
void cli_print_usage(FILE *out);
void cli_print_version(FILE *out);

#endif /* CLI_OPTIONS_H */
