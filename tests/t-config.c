/*
 * t-config - purge-old-kernels.conf: one row per good line and per bad
 * line, then what a whole file does (line numbers, the last value wins,
 * a missing file).
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kpurge-app.h"
#include "kpurge.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What the log callback saw. */
struct seen {
	char warning[1024];
	int n;
};

static void
record(void *data, enum kp_log_level level, const char *message)
{
	struct seen *seen = data;

	assert_int_equal(level, KP_LOG_WARNING);
	snprintf(seen->warning, sizeof(seen->warning), "%s", message);
	seen->n++;
}

/* Parse text as the file "t.conf". Returns kp_config_read_stream()'s. */
static int
parse(const char *text, size_t len, struct kp_config *cfg, struct seen *seen,
      struct kp_error *err)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int r;

	assert_non_null(f);
	kp_config_init(cfg);
	kp_error_clear(err);
	memset(seen, 0, sizeof(*seen));
	r = kp_config_read_stream(f, "t.conf", cfg, record, seen, err);
	fclose(f);
	return r;
}

/* ----------------------------------------------------------- good lines */

struct good_row {
	const char *line;
	unsigned keep;
	const char *protect; /* joined with "|" */
	enum kp_auto auto_purge;
	unsigned timeout;
	unsigned boot_warn;
	const char *warning; /* NULL: none */
};

#define DEF                                                                    \
	KP_KEEP_DEFAULT, "", KP_AUTO_NO, KP_TIMEOUT_DEFAULT,                   \
	        KP_BOOT_WARN_DEFAULT

static const struct good_row good_rows[] = {
	{ "", DEF, NULL },
	{ "# KEEP=5", DEF, NULL },
	{ "   # indented comment", DEF, NULL },
	{ "\t", DEF, NULL },
	{ "KEEP=3", 3, "", KP_AUTO_NO, KP_TIMEOUT_DEFAULT, KP_BOOT_WARN_DEFAULT,
	  NULL },
	{ "KEEP=0", 0, "", KP_AUTO_NO, KP_TIMEOUT_DEFAULT, KP_BOOT_WARN_DEFAULT,
	  NULL },
	{ "KEEP=1000", 1000, "", KP_AUTO_NO, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "  KEEP = 3  ", 3, "", KP_AUTO_NO, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "KEEP=\"4\"", 4, "", KP_AUTO_NO, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "KEEP='4'", 4, "", KP_AUTO_NO, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "KEEP=4 # four", 4, "", KP_AUTO_NO, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "KEEP=\"4\"  # four", 4, "", KP_AUTO_NO, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "KEEP=1\r", 1, "", KP_AUTO_NO, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "PROTECT=\"6.8.0-31-generic 6.1.0-18-amd64\"", KP_KEEP_DEFAULT,
	  "6.8.0-31-generic|6.1.0-18-amd64", KP_AUTO_NO, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "PROTECT=6.8.0-31-generic  6.7.0-rc1+", KP_KEEP_DEFAULT,
	  "6.8.0-31-generic|6.7.0-rc1+", KP_AUTO_NO, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "PROTECT=", DEF, NULL },
	{ "PROTECT=''", DEF, NULL },
	{ "AUTO=yes", KP_KEEP_DEFAULT, "", KP_AUTO_YES, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "AUTO=YES", KP_KEEP_DEFAULT, "", KP_AUTO_YES, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "AUTO=true", KP_KEEP_DEFAULT, "", KP_AUTO_YES, KP_TIMEOUT_DEFAULT,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "AUTO=no", DEF, NULL },
	{ "AUTO=\"false\"", DEF, NULL },
	{ "TIMEOUT=0", KP_KEEP_DEFAULT, "", KP_AUTO_NO, 0, KP_BOOT_WARN_DEFAULT,
	  NULL },
	{ "TIMEOUT=86400", KP_KEEP_DEFAULT, "", KP_AUTO_NO, 86400,
	  KP_BOOT_WARN_DEFAULT, NULL },
	{ "BOOT_WARN_PERCENT=90", KP_KEEP_DEFAULT, "", KP_AUTO_NO,
	  KP_TIMEOUT_DEFAULT, 90, NULL },
	{ "BOOT_WARN_PERCENT=100", KP_KEEP_DEFAULT, "", KP_AUTO_NO,
	  KP_TIMEOUT_DEFAULT, 100, NULL },
	/* never a shell: nothing here runs, and it is only text */
	{ "FOO=$(rm -rf /)", DEF, "t.conf:1: unknown key 'FOO' ignored" },
	{ "keep=3", DEF, "t.conf:1: unknown key 'keep' ignored" },
};

static void
test_good_lines(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good_rows); i++) {
		const struct good_row *row = &good_rows[i];
		struct kp_config cfg;
		struct kp_error err;
		struct seen seen;
		char joined[512] = "";

		if (parse(row->line, strlen(row->line), &cfg, &seen, &err) != 0)
			fail_msg("'%s': unexpected error '%s'", row->line,
			         err.message);
		for (j = 0; j < cfg.n_protect; j++) {
			strcat(joined, j ? "|" : "");
			strcat(joined, cfg.protect[j]);
		}
		if (cfg.keep != row->keep ||
		    strcmp(joined, row->protect) != 0 ||
		    cfg.auto_purge != row->auto_purge ||
		    cfg.timeout != row->timeout ||
		    cfg.boot_warn != row->boot_warn)
			fail_msg(
			        "'%s': keep %u protect '%s' auto %d timeout %u "
			        "boot_warn %u",
			        row->line, cfg.keep, joined, cfg.auto_purge,
			        cfg.timeout, cfg.boot_warn);
		if (strncmp(row->line, "KEEP", 4) == 0 && !cfg.keep_set)
			fail_msg("'%s': keep_set not set", row->line);
		if (row->warning == NULL && seen.n != 0)
			fail_msg("'%s': unexpected warning '%s'", row->line,
			         seen.warning);
		if (row->warning != NULL && strcmp(seen.warning, row->warning))
			fail_msg("'%s': warning '%s', expected '%s'", row->line,
			         seen.warning, row->warning);
		kp_config_free(&cfg);
	}
}

/* ------------------------------------------------------------ bad lines */

struct bad_row {
	const char *line;
	const char *message; /* the whole message */
};

static const struct bad_row bad_rows[] = {
	{ "KEEP", "t.conf:1: expected KEY=VALUE, not 'KEEP'" },
	{ "KEEP two", "t.conf:1: expected KEY=VALUE, not 'KEEP two'" },
	{ "=2", "t.conf:1: expected KEY=VALUE, not '=...'" },
	{ "1KEEP=2", "t.conf:1: expected KEY=VALUE, not '1KEEP=...'" },
	{ "export KEEP=2",
	  "t.conf:1: expected KEY=VALUE, not 'export KEEP=...'" },
	{ "KEEP=two",
	  "t.conf:1: KEEP must be a number from 0 to 1000, not 'two'" },
	{ "KEEP=1001",
	  "t.conf:1: KEEP must be a number from 0 to 1000, not '1001'" },
	{ "KEEP=-1",
	  "t.conf:1: KEEP must be a number from 0 to 1000, not '-1'" },
	{ "KEEP=+1",
	  "t.conf:1: KEEP must be a number from 0 to 1000, not '+1'" },
	{ "KEEP=", "t.conf:1: KEEP must be a number from 0 to 1000, not ''" },
	{ "KEEP=2 3",
	  "t.conf:1: KEEP must be a number from 0 to 1000, not '2 3'" },
	{ "KEEP=99999999999999999999",
	  "t.conf:1: KEEP must be a number from 0 to 1000, not '99999999999999999999'" },
	{ "KEEP=\"3", "t.conf:1: the value has no closing \"" },
	{ "KEEP='3", "t.conf:1: the value has no closing '" },
	{ "KEEP=\"3\"x",
	  "t.conf:1: unexpected text after the closing \": 'x'" },
	{ "AUTO=maybe", "t.conf:1: AUTO must be yes or no, not 'maybe'" },
	{ "AUTO=", "t.conf:1: AUTO must be yes or no, not ''" },
	{ "TIMEOUT=86401",
	  "t.conf:1: TIMEOUT must be a number of seconds from 0 to 86400, not '86401'" },
	{ "TIMEOUT=5s",
	  "t.conf:1: TIMEOUT must be a number of seconds from 0 to 86400, not '5s'" },
	{ "BOOT_WARN_PERCENT=0",
	  "t.conf:1: BOOT_WARN_PERCENT must be a number from 1 to 100, not '0'" },
	{ "BOOT_WARN_PERCENT=101",
	  "t.conf:1: BOOT_WARN_PERCENT must be a number from 1 to 100, not '101'" },
	{ "ONLY_AUTO_INSTALLED=maybe",
	  "t.conf:1: ONLY_AUTO_INSTALLED must be yes or no, not 'maybe'" },
	{ "ONLY_AUTO_INSTALLED=",
	  "t.conf:1: ONLY_AUTO_INSTALLED must be yes or no, not ''" },
	{ "PROTECT=\"6.8.0-31-generic,6.1.0-18-amd64\"",
	  "t.conf:1: PROTECT takes kernel releases as uname -r prints them, "
	  "separated by blanks; not '6.8.0-31-generic,6.1.0-18-amd64'" },
	{ "PROTECT=6.8.0-31-generic;reboot",
	  "t.conf:1: PROTECT takes kernel releases as uname -r prints them, "
	  "separated by blanks; not '6.8.0-31-generic;reboot'" },
};

static void
test_bad_lines(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_rows); i++) {
		const struct bad_row *row = &bad_rows[i];
		struct kp_config cfg;
		struct kp_error err;
		struct seen seen;
		int r = parse(row->line, strlen(row->line), &cfg, &seen, &err);

		if (r != -EINVAL)
			fail_msg("'%s': returned %d, expected -EINVAL",
			         row->line, r);
		if (strcmp(err.message, row->message) != 0)
			fail_msg("'%s': message '%s', expected '%s'", row->line,
			         err.message, row->message);
		kp_config_free(&cfg);
	}
}

/* ONLY_AUTO_INSTALLED: yes/true or no/false, any case; default no. */
static void
test_only_auto_installed(void **state)
{
	static const struct {
		const char *text;
		bool value;
	} rows[] = {
		{ "", false },
		{ "ONLY_AUTO_INSTALLED=yes\n", true },
		{ "ONLY_AUTO_INSTALLED=YES\n", true },
		{ "ONLY_AUTO_INSTALLED=true\n", true },
		{ "ONLY_AUTO_INSTALLED=\"yes\" # apt's rule\n", true },
		{ "ONLY_AUTO_INSTALLED=no\n", false },
		{ "ONLY_AUTO_INSTALLED=yes\nONLY_AUTO_INSTALLED=false\n",
		  false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct kp_config cfg;
		struct kp_error err;
		struct seen seen;

		if (parse(rows[i].text, strlen(rows[i].text), &cfg, &seen,
		          &err) != 0)
			fail_msg("'%s': %s", rows[i].text, err.message);
		if (cfg.only_auto_installed != rows[i].value)
			fail_msg("'%s': only_auto_installed is %d",
			         rows[i].text, cfg.only_auto_installed);
		assert_int_equal(seen.n, 0);
		kp_config_free(&cfg);
		assert_false(cfg.only_auto_installed);
	}
}

/* ----------------------------------------------------------- whole files */

static void
test_line_numbers(void **state)
{
	static const char text[] = "# settings\nKEEP=1\n\nAUTO=yes\nKEEP=x\n";
	struct kp_config cfg;
	struct kp_error err;
	struct seen seen;

	(void)state;
	assert_int_equal(parse(text, strlen(text), &cfg, &seen, &err), -EINVAL);
	assert_string_equal(
	        err.message,
	        "t.conf:5: KEEP must be a number from 0 to 1000, not 'x'");
	kp_config_free(&cfg);
}

static void
test_last_wins(void **state)
{
	static const char text[] =
	        "KEEP=1\nPROTECT=\"a b\"\nKEEP=4\nPROTECT=c\n"
	        "BAR=1\n";
	struct kp_config cfg;
	struct kp_error err;
	struct seen seen;

	(void)state;
	assert_int_equal(parse(text, strlen(text), &cfg, &seen, &err), 0);
	assert_int_equal(cfg.keep, 4);
	assert_int_equal(cfg.n_protect, 1);
	assert_string_equal(cfg.protect[0], "c");
	assert_string_equal(cfg.protect_where[0], "t.conf:4");
	assert_string_equal(seen.warning,
	                    "t.conf:5: unknown key 'BAR' ignored");
	kp_config_free(&cfg);
	assert_int_equal(cfg.n_protect, 0);
	assert_int_equal(cfg.keep, KP_KEEP_DEFAULT);
}

static void
test_nul_byte(void **state)
{
	static const char text[] = "KEEP=1\nKEEP=2\0x\n";
	struct kp_config cfg;
	struct kp_error err;
	struct seen seen;

	(void)state;
	assert_int_equal(parse(text, sizeof(text) - 1, &cfg, &seen, &err),
	                 -EINVAL);
	assert_string_equal(err.message, "t.conf:2: the line holds a NUL byte");
	kp_config_free(&cfg);
}

static void
test_missing_file(void **state)
{
	struct kp_config cfg;
	struct kp_error err;

	(void)state;
	kp_config_init(&cfg);
	kp_error_clear(&err);
	assert_int_equal(kp_config_read("/nonexistent/purge-old-kernels.conf",
	                                &cfg, NULL, NULL, &err),
	                 0);
	assert_int_equal(cfg.keep, KP_KEEP_DEFAULT);
	assert_int_equal(cfg.auto_purge, KP_AUTO_NO);
	/* a directory is no configuration file */
	assert_true(kp_config_read("/", &cfg, NULL, NULL, &err) < 0);
	assert_non_null(strstr(err.message, "/"));
	kp_config_free(&cfg);
}

static void
test_file(void **state)
{
	char path[] = "/tmp/t-config.XXXXXX";
	struct kp_config cfg;
	struct kp_error err;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_true(write(fd, "AUTO=yes\nTIMEOUT=7\n", 19) == 19);
	close(fd);
	kp_config_init(&cfg);
	kp_error_clear(&err);
	assert_int_equal(kp_config_read(path, &cfg, NULL, NULL, &err), 0);
	assert_int_equal(cfg.auto_purge, KP_AUTO_YES);
	assert_int_equal(cfg.timeout, 7);
	kp_config_free(&cfg);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_lines),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_only_auto_installed),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_last_wins),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests_name("purge-old-kernels.conf", tests,
	                                   NULL, NULL);
}
