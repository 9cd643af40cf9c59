/*
 * t-cli-args: the command line of purge-old-kernels (cli/options.c and
 * cli/apt-args.c): which arguments are ours, which go to apt-get and in
 * what order, and which are refused with what exit code and message.
 *
 * One table row per command line; each row is a test of its own.
 */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apt-args.h"
#include "kpurge-app.h"
#include "kpurge.h"
#include "options.h"

/* A NULL-terminated list of strings, for the tables. */
#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define EMPTY ((const char *const[]){ NULL })

enum {
	F_DRY_RUN = 1 << 0,
	F_LIST = 1 << 1,
	F_JSON = 1 << 2,
	F_QUIET = 1 << 3,
	F_SIMULATE = 1 << 4, /* apt-get would only simulate */
	F_NONE = 1 << 5,     /* --running=none */
	F_HELP = 1 << 6,
	F_USAGE = 1 << 7,
	F_VERSION = 1 << 8,
};

/* A command line that parses, and what it must give. */
struct good {
	const char *name;
	const char *const *args; /* after argv[0] */
	unsigned flags;
	unsigned keep;
	const char *const *apt; /* apt-get's arguments, in order */
	size_t n_unchecked;
	const char *root;
	const char *running;
	const char *const *protect;
};

#define K KP_KEEP_DEFAULT

static const struct good good_cases[] = {
	/* ours */
	{ "nothing", EMPTY, 0, K, EMPTY, 0, NULL, NULL, NULL },
	{ "-k 3", L("-k", "3"), 0, 3, EMPTY, 0, NULL, NULL, NULL },
	{ "-k3", L("-k3"), 0, 3, EMPTY, 0, NULL, NULL, NULL },
	{ "-k=4", L("-k=4"), 0, 4, EMPTY, 0, NULL, NULL, NULL },
	{ "--keep=0", L("--keep=0"), 0, 0, EMPTY, 0, NULL, NULL, NULL },
	{ "--keep 5", L("--keep", "5"), 0, 5, EMPTY, 0, NULL, NULL, NULL },
	{ "--keep=1000", L("--keep=1000"), 0, 1000, EMPTY, 0, NULL, NULL,
	  NULL },
	{ "--keep=007", L("--keep=007"), 0, 7, EMPTY, 0, NULL, NULL, NULL },
	{ "last --keep wins", L("--keep=1", "-k", "6"), 0, 6, EMPTY, 0, NULL,
	  NULL, NULL },
	{ "-n", L("-n"), F_DRY_RUN, K, EMPTY, 0, NULL, NULL, NULL },
	{ "--dry-run", L("--dry-run"), F_DRY_RUN, K, EMPTY, 0, NULL, NULL,
	  NULL },
	{ "-l", L("-l"), F_LIST, K, EMPTY, 0, NULL, NULL, NULL },
	{ "-nl", L("-nl"), F_DRY_RUN | F_LIST, K, EMPTY, 0, NULL, NULL, NULL },
	{ "--list --json", L("--list", "--json"), F_LIST | F_JSON, K, EMPTY, 0,
	  NULL, NULL, NULL },
	{ "--json --dry-run", L("--json", "--dry-run"), F_DRY_RUN | F_JSON, K,
	  EMPTY, 0, NULL, NULL, NULL },
	{ "-q", L("-q"), F_QUIET, K, EMPTY, 0, NULL, NULL, NULL },
	{ "--quiet", L("--quiet"), F_QUIET, K, EMPTY, 0, NULL, NULL, NULL },
	{ "--root=/mnt", L("--root=/mnt"), 0, K, EMPTY, 0, "/mnt", NULL, NULL },
	{ "--root DIR", L("--root", "/srv/image"), 0, K, EMPTY, 0, "/srv/image",
	  NULL, NULL },
	/* / however spelt is this system: no root */
	{ "--root=/", L("--root=/"), 0, K, EMPTY, 0, NULL, NULL, NULL },
	{ "--root=//", L("--root=//"), 0, K, EMPTY, 0, NULL, NULL, NULL },
	{ "--root=/.", L("--root=/."), 0, K, EMPTY, 0, NULL, NULL, NULL },
	{ "--root=/tmp/..", L("--root=/tmp/.."), 0, K, EMPTY, 0, NULL, NULL,
	  NULL },
	{ "--root=/tmp/../mnt/..", L("--root", "/tmp/../mnt/.."), 0, K, EMPTY,
	  0, NULL, NULL, NULL },
	{ "--running=none", L("--running=none"), F_NONE, K, EMPTY, 0, NULL,
	  NULL, NULL },
	{ "--running RELEASE", L("--running", "6.1.0-18-amd64"), 0, K, EMPTY, 0,
	  NULL, "6.1.0-18-amd64", NULL },
	{ "last --running wins",
	  L("--running=none", "--running=5.15.0-91-generic"), 0, K, EMPTY, 0,
	  NULL, "5.15.0-91-generic", NULL },
	{ "--running=none wins last",
	  L("--running=5.15.0-91-generic", "--running=none"), F_NONE, K, EMPTY,
	  0, NULL, NULL, NULL },
	{ "--protect twice",
	  L("--protect=6.8.0-31-generic", "--protect", "6.8.0-40-generic"), 0,
	  K, EMPTY, 0, NULL, NULL, L("6.8.0-31-generic", "6.8.0-40-generic") },
	{ "--protect=VERSION", L("--protect=6.8.0-40"), 0, K, EMPTY, 0, NULL,
	  NULL, L("6.8.0-40") },
	{ "--protect custom",
	  L("--protect=6.7.0-rc1+", "--running=6.6.1-custom"), 0, K, EMPTY, 0,
	  NULL, "6.6.1-custom", L("6.7.0-rc1+") },
	{ "-h", L("-h"), F_HELP, K, EMPTY, 0, NULL, NULL, NULL },
	{ "--help", L("--help"), F_HELP, K, EMPTY, 0, NULL, NULL, NULL },
	{ "--usage", L("--usage"), F_USAGE, K, EMPTY, 0, NULL, NULL, NULL },
	{ "-V", L("-V"), F_VERSION, K, EMPTY, 0, NULL, NULL, NULL },
	{ "--version", L("--version"), F_VERSION, K, EMPTY, 0, NULL, NULL,
	  NULL },

	/* apt-get's, unchanged and in order */
	{ "-y", L("-y"), 0, K, L("-y"), 0, NULL, NULL, NULL },
	{ "--assume-yes", L("--assume-yes"), 0, K, L("--assume-yes"), 0, NULL,
	  NULL, NULL },
	{ "long names without case", L("--Assume-YES"), 0, K, L("--Assume-YES"),
	  0, NULL, NULL, NULL },
	{ "-y yes takes the word", L("-y", "yes"), 0, K, L("-y", "yes"), 0,
	  NULL, NULL, NULL },
	{ "--yes=true", L("--yes=true"), 0, K, L("--yes=true"), 0, NULL, NULL,
	  NULL },
	{ "-o Name=Value", L("-o", "Dir::Cache=/tmp/c"), 0, K,
	  L("-o", "Dir::Cache=/tmp/c"), 0, NULL, NULL, NULL },
	{ "-oName=Value", L("-oDebug::NoLocking=1"), 0, K,
	  L("-oDebug::NoLocking=1"), 0, NULL, NULL, NULL },
	{ "-o=Name=Value", L("-o=Debug::NoLocking=1"), 0, K,
	  L("-o=Debug::NoLocking=1"), 0, NULL, NULL, NULL },
	{ "--option Name=Value", L("--option", "A::B=c"), 0, K,
	  L("--option", "A::B=c"), 0, NULL, NULL, NULL },
	{ "--option=Name=Value", L("--option=A::B=c"), 0, K,
	  L("--option=A::B=c"), 0, NULL, NULL, NULL },
	{ "-o Name= (empty value)", L("-o", "A::B="), 0, K, L("-o", "A::B="), 0,
	  NULL, NULL, NULL },
	{ "-c FILE", L("-c", "/etc/apt/other.conf"), 0, K,
	  L("-c", "/etc/apt/other.conf"), 0, NULL, NULL, NULL },
	{ "-cFILE", L("-c/etc/apt/other.conf"), 0, K,
	  L("-c/etc/apt/other.conf"), 0, NULL, NULL, NULL },
	{ "--config-file=FILE", L("--config-file=/x.conf"), 0, K,
	  L("--config-file=/x.conf"), 0, NULL, NULL, NULL },
	{ "-t stable", L("-t", "stable"), 0, K, L("-t", "stable"), 0, NULL,
	  NULL, NULL },
	{ "-tstable", L("-tstable"), 0, K, L("-tstable"), 0, NULL, NULL, NULL },
	{ "--target-release X", L("--target-release", "bookworm"), 0, K,
	  L("--target-release", "bookworm"), 0, NULL, NULL, NULL },
	{ "--solver=internal", L("--solver=internal"), 0, K,
	  L("--solver=internal"), 0, NULL, NULL, NULL },
	{ "--no-download", L("--no-download"), 0, K, L("--no-download"), 0,
	  NULL, NULL, NULL },
	{ "--no-install-recommends", L("--no-install-recommends"), 0, K,
	  L("--no-install-recommends"), 0, NULL, NULL, NULL },
	{ "--without-install-recommends", L("--without-install-recommends"), 0,
	  K, L("--without-install-recommends"), 0, NULL, NULL, NULL },
	{ "--download=no", L("--download=no"), 0, K, L("--download=no"), 0,
	  NULL, NULL, NULL },
	{ "--no-f", L("--no-f"), 0, K, L("--no-f"), 0, NULL, NULL, NULL },
	{ "--verbose-versions is apt-get's", L("--verbose-versions"), 0, K,
	  L("--verbose-versions"), 0, NULL, NULL, NULL },
	{ "several, in order",
	  L("-y", "--keep=1", "-o", "A=b", "--purge", "-f", "--auto-remove"), 0,
	  1, L("-y", "-o", "A=b", "--purge", "-f", "--auto-remove"), 0, NULL,
	  NULL, NULL },
	{ "-yd (all apt-get's)", L("-yd"), 0, K, L("-yd"), 0, NULL, NULL,
	  NULL },
	{ "-yoA=b", L("-yoA=b"), 0, K, L("-yoA=b"), 0, NULL, NULL, NULL },
	{ "-yo A=b", L("-yo", "A=b"), 0, K, L("-yo", "A=b"), 0, NULL, NULL,
	  NULL },

	/* groups of ours and apt-get's letters are split */
	{ "-yn", L("-yn"), F_DRY_RUN, K, L("-y"), 0, NULL, NULL, NULL },
	{ "-ny", L("-ny"), F_DRY_RUN, K, L("-y"), 0, NULL, NULL, NULL },
	{ "-yk3", L("-yk3"), 0, 3, L("-y"), 0, NULL, NULL, NULL },
	{ "-yk 3", L("-yk", "3"), 0, 3, L("-y"), 0, NULL, NULL, NULL },
	{ "-ysnl", L("-ysnl"), F_DRY_RUN | F_LIST | F_SIMULATE, K,
	  L("-y", "-s"), 0, NULL, NULL, NULL },
	{ "-nyoA=b", L("-nyoA=b"), F_DRY_RUN, K, L("-y", "-oA=b"), 0, NULL,
	  NULL, NULL },
	{ "-ynt stable", L("-ynt", "stable"), F_DRY_RUN, K,
	  L("-y", "-t", "stable"), 0, NULL, NULL, NULL },

	/* -q is ours; apt-get's levels go to apt-get and quiet us too */
	{ "-yq", L("-yq"), F_QUIET, K, L("-y"), 0, NULL, NULL, NULL },
	{ "-qq", L("-qq"), F_QUIET, K, L("-qq"), 0, NULL, NULL, NULL },
	{ "-yqq", L("-yqq"), F_QUIET, K, L("-yqq"), 0, NULL, NULL, NULL },
	{ "-q=2", L("-q=2"), F_QUIET, K, L("-q=2"), 0, NULL, NULL, NULL },
	{ "-q2", L("-q2"), F_QUIET, K, L("-q2"), 0, NULL, NULL, NULL },
	{ "-q 2", L("-q", "2"), F_QUIET, K, L("-q", "2"), 0, NULL, NULL, NULL },
	{ "--quiet=2", L("--quiet=2"), F_QUIET, K, L("--quiet=2"), 0, NULL,
	  NULL, NULL },
	{ "--quiet 1", L("--quiet", "1"), F_QUIET, K, L("--quiet", "1"), 0,
	  NULL, NULL, NULL },
	{ "--silent", L("--silent"), F_QUIET, K, L("--silent"), 0, NULL, NULL,
	  NULL },
	/* ... but level 0 asks apt-get for no quiet at all */
	{ "-q=0", L("-q=0"), 0, K, L("-q=0"), 0, NULL, NULL, NULL },
	{ "-q0", L("-q0"), 0, K, L("-q0"), 0, NULL, NULL, NULL },
	{ "-q 0", L("-q", "0"), 0, K, L("-q", "0"), 0, NULL, NULL, NULL },
	{ "--quiet=0", L("--quiet=0"), 0, K, L("--quiet=0"), 0, NULL, NULL,
	  NULL },
	{ "--quiet 0", L("--quiet", "0"), 0, K, L("--quiet", "0"), 0, NULL,
	  NULL, NULL },

	/* simulation: no root needed; the last word wins, as in apt-get */
	{ "-s", L("-s"), F_SIMULATE, K, L("-s"), 0, NULL, NULL, NULL },
	{ "--simulate", L("--simulate"), F_SIMULATE, K, L("--simulate"), 0,
	  NULL, NULL, NULL },
	{ "--just-print", L("--just-print"), F_SIMULATE, K, L("--just-print"),
	  0, NULL, NULL, NULL },
	{ "--recon", L("--recon"), F_SIMULATE, K, L("--recon"), 0, NULL, NULL,
	  NULL },
	{ "--no-act", L("--no-act"), F_SIMULATE, K, L("--no-act"), 0, NULL,
	  NULL, NULL },
	{ "-ys", L("-ys"), F_SIMULATE, K, L("-ys"), 0, NULL, NULL, NULL },
	{ "-s no", L("-s", "no"), 0, K, L("-s", "no"), 0, NULL, NULL, NULL },
	{ "-s 0", L("-s", "0"), 0, K, L("-s", "0"), 0, NULL, NULL, NULL },
	{ "-sno", L("-sno"), 0, K, L("-sno"), 0, NULL, NULL, NULL },
	{ "-s=false", L("-s=false"), 0, K, L("-s=false"), 0, NULL, NULL, NULL },
	{ "--simulate=false", L("--simulate=false"), 0, K,
	  L("--simulate=false"), 0, NULL, NULL, NULL },
	{ "--no-simulate", L("--no-simulate"), 0, K, L("--no-simulate"), 0,
	  NULL, NULL, NULL },
	{ "--no-s", L("-s", "--no-s"), 0, K, L("-s", "--no-s"), 0, NULL, NULL,
	  NULL },
	{ "-o APT::Get::Simulate=true", L("-o", "APT::Get::Simulate=true"),
	  F_SIMULATE, K, L("-o", "APT::Get::Simulate=true"), 0, NULL, NULL,
	  NULL },
	{ "-oapt::get::simulate=1", L("-oapt::get::simulate=1"), F_SIMULATE, K,
	  L("-oapt::get::simulate=1"), 0, NULL, NULL, NULL },
	{ "-s, then Simulate=false", L("-s", "-o", "APT::Get::Simulate=false"),
	  0, K, L("-s", "-o", "APT::Get::Simulate=false"), 0, NULL, NULL,
	  NULL },
	{ "Simulate=false, then -s",
	  L("--option=APT::Get::Simulate=false", "-s"), F_SIMULATE, K,
	  L("--option=APT::Get::Simulate=false", "-s"), 0, NULL, NULL, NULL },
	{ "Simulate::Foo is another option",
	  L("-o", "APT::Get::Simulate::Foo=1"), 0, K,
	  L("-o", "APT::Get::Simulate::Foo=1"), 0, NULL, NULL, NULL },
	{ "--dry-run is ours, not apt-get's", L("--dry-run", "-y"), F_DRY_RUN,
	  K, L("-y"), 0, NULL, NULL, NULL },

	/* after "--": apt-get's, unchecked, "--" dropped */
	{ "-- anything", L("--", "--frobnicate", "-x", "word"), 0, K,
	  L("--frobnicate", "-x", "word"), 3, NULL, NULL, NULL },
	{ "-- --dry-run is apt-get's", L("-y", "--", "--dry-run"), 0, K,
	  L("-y", "--dry-run"), 1, NULL, NULL, NULL },
	{ "-- -s is not seen", L("--", "-s"), 0, K, L("-s"), 1, NULL, NULL,
	  NULL },
	{ "-- alone", L("-n", "--"), F_DRY_RUN, K, EMPTY, 0, NULL, NULL, NULL },
};

/* A command line that is refused, how, and a part of the sentence. */
struct bad {
	const char *name;
	const char *const *args;
	int code;
	const char *message;
};

static const struct bad bad_cases[] = {
	{ "unknown long option", L("--frobnicate"), CLI_EXIT_USAGE,
	  "unknown option '--frobnicate'; see --help" },
	{ "unknown option with --dry-run", L("--dry-run", "--frobnicate"),
	  CLI_EXIT_USAGE, "unknown option '--frobnicate'" },
	{ "unknown letter", L("-x"), CLI_EXIT_USAGE,
	  "unknown option '-x'; see --help" },
	{ "unknown letter in a group", L("-yx"), CLI_EXIT_USAGE,
	  "unknown option '-x' (in '-yx')" },
	{ "bare word", L("frobnicate"), CLI_EXIT_USAGE,
	  "unexpected argument 'frobnicate'" },
	{ "bare word after options", L("-y", "install", "foo"), CLI_EXIT_USAGE,
	  "unexpected argument 'install'" },
	{ "bare word after a yes/no option", L("-y", "foo"), CLI_EXIT_USAGE,
	  "unexpected argument 'foo'" },
	{ "a lone dash", L("-"), CLI_EXIT_USAGE, "unexpected argument '-'" },
	{ "--keep=-1", L("--keep=-1"), CLI_EXIT_USAGE,
	  "--keep takes a number from 0 to 1000, not '-1'" },
	{ "--keep=1001", L("--keep=1001"), CLI_EXIT_USAGE,
	  "--keep takes a number from 0 to 1000, not '1001'" },
	{ "--keep -1", L("--keep", "-1"), CLI_EXIT_USAGE, "not '-1'" },
	{ "-k -1", L("-k", "-1"), CLI_EXIT_USAGE, "not '-1'" },
	{ "--keep=abc", L("--keep=abc"), CLI_EXIT_USAGE, "not 'abc'" },
	{ "--keep=3x", L("--keep=3x"), CLI_EXIT_USAGE, "not '3x'" },
	{ "--keep=+3", L("--keep=+3"), CLI_EXIT_USAGE, "not '+3'" },
	{ "--keep=' 3'", L("--keep= 3"), CLI_EXIT_USAGE, "not ' 3'" },
	{ "--keep=1001", L("--keep=1001"), CLI_EXIT_USAGE, "not '1001'" },
	{ "--keep=99999999999999999999", L("--keep=99999999999999999999"),
	  CLI_EXIT_USAGE, "not '99999999999999999999'" },
	{ "--keep=4294967296", L("--keep=4294967296"), CLI_EXIT_USAGE,
	  "not '4294967296'" },
	{ "--keep=", L("--keep="), CLI_EXIT_USAGE, "--keep needs a number" },
	{ "--keep at the end", L("--keep"), CLI_EXIT_USAGE,
	  "option '--keep' needs a value" },
	{ "-k at the end", L("-y", "-k"), CLI_EXIT_USAGE,
	  "option '-k' needs a value" },
	{ "--json alone", L("--json"), CLI_EXIT_USAGE,
	  "--json works only with --list or --dry-run" },
	{ "--json for a purge", L("--json", "-y"), CLI_EXIT_USAGE,
	  "--json works only" },
	{ "--running=", L("--running="), CLI_EXIT_USAGE,
	  "--running needs a value" },
	{ "--root=", L("--root="), CLI_EXIT_USAGE, "--root needs a value" },
	{ "--protect=", L("--protect="), CLI_EXIT_USAGE,
	  "--protect needs a value" },
	/* releases by the grammar of names.c, never patterns */
	{ "--running=x|.*", L("--running=x|.*"), CLI_EXIT_USAGE,
	  "--running takes a kernel release as uname -r prints it (such as 6.8.0-40-generic) or none, not 'x|.*'" },
	{ "--running=6.8.0-99-generic(", L("--running=6.8.0-99-generic("),
	  CLI_EXIT_USAGE, "not '6.8.0-99-generic('" },
	{ "--running=6.8.0-99-Generic", L("--running", "6.8.0-99-Generic"),
	  CLI_EXIT_USAGE, "--running takes a kernel release" },
	{ "--running=generic", L("--running=generic"), CLI_EXIT_USAGE,
	  "--running takes a kernel release" },
	{ "--protect=6.8.0-40-generic|.*", L("--protect=6.8.0-40-generic|.*"),
	  CLI_EXIT_USAGE,
	  "--protect takes a kernel release (such as 6.8.0-40-generic) or a version (6.8.0-40), not '6.8.0-40-generic|.*'" },
	{ "--protect=6.8.0-*", L("--protect", "6.8.0-*"), CLI_EXIT_USAGE,
	  "not '6.8.0-*'" },
	{ "--protect=6.8", L("--protect=6.8"), CLI_EXIT_USAGE,
	  "--protect takes a kernel release" },
	{ "--root at the end", L("--root"), CLI_EXIT_USAGE,
	  "option '--root' needs a value" },
	{ "--dry-run=yes", L("--dry-run=yes"), CLI_EXIT_USAGE,
	  "option '--dry-run' takes no value" },
	{ "-n=1", L("-n=1"), CLI_EXIT_USAGE, "option '-n' takes no value" },
	{ "-v is apt-get's version", L("-v"), CLI_EXIT_USAGE,
	  "apt-get show its version" },
	{ "-yv", L("-yv"), CLI_EXIT_USAGE, "apt-get show its version" },
	{ "-t at the end would take 'remove'", L("-t"), CLI_EXIT_USAGE,
	  "option '-t' needs a value" },
	{ "-o at the end", L("-o"), CLI_EXIT_USAGE,
	  "option '-o' needs a value" },
	{ "--option at the end", L("-y", "--option"), CLI_EXIT_USAGE,
	  "option '--option' needs a value" },
	{ "-c followed by an option", L("-c", "-y"), CLI_EXIT_USAGE,
	  "option '-c' needs a value" },
	{ "-o without =", L("-o", "Foo"), CLI_EXIT_USAGE,
	  "option '-o' needs Name=Value, not 'Foo'" },
	{ "--option=Foo", L("--option=Foo"), CLI_EXIT_USAGE,
	  "needs Name=Value, not 'Foo'" },
	{ "-ynon: the o takes 'n'", L("-ynon"), CLI_EXIT_USAGE,
	  "needs Name=Value, not 'n'" },
	{ "--simulate=maybe", L("--simulate=maybe"), CLI_EXIT_USAGE,
	  "option '--simulate' takes yes or no, not 'maybe'" },
	{ "-s=maybe", L("-s=maybe"), CLI_EXIT_USAGE,
	  "option '-s' takes yes or no, not 'maybe'" },
	{ "-q=x", L("-q=x"), CLI_EXIT_USAGE,
	  "option '-q' takes a number, not 'x'" },
	{ "--quiet=x", L("--quiet=x"), CLI_EXIT_USAGE,
	  "option '--quiet' takes a number, not 'x'" },
	{ "--no-quiet: not yes/no", L("--no-quiet"), CLI_EXIT_USAGE,
	  "unknown option '--no-quiet'" },
	{ "--no-dry-run: ours hide apt-get's", L("--no-dry-run"),
	  CLI_EXIT_USAGE, "unknown option '--no-dry-run'" },
	{ "--no-V: ours hide apt-get's", L("--no-V"), CLI_EXIT_USAGE,
	  "unknown option '--no-V'" },
	{ "--frob-simulate: no sense", L("--frob-simulate"), CLI_EXIT_USAGE,
	  "unknown option '--frob-simulate'" },
	{ "update's --list-cleanup", L("--list-cleanup"), CLI_EXIT_USAGE,
	  "unknown option '--list-cleanup'" },
	{ "source's -b", L("-b"), CLI_EXIT_USAGE, "unknown option '-b'" },
	{ "build-dep's --arch-only", L("--arch-only"), CLI_EXIT_USAGE,
	  "unknown option '--arch-only'" },
	{ "update's -e", L("-e", "any"), CLI_EXIT_USAGE,
	  "unknown option '-e'" },
	{ "abbreviations are not taken", L("--dry"), CLI_EXIT_USAGE,
	  "unknown option '--dry'" },
	{ "our names have case", L("--Keep=1"), CLI_EXIT_USAGE,
	  "unknown option '--Keep'; see --help" },
	{ "--DRY-RUN is not apt-get's either", L("--DRY-RUN"), CLI_EXIT_USAGE,
	  "unknown option '--DRY-RUN'" },
	{ "--No-Dry-Run", L("--No-Dry-Run"), CLI_EXIT_USAGE,
	  "unknown option '--No-Dry-Run'" },
};

/* ------------------------------------------------------------ helpers */

static size_t
count(const char *const *list)
{
	size_t n = 0;

	while (list != NULL && list[n] != NULL)
		n++;
	return n;
}

/* argv for a row: the program name, then its arguments. */
static const char **
make_argv(const char *const *args, int *argc)
{
	size_t n = count(args), i;
	const char **argv = calloc(n + 2, sizeof(*argv));

	assert_non_null(argv);
	argv[0] = "purge-old-kernels";
	for (i = 0; i < n; i++)
		argv[i + 1] = args[i];
	*argc = (int)n + 1;
	return argv;
}

static void
check_list(const char *row, const char *what, const char *const *want,
           char *const *got, size_t n_got)
{
	size_t i, n_want = count(want);

	if (n_want != n_got)
		fail_msg("%s: %s: %zu arguments, not %zu", row, what, n_got,
		         n_want);
	for (i = 0; i < n_want; i++)
		if (strcmp(want[i], got[i]) != 0)
			fail_msg("%s: %s[%zu] is '%s', not '%s'", row, what, i,
			         got[i], want[i]);
}

static void
check_flag(const char *row, const char *what, bool want, bool got)
{
	if (want != got)
		fail_msg("%s: %s is %s, not %s", row, what,
		         got ? "set" : "unset", want ? "set" : "unset");
}

static void
check_string(const char *row, const char *what, const char *want,
             const char *got)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(want, got) != 0)
		fail_msg("%s: %s is '%s', not '%s'", row, what,
		         got ? got : "(null)", want ? want : "(null)");
}

/* ----------------------------------------------------------------- tests */

static void
test_good(void **state)
{
	const struct good *c = *state;
	struct cli_options opts;
	struct kp_error err = { 0 };
	const char **argv;
	int argc, r;

	argv = make_argv(c->args, &argc);
	r = cli_options_parse(&opts, argc, argv, &err);
	if (r != 0)
		fail_msg("%s: refused (%d): %s", c->name, r, err.message);
	check_flag(c->name, "--dry-run", c->flags & F_DRY_RUN, opts.dry_run);
	check_flag(c->name, "--list", c->flags & F_LIST, opts.list);
	check_flag(c->name, "--json", c->flags & F_JSON, opts.json);
	check_flag(c->name, "--quiet", c->flags & F_QUIET, opts.quiet);
	check_flag(c->name, "--help", c->flags & F_HELP, opts.help);
	check_flag(c->name, "--usage", c->flags & F_USAGE, opts.usage);
	check_flag(c->name, "--version", c->flags & F_VERSION, opts.version);
	check_flag(c->name, "--running=none", c->flags & F_NONE,
	           opts.running_none);
	check_flag(c->name, "simulate", c->flags & F_SIMULATE,
	           opts.args.apt_simulate);
	check_flag(c->name, "purging", !(c->flags & (F_DRY_RUN | F_LIST)),
	           cli_options_purging(&opts));
	if (opts.keep != c->keep)
		fail_msg("%s: keep is %u, not %u", c->name, opts.keep, c->keep);
	check_string(c->name, "--root", c->root, opts.root);
	check_string(c->name, "--running", c->running, opts.running);
	check_list(c->name, "apt-get's arguments", c->apt, opts.args.apt.v,
	           opts.args.apt.n);
	if (opts.args.n_unchecked != c->n_unchecked)
		fail_msg("%s: %zu unchecked arguments, not %zu", c->name,
		         opts.args.n_unchecked, c->n_unchecked);
	check_list(c->name, "--protect", c->protect ? c->protect : EMPTY,
	           opts.protect, opts.n_protect);
	cli_options_free(&opts);
	free(argv);
}

static void
test_bad(void **state)
{
	const struct bad *c = *state;
	struct cli_options opts;
	struct kp_error err = { 0 };
	const char **argv;
	int argc, r;

	argv = make_argv(c->args, &argc);
	r = cli_options_parse(&opts, argc, argv, &err);
	if (r != c->code)
		fail_msg("%s: exit code %d, not %d (message: %s)", c->name, r,
		         c->code, err.message);
	if (strstr(err.message, c->message) == NULL)
		fail_msg("%s: message '%s' does not say '%s'", c->name,
		         err.message, c->message);
	if (strchr(err.message, '\n') != NULL)
		fail_msg("%s: message '%s' is more than one line", c->name,
		         err.message);
	cli_options_free(&opts);
	free(argv);
}

/* apt's StringToBool, which decides whether "-s no" simulates. */
static void
test_bool_words(void **state)
{
	static const struct {
		const char *word;
		int want;
	} words[] = {
		{ "yes", 1 },     { "YES", 1 },     { "true", 1 },
		{ "with", 1 },    { "on", 1 },      { "enable", 1 },
		{ "1", 1 },       { "0x1", 1 },     { "no", 0 },
		{ "False", 0 },   { "without", 0 }, { "off", 0 },
		{ "disable", 0 }, { "0", 0 },       { "00", 0 },
		{ "2", -1 },      { "-1", -1 },     { "", -1 },
		{ "maybe", -1 },  { "yes!", -1 },   { "1a", -1 },
		{ NULL, -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (cli_apt_bool_word(words[i].word) != words[i].want)
			fail_msg("'%s' reads as %d, not %d",
			         words[i].word ? words[i].word : "(null)",
			         cli_apt_bool_word(words[i].word),
			         words[i].want);
}

/* The split alone: our options reach popt as "--name[=value]". */
static void
test_ours_for_popt(void **state)
{
	const char *argv[] = { "pok", "-ynk3", "--root", "/mnt", "-l", NULL };
	struct cli_options opts;
	struct kp_error err = { 0 };

	(void)state;
	assert_int_equal(cli_options_parse(&opts, 5, argv, &err), 0);
	check_list("normalised", "ours",
	           L("pok", "--dry-run", "--keep=3", "--root=/mnt", "--list"),
	           opts.args.ours.v, opts.args.ours.n);
	cli_options_free(&opts);
}

static char *
capture(void (*print)(FILE *))
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	print(out);
	assert_int_equal(fclose(out), 0);
	return text;
}

/* --help: every option on a line of its own; no line wider than 79. */
static void
test_help(void **state)
{
	static const char *const options[] = {
		"  -k, --keep=N ",
		"  -n, --dry-run ",
		"  -l, --list ",
		"      --json ",
		"  -q, --quiet ",
		"      --root=DIR ",
		"      --running=RELEASE ",
		"      --protect=RELEASE ",
		"  -h, --help ",
		"      --usage ",
		"  -V, --version ",
	};
	char *help = capture(cli_print_help), *line, *save = NULL;
	size_t i, n_lines = 0;

	(void)state;
	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (strstr(help, options[i]) == NULL)
			fail_msg("--help has no line for '%s'", options[i]);
	assert_non_null(strstr(help, "Usage: purge-old-kernels [OPTION...] "
	                             "[APT-GET-ARGUMENT...]"));
	assert_non_null(strstr(help, "Exit status:"));
	assert_non_null(strstr(help, "\"--\""));
	for (line = strtok_r(help, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save), n_lines++)
		if (strlen(line) > 79)
			fail_msg("--help line wider than 79: '%s'", line);
	assert_true(n_lines > sizeof(options) / sizeof(options[0]));
	free(help);
}

static void
test_version(void **state)
{
	static const char first[] = "purge-old-kernels " PACKAGE_VERSION "\n";
	char *version = capture(cli_print_version);

	(void)state;
	assert_true(strncmp(version, first, strlen(first)) == 0);
	assert_non_null(strstr(version, "GPL-2.0-or-later"));
	free(version);
}

/* The most --keep and KEEP take, and the sentence, are the library's. */
static void
test_keep_max(void **state)
{
	struct cli_options opts;
	struct kp_config cfg;
	struct kp_error kerr = { 0 };
	struct kp_error err = { 0 };
	char arg[64], line[64], want[128];
	const char *argv[] = { "pok", arg, NULL };
	FILE *f;

	(void)state;
	snprintf(arg, sizeof(arg), "--keep=%u", KP_KEEP_MAX);
	assert_int_equal(cli_options_parse(&opts, 2, argv, &err), 0);
	assert_int_equal(opts.keep, KP_KEEP_MAX);
	cli_options_free(&opts);
	snprintf(arg, sizeof(arg), "--keep=%u", KP_KEEP_MAX + 1);
	assert_int_equal(cli_options_parse(&opts, 2, argv, &err),
	                 CLI_EXIT_USAGE);
	cli_options_free(&opts);
	snprintf(want, sizeof(want), "from 0 to %u, not '%u'", KP_KEEP_MAX,
	         KP_KEEP_MAX + 1);
	assert_non_null(strstr(err.message, want));
	/* the configuration file's KEEP: the same bound */
	snprintf(line, sizeof(line), "KEEP=%u\n", KP_KEEP_MAX + 1);
	f = fmemopen(line, strlen(line), "r");
	assert_non_null(f);
	kp_config_init(&cfg);
	assert_int_equal(
	        kp_config_read_stream(f, "t.conf", &cfg, NULL, NULL, &kerr),
	        -EINVAL);
	fclose(f);
	assert_non_null(strstr(kerr.message, want));
	kp_config_free(&cfg);
}

static struct CMUnitTest *
table_tests(const void *rows, size_t n, size_t row_size,
            const char *(*name)(const void *row), CMUnitTestFunction fn)
{
	struct CMUnitTest *tests = calloc(n, sizeof(*tests));
	size_t i;

	assert_non_null(tests);
	for (i = 0; i < n; i++) {
		const void *row = (const char *)rows + i * row_size;

		tests[i].name = name(row);
		tests[i].test_func = fn;
		tests[i].initial_state = (void *)row;
	}
	return tests;
}

static const char *
good_name(const void *row)
{
	return ((const struct good *)row)->name;
}

static const char *
bad_name(const void *row)
{
	return ((const struct bad *)row)->name;
}

#define N_GOOD (sizeof(good_cases) / sizeof(good_cases[0]))
#define N_BAD (sizeof(bad_cases) / sizeof(bad_cases[0]))

int
main(void)
{
	static const struct CMUnitTest others[] = {
		cmocka_unit_test(test_bool_words),
		cmocka_unit_test(test_ours_for_popt),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_keep_max),
	};
	struct CMUnitTest *good = table_tests(good_cases, N_GOOD,
	                                      sizeof(good_cases[0]), good_name,
	                                      test_good);
	struct CMUnitTest *bad = table_tests(
	        bad_cases, N_BAD, sizeof(bad_cases[0]), bad_name, test_bad);
	int failed = 0;

	failed += _cmocka_run_group_tests("command lines that parse", good,
	                                  N_GOOD, NULL, NULL);
	failed += _cmocka_run_group_tests("command lines refused", bad, N_BAD,
	                                  NULL, NULL);
	failed += cmocka_run_group_tests_name("help, version, words", others,
	                                      NULL, NULL);
	free(good);
	free(bad);
	return failed == 0 ? 0 : 1;
}
