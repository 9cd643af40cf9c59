/*
 * t-cli-guard: the reader of apt's Pre-Install-Pkgs message (version 3 of
 * its hook protocol, cli/guard-proto.c), on text a real apt-get 2.6 wrote
 * to a hook (tests/corpus/apt-hook-v3.txt: installing a kernel .deb and
 * removing an older kernel in one run), on version 2, and on what is not
 * apt's message. tests/integration/guard.sh runs the whole guard under
 * the real apt-get.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"

static int
parse_text(const char *text, struct cli_guard_input *in, char *err,
           size_t err_size)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	assert_non_null(f);
	r = cli_guard_parse(f, in, err, err_size);
	fclose(f);
	return r;
}

static void
test_real_v3_message(void **state)
{
	FILE *f = fopen(CORPUS_V3, "r");
	struct cli_guard_input in;
	const struct cli_guard_action *a;
	char err[256] = "";

	(void)state;
	assert_non_null(f);
	assert_int_equal(cli_guard_parse(f, &in, err, sizeof(err)), 0);
	fclose(f);
	assert_int_equal(in.version, 3);
	assert_string_equal(in.status_file,
	                    "/tmp/pok-test.qpKVnmKg/root/var/lib/dpkg/status");
	assert_int_equal(in.n_actions, 4);
	a = in.actions;
	assert_string_equal(a[0].name, "linux-modules-extra-6.8.0-31-generic");
	assert_int_equal(a[0].op, CLI_GUARD_REMOVE);
	assert_string_equal(a[0].old_version, "6.8.0-31.31");
	assert_string_equal(a[0].new_version, "-");
	assert_string_equal(a[0].arch, "amd64"); /* the old one's */
	assert_null(a[0].deb);
	assert_string_equal(a[1].name, "linux-image-6.8.0-31-generic");
	assert_int_equal(a[1].op, CLI_GUARD_REMOVE);
	assert_string_equal(a[2].name, "linux-image-6.8.0-50-generic");
	assert_int_equal(a[2].op, CLI_GUARD_INSTALL);
	assert_string_equal(a[2].old_version, "-");
	assert_string_equal(a[2].new_version, "6.8.0-50.50");
	assert_string_equal(a[2].deb,
	                    "/tmp/pok-test.qpKVnmKg/debs/"
	                    "linux-image-6.8.0-50-generic_6.8.0-50.50_0.deb");
	assert_string_equal(a[3].name, "linux-image-6.8.0-50-generic");
	assert_int_equal(a[3].op, CLI_GUARD_CONFIGURE);
	assert_null(a[3].deb);
	cli_guard_input_free(&in);
}

/* Version 2: no architecture fields; a path with a blank is the rest. */
static void
test_v2_message(void **state)
{
	static const char text[] =
	        "VERSION 2\n"
	        "Dir::State::status=/srv/my%20root/var/lib/dpkg/status\n"
	        "APT::Architecture=amd64\n"
	        "\n"
	        "linux-image-6.1.0-18-amd64 6.1.76-1 < 6.1.85-1 "
	        "/var/cache/apt/archives/my file.deb\n"
	        "nano 7.2-1 > - **REMOVE**\n";
	struct cli_guard_input in;
	char err[256] = "";

	(void)state;
	assert_int_equal(parse_text(text, &in, err, sizeof(err)), 0);
	assert_int_equal(in.version, 2);
	assert_string_equal(in.status_file, "/srv/my root/var/lib/dpkg/status");
	assert_int_equal(in.n_actions, 2);
	assert_int_equal(in.actions[0].op, CLI_GUARD_INSTALL);
	assert_string_equal(in.actions[0].new_version, "6.1.85-1");
	assert_null(in.actions[0].arch);
	assert_string_equal(in.actions[0].deb,
	                    "/var/cache/apt/archives/my file.deb");
	assert_int_equal(in.actions[1].op, CLI_GUARD_REMOVE);
	cli_guard_input_free(&in);
}

/* No action lines: a run that only configures nothing; still valid. */
static void
test_no_actions(void **state)
{
	struct cli_guard_input in;
	char err[256] = "";

	(void)state;
	assert_int_equal(
	        parse_text("VERSION 3\nA::B=c\n\n", &in, err, sizeof(err)), 0);
	assert_int_equal(in.n_actions, 0);
	assert_null(in.status_file);
	cli_guard_input_free(&in);
}

static void
expect_error(const char *text, const char *want)
{
	struct cli_guard_input in;
	char err[256] = "";

	assert_true(parse_text(text, &in, err, sizeof(err)) < 0);
	if (strstr(err, want) == NULL)
		fail_msg("'%s' does not contain '%s'", err, want);
	cli_guard_input_free(&in);
}

static void
test_not_apts_message(void **state)
{
	(void)state;
	/* Version 1: .deb paths only (the snippet's Version option missing). */
	expect_error("/var/cache/apt/archives/a.deb\n",
	             "where version 2 or 3 of its hook protocol starts");
	expect_error("VERSION 4\n\n", "'VERSION 4'");
	expect_error("", "ended before it began");
	expect_error("VERSION 3\nA::B=c\n", "ended in its configuration");
	expect_error("VERSION 3\n\nlinux-image-x - - none < 1 amd64\n",
	             "line 3: expected 8 fields");
	expect_error("VERSION 3\n\na - - none ? 1 amd64 none /x.deb\n",
	             "line 3: '?' is not <, > or =");
	expect_error("VERSION 3\n\na - - none < 1 amd64 none\n",
	             "line 3: no action");
	expect_error("VERSION 3\nDir::State::status=/a%2\n\n",
	             "line 2: a bad %-escape");
}

static void
test_dequote(void **state)
{
	char a[] = "a%20b%3dc%0a", b[] = "%zz", c[] = "x%00", d[] = "100%";

	(void)state;
	assert_int_equal(cli_guard_dequote(a), 0);
	assert_string_equal(a, "a b=c\n");
	assert_true(cli_guard_dequote(b) < 0);
	assert_true(cli_guard_dequote(c) < 0);
	assert_true(cli_guard_dequote(d) < 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_v3_message),
		cmocka_unit_test(test_v2_message),
		cmocka_unit_test(test_no_actions),
		cmocka_unit_test(test_not_apts_message),
		cmocka_unit_test(test_dequote),
	};

	return cmocka_run_group_tests_name("t-cli-guard", tests, NULL, NULL);
}
