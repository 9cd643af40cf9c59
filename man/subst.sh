#!/bin/sh
# man/subst.sh PAGE: PAGE, a manual page of man/, with the paths it names
# as the Debian package installs them (/etc/..., /usr/...) replaced by this
# build's, so that a page installed with another prefix or sysconfdir names
# the files the program really reads and installs. The directories come
# from the environment (Makefile: man/local.mk).
set -eu
: "${bindir:?}" "${sysconfdir:?}" "${aptconfdir:?}" "${cronweeklydir:?}"
: "${systemdsystemunitdir:?}" "${aptmoduledir:?}" "${pkgdatadir:?}"
: "${docdir:?}" "${includedir:?}" "${libdir:?}" "${pkgconfigdir:?}"
: "${APT_GET:?}" "${DPKG:?}"
# A name's "-" may be written "\-" in roff.
h='\(\\\)\{0,1\}-'
name="purge${h}old${h}kernels"
sed \
	-e "s|/etc/$name\\.conf|$sysconfdir/purge-old-kernels.conf|g" \
	-e "s|/etc/apt/apt\\.conf\\.d/85$name|$aptconfdir/85purge-old-kernels|g" \
	-e "s|/etc/cron\\.weekly/$name|$cronweeklydir/purge-old-kernels|g" \
	-e "s|/lib/systemd/system/$name\\.timer|$systemdsystemunitdir/purge-old-kernels.timer|g" \
	-e "s|/usr/lib/<triplet>/$name/kpurge${h}apt\\.so|$aptmoduledir/kpurge-apt.so|g" \
	-e "s|/usr/lib/<triplet>/pkgconfig/kpurge\\.pc|$pkgconfigdir/kpurge.pc|g" \
	-e "s|/usr/lib/<triplet>/libkpurge\\.a|$libdir/libkpurge.a|g" \
	-e "s|/usr/include/kpurge\\.h|$includedir/kpurge.h|g" \
	-e "s|/usr/share/doc/$name/|$docdir/|g" \
	-e "s|/usr/share/$name/|$pkgdatadir/|g" \
	-e "s|/usr/bin/$name\\([^.]\\)|$bindir/purge-old-kernels\\1|g" \
	-e "s|/usr/bin/$name\$|$bindir/purge-old-kernels|g" \
	-e "s|/usr/bin/apt${h}get|$APT_GET|g" \
	-e "s|/usr/bin/dpkg\\([^-]\\)|$DPKG\\1|g" \
	-e "s|/usr/bin/dpkg$|$DPKG|g" \
	"$1"
