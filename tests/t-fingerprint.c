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

#include "kpurge.h"

static char root[64];

#define REC(name, version, status) \
	"Package: " name "\nStatus: " status "\nVersion: " version \
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
		REC("bash", "5.2-2", II),   /* bash upgraded */
		base_records[1], base_records[2],
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
		base_records[0], base_records[1],
		REC("linux-image-6.8.0-45-generic", "6.8.0-45.46", II),
		base_records[3],
	};
	const char *added[] = {
		base_records[0], base_records[1], base_records[2],
		REC("linux-image-6.8.0-48-generic", "6.8.0-48.48", II),
		base_records[3],
	};
	const char *held[] = {
		base_records[0], base_records[1],
		REC("linux-image-6.8.0-45-generic", "6.8.0-45.45",
		    "hold ok installed"),
		base_records[3],
	};
	const char *meta[] = {
		base_records[0], base_records[1], base_records[2],
		REC("linux-generic", "6.8.0.45.45", II), base_records[3],
	};
	const char *pve[] = {
		base_records[0], base_records[1], base_records[2],
		REC("proxmox-kernel-6.8.12-4-pve-signed", "6.8.12-4", II),
		base_records[3],
	};
	const char *reordered[] = {
		base_records[2], base_records[3], base_records[0],
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
	write_file("status", reordered, 4);    /* the same records */
	assert_true(fingerprint() == f);
	write_file("status", base_records, 4);
	assert_true(fingerprint() == f);
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
	assert_non_null(strstr(err.message, "/nonexistent/var/lib/dpkg/status"));
	assert_int_equal(kp_db_stamp("/nonexistent", &h, &err), -ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_packages),
		cmocka_unit_test(test_kernel_packages),
		cmocka_unit_test(test_journal),
		cmocka_unit_test(test_missing),
	};

	return cmocka_run_group_tests_name("kernel fingerprint", tests, setup,
	                                   teardown);
}
