/*
 * purge-old-kernels - --guard: apt's DPkg::Pre-Install-Pkgs hook.
 *
 * apt runs it before dpkg touches anything, with what it is about to do
 * on stdin (version 3 of the hook protocol, cli/guard-proto.c). When no
 * kernel image is among the packages to unpack it returns at once. When
 * one is, it estimates what the run needs in /boot, in apt's order: each
 * incoming kernel package's files under /boot (read from its .deb) and,
 * for an image, an initrd the size of the largest one in /boot plus
 * GUARD_MARGIN_PERCENT; a removal of a kernel package that comes first
 * frees its files under /boot (its dpkg file list) and an image's initrd.
 * If the free space of the filesystem holding /boot runs out on the way,
 * it stops apt (exit CLI_GUARD_STOP) with one line: what /boot has, what
 * is needed, and what purging the old kernels would free. It never
 * purges: inside apt's run, apt holds the frontend lock, so neither
 * apt-get nor the proof of a plan can run, and dpkg run behind apt's
 * back would leave apt's computed plan stale (see the man page). When it
 * cannot tell (a .deb it cannot read, a /boot it cannot measure), apt
 * goes on, and it says why in one line.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guard.h"
#include "output.h"
#include "unattended.h"

/* The initrd a new kernel gets: the largest in /boot, and this much more. */
#define GUARD_MARGIN_PERCENT 20

#define TAR_BLOCK 512

/* /boot's filesystem: its free bytes and its block size. */
struct boot_fs {
	unsigned long long free;
	unsigned long long block;
};

/* What the run needs and frees in /boot, in apt's order. */
struct tally {
	long long avail;             /* free bytes, as apt's run goes on */
	unsigned long long free_now; /* free before the run */
	unsigned long long freed;    /* by apt's removals before the stop */
	unsigned long long files;    /* incoming kernels' /boot files */
	unsigned long long initrds;  /* their initrds, estimated */
	/* The package that does not fit; -avail is then what is missing. */
	const char *stopped_at;
	size_t n_images; /* incoming images up to there */
};

static bool
is_kind(const char *package, enum kp_kind kind, struct kp_name *name)
{
	return kp_name_parse(package, name) && name->kind == kind;
}

/* Does apt unpack a kernel image in this run? */
static bool
image_incoming(const struct cli_guard_input *in)
{
	struct kp_name name;
	size_t i;

	for (i = 0; i < in->n_actions; i++)
		if (in->actions[i].op == CLI_GUARD_INSTALL &&
		    is_kind(in->actions[i].name, KP_KIND_IMAGE, &name))
			return true;
	return false;
}

/* The descriptor apt writes to: APT_HOOK_INFO_FD, else stdin. */
static FILE *
open_input(void)
{
	const char *s = getenv("APT_HOOK_INFO_FD");
	int fd = STDIN_FILENO;
	char *end;

	if (s != NULL && *s != '\0') {
		long v = strtol(s, &end, 10);

		if (*end == '\0' && v >= 0 && v < INT_MAX)
			fd = (int)v;
	}
	fd = dup(fd);
	return fd < 0 ? NULL : fdopen(fd, "r");
}

static unsigned long long
round_up(unsigned long long bytes, unsigned long long block)
{
	return block ? (bytes + block - 1) / block * block : bytes;
}

/* ------------------------------------------------------ .deb contents */

/* A tar header's numeric field: octal, or GNU base-256. */
static unsigned long long
tar_number(const unsigned char *p, size_t len)
{
	unsigned long long v = 0;
	size_t i = 0;

	if (p[0] & 0x80) {
		v = p[0] & 0x7f;
		for (i = 1; i < len; i++)
			v = v << 8 | p[i];
		return v;
	}
	while (i < len && (p[i] == ' ' || p[i] == '\0'))
		i++;
	for (; i < len && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (unsigned long long)(p[i] - '0');
	return v;
}

/* Is the member named name (./boot/x, boot/x or /boot/x) under /boot? */
static bool
under_boot(const char *name)
{
	while (*name == '.' && name[1] == '/')
		name += 2;
	while (*name == '/')
		name++;
	return strncmp(name, "boot/", 5) == 0 && name[5] != '\0';
}

/* A pax header's "path=" record, for the member that follows. */
static void
pax_path(const char *data, size_t len, char *name, size_t size)
{
	size_t at = 0;

	while (at < len) {
		char *end;
		unsigned long n = strtoul(data + at, &end, 10);
		const char *kv = end + 1;

		/* "N key=value\n": N counts it all, so it is never negative
		 * (strtoul() takes "-6" too) nor past the data: else a loop. */
		if (*end != ' ' || n > len - at || kv >= data + at + n)
			return;
		if (strncmp(kv, "path=", 5) == 0 && kv + 5 <= data + at + n - 1)
			snprintf(name, size, "%.*s",
			         (int)(data + at + n - 1 - (kv + 5)), kv + 5);
		at += n;
	}
}

struct tar_state {
	char long_name[PATH_MAX]; /* from a GNU 'L' or pax 'x' member */
	unsigned long long block;
	unsigned long long boot; /* bytes of the files under /boot */
};

/* Read the data of a member of size bytes; keep it when keep != NULL. */
static int
tar_data(FILE *f, unsigned long long size, char *keep, size_t keep_size)
{
	unsigned char b[TAR_BLOCK];
	unsigned long long at = 0;

	for (; at < size; at += TAR_BLOCK) {
		if (fread(b, 1, TAR_BLOCK, f) != TAR_BLOCK)
			return -EIO;
		if (keep != NULL && at < keep_size)
			memcpy(keep + at, b,
			       at + TAR_BLOCK <= keep_size ? TAR_BLOCK :
			                                     keep_size - at);
	}
	return 0;
}

/* One member: its header in h. Returns 0, 1 at the end, or -EIO. */
static int
tar_member(FILE *f, const unsigned char *h, struct tar_state *t)
{
	unsigned long long size = tar_number(h + 124, 12);
	char name[PATH_MAX], meta[8192];
	char type = (char)h[156];

	if (h[0] == '\0')
		return 1;
	if (t->long_name[0] != '\0')
		snprintf(name, sizeof(name), "%s", t->long_name);
	else if (memcmp(h + 257, "ustar", 5) == 0 && h[345] != '\0')
		snprintf(name, sizeof(name), "%.155s/%.100s", h + 345, h);
	else
		snprintf(name, sizeof(name), "%.100s", h);
	if (type == 'L' || type == 'x') {
		memset(meta, 0, sizeof(meta));
		if (tar_data(f, size, meta, sizeof(meta) - 1) < 0)
			return -EIO;
		if (type == 'L')
			snprintf(t->long_name, sizeof(t->long_name), "%.4095s",
			         meta);
		else
			pax_path(meta, size < sizeof(meta) ? size : 0,
			         t->long_name, sizeof(t->long_name));
		return 0;
	}
	t->long_name[0] = '\0';
	if ((type == '0' || type == '\0') && under_boot(name))
		t->boot += round_up(size, t->block);
	return tar_data(f, size, NULL, 0);
}

/* Sum the files under /boot of the tar archive on f. */
static int
tar_boot_bytes(FILE *f, struct tar_state *t)
{
	unsigned char h[TAR_BLOCK];
	int r = 0;

	while (r == 0) {
		if (fread(h, 1, TAR_BLOCK, f) != TAR_BLOCK)
			return -EIO;
		r = tar_member(f, h, t);
	}
	return r < 0 ? r : 0;
}

/* dpkg-deb --fsys-tarfile DEB, its output on *out; its stderr dropped. */
static pid_t
spawn_dpkg_deb(const char *deb, FILE **out)
{
	int fd[2];
	pid_t pid;

	if (pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(fd[1], STDOUT_FILENO);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDERR_FILENO);
		}
		close(fd[0]);
		close(fd[1]);
		execlp("dpkg-deb", "dpkg-deb", "--fsys-tarfile", deb,
		       (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	if (pid < 0 || (*out = fdopen(fd[0], "r")) == NULL) {
		close(fd[0]);
		return -1;
	}
	return pid;
}

/* Is path (through symbolic links) a regular file? Opened without
 * waiting: opening a FIFO for reading blocks until a writer comes. */
static bool
regular_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	bool ok;

	if (fd < 0)
		return true; /* dpkg-deb says why it cannot read it */
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	close(fd);
	return ok;
}

/*
 * The bytes the files under /boot of the package in deb take, each
 * rounded up to block. Returns 0, or -1 with why in err.
 */
static int
deb_boot_bytes(const char *deb, unsigned long long block,
               unsigned long long *bytes, char *err, size_t err_size)
{
	struct tar_state t = { "", block, 0 };
	FILE *f = NULL;
	pid_t pid;
	int r, status;

	/* A FIFO (or a device) would block dpkg-deb, and apt with it. */
	if (!regular_file(deb)) {
		snprintf(err, err_size, "%s is not a regular file", deb);
		return -1;
	}
	pid = spawn_dpkg_deb(deb, &f);
	if (pid < 0) {
		snprintf(err, err_size, "cannot run dpkg-deb: %s",
		         strerror(errno));
		return -1;
	}
	r = tar_boot_bytes(f, &t);
	while (fgetc(f) != EOF)
		; /* the end blocks and dpkg-deb's padding */
	fclose(f);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		*bytes = t.boot;
		return 0;
	}
	snprintf(err, err_size, "cannot read the files of %s%s", deb,
	         r == 0 ? " (dpkg-deb failed)" : " (not a tar archive)");
	return -1;
}

/* ---------------------------------------------------------- /boot now */

static void
boot_path(const struct cli_options *opts, const char *rest, char *buf,
          size_t size)
{
	snprintf(buf, size, "%s/boot%s", opts->root ? opts->root : "", rest);
}

static int
boot_fs_measure(const struct cli_options *opts, struct boot_fs *fs)
{
	char boot[PATH_MAX];
	struct statvfs v;

	boot_path(opts, "", boot, sizeof(boot));
	if (statvfs(boot, &v) < 0)
		return -errno;
	fs->free = (unsigned long long)v.f_bfree * v.f_frsize;
	fs->block = v.f_bsize ? v.f_bsize : v.f_frsize;
	return 0;
}

/* Bytes the regular file at path takes on disk, 0 for anything else. */
static unsigned long long
disk_bytes(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	return (unsigned long long)st.st_blocks * 512u;
}

/* The largest initrd.img-* in /boot, on disk. */
static unsigned long long
largest_initrd(const struct cli_options *opts)
{
	char boot[PATH_MAX], path[PATH_MAX + 256];
	unsigned long long max = 0, b;
	struct dirent *e;
	DIR *d;

	boot_path(opts, "", boot, sizeof(boot));
	if ((d = opendir(boot)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "initrd.img-", 11) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", boot, e->d_name);
		if ((b = disk_bytes(path)) > max)
			max = b;
	}
	closedir(d);
	return max;
}

/* dpkg's directory of apt's run: Dir::State::status's, else ROOT's. */
static void
admindir(const struct cli_options *opts, const struct cli_guard_input *in,
         char *buf, size_t size)
{
	const char *slash = in->status_file ? strrchr(in->status_file, '/') :
	                                      NULL;

	if (slash != NULL)
		snprintf(buf, size, "%.*s", (int)(slash - in->status_file),
		         in->status_file);
	else
		snprintf(buf, size, "%s/var/lib/dpkg",
		         opts->root ? opts->root : "");
}

/* The bytes the installed package of a has under /boot, by its list. */
static unsigned long long
installed_boot_bytes(const struct cli_options *opts, const char *admin,
                     const struct cli_guard_action *a)
{
	const char *root = opts->root ? opts->root : "";
	char path[PATH_MAX * 2], *line = NULL;
	unsigned long long freed = 0;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/info/%s.list", admin, a->name);
	if ((f = fopen(path, "r")) == NULL && a->arch != NULL) {
		snprintf(path, sizeof(path), "%s/info/%s:%s.list", admin,
		         a->name, a->arch);
		f = fopen(path, "r");
	}
	while (f != NULL && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (strncmp(line, "/boot/", 6) != 0)
			continue;
		snprintf(path, sizeof(path), "%s%s", root, line);
		freed += disk_bytes(path);
	}
	free(line);
	if (f != NULL)
		fclose(f);
	return freed;
}

/* The initrd of name's release in /boot now, on disk; 0 if none. */
static unsigned long long
initrd_now(const struct cli_options *opts, const struct kp_name *name)
{
	char path[PATH_MAX + 64];

	if (name->kind != KP_KIND_IMAGE || name->release[0] == '\0')
		return 0;
	snprintf(path, sizeof(path), "%s/boot/initrd.img-%s",
	         opts->root ? opts->root : "", name->release);
	return disk_bytes(path);
}

/* What removing the installed kernel package a frees under /boot. */
static unsigned long long
removal_frees(const struct cli_options *opts, const char *admin,
              const struct cli_guard_action *a, const struct kp_name *name)
{
	return installed_boot_bytes(opts, admin, a) + initrd_now(opts, name);
}

/*
 * What unpacking and configuring a kernel package with files bytes under
 * /boot needs there at its peak, and what it keeps after. A new package:
 * its files and, for an image, a new initrd. The same package upgraded
 * in place (a Debian point release): dpkg writes the new files beside the
 * old ones (the peak), then they replace them; the initrd is written anew
 * beside the old one: only the growth is kept.
 */
static void
install_needs(const struct cli_options *opts, const char *admin,
              const struct cli_guard_action *a, const struct kp_name *name,
              unsigned long long files, unsigned long long initrd,
              unsigned long long *peak, unsigned long long *kept)
{
	unsigned long long old, grow;

	if (name->kind != KP_KIND_IMAGE)
		initrd = 0;
	if (strcmp(a->old_version, "-") == 0) {
		*peak = *kept = files + initrd;
		return;
	}
	old = installed_boot_bytes(opts, admin, a);
	grow = files > old ? files - old : 0;
	*peak = files > grow + initrd ? files : grow + initrd;
	*kept = grow + (initrd_now(opts, name) > 0 ? 0 : initrd);
}

/* -------------------------------------------------------- the run */

/*
 * Walk apt's actions in order, keeping t->avail up to date, until an
 * incoming kernel does not fit (t->stopped_at) or the end. Returns 0, or
 * -1 with why in err when it cannot tell.
 */
static int
walk(const struct cli_options *opts, const struct cli_guard_input *in,
     const struct boot_fs *fs, struct tally *t, char *err, size_t err_size)
{
	unsigned long long initrd = largest_initrd(opts), bytes, peak, kept;
	char admin[PATH_MAX];
	struct kp_name name;
	size_t i;

	admindir(opts, in, admin, sizeof(admin));
	initrd = round_up(initrd + initrd * GUARD_MARGIN_PERCENT / 100,
	                  fs->block);
	for (i = 0; i < in->n_actions && t->stopped_at == NULL; i++) {
		const struct cli_guard_action *a = &in->actions[i];

		if (!kp_name_parse(a->name, &name) ||
		    (name.kind != KP_KIND_IMAGE &&
		     name.kind != KP_KIND_MODULES))
			continue;
		if (a->op == CLI_GUARD_REMOVE) {
			bytes = removal_frees(opts, admin, a, &name);
			t->avail += (long long)bytes;
			t->freed += bytes;
			continue;
		}
		if (a->op != CLI_GUARD_INSTALL)
			continue;
		if (deb_boot_bytes(a->deb, fs->block, &bytes, err, err_size) <
		    0)
			return -1;
		if (name.kind == KP_KIND_IMAGE && bytes == 0) {
			snprintf(err, err_size, "%s has no file under /boot",
			         a->name);
			return -1;
		}
		install_needs(opts, admin, a, &name, bytes, initrd, &peak,
		              &kept);
		t->files += bytes;
		if (name.kind == KP_KIND_IMAGE) {
			t->initrds += initrd;
			t->n_images++;
		}
		if ((long long)peak > t->avail) {
			t->avail -= (long long)
			        peak; /* -avail: what is missing */
			t->stopped_at = a->name;
		} else {
			t->avail -= (long long)kept;
		}
	}
	return 0;
}

/* "; 'sudo purge-old-kernels' would free ..." for the stop message. */
static void
remedy(struct cli_options *opts, unsigned long long short_by, char *buf,
       size_t size)
{
	struct kp_ctx *ctx = NULL;
	struct kp_plan *plan = NULL;
	struct kp_boot_space b;
	struct cli_policy p;
	struct kp_error err;
	char running[256], command[PATH_MAX + 1100], what[1280], freed[32];
	const char *rel;
	bool was;
	int r;

	kp_error_clear(&err);
	cli_plan_command(opts, false, command, sizeof(command));
	/* The plan's own warnings are not the guard's to say. */
	was = cli_log_silence(true);
	r = cli_running_release(opts, running, sizeof(running), &rel, &err);
	if (r == 0) {
		cli_policy_of(&p, opts, rel);
		r = cli_plan_open(&p, &ctx, &plan, &err);
	}
	cli_log_silence(was);
	if (r < 0) {
		snprintf(buf, size, "; what %s would free is not known (%s)",
		         command, err.message);
		return;
	}
	kp_plan_boot_space(plan, &b);
	cli_format_bytes(b.freed, freed, sizeof(freed));
	cli_plan_what(plan, what, sizeof(what));
	if (kp_plan_n_purge(plan) == 0)
		snprintf(buf, size,
		         "; no old kernel can be purged (%s has nothing to "
		         "do): make room in /boot",
		         command);
	else
		snprintf(buf, size, "; %s would free %s there, purging %s%s",
		         command, freed, what,
		         b.freed < short_by ? ", not enough: make more room in "
		                              "/boot too" :
		                              "");
	kp_plan_free(plan);
	kp_ctx_free(ctx);
}

static int
stop(struct cli_options *opts, const struct kp_config *cfg,
     const struct tally *t)
{
	char avail[32], need[32], files[32], initrds[32], freed[96] = "";
	char fix[8192];

	cli_format_bytes(t->free_now, avail, sizeof(avail));
	cli_format_bytes(t->files + t->initrds, need, sizeof(need));
	cli_format_bytes(t->files, files, sizeof(files));
	cli_format_bytes(t->initrds, initrds, sizeof(initrds));
	if (t->freed > 0) {
		char f[32];

		cli_format_bytes(t->freed, f, sizeof(f));
		snprintf(freed, sizeof(freed),
		         " (and %s apt's removals free "
		         "first)",
		         f);
	}
	remedy(opts, (unsigned long long)-t->avail, fix, sizeof(fix));
	cli_error("stopped apt before it installs %s: /boot has %s free%s, "
	          "and %s need%s about %s there (%s of files, %s for "
	          "initrds, +%d%%)%s%s; then run apt again",
	          t->stopped_at, avail, freed,
	          t->n_images == 1 ? "the new kernel" : "the new kernels",
	          t->n_images == 1 ? "s" : "", need, files, initrds,
	          GUARD_MARGIN_PERCENT, fix,
	          cfg->auto_purge == KP_AUTO_YES ? " (AUTO=yes does not "
	                                           "purge inside apt's run)" :
	                                           "");
	return CLI_GUARD_STOP;
}

/* Measure, walk apt's actions, stop apt or let it go on. */
static int
check(struct cli_options *opts, const struct kp_config *cfg,
      const struct cli_guard_input *in)
{
	struct tally t = { 0, 0, 0, 0, 0, NULL, 0 };
	struct boot_fs fs = { 0, 0 };
	char why[PATH_MAX + 256];
	int r = boot_fs_measure(opts, &fs);

	if (r < 0) {
		cli_warn("cannot measure /boot (%s); apt goes on "
		         "unchecked",
		         strerror(-r));
		return 0;
	}
	t.free_now = fs.free;
	t.avail = fs.free > LLONG_MAX ? LLONG_MAX : (long long)fs.free;
	if (walk(opts, in, &fs, &t, why, sizeof(why)) < 0) {
		cli_warn("%s; apt goes on unchecked", why);
		return 0;
	}
	if (t.stopped_at == NULL)
		return 0;
	return stop(opts, cfg, &t);
}

/*
 * --guard. Returns 0 (apt goes on) or CLI_GUARD_STOP (apt stops before
 * dpkg runs). Everything it cannot tell lets apt go on.
 */
int
cli_guard_run(struct cli_options *opts)
{
	struct cli_guard_input in;
	struct kp_config cfg;
	struct kp_error err;
	char why[512];
	const char *off = getenv("PURGE_OLD_KERNELS_GUARD");
	FILE *f;
	int r = 0;

	if (off != NULL && strcmp(off, "no") == 0)
		return 0;
	if ((f = open_input()) == NULL) {
		cli_warn("cannot read what apt is about to do: %s; "
		         "apt goes on unchecked",
		         strerror(errno));
		return 0;
	}
	r = cli_guard_parse(f, &in, why, sizeof(why));
	fclose(f);
	if (r < 0)
		cli_warn("%s; apt goes on unchecked", why);
	if (r < 0 || !image_incoming(&in)) {
		cli_guard_input_free(&in);
		return 0;
	}
	kp_error_clear(&err);
	if (cli_config_load(opts->root, &cfg, &err) < 0)
		cli_warn("%s; apt goes on unchecked", err.message);
	else if (cfg.guard && cli_config_apply(opts, &cfg) == 0)
		r = check(opts, &cfg, &in);
	kp_config_free(&cfg);
	cli_guard_input_free(&in);
	return r;
}
