#!/bin/sh
# The Ansible playbook of contrib/ on localhost (connection: local), pointed
# at the sandbox: it reports from --list --json and purges nothing by
# default; with pok_purge=true it purges, and a second run finds nothing.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/sandbox.sh"
command -v ansible-playbook >/dev/null 2>&1 || skip "ansible-playbook is not installed (Debian: ansible-core)"
sandbox_init
R=6.8.0-45-generic
PLAYBOOK=$top_srcdir/contrib/ansible/purge-old-kernels.yml

# Ansible's own files stay in the sandbox; its output stays plain.
ANSIBLE_HOME=$SANDBOX_TMP/ansible
ANSIBLE_LOCAL_TEMP=$SANDBOX_TMP/ansible/tmp
ANSIBLE_REMOTE_TEMP=$SANDBOX_TMP/ansible/tmp
ANSIBLE_NOCOLOR=1
ANSIBLE_RETRY_FILES_ENABLED=0
ANSIBLE_STDOUT_CALLBACK=default
export ANSIBLE_HOME ANSIBLE_LOCAL_TEMP ANSIBLE_REMOTE_TEMP ANSIBLE_NOCOLOR \
	ANSIBLE_RETRY_FILES_ENABLED ANSIBLE_STDOUT_CALLBACK
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)

# play VAR=VALUE...: the playbook on localhost with the sandbox's variables.
play() {
	local extra="pok_command=$POK pok_root=$ROOT pok_running=$R pok_become=false"
	run ansible-playbook -i localhost, -c local \
		-e "ansible_python_interpreter=$python" -e "$extra" \
		$(printf -- '-e %s ' "$@") "$PLAYBOOK"
}

section "setup: 6.8.0-{31,40,45}-generic, 45 running"
ubuntu_release 6.8.0-31 generic; r31=$RELEASE_PKGS
ubuntu_release 6.8.0-40 generic; r40=$RELEASE_PKGS
ubuntu_release 6.8.0-45 generic; r45=$RELEASE_PKGS
dpkg_install
before=$(status_sum)

section "syntax"
run ansible-playbook --syntax-check -i localhost, "$PLAYBOOK"
assert_eq 0 "$rc" "ansible-playbook --syntax-check"

section "report (the default): what can go, nothing purged"
play pok_keep=1
assert_eq 0 "$rc" "the play succeeds"
assert_contains "$out" "2 old kernel release(s) can be purged"
assert_contains "$out" "6.8.0-40-generic, 6.8.0-31-generic"
assert_match "$out" 'Purge[^\n]*' "the purge task is listed"
assert_match "$out" 'skipping: \[localhost\]' "and skipped"
assert_contains "$out" "failed=0"
assert_status_unchanged "$before"

section "pok_purge=true: purged"
play pok_keep=1 pok_purge=true
assert_eq 0 "$rc" "the play succeeds"
assert_match "$out" 'changed: \[localhost\]' "the purge task changed the host"
assert_contains "$out" "failed=0"
assert_remaining "$r45 linux-base"

section "again: nothing to purge, nothing changed"
play pok_keep=1 pok_purge=true
assert_eq 0 "$rc" "the play succeeds"
assert_contains "$out" "0 old kernel release(s) can be purged"
assert_contains "$out" "changed=0"

sandbox_finish
