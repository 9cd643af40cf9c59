## purge-old-kernels: the thin command-line layer over libkpurge.
bin_PROGRAMS += cli/purge-old-kernels
cli_purge_old_kernels_SOURCES = \
	cli/main.c \
	cli/environ.c \
	cli/environ.h \
	cli/options.c \
	cli/options.h \
	cli/apt-args.c \
	cli/apt-args.h \
	cli/output.c \
	cli/output.h \
	cli/run-apt.c \
	cli/run-apt.h \
	cli/preflight.c \
	cli/preflight.h \
	cli/fix.c \
	cli/fix.h \
	cli/why.c \
	cli/why.h
## Unattended use: --hook, --auto, --status and the configuration file.
cli_purge_old_kernels_SOURCES += \
	cli/unattended.c \
	cli/unattended.h \
	cli/state.c \
	cli/status.c \
	cli/hook.c \
	cli/auto.c
cli_purge_old_kernels_CPPFLAGS = $(AM_CPPFLAGS) -DSYSCONFDIR='"$(sysconfdir)"'
cli_purge_old_kernels_CFLAGS = $(AM_CFLAGS) $(POPT_CFLAGS)
cli_purge_old_kernels_LDADD = $(KPURGE_LIBS) $(POPT_LIBS)
