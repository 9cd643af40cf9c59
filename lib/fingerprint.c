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
 *    dependencies, and what the boot loader boots next (its entry and
 *    release, which the plan keeps). memmem() jumps from one Package (then Depends,
 *    Provides) field to the next in the mapped files; nothing else is
 *    parsed, and only those records are read to their end.
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

#include "kpurge-app.h"
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
		(unsigned long long)st->st_ino,
		(unsigned long long)st->st_size,
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

/* A set of package names, kept as their hashes. */
struct names {
	unsigned long long *v;
	size_t n, cap;
};

/* What the passes over the files gather, and the result. */
struct scan {
	int pass;                  /* 1, 2 or 3: see scan_files() */
	struct names provided;     /* names the kernel packages provide */
	struct names alternatives; /* other choices beside a kernel's */
	unsigned long long sum, count;
	int error;
};

/* A span of text: a mapped file, a record. */
struct text {
	const char *start, *end;
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

static void
names_add(struct scan *sc, struct names *set, const char *p, size_t n)
{
	unsigned long long *v;

	if (names_has(set, p, n))
		return;
	if (set->n == set->cap) {
		v = realloc(set->v,
		            (set->cap ? set->cap * 2 : 64) * sizeof(*v));
		if (v == NULL) {
			sc->error = -ENOMEM;
			return;
		}
		set->v = v;
		set->cap = set->cap ? set->cap * 2 : 64;
	}
	set->v[set->n++] = name_hash(p, n);
}

/* Length of the package name at p (before a blank, ':', '(' or ','). */
static size_t
name_len(const char *p, const char *end)
{
	const char *q = p;

	while (q < end &&
	       (*q == '-' || *q == '+' || *q == '.' ||
	        (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') ||
	        (*q >= 'A' && *q <= 'Z')))
		q++;
	return (size_t)(q - p);
}

/* Skip blanks and line breaks. */
static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	return p;
}

/* The end of the field value at p: its line and its continuation lines. */
static const char *
value_end(const char *p, const char *end)
{
	const char *e = memchr(p, '\n', (size_t)(end - p));

	while (e != NULL && e + 1 < end && (e[1] == ' ' || e[1] == '\t'))
		e = memchr(e + 1, '\n', (size_t)(end - e - 1));
	return e != NULL ? e : end;
}

/*
 * The record around p in t: from after the blank line before it (or the
 * start) to after the blank line that ends it (or the end).
 */
static struct text
record_at(const struct text *t, const char *p)
{
	struct text rec = { p, NULL };
	const char *e;

	while (rec.start > t->start &&
	       !(rec.start[-1] == '\n' && rec.start - 1 > t->start &&
	         rec.start[-2] == '\n'))
		rec.start--;
	e = memmem(p, (size_t)(t->end - p), "\n\n", 2);
	rec.end = e != NULL ? e + 1 : t->end;
	return rec;
}

static void
hash_record(struct scan *sc, const struct text *rec)
{
	sc->sum += kp_hash(KP_HASH_INIT, rec->start,
	                   (size_t)(rec->end - rec->start));
	sc->count++;
}

/* Is the record's package (its Package field) of a kernel family? */
static bool
kernel_record(const struct text *rec)
{
	static const char key[] = "Package: ";
	const char *p = rec->start, *e;

	if ((size_t)(rec->end - p) < sizeof(key) ||
	    memcmp(p, key, sizeof(key) - 1) != 0) {
		p = memmem(p, (size_t)(rec->end - p), "\nPackage: ", 10);
		if (p == NULL)
			return false;
		p++;
	}
	p += sizeof(key) - 1;
	e = memchr(p, '\n', (size_t)(rec->end - p));
	return kp__name_in_kernel_family(p, (size_t)((e ? e : rec->end) - p));
}

/* Is the name one of a kernel package or one a kernel package provides? */
static bool
kernel_or_provided(const struct scan *sc, const char *p, size_t n)
{
	return kp__name_in_kernel_family(p, n) ||
	       names_has(&sc->provided, p, n);
}

/*
 * Call fn for each name of the list val..end (split by ',' and '|').
 * Stops when fn returns true; returns whether it did.
 */
static bool
each_name(struct scan *sc, const char *val, const char *end,
          bool (*fn)(struct scan *sc, const char *p, size_t n))
{
	const char *p;
	size_t n;

	for (p = val; p < end; p++) {
		p = skip_space(p, end);
		n = name_len(p, end);
		if (n > 0 && fn(sc, p, n))
			return true;
		p += n;
		while (p < end && *p != ',' && *p != '|')
			p++;
	}
	return false;
}

static bool
is_kernel_name(struct scan *sc, const char *p, size_t n)
{
	return kernel_or_provided(sc, p, n);
}

/* A kernel package among the choices was hashed in pass 1 already. */
static bool
add_alternative(struct scan *sc, const char *p, size_t n)
{
	if (!kp__name_in_kernel_family(p, n))
		names_add(sc, &sc->alternatives, p, n);
	return false;
}

static bool
add_provided(struct scan *sc, const char *p, size_t n)
{
	names_add(sc, &sc->provided, p, n);
	return false;
}

static bool
is_alternative(struct scan *sc, const char *p, size_t n)
{
	return names_has(&sc->alternatives, p, n);
}

/*
 * Does the dependency field val..end name a kernel package or what one
 * provides? The other choices of such a clause go into sc->alternatives:
 * whether they are installed decides whether the kernel is needed.
 */
static bool
names_kernel(struct scan *sc, const char *val, const char *end)
{
	const char *clause = val, *stop;
	bool any = false;

	while (clause < end) {
		stop = memchr(clause, ',', (size_t)(end - clause));
		stop = stop != NULL ? stop : end;
		if (each_name(sc, clause, stop, is_kernel_name)) {
			each_name(sc, clause, stop, add_alternative);
			any = true;
		}
		clause = stop + 1;
	}
	return any;
}

/*
 * Call fn for each KEY of t with what follows it: at the start of a line
 * only, unless anywhere. memmem() jumps from one to the next: nothing
 * else is read.
 */
static void
each_field(struct scan *sc, const struct text *t, const char *key,
           bool anywhere,
           void (*fn)(struct scan *sc, const struct text *t, const char *line,
                      const char *val))
{
	char pat[32];
	size_t klen = strlen(key), skip = anywhere ? 0 : 1;
	const char *p = t->start, *hit;

	snprintf(pat, sizeof(pat), "\n%s", key);
	if ((size_t)(t->end - p) >= klen && memcmp(p, key, klen) == 0) {
		fn(sc, t, p, p + klen);
		p++;
	}
	while ((hit = memmem(p, (size_t)(t->end - p), pat + 1 - skip,
	                     klen + skip)) != NULL) {
		fn(sc, t, hit + skip, hit + skip + klen);
		p = hit + 1;
	}
}

/* Pass 1: hash a kernel package's record; gather what it provides. */
static void
on_package(struct scan *sc, const struct text *t, const char *line,
           const char *val)
{
	const char *e = memchr(val, '\n', (size_t)(t->end - val));
	struct text rec;

	if (!kp__name_in_kernel_family(val, (size_t)((e ? e : t->end) - val)))
		return;
	rec = record_at(t, line);
	hash_record(sc, &rec);
	e = memmem(line, (size_t)(rec.end - line), "\nProvides: ", 11);
	if (e != NULL)
		each_name(sc, e + 11, value_end(e + 11, rec.end), add_provided);
}

/*
 * Pass 2: a Depends or Pre-Depends ("Depends: " found) that names a
 * kernel package or what one provides: hash the dependent's record (a
 * kernel package's was in pass 1).
 */
static void
on_depends(struct scan *sc, const struct text *t, const char *line,
           const char *val)
{
	struct text rec;

	if (line != t->start && line[-1] != '\n' &&
	    !(line - t->start >= 4 && memcmp(line - 4, "Pre-", 4) == 0 &&
	      (line - 4 == t->start || line[-5] == '\n')))
		return; /* "Depends: " inside another field */
	if (!names_kernel(sc, val, value_end(val, t->end)))
		return;
	rec = record_at(t, line);
	if (!kernel_record(&rec))
		hash_record(sc, &rec);
}

/* Pass 3: a package that is another choice beside a kernel. */
static void
on_choice(struct scan *sc, const struct text *t, const char *line,
          const char *val)
{
	const char *e = memchr(val, '\n', (size_t)(t->end - val));
	struct text rec;

	if (!names_has(&sc->alternatives, val,
	               (size_t)((e ? e : t->end) - val)))
		return;
	rec = record_at(t, line);
	if (!kernel_record(&rec))
		hash_record(sc, &rec);
}

/* Pass 3: a package that provides another choice beside a kernel. */
static void
on_provides(struct scan *sc, const struct text *t, const char *line,
            const char *val)
{
	struct text rec;

	if (!each_name(sc, val, value_end(val, t->end), is_alternative))
		return;
	rec = record_at(t, line);
	if (!kernel_record(&rec))
		hash_record(sc, &rec);
}

/* One pass over the text of a file (see kp_kernel_fingerprint()). */
static void
scan_text(struct scan *sc, const char *text, size_t n)
{
	struct text t = { text, text + n };

	switch (sc->pass) {
	case 1:
		each_field(sc, &t, "Package: ", false, on_package);
		break;
	case 2:
		/* "Pre-Depends: " ends with it: on_depends() tells them apart */
		each_field(sc, &t, "Depends: ", true, on_depends);
		break;
	default:
		each_field(sc, &t, "Package: ", false, on_choice);
		each_field(sc, &t, "Provides: ", false, on_provides);
		break;
	}
}

/* The files the passes read, each mapped once. */
struct files {
	struct text *v;
	size_t n, cap;
};

static int
files_add(struct files *f, const char *start, size_t len)
{
	struct text *v;

	if (f->n == f->cap) {
		v = realloc(f->v, (f->cap ? f->cap * 2 : 4) * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		f->v = v;
		f->cap = f->cap ? f->cap * 2 : 4;
	}
	f->v[f->n].start = start;
	f->v[f->n++].end = start + len;
	return 0;
}

static void
files_free(struct files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		munmap((void *)f->v[i].start,
		       (size_t)(f->v[i].end - f->v[i].start));
	free(f->v);
}

/*
 * Map one file into f. A journal entry that dpkg removed meanwhile
 * (missing_ok) has no records, nor has an empty file.
 */
static int
map_file(struct files *f, const char *path, bool missing_ok)
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
	if ((r = files_add(f, map, (size_t)st.st_size)) < 0)
		munmap(map, (size_t)st.st_size);
out:
	close(fd);
	return r;
}

/* The journal's entries (all-digit names) in updates/. */
static int
map_journal(struct files *f, const char *dir)
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
			r = map_file(f, path, true);
	}
	closedir(d);
	return r;
}

/*
 * The three passes over the files: (1) the kernel packages' records, and
 * what they provide; (2) the records that depend on a kernel package or
 * what one provides, and the other choices of those dependencies; (3)
 * the records of those choices, when there are any.
 */
static int
scan_files(const struct files *f, unsigned long long *out)
{
	struct scan sc;
	size_t i;
	int r;

	memset(&sc, 0, sizeof(sc));
	for (sc.pass = 1; sc.pass <= 3; sc.pass++) {
		if (sc.pass == 3 && sc.alternatives.n == 0)
			break;
		for (i = 0; i < f->n; i++)
			scan_text(&sc, f->v[i].start,
			          (size_t)(f->v[i].end - f->v[i].start));
	}
	free(sc.provided.v);
	free(sc.alternatives.v);
	r = sc.error;
	*out = kp_hash(kp_hash(KP_HASH_INIT, &sc.sum, sizeof(sc.sum)),
	               &sc.count, sizeof(sc.count));
	return r;
}

/**
 * The fingerprint of what the plan reads from root's dpkg database (NULL,
 * "" or "/" for this system): the records of the kernel packages (named
 * linux-*, pve-* or proxmox-*: kp__name_in_kernel_family()), of the
 * packages that depend on one or on a name one provides, and of the
 * packages that are another choice in such a dependency. It changes when
 * one of them is installed, removed, upgraded, held or unheld. Reads the
 * status file and the journal without libdpkg. Returns 0, or a negative
 * code with err filled.
 */
int
kp_kernel_fingerprint(const char *root, unsigned long long *out,
                      struct kp_error *err)
{
	char status[PATH_MAX], updates[PATH_MAX];
	struct files f = { NULL, 0, 0 };
	unsigned long long h = 0;
	int r;

	if (admin_path(status, sizeof(status), root, "status") < 0 ||
	    admin_path(updates, sizeof(updates), root, "updates") < 0)
		return kp__error_set(err, -ENAMETOOLONG, "root path too long");
	if ((r = map_file(&f, status, false)) < 0)
		kp__error_set(err, r, "cannot read %s: %s", status,
		              strerror(-r));
	else if ((r = map_journal(&f, updates)) < 0)
		kp__error_set(err, r, "cannot read %s: %s", updates,
		              strerror(-r));
	else if ((r = scan_files(&f, &h)) < 0)
		kp__error_set(err, r, "out of memory");
	files_free(&f);
	if (r < 0)
		return r;
	/* The plan keeps what the boot loader boots next (bootloader.c). */
	*out = kp__next_boot_hash(root, h);
	return 0;
}
