/*
 * purge-old-kernels - the environment apt-get and dpkg inherit.
 *
 * This runs as root, from a terminal, from apt's hook, from cron and from
 * systemd, and whatever environment it is given reaches apt-get, dpkg and
 * the maintainer scripts of the kernels it purges. Some variables would
 * make them act on another database than the one the plan was made from,
 * run other programs, or drop dpkg's own safety checks. Each is decided
 * here, once, before anything reads a database or runs (man page,
 * ENVIRONMENT):
 *
 *   DPKG_ROOT, DPKG_ADMINDIR  refused when they name another system or
 *                             database than the one we read; then removed
 *   DPKG_FORCE                removed: dpkg's default checks apply
 *   DPKG_FRONTEND_LOCKED      removed: dpkg takes the frontend lock itself
 *   PATH                      relative and untrusted entries dropped, the
 *                             standard root directories appended
 *   HOME (as root)            replaced by root's when another user could
 *                             change it: dpkg reads $HOME/.dpkg.cfg
 *   APT_CONFIG                honoured, made absolute, refused as root when
 *                             it names no file or one others could change
 *
 * "Trusted" is the library's trust walk (lib/trust.c): every component
 * of the name from /, each symbolic link included, owned by root (or the
 * user we run as) and not writable by group or others (a sticky /tmp is
 * crossed only into root's entries, and never trusted itself); a name
 * that passes cannot be pointed elsewhere between this check and
 * apt-get's or dpkg's use.
 *
 * apt-get and dpkg themselves are run by absolute paths fixed at build
 * time (KP_APT_GET, KP_DPKG): PATH never chooses them.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "environ.h"
#include "kpurge-trust.h"
#include "log.h"
#include "options.h"

/*
 * Is path a directory that only root or uid could point elsewhere? The
 * library's trust walk (lib/trust.c): every component from /, links
 * included, owned by root or uid and not writable by group or others.
 */
static bool
trusted_dir(const char *path, uid_t uid)
{
	int fd;

	if (path[0] != '/')
		return false;
	fd = kp_trust_open(path, O_PATH | O_DIRECTORY, uid, NULL);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Is the directory entry (len bytes at entry) in the PATH list? */
static bool
has_entry(const char *list, const char *entry, size_t len)
{
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, ":");

		if (n == len && strncmp(p, entry, len) == 0)
			return true;
		p += n;
		if (*p == ':')
			p++;
	}
	return false;
}

/* Append the entry (len bytes) to out (size bytes), ':'-separated. */
static void
append_entry(char *out, size_t size, const char *entry, size_t len)
{
	size_t used = strlen(out);

	if (used + len + 2 > size)
		return;
	if (used > 0)
		out[used++] = ':';
	memcpy(out + used, entry, len);
	out[used + len] = '\0';
}

/* Append what of list (':'-separated) passes, in order, to out. */
static void
keep_trusted(char *out, size_t size, const char *list, uid_t uid)
{
	char dir[PATH_MAX];
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, ":");

		/* "" and relative entries are the current directory's. */
		if (n > 0 && n < sizeof(dir) && p[0] == '/') {
			memcpy(dir, p, n);
			dir[n] = '\0';
			if (!has_entry(out, p, n) && trusted_dir(dir, uid))
				append_entry(out, size, p, n);
		}
		p += n;
		if (*p == ':')
			p++;
	}
}

/**
 * The PATH the children of a program running as uid get from path (NULL:
 * unset): its absolute entries that are directories uid may trust, in
 * order and once each, then the directories of CLI_ROOT_PATH it lacks.
 * An empty or relative entry, which a shell reads as the current
 * directory, is dropped. Returns a malloc'd string or NULL.
 */
char *
cli_environ_clean_path(const char *path, uid_t uid)
{
	size_t size = (path ? strlen(path) : 0) + sizeof(CLI_ROOT_PATH) + 1;
	char *out = malloc(size);

	if (out == NULL)
		return NULL;
	out[0] = '\0';
	if (path != NULL)
		keep_trusted(out, size, path, uid);
	keep_trusted(out, size, CLI_ROOT_PATH, uid);
	return out;
}

static int
clean_path(struct kp_error *err)
{
	char *path = cli_environ_clean_path(getenv("PATH"), geteuid());
	int r = path != NULL ? setenv("PATH", path, 1) : -1;

	free(path);
	return r == 0 ? 0 : cli_put_error(err, -ENOMEM, "out of memory");
}

/*
 * dpkg reads $HOME/.dpkg.cfg, which may set its database, its forces and
 * commands it runs (status-logger, post-invoke). As root, a HOME another
 * user can write (sudo -E, an older sudo that kept the caller's HOME)
 * gives way to root's own; without one, there is none.
 */
static int
root_home(struct kp_error *err)
{
	const char *home = getenv("HOME");
	const struct passwd *pw;

	if (geteuid() != 0 || home == NULL || trusted_dir(home, 0))
		return 0;
	pw = getpwuid(0);
	if (pw != NULL && pw->pw_dir != NULL && trusted_dir(pw->pw_dir, 0)) {
		if (setenv("HOME", pw->pw_dir, 1) < 0)
			return cli_put_error(err, -ENOMEM, "out of memory");
		return 0;
	}
	unsetenv("HOME");
	return 0;
}

/* Are a and b the same directory (or file)? */
static bool
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * dpkg reads DPKG_ROOT and DPKG_ADMINDIR when it is given no --root:
 * under apt-get and --fix, on this system, they would make it purge from
 * another database than the one the plan was made from. With --root,
 * dpkg always gets --root, which wins over both, as it does for dpkg.
 */
static int
dpkg_dirs(const char *root, struct kp_error *err)
{
	const char *v;

	if (root == NULL || root[0] == '\0') {
		v = getenv("DPKG_ROOT");
		/* dpkg sets it empty for maintainer scripts: this system. */
		if (v != NULL && v[0] != '\0' && !same_file(v, "/"))
			return cli_put_error(
			        err, -EPERM,
			        "DPKG_ROOT=%s would point "
			        "dpkg at another system than the one " CLI_NAME
			        " reads (/); unset it, or use "
			        "--root=%s",
			        v, v);
		v = getenv("DPKG_ADMINDIR");
		if (v != NULL && !same_file(v, "/var/lib/dpkg"))
			return cli_put_error(
			        err, -EPERM,
			        "DPKG_ADMINDIR=%s would "
			        "point dpkg at another database than the "
			        "one " CLI_NAME " reads (/var/lib/dpkg); "
			        "unset it",
			        v);
	}
	unsetenv("DPKG_ROOT");
	unsetenv("DPKG_ADMINDIR");
	return 0;
}

/*
 * As root, APT_CONFIG (v, absolute in abs) must be a file that only root
 * could point elsewhere, by every name on the way (the trust walk):
 * apt-get reads it after the check, and runs its DPkg::Pre-Invoke
 * commands as root.
 */
static int
check_apt_config(const char *v, const char *abs, struct kp_error *err)
{
	struct kp_error why;
	struct stat st;
	int fd;

	kp_error_clear(&why);
	fd = kp_trust_open(abs, O_PATH, 0, &why);
	if (fd == -ENOENT)
		return cli_put_error(err, -EPERM,
		                     "cannot read APT_CONFIG=%s: %s", v,
		                     strerror(ENOENT));
	if (fd < 0)
		return cli_put_error(
		        err, -EPERM,
		        "APT_CONFIG=%s is not a file only "
		        "root can change (%s); refusing to give it to "
		        "apt-get",
		        v, why.message);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return cli_put_error(err, -EPERM,
		                     "APT_CONFIG=%s is not a file; "
		                     "refusing to give it to apt-get",
		                     v);
	}
	close(fd);
	return 0;
}

/*
 * apt-get reads APT_CONFIG, and so does the proof inside this process:
 * both are to read the same file, whatever directory they run in (the
 * detached --auto of the hook runs in /), so a relative name is made
 * absolute. As root, a file that is not there, or that another user
 * could change, is refused.
 */
static int
apt_config(struct kp_error *err)
{
	const char *v = getenv("APT_CONFIG");
	char cwd[PATH_MAX], *abs = NULL;
	int r = 0;

	/* apt ignores an empty one. */
	if (v == NULL || v[0] == '\0')
		return 0;
	if (v[0] == '/') {
		abs = strdup(v);
	} else {
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return cli_put_error(err, -EPERM,
			                     "cannot make APT_CONFIG=%s "
			                     "absolute: %s",
			                     v, strerror(errno));
		if (asprintf(&abs, "%s/%s", strcmp(cwd, "/") != 0 ? cwd : "",
		             v) < 0)
			abs = NULL;
	}
	if (abs == NULL)
		return cli_put_error(err, -ENOMEM, "out of memory");
	if (geteuid() == 0)
		r = check_apt_config(v, abs, err);
	if (r == 0 && setenv("APT_CONFIG", abs, 1) < 0)
		r = cli_put_error(err, -ENOMEM, "out of memory");
	free(abs);
	return r;
}

/**
 * Decide the environment of this run for the system at root (NULL or ""
 * for this one), before anything reads a database or runs: see the top of
 * this file. Returns 0, or -1 (-EPERM) with err filled: the run must stop.
 */
int
cli_environ_prepare(const char *root, struct kp_error *err)
{
	if (dpkg_dirs(root, err) < 0 || apt_config(err) < 0 ||
	    clean_path(err) < 0 || root_home(err) < 0)
		return -1;
	/*
	 * A force (depends, remove-essential) would let dpkg do what the
	 * plan and apt's proof never allowed. Options forwarded to apt-get
	 * (-o DPkg::Options::=--force-...) still reach it: those are asked
	 * for on the command line, not inherited.
	 */
	unsetenv("DPKG_FORCE");
	/*
	 * apt sets it for the dpkg it runs, and its hooks inherit it. Our
	 * dpkg (--fix) must take the frontend lock itself, and so must the
	 * dpkg of the detached --auto the hook starts.
	 */
	unsetenv("DPKG_FRONTEND_LOCKED");
	return 0;
}
