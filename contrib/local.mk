## Examples for users: a Byobu status script to copy to ~/.byobu/bin/, and
## an Ansible playbook that reports and purges across an inventory.
byobudir = $(pkgdatadir)/byobu
nodist_byobu_SCRIPTS = contrib/byobu/300_purge_old_kernels
contrib/byobu/300_purge_old_kernels: contrib/byobu/300_purge_old_kernels.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(kp_edit) $(srcdir)/$@.in >$@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@

ansibledir = $(docdir)/examples
dist_ansible_DATA = contrib/ansible/purge-old-kernels.yml

CLEANFILES += $(nodist_byobu_SCRIPTS)
EXTRA_DIST += contrib/byobu/300_purge_old_kernels.in
