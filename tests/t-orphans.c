/*
 * t-orphans - files of removed kernels no package owns: which names map
 * to which release, which are refused, and what a search of a root finds
 * and refuses (owned, diverted, packaged, running, protected, symbolic
 * links, a file swapped for a link between the search and the removal).
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
#include "kpurge-private.h"
#include "statusdb.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct boot_row {
	const char *name;
	const char *release; /* NULL: refused */
	const char *alt;
};

static const struct boot_row boot_rows[] = {
	{ "vmlinuz-6.8.0-31-generic", "6.8.0-31-generic", "" },
	{ "initrd.img-6.8.0-31-generic", "6.8.0-31-generic", "" },
	{ "System.map-5.15.0-91-generic", "5.15.0-91-generic", "" },
	{ "config-6.1.0-27-amd64", "6.1.0-27-amd64", "" },
	{ "abi-5.4.0-42-generic", "5.4.0-42-generic", "" },
	{ "retpoline-5.4.0-42-generic", "5.4.0-42-generic", "" },
	{ "vmlinux-6.1.0-27-powerpc64le", "6.1.0-27-powerpc64le", "" },
	{ "vmlinuz-6.7.0-rc1+", "6.7.0-rc1+", "" },
	{ "vmlinuz-6.6.1-060601-generic", "6.6.1-060601-generic", "" },
	{ "initrd.img-6.8.0-31-generic.old-dkms", "6.8.0-31-generic",
	  "6.8.0-31-generic.old-dkms" },
	{ "initrd.img-6.8.0-31-generic.bak", "6.8.0-31-generic",
	  "6.8.0-31-generic.bak" },
	{ "vmlinuz-5.4.0-42-generic.efi.signed", "5.4.0-42-generic",
	  "5.4.0-42-generic.efi.signed" },
	/* update-initramfs writes R.new, then renames it to R */
	{ "initrd.img-6.8.0-45-generic.new", "6.8.0-45-generic",
	  "6.8.0-45-generic.new" },
	/* refused */
	{ "vmlinuz", NULL, NULL },
	{ "vmlinuz.old", NULL, NULL },
	{ "initrd.img", NULL, NULL },
	{ "initrd.img.old", NULL, NULL },
	{ "vmlinuz-", NULL, NULL },
	{ "vmlinuz-generic", NULL, NULL },
	{ "vmlinuz-6.8.0-31-generic.dpkg-tmp", NULL, NULL },
	{ "vmlinuz-6.8.0-31-generic.dpkg-new", NULL, NULL },
	{ "initrd.img-6.8.0-31-generic.dpkg-bak", NULL, NULL },
	{ "grub", NULL, NULL },
	{ "efi", NULL, NULL },
	{ "memtest86+.bin", NULL, NULL },
	{ "config-6.8.0 x", NULL, NULL },
	{ "initrd.img-6.8/../../etc/shadow", NULL, NULL },
	{ "initrd.img-..", NULL, NULL },
	{ "config-6.8.0-31-generic\n", NULL, NULL },
	{ "vmlinuz-6.8.0-31-g\xc3\xa9n\xc3\xa9ric", NULL, NULL },
	{ "xvmlinuz-6.8.0-31-generic", NULL, NULL },
};

static void
test_boot_names(void **state)
{
	char release[KP_NAME_MAX], alt[KP_NAME_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(boot_rows); i++) {
		const struct boot_row *r = &boot_rows[i];
		bool ok = kp__orphan_boot_name(r->name, release, alt);

		if (ok != (r->release != NULL))
			fail_msg("%s: %s", r->name, ok ? "taken" : "refused");
		if (!ok)
			continue;
		assert_string_equal(release, r->release);
		assert_string_equal(alt, r->alt);
	}
}

static void
test_release_names(void **state)
{
	static const char *const ok[] = { "6.8.0-31-generic", "6.7.0-rc1+",
		                          "5.10.0-0.deb10.16-amd64", "6.1.0" };
	static const char *const bad[] = { "",
		                           ".",
		                           "..",
		                           "lost+found",
		                           "extramodules-6.8",
		                           "6.8.0/x",
		                           "6.8.0-31.dpkg-new",
		                           "6.8 x" };
	char longname[KP_NAME_MAX + 2];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++)
		assert_true(kp__orphan_release_ok(ok[i], strlen(ok[i])));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (kp__orphan_release_ok(bad[i], strlen(bad[i])))
			fail_msg("taken: '%s'", bad[i]);
	memset(longname, '1', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_false(kp__orphan_release_ok(longname, strlen(longname)));
}

/* ------------------------------------------------- a search of a root */

static void
put(const char *root, const char *rel)
{
	char path[4096], cmd[8300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("x\n", f);
	assert_int_equal(fclose(f), 0);
}

static void
link_at(const char *root, const char *target, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(symlink(target, path), 0);
}

static bool
exists(const char *root, const char *rel)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return lstat(path, &st) == 0;
}

static struct kp_plan *
search(const char *root, const char *running, const char *const *protect,
       size_t n_protect)
{
	struct kp_plan_options opts = { 1, running, protect, n_protect };
	struct kp_plan *plan = NULL;
	struct kp_error err;
	struct kp_ctx *ctx;

	kp_error_clear(&err);
	ctx = kp_ctx_new(root, NULL, NULL, &err);
	if (ctx == NULL)
		fail_msg("%s: %s", root, err.message);
	/* The context is closed before a failure is reported: the next
	 * test can open its own. */
	if (kp_plan_new(ctx, &opts, &plan, &err) != 0 ||
	    kp_plan_find_orphans(ctx, plan, protect, n_protect, &err) != 0) {
		kp_ctx_free(ctx);
		fail_msg("the plan and orphans of %s: %s", root, err.message);
	}
	kp_ctx_free(ctx);
	return plan;
}

/* The orphans' paths, blank-separated. */
static void
paths(const struct kp_plan *plan, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < kp_plan_n_orphans(plan) && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		                        i ? " " : "",
		                        kp_plan_orphan(plan, i)->path);
}

static const struct sdb_pkg pkgs[] = {
	{ "linux-image-6.8.0-31-generic", NULL, NULL, NULL, NULL },
	{ "linux-image-6.8.0-20-generic", "c", NULL, NULL, NULL },
	{ "acme-extras", NULL, NULL, NULL, NULL },
	{ NULL },
};

static char *
make_root(void)
{
	char *root = sdb_root_new(pkgs);

	sdb_write_file(root,
	               "var/lib/dpkg/info/linux-image-6.8.0-31-generic.list",
	               "/boot\n/boot/vmlinuz-6.8.0-31-generic\n");
	/* A package of no kernel owns a file of 6.8.0-11. */
	sdb_write_file(root, "var/lib/dpkg/info/acme-extras.list",
	               "/boot\n/boot/abi-6.8.0-11-generic\n");
	sdb_write_file(root, "var/lib/dpkg/diversions",
	               "/boot/config-6.8.0-14-generic\n"
	               "/boot/config-6.8.0-14-generic.distrib\nacme-extras\n");
	put(root, "boot/vmlinuz-6.8.0-31-generic");
	put(root, "boot/initrd.img-6.8.0-31-generic"); /* installed */
	put(root, "boot/initrd.img-6.8.0-20-generic"); /* config-files */
	put(root, "boot/initrd.img-6.8.0-10-generic"); /* gone */
	put(root, "lib/modules/6.8.0-10-generic/updates/dkms/a.ko");
	put(root, "boot/initrd.img-6.8.0-11-generic");     /* a file owned */
	put(root, "boot/config-6.8.0-14-generic.distrib"); /* diverted */
	put(root, "boot/initrd.img-6.8.0-15-generic");     /* running */
	/* dracut writes initrd.img-R.PID, then renames it */
	put(root, "boot/initrd.img-6.8.0-15-generic.4242");
	put(root, "boot/initrd.img-6.8.0-31-generic.4242"); /* installed */
	/* an admin's copy of an installed release's modules */
	put(root, "lib/modules/6.8.0-31-generic.old/modules.dep");
	put(root, "boot/initrd.img-6.8.0-16-generic"); /* protected */
	put(root, "outside/secret");
	put(root, "outside/dir/x.ko");
	link_at(root, "../outside/secret", "boot/initrd.img-6.8.0-12-generic");
	link_at(root, "../../outside/dir", "lib/modules/6.8.0-13-generic");
	return root;
}

static void
test_search(void **state)
{
	static const char *const protect[] = { "6.8.0-16" };
	char *root = make_root();
	struct kp_plan *plan = search(root, "6.8.0-15-generic", protect, 1);
	char buf[4096];

	(void)state;
	paths(plan, buf, sizeof(buf));
	assert_string_equal(buf, "/boot/initrd.img-6.8.0-10-generic "
	                         "/lib/modules/6.8.0-10-generic");
	assert_string_equal(kp_plan_orphan(plan, 1)->release,
	                    "6.8.0-10-generic");
	assert_true(kp_plan_orphan(plan, 1)->directory);
	/* Found either way; removable only when root's (a plain user's
	 * build of the suite owns the files it made). */
	assert_int_equal(kp_plan_orphan(plan, 1)->refusal,
	                 geteuid() == 0 ? KP_ORPHAN_REMOVABLE :
	                                  KP_ORPHAN_NOT_ROOTS);
	kp_plan_free(plan);
	/* Without the running and the protection, their files are orphans. */
	plan = search(root, NULL, NULL, 0);
	paths(plan, buf, sizeof(buf));
	assert_string_equal(buf, "/boot/initrd.img-6.8.0-10-generic "
	                         "/boot/initrd.img-6.8.0-15-generic "
	                         "/boot/initrd.img-6.8.0-15-generic.4242 "
	                         "/boot/initrd.img-6.8.0-16-generic "
	                         "/lib/modules/6.8.0-10-generic");
	kp_plan_free(plan);
	sdb_root_free(root);
}

static void
test_remove(void **state)
{
	char *root = make_root();
	struct kp_plan *plan = search(root, "6.8.0-15-generic", NULL, 0);
	struct kp_error err;
	char path[4096];

	(void)state;
	if (geteuid() != 0) {
		kp_plan_free(plan);
		sdb_root_free(root);
		skip();
	}
	assert_int_equal(kp_plan_n_orphans(plan), 3);
	/* /boot/initrd.img-6.8.0-10-generic becomes a link after the search. */
	snprintf(path, sizeof(path), "%s/boot/initrd.img-6.8.0-10-generic",
	         root);
	assert_int_equal(unlink(path), 0);
	link_at(root, "../outside/secret", "boot/initrd.img-6.8.0-10-generic");
	kp_error_clear(&err);
	assert_int_equal(kp_plan_remove_orphan(plan, 0, &err), -ESTALE);
	assert_non_null(strstr(err.message, "changed since it was found"));
	assert_true(exists(root, "boot/initrd.img-6.8.0-10-generic"));
	assert_true(exists(root, "outside/secret"));
	/* The tree goes, its DKMS build with it; nothing outside. */
	assert_int_equal(kp_plan_remove_orphan(plan, 2, &err), 0);
	assert_false(exists(root, "lib/modules/6.8.0-10-generic"));
	assert_true(exists(root, "lib/modules/6.8.0-13-generic"));
	assert_true(exists(root, "outside/dir/x.ko"));
	kp_plan_free(plan);
	sdb_root_free(root);
}

/* Rename root/from to root/to. */
static void
move(const char *root, const char *from, const char *to)
{
	char a[4096], b[4096];

	snprintf(a, sizeof(a), "%s/%s", root, from);
	snprintf(b, sizeof(b), "%s/%s", root, to);
	assert_int_equal(rename(a, b), 0);
}

/*
 * Between the search and the removal, a symbolic link takes the place of
 * a directory at each depth: the tree's parent's parent, its parent, the
 * tree itself, each pointing where a same-named tree waits. Each removal
 * fails; nothing outside is removed.
 */
static void
test_races(void **state)
{
	static const char *const swaps[][2] = {
		{ "lib", "outside/lib" },
		{ "lib/modules", "../outside/lib/modules" },
		{ "lib/modules/6.8.0-10-generic",
		  "../../outside/lib/modules/6.8.0-10-generic" },
	};
	char *root, away[64];
	struct kp_plan *plan;
	struct kp_error err;
	size_t i;

	(void)state;
	if (geteuid() != 0)
		skip();
	for (i = 0; i < KP_ARRAY_SIZE(swaps); i++) {
		root = make_root();
		put(root, "outside/lib/modules/6.8.0-10-generic/modules.dep");
		plan = search(root, "6.8.0-15-generic", NULL, 0);
		assert_string_equal(kp_plan_orphan(plan, 2)->path,
		                    "/lib/modules/6.8.0-10-generic");
		snprintf(away, sizeof(away), "%s.away", swaps[i][0]);
		move(root, swaps[i][0], away);
		link_at(root, swaps[i][1], swaps[i][0]);
		kp_error_clear(&err);
		assert_true(kp_plan_remove_orphan(plan, 2, &err) < 0);
		assert_true(exists(root, "outside/lib/modules/6.8.0-10-generic/"
		                         "modules.dep"));
		kp_plan_free(plan);
		sdb_root_free(root);
	}
}

/*
 * Another directory under the tree's name: not the one found, left. A
 * directory in the tree becomes a link: the link goes, not its target.
 */
static void
test_races_inside(void **state)
{
	struct kp_plan *plan;
	struct kp_error err;
	char *root;

	(void)state;
	if (geteuid() != 0)
		skip();
	root = make_root();
	plan = search(root, "6.8.0-15-generic", NULL, 0);
	move(root, "lib/modules/6.8.0-10-generic", "outside/found");
	put(root, "lib/modules/6.8.0-10-generic/new.ko");
	kp_error_clear(&err);
	assert_int_equal(kp_plan_remove_orphan(plan, 2, &err), -ESTALE);
	assert_true(exists(root, "lib/modules/6.8.0-10-generic/new.ko"));
	kp_plan_free(plan);
	sdb_root_free(root);
	root = make_root();
	plan = search(root, "6.8.0-15-generic", NULL, 0);
	move(root, "lib/modules/6.8.0-10-generic/updates", "updates.away");
	link_at(root, "../../../outside/dir",
	        "lib/modules/6.8.0-10-generic/updates");
	assert_int_equal(kp_plan_remove_orphan(plan, 2, &err), 0);
	assert_false(exists(root, "lib/modules/6.8.0-10-generic"));
	assert_true(exists(root, "outside/dir/x.ko"));
	kp_plan_free(plan);
	sdb_root_free(root);
}

/* A hard link in /boot to a file outside it: only the name goes. */
static void
test_hard_link(void **state)
{
	char *root, a[4096], b[4096];
	struct kp_plan *plan;
	struct kp_error err;

	(void)state;
	if (geteuid() != 0)
		skip();
	root = make_root();
	move(root, "boot/initrd.img-6.8.0-10-generic", "outside/old-initrd");
	snprintf(a, sizeof(a), "%s/outside/secret", root);
	snprintf(b, sizeof(b), "%s/boot/initrd.img-6.8.0-10-generic", root);
	assert_int_equal(link(a, b), 0);
	plan = search(root, "6.8.0-15-generic", NULL, 0);
	assert_string_equal(kp_plan_orphan(plan, 0)->path,
	                    "/boot/initrd.img-6.8.0-10-generic");
	kp_error_clear(&err);
	assert_int_equal(kp_plan_remove_orphan(plan, 0, &err), 0);
	assert_false(exists(root, "boot/initrd.img-6.8.0-10-generic"));
	assert_true(exists(root, "outside/secret"));
	kp_plan_free(plan);
	sdb_root_free(root);
}

/* A merged /usr: /lib is a link to usr/lib; each tree is found once. A
 * /boot that is a link is not searched. */
static void
test_merged_usr(void **state)
{
	char *root = sdb_root_new(pkgs), buf[4096];
	struct kp_plan *plan;

	(void)state;
	sdb_write_file(root,
	               "var/lib/dpkg/info/linux-image-6.8.0-31-generic.list",
	               "/lib/modules/6.8.0-31-generic/kernel/a.ko\n");
	put(root, "usr/lib/modules/6.8.0-31-generic/kernel/a.ko");
	put(root, "usr/lib/modules/6.8.0-10-generic/modules.dep");
	link_at(root, "usr/lib", "lib");
	plan = search(root, NULL, NULL, 0);
	paths(plan, buf, sizeof(buf));
	assert_string_equal(buf, "/usr/lib/modules/6.8.0-10-generic");
	kp_plan_free(plan);
	/* A /boot that is a link: not searched (what it holds is elsewhere). */
	put(root, "elsewhere/initrd.img-6.8.0-10-generic");
	link_at(root, "elsewhere", "boot");
	plan = search(root, NULL, NULL, 0);
	paths(plan, buf, sizeof(buf));
	assert_string_equal(buf, "/usr/lib/modules/6.8.0-10-generic");
	kp_plan_free(plan);
	sdb_root_free(root);
}

/* Another user's file in a tree, a /boot anyone can write: left alone. */
static void
test_refusals(void **state)
{
	char *root = sdb_root_new(pkgs), path[4096];
	struct kp_plan *plan;
	struct kp_error err;

	(void)state;
	if (geteuid() != 0) {
		sdb_root_free(root);
		skip();
	}
	put(root, "lib/modules/6.8.0-10-generic/updates/dkms/a.ko");
	put(root, "lib/modules/6.8.0-10-generic/modules.dep");
	snprintf(path, sizeof(path),
	         "%s/lib/modules/6.8.0-10-generic/updates/dkms/a.ko", root);
	assert_int_equal(chown(path, 65534, 65534), 0);
	put(root, "boot/initrd.img-6.8.0-10-generic");
	snprintf(path, sizeof(path), "%s/boot", root);
	assert_int_equal(chmod(path, 01777), 0);
	plan = search(root, NULL, NULL, 0);
	assert_int_equal(kp_plan_n_orphans(plan), 2);
	assert_int_equal(kp_plan_orphan(plan, 0)->refusal, KP_ORPHAN_WRITABLE);
	assert_int_equal(kp_plan_orphan(plan, 1)->refusal, KP_ORPHAN_NOT_ROOTS);
	assert_int_equal(kp_plan_orphan(plan, 1)->uid, 65534);
	kp_error_clear(&err);
	assert_int_equal(kp_plan_remove_orphan(plan, 0, &err), -EPERM);
	assert_int_equal(kp_plan_remove_orphan(plan, 1, &err), -EPERM);
	assert_true(exists(root, "boot/initrd.img-6.8.0-10-generic"));
	assert_true(exists(root, "lib/modules/6.8.0-10-generic/modules.dep"));
	kp_plan_free(plan);
	sdb_root_free(root);
}

/*
 * A group other than root's that may write: a tree in a directory its
 * members may write (they could rename a live tree to a gone name), a
 * file they may write. Left alone as writable by others; root's group
 * writing changes nothing.
 */
static void
test_group_writable(void **state)
{
	char *root = sdb_root_new(pkgs), path[4096];
	struct kp_plan *plan;
	struct kp_error err;

	(void)state;
	if (geteuid() != 0) {
		sdb_root_free(root);
		skip();
	}
	put(root, "lib/modules/6.8.0-10-generic/modules.dep");
	put(root, "boot/initrd.img-6.8.0-10-generic");
	put(root, "boot/vmlinuz-6.8.0-9-generic");
	snprintf(path, sizeof(path), "%s/lib/modules", root);
	assert_int_equal(chown(path, 0, 100), 0);
	assert_int_equal(chmod(path, 0775), 0);
	snprintf(path, sizeof(path), "%s/boot/initrd.img-6.8.0-10-generic",
	         root);
	assert_int_equal(chown(path, 0, 100), 0);
	assert_int_equal(chmod(path, 0664), 0);
	snprintf(path, sizeof(path), "%s/boot/vmlinuz-6.8.0-9-generic", root);
	assert_int_equal(chmod(path, 0664), 0); /* root's group */
	plan = search(root, NULL, NULL, 0);
	assert_int_equal(kp_plan_n_orphans(plan), 3);
	assert_string_equal(kp_plan_orphan(plan, 0)->path,
	                    "/boot/initrd.img-6.8.0-10-generic");
	assert_int_equal(kp_plan_orphan(plan, 0)->refusal, KP_ORPHAN_WRITABLE);
	assert_int_equal(kp_plan_orphan(plan, 1)->refusal, KP_ORPHAN_REMOVABLE);
	assert_int_equal(kp_plan_orphan(plan, 2)->refusal, KP_ORPHAN_WRITABLE);
	kp_error_clear(&err);
	assert_int_equal(kp_plan_remove_orphan(plan, 2, &err), -EPERM);
	assert_true(exists(root, "lib/modules/6.8.0-10-generic/modules.dep"));
	kp_plan_free(plan);
	sdb_root_free(root);
}

/*
 * A root another user owns: they could swap its var/lib/dpkg for a
 * database of their own and have root remove root's files in it. The
 * search is an error, and so is a removal found before the change.
 */
static void
test_untrusted_root(void **state)
{
	char *root = make_root();
	struct kp_plan_options opts = { 1, NULL, NULL, 0 };
	struct kp_plan *plan = search(root, "6.8.0-15-generic", NULL, 0), *p2;
	struct kp_error err;
	struct kp_ctx *ctx;

	(void)state;
	if (geteuid() != 0) {
		kp_plan_free(plan);
		sdb_root_free(root);
		skip();
	}
	assert_int_equal(chown(root, 65534, 65534), 0);
	kp_error_clear(&err);
	assert_true(kp_plan_remove_orphan(plan, 0, &err) < 0);
	assert_true(exists(root, "boot/initrd.img-6.8.0-10-generic"));
	ctx = kp_ctx_new(root, NULL, NULL, &err);
	assert_non_null(ctx);
	assert_int_equal(kp_plan_new(ctx, &opts, &p2, &err), 0);
	assert_true(kp_plan_find_orphans(ctx, p2, NULL, 0, &err) < 0);
	assert_non_null(strstr(err.message, root));
	assert_int_equal(kp_plan_n_orphans(p2), 0);
	kp_plan_free(p2);
	kp_ctx_free(ctx);
	assert_int_equal(chown(root, 0, 0), 0);
	kp_plan_free(plan);
	sdb_root_free(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_names),
		cmocka_unit_test(test_release_names),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_races),
		cmocka_unit_test(test_races_inside),
		cmocka_unit_test(test_hard_link),
		cmocka_unit_test(test_merged_usr),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_group_writable),
		cmocka_unit_test(test_untrusted_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
