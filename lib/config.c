/*
 * libkpurge - the configuration file, /etc/purge-old-kernels.conf.
 *
 * Plain KEY=VALUE lines, read here and never sourced by a shell: a value
 * is text, whatever characters it holds. The syntax is the part of the
 * shell's that people write in such files: blank lines, "#" comments, a
 * value in single or double quotes (no escapes inside), and a " #" comment
 * after an unquoted value. Blanks around "=" are allowed.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kpurge-app.h"
#include "kpurge-private.h"

/* One line being read: where it is, for the messages. */
struct line {
	const char *file;
	unsigned number;
	struct kp_error *err;
};

__attribute__((format(printf, 2, 3))) static int
line_error(const struct line *l, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return kp__error_set(l->err, -EINVAL, "%s:%u: %s", l->file, l->number,
	                     msg);
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Text with blanks cut off both ends, in place. */
static char *
trim(char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

static bool
valid_key(const char *key)
{
	size_t n = strspn(key,
	                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                  "0123456789_");

	return n > 0 && key[n] == '\0' && !(key[0] >= '0' && key[0] <= '9');
}

/*
 * The value after "=": unquoted, comment and blanks gone. In place.
 * NULL when its quotes are wrong, with l->err filled (-EINVAL).
 */
static char *
unquote(const struct line *l, char *text)
{
	char quote = text[0], *end, *rest;

	if (quote != '"' && quote != '\'') {
		for (end = text; *end != '\0'; end++)
			if (*end == '#' && end > text && is_blank(end[-1]))
				break;
		*end = '\0';
		return trim(text);
	}
	end = strchr(text + 1, quote);
	if (end == NULL) {
		line_error(l, "the value has no closing %c", quote);
		return NULL;
	}
	*end = '\0';
	rest = trim(end + 1);
	if (rest[0] != '\0' && rest[0] != '#') {
		line_error(l, "unexpected text after the closing %c: '%s'",
		           quote, rest);
		return NULL;
	}
	return text + 1;
}

/* A whole number from min to max: digits only, no sign, no blanks. */
static bool
parse_number(const char *text, unsigned min, unsigned max, unsigned *out)
{
	unsigned long n;
	char *end;

	if (text[0] == '\0' || strspn(text, "0123456789") != strlen(text))
		return false;
	errno = 0;
	n = strtoul(text, &end, 10);
	if (errno == ERANGE || n < min || n > max)
		return false;
	*out = (unsigned)n;
	return true;
}

static int
set_keep(const struct line *l, struct kp_config *cfg, const char *value)
{
	if (!parse_number(value, 0, KP_KEEP_MAX, &cfg->keep))
		return line_error(
		        l, "KEEP must be a number from 0 to %u, not '%s'",
		        KP_KEEP_MAX, value);
	cfg->keep_set = true;
	return 0;
}

static int
set_timeout(const struct line *l, struct kp_config *cfg, const char *value)
{
	if (!parse_number(value, 0, KP_TIMEOUT_MAX, &cfg->timeout))
		return line_error(l,
		                  "TIMEOUT must be a number of seconds from 0 "
		                  "to %u, not '%s'",
		                  KP_TIMEOUT_MAX, value);
	return 0;
}

static int
set_boot_warn(const struct line *l, struct kp_config *cfg, const char *value)
{
	if (!parse_number(value, 1, 100, &cfg->boot_warn))
		return line_error(l,
		                  "BOOT_WARN_PERCENT must be a number from 1 "
		                  "to 100, not '%s'",
		                  value);
	return 0;
}

static int
set_auto(const struct line *l, struct kp_config *cfg, const char *value)
{
	if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0)
		cfg->auto_purge = KP_AUTO_YES;
	else if (strcasecmp(value, "no") == 0 ||
	         strcasecmp(value, "false") == 0)
		cfg->auto_purge = KP_AUTO_NO;
	else
		return line_error(l, "AUTO must be yes or no, not '%s'", value);
	return 0;
}

/* ONLY_AUTO_INSTALLED, GUARD: yes or no (true or false). */
static int
set_yes_no(const struct line *l, const char *key, const char *value, bool *out)
{
	if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0)
		*out = true;
	else if (strcasecmp(value, "no") == 0 ||
	         strcasecmp(value, "false") == 0)
		*out = false;
	else
		return line_error(l, "%s must be yes or no, not '%s'", key,
		                  value);
	return 0;
}

static void
free_protect(struct kp_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n_protect; i++) {
		free(cfg->protect[i]);
		free(cfg->protect_where[i]);
	}
	free(cfg->protect);
	free(cfg->protect_where);
	cfg->protect = NULL;
	cfg->protect_where = NULL;
	cfg->n_protect = 0;
}

/* Add word, read at l, to PROTECT. Returns 0 or -ENOMEM. */
static int
add_protect(const struct line *l, struct kp_config *cfg, const char *word)
{
	size_t n = cfg->n_protect + 1;
	char **v = realloc(cfg->protect, n * sizeof(*v));
	char **w;

	if (v == NULL)
		return -ENOMEM;
	cfg->protect = v;
	w = realloc(cfg->protect_where, n * sizeof(*w));
	if (w == NULL)
		return -ENOMEM;
	cfg->protect_where = w;
	v[cfg->n_protect] = strdup(word);
	w[cfg->n_protect] = kp__strdup_printf("%s:%u", l->file, l->number);
	if (v[cfg->n_protect] == NULL || w[cfg->n_protect] == NULL) {
		free(v[cfg->n_protect]);
		free(w[cfg->n_protect]);
		return -ENOMEM;
	}
	cfg->n_protect++;
	return 0;
}

/* The characters of a release as uname -r prints it (custom ones too). */
#define RELEASE_CHARS                                                          \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"                 \
	"0123456789.+-_~"

/*
 * PROTECT: releases (or versions without their flavour) separated by
 * blanks; a later line replaces it. One that names nothing installed is
 * the plan's business: the caller warns, naming where it was read.
 */
static int
set_protect(const struct line *l, struct kp_config *cfg, char *value)
{
	char *word, *save = NULL;

	free_protect(cfg);
	for (word = strtok_r(value, " \t", &save); word != NULL;
	     word = strtok_r(NULL, " \t", &save)) {
		if (strspn(word, RELEASE_CHARS) != strlen(word))
			return line_error(l,
			                  "PROTECT takes kernel releases as "
			                  "uname -r prints them, separated by "
			                  "blanks; not '%s'",
			                  word);
		if (add_protect(l, cfg, word) < 0)
			return kp__error_set(l->err, -ENOMEM, "out of memory");
	}
	return 0;
}

static int
set_value(const struct line *l, struct kp_config *cfg, const char *key,
          char *value, kp_log_fn log, void *log_data)
{
	char msg[768];

	if (strcmp(key, "KEEP") == 0)
		return set_keep(l, cfg, value);
	if (strcmp(key, "PROTECT") == 0)
		return set_protect(l, cfg, value);
	if (strcmp(key, "AUTO") == 0)
		return set_auto(l, cfg, value);
	if (strcmp(key, "TIMEOUT") == 0)
		return set_timeout(l, cfg, value);
	if (strcmp(key, "BOOT_WARN_PERCENT") == 0)
		return set_boot_warn(l, cfg, value);
	if (strcmp(key, "ONLY_AUTO_INSTALLED") == 0)
		return set_yes_no(l, key, value, &cfg->only_auto_installed);
	if (strcmp(key, "GUARD") == 0)
		return set_yes_no(l, key, value, &cfg->guard);
	/* A newer version's key, or a typo: say so, and go on. */
	if (log != NULL) {
		snprintf(msg, sizeof(msg), "%s:%u: unknown key '%s' ignored",
		         l->file, l->number, key);
		log(log_data, KP_LOG_WARNING, msg);
	}
	return 0;
}

static int
parse_line(const struct line *l, char *text, struct kp_config *cfg,
           kp_log_fn log, void *log_data)
{
	char *eq, *key, *value;

	text = trim(text);
	if (text[0] == '\0' || text[0] == '#')
		return 0;
	eq = strchr(text, '=');
	if (eq == NULL)
		return line_error(l, "expected KEY=VALUE, not '%s'", text);
	*eq = '\0';
	key = trim(text);
	if (!valid_key(key))
		return line_error(l, "expected KEY=VALUE, not '%s=...'", key);
	value = unquote(l, trim(eq + 1));
	if (value == NULL)
		return -EINVAL;
	return set_value(l, cfg, key, value, log, log_data);
}

/** Fill cfg with the defaults: what a missing file means. */
void
kp_config_init(struct kp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->keep = KP_KEEP_DEFAULT;
	cfg->auto_purge = KP_AUTO_NO;
	cfg->timeout = KP_TIMEOUT_DEFAULT;
	cfg->boot_warn = KP_BOOT_WARN_DEFAULT;
	cfg->guard = true;
}

/** Free what cfg owns; it holds the defaults again. */
void
kp_config_free(struct kp_config *cfg)
{
	free_protect(cfg);
	kp_config_init(cfg);
}

/**
 * Read configuration lines from f into cfg (which holds the defaults or
 * an earlier file's values); name is the file's name in the messages.
 * Unknown keys are reported through log as warnings ("FILE:LINE: ...").
 * Returns 0, or -EINVAL with "FILE:LINE: what is wrong" in err for the
 * first bad line (cfg then holds the lines before it), -EIO, -ENOMEM.
 */
int
kp_config_read_stream(FILE *f, const char *name, struct kp_config *cfg,
                      kp_log_fn log, void *log_data, struct kp_error *err)
{
	struct line l = { name, 0, err };
	char *buf = NULL;
	size_t size = 0;
	ssize_t n;
	int r = 0;

	while (r == 0 && (n = getline(&buf, &size, f)) >= 0) {
		l.number++;
		if (strlen(buf) != (size_t)n)
			r = line_error(&l, "the line holds a NUL byte");
		else
			r = parse_line(&l, buf, cfg, log, log_data);
	}
	if (r == 0 && ferror(f))
		r = kp__error_set(err, -EIO, "cannot read %s", name);
	free(buf);
	return r;
}

/**
 * Read the configuration file at path into cfg (see
 * kp_config_read_stream()). A missing file is no error: cfg keeps what
 * it holds. Returns 0 or a negative code with err filled.
 */
int
kp_config_read(const char *path, struct kp_config *cfg, kp_log_fn log,
               void *log_data, struct kp_error *err)
{
	FILE *f = fopen(path, "re");
	int r;

	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		return kp__error_set(err, -errno, "cannot read %s: %s", path,
		                     strerror(errno));
	}
	r = kp_config_read_stream(f, path, cfg, log, log_data, err);
	fclose(f);
	return r;
}
