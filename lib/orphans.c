/*
 * libkpurge - orphans: files of kernel releases that are gone, which no
 * package owns, under /boot and the modules directories.
 *
 * A file is an orphan when all of these hold:
 *  - it is /boot/PREFIX-R (vmlinuz, vmlinux, initrd.img, System.map,
 *    config, abi, retpoline; with .old-dkms, .bak, .new or .efi.signed
 *    after R too) and a regular file, or the directory /lib/modules/R
 *    (or /usr/lib/modules/R), a real directory: never a symbolic link;
 *    R.x.y is also R.x's and R's (see name_release_gone());
 *  - no file list of any package (info/P.list) and no diversion names it,
 *    and none names any file of its release R: a release some package
 *    still owns a file of is not gone;
 *  - no kernel package of R is known to dpkg in any state, config-files
 *    too: purging that package (its postrm) is what removes these files;
 *  - R is not running, not kept by the plan, not protected, not what
 *    the boot loader boots next (even when it is not installed);
 *  - R is not a kernel installed by hand (make install): an unowned
 *    /boot/vmlinuz-R next to a /lib/modules/R/kernel tree.
 * Each orphan says whether it may be removed: it (and, for a directory,
 * everything in it) is root's, writable by no one else, on one
 * filesystem, and so is the directory it is in. Removal goes through
 * directory descriptors opened with O_NOFOLLOW, never through a path.
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
#include "kpurge-trust.h"

#define DEPTH_MAX 32

/* The directories searched, relative to the root, by component. */
enum where {
	WHERE_BOOT,
	WHERE_LIB_MODULES,
	WHERE_USR_LIB_MODULES,
	WHERE_N
};

static const char *const where_path[WHERE_N][4] = {
	[WHERE_BOOT] = { "boot", NULL },
	[WHERE_LIB_MODULES] = { "lib", "modules", NULL },
	[WHERE_USR_LIB_MODULES] = { "usr", "lib", "modules", NULL },
};

static const char *const where_name[WHERE_N] = {
	"/boot",
	"/lib/modules",
	"/usr/lib/modules",
};

/* What the plan keeps of each orphan besides the public record. */
struct orphan_id {
	enum where where;
	dev_t dev;
	ino_t ino;
};

struct kp__orphans {
	char *root;
	struct kp_orphan *items;
	struct orphan_id *ids;
	size_t n, cap;
	unsigned long long bytes;
};

/* A growable, sortable list of strings. */
struct strv {
	char **v;
	size_t n, cap;
};

static int
strv_push(struct strv *s, const char *str, size_t len)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n] = strndup(str, len);
	if (s->v[s->n] == NULL)
		return -ENOMEM;
	s->n++;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* qsort() of nothing: NULL is no array, even of 0 items. */
static void
strv_sort(struct strv *s)
{
	if (s->n > 0)
		qsort(s->v, s->n, sizeof(*s->v), cmp_str);
}

static bool
strv_has(const struct strv *s, const char *str)
{
	return s->n > 0 &&
	       bsearch(&str, s->v, s->n, sizeof(*s->v), cmp_str) != NULL;
}

static void
strv_free(struct strv *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* ------------------------------------------------------------- names */

static const char *const boot_prefixes[] = {
	"vmlinuz-", "vmlinux-", "initrd.img-", "System.map-",
	"config-",  "abi-",     "retpoline-",
};

/* What update-initramfs (.new while it writes, .bak), DKMS and old
 * signed images put after R. */
static const char *const boot_suffixes[] = {
	".old-dkms",
	".bak",
	".efi.signed",
	".new",
};

/** See kpurge-private.h. */
bool
kp__orphan_release_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len >= KP_NAME_MAX || s[0] < '0' || s[0] > '9')
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr(".+_~-", c) != NULL))
			return false;
	}
	/* dpkg's files in flight (.dpkg-new, .dpkg-tmp ...) are never ours */
	return memmem(s, len, ".dpkg-", 6) == NULL;
}

/** See kpurge-private.h. */
bool
kp__orphan_boot_name(const char *name, char *release, char *alt)
{
	size_t i, len, plen = 0;

	release[0] = alt[0] = '\0';
	for (i = 0; i < KP_ARRAY_SIZE(boot_prefixes) && plen == 0; i++)
		if (strncmp(name, boot_prefixes[i], strlen(boot_prefixes[i])) ==
		    0)
			plen = strlen(boot_prefixes[i]);
	if (plen == 0)
		return false;
	name += plen;
	len = strlen(name);
	if (!kp__orphan_release_ok(name, len))
		return false;
	memcpy(release, name, len + 1);
	for (i = 0; i < KP_ARRAY_SIZE(boot_suffixes); i++) {
		size_t slen = strlen(boot_suffixes[i]);

		if (len > slen &&
		    strcmp(name + len - slen, boot_suffixes[i]) == 0 &&
		    kp__orphan_release_ok(name, len - slen)) {
			/* Both readings count: R.bak could be a release too. */
			memcpy(alt, name, len + 1);
			release[len - slen] = '\0';
			break;
		}
	}
	return true;
}

/* The release a path of a file list is a file of, or false. */
static bool
path_release(const char *path, char *release, char *alt)
{
	const char *end;

	release[0] = alt[0] = '\0';
	if (strncmp(path, "/boot/", 6) == 0)
		return strchr(path + 6, '/') == NULL &&
		       kp__orphan_boot_name(path + 6, release, alt);
	if (strncmp(path, "/lib/modules/", 13) != 0)
		return false;
	path += 13;
	end = path + strcspn(path, "/");
	if (end == path || (size_t)(end - path) >= KP_NAME_MAX)
		return false;
	memcpy(release, path, (size_t)(end - path));
	release[end - path] = '\0';
	return true;
}

/* ---------------------------------------------- what packages own */

struct owned {
	struct strv paths;    /* under /boot */
	struct strv releases; /* releases of which a package owns a file */
};

/* /usr/lib/modules/X and /lib/modules/X are one file on a merged /usr. */
static const char *
canonical(const char *path, char *buf, size_t size)
{
	if (strncmp(path, "/usr/lib/modules/", 17) != 0)
		return path;
	snprintf(buf, size, "/lib/modules/%s", path + 17);
	return buf;
}

static int
own_path(struct owned *o, const char *line)
{
	char buf[4096], release[KP_NAME_MAX], alt[KP_NAME_MAX];
	const char *path = canonical(line, buf, sizeof(buf));
	int r;

	if (strncmp(path, "/boot/", 6) == 0) {
		if ((r = strv_push(&o->paths, path, strlen(path))) < 0)
			return r;
	} else if (strncmp(path, "/lib/modules/", 13) != 0) {
		return 0;
	}
	/* A modules tree is owned through its release: no need for paths,
	 * nor for the same release thousands of times in a row. */
	if (!path_release(path, release, alt) ||
	    (o->releases.n > 0 &&
	     strcmp(o->releases.v[o->releases.n - 1], release) == 0 && !alt[0]))
		return 0;
	if ((r = strv_push(&o->releases, release, strlen(release))) < 0)
		return r;
	return alt[0] ? strv_push(&o->releases, alt, strlen(alt)) : 0;
}

/* Every line of the file at dirfd/name that is a path counts as owned. */
static int
own_lines(struct owned *o, int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	FILE *f;
	int r = 0;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	f = fdopen(fd, "r");
	if (f == NULL) {
		close(fd);
		return -ENOMEM;
	}
	while (r == 0 && (len = getline(&line, &size, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (line[0] == '/')
			r = own_path(o, line);
	}
	if (r == 0 && ferror(f))
		r = -EIO;
	free(line);
	fclose(f);
	return r;
}

/*
 * Read every package's file list and the diversions. A list that cannot
 * be read makes the whole answer unknown: an error, and no orphans.
 */
static int
read_owned(const char *admindir, struct owned *o, struct kp_error *err)
{
	char info[4096];
	struct dirent *d;
	DIR *dp;
	int r = 0;

	snprintf(info, sizeof(info), "%s/info", admindir);
	dp = opendir(info);
	if (dp == NULL)
		return kp__error_set(err, -errno, "cannot read %s: %s", info,
		                     strerror(errno));
	while (r == 0 && (d = readdir(dp)) != NULL) {
		size_t len = strlen(d->d_name);

		if (len > 5 && strcmp(d->d_name + len - 5, ".list") == 0)
			r = own_lines(o, dirfd(dp), d->d_name);
	}
	closedir(dp);
	if (r == 0) {
		int fd = open(admindir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		r = fd < 0 ? -errno : own_lines(o, fd, "diversions");
		if (fd >= 0)
			close(fd);
	}
	if (r < 0)
		return kp__error_set(err, r,
		                     "cannot read the file lists in %s: "
		                     "%s",
		                     admindir, strerror(-r));
	strv_sort(&o->paths);
	strv_sort(&o->releases);
	return 0;
}

/* ------------------------------------------------------ directories */

/* Open dirfd/name as a directory, never through a symbolic link. */
static int
open_dir_at(int dirfd, const char *name)
{
	return openat(dirfd, name,
	              O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Open ROOT/where one component at a time, O_NOFOLLOW each. */
static int
open_where(int rootfd, enum where w)
{
	int fd = rootfd, next;
	size_t i;

	for (i = 0; where_path[w][i] != NULL; i++) {
		next = open_dir_at(fd, where_path[w][i]);
		if (fd != rootfd)
			close(fd);
		if (next < 0)
			return -errno;
		fd = next;
	}
	return fd;
}

/** See kpurge-private.h. */
bool
kp__others_write(const struct stat *st)
{
	return !S_ISLNK(st->st_mode) &&
	       ((st->st_mode & S_IWOTH) ||
	        ((st->st_mode & S_IWGRP) && st->st_gid != 0));
}

/* Why st may not be removed by root alone, or KP_ORPHAN_REMOVABLE. */
static enum kp_orphan_refusal
refusal_of(const struct stat *st, dev_t dev)
{
	if (st->st_uid != 0)
		return KP_ORPHAN_NOT_ROOTS;
	if (kp__others_write(st))
		return KP_ORPHAN_WRITABLE;
	if (st->st_dev != dev)
		return KP_ORPHAN_OTHER_FILESYSTEM;
	return KP_ORPHAN_REMOVABLE;
}

/* What a tree takes on disk and whether root alone may remove all of it. */
struct tree_facts {
	unsigned long long bytes;
	enum kp_orphan_refusal refusal;
	unsigned uid;
};

/* st is dirfd/name's; a mount on it (a bind mount of the same
 * filesystem too) is another filesystem's. Returns false for that. */
static bool
tree_note(struct tree_facts *t, int dirfd, const char *name,
          const struct stat *st, dev_t dev)
{
	enum kp_orphan_refusal r = refusal_of(st, dev);
	bool here = st->st_dev == dev && !kp__mount_root(dirfd, name);

	if (r == KP_ORPHAN_REMOVABLE && !here)
		r = KP_ORPHAN_OTHER_FILESYSTEM;
	t->bytes += (unsigned long long)st->st_blocks * 512u;
	if (t->refusal == KP_ORPHAN_REMOVABLE && r != KP_ORPHAN_REMOVABLE) {
		t->refusal = r;
		t->uid = (unsigned)st->st_uid;
	}
	return here;
}

/* Walk the directory fd (consumed), of device dev, into t. */
static void
tree_measure(int fd, dev_t dev, unsigned depth, struct tree_facts *t)
{
	DIR *dp = fdopendir(fd);
	struct dirent *d;
	struct stat st;

	if (dp == NULL) {
		close(fd);
		t->refusal = KP_ORPHAN_UNREADABLE;
		return;
	}
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(dp), d->d_name, &st, AT_SYMLINK_NOFOLLOW) <
		    0) {
			t->refusal = KP_ORPHAN_UNREADABLE;
			continue;
		}
		if (!tree_note(t, dirfd(dp), d->d_name, &st, dev) ||
		    !S_ISDIR(st.st_mode))
			continue;
		if (depth >= DEPTH_MAX) {
			t->refusal = KP_ORPHAN_UNREADABLE;
			continue;
		}
		fd = open_dir_at(dirfd(dp), d->d_name);
		if (fd < 0)
			t->refusal = KP_ORPHAN_UNREADABLE;
		else
			tree_measure(fd, dev, depth + 1, t);
	}
	closedir(dp);
}

/* -------------------------------------------------------- the search */

struct search {
	struct kp_ctx *ctx;
	const struct kp_plan *plan;
	const char *const *protect;
	size_t n_protect;
	struct owned owned;
	struct strv packaged; /* releases of the context's kernel packages */
	int fds[WHERE_N];     /* the directories, or -1 */
	struct stat dir_st[WHERE_N];
	struct kp__orphans *out;
};

/* A kernel installed without a package: vmlinuz-R and a modules tree. */
static bool
hand_installed(const struct search *s, const char *release)
{
	char name[KP_NAME_MAX + 16];
	struct stat st;
	int w, fd;
	bool tree = false;

	if (s->fds[WHERE_BOOT] < 0)
		return false;
	for (w = WHERE_LIB_MODULES; w < WHERE_N && !tree; w++) {
		if (s->fds[w] < 0 || (fd = open_dir_at(s->fds[w], release)) < 0)
			continue;
		tree = fstatat(fd, "kernel", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		       S_ISDIR(st.st_mode);
		close(fd);
	}
	if (!tree)
		return false;
	snprintf(name, sizeof(name), "vmlinuz-%s", release);
	if (fstatat(s->fds[WHERE_BOOT], name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return true;
	snprintf(name, sizeof(name), "vmlinux-%s", release);
	return fstatat(s->fds[WHERE_BOOT], name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Is value (a release, or a version without flavour) release's? */
static bool
protects(const char *value, const char *release)
{
	char abi[KP_NAME_MAX], flavour[KP_NAME_MAX];

	if (strcmp(value, release) == 0)
		return true;
	return kp_release_split(release, abi, sizeof(abi), flavour,
	                        sizeof(flavour)) &&
	       strcmp(value, abi) == 0;
}

/* May files of release be orphans at all? */
static bool
release_gone(const struct search *s, const char *release)
{
	const char *running = kp_plan_running(s->plan);
	const struct kp_next_boot *next = kp_plan_next_boot(s->plan);
	size_t i;

	/* What the boot loader boots next, installed or not, keeps its
	 * files: removing them would make that boot fail. */
	if (strv_has(&s->owned.releases, release) ||
	    strv_has(&s->packaged, release) ||
	    (running != NULL && strcmp(running, release) == 0) ||
	    (next != NULL && next->release != NULL &&
	     strcmp(next->release, release) == 0))
		return false;
	for (i = 0; i < kp_plan_n_releases(s->plan); i++) {
		const struct kp_release *r = kp_plan_release(s->plan, i);

		if (r->action == KP_KEEP && strcmp(r->name, release) == 0)
			return false;
	}
	for (i = 0; i < s->n_protect; i++)
		if (protects(s->protect[i], release))
			return false;
	return !hand_installed(s, release);
}

/*
 * Is every release a name may be of gone? R.x.y is R.x.y's, R.x's and
 * R's: what tools write beside a live release's file while they work
 * (update-initramfs's R.new, dracut's R.PID) or keep (R.bak, an admin's
 * /lib/modules/R.old) is that release's.
 */
static bool
name_release_gone(const struct search *s, const char *full)
{
	char buf[KP_NAME_MAX];
	const char *dot;

	if (!release_gone(s, full))
		return false;
	for (dot = strchr(full, '.'); dot != NULL; dot = strchr(dot + 1, '.')) {
		size_t n = (size_t)(dot - full);

		if (n >= sizeof(buf) || !kp__orphan_release_ok(full, n))
			continue;
		memcpy(buf, full, n);
		buf[n] = '\0';
		if (!release_gone(s, buf))
			return false;
	}
	return true;
}

static int
collect_packaged(struct search *s)
{
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < kp__ctx_n_packages(s->ctx); i++) {
		const struct kp_name *n = &kp__ctx_package(s->ctx, i)->kname;

		if (n->release[0])
			r = strv_push(&s->packaged, n->release,
			              strlen(n->release));
		if (r == 0 && n->alt_release[0])
			r = strv_push(&s->packaged, n->alt_release,
			              strlen(n->alt_release));
	}
	strv_sort(&s->packaged);
	return r;
}

static int
add_orphan(struct kp__orphans *o, const char *path, const char *release,
           const struct tree_facts *t, bool dir, const struct orphan_id *id)
{
	struct kp_orphan *it;

	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		struct kp_orphan *items = realloc(o->items,
		                                  cap * sizeof(*items));
		struct orphan_id *ids;

		if (items == NULL)
			return -ENOMEM;
		o->items = items;
		ids = realloc(o->ids, cap * sizeof(*ids));
		if (ids == NULL)
			return -ENOMEM;
		o->ids = ids;
		o->cap = cap;
	}
	it = &o->items[o->n];
	memset(it, 0, sizeof(*it));
	it->path = strdup(path);
	it->release = strdup(release);
	if (it->path == NULL || it->release == NULL) {
		free((char *)it->path);
		free((char *)it->release);
		return -ENOMEM;
	}
	it->bytes = t->bytes;
	it->directory = dir;
	it->refusal = t->refusal;
	it->uid = t->uid;
	o->ids[o->n++] = *id;
	o->bytes += t->bytes;
	return 0;
}

/* The directory itself may make every orphan in it unsafe to remove. */
static enum kp_orphan_refusal
dir_refusal(const struct search *s, enum where w, unsigned *uid)
{
	const struct stat *st = &s->dir_st[w];

	*uid = (unsigned)st->st_uid;
	if (st->st_uid != 0)
		return KP_ORPHAN_NOT_ROOTS;
	if (kp__others_write(st))
		return KP_ORPHAN_WRITABLE;
	/* A modules directory mounted from elsewhere (a container given
	 * the host's) holds another system's kernels. */
	return w != WHERE_BOOT && kp__mount_root(s->fds[w], "") ?
	               KP_ORPHAN_OTHER_FILESYSTEM :
	               KP_ORPHAN_REMOVABLE;
}

/* Consider one entry of a searched directory. */
static int
consider(struct search *s, enum where w, const char *name)
{
	char release[KP_NAME_MAX], alt[KP_NAME_MAX], path[4096], buf[4096];
	struct tree_facts t = { 0, KP_ORPHAN_REMOVABLE, 0 };
	struct orphan_id id = { w, 0, 0 };
	struct stat st;
	int fd;

	if (w == WHERE_BOOT ? !kp__orphan_boot_name(name, release, alt) :
	                      !kp__orphan_release_ok(name, strlen(name)))
		return 0;
	if (w != WHERE_BOOT) {
		snprintf(release, sizeof(release), "%s", name);
		alt[0] = '\0';
	}
	snprintf(path, sizeof(path), "%s/%s", where_name[w], name);
	if (strv_has(&s->owned.paths, canonical(path, buf, sizeof(buf))) ||
	    !release_gone(s, release) ||
	    !name_release_gone(s, alt[0] ? alt : release))
		return 0;
	if (fstatat(s->fds[w], name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !(w == WHERE_BOOT ? S_ISREG(st.st_mode) : S_ISDIR(st.st_mode))) {
		kp__log(s->ctx, KP_LOG_DEBUG, "%s: not a %s, left alone", path,
		        w == WHERE_BOOT ? "regular file" : "directory");
		return 0;
	}
	id.dev = st.st_dev;
	id.ino = st.st_ino;
	t.refusal = dir_refusal(s, w, &t.uid);
	tree_note(&t, s->fds[w], name, &st, s->dir_st[w].st_dev);
	if (w != WHERE_BOOT) {
		if ((fd = open_dir_at(s->fds[w], name)) < 0)
			t.refusal = KP_ORPHAN_UNREADABLE;
		else
			tree_measure(fd, st.st_dev, 1, &t);
	}
	return add_orphan(s->out, path, release, &t, w != WHERE_BOOT, &id);
}

static int
search_where(struct search *s, enum where w)
{
	struct dirent *d;
	DIR *dp;
	int fd, r = 0;

	fd = dup(s->fds[w]);
	if (fd < 0 || (dp = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (r == 0 && (d = readdir(dp)) != NULL)
		r = consider(s, w, d->d_name);
	closedir(dp);
	return r;
}

/* Open the directories; /lib/modules is skipped when it is /usr's. */
static void
open_dirs(struct search *s, int rootfd)
{
	int w;

	for (w = 0; w < WHERE_N; w++) {
		s->fds[w] = open_where(rootfd, (enum where)w);
		if (s->fds[w] >= 0 && fstat(s->fds[w], &s->dir_st[w]) < 0) {
			close(s->fds[w]);
			s->fds[w] = -1;
		}
	}
	if (s->fds[WHERE_LIB_MODULES] >= 0 &&
	    s->fds[WHERE_USR_LIB_MODULES] >= 0 &&
	    s->dir_st[WHERE_LIB_MODULES].st_dev ==
	            s->dir_st[WHERE_USR_LIB_MODULES].st_dev &&
	    s->dir_st[WHERE_LIB_MODULES].st_ino ==
	            s->dir_st[WHERE_USR_LIB_MODULES].st_ino) {
		close(s->fds[WHERE_USR_LIB_MODULES]);
		s->fds[WHERE_USR_LIB_MODULES] = -1;
	}
}

static int
cmp_orphan(const void *a, const void *b)
{
	return strcmp(((const struct kp_orphan *)a)->path,
	              ((const struct kp_orphan *)b)->path);
}

/* Sort the items and their ids together (ids follow by path). */
static void
sort_orphans(struct kp__orphans *o)
{
	size_t i, j;

	for (i = 1; i < o->n; i++)
		for (j = i;
		     j > 0 && cmp_orphan(&o->items[j - 1], &o->items[j]) > 0;
		     j--) {
			struct kp_orphan t = o->items[j];
			struct orphan_id u = o->ids[j];

			o->items[j] = o->items[j - 1];
			o->ids[j] = o->ids[j - 1];
			o->items[j - 1] = t;
			o->ids[j - 1] = u;
		}
}

/** See kpurge-private.h. */
int
kp__orphan_trusted(const char *path, struct kp_error *err)
{
	struct kp_error e;

	/* Root's files and the caller's own: a plain user may search (and
	 * tidy) a root of their own, never one a third user could change. */
	kp_error_clear(&e);
	if (kp_trust_path(path[0] ? path : "/", geteuid(), &e))
		return 0;
	return kp__error_set(err, e.code < 0 ? e.code : -EPERM,
	                     "%s: no file "
	                     "is taken for one no package owns",
	                     e.message);
}

static int
search_run(struct search *s, struct kp_error *err)
{
	const char *root = kp_ctx_root(s->ctx);
	int rootfd, w, r;

	if ((r = kp__orphan_trusted(root, err)) < 0 ||
	    (r = kp__orphan_trusted(kp_ctx_admindir(s->ctx), err)) < 0 ||
	    (r = read_owned(kp_ctx_admindir(s->ctx), &s->owned, err)) < 0)
		return r;
	if ((r = collect_packaged(s)) < 0)
		return kp__error_set(err, r, "out of memory");
	rootfd = open(root[0] ? root : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return kp__error_set(err, -errno, "cannot open %s: %s",
		                     root[0] ? root : "/", strerror(errno));
	open_dirs(s, rootfd);
	close(rootfd);
	for (w = 0, r = 0; w < WHERE_N && r == 0; w++)
		if (s->fds[w] >= 0)
			r = search_where(s, (enum where)w);
	for (w = 0; w < WHERE_N; w++)
		if (s->fds[w] >= 0)
			close(s->fds[w]);
	if (r < 0)
		return kp__error_set(err, r, "out of memory");
	sort_orphans(s->out);
	return 0;
}

/** Free what kp_plan_find_orphans() attached to a plan; NULL is fine. */
void
kp__orphans_free(struct kp__orphans *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->n; i++) {
		free((char *)o->items[i].path);
		free((char *)o->items[i].release);
	}
	free(o->items);
	free(o->ids);
	free(o->root);
	free(o);
}

/**
 * Find the files of the system of ctx that no package owns and that are
 * of releases that are gone (see the top of this file), and attach them
 * to plan, replacing what an earlier call found: the plan's kept and
 * running releases and the protected values (releases, or versions
 * without their flavour) are never gone. ctx may be a context opened
 * after the plan was made (after a purge). When dpkg was interrupted,
 * nothing is an orphan. Returns 0 or a negative code with err filled
 * (then the plan has no orphans).
 */
int
kp_plan_find_orphans(struct kp_ctx *ctx, struct kp_plan *plan,
                     const char *const *protect, size_t n_protect,
                     struct kp_error *err)
{
	struct search s = {
		ctx,   plan,           protect,   n_protect, { { 0 }, { 0 } },
		{ 0 }, { -1, -1, -1 }, { { 0 } }, NULL
	};
	int r;

	kp__orphans_free(plan->orphans);
	plan->orphans = NULL;
	s.out = calloc(1, sizeof(*s.out));
	if (s.out == NULL || (s.out->root = strdup(kp_ctx_root(ctx))) == NULL) {
		kp__orphans_free(s.out);
		return kp__error_set(err, -ENOMEM, "out of memory");
	}
	if (kp_ctx_dpkg_interrupted(ctx)) {
		kp__log(ctx, KP_LOG_INFO,
		        "dpkg was interrupted: no file is "
		        "taken for a file no package owns");
		r = 0;
	} else {
		r = search_run(&s, err);
	}
	strv_free(&s.owned.paths);
	strv_free(&s.owned.releases);
	strv_free(&s.packaged);
	if (r < 0)
		kp__orphans_free(s.out);
	else
		plan->orphans = s.out;
	return r;
}

/** The orphans found by kp_plan_find_orphans(), by path; 0 if none. */
size_t
kp_plan_n_orphans(const struct kp_plan *plan)
{
	return plan->orphans != NULL ? plan->orphans->n : 0;
}

const struct kp_orphan *
kp_plan_orphan(const struct kp_plan *plan, size_t i)
{
	return &plan->orphans->items[i];
}

/** What all the orphans take on disk, in bytes. */
unsigned long long
kp_plan_orphan_bytes(const struct kp_plan *plan)
{
	return plan->orphans != NULL ? plan->orphans->bytes : 0;
}

/** True once kp_plan_find_orphans() succeeded on the plan. */
bool
kp_plan_orphans_searched(const struct kp_plan *plan)
{
	return plan->orphans != NULL;
}

/**
 * Remove orphan i of the plan (it must be KP_ORPHAN_REMOVABLE), checking
 * everything again: the same file or directory, root's, through no
 * symbolic link. Returns 0 or a negative code with err filled; a tree
 * that fails half-way is left with what was not removed yet.
 */
int
kp_plan_remove_orphan(const struct kp_plan *plan, size_t i,
                      struct kp_error *err)
{
	const struct kp__orphans *o = plan->orphans;

	if (o == NULL || i >= o->n)
		return kp__error_set(err, -EINVAL, "no such orphan");
	return kp__orphan_remove(o->root, &o->items[i], o->ids[i].dev,
	                         o->ids[i].ino, err);
}
