/*
 * t-cli-plan-text: the sentences about a plan (cli/plan-text.c) that the
 * hook's notice, the periodic job's log and the dry run share: what goes,
 * what that frees, and the command that does it, in one wording each.
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

#include "kpurge.h"
#include "options.h"
#include "output.h"
#include "statusdb.h"

#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define MIB (1024ull * 1024)

#define IMAGE(abi)                                                             \
	{                                                                      \
		"linux-image-" abi "-generic", NULL, NULL, NULL, abi ".1"      \
	}

static const struct sdb_pkg six_releases[] = {
	IMAGE("6.8.0-31"), IMAGE("6.8.0-35"), IMAGE("6.8.0-38"),
	IMAGE("6.8.0-40"), IMAGE("6.8.0-41"), IMAGE("6.8.0-45"),
	{ NULL },
};

static const struct sdb_pkg one_release[] = {
	IMAGE("6.8.0-31"),
	IMAGE("6.8.0-45"),
	{ NULL },
};

/* Headers of an ABI whose image is gone: a package of no release. */
static const struct sdb_pkg leftover[] = {
	{ "linux-headers-6.8.0-31", NULL, NULL, NULL, "6.8.0-31.31" },
	IMAGE("6.8.0-45"),
	{ NULL },
};

struct fixture {
	char *root;
	struct kp_ctx *ctx;
	struct kp_plan *plan;
};

static void
fixture_open(struct fixture *f, const struct sdb_pkg *pkgs)
{
	struct kp_plan_options popts = { .keep = 1 };
	struct kp_error err = { 0 };

	f->root = sdb_root_new(pkgs);
	f->ctx = kp_ctx_new(f->root, NULL, NULL, &err);
	assert_non_null(f->ctx);
	assert_int_equal(kp_plan_new(f->ctx, &popts, &f->plan, &err), 0);
}

static void
fixture_close(struct fixture *f)
{
	kp_plan_free(f->plan);
	kp_ctx_free(f->ctx);
	sdb_root_free(f->root);
}

static void
test_what(void **state)
{
	struct fixture f;
	char buf[1024];

	(void)state;
	fixture_open(&f, one_release);
	cli_plan_what(f.plan, buf, sizeof(buf));
	assert_string_equal(buf, "1 old kernel release (6.8.0-31-generic)");
	fixture_close(&f);

	/* At most three names, then how many more. */
	fixture_open(&f, six_releases);
	cli_plan_what(f.plan, buf, sizeof(buf));
	assert_string_equal(buf, "5 old kernel releases (6.8.0-41-generic, "
	                         "6.8.0-40-generic, 6.8.0-38-generic and 2 "
	                         "more)");
	fixture_close(&f);

	/* Nothing of a release goes: the packages are counted instead. */
	fixture_open(&f, leftover);
	cli_plan_what(f.plan, buf, sizeof(buf));
	assert_string_equal(buf, "1 leftover kernel package");
	fixture_close(&f);
}

static void
test_space(void **state)
{
	struct kp_summary s;
	char buf[128];

	(void)state;
	kp_summary_init(&s);
	s.purgeable_boot_bytes = 113 * MIB;
	s.purgeable_bytes = 290 * MIB;
	cli_plan_space(&s, buf, sizeof(buf));
	assert_string_equal(buf, "113 MiB in /boot, 290 MiB in all");
	/* Nothing in /boot (headers only): no "0 B in /boot". */
	s.purgeable_boot_bytes = 0;
	cli_plan_space(&s, buf, sizeof(buf));
	assert_string_equal(buf, "290 MiB");
}

static void
test_can_go(void **state)
{
	struct fixture f;
	char buf[2048];

	(void)state;
	fixture_open(&f, one_release);
	cli_plan_can_go(f.plan, NULL, buf, sizeof(buf));
	assert_non_null(strstr(buf, "1 old kernel release (6.8.0-31-generic) "
	                            "can be purged, freeing "));
	cli_plan_can_go(f.plan, "7 files no package owns (12 KiB)", buf,
	                sizeof(buf));
	assert_non_null(strstr(buf, "(6.8.0-31-generic) and 7 files no package "
	                            "owns (12 KiB) can be purged, freeing "));
	fixture_close(&f);
}

static void
test_command(void **state)
{
	const char *argv[] = { "purge-old-kernels", "--root=/tmp/a b",
		               "--keep=2" };
	struct cli_options opts;
	struct kp_error err = { 0 };
	char buf[256];

	(void)state;
	assert_int_equal(cli_options_parse(&opts, 3, argv, &err), 0);
	cli_plan_command(&opts, false, buf, sizeof(buf));
	assert_string_equal(buf, "'sudo purge-old-kernels --root='/tmp/a b' "
	                         "--keep=2'");
	cli_plan_command(&opts, true, buf, sizeof(buf));
	assert_string_equal(buf, "'sudo purge-old-kernels --root='/tmp/a b' "
	                         "--keep=2 --orphans'");
	cli_options_free(&opts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_what),
		cmocka_unit_test(test_space),
		cmocka_unit_test(test_can_go),
		cmocka_unit_test(test_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
