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
 *    journal's) of packages named linux-*, pve-* and proxmox-*, found by
 *    jumping with memmem() from one "Package:" line to the next in the
 *    mapped file; no parsing, no allocation. A superset of the kernel
 *    packages, so that metapackages and anything else whose change can
 *    change the plan count too.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
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

/* Is the package named at p ("linux-image-...") a kernel's? */
static bool
kernel_name(const char *p, size_t n)
{
	static const char *const prefixes[] = { "linux-", "pve-", "proxmox-" };
	size_t i, len;

	for (i = 0; i < KP_ARRAY_SIZE(prefixes); i++) {
		len = strlen(prefixes[i]);
		if (n >= len && memcmp(p, prefixes[i], len) == 0)
			return true;
	}
	return false;
}

#define FIELD "Package: "
#define FIELD_LEN (sizeof(FIELD) - 1)

/*
 * Add the hashes of the kernel records in text to *sum and count them.
 * dpkg writes Package first in every record: memmem() jumps from one
 * "\nPackage: " to the next, and only a kernel's record is read to its
 * end. Adding makes the result independent of the records' order.
 */
static void
hash_records(const char *text, size_t n, unsigned long long *sum,
             unsigned long long *count)
{
	const char *end = text + n, *line, *name, *rec_end;
	const char *p = memmem(text, n, "\n" FIELD, FIELD_LEN + 1);

	/* The first record starts the file, after no newline. */
	line = n >= FIELD_LEN && memcmp(text, FIELD, FIELD_LEN) == 0 ?
	       text : p != NULL ? p + 1 : NULL;
	while (line != NULL) {
		name = line + FIELD_LEN;
		rec_end = name;
		if (kernel_name(name, (size_t)(end - name))) {
			rec_end = memmem(name, (size_t)(end - name), "\n\n", 2);
			rec_end = rec_end != NULL ? rec_end + 1 : end;
			*sum += kp_hash(KP_HASH_INIT, line,
			                (size_t)(rec_end - line));
			(*count)++;
		}
		p = memmem(rec_end - 1, (size_t)(end - (rec_end - 1)),
		           "\n" FIELD, FIELD_LEN + 1);
		line = p != NULL ? p + 1 : NULL;
	}
}

/*
 * Hash the kernel records of one file. A journal entry that dpkg removed
 * meanwhile (missing_ok) has none.
 */
static int
hash_file(const char *path, bool missing_ok, unsigned long long *sum,
          unsigned long long *count)
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
	hash_records(map, (size_t)st.st_size, sum, count);
	munmap(map, (size_t)st.st_size);
out:
	close(fd);
	return r;
}

/* The journal's entries (all-digit names) in updates/. */
static int
hash_journal(const char *dir, unsigned long long *sum,
             unsigned long long *count)
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
			r = hash_file(path, true, sum, count);
	}
	closedir(d);
	return r;
}

/**
 * The fingerprint of the kernel packages in root's dpkg database (NULL,
 * "" or "/" for this system): it changes when a package named linux-*,
 * pve-* or proxmox-* is installed, removed, upgraded, held or unheld.
 * Reads the status file and the journal without libdpkg. Returns 0, or
 * a negative code with err filled.
 */
int
kp_kernel_fingerprint(const char *root, unsigned long long *out,
                      struct kp_error *err)
{
	char status[PATH_MAX], updates[PATH_MAX];
	unsigned long long sum = 0, count = 0;
	int r;

	if (admin_path(status, sizeof(status), root, "status") < 0 ||
	    admin_path(updates, sizeof(updates), root, "updates") < 0)
		return kp__error_set(err, -ENAMETOOLONG, "root path too long");
	if ((r = hash_file(status, false, &sum, &count)) < 0)
		return kp__error_set(err, r, "cannot read %s: %s", status,
		                     strerror(-r));
	if ((r = hash_journal(updates, &sum, &count)) < 0)
		return kp__error_set(err, r, "cannot read %s: %s", updates,
		                     strerror(-r));
	*out = kp_hash(kp_hash(KP_HASH_INIT, &sum, sizeof(sum)), &count,
	               sizeof(count));
	return 0;
}
