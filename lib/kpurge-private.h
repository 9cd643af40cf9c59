/*
 * libkpurge internals shared between the library's files. Nothing here is
 * part of the public interface; names start with kp__.
 */
#ifndef KPURGE_PRIVATE_H
#define KPURGE_PRIVATE_H

#include "kpurge.h"

#include <stdarg.h>
#include <sys/types.h>

#define KP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* error.c */
int kp__error_set(struct kp_error *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
int kp__error_cause(struct kp_error *err, enum kp_error_cause cause);
void kp__log(struct kp_ctx *ctx, enum kp_log_level level, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
char *kp__strdup_printf(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

/* a + b in KiB, saturating at KP_SIZE_KIB_MAX. */
static inline unsigned long long
kp__size_add(unsigned long long a, unsigned long long b)
{
	return a > KP_SIZE_KIB_MAX - (b < KP_SIZE_KIB_MAX ? b :
	                                                    KP_SIZE_KIB_MAX) ?
	               KP_SIZE_KIB_MAX :
	               a + b;
}

/* a + b in bytes, saturating at the largest unsigned long long. */
static inline unsigned long long
kp__bytes_add(unsigned long long a, unsigned long long b)
{
	return a > ~0ULL - b ? ~0ULL : a + b;
}

/* plan.c: the plan, shared with the files that measure and prove it. */
struct kp_plan {
	struct kp_release *releases;
	size_t n_releases;
	struct kp_package *packages;
	size_t n_packages;
	const struct kp_package **by_release; /* backing of release->packages */
	const char **purge;
	size_t n_purge;
	unsigned long long purge_kib;
	char *running;
	bool running_installed;
	unsigned keep;
	struct kp_boot_space boot;
	bool proved; /* apt removes exactly the purge and installs nothing */
	struct kp__next_boot *next_boot; /* bootloader.c; NULL: none named */
	bool only_auto_installed;        /* kp_plan_options */
	bool apt_read;                   /* kp_plan_read_apt() succeeded */
	/* Every string the plan owns, freed together. */
	char **strings;
	size_t n_strings, cap_strings;
	/* Package i -> the index of its release, or -1 (as packages[i] is
	 * while planning, and after link_packages() sorts them). */
	long *release_of;
	/* The flavour-less packages and the releases that use them (plan.c). */
	struct kp__shared_use *uses;
	size_t n_uses;
	/* Files no package owns (orphans.c); NULL until searched. */
	struct kp__orphans *orphans;
};

/*
 * plan.c: a flavour-less package (by its plan-owned name) and the releases
 * whose installed packages depend on it, directly or through other
 * flavour-less packages (indexes into plan->releases, sorted).
 */
struct kp__shared_use {
	const char *package;
	size_t *releases;
	size_t n_releases;
	bool has_users; /* an installed kernel package depends on it */
};

/* dpkg-db.c: one package of the database, as the planner needs it. */
struct kp__dbpkg {
	char *name; /* name, or name:arch when ambiguous */
	char *version;
	enum kp_state state;
	bool held;
	unsigned long long size_kib;
	struct kp_name kname;
	enum kp_recognised recognised;
	bool candidate; /* while reading: a name of no scheme, not confirmed */
	void *dpkg;     /* libdpkg's struct pkginfo, for dependency checks */
};

/* names.c: take the custom-release reading of a -dbg/-unsigned image. */
bool kp__name_use_alt(struct kp_name *n);
bool kp__name_in_kernel_family(const char *s, size_t len);

/* names.c: "<words>-R", a name of no scheme that structure may confirm. */
bool kp__name_candidate(const char *package, struct kp_name *out);

/* dpkg-db.c: packages that could be release's image become it. */
void kp__ctx_prefer_release(struct kp_ctx *ctx, const char *release);

/* apt-options.c: a copy of from into to (empty before); 0 or -ENOMEM. */
int kp__apt_config_copy(struct kp_apt_config *to,
                        const struct kp_apt_config *from);

/* apt's cache for the context's root, opened on first use (apt-shim.h). */
struct kp_apt *kp__ctx_apt(struct kp_ctx *ctx, struct kp_error *err);

/* The kernel packages of the database (only those kp_name_parse() takes). */
size_t kp__ctx_n_packages(const struct kp_ctx *ctx);
const struct kp__dbpkg *kp__ctx_package(const struct kp_ctx *ctx, size_t i);

/*
 * With the kernel packages for which purged(i) is true gone, find an
 * installed package outside that set whose Depends or Pre-Depends would
 * no longer be satisfied. Returns the index of a purged package it needs
 * and fills *dependent with that package's name (owned by the context),
 * or returns -1 when nothing breaks.
 */
long kp__ctx_find_broken_dependency(struct kp_ctx *ctx,
                                    bool (*purged)(size_t i, void *data),
                                    void *data, const char **dependent);

/*
 * Call fn for every installed kernel package (an index, as above) whose
 * Depends or Pre-Depends names package i, directly or through a virtual
 * package i provides.
 */
void kp__ctx_each_dependent(const struct kp_ctx *ctx, size_t i,
                            void (*fn)(size_t dependent, void *data),
                            void *data);

/*
 * plan.c: keep the release of package (or the flavour-less package itself)
 * because something needs it (cause: needed_by and the rest, copied). The purge list is rebuilt.
 * Returns 0, -ENOENT when package is not planned for purge, or -ENOMEM.
 */
int kp__plan_keep_needed(struct kp_plan *plan, const char *package,
                         const struct kp_cause *cause);

/* plan.c: a copy of s the plan owns, or NULL when out of memory. */
const char *kp__plan_strdup(struct kp_plan *plan, const char *s);

/*
 * plan.c: keep rel for reason (why is copied); the purge list is rebuilt.
 * Returns 0 or -ENOMEM.
 */
int kp__plan_keep_release(struct kp_plan *plan, struct kp_release *rel,
                          enum kp_reason reason, const char *why);

/*
 * apt-marks.c: ask apt for its marks, APT::NeverAutoRemove and what its
 * autoremove would do (running: apt's booted release, or NULL); keep what
 * apt's patterns name, and with only_auto_installed what apt does not mark
 * automatic. kp__plan_apt_verdicts() gives each release apt's verdict once
 * apt_protects is known. Return 0 or a negative code with err.
 */
struct kp_apt;
int kp__plan_apt_marks(struct kp_plan *plan, struct kp_apt *apt,
                       const char *running, struct kp_error *err);
void kp__plan_apt_verdicts(struct kp_plan *plan);

/*
 * bootloader.c: what the boot loader of ctx's root boots next, read once
 * (NULL: nothing, or out of memory); freed with free(). Whether it names
 * rel, and in words why that keeps it. Once decided: note whether the
 * release is installed, and warn through ctx's log when it is not.
 */
struct kp__next_boot *kp__next_boot_read(struct kp_ctx *ctx);
bool kp__next_boot_names(const struct kp_plan *plan,
                         const struct kp_release *rel);
const char *kp__next_boot_why(const struct kp_plan *plan);
void kp__next_boot_check(struct kp_plan *plan, struct kp_ctx *ctx);
/* bootloader.c: h, then what boots next under root (the fingerprint). */
unsigned long long kp__next_boot_hash(const char *root, unsigned long long h);

/*
 * space.c: measure what each release takes under ROOT/boot and what the
 * plan frees there. Never fails: what cannot be read counts as nothing.
 */
void kp__plan_measure_boot(struct kp_plan *plan, const char *root,
                           const char *admindir);

/*
 * space.c: recount from the releases' measures what the plan frees under
 * /boot (plan->boot.freed) and in all (plan->purge_kib), both saturating,
 * after a decision changed. Measures nothing.
 */
void kp__plan_count_freed(struct kp_plan *plan);

/*
 * orphans.c: the name rules. A release as a file or directory name may
 * be: it starts with a digit, has only [A-Za-z0-9.+_~-] and no ".dpkg-".
 * A name in /boot is PREFIX-R[SUFFIX]: fills release (R) and alt (R with
 * its suffix, or "" when there is none), both KP_NAME_MAX bytes.
 */
bool kp__orphan_release_ok(const char *s, size_t len);
bool kp__orphan_boot_name(const char *name, char *release, char *alt);
void kp__orphans_free(struct kp__orphans *o);

/* orphans.c: may a user other than root write st (its group is not
 * root's and may write, or anyone may)? Never for a symbolic link. */
struct stat;
bool kp__others_write(const struct stat *st);

/* orphans.c: 0 when only root could change what path (the root, dpkg's
 * directory; "" is /) names, else a negative code with err filled. */
int kp__orphan_trusted(const char *path, struct kp_error *err);

/* orphans-remove.c: is dirfd/name ("" for dirfd itself) where a mount
 * starts (a bind mount of the same filesystem too)? */
bool kp__mount_root(int dirfd, const char *name);

/* orphans-remove.c: remove o, which was dev:ino when found, under root. */
int kp__orphan_remove(const char *root, const struct kp_orphan *o, dev_t dev,
                      ino_t ino, struct kp_error *err);

#endif /* KPURGE_PRIVATE_H */
