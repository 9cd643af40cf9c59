/*
 * purge-old-kernels - --guard: apt's DPkg::Pre-Install-Pkgs hook, which
 * stops apt before dpkg unpacks a kernel that /boot has no room for.
 */
#ifndef CLI_GUARD_H
#define CLI_GUARD_H

#include <stddef.h>
#include <stdio.h>

#include "options.h"

/* Exit status of --guard when it stops apt's run (the snippet's filter). */
#define CLI_GUARD_STOP 3

/* What apt is about to do to one package, one line of the protocol. */
enum cli_guard_op {
	CLI_GUARD_INSTALL,   /* unpack the .deb in deb */
	CLI_GUARD_CONFIGURE, /* **CONFIGURE** */
	CLI_GUARD_REMOVE,    /* **REMOVE** (remove or purge) */
	CLI_GUARD_OTHER,     /* **ERROR** or anything newer */
};

struct cli_guard_action {
	char *name;        /* the package, without architecture */
	char *old_version; /* "-" when none is installed */
	char *new_version; /* "-" for a removal */
	char *arch;        /* the new version's, else the old one's (v3) */
	enum cli_guard_op op;
	char *deb; /* CLI_GUARD_INSTALL: the .deb's path */
};

/* apt's message to a Pre-Install-Pkgs hook of version 2 or 3. */
struct cli_guard_input {
	unsigned version;
	char *status_file; /* Dir::State::status of apt's run, or NULL */
	struct cli_guard_action *actions; /* in apt's order */
	size_t n_actions;
};

/* guard-proto.c */
int cli_guard_parse(FILE *in, struct cli_guard_input *out, char *err,
                    size_t err_size);
void cli_guard_input_free(struct cli_guard_input *in);
int cli_guard_dequote(char *s);

/* guard.c */
int cli_guard_run(struct cli_options *opts);

#endif /* CLI_GUARD_H */
