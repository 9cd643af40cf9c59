/*
 * purge-old-kernels - the command line: our options, parsed with popt, and
 * apt-get's arguments, passed on.
 *
 * The popt table is the one description of our options: the split between
 * us and apt-get reads it, popt parses with it, --help prints it.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <popt.h>

#include "kpurge.h"
#include "log.h"
#include "options.h"

enum {
	OPT_KEEP = 1,
	OPT_DRY_RUN,
	OPT_LIST,
	OPT_JSON,
	OPT_QUIET,
	OPT_ROOT,
	OPT_RUNNING,
	OPT_PROTECT,
	OPT_FIX,
	OPT_ORPHANS,
	OPT_ONLY_AUTO,
	OPT_HOOK,
	OPT_GUARD,
	OPT_AUTO,
	OPT_STATUS,
	OPT_HELP,
	OPT_USAGE,
	OPT_VERSION,
};

/*
 * One line each in --help (the man page says the same), and every line of
 * --help fits 79 columns: t-cli-args checks both.
 */
static const struct poptOption option_table[] = {
	{ "keep", 'k', POPT_ARG_STRING, NULL, OPT_KEEP,
	  "keep N newest kernels besides the running (default 2)", "N" },
	{ "dry-run", 'n', POPT_ARG_NONE, NULL, OPT_DRY_RUN,
	  "show what would be purged, change nothing (no root)", NULL },
	{ "list", 'l', POPT_ARG_NONE, NULL, OPT_LIST,
	  "list releases and why; packages found by structure", NULL },
	{ "json", '\0', POPT_ARG_NONE, NULL, OPT_JSON,
	  "with --list or --dry-run: the plan as JSON", NULL },
	{ "quiet", 'q', POPT_ARG_NONE, NULL, OPT_QUIET,
	  "no \"No kernels are eligible for removal.\" (for cron)", NULL },
	{ "root", '\0', POPT_ARG_STRING, NULL, OPT_ROOT,
	  "clean the system installed at DIR (chroot, image)", "DIR" },
	{ "running", '\0', POPT_ARG_STRING, NULL, OPT_RUNNING,
	  "take RELEASE as the running kernel (none: no kernel)", "RELEASE" },
	{ "protect", '\0', POPT_ARG_STRING, NULL, OPT_PROTECT,
	  "never purge RELEASE, or every flavour of a version", "RELEASE" },
	{ "only-auto-installed", '\0', POPT_ARG_NONE, NULL, OPT_ONLY_AUTO,
	  "purge only releases apt marks automatic", NULL },
	{ "fix", '\0', POPT_ARG_NONE, NULL, OPT_FIX,
	  "recover a full /boot that apt-get refuses to touch", NULL },
	{ "orphans", '\0', POPT_ARG_NONE, NULL, OPT_ORPHANS,
	  "then remove files of gone kernels no package owns", NULL },
	{ "hook", '\0', POPT_ARG_NONE, NULL, OPT_HOOK,
	  "apt's DPkg::Post-Invoke hook: report; never fails", NULL },
	{ "guard", '\0', POPT_ARG_NONE, NULL, OPT_GUARD,
	  "Pre-Install-Pkgs hook: stop a kernel /boot can't hold", NULL },
	{ "auto", '\0', POPT_ARG_NONE, NULL, OPT_AUTO,
	  "the periodic job: purge as configured, log it", NULL },
	{ "status", '\0', POPT_ARG_STRING, NULL, OPT_STATUS,
	  "print a cheap status: byobu or prometheus", "FORMAT" },
	{ "help", 'h', POPT_ARG_NONE, NULL, OPT_HELP, "show this help and exit",
	  NULL },
	{ "usage", '\0', POPT_ARG_NONE, NULL, OPT_USAGE,
	  "show a short usage message and exit", NULL },
	{ "version", 'V', POPT_ARG_NONE, NULL, OPT_VERSION,
	  "show the version and exit", NULL },
	POPT_TABLEEND
};

/* --help's two columns: the option, then its description. */
#define HELP_OPTION_WIDTH 25

/* The text as --help prints it, a line a line. */
/* clang-format off */
static const char help_footer[] =
"\n"
"Every other argument goes to apt-get, unchanged and in order, before the\n"
"command it runs:\n"
"  apt-get [APT-GET-ARGUMENT...] -o APT::Get::AutomaticRemove=false -o\n"
"  APT::Get::AutomaticRemove::Kernels=false remove --purge PACKAGE...\n"
"(for example -y, -s, -o Name=Value, -c FILE, -qq). The two options after\n"
"them keep apt-get from autoremoving anything beside the plan, and the plan\n"
"is proved with what the arguments set. An option neither\n"
"purge-old-kernels nor apt-get knows is an error; arguments after \"--\" go\n"
"to apt-get unchecked. -q, -n, -h and -V are purge-old-kernels' own; -qq\n"
"and -q=N go to apt-get and make purge-old-kernels quiet too (-q=0 not).\n"
"\n"
"A purge needs root; --dry-run, --list and apt-get's -s do not. With both\n"
"--list and --dry-run, the table comes first, then the plan. With --root,\n"
"no kernel runs unless --running says so; a DIR that is / however spelt\n"
"(//, /., a link to /) is this system. --protect can be given more than\n"
"once; one that names nothing installed is an error. --list and --json\n"
"show the files of removed kernels that no package owns (orphans);\n"
"--orphans removes them after the purge (as root), --dry-run --orphans\n"
"shows each.\n"
"\n"
"KEEP and PROTECT in the configuration file, purge-old-kernels.conf(5),\n"
"apply unless --keep is given; --protect adds to PROTECT. --hook, --guard,\n"
"--auto and --status are for apt, cron or systemd, Byobu and node_exporter;\n"
"the man page says how to set them up. --guard exits 3 to stop apt's run;\n"
"GUARD=no or PURGE_OLD_KERNELS_GUARD=no turns it off.\n"
"\n"
"Every plan is checked with apt-get's own resolver: a release apt-get would\n"
"take along or replace is kept (\"needed by ...\"). A purge on a broken\n"
"system (unmet dependencies, a half-configured package) is refused with\n"
"what to run. --fix purges the plan's old kernels with dpkg --purge, then\n"
"runs dpkg --configure -a and apt-get -f --no-remove install (other\n"
"arguments go to that apt-get); --fix --dry-run shows the steps.\n"
"\n"
"Exit status: 0 success or nothing to purge; 1 error (dpkg database, root\n"
"directory, privileges, plan, a broken system); 2 usage error; otherwise\n"
"apt-get's status (128+N when apt-get was killed by signal N), with what is\n"
"left to purge, or \"nothing was purged\"; with --fix, the status of the\n"
"step that failed.\n";
/* clang-format on */

/* ------------------------------------------------------------ values */

/* err filled (-EINVAL and one sentence); returns CLI_EXIT_USAGE. */
__attribute__((format(printf, 2, 3))) static int
usage_error(struct kp_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_put_verror(err, -EINVAL, fmt, ap);
	va_end(ap);
	return CLI_EXIT_USAGE;
}

/* --keep: digits only (no sign, no blanks), 0 to KP_KEEP_MAX. */
static int
parse_keep(const char *text, unsigned *keep, struct kp_error *err)
{
	unsigned long n;
	char *end;

	if (text[0] == '\0')
		return usage_error(err, "--keep needs a number from 0 to %u",
		                   KP_KEEP_MAX);
	errno = 0;
	n = strtoul(text, &end, 10);
	if (strspn(text, "0123456789") != strlen(text) || *end != '\0' ||
	    errno == ERANGE || n > KP_KEEP_MAX)
		return usage_error(err,
		                   "--keep takes a number from "
		                   "0 to %u, not '%s'",
		                   KP_KEEP_MAX, text);
	*keep = (unsigned)n;
	return 0;
}

/* --status: the formats there are. */
static int
parse_status(const char *text, struct kp_error *err)
{
	if (strcmp(text, "byobu") == 0 || strcmp(text, "prometheus") == 0)
		return 0;
	return usage_error(err,
	                   "--status takes byobu or prometheus, "
	                   "not '%s'",
	                   text);
}

/*
 * --running and --protect take a release as uname -r prints it, by the
 * grammar of lib/names.c (package names hold only [a-z0-9.+-]); --protect
 * also a version without its flavour. Anything else could never name an
 * installed kernel, and would reach apt's patterns as a pattern.
 */
static int
check_release(int id, const char *arg, struct kp_error *err)
{
	if (kp_release_split(arg, NULL, 0, NULL, 0))
		return 0;
	if (id == OPT_RUNNING)
		return usage_error(err,
		                   "--running takes a kernel "
		                   "release as uname -r prints it (such as "
		                   "6.8.0-40-generic) or none, not '%s'",
		                   arg);
	return usage_error(
	        err,
	        "--protect takes a kernel release "
	        "(such as 6.8.0-40-generic) or a version (6.8.0-40), "
	        "not '%s'",
	        arg);
}

/**
 * Add release to opts->protect (which then owns it); where is "FILE:LINE"
 * for a value read from the configuration file, NULL for the command
 * line (copied). Returns 0 or -ENOMEM (release is then not owned).
 */
int
cli_options_add_protect(struct cli_options *opts, char *release,
                        const char *where)
{
	size_t n = opts->n_protect + 1;
	char **v = realloc(opts->protect, n * sizeof(*v));
	char **w, *copy = NULL;

	if (v == NULL)
		return -ENOMEM;
	opts->protect = v;
	w = realloc(opts->protect_where, n * sizeof(*w));
	if (w == NULL)
		return -ENOMEM;
	opts->protect_where = w;
	if (where != NULL && (copy = strdup(where)) == NULL)
		return -ENOMEM;
	v[opts->n_protect] = release;
	w[opts->n_protect] = copy;
	opts->n_protect++;
	return 0;
}

/*
 * Does dir name this system's root: the same file as "/" (//, /., /tmp/..,
 * a symlink to /, a bind mount of /)? A name that cannot be examined is
 * not; opening the system there reports why.
 */
static bool
is_this_system(const char *dir)
{
	struct stat a, b;

	return stat(dir, &a) == 0 && stat("/", &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Replace *slot with value, which the options now own. */
static void
set_string(char **slot, char *value)
{
	free(*slot);
	*slot = value;
}

/* ------------------------------------------------------------ modes */

#define CLI_MODE_INFO_(name, option, flags, log, handler)                      \
	[CLI_MODE_##name] = { option, flags, log },
static const struct cli_mode_info mode_table[CLI_MODE_COUNT] = { CLI_MODES(
	CLI_MODE_INFO_) };
#undef CLI_MODE_INFO_

const struct cli_mode_info *
cli_mode_info(enum cli_mode mode)
{
	return &mode_table[mode < CLI_MODE_COUNT ? mode : CLI_MODE_PURGE];
}

/* "--hook, --auto and --status": the modes of their own, from the table. */
static void
alone_modes(char *buf, size_t size)
{
	size_t i, n = 0, total = 0, len = 0;

	for (i = 0; i < CLI_MODE_COUNT; i++)
		total += (mode_table[i].flags & CLI_MODE_ALONE) != 0;
	buf[0] = '\0';
	for (i = 0; i < CLI_MODE_COUNT && len < size; i++) {
		if (!(mode_table[i].flags & CLI_MODE_ALONE))
			continue;
		n++;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		                        n == 1     ? "" :
		                        n == total ? " and " :
		                                     ", ",
		                        mode_table[i].option);
	}
}

/*
 * A mode of its own (--hook, --auto, --status), set once: a second one is
 * an error. The others (--list, --dry-run, --fix) combine and are settled
 * after the options are read (settle_mode()).
 */
static int
set_mode(struct cli_options *opts, enum cli_mode mode, struct kp_error *err)
{
	char names[256];

	if (opts->mode == CLI_MODE_PURGE || opts->mode == mode) {
		opts->mode = mode;
		return 0;
	}
	alone_modes(names, sizeof(names));
	return usage_error(err, "%s do not go together", names);
}

/* An option with a value; takes arg (malloc'd by popt) in every case. */
static int
apply_value(struct cli_options *opts, int id, char *arg, struct kp_error *err)
{
	static const char *const names[] = {
		[OPT_KEEP] = "--keep",       [OPT_ROOT] = "--root",
		[OPT_RUNNING] = "--running", [OPT_PROTECT] = "--protect",
		[OPT_STATUS] = "--status",
	};
	int r = 0;

	if (arg == NULL || (arg[0] == '\0' && id != OPT_KEEP)) {
		free(arg);
		return usage_error(err, "%s needs a value", names[id]);
	}
	if (id == OPT_KEEP) {
		r = parse_keep(arg, &opts->keep, err);
		opts->keep_set = r == 0;
		free(arg);
	} else if (id == OPT_STATUS) {
		r = parse_status(arg, err);
		set_string(&opts->status, arg);
		if (r == 0)
			r = set_mode(opts, CLI_MODE_STATUS, err);
	} else if (id == OPT_ROOT) {
		/*
		 * "This system" is decided once, here: every later choice
		 * (the running kernel, the state files, dpkg's directories)
		 * sees NULL, however / was spelt.
		 */
		if (is_this_system(arg)) {
			free(arg);
			arg = NULL;
		}
		set_string(&opts->root, arg);
	} else if (id == OPT_RUNNING) {
		/* "none": no kernel of this system runs (an image) */
		opts->running_none = strcmp(arg, "none") == 0;
		if (!opts->running_none)
			r = check_release(id, arg, err);
		if (opts->running_none || r != 0) {
			free(arg);
			arg = NULL;
		}
		set_string(&opts->running, arg);
	} else if ((r = check_release(id, arg, err)) != 0) {
		free(arg);
	} else if (cli_options_add_protect(opts, arg, NULL) < 0) {
		free(arg);
		cli_put_error(err, -ENOMEM, "out of memory");
		r = CLI_EXIT_ERROR;
	}
	return r;
}

static int
apply_option(struct cli_options *opts, int id, char *arg, struct kp_error *err)
{
	switch (id) {
	case OPT_DRY_RUN:
		opts->dry_run = true;
		break;
	case OPT_LIST:
		opts->list = true;
		break;
	case OPT_JSON:
		opts->json = true;
		break;
	case OPT_QUIET:
		opts->quiet = true;
		break;
	case OPT_FIX:
		opts->fix = true;
		break;
	case OPT_ORPHANS:
		opts->orphans = true;
		break;
	case OPT_ONLY_AUTO:
		opts->only_auto_installed = true;
		break;
	case OPT_HOOK:
		free(arg);
		return set_mode(opts, CLI_MODE_HOOK, err);
	case OPT_GUARD:
		free(arg);
		return set_mode(opts, CLI_MODE_GUARD, err);
	case OPT_AUTO:
		free(arg);
		return set_mode(opts, CLI_MODE_AUTO, err);
	case OPT_HELP:
		opts->help = true;
		break;
	case OPT_USAGE:
		opts->usage = true;
		break;
	case OPT_VERSION:
		opts->version = true;
		break;
	default:
		return apply_value(opts, id, arg, err);
	}
	free(arg);
	return 0;
}

/* Our options, already split from apt-get's, through popt. */
static int
read_options(poptContext ctx, struct cli_options *opts, struct kp_error *err)
{
	const char *extra;
	int id, r = 0;

	while (r == 0 && (id = poptGetNextOpt(ctx)) > 0)
		r = apply_option(opts, id, poptGetOptArg(ctx), err);
	if (r != 0)
		return r;
	if (id < -1)
		return usage_error(err, "%s: %s",
		                   poptBadOption(ctx, POPT_BADOPTION_NOALIAS),
		                   poptStrerror(id));
	/* The split leaves popt no arguments; this guards against a change. */
	extra = poptGetArg(ctx);
	if (extra != NULL)
		return usage_error(err, "unexpected argument '%s'", extra);
	return 0;
}

/* The mode, once the options are read: --fix, --list, --dry-run, a purge. */
static void
settle_mode(struct cli_options *opts)
{
	if (opts->mode != CLI_MODE_PURGE)
		return;
	opts->mode = opts->fix     ? CLI_MODE_FIX :
	             opts->list    ? CLI_MODE_LIST :
	             opts->dry_run ? CLI_MODE_DRY_RUN :
	                             CLI_MODE_PURGE;
}

/* What the mode's row allows: a mode of its own, apt-get's arguments. */
static int
check_mode(const struct cli_options *opts, struct kp_error *err)
{
	const struct cli_mode_info *m = cli_mode_info(opts->mode);

	if ((m->flags & CLI_MODE_ALONE) &&
	    (opts->list || opts->dry_run || opts->json || opts->fix ||
	     opts->orphans))
		return usage_error(err, "%s does not go with %s", m->option,
		                   opts->list    ? "--list" :
		                   opts->dry_run ? "--dry-run" :
		                   opts->json    ? "--json" :
		                   opts->fix     ? "--fix" :
		                                   "--orphans");
	if (!(m->flags & CLI_MODE_APT_ARGS) && opts->args.apt.n > 0)
		return usage_error(err,
		                   "%s runs no apt-get; '%s' is "
		                   "apt-get's",
		                   m->option, opts->args.apt.v[0]);
	if ((m->flags & CLI_MODE_NO_SIMULATE) && opts->args.apt_simulate)
		return usage_error(err,
		                   "%s purges for real; "
		                   "apt-get's simulation does not go with it",
		                   m->option);
	return 0;
}

static int
check_combination(const struct cli_options *opts, struct kp_error *err)
{
	int r = check_mode(opts, err);

	if (r != 0)
		return r;
	if (opts->fix && (opts->list || opts->json))
		return usage_error(err,
		                   "--fix does not go with %s; "
		                   "use --fix --dry-run to see its steps",
		                   opts->list ? "--list" : "--json");
	if (opts->fix && opts->orphans)
		return usage_error(err, "--fix does not go with --orphans; "
		                        "run --orphans once --fix is done");
	if (opts->json && !opts->list && !opts->dry_run)
		return usage_error(err, "--json works only with "
		                        "--list or --dry-run");
	/* dpkg runs for real in --fix: apt-get's -s cannot make it simulate. */
	if (opts->fix && opts->args.apt_simulate)
		return usage_error(
		        err, "--fix runs dpkg itself, which "
		             "apt-get's simulation does not cover; use --fix "
		             "--dry-run to see its steps");
	return 0;
}

/**
 * Parse the command line into *opts, which the caller frees with
 * cli_options_free() whatever the result. Returns 0, or CLI_EXIT_USAGE
 * (CLI_EXIT_ERROR when out of memory) with one sentence in err.
 */
int
cli_options_parse(struct cli_options *opts, int argc, const char *const *argv,
                  struct kp_error *err)
{
	poptContext ctx;
	int r;

	memset(opts, 0, sizeof(*opts));
	opts->keep = KP_KEEP_DEFAULT;
	r = cli_split_args(argc, argv, option_table, &opts->args, err);
	if (r < 0)
		return r == -ENOMEM ? CLI_EXIT_ERROR : CLI_EXIT_USAGE;
	ctx = poptGetContext(CLI_NAME, (int)opts->args.ours.n,
	                     (const char **)opts->args.ours.v, option_table, 0);
	if (ctx == NULL) {
		cli_put_error(err, -ENOMEM, "out of memory");
		return CLI_EXIT_ERROR;
	}
	r = read_options(ctx, opts, err);
	poptFreeContext(ctx);
	if (r != 0 || opts->help || opts->usage || opts->version)
		return r;
	/* -qq is apt-get's, but whoever asks apt-get for quiet wants quiet. */
	opts->quiet = opts->quiet || opts->args.apt_quiet;
	settle_mode(opts);
	return check_combination(opts, err);
}

void
cli_options_free(struct cli_options *opts)
{
	size_t i;

	free(opts->root);
	free(opts->running);
	free(opts->status);
	for (i = 0; i < opts->n_protect; i++) {
		free(opts->protect[i]);
		free(opts->protect_where[i]);
	}
	free(opts->protect);
	free(opts->protect_where);
	cli_split_free(&opts->args);
	memset(opts, 0, sizeof(*opts));
}

/* ------------------------------------------------- protected values */

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* Levenshtein distance of a and b; (size_t)-1 for names too long. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t row[KP_NAME_MAX + 1], la = strlen(a), lb = strlen(b), i, j;

	if (la > KP_NAME_MAX || lb > KP_NAME_MAX)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];

			row[j] = min3(row[j] + 1, row[j - 1] + 1,
			              diag + (a[i - 1] != b[j - 1]));
			diag = up;
		}
	}
	return row[lb];
}

/* Add name to the suggestions in buf ("a", "a or b", "a, b or c"). */
static void
add_suggestion(char *buf, size_t size, size_t *n, const char *name)
{
	char * or = strstr(buf, " or ");

	if (*n == 0)
		snprintf(buf, size, "%s", name);
	else if (or == NULL)
		snprintf(buf + strlen(buf), size - strlen(buf), " or %s", name);
	else {
		char last[KP_NAME_MAX + 8];

		snprintf(last, sizeof(last), "%s", or +4);
		snprintf(or, size - (size_t)(or -buf), ", %s or %s", last,
		         name);
	}
	(*n)++;
}

/*
 * Into buf, the installed releases and versions closest to value, if any
 * is a typo's worth of edits away (a third of its length, at least 2):
 * every one at the least distance, newest first. "" when none is close.
 */
static void
closest_releases(const struct kp_plan *plan, const char *value, char *buf,
                 size_t size)
{
	size_t i, k, n = 0,
	             best = strlen(value) / 3 > 2 ? strlen(value) / 3 : 2;

	buf[0] = '\0';
	for (i = 0; i < kp_plan_n_releases(plan); i++) {
		const struct kp_release *r = kp_plan_release(plan, i);
		const struct kp_release *prev = i ? kp_plan_release(plan,
		                                                    i - 1) :
		                                    NULL;
		const char *names[] = { r->name, r->abi };
		/* A version once, though flavours share it (they are next). */
		bool abi_again = strcmp(r->abi, r->name) == 0 ||
		                 (prev != NULL &&
		                  strcmp(prev->abi, r->abi) == 0);

		for (k = 0; k < (abi_again ? 1u : 2u); k++) {
			size_t d = edit_distance(value, names[k]);

			if (d > best)
				continue;
			if (d < best || n == 0) {
				best = d;
				n = 0;
				buf[0] = '\0';
			}
			add_suggestion(buf, size, &n, names[k]);
		}
	}
}

/**
 * Check the protected values against the plan made with them. One that
 * names nothing installed is, from the command line, a usage error
 * (returns CLI_EXIT_USAGE, err filled, with "did you mean" when a close
 * name exists); from the configuration file, a warning naming its file
 * and line. Returns 0 otherwise.
 */
int
cli_protect_check(const struct cli_options *opts, const struct kp_plan *plan,
                  struct kp_error *err)
{
	char close[512], hint[600];
	size_t i;

	for (i = 0; i < opts->n_protect; i++) {
		const char *v = opts->protect[i];

		if (kp_plan_protect_matches(plan, v) > 0)
			continue;
		closest_releases(plan, v, close, sizeof(close));
		snprintf(hint, sizeof(hint), "; did you mean %s?", close);
		if (opts->protect_where[i] == NULL)
			return usage_error(err,
			                   "--protect=%s: no "
			                   "such kernel release or version is "
			                   "installed%s",
			                   v, close[0] ? hint : "");
		cli_warn("%s: PROTECT=%s: no such kernel release or version "
		         "is installed%s",
		         opts->protect_where[i], v, close[0] ? hint : "");
	}
	return 0;
}

/** The mode changes the system, and --dry-run does not hold it back. */
bool
cli_options_purging(const struct cli_options *opts)
{
	return (cli_mode_info(opts->mode)->flags & CLI_MODE_CHANGES) &&
	       !opts->dry_run;
}

/** --fix, for real: dpkg and apt-get change the system. */
bool
cli_options_fixing(const struct cli_options *opts)
{
	return opts->mode == CLI_MODE_FIX && !opts->dry_run;
}

/* ------------------------------------------------------------- help */

static poptContext
help_context(void)
{
	static const char *const argv[] = { CLI_NAME, NULL };
	poptContext ctx = poptGetContext(CLI_NAME, 1, (const char **)argv,
	                                 option_table, 0);

	if (ctx != NULL)
		poptSetOtherOptionHelp(ctx,
		                       "[OPTION...] [APT-GET-ARGUMENT...]");
	return ctx;
}

/* "  -k, --keep=N", then the description from the option's column on. */
static void
print_option_help(FILE *out, const struct poptOption *o)
{
	char left[64];

	if (o->shortName != '\0')
		snprintf(left, sizeof(left), "  -%c, --%s%s%s", o->shortName,
		         o->longName, o->argDescrip ? "=" : "",
		         o->argDescrip ? o->argDescrip : "");
	else
		snprintf(left, sizeof(left), "      --%s%s%s", o->longName,
		         o->argDescrip ? "=" : "",
		         o->argDescrip ? o->argDescrip : "");
	fprintf(out, "%-*s %s\n", HELP_OPTION_WIDTH, left, o->descrip);
}

/*
 * popt's own help wraps descriptions at the terminal's width; this one
 * keeps one line per option, as in the man page.
 */
void
cli_print_help(FILE *out)
{
	const struct poptOption *o;

	fprintf(out, "Usage: %s [OPTION...] [APT-GET-ARGUMENT...]\n", CLI_NAME);
	fputs("Purge old kernel packages, keeping the running kernel and the "
	      "newest ones.\n\n",
	      out);
	for (o = option_table; o->longName != NULL; o++)
		print_option_help(out, o);
	fputs(help_footer, out);
}

void
cli_print_usage(FILE *out)
{
	poptContext ctx = help_context();

	if (ctx == NULL)
		return;
	poptPrintUsage(ctx, out, 0);
	poptFreeContext(ctx);
}

void
cli_print_version(FILE *out)
{
	fprintf(out, "%s %s\n", CLI_NAME, PACKAGE_VERSION);
	fputs("License GPL-2.0-or-later: GNU GPL version 2 or later.\n"
	      "This is free software: you are free to change and redistribute "
	      "it.\nThere is NO WARRANTY, to the extent permitted by law.\n",
	      out);
}
