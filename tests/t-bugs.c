/*
 * t-bugs: open bugs, one regression case each, found by t-invariants and
 * the fuzzers. The program is listed in XFAIL_TESTS
 * (tests/local.mk) while any case here fails; fixing a bug makes its case
 * pass: move the case to the test of its module (t-names, t-plan ...),
 * and when this file is empty, drop it from XFAIL_TESTS and UNIT_TESTS.
 *
 * A plain driver, not cmocka: the expected failures must not count as
 * failed cmocka cases in CI's summary. Exit 1 while any case fails.
 */
#include <config.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpurge.h"
#include "statusdb.h"

static bool case_failed;

static struct kp_plan *
plan_for(const struct sdb_pkg *pkgs, const char *running, unsigned keep)
{
	struct kp_plan_options opts = { .keep = keep, .running = running };
	struct kp_error err = { 0 };
	struct kp_plan *plan = NULL;
	char *root = sdb_root_new(pkgs);
	struct kp_ctx *ctx = kp_ctx_new(root, NULL, NULL, &err);

	if (ctx == NULL || kp_plan_new(ctx, &opts, &plan, &err) < 0) {
		printf("#   cannot plan: %s\n", err.message);
		case_failed = true;
	}
	kp_ctx_free(ctx);
	sdb_root_free(root);
	return plan;
}

static void
assert_not_purged(const struct kp_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; plan != NULL && i < kp_plan_n_purge(plan); i++)
		if (strcmp(kp_plan_purge_name(plan, i), name) == 0) {
			printf("#   %s is planned for purge\n", name);
			case_failed = true;
		}
}

/*
 * A custom kernel built with CONFIG_LOCALVERSION="-dbg" (make bindeb-pkg)
 * is release 6.7.1-dbg: packages linux-image-6.7.1-dbg and
 * linux-headers-6.7.1-dbg. kp_name_parse() reads linux-image-6.7.1-dbg as
 * the debug package of a release 6.7.1 (the "-dbg" suffix rule), so
 * 6.7.1-dbg has no image: the running kernel's image is purged as
 * "leftovers of a release without a kernel image". Same for the local
 * versions "-unsigned" (read as Debian's unsigned image of 6.7.1, which
 * at least stays an image) and "-dbgsym".
 * Found by t-invariants with KP_TRICKY=1.
 */
static void
test_localversion_dbg_running(void)
{
	static const struct sdb_pkg pkgs[] = {
		{ "linux-image-6.7.1-dbg", NULL, NULL, NULL, "6.7.1-1" },
		{ "linux-headers-6.7.1-dbg", NULL, NULL, NULL, "6.7.1-1" },
		{ "linux-image-6.8.2", NULL, NULL, NULL, "6.8.2-1" },
		{ NULL },
	};
	struct kp_plan *plan = plan_for(pkgs, "6.7.1-dbg", 1);

	assert_not_purged(plan, "linux-image-6.7.1-dbg");
	assert_not_purged(plan, "linux-headers-6.7.1-dbg");
	kp_plan_free(plan);
}

/* The same kernel not running, but one of the --keep=2 newest. */
static void
test_localversion_dbg_kept(void)
{
	static const struct sdb_pkg pkgs[] = {
		{ "linux-image-6.7.1-dbgsym", NULL, NULL, NULL, "6.7.1-1" },
		{ "linux-image-6.8.2", NULL, NULL, NULL, "6.8.2-1" },
		{ "linux-image-6.6.0", NULL, NULL, NULL, "6.6.0-1" },
		{ NULL },
	};
	struct kp_plan *plan = plan_for(pkgs, NULL, 2);

	assert_not_purged(plan, "linux-image-6.7.1-dbgsym");
	kp_plan_free(plan);
}

/* Is s[0..len) UTF-8? */
static bool
utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = s[i] >= 0xf0 && s[i] <= 0xf4 ? 4 : s[i] >= 0xe0 && s[i] < 0xf0 ? 3 :
		    s[i] >= 0xc2 && s[i] < 0xe0 ? 2 : 0;
		if (n == 0 || i + n > len)
			return false;
		for (k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += n;
	}
	return true;
}

/*
 * dpkg only warns about a Version field with bytes that are not UTF-8
 * ("invalid character in version number") and installs the package; the
 * JSON writer (lib/plan-json.c, json_str) copies the bytes into the
 * document as they are, so --json prints a document JSON parsers reject
 * (Python: UnicodeDecodeError). Found by fuzz-status.
 */
static void
test_json_version_not_utf8(void)
{
	static const struct sdb_pkg pkgs[] = {
		{ "linux-image-6.8.0-31-generic", NULL, NULL, NULL, "6.8.0-31.31\xff" },
		{ "linux-image-6.8.0-40-generic", NULL, NULL, NULL, "6.8.0-40.40" },
		{ NULL },
	};
	struct kp_plan *plan = plan_for(pkgs, NULL, 1);
	char *json = NULL;
	size_t len = 0;
	FILE *f;

	if (plan == NULL)
		return;
	f = open_memstream(&json, &len);
	if (f == NULL || kp_plan_write_json(plan, f, NULL) < 0 || fclose(f) != 0) {
		printf("#   cannot write the JSON document\n");
		case_failed = true;
	} else if (!utf8_valid((const unsigned char *)json, len)) {
		printf("#   the JSON document is not UTF-8\n");
		case_failed = true;
	}
	free(json);
	kp_plan_free(plan);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "running custom kernel with local version -dbg", test_localversion_dbg_running },
	{ "kept custom kernel with local version -dbgsym", test_localversion_dbg_kept },
	{ "--json with a Version field that is not UTF-8", test_json_version_not_utf8 },
};

int
main(void)
{
	size_t i, failed = 0, n = sizeof(cases) / sizeof(cases[0]);

	for (i = 0; i < n; i++) {
		case_failed = false;
		cases[i].fn();
		printf("%s %zu - %s\n", case_failed ? "not ok" : "ok", i + 1, cases[i].name);
		failed += case_failed;
	}
	printf("# t-bugs: %zu of %zu open bugs still reproduce\n", failed, n);
	return failed ? 1 : 0;
}
