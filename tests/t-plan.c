/*
 * t-plan: the planning rules, one declarative case each: the packages of a
 * dpkg database (read by the real libdpkg), the options, and the expected
 * purge list and reasons.
 */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kpurge.h"
#include "kpurge-private.h" /* test_boot_freed_saturates: the plan's insides */
#include "statusdb.h"

#define U(abi, fl)                                                             \
	{ "linux-image-" abi "-" fl, NULL, NULL, NULL, abi ".1" },             \
	{                                                                      \
		"linux-modules-" abi "-" fl, NULL, NULL, NULL, abi ".1"        \
	}

struct plan_case {
	const char *name;
	struct sdb_pkg pkgs[24];
	const char *running; /* NULL: none */
	unsigned keep;
	const char *protect[3];
	const char *purge;   /* expected, sorted, space-separated */
	const char *reasons; /* "release=reason ..." that must hold (or
	                        "package=reason" for a flavour-less one) */
	int error;           /* expected error of kp_plan_new, or 0 */
};

static const struct plan_case cases[] = {
	{ "numeric order: 101 is newer than 91, running kept",
	  { U("5.15.0-88", "generic"), U("5.15.0-91", "generic"),
	    U("5.15.0-101", "generic") },
	  "5.15.0-91-generic",
	  1,
	  { 0 },
	  "linux-image-5.15.0-88-generic linux-modules-5.15.0-88-generic",
	  "5.15.0-101-generic=latest 5.15.0-91-generic=running 5.15.0-88-generic=old" },
	{ "the running kernel may be one of the newest N",
	  { U("6.8.0-31", "generic"), U("6.8.0-35", "generic"),
	    U("6.8.0-40", "generic"), U("6.8.0-45", "generic") },
	  "6.8.0-45-generic",
	  2,
	  { 0 },
	  "linux-image-6.8.0-31-generic linux-image-6.8.0-35-generic "
	  "linux-modules-6.8.0-31-generic linux-modules-6.8.0-35-generic",
	  "6.8.0-45-generic=running 6.8.0-40-generic=newest 6.8.0-35-generic=old" },
	{ "an older running kernel is kept besides the newest N",
	  { U("6.8.0-31", "generic"), U("6.8.0-35", "generic"),
	    U("6.8.0-40", "generic"), U("6.8.0-45", "generic") },
	  "6.8.0-31-generic",
	  2,
	  { 0 },
	  "linux-image-6.8.0-35-generic linux-modules-6.8.0-35-generic",
	  "6.8.0-45-generic=latest 6.8.0-40-generic=newest 6.8.0-31-generic=running" },
	{ "flavours of one version count as one",
	  { U("6.8.0-40", "generic"), U("6.8.0-40", "lowlatency"),
	    U("6.8.0-31", "generic") },
	  NULL,
	  1,
	  { 0 },
	  "linux-image-6.8.0-31-generic linux-modules-6.8.0-31-generic",
	  "6.8.0-40-generic=latest 6.8.0-40-lowlatency=latest" },
	{ "flavour-less headers follow the kept releases of their ABI",
	  { U("5.15.0-88", "generic"),
	    U("5.15.0-91", "generic"),
	    { "linux-headers-5.15.0-88-generic", NULL,
	      "linux-headers-5.15.0-88", NULL, NULL },
	    { "linux-headers-5.15.0-88", NULL, NULL, NULL, NULL },
	    { "linux-headers-5.15.0-91-generic", NULL,
	      "linux-headers-5.15.0-91", NULL, NULL },
	    { "linux-headers-5.15.0-91", NULL, NULL, NULL, NULL },
	    { "linux-hwe-6.8-tools-5.15.0-88", NULL, NULL, NULL, NULL } },
	  NULL,
	  1,
	  { 0 },
	  "linux-headers-5.15.0-88 linux-headers-5.15.0-88-generic "
	  "linux-hwe-6.8-tools-5.15.0-88 linux-image-5.15.0-88-generic "
	  "linux-modules-5.15.0-88-generic",
	  "5.15.0-91-generic=latest 5.15.0-88-generic=old" },
	{ "a held release is kept whole",
	  { U("5.15.0-88", "generic"),
	    U("5.15.0-91", "generic"),
	    U("5.15.0-101", "generic"),
	    { "linux-image-5.15.0-70-generic", "h", NULL, NULL, NULL },
	    { "linux-modules-5.15.0-70-generic", NULL, NULL, NULL, NULL } },
	  NULL,
	  1,
	  { 0 },
	  "linux-image-5.15.0-88-generic linux-image-5.15.0-91-generic "
	  "linux-modules-5.15.0-88-generic linux-modules-5.15.0-91-generic",
	  "5.15.0-70-generic=held" },
	{ "--protect keeps a release",
	  { U("5.15.0-88", "generic"), U("5.15.0-91", "generic"),
	    U("5.15.0-101", "generic") },
	  NULL,
	  1,
	  { "5.15.0-88-generic" },
	  "linux-image-5.15.0-91-generic linux-modules-5.15.0-91-generic",
	  "5.15.0-88-generic=protected" },
	{ "--protect keeps a release's flavour-less packages, with none of its own left",
	  { U("5.15.0-91", "generic"),
	    U("5.15.0-101", "generic"),
	    { "linux-headers-5.15.0-88", NULL, NULL, NULL, NULL },
	    { "linux-tools-5.15.0-88", NULL, NULL, NULL, NULL },
	    { "linux-headers-5.15.0-70", NULL, NULL, NULL, NULL } },
	  NULL,
	  1,
	  { "5.15.0-88-generic" },
	  "linux-headers-5.15.0-70 linux-image-5.15.0-91-generic "
	  "linux-modules-5.15.0-91-generic",
	  "linux-headers-5.15.0-88=protected linux-tools-5.15.0-88=protected "
	  "linux-headers-5.15.0-70=shared-unused" },
	{ "--protect of a version keeps every flavour of it",
	  { U("5.15.0-88", "generic"),
	    U("5.15.0-88", "lowlatency"),
	    { "linux-headers-5.15.0-88", NULL, NULL, NULL, NULL },
	    U("5.15.0-91", "generic"),
	    U("5.15.0-101", "generic") },
	  NULL,
	  1,
	  { "5.15.0-88" },
	  "linux-image-5.15.0-91-generic linux-modules-5.15.0-91-generic",
	  "5.15.0-88-generic=protected 5.15.0-88-lowlatency=protected "
	  "linux-headers-5.15.0-88=protected 5.15.0-91-generic=old" },
	{ "--protect keeps a custom release's headers once its image is gone",
	  { { "linux-image-6.8.2", NULL, NULL, NULL, "6.8.2-1" },
	    { "linux-headers-6.7.0-rc1+", NULL, NULL, NULL, "6.7.0-rc1+-1" },
	    { "linux-headers-6.6.0-rc2+", NULL, NULL, NULL, "6.6.0-rc2+-1" } },
	  NULL,
	  1,
	  { "6.7.0-rc1+" },
	  "linux-headers-6.6.0-rc2+",
	  "linux-headers-6.7.0-rc1+=protected 6.8.2=latest" },
	{ "config-files releases are purged and never count toward N",
	  { U("5.15.0-91", "generic"),
	    U("5.15.0-101", "generic"),
	    { "linux-image-5.15.0-200-generic", "c", NULL, NULL, NULL },
	    { "linux-modules-5.15.0-50-generic", "c", NULL, NULL, NULL } },
	  NULL,
	  2,
	  { 0 },
	  "linux-image-5.15.0-200-generic linux-modules-5.15.0-50-generic",
	  "5.15.0-91-generic=newest 5.15.0-200-generic=config-only 5.15.0-50-generic=config-only" },
	{ "flavour-less leftovers in config-files state are purged, even newer ones",
	  { U("6.8.0-31", "generic"),
	    { "linux-headers-6.8.0-50", "c", NULL, NULL, NULL },
	    { "linux-headers-6.8.0-20", "c", NULL, NULL, NULL } },
	  NULL,
	  1,
	  { 0 },
	  "linux-headers-6.8.0-20 linux-headers-6.8.0-50",
	  "" },
	{ "releases without an image: newer kept, older purged",
	  { U("6.8.0-31", "generic"),
	    { "linux-headers-6.9.0-1-generic", NULL, NULL, NULL, NULL },
	    { "linux-modules-5.4.0-10-generic", NULL, NULL, NULL, NULL } },
	  NULL,
	  1,
	  { 0 },
	  "linux-modules-5.4.0-10-generic",
	  "6.9.0-1-generic=newer-incomplete 5.4.0-10-generic=no-image" },
	{ "a metapackage's release is kept, and so is its ABI's headers",
	  { U("6.8.0-31", "generic"),
	    U("6.8.0-40", "generic"),
	    U("6.8.0-45", "generic"),
	    { "linux-headers-6.8.0-31", NULL, NULL, NULL, NULL },
	    { "linux-generic", NULL, "linux-image-generic (= 6.8.0-31.31)",
	      NULL, "6.8.0-31.31" },
	    { "linux-image-generic", NULL, "linux-image-6.8.0-31-generic", NULL,
	      "6.8.0-31.31" } },
	  NULL,
	  1,
	  { 0 },
	  "linux-image-6.8.0-40-generic linux-modules-6.8.0-40-generic",
	  "6.8.0-31-generic=needed 6.8.0-45-generic=latest" },
	{ "a dependency through a virtual package keeps the release",
	  { U("6.8.0-31", "generic"),
	    U("6.8.0-45", "generic"),
	    { "linux-headers-6.8.0-31-generic", NULL, NULL,
	      "vendor-kernel-headers", NULL },
	    { "vendor-dkms", NULL, "vendor-kernel-headers", NULL, NULL } },
	  NULL,
	  1,
	  { 0 },
	  "",
	  "6.8.0-31-generic=needed" },
	{ "an alternative a remaining package satisfies keeps nothing",
	  { U("6.8.0-31", "generic"),
	    U("6.8.0-45", "generic"),
	    { "linux-modules-extra-6.8.0-31-generic", NULL,
	      "linux-image-6.8.0-31-generic | linux-image-unsigned-6.8.0-31-generic",
	      NULL, NULL },
	    { "some-tool", NULL,
	      "linux-image-6.8.0-31-generic | linux-image-6.8.0-45-generic",
	      NULL, NULL } },
	  NULL,
	  1,
	  { 0 },
	  "linux-image-6.8.0-31-generic linux-modules-6.8.0-31-generic "
	  "linux-modules-extra-6.8.0-31-generic",
	  "6.8.0-31-generic=old" },
	{ "never anything outside a kernel family",
	  { U("6.1.0-17", "amd64"),
	    U("6.1.0-18", "amd64"),
	    { "linux-libc-dev", NULL, NULL, NULL, "6.1.76-1" },
	    { "linux-firmware", NULL, NULL, NULL, NULL },
	    { "firmware-misc-nonfree", NULL, NULL, NULL, NULL },
	    { "linux-tools-common", NULL, NULL, NULL, NULL },
	    { "linux-kbuild-6.1", NULL, NULL, NULL, NULL },
	    { "linux-source-6.1", NULL, NULL, NULL, NULL },
	    { "linux-base", NULL, NULL, NULL, NULL },
	    { "linux-image-amd64", NULL, NULL, NULL, NULL } },
	  NULL,
	  1,
	  { 0 },
	  "linux-image-6.1.0-17-amd64 linux-modules-6.1.0-17-amd64",
	  "" },
	{ "Debian backports and -common headers",
	  { U("6.1.0-17", "amd64"),
	    U("6.1.0-18", "amd64"),
	    U("6.5.0-0.deb12.4", "amd64"),
	    { "linux-headers-6.1.0-17-common", NULL, NULL, NULL, NULL },
	    { "linux-headers-6.5.0-0.deb12.4-common", NULL, NULL, NULL, NULL },
	    { "linux-kbuild-6.5.0-0.deb12.4", NULL, NULL, NULL, NULL } },
	  "6.1.0-18-amd64",
	  0,
	  { 0 },
	  "linux-headers-6.1.0-17-common linux-image-6.1.0-17-amd64 "
	  "linux-modules-6.1.0-17-amd64",
	  "6.5.0-0.deb12.4-amd64=latest 6.1.0-18-amd64=running" },
	{ "custom builds: -rcN and + releases, headers of the release",
	  { { "linux-image-6.7.0-rc1+", NULL, NULL, NULL, NULL },
	    { "linux-headers-6.7.0-rc1+", NULL, NULL, NULL, NULL },
	    { "linux-image-6.6.1-custom", NULL, NULL, NULL, NULL },
	    { "linux-headers-6.6.1-custom", NULL, NULL, NULL, NULL } },
	  NULL,
	  1,
	  { 0 },
	  "linux-headers-6.6.1-custom linux-image-6.6.1-custom",
	  "6.7.0-rc1+=latest 6.6.1-custom=old" },
	{ "an -rc release sorts before its final release",
	  { { "linux-image-6.7.0-rc1", NULL, NULL, NULL, NULL },
	    { "linux-image-6.7.0", NULL, NULL, NULL, NULL } },
	  NULL,
	  1,
	  { 0 },
	  "linux-image-6.7.0-rc1",
	  "6.7.0=latest" },
	{ "--keep=0 keeps the running and the newest",
	  { U("5.15.0-88", "generic"), U("5.15.0-91", "generic"),
	    U("5.15.0-101", "generic") },
	  "5.15.0-88-generic",
	  0,
	  { 0 },
	  "linux-image-5.15.0-91-generic linux-modules-5.15.0-91-generic",
	  "5.15.0-88-generic=running 5.15.0-101-generic=latest" },
	{ "--keep=0 with no running kernel is refused",
	  { U("5.15.0-88", "generic"), U("5.15.0-91", "generic") },
	  NULL,
	  0,
	  { 0 },
	  NULL,
	  NULL,
	  -EINVAL },
	{ "--keep=0 with a running kernel not installed here is refused",
	  { U("5.15.0-88", "generic"), U("5.15.0-91", "generic") },
	  "6.1.0-18-amd64",
	  0,
	  { 0 },
	  NULL,
	  NULL,
	  -EINVAL },
	{ "a running kernel that is not installed changes nothing",
	  { U("5.15.0-88", "generic"), U("5.15.0-91", "generic"),
	    U("5.15.0-101", "generic") },
	  "6.1.0-18-amd64",
	  1,
	  { 0 },
	  "linux-image-5.15.0-88-generic linux-image-5.15.0-91-generic "
	  "linux-modules-5.15.0-88-generic linux-modules-5.15.0-91-generic",
	  "" },
	{ "a half-configured image does not make a release complete",
	  { U("6.8.0-31", "generic"),
	    { "linux-image-6.8.0-45-generic", "b", NULL, NULL, NULL } },
	  NULL,
	  1,
	  { 0 },
	  "",
	  "6.8.0-45-generic=newer-incomplete 6.8.0-31-generic=latest" },
	{ "a running custom kernel with local version -dbg is a release, not debug symbols",
	  { { "linux-image-6.7.1-dbg", NULL, NULL, NULL, "6.7.1-1" },
	    { "linux-headers-6.7.1-dbg", NULL, NULL, NULL, "6.7.1-1" },
	    { "linux-image-6.8.2", NULL, NULL, NULL, "6.8.2-1" } },
	  "6.7.1-dbg",
	  1,
	  { 0 },
	  "",
	  "6.7.1-dbg=running 6.8.2=latest" },
	{ "linux-image-R-dbg without evidence of a custom release is R's debug package",
	  { { "linux-image-6.1.0-17-amd64-dbg", NULL, NULL, NULL, NULL },
	    U("6.1.0-18", "amd64") },
	  NULL,
	  2,
	  { 0 },
	  "linux-image-6.1.0-17-amd64-dbg",
	  "6.1.0-17-amd64=no-image" },
	{ "nothing installed, nothing to do",
	  { { NULL } },
	  NULL,
	  2,
	  { 0 },
	  "",
	  "" },
};

/* The purge list as one sorted, space-separated string. */
static char *
purge_string(const struct kp_plan *plan)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < kp_plan_n_purge(plan); i++)
		len += strlen(kp_plan_purge_name(plan, i)) + 1;
	s = calloc(1, len);
	assert_non_null(s);
	for (i = 0; i < kp_plan_n_purge(plan); i++) {
		if (i)
			strcat(s, " ");
		strcat(s, kp_plan_purge_name(plan, i));
	}
	return s;
}

static const struct kp_release *
find_release(const struct kp_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; i < kp_plan_n_releases(plan); i++)
		if (strcmp(kp_plan_release(plan, i)->name, name) == 0)
			return kp_plan_release(plan, i);
	return NULL;
}

static const struct kp_package *
find_package(const struct kp_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; i < kp_plan_n_packages(plan); i++)
		if (strcmp(kp_plan_package(plan, i)->name, name) == 0)
			return kp_plan_package(plan, i);
	return NULL;
}

static void
check_reasons(const struct kp_plan *plan, const char *reasons)
{
	char *copy = strdup(reasons), *save = NULL, *tok;

	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		const struct kp_release *rel;
		const struct kp_package *pkg;

		assert_non_null(eq);
		*eq = '\0';
		rel = find_release(plan, tok);
		pkg = rel == NULL ? find_package(plan, tok) : NULL;
		if (rel != NULL) {
			assert_string_equal(kp_reason_name(rel->reason),
			                    eq + 1);
			assert_non_null(rel->why);
		} else if (pkg != NULL && pkg->release == NULL) {
			assert_string_equal(kp_reason_name(pkg->reason),
			                    eq + 1);
			assert_non_null(pkg->why);
		} else {
			fail_msg(
			        "no release or flavour-less package %s in the plan",
			        tok);
		}
	}
	free(copy);
}

/* Invariants of every plan: purged packages are in the purge list only. */
static void
check_consistency(const struct kp_plan *plan)
{
	size_t i, purged = 0;

	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);

		assert_non_null(p->why);
		if (p->action == KP_PURGE) {
			purged++;
			assert_false(p->held);
		}
	}
	assert_int_equal(purged, kp_plan_n_purge(plan));
}

/* The library's warnings of the last case, one per line. */
static char warnings[4096];

static void
keep_warning(void *data, enum kp_log_level level, const char *msg)
{
	if (level <= KP_LOG_WARNING)
		snprintf(warnings + strlen(warnings),
		         sizeof(warnings) - strlen(warnings), "%s\n", msg);
}

static void
run_case(void **state)
{
	const struct plan_case *c = *state;
	struct kp_plan_options opts = { .keep = c->keep,
		                        .running = c->running };
	struct kp_error err = { 0 };
	struct kp_plan *plan = NULL;
	char *root = sdb_root_new(c->pkgs);
	struct kp_ctx *ctx;

	warnings[0] = '\0';
	ctx = kp_ctx_new(root, keep_warning, NULL, &err);
	int r;

	assert_non_null(ctx);
	for (opts.n_protect = 0; c->protect[opts.n_protect]; opts.n_protect++)
		;
	opts.protect = c->protect;
	r = kp_plan_new(ctx, &opts, &plan, &err);
	kp_ctx_free(ctx);
	sdb_root_free(root);
	if (c->error) {
		assert_int_equal(r, c->error);
		assert_null(plan);
		assert_true(strlen(err.message) > 10);
		return;
	}
	assert_int_equal(r, 0);
	char *got = purge_string(plan);
	assert_string_equal(got, c->purge);
	free(got);
	check_reasons(plan, c->reasons);
	check_consistency(plan);
	/* What --protect keeps is there: no "no such kernel release". */
	if (strstr(c->reasons, "=protected") != NULL)
		assert_null(strstr(warnings, "no such kernel release"));
	kp_plan_free(plan);
}

/* The plan of the system at root with --keep=keep and no running kernel. */
static struct kp_plan *
plan_root(const char *root, unsigned keep)
{
	struct kp_plan_options opts = { .keep = keep };
	struct kp_error err = { 0 };
	struct kp_plan *plan = NULL;
	struct kp_ctx *ctx = kp_ctx_new(root, NULL, NULL, &err);

	assert_non_null(ctx);
	assert_int_equal(kp_plan_new(ctx, &opts, &plan, &err), 0);
	kp_ctx_free(ctx);
	return plan;
}

/* The plan as its JSON document, to free. */
static char *
plan_json(const struct kp_plan *plan)
{
	struct kp_error err = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(kp_plan_write_json(plan, f, &err), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* The plan outlives its context and the JSON document names the purge. */
static void
test_json(void **state)
{
	static const struct sdb_pkg pkgs[] = { U("5.15.0-88", "generic"),
		                               U("5.15.0-91", "generic"),
		                               { NULL } };
	char *root = sdb_root_new(pkgs), *buf;
	struct kp_plan *plan = plan_root(root, 1);

	sdb_root_free(root);
	buf = plan_json(plan);
	assert_non_null(strstr(buf,
	                       "\"purge\": [\"linux-image-5.15.0-88-generic\", "
	                       "\"linux-modules-5.15.0-88-generic\"]"));
	assert_non_null(strstr(buf, "\"reason\": \"latest\""));
	assert_non_null(strstr(buf, "\"running\": null"));
	free(buf);
	kp_plan_free(plan);
}

/* What each protected value names: releases, versions, leftovers. */
static void
test_protect_matches(void **state)
{
	static const struct sdb_pkg pkgs[] = {
		U("5.15.0-88", "generic"),
		U("5.15.0-88", "lowlatency"),
		U("5.15.0-91", "generic"),
		{ "linux-headers-5.15.0-70", NULL, NULL, NULL, NULL },
		{ "linux-image-6.7.0-rc1+", NULL, NULL, NULL, "6.7.0-rc1+-1" },
		{ NULL }
	};
	char *root = sdb_root_new(pkgs);
	struct kp_plan *plan = plan_root(root, 1);

	(void)state;
	sdb_root_free(root);
	assert_int_equal(kp_plan_protect_matches(plan, "5.15.0-88"), 2);
	assert_int_equal(kp_plan_protect_matches(plan, "5.15.0-88-generic"), 1);
	assert_int_equal(kp_plan_protect_matches(plan, "5.15.0-91"), 1);
	assert_int_equal(kp_plan_protect_matches(plan, "6.7.0-rc1+"), 1);
	/* only its flavour-less packages are left: they are what it keeps */
	assert_int_equal(kp_plan_protect_matches(plan, "5.15.0-70-generic"), 1);
	assert_int_equal(kp_plan_protect_matches(plan, "5.15.0-70"), 1);
	/* typos: another flavour of an installed version, another version */
	assert_int_equal(kp_plan_protect_matches(plan, "5.15.0-88-lowlatncy"),
	                 0);
	assert_int_equal(kp_plan_protect_matches(plan, "5.15.0-89"), 0);
	assert_int_equal(kp_plan_protect_matches(plan, "5.15.0-8"), 0);
	assert_int_equal(kp_plan_protect_matches(plan, "x|.*"), 0);
	kp_plan_free(plan);
}

/* An Installed-Size of 30 nines, and the sums over it, saturate. */
static void
test_sizes_saturate(void **state)
{
	static const char status[] =
	        "Package: linux-image-5.15.0-88-generic\nStatus: install ok installed\n"
	        "Architecture: amd64\nVersion: 5.15.0-88.1\n"
	        "Installed-Size: 999999999999999999999999999999\n\n"
	        "Package: linux-modules-5.15.0-88-generic\nStatus: install ok installed\n"
	        "Architecture: amd64\nVersion: 5.15.0-88.1\n"
	        "Installed-Size: 18014398509481983\n\n"
	        "Package: linux-image-5.15.0-91-generic\nStatus: install ok installed\n"
	        "Architecture: amd64\nVersion: 5.15.0-91.1\nInstalled-Size: 7\n";
	static const struct sdb_pkg none[] = { { NULL } };
	char *root = sdb_root_new(none);
	struct kp_plan *plan;
	size_t i;

	(void)state;
	sdb_write_file(root, "var/lib/dpkg/status", status);
	plan = plan_root(root, 1);
	sdb_root_free(root);
	assert_int_equal(kp_plan_n_releases(plan), 2);
	assert_int_equal(kp_plan_release(plan, 0)->size_kib, 7);
	assert_true(kp_plan_release(plan, 1)->size_kib == KP_SIZE_KIB_MAX);
	for (i = 0; i < kp_plan_n_packages(plan); i++)
		assert_true(kp_plan_package(plan, i)->size_kib <=
		            KP_SIZE_KIB_MAX);
	assert_true(kp_plan_purge_kib(plan) == KP_SIZE_KIB_MAX);
	kp_plan_free(plan);
}

/* /boot: files the purged packages own, and initrd images by release, in
 * the blocks they take on disk (whole 4 KiB blocks here, so exact). */
static void
test_boot_space(void **state)
{
	static const struct sdb_pkg pkgs[] = { U("6.8.0-31", "generic"),
		                               U("6.8.0-45", "generic"),
		                               { NULL } };
	struct kp_plan *plan;
	struct kp_boot_space b;
	char *root = sdb_root_new(pkgs), cmd[8192];

	snprintf(cmd, sizeof(cmd),
	         "mkdir -p %s/boot && cd %s/boot && "
	         "head -c 12288 /dev/zero > vmlinuz-6.8.0-31-generic && "
	         "head -c 4096 /dev/zero > initrd.img-6.8.0-31-generic && "
	         "head -c 28672 /dev/zero > vmlinuz-6.8.0-45-generic && "
	         "head -c 8192 /dev/zero > initrd.img-6.8.0-45-generic",
	         root, root);
	assert_int_equal(system(cmd), 0);
	sdb_write_file(
	        root, "var/lib/dpkg/info/linux-image-6.8.0-31-generic.list",
	        "/boot\n/boot/vmlinuz-6.8.0-31-generic\n/boot/missing\n");
	sdb_write_file(root,
	               "var/lib/dpkg/info/linux-image-6.8.0-45-generic.list",
	               "/boot\n/boot/vmlinuz-6.8.0-45-generic\n");
	plan = plan_root(root, 1);
	kp_plan_boot_space(plan, &b);
	assert_true(b.known);
	assert_true(b.size > 0 && b.used > 0 && b.used <= b.size);
	assert_int_equal(b.freed, 16384);
	assert_int_equal(kp_plan_release(plan, 0)->boot_bytes, 36864);
	assert_int_equal(kp_plan_release(plan, 1)->boot_bytes, 16384);
	kp_plan_free(plan);
	sdb_root_free(root);
}

/* The plan's release name, and the one package of it named pkg. */
static const struct kp_release *
release_of_plan(const struct kp_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; i < kp_plan_n_releases(plan); i++)
		if (strcmp(kp_plan_release(plan, i)->name, name) == 0)
			return kp_plan_release(plan, i);
	fail_msg("no release %s in the plan", name);
	return NULL;
}

/*
 * The facts behind "held" and "needed" are fields (the caller words them),
 * the same in the releases, their packages and the JSON document.
 */
static void
test_causes(void **state)
{
	static const struct sdb_pkg pkgs[] = {
		U("6.8.0-31", "generic"),
		U("6.8.0-40", "generic"),
		U("6.8.0-45", "generic"),
		{ "linux-image-6.8.0-35-generic", "h", NULL, NULL, NULL },
		{ "linux-modules-6.8.0-35-generic", NULL, NULL, NULL, NULL },
		{ "linux-headers-6.8.0-40", "h", NULL, NULL, NULL },
		{ "linux-image-generic", NULL, "linux-image-6.8.0-31-generic",
		  NULL, "6.8.0-31.31" },
		{ NULL }
	};
	char *root = sdb_root_new(pkgs), *buf;
	struct kp_plan *plan = plan_root(root, 1);
	const struct kp_release *held, *needed, *old;
	size_t i;

	(void)state;
	sdb_root_free(root);
	held = release_of_plan(plan, "6.8.0-35-generic");
	needed = release_of_plan(plan, "6.8.0-31-generic");
	old = release_of_plan(plan, "6.8.0-40-generic");
	assert_int_equal(held->reason, KP_REASON_HELD);
	assert_string_equal(held->cause.held_by,
	                    "linux-image-6.8.0-35-generic");
	assert_null(held->cause.needed_by);
	assert_int_equal(needed->reason, KP_REASON_NEEDED);
	assert_string_equal(needed->cause.needed_by, "linux-image-generic");
	assert_string_equal(needed->cause.depends_on,
	                    "linux-image-6.8.0-31-generic");
	assert_null(needed->cause.apt_installs);
	assert_null(needed->cause.held_by);
	assert_null(old->cause.held_by);
	assert_null(old->cause.needed_by);
	for (i = 0; i < held->n_packages; i++)
		assert_string_equal(held->packages[i]->cause.held_by,
		                    "linux-image-6.8.0-35-generic");
	for (i = 0; i < kp_plan_n_packages(plan); i++) {
		const struct kp_package *p = kp_plan_package(plan, i);

		if (strcmp(p->name, "linux-headers-6.8.0-40") == 0)
			assert_string_equal(p->cause.held_by, p->name);
	}
	buf = plan_json(plan);
	assert_non_null(
	        strstr(buf, "\"held_by\": \"linux-image-6.8.0-35-generic\""));
	assert_non_null(strstr(buf, "\"held_by\": \"linux-headers-6.8.0-40\""));
	assert_non_null(strstr(
	        buf, "\"needed_by\": \"linux-image-generic\", "
	             "\"depends_on\": \"linux-image-6.8.0-31-generic\""));
	assert_non_null(strstr(buf, "\"held_by\": null, \"needed_by\": null"));
	free(buf);
	kp_plan_free(plan);
}

/* Refusing --keep=0, the library names no option: the caller words it. */
static void
test_keep_zero_error_words(void **state)
{
	static const struct sdb_pkg pkgs[] = { U("6.8.0-31", "generic"),
		                               U("6.8.0-45", "generic"),
		                               { NULL } };
	const char *runs[] = { NULL, "6.8.0-50-generic" };
	char *root = sdb_root_new(pkgs);
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct kp_plan_options opts = { .keep = 0, .running = runs[i] };
		struct kp_error err = { 0 };
		struct kp_plan *plan = NULL;
		struct kp_ctx *ctx = kp_ctx_new(root, NULL, NULL, &err);

		assert_non_null(ctx);
		assert_int_equal(kp_plan_new(ctx, &opts, &plan, &err), -EINVAL);
		kp_ctx_free(ctx);
		assert_null(strstr(err.message, "--"));
		assert_int_equal(err.cause,
		                 i == 0 ? KP_CAUSE_KEEP_NOTHING_RUNS :
		                          KP_CAUSE_KEEP_RUNNING_ABSENT);
	}
	sdb_root_free(root);
}

/*
 * What the purge frees under /boot saturates, recounted after a release is
 * kept for a dependency too: two releases of more than half of 2^64 bytes
 * each (no filesystem has them; the sum must still not wrap to nothing).
 */
static void
test_boot_freed_saturates(void **state)
{
	static const struct sdb_pkg pkgs[] = { U("5.15.0-70", "generic"),
		                               U("5.15.0-88", "generic"),
		                               U("5.15.0-91", "generic"),
		                               U("5.15.0-101", "generic"),
		                               { NULL } };
	char *root = sdb_root_new(pkgs);
	struct kp_plan *plan = plan_root(root, 1);
	struct kp_boot_space b;
	struct kp_cause cause = { .needed_by = "acme" };

	(void)state;
	sdb_root_free(root);
	assert_int_equal(kp_plan_n_releases(plan), 4);
	plan->releases[1].boot_bytes = ~0ULL / 2 + 1; /* 5.15.0-91 */
	plan->releases[2].boot_bytes = ~0ULL / 2 + 1; /* 5.15.0-88 */
	assert_int_equal(kp__plan_keep_needed(
	                         plan, "linux-image-5.15.0-70-generic", &cause),
	                 0);
	kp_plan_boot_space(plan, &b);
	assert_true(b.freed == ~0ULL);
	kp_plan_free(plan);
}

/* A custom release "6.7.1-dbgsym" is known by the kernel its image ships. */
static void
test_custom_dbgsym_release(void **state)
{
	static const struct sdb_pkg pkgs[] = {
		{ "linux-image-6.7.1-dbgsym", NULL, NULL, NULL, "6.7.1-1" },
		{ "linux-image-6.8.2", NULL, NULL, NULL, "6.8.2-1" },
		{ "linux-image-6.6.0", NULL, NULL, NULL, "6.6.0-1" },
		{ NULL },
	};
	struct kp_plan *plan;
	char *root = sdb_root_new(pkgs), *got;

	sdb_write_file(root, "var/lib/dpkg/info/linux-image-6.7.1-dbgsym.list",
	               "/boot\n/boot/vmlinuz-6.7.1-dbgsym\n");
	plan = plan_root(root, 2);
	sdb_root_free(root);
	got = purge_string(plan);
	assert_string_equal(got, "linux-image-6.6.0");
	free(got);
	check_reasons(plan, "6.8.2=latest 6.7.1-dbgsym=newest");
	kp_plan_free(plan);
}

/*
 * linux-image-6.7.1-dbg whose file list holds debug symbols only is 6.7.1's
 * debug package, even beside linux-headers-6.7.1-dbg: it never becomes the
 * "newest kernel" that lets the only bootable one, 6.6.0, be purged.
 */
static void
test_debug_symbols_beside_dbg_headers(void **state)
{
	static const struct sdb_pkg pkgs[] = {
		{ "linux-image-6.6.0", NULL, NULL, NULL, "6.6.0-1" },
		{ "linux-image-6.7.1-dbg", NULL, NULL, NULL, "6.7.1-1" },
		{ "linux-headers-6.7.1-dbg", NULL, NULL, NULL, "6.7.1-1" },
		{ NULL },
	};
	struct kp_plan *plan;
	char *root = sdb_root_new(pkgs), *got;

	sdb_write_file(root, "var/lib/dpkg/info/linux-image-6.6.0.list",
	               "/.\n/boot\n/boot/vmlinuz-6.6.0\n");
	sdb_write_file(
	        root, "var/lib/dpkg/info/linux-image-6.7.1-dbg.list",
	        "/.\n/usr\n/usr/lib\n/usr/lib/debug\n/usr/lib/debug/boot\n"
	        "/usr/lib/debug/boot/vmlinux-6.7.1\n");
	plan = plan_root(root, 1);
	sdb_root_free(root);
	got = purge_string(plan);
	assert_null(strstr(got, "linux-image-6.6.0"));
	free(got);
	check_reasons(
	        plan,
	        "6.6.0=latest 6.7.1=newer-incomplete 6.7.1-dbg=newer-incomplete");
	kp_plan_free(plan);
}

/* dpkg takes a Version with bytes that are not UTF-8: JSON stays UTF-8. */
static void
test_json_not_utf8(void **state)
{
	static const struct sdb_pkg pkgs[] = {
		{ "linux-image-6.8.0-31-generic", NULL, NULL, NULL,
		  "6.8.0-31.31\xff" },
		{ "linux-image-6.8.0-40-generic", NULL, NULL, NULL,
		  "6.8.0-40.40\xc3\xa9" },
		{ NULL },
	};
	char *root = sdb_root_new(pkgs), *buf;
	struct kp_plan *plan = plan_root(root, 1);

	sdb_root_free(root);
	buf = plan_json(plan);
	assert_non_null(strstr(buf, "\"6.8.0-31.31\\ufffd\""));
	assert_non_null(strstr(buf, "\"6.8.0-40.40\xc3\xa9\""));
	assert_null(strchr(buf, '\xff'));
	free(buf);
	kp_plan_free(plan);
}

int
main(void)
{
	struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 10];
	size_t i, n = sizeof(cases) / sizeof(cases[0]);

	for (i = 0; i < n; i++) {
		tests[i] = (struct CMUnitTest)cmocka_unit_test(run_case);
		tests[i].name = cases[i].name;
		tests[i].initial_state = (void *)&cases[i];
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_json);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_protect_matches);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_sizes_saturate);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_boot_space);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
	        test_boot_freed_saturates);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_causes);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
	        test_keep_zero_error_words);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
	        test_custom_dbgsym_release);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
	        test_debug_symbols_beside_dbg_headers);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_json_not_utf8);
	return _cmocka_run_group_tests("t-plan", tests, n, NULL, NULL);
}
