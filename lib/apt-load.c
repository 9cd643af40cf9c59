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
 * put it. A missing or mismatched module is an error that names the file
 * and what to do, never a crash, and nothing is purged without the proof.
 */
#include <config.h>

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kpurge-private.h"
#include "apt-shim.h"

#ifndef KP_APT_MODULE_PATH
#error "KP_APT_MODULE_PATH must name the installed kpurge-apt.so"
#endif

static const struct kp_apt_module *module;

static const char *
module_path(void)
{
	const char *path = secure_getenv("KPURGE_APT_MODULE");

	return path != NULL && path[0] != '\0' ? path : KP_APT_MODULE_PATH;
}

/* Open the module once; 0, or a negative code with err saying why. */
static int
load(struct kp_error *err)
{
	const struct kp_apt_module *table;
	const char *path;
	void *handle;

	if (module != NULL)
		return 0;
	path = module_path();
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
		kp__error_set(err, -ENOEXEC, "the apt module %s does not belong "
		              "to libkpurge %s (it is %s); reinstall "
		              "purge-old-kernels", path, PACKAGE_VERSION,
		              table == NULL ? "not a kpurge module" :
		              table->version == NULL ? "of no version" :
		              table->version);
		dlclose(handle);
		return err != NULL ? err->code : -ENOEXEC;
	}
	module = table;
	return 0;
}

struct kp_apt *
kp_apt_open(const char *root, struct kp_error *err)
{
	if (load(err) < 0)
		return NULL;
	return module->open(root, err);
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
kp_apt_problems(struct kp_apt *apt, char ***problems, struct kp_error *err)
{
	return module->problems(apt, problems, err);
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
