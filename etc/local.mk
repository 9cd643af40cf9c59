## Unattended use: the configuration file, apt's hook, the weekly cron job.
## Files naming programs or directories are made from their .in at make
## time, so that they follow bindir, sysconfdir and pkgdatadir.
kp_edit = sed -e 's|@bindir[@]|$(bindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@pkgdatadir[@]|$(pkgdatadir)|g'

## The configuration file is the admin's once installed: make install
## leaves an existing one alone (the Debian package makes it a conffile),
## and make uninstall removes it only when nobody changed it.
EXTRA_DIST += etc/purge-old-kernels.conf
kp_conf = $(DESTDIR)$(sysconfdir)/purge-old-kernels.conf
install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(sysconfdir)'
	@if test -f '$(kp_conf)'; then \
	  echo "make install: keeping the existing $(kp_conf)"; \
	else \
	  echo " $(INSTALL_DATA) $(srcdir)/etc/purge-old-kernels.conf '$(kp_conf)'"; \
	  $(INSTALL_DATA) $(srcdir)/etc/purge-old-kernels.conf '$(kp_conf)'; \
	fi
uninstall-local:
	@if test -f '$(kp_conf)' && ! cmp -s $(srcdir)/etc/purge-old-kernels.conf '$(kp_conf)'; then \
	  echo "make uninstall: keeping $(kp_conf), changed since it was installed"; \
	else \
	  echo " rm -f '$(kp_conf)'"; rm -f '$(kp_conf)'; \
	fi

## aptconfdir and cronweeklydir come from configure (--with-aptconfdir,
## --with-cronweeklydir): /etc/apt/apt.conf.d and /etc/cron.weekly, where apt
## and cron read them, whatever the prefix.
nodist_aptconf_DATA = etc/apt.conf.d/85purge-old-kernels
etc/apt.conf.d/85purge-old-kernels: etc/apt.conf.d/85purge-old-kernels.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(kp_edit) $(srcdir)/$@.in >$@.tmp && mv $@.tmp $@

nodist_cronweekly_SCRIPTS = etc/cron.weekly/purge-old-kernels
etc/cron.weekly/purge-old-kernels: etc/cron.weekly/purge-old-kernels.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(kp_edit) $(srcdir)/$@.in >$@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@

CLEANFILES += $(nodist_aptconf_DATA) $(nodist_cronweekly_SCRIPTS)
EXTRA_DIST += etc/apt.conf.d/85purge-old-kernels.in \
	etc/cron.weekly/purge-old-kernels.in
