/*
 * libkpurge - what a path really is: the one trust walk.
 *
 * Run as root, a name that another user could point elsewhere between
 * the check and the use is that user's to choose: stat() on the name says
 * what it was, not what apt-get, dpkg or dlopen() will open. So a name is
 * trusted only when nobody but root (or the user we run for) could change
 * what it names: every component from / is walked with openat() and
 * O_NOFOLLOW, as sudo and sshd's StrictModes do, and each must be
 *
 *   - owned by root or by that user,
 *   - not writable by group or others, except a sticky directory (/tmp)
 *     on the way (never at the end), whose entries the walk then only
 *     crosses when they are root's or the user's (the rule above), which
 *     its other users cannot rename,
 *   - a symbolic link only when root or that user owns the link itself
 *     (its directory passed already); the walk reads the link and goes on
 *     from its target, at most MAX_LINKS times.
 *
 * Writes (the state file, the metrics, the lock) walk the root directory
 * that way, then the names below it with no link followed at all, making
 * missing directories only inside trusted ones, and write into the
 * descriptor the walk ends on: what is written is where the name said.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpurge-private.h"
#include "kpurge-trust.h"

/* As the kernel: more links than this in one name is a loop. */
#define MAX_LINKS 40

/* Internal: no symbolic link at all (below a root, for writes). */
#define TRUST_NO_LINKS (1u << 8)

struct walk {
	int cur;                 /* O_PATH: where the walk is */
	int parent;              /* O_PATH: the directory cur is in, or -1 */
	struct stat st;          /* cur's */
	char name[NAME_MAX + 1]; /* cur's name in parent */
	char done[PATH_MAX];     /* cur's full name, links resolved ("" is /) */
	char todo[2 * PATH_MAX]; /* what is left to walk */
	unsigned links;
	uid_t uid;
	bool foreign; /* cur is another user's, crossed by exception */
};

static void
replace_fd(int *slot, int fd)
{
	if (*slot >= 0)
		close(*slot);
	*slot = fd;
}

static void
walk_free(struct walk *w)
{
	replace_fd(&w->cur, -1);
	replace_fd(&w->parent, -1);
}

static const char *
shown(const char *done)
{
	return done[0] != '\0' ? done : "/";
}

/* The name of the user uid, or "uid N". */
static void
user_name(uid_t uid, char *buf, size_t size)
{
	const struct passwd *pw = getpwuid(uid);

	if (pw != NULL && pw->pw_name != NULL)
		snprintf(buf, size, "user %s", pw->pw_name);
	else
		snprintf(buf, size, "uid %u", (unsigned)uid);
}

static bool
owned(const struct walk *w, const struct stat *st)
{
	return st->st_uid == 0 || st->st_uid == w->uid;
}

/* The full name of entry name of cur, for messages and for done. */
static int
child_name(const struct walk *w, const char *name, char *buf, size_t size,
           struct kp_error *err)
{
	int n = snprintf(buf, size, "%s/%s", w->done, name);

	if (n < 0 || (size_t)n >= size)
		return kp__error_set(err, -ENAMETOOLONG,
		                     "%s/%s: the name is "
		                     "too long",
		                     shown(w->done), name);
	return 0;
}

/*
 * May the walk rely on st, the entry full of the directory it is in
 * (last: the end of the walk)? 0, or -EPERM with err saying why. With
 * KP_TRUST_CROSS_OWNED a directory
 * another user owns passes when nobody else may write to it and the walk
 * is not in such a directory already.
 */
static int
check_entry(const struct walk *w, const char *full, const struct stat *st,
            unsigned flags, bool last, struct kp_error *err)
{
	bool cross = (flags & KP_TRUST_CROSS_OWNED) && !last && !w->foreign &&
	             (w->st.st_mode & 022) == 0 && S_ISDIR(st->st_mode) &&
	             (st->st_mode & 022) == 0;
	char who[64];

	if (!owned(w, st) && !cross) {
		user_name(st->st_uid, who, sizeof(who));
		return kp__error_set(err, -EPERM, "%s belongs to %s", full,
		                     who);
	}
	/* A sticky directory is crossed, never the end: anybody may put
	 * a file in it, under any name not yet taken. */
	if ((st->st_mode & 022) != 0 &&
	    !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX) && !last))
		return kp__error_set(
		        err, -EPERM, "%s is a %s others can change", full,
		        S_ISDIR(st->st_mode) ? "directory" : "file");
	return 0;
}

/* Move the walk to fd (O_PATH), the entry name of cur. */
static void
enter(struct walk *w, int fd, const struct stat *st, const char *name,
      const char *full)
{
	w->foreign = !owned(w, st);
	replace_fd(&w->parent, w->cur);
	w->cur = fd;
	w->st = *st;
	snprintf(w->name, sizeof(w->name), "%s", name);
	snprintf(w->done, sizeof(w->done), "%s", full);
}

/*
 * Move the walk to the directory name of at (the top: AT_FDCWD and "/";
 * cur's parent: cur and ".."), named full, checked again (last: as the
 * end of the walk).
 */
static int
jump(struct walk *w, int at, const char *name, const char *full, bool last,
     struct kp_error *err)
{
	struct stat st;
	int fd = openat(at, name, O_PATH | O_DIRECTORY | O_CLOEXEC), r;

	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return kp__error_set(err, -e, "cannot open %s: %s", full,
		                     strerror(e));
	}
	r = check_entry(w, full, &st, 0, last, err);
	if (r < 0) {
		close(fd);
		return r;
	}
	replace_fd(&w->parent, -1);
	replace_fd(&w->cur, fd);
	w->st = st;
	w->foreign = false;
	return 0;
}

/* Start (again) at /. */
static int
walk_to_root(struct walk *w, struct kp_error *err)
{
	int r = jump(w, AT_FDCWD, "/", "/", false, err);

	if (r == 0) {
		w->done[0] = '\0';
		snprintf(w->name, sizeof(w->name), "/");
	}
	return r;
}

/* "..": back to the directory cur is in (last: the end of the walk). */
static int
step_up(struct walk *w, bool last, struct kp_error *err)
{
	char up[PATH_MAX], *slash;
	int r;

	snprintf(up, sizeof(up), "%s", w->done);
	slash = strrchr(up, '/');
	if (slash != NULL)
		*slash = '\0';
	r = jump(w, w->cur, "..", shown(up), last, err);
	if (r == 0)
		snprintf(w->done, sizeof(w->done), "%s", up);
	return r;
}

/* What is left to walk becomes text. 0, or -ENAMETOOLONG. */
static int
set_todo(struct walk *w, const char *text, struct kp_error *err)
{
	size_t n = strlen(text);

	if (n >= sizeof(w->todo))
		return kp__error_set(err, -ENAMETOOLONG,
		                     "%.64s...: the name is "
		                     "too long",
		                     text);
	memcpy(w->todo, text, n + 1);
	return 0;
}

/* Go on from the target of the link fd (named full), then rest. */
static int
follow(struct walk *w, int fd, const struct stat *st, const char *full,
       const char *rest, struct kp_error *err)
{
	char target[PATH_MAX], who[64], *next;
	ssize_t n;
	int r;

	if (!owned(w, st)) {
		user_name(st->st_uid, who, sizeof(who));
		return kp__error_set(err, -EPERM,
		                     "%s is a symbolic link %s "
		                     "controls",
		                     full, who);
	}
	if (++w->links > MAX_LINKS)
		return kp__error_set(err, -ELOOP, "%s: too many symbolic links",
		                     full);
	n = readlinkat(fd, "", target, sizeof(target));
	if (n < 0 || (size_t)n >= sizeof(target))
		return kp__error_set(err, n < 0 ? -errno : -ENAMETOOLONG,
		                     "cannot read the link %s: %s", full,
		                     strerror(n < 0 ? errno : ENAMETOOLONG));
	target[n] = '\0';
	if (asprintf(&next, "%s/%s", target, rest) < 0)
		return kp__error_set(err, -ENOMEM, "out of memory");
	r = set_todo(w, next, err);
	free(next);
	if (r < 0)
		return r;
	return target[0] == '/' ? walk_to_root(w, err) : 0;
}

/* Open entry name of cur (O_PATH, no link followed), made when asked. */
static int
open_entry(struct walk *w, const char *name, const char *full, unsigned flags,
           struct kp_error *err)
{
	int fd = openat(w->cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 || errno != ENOENT || !(flags & KP_TRUST_CREATE))
		return fd >= 0 ?
		               fd :
		               kp__error_set(err, -errno, "cannot open %s: %s",
		                             full, strerror(errno));
	/* Nothing is made in a directory another user owns. */
	if (w->foreign)
		return kp__error_set(err, -EPERM,
		                     "%s would be made in a "
		                     "directory another user owns",
		                     full);
	if (mkdirat(w->cur, name, 0755) < 0 && errno != EEXIST)
		return kp__error_set(err, -errno, "cannot make %s: %s", full,
		                     strerror(errno));
	fd = openat(w->cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	return fd >= 0 ? fd :
	                 kp__error_set(err, -errno, "cannot open %s: %s", full,
	                               strerror(errno));
}

/* One component, name; rest is what follows it. 0 or a negative code. */
static int
step(struct walk *w, const char *name, const char *rest, unsigned flags,
     struct kp_error *err)
{
	bool last = rest[0] == '\0';
	char full[PATH_MAX];
	struct stat st;
	int fd, r;

	/* "." at the end: cur is the end, checked as such. */
	if (strcmp(name, ".") == 0)
		return last ? check_entry(w, shown(w->done), &w->st, 0, true,
		                          err) :
		              0;
	if (strcmp(name, "..") == 0)
		return (flags & TRUST_NO_LINKS) ?
		               kp__error_set(err, -EINVAL,
		                             "%s/..: not a plain name",
		                             shown(w->done)) :
		               step_up(w, last, err);
	if ((r = child_name(w, name, full, sizeof(full), err)) < 0)
		return r;
	fd = open_entry(w, name, full, flags, err);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		r = kp__error_set(err, -errno, "cannot read %s: %s", full,
		                  strerror(errno));
	} else if (S_ISLNK(st.st_mode) && (flags & TRUST_NO_LINKS)) {
		r = kp__error_set(err, -EPERM, "%s is a symbolic link", full);
	} else if (S_ISLNK(st.st_mode)) {
		r = follow(w, fd, &st, full, rest, err);
	} else if ((r = check_entry(w, full, &st, flags, last, err)) == 0 &&
	           !last && !S_ISDIR(st.st_mode)) {
		r = kp__error_set(err, -ENOTDIR, "%s is not a directory", full);
	} else if (r == 0) {
		enter(w, fd, &st, name, full);
		return 0;
	}
	close(fd);
	return r;
}

/*
 * Walk what is left in w->todo, a component at a time; a link's target
 * and what followed the link become the todo (follow()).
 */
static int
walk_rest(struct walk *w, unsigned flags, struct kp_error *err)
{
	char name[NAME_MAX + 1], rest[2 * PATH_MAX];
	const char *p;
	size_t n;
	int r;

	for (;;) {
		p = w->todo + strspn(w->todo, "/");
		if (*p == '\0')
			return 0;
		n = strcspn(p, "/");
		if (n >= sizeof(name))
			return kp__error_set(err, -ENAMETOOLONG,
			                     "%s: a name "
			                     "in it is too long",
			                     w->todo);
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		snprintf(rest, sizeof(rest), "%s", p + strspn(p, "/"));
		snprintf(w->todo, sizeof(w->todo), "%s", rest);
		r = step(w, name, rest, flags, err);
		if (r < 0)
			return r;
	}
}

/* Walk the absolute name path for uid: w->cur is what it names. */
static int
walk_path(struct walk *w, const char *path, uid_t uid, struct kp_error *err)
{
	int r;

	memset(w, 0, sizeof(*w));
	w->cur = -1;
	w->parent = -1;
	w->uid = uid;
	if (path == NULL || path[0] != '/')
		return kp__error_set(err, -EINVAL,
		                     "%s is not an absolute file "
		                     "name",
		                     path != NULL ? path : "(none)");
	r = set_todo(w, path, err);
	if (r == 0)
		r = walk_to_root(w, err);
	return r < 0 ? r : walk_rest(w, 0, err);
}

/**
 * Is path, an absolute name, one that only root or uid could point
 * elsewhere (see the top of this file)? True, or false with err saying
 * which component is not and why.
 */
bool
kp_trust_path(const char *path, uid_t uid, struct kp_error *err)
{
	struct walk w;
	int r = walk_path(&w, path, uid, err);

	walk_free(&w);
	return r == 0;
}

/* Open what the walk ended on with flags: the same file, or an error. */
static int
reopen(const struct walk *w, int flags, struct kp_error *err)
{
	struct stat st;
	int fd;

	if (S_ISDIR(w->st.st_mode))
		fd = openat(w->cur, ".", flags | O_CLOEXEC);
	else
		fd = openat(w->parent, w->name, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return kp__error_set(err, -errno, "cannot open %s: %s",
		                     shown(w->done), strerror(errno));
	if (fstat(fd, &st) < 0 || st.st_dev != w->st.st_dev ||
	    st.st_ino != w->st.st_ino) {
		close(fd);
		return kp__error_set(err, -EAGAIN,
		                     "%s changed while it was "
		                     "checked",
		                     shown(w->done));
	}
	return fd;
}

/**
 * Open path, an absolute name only root or uid could point elsewhere,
 * with open(2)'s flags (O_CLOEXEC is added). Returns the descriptor, of
 * the very file the walk checked, for the caller to close; or a negative
 * code with err saying which component is not trusted and why.
 */
int
kp_trust_open(const char *path, int flags, uid_t uid, struct kp_error *err)
{
	struct walk w;
	int r = walk_path(&w, path, uid, err);

	if (r == 0)
		r = reopen(&w, flags, err);
	walk_free(&w);
	return r;
}

/**
 * Open ROOT/rel (root NULL or "" for /, relative to the current
 * directory unless absolute) as a directory to write in, for
 * the effective user: root walked as kp_trust_open() does, then rel, a
 * relative name, with no symbolic link followed and every directory
 * trusted (flags: KP_TRUST_CREATE makes missing ones, 0755;
 * KP_TRUST_CROSS_OWNED). Returns a descriptor (O_RDONLY | O_DIRECTORY)
 * for the caller to close, or a negative code with err filled (-ENOENT
 * when a directory is missing, -EPERM when one is not trusted).
 */
int
kp_trust_open_dir(const char *root, const char *rel, unsigned flags,
                  struct kp_error *err)
{
	char abs[PATH_MAX], cwd[PATH_MAX];
	struct walk w;
	int r;

	if (root == NULL || root[0] == '\0')
		root = "/";
	if (root[0] != '/') {
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return kp__error_set(err, -errno,
			                     "cannot tell where %s "
			                     "is: %s",
			                     root, strerror(errno));
		if ((size_t)snprintf(abs, sizeof(abs), "%s/%s", cwd, root) >=
		    sizeof(abs))
			return kp__error_set(err, -ENAMETOOLONG,
			                     "%s is too long", root);
		root = abs;
	}
	r = walk_path(&w, root, geteuid(), err);
	if (r == 0 && !S_ISDIR(w.st.st_mode))
		r = kp__error_set(err, -ENOTDIR, "%s is not a directory",
		                  shown(w.done));
	if (r == 0)
		r = set_todo(&w, rel, err);
	if (r == 0)
		r = walk_rest(&w, flags | TRUST_NO_LINKS, err);
	if (r == 0 && !S_ISDIR(w.st.st_mode))
		r = kp__error_set(err, -ENOTDIR, "%s is not a directory",
		                  shown(w.done));
	if (r == 0)
		r = reopen(&w, O_RDONLY | O_DIRECTORY, err);
	walk_free(&w);
	return r;
}
