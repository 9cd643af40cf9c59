## purge-old-kernels: the thin command-line layer over libkpurge. All of it
## but main.c is cli/libcli.a (not installed), which the program and the
## unit tests of the CLI link: a test names no CLI source.
noinst_LIBRARIES += cli/libcli.a
cli_libcli_a_SOURCES = \
	cli/argv.c \
	cli/argv.h \
	cli/log.c \
	cli/log.h \
	cli/environ.c \
	cli/environ.h \
	cli/options.c \
	cli/options.h \
	cli/mode.h \
	cli/apt-args.c \
	cli/apt-args.h \
	cli/output.c \
	cli/output.h \
	cli/why.c \
	cli/why.h \
	cli/run-apt.c \
	cli/run-apt.h \
	cli/preflight.c \
	cli/preflight.h \
	cli/fix.c \
	cli/fix.h \
	cli/orphans.c \
	cli/orphans.h
## Unattended use: --hook, --auto, --status and the configuration file.
cli_libcli_a_SOURCES += \
	cli/unattended.c \
	cli/unattended.h \
	cli/state.c \
	cli/status.c \
	cli/hook.c \
	cli/guard.c \
	cli/guard-proto.c \
	cli/guard.h \
	cli/auto.c
cli_libcli_a_CPPFLAGS = $(AM_CPPFLAGS) -DSYSCONFDIR='"$(sysconfdir)"'
cli_libcli_a_CFLAGS = $(AM_CFLAGS) $(POPT_CFLAGS)

## What a program linking the CLI's code needs.
CLI_LIBS = cli/libcli.a $(KPURGE_LIBS) $(POPT_LIBS)

bin_PROGRAMS += cli/purge-old-kernels
cli_purge_old_kernels_SOURCES = cli/main.c
cli_purge_old_kernels_CPPFLAGS = $(AM_CPPFLAGS) -DSYSCONFDIR='"$(sysconfdir)"'
cli_purge_old_kernels_CFLAGS = $(AM_CFLAGS) $(POPT_CFLAGS)
cli_purge_old_kernels_LDADD = $(CLI_LIBS)
