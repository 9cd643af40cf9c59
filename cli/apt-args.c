/*
 * purge-old-kernels - split the command line between purge-old-kernels
 * and apt-get.
 *
 * apt-get's arguments are read the way apt's own command line parser reads
 * them, so that a value is never mistaken for an option or the other way
 * round: "-o Name=Value", "-oName=Value", "-o=Name=Value", "--option=...",
 * "--option Name=Value"; combined letters ("-yq"), where a letter taking a
 * value takes the rest of the group ("-tstable"); yes/no options with a
 * sense ("--no-download", "--download=no", "-s no", "-sno", "--no-s");
 * levels ("-qq", "-q=2", "-q 2"); long names compared without case.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apt-args.h"
#include "log.h"

enum apt_kind {
	APT_BOOL,    /* yes or no: -s, --simulate=no, --no-simulate, -s no */
	APT_LEVEL,   /* a counter or a number: -q, -qq, -q=2, -q 2 */
	APT_VALUE,   /* takes a value: -t stable, -tstable, --solver=internal */
	APT_ITEM,    /* takes Name=Value: -o APT::Get::Simulate=true */
	APT_FILE,    /* takes a configuration file to read: -c FILE */
	APT_REFUSED, /* would make apt-get do something else than the purge */
};

enum apt_effect {
	APT_NO_EFFECT = 0,
	APT_SIMULATE, /* apt-get only simulates: no root needed */
	APT_QUIET,
};

struct apt_option {
	char short_name;
	const char *long_name;
	enum apt_kind kind;
	enum apt_effect effect;
	const char *item; /* the configuration item it sets, as apt-get's
	                     own table says; NULL: none that the proof needs */
};

/*
 * What apt-get accepts together with its remove command: apt-get(8) and
 * apt's table of options per command (apt-private/private-cmndline.cc),
 * checked against apt-get 2.6 one option at a time. Options of its other
 * commands (update, source, build-dep: -a, -b, -e, -P, --list-cleanup,
 * --arch-only ...) make apt-get fail with remove, so they are unknown here.
 * A letter names the first entry that has it.
 */
static const struct apt_option apt_options[] = {
	/* commands that change packages (install, remove, upgrade ...) */
	{ 0, "show-progress", APT_BOOL, APT_NO_EFFECT, "DpkgPM::Progress" },
	{ 'f', "fix-broken", APT_BOOL, APT_NO_EFFECT, "APT::Get::Fix-Broken" },
	{ 0, "purge", APT_BOOL, APT_NO_EFFECT, "APT::Get::Purge" },
	{ 'V', "verbose-versions", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::Show-Versions" },
	{ 0, "autoremove", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::AutomaticRemove" },
	{ 0, "auto-remove", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::AutomaticRemove" },
	{ 0, "reinstall", APT_BOOL, APT_NO_EFFECT, "APT::Get::ReInstall" },
	{ 0, "solver", APT_VALUE, APT_NO_EFFECT, "APT::Solver" },
	{ 0, "planner", APT_VALUE, APT_NO_EFFECT, "APT::Planner" },
	{ 's', "simulate", APT_BOOL, APT_SIMULATE, "APT::Get::Simulate" },
	{ 's', "just-print", APT_BOOL, APT_SIMULATE, "APT::Get::Simulate" },
	{ 's', "recon", APT_BOOL, APT_SIMULATE, "APT::Get::Simulate" },
	{ 's', "dry-run", APT_BOOL, APT_SIMULATE, "APT::Get::Simulate" },
	{ 's', "no-act", APT_BOOL, APT_SIMULATE, "APT::Get::Simulate" },
	/* every apt-get command */
	{ 'd', "download-only", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::Download-Only" },
	{ 'y', "yes", APT_BOOL, APT_NO_EFFECT, "APT::Get::Assume-Yes" },
	{ 'y', "assume-yes", APT_BOOL, APT_NO_EFFECT, "APT::Get::Assume-Yes" },
	{ 0, "assume-no", APT_BOOL, APT_NO_EFFECT, "APT::Get::Assume-No" },
	{ 'u', "show-upgraded", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::Show-Upgraded" },
	{ 'm', "ignore-missing", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::Fix-Missing" },
	{ 't', "target-release", APT_VALUE, APT_NO_EFFECT,
	  "APT::Default-Release" },
	{ 't', "default-release", APT_VALUE, APT_NO_EFFECT,
	  "APT::Default-Release" },
	{ 0, "download", APT_BOOL, APT_NO_EFFECT, "APT::Get::Download" },
	{ 0, "fix-missing", APT_BOOL, APT_NO_EFFECT, "APT::Get::Fix-Missing" },
	{ 0, "ignore-hold", APT_BOOL, APT_NO_EFFECT, "APT::Ignore-Hold" },
	{ 0, "upgrade", APT_BOOL, APT_NO_EFFECT, "APT::Get::upgrade" },
	{ 0, "only-upgrade", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::Only-Upgrade" },
	{ 0, "allow-change-held-packages", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::allow-change-held-packages" },
	{ 0, "allow-remove-essential", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::allow-remove-essential" },
	{ 0, "allow-downgrades", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::allow-downgrades" },
	{ 0, "force-yes", APT_BOOL, APT_NO_EFFECT, "APT::Get::force-yes" },
	{ 0, "print-uris", APT_BOOL, APT_NO_EFFECT, "APT::Get::Print-URIs" },
	{ 0, "trivial-only", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::Trivial-Only" },
	{ 0, "mark-auto", APT_BOOL, APT_NO_EFFECT, "APT::Get::Mark-Auto" },
	{ 0, "remove", APT_BOOL, APT_NO_EFFECT, "APT::Get::Remove" },
	{ 0, "only-source", APT_BOOL, APT_NO_EFFECT, "APT::Get::Only-Source" },
	{ 0, "allow-unauthenticated", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::AllowUnauthenticated" },
	{ 0, "install-recommends", APT_BOOL, APT_NO_EFFECT,
	  "APT::Install-Recommends" },
	{ 0, "install-suggests", APT_BOOL, APT_NO_EFFECT,
	  "APT::Install-Suggests" },
	{ 0, "fix-policy", APT_BOOL, APT_NO_EFFECT,
	  "APT::Get::Fix-Policy-Broken" },
	{ 0, "with-source", APT_VALUE, APT_NO_EFFECT, "APT::Sources::With::" },
	/* every apt program */
	{ 'h', "help", APT_REFUSED, APT_NO_EFFECT, NULL },
	{ 'v', "version", APT_REFUSED, APT_NO_EFFECT, NULL },
	{ 'q', "quiet", APT_LEVEL, APT_QUIET, NULL },
	{ 'q', "silent", APT_LEVEL, APT_QUIET, NULL },
	{ 'c', "config-file", APT_FILE, APT_NO_EFFECT, NULL },
	{ 'o', "option", APT_ITEM, APT_NO_EFFECT, NULL },
};

#define N_APT_OPTIONS (sizeof(apt_options) / sizeof(apt_options[0]))

/* ---------------------------------------------------------- apt's words */

/**
 * Read word as apt reads a yes/no value (StringToBool): "1", "0", yes, no,
 * true, false, with, without, on, off, enable, disable, in any case.
 * Returns 1, 0, or -1 for any other word and for NULL.
 */
int
cli_apt_bool_word(const char *word)
{
	static const char *const no[] = {
		"no", "false", "without", "off", "disable",
	};
	static const char *const yes[] = {
		"yes", "true", "with", "on", "enable",
	};
	char *end;
	long n;
	size_t i;

	if (word == NULL || word[0] == '\0')
		return -1;
	n = strtol(word, &end, 0);
	if (*end == '\0' && (n == 0 || n == 1))
		return (int)n;
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (strcasecmp(word, no[i]) == 0)
			return 0;
		if (strcasecmp(word, yes[i]) == 0)
			return 1;
	}
	return -1;
}

/* A whole number, as apt takes a level from the next argument. */
static bool
is_number(const char *word)
{
	char *end;

	if (word == NULL)
		return false;
	(void)strtol(word, &end, 10);
	return end != word && *end == '\0';
}

/* Starts with a number: apt takes "-q=2x" as a level, rejects "-q=x". */
static bool
has_number(const char *word)
{
	char *end;

	(void)strtol(word, &end, 10);
	return end != word;
}

/* A quiet level given to apt-get (-q=N, --quiet N): 0 asks for none. */
static bool
quiets(const char *level)
{
	return level == NULL || strtol(level, NULL, 10) != 0;
}

/* ------------------------------------------------------------ look-ups */

static bool
is_table_end(const struct poptOption *o)
{
	return o->longName == NULL && o->shortName == '\0' && o->argInfo == 0;
}

static bool
our_takes_value(const struct poptOption *o)
{
	unsigned kind = o->argInfo & POPT_ARG_MASK;

	return kind != POPT_ARG_NONE && kind != POPT_ARG_VAL;
}

/* Ours are matched with case, like popt does; nocase finds look-alikes. */
static const struct poptOption *
our_long(const struct poptOption *ours, const char *name, size_t len,
         bool nocase)
{
	for (; !is_table_end(ours); ours++)
		if (ours->longName != NULL && strlen(ours->longName) == len &&
		    (nocase ? strncasecmp(ours->longName, name, len) :
		              strncmp(ours->longName, name, len)) == 0)
			return ours;
	return NULL;
}

static const struct poptOption *
our_short(const struct poptOption *ours, char letter)
{
	for (; !is_table_end(ours); ours++)
		if (ours->shortName == letter)
			return ours;
	return NULL;
}

/* apt compares long names without case. */
static const struct apt_option *
apt_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < N_APT_OPTIONS; i++)
		if (strlen(apt_options[i].long_name) == len &&
		    strncasecmp(apt_options[i].long_name, name, len) == 0)
			return &apt_options[i];
	return NULL;
}

static const struct apt_option *
apt_short(char letter)
{
	size_t i;

	for (i = 0; i < N_APT_OPTIONS; i++)
		if (letter != '\0' && apt_options[i].short_name == letter)
			return &apt_options[i];
	return NULL;
}

/* --------------------------------------------------------------- scan */

/* Reading the command line, one argument after the other. */
struct scan {
	int argc;
	const char *const *argv;
	int i; /* the argument being read */
	const struct poptOption *ours;
	struct cli_split *out;
	struct kp_error *err;
	struct kp_apt_config *config; /* the items apt-get would set, or NULL */
};

__attribute__((format(printf, 2, 3))) static int
fail(struct scan *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_put_verror(s->err, -EINVAL, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int
fail_unknown(struct scan *s, const char *option)
{
	return fail(s, "unknown option '%s'; see --help", option);
}

/* The next argument, whatever it is: our options take it like popt. */
static const char *
next_raw(const struct scan *s)
{
	return s->i + 1 < s->argc ? s->argv[s->i + 1] : NULL;
}

/* The next argument if apt would look at it: one not starting with '-'. */
static const char *
next_for_apt(const struct scan *s)
{
	const char *next = next_raw(s);

	return next != NULL && next[0] != '-' ? next : NULL;
}

/* Hand one of our options to popt in a form it cannot misread. */
static int
push_ours(struct scan *s, const struct poptOption *o, const char *value)
{
	char *arg = NULL;
	int n, r;

	if (o->longName == NULL) {
		char flag[3] = { '-', o->shortName, '\0' };

		r = cli_argv_push(&s->out->ours, flag);
		if (r == 0 && value != NULL)
			r = cli_argv_push(&s->out->ours, value);
		return r;
	}
	if (value != NULL)
		n = asprintf(&arg, "--%s=%s", o->longName, value);
	else
		n = asprintf(&arg, "--%s", o->longName);
	if (n < 0)
		return -ENOMEM;
	r = cli_argv_push(&s->out->ours, arg);
	free(arg);
	return r;
}

static void
apply_bool(struct scan *s, const struct apt_option *a, int sense)
{
	if (a->effect == APT_SIMULATE)
		s->out->apt_simulate = sense == 1;
}

/* -o Name=Value: the value must have its "=", and may set Simulate. */
static int
check_item(struct scan *s, const char *option, const char *value)
{
	static const char simulate[] = "APT::Get::Simulate";
	const char *eq = strchr(value, '=');

	if (eq == NULL)
		return fail(s, "option '%s' needs Name=Value, not '%s'", option,
		            value);
	if ((size_t)(eq - value) == strlen(simulate) &&
	    strncasecmp(value, simulate, strlen(simulate)) == 0)
		s->out->apt_simulate = cli_apt_bool_word(eq + 1) == 1;
	return 0;
}

/*
 * Note the configuration item an apt-get option sets, as apt-get's own
 * parser sets it (CommandLine::HandleOpt): a yes/no option its item to
 * "true" or "false", a value option its item to the value (a name ending
 * in "::" appends to a list), -o Name=Value that item, -c FILE a file to
 * read. Quiet levels only change what apt-get prints: not noted.
 */
static int
record(struct scan *s, const struct apt_option *a, const char *value, int sense)
{
	const char *eq;
	char *name;
	int r;

	if (s->config == NULL || (a->kind != APT_BOOL && value == NULL))
		return 0;
	switch (a->kind) {
	case APT_BOOL:
		return kp_apt_config_push(s->config, KP_APT_ITEM_SET, a->item,
		                          sense == 0 ? "false" : "true");
	case APT_VALUE:
		return kp_apt_config_push(s->config, KP_APT_ITEM_SET, a->item,
		                          value);
	case APT_FILE:
		return kp_apt_config_push(s->config, KP_APT_ITEM_FILE, value,
		                          NULL);
	case APT_ITEM:
		/* check_item() made sure of the "=" */
		if ((eq = strchr(value, '=')) == NULL)
			return 0;
		if ((name = strndup(value, (size_t)(eq - value))) == NULL)
			return -ENOMEM;
		r = kp_apt_config_push(s->config, KP_APT_ITEM_SET, name,
		                       eq + 1);
		free(name);
		return r;
	default:
		return 0;
	}
}

static int
refuse(struct scan *s, const struct apt_option *a, const char *option)
{
	return fail(s,
	            "option '%s' would make apt-get show its %s instead of "
	            "purging; see --help",
	            option, a->long_name);
}

/* ---------------------------------------------------------- long options */

/*
 * An apt-get long option, shown as option ("--simulate"); value is what
 * followed "=" (or NULL), sense the yes/no its prefix gave ("--no-..."),
 * or -1. Takes the next argument where apt would.
 */
static int
apt_long_option(struct scan *s, const struct apt_option *a, const char *option,
                const char *value, int sense)
{
	const char *next = NULL;
	int r;

	switch (a->kind) {
	case APT_REFUSED:
		return refuse(s, a, option);
	case APT_BOOL:
		if (value != NULL && (sense = cli_apt_bool_word(value)) < 0)
			return fail(s, "option '%s' takes yes or no, not '%s'",
			            option, value);
		if (value == NULL && cli_apt_bool_word(next_for_apt(s)) >= 0) {
			next = next_for_apt(s);
			sense = cli_apt_bool_word(next);
		}
		apply_bool(s, a, sense < 0 ? 1 : sense);
		if ((r = record(s, a, NULL, sense < 0 ? 1 : sense)) < 0)
			return r;
		break;
	case APT_LEVEL:
		if (value != NULL && !has_number(value))
			return fail(s, "option '%s' takes a number, not '%s'",
			            option, value);
		if (value == NULL && is_number(next_for_apt(s)))
			value = next = next_for_apt(s);
		s->out->apt_quiet = quiets(value);
		break;
	case APT_VALUE:
	case APT_FILE:
	case APT_ITEM:
		if (value == NULL && (value = next = next_for_apt(s)) == NULL)
			return fail(s, "option '%s' needs a value", option);
		if (a->kind == APT_ITEM &&
		    (r = check_item(s, option, value)) < 0)
			return r;
		if ((r = record(s, a, value, -1)) < 0)
			return r;
		break;
	}
	if ((r = cli_argv_push(&s->out->apt, s->argv[s->i])) < 0)
		return r;
	if (next == NULL)
		return 0;
	s->i++;
	return cli_argv_push(&s->out->apt, next);
}

static int
our_long_option(struct scan *s, const struct poptOption *o, const char *value)
{
	const char *option = s->argv[s->i];

	if (!our_takes_value(o)) {
		if (value != NULL)
			return fail(s, "option '--%s' takes no value",
			            o->longName);
		return push_ours(s, o, NULL);
	}
	if (value == NULL) {
		value = next_raw(s);
		if (value == NULL)
			return fail(s, "option '%s' needs a value", option);
		s->i++;
	}
	return push_ours(s, o, value);
}

/*
 * "--no-download", "--without-install-recommends", "--no-s": apt reads the
 * word before the first '-' as the sense of a yes/no option.
 */
static int
apt_prefixed_option(struct scan *s, const char *option, const char *name,
                    size_t len, const char *value)
{
	const char *dash = memchr(name, '-', len);
	const struct apt_option *a = NULL;
	const char *rest;
	size_t rest_len;
	char word[16];
	int sense;

	if (dash == NULL || (size_t)(dash - name) >= sizeof(word))
		return fail_unknown(s, option);
	memcpy(word, name, (size_t)(dash - name));
	word[dash - name] = '\0';
	rest = dash + 1;
	rest_len = len - (size_t)(rest - name);
	if (our_long(s->ours, rest, rest_len, true) == NULL)
		a = apt_long(rest, rest_len);
	if (a == NULL && rest_len == 1 && our_short(s->ours, rest[0]) == NULL)
		a = apt_short(rest[0]);
	sense = cli_apt_bool_word(word);
	if (a == NULL || a->kind != APT_BOOL || sense < 0)
		return fail_unknown(s, option);
	return apt_long_option(s, a, option, value, sense);
}

/* Is a level given with this long option (--quiet=2, --quiet 2)? */
static bool
level_form_long(const struct scan *s, const char *value)
{
	return value != NULL || is_number(next_for_apt(s));
}

/* Ours win, but a level (--quiet=2) can only be apt-get's. */
static bool
apt_wins_long(const struct scan *s, const struct poptOption *o,
              const struct apt_option *a, const char *value)
{
	return o == NULL || (a->kind == APT_LEVEL && level_form_long(s, value));
}

static int
scan_long(struct scan *s)
{
	const char *name = s->argv[s->i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
	const char *value = eq != NULL ? eq + 1 : NULL;
	const struct poptOption *o = our_long(s->ours, name, len, false);
	const struct apt_option *a = apt_long(name, len);
	char option[128]; /* as messages show it: without its value */

	snprintf(option, sizeof(option), "--%.*s", (int)len, name);
	/*
	 * apt-get ignores case: --DRY-RUN would be its simulation, which is
	 * not what someone who meant ours wants.
	 */
	if (o == NULL && our_long(s->ours, name, len, true) != NULL)
		return fail_unknown(s, option);
	if (a != NULL && apt_wins_long(s, o, a, value))
		return apt_long_option(s, a, option, value, -1);
	if (o != NULL)
		return our_long_option(s, o, value);
	return apt_prefixed_option(s, option, name, len, value);
}

/* ------------------------------------------------- groups of short letters */

/* Reading one "-abc" argument. */
struct group {
	const char *arg;
	size_t pos;           /* the letter being read */
	bool done;            /* a letter took the rest of the group */
	bool ours_seen;       /* a letter was one of ours */
	const char *apt_next; /* the next argument, taken by apt-get's letter */
	struct cli_argv apt;  /* apt-get's letters, one argument each */
};

static int
fail_letter(struct scan *s, const struct group *g, const char *what)
{
	if (strlen(g->arg) > 2)
		return fail(s, "%s option '-%c' (in '%s'); see --help", what,
		            g->arg[g->pos], g->arg);
	return fail(s, "%s option '-%c'; see --help", what, g->arg[g->pos]);
}

/* Is this letter a level of apt's (-qq, -q2, -q=2, -q 2)? */
static bool
level_form_short(const struct scan *s, const struct group *g)
{
	char letter = g->arg[g->pos];
	const char *rest = g->arg + g->pos + 1;

	return rest[0] == letter ||
	       (g->pos > 1 && g->arg[g->pos - 1] == letter) || rest[0] == '=' ||
	       isdigit((unsigned char)rest[0]) ||
	       (rest[0] == '\0' && is_number(next_for_apt(s)));
}

static int
our_letter(struct scan *s, struct group *g, const struct poptOption *o)
{
	const char *rest = g->arg + g->pos + 1;
	const char *value;

	g->ours_seen = true;
	if (!our_takes_value(o)) {
		if (rest[0] == '=')
			return fail(s, "option '-%c' takes no value",
			            o->shortName);
		g->pos++;
		return push_ours(s, o, NULL);
	}
	if (rest[0] != '\0') {
		value = rest[0] == '=' ? rest + 1 : rest;
	} else {
		value = next_raw(s);
		if (value == NULL)
			return fail(s, "option '-%c' needs a value",
			            o->shortName);
		s->i++;
	}
	g->done = true;
	return push_ours(s, o, value);
}

/* A yes/no letter; sets g->done or g->apt_next when it takes a word. */
static int
apt_bool_letter(struct scan *s, struct group *g, const struct apt_option *a)
{
	const char *rest = g->arg + g->pos + 1;
	int sense = 1;

	if (rest[0] == '=') {
		sense = cli_apt_bool_word(rest + 1);
		if (sense < 0)
			return fail(s, "option '-%c' takes yes or no, not '%s'",
			            a->short_name, rest + 1);
		g->done = true;
	} else if (rest[0] != '\0' && cli_apt_bool_word(rest) >= 0) {
		sense = cli_apt_bool_word(rest);
		g->done = true;
	} else if (rest[0] == '\0' && cli_apt_bool_word(next_for_apt(s)) >= 0) {
		g->apt_next = next_for_apt(s);
		sense = cli_apt_bool_word(g->apt_next);
	}
	apply_bool(s, a, sense);
	return record(s, a, NULL, sense);
}

static int
apt_level_letter(struct scan *s, struct group *g, const struct apt_option *a)
{
	const char *rest = g->arg + g->pos + 1;

	s->out->apt_quiet = true;
	if (rest[0] == '=') {
		if (!has_number(rest + 1))
			return fail(s, "option '-%c' takes a number, not '%s'",
			            a->short_name, rest + 1);
		s->out->apt_quiet = quiets(rest + 1);
		g->done = true;
	} else if (rest[0] != '\0' && is_number(rest)) {
		s->out->apt_quiet = quiets(rest);
		g->done = true;
	} else if (rest[0] == '\0' && is_number(next_for_apt(s))) {
		g->apt_next = next_for_apt(s);
		s->out->apt_quiet = quiets(g->apt_next);
	}
	return 0;
}

static int
apt_value_letter(struct scan *s, struct group *g, const struct apt_option *a)
{
	const char *rest = g->arg + g->pos + 1;
	const char *value;
	char option[3] = { '-', a->short_name, '\0' };
	int r;

	if (rest[0] != '\0') {
		value = rest[0] == '=' ? rest + 1 : rest;
	} else {
		value = g->apt_next = next_for_apt(s);
		if (value == NULL)
			return fail(s, "option '-%c' needs a value",
			            a->short_name);
	}
	g->done = true;
	if (a->kind == APT_ITEM && (r = check_item(s, option, value)) < 0)
		return r;
	return record(s, a, value, -1);
}

static int
apt_letter(struct scan *s, struct group *g, const struct apt_option *a)
{
	size_t start = g->pos;
	char *arg;
	int r;

	switch (a->kind) {
	case APT_REFUSED: {
		char option[3] = { '-', a->short_name, '\0' };

		return refuse(s, a, option);
	}
	case APT_BOOL:
		r = apt_bool_letter(s, g, a);
		break;
	case APT_LEVEL:
		r = apt_level_letter(s, g, a);
		break;
	default:
		r = apt_value_letter(s, g, a);
		break;
	}
	if (r < 0)
		return r;
	/* Alone, the letter keeps the part of the group it took. */
	g->pos = g->done ? strlen(g->arg) : g->pos + 1;
	if (asprintf(&arg, "-%.*s", (int)(g->pos - start), g->arg + start) < 0)
		return -ENOMEM;
	r = cli_argv_push(&g->apt, arg);
	free(arg);
	return r;
}

static int
scan_letter(struct scan *s, struct group *g)
{
	char letter = g->arg[g->pos];
	const struct poptOption *o = our_short(s->ours, letter);
	const struct apt_option *a = apt_short(letter);

	/* Ours win, but a level (-qq, -q=2) can only be apt-get's. */
	if (a != NULL &&
	    (o == NULL || (a->kind == APT_LEVEL && level_form_short(s, g))))
		return apt_letter(s, g, a);
	if (o != NULL)
		return our_letter(s, g, o);
	return fail_letter(s, g, "unknown");
}

/*
 * A group of letters. apt-get gets it unchanged when all its letters are
 * apt-get's; a mixed group ("-yn") is split, each apt-get letter becoming
 * an argument of its own with what it took of the group.
 */
static int
scan_short(struct scan *s)
{
	struct group g = { .arg = s->argv[s->i], .pos = 1 };
	size_t k;
	int r = 0;

	while (r == 0 && !g.done && g.arg[g.pos] != '\0')
		r = scan_letter(s, &g);
	if (r < 0)
		goto out;
	if (!g.ours_seen)
		r = cli_argv_push(&s->out->apt, g.arg);
	for (k = 0; g.ours_seen && r == 0 && k < g.apt.n; k++)
		r = cli_argv_push(&s->out->apt, g.apt.v[k]);
	if (r == 0 && g.apt_next != NULL) {
		s->i++;
		r = cli_argv_push(&s->out->apt, g.apt_next);
	}
out:
	cli_argv_free(&g.apt);
	return r;
}

/* After "--": everything to apt-get, unchecked. */
static int
take_unchecked(struct scan *s)
{
	int r = 0;

	for (s->i++; r == 0 && s->i < s->argc; s->i++) {
		r = cli_argv_push(&s->out->apt, s->argv[s->i]);
		s->out->n_unchecked++;
	}
	return r;
}

static int
scan_one(struct scan *s)
{
	const char *arg = s->argv[s->i];

	if (arg[0] != '-' || arg[1] == '\0')
		return fail(s,
		            "unexpected argument '%s': purge-old-kernels "
		            "chooses the packages itself; see --help",
		            arg);
	if (arg[1] == '-')
		return scan_long(s);
	return scan_short(s);
}

/**
 * Split argv (argc arguments, argv[0] the program) between our options,
 * described by the popt table ours, and apt-get's. Fills *out, which the
 * caller frees with cli_split_free() whatever the result. Returns 0,
 * -EINVAL with err filled for a bad command line, or -ENOMEM.
 */
int
cli_split_args(int argc, const char *const *argv, const struct poptOption *ours,
               struct cli_split *out, struct kp_error *err)
{
	struct scan s = {
		.argc = argc,
		.argv = argv,
		.i = 1,
		.ours = ours,
		.out = out,
		.err = err,
	};
	int r;

	memset(out, 0, sizeof(*out));
	kp_error_clear(err);
	r = cli_argv_push(&out->ours, argc > 0 ? argv[0] : "purge-old-kernels");
	for (; r == 0 && s.i < argc; s.i++) {
		if (strcmp(argv[s.i], "--") == 0) {
			r = take_unchecked(&s);
			break;
		}
		r = scan_one(&s);
	}
	if (r == -ENOMEM)
		cli_put_error(err, r, "out of memory");
	return r;
}

void
cli_split_free(struct cli_split *split)
{
	cli_argv_free(&split->ours);
	cli_argv_free(&split->apt);
}

/**
 * The configuration items apt-get's arguments args set, in order, into
 * out (empty before): what the proof must apply to see what the purge's
 * apt-get will see. An argument apt-get 2.6 does not accept is skipped:
 * apt-get stops at it and does nothing. Returns 0 or -ENOMEM (out is then
 * empty).
 */
int
cli_apt_translate(const struct cli_argv *args, struct kp_apt_config *out)
{
	static const struct poptOption none[] = { POPT_TABLEEND };
	struct cli_split scratch;
	struct kp_error err;
	struct scan s = {
		.argc = (int)args->n,
		.argv = (const char *const *)args->v,
		.ours = none,
		.out = &scratch,
		.err = &err,
		.config = out,
	};
	int r = 0;

	memset(&scratch, 0, sizeof(scratch));
	for (s.i = 0; r != -ENOMEM && s.i < s.argc; s.i++)
		r = scan_one(&s);
	cli_split_free(&scratch);
	if (r == -ENOMEM)
		kp_apt_config_free(out);
	return r == -ENOMEM ? r : 0;
}
