/*
 * t-cli-fix: the CLI's logic around the apt proof and --fix
 * (cli/preflight.c, cli/fix.c, cli/run-apt.c, cli/boot-space.c, cli/command.c):
 * which command the pre-flight advises for what it found, when /boot counts
 * as full, the commands of --fix for a plan, and the /boot sentence and bar.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fix.h"
#include "kpurge.h"
#include "options.h"
#include "output.h"
#include "preflight.h"
#include "run-apt.h"
#include "statusdb.h"

#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })
/* The kinds of the problems found, and their number. */
#define K(...)                                                                 \
	((const enum kp_problem_kind[]){ __VA_ARGS__ }),                       \
	        (sizeof((const enum kp_problem_kind[]){ __VA_ARGS__ }) /       \
	         sizeof(enum kp_problem_kind))
#define K0 NULL, 0
#define MIB (1024ull * 1024)

/* --------------------------------------------------------- the remedy */

struct remedy_case {
	const char *name;
	const enum kp_problem_kind *kinds; /* what the pre-flight found */
	size_t n;
	bool interrupted, kernel_unfinished, boot_full;
	enum cli_remedy want;
	const char *purge_unfinished; /* a half-done package the plan purges */
};

static const struct remedy_case remedy_cases[] = {
	{ "healthy", K0, false, false, false, CLI_REMEDY_NONE },
	{ "unmet dependency", K(KP_PROBLEM_UNMET), false, false, false,
	  CLI_REMEDY_APT_FIX },
	{ "a package dpkg left half-configured", K(KP_PROBLEM_HALF_CONFIGURED),
	  false, false, false, CLI_REMEDY_CONFIGURE },
	{ "unpacked, and an unmet dependency",
	  K(KP_PROBLEM_UNMET, KP_PROBLEM_UNPACKED), false, false, false,
	  CLI_REMEDY_CONFIGURE },
	{ "reinstall required: apt-get fetches it", K(KP_PROBLEM_REINSTREQ),
	  false, false, false, CLI_REMEDY_APT_FIX },
	{ "triggers pending", K(KP_PROBLEM_TRIGGERS), false, false, false,
	  CLI_REMEDY_CONFIGURE },
	{ "dpkg interrupted", K(KP_PROBLEM_INTERRUPTED), true, false, false,
	  CLI_REMEDY_CONFIGURE },
	{ "a kernel half-configured, /boot has room",
	  K(KP_PROBLEM_HALF_CONFIGURED), false, true, false,
	  CLI_REMEDY_CONFIGURE },
	{ "a kernel half-configured on a full /boot",
	  K(KP_PROBLEM_HALF_CONFIGURED, KP_PROBLEM_UNPACKED), false, true, true,
	  CLI_REMEDY_FIX },
	{ "a full /boot with only an unmet dependency", K(KP_PROBLEM_UNMET),
	  false, false, true, CLI_REMEDY_FIX },
	{ "a full /boot alone is no problem", K0, false, false, true,
	  CLI_REMEDY_NONE },
	/* A purge that failed half-way: dpkg --configure -a leaves a
	 * half-installed package as it is; purging it finishes the job. */
	{ "an old kernel half-installed", K(KP_PROBLEM_HALF_INSTALLED), false,
	  true, false, CLI_REMEDY_FIX, "linux-image-6.8.0-31-generic" },
	{ "an old kernel half-configured, and an unmet dependency",
	  K(KP_PROBLEM_UNMET, KP_PROBLEM_HALF_CONFIGURED), false, true, false,
	  CLI_REMEDY_FIX, "linux-image-6.8.0-31-generic" },
	{ "dpkg killed while purging an old kernel", K(KP_PROBLEM_INTERRUPTED),
	  true, true, false, CLI_REMEDY_FIX, "linux-image-6.8.0-31-generic" },
	{ "a kept kernel half-configured, an old one half-installed",
	  K(KP_PROBLEM_HALF_INSTALLED, KP_PROBLEM_HALF_CONFIGURED), false, true,
	  false, CLI_REMEDY_FIX, "linux-image-6.8.0-31-generic" },
};

static void
test_remedy(void **state)
{
	const struct remedy_case *c = *state;
	struct kp_problem problems[8];
	struct cli_system_facts facts = {
		.problems = problems,
		.n_problems = c->n,
		.interrupted = c->interrupted,
		.kernel_unfinished = c->kernel_unfinished,
		.purge_unfinished = c->purge_unfinished,
		.boot_full = c->boot_full,
	};

	for (size_t i = 0; i < c->n; i++)
		problems[i] = (struct kp_problem){ c->kinds[i], NULL, NULL };
	if (cli_remedy_for(&facts) != c->want)
		fail_msg("%s: remedy %d, not %d", c->name,
		         cli_remedy_for(&facts), c->want);
}

static void
test_boot_full(void **state)
{
	struct kp_boot_space b = { true, 500 * MIB, 449 * MIB, 0 };

	(void)state;
	assert_false(cli_boot_full(&b, 40 * MIB)); /* 89.8%, 51 MiB free */
	b.used = 450 * MIB;
	assert_true(cli_boot_full(&b, 40 * MIB)); /* 90% */
	b.used = 400 * MIB;
	assert_false(
	        cli_boot_full(&b, 100 * MIB)); /* exactly one kernel's room */
	assert_true(
	        cli_boot_full(&b, 101 * MIB)); /* not room for the biggest */
	b.known = false;
	assert_false(cli_boot_full(&b, 101 * MIB)); /* unknown: never full */
	b.known = true;
	b.size = 0;
	assert_false(cli_boot_full(&b, 101 * MIB));
}

static char *
joined(const struct cli_argv *cmd)
{
	return cmd->v ? cli_command_text((const char *const *)cmd->v) :
	                strdup("");
}

static void
check_remedy_command(enum cli_remedy remedy, const char *const *args,
                     const char *root, const char *want)
{
	struct cli_options opts;
	struct cli_argv cmd = { NULL, 0, 0 };
	const char *argv[16] = { "purge-old-kernels" };
	struct kp_error err = { 0 };
	char *text;
	int argc = 1;

	while (args[argc - 1] != NULL)
		argv[argc] = args[argc - 1], argc++;
	assert_int_equal(cli_options_parse(&opts, argc, argv, &err), 0);
	assert_int_equal(cli_remedy_command(&cmd, remedy, &opts, root), 0);
	text = joined(&cmd);
	assert_string_equal(text, want);
	free(text);
	cli_argv_free(&cmd);
	cli_options_free(&opts);
}

static void
test_remedy_commands(void **state)
{
	(void)state;
	check_remedy_command(CLI_REMEDY_NONE, L(NULL), "", "");
	check_remedy_command(CLI_REMEDY_CONFIGURE, L(NULL), "",
	                     "dpkg --configure -a");
	check_remedy_command(CLI_REMEDY_CONFIGURE, L("-y"), "/srv/img",
	                     "dpkg --root=/srv/img --configure -a");
	check_remedy_command(CLI_REMEDY_APT_FIX, L("-y"), NULL,
	                     "apt-get -f install");
	check_remedy_command(
	        CLI_REMEDY_APT_FIX, L(NULL), "/srv/img",
	        "apt-get -o Dir=/srv/img "
	        "-o Dir::State::status=/srv/img/var/lib/dpkg/status "
	        "-o DPkg::Options::=--root=/srv/img "
	        "-o DPkg::Options::=--log=/srv/img/var/log/dpkg.log -f install");
	check_remedy_command(CLI_REMEDY_FIX, L("-y"), "",
	                     "purge-old-kernels --fix");
	/* The plan's own options come along, so --fix purges the same. */
	check_remedy_command(CLI_REMEDY_FIX,
	                     L("--keep=1", "--running", "6.8.0-40-generic",
	                       "--protect=5.15.0-91-generic", "-y"),
	                     "/my image",
	                     "purge-old-kernels '--root=/my image' --keep=1 "
	                     "--running=6.8.0-40-generic "
	                     "--protect=5.15.0-91-generic --fix");
	check_remedy_command(
	        CLI_REMEDY_FIX, L("--running=none", "-k", "2"), "/i",
	        "purge-old-kernels --root=/i --running=none --fix");
}

/* ------------------------------------------------------ --fix commands */

static const struct sdb_pkg two_releases[] = {
	{ "linux-image-6.8.0-31-generic", NULL, NULL, NULL, "6.8.0-31.31" },
	{ "linux-modules-6.8.0-31-generic", NULL, NULL, NULL, "6.8.0-31.31" },
	{ "linux-image-6.8.0-40-generic", "b", NULL, NULL, "6.8.0-40.40" },
	{ "linux-modules-6.8.0-40-generic", NULL, NULL, NULL, "6.8.0-40.40" },
	{ "linux-image-6.8.0-45-generic", NULL, NULL, NULL, "6.8.0-45.45" },
	{ "linux-modules-6.8.0-45-generic", NULL, NULL, NULL, "6.8.0-45.45" },
	{ NULL },
};

static const struct sdb_pkg healthy[] = {
	{ "linux-image-6.8.0-31-generic", NULL, NULL, NULL, "6.8.0-31.31" },
	{ "linux-image-6.8.0-45-generic", NULL, NULL, NULL, "6.8.0-45.45" },
	{ NULL },
};

struct fixture {
	char *root;
	struct kp_ctx *ctx;
	struct kp_plan *plan;
	struct cli_options opts;
};

static void
fixture_open(struct fixture *f, const struct sdb_pkg *pkgs,
             const char *const *args)
{
	struct kp_plan_options popts = { .keep = 1 };
	const char *argv[16] = { "purge-old-kernels" };
	struct kp_error err = { 0 };
	int argc = 1;

	while (args[argc - 1] != NULL)
		argv[argc] = args[argc - 1], argc++;
	assert_int_equal(cli_options_parse(&f->opts, argc, argv, &err), 0);
	f->root = sdb_root_new(pkgs);
	f->ctx = kp_ctx_new(f->root, NULL, NULL, &err);
	assert_non_null(f->ctx);
	popts.keep = f->opts.keep;
	assert_int_equal(kp_plan_new(f->ctx, &popts, &f->plan, &err), 0);
}

static void
fixture_close(struct fixture *f)
{
	kp_plan_free(f->plan);
	kp_ctx_free(f->ctx);
	sdb_root_free(f->root);
	cli_options_free(&f->opts);
}

static void
test_fix_commands(void **state)
{
	struct fixture f;
	struct cli_fix_plan fp;
	char *text, want[4096];

	(void)state;
	fixture_open(&f, two_releases, L("--keep=1", "-y", "-o", "A::B=c"));
	assert_int_equal(
	        cli_fix_commands(&fp, &f.opts, kp_ctx_root(f.ctx), f.plan), 0);
	/* Step 1 purges the plan's list, in its order, and nothing else. */
	text = joined(&fp.step[0]);
	snprintf(want, sizeof(want),
	         KP_DPKG " --root=%s --log=%s/var/log/dpkg.log "
	                 "--purge",
	         kp_ctx_root(f.ctx), kp_ctx_root(f.ctx));
	for (size_t i = 0; i < kp_plan_n_purge(f.plan); i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
		         " %s", kp_plan_purge_name(f.plan, i));
	assert_string_equal(text, want);
	assert_non_null(strstr(text, " linux-image-6.8.0-31-generic"));
	/* Never the newest release, with dpkg as with apt-get. */
	assert_null(strstr(text, "6.8.0-45"));
	free(text);
	text = joined(&fp.step[1]);
	snprintf(want, sizeof(want),
	         KP_DPKG " --root=%s --log=%s/var/log/dpkg.log "
	                 "--configure -a",
	         kp_ctx_root(f.ctx), kp_ctx_root(f.ctx));
	assert_string_equal(text, want);
	free(text);
	/* apt-get's arguments go to step 3, the guard and --no-remove
	 * after them. */
	text = joined(&fp.step[2]);
	snprintf(want, sizeof(want),
	         KP_APT_GET " -o Dir=%s "
	                    "-o Dir::State::status=%s/var/lib/dpkg/status "
	                    "-o DPkg::Options::=--root=%s "
	                    "-o DPkg::Options::=--log=%s/var/log/dpkg.log "
	                    "-y -o A::B=c -o APT::Get::AutomaticRemove=false "
	                    "-o APT::Get::AutomaticRemove::Kernels=false "
	                    "-f --no-remove install",
	         kp_ctx_root(f.ctx), kp_ctx_root(f.ctx), kp_ctx_root(f.ctx),
	         kp_ctx_root(f.ctx));
	assert_string_equal(text, want);
	free(text);
	cli_fix_commands_free(&fp);
	fixture_close(&f);
}

static void
test_fix_commands_nothing_to_purge(void **state)
{
	struct fixture f;
	struct cli_fix_plan fp;
	char *text;

	(void)state;
	fixture_open(&f, healthy, L("--keep=5"));
	assert_int_equal(kp_plan_n_purge(f.plan), 0);
	assert_int_equal(cli_fix_commands(&fp, &f.opts, "", f.plan), 0);
	assert_null(fp.step[0].v); /* step 1 skipped */
	text = joined(&fp.step[1]);
	assert_string_equal(text, KP_DPKG " --configure -a");
	free(text);
	text = joined(&fp.step[2]);
	assert_string_equal(text, KP_APT_GET
	                    " -o APT::Get::AutomaticRemove=false "
	                    "-o APT::Get::AutomaticRemove::Kernels=false "
	                    "-f --no-remove install");
	free(text);
	cli_fix_commands_free(&fp);
	fixture_close(&f);
}

/* --fix goes with --dry-run; not with --list, --json or apt-get's -s. */
static const struct {
	const char *const *args;
	int code;
	const char *message;
} fix_rows[] = {
	{ L("--fix"), 0, NULL },
	{ L("--fix", "--dry-run", "-y"), 0, NULL },
	{ L("--fix", "--list"), CLI_EXIT_USAGE,
	  "--fix does not go with --list" },
	{ L("--fix", "-n", "--json"), CLI_EXIT_USAGE,
	  "--fix does not go with --json" },
	{ L("--fix", "-s"), CLI_EXIT_USAGE,
	  "use --fix --dry-run to see its steps" },
	{ L("-f", "--fix"), 0, NULL }, /* -f is apt-get's --fix-broken */
	{ L("--fix=yes"), CLI_EXIT_USAGE, "takes no value" },
};

/* ------------------------------------------- one table of apt options */

/* The items args set, as the proof reads them. */
static struct kp_apt_config
translated(const struct cli_argv *args)
{
	struct kp_apt_config config = { NULL, 0 };

	assert_int_equal(cli_apt_translate(args, &config), 0);
	return config;
}

static void
assert_same_config(const struct kp_apt_config *a, const struct kp_apt_config *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		assert_int_equal(a->items[i].kind, b->items[i].kind);
		assert_string_equal(a->items[i].name, b->items[i].name);
		if (a->items[i].value == NULL || b->items[i].value == NULL)
			assert_ptr_equal(a->items[i].value, b->items[i].value);
		else
			assert_string_equal(a->items[i].value,
			                    b->items[i].value);
	}
}

/*
 * What the user forwards becomes the items apt-get's own parser sets:
 * yes/no options with their sense, values, -o, -c; quiet levels none.
 */
static void
test_apt_translate(void **state)
{
	struct fixture f;
	struct kp_apt_config c;

	(void)state;
	fixture_open(&f, two_releases,
	             L("-yqq", "--autoremove", "-o", "A::B=c", "-c",
	               "/etc/x.conf", "-tstable", "--no-remove", "-s", "no",
	               "--", "--frobnicate", "-oX=1"));
	c = translated(&f.opts.args.apt);
	assert_int_equal(c.n, 8);
	assert_string_equal(c.items[0].name, "APT::Get::Assume-Yes");
	assert_string_equal(c.items[0].value, "true");
	assert_string_equal(c.items[1].name, "APT::Get::AutomaticRemove");
	assert_string_equal(c.items[1].value, "true");
	assert_string_equal(c.items[2].name, "A::B");
	assert_string_equal(c.items[2].value, "c");
	assert_int_equal(c.items[3].kind, KP_APT_ITEM_FILE);
	assert_string_equal(c.items[3].name, "/etc/x.conf");
	assert_null(c.items[3].value);
	assert_string_equal(c.items[4].name, "APT::Default-Release");
	assert_string_equal(c.items[4].value, "stable");
	assert_string_equal(c.items[5].name, "APT::Get::Remove");
	assert_string_equal(c.items[5].value, "false");
	assert_string_equal(c.items[6].name, "APT::Get::Simulate");
	assert_string_equal(c.items[6].value, "false");
	/* after "--": apt-get's options are read as apt-get reads them; one
	 * it does not know stops apt-get, and is skipped */
	assert_string_equal(c.items[7].name, "X");
	assert_string_equal(c.items[7].value, "1");
	kp_apt_config_free(&c);
	fixture_close(&f);
}

/*
 * One table: the purge's command line, read back as apt-get reads it,
 * sets exactly the items the proof applies (kp_apt_config_for_purge()),
 * in the same order: the root's, the user's, then the guard, last, so
 * that --autoremove is undone.
 */
static void
test_purge_command_is_the_proof(void **state)
{
	struct kp_apt_config user, proof = { NULL, 0 }, cmdline;
	struct cli_argv cmd = { NULL, 0, 0 }, options = { NULL, 0, 0 };
	const char *root;
	struct fixture f;
	size_t i;

	(void)state;
	fixture_open(&f, two_releases,
	             L("--keep=1", "-y", "--autoremove", "-o", "A::B=c", "-c",
	               "/etc/x.conf"));
	root = kp_ctx_root(f.ctx);
	assert_int_equal(cli_apt_command(&cmd, root, &f.opts.args.apt, f.plan),
	                 0);
	/* apt-get's options: everything between the program and "remove" */
	for (i = 1; cmd.v[i] != NULL && strcmp(cmd.v[i], "remove") != 0; i++)
		assert_int_equal(cli_argv_push(&options, cmd.v[i]), 0);
	assert_non_null(cmd.v[i]);
	cmdline = translated(&options);
	user = translated(&f.opts.args.apt);
	assert_int_equal(kp_apt_config_for_purge(root, &user, &proof), 0);
	assert_same_config(&cmdline, &proof);
	assert_string_equal(proof.items[0].name, "Dir");
	assert_string_equal(proof.items[0].value, root);
	assert_string_equal(proof.items[proof.n - 2].name,
	                    "APT::Get::AutomaticRemove");
	assert_string_equal(proof.items[proof.n - 2].value, "false");
	kp_apt_config_free(&cmdline);
	kp_apt_config_free(&proof);
	kp_apt_config_free(&user);
	cli_argv_free(&options);
	cli_argv_free(&cmd);
	fixture_close(&f);
}

static void
test_fix_options(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fix_rows) / sizeof(fix_rows[0]); i++) {
		const char *argv[8] = { "purge-old-kernels" };
		struct cli_options opts;
		struct kp_error err = { 0 };
		int argc = 1, r;

		while (fix_rows[i].args[argc - 1] != NULL)
			argv[argc] = fix_rows[i].args[argc - 1], argc++;
		r = cli_options_parse(&opts, argc, argv, &err);
		if (r != fix_rows[i].code)
			fail_msg("row %zu: %d, not %d (%s)", i, r,
			         fix_rows[i].code, err.message);
		if (fix_rows[i].message != NULL &&
		    strstr(err.message, fix_rows[i].message) == NULL)
			fail_msg("row %zu: '%s' does not say '%s'", i,
			         err.message, fix_rows[i].message);
		if (r == 0)
			assert_true(opts.fix);
		cli_options_free(&opts);
	}
}

/* ---------------------------------------------------- /boot in words */

static void
test_format_bytes(void **state)
{
	static const struct {
		unsigned long long bytes;
		const char *words, *cell;
	} rows[] = {
		{ 0, "0 B", "-" },
		{ 999, "999 B", "999B" },
		{ 1000, "1000 B", "1.0K" },
		{ 61440, "60 KiB", "60K" },
		{ 585728, "572 KiB", "572K" },
		{ 1022976, "999 KiB", "999K" },
		{ 1048576, "1.0 MiB", "1.0M" },
		{ 9 * MIB + MIB / 2, "9.5 MiB", "9.5M" },
		{ 412 * MIB, "412 MiB", "412M" },
		{ 1023 * MIB, "1023 MiB", "1.0G" },
		{ 1280 * MIB, "1.2 GiB", "1.2G" },
		{ 252 * 1024 * MIB, "252 GiB", "252G" },
		{ 3 * 1024 * 1024 * MIB, "3.0 TiB", "3.0T" },
		{ 1ULL << 50, "1.0 PiB", "1.0P" },
		{ 999ULL << 50, "999 PiB", "999P" },
		{ 1000ULL << 50, "1000 PiB", "1.0E" },
		/* where sizes saturate (KP_SIZE_KIB_MAX KiB), and beyond */
		{ KP_SIZE_KIB_MAX * 1024, "16 EiB", "16E" },
		{ ~0ULL, "16 EiB", "16E" },
	};
	char words[32], cell[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cli_format_bytes(rows[i].bytes, words, sizeof(words));
		cli_format_short(rows[i].bytes, cell, sizeof(cell));
		assert_string_equal(words, rows[i].words);
		assert_string_equal(cell, rows[i].cell);
		assert_true(strlen(cell) <= 4);
	}
}

/* A size in KiB in words: one decimal from MiB on, up to EiB. */
static void
test_format_size(void **state)
{
	static const struct {
		unsigned long long kib;
		const char *words;
	} rows[] = {
		{ 0, "0 KiB" },
		{ 49, "49 KiB" },
		{ 1023, "1023 KiB" },
		{ 1024, "1.0 MiB" },
		{ 1536 * 1024, "1.5 GiB" },
		{ 2048ULL * 1024 * 1024, "2.0 TiB" },
		{ KP_SIZE_KIB_MAX, "16.0 EiB" },
	};
	char words[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cli_format_size(rows[i].kib, words, sizeof(words));
		assert_string_equal(words, rows[i].words);
	}
}

static void
test_format_boot(void **state)
{
	struct kp_boot_space b = { true, 487 * MIB, 412 * MIB, 180 * MIB };
	char line[256];

	(void)state;
	cli_format_boot(&b, line, sizeof(line));
	assert_string_equal(line, "/boot: 412 MiB of 487 MiB used (85%); "
	                          "232 MiB (48%) after freeing 180 MiB.");
	assert_true(strlen(line) < 80);
	b.freed = 0;
	cli_format_boot(&b, line, sizeof(line));
	assert_string_equal(line, "/boot: 412 MiB of 487 MiB used (85%).");
	/* Unknown figures: nothing is said. */
	b.known = false;
	cli_format_boot(&b, line, sizeof(line));
	assert_string_equal(line, "");
	b.known = true;
	b.size = 0;
	cli_format_boot(&b, line, sizeof(line));
	assert_string_equal(line, "");
	/* More freed than used (files on another filesystem): never below 0. */
	b = (struct kp_boot_space){ true, 100 * MIB, 10 * MIB, 20 * MIB };
	cli_format_boot(&b, line, sizeof(line));
	assert_string_equal(line, "/boot: 10 MiB of 100 MiB used (10%); "
	                          "0 B (0%) after freeing 20 MiB.");
}

static void
test_boot_bar(void **state)
{
	struct kp_boot_space b = { true, 100 * MIB, 85 * MIB, 40 * MIB };
	char bar[512];

	(void)state;
	cli_format_boot_bar(&b, 20, false, bar, sizeof(bar));
	assert_string_equal(bar, "[#########========---]");
	b.freed = 0;
	cli_format_boot_bar(&b, 20, false, bar, sizeof(bar));
	assert_string_equal(bar, "[#################---]");
	b.used = 100 * MIB;
	cli_format_boot_bar(&b, 10, false, bar, sizeof(bar));
	assert_string_equal(bar, "[##########]");
	/* Colours: red at 90% and more, codes around each part only. */
	b = (struct kp_boot_space){ true, 100 * MIB, 95 * MIB, 0 };
	cli_format_boot_bar(&b, 4, true, bar, sizeof(bar));
	assert_string_equal(bar, "[\033[31m####\033[0m\033[2m\033[0m]");
	b.freed = 50 * MIB;
	cli_format_boot_bar(&b, 4, true, bar, sizeof(bar));
	assert_string_equal(bar, "[\033[32m##\033[0m\033[2m==\033[0m]");
	b.known = false;
	cli_format_boot_bar(&b, 4, true, bar, sizeof(bar));
	assert_string_equal(bar, "");
}

/* ---------------------------------------------------------------- main */

static const char *
remedy_name(const void *row)
{
	return ((const struct remedy_case *)row)->name;
}

/* Messages show text from the database escaped: no control, valid UTF-8. */
static void
test_escape(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "plain text", "plain text" },
		{ "parse error:\n  near line 9\n", "parse error: near line 9" },
		{ "v\x1b[31mRED\x1b]0;t\x07", "v\\x1b[31mRED\\x1b]0;t\\x07" },
		{ "tab\there, del\x7f, cr\r",
		  "tab\\x09here, del\\x7f, cr\\x0d" },
		{ "csi \xc2\x9b"
		  "2J, nbsp \xc2\xa0",
		  "csi \\xc2\\x9b"
		  "2J, nbsp \xc2\xa0" },
		{ "1.0\xf8\x88\x80", "1.0\\xf8\\x88\\x80" },
		{ "\xc0\xaf \xe0\x80\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xff",
		  "\\xc0\\xaf \\xe0\\x80\\xaf \\xed\\xa0\\x80 \\xf4\\x90\\x80\\x80 \\xff" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7",
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7" },
		{ "cut \xe2\x82", "cut \\xe2\\x82" },
	};
	char buf[256], small[8];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cli_escape(rows[i].in, buf, sizeof(buf));
		assert_string_equal(buf, rows[i].out);
	}
	/* Cut short, never in the middle of an escape or a character. */
	cli_escape("ab\x1b\x1b", small, sizeof(small));
	assert_string_equal(small, "ab\\x1b");
	cli_escape("abcdef\xc3\xa9", small, sizeof(small));
	assert_string_equal(small, "abcdef");
}

int
main(void)
{
	static const struct CMUnitTest others[] = {
		cmocka_unit_test(test_boot_full),
		cmocka_unit_test(test_remedy_commands),
		cmocka_unit_test(test_apt_translate),
		cmocka_unit_test(test_purge_command_is_the_proof),
		cmocka_unit_test(test_fix_commands),
		cmocka_unit_test(test_fix_commands_nothing_to_purge),
		cmocka_unit_test(test_fix_options),
		cmocka_unit_test(test_format_bytes),
		cmocka_unit_test(test_format_size),
		cmocka_unit_test(test_format_boot),
		cmocka_unit_test(test_boot_bar),
		cmocka_unit_test(test_escape),
	};
	size_t n = sizeof(remedy_cases) / sizeof(remedy_cases[0]), i;
	struct CMUnitTest *remedies = calloc(n, sizeof(*remedies));
	int failed;

	assert_non_null(remedies);
	for (i = 0; i < n; i++) {
		remedies[i].name = remedy_name(&remedy_cases[i]);
		remedies[i].test_func = test_remedy;
		remedies[i].initial_state = (void *)&remedy_cases[i];
	}
	failed = _cmocka_run_group_tests("the advice of the pre-flight",
	                                 remedies, n, NULL, NULL);
	failed += cmocka_run_group_tests_name("--fix, /boot in words", others,
	                                      NULL, NULL);
	free(remedies);
	return failed != 0;
}
