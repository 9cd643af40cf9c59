/*
 * t-trust: the trust walk (lib/trust.c), rule by rule, on directories of
 * our own under TMPDIR: owners, modes, sticky directories, links and
 * their owners, "..", loops; and the write walk below a root: no link,
 * directories made only in trusted ones, Debian's prometheus directory.
 * The cases about another owner need root (chown); they skip without it.
 * tests/integration/path-trust.sh shows the same through the CLI.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "kpurge-trust.h"

#define NOBODY 65534

static char base[256];

static int
make_base(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(base, sizeof(base), "%s/t-trust.XXXXXX",
	         t != NULL && t[0] == '/' ? t : "/tmp");
	if (mkdtemp(base) == NULL)
		return -1;
	return chmod(base, 0755);
}

static int
remove_base(void **state)
{
	char cmd[sizeof(base) + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

/* base/name, in a static buffer per call site's slot. */
static const char *
at(int slot, const char *name)
{
	static char buf[4][PATH_MAX];

	assert_true((size_t)snprintf(buf[slot], sizeof(buf[slot]), "%s/%s",
	                             base, name) < sizeof(buf[slot]));
	return buf[slot];
}

static void
mkdir_mode(const char *path, mode_t mode)
{
	assert_int_equal(mkdir(path, mode), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void
touch_mode(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

/* The walk refuses path, saying needle. */
static void
assert_untrusted(const char *path, const char *needle)
{
	struct kp_error err;

	kp_error_clear(&err);
	if (kp_trust_path(path, geteuid(), &err))
		fail_msg("%s is trusted", path);
	if (strstr(err.message, needle) == NULL)
		fail_msg("'%s' does not say '%s'", err.message, needle);
}

static void
assert_trusted(const char *path)
{
	struct kp_error err;

	kp_error_clear(&err);
	if (!kp_trust_path(path, geteuid(), &err))
		fail_msg("%s is not trusted: %s", path, err.message);
}

static void
skip_unless_root(void)
{
	if (geteuid() != 0)
		skip();
}

static void
test_names_must_be_absolute(void **state)
{
	struct kp_error err;

	(void)state;
	kp_error_clear(&err);
	assert_false(kp_trust_path("tmp", 0, &err));
	assert_int_equal(err.code, -EINVAL);
	assert_false(kp_trust_path(NULL, 0, &err));
	assert_trusted("/");
}

static void
test_modes(void **state)
{
	(void)state;
	mkdir_mode(at(0, "m"), 0755);
	touch_mode(at(0, "m/file"), 0644);
	assert_trusted(at(0, "m/file"));
	assert_int_equal(chmod(at(0, "m/file"), 0664), 0);
	assert_untrusted(at(0, "m/file"), "is a file others can change");
	assert_int_equal(chmod(at(0, "m/file"), 0646), 0);
	assert_untrusted(at(0, "m/file"), "is a file others can change");
	assert_int_equal(chmod(at(0, "m/file"), 0644), 0);
	assert_int_equal(chmod(at(0, "m"), 0775), 0);
	assert_untrusted(at(0, "m/file"),
	                 "/m is a directory others can change");
	assert_int_equal(chmod(at(0, "m"), 0755), 0);
	/* a missing name is not an untrusted one */
	assert_false(kp_trust_path(at(0, "m/none"), geteuid(), NULL));
}

static void
test_sticky_directory_only_into_ours(void **state)
{
	(void)state;
	skip_unless_root();
	mkdir_mode(at(0, "sticky"), 01777);
	touch_mode(at(0, "sticky/root"), 0644);
	assert_trusted(at(0, "sticky/root"));
	touch_mode(at(0, "sticky/other"), 0644);
	assert_int_equal(chown(at(0, "sticky/other"), NOBODY, NOBODY), 0);
	assert_untrusted(at(0, "sticky/other"), "/sticky/other belongs to");
	/* crossed, never the end: anybody may put a program or a
	 * .dpkg.cfg in it */
	assert_untrusted(at(0, "sticky"),
	                 "/sticky is a directory others can change");
	assert_untrusted(at(0, "sticky/."),
	                 "/sticky is a directory others can change");
	mkdir_mode(at(0, "sticky/d"), 0755);
	assert_untrusted(at(0, "sticky/d/.."),
	                 "/sticky is a directory others can change");
	assert_trusted(at(0, "sticky/d/../d"));
	/* not sticky: nothing in it is trusted */
	assert_int_equal(chmod(at(0, "sticky"), 0777), 0);
	assert_untrusted(at(0, "sticky/root"),
	                 "is a directory others can change");
}

static void
test_another_users_directory(void **state)
{
	(void)state;
	skip_unless_root();
	mkdir_mode(at(0, "theirs"), 0755);
	touch_mode(at(0, "theirs/root"), 0644);
	assert_int_equal(chown(at(0, "theirs"), NOBODY, NOBODY), 0);
	assert_untrusted(at(0, "theirs/root"), "/theirs belongs to");
	/* trusted for that user itself */
	assert_true(kp_trust_path(at(0, "theirs/root"), NOBODY, NULL));
}

static void
test_links_are_their_owners(void **state)
{
	struct kp_error err;
	struct stat st, st_fd;
	int fd;

	(void)state;
	mkdir_mode(at(0, "l"), 0755);
	mkdir_mode(at(0, "l/dir"), 0755);
	touch_mode(at(0, "l/dir/file"), 0644);
	assert_int_equal(symlink("dir", at(0, "l/rel")), 0);
	assert_int_equal(symlink(at(1, "l/dir"), at(0, "l/abs")), 0);
	assert_int_equal(symlink("../l/./dir/../dir/file", at(0, "l/dots")), 0);
	assert_trusted(at(0, "l/rel/file"));
	assert_trusted(at(0, "l/abs/file"));
	assert_trusted(at(0, "l/dots"));
	/* what kp_trust_open() returns is the file walked to */
	kp_error_clear(&err);
	fd = kp_trust_open(at(0, "l/rel/file"), O_RDONLY, geteuid(), &err);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st_fd), 0);
	close(fd);
	assert_int_equal(stat(at(0, "l/dir/file"), &st), 0);
	assert_true(st.st_ino == st_fd.st_ino && st.st_dev == st_fd.st_dev);
	/* a loop */
	assert_int_equal(symlink("loop", at(0, "l/loop")), 0);
	kp_error_clear(&err);
	assert_false(kp_trust_path(at(0, "l/loop"), geteuid(), &err));
	assert_int_equal(err.code, -ELOOP);
	if (geteuid() != 0)
		return;
	/* the same link, another user's: refused, whatever it points at */
	assert_int_equal(lchown(at(0, "l/rel"), NOBODY, NOBODY), 0);
	assert_untrusted(at(0, "l/rel/file"), "/l/rel is a symbolic link");
	assert_untrusted(at(0, "l/rel/file"), "controls");
}

static void
test_open_dir_no_links_below_root(void **state)
{
	struct kp_error err;
	int fd;

	(void)state;
	mkdir_mode(at(0, "r"), 0755);
	kp_error_clear(&err);
	/* missing, and not to be made */
	assert_int_equal(kp_trust_open_dir(at(0, "r"), "run/x", 0, &err),
	                 -ENOENT);
	/* made, 0755 whatever the umask lets through */
	fd = kp_trust_open_dir(at(0, "r"), "run/x", KP_TRUST_CREATE, &err);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(access(at(0, "r/run/x"), F_OK), 0);
	/* a link below the root is refused, even to a trusted directory */
	mkdir_mode(at(0, "elsewhere"), 0755);
	assert_int_equal(symlink(at(1, "elsewhere"), at(0, "r/var")), 0);
	kp_error_clear(&err);
	assert_int_equal(
	        kp_trust_open_dir(at(0, "r"), "var/lib", KP_TRUST_CREATE, &err),
	        -EPERM);
	assert_non_null(strstr(err.message, "/r/var is a symbolic link"));
	assert_int_equal(access(at(0, "elsewhere/lib"), F_OK), -1);
	/* the root itself may be reached through a trusted link */
	assert_int_equal(symlink(at(1, "r"), at(0, "r-link")), 0);
	fd = kp_trust_open_dir(at(0, "r-link"), "run/x", 0, &err);
	assert_true(fd >= 0);
	close(fd);
}

static void
test_open_dir_root_of_another_user(void **state)
{
	struct kp_error err;

	(void)state;
	skip_unless_root();
	mkdir_mode(at(0, "ur"), 0755);
	assert_int_equal(chown(at(0, "ur"), NOBODY, NOBODY), 0);
	kp_error_clear(&err);
	assert_int_equal(
	        kp_trust_open_dir(at(0, "ur"), "run", KP_TRUST_CREATE, &err),
	        -EPERM);
	assert_non_null(strstr(err.message, "/ur belongs to"));
	assert_int_equal(access(at(0, "ur/run"), F_OK), -1);
	/* KP_TRUST_CROSS_OWNED is for below the root, not the root */
	assert_int_equal(kp_trust_open_dir(at(0, "ur"), "run",
	                                   KP_TRUST_CROSS_OWNED, NULL),
	                 -EPERM);
}

static void
test_open_dir_cross_owned(void **state)
{
	struct kp_error err;
	int fd;

	(void)state;
	skip_unless_root();
	mkdir_mode(at(0, "p"), 0755);
	mkdir_mode(at(0, "p/prometheus"), 0755);
	mkdir_mode(at(0, "p/prometheus/node-exporter"), 0755);
	assert_int_equal(chown(at(0, "p/prometheus"), NOBODY, NOBODY), 0);
	kp_error_clear(&err);
	/* Debian's layout: only with the flag */
	assert_int_equal(kp_trust_open_dir(at(0, "p"),
	                                   "prometheus/node-exporter", 0, &err),
	                 -EPERM);
	fd = kp_trust_open_dir(at(0, "p"), "prometheus/node-exporter",
	                       KP_TRUST_CROSS_OWNED, &err);
	assert_true(fd >= 0);
	close(fd);
	/* into a directory of that user's too: refused */
	assert_int_equal(
	        chown(at(0, "p/prometheus/node-exporter"), NOBODY, NOBODY), 0);
	assert_int_equal(kp_trust_open_dir(at(0, "p"),
	                                   "prometheus/node-exporter",
	                                   KP_TRUST_CROSS_OWNED, &err),
	                 -EPERM);
	/* nothing is made in it */
	assert_int_equal(
	        kp_trust_open_dir(at(0, "p"), "prometheus/new",
	                          KP_TRUST_CROSS_OWNED | KP_TRUST_CREATE, &err),
	        -EPERM);
	assert_int_equal(access(at(0, "p/prometheus/new"), F_OK), -1);
	/* one others can write: refused */
	assert_int_equal(chown(at(0, "p/prometheus/node-exporter"), 0, 0), 0);
	assert_int_equal(chmod(at(0, "p/prometheus"), 0775), 0);
	assert_int_equal(kp_trust_open_dir(at(0, "p"),
	                                   "prometheus/node-exporter",
	                                   KP_TRUST_CROSS_OWNED, &err),
	                 -EPERM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_must_be_absolute),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_sticky_directory_only_into_ours),
		cmocka_unit_test(test_another_users_directory),
		cmocka_unit_test(test_links_are_their_owners),
		cmocka_unit_test(test_open_dir_no_links_below_root),
		cmocka_unit_test(test_open_dir_root_of_another_user),
		cmocka_unit_test(test_open_dir_cross_owned),
	};

	return cmocka_run_group_tests_name("t-trust", tests, make_base,
	                                   remove_base);
}
