/*
 * t-dpkg-db: reading a root's dpkg database through libdpkg, and turning
 * libdpkg's fatal errors into error returns.
 */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kpurge.h"
#include "statusdb.h"

static const struct sdb_pkg two_kernels[] = {
	{ "linux-image-6.1.0-17-amd64", NULL, NULL, NULL, "6.1.69-1" },
	{ "linux-image-6.1.0-18-amd64", NULL, NULL, NULL, "6.1.76-1" },
	{ "linux-libc-dev", NULL, NULL, NULL, "6.1.76-1" },
	{ NULL },
};

static struct kp_plan *
plan_of(const char *root)
{
	struct kp_plan_options opts = { .keep = 1 };
	struct kp_error err = { 0 };
	struct kp_plan *plan = NULL;
	struct kp_ctx *ctx = kp_ctx_new(root, NULL, NULL, &err);

	if (ctx == NULL)
		fail_msg("kp_ctx_new: %s", err.message);
	assert_int_equal(kp_plan_new(ctx, &opts, &plan, &err), 0);
	kp_ctx_free(ctx);
	return plan;
}

static void
test_reads_kernel_packages_only(void **state)
{
	char *root = sdb_root_new(two_kernels);
	struct kp_plan *plan = plan_of(root);

	assert_int_equal(kp_plan_n_packages(plan), 2);
	assert_int_equal(kp_plan_n_releases(plan), 2);
	assert_string_equal(kp_plan_release(plan, 0)->name, "6.1.0-18-amd64");
	assert_string_equal(kp_plan_package(plan, 0)->version, "6.1.76-1");
	assert_int_equal(kp_plan_package(plan, 0)->size_kib,
	                 1000 + strlen("linux-image-6.1.0-18-amd64"));
	kp_plan_free(plan);
	sdb_root_free(root);
}

static void
test_missing_root(void **state)
{
	struct kp_error err = { 0 };

	assert_null(kp_ctx_new("/nonexistent/root", NULL, NULL, &err));
	assert_int_equal(err.code, -ENOENT);
	assert_non_null(strstr(err.message, "/nonexistent/root"));
}

static void
test_root_without_database(void **state)
{
	struct kp_error err = { 0 };

	assert_null(kp_ctx_new("/proc/self", NULL, NULL, &err));
	assert_non_null(strstr(err.message, "var/lib/dpkg/status"));
}

static void
test_corrupt_status(void **state)
{
	char *root = sdb_root_new(NULL);
	struct kp_error err = { 0 };

	sdb_write_file(root, "var/lib/dpkg/status",
	               "Package: linux-image-6.1.0-18-amd64\n"
	               "Status: install ok installed\nVersion: 6.1.76-1\n"
	               "this line is not a field\n\n");
	assert_null(kp_ctx_new(root, NULL, NULL, &err));
	assert_int_equal(err.code, -EIO);
	assert_non_null(strstr(err.message, "status"));
	/* The library is usable again after libdpkg's fatal error. */
	sdb_write_file(root, "var/lib/dpkg/status", "");
	struct kp_ctx *ctx = kp_ctx_new(root, NULL, NULL, &err);
	assert_non_null(ctx);
	kp_ctx_free(ctx);
	sdb_root_free(root);
}

static void
test_updates_journal(void **state)
{
	char *root = sdb_root_new(two_kernels);
	struct kp_error err = { 0 };
	struct kp_ctx *ctx;
	struct kp_plan *plan;

	/* dpkg was interrupted after removing 6.1.0-17: the journal says so. */
	sdb_write_file(root, "var/lib/dpkg/updates/0000",
	               "Package: linux-image-6.1.0-17-amd64\n"
	               "Status: deinstall ok config-files\nVersion: 6.1.69-1\n"
	               "Architecture: amd64\n\n");
	ctx = kp_ctx_new(root, NULL, NULL, &err);
	assert_non_null(ctx);
	assert_true(kp_ctx_dpkg_interrupted(ctx));
	kp_ctx_free(ctx);
	plan = plan_of(root);
	assert_int_equal(kp_plan_release(plan, 1)->state,
	                 KP_RELEASE_CONFIG_ONLY);
	kp_plan_free(plan);
	sdb_root_free(root);
}

static void
test_one_context_at_a_time(void **state)
{
	char *root = sdb_root_new(two_kernels);
	struct kp_error err = { 0 };
	struct kp_ctx *a = kp_ctx_new(root, NULL, NULL, &err);

	assert_non_null(a);
	assert_false(kp_ctx_dpkg_interrupted(a));
	assert_null(kp_ctx_new(root, NULL, NULL, &err));
	assert_int_equal(err.code, -EBUSY);
	kp_ctx_free(a);
	sdb_root_free(root);
}

static int n_warnings;

static void
count_warnings(void *data, enum kp_log_level level, const char *msg)
{
	if (level == KP_LOG_WARNING)
		n_warnings++;
	assert_ptr_equal(data, &n_warnings);
}

static void
test_warnings_reach_the_callback(void **state)
{
	char *root = sdb_root_new(NULL);
	struct kp_error err = { 0 };
	struct kp_ctx *ctx;

	/* No Architecture field: libdpkg warns, and must not print. */
	sdb_write_file(root, "var/lib/dpkg/status",
	               "Package: linux-image-6.1.0-18-amd64\n"
	               "Status: install ok installed\nVersion: 6.1.76-1\n"
	               "Maintainer: t <t@example.org>\nDescription: x\n\n");
	n_warnings = 0;
	ctx = kp_ctx_new(root, count_warnings, &n_warnings, &err);
	assert_non_null(ctx);
	assert_true(n_warnings > 0);
	kp_ctx_free(ctx);
	sdb_root_free(root);
}

static void
test_root_paths(void **state)
{
	char *root = sdb_root_new(NULL);
	char with_slash[4200];
	struct kp_error err = { 0 };
	struct kp_ctx *ctx;

	snprintf(with_slash, sizeof(with_slash), "%s//", root);
	ctx = kp_ctx_new(with_slash, NULL, NULL, &err);
	assert_non_null(ctx);
	assert_string_equal(kp_ctx_root(ctx), root);
	assert_non_null(strstr(kp_ctx_admindir(ctx), "/var/lib/dpkg"));
	kp_ctx_free(ctx);
	sdb_root_free(root);
}

/*
 * libdpkg reads DPKG_ROOT and DPKG_ADMINDIR when told no directory: the
 * context reads the database of the root it is given, whatever they say.
 * Each points at a root whose database holds other kernels.
 */
static void
test_environment_does_not_redirect(void **state)
{
	static const struct sdb_pkg decoy[] = {
		{ "linux-image-5.10.0-9-amd64", NULL, NULL, NULL, "5.10.70-1" },
		{ NULL },
	};
	char *root = sdb_root_new(two_kernels), *other = sdb_root_new(decoy);
	char admindir[4200];
	struct kp_plan *plan;

	snprintf(admindir, sizeof(admindir), "%s/var/lib/dpkg", other);
	assert_int_equal(setenv("DPKG_ROOT", other, 1), 0);
	assert_int_equal(setenv("DPKG_ADMINDIR", admindir, 1), 0);
	plan = plan_of(root);
	unsetenv("DPKG_ROOT");
	unsetenv("DPKG_ADMINDIR");
	assert_int_equal(kp_plan_n_releases(plan), 2);
	assert_string_equal(kp_plan_release(plan, 0)->name, "6.1.0-18-amd64");
	assert_string_equal(kp_plan_release(plan, 1)->name, "6.1.0-17-amd64");
	kp_plan_free(plan);
	sdb_root_free(other);
	sdb_root_free(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_kernel_packages_only),
		cmocka_unit_test(test_missing_root),
		cmocka_unit_test(test_root_without_database),
		cmocka_unit_test(test_corrupt_status),
		cmocka_unit_test(test_updates_journal),
		cmocka_unit_test(test_one_context_at_a_time),
		cmocka_unit_test(test_warnings_reach_the_callback),
		cmocka_unit_test(test_root_paths),
		cmocka_unit_test(test_environment_does_not_redirect),
	};

	return cmocka_run_group_tests_name("t-dpkg-db", tests, NULL, NULL);
}
