/*
 * purge-old-kernels - what apt tells a DPkg::Pre-Install-Pkgs hook, read.
 *
 * With DPkg::Tools::Options::HOOK::Version "2" or "3", apt writes to the
 * hook's stdin (apt-pkg/deb/dpkgpm.cc, SendPkgsInfo()): "VERSION N", its
 * configuration as Name=Value lines (QuoteString(): bytes such as '%',
 * '=', blanks and newlines as %xx), an empty line, then one line per
 * action in the order dpkg will run them:
 *
 *   v2: PKG OLD CMP NEW ACTION
 *   v3: PKG OLD OLD-ARCH OLD-MA CMP NEW NEW-ARCH NEW-MA ACTION
 *
 * where OLD and NEW are "-" (with "- none" for the v3 architecture and
 * multi-arch fields) when there is none, CMP is <, > or =, and ACTION is
 * the .deb's absolute path, **CONFIGURE**, **REMOVE** or **ERROR**. A
 * path may hold blanks: it is the rest of the line.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"

#define STATUS_KEY "Dir::State::status="

__attribute__((format(printf, 3, 4))) static int
parse_error(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * Undo apt's QuoteString() in place: %xx is the byte xx. Returns 0, or
 * -EINVAL for a '%' not followed by two hex digits or a %00.
 */
int
cli_guard_dequote(char *s)
{
	char *out = s;

	for (; *s != '\0'; s++) {
		int hi, lo;

		if (*s != '%') {
			*out++ = *s;
			continue;
		}
		hi = hexval(s[1]);
		lo = hi < 0 ? -1 : hexval(s[2]);
		if (lo < 0 || (hi == 0 && lo == 0))
			return -EINVAL;
		*out++ = (char)(hi * 16 + lo);
		s += 2;
	}
	*out = '\0';
	return 0;
}

/* The next blank-separated field of *s (advanced past it), or NULL. */
static char *
field(char **s)
{
	char *f = *s, *end;

	if (f == NULL || *f == '\0')
		return NULL;
	end = strchr(f, ' ');
	if (end != NULL) {
		*end = '\0';
		*s = end + 1;
	} else {
		*s = NULL;
	}
	return *f != '\0' ? f : NULL;
}

static enum cli_guard_op
op_of(const char *action)
{
	if (action[0] == '/')
		return CLI_GUARD_INSTALL;
	if (strcmp(action, "**CONFIGURE**") == 0)
		return CLI_GUARD_CONFIGURE;
	if (strcmp(action, "**REMOVE**") == 0)
		return CLI_GUARD_REMOVE;
	return CLI_GUARD_OTHER;
}

static int
add_action(struct cli_guard_input *in, char **f, const char *action)
{
	struct cli_guard_action *v, *a;
	bool v3 = in->version >= 3;

	v = realloc(in->actions, (in->n_actions + 1) * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	in->actions = v;
	a = &v[in->n_actions];
	memset(a, 0, sizeof(*a));
	a->op = op_of(action);
	a->name = strdup(f[0]);
	a->old_version = strdup(f[1]);
	a->new_version = strdup(f[v3 ? 5 : 3]);
	a->arch = v3 ? strdup(strcmp(f[6], "-") != 0 ? f[6] : f[2]) : NULL;
	a->deb = a->op == CLI_GUARD_INSTALL ? strdup(action) : NULL;
	in->n_actions++;
	if (a->name == NULL || a->old_version == NULL ||
	    a->new_version == NULL || (v3 && a->arch == NULL) ||
	    (a->op == CLI_GUARD_INSTALL && a->deb == NULL))
		return -ENOMEM;
	return 0;
}

/* One action line (without its newline). */
static int
parse_action(struct cli_guard_input *in, char *line, unsigned long n, char *err,
             size_t err_size)
{
	size_t want = in->version >= 3 ? 8 : 4, i;
	char *f[8], *rest = line, *cmp;

	for (i = 0; i < want; i++)
		if ((f[i] = field(&rest)) == NULL)
			return parse_error(err, err_size,
			                   "line %lu: expected "
			                   "%zu fields and an action",
			                   n, want);
	if (rest == NULL || *rest == '\0')
		return parse_error(err, err_size, "line %lu: no action", n);
	cmp = f[in->version >= 3 ? 4 : 2];
	if (strcmp(cmp, "<") != 0 && strcmp(cmp, ">") != 0 &&
	    strcmp(cmp, "=") != 0)
		return parse_error(err, err_size,
		                   "line %lu: '%s' is not <, > "
		                   "or =",
		                   n, cmp);
	if (add_action(in, f, rest) < 0)
		return parse_error(err, err_size, "out of memory");
	return 0;
}

static int
parse_header(struct cli_guard_input *in, const char *line, char *err,
             size_t err_size)
{
	if (strcmp(line, "VERSION 2") == 0 || strcmp(line, "VERSION 3") == 0) {
		in->version = (unsigned)(line[8] - '0');
		return 0;
	}
	return parse_error(err, err_size,
	                   "apt sent '%.60s' where version 2 "
	                   "or 3 of its hook protocol starts with 'VERSION'",
	                   line);
}

/* A line of apt's configuration: only Dir::State::status is kept. */
static int
parse_config(struct cli_guard_input *in, char *line, unsigned long n, char *err,
             size_t err_size)
{
	if (strncmp(line, STATUS_KEY, strlen(STATUS_KEY)) != 0)
		return 0;
	free(in->status_file);
	in->status_file = strdup(line + strlen(STATUS_KEY));
	if (in->status_file == NULL)
		return parse_error(err, err_size, "out of memory");
	if (cli_guard_dequote(in->status_file) < 0)
		return parse_error(err, err_size,
		                   "line %lu: a bad %%-escape "
		                   "in Dir::State::status",
		                   n);
	return 0;
}

/**
 * Read apt's message from in into *out, which the caller frees with
 * cli_guard_input_free() whatever the result. Returns 0, or a negative
 * code with one sentence in err (the message is not one of version 2
 * or 3, a line is malformed, it ended before its action lines).
 */
int
cli_guard_parse(FILE *in, struct cli_guard_input *out, char *err,
                size_t err_size)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long n = 0;
	int part = 0, r = 0; /* 0 header, 1 configuration, 2 actions */

	memset(out, 0, sizeof(*out));
	while (r == 0 && (len = getline(&line, &cap, in)) >= 0) {
		n++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (part == 0)
			r = parse_header(out, line, err, err_size);
		else if (part == 1 && len == 0)
			part = 2;
		else if (part == 1)
			r = parse_config(out, line, n, err, err_size);
		else
			r = parse_action(out, line, n, err, err_size);
		if (part == 0)
			part = 1;
	}
	free(line);
	if (r == 0 && ferror(in))
		r = parse_error(err, err_size, "cannot read apt's message: %s",
		                strerror(errno));
	else if (r == 0 && part < 2)
		r = parse_error(err, err_size, "apt's message ended %s",
		                n == 0 ? "before it began" :
		                         "in its configuration");
	return r;
}

void
cli_guard_input_free(struct cli_guard_input *in)
{
	size_t i;

	for (i = 0; i < in->n_actions; i++) {
		struct cli_guard_action *a = &in->actions[i];

		free(a->name);
		free(a->old_version);
		free(a->new_version);
		free(a->arch);
		free(a->deb);
	}
	free(in->actions);
	free(in->status_file);
	memset(in, 0, sizeof(*in));
}
