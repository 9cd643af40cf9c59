/*
 * t-structure: membership by structure on synthetic dpkg databases. Names
 * the table does not know join a release by their file lists or their
 * dependencies, or stay outside; flavour-less packages are kept by need.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kpurge.h"
#include "statusdb.h"

#define R_OLD "7.0.0-28-generic"
#define R_NEW "7.0.0-30-generic"

static struct kp_plan *
plan_of(const char *root, unsigned keep)
{
	struct kp_plan_options opts = { .keep = keep };
	struct kp_error err = { 0 };
	struct kp_plan *plan = NULL;
	struct kp_ctx *ctx = kp_ctx_new(root, NULL, NULL, &err);

	if (ctx == NULL)
		fail_msg("kp_ctx_new: %s", err.message);
	if (kp_plan_new(ctx, &opts, &plan, &err) != 0)
		fail_msg("kp_plan_new: %s", err.message);
	kp_ctx_free(ctx);
	return plan;
}

static const struct kp_package *
find_pkg(const struct kp_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; i < kp_plan_n_packages(plan); i++)
		if (strcmp(kp_plan_package(plan, i)->name, name) == 0)
			return kp_plan_package(plan, i);
	return NULL;
}

static bool
purged(const struct kp_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; i < kp_plan_n_purge(plan); i++)
		if (strcmp(kp_plan_purge_name(plan, i), name) == 0)
			return true;
	return false;
}

/* Write var/lib/dpkg/info/NAME.list with the given lines. */
static void
write_list(const char *root, const char *name, const char *lines)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "var/lib/dpkg/info/%s.list", name);
	sdb_write_file(root, rel, lines);
}

/* Assert package name is a member of release, recognised as how. */
static void
assert_member(const struct kp_plan *plan, const char *name, const char *release,
              enum kp_recognised how)
{
	const struct kp_package *p = find_pkg(plan, name);

	if (p == NULL)
		fail_msg("%s is not in the plan", name);
	if (release == NULL)
		assert_null(p->release);
	else
		assert_string_equal(p->release, release);
	assert_string_equal(kp_recognised_name(p->recognised),
	                    kp_recognised_name(how));
}

static const struct sdb_pkg new_names[] = {
	{ "linux-image-" R_OLD, NULL, "linux-modules-" R_OLD },
	{ "linux-modules-" R_OLD, NULL, "linux-main-modules-zfs-" R_OLD },
	/* dependencies only: on the image */
	{ "linux-main-modules-zfs-" R_OLD, NULL,
	  "linux-image-" R_OLD " | linux-image-unsigned-" R_OLD },
	/* files only */
	{ "linux-hwe-7.0-lib-rust-" R_OLD },
	/* neither */
	{ "linux-acme-notes-" R_OLD },
	/* never a kernel, whatever its files */
	{ "linux-source-" R_OLD },
	{ "linux-firmware-blobs-" R_OLD },
	{ "linux-image-" R_NEW, NULL, "linux-modules-" R_NEW },
	{ "linux-modules-" R_NEW },
	{ NULL },
};

static void
test_new_names_by_files_and_dependencies(void **state)
{
	char *root = sdb_root_new(new_names);
	struct kp_plan *plan;

	write_list(root, "linux-hwe-7.0-lib-rust-" R_OLD,
	           "/.\n/usr\n/usr/src\n/usr/src/linux-hwe-7.0-lib-rust-" R_OLD
	           "\n"
	           "/usr/src/linux-hwe-7.0-lib-rust-" R_OLD
	           "/libkernel.rmeta\n");
	write_list(root, "linux-acme-notes-" R_OLD,
	           "/.\n/usr/share/doc/linux-acme-notes/README\n");
	write_list(root, "linux-source-" R_OLD,
	           "/.\n/lib/modules/" R_OLD
	           "/source.txt\n/usr/src/linux-source-" R_OLD "/x\n");
	write_list(root, "linux-firmware-blobs-" R_OLD,
	           "/.\n/lib/modules/" R_OLD "/firmware.bin\n");
	plan = plan_of(root, 1);
	assert_member(plan, "linux-image-" R_OLD, R_OLD, KP_RECOGNISED_NAME);
	assert_member(plan, "linux-main-modules-zfs-" R_OLD, R_OLD,
	              KP_RECOGNISED_DEPENDENCIES);
	assert_member(plan, "linux-hwe-7.0-lib-rust-" R_OLD, R_OLD,
	              KP_RECOGNISED_FILES);
	assert_null(find_pkg(plan, "linux-acme-notes-" R_OLD));
	assert_null(find_pkg(plan, "linux-source-" R_OLD));
	assert_null(find_pkg(plan, "linux-firmware-blobs-" R_OLD));
	assert_true(purged(plan, "linux-main-modules-zfs-" R_OLD));
	assert_true(purged(plan, "linux-hwe-7.0-lib-rust-" R_OLD));
	assert_true(purged(plan, "linux-image-" R_OLD));
	assert_int_equal(kp_plan_n_purge(plan), 4);
	/* Never an image: structure does not make a release bootable. */
	assert_int_not_equal(
	        find_pkg(plan, "linux-main-modules-zfs-" R_OLD)->kind,
	        KP_KIND_IMAGE);
	kp_plan_free(plan);
	sdb_root_free(root);
}

/*
 * Needed by members of R and by a package outside: not a member, and
 * never purged. A name of no scheme that only depends on R's headers is no
 * member either, and keeps R, naming itself.
 */
static const struct sdb_pkg needed_outside[] = {
	{ "linux-image-" R_OLD, NULL, "linux-modules-" R_OLD },
	{ "linux-modules-" R_OLD, NULL, "linux-extras-" R_OLD },
	{ "linux-extras-" R_OLD },
	{ "vendor-tool", NULL, "linux-extras-" R_OLD },
	{ "linux-image-7.0.0-29-generic" },
	{ "linux-headers-7.0.0-29-generic" },
	{ "linux-acme-build-7.0.0-29-generic", NULL,
	  "linux-headers-7.0.0-29-generic" },
	{ "linux-image-" R_NEW },
	{ NULL },
};

static void
test_needed_from_outside_stays_outside(void **state)
{
	char *root = sdb_root_new(needed_outside);
	struct kp_plan *plan = plan_of(root, 1);
	const struct kp_release *r29 = kp_plan_release(plan, 1);

	assert_null(find_pkg(plan, "linux-extras-" R_OLD));
	assert_false(purged(plan, "linux-extras-" R_OLD));
	assert_true(purged(plan, "linux-image-" R_OLD));
	assert_null(find_pkg(plan, "linux-acme-build-7.0.0-29-generic"));
	assert_string_equal(r29->name, "7.0.0-29-generic");
	assert_int_equal(r29->action, KP_KEEP);
	assert_int_equal(r29->reason, KP_REASON_NEEDED);
	assert_non_null(strstr(r29->why, "linux-acme-build-7.0.0-29-generic"));
	kp_plan_free(plan);
	sdb_root_free(root);
}

/* Needed by members of R only: a member, by its dependencies. */
static const struct sdb_pkg needed_inside[] = {
	{ "linux-image-" R_OLD, NULL, "linux-modules-" R_OLD },
	{ "linux-modules-" R_OLD, NULL, "linux-extras-" R_OLD },
	{ "linux-extras-" R_OLD },
	{ "linux-image-" R_NEW },
	{ NULL },
};

static void
test_needed_from_inside_is_member(void **state)
{
	char *root = sdb_root_new(needed_inside);
	struct kp_plan *plan = plan_of(root, 1);

	assert_member(plan, "linux-extras-" R_OLD, R_OLD,
	              KP_RECOGNISED_DEPENDENCIES);
	assert_true(purged(plan, "linux-extras-" R_OLD));
	kp_plan_free(plan);
	sdb_root_free(root);
}

/* A name ending in a release no known package has: stays outside. */
static const struct sdb_pkg unknown_release[] = {
	{ "linux-image-" R_NEW },
	{ "linux-extras-7.0.0-29-generic", NULL, "linux-image-" R_NEW },
	{ NULL },
};

static void
test_unknown_release_stays_outside(void **state)
{
	char *root = sdb_root_new(unknown_release);
	struct kp_plan *plan;

	write_list(root, "linux-extras-7.0.0-29-generic",
	           "/.\n/lib/modules/7.0.0-29-generic/x.ko\n");
	plan = plan_of(root, 1);
	assert_null(find_pkg(plan, "linux-extras-7.0.0-29-generic"));
	assert_int_equal(kp_plan_n_releases(plan), 1);
	kp_plan_free(plan);
	sdb_root_free(root);
}

/* A flavour-less name of no scheme joins its ABI by its files. */
static const struct sdb_pkg shared_by_files[] = {
	{ "linux-image-7.0.0-28-generic" },
	{ "linux-image-" R_NEW },
	{ "linux-oddity-bits-7.0.0-28" },
	{ NULL },
};

static void
test_flavourless_by_files(void **state)
{
	char *root = sdb_root_new(shared_by_files);
	struct kp_plan *plan;

	write_list(root, "linux-oddity-bits-7.0.0-28",
	           "/.\n/usr/lib/linux-oddity-bits-7.0.0-28/x\n");
	plan = plan_of(root, 1);
	assert_member(plan, "linux-oddity-bits-7.0.0-28", NULL,
	              KP_RECOGNISED_FILES);
	assert_true(purged(plan, "linux-oddity-bits-7.0.0-28"));
	kp_plan_free(plan);
	sdb_root_free(root);
}

/*
 * Debian: amd64 and cloud kept, rt only in config-files state. The rt
 * headers' flavour-less package goes, the -common the kept ones use stays.
 */
static const struct sdb_pkg rt_cloud[] = {
	{ "linux-image-6.1.0-21-amd64" },
	{ "linux-headers-6.1.0-21-amd64", NULL,
	  "linux-headers-6.1.0-21-common" },
	{ "linux-image-6.1.0-21-cloud-amd64" },
	{ "linux-headers-6.1.0-21-cloud-amd64", NULL,
	  "linux-headers-6.1.0-21-common" },
	{ "linux-image-6.1.0-21-rt-amd64", "c" },
	{ "linux-headers-6.1.0-21-rt-amd64", "c",
	  "linux-headers-6.1.0-21-common-rt" },
	{ "linux-headers-6.1.0-21-common" },
	{ "linux-headers-6.1.0-21-common-rt" },
	{ NULL },
};

static void
test_shared_kept_by_need(void **state)
{
	char *root = sdb_root_new(rt_cloud);
	struct kp_plan *plan = plan_of(root, 1);

	assert_false(purged(plan, "linux-headers-6.1.0-21-common"));
	assert_int_equal(
	        find_pkg(plan, "linux-headers-6.1.0-21-common")->reason,
	        KP_REASON_SHARED_KEPT);
	assert_true(purged(plan, "linux-headers-6.1.0-21-common-rt"));
	kp_plan_free(plan);
	sdb_root_free(root);
}

/*
 * A newer release removed to configuration files: its ABI-wide packages
 * are leftovers; with no release of the ABI at all they are a kernel
 * being installed.
 */
static const struct sdb_pkg newer_rc[] = {
	{ "linux-image-6.1.0-21-amd64" },
	{ "linux-image-6.1.0-22-amd64", "c" },
	{ "linux-headers-6.1.0-22-common" },
	{ "linux-kbuild-6.1.0-22" },
	{ "linux-headers-6.1.0-23-common" },
	{ NULL },
};

static void
test_newer_rc_leftovers(void **state)
{
	char *root = sdb_root_new(newer_rc);
	struct kp_plan *plan = plan_of(root, 1);

	assert_true(purged(plan, "linux-headers-6.1.0-22-common"));
	assert_true(purged(plan, "linux-kbuild-6.1.0-22"));
	assert_false(purged(plan, "linux-headers-6.1.0-23-common"));
	assert_int_equal(
	        find_pkg(plan, "linux-headers-6.1.0-23-common")->reason,
	        KP_REASON_NEWER_INCOMPLETE);
	kp_plan_free(plan);
	sdb_root_free(root);
}

/*
 * Never-a-kernel words: outside whatever they depend on. The release such
 * a package depends on is kept, and the reason names it.
 */
static const struct sdb_pkg never_depends[] = {
	{ "linux-image-" R_OLD, NULL, "linux-modules-" R_OLD },
	{ "linux-modules-" R_OLD },
	{ "linux-doc-" R_OLD, NULL, "linux-image-" R_OLD },
	{ "linux-image-" R_NEW },
	{ NULL },
};

static void
test_never_names_by_dependencies(void **state)
{
	char *root = sdb_root_new(never_depends);
	struct kp_plan *plan = plan_of(root, 1);
	const struct kp_release *old = kp_plan_release(plan, 1);

	assert_null(find_pkg(plan, "linux-doc-" R_OLD));
	assert_string_equal(old->name, R_OLD);
	assert_int_equal(old->reason, KP_REASON_NEEDED);
	assert_non_null(strstr(old->why, "linux-doc-" R_OLD));
	assert_int_equal(kp_plan_n_purge(plan), 0);
	kp_plan_free(plan);
	sdb_root_free(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_names_by_files_and_dependencies),
		cmocka_unit_test(test_needed_from_outside_stays_outside),
		cmocka_unit_test(test_needed_from_inside_is_member),
		cmocka_unit_test(test_unknown_release_stays_outside),
		cmocka_unit_test(test_flavourless_by_files),
		cmocka_unit_test(test_shared_kept_by_need),
		cmocka_unit_test(test_newer_rc_leftovers),
		cmocka_unit_test(test_never_names_by_dependencies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
