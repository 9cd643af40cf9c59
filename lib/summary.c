/*
 * libkpurge - the summary of a plan: the state file under /run that the
 * cheap readers use, and the node_exporter textfile metrics.
 *
 * The state file is one line of KEY=VALUE words, so that a shell script
 * can read it too:
 *
 *   format=1 installed=4 purgeable=2 ... stamp=... kernels=... policy=...
 *
 * Both files are replaced atomically (a temporary file in the same
 * directory, then rename), in a directory reached by the trust walk of
 * lib/trust.c: from /, through the root directory, every directory root's
 * and none a symbolic link, so that what another user owns never sends a
 * write elsewhere.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "kpurge-app.h"
#include "kpurge-private.h"
#include "kpurge-trust.h"

#define STATE_FORMAT 1
#define STATE_MAX 4096

/** An empty summary: nothing installed, no periodic job ran. */
void
kp_summary_init(struct kp_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->last_run = KP_LAST_RUN_NONE;
}

/**
 * Fill the plan's part of s from plan (the stamps and the last run are
 * left as they are).
 */
void
kp_summary_from_plan(struct kp_summary *s, const struct kp_plan *plan)
{
	size_t i, n = kp_plan_n_releases(plan);

	s->installed = 0;
	s->purgeable = 0;
	for (i = 0; i < n; i++) {
		const struct kp_release *r = kp_plan_release(plan, i);

		if (r->state != KP_RELEASE_CONFIG_ONLY)
			s->installed++;
		if (r->action == KP_PURGE)
			s->purgeable++;
	}
	s->purgeable_packages = (unsigned)kp_plan_n_purge(plan);
	s->purgeable_bytes = kp_plan_purge_kib(plan) * 1024;
	kp_plan_boot_space(plan, &s->boot);
	s->purgeable_boot_bytes = s->boot.freed;
}

static const char *const last_run_names[] = {
	[KP_LAST_RUN_NONE] = "none",
	[KP_LAST_RUN_OK] = "ok",
	[KP_LAST_RUN_FAILED] = "failed",
};

/**
 * Format s as the state file's line (with its newline) into buf.
 * Returns its length, or -ENOSPC when buf is too small.
 */
int
kp_summary_format(const struct kp_summary *s, char *buf, size_t size)
{
	int n;

	n = snprintf(
	        buf, size,
	        "format=%d installed=%u purgeable=%u purgeable_packages=%u "
	        "purgeable_bytes=%llu purgeable_boot_bytes=%llu "
	        "boot_known=%d boot_size=%llu boot_used=%llu "
	        "stamp=%016llx kernels=%016llx policy=%016llx "
	        "announced=%016llx "
	        "last_run=%s last_run_purged=%u last_run_freed_bytes=%llu "
	        "last_run_freed_boot_bytes=%llu\n",
	        STATE_FORMAT, s->installed, s->purgeable, s->purgeable_packages,
	        s->purgeable_bytes, s->purgeable_boot_bytes,
	        s->boot.known ? 1 : 0, s->boot.size, s->boot.used, s->stamp,
	        s->kernels, s->policy, s->announced,
	        last_run_names[s->last_run], s->last_run_purged,
	        s->last_run_freed_bytes, s->last_run_freed_boot_bytes);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

/* A number word's value: decimal, or hexadecimal for the hashes. */
static bool
number(const char *text, int base, unsigned long long *out)
{
	const char *digits = base == 16 ? "0123456789abcdef" : "0123456789";
	char *end;

	if (text[0] == '\0' || strspn(text, digits) != strlen(text))
		return false;
	errno = 0;
	*out = strtoull(text, &end, base);
	return errno == 0 && end != text && *end == '\0';
}

struct field {
	const char *key;
	int base;
	size_t offset;
	size_t size; /* of the member: unsigned or unsigned long long */
};

#define FIELD(key, base, member)                                               \
	{                                                                      \
		key, base, offsetof(struct kp_summary, member),                \
		        sizeof(((struct kp_summary *)0)->member)               \
	}

static const struct field fields[] = {
	FIELD("installed", 10, installed),
	FIELD("purgeable", 10, purgeable),
	FIELD("purgeable_packages", 10, purgeable_packages),
	FIELD("purgeable_bytes", 10, purgeable_bytes),
	FIELD("purgeable_boot_bytes", 10, purgeable_boot_bytes),
	FIELD("boot_size", 10, boot.size),
	FIELD("boot_used", 10, boot.used),
	FIELD("stamp", 16, stamp),
	FIELD("kernels", 16, kernels),
	FIELD("policy", 16, policy),
	FIELD("announced", 16, announced),
	FIELD("last_run_purged", 10, last_run_purged),
	FIELD("last_run_freed_bytes", 10, last_run_freed_bytes),
	FIELD("last_run_freed_boot_bytes", 10, last_run_freed_boot_bytes),
};

static int
set_field(struct kp_summary *s, const char *key, const char *value)
{
	unsigned long long v;
	size_t i;

	if (strcmp(key, "boot_known") == 0) {
		s->boot.known = strcmp(value, "1") == 0;
		return 0;
	}
	if (strcmp(key, "last_run") == 0) {
		for (i = 0; i < KP_ARRAY_SIZE(last_run_names); i++)
			if (strcmp(value, last_run_names[i]) == 0)
				s->last_run = (enum kp_last_run)i;
		return 0;
	}
	for (i = 0; i < KP_ARRAY_SIZE(fields); i++) {
		const struct field *f = &fields[i];
		char *member = (char *)s + f->offset;

		if (strcmp(key, f->key) != 0)
			continue;
		if (!number(value, f->base, &v))
			return -EINVAL;
		if (f->size == sizeof(unsigned)) {
			if (v > UINT_MAX)
				return -EINVAL;
			*(unsigned *)(void *)member = (unsigned)v;
		} else {
			*(unsigned long long *)(void *)member = v;
		}
		return 0;
	}
	return 0; /* a later version's word */
}

/**
 * Parse a state file's text into s (which kp_summary_init() cleared).
 * Unknown words are skipped. Returns 0, or -EINVAL when the text is not
 * a state line of this format.
 */
int
kp_summary_parse(const char *text, struct kp_summary *s)
{
	char buf[STATE_MAX], *word, *save = NULL, *eq;
	size_t len = strlen(text);
	unsigned long long v;
	bool format = false;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, text, len + 1);
	for (word = strtok_r(buf, " \t\n", &save); word != NULL;
	     word = strtok_r(NULL, " \t\n", &save)) {
		eq = strchr(word, '=');
		if (eq == NULL)
			return -EINVAL;
		*eq = '\0';
		if (strcmp(word, "format") == 0) {
			/* "1junk" is not format 1: the whole word, or nothing */
			if (!number(eq + 1, 10, &v) || v != STATE_FORMAT)
				return -EINVAL;
			format = true;
		} else if (set_field(s, word, eq + 1) < 0) {
			return -EINVAL;
		}
	}
	return format ? 0 : -EINVAL;
}

/**
 * Read ROOT/run/purge-old-kernels/status (root NULL or "" for this
 * system) into s. Returns 0; -ENOENT when there is none (no root run
 * since boot); -EINVAL when it is not a state file; another negative code
 * with err filled.
 */
int
kp_summary_load(const char *root, struct kp_summary *s, struct kp_error *err)
{
	char path[PATH_MAX], text[STATE_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s" KP_STATE_FILE, root ? root : "");
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return kp__error_set(err, -errno, "cannot read %s: %s", path,
		                     strerror(errno));
	do
		n = read(fd, text, sizeof(text) - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return kp__error_set(err, -errno, "cannot read %s: %s", path,
		                     strerror(errno));
	text[n] = '\0';
	kp_summary_init(s);
	if (kp_summary_parse(text, s) < 0)
		return kp__error_set(err, -EINVAL,
		                     "%s is not a state file of "
		                     "this version",
		                     path);
	return 0;
}

static int
write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A temporary file in dirfd no one else could have made: ".NAME.RANDOM". */
static int
open_temporary(int dirfd, const char *name, char *tmp, size_t size)
{
	uint64_t rnd;
	int i, fd;

	for (i = 0; i < 16; i++) {
		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
			rnd = ((uint64_t)getpid() << 32) ^ (uint64_t)i;
		snprintf(tmp, size, ".%s.%016" PRIx64, name, rnd);
		fd = openat(dirfd, tmp,
		            O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		                    O_CLOEXEC,
		            0600);
		if (fd >= 0 || errno != EEXIST)
			return fd < 0 ? -errno : fd;
	}
	return -EEXIST;
}

/*
 * Replace NAME in dirfd with data, mode 0644: a temporary file, then
 * rename over the old one. Readers see the old file or the new one.
 */
static int
replace_file(int dirfd, const char *name, const char *data, size_t len)
{
	char tmp[NAME_MAX + 1];
	int fd, r;

	fd = open_temporary(dirfd, name, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	r = write_all(fd, data, len);
	if (r == 0 && fchmod(fd, 0644) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dirfd, tmp, 0);
	return r;
}

/*
 * Open ROOT/run/purge-old-kernels, made if missing, by the trust walk
 * (lib/trust.c): every directory from / root's (ours), none a link.
 */
static int
open_state_dir(const char *root, struct kp_error *err)
{
	struct stat st;
	int fd;

	fd = kp_trust_open_dir(root, KP_STATE_DIR + 1, KP_TRUST_CREATE, err);
	if (fd < 0)
		return fd;
	/* A umask may have taken read or search rights from the others. */
	if (fstat(fd, &st) == 0 && (st.st_mode & 0777) != 0755)
		fchmod(fd, 0755);
	return fd;
}

/**
 * Write s to ROOT/run/purge-old-kernels/status (root NULL or "" for this
 * system), atomically, mode 0644, making the directories (0755) if needed.
 * Returns 0 or a negative code with err filled (-EPERM: a directory on
 * the way, the root's included, belongs to someone else, others can write
 * to it, or is a symbolic link).
 */
int
kp_summary_save(const char *root, const struct kp_summary *s,
                struct kp_error *err)
{
	char text[STATE_MAX];
	struct kp_error why;
	int dirfd, n, r;

	if (root == NULL)
		root = "";
	n = kp_summary_format(s, text, sizeof(text));
	if (n < 0)
		return kp__error_set(err, n, "the state is too long");
	kp_error_clear(&why);
	dirfd = open_state_dir(root, &why);
	if (dirfd < 0)
		return kp__error_set(err, dirfd,
		                     "cannot write %s" KP_STATE_FILE ": %s",
		                     root, why.message);
	r = replace_file(dirfd, "status", text, (size_t)n);
	close(dirfd);
	if (r < 0)
		return kp__error_set(err, r,
		                     "cannot write %s" KP_STATE_FILE ": %s",
		                     root, strerror(-r));
	return 0;
}

/**
 * Could the state file of root be written now: its directory (made if
 * missing) is ours, only we can write to it, and its file system is not
 * read-only? Returns 0, or the negative code kp_summary_save() would
 * meet, with err filled.
 */
int
kp_summary_can_save(const char *root, struct kp_error *err)
{
	struct statvfs vfs;
	struct kp_error why;
	int dirfd, r = 0;

	if (root == NULL)
		root = "";
	kp_error_clear(&why);
	dirfd = open_state_dir(root, &why);
	if (dirfd < 0)
		return kp__error_set(err, dirfd,
		                     "cannot use %s" KP_STATE_DIR ": %s", root,
		                     why.message);
	if (fstatvfs(dirfd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
		r = kp__error_set(err, -EROFS,
		                  "cannot use %s" KP_STATE_DIR ": %s", root,
		                  strerror(EROFS));
	/* root's directory, trusted, is still not ours to write as a user */
	else if (faccessat(dirfd, ".", W_OK, AT_EACCESS) < 0)
		r = kp__error_set(err, -errno,
		                  "cannot use %s" KP_STATE_DIR ": %s", root,
		                  strerror(errno));
	close(dirfd);
	return r;
}

/* One metric: HELP, TYPE and the sample, in base units. */
static void
metric(FILE *out, const char *name, const char *help, unsigned long long v)
{
	fprintf(out,
	        "# HELP purge_old_kernels_%s %s\n"
	        "# TYPE purge_old_kernels_%s gauge\n"
	        "purge_old_kernels_%s %llu\n",
	        name, help, name, name, v);
}

/**
 * Write s as node_exporter textfile metrics (Prometheus text format 0.0.4:
 * HELP and TYPE lines, base units, no timestamps). Returns 0 or -EIO.
 */
int
kp_summary_write_prometheus(const struct kp_summary *s, FILE *out)
{
	metric(out, "installed_releases",
	       "Kernel releases with packages installed.", s->installed);
	metric(out, "purgeable_releases",
	       "Kernel releases purge-old-kernels would purge.", s->purgeable);
	metric(out, "purgeable_packages",
	       "Packages purge-old-kernels would purge.",
	       s->purgeable_packages);
	metric(out, "purgeable_bytes",
	       "Installed size of the packages it would purge.",
	       s->purgeable_bytes);
	metric(out, "purgeable_boot_bytes",
	       "Bytes the purge would free under /boot.",
	       s->purgeable_boot_bytes);
	if (s->boot.known) {
		metric(out, "boot_size_bytes",
		       "Size of the filesystem holding /boot.", s->boot.size);
		metric(out, "boot_used_bytes",
		       "Bytes used on the filesystem holding /boot.",
		       s->boot.used);
	}
	if (s->last_run != KP_LAST_RUN_NONE) {
		metric(out, "last_run_success",
		       "1 if the last periodic run (--auto) succeeded.",
		       s->last_run == KP_LAST_RUN_OK);
		metric(out, "last_run_purged_releases",
		       "Kernel releases the last periodic run purged.",
		       s->last_run_purged);
		metric(out, "last_run_freed_bytes",
		       "Installed size the last periodic run purged.",
		       s->last_run_freed_bytes);
		metric(out, "last_run_freed_boot_bytes",
		       "Bytes the last periodic run freed under /boot.",
		       s->last_run_freed_boot_bytes);
	}
	return fflush(out) != 0 || ferror(out) ? -EIO : 0;
}

/**
 * Write the metrics of s to ROOT/var/lib/prometheus/node-exporter/
 * purge_old_kernels.prom, atomically, when that directory exists, by the
 * trust walk: no link followed; Debian's /var/lib/prometheus belongs to
 * the prometheus user, and is crossed only into a directory of root's.
 * Returns 1 when written, 0 when there is no such directory, or a
 * negative code with err filled.
 */
int
kp_summary_export_prometheus(const char *root, const struct kp_summary *s,
                             struct kp_error *err)
{
	const char *r0 = root != NULL ? root : "";
	struct kp_error why;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int dirfd, r;

	kp_error_clear(&why);
	dirfd = kp_trust_open_dir(root, KP_PROMETHEUS_DIR + 1,
	                          KP_TRUST_CROSS_OWNED, &why);
	if (dirfd == -ENOENT)
		return 0;
	if (dirfd < 0)
		return kp__error_set(
		        err, dirfd, "cannot write %s" KP_PROMETHEUS_FILE ": %s",
		        r0, why.message);
	mem = open_memstream(&text, &len);
	r = mem == NULL ? -ENOMEM : kp_summary_write_prometheus(s, mem);
	if (mem != NULL && fclose(mem) != 0 && r == 0)
		r = -ENOMEM;
	if (r == 0)
		r = replace_file(dirfd, "purge_old_kernels.prom", text, len);
	close(dirfd);
	free(text);
	if (r < 0)
		return kp__error_set(
		        err, r, "cannot write %s" KP_PROMETHEUS_FILE ": %s", r0,
		        strerror(-r));
	return 1;
}
