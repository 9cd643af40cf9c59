/*
 * purge-old-kernels - split the command line between purge-old-kernels
 * and apt-get.
 *
 * popt treats an option it does not know as an error, so the command line
 * is split before popt sees it: our options (taken from the popt table
 * itself, so the two never disagree) go to popt, apt-get's options (from a
 * table of what apt-get accepts with its remove command) are kept, in
 * order and unchanged, to be put before "remove --purge PACKAGE...".
 */
#ifndef CLI_APT_ARGS_H
#define CLI_APT_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include <popt.h>

#include "argv.h"
#include "kpurge.h"

/* The command line, split. */
struct cli_split {
	/* argv[0], then our options as "--name" or "--name=value", for popt */
	struct cli_argv ours;
	/* apt-get's arguments, in order; the ones after "--" included */
	struct cli_argv apt;
	/* How many of the last apt arguments came after "--", unchecked. */
	size_t n_unchecked;
	/* The checked arguments make apt-get simulate (-s, --no-act ...). */
	bool apt_simulate;
	/* They set apt-get's quiet level (-qq, -q=2, --silent ...). */
	bool apt_quiet;
};

int cli_split_args(int argc, const char *const *argv,
                   const struct poptOption *ours, struct cli_split *out,
                   struct kp_error *err);
void cli_split_free(struct cli_split *split);

int cli_apt_translate(const struct cli_argv *args, struct kp_apt_config *out);

/* apt's reading of a yes/no word: 1, 0, or -1 when it is none. */
int cli_apt_bool_word(const char *word);

#endif /* CLI_APT_ARGS_H */
