/*
 * Test helper: random systems with kernels of every naming scheme (see
 * gen-system.h). Each scheme makes what its distribution ships for one
 * release, with the dependencies it declares, and the metapackages that
 * pull a release in; then the release is put in one of the states found
 * on real systems (complete, removed with configuration left, image
 * half-configured, leftovers without an image). Each package also says
 * what it ships, for the dpkg file list a real system has of it.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen-system.h"
#include "statusdb.h"

const struct gen_params gen_params_default = {
	.min_releases = 1,
	.max_releases = 8,
	.max_other = 6,
	.chance_hold = 6,
	.chance_meta = 35,
	.chance_dependent = 15,
	.chance_future = 20,
	.consistent = false,
};

/* ----------------------------------------------------------------- rng */

void
gen_rng_seed(struct gen_rng *rng, uint64_t seed)
{
	rng->state = seed;
}

uint64_t
gen_rng_next(struct gen_rng *rng)
{
	uint64_t z = (rng->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

unsigned
gen_rng_below(struct gen_rng *rng, unsigned n)
{
	return n == 0 ? 0 : (unsigned)(gen_rng_next(rng) % n);
}

bool
gen_rng_chance(struct gen_rng *rng, unsigned percent)
{
	return gen_rng_below(rng, 100) < percent;
}

/* Between lo and hi, both included. */
static int
between(struct gen_rng *rng, int lo, int hi)
{
	return lo + (int)gen_rng_below(rng, (unsigned)(hi - lo + 1));
}

#define PICK(rng, array)                                                       \
	((array)[gen_rng_below((rng), sizeof(array) / sizeof((array)[0]))])

/* ------------------------------------------------------------ strings */

static void *
xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (p == NULL)
		abort();
	return p;
}

static char *
xstrdup(const char *s)
{
	return s == NULL ? NULL : strcpy(xrealloc(NULL, strlen(s) + 1), s);
}

static char *fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *format, ...)
{
	va_list ap;
	char *s;

	va_start(ap, format);
	if (vasprintf(&s, format, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

/* --------------------------------------------------------- name index */

static size_t
hash(const char *s)
{
	size_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static long *
index_slot(const struct gen_system *sys, const char *name)
{
	size_t i = hash(name) & (sys->index_size - 1);

	while (sys->index[i] >= 0 &&
	       strcmp(sys->pkgs[sys->index[i]].name, name) != 0)
		i = (i + 1) & (sys->index_size - 1);
	return &sys->index[i];
}

static void
index_rebuild(struct gen_system *sys, size_t size)
{
	size_t i;

	free(sys->index);
	sys->index_size = size;
	sys->index = xrealloc(NULL, size * sizeof(*sys->index));
	for (i = 0; i < size; i++)
		sys->index[i] = -1;
	for (i = 0; i < sys->n_pkgs; i++)
		*index_slot(sys, sys->pkgs[i].name) = (long)i;
}

static long
find_index(const struct gen_system *sys, const char *name)
{
	return sys->index_size ? *index_slot(sys, name) : -1;
}

const struct gen_pkg *
gen_system_find(const struct gen_system *sys, const char *name)
{
	long i = find_index(sys, name);

	return i >= 0 ? &sys->pkgs[i] : NULL;
}

/* ------------------------------------------------------------ building */

struct build {
	struct gen_system *sys;
	struct gen_rng *rng;
	const struct gen_params *params;
	unsigned serial; /* for names of unrelated packages */
};

/*
 * Add a package; name and the strings are taken over. Returns its index,
 * or -1 (and frees them) when a package of that name exists already.
 */
static long
add(struct build *b, char *name, char *version, enum gen_role role, int release,
    const char *abi, char *depends, bool image)
{
	struct gen_system *sys = b->sys;
	struct gen_pkg *p;

	if (find_index(sys, name) >= 0) {
		free(name);
		free(version);
		free(depends);
		return -1;
	}
	if (sys->n_pkgs == sys->cap_pkgs) {
		sys->cap_pkgs = sys->cap_pkgs ? 2 * sys->cap_pkgs : 64;
		sys->pkgs = xrealloc(sys->pkgs,
		                     sys->cap_pkgs * sizeof(*sys->pkgs));
	}
	p = &sys->pkgs[sys->n_pkgs++];
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->version = version;
	p->role = role;
	p->release = role == GEN_OWN ? release : -1;
	p->abi = xstrdup(abi);
	p->depends = depends;
	p->image = image;
	if (2 * sys->n_pkgs >= sys->index_size)
		index_rebuild(sys, sys->index_size ? 2 * sys->index_size : 256);
	else
		*index_slot(sys, name) = (long)(sys->n_pkgs - 1);
	return (long)(sys->n_pkgs - 1);
}

/* A package outside every kernel family (kept if there is one already). */
static long
other(struct build *b, const char *name, const char *version, char *depends)
{
	long i = find_index(b->sys, name);

	if (i >= 0) {
		free(depends);
		return i;
	}
	return add(b, xstrdup(name), xstrdup(version), GEN_OTHER, -1, NULL,
	           depends, false);
}

/* The packages of the release being built. */
struct family {
	int release;
	const char *abi;
	const char *version;
};

/* A package of the release; files: what it ships. */
static long
own(struct build *b, const struct family *f, enum gen_files files, char *name,
    const char *version, char *depends)
{
	long i = add(b, name, xstrdup(version ? version : f->version), GEN_OWN,
	             f->release, f->abi, depends, false);

	if (i >= 0)
		b->sys->pkgs[i].files = files;
	return i;
}

static long
own_image(struct build *b, const struct family *f, enum gen_files files,
          char *name, const char *version, char *depends)
{
	long i = own(b, f, files, name, version, depends);

	if (i >= 0)
		b->sys->pkgs[i].image = true;
	return i;
}

static void
shared(struct build *b, const struct family *f, enum gen_files files,
       char *name, char *depends)
{
	long i = add(b, name, xstrdup(f->version), GEN_SHARED, -1, f->abi,
	             depends, false);

	if (i >= 0)
		b->sys->pkgs[i].files = files;
}

/* Register a release; -1 if one of that name exists. */
static int
add_release(struct build *b, char *name, char *abi, const char *flavour,
            enum gen_scheme scheme, int key_class, const int key[6],
            const char *source, char *version)
{
	struct gen_system *sys = b->sys;
	struct gen_release *r;
	size_t i;

	for (i = 0; i < sys->n_releases; i++)
		if (strcmp(sys->releases[i].name, name) == 0) {
			free(name);
			free(abi);
			free(version);
			return -1;
		}
	if (sys->n_releases == sys->cap_releases) {
		sys->cap_releases = sys->cap_releases ? 2 * sys->cap_releases :
		                                        16;
		sys->releases = xrealloc(sys->releases,
		                         sys->cap_releases *
		                                 sizeof(*sys->releases));
	}
	r = &sys->releases[sys->n_releases];
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->abi = abi;
	r->flavour = xstrdup(flavour);
	r->scheme = scheme;
	r->key_class = key_class;
	memcpy(r->key, key, sizeof(r->key));
	r->source = xstrdup(source);
	r->version = version;
	return (int)sys->n_releases++;
}

/* Key classes: releases of one class can be ordered by their keys. */
enum {
	CLASS_XYZN = 1, /* Ubuntu, Debian stable, Proxmox: X.Y.Z-N */
	CLASS_MAINLINE,
	CLASS_BACKPORTS,
	CLASS_TRIXIE,
	CLASS_RPI_N,
	CLASS_RPI_RPT,
	CLASS_CUSTOM,
};

/* ---------------------------------------------------------------- Ubuntu */

struct ubuntu_line {
	const char *source;
	const char *flavours[3];
	int x, y, n_min, n_max;
	const char *meta_suffix; /* linux-image-generic<suffix> */
};

static const struct ubuntu_line ubuntu_lines[] = {
	{ "linux",
	  { "generic", "lowlatency", "generic-64k" },
	  5,
	  15,
	  1,
	  250,
	  "" },
	{ "linux", { "generic", "lowlatency" }, 6, 8, 1, 120, "" },
	{ "linux", { "generic" }, 5, 4, 1, 220, "" },
	{ "linux-hwe-6.8",
	  { "generic", "generic-64k" },
	  6,
	  8,
	  1,
	  120,
	  "-hwe-22.04" },
	{ "linux-lowlatency-hwe-6.8",
	  { "lowlatency" },
	  6,
	  8,
	  1,
	  120,
	  "-hwe-22.04" },
	{ "linux-aws", { "aws" }, 6, 8, 1001, 1030, "" },
	{ "linux-azure", { "azure" }, 6, 5, 1001, 1030, "" },
	{ "linux-oem-6.1", { "oem" }, 6, 1, 1001, 1060, "-22.04" },
	{ "linux-raspi", { "raspi" }, 6, 8, 1001, 1020, "" },
	{ "linux-kvm", { "kvm" }, 5, 15, 1001, 1070, "" },
};

static const char *const nvidia_drivers[] = {
	"535", "535-server", "550-open", "535-server-open", "470",
};

/* "S-headers-A": the flavour-less packages are named after the source. */
static char *
source_pkg(const char *source, const char *what, const char *abi)
{
	return fmt("%s-%s-%s", source, what, abi);
}

static void
gen_ubuntu(struct build *b)
{
	const struct ubuntu_line *l = &PICK(b->rng, ubuntu_lines);
	const char *fl;
	int n, m, key[6] = { 0 }, r, nfl = 0;
	char *abi, *rel, *v, *img = NULL, *uimg = NULL, *mods = NULL, *hdr;
	long i;

	while (nfl < 3 && l->flavours[nfl])
		nfl++;
	fl = l->flavours[gen_rng_below(b->rng, (unsigned)nfl)];
	n = between(b->rng, l->n_min, l->n_max);
	m = n % 1000 + between(b->rng, 0, 9);
	abi = fmt("%d.%d.0-%d", l->x, l->y, n);
	key[0] = l->x, key[1] = l->y, key[3] = n;
	r = add_release(b, fmt("%s-%s", abi, fl), abi, fl, GEN_UBUNTU,
	                CLASS_XYZN, key, l->source, fmt("%s.%d", abi, m));
	if (r < 0)
		return;
	rel = b->sys->releases[r].name;
	v = b->sys->releases[r].version;
	struct family f = { r, b->sys->releases[r].abi, v };

	if (gen_rng_chance(b->rng, 90)) {
		mods = fmt("linux-modules-%s", rel);
		own(b, &f, GEN_FILES_MODULES_BOOT, xstrdup(mods), NULL, NULL);
	}
	i = gen_rng_below(b->rng, 100);
	if (i < 65 || i >= 85)
		img = fmt("linux-image-%s", rel);
	if (i >= 65)
		uimg = fmt("linux-image-unsigned-%s", rel);
	if (img)
		own_image(b, &f, GEN_FILES_VMLINUZ, xstrdup(img), NULL,
		          mods ? fmt("linux-base (>= 4.5ubuntu1~16.04.1), %s",
		                     mods) :
		                 NULL);
	if (uimg)
		own_image(b, &f, GEN_FILES_VMLINUZ, xstrdup(uimg), NULL,
		          mods ? fmt("linux-base (>= 4.5ubuntu1~16.04.1), %s",
		                     mods) :
		                 NULL);
	if (img && gen_rng_chance(b->rng, 3))
		own_image(b, &f, GEN_FILES_VMLINUZ,
		          fmt("linux-signed-image-%s", rel), NULL,
		          fmt("%s (= %s)", img, v));
	if (img && gen_rng_chance(b->rng, 3))
		own(b, &f, GEN_FILES_MODULES, fmt("linux-image-extra-%s", rel),
		    NULL, fmt("%s", img));
	if (mods && gen_rng_chance(b->rng, 50))
		own(b, &f, GEN_FILES_MODULES,
		    fmt("linux-modules-extra-%s", rel), NULL,
		    fmt("linux-image-%s | linux-image-unsigned-%s, %s", rel,
		        rel, mods));
	if (gen_rng_chance(b->rng, 60)) {
		hdr = strcmp(l->source, "linux") == 0 ?
		              fmt("linux-headers-%s", abi) :
		              source_pkg(l->source, "headers", abi);
		own(b, &f, GEN_FILES_HEADERS, fmt("linux-headers-%s", rel),
		    NULL, xstrdup(hdr));
		shared(b, &f, GEN_FILES_SRC, hdr, NULL);
	}
	if (gen_rng_chance(b->rng, 25)) {
		hdr = strcmp(l->source, "linux") == 0 ?
		              fmt("linux-tools-%s", abi) :
		              source_pkg(l->source, "tools", abi);
		own(b, &f, GEN_FILES_TOOLS, fmt("linux-tools-%s", rel), NULL,
		    xstrdup(hdr));
		other(b, "linux-tools-common", v, NULL);
		shared(b, &f, GEN_FILES_LIB, hdr,
		       xstrdup("linux-tools-common"));
	}
	if (gen_rng_chance(b->rng, 8)) {
		hdr = strcmp(l->source, "linux") == 0 ?
		              fmt("linux-cloud-tools-%s", abi) :
		              source_pkg(l->source, "cloud-tools", abi);
		own(b, &f, GEN_FILES_CLOUD_TOOLS,
		    fmt("linux-cloud-tools-%s", rel), NULL, xstrdup(hdr));
		other(b, "linux-cloud-tools-common", v, NULL);
		shared(b, &f, GEN_FILES_LIB, hdr,
		       xstrdup("linux-cloud-tools-common"));
	}
	if (gen_rng_chance(b->rng, 5))
		own(b, &f, GEN_FILES_LINUX_LIB, fmt("linux-buildinfo-%s", rel),
		    NULL, NULL);
	if (gen_rng_chance(b->rng, 3))
		own(b, &f, GEN_FILES_LINUX_LIB, fmt("linux-lib-rust-%s", rel),
		    NULL, NULL);
	if (gen_rng_chance(b->rng, 10)) {
		const char *d = PICK(b->rng, nvidia_drivers);

		own(b, &f, GEN_FILES_LINUX_LIB,
		    fmt("linux-objects-nvidia-%s-%s", d, rel), NULL, NULL);
		own(b, &f, GEN_FILES_LINUX_LIB,
		    fmt("linux-signatures-nvidia-%s", rel), NULL, NULL);
		own(b, &f, GEN_FILES_MODULES,
		    fmt("linux-modules-nvidia-%s-%s", d, rel), NULL,
		    fmt("linux-image-%s | linux-image-unsigned-%s, "
		        "linux-signatures-nvidia-%s (= %s), "
		        "linux-objects-nvidia-%s-%s (= %s)",
		        rel, rel, rel, v, d, rel, v));
	}
	if (gen_rng_chance(b->rng, 4))
		own(b, &f, GEN_FILES_MODULES,
		    fmt("linux-modules-%s-%s",
		        PICK(b->rng, ((const char *[]){ "iwlwifi", "ipu6",
		                                        "ivsc", "usbio" })),
		        rel),
		    NULL,
		    fmt("linux-image-%s | linux-image-unsigned-%s", rel, rel));
	if (gen_rng_chance(b->rng, 5))
		own(b, &f, GEN_FILES_DEBUG,
		    fmt("linux-image-%s%s-dbgsym", uimg ? "unsigned-" : "",
		        rel),
		    NULL, NULL);
	free(img);
	free(uimg);
	free(mods);
}

/* -------------------------------------------------------------- mainline */

static void
gen_mainline(struct build *b)
{
	static const int series[][2] = {
		{ 5, 19 }, { 6, 6 }, { 6, 7 }, { 6, 9 }, { 6, 10 }
	};
	const int *xy = PICK(b->rng, series);
	const char *fl = gen_rng_chance(b->rng, 75) ? "generic" : "lowlatency";
	bool rc = gen_rng_chance(b->rng, 25);
	int z = rc ? 0 : between(b->rng, 0, 30),
	    n = rc ? between(b->rng, 1, 8) : 1000;
	int key[6] = { xy[0], xy[1], z, n };
	char *abi, *rel, *mods;
	int r;

	abi = rc ? fmt("%d.%d.%d-%02d%02d%02drc%d", xy[0], xy[1], z, xy[0],
	               xy[1], z, n) :
	           fmt("%d.%d.%d-%02d%02d%02d", xy[0], xy[1], z, xy[0], xy[1],
	               z);
	r = add_release(b, fmt("%s-%s", abi, fl), abi, fl, GEN_MAINLINE,
	                CLASS_MAINLINE, key, "linux-upstream",
	                fmt("%s.%04d%02d%02d%02d%02d", abi, 2024,
	                    between(b->rng, 1, 12), between(b->rng, 1, 28),
	                    between(b->rng, 0, 23), between(b->rng, 0, 59)));
	if (r < 0)
		return;
	rel = b->sys->releases[r].name;
	struct family f = { r, b->sys->releases[r].abi,
		            b->sys->releases[r].version };

	mods = fmt("linux-modules-%s", rel);
	own(b, &f, GEN_FILES_MODULES_BOOT, xstrdup(mods), NULL, NULL);
	own_image(b, &f, GEN_FILES_VMLINUZ, fmt("linux-image-unsigned-%s", rel),
	          NULL, mods);
	if (gen_rng_chance(b->rng, 60)) {
		own(b, &f, GEN_FILES_HEADERS, fmt("linux-headers-%s", rel),
		    NULL, fmt("linux-headers-%s", abi));
		shared(b, &f, GEN_FILES_SRC, fmt("linux-headers-%s", abi),
		       NULL);
	}
}

/* ---------------------------------------------------------------- Debian */

static const char *
debian_flavour(struct build *b)
{
	unsigned i = gen_rng_below(b->rng, 100);

	return i < 70 ? "amd64" : i < 85 ? "cloud-amd64" : "rt-amd64";
}

/*
 * One Debian release: the image (signed, or -unsigned), headers that
 * depend on the ABI's -common headers and on kbuild, -dbg, linux-support.
 * kbuild_shared: backports and trixie version kbuild per ABI.
 */
static void
debian_family(struct build *b, int r, const char *signed_version,
              bool kbuild_shared, const char *series)
{
	struct gen_release *rl = &b->sys->releases[r];
	const char *rel = rl->name, *abi = rl->abi, *v = rl->version;
	bool rt = strncmp(rl->flavour, "rt-", 3) == 0;
	struct family f = { r, abi, v };
	char *kbuild;

	other(b, "linux-base", "4.9", NULL);
	other(b, "kmod", "30+20221128-1", NULL);
	if (gen_rng_chance(b->rng, 70))
		own_image(b, &f, GEN_FILES_IMAGE, fmt("linux-image-%s", rel),
		          signed_version,
		          xstrdup("kmod, linux-base (>= 4.3~)"));
	else
		own_image(b, &f, GEN_FILES_IMAGE,
		          fmt("linux-image-%s-unsigned", rel), NULL,
		          xstrdup("kmod, linux-base (>= 4.3~)"));
	if (gen_rng_chance(b->rng, 50)) {
		kbuild = kbuild_shared ? fmt("linux-kbuild-%s", abi) :
		                         fmt("linux-kbuild-%s", series);
		if (kbuild_shared)
			shared(b, &f, GEN_FILES_LIB, xstrdup(kbuild), NULL);
		else {
			char *kv = fmt("%s.1-1", series);

			other(b, kbuild, kv, NULL);
			free(kv);
		}
		other(b, "linux-compiler-gcc-12-x86", "12.2.0-14", NULL);
		shared(b, &f, GEN_FILES_SRC,
		       fmt("linux-headers-%s-common%s", abi, rt ? "-rt" : ""),
		       NULL);
		own(b, &f, GEN_FILES_HEADERS, fmt("linux-headers-%s", rel),
		    NULL,
		    fmt("linux-headers-%s-common%s (= %s), %s (>= %s), "
		        "linux-compiler-gcc-12-x86",
		        abi, rt ? "-rt" : "", v, kbuild, series));
		free(kbuild);
	}
	if (gen_rng_chance(b->rng, 5))
		own(b, &f, GEN_FILES_DEBUG, fmt("linux-image-%s-dbg", rel),
		    NULL, NULL);
	if (gen_rng_chance(b->rng, 5))
		shared(b, &f, GEN_FILES_SHARE, fmt("linux-support-%s", abi),
		       NULL);
}

static void
gen_debian(struct build *b)
{
	static const int series[][2] = { { 5, 10 }, { 6, 1 } };
	const int *xy = PICK(b->rng, series);
	const char *fl = debian_flavour(b);
	int n = between(b->rng, 1, 40), p = n * 4 + between(b->rng, 0, 3);
	int key[6] = { xy[0], xy[1], 0, n };
	char *abi = fmt("%d.%d.0-%d", xy[0], xy[1], n), *series_s, *sv;
	int r;

	r = add_release(b, fmt("%s-%s", abi, fl), abi, fl, GEN_DEBIAN,
	                CLASS_XYZN, key, "linux",
	                fmt("%d.%d.%d-1", xy[0], xy[1], p));
	if (r < 0)
		return;
	series_s = fmt("%d.%d", xy[0], xy[1]);
	sv = fmt("%d.%d.%d+1", xy[0], xy[1], p);
	debian_family(b, r, sv, false, series_s);
	free(series_s);
	free(sv);
}

static void
gen_backports(struct build *b)
{
	static const int series[][3] = { { 6, 1, 11 },
		                         { 6, 5, 12 },
		                         { 6, 6, 12 },
		                         { 6, 10, 12 },
		                         { 6, 12, 12 } };
	const int *s = PICK(b->rng, series);
	const char *fl = debian_flavour(b);
	int m = between(b->rng, 1, 20), p = m * 3 + between(b->rng, 0, 2);
	int key[6] = { s[0], s[1], s[2], m };
	char *abi = fmt("%d.%d.0-0.deb%d.%d", s[0], s[1], s[2], m), *series_s;
	int r;

	r = add_release(b, fmt("%s-%s", abi, fl), abi, fl, GEN_BACKPORTS,
	                CLASS_BACKPORTS, key, "linux",
	                fmt("%d.%d.%d-1~bpo%d+1", s[0], s[1], p, s[2]));
	if (r < 0)
		return;
	series_s = fmt("%d.%d", s[0], s[1]);
	debian_family(b, r, NULL, true, series_s);
	free(series_s);
}

static void
gen_trixie(struct build *b)
{
	const char *fl = debian_flavour(b);
	int z = between(b->rng, 1, 60),
	    nn = gen_rng_chance(b->rng, 85) ? 13 : 14;
	int key[6] = { 6, 12, z, nn };
	char *abi = fmt("6.12.%d+deb%d", z, nn);
	int r;

	r = add_release(b, fmt("%s-%s", abi, fl), abi, fl, GEN_TRIXIE,
	                CLASS_TRIXIE, key, "linux", fmt("6.12.%d-1", z));
	if (r < 0)
		return;
	debian_family(b, r, NULL, true, "6.12");
}

/* ---------------------------------------------------------- Raspberry Pi */

static void
gen_rpi(struct build *b)
{
	static const char *const flavours[] = { "rpi-v8", "rpi-2712", "rpi-v7l",
		                                "rpi-v7", "rpi-v6" };
	const char *fl = PICK(b->rng, flavours);
	bool rpt = gen_rng_chance(b->rng, 50);
	int z = between(b->rng, 20, 80), n = between(b->rng, 1, 9);
	int key[6] = { 6, rpt ? 6 : 1, rpt ? z : n };
	char *abi = rpt ? fmt("6.6.%d+rpt", z) : fmt("6.1.0-rpi%d", n);
	const char *rel, *v;
	int r;

	r = add_release(b, fmt("%s-%s", abi, fl), abi, fl, GEN_RPI,
	                rpt ? CLASS_RPI_RPT : CLASS_RPI_N, key, "linux",
	                rpt ? fmt("1:6.6.%d-1+rpt1", z) :
	                      fmt("1:6.1.%d-1+rpt%d", 50 + n * 3, n));
	if (r < 0)
		return;
	rel = b->sys->releases[r].name;
	v = b->sys->releases[r].version;
	struct family f = { r, b->sys->releases[r].abi, v };

	own_image(b, &f, GEN_FILES_IMAGE, fmt("linux-image-%s", rel), NULL,
	          xstrdup("kmod"));
	other(b, "kmod", "30+20221128-1", NULL);
	if (gen_rng_chance(b->rng, 60)) {
		shared(b, &f, GEN_FILES_SRC,
		       fmt("linux-headers-%s-common-rpi", abi), NULL);
		shared(b, &f, GEN_FILES_LIB, fmt("linux-kbuild-%s", abi), NULL);
		own(b, &f, GEN_FILES_HEADERS, fmt("linux-headers-%s", rel),
		    NULL,
		    fmt("linux-headers-%s-common-rpi (= %s), linux-kbuild-%s (= %s)",
		        abi, v, abi, v));
	}
}

/* -------------------------------------------------------------- Proxmox */

static void
gen_proxmox(struct build *b)
{
	static const int series[][3] = { { 6, 2, 16 },
		                         { 6, 5, 13 },
		                         { 6, 8, 0 } };
	const int *s = PICK(b->rng, series);
	int z = s[2] ? s[2] : between(b->rng, 4, 12),
	    n = between(b->rng, 1, 12);
	int key[6] = { s[0], s[1], z, n };
	bool old = s[1] == 2;
	char *abi = fmt("%d.%d.%d-%d", s[0], s[1], z, n);
	const char *rel;
	int r;

	r = add_release(b, fmt("%s-pve", abi), abi, "pve", GEN_PROXMOX,
	                CLASS_XYZN, key, old ? "pve-kernel" : "proxmox-kernel",
	                fmt("%d.%d.%d-%d", s[0], s[1], z, n));
	if (r < 0)
		return;
	rel = b->sys->releases[r].name;
	struct family f = { r, b->sys->releases[r].abi,
		            b->sys->releases[r].version };

	if (old) {
		own_image(b, &f, GEN_FILES_IMAGE, fmt("pve-kernel-%s", rel),
		          NULL, NULL);
		if (gen_rng_chance(b->rng, 40))
			own(b, &f, GEN_FILES_HEADERS,
			    fmt("pve-headers-%s", rel), NULL, NULL);
		return;
	}
	if (gen_rng_chance(b->rng, 80))
		own_image(b, &f, GEN_FILES_IMAGE,
		          fmt("proxmox-kernel-%s-signed", rel), NULL, NULL);
	else
		own_image(b, &f, GEN_FILES_IMAGE, fmt("proxmox-kernel-%s", rel),
		          NULL, NULL);
	if (gen_rng_chance(b->rng, 40))
		own(b, &f, GEN_FILES_HEADERS, fmt("proxmox-headers-%s", rel),
		    NULL, NULL);
}

/* --------------------------------------------------------------- custom */

static void
gen_custom(struct build *b)
{
	static const char *const flavours[] = { "custom", "local",  "myhost",
		                                "rt",     "common", "debug1",
		                                "x1",     "rc",     "rpi",
		                                "all2",   "v8+" };
	/* Local versions that end like Debian's suffixed package names. */
	static const char *const tricky[] = { "dbg", "unsigned", "dbgsym" };
	int y = between(b->rng, 6, 8), z = between(b->rng, 0, 9);
	int form = (int)gen_rng_below(b->rng, 6), rcn = between(b->rng, 1, 8);
	bool rc = form == 2 || form == 3 || form == 5;
	bool plus = form == 1 || form == 3;
	const char *fl = form == 4 ? PICK(b->rng, flavours) :
	                 form == 5 ? "custom" :
	                             "";
	bool misread = form == 4 && b->params->tricky &&
	               gen_rng_chance(b->rng, 30);

	if (misread)
		fl = PICK(b->rng, tricky);
	int key[6] = { 6, y, rc ? 0 : z, rc ? rcn : 1000, plus };
	char *abi, *name;
	const char *rel;
	int r;

	if (rc)
		abi = fmt("6.%d.0-rc%d%s", y, rcn, plus ? "+" : "");
	else
		abi = fmt("6.%d.%d%s", y, z, plus ? "+" : "");
	name = *fl ? fmt("%s-%s", abi, fl) : xstrdup(abi);
	r = add_release(b, name, abi, fl, GEN_CUSTOM, CLASS_CUSTOM, key,
	                "linux-upstream",
	                fmt("%s-%d", abi, between(b->rng, 1, 9)));
	if (r < 0)
		return;
	rel = b->sys->releases[r].name;
	b->sys->releases[r].tricky = misread;
	struct family f = { r, b->sys->releases[r].abi,
		            b->sys->releases[r].version };

	own_image(b, &f, GEN_FILES_IMAGE, fmt("linux-image-%s", rel), NULL,
	          NULL);
	if (gen_rng_chance(b->rng, 70))
		own(b, &f, GEN_FILES_HEADERS, fmt("linux-headers-%s", rel),
		    NULL, NULL);
	if (gen_rng_chance(b->rng, 10))
		own(b, &f, GEN_FILES_DEBUG, fmt("linux-image-%s-dbg", rel),
		    NULL, NULL);
	if (gen_rng_chance(b->rng, 30))
		other(b, "linux-libc-dev", f.version, NULL);
}

/* --------------------------------------------------------------- states */

/* Does the Depends field deps name pkg (as a whole word)? */
static bool
depends_on(const char *deps, const char *pkg)
{
	size_t n = strlen(pkg);
	const char *at;

	for (at = deps; deps && (at = strstr(at, pkg)) != NULL; at += n) {
		bool start = at == deps || at[-1] == ' ' || at[-1] == ',' ||
		             at[-1] == '|';
		char end = at[n];

		if (start && (end == '\0' || end == ' ' || end == ',' ||
		              end == '|' || end == ':'))
			return true;
	}
	return false;
}

/* Is the package at i needed by a present, not config-files package? */
static bool
depended_on(const struct gen_system *sys, size_t i)
{
	size_t j;

	for (j = 0; j < sys->n_pkgs; j++) {
		const struct gen_pkg *q = &sys->pkgs[j];

		if (j != i && !q->dropped && !strchr(q->flags, 'c') &&
		    depends_on(q->depends, sys->pkgs[i].name))
			return true;
	}
	return false;
}

static void
add_flag(struct gen_pkg *p, char flag)
{
	size_t n = strlen(p->flags);

	if (!strchr(p->flags, flag) && n + 1 < sizeof(p->flags)) {
		p->flags[n] = flag;
		p->flags[n + 1] = '\0';
	}
}

/*
 * apt-get purge of the release's packages: what is flavour-less of its ABI
 * stays (apt would only autoremove it). A custom release without a flavour
 * keeps its headers, which are flavour-less then: linux-headers-6.7.0-rc1+
 * without an image of 6.7.0-rc1+ is the headers of the ABI 6.7.0-rc1+.
 */
static void
purge_keeping_shared(struct gen_system *sys, struct gen_pkg *p)
{
	const struct gen_release *rl = &sys->releases[p->release];

	if (rl->scheme == GEN_CUSTOM && rl->flavour[0] == '\0' &&
	    p->files == GEN_FILES_HEADERS) {
		p->role = GEN_SHARED;
		p->release = -1;
		return;
	}
	p->dropped = true;
}

/*
 * Put the packages of release r (indexes first..last) in one of the states
 * a release is found in: complete, removed with configuration left,
 * half-configured image, leftovers without an image, a few leftovers in
 * config-files state, purged but for what is flavour-less of its ABI.
 */
static void
release_state(struct build *b, size_t first, size_t last)
{
	struct gen_system *sys = b->sys;
	unsigned roll = gen_rng_below(b->rng, 100);
	size_t i;

	for (i = first; i < last; i++) {
		struct gen_pkg *p = &sys->pkgs[i];

		if (p->role != GEN_OWN)
			continue;
		if (roll < 60) {
			/* complete */
		} else if (roll < 70) {
			add_flag(p, 'c');
			p->dropped = gen_rng_chance(b->rng, 25) && !p->image;
		} else if (roll < 76) {
			if (p->image)
				add_flag(p, 'b');
		} else if (roll < 86) {
			/* An image-less custom release would read as flavour-less. */
			if (p->image &&
			    sys->releases[p->release].flavour[0] == '\0')
				add_flag(p, 'c');
			else if (p->image)
				p->dropped = true;
		} else if (roll < 96) {
			if (!p->image && gen_rng_chance(b->rng, 25) &&
			    !depended_on(sys, i))
				add_flag(p, 'c');
		} else if (roll < 99) {
			purge_keeping_shared(sys, p);
		}
	}
	/* Without the image, what needs it goes too (apt would take it). */
	if (roll >= 76 && roll < 86)
		for (i = first; i < last; i++) {
			size_t j;

			for (j = first; j < last; j++)
				if (sys->pkgs[j].dropped &&
				    sys->pkgs[j].image &&
				    depends_on(sys->pkgs[i].depends,
				               sys->pkgs[j].name))
					sys->pkgs[i].dropped = true;
		}
	if (gen_rng_chance(b->rng, b->params->chance_hold) && last > first) {
		i = first + gen_rng_below(b->rng, (unsigned)(last - first));
		if (sys->pkgs[i].role == GEN_OWN && !sys->pkgs[i].dropped)
			add_flag(&sys->pkgs[i], 'h');
	}
}

static void
compact(struct gen_system *sys)
{
	size_t i, k = 0;

	for (i = 0; i < sys->n_pkgs; i++) {
		struct gen_pkg *p = &sys->pkgs[i];

		if (!p->dropped) {
			sys->pkgs[k++] = *p;
			continue;
		}
		free(p->name);
		free(p->version);
		free(p->depends);
		free(p->provides);
		free(p->abi);
	}
	sys->n_pkgs = k;
	index_rebuild(sys, sys->index_size);
}

/* Flavour-less packages: some left in config-files state, when unneeded. */
static void
shared_states(struct build *b)
{
	size_t i;

	for (i = 0; i < b->sys->n_pkgs; i++) {
		struct gen_pkg *p = &b->sys->pkgs[i];

		if (p->role != GEN_SHARED)
			continue;
		if (gen_rng_chance(b->rng, 15) && !depended_on(b->sys, i))
			add_flag(p, 'c');
		if (gen_rng_chance(b->rng, 3))
			add_flag(p, 'h');
	}
}

/* ------------------------------------------------- packages that depend */

static bool
usable(const struct build *b, const struct gen_pkg *p)
{
	if (p == NULL || p->dropped)
		return false;
	/* A dependency on a removed package breaks the system before we start. */
	return !strchr(p->flags, 'c') ||
	       (!b->params->consistent && gen_rng_chance(b->rng, 10));
}

static const struct gen_pkg *
find(const struct build *b, const char *name)
{
	return gen_system_find(b->sys, name);
}

/* The installed image of release r apt-get would see, or NULL. */
static const struct gen_pkg *
image_of(const struct build *b, size_t r)
{
	size_t i;

	for (i = 0; i < b->sys->n_pkgs; i++) {
		const struct gen_pkg *p = &b->sys->pkgs[i];

		if (p->image && p->release == (int)r && usable(b, p))
			return p;
	}
	return NULL;
}

/* A present package of release r with a name starting with prefix. */
static const struct gen_pkg *
pkg_of(const struct build *b, size_t r, const char *prefix)
{
	size_t i, n = strlen(prefix);

	for (i = 0; i < b->sys->n_pkgs; i++) {
		const struct gen_pkg *p = &b->sys->pkgs[i];

		if (p->release == (int)r && strncmp(p->name, prefix, n) == 0 &&
		    usable(b, p))
			return p;
	}
	return NULL;
}

/* Ubuntu-style metapackages: linux-image-FLAVOUR, linux-FLAVOUR ... */
static void
metas_ubuntu(struct build *b, size_t r)
{
	const struct gen_release *rl = &b->sys->releases[r];
	const struct ubuntu_line *line = NULL;
	const struct gen_pkg *img = image_of(b, r), *hdr, *nv;
	char *mv, *name, *deps, *hname;
	size_t i;

	for (i = 0; i < sizeof(ubuntu_lines) / sizeof(ubuntu_lines[0]); i++)
		if (strcmp(ubuntu_lines[i].source, rl->source) == 0)
			line = &ubuntu_lines[i];
	if (img == NULL || line == NULL)
		return;
	mv = fmt("%s", rl->version);
	for (char *c = mv; *c; c++)
		if (*c == '-')
			*c = '.';
	name = fmt("linux-image-%s%s", rl->flavour, line->meta_suffix);
	if (find(b, name)) {
		free(name);
		free(mv);
		return;
	}
	other(b, name, mv, fmt("%s", img->name));
	hname = fmt("linux-headers-%s", rl->name);
	hdr = find(b, hname);
	deps = fmt("%s (= %s)", name, mv);
	if (usable(b, hdr)) {
		char *hm = fmt("linux-headers-%s%s", rl->flavour,
		               line->meta_suffix);

		other(b, hm, mv, fmt("%s", hdr->name));
		free(deps);
		deps = fmt("%s (= %s), %s (= %s)", name, mv, hm, mv);
		free(hm);
	}
	free(hname);
	free(name);
	name = fmt("linux-%s%s", rl->flavour, line->meta_suffix);
	other(b, name, mv, deps);
	free(name);
	nv = pkg_of(b, r, "linux-modules-nvidia-");
	if (nv != NULL) {
		/* linux-modules-nvidia-535-server-generic: the driver, then the flavour. */
		size_t dl = strlen(nv->name) - strlen(rl->name) -
		            strlen("linux-modules-nvidia--");
		name = fmt("linux-modules-nvidia-%.*s-%s%s", (int)dl,
		           nv->name + strlen("linux-modules-nvidia-"),
		           rl->flavour, line->meta_suffix);
		other(b, name, mv, fmt("%s", nv->name));
		free(name);
	}
	free(mv);
}

/* Debian and Raspberry Pi: linux-image-FLAVOUR, linux-headers-FLAVOUR. */
static void
metas_debian(struct build *b, size_t r)
{
	const struct gen_release *rl = &b->sys->releases[r];
	const struct gen_pkg *img = image_of(b, r), *hdr;
	char *name, *hname;

	if (img == NULL)
		return;
	name = fmt("linux-image-%s", rl->flavour);
	other(b, name, rl->version, fmt("%s (= %s)", img->name, img->version));
	free(name);
	hname = fmt("linux-headers-%s", rl->name);
	hdr = find(b, hname);
	free(hname);
	if (!usable(b, hdr))
		return;
	name = fmt("linux-headers-%s", rl->flavour);
	other(b, name, rl->version, fmt("%s (= %s)", hdr->name, hdr->version));
	free(name);
	if (rl->scheme != GEN_RPI && gen_rng_chance(b->rng, 30)) {
		/* linux-headers-A-all-FLAVOUR: a metapackage too. */
		name = fmt("linux-headers-%s-all-%s", rl->abi, rl->flavour);
		other(b, name, rl->version,
		      fmt("%s (= %s)", hdr->name, hdr->version));
		free(name);
	}
}

static void
metas_proxmox(struct build *b, size_t r)
{
	const struct gen_release *rl = &b->sys->releases[r];
	const struct gen_pkg *img = image_of(b, r);
	char *series, *name;

	if (img == NULL)
		return;
	series = fmt("%d.%d", rl->key[0], rl->key[1]);
	if (strcmp(rl->source, "pve-kernel") == 0) {
		name = fmt("pve-kernel-%s", series);
		other(b, name, rl->version, fmt("%s", img->name));
	} else {
		name = fmt("proxmox-kernel-%s", series);
		other(b, name, rl->version,
		      fmt("proxmox-kernel-%s-signed | "
		          "proxmox-kernel-%s",
		          rl->name, rl->name));
		other(b, "proxmox-default-kernel", "1.1.0", fmt("%s", name));
	}
	free(name);
	free(series);
}

static void
metapackages(struct build *b, size_t r)
{
	switch (b->sys->releases[r].scheme) {
	case GEN_UBUNTU:
		metas_ubuntu(b, r);
		break;
	case GEN_DEBIAN:
	case GEN_BACKPORTS:
	case GEN_TRIXIE:
	case GEN_RPI:
		metas_debian(b, r);
		break;
	case GEN_PROXMOX:
		metas_proxmox(b, r);
		break;
	default:
		break;
	}
}

/* A random present package of release r (any kind), or NULL. */
static struct gen_pkg *
any_pkg_of(struct build *b, size_t r)
{
	size_t i, n = 0, k;

	for (i = 0; i < b->sys->n_pkgs; i++)
		n += b->sys->pkgs[i].release == (int)r &&
		     usable(b, &b->sys->pkgs[i]);
	if (n == 0)
		return NULL;
	k = gen_rng_below(b->rng, (unsigned)n);
	for (i = 0; i < b->sys->n_pkgs; i++)
		if (b->sys->pkgs[i].release == (int)r &&
		    usable(b, &b->sys->pkgs[i]) && k-- == 0)
			return &b->sys->pkgs[i];
	return NULL;
}

/*
 * Something outside the kernel that depends on release r: a DKMS module
 * on its headers, a tool on one of two images, a package on a virtual
 * package one of its packages provides, a pin on an exact version.
 */
static void
dependent(struct build *b, size_t r)
{
	struct gen_system *sys = b->sys;
	const struct gen_pkg *p, *q;
	struct gen_pkg *prov;
	unsigned serial = ++b->serial;
	char name[64], *hname;

	switch (gen_rng_below(b->rng, 5)) {
	case 4:
		/* A package that needs the flavour-less headers of the ABI. */
		for (size_t i = 0; i < sys->n_pkgs; i++) {
			p = &sys->pkgs[i];
			if (p->role == GEN_SHARED && usable(b, p) &&
			    strcmp(p->abi, sys->releases[r].abi) == 0) {
				snprintf(name, sizeof(name), "vendor%u-build",
				         serial);
				other(b, name, "1.0-1", fmt("%s", p->name));
				break;
			}
		}
		break;
	case 0:
		hname = fmt("linux-headers-%s", sys->releases[r].name);
		p = find(b, hname);
		free(hname);
		if (!usable(b, p))
			return;
		snprintf(name, sizeof(name), "vendor%u-dkms", serial);
		other(b, name, "1.0-1", fmt("%s", p->name));
		break;
	case 1:
		p = image_of(b, r);
		q = image_of(b,
		             gen_rng_below(b->rng, (unsigned)sys->n_releases));
		if (p == NULL || q == NULL)
			return;
		snprintf(name, sizeof(name), "tool%u", serial);
		other(b, name, "2.0-1", fmt("%s | %s", p->name, q->name));
		break;
	case 2:
		prov = any_pkg_of(b, r);
		if (prov == NULL || prov->provides != NULL)
			return;
		prov->provides = fmt("vendor-kernel-%u", serial);
		snprintf(name, sizeof(name), "vendor%u-tools", serial);
		other(b, name, "1.0-1", fmt("vendor-kernel-%u", serial));
		break;
	default:
		p = any_pkg_of(b, r);
		if (p == NULL)
			return;
		snprintf(name, sizeof(name), "pin%u", serial);
		other(b, name, "1.0-1",
		      fmt("%s (%s %s)", p->name,
		          gen_rng_chance(b->rng, 50) ? "=" : ">=", p->version));
		break;
	}
}

/* ------------------------------------------------ invented future names */

/*
 * Names no scheme has today, "linux-WORD-TAIL-R", as the kernels of
 * tomorrow may bring them: tied to release R by their files (modules in
 * /lib/modules/R), by a dependency on R's image, or by R's modules
 * depending on them; or by nothing (outside every release). And the
 * flavour-less "linux-WORD-TAIL-A" of an ABI, with its tree in /usr/src.
 */
static const char *const future_words[] = {
	"main",   "zfs", "npu",    "accel", "bundle", "rust",
	"camera", "vpu", "extras", "blobs", "ipu9",   "gpu",
};

static const char *const future_tails[] = {
	"modules", "objects", "lib", "bits", "drivers",
};

static char *
future_name(struct build *b, const char *release)
{
	return fmt("linux-%s-%s-%s", PICK(b->rng, future_words),
	           PICK(b->rng, future_tails), release);
}

/* Is a release named exactly name there (a custom release named like an ABI)? */
static bool
release_named(const struct gen_system *sys, const char *name)
{
	size_t i;

	for (i = 0; i < sys->n_releases; i++)
		if (strcmp(sys->releases[i].name, name) == 0)
			return true;
	return false;
}

/* linux-modules-R of release r, installed, or NULL. */
static struct gen_pkg *
installed_modules_of(struct build *b, size_t r)
{
	char *name = fmt("linux-modules-%s", b->sys->releases[r].name);
	long i = find_index(b->sys, name);
	struct gen_pkg *p = i >= 0 ? &b->sys->pkgs[i] : NULL;

	free(name);
	return p != NULL && !p->dropped && p->flags[0] == '\0' ? p : NULL;
}

static void
future_names(struct build *b, size_t r)
{
	const struct gen_release *rel = &b->sys->releases[r];
	const struct family f = { (int)r, rel->abi, "1.0-1" };
	const struct gen_pkg *img = image_of(b, r);
	struct gen_pkg *mods;
	char *name;
	long i;
	size_t k;

	/* Only beside packages of the release the naming schemes know. */
	for (k = 0; k < b->sys->n_pkgs; k++)
		if (b->sys->pkgs[k].release == (int)r &&
		    !b->sys->pkgs[k].dropped)
			break;
	if (k == b->sys->n_pkgs)
		return;
	name = future_name(b, rel->name);

	switch (gen_rng_below(b->rng, 5)) {
	case 0:
		own(b, &f, GEN_FILES_MODULES, name, NULL, NULL);
		break;
	case 1:
		if (img == NULL) {
			free(name);
			return;
		}
		own(b, &f, GEN_FILES_DOC, name, NULL, fmt("%s", img->name));
		break;
	case 2:
		mods = installed_modules_of(b, r);
		if (mods == NULL) {
			free(name);
			return;
		}
		i = own(b, &f, GEN_FILES_DOC, name, NULL, NULL);
		if (i < 0)
			return;
		/* own() may have moved the packages: find the modules again. */
		mods = installed_modules_of(b, r);
		name = mods->depends;
		mods->depends = name ? fmt("%s, %s", name,
		                           b->sys->pkgs[i].name) :
		                       fmt("%s", b->sys->pkgs[i].name);
		free(name);
		break;
	case 3:
		i = add(b, name, xstrdup("1.0-1"), GEN_OTHER, -1, NULL, NULL,
		        false);
		if (i >= 0)
			b->sys->pkgs[i].files = GEN_FILES_DOC;
		break;
	default:
		free(name);
		/* Flavour-less: only an ABI with a part after X.Y.Z, and no
		 * release of that very name. */
		if (rel->flavour[0] == '\0' ||
		    strcspn(rel->abi, "-+") == strlen(rel->abi) ||
		    release_named(b->sys, rel->abi))
			return;
		shared(b, &f, GEN_FILES_SRC, future_name(b, rel->abi), NULL);
		break;
	}
}

/* ------------------------------------------------------------ unrelated */

/* Names that look like kernels and are not; and the usual neighbours. */
static const char *const other_names[] = {
	"linux-libc-dev",
	"linux-firmware",
	"firmware-misc-nonfree",
	"firmware-linux-free",
	"linux-base",
	"linux-tools-common",
	"linux-cloud-tools-common",
	"linux-kbuild-6.1",
	"linux-kbuild-5.10",
	"linux-source-6.1",
	"linux-source-6.8.0",
	"linux-source",
	"linux-doc",
	"linux-doc-6.1",
	"linux-perf",
	"linux-sound-base",
	"linux-compiler-gcc-12-x86",
	"linux-tools-host",
	"linux-image-virtual",
	"linux-headers-virtual",
	"linux-virtual",
	"linux-image-amd64-signed-template",
	"linux-headers-generic-hwe-22.04-edge",
	"linux-image-generic-hwe-24.04-edge",
	"linux-oem-22.04d",
	"linux-image-oem-22.04d",
	"linux-hwe-6.8-tools-common",
	"linux-modules-nvidia-535-generic-hwe-22.04",
	"linux-image-cloud-amd64",
	"linux-headers-rt-amd64",
	"linux-image-rpi-2712",
	"proxmox-kernel-6.8",
	"proxmox-headers-6.8",
	"proxmox-default-kernel",
	"pve-firmware",
	"pve-kernel-helper",
	"proxmox-kernel-helper",
	"pve-kernel-6.2",
	"linux-headers-6.1.0-18-all",
	"linux-headers-6.1.0-18-all-amd64",
	"linux-kbuild-6.12",
	"linux-image-6.8-generic",
	"linux-tools-6.8",
	"linux-image-generic-6.8",
	"kmod",
	"dkms",
	"initramfs-tools",
	"grub-pc",
	"linux-image",
	"linux-headers",
	"linux-",
	"pve-",
	"proxmox-",
};

static void
unrelated(struct build *b)
{
	size_t i, n = sizeof(other_names) / sizeof(other_names[0]);
	unsigned k, extra = gen_rng_below(b->rng, b->params->max_other + 1);
	char name[64];

	for (i = 0; i < n; i++)
		if (gen_rng_chance(b->rng, 12))
			other(b, other_names[i], "1.0-1", NULL);
	for (k = 0; k < extra; k++) {
		snprintf(name, sizeof(name), "pkg%u", ++b->serial);
		other(b, name, "1.0-1", NULL);
	}
	/* Others' states: holds and removed leftovers matter nowhere. */
	for (i = 0; i < b->sys->n_pkgs; i++) {
		struct gen_pkg *p = &b->sys->pkgs[i];

		if (p->role != GEN_OTHER)
			continue;
		if (gen_rng_chance(b->rng, 5))
			add_flag(p, 'h');
		if (p->depends == NULL && gen_rng_chance(b->rng, 5) &&
		    !depended_on(b->sys, i))
			add_flag(p, 'c');
	}
}

/* ------------------------------------------------------------- options */

static void
options(struct build *b)
{
	struct gen_system *sys = b->sys;
	unsigned roll = gen_rng_below(b->rng, 100), i, n;

	if (roll < 45 && sys->n_releases > 0)
		sys->running = xstrdup(
		        sys->releases[gen_rng_below(b->rng,
		                                    (unsigned)sys->n_releases)]
		                .name);
	else if (roll < 70)
		/* The host's kernel in a container: not installed here. */
		sys->running = xstrdup(PICK(
		        b->rng,
		        ((const char *[]){ "6.1.0-99-amd64", "5.4.0-1-generic",
		                           "6.14.0-1-generic", "6.8.12-99-pve",
		                           "4.19.0-6-amd64" })));
	sys->keep = gen_rng_below(b->rng, 6);
	n = gen_rng_chance(b->rng, 30) ? 1 + gen_rng_below(b->rng, 2) : 0;
	sys->protect = xrealloc(NULL, (n + 1) * sizeof(*sys->protect));
	for (i = 0; i < n; i++)
		sys->protect[i] =
		        sys->n_releases && gen_rng_chance(b->rng, 75) ?
		                xstrdup(sys
		                                ->releases[gen_rng_below(
		                                        b->rng,
		                                        (unsigned)sys
		                                                ->n_releases)]
		                                .name) :
		                xstrdup("9.9.9-1-none");
	sys->n_protect = n;
}

/* ---------------------------------------------------------------- main */

typedef void gen_fn(struct build *b);

static gen_fn *const schemes[GEN_N_SCHEMES] = {
	[GEN_UBUNTU] = gen_ubuntu,   [GEN_MAINLINE] = gen_mainline,
	[GEN_DEBIAN] = gen_debian,   [GEN_BACKPORTS] = gen_backports,
	[GEN_TRIXIE] = gen_trixie,   [GEN_RPI] = gen_rpi,
	[GEN_PROXMOX] = gen_proxmox, [GEN_CUSTOM] = gen_custom,
};

/* A system mostly of one distribution, with strays from the others. */
static enum gen_scheme
pick_scheme(struct build *b, enum gen_scheme main_scheme)
{
	if (gen_rng_chance(b->rng, 65))
		return main_scheme;
	return (enum gen_scheme)gen_rng_below(b->rng, GEN_N_SCHEMES);
}

struct gen_system *
gen_system_new(uint64_t seed, const struct gen_params *params)
{
	struct gen_system *sys = xrealloc(NULL, sizeof(*sys));
	struct gen_rng rng;
	struct build b = { sys, &rng, params ? params : &gen_params_default,
		           0 };
	unsigned n, k;
	enum gen_scheme main_scheme;
	size_t r, first;

	memset(sys, 0, sizeof(*sys));
	sys->seed = seed;
	gen_rng_seed(&rng, seed);
	index_rebuild(sys, 256);
	main_scheme = (enum gen_scheme)gen_rng_below(&rng, GEN_N_SCHEMES);
	n = b.params->min_releases +
	    gen_rng_below(&rng,
	                  b.params->max_releases - b.params->min_releases + 1);
	for (k = 0; k < n; k++) {
		first = sys->n_pkgs;
		r = sys->n_releases;
		schemes[pick_scheme(&b, main_scheme)](&b);
		if (sys->n_releases > r)
			release_state(&b, first, sys->n_pkgs);
	}
	compact(sys);
	shared_states(&b);
	for (r = 0; r < sys->n_releases; r++) {
		if (gen_rng_chance(&rng, b.params->chance_meta))
			metapackages(&b, r);
		if (gen_rng_chance(&rng, b.params->chance_dependent))
			dependent(&b, r);
	}
	/* After the dependents: nothing outside depends on invented names. */
	for (r = 0; r < sys->n_releases; r++)
		if (gen_rng_chance(&rng, b.params->chance_future))
			future_names(&b, r);
	unrelated(&b);
	options(&b);
	return sys;
}

void
gen_system_free(struct gen_system *sys)
{
	size_t i;

	if (sys == NULL)
		return;
	for (i = 0; i < sys->n_pkgs; i++) {
		free(sys->pkgs[i].name);
		free(sys->pkgs[i].version);
		free(sys->pkgs[i].depends);
		free(sys->pkgs[i].provides);
		free(sys->pkgs[i].abi);
	}
	for (i = 0; i < sys->n_releases; i++) {
		free(sys->releases[i].name);
		free(sys->releases[i].abi);
		free(sys->releases[i].flavour);
		free(sys->releases[i].source);
		free(sys->releases[i].version);
	}
	for (i = 0; i < sys->n_protect; i++)
		free(sys->protect[i]);
	free(sys->protect);
	free(sys->pkgs);
	free(sys->releases);
	free(sys->running);
	free(sys->index);
	free(sys);
}

bool
gen_release_complete(const struct gen_system *sys, size_t r)
{
	size_t i;

	for (i = 0; i < sys->n_pkgs; i++) {
		const struct gen_pkg *p = &sys->pkgs[i];

		if (p->release == (int)r && p->image &&
		    !strchr(p->flags, 'c') && !strchr(p->flags, 'b'))
			return true;
	}
	return false;
}

/* --------------------------------------------------------------- output */

char *
gen_status_text(const struct gen_system *sys, const bool *omit)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		abort();
	for (i = 0; i < sys->n_pkgs; i++) {
		const struct gen_pkg *p = &sys->pkgs[i];

		if (omit && omit[i])
			continue;
		fprintf(f,
		        "Package: %s\nStatus: %s\nPriority: optional\n"
		        "Section: %s\nInstalled-Size: %zu\n"
		        "Maintainer: Test <test@example.org>\nArchitecture: amd64\n"
		        "Version: %s\n",
		        p->name, sdb_status_of(p->flags),
		        p->role == GEN_OTHER ? "misc" : "kernel",
		        100 + 7 * strlen(p->name), p->version);
		if (p->depends && !strchr(p->flags, 'c'))
			fprintf(f, "Depends: %s\n", p->depends);
		if (p->provides && !strchr(p->flags, 'c'))
			fprintf(f, "Provides: %s\n", p->provides);
		fputs("Description: generated test package\n\n", f);
	}
	if (fclose(f) != 0)
		abort();
	return text;
}

/*
 * A few files of each kind, at the paths the distributions ship them:
 * %R is the release, %A the ABI, %N the package's name. Directories come
 * from the paths.
 */
static const char *const shipped[][6] = {
	[GEN_FILES_DOC] = { "/usr/share/doc/%N/copyright" },
	[GEN_FILES_VMLINUZ] = { "/boot/vmlinuz-%R",
	                        "/usr/share/doc/%N/copyright" },
	[GEN_FILES_IMAGE] = { "/boot/System.map-%R", "/boot/config-%R",
	                      "/boot/vmlinuz-%R",
	                      "/lib/modules/%R/kernel/fs/ext4/ext4.ko",
	                      "/lib/modules/%R/modules.order",
	                      "/usr/share/doc/%N/copyright" },
	[GEN_FILES_MODULES_BOOT] = { "/boot/System.map-%R", "/boot/config-%R",
	                             "/lib/modules/%R/kernel/fs/ext4/ext4.ko",
	                             "/lib/modules/%R/modules.order",
	                             "/usr/share/doc/%N/copyright" },
	[GEN_FILES_MODULES] = { "/lib/modules/%R/kernel/extra/%N.ko",
	                        "/usr/share/doc/%N/copyright" },
	[GEN_FILES_HEADERS] = { "/lib/modules/%R/build",
	                        "/usr/src/linux-headers-%R/.config",
	                        "/usr/src/linux-headers-%R/Module.symvers",
	                        "/usr/share/doc/%N/copyright" },
	[GEN_FILES_TOOLS] = { "/usr/lib/linux-tools/%R/perf",
	                      "/usr/share/doc/%N/copyright" },
	[GEN_FILES_CLOUD_TOOLS] = { "/usr/lib/linux-tools/%R/hv_kvp_daemon",
	                            "/usr/share/doc/%N/copyright" },
	[GEN_FILES_LINUX_LIB] = { "/usr/lib/linux/%R/%N",
	                          "/usr/share/doc/%N/copyright" },
	[GEN_FILES_DEBUG] = { "/usr/lib/debug/boot/vmlinux-%R",
	                      "/usr/lib/debug/lib/modules/%R/kernel/fs/ext4/ext4.ko",
	                      "/usr/share/doc/%N/copyright" },
	[GEN_FILES_SRC] = { "/usr/src/%N/Makefile",
	                    "/usr/src/%N/include/linux/kernel.h",
	                    "/usr/share/doc/%N/copyright" },
	[GEN_FILES_LIB] = { "/usr/lib/%N/bin/perf",
	                    "/usr/share/doc/%N/copyright" },
	[GEN_FILES_SHARE] = { "/usr/share/%N/config/defines",
	                      "/usr/share/doc/%N/copyright" },
};

/* The template t with %R, %A and %N put in. */
static char *
expand(const char *t, const char *release, const char *abi, const char *name)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (f == NULL)
		abort();
	for (; *t; t++) {
		if (t[0] == '%' &&
		    (t[1] == 'R' || t[1] == 'A' || t[1] == 'N')) {
			t++;
			fputs(*t == 'R' ? release : *t == 'A' ? abi : name, f);
		} else {
			fputc(*t, f);
		}
	}
	if (fclose(f) != 0)
		abort();
	return out;
}

/*
 * Order of dpkg-deb's archives, and so of the lists: a directory, then
 * what it holds, names in byte order ("/boot" < "/boot/x" < "/boot-y").
 */
static unsigned
path_rank(unsigned char c)
{
	return c == '\0' ? 0 : c == '/' ? 1 : c + 1u;
}

static int
cmp_paths(const void *a, const void *b)
{
	const unsigned char *x = *(const unsigned char *const *)a;
	const unsigned char *y = *(const unsigned char *const *)b;

	for (; *x && *x == *y; x++, y++)
		;
	if (*x == *y)
		return 0;
	return path_rank(*x) < path_rank(*y) ? -1 : 1;
}

/* Add path and every directory above it to paths (n of them so far). */
static size_t
add_with_parents(char **paths, size_t n, char *path)
{
	char *slash;

	paths[n++] = path;
	for (slash = strrchr(path, '/'); slash && slash > path;
	     slash = strrchr(path, '/')) {
		path = fmt("%.*s", (int)(slash - path), path);
		paths[n++] = path;
	}
	return n;
}

char *
gen_file_list(const struct gen_system *sys, size_t i)
{
	const struct gen_pkg *p = &sys->pkgs[i];
	const char *const *t = shipped[p->files];
	/* A flavour-less package's ABI: a custom release's headers left alone. */
	const char *release = p->release >= 0 ? sys->releases[p->release].name :
	                      p->abi          ? p->abi :
	                                        "";
	char *paths[6 * 16], *text = NULL, *modules; /* 6 paths of < 16 parts */
	size_t n = 0, k, len = 0;
	bool removed = strchr(p->flags, 'c') != NULL;
	FILE *f;

	modules = fmt("/lib/modules/%s/", release);
	for (k = 0; k < 6 && t[k]; k++) {
		char *path = expand(t[k], release, p->abi ? p->abi : "",
		                    p->name);

		/*
		 * Removed: what depmod made in /lib/modules/R keeps that
		 * directory, and dpkg keeps it in the list.
		 */
		if (removed && strncmp(path, modules, strlen(modules)) == 0)
			path[strlen(modules) - 1] = '\0';
		else if (removed) {
			free(path);
			continue;
		}
		n = add_with_parents(paths, n, path);
	}
	free(modules);
	qsort(paths, n, sizeof(*paths), cmp_paths);
	f = open_memstream(&text, &len);
	if (f == NULL)
		abort();
	fputs("/.\n", f);
	for (k = 0; k < n; k++)
		if (k == 0 || strcmp(paths[k], paths[k - 1]) != 0)
			fprintf(f, "%s\n", paths[k]);
	if (fclose(f) != 0)
		abort();
	for (k = 0; k < n; k++)
		free(paths[k]);
	return text;
}

static const char *const scheme_names[GEN_N_SCHEMES] = {
	"ubuntu", "mainline", "debian",  "backports",
	"trixie", "rpi",      "proxmox", "custom",
};

const char *
gen_scheme_name(enum gen_scheme scheme)
{
	return (unsigned)scheme < GEN_N_SCHEMES ? scheme_names[scheme] : "?";
}

void
gen_system_dump(const struct gen_system *sys, const bool *omit, void *file)
{
	FILE *f = file;
	size_t i;

	fprintf(f, "# seed %llu: keep=%u running=%s protect=",
	        (unsigned long long)sys->seed, sys->keep,
	        sys->running ? sys->running : "(none)");
	for (i = 0; i < sys->n_protect; i++)
		fprintf(f, "%s%s", i ? "," : "", sys->protect[i]);
	fputc('\n', f);
	for (i = 0; i < sys->n_releases; i++)
		fprintf(f, "#   release %s (%s, abi %s)%s%s\n",
		        sys->releases[i].name,
		        gen_scheme_name(sys->releases[i].scheme),
		        sys->releases[i].abi,
		        gen_release_complete(sys, i) ? " complete" : "",
		        sys->releases[i].tricky ? " tricky" : "");
	for (i = 0; i < sys->n_pkgs; i++) {
		const struct gen_pkg *p = &sys->pkgs[i];

		if (omit && omit[i])
			continue;
		fprintf(f, "#   %-3s %s %s [%s%s%s]%s%s%s%s\n", p->flags,
		        p->name, p->version,
		        p->role == GEN_OWN    ? "release " :
		        p->role == GEN_SHARED ? "abi " :
		                                "other",
		        p->role == GEN_OWN ? sys->releases[p->release].name :
		                             "",
		        p->role == GEN_SHARED ? p->abi : "",
		        p->depends ? " Depends: " : "",
		        p->depends ? p->depends : "",
		        p->provides ? " Provides: " : "",
		        p->provides ? p->provides : "");
	}
}
