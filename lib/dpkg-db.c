/*
 * libkpurge - the context: reading the dpkg database of a root with libdpkg.
 *
 * libdpkg keeps its database in global state and reports fatal errors with
 * ohshit(), which longjmps to the innermost error context or exits the
 * program. Every call into libdpkg that can fail runs under an error context
 * of ours, so its errors come back here as error returns.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <dpkg/dpkg.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/ehandle.h>
#include <dpkg/fsys.h>
#include <dpkg/pkg-array.h>
#include <dpkg/report.h>

#include "apt-shim.h"
#include "kpurge-private.h"

/* Our per-package state in libdpkg's clientdata slot. */
struct perpackagestate {
	size_t index; /* into ctx->pkgs */
	bool purged;  /* set while a dependency check runs */
};

struct kp_ctx {
	char *root; /* "" for "/" */
	char *admindir;
	kp_log_fn log;
	void *log_data;
	bool interrupted;
	bool db_open;
	struct kp__dbpkg *pkgs;
	struct perpackagestate *states;
	size_t n_pkgs;
	struct kp_apt *apt; /* apt's cache for the root, opened on first use */
	struct kp_apt_config apt_user; /* what the caller forwards to apt-get */
	char fatal[1024];              /* libdpkg's last fatal error */
};

/* libdpkg's database is global: one context at a time. */
static bool ctx_in_use;

void
kp__log(struct kp_ctx *ctx, enum kp_log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (ctx == NULL || ctx->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->log(ctx->log_data, level, msg);
}

/* libdpkg's warnings (odd fields in the status file) go to our log. */
static void
warning_to_log(const char *msg, void *data)
{
	kp__log(data, KP_LOG_WARNING, "%s", msg);
}

/* libdpkg's fatal error message, kept for the error return. */
static void
fatal_to_ctx(const char *emsg, const void *data)
{
	struct kp_ctx *ctx = (struct kp_ctx *)data;
	size_t n;

	snprintf(ctx->fatal, sizeof(ctx->fatal), "%s", emsg);
	n = strlen(ctx->fatal);
	while (n > 0 && ctx->fatal[n - 1] == '\n')
		ctx->fatal[--n] = '\0';
	/* One sentence: libdpkg puts the detail of a parse error on a new line. */
	for (char *p = ctx->fatal; (p = strchr(p, '\n')) != NULL;)
		*p = ' ';
}

/*
 * Resolve root into an absolute path without a trailing slash ("" for /),
 * malloc'ed. Returns it, or NULL with err filled.
 */
static char *
resolve_root(const char *root, struct kp_error *err)
{
	char *real;
	struct stat st;

	if (root == NULL || root[0] == '\0')
		root = "/";
	real = realpath(root, NULL);
	if (real == NULL) {
		kp__error_set(err, -errno, "cannot use root directory '%s': %s",
		              root, strerror(errno));
		return NULL;
	}
	if (stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(real);
		kp__error_set(err, -ENOTDIR,
		              "cannot use root directory '%s': not a directory",
		              root);
		return NULL;
	}
	if (strcmp(real, "/") == 0)
		real[0] = '\0';
	return real;
}

/* Does dpkg's updates/ journal hold entries (all-digit file names)? */
static bool
journal_pending(const char *admindir)
{
	char path[PATH_MAX];
	struct dirent *de;
	bool pending = false;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/updates", admindir);
	dir = opendir(path);
	if (dir == NULL)
		return false;
	while (!pending && (de = readdir(dir)) != NULL)
		pending = de->d_name[0] != '\0' &&
		          strspn(de->d_name, "0123456789") ==
		                  strlen(de->d_name);
	closedir(dir);
	return pending;
}

static int
check_admindir(struct kp_ctx *ctx, struct kp_error *err)
{
	char status[PATH_MAX];

	snprintf(status, sizeof(status), "%s/status", ctx->admindir);
	if (access(status, R_OK) < 0)
		return kp__error_set(
		        err, -errno, "cannot read the dpkg database %s: %s%s",
		        status, strerror(errno),
		        errno == ENOENT ?
		                " (is this the root of a Debian system?)" :
		                "");
	ctx->interrupted = journal_pending(ctx->admindir);
	return 0;
}

static enum kp_state
state_of(const struct pkginfo *pkg)
{
	switch (pkg->status) {
	case PKG_STAT_CONFIGFILES:
		return KP_STATE_CONFIG_FILES;
	case PKG_STAT_HALFINSTALLED:
	case PKG_STAT_UNPACKED:
	case PKG_STAT_HALFCONFIGURED:
		return KP_STATE_BROKEN;
	default:
		return KP_STATE_INSTALLED;
	}
}

/* Installed-Size in KiB, saturating at KP_SIZE_KIB_MAX (ERANGE too). */
static unsigned long long
size_of(const struct pkginfo *pkg)
{
	const char *s = pkg->installed.installedsize;
	unsigned long long kib;

	if (s == NULL)
		return 0;
	kib = strtoull(s, NULL, 10);
	return kib < KP_SIZE_KIB_MAX ? kib : KP_SIZE_KIB_MAX;
}

/*
 * What package's dpkg file list says of the reading of its name as the
 * image of release (linux-image-6.7.1-dbg: the custom release 6.7.1-dbg,
 * or the debug symbols of 6.7.1?). 1: it is that release's image, as it
 * ships /boot/vmlinuz-RELEASE or the directory /lib/modules/RELEASE (all
 * that is left of one in config-files state); 0: the list says otherwise
 * (debug symbols ship neither); -1: no list to read, the name decides.
 */
static int
image_of_release(const char *admindir, const char *package, const char *release)
{
	char path[PATH_MAX], image[PATH_MAX], modules[PATH_MAX], line[PATH_MAX];
	int found = 0;
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/info/%s.list", admindir,
	                     package) >= sizeof(path))
		return -1;
	snprintf(image, sizeof(image), "/boot/vmlinuz-%s\n", release);
	snprintf(modules, sizeof(modules), "/lib/modules/%s\n", release);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strcmp(line, image) == 0 || strcmp(line, modules) == 0;
	fclose(f);
	return found;
}

/* Record pkg if its name is a kernel package's. Returns 0 or -ENOMEM. */
static int
add_package(struct kp_ctx *ctx, struct pkginfo *pkg, size_t *cap)
{
	struct kp__dbpkg *p;
	struct kp_name kname;

	bool candidate = false;

	if (pkg->status == PKG_STAT_NOTINSTALLED)
		return 0;
	if (!kp_name_parse(pkg->set->name, &kname)) {
		if (!kp__name_candidate(pkg->set->name, &kname))
			return 0;
		candidate = true;
	}
	if (ctx->n_pkgs == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		void *n = realloc(ctx->pkgs, ncap * sizeof(*ctx->pkgs));

		if (n == NULL)
			return -ENOMEM;
		ctx->pkgs = n;
		*cap = ncap;
	}
	if (kname.alt_release[0] != '\0') {
		switch (image_of_release(ctx->admindir, pkg->set->name,
		                         kname.alt_release)) {
		case 1:
			kp__name_use_alt(&kname);
			break;
		case 0:
			/* The list proves the usual reading: no other package,
			 * running or protected release may switch it (a
			 * linux-headers-6.7.1-dbg beside it does not make the
			 * debug symbols of 6.7.1 a bootable kernel). */
			kname.alt_release[0] = '\0';
			break;
		default:
			break;
		}
	}
	p = &ctx->pkgs[ctx->n_pkgs];
	memset(p, 0, sizeof(*p));
	p->kname = kname;
	p->candidate = candidate;
	p->name = strdup(pkg_name(pkg, pnaw_nonambig));
	p->version = strdup(
	        versiondescribe(&pkg->installed.version, vdew_nonambig));
	if (p->name == NULL || p->version == NULL) {
		free(p->name);
		free(p->version);
		return -ENOMEM;
	}
	p->state = state_of(pkg);
	p->held = pkg->want == PKG_WANT_HOLD;
	p->size_kib = size_of(pkg);
	p->dpkg = pkg;
	ctx->n_pkgs++;
	return 0;
}

/*
 * linux-image-6.7.1-dbg beside linux-headers-6.7.1-dbg is the image of the
 * custom release 6.7.1-dbg, not the debug symbols of 6.7.1, unless its file
 * list said otherwise (add_package() then cleared alt_release).
 */
static void
prefer_known_releases(struct kp_ctx *ctx)
{
	size_t i, j;

	for (i = 0; i < ctx->n_pkgs; i++) {
		const char *alt = ctx->pkgs[i].kname.alt_release;

		for (j = 0; alt[0] != '\0' && j < ctx->n_pkgs; j++)
			if (j != i &&
			    strcmp(ctx->pkgs[j].kname.release, alt) == 0) {
				kp__name_use_alt(&ctx->pkgs[i].kname);
				break;
			}
	}
}

/* ------------------------------------------- membership by structure */

/*
 * A name of no scheme ("<words>-R") becomes a member of release R (or a
 * flavour-less package of ABI R) only when its files or its dependencies
 * tie it to R; see kp__name_candidate(). Only such names have their file
 * lists read: the names the table knows are taken as they are.
 */

/* The package at index i of the context, or -1 when it is none of ours. */
static long
index_of(const struct pkginfo *pkg)
{
	return pkg->clientdata == NULL ? -1 : (long)pkg->clientdata->index;
}

/* Is p taken by name (the table) or already confirmed? */
static bool
settled(const struct kp__dbpkg *p)
{
	return !p->candidate || p->recognised != KP_RECOGNISED_NAME;
}

/* Does a settled package of the context belong to release (not shared)? */
static bool
release_known(const struct kp_ctx *ctx, const char *release)
{
	size_t i;

	for (i = 0; i < ctx->n_pkgs; i++)
		if (!ctx->pkgs[i].candidate && !ctx->pkgs[i].kname.shared &&
		    strcmp(ctx->pkgs[i].kname.release, release) == 0)
			return true;
	return false;
}

static bool
abi_known(const struct kp_ctx *ctx, const char *abi)
{
	size_t i;

	for (i = 0; i < ctx->n_pkgs; i++)
		if (!ctx->pkgs[i].candidate &&
		    strcmp(ctx->pkgs[i].kname.abi, abi) == 0)
			return true;
	return false;
}

/*
 * Which group a candidate may join: its release when packages of that
 * release are known by name; else, for a name without a flavour, the
 * flavour-less packages of its ABI when that ABI is known. false: none,
 * the candidate stays outside.
 */
static bool
candidate_target(const struct kp_ctx *ctx, struct kp_name *kn)
{
	if (release_known(ctx, kn->release))
		return true;
	if (!kn->ambiguous || !abi_known(ctx, kn->abi))
		return false;
	kn->shared = true;
	kn->release[0] = '\0';
	return true;
}

/* Is q in the group of the candidate c: same release, or same ABI if shared? */
static bool
same_group(const struct kp__dbpkg *c, const struct kp__dbpkg *q)
{
	if (c->kname.shared)
		return strcmp(q->kname.abi, c->kname.abi) == 0;
	return !q->kname.shared &&
	       strcmp(q->kname.release, c->kname.release) == 0;
}

/* Does the directory name s[0..len) end in "-TAG" (or is it TAG)? */
static bool
ends_in_word(const char *s, size_t len, const char *tag)
{
	size_t n = strlen(tag);

	return len >= n && memcmp(s + len - n, tag, n) == 0 &&
	       (len == n || s[len - n - 1] == '-');
}

/* Is path DIR/TAG or under DIR/TAG/ (dir with its trailing '/')? */
static bool
in_dir_named(const char *path, const char *dir, const char *tag)
{
	size_t d = strlen(dir), n = strlen(tag);

	return strncmp(path, dir, d) == 0 && strncmp(path + d, tag, n) == 0 &&
	       (path[d + n] == '\0' || path[d + n] == '/');
}

/* Is path DIR/<something>-TAG or under it (a file or a directory)? */
static bool
in_dir_ending(const char *path, const char *dir, const char *tag, bool files)
{
	size_t d = strlen(dir);
	const char *name = path + d, *slash;

	if (strncmp(path, dir, d) != 0)
		return false;
	slash = strchr(name, '/');
	if (slash == NULL)
		return files && ends_in_word(name, strlen(name), tag);
	return ends_in_word(name, (size_t)(slash - name), tag);
}

/* Is path one only release r uses (modules, /boot, debug, sources, tools)? */
static bool
path_of_release(const char *path, const char *r)
{
	static const char *const dirs[] = {
		"/lib/modules/",
		"/usr/lib/modules/",
		"/usr/lib/debug/lib/modules/",
		"/usr/lib/linux-tools/",
		"/usr/lib/linux/",
	};
	size_t i;

	for (i = 0; i < KP_ARRAY_SIZE(dirs); i++)
		if (in_dir_named(path, dirs[i], r))
			return true;
	return in_dir_ending(path, "/boot/", r, true) ||
	       in_dir_ending(path, "/usr/lib/debug/boot/", r, true) ||
	       in_dir_ending(path, "/usr/src/", r, false);
}

/* Is path one only ABI abi's flavour-less packages use? */
static bool
path_of_abi(const char *path, const char *abi)
{
	return in_dir_ending(path, "/usr/src/", abi, false) ||
	       in_dir_ending(path, "/usr/lib/", abi, false) ||
	       in_dir_ending(path, "/usr/share/", abi, false);
}

/* Open package's dpkg file list: NAME:ARCH.list, else NAME.list. */
static FILE *
open_list(const char *admindir, const struct pkginfo *pkg)
{
	char path[PATH_MAX];
	FILE *f = NULL;

	if (pkg->installed.arch != NULL && pkg->installed.arch->name != NULL &&
	    (size_t)snprintf(path, sizeof(path), "%s/info/%s:%s.list", admindir,
	                     pkg->set->name,
	                     pkg->installed.arch->name) < sizeof(path))
		f = fopen(path, "re");
	if (f == NULL &&
	    (size_t)snprintf(path, sizeof(path), "%s/info/%s.list", admindir,
	                     pkg->set->name) < sizeof(path))
		f = fopen(path, "re");
	return f;
}

/* Does the candidate's file list hold a path only its group uses? */
static bool
tied_by_files(const struct kp_ctx *ctx, const struct kp__dbpkg *c)
{
	char line[PATH_MAX];
	bool found = false;
	FILE *f = open_list(ctx->admindir, c->dpkg);

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		found = c->kname.shared ?
		                path_of_abi(line, c->kname.abi) :
		                path_of_release(line, c->kname.release);
	}
	fclose(f);
	return found;
}

static bool
is_depends(const struct dependency *dep)
{
	return dep->type == dep_depends || dep->type == dep_predepends;
}

/*
 * Does an alternative of p's dependencies name an anchor of c's group: an
 * image or modules of it, or a package that depends on one (anchor[])?
 */
static bool
depends_on_anchor(const struct kp_ctx *ctx, const struct kp__dbpkg *c,
                  const struct kp__dbpkg *p, const bool *anchor)
{
	const struct pkginfo *pkg = p->dpkg;
	struct dependency *dep;
	struct deppossi *possi;
	const struct pkginfo *q;
	long k;

	for (dep = pkg->installed.depends; dep != NULL; dep = dep->next) {
		if (!is_depends(dep))
			continue;
		for (possi = dep->list; possi != NULL; possi = possi->next)
			for (q = &possi->ed->pkg; q != NULL; q = q->arch_next) {
				k = index_of(q);
				if (k >= 0 && q != pkg && anchor[k] &&
				    same_group(c, &ctx->pkgs[k]))
					return true;
			}
	}
	return false;
}

/*
 * Do installed members of the candidate's group depend on it, and no
 * installed package outside the group?
 */
static bool
needed_by_group_only(const struct kp_ctx *ctx, const struct kp__dbpkg *c)
{
	const struct pkginfo *pkg = c->dpkg;
	struct deppossi *possi;
	bool member = false;
	long k;

	for (possi = pkg->set->depended.installed; possi;
	     possi = possi->rev_next) {
		const struct pkginfo *who = possi->up->up;

		if (!is_depends(possi->up) || who == pkg ||
		    who->status <= PKG_STAT_CONFIGFILES)
			continue;
		k = index_of(who);
		if (k < 0 || !same_group(c, &ctx->pkgs[k]))
			return false;
		member = member || settled(&ctx->pkgs[k]);
	}
	return member;
}

static bool
is_anchor_kind(const struct kp__dbpkg *p)
{
	return settled(p) && (p->kname.kind == KP_KIND_IMAGE ||
	                      p->kname.kind == KP_KIND_MODULES);
}

/*
 * Confirm by dependencies until nothing changes, so chains join link by
 * link: a candidate that depends on its release's image or modules, or on
 * a package that does; or one that members of its group need and nothing
 * outside it does.
 */
static void
confirm_by_dependencies(struct kp_ctx *ctx, const bool *target, bool *anchor)
{
	bool changed = true;
	size_t i;

	for (i = 0; i < ctx->n_pkgs; i++)
		anchor[i] = is_anchor_kind(&ctx->pkgs[i]);
	while (changed) {
		changed = false;
		for (i = 0; i < ctx->n_pkgs; i++) {
			struct kp__dbpkg *c = &ctx->pkgs[i];
			bool dep = target[i] &&
			           depends_on_anchor(ctx, c, c, anchor);

			if (dep && !anchor[i]) {
				anchor[i] = true;
				changed = true;
			}
			if (!target[i] || settled(c) ||
			    !(dep || needed_by_group_only(ctx, c)))
				continue;
			c->recognised = KP_RECOGNISED_DEPENDENCIES;
			anchor[i] = anchor[i] || is_anchor_kind(c);
			changed = true;
		}
	}
}

/* Drop the candidates nothing confirmed; reindex our libdpkg slots. */
static void
drop_unconfirmed(struct kp_ctx *ctx)
{
	size_t i, k = 0;

	for (i = 0; i < ctx->n_pkgs; i++) {
		struct kp__dbpkg *p = &ctx->pkgs[i];
		struct pkginfo *pkg = p->dpkg;

		if (!settled(p)) {
			pkg->clientdata = NULL;
			free(p->name);
			free(p->version);
			continue;
		}
		ctx->pkgs[k] = *p;
		ctx->states[k].index = k;
		pkg->clientdata = &ctx->states[k];
		k++;
	}
	ctx->n_pkgs = k;
}

/* Confirm the candidates by files, then by dependencies; drop the rest. */
static int
confirm_candidates(struct kp_ctx *ctx)
{
	bool *target = calloc(ctx->n_pkgs ? ctx->n_pkgs : 1, sizeof(*target));
	bool *anchor = calloc(ctx->n_pkgs ? ctx->n_pkgs : 1, sizeof(*anchor));
	size_t i;

	if (target == NULL || anchor == NULL) {
		free(target);
		free(anchor);
		return -ENOMEM;
	}
	for (i = 0; i < ctx->n_pkgs; i++) {
		struct kp__dbpkg *c = &ctx->pkgs[i];

		if (!c->candidate || !candidate_target(ctx, &c->kname))
			continue;
		target[i] = true;
		if (tied_by_files(ctx, c))
			c->recognised = KP_RECOGNISED_FILES;
	}
	confirm_by_dependencies(ctx, target, anchor);
	free(target);
	free(anchor);
	drop_unconfirmed(ctx);
	return 0;
}

/* Collect the kernel packages and hook our state into libdpkg's records. */
static int
collect_packages(struct kp_ctx *ctx, struct kp_error *err)
{
	struct pkg_hash_iter *iter = pkg_hash_iter_new();
	struct pkginfo *pkg;
	size_t cap = 0, i;
	int r = 0;

	while (r == 0 && (pkg = pkg_hash_iter_next_pkg(iter)) != NULL)
		r = add_package(ctx, pkg, &cap);
	pkg_hash_iter_free(iter);
	if (r < 0)
		return kp__error_set(err, r,
		                     "out of memory reading the dpkg database");

	prefer_known_releases(ctx);
	ctx->states = calloc(ctx->n_pkgs ? ctx->n_pkgs : 1,
	                     sizeof(*ctx->states));
	if (ctx->states == NULL)
		return kp__error_set(err, -ENOMEM,
		                     "out of memory reading the dpkg database");
	for (i = 0; i < ctx->n_pkgs; i++) {
		struct pkginfo *p = ctx->pkgs[i].dpkg;

		ctx->states[i].index = i;
		p->clientdata = &ctx->states[i];
	}
	if (confirm_candidates(ctx) < 0)
		return kp__error_set(err, -ENOMEM,
		                     "out of memory reading the dpkg database");
	return 0;
}

/*
 * Read the status file and the updates journal under libdpkg's error
 * context, so a corrupt database becomes an error return.
 */
static int
read_database(struct kp_ctx *ctx, struct kp_error *err)
{
	jmp_buf jump;
	int r;

	dpkg_fsys_set_dir(ctx->root[0] ? ctx->root : "/");
	dpkg_db_set_dir(ctx->admindir);
	dpkg_set_warning_printer(warning_to_log, ctx);

	if (setjmp(jump)) {
		pop_error_context(ehflag_bombout);
		modstatdb_shutdown();
		return kp__error_set(err, -EIO,
		                     "cannot read the dpkg database in %s: %s",
		                     ctx->admindir, ctx->fatal);
	}
	push_error_context_jump(&jump, fatal_to_ctx, ctx);
	modstatdb_open(msdbrw_readonly);
	ctx->db_open = true;
	r = collect_packages(ctx, err);
	pop_error_context(ehflag_normaltidy);
	return r;
}

/**
 * Open a context on the Debian system at root and read its dpkg database.
 * Returns the context (free with kp_ctx_free()) or NULL with err filled.
 */
struct kp_ctx *
kp_ctx_new(const char *root, kp_log_fn log, void *log_data,
           struct kp_error *err)
{
	struct kp_ctx *ctx;

	if (ctx_in_use) {
		kp__error_set(err, -EBUSY,
		              "another libkpurge context is open; "
		              "libdpkg can read one database at a time");
		return NULL;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL) {
		kp__error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	ctx->log = log;
	ctx->log_data = log_data;
	ctx_in_use = true;
	ctx->root = resolve_root(root, err);
	if (ctx->root == NULL)
		goto fail;
	ctx->admindir = kp__strdup_printf("%s/var/lib/dpkg", ctx->root);
	if (ctx->admindir == NULL) {
		kp__error_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	if (check_admindir(ctx, err) < 0 || read_database(ctx, err) < 0)
		goto fail;
	return ctx;
fail:
	kp_ctx_free(ctx);
	return NULL;
}

/** Free the context and libdpkg's database; NULL is fine. */
void
kp_ctx_free(struct kp_ctx *ctx)
{
	size_t i;

	if (ctx == NULL)
		return;
	kp_apt_close(ctx->apt);
	kp_apt_config_free(&ctx->apt_user);
	if (ctx->db_open)
		modstatdb_shutdown();
	dpkg_set_warning_printer(dpkg_warning_printer, NULL);
	for (i = 0; i < ctx->n_pkgs; i++) {
		free(ctx->pkgs[i].name);
		free(ctx->pkgs[i].version);
	}
	free(ctx->pkgs);
	free(ctx->states);
	free(ctx->admindir);
	free(ctx->root);
	free(ctx);
	ctx_in_use = false;
}

/** The root directory, "" for "/". Owned by the context. */
const char *
kp_ctx_root(const struct kp_ctx *ctx)
{
	return ctx->root;
}

/** The dpkg admin directory under the root. Owned by the context. */
const char *
kp_ctx_admindir(const struct kp_ctx *ctx)
{
	return ctx->admindir;
}

/** True when dpkg's updates/ journal holds entries: dpkg was interrupted. */
bool
kp_ctx_dpkg_interrupted(const struct kp_ctx *ctx)
{
	return ctx->interrupted;
}

/** Write `uname -r` into buf. Returns 0 or a negative code. */
int
kp_running_release(char *buf, size_t size, struct kp_error *err)
{
	struct utsname u;

	if (uname(&u) < 0)
		return kp__error_set(err, -errno, "uname: %s", strerror(errno));
	if ((size_t)snprintf(buf, size, "%s", u.release) >= size)
		return kp__error_set(
		        err, -ENAMETOOLONG,
		        "the running kernel's release is too long");
	return 0;
}

/*
 * apt's cache for the root of ctx, opened once (building it is most of
 * the cost of asking apt) and closed with the context, with the
 * configuration the purge's apt-get reads (kp_apt_config_for_purge()).
 */
struct kp_apt *
kp__ctx_apt(struct kp_ctx *ctx, struct kp_error *err)
{
	struct kp_apt_config config = { NULL, 0 };

	if (ctx->apt != NULL)
		return ctx->apt;
	if (kp_apt_config_for_purge(ctx->root, &ctx->apt_user, &config) < 0) {
		kp__error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	ctx->apt = kp_apt_open_config(ctx->root, &config, err);
	kp_apt_config_free(&config);
	if (ctx->apt != NULL)
		kp__log(ctx, KP_LOG_DEBUG, "apt's cache opened");
	return ctx->apt;
}

/**
 * Tell the context what the caller's apt-get is given besides the root's
 * items and the guard (kp_apt_config_for_purge()): the proof and the
 * pre-flight then read apt's configuration as that apt-get does. user is
 * copied. Returns 0, -EBUSY once apt was asked, or -ENOMEM.
 */
int
kp_ctx_set_apt_config(struct kp_ctx *ctx, const struct kp_apt_config *user,
                      struct kp_error *err)
{
	struct kp_apt_config copy = { NULL, 0 };

	if (ctx->apt != NULL)
		return kp__error_set(err, -EBUSY,
		                     "apt's configuration is read "
		                     "already");
	if (kp__apt_config_copy(&copy, user) < 0)
		return kp__error_set(err, -ENOMEM, "out of memory");
	kp_apt_config_free(&ctx->apt_user);
	ctx->apt_user = copy;
	return 0;
}

/* ------------------------------------------------ the pre-flight */

/* Append the record of an interrupted dpkg to the n records in *v. */
static int
add_interrupted(struct kp_problem **v, int n, struct kp_error *err)
{
	struct kp_problem *grown = realloc(*v, (size_t)(n + 1) * sizeof(**v));

	if (grown == NULL)
		return kp__error_set(err, -ENOMEM, "out of memory");
	*v = grown;
	grown[n].kind = KP_PROBLEM_INTERRUPTED;
	grown[n].package = NULL;
	grown[n].text = strdup("dpkg was interrupted: its updates journal is "
	                       "not empty");
	if (grown[n].text == NULL)
		return kp__error_set(err, -ENOMEM, "out of memory");
	return n + 1;
}

/**
 * What apt and dpkg find wrong with the system of ctx now: an interrupted
 * dpkg, unmet dependencies, packages dpkg left half-done. Stores an array
 * of records (free with kp_problems_free(); NULL when there are none) in
 * *problems and returns their number, or a negative code with err.
 */
int
kp_ctx_problems(struct kp_ctx *ctx, struct kp_problem **problems,
                struct kp_error *err)
{
	struct kp_apt *apt;
	struct kp_problem *v = NULL;
	int n, r;

	*problems = NULL;
	apt = kp__ctx_apt(ctx, err);
	if (apt == NULL)
		return err && err->code ? err->code : -EIO;
	n = kp_apt_problems(apt, &v, err);
	if (n < 0)
		return n;
	if (kp_ctx_dpkg_interrupted(ctx)) {
		r = add_interrupted(&v, n, err);
		if (r < 0) {
			kp_apt_problems_free(v, (size_t)n);
			return r;
		}
		n = r;
	}
	*problems = v;
	return n;
}

/** Free n records from kp_ctx_problems(); NULL is fine. */
void
kp_problems_free(struct kp_problem *problems, size_t n)
{
	kp_apt_problems_free(problems, n);
}

/**
 * Is this work dpkg left undone, which only dpkg finishes? An unmet
 * dependency, or a package to reinstall (apt-get fetches it), is apt's.
 */
bool
kp_problem_is_dpkg_work(enum kp_problem_kind kind)
{
	return kind != KP_PROBLEM_UNMET && kind != KP_PROBLEM_REINSTREQ;
}

/** See kpurge-private.h. */
void
kp__ctx_prefer_release(struct kp_ctx *ctx, const char *release)
{
	size_t i;

	for (i = 0; release != NULL && i < ctx->n_pkgs; i++)
		if (strcmp(ctx->pkgs[i].kname.alt_release, release) == 0)
			kp__name_use_alt(&ctx->pkgs[i].kname);
}

size_t
kp__ctx_n_packages(const struct kp_ctx *ctx)
{
	return ctx->n_pkgs;
}

const struct kp__dbpkg *
kp__ctx_package(const struct kp_ctx *ctx, size_t i)
{
	return &ctx->pkgs[i];
}

/* Is the package there after the purge: installed and not purged? */
static bool
remains(const struct pkginfo *pkg)
{
	if (pkg->status <= PKG_STAT_CONFIGFILES)
		return false;
	return pkg->clientdata == NULL || !pkg->clientdata->purged;
}

/* Does a remaining package satisfy this alternative, really or virtually? */
static bool
alternative_remains(struct deppossi *possi)
{
	struct deppossi *prov;
	struct pkginfo *pkg = &possi->ed->pkg;

	/* The set's package (a member, never NULL), then its other arches. */
	do {
		if (remains(pkg) && versionsatisfied(&pkg->installed, possi) &&
		    archsatisfied(&pkg->installed, possi))
			return true;
		pkg = pkg->arch_next;
	} while (pkg != NULL);
	for (prov = possi->ed->depended.installed; prov;
	     prov = prov->rev_next) {
		struct pkginfo *provider = prov->up->up;

		if (prov->up->type == dep_provides && remains(provider) &&
		    pkg_virtual_deppossi_satisfied(possi, prov) &&
		    archsatisfied(&provider->installed, possi))
			return true;
	}
	return false;
}

static bool
clause_remains(struct dependency *dep)
{
	struct deppossi *possi;

	for (possi = dep->list; possi != NULL; possi = possi->next)
		if (alternative_remains(possi))
			return true;
	return false;
}

/*
 * A dependent of the purged package through possi (a Depends or
 * Pre-Depends alternative naming it or a virtual package it provides)
 * that would be left with the clause unsatisfied.
 */
static bool
breaks_dependent(struct deppossi *possi)
{
	struct dependency *dep = possi->up;

	if (dep->type != dep_depends && dep->type != dep_predepends)
		return false;
	return remains(dep->up) && !clause_remains(dep);
}

/* Dependents of the set (real or virtual) that the purge would break. */
static struct pkginfo *
broken_dependent_of_set(struct pkgset *set)
{
	struct deppossi *possi;

	for (possi = set->depended.installed; possi; possi = possi->rev_next)
		if (breaks_dependent(possi))
			return possi->up->up;
	return NULL;
}

static struct pkginfo *
broken_dependent(struct pkginfo *pkg)
{
	struct pkginfo *dependent = broken_dependent_of_set(pkg->set);
	struct dependency *dep;

	for (dep = pkg->installed.depends; !dependent && dep; dep = dep->next)
		if (dep->type == dep_provides)
			dependent = broken_dependent_of_set(dep->list->ed);
	return dependent;
}

/** See kpurge-private.h. */
long
kp__ctx_find_broken_dependency(struct kp_ctx *ctx,
                               bool (*purged)(size_t i, void *data), void *data,
                               const char **dependent)
{
	struct pkginfo *who = NULL;
	size_t i;

	for (i = 0; i < ctx->n_pkgs; i++)
		ctx->states[i].purged = purged(i, data);
	for (i = 0; i < ctx->n_pkgs && who == NULL; i++)
		if (ctx->states[i].purged)
			who = broken_dependent(ctx->pkgs[i].dpkg);
	for (size_t j = 0; j < ctx->n_pkgs; j++)
		ctx->states[j].purged = false;
	if (who == NULL)
		return -1;
	*dependent = pkg_name(who, pnaw_nonambig);
	return (long)(i - 1);
}

/** See kpurge-private.h. */
void
kp__ctx_each_dependent(const struct kp_ctx *ctx, size_t i,
                       void (*fn)(size_t dependent, void *data), void *data)
{
	const struct pkginfo *pkg = ctx->pkgs[i].dpkg;
	struct deppossi *possi;
	struct dependency *dep;
	struct pkgset *set = pkg->set;

	/* The package's own name, then the virtual packages it provides. */
	for (dep = NULL;;) {
		for (possi = set->depended.installed; possi;
		     possi = possi->rev_next) {
			const struct pkginfo *who = possi->up->up;
			long k = index_of(who);

			if (is_depends(possi->up) && k >= 0 && who != pkg &&
			    who->status > PKG_STAT_CONFIGFILES)
				fn((size_t)k, data);
		}
		dep = dep == NULL ? pkg->installed.depends : dep->next;
		while (dep != NULL && dep->type != dep_provides)
			dep = dep->next;
		if (dep == NULL)
			break;
		set = dep->list->ed;
	}
}
