/*
 * purge-old-kernels - a growable, NULL-terminated argument vector, as git's
 * strvec.h: what is handed to execv() for apt-get and dpkg.
 */
#ifndef CLI_ARGV_H
#define CLI_ARGV_H

#include <stddef.h>

/* { NULL, 0, 0 } is empty; v is NULL-terminated once anything is pushed. */
struct cli_argv {
	char **v;   /* the arguments, owned, then NULL */
	size_t n;   /* how many */
	size_t cap; /* room in v */
};

/* Append a copy of arg. Returns 0 or -ENOMEM (av unchanged). */
int cli_argv_push(struct cli_argv *av, const char *arg);
/* Free the strings and the vector; av is empty again. */
void cli_argv_free(struct cli_argv *av);

#endif /* CLI_ARGV_H */
