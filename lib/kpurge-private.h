/*
 * libkpurge internals shared between the library's files. Nothing here is
 * part of the public interface; names start with kp__.
 */
#ifndef KPURGE_PRIVATE_H
#define KPURGE_PRIVATE_H

#include "kpurge.h"

#include <stdarg.h>

#define KP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* error.c */
int kp__error_set(struct kp_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kp__log(struct kp_ctx *ctx, enum kp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
char *kp__strdup_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* dpkg-db.c: one package of the database, as the planner needs it. */
struct kp__dbpkg {
	char *name;    /* name, or name:arch when ambiguous */
	char *version;
	enum kp_state state;
	bool held;
	unsigned long long size_kib;
	struct kp_name kname;
	void *dpkg;    /* libdpkg's struct pkginfo, for dependency checks */
};

/* The kernel packages of the database (only those kp_name_parse() takes). */
size_t kp__ctx_n_packages(const struct kp_ctx *ctx);
const struct kp__dbpkg *kp__ctx_package(const struct kp_ctx *ctx, size_t i);

/*
 * With the kernel packages for which purged(i) is true gone, find an
 * installed package outside that set whose Depends or Pre-Depends would
 * no longer be satisfied. Returns the index of a purged package it needs
 * and fills *dependent with that package's name (owned by the context),
 * or returns -1 when nothing breaks.
 */
long kp__ctx_find_broken_dependency(struct kp_ctx *ctx,
                                    bool (*purged)(size_t i, void *data),
                                    void *data, const char **dependent);

#endif /* KPURGE_PRIVATE_H */
