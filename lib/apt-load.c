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
 * in a set-user-ID process), else KP_APT_MODULE_PATH, where make install
 * put it. Run as root, a module named by the environment must be a file
 * that only root could have put there, as the CLI asks of APT_CONFIG
 * (cli/environ.c): its code runs as root. A missing, untrusted or
 * mismatched module is an error that names the file and what to do, never
 * a crash, and nothing is purged without the proof.
 */
#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpurge-private.h"
#include "apt-shim.h"

#ifndef KP_APT_MODULE_PATH
#error "KP_APT_MODULE_PATH must name the installed kpurge-apt.so"
#endif

static const struct kp_apt_module *module;

/*
 * As root, may the module at path be loaded? A regular file owned by root
 * and not writable by everybody, in a directory owned by root that
 * everybody may not write to (unless it is sticky, like /tmp). Missing
 * files are left to dlopen(), whose message says so.
 */
static int
check_trusted(const char *path, struct kp_error *err)
{
	char dir[PATH_MAX];
	struct stat st;
	size_t len = strlen(path);

	if (geteuid() != 0 || stat(path, &st) < 0)
		return 0;
	if (!S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & S_IWOTH))
		return kp__error_set(err, -EPERM, "KPURGE_APT_MODULE names %s, "
		                     "which is not a file only root can change; "
		                     "not loaded (unset KPURGE_APT_MODULE)", path);
	if (len >= sizeof(dir))
		return kp__error_set(err, -ENAMETOOLONG, "KPURGE_APT_MODULE is "
		                     "too long");
	memcpy(dir, path, len + 1);
	if (stat(dirname(dir), &st) < 0 || st.st_uid != 0 ||
	    ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)))
		return kp__error_set(err, -EPERM, "KPURGE_APT_MODULE names %s, "
		                     "in a directory others can change; not "
		                     "loaded (unset KPURGE_APT_MODULE)", path);
	return 0;
}

/* The module's file name into *path; 0 or a negative code. */
static int
module_path(const char **path, struct kp_error *err)
{
	const char *env = secure_getenv("KPURGE_APT_MODULE");

	if (env == NULL || env[0] == '\0') {
		*path = KP_APT_MODULE_PATH;
		return 0;
	}
	*path = env;
	return check_trusted(env, err);
}

/* Open the module once; 0, or a negative code with err saying why. */
static int
load(struct kp_error *err)
{
	const struct kp_apt_module *table;
	const char *path;
	void *handle;
	int r;

	if (module != NULL)
		return 0;
	r = module_path(&path, err);
	if (r < 0)
		return r;
	/* RTLD_NOW: a module that cannot resolve a libapt-pkg symbol fails
	 * here, with a message, rather than in the middle of a proof. */
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL)
		/* dlerror() names the file. */
		return kp__error_set(err, -ENOENT, "cannot load the apt module: "
		                     "%s (reinstall purge-old-kernels; in a build "
		                     "tree, set KPURGE_APT_MODULE to "
		                     "lib/kpurge-apt.so)", dlerror());
	table = dlsym(handle, KP_APT_MODULE_SYMBOL);
	if (table == NULL || table->abi != KP_APT_MODULE_ABI ||
	    table->error_size != sizeof(struct kp_error) ||
	    table->version == NULL || strcmp(table->version, PACKAGE_VERSION) != 0) {
		r = kp__error_set(err, -ENOEXEC, "the apt module %s does not "
		                  "belong to libkpurge %s (it is %s); reinstall "
		                  "purge-old-kernels", path, PACKAGE_VERSION,
		                  table == NULL ? "not a kpurge module" :
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
