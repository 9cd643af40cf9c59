/*
 * libkpurge - asking apt: a thin C interface over libapt-pkg (apt-shim.cc).
 *
 * apt's answers on a root: what `apt-get remove --purge` would really do,
 * what apt thinks is broken, which kernels apt's autoremove protects. No
 * apt type crosses this header. Nothing here locks, writes or runs dpkg
 * actions, so every function works as a plain user.
 *
 * libapt-pkg keeps its configuration and system in global state, so like
 * kp_ctx only one kp_apt can be open at a time (-EBUSY otherwise); close it
 * before opening the next. Not thread-safe.
 *
 * The functions live in a module, kpurge-apt.so (apt-shim.cc), that
 * apt-load.c opens on the first kp_apt_open() and never closes: programs
 * linking libkpurge do not load libapt-pkg until they ask apt. The module
 * is found at KP_APT_MODULE_PATH (PKGLIBDIR/kpurge-apt.so), or where the
 * environment variable KPURGE_APT_MODULE says (the build tree's tests).
 */
#ifndef KPURGE_APT_SHIM_H
#define KPURGE_APT_SHIM_H

#include <stdbool.h>
#include <stddef.h>

#include "kpurge.h"

#ifdef __cplusplus
extern "C" {
#endif

/* apt's configuration, system and package cache for one root. */
struct kp_apt;

struct kp_apt *kp_apt_open(const char *root, struct kp_error *err);
struct kp_apt *kp_apt_open_config(const char *root,
                                  const struct kp_apt_config *config,
                                  struct kp_error *err);
void kp_apt_close(struct kp_apt *apt);

/* One package apt would change besides the ones it was asked to purge. */
struct kp_apt_change {
	char *package;   /* as apt names it (name:arch for a foreign one) */
	char *cause;     /* removal: the purged package it needs; install:
	                    the purged package it replaces; NULL if unknown */
	char *dependent; /* install: the installed package whose dependency
	                    apt satisfies with it; NULL for a removal */
};

/* The outcome of a simulated purge; strings and arrays are owned by it. */
struct kp_apt_sim {
	struct kp_apt_change *removals; /* beyond the purged set, by name */
	size_t n_removals;
	struct kp_apt_change *installs; /* new installs and upgrades, by name */
	size_t n_installs;
	char *problem; /* apt would refuse: its reason; NULL when it would act */
};

int kp_apt_simulate_purge(struct kp_apt *apt, const char *const *names,
                          size_t n, struct kp_apt_sim *out,
                          struct kp_error *err);
void kp_apt_sim_clear(struct kp_apt_sim *sim);

int kp_apt_problems(struct kp_apt *apt, struct kp_problem **problems,
                    struct kp_error *err);
void kp_apt_problems_free(struct kp_problem *problems, size_t n);
int kp_apt_kernel_protected(struct kp_apt *apt, const char *running,
                            char ***names, struct kp_error *err);
void kp_apt_strv_free(char **v);

/* What apt's autoremove makes of one installed package. */
struct kp_apt_mark {
	bool known;     /* apt's cache has the package installed */
	bool automatic; /* marked automatically installed (extended_states) */
	bool removed;   /* `apt-get autoremove` would remove it */
};

/*
 * apt's marks and autoremove for names (marks: n entries, filled in
 * order), with running (NULL: none) as the booted release of apt's kernel
 * protection; *patterns: the configured APT::NeverAutoRemove patterns, in
 * order, NULL-terminated, for kp_apt_strv_free(). Returns 0 or a negative
 * code.
 */
int kp_apt_autoremove(struct kp_apt *apt, const char *running,
                      const char *const *names, size_t n,
                      struct kp_apt_mark *marks, char ***patterns,
                      struct kp_error *err);

/*
 * What the module exports: one table, KP_APT_MODULE_SYMBOL. The loader
 * takes it only with the same ABI number, the same package version and the
 * same struct kp_error, so a module left from another build is refused
 * rather than called.
 */
#define KP_APT_MODULE_ABI 3
#define KP_APT_MODULE_TABLE kpurge_apt_module_v1
#define KP_APT_MODULE_SYMBOL "kpurge_apt_module_v1"

struct kp_apt_module {
	unsigned abi;
	const char *version;
	size_t error_size;
	/* config: the items applied after apt's configuration files, in
	 * order, as apt-get applies its -o and -c (kp_apt_config_for_purge) */
	struct kp_apt *(*open)(const char *root,
	                       const struct kp_apt_config *config,
	                       struct kp_error *err);
	void (*close)(struct kp_apt *apt);
	int (*simulate_purge)(struct kp_apt *apt, const char *const *names,
	                      size_t n, struct kp_apt_sim *out,
	                      struct kp_error *err);
	void (*sim_clear)(struct kp_apt_sim *sim);
	int (*problems)(struct kp_apt *apt, struct kp_problem **problems,
	                struct kp_error *err);
	void (*problems_free)(struct kp_problem *problems, size_t n);
	int (*kernel_protected)(struct kp_apt *apt, const char *running,
	                        char ***names, struct kp_error *err);
	void (*strv_free)(char **v);
	/* since ABI 3 */
	int (*autoremove)(struct kp_apt *apt, const char *running,
	                  const char *const *names, size_t n,
	                  struct kp_apt_mark *marks, char ***patterns,
	                  struct kp_error *err);
};

#ifdef __cplusplus
}
#endif

#endif /* KPURGE_APT_SHIM_H */
