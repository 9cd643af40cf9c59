## libkpurge: static, like libdpkg it links. Everything but asking apt.
lib_LIBRARIES += lib/libkpurge.a
## kpurge.h: the planning core; kpurge-app.h: the application layer
## (configuration file, change detection, state file, metrics).
include_HEADERS = lib/kpurge.h lib/kpurge-app.h
pkgconfig_DATA = lib/kpurge.pc

KP_APT_MODULE_NAME = kpurge-apt.so

lib_libkpurge_a_CPPFLAGS = $(AM_CPPFLAGS) $(LIBDPKG_CFLAGS) -DLIBDPKG_VOLATILE_API \
	-DKP_APT_MODULE_PATH='"$(aptmoduledir)/$(KP_APT_MODULE_NAME)"' \
	-DKP_APT_MODULE_NAME='"$(KP_APT_MODULE_NAME)"' -DKP_BINDIR='"$(bindir)"'
lib_libkpurge_a_SOURCES = \
	lib/kpurge.h \
	lib/kpurge-app.h \
	lib/kpurge-private.h \
	lib/error.c \
	lib/version.c \
	lib/names.c \
	lib/enums.c \
	lib/dpkg-db.c \
	lib/plan.c \
	lib/plan-json.c \
	lib/space.c \
	lib/orphans.c \
	lib/orphans-remove.c \
	lib/plan-prove.c \
	lib/apt-marks.c \
	lib/apt-options.c \
	lib/config.c \
	lib/fingerprint.c \
	lib/summary.c \
	lib/kpurge-trust.h \
	lib/trust.c \
	lib/kpurge-boot.h \
	lib/bootloader.c \
	lib/apt-load.c \
	lib/apt-shim.h

## Asking apt: apt-shim.cc over libapt-pkg, a module that lib/apt-load.c
## opens on first use, so that what never asks apt never loads libapt-pkg
## and libstdc++. Built as a shared object without libtool: position-
## independent objects, -shared, only its table exported.
aptmoduledir = $(pkglibdir)
aptmodule_PROGRAMS = lib/kpurge-apt.so
lib_kpurge_apt_so_SOURCES = lib/apt-shim.cc lib/apt-shim.h lib/error.c \
	lib/trust.c lib/kpurge-trust.h
lib_kpurge_apt_so_CPPFLAGS = $(AM_CPPFLAGS)
lib_kpurge_apt_so_CFLAGS = $(AM_CFLAGS) -fPIC -fvisibility=hidden
lib_kpurge_apt_so_CXXFLAGS = $(AM_CXXFLAGS) $(APTPKG_CFLAGS) -fPIC -fvisibility=hidden
lib_kpurge_apt_so_LDFLAGS = -shared -Wl,--as-needed \
	-Wl,--version-script=$(top_srcdir)/lib/apt-module.map
EXTRA_lib_kpurge_apt_so_DEPENDENCIES = lib/apt-module.map
EXTRA_DIST += lib/apt-module.map
lib_kpurge_apt_so_LDADD = $(APTPKG_LIBS)

## What a program linking libkpurge needs (and, to ask apt, the module).
KPURGE_LIBS = lib/libkpurge.a $(LIBDPKG_LIBS)
