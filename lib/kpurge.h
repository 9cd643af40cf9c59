/*
 * libkpurge - plan safe purges of old kernel packages on Debian and Ubuntu
 *
 * The planning core. The flow is pacman's: open a context on a root
 * directory, compute a plan (a value: every release and package with the
 * action taken, the reason and the facts behind it), show it, hand its
 * purge list to apt-get. kpurge-app.h adds purge-old-kernels' application
 * layer (configuration file, change detection, state file, metrics).
 *
 * Conventions: functions that can fail return 0 (or a count) or a
 * negative errno-style code and fill a caller-owned struct kp_error (which
 * may be NULL) with one sentence a user can act on; those returning a
 * pointer return NULL instead. What a function hands out is freed by the
 * matching _free() function; the strings of a plan belong to the plan and
 * live until kp_plan_free(). Name functions return static strings. The
 * library never prints and never exits; it reports through the log
 * callback of the context.
 */
#ifndef KPURGE_H
#define KPURGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- errors */

/*
 * What a refusal was about, for a caller that words it itself (it knows
 * whether a value came from its command line or a configuration file).
 */
enum kp_error_cause {
	KP_CAUSE_NONE = 0,
	/* kp_plan_new(): keep 0 and no running kernel: nothing to fall back on */
	KP_CAUSE_KEEP_NOTHING_RUNS,
	/* kp_plan_new(): keep 0 and the running release is not installed */
	KP_CAUSE_KEEP_RUNNING_ABSENT,
};

/*
 * An error: a negative errno-style code, a sentence for the user (naming
 * no option of any program), and what it was about (KP_CAUSE_NONE for
 * most).
 */
struct kp_error {
	int code;
	char message[1024];
	enum kp_error_cause cause;
};

/* Reset err (which may be NULL) to "no error". */
void kp_error_clear(struct kp_error *err);

/* ------------------------------------------------------------- versions */

/*
 * Compare two Debian package versions (epoch:upstream-revision) with
 * libdpkg's rules. Stores <0, 0 or >0 in *result.
 */
int kp_version_compare(const char *a, const char *b, int *result,
                       struct kp_error *err);

/*
 * Translate a kernel ABI or release ("6.7.0-rc1", "5.15.0-91") into a
 * Debian version string that sorts the way kernels do: "-rcN" sorts
 * before the final release. Returns the length written, or -ENAMETOOLONG.
 */
int kp_release_version(const char *abi, char *buf, size_t size);

/*
 * Order two kernel ABIs (or releases) with Debian's rules applied to
 * their translations. Returns <0, 0 or >0.
 */
int kp_release_compare(const char *a, const char *b);

/* ---------------------------------------------------------------- names */

/* What part of a kernel release a package is. */
enum kp_kind {
	KP_KIND_NONE = 0, /* not a kernel package */
	KP_KIND_IMAGE,    /* bootable image: signed or unsigned */
	KP_KIND_MODULES,  /* modules, modules-extra, restricted modules */
	KP_KIND_HEADERS,
	KP_KIND_TOOLS, /* tools and cloud-tools */
	KP_KIND_DEBUG, /* -dbgsym, -dbg images */
	KP_KIND_OTHER, /* buildinfo, lib-rust, support, kbuild, signatures */
};

#define KP_NAME_MAX 128

/* What a package name says about the kernel it belongs to. */
struct kp_name {
	enum kp_kind kind;
	/* Flavour-less package of an ABI, shared by every release of it. */
	bool shared;
	/*
	 * No flavour in the name, and the name could equally be a custom
	 * release's package (linux-headers-6.7.0-rc1+) or the flavour-less
	 * package of an ABI (linux-headers-6.8.0-31): it belongs to the
	 * release of that name when one is installed, else it is shared.
	 */
	bool ambiguous;
	char release[KP_NAME_MAX]; /* "" when shared */
	char abi[KP_NAME_MAX];
	char flavour[KP_NAME_MAX]; /* "" when none */
	/*
	 * For linux-image-R-dbg, -dbgsym and -unsigned: the custom release
	 * the name would be if "-dbg" were a local version (make bindeb-pkg
	 * with CONFIG_LOCALVERSION="-dbg"), or "". The library takes that
	 * reading when the package ships /boot/vmlinuz-ALT, or ALT is the
	 * running or a protected release.
	 */
	char alt_release[KP_NAME_MAX];
};

/*
 * Recognise a kernel package by name. Returns true and fills *out for a
 * package of a kernel release (or a flavour-less package of an ABI);
 * false for everything else (metapackages, linux-libc-dev, firmware ...).
 */
bool kp_name_parse(const char *package, struct kp_name *out);

/*
 * Split a release ("5.15.0-91-generic") into ABI and flavour. Returns
 * false when the string is not a kernel release.
 */
bool kp_release_split(const char *release, char *abi, size_t abi_size,
                      char *flavour, size_t flavour_size);

/* The kind as a word ("image", "modules" ...); "unknown" outside the enum. */
const char *kp_kind_name(enum kp_kind kind);

/* -------------------------------------------------------------- context */

enum kp_log_level {
	KP_LOG_ERROR,
	KP_LOG_WARNING,
	KP_LOG_INFO,
	KP_LOG_DEBUG,
};

typedef void (*kp_log_fn)(void *data, enum kp_log_level level,
                          const char *message);

struct kp_ctx;

/*
 * Open a context on the Debian system installed at root (NULL or "/" for
 * this one) and read its dpkg database (status file and pending updates
 * journal). libdpkg keeps its database in global state, so only one
 * context can be open at a time (-EBUSY otherwise). Returns NULL and fills
 * err on failure; the caller frees the context with kp_ctx_free().
 */
struct kp_ctx *kp_ctx_new(const char *root, kp_log_fn log, void *log_data,
                          struct kp_error *err);
/* Free a context and close apt's cache if it was opened; NULL is fine. */
void kp_ctx_free(struct kp_ctx *ctx);

/* The root directory, without a trailing slash ("" for "/"). */
const char *kp_ctx_root(const struct kp_ctx *ctx);
/* The dpkg admin directory under the root. */
const char *kp_ctx_admindir(const struct kp_ctx *ctx);
/* True when dpkg was interrupted: its updates/ journal is not empty. */
bool kp_ctx_dpkg_interrupted(const struct kp_ctx *ctx);

/*
 * The release of the running kernel (uname -r) into buf. Returns 0 or a
 * negative code.
 */
int kp_running_release(char *buf, size_t size, struct kp_error *err);

/* ----------------------------------------------------------------- plan */

enum kp_action {
	KP_KEEP,
	KP_PURGE,
};

/* Why a release or a package is kept or purged. */
enum kp_reason {
	/* keep */
	KP_REASON_RUNNING,          /* the running kernel */
	KP_REASON_NEWEST,           /* among the newest N versions */
	KP_REASON_LATEST,           /* the newest complete release: always */
	KP_REASON_HELD,             /* a package of it is on hold */
	KP_REASON_PROTECTED,        /* named with --protect */
	KP_REASON_NEWER_INCOMPLETE, /* no image, but newer than every image */
	KP_REASON_NEEDED,           /* an installed package depends on it */
	KP_REASON_SHARED_KEPT,      /* flavour-less: a kept release uses it */
	KP_REASON_NEXT_BOOT,        /* the boot loader is set to boot it next */
	/* purge */
	KP_REASON_OLD,           /* older than the kept versions */
	KP_REASON_CONFIG_ONLY,   /* only configuration files are left */
	KP_REASON_NO_IMAGE,      /* leftovers of a release without image */
	KP_REASON_SHARED_UNUSED, /* flavour-less: no kept release uses it */
	/* keep, found by kp_plan_prove() */
	KP_REASON_APT_NEVER_AUTOREMOVE, /* an APT::NeverAutoRemove pattern names
	                                   its image (apt_never_autoremove) */
	KP_REASON_MANUALLY_INSTALLED, /* only_auto_installed, and apt marks its
	                                   image manually installed */
};

/* apt's mark of an installed package (apt-mark showauto / showmanual). */
enum kp_install_mark {
	KP_MARK_UNKNOWN = 0, /* not asked, or apt has no installed package */
	KP_MARK_AUTO,        /* automatically installed */
	KP_MARK_MANUAL,      /* installed by hand */
};

/* What `apt autoremove` would do to a release (kp_plan_prove()). */
enum kp_apt_verdict {
	KP_APT_VERDICT_UNKNOWN = 0,  /* apt was not asked */
	KP_APT_VERDICT_PROTECTED,    /* its image is apt's kernel protection or
	                                named by APT::NeverAutoRemove */
	KP_APT_VERDICT_WOULD_REMOVE, /* every installed package of it */
	KP_APT_VERDICT_PARTIAL,      /* some installed packages, not all */
	KP_APT_VERDICT_NEVER,        /* nothing: installed by hand */
	KP_APT_VERDICT_NEEDED,       /* nothing: marked automatic, but an
	                                installed package needs it */
	KP_APT_VERDICT_NONE, /* nothing installed (configuration files) */
};

/* "auto", "manual", or NULL for KP_MARK_UNKNOWN. */
const char *kp_install_mark_name(enum kp_install_mark mark);
/* "protected", "would-remove", "partial", "never", "needed", "none", or
 * NULL for KP_APT_VERDICT_UNKNOWN. */
const char *kp_apt_verdict_name(enum kp_apt_verdict verdict);

/*
 * What made a package a kernel package: its name (the table of naming
 * schemes), or, for a name the table does not know that ends in a release
 * or ABI, its dpkg file list (files only that release uses) or its
 * dependencies (on that release's packages, or theirs on it).
 */
enum kp_recognised {
	KP_RECOGNISED_NAME,
	KP_RECOGNISED_FILES,
	KP_RECOGNISED_DEPENDENCIES,
};

/* "name", "files" or "dependencies": a static string. */
const char *kp_recognised_name(enum kp_recognised how);

/* The state of one package, from dpkg's Status field. */
enum kp_state {
	KP_STATE_INSTALLED,
	KP_STATE_CONFIG_FILES, /* removed, configuration left ("rc") */
	KP_STATE_BROKEN,       /* half-installed, unpacked, half-configured */
};

/* How much of a release is installed. */
enum kp_release_state {
	KP_RELEASE_COMPLETE,    /* an image is installed: it can boot */
	KP_RELEASE_INCOMPLETE,  /* packages installed, but no image */
	KP_RELEASE_CONFIG_ONLY, /* every package in config-files state */
};

/*
 * The largest size in KiB the plan holds: an Installed-Size beyond it (a
 * corrupt status file says 30 nines) and every sum that would pass it
 * stay at it, so a size in bytes (KiB * 1024) always fits 64 bits.
 */
#define KP_SIZE_KIB_MAX (~0ULL / 1024)

/*
 * The facts behind a reason, for the caller to word (why holds the
 * library's own words for them, the same facts): strings the plan owns,
 * NULL where they do not apply.
 */
struct kp_cause {
	const char *held_by; /* KP_REASON_HELD: the package on hold */
	/* KP_REASON_NEEDED: the installed package that depends on it (NULL
	 * when apt did not say which); the package of it that one depends
	 * on, or NULL; what apt would install in its place (found by
	 * kp_plan_prove()), or NULL. */
	const char *needed_by;
	const char *depends_on;
	const char *apt_installs;
};

struct kp_package {
	const char *name;    /* as apt-get takes it (name:arch if ambiguous) */
	const char *version; /* installed version */
	enum kp_kind kind;
	enum kp_state state;
	bool held;
	/* What purging it frees: Installed-Size, or its files left on disk
	 * when in config-files state; an image also counts its release's
	 * initrd and modules.* files, which no package owns. */
	unsigned long long size_kib;
	const char *release; /* NULL for a flavour-less package */
	const char *abi;
	enum kp_action action;
	enum kp_reason reason;
	const char *why;               /* sentence: the reason in words */
	enum kp_recognised recognised; /* what made it a kernel package */
	struct kp_cause cause; /* its release's, or its own if flavour-less */
	/* filled by kp_plan_prove(): apt's mark, and whether `apt autoremove`
	 * would remove it */
	enum kp_install_mark mark;
	bool apt_autoremoves;
};

struct kp_release {
	const char *name;         /* "5.15.0-91-generic", as uname -r */
	const char *abi;          /* "5.15.0-91" */
	const char *flavour;      /* "generic", or "" */
	const char *sort_version; /* kp_release_version() of the ABI */
	enum kp_release_state state;
	unsigned rank;     /* 1 = newest version; 0 if not complete */
	bool image_broken; /* an image is there but not fully installed */
	bool running;
	enum kp_action action;
	enum kp_reason reason;
	const char *why;
	unsigned long long size_kib;   /* its packages' size_kib */
	unsigned long long boot_bytes; /* its files under /boot, initrd too */
	/* apt's own kernel protection (APT::NeverAutoRemove) keeps its image;
	 * filled by kp_plan_prove(). */
	bool apt_protects;
	/* Filled by kp_plan_prove(): apt's mark of its image (of its other
	 * packages when it has none: manual if any is); what `apt autoremove`
	 * would do to it; the APT::NeverAutoRemove pattern that names its
	 * image and not every installed image (kp_apt_never_pattern()), or
	 * NULL. */
	enum kp_install_mark mark;
	enum kp_apt_verdict apt_autoremove;
	const char *apt_never_autoremove;
	size_t n_packages;
	const struct kp_package *const *packages;
	struct kp_cause cause; /* the facts behind reason */
};

struct kp_plan_options {
	unsigned keep;       /* newest versions kept besides the running */
	const char *running; /* running release; NULL: none runs here */
	const char *const *protect; /* releases never purged */
	size_t n_protect;
	/* kp_plan_prove() keeps the releases apt does not mark automatically
	 * installed (reason KP_REASON_MANUALLY_INSTALLED), as apt autoremove
	 * would. */
	bool only_auto_installed;
};

#define KP_KEEP_DEFAULT 2u

struct kp_plan;

/*
 * Compute the plan for the system of ctx. Returns 0 and a plan the caller
 * frees with kp_plan_free(), or a negative code (-EINVAL for options that
 * would leave no kernel). The plan stays valid after kp_ctx_free().
 */
int kp_plan_new(struct kp_ctx *ctx, const struct kp_plan_options *opts,
                struct kp_plan **out, struct kp_error *err);
/* Free a plan and every string it holds; NULL is fine. */
void kp_plan_free(struct kp_plan *plan);

/* How many releases; release i (newest first), the plan's, or NULL past the end. */
size_t kp_plan_n_releases(const struct kp_plan *plan);
const struct kp_release *kp_plan_release(const struct kp_plan *plan, size_t i);
/* How many kernel packages; package i (by release, newest first, then
 * name), the plan's, or NULL past the end. */
size_t kp_plan_n_packages(const struct kp_plan *plan);
const struct kp_package *kp_plan_package(const struct kp_plan *plan, size_t i);
/* How many packages to purge; name i (in the order apt-get is given
 * them), the plan's, or NULL past the end. */
size_t kp_plan_n_purge(const struct kp_plan *plan);
const char *kp_plan_purge_name(const struct kp_plan *plan, size_t i);
/* What purging the packages to purge frees, in KiB (their size_kib). */
unsigned long long kp_plan_purge_kib(const struct kp_plan *plan);
/* The filesystem holding /boot, and what the purge frees there. */
struct kp_boot_space {
	bool known;               /* false if /boot could not be examined */
	unsigned long long size;  /* bytes of the filesystem */
	unsigned long long used;  /* bytes in use now */
	unsigned long long freed; /* bytes the purge frees under /boot */
};
/* Copy into out the plan's /boot figures (known false: not examined). */
void kp_plan_boot_space(const struct kp_plan *plan, struct kp_boot_space *out);
/*
 * How many releases a protected value (a release, or a version without
 * its flavour, which protects every flavour of it) names in the plan; 1
 * for a release of which only flavour-less packages of its version are
 * left. 0 when it names nothing installed.
 */
size_t kp_plan_protect_matches(const struct kp_plan *plan, const char *value);
/*
 * What the boot loader is set to boot next, as its files say (GRUB's
 * grubenv and etc/default/grub, systemd-boot's loader.conf and EFI
 * variables, Proxmox's pins): see purge-old-kernels(8), "THE BOOT LOADER".
 * The release it boots is kept (KP_REASON_NEXT_BOOT) when installed.
 */
struct kp_next_boot {
	const char *loader;  /* "GRUB", "systemd-boot" or "Proxmox" */
	const char *file;    /* the file (or EFI variable) that says so */
	const char *setting; /* "next_entry", "saved_entry", "GRUB_DEFAULT",
	                        "default", "LoaderEntryOneShot", "pin" ... */
	const char *entry;   /* the entry, as the file names it */
	const char *release; /* the release it boots; NULL when unknown */
	bool installed;      /* that release is installed, with its image */
	const char *warning; /* a sentence when it is not installed, or NULL */
};
/* What boots next, or NULL when no boot loader names an entry. */
const struct kp_next_boot *kp_plan_next_boot(const struct kp_plan *plan);
/* The running release the plan was made for, or NULL. */
const char *kp_plan_running(const struct kp_plan *plan);
/* True when the running release has packages installed. */
bool kp_plan_running_installed(const struct kp_plan *plan);
/* The number of newest versions the plan keeps (its options' keep). */
unsigned kp_plan_keep(const struct kp_plan *plan);

/* The enums as the JSON document spells them ("purge", "held",
 * "config-files" ...): static strings, "unknown" outside the enum. */
const char *kp_action_name(enum kp_action action);
const char *kp_reason_name(enum kp_reason reason);
const char *kp_state_name(enum kp_state state);
const char *kp_release_state_name(enum kp_release_state state);

/*
 * Prove the plan against apt: simulate `apt-get remove --purge` of its
 * purge list with apt's own resolver on the same root. What apt would
 * remove beyond the plan, or install, moves the release responsible to
 * "keep" (reason KP_REASON_NEEDED, with the dependent named), until apt
 * removes exactly the plan and installs nothing. Returns 0, or a negative
 * code (-EPERM: apt would do something the plan cannot explain) with err
 * filled; then nothing may be purged. Needs no privileges and no lock.
 */
int kp_plan_prove(struct kp_ctx *ctx, struct kp_plan *plan,
                  struct kp_error *err);
/*
 * Read apt's marks, its APT::NeverAutoRemove patterns and what `apt
 * autoremove` would do (the mark, apt_autoremove, apt_never_autoremove and
 * apt_autoremoves fields), and keep what an administrator's pattern names
 * (KP_REASON_APT_NEVER_AUTOREMOVE) and, with only_auto_installed, what apt
 * does not mark automatically installed (KP_REASON_MANUALLY_INSTALLED).
 * kp_plan_prove() does this first; a caller that does not prove (a repair
 * of a broken system) calls it alone. Once per plan; returns 0 or a
 * negative code with err.
 */
int kp_plan_read_apt(struct kp_ctx *ctx, struct kp_plan *plan,
                     struct kp_error *err);
/*
 * The rule for APT::NeverAutoRemove: the index of the first of the
 * patterns (POSIX extended, case-insensitive, as apt compiles them;
 * invalid ones skipped, as apt does) that matches image (a package name
 * without ":arch") and does not match every one of the n installed
 * images, or -1. A pattern that matches every installed kernel (the
 * distribution's "^linux-image-.*") names no release in particular.
 * *any (may be NULL) is set when some valid pattern matches image at all.
 */
long kp_apt_never_pattern(const char *const *patterns, const char *image,
                          const char *const *images, size_t n, bool *any);
/* What kind of problem the pre-flight found (dpkg's audit, apt's check). */
enum kp_problem_kind {
	KP_PROBLEM_UNMET,           /* an unmet dependency, conflict or break */
	KP_PROBLEM_HALF_CONFIGURED, /* dpkg left it half-configured */
	KP_PROBLEM_HALF_INSTALLED,  /* dpkg left it half-installed */
	KP_PROBLEM_UNPACKED,        /* unpacked but not configured */
	KP_PROBLEM_TRIGGERS,        /* triggers pending or awaited */
	KP_PROBLEM_REINSTREQ,       /* dpkg requires it to be reinstalled */
	KP_PROBLEM_INTERRUPTED,     /* dpkg was interrupted (no package) */
};

/* One problem: its kind, the package (NULL for none), one sentence. */
struct kp_problem {
	enum kp_problem_kind kind;
	char *package;
	char *text;
};

/*
 * Pre-flight: what apt and dpkg find wrong with the system now, one record
 * each, in an array freed with kp_problems_free() (*problems is NULL when
 * there are none). Returns their number (0: healthy) or a negative code.
 */
int kp_ctx_problems(struct kp_ctx *ctx, struct kp_problem **problems,
                    struct kp_error *err);
/* Free n records of kp_ctx_problems() and their strings; NULL is fine. */
void kp_problems_free(struct kp_problem *problems, size_t n);
/* The kind as one word ("unmet", "half-configured" ...), for logs; static. */
const char *kp_problem_kind_name(enum kp_problem_kind kind);
/* True for work dpkg left undone (not unmet, not reinstall required). */
bool kp_problem_is_dpkg_work(enum kp_problem_kind kind);

/* ---------------------------------------------- files no package owns */

/* Why an orphan may not be removed. */
enum kp_orphan_refusal {
	KP_ORPHAN_REMOVABLE = 0,    /* root's alone: it may be removed */
	KP_ORPHAN_NOT_ROOTS,        /* it, its directory or a file in it is
	                               another user's (uid says whose) */
	KP_ORPHAN_WRITABLE,         /* writable by any user */
	KP_ORPHAN_OTHER_FILESYSTEM, /* a tree with a mount point in it */
	KP_ORPHAN_UNREADABLE,       /* part of a tree could not be read */
};

/*
 * A file of a kernel release that is gone, which no package owns: a
 * regular file /boot/PREFIX-R or a directory /lib/modules/R (or
 * /usr/lib/modules/R). Never a symbolic link. See lib/orphans.c for
 * every rule.
 */
struct kp_orphan {
	const char *path;         /* as seen from the root: "/boot/..." */
	const char *release;      /* R */
	unsigned long long bytes; /* on disk, as du counts; a tree: all of it */
	bool directory;
	enum kp_orphan_refusal refusal;
	unsigned uid; /* KP_ORPHAN_NOT_ROOTS: the owner */
};

/*
 * Find the orphans of the system of ctx and attach them to plan (ctx may
 * be opened after the plan, after a purge). Releases the plan keeps, the
 * running one and those protect names (releases, or versions without
 * their flavour) are never gone. Returns 0 or a negative code.
 */
int kp_plan_find_orphans(struct kp_ctx *ctx, struct kp_plan *plan,
                         const char *const *protect, size_t n_protect,
                         struct kp_error *err);
/* True once kp_plan_find_orphans() succeeded on the plan. */
bool kp_plan_orphans_searched(const struct kp_plan *plan);
/* The orphans, by path; their total size in bytes. */
size_t kp_plan_n_orphans(const struct kp_plan *plan);
const struct kp_orphan *kp_plan_orphan(const struct kp_plan *plan, size_t i);
unsigned long long kp_plan_orphan_bytes(const struct kp_plan *plan);
/*
 * Remove orphan i (needs root), checking it all again; never through a
 * symbolic link. Returns 0 or a negative code with err filled.
 */
int kp_plan_remove_orphan(const struct kp_plan *plan, size_t i,
                          struct kp_error *err);
/* The refusal as a word ("removable", "not-roots" ...); static, "unknown"
 * outside the enum. */
const char *kp_orphan_refusal_name(enum kp_orphan_refusal refusal);

/* ------------------------------------------------- apt's configuration */

/* One item of apt's configuration, applied in order as apt-get does. */
enum kp_apt_item_kind {
	KP_APT_ITEM_SET,  /* set name to value, like -o Name=Value */
	KP_APT_ITEM_FILE, /* read the configuration file name, like -c FILE */
};

struct kp_apt_item {
	enum kp_apt_item_kind kind;
	char *name;  /* the item ("APT::Get::Purge") or the file */
	char *value; /* KP_APT_ITEM_SET: its value; else NULL */
};

/* A list of items; { NULL, 0 } is empty. Owns its strings. */
struct kp_apt_config {
	struct kp_apt_item *items;
	size_t n;
};

/* Append a copy of one item (value NULL for a file). Returns 0 or -ENOMEM. */
int kp_apt_config_push(struct kp_apt_config *config, enum kp_apt_item_kind kind,
                       const char *name, const char *value);
/* Free the items; the list is empty again. */
void kp_apt_config_free(struct kp_apt_config *config);
/*
 * Append the items that point apt at the system at root (absolute; NULL,
 * "" or "/" for this one, which needs none). Returns 0 or -ENOMEM.
 */
int kp_apt_config_root(struct kp_apt_config *config, const char *root);
/*
 * Append the guard: the items that keep `apt-get remove` to what it is
 * given (no autoremove). Returns 0 or -ENOMEM.
 */
int kp_apt_config_guard(struct kp_apt_config *config);
/*
 * What the purge's apt-get applies after its configuration files, in
 * order, into out (empty before; the caller frees it with
 * kp_apt_config_free()): the root's items, the user's (may be NULL), the
 * guard. Returns 0 or -ENOMEM (out is then empty).
 */
int kp_apt_config_for_purge(const char *root, const struct kp_apt_config *user,
                            struct kp_apt_config *out);
/*
 * Tell the context what the caller's apt-get is given besides the root's
 * items and the guard: the proof and the pre-flight then read apt's
 * configuration as that apt-get does. user is copied. Returns 0, -EBUSY
 * once apt was asked, or -ENOMEM.
 */
int kp_ctx_set_apt_config(struct kp_ctx *ctx, const struct kp_apt_config *user,
                          struct kp_error *err);

/* True once kp_plan_prove() succeeded on the plan. */
bool kp_plan_proved(const struct kp_plan *plan);

/*
 * Write the plan as one JSON document (format documented in
 * purge-old-kernels(8), "JSON OUTPUT"). Returns 0 or -EIO.
 */
int kp_plan_write_json(const struct kp_plan *plan, FILE *out,
                       struct kp_error *err);
/* Length of the valid UTF-8 character at s, or 0 (see plan-json.c). */
size_t kp_utf8_len(const char *s);

/* Keeping more newest versions than this never makes a difference. */
#define KP_KEEP_MAX 1000u

/*
 * The filesystem holding ROOT/boot: fills size and used (not freed) and
 * sets known. Returns 0 or a negative code.
 */
int kp_boot_usage(const char *root, struct kp_boot_space *out);

#ifdef __cplusplus
}
#endif

#endif /* KPURGE_H */
