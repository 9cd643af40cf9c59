/*
 * t-apt-marks: the rule by which an APT::NeverAutoRemove pattern keeps a
 * release (kp_apt_never_pattern(), lib/apt-marks.c): it counts when it
 * matches the release's image and not every installed image, as apt
 * matches (POSIX extended, case-insensitive, invalid patterns skipped).
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kpurge.h"

static const char *const images[] = {
	"linux-image-6.8.0-45-generic",
	"linux-image-6.8.0-40-generic",
	"linux-image-5.15.0-91-generic",
	"linux-image-6.8.0-40-lowlatency",
};
#define N_IMAGES (sizeof(images) / sizeof(images[0]))

static long
rule(const char *const *patterns, const char *image, bool *any)
{
	return kp_apt_never_pattern(patterns, image, images, N_IMAGES, any);
}

/* An administrator's pattern for one release keeps it, and only it. */
static void
test_one_release(void **state)
{
	static const char *const pats[] = {
		"^linux-image-5\\.15\\.0-91-generic$",
		NULL,
	};
	bool any;

	(void)state;
	assert_int_equal(rule(pats, images[2], &any), 0);
	assert_true(any);
	assert_int_equal(rule(pats, images[0], &any), -1);
	assert_false(any);
	assert_int_equal(rule(pats, images[3], NULL), -1);
}

/* Debian's 01autoremove (metapackages) and a pattern for every kernel
 * name no release; what matches a version's flavours keeps both. */
static void
test_distribution_patterns(void **state)
{
	static const char *const debian[] = {
		"^firmware-linux.*",
		"^linux-firmware$",
		"^linux-image-[a-z0-9]*$",
		"^linux-image-[a-z0-9]*-[a-z0-9]*$",
		NULL,
	};
	static const char *const every[] = { "^linux-image-.*",
		                             "generic|lowlatency", NULL };
	static const char *const version[] = { "^linux-image-6\\.8\\.0-40-",
		                               NULL };
	bool any;
	size_t i;

	(void)state;
	for (i = 0; i < N_IMAGES; i++) {
		assert_int_equal(rule(debian, images[i], &any), -1);
		assert_false(any);
		assert_int_equal(rule(every, images[i], &any), -1);
		assert_true(any);
	}
	assert_int_equal(rule(version, images[1], NULL), 0);
	assert_int_equal(rule(version, images[3], NULL), 0);
	assert_int_equal(rule(version, images[0], NULL), -1);
}

/* The first pattern that counts is named, past one that matches all;
 * case does not matter; an invalid pattern is skipped, as apt does. */
static void
test_first_counting_pattern(void **state)
{
	static const char *const pats[] = {
		"^linux-image-.*",
		"(",
		"LINUX-IMAGE-6\\.8\\.0-45-GENERIC",
		"-45-",
		NULL,
	};
	bool any;

	(void)state;
	assert_int_equal(rule(pats, images[0], &any), 2);
	assert_true(any);
	assert_int_equal(rule(pats, images[1], &any), -1);
	assert_true(any);
}

/* No patterns, or one installed image (every pattern matches all). */
static void
test_edges(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const pats[] = { "-91-", NULL };
	bool any = true;

	(void)state;
	assert_int_equal(rule(none, images[0], &any), -1);
	assert_false(any);
	assert_int_equal(
	        kp_apt_never_pattern(NULL, images[0], images, N_IMAGES, NULL),
	        -1);
	assert_int_equal(
	        kp_apt_never_pattern(pats, images[2], &images[2], 1, &any), -1);
	assert_true(any);
}

/* The JSON and the CLI spell apt's marks and verdicts thus. */
static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(kp_install_mark_name(KP_MARK_AUTO), "auto");
	assert_string_equal(kp_install_mark_name(KP_MARK_MANUAL), "manual");
	assert_null(kp_install_mark_name(KP_MARK_UNKNOWN));
	assert_string_equal(kp_apt_verdict_name(KP_APT_VERDICT_PROTECTED),
	                    "protected");
	assert_string_equal(kp_apt_verdict_name(KP_APT_VERDICT_WOULD_REMOVE),
	                    "would-remove");
	assert_string_equal(kp_apt_verdict_name(KP_APT_VERDICT_PARTIAL),
	                    "partial");
	assert_string_equal(kp_apt_verdict_name(KP_APT_VERDICT_NEVER), "never");
	assert_string_equal(kp_apt_verdict_name(KP_APT_VERDICT_NEEDED),
	                    "needed");
	assert_string_equal(kp_apt_verdict_name(KP_APT_VERDICT_NONE), "none");
	assert_null(kp_apt_verdict_name(KP_APT_VERDICT_UNKNOWN));
	assert_string_equal(kp_reason_name(KP_REASON_APT_NEVER_AUTOREMOVE),
	                    "apt-never-autoremove");
	assert_string_equal(kp_reason_name(KP_REASON_MANUALLY_INSTALLED),
	                    "manually-installed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_release),
		cmocka_unit_test(test_distribution_patterns),
		cmocka_unit_test(test_first_counting_pattern),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("APT::NeverAutoRemove rule", tests,
	                                   NULL, NULL);
}
