/*
 * purge-old-kernels - files of removed kernels that no package owns.
 *
 * The library finds them and removes them safely (lib/orphans.c); this
 * file words them: --list's section, the dry run's list, and the removal
 * after a purge with --orphans, which looks again once apt-get is done
 * (a purge leaves files of the releases it purged: DKMS builds, an
 * initrd a hook made again).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "orphans.h"

/** Find the orphans of ctx's system for plan; a failure only warns. */
void
cli_orphans_find(const struct cli_options *opts, struct kp_ctx *ctx,
                 struct kp_plan *plan)
{
	struct kp_error err;

	kp_error_clear(&err);
	if (kp_plan_find_orphans(ctx, plan, (const char *const *)opts->protect,
	                         opts->n_protect, &err) < 0)
		cli_warn("cannot look for files no package owns: %s",
		         err.message);
}

/* Why an orphan is left alone, for a sentence. */
static const char *
refusal_text(const struct kp_orphan *o, char *buf, size_t size)
{
	switch (o->refusal) {
	case KP_ORPHAN_REMOVABLE:
		return "";
	case KP_ORPHAN_NOT_ROOTS:
		snprintf(buf, size, "owned by uid %u, not root", o->uid);
		return buf;
	case KP_ORPHAN_WRITABLE:
		return "writable by a user other than root";
	case KP_ORPHAN_OTHER_FILESYSTEM:
		return "another filesystem is mounted in it";
	case KP_ORPHAN_UNREADABLE:
		return "part of it cannot be read";
	}
	return "unknown";
}

static void
print_one(FILE *out, const struct kp_orphan *o)
{
	char size[32], why[64];

	cli_format_short(o->bytes, size, sizeof(size));
	fprintf(out, "  %-4s  %s%s", size, o->path, o->directory ? "/" : "");
	if (o->refusal != KP_ORPHAN_REMOVABLE)
		fprintf(out, "  (left alone: %s)",
		        refusal_text(o, why, sizeof(why)));
	fputc('\n', out);
}

/** "3 files no package owns (1.2 MiB)"; "" when there are none. */
void
cli_orphans_sentence(const struct kp_plan *plan, char *buf, size_t size)
{
	size_t n = kp_plan_n_orphans(plan);
	char bytes[32];

	buf[0] = '\0';
	if (n == 0)
		return;
	cli_format_bytes(kp_plan_orphan_bytes(plan), bytes, sizeof(bytes));
	snprintf(buf, size, "%zu file%s no package owns (%s)", n,
	         n == 1 ? "" : "s", bytes);
}

/** --list: the orphans in a section of their own; nothing when none. */
void
cli_print_orphans(FILE *out, const struct kp_plan *plan)
{
	char what[128];
	size_t i;

	if (kp_plan_n_orphans(plan) == 0)
		return;
	cli_orphans_sentence(plan, what, sizeof(what));
	fprintf(out, "\nOf removed kernels, %s; --orphans removes them:\n",
	        what);
	for (i = 0; i < kp_plan_n_orphans(plan); i++)
		print_one(out, kp_plan_orphan(plan, i));
}

/** --dry-run --orphans: each file that would be removed. */
void
cli_print_orphans_dry_run(FILE *out, const struct kp_plan *plan)
{
	char what[128];
	size_t i;

	if (kp_plan_n_orphans(plan) == 0) {
		fputs("\nNo file of a removed kernel is left that no package "
		      "owns; after the purge, what it leaves of the releases "
		      "it purges would be removed.\n",
		      out);
		return;
	}
	cli_orphans_sentence(plan, what, sizeof(what));
	fprintf(out,
	        "\nThen would remove %s, of removed kernels, and what "
	        "the purge leaves of the releases it purges:\n",
	        what);
	for (i = 0; i < kp_plan_n_orphans(plan); i++)
		print_one(out, kp_plan_orphan(plan, i));
}

static void
unlock_dpkg(int fds[2])
{
	size_t i;

	for (i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	fds[0] = fds[1] = -1;
}

/*
 * Take dpkg's locks in admindir, as apt does (lock-frontend, then lock),
 * into fds: while they are held no apt or dpkg can be unpacking a kernel
 * whose new directory would look like an orphan. 0 or CLI_EXIT_ERROR.
 */
static int
lock_dpkg(const char *admindir, int fds[2])
{
	static const char *const names[] = { "lock-frontend", "lock" };
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char path[PATH_MAX];
	size_t i;

	fds[0] = fds[1] = -1;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", admindir, names[i]);
		fds[i] = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		              0640);
		if (fds[i] < 0 || fcntl(fds[i], F_SETLK, &fl) < 0) {
			cli_error(
			        "cannot take dpkg's lock %s (%s): apt or dpkg "
			        "is at work; no file was removed",
			        path, strerror(errno));
			unlock_dpkg(fds);
			return CLI_EXIT_ERROR;
		}
	}
	return 0;
}

/*
 * Look again, now that apt-get is done, holding dpkg's locks (in locks,
 * for the caller to release); 0 or CLI_EXIT_ERROR.
 */
static int
find_again(const struct cli_options *opts, struct kp_plan *plan, int locks[2])
{
	struct kp_error err;
	struct kp_ctx *ctx;
	int r;

	kp_error_clear(&err);
	locks[0] = locks[1] = -1;
	ctx = kp_ctx_new(opts->root, cli_log_kp, NULL, &err);
	if (ctx != NULL && lock_dpkg(kp_ctx_admindir(ctx), locks) != 0) {
		kp_ctx_free(ctx);
		return CLI_EXIT_ERROR;
	}
	/* The database again, as it is under the locks. */
	kp_ctx_free(ctx);
	ctx = ctx == NULL ? NULL :
	                    kp_ctx_new(opts->root, cli_log_kp, NULL, &err);
	r = ctx == NULL ?
	            -1 :
	            kp_plan_find_orphans(ctx, plan,
	                                 (const char *const *)opts->protect,
	                                 opts->n_protect, &err);
	kp_ctx_free(ctx);
	if (r == 0)
		return 0;
	cli_error("cannot look for files no package owns: %s; none was "
	          "removed",
	          err.message);
	return CLI_EXIT_ERROR;
}

/*
 * --orphans, after a purge apt-get finished (or with nothing to purge):
 * remove each orphan root alone owns, name the others. Returns 0, or
 * CLI_EXIT_ERROR when one could not be removed.
 */
int
cli_orphans_remove(const struct cli_options *opts, struct kp_plan *plan)
{
	bool quiet = opts->quiet || opts->args.apt_quiet;
	unsigned long long freed = 0;
	size_t i, removed = 0;
	struct kp_error err;
	char size[32], why[64];
	int r, locks[2];

	if ((r = find_again(opts, plan, locks)) != 0) {
		unlock_dpkg(locks);
		return r;
	}
	if (kp_plan_n_orphans(plan) == 0) {
		unlock_dpkg(locks);
		if (!quiet)
			puts("No file of a removed kernel is left that no "
			     "package owns.");
		return 0;
	}
	for (i = 0; i < kp_plan_n_orphans(plan); i++) {
		const struct kp_orphan *o = kp_plan_orphan(plan, i);

		kp_error_clear(&err);
		if (o->refusal != KP_ORPHAN_REMOVABLE) {
			cli_warn("%s is left alone: %s", o->path,
			         refusal_text(o, why, sizeof(why)));
		} else if (kp_plan_remove_orphan(plan, i, &err) < 0) {
			cli_error("%s", err.message);
			r = CLI_EXIT_ERROR;
		} else {
			removed++;
			freed += o->bytes;
			if (!quiet)
				printf("Removed %s%s\n", o->path,
				       o->directory ? "/" : "");
		}
	}
	unlock_dpkg(locks);
	cli_format_bytes(freed, size, sizeof(size));
	if (!quiet || r != 0)
		printf("Removed %zu file%s no package owns, freeing %s.\n",
		       removed, removed == 1 ? "" : "s", size);
	return r;
}
