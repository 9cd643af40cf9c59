## The manual pages. The sources in man/ name the paths of the Debian
## package (/etc, /usr); the pages installed are made from them with this
## build's directories (man/subst.sh), so that a build with another prefix
## or sysconfdir documents the files it really reads and installs.
kp_man_pages = man/built/purge-old-kernels.8 man/built/libkpurge.3 \
	man/built/purge-old-kernels.conf.5
nodist_man_MANS = $(kp_man_pages)
EXTRA_DIST += man/purge-old-kernels.8 man/libkpurge.3 \
	man/purge-old-kernels.conf.5 man/subst.sh
CLEANFILES += $(kp_man_pages)

kp_man_subst = $(MKDIR_P) $(@D) && \
	bindir='$(bindir)' sysconfdir='$(sysconfdir)' aptconfdir='$(aptconfdir)' \
	cronweeklydir='$(cronweeklydir)' \
	systemdsystemunitdir='$(systemdsystemunitdir)' \
	aptmoduledir='$(aptmoduledir)' pkgdatadir='$(pkgdatadir)' \
	docdir='$(docdir)' includedir='$(includedir)' libdir='$(libdir)' \
	pkgconfigdir='$(pkgconfigdir)' APT_GET='$(APT_GET)' DPKG='$(DPKG)' \
	$(SHELL) $(srcdir)/man/subst.sh

man/built/purge-old-kernels.8: man/purge-old-kernels.8 man/subst.sh Makefile
	$(AM_V_GEN)$(kp_man_subst) $(srcdir)/man/purge-old-kernels.8 >$@.tmp && mv $@.tmp $@
man/built/libkpurge.3: man/libkpurge.3 man/subst.sh Makefile
	$(AM_V_GEN)$(kp_man_subst) $(srcdir)/man/libkpurge.3 >$@.tmp && mv $@.tmp $@
man/built/purge-old-kernels.conf.5: man/purge-old-kernels.conf.5 man/subst.sh Makefile
	$(AM_V_GEN)$(kp_man_subst) $(srcdir)/man/purge-old-kernels.conf.5 >$@.tmp && mv $@.tmp $@
