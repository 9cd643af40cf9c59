/*
 * t-plan-prove: kp_plan_prove (lib/plan-prove.c) where apt disagrees with
 * the plan. The real libdpkg reads a throw-away root; apt is the stand-in
 * module tests/fake-apt.so (loaded through KPURGE_APT_MODULE, as the build
 * tree's module is), scripted to report one cause per simulation: an
 * install a purged package causes, an install nothing in the plan causes,
 * removals revealed one round at a time, a refusal.
 */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "kpurge.h"
#include "statusdb.h"

#ifndef FAKE_APT_MODULE
#error "FAKE_APT_MODULE must name tests/fake-apt.so"
#endif

#define R80 "5.15.0-80-generic"
#define R88 "5.15.0-88-generic"
#define R91 "5.15.0-91-generic"
#define R101 "5.15.0-101-generic"

#define FAMILY(r)                                                              \
	{ "linux-image-" r, NULL, "linux-modules-" r, NULL, NULL },            \
	{                                                                      \
		"linux-modules-" r, NULL, NULL, NULL, NULL                     \
	}

static const struct sdb_pkg system_pkgs[] = {
	FAMILY(R80), FAMILY(R88), FAMILY(R91), FAMILY(R101), { NULL },
};

/* Each release's initrd under /boot: what purging it frees there (whole
 * 4 KiB blocks: /boot is measured in the blocks files take on disk). */
static const struct {
	const char *release;
	size_t bytes;
} initrds[] = {
	{ R80, 4096 },
	{ R88, 20480 },
	{ R91, 303104 },
	{ R101, 4001792 },
};

static void
write_initrds(const char *root)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/boot", root);
	assert_int_equal(mkdir(path, 0755), 0);
	for (size_t i = 0; i < sizeof(initrds) / sizeof(initrds[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/boot/initrd.img-%s", root,
		         initrds[i].release);
		f = fopen(path, "w");
		assert_non_null(f);
		for (size_t n = 0; n < initrds[i].bytes; n++)
			fputc('x', f);
		assert_int_equal(fclose(f), 0);
	}
}

/* What the plan frees under /boot. */
static unsigned long long
boot_freed(const struct kp_plan *plan)
{
	struct kp_boot_space b;

	kp_plan_boot_space(plan, &b);
	return b.freed;
}

/* The Installed-Size of the packages the plan purges, added up. */
static unsigned long long
purged_kib(const struct kp_plan *plan)
{
	unsigned long long kib = 0;

	for (size_t i = 0; i < kp_plan_n_packages(plan); i++)
		if (kp_plan_package(plan, i)->action == KP_PURGE)
			kib += kp_plan_package(plan, i)->size_kib;
	return kib;
}

/* What the plan says it frees, in KiB and under /boot. */
static void
assert_frees(const struct kp_plan *plan, unsigned long long boot)
{
	assert_int_equal(kp_plan_purge_kib(plan), purged_kib(plan));
	assert_int_equal(boot_freed(plan), boot);
}

/* One test's root, its script and the log of what apt was asked. */
struct proof {
	char *root;
	char script[4200];
	char log[4200];
	struct kp_ctx *ctx;
	struct kp_plan *plan;
	struct kp_error err;
};

/* The test's proof, freed by teardown() even when the test fails. */
static struct proof *current;

static struct proof *
proof_new(const char *script)
{
	struct proof *p = calloc(1, sizeof(*p));
	struct kp_plan_options opts = { .keep = 1 };

	assert_non_null(p);
	current = p;
	p->root = sdb_root_new(system_pkgs);
	snprintf(p->script, sizeof(p->script), "%s/fake-apt.script", p->root);
	snprintf(p->log, sizeof(p->log), "%s/fake-apt.log", p->root);
	sdb_write_file(p->root, "fake-apt.script", script);
	write_initrds(p->root);
	assert_int_equal(setenv("KP_FAKE_APT_SCRIPT", p->script, 1), 0);
	assert_int_equal(setenv("KP_FAKE_APT_LOG", p->log, 1), 0);
	p->ctx = kp_ctx_new(p->root, NULL, NULL, &p->err);
	assert_non_null(p->ctx);
	assert_int_equal(kp_plan_new(p->ctx, &opts, &p->plan, &p->err), 0);
	return p;
}

static int
teardown(void **state)
{
	struct proof *p = current;

	(void)state;
	current = NULL;
	if (p == NULL)
		return 0;
	kp_plan_free(p->plan);
	kp_ctx_free(p->ctx);
	sdb_root_free(p->root);
	free(p);
	return 0;
}

/* The releases the plan purges, newest first, blank-separated. */
static const char *
purged_releases(const struct kp_plan *plan)
{
	static char buf[1024];

	buf[0] = '\0';
	for (size_t i = 0; i < kp_plan_n_releases(plan); i++) {
		const struct kp_release *rel = kp_plan_release(plan, i);

		if (rel->action == KP_PURGE)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			         "%s%s", buf[0] ? " " : "", rel->name);
	}
	return buf;
}

static const struct kp_release *
release(const struct kp_plan *plan, const char *name)
{
	for (size_t i = 0; i < kp_plan_n_releases(plan); i++)
		if (strcmp(kp_plan_release(plan, i)->name, name) == 0)
			return kp_plan_release(plan, i);
	fail_msg("no release %s in the plan", name);
	return NULL;
}

/* The simulations apt was asked for, one line of names each. */
static int
simulations(const struct proof *p, char *last, size_t size)
{
	char line[4096];
	int n = 0;
	FILE *f = fopen(p->log, "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		line[strcspn(line, "\n")] = '\0';
		snprintf(last, size, "%s", line);
	}
	fclose(f);
	return n;
}

static void
assert_kept_needed(const struct kp_plan *plan, const char *name,
                   const char *why)
{
	const struct kp_release *rel = release(plan, name);

	if (rel == NULL)
		return;
	assert_int_equal(rel->action, KP_KEEP);
	assert_int_equal(rel->reason, KP_REASON_NEEDED);
	assert_non_null(rel->why);
	if (strstr(rel->why, why) == NULL)
		fail_msg("%s is kept because '%s', not '%s'", name, rel->why,
		         why);
}

/* Without apt's objections the plan purges 80, 88 and 91 (--keep=1). */
static void
test_agreeing_apt_proves_at_once(void **state)
{
	struct proof *p = proof_new("# apt agrees\n");
	char last[4096] = "";

	(void)state;
	assert_string_equal(purged_releases(p->plan), R91 " " R88 " " R80);
	assert_frees(p->plan, 4096 + 20480 + 303104);
	assert_int_equal(kp_plan_prove(p->ctx, p->plan, &p->err), 0);
	assert_frees(p->plan, 4096 + 20480 + 303104);
	assert_true(kp_plan_proved(p->plan));
	assert_int_equal(simulations(p, last, sizeof(last)), 1);
	assert_non_null(strstr(last, "linux-image-" R80));
}

/* (a) apt would install a package because a purged one goes: keep that
 * release, say why, and prove the rest in a second simulation. */
static void
test_install_caused_by_purge_keeps_release(void **state)
{
	struct proof *p = proof_new("install linux-image-unsigned-" R88
	                            " linux-image-" R88
	                            " linux-modules-nvidia-" R88 "\n");
	char last[4096] = "";

	(void)state;
	assert_int_equal(kp_plan_prove(p->ctx, p->plan, &p->err), 0);
	assert_true(kp_plan_proved(p->plan));
	assert_kept_needed(p->plan, R88,
	                   "linux-modules-nvidia-" R88
	                   " depends on it (apt would install "
	                   "linux-image-unsigned-" R88 ")");
	assert_string_equal(release(p->plan, R88)->cause.needed_by,
	                    "linux-modules-nvidia-" R88);
	assert_string_equal(release(p->plan, R88)->cause.apt_installs,
	                    "linux-image-unsigned-" R88);
	assert_string_equal(purged_releases(p->plan), R91 " " R80);
	/* What the purge frees no longer counts the release kept. */
	assert_frees(p->plan, 4096 + 303104);
	assert_int_equal(simulations(p, last, sizeof(last)), 2);
	assert_null(strstr(last, R88));
}

/* (b) apt would install a package no purged one explains: refuse. */
static void
test_install_without_cause_is_refused(void **state)
{
	struct proof *p = proof_new("install linux-image-unsigned-" R101
	                            " - some-dependent\n");

	(void)state;
	assert_int_equal(kp_plan_prove(p->ctx, p->plan, &p->err), -EPERM);
	assert_false(kp_plan_proved(p->plan));
	assert_string_equal(p->err.message,
	                    "apt-get would install linux-image-unsigned-" R101);
}

/* A removal no purged package explains: refuse, naming it. */
static void
test_removal_without_cause_is_refused(void **state)
{
	struct proof *p = proof_new("remove unrelated-package -\n");

	(void)state;
	assert_int_equal(kp_plan_prove(p->ctx, p->plan, &p->err), -EPERM);
	assert_false(kp_plan_proved(p->plan));
	assert_string_equal(p->err.message,
	                    "apt-get would also remove "
	                    "unrelated-package, which is not in the plan");
}

/* (c) apt reveals a second removal only once the first cause is kept:
 * both causes kept, the third simulation proves the rest. */
static void
test_removals_revealed_one_per_round(void **state)
{
	struct proof *p = proof_new("remove dkms-module-a linux-image-" R88 "\n"
	                            "remove dkms-module-b linux-modules-" R91
	                            "\n");
	char last[4096] = "";

	(void)state;
	assert_int_equal(kp_plan_prove(p->ctx, p->plan, &p->err), 0);
	assert_true(kp_plan_proved(p->plan));
	assert_kept_needed(p->plan, R88, "needed by dkms-module-a");
	assert_string_equal(release(p->plan, R88)->cause.needed_by,
	                    "dkms-module-a");
	assert_null(release(p->plan, R88)->cause.apt_installs);
	assert_kept_needed(p->plan, R91, "needed by dkms-module-b");
	assert_string_equal(purged_releases(p->plan), R80);
	assert_frees(p->plan, 4096);
	assert_int_equal(simulations(p, last, sizeof(last)), 3);
	assert_string_equal(last, "linux-image-" R80 " linux-modules-" R80);
}

/* apt refuses the purge: so does the proof, in apt's words. */
static void
test_apt_refusal_is_refused(void **state)
{
	struct proof *p = proof_new("problem Unmet dependencies.\n");

	(void)state;
	assert_int_equal(kp_plan_prove(p->ctx, p->plan, &p->err), -EPERM);
	assert_false(kp_plan_proved(p->plan));
	/* (apt's full stop goes: our sentence goes on after it) */
	assert_string_equal(p->err.message, "apt-get cannot resolve the purge: "
	                                    "Unmet dependencies");
}

/* apt's kernel protection is noted by release, from its images. */
static void
test_apt_protection_noted_by_image(void **state)
{
	struct proof *p = proof_new("protect linux-image-" R101 "\n"
	                            "protect linux-modules-" R91 "\n");

	(void)state;
	assert_int_equal(kp_plan_prove(p->ctx, p->plan, &p->err), 0);
	assert_true(release(p->plan, R101)->apt_protects);
	assert_false(release(p->plan, R91)->apt_protects);
	assert_false(release(p->plan, R88)->apt_protects);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_agreeing_apt_proves_at_once,
		                          teardown),
		cmocka_unit_test_teardown(
		        test_install_caused_by_purge_keeps_release, teardown),
		cmocka_unit_test_teardown(test_install_without_cause_is_refused,
		                          teardown),
		cmocka_unit_test_teardown(test_removal_without_cause_is_refused,
		                          teardown),
		cmocka_unit_test_teardown(test_removals_revealed_one_per_round,
		                          teardown),
		cmocka_unit_test_teardown(test_apt_refusal_is_refused,
		                          teardown),
		cmocka_unit_test_teardown(test_apt_protection_noted_by_image,
		                          teardown),
	};

	/* Before the first kp_apt_open(): the module is loaded once. */
	if (setenv("KPURGE_APT_MODULE", FAKE_APT_MODULE, 1) != 0)
		return 99;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
