/*
 * libkpurge - the application layer of purge-old-kernels, over the
 * planning core of kpurge.h: its configuration file, change detection,
 * the state file under /run and the node_exporter metrics. A program that
 * only plans needs kpurge.h alone.
 *
 * Conventions are kpurge.h's: 0 or a negative errno-style code with the
 * caller's struct kp_error filled; the caller owns what it passes in and
 * frees what a function fills with the matching _free() function.
 */
#ifndef KPURGE_APP_H
#define KPURGE_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kpurge.h"

#ifdef __cplusplus
extern "C" {
#endif

/* -------------------------------------------------------- configuration */

/* The configuration file, relative to the system's root directory. */
#define KP_CONFIG_NAME "purge-old-kernels.conf"

#define KP_TIMEOUT_DEFAULT 300u /* seconds to wait for apt's lock */
#define KP_TIMEOUT_MAX 86400u
#define KP_BOOT_WARN_DEFAULT 85u /* /boot this full (percent) is news */

/* Whether the apt hook and the periodic job purge, or only report. */
enum kp_auto {
	KP_AUTO_NO,  /* report what could be purged (the default) */
	KP_AUTO_YES, /* purge it */
};

/* purge-old-kernels.conf(5), read; kp_config_init() gives the defaults. */
struct kp_config {
	unsigned keep;        /* KEEP */
	bool keep_set;        /* KEEP was given */
	char **protect;       /* PROTECT: releases, owned */
	char **protect_where; /* "FILE:LINE" of each, owned */
	size_t n_protect;
	enum kp_auto auto_purge;  /* AUTO */
	unsigned timeout;         /* TIMEOUT: seconds to wait for apt's lock */
	unsigned boot_warn;       /* BOOT_WARN_PERCENT */
	bool only_auto_installed; /* ONLY_AUTO_INSTALLED */
	bool guard;               /* GUARD: the apt guard checks /boot (yes) */
};

/* Fill cfg with the defaults (what a missing file means); owns nothing. */
void kp_config_init(struct kp_config *cfg);
/* Free what cfg owns (protect, protect_where); it holds the defaults again. */
void kp_config_free(struct kp_config *cfg);
/*
 * Read the configuration file at path into cfg (the defaults, or an
 * earlier file's values), as kp_config_read_stream(). A missing file is
 * no error: cfg keeps what it holds. Returns 0 or a negative code with
 * err filled. The caller frees cfg with kp_config_free().
 */
int kp_config_read(const char *path, struct kp_config *cfg, kp_log_fn log,
                   void *log_data, struct kp_error *err);
/*
 * Read configuration lines from f into cfg; name is the file's name in
 * the messages. Unknown keys go to log (which may be NULL) as warnings
 * ("FILE:LINE: ..."). Returns 0, or -EINVAL with "FILE:LINE: what is
 * wrong" in err for the first bad line (cfg then holds the lines before
 * it), -EIO, -ENOMEM. f stays open: the caller closes it.
 */
int kp_config_read_stream(FILE *f, const char *name, struct kp_config *cfg,
                          kp_log_fn log, void *log_data, struct kp_error *err);

/* ------------------------------------------------- change detection */

#define KP_HASH_INIT 0xcbf29ce484222325ULL
/* FNV-1a, 64 bits: h (KP_HASH_INIT, or the hash so far), then data. */
unsigned long long kp_hash(unsigned long long h, const void *data, size_t len);
/*
 * The stamp of the dpkg database of root (NULL, "" or "/" for this
 * system) into *out: it changes whenever dpkg writes its status file or
 * journal. Two stat() calls. Returns 0, or a negative code with err filled.
 */
int kp_db_stamp(const char *root, unsigned long long *out,
                struct kp_error *err);
/*
 * The fingerprint of what the plan reads from root's dpkg database into
 * *out: the records of the kernel packages, of the packages that depend
 * on one (or on a name one provides) and of the other choices in those
 * dependencies. It changes when one of them is installed, removed,
 * upgraded, held or unheld. Reads the status file and the journal without
 * libdpkg (no context needed). Returns 0, or a negative code with err
 * filled.
 */
int kp_kernel_fingerprint(const char *root, unsigned long long *out,
                          struct kp_error *err);

/* ------------------------------------------------------------- summary */

/* Under the root directory: the state file and node_exporter's file. */
#define KP_STATE_DIR "/run/purge-old-kernels"
#define KP_STATE_FILE KP_STATE_DIR "/status"
#define KP_PROMETHEUS_DIR "/var/lib/prometheus/node-exporter"
#define KP_PROMETHEUS_FILE KP_PROMETHEUS_DIR "/purge_old_kernels.prom"

enum kp_last_run {
	KP_LAST_RUN_NONE, /* no periodic job ran since boot */
	KP_LAST_RUN_OK,
	KP_LAST_RUN_FAILED,
};

/*
 * What a plan comes to, kept in the state file for the cheap readers (the
 * apt hook, the Byobu status) and exported to node_exporter. A value: it
 * owns nothing.
 */
struct kp_summary {
	unsigned installed; /* releases with packages installed */
	unsigned purgeable; /* releases the plan purges */
	unsigned purgeable_packages;
	unsigned long long purgeable_bytes;      /* what they free (size_kib) */
	unsigned long long purgeable_boot_bytes; /* what goes from /boot */
	struct kp_boot_space boot;
	/* What the plan was made from (kp_db_stamp(), kp_kernel_fingerprint()
	 * and the caller's hash of the options). */
	unsigned long long stamp, kernels, policy;
	/* What the apt hook last spoke about, or found nothing in (its hash
	 * of kernels, policy and configuration; 0: nothing yet): kept apart
	 * from the above, which any run refreshes. */
	unsigned long long announced;
	/* The last periodic job (--auto), carried over by the other runs. */
	enum kp_last_run last_run;
	unsigned last_run_purged; /* releases */
	unsigned long long last_run_freed_bytes;
	unsigned long long last_run_freed_boot_bytes;
};

/* An empty summary: nothing installed, no periodic job ran. */
void kp_summary_init(struct kp_summary *s);
/* Fill the plan's part of s from plan (stamps and last run left as they are). */
void kp_summary_from_plan(struct kp_summary *s, const struct kp_plan *plan);
/*
 * s as the state file's line (with its newline) into buf. Returns its
 * length, or -ENOSPC when buf is too small.
 */
int kp_summary_format(const struct kp_summary *s, char *buf, size_t size);
/*
 * Parse a state file's text into s (cleared by kp_summary_init() first).
 * Unknown words are skipped. Returns 0, or -EINVAL when the text is not a
 * state line of this format.
 */
int kp_summary_parse(const char *text, struct kp_summary *s);
/*
 * Read ROOT/run/purge-old-kernels/status (root NULL or "" for this
 * system) into s. Returns 0; -ENOENT when there is none (no run since
 * boot); -EINVAL when it is not a state file; another negative code with
 * err filled.
 */
int kp_summary_load(const char *root, struct kp_summary *s,
                    struct kp_error *err);
/*
 * Write s to ROOT/run/purge-old-kernels/status, atomically, mode 0644,
 * making the directories (0755) if needed. Writes go only through
 * directories root owns and only root can write, no link followed.
 * Returns 0 or a negative code with err filled (-EPERM: a directory on
 * the way belongs to someone else, others can write to it, or is a link).
 */
int kp_summary_save(const char *root, const struct kp_summary *s,
                    struct kp_error *err);
/*
 * Could the state file of root be written now (its directory, made if
 * missing, is the caller's and only the caller can write to it; its file
 * system is not read-only)? Returns 0, or the negative code
 * kp_summary_save() would meet, with err filled.
 */
int kp_summary_can_save(const char *root, struct kp_error *err);
/*
 * Write s to out as node_exporter textfile metrics (Prometheus text
 * format 0.0.4: HELP and TYPE lines, base units, no timestamps). Returns 0
 * or -EIO.
 */
int kp_summary_write_prometheus(const struct kp_summary *s, FILE *out);
/*
 * Write the metrics of s to ROOT/var/lib/prometheus/node-exporter/
 * purge_old_kernels.prom, atomically, when that directory exists (by the
 * same walk as kp_summary_save(); Debian's /var/lib/prometheus, the
 * prometheus user's, is crossed only into a directory of root's). Returns
 * 1 when written, 0 when there is no such directory, or a negative code
 * with err filled.
 */
int kp_summary_export_prometheus(const char *root, const struct kp_summary *s,
                                 struct kp_error *err);

#ifdef __cplusplus
}
#endif

#endif /* KPURGE_APP_H */
