## Unattended use: the configuration file, apt's hook, the weekly cron job.
## Files naming programs or directories are made from their .in at make
## time, so that they follow sbindir, sysconfdir and pkgdatadir.
kp_edit = sed -e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@pkgdatadir[@]|$(pkgdatadir)|g'

dist_sysconf_DATA = etc/purge-old-kernels.conf

aptconfdir = $(sysconfdir)/apt/apt.conf.d
nodist_aptconf_DATA = etc/apt.conf.d/85purge-old-kernels
etc/apt.conf.d/85purge-old-kernels: etc/apt.conf.d/85purge-old-kernels.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(kp_edit) $(srcdir)/$@.in >$@.tmp && mv $@.tmp $@

cronweeklydir = $(sysconfdir)/cron.weekly
nodist_cronweekly_SCRIPTS = etc/cron.weekly/purge-old-kernels
etc/cron.weekly/purge-old-kernels: etc/cron.weekly/purge-old-kernels.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(kp_edit) $(srcdir)/$@.in >$@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@

CLEANFILES += $(nodist_aptconf_DATA) $(nodist_cronweekly_SCRIPTS)
EXTRA_DIST += etc/apt.conf.d/85purge-old-kernels.in \
	etc/cron.weekly/purge-old-kernels.in
