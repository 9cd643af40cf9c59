/*
 * libkpurge - loading the apt module (see apt-shim.h).
 *
 * libapt-pkg and the C++ runtime it needs are a third of a megabyte of
 * code in sixteen shared libraries; mapping and relocating them at start-up
 * was most of what --status and --hook cost (docs/benchmarks.md). So the
 * apt shim is a module, kpurge-apt.so, opened here on the first
 * kp_apt_open() and kept for the life of the process (libapt-pkg's global
 * state does not survive being unloaded). The kp_apt_* functions below
 * forward to it; a function other than kp_apt_open() is only ever called
 * with what kp_apt_open() returned, so the module is loaded by then.
 *
 * Which file: KPURGE_APT_MODULE when set (the build tree's tests and
 * benchmark run the uninstalled module this way; secure_getenv() ignores it
 * in a set-user-ID process); else, for a program run from its build tree
 * (BUILD/cli/purge-old-kernels, not in the configured bindir), the module
 * built beside it, BUILD/lib/kpurge-apt.so; else KP_APT_MODULE_PATH, where
 * make install put it. Run as root, the module must be a file that only root could
 * have put there, by every name on the way (the trust walk of
 * lib/trust.c, as the CLI asks of APT_CONFIG): its code runs as root. It
 * is opened once, by that walk, and loaded from the descriptor, so the
 * file checked is the file loaded, and one missing when it was checked
 * is never loaded. A missing, untrusted or mismatched module is an error
 * that names the file and what to do, never a crash, and nothing is
 * purged without the proof.
 */
#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpurge-private.h"
#include "kpurge-trust.h"
#include "apt-shim.h"

#ifndef KP_APT_MODULE_PATH
#error "KP_APT_MODULE_PATH must name the installed kpurge-apt.so"
#endif

static const struct kp_apt_module *module;

/* Who chose the module's file. */
enum module_source {
	FROM_ENV,
	FROM_BUILD_TREE,
	INSTALLED
};

/*
 * BUILD/lib/kpurge-apt.so when this program is BUILD/cli/NAME outside the
 * configured bindir and that file exists: the layout of this project's
 * build tree. Returns whether buf holds it.
 */
static bool
build_tree_module(char *buf, size_t size)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return false;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return false;
	*slash = '\0';
	if (strcmp(exe, KP_BINDIR) == 0 ||
	    (slash = strrchr(exe, '/')) == NULL || strcmp(slash, "/cli") != 0)
		return false;
	*slash = '\0';
	if ((size_t)snprintf(buf, size, "%s/lib/" KP_APT_MODULE_NAME, exe) >=
	    size)
		return false;
	return access(buf, F_OK) == 0;
}

/* The module's file name into *path, and who chose it. */
static enum module_source
module_path(const char **path)
{
	static char beside[PATH_MAX];
	const char *env = secure_getenv("KPURGE_APT_MODULE");

	if (env != NULL && env[0] != '\0') {
		*path = env;
		return FROM_ENV;
	}
	if (build_tree_module(beside, sizeof(beside))) {
		*path = beside;
		return FROM_BUILD_TREE;
	}
	*path = KP_APT_MODULE_PATH;
	return INSTALLED;
}

/*
 * The module file, opened: as root through the trust walk (lib/trust.c),
 * so that the file checked is the file loaded, whoever owns the names on
 * the way; otherwise as the user's own choice. Returns the descriptor or
 * a negative code with err saying why.
 */
static int
open_module(const char **pathp, struct kp_error *err)
{
	enum module_source source = module_path(pathp);
	const char *path = *pathp;
	struct kp_error why;
	struct stat st;
	int fd;

	kp_error_clear(&why);
	if (geteuid() != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			fd = -errno;
	} else {
		fd = kp_trust_open(path, O_RDONLY, 0, &why);
		if (fd < 0 && fd != -ENOENT)
			return kp__error_set(
			        err, fd,
			        source == FROM_ENV ?
			                "KPURGE_APT_MODULE names %s, which is "
			                "not a file only root can change (%s); "
			                "not loaded (unset KPURGE_APT_MODULE)" :
			        source == FROM_BUILD_TREE ?
			                "the build tree's apt module %s is not "
			                "a file only root can change (%s); not "
			                "loaded as root: build as root, or make "
			                "install" :
			                "the apt module %s is not a file only "
			                "root can change (%s); reinstall "
			                "purge-old-kernels",
			        path, why.message);
	}
	if (fd < 0)
		return kp__error_set(err, fd,
		                     "cannot load the apt module: %s: %s "
		                     "(reinstall purge-old-kernels; in a build "
		                     "tree, set KPURGE_APT_MODULE to "
		                     "lib/kpurge-apt.so)",
		                     path, strerror(-fd));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return kp__error_set(err, -ENOEXEC,
		                     "cannot load the apt module: "
		                     "%s is not a file",
		                     path);
	}
	return fd;
}

/*
 * dlopen() the module from its descriptor: /proc/self/fd/N is the file
 * opened, not whatever its name points at by now.
 */
static void *
load_fd(int fd, const char *path, struct kp_error *err)
{
	char name[64];
	void *handle;

	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	/* RTLD_NOW: a module that cannot resolve a libapt-pkg symbol fails
	 * here, with a message, rather than in the middle of a proof. */
	handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL)
		kp__error_set(err, -ENOEXEC,
		              "cannot load the apt module %s: %s "
		              "(reinstall purge-old-kernels; in a build tree, "
		              "set KPURGE_APT_MODULE to lib/kpurge-apt.so)",
		              path, dlerror());
	return handle;
}

/* Open the module once; 0, or a negative code with err saying why. */
static int
load(struct kp_error *err)
{
	const struct kp_apt_module *table;
	const char *path;
	void *handle;
	int fd, r;

	if (module != NULL)
		return 0;
	fd = open_module(&path, err);
	if (fd < 0)
		return fd;
	handle = load_fd(fd, path, err);
	close(fd);
	if (handle == NULL)
		return -ENOEXEC;
	table = dlsym(handle, KP_APT_MODULE_SYMBOL);
	if (table == NULL || table->abi != KP_APT_MODULE_ABI ||
	    table->error_size != sizeof(struct kp_error) ||
	    table->version == NULL ||
	    strcmp(table->version, PACKAGE_VERSION) != 0) {
		r = kp__error_set(
		        err, -ENOEXEC,
		        "the apt module %s does not "
		        "belong to libkpurge %s (it is %s); reinstall "
		        "purge-old-kernels",
		        path, PACKAGE_VERSION,
		        table == NULL          ? "not a kpurge module" :
		        table->version == NULL ? "of no version" :
		                                 table->version);
		dlclose(handle);
		return r;
	}
	module = table;
	return 0;
}

/* apt's view of root, configured as the purge's apt-get with config. */
struct kp_apt *
kp_apt_open_config(const char *root, const struct kp_apt_config *config,
                   struct kp_error *err)
{
	if (load(err) < 0)
		return NULL;
	return module->open(root, config, err);
}

/* apt's view of root, configured as a purge's apt-get given nothing more. */
struct kp_apt *
kp_apt_open(const char *root, struct kp_error *err)
{
	struct kp_apt_config config = { NULL, 0 };
	struct kp_apt *apt;

	if (kp_apt_config_for_purge(root, NULL, &config) < 0) {
		kp__error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	apt = kp_apt_open_config(root, &config, err);
	kp_apt_config_free(&config);
	return apt;
}

void
kp_apt_close(struct kp_apt *apt)
{
	if (apt != NULL)
		module->close(apt);
}

int
kp_apt_simulate_purge(struct kp_apt *apt, const char *const *names, size_t n,
                      struct kp_apt_sim *out, struct kp_error *err)
{
	return module->simulate_purge(apt, names, n, out, err);
}

void
kp_apt_sim_clear(struct kp_apt_sim *sim)
{
	/* Without the module nothing was simulated: sim owns nothing. */
	if (module != NULL)
		module->sim_clear(sim);
	else
		memset(sim, 0, sizeof(*sim));
}

int
kp_apt_problems(struct kp_apt *apt, struct kp_problem **problems,
                struct kp_error *err)
{
	return module->problems(apt, problems, err);
}

void
kp_apt_problems_free(struct kp_problem *problems, size_t n)
{
	size_t i;

	if (module != NULL) {
		module->problems_free(problems, n);
		return;
	}
	for (i = 0; problems != NULL && i < n; i++) {
		free(problems[i].package);
		free(problems[i].text);
	}
	free(problems);
}

int
kp_apt_kernel_protected(struct kp_apt *apt, const char *running, char ***names,
                        struct kp_error *err)
{
	return module->kernel_protected(apt, running, names, err);
}

int
kp_apt_autoremove(struct kp_apt *apt, const char *running,
                  const char *const *names, size_t n, struct kp_apt_mark *marks,
                  char ***patterns, struct kp_error *err)
{
	return module->autoremove(apt, running, names, n, marks, patterns, err);
}

/* The arrays come from the module's malloc, which is the process's: plain
 * free() would do, but the module's own function keeps that its business. */
void
kp_apt_strv_free(char **v)
{
	if (v == NULL)
		return;
	if (module != NULL) {
		module->strv_free(v);
		return;
	}
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}
