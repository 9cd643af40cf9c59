/*
 * purge-old-kernels - the environment apt-get and dpkg inherit: checked,
 * cleaned or refused once, before anything reads a database or runs.
 */
#ifndef CLI_ENVIRON_H
#define CLI_ENVIRON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "kpurge.h"

/* The PATH a root shell has: appended to whatever PATH keeps. */
#define CLI_ROOT_PATH                                                          \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

char *cli_environ_clean_path(const char *path, uid_t uid);
int cli_environ_prepare(const char *root, struct kp_error *err);

#endif /* CLI_ENVIRON_H */
