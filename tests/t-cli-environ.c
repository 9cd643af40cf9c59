/*
 * t-cli-environ: the environment the CLI hands to apt-get and dpkg
 * (cli/environ.c): PATH cleaned, DPKG_ROOT and DPKG_ADMINDIR refused when
 * they point elsewhere, DPKG_FORCE and DPKG_FRONTEND_LOCKED removed,
 * APT_CONFIG made absolute and refused as root when others could change
 * it, HOME replaced as root when others could write it.
 * tests/integration/environment.sh shows the same through apt and dpkg.
 */
#include <config.h>

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

#include "environ.h"

/* A fresh directory of ours with the given mode; free the result. */
static char *
tmp_dir(mode_t mode)
{
	const char *base = getenv("TMPDIR");
	char *dir = NULL;

	assert_true(asprintf(&dir, "%s/t-cli-environ.XXXXXX",
	                     base && base[0] == '/' ? base : "/tmp") > 0);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, mode), 0);
	return dir;
}

static void
rm_dir(char *dir)
{
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

/* Is dir one of the entries of path? */
static bool
path_has(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	const char *p = path;

	while ((p = strstr(p, dir)) != NULL) {
		if ((p == path || p[-1] == ':') &&
		    (p[n] == ':' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

static void
test_path_drops_relative_and_empty_entries(void **state)
{
	char *path = cli_environ_clean_path(".::bin:/usr/bin:../x:", getuid());

	assert_non_null(path);
	assert_true(strncmp(path, "/usr/bin", 8) == 0);
	assert_false(path_has(path, "."));
	assert_false(path_has(path, "bin"));
	assert_false(path_has(path, "../x"));
	assert_null(strstr(path, "::"));
	assert_true(path[0] == '/');
	assert_true(path[strlen(path) - 1] != ':');
	free(path);
}

static void
test_path_keeps_order_and_adds_root_dirs(void **state)
{
	char *mine = tmp_dir(0755), *in = NULL, *path;

	assert_true(asprintf(&in, "%s:/usr/bin:%s", mine, mine) > 0);
	path = cli_environ_clean_path(in, getuid());
	assert_non_null(path);
	/* first, and once */
	assert_true(strncmp(path, mine, strlen(mine)) == 0);
	assert_null(strstr(path + strlen(mine), mine));
	/* what root's PATH has is appended (those that exist here) */
	assert_true(path_has(path, "/usr/sbin"));
	assert_true(path_has(path, "/usr/bin"));
	assert_null(strstr(strstr(path, "/usr/bin") + 1, ":/usr/bin:"));
	free(path);
	free(in);
	rm_dir(mine);
}

static void
test_path_unset_is_root_path(void **state)
{
	char *path = cli_environ_clean_path(NULL, getuid());

	assert_non_null(path);
	assert_true(path_has(path, "/usr/sbin"));
	assert_true(path_has(path, "/usr/bin"));
	free(path);
}

static void
test_path_drops_world_writable_and_missing_dirs(void **state)
{
	char *open = tmp_dir(0777), *in = NULL, *path;

	assert_true(asprintf(&in, "%s:/nonexistent/bin:/usr/bin", open) > 0);
	path = cli_environ_clean_path(in, getuid());
	assert_false(path_has(path, open));
	assert_false(path_has(path, "/nonexistent/bin"));
	assert_true(strncmp(path, "/usr/bin", 8) == 0);
	free(path);
	free(in);
	rm_dir(open);
}

static void
test_path_drops_group_writable_and_sticky_dirs(void **state)
{
	char *group = tmp_dir(0775), *sticky = tmp_dir(01777), *in = NULL;
	char *path;

	assert_true(asprintf(&in, "%s:%s:/usr/bin", group, sticky) > 0);
	path = cli_environ_clean_path(in, getuid());
	assert_false(path_has(path, group));
	assert_false(path_has(path, sticky));
	assert_true(path_has(path, "/usr/bin"));
	free(path);
	free(in);
	rm_dir(group);
	rm_dir(sticky);
}

/* A link to a trusted directory is only as good as the link's owner. */
static void
test_path_drops_links_others_own_as_root(void **state)
{
	char *dir = tmp_dir(0755), *link = NULL, *path;

	if (geteuid() != 0) {
		rm_dir(dir);
		skip();
		return; /* (cmocka's skip() is not marked noreturn) */
	}
	assert_true(asprintf(&link, "%s.link", dir) > 0);
	assert_int_equal(symlink(dir, link), 0);
	path = cli_environ_clean_path(link, 0);
	assert_true(path_has(path, link));
	free(path);
	assert_int_equal(lchown(link, 65534, 65534), 0);
	path = cli_environ_clean_path(link, 0);
	assert_false(path_has(path, link));
	free(path);
	assert_int_equal(unlink(link), 0);
	free(link);
	rm_dir(dir);
}

/* cli_environ_prepare() on this system, expecting to be refused. */
static void
assert_refused(const char *root, const char *needle)
{
	struct kp_error err = { 0 };

	assert_int_equal(cli_environ_prepare(root, &err), -1);
	if (strstr(err.message, needle) == NULL)
		fail_msg("'%s' does not say '%s'", err.message, needle);
}

static void
assert_prepared(const char *root)
{
	struct kp_error err = { 0 };

	if (cli_environ_prepare(root, &err) != 0)
		fail_msg("refused: %s", err.message);
}

static void
test_dpkg_root_elsewhere_is_refused(void **state)
{
	char *other = tmp_dir(0755);

	setenv("DPKG_ROOT", other, 1);
	assert_refused(NULL, "DPKG_ROOT=");
	assert_refused("", "--root=");
	/* with --root, dpkg gets --root, which wins over it */
	assert_prepared(other);
	assert_null(getenv("DPKG_ROOT"));
	/* this system, as dpkg sets it for maintainer scripts, or "/" */
	setenv("DPKG_ROOT", "", 1);
	assert_prepared(NULL);
	assert_null(getenv("DPKG_ROOT"));
	setenv("DPKG_ROOT", "//", 1);
	assert_prepared(NULL);
	assert_null(getenv("DPKG_ROOT"));
	rm_dir(other);
}

static void
test_dpkg_admindir_elsewhere_is_refused(void **state)
{
	char *other = tmp_dir(0755);

	setenv("DPKG_ADMINDIR", other, 1);
	assert_refused(NULL, "DPKG_ADMINDIR=");
	assert_prepared(other);
	assert_null(getenv("DPKG_ADMINDIR"));
	setenv("DPKG_ADMINDIR", "", 1);
	assert_refused(NULL, "DPKG_ADMINDIR=");
	unsetenv("DPKG_ADMINDIR");
	if (access("/var/lib/dpkg", F_OK) == 0) {
		setenv("DPKG_ADMINDIR", "/var/lib/../lib/dpkg/", 1);
		assert_prepared(NULL);
		assert_null(getenv("DPKG_ADMINDIR"));
	}
	rm_dir(other);
}

static void
test_force_and_frontend_lock_are_removed(void **state)
{
	setenv("DPKG_FORCE", "depends,remove-essential", 1);
	setenv("DPKG_FRONTEND_LOCKED", "true", 1);
	assert_prepared(NULL);
	assert_null(getenv("DPKG_FORCE"));
	assert_null(getenv("DPKG_FRONTEND_LOCKED"));
}

static void
test_apt_config_made_absolute(void **state)
{
	char *dir = tmp_dir(0755), *file = NULL, cwd[PATH_MAX];
	FILE *f;

	assert_true(asprintf(&file, "%s/apt.conf", dir) > 0);
	assert_non_null(f = fopen(file, "w"));
	fclose(f);
	assert_int_equal(chmod(file, 0644), 0);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	setenv("APT_CONFIG", "apt.conf", 1);
	assert_prepared(NULL);
	assert_int_equal(chdir(cwd), 0);
	assert_string_equal(getenv("APT_CONFIG"), file);
	/* apt ignores an empty one: so do we */
	setenv("APT_CONFIG", "", 1);
	assert_prepared(NULL);
	assert_string_equal(getenv("APT_CONFIG"), "");
	unsetenv("APT_CONFIG");
	assert_int_equal(unlink(file), 0);
	free(file);
	rm_dir(dir);
}

static void
test_apt_config_others_could_change_is_refused_as_root(void **state)
{
	char *dir = tmp_dir(0755), *file = NULL;
	FILE *f;

	if (geteuid() != 0) {
		rm_dir(dir);
		skip();
		return; /* (cmocka's skip() is not marked noreturn) */
	}
	assert_true(asprintf(&file, "%s/apt.conf", dir) > 0);
	setenv("APT_CONFIG", file, 1);
	assert_refused(NULL, "cannot read APT_CONFIG=");
	assert_non_null(f = fopen(file, "w"));
	fclose(f);
	assert_int_equal(chmod(file, 0666), 0);
	assert_refused(NULL, "not a file only root can change");
	assert_int_equal(chmod(file, 0644), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_refused(NULL, "is a directory others can change");
	assert_int_equal(chmod(dir, 01777), 0); /* like /tmp */
	assert_prepared(NULL);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(chown(file, 65534, 65534), 0);
	assert_refused(NULL, "not a file only root can change");
	unsetenv("APT_CONFIG");
	assert_int_equal(unlink(file), 0);
	free(file);
	rm_dir(dir);
}

static void
test_home_others_could_write_is_replaced_as_root(void **state)
{
	char *dir = tmp_dir(0755);
	const char *home;

	if (geteuid() != 0) {
		rm_dir(dir);
		skip();
		return; /* (cmocka's skip() is not marked noreturn) */
	}
	setenv("HOME", dir, 1);
	assert_prepared(NULL);
	assert_string_equal(getenv("HOME"), dir);
	assert_int_equal(chown(dir, 65534, 65534), 0);
	assert_prepared(NULL);
	home = getenv("HOME");
	assert_true(home == NULL || strcmp(home, dir) != 0);
	/* a sticky one, like /tmp: anybody may write a .dpkg.cfg there */
	assert_int_equal(chown(dir, 0, 0), 0);
	assert_int_equal(chmod(dir, 01777), 0);
	setenv("HOME", dir, 1);
	assert_prepared(NULL);
	home = getenv("HOME");
	assert_true(home == NULL || strcmp(home, dir) != 0);
	assert_int_equal(chmod(dir, 0755), 0);
	setenv("HOME", "relative", 1);
	assert_prepared(NULL);
	home = getenv("HOME");
	assert_true(home == NULL || home[0] == '/');
	rm_dir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_drops_relative_and_empty_entries),
		cmocka_unit_test(test_path_keeps_order_and_adds_root_dirs),
		cmocka_unit_test(test_path_unset_is_root_path),
		cmocka_unit_test(
		        test_path_drops_world_writable_and_missing_dirs),
		cmocka_unit_test(
		        test_path_drops_group_writable_and_sticky_dirs),
		cmocka_unit_test(test_path_drops_links_others_own_as_root),
		cmocka_unit_test(test_dpkg_root_elsewhere_is_refused),
		cmocka_unit_test(test_dpkg_admindir_elsewhere_is_refused),
		cmocka_unit_test(test_force_and_frontend_lock_are_removed),
		cmocka_unit_test(test_apt_config_made_absolute),
		cmocka_unit_test(
		        test_apt_config_others_could_change_is_refused_as_root),
		cmocka_unit_test(
		        test_home_others_could_write_is_replaced_as_root),
	};

	/* Each test sets what it needs; the caller's own must not interfere. */
	unsetenv("APT_CONFIG");
	unsetenv("DPKG_ROOT");
	unsetenv("DPKG_ADMINDIR");
	return cmocka_run_group_tests_name("t-cli-environ", tests, NULL, NULL);
}
