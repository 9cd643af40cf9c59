/*
 * libkpurge - what a path really is: the one trust walk (lib/trust.c).
 *
 * Private to the project: the CLI links libkpurge.a and uses it for the
 * environment it hands to apt-get and dpkg; it is not in kpurge.h.
 */
#ifndef KPURGE_TRUST_H
#define KPURGE_TRUST_H

#include <stdbool.h>
#include <sys/types.h>

#include "kpurge.h"

/* How kp_trust_open_dir() walks below the root. */
enum kp_trust_flags {
	/* Make missing directories (0755), only inside trusted ones. */
	KP_TRUST_CREATE = 1 << 0,
	/*
	 * A directory another user owns (not writable by group or others)
	 * may be crossed into one of root's, as Debian's prometheus user's
	 * /var/lib/prometheus into node-exporter.
	 */
	KP_TRUST_CROSS_OWNED = 1 << 1,
};

int kp_trust_open(const char *path, int flags, uid_t uid, struct kp_error *err);
bool kp_trust_path(const char *path, uid_t uid, struct kp_error *err);
int kp_trust_open_dir(const char *root, const char *rel, unsigned flags,
                      struct kp_error *err);

#endif /* KPURGE_TRUST_H */
