/*
 * Test helper: random Debian and Ubuntu systems with kernels, as a model
 * the tests can reason about without libkpurge.
 *
 * A generated system is a list of packages, each known to the model as a
 * package of one kernel release (GEN_OWN), a flavour-less package of one
 * kernel ABI (GEN_SHARED), or anything else (GEN_OTHER: metapackages,
 * linux-libc-dev, firmware, tools that depend on a kernel ...). The model
 * is the generator's own record of what it made, never kp_name_parse()'s
 * reading, so a test can hold the library's plan against it.
 *
 * Everything follows from the seed: the same seed and parameters give the
 * same system, byte for byte.
 */
#ifndef TESTS_GEN_SYSTEM_H
#define TESTS_GEN_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A small, fast, seedable generator (splitmix64). */
struct gen_rng {
	uint64_t state;
};

void gen_rng_seed(struct gen_rng *rng, uint64_t seed);
uint64_t gen_rng_next(struct gen_rng *rng);
/* A number in [0, n); 0 when n is 0. */
unsigned gen_rng_below(struct gen_rng *rng, unsigned n);
/* True with the given chance in percent. */
bool gen_rng_chance(struct gen_rng *rng, unsigned percent);

enum gen_role {
	GEN_OTHER,  /* not a kernel package: must never be purged */
	GEN_OWN,    /* a package of one release */
	GEN_SHARED, /* a flavour-less package of one ABI */
};

enum gen_scheme {
	GEN_UBUNTU,    /* 5.15.0-91-generic, linux-hwe-6.8-headers-6.8.0-40 */
	GEN_MAINLINE,  /* 6.6.1-060601-generic, 6.7.0-060700rc1-generic */
	GEN_DEBIAN,    /* 6.1.0-18-amd64, linux-headers-6.1.0-18-common */
	GEN_BACKPORTS, /* 6.5.0-0.deb12.4-amd64, linux-kbuild-6.5.0-0.deb12.4 */
	GEN_TRIXIE,    /* 6.12.38+deb13-amd64 */
	GEN_RPI,       /* 6.1.0-rpi7-rpi-v8, 6.6.51+rpt-rpi-2712 */
	GEN_PROXMOX,   /* 6.8.12-4-pve: pve-kernel-R, proxmox-kernel-R-signed */
	GEN_CUSTOM,    /* make bindeb-pkg: 6.7.0-rc1+, 6.6.1-custom */
	GEN_N_SCHEMES
};

/*
 * What a package ships, for its dpkg file list (gen_file_list()): a few
 * representative files of each kind at the paths the distributions use,
 * not the whole contents.
 */
enum gen_files {
	GEN_FILES_DOC,     /* /usr/share/doc/NAME only: metapackages, others */
	GEN_FILES_VMLINUZ, /* /boot/vmlinuz-R: Ubuntu's and mainline images */
	GEN_FILES_IMAGE,   /* vmlinuz, System.map and config in /boot, and
	                       /lib/modules/R: Debian, Proxmox, bindeb-pkg */
	GEN_FILES_MODULES_BOOT, /* Ubuntu's linux-modules-R: System.map and
	                           config in /boot, /lib/modules/R */
	GEN_FILES_MODULES,      /* more modules in /lib/modules/R */
	GEN_FILES_HEADERS, /* /usr/src/linux-headers-R, /lib/modules/R/build */
	GEN_FILES_TOOLS,   /* /usr/lib/linux-tools/R/perf */
	GEN_FILES_CLOUD_TOOLS, /* /usr/lib/linux-tools/R/hv_kvp_daemon */
	GEN_FILES_LINUX_LIB, /* /usr/lib/linux/R/...: buildinfo, nvidia objects */
	GEN_FILES_DEBUG,     /* /usr/lib/debug/boot/vmlinux-R and modules */
	GEN_FILES_SRC,       /* /usr/src/NAME: flavour-less headers */
	GEN_FILES_LIB,       /* /usr/lib/NAME: flavour-less tools, kbuild */
	GEN_FILES_SHARE,     /* /usr/share/NAME: linux-support-A */
};

struct gen_pkg {
	char *name;
	char *version;
	char flags[4];  /* as struct sdb_pkg: 'h' hold, 'c' config-files,
	                   'b' half-configured */
	char *depends;  /* Depends field, or NULL */
	char *provides; /* Provides field, or NULL */
	enum gen_role role;
	int release; /* GEN_OWN: index into the system's releases, else -1 */
	char *abi;   /* GEN_OWN and GEN_SHARED: the ABI, else NULL */
	bool image;  /* a bootable kernel image */
	enum gen_files files; /* what its file list holds */
	bool dropped;         /* (generator's own: removed before the end) */
};

struct gen_release {
	char *name; /* as uname -r prints it */
	char *abi;
	char *flavour; /* "" when none */
	enum gen_scheme scheme;
	/*
	 * The order of the release among those of the same key class, worked
	 * out from the numbers the generator chose (not from the string):
	 * larger is newer, equal keys are the same version.
	 */
	int key_class;
	int key[6];
	/* For metapackages: the source package and the packages' version. */
	char *source;
	char *version;
	bool tricky; /* see gen_params.tricky */
};

struct gen_params {
	unsigned min_releases, max_releases; /* releases to try to make */
	unsigned max_other;   /* unrelated packages besides the usual */
	unsigned chance_hold; /* percent, per release */
	unsigned chance_meta; /* percent, per release, of its metapackages */
	unsigned chance_dependent; /* percent, per release, of a package outside
	                             the kernel that depends on it */
	unsigned chance_future;    /* percent, per release, of a package with
	                             an invented name (see future_names()) */
	bool consistent;           /* no Depends broken before any purge */
	/*
	 * Custom releases whose local version looks like a Debian package
	 * suffix ("6.6.1-dbg": linux-image-6.6.1-dbg also reads as 6.6.1's
	 * debug symbols). libkpurge tells them by the /boot/vmlinuz-R in
	 * the image's file list, by their other packages, or by --running
	 * and --protect; an image left alone in config-files state by the
	 * /lib/modules/R that is all its file list still holds. 0: none;
	 * any other value: such releases.
	 */
	unsigned tricky;
};

/* What gen_system_new() uses when params is NULL. */
extern const struct gen_params gen_params_default;

struct gen_system {
	uint64_t seed;
	struct gen_pkg *pkgs;
	size_t n_pkgs, cap_pkgs;
	struct gen_release *releases;
	size_t n_releases, cap_releases;
	/* Options to plan with, drawn from the same seed. */
	char *running; /* NULL: none */
	unsigned keep; /* 0 .. 5 */
	char **protect;
	size_t n_protect;
	/* (generator's own: a name -> package index hash) */
	long *index;
	size_t index_size;
};

struct gen_system *gen_system_new(uint64_t seed,
                                  const struct gen_params *params);
void gen_system_free(struct gen_system *sys);

/* The package named name, or NULL. */
const struct gen_pkg *gen_system_find(const struct gen_system *sys,
                                      const char *name);

/* An installed image of the release: the release can boot. */
bool gen_release_complete(const struct gen_system *sys, size_t r);

/*
 * The dpkg status file of the system, without the packages for which
 * omit[i] is true (omit may be NULL). Malloc'ed; the caller frees it.
 */
char *gen_status_text(const struct gen_system *sys, const bool *omit);

/*
 * The dpkg file list of package i (var/lib/dpkg/info/NAME.list) as dpkg
 * writes it: "/." and then every directory and file the package owns, one
 * absolute path a line, each directory before what it holds. A package in
 * config-files state keeps only what dpkg could not remove: the
 * directories depmod's files keep in /lib/modules/R. Malloc'ed; the
 * caller frees it.
 */
char *gen_file_list(const struct gen_system *sys, size_t i);

/* One readable line per package, for a failure report. */
void gen_system_dump(const struct gen_system *sys, const bool *omit,
                     void *file);

/* A scheme's name ("ubuntu", "debian" ...). */
const char *gen_scheme_name(enum gen_scheme scheme);

#endif
