/*
 * t-version - Debian versions and the order of kernel releases: one row
 * per ordering rule, plus a shuffled list that must sort back in order.
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
#include <cmocka.h>

#include "kpurge.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int
sign(int n)
{
	return (n > 0) - (n < 0);
}

/* ------------------------------------------------- kp_version_compare */

/* a <op> b, with op the sign of the expected comparison. */
struct cmp_row {
	const char *a;
	int expect;
	const char *b;
};

/* Test names built from the rows: "a < b". */
typedef char cmp_title_buf[96];

static const struct cmp_row version_rows[] = {
	{ "1.0", 0, "1.0" },
	{ "1.0", -1, "1.1" },
	{ "2.30-1", 1, "2.4-1" },      /* numbers, not text */
	{ "6.1.76+1", 1, "6.1.76-1" }, /* Debian's signed image */
	{ "6.1.76+1", -1, "6.1.76+2" },
	{ "6.1.76-1", -1, "6.1.76-1+deb12u1" },
	{ "5.15.0-101.111", 1, "5.15.0-91.101" },
	{ "5.15.0-91.101", 1, "5.15.0-91.99" },
	{ "1:1.0", 1, "2.0" }, /* epoch first */
	{ "0:1.0", 0, "1.0" },
	{ "2:1.0", 1, "1:9.9" },
	{ "1.0~rc1", -1, "1.0" }, /* ~ sorts before anything */
	{ "1.0~~", -1, "1.0~" },
	{ "1.0~", -1, "1.0" },
	{ "1.0-1~bpo12+1", -1, "1.0-1" },
	{ "1.0+b1", 1, "1.0" },
	{ "1.0a", 1, "1.0" },
	{ "1.0", -1, "1.0.0" },
	{ "1.0-0", 0, "1.0" },
	{ "1.0-1", -1, "1.0-1ubuntu1" },
	{ "6.8.12-4", -1, "6.8.12-10" },
	{ "abc", 1, "1" }, /* dpkg warns, compares */
};

static void
test_version_compare(void **state)
{
	const struct cmp_row *row = *state;
	struct kp_error err;
	int result = 42;

	kp_error_clear(&err);
	assert_int_equal(kp_version_compare(row->a, row->b, &result, &err), 0);
	assert_int_equal(err.code, 0);
	assert_int_equal(sign(result), row->expect);
	assert_int_equal(kp_version_compare(row->b, row->a, &result, &err), 0);
	assert_int_equal(sign(result), -row->expect);
}

/* Versions dpkg rejects: -EINVAL, a message naming them, no result. */
static const char *const bad_versions[] = {
	"",   "   ",    "1.0 2",           "a:1.0", ":1.0",
	"1:", "-1:1.0", "99999999999:1.0", "1.0-",  "1:-1",
};

static void
test_bad_version(void **state)
{
	const char *bad = *state;
	char quoted[64];
	struct kp_error err;
	int result = 42;

	snprintf(quoted, sizeof(quoted), "'%s'", bad);
	kp_error_clear(&err);
	assert_int_equal(kp_version_compare(bad, "1.0", &result, &err),
	                 -EINVAL);
	assert_int_equal(err.code, -EINVAL);
	assert_non_null(strstr(err.message, quoted));
	kp_error_clear(&err);
	assert_int_equal(kp_version_compare("1.0", bad, &result, &err),
	                 -EINVAL);
	assert_int_equal(err.code, -EINVAL);
	assert_non_null(strstr(err.message, quoted));
	assert_int_equal(result, 42);
	/* A NULL error object is allowed. */
	assert_int_equal(kp_version_compare(bad, "1.0", &result, NULL),
	                 -EINVAL);
}

static void
test_null_version(void **state)
{
	struct kp_error err;
	int result = 42;

	(void)state;
	kp_error_clear(&err);
	assert_int_equal(kp_version_compare(NULL, "1.0", &result, &err),
	                 -EINVAL);
	assert_int_equal(err.code, -EINVAL);
	assert_true(err.message[0] != '\0');
	assert_int_equal(result, 42);
}

/* ------------------------------------------------- kp_release_version */

struct translation_row {
	const char *abi;
	const char *version;
};

static const struct translation_row translation_rows[] = {
	{ "5.15.0-91", "5.15.0.91" },
	{ "5.15.0-91-generic", "5.15.0.91.generic" },
	{ "6.5.0-0.deb12.4", "6.5.0.0.deb12.4" },
	{ "6.12.38+deb13", "6.12.38+deb13" },
	{ "6.1.0-rpi7-rpi-v8", "6.1.0.rpi7.rpi.v8" },
	{ "6.7.0-rc1", "6.7.0~rc1" },
	{ "6.7.0-rc12-custom", "6.7.0~rc12.custom" },
	{ "6.7.0-rc1+", "6.7.0~rc1+" },
	{ "6.7.0-060700rc1", "6.7.0.060700~rc1" },
	{ "6.7.0-060700rc1-generic", "6.7.0.060700~rc1.generic" },
	{ "6.7.0-060700", "6.7.0.060700" },
	{ "6.7.0-rcx", "6.7.0.rcx" }, /* not a pre-release */
	{ "6.6.1-arc1", "6.6.1.arc1" },
	{ "6.6.1-rc1x", "6.6.1.rc1x" },
	{ "6.7.0+", "6.7.0+" },
	{ "", "" },
};

static void
test_release_version(void **state)
{
	const struct translation_row *row = *state;
	char buf[KP_NAME_MAX];

	assert_int_equal(kp_release_version(row->abi, buf, sizeof(buf)),
	                 (int)strlen(row->version));
	assert_string_equal(buf, row->version);
}

/* The translation and its NUL must fit, the inserted '~' included. */
static void
test_release_version_too_long(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(kp_release_version("6.7.0-060700rc1", buf, 17), 16);
	assert_string_equal(buf, "6.7.0.060700~rc1");
	assert_int_equal(kp_release_version("6.7.0-060700rc1", buf, 16),
	                 -ENAMETOOLONG);
	assert_string_equal(buf, "");
	assert_int_equal(kp_release_version("5.15.0-91", buf, 10), 9);
	assert_int_equal(kp_release_version("5.15.0-91", buf, 9),
	                 -ENAMETOOLONG);
	assert_int_equal(kp_release_version("5.15.0-91", buf, 1),
	                 -ENAMETOOLONG);
	assert_int_equal(kp_release_version("5.15.0-91", NULL, 0),
	                 -ENAMETOOLONG);
	assert_int_equal(kp_release_version("", buf, 1), 0);
}

/* ------------------------------------------------- kp_release_compare */

static const struct cmp_row release_rows[] = {
	{ "5.15.0-101", 1, "5.15.0-91" }, /* not text order */
	{ "4.10.0-1", 1, "4.4.0-200" },
	{ "6.5.0-0.deb12.4", 1, "6.1.0-18" },   /* backports */
	{ "6.1.0-0.deb11.17", -1, "6.1.0-18" }, /* backport of a stable ABI */
	{ "4.19.0-0.bpo.6", 1, "4.19.0-0.bpo.5" },
	{ "6.7.0-rc1", -1, "6.7.0" }, /* rc before the release */
	{ "6.7.0-rc2", 1, "6.7.0-rc1" },
	{ "6.7.0-rc10", 1, "6.7.0-rc9" },
	{ "6.7.0-rc1+", -1, "6.7.0" },
	{ "6.7.1-rc1", 1, "6.7.0" },
	{ "6.7.0-060700rc1", -1, "6.7.0-060700" }, /* mainline rc */
	{ "6.7.0-060700rc8", -1, "6.7.0-060700" },
	{ "6.7.0-060700rc1", 1, "6.6.9-060609" },
	{ "6.12.38+deb13", 1, "6.12.10+deb13" }, /* Debian 13 */
	{ "6.12.10+deb13", 1, "6.1.0-18" },
	{ "6.6.31+rpt", 1, "6.1.0-rpi7" }, /* Raspberry Pi OS */
	{ "6.1.0-rpi8", 1, "6.1.0-rpi7" },
	{ "6.6.1-060601", 1, "6.6.0-14" }, /* mainline vs Ubuntu */
	{ "6.8.0-31", 1, "6.7.0-060700" },
	{ "6.8.0-060800", 1, "6.8.0-31" },
	{ "6.8.1-060801", 1, "6.8.0-1008" },
	{ "6.8.12-10", 1, "6.8.12-4" }, /* Proxmox */
	{ "2.6.32-5", -1, "3.2.0-4" },
	{ "6.7.0+", 1, "6.7.0" }, /* custom, dirty tree */
	{ "5.15.0-101-generic", 1, "5.15.0-91-generic" }, /* releases */
	{ "5.15.0-91-generic", 1, "5.15.0-91" },
	{ "6.1.0-18-amd64", -1, "6.1.0-19-cloud-amd64" },
	{ "5.15.0-91", 0, "5.15.0-91" },
	{ "5.15.0-91", 0, "5.15.0-091" }, /* dpkg: same numbers */
	{ "", -1, "2.6.32-5" },
};

static void
test_release_compare(void **state)
{
	const struct cmp_row *row = *state;

	assert_int_equal(sign(kp_release_compare(row->a, row->b)), row->expect);
	assert_int_equal(sign(kp_release_compare(row->b, row->a)),
	                 -row->expect);
}

static void
test_release_compare_null(void **state)
{
	(void)state;
	assert_int_equal(kp_release_compare(NULL, NULL), 0);
	assert_int_equal(kp_release_compare(NULL, ""), 0);
	assert_true(kp_release_compare(NULL, "2.6.32-5") < 0);
	assert_true(kp_release_compare("2.6.32-5", NULL) > 0);
}

/* Every ABI scheme, oldest first: no two of them compare equal. */
static const char *const sorted_abis[] = {
	"2.6.32-5",        "3.2.0-4",
	"4.4.0-200",       "4.10.0-1",
	"4.19.0-0.bpo.6",  "5.15.0-91",
	"5.15.0-101",      "6.1.0-0.deb11.17",
	"6.1.0-18",        "6.5.0-0.deb12.4",
	"6.6.0-14",        "6.6.1-060601",
	"6.7.0-rc1",       "6.7.0-rc1+",
	"6.7.0-rc2",       "6.7.0-rc10",
	"6.7.0",           "6.7.0+",
	"6.7.0-060700rc1", "6.7.0-060700rc8",
	"6.7.0-060700",    "6.8.0-31",
	"6.8.0-060800",    "6.8.12-4",
	"6.8.12-10",       "6.12.10+deb13",
	"6.12.38+deb13",
};

static int
qsort_release(const void *a, const void *b)
{
	return kp_release_compare(*(const char *const *)a,
	                          *(const char *const *)b);
}

/* A small fixed generator: the same shuffles on every run. */
static unsigned
next_random(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

static void
shuffle(const char **v, size_t n, unsigned seed)
{
	const char *t;
	size_t i, j;

	for (i = n - 1; i > 0; i--) {
		j = next_random(&seed) % (i + 1);
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static void
test_release_sort(void **state)
{
	const char *v[ARRAY_SIZE(sorted_abis)];
	size_t i;
	unsigned seed;

	(void)state;
	for (seed = 1; seed <= 20; seed++) {
		memcpy(v, sorted_abis, sizeof(v));
		shuffle(v, ARRAY_SIZE(v), seed);
		qsort(v, ARRAY_SIZE(v), sizeof(v[0]), qsort_release);
		for (i = 0; i < ARRAY_SIZE(v); i++)
			assert_string_equal(v[i], sorted_abis[i]);
	}
}

/* Antisymmetric and transitive over every pair and triple of the list. */
static void
test_release_total_order(void **state)
{
	const size_t n = ARRAY_SIZE(sorted_abis);
	int ab, bc, ac;
	size_t i, j, k;

	(void)state;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			ab = sign(kp_release_compare(sorted_abis[i],
			                             sorted_abis[j]));
			assert_int_equal(
			        ab, -sign(kp_release_compare(sorted_abis[j],
			                                     sorted_abis[i])));
			assert_int_equal(ab, (i > j) - (i < j));
			for (k = 0; k < n; k++) {
				bc = sign(kp_release_compare(sorted_abis[j],
				                             sorted_abis[k]));
				ac = sign(kp_release_compare(sorted_abis[i],
				                             sorted_abis[k]));
				if (ab == bc)
					assert_int_equal(ac, ab);
			}
		}
}

/* Names longer than any package name still order consistently. */
static void
test_release_compare_long(void **state)
{
	char a[2048], b[2048];

	(void)state;
	memset(a, '1', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(b));
	memcpy(a, "6.7.0-", 6);
	memcpy(b, "6.8.0-", 6);
	assert_true(kp_release_compare(a, b) < 0);
	assert_true(kp_release_compare(b, a) > 0);
	assert_int_equal(kp_release_compare(a, a), 0);
}

/* ------------------------------------------------------------- driver */

static struct CMUnitTest version_tests[ARRAY_SIZE(version_rows)];
static struct CMUnitTest bad_tests[ARRAY_SIZE(bad_versions)];
static struct CMUnitTest translation_tests[ARRAY_SIZE(translation_rows)];
static struct CMUnitTest release_tests[ARRAY_SIZE(release_rows)];
static cmp_title_buf version_titles[ARRAY_SIZE(version_rows)];
static cmp_title_buf release_titles[ARRAY_SIZE(release_rows)];

static struct CMUnitTest
row_test(const char *name, CMUnitTestFunction fn, const void *row)
{
	return (struct CMUnitTest){
		.name = name[0] != '\0' ? name : "(empty)",
		.test_func = fn,
		.initial_state = (void *)row,
	};
}

/* Name a comparison row "a < b" so a failure says which rule broke. */
static const char *
cmp_title(const struct cmp_row *row, cmp_title_buf title)
{
	snprintf(title, sizeof(cmp_title_buf), "%s %s %s",
	         row->a[0] != '\0' ? row->a : "\"\"",
	         row->expect < 0 ? "<" :
	         row->expect > 0 ? ">" :
	                           "==",
	         row->b);
	return title;
}

static void
fill_tests(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(version_rows); i++)
		version_tests[i] = row_test(
		        cmp_title(&version_rows[i], version_titles[i]),
		        test_version_compare, &version_rows[i]);
	for (i = 0; i < ARRAY_SIZE(bad_versions); i++)
		bad_tests[i] = row_test(bad_versions[i], test_bad_version,
		                        bad_versions[i]);
	for (i = 0; i < ARRAY_SIZE(translation_rows); i++)
		translation_tests[i] = row_test(translation_rows[i].abi,
		                                test_release_version,
		                                &translation_rows[i]);
	for (i = 0; i < ARRAY_SIZE(release_rows); i++)
		release_tests[i] = row_test(
		        cmp_title(&release_rows[i], release_titles[i]),
		        test_release_compare, &release_rows[i]);
}

int
main(void)
{
	static const struct CMUnitTest misc_tests[] = {
		cmocka_unit_test(test_null_version),
		cmocka_unit_test(test_release_version_too_long),
		cmocka_unit_test(test_release_compare_null),
		cmocka_unit_test(test_release_compare_long),
		cmocka_unit_test(test_release_sort),
		cmocka_unit_test(test_release_total_order),
	};
	int failed = 0;

	fill_tests();
	failed += cmocka_run_group_tests_name(
	        "kp_version_compare: Debian versions", version_tests, NULL,
	        NULL);
	failed += cmocka_run_group_tests_name(
	        "kp_version_compare: versions dpkg rejects", bad_tests, NULL,
	        NULL);
	failed += cmocka_run_group_tests_name(
	        "kp_release_version: translations", translation_tests, NULL,
	        NULL);
	failed += cmocka_run_group_tests_name(
	        "kp_release_compare: kernel ordering rules", release_tests,
	        NULL, NULL);
	failed += cmocka_run_group_tests_name(
	        "kp_release_compare: sorting, total order, limits", misc_tests,
	        NULL, NULL);
	return failed == 0 ? 0 : 1;
}
