/*
 * libkpurge - space: what each release takes under /boot, what the purge
 * frees there, and how full the filesystem holding /boot is.
 *
 * dpkg's file lists (info/PACKAGE.list) say which files a package owns;
 * the initrd images are not owned by any package (the kernel's hooks make
 * them), so they are matched by release name.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "kpurge-private.h"

/* Size of a regular file at ROOT/path (path absolute), 0 otherwise. */
static unsigned long long
file_bytes(const char *root, const char *path)
{
	char full[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(full, sizeof(full), "%s%s", root, path) >= sizeof(full))
		return 0;
	if (lstat(full, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	return (unsigned long long)st.st_size;
}

/* Bytes of the files under /boot that package owns, from its file list. */
static unsigned long long
package_boot_bytes(const char *root, const char *admindir, const char *package)
{
	char list[PATH_MAX], line[PATH_MAX];
	unsigned long long sum = 0;
	FILE *f;

	if ((size_t)snprintf(list, sizeof(list), "%s/info/%s.list", admindir,
	                     package) >= sizeof(list))
		return 0;
	f = fopen(list, "re");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "/boot/", 6) == 0)
			sum += file_bytes(root, line);
	}
	fclose(f);
	return sum;
}

/*
 * Only images and modules packages ship files under /boot (vmlinuz;
 * System.map and config, which Ubuntu puts in linux-modules): reading the
 * file lists of the rest would cost more than all the planning.
 */
static bool
owns_boot_files(enum kp_kind kind)
{
	return kind == KP_KIND_IMAGE || kind == KP_KIND_MODULES;
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
		if ((size_t)snprintf(path, sizeof(path), "/boot/initrd.img-%s%s",
		                     release, suffixes[i]) < sizeof(path))
			sum += file_bytes(root, path);
	}
	return sum;
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

static void
measure_filesystem(struct kp_plan *plan, const char *root)
{
	kp_boot_usage(root, &plan->boot);
}

/** See kpurge-private.h. */
void
kp__plan_measure_boot(struct kp_plan *plan, const char *root,
                      const char *admindir)
{
	size_t r, j;

	plan->boot.freed = 0;
	for (r = 0; r < plan->n_releases; r++) {
		struct kp_release *rel = &plan->releases[r];

		rel->boot_bytes = initrd_bytes(root, rel->name);
		for (j = 0; j < rel->n_packages; j++)
			if (owns_boot_files(rel->packages[j]->kind))
				rel->boot_bytes += package_boot_bytes(
					root, admindir, rel->packages[j]->name);
		if (rel->action == KP_PURGE)
			plan->boot.freed += rel->boot_bytes;
	}
	measure_filesystem(plan, root);
}

/** Fill out with /boot's filesystem figures and what the plan frees. */
void
kp_plan_boot_space(const struct kp_plan *plan, struct kp_boot_space *out)
{
	*out = plan->boot;
}
