/*
 * libkpurge - telling cheaply whether the kernels of a system changed.
 *
 * The apt hook runs after every apt run and the Byobu status every few
 * minutes; both must not read the dpkg database with libdpkg each time.
 * Two levels, cheapest first:
 *
 *  - the stamp: the status file's inode, size and modification time and
 *    the updates journal's modification time. Unchanged: nothing changed.
 *  - the fingerprint: a hash of the status file's records (and the
 *    journal's) that the plan reads: the kernel families' packages
 *    (linux-*, pve-*, proxmox-*, a superset of the kernel packages, so
 *    that metapackages count too), the packages that depend on one (an
 *    out-of-tree module keeps its kernel) and the other choices of those
 *    dependencies. Found by jumping with memmem() from one "Package:"
 *    line to the next in the mapped file; only Depends, Pre-Depends and
 *    Provides are looked into.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpurge-private.h"

/** FNV-1a, 64 bits: h of the data before, then data. */
unsigned long long
kp_hash(unsigned long long h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* ROOT/var/lib/dpkg/NAME; root NULL or "" for this system. */
static int
admin_path(char *buf, size_t size, const char *root, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/var/lib/dpkg/%s",
	                     root != NULL ? root : "", name) >= size)
		return -ENAMETOOLONG;
	return 0;
}

static unsigned long long
hash_stat(unsigned long long h, const struct stat *st)
{
	unsigned long long v[4] = {
		(unsigned long long)st->st_ino, (unsigned long long)st->st_size,
		(unsigned long long)st->st_mtim.tv_sec,
		(unsigned long long)st->st_mtim.tv_nsec,
	};

	return kp_hash(h, v, sizeof(v));
}

/**
 * The stamp of the dpkg database of root (NULL, "" or "/" for this
 * system): changes whenever dpkg writes its status file or journal.
 * Two stat() calls. Returns 0, or a negative code with err filled.
 */
int
kp_db_stamp(const char *root, unsigned long long *out, struct kp_error *err)
{
	char path[PATH_MAX];
	struct stat st;
	unsigned long long h = KP_HASH_INIT;

	if (admin_path(path, sizeof(path), root, "status") < 0)
		return kp__error_set(err, -ENAMETOOLONG, "root path too long");
	if (stat(path, &st) < 0)
		return kp__error_set(err, -errno, "cannot read %s: %s", path,
		                     strerror(errno));
	h = hash_stat(h, &st);
	admin_path(path, sizeof(path), root, "updates");
	if (stat(path, &st) == 0)
		h = hash_stat(h, &st);
	*out = h;
	return 0;
}

/* ------------------------------------------------------------- records */

/* A record of the status file or the journal, and its package's name. */
struct record {
	const char *start, *end; /* "Package: ..." to its blank line */
	const char *name;
	size_t name_len;
};

/* A set of package names, kept as their hashes. */
struct names {
	unsigned long long *v;
	size_t n, cap;
};

/* What the passes over the records gather, and the result. */
struct scan {
	int pass;                /* 1, 2 or 3: see kp_kernel_fingerprint() */
	struct names provided;   /* names the kernel packages provide */
	struct names alternatives; /* other choices beside a kernel's */
	unsigned long long sum, count;
	int error;
};

static unsigned long long
name_hash(const char *p, size_t n)
{
	return kp_hash(KP_HASH_INIT, p, n);
}

static bool
names_has(const struct names *set, const char *p, size_t n)
{
	unsigned long long h = name_hash(p, n);
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i] == h)
			return true;
	return false;
}

static int
names_add(struct names *set, const char *p, size_t n)
{
	unsigned long long *v;

	if (names_has(set, p, n))
		return 0;
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 64;
		v = realloc(set->v, set->cap * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		set->v = v;
	}
	set->v[set->n++] = name_hash(p, n);
	return 0;
}

/* Length of the package name at p (before a blank, ':', '(' or ','). */
static size_t
name_len(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && (*q == '-' || *q == '+' || *q == '.' ||
	                   (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') ||
	                   (*q >= 'A' && *q <= 'Z')))
		q++;
	return (size_t)(q - p);
}

/*
 * The value of field KEY ("Depends") in rec: *val to *val_end, its
 * continuation lines included. False when the record has none.
 */
static bool
field(const struct record *rec, const char *key, const char **val,
      const char **val_end)
{
	char pat[32];
	int n = snprintf(pat, sizeof(pat), "\n%s:", key);
	const char *p = memmem(rec->start, (size_t)(rec->end - rec->start),
	                       pat, (size_t)n);
	const char *e;

	if (p == NULL)
		return false;
	*val = p + n;
	for (e = *val; e < rec->end; e++)
		if (*e == '\n' && (e + 1 == rec->end ||
		                   (e[1] != ' ' && e[1] != '\t')))
			break;
	*val_end = e;
	return true;
}

/* Skip blanks and line breaks. */
static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	return p;
}

/* Is the name one of a kernel package or one a kernel package provides? */
static bool
kernel_or_provided(const struct scan *sc, const char *p, size_t n)
{
	return kp__name_in_kernel_family(p, n) || names_has(&sc->provided, p, n);
}

/*
 * Does the dependency field val (clauses split by ',', choices by '|')
 * name a kernel package or a name one provides? With add, the other
 * choices of such a clause go into sc->alternatives: whether they are
 * installed decides whether the kernel is needed.
 */
static bool
names_kernel(struct scan *sc, const char *val, const char *end, bool add)
{
	const char *clause = val, *p, *stop;
	bool any = false, hit;
	size_t n;

	while (clause < end) {
		stop = memchr(clause, ',', (size_t)(end - clause));
		stop = stop != NULL ? stop : end;
		hit = false;
		for (p = clause; p < stop; p++) {
			p = skip_space(p, stop);
			n = name_len(p, stop);
			hit = hit || (n > 0 && kernel_or_provided(sc, p, n));
			p = memchr(p, '|', (size_t)(stop - p));
			if (p == NULL)
				break;
		}
		for (p = clause; hit && add && p < stop; p++) {
			p = skip_space(p, stop);
			n = name_len(p, stop);
			if (n > 0 && names_add(&sc->alternatives, p, n) < 0)
				sc->error = -ENOMEM;
			p = memchr(p, '|', (size_t)(stop - p));
			if (p == NULL)
				break;
		}
		any = any || hit;
		clause = stop + 1;
	}
	return any;
}

/* Does rec's Depends or Pre-Depends name a kernel package? */
static bool
dependent(struct scan *sc, const struct record *rec, bool add)
{
	static const char *const keys[] = { "Depends", "Pre-Depends" };
	const char *val, *end;
	bool any = false;
	size_t i;

	for (i = 0; i < KP_ARRAY_SIZE(keys); i++)
		if (field(rec, keys[i], &val, &end))
			any = names_kernel(sc, val, end, add) || any;
	return any;
}

/* Add each name of rec's Provides to set; or, with set NULL, is one in in? */
static bool
provides(struct scan *sc, const struct record *rec, struct names *set,
         const struct names *in)
{
	const char *val, *end, *p;
	size_t n;

	if (!field(rec, "Provides", &val, &end))
		return false;
	for (p = val; p < end; p++) {
		p = skip_space(p, end);
		n = name_len(p, end);
		if (n > 0 && set != NULL && names_add(set, p, n) < 0)
			sc->error = -ENOMEM;
		if (n > 0 && in != NULL && names_has(in, p, n))
			return true;
		p = memchr(p, ',', (size_t)(end - p));
		if (p == NULL)
			break;
	}
	return false;
}

static void
hash_record(struct scan *sc, const struct record *rec)
{
	sc->sum += kp_hash(KP_HASH_INIT, rec->start,
	                   (size_t)(rec->end - rec->start));
	sc->count++;
}

/*
 * One record, by the pass: (1) gather what the kernel packages provide;
 * (2) hash the kernel packages and the packages that depend on one (or
 * on what one provides), gathering the other choices of those clauses;
 * (3) hash the packages that are (or provide) one of those choices.
 */
static void
scan_record(struct scan *sc, const struct record *rec)
{
	bool kernel = kp__name_in_kernel_family(rec->name, rec->name_len);

	switch (sc->pass) {
	case 1:
		if (kernel)
			provides(sc, rec, &sc->provided, NULL);
		break;
	case 2:
		if (dependent(sc, rec, true) || kernel)
			hash_record(sc, rec);
		break;
	default:
		if (!kernel && !dependent(sc, rec, false) &&
		    (names_has(&sc->alternatives, rec->name, rec->name_len) ||
		     provides(sc, rec, NULL, &sc->alternatives)))
			hash_record(sc, rec);
		break;
	}
}

#define FIELD "Package: "
#define FIELD_LEN (sizeof(FIELD) - 1)

/*
 * Scan the records of text. dpkg writes Package first in every record:
 * memmem() jumps from one "\nPackage: " to the next; a record ends at its
 * blank line. The sum of the records' hashes does not depend on their
 * order.
 */
static void
scan_records(struct scan *sc, const char *text, size_t n)
{
	const char *end = text + n, *line, *p;
	struct record rec;

	p = memmem(text, n, "\n" FIELD, FIELD_LEN + 1);
	/* The first record starts the file, after no newline. */
	line = n >= FIELD_LEN && memcmp(text, FIELD, FIELD_LEN) == 0 ?
	       text : p != NULL ? p + 1 : NULL;
	while (line != NULL) {
		rec.start = line;
		rec.name = line + FIELD_LEN;
		p = memchr(rec.name, '\n', (size_t)(end - rec.name));
		rec.name_len = (size_t)((p != NULL ? p : end) - rec.name);
		p = memmem(rec.name, (size_t)(end - rec.name), "\n\n", 2);
		rec.end = p != NULL ? p + 1 : end;
		scan_record(sc, &rec);
		p = memmem(rec.end - 1, (size_t)(end - (rec.end - 1)),
		           "\n" FIELD, FIELD_LEN + 1);
		line = p != NULL ? p + 1 : NULL;
	}
}

/*
 * Scan the records of one file. A journal entry that dpkg removed
 * meanwhile (missing_ok) has none.
 */
static int
scan_file(struct scan *sc, const char *path, bool missing_ok)
{
	struct stat st;
	void *map;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT && missing_ok ? 0 : -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0)
		goto out;
	/* All of it is read: its pages come in one go, not fault by fault. */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ,
	           MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (map == MAP_FAILED) {
		r = -errno;
		goto out;
	}
	scan_records(sc, map, (size_t)st.st_size);
	munmap(map, (size_t)st.st_size);
out:
	close(fd);
	return r;
}

/* The journal's entries (all-digit names) in updates/. */
static int
scan_journal(struct scan *sc, const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	int r = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : -errno;
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '\0' ||
		    strspn(de->d_name, "0123456789") != strlen(de->d_name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		                     de->d_name) < sizeof(path))
			r = scan_file(sc, path, true);
	}
	closedir(d);
	return r;
}

/**
 * The fingerprint of what the plan reads from root's dpkg database (NULL,
 * "" or "/" for this system): the records of the kernel packages (named
 * linux-*, pve-* or proxmox-*: kp__name_in_kernel_family()), of the
 * packages that depend on one or on a name one provides, and of the
 * packages that are another choice in such a dependency. It changes when
 * one of them is installed, removed, upgraded, held or unheld. Reads the
 * status file and the journal without libdpkg, three times: what the
 * kernels provide, then the dependents, then the other choices. Returns
 * 0, or a negative code with err filled.
 */
int
kp_kernel_fingerprint(const char *root, unsigned long long *out,
                      struct kp_error *err)
{
	char status[PATH_MAX], updates[PATH_MAX];
	struct scan sc;
	int r = 0;

	if (admin_path(status, sizeof(status), root, "status") < 0 ||
	    admin_path(updates, sizeof(updates), root, "updates") < 0)
		return kp__error_set(err, -ENAMETOOLONG, "root path too long");
	memset(&sc, 0, sizeof(sc));
	for (sc.pass = 1; sc.pass <= 3 && r == 0; sc.pass++) {
		if ((r = scan_file(&sc, status, false)) < 0)
			kp__error_set(err, r, "cannot read %s: %s", status,
			              strerror(-r));
		else if ((r = scan_journal(&sc, updates)) < 0)
			kp__error_set(err, r, "cannot read %s: %s", updates,
			              strerror(-r));
		else if ((r = sc.error) < 0)
			kp__error_set(err, r, "out of memory");
	}
	free(sc.provided.v);
	free(sc.alternatives.v);
	if (r < 0)
		return r;
	*out = kp_hash(kp_hash(KP_HASH_INIT, &sc.sum, sizeof(sc.sum)),
	               &sc.count, sizeof(sc.count));
	return 0;
}
