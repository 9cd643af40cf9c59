## libkpurge: static, like libdpkg it links.
lib_LIBRARIES += lib/libkpurge.a
include_HEADERS = lib/kpurge.h
pkgconfig_DATA = lib/kpurge.pc

lib_libkpurge_a_CPPFLAGS = $(AM_CPPFLAGS) $(LIBDPKG_CFLAGS) -DLIBDPKG_VOLATILE_API
lib_libkpurge_a_SOURCES = \
	lib/kpurge.h \
	lib/kpurge-private.h \
	lib/error.c \
	lib/version.c \
	lib/names.c \
	lib/dpkg-db.c \
	lib/plan.c \
	lib/plan-json.c \
	lib/space.c \
	lib/plan-prove.c \
	lib/config.c \
	lib/fingerprint.c \
	lib/summary.c \
	lib/apt-shim.cc \
	lib/apt-shim.h
lib_libkpurge_a_CXXFLAGS = $(AM_CXXFLAGS) $(APTPKG_CFLAGS)

## What a program linking libkpurge needs.
KPURGE_LIBS = lib/libkpurge.a $(LIBDPKG_LIBS) $(APTPKG_LIBS) -lstdc++
