/*
 * purge-old-kernels - a growable argument vector (see argv.h).
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"

/** See argv.h. */
int
cli_argv_push(struct cli_argv *av, const char *arg)
{
	char *copy;

	if (av->n + 2 > av->cap) {
		size_t cap = av->cap ? av->cap * 2 : 8;
		char **v = realloc(av->v, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		av->v = v;
		av->cap = cap;
	}
	copy = strdup(arg);
	if (copy == NULL)
		return -ENOMEM;
	av->v[av->n++] = copy;
	av->v[av->n] = NULL;
	return 0;
}

/** See argv.h. */
void
cli_argv_free(struct cli_argv *av)
{
	size_t i;

	for (i = 0; i < av->n; i++)
		free(av->v[i]);
	free(av->v);
	av->v = NULL;
	av->n = av->cap = 0;
}
