/*
 * t-fingerprint - what the apt hook and the status line compare: the
 * stamp changes with every write of the dpkg database; the fingerprint
 * only when a kernel-named package's record (or the journal's) changes.
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
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "kpurge-app.h"
#include "kpurge.h"

static char root[64];

#define REC(name, version, status)                                             \
	"Package: " name "\nStatus: " status "\nVersion: " version             \
	"\nArchitecture: amd64\nDescription: test\n"
#define II "install ok installed"

static const char *const base_records[] = {
	REC("bash", "5.2-1", II),
	REC("linux-image-6.8.0-40-generic", "6.8.0-40.40", II),
	REC("linux-image-6.8.0-45-generic", "6.8.0-45.45", II),
	REC("zlib1g", "1:1.2.13", II),
};

static void
write_file(const char *name, const char *const *records, size_t n)
{
	char path[256];
	FILE *f;
	size_t i;

	snprintf(path, sizeof(path), "%s/var/lib/dpkg/%s", root, name);
	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "\n" : "", records[i]);
	fclose(f);
}

static unsigned long long
fingerprint(void)
{
	unsigned long long h;
	struct kp_error err;

	kp_error_clear(&err);
	if (kp_kernel_fingerprint(root, &h, &err) < 0)
		fail_msg("%s", err.message);
	return h;
}

static unsigned long long
stamp(void)
{
	unsigned long long h;
	struct kp_error err;

	kp_error_clear(&err);
	if (kp_db_stamp(root, &h, &err) < 0)
		fail_msg("%s", err.message);
	return h;
}

static int
setup(void **state)
{
	char cmd[256];

	(void)state;
	strcpy(root, "/tmp/t-fingerprint.XXXXXX");
	if (mkdtemp(root) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/var/lib/dpkg/updates'", root);
	if (system(cmd) != 0)
		return -1;
	write_file("status", base_records, 4);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_other_packages(void **state)
{
	const char *changed[] = {
		REC("bash", "5.2-2", II), /* bash upgraded */
		base_records[1],
		base_records[2],
		REC("zlib1g", "1:1.3", II), /* and zlib */
		REC("vim", "9.0", II),      /* vim installed */
	};
	unsigned long long f = fingerprint(), s = stamp();

	(void)state;
	write_file("status", changed, 5);
	assert_true(stamp() != s);
	assert_true(fingerprint() == f);
	write_file("status", base_records, 4);
}

static void
test_kernel_packages(void **state)
{
	const char *upgraded[] = {
		base_records[0],
		base_records[1],
		REC("linux-image-6.8.0-45-generic", "6.8.0-45.46", II),
		base_records[3],
	};
	const char *added[] = {
		base_records[0],
		base_records[1],
		base_records[2],
		REC("linux-image-6.8.0-48-generic", "6.8.0-48.48", II),
		base_records[3],
	};
	const char *held[] = {
		base_records[0],
		base_records[1],
		REC("linux-image-6.8.0-45-generic", "6.8.0-45.45",
		    "hold ok installed"),
		base_records[3],
	};
	const char *meta[] = {
		base_records[0], base_records[1],
		base_records[2], REC("linux-generic", "6.8.0.45.45", II),
		base_records[3],
	};
	const char *pve[] = {
		base_records[0],
		base_records[1],
		base_records[2],
		REC("proxmox-kernel-6.8.12-4-pve-signed", "6.8.12-4", II),
		base_records[3],
	};
	const char *reordered[] = {
		base_records[2],
		base_records[3],
		base_records[0],
		base_records[1],
	};
	unsigned long long f = fingerprint();

	(void)state;
	write_file("status", upgraded, 4);
	assert_true(fingerprint() != f);
	write_file("status", added, 5);
	assert_true(fingerprint() != f);
	write_file("status", held, 4);
	assert_true(fingerprint() != f);
	write_file("status", meta, 5);
	assert_true(fingerprint() != f);
	write_file("status", pve, 5);
	assert_true(fingerprint() != f);
	write_file("status", base_records, 1); /* every kernel removed */
	assert_true(fingerprint() != f);
	write_file("status", reordered, 4); /* the same records */
	assert_true(fingerprint() == f);
	write_file("status", base_records, 4);
	assert_true(fingerprint() == f);
}

#define DEP(name, field, deps, status)                                         \
	"Package: " name "\nStatus: " status "\nVersion: 1.0-1"                \
	"\nArchitecture: amd64\n" field ": " deps "\nDescription: test\n"

/* The plan reads more than the kernels' records: see each change. */
static void
changes(const char *const *records, size_t n, unsigned long long *f)
{
	unsigned long long now;

	write_file("status", records, n);
	now = fingerprint();
	assert_true(now != *f);
	*f = now;
}

/*
 * An out-of-tree module that depends on a kernel keeps it: installing,
 * removing, holding or purging it changes the plan, and the fingerprint.
 */
static void
test_dependents(void **state)
{
	const char *module[] = {
		base_records[0],
		base_records[1],
		base_records[2],
		base_records[3],
		DEP("acme-modules-6.8.0-40-generic", "Depends",
		    "libc6 (>= 2.34), linux-image-6.8.0-40-generic", II),
	};
	const char *removed[] = {
		base_records[0],
		base_records[1],
		base_records[2],
		base_records[3],
		DEP("acme-modules-6.8.0-40-generic", "Depends",
		    "libc6 (>= 2.34), linux-image-6.8.0-40-generic",
		    "deinstall ok config-files"),
	};
	const char *pre[] = {
		base_records[0],
		base_records[1],
		base_records[2],
		base_records[3],
		DEP("acme-tool", "Pre-Depends",
		    "linux-image-6.8.0-40-generic:amd64 (= 6.8.0-40.40)", II),
	};
	unsigned long long f = fingerprint();

	(void)state;
	changes(module, 5, &f);
	changes(removed, 5, &f);
	changes(base_records, 4, &f);
	changes(pre, 5, &f);
	write_file("status", base_records, 4);
}

/* A dependency on what a kernel package provides, and on a choice. */
static void
test_provides_and_choices(void **state)
{
	const char *provider[] = {
		base_records[0],
		"Package: linux-modules-6.8.0-40-generic\nStatus: " II
		"\nVersion: 6.8.0-40.40\nProvides: wireguard-modules (= 1.0.0), "
		"zfs-modules\n",
		base_records[2],
		base_records[3],
	};
	const char *virtual_dep[] = {
		provider[0],
		provider[1],
		provider[2],
		provider[3],
		DEP("zfs-tools", "Depends", "zfs-modules | zfs-dkms", II),
	};
	const char *choice[] = {
		provider[0], provider[1],    provider[2],
		provider[3], virtual_dep[4], REC("zfs-dkms", "2.2.2-1", II),
	};
	const char *choice_provided[] = {
		provider[0],
		provider[1],
		provider[2],
		provider[3],
		virtual_dep[4],
		"Package: zfs-dkms-nightly\nStatus: " II "\nVersion: 1\n"
		"Provides: zfs-dkms\n",
	};
	const char *unrelated[] = {
		provider[0],
		provider[1],
		provider[2],
		provider[3],
		virtual_dep[4],
		choice_provided[5],
		REC("vim", "9.0", II),
		DEP("vim-addons", "Depends", "vim | nvi", II),
	};
	unsigned long long f;

	(void)state;
	write_file("status", provider, 4);
	f = fingerprint();
	changes(virtual_dep, 5, &f);
	changes(choice, 6, &f);
	changes(choice_provided, 6, &f);
	write_file("status", unrelated, 8);
	assert_true(fingerprint() == f);
	write_file("status", base_records, 4);
}

/* dpkg's journal overrides the status file until it is merged. */
static void
test_journal(void **state)
{
	const char *entry[] = {
		REC("linux-image-6.8.0-48-generic", "6.8.0-48.48",
		    "install ok unpacked"),
	};
	const char *other[] = { REC("vim", "9.0", II) };
	unsigned long long f = fingerprint(), s = stamp();

	(void)state;
	write_file("updates/0001", other, 1);
	assert_true(fingerprint() == f);
	write_file("updates/0002", entry, 1);
	assert_true(fingerprint() != f);
	assert_true(stamp() != s);
	/* "tmp.i" is dpkg's scratch file, not an entry */
	write_file("updates/0002", other, 1);
	write_file("updates/tmp.i", entry, 1);
	assert_true(fingerprint() == f);
}

static void
test_missing(void **state)
{
	struct kp_error err;
	unsigned long long h;

	(void)state;
	kp_error_clear(&err);
	assert_int_equal(kp_kernel_fingerprint("/nonexistent", &h, &err),
	                 -ENOENT);
	assert_non_null(
	        strstr(err.message, "/nonexistent/var/lib/dpkg/status"));
	assert_int_equal(kp_db_stamp("/nonexistent", &h, &err), -ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_packages),
		cmocka_unit_test(test_kernel_packages),
		cmocka_unit_test(test_dependents),
		cmocka_unit_test(test_provides_and_choices),
		cmocka_unit_test(test_journal),
		cmocka_unit_test(test_missing),
	};

	return cmocka_run_group_tests_name("kernel fingerprint", tests, setup,
	                                   teardown);
}
