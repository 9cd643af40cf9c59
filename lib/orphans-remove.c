/*
 * libkpurge - removing an orphan (see orphans.c) safely.
 *
 * Everything is checked again at removal time, and everything goes
 * through directory descriptors: the directory holding the orphan is
 * opened one component at a time from the root with O_NOFOLLOW, a tree
 * is walked with openat(O_NOFOLLOW | O_DIRECTORY) and emptied with
 * unlinkat() relative to those descriptors. A symbolic link planted
 * anywhere on the way is never followed: it makes the open fail, or it is
 * an entry that is unlinked itself. Only root's entries, writable by no
 * one else, on the orphan's filesystem, are removed; anything else stops
 * the removal with an error, leaving what was not yet removed.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpurge-private.h"

#define DEPTH_MAX 32

/** See kpurge-private.h. A bind mount of a directory of the same
 * filesystem has the same st_dev: only the kernel's mount-root attribute
 * tells it (Linux 5.8); a kernel without it tells nothing. */
bool
kp__mount_root(int dirfd, const char *name)
{
	struct statx stx;
	int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT |
	            (name[0] == '\0' ? AT_EMPTY_PATH : 0);

	if (statx(dirfd, name, flags, STATX_TYPE, &stx) < 0)
		return false;
	return (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	       (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

/*
 * May root alone have put st (dfd/name) there, on device dev, with no
 * mount on it? 0 or a code: -EACCES for another's or writable by others
 * (the removal's own -EPERM is the kernel's: an immutable file).
 */
static int
check_entry(int dfd, const char *name, const struct stat *st, dev_t dev)
{
	if (st->st_uid != 0 || kp__others_write(st))
		return -EACCES;
	return st->st_dev == dev && !kp__mount_root(dfd, name) ? 0 : -EXDEV;
}

static int empty_tree(int fd, dev_t dev, unsigned depth);

/* Remove the entry name of the directory dfd, a tree too. */
static int
remove_entry(int dfd, const char *name, dev_t dev, unsigned depth)
{
	struct stat st, opened;
	int fd, r;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if ((r = check_entry(dfd, name, &st, dev)) < 0)
		return r;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0) < 0 ? -errno : 0;
	if (depth >= DEPTH_MAX)
		return -ELOOP;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* What was opened is what was checked, not a replacement. */
	if (fstat(fd, &opened) < 0 || opened.st_ino != st.st_ino ||
	    opened.st_dev != st.st_dev) {
		close(fd);
		return -ESTALE;
	}
	r = empty_tree(fd, dev, depth + 1);
	if (r == 0 && unlinkat(dfd, name, AT_REMOVEDIR) < 0)
		r = -errno;
	return r;
}

/*
 * Remove everything in the directory fd (consumed). Entries removed while
 * reading may make readdir() skip others: read again until a pass
 * removes nothing.
 */
static int
empty_tree(int fd, dev_t dev, unsigned depth)
{
	DIR *dp = fdopendir(fd);
	struct dirent *d;
	bool removed = true;
	int r = 0;

	if (dp == NULL) {
		close(fd);
		return -errno;
	}
	while (r == 0 && removed) {
		removed = false;
		rewinddir(dp);
		while (r == 0 && (d = readdir(dp)) != NULL) {
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			r = remove_entry(dirfd(dp), d->d_name, dev, depth);
			removed = r == 0;
		}
	}
	closedir(dp);
	return r;
}

/* Open the directory path (from the root, "/boot"), O_NOFOLLOW each step. */
static int
open_parent(const char *root, const char *dir)
{
	char buf[4096], *save = NULL, *part;
	int fd = open(root[0] ? root : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC),
	    next;

	snprintf(buf, sizeof(buf), "%s", dir);
	for (part = strtok_r(buf, "/", &save); fd >= 0 && part != NULL;
	     part = strtok_r(NULL, "/", &save)) {
		next = openat(fd, part,
		              O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
	}
	return fd < 0 ? -errno : fd;
}

/* Remove name in dfd, the orphan o (with its identity at search time). */
static int
remove_in(int dfd, const char *name, const struct kp_orphan *o, dev_t dev,
          ino_t ino)
{
	struct stat st;
	int r;

	if (fstat(dfd, &st) < 0)
		return -errno;
	if (st.st_uid != 0 || kp__others_write(&st))
		return -EACCES;
	/* A modules directory mounted from elsewhere is another system's. */
	if (o->directory && kp__mount_root(dfd, ""))
		return -EXDEV;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (st.st_dev != dev || st.st_ino != ino ||
	    (o->directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
		return -ESTALE;
	if ((r = check_entry(dfd, name, &st, dev)) < 0)
		return r;
	return remove_entry(dfd, name, dev, 0);
}

/** See kpurge-private.h: remove orphan i of o, checking it all again. */
int
kp__orphan_remove(const char *root, const struct kp_orphan *o, dev_t dev,
                  ino_t ino, struct kp_error *err)
{
	char dir[4096];
	const char *name = strrchr(o->path, '/');
	int dfd, r;

	if (o->refusal != KP_ORPHAN_REMOVABLE || name == NULL)
		return kp__error_set(err, -EPERM, "%s is not removed: %s",
		                     o->path,
		                     kp_orphan_refusal_name(o->refusal));
	if ((r = kp__orphan_trusted(root, err)) < 0)
		return r;
	snprintf(dir, sizeof(dir), "%.*s", (int)(name - o->path), o->path);
	dfd = open_parent(root, dir);
	if (dfd < 0)
		return kp__error_set(err, dfd, "cannot open %s: %s", dir,
		                     strerror(-dfd));
	r = remove_in(dfd, name + 1, o, dev, ino);
	close(dfd);
	if (r == -ESTALE)
		return kp__error_set(err, r,
		                     "%s changed since it was found; "
		                     "it was not removed",
		                     o->path);
	if (r < 0)
		return kp__error_set(err, r, "cannot remove %s: %s", o->path,
		                     r == -EACCES ? "something in it is not "
		                                    "root's alone" :
		                     r == -EXDEV  ? "something "
		                                    "in it is mounted" :
		                                    strerror(-r));
	return 0;
}
