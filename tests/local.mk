## Unit tests (cmocka), named after the module they test, simplest first.
UNIT_TESTS = \
	tests/t-version \
	tests/t-names \
	tests/t-dpkg-db \
	tests/t-plan \
	tests/t-apt-shim \
	tests/t-cli-args

check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -Wno-missing-field-initializers
UNIT_LDADD = $(KPURGE_LIBS) $(CMOCKA_LIBS)

tests_t_version_SOURCES = tests/t-version.c
tests_t_version_CFLAGS = $(UNIT_CFLAGS)
tests_t_version_LDADD = $(UNIT_LDADD)

tests_t_names_SOURCES = tests/t-names.c
tests_t_names_CFLAGS = $(UNIT_CFLAGS)
tests_t_names_LDADD = $(UNIT_LDADD)

tests_t_dpkg_db_SOURCES = tests/t-dpkg-db.c tests/statusdb.c tests/statusdb.h
tests_t_dpkg_db_CFLAGS = $(UNIT_CFLAGS)
tests_t_dpkg_db_LDADD = $(UNIT_LDADD)

tests_t_plan_SOURCES = tests/t-plan.c tests/statusdb.c tests/statusdb.h
tests_t_plan_CFLAGS = $(UNIT_CFLAGS)
tests_t_plan_LDADD = $(UNIT_LDADD)

tests_t_apt_shim_SOURCES = tests/t-apt-shim.c tests/statusdb.c tests/statusdb.h
tests_t_apt_shim_CFLAGS = $(UNIT_CFLAGS)
tests_t_apt_shim_LDADD = $(UNIT_LDADD)

## The CLI's argument handling, linked from its own sources.
tests_t_cli_args_SOURCES = tests/t-cli-args.c cli/apt-args.c cli/options.c
tests_t_cli_args_CFLAGS = $(UNIT_CFLAGS) $(POPT_CFLAGS) -I$(top_srcdir)/cli
tests_t_cli_args_LDADD = $(UNIT_LDADD) $(POPT_LIBS)

## Integration: sandbox roots, packages built with dpkg-deb, installed with
## the real dpkg --root and purged through the real apt-get by the CLI.
INTEGRATION_TESTS = \
	tests/integration/ubuntu-ga-hwe.sh \
	tests/integration/debian-backports.sh \
	tests/integration/mainline.sh \
	tests/integration/custom-build.sh \
	tests/integration/held.sh \
	tests/integration/rc-leftovers.sh \
	tests/integration/container.sh \
	tests/integration/image-running-none.sh \
	tests/integration/second-run.sh \
	tests/integration/metapackage-needs.sh \
	tests/integration/bad-input.sh \
	tests/integration/plain-user.sh \
	tests/integration/apt-args.sh \
	tests/integration/output.sh

TESTS += $(INTEGRATION_TESTS)
dist_check_SCRIPTS += $(INTEGRATION_TESTS)
EXTRA_DIST += tests/lib/sandbox.sh tests/demo.sh

AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	POK='$(abs_top_builddir)/cli/purge-old-kernels'; export POK; \
	DPKG='$(DPKG)'; export DPKG; DPKG_DEB='$(DPKG_DEB)'; export DPKG_DEB; \
	APT_GET='$(APT_GET)'; export APT_GET;

## The demo: a realistic sandbox root, --list, then a real purge via apt-get.
demo: cli/purge-old-kernels
	$(AM_TESTS_ENVIRONMENT) $(SHELL) $(top_srcdir)/tests/demo.sh

.PHONY: demo
