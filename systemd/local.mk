## The periodic job where systemd runs: a weekly timer and its service.
dist_systemdsystemunit_DATA = systemd/purge-old-kernels.timer
nodist_systemdsystemunit_DATA = systemd/purge-old-kernels.service
systemd/purge-old-kernels.service: systemd/purge-old-kernels.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(kp_edit) $(srcdir)/$@.in >$@.tmp && mv $@.tmp $@

CLEANFILES += $(nodist_systemdsystemunit_DATA)
EXTRA_DIST += systemd/purge-old-kernels.service.in
## distcheck installs as a user, under its own prefix.
## (Unquoted, as automake's manual has it: quoted, configure kept
## "$dc_install_base" and make read "$d" in it.)
AM_DISTCHECK_CONFIGURE_FLAGS = \
	--with-systemdsystemunitdir=$$dc_install_base/$(systemdsystemunitdir) \
	--with-aptconfdir=$$dc_install_base/$(aptconfdir) \
	--with-cronweeklydir=$$dc_install_base/$(cronweeklydir)
