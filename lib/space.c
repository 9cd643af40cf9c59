/*
 * libkpurge - space: what purging each release frees, on disk and under
 * /boot, and how full the filesystem holding /boot is.
 *
 * An installed package frees its Installed-Size. A package in
 * config-files state frees what its remaining files (conffiles, mostly)
 * take on disk, from its file list (info/PACKAGE.list). A release also
 * frees files no package owns that its packages' scripts made and remove
 * on purge: the initrd images in /boot (the kernel's hooks make them) and
 * depmod's modules.* files in /lib/modules/RELEASE; they count toward the
 * release's image package. On disk means what du counts: allocated blocks.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "kpurge-private.h"

/* Bytes a regular file at ROOT/path (path absolute) takes on disk, as du
 * counts them; 0 for anything else. */
static unsigned long long
disk_bytes(const char *root, const char *path)
{
	char full[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(full, sizeof(full), "%s%s", root, path) >=
	    sizeof(full))
		return 0;
	if (lstat(full, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	return (unsigned long long)st.st_blocks * 512u;
}

/* Whole KiB, rounded up (without wrapping near the top). */
static unsigned long long
kib_of(unsigned long long bytes)
{
	return bytes / 1024u + (bytes % 1024u != 0);
}

/* What one package's file list says about the space of its release. */
struct list_sums {
	unsigned long long boot;    /* its files under /boot */
	unsigned long long modules; /* the /lib/modules/R/modules.* it owns */
	unsigned long long left;    /* all its files still on disk */
};

/* Add path, a line of a file list, to sums; modules is "/lib/modules/R/modules.". */
static void
sum_listed_file(const char *root, const char *path, const char *modules,
                struct list_sums *sums)
{
	unsigned long long bytes = disk_bytes(root, path);

	if (bytes == 0)
		return;
	sums->left = kp__bytes_add(sums->left, bytes);
	if (strncmp(path, "/boot/", 6) == 0)
		sums->boot = kp__bytes_add(sums->boot, bytes);
	else if (modules[0] != '\0' &&
	         strncmp(path, modules, strlen(modules)) == 0)
		sums->modules = kp__bytes_add(sums->modules, bytes);
}

/* Read package's file list into sums (all zero when it cannot be read). */
static void
read_file_list(const char *root, const char *admindir,
               const struct kp_package *pkg, struct list_sums *sums)
{
	char list[PATH_MAX], line[PATH_MAX], modules[PATH_MAX] = "";
	FILE *f;

	memset(sums, 0, sizeof(*sums));
	if (pkg->release != NULL)
		snprintf(modules, sizeof(modules), "/lib/modules/%s/modules.",
		         pkg->release);
	if ((size_t)snprintf(list, sizeof(list), "%s/info/%s.list", admindir,
	                     pkg->name) >= sizeof(list))
		return;
	f = fopen(list, "re");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		sum_listed_file(root, line, modules, sums);
	}
	fclose(f);
}

/*
 * Whose file list is worth reading: packages in config-files state (what
 * is left is all they free) and images and modules packages, the only
 * ones with files under /boot (vmlinuz; System.map and config, which
 * Ubuntu puts in linux-modules) or modules.* files. Reading the lists of
 * the rest would cost more than all the planning.
 */
static bool
list_matters(const struct kp_package *pkg)
{
	return pkg->state == KP_STATE_CONFIG_FILES ||
	       pkg->kind == KP_KIND_IMAGE || pkg->kind == KP_KIND_MODULES;
}

/* The initrd images the kernel's hooks generated for release. */
static unsigned long long
initrd_bytes(const char *root, const char *release)
{
	static const char *const suffixes[] = { "", ".old-dkms" };
	char path[PATH_MAX];
	unsigned long long sum = 0;
	size_t i;

	for (i = 0; i < KP_ARRAY_SIZE(suffixes); i++) {
		if ((size_t)snprintf(path, sizeof(path),
		                     "/boot/initrd.img-%s%s", release,
		                     suffixes[i]) < sizeof(path))
			sum = kp__bytes_add(sum, disk_bytes(root, path));
	}
	return sum;
}

/* The modules.* files in ROOT/lib/modules/release, owned or not. */
static unsigned long long
modules_files_bytes(const char *root, const char *release)
{
	char dir[PATH_MAX], path[PATH_MAX];
	unsigned long long sum = 0;
	struct dirent *d;
	DIR *dp;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/lib/modules/%s", root,
	                     release) >= sizeof(dir))
		return 0;
	dp = opendir(dir);
	if (dp == NULL)
		return 0;
	while ((d = readdir(dp)) != NULL) {
		if (strncmp(d->d_name, "modules.", 8) != 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "/lib/modules/%s/%s",
		                     release, d->d_name) < sizeof(path))
			sum = kp__bytes_add(sum, disk_bytes(root, path));
	}
	closedir(dp);
	return sum;
}

/* The package that the files no package owns count toward: the image. */
static struct kp_package *
release_anchor(struct kp_plan *plan, const struct kp_release *rel)
{
	size_t j;

	if (rel->n_packages == 0)
		return NULL;
	for (j = 0; j < rel->n_packages; j++)
		if (rel->packages[j]->kind == KP_KIND_IMAGE)
			break;
	if (j == rel->n_packages)
		j = 0;
	return &plan->packages[rel->packages[j] - plan->packages];
}

/* Measure one release: its /boot share, and its packages' sizes. */
static void
measure_release(struct kp_plan *plan, struct kp_release *rel, const char *root,
                const char *admindir)
{
	unsigned long long owned_modules = 0, modules, unowned;
	struct kp_package *anchor = release_anchor(plan, rel);
	size_t j;

	rel->boot_bytes = initrd_bytes(root, rel->name);
	unowned = rel->boot_bytes;
	for (j = 0; j < rel->n_packages; j++) {
		struct kp_package *pkg =
		        &plan->packages[rel->packages[j] - plan->packages];
		struct list_sums sums;

		if (!list_matters(pkg))
			continue;
		read_file_list(root, admindir, pkg, &sums);
		rel->boot_bytes = kp__bytes_add(rel->boot_bytes, sums.boot);
		owned_modules = kp__bytes_add(owned_modules, sums.modules);
		if (pkg->state == KP_STATE_CONFIG_FILES)
			pkg->size_kib = kib_of(sums.left);
	}
	modules = modules_files_bytes(root, rel->name);
	if (modules > owned_modules)
		unowned = kp__bytes_add(unowned, modules - owned_modules);
	if (anchor != NULL)
		anchor->size_kib = kp__size_add(anchor->size_kib,
		                                kib_of(unowned));
	rel->size_kib = 0;
	for (j = 0; j < rel->n_packages; j++)
		rel->size_kib = kp__size_add(rel->size_kib,
		                             rel->packages[j]->size_kib);
}

/* A flavour-less package in config-files state frees its files left. */
static void
measure_shared_leftovers(struct kp_plan *plan, const char *root,
                         const char *admindir)
{
	size_t i;

	for (i = 0; i < plan->n_packages; i++) {
		struct kp_package *pkg = &plan->packages[i];
		struct list_sums sums;

		if (pkg->release != NULL || pkg->state != KP_STATE_CONFIG_FILES)
			continue;
		read_file_list(root, admindir, pkg, &sums);
		pkg->size_kib = kib_of(sums.left);
	}
}

/**
 * Measure the filesystem holding ROOT/boot (root NULL or "" for this
 * system) into out's size and used, and set out->known; freed is left as
 * it is. One statvfs(). Returns 0 or a negative code (out unchanged).
 */
int
kp_boot_usage(const char *root, struct kp_boot_space *out)
{
	char boot[PATH_MAX];
	struct statvfs vfs;

	snprintf(boot, sizeof(boot), "%s/boot", root != NULL ? root : "");
	if (statvfs(boot, &vfs) < 0)
		return -errno;
	out->known = true;
	out->size = (unsigned long long)vfs.f_blocks * vfs.f_frsize;
	out->used = (unsigned long long)(vfs.f_blocks - vfs.f_bfree) *
	            vfs.f_frsize;
	return 0;
}

/** See kpurge-private.h. */
void
kp__plan_count_freed(struct kp_plan *plan)
{
	size_t r, i;

	plan->boot.freed = 0;
	for (r = 0; r < plan->n_releases; r++)
		if (plan->releases[r].action == KP_PURGE)
			plan->boot.freed = kp__bytes_add(
			        plan->boot.freed, plan->releases[r].boot_bytes);
	plan->purge_kib = 0;
	for (i = 0; i < plan->n_packages; i++)
		if (plan->packages[i].action == KP_PURGE)
			plan->purge_kib = kp__size_add(
			        plan->purge_kib, plan->packages[i].size_kib);
}

/** See kpurge-private.h. */
void
kp__plan_measure_boot(struct kp_plan *plan, const char *root,
                      const char *admindir)
{
	size_t r;

	measure_shared_leftovers(plan, root, admindir);
	for (r = 0; r < plan->n_releases; r++)
		measure_release(plan, &plan->releases[r], root, admindir);
	kp__plan_count_freed(plan);
	kp_boot_usage(root, &plan->boot);
}

/** Fill out with /boot's filesystem figures and what the plan frees. */
void
kp_plan_boot_space(const struct kp_plan *plan, struct kp_boot_space *out)
{
	*out = plan->boot;
}
