## Unit tests (cmocka), named after the module they test, simplest first.
UNIT_TESTS = \
	tests/t-version \
	tests/t-names \
	tests/t-dpkg-db \
	tests/t-structure \
	tests/t-corpus \
	tests/t-plan \
	tests/t-apt-shim \
	tests/t-cli-args

## Built only with cmocka (configure's HAVE_CMOCKA); without it make check
## runs tests/no-cmocka.sh, which says so and fails.
if HAVE_CMOCKA
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
else
TESTS += tests/no-cmocka.sh
endif
EXTRA_DIST += tests/no-cmocka.sh

UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -Wno-missing-field-initializers
UNIT_LDADD = $(KPURGE_LIBS) $(CMOCKA_LIBS)

tests_t_version_SOURCES = tests/t-version.c
tests_t_version_CFLAGS = $(UNIT_CFLAGS)
tests_t_version_LDADD = $(UNIT_LDADD)

tests_t_names_SOURCES = tests/t-names.c
tests_t_names_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
tests_t_names_CFLAGS = $(UNIT_CFLAGS)
tests_t_names_LDADD = $(UNIT_LDADD)

tests_t_dpkg_db_SOURCES = tests/t-dpkg-db.c tests/statusdb.c tests/statusdb.h
tests_t_dpkg_db_CFLAGS = $(UNIT_CFLAGS)
tests_t_dpkg_db_LDADD = $(UNIT_LDADD)

tests_t_structure_SOURCES = tests/t-structure.c tests/statusdb.c tests/statusdb.h
tests_t_structure_CFLAGS = $(UNIT_CFLAGS)
tests_t_structure_LDADD = $(UNIT_LDADD)

tests_t_corpus_SOURCES = tests/t-corpus.c
tests_t_corpus_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib \
	-DCORPUS='"$(top_srcdir)/tests/corpus/kernel-names.tsv"'
tests_t_corpus_CFLAGS = $(UNIT_CFLAGS)
tests_t_corpus_LDADD = $(UNIT_LDADD)
EXTRA_DIST += tests/corpus/kernel-names.tsv

tests_t_plan_SOURCES = tests/t-plan.c tests/statusdb.c tests/statusdb.h
tests_t_plan_CFLAGS = $(UNIT_CFLAGS)
tests_t_plan_LDADD = $(UNIT_LDADD)

tests_t_apt_shim_SOURCES = tests/t-apt-shim.c tests/statusdb.c tests/statusdb.h
tests_t_apt_shim_CFLAGS = $(UNIT_CFLAGS)
tests_t_apt_shim_LDADD = $(UNIT_LDADD)

## The CLI's tests link cli/libcli.a (see cli/local.mk).
UNIT_CLI_CFLAGS = $(UNIT_CFLAGS) $(POPT_CFLAGS) -I$(top_srcdir)/cli
UNIT_CLI_LDADD = $(CLI_LIBS) $(CMOCKA_LIBS)

## The CLI's argument handling.
tests_t_cli_args_SOURCES = tests/t-cli-args.c
tests_t_cli_args_CFLAGS = $(UNIT_CLI_CFLAGS)
tests_t_cli_args_LDADD = $(UNIT_CLI_LDADD)

## The CLI around the apt proof and --fix: the pre-flight's advice, the
## commands of --fix, /boot in words.
UNIT_TESTS += tests/t-cli-fix
tests_t_cli_fix_SOURCES = tests/t-cli-fix.c tests/statusdb.c tests/statusdb.h
tests_t_cli_fix_CFLAGS = $(UNIT_CLI_CFLAGS)
tests_t_cli_fix_LDADD = $(UNIT_CLI_LDADD)

## The sentences about a plan the hook, the periodic job and the dry run
## share: what goes, what it frees, the command.
UNIT_TESTS += tests/t-cli-plan-text
tests_t_cli_plan_text_SOURCES = tests/t-cli-plan-text.c tests/statusdb.c \
	tests/statusdb.h
tests_t_cli_plan_text_CFLAGS = $(UNIT_CLI_CFLAGS)
tests_t_cli_plan_text_LDADD = $(UNIT_CLI_LDADD)

## The environment the CLI hands to apt-get and dpkg.
UNIT_TESTS += tests/t-cli-environ
tests_t_cli_environ_SOURCES = tests/t-cli-environ.c
tests_t_cli_environ_CFLAGS = $(UNIT_CLI_CFLAGS)
tests_t_cli_environ_LDADD = $(UNIT_CLI_LDADD)

## apt's message to the guard (--guard), read: version 3 of its
## Pre-Install-Pkgs protocol as a real apt-get wrote it.
UNIT_TESTS += tests/t-cli-guard
tests_t_cli_guard_SOURCES = tests/t-cli-guard.c
tests_t_cli_guard_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCORPUS_V3='"$(top_srcdir)/tests/corpus/apt-hook-v3.txt"'
tests_t_cli_guard_CFLAGS = $(UNIT_CLI_CFLAGS)
tests_t_cli_guard_LDADD = $(UNIT_CLI_LDADD)
EXTRA_DIST += tests/corpus/apt-hook-v3.txt

## The plan's safety rules over thousands of generated systems (seeded:
## KP_SEED, KP_CASES, KP_CASE, KP_APT_SAMPLE, KP_TRICKY; see tests/t-invariants.c).
UNIT_TESTS += tests/t-invariants
tests_t_invariants_SOURCES = tests/t-invariants.c tests/gen-system.c \
	tests/gen-system.h tests/statusdb.c tests/statusdb.h
tests_t_invariants_CFLAGS = $(UNIT_CFLAGS) $(LIBDPKG_CFLAGS) -DLIBDPKG_VOLATILE_API
tests_t_invariants_LDADD = $(UNIT_LDADD)


## Fuzzing, sanitizers, valgrind, static analysis: scripts run by .ci/run
## after make check (each documents itself at its top).
EXTRA_DIST += .clang-tidy .clang-format tests/check-format.sh \
	tests/run-sanitized tests/run-valgrind \
	tests/run-static tests/run-coverage tests/lsan.supp tests/valgrind.supp \
	tests/static-baseline.txt tests/fuzz/run tests/fuzz/lsan.supp \
	tests/fuzz/fuzz-names.c tests/fuzz/fuzz-version.c \
	tests/fuzz/fuzz-status.c tests/fuzz/fuzz-config.c \
	tests/fuzz/fuzz-cli-args.c tests/fuzz/names.dict \
	tests/fuzz/version.dict tests/fuzz/status.dict tests/fuzz/config.dict \
	tests/fuzz/cli-args.dict tests/fuzz/corpus

## Unattended use: the configuration file, change detection, the state
## file, the metrics and the Byobu marker.
UNIT_TESTS += tests/t-config tests/t-fingerprint tests/t-summary
tests_t_config_SOURCES = tests/t-config.c
tests_t_config_CFLAGS = $(UNIT_CFLAGS)
tests_t_config_LDADD = $(UNIT_LDADD)
tests_t_fingerprint_SOURCES = tests/t-fingerprint.c
tests_t_fingerprint_CFLAGS = $(UNIT_CFLAGS)
tests_t_fingerprint_LDADD = $(UNIT_LDADD)
tests_t_summary_SOURCES = tests/t-summary.c
tests_t_summary_CPPFLAGS = $(AM_CPPFLAGS) -DSYSCONFDIR='"$(sysconfdir)"'
tests_t_summary_CFLAGS = $(UNIT_CLI_CFLAGS)
tests_t_summary_LDADD = $(UNIT_CLI_LDADD)

## apt's own protections: the rule for APT::NeverAutoRemove patterns.
UNIT_TESTS += tests/t-apt-marks
tests_t_apt_marks_SOURCES = tests/t-apt-marks.c
tests_t_apt_marks_CFLAGS = $(UNIT_CFLAGS)
tests_t_apt_marks_LDADD = $(UNIT_LDADD)

## The trust walk: which names root may rely on and write through.
UNIT_TESTS += tests/t-trust
tests_t_trust_SOURCES = tests/t-trust.c
tests_t_trust_CFLAGS = $(UNIT_CFLAGS)
tests_t_trust_LDADD = $(UNIT_LDADD)

## What the boot loader boots next (lib/bootloader.c).
UNIT_TESTS += tests/t-bootloader
tests_t_bootloader_SOURCES = tests/t-bootloader.c
tests_t_bootloader_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
tests_t_bootloader_CFLAGS = $(UNIT_CFLAGS)
tests_t_bootloader_LDADD = $(UNIT_LDADD)

## Integration: sandbox roots, packages built with dpkg-deb, installed with
## the real dpkg --root and purged through the real apt-get by the CLI.
INTEGRATION_TESTS = \
	tests/integration/ubuntu-ga-hwe.sh \
	tests/integration/debian-backports.sh \
	tests/integration/mainline.sh \
	tests/integration/custom-build.sh \
	tests/integration/held.sh \
	tests/integration/next-boot.sh \
	tests/integration/rc-leftovers.sh \
	tests/integration/container.sh \
	tests/integration/image-running-none.sh \
	tests/integration/second-run.sh \
	tests/integration/metapackage-needs.sh \
	tests/integration/bad-input.sh \
	tests/integration/plain-user.sh \
	tests/integration/apt-args.sh \
	tests/integration/output.sh \
	tests/integration/root-spelling.sh \
	tests/integration/protect-version.sh \
	tests/integration/installed-size.sh

## The apt proof, /boot's space, the pre-flight and --fix.
INTEGRATION_TESTS += \
	tests/integration/apt-metapackage.sh \
	tests/integration/apt-nvidia.sh \
	tests/integration/apt-cache.sh \
	tests/integration/apt-exact-headers.sh \
	tests/integration/apt-broken-fix.sh \
	tests/integration/list-space.sh \
	tests/integration/space-leftovers.sh \
	tests/integration/apt-module.sh \
	tests/integration/apt-module-build-tree.sh

## Unattended use: the apt hook, the periodic job, the status line and
## metrics, the Ansible playbook.
INTEGRATION_TESTS += \
	tests/integration/hook.sh \
	tests/integration/hook-stale.sh \
	tests/integration/guard.sh \
	tests/integration/guard-hostile.sh \
	tests/integration/auto.sh \
	tests/integration/config-location.sh \
	tests/integration/messages.sh \
	tests/integration/status.sh \
	tests/integration/byobu-tmux.sh \
	tests/integration/ansible.sh
EXTRA_DIST += tests/lib/unattended.sh bench/unattended.sh bench/guard.sh

## Hostile input and faults, through the real CLI, dpkg and apt-get.
INTEGRATION_TESTS += tests/integration/hostile-input.sh \
	tests/integration/environment.sh \
	tests/integration/faults-lock.sh tests/integration/faults-signal.sh \
	tests/integration/faults-postrm.sh tests/integration/faults-interrupted.sh \
	tests/integration/faults-boot-full.sh \
	tests/integration/untrusted-text.sh

## Members recognised by structure (files, dependencies), not by name.
INTEGRATION_TESTS += tests/integration/ubuntu-2604-structure.sh \
	tests/integration/dkms-structure.sh tests/integration/debian-rt-cloud.sh

## What a path really is: a second user's links, a symlink swap race, and
## writes under a root tree another user owns (lib/trust.c).
INTEGRATION_TESTS += tests/integration/path-trust.sh
EXTRA_DIST += tests/lib/swap-on-open.c tests/lib/apt-env.sh

## What apt-get really does: its configuration and options seen by the
## proof, and what a failed apt-get left (issue 11).
INTEGRATION_TESTS += tests/integration/apt-autoremove.sh \
	tests/integration/apt-failed.sh

## Files of removed kernels that no package owns (issue 17).
INTEGRATION_TESTS += tests/integration/orphans.sh tests/integration/orphans-hostile.sh
## apt's own protections and marks: APT::NeverAutoRemove, apt-mark's
## marks, --only-auto-installed, apt autoremove's verdict per release.
INTEGRATION_TESTS += tests/integration/apt-marks.sh

TESTS += $(INTEGRATION_TESTS)
dist_check_SCRIPTS += $(INTEGRATION_TESTS)

## What ships beside the program: the manual pages (lint; --help and the
## page agree; libkpurge.3 covers kpurge.h), one version everywhere, the
## bash completion, the README's map of files. No root needed.
SHIP_TESTS = \
	tests/check-man.sh \
	tests/check-version.sh \
	tests/check-completion.sh \
	tests/check-unattended.sh \
	tests/check-install.sh \
	tests/check-readme.sh

TESTS += $(SHIP_TESTS)
dist_check_SCRIPTS += $(SHIP_TESTS)
## The Debian packages: built, linted and installed into a sandbox root by
## tests/package-check.sh (CI runs it; not part of make check).
EXTRA_DIST += tests/package-check.sh tests/integration/package-install.sh

EXTRA_DIST += tests/lib/sandbox.sh tests/demo.sh

AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	POK='$(abs_top_builddir)/cli/purge-old-kernels'; export POK; \
	KPURGE_APT_MODULE='$(abs_top_builddir)/lib/$(KP_APT_MODULE_NAME)'; \
	export KPURGE_APT_MODULE; \
	DPKG='$(DPKG)'; export DPKG; DPKG_DEB='$(DPKG_DEB)'; export DPKG_DEB; \
	APT_GET='$(APT_GET)'; export APT_GET; \
	sysconfdir='$(sysconfdir)'; export sysconfdir; \
	prefix='$(prefix)'; export prefix; bindir='$(bindir)'; export bindir; \
	aptconfdir='$(aptconfdir)'; export aptconfdir; \
	cronweeklydir='$(cronweeklydir)'; export cronweeklydir;

## The demo: a realistic sandbox root, --list, then a real purge via apt-get.
demo: cli/purge-old-kernels lib/$(KP_APT_MODULE_NAME)
	$(AM_TESTS_ENVIRONMENT) $(SHELL) $(top_srcdir)/tests/demo.sh

.PHONY: demo

## make check-real: the command on a real Debian 12 root bootstrapped with
## mmdebstrap, real kernel packages from Debian's archive, this tree's .deb
## and its apt hook (tests/real/check-real.sh says what it checks). Not part
## of make check: it needs the archive, about 1.5 GB in /tmp and minutes.
## Downloads are cached in /var/cache/purge-old-kernels-check-real.
EXTRA_DIST += tests/real/check-real.sh
check-real: cli/purge-old-kernels lib/$(KP_APT_MODULE_NAME)
	@start=$$(date +%s); status=0; \
	$(AM_TESTS_ENVIRONMENT) bash $(top_srcdir)/tests/real/check-real.sh || status=$$?; \
	echo "check-real: exit $$status, $$(( $$(date +%s) - start )) s"; \
	if [ $$status -eq 77 ]; then echo "check-real: SKIPPED"; exit 0; fi; \
	exit $$status

.PHONY: check-real

## kp_plan_prove where apt disagrees with the plan: a stand-in apt module
## (tests/fake-apt.so, the module's ABI, scripted per test) in place of
## lib/kpurge-apt.so.
check_PROGRAMS += tests/fake-apt.so
tests_fake_apt_so_SOURCES = tests/fake-apt.c lib/apt-shim.h
tests_fake_apt_so_CFLAGS = $(AM_CFLAGS) -fPIC -fvisibility=hidden
tests_fake_apt_so_LDFLAGS = -shared
UNIT_TESTS += tests/t-plan-prove
tests_t_plan_prove_SOURCES = tests/t-plan-prove.c tests/statusdb.c tests/statusdb.h
tests_t_plan_prove_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFAKE_APT_MODULE='"$(abs_top_builddir)/tests/fake-apt.so"'
tests_t_plan_prove_CFLAGS = $(UNIT_CFLAGS)
tests_t_plan_prove_LDADD = $(UNIT_LDADD)
## (make tests/t-plan-prove, as tests/run-valgrind does, builds the module too)
EXTRA_tests_t_plan_prove_DEPENDENCIES = tests/fake-apt.so

## Where apt disagrees with the plan's dependency walk: a pending dpkg
## journal, a replacement provider in a file: archive, dependencies met only
## through Provides, or-groups across releases (issue 19).
INTEGRATION_TESTS += \
	tests/integration/apt-journal.sh \
	tests/integration/apt-provider-archive.sh \
	tests/integration/apt-provides.sh \
	tests/integration/apt-or-group.sh

## Mutation testing (tests/mutate, its list tests/mutants; not part of
## make check: .ci/run runs its --quick sample).
EXTRA_DIST += tests/mutate tests/mutants docs/testing.md

## Files of removed kernels no package owns: the name rules, a search of a
## root, a removal that meets a swapped link (issue 17).
UNIT_TESTS += tests/t-orphans
tests_t_orphans_SOURCES = tests/t-orphans.c tests/statusdb.c tests/statusdb.h
tests_t_orphans_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
tests_t_orphans_CFLAGS = $(UNIT_CFLAGS)
tests_t_orphans_LDADD = $(UNIT_LDADD)
