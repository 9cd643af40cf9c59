/*
 * t-apt-shim: the C interface over libapt-pkg (lib/apt-shim.cc), run with
 * the real libapt-pkg on throw-away roots: what apt-get would remove or
 * install besides a purge and why, what apt sees broken, which kernels
 * apt's autoremove protects, and how failures come back.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "apt-shim.h"
#include "statusdb.h"

#define R88 "5.15.0-88-generic"
#define R91 "5.15.0-91-generic"
#define R101 "5.15.0-101-generic"

#define PKG(name, deps)                                                        \
	{                                                                      \
		name, NULL, deps, NULL, NULL                                   \
	}
#define VER(name, deps, version)                                               \
	{                                                                      \
		name, NULL, deps, NULL, version                                \
	}

/* One release's family, Ubuntu style, at the image's version. */
#define FAMILY(r, abi, v)                                                      \
	VER("linux-image-" r, NULL, v), VER("linux-modules-" r, NULL, v),      \
	        VER("linux-modules-extra-" r,                                  \
	            "linux-image-" r " | linux-image-unsigned-" r              \
	            ", linux-modules-" r,                                      \
	            v),                                                        \
	        VER("linux-headers-" r, "linux-headers-" abi, v),              \
	        VER("linux-headers-" abi, NULL, v)

/* The patterns apt ships in /etc/apt/apt.conf.d/01autoremove. */
static const char apt_autoremove_conf[] =
        "APT::VersionedKernelPackages { \"linux-.*\"; \"kfreebsd-.*\";\n"
        "  \"gnumach-.*\"; \".*-modules\"; \".*-kernel\"; };\n";

/* The open handle and the roots of a test, which teardown() frees. */
static struct kp_apt *current;
static char *roots[4];

static char *
new_root(const struct sdb_pkg *pkgs)
{
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (roots[i] == NULL)
			return roots[i] = sdb_root_new(pkgs);
	fail_msg("too many roots in one test");
	return NULL;
}

static struct kp_apt *
open_apt(const char *root)
{
	struct kp_error err = { 0 };

	sdb_use_apt_config(root);
	current = kp_apt_open(root, &err);
	if (current == NULL)
		fail_msg("kp_apt_open(%s): %d %s", root, err.code, err.message);
	return current;
}

static void
close_apt(struct kp_apt *apt)
{
	kp_apt_close(apt);
	current = NULL;
}

static int
teardown(void **state)
{
	close_apt(current);
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		sdb_root_free(roots[i]);
		roots[i] = NULL;
	}
	return 0;
}

static void
mkdir_under(const char *root, const char *rel)
{
	char cmd[4400];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s'", root, rel);
	assert_int_equal(system(cmd), 0);
}

/* A root as a real system has it: apt's kernel patterns in etc/apt. */
static char *
root_with_apt(const struct sdb_pkg *pkgs)
{
	char *root = new_root(pkgs);

	mkdir_under(root, "etc/apt/apt.conf.d");
	mkdir_under(root, "var/lib/apt/lists");
	mkdir_under(root, "var/cache/apt");
	sdb_write_file(root, "etc/apt/apt.conf.d/01autoremove",
	               apt_autoremove_conf);
	return root;
}

/* An archive apt has "downloaded": one list file, no Release needed. */
static void
add_archive(const char *root, const char *packages)
{
	sdb_write_file(root, "etc/apt/sources.list",
	               "deb http://archive.invalid/ubuntu ./\n");
	sdb_write_file(root,
	               "var/lib/apt/lists/archive.invalid_ubuntu_._Packages",
	               packages);
}

/* "pkg(cause) ..." or, for installs, "pkg(cause,dependent) ...". */
static char *
render(const struct kp_apt_change *c, size_t n, int installs)
{
	static char buf[4][2048];
	static int next;
	char *out = buf[next++ % 4];

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, 2048 - len, "%s%s(%s", i ? " " : "",
		         c[i].package, c[i].cause ? c[i].cause : "?");
		len = strlen(out);
		if (installs)
			snprintf(out + len, 2048 - len, ",%s",
			         c[i].dependent ? c[i].dependent : "?");
		else
			assert_null(c[i].dependent);
		strncat(out, ")", 2047 - strlen(out));
	}
	return out;
}

/* Simulate purging names on root; compare with the expected renderings. */
static void
check_purge(const char *root, const char *const *names, size_t n,
            const char *removals, const char *installs, const char *problem)
{
	struct kp_apt *apt = open_apt(root);
	struct kp_error err = { 0 };
	struct kp_apt_sim sim;

	assert_int_equal(kp_apt_simulate_purge(apt, names, n, &sim, &err), 0);
	assert_string_equal(render(sim.removals, sim.n_removals, 0), removals);
	assert_string_equal(render(sim.installs, sim.n_installs, 1), installs);
	if (problem == NULL)
		assert_null(sim.problem);
	else
		assert_string_equal(sim.problem, problem);
	kp_apt_sim_clear(&sim);
	assert_null(sim.removals);
	assert_int_equal(sim.n_removals, 0);
	close_apt(apt);
}

/* ----------------------------------------------------------- purges */

static const struct sdb_pkg ubuntu[] = {
	FAMILY(R88, "5.15.0-88", "5.15.0-88.98"),
	FAMILY(R91, "5.15.0-91", "5.15.0-91.101"),
	PKG("linux-generic", "linux-image-generic, linux-headers-generic"),
	PKG("linux-image-generic",
	    "linux-image-" R91 ", linux-modules-extra-" R91),
	PKG("linux-headers-generic", "linux-headers-" R91),
	PKG("linux-libc-dev", NULL),
	{ NULL },
};

static void
test_purge_whole_family(void **state)
{
	static const char *const family[] = {
		"linux-image-" R88,         "linux-modules-" R88,
		"linux-modules-extra-" R88, "linux-headers-" R88,
		"linux-headers-5.15.0-88",
	};
	char *root = new_root(ubuntu);

	check_purge(root, family, 5, "", "", NULL);
}

static void
test_purge_takes_metapackages(void **state)
{
	static const struct sdb_pkg pkgs[] = {
		PKG("linux-generic", "linux-image-generic"),
		PKG("linux-image-generic", "linux-image-" R91),
		PKG("linux-image-" R91, NULL),
		PKG("linux-image-" R101, NULL),
		{ NULL },
	};
	static const char *const image[] = { "linux-image-" R91 };
	char *root = new_root(pkgs);

	/* linux-generic goes through linux-image-generic: same cause. */
	check_purge(root, image, 1,
	            "linux-generic(linux-image-" R91 ") "
	            "linux-image-generic(linux-image-" R91 ")",
	            "", NULL);
}

/*
 * An or-group keeps one alternative: it blames no one. apt removes the
 * module because its second dependency goes; the group whose other
 * alternative stays installed is not lost, so its purged alternative is
 * not the cause (issue 19: blaming it keeps a release for no reason).
 */
static void
test_purge_or_group_one_alternative_stays(void **state)
{
	static const struct sdb_pkg pkgs[] = {
		PKG("linux-image-" R88, NULL),
		PKG("linux-image-" R91, NULL),
		PKG("linux-modules-" R88, NULL),
		PKG("dkms-module", "linux-image-" R88 " | linux-image-" R91
		                   ", linux-modules-" R88),
		{ NULL },
	};
	static const char *const purge[] = {
		"linux-image-" R88,
		"linux-modules-" R88,
	};
	char *root = new_root(pkgs);

	check_purge(root, purge, 2, "dkms-module(linux-modules-" R88 ")", "",
	            NULL);
}

static void
test_purge_family_of_current_metapackage(void **state)
{
	static const char *const family[] = {
		"linux-image-" R91,         "linux-modules-" R91,
		"linux-modules-extra-" R91, "linux-headers-" R91,
		"linux-headers-5.15.0-91",
	};
	char *root = new_root(ubuntu);

	check_purge(root, family, 5,
	            "linux-generic(linux-image-" R91 ") "
	            "linux-headers-generic(linux-headers-" R91 ") "
	            "linux-image-generic(linux-image-" R91 ")",
	            "", NULL);
}

static void
test_purge_image_alone_no_archive(void **state)
{
	static const char *const image[] = { "linux-image-" R88 };
	char *root = new_root(ubuntu);

	/* Nothing provides the other half of the or-group: it goes. */
	check_purge(root, image, 1,
	            "linux-modules-extra-" R88 "(linux-image-" R88 ")", "",
	            NULL);
}

static const char unsigned_88[] =
        "Package: linux-image-unsigned-" R88 "\nVersion: 5.15.0-88.98\n"
        "Architecture: amd64\nMaintainer: T <t@example.org>\n"
        "Installed-Size: 10\nFilename: pool/l/linux-image-unsigned.deb\n"
        "Size: 1000\nSection: kernel\nPriority: optional\n"
        "Description: unsigned image\n\n";

static void
test_purge_image_alone_installs_unsigned(void **state)
{
	static const char *const image[] = { "linux-image-" R88 };
	static const char *const both[] = {
		"linux-image-" R88,
		"linux-image-unsigned-" R88,
	};
	char *root = root_with_apt(ubuntu);

	add_archive(root, unsigned_88);
	/*
	 * apt 2.6's resolver installs the unsigned image for modules-extra
	 * and then removes modules-extra anyway (apt-get -s shows the same).
	 */
	check_purge(root, image, 1,
	            "linux-modules-extra-" R88 "(linux-image-" R88 ")",
	            "linux-image-unsigned-" R88 "(linux-image-" R88
	            ",linux-modules-extra-" R88 ")",
	            NULL);
	/* Named in the purge, apt never installs it. */
	check_purge(root, both, 2,
	            "linux-modules-extra-" R88 "(linux-image-" R88 ")", "",
	            NULL);
}

static void
test_purge_exact_headers(void **state)
{
	static const struct sdb_pkg pkgs[] = {
		FAMILY(R91, "5.15.0-91", "5.15.0-91.101"),
		PKG("acme-module-5.15.0-91",
		    "linux-headers-" R91 " (= 5.15.0-91.101), acme-common"),
		PKG("acme-common", NULL),
		{ NULL },
	};
	static const char *const headers[] = {
		"linux-headers-" R91 ":amd64",
		"linux-headers-5.15.0-91",
	};
	char *root = new_root(pkgs);

	check_purge(root, headers, 2,
	            "acme-module-5.15.0-91(linux-headers-" R91 ")", "", NULL);
}

/* One simulation on an open handle: "removals | installs | problem". */
static char *
simulate_text(struct kp_apt *apt, const char *const *names, size_t n)
{
	struct kp_error err = { 0 };
	struct kp_apt_sim sim;
	char *text;

	assert_int_equal(kp_apt_simulate_purge(apt, names, n, &sim, &err), 0);
	assert_true(asprintf(&text, "%s | %s | %s",
	                     render(sim.removals, sim.n_removals, 0),
	                     render(sim.installs, sim.n_installs, 1),
	                     sim.problem ? sim.problem : "") > 0);
	kp_apt_sim_clear(&sim);
	return text;
}

/*
 * The proof's rounds share one depcache, its marks undone between them:
 * each simulation on one handle answers as on a freshly opened one, and
 * the handle's own view of what is broken is unchanged by them.
 */
static void
test_rounds_share_one_depcache(void **state)
{
	static const char *const image[] = { "linux-image-" R88 };
	static const char *const family[] = {
		"linux-image-" R88,         "linux-modules-" R88,
		"linux-modules-extra-" R88, "linux-headers-" R88,
		"linux-headers-5.15.0-88",
	};
	static const char *const in_use[] = { "linux-image-" R91 };
	const char *const *sets[] = { image, family, in_use };
	size_t sizes[] = { 1, 5, 1 };
	char *root = root_with_apt(ubuntu), *fresh[3];
	struct kp_error err = { 0 };
	struct kp_apt *apt;
	struct kp_problem *problems;

	add_archive(root, unsigned_88);
	for (int i = 0; i < 3; i++) {
		apt = open_apt(root);
		fresh[i] = simulate_text(apt, sets[i], sizes[i]);
		close_apt(apt);
	}
	/* Three different answers, or this test would prove nothing. */
	assert_string_not_equal(fresh[0], fresh[1]);
	assert_string_not_equal(fresh[0], fresh[2]);
	assert_string_not_equal(fresh[1], fresh[2]);
	apt = open_apt(root);
	for (int round = 0; round < 7; round++) {
		char *again = simulate_text(apt, sets[round % 3],
		                            sizes[round % 3]);

		assert_string_equal(again, fresh[round % 3]);
		free(again);
	}
	assert_int_equal(kp_apt_problems(apt, &problems, &err), 0);
	kp_apt_problems_free(problems, 0);
	close_apt(apt);
	for (int i = 0; i < 3; i++)
		free(fresh[i]);
}

/* ------------------------------------------------- apt's own caches */

static const char no_unsigned_pin[] =
        "Package: linux-image-unsigned-*\nPin: version *\nPin-Priority: -1\n";

/* ROOT/rel's status, or NULL with errno when it is missing. */
static struct stat *
stat_under(const char *root, const char *rel, struct stat *st)
{
	char path[4400];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return stat(path, st) == 0 ? st : NULL;
}

static void
remove_under(const char *root, const char *rel)
{
	char path[4400];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_true(unlink(path) == 0 || errno == ENOENT);
}

/*
 * What the real apt-get installs when asked to simulate purging name on
 * root, as the purge's apt-get is pointed there (cli/run-apt.c), with the
 * same APT_CONFIG: "pkg pkg ..." in apt-get's order.
 */
static char *
apt_get_installs(const char *root, const char *name)
{
	static char out[2048];
	const char *apt_get = getenv("APT_GET");
	char cmd[8192], line[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd),
	         "'%s' -s -o 'Dir=%s' -o "
	         "'Dir::State::status=%s/var/lib/dpkg/status' remove --purge "
	         "'%s' 2>&1",
	         apt_get && *apt_get ? apt_get : "apt-get", root, root, name);
	p = popen(cmd, "r");
	assert_non_null(p);
	out[0] = '\0';
	while (fgets(line, sizeof(line), p) != NULL) {
		char pkg[256];

		if (sscanf(line, "Inst %255s", pkg) == 1)
			snprintf(out + strlen(out), sizeof(out) - strlen(out),
			         "%s%s", out[0] ? " " : "", pkg);
	}
	assert_int_equal(pclose(p), 0);
	return out;
}

/*
 * Purging the 5.15.0-88 image alone: the proof and the real apt-get agree,
 * and both install the archive's unsigned image exactly when unsigned.
 */
static void
check_image_alone(const char *root, bool installs_unsigned)
{
	static const char *const image[] = { "linux-image-" R88 };

	check_purge(root, image, 1,
	            "linux-modules-extra-" R88 "(linux-image-" R88 ")",
	            installs_unsigned ? "linux-image-unsigned-" R88
	                                "(linux-image-" R88
	                                ",linux-modules-extra-" R88 ")" :
	                                "",
	            NULL);
	assert_string_equal(apt_get_installs(root, image[0]),
	                    installs_unsigned ? "linux-image-unsigned-" R88 :
	                                        "");
}

/* The list file rewritten with other contents, same size and same time. */
static void
forge_list_keeping_stat(const char *root)
{
	char forged[sizeof(unsigned_88)], path[4400];
	struct stat st;
	struct timespec times[2];

	memcpy(forged, unsigned_88, sizeof(forged));
	/* linux-image-unsigned-R becomes linux-image-unsigneX-R. */
	*strstr(forged, "unsigned-") = 'X';
	assert_non_null(stat_under(root,
	                           "var/lib/apt/lists/archive.invalid_"
	                           "ubuntu_._Packages",
	                           &st));
	sdb_write_file(root,
	               "var/lib/apt/lists/archive.invalid_ubuntu_._Packages",
	               forged);
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	snprintf(path, sizeof(path),
	         "%s/var/lib/apt/lists/archive.invalid_"
	         "ubuntu_._Packages",
	         root);
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static void
test_caches_as_apt_get(void **state)
{
	char *root = root_with_apt(ubuntu);
	struct stat pkgcache, srccache, st;
	FILE *f;
	char path[4400];

	if (geteuid() != 0)
		skip(); /* apt writes its caches as root only */
	add_archive(root, unsigned_88);
	/* No cache yet: built from the lists, written where apt-get writes. */
	check_image_alone(root, true);
	assert_non_null(
	        stat_under(root, "var/cache/apt/pkgcache.bin", &pkgcache));
	assert_non_null(
	        stat_under(root, "var/cache/apt/srcpkgcache.bin", &srccache));

	/*
	 * Valid: mapped, not parsed. A list changed behind apt's back (same
	 * size, same time) is not read again, by the proof or by apt-get.
	 */
	forge_list_keeping_stat(root);
	check_image_alone(root, true);
	/* The pins of the root's preferences apply to a cached archive too. */
	mkdir_under(root, "etc/apt/preferences.d");
	sdb_write_file(root, "etc/apt/preferences.d/no-unsigned",
	               no_unsigned_pin);
	check_image_alone(root, false);
	remove_under(root, "etc/apt/preferences.d/no-unsigned");

	/*
	 * Stale (dpkg changed the status): srcpkgcache.bin is reused (the
	 * forged list still unread), the status merged, pkgcache.bin rewritten.
	 */
	snprintf(path, sizeof(path), "%s/var/lib/dpkg/status", root);
	f = fopen(path, "a");
	assert_non_null(f);
	fputs("Package: acme-tool\nStatus: install ok installed\nVersion: 1\n"
	      "Architecture: all\nMaintainer: T <t@example.org>\n"
	      "Description: a package dpkg installed since\n\n",
	      f);
	assert_int_equal(fclose(f), 0);
	check_image_alone(root, true);
	assert_non_null(stat_under(root, "var/cache/apt/srcpkgcache.bin", &st));
	assert_true(st.st_ino == srccache.st_ino &&
	            st.st_mtim.tv_nsec == srccache.st_mtim.tv_nsec);
	assert_non_null(stat_under(root, "var/cache/apt/pkgcache.bin", &st));
	assert_true(st.st_ino != pkgcache.st_ino);

	/* No cache: the lists as they are now, for the proof and apt-get. */
	remove_under(root, "var/cache/apt/pkgcache.bin");
	remove_under(root, "var/cache/apt/srcpkgcache.bin");
	check_image_alone(root, false);
}

/*
 * A cache directory another user can change is not trusted: the proof
 * neither maps a cache from it nor writes one there, and builds in memory.
 */
static void
test_untrusted_cache_ignored(void **state)
{
	static const char *const image[] = { "linux-image-" R88 };
	char *root = root_with_apt(ubuntu);
	char dir[4400];
	struct stat st;

	if (geteuid() != 0)
		skip(); /* chown needs root */
	add_archive(root, unsigned_88);
	check_image_alone(root, true);
	snprintf(dir, sizeof(dir), "%s/var/cache/apt", root);
	assert_int_equal(chown(dir, 65534, 65534), 0);
	forge_list_keeping_stat(root);
	remove_under(root, "var/cache/apt/pkgcache.bin");
	/* srcpkgcache.bin (unsigned offered) is left there, unread. */
	check_purge(root, image, 1,
	            "linux-modules-extra-" R88 "(linux-image-" R88 ")", "",
	            NULL);
	assert_null(stat_under(root, "var/cache/apt/pkgcache.bin", &st));
	/* World-writable, root-owned: the same. */
	assert_int_equal(chown(dir, 0, 0), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	check_purge(root, image, 1,
	            "linux-modules-extra-" R88 "(linux-image-" R88 ")", "",
	            NULL);
	assert_null(stat_under(root, "var/cache/apt/pkgcache.bin", &st));
	/* Group-writable, root-owned: the same (the trust walk's rule). */
	assert_int_equal(chmod(dir, 0775), 0);
	check_purge(root, image, 1,
	            "linux-modules-extra-" R88 "(linux-image-" R88 ")", "",
	            NULL);
	assert_null(stat_under(root, "var/cache/apt/pkgcache.bin", &st));
	/* A link to a trusted directory, the link another user's: the same. */
	assert_int_equal(chmod(dir, 0755), 0);
	{
		char real[4500], link[4500];

		snprintf(real, sizeof(real), "%s.real", dir);
		snprintf(link, sizeof(link), "%s", dir);
		assert_int_equal(rename(dir, real), 0);
		assert_int_equal(symlink(real, link), 0);
		assert_int_equal(lchown(link, 65534, 65534), 0);
		check_purge(root, image, 1,
		            "linux-modules-extra-" R88 "(linux-image-" R88 ")",
		            "", NULL);
		{
			char bin[4600];

			snprintf(bin, sizeof(bin), "%s/pkgcache.bin", real);
			assert_int_not_equal(access(bin, F_OK), 0);
		}
		assert_int_equal(unlink(link), 0);
		assert_int_equal(rename(real, dir), 0);
	}
}

/* ------------------------------------------------- apt's configuration */

static const struct sdb_pkg with_auto_tool[] = {
	FAMILY(R88, "5.15.0-88", "5.15.0-88.98"),
	FAMILY(R91, "5.15.0-91", "5.15.0-91.101"),
	PKG("acme-tool", NULL),
	{ NULL },
};

static const char *const family88[] = {
	"linux-headers-5.15.0-88",  "linux-headers-" R88,
	"linux-image-" R88,         "linux-modules-" R88,
	"linux-modules-extra-" R88,
};

/* A root where apt-mark marked acme-tool automatically installed. */
static char *
auto_root(void)
{
	char *root = new_root(with_auto_tool);
	char dirs[4200];

	snprintf(dirs, sizeof(dirs),
	         "mkdir -p '%s/var/lib/apt' "
	         "'%s/etc/apt/apt.conf.d'",
	         root, root);
	assert_int_equal(system(dirs), 0);
	sdb_write_file(root, "var/lib/apt/extended_states",
	               "Package: acme-tool\nArchitecture: amd64\n"
	               "Auto-Installed: 1\n\n");
	return root;
}

/*
 * Open root with the root's items, then user's (NULL: none), then the
 * guard if guard; the handle is current, for teardown().
 */
static struct kp_apt *
open_with(const char *root, const struct kp_apt_config *user, bool guard,
          struct kp_error *err)
{
	struct kp_apt_config config = { NULL, 0 };

	sdb_use_apt_config(root);
	assert_int_equal(kp_apt_config_root(&config, root), 0);
	for (size_t i = 0; user != NULL && i < user->n; i++)
		assert_int_equal(kp_apt_config_push(&config,
		                                    user->items[i].kind,
		                                    user->items[i].name,
		                                    user->items[i].value),
		                 0);
	if (guard)
		assert_int_equal(kp_apt_config_guard(&config), 0);
	current = kp_apt_open_config(root, &config, err);
	kp_apt_config_free(&config);
	return current;
}

/* What a simulated purge of 5.15.0-88 removes besides it, or its problem. */
static char *
purge88(struct kp_apt *apt)
{
	static char out[2048];
	struct kp_error err = { 0 };
	struct kp_apt_sim sim;

	assert_non_null(apt);
	assert_int_equal(kp_apt_simulate_purge(apt, family88, 5, &sim, &err),
	                 0);
	snprintf(out, sizeof(out), "%s%s", sim.problem ? sim.problem : "",
	         render(sim.removals, sim.n_removals, 0));
	kp_apt_sim_clear(&sim);
	close_apt(apt);
	return out;
}

/* The proof applies what apt-get's command line sets: autoremove, forwarded
 * without the guard, takes the automatically installed acme-tool. */
static void
test_config_autoremove_is_seen(void **state)
{
	struct kp_apt_config user = { NULL, 0 };
	struct kp_error err = { 0 };
	char *root = auto_root();

	assert_int_equal(kp_apt_config_push(&user, KP_APT_ITEM_SET,
	                                    "APT::Get::AutomaticRemove", "1"),
	                 0);
	assert_string_equal(purge88(open_with(root, NULL, false, &err)), "");
	assert_string_equal(purge88(open_with(root, &user, false, &err)),
	                    "acme-tool(?)");
	/* the guard, last, turns it off again */
	assert_string_equal(purge88(open_with(root, &user, true, &err)), "");
	/* and nothing of one handle's configuration survives into the next */
	assert_string_equal(purge88(open_with(root, &user, false, &err)),
	                    "acme-tool(?)");
	assert_string_equal(purge88(open_with(root, NULL, false, &err)), "");
	kp_apt_config_free(&user);
}

/* apt-get's own section of apt.conf counts for apt-get, so for the proof. */
static void
test_config_binary_section(void **state)
{
	struct kp_error err = { 0 };
	char *root = auto_root();

	sdb_write_file(
	        root, "etc/apt/apt.conf.d/50auto",
	        "Binary::apt-get::APT::Get::AutomaticRemove \"true\";\n");
	assert_string_equal(purge88(open_with(root, NULL, false, &err)),
	                    "acme-tool(?)");
	assert_string_equal(purge88(open_with(root, NULL, true, &err)), "");
}

/* A -c file is read where it stands; an unreadable one fails the proof. */
static void
test_config_file(void **state)
{
	struct kp_apt_config user = { NULL, 0 };
	struct kp_error err = { 0 };
	char *root = auto_root(), path[4200];

	snprintf(path, sizeof(path), "%s/extra.conf", root);
	sdb_write_file(root, "extra.conf", "APT::Get::Remove \"false\";\n");
	assert_int_equal(
	        kp_apt_config_push(&user, KP_APT_ITEM_FILE, path, NULL), 0);
	assert_string_equal(purge88(open_with(root, &user, true, &err)),
	                    "Packages need to be removed but remove is "
	                    "disabled");
	kp_apt_config_free(&user);
	assert_int_equal(kp_apt_config_push(&user, KP_APT_ITEM_FILE,
	                                    "/nonexistent/kp.conf", NULL),
	                 0);
	assert_null(open_with(root, &user, true, &err));
	assert_non_null(strstr(err.message, "/nonexistent/kp.conf"));
	kp_apt_config_free(&user);
}

/* --------------------------------------------------------- problems */

/* One record kp_apt_problems() must return. */
struct want_problem {
	enum kp_problem_kind kind;
	const char *package;
	const char *text;
};

static void
check_problems(const char *root, int expected_n,
               const struct want_problem *expected)
{
	struct kp_apt *apt = open_apt(root);
	struct kp_error err = { 0 };
	struct kp_problem *v;

	assert_int_equal(kp_apt_problems(apt, &v, &err), expected_n);
	if (expected_n == 0)
		assert_null(v);
	for (int i = 0; i < expected_n; i++) {
		assert_string_equal(v[i].text, expected[i].text);
		assert_string_equal(v[i].package, expected[i].package);
		assert_int_equal(v[i].kind, expected[i].kind);
	}
	kp_apt_problems_free(v, (size_t)expected_n);
	close_apt(apt);
}

static void
test_problems_healthy(void **state)
{
	char *root = new_root(ubuntu);

	check_problems(root, 0, NULL);
}

static const struct sdb_pkg broken[] = {
	PKG("linux-modules-extra-" R88, "linux-image-" R88),
	{ "linux-image-" R91, "b", NULL, NULL, NULL },
	PKG("linux-image-" R101, NULL),
	PKG("dkms-thing", "linux-image-" R101 " (>= 7)"),
	PKG("either-thing", "linux-image-" R101 " (>= 7) | nothing-at-all"),
	{ NULL },
};

static void
test_problems_broken(void **state)
{
	static const struct want_problem expected[] = {
		{ KP_PROBLEM_UNMET, "dkms-thing",
		  "dkms-thing depends on linux-image-" R101 " (>= 7), "
		  "but linux-image-" R101 " 1.0-1 is installed" },
		{ KP_PROBLEM_UNMET, "either-thing",
		  "either-thing depends on linux-image-" R101 " (>= 7) | "
		  "nothing-at-all, which no installed package satisfies" },
		{ KP_PROBLEM_HALF_CONFIGURED, "linux-image-" R91,
		  "linux-image-" R91 " is half-configured" },
		{ KP_PROBLEM_UNMET, "linux-modules-extra-" R88,
		  "linux-modules-extra-" R88 " depends on linux-image-" R88
		  ", which is not installed" },
	};
	char *root = new_root(broken);

	check_problems(root, 4, expected);
}

static void
test_problems_breaks_and_reinstreq(void **state)
{
	static const struct want_problem expected[] = {
		{ KP_PROBLEM_HALF_INSTALLED, "linux-image-" R88,
		  "linux-image-" R88 " is half-installed" },
		{ KP_PROBLEM_REINSTREQ, "linux-image-" R88,
		  "linux-image-" R88 " must be reinstalled (dpkg marked it "
		  "reinstreq)" },
		{ KP_PROBLEM_UNMET, "new-tools",
		  "new-tools breaks linux-image-" R91 " (<< 2), "
		  "but linux-image-" R91 " 1.0-1 is installed" },
		{ KP_PROBLEM_UNPACKED, "unpacked-tool",
		  "unpacked-tool is unpacked but not configured" },
		{ KP_PROBLEM_TRIGGERS, "waiting-tool",
		  "waiting-tool is waiting for its triggers to run" },
	};
	char *root = new_root(NULL);

	sdb_write_file(
	        root, "var/lib/dpkg/status",
	        "Package: linux-image-" R88 "\n"
	        "Status: install reinstreq half-installed\n"
	        "Architecture: amd64\nVersion: 1.0-1\n\n"
	        "Package: linux-image-" R91 "\nStatus: install ok installed\n"
	        "Architecture: amd64\nVersion: 1.0-1\n\n"
	        "Package: new-tools\nStatus: install ok installed\n"
	        "Architecture: amd64\nVersion: 1.0-1\n"
	        "Breaks: linux-image-" R91 " (<< 2)\n\n"
	        "Package: unpacked-tool\nStatus: install ok unpacked\n"
	        "Architecture: amd64\nVersion: 1.0-1\n\n"
	        "Package: waiting-tool\nStatus: install ok triggers-pending\n"
	        "Triggers-Pending: some-trigger\n"
	        "Architecture: amd64\nVersion: 1.0-1\n\n");
	check_problems(root, 5, expected);
}

static void
test_purge_refused_on_broken_system(void **state)
{
	static const char *const image[] = { "linux-image-" R101 };
	static const char *const reinst[] = { "linux-image-" R91 };
	char *root = new_root(broken);

	check_purge(
	        root, image, 1, "", "",
	        "Unmet dependencies. Try 'apt --fix-broken install' with no "
	        "packages (or specify a solution).");
	sdb_write_file(root, "var/lib/dpkg/status",
	               "Package: linux-image-" R88 "\n"
	               "Status: install reinstreq half-installed\n"
	               "Architecture: amd64\nVersion: 1.0-1\n\n"
	               "Package: linux-image-" R91
	               "\nStatus: install ok installed\n"
	               "Architecture: amd64\nVersion: 1.0-1\n\n");
	/* apt-get refuses, even to purge another package: dpkg must do it. */
	check_purge(root, reinst, 1, "", "",
	            "The package linux-image-" R88 " needs to be reinstalled, "
	            "but I can't find an archive for it.");
}

/* ---------------------------------------------------------- kernels */

static const struct sdb_pkg kernels[] = {
	VER("linux-image-" R88, NULL, "5.15.0-88.98"),
	VER("linux-modules-" R88, NULL, "5.15.0-88.98"),
	VER("linux-image-" R91, NULL, "5.15.0-91.101"),
	VER("linux-modules-" R91, NULL, "5.15.0-91.101"),
	VER("linux-headers-5.15.0-91", NULL, "5.15.0-91.101"),
	VER("linux-image-" R101, NULL, "5.15.0-101.111"),
	VER("linux-image-5.15.0-101-lowlatency", NULL, "5.15.0-101.111"),
	VER("linux-modules-" R101, NULL, "5.15.0-101.111"),
	VER("linux-image-unsigned-5.15.0-70-generic", NULL, "5.15.0-70.77"),
	VER("linux-image-generic", "linux-image-" R101, "5.15.0.101.99"),
	PKG("linux-libc-dev", NULL),
	{ NULL },
};

#define NEWEST_TWO                                                             \
	"linux-image-" R101 " linux-image-5.15.0-101-lowlatency "              \
	"linux-image-" R91 " linux-modules-" R101 " linux-modules-" R91

/* What apt protects with running booted, space-separated, malloc'ed. */
static char *
protected_string(struct kp_apt *apt, const char *running)
{
	struct kp_error err = { 0 };
	char *got = calloc(1, 2048);
	char **v;
	int n = kp_apt_kernel_protected(apt, running, &v, &err);

	assert_non_null(got);
	assert_true(n >= 0);
	for (int i = 0; i < n; i++)
		snprintf(got + strlen(got), 2048 - strlen(got), "%s%s",
		         i ? " " : "", v[i]);
	assert_null(v[n]);
	kp_apt_strv_free(v);
	return got;
}

static void
check_protected(struct kp_apt *apt, const char *running, const char *expected)
{
	char *got = protected_string(apt, running);

	/* sorted by name, as apt names them */
	assert_string_equal(got, expected);
	free(got);
}

static void
test_kernel_protection(void **state)
{
	char *root = root_with_apt(kernels);
	struct kp_apt *apt = open_apt(root);

	/* By version (101 > 91), flavours of one version as one kernel. */
	check_protected(apt, NULL, NEWEST_TWO);
	check_protected(apt, R101, NEWEST_TWO);
	check_protected(apt, R91, NEWEST_TWO);
	/* An older running kernel takes the place of the second newest. */
	check_protected(apt, R88,
	                "linux-image-" R101
	                " linux-image-5.15.0-101-lowlatency "
	                "linux-image-" R88 " linux-modules-" R101
	                " linux-modules-" R88);
	/* A running kernel apt does not count is still protected by name. */
	check_protected(
	        apt, "5.15.0-70-generic",
	        "linux-image-" R101 " linux-image-5.15.0-101-lowlatency "
	        "linux-image-" R91 " linux-image-unsigned-5.15.0-70-generic "
	        "linux-modules-" R101 " linux-modules-" R91);
	check_protected(apt, "6.6.1-060601-generic", NEWEST_TWO);
	close_apt(apt);
}

/*
 * A running release outside the release grammar (a custom uname "x|.*")
 * names no package, and is never a pattern: apt's protection in a proved
 * plan is the newest two versions', not every kernel's.
 */
static void
test_running_not_a_pattern(void **state)
{
	char *root = root_with_apt(kernels);
	struct kp_plan_options opts = { .keep = 1, .running = "x|.*" };
	struct kp_error err = { 0 };
	struct kp_plan *plan = NULL;
	struct kp_ctx *ctx;
	size_t i, n = 0;

	(void)state;
	sdb_use_apt_config(root);
	ctx = kp_ctx_new(root, NULL, NULL, &err);
	assert_non_null(ctx);
	assert_int_equal(kp_plan_new(ctx, &opts, &plan, &err), 0);
	assert_int_equal(kp_plan_prove(ctx, plan, &err), 0);
	for (i = 0; i < kp_plan_n_releases(plan); i++) {
		const struct kp_release *r = kp_plan_release(plan, i);

		n += r->apt_protects;
		if (r->apt_protects && strcmp(r->abi, "5.15.0-101") != 0 &&
		    strcmp(r->abi, "5.15.0-91") != 0)
			fail_msg("apt protects %s", r->name);
	}
	assert_int_equal(n, 3);
	kp_plan_free(plan);
	kp_ctx_free(ctx);
}

static void
test_kernel_protection_needs_apt_config(void **state)
{
	char *root = new_root(kernels);
	struct kp_apt *apt = open_apt(root);

	/* Without apt's 01autoremove, apt protects nothing. */
	check_protected(apt, R91, "");
	close_apt(apt);
	mkdir_under(root, "etc/apt/apt.conf.d");
	sdb_write_file(root, "etc/apt/apt.conf.d/01autoremove",
	               apt_autoremove_conf);
	sdb_write_file(root, "etc/apt/apt.conf.d/99off",
	               "APT::Protect-Kernels \"false\";\n");
	apt = open_apt(root);
	check_protected(apt, R91, "");
	close_apt(apt);
}

/* kp_apt_kernel_protected() of root, with APT_CONFIG set to conf. */
static char *
protected_with(const char *root, const char *conf)
{
	struct kp_error err = { 0 };
	char *got;

	assert_int_equal(setenv("APT_CONFIG", conf, 1), 0);
	current = kp_apt_open(root, &err);
	assert_non_null(current);
	got = protected_string(current, R91);
	close_apt(current);
	return got;
}

/*
 * The root's own etc/apt is not read (unless APT_CONFIG sends apt there):
 * the proof reads what the purge's apt-get -o Dir=ROOT reads, APT_CONFIG
 * and this system's apt.conf.d. A root with apt's kernel patterns and one
 * without get the same answer, whatever this machine's configuration is.
 */
static void
test_root_apt_conf_not_read(void **state)
{
	char *bare = new_root(kernels);
	char *with = root_with_apt(kernels);
	char conf[8400];
	char *a, *b;

	sdb_write_file(bare, "apt-empty.conf", "// nothing\n");
	snprintf(conf, sizeof(conf), "%s/apt-empty.conf", bare);
	a = protected_with(bare, conf);
	b = protected_with(with, conf);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* ----------------------------------------------------------- errors */

static void
test_missing_root(void **state)
{
	struct kp_error err = { 0 };

	assert_null(kp_apt_open("/nonexistent/kp-root", &err));
	assert_int_equal(err.code, -ENOENT);
	assert_string_equal(
	        err.message,
	        "cannot use root directory "
	        "'/nonexistent/kp-root': No such file or directory");
}

static void
test_root_without_database(void **state)
{
	char *root = new_root(NULL);
	char status[4200], expected[4400];
	struct kp_error err = { 0 };

	snprintf(status, sizeof(status), "%s/var/lib/dpkg/status", root);
	assert_int_equal(unlink(status), 0);
	/* apt alone would see an empty system here. */
	assert_null(kp_apt_open(root, &err));
	assert_int_equal(err.code, -ENOENT);
	snprintf(expected, sizeof(expected),
	         "cannot read the dpkg database "
	         "%s: No such file or directory",
	         status);
	assert_string_equal(err.message, expected);
}

static void
test_corrupt_status(void **state)
{
	char *root = new_root(NULL);
	struct kp_error err = { 0 };

	sdb_write_file(
	        root, "var/lib/dpkg/status",
	        "Package: linux-image-" R91 "\nStatus: install ok installed\n"
	        "Version: 1.0-1\nArchitecture: amd64\nthis is no field\n\n");
	assert_null(kp_apt_open(root, &err));
	assert_int_equal(err.code, -EIO);
	assert_non_null(
	        strstr(err.message, "cannot read apt's package lists: "));
	assert_non_null(strstr(err.message, "/var/lib/dpkg/status"));
	/* Usable again afterwards. */
	sdb_write_file(root, "var/lib/dpkg/status", "");
	close_apt(open_apt(root));
}

static void
test_unknown_package(void **state)
{
	static const char *const names[] = { "linux-image-" R91,
		                             "linux-image-nope" };
	char *root = new_root(ubuntu);
	struct kp_apt *apt = open_apt(root);
	struct kp_error err = { 0 };
	struct kp_apt_sim sim;

	assert_int_equal(kp_apt_simulate_purge(apt, names, 2, &sim, &err),
	                 -ENOENT);
	assert_string_equal(err.message,
	                    "apt knows no package named 'linux-image-nope'");
	assert_null(sim.removals);
	assert_null(sim.installs);
	assert_null(sim.problem);
	/* The same handle still answers, from a clean slate. */
	assert_int_equal(kp_apt_simulate_purge(apt, names, 1, &sim, &err), 0);
	assert_string_equal(render(sim.removals, sim.n_removals, 0),
	                    "linux-generic(linux-image-" R91 ") "
	                    "linux-image-generic(linux-image-" R91 ") "
	                    "linux-modules-extra-" R91 "(linux-image-" R91 ")");
	kp_apt_sim_clear(&sim);
	close_apt(apt);
}

static void
test_one_at_a_time(void **state)
{
	char *root = new_root(ubuntu);
	struct kp_apt *apt = open_apt(root);
	struct kp_error err = { 0 };

	assert_null(kp_apt_open(root, &err));
	assert_int_equal(err.code, -EBUSY);
	close_apt(apt);
	kp_apt_close(NULL);
}

static int n_files;

static int
count_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	n_files++;
	return 0;
}

static int
files_under(const char *root)
{
	n_files = 0;
	nftw(root, count_file, 16, FTW_PHYS);
	return n_files;
}

static void
test_reopen_many_roots(void **state)
{
	char *with_conf = root_with_apt(kernels);
	char *without = new_root(kernels);
	int before = files_under(with_conf);
	char cache[4400];

	/* Each open starts from that root's configuration alone. */
	for (int i = 0; i < 20; i++) {
		struct kp_apt *apt = open_apt(i % 2 ? without : with_conf);
		check_protected(apt, R101, i % 2 ? "" : NEWEST_TWO);
		close_apt(apt);
	}
	/*
	 * No lock file: nothing but apt's two caches, where this process may
	 * write them (apt-get -s writes them there too).
	 */
	snprintf(cache, sizeof(cache), "%s/var/cache/apt", with_conf);
	assert_int_equal(files_under(with_conf),
	                 before + (access(cache, W_OK) == 0 ? 2 : 0));
}

static void
test_unreadable_database(void **state)
{
	char *root = new_root(ubuntu);
	char dir[4200];
	struct kp_error err = { 0 };

	if (geteuid() == 0)
		skip(); /* root reads everything: run as a plain user */
	snprintf(dir, sizeof(dir), "%s/var/lib/dpkg", root);
	assert_int_equal(chmod(dir, 0), 0);
	current = kp_apt_open(root, &err);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_null(current);
	assert_int_equal(err.code, -EACCES);
	assert_non_null(strstr(err.message, "Permission denied"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_purge_whole_family, teardown),
		cmocka_unit_test_teardown(test_purge_takes_metapackages,
		                          teardown),
		cmocka_unit_test_teardown(
		        test_purge_family_of_current_metapackage, teardown),
		cmocka_unit_test_teardown(
		        test_purge_or_group_one_alternative_stays, teardown),
		cmocka_unit_test_teardown(test_purge_image_alone_no_archive,
		                          teardown),
		cmocka_unit_test_teardown(
		        test_purge_image_alone_installs_unsigned, teardown),
		cmocka_unit_test_teardown(test_purge_exact_headers, teardown),
		cmocka_unit_test_teardown(test_rounds_share_one_depcache,
		                          teardown),
		cmocka_unit_test_teardown(test_caches_as_apt_get, teardown),
		cmocka_unit_test_teardown(test_untrusted_cache_ignored,
		                          teardown),
		cmocka_unit_test_teardown(test_config_autoremove_is_seen,
		                          teardown),
		cmocka_unit_test_teardown(test_config_binary_section, teardown),
		cmocka_unit_test_teardown(test_config_file, teardown),
		cmocka_unit_test_teardown(test_problems_healthy, teardown),
		cmocka_unit_test_teardown(test_problems_broken, teardown),
		cmocka_unit_test_teardown(test_problems_breaks_and_reinstreq,
		                          teardown),
		cmocka_unit_test_teardown(test_purge_refused_on_broken_system,
		                          teardown),
		cmocka_unit_test_teardown(test_kernel_protection, teardown),
		cmocka_unit_test_teardown(
		        test_kernel_protection_needs_apt_config, teardown),
		cmocka_unit_test_teardown(test_root_apt_conf_not_read,
		                          teardown),
		cmocka_unit_test_teardown(test_missing_root, teardown),
		cmocka_unit_test_teardown(test_root_without_database, teardown),
		cmocka_unit_test_teardown(test_corrupt_status, teardown),
		cmocka_unit_test_teardown(test_running_not_a_pattern, teardown),
		cmocka_unit_test_teardown(test_unknown_package, teardown),
		cmocka_unit_test_teardown(test_one_at_a_time, teardown),
		cmocka_unit_test_teardown(test_reopen_many_roots, teardown),
		cmocka_unit_test_teardown(test_unreadable_database, teardown),
	};

	return cmocka_run_group_tests_name("t-apt-shim", tests, NULL, NULL);
}
